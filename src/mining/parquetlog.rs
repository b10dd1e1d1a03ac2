//! Event logs as Parquet: the same column mapping as CSV (headers are the columns' names, dotted
//! for nested ones), only the mapped columns read, row groups read on several threads and joined
//! as CSV runs are (`rows::join`), so the result does not depend on the thread count.
//!
//! Columns: case, activity, role, resource and facility may be text or whole numbers; the
//! timestamp may be a TIMESTAMP (milli-, micro- or nanoseconds; adjusted to UTC, or wall-clock
//! time read in the facility's zone), a legacy INT96 timestamp, a DATE, or text read as a CSV
//! timestamp is. Anything else is refused with the column and its type named.

use std::fs::File;
use std::path::Path;

use parquet::basic::{ConvertedType, LogicalType, TimeUnit, Type as Physical};
use parquet::column::reader::ColumnReader;
use parquet::data_type::{ByteArray, Int96};
use parquet::file::reader::{FileReader, RowGroupReader};
use parquet::file::serialized_reader::SerializedFileReader;

use super::aggregate::Aggregates;
use rustc_hash::FxHashMap;

use super::intern::NONE;
use super::parquetdict::{self, NULL_ENTRY, TextColumn};
use super::rows::{CaseRef, Part, Stamp, join};
use super::thrift::{self, Problem};
use super::{LogOptions, LogPart, ReadReport};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::sources::KeptCounter;

/// Rows read at a time from each column, so that memory stays flat whatever a row group's size.
const BATCH: usize = 65_536;

/// The most a column chunk may inflate to, as a multiple of its stored size: more is refused as
/// a decompression bomb.
const MAX_INFLATION: i64 = 1_000;

/// How a mapped column's values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int32,
    Int64,
    /// INT64 timestamps: microseconds per unit, as a divisor (negative: multiply), adjusted to UTC.
    Timestamp {
        per_micro: i64,
        scale_up: bool,
        utc: bool,
    },
    Int96,
    Date,
}

/// A mapped column: its index in the file and how to read it.
#[derive(Debug, Clone, Copy)]
struct Column {
    index: usize,
    kind: Kind,
}

/// The columns an event is read from.
#[derive(Debug, Clone)]
struct Layout {
    case: Column,
    activity: Column,
    time: Column,
    role: Option<Column>,
    resource: Option<Column>,
    facility: Option<Column>,
    kept: Vec<Column>,
}

impl Layout {
    /// The columns read, in the order `read_group` reads them: case, activity, time, then role,
    /// resource and facility when mapped, then the kept ones.
    fn columns(&self) -> Vec<Column> {
        [Some(self.case), Some(self.activity), Some(self.time), self.role, self.resource, self.facility]
            .into_iter()
            .flatten()
            .chain(self.kept.iter().copied())
            .collect()
    }
}

fn refuse(path: &Path, at: impl Into<String>, message: impl Into<String>) -> Error {
    Error::input(path.display().to_string(), at, message)
}

fn open(path: &Path) -> Result<SerializedFileReader<File>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    check_footer(path, &file)?;
    SerializedFileReader::new(file).map_err(|e| {
        refuse(path, "file", format!("not a readable Parquet file ({e}): export it again, or export CSV"))
    })
}

/// Checks what the footer claims of row group `g`'s column chunks (each within the file, and
/// not inflating without bound) and each chunk's page headers (`check_pages`), before the
/// parquet crate reads any of them.
fn check_group(
    path: &Path,
    file: &File,
    size: u64,
    g: usize,
    group: &parquet::file::metadata::RowGroupMetaData,
) -> Result<()> {
    let at_group = format!("row group {}", g + 1);
    for chunk in group.columns() {
        // Where the chunk starts and how long it is, as `byte_range` would say (which
        // panics on a negative one).
        let offset = chunk.dictionary_page_offset().unwrap_or(chunk.data_page_offset());
        let within = u64::try_from(offset)
            .ok()
            .zip(u64::try_from(chunk.compressed_size()).ok())
            .is_some_and(|(start, length)| start.saturating_add(length) <= size);
        let name = chunk.column_path().string();
        if !within {
            return Err(refuse(
                path,
                at_group.as_str(),
                format!(
                    "column {name:?} claims to lie at byte {offset}, {} bytes long, in a file of {size} bytes: the file is damaged",
                    chunk.compressed_size()
                ),
            ));
        }
        let stored = chunk.compressed_size().max(1);
        if chunk.uncompressed_size() > stored.saturating_mul(MAX_INFLATION) {
            return Err(refuse(
                path,
                at_group.as_str(),
                format!(
                    "column {name:?} claims {} bytes stored and {} inflated in a file of {size} bytes: the file is damaged or a decompression bomb",
                    chunk.compressed_size(),
                    chunk.uncompressed_size()
                ),
            ));
        }
        let (start, length) = (offset as u64, chunk.compressed_size() as u64);
        check_pages(path, file, size, &at_group, &name, start, length)?;
    }
    Ok(())
}

