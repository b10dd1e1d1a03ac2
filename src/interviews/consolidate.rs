//! Consolidation: statements about the same step, from different interviews, become one canonical
//! step of the workflow's current-state map, and the order of statements becomes its handoffs.
//!
//! The rules (also in ARCHITECTURE.md):
//! - A statement keeps the step it was grouped into. Only statements without a step are grouped:
//!   into the step whose name, or whose statements' names, match theirs once normalized
//!   (`normalize`), or else into a new step, marked `generated`.
//! - Similar but not equal names are never grouped silently: `suggestions` offers them as merges
//!   the consultant accepts (`merge_steps`) or rejects (`keep_steps_apart`, remembered).
//! - A generated step's owner and "done means" follow the interviews (the most named performer,
//!   the most common phrase); a step edited by hand is the consultant's and keeps its name, owner,
//!   "done means" and position. A generated step no statement supports any more is removed, unless
//!   it was placed by hand.
//! - Consecutive statements of one interview about one workflow give a handoff between their steps;
//!   such handoffs are `generated` and removed when no statement supports them any more. Handoffs
//!   drawn by hand stay. Every step and handoff's supporting statements are computed, not stored
//!   (`provenance`), so they are always current.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{OptionalExtension, Transaction};

use crate::error::{Error, Result};
use crate::model::{ClaimKind, Model, StepKind, new_id};
use crate::store::{Project, exists, must_exist};

/// Names at least this similar (0..1) are offered as merge suggestions.
pub const SUGGESTION_THRESHOLD: f64 = 0.72;

const STOPWORDS: &[&str] =
    &["a", "an", "the", "of", "to", "into", "in", "on", "for", "with", "and", "my", "our"];

/// A step name reduced to what matters for grouping: lower case, letters and digits only, without
/// little words. "Chart the assessment." and "chart assessment" are the same step.
pub fn normalize(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two words are the same word in another form ("match" / "matches", "signs" / "signed").
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    common >= 4 && common + 2 >= a.chars().count().min(b.chars().count())
}

/// The share (0..1) of the shorter text's words that the other text also has.
fn word_overlap(a: &[&str], b: &[&str]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let shared = short.iter().filter(|w| long.iter().any(|x| same_word(w, x))).count();
    shared as f64 / short.len() as f64
}

/// How alike two step names are, from 0 (nothing shared) to 1 (the same once normalized).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize(a), normalize(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let words_a: Vec<&str> = a.split(' ').collect();
    let words_b: Vec<&str> = b.split(' ').collect();
    let words = word_overlap(&words_a, &words_b);
    let letters = strsim::sorensen_dice(&a, &b);
    // Both must agree: letters alone pair "review" with "reconcile", words alone pair any two
    // steps that share "assessment".
    (words * letters).sqrt()
}

/// Little words that say nothing about what "done" means.
const FILLER: &[&str] = &[
    "i", "ve", "it", "its", "is", "are", "was", "has", "have", "been", "be", "me", "we", "they", "them",
    "their", "that", "this", "then", "when", "once", "means", "done", "just", "only", "s", "my", "our",
];

/// Words that name who does something in a clinical "done means" ("pharmacist signed"), in
/// singular and plural.
const ACTORS: &[&str] = &[
    "pharmacist",
    "pharmacists",
    "pharmacy",
    "hospitalist",
    "hospitalists",
    "physician",
    "physicians",
    "doctor",
    "doctors",
    "md",
    "provider",
    "providers",
    "attending",
    "resident",
    "residents",
    "surgeon",
    "surgeons",
    "anesthesia",
    "anesthesiologist",
    "nurse",
    "nurses",
    "rn",
    "rns",
    "lpn",
    "charge",
    "therapist",
    "therapists",
    "rt",
    "rts",
    "lab",
    "laboratory",
    "technician",
    "tech",
    "techs",
    "transport",
    "porter",
    "clerk",
    "coordinator",
    "uc",
    "patient",
    "family",
    "radiologist",
    "pathologist",
    "intensivist",
    "np",
    "pa",
];

