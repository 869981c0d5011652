// The platform's side of the console, in headless Chromium on the sandbox clock (Friday
// 2027-01-08 10:00 in Shanghai): a reviewer finds a listing across stores and takes it down
// as serious (24 h shown before confirming); the seller edits and rectifies; the reviewer
// sees the edit as before → after in the relist queue and approves, and the seller's inbox
// says so; an appeal upheld relists; customer service opens a ticket the seller answers; an
// admin's make-up working day moves the next ticket's answer-by time; a disabled account's
// session and token stop at once; two reviewers cannot hold one case; a seller is refused
// every staff page. Customer service opens an after-sales case and a reshipment request for
// a buyer; an admin suspends and reinstates a store and moves the sandbox clock. Every
// state-changing request staff make — in these browsers or through the API — is counted,
// and the audit log must hold exactly that many rows.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  ADMIN_TOKEN, PASSWORD, PNG, api, assertAccessible, launch, signIn, startServer, watchedPage,
} from "./world.mjs";

let server;
let chrome;
const w = {};
/** State-changing requests by staff: API calls counted as made, console requests by their answer's status. */
let staffApiWrites = 0;
const staffPageRequests = [];
const staffTokens = new Set([ADMIN_TOKEN]);

/** An API call that must answer `want`; staff writes that succeed are counted. */
async function call(method, path, token, body, want) {
  const r = await api(server.base, method, path, token, body);
  assert.equal(r.status, want, `${method} ${path}: ${JSON.stringify(r.body)}`);
  if (staffTokens.has(token) && method !== "GET" && r.status < 400) staffApiWrites += 1;
  return r.body;
}

/** A browser of one person; a staff member's non-GET requests are kept for the count. */
async function person(login, { staff = false } = {}) {
  const context = await chrome.browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  const page = await watchedPage(context);
  if (staff) {
    page.on("request", (req) => {
      if (req.method() !== "GET" && !req.url().endsWith("/login")) {
        staffPageRequests.push(req.response().then((r) => (r ? r.status() : 0), () => 0));
      }
    });
  }
  const res = await signIn(page, server.base, login, PASSWORD);
  assert.ok(res.status() === 303 || res.status() === 200, `${login} signed in: ${res.status()}`);
  return page;
}

async function go(page, path) {
  const res = await page.goto(`${server.base}${path}`);
  return res;
}

/** Clicks a control that submits a form and waits for the page it leads to. */
async function submit(page, selector) {
  const [res] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.click(selector),
  ]);
  return res;
}

async function product(title) {
  const p = await call("POST", `/api/v1/stores/${w.store}/products`, w.sellerToken, {
    title, category: "home_kitchen", skus: [{ code: `SKU-${title.replace(/\W+/g, "-")}`, price: "39.00", stock: 20 }],
  }, 201);
  await call("POST", `/api/v1/products/${p.id}/list`, w.sellerToken, {}, 200);
  return p;
}

async function account(name, role, login, store) {
  const u = await call("POST", "/api/v1/users", ADMIN_TOKEN, {
    name, role, login, password: PASSWORD, store_id: store, language: "en",
  }, 201);
  if (role !== "seller") staffTokens.add(u.token);
  return u;
}

before(async () => {
  server = await startServer({ clock: "manual" });
  chrome = await launch();
  await call("POST", "/api/v1/admin/clock", ADMIN_TOKEN, { set_to: "2027-01-08T02:00:00Z" }, 200);
  w.store = (await call("POST", "/api/v1/stores", ADMIN_TOKEN, { name: "杭州竹器店", site: "CN", fulfilment_mode: "self_operated" }, 201)).id;
  const lin = await account("Lin Seller", "seller", "lin", w.store);
  w.sellerToken = lin.token;
  w.rita = await account("Rita Reviewer", "reviewer", "rita");
  w.ravi = await account("Ravi Reviewer", "reviewer", "ravi");
  w.chen = await account("Chen CS", "cs_agent", "chen");
  w.olga = await account("Olga Admin", "admin", "olga");
  w.dan = await account("Dan Seller", "seller", "dan", w.store);
  w.steamer = await product("Bamboo Steamer");
  w.fan = await product("Silk Fan");
  const kettle = await product("Copper Kettle");
  w.order = (await call("POST", "/api/v1/orders", ADMIN_TOKEN, {
    store_id: w.store, lines: [{ sku_id: kettle.skus[0].id, quantity: 1, unit_price: "39.00" }],
  }, 201)).id;
  const rules = await call("GET", "/api/v1/rules", ADMIN_TOKEN, undefined, 200);
  w.rule = rules.find((r) => !r.retired_at && (r.sites.length === 0 || r.sites.includes("CN")));
  assert.ok(w.rule, "a clause that applies on CN");

  w.reviewer = await person("rita", { staff: true });
  w.seller = await person("lin");
  w.cs = await person("chen", { staff: true });
  w.admin = await person("olga", { staff: true });
});

