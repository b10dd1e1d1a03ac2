// End-to-end: axe-core, run inside the real app on every screen of the sample, finds no serious or
// critical accessibility violation (labels, names, focus, WCAG 2.1 AA contrast).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { session } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function textOf(browser, selector) {
  return browser.execute((css) => document.querySelector(css)?.innerText ?? "", selector);
}

/** The serious and critical violations on the page as it is now, in words. */
async function violations(browser) {
  await browser.execute(AXE);
  const found = await browser.executeAsync((done) => {
    window.axe
      .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
      .then((r) =>
        done(
          r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 4),
          })),
        ),
      )
      .catch((e) => done([{ id: "axe-failed", impact: "critical", help: String(e), nodes: [] }]));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}

test("no screen of the sample has a serious or critical accessibility violation", async () => {
  // A data folder of its own, so the sample opens whatever the other tests did.
  const browser = await session([`--data-dir=${mkdtempSync(join(tmpdir(), "baton-e2e-axe-"))}`]);
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    const problems = [];
    for (const screen of [
      "Home",
      "Interviews",
      "Current state",
      "Swimlanes",
      "EMR data",
      "Findings",
      "Proposals",
      "Telemetry",
    ]) {
      await (await browser.$(`button=${screen}`)).click();
      // Let the screen load its view (findings and replays run in the background).
      await browser.pause(2500);
      if (process.env.E2E_SCREENSHOTS) {
        const name = `screen-${screen.toLowerCase().replace(/ /g, "-")}${process.env.E2E_SHOT_SUFFIX ?? ""}.png`;
        await browser.saveScreenshot(join(process.env.E2E_SCREENSHOTS, name));
      }
      for (const v of await violations(browser)) {
        problems.push(`${screen}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(", ")}`);
      }
    }
    assert.deepEqual(problems, []);
  } finally {
    await browser.deleteSession().catch(() => undefined);
  }
});