/// Whether two "done means" phrases say the same thing: at least half the words of the shorter
/// one, in some form, are in the other, and they do not name different people ("pharmacist
/// signed" is not "hospitalist co-signed").
pub fn same_meaning(a: &str, b: &str) -> bool {
    let (a, b) = (normalize(a), normalize(b));
    let words = |text: &str| -> Vec<String> {
        text.split(' ').filter(|w| !w.is_empty() && !FILLER.contains(w)).map(str::to_string).collect()
    };
    let actors = |text: &str| -> std::collections::BTreeSet<String> {
        text.split(' ').filter(|w| ACTORS.contains(w)).map(|w| w.trim_end_matches('s').to_string()).collect()
    };
    // People named alike ("anesthesia", "anesthesiologist"; "pharmacist", "pharmacy") are one.
    let one = |x: &String, y: &String| x == y || (x.len() >= 5 && y.len() >= 5 && x[..5] == y[..5]);
    let (xa, xb) = (actors(&a), actors(&b));
    if a != b && !xa.is_empty() && !xb.is_empty() && !xa.iter().any(|x| xb.iter().any(|y| one(x, y))) {
        return false;
    }
    let (wa, wb) = (words(&a), words(&b));
    let ra: Vec<&str> = wa.iter().map(String::as_str).collect();
    let rb: Vec<&str> = wb.iter().map(String::as_str).collect();
    a == b || word_overlap(&ra, &rb) >= 0.5
}

/// Two steps that look like the same work.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct MergeSuggestion {
    pub workflow_id: String,
    pub first_step_id: String,
    pub second_step_id: String,
    /// The two names (step or statement names) that are most alike.
    pub first_name: String,
    pub second_name: String,
    pub score: f64,
}

/// Every name a step is known by: its own and its statements'.
fn names_of(m: &Model, step_id: &str) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(step) = m.steps.iter().find(|s| s.id == step_id) {
        names.push(step.name.clone());
    }
    for s in m.statements.iter().filter(|s| s.step_id.as_deref() == Some(step_id)) {
        if !names.iter().any(|n| normalize(n) == normalize(&s.step_name)) {
            names.push(s.step_name.clone());
        }
    }
    names
}

/// Merge suggestions for one workflow's steps, most alike first. Pairs the consultant kept apart
/// are not suggested again.
pub fn suggestions(m: &Model, workflow_id: &str) -> Vec<MergeSuggestion> {
    let steps: Vec<&crate::model::Step> = m
        .steps
        .iter()
        .filter(|s| s.workflow_id == workflow_id && matches!(s.kind, StepKind::Task | StepKind::Decision))
        .collect();
    let apart: BTreeSet<(&str, &str)> =
        m.distinct_steps.iter().map(|d| (d.first_step_id.as_str(), d.second_step_id.as_str())).collect();
    let names: BTreeMap<&str, Vec<String>> =
        steps.iter().map(|s| (s.id.as_str(), names_of(m, &s.id))).collect();
    let mut out = Vec::new();
    for (i, a) in steps.iter().enumerate() {
        for b in &steps[i + 1..] {
            let (first, second) = if a.id < b.id { (a, b) } else { (b, a) };
            if apart.contains(&(first.id.as_str(), second.id.as_str())) {
                continue;
            }
            let mut best: Option<(f64, &String, &String)> = None;
            for x in names.get(first.id.as_str()).into_iter().flatten() {
                for y in names.get(second.id.as_str()).into_iter().flatten() {
                    let score = similarity(x, y);
                    if best.is_none_or(|(s, _, _)| score > s) {
                        best = Some((score, x, y));
                    }
                }
            }
            if let Some((score, x, y)) = best
                && score >= SUGGESTION_THRESHOLD
            {
                out.push(MergeSuggestion {
                    workflow_id: workflow_id.to_string(),
                    first_step_id: first.id.clone(),
                    second_step_id: second.id.clone(),
                    first_name: x.clone(),
                    second_name: y.clone(),
                    score: (score * 1000.0).round() / 1000.0,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| (&a.first_step_id, &a.second_step_id).cmp(&(&b.first_step_id, &b.second_step_id)))
    });
    out
}

/// Every step name a statement could be given, by workflow: the steps' names and the names
/// statements already use, once per normalized name, sorted by (workflow id, name).
pub fn known_step_names(m: &Model) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut known = Vec::new();
    let names = m
        .steps
        .iter()
        .map(|s| (s.workflow_id.clone(), s.name.clone()))
        .chain(m.statements.iter().filter_map(|s| Some((s.workflow_id.clone()?, s.step_name.clone()))));
    for (workflow_id, name) in names {
        let key = normalize(&name);
        if !key.is_empty() && seen.insert((workflow_id.clone(), key)) {
            known.push((workflow_id, name));
        }
    }
    known.sort();
    known
}

/// Which statements support each step and each handoff of a workflow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    /// Step id → statement ids, in interview and position order.
    pub steps: BTreeMap<String, Vec<String>>,
    /// Handoff id → ids of the statements whose next statement (same interview and workflow) is
    /// about the handoff's target step.
    pub handoffs: BTreeMap<String, Vec<String>>,
}

