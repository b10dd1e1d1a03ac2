//! Event logs as CSV: one event per row, columns mapped to case, activity, timestamp, role,
//! resource and facility. Rows of one case may be anywhere in the file, so the events are kept as
//! small fixed-size records (indexes and a time), grouped by case at the end.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::aggregate::Aggregates;
use super::rows::{Part, Stamp, join};
use super::{EventBuilder, LogOptions, LogPart, ReadReport};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::sources::KeptCounter;
use crate::sources::csvfile::{CsvDialect, LineLimit, Quoting, column_index, csv_error, line_of};

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
    let kept = KeptCounter::new(&options.keep, &headers, &file, "line 1")?;
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

    let layout = Layout {
        case: case_col,
        activity: activity_col,
        time: time_col,
        role: role_col,
        resource: resource_col,
        facility: facility_col,
        kept: kept_cols,
    };
    let data_start = dialect.bom as u64 + reader.position().byte();
    let parts = parts_wanted(options.threads, size.saturating_sub(data_start));
    let report = |builder: &EventBuilder, kept: KeptCounter, parts: usize| ReadReport {
        parts,
        format: None,
        columns: columns.clone(),
        dropped: dropped.clone(),
        resources: builder.resources.len() as u64,
        resources_without_role: builder.resources_without_role.len() as u64,
        kept: kept.finish(),
    };
    if parts > 1 {
        // Anything the parallel reading cannot vouch for (a record it could not read, a field over
        // the limit) is read again on one thread, which gives the exact error and line.
        match parallel(path, &dialect, &layout, &kept, options, data_start, size, parts, progress) {
            Ok(Some((agg, builder, kept, parts))) => return Ok((agg, report(&builder, kept, parts))),
            Ok(None) => {}
            Err(e) => return Err(e),
        }
        progress.reset_done();
        reader = dialect.open(path)?;
        reader.read_byte_record(&mut record).map_err(|e| csv_error(path, e))?;
    }
    let mut part = Part::new(options, kept)?;
    let mut last_pos = 0u64;
    while reader.read_byte_record(&mut record).map_err(|e| csv_error(path, e))? {
        read_record(&mut part, path, &dialect, &layout, &record)?;
        if part.events.is_multiple_of(65_536) {
            progress.check("reading the log")?;
            let pos = record.position().map_or(last_pos, |p| p.byte());
            progress.advance(pos - last_pos);
            last_pos = pos;
        }
    }
    progress.advance(size.saturating_sub(last_pos));
    // Group by case, keeping file order inside a case; `add_case` then orders by time.
    let (agg, builder, kept) = join(vec![part], options, &KeptCounter::default())?;
    let report = report(&builder, kept, 1);
    Ok((agg, report))
}

/// Where the mapped columns are.
struct Layout {
    case: usize,
    activity: usize,
    time: usize,
    role: Option<usize>,
    resource: Option<usize>,
    facility: Option<usize>,
    kept: Vec<usize>,
}

/// Reads one CSV record into `part` (a blank line is skipped).
fn read_record(
    part: &mut Part,
    path: &Path,
    dialect: &CsvDialect,
    layout: &Layout,
    record: &csv::ByteRecord,
) -> Result<()> {
    if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
        return Ok(());
    }
    // A plain record (UTF-8 as a whole, no NUL, not over the field limit) is checked once; any
    // other has each field it uses checked on its own, which also names what is wrong.
    let whole = dialect.plain_record(record);
    let get = |i: usize, name: &str| match whole.and_then(|w| w.get(record.range(i)?)) {
        Some(text) => Ok(std::borrow::Cow::Borrowed(text)),
        None => dialect.field(path, record, i, name),
    };
    let case = get(layout.case, "case")?;
    let activity = get(layout.activity, "activity")?;
    let time = get(layout.time, "timestamp")?;
    let role = layout.role.map(|i| get(i, "role")).transpose()?;
    let resource = layout.resource.map(|i| get(i, "resource")).transpose()?;
    let facility = layout.facility.map(|i| get(i, "facility")).transpose()?;
    for (k, &i) in layout.kept.iter().enumerate() {
        part.kept.add(k, &get(i, "kept column")?, 1);
    }
    part.event(
        &case,
        &activity,
        Stamp::Text(&time),
        role.as_deref().unwrap_or(""),
        resource.as_deref().unwrap_or(""),
        facility.as_deref().unwrap_or(""),
    )
    .map_err(|m| Error::input(path.display().to_string(), line_of(record), m))
}

/// Below this much data, one thread reads the file unless more are asked for.
const PARALLEL_FROM: u64 = 1 << 20;

/// The most parts a file is cut into.
const MOST_PARTS: usize = 64;

/// How many parts to read `data` bytes in: `threads` when given (1: one thread), else one per
/// core for a file of at least `PARALLEL_FROM`.
fn parts_wanted(threads: usize, data: u64) -> usize {
    match threads {
        0 if data >= PARALLEL_FROM => std::thread::available_parallelism().map_or(1, usize::from),
        0 => 1,
        n => n.min(MOST_PARTS),
    }
}

