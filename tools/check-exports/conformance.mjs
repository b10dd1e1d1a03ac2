// Runs each export in its engine, one instance per case, and compares what happens with Baton's
// reference interpreter (docs/semantics.md): the states entered, the escalations, the
// write-backs, whether the case finished and the tasks open at the end.
// - XState: an actor of the machine on a simulated clock (xstate-host.mjs);
// - SCXML: the file as exported, loaded by SCION, its timers on a simulated clock (scxml-host.mjs);
// - BPMN: the file as exported, run by bpmn-engine with FEEL by @bpmn-io/feelin, user tasks
//   completed before or after their message, timers on a simulated clock (bpmn-host.mjs);
// - Serverless Workflow: the JSON export walked by a test oracle of the DSL's rules with jq
//   (serverless-walker.mjs; no 1.0 runtime is published).
// Usage: node conformance.mjs CASES.json [ENGINE...] [--fail-fast], the file tests/design/conformance.rs writes:
// {"versions": [{"name", "xstate", "serverless" (documents), "scxml", "bpmn" (paths), "cases": [{"facility", "inputs": [{"at", "event"?, "data"}], "expected"}]}]}
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createActor, SimulatedClock } from "xstate";
import { hostedMachine } from "./xstate-host.mjs";
import { prepared, runCase } from "./scxml-host.mjs";
import { runCases } from "./bpmn-host.mjs";
import { runCases as walk } from "./serverless-walker.mjs";

const { versions } = JSON.parse(readFileSync(process.argv[2], "utf8"));
// --fail-fast: stop at the first disagreement (for copies broken on purpose).
const failFast = process.argv.includes("--fail-fast");
const chosen = process.argv.slice(3).filter((a) => !a.startsWith("--"));
const engines =
  chosen.length > 0 ? chosen : ["xstate", "scxml", "bpmn", "serverless"];
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

/** The engines whose definitions correlate events to cases, and how to run cases together. */
const correlating = new Map(
  [
    [
      "bpmn",
      (version, cases, n) =>
        runCases(version.bpmn, cases, { early: n % 2 === 1 }),
    ],
    ["serverless", (version, cases) => walk(version.serverless, cases)],
  ].filter(([e]) => engines.includes(e)),
);
let pairRuns = 0;

/** Compares an engine's record of a case with the reference's. */
function compare(engine, what, c, record) {
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
      `${engine} ${what}: ${JSON.stringify(c.inputs)}\n  ${engine}: ${JSON.stringify(got)}\n  expected: ${JSON.stringify(c.expected)}`,
    );
    if (failFast) {
      console.error(`runs disagree:\n${failures[0]}`);
      process.exit(1);
    }
  }
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
          : engine === "scxml"
            ? runCase(scion, c.facility, c.inputs)
            : engine === "serverless"
              ? (
                  await walk(version.serverless, [
                    { id: `case-${n}`, facility: c.facility, inputs: c.inputs },
                  ])
                )[0]
              : // Every other case, the owner completes the task in a worklist before the event.
                (
                  await runCases(
                    version.bpmn,
                    [
                      {
                        id: `case-${n}`,
                        facility: c.facility,
                        inputs: c.inputs,
                      },
                    ],
                    { early: n % 2 === 1 },
                  )
                )[0];
      compare(engine, `${version.name}, case ${n + 1}`, c, record);
    }
  }
  // Two cases at once, their events interleaved: each event must reach its own case only. This
  // matters where the definition itself says how an event finds its case (BPMN's correlation key).
  for (const [n, pair] of (version.pairs ?? []).entries()) {
    for (const engine of engines.filter((e) => correlating.has(e))) {
      const cases = pair.map((c, k) => ({ ...c, id: `pair-${n}-${k}` }));
      const records = await correlating.get(engine)(version, cases, n);
      for (const [k, c] of pair.entries()) {
        total += 1;
        pairRuns += 1;
        compare(
          engine,
          `${version.name}, pair ${n + 1} case ${k + 1}`,
          c,
          records[k],
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
const single = total - pairRuns;
console.log(
  `ok conformance (${engines.join(", ")}): ${single} runs of ${single / engines.length} cases in ${versions.length} versions agree with the reference, and ${pairRuns} runs of interleaved cases`,
);
