import { useEffect, useState } from "react";
import { commands, watchWork } from "../api";

/** Waits this long before covering the window, so quick work does not flash the overlay. */
const SHOW_AFTER_MS = 400;

/** Covers the window while long work runs (findings, a replay, metrics, a report): what it is, how
 * far it got and a Cancel button. Cancelled work changes nothing. */
export function BusyOverlay() {
  const [working, setWorking] = useState(0);
  const [shown, setShown] = useState(false);
  const [label, setLabel] = useState("");
  const [fraction, setFraction] = useState<number | null>(null);
  const [cancelling, setCancelling] = useState(false);
  useEffect(
    () =>
      watchWork((n) => {
        setWorking(n);
        if (n === 0) {
          setShown(false);
          setCancelling(false);
        }
      }),
    [],
  );
  useEffect(() => {
    if (working === 0) return;
    const show = window.setTimeout(() => setShown(true), SHOW_AFTER_MS);
    const poll = window.setInterval(() => {
      void commands.workProgress().then((p) => {
        if (!p.running) return;
        setLabel(p.label);
        setFraction(p.fraction);
      });
    }, 200);
    return () => {
      window.clearTimeout(show);
      window.clearInterval(poll);
    };
  }, [working]);
  if (!shown) return null;
  return (
    <div className="modal busy" role="dialog" aria-label="Working">
      <div className="sheet">
        <h2>{label ? `${label}…` : "Working…"}</h2>
        <div className="progress" data-testid="work-progress">
          <progress value={fraction ?? undefined} max={1} />
          <span>{fraction == null ? "" : `${Math.round(fraction * 100)} %`}</span>
        </div>
        <div className="buttons">
          <button
            disabled={cancelling}
            onClick={() => {
              setCancelling(true);
              void commands.cancelWork();
            }}
          >
            {cancelling ? "Cancelling…" : "Cancel"}
          </button>
        </div>
      </div>
    </div>
  );
}

/** What a screen shows in place of an analysis the user cancelled. */
export function Stopped({ what, onRetry }: { what: string; onRetry: () => void }) {
  return (
    <p className="empty" data-testid="stopped">
      {what} was cancelled; nothing was changed.{" "}
      <button className="link" onClick={onRetry}>
        Run it again
      </button>
    </p>
  );
}
