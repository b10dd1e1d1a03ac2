import { useCallback, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { asAppError, commands, unwrap, type FlaggedText, type ProjectView, type TelemetryView } from "../api";
import { useLongWork } from "../hooks/useLongWork";
import { Stopped } from "../shared/Busy";
import { PathField } from "../shared/PathField";
import { WorkflowSelect } from "../shared/WorkflowSelect";
import { EMPTY_SETTINGS } from "../emr/EmrData";
import { ReplacedTexts } from "../shared/Phi";

type Props = { project: ProjectView; onProject: (p: ProjectView) => void; onError: (e: unknown) => void };

/** Imports a telemetry file (CSV, JSON lines or FHIR Task histories): columns guessed from the
 * headers (or remembered from the last import of a file of that name), and the summary shown:
 * what was read, dropped and hashed, and which events the version's telemetry spec misses. */
function ImportTelemetryDialog({
  onClose,
  onImported,
}: {
  onClose: () => void;
  onImported: (p: ProjectView) => void;
}) {
  const [path, setPath] = useState("");
  const [running, setRunning] = useState(false);
  const [lines, setLines] = useState<string[] | null>(null);
  const [flagged, setFlagged] = useState<FlaggedText[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  // Texts confirmed so far for this file: each run again adds the newly ticked ones.
  const [allowed, setAllowed] = useState<string[]>([]);
  const run = async (allow: string[] = []) => {
    setRunning(true);
    setProblem(null);
    try {
      const confirmed = [...allowed, ...allow];
      const done = await unwrap(
        commands.runImport("telemetry", path.trim(), { ...EMPTY_SETTINGS, allow_identifiers: confirmed }),
      );
      setAllowed(confirmed);
      setLines(done.summary);
      setFlagged(done.flagged);
      onImported(done.project);
    } catch (e) {
      setProblem(asAppError(e).message);
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="modal" role="dialog" aria-label="Import telemetry">
      <div className="sheet wide">
        <h2>Import task telemetry</h2>
        <p className="meta">
          One event per row (CSV or JSON lines: task, workflow, version, step, event, role, facility,
          timestamp, actor), or FHIR Task histories. Columns are guessed from the headers; task ids and actors
          are only counted.
        </p>
        <PathField
          label="Telemetry file"
          value={path}
          placeholder="CSV, JSON lines or FHIR Task history"
          disabled={running}
          onChange={setPath}
          onBrowse={() => commands.choosePath("open_source", "Import task telemetry")}
        />
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        {lines && (
          <pre className="import-summary" data-testid="telemetry-import-summary">
            {lines.join("\n")}
          </pre>
        )}
        <ReplacedTexts flagged={flagged} onImportAgain={(allow) => run(allow)} />
        <div className="buttons">
          <button onClick={onClose}>{lines ? "Close" : "Cancel"}</button>
          <button className="primary" onClick={() => void run()} disabled={running || !path.trim()}>
            {running ? "Importing…" : "Import"}
          </button>
        </div>
      </div>
    </div>
  );
}

/** f64 crosses the IPC boundary as `number | null` (null for what JSON cannot hold). */
const PERCENT = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)} %`);
const METRIC_LABELS: Record<string, string> = {
  reassignment_rate: "Reassignment rate",
  override_rate: "Override rate",
  escalation_rate: "Escalation rate",
  complete_median_seconds: "Median time to complete",
};
const COLOURS = ["#64748b", "#2563eb", "#16a34a", "#d97706"];

/** Task telemetry after go-live: metrics per step and role, the time-to-complete distribution,
 * and two versions compared. Import telemetry with `baton import telemetry` or a bundle's inputs. */
export function Telemetry({ project, onProject, onError }: Props) {
  const [importing, setImporting] = useState(false);
  // Bumped after an import so the view is fetched again.
  const [imported, setImported] = useState(0);
  // Open on the first workflow with telemetry, else the first.
  const [workflowId, setWorkflowId] = useState(
    (project.workflows.find((w) => w.telemetry_tasks > 0) ?? project.workflows[0])?.id ?? "",
  );
  const [version, setVersion] = useState<number | null>(null);
  const [compare, setCompare] = useState<number | null>(null);
  const load = useCallback(
    () => commands.telemetryView(workflowId, version, version === null ? null : compare),
    [workflowId, version, compare],
  );
  // Computed again after an import too.
  const {
    result: view,
    stopped,
    again,
  } = useLongWork<TelemetryView>(workflowId ? load : null, imported, onError);

  const totals = view?.rows.filter((r) => r.step === "" && r.role === "" && r.facility === "") ?? [];
  const steps = view?.rows.filter((r) => r.step !== "" && r.role === "" && r.facility === "") ?? [];
  const roles = view?.rows.filter((r) => r.role !== "") ?? [];
  const distribution = Array.from({ length: 25 }, (_, bin) => {
    const point: Record<string, number | string> = { hours: bin === 24 ? "24+" : `${bin}` };
    for (const d of view?.distribution ?? []) point[`v${d.version}`] = d.bins[bin] ?? 0;
    return point;
  });
  return (
    <section className="area telemetry">
      <div className="area-head">
        <h1>Telemetry</h1>
        <WorkflowSelect project={project} value={workflowId} onChange={setWorkflowId} />
        <button onClick={() => setImporting(true)}>Import telemetry…</button>
        {view && view.versions.length > 0 && (
          <>
            <select
              aria-label="Telemetry version"
              value={version ?? ""}
              onChange={(e) => setVersion(e.target.value === "" ? null : Number(e.target.value))}
            >
              <option value="">Every version</option>
              {view.versions.map((v) => (
                <option key={v} value={v}>
                  Version {v}
                </option>
              ))}
            </select>
            <select
              aria-label="Compare with version"
              value={compare ?? ""}
              disabled={version === null}
              onChange={(e) => setCompare(e.target.value === "" ? null : Number(e.target.value))}
            >
              <option value="">No comparison</option>
              {view.versions
                .filter((v) => v !== version)
                .map((v) => (
                  <option key={v} value={v}>
                    Compared with version {v}
                  </option>
                ))}
            </select>
          </>
        )}
      </div>
      {stopped && <Stopped what="Computing the task metrics" onRetry={again} />}
      {view && view.versions.length === 0 && (
        <p className="empty">
          No telemetry for this workflow yet. Import task events after go-live (CSV, JSON lines or FHIR Task
          histories) with Import telemetry… or `baton import telemetry`.
        </p>
      )}
      {view && view.comparison.length > 0 && (
        <>
          <h2>
            Version {compare} → version {version}
          </h2>
          <table className="grid" data-testid="telemetry-comparison">
            <thead>
              <tr>
                <th>Step</th>
                <th>Metric</th>
                <th className="num">Before</th>
                <th className="num">After</th>
                <th>Larger than the noise?</th>
              </tr>
            </thead>
            <tbody>
              {view.comparison.map((c, i) => (
                <tr key={i} className={c.significant ? "significant" : undefined}>
                  <td>{c.step || "All steps"}</td>
                  <td>{METRIC_LABELS[c.metric] ?? c.metric}</td>
                  <td className="num">{c.from}</td>
                  <td className="num">{c.to}</td>
                  <td>
                    <span title={c.evidence}>{c.verdict}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {totals.length > 0 && (
        <>
          <h2>Tasks by version</h2>
          <table className="grid" data-testid="telemetry-totals">
            <thead>
              <tr>
                <th>Version</th>
                <th className="num">Tasks</th>
                <th className="num">Open</th>
                <th className="num">Median to complete</th>
                <th className="num">90th percentile</th>
                <th className="num">First assignment</th>
                <th className="num">Reassigned</th>
                <th className="num">Overridden</th>
                <th className="num">Escalated</th>
              </tr>
            </thead>
            <tbody>
              {totals.map((r) => (
                <tr key={r.version}>
                  <td>Version {r.version}</td>
                  <td className="num">{r.tasks}</td>
                  <td className="num">{r.open}</td>
                  <td className="num">{r.complete_median}</td>
                  <td className="num">{r.complete_p90}</td>
                  <td className="num">{r.first_assignment_median}</td>
                  <td className="num">{PERCENT(r.reassignment_rate)}</td>
                  <td className="num">{PERCENT(r.override_rate)}</td>
                  <td className="num">{PERCENT(r.escalation_rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="charts">
            <figure>
              <figcaption>Time to complete (tasks per hour since creation)</figcaption>
              <BarChart width={520} height={240} data={distribution}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="hours" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                {(view?.distribution ?? []).map((d, i) => (
                  <Bar
                    key={d.version}
                    dataKey={`v${d.version}`}
                    name={`Version ${d.version}`}
                    fill={COLOURS[(i + 1) % 4]}
                  />
                ))}
              </BarChart>
            </figure>
            <figure>
              <figcaption>Rates by step</figcaption>
              <BarChart
                width={520}
                height={240}
                data={steps.map((r) => ({
                  step: `v${r.version} ${r.step}`,
                  reassigned: (r.reassignment_rate ?? 0) * 100,
                  overridden: (r.override_rate ?? 0) * 100,
                  escalated: (r.escalation_rate ?? 0) * 100,
                }))}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="step" />
                <YAxis unit=" %" />
                <Tooltip />
                <Legend />
                <Bar dataKey="reassigned" name="Reassigned" fill={COLOURS[1]} />
                <Bar dataKey="overridden" name="Overridden" fill={COLOURS[3]} />
                <Bar dataKey="escalated" name="Escalated" fill={COLOURS[0]} />
              </BarChart>
            </figure>
          </div>
          <h2>By step and role</h2>
          <table className="grid" data-testid="telemetry-roles">
            <thead>
              <tr>
                <th>Version</th>
                <th>Step</th>
                <th>Role</th>
                <th className="num">Tasks</th>
                <th className="num">Median to complete</th>
                <th className="num">Reassigned</th>
              </tr>
            </thead>
            <tbody>
              {roles.map((r, i) => (
                <tr key={i}>
                  <td>{r.version}</td>
                  <td>{r.step}</td>
                  <td>{r.role}</td>
                  <td className="num">{r.tasks}</td>
                  <td className="num">{r.complete_median}</td>
                  <td className="num">{PERCENT(r.reassignment_rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {importing && (
        <ImportTelemetryDialog
          onClose={() => setImporting(false)}
          onImported={(p) => {
            onProject(p);
            setImported((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}
