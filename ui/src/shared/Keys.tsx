// The desktop's keyboard conventions: Escape closes the dialog or panel on top, F1 (or "?" outside
// a text field) lists the shortcuts, Ctrl+plus / Ctrl+minus / Ctrl+0 zoom the whole window, and
// Ctrl+F opens the search. No shortcut but Escape fires while a dialog has the focus.
import { useEffect } from "react";
import { commands } from "../api";

/** Every shortcut the app answers, as the list F1 shows. */
export const SHORTCUTS: [string, string][] = [
  ["Ctrl+F", "Search the whole project"],
  ["Ctrl+Z", "Undo the last change"],
  ["Ctrl+Shift+Z", "Redo"],
  ["Ctrl+N / Ctrl+O", "New project / open a project"],
  ["Ctrl+P", "Write the findings report"],
  ["Ctrl+plus / Ctrl+minus", "Zoom in / out"],
  ["Ctrl+0", "Actual size"],
  ["Escape", "Close the dialog or panel on top"],
  ["F1 or ?", "This list"],
  ["Enter / Shift+Enter", "Next / previous cell of the statement table"],
  ["Delete", "Remove what is selected on the swimlanes"],
];

const ZOOM_KEY = "baton.zoom";
const STEPS = [0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2];

/** The zoom the user last chose (1 when none). */
export function savedZoom(): number {
  const z = Number(globalThis.localStorage?.getItem(ZOOM_KEY));
  return Number.isFinite(z) && z >= 0.5 && z <= 2 ? z : 1;
}

/** Zooms the window in (+1), out (-1) or back to actual size (0), and remembers it. */
export function zoom(direction: -1 | 0 | 1): number {
  const now = savedZoom();
  let next = 1;
  if (direction > 0) next = STEPS.find((s) => s > now + 1e-6) ?? STEPS[STEPS.length - 1];
  if (direction < 0) next = [...STEPS].reverse().find((s) => s < now - 1e-6) ?? STEPS[0];
  globalThis.localStorage?.setItem(ZOOM_KEY, String(next));
  void commands.setZoom(next).catch(() => undefined);
  return next;
}

const DIALOGS = '[role="dialog"], [role="alertdialog"]';

/** Whether a dialog is open and has the focus (shortcuts then belong to it). */
export function dialogHasFocus(): boolean {
  const active = document.activeElement;
  return !!active && !!active.closest(DIALOGS);
}

/** Closes the dialog or panel on top, by its own Cancel or Close button. True when one closed. */
export function closeTopmost(): boolean {
  const layers = [...document.querySelectorAll<HTMLElement>(`${DIALOGS}, .side-panel`)];
  for (const layer of layers.reverse()) {
    const buttons = [...layer.querySelectorAll<HTMLButtonElement>("button")];
    const dismiss =
      buttons.find((b) => b.dataset.dismiss !== undefined) ??
      buttons.find((b) => /^(close|hide)\b/i.test(b.getAttribute("aria-label") ?? "")) ??
      buttons.find((b) =>
        /^(cancel|close|hide|leave it empty|not now|keep)\b/i.test(b.textContent?.trim() ?? ""),
      );
    if (dismiss && !dismiss.disabled) {
      dismiss.click();
      return true;
    }
  }
  return false;
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/** Installs the window's keyboard shortcuts. */
export function useDesktopKeys(actions: { onFind: () => void; onShortcuts: () => void }) {
  const { onFind, onShortcuts } = actions;
  useEffect(() => {
    if (savedZoom() !== 1) void commands.setZoom(savedZoom()).catch(() => undefined);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        if (closeTopmost()) e.preventDefault();
        return;
      }
      if (dialogHasFocus()) return;
      const ctrl = e.ctrlKey || e.metaKey;
      if (e.key === "F1" || (e.key === "?" && !ctrl && !typing(e.target))) {
        e.preventDefault();
        onShortcuts();
      } else if (ctrl && (e.key === "f" || e.key === "F") && !e.shiftKey) {
        e.preventDefault();
        onFind();
      } else if (ctrl && (e.key === "=" || e.key === "+")) {
        e.preventDefault();
        zoom(1);
      } else if (ctrl && e.key === "-") {
        e.preventDefault();
        zoom(-1);
      } else if (ctrl && e.key === "0") {
        e.preventDefault();
        zoom(0);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onFind, onShortcuts]);
}

/** The list of keyboard shortcuts (F1). */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <div className="modal" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title">
      <div className="sheet">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table className="grid shortcuts">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <th scope="row">
                  <kbd>{keys}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="buttons">
          <button className="primary" autoFocus data-dismiss onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
