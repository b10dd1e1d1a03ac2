// Runs each export in its engine, one instance per case, and compares what happens with Baton's
// reference interpreter (docs/semantics.md): the states entered, the escalations, the
// write-backs, whether the case finished and the tasks open at the end.
// - XState: an actor of the machine on a simulated clock (xstate-host.mjs);
// - SCXML: the file as exported, loaded by SCION, its timers on a simulated clock (scxml-host.mjs).
// Usage: node conformance.mjs CASES.json [ENGINE...], the file tests/design/conformance.rs writes:
// {"versions": [{"name", "xstate", "scxml" (a path), "cases": [{"facility", "inputs": [{"at", "event"?, "data"}], "expected"}]}]}
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createActor, SimulatedClock } from "xstate";
import { hostedMachine } from "./xstate-host.mjs";
import { prepared, runCase } from "./scxml-host.mjs";

const { versions } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const engines =
  process.argv.length > 3 ? process.argv.slice(3) : ["xstate", "scxml"];
const failures = [];
let total = 0;

/** What an XState actor of the version does with the case. */
function xstateRun(config, c) {
  const { machine, record } = hostedMachine(config, c.facility);
  const clock = new SimulatedClock();
  const actor = createActor(machine, { clock });
  actor.start();
  let now = c.inputs[0]?.at ?? 0;
  for (const input of c.inputs) {
    clock.increment((input.at - now) * 1000);
    now = input.at;
    if (input.event) actor.send({ type: input.event, data: input.data ?? {} });
  }
  return { ...record, finished: actor.getSnapshot().status === "done" };
}

for (const version of versions) {
  const scion = engines.includes("scxml")
    ? await prepared(version.scxml)
    : null;
  for (const [n, c] of version.cases.entries()) {
    for (const engine of engines) {
      total += 1;
      const record =
        engine === "xstate"
          ? xstateRun(version.xstate, c)
          : runCase(scion, c.facility, c.inputs);
      const got = {
        entered: record.entered,
        escalations: record.escalations,
        write_backs: record.writeBacks,
        finished: record.finished,
        open_tasks: record.finished ? [] : record.openTasks,
      };
      try {
        assert.deepEqual(got, c.expected);
      } catch {
        failures.push(
          `${engine} ${version.name}, case ${n + 1}: ${JSON.stringify(c.inputs)}\n  ${engine}: ${JSON.stringify(got)}\n  expected: ${JSON.stringify(c.expected)}`,
        );
      }
    }
  }
}
assert.equal(
  failures.length,
  0,
  `${failures.length} of ${total} runs disagree:\n${failures.slice(0, 10).join("\n")}`,
);
console.log(
  `ok conformance (${engines.join(", ")}): ${total} runs of ${total / engines.length} cases in ${versions.length} versions agree with the reference`,
);
