// What the browser suites share: a real `marketdesk serve` on a fresh SQLite folder and a
// free port, its JSON API for setting up a world, Debian's Chromium, and axe-core run
// inside a page. Nothing here is a stand-in: the pages under test are the binary's own.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "../..");
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const ADMIN_TOKEN = "mdk_browser_suite_admin_token_0123456789";
export const PASSWORD = "correct horse battery staple";

function binary() {
  const bin = process.env.MARKETDESK_BIN || join(repo, "target/debug/marketdesk");
  if (!existsSync(bin)) {
    throw new Error(`no marketdesk binary at ${bin}: run \`cargo build -p marketdesk\` or set MARKETDESK_BIN`);
  }
  return bin;
}

/** Starts the server (`clock: "manual"` for the sandbox clock); resolves once it prints its console address (and, with --demo, its logins). */
export async function startServer({ demo = false, clock = "system" } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "marketdesk-browser-"));
  const args = ["serve", "--listen", "127.0.0.1:0", "--data-dir", dir, "--clock", clock];
  if (demo) args.push("--demo");
  const child = spawn(binary(), args, {
    env: { ...process.env, MARKETDESK_ADMIN_TOKEN: ADMIN_TOKEN, RUST_LOG: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => { err += d; });
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 120 s:\n${out}\n${err}`)), 120_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/console: (http:\/\/[0-9.:]+)\//);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.on("exit", (code) => { clearTimeout(timer); fail(new Error(`server exited with ${code}:\n${out}\n${err}`)); });
  });
  const logins = {};
  for (const m of out.matchAll(/login (\S+)\s+password (\S+)/g)) logins[m[1]] = m[2];
  return {
    base,
    logins,
    output: () => out,
    async stop() {
      child.removeAllListeners("exit");
      child.kill("SIGINT");
      await new Promise((ok) => { child.once("exit", ok); setTimeout(ok, 5000); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One JSON API call; answers { status, body }. */
export async function api(base, method, path, token, body) {
  const res = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
  return { status: res.status, body: parsed };
}

/** An API call that must succeed with `want`; the body. */
export async function must(base, method, path, token, body, want) {
  const r = await api(base, method, path, token, body);
  assert.equal(r.status, want, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Chromium with a new empty profile (Playwright makes one per launch). */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/**
 * A page that fails the test on any script error or Content-Security-Policy refusal: the
 * console promises to work under its strict policy, so a refused resource is a defect.
 */
export async function watchedPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  return page;
}

/** axe-core inside the page (evaluated, so the page's CSP stays as served): serious or critical findings. */
export async function axeFindings(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return {
      checked: r.passes.length + r.violations.length,
      found: r.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
    };
  });
  return result;
}

export async function assertAccessible(page, what) {
  const { checked, found } = await axeFindings(page);
  assert.ok(checked >= 10, `axe-core checked only ${checked} rules on ${what}`);
  assert.deepEqual(found, [], `axe-core on ${what} (${page.url()})`);
}

/** Signs in through the login form; answers the response of the form's POST. */
export async function signIn(page, base, login, password) {
  await page.goto(`${base}/login`);
  await page.fill("#login", login);
  await page.fill("#password", password);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/login") && r.request().method() === "POST"),
    page.click("form[action='/login'] button[type=submit]"),
  ]);
  await page.waitForLoadState("load");
  return res;
}

/** A small real PNG (1×1), for evidence uploads. */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