/// Checks the footer (`thrift::check_struct`) before the parquet crate reads it.
fn check_footer(path: &Path, file: &File) -> Result<()> {
    use std::os::unix::fs::FileExt;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let mut tail = [0u8; 8];
    if size < 12 || file.read_exact_at(&mut tail, size - 8).is_err() || &tail[4..] != b"PAR1" {
        // The crate says what is wrong with it.
        return Ok(());
    }
    let length = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if length > size - 8 {
        return Ok(());
    }
    let mut footer = vec![0u8; length as usize];
    file.read_exact_at(&mut footer, size - 8 - length).map_err(|e| Error::io(path, e))?;
    match thrift::check_struct(&footer, 0) {
        Ok(_) => Ok(()),
        Err(Problem::Short) => Err(refuse(
            path,
            "footer",
            "the footer is cut short: the file is damaged; export it again, or export CSV",
        )),
        Err(Problem::Refused(why)) => Err(refuse(
            path,
            "footer",
            format!("the footer is damaged ({why}); export the file again, or export CSV"),
        )),
    }
}

/// Checks the page headers of the column chunk at `start`, `length` bytes long (in a file of
/// `size` bytes), as the parquet crate would walk them: each header, then its page's data.
fn check_pages(
    path: &Path,
    file: &File,
    size: u64,
    at_group: &str,
    name: &str,
    start: u64,
    length: u64,
) -> Result<()> {
    use std::os::unix::fs::FileExt;
    let damaged = |why: &str| {
        refuse(
            path,
            at_group,
            format!(
                "column {name:?} has a damaged page header ({why}): export the file again, or export CSV"
            ),
        )
    };
    let end = start.saturating_add(length).min(size);
    let mut at = start;
    let mut buf = Vec::new();
    while at < end {
        // Headers are short; a longer one (large statistics) is read again with more room. The
        // crate reads a header past the chunk's end if it runs on, so this may too.
        let left = size - at;
        let mut window = 256u64;
        let checked = loop {
            let want = window.min(left);
            buf.resize(want as usize, 0);
            file.read_exact_at(&mut buf, at).map_err(|e| Error::io(path, e))?;
            match thrift::check_struct(&buf, 3) {
                Ok(checked) => break checked,
                Err(Problem::Short) if want < left => window = window.saturating_mul(8),
                Err(Problem::Short) => return Err(damaged("cut short")),
                Err(Problem::Refused(why)) => return Err(damaged(why)),
            }
        };
        // Without a size the crate refuses the header itself.
        let Some(data) = checked.field.and_then(|n| u64::try_from(n).ok()) else { return Ok(()) };
        at = at.saturating_add(checked.length as u64).saturating_add(data);
    }
    Ok(())
}

/// Whether the first bytes are Parquet's magic number.
pub(super) fn is_parquet(head: &[u8]) -> bool {
    head.starts_with(b"PAR1")
}

/// The error for Parquet data the decoder could not survive (it panicked on it).
fn damaged(path: &Path) -> Error {
    refuse(
        path,
        "file",
        "the file is damaged: its Parquet data cannot be decoded; export it again, or export CSV",
    )
}

pub(super) fn read(
    path: &Path,
    options: &LogOptions,
    progress: &Progress,
) -> Result<(Aggregates, ReadReport)> {
    // The Parquet decoder may panic on damaged data rather than return an error: a panic is that
    // file's error, never the app's end.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_checked(path, options, progress)))
        .unwrap_or_else(|_| Err(damaged(path)))
}

