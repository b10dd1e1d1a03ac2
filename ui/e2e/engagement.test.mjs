// End-to-end: a whole engagement in the real app, from an empty project to the report, as a
// consultant would run it: facilities, roles and a workflow on Home; two interviews typed by
// keyboard; the swimlanes; a status export and an event log imported, the log's process map; values
// mapped; findings triaged; a version proposed, published and exported as BPMN; the PDF report.
// Every step is checked in the project file, read back through the CLI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { application, session } from "./helpers.mjs";

async function textOf(browser, selector) {
  return browser.execute((css) => document.querySelector(css)?.innerText ?? "", selector);
}

async function click(browser, selector) {
  const element = await browser.$(selector);
  await element.waitForClickable({ timeout: 20000, timeoutMsg: `${selector} is not clickable` });
  await element.click();
}

/** Types one key at a time (WebKitWebDriver drops the second of two equal keys sent together). */
async function type(browser, text) {
  for (const key of text) await browser.keys(key);
}

/** Clicks the button reading `text` inside `scope`, once there is one. */
async function clickIn(browser, scope, text) {
  await browser.waitUntil(
    async () =>
      browser.execute(
        (css, label) => {
          const button = [...document.querySelectorAll(`${css} button`)].find(
            (b) => b.textContent.trim() === label && !b.disabled,
          );
          button?.click();
          return !!button;
        },
        scope,
        text,
      ),
    { timeout: 20000, timeoutMsg: `no button "${text}" in ${scope}` },
  );
}

async function focusIs(browser, cell, what) {
  await browser.waitUntil(
    async () => browser.execute((c) => document.activeElement?.getAttribute("data-cell") === c, cell),
    { timeout: 20000, timeoutMsg: `the focus did not reach ${what}` },
  );
}

/** Adds a name with one of Home's add forms. */
async function addOnHome(browser, label, name) {
  const input = await browser.$(`input[aria-label="${label}"]`);
  await input.waitForExist({ timeout: 20000 });
  await input.setValue(name);
  await browser.keys("Enter");
  await browser.waitUntil(async () => (await input.getValue()) === "", {
    timeout: 20000,
    timeoutMsg: `${name} was not added`,
  });
}

/** The project file as a bundle, through the CLI: file name → text. */
function bundleOf(projectFile) {
  const out = mkdtempSync(join(tmpdir(), "baton-e2e-bundle-"));
  execFileSync(join(dirname(application), "baton"), ["bundle", "export", projectFile, out]);
  const files = {};
  const walk = (dir, prefix) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      if (name.isDirectory()) walk(join(dir, name.name), `${prefix}${name.name}/`);
      else files[`${prefix}${name.name}`] = readFileSync(join(dir, name.name), "utf8");
    }
  };
  walk(out, "");
  return files;
}

async function shot(browser, name) {
  if (process.env.E2E_SCREENSHOTS) {
    await browser.saveScreenshot(join(process.env.E2E_SCREENSHOTS, `engagement-${name}.png`));
  }
}

/** One interview: its role, and statements typed row by row (step, performer, done means). */
async function interview(browser, role, alias, rows) {
  await click(browser, "button=Interviews");
  await click(browser, '[data-testid="new-interview"]');
  await (await browser.$('select[aria-label="Role"]')).selectByVisibleText(role);
  await (await browser.$('input[aria-label="Interviewee alias"]')).setValue(alias);
  await click(browser, "button=Start interview");
  await focusIs(browser, "new:0", "the first cell after Start interview");
  for (const [i, [step, by, done]] of rows.entries()) {
    if (i > 0) await click(browser, '[data-testid="add-statement"]');
    await focusIs(browser, "new:0", "the new row");
    await type(browser, step);
    await browser.keys("Enter");
    await focusIs(browser, `${i}:1`, `the performer of row ${i + 1}`);
    await type(browser, by);
    // Performed by → initiated by → validated by → escalates to → done means.
    for (let k = 0; k < 4; k += 1) await browser.keys("Enter");
    await focusIs(browser, `${i}:5`, `"done means" of row ${i + 1}`);
    if (done) await type(browser, done);
    await browser.keys("Enter");
  }
  // Every cell is saved when it is left.
  await browser.waitUntil(
    async () =>
      browser.execute(
        (n) =>
          document.querySelectorAll('[data-testid="statement-grid"] tbody tr[data-statement]').length === n,
        rows.length,
      ),
    { timeout: 20000, timeoutMsg: `the ${alias} statements are not all in the table` },
  );
}

