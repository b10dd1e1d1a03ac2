import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import {
  commands,
  unwrap,
  type ProjectView,
  type StatementInput,
  type Workaround,
  type StatementRow,
  type KnownStep,
  type Named,
} from "../api";

/** What the consultant answers when a typed role matches none: create it, use another, or not. */
const CREATE = "\u0000create";

/** The workaround flags, labelled; a workaround the core adds and this does not label fails tsc. */
const WORKAROUND_LABELS: Record<Workaround, { short: string; label: string }> = {
  shadow_spreadsheet: { short: "SS", label: "Shadow spreadsheet" },
  double_documentation: { short: "DD", label: "Double documentation" },
  manual_reentry: { short: "MR", label: "Manual re-entry" },
  verbal_handoff: { short: "VH", label: "Verbal handoff" },
  other: { short: "Other", label: "Other workaround" },
};

/** The workaround flags, in the order the table shows them. */
export const WORKAROUNDS = (
  Object.entries(WORKAROUND_LABELS) as [Workaround, { short: string; label: string }][]
).map(([id, l]) => ({ id, ...l }));

type RoleField = "performed_by" | "initiated_by" | "validated_by" | "escalates_to" | "next_handoff_to";
type TextField = "step_name" | "done_means" | "pain_point" | "typical_duration" | "quote";

type Column =
  | { kind: "text"; field: TextField; label: string; wide?: boolean }
  | { kind: "role"; field: RoleField; label: string }
  | { kind: "beliefs"; label: string }
  | { kind: "workarounds"; label: string }
  | { kind: "workflow"; label: string };

const COLUMNS: Column[] = [
  { kind: "text", field: "step_name", label: "Step", wide: true },
  { kind: "role", field: "performed_by", label: "Performed by" },
  { kind: "role", field: "initiated_by", label: "Initiated by" },
  { kind: "role", field: "validated_by", label: "Validated by" },
  { kind: "role", field: "escalates_to", label: "Escalates to" },
  { kind: "text", field: "done_means", label: "Done means", wide: true },
  { kind: "role", field: "next_handoff_to", label: "Next handoff to" },
  { kind: "beliefs", label: "Thinks it's done by" },
  { kind: "workarounds", label: "Workarounds" },
  { kind: "text", field: "pain_point", label: "Pain point", wide: true },
  { kind: "text", field: "typical_duration", label: "Typical duration" },
  { kind: "text", field: "quote", label: "Quote", wide: true },
  { kind: "workflow", label: "Workflow" },
];

export function emptyFields(workflowId: string | null): StatementInput {
  return {
    workflow_id: workflowId,
    step_name: "",
    performed_by: null,
    initiated_by: null,
    validated_by: null,
    escalates_to: null,
    done_means: "",
    next_handoff_to: null,
    workarounds: [],
    pain_point: "",
    typical_duration: "",
    quote: "",
    claims: [],
  };
}

type Fields = StatementInput;

function normalized(fields: StatementInput): Fields {
  return {
    ...fields,
    workflow_id: fields.workflow_id ?? null,
    performed_by: fields.performed_by ?? null,
    initiated_by: fields.initiated_by ?? null,
    validated_by: fields.validated_by ?? null,
    escalates_to: fields.escalates_to ?? null,
    next_handoff_to: fields.next_handoff_to ?? null,
  };
}

/** "RN, not RT" for the performs-beliefs of a statement. */
export function beliefsText(fields: StatementInput, roleName: (id: string) => string): string {
  return fields.claims
    .filter((c) => c.kind === "performs")
    .map((c) => (c.owns ? roleName(c.role_id) : `not ${roleName(c.role_id)}`))
    .join(", ");
}

/** Parses "RN, not RT" into (role name, owns) pairs. */
export function parseBeliefs(text: string): { name: string; owns: boolean }[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const negated = /^not\s+/i.exec(part);
      return negated
        ? { name: part.slice(negated[0].length).trim(), owns: false }
        : { name: part, owns: true };
    })
    .filter((b) => b.name.length > 0);
}

