//! `telemetry-spec`: what the orchestrator must emit for step 4 (measurement): for each
//! transition, the event with the fields every record carries (case, timestamp, actor role,
//! facility, workflow, version, transition) and the event's own fields.

use serde_json::{Value, json};

use super::{Spec, json_text};
use crate::error::Result;

const COMMON: [(&str, &str, &str); 8] = [
    ("case_id", "string", "the case (hashed if it identifies a patient)"),
    ("timestamp", "string", "when the transition happened, RFC 3339 with offset"),
    ("workflow", "string", "the workflow id"),
    ("version", "string", "the version number, or draft"),
    ("transition", "string", "the transition id"),
    ("state", "string", "the state entered (id)"),
    ("actor_role", "string", "the role of whoever caused the event (a role id)"),
    ("facility", "string", "the facility id"),
];

pub(super) fn write(spec: &Spec) -> Result<String> {
    let common: Vec<Value> =
        COMMON.iter().map(|(n, t, d)| json!({"name": n, "type": t, "description": d})).collect();
    let transitions: Vec<Value> = spec
        .transitions
        .iter()
        .map(|t| {
            let fields: Vec<Value> = spec
                .events
                .iter()
                .find(|e| e.name == t.event)
                .map(|e| e.fields.iter().map(|f| json!({"name": f.name, "type": f.kind.as_str()})).collect())
                .unwrap_or_default();
            json!({
                "transition": t.id,
                "event": t.event,
                "from": t.from,
                "to": t.to,
                "owner": t.owner,
                "fields": fields,
                "escalation": t.escalate_to.as_ref().map(|r| json!({"after": t.timer, "role": r, "event": "baton.escalated"})),
            })
        })
        .collect();
    json_text(&json!({
        "format": "baton-telemetry-spec",
        "format_version": 1,
        "workflow": spec.workflow_id,
        "version": spec.number.map_or_else(|| "draft".to_string(), |n| n.to_string()),
        "common_fields": common,
        "transitions": transitions,
        "measures": ["time_to_complete_task", "reassignment_rate", "override_frequency"],
    }))
}
