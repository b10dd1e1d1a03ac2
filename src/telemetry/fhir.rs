//! FHIR Task histories as task telemetry: the versions of each Task (a `history` Bundle, NDJSON,
//! or any Bundle of Task versions), ordered by `lastModified`, become task events from the changes
//! between consecutive versions:
//! - the first version: `created`;
//! - an owner where there was none: `assigned`; a different owner: `reassigned`;
//! - status `accepted`: `accepted`; `in-progress` → `ready`/`requested`/`received` (the work was
//!   stopped and handed back): `reassigned`; `completed`: `completed`; `cancelled`, `rejected`,
//!   `failed` or `entered-in-error`: `cancelled`;
//! - a higher priority (routine < urgent < asap < stat): `escalated`;
//! - a new `statusReason` that says "override": `overridden`.
//!
//! The workflow and version come from `instantiatesCanonical` (`…/respiratory-assessment|2`), the
//! step from `code`, the role from `performerType` (else the PractitionerRole the owner refers
//! to), the facility from `location`, the time from `lastModified` (else `meta.lastUpdated`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::import::fhir::{code_of, facility_of, for_each_resource};
use crate::progress::Progress;

/// Which Task element each part of an event comes from (shown in the import summary).
pub const ELEMENTS: [(&str, &str); 8] = [
    ("task", "Task.id"),
    ("workflow", "Task.instantiatesCanonical"),
    ("version", "Task.instantiatesCanonical"),
    ("step", "Task.code"),
    ("event", "Task.status, owner, priority, statusReason (between versions)"),
    ("role", "Task.performerType"),
    ("facility", "Task.location"),
    ("timestamp", "Task.lastModified"),
];

/// One version of a Task, as read.
struct TaskVersion {
    at: String,
    order: usize,
    time: String,
    status: String,
    owner: String,
    priority: u8,
    reason: String,
    workflow: String,
    version: String,
    step: String,
    role: String,
    facility: String,
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn priority(p: &str) -> u8 {
    match p {
        "urgent" => 1,
        "asap" => 2,
        "stat" => 3,
        _ => 0,
    }
}

fn read_version(file: &str, at: &str, order: usize, task: &Value) -> Result<TaskVersion> {
    let canonical = text(task, "/instantiatesCanonical");
    if canonical.is_empty() {
        return Err(Error::input(
            file,
            format!("{at} (Task/{})", text(task, "/id")),
            "the Task has no instantiatesCanonical: Baton reads the workflow and version from it, e.g. \
             PlanDefinition/respiratory-assessment|2",
        ));
    }
    let (path, version) = canonical.split_once('|').unwrap_or((canonical, ""));
    let workflow = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    let owner = text(task, "/owner/reference");
    let role = task
        .pointer("/performerType/0")
        .and_then(code_of)
        .or_else(|| owner.strip_prefix("PractitionerRole/").map(str::to_string))
        .unwrap_or_default();
    let time = [text(task, "/lastModified"), text(task, "/meta/lastUpdated"), text(task, "/authoredOn")]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or("");
    if time.is_empty() {
        return Err(Error::input(
            file,
            format!("{at} (Task/{})", text(task, "/id")),
            "the Task version has no lastModified (nor meta.lastUpdated): a history needs the time of each change",
        ));
    }
    Ok(TaskVersion {
        at: at.to_string(),
        order,
        time: time.to_string(),
        status: text(task, "/status").to_string(),
        owner: owner.to_string(),
        priority: priority(text(task, "/priority")),
        reason: task.get("statusReason").and_then(code_of).unwrap_or_default().to_lowercase(),
        workflow: workflow.to_string(),
        version: version.to_string(),
        step: task.get("code").and_then(code_of).unwrap_or_default(),
        role,
        facility: facility_of(task)
            .or_else(|| task.pointer("/location/display").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_default(),
    })
}

/// The events the changes from `prev` to `v` stand for.
fn events(prev: Option<&TaskVersion>, v: &TaskVersion, assigned: &mut bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    let Some(p) = prev else {
        out.push("created");
        if !v.owner.is_empty() {
            *assigned = true;
            out.push("assigned");
        }
        if let Some(e) = status_event(None, &v.status) {
            out.push(e);
        }
        return out;
    };
    if v.owner != p.owner && !v.owner.is_empty() {
        out.push(if *assigned { "reassigned" } else { "assigned" });
        *assigned = true;
    }
    if v.status != p.status
        && let Some(e) = status_event(Some(&p.status), &v.status)
        && !(e == "reassigned" && out.contains(&"reassigned"))
    {
        out.push(e);
    }
    if v.priority > p.priority {
        out.push("escalated");
    }
    if v.reason != p.reason && v.reason.contains("overrid") {
        out.push("overridden");
    }
    out
}

fn status_event(from: Option<&str>, to: &str) -> Option<&'static str> {
    match (from, to) {
        (_, "accepted") => Some("accepted"),
        (Some("in-progress"), "ready" | "requested" | "received") => Some("reassigned"),
        (_, "completed") => Some("completed"),
        (_, "cancelled" | "rejected" | "failed" | "entered-in-error") => Some("cancelled"),
        _ => None,
    }
}

/// Whether `path` holds FHIR resources (a `resourceType` near the start).
pub fn is_fhir(head: &[u8]) -> bool {
    memchr::memmem::find(head, b"\"resourceType\"").is_some()
}

/// Reads the Task versions of `path` and hands each derived event to `add` as the nine parts of
/// `super::read::PARTS` (task, workflow, version, step, event, role, facility, timestamp, actor).
pub fn read_events(
    path: &Path,
    progress: &Progress,
    mut add: impl FnMut(&str, &[Cow<'_, str>; 9]) -> Result<()>,
) -> Result<Vec<String>> {
    let file = path.display().to_string();
    let mut tasks: BTreeMap<String, Vec<TaskVersion>> = BTreeMap::new();
    let mut skipped: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut order = 0;
    for_each_resource(path, progress, |at, resource| {
        let kind = text(resource, "/resourceType");
        if kind != "Task" {
            skipped.insert(format!("{kind} resources"));
            return Ok(());
        }
        let id = text(resource, "/id");
        if id.is_empty() {
            return Err(Error::input(
                file.clone(),
                at,
                "the Task has no id: a history groups versions by it",
            ));
        }
        order += 1;
        let v = read_version(&file, at, order, resource)?;
        tasks.entry(id.to_string()).or_default().push(v);
        Ok(())
    })?;
    for (id, versions) in &mut tasks {
        versions.sort_by(|a, b| (a.time.as_str(), a.order).cmp(&(b.time.as_str(), b.order)));
        let mut assigned = false;
        let mut prev: Option<&TaskVersion> = None;
        for v in versions.iter() {
            for event in events(prev, v, &mut assigned) {
                let parts: [Cow<'_, str>; 9] = [
                    id.as_str().into(),
                    v.workflow.as_str().into(),
                    v.version.as_str().into(),
                    v.step.as_str().into(),
                    event.into(),
                    v.role.as_str().into(),
                    v.facility.as_str().into(),
                    v.time.as_str().into(),
                    v.owner.as_str().into(),
                ];
                add(&v.at, &parts)?;
            }
            prev = Some(v);
        }
    }
    let mut dropped: Vec<String> = skipped.into_iter().collect();
    dropped.push("every other Task element (for, focus, note, input, output…)".into());
    Ok(dropped)
}
