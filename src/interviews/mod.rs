//! Interview capture: interviews and their statements, each change one journaled edit that also
//! re-consolidates the workflows it touches (`consolidate`), so the current-state map, the claims
//! matrix and the findings always reflect what was typed, and one undo takes all of it back.

pub mod consolidate;

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, Transaction};

use crate::error::{Error, Result};
use crate::model::{ClaimKind, Model, Workaround, new_id};
use crate::store::{Project, exists, must_exist, workarounds_to_text};

/// What the interview form holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct InterviewInput {
    pub role_id: String,
    pub facility_id: String,
    pub shift: String,
    /// "RT-3": never a name.
    pub alias: String,
    /// `YYYY-MM-DD`, or empty.
    pub date: String,
    pub interviewer: String,
    pub notes: String,
    /// The workflows the interview is about (ids), the first for its new statements. A project
    /// with workflows needs at least one.
    #[serde(default)]
    pub workflows: Vec<String>,
}

/// A belief recorded on a statement: "I think the RN does this" (`owns`), or "not the RT".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ClaimInput {
    pub role_id: String,
    pub kind: ClaimKind,
    pub owns: bool,
}

/// One row of the statement table. Role fields hold role ids.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct StatementInput {
    pub workflow_id: Option<String>,
    /// The step in the interviewee's words; may be empty while the row is being typed.
    pub step_name: String,
    pub performed_by: Option<String>,
    pub initiated_by: Option<String>,
    pub validated_by: Option<String>,
    pub escalates_to: Option<String>,
    pub done_means: String,
    pub next_handoff_to: Option<String>,
    pub workarounds: Vec<Workaround>,
    pub pain_point: String,
    pub typical_duration: String,
    pub quote: String,
    /// Beliefs about who owns the step; replaces the statement's claims.
    pub claims: Vec<ClaimInput>,
}

fn check_ref(tx: &Transaction<'_>, table: &str, field: &str, id: &Option<String>) -> Result<()> {
    if let Some(id) = id
        && !exists(tx, table, id)?
    {
        return Err(Error::invalid(field, format!("no {table} with id {id:?} in this project")));
    }
    Ok(())
}

fn check_interview(tx: &Transaction<'_>, input: &InterviewInput) -> Result<InterviewInput> {
    let alias = input.alias.trim();
    if alias.is_empty() {
        return Err(Error::invalid("alias", "an interview needs an alias such as RT-3 (never a name)"));
    }
    check_ref(tx, "role", "role", &Some(input.role_id.clone()))?;
    check_ref(tx, "facility", "facility", &Some(input.facility_id.clone()))?;
    let date = input.date.trim();
    if !date.is_empty()
        && time::Date::parse(date, time::macros::format_description!("[year]-[month]-[day]")).is_err()
    {
        return Err(Error::invalid("date", format!("{date:?} is not a date; write it as YYYY-MM-DD")));
    }
    let mut workflows: Vec<String> = Vec::new();
    for w in &input.workflows {
        check_ref(tx, "workflow", "workflows", &Some(w.clone()))?;
        if !workflows.contains(w) {
            workflows.push(w.clone());
        }
    }
    let any: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM workflow)", [], |r| r.get(0))?;
    if workflows.is_empty() && any {
        return Err(Error::invalid(
            "workflows",
            "name the workflow (or workflows) this interview is about, so its statements land in the right one",
        ));
    }
    Ok(InterviewInput {
        role_id: input.role_id.clone(),
        facility_id: input.facility_id.clone(),
        shift: input.shift.trim().to_string(),
        alias: alias.to_string(),
        date: date.to_string(),
        interviewer: input.interviewer.trim().to_string(),
        notes: input.notes.trim().to_string(),
        workflows,
    })
}

/// Records the workflows an interview is about, in order, replacing what it had.
fn write_interview_workflows(tx: &Transaction<'_>, id: &str, workflows: &[String]) -> Result<()> {
    tx.execute("DELETE FROM interview_workflow WHERE interview_id = ?1", [id])?;
    for (position, workflow) in workflows.iter().enumerate() {
        tx.execute(
            "INSERT INTO interview_workflow (interview_id, workflow_id, position) VALUES (?1, ?2, ?3)",
            (id, workflow, position as i64),
        )?;
    }
    Ok(())
}

