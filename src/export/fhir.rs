//! FHIR R4 as a target: a Bundle (type `collection`) that EMR teams can load and align with. EMRs
//! do not execute it; it says in FHIR's own terms what the proposed workflow is:
//! - a CodeSystem and a ValueSet of the workflow's business states, the codes for
//!   `Task.businessStatus`;
//! - one ActivityDefinition per task a transition opens (kind Task, the owning role as the
//!   participant's role, per-facility owners and the escalation in words, the escalation time as
//!   `timingDuration`);
//! - a PlanDefinition (type workflow-definition) with one action per transition: its event as a
//!   named-event trigger, its guard as a FHIRPath applicability condition over `%event` and
//!   `%facility`, `relatedAction` after the actions that enter its state, and the task it opens;
//! - one example Task per state, pairing FHIR's own `Task.status` with Baton's explicit state in
//!   `Task.businessStatus`, as HL7's Clinical Order Workflows guide does.
//!
//! Everything is deterministic: ids come from Baton's ids, and `fullUrl`s are name-based UUIDs.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{Spec, SpecTransition, json_text};
use crate::design::guard::{Dialect, render};
use crate::design::timer::after;
use crate::error::Result;
use crate::model::StateKind;

/// A FHIR id (`[A-Za-z0-9-.]{1,64}`) from `text`.
fn fhir_id(text: &str) -> String {
    let id: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '-' })
        .collect();
    let id = id.trim_matches('-').chars().take(64).collect::<String>();
    if id.is_empty() { "x".to_string() } else { id }
}

/// A computer-friendly FHIR name: "Respiratory assessment" → "RespiratoryAssessment".
fn pascal(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// A name-based UUID (the layout of version 5, from SHA-256) for `parts`.
fn uuid(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for p in parts {
        hash.update(p.as_bytes());
        hash.update([0u8]);
    }
    let mut b: Vec<u8> = hash.finalize().iter().take(16).copied().collect();
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        hex[0..4].concat(),
        hex[4..6].concat(),
        hex[6..8].concat(),
        hex[8..10].concat(),
        hex[10..16].concat()
    )
}

/// The escalation time as a FHIR Duration (UCUM): hours when whole, else minutes.
fn duration(seconds: u64) -> Value {
    if seconds.is_multiple_of(3600) {
        json!({"value": seconds / 3600, "unit": "h", "system": "http://unitsofmeasure.org", "code": "h"})
    } else {
        json!({"value": seconds.div_ceil(60), "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"})
    }
}

/// Whether `t` opens a task: it names an owner and enters a state that is not terminal.
fn opens_task(spec: &Spec, t: &SpecTransition) -> bool {
    (t.owner.is_some() || !t.owner_at.is_empty())
        && spec.state(&t.to).is_some_and(|s| s.kind != StateKind::Terminal)
}

