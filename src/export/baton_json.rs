//! `baton-json`: Baton's own export of a version, with a format version and a published JSON
//! Schema (`docs/schema/baton-workflow.schema.json`). Importing it gives back the version.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Spec;
use crate::bundle::format::{EventFile, ProposedStateFile, RoleFile, TransitionFile, WriteBackFile};
use crate::error::{Error, Result};
use crate::model::{OwnerOverride, ProposedState, StateKind, Transition, WriteBack};

/// The `format_version` this build writes. It reads this one and every earlier one:
/// - 1: states and transitions;
/// - 2: each state also names the task entering it opens (`task`).
pub const BATON_JSON_VERSION: u32 = 2;

/// A proposed version as `baton-json` holds it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatonJson {
    /// Always `baton-workflow`.
    pub format: String,
    /// The version of this format: 2 (1 had no task names).
    #[schemars(range(min = 1, max = 2))]
    pub format_version: u32,
    pub workflow: WorkflowRef,
    /// The published version number; absent for a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub states: Vec<ProposedStateFile>,
    pub transitions: Vec<TransitionFile>,
    /// The events the transitions use, with their fields.
    pub events: Vec<EventFile>,
    /// The roles the transitions name.
    pub roles: Vec<RoleFile>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowRef {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

pub(super) fn write(spec: &Spec) -> Result<String> {
    let doc = BatonJson {
        format: "baton-workflow".into(),
        format_version: BATON_JSON_VERSION,
        workflow: WorkflowRef {
            id: spec.workflow_id.clone(),
            name: spec.workflow.clone(),
            description: spec.description.clone(),
        },
        version: spec.number,
        note: spec.note.clone(),
        states: spec
            .states
            .iter()
            .map(|s| ProposedStateFile {
                id: s.id.clone(),
                name: s.name.clone(),
                kind: s.kind.as_str().into(),
                meaning: s.meaning.clone(),
                task: Some(s.task.clone()).filter(|t| !t.is_empty()),
            })
            .collect(),
        transitions: spec
            .transitions
            .iter()
            .map(|t| TransitionFile {
                id: t.id.clone(),
                from: t.from.clone(),
                to: t.to.clone(),
                event: t.event.clone(),
                guard: t.guard_text.clone(),
                owner: t.owner.clone(),
                timer: t.timer.clone(),
                escalate_to: t.escalate_to.clone(),
                write_back: t.write_backs.iter().map(WriteBackFile::from).collect(),
                priority: t.priority,
                owner_at: t.owner_at.iter().cloned().collect(),
            })
            .collect(),
        events: spec
            .events
            .iter()
            .map(|e| EventFile {
                name: e.name.clone(),
                description: e.description.clone(),
                fields: e.fields.iter().map(|f| (f.name.clone(), f.kind.as_str().to_string())).collect(),
                activities: Vec::new(),
            })
            .collect(),
        roles: spec
            .roles
            .iter()
            .map(|(id, name)| RoleFile { id: id.clone(), name: name.clone(), description: String::new() })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| Error::invalid("export", e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// The JSON Schema of `baton-json`.
pub fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(BatonJson);
    schema.insert("title".into(), serde_json::json!("Baton workflow export (baton-json)"));
    schema.to_value()
}

/// Reads a `baton-json` document: the version's states and transitions, under `version_id`.
/// A state without `task` (every state of a version 1 document) comes back with an empty task:
/// `design::task::fill_missing` names it once the version is in a model with its workflow's steps.
pub fn import_baton_json(
    text: &str,
    file: &str,
    version_id: &str,
) -> Result<(BatonJson, Vec<ProposedState>, Vec<Transition>)> {
    let doc: BatonJson = serde_json::from_str(text).map_err(|e| {
        Error::input(file, format!("line {}", e.line()), format!("not a baton-json document: {e}"))
    })?;
    if doc.format != "baton-workflow" || !(1..=BATON_JSON_VERSION).contains(&doc.format_version) {
        return Err(Error::input(
            file,
            "format_version",
            format!(
                "this is {} version {}; this Baton reads baton-workflow versions 1 to {BATON_JSON_VERSION}",
                doc.format, doc.format_version
            ),
        ));
    }
    let states = doc
        .states
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Ok(ProposedState {
                id: s.id.clone(),
                version_id: version_id.into(),
                name: s.name.clone(),
                kind: StateKind::parse(&s.kind).ok_or_else(|| {
                    Error::input(
                        file,
                        format!("states[{i}].kind"),
                        format!("use one of {}", StateKind::expected()),
                    )
                })?,
                meaning: s.meaning.clone(),
                task: s.task.clone().unwrap_or_default(),
                position: i as i64,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let transitions = doc
        .transitions
        .iter()
        .enumerate()
        .map(|(i, t)| Transition {
            id: t.id.clone(),
            version_id: version_id.into(),
            from_state_id: t.from.clone(),
            to_state_id: t.to.clone(),
            event: t.event.clone(),
            guard: t.guard.clone(),
            owner_role_id: t.owner.clone(),
            timer: t.timer.clone(),
            escalate_to_role_id: t.escalate_to.clone(),
            write_backs: t.write_back.iter().map(WriteBack::from).collect(),
            position: i as i64,
            priority: t.priority,
            overrides: t
                .owner_at
                .iter()
                .map(|(f, r)| OwnerOverride { facility_id: f.clone(), role_id: r.clone() })
                .collect(),
        })
        .collect();
    Ok((doc, states, transitions))
}
