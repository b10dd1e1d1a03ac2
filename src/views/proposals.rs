//! The Proposals screen: a workflow's versions (labelled and ordered here), one of them in full
//! (states, transitions as the form holds them, validation problems, the replay of the logs,
//! sign-offs, its swimlane diagram), the event catalog and the choices the forms offer; and two
//! versions compared.

use serde::Serialize;

use super::{Named, facilities, roles};
use crate::design::{Change, Problem, Replay, SignOffStatus, TransitionInput};
use crate::diagram::{Which, diagram_of, svg};
use crate::error::{Error, Result};
use crate::layout::Orientation;
use crate::model::{FieldKind, Model, StateKind, Version};
use crate::progress::Progress;
use crate::vocab::text_enum;

text_enum!(
    /// The export formats the export dialog offers (`serverless-workflow` is JSON when the file
    /// name ends in `.json`).
    ExportFormat {
        Bpmn => "bpmn",
        ServerlessWorkflow => "serverless-workflow",
        Xstate => "xstate",
        Scxml => "scxml",
        BatonJson => "baton-json",
        Mermaid => "mermaid",
        TelemetrySpec => "telemetry-spec",
    }
);

impl ExportFormat {
    /// The core's export format for a file at `path`.
    pub fn format(self, path: &std::path::Path) -> Result<crate::export::Format> {
        crate::export::Format::parse(self.as_str(), path)
    }
}

/// A version in the version picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct VersionChoice {
    pub id: String,
    /// "Version 1" or "Draft".
    pub label: String,
    pub draft: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct StateRow {
    pub id: String,
    pub name: String,
    pub kind: StateKind,
    pub meaning: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct TransitionRow {
    pub id: String,
    /// As the transition form holds it.
    pub fields: TransitionInput,
    /// "Due → Charted by RT on assessment_completed".
    pub summary: String,
}

/// One version in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct VersionDetail {
    pub id: String,
    pub label: String,
    pub draft: bool,
    pub note: String,
    /// In the version's order.
    pub states: Vec<StateRow>,
    pub transitions: Vec<TransitionRow>,
    pub problems: Vec<Problem>,
    pub replay: Replay,
    /// Sign-offs of this version, by date.
    pub signoffs: Vec<SignOffStatus>,
    /// The version's swimlane diagram (lanes = owning roles), as SVG.
    pub svg: String,
}

/// An event of the catalog, for the transition form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct EventChoice {
    pub name: String,
    pub description: String,
    /// `spo2: number`.
    pub fields: Vec<String>,
    /// Log activities that signal the event.
    pub activities: Vec<String>,
}

/// An EMR field with its values, for write-backs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct EmrFieldChoice {
    pub name: String,
    pub values: Vec<String>,
}

/// A workflow's proposed versions and one of them in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ProposalView {
    pub workflow_id: String,
    pub workflow: String,
    /// Published versions by number, then the draft.
    pub versions: Vec<VersionChoice>,
    /// The version shown; `None` when the workflow has none yet.
    pub version: Option<VersionDetail>,
    pub events: Vec<EventChoice>,
    pub roles: Vec<Named>,
    pub facilities: Vec<Named>,
    pub emr_fields: Vec<EmrFieldChoice>,
}

/// Two versions compared: the later one's diagram with what was added (green) and changed (amber)
/// outlined, and every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ComparisonView {
    pub svg: String,
    pub changes: Vec<Change>,
}

/// "Version N", or "Draft".
pub fn version_label(v: &Version) -> String {
    v.number.map_or_else(|| "Draft".to_string(), |n| format!("Version {n}"))
}

fn which(v: &Version) -> Which {
    v.number.map_or(Which::Draft, Which::Version)
}

