// Runs each XState export as an actor on a simulated clock, one actor per case, and compares what
// happens with Baton's reference interpreter (docs/semantics.md): the states entered, the
// escalations, the write-backs, whether the case finished and the tasks open at the end.
// Usage: node conformance.mjs CASES.json, the file tests/design/conformance.rs writes:
// {"versions": [{"name", "xstate", "cases": [{"facility", "inputs": [{"at", "event"?, "data"}], "expected"}]}]}
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createActor, SimulatedClock } from "xstate";
import { hostedMachine } from "./xstate-host.mjs";

const { versions } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const failures = [];
let total = 0;
for (const version of versions) {
  for (const [n, c] of version.cases.entries()) {
    total += 1;
    const { machine, record } = hostedMachine(version.xstate, c.facility);
    const clock = new SimulatedClock();
    const actor = createActor(machine, { clock });
    actor.start();
    const start = c.inputs[0]?.at ?? 0;
    let now = start;
    for (const input of c.inputs) {
      clock.increment((input.at - now) * 1000);
      now = input.at;
      if (input.event)
        actor.send({ type: input.event, data: input.data ?? {} });
    }
    const finished = actor.getSnapshot().status === "done";
    const got = {
      entered: record.entered,
      escalations: record.escalations,
      write_backs: record.writeBacks,
      finished,
      open_tasks: finished ? [] : record.openTasks,
    };
    try {
      assert.deepEqual(got, c.expected);
    } catch {
      failures.push(
        `${version.name}, case ${n + 1}: ${JSON.stringify(c.inputs)}\n  xstate:   ${JSON.stringify(got)}\n  expected: ${JSON.stringify(c.expected)}`,
      );
    }
  }
}
assert.equal(
  failures.length,
  0,
  `${failures.length} of ${total} cases disagree:\n${failures.slice(0, 10).join("\n")}`,
);
console.log(
  `ok xstate conformance: ${total} cases in ${versions.length} versions agree with the reference`,
);
