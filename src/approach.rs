//! Where each workflow stands: which of the four integration approaches (DESIGN.md, "Where a
//! workflow stands") its current state and its latest proposed version reach, computed from the
//! model with the evidence for every cell. Never from the audit trail: bundles do not carry it.
//!
//! The rules (the README gives them word for word):
//! - current state: role logic is handled when every step has exactly one owner at every facility
//!   and no ownership finding stands; state is shared across systems when every business state
//!   has a mapped EMR value at every facility and no ambiguous-status or invisible-state finding
//!   stands; measured never (telemetry measures proposed versions' tasks);
//! - a proposed version: role logic is handled when every task has exactly one owner at every
//!   facility and the version validates; state is shared when every business state has a mapped
//!   EMR value and every transition into a state the EMR shows writes that state's value back;
//!   measured when telemetry is imported for the version.
//!
//! A finding stands unless it was dismissed: an accepted finding is a real problem still there.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::design;
use crate::findings::{Finding, about_workflow, loose};
use crate::model::{ClaimKind, FindingKind, FindingStatus, Model, StateKind, Version};

/// How each cell is decided, as the report and the README state it.
pub const RULES: [&str; 7] = [
    "Current state, handles role logic: every current-state step has exactly one owner at every facility (the role the interviews there say performs it, else the step's owner), and no ownership finding (ownership drift, unconfirmed owner, contested ownership, orphan step, role mismatch) stands.",
    "Current state, supports cross-system state: every business state of the workflow has a mapped EMR value at every facility, and no ambiguous-status or invisible-state finding stands.",
    "Current state, measured: never; task telemetry measures a proposed version's tasks.",
    "Proposed version, handles role logic: every task (a transition into a non-terminal state) has exactly one owner at every facility, and the version passes validation.",
    "Proposed version, supports cross-system state: every business state has a mapped EMR value, and every transition into a state the EMR shows (a state named as a mapped business state) writes one of that state's values back.",
    "Proposed version, measured: task telemetry is imported for that version.",
    "A finding stands unless it was dismissed. Both properties and measurement make orchestrator + telemetry; both without measurement, event-driven orchestrator; role logic alone, EMR-only configuration; otherwise data-centric integration.",
];

/// The four approaches, from least to most integrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Approach {
    DataCentric,
    EmrOnly,
    EventDriven,
    OrchestratorTelemetry,
}

impl Approach {
    pub fn label(self) -> &'static str {
        match self {
            Approach::DataCentric => "data-centric integration",
            Approach::EmrOnly => "EMR-only configuration",
            Approach::EventDriven => "event-driven orchestrator",
            Approach::OrchestratorTelemetry => "orchestrator + telemetry",
        }
    }

    /// The approach two properties and measurement give. State shared without role logic is
    /// still data-centric: no approach orchestrates state without owners.
    pub fn of(role_logic: bool, shared_state: bool, measured: bool) -> Approach {
        match (role_logic, shared_state, measured) {
            (true, true, true) => Approach::OrchestratorTelemetry,
            (true, true, false) => Approach::EventDriven,
            (true, false, _) => Approach::EmrOnly,
            _ => Approach::DataCentric,
        }
    }
}

/// One property: whether it holds, and why, in sentences a reader can check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Cell {
    pub holds: bool,
    pub evidence: Vec<String>,
}

/// The current state or one version, judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Stand {
    /// "Current state", "Version 2" or "Draft".
    pub label: String,
    /// The version number; `None` for the current state and a draft.
    pub version: Option<i64>,
    pub role_logic: Cell,
    pub shared_state: Cell,
    pub measured: Cell,
    pub approach: Approach,
    /// The approach as a person reads it.
    pub approach_label: String,
}

/// A workflow's current state and latest proposed version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Standing {
    pub workflow_id: String,
    pub workflow: String,
    pub current: Stand,
    /// The latest published version, else the draft; `None` when nothing is proposed yet.
    pub proposed: Option<Stand>,
}

/// The finding kinds that say a step's owner is not settled.
/// Owners that differ between facilities (facility divergence) are not among them: role logic
/// is judged per facility, where a task has its owner.
pub const OWNERSHIP_KINDS: [FindingKind; 5] = [
    FindingKind::OwnershipDrift,
    FindingKind::UnconfirmedOwner,
    FindingKind::ContestedOwnership,
    FindingKind::OrphanStep,
    FindingKind::RoleMismatch,
];