fn read_checked(path: &Path, options: &LogOptions, progress: &Progress) -> Result<(Aggregates, ReadReport)> {
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    progress.set_total(size);
    let reader = open(path)?;
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();
    let headers: Vec<String> = (0..schema.num_columns()).map(|i| schema.column(i).path().string()).collect();
    let columns = options.columns.guess(&headers);
    // What the footer claims of each column chunk, and its page headers, checked first.
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    for (g, group) in meta.row_groups().iter().enumerate() {
        check_group(path, &file, size, g, group)?;
    }
    let find = |part: LogPart| -> Result<Option<Column>> {
        let Some(name) = columns.get(part) else { return Ok(None) };
        let index = headers.iter().position(|h| h == name).ok_or_else(|| {
            refuse(
                path,
                "columns",
                format!(
                    "no column named {name:?} for the {}; the columns are: {}",
                    part.as_str(),
                    headers.join(", ")
                ),
            )
        })?;
        Ok(Some(Column { index, kind: kind_of(path, &schema.column(index), part == LogPart::Timestamp)? }))
    };
    let required = |part: LogPart, flag: &str| -> Result<Column> {
        find(part)?.ok_or_else(|| {
            refuse(
                path,
                "columns",
                format!(
                    "no {} column found; name it with {flag} (the columns are: {})",
                    part.as_str(),
                    headers.join(", ")
                ),
            )
        })
    };
    let kept = KeptCounter::new(&options.keep, &headers, &path.display().to_string(), "columns")?;
    let kept_columns: Vec<Column> = kept
        .names()
        .iter()
        .filter_map(|n| headers.iter().position(|h| h == n))
        .map(|index| Ok(Column { index, kind: kind_of(path, &schema.column(index), false)? }))
        .collect::<Result<_>>()?;
    let layout = Layout {
        case: required(LogPart::Case, "--case")?,
        activity: required(LogPart::Activity, "--activity")?,
        time: required(LogPart::Timestamp, "--timestamp")?,
        role: find(LogPart::Role)?,
        resource: find(LogPart::Resource)?,
        facility: find(LogPart::Facility)?,
        kept: kept_columns,
    };
    let used: Vec<usize> = layout.columns().iter().map(|c| c.index).collect();
    let mut dropped: Vec<String> =
        headers.iter().enumerate().filter(|(i, _)| !used.contains(i)).map(|(_, h)| h.clone()).collect();
    dropped.sort();

    // Row groups in order, cut into runs, one run a thread.
    let groups = meta.num_row_groups();
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
    .clamp(1, groups.max(1));
    let runs: Vec<(usize, usize)> =
        (0..threads).map(|k| (groups * k / threads, groups * (k + 1) / threads)).collect();
    let starts: Vec<u64> = {
        let mut at = 0u64;
        let mut out = vec![0u64];
        for g in meta.row_groups() {
            at += g.num_rows().max(0) as u64;
            out.push(at);
        }
        out
    };
    let results: Vec<Result<Part>> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .iter()
            .map(|&(from, to)| {
                let (layout, kept, starts) = (&layout, kept.clone(), &starts);
                scope.spawn(move || {
                    let reader = open(path)?;
                    let mut part = Part::new(options, kept)?;
                    part.reserve(starts[to] - starts[from]);
                    for (g, &first) in starts.iter().enumerate().take(to).skip(from) {
                        let group = reader.get_row_group(g).map_err(|e| {
                            refuse(path, format!("row group {}", g + 1), format!("cannot be read: {e}"))
                        })?;
                        read_group(path, group.as_ref(), g, first, layout, &mut part, progress)?;
                        progress.advance(meta.row_group(g).compressed_size().max(0) as u64);
                    }
                    Ok(part)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(damaged(path)))).collect()
    });
    let parts = results.into_iter().collect::<Result<Vec<Part>>>()?;
    let (agg, builder, kept) = join(parts, options, &kept)?;
    let report = ReadReport {
        format: None,
        columns,
        dropped,
        resources: builder.resources.len() as u64,
        resources_without_role: builder.resources_without_role.len() as u64,
        kept: kept.finish(),
        parts: runs.len(),
    };
    Ok((agg, report))
}

