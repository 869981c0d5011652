// The store programs in headless Chromium on the sandbox clock (Wednesday 2027-03-03
// 15:00 UTC, 10:00 in New York): a seller enrols products in the affiliate program,
// records a campaign, is refused an exit inside it, previews an exit (nothing changes),
// confirms it and sees the notices; the exit runs at its time. The seller applies for a
// fully-managed store (an individual business is refused on the page), asks the platform
// on the thread; an admin answers with what is missing, approves, and records the deposit
// that opens the store; the new store's seller asks for the deposit back, an admin
// approves with a deduction and pays out, and the ledger sums to zero. Every page is
// axe-clean, in English and in Chinese.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ADMIN_TOKEN, PASSWORD, PNG, assertAccessible, launch, must, signIn, startServer, watchedPage } from "./world.mjs";

let server;
let chrome;
const w = {};

const call = (method, path, token, body, want) => must(server.base, method, path, token, body, want);

async function person(login, locale = "en-US") {
  const context = await chrome.browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await watchedPage(context);
  const res = await signIn(page, server.base, login, PASSWORD);
  assert.ok(res.status() === 303 || res.status() === 200, `${login} signed in: ${res.status()}`);
  return page;
}

async function go(page, path) {
  const res = await page.goto(`${server.base}${path}`);
  assert.equal(res.status(), 200, `${path}: ${res.status()}`);
  return res;
}

async function submit(page, selector) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(selector)]);
  return res;
}

async function onSale(title) {
  const p = await call("POST", `/api/v1/stores/${w.store}/products`, w.sellerToken, {
    title, category: "home_kitchen", skus: [{ code: `SKU-${title.replace(/\W+/g, "-")}`, price: "20.00", stock: 20 }],
  }, 201);
  await call("POST", `/api/v1/products/${p.id}/list`, w.sellerToken, {}, 200);
  return p;
}

before(async () => {
  server = await startServer({ clock: "manual" });
  chrome = await launch();
  await call("POST", "/api/v1/admin/clock", ADMIN_TOKEN, { set_to: "2027-03-03T15:00:00Z" }, 200);
  w.store = (await call("POST", "/api/v1/stores", ADMIN_TOKEN, { name: "Sunrise Lamps", site: "US", fulfilment_mode: "self_operated" }, 201)).id;
  w.sellerToken = (await call("POST", "/api/v1/users", ADMIN_TOKEN, {
    name: "Sam Seller", role: "seller", login: "sam", password: PASSWORD, store_id: w.store, language: "en",
  }, 201)).token;
  await call("POST", "/api/v1/users", ADMIN_TOKEN, { name: "Olga Admin", role: "admin", login: "olga", password: PASSWORD, language: "en" }, 201);
  w.lamp = await onSale("Desk Lamp");
  w.kettle = await onSale("Copper Kettle");
  await call("POST", "/api/v1/orders", ADMIN_TOKEN, {
    store_id: w.store, buyer_id: "buyer-7", affiliate_id: "creator-lena",
    lines: [{ sku_id: w.lamp.skus[0].id, quantity: 2, unit_price: "20.00" }],
  }, 201);
  w.seller = await person("sam");
  w.admin = await person("olga");
});

after(async () => {
  if (chrome) await chrome.close();
  if (server) await server.stop();
});

