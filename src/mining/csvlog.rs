//! Event logs as CSV: one event per row, columns mapped to case, activity, timestamp, role,
//! resource and facility. Rows of one case may be anywhere in the file, so the events are kept as
//! small fixed-size records (indexes and a time), grouped by case at the end.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::aggregate::Aggregates;
use super::rows::{Part, Stamp, join};
use super::{EventBuilder, LogOptions, LogPart, ReadReport, read_full};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::sources::KeptCounter;
use crate::sources::csvfile::{
    CsvDialect, Encoding, LineLimit, MAX_FIELD_BYTES, Quoting, column_index, csv_error, line_of,
};

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
    // Anything the reading in runs cannot vouch for (a record it could not read, a field over the
    // limit) is read again by the CSV parser alone, which gives the exact error and line.
    match runs(path, &dialect, &layout, &kept, options, data_start, size, parts, progress) {
        Ok(Some((agg, builder, kept, parts))) => return Ok((agg, report(&builder, kept, parts))),
        Ok(None) => {}
        Err(e) => return Err(e),
    }
    progress.reset_done();
    reader = dialect.open(path)?;
    reader.read_byte_record(&mut record).map_err(|e| csv_error(path, e))?;
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

impl Layout {
    /// How many fields from the start of a record hold every mapped column.
    fn wanted(&self) -> usize {
        [Some(self.case), Some(self.activity), Some(self.time), self.role, self.resource, self.facility]
            .into_iter()
            .flatten()
            .chain(self.kept.iter().copied())
            .max()
            .map_or(0, |i| i + 1)
    }
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

/// Reads the records of a run into a part: blocks of plain text (see `plain_block`) split by
/// hand, and from the first block that is not plain on, the CSV parser (or, when the run only
/// takes plain text, nothing: `None`).
#[allow(clippy::too_many_arguments)]
fn read_run(
    path: &Path,
    dialect: &CsvDialect,
    layout: &Layout,
    kept: KeptCounter,
    options: &LogOptions,
    run: &Run,
    progress: &Progress,
) -> Result<Option<Part>> {
    let Run { start, end, record_bytes, plain_only } = *run;
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::Start(start)).map_err(|e| Error::io(path, e))?;
    let mut part = Part::new(options, kept)?;
    if let Some(records) = (end - start).checked_div(record_bytes) {
        part.reserve(records);
    }
    let mut at = start;
    if dialect.encoding == Encoding::Utf8 {
        let mut buf = vec![0u8; PLAIN_BLOCK];
        let mut fields = Vec::new();
        // `buf[..held]` holds the file from `at` on.
        let mut held = 0usize;
        while at < end {
            let want = (PLAIN_BLOCK - held).min((end - at) as usize - held);
            let got = read_full(&mut file, &mut buf[held..held + want]).map_err(|e| Error::io(path, e))?;
            held += got;
            let last = at + held as u64 >= end || got < want;
            let cut = if last { held } else { memchr::memrchr(b'\n', &buf[..held]).map_or(0, |i| i + 1) };
            let Some(text) = plain_block(&buf[..cut]) else { break };
            read_plain(&mut part, text, dialect.delimiter, layout, &mut fields)
                .map_err(|m| Error::input(path.display().to_string(), "a line", m))?;
            progress.check("reading the log")?;
            progress.advance(cut as u64);
            at += cut as u64;
            buf.copy_within(cut..held, 0);
            held -= cut;
            if last && held == 0 {
                break;
            }
        }
        if at >= end {
            return Ok(Some(part));
        }
        if plain_only {
            return Ok(None);
        }
        file.seek(SeekFrom::Start(at)).map_err(|e| Error::io(path, e))?;
    }
    let input =
        LineLimit::new(std::io::BufReader::with_capacity(1 << 16, file.take(end - at)), dialect.delimiter);
    let mut reader = dialect.reader(input);
    let mut record = csv::ByteRecord::new();
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
    progress.advance((end - at).saturating_sub(last_pos));
    Ok(Some(part))
}

/// A run of whole records, `[start, end)` of the file, and how to read it: `record_bytes` about
/// how long a record is (0: unknown); `plain_only`, give up (`None`) at the first block that is
/// not plain text rather than read on with the CSV parser.
#[derive(Debug, Clone, Copy)]
struct Run {
    start: u64,
    end: u64,
    record_bytes: u64,
    plain_only: bool,
}

