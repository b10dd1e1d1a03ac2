// End-to-end: a consultant imports an EMR status export through the import dialog (preview,
// column mapping), then maps one of its values to a business state in the mapping matrix; the
// project file holds both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportedProject, session } from "./helpers.mjs";

async function textOf(browser, selector) {
  return browser.execute((css) => document.querySelector(css)?.innerText ?? "", selector);
}

/** Every text inside an element, SVG text included (innerText leaves SVG out). */
async function allTextOf(browser, selector) {
  return browser.execute((css) => document.querySelector(css)?.textContent ?? "", selector);
}

/** Chooses an option of a select by its label, as a person would from the drop-down. */
async function choose(browser, selectLabel, optionText) {
  const select = await browser.$(`select[aria-label="${selectLabel}"]`);
  await select.waitForExist({ timeout: 15000, timeoutMsg: `no select "${selectLabel}"` });
  await select.selectByVisibleText(optionText);
}

test("a status export imported in the dialog is mapped in the matrix and saved in the project", async () => {
  const folder = mkdtempSync(join(tmpdir(), "baton-e2e-source-"));
  const source = join(folder, "discharge-status.csv");
  // "State" and "N" are not usual header names: the consultant maps them in the dialog.
  writeFileSync(
    source,
    "Field;State;Site;N;Patient MRN\nDischarge Status;Ready to go;North Campus Hospital;12;MRN1\n" +
      "Discharge Status;Left unit;Riverside Community Hospital;30;MRN2\n" +
      "Discharge Status;Held for Mrs. Alvarez;North Campus Hospital;2;MRN3\n",
  );
  const browser = await session();
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await (await browser.$("button=EMR data")).click();
    await (await browser.$('[data-testid="mapping-matrix"]')).waitForExist({ timeout: 15000 });
    await (await browser.$("button=Import status export…")).click();
    const input = await browser.$('input[aria-label="Source file"]');
    await input.setValue(source);
    await browser.keys("Enter");
    await browser.waitUntil(
      async () => /Patient MRN/.test(await textOf(browser, '[data-testid="import-preview"]')),
      {
        timeout: 15000,
        timeoutMsg: "the preview did not show the file's columns",
      },
    );
    assert.match(await textOf(browser, '[data-testid="import-format"]'), /CSV/);
    await choose(browser, "Column for Value", "State");
    await choose(browser, "Column for Count", "N");
    await browser.waitUntil(
      async () => /State\s*Value/.test(await textOf(browser, '[data-testid="import-preview"]')),
      { timeout: 15000, timeoutMsg: "the preview did not follow the chosen mapping" },
    );
    await (await browser.$("button=Import")).click();
    await browser.waitUntil(
      async () =>
        /imported discharge-status\.csv/.test(await textOf(browser, '[data-testid="import-summary"]')),
      {
        timeout: 30000,
        timeoutMsg: "the import summary did not appear",
      },
    );
    assert.match(await textOf(browser, '[data-testid="import-summary"]'), /dropped: Patient MRN/);
    // A value naming a patient was stored as a placeholder; the summary lists it to confirm.
    assert.match(
      await textOf(browser, '[data-testid="import-summary"]'),
      /replaced: 1 value that looked like a patient name/,
    );
    assert.match(await textOf(browser, '[data-testid="replaced-texts"]'), /Mrs\. Alvarez/);
    if (process.env.E2E_SCREENSHOTS) {
      await browser.saveScreenshot(join(process.env.E2E_SCREENSHOTS, "import-summary.png"));
    }
    assert.match(await textOf(browser, '[data-testid="mapping-matrix"]'), /Ready to go/);

    await choose(browser, "Ready to go at every facility", "Ordered");
    await browser.waitUntil(
      async () =>
        browser.execute(
          () =>
            document.querySelector('select[aria-label="Ready to go at every facility"]')?.closest("td")
              ?.className === "mapped",
        ),
      { timeout: 15000, timeoutMsg: "the mapping did not show as set" },
    );
    const bundle = exportedProject();
    assert.match(readFileSync(join(bundle, "emr", "fields.yaml"), "utf8"), /Discharge Status/);
    const mappings = readFileSync(join(bundle, "mappings.yaml"), "utf8");
    const block = mappings
      .split("\n- ")
      .find((b) => /state: o2-ordered/.test(b) && !/map-sc-ordered/.test(b));
    assert.ok(block, `a new mapping to o2-ordered is in the project file:\n${mappings}`);
    assert.doesNotMatch(readFileSync(join(bundle, "emr", "value-counts.csv"), "utf8"), /MRN/);
    assert.doesNotMatch(readFileSync(join(bundle, "emr", "fields.yaml"), "utf8"), /Alvarez/);
  } finally {
    await browser.deleteSession();
  }
});

