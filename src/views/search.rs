//! Ctrl+F: one search over the whole project (steps, interviews, statements, findings, EMR fields
//! and values, versions and their states, comments), computed here, its results grouped by the
//! area of the app that shows them. Each hit says which screen to open and what to select there.

use serde::Serialize;

use crate::error::Result;
use crate::findings::{MismatchOptions, analyze};
use crate::model::{CommentTarget, Model};
use crate::progress::Progress;

/// Where a hit is shown, and what to select there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(tag = "screen", rename_all = "snake_case")]
pub enum SearchTarget {
    /// Swimlanes, on this step of this workflow.
    Step { workflow_id: String, step_id: String },
    /// The interview (a statement of it when `statement_id` is set).
    Interview { interview_id: String, statement_id: Option<String> },
    /// The Findings screen with this finding unfolded.
    Finding { finding_id: String },
    /// EMR data, the mapping matrix searched for `text`.
    Emr { text: String },
    /// Proposals, on this workflow.
    Proposal { workflow_id: String },
}

/// One thing found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct SearchHit {
    /// What it is, for people: "Step", "Statement", "EMR value".
    pub kind: String,
    pub title: String,
    /// Where it is: "Respiratory assessment · RN", "RT-3 · North Campus Hospital".
    pub context: String,
    pub target: SearchTarget,
}

/// Hits of one area, in the order the app lists its areas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct SearchGroup {
    pub area: String,
    pub hits: Vec<SearchHit>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct SearchResults {
    pub query: String,
    pub total: usize,
    pub groups: Vec<SearchGroup>,
}

/// Hits kept per area: more are counted, not listed.
const PER_AREA: usize = 50;

/// Every word of `query` in `texts` (any case).
fn matches(words: &[String], texts: &[&str]) -> bool {
    let all = texts.join("\n").to_lowercase();
    words.iter().all(|w| all.contains(w.as_str()))
}

