// The host an XState export needs: Baton's guard and action types implemented, recording what the
// case goes through (states entered, tasks open, escalations, write-backs) as the reference
// semantics describes it (docs/semantics.md).
import { setup } from "xstate";
import { enter, escalate, newRecord } from "./record.mjs";

/** A machine of `config` for a case at `facility`, and the record it keeps. */
export function hostedMachine(config, facility) {
  const record = { ...newRecord(), enteredBy: null, log: [] };
  const machine = setup({
    guards: {
      // ECMAScript over `event.data` (the event's fields) and `context.facility` (the case's).
      "baton.expression": ({ event }, params) =>
        new Function("context", "event", `return (${params.expression});`)(
          { facility },
          event,
        ) === true,
      // A timer belongs to the transition that entered the state.
      "baton.enteredBy": (_, params) => record.enteredBy === params.transition,
    },
    actions: {
      "baton.writeBack": (_, params) => {
        record.writeBacks.push(`${params.field}=${params.value}`);
        record.log.push(`write_back ${params.field}=${params.value}`);
      },
      "baton.enter": (_, params) => {
        record.enteredBy = params.transition;
        enter(record, params, facility);
      },
      "baton.escalate": (_, params) => {
        escalate(record, params.role, record.entered.at(-1));
        record.log.push(`escalate ${params.role}`);
      },
    },
  }).createMachine(config);
  return { machine, record };
}
