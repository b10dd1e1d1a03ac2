import { useCallback, useEffect, useState } from "react";
import { isCancelled, longWork, type Result } from "../api";

/** Runs long work for a screen whenever `run` (memoised by the caller; null: not now) or `key`
 * changes, and again on request. Gives its answer (null until there is one, and once cancelled),
 * whether the user cancelled it, `again` to run it once more, `setResult` for an answer that came
 * another way, and `fail` for the error of a related call: a cancel shows as stopped, anything else
 * goes to `onError`. */
export function useLongWork<T>(
  run: (() => Promise<Result<T>>) | null,
  key: unknown,
  onError: (e: unknown) => void,
) {
  const [result, setResult] = useState<T | null>(null);
  const [stopped, setStopped] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fail = useCallback(
    (e: unknown) => {
      if (!isCancelled(e)) return onError(e);
      setResult(null);
      setStopped(true);
    },
    [onError],
  );
  useEffect(() => {
    if (!run) return;
    let live = true;
    longWork(run()).then(
      (next) => {
        if (!live) return;
        setResult(next);
        setStopped(false);
      },
      (e: unknown) => live && fail(e),
    );
    return () => {
      live = false;
    };
  }, [run, key, attempt, fail]);
  const again = useCallback(() => {
    setStopped(false);
    setAttempt((a) => a + 1);
  }, []);
  return { result, setResult, stopped, again, fail };
}