fn check_statement(tx: &Transaction<'_>, input: &StatementInput) -> Result<()> {
    check_ref(tx, "workflow", "workflow", &input.workflow_id)?;
    for (field, role) in [
        ("performed_by", &input.performed_by),
        ("initiated_by", &input.initiated_by),
        ("validated_by", &input.validated_by),
        ("escalates_to", &input.escalates_to),
        ("next_handoff_to", &input.next_handoff_to),
    ] {
        check_ref(tx, "role", field, role)?;
    }
    let mut seen = BTreeSet::new();
    for claim in &input.claims {
        check_ref(tx, "role", "claims", &Some(claim.role_id.clone()))?;
        if !seen.insert((claim.role_id.clone(), claim.kind)) {
            return Err(Error::invalid("claims", "a role is named twice in the same belief"));
        }
    }
    Ok(())
}

/// Writes a statement's fields and claims (keeping the ids of claims that stay).
fn write_statement(tx: &Transaction<'_>, id: &str, input: &StatementInput) -> Result<()> {
    tx.execute(
        "UPDATE statement SET workflow_id = ?1, step_name = ?2, performed_by = ?3, initiated_by = ?4,
            validated_by = ?5, escalates_to = ?6, done_means = ?7, next_handoff_to = ?8, workarounds = ?9,
            pain_point = ?10, typical_duration = ?11, quote = ?12
         WHERE id = ?13",
        rusqlite::params![
            input.workflow_id,
            input.step_name.trim(),
            input.performed_by,
            input.initiated_by,
            input.validated_by,
            input.escalates_to,
            input.done_means.trim(),
            input.next_handoff_to,
            workarounds_to_text(&input.workarounds),
            input.pain_point.trim(),
            input.typical_duration.trim(),
            input.quote.trim(),
            id
        ],
    )?;
    let existing: Vec<(String, String, String, bool)> = {
        let mut stmt = tx.prepare("SELECT id, role_id, kind, owns FROM claim WHERE statement_id = ?1")?;
        stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?
    };
    for (claim_id, role, kind, owns) in &existing {
        match input.claims.iter().find(|c| &c.role_id == role && c.kind.as_str() == kind) {
            Some(wanted) if wanted.owns == *owns => {}
            Some(wanted) => {
                tx.execute("UPDATE claim SET owns = ?1 WHERE id = ?2", (wanted.owns, claim_id))?;
            }
            None => {
                tx.execute("DELETE FROM claim WHERE id = ?1", [claim_id])?;
            }
        }
    }
    for claim in &input.claims {
        if !existing.iter().any(|(_, role, kind, _)| role == &claim.role_id && kind == claim.kind.as_str()) {
            tx.execute(
                "INSERT INTO claim (id, statement_id, role_id, kind, owns) VALUES (?1, ?2, ?3, ?4, ?5)",
                (new_id(), id, &claim.role_id, claim.kind.as_str(), claim.owns),
            )?;
        }
    }
    Ok(())
}

fn statement_workflow(tx: &Transaction<'_>, id: &str) -> Result<(Option<String>, Option<String>)> {
    tx.query_row("SELECT workflow_id, step_id FROM statement WHERE id = ?1", [id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("no statement with id {id:?} in this project")))
}

fn consolidate_all(tx: &Transaction<'_>, workflows: &[Option<String>]) -> Result<()> {
    let unique: BTreeSet<&String> = workflows.iter().flatten().collect();
    for workflow in unique {
        if exists(tx, "workflow", workflow)? {
            consolidate::consolidate(tx, workflow)?;
        }
    }
    Ok(())
}

