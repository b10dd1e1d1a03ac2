//! The edits the app and CLI make today, each one journaled transaction.
//!
//! Later capabilities (interview capture, the swimlane editor, the designer) add their edits here
//! or beside it, always through `Project::edit` so they can be undone.

use rusqlite::{OptionalExtension, Transaction};

use super::Project;
use crate::error::{Error, Result};
use crate::model::new_id;

fn required(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    Ok(value.to_string())
}

fn unique_name(tx: &Transaction<'_>, table: &str, what: &str, name: &str, except: &str) -> Result<()> {
    let taken: Option<String> = tx
        .query_row(
            &format!("SELECT id FROM {table} WHERE name = ?1 COLLATE NOCASE AND id <> ?2"),
            (name, except),
            |r| r.get(0),
        )
        .optional()?;
    match taken {
        Some(_) => Err(Error::invalid("name", format!("a {what} named {name:?} already exists"))),
        None => Ok(()),
    }
}

/// Whether `table` has a row with this `id`.
pub(crate) fn exists(tx: &Transaction<'_>, table: &str, id: &str) -> Result<bool> {
    let found: Option<i64> =
        tx.query_row(&format!("SELECT 1 FROM {table} WHERE id = ?1"), [id], |r| r.get(0)).optional()?;
    Ok(found.is_some())
}

/// Not found, named as a `what`, unless `table` has a row with this `id`.
pub(crate) fn must_exist(tx: &Transaction<'_>, table: &str, what: &str, id: &str) -> Result<()> {
    if exists(tx, table, id)? {
        Ok(())
    } else {
        Err(Error::NotFound(format!("no {what} with id {id:?} in this project")))
    }
}

impl Project {
    /// Renames the project.
    pub fn rename(&mut self, name: &str) -> Result<()> {
        let name = required("name", name)?;
        self.edit(&format!("Rename project to {name}"), |tx| {
            tx.execute("UPDATE project SET name = ?1", [&name])?;
            Ok(())
        })
    }

    /// Sets the engagement details the report's title page shows. Authors are trimmed and empty
    /// ones dropped; a date must be YYYY-MM-DD, or empty for the latest date the project holds.
    pub fn set_engagement(&mut self, client: &str, authors: &[String], report_date: &str) -> Result<()> {
        let report_date = report_date.trim();
        if !report_date.is_empty() && report_date.parse::<jiff::civil::Date>().is_err() {
            return Err(Error::invalid(
                "report date",
                format!("{report_date:?} is not a date; write it as YYYY-MM-DD, or leave it empty"),
            ));
        }
        let authors: Vec<&str> = authors.iter().map(|a| a.trim()).filter(|a| !a.is_empty()).collect();
        self.edit("Change the engagement details", |tx| {
            tx.execute(
                "UPDATE project SET client = ?1, authors = ?2, report_date = ?3",
                (client.trim(), authors.join("\n"), report_date),
            )?;
            Ok(())
        })
    }

    /// Adds a facility; returns its new id. Without a time zone, the machine's (`default_timezone`).
    pub fn add_facility(&mut self, name: &str, timezone: &str) -> Result<String> {
        let name = required("name", name)?;
        let timezone =
            if timezone.trim().is_empty() { default_timezone() } else { timezone.trim().to_string() };
        if jiff::tz::TimeZone::get(&timezone).is_err() {
            return Err(Error::invalid(
                "time zone",
                format!(
                    "{timezone:?} is not a time zone; choose one such as America/Chicago or Europe/Paris"
                ),
            ));
        }
        self.edit(&format!("Add facility {name}"), |tx| {
            unique_name(tx, "facility", "facility", &name, "")?;
            let id = new_id();
            tx.execute(
                "INSERT INTO facility (id, name, timezone) VALUES (?1, ?2, ?3)",
                (&id, &name, &timezone),
            )?;
            Ok(id)
        })
    }

