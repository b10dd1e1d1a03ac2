// End-to-end: the consultant opens the report dialog, names the client, chooses HTML and two
// chapters, writes the report and finds it on disk; the client is saved in the project.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportedProject, session } from "./helpers.mjs";

async function textOf(browser, selector) {
  return browser.execute((css) => document.querySelector(css)?.innerText ?? "", selector);
}

test("the findings report is written from its dialog with the chosen chapters", async () => {
  const browser = await session();
  const out = join(mkdtempSync(join(tmpdir(), "baton-report-")), "findings.html");
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await (await browser.$("button=Report…")).click();
    const client = await browser.$('input[aria-label="Client"]');
    await client.waitForExist({ timeout: 15000, timeoutMsg: "the report dialog did not open" });
    await client.setValue("Northwind Health Partners");
    await (await browser.$('input[name="report-format"][value="html"]')).click();
    // Keep only the executive summary and the sign-offs.
    for (const chapter of [
      "Scope: facilities, roles, interviews, data",
      "Current-state swimlanes",
      "Ownership findings",
      "State mismatches and the mapping matrix",
      "Proposed workflows, validation and changes",
      "Telemetry plan and results",
      "Appendix: quotes and counts",
    ]) {
      await (await browser.$(`label=${chapter}`)).click();
    }
    const file = await browser.$('input[aria-label="Report file"]');
    await file.setValue(out);
    await (await browser.$("button=Write report")).click();
    await browser.waitUntil(
      async () => /Wrote the report/.test(await textOf(browser, '[data-testid="report-written"]')),
      {
        timeout: 30000,
        timeoutMsg: "the report was not written",
      },
    );
    const html = readFileSync(out, "utf8");
    assert.match(html, /Northwind Health Partners/);
    assert.match(html, /Executive summary/);
    assert.match(html, /Dr\. Amara Okafor/);
    assert.doesNotMatch(html, /State mismatches/);
    const manifest = readFileSync(join(exportedProject(), "baton.yaml"), "utf8");
    assert.match(manifest, /client: Northwind Health Partners/);
  } finally {
    await browser.deleteSession();
  }
});

test("a report being written can be cancelled from the busy overlay, and nothing is written", async () => {
  // The app waits (until cancelled) before long work starts, so Cancel lands while it runs.
  const browser = await session(["--test-work-pause-ms=60000"]);
  const out = join(mkdtempSync(join(tmpdir(), "baton-report-")), "cancelled.pdf");
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await (await browser.$("button=Report…")).click();
    const file = await browser.$('input[aria-label="Report file"]');
    await file.waitForExist({ timeout: 15000, timeoutMsg: "the report dialog did not open" });
    await file.setValue(out);
    await (await browser.$("button=Write report")).click();
    const busy = await browser.$('[role="dialog"][aria-label="Working"]');
    await busy.waitForExist({ timeout: 15000, timeoutMsg: "the busy overlay did not appear" });
    await browser.waitUntil(async () => (await busy.getText()).includes("Writing the report…"), {
      timeout: 5000,
      timeoutMsg: "the overlay does not say what is running",
    });
    await (await busy.$("button=Cancel")).click();
    await browser.waitUntil(
      async () => /Cancelled: no report was written\./.test(await textOf(browser, ".report .problem")),
      { timeout: 15000, timeoutMsg: "the dialog did not say the report was cancelled" },
    );
    await busy.waitForExist({ reverse: true, timeout: 5000, timeoutMsg: "the overlay stayed" });
    assert.equal(existsSync(out), false, "a cancelled report wrote its file");
  } finally {
    await browser.deleteSession();
  }
});