/// Statements of one workflow per interview, in the interviewee's order.
fn sequences<'m>(m: &'m Model, workflow_id: &str) -> BTreeMap<&'m str, Vec<&'m crate::model::Statement>> {
    let mut by_interview: BTreeMap<&str, Vec<&crate::model::Statement>> = BTreeMap::new();
    for s in m.statements.iter().filter(|s| s.workflow_id.as_deref() == Some(workflow_id)) {
        by_interview.entry(s.interview_id.as_str()).or_default().push(s);
    }
    for list in by_interview.values_mut() {
        list.sort_by_key(|s| (s.position, s.id.clone()));
    }
    by_interview
}

/// Step pairs (from, to) said by consecutive statements, each with the statements that say it.
fn supported_pairs(m: &Model, workflow_id: &str) -> BTreeMap<(String, String), Vec<String>> {
    let mut pairs: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for list in sequences(m, workflow_id).values() {
        for pair in list.windows(2) {
            if let (Some(a), Some(b)) = (&pair[0].step_id, &pair[1].step_id)
                && a != b
            {
                pairs.entry((a.clone(), b.clone())).or_default().push(pair[0].id.clone());
            }
        }
    }
    pairs
}

/// The supporting statements of every step and handoff of `workflow_id`.
pub fn provenance(m: &Model, workflow_id: &str) -> Provenance {
    let mut out = Provenance::default();
    for step in m.steps.iter().filter(|s| s.workflow_id == workflow_id) {
        out.steps.insert(step.id.clone(), Vec::new());
    }
    let mut ordered: Vec<&crate::model::Statement> =
        m.statements.iter().filter(|s| s.workflow_id.as_deref() == Some(workflow_id)).collect();
    ordered.sort_by(|a, b| (&a.interview_id, a.position, &a.id).cmp(&(&b.interview_id, b.position, &b.id)));
    for s in ordered {
        if let Some(step) = &s.step_id {
            out.steps.entry(step.clone()).or_default().push(s.id.clone());
        }
    }
    let pairs = supported_pairs(m, workflow_id);
    for h in m.handoffs.iter().filter(|h| h.workflow_id == workflow_id) {
        let support = pairs.get(&(h.from_step_id.clone(), h.to_step_id.clone())).cloned().unwrap_or_default();
        out.handoffs.insert(h.id.clone(), support);
    }
    out
}

/// One cell of the claims matrix: what one role (the interviewees') says about another role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimCell {
    /// The interviewees' role.
    pub by_role_id: String,
    pub kind: ClaimKind,
    /// The role said to own (or not to own) the step.
    pub about_role_id: String,
    pub owns: bool,
    /// Statements saying so, one per statement.
    pub statements: Vec<String>,
}