/// The proposal view of `workflow_id`, showing `version_id` (else the latest: the draft when
/// there is one). The replay of the logs is the long part; `progress` can cancel it.
pub fn proposal(
    m: &Model,
    workflow_id: &str,
    version_id: Option<&str>,
    progress: &Progress,
) -> Result<ProposalView> {
    let workflow = super::workflow(m, workflow_id)?;
    let mut versions: Vec<&Version> = m.versions.iter().filter(|v| v.workflow_id == workflow_id).collect();
    versions.sort_by_key(|v| v.number.unwrap_or(i64::MAX));
    let shown =
        version_id.and_then(|id| versions.iter().find(|v| v.id == id)).or_else(|| versions.last()).copied();
    let version = shown.map(|v| detail(m, workflow_id, v, progress)).transpose()?;
    Ok(ProposalView {
        workflow_id: workflow_id.to_string(),
        workflow: workflow.name.clone(),
        versions: versions
            .iter()
            .map(|v| VersionChoice { id: v.id.clone(), label: version_label(v), draft: v.number.is_none() })
            .collect(),
        version,
        events: m
            .events
            .iter()
            .map(|e| EventChoice {
                name: e.name.clone(),
                description: e.description.clone(),
                fields: e.fields.iter().map(|f| format!("{}: {}", f.name, f.kind.as_str())).collect(),
                activities: e.activities.clone(),
            })
            .collect(),
        roles: roles(m),
        facilities: facilities(m),
        emr_fields: m
            .emr_fields
            .iter()
            .map(|f| EmrFieldChoice {
                name: f.name.clone(),
                values: m.emr_values.iter().filter(|v| v.field_id == f.id).map(|v| v.value.clone()).collect(),
            })
            .collect(),
    })
}

fn detail(m: &Model, workflow_id: &str, v: &Version, progress: &Progress) -> Result<VersionDetail> {
    let mut states: Vec<&crate::model::ProposedState> =
        m.proposed_states.iter().filter(|s| s.version_id == v.id).collect();
    states.sort_by_key(|s| s.position);
    let mut transitions: Vec<&crate::model::Transition> =
        m.transitions.iter().filter(|t| t.version_id == v.id).collect();
    transitions.sort_by_key(|t| t.position);
    let replay = crate::design::replay(m, &v.id, progress)?;
    let svg = diagram_of(m, workflow_id, which(v), Orientation::Horizontal)
        .map(|d| svg::render_svg(&d))
        .unwrap_or_default();
    Ok(VersionDetail {
        id: v.id.clone(),
        label: version_label(v),
        draft: v.number.is_none(),
        note: v.note.clone(),
        states: states
            .iter()
            .map(|s| StateRow {
                id: s.id.clone(),
                name: s.name.clone(),
                kind: s.kind,
                meaning: s.meaning.clone(),
            })
            .collect(),
        transitions: transitions
            .iter()
            .map(|t| TransitionRow {
                id: t.id.clone(),
                summary: crate::design::validate::describe(m, t),
                fields: TransitionInput {
                    from_state_id: t.from_state_id.clone(),
                    to_state_id: t.to_state_id.clone(),
                    event: t.event.clone(),
                    guard: t.guard.clone(),
                    owner_role_id: t.owner_role_id.clone(),
                    timer: t.timer.clone(),
                    escalate_to_role_id: t.escalate_to_role_id.clone(),
                    write_backs: t.write_backs.clone(),
                    priority: t.priority,
                    owner_at: t.overrides.clone(),
                },
            })
            .collect(),
        problems: crate::design::validate(m, &v.id),
        replay,
        signoffs: crate::design::signoffs(m, workflow_id)
            .into_iter()
            .filter(|s| s.version_id == v.id)
            .collect(),
        svg,
    })
}

/// Version `from` compared with version `to` of a workflow.
pub fn comparison(m: &Model, workflow_id: &str, from: &str, to: &str) -> Result<ComparisonView> {
    let version = m
        .versions
        .iter()
        .find(|v| v.id == to)
        .ok_or_else(|| Error::NotFound(format!("no version {to:?} in this project")))?;
    let changes = crate::design::diff(m, from, to);
    let (marks, _) = crate::design::marks_of(&changes);
    let svg = diagram_of(m, workflow_id, which(version), Orientation::Horizontal)
        .map(|d| svg::render_svg_marked(&d, &marks))?;
    Ok(ComparisonView { svg, changes })
}

/// Event fields as the event form sends them (`spo2: number`; no type means `string`).
pub fn event_fields(fields: &[String]) -> Result<Vec<(String, FieldKind)>> {
    fields
        .iter()
        .filter(|f| !f.trim().is_empty())
        .map(|f| {
            let (field, kind) = f.split_once(':').unwrap_or((f.as_str(), "string"));
            let kind = FieldKind::parse(kind.trim()).ok_or_else(|| {
                Error::invalid("fields", format!("{f:?}: the type is one of {}", FieldKind::expected()))
            })?;
            Ok((field.trim().to_string(), kind))
        })
        .collect()
}
