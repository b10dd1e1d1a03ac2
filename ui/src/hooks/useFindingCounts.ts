import { useEffect, useState } from "react";
import { commands, unwrap, type FindingCounts, type ProjectView } from "../api";

/** The finding counts of `project`, asked for apart from the project (they need the whole
 * analysis); null while it runs or when it could not. */
export function useFindingCounts(project: ProjectView): FindingCounts | null {
  // Kept with the project they were counted for, so a newer project never shows older counts.
  const [counted, setCounted] = useState<{ project: ProjectView; counts: FindingCounts } | null>(null);
  useEffect(() => {
    let live = true;
    unwrap(commands.findingCounts()).then(
      (counts) => live && setCounted({ project, counts }),
      () => live && setCounted(null),
    );
    return () => {
      live = false;
    };
  }, [project]);
  return counted?.project === project ? counted.counts : null;
}