/// How column `c` is read, or an error naming it and its type.
fn kind_of(path: &Path, c: &parquet::schema::types::ColumnDescriptor, time: bool) -> Result<Kind> {
    let name = c.path().string();
    if c.max_rep_level() > 0 {
        return Err(refuse(
            path,
            "columns",
            format!("column {name:?} is a list; Baton reads one value a row"),
        ));
    }
    let kind = match (c.physical_type(), c.logical_type_ref(), c.converted_type()) {
        (Physical::BYTE_ARRAY | Physical::FIXED_LEN_BYTE_ARRAY, _, _) => Some(Kind::Text),
        (Physical::INT64, Some(LogicalType::Timestamp(t)), _) if time => Some(match t.unit {
            TimeUnit::MILLIS => {
                Kind::Timestamp { per_micro: 1000, scale_up: true, utc: t.is_adjusted_to_u_t_c }
            }
            TimeUnit::MICROS => Kind::Timestamp { per_micro: 1, scale_up: true, utc: t.is_adjusted_to_u_t_c },
            TimeUnit::NANOS => {
                Kind::Timestamp { per_micro: 1000, scale_up: false, utc: t.is_adjusted_to_u_t_c }
            }
        }),
        (Physical::INT64, _, ConvertedType::TIMESTAMP_MILLIS) if time => {
            Some(Kind::Timestamp { per_micro: 1000, scale_up: true, utc: true })
        }
        (Physical::INT64, _, ConvertedType::TIMESTAMP_MICROS) if time => {
            Some(Kind::Timestamp { per_micro: 1, scale_up: true, utc: true })
        }
        (Physical::INT96, _, _) if time => Some(Kind::Int96),
        (Physical::INT32, Some(LogicalType::Date), _) | (Physical::INT32, _, ConvertedType::DATE) if time => {
            Some(Kind::Date)
        }
        (Physical::INT32, _, _) if !time => Some(Kind::Int32),
        (Physical::INT64, _, _) if !time => Some(Kind::Int64),
        _ => None,
    };
    kind.ok_or_else(|| {
        refuse(
            path,
            "columns",
            format!(
                "column {name:?} holds {:?} values{}: {}",
                c.physical_type(),
                c.logical_type_ref().map_or_else(String::new, |l| format!(" ({l:?})")),
                if time {
                    "the timestamp must be a TIMESTAMP, a DATE or text"
                } else {
                    "it must be text or a whole number"
                }
            ),
        )
    })
}

/// One batch of a column: each row's value, `None` where it is null.
enum Values {
    Text(Vec<Option<ByteArray>>),
    Int(Vec<Option<i64>>),
    Int96(Vec<Option<Int96>>),
}

/// Reads up to `BATCH` rows of a column.
fn batch(reader: &mut ColumnReader, max_def: i16) -> parquet::errors::Result<Values> {
    fn spread<T: Clone>(values: Vec<T>, defs: &[i16], max_def: i16, rows: usize) -> Vec<Option<T>> {
        if max_def == 0 {
            return values.into_iter().map(Some).collect();
        }
        let mut it = values.into_iter();
        defs[..rows].iter().map(|&d| if d == max_def { it.next() } else { None }).collect()
    }
    let mut defs = Vec::new();
    macro_rules! read {
        ($r:expr, $wrap:expr) => {{
            let mut values = Vec::new();
            let (rows, _, _) =
                $r.read_records(BATCH, (max_def > 0).then_some(&mut defs), None, &mut values)?;
            $wrap(spread(values, &defs, max_def, rows))
        }};
    }
    Ok(match reader {
        ColumnReader::ByteArrayColumnReader(r) => read!(r, Values::Text),
        ColumnReader::FixedLenByteArrayColumnReader(r) => {
            let mut values = Vec::new();
            let (rows, _, _) =
                r.read_records(BATCH, (max_def > 0).then_some(&mut defs), None, &mut values)?;
            let values: Vec<ByteArray> =
                values.into_iter().map(|v| ByteArray::from(v.data().to_vec())).collect();
            Values::Text(spread(values, &defs, max_def, rows))
        }
        ColumnReader::Int32ColumnReader(r) => {
            let mut values = Vec::new();
            let (rows, _, _) =
                r.read_records(BATCH, (max_def > 0).then_some(&mut defs), None, &mut values)?;
            let values: Vec<i64> = values.into_iter().map(i64::from).collect();
            Values::Int(spread(values, &defs, max_def, rows))
        }
        ColumnReader::Int64ColumnReader(r) => read!(r, Values::Int),
        ColumnReader::Int96ColumnReader(r) => read!(r, Values::Int96),
        _ => Values::Int(Vec::new()),
    })
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Int(v) => v.len(),
            Values::Int96(v) => v.len(),
        }
    }

    /// Row `i` as text ("" when null).
    fn text(&self, i: usize) -> std::result::Result<std::borrow::Cow<'_, str>, String> {
        Ok(match self {
            Values::Text(v) => match &v[i] {
                Some(b) => std::str::from_utf8(b.data()).map_err(|_| "is not UTF-8 text".to_string())?.into(),
                None => "".into(),
            },
            Values::Int(v) => v[i].map_or_else(String::new, |n| n.to_string()).into(),
            Values::Int96(v) => v[i].map_or_else(String::new, |n| n.to_micros().to_string()).into(),
        })
    }
}

