// The host an SCXML export needs, around SCION (@scion-scxml/scxml): it receives the machine's
// `<send target="#_parent">`s (write-backs, entering a state, escalations) and keeps its delayed
// `<send>`s (timers) on a simulated clock, recording what the case goes through as the reference
// semantics describes it (docs/semantics.md).
import { createRequire } from "node:module";
import { enter, escalate, newRecord } from "./record.mjs";

const require = createRequire(import.meta.url);
const scxml = require("@scion-scxml/scxml");

/** The file's model, loaded exactly as exported and prepared by SCION. */
export function prepared(path) {
  return new Promise((resolve, reject) =>
    scxml.pathToModel(path, (err, model) => {
      if (err) return reject(err);
      model.prepare((e, fnModel) => (e ? reject(e) : resolve(fnModel)));
    }),
  );
}

/** Runs one case (`inputs`: {at (seconds), event?, data}) at `facility`; returns its record. */
export function runCase(fnModel, facility, inputs) {
  const record = newRecord();
  const timers = new Map();
  let now = inputs[0]?.at ?? 0;
  const fromParent = (name, data) => {
    if (name === "baton.write_back")
      record.writeBacks.push(`${data.field}=${data.value}`);
    if (name === "baton.enter") enter(record, data, facility);
    if (name === "baton.escalate")
      escalate(record, data.role, record.entered.at(-1));
  };
  const sc = new scxml.core.Statechart(fnModel, {
    params: { facility: facility ?? null },
    customSend(event, options) {
      if (options?.delay)
        timers.set(event.sendid, { due: now + options.delay / 1000, event });
      else if (event.target === "#_parent")
        fromParent(event.name, event.data ?? {});
    },
    customCancel(sendid) {
      timers.delete(sendid);
    },
  });
  sc.start();
  const until = (at) => {
    for (;;) {
      const next = [...timers.entries()]
        .filter(([, t]) => t.due <= at)
        .sort((a, b) => a[1].due - b[1].due)[0];
      if (!next || sc.isFinal()) break;
      timers.delete(next[0]);
      now = next[1].due;
      sc.gen({ name: next[1].event.name, data: next[1].event.data ?? {} });
    }
    now = at;
  };
  for (const input of inputs) {
    until(input.at);
    if (input.event && !sc.isFinal())
      sc.gen({ name: input.event, data: input.data ?? {} });
  }
  record.finished = sc.isFinal();
  return record;
}
