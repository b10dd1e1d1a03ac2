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
        Ok(counts
            .into_iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, one, many)| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") })
            .collect())
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

/// "a, b and c".
fn join_words(items: &[String]) -> String {
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
