//! Transport types of the IPC boundary, with TypeScript generated from them (`ui/src/bindings.ts`).
//!
//! Counts are `u32`: specta refuses 64-bit integers at the boundary, and ids are strings anyway.

use serde::Serialize;
use specta::Type;

/// Every error that reaches the UI: a stable `code` to switch on and a sentence for people.
#[derive(Debug, Clone, Serialize, Type, PartialEq, Eq)]
pub struct AppError {
    pub code: String,
    pub message: String,
}

impl From<baton::Error> for AppError {
    fn from(e: baton::Error) -> AppError {
        AppError { code: e.code().to_string(), message: e.to_string() }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct NamedDto {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct InterviewDto {
    pub id: String,
    pub alias: String,
    pub role: String,
    pub facility: String,
    pub shift: String,
    pub date: String,
    pub statements: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct WorkflowDto {
    pub id: String,
    pub name: String,
    pub description: String,
    pub steps: u32,
    pub versions: Vec<u32>,
    pub draft: bool,
}

/// The open project as the home screen shows it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ProjectView {
    pub path: String,
    pub name: String,
    pub description: String,
    pub facilities: Vec<NamedDto>,
    pub roles: Vec<NamedDto>,
    pub interviews: Vec<InterviewDto>,
    pub steps: u32,
    pub workflows: Vec<WorkflowDto>,
    pub emr_fields: u32,
    pub emr_values: u32,
    pub findings: u32,
    pub open_findings: u32,
    /// Label of the edit Undo would reverse, if any.
    pub undo: Option<String>,
    /// Label of the edit Redo would re-apply, if any.
    pub redo: Option<String>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl ProjectView {
    pub fn of(project: &baton::Project) -> Result<ProjectView, AppError> {
        let o = baton::overview::overview(project)?;
        let journal = project.journal_state()?;
        let named = |list: Vec<baton::overview::Named>| {
            list.into_iter().map(|n| NamedDto { id: n.id, name: n.name }).collect()
        };
        Ok(ProjectView {
            path: project.path().map(|p| p.display().to_string()).unwrap_or_default(),
            name: o.name,
            description: o.description,
            facilities: named(o.facilities),
            roles: named(o.roles),
            interviews: o
                .interviews
                .into_iter()
                .map(|i| InterviewDto {
                    id: i.id,
                    alias: i.alias,
                    role: i.role,
                    facility: i.facility,
                    shift: i.shift,
                    date: i.date,
                    statements: count(i.statements),
                })
                .collect(),
            steps: count(o.steps),
            workflows: o
                .workflows
                .into_iter()
                .map(|w| WorkflowDto {
                    id: w.id,
                    name: w.name,
                    description: w.description,
                    steps: count(w.steps),
                    versions: w.versions.into_iter().map(|v| u32::try_from(v).unwrap_or(0)).collect(),
                    draft: w.draft,
                })
                .collect(),
            emr_fields: count(o.emr_fields),
            emr_values: count(o.emr_values),
            findings: count(o.findings),
            open_findings: count(o.open_findings),
            undo: journal.undo,
            redo: journal.redo,
        })
    }
}