/// A statement's ownership assertions: (kind, role, owns), from "performed by", "validated by" and
/// its recorded beliefs, each once.
pub fn assertions(m: &Model, statement: &crate::model::Statement) -> BTreeSet<(ClaimKind, String, bool)> {
    let mut out = BTreeSet::new();
    if let Some(role) = &statement.performed_by {
        out.insert((ClaimKind::Performs, role.clone(), true));
    }
    if let Some(role) = &statement.validated_by {
        out.insert((ClaimKind::Validates, role.clone(), true));
    }
    for c in m.claims.iter().filter(|c| c.statement_id == statement.id) {
        out.insert((c.kind, c.role_id.clone(), c.owns));
    }
    out
}

/// The claims matrix of a step: for every interviewed role, which roles it says perform or
/// validate the step, with the statements that say so. Sorted by (by role, kind, about role, owns).
pub fn claims_matrix(m: &Model, step_id: &str) -> Vec<ClaimCell> {
    let mut cells: BTreeMap<(String, ClaimKind, String, bool), Vec<String>> = BTreeMap::new();
    for s in m.statements.iter().filter(|s| s.step_id.as_deref() == Some(step_id)) {
        let Some(interview) = m.interviews.iter().find(|i| i.id == s.interview_id) else { continue };
        for (kind, role, owns) in assertions(m, s) {
            cells.entry((interview.role_id.clone(), kind, role, owns)).or_default().push(s.id.clone());
        }
    }
    cells
        .into_iter()
        .map(|((by_role_id, kind, about_role_id, owns), statements)| ClaimCell {
            by_role_id,
            kind,
            about_role_id,
            owns,
            statements,
        })
        .collect()
}

/// The role most often named as performer of a step's statements (ties: the one named first),
/// and the most common "done means" (ties: the first said).
fn consensus(m: &Model, step_id: &str) -> (Option<String>, String) {
    let mut performers: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut done: BTreeMap<String, (usize, usize, String)> = BTreeMap::new();
    let mut ordered: Vec<&crate::model::Statement> =
        m.statements.iter().filter(|s| s.step_id.as_deref() == Some(step_id)).collect();
    ordered.sort_by(|a, b| (&a.interview_id, a.position, &a.id).cmp(&(&b.interview_id, b.position, &b.id)));
    for (order, s) in ordered.iter().enumerate() {
        for (kind, role, owns) in assertions(m, s) {
            if kind == ClaimKind::Performs && owns {
                let entry = performers.entry(role).or_insert((0, order));
                entry.0 += 1;
            }
        }
        let key = s.done_means.trim().to_lowercase();
        if !key.is_empty() {
            let entry = done.entry(key).or_insert((0, order, s.done_means.trim().to_string()));
            entry.0 += 1;
        }
    }
    let owner =
        performers.into_iter().max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1))).map(|(r, _)| r);
    let done_means =
        done.into_values().max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1))).map(|d| d.2).unwrap_or_default();
    (owner, done_means)
}

