// End-to-end: the consultant gives a step of the current state a service level and marks it
// safety-critical; the project file holds both, as the stall findings will judge by them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exportedProject, session } from "./helpers.mjs";

async function textOf(browser, selector) {
  return browser.execute((css) => document.querySelector(css)?.innerText ?? "", selector);
}

test("a service level set on a step in Current state is saved in the project", async () => {
  const browser = await session();
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await (await browser.$("button=Current state")).click();
    const workflow = await browser.$('select[aria-label="Workflow"]');
    await workflow.waitForExist({ timeout: 15000 });
    await workflow.selectByVisibleText("Respiratory assessment");
    const step = await browser.$("button=Reconcile assessment with nursing care plan");
    await step.waitForExist({ timeout: 15000, timeoutMsg: "the step is not listed" });
    await step.click();
    const amount = await browser.$('input[aria-label="Service level amount"]');
    await amount.waitForExist({ timeout: 15000, timeoutMsg: "the step panel has no service level" });
    await amount.setValue("4");
    await (await browser.$('select[aria-label="Service level unit"]')).selectByVisibleText("hours");
    await (await browser.$("label=Safety-critical (a wait can harm a patient)")).click();
    await (await browser.$("button=Save service level")).click();
    await browser.waitUntil(
      async () =>
        /Done within 4 hours of the step before · safety-critical/.test(
          await textOf(browser, "form.service-level"),
        ),
      { timeout: 15000, timeoutMsg: "the service level did not show as set" },
    );
    if (process.env.E2E_SCREENSHOTS) {
      await browser.pause(500);
      await browser.saveScreenshot(join(process.env.E2E_SCREENSHOTS, "service-level.png"));
    }
    const workflowFile = readFileSync(
      join(exportedProject(), "workflows", "respiratory-assessment.yaml"),
      "utf8",
    );
    const block = workflowFile.split("\n- ").find((b) => b.startsWith("id: ra-reconcile"));
    assert.ok(block, workflowFile);
    assert.match(block, /service_level: PT4H/);
    assert.match(block, /safety_critical: true/);
  } finally {
    await browser.deleteSession();
  }
});
