//! What the project home screen and `baton info` show: the project at a glance.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::store::Project;

/// A named thing by id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// One interview as the home screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub steps: usize,
    pub versions: Vec<i64>,
    pub draft: bool,
    /// Tasks in the imported telemetry of this workflow, every version.
    pub telemetry_tasks: u64,
}

/// The project at a glance; every list sorted by name (interviews by facility, role, alias).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub name: String,
    pub description: String,
    pub facilities: Vec<Named>,
    pub roles: Vec<Named>,
    pub interviews: Vec<InterviewSummary>,
    pub steps: usize,
    pub workflows: Vec<WorkflowSummary>,
    pub emr_fields: usize,
    pub emr_values: usize,
    pub findings: usize,
    pub open_findings: usize,
}

/// Summarises `project`.
pub fn overview(project: &Project) -> Result<Overview> {
    let m = project.model()?;
    let findings = crate::findings::analyze_stored(&m)?;
    let meta = project.meta()?;
    let name_of = |list: &[Named], id: &str| {
        list.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_else(|| id.to_string())
    };
    let mut facilities: Vec<Named> =
        m.facilities.iter().map(|f| Named { id: f.id.clone(), name: f.name.clone() }).collect();
    facilities.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    let mut roles: Vec<Named> =
        m.roles.iter().map(|r| Named { id: r.id.clone(), name: r.name.clone() }).collect();
    roles.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
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
            versions.sort();
            WorkflowSummary {
                id: w.id.clone(),
                name: w.name.clone(),
                description: w.description.clone(),
                steps: m.steps.iter().filter(|s| s.workflow_id == w.id).count(),
                versions,
                draft: m.versions.iter().any(|v| v.workflow_id == w.id && v.number.is_none()),
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
    Ok(Overview {
        name: meta.name,
        description: meta.description,
        facilities,
        roles,
        steps: m.steps.len(),
        interviews,
        workflows,
        emr_fields: m.emr_fields.len(),
        emr_values: m.emr_values.len(),
        findings: findings.len(),
        open_findings: findings.iter().filter(|f| f.status == crate::model::FindingStatus::Open).count(),
    })
}
