//! Replaying an imported event log through a proposed version: each kept variant is walked from
//! the initial state, its activities turned into events by the event catalog's `activities`;
//! activities that signal no event the version uses are skipped. A case fits when every event
//! has a transition from the state it is in and it ends in a terminal state; otherwise it
//! deviates where that first fails. Variants with no activity that signals an event of the
//! version are about other work and are not counted. Guards cannot be judged from a log (it keeps no event data),
//! so the first transition on the event (by priority) is taken.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::simulate::{Definition, Machine};
use crate::error::Result;
use crate::model::Model;
use crate::progress::Progress;

/// What `case ended` is called in a deviation: the case stopped before a terminal state.
pub const CASE_ENDED: &str = "(case ended)";

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Replay {
    pub cases: i64,
    pub fitting: i64,
    /// `fitting / cases`, 0 without cases.
    pub fitness: f64,
    /// By count (most first), then state and event.
    pub deviations: Vec<Deviation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Deviation {
    /// The state's name.
    pub state: String,
    pub event: String,
    pub count: i64,
}

/// Replays the kept variants of every log of the project through version `version_id`; stops
/// with `Cancelled` when `progress` is cancelled (checked every 1,024 variants).
pub fn replay(m: &Model, version_id: &str, progress: &Progress) -> Result<Replay> {
    progress.check("replaying the logs")?;
    let def = Definition::unchecked(m, version_id);
    let used: BTreeSet<&str> =
        m.transitions.iter().filter(|t| t.version_id == version_id).map(|t| t.event.as_str()).collect();
    let mut event_of: BTreeMap<&str, &str> = BTreeMap::new();
    for e in m.events.iter().filter(|e| used.contains(e.name.as_str())) {
        for a in &e.activities {
            event_of.entry(a.as_str()).or_insert(e.name.as_str());
        }
    }
    let (mut cases, mut fitting) = (0i64, 0i64);
    let mut deviations: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (i, variant) in m.logs.iter().flat_map(|l| &l.variants).enumerate() {
        if i % 1024 == 1023 {
            progress.check("replaying the logs")?;
        }
        if !variant.activities.iter().any(|a| event_of.contains_key(a.as_str())) {
            continue;
        }
        cases += variant.count;
        let Some(def) = &def else { continue };
        // A log has no payloads and its variants no times: guards are not judged (the first
        // transition on the event fires) and no timer runs out (docs/semantics.md, Replay).
        let mut case = Machine::start(def, None);
        let mut deviation = None;
        for activity in &variant.activities {
            let Some(event) = event_of.get(activity.as_str()) else { continue };
            if !case.fire(0, event, None) {
                deviation = Some((*event).to_string());
                break;
            }
        }
        match deviation {
            None if case.finished() => fitting += variant.count,
            other => {
                let key = (case.state_name(), other.unwrap_or_else(|| CASE_ENDED.into()));
                *deviations.entry(key).or_default() += variant.count;
            }
        }
    }
    let mut deviations: Vec<Deviation> =
        deviations.into_iter().map(|((state, event), count)| Deviation { state, event, count }).collect();
    deviations
        .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| (&a.state, &a.event).cmp(&(&b.state, &b.event))));
    let fitness = if cases > 0 { (fitting as f64 / cases as f64 * 10_000.0).round() / 10_000.0 } else { 0.0 };
    Ok(Replay { cases, fitting, fitness, deviations })
}
