//! The audit trail kept in the project file: who imported, exported or reported what, and when.
//! Entries are never journaled (undo does not take them back) nor written to bundles.

use rusqlite::Transaction;
use serde::Serialize;

use super::Project;
use crate::error::Result;

/// One thing that happened to or from the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct AuditEntry {
    /// RFC 3339, UTC.
    pub at: String,
    /// The operating-system user.
    pub user: String,
    /// `import`, `export`, `report`, `bundle_export`, `purge`.
    pub action: String,
    /// What: the file and its kind or format.
    pub subject: String,
}

/// The operating-system user running Baton.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Records an entry inside `tx`, so it commits with the edit it describes.
pub(crate) fn record_in(tx: &Transaction<'_>, action: &str, subject: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at, user, action, subject) VALUES (?1, ?2, ?3, ?4)",
        (crate::clock::now_rfc3339(), os_user(), action, subject),
    )?;
    Ok(())
}

impl Project {
    /// Records that something was done with the project (an export, a report).
    pub fn record(&mut self, action: &str, subject: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        record_in(&tx, action, subject)?;
        tx.commit()?;
        Ok(())
    }

    /// Purges the file before it is handed over: the undo and redo history (which holds copies of
    /// deleted and changed rows) is emptied, the write-ahead log is folded in and truncated, and
    /// the file is rewritten without free pages (`VACUUM`), so nothing deleted can be read back
    /// from it. Undo is not possible afterwards. Recorded in the audit trail.
    pub fn purge(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM journal_cursor", [])?;
        tx.execute("DELETE FROM journal_entry", [])?;
        tx.execute("DELETE FROM journal_step", [])?;
        record_in(&tx, "purge", "undo history emptied, file vacuumed")?;
        tx.commit()?;
        self.conn.execute_batch("VACUUM")?;
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// The audit trail, newest first.
    pub fn audit(&self) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare("SELECT at, user, action, subject FROM audit ORDER BY id DESC")?;
        let rows = stmt.query_map([], |r| {
            Ok(AuditEntry { at: r.get(0)?, user: r.get(1)?, action: r.get(2)?, subject: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