test("the sample's event log opens as a process map whose marked path leads to its finding, and on to the map", async () => {
  const browser = await session();
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await (await browser.$("button=EMR data")).click();
    const logs = await browser.$('[data-testid="event-logs"]');
    await logs.waitForExist({ timeout: 15000, timeoutMsg: "the event logs are not listed" });
    assert.match(await textOf(browser, '[data-testid="event-logs"]'), /respiratory-log\.csv/);
    await (await browser.$("button=Open process map")).click();
    const map = await browser.$('[data-testid="process-map"]');
    await map.waitForExist({ timeout: 15000, timeoutMsg: "the process map did not open" });
    await browser.waitUntil(
      async () =>
        /Chart assessment in flowsheet/.test(await allTextOf(browser, '[data-testid="process-map"]')),
      {
        timeout: 15000,
        timeoutMsg: "the map does not show the log's activities",
      },
    );
    // Performance: the labels become waits in words.
    await (await browser.$('button[role="radio"]=Performance')).click();
    await browser.waitUntil(
      async () => /median wait/.test(await textOf(browser, '[data-testid="process-map"] h2')),
      {
        timeout: 15000,
        timeoutMsg: "the map did not switch to performance",
      },
    );
    if (process.env.E2E_SCREENSHOTS) {
      await browser.saveScreenshot(join(process.env.E2E_SCREENSHOTS, "process-map.png"));
    }
    // The path the log takes and the current-state map lacks opens its finding.
    await browser.execute(() =>
      document
        .querySelector('[data-disagreement="undocumented"]')
        ?.dispatchEvent(new MouseEvent("click", { bubbles: true })),
    );
    await (await browser.$('[data-testid="findings-view"]')).waitForExist({ timeout: 30000 });
    await browser.waitUntil(
      async () =>
        browser.execute(
          () => document.querySelector('[data-kind="undocumented_transition"] details')?.open === true,
        ),
      { timeout: 30000, timeoutMsg: "the finding was not opened" },
    );
    // Narrowed by a search in the core, then shown on the swimlanes.
    const search = await browser.$('input[aria-label="Search findings"]');
    await search.setValue("flowsheet");
    await browser.waitUntil(
      async () => /of \d+ findings match/.test(await textOf(browser, '[data-testid="findings-view"]')),
      {
        timeout: 30000,
        timeoutMsg: "the search did not narrow the list",
      },
    );
    await browser.execute(() =>
      [...document.querySelectorAll('[data-kind="undocumented_transition"] button')]
        .find((b) => b.textContent === "Show on map")
        ?.click(),
    );
    const panel = await browser.$('[data-testid="evidence-panel"]');
    await panel.waitForExist({ timeout: 30000, timeoutMsg: "Show on map did not open the step's findings" });
    assert.match(await textOf(browser, '[data-testid="evidence-panel"]'), /Chart assessment in flowsheet/);
    if (process.env.E2E_SCREENSHOTS) {
      await browser.saveScreenshot(join(process.env.E2E_SCREENSHOTS, "show-on-map.png"));
    }
  } finally {
    await browser.deleteSession();
  }
});

test("two sites' log aggregates are merged in the dialog into one log of the project", async () => {
  const folder = mkdtempSync(join(tmpdir(), "baton-e2e-aggregate-"));
  // What a warehouse returns for the query of `baton sql` at each site (CSV, its own column case).
  const bucket = (seconds) => Math.ceil(Math.log(seconds) / Math.log(1.01 / 0.99));
  const site = (name, facility, wait, hash) => {
    const path = join(folder, `${name}.csv`);
    writeFileSync(
      path,
      [
        "KIND,FACILITY,ACTIVITY,NEXT_ACTIVITY,ROLE,BUCKET,COUNT,TOTAL_US,EXAMPLE",
        "aggregate,,,,,,1,,",
        `first,,,,,,,${Date.UTC(2026, 2, 1) * 1000},`,
        `last,,,,,,,${(Date.UTC(2026, 2, 1) + wait * 1000) * 1000},`,
        `activity,${facility},Order placed,,,,1,,`,
        `activity,${facility},Order verified,,,,1,,`,
        `start,${facility},Order placed,,,,1,,`,
        `end,${facility},Order verified,,,,1,,`,
        `role,${facility},Order placed,,RN,,1,,`,
        `role,${facility},Order verified,,RT,,1,,`,
        `edge,${facility},Order placed,Order verified,,,1,${wait * 1000000},`,
        `wait,${facility},Order placed,Order verified,,${bucket(wait)},1,,`,
        `variant,${facility},Order placed\u001fOrder verified,,,,1,,${hash}`,
      ].join("\n") + "\n",
    );
    return path;
  };
  const north = site("north", "North Campus Hospital", 3600, "a".repeat(64));
  const riverside = site("riverside", "Riverside Community Hospital", 600, "B".repeat(64));
  const browser = await session();
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await (await browser.$("button=EMR data")).click();
    await (await browser.$("button=Import log aggregates…")).click();
    for (const file of [north, riverside]) {
      await (await browser.$('input[aria-label="Aggregate file"]')).setValue(file);
      await (await browser.$("button=Add")).click();
    }
    await (await browser.$('input[aria-label="Log name"]')).setValue("network order log");
    if (process.env.E2E_SCREENSHOTS) {
      await browser.saveScreenshot(join(process.env.E2E_SCREENSHOTS, "aggregate-dialog.png"));
    }
    await (await browser.$("button=Import")).click();
    await browser.waitUntil(
      async () => /imported network order log/.test(await textOf(browser, '[data-testid="import-summary"]')),
      { timeout: 30000, timeoutMsg: "the import summary did not appear" },
    );
    assert.match(
      await textOf(browser, '[data-testid="event-logs"]'),
      /network order log\s+4 events in 2 cases/,
    );
    const bundle = exportedProject();
    const imports = readFileSync(join(bundle, "imports.yaml"), "utf8");
    assert.match(imports, /name: network order log/);
    assert.match(imports, /format: aggregate/);
  } finally {
    await browser.deleteSession();
  }
});