/// A mapped column of a row group: read page by page into a dictionary and each row's entry
/// (`parquetdict`), or by the general reader a batch at a time.
enum Source {
    Text(TextColumn),
    Reader(Box<ColumnReader>, i16),
}

/// What identifies a value within a batch (`Batch::key`).
type Key = (u64, u64);

/// One batch of a mapped column.
enum Batch<'a> {
    Values(Values),
    /// The column, and the row (in the row group) the batch starts at.
    Text(&'a TextColumn, usize),
}

impl Batch<'_> {
    /// Row `i`'s dictionary entry, when it has one.
    fn entry(&self, i: usize) -> Option<u32> {
        match self {
            Batch::Text(column, from) => Some(column.rows[from + i]).filter(|&e| e != NULL_ENTRY),
            Batch::Values(_) => None,
        }
    }

    /// What identifies row `i`'s value within this batch, so that a repeated value is read once:
    /// its dictionary entry; a text's place in memory (a dictionary-encoded column gives each
    /// repeat the same bytes, and the batch keeps them in place); or the number itself.
    fn key(&self, i: usize) -> (u64, u64) {
        const NULL: (u64, u64) = (0, u64::MAX - 1);
        match self {
            Batch::Text(..) => self.entry(i).map_or(NULL, |e| (u64::from(e), u64::MAX - 2)),
            Batch::Values(Values::Text(v)) => {
                v[i].as_ref().map_or(NULL, |b| (b.data().as_ptr() as u64, b.len() as u64))
            }
            Batch::Values(Values::Int(v)) => v[i].map_or(NULL, |n| (n as u64, u64::MAX)),
            Batch::Values(Values::Int96(v)) => {
                v[i].as_ref().map_or(NULL, |n| (n.to_micros() as u64, u64::MAX))
            }
        }
    }

    /// Row `i` as text ("" when null).
    fn text(&self, i: usize) -> std::result::Result<std::borrow::Cow<'_, str>, String> {
        match self {
            Batch::Values(values) => values.text(i),
            Batch::Text(column, _) => Ok(match self.entry(i) {
                Some(e) => {
                    std::str::from_utf8(column.entry(e)).map_err(|_| "is not UTF-8 text".to_string())?.into()
                }
                None => "".into(),
            }),
        }
    }
}

/// What each value gave, so that a repeated value is read, checked and looked up once: by
/// dictionary entry for the row group, else by `Batch::key` for the batch (`clear_batch`).
struct Remember<T> {
    entries: Vec<Option<T>>,
    keys: FxHashMap<(u64, u64), T>,
}

impl<T: Copy> Default for Remember<T> {
    fn default() -> Self {
        Remember { entries: Vec::new(), keys: FxHashMap::default() }
    }
}