/// Brings one workflow's current-state map in line with its statements (the rules at the top of
/// this file), inside the caller's transaction so the edit and its consolidation undo together.
pub(crate) fn consolidate(tx: &Transaction<'_>, workflow_id: &str) -> Result<()> {
    let mut m = crate::store::load_model_in(tx)?;
    // 1. Group statements without a step.
    let mut unassigned: Vec<usize> = m
        .statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.workflow_id.as_deref() == Some(workflow_id) && s.step_id.is_none())
        .map(|(i, _)| i)
        .collect();
    unassigned.sort_by(|&a, &b| {
        let (a, b) = (&m.statements[a], &m.statements[b]);
        (&a.interview_id, a.position, &a.id).cmp(&(&b.interview_id, b.position, &b.id))
    });
    let mut next_position: i64 =
        m.steps.iter().filter(|s| s.workflow_id == workflow_id).map(|s| s.position + 1).max().unwrap_or(0);
    for index in unassigned {
        let key = normalize(&m.statements[index].step_name);
        if key.is_empty() {
            continue;
        }
        let step_id = match best_step_for(&m, workflow_id, &key) {
            Some(id) => id,
            None => {
                let id = new_id();
                let name = m.statements[index].step_name.trim().to_string();
                tx.execute(
                    "INSERT INTO step (id, workflow_id, name, kind, position, generated)
                     VALUES (?1, ?2, ?3, 'task', ?4, 1)",
                    (&id, workflow_id, &name, next_position),
                )?;
                m.steps.push(crate::model::Step {
                    id: id.clone(),
                    workflow_id: workflow_id.to_string(),
                    name,
                    kind: StepKind::Task,
                    owner_role_id: None,
                    done_means: String::new(),
                    position: next_position,
                    manual_xy: None,
                    generated: true,
                    service_level: String::new(),
                    safety_critical: false,
                });
                next_position += 1;
                id
            }
        };
        tx.execute("UPDATE statement SET step_id = ?1 WHERE id = ?2", (&step_id, &m.statements[index].id))?;
        m.statements[index].step_id = Some(step_id);
    }
    // 2. Remove generated steps nothing supports; refresh the others from their statements.
    let supported: BTreeSet<String> = m.statements.iter().filter_map(|s| s.step_id.clone()).collect();
    for step in m.steps.iter().filter(|s| s.workflow_id == workflow_id && s.generated) {
        if !supported.contains(&step.id) && step.manual_xy.is_none() {
            tx.execute("DELETE FROM step WHERE id = ?1", [&step.id])?;
            continue;
        }
        let (owner, done_means) = consensus(&m, &step.id);
        if owner != step.owner_role_id || done_means != step.done_means {
            tx.execute(
                "UPDATE step SET owner_role_id = ?1, done_means = ?2 WHERE id = ?3",
                (&owner, &done_means, &step.id),
            )?;
        }
    }
    // 3. Handoffs follow the order of statements. `m` still lists handoffs of the steps just
    // removed (the database dropped them with their steps); none of them joins supported steps, so
    // they neither match a pair nor need deleting twice.
    let pairs = supported_pairs(&m, workflow_id);
    let existing: BTreeSet<(String, String)> = m
        .handoffs
        .iter()
        .filter(|h| h.workflow_id == workflow_id)
        .map(|h| (h.from_step_id.clone(), h.to_step_id.clone()))
        .collect();
    for h in m.handoffs.iter().filter(|h| h.workflow_id == workflow_id && h.generated) {
        if !pairs.contains_key(&(h.from_step_id.clone(), h.to_step_id.clone())) {
            tx.execute("DELETE FROM handoff WHERE id = ?1", [&h.id])?;
        }
    }
    let mut next_position: i64 =
        m.handoffs.iter().filter(|h| h.workflow_id == workflow_id).map(|h| h.position + 1).max().unwrap_or(0);
    for (from, to) in pairs.keys() {
        if !existing.contains(&(from.clone(), to.clone())) {
            tx.execute(
                "INSERT INTO handoff (id, workflow_id, from_step_id, to_step_id, position, generated)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1)",
                (new_id(), workflow_id, from, to, next_position),
            )?;
            next_position += 1;
        }
    }
    Ok(())
}

/// The step a normalized statement name belongs to: the one with most statements of that name,
/// then one whose own name matches, then the earliest in the flow.
fn best_step_for(m: &Model, workflow_id: &str, key: &str) -> Option<String> {
    let mut best: Option<(usize, bool, i64, String)> = None;
    for step in m.steps.iter().filter(|s| s.workflow_id == workflow_id) {
        let votes = m
            .statements
            .iter()
            .filter(|s| s.step_id.as_deref() == Some(step.id.as_str()) && normalize(&s.step_name) == key)
            .count();
        let named = normalize(&step.name) == key;
        if votes == 0 && !named {
            continue;
        }
        let candidate = (votes, named, -step.position, step.id.clone());
        let better = match &best {
            None => true,
            Some(b) => (candidate.0, candidate.1, candidate.2) > (b.0, b.1, b.2),
        };
        if better {
            best = Some(candidate);
        }
    }
    best.map(|b| b.3)
}

