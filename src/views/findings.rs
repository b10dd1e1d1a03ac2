//! The Findings screen and `baton findings --json`: every finding with its evidence and triage
//! (`crate::findings::Finding`, serialised as CLI.md fixes it), and their counts for the home
//! screen. Both run the whole analysis, so both take a `&Progress`.

use serde::Serialize;

use crate::error::Result;
use crate::findings::{Finding, MismatchOptions, analyze};
use crate::model::{FindingStatus, Model};
use crate::progress::Progress;

/// How many findings there are, and how many are still open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FindingCounts {
    pub total: usize,
    pub open: usize,
}

/// Every finding, sorted by severity, kind and title, with triage applied.
pub fn findings(m: &Model, options: &MismatchOptions, progress: &Progress) -> Result<Vec<Finding>> {
    analyze(m, options, progress)
}

/// The finding counts the home screen shows.
pub fn counts(m: &Model, progress: &Progress) -> Result<FindingCounts> {
    let found = analyze(m, &MismatchOptions::default(), progress)?;
    Ok(FindingCounts {
        total: found.len(),
        open: found.iter().filter(|f| f.status == FindingStatus::Open).count(),
    })
}
