// Renaming a step to the name another step of its workflow already has offers to merge the two
// instead (two steps of one name would read as one on every map).
import { useState } from "react";
import { commands, unwrap, type Named, type ProjectView } from "../api";

type Act = (work: () => Promise<ProjectView>) => Promise<void>;

/** Renames, or asks to merge when the name is taken; `ask` is shown by `MergeInstead`. */
export function useRenameStep(act: Act) {
  const [asking, setAsking] = useState<{ id: string; from: string; into: Named } | null>(null);
  const rename = async (id: string, from: string, name: string): Promise<boolean> => {
    const taken = await unwrap(commands.sameNameStep(id, name));
    if (taken) {
      setAsking({ id, from, into: taken });
      return false;
    }
    await act(() => unwrap(commands.renameStep(id, name)));
    return true;
  };
  const merge = async () => {
    if (!asking) return;
    const { id, into } = asking;
    setAsking(null);
    await act(() => unwrap(commands.mergeSteps(id, into.id)));
  };
  return { rename, asking, merge, cancel: () => setAsking(null) };
}

export function MergeInstead({
  asking,
  onMerge,
  onCancel,
}: {
  asking: { from: string; into: Named } | null;
  onMerge: () => void;
  onCancel: () => void;
}) {
  if (!asking) return null;
  return (
    <div
      className="banner notice confirm"
      role="alertdialog"
      aria-label={`Merge “${asking.from}” into “${asking.into.name}”?`}
    >
      <p>
        This workflow already has a step named “{asking.into.name}”. Merge “{asking.from}” into it? Its
        statements, handoffs and comments move there; Undo takes it back.
      </p>
      <button className="primary" autoFocus onClick={onMerge}>
        Merge into “{asking.into.name}”
      </button>
      <button onClick={onCancel}>Cancel</button>
    </div>
  );
}
