// The store's stock and after-sales settings in headless Chromium: the low-stock list with
// its restock suggestion and ranked suppliers, a pre-sale started (and a date too far out
// refused on the page), return warehouses added, made default and deleted, a refund-only
// policy refused with the field named and then added, the label setting saved — each
// change read back through the JSON API. axe-core runs inside every page on the way.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ADMIN_TOKEN, PASSWORD, assertAccessible, launch, must, signIn, startServer, watchedPage } from "./world.mjs";

let server;
let chrome;
let page;
const w = {};

async function submit(selector) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.waitForNavigation({ waitUntil: "load" }),
    page.click(selector),
  ]);
  return res;
}

/** A civil date `days` from now (UTC's; a pre-sale window is days wide, so the zone is moot). */
function inDays(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

before(async () => {
  server = await startServer();
  const b = server.base;
  w.store = (await must(b, "POST", "/api/v1/stores", ADMIN_TOKEN, { name: "Tea House", site: "US", fulfilment_mode: "self_operated" }, 201)).id;
  w.seller = (await must(b, "POST", "/api/v1/users", ADMIN_TOKEN, { name: "Mei Owner", role: "seller", store_id: w.store, login: "mei", password: PASSWORD }, 201)).token;
  const p = await must(b, "POST", `/api/v1/stores/${w.store}/products`, w.seller, {
    title: "Teapot", category: "home_kitchen",
    skus: [{ code: "POT-FEW", price: "30.00", stock: 3 }, { code: "POT-MANY", price: "30.00", stock: 80 }],
  }, 201);
  await must(b, "POST", `/api/v1/products/${p.id}/list`, w.seller, {}, 200);
  w.few = p.skus[0].id;
  const caddy = await must(b, "POST", `/api/v1/stores/${w.store}/products`, w.seller, {
    title: "Tea Caddy", category: "home_kitchen", skus: [{ code: "CADDY-EMPTY", price: "12.00", stock: 2 }],
  }, 201);
  await must(b, "POST", `/api/v1/products/${caddy.id}/list`, w.seller, {}, 200);
  w.product = caddy.id;
  w.empty = caddy.skus[0].id;
  await must(b, "POST", `/api/v1/skus/${w.empty}/adjustments`, w.seller, { delta: -2, reason: "broken in the warehouse" }, 200);
  for (const [name, lead, rate, cost] of [["Slow Kiln", 20, "0.99", "4.00"], ["Quick Clay", 3, "0.95", "5.50"]]) {
    const s = await must(b, "POST", `/api/v1/stores/${w.store}/suppliers`, w.seller, { name, lead_time_days: lead, on_time_rate: rate }, 201);
    const res = await fetch(`${b}/api/v1/suppliers/${s.id}/offers/${w.few}`, {
      method: "PUT", headers: { authorization: `Bearer ${w.seller}`, "content-type": "application/json" }, body: JSON.stringify({ unit_cost: cost }),
    });
    assert.equal(res.status, 204);
  }
  chrome = await launch();
  const context = await chrome.browser.newContext({ locale: "en-US", timezoneId: "America/Chicago" });
  page = await watchedPage(context);
  const res = await signIn(page, b, "mei", PASSWORD);
  assert.equal(res.status(), 303);
});

after(async () => {
  if (chrome) await chrome.close();
  if (server) await server.stop();
});

test("the low-stock list shows the emptiest SKU first, the restock suggestion and the suppliers ranked", async () => {
  await page.goto(`${server.base}/stock`);
  const rows = page.locator("#low-stock tbody tr");
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.sku)), ["CADDY-EMPTY", "POT-FEW"]);
  const few = page.locator('tr[data-sku="POT-FEW"]');
  assert.equal(await few.locator("td.available").innerText(), "3");
  assert.match(await few.locator(".restock").innerText(), /^Order \d+ units$/);
  assert.match(await few.innerText(), /3 days to arrive/, "the best supplier's lead time");
  assert.deepEqual(
    await few.locator("ol.suppliers li").evaluateAll((lis) => lis.map((li) => li.textContent.split(" · ")[0])),
    ["Quick Clay", "Slow Kiln"],
  );
  assert.match(await few.locator("ol.suppliers li").first().innerText(), /5\.50 USD a unit, 95 % on time/);
  assert.equal(await few.locator("form.presale-form").count(), 0, "3 available: no pre-sale");
  assert.equal(await page.locator('tr[data-sku="POT-MANY"]').count(), 0);
  await assertAccessible(page, "the stock page");
});

