import { useEffect, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { commands, unwrap, type ProjectView, type TelemetryView } from "../api";
import { WorkflowSelect } from "./WorkflowSelect";

type Props = { project: ProjectView; onError: (e: unknown) => void };

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
export function Telemetry({ project, onError }: Props) {
  const [workflowId, setWorkflowId] = useState(project.workflows[0]?.id ?? "");
  const [version, setVersion] = useState<number | null>(null);
  const [compare, setCompare] = useState<number | null>(null);
  const [view, setView] = useState<TelemetryView | null>(null);
  useEffect(() => {
    if (!workflowId) return;
    let live = true;
    unwrap(commands.telemetryView(workflowId, version, version === null ? null : compare)).then(
      (v) => live && setView(v),
      (e: unknown) => live && onError(e),
    );
    return () => {
      live = false;
    };
  }, [workflowId, version, compare, onError]);

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
      {view && view.versions.length === 0 && (
        <p className="empty">
          No telemetry for this workflow yet. Import task events after go-live with `baton import telemetry`
          (CSV or JSON lines), or list them in a bundle's inputs.
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
                  <td className="num">{formatMetric(c.metric, c.from)}</td>
                  <td className="num">{formatMetric(c.metric, c.to)}</td>
                  <td>
                    {c.significant ? "Yes" : "No"} <span className="meta">{c.evidence}</span>
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
                  <td className="num">{r.complete_median_hours ?? "–"} h</td>
                  <td className="num">{r.complete_p90_hours ?? "–"} h</td>
                  <td className="num">{r.first_assignment_median_minutes ?? "–"} min</td>
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
                  <td className="num">{r.complete_median_hours ?? "–"} h</td>
                  <td className="num">{PERCENT(r.reassignment_rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function formatMetric(metric: string, value: number | null) {
  if (value === null) return "–";
  return metric.endsWith("_rate") ? PERCENT(value) : `${(value / 3600).toFixed(1)} h`;
}
