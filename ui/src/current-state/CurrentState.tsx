import { useEffect, useState } from "react";
import {
  commands,
  unwrap,
  type FindingKind,
  type ProjectView,
  type StepView,
  type WorkflowMap,
} from "../api";
import { MergeInstead, useRenameStep } from "../shared/RenameStep";

/** Every finding kind, labelled; a kind the core adds and this does not label fails tsc. */
export const KIND_LABELS: Record<FindingKind, string> = {
  ownership_drift: "Ownership drift",
  unconfirmed_owner: "Unconfirmed owner",
  contested_ownership: "Contested ownership",
  orphan_step: "Orphan step",
  unacknowledged_handoff: "Unacknowledged handoff",
  facility_divergence: "Facility divergence",
  definition_divergence: "“Done” differs within a facility",
  workaround_hotspot: "Workaround hotspot",
  ambiguous_status: "Ambiguous status",
  invisible_state: "Invisible state",
  unused_value: "Unused value",
  unmapped_value: "Unmapped value",
  redundant_values: "Redundant values",
  undocumented_transition: "Undocumented transition",
  unobserved_transition: "Unobserved transition",
  stall: "Stall",
  role_mismatch: "Role mismatch",
};

function Badges({ step }: { step: StepView }) {
  const open = step.findings.filter((f) => f.status !== "dismissed");
  if (open.length === 0) return null;
  return (
    <span className="badges">
      {open.map((f) => (
        <span key={f.id} className={`badge ${f.severity}`} title={`${KIND_LABELS[f.kind]} (${f.severity})`}>
          {KIND_LABELS[f.kind]}
        </span>
      ))}
    </span>
  );
}