/// Searches the project for every word of `query` (any case). An empty query finds nothing.
pub fn search(m: &Model, query: &str, progress: &Progress) -> Result<SearchResults> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut groups: Vec<SearchGroup> = Vec::new();
    let mut total = 0;
    let mut add = |area: &str, hits: Vec<SearchHit>| {
        total += hits.len();
        if !hits.is_empty() {
            groups.push(SearchGroup {
                area: area.to_string(),
                hits: hits.into_iter().take(PER_AREA).collect(),
            });
        }
    };
    if words.is_empty() {
        return Ok(SearchResults { query: query.to_string(), total: 0, groups: Vec::new() });
    }
    let workflow = |id: &str| m.workflows.iter().find(|w| w.id == id).map_or("", |w| w.name.as_str());
    let role =
        |id: &str| m.roles.iter().find(|r| r.id == id).map_or_else(|| id.to_string(), |r| r.name.clone());
    let facility = |id: &str| {
        m.facilities.iter().find(|f| f.id == id).map_or_else(|| id.to_string(), |f| f.name.clone())
    };

    // Interviews and their statements.
    let mut hits = Vec::new();
    for i in &m.interviews {
        let context = format!("{} · {} · {}", role(&i.role_id), facility(&i.facility_id), i.shift);
        if matches(&words, &[&i.alias, &i.notes, &i.interviewer, &context]) {
            hits.push(SearchHit {
                kind: "Interview".into(),
                title: i.alias.clone(),
                context: context.clone(),
                target: SearchTarget::Interview { interview_id: i.id.clone(), statement_id: None },
            });
        }
        for s in m.statements.iter().filter(|s| s.interview_id == i.id) {
            if matches(&words, &[&s.step_name, &s.done_means, &s.pain_point, &s.quote, &s.typical_duration]) {
                hits.push(SearchHit {
                    kind: "Statement".into(),
                    title: s.step_name.clone(),
                    context: format!("{} · {}", i.alias, s.workflow_id.as_deref().map_or("", workflow)),
                    target: SearchTarget::Interview {
                        interview_id: i.id.clone(),
                        statement_id: Some(s.id.clone()),
                    },
                });
            }
        }
    }
    add("Interviews", hits);

    // Steps of the current-state maps, and comments on them.
    let mut hits = Vec::new();
    for s in &m.steps {
        let owner = s.owner_role_id.as_deref().map_or_else(String::new, role);
        if matches(&words, &[&s.name, &owner]) {
            hits.push(SearchHit {
                kind: "Step".into(),
                title: s.name.clone(),
                context: [workflow(&s.workflow_id), owner.as_str()]
                    .iter()
                    .filter(|x| !x.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" · "),
                target: SearchTarget::Step { workflow_id: s.workflow_id.clone(), step_id: s.id.clone() },
            });
        }
    }
    for c in m.comments.iter().filter(|c| c.target == CommentTarget::Step) {
        let Some(s) = m.steps.iter().find(|s| s.id == c.target_id) else { continue };
        if matches(&words, &[&c.text]) {
            hits.push(SearchHit {
                kind: "Comment".into(),
                title: c.text.clone(),
                context: format!("on “{}” · {}", s.name, workflow(&s.workflow_id)),
                target: SearchTarget::Step { workflow_id: s.workflow_id.clone(), step_id: s.id.clone() },
            });
        }
    }
    add("Swimlanes", hits);

    // EMR fields and values.
    let mut hits = Vec::new();
    for f in &m.emr_fields {
        if matches(&words, &[&f.name, &f.source, &f.description]) {
            hits.push(SearchHit {
                kind: "EMR field".into(),
                title: f.name.clone(),
                context: f.source.clone(),
                target: SearchTarget::Emr { text: f.name.clone() },
            });
        }
    }
    for v in &m.emr_values {
        let field = m.emr_fields.iter().find(|f| f.id == v.field_id).map_or("", |f| f.name.as_str());
        if matches(&words, &[&v.value, &v.description]) {
            hits.push(SearchHit {
                kind: "EMR value".into(),
                title: v.value.clone(),
                context: field.to_string(),
                target: SearchTarget::Emr { text: v.value.clone() },
            });
        }
    }
    add("EMR data", hits);

    // Findings.
    let found = analyze(m, &MismatchOptions::default(), progress)?;
    let hits = found
        .iter()
        .filter(|f| {
            let evidence: Vec<&str> = f.evidence.iter().map(|e| e.text.as_str()).collect();
            let mut texts = vec![f.title.as_str(), f.recommendation.as_str(), f.kind.label()];
            texts.extend(evidence);
            matches(&words, &texts)
        })
        .map(|f| SearchHit {
            kind: f.kind.label().to_string(),
            title: f.title.clone(),
            context: format!("{} · {}", f.severity.as_str(), f.status.as_str()),
            target: SearchTarget::Finding { finding_id: f.id.clone() },
        })
        .collect();
    add("Findings", hits);

    // Proposed versions and their states.
    let mut hits = Vec::new();
    for v in &m.versions {
        let label = v.number.map_or_else(|| "Draft".to_string(), |n| format!("Version {n}"));
        let name = workflow(&v.workflow_id);
        if matches(&words, &[&v.note, &label, name]) && !v.note.is_empty() {
            hits.push(SearchHit {
                kind: "Version".into(),
                title: format!("{name} — {label}"),
                context: v.note.clone(),
                target: SearchTarget::Proposal { workflow_id: v.workflow_id.clone() },
            });
        }
        for s in m.proposed_states.iter().filter(|s| s.version_id == v.id) {
            if matches(&words, &[&s.name, &s.meaning, &s.task]) {
                hits.push(SearchHit {
                    kind: "State".into(),
                    title: s.name.clone(),
                    context: format!("{name} — {label}"),
                    target: SearchTarget::Proposal { workflow_id: v.workflow_id.clone() },
                });
            }
        }
    }
    add("Proposals", hits);

    Ok(SearchResults { query: query.to_string(), total, groups })
}
