// Runs a BPMN export in bpmn-engine, with @bpmn-io/feelin evaluating its FEEL (conditions,
// candidate groups, correlation keys) and its timers on a simulated clock. The host plays the
// parts Zeebe would play around the file:
// - it starts each instance with the variables the file's header asks for (case_id, facility);
// - it publishes each event as a message the way Zeebe correlates one: to every running instance
//   whose subscription's correlationKey (a FEEL expression in the file) evaluates to the message's
//   key, with the event's fields as the variable `event`;
// - it completes user tasks as a worklist would, before or after their message arrives;
// - it records what each case goes through as the reference semantics describes it
//   (docs/semantics.md): states entered, tasks open, escalations, write-backs, completion.
import { readFileSync } from "node:fs";
import { EventEmitter } from "node:events";
import { newRecord } from "./record.mjs";
import { createRequire } from "node:module";
import { Engine } from "bpmn-engine";
import { Timers } from "bpmn-elements";
import { evaluate } from "@bpmn-io/feelin";

const require = createRequire(import.meta.url);
const zeebe = require("zeebe-bpmn-moddle/resources/zeebe.json");

/** FEEL for expressions that start with `=`; anything else is a static value. */
function feel(text, variables) {
  return evaluate(text.slice(1), variables ?? {}).value;
}

/** bpmn-engine's expression hook, evaluating FEEL over one instance's variables. */
function expressions(variables) {
  return {
    resolveExpression(text) {
      if (typeof text !== "string" || !text.startsWith("=")) return text;
      return feel(text, variables);
    },
    isExpression: (text) => typeof text === "string" && text.startsWith("="),
    hasExpression: (text) => typeof text === "string" && text.startsWith("="),
  };
}

/** What the file declares, read from its text: messages, subscriptions, task headers. */
export function read(path) {
  const source = readFileSync(path, "utf8");
  const attr = (tag, name) => tag.match(new RegExp(`${name}="([^"]*)"`))?.[1];
  const unescape = (s) =>
    s
      ?.replaceAll("&quot;", '"')
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&");
  const messages = new Map();
  for (const m of source.matchAll(
    /<bpmn:message ([^>]*?)(\/>|>([\s\S]*?)<\/bpmn:message>)/g,
  )) {
    const key = m[3]?.match(/correlationKey="([^"]*)"/)?.[1];
    messages.set(unescape(attr(m[1], "name")), {
      id: attr(m[1], "id"),
      correlationKey: unescape(key),
    });
  }
  const groups = new Map();
  for (const m of source.matchAll(
    /<bpmn:userTask id="([^"]*)"[\s\S]*?candidateGroups="([^"]*)"/g,
  ))
    groups.set(m[1], unescape(m[2]));
  const headers = new Map();
  for (const m of source.matchAll(
    /<bpmn:serviceTask id="([^"]*)"[^>]*>([\s\S]*?)<\/bpmn:serviceTask>/g,
  )) {
    const h = {};
    for (const x of m[2].matchAll(
      /<zeebe:header key="([^"]*)" value="([^"]*)"/g,
    ))
      h[x[1]] = unescape(x[2]);
    const pairs = [];
    for (let k = 1; `field_${k}` in h; k++)
      pairs.push(`${h[`field_${k}`]}=${h[`value_${k}`]}`);
    headers.set(m[1], pairs);
  }
  return { source, messages, groups, headers };
}

/** The file read and parsed once, for every instance of it. */
const parsed = new Map();
async function load(path) {
  if (!parsed.has(path)) {
    const file = read(path);
    // bpmn-moddle parses the file once; every instance starts from the same parsed context.
    file.context = await new Engine({
      moddleOptions: { zeebe },
    })._serializeSource(file.source);
    parsed.set(path, file);
  }
  return parsed.get(path);
}

/** bpmn-engine's logger, silent (its default checks the terminal for every element). */
function quiet() {
  return { debug() {}, error() {}, warn() {} };
}

/** A simulated clock for bpmn-engine's timers. */
function clock() {
  const pending = new Map();
  let now = 0;
  let next = 0;
  return {
    get now() {
      return now;
    },
    set now(value) {
      now = value;
    },
    /** Timers for one instance on this clock (an instance that ends clears its own timers). */
    timers() {
      return new Timers({
        setTimeout(callback, delay, ...args) {
          next += 1;
          pending.set(next, {
            due: now + Math.round(delay / 1000),
            callback,
            args,
          });
          return next;
        },
        clearTimeout(ref) {
          pending.delete(ref);
        },
      });
    },
    /** The timer due first at or before `at`, taken off the clock. */
    due(at) {
      const first = [...pending.entries()]
        .filter(([, t]) => t.due <= at)
        .sort((a, b) => a[1].due - b[1].due || a[0] - b[0])[0];
      if (!first) return null;
      pending.delete(first[0]);
      return first[1];
    },
  };
}