/// The finding kinds that say the EMR's status does not carry the business state.
pub const STATE_KINDS: [FindingKind; 2] = [FindingKind::AmbiguousStatus, FindingKind::InvisibleState];

/// Every workflow's standing (or the one `workflow_id` names), workflows by name. `findings`
/// are the project's, triage applied (`findings::analyze`).
pub fn standings(m: &Model, findings: &[Finding], workflow_id: Option<&str>) -> Vec<Standing> {
    let mut workflows: Vec<&crate::model::Workflow> =
        m.workflows.iter().filter(|w| workflow_id.is_none_or(|id| id == w.id)).collect();
    workflows.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    workflows
        .into_iter()
        .map(|w| Standing {
            workflow_id: w.id.clone(),
            workflow: w.name.clone(),
            current: current(m, findings, &w.id),
            proposed: latest(m, &w.id).map(|v| proposed(m, v)),
        })
        .collect()
}

fn latest<'m>(m: &'m Model, workflow_id: &str) -> Option<&'m Version> {
    let of = || m.versions.iter().filter(|v| v.workflow_id == workflow_id);
    of().filter(|v| v.number.is_some()).max_by_key(|v| v.number).or_else(|| of().find(|v| v.number.is_none()))
}

fn role(m: &Model, id: &str) -> String {
    m.roles.iter().find(|r| r.id == id).map_or_else(|| id.to_string(), |r| r.name.clone())
}

fn facility(m: &Model, id: &str) -> String {
    m.facilities.iter().find(|f| f.id == id).map_or_else(|| id.to_string(), |f| f.name.clone())
}

fn names(m: &Model, ids: &BTreeSet<String>) -> String {
    ids.iter().map(|r| role(m, r)).collect::<Vec<_>>().join(" and ")
}

fn facilities(m: &Model) -> Vec<&crate::model::Facility> {
    let mut f: Vec<_> = m.facilities.iter().collect();
    f.sort_by(|a, b| a.name.cmp(&b.name));
    f
}

fn standing_findings(
    m: &Model,
    findings: &[Finding],
    workflow_id: &str,
    kinds: &[FindingKind],
) -> Vec<String> {
    findings
        .iter()
        .filter(|f| {
            f.status != FindingStatus::Dismissed
                && kinds.contains(&f.kind)
                && about_workflow(m, f, workflow_id)
        })
        .map(|f| format!("{} finding stands: {}", f.kind.label(), f.title))
        .collect()
}

/// Mapped EMR values of a business state at a facility (a mapping for every facility counts).
fn mapped_at(m: &Model, state_id: &str, facility_id: &str) -> Vec<String> {
    let mut values: Vec<String> = m
        .mappings
        .iter()
        .filter(|x| x.state_id == state_id && x.facility_id.as_deref().is_none_or(|f| f == facility_id))
        .filter_map(|x| m.emr_values.iter().find(|v| v.id == x.value_id))
        .map(|v| v.value.clone())
        .collect();
    values.sort();
    values.dedup();
    values
}

