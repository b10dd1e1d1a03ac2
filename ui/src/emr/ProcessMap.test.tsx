import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { MapOptions, ProcessMapView } from "../api";
import { ProcessMap } from "./ProcessMap";

const rect = (x: number, y: number, width: number, height: number) => ({ x, y, width, height });

function map(measure: "frequency" | "performance"): ProcessMapView {
  return {
    log_id: "log1",
    title: "respiratory-log.csv",
    subtitle: "All facilities · 300 cases · 2 of 2 activities · 4 of 4 paths · frequency",
    measure,
    width: 800,
    height: 200,
    lanes: [{ id: "lane0", name: "RT", band: rect(0, 0, 800, 200), header: rect(0, 0, 136, 200) }],
    nodes: [
      {
        id: "start",
        kind: "start",
        label: "Start",
        lines: ["Start"],
        box: rect(150, 80, 80, 36),
        count: 300,
        count_text: "300 cases",
        role: "RT",
      },
      {
        id: "a0",
        kind: "task",
        label: "Chart",
        lines: ["Chart", "300"],
        box: rect(260, 70, 168, 52),
        count: 300,
        count_text: "300 events",
        role: "RT",
      },
      {
        id: "a1",
        kind: "task",
        label: "Review",
        lines: ["Review", "300"],
        box: rect(460, 70, 168, 52),
        count: 300,
        count_text: "300 events",
        role: "RT",
      },
      {
        id: "end",
        kind: "end",
        label: "End",
        lines: ["End"],
        box: rect(660, 80, 80, 36),
        count: 300,
        count_text: "300 cases",
        role: "RT",
      },
    ],
    edges: [
      {
        id: "e0",
        from: "start",
        to: "a0",
        points: [
          [230, 98],
          [260, 98],
        ],
        label: "300",
        label_box: null,
        stroke_width: 8,
        colour: "#1e40af",
        tooltip: "300 cases",
        disagreement: null,
        finding: null,
      },
      {
        id: "e1",
        from: "a0",
        to: "a1",
        points: [
          [428, 96],
          [460, 96],
        ],
        label: "72",
        label_box: rect(430, 80, 20, 13),
        stroke_width: 3,
        colour: "#c2410c",
        tooltip: "Taken 72 times",
        disagreement: "undocumented",
        finding: "undocumented_transition-abc",
      },
      {
        id: "e2",
        from: "a1",
        to: "end",
        points: [
          [628, 98],
          [660, 98],
        ],
        label: "300",
        label_box: null,
        stroke_width: 8,
        colour: "#1e40af",
        tooltip: "300 cases",
        disagreement: null,
        finding: null,
      },
    ],
    variants: [
      {
        activities: ["Chart", "Review"],
        count: 300,
        share: "100.0 %",
        edges: ["e0", "e1", "e2"],
        complete: true,
      },
      { activities: ["Chart"], count: 0, share: "0.0 %", edges: ["e0"], complete: false },
    ],
    other_variants: "",
    facilities: [{ id: "north", name: "North Campus" }],
    facility: null,
    cases: 300,
    activities_total: 2,
    activities_shown: 2,
    paths_total: 3,
    paths_shown: 3,
    activity_percent: 100,
    path_percent: 100,
    legend: "Thicker, darker paths are taken more often; the numbers count them.",
  };
}

describe("ProcessMap", () => {
  it("draws the map, switches measure and facility, highlights a variant and opens a finding", async () => {
    const asked: MapOptions[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "process_map") throw new Error(`unexpected ${cmd}`);
      const options = (args as { options: MapOptions }).options;
      asked.push(options);
      return map(options.measure ?? "frequency");
    });
    const opened: string[] = [];
    render(
      <ProcessMap
        logId="log1"
        revision={1}
        onClose={() => undefined}
        onOpenFinding={(id) => opened.push(id)}
        onError={(e) => {
          throw e;
        }}
      />,
    );
    const drawn = await screen.findByTestId("process-map");
    expect(drawn.textContent).toContain("Chart");
    expect(drawn.querySelector('[data-disagreement="undocumented"]')).toBeTruthy();
    // The first ask leaves the shares to the core; the sliders then show what it chose.
    expect(asked[0].activities).toBeNull();
    expect(screen.getByText(/Activities 100 %/)).toBeTruthy();
    fireEvent.click(screen.getByRole("radio", { name: "Performance" }));
    await waitFor(() => expect(asked.some((o) => o.measure === "performance")).toBe(true));
    fireEvent.change(screen.getByLabelText("Facility"), { target: { value: "north" } });
    await waitFor(() => expect(asked.some((o) => o.facility === "north")).toBe(true));
    fireEvent.click(screen.getByRole("button", { name: /Variant 2/ }));
    await waitFor(() => expect(drawn.querySelectorAll(".map-edge.dim").length).toBe(2));
    fireEvent.click(drawn.querySelector('[data-edge="e1"]') as Element);
    expect(opened).toEqual(["undocumented_transition-abc"]);
  });
});