test("a seller leaves the affiliate program: campaign respected, preview first, buyers told, delisted at the time chosen", async () => {
  const p = w.seller;
  await go(p, "/programs/affiliate");
  await assertAccessible(p, "affiliate program, empty");
  await p.check(`#enrol input[value="${w.lamp.id}"]`);
  await p.check(`#enrol input[value="${w.kettle.id}"]`);
  await p.fill("#commission", "90");
  await submit(p, "#enrol button[type=submit]");
  assert.match(await p.locator(".error-summary").innerText(), /commission_percent/);
  await p.check(`#enrol input[value="${w.lamp.id}"]`);
  await p.check(`#enrol input[value="${w.kettle.id}"]`);
  await p.fill("#commission", "12.5");
  await submit(p, "#enrol button[type=submit]");
  assert.equal(new URL(p.url()).pathname, "/programs/affiliate");
  assert.equal(await p.locator(`#enrolled tr[data-product="${w.lamp.id}"] .orders`).innerText(), "1", "the creator's order is attributed");

  // A campaign on the kettle, Mar 5–7 in New York.
  await p.fill("#campaign-name", "Creators' week");
  await p.check(`#campaign input[value="${w.kettle.id}"]`);
  await p.fill("#starts-at", "2027-03-05T00:00");
  await p.fill("#ends-at", "2027-03-07T00:00");
  await submit(p, "#campaign button[type=submit]");
  assert.match(await p.locator("#campaigns").innerText(), /Creators' week/);
  await assertAccessible(p, "affiliate program with a campaign");

  const leave = async (at) => {
    await p.check(`#exit input[value="${w.lamp.id}"]`);
    await p.check(`#exit input[value="${w.kettle.id}"]`);
    await p.fill("#exit-at", at);
    await p.fill("#buyer-notice", "These lamps leave our creators' program.");
    await p.selectOption("#compensation", "coupon");
    await p.fill("#amount", "3.00");
    return submit(p, "#exit button[type=submit]");
  };
  // Inside the campaign: refused, naming it.
  let res = await leave("2027-03-06T09:00");
  assert.equal(res.status(), 409);
  assert.match(await p.locator(".error-summary").innerText(), /Creators' week/);
  // After it: the preview shows what leaving touches and changes nothing.
  res = await leave("2027-03-08T09:00");
  assert.equal(res.status(), 200);
  assert.equal(await p.locator("#preview .buyers").innerText(), "1");
  await assertAccessible(p, "exit preview");
  let program = await call("GET", `/api/v1/stores/${w.store}/affiliate`, w.sellerToken, undefined, 200);
  assert.equal(program.exits.length, 0, "a preview schedules nothing");
  await submit(p, "#confirm-exit button[type=submit]");
  const m = new URL(p.url()).pathname.match(/^\/programs\/affiliate\/exits\/([0-9a-f-]+)$/);
  assert.ok(m, p.url());
  assert.match(await p.locator("#notices").innerText(), /buyer-7/);
  assert.match(await p.locator("#exit-facts .state").innerText(), /Scheduled/);
  await assertAccessible(p, "scheduled exit");

  // Mar 8 09:00 in New York is 14:00 UTC: a minute before, nothing has left.
  await call("POST", "/api/v1/admin/clock", ADMIN_TOKEN, { set_to: "2027-03-08T13:59:00Z" }, 200);
  assert.equal((await call("GET", `/api/v1/products/${w.lamp.id}`, ADMIN_TOKEN, undefined, 200)).state, "on_sale");
  await call("POST", "/api/v1/admin/clock", ADMIN_TOKEN, { set_to: "2027-03-08T14:00:00Z" }, 200);
  assert.equal((await call("GET", `/api/v1/products/${w.lamp.id}`, ADMIN_TOKEN, undefined, 200)).state, "delisted");
  // Five days on, idle sessions have ended: sign in again.
  await signIn(p, server.base, "sam", PASSWORD);
  await signIn(w.admin, server.base, "olga", PASSWORD);
  await go(p, `/programs/affiliate/exits/${m[1]}`);
  assert.match(await p.locator("#exit-facts .state").innerText(), /Done/);
});

test("a fully-managed store is applied for, answered, approved, opened by its deposit, and its deposit refunded", async () => {
  const p = w.seller;
  await go(p, "/programs/fully-managed");
  await assertAccessible(p, "fully-managed application form");
  const fill = async (entity) => {
    await p.fill("#company", "Sunrise Lamps Co., Ltd.");
    await p.fill("#registration", "91310000MA1FL0002X");
    await p.selectOption("#entity", entity);
    await p.fill("#email", "fm@sunrise-lamps.example");
    await p.setInputFiles("#documents", { name: "licence.png", mimeType: "image/png", buffer: PNG });
    return submit(p, "#apply button[type=submit]");
  };
  let res = await fill("individual");
  assert.equal(res.status(), 422);
  assert.match(await p.locator(".error-summary").innerText(), /entity/);
  res = await fill("company");
  assert.equal(new URL(p.url()).pathname, "/programs/fully-managed");
  const app = (await call("GET", `/api/v1/stores/${w.store}/fully-managed-applications`, w.sellerToken, undefined, 200))[0];
  assert.equal(app.state, "under_review");
  await p.fill(`#body-${app.id}`, "How far is the review?");
  await submit(p, `[data-application="${app.id}"] form button[type=submit]`);
  assert.match(await p.locator(`[data-application="${app.id}"] .thread`).innerText(), /How far is the review/);

  const a = w.admin;
  await go(a, "/admin/programs");
  await assertAccessible(a, "staff programs list");
  await go(a, `/admin/programs/applications/${app.id}`);
  await a.fill("#reply-body", "Please add the bank account proof.");
  await a.fill("#reply-missing", "bank account proof");
  await submit(a, "#reply button[type=submit]");
  await go(p, "/programs/fully-managed");
  assert.match(await p.locator(`[data-application="${app.id}"] .missing`).innerText(), /bank account proof/);
  await assertAccessible(p, "application with what is missing");

  await go(a, `/admin/programs/applications/${app.id}`);
  await assertAccessible(a, "application review");
  await submit(a, "#decide button[value=approve]");
  assert.match(await a.locator("#application .state").innerText(), /Approved/);
  await a.fill("#paid-reference", "ALIPAY-123");
  await submit(a, "#deposit-paid button[type=submit]");
  const approved = await call("GET", `/api/v1/fully-managed-applications/${app.id}`, ADMIN_TOKEN, undefined, 200);
  const fm = approved.managed_store_id;
  assert.equal((await call("GET", `/api/v1/stores/${fm}`, ADMIN_TOKEN, undefined, 200)).program_state, "open");

  await call("POST", "/api/v1/users", ADMIN_TOKEN, { name: "Fei Seller", role: "seller", login: "fei", password: PASSWORD, store_id: fm, language: "zh-CN" }, 201);
  const f = await person("fei", "zh-CN");
  await go(f, "/programs/deposit");
  assert.match(await f.locator("#deposit .balance").innerText(), /10000\.00 CNY/);
  await assertAccessible(f, "deposit page in Chinese");
  await f.fill("#refund-reason", "不再经营全托管");
  await f.fill("#refund-amount", "10000.00");
  await submit(f, "#refund button[type=submit]");
  const refund = (await call("GET", `/api/v1/deposit-refunds?store_id=${fm}`, ADMIN_TOKEN, undefined, 200))[0];
  assert.equal(refund.state, "under_review");

  await go(a, "/admin/programs");
  await a.fill(`#ded-${refund.id}`, "120.50");
  await a.fill(`#dedr-${refund.id}`, "late JIT deliveries");
  await submit(a, `tr[data-refund="${refund.id}"] form:first-of-type button[type=submit]`);
  await a.fill(`#ref-${refund.id}`, "ALIPAY-REFUND-9");
  await submit(a, `tr[data-refund="${refund.id}"] form button[type=submit]`);
  const paid = await call("GET", `/api/v1/deposit-refunds/${refund.id}`, ADMIN_TOKEN, undefined, 200);
  assert.equal(paid.state, "paid");
  assert.equal(paid.refund_amount.amount, "9879.50");
  await go(f, "/programs/deposit");
  assert.match(await f.locator("#deposit .balance").innerText(), /0\.00 CNY/);
  assert.equal(await f.locator("#ledger tbody tr").count(), 3);
  await go(f, "/programs/fully-managed");
  await assertAccessible(f, "fully-managed standing in Chinese");
});
