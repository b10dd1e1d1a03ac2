import { describe, expect, it } from "vitest";
import { render, screen, fireEvent, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { Proposals } from "./Proposals";
import { sample } from "../test-fixtures";
import type { ProposalView } from "../api";

function view(draft: boolean, problems = 0): ProposalView {
  return {
    workflow_id: "ra",
    workflow: "Respiratory assessment",
    versions: [
      { id: "v1", label: "Version 1", draft: false },
      ...(draft ? [{ id: "d", label: "Draft", draft: true }] : []),
    ],
    version: {
      id: draft ? "d" : "v1",
      label: draft ? "Draft" : "Version 1",
      draft,
      note: "",
      states: [
        { id: "due", name: "Due", kind: "initial", meaning: "", task: "", opens_task: false },
        {
          id: "charted",
          name: "Charted by RT",
          kind: "intermediate",
          meaning: "",
          task: "Reconcile assessment",
          opens_task: true,
        },
        { id: "done", name: "Reviewed by MD", kind: "terminal", meaning: "", task: "", opens_task: false },
      ],
      transitions: [
        {
          id: "t1",
          summary: "Due → Reviewed by MD on note_signed",
          timer: "after 2 hours",
          fields: {
            from_state_id: "due",
            to_state_id: "done",
            event: "note_signed",
            guard: "",
            owner_role_id: null,
            timer: "PT2H",
            escalate_to_role_id: "uc",
            write_backs: [{ field: "Documentation Status", value: "Complete" }],
            priority: null,
            owner_at: [],
          },
        },
      ],
      problems: Array.from({ length: problems }, () => ({
        rule: "reachable",
        subject: "state Lost",
        message: "no path leads to it",
      })),
      replay: {
        cases: 300,
        fitting: 227,
        fitness: 0.7567,
        deviations: [{ state: "Charted by RT", event: "note_signed", count: 72 }],
      },
      signoffs: draft
        ? []
        : [
            {
              id: "so1",
              version: "1",
              name: "Dr. Okafor",
              role: "Medical director",
              signed_on: "2026-10-09",
              decision: "approved",
              comment: "",
              intact: true,
            },
          ],
      svg: "<svg><text>lanes</text></svg>",
    },
    events: [
      { name: "note_signed", description: "", fields: [], activities: ["Review and co-sign assessment"] },
    ],
    roles: [
      { id: "uc", name: "Unit coordinator" },
      { id: "rn", name: "RN" },
    ],
    facilities: [{ id: "north", name: "North Campus Hospital" }],
    emr_fields: [{ name: "Documentation Status", values: ["Complete"] }],
  };
}

function show() {
  render(
    <Proposals
      project={sample()}
      onProject={() => undefined}
      onError={(e) => {
        throw e;
      }}
    />,
  );
}

describe("Proposals", () => {
  it("shows a published version with validation, replay and its transitions, read-only", async () => {
    mockIPC((cmd) => (cmd === "current_project" ? sample() : view(false)));
    show();
    expect((await screen.findByTestId("validation")).textContent).toContain("Valid");
    expect(screen.getByTestId("replay").textContent).toContain("227 of 300");
    expect(screen.getByTestId("replay").textContent).toContain("75.7 %");
    const transitions = screen.getByTestId("transitions");
    expect(transitions.textContent).toContain("after 2 hours → Unit coordinator");
    expect(transitions.textContent).toContain("Documentation Status = Complete");
    expect(within(transitions).queryByRole("button", { name: "Edit" })).toBeNull();
    expect(screen.getByTestId("states").textContent).toContain("Reconcile assessment");
    expect(screen.getByTestId("version-diagram").innerHTML).toContain("<svg>");
    expect(screen.getByTestId("signoffs").textContent).toContain(
      "Approved by Dr. Okafor (Medical director), 2026-10-09",
    );
  });

  it("starts a draft, adds a state and shows the problems it brings", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    let problems = 0;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "current_project") return sample();
      if (cmd === "proposal_view") return view(false);
      if (cmd === "add_state") problems = 1;
      return view(true, problems);
    });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Start a draft" }));
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>("Name of Due").value).toBe("Due"));
    fireEvent.change(screen.getByLabelText("Name of new state"), { target: { value: "Lost" } });
    fireEvent.click(screen.getByRole("button", { name: "Add state" }));
    await waitFor(() => expect(screen.getByTestId("validation").textContent).toContain("reachable"));
    expect(calls.find((c) => c.cmd === "add_state")?.args).toEqual({
      workflowId: "ra",
      versionId: "d",
      fields: { name: "Lost", kind: "intermediate", meaning: "", task: "" },
    });
    // The work a state's task asks for is named, and renamed, in its row.
    const task = screen.getByLabelText<HTMLInputElement>("Task of Charted by RT");
    expect(task.value).toBe("Reconcile assessment");
    fireEvent.change(task, { target: { value: "Reconcile assessment with care plan" } });
    const row = task.closest("tr") as HTMLElement;
    fireEvent.click(within(row).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "update_state")).toBe(true));
    expect((calls.find((c) => c.cmd === "update_state")?.args as { fields: unknown }).fields).toEqual({
      name: "Charted by RT",
      kind: "intermediate",
      meaning: "",
      task: "Reconcile assessment with care plan",
    });
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Publish as next version" }).disabled).toBe(
      true,
    );
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Export…" }).disabled).toBe(true);
    // The transition form sends the fields as edited.
    fireEvent.click(screen.getAllByRole("button", { name: "Edit" })[0]);
    const form = screen.getByRole("form", { name: "Transition" });
    fireEvent.change(within(form).getByPlaceholderText("e.g. PT2H"), { target: { value: "PT30M" } });
    fireEvent.change(within(form).getByLabelText("Owner at North Campus Hospital"), {
      target: { value: "rn" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Save transition" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_transition")).toBe(true));
    const saved = calls.find((c) => c.cmd === "save_transition")?.args as {
      id: string;
      fields: { timer: string };
    };
    expect(saved.id).toBe("t1");
    expect(saved.fields.timer).toBe("PT30M");
  });

  it("exports to the file chosen with Browse… in the chosen format", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "current_project") return sample();
      if (cmd === "choose_path") return "/tmp/ra.bpmn";
      if (cmd === "export_version") return null;
      return view(false);
    });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Export…" }));
    const dialog = screen.getByRole("dialog", { name: "Export" });
    fireEvent.change(within(dialog).getByLabelText("Export format"), { target: { value: "bpmn" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Browse…" }));
    await waitFor(() =>
      expect((within(dialog).getByLabelText("Export file") as HTMLInputElement).value).toBe("/tmp/ra.bpmn"),
    );
    fireEvent.click(within(dialog).getByRole("button", { name: "Export" }));
    expect((await screen.findByRole("status")).textContent).toContain("Exported Version 1 to /tmp/ra.bpmn");
    expect(calls.find((c) => c.cmd === "export_version")?.args).toEqual({
      versionId: "v1",
      format: "bpmn",
      path: "/tmp/ra.bpmn",
    });
  });

  it("sends the version for review as one packet, and imports the review saved from it", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "current_project") return sample();
      if (cmd === "choose_path") return "/tmp/review";
      if (cmd === "export_review") return "/tmp/review.html";
      if (cmd === "import_review")
        return {
          import: {
            reviewer: "Dr. Okafor",
            version: "Respiratory assessment, version 1",
            comments_added: 2,
            comments_resolved: 1,
            signed_off: true,
          },
          message: "Review by Dr. Okafor of Respiratory assessment, version 1: 2 comments added",
          project: sample(),
        };
      return view(false);
    });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Send for review…" }));
    let dialog = screen.getByRole("dialog", { name: "Send for review" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Browse…" }));
    await waitFor(() =>
      expect((within(dialog).getByLabelText("Review packet file") as HTMLInputElement).value).toBe(
        "/tmp/review",
      ),
    );
    fireEvent.click(within(dialog).getByRole("button", { name: "Write packet" }));
    expect((await screen.findByRole("status")).textContent).toContain(
      "Wrote the review packet of Version 1 to /tmp/review.html",
    );
    expect(calls.find((c) => c.cmd === "export_review")?.args).toEqual({
      versionId: "v1",
      path: "/tmp/review",
    });

    fireEvent.click(screen.getByRole("button", { name: "Import review…" }));
    dialog = screen.getByRole("dialog", { name: "Import review" });
    fireEvent.change(within(dialog).getByLabelText("Review file"), {
      target: { value: "/tmp/r.baton-review.json" },
    });
    fireEvent.click(within(dialog).getByRole("button", { name: "Import" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("Review by Dr. Okafor"));
    expect(calls.find((c) => c.cmd === "import_review")?.args).toEqual({ path: "/tmp/r.baton-review.json" });
    expect(screen.queryByRole("dialog", { name: "Import review" })).toBeNull();
  });

  it("compares the version with another: the changes listed and outlined on the swimlanes", async () => {
    mockIPC((cmd) => {
      if (cmd === "current_project") return sample();
      if (cmd === "compare_versions")
        return {
          svg: '<svg><rect data-diff="added"/></svg>',
          changes: [
            { element: "state", subject: "Escalated", change: "added", part: null, from: null, to: null },
            {
              element: "transition",
              subject: "Due → Charted on x",
              change: "changed",
              part: "timer",
              from: "PT8H",
              to: "",
            },
          ],
        };
      return view(true);
    });
    show();
    fireEvent.change(await screen.findByLabelText("Compare with"), { target: { value: "v1" } });
    const changes = await screen.findByTestId("changes");
    expect(changes.textContent).toContain("added state Escalated");
    expect(changes.textContent).toContain("timer “PT8H” → “”");
    expect(screen.getByTestId("version-diagram").innerHTML).toContain('data-diff="added"');
  });
});
