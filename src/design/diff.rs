//! What changed between two versions of a proposed workflow. States are matched by name and
//! transitions by (from state name, to state name, event), because a draft copies a version under
//! new ids. Each change names its element, its subject and, for a change, the part that changed.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Model, ProposedState, Transition};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Change {
    /// `state` or `transition`.
    pub element: String,
    /// The state's name, or `From → To on event`.
    pub subject: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// For `changed`: kind, meaning, task, owner, owner_at, guard, timer, escalate_to, write_back or
    /// priority.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The id of the added or changed state or transition in the later version (for drawing).
    #[serde(skip)]
    pub id: Option<String>,
}

fn states(m: &Model, version: &str) -> BTreeMap<String, ProposedState> {
    m.proposed_states
        .iter()
        .filter(|s| s.version_id == version)
        .map(|s| (s.name.clone(), s.clone()))
        .collect()
}

fn transitions(m: &Model, version: &str) -> BTreeMap<(String, String, String), Transition> {
    let name =
        |id: &str| m.proposed_states.iter().find(|s| s.id == id).map_or_else(String::new, |s| s.name.clone());
    m.transitions
        .iter()
        .filter(|t| t.version_id == version)
        .map(|t| ((name(&t.from_state_id), name(&t.to_state_id), t.event.clone()), t.clone()))
        .collect()
}

/// The parts of a transition that a diff compares, as text.
fn parts(m: &Model, t: &Transition) -> Vec<(&'static str, String)> {
    let role = |id: &Option<String>| {
        id.as_deref().map_or_else(String::new, |r| {
            m.roles.iter().find(|x| x.id == r).map_or(r, |x| x.name.as_str()).to_string()
        })
    };
    let mut owner_at: Vec<String> = t
        .overrides
        .iter()
        .map(|o| format!("{}: {}", o.facility_id, role(&Some(o.role_id.clone()))))
        .collect();
    owner_at.sort();
    vec![
        ("owner", role(&t.owner_role_id)),
        ("owner_at", owner_at.join(", ")),
        ("guard", t.guard.trim().to_string()),
        ("timer", t.timer.trim().to_string()),
        ("escalate_to", role(&t.escalate_to_role_id)),
        (
            "write_back",
            t.write_backs.iter().map(|w| format!("{} = {}", w.field, w.value)).collect::<Vec<_>>().join("; "),
        ),
        ("priority", t.priority.map(|p| p.to_string()).unwrap_or_default()),
    ]
}

fn change(element: &str, subject: &str, change: &str) -> Change {
    Change {
        element: element.into(),
        subject: subject.into(),
        change: change.into(),
        part: None,
        from: None,
        to: None,
        id: None,
    }
}

/// The changes from version `from` to version `to` (ids), sorted by element, subject, change
/// and part.
pub fn diff(m: &Model, from: &str, to: &str) -> Vec<Change> {
    let mut out = Vec::new();
    let (a, b) = (states(m, from), states(m, to));
    for (name, s) in &a {
        match b.get(name) {
            None => out.push(change("state", name, "removed")),
            Some(t) => {
                for (part, x, y) in [
                    ("kind", s.kind.as_str(), t.kind.as_str()),
                    ("meaning", s.meaning.as_str(), t.meaning.as_str()),
                    ("task", s.task.as_str(), t.task.as_str()),
                ] {
                    if x != y {
                        out.push(Change {
                            part: Some(part.into()),
                            from: Some(x.into()),
                            to: Some(y.into()),
                            id: Some(t.id.clone()),
                            ..change("state", name, "changed")
                        });
                    }
                }
            }
        }
    }
    out.extend(
        b.iter()
            .filter(|(n, _)| !a.contains_key(*n))
            .map(|(n, s)| Change { id: Some(s.id.clone()), ..change("state", n, "added") }),
    );
    let (a, b) = (transitions(m, from), transitions(m, to));
    let subject = |(f, t, e): &(String, String, String)| format!("{f} → {t} on {e}");
    for (key, x) in &a {
        match b.get(key) {
            None => out.push(change("transition", &subject(key), "removed")),
            Some(y) => {
                for ((part, p), (_, q)) in parts(m, x).into_iter().zip(parts(m, y)) {
                    if p != q {
                        out.push(Change {
                            part: Some(part.into()),
                            from: Some(p),
                            to: Some(q),
                            id: Some(y.id.clone()),
                            ..change("transition", &subject(key), "changed")
                        });
                    }
                }
            }
        }
    }
    out.extend(
        b.iter()
            .filter(|(k, _)| !a.contains_key(*k))
            .map(|(k, t)| Change { id: Some(t.id.clone()), ..change("transition", &subject(k), "added") }),
    );
    out.sort();
    out
}

/// For drawing a comparison: the ids of the states and transitions of version `to` that were
/// added or changed since `from` (`added` or `changed`), and the subjects of what was removed.
pub fn marks(m: &Model, from: &str, to: &str) -> (BTreeMap<String, String>, Vec<String>) {
    marks_of(&diff(m, from, to))
}

/// `marks` from changes already computed.
pub fn marks_of(changes: &[Change]) -> (BTreeMap<String, String>, Vec<String>) {
    let mut marks = BTreeMap::new();
    let mut removed = Vec::new();
    for c in changes {
        if c.change == "removed" {
            removed.push(format!("{} {}", c.element, c.subject));
        } else if let Some(id) = &c.id {
            let slot = marks.entry(id.clone()).or_insert_with(|| c.change.clone());
            if c.change == "added" {
                *slot = "added".into();
            }
        }
    }
    (marks, removed)
}