after(async () => {
  if (chrome) await chrome.close();
  if (server) await server.stop();
});

test("a reviewer finds a listing across stores and takes it down as serious: 24 h, shown before confirming", async () => {
  const p = w.reviewer;
  assert.equal(new URL(p.url()).pathname, "/review", "a reviewer starts on the review desk");
  await assertAccessible(p, "review desk");
  await go(p, "/review/products");
  await p.fill("#s-q", "bamboo");
  await p.selectOption("#s-site", "CN");
  await submit(p, "form[role=search] button[type=submit]");
  await submit(p, `tr[data-product="${w.steamer.id}"] a`);
  assert.equal(new URL(p.url()).pathname, `/review/products/${w.steamer.id}`);
  await assertAccessible(p, "take-down form");
  assert.equal(await p.locator('[data-due="serious"]').innerText(), "2027-01-09 10:00 (Asia/Shanghai)");
  assert.equal(await p.locator('[data-due="normal"]').innerText(), "2027-01-11 10:00 (Asia/Shanghai)");
  await p.check(`input[name=rule_code][value="${w.rule.code}"]`);
  await p.check("#sev-serious");
  await p.fill("#details", "The main image is a competitor's photo.");
  await p.setInputFiles("#td-evidence", { name: "proof.png", mimeType: "image/png", buffer: PNG });
  await submit(p, "#takedown-form button[type=submit]");
  const m = new URL(p.url()).pathname.match(/^\/review\/violations\/([0-9a-f-]+)$/);
  assert.ok(m, `the case page follows: ${p.url()}`);
  w.case = m[1];
  assert.equal(await p.locator("#deadline").innerText(), "2027-01-09 10:00 (Asia/Shanghai)");
  const v = await call("GET", `/api/v1/violations/${w.case}`, ADMIN_TOKEN, undefined, 200);
  assert.equal(v.severity, "serious");
  assert.equal(Date.parse(v.rectify_due_at) - Date.parse("2027-01-08T02:00:00Z"), 24 * 3600 * 1000);
  assert.equal(v.evidence_ids.length, 1, "the evidence went with it");
  const pr = await call("GET", `/api/v1/products/${w.steamer.id}`, ADMIN_TOKEN, undefined, 200);
  assert.equal(pr.label, "red");
  assert.deepEqual(p.problems, []);
});

