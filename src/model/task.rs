//! The task a state opens, named for the work its owner must do.
//!
//! Entering a non-terminal state through a transition with an owner opens a task for that owner
//! (docs/semantics.md). The task's name is part of the version's content (`ProposedState::task`):
//! "Reconcile assessment with nursing care plan" for the RN while the state is "Charted by RT".
//! Where it is not yet known (a proposal, a version from before task names, an imported file
//! without them) it is derived from the current-state step the work replaces:
//! 1. the step that one of the closing event's log activities names (the event of the state's
//!    first way out to another state, which the owner's work produces);
//! 2. else the step most like that event and the state it leads to (words of the event's name
//!    and description, the state's name, then its meaning), among the owner's steps first;
//! 3. else "Move to" that state.

use super::{Model, ProposedState, StateKind, Step, StepKind, Transition};

/// Whether entering `state_id` opens a task: some transition with an owner (anywhere) enters it
/// and it is not terminal.
pub fn opens_task(m: &Model, state_id: &str) -> bool {
    m.proposed_states.iter().any(|s| s.id == state_id && s.kind != StateKind::Terminal)
        && m.transitions
            .iter()
            .any(|t| t.to_state_id == state_id && (t.owner_role_id.is_some() || !t.overrides.is_empty()))
}

/// The name a person reads for the task `state` opens: its task, else (not yet named) the state's.
pub fn title(state: &ProposedState) -> &str {
    if state.task.trim().is_empty() { &state.name } else { &state.task }
}

/// The task name derived for `state_id` from its workflow's current-state steps (see the module).
pub fn derive(m: &Model, state_id: &str) -> String {
    let Some(state) = m.proposed_states.iter().find(|s| s.id == state_id) else { return String::new() };
    let workflow =
        m.versions.iter().find(|v| v.id == state.version_id).map_or("", |v| v.workflow_id.as_str());
    let steps: Vec<&Step> = m
        .steps
        .iter()
        .filter(|s| s.workflow_id == workflow && matches!(s.kind, StepKind::Start | StepKind::Task))
        .collect();
    // The way out the work leads to: the first to another state (a loop is more of the same work).
    let mut out: Vec<&Transition> = m.transitions.iter().filter(|t| t.from_state_id == state_id).collect();
    out.sort_by_key(|t| (t.to_state_id == state_id, t.position));
    let Some(way_out) = out.first() else { return state.name.clone() };
    let event = m.events.iter().find(|e| e.name == way_out.event);
    let by_activity = event.and_then(|e| {
        e.activities.iter().find_map(|a| steps.iter().find(|s| s.name.trim().eq_ignore_ascii_case(a.trim())))
    });
    if let Some(step) = by_activity {
        return step.name.clone();
    }
    let Some(next) = m.proposed_states.iter().find(|s| s.id == way_out.to_state_id) else {
        return state.name.clone();
    };
    // The owner's steps first: the work is theirs.
    let owner = m
        .transitions
        .iter()
        .filter(|t| t.to_state_id == state_id)
        .find_map(|t| t.owner_role_id.clone().or_else(|| t.overrides.first().map(|o| o.role_id.clone())));
    let theirs: Vec<&Step> = steps.iter().copied().filter(|s| s.owner_role_id == owner).collect();
    let event_text =
        event.map_or_else(String::new, |e| format!("{} {}", e.name.replace('_', " "), e.description));
    let most_like = |candidates: &[&Step], target: &str| -> Option<String> {
        candidates
            .iter()
            .map(|s| (overlap(&format!("{} {}", s.name, s.done_means), target), *s))
            .filter(|(score, _)| *score > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.position.cmp(&a.1.position)))
            .map(|(_, s)| s.name.clone())
    };
    let near = format!("{event_text} {}", next.name);
    let far = format!("{event_text} {} {}", next.name, next.meaning);
    most_like(&theirs, &near)
        .or_else(|| most_like(&theirs, &far))
        .or_else(|| most_like(&steps, &near))
        .or_else(|| most_like(&steps, &far))
        .unwrap_or_else(|| format!("Move to {}", next.name))
}

/// Names every task a state opens but has no name for, as `derive` does; returns what it named
/// (state id, task), in the model's order.
pub fn fill_missing(m: &mut Model) -> Vec<(String, String)> {
    fill_where(m, |_| true)
}

/// `fill_missing` for the states `wanted` picks only.
pub fn fill_where(m: &mut Model, wanted: impl Fn(&ProposedState) -> bool) -> Vec<(String, String)> {
    let named: Vec<(String, String)> = m
        .proposed_states
        .iter()
        .filter(|s| wanted(s) && s.task.trim().is_empty() && opens_task(m, &s.id))
        .map(|s| (s.id.clone(), derive(m, &s.id)))
        .collect();
    for (id, task) in &named {
        if let Some(s) = m.proposed_states.iter_mut().find(|s| &s.id == id) {
            s.task.clone_from(task);
        }
    }
    named
}

fn words(text: &str) -> Vec<String> {
    const STOP: [&str; 10] = ["the", "by", "and", "of", "to", "a", "an", "it", "on", "in"];
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1 && !STOP.contains(w))
        .map(|w| {
            for suffix in ["ing", "ed", "es", "s"] {
                if let Some(base) = w.strip_suffix(suffix)
                    && base.len() >= 4
                {
                    return base.to_string();
                }
            }
            w.to_string()
        })
        .collect()
}

/// Whether two words are forms of one (`reconcile`, `reconciled`): equal, or sharing their first
/// five letters or more.
fn alike(a: &str, b: &str) -> bool {
    a == b
        || (a.len() >= 5 && b.len() >= 5 && a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count() >= 5)
}

/// How many words two texts share, counting forms of one word as one (`alike`).
pub(crate) fn overlap(a: &str, b: &str) -> usize {
    let (a, b) = (words(a), words(b));
    a.iter().filter(|w| b.iter().any(|x| alike(w, x))).count()
}
