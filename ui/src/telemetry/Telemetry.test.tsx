import { describe, expect, it } from "vitest";
import { render, screen, fireEvent, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { Telemetry } from "./Telemetry";
import { sample } from "../test-fixtures";
import type { TelemetryView } from "../api";

function row(version: number, step: string, reassign: number) {
  return {
    version,
    step,
    role: "",
    facility: "",
    tasks: 240,
    completed: 230,
    open: 5,
    complete_median_hours: version === 1 ? 3.9 : 2.3,
    complete_p90_hours: 8,
    first_assignment_median_minutes: 12,
    complete_median: version === 1 ? "3 h 54 min" : "2 h 18 min",
    complete_p90: "8 hours",
    first_assignment_median: "12 minutes",
    reassignment_rate: reassign,
    override_rate: 0.04,
    escalation_rate: 0.08,
  };
}

const view: TelemetryView = {
  versions: [1, 2],
  rows: [row(2, "", 0.075), row(2, "ra-v2-t1", 0.1)],
  comparison: [
    {
      step: "",
      metric: "reassignment_rate",
      from: "20.0 %",
      to: "7.5 %",
      significant: true,
      verdict: "Larger than the noise (95 % sure)",
      evidence: "z = -3.98",
    },
    {
      step: "",
      metric: "override_rate",
      from: "6.0 %",
      to: "4.0 %",
      significant: false,
      verdict: "Within the noise",
      evidence: "z = -1.21",
    },
  ],
  distribution: [
    { version: 1, bins: Array.from({ length: 25 }, (_, i) => (i < 5 ? 10 : 0)) },
    { version: 2, bins: Array.from({ length: 25 }, (_, i) => (i < 3 ? 20 : 0)) },
  ],
};

describe("Telemetry", () => {
  it("opens on the first workflow that has telemetry", async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "telemetry_view") asked.push((args as { workflowId: string }).workflowId);
      return view;
    });
    const base = sample();
    const project = {
      ...base,
      workflows: [
        { ...base.workflows[0], id: "empty", name: "A workflow without telemetry" },
        { ...base.workflows[0], id: "measured", name: "B measured workflow", telemetry_tasks: 480 },
      ],
    };
    render(<Telemetry project={project} onProject={() => undefined} onError={() => undefined} />);
    await screen.findByTestId("telemetry-totals");
    expect(asked).toEqual(["measured"]);
  });

  it("shows the metrics and the comparison of two versions", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      return view;
    });
    render(
      <Telemetry
        project={sample()}
        onProject={() => undefined}
        onError={(e) => {
          throw e;
        }}
      />,
    );
    const totals = await screen.findByTestId("telemetry-totals");
    expect(totals.textContent).toContain("7.5 %");
    // Durations as the core writes them for people.
    expect(totals.textContent).toContain("2 h 18 min");
    expect(screen.getByTestId("telemetry-comparison").textContent).toContain("20.0 %");
    const comparison = screen.getByTestId("telemetry-comparison");
    expect(comparison.textContent).toContain("Larger than the noise (95 % sure)");
    // The statistic is in the tooltip, not in the words people read.
    expect(comparison.textContent).not.toContain("z =");
    expect(comparison.querySelector('[title="z = -3.98"]')).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Telemetry version"), { target: { value: "2" } });
    fireEvent.change(screen.getByLabelText("Compare with version"), { target: { value: "1" } });
    await waitFor(() =>
      expect(
        calls.some(
          (c) => JSON.stringify(c.args) === JSON.stringify({ workflowId: "ra", version: 2, compare: 1 }),
        ),
      ).toBe(true),
    );
  });

  it("says how to get telemetry when there is none", async () => {
    mockIPC(() => ({ versions: [], rows: [], comparison: [], distribution: [] }));
    render(<Telemetry project={sample()} onProject={() => undefined} onError={() => undefined} />);
    expect(await screen.findByText(/No telemetry for this workflow yet/)).toBeTruthy();
  });

  it("imports a telemetry file, shows the summary and fetches the view again", async () => {
    const calls: string[] = [];
    let imported = false;
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "run_import") {
        imported = true;
        return {
          summary: [
            "imported history.json (telemetry fhir): 12 records",
            "  missing: version 1 of ra: no telemetry for transition t2",
          ],
          flagged: [],
          project: sample(),
        };
      }
      return imported ? view : { versions: [], rows: [], comparison: [], distribution: [] };
    });
    const adopted: unknown[] = [];
    render(<Telemetry project={sample()} onProject={(p) => adopted.push(p)} onError={() => undefined} />);
    fireEvent.click(await screen.findByText("Import telemetry…"));
    fireEvent.change(screen.getByLabelText("Telemetry file"), { target: { value: "/tmp/history.json" } });
    fireEvent.click(screen.getByText("Import"));
    const summary = await screen.findByTestId("telemetry-import-summary");
    expect(summary.textContent).toContain("missing: version 1 of ra");
    expect(adopted).toHaveLength(1);
    expect(await screen.findByTestId("telemetry-totals")).toBeTruthy();
    expect(calls.filter((c) => c === "telemetry_view").length).toBeGreaterThan(1);
  });
});
