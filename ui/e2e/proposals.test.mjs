// End-to-end: the consultant opens the proposed Respiratory assessment, sees it valid with the
// log replayed through it, starts a draft, adds a state and sees the validation react; the
// project file holds the draft.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exportedProject, session } from "./helpers.mjs";

async function textOf(browser, selector) {
  return browser.execute((css) => document.querySelector(css)?.innerText ?? "", selector);
}

test("a case walked through version 2 opens the RN's task and escalates when time passes", async () => {
  const browser = await session();
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await (await browser.$("button=Proposals")).click();
    const workflow = await browser.$('select[aria-label="Workflow"]');
    await workflow.waitForExist({ timeout: 15000 });
    await workflow.selectByVisibleText("Respiratory assessment");
    await browser.waitUntil(async () => /Valid/.test(await textOf(browser, '[data-testid="validation"]')), {
      timeout: 15000,
      timeoutMsg: "version 2 did not show as valid",
    });
    await (await browser.$('select[aria-label="Version"]')).selectByVisibleText("Version 2");
    await (await browser.$("button=Walk through…")).click();
    const send = await browser.$("button=assessment_completed");
    await send.waitForExist({ timeout: 15000, timeoutMsg: "the walk-through did not offer the first event" });
    await send.click();
    await browser.waitUntil(
      async () =>
        /Reconcile assessment with nursing care plan — RN/.test(
          await textOf(browser, '[data-testid="walk-tasks"]'),
        ),
      {
        timeout: 15000,
        timeoutMsg: "the RN's task did not open",
      },
    );
    await (await browser.$("button=Let time pass past the timer (after 1 hour)")).click();
    await browser.waitUntil(
      async () =>
        /escalates Reconcile assessment with nursing care plan to Unit coordinator/.test(
          await textOf(browser, '[data-testid="walk-trace"]'),
        ),
      {
        timeout: 15000,
        timeoutMsg: "the timer did not escalate",
      },
    );
    if (process.env.E2E_SCREENSHOTS) {
      // WebKit under Xvfb paints a frame late: let the last step reach the screen first.
      await browser.pause(700);
      await browser.saveScreenshot(join(process.env.E2E_SCREENSHOTS, "walk-through.png"));
    }
    await (await browser.$("button=Close")).click();
  } finally {
    await browser.deleteSession();
  }
});

test("a draft edited in the designer is validated live and saved in the project", async () => {
  const browser = await session();
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await (await browser.$("button=Proposals")).click();
    const workflow = await browser.$('select[aria-label="Workflow"]');
    await workflow.waitForExist({ timeout: 15000 });
    await workflow.selectByVisibleText("Respiratory assessment");
    await browser.waitUntil(async () => /227 of 300/.test(await textOf(browser, '[data-testid="replay"]')), {
      timeout: 15000,
      timeoutMsg: "the replay of the sample log did not show",
    });
    assert.match(await textOf(browser, '[data-testid="validation"]'), /Valid/);
    assert.match(await textOf(browser, '[data-testid="version-diagram"]'), /Charted by RT/);

    await (await browser.$("button=Start a draft")).click();
    const name = await browser.$('input[aria-label="Name of new state"]');
    await name.waitForExist({ timeout: 15000, timeoutMsg: "the draft did not open for editing" });
    await name.setValue("Escalated to charge nurse");
    await (await browser.$("button=Add state")).click();
    await browser.waitUntil(
      async () => /reachable/.test(await textOf(browser, '[data-testid="validation"]')),
      {
        timeout: 15000,
        timeoutMsg: "the validation did not report the unreachable state",
      },
    );
    const yaml = readFileSync(join(exportedProject(), "workflows", "respiratory-assessment.yaml"), "utf8");
    assert.match(yaml, /name: Escalated to charge nurse/);
  } finally {
    await browser.deleteSession();
  }
});
