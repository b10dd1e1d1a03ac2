// End-to-end: a clinical lead drags a step into another lane of the swimlane editor; the owner
// changes in the project file, and Undo puts it back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exportedProject, session } from "./helpers.mjs";

/** The owner of step `id` of the oxygen titration workflow, as the project file holds it. */
function ownerInProjectFile(id) {
  const yaml = readFileSync(join(exportedProject(), "workflows", "oxygen-titration.yaml"), "utf8");
  const block = yaml.split("\n- ").find((b) => b.startsWith(`id: ${id}\n`)) ?? "";
  return /\n {2}owner: (\S+)/.exec(block)?.[1] ?? null;
}

/** The centre of an element on the screen (viewport pixels). */
async function centreOf(browser, selector) {
  return browser.execute((css) => {
    const r = document.querySelector(css)?.getBoundingClientRect();
    return r ? { x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2) } : null;
  }, selector);
}

test("dragging a step into another lane changes its owner in the project, and Undo restores it", async () => {
  const browser = await session();
  try {
    await browser.waitUntil(
      async () =>
        (await browser.execute(() => document.querySelector('[data-testid="project-name"]')?.innerText)) ===
        "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await (await browser.$("button=Swimlanes")).click();
    const step = '[data-step="o2-document"]';
    await browser.waitUntil(async () => (await centreOf(browser, step)) !== null, {
      timeout: 20000,
      timeoutMsg: "the swimlane editor did not draw the oxygen titration steps",
    });
    // The editor fits the diagram to the window once it is drawn; drag only when it is still.
    let last = null;
    await browser.waitUntil(
      async () => {
        const now = JSON.stringify(await centreOf(browser, step));
        const still = now === last;
        last = now;
        return still;
      },
      { timeout: 15000, interval: 400, timeoutMsg: "the diagram kept moving" },
    );
    // A diagram too long for the window at a readable size is read in parts: go to the step's.
    const onCanvas = () =>
      browser.execute((css) => {
        const r = document.querySelector(css)?.getBoundingClientRect();
        const c = document.querySelector('[data-testid="diagram-canvas"]')?.getBoundingClientRect();
        return (
          !!r && !!c && r.left >= c.left && r.right <= c.right - 210 && r.top >= c.top && r.bottom <= c.bottom
        );
      }, step);
    const partButtons = await browser.$$('[aria-label="Parts of the diagram"] button');
    for (const button of partButtons) {
      if (await onCanvas()) break;
      await button.click();
      await browser.pause(400);
    }
    assert.ok(await onCanvas(), "the step is on screen in one of the diagram's parts");
    assert.equal(ownerInProjectFile("o2-document"), "rt");
    const from = await centreOf(browser, step);
    const lane = await centreOf(browser, '[data-lane-band="rn"]');
    assert.ok(from && lane, "the step and the RN lane are on screen");
    await browser
      .action("pointer", { parameters: { pointerType: "mouse" } })
      .move({ x: from.x, y: from.y, origin: "viewport" })
      .down({ button: 0 })
      .move({ x: from.x + 4, y: from.y + 6, origin: "viewport", duration: 100 })
      .move({ x: from.x, y: lane.y, origin: "viewport", duration: 400 })
      .up({ button: 0 })
      .perform();
    await browser.waitUntil(async () => ownerInProjectFile("o2-document") === "rn", {
      timeout: 15000,
      timeoutMsg: "the dropped step's owner did not change to RN in the project file",
    });
    // The editor redraws the step inside the RN lane.
    await browser.waitUntil(
      async () =>
        (await browser.execute((css) => document.querySelector(css)?.getAttribute("data-lane"), step)) ===
        "rn",
      { timeout: 15000, timeoutMsg: "the step is not drawn in the RN lane" },
    );
    await (await browser.$("button=Undo")).click();
    await browser.waitUntil(async () => ownerInProjectFile("o2-document") === "rt", {
      timeout: 15000,
      timeoutMsg: "Undo did not give the step back to RT",
    });
  } finally {
    await browser.deleteSession().catch(() => undefined);
  }
});
