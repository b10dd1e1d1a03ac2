//! An XState v5 machine config (JSON). States are keyed by state id; each transition is an entry
//! of its state's `on` map with `guard: {type: "baton.expression", params: {expression}}` (the
//! guard in ECMAScript over `event.data`, the event's fields, and `context.facility`, the case's
//! facility, which the host puts in the actor's context), the write-backs
//! as `baton.writeBack` actions and the owner in `meta`. A timer on the transitions into a state
//! is an `after` entry that runs `baton.escalate` without leaving the state, guarded by
//! `baton.enteredBy` (the timer of the transition that entered). Every transition ends with
//! `baton.enter` (the task it opens, its owner and per-facility owners); a loop re-enters its
//! state. The actions and guard types are implemented by the host (see the README and
//! `tools/check-exports`).

use serde_json::{Map, Value, json};

use super::{Spec, json_text};
use crate::design::guard::{Dialect, render};
use crate::error::Result;
use crate::model::StateKind;

pub(super) fn write(spec: &Spec) -> Result<String> {
    let mut states = Map::new();
    for s in &spec.states {
        let mut state = Map::new();
        if !s.meaning.is_empty() {
            state.insert("description".into(), Value::String(s.meaning.clone()));
        }
        let owners: Vec<String> = {
            let mut o: Vec<String> = spec.incoming(&s.id).filter_map(|t| t.owner.clone()).collect();
            o.sort();
            o.dedup();
            o
        };
        state.insert("meta".into(), json!({"name": s.name, "owners": owners}));
        if !owners.is_empty() {
            state.insert(
                "tags".into(),
                json!(owners.iter().map(|o| format!("owner:{o}")).collect::<Vec<_>>()),
            );
        }
        if s.kind == StateKind::Terminal {
            state.insert("type".into(), Value::String("final".into()));
        }
        let mut on: Map<String, Value> = Map::new();
        for t in spec.outgoing(&s.id) {
            let mut entry = Map::new();
            entry.insert("target".into(), Value::String(t.to.clone()));
            if t.to == t.from {
                // A loop leaves and enters its state again: its task reopens, its timer restarts.
                entry.insert("reenter".into(), Value::Bool(true));
            }
            if let Some(g) = &t.guard {
                entry.insert(
                    "guard".into(),
                    json!({"type": "baton.expression", "params": {"expression": render(g, Dialect::EcmaScript)}}),
                );
            }
            let mut actions: Vec<Value> = t
                .write_backs
                .iter()
                .map(
                    |wb| json!({"type": "baton.writeBack", "params": {"field": wb.field, "value": wb.value}}),
                )
                .collect();
            // Entering the target: the tasks of the state left close, and the target's task (for
            // the owner at the case's facility) opens; its timer is this transition's.
            let terminal = spec.state(&t.to).is_some_and(|s| s.kind == StateKind::Terminal);
            let task =
                spec.state(&t.to).filter(|_| !terminal && (t.owner.is_some() || !t.owner_at.is_empty()));
            actions.push(json!({"type": "baton.enter", "params": {
                "transition": t.id,
                "state": spec.state(&t.to).map(|s| s.name.clone()),
                "task": task.map(|s| s.task_title().to_string()),
                "owner": t.owner,
                "owner_at": t.owner_at.iter().map(|(f, r)| (f.clone(), Value::String(r.clone()))).collect::<Map<_, _>>(),
            }}));
            entry.insert("actions".into(), Value::Array(actions));
            entry.insert(
                "meta".into(),
                json!({
                    "transition": t.id,
                    "owner": t.owner,
                    "owner_at": t.owner_at.iter().map(|(f, r)| (f.clone(), Value::String(r.clone()))).collect::<Map<_, _>>(),
                    "priority": t.priority,
                    "guard": t.guard_text,
                }),
            );
            let list = on.entry(t.event.clone()).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = list {
                items.push(Value::Object(entry));
            }
        }
        // XState takes the first enabled transition: order each event's list by priority.
        for list in on.values_mut() {
            if let Value::Array(items) = list {
                items.sort_by_key(|i| i["meta"]["priority"].as_i64().unwrap_or(i64::MAX));
            }
        }
        if !on.is_empty() {
            state.insert("on".into(), Value::Object(on));
        }
        // A timer belongs to the transition that entered the state: each runs only when that
        // transition was the one (`baton.enteredBy`).
        let mut after = Map::new();
        for t in spec.incoming(&s.id).filter(|_| s.kind != StateKind::Terminal) {
            if let (Some(seconds), Some(role)) = (t.timer_seconds, &t.escalate_to) {
                let list =
                    after.entry((seconds * 1000).to_string()).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = list {
                    items.push(json!({
                        "guard": {"type": "baton.enteredBy", "params": {"transition": t.id}},
                        "actions": [{"type": "baton.escalate", "params": {"role": role, "transition": t.id, "after": t.timer}}],
                    }));
                }
            }
        }
        if !after.is_empty() {
            state.insert("after".into(), Value::Object(after));
        }
        states.insert(s.id.clone(), Value::Object(state));
    }
    let machine = json!({
        "id": spec.workflow_id,
        "description": format!("{} ({})", spec.workflow, spec.version_label()),
        "initial": spec.initial().map(|s| s.id.clone()),
        "states": states,
    });
    json_text(&machine)
}
