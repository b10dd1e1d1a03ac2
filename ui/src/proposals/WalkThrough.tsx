import { useEffect, useState } from "react";
import {
  commands,
  unwrap,
  type EventChoice,
  type FieldValue,
  type ProjectView,
  type TraceStep,
  type VersionDetail,
  type WalkInput,
  type WalkView,
} from "../api";

/** Minutes between one step of the walk-through and the next, unless the consultant says. */
const DEFAULT_GAP_MINUTES = 15;

/** An RFC 3339 time `minutes` after `at`. */
function later(at: string, minutes: number): string {
  return new Date(Date.parse(at) + minutes * 60_000).toISOString().replace(".000Z", "Z");
}

/** "08:15" of an RFC 3339 time, with the day when it is not the walk-through's first. */
function clock(at: string, start: string): string {
  const [day, time] = at.replace("Z", "").split("T");
  return day === start.split("T")[0] ? time.slice(0, 5) : `${day} ${time.slice(0, 5)}`;
}

/** One step of the trace in words. */
function StepLine({
  step,
  start,
  roleName,
}: {
  step: TraceStep;
  start: string;
  roleName: (id: string) => string;
}) {
  const what = step.event
    ? `${step.from} → ${step.to} on ${step.event}`
    : `${step.from}: the timer ran out (${step.timer ?? ""})`;
  return (
    <li>
      <span className="meta">{clock(step.at, start)}</span> {what}
      {step.tasks_closed.length > 0 && (
        <div className="meta">
          closes {step.tasks_closed.map((t) => `${t.name} (${roleName(t.role)})`).join(", ")}
        </div>
      )}
      {step.tasks_opened.length > 0 && (
        <div className="meta">
          opens {step.tasks_opened.map((t) => `${t.name} (${roleName(t.role)})`).join(", ")}
        </div>
      )}
      {step.escalations.map((e, i) => (
        <div key={i} className="meta warn">
          escalates {e.task} to {roleName(e.role)}
        </div>
      ))}
      {step.write_backs.map((w, i) => (
        <div key={i} className="meta">
          writes back {w.field} = {w.value}
        </div>
      ))}
    </li>
  );
}

/** The form of one event the current state expects: its fields, and a Send button. */
function EventForm({ event, onSend }: { event: EventChoice; onSend: (data: FieldValue[]) => void }) {
  const names = event.fields.map((f) => f.split(":")[0].trim());
  const [values, setValues] = useState<Record<string, string>>({});
  return (
    <form
      className="add-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSend(names.map((name) => ({ name, value: values[name] ?? "" })));
      }}
    >
      {event.fields.map((f, i) => (
        <input
          key={f}
          aria-label={`${event.name} ${names[i]}`}
          placeholder={f}
          value={values[names[i]] ?? ""}
          onChange={(e) => setValues({ ...values, [names[i]]: e.target.value })}
        />
      ))}
      <button type="submit" title={event.description || undefined}>
        {event.name}
      </button>
    </form>
  );
}

/**
 * Walks one case through a version by the reference semantics: the consultant sends the next
 * event (with its data) or lets time pass past a timer, and watches the state, the open tasks,
 * escalations and write-backs move on the version's swimlanes. Nothing is saved.
 */
export function WalkThrough({
  project,
  detail,
  onClose,
  onError,
}: {
  project: ProjectView;
  detail: VersionDetail;
  onClose: () => void;
  onError: (e: unknown) => void;
}) {
  const [facility, setFacility] = useState(project.facilities[0]?.id ?? "");
  const [steps, setSteps] = useState<WalkInput[]>([]);
  const [gap, setGap] = useState(DEFAULT_GAP_MINUTES);
  const [walk, setWalk] = useState<WalkView | null>(null);
  useEffect(() => {
    let live = true;
    unwrap(commands.walkThrough(detail.id, facility || null, steps)).then(
      (w) => live && setWalk(w),
      (e: unknown) => live && onError(e),
    );
    return () => {
      live = false;
    };
  }, [detail.id, facility, steps, onError]);
  const roleName = (id: string) => project.roles.find((r) => r.id === id)?.name ?? id;
  const start = steps[0]?.at ?? walk?.now ?? "";
  const next = (event: string | null, data: FieldValue[], at?: string) => {
    if (!walk) return;
    setSteps([...steps, { at: at ?? (steps.length === 0 ? walk.now : later(walk.now, gap)), event, data }]);
  };
  return (
    <div className="modal" role="dialog" aria-label="Walk through">
      <div className="sheet walk">
        <h2>Walk through {detail.label}</h2>
        <p className="meta">
          One case, step by step, as Baton's semantics runs it (docs/semantics.md). Nothing here changes the
          project.
        </p>
        <div className="add-form">
          <label>
            Facility
            <select
              aria-label="Facility of the case"
              value={facility}
              onChange={(e) => {
                setFacility(e.target.value);
                setSteps([]);
              }}
            >
              <option value="">No facility</option>
              {project.facilities.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Minutes to the next event
            <input
              aria-label="Minutes to the next event"
              type="number"
              min={0}
              value={gap}
              onChange={(e) => setGap(Math.max(0, Number(e.target.value) || 0))}
            />
          </label>
        </div>
        {walk && (
          <div className="walk-body">
            <div className="walk-side">
              <p data-testid="walk-state">
                <strong>{walk.state}</strong>{" "}
                {walk.finished ? "· finished" : `· ${clock(walk.now, start || walk.now)}`}
              </p>
              <h3>Open tasks</h3>
              {walk.open_tasks.length === 0 ? (
                <p className="empty">None.</p>
              ) : (
                <ul data-testid="walk-tasks">
                  {walk.open_tasks.map((t) => (
                    <li key={t}>{t}</li>
                  ))}
                </ul>
              )}
              {!walk.finished && (
                <>
                  <h3>What happens next</h3>
                  {walk.next_events.length === 0 && <p className="empty">No event leaves this state.</p>}
                  {walk.next_events.map((e) => (
                    <EventForm
                      key={`${e.name}-${steps.length}`}
                      event={e}
                      onSend={(data) => next(e.name, data)}
                    />
                  ))}
                  {walk.deadline && (
                    <button onClick={() => next(null, [], later(walk.deadline ?? walk.now, 1))}>
                      Let time pass past the timer ({walk.timer})
                    </button>
                  )}
                </>
              )}
              <div className="buttons">
                <button disabled={steps.length === 0} onClick={() => setSteps(steps.slice(0, -1))}>
                  Back one step
                </button>
                <button disabled={steps.length === 0} onClick={() => setSteps([])}>
                  Start again
                </button>
                <button className="primary" onClick={onClose}>
                  Close
                </button>
              </div>
              <h3>What happened</h3>
              <ol className="walk-trace" data-testid="walk-trace">
                {walk.trace.steps.map((s, i) => (
                  <StepLine key={i} step={s} start={start} roleName={roleName} />
                ))}
                {(walk.trace.ignored ?? []).map((e, i) => (
                  <li key={`ignored-${i}`} className="meta">
                    {clock(e.at, start)} {e.event} ignored in {e.state} (
                    {e.reason === "unexpected"
                      ? "this state does not expect it"
                      : e.reason === "no_guard_held"
                        ? "no guard held"
                        : "the case has finished"}
                    )
                  </li>
                ))}
              </ol>
            </div>
            <div className="version-diagram walk-diagram" dangerouslySetInnerHTML={{ __html: walk.svg }} />
          </div>
        )}
      </div>
    </div>
  );
}
