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

    /// Adds a facility; returns its new id.
    pub fn add_facility(&mut self, name: &str, timezone: &str) -> Result<String> {
        let name = required("name", name)?;
        let timezone =
            if timezone.trim().is_empty() { "UTC".to_string() } else { timezone.trim().to_string() };
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

    /// Removes a role that nothing refers to.
    pub fn remove_role(&mut self, id: &str) -> Result<()> {
        self.edit("Remove role", |tx| {
            must_exist(tx, "role", "role", id)?;
            let uses: i64 = tx.query_row(
                "SELECT (SELECT count(*) FROM interview WHERE role_id = ?1)
                      + (SELECT count(*) FROM step WHERE owner_role_id = ?1)
                      + (SELECT count(*) FROM claim WHERE role_id = ?1)
                      + (SELECT count(*) FROM statement WHERE ?1 IN (performed_by, initiated_by,
                            validated_by, escalates_to, next_handoff_to))
                      + (SELECT count(*) FROM transition WHERE ?1 IN (owner_role_id, escalate_to_role_id))",
                [id],
                |r| r.get(0),
            )?;
            if uses > 0 {
                return Err(Error::invalid(
                    "role",
                    format!("{uses} interview(s), statement(s), step(s) or transition(s) refer to this role; reassign them first"),
                ));
            }
            tx.execute("DELETE FROM role WHERE id = ?1", [id])?;
            Ok(())
        })
    }
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