/// Offsets that cut `[start, size)` into at most `parts` runs of whole records, each starting
/// right after a line break that ends a record (quoting followed from `start`, which begins a
/// record): `start`, …, `size`.
fn record_bounds(path: &Path, delimiter: u8, start: u64, size: u64, parts: usize) -> Result<Vec<u64>> {
    let targets: Vec<u64> = (1..parts as u64).map(|k| start + (size - start) * k / parts as u64).collect();
    let mut bounds = vec![start];
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::Start(start)).map_err(|e| Error::io(path, e))?;
    let mut quoting = Quoting::new(delimiter);
    let mut block = vec![0u8; 1 << 20];
    let mut at = start;
    let mut next = 0;
    while next < targets.len() {
        let got = file.read(&mut block).map_err(|e| Error::io(path, e))?;
        if got == 0 {
            break;
        }
        // Takes the line break at `i` (which ends a record) as a bound when a target lies at or
        // before it; false once every target has its bound.
        let record_end = |i: usize, bounds: &mut Vec<u64>, next: &mut usize| {
            let end = at + i as u64 + 1;
            if end >= targets[*next] {
                if end < size && end > *bounds.last().unwrap_or(&start) {
                    bounds.push(end);
                }
                while *next < targets.len() && targets[*next] <= end {
                    *next += 1;
                }
            }
            *next < targets.len()
        };
        let piece = &block[..got];
        if quoting.skip_unquoted(piece) {
            // Every line break ends a record: only the first after each target matters.
            loop {
                let from = targets[next].saturating_sub(at + 1) as usize;
                match piece.get(from..).and_then(|rest| memchr::memchr(b'\n', rest)) {
                    Some(k) if record_end(from + k, &mut bounds, &mut next) => {}
                    _ => break,
                }
            }
        } else {
            quoting.scan_with(piece, |i| record_end(i, &mut bounds, &mut next));
        }
        at += got as u64;
    }
    bounds.push(size);
    Ok(bounds)
}

/// Reads the records of `[start, end)` (whole records) into a part.
#[allow(clippy::too_many_arguments)]
fn read_run(
    path: &Path,
    dialect: &CsvDialect,
    layout: &Layout,
    kept: KeptCounter,
    options: &LogOptions,
    start: u64,
    end: u64,
    record_bytes: u64,
    progress: &Progress,
) -> Result<Part> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::Start(start)).map_err(|e| Error::io(path, e))?;
    let input =
        LineLimit::new(std::io::BufReader::with_capacity(1 << 16, file.take(end - start)), dialect.delimiter);
    let mut reader = dialect.reader(input);
    let mut record = csv::ByteRecord::new();
    let mut part = Part::new(options, kept)?;
    if let Some(records) = (end - start).checked_div(record_bytes) {
        part.reserve(records);
    }
    let mut last_pos = 0u64;
    while reader.read_byte_record(&mut record).map_err(|e| csv_error(path, e))? {
        read_record(&mut part, path, dialect, layout, &record)?;
        if part.events.is_multiple_of(65_536) {
            progress.check("reading the log")?;
            let pos = record.position().map_or(last_pos, |p| p.byte());
            progress.advance(pos - last_pos);
            last_pos = pos;
        }
    }
    progress.advance((end - start).saturating_sub(last_pos));
    Ok(part)
}

/// The log read on several threads: the file cut into runs of whole records, each read into its
/// own names and rows, then the names joined in file order, the events grouped by case (in the
/// order cases first appear, file order inside a case) and counted, as one thread would.
/// `None` when a run could not be read: the caller reads the file on one thread for the error.
#[allow(clippy::too_many_arguments)]
fn parallel(
    path: &Path,
    dialect: &CsvDialect,
    layout: &Layout,
    kept: &KeptCounter,
    options: &LogOptions,
    data_start: u64,
    size: u64,
    parts: usize,
    progress: &Progress,
) -> Result<Option<(Aggregates, EventBuilder, KeptCounter, usize)>> {
    let bounds = record_bounds(path, dialect.delimiter, data_start, size, parts)?;
    let record_bytes = record_length(path, data_start)?;
    progress.advance(data_start);
    let results: Vec<Result<Part>> = std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .windows(2)
            .map(|w| {
                let (start, end, kept) = (w[0], w[1], kept.clone());
                scope.spawn(move || {
                    read_run(path, dialect, layout, kept, options, start, end, record_bytes, progress)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(Error::invalid("log", "a reading thread failed"))))
            .collect()
    });
    let mut runs = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(part) => runs.push(part),
            Err(e @ Error::Cancelled(_)) => return Err(e),
            Err(_) => return Ok(None),
        }
    }
    let (agg, builder, kept) = join(runs, options, kept)?;
    Ok(Some((agg, builder, kept, bounds.len() - 1)))
}

/// About how long a record is, from the lines of the first 64 kB after `start` (0: unknown).
fn record_length(path: &Path, start: u64) -> Result<u64> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::Start(start)).map_err(|e| Error::io(path, e))?;
    let mut sample = Vec::with_capacity(1 << 16);
    file.take(1 << 16).read_to_end(&mut sample).map_err(|e| Error::io(path, e))?;
    let lines = memchr::memchr_iter(b'\n', &sample).count() as u64;
    Ok((sample.len() as u64).checked_div(lines).map_or(0, |bytes| bytes.max(1)))
}

/// A header as shown in the summary (an empty header is the unnamed index column).
fn display_header(h: &str) -> String {
    if h.is_empty() { "(unnamed column)".to_string() } else { h.to_string() }
}
