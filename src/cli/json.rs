//! The JSON shapes the CLI prints, as CLI.md fixes them. Field order is declaration order.

use serde::Serialize;

#[derive(Serialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Serialize)]
pub struct WorkflowInfo {
    pub id: String,
    pub name: String,
    pub versions: Vec<i64>,
    pub draft: bool,
}

/// `baton info --json`.
#[derive(Serialize)]
pub struct Info {
    pub name: String,
    pub facilities: Vec<Named>,
    pub roles: Vec<Named>,
    pub interviews: usize,
    pub steps: usize,
    pub workflows: Vec<WorkflowInfo>,
}

/// `baton undo --json` and `baton redo --json`.
#[derive(Serialize)]
pub struct Journal {
    /// The label of the edit that was undone or redone.
    pub edit: String,
    pub can_undo: Option<String>,
    pub can_redo: Option<String>,
}

impl From<baton::overview::Named> for Named {
    fn from(n: baton::overview::Named) -> Named {
        Named { id: n.id, name: n.name }
    }
}

#[derive(Serialize)]
pub struct Subject {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facilities: Vec<String>,
}

#[derive(Serialize)]
pub struct Evidence {
    pub source: &'static str,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interview: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
}

/// One element of `baton findings --json`.
#[derive(Serialize)]
pub struct Finding {
    pub id: String,
    pub kind: &'static str,
    pub severity: &'static str,
    pub title: String,
    pub subject: Subject,
    pub evidence: Vec<Evidence>,
    pub recommendation: String,
    pub status: &'static str,
    /// Why the finding was dismissed; only for dismissed findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl From<baton::findings::Finding> for Finding {
    fn from(f: baton::findings::Finding) -> Finding {
        let s = f.subject;
        Finding {
            id: f.id,
            kind: f.kind.as_str(),
            severity: f.severity.as_str(),
            title: f.title,
            subject: Subject {
                workflow: s.workflow,
                step: s.step,
                state: s.state,
                field: s.field,
                value: s.value,
                roles: s.roles,
                facilities: s.facilities,
            },
            evidence: f
                .evidence
                .into_iter()
                .map(|e| Evidence {
                    source: e.source.as_str(),
                    text: e.text,
                    interview: e.interview,
                    alias: e.alias,
                    facility: e.facility,
                    statement: e.statement,
                    count: e.count,
                })
                .collect(),
            recommendation: f.recommendation,
            status: f.status.as_str(),
            reason: (f.status == baton::model::FindingStatus::Dismissed).then_some(f.reason),
        }
    }
}
