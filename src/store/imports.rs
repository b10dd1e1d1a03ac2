//! Rows of what imports produced: import records and event-log aggregates.

use rusqlite::{Connection, Transaction};

use crate::error::Result;
use crate::model::{EventLog, ImportKind, ImportRecord, LogActivity, LogEdge, LogRole, LogVariant};

pub(super) fn load(conn: &Connection) -> Result<(Vec<ImportRecord>, Vec<EventLog>)> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, name, format, settings, summary, imported_at FROM import_record ORDER BY kind, name, id",
    )?;
    let imports = stmt
        .query_map([], |r| {
            let kind: String = r.get(1)?;
            Ok(ImportRecord {
                id: r.get(0)?,
                kind: ImportKind::parse(&kind).unwrap_or(ImportKind::Status),
                name: r.get(2)?,
                format: r.get(3)?,
                settings: r.get(4)?,
                summary: r.get(5)?,
                imported_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut logs = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT l.id, events, cases, first_at, last_at, other_variants FROM event_log l
         JOIN import_record i ON i.id = l.id ORDER BY i.name, l.id",
    )?;
    let heads = stmt
        .query_map([], |r| {
            Ok(EventLog {
                id: r.get(0)?,
                events: r.get(1)?,
                cases: r.get(2)?,
                first_at: r.get(3)?,
                last_at: r.get(4)?,
                other_variants: r.get(5)?,
                ..EventLog::default()
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for mut log in heads {
        let id = log.id.clone();
        log.activities = conn
            .prepare(
                "SELECT facility, activity, events, starts, ends, wait_count, wait_median, wait_p90 FROM log_activity
                 WHERE log_id = ?1 ORDER BY facility, activity",
            )?
            .query_map([&id], |r| {
                Ok(LogActivity {
                    facility: r.get(0)?,
                    activity: r.get(1)?,
                    events: r.get(2)?,
                    starts: r.get(3)?,
                    ends: r.get(4)?,
                    wait_count: r.get(5)?,
                    wait_median: r.get(6)?,
                    wait_p90: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        log.roles = conn
            .prepare(
                "SELECT facility, activity, role, events FROM log_role WHERE log_id = ?1
                 ORDER BY facility, activity, role",
            )?
            .query_map([&id], |r| {
                Ok(LogRole { facility: r.get(0)?, activity: r.get(1)?, role: r.get(2)?, events: r.get(3)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        log.edges = conn
            .prepare(
                "SELECT facility, from_activity, to_activity, count, mean_seconds, median_seconds, sketch
                 FROM log_edge WHERE log_id = ?1 ORDER BY facility, from_activity, to_activity",
            )?
            .query_map([&id], |r| {
                Ok(LogEdge {
                    facility: r.get(0)?,
                    from: r.get(1)?,
                    to: r.get(2)?,
                    count: r.get(3)?,
                    mean_seconds: r.get(4)?,
                    median_seconds: r.get(5)?,
                    sketch: sketch(&r.get::<_, String>(6)?)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        log.variants = conn
            .prepare(
                "SELECT activities, count, example_case FROM log_variant WHERE log_id = ?1 ORDER BY position",
            )?
            .query_map([&id], |r| {
                let acts: String = r.get(0)?;
                Ok(LogVariant {
                    activities: serde_json::from_str(&acts).unwrap_or_default(),
                    count: r.get(1)?,
                    example_case: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        logs.push(log);
    }
    Ok((imports, logs))
}

pub(crate) fn insert_import(tx: &Transaction<'_>, i: &ImportRecord) -> Result<()> {
    tx.execute(
        "INSERT INTO import_record (id, kind, name, format, settings, summary, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (&i.id, i.kind.as_str(), &i.name, &i.format, &i.settings, &i.summary, &i.imported_at),
    )?;
    Ok(())
}

pub(crate) fn insert_log(tx: &Transaction<'_>, log: &EventLog) -> Result<()> {
    tx.execute(
        "INSERT INTO event_log (id, events, cases, first_at, last_at, other_variants) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (&log.id, log.events, log.cases, &log.first_at, &log.last_at, log.other_variants),
    )?;
    let mut stmt = tx.prepare(
        "INSERT INTO log_activity (log_id, facility, activity, events, starts, ends, wait_count, wait_median, wait_p90)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for a in &log.activities {
        stmt.execute((
            &log.id,
            &a.facility,
            &a.activity,
            a.events,
            a.starts,
            a.ends,
            a.wait_count,
            a.wait_median,
            a.wait_p90,
        ))?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO log_role (log_id, facility, activity, role, events) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for r in &log.roles {
        stmt.execute((&log.id, &r.facility, &r.activity, &r.role, r.events))?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO log_edge (log_id, facility, from_activity, to_activity, count, mean_seconds, median_seconds,
                               sketch)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for e in &log.edges {
        let sketch = e.sketch.as_ref().map(|s| s.to_text()).unwrap_or_default();
        stmt.execute((
            &log.id,
            &e.facility,
            &e.from,
            &e.to,
            e.count,
            e.mean_seconds,
            e.median_seconds,
            sketch,
        ))?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO log_variant (log_id, position, activities, count, example_case) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, v) in log.variants.iter().enumerate() {
        let acts = serde_json::to_string(&v.activities).unwrap_or_else(|_| "[]".into());
        stmt.execute((&log.id, i as i64, acts, v.count, &v.example_case))?;
    }
    Ok(())
}

pub(super) fn insert_all(tx: &Transaction<'_>, imports: &[ImportRecord], logs: &[EventLog]) -> Result<()> {
    for i in imports {
        insert_import(tx, i)?;
    }
    for log in logs {
        insert_log(tx, log)?;
    }
    Ok(())
}

/// A stored sketch: none when empty (a log imported before sketches were kept).
fn sketch(text: &str) -> rusqlite::Result<Option<crate::model::sketch::Sketch>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    crate::model::sketch::Sketch::parse(text).map(Some).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            6,
            rusqlite::types::Type::Text,
            format!("log_edge.sketch: {e}").into(),
        )
    })
}
