import { useEffect, useState } from "react";
import { commands, unwrap, type PhiMatch, type ProjectView } from "../api";

/** What in the project's free text looks like a patient identifier, scanned again whenever the
 * project changes. */
export function useProjectPhi(project: ProjectView): PhiMatch[] {
  const [found, setFound] = useState<PhiMatch[]>([]);
  useEffect(() => {
    let live = true;
    unwrap(commands.phiScan()).then(
      (next) => live && setFound(next),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [project]);
  return found;
}
