import { useState } from "react";
import { commands, unwrap, type ProjectView, type VersionDetail } from "../api";
import { PathField } from "../shared/PathField";

/** Proposals → "Send for review…": writes the version's review packet, one HTML file a clinical
 * lead opens in any browser, offline, to comment and sign off. */
export function SendForReviewDialog({
  detail,
  onClose,
  onDone,
  onError,
}: {
  detail: VersionDetail;
  onClose: () => void;
  onDone: (message: string) => void;
  onError: (e: unknown) => void;
}) {
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const write = async () => {
    if (!path.trim()) return;
    setBusy(true);
    try {
      const written = await unwrap(commands.exportReview(detail.id, path.trim()));
      onDone(
        `Wrote the review packet of ${detail.label} to ${written}. Send it to the clinical lead: it opens in any browser, offline, and they send back the review file it saves (File → Import review…).`,
      );
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal" role="dialog" aria-label="Send for review">
      <div className="sheet">
        <h2>Send {detail.label} for review</h2>
        <p className="meta">
          One HTML file with the current-state and proposed swimlanes, the states and transitions in words,
          the open findings on the workflow and the changes from the previous version. The reviewer comments
          on steps and states, replies to your comments and signs off
          {detail.draft ? " (a draft can be commented on; sign-off waits until it is published)" : ""}. The
          file makes no network request of any kind: it works from a USB stick, an e-mail attachment or a file
          share.
        </p>
        <label>
          File
          <PathField
            label="Review packet file"
            value={path}
            placeholder="/path/to/review.html"
            disabled={busy}
            onChange={setPath}
            onBrowse={() => commands.choosePath("save_review", `Save the review packet of ${detail.label}`)}
          />
        </label>
        <div className="buttons">
          <button onClick={onClose}>Cancel</button>
          <button className="primary" onClick={() => void write()} disabled={!path.trim() || busy}>
            Write packet
          </button>
        </div>
      </div>
    </div>
  );
}

/** File → "Import review…": brings a saved review's comments and sign-off into the project as
 * one undoable edit. */
export function ImportReviewDialog({
  onClose,
  onDone,
  onError,
}: {
  onClose: () => void;
  onDone: (project: ProjectView, message: string) => void;
  onError: (e: unknown) => void;
}) {
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const bring = async () => {
    if (!path.trim()) return;
    setBusy(true);
    try {
      const done = await unwrap(commands.importReview(path.trim()));
      onDone(done.project, done.message);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal" role="dialog" aria-label="Import review">
      <div className="sheet">
        <h2>Import a review</h2>
        <p className="meta">
          Choose the file the reviewer saved from the review packet (NAME.baton-review.json). Their comments
          are pinned to the steps, states and transitions they chose, and their sign-off is recorded, as one
          edit you can undo. A review of a version that has changed since is refused, with the changes.
        </p>
        <label>
          File
          <PathField
            label="Review file"
            value={path}
            placeholder="/path/to/workflow-v2.baton-review.json"
            disabled={busy}
            onChange={setPath}
            onBrowse={() => commands.choosePath("open_review", "Import a saved review")}
          />
        </label>
        <div className="buttons">
          <button onClick={onClose}>Cancel</button>
          <button className="primary" onClick={() => void bring()} disabled={!path.trim() || busy}>
            Import
          </button>
        </div>
      </div>
    </div>
  );
}
