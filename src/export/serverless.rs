//! CNCF Serverless Workflow DSL 1.0 (YAML or JSON), meaning what docs/semantics.md says.
//!
//! The workflow is started with the input `{case_id, facility}`; every event is a CloudEvent
//! whose `subject` is the case's id, and each `listen` correlates on it. Each way into a state
//! (see `Spec::ways`) is three tasks:
//! - `<state>`: emits `baton.enter` (the state, its task's name and owners), for the host that
//!   opens the task; a terminal state then `set`s the state and ends the workflow;
//! - `<state>-wait`: a `listen` to any of the events that leave the state, `until` one arrives
//!   that some transition takes (its guard holds), so an event no transition takes is consumed
//!   and ignored without starting the wait again. A timer on the way in wraps the listen in a
//!   `try` with a `timeout`; its `catch` emits `baton.escalate` and listens again, once;
//! - `<state>-route`: a `switch` on the event type and the guards (jq over the CloudEvent's
//!   `data` and `$workflow.input.facility`), in priority order, to the write-backs (emitted as
//!   `baton.write_back`) and the next state. Its default, which the `until` makes unreachable,
//!   waits again.

use serde_json::{Value, json};

use super::{Setup, Spec, SpecTransition, json_text};
use crate::design::guard::{Dialect, render};
use crate::error::{Error, Result};
use crate::model::StateKind;

const TIMEOUT_ERROR: &str = "https://serverlessworkflow.io/spec/1.0.0/errors/timeout";

fn source(spec: &Spec) -> String {
    format!("baton://workflows/{}", spec.workflow_id)
}

/// A task name: the id with anything but letters, digits and `-` as `-`.
fn name(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect()
}

fn emit(spec: &Spec, kind: &str, data: Value) -> Value {
    json!({"emit": {"event": {"with": {"source": source(spec), "type": kind, "data": data}}}})
}

/// The jq condition under which transition `t` takes the event `.`.
fn when(t: &SpecTransition) -> String {
    let mut when = format!(".type == \"{}\"", t.event.replace('"', "\\\""));
    if let Some(g) = &t.guard {
        when = format!("{when} and ({})", render(g, Dialect::Jq));
    }
    when
}

/// The wait for the events that leave `state`: correlated on the case, until one arrives that a
/// transition takes; its output is that event.
fn listen(spec: &Spec, state: &str) -> Value {
    let mut events: Vec<&str> = spec.outgoing(state).map(|t| t.event.as_str()).collect();
    events.sort();
    events.dedup();
    let any: Vec<Value> = events
        .iter()
        .map(|e| {
            json!({
                "with": {"type": e},
                "correlate": {"case_id": {"from": "${ .subject }", "expect": "${ $workflow.input.case_id }"}}
            })
        })
        .collect();
    let takes: Vec<String> = spec.outgoing(state).map(|t| format!("({})", when(t))).collect();
    json!({
        "listen": {
            "to": {"any": any, "until": format!("${{ .[-1] | {} }}", takes.join(" or "))},
            "read": "envelope"
        },
        "output": {"as": "${ .[-1] }"}
    })
}

/// The task names of each way into each state, in `Spec::ways` order: the state's id, then
/// `-2`, `-3`… for further ways in.
fn way_names(spec: &Spec) -> Vec<((String, Option<Setup>), String)> {
    let mut named: Vec<((String, Option<Setup>), String)> = Vec::new();
    for way in spec.ways() {
        let n = named.iter().filter(|((s, _), _)| *s == way.0).count();
        let task = if n == 0 { name(&way.0) } else { format!("{}-{}", name(&way.0), n + 1) };
        named.push((way, task));
    }
    named
}

