//! The reference semantics of a proposed version (`docs/semantics.md`), executed: one case, its
//! events in time order, and a trace of what happens (states entered, tasks opened and closed
//! with their owners, escalations, write-backs, whether the case finished). `baton simulate`
//! prints the trace, the app's walk-through steps through it, and `replay` runs the logs through
//! the same machine without payloads.
//!
//! Every rule below is stated once in `docs/semantics.md`; change them together.

use std::collections::BTreeMap;

use serde::Serialize;

use super::guard::{self, Datum, Guard};
use super::timer::parse_duration;
use crate::error::{Error, Result};
use crate::model::{Model, StateKind, WriteBack};

/// A task: a piece of work the orchestrator gives a role, named for the work (`design::task`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct TaskRef {
    pub name: String,
    /// The owning role's id.
    pub role: String,
}

/// A timer that ran out: the escalation role is told about the task (or the state) overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Escalation {
    pub role: String,
    /// The overdue task's name (the state's name when the state has no task).
    pub task: String,
}

/// One thing that happened to the case: a transition on an event, or a timer running out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct TraceStep {
    /// RFC 3339.
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The timer that ran out, for people ("after 2 hours").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timer: Option<String>,
    /// State names; equal when a timer ran out.
    pub from: String,
    pub to: String,
    pub tasks_opened: Vec<TaskRef>,
    pub tasks_closed: Vec<TaskRef>,
    pub escalations: Vec<Escalation>,
    pub write_backs: Vec<WriteBack>,
}

/// What one case went through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Trace {
    pub steps: Vec<TraceStep>,
    pub final_state: String,
    pub finished: bool,
    pub open_tasks: Vec<TaskRef>,
    /// Events the case's state did not expect (or whose guards all failed), ignored.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<IgnoredEvent>,
}

/// An event the machine ignored, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct IgnoredEvent {
    pub at: String,
    pub event: String,
    pub state: String,
    /// `unexpected` (no transition on it leaves the state), `no_guard_held` or `finished`.
    pub reason: String,
}

/// One input: an event at a time, with its payload; or, with no event, time passing to `at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// Seconds since the Unix epoch.
    pub at: i64,
    pub event: Option<String>,
    pub data: BTreeMap<String, Datum>,
}

#[derive(Debug, Clone)]
struct State {
    name: String,
    kind: StateKind,
    /// The name of the task entering it opens (`task::title`).
    task: String,
}

#[derive(Debug, Clone)]
struct Arrow {
    from: String,
    to: String,
    event: String,
    guard: Option<Guard>,
    owner: Option<String>,
    owner_at: BTreeMap<String, String>,
    timer: Option<u64>,
    escalate_to: Option<String>,
    write_backs: Vec<WriteBack>,
}

/// A version ready to run: its states and its transitions in the order they are tried.
#[derive(Debug, Clone)]
pub struct Definition {
    states: BTreeMap<String, State>,
    /// By priority (set ones first, lowest first), then the version's order.
    arrows: Vec<Arrow>,
    initial: String,
}

impl Definition {
    /// Version `version_id` of the model; it must be valid (`baton validate`).
    pub fn of(m: &Model, version_id: &str) -> Result<Definition> {
        if let Some(p) = super::validate(m, version_id).first() {
            return Err(Error::invalid(
                "version",
                format!(
                    "the version has problems to fix first: [{}] {}: {} (see baton validate)",
                    p.rule, p.subject, p.message
                ),
            ));
        }
        Definition::unchecked(m, version_id)
            .ok_or_else(|| Error::invalid("version", "the version has no initial state"))
    }

    /// Version `version_id` as it is, valid or not (a draft being edited, for replay): a guard
    /// that does not parse is not judged. `None` without an initial state.
    pub fn unchecked(m: &Model, version_id: &str) -> Option<Definition> {
        let states: BTreeMap<String, State> = m
            .proposed_states
            .iter()
            .filter(|s| s.version_id == version_id)
            .map(|s| {
                let task = super::task::title(s).to_string();
                (s.id.clone(), State { name: s.name.clone(), kind: s.kind, task })
            })
            .collect();
        let initial = m
            .proposed_states
            .iter()
            .find(|s| s.version_id == version_id && s.kind == StateKind::Initial)
            .map(|s| s.id.clone())?;
        let mut transitions: Vec<&crate::model::Transition> =
            m.transitions.iter().filter(|t| t.version_id == version_id).collect();
        transitions.sort_by_key(|t| (t.priority.unwrap_or(i64::MAX), t.position));
        let arrows = transitions
            .into_iter()
            .map(|t| {
                let fields = m
                    .events
                    .iter()
                    .find(|e| e.name == t.event)
                    .map(|e| e.fields.as_slice())
                    .unwrap_or_default();
                Arrow {
                    from: t.from_state_id.clone(),
                    to: t.to_state_id.clone(),
                    event: t.event.clone(),
                    guard: Some(t.guard.trim())
                        .filter(|g| !g.is_empty())
                        .and_then(|g| guard::parse(g, &guard::scope(fields)).ok()),
                    owner: t.owner_role_id.clone(),
                    owner_at: t
                        .overrides
                        .iter()
                        .map(|o| (o.facility_id.clone(), o.role_id.clone()))
                        .collect(),
                    timer: parse_duration(&t.timer),
                    escalate_to: t.escalate_to_role_id.clone(),
                    write_backs: t.write_backs.clone(),
                }
            })
            .collect();
        Some(Definition { states, arrows, initial })
    }

