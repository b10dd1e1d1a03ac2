//! The rules a proposed version must pass before an orchestrator can run it, checked on its
//! state graph (petgraph). Each problem names its rule, its subject and what to do.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, Reversed};
use serde::Serialize;

use super::guard::{self, Guard};
use super::timer::parse_duration;
use crate::model::{Model, ProposedState, StateKind, Transition};

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Problem {
    /// The rule's stable name (see `RULES`).
    pub rule: String,
    /// What breaks it: `state NAME` or `transition FROM → TO on EVENT`.
    pub subject: String,
    pub message: String,
}

/// The rules, in the order they are checked and reported, with what each asks for.
pub const RULES: [(&str, &str); 12] = [
    ("one_initial_state", "exactly one initial state"),
    ("reachable", "every state is reachable from the initial state"),
    ("terminal_reachable", "a terminal state is reachable from every state"),
    ("terminal_has_no_exit", "no transition leaves a terminal state"),
    (
        "one_owner",
        "every task (a transition into a non-terminal state) has exactly one owning role, at every facility",
    ),
    ("named_task", "every task is named for the work its owner must do"),
    (
        "unambiguous_event",
        "two transitions from one state on one event have guards that cannot both hold, or distinct priorities",
    ),
    ("timer", "every timer is an ISO 8601 duration with an escalation role"),
    ("write_back", "every write-back names a known EMR field and one of its values"),
    ("event_in_catalog", "every event is in the project's event catalog"),
    ("guard", "every guard parses and compares fields of its event or case with values of their type"),
    ("known_role", "owners and escalation targets are roles of the project"),
];

/// A short name of a transition for messages: `Due → Charted by RT on assessment_completed`.
pub fn describe(m: &Model, t: &Transition) -> String {
    let name =
        |id: &str| m.proposed_states.iter().find(|s| s.id == id).map_or(id, |s| s.name.as_str()).to_string();
    format!("{} → {} on {}", name(&t.from_state_id), name(&t.to_state_id), t.event)
}

