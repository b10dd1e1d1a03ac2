//! The Interviews screen: one interview's form and statement table, the step names the step
//! cells offer, and what in it looks like a patient identifier.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::interviews::consolidate::known_step_names;
use crate::interviews::{ClaimInput, InterviewInput, StatementInput};
use crate::model::{Model, Statement};
use crate::phi::PhiMatch;

/// One row of the statement table, as the form sends it back (`StatementInput`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct StatementRow {
    pub id: String,
    /// The current-state step it was grouped into.
    pub step_id: Option<String>,
    pub fields: StatementInput,
}

/// A step name the step cells offer, by workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct KnownStep {
    pub workflow_id: String,
    pub name: String,
}

/// One interview with its statements, for the capture screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct InterviewSheet {
    pub id: String,
    pub fields: InterviewInput,
    /// In the order they were entered.
    pub statements: Vec<StatementRow>,
    pub known_steps: Vec<KnownStep>,
    /// What in the interview's notes and statements looks like a patient identifier, found as it
    /// is entered, for the consultant to redact.
    pub phi: Vec<PhiMatch>,
}

/// A statement as its form holds it.
pub fn statement_fields(m: &Model, s: &Statement) -> StatementInput {
    StatementInput {
        workflow_id: s.workflow_id.clone(),
        step_name: s.step_name.clone(),
        performed_by: s.performed_by.clone(),
        initiated_by: s.initiated_by.clone(),
        validated_by: s.validated_by.clone(),
        escalates_to: s.escalates_to.clone(),
        done_means: s.done_means.clone(),
        next_handoff_to: s.next_handoff_to.clone(),
        workarounds: s.workarounds.clone(),
        pain_point: s.pain_point.clone(),
        typical_duration: s.typical_duration.clone(),
        quote: s.quote.clone(),
        claims: m
            .claims
            .iter()
            .filter(|c| c.statement_id == s.id)
            .map(|c| ClaimInput { role_id: c.role_id.clone(), kind: c.kind, owns: c.owns })
            .collect(),
    }
}

/// The interview `id` with its statements.
pub fn interview_sheet(m: &Model, id: &str) -> Result<InterviewSheet> {
    let i = m
        .interviews
        .iter()
        .find(|i| i.id == id)
        .ok_or_else(|| Error::NotFound(format!("no interview with id {id:?} in this project")))?;
    Ok(InterviewSheet {
        id: i.id.clone(),
        fields: InterviewInput {
            role_id: i.role_id.clone(),
            facility_id: i.facility_id.clone(),
            shift: i.shift.clone(),
            alias: i.alias.clone(),
            date: i.date.clone(),
            interviewer: i.interviewer.clone(),
            notes: i.notes.clone(),
            workflows: i.workflows.clone(),
        },
        statements: m
            .statements
            .iter()
            .filter(|s| s.interview_id == i.id)
            .map(|s| StatementRow {
                id: s.id.clone(),
                step_id: s.step_id.clone(),
                fields: statement_fields(m, s),
            })
            .collect(),
        known_steps: known_step_names(m)
            .into_iter()
            .map(|(workflow_id, name)| KnownStep { workflow_id, name })
            .collect(),
        phi: crate::phi::scan_interview(m, &i.alias),
    })
}

/// What in `text` looks like a patient identifier, checked as the user types (place left empty).
pub fn phi_check(text: &str) -> Vec<PhiMatch> {
    crate::phi::scan_text(text)
        .into_iter()
        .map(|(kind, text)| PhiMatch { place: String::new(), kind: kind.to_string(), text })
        .collect()
}

/// The roles whose names are closest to `name` (a role typed in a statement that matches none),
/// most alike first: at most three, each at least somewhat alike ("RNN" → RN).
pub fn closest_roles(m: &Model, name: &str) -> Vec<crate::model::Named> {
    let wanted = name.trim().to_lowercase();
    let mut scored: Vec<(f64, &crate::model::Role)> = m
        .roles
        .iter()
        .map(|r| {
            let by_name = strsim::jaro_winkler(&wanted, &r.name.to_lowercase());
            let by_id = strsim::jaro_winkler(&wanted, &r.id.to_lowercase());
            (by_name.max(by_id), r)
        })
        .filter(|(score, _)| *score >= 0.6)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, r)| crate::model::Named { id: r.id.clone(), name: r.name.clone() })
        .collect()
}