pub(super) fn write(spec: &Spec) -> Result<String> {
    let version = spec.semver();
    let status = if spec.number.is_some() { "active" } else { "draft" };
    let base = format!("urn:baton:{}", fhir_id(&spec.workflow_id));
    let states_url = format!("{base}:states");
    let plan_url = format!("{base}:plan");
    let task_url = |t: &SpecTransition| format!("{base}:task:{}", fhir_id(&t.id));
    let label = format!("{} ({})", spec.workflow, spec.version_label());
    let name = pascal(&spec.workflow);
    let mut entries: Vec<Value> = Vec::new();
    let mut add = |key: &str, resource: Value| {
        entries.push(json!({"fullUrl": uuid(&[&spec.workflow_id, &version, key]), "resource": resource}));
    };

    add(
        "CodeSystem",
        json!({
            "resourceType": "CodeSystem",
            "id": fhir_id(&format!("{}-states", spec.workflow_id)),
            "url": states_url,
            "version": version,
            "name": format!("{name}States"),
            "title": format!("Business states of {label}"),
            "status": status,
            "caseSensitive": true,
            "content": "complete",
            "concept": spec.states.iter().map(|s| {
                let mut c = json!({"code": s.id, "display": s.name});
                if !s.meaning.is_empty() {
                    c["definition"] = Value::String(s.meaning.clone());
                }
                c
            }).collect::<Vec<_>>(),
        }),
    );
    add(
        "ValueSet",
        json!({
            "resourceType": "ValueSet",
            "id": fhir_id(&format!("{}-states", spec.workflow_id)),
            "url": format!("{base}:states-valueset"),
            "version": version,
            "name": format!("{name}States"),
            "title": format!("Task.businessStatus codes of {label}"),
            "status": status,
            "compose": {"include": [{"system": states_url, "version": version}]},
        }),
    );
    for t in spec.transitions.iter().filter(|t| opens_task(spec, t)) {
        let state = spec.state(&t.to).map_or_else(|| t.to.clone(), |s| s.name.clone());
        let task = spec.state(&t.to).map_or_else(|| t.to.clone(), |s| s.task_title().to_string());
        let owner = t.owner.as_deref().map(|r| spec.role_name(r));
        let mut description = format!("Opened when the case enters \"{state}\" (event {}).", t.event);
        if let Some(o) = &owner {
            description.push_str(&format!(" Owner: {o}."));
        }
        for (facility, role) in &t.owner_at {
            description.push_str(&format!(" At {facility}: {}.", spec.role_name(role)));
        }
        if let (Some(s), Some(role)) = (t.timer_seconds, &t.escalate_to) {
            description.push_str(&format!(
                " Escalates to {} {} if still open.",
                spec.role_name(role),
                after(s)
            ));
        }
        let mut definition = json!({
            "resourceType": "ActivityDefinition",
            "id": fhir_id(&format!("{}-task", t.id)),
            "url": task_url(t),
            "version": version,
            "name": format!("{name}{}", pascal(&task)),
            "title": task,
            "status": status,
            "description": description,
            "kind": "Task",
            "participant": [{"type": "practitioner", "role": {"text": owner.clone().unwrap_or_else(|| "per facility".into())}}],
        });
        if let (Some(s), Some(_)) = (t.timer_seconds, &t.escalate_to) {
            definition["timingDuration"] = duration(s);
        }
        add(&format!("ActivityDefinition/{}", t.id), definition);
    }
    let actions: Vec<Value> = spec
        .transitions
        .iter()
        .map(|t| {
            let from = spec.state(&t.from).map_or_else(|| t.from.clone(), |s| s.name.clone());
            let to = spec.state(&t.to).map_or_else(|| t.to.clone(), |s| s.name.clone());
            let mut action = json!({
                "id": fhir_id(&t.id),
                "title": format!("{from} → {to} on {}", t.event),
                "trigger": [{"type": "named-event", "name": t.event}],
            });
            let mut parts = Vec::new();
            if let Some(p) = t.priority {
                parts.push(format!("Priority {p} among the transitions on {}.", t.event));
            }
            for wb in &t.write_backs {
                parts.push(format!("Writes back {} = {}.", wb.field, wb.value));
            }
            if !parts.is_empty() {
                action["description"] = Value::String(parts.join(" "));
            }
            if let Some(g) = &t.guard {
                action["condition"] = json!([{"kind": "applicability", "expression": {
                    "description": t.guard_text,
                    "language": "text/fhirpath",
                    "expression": render(g, Dialect::FhirPath),
                }}]);
            }
            let related: Vec<Value> = spec
                .incoming(&t.from)
                .map(|i| json!({"actionId": fhir_id(&i.id), "relationship": "after-end"}))
                .collect();
            if !related.is_empty() {
                action["relatedAction"] = Value::Array(related);
            }
            if opens_task(spec, t) {
                action["definitionCanonical"] = Value::String(format!("{}|{version}", task_url(t)));
            }
            action
        })
        .collect();
    let narrative = format!(
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{}: the proposed workflow as a definition EMR teams can load and align \
         with (business states for Task.businessStatus, the tasks and who owns them, the transitions with their events and \
         conditions). EMRs do not execute it; an orchestrator runs the BPMN, Serverless Workflow, XState or SCXML export of the \
         same version.</p></div>",
        crate::xml::escape(&label)
    );
    add(
        "PlanDefinition",
        json!({
            "resourceType": "PlanDefinition",
            "id": fhir_id(&format!("{}-plan", spec.workflow_id)),
            "text": {"status": "generated", "div": narrative},
            "url": plan_url,
            "version": version,
            "name": name,
            "title": label,
            "type": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/plan-definition-type",
                "code": "workflow-definition",
                "display": "Workflow Definition",
            }]},
            "status": status,
            "description": if spec.description.is_empty() { spec.workflow.clone() } else { spec.description.clone() },
            "action": actions,
        }),
    );
    for s in &spec.states {
        let owned = spec.incoming(&s.id).any(|t| opens_task(spec, t));
        let task_status = match s.kind {
            StateKind::Initial => "requested",
            StateKind::Terminal => "completed",
            StateKind::Intermediate if owned => "ready",
            StateKind::Intermediate => "in-progress",
        };
        add(
            &format!("Task/{}", s.id),
            json!({
                "resourceType": "Task",
                "id": fhir_id(&format!("{}-example", s.id)),
                "instantiatesCanonical": format!("{plan_url}|{version}"),
                "status": task_status,
                "businessStatus": {
                    "coding": [{"system": states_url, "version": version, "code": s.id, "display": s.name}],
                    "text": s.name,
                },
                "intent": "order",
                "code": {"text": spec.workflow},
                "description": format!("Example: a case of {} in \"{}\"", spec.workflow, s.name),
            }),
        );
    }
    json_text(&json!({
        "resourceType": "Bundle",
        "id": fhir_id(&format!("{}-{}", spec.workflow_id, version)),
        "type": "collection",
        "entry": entries,
    }))
}
