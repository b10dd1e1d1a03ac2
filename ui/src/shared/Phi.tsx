import { useEffect, useState } from "react";
import { commands, type FlaggedText, type PhiMatch } from "../api";

/** What redacted text becomes, in the project and in a field being typed. */
export const REDACTED = "[redacted]";

/**
 * The texts an import replaced by placeholders because they looked like patient identifiers,
 * with their originals (shown here once, never stored), each with a tick; the button runs the
 * same import again keeping the ticked texts as they are.
 */
export function ReplacedTexts(props: {
  flagged: FlaggedText[];
  onImportAgain: (allow: string[]) => Promise<void>;
}) {
  const [allow, setAllow] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  if (props.flagged.length === 0) return null;
  const again = async () => {
    setBusy(true);
    try {
      await props.onImportAgain(allow);
      setAllow([]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="phi-replaced" data-testid="replaced-texts">
      <p className="hint">
        These texts looked like patient identifiers and were stored as placeholders. Tick one only if it is
        not about a patient (a unit named after a person, say); the import then runs again and keeps it as it
        is, and the audit trail records that you confirmed it.
      </p>
      <ul>
        {props.flagged.map((f) => (
          <li key={`${f.place} ${f.text}`}>
            <label>
              <input
                type="checkbox"
                aria-label={`Keep ${f.text} as it is`}
                checked={allow.includes(f.text)}
                onChange={(e) =>
                  setAllow(e.target.checked ? [...allow, f.text] : allow.filter((t) => t !== f.text))
                }
                disabled={busy}
              />
              {f.text}{" "}
              <span className="meta">
                ({f.kind}, in a {f.place}; stored as {f.placeholder})
              </span>
            </label>
          </li>
        ))}
      </ul>
      <button disabled={busy || allow.length === 0} onClick={() => void again()}>
        Import again, keeping the ticked texts
      </button>
    </div>
  );
}

/**
 * Free text of the project that looks like patient identifiers, each with a button that replaces
 * it with [redacted] everywhere in the project (one edit, undoable).
 */
export function PhiList(props: {
  matches: PhiMatch[];
  intro: string;
  testId: string;
  /** Redacts the texts (`commands.redactPhi`) and shows the project it returns. */
  onRedact: (texts: string[]) => Promise<void>;
}) {
  const { matches } = props;
  const [busy, setBusy] = useState(false);
  if (matches.length === 0) return null;
  const redact = async (texts: string[]) => {
    setBusy(true);
    try {
      await props.onRedact([...new Set(texts)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="phi-warning" role="note" data-testid={props.testId}>
      <strong>
        {matches.length === 1 ? "One piece" : `${matches.length} pieces`} of free text look like patient
        identifiers. {props.intro}
      </strong>
      <ul>
        {matches.map((m, i) => (
          <li key={i}>
            {m.place && `${m.place}: `}
            {m.kind} <code>{m.text}</code>{" "}
            <button className="link" disabled={busy} onClick={() => void redact([m.text])}>
              Redact
            </button>
          </li>
        ))}
      </ul>
      {matches.length > 1 && (
        <button disabled={busy} onClick={() => void redact(matches.map((m) => m.text))}>
          Redact all
        </button>
      )}
      <p className="meta">
        Redacting replaces the text with {REDACTED} wherever it appears. Undo can bring it back until the
        project is purged.
      </p>
    </div>
  );
}

/**
 * A warning under a text field while what is typed looks like a patient identifier, with a button
 * that redacts it in the field before it is saved.
 */
export function PhiHint(props: { text: string; onRedact: (text: string) => void }) {
  const { text } = props;
  const [found, setFound] = useState<PhiMatch[]>([]);
  useEffect(() => {
    let live = true;
    // Checked shortly after typing stops, not on every key.
    const timer = setTimeout(() => {
      commands.phiCheck(text).then(
        (next) => live && setFound(next),
        () => undefined,
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text]);
  if (found.length === 0 || !text) return null;
  const redacted = found.reduce((t, m) => t.split(m.text).join(REDACTED), text);
  return (
    <p className="phi-hint" role="alert" data-testid="phi-hint">
      Looks like a patient identifier: {found.map((m) => `${m.kind} “${m.text}”`).join(", ")}. Patient
      identifiers do not belong in Baton.{" "}
      <button type="button" className="link" onClick={() => props.onRedact(redacted)}>
        Redact
      </button>
    </p>
  );
}
