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
