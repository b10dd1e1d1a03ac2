// The installed app's first window: a WebDriver session on /usr/bin/baton-app (BATON_APP_BINARY)
// with a fresh data folder sees the home screen on the sample. Prints the time from SMOKE_START
// (before `dpkg -i`) to that first window. Run by scripts/smoke-deb.sh, not by the e2e suite.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { session } from "./helpers.mjs";

async function projectName(browser) {
  return browser.execute(() => document.querySelector('[data-testid="project-name"]')?.textContent ?? "");
}

const browser = await session();
try {
  await browser.waitUntil(async () => (await projectName(browser)) === "Respiratory care network", {
    timeout: 60000,
    timeoutMsg: "the installed app did not open the sample project",
  });
  const seen = Date.now() / 1000;
  const home = await browser.execute(() => document.querySelector("main, .area")?.innerText ?? "");
  assert.match(home, /Respiratory care network|Facilities|Workflows/);
  const since = Number(process.env.SMOKE_START ?? seen);
  console.log(`smoke: install to first window with the sample: ${(seen - since).toFixed(1)} s`);
} finally {
  await browser.deleteSession();
}

// Double-clicking a .baton file runs `baton-app FILE` (the desktop entry's `%f`): it opens that file.
const file = join(mkdtempSync(join(tmpdir(), "baton-smoke-")), "clinic.baton");
execFileSync("baton", ["new", file, "--name", "Opened from the file manager"]);
const opened = await session([file]);
try {
  await opened.waitUntil(async () => (await projectName(opened)) === "Opened from the file manager", {
    timeout: 60000,
    timeoutMsg: "the installed app did not open the .baton file it was launched with",
  });
  console.log("smoke: the app opens the .baton file it is launched with");
} finally {
  await opened.deleteSession();
}
