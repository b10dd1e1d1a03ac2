//! Interview capture, consolidation and ownership findings: one fixture per finding kind that
//! must produce it and a near miss that must not, consolidation rules, triage.

// A test states what it expects by panicking when it does not get it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../helpers/fs.rs"]
mod fs;
pub use fs::copy_dir;

mod consolidation;
mod findings;

use baton::Project;
use baton::interviews::{ClaimInput, InterviewInput, StatementInput};
use baton::model::{ClaimKind, Facility, Model, Role, Workflow};

/// A project with roles rt, rn, md, facilities north and south, and workflow `wf`.
pub fn project() -> Project {
    let role = |id: &str, name: &str| Role { id: id.into(), name: name.into(), description: String::new() };
    let facility =
        |id: &str, name: &str| Facility { id: id.into(), name: name.into(), timezone: "UTC".into() };
    let model = Model {
        roles: vec![role("rt", "RT"), role("rn", "RN"), role("md", "MD")],
        facilities: vec![facility("north", "North"), facility("south", "South")],
        workflows: vec![Workflow { id: "wf".into(), name: "Assessment".into(), description: String::new() }],
        ..Model::default()
    };
    Project::in_memory("Test", &model).expect("project")
}

/// Adds an interview with `role` at `facility`.
pub fn interview(p: &mut Project, role: &str, facility: &str, alias: &str) -> String {
    p.add_interview(&InterviewInput {
        role_id: role.into(),
        facility_id: facility.into(),
        shift: "night".into(),
        alias: alias.into(),
        workflows: vec!["wf".into()],
        ..InterviewInput::default()
    })
    .expect("interview")
}

/// A statement about `step` in workflow `wf`.
pub fn about(step: &str) -> StatementInput {
    StatementInput { workflow_id: Some("wf".into()), step_name: step.into(), ..StatementInput::default() }
}

pub fn performed_by(step: &str, role: &str) -> StatementInput {
    StatementInput { performed_by: Some(role.into()), ..about(step) }
}

/// "I think `role` does this" (or, with `owns` false, "not `role`").
pub fn believes(step: &str, beliefs: &[(&str, bool)]) -> StatementInput {
    StatementInput {
        claims: beliefs
            .iter()
            .map(|(role, owns)| ClaimInput {
                role_id: (*role).into(),
                kind: ClaimKind::Performs,
                owns: *owns,
            })
            .collect(),
        ..about(step)
    }
}

pub fn say(p: &mut Project, interview: &str, statement: StatementInput) -> String {
    p.add_statement(interview, &statement).expect("statement")
}