test("the seller edits and rectifies; the reviewer sees the edit as before → after, claims and approves; the seller's inbox says so", async () => {
  const s = w.seller;
  // The takedown's two red messages reach the seller's inbox first: one arriving later
  // would open its modal alert over the edit form, as it would for a real seller.
  let red = [];
  for (let i = 0; i < 100 && red.length < 2; i += 1) {
    const inbox = await call("GET", "/api/v1/inbox?unread=true", w.sellerToken, undefined, 200);
    red = inbox.items.filter((m) => m.severity === "red" && m.subject_id === w.steamer.id);
    if (red.length < 2) await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.equal(red.length, 2, "the takedown notice and the violation report reach the seller");
  await go(s, `/products/${w.steamer.id}`);
  await s.fill("#e-title", "Bamboo Steamer (own photo)");
  await submit(s, "form[action$='/edit'] button[type=submit]");
  await go(s, `/violations/${w.case}`);
  await s.fill("#plan", "Replaced the main image with our own photo.");
  await submit(s, "#rectify-form button[type=submit]");
  await submit(s, "#relist-form button[type=submit]");
  assert.equal((await call("GET", `/api/v1/products/${w.steamer.id}`, ADMIN_TOKEN, undefined, 200)).state, "pending_review");

  const p = w.reviewer;
  await go(p, "/review/relist");
  await assertAccessible(p, "relist queue");
  await submit(p, `tr[data-case="${w.case}"] a`);
  const diff = p.locator('tr[data-field="title"]');
  assert.equal(await diff.locator("del").innerText(), "Bamboo Steamer");
  assert.equal(await diff.locator("ins").innerText(), "Bamboo Steamer (own photo)");
  assert.match(await p.locator(".clause").innerText(), new RegExp(w.rule.code));
  await submit(p, "form[action$='/claim'] button");
  assert.match(await p.locator("#claim-state").innerText(), /Claimed by Rita Reviewer/);
  await assertAccessible(p, "case page (claimed)");

  // A second reviewer sees who holds it, has no claim button, and is refused the decision.
  const ravi = await person("ravi", { staff: true });
  await go(ravi, `/review/violations/${w.case}`);
  assert.match(await ravi.locator("#claim-state").innerText(), /Rita Reviewer/);
  assert.equal(await ravi.locator("form[action$='/claim']").count(), 0);
  const refused = await submit(ravi, "#relist-decision button[value=approve]");
  assert.equal(refused.status(), 409);
  assert.match(await ravi.locator("main").innerText(), /another reviewer/);
  const forced = await ravi.evaluate(async (url) => {
    const token = document.querySelector("meta[name=csrf-token]").content;
    const r = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `csrf_token=${token}`, redirect: "manual" });
    return r.status;
  }, `${server.base}/review/violations/${w.case}/claim`);
  assert.equal(forced, 409, "nor can the second reviewer take the claim by posting the form");
  assert.equal((await call("GET", `/api/v1/products/${w.steamer.id}`, ADMIN_TOKEN, undefined, 200)).state, "pending_review");
  await ravi.context().close();

  await p.fill("#relist-note", "Photo is your own now.");
  await submit(p, "#relist-decision button[value=approve]");
  assert.equal(await p.locator("#progress").innerText(), "Closed");
  assert.equal((await call("GET", `/api/v1/products/${w.steamer.id}`, ADMIN_TOKEN, undefined, 200)).state, "on_sale");

  let inbox = "";
  for (let i = 0; i < 50 && !/Review approved/.test(inbox); i += 1) {
    await go(s, "/inbox");
    inbox = await s.locator("main").innerText();
    if (!/Review approved/.test(inbox)) await new Promise((ok) => setTimeout(ok, 200));
  }
  assert.match(inbox, /Review approved: product on sale/);
});

test("an appeal upheld relists the product", async () => {
  const v = await call("POST", `/api/v1/products/${w.fan.id}/violations`, w.rita.token, {
    rule_code: w.rule.code, severity: "normal", details: "Looks like a counterfeit.",
  }, 201);
  await call("POST", `/api/v1/violations/${v.id}/appeals`, w.sellerToken, { statement: "We make these fans ourselves; invoices attached." }, 200);
  const p = w.reviewer;
  await go(p, "/review/appeals");
  await assertAccessible(p, "appeal queue");
  await submit(p, `tr[data-case="${v.id}"] a`);
  await p.fill("#appeal-note", "Invoices check out.");
  await submit(p, "#appeal-decision button[value=uphold]");
  const pr = await call("GET", `/api/v1/products/${w.fan.id}`, ADMIN_TOKEN, undefined, 200);
  assert.equal(pr.state, "on_sale");
  assert.equal((await call("GET", `/api/v1/violations/${v.id}`, ADMIN_TOKEN, undefined, 200)).progress, "closed");
});

/** Customer service opens a ticket on the order; answers the ticket page's answer-by time. */
async function openTicket(body) {
  const c = w.cs;
  await go(c, "/cs/tickets");
  await c.click("details.panel summary");
  await c.fill("#t-order", w.order);
  await c.selectOption("#t-kind", "urge_shipment");
  await c.fill("#t-body", body);
  await submit(c, "#open-ticket button[type=submit]");
  const m = new URL(c.url()).pathname.match(/^\/cs\/tickets\/([0-9a-f-]+)$/);
  assert.ok(m, `the ticket page follows: ${c.url()}`);
  return { id: m[1], due: await c.locator("#ticket-due").innerText() };
}

