//! The report dialog: the chapters and formats it offers, and what in the project's free text
//! looks like a patient identifier, to redact before a report leaves.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::model::Model;
use crate::phi::PhiMatch;
use crate::progress::Progress;
use crate::report::{Format, ReportOptions, Section};
use crate::vocab::text_enum;

text_enum!(
    /// The report formats the dialog offers.
    ReportFormat { Pdf => "pdf", Html => "html", Markdown => "md" }
);

impl ReportFormat {
    pub fn format(self) -> Format {
        match self {
            ReportFormat::Pdf => Format::Pdf,
            ReportFormat::Html => Format::Html,
            ReportFormat::Markdown => Format::Markdown,
        }
    }
}

/// Free text of the project that looks like a patient identifier.
pub fn phi_scan(m: &Model) -> Vec<PhiMatch> {
    crate::phi::scan_model(m)
}

/// Writes the report of `m` with the chosen chapters (empty: all), facilities and workflows to
/// `out`; returns the files written. Recording it in the audit trail is the caller's
/// (`crate::report::record_report`), once the report is written.
pub fn write(
    m: &Model,
    sections: &[Section],
    facilities: Vec<String>,
    workflows: Vec<String>,
    format: ReportFormat,
    out: &Path,
    progress: &Progress,
) -> Result<Vec<PathBuf>> {
    let options =
        ReportOptions { sections: sections.iter().copied().collect(), facilities, workflows, date: None };
    crate::report::write_report(m, &options, format.format(), out, progress)
}
