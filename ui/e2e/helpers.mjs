// What the end-to-end tests share: a WebDriver session on the built app, and the project file the
// app keeps in its data folder, read back through the CLI.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { remote } from "webdriverio";

export const application = process.env.BATON_APP_BINARY;

/** A WebDriver session on the app; `args` go to the app's command line. */
export async function session(args = []) {
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
      "tauri:options": { application, args },
    },
  });
}

/** The project file the app opened on first start, exported by the CLI as a bundle; returns the
 * bundle folder. */
export function exportedProject() {
  const data = process.env.BATON_DATA_DIR;
  assert.ok(data, "BATON_DATA_DIR names the app's data folder");
  const file = readdirSync(data).find((name) => name.endsWith(".baton"));
  assert.ok(file, `the app keeps its project in ${data}`);
  const out = mkdtempSync(join(tmpdir(), "baton-e2e-"));
  execFileSync(join(dirname(application), "baton"), ["bundle", "export", join(data, file), out]);
  return out;
}
