import { useEffect, useState } from "react";
import { commands, unwrap, type ProjectView } from "../api";

type Run = (work: () => Promise<ProjectView | null | void>) => Promise<void>;

export function NewProjectDialog({ run, onClose }: { run: Run; onClose: () => void }) {
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("");
  const [templates, setTemplates] = useState<string[]>([]);
  useEffect(() => {
    commands.templates().then(setTemplates, () => setTemplates([]));
  }, []);
  const create = () =>
    run(async () => {
      const path = await commands.choosePath("save_project", "Create the project file");
      if (!path) return null;
      onClose();
      return unwrap(commands.newProject(path, name.trim(), template || null));
    });
  return (
    <div className="modal" role="dialog" aria-label="New project">
      <div className="sheet">
        <h2>New project</h2>
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. North region rescue"
          />
        </label>
        <label>
          Start from
          <select value={template} onChange={(e) => setTemplate(e.target.value)}>
            <option value="">An empty project</option>
            {templates.map((t) => (
              <option key={t} value={t}>
                Template: {t}
              </option>
            ))}
          </select>
        </label>
        <div className="buttons">
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={!name.trim()} onClick={() => void create()}>
            Choose file and create
          </button>
        </div>
      </div>
    </div>
  );
}

export function RecentDialog({ run, onClose }: { run: Run; onClose: () => void }) {
  const [recent, setRecent] = useState<string[] | null>(null);
  useEffect(() => {
    unwrap(commands.recentProjects()).then(setRecent, () => setRecent([]));
  }, []);
  return (
    <div className="modal" role="dialog" aria-label="Open recent">
      <div className="sheet">
        <h2>Open recent</h2>
        {recent === null ? (
          <p>Loading…</p>
        ) : recent.length === 0 ? (
          <p className="empty">No recent projects yet. Projects you open or create appear here.</p>
        ) : (
          <ul className="recent">
            {recent.map((path) => (
              <li key={path}>
                <button
                  className="link"
                  onClick={() => {
                    onClose();
                    void run(() => unwrap(commands.openProject(path)));
                  }}
                >
                  {path}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="buttons">
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