/** One running instance of the file, and what it went through. */
async function instance(file, time, caseId, facility) {
  const record = { ...newRecord(), waiting: new Map() };
  let started = false;
  // The instance's variables, as Zeebe keeps them: set at the start, and `event` set whole by
  // every message.
  const variables = { case_id: caseId, facility: facility ?? null };
  const engine = new Engine({
    name: caseId,
    sourceContext: file.context,
    Logger: quiet,
    expressions: expressions(variables),
    timers: time.timers(),
    settings: { enableDummyService: true },
  });
  const listener = new EventEmitter();
  listener.on("activity.start", (api) => {
    console.error("start", api.type, api.id, api.name);
    if (api.type === "bpmn:SubProcess" && api.id.startsWith("State_")) {
      // Entering a state: the tasks of the state left are closed.
      record.openTasks = [];
      if (started) record.entered.push(api.name);
      started = true;
    } else if (api.type === "bpmn:EndEvent" && api.id.startsWith("End_")) {
      record.openTasks = [];
      record.entered.push(api.name);
    } else if (api.type === "bpmn:ServiceTask") {
      record.writeBacks.push(...(file.headers.get(api.id) ?? []));
    }
  });
  listener.on("wait", (api) => {
    if (api.type === "bpmn:MessageEventDefinition") {
      // An open subscription: the catch waits for its message.
      record.waiting.set(api.id, api);
      return;
    }
    if (api.type !== "bpmn:UserTask") return;
    const expression = file.groups.get(api.id) ?? "";
    const role = expression.startsWith("=")
      ? feel(expression, variables)
      : expression;
    if (api.id.startsWith("Escalate_")) record.escalations.push(role);
    record.openTasks.push({ name: api.name, role });
    record.waiting.set(api.id, api);
  });
  listener.on("activity.leave", (api) => record.waiting.delete(api.id));
  engine.on("end", () => {
    record.finished = true;
  });
  const execution = await engine.execute({
    listener,
    variables,
  });
  return { engine, execution, record, caseId, variables };
}

/** Whether `message` (name, correlation key) reaches `run`, as Zeebe correlates it. */
function correlates(file, run, name, key) {
  const expression = file.messages.get(name)?.correlationKey;
  // Without a subscription there is nothing to tell the instances apart: every one receives it.
  if (!expression) return true;
  return feel(expression, run.variables) === key;
}

/**
 * Runs `cases` ([{id, facility, inputs: [{at, event?, data}]}]) together, their inputs
 * interleaved in time order, and returns each case's record. `early`: complete the open owner's
 * task before each event (a worklist ahead of the EMR) rather than leaving it to the message.
 */
export async function runCases(path, cases, { early = false } = {}) {
  const file = await load(path);
  const time = clock();
  const inputs = cases
    .flatMap((c, k) => c.inputs.map((input, n) => ({ ...input, k, n })))
    .sort((a, b) => a.at - b.at || a.k - b.k || a.n - b.n);
  time.now = inputs[0]?.at ?? 0;
  const runs = [];
  for (const c of cases)
    runs.push(await instance(file, time, c.id, c.facility));
  const until = (at) => {
    for (let t = time.due(at); t; t = time.due(at)) {
      time.now = t.due;
      t.callback(...t.args);
    }
    time.now = at;
  };
  for (const input of inputs) {
    until(input.at);
    if (!input.event) continue;
    const run = runs[input.k];
    if (early) {
      for (const [id, api] of run.record.waiting)
        if (id.startsWith("Task_")) api.signal({ done: true });
    }
    const message = file.messages.get(input.event);
    if (!message) continue;
    // Zeebe's correlation: the message goes to the instances whose subscription's key matches,
    // and in each to the catch events open for it.
    for (const other of runs) {
      if (!correlates(file, other, input.event, run.caseId)) continue;
      const open = [...other.record.waiting.values()].filter(
        (api) => api.content?.message?.id === message.id,
      );
      if (open.length === 0) continue;
      other.variables.event = input.data ?? {};
      for (const api of open) api.signal({ event: input.data ?? {} });
    }
  }
  until(inputs.at(-1)?.at ?? 0);
  for (const r of runs) if (!r.record.finished) await r.engine.stop();
  return runs.map((r) => {
    const { waiting: _, ...record } = r.record;
    return record;
  });
}
