import { describe, expect, it, vi } from "vitest";
import { render, screen, fireEvent, waitFor, act, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { StatementGrid, emptyFields, parseBeliefs } from "./StatementGrid";
import { Findings } from "../findings/Findings";
import { InterviewScreen } from "./Interviews";
import { findingList, sample } from "../test-fixtures";
import type { Finding, FindingKind, FindingQuery, StatementRow } from "../api";

function row(id: string, step = ""): StatementRow {
  return { id, step_id: null, fields: { ...emptyFields("ra"), step_name: step } as StatementRow["fields"] };
}

type Call = { cmd: string; args: Record<string, unknown> };

function grid(rows: StatementRow[], calls: Call[]) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === "add_statement") return { id: "new", project: sample() };
    if (cmd === "add_role")
      return sample({ roles: [...sample().roles, { id: "uc", name: "Unit coordinator" }] });
    if (cmd === "closest_roles")
      return (args as { name: string }).name === "RNN" ? [{ id: "rn", name: "RN" }] : [];
    return sample();
  });
  const onChanged = vi.fn(async () => undefined);
  render(
    <StatementGrid
      interviewId="i1"
      rows={rows}
      knownSteps={[{ workflow_id: "ra", name: "Chart assessment" }]}
      project={sample()}
      defaultWorkflow="ra"
      onChanged={onChanged}
      onError={(e) => {
        throw e;
      }}
    />,
  );
  return onChanged;
}