    fn name(&self, state: &str) -> String {
        self.states.get(state).map_or_else(|| state.to_string(), |s| s.name.clone())
    }

    fn task(&self, state: &str) -> String {
        self.states.get(state).map_or_else(|| state.to_string(), |s| s.task.clone())
    }

    fn terminal(&self, state: &str) -> bool {
        self.states.get(state).is_some_and(|s| s.kind == StateKind::Terminal)
    }

    /// Whether any transition is on `event`.
    pub fn uses(&self, event: &str) -> bool {
        self.arrows.iter().any(|a| a.event == event)
    }

    /// Whether any transition leaves `state` on `event`.
    pub fn expects(&self, state: &str, event: &str) -> bool {
        self.arrows.iter().any(|a| a.from == state && a.event == event)
    }
}

/// What the transition into the current state set up: its task and its timer.
#[derive(Debug, Clone)]
struct Entered {
    task: Option<TaskRef>,
    /// (deadline, duration in seconds, escalation role).
    timer: Option<(i64, u64, Option<String>)>,
    /// Whether the timer ran out (it runs out once per entry).
    fired: bool,
    escalated: Option<TaskRef>,
}

/// One case running through a definition.
#[derive(Debug, Clone)]
pub struct Machine<'d> {
    def: &'d Definition,
    /// The case's facility id (guards' `facility`, per-facility owners).
    facility: Option<String>,
    state: String,
    entered: Entered,
    finished: bool,
    trace: Vec<TraceStep>,
    ignored: Vec<IgnoredEvent>,
}

/// RFC 3339 of `seconds` since the epoch.
pub fn timestamp(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds).map(|t| t.to_string()).unwrap_or_default()
}

/// Seconds since the epoch of an RFC 3339 time.
pub fn parse_time(text: &str) -> Option<i64> {
    text.parse::<jiff::Timestamp>().ok().map(|t| t.as_second())
}