impl<T: Copy> Remember<T> {
    fn get(&mut self, batch: &Batch<'_>, i: usize, make: impl FnOnce() -> Result<T>) -> Result<T> {
        if let Some(e) = batch.entry(i) {
            let e = e as usize;
            if let Some(Some(known)) = self.entries.get(e) {
                return Ok(*known);
            }
            let made = make()?;
            if self.entries.len() <= e {
                self.entries.resize(e + 1, None);
            }
            self.entries[e] = Some(made);
            return Ok(made);
        }
        let key = batch.key(i);
        if let Some(known) = self.keys.get(&key) {
            return Ok(*known);
        }
        let made = make()?;
        self.keys.insert(key, made);
        Ok(made)
    }

    fn clear_batch(&mut self) {
        self.keys.clear();
    }
}

/// Reads row group `g` (whose first row is row `first` of the file) into `part`.
fn read_group(
    path: &Path,
    group: &dyn RowGroupReader,
    g: usize,
    first: u64,
    layout: &Layout,
    part: &mut Part,
    progress: &Progress,
) -> Result<()> {
    let at = |row: u64| format!("row {}", first + row + 1);
    let unreadable = |e: String| refuse(path, format!("row group {}", g + 1), format!("cannot be read: {e}"));
    let columns = layout.columns();
    let rows = group.metadata().num_rows().max(0) as u64;
    let mut sources = Vec::with_capacity(columns.len());
    for c in &columns {
        let descr = group.metadata().column(c.index).column_descr();
        let max_def = descr.max_def_level();
        if c.kind == Kind::Text && rows <= parquetdict::MOST_ROWS {
            let mut pages = group.get_column_page_reader(c.index).map_err(|e| unreadable(e.to_string()))?;
            let read = parquetdict::read(pages.as_mut(), max_def, rows).map_err(|e| {
                refuse(
                    path,
                    format!("row group {}", g + 1),
                    format!("column {:?} {e}", descr.path().string()),
                )
            })?;
            if let Some(column) = read {
                sources.push(Source::Text(column));
                continue;
            }
        }
        let reader = group.get_column_reader(c.index).map_err(|e| unreadable(e.to_string()))?;
        sources.push(Source::Reader(Box::new(reader), max_def));
    }
    let mut done = 0u64;
    let mut cases = Remember::<CaseRef>::default();
    let mut activities = Remember::<u32>::default();
    let mut facilities = Remember::<u32>::default();
    // (role, resource) → role, for the batch.
    let mut roles: FxHashMap<(Key, Key), u32> = FxHashMap::default();
    while done < rows {
        progress.check("reading the log")?;
        let mut read = Vec::with_capacity(sources.len());
        for source in &mut sources {
            read.push(match source {
                Source::Reader(reader, max_def) => {
                    Some(batch(reader, *max_def).map_err(|e| unreadable(e.to_string()))?)
                }
                Source::Text(_) => None,
            });
        }
        let lengths: Vec<usize> = read.iter().flatten().map(Values::len).collect();
        let n = lengths.first().copied().unwrap_or_else(|| (rows - done).min(BATCH as u64) as usize);
        if n == 0 || lengths.iter().any(|&l| l != n) || done + n as u64 > rows {
            return Err(refuse(
                path,
                format!("row group {}", g + 1),
                "its columns hold different numbers of rows: the file is damaged",
            ));
        }
        let batches: Vec<Batch<'_>> = read
            .into_iter()
            .zip(&sources)
            .map(|(values, source)| match (values, source) {
                (Some(values), _) => Batch::Values(values),
                (None, Source::Text(column)) => Batch::Text(column, done as usize),
                (None, Source::Reader(..)) => Batch::Values(Values::Int(Vec::new())),
            })
            .collect();
        let time = &batches[2];
        let mut next = 3;
        let mut optional = |c: Option<Column>| {
            c.map(|_| {
                next += 1;
                next - 1
            })
        };
        let (role, resource, facility) =
            (optional(layout.role), optional(layout.resource), optional(layout.facility));
        let kept_from = next;
        for memory in [&mut activities, &mut facilities] {
            memory.clear_batch();
        }
        cases.clear_batch();
        roles.clear();
        for i in 0..n {
            // Where the row is, written only for an error.
            let here = || at(done + i as u64);
            let batches = &batches;
            let text = |k: usize, what: &str| {
                batches[k].text(i).map_err(|m| refuse(path, here(), format!("the {what} {m}")))
            };
            let empty = || refuse(path, here(), "the timestamp is empty: every event needs one");
            let stamp_text;
            let stamp = match (layout.time.kind, time) {
                (Kind::Timestamp { per_micro, scale_up, utc }, Batch::Values(Values::Int(v))) => {
                    let t = v[i].ok_or_else(empty)?;
                    let micros =
                        if scale_up { t.checked_mul(per_micro) } else { Some(t.div_euclid(per_micro)) };
                    let micros = micros
                        .ok_or_else(|| refuse(path, here(), format!("the timestamp {t} is out of range")))?;
                    if utc { Stamp::Instant(micros) } else { Stamp::Civil(micros) }
                }
                (Kind::Int96, Batch::Values(Values::Int96(v))) => {
                    Stamp::Instant(v[i].as_ref().ok_or_else(empty)?.to_micros())
                }
                (Kind::Date, Batch::Values(Values::Int(v))) => {
                    Stamp::Civil(v[i].ok_or_else(empty)? * 86_400_000_000)
                }
                _ => {
                    stamp_text = text(2, "timestamp")?;
                    Stamp::Text(&stamp_text)
                }
            };
            for k in kept_from..batches.len() {
                part.kept.add(k - kept_from, &text(k, "kept column")?, 1);
            }
            let error = |m: String| refuse(path, here(), m);
            let case = cases.get(&batches[0], i, || part.case(&text(0, "case")?).map_err(error))?;
            let activity =
                activities.get(&batches[1], i, || part.activity(&text(1, "activity")?).map_err(error))?;
            let facility = match facility {
                Some(k) => facilities.get(&batches[k], i, || Ok(part.facility(&text(k, "facility")?)))?,
                None => NONE,
            };
            let key = |c: Option<usize>| c.map_or((0, 0), |k| batches[k].key(i));
            let role = match roles.get(&(key(role), key(resource))) {
                Some(&r) => r,
                None => {
                    let none = std::borrow::Cow::Borrowed("");
                    let role_text = match role {
                        Some(k) => text(k, "role")?,
                        None => none.clone(),
                    };
                    let resource_text = match resource {
                        Some(k) => text(k, "resource")?,
                        None => none,
                    };
                    let r = part.role(&role_text, &resource_text);
                    roles.insert((key(role), key(resource)), r);
                    r
                }
            };
            let time = part.time(stamp, facility).map_err(error)?;
            part.push(case, activity, time, role, facility);
        }
        done += n as u64;
    }
    Ok(())
}