    /// Renames a facility.
    pub fn rename_facility(&mut self, id: &str, name: &str) -> Result<()> {
        let name = required("name", name)?;
        self.edit(&format!("Rename facility to {name}"), |tx| {
            must_exist(tx, "facility", "facility", id)?;
            unique_name(tx, "facility", "facility", &name, id)?;
            tx.execute("UPDATE facility SET name = ?1 WHERE id = ?2", (&name, id))?;
            Ok(())
        })
    }

    /// Changes the time zone a facility's zone-less timestamps are read in.
    pub fn set_facility_timezone(&mut self, id: &str, timezone: &str) -> Result<()> {
        let timezone = timezone.trim();
        if jiff::tz::TimeZone::get(timezone).is_err() {
            return Err(Error::invalid(
                "time zone",
                format!(
                    "{timezone:?} is not a time zone; choose one such as America/Chicago or Europe/Paris"
                ),
            ));
        }
        self.edit("Change facility time zone", |tx| {
            must_exist(tx, "facility", "facility", id)?;
            tx.execute("UPDATE facility SET timezone = ?1 WHERE id = ?2", (timezone, id))?;
            Ok(())
        })
    }

    /// Removes a facility that no interview refers to.
    pub fn remove_facility(&mut self, id: &str) -> Result<()> {
        self.edit("Remove facility", |tx| {
            must_exist(tx, "facility", "facility", id)?;
            let uses: i64 =
                tx.query_row("SELECT count(*) FROM interview WHERE facility_id = ?1", [id], |r| r.get(0))?;
            if uses > 0 {
                return Err(Error::invalid(
                    "facility",
                    format!("{uses} interview(s) were held at this facility; move or delete them first"),
                ));
            }
            tx.execute("DELETE FROM facility WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// Adds a role (a lane); returns its new id.
    pub fn add_role(&mut self, name: &str, description: &str) -> Result<String> {
        let name = required("name", name)?;
        self.edit(&format!("Add role {name}"), |tx| {
            unique_name(tx, "role", "role", &name, "")?;
            let id = new_id();
            tx.execute(
                "INSERT INTO role (id, name, description) VALUES (?1, ?2, ?3)",
                (&id, &name, description.trim()),
            )?;
            Ok(id)
        })
    }

    /// Renames a role.
    pub fn rename_role(&mut self, id: &str, name: &str) -> Result<()> {
        let name = required("name", name)?;
        self.edit(&format!("Rename role to {name}"), |tx| {
            must_exist(tx, "role", "role", id)?;
            unique_name(tx, "role", "role", &name, id)?;
            tx.execute("UPDATE role SET name = ?1 WHERE id = ?2", (&name, id))?;
            Ok(())
        })
    }

    /// What refers to a role, in words: "3 interviews", "2 lanes" (steps it owns), "5
    /// statements", "1 transition"; empty when nothing does.
    pub fn role_uses(&self, id: &str) -> Result<Vec<String>> {
        let conn = &self.conn;
        let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [id], |r| r.get(0))?) };
        let counts = [
            (count("SELECT count(*) FROM interview WHERE role_id = ?1")?, "interview", "interviews"),
            (count("SELECT count(*) FROM step WHERE owner_role_id = ?1")?, "lane step", "lane steps"),
            (
                count(
                    "SELECT count(*) FROM statement WHERE ?1 IN (performed_by, initiated_by, validated_by,
                        escalates_to, next_handoff_to)
                        OR id IN (SELECT statement_id FROM claim WHERE role_id = ?1)",
                )?,
                "statement",
                "statements",
            ),
            (
                count(
                    "SELECT count(*) FROM transition WHERE ?1 IN (owner_role_id, escalate_to_role_id)
                        OR id IN (SELECT transition_id FROM owner_override WHERE role_id = ?1)",
                )?,
                "transition",
                "transitions",
            ),
        ];
        Ok(phrases(&counts))
    }

