//! CNCF Serverless Workflow DSL 1.0 (YAML or JSON). Each non-terminal state is a `listen` for
//! the events that leave it, reading the CloudEvent envelope; a timer on the transitions into
//! it wraps the listen in `try` with a timeout whose `catch` emits `baton.escalate` and listens
//! again. A `switch` then routes on the event type and the guard (jq over the event's `data`, and
//! `$workflow.input.facility`, the facility the case was started with) to
//! the write-backs (emitted as `baton.write_back` events) and the next state. Terminal states are
//! `set` tasks that end the workflow.

use serde_json::{Value, json};

use super::{Spec, SpecTransition, json_text};
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

fn listen(spec: &Spec, state: &str) -> Value {
    let mut events: Vec<&str> = spec.outgoing(state).map(|t| t.event.as_str()).collect();
    events.sort();
    events.dedup();
    let any: Vec<Value> = events.iter().map(|e| json!({"with": {"type": e}})).collect();
    json!({"listen": {"to": {"any": any}, "read": "envelope"}, "output": {"as": "${ .[0] }"}})
}

/// Where a transition leads: its write-back task, else the next state.
fn after(t: &SpecTransition) -> String {
    if t.write_backs.is_empty() { name(&t.to) } else { format!("{}-write-back", name(&t.id)) }
}

pub(super) fn write(spec: &Spec, as_json: bool) -> Result<String> {
    let mut tasks: Vec<Value> = Vec::new();
    let mut push = |task: &str, body: Value| tasks.push(json!({ task: body }));
    // The initial state first, then the others in order.
    let mut states: Vec<_> = spec.states.iter().collect();
    states.sort_by_key(|s| s.kind != StateKind::Initial);
    for s in states {
        let task = name(&s.id);
        if s.kind == StateKind::Terminal {
            push(&task, json!({"set": {"state": s.name}, "metadata": {"meaning": s.meaning}, "then": "end"}));
            continue;
        }
        let owners: Vec<String> = spec.incoming(&s.id).filter_map(|t| t.owner.clone()).collect();
        let metadata = json!({"state": s.name, "meaning": s.meaning, "owners": owners});
        let timer = spec.incoming(&s.id).find(|t| t.timer_seconds.is_some() && t.escalate_to.is_some());
        let route = format!("{task}-route");
        match timer {
            Some(t) => {
                let mut waiting = listen(spec, &s.id);
                waiting["timeout"] = json!({"after": t.timer});
                push(
                    &task,
                    json!({
                        "try": [{"wait-for-event": waiting}],
                        "catch": {
                            "errors": {"with": {"type": TIMEOUT_ERROR}},
                            "do": [
                                {"escalate": emit(spec, "baton.escalate", json!({"role": t.escalate_to, "after": t.timer, "state": s.name}))},
                                {"wait-again": listen(spec, &s.id)}
                            ]
                        },
                        "metadata": metadata,
                        "then": route,
                    }),
                );
            }
            None => {
                let mut waiting = listen(spec, &s.id);
                waiting["metadata"] = metadata;
                waiting["then"] = Value::String(route.clone());
                push(&task, waiting);
            }
        }
        let mut outgoing: Vec<&SpecTransition> = spec.outgoing(&s.id).collect();
        outgoing.sort_by_key(|t| t.priority.unwrap_or(i64::MAX));
        let cases: Vec<Value> = outgoing
            .iter()
            .map(|t| {
                let mut when = format!(".type == \"{}\"", t.event.replace('"', "\\\""));
                if let Some(g) = &t.guard {
                    when = format!("{when} and ({})", render(g, Dialect::Jq));
                }
                json!({ name(&t.id): {"when": format!("${{ {when} }}"), "then": after(t)} })
            })
            .collect();
        if cases.is_empty() {
            return Err(Error::invalid("export", format!("state {:?} has no way out", s.name)));
        }
        push(&route, json!({"switch": cases}));
        for t in outgoing.iter().filter(|t| !t.write_backs.is_empty()) {
            let data: Vec<Value> =
                t.write_backs.iter().map(|wb| json!({"field": wb.field, "value": wb.value})).collect();
            let mut body = emit(spec, "baton.write_back", json!({"transition": t.id, "write_backs": data}));
            body["then"] = Value::String(name(&t.to));
            push(&after(t), body);
        }
    }
    let workflow = json!({
        "document": {
            "dsl": "1.0.0",
            "namespace": "baton",
            "name": name(&spec.workflow_id),
            "version": spec.semver(),
            "title": format!("{} ({})", spec.workflow, spec.version_label()),
            "summary": if spec.note.is_empty() { spec.description.clone() } else { spec.note.clone() },
        },
        "do": tasks,
    });
    if as_json {
        json_text(&workflow)
    } else {
        serde_saphyr::to_string(&workflow).map_err(|e| Error::invalid("export", e.to_string()))
    }
}