/** Who each interviewed role says performs or validates the step. */
function ClaimsMatrix({ step, project }: { step: StepView; project: ProjectView }) {
  const name = (id: string) => project.roles.find((r) => r.id === id)?.name ?? id;
  if (step.claims.length === 0) return <p className="empty">No statement says who does this step.</p>;
  const byRoles = [...new Set(step.claims.map((c) => c.by_role_id))].sort((a, b) =>
    name(a).localeCompare(name(b)),
  );
  const aboutRoles = [...new Set(step.claims.map((c) => c.about_role_id))].sort((a, b) =>
    name(a).localeCompare(name(b)),
  );
  return (
    <table className="matrix" data-testid="claims-matrix">
      <thead>
        <tr>
          <th>Interviewed role says…</th>
          {aboutRoles.map((r) => (
            <th key={r}>{name(r)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {byRoles.map((by) => (
          <tr key={by}>
            <th scope="row">{name(by)}s</th>
            {aboutRoles.map((about) => {
              const cells = step.claims.filter((c) => c.by_role_id === by && c.about_role_id === about);
              return (
                <td key={about}>
                  {cells.map((c) => {
                    const label =
                      c.kind === "performs"
                        ? c.owns
                          ? "does it"
                          : "does not"
                        : c.owns
                          ? "validates"
                          : "does not validate";
                    const self = by === about && c.kind === "performs" && c.owns;
                    return (
                      <details key={`${c.kind}-${c.owns}`} className={self ? "claim self" : "claim"}>
                        <summary>
                          {label} ×{c.statements.length}
                        </summary>
                        <ul>
                          {c.statements.map((s) => (
                            <li key={s.id}>
                              <strong>{s.alias}</strong>{" "}
                              {project.facilities.find((f) => f.id === s.facility_id)?.name ?? ""}
                              {s.quote ? <q>{s.quote}</q> : <span className="muted"> “{s.step_name}”</span>}
                            </li>
                          ))}
                        </ul>
                      </details>
                    );
                  })}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An ISO 8601 duration of whole minutes or hours as a number and a unit, for the form. */
function split(iso: string): { amount: string; unit: "M" | "H" } {
  const m = /^PT(\d+)([MH])$/.exec(iso);
  if (m) return { amount: m[1], unit: m[2] as "M" | "H" };
  return { amount: "", unit: "M" };
}

/** The step's service level and safety-critical flag, as the consultant sets them. */
function ServiceLevel(props: { step: StepView; act: (work: () => Promise<ProjectView>) => Promise<void> }) {
  const { step } = props;
  const initial = split(step.service_level);
  const [amount, setAmount] = useState(initial.amount);
  const [unit, setUnit] = useState<"M" | "H">(initial.unit);
  const [critical, setCritical] = useState(step.safety_critical);
  const valid = amount === "" || /^[1-9]\d*$/.test(amount);
  const iso = amount === "" ? "" : `PT${amount}${unit}`;
  const changed = iso !== step.service_level || critical !== step.safety_critical;
  return (
    <form
      className="service-level"
      aria-label="Service level"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid && changed) void props.act(() => unwrap(commands.setServiceLevel(step.id, iso, critical)));
      }}
    >
      <h3>Service level</h3>
      <p className="muted">
        {step.service_level_text
          ? `Done within ${step.service_level_text} of the step before${step.safety_critical ? " · safety-critical" : ""}. Its waits are judged by this alone.`
          : step.safety_critical
            ? "Safety-critical, with no service level: waits are judged by the log's own rules."
            : "No service level: waits are judged against what the interviews expect and the rest of the log."}
      </p>
      <label>
        Done within
        <input
          aria-label="Service level amount"
          inputMode="numeric"
          value={amount}
          placeholder="e.g. 30"
          onChange={(e) => setAmount(e.target.value.trim())}
        />
      </label>
      <select
        aria-label="Service level unit"
        value={unit}
        onChange={(e) => setUnit(e.target.value as "M" | "H")}
      >
        <option value="M">minutes</option>
        <option value="H">hours</option>
      </select>
      <label className="check">
        <input type="checkbox" checked={critical} onChange={(e) => setCritical(e.target.checked)} />
        Safety-critical (a wait can harm a patient)
      </label>
      <button type="submit" disabled={!valid || !changed}>
        Save service level
      </button>
      {!valid && (
        <span className="error-text">Give a whole number of minutes or hours, or leave it empty.</span>
      )}
    </form>
  );
}

function StepDetail(props: {
  step: StepView;
  project: ProjectView;
  onOpenInterview: (id: string) => void;
  act: (work: () => Promise<ProjectView>) => Promise<void>;
}) {
  const { step, project } = props;
  const [name, setName] = useState(step.name);
  const renaming = useRenameStep(props.act);
  const owner = project.roles.find((r) => r.id === step.owner_role_id)?.name ?? "no owner";
  return (
    <div className="card step-detail" data-testid="step-detail">
      <form
        className="rename"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() && name !== step.name) void renaming.rename(step.id, step.name, name);
        }}
      >
        <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Step name" />
        <button type="submit" disabled={!name.trim() || name === step.name}>
          Rename
        </button>
      </form>
      <MergeInstead
        asking={renaming.asking}
        onMerge={() => void renaming.merge()}
        onCancel={renaming.cancel}
      />
      <p className="muted">
        Lane: {owner}
        {step.generated ? " (from the interviews)" : " (set by the consultant)"}
        {step.done_means ? ` · Done means: “${step.done_means}”` : ""}
      </p>
      <ServiceLevel step={step} act={props.act} />
      <h3>Who owns it, according to whom</h3>
      <ClaimsMatrix step={step} project={project} />
      <h3>
        Statements <span className="count">{step.statements.length}</span>
      </h3>
      {step.statements.length === 0 ? (
        <p className="empty">No interview describes this step; it was drawn by hand.</p>
      ) : (
        <ul className="statements">
          {step.statements.map((s) => (
            <li key={s.id}>
              <button className="link" onClick={() => props.onOpenInterview(s.interview_id)}>
                {s.alias}
              </button>{" "}
              <span className="muted">
                {project.facilities.find((f) => f.id === s.facility_id)?.name ?? ""} — “{s.step_name}”
              </span>
              {s.done_means && <span> · done means “{s.done_means}”</span>}
              {s.quote && <q>{s.quote}</q>}
              {step.statements.length > 1 && (
                <button
                  className="small"
                  onClick={() =>
                    void props.act(async () => (await unwrap(commands.splitStep([s.id], ""))).project)
                  }
                  title="Take this statement out into a step of its own"
                >
                  Split out
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A workflow's current state as consolidated from the interviews. */
export function CurrentState(props: {
  project: ProjectView;
  workflowId: string | null;
  onWorkflow: (id: string) => void;
  onProject: (project: ProjectView) => void;
  onError: (e: unknown) => void;
  onOpenInterview: (id: string) => void;
}) {
  const { project } = props;
  const workflowId = props.workflowId ?? project.workflows[0]?.id ?? null;
  const [map, setMap] = useState<WorkflowMap | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const { onError } = props;
  // Reload whenever the project changes underneath (an edit, undo, redo).
  useEffect(() => {
    if (!workflowId) return;
    let live = true;
    unwrap(commands.workflowMap(workflowId)).then(
      (next) => live && setMap(next),
      (e: unknown) => live && onError(e),
    );
    return () => {
      live = false;
    };
  }, [workflowId, project, onError]);

  const act = async (work: () => Promise<ProjectView>) => {
    try {
      props.onProject(await work());
    } catch (e) {
      props.onError(e);
    }
  };

  if (!workflowId) {
    return (
      <section className="area">
        <h1>Current state</h1>
        <p className="empty">
          No workflows yet. Start a project from a workflow template or add a workflow on the home screen; the
          interviews' statements are then consolidated into its current-state steps here.
        </p>
      </section>
    );
  }
  const stepName = (id: string) => map?.steps.find((s) => s.id === id)?.name ?? id;
  const current = map?.steps.find((s) => s.id === selected) ?? null;
  return (
    <section className="area current-state" data-testid="current-state">
      <div className="area-head">
        <h1>Current state</h1>
        <select value={workflowId} onChange={(e) => props.onWorkflow(e.target.value)} aria-label="Workflow">
          {project.workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </div>
      {!map ? (
        <p className="empty">Consolidating…</p>
      ) : (
        <>
          {map.ungrouped > 0 && (
            <div className="banner notice">
              <span>{map.ungrouped} statement(s) about this workflow are not grouped into steps yet.</span>
              <button onClick={() => void act(() => unwrap(commands.consolidate(map.id)))}>
                Group them now
              </button>
            </div>
          )}
          {map.suggestions.length > 0 && (
            <div className="card" data-testid="suggestions">
              <h2>Possibly the same step</h2>
              <ul>
                {map.suggestions.map((s) => (
                  <li key={`${s.first_step_id}-${s.second_step_id}`}>
                    “{s.first_name}” ({stepName(s.first_step_id)}) and “{s.second_name}” (
                    {stepName(s.second_step_id)})
                    <span className="muted"> · {Math.round((s.score ?? 0) * 100)}% alike</span>{" "}
                    <button
                      onClick={() =>
                        void act(() => unwrap(commands.mergeSteps(s.second_step_id, s.first_step_id)))
                      }
                    >
                      Merge
                    </button>{" "}
                    <button
                      onClick={() =>
                        void act(() => unwrap(commands.keepStepsApart(s.first_step_id, s.second_step_id)))
                      }
                    >
                      Keep apart
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="split">
            <div className="steps-wrap">
              <table className="steps" data-testid="steps">
                <thead>
                  <tr>
                    <th>Step</th>
                    <th>Lane</th>
                    <th className="num">Statements</th>
                    <th>Findings</th>
                  </tr>
                </thead>
                <tbody>
                  {map.steps.map((s) => (
                    <tr
                      key={s.id}
                      className={s.id === selected ? "clickable selected" : "clickable"}
                      onClick={() => setSelected(s.id)}
                    >
                      <td>
                        <button className="link" onClick={() => setSelected(s.id)}>
                          {s.name}
                        </button>
                        {s.kind !== "task" && <span className="muted"> ({s.kind})</span>}
                      </td>
                      <td>{project.roles.find((r) => r.id === s.owner_role_id)?.name ?? "—"}</td>
                      <td className="num">{s.statements.length}</td>
                      <td>
                        <Badges step={s} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="detail">
              {current ? (
                <StepDetail
                  step={current}
                  project={project}
                  onOpenInterview={props.onOpenInterview}
                  act={act}
                />
              ) : (
                <p className="empty">
                  Choose a step to see who says who owns it, and the statements behind it.
                </p>
              )}
            </div>
          </div>
          <h2>Handoffs</h2>
          {map.handoffs.length === 0 ? (
            <p className="empty">
              No handoffs yet: they come from the order in which interviewees describe steps.
            </p>
          ) : (
            <ul className="handoffs">
              {map.handoffs.map((h) => (
                <li key={h.id}>
                  {stepName(h.from_step_id)} → {stepName(h.to_step_id)}
                  {h.label && <span className="muted"> · {h.label}</span>}
                  <span className="muted">
                    {" "}
                    ·{" "}
                    {h.statements.length > 0
                      ? `said in ${h.statements.length} statement(s)`
                      : "drawn by hand, in no statement"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