fn current(m: &Model, findings: &[Finding], workflow_id: &str) -> Stand {
    // Role logic: who the interviews at each facility say performs each step.
    let mut steps: Vec<&crate::model::Step> = m
        .steps
        .iter()
        .filter(|s| s.workflow_id == workflow_id && s.kind != crate::model::StepKind::End)
        .collect();
    steps.sort_by_key(|s| s.position);
    let mut role_gaps = Vec::new();
    let mut owned = 0;
    for step in &steps {
        let mut fine = true;
        for f in facilities(m) {
            let said: Vec<&crate::model::Statement> = m
                .statements
                .iter()
                .filter(|s| s.step_id.as_deref() == Some(step.id.as_str()))
                .filter(|s| m.interviews.iter().any(|i| i.id == s.interview_id && i.facility_id == f.id))
                .collect();
            // Who the statements say performs it: their claims, else their "performed by".
            let mut owners: BTreeSet<String> = m
                .claims
                .iter()
                .filter(|c| c.kind == ClaimKind::Performs && c.owns)
                .filter(|c| said.iter().any(|s| s.id == c.statement_id))
                .map(|c| c.role_id.clone())
                .collect();
            if owners.is_empty() {
                owners.extend(said.iter().filter_map(|s| s.performed_by.clone()));
            }
            if owners.is_empty() {
                owners.extend(step.owner_role_id.clone());
            }
            match owners.len() {
                1 => {}
                0 => {
                    fine = false;
                    role_gaps.push(format!("“{}” has no owner at {}", step.name, f.name));
                }
                _ => {
                    fine = false;
                    role_gaps.push(format!(
                        "“{}” has {} owners at {}: {}",
                        step.name,
                        owners.len(),
                        f.name,
                        names(m, &owners)
                    ));
                }
            }
        }
        if fine {
            owned += 1;
        }
    }
    let ownership = standing_findings(m, findings, workflow_id, &OWNERSHIP_KINDS);
    let mut role_evidence =
        vec![format!("{} of {} steps have exactly one owner at every facility", owned, steps.len())];
    let role_holds = !steps.is_empty() && role_gaps.is_empty() && ownership.is_empty();
    if steps.is_empty() {
        role_evidence = vec!["the current-state map has no steps yet".to_string()];
    }
    role_evidence.extend(role_gaps);
    role_evidence.extend(ownership.iter().cloned());
    if role_holds {
        role_evidence.push("no ownership finding stands".to_string());
    }

    // State: every business state visible in the EMR at every facility.
    let mut business: Vec<&crate::model::BusinessState> =
        m.business_states.iter().filter(|b| b.workflow_id == workflow_id).collect();
    business.sort_by_key(|b| b.position);
    let mut state_gaps = Vec::new();
    let mut visible = 0;
    for b in &business {
        let missing: Vec<String> = facilities(m)
            .iter()
            .filter(|f| mapped_at(m, &b.id, &f.id).is_empty())
            .map(|f| f.name.clone())
            .collect();
        if missing.is_empty() {
            visible += 1;
        } else {
            state_gaps.push(format!("“{}” has no EMR value at {}", b.name, missing.join(", ")));
        }
    }
    let state_findings = standing_findings(m, findings, workflow_id, &STATE_KINDS);
    let state_holds = !business.is_empty() && state_gaps.is_empty() && state_findings.is_empty();
    let mut state_evidence = if business.is_empty() {
        vec!["the interviews name no business states yet".to_string()]
    } else {
        vec![format!(
            "{} of {} business states have a mapped EMR value at every facility",
            visible,
            business.len()
        )]
    };
    state_evidence.extend(state_gaps);
    state_evidence.extend(state_findings);
    if state_holds {
        state_evidence.push("no ambiguous-status or invisible-state finding stands".to_string());
    }

    let measured = Cell {
        holds: false,
        evidence: vec![
            "telemetry measures a proposed version's tasks; the current practice has none".to_string(),
        ],
    };
    let approach = Approach::of(role_holds, state_holds, false);
    Stand {
        label: "Current state".into(),
        version: None,
        role_logic: Cell { holds: role_holds, evidence: role_evidence },
        shared_state: Cell { holds: state_holds, evidence: state_evidence },
        measured,
        approach,
        approach_label: approach.label().into(),
    }
}

