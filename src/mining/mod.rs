//! Event logs: streamed reading of CSV and XES / XES.gz (IEEE 1849) logs into aggregates, and
//! discovery of the directly-follows graph with frequencies and times.
//!
//! A log is never kept: readers hand each case to `Aggregates`, which counts activities, roles,
//! directly-follows edges with the time between the events, and variants, per facility. Discovery
//! (`discover`) and the project's log import both read through here.

mod aggregate;
mod csvlog;
mod discovery;
mod intern;
mod parquetdict;
mod parquetlog;
mod partial;
mod rows;
mod sql;
mod thrift;
mod timestamp;
mod xes;

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::progress::Progress;

pub use aggregate::{ActivityCounts, Aggregates, EdgeTimes, Event, VariantCount, case_hash};
pub use discovery::{DiscoveredEdge, Discovery, NameCount, Variant, discover, mean_and_median, summarize};
pub use intern::{Interner, NONE};
pub use partial::{EdgeSummary, LogAggregate, VariantSummary, partial_quantiles, salt_fingerprint};
pub use sql::{Dialect, SqlSource, query as sql_query};
pub use timestamp::{TimeReader, time_zone};

/// The file formats of event logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormat {
    Csv,
    Xes,
    XesGz,
    Parquet,
}

impl LogFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Csv => "csv",
            LogFormat::Xes => "xes",
            LogFormat::XesGz => "xes-gz",
            LogFormat::Parquet => "parquet",
        }
    }

    /// The format named `name` (`csv`, `xes`, `xes-gz`), or from the file's extension and first
    /// bytes.
    pub fn detect(path: &Path, name: Option<&str>) -> Result<LogFormat> {
        if let Some(name) = name {
            return match name.to_ascii_lowercase().as_str() {
                "csv" => Ok(LogFormat::Csv),
                "xes" => Ok(LogFormat::Xes),
                "xes-gz" | "xes.gz" | "gz" => Ok(LogFormat::XesGz),
                "parquet" | "pq" => Ok(LogFormat::Parquet),
                _ => Err(Error::invalid(
                    "format",
                    format!("unknown log format {name:?}: use csv, xes, xes-gz or parquet"),
                )),
            };
        }
        let lower = path.to_string_lossy().to_ascii_lowercase();
        if lower.ends_with(".xes.gz") || lower.ends_with(".gz") {
            return Ok(LogFormat::XesGz);
        }
        if lower.ends_with(".xes") || lower.ends_with(".xml") {
            return Ok(LogFormat::Xes);
        }
        if lower.ends_with(".parquet") || lower.ends_with(".pq") {
            return Ok(LogFormat::Parquet);
        }
        let mut head = [0u8; 512];
        let n = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .map_err(|e| Error::io(path, e))?;
        let head = &head[..n];
        if head.starts_with(&[0x1f, 0x8b]) {
            Ok(LogFormat::XesGz)
        } else if parquetlog::is_parquet(head) {
            Ok(LogFormat::Parquet)
        } else if String::from_utf8_lossy(head).trim_start_matches('\u{feff}').trim_start().starts_with('<') {
            Ok(LogFormat::Xes)
        } else {
            Ok(LogFormat::Csv)
        }
    }
}

/// Which CSV column (by header) or XES attribute key holds each part of an event. Unset parts are
/// guessed from the headers or keys (`guess`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogColumns {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// A job role (RN, RT…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// A person or device; hashed, never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
}

/// The parts of an event, in the order of `LogColumns`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogPart {
    Case,
    Activity,
    Timestamp,
    Role,
    Resource,
    Facility,
}

impl LogPart {
    pub const ALL: [LogPart; 6] = [
        LogPart::Case,
        LogPart::Activity,
        LogPart::Timestamp,
        LogPart::Role,
        LogPart::Resource,
        LogPart::Facility,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LogPart::Case => "case",
            LogPart::Activity => "activity",
            LogPart::Timestamp => "timestamp",
            LogPart::Role => "role",
            LogPart::Resource => "resource",
            LogPart::Facility => "facility",
        }
    }

    /// Header names that usually hold this part, best first, compared after `normalize_header`.
    fn usual_names(self) -> &'static [&'static str] {
        match self {
            LogPart::Case => &[
                "case:concept:name",
                "case",
                "case id",
                "caseid",
                "case_id",
                "case number",
                "encounter",
                "encounter id",
                "order id",
                "order",
                "episode",
                "visit",
            ],
            LogPart::Activity => &[
                "concept:name",
                "activity",
                "activity name",
                "event",
                "event name",
                "status",
                "action",
                "task",
                "step",
            ],
            LogPart::Timestamp => &[
                "time:timestamp",
                "timestamp",
                "time",
                "event time",
                "datetime",
                "date time",
                "start timestamp",
                "date",
            ],
            LogPart::Role => &["org:role", "org:group", "role", "job role", "group", "department"],
            LogPart::Resource => {
                &["org:resource", "resource", "user", "user id", "actor", "performer", "staff"]
            }
            LogPart::Facility => &["facility", "org:facility", "site", "hospital", "location", "campus"],
        }
    }
}

