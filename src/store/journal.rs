//! Undo and redo as a journal inside the project file.
//!
//! Triggers on every model table record, for each changed row, the change that reverses it (an
//! operation, a table, the row's key and old values), tagged with the journal step being recorded.
//! Undoing a step applies its entries backwards; the triggers record what those changes do as the
//! matching redo step. The journal lives in the file, so undo survives a restart and the app, CLI
//! and tests share it. A project file may come from anyone, so entries are data: undo checks each
//! against Baton's own tables and columns and writes with bound parameters, never running text
//! from the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior};

use super::Project;
use crate::error::{Error, Result};

/// Every table whose rows are part of the model and so take part in undo/redo.
const JOURNALED_TABLES: &[&str] = &[
    "project",
    "facility",
    "role",
    "interview",
    "interview_workflow",
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

/// Whether `table` is one the journal records.
pub(super) fn is_journaled(table: &str) -> bool {
    JOURNALED_TABLES.contains(&table)
}

/// How many edits can be undone; older journal steps are dropped.
const UNDO_DEPTH: i64 = 1000;

/// What undo and redo would do next, by the labels of their edits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JournalState {
    pub undo: Option<String>,
    pub redo: Option<String>,
}

/// The name of the trigger that journals `event` (`INSERT`, `UPDATE`, `DELETE`) on `table`.
pub(super) fn trigger_name(table: &str, event: &str) -> String {
    format!("journal_{table}_{event}")
}

