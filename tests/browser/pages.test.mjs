// Every console page, in English and in Chinese, on the demo data set: each one loads,
// says its language, passes axe-core with no serious or critical finding, raises no
// script error or CSP refusal, and is photographed. The pictures go to a temporary folder,
// or to the folder named by MARKETDESK_SCREENSHOTS (docs/screenshots to refresh the README's).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { assertAccessible, launch, repo, signIn, startServer, watchedPage } from "./world.mjs";

const shots = process.env.MARKETDESK_SCREENSHOTS
  ? resolve(repo, process.env.MARKETDESK_SCREENSHOTS)
  : mkdtempSync(join(tmpdir(), "marketdesk-screenshots-"));
mkdirSync(shots, { recursive: true });

let server;
let chrome;

before(async () => {
  server = await startServer({ demo: true });
  assert.ok(server.logins["seller-us"], `demo logins printed:\n${server.output()}`);
  chrome = await launch();
});

after(async () => {
  if (chrome) await chrome.close();
  if (server) await server.stop();
});

/** Checks the page that is open and photographs it as `name.lang.png`. */
async function shoot(page, name, lang, status = 200, last) {
  assert.equal(last.status(), status, `${name} answered ${last.status()}`);
  assert.equal(await page.getAttribute("html", "lang"), lang, `${name} is in ${lang}`);
  await assertAccessible(page, `${name} (${lang})`);
  // The whole page, down to 1,600 px: long lists are shown by their top.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({
    path: join(shots, `${name}.${lang}.png`),
    fullPage: true,
    clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 1600) },
  });
}

