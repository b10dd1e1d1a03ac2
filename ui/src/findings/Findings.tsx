import { useState } from "react";
import { commands, unwrap, type Finding, type FindingStatus, type ProjectView } from "../api";
import { useLongWork } from "../hooks/useLongWork";
import { Stopped } from "../shared/Busy";
import { KIND_LABELS } from "../current-state/CurrentState";
import { PhiHint } from "../shared/Phi";

export function FindingCard(props: {
  finding: Finding;
  /** Shown unfolded, evidence visible. */
  open?: boolean;
  onOpenInterview: (id: string) => void;
  triage: (status: FindingStatus, reason: string) => Promise<void>;
}) {
  const { finding: f } = props;
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState("");
  return (
    <li className={`finding ${f.status}`} data-finding={f.id} data-kind={f.kind}>
      <details open={props.open}>
        <summary>
          <span className={`badge ${f.severity}`}>{f.severity}</span>{" "}
          <span className="kind">{KIND_LABELS[f.kind]}</span> <span className="title">{f.title}</span>
          {f.status !== "open" && <span className="status"> · {f.status}</span>}
        </summary>
        <div className="finding-body">
          <ul className="evidence">
            {f.evidence.map((e, i) => (
              <li key={i}>
                {e.text}
                {e.interview && (
                  <>
                    {" "}
                    <button className="link" onClick={() => props.onOpenInterview(e.interview as string)}>
                      open {e.alias ?? "interview"}
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
          <p className="recommendation">
            <strong>Recommendation:</strong> {f.recommendation}
          </p>
          {f.status === "dismissed" && (
            <p className="muted">
              Dismissed: {f.reason}. Dismissed findings stay listed here and are left out of reports.
            </p>
          )}
          <div className="buttons left">
            {f.status !== "accepted" && (
              <button onClick={() => void props.triage("accepted", "")}>Accept</button>
            )}
            {f.status !== "dismissed" && !dismissing && (
              <button onClick={() => setDismissing(true)}>Dismiss…</button>
            )}
            {f.status !== "open" && <button onClick={() => void props.triage("open", "")}>Reopen</button>}
          </div>
          {dismissing && (
            <form
              className="add-form"
              onSubmit={(e) => {
                e.preventDefault();
                void props.triage("dismissed", reason).then(() => setDismissing(false));
              }}
            >
              <input
                autoFocus
                value={reason}
                placeholder="Why is this not a problem?"
                aria-label="Reason for dismissing"
                onChange={(e) => setReason(e.target.value)}
              />
              <button type="submit" disabled={!reason.trim()}>
                Dismiss
              </button>
              <button type="button" onClick={() => setDismissing(false)}>
                Cancel
              </button>
            </form>
          )}
          {dismissing && <PhiHint text={reason} onRedact={setReason} />}
        </div>
      </details>
    </li>
  );
}

/** Every finding, filterable by kind, role and facility, with evidence and triage. */
export function Findings(props: {
  project: ProjectView;
  onProject: (project: ProjectView) => void;
  onError: (e: unknown) => void;
  onOpenInterview: (id: string) => void;
}) {
  const { project } = props;
  const [kind, setKind] = useState("");
  const [role, setRole] = useState("");
  const [facility, setFacility] = useState("");

  const { onError } = props;
  // Analysed again whenever the project changes.
  const { result: findings, stopped, again } = useLongWork(commands.findings, project, onError);

  const triage = async (id: string, status: FindingStatus, reason: string) => {
    try {
      props.onProject(await unwrap(commands.triageFinding(id, status, reason)));
    } catch (e) {
      props.onError(e);
    }
  };

  if (!findings) {
    return stopped ? (
      <Stopped what="The analysis of findings" onRetry={again} />
    ) : (
      <p className="empty">Analysing…</p>
    );
  }
  const kinds = [...new Set(findings.map((f) => f.kind))];
  const shown = findings.filter(
    (f) =>
      (!kind || f.kind === kind) &&
      (!role || (f.subject.roles ?? []).includes(role)) &&
      (!facility || (f.subject.facilities ?? []).includes(facility)),
  );
  const open = findings.filter((f) => f.status === "open").length;
  return (
    <section className="area findings" data-testid="findings-view">
      <div className="area-head">
        <h1>
          Findings <span className="count">{findings.length}</span>
        </h1>
        <span className="muted">{open} open</span>
      </div>
      {project.notices.map((n) => (
        <p key={n} className="banner notice" role="note" data-testid="findings-notice">
          {n}
        </p>
      ))}
      {findings.length === 0 ? (
        <p className="empty">
          No findings yet. Baton lists here what it detects in the interviews — ownership drift, contested or
          orphan steps, unacknowledged handoffs, facilities that disagree, workaround hotspots — each with its
          evidence.
        </p>
      ) : (
        <>
          <div className="filters">
            <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Filter by kind">
              <option value="">All kinds</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
            <select value={role} onChange={(e) => setRole(e.target.value)} aria-label="Filter by role">
              <option value="">All roles</option>
              {project.roles.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
            <select
              value={facility}
              onChange={(e) => setFacility(e.target.value)}
              aria-label="Filter by facility"
            >
              <option value="">All facilities</option>
              {project.facilities.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </div>
          {shown.length === 0 ? (
            <p className="empty">No finding matches these filters.</p>
          ) : (
            <ul className="finding-list">
              {shown.map((f) => (
                <FindingCard
                  key={f.id}
                  finding={f}
                  onOpenInterview={props.onOpenInterview}
                  triage={(status, reason) => triage(f.id, status, reason)}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
