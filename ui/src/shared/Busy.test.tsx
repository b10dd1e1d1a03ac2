import { describe, expect, it } from "vitest";
import { render, screen, fireEvent, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { BusyOverlay } from "./Busy";
import { Findings } from "../findings/Findings";
import { ReportDialog } from "../report/Report";
import { findingList, sample } from "../test-fixtures";

const CANCELLED = {
  code: "cancelled",
  message: "cancelled: writing the report; the project was not changed",
};

describe("BusyOverlay", () => {
  it("covers the window while a report is written, shows how far it got, and cancels it", async () => {
    const calls: string[] = [];
    let stop = () => undefined as void;
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "write_report")
        return new Promise((_, reject) => {
          stop = () => reject(CANCELLED);
        });
      if (cmd === "work_progress") return { running: true, label: "Writing the report", fraction: 0.25 };
      if (cmd === "cancel_work") stop();
      if (cmd === "phi_scan") return [];
      return null;
    });
    render(
      <>
        <ReportDialog project={sample()} onProject={() => undefined} onClose={() => undefined} />
        <BusyOverlay />
      </>,
    );
    fireEvent.click(screen.getByText("Write report"));
    const busy = await screen.findByRole("dialog", { name: "Working" }, { timeout: 3000 });
    expect(await within(busy).findByText("Writing the report…")).toBeTruthy();
    expect(within(busy).getByText("25 %")).toBeTruthy();
    fireEvent.click(within(busy).getByRole("button", { name: "Cancel" }));
    expect(await screen.findByText("Cancelled: no report was written.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Working" })).toBeNull());
    expect(calls).toContain("cancel_work");
    expect(calls).not.toContain("current_project");
  });

  it("does not flash for quick work", async () => {
    mockIPC((cmd) =>
      cmd === "finding_list" ? findingList([]) : cmd === "work_progress" ? { running: false } : null,
    );
    render(
      <>
        <Findings
          project={sample()}
          onProject={() => undefined}
          onError={() => undefined}
          onOpenInterview={() => undefined}
        />
        <BusyOverlay />
      </>,
    );
    await screen.findByText(/No findings yet/);
    await new Promise((r) => setTimeout(r, 600));
    expect(screen.queryByRole("dialog", { name: "Working" })).toBeNull();
  });

  it("shows a cancelled analysis as stopped, not as an error, and runs it again on request", async () => {
    let answers = 0;
    mockIPC((cmd) => {
      if (cmd !== "finding_list") return null;
      answers += 1;
      if (answers === 1) throw { ...CANCELLED, message: "cancelled: analysing findings" };
      return findingList([]);
    });
    const errors: unknown[] = [];
    render(
      <Findings
        project={sample()}
        onProject={() => undefined}
        onError={(e) => errors.push(e)}
        onOpenInterview={() => undefined}
      />,
    );
    const stopped = await screen.findByTestId("stopped");
    expect(stopped.textContent).toContain("The analysis of findings was cancelled; nothing was changed.");
    fireEvent.click(within(stopped).getByRole("button", { name: "Run it again" }));
    await waitFor(() => expect(screen.queryByTestId("stopped")).toBeNull());
    expect(answers).toBe(2);
    expect(errors).toEqual([]);
  });
});
