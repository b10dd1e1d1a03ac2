//! The designer's edits of proposed versions, each one journaled transaction. Published versions
//! are immutable: editing starts a draft of the next version (a copy of the latest published one),
//! and publishing a valid draft gives it the next number.

use rusqlite::{OptionalExtension, Transaction};

use super::guard;
use super::timer::parse_duration;
use crate::error::{Error, Result};
use crate::model::{FieldKind, OwnerOverride, StateKind, WriteBack, new_id};
use crate::store::Project;
use crate::store::edit::must_exist;

/// What the designer's transition form holds. Blank write-back and facility-owner rows, and empty
/// role ids, are the form's empty rows and mean nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct TransitionInput {
    pub from_state_id: String,
    pub to_state_id: String,
    pub event: String,
    pub guard: String,
    pub owner_role_id: Option<String>,
    pub timer: String,
    pub escalate_to_role_id: Option<String>,
    pub write_backs: Vec<WriteBack>,
    pub priority: Option<i64>,
    /// Facilities where the task goes to another role.
    pub owner_at: Vec<OwnerOverride>,
}

/// What the designer's state form holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct StateInput {
    pub name: String,
    pub kind: StateKind,
    pub meaning: String,
    /// The work entering the state opens, named for what its owner must do; empty to derive it
    /// (`design::task`) once an owned transition enters the state.
    pub task: String,
}

impl TransitionInput {
    /// Without the form's empty rows.
    fn normalised(&self) -> TransitionInput {
        let role = |r: &Option<String>| r.clone().filter(|r| !r.trim().is_empty());
        TransitionInput {
            owner_role_id: role(&self.owner_role_id),
            escalate_to_role_id: role(&self.escalate_to_role_id),
            write_backs: self.write_backs.iter().filter(|w| !w.field.trim().is_empty()).cloned().collect(),
            owner_at: self
                .owner_at
                .iter()
                .filter(|o| !o.facility_id.is_empty() && !o.role_id.is_empty())
                .cloned()
                .collect(),
            ..self.clone()
        }
    }
}

/// `Ok` for a draft; an error saying what to do for a published version.
fn draft_only(tx: &Transaction<'_>, version_id: &str) -> Result<()> {
    let number: Option<Option<i64>> =
        tx.query_row("SELECT number FROM version WHERE id = ?1", [version_id], |r| r.get(0)).optional()?;
    match number {
        None => Err(Error::NotFound(format!("no version with id {version_id:?} in this project"))),
        Some(Some(n)) => Err(Error::invalid(
            "version",
            format!(
                "version {n} is published and cannot change: start a draft of the next version and edit that"
            ),
        )),
        Some(None) => Ok(()),
    }
}

fn version_of(tx: &Transaction<'_>, table: &str, id: &str, what: &str) -> Result<String> {
    tx.query_row(&format!("SELECT version_id FROM {table} WHERE id = ?1"), [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("no {what} with id {id:?} in this project")))
}