test("customer service opens a ticket that the seller answers", async () => {
  const t = await openTicket("The buyer asks when the kettle ships.");
  assert.equal(t.due, "2027-01-11 10:00 (Asia/Shanghai)", "one business day: Friday's ticket is due Monday");
  await assertAccessible(w.cs, "ticket (customer service)");
  const s = w.seller;
  await go(s, `/aftersales/tickets/${t.id}`);
  await s.fill("#r-body", "It ships tomorrow morning.");
  await submit(s, "#reply-form button[type=submit]");
  await go(w.cs, `/cs/tickets/${t.id}`);
  assert.match(await w.cs.locator("#thread").innerText(), /It ships tomorrow morning\./);
  assert.equal(await w.cs.locator("#ticket-state").innerText(), "Answered");
});

test("an admin adds a make-up working day on CN and the next ticket's answer-by time moves to it", async () => {
  const a = w.admin;
  await go(a, "/admin/calendars?site=CN");
  await assertAccessible(a, "calendars");
  await a.fill("#d-date", "2027-01-09");
  await a.selectOption("#d-kind", "workday");
  await a.fill("#d-name", "调休 make-up day");
  await submit(a, "#add-day button[type=submit]");
  assert.equal(await a.locator('tr[data-day="2027-01-09"] td').nth(1).innerText(), "Make-up working day");
  const t = await openTicket("The buyer asks again.");
  assert.equal(t.due, "2027-01-09 10:00 (Asia/Shanghai)", "Saturday is now a working day");
});

test("an admin disables an account: its session and its token stop at once", async () => {
  const dan = await person("dan");
  assert.equal((await go(dan, "/products")).status(), 200);
  await call("GET", `/api/v1/stores/${w.store}`, w.dan.token, undefined, 200);
  const a = w.admin;
  await go(a, "/admin/users");
  await assertAccessible(a, "accounts");
  await submit(a, `tr[data-user="${w.dan.id}"] form button`);
  assert.match(await a.locator(`tr[data-user="${w.dan.id}"]`).innerText(), /Disabled/);
  await go(dan, "/products");
  assert.equal(new URL(dan.url()).pathname, "/login", "the next page asks to sign in");
  const r = await api(server.base, "GET", `/api/v1/stores/${w.store}`, w.dan.token);
  assert.equal(r.status, 401, "the token is refused on the next request");
  await dan.context().close();
});

test("an admin opens a store, grants it negotiated refunds, adds an account and publishes a clause's new version", async () => {
  const a = w.admin;
  await go(a, "/admin/stores");
  await a.fill("#st-name", "深圳电子店");
  await a.selectOption("#st-site", "CN");
  await a.selectOption("#st-mode", "semi_managed");
  await submit(a, "#add-store button[type=submit]");
  const row = a.locator("tr[data-store]", { hasText: "深圳电子店" });
  assert.match(await row.innerText(), /Semi-managed/);
  await Promise.all([a.waitForNavigation({ waitUntil: "load" }), row.locator("form[action$='/negotiated-refunds'] button").click()]);
  assert.match(await a.locator("tr[data-store]", { hasText: "深圳电子店" }).innerText(), /Enabled/);
  await Promise.all([a.waitForNavigation({ waitUntil: "load" }), row.locator("form[action$='/label-upload'] button").click()]);
  const madeId = await a.locator("tr[data-store]", { hasText: "深圳电子店" }).getAttribute("data-store");
  const settings = await call("GET", `/api/v1/stores/${madeId}/aftersales-settings`, ADMIN_TOKEN, undefined, 200);
  assert.deepEqual([settings.negotiated_enabled, settings.uploads_labels], [true, true]);
  await assertAccessible(a, "stores");

  await go(a, "/admin/users");
  await a.fill("#u-name", "Mei Reviewer");
  await a.selectOption("#u-role", "reviewer");
  await a.fill("#u-login", "mei");
  await a.fill("#u-password", PASSWORD);
  const made = await submit(a, "#add-user button[type=submit]");
  assert.equal(made.status(), 201);
  const first = await a.locator("#created-token code").innerText();
  assert.match(first, /^mdk_[0-9a-f]{64}$/, "the token, shown once");
  const mei = await person("mei");
  assert.equal(new URL(mei.url()).pathname, "/review", "the new reviewer signs in to the review desk");
  await mei.context().close();
  await go(a, "/admin/users");
  const meiRow = a.locator("tr[data-user]", { hasText: "Mei Reviewer" });
  await Promise.all([a.waitForNavigation({ waitUntil: "load" }), meiRow.locator("form[action$='/token'] button").click()]);
  const second = await a.locator("#created-token code").innerText();
  assert.notEqual(second, first);
  assert.equal((await api(server.base, "GET", "/api/v1/violations", first)).status, 401, "the replaced token stopped");
  assert.equal((await api(server.base, "GET", "/api/v1/violations", second)).status, 200);
  await assertAccessible(a, "accounts (a token shown)");

  await go(a, "/admin/rules");
  await assertAccessible(a, "rule clauses");
  const clause = a.locator(`tr[data-rule="${w.rule.code}"]`);
  await clause.locator("summary").click();
  await clause.locator("textarea[name=text]").fill(`${w.rule.text} Photos must be the seller's own.`);
  await clause.locator("input[name=note]").first().fill("Own photos only.");
  await Promise.all([a.waitForNavigation({ waitUntil: "load" }), clause.locator("form[action$='/edit'] button").click()]);
  const rules = await call("GET", "/api/v1/rules", ADMIN_TOKEN, undefined, 200);
  const now = rules.find((r) => r.code === w.rule.code);
  assert.equal(now.version, w.rule.version + 1, "a new version");
  assert.match(now.text, /seller's own/);
  await go(a, "/admin/notification-rules");
  await assertAccessible(a, "notification rules");
});

/** A form post from the page's own session (CSRF token included), as a script would send it. */
async function postFrom(page, path, body) {
  return page.evaluate(async ({ url, body }) => {
    const token = document.querySelector("meta[name=csrf-token]").content;
    const r = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `csrf_token=${token}&${body}`, redirect: "manual" });
    return { status: r.status, text: await r.text() };
  }, { url: `${server.base}${path}`, body });
}

