//! The home screen and `baton info`: the project at a glance. A quick view: it reads the model,
//! the file's details, the undo journal and the audit trail, and runs no analysis (the finding
//! counts are `views::findings::counts`, asked for separately).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Named, facilities, roles};
use crate::error::Result;
use crate::store::Project;
use crate::store::audit::AuditEntry;

/// How many audit entries the home screen lists.
pub const RECENT_ACTIVITY: usize = 8;

/// One interview as the home screen lists it (role and facility by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct InterviewSummary {
    pub id: String,
    pub alias: String,
    pub role: String,
    pub facility: String,
    pub shift: String,
    pub date: String,
    pub statements: usize,
}

/// One workflow with its published version numbers and whether a draft exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct WorkflowSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub steps: usize,
    /// Published version numbers, ascending.
    pub versions: Vec<i64>,
    pub draft: bool,
    /// Where it stands, in words: "version 1, 2, draft in progress", "no published version".
    pub stage: String,
    /// Tasks in the imported telemetry of this workflow, every version.
    pub telemetry_tasks: u64,
}

/// The open project: every list sorted by name (interviews by facility, role, alias).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ProjectView {
    /// The file, or empty for a project in memory.
    pub path: String,
    pub name: String,
    pub description: String,
    /// Engagement details for the report's title page.
    pub client: String,
    pub authors: Vec<String>,
    /// YYYY-MM-DD, or empty for the latest date the project holds.
    pub report_date: String,
    pub facilities: Vec<FacilitySummary>,
    pub roles: Vec<Named>,
    pub interviews: Vec<InterviewSummary>,
    pub steps: usize,
    pub workflows: Vec<WorkflowSummary>,
    pub emr_fields: usize,
    pub emr_values: usize,
    /// Imported event logs, by file name.
    pub logs: Vec<LogSummary>,
    /// The latest entries of the audit trail, newest first.
    pub audit: Vec<AuditEntry>,
    pub encrypted: bool,
    /// What opening the file cleaned up (a copy an interrupted encrypt left), to tell the user.
    pub recovered: Option<String>,
    /// The label of the edit Undo would reverse, if any.
    pub undo: Option<String>,
    /// The label of the edit Redo would re-apply, if any.
    pub redo: Option<String>,
    /// What to know before trusting the findings (a log to import again), in sentences.
    pub notices: Vec<String>,
    /// The time zone a new facility gets unless another is chosen: this machine's.
    pub default_timezone: String,
}

/// A facility with the time zone its zone-less timestamps are read in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FacilitySummary {
    pub id: String,
    pub name: String,
    pub timezone: String,
}

/// An imported event log, as the EMR data screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct LogSummary {
    pub id: String,
    /// The file it was imported from (no folder).
    pub name: String,
    /// "12,345 events in 1,234 cases, 2026-01-04 to 2026-03-31".
    pub summary: String,
}

/// Something just created (its id), with the project as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Created {
    pub id: String,
    pub project: ProjectView,
}

/// "version 1, 2", or "no published version", with ", draft in progress" when there is a draft.
fn stage(versions: &[i64], draft: bool) -> String {
    let published = if versions.is_empty() {
        "no published version".to_string()
    } else {
        format!("version {}", versions.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))
    };
    if draft { format!("{published}, draft in progress") } else { published }
}

/// The project at a glance.
pub fn project(project: &Project) -> Result<ProjectView> {
    let m = project.model()?;
    let meta = project.meta()?;
    let journal = project.journal_state()?;
    let facilities = facilities(&m);
    let roles = roles(&m);
    let name_of = |list: &[Named], id: &str| {
        list.iter().find(|n| n.id == id).map_or_else(|| id.to_string(), |n| n.name.clone())
    };
    let mut statements: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &m.statements {
        *statements.entry(s.interview_id.as_str()).or_default() += 1;
    }
    let mut interviews: Vec<InterviewSummary> = m
        .interviews
        .iter()
        .map(|i| InterviewSummary {
            id: i.id.clone(),
            alias: i.alias.clone(),
            role: name_of(&roles, &i.role_id),
            facility: name_of(&facilities, &i.facility_id),
            shift: i.shift.clone(),
            date: i.date.clone(),
            statements: statements.get(i.id.as_str()).copied().unwrap_or(0),
        })
        .collect();
    interviews.sort_by(|a, b| {
        (&a.facility, &a.role, &a.alias, &a.id).cmp(&(&b.facility, &b.role, &b.alias, &b.id))
    });
    let mut workflows: Vec<WorkflowSummary> = m
        .workflows
        .iter()
        .map(|w| {
            let mut versions: Vec<i64> =
                m.versions.iter().filter(|v| v.workflow_id == w.id).filter_map(|v| v.number).collect();
            versions.sort_unstable();
            let draft = m.versions.iter().any(|v| v.workflow_id == w.id && v.number.is_none());
            WorkflowSummary {
                id: w.id.clone(),
                name: w.name.clone(),
                description: w.description.clone(),
                steps: m.steps.iter().filter(|s| s.workflow_id == w.id).count(),
                stage: stage(&versions, draft),
                versions,
                draft,
                telemetry_tasks: m
                    .telemetry
                    .iter()
                    .flat_map(|t| &t.groups)
                    .filter(|g| g.workflow == w.id)
                    .map(|g| g.tasks)
                    .sum(),
            }
        })
        .collect();
    workflows.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    let mut audit = project.audit()?;
    audit.truncate(RECENT_ACTIVITY);
    Ok(ProjectView {
        path: project.path().map(|p| p.display().to_string()).unwrap_or_default(),
        name: meta.name,
        description: meta.description,
        client: meta.client,
        authors: meta.authors,
        report_date: meta.report_date,
        // In the order `facilities` gives them (by name), with their time zones.
        facilities: facilities
            .iter()
            .map(|n| FacilitySummary {
                id: n.id.clone(),
                name: n.name.clone(),
                timezone: m
                    .facilities
                    .iter()
                    .find(|f| f.id == n.id)
                    .map_or_else(String::new, |f| f.timezone.clone()),
            })
            .collect(),
        roles,
        interviews,
        steps: m.steps.len(),
        workflows,
        emr_fields: m.emr_fields.len(),
        emr_values: m.emr_values.len(),
        logs: log_summaries(&m),
        audit,
        encrypted: project.is_encrypted(),
        recovered: project.recovered().map(str::to_string),
        undo: journal.undo,
        redo: journal.redo,
        notices: crate::findings::notices(&m),
        default_timezone: crate::store::default_timezone(),
    })
}

/// The project's event logs, by file name.
fn log_summaries(m: &crate::model::Model) -> Vec<LogSummary> {
    let mut logs: Vec<LogSummary> = m
        .logs
        .iter()
        .map(|l| {
            let name =
                m.imports.iter().find(|i| i.id == l.id).map_or_else(|| l.id.clone(), |i| i.name.clone());
            let day = |t: &str| t.get(..10).unwrap_or(t).to_string();
            let period = if l.first_at.is_empty() {
                String::new()
            } else {
                format!(", {} to {}", day(&l.first_at), day(&l.last_at))
            };
            LogSummary {
                id: l.id.clone(),
                name,
                summary: format!(
                    "{} events in {} cases{period}",
                    crate::findings::thousands(l.events),
                    crate::findings::thousands(l.cases)
                ),
            }
        })
        .collect();
    logs.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    logs
}