/// Checks the parts of a transition that can be judged alone: the states belong to the version,
/// the event is known, the guard parses against the event's fields, the timer is a duration.
fn check_transition(tx: &Transaction<'_>, version_id: &str, t: &TransitionInput) -> Result<()> {
    for (part, state) in [("from", &t.from_state_id), ("to", &t.to_state_id)] {
        let found: Option<String> = tx
            .query_row("SELECT version_id FROM proposed_state WHERE id = ?1", [state], |r| r.get(0))
            .optional()?;
        if found.as_deref() != Some(version_id) {
            return Err(Error::invalid(part, format!("{state:?} is not a state of this version")));
        }
    }
    let event = t.event.trim();
    if event.is_empty() {
        return Err(Error::invalid("event", "a transition needs the event that triggers it"));
    }
    let known: i64 =
        tx.query_row("SELECT COUNT(*) FROM event_type WHERE name = ?1", [event], |r| r.get(0))?;
    if known == 0 {
        return Err(Error::invalid("event", format!("{event:?} is not in the event catalog: add it first")));
    }
    if !t.guard.trim().is_empty() {
        let mut stmt = tx.prepare("SELECT name, kind FROM event_field WHERE event = ?1 ORDER BY position")?;
        let fields = stmt
            .query_map([event], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter_map(|(name, kind)| {
                FieldKind::parse(&kind).map(|kind| crate::model::EventField { name, kind })
            })
            .collect::<Vec<_>>();
        guard::parse(&t.guard, &guard::scope(&fields)).map_err(|e| Error::invalid("guard", e))?;
    }
    if !t.timer.trim().is_empty() && parse_duration(&t.timer).is_none() {
        return Err(Error::invalid(
            "timer",
            format!("{:?} is not an ISO 8601 duration such as PT30M or PT2H", t.timer),
        ));
    }
    for role in t
        .owner_role_id
        .iter()
        .chain(t.escalate_to_role_id.iter())
        .chain(t.owner_at.iter().map(|o| &o.role_id))
    {
        must_exist(tx, "role", "role", role)?;
    }
    for o in &t.owner_at {
        must_exist(tx, "facility", "facility", &o.facility_id)?;
    }
    Ok(())
}

fn write_transition(tx: &Transaction<'_>, id: &str, t: &TransitionInput) -> Result<()> {
    tx.execute(
        "UPDATE transition SET from_state_id = ?2, to_state_id = ?3, event = ?4, guard = ?5, owner_role_id = ?6,
                timer = ?7, escalate_to_role_id = ?8, priority = ?9 WHERE id = ?1",
        rusqlite::params![
            id,
            t.from_state_id,
            t.to_state_id,
            t.event.trim(),
            t.guard.trim(),
            t.owner_role_id,
            t.timer.trim(),
            t.escalate_to_role_id,
            t.priority
        ],
    )?;
    tx.execute("DELETE FROM write_back WHERE transition_id = ?1", [id])?;
    for (position, w) in t.write_backs.iter().enumerate() {
        tx.execute(
            "INSERT INTO write_back (transition_id, position, field, value) VALUES (?1, ?2, ?3, ?4)",
            (id, position as i64, w.field.trim(), w.value.trim()),
        )?;
    }
    tx.execute("DELETE FROM owner_override WHERE transition_id = ?1", [id])?;
    for o in &t.owner_at {
        tx.execute(
            "INSERT OR REPLACE INTO owner_override (transition_id, facility_id, role_id) VALUES (?1, ?2, ?3)",
            (id, &o.facility_id, &o.role_id),
        )?;
    }
    Ok(())
}

/// Names the task `state_id` opens when an owned transition now enters it and it has no name yet
/// (`design::task::derive`); a name the consultant gave is kept.
fn name_task(tx: &Transaction<'_>, state_id: &str) -> Result<()> {
    let unnamed: bool =
        tx.query_row("SELECT trim(task) = '' FROM proposed_state WHERE id = ?1", [state_id], |r| r.get(0))?;
    if !unnamed {
        return Ok(());
    }
    let m = crate::store::load_model_in(tx)?;
    if super::task::opens_task(&m, state_id) {
        let task = super::task::derive(&m, state_id);
        tx.execute("UPDATE proposed_state SET task = ?2 WHERE id = ?1", (state_id, task))?;
    }
    Ok(())
}

impl Project {
    /// The workflow's draft, started as a copy of its latest published version (or empty) when
    /// there is none; returns its id.
    pub fn start_draft(&mut self, workflow_id: &str) -> Result<String> {
        self.edit("Start a draft", |tx| {
            must_exist(tx, "workflow", "workflow", workflow_id)?;
            let existing: Option<String> = tx
                .query_row("SELECT id FROM version WHERE workflow_id = ?1 AND number IS NULL", [workflow_id], |r| r.get(0))
                .optional()?;
            if let Some(id) = existing {
                return Ok(id);
            }
            let latest: Option<(String, i64)> = tx
                .query_row(
                    "SELECT id, number FROM version WHERE workflow_id = ?1 AND number IS NOT NULL ORDER BY number DESC LIMIT 1",
                    [workflow_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let draft = new_id();
            let note = latest.as_ref().map_or_else(String::new, |(_, n)| format!("Draft from version {n}"));
            tx.execute(
                "INSERT INTO version (id, workflow_id, number, note, created_at) VALUES (?1, ?2, NULL, ?3, ?4)",
                (&draft, workflow_id, note, crate::clock::now_rfc3339()),
            )?;
            let Some((from, _)) = latest else { return Ok(draft) };
            // Copy states and transitions with new ids.
            let mut map = std::collections::HashMap::new();
            let ids: Vec<String> = tx
                .prepare("SELECT id FROM proposed_state WHERE version_id = ?1")?
                .query_map([&from], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                let copy = new_id();
                tx.execute(
                    "INSERT INTO proposed_state (id, version_id, name, kind, meaning, task, position)
                     SELECT ?1, ?2, name, kind, meaning, task, position FROM proposed_state WHERE id = ?3",
                    (&copy, &draft, &id),
                )?;
                map.insert(id, copy);
            }
            let transitions: Vec<String> = tx
                .prepare("SELECT id FROM transition WHERE version_id = ?1")?
                .query_map([&from], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in transitions {
                let copy = new_id();
                tx.execute(
                    "INSERT INTO transition (id, version_id, from_state_id, to_state_id, event, guard, owner_role_id, timer,
                            escalate_to_role_id, position, priority)
                     SELECT ?1, ?2, from_state_id, to_state_id, event, guard, owner_role_id, timer, escalate_to_role_id,
                            position, priority FROM transition WHERE id = ?3",
                    (&copy, &draft, &id),
                )?;
                let (from_state, to_state): (String, String) = tx.query_row(
                    "SELECT from_state_id, to_state_id FROM transition WHERE id = ?1",
                    [&copy],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                tx.execute(
                    "UPDATE transition SET from_state_id = ?2, to_state_id = ?3 WHERE id = ?1",
                    (&copy, &map[&from_state], &map[&to_state]),
                )?;
                tx.execute(
                    "INSERT INTO write_back (transition_id, position, field, value)
                     SELECT ?1, position, field, value FROM write_back WHERE transition_id = ?2",
                    (&copy, &id),
                )?;
                tx.execute(
                    "INSERT INTO owner_override (transition_id, facility_id, role_id)
                     SELECT ?1, facility_id, role_id FROM owner_override WHERE transition_id = ?2",
                    (&copy, &id),
                )?;
            }
            Ok(draft)
        })
    }

    /// Publishes the workflow's draft as the next version number, when it passes validation.
    pub fn publish_draft(&mut self, workflow_id: &str, note: &str) -> Result<i64> {
        let m = self.model()?;
        let draft = crate::design::pick_version(&m, workflow_id, crate::design::Pick::Draft)?;
        let problems = crate::design::validate(&m, &draft);
        if let Some(p) = problems.first() {
            return Err(Error::invalid(
                "draft",
                format!(
                    "{} problem(s) to fix before publishing; first: [{}] {}: {}",
                    problems.len(),
                    p.rule,
                    p.subject,
                    p.message
                ),
            ));
        }
        self.edit("Publish the draft", |tx| {
            let next: i64 = tx.query_row(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM version WHERE workflow_id = ?1",
                [workflow_id],
                |r| r.get(0),
            )?;
            if note.trim().is_empty() {
                tx.execute("UPDATE version SET number = ?2 WHERE id = ?1", (&draft, next))?;
            } else {
                tx.execute(
                    "UPDATE version SET number = ?2, note = ?3 WHERE id = ?1",
                    (&draft, next, note.trim()),
                )?;
            }
            Ok(next)
        })
    }

    /// Adds a state to a draft; returns its id.
    pub fn add_state(&mut self, version_id: &str, input: &StateInput) -> Result<String> {
        let name = input.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::invalid("name", "a state needs a name"));
        }
        self.edit(&format!("Add state {name}"), |tx| {
            draft_only(tx, version_id)?;
            let taken: i64 = tx.query_row(
                "SELECT COUNT(*) FROM proposed_state WHERE version_id = ?1 AND name = ?2 COLLATE NOCASE",
                (version_id, &name),
                |r| r.get(0),
            )?;
            if taken > 0 {
                return Err(Error::invalid(
                    "name",
                    format!("this version already has a state named {name:?}"),
                ));
            }
            let position: i64 = tx.query_row(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM proposed_state WHERE version_id = ?1",
                [version_id],
                |r| r.get(0),
            )?;
            let id = new_id();
            tx.execute(
                "INSERT INTO proposed_state (id, version_id, name, kind, meaning, task, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                (
                    &id,
                    version_id,
                    &name,
                    input.kind.as_str(),
                    input.meaning.trim(),
                    input.task.trim(),
                    position,
                ),
            )?;
            Ok(id)
        })
    }

    /// Renames a state of a draft, changes its kind, meaning or task.
    pub fn update_state(&mut self, id: &str, input: &StateInput) -> Result<()> {
        let name = input.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::invalid("name", "a state needs a name"));
        }
        self.edit(&format!("Edit state {name}"), |tx| {
            let version = version_of(tx, "proposed_state", id, "state")?;
            draft_only(tx, &version)?;
            tx.execute(
                "UPDATE proposed_state SET name = ?2, kind = ?3, meaning = ?4, task = ?5 WHERE id = ?1",
                (id, &name, input.kind.as_str(), input.meaning.trim(), input.task.trim()),
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Error::invalid("name", format!("this version already has a state named {name:?}"))
                }
                other => other.into(),
            })?;
            Ok(())
        })
    }

    /// Removes a state of a draft with the transitions into and out of it.
    pub fn remove_state(&mut self, id: &str) -> Result<()> {
        self.edit("Remove state", |tx| {
            let version = version_of(tx, "proposed_state", id, "state")?;
            draft_only(tx, &version)?;
            tx.execute("DELETE FROM transition WHERE from_state_id = ?1 OR to_state_id = ?1", [id])?;
            tx.execute("DELETE FROM proposed_state WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// Adds a transition to a draft; returns its id. The guard must parse against the event's
    /// fields and the timer must be a duration; the whole version is judged by `validate`.
    pub fn add_transition(&mut self, version_id: &str, t: &TransitionInput) -> Result<String> {
        let t = &t.normalised();
        self.edit(&format!("Add transition on {}", t.event.trim()), |tx| {
            draft_only(tx, version_id)?;
            check_transition(tx, version_id, t)?;
            let position: i64 = tx.query_row(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM transition WHERE version_id = ?1",
                [version_id],
                |r| r.get(0),
            )?;
            let id = new_id();
            tx.execute(
                "INSERT INTO transition (id, version_id, from_state_id, to_state_id, event, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                (&id, version_id, &t.from_state_id, &t.to_state_id, t.event.trim(), position),
            )?;
            write_transition(tx, &id, t)?;
            name_task(tx, &t.to_state_id)?;
            Ok(id)
        })
    }

    /// Changes a transition of a draft.
    pub fn update_transition(&mut self, id: &str, t: &TransitionInput) -> Result<()> {
        let t = &t.normalised();
        self.edit(&format!("Edit transition on {}", t.event.trim()), |tx| {
            let version = version_of(tx, "transition", id, "transition")?;
            draft_only(tx, &version)?;
            check_transition(tx, &version, t)?;
            write_transition(tx, id, t)?;
            name_task(tx, &t.to_state_id)
        })
    }

    /// Removes a transition of a draft.
    pub fn remove_transition(&mut self, id: &str) -> Result<()> {
        self.edit("Remove transition", |tx| {
            let version = version_of(tx, "transition", id, "transition")?;
            draft_only(tx, &version)?;
            tx.execute("DELETE FROM transition WHERE id = ?1", [id])?;
            Ok(())
        })
    }
}

impl Project {
    /// Adds an event to the catalog, or changes the one of that name: its description, typed
    /// fields (for guards) and the log activities that signal it (for replay).
    pub fn save_event(
        &mut self,
        name: &str,
        description: &str,
        fields: &[(String, FieldKind)],
        activities: &[String],
    ) -> Result<()> {
        let name = name.trim().to_string();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            return Err(Error::invalid(
                "name",
                format!("{name:?}: an event name is letters, digits, _ and . (e.g. assessment_completed)"),
            ));
        }
        for (field, _) in fields {
            if field.trim().is_empty() || !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(Error::invalid(
                    "fields",
                    format!("{field:?}: a field name is letters, digits and _"),
                ));
            }
            if matches!(field.as_str(), "facility" | "role") {
                return Err(Error::invalid(
                    "fields",
                    format!("{field:?} is a case attribute every guard may use already"),
                ));
            }
        }
        self.edit(&format!("Save event {name}"), |tx| {
            tx.execute(
                "INSERT INTO event_type (name, description) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET description = excluded.description",
                (&name, description.trim()),
            )?;
            tx.execute("DELETE FROM event_field WHERE event = ?1", [&name])?;
            for (position, (field, kind)) in fields.iter().enumerate() {
                tx.execute(
                    "INSERT OR REPLACE INTO event_field (event, name, kind, position) VALUES (?1, ?2, ?3, ?4)",
                    (&name, field.trim(), kind.as_str(), position as i64),
                )?;
            }
            tx.execute("DELETE FROM event_activity WHERE event = ?1", [&name])?;
            for a in activities.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
                tx.execute("INSERT OR IGNORE INTO event_activity (event, activity) VALUES (?1, ?2)", (&name, a))?;
            }
            Ok(())
        })
    }
}
