import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import {
  commands,
  unwrap,
  type ProjectView,
  type StatementInput,
  type Workaround,
  type StatementRow,
  type KnownStep,
} from "../api";

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
      onChange={(e) => setDraft(e.target.value)}
      onFocus={() => {
        focused.current = true;
      }}
      onBlur={() => {
        focused.current = false;
        if (draft !== props.value) props.onCommit(draft);
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

  /** The id of the role named `name`, creating the role if the project has none by that name. */
  const roleId = async (name: string): Promise<string | null> => {
    const wanted = name.trim();
    if (!wanted) return null;
    const known = project.roles.find((r) => r.name.toLowerCase() === wanted.toLowerCase());
    if (known) return known.id;
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

  const addRow = () => {
    const last = rowsRef.current[rowsRef.current.length - 1];
    const workflow = props.defaultWorkflow ?? last?.fields.workflow_id ?? null;
    pendingFocus.current = `${rowsRef.current.length}:0`;
    void enqueue(async () => {
      const created = await unwrap(commands.addStatement(props.interviewId, emptyFields(workflow)));
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
      // Enter at the very end: commit (on blur) and start a new row, unless this one is still
      // empty (no step named): an empty row is never added after it.
      const last = rowsRef.current[rowsRef.current.length - 1];
      if (last && !last.fields.step_name.trim()) return;
      (document.activeElement as HTMLElement | null)?.blur();
      addRow();
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
          </tbody>
        </table>
      </div>
      <p className="hint">
        Enter moves to the next cell and, at the end of the last row, starts a new one; Shift+Enter goes back.
        Role cells offer the project's roles — a new name adds the role. Everything is saved as you go; Undo
        (Ctrl+Z) takes back the last change.
      </p>
      <button onClick={addRow} data-testid="add-statement">
        Add statement
      </button>
    </>
  );
}