pub(super) fn write(spec: &Spec, as_json: bool) -> Result<String> {
    let ways = way_names(spec);
    let task_of = |t: &SpecTransition| -> String {
        let way = (t.to.clone(), Some(Setup::of(t)));
        ways.iter().find(|(w, _)| *w == way).map_or_else(|| name(&t.to), |(_, n)| n.clone())
    };
    // Where a transition leads: its write-back task, else the way into the next state.
    let after = |t: &SpecTransition| -> String {
        if t.write_backs.is_empty() { task_of(t) } else { format!("{}-write-back", name(&t.id)) }
    };
    let mut tasks: Vec<Value> = Vec::new();
    let mut push = |task: &str, body: Value| tasks.push(json!({ task: body }));
    for ((state, setup), task) in &ways {
        let Some(s) = spec.state(state) else { continue };
        let owner = setup.as_ref().and_then(|w| w.owner.clone());
        let owner_at: serde_json::Map<String, Value> = setup
            .as_ref()
            .map(|w| w.owner_at.iter().map(|(f, r)| (f.clone(), Value::String(r.clone()))).collect())
            .unwrap_or_default();
        let has_task = s.kind != StateKind::Terminal && (owner.is_some() || !owner_at.is_empty());
        let mut enter = emit(
            spec,
            "baton.enter",
            json!({
                "state": s.name,
                "task": if has_task { Value::String(s.task_title().to_string()) } else { Value::Null },
                "owner": owner,
                "owner_at": owner_at,
            }),
        );
        enter["metadata"] = json!({"state": s.name, "meaning": s.meaning});
        if s.kind == StateKind::Terminal {
            push(task, enter);
            push(&format!("{task}-end"), json!({"set": {"state": s.name}, "then": "end"}));
            continue;
        }
        push(task, enter);
        let wait = format!("{task}-wait");
        let route = format!("{task}-route");
        match setup.as_ref().and_then(|w| w.timer.clone()) {
            Some((timer, escalate)) => {
                let mut waiting = listen(spec, &s.id);
                waiting["timeout"] = json!({"after": timer});
                let mut overdue: Vec<Value> = Vec::new();
                if let Some(role) = escalate {
                    overdue.push(json!({"escalate": emit(spec, "baton.escalate", json!({"role": role, "after": timer, "state": s.name}))}));
                }
                overdue.push(json!({"wait-again": listen(spec, &s.id)}));
                push(
                    &wait,
                    json!({
                        "try": [{"wait-for-event": waiting}],
                        "catch": {"errors": {"with": {"type": TIMEOUT_ERROR}}, "do": overdue},
                        "then": route,
                    }),
                );
            }
            None => {
                let mut waiting = listen(spec, &s.id);
                waiting["then"] = Value::String(route.clone());
                push(&wait, waiting);
            }
        }
        let mut outgoing: Vec<&SpecTransition> = spec.outgoing(&s.id).collect();
        outgoing.sort_by_key(|t| t.priority.unwrap_or(i64::MAX));
        if outgoing.is_empty() {
            return Err(Error::invalid("export", format!("state {:?} has no way out", s.name)));
        }
        let mut cases: Vec<Value> = outgoing
            .iter()
            .map(|t| json!({ name(&t.id): {"when": format!("${{ {} }}", when(t)), "then": after(t)} }))
            .collect();
        cases.push(json!({"no-transition-takes-it": {"then": wait}}));
        push(&route, json!({"switch": cases}));
    }
    for t in spec.transitions.iter().filter(|t| !t.write_backs.is_empty()) {
        let data: Vec<Value> =
            t.write_backs.iter().map(|wb| json!({"field": wb.field, "value": wb.value})).collect();
        let mut body = emit(spec, "baton.write_back", json!({"transition": t.id, "write_backs": data}));
        body["then"] = Value::String(task_of(t));
        push(&after(t), body);
    }
    let about = if spec.note.is_empty() { spec.description.as_str() } else { spec.note.as_str() };
    let how = "Start each instance with the input {\"case_id\": …, \"facility\": …}; send each event as a CloudEvent whose subject is the case's id.";
    let summary = if about.is_empty() { how.to_string() } else { format!("{about} {how}") };
    let workflow = json!({
        "document": {
            "dsl": "1.0.0",
            "namespace": "baton",
            "name": name(&spec.workflow_id),
            "version": spec.semver(),
            "title": format!("{} ({})", spec.workflow, spec.version_label()),
            "summary": summary,
        },
        "input": {"schema": {"format": "json", "document": {
            "type": "object",
            "required": ["case_id"],
            "properties": {"case_id": {"type": "string"}, "facility": {"type": ["string", "null"]}}
        }}},
        "do": tasks,
    });
    if as_json {
        json_text(&workflow)
    } else {
        serde_saphyr::to_string(&workflow).map_err(|e| Error::invalid("export", e.to_string()))
    }
}