/// The size of a block of plain text read at once; no longer than the field limit, so a record
/// that fits in one is under every limit the CSV parser's path checks.
const PLAIN_BLOCK: usize = MAX_FIELD_BYTES;

/// `block` as text when the CSV parser would read it as plain lines split at the delimiter: UTF-8
/// without NUL (as `CsvDialect::plain_record` asks), no quote anywhere, and every carriage
/// return part of a CRLF line end (a lone one ends a record for the parser). `None` otherwise,
/// and for an empty block.
fn plain_block(block: &[u8]) -> Option<&str> {
    if block.is_empty() || memchr::memchr2(b'"', 0, block).is_some() {
        return None;
    }
    if memchr::memchr_iter(b'\r', block).any(|i| block.get(i + 1) != Some(&b'\n')) {
        return None;
    }
    std::str::from_utf8(block).ok()
}

/// How many lines of a plain block are read together.
const BATCH: usize = 16;

/// Reads a batch of lines of a plain block into `part`: their fields in `fields`, as many to a
/// line as `layout` wants. Their case ids are looked up in the index together first, so that
/// the waits for memory overlap.
fn read_batch(
    part: &mut Part,
    text: &str,
    layout: &Layout,
    fields: &[(usize, usize)],
) -> std::result::Result<(), String> {
    let wanted = layout.wanted();
    let lines = fields.chunks_exact(wanted);
    let mut touched = 0u64;
    for line in lines.clone() {
        touched ^= part.touch(&text[line[layout.case].0..line[layout.case].1]);
    }
    std::hint::black_box(touched);
    for line in lines {
        let get = |i: usize| line.get(i).map_or("", |&(a, b)| &text[a..b]);
        for (n, &i) in layout.kept.iter().enumerate() {
            part.kept.add(n, get(i), 1);
        }
        part.event(
            get(layout.case),
            get(layout.activity),
            Stamp::Text(get(layout.time)),
            layout.role.map_or("", get),
            layout.resource.map_or("", get),
            layout.facility.map_or("", get),
        )?;
    }
    Ok(())
}

/// Reads the lines of a plain block (`plain_block`) into `part`, as `read_record` reads the
/// records the CSV parser gives for them: a blank line is skipped, a missing field is empty.
/// `fields` is room for the field bounds of a line.
fn read_plain(
    part: &mut Part,
    text: &str,
    delimiter: u8,
    layout: &Layout,
    fields: &mut Vec<(usize, usize)>,
) -> std::result::Result<(), String> {
    let bytes = text.as_bytes();
    let wanted = layout.wanted();
    // One pass over the block finds every delimiter and line break; the lines are taken in
    // batches, their fields' bounds in `fields`, `wanted` to a line (a missing one empty).
    let mut line_start = 0;
    let mut field_start = 0;
    let mut in_line = 0;
    fields.clear();
    for k in memchr::memchr2_iter(delimiter, b'\n', bytes).chain(std::iter::once(bytes.len())) {
        if k < bytes.len() && bytes[k] == delimiter {
            if in_line < wanted {
                fields.push((field_start, k));
                in_line += 1;
            }
            field_start = k + 1;
            continue;
        }
        let line_end = if k > line_start && bytes[k - 1] == b'\r' { k - 1 } else { k };
        if line_end > line_start || in_line > 0 {
            if in_line < wanted {
                fields.push((field_start, line_end.max(field_start)));
                in_line += 1;
            }
            fields.resize(fields.len() + wanted - in_line, (0, 0));
            if fields.len() == BATCH * wanted {
                read_batch(part, text, layout, fields)?;
                fields.clear();
            }
        }
        in_line = 0;
        line_start = k + 1;
        field_start = k + 1;
    }
    read_batch(part, text, layout, fields)?;
    Ok(())
}