/// (Re)creates the journaling triggers from the tables' current columns.
///
/// Each trigger records one structured entry: the operation that reverses the change, the table,
/// and the values it needs (the row's key, and the old column values). Nothing in the journal is
/// ever run as SQL; `replay` builds its statements from Baton's own table and column names.
pub(super) fn install_triggers(tx: &Transaction<'_>) -> Result<()> {
    for table in JOURNALED_TABLES {
        let (columns, keys) = table_columns(tx, table)?;
        let values = |row: &str, is_key: u8, names: &[String]| {
            names
                .iter()
                .map(|c| format!("((SELECT max(seq) FROM journal_entry), {is_key}, '{c}', {row}.\"{c}\")"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let record = |event: &str, op: &str, rows: String| {
            let name = trigger_name(table, event);
            format!(
                "DROP TRIGGER IF EXISTS {name};
                 CREATE TRIGGER {name} AFTER {event} ON \"{table}\"
                 WHEN EXISTS (SELECT 1 FROM journal_cursor)
                 BEGIN
                   INSERT INTO journal_entry (step_id, op, tbl)
                   VALUES ((SELECT step_id FROM journal_cursor), '{op}', '{table}');
                   INSERT INTO journal_value (entry_seq, is_key, col, value) VALUES {rows};
                 END;"
            )
        };
        tx.execute_batch(&record("INSERT", "delete", values("NEW", 1, &keys)))?;
        tx.execute_batch(&record(
            "UPDATE",
            "update",
            format!("{}, {}", values("NEW", 1, &keys), values("OLD", 0, &columns)),
        ))?;
        tx.execute_batch(&record("DELETE", "insert", values("OLD", 0, &columns)))?;
    }
    Ok(())
}

/// A table's columns in declaration order and its primary-key columns in key order.
fn table_columns(conn: &rusqlite::Connection, table: &str) -> Result<(Vec<String>, Vec<String>)> {
    let mut columns = Vec::new();
    let mut keys = Vec::new();
    let mut stmt = conn.prepare(&format!("PRAGMA table_info(\"{table}\")"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let name: String = row.get(1)?;
        let pk: i64 = row.get(5)?;
        if pk > 0 {
            keys.push((pk, name.clone()));
        }
        columns.push(name);
    }
    keys.sort();
    Ok((columns, keys.into_iter().map(|(_, name)| name).collect()))
}

/// Each journaled table's columns and primary-key columns.
type KnownTables = BTreeMap<&'static str, (Vec<String>, Vec<String>)>;

/// The journaled tables with their columns and keys as Baton's migrations create them: what a
/// journal entry is checked against before undo or redo writes anything.
fn known_tables() -> Result<&'static KnownTables> {
    static KNOWN: OnceLock<KnownTables> = OnceLock::new();
    if let Some(known) = KNOWN.get() {
        return Ok(known);
    }
    let reference = super::schema::reference_connection()?;
    let mut known = BTreeMap::new();
    for table in JOURNALED_TABLES {
        known.insert(*table, table_columns(&reference, table)?);
    }
    Ok(KNOWN.get_or_init(|| known))
}

/// One journal entry, read from the file and checked against the known tables.
struct Entry {
    op: String,
    table: &'static str,
    keys: Vec<(String, Value)>,
    values: Vec<(String, Value)>,
}

impl Entry {
    /// The statement and its parameters that apply this entry; every name in the statement is one
    /// of Baton's own, every value a bound parameter.
    fn statement(&self) -> (String, Vec<&Value>) {
        let table = self.table;
        let mut params: Vec<&Value> = Vec::new();
        let mut where_clause = Vec::new();
        for (column, value) in &self.keys {
            where_clause.push(format!("\"{column}\" IS ?"));
            params.push(value);
        }
        let sql = match self.op.as_str() {
            "insert" => {
                let names: Vec<String> = self.values.iter().map(|(c, _)| format!("\"{c}\"")).collect();
                let marks = vec!["?"; names.len()].join(", ");
                params = self.values.iter().map(|(_, v)| v).collect();
                format!("INSERT INTO \"{table}\" ({}) VALUES ({marks})", names.join(", "))
            }
            "update" => {
                let sets: Vec<String> = self.values.iter().map(|(c, _)| format!("\"{c}\" = ?")).collect();
                let mut set_params: Vec<&Value> = self.values.iter().map(|(_, v)| v).collect();
                set_params.append(&mut params);
                params = set_params;
                format!("UPDATE \"{table}\" SET {} WHERE {}", sets.join(", "), where_clause.join(" AND "))
            }
            _ => format!("DELETE FROM \"{table}\" WHERE {}", where_clause.join(" AND ")),
        };
        (sql, params)
    }
}

/// Reads the entries of journal step `step`, newest first, refusing any that names a table,
/// column or operation Baton does not have, or that does not say exactly which row it changes.
fn read_entries(tx: &Transaction<'_>, step: i64, path: &Path) -> Result<Vec<Entry>> {
    let known = known_tables()?;
    let refuse = |seq: i64, problem: String| Error::NotAProject {
        path: path.to_path_buf(),
        problem: format!(
            "its undo history was altered or is damaged (entry {seq} {problem}); nothing was undone or changed"
        ),
    };
    let heads: Vec<(i64, String, String)> = {
        let mut stmt =
            tx.prepare("SELECT seq, op, tbl FROM journal_entry WHERE step_id = ?1 ORDER BY seq DESC")?;
        stmt.query_map([step], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?
    };
    let mut values = tx.prepare(
        "SELECT is_key, col, value FROM journal_value WHERE entry_seq = ?1 ORDER BY is_key DESC, col",
    )?;
    let mut entries = Vec::with_capacity(heads.len());
    for (seq, op, table) in heads {
        let Some((&name, (columns, key_columns))) = known.get_key_value(table.as_str()) else {
            return Err(refuse(
                seq,
                format!("names the table `{}`, which Baton does not have", table.escape_debug()),
            ));
        };
        let mut entry = Entry { op, table: name, keys: Vec::new(), values: Vec::new() };
        let rows: Vec<(i64, String, Value)> =
            values.query_map([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
        for (is_key, column, value) in rows {
            let Some(known_column) = columns.iter().find(|c| **c == column) else {
                return Err(refuse(
                    seq,
                    format!(
                        "names the column `{}`, which the table `{name}` does not have",
                        column.escape_debug()
                    ),
                ));
            };
            if is_key == 1 {
                entry.keys.push((known_column.clone(), value));
            } else {
                entry.values.push((known_column.clone(), value));
            }
        }
        let mut keys: Vec<&String> = entry.keys.iter().map(|(c, _)| c).collect();
        keys.sort();
        let mut expected: Vec<&String> = key_columns.iter().collect();
        expected.sort();
        let well_formed = match entry.op.as_str() {
            "insert" => entry.keys.is_empty() && !entry.values.is_empty(),
            "update" => keys == expected && !entry.values.is_empty(),
            "delete" => keys == expected && entry.values.is_empty(),
            other => {
                return Err(refuse(
                    seq,
                    format!("asks for the operation `{}`, which undo does not do", other.escape_debug()),
                ));
            }
        };
        if !well_formed {
            return Err(refuse(seq, format!("does not say exactly which row of `{name}` it changes")));
        }
        entries.push(entry);
    }
    Ok(entries)
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

    /// Runs `change` as one transaction that undo does not record: for changes whose point is
    /// that what they remove cannot come back (redaction).
    pub(crate) fn change_permanently<T>(
        &mut self,
        change: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM journal_cursor", [])?;
        let out = change(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Folds the write-ahead log into the file and truncates it, so no image of a page from
    /// before the last change stays in the log.
    pub(crate) fn fold_log(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
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
        // The write lock first, so undo waits for another writer like any edit does, instead of
        // failing when its read turns into a write.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
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
        let path = self.path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        for entry in read_entries(&tx, step, &path)? {
            let (sql, params) = entry.statement();
            // A row an earlier entry of the step already took away (a cascade) matches nothing,
            // as it did when the journal kept SQL text.
            tx.execute(&sql, rusqlite::params_from_iter(params))?;
        }
        tx.execute("DELETE FROM journal_cursor", [])?;
        tx.execute("DELETE FROM journal_step WHERE id = ?1", [step])?;
        tx.commit()?;
        Ok(label)
    }
}

/// Replaces `text` with `replacement` in everything the journal and the audit trail keep (old
/// values, edit labels, audit subjects), so a redacted text cannot come back through undo or be
/// read from the history. Returns how many places changed.
pub(crate) fn scrub(tx: &Transaction<'_>, text: &str, replacement: &str) -> Result<usize> {
    let mut changed = tx.execute(
        "UPDATE journal_value SET value = replace(value, ?1, ?2)
         WHERE typeof(value) = 'text' AND instr(value, ?1) > 0",
        (text, replacement),
    )?;
    changed += tx.execute(
        "UPDATE journal_step SET label = replace(label, ?1, ?2) WHERE instr(label, ?1) > 0",
        (text, replacement),
    )?;
    changed += tx.execute(
        "UPDATE audit SET subject = replace(subject, ?1, ?2) WHERE instr(subject, ?1) > 0",
        (text, replacement),
    )?;
    Ok(changed)
}
