import { describe, expect, it } from "vitest";
import { render, screen, fireEvent, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { WalkThrough } from "./WalkThrough";
import { sample } from "../test-fixtures";
import type { VersionDetail, WalkInput, WalkView } from "../api";

const detail = { id: "v1", label: "Version 1" } as VersionDetail;

/** What the core answers after `steps`: Due until an event, then Charted with the RN's task and a
 * two-hour timer, then an escalation once time passes it. */
function answer(steps: WalkInput[]): WalkView {
  const charted = steps.some((s) => s.event === "assessment_completed");
  const late = steps.some((s) => s.event === null);
  return {
    trace: {
      steps: charted
        ? [
            {
              at: "2026-01-05T08:00:00Z",
              event: "assessment_completed",
              from: "Due",
              to: "Charted by RT",
              tasks_opened: [{ name: "Charted by RT", role: "rn" }],
              tasks_closed: [],
              escalations: [],
              write_backs: [{ field: "Documentation Status", value: "Pending Review" }],
            },
            ...(late
              ? [
                  {
                    at: "2026-01-05T10:00:00Z",
                    timer: "after 2 hours",
                    from: "Charted by RT",
                    to: "Charted by RT",
                    tasks_opened: [],
                    tasks_closed: [],
                    escalations: [{ role: "uc", task: "Charted by RT" }],
                    write_backs: [],
                  },
                ]
              : []),
          ]
        : [],
      final_state: charted ? "Charted by RT" : "Due",
      finished: false,
      open_tasks: [],
    },
    state: charted ? "Charted by RT" : "Due",
    finished: false,
    open_tasks: charted ? ["Charted by RT — RN"] : [],
    next_events: charted
      ? [{ name: "assessment_reconciled", description: "", fields: [], activities: [] }]
      : [{ name: "assessment_completed", description: "", fields: ["spo2: number"], activities: [] }],
    deadline: charted && !late ? "2026-01-05T10:00:00Z" : null,
    timer: charted && !late ? "after 2 hours" : null,
    now: steps.at(-1)?.at ?? "2026-01-05T08:00:00Z",
    svg: "<svg></svg>",
  };
}

describe("the walk-through", () => {
  it("sends the chosen event with its data, then lets time pass past the timer", async () => {
    const sent: WalkInput[][] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "walk_through") return null;
      const steps = (args as { steps: WalkInput[] }).steps;
      sent.push(steps);
      return answer(steps);
    });
    render(
      <WalkThrough
        project={sample()}
        detail={detail}
        onClose={() => {}}
        onError={(e) => {
          throw e;
        }}
      />,
    );
    expect((await screen.findByTestId("walk-state")).textContent).toContain("Due");
    fireEvent.change(screen.getByLabelText("assessment_completed spo2"), { target: { value: "88" } });
    fireEvent.click(screen.getByRole("button", { name: "assessment_completed" }));
    await waitFor(() => expect(screen.getByTestId("walk-tasks").textContent).toContain("Charted by RT — RN"));
    expect(sent.at(-1)).toEqual([
      { at: "2026-01-05T08:00:00Z", event: "assessment_completed", data: [{ name: "spo2", value: "88" }] },
    ]);
    expect(screen.getByTestId("walk-trace").textContent).toContain(
      "writes back Documentation Status = Pending Review",
    );
    fireEvent.click(screen.getByRole("button", { name: "Let time pass past the timer (after 2 hours)" }));
    await waitFor(() =>
      expect(screen.getByTestId("walk-trace").textContent).toContain("escalates Charted by RT to"),
    );
    expect(sent.at(-1)?.at(-1)).toEqual({ at: "2026-01-05T10:01:00Z", event: null, data: [] });
    fireEvent.click(screen.getByRole("button", { name: "Back one step" }));
    await waitFor(() => expect(sent.at(-1)?.length).toBe(1));
  });
});
