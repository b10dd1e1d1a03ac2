//! The swimlane editor's changes to a current-state map, each one journaled edit.
//!
//! The map is evidence: steps and handoffs that interview statements support cannot be deleted
//! from the diagram (the statements would bring them back at the next consolidation); the error
//! says which interviews to edit instead. Everything the consultant adds by hand can be.

use rusqlite::{OptionalExtension, Transaction};

use crate::error::{Error, Result};
use crate::interviews::consolidate::workflow_of_step;
use crate::model::{CommentTarget, StepKind, new_id};
use crate::store::{Project, exists, must_exist};

/// Where a step was dropped in the editor: its lane (a role id, `""` for the unassigned lane,
/// `None` to keep its lane) and its position (along the flow, across from its lane's start).
#[derive(Debug, Clone, PartialEq)]
pub struct StepMove {
    pub step_id: String,
    pub lane: Option<String>,
    pub along: f64,
    pub across: f64,
}

/// A new review comment.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentInput {
    pub target: CommentTarget,
    pub target_id: String,
    pub author_role_id: Option<String>,
    pub text: String,
}

fn role_or_none(tx: &Transaction<'_>, lane: &str) -> Result<Option<String>> {
    if lane.is_empty() {
        return Ok(None);
    }
    if !exists(tx, "role", lane)? {
        return Err(Error::invalid("lane", format!("no role with id {lane:?} in this project")));
    }
    Ok(Some(lane.to_string()))
}