/// The workflow of step `step_id`; not found when there is no such step.
pub(crate) fn workflow_of_step(tx: &Transaction<'_>, step_id: &str) -> Result<String> {
    tx.query_row("SELECT workflow_id FROM step WHERE id = ?1", [step_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("no step with id {step_id:?} in this project")))
}

impl Project {
    /// Regroups one workflow's statements that have no step yet and refreshes its generated steps
    /// and handoffs (after a bundle import with ungrouped statements, for example).
    pub fn consolidate(&mut self, workflow_id: &str) -> Result<()> {
        self.edit("Consolidate interviews", |tx| {
            must_exist(tx, "workflow", "workflow", workflow_id)?;
            consolidate(tx, workflow_id)
        })
    }

    /// Merges step `from` into step `into` (same workflow): its statements, handoffs and comments
    /// move to `into`, and `from` is removed. Undoable as one edit.
    pub fn merge_steps(&mut self, from: &str, into: &str) -> Result<()> {
        if from == into {
            return Err(Error::invalid("step", "a step cannot be merged into itself"));
        }
        self.edit("Merge steps", |tx| {
            let workflow = workflow_of_step(tx, from)?;
            if workflow_of_step(tx, into)? != workflow {
                return Err(Error::invalid("step", "only steps of the same workflow can be merged"));
            }
            tx.execute("UPDATE statement SET step_id = ?1 WHERE step_id = ?2", (into, from))?;
            tx.execute(
                "UPDATE comment SET target_id = ?1 WHERE target_kind = 'step' AND target_id = ?2",
                (into, from),
            )?;
            tx.execute("UPDATE handoff SET from_step_id = ?1 WHERE from_step_id = ?2", (into, from))?;
            tx.execute("UPDATE handoff SET to_step_id = ?1 WHERE to_step_id = ?2", (into, from))?;
            tx.execute("DELETE FROM handoff WHERE from_step_id = to_step_id", [])?;
            tx.execute(
                "DELETE FROM handoff WHERE workflow_id = ?1 AND id NOT IN
                   (SELECT min(id) FROM handoff WHERE workflow_id = ?1 GROUP BY from_step_id, to_step_id)",
                [&workflow],
            )?;
            tx.execute("DELETE FROM step WHERE id = ?1", [from])?;
            consolidate(tx, &workflow)
        })
    }

