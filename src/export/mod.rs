//! Exports of a proposed version for orchestrators and documentation. Every format is written
//! from one `Spec` (the version with names resolved and guards parsed), and the output is
//! deterministic: an unchanged version gives the same bytes.

mod baton_json;
mod bpmn;
mod fhir;
mod mermaid;
mod scxml;
mod serverless;
mod telemetry;
mod xstate;

pub use baton_json::{BATON_JSON_VERSION, BatonJson, import_baton_json, schema as baton_json_schema};

use crate::design::guard::{self, Dialect, Guard};
use crate::design::timer::parse_duration;
use crate::error::{Error, Result};
use crate::model::{Model, StateKind, WriteBack};

/// The export formats, by the names `--format` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Bpmn,
    ServerlessWorkflow,
    ServerlessWorkflowJson,
    Xstate,
    Scxml,
    BatonJson,
    Mermaid,
    TelemetrySpec,
    /// A FHIR R4 Bundle: a definition EMR teams can align with, not something EMRs execute.
    Fhir,
}

impl Format {
    pub const NAMES: [&'static str; 8] =
        ["bpmn", "serverless-workflow", "xstate", "scxml", "baton-json", "mermaid", "telemetry-spec", "fhir"];

    /// The format `name` names; `serverless-workflow` is JSON when `output` ends in `.json`.
    pub fn parse(name: &str, output: &std::path::Path) -> Result<Format> {
        let json = output.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        Ok(match name {
            "bpmn" => Format::Bpmn,
            "serverless-workflow" if json => Format::ServerlessWorkflowJson,
            "serverless-workflow" => Format::ServerlessWorkflow,
            "xstate" => Format::Xstate,
            "scxml" => Format::Scxml,
            "baton-json" => Format::BatonJson,
            "mermaid" => Format::Mermaid,
            "telemetry-spec" => Format::TelemetrySpec,
            "fhir" => Format::Fhir,
            other => {
                return Err(Error::invalid(
                    "format",
                    format!("unknown export format {other:?}: use one of {}", Format::NAMES.join(", ")),
                ));
            }
        })
    }

    /// The usual file name ending.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Bpmn => "bpmn",
            Format::ServerlessWorkflow => "sw.yaml",
            Format::ServerlessWorkflowJson => "sw.json",
            Format::Xstate => "xstate.json",
            Format::Scxml => "scxml",
            Format::BatonJson => "baton.json",
            Format::Mermaid => "mmd",
            Format::TelemetrySpec => "telemetry.json",
            Format::Fhir => "fhir.json",
        }
    }
}

/// A proposed version ready to export.
#[derive(Debug, Clone)]
pub struct Spec {
    pub workflow_id: String,
    pub workflow: String,
    pub description: String,
    /// `None` for the draft.
    pub number: Option<i64>,
    pub note: String,
    /// In their order in the version.
    pub states: Vec<SpecState>,
    /// In their order in the version.
    pub transitions: Vec<SpecTransition>,
    /// The events the transitions use, by name, with their fields.
    pub events: Vec<crate::model::EventType>,
    /// (id, name) of the roles the version names, by name.
    pub roles: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct SpecState {
    pub id: String,
    pub name: String,
    pub kind: StateKind,
    pub meaning: String,
    /// The task entering it opens, named for the work (empty when no owned transition enters it).
    pub task: String,
    /// For a state that opens no task and is not terminal (the first): (id, name) of the role that
    /// acts in it, who performs the event leaving it (`diagram::actor`), for its lane.
    pub actor: Option<(String, String)>,
}

impl SpecState {
    /// The name people read for its task: the task's, else (not yet named) the state's.
    pub fn task_title(&self) -> &str {
        if self.task.trim().is_empty() { &self.name } else { &self.task }
    }
}

#[derive(Debug, Clone)]
pub struct SpecTransition {
    pub id: String,
    pub from: String,
    pub to: String,
    pub event: String,
    pub guard_text: String,
    pub guard: Option<Guard>,
    pub owner: Option<String>,
    /// (facility id, role id), by facility.
    pub owner_at: Vec<(String, String)>,
    pub timer: String,
    pub timer_seconds: Option<u64>,
    pub escalate_to: Option<String>,
    pub write_backs: Vec<WriteBack>,
    pub priority: Option<i64>,
}

/// What a transition sets up in the state it enters: who owns the task, and its timer
/// (docs/semantics.md). A state entered with different set-ups is one element per way in, in
/// formats where an element cannot ask which transition entered it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Setup {
    pub owner: Option<String>,
    /// (facility id, role id), by facility.
    pub owner_at: Vec<(String, String)>,
    /// (ISO 8601 duration, escalation role).
    pub timer: Option<(String, Option<String>)>,
}

