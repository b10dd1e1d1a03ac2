// End-to-end: the real desktop app, driven through tauri-driver and WebKitWebDriver under Xvfb.
// ./test starts the driver; this test fails (never skips) when the app binary or driver is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { exportedProject, session } from "./helpers.mjs";

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

    // A role in use is deleted only by merging it into another, after saying what uses it.
    await (await browser.$('button[aria-label="Delete Unit coordinator"]')).click();
    const confirm = await browser.$('[role="alertdialog"]');
    await confirm.waitForExist({ timeout: 15000, timeoutMsg: "Delete did not ask first" });
    assert.match(await confirm.getText(), /use this role/);
    await (await browser.$('select[aria-label="Merge Unit coordinator into"]')).selectByVisibleText("RN");
    if (process.env.E2E_SCREENSHOTS) {
      await browser.saveScreenshot(join(process.env.E2E_SCREENSHOTS, "home-merge-role.png"));
    }
    await (await browser.$("button=Merge into RN")).click();
    await browser.waitUntil(
      async () => !/Unit coordinator/.test(await textOf(browser, '[data-testid="roles"]')),
      { timeout: 15000, timeoutMsg: "the merged role is still listed" },
    );
    const rolesFile = readFileSync(join(exportedProject(), "roles.yaml"), "utf8");
    assert.doesNotMatch(rolesFile, /Unit coordinator/, "the project file no longer has the merged role");
    await (await browser.$("button=Undo")).click();
    await browser.waitUntil(
      async () => /Unit coordinator/.test(await textOf(browser, '[data-testid="roles"]')),
      { timeout: 15000, timeoutMsg: "Undo did not bring the merged role back" },
    );
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

/** Waits for the sample project to open, then shows its interviews. */
async function openInterviews(browser) {
  await browser.waitUntil(
    async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
    { timeout: 30000, timeoutMsg: "the sample project did not open" },
  );
  await click(browser, "button=Interviews");
}

/** The interviews of the app's project file, as YAML. */
function exportedInterviews() {
  const dir = join(exportedProject(), "interviews");
  return readdirSync(dir).map((name) => readFileSync(join(dir, name), "utf8"));
}

test("a consultant types an interview row with the keyboard and it is saved", async () => {
  const browser = await session();
  try {
    await openInterviews(browser);
    await click(browser, '[data-testid="new-interview"]');
    await (await browser.$('select[aria-label="Role"]')).selectByVisibleText("RT");
    await (await browser.$('input[aria-label="Interviewee alias"]')).setValue("RT-9");
    // The sample has two workflows: the interview names the one it is about before it starts.
    assert.equal(
      await browser.execute(() => document.querySelector("form.sheet button.primary")?.disabled),
      true,
      "an interview cannot start before it names its workflow",
    );
    await browser.execute(() =>
      [...document.querySelectorAll(".workflows-choice label")]
        .find((l) => l.textContent.includes("Respiratory assessment"))
        ?.querySelector("input")
        ?.click(),
    );
    await click(browser, "button=Start interview");
    await browser.waitUntil(
      async () => /RT-9/.test(await textOf(browser, '[data-testid="interview-screen"] h1')),
      {
        timeout: 15000,
        timeoutMsg: "the new interview did not open",
      },
    );
    // The focus is already in the table's first cell: no Tab, no click.
    await browser.waitUntil(
      async () => browser.execute(() => document.activeElement?.getAttribute("data-cell") === "new:0"),
      { timeout: 15000, timeoutMsg: "the first cell did not take the focus after Start interview" },
    );
    // Step, Enter, performed by, Enter, initiated by (empty), Enter, validated by, Enter.
    await type(browser, "Chart the assessment");
    await browser.keys("Enter");
    // Naming the step saves the statement; the cursor moves on to its next cell.
    await browser.waitUntil(
      async () => browser.execute(() => document.activeElement?.getAttribute("data-cell") === "0:1"),
      { timeout: 15000, timeoutMsg: "the new statement's next cell did not take the focus" },
    );
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
            /workflows:\n- respiratory-assessment\n/.test(y) &&
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

test("a record number typed into interview notes is pointed out and redacted before it is saved", async () => {
  const browser = await session();
  try {
    await openInterviews(browser);
    await click(browser, "button=RN-7");
    await click(browser, "summary=Interview details");
    const notes = await browser.$('textarea[aria-label="Notes"]');
    await notes.waitForExist({ timeout: 15000, timeoutMsg: "the interview details did not open" });
    await notes.click();
    await browser.keys("End");
    await type(browser, " Asked about MRN 00482913.");
    await browser.waitUntil(
      async () =>
        /medical record number “MRN 00482913”/.test(await textOf(browser, '[data-testid="phi-hint"]')),
      { timeout: 15000, timeoutMsg: "the record number was not pointed out while typing" },
    );
    await click(browser, '[data-testid="phi-hint"] button');
    await browser.waitUntil(async () => /Asked about \[redacted\]\./.test(await notes.getValue()), {
      timeout: 15000,
      timeoutMsg: "the record number was not redacted in the field",
    });
    // Saved without the number.
    await browser.waitUntil(
      async () =>
        exportedInterviews().some((y) => /alias: RN-7/.test(y) && /Asked about \[redacted\]\./.test(y)),
      { timeout: 15000, timeoutMsg: "the redacted notes were not saved" },
    );
    assert.ok(!exportedInterviews().some((y) => /00482913/.test(y)), "the number is nowhere in the project");
  } finally {
    await browser.deleteSession().catch(() => undefined);
  }
});
