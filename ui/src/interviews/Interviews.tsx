import { useEffect, useState, type FormEvent } from "react";
import { commands, unwrap, type InterviewInput, type InterviewSheet, type ProjectView } from "../api";
import { PhiHint, PhiList } from "../shared/Phi";
import { StatementGrid } from "./StatementGrid";

const SHIFTS = ["day", "evening", "night"];

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The list of interviews, with the button that starts a new one. */
export function InterviewList(props: {
  project: ProjectView;
  onOpen: (id: string) => void;
  onNew: () => void;
}) {
  const { project } = props;
  return (
    <section className="area">
      <div className="area-head">
        <h1>Interviews</h1>
        <button className="primary" onClick={props.onNew} data-testid="new-interview">
          New interview
        </button>
      </div>
      {project.interviews.length === 0 ? (
        <p className="empty">
          No interviews yet. Each interview records one frontline role at one facility and shift, by alias,
          never by name. Start one with “New interview”.
        </p>
      ) : (
        <table data-testid="interview-list">
          <thead>
            <tr>
              <th>Alias</th>
              <th>Role</th>
              <th>Facility</th>
              <th>Shift</th>
              <th>Date</th>
              <th className="num">Statements</th>
            </tr>
          </thead>
          <tbody>
            {project.interviews.map((i) => (
              <tr key={i.id} className="clickable" onClick={() => props.onOpen(i.id)}>
                <td>
                  <button className="link" onClick={() => props.onOpen(i.id)}>
                    {i.alias}
                  </button>
                </td>
                <td>{i.role}</td>
                <td>{i.facility}</td>
                <td>{i.shift}</td>
                <td>{i.date}</td>
                <td className="num">{i.statements}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The fields every interview has; shared by the new-interview dialog and the interview header. */
function InterviewForm(props: {
  project: ProjectView;
  fields: InterviewInput;
  onChange: (fields: InterviewInput) => void;
  onCommit?: (fields: InterviewInput) => void;
}) {
  const { project, fields } = props;
  const set = (change: Partial<InterviewInput>, commit = false) => {
    const next = { ...fields, ...change };
    props.onChange(next);
    if (commit) props.onCommit?.(next);
  };
  const blur = () => props.onCommit?.(fields);
  const workflows = fields.workflows ?? [];
  const toggle = (id: string, on: boolean) => {
    const next = on ? [...workflows.filter((w) => w !== id), id] : workflows.filter((w) => w !== id);
    // The project keeps at least one once it has workflows: the last one cannot be unticked here.
    if (next.length === 0 && project.workflows.length > 0 && props.onCommit) return;
    set({ workflows: next }, true);
  };
  return (
    <div className="form-grid">
      {project.workflows.length > 0 && (
        <fieldset className="span workflows-choice">
          <legend>Workflows this interview is about</legend>
          {project.workflows.map((w) => (
            <label key={w.id} className="inline">
              <input
                type="checkbox"
                checked={workflows.includes(w.id)}
                onChange={(e) => toggle(w.id, e.target.checked)}
              />{" "}
              {w.name}
              {workflows[0] === w.id && workflows.length > 1 && (
                <span className="meta"> (new statements)</span>
              )}
            </label>
          ))}
        </fieldset>
      )}
      <label>
        Role
        <select
          value={fields.role_id}
          onChange={(e) => set({ role_id: e.target.value }, true)}
          aria-label="Role"
        >
          <option value="" disabled>
            Choose a role
          </option>
          {project.roles.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Facility
        <select
          value={fields.facility_id}
          onChange={(e) => set({ facility_id: e.target.value }, true)}
          aria-label="Facility"
        >
          <option value="" disabled>
            Choose a facility
          </option>
          {project.facilities.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Shift
        <input
          list="shifts"
          value={fields.shift}
          onChange={(e) => set({ shift: e.target.value })}
          onBlur={blur}
          aria-label="Shift"
        />
        <datalist id="shifts">
          {SHIFTS.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      <label>
        Interviewee alias
        <input
          value={fields.alias}
          placeholder="RT-3"
          onChange={(e) => set({ alias: e.target.value })}
          onBlur={blur}
          aria-label="Interviewee alias"
          aria-describedby="alias-hint"
        />
        <small id="alias-hint" className="hint">
          An alias such as RT-3. Do not enter names: interviews are recorded by role, facility and shift.
        </small>
        <PhiHint text={fields.alias} onRedact={(alias) => set({ alias }, true)} />
      </label>
      <label>
        Date
        <input
          type="date"
          value={fields.date}
          onChange={(e) => set({ date: e.target.value })}
          onBlur={blur}
          aria-label="Date"
        />
      </label>
      <label>
        Interviewer
        <input
          value={fields.interviewer}
          onChange={(e) => set({ interviewer: e.target.value })}
          onBlur={blur}
          aria-label="Interviewer"
        />
      </label>
      <label className="span">
        Notes
        <textarea
          value={fields.notes}
          rows={2}
          onChange={(e) => set({ notes: e.target.value })}
          onBlur={blur}
          aria-label="Notes"
        />
        <PhiHint text={fields.notes} onRedact={(notes) => set({ notes }, true)} />
      </label>
    </div>
  );
}

export function NewInterviewDialog(props: {
  project: ProjectView;
  onCreated: (id: string, project: ProjectView) => void;
  onClose: () => void;
  onError: (e: unknown) => void;
}) {
  const { project } = props;
  const [fields, setFields] = useState<InterviewInput>({
    role_id: project.roles[0]?.id ?? "",
    facility_id: project.facilities[0]?.id ?? "",
    shift: "day",
    alias: "",
    date: today(),
    interviewer: "",
    notes: "",
    // With one workflow there is nothing to choose; with several, the consultant names them.
    workflows: project.workflows.length === 1 ? [project.workflows[0].id] : [],
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const created = await unwrap(commands.addInterview(fields));
      props.onCreated(created.id, created.project);
    } catch (err) {
      props.onError(err);
    }
  };
  const missing =
    project.roles.length === 0
      ? "Add a role on the home screen first."
      : project.facilities.length === 0
        ? "Add a facility on the home screen first."
        : null;
  const noWorkflow = project.workflows.length > 0 && (fields.workflows ?? []).length === 0;
  return (
    <div className="modal" role="dialog" aria-modal="true" aria-labelledby="new-interview-title">
      <form className="sheet wide" onSubmit={(e) => void submit(e)}>
        <h2 id="new-interview-title">New interview</h2>
        {missing ? <p className="empty">{missing}</p> : null}
        <InterviewForm project={project} fields={fields} onChange={setFields} />
        <div className="buttons">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            disabled={
              !!missing || noWorkflow || !fields.alias.trim() || !fields.role_id || !fields.facility_id
            }
            title={noWorkflow ? "Tick the workflow this interview is about" : undefined}
          >
            Start interview
          </button>
        </div>
      </form>
    </div>
  );
}

/** One interview: its details and the statement table. */
export function InterviewScreen(props: {
  id: string;
  project: ProjectView;
  onProject: (project: ProjectView) => void;
  onError: (e: unknown) => void;
  onBack: () => void;
}) {
  const { project, id } = props;
  const [sheet, setSheet] = useState<InterviewSheet | null>(null);
  const [fields, setFields] = useState<InterviewInput | null>(null);
  const [defaultWorkflow, setDefaultWorkflow] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const { onError } = props;
  // Reload whenever the project changes underneath (an edit here, undo, redo).
  useEffect(() => {
    let live = true;
    unwrap(commands.interviewSheet(id)).then(
      (next) => {
        if (!live) return;
        setSheet(next);
        setFields(next.fields);
      },
      (e: unknown) => live && onError(e),
    );
    return () => {
      live = false;
    };
  }, [id, project, onError]);

  if (!sheet || !fields) return <p className="empty">Opening the interview…</p>;
  // New statements are about the workflow chosen above the table, else the interview's own
  // (the first it names), never simply the project's first.
  const own = sheet.fields.workflows ?? [];
  const workflowForNew =
    (defaultWorkflow && own.includes(defaultWorkflow) ? defaultWorkflow : null) ?? own[0] ?? null;

  const commitFields = async (next: InterviewInput) => {
    const same = JSON.stringify(next) === JSON.stringify(sheet.fields);
    if (same) return;
    try {
      props.onProject(await unwrap(commands.updateInterview(id, next)));
    } catch (e) {
      props.onError(e);
      setFields(sheet.fields);
    }
  };

  const remove = async () => {
    try {
      const after = await unwrap(commands.removeInterview(id));
      props.onBack();
      props.onProject(after);
    } catch (e) {
      props.onError(e);
    }
  };

  const role = project.roles.find((r) => r.id === sheet.fields.role_id)?.name ?? "";
  const facility = project.facilities.find((f) => f.id === sheet.fields.facility_id)?.name ?? "";
  return (
    <section className="area interview" data-testid="interview-screen">
      <div className="area-head">
        <button className="link" onClick={props.onBack}>
          ← Interviews
        </button>
        <h1>
          {sheet.fields.alias}{" "}
          <span className="sub">{[role, facility, sheet.fields.shift].filter(Boolean).join(" · ")}</span>
        </h1>
        <button className="danger" onClick={() => setConfirmDelete(true)}>
          Delete interview
        </button>
      </div>
      {confirmDelete && (
        <div className="banner notice confirm" role="alertdialog" aria-label="Delete this interview?">
          <p>
            Delete the interview with {sheet.fields.alias}
            {sheet.statements.length > 0
              ? ` and its ${sheet.statements.length === 1 ? "statement" : `${sheet.statements.length} statements`}`
              : ""}
            ? The current-state map is rebuilt without them. Undo brings them back.
          </p>
          <button className="danger" onClick={() => void remove()}>
            Delete {sheet.fields.alias}
          </button>
          <button onClick={() => setConfirmDelete(false)}>Cancel</button>
        </div>
      )}
      <details className="card" open={sheet.statements.length === 0}>
        <summary>Interview details</summary>
        <InterviewForm
          project={project}
          fields={fields}
          onChange={setFields}
          onCommit={(next) => void commitFields(next)}
        />
      </details>
      <PhiList
        matches={sheet.phi}
        testId="interview-phi"
        intro="Redact them: interviews are recorded by alias, never with patient details."
        onRedact={async (texts) => {
          try {
            props.onProject(await unwrap(commands.redactPhi(texts)));
          } catch (e) {
            props.onError(e);
          }
        }}
      />
      <div className="grid-head">
        <h2>
          Statements <span className="count">{sheet.statements.length}</span>
        </h2>
        <label className="inline">
          New statements are about
          <select
            value={workflowForNew ?? ""}
            onChange={(e) => setDefaultWorkflow(e.target.value || null)}
            aria-label="Workflow of new statements"
          >
            {own.length === 0 && <option value="">(name a workflow in the interview details)</option>}
            {project.workflows
              .filter((w) => own.includes(w.id))
              .map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
          </select>
        </label>
      </div>
      {project.workflows.length === 0 && (
        <p className="empty">
          Statements are grouped per workflow. Add a workflow on the home screen (or start from a template) so
          this interview's steps can be consolidated.
        </p>
      )}
      <StatementGrid
        interviewId={id}
        rows={sheet.statements}
        knownSteps={sheet.known_steps}
        project={project}
        defaultWorkflow={workflowForNew}
        autoFocus
        onChanged={async (next) => {
          props.onProject(next);
        }}
        onError={props.onError}
      />
    </section>
  );
}
