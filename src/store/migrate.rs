//! Ordered schema migrations, embedded in the binary and applied in one transaction.

use std::path::Path;

use rusqlite::{Connection, Transaction};

use crate::error::{Error, Result};

/// The migrations in order; the schema version of a file is how many of them it has had.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_model.sql"),
    include_str!("migrations/0002_consolidation.sql"),
    include_str!("migrations/0003_lanes.sql"),
    include_str!("migrations/0004_imports.sql"),
    include_str!("migrations/0005_design.sql"),
    include_str!("migrations/0006_signoffs.sql"),
    include_str!("migrations/0007_telemetry.sql"),
    include_str!("migrations/0008_engagement.sql"),
    include_str!("migrations/0009_audit.sql"),
    include_str!("migrations/0010_structured_journal.sql"),
    include_str!("migrations/0011_tasks.sql"),
    include_str!("migrations/0012_service_levels.sql"),
    include_str!("migrations/0013_interview_workflows.sql"),
    include_str!("migrations/0014_review_comments.sql"),
];

/// The migration that made task names part of a version's content: after its script, the tasks
/// of versions already in the file are derived (`design::task::fill_missing`).
const TASKS: usize = 11;

/// The schema version this build writes and the newest it reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings an opened file up to `SCHEMA_VERSION`; does nothing (and writes nothing) when it is
/// current.
pub(super) fn run(conn: &mut Connection, path: &Path) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction()?;
    apply_pending(&tx, current, path)?;
    tx.commit()?;
    Ok(())
}

/// Applies every migration after `current` inside `tx` and records the new version.
pub(super) fn apply_pending(tx: &Transaction<'_>, current: i64, path: &Path) -> Result<()> {
    if current > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    if current > 0 {
        // The file's triggers were checked by name only (`schema::verify`): drop them before
        // anything writes, so none of their bodies ever runs; the current ones are installed below.
        let triggers: Vec<String> = {
            let mut stmt = tx.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'")?;
            stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        for name in triggers {
            tx.execute_batch(&format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\"")))?;
        }
    }
    let start = usize::try_from(current).unwrap_or(0);
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(start) {
        tx.execute_batch(sql).map_err(|e| Error::NotAProject {
            path: path.to_path_buf(),
            problem: format!("could not be upgraded (migration {} failed: {e})", index + 1),
        })?;
    }
    // Run once the schema is current, as the model is read with today's columns.
    if current > 0 && start < TASKS {
        name_tasks(tx).map_err(|e| Error::NotAProject {
            path: path.to_path_buf(),
            problem: format!("could not be upgraded (naming the tasks of its versions failed: {e})"),
        })?;
    }
    super::journal::install_triggers(tx)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

/// Names the tasks of the versions a file had before task names were content, as
/// `design::task::fill_missing` derives them from the workflow's steps.
fn name_tasks(tx: &Transaction<'_>) -> Result<()> {
    let mut model = super::rows::load_model(tx)?;
    for (id, task) in crate::model::task::fill_missing(&mut model) {
        tx.execute("UPDATE proposed_state SET task = ?2 WHERE id = ?1", (id, task))?;
    }
    Ok(())
}

/// Applies the first `count` migrations inside `tx`, without triggers or a version: the schema an
/// older file is checked against.
pub(super) fn apply_first(tx: &Transaction<'_>, count: i64) -> Result<()> {
    let count = usize::try_from(count).unwrap_or(0);
    for sql in MIGRATIONS.iter().take(count) {
        tx.execute_batch(sql)?;
    }
    Ok(())
}
