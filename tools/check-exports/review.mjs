// The review packet, as a clinical lead uses it, in a real browser (Debian's Chromium, headless,
// driven by puppeteer-core): open it from disk, check it made no network request, comment on a
// step, reply to the consultant's comment and resolve it, sign off, save the review file, import
// it with the CLI, and check the project holds all of it. Then reopen the packet and load the
// saved file, as a review spanning days does.
//
// node review.mjs BATON_BINARY BUNDLE_DIR WORK_DIR [SCREENSHOT_DIR]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import assert from "node:assert/strict";
import puppeteer from "puppeteer-core";

const [baton, bundle, work, shots] = process.argv.slice(2).map((p) => (p ? resolve(p) : p));
if (!baton || !bundle || !work) {
  console.error("usage: node review.mjs BATON_BINARY BUNDLE_DIR WORK_DIR [SCREENSHOT_DIR]");
  process.exit(2);
}
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
mkdirSync(work, { recursive: true });
const project = join(work, "review-test.baton");
const packet = join(work, "review.html");
const downloads = join(work, "downloads");
mkdirSync(downloads, { recursive: true });
const run = (...args) => execFileSync(baton, args, { encoding: "utf8" });

run("new", project, "--bundle", bundle);
run("review", "export", project, "--workflow", "Respiratory assessment", "-o", packet);

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const requests = [];
const violations = [];
const errors = [];

async function open() {
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 768 });
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const cdp = await page.createCDPSession();
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads, eventsEnabled: true });
  await page.goto(pathToFileURL(packet).href, { waitUntil: "load" });
  return page;
}

function text(page, selector) {
  return page.$eval(selector, (e) => e.textContent);
}

