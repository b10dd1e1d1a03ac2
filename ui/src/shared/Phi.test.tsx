import { describe, expect, it, vi } from "vitest";
import { render, screen, fireEvent, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { useState } from "react";
import { InterviewScreen } from "../interviews/Interviews";
import { PhiHint } from "./Phi";
import { sample } from "../test-fixtures";
import type { InterviewSheet, PhiMatch } from "../api";

type Call = { cmd: string; args: Record<string, unknown> };

function sheet(phi: PhiMatch[]): InterviewSheet {
  return {
    id: "i1",
    fields: {
      role_id: "rt",
      facility_id: "north",
      shift: "night",
      alias: "RT-3",
      date: "2026-09-14",
      interviewer: "",
      notes: "",
    },
    statements: [],
    known_steps: [],
    phi,
  };
}

/** A text field with the hint under it, as the screens use it. */
function Field() {
  const [text, setText] = useState("");
  return (
    <>
      <input aria-label="Comment" value={text} onChange={(e) => setText(e.target.value)} />
      <PhiHint text={text} onRedact={setText} />
    </>
  );
}

describe("patient identifiers in free text", () => {
  it("are pointed out as they are typed and redacted in the field", async () => {
    const checked: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "phi_check") return null;
      const text = (args as { text: string }).text;
      checked.push(text);
      return text.includes("555-0199") ? [{ place: "", kind: "phone number", text: "(312) 555-0199" }] : [];
    });
    render(<Field />);
    const input = screen.getByLabelText<HTMLInputElement>("Comment");
    fireEvent.change(input, { target: { value: "Call (312) 555-0199 first" } });
    const hint = await screen.findByTestId("phi-hint");
    expect(hint.textContent).toContain("phone number “(312) 555-0199”");
    fireEvent.click(screen.getByRole("button", { name: "Redact" }));
    expect(input.value).toBe("Call [redacted] first");
    await waitFor(() => expect(screen.queryByTestId("phi-hint")).toBeNull());
    expect(checked.at(-1)).toBe("Call [redacted] first");
  });

  it("in an interview are listed with a redact button that goes through the core", async () => {
    const calls: Call[] = [];
    const found = [
      { place: "interview RT-3 (notes)", kind: "patient name", text: "Mrs. Alvarez" },
      { place: "interview RT-3, statement 1 (quote)", kind: "medical record number", text: "MRN 00482913" },
    ];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "interview_sheet") return sheet(found);
      if (cmd === "redact_phi") return sample();
      return [];
    });
    const onProject = vi.fn();
    render(
      <InterviewScreen
        id="i1"
        project={sample()}
        onProject={onProject}
        onError={(e) => {
          throw e;
        }}
        onBack={() => undefined}
      />,
    );
    const list = await screen.findByTestId("interview-phi");
    expect(list.textContent).toContain("2 pieces of free text look like patient identifiers");
    expect(list.textContent).toContain("interview RT-3, statement 1 (quote): medical record number");
    fireEvent.click(screen.getAllByRole("button", { name: "Redact" })[1]);
    await waitFor(() => expect(onProject).toHaveBeenCalled());
    expect(calls.find((c) => c.cmd === "redact_phi")?.args).toEqual({ texts: ["MRN 00482913"] });
    fireEvent.click(screen.getByRole("button", { name: "Redact all" }));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "redact_phi").length).toBe(2));
    expect(calls.filter((c) => c.cmd === "redact_phi")[1].args).toEqual({
      texts: ["Mrs. Alvarez", "MRN 00482913"],
    });
  });
});
