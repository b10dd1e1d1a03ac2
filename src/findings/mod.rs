//! Findings: what Baton detects in a project, each with a stable id, a kind, a severity, the
//! subject, the evidence and a one-sentence recommendation.
//!
//! Findings are computed from the model every time they are asked for, so they never go stale.
//! The consultant's triage (accept, dismiss with a reason, reopen) is stored by finding id
//! (`FindingTriage`); ids are hashes of the kind and the subject, so a decision stays attached to
//! its finding across re-analysis and across edits that do not change the subject.

mod mismatch;
mod ownership;

pub use mismatch::{MISMATCH_KINDS, MismatchOptions};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::{FindingStatus, Model, Severity};
use crate::progress::Progress;
use crate::store::Project;

pub use crate::model::{EvidenceSource, FindingKind};

/// What a finding is about. Ids, not names: scripts act on them; titles carry the names.
/// Serialised as CLI.md fixes it (absent parts left out); the app reads the same shape.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
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
    /// Role ids, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Facility ids, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facilities: Vec<String>,
}

/// One piece of evidence, in words, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Evidence {
    pub source: EvidenceSource,
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

impl Evidence {
    fn interview(text: String) -> Evidence {
        Evidence {
            source: EvidenceSource::Interview,
            text,
            interview: None,
            alias: None,
            facility: None,
            statement: None,
            count: None,
        }
    }
}

/// A finding, with the consultant's decision on it: one element of `baton findings --json`, and
/// what the app's Findings screen lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Finding {
    pub id: String,
    pub kind: FindingKind,
    pub severity: Severity,
    pub title: String,
    pub subject: Subject,
    pub evidence: Vec<Evidence>,
    pub recommendation: String,
    pub status: FindingStatus,
    /// Why it was dismissed; empty (and left out of JSON) otherwise.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// The stable id of a finding of `kind` about `key` (the parts that identify its subject).
fn finding_id(kind: FindingKind, key: &[&str]) -> String {
    let mut hash = Sha256::new();
    hash.update(kind.as_str().as_bytes());
    for part in key {
        hash.update([0u8]);
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("{}-{hex}", kind.as_str())
}

/// A new open finding; its id comes from `kind` and `key`.
pub(super) fn finding(
    kind: FindingKind,
    key: &[&str],
    severity: Severity,
    title: String,
    subject: Subject,
    evidence: Vec<Evidence>,
    recommendation: String,
) -> Finding {
    Finding {
        id: finding_id(kind, key),
        kind,
        severity,
        title,
        subject,
        evidence,
        recommendation,
        status: FindingStatus::Open,
        reason: String::new(),
    }
}

/// Every finding of a model as `Project::model` gives it, triage applied, sorted by severity
/// (high first), kind, then title. Statements not grouped yet (a bundle written by hand, for
/// example) are consolidated in a copy in memory first, so the project itself is not changed.
/// Stops with `Cancelled` when `progress` is cancelled (checked once per step of the current
/// state and once per event log and workflow); findings only read, so that changes nothing.
pub fn analyze(m: &Model, options: &MismatchOptions, progress: &Progress) -> Result<Vec<Finding>> {
    progress.check("analysing findings")?;
    match crate::interviews::consolidated(m)? {
        Some(copy) => detect(&copy, options, progress),
        None => detect(m, options, progress),
    }
}

fn detect(m: &Model, options: &MismatchOptions, progress: &Progress) -> Result<Vec<Finding>> {
    let mut findings = ownership::detect(m, progress)?;
    findings.extend(mismatch::detect(m, options, progress)?);
    for f in &mut findings {
        if let Some(t) = m.finding_triage.iter().find(|t| t.id == f.id) {
            f.status = t.status;
            if t.status == FindingStatus::Dismissed {
                f.reason = t.reason.clone();
            }
        }
    }
    findings.sort_by(|a, b| {
        (a.severity, a.kind.as_str(), &a.title, &a.id).cmp(&(b.severity, b.kind.as_str(), &b.title, &b.id))
    });
    Ok(findings)
}

impl Project {
    /// Accepts, dismisses (with a reason) or reopens the finding `id`.
    pub fn triage_finding(&mut self, id: &str, status: FindingStatus, reason: &str) -> Result<()> {
        let m = self.model()?;
        let finding = analyze(&m, &MismatchOptions::default(), &Progress::none())?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or_else(|| {
                Error::NotFound(format!("no finding with id {id:?}; list them with `baton findings`"))
            })?;
        let reason = reason.trim();
        if status == FindingStatus::Dismissed && reason.is_empty() {
            return Err(Error::invalid("reason", "say why the finding is dismissed"));
        }
        let label = match status {
            FindingStatus::Open => "Reopen finding",
            FindingStatus::Accepted => "Accept finding",
            FindingStatus::Dismissed => "Dismiss finding",
        };
        self.edit(label, |tx| {
            tx.execute("DELETE FROM finding_triage WHERE id = ?1", [id])?;
            if status != FindingStatus::Open {
                tx.execute(
                    "INSERT INTO finding_triage (id, kind, title, status, reason, decided_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    (
                        id,
                        finding.kind.as_str(),
                        &finding.title,
                        status.as_str(),
                        if status == FindingStatus::Dismissed { reason } else { "" },
                        crate::clock::now_rfc3339(),
                    ),
                )?;
            }
            Ok(())
        })
    }
}
