import { useCallback, useState } from "react";
import { PathField } from "../shared/PathField";
import {
  commands,
  longWork,
  unwrap,
  type ComparisonView,
  type Decision,
  type ExportFormat,
  type ProjectView,
  type ProposalView,
  type StateInput,
  type StateKind,
  type StateRow,
  type TransitionInput,
  type TransitionRow,
  type VersionDetail,
} from "../api";
import { useLongWork } from "../hooks/useLongWork";
import { Stopped } from "../shared/Busy";
import { PhiHint } from "../shared/Phi";
import { WalkThrough } from "./WalkThrough";
import { ImportReviewDialog, SendForReviewDialog } from "../review/Review";
import { WorkflowSelect } from "../shared/WorkflowSelect";

type Props = {
  project: ProjectView;
  onProject: (p: ProjectView) => void;
  onError: (e: unknown) => void;
};

/** Every export format, labelled; a format the core adds and this does not label fails tsc. */
const FORMATS: Record<ExportFormat, string> = {
  bpmn: "BPMN 2.0 for Camunda 8 (.bpmn)",
  "serverless-workflow": "Serverless Workflow 1.0 (.sw.yaml)",
  xstate: "XState v5 machine (.xstate.json)",
  scxml: "SCXML (.scxml)",
  "baton-json": "Baton JSON (.baton.json)",
  mermaid: "Mermaid state diagram (.mmd)",
  "telemetry-spec": "Telemetry spec (.telemetry.json)",
  fhir: "FHIR R4 Bundle: a definition for EMR teams, not executed (.fhir.json)",
};

const KINDS: Record<StateKind, string> = {
  initial: "initial",
  intermediate: "intermediate",
  terminal: "terminal",
};

const DECISIONS: Record<Decision, string> = {
  approved: "Approved",
  changes_requested: "Changes requested",
};

const EMPTY_TRANSITION: TransitionInput = {
  from_state_id: "",
  to_state_id: "",
  event: "",
  guard: "",
  owner_role_id: null,
  timer: "",
  escalate_to_role_id: null,
  write_backs: [],
  priority: null,
  owner_at: [],
};