test("customer service opens an after-sales case and a reshipment request for a buyer from the order", async () => {
  await call("POST", `/api/v1/orders/${w.order}/ship`, w.sellerToken, {}, 200);
  await call("POST", `/api/v1/orders/${w.order}/deliver`, w.sellerToken, {}, 200);
  const c = w.cs;
  await go(c, "/cs/tickets");
  await c.fill("#f-order", w.order);
  await submit(c, "#find-order button[type=submit]");
  assert.equal(new URL(c.url()).pathname, `/cs/orders/${w.order}`);
  assert.equal(await c.locator(".order-state").innerText(), "Delivered");
  await assertAccessible(c, "an order (customer service)");

  // A delivered order cannot be cancelled: the service's refusal, on the page.
  await c.click("#cases-h ~ details summary");
  await c.selectOption("#c-type", "cancellation");
  await c.fill("#c-reason-text", "The buyer no longer wants it.");
  const refused = await submit(c, "#open-case button[type=submit]");
  assert.equal(refused.status(), 409);
  assert.ok(await c.locator(".error-summary").isVisible());
  assert.equal((await call("GET", `/api/v1/aftersales?order_id=${w.order}`, ADMIN_TOKEN, undefined, 200)).items.length, 0);

  await c.selectOption("#c-type", "return_refund");
  await c.selectOption("#c-line", { index: 1 });
  await c.selectOption("#c-reason", "damaged");
  await c.fill("#c-reason-text", "");
  await c.fill("#c-note", "The spout arrived bent.");
  await submit(c, "#open-case button[type=submit]");
  const cases = (await call("GET", `/api/v1/aftersales?order_id=${w.order}`, ADMIN_TOKEN, undefined, 200)).items;
  assert.equal(cases.length, 1);
  assert.equal(cases[0].type, "return_refund");
  assert.equal(cases[0].reason, "damaged");
  const row = c.locator("#order-cases tbody tr");
  assert.match(await row.innerText(), /Return and refund/);
  assert.match(await row.innerText(), /39\.00 CNY/);

  await c.click("#reship-h ~ details summary");
  await c.fill("#r-reason", "Replacement lid, the first one cracked.");
  await submit(c, "#request-reshipment button[type=submit]");
  const reship = c.locator("#order-reshipments tbody tr");
  assert.match(await reship.innerText(), /Requested/);
  assert.match(await reship.innerText(), /2027-01-15 10:00 \(Asia\/Shanghai\)/, "7 calendar days to decide");
  await assertAccessible(c, "an order with a case and a reshipment request");

  await go(w.seller, "/aftersales");
  assert.match(await w.seller.locator("main").innerText(), /Return and refund/, "the seller's queue has the case");
  assert.deepEqual(c.problems, []);
});