try {
  let page = await open();
  // The script ran under the packet's own CSP: the diagrams' steps are clickable.
  const clickable = await page.$$eval("g.clickable", (g) => g.length);
  assert.ok(clickable >= 8, `only ${clickable} clickable steps and states`);
  assert.match(await text(page, "h1"), /Review: Respiratory assessment, version 2/);
  assert.match(await text(page, "#findings"), /Nobody owns “Reconcile assessment with nursing care plan”/);
  assert.match(await text(page, "#changes"), /timer/);
  // Lanes are named by role.
  const svg = await page.$eval('[data-figure="current"] svg', (s) => s.textContent);
  for (const role of ["RT", "RN", "MD"]) assert.ok(svg.includes(role), `no lane ${role}`);
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "review-packet.png") });
  }

  await page.type("#reviewer-name", "Dr. Amara Okafor");
  await page.type("#reviewer-role", "Medical director");

  // A comment on a current-state step (the consultant's comment is on it already).
  const nodes = await page.evaluate(() => JSON.parse(document.getElementById("packet-data").textContent).current_nodes);
  const reconcile = nodes.find((n) => n.id === "ra-reconcile");
  assert.ok(reconcile, "no node for the reconcile step");
  await page.click(`[data-figure="current"] g[data-node="${reconcile.node}"]`);
  assert.match(await text(page, "#panel-title"), /Step: Reconcile assessment with nursing care plan/);
  assert.match(await text(page, "#thread"), /Who owns reconciliation on evenings at Lakeview/);
  // Typing something that looks like a patient identifier warns.
  await page.type("#comment-text", "Seen with MRN 12345678 last week");
  assert.equal(await page.$eval("#comment-phi", (e) => e.hidden), false, "no warning for an MRN");
  await page.$eval("#comment-text", (e) => (e.value = ""));
  await page.type("#comment-text", "At Lakeview the charge RN reconciles on evenings.");
  assert.equal(await page.$eval("#comment-phi", (e) => e.hidden), true);
  await page.click("#comment-form button[type=submit]");
  // A reply to the consultant's comment, which is then resolved.
  await page.evaluate(() => {
    const box = document.querySelector('#thread .comment[data-comment="c-reconcile-owner"]');
    [...box.querySelectorAll("button")].find((b) => b.textContent === "Reply").click();
  });
  await page.type("#comment-text", "Agreed: the unit coordinator escalates when no RN is on the unit.");
  await page.click("#comment-form button[type=submit]");
  await page.evaluate(() => {
    const box = document.querySelector('#thread .comment[data-comment="c-reconcile-owner"]');
    [...box.querySelectorAll("button")].find((b) => b.textContent === "Mark resolved").click();
  });
  assert.equal(await page.$$eval("#thread .comment", (c) => c.length), 3);
  assert.equal(await page.$$eval("#thread .comment.reply", (c) => c.length), 1);

  // A comment on a proposed state, from the states table.
  if (shots) await page.screenshot({ path: join(shots, "review-packet-thread.png") });
  await page.click('tr.target[data-kind="state"][data-id="ra-v2-reconciled"]');
  assert.match(await text(page, "#panel-title"), /State: Reconciled by RN/);
  await page.type("#comment-text", "Four hours is right for the physician review.");
  await page.click("#comment-form button[type=submit]");

  // Sign-off.
  await page.click('input[name="decision"][value="approved"]');
  await page.$eval("#signoff-date", (e) => (e.value = "2026-12-01"));
  await page.type("#signoff-comment", "Approved for all three facilities.");
  await page.click("#signoff-form button[type=submit]");
  assert.match(await text(page, "#signoff-state"), /Approved by Dr. Amara Okafor \(Medical director\) on 2026-12-01/);
  if (shots) await page.screenshot({ path: join(shots, "review-packet-commented.png") });

  await page.click("#save");
  const saved = join(downloads, "respiratory-assessment-v2.baton-review.json");
  for (let i = 0; i < 100 && !existsSync(saved); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(saved), `no saved review in ${downloads}: ${readdirSync(downloads)}`);
  const review = JSON.parse(readFileSync(saved, "utf8"));
  assert.equal(review.format, "baton-review");
  assert.equal(review.comments.length, 3);
  assert.deepEqual(review.resolved, ["c-reconcile-owner"]);
  assert.equal(review.reviewed_version.format, "baton-workflow");

  // The CLI imports it, once.
  const first = JSON.parse(run("review", "import", project, saved, "--json"));
  assert.deepEqual(
    [first.comments_added, first.comments_resolved, first.signed_off],
    [3, 1, true],
    JSON.stringify(first),
  );
  const again = JSON.parse(run("review", "import", project, saved, "--json"));
  assert.deepEqual([again.comments_added, again.comments_resolved, again.signed_off], [0, 0, false]);
  const out = join(work, "bundle-after");
  run("bundle", "export", project, out);
  const comments = readFileSync(join(out, "comments.yaml"), "utf8");
  assert.match(comments, /At Lakeview the charge RN reconciles on evenings\./);
  assert.match(comments, /author: Dr\. Amara Okafor \(Medical director\)/);
  assert.match(comments, /parent: c-reconcile-owner/);
  assert.match(comments, /target_id: ra-v2-reconciled/);
  const signoffs = readFileSync(join(out, "signoffs.yaml"), "utf8");
  assert.match(signoffs, /name: Dr\. Amara Okafor[\s\S]*decision: approved[\s\S]*Approved for all three facilities/);
  const audit = run("audit", project);
  assert.match(audit, /review import.*Dr\. Amara Okafor \(Medical director\)/);

  // Another day: reopen the packet and load the saved review.
  await page.close();
  page = await open();
  const input = await page.$("#load");
  await input.uploadFile(saved);
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Loaded"));
  assert.equal(await page.$eval("#reviewer-name", (e) => e.value), "Dr. Amara Okafor");
  await page.click('tr.target[data-kind="state"][data-id="ra-v2-reconciled"]');
  assert.match(await text(page, "#thread"), /Four hours is right/);
  assert.match(await text(page, "#signoff-state"), /Approved by Dr. Amara Okafor/);

  // Nothing but the packet itself (and the download's blob) was ever requested.
  const foreign = requests.filter((u) => !u.startsWith("file://") && !u.startsWith("blob:") && !u.startsWith("data:"));
  assert.deepEqual(foreign, [], "network requests from the packet");
  assert.deepEqual(requests.filter((u) => u.startsWith("file://") && u !== pathToFileURL(packet).href), [], "other files requested");
  assert.deepEqual(violations, [], "CSP violations");
  assert.deepEqual(errors, [], "script errors");
  console.log(`review packet: ${requests.length} requests, all the packet itself; review imported (3 comments, 1 resolved, sign-off)`);
} finally {
  await browser.close();
}
