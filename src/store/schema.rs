//! What a project file's schema must be: exactly the tables, indexes, triggers and views that
//! Baton's migrations create. A file that holds anything else (a trigger or view someone planted,
//! a table redefined) is refused before any of it can run.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use rusqlite::Connection;

use super::{journal, migrate};
use crate::error::{Error, Result};

/// One entry of `sqlite_schema`: its kind (`table`, `index`, `trigger`, `view`), the table it
/// belongs to and the SQL that created it (none for SQLite's automatic indexes).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Object {
    kind: String,
    table: String,
    sql: Option<String>,
}

type Schema = BTreeMap<String, Object>;

/// Tables SQLite itself keeps statistics in (written by `ANALYZE`): data, never run, so a file
/// may hold them.
const STATISTICS: &[&str] = &["sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"];

/// An in-memory database with every migration applied and the journal's triggers installed:
/// the schema this build creates.
pub(super) fn reference_connection() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    let tx = conn.transaction()?;
    migrate::apply_pending(&tx, 0, Path::new(":memory:"))?;
    tx.commit()?;
    Ok(conn)
}

fn read(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(1)?, Object { kind: r.get(0)?, table: r.get(2)?, sql: r.get(3)? }))
    })?;
    rows.collect()
}

/// The schema of a file at `version`: the current one with its triggers, or an older one's
/// tables, indexes and views (older journal triggers are checked by name only, see `verify`).
fn expected(version: i64) -> Result<Schema> {
    if version == migrate::SCHEMA_VERSION {
        static CURRENT: OnceLock<Schema> = OnceLock::new();
        if let Some(schema) = CURRENT.get() {
            return Ok(schema.clone());
        }
        let schema = read(&reference_connection()?)?;
        return Ok(CURRENT.get_or_init(|| schema).clone());
    }
    let mut conn = Connection::open_in_memory()?;
    let tx = conn.transaction()?;
    migrate::apply_first(&tx, version)?;
    tx.commit()?;
    Ok(read(&conn)?)
}

/// Checks that the schema of the file behind `conn` (read-only, not yet used for anything else)
/// is the one Baton's migrations give a file at `version`. Anything extra, missing or different
/// is refused, naming the object. Files from before the current version carry journal triggers
/// of an older form; those are accepted by name, for the known tables only, and dropped unrun
/// when the file is upgraded.
pub(super) fn verify(conn: &Connection, version: i64, path: &Path) -> Result<()> {
    match difference(conn, version, path)? {
        None => Ok(()),
        Some(problem) => Err(Error::NotAProject {
            path: path.to_path_buf(),
            problem: format!(
                "is not a Baton project as Baton writes it: {problem}; it was not opened, and nothing in it was run or changed (if you expected a Baton project, ask its sender for a bundle instead)"
            ),
        }),
    }
}

/// The most telling difference between the file's schema and Baton's for `version`, in words
/// ("it holds a trigger `x` that Baton does not create"), or `None` when there is none.
pub(super) fn difference(conn: &Connection, version: i64, path: &Path) -> Result<Option<String>> {
    let found = read(conn)
        .map_err(|e| Error::NotAProject { path: path.to_path_buf(), problem: format!("is corrupt ({e})") })?;
    let expected = expected(version)?;
    let current = version == migrate::SCHEMA_VERSION;
    // The most telling difference is named: an object posing as another kind, then one Baton
    // does not create, then one missing, then one defined differently.
    let mut extra = None;
    let mut different = None;
    for (name, object) in &found {
        let shown = name.escape_debug();
        match expected.get(name) {
            Some(want) if want == object => {}
            Some(want) if want.kind != object.kind => {
                return Ok(Some(format!("`{shown}` is a {}, where Baton has a {}", object.kind, want.kind)));
            }
            Some(want) => {
                different.get_or_insert_with(|| {
                    format!("the {} `{shown}` is defined differently from Baton's", want.kind)
                });
            }
            None if object.kind == "table" && STATISTICS.contains(&name.as_str()) => {}
            None if !current
                && object.kind == "trigger"
                && is_old_journal_trigger(name, object, &expected) => {}
            None => {
                extra.get_or_insert_with(|| {
                    format!("it holds a {} `{shown}` that Baton does not create", object.kind)
                });
            }
        }
    }
    let missing = expected
        .iter()
        .find(|(name, _)| !found.contains_key(*name))
        .map(|(name, want)| format!("it has no {} `{}`", want.kind, name.escape_debug()));
    Ok(extra.or(missing).or(different))
}

/// Whether `name` is one of the journal's triggers on a table the file's schema has.
fn is_old_journal_trigger(name: &str, object: &Object, expected: &Schema) -> bool {
    ["INSERT", "UPDATE", "DELETE"].iter().any(|event| {
        journal::trigger_name(&object.table, event) == name
            && journal::is_journaled(&object.table)
            && expected.get(&object.table).is_some_and(|t| t.kind == "table")
    })
}