test("the seller approves the reshipment with a tracking number; customer service sees it", async () => {
  const s = w.seller;
  await go(s, "/aftersales/reshipments");
  await assertAccessible(s, "reshipments (seller)");
  const row = s.locator("#reshipments tbody tr", { hasText: "Replacement lid" });
  assert.equal(await row.locator(".state").innerText(), "Requested");
  assert.equal(await row.locator(".due").innerText(), "2027-01-15 10:00 (Asia/Shanghai)");
  await row.locator("select[name=carrier]").selectOption("sf_express");
  await row.locator("input[name=tracking_number]").fill("SF1234567890");
  await Promise.all([s.waitForNavigation({ waitUntil: "load" }), row.locator("form.approve button").click()]);
  const done = s.locator("#reshipments tbody tr", { hasText: "Replacement lid" });
  assert.equal(await done.locator(".state").innerText(), "Approved");
  assert.match(await done.innerText(), /sf_express SF1234567890/);
  await go(w.cs, `/cs/orders/${w.order}`);
  assert.match(await w.cs.locator("#order-reshipments tbody tr").innerText(), /Approved[\s\S]*SF1234567890/);
  assert.deepEqual(s.problems, []);
});

test("an admin suspends a store: nothing sells, its sellers read but change nothing, and reinstatement gives it back", async () => {
  const a = w.admin;
  await go(a, "/admin/stores");
  await submit(a, `tr[data-store="${w.store}"] a`);
  assert.equal(new URL(a.url()).pathname, `/admin/stores/${w.store}`);
  await assertAccessible(a, "a store (active)");
  const why = "Counterfeit complaints under investigation";
  await a.fill("#sd-reason", why);
  await submit(a, "#suspend-store button[type=submit]");
  assert.match(await a.locator(".standing").innerText(), /Suspended since 2027-01-08 10:00 \(Asia\/Shanghai\)/);
  assert.match(await a.locator("#store-timeline").innerText(), new RegExp(`Olga Admin\\s+Suspended\\s+${why}`));
  await assertAccessible(a, "a store (suspended)");

  const s = w.seller;
  await go(s, `/products/${w.fan.id}`);
  assert.match(await s.locator(".suspended").innerText(), new RegExp(why));
  await assertAccessible(s, "a product page of a suspended store");
  const edit = await postFrom(s, `/products/${w.fan.id}/edit`, "title=Silk+Fan+XL");
  assert.equal(edit.status, 403);
  assert.match(edit.text, /Your store is suspended/);
  assert.equal((await call("GET", `/api/v1/products/${w.fan.id}`, ADMIN_TOKEN, undefined, 200)).title, "Silk Fan", "nothing changed");
  const sku = (await call("GET", `/api/v1/products/${w.fan.id}`, ADMIN_TOKEN, undefined, 200)).skus[0].id;
  const order = { store_id: w.store, lines: [{ sku_id: sku, quantity: 1, unit_price: "39.00" }] };
  await call("POST", "/api/v1/orders", ADMIN_TOKEN, order, 409);
  let inbox = "";
  for (let i = 0; i < 50 && !inbox.includes(why); i += 1) {
    await go(s, "/inbox");
    inbox = await s.locator("main").innerText();
  }
  assert.match(inbox, /Store suspended: you can read but not change anything/);
  assert.match(inbox, new RegExp(why));

  await a.fill("#sd-reason", "Supplier invoices verified");
  await submit(a, "#reinstate-store button[type=submit]");
  assert.equal(await a.locator(".standing").innerText(), "Active");
  assert.equal(await a.locator("#store-timeline tbody tr").count(), 2);
  await go(s, `/products/${w.fan.id}`);
  assert.equal(await s.locator(".suspended").count(), 0, "the banner is gone");
  await call("POST", "/api/v1/orders", ADMIN_TOKEN, order, 201);
  assert.deepEqual(a.problems, []);
});

