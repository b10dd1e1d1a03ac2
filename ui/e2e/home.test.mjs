// End-to-end: the real desktop app, driven through tauri-driver and WebKitWebDriver under Xvfb.
// ./test starts the driver; this test fails (never skips) when the app binary or driver is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { remote } from "webdriverio";

const application = process.env.BATON_APP_BINARY;

async function session() {
  assert.ok(application, "BATON_APP_BINARY must name the built baton-app binary");
  assert.ok(existsSync(application), `the app binary ${application} does not exist; build it first`);
  return remote({
    hostname: "127.0.0.1",
    port: Number(process.env.TAURI_DRIVER_PORT ?? 4444),
    logLevel: "warn",
    connectionRetryCount: 1,
    // WebKitWebDriver speaks classic WebDriver only; without this WebdriverIO asks for BiDi.
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application },
    },
  });
}

// WebKitWebDriver's "get element text" answers "" for visible elements here, so read innerText.
async function textOf(browser, selector) {
  return browser.execute((css) => document.querySelector(css)?.innerText ?? "", selector);
}

test("the app opens on the sample project and its home screen shows facilities and roles", async () => {
  const browser = await session();
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    const facilities = await textOf(browser, '[data-testid="facilities"]');
    for (const name of [
      "Lakeview Pulmonary Clinic",
      "North Campus Hospital",
      "Riverside Community Hospital",
    ]) {
      assert.match(facilities, new RegExp(name), `facility ${name} is on the home screen`);
    }
    const roles = await textOf(browser, '[data-testid="roles"]');
    for (const name of ["MD", "RN", "RT", "Unit coordinator"]) {
      assert.match(roles, new RegExp(`\\b${name}\\b`), `role ${name} is on the home screen`);
    }

    // An edit through the real core, then Undo from the toolbar.
    const input = await browser.$('input[aria-label="New role name"]');
    await input.setValue("Pharmacist");
    await (await browser.$('[data-testid="roles"] button[type="submit"]')).click();
    await browser.waitUntil(async () => /Pharmacist/.test(await textOf(browser, '[data-testid="roles"]')), {
      timeout: 15000,
      timeoutMsg: "the added role did not appear",
    });
    await (await browser.$("button=Undo")).click();
    await browser.waitUntil(async () => !/Pharmacist/.test(await textOf(browser, '[data-testid="roles"]')), {
      timeout: 15000,
      timeoutMsg: "Undo did not remove the added role",
    });
  } finally {
    await browser.deleteSession().catch(() => undefined);
  }
});

async function click(browser, selector) {
  const element = await browser.$(selector);
  await element.waitForClickable({ timeout: 15000 });
  await element.click();
}

/** Types `text` into the focused element one key at a time: WebKitWebDriver drops the second of two
 * equal keys sent in one action sequence ("assessment" arrives as "asesment"). */
async function type(browser, text) {
  for (const key of text) await browser.keys(key);
}

/** The project file the app opened on first start, exported by the CLI as a bundle. */
function exportedInterviews() {
  const data = process.env.BATON_DATA_DIR;
  assert.ok(data, "BATON_DATA_DIR names the app's data folder");
  const file = readdirSync(data).find((name) => name.endsWith(".baton"));
  assert.ok(file, `the app keeps its project in ${data}`);
  const out = mkdtempSync(join(tmpdir(), "baton-e2e-"));
  execFileSync(join(dirname(application), "baton"), ["bundle", "export", join(data, file), out]);
  const dir = join(out, "interviews");
  return readdirSync(dir).map((name) => readFileSync(join(dir, name), "utf8"));
}

test("a consultant types an interview row with the keyboard and it is saved", async () => {
  const browser = await session();
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await click(browser, "button=Interviews");
    await click(browser, '[data-testid="new-interview"]');
    await (await browser.$('select[aria-label="Role"]')).selectByVisibleText("RT");
    await (await browser.$('input[aria-label="Interviewee alias"]')).setValue("RT-9");
    await click(browser, "button=Start interview");
    await browser.waitUntil(
      async () => /RT-9/.test(await textOf(browser, '[data-testid="interview-screen"] h1')),
      {
        timeout: 15000,
        timeoutMsg: "the new interview did not open",
      },
    );
    await click(browser, '[data-testid="add-statement"]');
    await browser.waitUntil(
      async () => browser.execute(() => document.activeElement?.getAttribute("data-cell") === "0:0"),
      { timeout: 15000, timeoutMsg: "the new row's step cell did not take the focus" },
    );
    // Step, Enter, performed by, Enter, initiated by (empty), Enter, validated by, Enter.
    await type(browser, "Chart the assessment");
    await browser.keys("Enter");
    await type(browser, "RT");
    await browser.keys("Enter");
    await browser.keys("Enter");
    await type(browser, "RN");
    await browser.keys("Enter");
    let row = "";
    await browser
      .waitUntil(
        async () => {
          row = await browser.execute(() =>
            [...document.querySelectorAll('[data-testid="statement-grid"] tbody tr:first-child input')]
              .map((c) => c.value)
              .join("|"),
          );
          return row.startsWith("Chart the assessment|RT||RN");
        },
        { timeout: 15000 },
      )
      .catch(() => assert.fail(`the typed row is not in the table; it reads ${JSON.stringify(row)}`));
    // Saved through the core: the project file holds it.
    await browser.waitUntil(
      async () =>
        exportedInterviews().some(
          (y) =>
            /alias: RT-9/.test(y) &&
            /step: Chart the assessment/.test(y) &&
            /performed_by: rt/.test(y) &&
            /validated_by: rn/.test(y),
        ),
      { timeout: 15000, timeoutMsg: "the typed statement was not saved in the project file" },
    );
  } finally {
    await browser.deleteSession().catch(() => undefined);
  }
});