test("a pre-sale too far out is refused on the page; within 15 days it starts and the product sells again", async () => {
  const before = await must(server.base, "GET", `/api/v1/products/${w.product}`, w.seller, undefined, 200);
  assert.equal(before.state, "delisted", "a sold-out SKU delisted the product protectively");
  const empty = 'tr[data-sku="CADDY-EMPTY"]';
  await page.fill(`${empty} input[name=ship_by]`, inDays(20));
  await page.fill(`${empty} input[name=cap]`, "30");
  const refused = await submit(`${empty} form.presale-form button[type=submit]`);
  assert.equal(refused.status(), 422);
  assert.match(await page.locator("[role=alert]").innerText(), /ship_by: must be at most 15 days ahead/);
  await assertAccessible(page, "the stock page with a refusal");

  await page.fill(`${empty} input[name=ship_by]`, inDays(10));
  await page.fill(`${empty} input[name=cap]`, "30");
  await submit(`${empty} form.presale-form button[type=submit]`);
  assert.match(await page.locator("[role=status]").innerText(), /Pre-sale started/);
  assert.match(await page.locator(`${empty} .presale`).innerText(), /On pre-sale until .*: 0 of 30 sold/);
  assert.equal(await page.locator(`${empty} form.presale-form`).count(), 0);
  const stock = await must(server.base, "GET", `/api/v1/skus/${w.empty}/stock`, w.seller, undefined, 200);
  assert.equal(stock.presale.active, true);
  assert.equal(stock.presale.cap, 30);
  const after = await must(server.base, "GET", `/api/v1/products/${w.product}`, w.seller, undefined, 200);
  assert.equal(after.state, "on_sale", "pre-sale relists the protectively delisted product");
});

test("return warehouses: the first is the country's default, another is made default, the old one deleted", async () => {
  await page.goto(`${server.base}/aftersales/settings`);
  assert.match(await page.locator("#negotiated").innerText(), /not enabled/);
  await page.fill("#w-country", "us");
  await page.fill("#w-name", "Chicago Returns");
  await page.fill("#w-address", "1 Lake St\nChicago IL");
  await submit("#warehouse-form button[type=submit]");
  assert.match(await page.locator("[role=status]").innerText(), /Saved/);
  await page.fill("#w-country", "US");
  await page.fill("#w-name", "Dallas Returns");
  await page.fill("#w-address", "2 Elm St\nDallas TX");
  await submit("#warehouse-form button[type=submit]");
  const defaults = async () => page.locator("#warehouses tbody tr").evaluateAll((trs) =>
    trs.filter((tr) => tr.querySelector(".label-green")).map((tr) => tr.dataset.warehouse));
  assert.deepEqual(await defaults(), ["Chicago Returns"]);
  assert.equal(await page.locator('tr[data-warehouse="Chicago Returns"] button').count(), 0, "a default cannot be deleted");
  await submit('tr[data-warehouse="Dallas Returns"] form[action$="/default"] button');
  assert.deepEqual(await defaults(), ["Dallas Returns"]);
  await submit('tr[data-warehouse="Chicago Returns"] form[action$="/delete"] button');
  const listed = await must(server.base, "GET", `/api/v1/stores/${w.store}/return-warehouses`, w.seller, undefined, 200);
  assert.deepEqual(listed.map((x) => [x.country, x.name, x.address, x.is_default]), [["US", "Dallas Returns", "2 Elm St\nDallas TX", true]]);
  await assertAccessible(page, "the after-sales settings page");
});

test("a refund-only policy with a ratio out of range comes back with the field named and the typed values kept", async () => {
  await page.goto(`${server.base}/aftersales/settings`);
  await page.selectOption("#p-reason", "damaged");
  await page.fill("#p-ceiling", "15.00");
  await page.fill("#p-ratio", "3");
  // The browser's own check would stop 3 (min 5); the server's is the one that counts.
  await page.$eval("#policy-form", (f) => f.setAttribute("novalidate", ""));
  const refused = await submit("#policy-form button[type=submit]");
  assert.equal(refused.status(), 422);
  assert.match(await page.locator("[role=alert]").innerText(), /ratio_percent: must be a whole percentage between 5 and 100/);
  assert.equal(await page.inputValue("#p-ceiling"), "15.00");
  assert.equal(await page.inputValue("#p-reason"), "damaged");
  assert.equal((await must(server.base, "GET", `/api/v1/stores/${w.store}/refund-policies`, w.seller, undefined, 200)).length, 0);

  await page.fill("#p-ratio", "50");
  await submit("#policy-form button[type=submit]");
  assert.match(await page.locator("#policies tbody tr").first().innerText(), /Arrived damaged\s+15(\.00)? USD\s+50 %/);
  const policies = await must(server.base, "GET", `/api/v1/stores/${w.store}/refund-policies`, w.seller, undefined, 200);
  assert.equal(policies.length, 1);
  await submit("#policies tbody tr form button");
  assert.equal(await page.locator("#policies").count(), 0);
  assert.equal((await must(server.base, "GET", `/api/v1/stores/${w.store}/refund-policies`, w.seller, undefined, 200)).length, 0);
});

test("the label setting is saved, and the page reads in Chinese", async () => {
  await page.goto(`${server.base}/aftersales/settings`);
  await page.check("input[name=uploads_labels]");
  await submit("#labels-form button[type=submit]");
  const s = await must(server.base, "GET", `/api/v1/stores/${w.store}/aftersales-settings`, w.seller, undefined, 200);
  assert.equal(s.uploads_labels, true);
  assert.equal(await page.isChecked("input[name=uploads_labels]"), true);
  await page.goto(`${server.base}/aftersales/settings?lang=zh-CN`);
  assert.equal(await page.locator("#warehouses-h").innerText(), "退货仓");
  assert.equal(await page.locator("#policies-h").innerText(), "仅退款策略");
  await page.goto(`${server.base}/stock`);
  assert.equal(await page.locator("h1").innerText(), "库存预警");
  await assertAccessible(page, "the stock page in Chinese");
  await page.goto(`${server.base}/stock?lang=en`);
  assert.deepEqual(page.problems, [], "no script error or CSP refusal");
});
