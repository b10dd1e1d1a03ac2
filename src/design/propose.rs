//! Proposing a draft from the findings (step 3's starting point). The consultant then edits it.
//!
//! - States: an initial "Due", then the workflow's business states in their order, the last one
//!   terminal. An `ambiguous_status` value whose meanings are states of the workflow is thereby
//!   split into those explicit, ordered states.
//! - Transitions chain the states; each is triggered by the catalog event most like the state it
//!   enters (words of names, meanings and descriptions), or by a new event named after the state.
//! - The task a transition creates is named for the step that leads to the next state (the step
//!   most like it: the work it replaces) and belongs to that step's owner; where an
//!   `ownership_drift` or `contested_ownership` finding names that step, to the role the consultant
//!   chose, else to nobody yet (validation says so).
//! - A `stall` on the step that produces a state gives the transition into it a timer (`PT2H`
//!   unless chosen) and the chosen escalation role.
//! - An `invisible_state` gets an explicit EMR value: a new value of the workflow's main status
//!   field (the one most mapped to its states), mapped to the state and written back on entry.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::findings::{Finding, FindingKind};
use crate::model::task::overlap;
use crate::model::{Model, StateKind, new_id};
use crate::store::Project;

/// What the consultant decides for the proposal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposeChoices {
    /// Step id → the role that owns it from now on (for steps with ownership findings).
    pub owners: BTreeMap<String, String>,
    /// Who is told when a timer for a stall fires.
    pub escalate_to: Option<String>,
    /// The timer for stalls (ISO 8601); `PT2H` when `None`.
    pub timer: Option<String>,
}

/// What a proposal did, for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProposeReport {
    pub version_id: String,
    /// Sentences: what came from which finding.
    pub notes: Vec<String>,
}

fn slug(name: &str) -> String {
    let s: Vec<String> = name
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    s.join("_")
}

struct PlannedState {
    id: String,
    name: String,
    kind: StateKind,
    meaning: String,
    /// The work entering it opens: the step toward the next state.
    task: String,
}

struct PlannedTransition {
    from: usize,
    to: usize,
    event: String,
    owner: Option<String>,
    timer: String,
    escalate_to: Option<String>,
    write_back: Option<(String, String)>,
}

impl Project {
    /// Creates the workflow's draft from its business states and findings; refuses when a draft
    /// exists (edit that one instead).
    pub fn propose_from_findings(
        &mut self,
        workflow_id: &str,
        choices: &ProposeChoices,
    ) -> Result<ProposeReport> {
        let m = self.model()?;
        let findings = crate::findings::analyze(
            &self.model()?,
            &Default::default(),
            &crate::progress::Progress::none(),
        )?;
        let Plan { states, transitions, new_events, new_values, mut notes } =
            plan(&m, &findings, workflow_id, choices)?;
        let version_id = new_id();
        let workflow_name =
            m.workflows.iter().find(|w| w.id == workflow_id).map_or("", |w| w.name.as_str()).to_string();
        self.edit(&format!("Propose a draft of {workflow_name} from the findings"), |tx| {
            tx.execute(
                "INSERT INTO version (id, workflow_id, number, note, created_at) VALUES (?1, ?2, NULL, ?3, ?4)",
                (&version_id, workflow_id, "Proposed from the findings", crate::clock::now_rfc3339()),
            )?;
            for (name, description) in &new_events {
                tx.execute("INSERT OR IGNORE INTO event_type (name, description) VALUES (?1, ?2)", (name, description))?;
            }
            for (field_id, value, description, state_id) in &new_values {
                let value_id = new_id();
                tx.execute(
                    "INSERT INTO emr_value (id, field_id, value, description) VALUES (?1, ?2, ?3, ?4)",
                    (&value_id, field_id, value, description),
                )?;
                tx.execute(
                    "INSERT INTO mapping (id, value_id, state_id, facility_id, note) VALUES (?1, ?2, ?3, NULL, ?4)",
                    (new_id(), &value_id, state_id, "Proposed: an explicit status for this state"),
                )?;
            }
            let ids: Vec<String> = states.iter().map(|_| new_id()).collect();
            for (i, s) in states.iter().enumerate() {
                tx.execute(
                    "INSERT INTO proposed_state (id, version_id, name, kind, meaning, task, position)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    (&ids[i], &version_id, &s.name, s.kind.as_str(), &s.meaning, &s.task, i as i64),
                )?;
            }
            for (i, t) in transitions.iter().enumerate() {
                let id = new_id();
                tx.execute(
                    "INSERT INTO transition (id, version_id, from_state_id, to_state_id, event, owner_role_id, timer,
                            escalate_to_role_id, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    rusqlite::params![id, version_id, ids[t.from], ids[t.to], t.event, t.owner, t.timer, t.escalate_to, i as i64],
                )?;
                if let Some((field, value)) = &t.write_back {
                    tx.execute(
                        "INSERT INTO write_back (transition_id, position, field, value) VALUES (?1, 0, ?2, ?3)",
                        (&id, field, value),
                    )?;
                }
            }
            Ok(())
        })?;
        notes.sort();
        notes.dedup();
        Ok(ProposeReport { version_id, notes })
    }
}

