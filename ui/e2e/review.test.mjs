// End-to-end: the consultant sends version 2 of the Respiratory assessment for review from
// Proposals, the clinical lead's saved review comes back, and Import review… brings the comments
// and the sign-off into the project (its own data folder, so the other tests' sample is untouched).
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

/** What a reviewer saves from the packet: the packet's data with a comment and an approval. */
function reviewFrom(packet) {
  const html = readFileSync(packet, "utf8");
  const start = html.indexOf('<script type="application/json" id="packet-data">');
  const body = html.slice(html.indexOf(">", start) + 1, html.indexOf("</script>", start));
  const data = JSON.parse(body);
  return {
    format: "baton-review",
    format_version: 1,
    project_id: data.project_id,
    workflow_id: data.workflow_id,
    workflow: data.workflow,
    version_id: data.version_id,
    version: data.version,
    content_hash: data.content_hash,
    content_scheme: data.content_scheme,
    reviewed_version: data.reviewed_version,
    reviewer: { name: "Dr. Amara Okafor", role: "Medical director" },
    comments: [
      {
        id: "rv-e2e-1",
        target_kind: "state",
        target_id: "ra-v2-reconciled",
        parent_id: null,
        author: "Dr. Amara Okafor (Medical director)",
        text: "Four hours is right for the physician review.",
        created_at: "2026-12-01T10:00:00Z",
        resolved: false,
      },
    ],
    resolved: [],
    signoff: {
      name: "Dr. Amara Okafor",
      role: "Medical director",
      signed_on: "2026-12-01",
      decision: "approved",
      comment: "Approved for all three facilities.",
    },
    saved_at: "2026-12-01T10:05:00Z",
  };
}

test("a version sent for review comes back with the lead's comment and sign-off", async () => {
  const folder = mkdtempSync(join(tmpdir(), "baton-e2e-review-"));
  const data = join(folder, "app-data");
  const browser = await session([`--data-dir=${data}`]);
  try {
    await browser.waitUntil(
      async () => (await textOf(browser, '[data-testid="project-name"]')) === "Respiratory care network",
      { timeout: 30000, timeoutMsg: "the sample project did not open" },
    );
    await (await browser.$("button=Proposals")).click();
    const workflow = await browser.$('select[aria-label="Workflow"]');
    await workflow.waitForExist({ timeout: 15000 });
    await workflow.selectByVisibleText("Respiratory assessment");
    await (await browser.$('select[aria-label="Version"]')).selectByVisibleText("Version 2");
    await browser.waitUntil(async () => /Valid/.test(await textOf(browser, '[data-testid="validation"]')), {
      timeout: 15000,
      timeoutMsg: "version 2 did not show as valid",
    });

    // Send for review: one HTML file.
    await (await browser.$("button=Send for review…")).click();
    const packet = join(folder, "respiratory-assessment-v2");
    await (await browser.$('input[aria-label="Review packet file"]')).setValue(packet);
    await (await browser.$("button=Write packet")).click();
    await browser.waitUntil(
      async () => /Wrote the review packet/.test(await textOf(browser, ".notice-line")),
      {
        timeout: 15000,
        timeoutMsg: "the packet was not written",
      },
    );
    assert.ok(existsSync(`${packet}.html`), "the packet gets .html");
    assert.match(
      readFileSync(`${packet}.html`, "utf8"),
      /Content-Security-Policy" content="default-src 'none'/,
    );

    // The lead's review comes back.
    const saved = join(folder, "respiratory-assessment-v2.baton-review.json");
    writeFileSync(saved, JSON.stringify(reviewFrom(`${packet}.html`)));
    await (await browser.$("button=Import review…")).click();
    await (await browser.$('input[aria-label="Review file"]')).setValue(saved);
    await (await browser.$("button=Import")).click();
    await browser.waitUntil(
      async () =>
        /Review by Dr. Amara Okafor of Respiratory assessment, version 2/.test(
          await textOf(browser, ".notice-line"),
        ),
      { timeout: 15000, timeoutMsg: "the review was not imported" },
    );
    await browser.waitUntil(async () => /Dr. Amara Okafor/.test(await textOf(browser, ".proposals")), {
      timeout: 15000,
      timeoutMsg: "the sign-off is not listed on the version",
    });
    if (process.env.E2E_SCREENSHOTS) {
      await browser.pause(700);
      await browser.saveScreenshot(join(process.env.E2E_SCREENSHOTS, "review-imported.png"));
    }
  } finally {
    await browser.deleteSession();
  }
  // The project file holds both, and undo is one step.
  const file = readdirSync(data).find((name) => name.endsWith(".baton"));
  const out = join(folder, "bundle");
  execFileSync(join(dirname(application), "baton"), ["bundle", "export", join(data, file), out]);
  assert.match(
    readFileSync(join(out, "comments.yaml"), "utf8"),
    /Four hours is right for the physician review/,
  );
  assert.match(readFileSync(join(out, "signoffs.yaml"), "utf8"), /name: Dr\. Amara Okafor/);
});
