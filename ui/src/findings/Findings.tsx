import { useCallback, useEffect, useRef, useState } from "react";
import {
  commands,
  isCancelled,
  longWork,
  unwrap,
  type Finding,
  type FindingKind,
  type FindingQuery,
  type FindingSort,
  type FindingStatus,
  type ProjectView,
  type Severity,
} from "../api";
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
  /** Opens the step on the swimlanes, when the finding is about one. */
  onShowOnMap?: () => void;
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
            {props.onShowOnMap && <button onClick={props.onShowOnMap}>Show on map</button>}
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

/** Every finding, narrowed and sorted by the core (kind, severity, status, workflow, facility,
 * role, search), with evidence, triage, "Show on map" and export. */
export function Findings(props: {
  project: ProjectView;
  onProject: (project: ProjectView) => void;
  onError: (e: unknown) => void;
  onOpenInterview: (id: string) => void;
  /** A finding opened from another screen: shown unfolded, with the filters cleared. */
  selected?: string | null;
  /** Opens Swimlanes on a step with its findings shown. */
  onShowOnMap?: (workflowId: string, stepId: string) => void;
}) {
  const { project, onError } = props;
  const [query, setQuery] = useState<FindingQuery>(EMPTY);
  const [notice, setNotice] = useState<string | null>(null);
  const set = (change: Partial<FindingQuery>) => setQuery((q) => ({ ...q, ...change }));
  const key = JSON.stringify(query);
  const run = useCallback(() => commands.findingList(JSON.parse(key) as FindingQuery), [key]);
  // Analysed again whenever the project or the query changes.
  const { result: list, stopped, again } = useLongWork(run, project, onError);
  const selectedRef = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (props.selected)
      selectedRef.current?.querySelector(`[data-finding="${props.selected}"]`)?.scrollIntoView?.();
  }, [props.selected, list]);

  const triage = async (id: string, status: FindingStatus, reason: string) => {
    try {
      props.onProject(await unwrap(commands.triageFinding(id, status, reason)));
    } catch (e) {
      props.onError(e);
    }
  };
  const exportList = async () => {
    try {
      const path = await commands.choosePath("save_findings", "Export findings");
      if (!path) return;
      const written = await longWork(commands.exportFindings(query, path));
      setNotice(`Exported ${list?.rows.length ?? 0} findings to ${written}`);
    } catch (e) {
      if (!isCancelled(e)) onError(e);
    }
  };

  if (!list) {
    return stopped ? (
      <Stopped what="The analysis of findings" onRetry={again} />
    ) : (
      <p className="empty">Analysing…</p>
    );
  }
  const filtered = JSON.stringify(query) !== JSON.stringify(EMPTY);
  return (
    <section className="area findings" data-testid="findings-view">
      <div className="area-head">
        <h1>
          Findings <span className="count">{list.total}</span>
        </h1>
        <span className="muted">{list.open} open</span>
        <button onClick={() => void exportList()} disabled={list.rows.length === 0}>
          Export…
        </button>
      </div>
      {notice && (
        <p className="banner notice" role="status">
          {notice}{" "}
          <button className="link" onClick={() => setNotice(null)}>
            Hide
          </button>
        </p>
      )}
      {project.notices.map((n) => (
        <p key={n} className="banner notice" role="note" data-testid="findings-notice">
          {n}
        </p>
      ))}
      {list.total === 0 ? (
        <p className="empty">
          No findings yet. Baton lists here what it detects in the interviews — ownership drift, contested or
          orphan steps, unacknowledged handoffs, facilities that disagree, workaround hotspots — each with its
          evidence.
        </p>
      ) : (
        <>
          <div className="filters" role="search" aria-label="Filter findings">
            <input
              type="search"
              value={query.search}
              onChange={(e) => set({ search: e.target.value })}
              placeholder="Search title, evidence, names…"
              aria-label="Search findings"
            />
            <select
              value={query.kind ?? ""}
              onChange={(e) => set({ kind: (e.target.value || null) as FindingKind | null })}
              aria-label="Filter by kind"
            >
              <option value="">All kinds</option>
              {list.kinds.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label} ({k.count})
                </option>
              ))}
            </select>
            <select
              value={query.severity ?? ""}
              onChange={(e) => set({ severity: (e.target.value || null) as Severity | null })}
              aria-label="Filter by severity"
            >
              <option value="">All severities</option>
              <option value="high">High</option>
              <option value="medium">Medium</option>
              <option value="low">Low</option>
            </select>
            <select
              value={query.status ?? ""}
              onChange={(e) => set({ status: (e.target.value || null) as FindingStatus | null })}
              aria-label="Filter by status"
            >
              <option value="">Any status</option>
              <option value="open">Open</option>
              <option value="accepted">Accepted</option>
              <option value="dismissed">Dismissed</option>
            </select>
            <select
              value={query.workflow ?? ""}
              onChange={(e) => set({ workflow: e.target.value || null })}
              aria-label="Filter by workflow"
            >
              <option value="">All workflows</option>
              {list.workflows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
            <select
              value={query.role ?? ""}
              onChange={(e) => set({ role: e.target.value || null })}
              aria-label="Filter by role"
            >
              <option value="">All roles</option>
              {project.roles.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
            <select
              value={query.facility ?? ""}
              onChange={(e) => set({ facility: e.target.value || null })}
              aria-label="Filter by facility"
            >
              <option value="">All facilities</option>
              {project.facilities.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
            <label className="inline">
              Sort by{" "}
              <select
                value={query.sort ?? "severity"}
                onChange={(e) => set({ sort: e.target.value as FindingSort })}
                aria-label="Sort findings by"
              >
                <option value="severity">Severity</option>
                <option value="kind">Kind</option>
                <option value="count">Cases affected</option>
              </select>
            </label>
            {filtered && (
              <button className="link" onClick={() => setQuery(EMPTY)}>
                Clear filters
              </button>
            )}
          </div>
          <p className="muted" aria-live="polite">
            {filtered ? `${list.rows.length} of ${list.total} findings match.` : `${list.total} findings.`}
          </p>
          {list.rows.length === 0 ? (
            <p className="empty">No finding matches these filters.</p>
          ) : (
            <div ref={selectedRef}>
              <ul className="finding-list">
                {list.rows.map((r) => (
                  <FindingCard
                    key={r.finding.id}
                    finding={r.finding}
                    open={r.finding.id === props.selected}
                    onOpenInterview={props.onOpenInterview}
                    triage={(status, reason) => triage(r.finding.id, status, reason)}
                    onShowOnMap={
                      props.onShowOnMap && r.finding.subject.workflow && r.finding.subject.step
                        ? () =>
                            props.onShowOnMap?.(
                              r.finding.subject.workflow as string,
                              r.finding.subject.step as string,
                            )
                        : undefined
                    }
                  />
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}

const EMPTY: FindingQuery = {
  kind: null,
  severity: null,
  status: null,
  workflow: null,
  facility: null,
  role: null,
  search: "",
  sort: "severity",
};
