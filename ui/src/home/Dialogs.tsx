import { useEffect, useState } from "react";
import { asAppError, commands, unwrap, type ProjectView } from "../api";
import { PathField } from "../shared/PathField";

type Run = (work: () => Promise<ProjectView | null | void>) => Promise<void>;

export function NewProjectDialog({ run, onClose }: { run: Run; onClose: () => void }) {
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("");
  const [templates, setTemplates] = useState<string[]>([]);
  const [encrypt, setEncrypt] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [again, setAgain] = useState("");
  const keyProblem = !encrypt
    ? null
    : passphrase.length < 8
      ? "A passphrase of at least 8 characters."
      : passphrase !== again
        ? "The two passphrases differ."
        : null;
  // Where the file goes: typed, chosen with Browse…, or by default named after the project in the
  // folder the core suggests (beside the open project, or Documents).
  const [folder, setFolder] = useState("");
  const [typedPath, setTypedPath] = useState<string | null>(null);
  useEffect(() => {
    commands.templates().then(setTemplates, () => setTemplates([]));
    unwrap(commands.reportFolder()).then(setFolder, () => setFolder(""));
  }, []);
  const slug =
    name
      .trim()
      .replace(/[^A-Za-z0-9 _-]/g, "")
      .replace(/\s+/g, "-")
      .toLowerCase() || "project";
  const path = typedPath ?? (folder ? `${folder.replace(/[\\/]$/, "")}/${slug}.baton` : "");
  const create = () =>
    run(async () => {
      if (!path.trim()) return null;
      onClose();
      return unwrap(commands.newProject(path, name.trim(), template || null, encrypt ? passphrase : null));
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
          Project file
          <PathField
            label="Project file"
            value={path}
            placeholder="/path/to/engagement.baton"
            disabled={false}
            onChange={setTypedPath}
            onBrowse={() => commands.choosePath("save_project", "Create the project file")}
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
        <label className="check">
          <input type="checkbox" checked={encrypt} onChange={(e) => setEncrypt(e.target.checked)} />
          Encrypt the file with a passphrase
        </label>
        {encrypt && (
          <>
            <PassphraseFields
              passphrase={passphrase}
              again={again}
              onPassphrase={setPassphrase}
              onAgain={setAgain}
            />
            <p className="meta">
              {keyProblem ?? "The passphrase cannot be recovered: without it the project cannot be opened."}
            </p>
          </>
        )}
        <div className="buttons">
          <button onClick={onClose}>Cancel</button>
          <button
            className="primary"
            disabled={!name.trim() || !path.trim() || keyProblem !== null}
            onClick={() => void create()}
          >
            Create project
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

/** A passphrase typed twice. */
export function PassphraseFields({
  passphrase,
  again,
  onPassphrase,
  onAgain,
}: {
  passphrase: string;
  again: string;
  onPassphrase: (p: string) => void;
  onAgain: (p: string) => void;
}) {
  return (
    <>
      <label>
        Passphrase
        <input
          type="password"
          aria-label="Passphrase"
          value={passphrase}
          onChange={(e) => onPassphrase(e.target.value)}
        />
      </label>
      <label>
        Passphrase again
        <input
          type="password"
          aria-label="Passphrase again"
          value={again}
          onChange={(e) => onAgain(e.target.value)}
        />
      </label>
    </>
  );
}

/** Asks for the passphrase of the encrypted project the app was asked to open. */
export function UnlockDialog({ run, onClose }: { run: Run; onClose: () => void }) {
  const [path, setPath] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    unwrap(commands.lockedProject()).then(setPath, () => setPath(null));
  }, []);
  const unlock = async () => {
    try {
      const opened = await unwrap(commands.unlockProject(passphrase));
      onClose();
      await run(async () => opened);
    } catch (e) {
      setProblem(asAppError(e).message);
    }
  };
  return (
    <div className="modal" role="dialog" aria-label="Unlock project">
      <form
        className="sheet"
        onSubmit={(e) => {
          e.preventDefault();
          void unlock();
        }}
      >
        <h2>Encrypted project</h2>
        <p>
          <code>{path ?? "…"}</code> is encrypted. Type its passphrase to open it.
        </p>
        <label>
          Passphrase
          <input
            type="password"
            aria-label="Passphrase"
            autoFocus
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!passphrase}>
            Open
          </button>
        </div>
      </form>
    </div>
  );
}