async function importFile(browser, button, path, summary) {
  await click(browser, `button=${button}`);
  const input = await browser.$('input[aria-label="Source file"]');
  await input.setValue(path);
  await browser.keys("Enter");
  await browser.waitUntil(async () => (await textOf(browser, '[data-testid="import-preview"]')).length > 0, {
    timeout: 20000,
    timeoutMsg: `no preview of ${path}`,
  });
  await click(browser, "button=Import");
  await browser.waitUntil(async () => summary.test(await textOf(browser, '[data-testid="import-summary"]')), {
    timeout: 30000,
    timeoutMsg: `${path} was not imported`,
  });
}

test("a whole engagement runs in the app, from an empty project to the report", async () => {
  const folder = mkdtempSync(join(tmpdir(), "baton-e2e-engagement-"));
  const projectFile = join(folder, "sepsis-rescue.baton");
  const statusFile = join(folder, "screen-status.csv");
  writeFileSync(
    statusFile,
    "Field,Value,Site,Count\nSepsis Screen Status,Screen documented,North Campus,40\n" +
      "Sepsis Screen Status,Pending review,North Campus,12\n",
  );
  // 30 cases: screen, lactate, antibiotics; a third go straight from the screen to antibiotics.
  const logFile = join(folder, "sepsis-log.csv");
  let log = "case,activity,timestamp,role\n";
  for (let c = 0; c < 30; c += 1) {
    const day = String(1 + (c % 27)).padStart(2, "0");
    log += `C${c},Screen for sepsis,2026-10-${day}T08:00:00Z,RN\n`;
    if (c % 3 !== 0) log += `C${c},Draw lactate,2026-10-${day}T08:20:00Z,RN\n`;
    log += `C${c},Order antibiotics,2026-10-${day}T09:${String(c % 60).padStart(2, "0")}:00Z,MD\n`;
  }
  writeFileSync(logFile, log);
  const bpmn = join(folder, "sepsis-bundle");
  const report = join(folder, "sepsis-report.pdf");

  // A data folder of its own: the project it creates is not the one the other tests reopen.
  const browser = await session([`--data-dir=${join(folder, "app-data")}`]);
  try {
    await browser.waitUntil(async () => (await textOf(browser, '[data-testid="project-name"]')).length > 0, {
      timeout: 30000,
      timeoutMsg: "the app did not open",
    });

    // 1. An empty project; a facility, two roles and a workflow.
    await click(browser, "button=New");
    const dialog = await browser.$('[role="dialog"][aria-label="New project"]');
    await dialog.waitForExist({ timeout: 20000 });
    await (await dialog.$("input")).setValue("Sepsis rescue");
    const file = await browser.$('input[aria-label="Project file"]');
    await file.clearValue();
    await file.setValue(projectFile);
    await click(browser, "button=Create project");
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Sepsis rescue",
      {
        timeout: 30000,
        timeoutMsg: "the new project did not open",
      },
    );
    await addOnHome(browser, "New facility name", "North Campus");
    await addOnHome(browser, "New role name", "RN");
    await addOnHome(browser, "New role name", "MD");
    await addOnHome(browser, "New workflow name", "Sepsis bundle");
    await shot(browser, "home");
    let files = bundleOf(projectFile);
    assert.match(files["facilities.yaml"], /name: North Campus/);
    assert.match(files["roles.yaml"], /name: RN[\s\S]*name: MD|name: MD[\s\S]*name: RN/);
    assert.ok(
      Object.keys(files).some((f) => f.startsWith("workflows/")),
      "the workflow is in the file",
    );

    // 2. Two interviews, typed by keyboard.
    await interview(browser, "RN", "RN-1", [
      ["Screen for sepsis", "RN", "Screen documented"],
      ["Draw lactate", "RN", ""],
    ]);
    await interview(browser, "MD", "MD-1", [["Order antibiotics", "MD", ""]]);
    await shot(browser, "interview");
    files = bundleOf(projectFile);
    const interviews = Object.entries(files).filter(([f]) => f.startsWith("interviews/"));
    assert.equal(interviews.length, 2);
    const rn = interviews.map(([, y]) => y).find((y) => /alias: RN-1/.test(y));
    const rnId = /- id: (\S+)\n  name: RN\n/.exec(files["roles.yaml"])?.[1];
    assert.ok(rnId, files["roles.yaml"]);
    assert.match(
      rn,
      new RegExp(
        `step: Screen for sepsis[\\s\\S]*performed_by: ${rnId}[\\s\\S]*done_means: Screen documented`,
      ),
    );
    assert.match(rn, /workflows:\n- /, "the interview names its workflow");

    // 3. The swimlanes.
    await click(browser, "button=Swimlanes");
    await browser.waitUntil(
      async () => /Order antibiotics/.test(await textOf(browser, '[data-testid="swimlanes"]')),
      {
        timeout: 30000,
        timeoutMsg: "the swimlanes do not show the interviews' steps",
      },
    );
    await shot(browser, "swimlanes");

    // 4. A status export and an event log, and the log's process map.
    await click(browser, "button=EMR data");
    await importFile(browser, "Import status export…", statusFile, /imported screen-status\.csv/);
    await importFile(browser, "Import event log…", logFile, /imported sepsis-log\.csv/);
    await click(browser, "button=Open process map");
    await browser.waitUntil(
      async () =>
        browser.execute(() =>
          /Draw lactate/.test(document.querySelector('[data-testid="process-map"]')?.textContent ?? ""),
        ),
      { timeout: 30000, timeoutMsg: "the process map did not open" },
    );
    await shot(browser, "process-map");

    // 5. A business state from the interviews' meanings, and a value mapped to it.
    const candidates = await browser.$('[data-testid="state-candidates"]');
    await candidates.waitForExist({ timeout: 20000, timeoutMsg: "no meanings from the interviews" });
    const stateName = await browser.$('input[aria-label="State name for Screen documented"]');
    await stateName.clearValue();
    await stateName.setValue("Screen documented");
    await clickIn(browser, '[data-testid="state-candidates"]', "Add state");
    await browser.waitUntil(
      async () =>
        browser.execute(() =>
          [
            ...document.querySelectorAll('select[aria-label="Screen documented at every facility"] option'),
          ].some((o) => o.textContent === "Screen documented"),
        ),
      { timeout: 20000, timeoutMsg: "the new state is not offered in the matrix" },
    );
    await (
      await browser.$('select[aria-label="Screen documented at every facility"]')
    ).selectByVisibleText("Screen documented");
    await browser.waitUntil(
      async () =>
        /- id: \S+\n {2}value: \S+\n {2}state: \S+/.test(bundleOf(projectFile)["mappings.yaml"] ?? ""),
      { timeout: 20000, timeoutMsg: "the mapping was not saved" },
    );
    await shot(browser, "mapping");

    // 6. Findings seen and one triaged.
    await click(browser, "button=Findings");
    await (
      await browser.$('[data-testid="findings-view"] .finding-list')
    ).waitForExist({
      timeout: 30000,
      timeoutMsg: "no findings listed",
    });
    const first = await browser.execute(() =>
      document.querySelector(".finding-list [data-finding]")?.getAttribute("data-finding"),
    );
    await browser.execute(() => document.querySelector(".finding-list [data-finding] summary")?.click());
    await clickIn(browser, `[data-finding="${first}"]`, "Accept");
    await browser.waitUntil(
      async () => new RegExp(`id: ${first}`).test(bundleOf(projectFile)["findings.yaml"] ?? ""),
      {
        timeout: 20000,
        timeoutMsg: "the triage was not saved",
      },
    );
    await shot(browser, "findings");

    // 7. A version proposed, published and exported as BPMN.
    await click(browser, "button=Proposals");
    await click(browser, "button=Propose from findings");
    await click(browser, "button=Publish as next version");
    await browser.waitUntil(async () => /Version 1/.test(await textOf(browser, "main")), {
      timeout: 30000,
      timeoutMsg: "version 1 was not published",
    });
    await click(browser, "button=Export…");
    await (await browser.$('select[aria-label="Export format"]')).selectByAttribute("value", "bpmn");
    await (await browser.$('input[aria-label="Export file"]')).setValue(bpmn);
    await clickIn(browser, '[role="dialog"]', "Export");
    await browser.waitUntil(async () => existsSync(`${bpmn}.bpmn`), {
      timeout: 20000,
      timeoutMsg: "the BPMN file was not written (with its .bpmn ending)",
    });
    assert.match(readFileSync(`${bpmn}.bpmn`, "utf8"), /zeebe:|camunda/);
    await shot(browser, "proposals");

    // 8. The PDF report.
    await click(browser, "button=Report…");
    const path = await browser.$('input[aria-label="Report file"]');
    await path.clearValue();
    await path.setValue(report);
    await click(browser, "button=Write report");
    await (
      await browser.$('[data-testid="report-written"]')
    ).waitForExist({
      timeout: 120000,
      timeoutMsg: "the report was not written",
    });
    assert.equal(readFileSync(report).subarray(0, 4).toString(), "%PDF");

    files = bundleOf(projectFile);
    const workflow = Object.entries(files).find(([f]) => f.startsWith("workflows/"))[1];
    assert.match(workflow, /name: Sepsis bundle/);
    assert.match(workflow, /number: 1/, "the published version is in the file");
    assert.match(workflow, /name: Screen documented/);
    assert.match(files["imports.yaml"] ?? "", /sepsis-log\.csv/);
  } finally {
    await browser.deleteSession().catch(() => undefined);
  }
});
