//! Findings: what Baton detects in a project, each with a stable id, a kind, a severity, the
//! subject, the evidence and a one-sentence recommendation.
//!
//! Findings are computed from the model every time they are asked for, so they never go stale.
//! The consultant's triage (accept, dismiss with a reason, reopen) is stored by finding id
//! (`FindingTriage`); ids are hashes of the kind and the subject, so a decision stays attached to
//! its finding across re-analysis and across edits that do not change the subject.

mod mismatch;
mod ownership;

pub use mismatch::{MISMATCH_KINDS, MismatchOptions, loose};

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
    /// How many cases (or records) it affects, where it counts them: the second sort key.
    #[serde(skip)]
    pub cases: Option<i64>,
    /// The parts of the subject its id is made from.
    #[serde(skip)]
    key: Vec<String>,
}

impl Finding {
    /// The parts of the subject its id is made from: for an undocumented transition the
    /// workflow and the two steps' ids, for an unobserved one the workflow and the handoff's id.
    pub fn key(&self) -> &[String] {
        &self.key
    }
}

/// Kinds split from an older kind: a finding of the new kind carries over the consultant's
/// decision on the old kind's finding about the same subject (same key), as the ids of kinds
/// renamed or split change.
const FORMER_KINDS: &[(FindingKind, FindingKind)] = &[
    (FindingKind::UnmappedValue, FindingKind::UnusedValue),
    (FindingKind::UnconfirmedOwner, FindingKind::OwnershipDrift),
];

/// What the consultant should know before trusting the findings: logs imported before waiting
/// times were kept as sketches, whose tails cannot be judged until they are imported again.
pub fn notices(m: &Model) -> Vec<String> {
    m.logs
        .iter()
        .filter(|l| l.edges.iter().any(|e| e.sketch.is_none()))
        .map(|l| {
            let name = m.imports.iter().find(|i| i.id == l.id).map_or(l.id.as_str(), |i| i.name.as_str());
            format!(
                "The event log “{name}” was imported before Baton kept its waiting times: only its medians are judged; import it again to find stalls in the tail of its waits."
            )
        })
        .collect()
}

/// The ids this finding had under the kinds it was split from.
fn former_ids(f: &Finding) -> Vec<String> {
    let key: Vec<&str> = f.key.iter().map(String::as_str).collect();
    FORMER_KINDS.iter().filter(|(new, _)| *new == f.kind).map(|(_, old)| finding_id(*old, &key)).collect()
}

impl Finding {
    /// The same finding, affecting `cases` cases (or records).
    pub(super) fn affecting(mut self, cases: i64) -> Finding {
        self.cases = Some(cases);
        self
    }
}

/// From this many cases (or records) on, a finding is large…
pub const IMPACT_CASES: i64 = 100;
/// …or from this share of the workflow's cases (or the field's records).
pub const IMPACT_SHARE: f64 = 0.10;
/// Below both, from this many cases it is medium; fewer is low.
pub const IMPACT_SOME: i64 = 20;

/// The severity of a finding from data, by its impact (the README's rule): high when it is large
/// (`IMPACT_CASES` cases or `IMPACT_SHARE` of them) and either about ownership or on a
/// safety-critical step, or when it affects `IMPACT_SOME` cases of a safety-critical step; medium
/// when it is large, or affects `IMPACT_SOME` cases; else low.
pub fn impact(cases: i64, share: f64, ownership: bool, critical: bool) -> Severity {
    let large = cases >= IMPACT_CASES || share >= IMPACT_SHARE;
    if (large && (ownership || critical)) || (critical && cases >= IMPACT_SOME) {
        Severity::High
    } else if large || cases >= IMPACT_SOME {
        Severity::Medium
    } else {
        Severity::Low
    }
}

/// 2100 as "2,100".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
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
        cases: None,
        key: key.iter().map(|k| k.to_string()).collect(),
    }
}

/// Whether a finding is about a workflow: by its subject's workflow, else by the business state
/// it names, else by the business states its EMR value is mapped to.
pub fn about_workflow(m: &Model, f: &Finding, workflow_id: &str) -> bool {
    let ours = |state: &str| m.business_states.iter().any(|b| b.id == state && b.workflow_id == workflow_id);
    match (&f.subject.workflow, &f.subject.state, &f.subject.value) {
        (Some(w), _, _) => w == workflow_id,
        (None, Some(s), _) => ours(s),
        (None, None, Some(v)) => m.mappings.iter().any(|x| &x.value_id == v && ours(&x.state_id)),
        (None, None, None) => false,
    }
}

/// Every finding of a model as `Project::model` gives it, triage applied, sorted by severity
/// (high first), cases affected (most first), kind, then title. Statements not grouped yet (a bundle written by hand, for
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
    let ids: std::collections::BTreeSet<String> = findings.iter().map(|f| f.id.clone()).collect();
    let decided = |id: &str| m.finding_triage.iter().find(|t| t.id == id);
    for f in &mut findings {
        // A decision on the kind it was split from counts, unless that finding still exists.
        let former = former_ids(f).into_iter().filter(|id| !ids.contains(id)).find_map(|id| decided(&id));
        if let Some(t) = decided(&f.id).or(former) {
            f.status = t.status;
            if t.status == FindingStatus::Dismissed {
                f.reason = t.reason.clone();
            }
        }
    }
    // Severity, then cases affected (most first; none after any), then kind and title.
    findings.sort_by(|a, b| {
        let cases = |f: &Finding| std::cmp::Reverse(f.cases.map_or(-1, |n| n));
        (a.severity, cases(a), a.kind.as_str(), &a.title, &a.id).cmp(&(
            b.severity,
            cases(b),
            b.kind.as_str(),
            &b.title,
            &b.id,
        ))
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
        let former = former_ids(&finding);
        self.edit(label, |tx| {
            tx.execute("DELETE FROM finding_triage WHERE id = ?1", [id])?;
            // The decision now belongs to this id; one carried over from a former kind goes.
            for old in &former {
                tx.execute("DELETE FROM finding_triage WHERE id = ?1", [old])?;
            }
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
