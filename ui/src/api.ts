// The one door to the Rust side: typed commands from the generated bindings, with errors turned
// into exceptions that carry the `{code, message}` the core produced.
import { commands, type AppError, type ErrorCode } from "./bindings";

export type * from "./bindings";

export { commands };

export class BatonError extends Error {
  readonly code: ErrorCode;
  /** The field an invalid input is about, for a screen to point at. */
  readonly field: string | null;
  constructor(error: AppError) {
    super(error.message);
    this.code = error.code;
    this.field = error.field ?? null;
  }
}

/** What a command answers: its data, or the `{code, message}` of its error. */
export type Result<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

/** Awaits a command result; throws a BatonError on failure. */
export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (result.status === "error") {
    throw new BatonError(result.error);
  }
  return result.data;
}

/** Long work in flight (findings, replays, metrics, a report), for the busy overlay. */
let working = 0;
const watchers = new Set<(working: number) => void>();

/** Follows how much long work is in flight; returns the function that stops following. */
export function watchWork(watcher: (working: number) => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

/** `unwrap` for a command that runs long work: while it runs, the busy overlay offers Cancel. */
export async function longWork<T>(pending: Promise<Result<T>>): Promise<T> {
  working += 1;
  watchers.forEach((w) => w(working));
  try {
    return await unwrap(pending);
  } finally {
    working -= 1;
    watchers.forEach((w) => w(working));
  }
}

/** Whether `e` is the answer of long work the user cancelled. */
export function isCancelled(e: unknown): boolean {
  return e instanceof BatonError && e.code === "cancelled";
}

/** Any thrown value as `{code, message, field}` for the error banner. */
export function asAppError(e: unknown): AppError {
  if (e instanceof BatonError) return { code: e.code, message: e.message, field: e.field };
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    const field = "field" in e && typeof e.field === "string" ? e.field : null;
    return { code: String(code) as ErrorCode, message: String(message), field };
  }
  return { code: "internal", message: String(e), field: null };
}
