import { describe, expect, it } from "vitest";
import { render, screen, fireEvent, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { Swimlanes, partsOf } from "./Swimlanes";
import { sample } from "../test-fixtures";
import type { DiagramView, Finding } from "../api";

const box = (x: number, y: number, width: number, height: number) => ({ x, y, width, height });

const diagram: DiagramView = {
  workflow_id: "wf",
  title: "Respiratory assessment",
  subtitle: "Current state",
  vertical: false,
  width: 800,
  height: 200,
  lanes: [
    { id: "rt", name: "RT", band: box(0, 0, 800, 100), header: box(0, 0, 136, 100) },
    { id: "rn", name: "RN", band: box(0, 100, 800, 100), header: box(0, 100, 136, 100) },
  ],
  nodes: [
    {
      id: "s1",
      kind: "task",
      label: "Reconcile the assessment",
      lines: ["Reconcile the", "assessment"],
      lane: "rt",
      box: box(200, 24, 168, 52),
      manual: false,
      step: true,
      findings: ["f1"],
      severity: "high",
      open_comments: 1,
      resolved_comments: 0,
    },
    {
      id: "s2",
      kind: "task",
      label: "Chart the assessment",
      lines: ["Chart the assessment"],
      lane: "rn",
      box: box(420, 124, 168, 52),
      manual: false,
      step: true,
      findings: [],
      severity: null,
      open_comments: 0,
      resolved_comments: 0,
    },
  ],
  edges: [
    {
      id: "h1",
      from: "s1",
      to: "s2",
      points: [
        [368, 50],
        [394, 50],
        [394, 150],
        [420, 150],
      ],
      cross_lane: true,
      back: false,
      label: "verbal",
      label_box: box(360, 30, 60, 17),
      handoff: true,
      deletable: false,
      open_comments: 0,
    },
  ],
};

const finding: Finding = {
  id: "f1",
  kind: "ownership_drift",
  severity: "high",
  title: "Who reconciles the assessment drifts between RT and RN",
  subject: { workflow: "wf", step: "s1", roles: ["rn", "rt"], facilities: [] },
  evidence: [
    {
      source: "interview",
      text: "RT-3 says RN does it",
      interview: "i1",
      alias: "RT-3",
      facility: null,
      statement: null,
    },
  ],
  recommendation: "Name one owner.",
  status: "open",
  reason: "",
};

describe("Swimlanes", () => {
  it("draws lanes and steps from the core's layout, shows evidence and sends comments and auto-layout to the core", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "diagram") return diagram;
      if (cmd === "comments") return [];
      if (cmd === "findings") return [finding];
      if (cmd === "add_comment") return { id: "c1", project: sample() };
      return sample();
    });
    const opened: string[] = [];
    render(
      <Swimlanes
        project={sample()}
        workflowId="wf"
        onWorkflow={() => undefined}
        onProject={() => undefined}
        onError={(e) => {
          throw e;
        }}
        onOpenInterview={(id) => opened.push(id)}
      />,
    );
    expect(await screen.findByText("Chart the assessment")).toBeTruthy();
    expect(document.querySelector('[data-lane-band="rn"]')).toBeTruthy();
    expect(calls.find((c) => c.cmd === "diagram")?.args).toEqual({ workflowId: "wf", vertical: false });

    // The finding badge opens its evidence, with a way to the interview.
    fireEvent.click(screen.getByTitle("1 finding(s): show the evidence"));
    const evidence = await screen.findByTestId("evidence-panel");
    expect(evidence.textContent).toContain("drifts between RT and RN");
    fireEvent.click(screen.getByRole("button", { name: "open RT-3" }));
    expect(opened).toEqual(["i1"]);

    // The comment badge opens the comments of the step; a new comment goes to the core.
    fireEvent.click(screen.getByTitle("Show the comments"));
    await screen.findByTestId("comments-panel");
    fireEvent.change(screen.getByLabelText("Comment author role"), { target: { value: "rn" } });
    fireEvent.change(screen.getByLabelText("Comment text"), { target: { value: "Who owns this at night?" } });
    fireEvent.click(screen.getByRole("button", { name: "Add comment" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "add_comment")).toBe(true));
    expect(calls.find((c) => c.cmd === "add_comment")?.args).toEqual({
      target: "step",
      targetId: "s1",
      authorRoleId: "rn",
      text: "Who owns this at night?",
    });

    fireEvent.click(screen.getByRole("button", { name: "Auto-layout" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "auto_layout")).toBe(true));
    fireEvent.click(screen.getByLabelText("Vertical lanes"));
    await waitFor(() =>
      expect(calls.some((c) => c.cmd === "diagram" && (c.args as { vertical: boolean }).vertical)).toBe(true),
    );
  });
});

describe("partsOf", () => {
  it("splits a long diagram between steps and lists the handoffs that cross parts", () => {
    const node = (id: string, x: number) => ({
      id,
      kind: "task" as const,
      label: id.toUpperCase(),
      lines: [id],
      lane: "rt",
      box: { x, y: 20, width: 168, height: 52 },
      manual: false,
      step: true,
      findings: [],
      severity: null,
      open_comments: 0,
      resolved_comments: 0,
    });
    const edge = (from: string, to: string) => ({
      id: `${from}-${to}`,
      from,
      to,
      points: [] as [number, number][],
      cross_lane: false,
      back: false,
      label: null,
      label_box: null,
      handoff: true,
      manual: false,
      findings: [],
      severity: null,
      open_comments: 0,
      resolved_comments: 0,
    });
    const d = {
      nodes: [node("a", 100), node("b", 300), node("c", 500), node("d", 700)],
      edges: [edge("a", "b"), edge("b", "c"), edge("c", "d")],
    } as unknown as Parameters<typeof partsOf>[0];
    const parts = partsOf(d, false, 450);
    expect(parts.map((p) => [p.first, p.last])).toEqual([
      ["A", "B"],
      ["C", "D"],
    ]);
    // Every step is in a part whole; the parts follow each other along the flow.
    expect(parts[0].end).toBeLessThanOrEqual(parts[0].start + 450);
    expect(parts[1].start).toBeGreaterThan(parts[0].start);
    expect(parts[0].handoffs).toEqual(["“B” → part 2: “C”"]);
    expect(parts[1].handoffs).toEqual(["from part 1: “B” → “C”"]);
    expect(parts[0].crossing).toEqual(["b-c"]);
    expect(parts[1].crossing).toEqual(["b-c"]);
    // A diagram that fits is one part.
    expect(partsOf(d, false, 2000)).toHaveLength(1);
  });
});
