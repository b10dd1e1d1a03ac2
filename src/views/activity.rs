//! Long work in the app (an import, the findings, a replay, a report): how far it is, for the
//! progress bar that offers Cancel.

use serde::Serialize;

use crate::progress::Progress;

/// How far the running long work is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct WorkProgress {
    pub running: bool,
    /// What is running, as a sentence ("Writing the report"); empty when nothing is.
    pub label: String,
    /// 0 to 1; `None` while the size is unknown.
    pub fraction: Option<f64>,
}

/// The progress bar's state for the work `label` followed by `progress`, or none running.
pub fn work(running: Option<(&str, &Progress)>) -> WorkProgress {
    match running {
        Some((label, p)) => {
            let (done, total) = p.position();
            WorkProgress {
                running: true,
                label: label.to_string(),
                fraction: (total > 0).then(|| (done as f64 / total as f64).min(1.0)),
            }
        }
        None => WorkProgress { running: false, label: String::new(), fraction: None },
    }
}