test("an admin moves the sandbox clock forward from the console; the banner follows", async () => {
  const a = w.admin;
  await go(a, "/admin/clock");
  await assertAccessible(a, "sandbox clock");
  assert.equal(await a.locator('tr[data-site="CN"] td').nth(1).innerText(), "2027-01-08 10:00 (Asia/Shanghai)");
  // Hours, not days: a console session left idle for 12 hours of sandbox time ends too.
  await a.fill("#ck-amount", "2");
  await a.selectOption("#ck-unit", "hours");
  await submit(a, "#advance-clock button[type=submit]");
  assert.equal(await a.locator('tr[data-site="CN"] td').nth(1).innerText(), "2027-01-08 12:00 (Asia/Shanghai)");
  assert.equal(await a.locator(".sandbox time").getAttribute("datetime"), "2027-01-08T04:00:00Z");
  await a.selectOption("#ck-site", "CN");
  await a.fill("#ck-at", "2027-01-08T18:30");
  await submit(a, "#set-clock button[type=submit]");
  assert.equal(await a.locator('tr[data-site="CN"] td').nth(1).innerText(), "2027-01-08 18:30 (Asia/Shanghai)");
  await a.fill("#ck-at", "2027-01-01T00:00");
  const back = await submit(a, "#set-clock button[type=submit]");
  assert.equal(back.status(), 409, "the clock only moves forward");
  assert.match(await a.locator(".error-summary").innerText(), /only moves forward/);
  assert.equal((await call("GET", "/api/v1/admin/clock", ADMIN_TOKEN, undefined, 200)).now, "2027-01-08T10:30:00Z");
});

test("a seller's session opens no /review, /cs or /admin page", async () => {
  const s = w.seller;
  const paths = [
    "/review", "/review/violations", "/review/relist", "/review/appeals", "/review/products",
    `/review/products/${w.steamer.id}`, `/review/violations/${w.case}`,
    "/cs/tickets", `/cs/tickets/${w.order}`, `/cs/orders/${w.order}`,
    "/admin/stores", `/admin/stores/${w.store}`, "/admin/clock", "/admin/users", "/admin/calendars", "/admin/rules", "/admin/notification-rules", "/admin/audit",
  ];
  for (const path of paths) {
    const res = await go(s, path);
    assert.equal(res.status(), 403, `${path} answered ${res.status()} to a seller`);
  }
  const posts = [
    `/review/violations/${w.case}/claim`, `/review/products/${w.fan.id}/takedown`, "/cs/tickets",
    `/admin/users/${w.dan.id}/disable`, "/admin/calendars/CN/days", "/admin/stores", "/admin/users",
    "/admin/rules", `/admin/rules/${w.rule.code}/retire`, "/admin/notification-rules/product.delisted",
    `/admin/users/${w.dan.id}/token`, `/admin/users/${w.dan.id}/password`, `/admin/stores/${w.store}/negotiated-refunds`,
    `/admin/stores/${w.store}/label-upload`, `/admin/stores/${w.store}/suspend`, `/admin/stores/${w.store}/reinstate`, "/admin/clock",
    `/cs/orders/${w.order}/cases`, `/cs/orders/${w.order}/reshipments`,
  ];
  for (const path of posts) {
    const status = await s.evaluate(async (url) => {
      const token = document.querySelector("meta[name=csrf-token]").content;
      const r = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `csrf_token=${token}&date=2027-01-10&kind=holiday&name=x`, redirect: "manual" });
      return r.status;
    }, `${server.base}${path}`);
    assert.equal(status, 403, `POST ${path} answered ${status} to a seller`);
  }
});

test("the audit log has one row for every state-changing request staff made", async () => {
  let pages = 0;
  for (const status of await Promise.all(staffPageRequests)) {
    if (status > 0 && status < 400) pages += 1;
  }
  // Take-down, claim, approval, uphold, two tickets, the make-up day, the disabling, a
  // store, its negotiated refunds and label upload, an account, its token replaced, a clause's version, an
  // after-sales case, a reshipment request, a suspension, a reinstatement, two clock moves;
  // refusals (the second reviewer's decision and claim, a delivered order's cancellation,
  // the clock set back: 409) changed nothing and are not counted.
  assert.equal(pages, 20, "the journeys' successful console writes");
  const expected = staffApiWrites + pages;
  const log = await call("GET", "/api/v1/audit?limit=1", ADMIN_TOKEN, undefined, 200);
  assert.equal(log.total, expected, `${staffApiWrites} API writes + ${pages} console writes`);
  const a = w.admin;
  await go(a, "/admin/audit");
  await assertAccessible(a, "audit log");
  assert.match(await a.locator("#audit-total").innerText(), new RegExp(`^${expected} `));
  assert.match(await a.locator("main").innerText(), /calendar\.day_set CN\/2027-01-09/);
});
