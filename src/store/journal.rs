//! Undo and redo as a journal inside the project file.
//!
//! Triggers on every model table record, for each changed row, the SQL statement that reverses the
//! change, tagged with the journal step being recorded. Undoing a step runs its statements
//! backwards; the triggers record what those statements change as the matching redo step. The
//! journal lives in the file, so undo survives a restart and the app, CLI and tests share it.

use rusqlite::{OptionalExtension, Transaction};

use super::Project;
use crate::error::{Error, Result};

/// Every table whose rows are part of the model and so take part in undo/redo.
const JOURNALED_TABLES: &[&str] = &[
    "project",
    "facility",
    "role",
    "interview",
    "workflow",
    "step",
    "handoff",
    "distinct_steps",
    "lane",
    "statement",
    "claim",
    "business_state",
    "emr_field",
    "emr_value",
    "emr_value_count",
    "mapping",
    "version",
    "proposed_state",
    "event_type",
    "transition",
    "write_back",
    "owner_override",
    "event_field",
    "event_activity",
    "signoff",
    "telemetry_import",
    "telemetry_group",
    "comment",
    "finding_triage",
    "import_record",
    "event_log",
    "log_activity",
    "log_role",
    "log_edge",
    "log_variant",
];

/// How many edits can be undone; older journal steps are dropped.
const UNDO_DEPTH: i64 = 1000;

/// What undo and redo would do next, by the labels of their edits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JournalState {
    pub undo: Option<String>,
    pub redo: Option<String>,
}

/// (Re)creates the journaling triggers from the tables' current columns.
pub(super) fn install_triggers(tx: &Transaction<'_>) -> Result<()> {
    for table in JOURNALED_TABLES {
        let mut columns = Vec::new();
        let mut keys = Vec::new();
        {
            let mut stmt = tx.prepare(&format!("PRAGMA table_info(\"{table}\")"))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let name: String = row.get(1)?;
                let pk: i64 = row.get(5)?;
                if pk > 0 {
                    keys.push((pk, name.clone()));
                }
                columns.push(name);
            }
        }
        keys.sort();
        let keys: Vec<String> = keys.into_iter().map(|(_, name)| name).collect();
        let where_clause = |row: &str| {
            keys.iter()
                .map(|k| format!("'\"{k}\"=' || quote({row}.\"{k}\")"))
                .collect::<Vec<_>>()
                .join(" || ' AND ' || ")
        };
        let column_list = columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(",");
        let old_values =
            columns.iter().map(|c| format!("quote(OLD.\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
        let old_assignments = columns
            .iter()
            .map(|c| format!("'\"{c}\"=' || quote(OLD.\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let record = |event: &str, inverse: String| {
            format!(
                "DROP TRIGGER IF EXISTS journal_{table}_{event};
                 CREATE TRIGGER journal_{table}_{event} AFTER {event} ON \"{table}\"
                 WHEN EXISTS (SELECT 1 FROM journal_cursor)
                 BEGIN
                   INSERT INTO journal_entry (step_id, sql)
                   VALUES ((SELECT step_id FROM journal_cursor), {inverse});
                 END;"
            )
        };
        tx.execute_batch(&record(
            "INSERT",
            format!("'DELETE FROM \"{table}\" WHERE ' || {}", where_clause("NEW")),
        ))?;
        tx.execute_batch(&record(
            "UPDATE",
            format!("'UPDATE \"{table}\" SET ' || {old_assignments} || ' WHERE ' || {}", where_clause("NEW")),
        ))?;
        tx.execute_batch(&record(
            "DELETE",
            format!("'INSERT INTO \"{table}\" ({column_list}) VALUES (' || {old_values} || ')'"),
        ))?;
    }
    Ok(())
}

fn now() -> String {
    crate::clock::now_rfc3339()
}

impl Project {
    /// Runs `change` as one journaled edit: one transaction, one undo step labelled `label`.
    /// A new edit clears what could be redone. If `change` fails, nothing of it is kept.
    pub fn edit<T>(&mut self, label: &str, change: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO journal_step (stack, label, created_at) VALUES ('undo', ?1, ?2)",
            (label, now()),
        )?;
        let step = tx.last_insert_rowid();
        tx.execute("INSERT INTO journal_cursor (only_row, step_id) VALUES (1, ?1)", [step])?;
        let out = change(&tx)?;
        tx.execute("DELETE FROM journal_cursor", [])?;
        let entries: i64 =
            tx.query_row("SELECT count(*) FROM journal_entry WHERE step_id = ?1", [step], |r| r.get(0))?;
        if entries == 0 {
            tx.execute("DELETE FROM journal_step WHERE id = ?1", [step])?;
        } else {
            tx.execute("DELETE FROM journal_step WHERE stack = 'redo'", [])?;
            tx.execute(
                "DELETE FROM journal_step WHERE stack = 'undo' AND id NOT IN
                   (SELECT id FROM journal_step WHERE stack = 'undo' ORDER BY id DESC LIMIT ?1)",
                [UNDO_DEPTH],
            )?;
        }
        tx.commit()?;
        Ok(out)
    }

    /// Reverses the latest edit; returns its label.
    pub fn undo(&mut self) -> Result<String> {
        self.replay("undo", "redo")
    }

    /// Re-applies the latest undone edit; returns its label.
    pub fn redo(&mut self) -> Result<String> {
        self.replay("redo", "undo")
    }

    /// The labels of the edits that undo and redo would act on next.
    pub fn journal_state(&self) -> Result<JournalState> {
        let top = |stack: &str| -> Result<Option<String>> {
            Ok(self
                .conn
                .query_row(
                    "SELECT label FROM journal_step WHERE stack = ?1 ORDER BY id DESC LIMIT 1",
                    [stack],
                    |r| r.get(0),
                )
                .optional()?)
        };
        Ok(JournalState { undo: top("undo")?, redo: top("redo")? })
    }

    fn replay(&mut self, from: &str, into: &str) -> Result<String> {
        let tx = self.conn.transaction()?;
        // Statements run backwards; a parent row may come back after its children within the step.
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        let Some((step, label)): Option<(i64, String)> = tx
            .query_row(
                "SELECT id, label FROM journal_step WHERE stack = ?1 ORDER BY id DESC LIMIT 1",
                [from],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
        else {
            return Err(Error::NothingToUndo(format!("there is nothing to {from}")));
        };
        tx.execute(
            "INSERT INTO journal_step (stack, label, created_at) VALUES (?1, ?2, ?3)",
            (into, &label, now()),
        )?;
        let mirror = tx.last_insert_rowid();
        tx.execute("INSERT INTO journal_cursor (only_row, step_id) VALUES (1, ?1)", [mirror])?;
        let statements: Vec<String> = {
            let mut stmt =
                tx.prepare("SELECT sql FROM journal_entry WHERE step_id = ?1 ORDER BY seq DESC")?;
            stmt.query_map([step], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        for sql in &statements {
            tx.execute_batch(sql)?;
        }
        tx.execute("DELETE FROM journal_cursor", [])?;
        tx.execute("DELETE FROM journal_step WHERE id = ?1", [step])?;
        tx.commit()?;
        Ok(label)
    }
}