impl<'d> Machine<'d> {
    /// A case of `def` at `facility`, in the initial state (which opens no task: no transition
    /// entered it).
    pub fn start(def: &'d Definition, facility: Option<&str>) -> Machine<'d> {
        Machine {
            def,
            facility: facility.map(str::to_string),
            state: def.initial.clone(),
            entered: Entered { task: None, timer: None, fired: false, escalated: None },
            finished: def.terminal(&def.initial),
            trace: Vec::new(),
            ignored: Vec::new(),
        }
    }

    /// The current state's id.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// The current state's name.
    pub fn state_name(&self) -> String {
        self.def.name(&self.state)
    }

    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The tasks open now: the current state's, and its escalation.
    pub fn open_tasks(&self) -> Vec<TaskRef> {
        self.entered.task.iter().chain(self.entered.escalated.iter()).cloned().collect()
    }

    /// When the running timer runs out, if one runs.
    pub fn deadline(&self) -> Option<i64> {
        self.entered.timer.as_ref().filter(|_| !self.entered.fired && !self.finished).map(|t| t.0)
    }

    /// How long the running timer runs, in seconds, if one runs.
    pub fn timer_seconds(&self) -> Option<u64> {
        self.deadline().and(self.entered.timer.as_ref().map(|t| t.1))
    }

    /// Lets time pass to `at`: a timer whose deadline is at or before `at` runs out (once).
    pub fn advance(&mut self, at: i64) {
        let Some(deadline) = self.deadline().filter(|d| *d <= at) else { return };
        let Some((_, seconds, role)) = self.entered.timer.clone() else { return };
        let name = self.def.name(&self.state);
        let overdue = self.entered.task.as_ref().map_or_else(|| name.clone(), |t| t.name.clone());
        let mut step = TraceStep {
            at: timestamp(deadline),
            event: None,
            timer: Some(super::timer::after(seconds)),
            from: name.clone(),
            to: name,
            tasks_opened: Vec::new(),
            tasks_closed: Vec::new(),
            escalations: Vec::new(),
            write_backs: Vec::new(),
        };
        if let Some(role) = role {
            let task = TaskRef { name: format!("Escalation: {overdue} overdue"), role: role.clone() };
            step.escalations.push(Escalation { role, task: overdue });
            step.tasks_opened.push(task.clone());
            self.entered.escalated = Some(task);
        }
        self.entered.fired = true;
        self.trace.push(step);
    }

    /// `event` at `at` with `data` (`None`: no payload, as in a log; guards are then not judged
    /// and the first transition on the event fires). Returns whether a transition fired.
    pub fn fire(&mut self, at: i64, event: &str, data: Option<&BTreeMap<String, Datum>>) -> bool {
        self.advance(at);
        let state = self.def.name(&self.state);
        if self.finished {
            self.ignore(at, event, &state, "finished");
            return false;
        }
        let mut scope: BTreeMap<String, Datum> = data.cloned().unwrap_or_default();
        if let Some(f) = &self.facility {
            scope.insert("facility".into(), Datum::Text(f.clone()));
        }
        let candidates: Vec<&Arrow> =
            self.def.arrows.iter().filter(|a| a.from == self.state && a.event == event).collect();
        if candidates.is_empty() {
            self.ignore(at, event, &state, "unexpected");
            return false;
        }
        let chosen = candidates.into_iter().find(|a| match (&a.guard, data) {
            (Some(g), Some(_)) => guard::holds(g, &scope),
            _ => true,
        });
        let Some(arrow) = chosen.cloned() else {
            self.ignore(at, event, &state, "no_guard_held");
            return false;
        };
        let tasks_closed = self.open_tasks();
        let finished = self.def.terminal(&arrow.to);
        let owner = self.facility.as_ref().and_then(|f| arrow.owner_at.get(f)).or(arrow.owner.as_ref());
        let task = owner
            .filter(|_| !finished)
            .map(|role| TaskRef { name: self.def.task(&arrow.to), role: role.clone() });
        let timer = arrow.timer.filter(|_| !finished).map(|s| (at + s as i64, s, arrow.escalate_to.clone()));
        self.trace.push(TraceStep {
            at: timestamp(at),
            event: Some(event.to_string()),
            timer: None,
            from: state,
            to: self.def.name(&arrow.to),
            tasks_opened: task.iter().cloned().collect(),
            tasks_closed,
            escalations: Vec::new(),
            write_backs: arrow.write_backs.clone(),
        });
        self.state = arrow.to.clone();
        self.entered = Entered { task, timer, fired: false, escalated: None };
        self.finished = finished;
        true
    }

    fn ignore(&mut self, at: i64, event: &str, state: &str, reason: &str) {
        self.ignored.push(IgnoredEvent {
            at: timestamp(at),
            event: event.to_string(),
            state: state.to_string(),
            reason: reason.to_string(),
        });
    }

    /// Takes `inputs` (in time order): each event fires, each input without one lets time pass.
    pub fn feed(&mut self, inputs: &[Input]) {
        for i in inputs {
            match &i.event {
                Some(e) => {
                    self.fire(i.at, e, Some(&i.data));
                }
                None => self.advance(i.at),
            }
        }
    }

    /// Runs `inputs` (in time order) and gives the trace.
    pub fn run(mut self, inputs: &[Input]) -> Trace {
        self.feed(inputs);
        self.trace()
    }

    /// The trace so far.
    pub fn trace(&self) -> Trace {
        Trace {
            steps: self.trace.clone(),
            final_state: self.def.name(&self.state),
            finished: self.finished,
            open_tasks: self.open_tasks(),
            ignored: self.ignored.clone(),
        }
    }
}

/// `Ok` when `inputs` go forward in time; else an error on `field` naming the two times.
pub fn check_time_order(inputs: &[Input], field: &str) -> Result<()> {
    match inputs.windows(2).find(|w| w[1].at < w[0].at) {
        Some(w) => Err(Error::invalid(
            field,
            format!(
                "{field} must be in time order: {} comes after {}",
                timestamp(w[1].at),
                timestamp(w[0].at)
            ),
        )),
        None => Ok(()),
    }
}

/// One case of version `version_id` at `facility` through `inputs`, which must be in time order.
pub fn simulate(m: &Model, version_id: &str, facility: Option<&str>, inputs: &[Input]) -> Result<Trace> {
    check_time_order(inputs, "events")?;
    let def = Definition::of(m, version_id)?;
    Ok(Machine::start(&def, facility).run(inputs))
}