    /// Removes a role that nothing refers to; when something does, says what and offers a merge.
    pub fn remove_role(&mut self, id: &str) -> Result<()> {
        let uses = self.role_uses(id)?;
        self.edit("Remove role", |tx| {
            must_exist(tx, "role", "role", id)?;
            if !uses.is_empty() {
                return Err(Error::invalid(
                    "role",
                    format!("{} use this role: merge it into another role instead", join_words(&uses)),
                ));
            }
            tx.execute("DELETE FROM role WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// Merges role `from` into role `into`: every interview, lane, statement, claim, transition,
    /// facility owner and comment of `from` becomes `into`'s, and `from` goes. One undoable edit.
    pub fn merge_role(&mut self, from: &str, into: &str) -> Result<()> {
        if from == into {
            return Err(Error::invalid("role", "a role cannot be merged into itself"));
        }
        self.edit("Merge roles", |tx| {
            must_exist(tx, "role", "role", from)?;
            must_exist(tx, "role", "role", into)?;
            let p = (from, into);
            tx.execute("UPDATE interview SET role_id = ?2 WHERE role_id = ?1", p)?;
            tx.execute("UPDATE step SET owner_role_id = ?2 WHERE owner_role_id = ?1", p)?;
            tx.execute("UPDATE claim SET role_id = ?2 WHERE role_id = ?1", p)?;
            for column in ["performed_by", "initiated_by", "validated_by", "escalates_to", "next_handoff_to"] {
                tx.execute(&format!("UPDATE statement SET {column} = ?2 WHERE {column} = ?1"), p)?;
            }
            tx.execute("UPDATE transition SET owner_role_id = ?2 WHERE owner_role_id = ?1", p)?;
            tx.execute("UPDATE transition SET escalate_to_role_id = ?2 WHERE escalate_to_role_id = ?1", p)?;
            tx.execute("UPDATE owner_override SET role_id = ?2 WHERE role_id = ?1", p)?;
            tx.execute("UPDATE comment SET author_role_id = ?2 WHERE author_role_id = ?1", p)?;
            // A workflow that already places `into` keeps its place; elsewhere `into` takes `from`'s.
            tx.execute(
                "DELETE FROM lane WHERE role_id = ?1 AND workflow_id IN (SELECT workflow_id FROM lane WHERE role_id = ?2)",
                p,
            )?;
            tx.execute("UPDATE lane SET role_id = ?2 WHERE role_id = ?1", p)?;
            tx.execute("DELETE FROM role WHERE id = ?1", [from])?;
            Ok(())
        })
    }
}

/// Counts in words, the zero ones left out: `[(3, "interview", "interviews")]` → "3 interviews".
fn phrases(counts: &[(i64, &str, &str)]) -> Vec<String> {
    counts
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| if *n == 1 { format!("1 {one}") } else { format!("{n} {many}") })
        .collect()
}

/// "a, b and c".
pub(crate) fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Every time zone a facility may be in (IANA names, sorted), for a list to choose from.
pub fn timezones() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.to_string())
        .filter(|n| {
            n.contains('/')
                && !n.starts_with("Etc/")
                && !n.starts_with("SystemV/")
                && !n.starts_with("posix/")
                && !n.starts_with("right/")
        })
        .collect();
    names.push("UTC".into());
    names.sort();
    names.dedup();
    names
}

/// The time zone a new facility gets when none is chosen: the machine's, as an IANA name, else UTC.
pub fn default_timezone() -> String {
    jiff::tz::TimeZone::system().iana_name().unwrap_or("UTC").to_string()
}

impl Project {
    /// Renames a workflow and sets its description.
    pub fn update_workflow(&mut self, id: &str, name: &str, description: &str) -> Result<()> {
        let name = required("name", name)?;
        self.edit(&format!("Edit workflow {name}"), |tx| {
            must_exist(tx, "workflow", "workflow", id)?;
            unique_name(tx, "workflow", "workflow", &name, id)?;
            tx.execute(
                "UPDATE workflow SET name = ?1, description = ?2 WHERE id = ?3",
                (&name, description.trim(), id),
            )?;
            Ok(())
        })
    }