function cell(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-cell="${id}"]`);
  if (!el) throw new Error(`no cell ${id}`);
  return el;
}

describe("StatementGrid", () => {
  it("saves a cell when Enter moves on, reading roles by name", async () => {
    const calls: Call[] = [];
    const changed = grid([row("s1")], calls);
    act(() => cell("0:0").focus());
    fireEvent.change(cell("0:0"), { target: { value: "Chart the assessment" } });
    fireEvent.keyDown(cell("0:0"), { key: "Enter" });
    expect(document.activeElement).toBe(cell("0:1"));
    fireEvent.change(cell("0:1"), { target: { value: "rt" } });
    fireEvent.keyDown(cell("0:1"), { key: "Enter" });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "update_statement").length).toBe(2));
    const updates = calls.filter((c) => c.cmd === "update_statement");
    const last = updates[1].args as { id: string; fields: { step_name: string; performed_by: string } };
    expect(last.id).toBe("s1");
    expect(last.fields.step_name).toBe("Chart the assessment");
    expect(last.fields.performed_by).toBe("rt");
    await waitFor(() => expect(changed).toHaveBeenCalledTimes(2));
  });

  it("records beliefs, creating a role that does not exist yet once the consultant says so", async () => {
    const calls: Call[] = [];
    grid([row("s1", "Route orders")], calls);
    const beliefs = cell("0:7");
    act(() => beliefs.focus());
    fireEvent.change(beliefs, { target: { value: "Unit coordinator, not RT" } });
    fireEvent.blur(beliefs);
    const ask = await screen.findByRole("alertdialog", { name: "Create role “Unit coordinator”?" });
    expect(calls.some((c) => c.cmd === "add_role")).toBe(false);
    fireEvent.click(within(ask).getByRole("button", { name: "Create role “Unit coordinator”" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "update_statement")).toBe(true));
    expect(calls.find((c) => c.cmd === "add_role")?.args).toEqual({
      name: "Unit coordinator",
      description: "",
    });
    const update = calls.find((c) => c.cmd === "update_statement")?.args as { fields: { claims: unknown } };
    expect(update.fields.claims).toEqual([
      { role_id: "uc", kind: "performs", owns: true },
      { role_id: "rt", kind: "performs", owns: false },
    ]);
  });

  it("offers the closest role for a typo, and uses it instead of creating one", async () => {
    const calls: Call[] = [];
    grid([row("s1", "Chart")], calls);
    act(() => cell("0:1").focus());
    fireEvent.change(cell("0:1"), { target: { value: "RNN" } });
    fireEvent.blur(cell("0:1"));
    const ask = await screen.findByRole("alertdialog", { name: "Create role “RNN”?" });
    fireEvent.click(within(ask).getByRole("button", { name: "Use RN" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "update_statement")).toBe(true));
    expect(calls.some((c) => c.cmd === "add_role")).toBe(false);
    const update = calls.find((c) => c.cmd === "update_statement")?.args as {
      fields: { performed_by: string };
    };
    expect(update.fields.performed_by).toBe("rn");
  });

  it("moves to the new row on Enter in the last cell, and saves a statement only once its step is named", async () => {
    const calls: Call[] = [];
    grid([row("s1", "Chart")], calls);
    act(() => cell("0:12").focus());
    fireEvent.keyDown(cell("0:12"), { key: "Enter" });
    expect(document.activeElement).toBe(cell("new:0"));
    // Leaving the new row empty saves nothing.
    fireEvent.blur(cell("new:0"));
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.some((c) => c.cmd === "add_statement")).toBe(false);
    act(() => cell("new:0").focus());
    fireEvent.change(cell("new:0"), { target: { value: "Reconcile" } });
    fireEvent.keyDown(cell("new:0"), { key: "Enter" });
    await waitFor(() => expect(calls.some((c) => c.cmd === "add_statement")).toBe(true));
    const add = calls.find((c) => c.cmd === "add_statement")?.args as {
      interviewId: string;
      fields: { workflow_id: string; step_name: string };
    };
    expect(add.interviewId).toBe("i1");
    expect(add.fields.workflow_id).toBe("ra");
    expect(add.fields.step_name).toBe("Reconcile");
  });

  it("toggles workaround flags with the keyboard-reachable checkboxes", async () => {
    const calls: Call[] = [];
    grid([row("s1", "Route orders")], calls);
    fireEvent.click(screen.getByLabelText("Shadow spreadsheet"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "update_statement")).toBe(true));
    const update = calls.find((c) => c.cmd === "update_statement")?.args as {
      fields: { workarounds: string[] };
    };
    expect(update.fields.workarounds).toEqual(["shadow_spreadsheet"]);
  });

  it("parses beliefs", () => {
    expect(parseBeliefs(" RN ,not RT, , Not  MD")).toEqual([
      { name: "RN", owns: true },
      { name: "RT", owns: false },
      { name: "MD", owns: false },
    ]);
  });
});

function finding(id: string, kind: FindingKind, roles: string[], facilities: string[]): Finding {
  return {
    id,
    kind,
    severity: "high",
    title: `${kind} title`,
    subject: { workflow: "ra", step: "s", roles, facilities },
    evidence: [
      {
        source: "interview",
        text: "RT-3 says the RN does it",
        interview: "i1",
        alias: "RT-3",
        facility: "north",
        statement: "s1",
      },
    ],
    recommendation: "Agree on one owner.",
    status: "open",
    reason: "",
  };
}

describe("Findings", () => {
  it("asks the core for the findings a filter selects, and dismisses with a reason", async () => {
    const calls: Call[] = [];
    const all = [
      finding("f1", "ownership_drift", ["rn", "rt"], ["north"]),
      finding("f2", "workaround_hotspot", ["uc"], ["lakeview"]),
    ];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "finding_list") {
        // The core narrows; here, by role as it would.
        const query = (args as { query: FindingQuery }).query;
        return findingList(
          all.filter((f) => !query.role || (f.subject.roles ?? []).includes(query.role)),
          all.length,
        );
      }
      return sample();
    });
    const opened: string[] = [];
    render(
      <Findings
        project={sample()}
        onProject={() => undefined}
        onError={() => undefined}
        onOpenInterview={(id) => opened.push(id)}
      />,
    );
    expect(await screen.findByText("ownership_drift title")).toBeTruthy();
    expect(screen.getByText("workaround_hotspot title")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Filter by role"), { target: { value: "rt" } });
    await waitFor(() => expect(screen.queryByText("workaround_hotspot title")).toBeNull());
    expect(screen.getByText("1 of 2 findings match.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Search findings"), { target: { value: "drift" } });
    fireEvent.change(screen.getByLabelText("Sort findings by"), { target: { value: "count" } });
    await waitFor(() =>
      expect(
        calls.some(
          (c) =>
            c.cmd === "finding_list" &&
            (c.args.query as FindingQuery).search === "drift" &&
            (c.args.query as FindingQuery).sort === "count" &&
            (c.args.query as FindingQuery).role === "rt",
        ),
      ).toBe(true),
    );
    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await screen.findByText("workaround_hotspot title");
    const card = document.querySelector('[data-finding="f1"]') as HTMLElement;
    fireEvent.click(card.querySelector("button.link") as HTMLElement);
    expect(opened).toEqual(["i1"]);
    fireEvent.click(card.querySelector("button:not(.link)") as HTMLElement);
    fireEvent.click(screen.getAllByRole("button", { name: "Dismiss…" })[0]);
    fireEvent.change(screen.getByLabelText("Reason for dismissing"), { target: { value: "Fixed in v1" } });
    fireEvent.submit(screen.getByLabelText("Reason for dismissing").closest("form") as HTMLFormElement);
    await waitFor(() =>
      expect(calls.some((c) => c.cmd === "triage_finding" && c.args.status === "dismissed")).toBe(true),
    );
    expect(calls.find((c) => c.cmd === "triage_finding" && c.args.status === "dismissed")?.args).toEqual({
      id: "f1",
      status: "dismissed",
      reason: "Fixed in v1",
    });
  });
});

describe("InterviewScreen", () => {
  it("asks before deleting an interview, naming what goes", async () => {
    const calls: Call[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "interview_sheet")
        return {
          id: "i1",
          fields: {
            role_id: "rt",
            facility_id: "north",
            shift: "night",
            alias: "RT-3",
            date: "",
            interviewer: "",
            notes: "",
          },
          statements: [row("s1", "Chart"), row("s2", "Reconcile")],
          known_steps: [],
          phi: [],
        };
      if (cmd === "phi_check") return [];
      return sample();
    });
    let back = 0;
    render(
      <InterviewScreen
        id="i1"
        project={sample()}
        onProject={() => undefined}
        onError={(e) => {
          throw e;
        }}
        onBack={() => (back += 1)}
      />,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Delete interview" }));
    const dialog = screen.getByRole("alertdialog", { name: "Delete this interview?" });
    expect(dialog.textContent).toContain("Delete the interview with RT-3 and its 2 statements");
    expect(calls.some((c) => c.cmd === "remove_interview")).toBe(false);
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete RT-3" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "remove_interview")).toBe(true));
    await waitFor(() => expect(back).toBe(1));
  });
});
