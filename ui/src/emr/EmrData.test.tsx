import { describe, expect, it } from "vitest";
import { render, screen, fireEvent, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { EmrData } from "./EmrData";
import { sample } from "../test-fixtures";
import type { ImportSettings, MappingMatrix } from "../api";

const matrix: MappingMatrix = {
  facilities: [
    { id: "lakeview", name: "Lakeview Pulmonary Clinic" },
    { id: "north", name: "North Campus Hospital" },
  ],
  states: [
    {
      id: "charted",
      workflow_id: "ra",
      workflow: "Respiratory assessment",
      name: "Charted by RT",
      meaning: "",
    },
    {
      id: "reviewed",
      workflow_id: "ra",
      workflow: "Respiratory assessment",
      name: "Reviewed by MD",
      meaning: "",
    },
  ],
  fields: [
    {
      id: "doc",
      name: "Documentation Status",
      source: "EMR",
      values: [
        {
          id: "complete",
          value: "Complete",
          description: "",
          counts: { north: 1204 },
          total: 1204,
          cells: [{ mapping_id: "m1", facility_id: "north", state_id: "charted", note: "" }],
          suggestion: null,
        },
        {
          id: "charted-value",
          value: "Charted",
          description: "",
          counts: {},
          total: 0,
          cells: [],
          suggestion: { state_id: "charted", score: 0.92 },
        },
      ],
    },
  ],
  candidates: [
    {
      workflow_id: "ra",
      workflow: "Respiratory assessment",
      step: "Reconcile",
      done_means: "RN co-signed",
      said_by: ["RN-1"],
    },
  ],
  values_total: 2,
  values_shown: 2,
  values_unmapped: 1,
};

/** The area on the sample, failing the test on any error it reports. */
function show() {
  render(
    <EmrData
      project={sample()}
      onProject={() => undefined}
      onError={(e) => {
        throw e;
      }}
      onOpenFinding={() => undefined}
    />,
  );
}

describe("EmrData", () => {
  it("shows the matrix, confirms a suggestion and adds a state from the interviews", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "current_project") return sample();
      return matrix;
    });
    show();
    const table = await screen.findByTestId("mapping-matrix");
    expect(table.textContent).toContain("Documentation Status");
    expect(table.textContent).toContain("1,204 records");
    const north = screen.getByLabelText<HTMLSelectElement>("Complete at North Campus Hospital");
    expect(north.value).toBe("charted");
    fireEvent.change(screen.getByLabelText("Complete at every facility"), { target: { value: "reviewed" } });
    await waitFor(() => expect(calls.some((c) => c.cmd === "set_mapping")).toBe(true));
    expect(calls.find((c) => c.cmd === "set_mapping")?.args).toEqual({
      valueId: "complete",
      facilityId: null,
      stateId: "reviewed",
      note: "",
      filter: { search: "", unmapped_only: false },
    });
    fireEvent.click(screen.getByRole("button", { name: /Suggested: Charted by RT/ }));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "set_mapping").length).toBe(2));
    const candidates = screen.getByTestId("state-candidates");
    fireEvent.change(within(candidates).getByLabelText("State name for RN co-signed"), {
      target: { value: "Reconciled" },
    });
    fireEvent.click(within(candidates).getByRole("button", { name: "Add state" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "add_business_state")).toBe(true));
    expect(calls.find((c) => c.cmd === "add_business_state")?.args).toEqual({
      workflowId: "ra",
      name: "Reconciled",
      meaning: "RN co-signed",
      filter: { search: "", unmapped_only: false },
    });
  });

  it("asks the core for the values a search and the unmapped filter select, and maps one everywhere", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "current_project") return sample();
      return matrix;
    });
    show();
    await screen.findByTestId("mapping-matrix");
    expect(screen.getByText("Unmapped only (1)")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Search the mapping"), { target: { value: "compl" } });
    fireEvent.click(screen.getByLabelText(/Unmapped only/));
    await waitFor(() =>
      expect(
        calls.some(
          (c) =>
            c.cmd === "mapping_matrix" &&
            JSON.stringify((c.args as { filter: unknown }).filter) ===
              JSON.stringify({ search: "compl", unmapped_only: true }),
        ),
      ).toBe(true),
    );
    fireEvent.click(screen.getAllByRole("button", { name: /^Use at every facility/ })[0]);
    await waitFor(() => expect(calls.some((c) => c.cmd === "map_everywhere")).toBe(true));
  });

  it("never pools several facilities' counts without saying so", async () => {
    mockIPC((cmd) => {
      if (cmd === "preview_import")
        return {
          format: "csv",
          sheets: [],
          sheet: null,
          headers: ["Result Status", "Result Count"],
          rows: [["Preliminary", "2,100"]],
          remembered: false,
          flagged: ["", ""],
          columns: [
            { part: "field", column: null },
            { part: "value", column: "Result Status" },
            { part: "facility", column: null },
            { part: "count", column: "Result Count" },
            { part: "description", column: null },
          ],
        };
      if (cmd === "current_project") return sample();
      return { ...matrix, fields: [], candidates: [] };
    });
    show();
    fireEvent.click(screen.getByRole("button", { name: "Import status export…" }));
    const dialog = screen.getByRole("dialog", { name: "Import status export" });
    const source = within(dialog).getByLabelText("Source file");
    fireEvent.change(source, { target: { value: "/data/results.csv" } });
    fireEvent.blur(source);
    expect((await within(dialog).findByTestId("facility-missing")).textContent).toContain(
      "Facility: not found",
    );
    expect(within(dialog).queryByTestId("count-missing")).toBeNull();
    const start = within(dialog).getByRole<HTMLButtonElement>("button", { name: "Import" });
    expect(start.disabled).toBe(true);
    fireEvent.click(within(dialog).getByLabelText("The counts are for every facility together"));
    expect(start.disabled).toBe(false);
  });

  it("previews a source, lets the mapping be changed, imports and shows the summary", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      const chosen = (args as { settings?: ImportSettings } | undefined)?.settings?.columns ?? [];
      if (cmd === "preview_import")
        return {
          format: "csv",
          sheets: [],
          sheet: null,
          headers: ["Field", "State", "Site", "N", "MRN"],
          rows: [["Discharge", "Ready", "North", "12", "MRN1"]],
          remembered: chosen.length === 0,
          flagged: ["", "", "", "", "a patient identifier"],
          // The core keeps the columns chosen and guesses the rest.
          columns: chosen.length
            ? chosen
            : [
                { part: "field", column: "Field" },
                { part: "value", column: null },
                { part: "facility", column: "Site" },
                { part: "count", column: null },
                { part: "description", column: null },
              ],
        };
      if (cmd === "run_import")
        return {
          summary: ["imported d.csv (status csv): 1 records", "  dropped: MRN"],
          flagged: [],
          project: sample(),
        };
      if (cmd === "work_progress") return { running: true, fraction: 0.5 };
      if (cmd === "current_project") return sample();
      return { ...matrix, fields: [], candidates: [] };
    });
    show();
    fireEvent.click(screen.getByRole("button", { name: "Import status export…" }));
    const dialog = screen.getByRole("dialog", { name: "Import status export" });
    const source = within(dialog).getByLabelText("Source file");
    fireEvent.change(source, { target: { value: "/data/d.csv" } });
    fireEvent.blur(source);
    const preview = await within(dialog).findByTestId("import-preview");
    expect(within(dialog).getByTestId("remembered")).toBeTruthy();
    expect(preview.textContent).toContain("dropped");
    expect(preview.textContent).toContain("⚠ looks like a patient identifier");
    expect(within(dialog).getByTestId("missing-columns").textContent).toContain("Value");
    expect(within(dialog).getByRole<HTMLButtonElement>("button", { name: "Import" }).disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText("Column for Value"), { target: { value: "State" } });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "preview_import").length).toBe(2));
    fireEvent.click(within(dialog).getByLabelText("Keep MRN"));
    expect(within(dialog).getByTestId("import-preview").textContent).toContain(
      "kept (values and counts stored)",
    );
    // Keeping a column of identifiers asks for a second, explicit tick.
    fireEvent.click(within(dialog).getByLabelText("Store identifiers of MRN"));
    // No count column was found: never silently one record per row.
    expect(within(dialog).getByTestId("count-missing").textContent).toContain("Count: not found");
    expect(within(dialog).getByRole<HTMLButtonElement>("button", { name: "Import" }).disabled).toBe(true);
    fireEvent.click(within(dialog).getByLabelText("Each row is one record"));
    expect(within(dialog).getByRole<HTMLButtonElement>("button", { name: "Import" }).disabled).toBe(false);
    fireEvent.click(within(dialog).getByRole("button", { name: "Import" }));
    const summary = await screen.findByTestId("import-summary");
    expect(summary.textContent).toContain("dropped: MRN");
    const run = calls.find((c) => c.cmd === "run_import")?.args as {
      kind: string;
      settings: ImportSettings;
    };
    expect(run.kind).toBe("status");
    expect(run.settings.columns).toContainEqual({ part: "value", column: "State" });
    expect(run.settings.keep).toEqual(["MRN"]);
    expect(run.settings.keep_identifying).toEqual(["MRN"]);
    expect(run.settings.rows_are_records).toBe(true);
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("lists the texts an import replaced and imports again keeping the ticked ones", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "preview_import")
        return {
          format: "csv",
          sheets: [],
          sheet: null,
          headers: ["case", "activity", "timestamp"],
          rows: [["c1", "Close task for Mr. Smith", "2026-03-01T08:00:00Z"]],
          remembered: false,
          flagged: ["", "", ""],
          columns: [
            { part: "case", column: "case" },
            { part: "activity", column: "activity" },
            { part: "timestamp", column: "timestamp" },
          ],
        };
      if (cmd === "run_import") {
        const allowed = (args as { settings: ImportSettings }).settings.allow_identifiers ?? [];
        return {
          summary: ["imported l.csv (log csv): 1 records"],
          flagged: allowed.includes("Mr. Smith")
            ? []
            : [
                {
                  place: "activity",
                  kind: "patient name",
                  text: "Mr. Smith",
                  placeholder: "[patient name abcdefgh]",
                },
              ],
          project: sample(),
        };
      }
      if (cmd === "work_progress") return { running: false, fraction: null };
      return { ...matrix, fields: [], candidates: [] };
    });
    render(
      <EmrData
        project={sample()}
        onProject={() => undefined}
        onError={() => undefined}
        onOpenFinding={() => undefined}
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Import event log…" }));
    const dialog = screen.getByRole("dialog", { name: "Import event log" });
    const source = within(dialog).getByLabelText("Source file");
    fireEvent.change(source, { target: { value: "/data/l.csv" } });
    fireEvent.blur(source);
    await within(dialog).findByTestId("import-preview");
    fireEvent.click(within(dialog).getByRole("button", { name: "Import" }));
    const replaced = await screen.findByTestId("replaced-texts");
    expect(replaced.textContent).toContain("Mr. Smith");
    expect(replaced.textContent).toContain("stored as [patient name abcdefgh]");
    const again = within(replaced).getByRole<HTMLButtonElement>("button", {
      name: "Import again, keeping the ticked texts",
    });
    expect(again.disabled).toBe(true);
    fireEvent.click(within(replaced).getByLabelText("Keep Mr. Smith as it is"));
    fireEvent.click(again);
    await waitFor(() => expect(screen.queryByTestId("replaced-texts")).toBeNull());
    const runs = calls
      .filter((c) => c.cmd === "run_import")
      .map((c) => c.args as { path: string; settings: ImportSettings });
    expect(runs.length).toBe(2);
    expect(runs[1].path).toBe("/data/l.csv");
    expect(runs[1].settings.allow_identifiers).toEqual(["Mr. Smith"]);
  });

  it("shows a source's error in the dialog and keeps it open", async () => {
    mockIPC((cmd) => {
      if (cmd === "preview_import") throw { code: "bad_input", message: "d.csv, line 1: the file is empty" };
      return { ...matrix, fields: [], candidates: [] };
    });
    render(
      <EmrData
        project={sample({ emr_fields: 0 })}
        onProject={() => undefined}
        onError={() => undefined}
        onOpenFinding={() => undefined}
      />,
    );
    expect(screen.getByText(/No EMR status fields yet/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Import event log…" }));
    const dialog = screen.getByRole("dialog", { name: "Import event log" });
    const source = within(dialog).getByLabelText("Source file");
    fireEvent.change(source, { target: { value: "/data/d.csv" } });
    fireEvent.blur(source);
    expect((await within(dialog).findByRole("alert")).textContent).toContain("line 1: the file is empty");
    expect(within(dialog).getByRole<HTMLButtonElement>("button", { name: "Import" }).disabled).toBe(true);
  });

  it("shows progress while an import runs and cancels it", async () => {
    let cancel: (() => void) | null = null;
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "preview_import")
        return {
          format: "xes",
          sheets: [],
          sheet: null,
          headers: ["case:concept:name", "concept:name", "time:timestamp"],
          rows: [["c1", "Order placed", "2026-01-01T00:00:00Z"]],
          remembered: false,
          flagged: ["", "", ""],
          columns: [
            { part: "case", column: "case:concept:name" },
            { part: "activity", column: "concept:name" },
            { part: "timestamp", column: "time:timestamp" },
          ],
        };
      if (cmd === "run_import")
        return new Promise((_, reject) => {
          cancel = () => reject({ code: "cancelled", message: "cancelled: reading the log" });
        });
      if (cmd === "work_progress") return { running: true, fraction: 0.25 };
      if (cmd === "cancel_work") {
        cancel?.();
        return null;
      }
      return { ...matrix, fields: [], candidates: [] };
    });
    render(
      <EmrData
        project={sample()}
        onProject={() => undefined}
        onError={() => undefined}
        onOpenFinding={() => undefined}
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Import event log…" }));
    const dialog = screen.getByRole("dialog", { name: "Import event log" });
    const source = within(dialog).getByLabelText("Source file");
    fireEvent.change(source, { target: { value: "/data/big.xes" } });
    fireEvent.blur(source);
    await within(dialog).findByTestId("import-preview");
    fireEvent.click(within(dialog).getByRole("button", { name: "Import" }));
    const progress = await within(dialog).findByTestId("import-progress");
    await waitFor(() => expect(progress.textContent).toContain("25 %"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel import" }));
    expect((await within(dialog).findByRole("alert")).textContent).toContain("cancelled");
    expect(calls).toContain("cancel_work");
    expect(within(dialog).queryByTestId("import-progress")).toBeNull();
  });
});