impl LogColumns {
    pub fn get(&self, part: LogPart) -> Option<&str> {
        match part {
            LogPart::Case => self.case.as_deref(),
            LogPart::Activity => self.activity.as_deref(),
            LogPart::Timestamp => self.timestamp.as_deref(),
            LogPart::Role => self.role.as_deref(),
            LogPart::Resource => self.resource.as_deref(),
            LogPart::Facility => self.facility.as_deref(),
        }
    }

    fn slot(&mut self, part: LogPart) -> &mut Option<String> {
        match part {
            LogPart::Case => &mut self.case,
            LogPart::Activity => &mut self.activity,
            LogPart::Timestamp => &mut self.timestamp,
            LogPart::Role => &mut self.role,
            LogPart::Resource => &mut self.resource,
            LogPart::Facility => &mut self.facility,
        }
    }

    /// These columns, with every unset part guessed from `headers` (a header is used once).
    pub fn guess(&self, headers: &[String]) -> LogColumns {
        let mut out = self.clone();
        let mut taken: Vec<&str> = LogPart::ALL.iter().filter_map(|&p| self.get(p)).collect();
        for part in LogPart::ALL {
            if out.get(part).is_some() {
                continue;
            }
            let found = part.usual_names().iter().find_map(|usual| {
                headers.iter().find(|h| normalize_header(h) == *usual && !taken.contains(&h.as_str()))
            });
            if let Some(h) = found {
                taken.push(h);
                *out.slot(part) = Some(h.clone());
            }
        }
        out
    }
}

/// A header compared case-insensitively, with `_` and runs of spaces as one space.
pub fn normalize_header(h: &str) -> String {
    let lower = h.trim().trim_start_matches('\u{feff}').to_lowercase().replace('_', " ");
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How to read a log.
#[derive(Debug, Clone, Default)]
pub struct LogOptions {
    /// `None`: from the extension and content.
    pub format: Option<LogFormat>,
    pub columns: LogColumns,
    /// CSV field delimiter; `None`: sniffed from the header line.
    pub delimiter: Option<u8>,
    /// CSV text encoding (`utf-8`, `windows-1252`); `None`: UTF-8, with or without BOM.
    pub encoding: Option<String>,
    /// A `strftime`-style timestamp format; `None`: ISO 8601.
    pub timestamp_format: Option<String>,
    /// Zone for zone-less times of events whose facility has no zone of its own; `None`: UTC.
    pub time_zone: Option<String>,
    /// Time zone per facility (by the facility value as it appears in the log, compared
    /// case-insensitively).
    pub facility_zones: HashMap<String, String>,
    /// Person or device → role, for logs that name people but not roles.
    pub resource_roles: HashMap<String, String>,
    /// How many threads may read the file; 0: one per core.
    pub threads: usize,
    /// The salt that variants' example cases are hashed with (`case_hash`); `None`: the smallest
    /// case id is kept as it is (never stored).
    pub case_salt: Option<String>,
    /// Columns (XES: event attribute keys) whose values are counted and kept besides the mapped
    /// ones (`--keep-column`).
    pub keep: Vec<String>,
}

/// What a reader found besides the aggregates: the columns it used and what it left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    pub format: Option<LogFormat>,
    /// The columns or keys used, after guessing.
    pub columns: LogColumns,
    /// Columns or attribute keys that were not mapped and so were dropped, sorted.
    pub dropped: Vec<String>,
    /// Distinct resources (people, devices) seen; they are not stored.
    pub resources: u64,
    /// Resources with no role in the resource-to-role table, when one was given.
    pub resources_without_role: u64,
    /// The kept columns' values and counts.
    pub kept: Vec<crate::sources::KeptColumn>,
    /// How many parts the file was read in at once (1: on one thread). The result does not
    /// depend on it.
    pub parts: usize,
}

/// Reads the log at `path` into aggregates.
pub fn read_log(path: &Path, options: &LogOptions, progress: &Progress) -> Result<(Aggregates, ReadReport)> {
    let format = LogFormat::detect(path, options.format.map(LogFormat::as_str))?;
    let (aggregates, mut report) = match format {
        LogFormat::Csv => csvlog::read(path, options, progress)?,
        LogFormat::Xes | LogFormat::XesGz => xes::read(path, format, options, progress)?,
        LogFormat::Parquet => parquetlog::read(path, options, progress)?,
    };
    report.format = Some(format);
    if aggregates.events == 0 {
        return Err(Error::input(path.display().to_string(), "events", "the log has no events"));
    }
    Ok((aggregates, report))
}

