// Evaluates each guard as every export writes it, in the language's own evaluator, against the
// answer of Baton's reference semantics (docs/semantics.md, Guards):
// - FEEL (BPMN / Camunda 8) with @bpmn-io/feelin, the evaluator bpmn-engine uses;
// - jq (Serverless Workflow) with the jq program itself;
// - ECMAScript (XState and SCXML) with the JavaScript engine running this script;
// - FHIRPath (the FHIR PlanDefinition's conditions) with the fhirpath package.
// Usage: node guards.mjs CASES.json, the file the `guards_mean_the_same_in_every_dialect` test
// writes: [{guard, feel, jq, ecmascript, scxml, facility, data, expected}].
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { evaluate } from "@bpmn-io/feelin";
import fhirpath from "fhirpath";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const failures = [];

const feel = (c) =>
  evaluate(c.feel, { event: c.data, facility: c.facility }).value === true;
const js = (c) =>
  new Function("context", "event", `return (${c.ecmascript});`)(
    { facility: c.facility },
    { data: c.data },
  ) === true;
const fhir = (c) => {
  const out = fhirpath.evaluate({}, c.fhirpath, {
    event: c.data,
    facility: c.facility,
  });
  return out.length === 1 && out[0] === true;
};
const scxml = (c) =>
  new Function("_event", "facility", `return (${c.scxml});`)(
    { data: c.data },
    c.facility,
  ) === true;

// jq runs once per guard: each line of its input is one payload, each line of its output one answer.
const jqAnswers = new Array(cases.length);
const byGuard = new Map();
cases.forEach((c, i) => byGuard.set(c.jq, [...(byGuard.get(c.jq) ?? []), i]));
for (const [expression, indexes] of byGuard) {
  const input = indexes
    .map((i) =>
      JSON.stringify({
        event: { data: cases[i].data },
        workflow: { input: { facility: cases[i].facility } },
      }),
    )
    .join("\n");
  const out = execFileSync(
    "jq",
    ["-c", `. as {workflow: $workflow} | .event | (${expression})`],
    { input },
  )
    .toString()
    .trim()
    .split("\n");
  indexes.forEach((i, k) => (jqAnswers[i] = out[k] === "true"));
}

/** The answer, or the error a language's evaluator threw (a disagreement too). */
const safely = (f, c) => {
  try {
    return f(c);
  } catch (e) {
    return `error: ${e.message}`;
  }
};

cases.forEach((c, i) => {
  const got = {
    feel: safely(feel, c),
    jq: jqAnswers[i],
    ecmascript: safely(js, c),
    scxml: safely(scxml, c),
    fhirpath: safely(fhir, c),
  };
  for (const [dialect, value] of Object.entries(got)) {
    if (value !== c.expected) {
      failures.push(
        `${dialect}: ${c.guard} with ${JSON.stringify(c.data)} at ${c.facility}: ${value}, Baton says ${c.expected} (${c[dialect]})`,
      );
    }
  }
});
assert.equal(
  failures.length,
  0,
  `${failures.length} disagreements:\n${failures.slice(0, 40).join("\n")}`,
);
console.log(
  `ok guards: ${cases.length} guard/payload pairs agree in FEEL, jq, ECMAScript, SCXML and FHIRPath`,
);
