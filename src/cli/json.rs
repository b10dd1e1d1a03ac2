//! The JSON shapes of CLI.md that are not a view as it is: each borrows from a view
//! (`baton::views`), so the CLI and the app show the same thing. Field order is declaration order.
//! Everything else `--json` prints (findings, roles, facilities, …) is serialised from the views
//! directly.

use baton::model::Named;
use baton::views::project::ProjectView;
use serde::Serialize;

/// A facility as `info` lists it: id and name (its time zone is in `facility list --json`).
#[derive(Serialize)]
pub struct FacilityInfo<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

#[derive(Serialize)]
pub struct WorkflowInfo<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub versions: &'a [i64],
    pub draft: bool,
}

/// `baton info --json`: the home screen's view, with counts for its lists of interviews.
#[derive(Serialize)]
pub struct Info<'a> {
    pub name: &'a str,
    pub facilities: Vec<FacilityInfo<'a>>,
    pub roles: &'a [Named],
    pub interviews: usize,
    pub steps: usize,
    pub workflows: Vec<WorkflowInfo<'a>>,
}

impl<'a> Info<'a> {
    pub fn of(o: &'a ProjectView) -> Info<'a> {
        Info {
            name: &o.name,
            facilities: o.facilities.iter().map(|f| FacilityInfo { id: &f.id, name: &f.name }).collect(),
            roles: &o.roles,
            interviews: o.interviews.len(),
            steps: o.steps,
            workflows: o
                .workflows
                .iter()
                .map(|w| WorkflowInfo { id: &w.id, name: &w.name, versions: &w.versions, draft: w.draft })
                .collect(),
        }
    }
}

/// `baton undo --json` and `baton redo --json`.
#[derive(Serialize)]
pub struct Journal {
    /// The label of the edit that was undone or redone.
    pub edit: String,
    pub can_undo: Option<String>,
    pub can_redo: Option<String>,
}