/** Proposed workflows: versions, the draft's states and transitions, validation, replay, export. */
export function Proposals({ project, onProject, onError }: Props) {
  const [workflowId, setWorkflowId] = useState(project.workflows[0]?.id ?? "");
  const load = useCallback(() => commands.proposalView(workflowId, null), [workflowId]);
  const {
    result: view,
    setResult: setView,
    stopped,
    again,
    fail,
  } = useLongWork<ProposalView>(workflowId ? load : null, null, onError);
  const [exporting, setExporting] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [importing, setImporting] = useState(false);
  const [walking, setWalking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const show = useCallback(
    (pending: Promise<ProposalView>) =>
      pending.then((next) => {
        setView(next);
        // Edits change the undo label (and findings).
        void unwrap(commands.currentProject()).then(onProject, onError);
      }, onError),
    [onProject, onError, setView],
  );
  const versionId = view?.version?.id ?? null;

  if (project.workflows.length === 0) {
    return (
      <section className="area">
        <h1>Proposals</h1>
        <p className="empty">
          No workflows yet. Start a project from a workflow template or import a bundle.
        </p>
      </section>
    );
  }
  const detail = view?.version ?? null;
  return (
    <section className="area proposals">
      <div className="area-head">
        <h1>Proposals</h1>
        <WorkflowSelect project={project} value={workflowId} onChange={setWorkflowId} />
        {view && view.versions.length > 0 && (
          <select
            aria-label="Version"
            value={versionId ?? ""}
            onChange={(e) =>
              void longWork(commands.proposalView(workflowId, e.target.value)).then(setView, fail)
            }
          >
            {view.versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        )}
        {view && !view.versions.some((v) => v.draft) && (
          <>
            <button onClick={() => void show(unwrap(commands.startDraft(workflowId)))}>Start a draft</button>
            <button
              title="States from the business states, split ambiguous statuses, timers for stalls, EMR values for invisible states"
              onClick={() => void show(unwrap(commands.proposeDraft(workflowId)))}
            >
              Propose from findings
            </button>
          </>
        )}
        {detail && (
          <button
            onClick={() => setWalking(true)}
            disabled={detail.problems.length > 0}
            title="Step one case through this version: events, timers, tasks and escalations"
          >
            Walk through…
          </button>
        )}
        {detail && (
          <button onClick={() => setExporting(true)} disabled={detail.problems.length > 0}>
            Export…
          </button>
        )}
        {detail && (
          <button
            onClick={() => setReviewing(true)}
            title="One HTML file a clinical lead opens in any browser, offline, to comment and sign off"
          >
            Send for review…
          </button>
        )}
        {detail && (
          <button
            onClick={() => setImporting(true)}
            title="Bring a clinical lead's saved review (comments and sign-off) into the project"
          >
            Import review…
          </button>
        )}
      </div>
      {stopped && <Stopped what="The replay of the event logs" onRetry={again} />}
      <p className="hint">
        Published versions are immutable; edits go to the draft, which is published as the next version once
        it is valid.
      </p>
      {notice && (
        <p className="notice-line" role="status">
          {notice}
        </p>
      )}
      {view && !detail && <p className="empty">No proposed version yet. Start a draft to propose one.</p>}
      {view && detail && (
        <Version
          view={view}
          detail={detail}
          onView={(p) => void show(p)}
          onPublish={(note) => void show(unwrap(commands.publishDraft(workflowId, note)))}
        />
      )}
      {walking && detail && (
        <WalkThrough project={project} detail={detail} onClose={() => setWalking(false)} onError={onError} />
      )}
      {reviewing && detail && (
        <SendForReviewDialog
          detail={detail}
          onClose={() => setReviewing(false)}
          onDone={(message) => {
            setReviewing(false);
            setNotice(message);
          }}
          onError={onError}
        />
      )}
      {importing && (
        <ImportReviewDialog
          onClose={() => setImporting(false)}
          onDone={(next, message) => {
            setImporting(false);
            onProject(next);
            setNotice(message);
            void show(unwrap(commands.proposalView(workflowId, versionId)));
          }}
          onError={onError}
        />
      )}
      {exporting && detail && (
        <ExportDialog
          detail={detail}
          onClose={() => setExporting(false)}
          onDone={(path) => {
            setExporting(false);
            setNotice(`Exported ${detail.label} to ${path}`);
          }}
          onError={onError}
        />
      )}
    </section>
  );
}

function Version({
  view,
  detail,
  onView,
  onPublish,
}: {
  view: ProposalView;
  detail: VersionDetail;
  onView: (pending: Promise<ProposalView>) => void;
  onPublish: (note: string) => void;
}) {
  const [note, setNote] = useState("");
  const [editing, setEditing] = useState<{ id: string | null; fields: TransitionInput } | null>(null);
  const wf = view.workflow_id;
  const draft = detail.draft;
  const states = detail.states;
  const stateName = (id: string) => states.find((s) => s.id === id)?.name ?? id;
  return (
    <>
      <div className="cards">
        <section className="card" data-testid="validation">
          <h2>Validation</h2>
          {detail.problems.length === 0 ? (
            <p className="valid">Valid: every rule holds, ready to export.</p>
          ) : (
            <ul className="problems">
              {detail.problems.map((p, i) => (
                <li key={i}>
                  <span className="rule">{p.rule}</span> {p.subject}: {p.message}
                </li>
              ))}
            </ul>
          )}
          {draft && (
            <div className="add-form">
              <input
                aria-label="Publish note"
                value={note}
                placeholder="What changed"
                onChange={(e) => setNote(e.target.value)}
              />
              <button
                className="primary"
                disabled={detail.problems.length > 0}
                onClick={() => onPublish(note)}
              >
                Publish as next version
              </button>
            </div>
          )}
        </section>
        <section className="card" data-testid="replay">
          <h2>Replay of the imported logs</h2>
          {detail.replay.cases === 0 ? (
            <p className="empty">
              No event log imported, or none of its activities signals this version's events.
            </p>
          ) : (
            <>
              <p>
                <strong>
                  {detail.replay.fitting} of {detail.replay.cases}
                </strong>{" "}
                cases fit ({((detail.replay.fitness ?? 0) * 100).toFixed(1)} %).
              </p>
              {detail.replay.deviations.length > 0 && (
                <table className="grid">
                  <thead>
                    <tr>
                      <th>First deviation in</th>
                      <th>on event</th>
                      <th className="num">Cases</th>
                    </tr>
                  </thead>
                  <tbody>
                    {detail.replay.deviations.map((d, i) => (
                      <tr key={i}>
                        <td>{d.state}</td>
                        <td>{d.event}</td>
                        <td className="num">{d.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
        </section>
        <SignOffs
          detail={detail}
          onSign={(fields) => onView(unwrap(commands.signOff(wf, detail.id, ...fields)))}
        />
      </div>
      <h2>States</h2>
      <table className="grid" data-testid="states">
        <thead>
          <tr>
            <th>State</th>
            <th>Kind</th>
            <th>Meaning</th>
            <th>Task (the work its owner does)</th>
            {draft && <th />}
          </tr>
        </thead>
        <tbody>
          {states.map((s) =>
            draft ? (
              <StateEditor
                key={s.id + s.name + s.kind + s.meaning + s.task}
                initial={s}
                onSave={(fields) => onView(unwrap(commands.updateState(wf, detail.id, s.id, fields)))}
                onRemove={() => onView(unwrap(commands.removeFromDraft(wf, detail.id, "state", s.id)))}
              />
            ) : (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{s.kind}</td>
                <td>{s.meaning}</td>
                <td>{s.opens_task ? s.task || "(not named)" : "—"}</td>
              </tr>
            ),
          )}
          {draft && (
            <StateEditor
              key={`new-${states.length}`}
              initial={{
                id: "",
                name: "",
                kind: "intermediate",
                meaning: "",
                task: "",
                opens_task: false,
              }}
              onSave={(fields) => onView(unwrap(commands.addState(wf, detail.id, fields)))}
            />
          )}
        </tbody>
      </table>
      <h2>Transitions</h2>
      <table className="grid" data-testid="transitions">
        <thead>
          <tr>
            <th>Transition</th>
            <th>Guard</th>
            <th>Task owner</th>
            <th>Timer</th>
            <th>Write-back</th>
            {draft && <th />}
          </tr>
        </thead>
        <tbody>
          {detail.transitions.map((t: TransitionRow) => (
            <tr key={t.id}>
              <td>{t.summary}</td>
              <td>
                <code>{t.fields.guard}</code>
              </td>
              <td>{roleName(view, t.fields.owner_role_id)}</td>
              <td>
                {t.fields.timer &&
                  `${t.timer || t.fields.timer} → ${roleName(view, t.fields.escalate_to_role_id) || "(choose)"}`}
              </td>
              <td>{t.fields.write_backs.map((w) => `${w.field} = ${w.value}`).join("; ")}</td>
              {draft && (
                <td className="actions">
                  <button onClick={() => setEditing({ id: t.id, fields: t.fields })}>Edit</button>
                  <button
                    onClick={() =>
                      onView(unwrap(commands.removeFromDraft(wf, detail.id, "transition", t.id)))
                    }
                  >
                    Remove
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {draft && !editing && (
        <button
          onClick={() =>
            setEditing({
              id: null,
              fields: {
                ...EMPTY_TRANSITION,
                from_state_id: states[0]?.id ?? "",
                to_state_id: states[0]?.id ?? "",
              },
            })
          }
        >
          Add transition
        </button>
      )}
      {editing && (
        <TransitionForm
          view={view}
          states={states.map((s) => ({ id: s.id, name: stateName(s.id) }))}
          initial={editing.fields}
          onCancel={() => setEditing(null)}
          onSave={(fields) =>
            onView(
              unwrap(commands.saveTransition(wf, detail.id, editing.id, fields)).then((next) => {
                setEditing(null);
                return next;
              }),
            )
          }
        />
      )}
      <EventCatalog view={view} versionId={detail.id} onView={onView} />
      <Comparison
        key={JSON.stringify([detail.id, detail.states, detail.transitions])}
        view={view}
        detail={detail}
      />
    </>
  );
}

function roleName(view: ProposalView, id: string | null) {
  return id ? (view.roles.find((r) => r.id === id)?.name ?? id) : "";
}

function StateEditor({
  initial,
  onSave,
  onRemove,
}: {
  initial: StateRow;
  onSave: (fields: StateInput) => void;
  onRemove?: () => void;
}) {
  const [name, setName] = useState(initial.name);
  const [kind, setKind] = useState(initial.kind);
  const [meaning, setMeaning] = useState(initial.meaning);
  const [task, setTask] = useState(initial.task);
  const label = initial.id ? initial.name : "new state";
  return (
    <tr>
      <td>
        <input
          aria-label={`Name of ${label}`}
          value={name}
          placeholder="New state"
          onChange={(e) => setName(e.target.value)}
        />
      </td>
      <td>
        <select
          aria-label={`Kind of ${label}`}
          value={kind}
          onChange={(e) => setKind(e.target.value as StateKind)}
        >
          {Object.entries(KINDS).map(([k, text]) => (
            <option key={k} value={k}>
              {text}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input
          aria-label={`Meaning of ${label}`}
          value={meaning}
          onChange={(e) => setMeaning(e.target.value)}
        />
      </td>
      <td>
        <input
          aria-label={`Task of ${label}`}
          value={task}
          placeholder={
            initial.opens_task
              ? "Name the work, e.g. Reconcile assessment"
              : "Named when an owned transition enters it"
          }
          title="The task entering this state opens, named for the work its owner must do"
          onChange={(e) => setTask(e.target.value)}
        />
      </td>
      <td className="actions">
        <button disabled={!name.trim()} onClick={() => onSave({ name, kind, meaning, task })}>
          {initial.id ? "Save" : "Add state"}
        </button>
        {onRemove && <button onClick={onRemove}>Remove</button>}
      </td>
    </tr>
  );
}

function TransitionForm({
  view,
  states,
  initial,
  onSave,
  onCancel,
}: {
  view: ProposalView;
  states: { id: string; name: string }[];
  initial: TransitionInput;
  onSave: (fields: TransitionInput) => void;
  onCancel: () => void;
}) {
  const [f, setF] = useState<TransitionInput>(initial);
  const set = (patch: Partial<TransitionInput>) => setF({ ...f, ...patch });
  const event = view.events.find((e) => e.name === f.event);
  const writeBack = f.write_backs[0] ?? { field: "", value: "" };
  const values = view.emr_fields.find((x) => x.name === writeBack.field)?.values ?? [];
  const stateOptions = states.map((s) => (
    <option key={s.id} value={s.id}>
      {s.name}
    </option>
  ));
  const roleOptions = (
    <>
      <option value="">—</option>
      {view.roles.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name}
        </option>
      ))}
    </>
  );
  return (
    <div className="card transition-form" role="form" aria-label="Transition">
      <div className="form-grid">
        <label>
          From
          <select value={f.from_state_id} onChange={(e) => set({ from_state_id: e.target.value })}>
            {stateOptions}
          </select>
        </label>
        <label>
          To
          <select value={f.to_state_id} onChange={(e) => set({ to_state_id: e.target.value })}>
            {stateOptions}
          </select>
        </label>
        <label>
          On event
          <select value={f.event} onChange={(e) => set({ event: e.target.value })}>
            <option value="">—</option>
            {view.events.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Guard
          <input
            value={f.guard}
            placeholder={
              event && event.fields.length > 0 ? `e.g. ${event.fields[0].split(":")[0]} < 92` : "optional"
            }
            onChange={(e) => set({ guard: e.target.value })}
          />
          <span className="meta">
            Fields: {["facility: string", "role: string", ...(event?.fields ?? [])].join(", ")}
          </span>
        </label>
        <label>
          Task owner
          <select
            value={f.owner_role_id ?? ""}
            onChange={(e) => set({ owner_role_id: e.target.value || null })}
          >
            {roleOptions}
          </select>
        </label>
        {view.facilities.map((fac) => (
          <label key={fac.id}>
            Owner at {fac.name}
            <select
              aria-label={`Owner at ${fac.name}`}
              value={f.owner_at.find((o) => o.facility_id === fac.id)?.role_id ?? ""}
              onChange={(e) =>
                set({
                  owner_at: [
                    ...f.owner_at.filter((o) => o.facility_id !== fac.id),
                    ...(e.target.value ? [{ facility_id: fac.id, role_id: e.target.value }] : []),
                  ],
                })
              }
            >
              <option value="">as above</option>
              {view.roles.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label>
          Timer (ISO 8601)
          <input value={f.timer} placeholder="e.g. PT2H" onChange={(e) => set({ timer: e.target.value })} />
        </label>
        <label>
          Escalate to
          <select
            value={f.escalate_to_role_id ?? ""}
            onChange={(e) => set({ escalate_to_role_id: e.target.value || null })}
          >
            {roleOptions}
          </select>
        </label>
        <label>
          Write back field
          <select
            value={writeBack.field}
            onChange={(e) =>
              set({ write_backs: e.target.value ? [{ field: e.target.value, value: "" }] : [] })
            }
          >
            <option value="">—</option>
            {view.emr_fields.map((x) => (
              <option key={x.name}>{x.name}</option>
            ))}
          </select>
        </label>
        {writeBack.field && (
          <label>
            Value
            <select
              value={writeBack.value}
              onChange={(e) => set({ write_backs: [{ field: writeBack.field, value: e.target.value }] })}
            >
              <option value="">—</option>
              {values.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          Priority
          <input
            type="number"
            value={f.priority ?? ""}
            placeholder="when guards overlap"
            onChange={(e) => set({ priority: e.target.value === "" ? null : Number(e.target.value) })}
          />
        </label>
      </div>
      <div className="buttons left">
        <button className="primary" disabled={!f.event} onClick={() => onSave(f)}>
          Save transition
        </button>
        <button onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}

function ExportDialog({
  detail,
  onClose,
  onDone,
  onError,
}: {
  detail: VersionDetail;
  onClose: () => void;
  onDone: (path: string) => void;
  onError: (e: unknown) => void;
}) {
  const [format, setFormat] = useState<ExportFormat>("bpmn");
  const [path, setPath] = useState("");
  const save = async () => {
    try {
      if (!path.trim()) return;
      await unwrap(commands.exportVersion(detail.id, format, path.trim()));
      onDone(path.trim());
    } catch (e) {
      onError(e);
    }
  };
  return (
    <div className="modal" role="dialog" aria-label="Export">
      <div className="sheet">
        <h2>Export {detail.label}</h2>
        <label>
          Format
          <select
            aria-label="Export format"
            value={format}
            onChange={(e) => setFormat(e.target.value as ExportFormat)}
          >
            {Object.entries(FORMATS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          File
          <PathField
            label="Export file"
            value={path}
            placeholder="/path/to/workflow.bpmn"
            disabled={false}
            onChange={setPath}
            onBrowse={() => commands.choosePath("save_export", `Export ${detail.label}`)}
          />
        </label>
        <p className="meta">
          A name without an ending gets the format's. The same version always gives the same file, so exports
          diff cleanly.
        </p>
        <div className="buttons">
          <button onClick={onClose}>Cancel</button>
          <button className="primary" onClick={() => void save()} disabled={!path.trim()}>
            Export
          </button>
        </div>
      </div>
    </div>
  );
}

/** The project's event catalog: what each event carries (for guards) and the log activities that
 * signal it (for replay). */
function EventCatalog({
  view,
  versionId,
  onView,
}: {
  view: ProposalView;
  versionId: string;
  onView: (pending: Promise<ProposalView>) => void;
}) {
  const [editing, setEditing] = useState<{
    name: string;
    description: string;
    fields: string;
    activities: string;
  } | null>(null);
  const save = () => {
    if (!editing) return;
    onView(
      unwrap(
        commands.saveEvent(
          view.workflow_id,
          versionId,
          editing.name,
          editing.description,
          editing.fields.split(",").map((f) => f.trim()),
          editing.activities.split(";").map((a) => a.trim()),
        ),
      ).then((next) => {
        setEditing(null);
        return next;
      }),
    );
  };
  return (
    <>
      <h2>Event catalog</h2>
      <table className="grid" data-testid="events">
        <thead>
          <tr>
            <th>Event</th>
            <th>Description</th>
            <th>Fields (for guards)</th>
            <th>Log activities (for replay)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {view.events.map((e) => (
            <tr key={e.name}>
              <td>
                <code>{e.name}</code>
              </td>
              <td>{e.description}</td>
              <td>{e.fields.join(", ")}</td>
              <td>{e.activities.join("; ")}</td>
              <td className="actions">
                <button
                  onClick={() =>
                    setEditing({
                      name: e.name,
                      description: e.description,
                      fields: e.fields.join(", "),
                      activities: e.activities.join("; "),
                    })
                  }
                >
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (
        <div className="card transition-form" role="form" aria-label="Event">
          <div className="form-grid">
            <label>
              Name
              <input
                aria-label="Event name"
                value={editing.name}
                placeholder="e.g. oxygen_changed"
                onChange={(e) => setEditing({ ...editing, name: e.target.value })}
              />
            </label>
            <label>
              Description
              <input
                value={editing.description}
                onChange={(e) => setEditing({ ...editing, description: e.target.value })}
              />
            </label>
            <label>
              Fields
              <input
                aria-label="Event fields"
                value={editing.fields}
                placeholder="spo2: number, device: string"
                onChange={(e) => setEditing({ ...editing, fields: e.target.value })}
              />
            </label>
            <label>
              Log activities
              <input
                value={editing.activities}
                placeholder="separated by ;"
                onChange={(e) => setEditing({ ...editing, activities: e.target.value })}
              />
            </label>
          </div>
          <div className="buttons left">
            <button className="primary" disabled={!editing.name.trim()} onClick={save}>
              Save event
            </button>
            <button onClick={() => setEditing(null)}>Cancel</button>
          </div>
        </div>
      ) : (
        <button onClick={() => setEditing({ name: "", description: "", fields: "", activities: "" })}>
          Add event
        </button>
      )}
    </>
  );
}

type SignOffFields = [name: string, role: string, date: string | null, decision: Decision, comment: string];

/** Clinical leads' sign-offs of a published version, each bound to the version's content. */
function SignOffs({ detail, onSign }: { detail: VersionDetail; onSign: (fields: SignOffFields) => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState("");
  const [decision, setDecision] = useState<Decision>("approved");
  const [comment, setComment] = useState("");
  return (
    <section className="card" data-testid="signoffs">
      <h2>Sign-off</h2>
      {detail.draft ? (
        <p className="empty">A draft is signed off once it is published.</p>
      ) : detail.signoffs.length === 0 ? (
        <p className="empty">Not signed off yet.</p>
      ) : (
        <ul className="signoffs">
          {detail.signoffs.map((s, i) => (
            <li key={i} className={s.intact ? s.decision : "broken"}>
              <strong>{DECISIONS[s.decision]}</strong> by {s.name}
              {s.role && ` (${s.role})`}, {s.signed_on}
              {s.comment && `: ${s.comment}`}
              {!s.intact && <span className="rule"> broken: the version changed after it was signed</span>}
            </li>
          ))}
        </ul>
      )}
      {!detail.draft && (
        <>
          <div className="signoff-form">
            <input
              aria-label="Signed by"
              value={name}
              placeholder="Clinical lead's name"
              onChange={(e) => setName(e.target.value)}
            />
            <input
              aria-label="Their role"
              value={role}
              placeholder="Role"
              onChange={(e) => setRole(e.target.value)}
            />
            <select
              aria-label="Decision"
              value={decision}
              onChange={(e) => setDecision(e.target.value as Decision)}
            >
              {Object.entries(DECISIONS).map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
            </select>
            <input
              aria-label="Sign-off comment"
              value={comment}
              placeholder="Comment"
              onChange={(e) => setComment(e.target.value)}
            />
            <button
              disabled={!name.trim()}
              onClick={() => {
                onSign([name, role, null, decision, comment]);
                setName("");
                setComment("");
              }}
            >
              Sign off
            </button>
          </div>
          <PhiHint text={comment} onRedact={setComment} />
        </>
      )}
    </section>
  );
}

/** The version's swimlanes, or its comparison with another version: added states and transitions
 * outlined green, changed ones amber, removed ones listed in red. */
function Comparison({ view, detail }: { view: ProposalView; detail: VersionDetail }) {
  const [against, setAgainst] = useState("");
  const [comparison, setComparison] = useState<ComparisonView | null>(null);
  const others = view.versions.filter((v) => v.id !== detail.id);
  const compare = (id: string) => {
    setAgainst(id);
    setComparison(null);
    if (id) {
      unwrap(commands.compareVersions(view.workflow_id, id, detail.id)).then(setComparison, () =>
        setComparison(null),
      );
    }
  };
  return (
    <>
      <div className="area-head">
        <h2>Swimlanes</h2>
        {others.length > 0 && (
          <select aria-label="Compare with" value={against} onChange={(e) => compare(e.target.value)}>
            <option value="">No comparison</option>
            {others.map((v) => (
              <option key={v.id} value={v.id}>
                Changes since {v.label}
              </option>
            ))}
          </select>
        )}
      </div>
      {comparison && (
        <ul className="changes" data-testid="changes">
          {comparison.changes.length === 0 && <li>No changes.</li>}
          {comparison.changes.map((c, i) => (
            <li key={i} className={c.change}>
              {c.change} {c.element} {c.subject}
              {c.part && `: ${c.part} “${c.from ?? ""}” → “${c.to ?? ""}”`}
            </li>
          ))}
        </ul>
      )}
      <div
        className="version-diagram"
        data-testid="version-diagram"
        // Scrolled from the keyboard too.
        tabIndex={0}
        role="region"
        aria-label={`Swimlanes of ${detail.label}`}
        dangerouslySetInnerHTML={{ __html: comparison?.svg ?? detail.svg }}
      />
    </>
  );
}