    /// Takes statements out of their step into a new step named `name` (the first statement's
    /// words when empty); returns the new step's id. Undoable as one edit.
    pub fn split_step(&mut self, statement_ids: &[String], name: &str) -> Result<String> {
        let first = statement_ids
            .first()
            .ok_or_else(|| Error::invalid("statements", "choose at least one statement"))?;
        self.edit("Split step", |tx| {
            let (workflow, words, old_step): (Option<String>, String, Option<String>) = tx
                .query_row("SELECT workflow_id, step_name, step_id FROM statement WHERE id = ?1", [first], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?
                .ok_or_else(|| Error::NotFound(format!("no statement with id {first:?} in this project")))?;
            let workflow = workflow.ok_or_else(|| {
                Error::invalid("statement", "this statement is not about a workflow yet; choose its workflow first")
            })?;
            let name = if name.trim().is_empty() { words.trim().to_string() } else { name.trim().to_string() };
            // The new step comes right after the one it was split from.
            let position: i64 = match &old_step {
                Some(step) => {
                    tx.query_row("SELECT position + 1 FROM step WHERE id = ?1", [step], |r| r.get(0))?
                }
                None => 0,
            };
            tx.execute(
                "UPDATE step SET position = position + 1 WHERE workflow_id = ?1 AND position >= ?2",
                (&workflow, position),
            )?;
            let id = new_id();
            tx.execute(
                "INSERT INTO step (id, workflow_id, name, kind, position, generated) VALUES (?1, ?2, ?3, 'task', ?4, 1)",
                (&id, &workflow, &name, position),
            )?;
            for statement in statement_ids {
                let moved = tx.execute(
                    "UPDATE statement SET step_id = ?1 WHERE id = ?2 AND workflow_id = ?3",
                    (&id, statement, &workflow),
                )?;
                if moved == 0 {
                    return Err(Error::invalid(
                        "statements",
                        format!("statement {statement:?} is not about the same workflow as {first:?}"),
                    ));
                }
            }
            consolidate(tx, &workflow)?;
            Ok(id)
        })
    }

    /// Records that two steps are different work, so they are not suggested as a merge again.
    pub fn keep_steps_apart(&mut self, a: &str, b: &str) -> Result<()> {
        if a == b {
            return Err(Error::invalid("step", "choose two different steps"));
        }
        let (first, second) = if a < b { (a, b) } else { (b, a) };
        self.edit("Keep steps apart", |tx| {
            let workflow = workflow_of_step(tx, first)?;
            if workflow_of_step(tx, second)? != workflow {
                return Err(Error::invalid("step", "the two steps belong to different workflows"));
            }
            tx.execute(
                "INSERT OR IGNORE INTO distinct_steps (workflow_id, first_step_id, second_step_id) VALUES (?1, ?2, ?3)",
                (&workflow, first, second),
            )?;
            Ok(())
        })
    }
}

impl Project {
    /// Renames a current-state step. The step becomes the consultant's: consolidation keeps the
    /// new name, and keeps grouping statements named like it into it.
    pub fn rename_step(&mut self, id: &str, name: &str) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("name", "a step needs a name"));
        }
        self.edit(&format!("Rename step to {name}"), |tx| {
            let workflow = workflow_of_step(tx, id)?;
            // Two steps of one name would read as one on every map: merge them instead.
            let taken: Option<String> = tx
                .query_row(
                    "SELECT name FROM step WHERE workflow_id = ?1 AND id != ?2 AND lower(trim(name)) = lower(?3)",
                    (&workflow, id, name),
                    |r| r.get(0),
                )
                .ok();
            if let Some(other) = taken {
                return Err(Error::invalid(
                    "name",
                    format!("this workflow already has a step named “{other}”; merge the two steps instead"),
                ));
            }
            tx.execute("UPDATE step SET name = ?1, generated = 0 WHERE id = ?2", (name, id))?;
            Ok(())
        })
    }

    /// Sets a current-state step's owning role (its lane), or clears it. The step becomes the
    /// consultant's: consolidation no longer changes its owner.
    pub fn set_step_owner(&mut self, id: &str, role_id: Option<&str>) -> Result<()> {
        self.edit("Change step owner", |tx| {
            let workflow = workflow_of_step(tx, id)?;
            if let Some(role) = role_id
                && !exists(tx, "role", role)?
            {
                return Err(Error::invalid("owner", format!("no role with id {role:?} in this project")));
            }
            tx.execute("UPDATE step SET owner_role_id = ?1, generated = 0 WHERE id = ?2", (role_id, id))?;
            consolidate(tx, &workflow)
        })
    }

    /// Sets a step's service level (ISO 8601, `PT30M`: the step should be done within this long
    /// of the event before it; empty to clear it) and whether it is safety-critical. The step
    /// becomes the consultant's, so consolidation keeps it.
    pub fn set_service_level(&mut self, id: &str, within: &str, safety_critical: bool) -> Result<()> {
        let within = within.trim();
        if !within.is_empty() && crate::model::duration::parse_duration(within).is_none() {
            return Err(Error::invalid(
                "within",
                format!("{within:?} is not a duration such as PT30M (30 minutes) or PT4H (4 hours)"),
            ));
        }
        let label =
            if within.is_empty() && !safety_critical { "Clear service level" } else { "Set service level" };
        self.edit(label, |tx| {
            workflow_of_step(tx, id)?;
            tx.execute(
                "UPDATE step SET service_level = ?1, safety_critical = ?2, generated = 0 WHERE id = ?3",
                (within, safety_critical, id),
            )?;
            Ok(())
        })
    }
}
