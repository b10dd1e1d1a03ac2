import { useState } from "react";
import { commands, unwrap, type ImportDone } from "../api";

/**
 * Merge partial log aggregates into the project as one log: the files each site's
 * `baton discover --partial` wrote, or what a warehouse returned for the query of `baton sql`.
 */
export function AggregateDialog({
  onClose,
  onDone,
}: {
  onClose: () => void;
  onDone: (done: ImportDone, paths: string[], name: string) => void;
}) {
  const [paths, setPaths] = useState<string[]>([]);
  const [typed, setTyped] = useState("");
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const add = (path: string) => {
    const p = path.trim();
    if (p && !paths.includes(p)) setPaths([...paths, p]);
    setTyped("");
  };
  const browse = async () => {
    const picked = await commands.choosePath("open_aggregate", "Choose a log aggregate");
    if (picked) add(picked);
  };
  const start = async () => {
    setRunning(true);
    setProblem(null);
    try {
      const done = await unwrap(commands.runAggregateImport(paths, name.trim() || null, []));
      onDone(done, paths, name.trim());
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="modal" role="dialog" aria-label="Import log aggregates">
      <div className="sheet wide import">
        <h2>Import log aggregates</h2>
        <p className="meta">
          Each file is the aggregate of part of one log: what <code>baton discover --partial</code> wrote at a
          site, or what the hospital&apos;s warehouse returned for the query of <code>baton sql</code> (CSV or
          JSON). Parts must hold different cases, such as one file per facility or per month; they are merged
          into one log, exactly as if the whole log had been imported. Case ids arrive already hashed.
        </p>
        <div className="add-form">
          <input
            aria-label="Aggregate file"
            autoFocus
            value={typed}
            placeholder="JSON or CSV aggregate file"
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && add(typed)}
            disabled={running}
          />
          <button onClick={() => add(typed)} disabled={running || !typed.trim()}>
            Add
          </button>
          <button onClick={() => void browse()} disabled={running}>
            Browse…
          </button>
        </div>
        {paths.length === 0 ? (
          <p className="empty">No files yet: add one per part of the log.</p>
        ) : (
          <ul className="files" data-testid="aggregate-files">
            {paths.map((p) => (
              <li key={p}>
                <span>{p}</span>{" "}
                <button
                  className="link"
                  aria-label={`Remove ${p}`}
                  onClick={() => setPaths(paths.filter((q) => q !== p))}
                  disabled={running}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <label className="field">
          Log name
          <input
            aria-label="Log name"
            value={name}
            placeholder={paths.length > 0 ? "after the files" : ""}
            onChange={(e) => setName(e.target.value)}
            disabled={running}
          />
        </label>
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        <div className="buttons">
          <button onClick={onClose} disabled={running}>
            Close
          </button>
          <button className="primary" disabled={running || paths.length === 0} onClick={() => void start()}>
            {running ? "Importing…" : "Import"}
          </button>
        </div>
      </div>
    </div>
  );
}
