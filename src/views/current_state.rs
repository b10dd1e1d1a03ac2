//! The Current state screen: a workflow's consolidated steps and handoffs with their provenance
//! (who said what), the claims matrix, finding badges and merge suggestions.

use serde::Serialize;

use crate::error::Result;
use crate::findings::Finding;
use crate::interviews::consolidate::{MergeSuggestion, claims_matrix, provenance, suggestions};
use crate::model::{ClaimKind, FindingKind, FindingStatus, Model, Severity, StepKind};

/// A statement as evidence: who said it, where, in their words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct StatementRef {
    pub id: String,
    pub interview_id: String,
    pub alias: String,
    pub role_id: String,
    pub facility_id: String,
    pub step_name: String,
    pub done_means: String,
    pub quote: String,
}

/// What interviewees of one role said about who does a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ClaimCellView {
    pub by_role_id: String,
    pub kind: ClaimKind,
    pub about_role_id: String,
    pub owns: bool,
    pub statements: Vec<StatementRef>,
}

/// A finding about a step, as a badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FindingBadge {
    pub id: String,
    pub kind: FindingKind,
    pub severity: Severity,
    pub status: FindingStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct StepView {
    pub id: String,
    pub name: String,
    pub kind: StepKind,
    pub owner_role_id: Option<String>,
    pub done_means: String,
    /// Made by consolidation (not drawn by hand).
    pub generated: bool,
    /// The service level as set (ISO 8601, `PT30M`), or empty.
    pub service_level: String,
    /// The same for people ("30 minutes"), or empty.
    pub service_level_text: String,
    pub safety_critical: bool,
    pub statements: Vec<StatementRef>,
    pub claims: Vec<ClaimCellView>,
    pub findings: Vec<FindingBadge>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct HandoffView {
    pub id: String,
    pub from_step_id: String,
    pub to_step_id: String,
    pub label: String,
    pub generated: bool,
    /// Ids of the statements it comes from.
    pub statements: Vec<String>,
}

/// A workflow's consolidated current-state map.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct WorkflowMap {
    pub id: String,
    pub name: String,
    pub steps: Vec<StepView>,
    pub handoffs: Vec<HandoffView>,
    pub suggestions: Vec<MergeSuggestion>,
    /// Statements about this workflow with a step name but not grouped into a step yet.
    pub ungrouped: usize,
}

fn statement_ref(m: &Model, id: &str) -> Option<StatementRef> {
    let s = m.statements.iter().find(|s| s.id == id)?;
    let i = m.interviews.iter().find(|i| i.id == s.interview_id)?;
    Some(StatementRef {
        id: s.id.clone(),
        interview_id: i.id.clone(),
        alias: i.alias.clone(),
        role_id: i.role_id.clone(),
        facility_id: i.facility_id.clone(),
        step_name: s.step_name.clone(),
        done_means: s.done_means.clone(),
        quote: s.quote.clone(),
    })
}

/// The current-state map of workflow `id`; `findings` (from `views::findings::findings`) give
/// the badges.
pub fn workflow_map(m: &Model, findings: &[Finding], id: &str) -> Result<WorkflowMap> {
    let w = super::workflow(m, id)?;
    let prov = provenance(m, id);
    let refs = |ids: &[String]| ids.iter().filter_map(|s| statement_ref(m, s)).collect::<Vec<_>>();
    Ok(WorkflowMap {
        id: w.id.clone(),
        name: w.name.clone(),
        steps: m
            .steps
            .iter()
            .filter(|s| s.workflow_id == id)
            .map(|s| StepView {
                id: s.id.clone(),
                name: s.name.clone(),
                kind: s.kind,
                owner_role_id: s.owner_role_id.clone(),
                done_means: s.done_means.clone(),
                generated: s.generated,
                service_level: s.service_level.clone(),
                service_level_text: crate::model::duration::parse_duration(&s.service_level)
                    .map(crate::model::duration::for_people)
                    .unwrap_or_default(),
                safety_critical: s.safety_critical,
                statements: refs(prov.steps.get(&s.id).map(Vec::as_slice).unwrap_or_default()),
                claims: claims_matrix(m, &s.id)
                    .into_iter()
                    .map(|c| ClaimCellView {
                        by_role_id: c.by_role_id,
                        kind: c.kind,
                        about_role_id: c.about_role_id,
                        owns: c.owns,
                        statements: refs(&c.statements),
                    })
                    .collect(),
                findings: findings
                    .iter()
                    .filter(|f| f.subject.step.as_deref() == Some(s.id.as_str()))
                    .map(|f| FindingBadge {
                        id: f.id.clone(),
                        kind: f.kind,
                        severity: f.severity,
                        status: f.status,
                    })
                    .collect(),
            })
            .collect(),
        handoffs: m
            .handoffs
            .iter()
            .filter(|h| h.workflow_id == id)
            .map(|h| HandoffView {
                id: h.id.clone(),
                from_step_id: h.from_step_id.clone(),
                to_step_id: h.to_step_id.clone(),
                label: h.label.clone(),
                generated: h.generated,
                statements: prov.handoffs.get(&h.id).cloned().unwrap_or_default(),
            })
            .collect(),
        suggestions: suggestions(m, id),
        ungrouped: m
            .statements
            .iter()
            .filter(|s| {
                s.workflow_id.as_deref() == Some(id) && s.step_id.is_none() && !s.step_name.trim().is_empty()
            })
            .count(),
    })
}

/// Another step of the same workflow already named `name` (any case, spaces trimmed): renaming
/// step `step_id` to it offers to merge the two instead.
pub fn same_name_step(m: &Model, step_id: &str, name: &str) -> Option<crate::model::Named> {
    let step = m.steps.iter().find(|s| s.id == step_id)?;
    let wanted = name.trim().to_lowercase();
    m.steps
        .iter()
        .find(|s| {
            s.workflow_id == step.workflow_id && s.id != step.id && s.name.trim().to_lowercase() == wanted
        })
        .map(|s| crate::model::Named { id: s.id.clone(), name: s.name.clone() })
}