impl Setup {
    pub fn of(t: &SpecTransition) -> Setup {
        Setup {
            owner: t.owner.clone(),
            owner_at: t.owner_at.clone(),
            timer: t.timer_seconds.map(|_| (t.timer.clone(), t.escalate_to.clone())),
        }
    }
}

impl Spec {
    /// The ways into each state: the initial state as the case starts (`None`), then every
    /// transition's target with what that transition sets up, each once, in the version's order.
    pub fn ways(&self) -> Vec<(String, Option<Setup>)> {
        let mut ways: Vec<(String, Option<Setup>)> = Vec::new();
        if let Some(initial) = self.initial() {
            ways.push((initial.id.clone(), None));
        }
        for t in &self.transitions {
            let way = (t.to.clone(), Some(Setup::of(t)));
            if !ways.contains(&way) {
                ways.push(way);
            }
        }
        ways
    }

    /// The version `version_id` of the model; it must be valid (`baton validate`).
    pub fn of(m: &Model, version_id: &str) -> Result<Spec> {
        let version = m
            .versions
            .iter()
            .find(|v| v.id == version_id)
            .ok_or_else(|| Error::NotFound(format!("no version {version_id:?} in this project")))?;
        let problems = crate::design::validate(m, version_id);
        if let Some(p) = problems.first() {
            return Err(Error::invalid(
                "version",
                format!(
                    "the version has {} problem(s) to fix before export; first: [{}] {}: {} (see baton validate)",
                    problems.len(),
                    p.rule,
                    p.subject,
                    p.message
                ),
            ));
        }
        let workflow = m.workflows.iter().find(|w| w.id == version.workflow_id);
        let mut states: Vec<&crate::model::ProposedState> =
            m.proposed_states.iter().filter(|s| s.version_id == version_id).collect();
        states.sort_by_key(|s| s.position);
        let mut transitions: Vec<&crate::model::Transition> =
            m.transitions.iter().filter(|t| t.version_id == version_id).collect();
        transitions.sort_by_key(|t| t.position);
        let mut event_names: Vec<&str> = transitions.iter().map(|t| t.event.as_str()).collect();
        event_names.sort();
        event_names.dedup();
        let events: Vec<crate::model::EventType> =
            event_names.iter().filter_map(|n| m.events.iter().find(|e| e.name == *n).cloned()).collect();
        let mut roles: Vec<(String, String)> = transitions
            .iter()
            .flat_map(|t| {
                t.owner_role_id
                    .iter()
                    .chain(t.escalate_to_role_id.iter())
                    .chain(t.overrides.iter().map(|o| &o.role_id))
            })
            .filter_map(|id| m.roles.iter().find(|r| &r.id == id).map(|r| (r.id.clone(), r.name.clone())))
            .collect();
        roles.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        roles.dedup();
        let transitions = transitions
            .into_iter()
            .map(|t| {
                let fields = events.iter().find(|e| e.name == t.event).map_or(&[][..], |e| &e.fields);
                let guard = if t.guard.trim().is_empty() {
                    None
                } else {
                    Some(
                        guard::parse(&t.guard, &guard::scope(fields))
                            .map_err(|e| Error::invalid("guard", e))?,
                    )
                };
                Ok(SpecTransition {
                    id: t.id.clone(),
                    from: t.from_state_id.clone(),
                    to: t.to_state_id.clone(),
                    event: t.event.clone(),
                    guard_text: guard.as_ref().map_or_else(String::new, |g| guard::render(g, Dialect::Baton)),
                    guard,
                    owner: t.owner_role_id.clone(),
                    owner_at: t
                        .overrides
                        .iter()
                        .map(|o| (o.facility_id.clone(), o.role_id.clone()))
                        .collect(),
                    timer: t.timer.trim().to_string(),
                    timer_seconds: parse_duration(&t.timer),
                    escalate_to: t.escalate_to_role_id.clone(),
                    write_backs: t.write_backs.clone(),
                    priority: t.priority,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Spec {
            workflow_id: version.workflow_id.clone(),
            workflow: workflow.map_or_else(String::new, |w| w.name.clone()),
            description: workflow.map_or_else(String::new, |w| w.description.clone()),
            number: version.number,
            note: version.note.clone(),
            states: states
                .into_iter()
                .map(|s| SpecState {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    kind: s.kind,
                    meaning: s.meaning.clone(),
                    task: s.task.clone(),
                    actor: Some(s)
                        .filter(|s| {
                            s.kind != StateKind::Terminal && !crate::design::task::opens_task(m, &s.id)
                        })
                        .and_then(|s| {
                            m.transitions
                                .iter()
                                .filter(|t| t.from_state_id == s.id)
                                .min_by_key(|t| t.position)
                                .and_then(|t| crate::diagram::actor(m, &version.workflow_id, &t.event))
                        })
                        .and_then(|id| {
                            m.roles.iter().find(|r| r.id == id).map(|r| (r.id.clone(), r.name.clone()))
                        }),
                })
                .collect(),
            transitions,
            events,
            roles,
        })
    }

    pub fn state(&self, id: &str) -> Option<&SpecState> {
        self.states.iter().find(|s| s.id == id)
    }

    pub fn initial(&self) -> Option<&SpecState> {
        self.states.iter().find(|s| s.kind == StateKind::Initial)
    }

    pub fn outgoing(&self, state: &str) -> impl Iterator<Item = &SpecTransition> {
        self.transitions.iter().filter(move |t| t.from == state)
    }

    /// The transitions into `state` (which create its task).
    pub fn incoming(&self, state: &str) -> impl Iterator<Item = &SpecTransition> {
        self.transitions.iter().filter(move |t| t.to == state)
    }

    pub fn role_name(&self, id: &str) -> String {
        self.roles.iter().find(|r| r.0 == id).map_or_else(|| id.to_string(), |r| r.1.clone())
    }

    /// "version 1" or "draft".
    pub fn version_label(&self) -> String {
        self.number.map_or_else(|| "draft".to_string(), |n| format!("version {n}"))
    }

    /// A semantic version for formats that need one: `1.0.0`, or `0.0.0-draft`.
    pub fn semver(&self) -> String {
        self.number.map_or_else(|| "0.0.0-draft".to_string(), |n| format!("{n}.0.0"))
    }
}

/// The export of version `version_id` in `format`.
pub fn export(m: &Model, version_id: &str, format: Format) -> Result<String> {
    let spec = Spec::of(m, version_id)?;
    match format {
        Format::Mermaid => Ok(mermaid::write(&spec)),
        Format::Xstate => xstate::write(&spec),
        Format::Scxml => Ok(scxml::write(&spec)),
        Format::ServerlessWorkflow => serverless::write(&spec, false),
        Format::ServerlessWorkflowJson => serverless::write(&spec, true),
        Format::BatonJson => baton_json::write(&spec),
        Format::TelemetrySpec => telemetry::write(&spec),
        Format::Fhir => fhir::write(&spec),
        Format::Bpmn => bpmn::write(&spec),
    }
}

/// Pretty JSON with a final newline.
fn json_text(value: &serde_json::Value) -> Result<String> {
    let mut text =
        serde_json::to_string_pretty(value).map_err(|e| Error::invalid("export", e.to_string()))?;
    text.push('\n');
    Ok(text)
}

impl crate::store::Project {
    /// Writes version `version_id` as `format` to `path` and records it in the audit trail;
    /// returns the text written.
    pub fn export_version(
        &mut self,
        version_id: &str,
        format: Format,
        path: &std::path::Path,
    ) -> Result<String> {
        let m = self.model()?;
        let text = export(&m, version_id, format)?;
        crate::store::write_atomically(path, text.as_bytes())?;
        let v = m.versions.iter().find(|v| v.id == version_id);
        let workflow =
            v.and_then(|v| m.workflows.iter().find(|w| w.id == v.workflow_id)).map_or("", |w| &w.name);
        let which = v.and_then(|v| v.number).map_or_else(|| "draft".to_string(), |n| format!("version {n}"));
        self.record("export", &format!("{} ({workflow} {which}, {})", path.display(), format.extension()))?;
        Ok(text)
    }
}
