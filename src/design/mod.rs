//! Proposed workflows (step 3 of the rescue framework): guards, timers, validation, and the
//! choice of a version to validate, export or replay.

pub mod diff;
pub mod edit;
pub mod guard;
pub mod propose;
pub mod replay;
pub mod signoff;
pub mod simulate;
pub mod timer;

/// The task a state opens, named for the work (kept with the model, which the store's migration
/// and the bundle reader use too).
pub use crate::model::task;
pub mod validate;

pub use diff::{Change, diff, marks, marks_of};
pub use edit::{StateInput, TransitionInput};
pub use propose::{ProposeChoices, ProposeReport};
pub use replay::{Deviation, Replay, replay};
pub use signoff::{SignOffStatus, content_hash, signoffs};
pub use simulate::{Definition, Input, Machine, Trace, simulate};
pub use validate::{Problem, RULES, validate};

use crate::error::{Error, Result};
use crate::model::Model;

/// Which proposed version a command acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The newest published version.
    Latest,
    Version(i64),
    Draft,
}

/// The id of the version of `workflow_id` that `pick` names.
pub fn pick_version(m: &Model, workflow_id: &str, pick: Pick) -> Result<String> {
    let which = match pick {
        Pick::Version(n) => crate::diagram::Which::Version(n),
        Pick::Draft => crate::diagram::Which::Draft,
        Pick::Latest => {
            let name =
                m.workflows.iter().find(|w| w.id == workflow_id).map_or(workflow_id, |w| w.name.as_str());
            return m
                .versions
                .iter()
                .filter(|v| v.workflow_id == workflow_id)
                .filter_map(|v| v.number.map(|n| (n, v.id.clone())))
                .max()
                .map(|(_, id)| id)
                .ok_or_else(|| {
                    Error::NotFound(format!(
                        "workflow {name:?} has no published version; name the draft with --draft or publish one"
                    ))
                });
        }
    };
    crate::diagram::version_id(m, workflow_id, which)?
        .ok_or_else(|| Error::NotFound("no such version".into()))
}

/// "Respiratory assessment, version 2" or "…, draft".
pub fn version_label(m: &crate::model::Model, version_id: &str) -> String {
    let v = m.versions.iter().find(|v| v.id == version_id);
    let workflow =
        v.and_then(|v| m.workflows.iter().find(|w| w.id == v.workflow_id)).map_or("", |w| w.name.as_str());
    match v.and_then(|v| v.number) {
        Some(n) => format!("{workflow}, version {n}"),
        None => format!("{workflow}, draft"),
    }
}
