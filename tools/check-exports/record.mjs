// What a case goes through, as every host records it for the conformance suite: the states
// entered, the escalations, the write-backs, the tasks open now, and whether it finished
// (docs/semantics.md).

/** An empty record. */
export function newRecord() {
  return {
    entered: [],
    escalations: [],
    writeBacks: [],
    openTasks: [],
    finished: false,
  };
}

/**
 * The case enters `state`: the tasks of the state left close, and `task` opens for the owner at
 * `facility` (`owner_at[facility]`, else `owner`) when it has one.
 */
export function enter(record, { state, task, owner, owner_at }, facility) {
  record.entered.push(state);
  const role = owner_at?.[facility] ?? (owner || null);
  record.openTasks = task && role ? [{ name: task, role }] : [];
}

/** A timer ran out: `role` gets an escalation task for the open task (or `state`). */
export function escalate(record, role, state) {
  const overdue = record.openTasks[0]?.name ?? state;
  record.escalations.push(role);
  record.openTasks.push({ name: `Escalation: ${overdue} overdue`, role });
}
