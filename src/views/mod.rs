//! What every screen and every `--json` answer shows, computed in the core: one module per area
//! of the app, each plain types and one function per view. The labels, orders, groups, buckets
//! and counts a screen shows are decided here, never in the app's shell or its TypeScript, so the
//! app and the CLI cannot disagree.
//!
//! With the `ipc` feature every view, its inputs and the vocabularies derive `specta::Type`: the
//! app's TypeScript (`ui/src/bindings.ts`) is generated from these types.
//!
//! Quick views (the project, a sheet, a diagram) read the model and nothing more. Views that
//! need a whole analysis (findings, replays of the logs, task metrics) take a `&Progress`, so the
//! app can show progress and cancel them; `Progress::none()` is for callers that just wait.

pub mod activity;
pub mod current_state;
pub mod emr;
pub mod findings;
pub mod imports;
pub mod interviews;
pub mod project;
pub mod proposals;
pub mod report;
pub mod review;
pub mod search;
pub mod swimlanes;
pub mod telemetry;

pub use crate::model::Named;

use crate::error::{Error, Result};
use crate::model::{Model, Workflow};

/// Named by `name`, then id: how every list of facilities and roles is shown.
fn sorted_names<'a>(items: impl Iterator<Item = (&'a String, &'a String)>) -> Vec<Named> {
    let mut list: Vec<Named> = items.map(|(id, name)| Named { id: id.clone(), name: name.clone() }).collect();
    list.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    list
}

/// The project's facilities, by name.
pub fn facilities(m: &Model) -> Vec<Named> {
    sorted_names(m.facilities.iter().map(|f| (&f.id, &f.name)))
}

/// The project's roles, by name.
pub fn roles(m: &Model) -> Vec<Named> {
    sorted_names(m.roles.iter().map(|r| (&r.id, &r.name)))
}

fn workflow<'a>(m: &'a Model, id: &str) -> Result<&'a Workflow> {
    m.workflows
        .iter()
        .find(|w| w.id == id)
        .ok_or_else(|| Error::NotFound(format!("no workflow with id {id:?} in this project")))
}
