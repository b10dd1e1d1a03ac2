import { describe, expect, it } from "vitest";
import { render, screen, fireEvent, waitFor, within } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "./App";
import { otherCommand, sample } from "./test-fixtures";

describe("App", () => {
  it("shows the project's facilities, roles, interviews and workflows on the home screen", async () => {
    mockIPC((cmd) => {
      if (cmd === "start") return sample();
      if (cmd === "plugin:event|listen") return 1;
      return otherCommand(cmd);
    });
    render(<App />);
    expect(await screen.findByText("North Campus Hospital")).toBeTruthy();
    expect(screen.getByText("Lakeview Pulmonary Clinic")).toBeTruthy();
    expect(screen.getByText("RT")).toBeTruthy();
    expect(screen.getByText("Respiratory assessment")).toBeTruthy();
    expect(screen.getByText("6 steps · version 1")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Undo" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows who imported, exported or reported what on the home screen", async () => {
    const audit = [
      { at: "2026-11-20T09:30:00Z", user: "dana", action: "report", subject: "/tmp/r.pdf (PDF)" },
      {
        at: "2026-11-19T16:02:00Z",
        user: "dana",
        action: "import",
        subject: "task-telemetry.csv (task telemetry)",
      },
    ];
    mockIPC((cmd) => {
      if (cmd === "start") return sample({ audit });
      if (cmd === "plugin:event|listen") return 1;
      return otherCommand(cmd);
    });
    render(<App />);
    const activity = await screen.findByTestId("activity");
    expect(activity.textContent).toContain("2026-11-20 09:30 · dana wrote the report /tmp/r.pdf (PDF)");
    expect(activity.textContent).toContain("imported task-telemetry.csv (task telemetry)");
  });

  it("tells once that opening the project removed a leftover copy", async () => {
    const recovered =
      "removed sample.baton.rekey (8192 bytes), the copy an interrupted encrypt or decrypt left; the project was not affected";
    mockIPC((cmd) => {
      if (cmd === "start") return sample({ recovered });
      if (cmd === "plugin:event|listen") return 1;
      return otherCommand(cmd);
    });
    render(<App />);
    const status = await screen.findByRole("status");
    expect(status.textContent).toContain(`Opening Respiratory care network: ${recovered}.`);
    fireEvent.click(within(status).getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(screen.queryByRole("status")).toBeNull());
  });

  it("purges the project only after a second click", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "start" || cmd === "purge_project") return sample();
      if (cmd === "plugin:event|listen") return 1;
      return otherCommand(cmd);
    });
    render(<App />);
    fireEvent.click(await screen.findByText("Purge before handing over…"));
    expect(calls).not.toContain("purge_project");
    fireEvent.click(screen.getByText("Purge now"));
    await waitFor(() => expect(calls).toContain("purge_project"));
  });

  it("adds a role through the core and enables Undo", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "start") return sample();
      if (cmd === "add_role")
        return sample({
          roles: [...sample().roles, { id: "x", name: "Pharmacist" }],
          undo: "Add role Pharmacist",
        });
      return otherCommand(cmd);
    });
    render(<App />);
    await screen.findByText("North Campus Hospital");
    fireEvent.change(screen.getByLabelText("New role name"), { target: { value: "Pharmacist" } });
    fireEvent.submit(screen.getByLabelText("New role name").closest("form") as HTMLFormElement);
    expect(await screen.findByText("Pharmacist")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "add_role")?.args).toEqual({ name: "Pharmacist", description: "" });
    await waitFor(() =>
      expect((screen.getByRole("button", { name: "Undo" }) as HTMLButtonElement).disabled).toBe(false),
    );
  });

  it("adds a facility in the machine's time zone, shown before it is saved", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "start") return sample();
      if (cmd === "add_facility") return sample();
      return otherCommand(cmd);
    });
    render(<App />);
    await screen.findByText("North Campus Hospital");
    const zone = screen.getByLabelText<HTMLSelectElement>("Time zone of the new facility");
    expect(zone.value).toBe("America/Chicago");
    fireEvent.change(screen.getByLabelText("New facility name"), { target: { value: "Annex" } });
    await waitFor(() => expect(zone.options.length).toBeGreaterThan(1));
    fireEvent.change(zone, { target: { value: "Europe/Paris" } });
    fireEvent.submit(screen.getByLabelText("New facility name").closest("form") as HTMLFormElement);
    await waitFor(() => expect(calls.some((c) => c.cmd === "add_facility")).toBe(true));
    expect(calls.find((c) => c.cmd === "add_facility")?.args).toEqual({
      name: "Annex",
      timezone: "Europe/Paris",
    });
  });

  it("deletes a role in use only by merging it into another, after saying what uses it", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "start") return sample();
      if (cmd === "role_uses") return ["3 interviews", "2 lane steps"];
      if (cmd === "merge_role") return sample({ roles: [{ id: "rt", name: "RT" }], undo: "Merge roles" });
      return otherCommand(cmd);
    });
    render(<App />);
    await screen.findByText("North Campus Hospital");
    fireEvent.click(screen.getByRole("button", { name: "Delete RN" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Delete RN?" });
    expect(dialog.textContent).toContain("3 interviews, 2 lane steps use this role");
    expect(within(dialog).queryByRole("button", { name: "Delete RN" })).toBeNull();
    fireEvent.click(within(dialog).getByRole("button", { name: "Merge into RT" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "merge_role")).toBe(true));
    expect(calls.find((c) => c.cmd === "merge_role")?.args).toEqual({ from: "rn", into: "rt" });
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
  });

  it("adds a workflow from a template into the project and deletes one after saying what goes", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "start") return sample();
      if (cmd === "templates") return ["medication-order", "oxygen-titration"];
      if (cmd === "workflow_uses") return ["6 steps", "12 interview statements", "2 proposed versions"];
      if (cmd === "add_workflow_from_template" || cmd === "remove_workflow") return sample();
      return otherCommand(cmd);
    });
    render(<App />);
    await screen.findByText("North Campus Hospital");
    const from = screen.getByLabelText<HTMLSelectElement>("Start the new workflow from");
    await waitFor(() => expect(from.options.length).toBe(3));
    fireEvent.change(from, { target: { value: "medication-order" } });
    fireEvent.submit(from.closest("form") as HTMLFormElement);
    await waitFor(() => expect(calls.some((c) => c.cmd === "add_workflow_from_template")).toBe(true));
    expect(calls.find((c) => c.cmd === "add_workflow_from_template")?.args).toEqual({
      template: "medication-order",
    });
    fireEvent.click(screen.getByRole("button", { name: "Delete Respiratory assessment" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Delete Respiratory assessment?" });
    expect(dialog.textContent).toContain("with its 6 steps, 12 interview statements, 2 proposed versions");
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete Respiratory assessment" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "remove_workflow")).toBe(true));
  });

  it("shows an error from the core as a banner with its message", async () => {
    mockIPC((cmd) => {
      if (cmd === "start")
        throw {
          code: "not_a_project",
          message: "/tmp/notes.baton: is not a Baton project (it is not an SQLite database)",
        };
      return otherCommand(cmd);
    });
    render(<App />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("/tmp/notes.baton: is not a Baton project");
    expect(alert.getAttribute("data-code")).toBe("not_a_project");
  });

  it("explains empty areas instead of leaving them blank", async () => {
    mockIPC((cmd) => (cmd === "start" ? sample() : otherCommand(cmd)));
    render(<App />);
    await screen.findByText("North Campus Hospital");
    fireEvent.click(screen.getByRole("button", { name: "Findings" }));
    expect(await screen.findByText(/No findings yet/)).toBeTruthy();
  });

  it("says on the Findings screen when a log must be imported again for its tail", async () => {
    const notice =
      "The event log “old.csv” was imported before Baton kept its waiting times: only its medians are judged; import it again to find stalls in the tail of its waits.";
    mockIPC((cmd) => (cmd === "start" ? { ...sample(), notices: [notice] } : otherCommand(cmd)));
    render(<App />);
    await screen.findByText("North Campus Hospital");
    fireEvent.click(screen.getByRole("button", { name: "Findings" }));
    expect((await screen.findByTestId("findings-notice")).textContent).toBe(notice);
  });
  it("asks for the passphrase of an encrypted project instead of showing an error", async () => {
    let unlocked = false;
    mockIPC((cmd, args) => {
      if (cmd === "start") {
        if (unlocked) return sample({ encrypted: true });
        throw { code: "encrypted", message: "/work/secret.baton is encrypted: open it with its passphrase" };
      }
      if (cmd === "locked_project") return "/work/secret.baton";
      if (cmd === "unlock_project") {
        if ((args as { passphrase: string }).passphrase !== "kelp forest 7")
          throw { code: "wrong_passphrase", message: "the passphrase does not open /work/secret.baton" };
        unlocked = true;
        return sample({ encrypted: true });
      }
      if (cmd === "plugin:event|listen") return 1;
      return otherCommand(cmd);
    });
    render(<App />);
    const dialog = await screen.findByRole("dialog", { name: "Unlock project" });
    await waitFor(() => expect(dialog.textContent).toContain("/work/secret.baton"));
    expect(screen.queryByRole("alert")).toBeNull();
    fireEvent.change(screen.getByLabelText("Passphrase"), { target: { value: "kelp" } });
    fireEvent.click(within(dialog).getByText("Open"));
    expect((await screen.findByRole("alert")).textContent).toContain("does not open");
    fireEvent.change(screen.getByLabelText("Passphrase"), { target: { value: "kelp forest 7" } });
    fireEvent.click(within(dialog).getByText("Open"));
    expect(await screen.findByText("Encrypted: the file opens only with its passphrase.")).toBeTruthy();
    expect(screen.queryByRole("dialog", { name: "Unlock project" })).toBeNull();
  });

  it("encrypts the open project with a passphrase typed twice", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "start") return sample();
      if (cmd === "set_passphrase") return sample({ encrypted: true });
      if (cmd === "plugin:event|listen") return 1;
      return otherCommand(cmd);
    });
    render(<App />);
    fireEvent.click(await screen.findByText("Encrypt…"));
    fireEvent.change(screen.getByLabelText("Passphrase"), { target: { value: "kelp forest 7" } });
    fireEvent.change(screen.getByLabelText("Passphrase again"), { target: { value: "kelp forest" } });
    expect((screen.getByRole("button", { name: "Encrypt" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText("Passphrase again"), { target: { value: "kelp forest 7" } });
    fireEvent.click(screen.getByRole("button", { name: "Encrypt" }));
    expect(await screen.findByText("Encrypted: the file opens only with its passphrase.")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "set_passphrase")?.args).toEqual({ passphrase: "kelp forest 7" });
  });

  it("lists the shortcuts on F1, closes dialogs on Escape, and searches the project on Ctrl+F", async () => {
    const asked: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "start") return sample();
      if (cmd === "search_project") {
        asked.push((args as { query: string }).query);
        return {
          query: "drift",
          total: 1,
          groups: [
            {
              area: "Findings",
              hits: [
                {
                  kind: "Ownership drift",
                  title: "Who reconciles?",
                  context: "high · open",
                  target: { screen: "finding", finding_id: "f1" },
                },
              ],
            },
          ],
        };
      }
      return otherCommand(cmd);
    });
    render(<App />);
    await screen.findByText("North Campus Hospital");
    fireEvent.keyDown(window, { key: "F1" });
    const list = await screen.findByRole("dialog", { name: "Keyboard shortcuts" });
    expect(list.textContent).toContain("Ctrl+F");
    // No other shortcut fires while the dialog has the focus.
    fireEvent.keyDown(within(list).getByRole("button", { name: "Close" }), { key: "f", ctrlKey: true });
    expect(screen.queryByRole("dialog", { name: "Search the project" })).toBeNull();
    fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Keyboard shortcuts" })).toBeNull());
    fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    const search = await screen.findByRole("dialog", { name: "Search the project" });
    fireEvent.change(within(search).getByLabelText("Search the project"), { target: { value: "drift" } });
    const hit = await within(search).findByRole("button", { name: /Who reconciles\?/ });
    expect(asked).toContain("drift");
    fireEvent.click(hit);
    expect(await screen.findByTestId("findings-view")).toBeTruthy();
  });
});