fn proposed(m: &Model, v: &Version) -> Stand {
    let label = v.number.map_or_else(|| "Draft".to_string(), |n| format!("Version {n}"));
    let states: Vec<&crate::model::ProposedState> =
        m.proposed_states.iter().filter(|s| s.version_id == v.id).collect();
    let state_name =
        |id: &str| states.iter().find(|s| s.id == id).map_or(id, |s| s.name.as_str()).to_string();
    let mut transitions: Vec<&crate::model::Transition> =
        m.transitions.iter().filter(|t| t.version_id == v.id).collect();
    transitions.sort_by_key(|t| t.position);

    // Role logic: every task has one owner at every facility, and the version validates.
    let tasks: Vec<&&crate::model::Transition> = transitions
        .iter()
        .filter(|t| states.iter().any(|s| s.id == t.to_state_id && s.kind != StateKind::Terminal))
        .collect();
    let mut role_gaps = Vec::new();
    let mut owned = 0;
    for t in &tasks {
        let before = role_gaps.len();
        for f in facilities(m) {
            let overrides: BTreeSet<&str> =
                t.overrides.iter().filter(|o| o.facility_id == f.id).map(|o| o.role_id.as_str()).collect();
            let owners = if overrides.is_empty() { t.owner_role_id.iter().count() } else { overrides.len() };
            if owners != 1 {
                role_gaps.push(format!(
                    "the task entering “{}” on {} has {} at {}",
                    state_name(&t.to_state_id),
                    t.event,
                    if owners == 0 { "no owner".to_string() } else { format!("{owners} owners") },
                    f.name
                ));
            }
        }
        if role_gaps.len() == before {
            owned += 1;
        }
    }
    let problems = design::validate(m, &v.id);
    let role_holds = !tasks.is_empty() && role_gaps.is_empty() && problems.is_empty();
    let mut role_evidence =
        vec![format!("{owned} of {} tasks have exactly one owner at every facility", tasks.len())];
    role_evidence.extend(role_gaps);
    if problems.is_empty() {
        role_evidence.push("the version validates".to_string());
    } else {
        role_evidence.push(format!(
            "{} validation {}: {}",
            problems.len(),
            if problems.len() == 1 { "problem" } else { "problems" },
            problems.iter().map(|p| format!("{} ({})", p.message, p.subject)).collect::<Vec<_>>().join("; ")
        ));
    }

    // State: every business state has an EMR value, and entering a state the EMR shows writes it.
    let mut business: Vec<&crate::model::BusinessState> =
        m.business_states.iter().filter(|b| b.workflow_id == v.workflow_id).collect();
    business.sort_by_key(|b| b.position);
    let mut state_gaps = Vec::new();
    let mut visible = Vec::new();
    for b in &business {
        let values: BTreeSet<String> = m
            .mappings
            .iter()
            .filter(|x| x.state_id == b.id)
            .filter_map(|x| m.emr_values.iter().find(|v| v.id == x.value_id))
            .map(|v| v.value.clone())
            .collect();
        if values.is_empty() {
            state_gaps.push(format!("“{}” has no mapped EMR value", b.name));
        } else {
            visible.push((*b, values));
        }
    }
    let mut entries = 0;
    let mut written = 0;
    for (b, values) in &visible {
        let Some(state) = states.iter().find(|s| loose(&s.name) == loose(&b.name)) else { continue };
        for t in transitions.iter().filter(|t| t.to_state_id == state.id && t.from_state_id != state.id) {
            entries += 1;
            if t.write_backs.iter().any(|w| values.contains(&w.value)) {
                written += 1;
            } else {
                state_gaps.push(format!(
                    "{} enters “{}” without writing {} back to the EMR",
                    t.event,
                    state.name,
                    values.iter().map(|v| format!("“{v}”")).collect::<Vec<_>>().join(" or ")
                ));
            }
        }
    }
    let state_holds = !business.is_empty() && state_gaps.is_empty();
    let mut state_evidence = if business.is_empty() {
        vec!["the workflow has no business states".to_string()]
    } else {
        vec![
            format!("{} of {} business states have a mapped EMR value", visible.len(), business.len()),
            format!("{written} of {entries} transitions into a state the EMR shows write it back"),
        ]
    };
    state_evidence.extend(state_gaps);

    // Measured: telemetry imported for this version.
    let groups: Vec<crate::model::TaskGroup> = match v.number {
        Some(n) => {
            crate::telemetry::step_labels(m, &v.workflow_id).into_iter().filter(|g| g.version == n).collect()
        }
        None => Vec::new(),
    };
    let tasks_measured: u64 = groups.iter().map(|g| g.tasks).sum();
    let measured_holds = tasks_measured > 0;
    let measured = Cell {
        holds: measured_holds,
        evidence: vec![match (v.number, measured_holds) {
            (None, _) => {
                "a draft has no telemetry: publish it and import its task telemetry after go-live".to_string()
            }
            (Some(_), true) => {
                let mut facilities: Vec<String> = groups.iter().map(|g| facility(m, &g.facility)).collect();
                facilities.sort();
                facilities.dedup();
                format!(
                    "telemetry of {} {} at {}",
                    crate::findings::thousands(tasks_measured as i64),
                    if tasks_measured == 1 { "task" } else { "tasks" },
                    facilities.join(", ")
                )
            }
            (Some(n), false) => format!("no telemetry imported for version {n}"),
        }],
    };
    let approach = Approach::of(role_holds, state_holds, measured_holds);
    Stand {
        label,
        version: v.number,
        role_logic: Cell { holds: role_holds, evidence: role_evidence },
        shared_state: Cell { holds: state_holds, evidence: state_evidence },
        measured,
        approach,
        approach_label: approach.label().into(),
    }
}
