import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { MergeInstead, useRenameStep } from "./RenameStep";
import { sample } from "../test-fixtures";
import type { ProjectView } from "../api";

function Harness() {
  const renaming = useRenameStep(async (work: () => Promise<ProjectView>) => {
    await work();
  });
  return (
    <>
      <button onClick={() => void renaming.rename("s2", "Reconcile plan", "chart assessment")}>Rename</button>
      <MergeInstead
        asking={renaming.asking}
        onMerge={() => void renaming.merge()}
        onCancel={renaming.cancel}
      />
    </>
  );
}

describe("renaming a step", () => {
  it("offers to merge into the step that already has the name, instead of renaming", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "same_name_step") return { id: "s1", name: "Chart assessment" };
      return sample();
    });
    render(<Harness />);
    fireEvent.click(screen.getByRole("button", { name: "Rename" }));
    const ask = await screen.findByRole("alertdialog", {
      name: "Merge “Reconcile plan” into “Chart assessment”?",
    });
    expect(calls).not.toContain("rename_step");
    fireEvent.click(ask.querySelector("button.primary") as HTMLElement);
    await waitFor(() => expect(calls).toContain("merge_steps"));
    expect(calls).not.toContain("rename_step");
  });
});
