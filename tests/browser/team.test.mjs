// 子账号 in headless Chromium: the owner invites a member (no SMTP server here, so the
// link is shown once on the page), the invitee joins through the link in a browser of
// their own, sees only customer service's part of the console, and is signed out the
// moment the owner disables them. axe-core runs inside every page on the way.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ADMIN_TOKEN, PASSWORD, assertAccessible, launch, must, signIn, startServer, watchedPage } from "./world.mjs";

let server;
let chrome;
let owner;
let member;
const w = {};

async function submit(page, selector) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.waitForNavigation({ waitUntil: "load" }),
    page.click(selector),
  ]);
  return res;
}

before(async () => {
  server = await startServer();
  const b = server.base;
  w.store = (await must(b, "POST", "/api/v1/stores", ADMIN_TOKEN, { name: "Lantern Shop", site: "US", fulfilment_mode: "self_operated" }, 201)).id;
  await must(b, "POST", "/api/v1/users", ADMIN_TOKEN, { name: "Olga Owner", role: "seller", store_id: w.store, login: "olga", password: PASSWORD }, 201);
  chrome = await launch();
  owner = await watchedPage(await chrome.browser.newContext({ locale: "en-US" }));
  member = await watchedPage(await chrome.browser.newContext({ locale: "zh-CN" }));
  assert.equal((await signIn(owner, b, "olga", PASSWORD)).status(), 303);
});

after(async () => {
  if (chrome) await chrome.close();
  if (server) await server.stop();
});

test("the owner invites a member by e-mail; without an SMTP server the link is shown once", async () => {
  await owner.goto(`${server.base}/team`);
  assert.deepEqual(await owner.locator("#members tbody tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.member)), ["olga"]);
  await owner.fill("#i-email", "not-an-address@");
  await owner.$eval("#invite-form", (f) => f.setAttribute("novalidate", ""));
  const refused = await submit(owner, "#invite-form button[type=submit]");
  assert.equal(refused.status(), 422);
  assert.match(await owner.locator("[role=alert]").innerText(), /email: must be an e-mail address/);
  await owner.fill("#i-email", "kim@lantern.test");
  await owner.selectOption("#i-role", "customer_service");
  const sent = await submit(owner, "#invite-form button[type=submit]");
  assert.equal(sent.status(), 201);
  assert.match(await owner.locator("#invite-sent").innerText(), /could not be e-mailed \(no SMTP server is configured\)/);
  w.link = await owner.inputValue("#invite-link");
  assert.match(w.link, /^http:\/\/127\.0\.0\.1:\d+\/join\/mdi_[0-9a-f]{64}$/);
  await assertAccessible(owner, "the team page with a new invitation");
  await owner.goto(`${server.base}/team`);
  assert.equal(await owner.locator("#invite-link").count(), 0, "the link is not shown again");
  assert.equal(await owner.locator('tr[data-invite="kim@lantern.test"] .invite-state').innerText(), "Waiting");
});

test("the invitee joins from the link and sees only after-sales", async () => {
  await member.goto(w.link);
  assert.match(await member.locator("#join-what").innerText(), /Lantern Shop/);
  assert.match(await member.locator("#join-what").innerText(), /客服（售后）/);
  await assertAccessible(member, "the join page");
  await member.fill("#j-name", "Kim Kefu");
  await member.fill("#j-login", "kim");
  await member.fill("#j-password", PASSWORD);
  await submit(member, "#join-form button[type=submit]");
  assert.equal(new URL(member.url()).pathname, "/aftersales");
  const nav = await member.locator("header nav a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
  assert.deepEqual(nav, ["/inbox", "/aftersales"]);
  const res = await member.goto(`${server.base}/products`);
  assert.equal(res.status(), 403);
  // Used once: the same link now refuses.
  const again = await member.goto(w.link);
  assert.equal(again.status(), 409);
  await owner.goto(`${server.base}/team`);
  assert.equal(await owner.locator('tr[data-invite="kim@lantern.test"] .invite-state').innerText(), "Joined");
  assert.match(await owner.locator('tr[data-member="kim"]').innerText(), /Kim Kefu\s+kim\s+kim@lantern\.test\s+Customer service/);
});

test("disabled by the owner, the member's next page is the login form", async () => {
  await owner.goto(`${server.base}/team`);
  await submit(owner, 'tr[data-member="kim"] form[action$="/disable"] button');
  assert.match(await owner.locator('tr[data-member="kim"] .member-state').innerText(), /Disabled/);
  assert.equal(await owner.locator('tr[data-member="olga"] button').count(), 0, "no one disables themselves");
  await assertAccessible(owner, "the team page");
  await member.goto(`${server.base}/aftersales`);
  assert.equal(new URL(member.url()).pathname, "/login");
  const res = await signIn(member, server.base, "kim", PASSWORD);
  assert.equal(res.status(), 401, "a disabled account cannot sign in again");
  assert.deepEqual(owner.problems, [], "no script error or CSP refusal");
  assert.deepEqual(member.problems, [], "no script error or CSP refusal");
});
