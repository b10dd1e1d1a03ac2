import { describe, expect, it } from "vitest";
import { render, screen, fireEvent, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { CurrentState } from "./CurrentState";
import { sample } from "../test-fixtures";
import type { StepView, WorkflowMap } from "../api";

function step(id: string, name: string, extra: Partial<StepView> = {}): StepView {
  return {
    id,
    name,
    kind: "task",
    owner_role_id: "rn",
    done_means: "",
    generated: true,
    service_level: "",
    service_level_text: "",
    safety_critical: false,
    statements: [],
    claims: [],
    findings: [],
    ...extra,
  };
}

const map: WorkflowMap = {
  id: "ra",
  name: "Respiratory assessment",
  steps: [
    step("s1", "Reconcile the assessment", {
      findings: [{ id: "f1", kind: "ownership_drift", severity: "high", status: "open" }],
      statements: [
        {
          id: "st1",
          interview_id: "i1",
          alias: "RT-3",
          role_id: "rt",
          facility_id: "north",
          step_name: "Reconcile the assessment",
          done_means: "",
          quote: "The nurses reconcile it.",
        },
      ],
      claims: [
        {
          by_role_id: "rt",
          kind: "performs",
          about_role_id: "rn",
          owns: true,
          statements: [
            {
              id: "st1",
              interview_id: "i1",
              alias: "RT-3",
              role_id: "rt",
              facility_id: "north",
              step_name: "Reconcile the assessment",
              done_means: "",
              quote: "The nurses reconcile it.",
            },
          ],
        },
      ],
    }),
    step("s2", "Reconcile RT assessment"),
  ],
  handoffs: [],
  suggestions: [
    {
      workflow_id: "ra",
      first_step_id: "s1",
      second_step_id: "s2",
      first_name: "Reconcile the assessment",
      second_name: "Reconcile RT assessment",
      score: 0.8,
    },
  ],
  ungrouped: 0,
};

/** The Current state screen on the sample's respiratory workflow. */
function show(onOpenInterview: (id: string) => void) {
  render(
    <CurrentState
      project={sample()}
      workflowId="ra"
      onWorkflow={() => undefined}
      onProject={() => undefined}
      onError={(e) => {
        throw e;
      }}
      onOpenInterview={onOpenInterview}
    />,
  );
}

describe("CurrentState", () => {
  it("shows badges, the claims matrix, and merges a suggestion through the core", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "workflow_map") return map;
      return sample();
    });
    const opened: string[] = [];
    show((id) => opened.push(id));
    expect(await screen.findByText("Ownership drift")).toBeTruthy();
    fireEvent.click(screen.getAllByRole("button", { name: "Reconcile the assessment" })[0]);
    const matrix = await screen.findByTestId("claims-matrix");
    expect(matrix.textContent).toContain("RTs");
    expect(matrix.textContent).toContain("does it ×1");
    fireEvent.click(screen.getByRole("button", { name: "RT-3" }));
    expect(opened).toEqual(["i1"]);
    fireEvent.click(screen.getByRole("button", { name: "Merge" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "merge_steps")).toBe(true));
    expect(calls.find((c) => c.cmd === "merge_steps")?.args).toEqual({ from: "s2", into: "s1" });
    fireEvent.click(screen.getByRole("button", { name: "Keep apart" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "keep_steps_apart")).toBe(true));
  });

  it("sets a step's service level and safety-critical flag", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "workflow_map") return map;
      return sample();
    });
    show(() => undefined);
    fireEvent.click((await screen.findAllByRole("button", { name: "Reconcile the assessment" }))[0]);
    const form = await screen.findByRole("form", { name: "Service level" });
    expect(form.textContent).toContain("No service level");
    const save = screen.getByRole<HTMLButtonElement>("button", { name: "Save service level" });
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText("Service level amount"), { target: { value: "x" } });
    expect(form.textContent).toContain("whole number");
    fireEvent.change(screen.getByLabelText("Service level amount"), { target: { value: "30" } });
    fireEvent.click(screen.getByLabelText("Safety-critical (a wait can harm a patient)"));
    fireEvent.click(save);
    await waitFor(() => expect(calls.some((c) => c.cmd === "set_service_level")).toBe(true));
    expect(calls.find((c) => c.cmd === "set_service_level")?.args).toEqual({
      id: "s1",
      within: "PT30M",
      safetyCritical: true,
    });
  });
});