/// The first rows of a log with the columns the reader would use, for the import dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPreview {
    pub format: LogFormat,
    pub headers: Vec<String>,
    /// Up to 20 events.
    pub rows: Vec<Vec<String>>,
    pub columns: LogColumns,
}

/// The first 20 events of the log at `path` and its guessed columns.
pub fn preview_log(path: &Path, options: &LogOptions) -> Result<LogPreview> {
    let format = LogFormat::detect(path, options.format.map(LogFormat::as_str))?;
    match format {
        LogFormat::Csv => {
            let mut rows =
                crate::sources::csvfile::rows(path, options.delimiter, options.encoding.as_deref())?
                    .take(21)
                    .map(|r| r.map(|r| r.1))
                    .collect::<Result<Vec<_>>>()?;
            if rows.is_empty() {
                return Err(Error::input(
                    path.display().to_string(),
                    "line 1",
                    "the file is empty: a header line is needed",
                ));
            }
            let headers = rows.remove(0);
            let columns = options.columns.guess(&headers);
            Ok(LogPreview { format, headers, rows, columns })
        }
        LogFormat::Xes | LogFormat::XesGz => xes::preview(path, format, options, 20),
        LogFormat::Parquet => parquetlog::preview(path, options, 20),
    }
}

/// Context shared by the readers for turning raw values into an event.
#[derive(Debug)]
struct EventBuilder {
    times: TimeReader,
    /// Facility value (lower case) → its zone.
    zones: HashMap<String, jiff::tz::TimeZone>,
    /// Facility index → zone, filled as facilities are met.
    zone_of: Vec<Option<jiff::tz::TimeZone>>,
    resource_roles: HashMap<String, String>,
    resources: rustc_hash::FxHashSet<u64>,
    resources_without_role: rustc_hash::FxHashSet<u64>,
}

impl EventBuilder {
    fn new(options: &LogOptions) -> Result<EventBuilder> {
        let mut zones = HashMap::new();
        for (facility, zone) in &options.facility_zones {
            zones.insert(facility.to_lowercase(), time_zone(zone)?);
        }
        Ok(EventBuilder {
            times: TimeReader::new(options.timestamp_format.as_deref(), options.time_zone.as_deref())?,
            zones,
            zone_of: Vec::new(),
            resource_roles: options.resource_roles.clone(),
            resources: Default::default(),
            resources_without_role: Default::default(),
        })
    }

    /// The time of an event at facility `facility` (an index into `facilities`): zone-less times
    /// are read in the facility's zone when it has one.
    fn time(&mut self, text: &str, facility: u32, facilities: &Interner) -> Option<i64> {
        let zone = zone_at(&mut self.zone_of, &self.zones, facility, facilities);
        self.times.parse(text, zone)
    }

    /// The instant of a wall-clock time (microseconds since 1970-01-01T00:00 on the clock) at
    /// facility `facility`: in its zone when it has one, else the reader's.
    fn civil(&mut self, micros: i64, facility: u32, facilities: &Interner) -> Option<i64> {
        let zone = zone_at(&mut self.zone_of, &self.zones, facility, facilities);
        self.times.civil(micros, zone)
    }

    fn role(&mut self, role: &str, resource: &str, roles: &mut Interner) -> u32 {
        if !resource.is_empty() {
            let h = fx_hash(resource);
            self.resources.insert(h);
            if role.is_empty() && !self.resource_roles.is_empty() {
                match self.resource_roles.get(resource) {
                    Some(r) => return roles.intern(r),
                    None => {
                        self.resources_without_role.insert(h);
                    }
                }
            }
        }
        roles.intern_optional(role)
    }

    fn merge(&mut self, other: EventBuilder) {
        self.resources.extend(other.resources);
        self.resources_without_role.extend(other.resources_without_role);
    }
}

/// The zone of facility `facility` (an index into `facilities`), looked up once per facility.
fn zone_at<'z>(
    zone_of: &'z mut Vec<Option<jiff::tz::TimeZone>>,
    zones: &HashMap<String, jiff::tz::TimeZone>,
    facility: u32,
    facilities: &Interner,
) -> Option<&'z jiff::tz::TimeZone> {
    if facility == NONE || zones.is_empty() {
        return None;
    }
    let i = facility as usize;
    while zone_of.len() <= i {
        let name = facilities.name(zone_of.len() as u32).to_lowercase();
        zone_of.push(zones.get(&name).cloned());
    }
    zone_of[i].as_ref()
}

fn fx_hash(s: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(s.as_bytes());
    h.finish()
}

/// Reads into `buf` until it is full or the input ends; how much it read.
fn read_full(input: &mut impl std::io::Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}