/// The first `limit` rows of a Parquet log, every column as text, for the import dialog.
pub(super) fn preview(path: &Path, options: &LogOptions, limit: usize) -> Result<super::LogPreview> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| preview_checked(path, options, limit)))
        .unwrap_or_else(|_| Err(damaged(path)))
}

fn preview_checked(path: &Path, options: &LogOptions, limit: usize) -> Result<super::LogPreview> {
    let reader = open(path)?;
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();
    let headers: Vec<String> = (0..schema.num_columns()).map(|i| schema.column(i).path().string()).collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    if let Some(first) = meta.row_groups().first() {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
        check_group(path, &file, size, 0, first)?;
        let group = reader
            .get_row_group(0)
            .map_err(|e| refuse(path, "row group 1", format!("cannot be read: {e}")))?;
        let mut columns = Vec::with_capacity(headers.len());
        for i in 0..headers.len() {
            let c = schema.column(i);
            if c.max_rep_level() > 0 {
                columns.push(None);
                continue;
            }
            let mut reader = group
                .get_column_reader(i)
                .map_err(|e| refuse(path, "row group 1", format!("cannot be read: {e}")))?;
            columns.push(batch(&mut reader, c.max_def_level()).ok());
        }
        let n = columns.iter().flatten().map(Values::len).max().unwrap_or(0).min(limit);
        for r in 0..n {
            rows.push(
                columns
                    .iter()
                    .map(|c| match c {
                        Some(v) if r < v.len() => v.text(r).map(|t| t.into_owned()).unwrap_or_default(),
                        _ => String::new(),
                    })
                    .collect(),
            );
        }
    }
    let columns = options.columns.guess(&headers);
    Ok(super::LogPreview { format: super::LogFormat::Parquet, headers, rows, columns })
}