/// What a proposal will write.
struct Plan {
    states: Vec<PlannedState>,
    transitions: Vec<PlannedTransition>,
    /// (name, description) of events to add to the catalog.
    new_events: Vec<(String, String)>,
    /// (field id, value, description, state id) of EMR values to add and map.
    new_values: Vec<(String, String, String, String)>,
    notes: Vec<String>,
}

fn plan(m: &Model, findings: &[Finding], workflow_id: &str, choices: &ProposeChoices) -> Result<Plan> {
    let workflow = m
        .workflows
        .iter()
        .find(|w| w.id == workflow_id)
        .ok_or_else(|| Error::NotFound(format!("no workflow {workflow_id:?} in this project")))?;
    if m.versions.iter().any(|v| v.workflow_id == workflow_id && v.number.is_none()) {
        return Err(Error::invalid(
            "draft",
            format!("{} already has a draft: edit it, or publish it before proposing again", workflow.name),
        ));
    }
    let mut business: Vec<&crate::model::BusinessState> =
        m.business_states.iter().filter(|s| s.workflow_id == workflow_id).collect();
    business.sort_by_key(|s| s.position);
    if business.is_empty() {
        return Err(Error::invalid(
            "business states",
            format!(
                "{} has no business states to propose from: add them in EMR data (Meanings from the interviews) or the bundle",
                workflow.name
            ),
        ));
    }
    let mut notes = Vec::new();
    let mut states = vec![PlannedState {
        id: String::new(),
        name: "Due".into(),
        kind: StateKind::Initial,
        meaning: format!("{} is due and nobody has started it", workflow.name),
        task: String::new(),
    }];
    for (i, b) in business.iter().enumerate() {
        states.push(PlannedState {
            id: b.id.clone(),
            name: b.name.clone(),
            kind: if i + 1 == business.len() { StateKind::Terminal } else { StateKind::Intermediate },
            meaning: b.meaning.clone(),
            task: String::new(),
        });
    }
    for f in findings.iter().filter(|f| f.kind == FindingKind::AmbiguousStatus) {
        let split: Vec<&str> = business
            .iter()
            .filter(|b| {
                m.mappings.iter().any(|x| Some(&x.value_id) == f.subject.value.as_ref() && x.state_id == b.id)
            })
            .map(|b| b.name.as_str())
            .collect();
        if split.len() >= 2 {
            let value = m
                .emr_values
                .iter()
                .find(|v| Some(&v.id) == f.subject.value.as_ref())
                .map_or("", |v| v.value.as_str());
            notes.push(format!(
                "“{value}” is split into explicit states: {} (ambiguous status)",
                split.join(" → ")
            ));
        }
    }
    let steps: Vec<&crate::model::Step> = m.steps.iter().filter(|s| s.workflow_id == workflow_id).collect();
    // The step most like a state: by the state's name first, by its meaning when no name matches.
    let step_for = |state: &PlannedState| -> Option<&crate::model::Step> {
        let best = |target: &str| {
            steps
                .iter()
                .map(|s| (overlap(&format!("{} {}", s.name, s.done_means), target), *s))
                .filter(|(score, _)| *score > 0)
                .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.position.cmp(&a.1.position)))
                .map(|(_, s)| s)
        };
        best(&state.name).or_else(|| best(&state.meaning))
    };
    let contested = |step: &str| {
        findings.iter().any(|f| {
            matches!(f.kind, FindingKind::OwnershipDrift | FindingKind::ContestedOwnership)
                && f.subject.step.as_deref() == Some(step)
        })
    };
    let mut new_events: Vec<(String, String)> = Vec::new();
    let mut new_values = Vec::new();
    let main_field = {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for x in m.mappings.iter().filter(|x| business.iter().any(|b| b.id == x.state_id)) {
            if let Some(v) = m.emr_values.iter().find(|v| v.id == x.value_id) {
                *counts.entry(v.field_id.as_str()).or_default() += 1;
            }
        }
        counts.into_iter().max_by_key(|(f, n)| (*n, std::cmp::Reverse(*f))).map(|(f, _)| f.to_string())
    };
    let mut transitions = Vec::new();
    let mut tasks = vec![String::new(); states.len()];
    for k in 1..states.len() {
        let entered = &states[k];
        // The event: the catalog's most like the state's name (else its meaning), else a new one.
        let best_event = |target: &str| {
            m.events
                .iter()
                .map(|e| {
                    (overlap(&format!("{} {}", e.name.replace('_', " "), e.description), target), &e.name)
                })
                .filter(|(score, _)| *score > 0)
                .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        };
        let best = best_event(&entered.name).or_else(|| best_event(&entered.meaning));
        let event = match best {
            Some((_, name)) => name.clone(),
            None => {
                let name = slug(&entered.name);
                new_events.push((name.clone(), format!("“{}” was reached", entered.name)));
                notes.push(format!("new event {name} for “{}” (no catalog event was alike)", entered.name));
                name
            }
        };
        // The task it creates: the step toward the next state, named and owned after it.
        if let Some(step) = states.get(k + 1).and_then(step_for) {
            tasks[k].clone_from(&step.name);
        }
        let owner = match states.get(k + 1) {
            None => None,
            Some(next) => match step_for(next) {
                Some(step) if contested(&step.id) => match choices.owners.get(&step.id) {
                    Some(role) => {
                        notes.push(format!(
                            "“{}” is owned by {role}, as chosen (ownership findings)",
                            step.name
                        ));
                        Some(role.clone())
                    }
                    None => {
                        notes.push(format!(
                            "“{}” has ownership findings: choose its owner (the task after “{}” has none yet)",
                            step.name, entered.name
                        ));
                        None
                    }
                },
                Some(step) => step.owner_role_id.clone(),
                None => None,
            },
        };
        // A stall on the step that produces this state: a timer on entering it.
        let produced_by = step_for(entered);
        let stalled = produced_by.is_some_and(|s| {
            findings
                .iter()
                .any(|f| f.kind == FindingKind::Stall && f.subject.step.as_deref() == Some(s.id.as_str()))
        });
        let (timer, escalate_to) = if stalled && k + 1 < states.len() {
            let timer = choices.timer.clone().unwrap_or_else(|| "PT2H".into());
            notes.push(format!(
                "work waits after “{}” (stall): a {timer} timer escalates{}",
                entered.name,
                choices
                    .escalate_to
                    .as_ref()
                    .map_or_else(|| " — choose to whom".to_string(), |r| format!(" to {r}"))
            ));
            (timer, choices.escalate_to.clone())
        } else {
            (String::new(), None)
        };
        // An invisible state gets an explicit EMR value, written back on entry.
        let invisible = findings.iter().any(|f| {
            f.kind == FindingKind::InvisibleState && f.subject.state.as_deref() == Some(entered.id.as_str())
        });
        let write_back = match (&main_field, invisible) {
            (Some(field_id), true) => {
                let field = m
                    .emr_fields
                    .iter()
                    .find(|f| &f.id == field_id)
                    .map_or("", |f| f.name.as_str())
                    .to_string();
                new_values.push((
                    field_id.clone(),
                    entered.name.clone(),
                    format!("Proposed by Baton: the status for “{}”", entered.name),
                    entered.id.clone(),
                ));
                notes.push(format!(
                    "“{}” gets its own {field} value, written back on entry (invisible state)",
                    entered.name
                ));
                Some((field, entered.name.clone()))
            }
            _ => None,
        };
        transitions.push(PlannedTransition {
            from: k - 1,
            to: k,
            event,
            owner,
            timer,
            escalate_to,
            write_back,
        });
    }
    for (state, task) in states.iter_mut().zip(tasks) {
        state.task = task;
    }
    Ok(Plan { states, transitions, new_events, new_values, notes })
}