/// The log read in runs, each on a thread of its own: the file cut into runs of whole records,
/// each read into its own names and rows, then the names joined in file order, the events
/// grouped by case (in the order cases first appear, file order inside a case) and counted, as
/// one thread would.
/// `None` when a run could not be read: the caller reads the file on one thread for the error.
#[allow(clippy::too_many_arguments)]
fn runs(
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
    let (record_bytes, quoted) = first_lines(path, data_start)?;
    progress.advance(data_start);
    // A file whose first lines hold no quote is cut at the first line break after each cut at
    // first, with no pass over the file. Should a run meet text that is not plain after all, the
    // file is cut again following its quoting (`record_bounds`) and read again.
    let guess = parts > 1 && !quoted && dialect.encoding == Encoding::Utf8;
    let mut bounds = if guess { line_bounds(path, data_start, size, parts)? } else { Vec::new() };
    let mut results = Vec::new();
    if guess {
        results = read_runs(path, dialect, layout, kept, options, &bounds, record_bytes, true, progress);
    }
    // A cut inside a quoted field leaves the opening quote to the run before it, which gives up.
    if !guess || results.iter().any(|r| matches!(r, Ok(None))) {
        progress.reset_done();
        progress.advance(data_start);
        bounds = record_bounds(path, dialect.delimiter, data_start, size, parts)?;
        results = read_runs(path, dialect, layout, kept, options, &bounds, record_bytes, false, progress);
    }
    let mut runs = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(Some(part)) => runs.push(part),
            Ok(None) => return Ok(None),
            Err(e @ Error::Cancelled(_)) => return Err(e),
            Err(_) => return Ok(None),
        }
    }
    let (agg, builder, kept) = join(runs, options, kept)?;
    Ok(Some((agg, builder, kept, bounds.len() - 1)))
}

/// The runs between `bounds` read, each on a thread of its own (`read_run`).
#[allow(clippy::too_many_arguments)]
fn read_runs(
    path: &Path,
    dialect: &CsvDialect,
    layout: &Layout,
    kept: &KeptCounter,
    options: &LogOptions,
    bounds: &[u64],
    record_bytes: u64,
    plain_only: bool,
    progress: &Progress,
) -> Vec<Result<Option<Part>>> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .windows(2)
            .map(|w| {
                let (start, end, kept) = (w[0], w[1], kept.clone());
                scope.spawn(move || {
                    let run = Run { start, end, record_bytes, plain_only };
                    read_run(path, dialect, layout, kept, options, &run, progress)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(Error::invalid("log", "a reading thread failed"))))
            .collect()
    })
}

/// Offsets that cut `[start, size)` into at most `parts` runs of whole lines: `start`, the start
/// of the first line that begins at or after each even cut, …, `size`. Runs of whole records
/// when no quoted field holds a line break.
fn line_bounds(path: &Path, start: u64, size: u64, parts: usize) -> Result<Vec<u64>> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bounds = vec![start];
    let mut block = vec![0u8; 1 << 16];
    for k in 1..parts as u64 {
        let mut at = (start + (size - start) * k / parts as u64).saturating_sub(1).max(start);
        file.seek(SeekFrom::Start(at)).map_err(|e| Error::io(path, e))?;
        let bound = loop {
            let got = file.read(&mut block).map_err(|e| Error::io(path, e))?;
            if got == 0 {
                break size;
            }
            if let Some(i) = memchr::memchr(b'\n', &block[..got]) {
                break at + i as u64 + 1;
            }
            at += got as u64;
        };
        if bound < size && bound > *bounds.last().unwrap_or(&start) {
            bounds.push(bound);
        }
    }
    bounds.push(size);
    Ok(bounds)
}

/// From the first 64 kB after `start`: about how long a record is (0: unknown), and whether
/// they hold a quote.
fn first_lines(path: &Path, start: u64) -> Result<(u64, bool)> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::Start(start)).map_err(|e| Error::io(path, e))?;
    let mut sample = Vec::with_capacity(1 << 16);
    file.take(1 << 16).read_to_end(&mut sample).map_err(|e| Error::io(path, e))?;
    let lines = memchr::memchr_iter(b'\n', &sample).count() as u64;
    let record_bytes = (sample.len() as u64).checked_div(lines).map_or(0, |bytes| bytes.max(1));
    Ok((record_bytes, memchr::memchr(b'"', &sample).is_some()))
}

/// A header as shown in the summary (an empty header is the unnamed index column).
fn display_header(h: &str) -> String {
    if h.is_empty() { "(unnamed column)".to_string() } else { h.to_string() }
}