/// The aliases of the interviews whose statements are grouped into `step_id`.
fn supporting_aliases(tx: &Transaction<'_>, step_id: &str) -> Result<Vec<String>> {
    let mut stmt = tx.prepare(
        "SELECT DISTINCT i.alias FROM statement s JOIN interview i ON i.id = s.interview_id
         WHERE s.step_id = ?1 ORDER BY i.alias",
    )?;
    let aliases =
        stmt.query_map([step_id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(aliases)
}

impl Project {
    /// Moves steps where they were dropped, in one edit. A step dropped in another lane changes
    /// owner (and becomes the consultant's: consolidation no longer changes its owner).
    pub fn move_steps(&mut self, moves: &[StepMove]) -> Result<()> {
        let label =
            if moves.len() == 1 { "Move step".to_string() } else { format!("Move {} steps", moves.len()) };
        self.edit(&label, |tx| {
            for m in moves {
                workflow_of_step(tx, &m.step_id)?;
                if !m.along.is_finite() || !m.across.is_finite() {
                    return Err(Error::invalid("position", "a step's position must be a number"));
                }
                if let Some(lane) = &m.lane {
                    let owner = role_or_none(tx, lane)?;
                    tx.execute(
                        "UPDATE step SET owner_role_id = ?1, generated = 0 WHERE id = ?2 AND owner_role_id IS NOT ?1",
                        (&owner, &m.step_id),
                    )?;
                }
                tx.execute(
                    "UPDATE step SET x = ?1, y = ?2 WHERE id = ?3",
                    (m.along.max(0.0).round(), m.across.max(0.0).round(), &m.step_id),
                )?;
            }
            Ok(())
        })
    }

    /// Forgets the positions set by hand in a workflow's map, so the automatic layout places
    /// every step again.
    pub fn auto_layout(&mut self, workflow_id: &str) -> Result<()> {
        self.edit("Auto-layout", |tx| {
            must_exist(tx, "workflow", "workflow", workflow_id)?;
            tx.execute(
                "UPDATE step SET x = NULL, y = NULL WHERE workflow_id = ?1 AND x IS NOT NULL",
                [workflow_id],
            )?;
            Ok(())
        })
    }

    /// Sets the order of a workflow's lanes (role ids, first on top or on the left). The
    /// unassigned lane (`""`) is always last and may be left out.
    pub fn set_lane_order(&mut self, workflow_id: &str, roles: &[String]) -> Result<()> {
        self.edit("Reorder lanes", |tx| {
            must_exist(tx, "workflow", "workflow", workflow_id)?;
            tx.execute("DELETE FROM lane WHERE workflow_id = ?1", [workflow_id])?;
            for (i, role) in roles.iter().filter(|r| !r.is_empty()).enumerate() {
                if !exists(tx, "role", role)? {
                    return Err(Error::invalid("lanes", format!("no role with id {role:?} in this project")));
                }
                let inserted = tx.execute(
                    "INSERT OR IGNORE INTO lane (workflow_id, role_id, position) VALUES (?1, ?2, ?3)",
                    (workflow_id, role, i as i64),
                )?;
                if inserted == 0 {
                    return Err(Error::invalid(
                        "lanes",
                        format!("role {role:?} is listed twice; list each lane once"),
                    ));
                }
            }
            Ok(())
        })
    }

    /// Adds a step drawn by hand to a workflow's map; returns its id.
    pub fn add_step(
        &mut self,
        workflow_id: &str,
        name: &str,
        kind: StepKind,
        lane: &str,
        position: Option<(f64, f64)>,
    ) -> Result<String> {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(Error::invalid("name", "a step needs a name"));
        }
        self.edit(&format!("Add step {name}"), |tx| {
            must_exist(tx, "workflow", "workflow", workflow_id)?;
            let owner = role_or_none(tx, lane)?;
            let next: i64 = tx.query_row(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM step WHERE workflow_id = ?1",
                [workflow_id],
                |r| r.get(0),
            )?;
            let id = new_id();
            tx.execute(
                "INSERT INTO step (id, workflow_id, name, kind, owner_role_id, position, x, y, generated)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
                (
                    &id,
                    workflow_id,
                    &name,
                    kind.as_str(),
                    &owner,
                    next,
                    position.map(|p| p.0.round()),
                    position.map(|p| p.1.round()),
                ),
            )?;
            Ok(id)
        })
    }

    /// Deletes a step and its handoffs, unless interview statements support it.
    pub fn remove_step(&mut self, step_id: &str) -> Result<()> {
        self.edit("Delete step", |tx| {
            workflow_of_step(tx, step_id)?;
            let aliases = supporting_aliases(tx, step_id)?;
            if !aliases.is_empty() {
                return Err(Error::invalid(
                    "step",
                    format!(
                        "this step comes from the interviews with {}; merge it into another step or edit those statements instead",
                        aliases.join(", ")
                    ),
                ));
            }
            tx.execute("DELETE FROM step WHERE id = ?1", [step_id])?;
            Ok(())
        })
    }

    /// Connects two steps of one workflow with a handoff drawn by hand; returns its id.
    pub fn add_handoff(&mut self, from: &str, to: &str, label: &str) -> Result<String> {
        self.edit("Connect steps", |tx| {
            let workflow = workflow_of_step(tx, from)?;
            if workflow_of_step(tx, to)? != workflow {
                return Err(Error::invalid("to", "a handoff joins two steps of the same workflow"));
            }
            if from == to {
                return Err(Error::invalid("to", "a step cannot hand off to itself"));
            }
            let existing: Option<String> = tx
                .query_row(
                    "SELECT id FROM handoff WHERE from_step_id = ?1 AND to_step_id = ?2",
                    (from, to),
                    |r| r.get(0),
                )
                .optional()?;
            if existing.is_some() {
                return Err(Error::invalid("to", "these steps are already connected"));
            }
            let next: i64 = tx.query_row(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM handoff WHERE workflow_id = ?1",
                [&workflow],
                |r| r.get(0),
            )?;
            let id = new_id();
            tx.execute(
                "INSERT INTO handoff (id, workflow_id, from_step_id, to_step_id, label, position, generated)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
                (&id, &workflow, from, to, label.trim(), next),
            )?;
            Ok(id)
        })
    }

    /// Deletes a handoff drawn by hand. Handoffs that come from the order of interview statements
    /// stay as long as the statements do.
    pub fn remove_handoff(&mut self, handoff_id: &str) -> Result<()> {
        self.edit("Delete handoff", |tx| {
            let generated: Option<bool> = tx
                .query_row("SELECT generated FROM handoff WHERE id = ?1", [handoff_id], |r| r.get(0))
                .optional()?;
            match generated {
                None => Err(Error::NotFound(format!("no handoff with id {handoff_id:?} in this project"))),
                Some(true) => Err(Error::invalid(
                    "handoff",
                    "this handoff comes from the order of interview statements; edit those statements to remove it",
                )),
                Some(false) => {
                    tx.execute("DELETE FROM handoff WHERE id = ?1", [handoff_id])?;
                    Ok(())
                }
            }
        })
    }

    /// Pins a review comment to a step, handoff, state or transition; returns its id.
    pub fn add_comment(&mut self, input: &CommentInput) -> Result<String> {
        let text = input.text.trim().to_string();
        if text.is_empty() {
            return Err(Error::invalid("text", "a comment needs some text"));
        }
        self.edit("Add comment", |tx| {
            let (table, what) = match input.target {
                CommentTarget::Step => ("step", "step"),
                CommentTarget::Handoff => ("handoff", "handoff"),
                CommentTarget::State => ("proposed_state", "proposed state"),
                CommentTarget::Transition => ("transition", "transition"),
            };
            must_exist(tx, table, what, &input.target_id)?;
            if let Some(role) = &input.author_role_id {
                must_exist(tx, "role", "role", role)?;
            }
            let id = new_id();
            tx.execute(
                "INSERT INTO comment (id, target_kind, target_id, author_role_id, text, created_at, resolved)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
                (
                    &id,
                    input.target.as_str(),
                    &input.target_id,
                    &input.author_role_id,
                    &text,
                    crate::clock::now_rfc3339(),
                ),
            )?;
            Ok(id)
        })
    }

    /// Marks a comment resolved or open again.
    pub fn set_comment_resolved(&mut self, id: &str, resolved: bool) -> Result<()> {
        self.edit(if resolved { "Resolve comment" } else { "Reopen comment" }, |tx| {
            must_exist(tx, "comment", "comment", id)?;
            tx.execute("UPDATE comment SET resolved = ?1 WHERE id = ?2", (resolved, id))?;
            Ok(())
        })
    }

    /// Deletes a comment.
    pub fn remove_comment(&mut self, id: &str) -> Result<()> {
        self.edit("Delete comment", |tx| {
            must_exist(tx, "comment", "comment", id)?;
            tx.execute("DELETE FROM comment WHERE id = ?1 OR parent_id = ?1", [id])?;
            Ok(())
        })
    }
}