    /// What a workflow holds, in words ("6 steps", "9 statements", "2 versions"): what deleting
    /// it takes away.
    pub fn workflow_uses(&self, id: &str) -> Result<Vec<String>> {
        let conn = &self.conn;
        let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [id], |r| r.get(0))?) };
        let counts = [
            (count("SELECT count(*) FROM step WHERE workflow_id = ?1")?, "step", "steps"),
            (
                count("SELECT count(*) FROM statement WHERE workflow_id = ?1")?,
                "interview statement",
                "interview statements",
            ),
            (
                count("SELECT count(*) FROM business_state WHERE workflow_id = ?1")?,
                "business state",
                "business states",
            ),
            (
                count("SELECT count(*) FROM version WHERE workflow_id = ?1")?,
                "proposed version",
                "proposed versions",
            ),
        ];
        Ok(phrases(&counts))
    }

    /// Deletes a workflow with everything in it: its current-state map, the interview statements
    /// about it, its business states and their mappings, its versions and sign-offs, and the
    /// comments on them. One edit, which Undo restores whole.
    pub fn remove_workflow(&mut self, id: &str) -> Result<()> {
        let name: String = self
            .conn
            .query_row("SELECT name FROM workflow WHERE id = ?1", [id], |r| r.get(0))
            .map_err(|_| Error::NotFound(format!("no workflow with id {id:?} in this project")))?;
        self.edit(&format!("Delete workflow {name}"), |tx| {
            // Children first, so that every row is journaled and Undo puts it back.
            let versions = "(SELECT id FROM version WHERE workflow_id = ?1)";
            let transitions = format!("(SELECT id FROM transition WHERE version_id IN {versions})");
            let statements = "(SELECT id FROM statement WHERE workflow_id = ?1)";
            for sql in [
                "DELETE FROM comment WHERE target_kind = 'step' AND target_id IN (SELECT id FROM step WHERE workflow_id = ?1)".to_string(),
                "DELETE FROM comment WHERE target_kind = 'handoff' AND target_id IN (SELECT id FROM handoff WHERE workflow_id = ?1)".to_string(),
                format!("DELETE FROM comment WHERE target_kind = 'state' AND target_id IN (SELECT id FROM proposed_state WHERE version_id IN {versions})"),
                format!("DELETE FROM comment WHERE target_kind = 'transition' AND target_id IN {transitions}"),
                format!("DELETE FROM claim WHERE statement_id IN {statements}"),
                "DELETE FROM interview_workflow WHERE workflow_id = ?1".to_string(),
                "DELETE FROM statement WHERE workflow_id = ?1".to_string(),
                "DELETE FROM distinct_steps WHERE workflow_id = ?1".to_string(),
                "DELETE FROM lane WHERE workflow_id = ?1".to_string(),
                "DELETE FROM handoff WHERE workflow_id = ?1".to_string(),
                "UPDATE statement SET step_id = NULL WHERE step_id IN (SELECT id FROM step WHERE workflow_id = ?1)".to_string(),
                "DELETE FROM step WHERE workflow_id = ?1".to_string(),
                "DELETE FROM mapping WHERE state_id IN (SELECT id FROM business_state WHERE workflow_id = ?1)".to_string(),
                "DELETE FROM business_state WHERE workflow_id = ?1".to_string(),
                format!("DELETE FROM write_back WHERE transition_id IN {transitions}"),
                format!("DELETE FROM owner_override WHERE transition_id IN {transitions}"),
                format!("DELETE FROM transition WHERE version_id IN {versions}"),
                format!("DELETE FROM proposed_state WHERE version_id IN {versions}"),
                format!("DELETE FROM signoff WHERE version_id IN {versions}"),
                "DELETE FROM version WHERE workflow_id = ?1".to_string(),
                "DELETE FROM workflow WHERE id = ?1".to_string(),
            ] {
                tx.execute(&sql, [id])?;
            }
            Ok(())
        })
    }

    /// Adds the workflows of template `name` to this project, as one edit: each with its
    /// current-state map, business states and events, under new ids; the template's roles are
    /// matched to the project's by name, and added where the project has none of that name.
    /// Returns the new workflows' ids.
    pub fn add_workflow_from_template(&mut self, name: &str) -> Result<Vec<String>> {
        let template = crate::bundle::template(name)?;
        let m = self.model()?;
        for w in &template.workflows {
            if m.workflows.iter().any(|x| x.name.eq_ignore_ascii_case(&w.name)) {
                return Err(Error::invalid(
                    "template",
                    format!("this project already has a workflow named {:?}: rename it first", w.name),
                ));
            }
        }
        self.edit(&format!("Add workflow from template {name}"), |tx| {
            let mut roles: std::collections::HashMap<String, String> = Default::default();
            for r in &template.roles {
                let existing: Option<String> = tx
                    .query_row("SELECT id FROM role WHERE name = ?1 COLLATE NOCASE", [&r.name], |row| row.get(0))
                    .optional()?;
                let id = match existing {
                    Some(id) => id,
                    None => {
                        let id = new_id();
                        tx.execute(
                            "INSERT INTO role (id, name, description) VALUES (?1, ?2, ?3)",
                            (&id, &r.name, &r.description),
                        )?;
                        id
                    }
                };
                roles.insert(r.id.clone(), id);
            }
            for e in &template.events {
                tx.execute("INSERT OR IGNORE INTO event_type (name, description) VALUES (?1, ?2)", (&e.name, &e.description))?;
                for (position, f) in e.fields.iter().enumerate() {
                    tx.execute(
                        "INSERT OR IGNORE INTO event_field (event, name, kind, position) VALUES (?1, ?2, ?3, ?4)",
                        (&e.name, &f.name, f.kind.as_str(), position as i64),
                    )?;
                }
                for a in &e.activities {
                    tx.execute("INSERT OR IGNORE INTO event_activity (event, activity) VALUES (?1, ?2)", (&e.name, a))?;
                }
            }
            let mut added = Vec::new();
            for w in &template.workflows {
                let workflow = new_id();
                tx.execute(
                    "INSERT INTO workflow (id, name, description) VALUES (?1, ?2, ?3)",
                    (&workflow, &w.name, &w.description),
                )?;
                let mut steps: std::collections::HashMap<&str, String> = Default::default();
                for s in template.steps.iter().filter(|s| s.workflow_id == w.id) {
                    let id = new_id();
                    tx.execute(
                        "INSERT INTO step (id, workflow_id, name, kind, owner_role_id, done_means, position)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        rusqlite::params![
                            id,
                            workflow,
                            s.name,
                            s.kind.as_str(),
                            s.owner_role_id.as_ref().and_then(|r| roles.get(r)),
                            s.done_means,
                            s.position
                        ],
                    )?;
                    steps.insert(s.id.as_str(), id);
                }
                for h in template.handoffs.iter().filter(|h| h.workflow_id == w.id) {
                    let (Some(from), Some(to)) = (steps.get(h.from_step_id.as_str()), steps.get(h.to_step_id.as_str()))
                    else {
                        continue;
                    };
                    tx.execute(
                        "INSERT INTO handoff (id, workflow_id, from_step_id, to_step_id, label, position)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        (new_id(), &workflow, from, to, &h.label, h.position),
                    )?;
                }
                for b in template.business_states.iter().filter(|b| b.workflow_id == w.id) {
                    tx.execute(
                        "INSERT INTO business_state (id, workflow_id, name, meaning, position) VALUES (?1, ?2, ?3, ?4, ?5)",
                        (new_id(), &workflow, &b.name, &b.meaning, b.position),
                    )?;
                }
                added.push(workflow);
            }
            Ok(added)
        })
    }

    /// Adds a workflow (with an empty current-state map); returns its new id.
    pub fn add_workflow(&mut self, name: &str, description: &str) -> Result<String> {
        let name = required("name", name)?;
        self.edit(&format!("Add workflow {name}"), |tx| {
            unique_name(tx, "workflow", "workflow", &name, "")?;
            let id = new_id();
            tx.execute(
                "INSERT INTO workflow (id, name, description) VALUES (?1, ?2, ?3)",
                (&id, &name, description.trim()),
            )?;
            Ok(id)
        })
    }
}