impl Project {
    /// Adds an interview; returns its id.
    pub fn add_interview(&mut self, input: &InterviewInput) -> Result<String> {
        self.edit(&format!("Add interview {}", input.alias.trim()), |tx| {
            let input = check_interview(tx, input)?;
            let id = new_id();
            tx.execute(
                "INSERT INTO interview (id, role_id, facility_id, shift, alias, date, interviewer, notes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                (
                    &id,
                    &input.role_id,
                    &input.facility_id,
                    &input.shift,
                    &input.alias,
                    &input.date,
                    &input.interviewer,
                    &input.notes,
                ),
            )?;
            write_interview_workflows(tx, &id, &input.workflows)?;
            Ok(id)
        })
    }

    /// Changes an interview's details (role, facility, shift, alias, date, interviewer, notes).
    pub fn update_interview(&mut self, id: &str, input: &InterviewInput) -> Result<()> {
        self.edit(&format!("Edit interview {}", input.alias.trim()), |tx| {
            must_exist(tx, "interview", "interview", id)?;
            let input = check_interview(tx, input)?;
            tx.execute(
                "UPDATE interview SET role_id = ?1, facility_id = ?2, shift = ?3, alias = ?4, date = ?5,
                    interviewer = ?6, notes = ?7 WHERE id = ?8",
                (
                    &input.role_id,
                    &input.facility_id,
                    &input.shift,
                    &input.alias,
                    &input.date,
                    &input.interviewer,
                    &input.notes,
                    id,
                ),
            )?;
            write_interview_workflows(tx, id, &input.workflows)?;
            // The interviewee's role decides whose claims these are: steps' owners may change.
            let workflows: Vec<Option<String>> = {
                let mut stmt =
                    tx.prepare("SELECT DISTINCT workflow_id FROM statement WHERE interview_id = ?1")?;
                stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?
            };
            consolidate_all(tx, &workflows)
        })
    }

    /// Removes an interview and its statements.
    pub fn remove_interview(&mut self, id: &str) -> Result<()> {
        self.edit("Remove interview", |tx| {
            must_exist(tx, "interview", "interview", id)?;
            let workflows: Vec<Option<String>> = {
                let mut stmt =
                    tx.prepare("SELECT DISTINCT workflow_id FROM statement WHERE interview_id = ?1")?;
                stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?
            };
            tx.execute("DELETE FROM interview_workflow WHERE interview_id = ?1", [id])?;
            tx.execute("DELETE FROM interview WHERE id = ?1", [id])?;
            consolidate_all(tx, &workflows)
        })
    }

    /// Adds a statement at the end of an interview; returns its id.
    pub fn add_statement(&mut self, interview_id: &str, input: &StatementInput) -> Result<String> {
        self.edit("Add statement", |tx| {
            must_exist(tx, "interview", "interview", interview_id)?;
            check_statement(tx, input)?;
            let position: i64 = tx.query_row(
                "SELECT coalesce(max(position) + 1, 0) FROM statement WHERE interview_id = ?1",
                [interview_id],
                |r| r.get(0),
            )?;
            let id = new_id();
            tx.execute(
                "INSERT INTO statement (id, interview_id, position, step_name) VALUES (?1, ?2, ?3, '')",
                (&id, interview_id, position),
            )?;
            write_statement(tx, &id, input)?;
            consolidate_all(tx, std::slice::from_ref(&input.workflow_id))?;
            Ok(id)
        })
    }

    /// Replaces a statement's fields. A new step name that no longer matches its step sends the
    /// statement back to consolidation; so does a change of workflow.
    pub fn update_statement(&mut self, id: &str, input: &StatementInput) -> Result<()> {
        self.edit("Edit statement", |tx| {
            let (old_workflow, step) = statement_workflow(tx, id)?;
            check_statement(tx, input)?;
            // The statement stays in its step while the step still answers to its new name: the
            // step's own name or a name one of its statements (this one included) was given.
            let key = consolidate::normalize(&input.step_name);
            let keep_step = match &step {
                Some(step) if old_workflow == input.workflow_id && !key.is_empty() => {
                    let mut stmt = tx.prepare(
                        "SELECT name FROM step WHERE id = ?1 UNION ALL SELECT step_name FROM statement WHERE step_id = ?1",
                    )?;
                    let names: Vec<String> = stmt.query_map([step], |r| r.get(0))?.collect::<Result<_, _>>()?;
                    names.iter().any(|n| consolidate::normalize(n) == key)
                }
                _ => false,
            };
            write_statement(tx, id, input)?;
            if !keep_step {
                tx.execute("UPDATE statement SET step_id = NULL WHERE id = ?1", [id])?;
            }
            consolidate_all(tx, &[old_workflow, input.workflow_id.clone()])
        })
    }

    /// Removes a statement.
    pub fn remove_statement(&mut self, id: &str) -> Result<()> {
        self.edit("Remove statement", |tx| {
            let (workflow, _) = statement_workflow(tx, id)?;
            tx.execute("DELETE FROM statement WHERE id = ?1", [id])?;
            consolidate_all(tx, &[workflow])
        })
    }
}

/// A consolidated copy of a stored model whose statements are not all grouped yet (a bundle
/// written by hand, for example), or `None` when it has nothing to group. The project itself is
/// not changed.
pub fn consolidated(m: &Model) -> Result<Option<Model>> {
    let pending: std::collections::BTreeSet<&String> = m
        .statements
        .iter()
        .filter(|s| s.step_id.is_none() && !s.step_name.trim().is_empty())
        .filter_map(|s| s.workflow_id.as_ref())
        .collect();
    if pending.is_empty() {
        return Ok(None);
    }
    let name = m.project.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "Analysis".into());
    let mut copy = Project::in_memory(&name, m)?;
    for workflow in pending {
        copy.consolidate(workflow)?;
    }
    Ok(Some(copy.model()?))
}