/** A text input that keeps what is being typed and commits it when focus leaves. */
function Cell(props: {
  id: string;
  value: string;
  label: string;
  list?: string;
  wide?: boolean;
  placeholder?: string;
  autoFocus?: boolean;
  /** Empties the cell after each commit (the new row). */
  clearOnCommit?: boolean;
  onCommit: (value: string) => void;
  onKey: (e: KeyboardEvent<HTMLElement>) => void;
}) {
  const [draft, setDraft] = useState(props.value);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setDraft(props.value);
  }, [props.value]);
  return (
    <input
      className={props.wide ? "cell wide" : "cell"}
      data-cell={props.id}
      aria-label={props.label}
      list={props.list}
      value={draft}
      placeholder={props.placeholder}
      autoFocus={props.autoFocus}
      onChange={(e) => setDraft(e.target.value)}
      onFocus={() => {
        focused.current = true;
      }}
      onBlur={() => {
        focused.current = false;
        if (draft !== props.value) props.onCommit(draft);
        if (props.clearOnCommit) setDraft(props.value);
      }}
      onKeyDown={props.onKey}
    />
  );
}

export function StatementGrid(props: {
  interviewId: string;
  rows: StatementRow[];
  knownSteps: KnownStep[];
  project: ProjectView;
  defaultWorkflow: string | null;
  /** Puts the focus in the new row when there is no statement yet (a new interview). */
  autoFocus?: boolean;
  onChanged: (project: ProjectView) => Promise<void>;
  onError: (e: unknown) => void;
}) {
  const { project } = props;
  const rowsRef = useRef<{ id: string; fields: Fields }[]>([]);
  useLayoutEffect(() => {
    rowsRef.current = props.rows.map((r) => ({ id: r.id, fields: normalized(r.fields) }));
  }, [props.rows]);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const pendingFocus = useRef<string | null>(null);

  useEffect(() => {
    if (pendingFocus.current) {
      const target = document.querySelector<HTMLElement>(`[data-cell="${pendingFocus.current}"]`);
      if (target) {
        target.focus();
        pendingFocus.current = null;
      }
    }
  });

  const roleName = (id: string) => project.roles.find((r) => r.id === id)?.name ?? id;

  /** Runs edits one after another so each sees the one before. */
  const enqueue = (work: () => Promise<ProjectView>) => {
    queue.current = queue.current.then(async () => {
      try {
        await props.onChanged(await work());
      } catch (e) {
        props.onError(e);
      }
    });
    return queue.current;
  };

  /** A role name that matches none, waiting for the consultant's answer. */
  const [asking, setAsking] = useState<{
    name: string;
    closest: Named[];
    answer: (choice: string | null) => void;
  } | null>(null);

  /** The id of the role named `name`. A name that matches no role asks first: create it, or use
   * one of the closest roles (a typo), or leave the cell empty. */
  const roleId = async (name: string): Promise<string | null> => {
    const wanted = name.trim();
    if (!wanted) return null;
    const known = project.roles.find(
      (r) => r.name.toLowerCase() === wanted.toLowerCase() || r.id.toLowerCase() === wanted.toLowerCase(),
    );
    if (known) return known.id;
    const closest = await unwrap(commands.closestRoles(wanted));
    const choice = await new Promise<string | null>((answer) => setAsking({ name: wanted, closest, answer }));
    setAsking(null);
    if (choice !== CREATE) return choice;
    const after = await unwrap(commands.addRole(wanted, ""));
    return after.roles.find((r) => r.name.toLowerCase() === wanted.toLowerCase())?.id ?? null;
  };

  const save = (row: number, change: (fields: Fields) => Promise<Fields>) => {
    const target = rowsRef.current[row];
    if (!target) return;
    void enqueue(async () => {
      const next = await change(rowsRef.current[row]?.fields ?? target.fields);
      const current = rowsRef.current[row];
      if (current) current.fields = next;
      return unwrap(commands.updateStatement(target.id, next));
    });
  };

  /** The new row at the end of the table: a statement is saved only once its step is named, so
   * an empty row is never saved. */
  const NEW_ROW = "new:0";
  const focusNewRow = () => document.querySelector<HTMLElement>(`[data-cell="${NEW_ROW}"]`)?.focus();
  const addRow = (stepName: string) => {
    const step = stepName.trim();
    if (!step) return;
    const last = rowsRef.current[rowsRef.current.length - 1];
    const workflow = props.defaultWorkflow ?? last?.fields.workflow_id ?? null;
    // The consultant goes on in the new statement's next cell.
    pendingFocus.current = `${rowsRef.current.length}:1`;
    void enqueue(async () => {
      const created = await unwrap(
        commands.addStatement(props.interviewId, { ...emptyFields(workflow), step_name: step }),
      );
      return created.project;
    });
  };

  const move = (row: number, col: number, back: boolean) => {
    let r = row;
    let c = col + (back ? -1 : 1);
    if (c >= COLUMNS.length) {
      r += 1;
      c = 0;
    } else if (c < 0) {
      r -= 1;
      c = COLUMNS.length - 1;
    }
    if (r < 0) return;
    if (r >= rowsRef.current.length) {
      // Enter at the very end: commit (on blur) and go on in the new row.
      (document.activeElement as HTMLElement | null)?.blur();
      focusNewRow();
      return;
    }
    document.querySelector<HTMLElement>(`[data-cell="${r}:${c}"]`)?.focus();
  };

  const onKey = (row: number, col: number) => (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === "Enter" && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      move(row, col, e.shiftKey);
    }
  };

  const remove = (id: string) => void enqueue(() => unwrap(commands.removeStatement(id)));

  const workflowName = (id: string | null) => project.workflows.find((w) => w.id === id)?.name ?? "";

  const cell = (row: number, col: number, column: Column, fields: Fields) => {
    const id = `${row}:${col}`;
    const key = onKey(row, col);
    switch (column.kind) {
      case "text":
        return (
          <Cell
            id={id}
            label={column.label}
            wide={column.wide}
            value={fields[column.field]}
            list={column.field === "step_name" ? `steps-${fields.workflow_id ?? "none"}` : undefined}
            onKey={key}
            onCommit={(value) => save(row, async (f) => ({ ...f, [column.field]: value }))}
          />
        );
      case "role":
        return (
          <Cell
            id={id}
            label={column.label}
            value={fields[column.field] ? roleName(fields[column.field] as string) : ""}
            list="role-names"
            onKey={key}
            onCommit={(value) => save(row, async (f) => ({ ...f, [column.field]: await roleId(value) }))}
          />
        );
      case "beliefs":
        return (
          <Cell
            id={id}
            label={column.label}
            value={beliefsText(fields, roleName)}
            list="role-names"
            onKey={key}
            onCommit={(value) =>
              save(row, async (f) => {
                const claims = f.claims.filter((c) => c.kind !== "performs");
                for (const b of parseBeliefs(value)) {
                  const role = await roleId(b.name);
                  if (role && !claims.some((c) => c.kind === "performs" && c.role_id === role)) {
                    claims.push({ role_id: role, kind: "performs", owns: b.owns });
                  }
                }
                return { ...f, claims };
              })
            }
          />
        );
      case "workarounds":
        return (
          <span className="flags" role="group" aria-label={column.label}>
            {WORKAROUNDS.map((w, i) => (
              <label key={w.id} title={w.label} className="flag">
                <input
                  type="checkbox"
                  data-cell={i === 0 ? id : undefined}
                  aria-label={w.label}
                  checked={fields.workarounds.includes(w.id)}
                  onKeyDown={key}
                  onChange={(e) => {
                    const on = e.target.checked;
                    save(row, async (f) => ({
                      ...f,
                      workarounds: on
                        ? [...f.workarounds.filter((x) => x !== w.id), w.id]
                        : f.workarounds.filter((x) => x !== w.id),
                    }));
                  }}
                />
                {w.short}
              </label>
            ))}
          </span>
        );
      case "workflow":
        return (
          <select
            className="cell"
            data-cell={id}
            aria-label={column.label}
            value={fields.workflow_id ?? ""}
            onKeyDown={key}
            onChange={(e) => {
              const value = e.target.value || null;
              save(row, async (f) => ({ ...f, workflow_id: value }));
            }}
          >
            <option value="">(none)</option>
            {project.workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        );
    }
  };

  const workflowsWithSteps = [...new Set(props.knownSteps.map((k) => k.workflow_id))];
  return (
    <>
      {asking && (
        <div
          className="banner notice confirm"
          role="alertdialog"
          aria-label={`Create role “${asking.name}”?`}
          onKeyDown={(e) => {
            if (e.key === "Escape") asking.answer(null);
          }}
        >
          <p>
            No role is named “{asking.name}”. Create role “{asking.name}”
            {asking.closest.length > 0 ? ", or did you mean one of these?" : "?"}
          </p>
          {asking.closest.map((r, i) => (
            <button key={r.id} autoFocus={i === 0} onClick={() => asking.answer(r.id)}>
              Use {r.name}
            </button>
          ))}
          <button autoFocus={asking.closest.length === 0} onClick={() => asking.answer(CREATE)}>
            Create role “{asking.name}”
          </button>
          <button onClick={() => asking.answer(null)}>Leave it empty</button>
        </div>
      )}
      <div className="grid-wrap">
        <datalist id="role-names">
          {project.roles.map((r) => (
            <option key={r.id} value={r.name} />
          ))}
        </datalist>
        {workflowsWithSteps.map((w) => (
          <datalist key={w} id={`steps-${w}`}>
            {props.knownSteps
              .filter((k) => k.workflow_id === w)
              .map((k) => (
                <option key={k.name} value={k.name} />
              ))}
          </datalist>
        ))}
        <table className="grid" data-testid="statement-grid">
          <thead>
            <tr>
              <th className="num">#</th>
              {COLUMNS.map((c) => (
                <th key={c.label}>{c.label}</th>
              ))}
              <th aria-label="Remove" />
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r, row) => {
              const fields = normalized(r.fields);
              return (
                <tr key={r.id} data-statement={r.id} title={workflowName(fields.workflow_id)}>
                  <td className="num">{row + 1}</td>
                  {COLUMNS.map((c, col) => (
                    <td key={c.label}>{cell(row, col, c, fields)}</td>
                  ))}
                  <td>
                    <button
                      className="link"
                      onClick={() => remove(r.id)}
                      aria-label={`Remove statement ${row + 1}`}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
            <tr className="new-row" data-testid="new-statement">
              <td className="num">{props.rows.length + 1}</td>
              <td>
                <Cell
                  id={NEW_ROW}
                  label="Step of a new statement"
                  wide
                  value=""
                  autoFocus={props.rows.length === 0 && props.autoFocus}
                  placeholder="New step…"
                  list={props.defaultWorkflow ? `steps-${props.defaultWorkflow}` : undefined}
                  onKey={(e) => {
                    if (e.key === "Enter") {
                      e.preventDefault();
                      (e.target as HTMLInputElement).blur();
                    } else if (e.key === "ArrowUp" || (e.key === "Tab" && e.shiftKey)) {
                      if (e.key === "ArrowUp") e.preventDefault();
                      document
                        .querySelector<HTMLElement>(`[data-cell="${rowsRef.current.length - 1}:0"]`)
                        ?.focus();
                    }
                  }}
                  onCommit={(value) => addRow(value)}
                  clearOnCommit
                />
              </td>
              <td colSpan={COLUMNS.length} className="meta">
                {props.rows.length === 0 ? "The first statement starts when its step is named." : ""}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="hint">
        Enter moves to the next cell and, at the end of the last row, to the new row, where naming a step
        starts the next statement; Shift+Enter goes back. Role cells offer the project's roles; a name that
        matches none asks before it adds a role. Everything is saved as you go; Undo (Ctrl+Z) takes back the
        last change.
      </p>
      <button onClick={focusNewRow} data-testid="add-statement">
        Add statement
      </button>
    </>
  );
}
