import { describe, expect, it } from "vitest";
import { render, screen, fireEvent, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { ReportDialog, defaultReportPath } from "./Report";
import { sample } from "../test-fixtures";
import type { ProjectView } from "../api";

function setup() {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === "set_engagement") return sample({ client: "Northwind Health" });
    if (cmd === "write_report") return ["/tmp/sample-report.md", "/tmp/sample-report-diagrams/ra-v1.svg"];
    if (cmd === "phi_scan") return [];
    if (cmd === "current_project") return sample({ client: "Northwind Health" });
    if (cmd === "report_folder") return "/home/consultant/Documents";
    return null;
  });
  const adopted: ProjectView[] = [];
  render(<ReportDialog project={sample()} onProject={(p) => adopted.push(p)} onClose={() => undefined} />);
  return { calls, adopted };
}

describe("ReportDialog", () => {
  it("writes the chosen chapters and facilities, and saves changed title-page details first", async () => {
    const { calls, adopted } = setup();
    // The project lives in the app's data folder: the report defaults to Documents.
    await waitFor(() =>
      expect((screen.getByLabelText("Report file") as HTMLInputElement).value).toBe(
        "/home/consultant/Documents/sample-report.pdf",
      ),
    );
    fireEvent.click(screen.getByLabelText(/Markdown/));
    expect((screen.getByLabelText("Report file") as HTMLInputElement).value).toBe(
      "/home/consultant/Documents/sample-report.md",
    );
    fireEvent.change(screen.getByLabelText("Client"), { target: { value: "Northwind Health" } });
    const chapters = screen.getByRole("group", { name: "Chapters" });
    fireEvent.click(within(chapters).getByLabelText("Sign-offs"));
    fireEvent.click(
      within(screen.getByRole("group", { name: "Facilities" })).getByLabelText("North Campus Hospital"),
    );
    fireEvent.click(screen.getByText("Write report"));
    const written = await screen.findByTestId("report-written");
    expect(written.textContent).toContain("Wrote 2 files");
    expect(calls.map((c) => c.cmd).filter((c) => c !== "phi_scan" && c !== "report_folder")).toEqual([
      "set_engagement",
      "write_report",
      "current_project",
    ]);
    const call = (cmd: string) => calls.find((c) => c.cmd === cmd)?.args ?? {};
    expect(call("set_engagement")).toMatchObject({ client: "Northwind Health", authors: ["Dana Whitfield"] });
    const args = call("write_report");
    expect(args.format).toBe("md");
    expect(args.sections).not.toContain("signoffs");
    expect(args.sections).toContain("summary");
    expect(args.facilities).toEqual(["lakeview"]);
    expect(args.workflows).toEqual([]);
    await waitFor(() => expect(adopted[0]?.client).toBe("Northwind Health"));
  });

  it("says what is missing instead of writing nothing", () => {
    setup();
    const facilities = within(screen.getByRole("group", { name: "Facilities" }));
    fireEvent.click(facilities.getByLabelText("Lakeview Pulmonary Clinic"));
    fireEvent.click(facilities.getByLabelText("North Campus Hospital"));
    expect(screen.getByText("Choose at least one facility.")).toBeTruthy();
    expect((screen.getByText("Write report") as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows a report error in the dialog", async () => {
    mockIPC((cmd) => {
      if (cmd === "write_report") throw { code: "io", message: "/nowhere/r.pdf: No such file or directory" };
      return cmd === "phi_scan" ? [] : null;
    });
    render(<ReportDialog project={sample()} onProject={() => undefined} onClose={() => undefined} />);
    fireEvent.click(screen.getByText("Write report"));
    expect((await screen.findByRole("alert")).textContent).toContain("No such file or directory");
  });

  it("shows free text to redact before writing", async () => {
    mockIPC((cmd) =>
      cmd === "phi_scan"
        ? [{ place: "interview RN-7 (notes)", kind: "medical record number", text: "MRN 00482913" }]
        : null,
    );
    render(<ReportDialog project={sample()} onProject={() => undefined} onClose={() => undefined} />);
    const warning = await screen.findByTestId("report-phi");
    expect(warning.textContent).toContain("interview RN-7 (notes): medical record number MRN 00482913");
  });

  it("puts the report beside the project file", () => {
    expect(defaultReportPath("/work/engagement.baton", "html")).toBe("/work/engagement-report.html");
  });
});
