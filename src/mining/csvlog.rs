//! Event logs as CSV: one event per row, columns mapped to case, activity, timestamp, role,
//! resource and facility. Rows of one case may be anywhere in the file, so the events are kept as
//! small fixed-size records (indexes and a time), grouped by case at the end.

use std::path::Path;

use super::aggregate::{Aggregates, Event};
use super::intern::{Interner, NONE};
use super::{EventBuilder, LogOptions, LogPart, ReadReport};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::sources::KeptCounter;
use crate::sources::csvfile::{CsvDialect, column_index, csv_error, line_of};

pub(super) fn read(
    path: &Path,
    options: &LogOptions,
    progress: &Progress,
) -> Result<(Aggregates, ReadReport)> {
    let file = path.display().to_string();
    let dialect = CsvDialect::of(path, options.delimiter, options.encoding.as_deref())?;
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    progress.set_total(size);
    let mut reader = dialect.open(path)?;
    let mut record = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut record).map_err(|e| csv_error(path, e))? {
        return Err(Error::input(file, "line 1", "the file is empty: a header line is needed"));
    }
    let headers: Vec<String> = (0..record.len())
        .map(|i| dialect.field(path, &record, i, "header").map(|h| h.trim().to_string()))
        .collect::<Result<_>>()?;
    let columns = options.columns.guess(&headers);
    let index = |part: LogPart| -> Result<Option<usize>> {
        columns.get(part).map(|name| column_index(&file, "line 1", &headers, name, part.as_str())).transpose()
    };
    let required = |part: LogPart, flag: &str| -> Result<usize> {
        index(part)?.ok_or_else(|| {
            Error::input(
                file.clone(),
                "line 1",
                format!(
                    "no {} column found; name it with {flag} (the columns are: {})",
                    part.as_str(),
                    headers.join(", ")
                ),
            )
        })
    };
    let case_col = required(LogPart::Case, "--case")?;
    let activity_col = required(LogPart::Activity, "--activity")?;
    let time_col = required(LogPart::Timestamp, "--timestamp")?;
    let role_col = index(LogPart::Role)?;
    let resource_col = index(LogPart::Resource)?;
    let facility_col = index(LogPart::Facility)?;
    let mut kept = KeptCounter::new(&options.keep, &headers, &file, "line 1")?;
    let kept_cols: Vec<usize> =
        kept.names().iter().filter_map(|n| headers.iter().position(|h| h == n)).collect();
    let used: Vec<usize> =
        [Some(case_col), Some(activity_col), Some(time_col), role_col, resource_col, facility_col]
            .into_iter()
            .flatten()
            .chain(kept_cols.iter().copied())
            .collect();
    let mut dropped: Vec<String> = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, h)| display_header(h))
        .collect();
    dropped.sort();

    let mut agg = Aggregates::default();
    let mut builder = EventBuilder::new(options)?;
    let mut cases = Interner::default();
    let mut rows: Vec<(u32, Event)> = Vec::new();
    let mut last_pos = 0u64;
    while reader.read_byte_record(&mut record).map_err(|e| csv_error(path, e))? {
        if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
            continue; // a blank line
        }
        let get = |i: usize, name: &str| dialect.field(path, &record, i, name);
        let case = get(case_col, "case")?;
        let activity = get(activity_col, "activity")?;
        let time = get(time_col, "timestamp")?;
        if case.trim().is_empty() || activity.trim().is_empty() {
            let part = if case.trim().is_empty() { "case" } else { "activity" };
            return Err(Error::input(
                file,
                line_of(&record),
                format!("the {part} is empty: every event needs one"),
            ));
        }
        let facility = match facility_col {
            Some(i) => agg.facilities.intern_optional(get(i, "facility")?.trim()),
            None => NONE,
        };
        let role = role_col.map(|i| get(i, "role")).transpose()?;
        let resource = resource_col.map(|i| get(i, "resource")).transpose()?;
        let role = builder.role(
            role.as_deref().map_or("", str::trim),
            resource.as_deref().map_or("", str::trim),
            &mut agg.roles,
        );
        let Some(micros) = builder.time(&time, facility, &agg.facilities) else {
            return Err(Error::input(
                file,
                line_of(&record),
                format!("cannot read the timestamp {:?}: expected {}", time.trim(), builder.times.expected()),
            ));
        };
        for (k, &i) in kept_cols.iter().enumerate() {
            kept.add(k, &get(i, "kept column")?, 1);
        }
        let event = Event { activity: agg.activities.intern(activity.trim()), time: micros, role, facility };
        rows.push((cases.intern(case.trim()), event));
        if rows.len().is_multiple_of(65_536) {
            progress.check("reading the log")?;
            let pos = record.position().map_or(last_pos, |p| p.byte());
            progress.advance(pos - last_pos);
            last_pos = pos;
        }
    }
    progress.advance(size.saturating_sub(last_pos));
    // Group by case, keeping file order inside a case; `add_case` then orders by time.
    rows.sort_by_key(|(case, _)| *case);
    let mut events = Vec::new();
    for group in rows.chunk_by(|a, b| a.0 == b.0) {
        events.clear();
        events.extend(group.iter().map(|(_, e)| *e));
        agg.add_case(cases.name(group[0].0), &mut events);
    }
    let report = ReadReport {
        format: None,
        columns,
        dropped,
        resources: builder.resources.len() as u64,
        resources_without_role: builder.resources_without_role.len() as u64,
        kept: kept.finish(),
    };
    Ok((agg, report))
}

/// A header as shown in the summary (an empty header is the unnamed index column).
fn display_header(h: &str) -> String {
    if h.is_empty() { "(unnamed column)".to_string() } else { h.to_string() }
}