describe("Import log aggregates", () => {
  it("merges the files added into one named log, and shows why a file is refused", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    let refuse = true;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "current_project") return sample();
      if (cmd === "run_aggregate_import") {
        if (refuse) {
          refuse = false;
          throw {
            code: "bad_input",
            message: 'north.csv: line 1: the header has no column "kind": this is not a Baton log aggregate',
          };
        }
        return {
          summary: ["imported network log (log aggregate): 4 records"],
          flagged: [
            { place: "activity", kind: "patient name", text: "Seen by Dr. Alvarez", placeholder: "[x]" },
          ],
          project: sample(),
        };
      }
      return matrix;
    });
    show();
    fireEvent.click(screen.getByRole("button", { name: "Import log aggregates…" }));
    const dialog = screen.getByRole("dialog", { name: "Import log aggregates" });
    expect(within(dialog).getByText(/No files yet/)).toBeTruthy();
    const importButton = within(dialog).getByRole("button", { name: "Import" }) as HTMLButtonElement;
    expect(importButton.disabled).toBe(true);
    for (const file of ["/data/north.csv", "/data/riverside.json"]) {
      fireEvent.change(within(dialog).getByLabelText("Aggregate file"), { target: { value: file } });
      fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    }
    expect(within(dialog).getByTestId("aggregate-files").textContent).toContain("/data/riverside.json");
    fireEvent.change(within(dialog).getByLabelText("Log name"), { target: { value: "network log" } });
    fireEvent.click(importButton);
    expect((await within(dialog).findByRole("alert")).textContent).toContain("not a Baton log aggregate");
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove /data/north.csv" }));
    fireEvent.change(within(dialog).getByLabelText("Aggregate file"), {
      target: { value: "/data/north.json" },
    });
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    fireEvent.click(importButton);
    expect((await screen.findByTestId("import-summary")).textContent).toContain("imported network log");
    expect(screen.queryByRole("dialog", { name: "Import log aggregates" })).toBeNull();
    const runs = calls.filter((c) => c.cmd === "run_aggregate_import");
    expect(runs[1].args).toEqual({
      paths: ["/data/riverside.json", "/data/north.json"],
      name: "network log",
      allowIdentifiers: [],
    });
    // A replaced text, ticked, is kept as it is on importing the same files again.
    fireEvent.click(screen.getByLabelText("Keep Seen by Dr. Alvarez as it is"));
    fireEvent.click(screen.getByRole("button", { name: "Import again, keeping the ticked texts" }));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "run_aggregate_import").length).toBe(3));
    expect(calls.filter((c) => c.cmd === "run_aggregate_import")[2].args).toEqual({
      paths: ["/data/riverside.json", "/data/north.json"],
      name: "network log",
      allowIdentifiers: ["Seen by Dr. Alvarez"],
    });
  });
});