for (const lang of ["en", "zh-CN"]) {
  test(`every page in ${lang}`, async () => {
    const context = await chrome.browser.newContext({
      locale: lang === "en" ? "en-US" : "zh-CN",
      timezoneId: lang === "en" ? "America/New_York" : "Asia/Shanghai",
      viewport: { width: 1280, height: 900 },
    });
    const page = await watchedPage(context);
    const b = server.base;
    const go = (path) => page.goto(`${b}${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);

    await shoot(page, "login", lang, 200, await go("/login"));
    await signIn(page, b, "seller-us", server.logins["seller-us"]);
    await shoot(page, "products", lang, 200, await go("/products"));

    // The two steps of a batch delist, stopped before Confirm.
    await go("/products?state=on_sale");
    await page.locator("tbody input[name=product_ids]").nth(0).check();
    await page.locator("tbody input[name=product_ids]").nth(1).check();
    const [reasonForm] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/products/delist")),
      page.waitForNavigation({ waitUntil: "load" }),
      page.click(".batch-bar button[type=submit]"),
    ]);
    await shoot(page, "delist-reason", lang, 200, reasonForm);
    await page.selectOption("#reason_code", "slow_selling");
    await page.fill("#reason_text", lang === "en" ? "Sold fewer than 3 a month" : "月销量不足 3 件");
    // The classifier's suggestion appears under the text as it is typed (htmx).
    await page.waitForFunction(() => document.querySelector("#reason-suggestion").textContent.includes("%"));
    const suggested = await page.textContent("#reason-suggestion");
    assert.match(suggested, lang === "en" ? /Suggested reason/ : /建议的下架原因/, suggested);
    const [check] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/products/delist/check")),
      page.waitForNavigation({ waitUntil: "load" }),
      page.click("form button[type=submit]:not(.link)"),
    ]);
    await shoot(page, "delist-check", lang, 200, check);

    // A product taken down for a violation, and its report.
    await go("/products?state=delisted&delist_kind=violation");
    assert.ok(await page.locator("tbody tr td:nth-child(2) a").count() > 0, "the demo store has a product taken down");
    const productHref = await page.locator("tbody tr td:nth-child(2) a").first().getAttribute("href");
    await shoot(page, "product", lang, 200, await go(productHref));
    assert.ok(await page.locator('a[href^="/violations/"]').count() > 0, "the product page links its violation report");
    const reportHref = await page.locator('a[href^="/violations/"]').first().getAttribute("href");
    await shoot(page, "violation", lang, 200, await go(reportHref));
    assert.ok(await page.locator("#advice li").count() > 0, "the report carries rectification advice");

    // The weekly review: the score, its parts, two charts and the CSV download.
    await shoot(page, "reports-weekly", lang, 200, await go("/reports/weekly"));
    assert.equal(await page.locator("figure.chart svg[role=img]").count(), 2, "two charts");
    assert.match(await page.textContent("#compliance-score"), /^\d+$/);
    const csvHref = await page.locator('a[download][href^="/reports/weekly.csv"]').getAttribute("href");
    const csv = await page.request.get(`${b}${csvHref}`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()["content-type"], /^text\/csv/);
    assert.match(await csv.text(), /^store_id,week,section,key,value\n/);

    await shoot(page, "inbox", lang, 200, await go("/inbox"));
    await shoot(page, "aftersales", lang, 200, await go("/aftersales"));
    assert.ok(await page.locator('tbody a[href^="/aftersales/cases/"]').count() > 0, "the demo store has after-sales cases");
    const caseHref = await page.locator('tbody a[href^="/aftersales/cases/"]').first().getAttribute("href");
    await shoot(page, "aftersales-case", lang, 200, await go(caseHref));
    await shoot(page, "tickets", lang, 200, await go("/aftersales/tickets"));
    assert.ok(await page.locator('tbody a[href^="/aftersales/tickets/"]').count() > 0, "the demo store has tickets");
    const ticketHref = await page.locator('tbody a[href^="/aftersales/tickets/"]').first().getAttribute("href");
    await shoot(page, "ticket", lang, 200, await go(ticketHref));
    await shoot(page, "reshipments", lang, 200, await go("/aftersales/reshipments"));
    await shoot(page, "aftersales-settings", lang, 200, await go("/aftersales/settings"));
    assert.ok(await page.locator("#warehouses tbody tr").count() > 0, "the demo store has a return warehouse");
    assert.ok(await page.locator("#policies tbody tr").count() > 0, "and a refund-only policy");
    await shoot(page, "team", lang, 200, await go("/team"));
    await shoot(page, "stock", lang, 200, await go("/stock"));
    assert.ok(await page.locator("#low-stock tbody tr").count() > 0, "the demo store has SKUs below their threshold");
    assert.ok(await page.locator("#low-stock ol.suppliers li").count() > 0, "with their suppliers ranked");
    await shoot(page, "programs-affiliate", lang, 200, await go("/programs/affiliate"));
    assert.ok(await page.locator("#enrolled tbody tr").count() >= 2, "the demo's products are in the affiliate program");
    await shoot(page, "programs-fully-managed", lang, 200, await go("/programs/fully-managed"));
    assert.ok(await page.locator("section.application").count() === 1, "the demo's application is under review");
    await shoot(page, "programs-deposit", lang, 200, await go("/programs/deposit"));
    await shoot(page, "not-found", lang, 404, await go("/products/00000000-0000-7000-8000-000000000000"));
    assert.deepEqual(page.problems, [], "no script error or CSP refusal");
    await context.close();
  });
}

// The platform staff's pages on the same demo data: the reviewer's, customer service's and
// the admin's, each in both languages, checked and photographed the same way.
for (const lang of ["en", "zh-CN"]) {
  test(`every staff page in ${lang}`, async () => {
    const b = server.base;
    const open = async (login) => {
      const context = await chrome.browser.newContext({
        locale: lang === "en" ? "en-US" : "zh-CN",
        timezoneId: lang === "en" ? "America/New_York" : "Asia/Shanghai",
        viewport: { width: 1280, height: 900 },
      });
      const page = await watchedPage(context);
      await signIn(page, b, login, server.logins[login]);
      const go = (path) => page.goto(`${b}${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
      return { context, page, go };
    };

    const r = await open("reviewer");
    await shoot(r.page, "review", lang, 200, await r.go("/review"));
    await shoot(r.page, "review-violations", lang, 200, await r.go("/review/violations"));
    await shoot(r.page, "review-relist", lang, 200, await r.go("/review/relist"));
    assert.ok(await r.page.locator("tbody tr[data-case] a").count() > 0, "the demo has relist reviews waiting");
    const caseHref = await r.page.locator("tbody tr[data-case] a").first().getAttribute("href");
    await shoot(r.page, "review-case", lang, 200, await r.go(caseHref));
    await shoot(r.page, "review-appeals", lang, 200, await r.go("/review/appeals"));
    await shoot(r.page, "review-products", lang, 200, await r.go("/review/products?site=US"));
    const productHref = await r.page.locator("tbody tr[data-product] a").first().getAttribute("href");
    await shoot(r.page, "takedown", lang, 200, await r.go(productHref));
    assert.deepEqual(r.page.problems, [], "no script error or CSP refusal (reviewer)");
    await r.context.close();

    const c = await open("service");
    await shoot(c.page, "cs-tickets", lang, 200, await c.go("/cs/tickets"));
    assert.ok(await c.page.locator("tbody tr[data-ticket] a").count() > 0, "the demo has tickets");
    const ticketHref = await c.page.locator("tbody tr[data-ticket] a").first().getAttribute("href");
    await shoot(c.page, "cs-ticket", lang, 200, await c.go(ticketHref));
    const orderHref = await c.page.locator('dd a[href^="/cs/orders/"]').getAttribute("href");
    await shoot(c.page, "cs-order", lang, 200, await c.go(orderHref));
    assert.deepEqual(c.page.problems, [], "no script error or CSP refusal (customer service)");
    await c.context.close();

    const a = await open("operator");
    await shoot(a.page, "admin-stores", lang, 200, await a.go("/admin/stores"));
    const storeHref = await a.page.locator("tbody tr[data-store] a").first().getAttribute("href");
    await shoot(a.page, "admin-store", lang, 200, await a.go(storeHref));
    await shoot(a.page, "admin-clock", lang, 200, await a.go("/admin/clock"));
    await shoot(a.page, "admin-users", lang, 200, await a.go("/admin/users"));
    await shoot(a.page, "admin-rules", lang, 200, await a.go("/admin/rules"));
    await shoot(a.page, "admin-notifications", lang, 200, await a.go("/admin/notification-rules"));
    await shoot(a.page, "admin-calendars", lang, 200, await a.go("/admin/calendars?site=CN"));
    assert.ok(await a.page.locator("#year-view td.holiday").count() > 0, "the CN year shows its holidays");
    await shoot(a.page, "admin-audit", lang, 200, await a.go("/admin/audit"));
    await shoot(a.page, "admin-programs", lang, 200, await a.go("/admin/programs"));
    const applicationHref = await a.page.locator("#applications tbody a").first().getAttribute("href");
    await shoot(a.page, "admin-application", lang, 200, await a.go(applicationHref));
    await shoot(a.page, "reports-platform", lang, 200, await a.go("/reports/weekly"));
    assert.ok(await a.page.locator("tbody tr").count() > 0, "every store's week");
    assert.deepEqual(a.page.problems, [], "no script error or CSP refusal (admin)");
    await a.context.close();
  });
}
