// End-to-end: the real desktop app, driven through tauri-driver and WebKitWebDriver under Xvfb.
// ./test starts the driver; this test fails (never skips) when the app binary or driver is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
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
    await browser.deleteSession();
  }
});