/// The problems of version `version_id`, by rule order then subject.
pub fn validate(m: &Model, version_id: &str) -> Vec<Problem> {
    let states: Vec<&ProposedState> =
        m.proposed_states.iter().filter(|s| s.version_id == version_id).collect();
    let transitions: Vec<&Transition> = m.transitions.iter().filter(|t| t.version_id == version_id).collect();
    let mut out: Vec<Problem> = Vec::new();
    let mut problem = |rule: &str, subject: String, message: String| {
        out.push(Problem { rule: rule.to_string(), subject, message });
    };
    let state_subject = |s: &ProposedState| format!("state {}", s.name);
    let transition_subject = |t: &Transition| format!("transition {}", describe(m, t));

    // The state graph.
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: BTreeMap<&str, NodeIndex> =
        states.iter().enumerate().map(|(i, s)| (s.id.as_str(), graph.add_node(i))).collect();
    for t in &transitions {
        if let (Some(&a), Some(&b)) = (nodes.get(t.from_state_id.as_str()), nodes.get(t.to_state_id.as_str()))
        {
            graph.add_edge(a, b, ());
        }
    }
    let initial: Vec<&&ProposedState> = states.iter().filter(|s| s.kind == StateKind::Initial).collect();
    if initial.len() != 1 {
        let names: Vec<&str> = initial.iter().map(|s| s.name.as_str()).collect();
        problem(
            "one_initial_state",
            "version".into(),
            if initial.is_empty() {
                "no state is initial: mark the state where the workflow starts as initial".into()
            } else {
                format!(
                    "{} states are initial ({}): keep one and make the others intermediate",
                    initial.len(),
                    names.join(", ")
                )
            },
        );
    }
    if let Some(start) = initial.first() {
        let mut seen = BTreeSet::new();
        let mut bfs = Bfs::new(&graph, nodes[start.id.as_str()]);
        while let Some(n) = bfs.next(&graph) {
            seen.insert(n);
        }
        for s in &states {
            if !seen.contains(&nodes[s.id.as_str()]) {
                problem(
                    "reachable",
                    state_subject(s),
                    format!(
                        "no path leads from “{}” to it: add a transition into it or remove it",
                        start.name
                    ),
                );
            }
        }
    }
    let mut reaches_end = BTreeSet::new();
    for s in states.iter().filter(|s| s.kind == StateKind::Terminal) {
        let reversed = Reversed(&graph);
        let mut bfs = Bfs::new(reversed, nodes[s.id.as_str()]);
        while let Some(n) = bfs.next(reversed) {
            reaches_end.insert(n);
        }
    }
    for s in &states {
        if !reaches_end.contains(&nodes[s.id.as_str()]) {
            problem(
                "terminal_reachable",
                state_subject(s),
                "no path leads from it to a terminal state: work that enters it can never finish".into(),
            );
        }
    }
    for t in &transitions {
        let from = states.iter().find(|s| s.id == t.from_state_id);
        if from.is_some_and(|s| s.kind == StateKind::Terminal) {
            problem(
                "terminal_has_no_exit",
                transition_subject(t),
                "it leaves a terminal state: make the state intermediate or remove the transition".into(),
            );
        }
    }
    // Owners.
    let role_known = |id: &str| m.roles.iter().any(|r| r.id == id);
    for t in &transitions {
        let into_terminal = states.iter().any(|s| s.id == t.to_state_id && s.kind == StateKind::Terminal);
        if !into_terminal && t.owner_role_id.is_none() {
            let missing: Vec<String> = if t.overrides.is_empty() {
                vec!["every facility".into()]
            } else {
                m.facilities
                    .iter()
                    .filter(|f| !t.overrides.iter().any(|o| o.facility_id == f.id))
                    .map(|f| f.name.clone())
                    .collect()
            };
            if !missing.is_empty() {
                problem(
                    "one_owner",
                    transition_subject(t),
                    format!(
                        "the task it creates has no owning role at {}: choose one role",
                        missing.join(", ")
                    ),
                );
            }
        }
        for role in t
            .owner_role_id
            .iter()
            .chain(t.escalate_to_role_id.iter())
            .chain(t.overrides.iter().map(|o| &o.role_id))
        {
            if !role_known(role) {
                problem(
                    "known_role",
                    transition_subject(t),
                    format!("{role:?} is not a role of this project"),
                );
            }
        }
    }
    for s in &states {
        if s.task.trim().is_empty() && super::task::opens_task(m, &s.id) {
            problem(
                "named_task",
                state_subject(s),
                format!(
                    "entering it opens a task with no name: name the work its owner must do (for example {:?})",
                    super::task::derive(m, &s.id)
                ),
            );
        }
    }
    // Events, guards, ambiguity.
    let mut parsed: BTreeMap<&str, Option<Guard>> = BTreeMap::new();
    for t in &transitions {
        let event = m.events.iter().find(|e| e.name == t.event);
        if event.is_none() {
            problem(
                "event_in_catalog",
                transition_subject(t),
                format!(
                    "the event {:?} is not in the event catalog: add it there or choose a listed one",
                    t.event
                ),
            );
        }
        if t.guard.trim().is_empty() {
            parsed.insert(t.id.as_str(), None);
            continue;
        }
        let scope = guard::scope(event.map_or(&[][..], |e| &e.fields));
        match guard::parse(&t.guard, &scope) {
            Ok(g) => {
                parsed.insert(t.id.as_str(), Some(g));
            }
            Err(e) => {
                problem("guard", transition_subject(t), format!("{:?}: {e}", t.guard));
                parsed.insert(t.id.as_str(), None);
            }
        }
    }
    for (i, a) in transitions.iter().enumerate() {
        for b in transitions.iter().skip(i + 1) {
            if a.from_state_id != b.from_state_id || a.event != b.event {
                continue;
            }
            let prioritized = matches!((a.priority, b.priority), (Some(p), Some(q)) if p != q);
            let bad_guard = |t: &Transition| {
                !t.guard.trim().is_empty() && parsed.get(t.id.as_str()).is_some_and(Option::is_none)
            };
            if prioritized || bad_guard(a) || bad_guard(b) {
                continue;
            }
            let (ga, gb) = (
                parsed.get(a.id.as_str()).and_then(Option::as_ref),
                parsed.get(b.id.as_str()).and_then(Option::as_ref),
            );
            if guard::may_overlap(ga, gb) {
                problem(
                    "unambiguous_event",
                    transition_subject(a),
                    format!(
                        "“{}” also leaves on {} and both guards can hold: make the guards exclusive or give the two transitions different priorities",
                        describe(m, b),
                        a.event
                    ),
                );
            }
        }
    }
    // Timers and write-backs.
    for t in &transitions {
        if !t.timer.trim().is_empty() {
            if parse_duration(&t.timer).is_none() {
                problem(
                    "timer",
                    transition_subject(t),
                    format!("{:?} is not an ISO 8601 duration such as PT30M, PT2H or P1D", t.timer),
                );
            }
            if t.escalate_to_role_id.is_none() {
                problem(
                    "timer",
                    transition_subject(t),
                    format!("the timer {} has no escalation role: choose who is told when it fires", t.timer),
                );
            }
        }
        for wb in &t.write_backs {
            let field = m.emr_fields.iter().find(|f| f.name == wb.field || f.id == wb.field);
            match field {
                None => problem(
                    "write_back",
                    transition_subject(t),
                    format!(
                        "the EMR field {:?} is not known: import its status values or correct the name",
                        wb.field
                    ),
                ),
                Some(f) if !m.emr_values.iter().any(|v| v.field_id == f.id && v.value == wb.value) => {
                    let values: Vec<&str> = m
                        .emr_values
                        .iter()
                        .filter(|v| v.field_id == f.id)
                        .map(|v| v.value.as_str())
                        .collect();
                    problem(
                        "write_back",
                        transition_subject(t),
                        format!("{} has no value {:?} (its values: {})", f.name, wb.value, values.join(", ")),
                    );
                }
                Some(_) => {}
            }
        }
    }
    let order = |rule: &str| RULES.iter().position(|(r, _)| *r == rule).unwrap_or(RULES.len());
    out.sort_by(|a, b| {
        (order(&a.rule), &a.subject, &a.message).cmp(&(order(&b.rule), &b.subject, &b.message))
    });
    out
}
