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
        Fhir => "fhir",
    }
);

impl ExportFormat {
    /// The core's export format for a file at `path`.
    pub fn format(self, path: &std::path::Path) -> Result<crate::export::Format> {
        crate::export::Format::parse(self.as_str(), path)
    }
}

/// Where an export chosen as `path` is written: with the format's usual ending when the name has
/// none ("respiratory" becomes "respiratory.bpmn"), so a saved file opens in the tool meant for it.
pub fn export_path(format: crate::export::Format, path: &std::path::Path) -> std::path::PathBuf {
    let has_ending = path.file_name().is_some_and(|n| n.to_string_lossy().contains('.'));
    if has_ending {
        path.to_path_buf()
    } else {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{}", format.extension()));
        std::path::PathBuf::from(name)
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
    /// The task entering it opens, named for the work (may be empty while unnamed).
    pub task: String,
    /// Whether entering it opens a task (an owned transition enters it; not terminal).
    pub opens_task: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct TransitionRow {
    pub id: String,
    /// As the transition form holds it.
    pub fields: TransitionInput,
    /// "Due → Charted by RT on assessment_completed".
    pub summary: String,
    /// The timer as people read it ("after 2 hours"), or empty.
    pub timer: String,
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
                task: s.task.clone(),
                opens_task: crate::design::task::opens_task(m, &s.id),
            })
            .collect(),
        transitions: transitions
            .iter()
            .map(|t| TransitionRow {
                id: t.id.clone(),
                summary: crate::design::validate::describe(m, t),
                timer: crate::design::timer::parse_duration(&t.timer)
                    .map(crate::design::timer::after)
                    .unwrap_or_default(),
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

/// A value typed into the walk-through's event form, by field name; read by the field's declared
/// type (a number that does not parse, or an empty box, is a missing field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FieldValue {
    pub name: String,
    pub value: String,
}

/// One step the consultant took in the walk-through: an event at a time, or time passing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct WalkInput {
    /// RFC 3339.
    pub at: String,
    pub event: Option<String>,
    pub data: Vec<FieldValue>,
}

/// Where a case walked through a version is: its trace, the state and its open tasks (by role
/// name), what can happen next, and the version's swimlanes with the state outlined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct WalkView {
    pub trace: crate::design::Trace,
    pub state: String,
    pub finished: bool,
    /// "Charted by RT — RN".
    pub open_tasks: Vec<String>,
    /// The events the current state expects, with their fields.
    pub next_events: Vec<EventChoice>,
    /// When the running timer runs out (RFC 3339), and what it is for people.
    pub deadline: Option<String>,
    pub timer: Option<String>,
    /// The time of the last step (RFC 3339): the next one comes after it.
    pub now: String,
    pub svg: String,
}

/// The walk-through's start: a case that starts at this time.
pub const WALK_START: &str = "2026-01-05T08:00:00Z";

/// Version `version_id` walked through `inputs` for a case at `facility`.
pub fn walk_through(
    m: &Model,
    version_id: &str,
    facility: Option<&str>,
    inputs: &[WalkInput],
) -> Result<WalkView> {
    use crate::design::guard::Datum;
    use crate::design::simulate::{Definition, Input, Machine, parse_time, timestamp};
    let version = m
        .versions
        .iter()
        .find(|v| v.id == version_id)
        .ok_or_else(|| Error::NotFound(format!("no version {version_id:?} in this project")))?;
    let def = Definition::of(m, version_id)?;
    let mut parsed = Vec::new();
    for (i, w) in inputs.iter().enumerate() {
        let at = parse_time(&w.at).ok_or_else(|| {
            Error::invalid("at", format!("step {}: {:?} is not an RFC 3339 time", i + 1, w.at))
        })?;
        let fields = w
            .event
            .as_ref()
            .and_then(|e| m.events.iter().find(|x| &x.name == e))
            .map(|e| e.fields.as_slice())
            .unwrap_or_default();
        let mut data = std::collections::BTreeMap::new();
        for f in &w.data {
            let value = f.value.trim();
            let datum = match fields.iter().find(|x| x.name == f.name).map(|x| x.kind) {
                _ if value.is_empty() => None,
                Some(FieldKind::Number) => value.parse::<f64>().ok().map(Datum::Number),
                Some(FieldKind::Boolean) => match value {
                    "true" => Some(Datum::Bool(true)),
                    "false" => Some(Datum::Bool(false)),
                    _ => None,
                },
                _ => Some(Datum::Text(value.to_string())),
            };
            if let Some(d) = datum {
                data.insert(f.name.clone(), d);
            }
        }
        parsed.push(Input { at, event: w.event.clone(), data });
    }
    crate::design::simulate::check_time_order(&parsed, "steps")?;
    let mut case = Machine::start(&def, facility);
    case.feed(&parsed);
    let trace = case.trace();
    let role = |id: &str| m.roles.iter().find(|r| r.id == id).map_or(id, |r| r.name.as_str()).to_string();
    let state_id = case.state().to_string();
    let mut expected: Vec<&str> = m
        .transitions
        .iter()
        .filter(|t| t.version_id == version_id && t.from_state_id == state_id && !case.finished())
        .map(|t| t.event.as_str())
        .collect();
    expected.sort_unstable();
    expected.dedup();
    let next_events = expected
        .into_iter()
        .map(|name| {
            let e = m.events.iter().find(|e| e.name == name);
            EventChoice {
                name: name.to_string(),
                description: e.map(|e| e.description.clone()).unwrap_or_default(),
                fields: e
                    .map(|e| e.fields.iter().map(|f| format!("{}: {}", f.name, f.kind.as_str())).collect())
                    .unwrap_or_default(),
                activities: e.map(|e| e.activities.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let timer = case.timer_seconds();
    let deadline = case.deadline();
    let start = parse_time(WALK_START).unwrap_or_default();
    let now = parsed.last().map_or(start, |i| i.at);
    let mut marks = std::collections::BTreeMap::new();
    marks.insert(state_id, "current".to_string());
    let svg = diagram_of(m, &version.workflow_id, which(version), Orientation::Horizontal)
        .map(|d| svg::render_svg_marked(&d, &marks))?;
    Ok(WalkView {
        state: trace.final_state.clone(),
        finished: trace.finished,
        open_tasks: trace.open_tasks.iter().map(|t| format!("{} — {}", t.name, role(&t.role))).collect(),
        next_events,
        deadline: deadline.map(timestamp),
        timer: timer.map(crate::design::timer::after),
        now: timestamp(now),
        svg,
        trace,
    })
}
