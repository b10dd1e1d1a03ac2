//! Reading task telemetry: CSV (columns mapped or guessed), JSON lines (keys mapped or guessed),
//! one event per row, or FHIR Task histories (`super::fhir`), into task groups. Task ids and actors are only used to group and count;
//! neither is kept.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{EVENTS, TaskGroup};
use crate::error::{Error, Result};
use crate::mining::Interner;
use crate::mining::TimeReader;
use crate::mining::normalize_header;
use crate::progress::Progress;
use crate::sources::csvfile::{CsvDialect, csv_error, line_of};

/// Which column (or JSON key) holds each part of an event; unset parts are guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetryColumns {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

const PARTS: [(&str, &[&str]); 9] = [
    ("task", &["task", "task id", "taskid", "task key"]),
    ("workflow", &["workflow", "workflow id", "process"]),
    ("version", &["version", "workflow version"]),
    ("step", &["step", "transition", "state", "activity", "task name"]),
    ("event", &["event", "event type", "action", "type"]),
    ("role", &["role", "org:role", "group"]),
    ("facility", &["facility", "site", "hospital", "location"]),
    ("timestamp", &["timestamp", "time", "ts", "occurred at", "time:timestamp", "lastmodified"]),
    ("actor", &["actor", "user", "resource", "org:resource"]),
];

impl TelemetryColumns {
    fn get(&self, part: &str) -> Option<&String> {
        match part {
            "task" => self.task.as_ref(),
            "workflow" => self.workflow.as_ref(),
            "version" => self.version.as_ref(),
            "step" => self.step.as_ref(),
            "event" => self.event.as_ref(),
            "role" => self.role.as_ref(),
            "facility" => self.facility.as_ref(),
            "timestamp" => self.timestamp.as_ref(),
            _ => self.actor.as_ref(),
        }
    }

    /// The column of each part: the one named, else the first header with a usual name.
    pub fn resolve(&self, headers: &[String]) -> BTreeMap<&'static str, String> {
        let mut out = BTreeMap::new();
        for (part, usual) in PARTS {
            let found = match self.get(part) {
                Some(name) => Some(name.clone()),
                None => usual
                    .iter()
                    .find_map(|u| {
                        headers
                            .iter()
                            .find(|h| normalize_header(h) == *u && !out.values().any(|v: &String| v == *h))
                    })
                    .cloned(),
            };
            if let Some(f) = found {
                out.insert(part, f);
            }
        }
        out
    }
}

/// How to read a telemetry file.
#[derive(Debug, Clone, Default)]
pub struct TelemetryOptions {
    pub columns: TelemetryColumns,
    /// `strftime` format of the timestamps; ISO 8601 without it.
    pub timestamp_format: Option<String>,
    /// Zone of times without one; UTC without it.
    pub tz: Option<String>,
}

/// What a telemetry file held.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TelemetryRead {
    /// `csv`, `jsonl` or `fhir` (Task histories).
    pub format: String,
    pub events: u64,
    pub groups: Vec<TaskGroup>,
    /// Part → column used.
    pub columns: BTreeMap<String, String>,
    pub dropped: Vec<String>,
    /// (workflow, version) → the steps seen there, for checking against the telemetry spec.
    pub steps_seen: BTreeMap<(String, i64), Vec<String>>,
}

#[derive(Clone, Copy)]
struct Raw {
    task: u32,
    time: i64,
    seq: u32,
    kind: u8,
    version: i64,
    workflow: u32,
    step: u32,
    role: u32,
    facility: u32,
}

/// The parts of one event as text, in `PARTS` order.
type Values<'a> = [std::borrow::Cow<'a, str>; 9];

/// Collects events, interning every name so that each event is a small fixed record.
struct Collector {
    file: String,
    times: TimeReader,
    tasks: Interner,
    names: Interner,
    events: Vec<Raw>,
    last_time: i64,
}

impl Collector {
    fn add(&mut self, at: &str, v: &Values<'_>) -> Result<()> {
        let get = |i: usize| v[i].trim();
        let kind_text = get(4).to_lowercase();
        let Some(kind) = EVENTS.iter().position(|e| *e == kind_text) else {
            return Err(Error::input(
                self.file.clone(),
                at,
                format!("{:?} is not a task event; use one of {}", get(4), EVENTS.join(", ")),
            ));
        };
        let Some(time) = self.times.parse(get(7), None) else {
            return Err(Error::input(
                self.file.clone(),
                at,
                format!("cannot read the timestamp {:?}: expected {}", get(7), self.times.expected()),
            ));
        };
        if get(0).is_empty() {
            return Err(Error::input(self.file.clone(), at, "the task id is empty: every event needs one"));
        }
        let version = match get(2).trim_start_matches(['v', 'V']) {
            "" => 0,
            x => x.parse::<i64>().map_err(|_| {
                Error::input(self.file.clone(), at, format!("the version {:?} is not a number", get(2)))
            })?,
        };
        self.last_time = self.last_time.max(time);
        let raw = Raw {
            task: self.tasks.intern(get(0)),
            time,
            seq: self.events.len() as u32,
            kind: kind as u8,
            version,
            workflow: self.names.intern(get(1)),
            step: self.names.intern(get(3)),
            role: self.names.intern(get(5)),
            facility: self.names.intern(get(6)),
        };
        self.events.push(raw);
        Ok(())
    }
}

fn missing_required(
    file: &str,
    at: &str,
    resolved: &BTreeMap<&'static str, String>,
    keys: &[String],
) -> Result<()> {
    for part in ["task", "event", "timestamp", "step"] {
        if !resolved.contains_key(part) {
            return Err(Error::input(
                file,
                at,
                format!(
                    "no {part} column found; name it with --{part} (the columns are: {})",
                    keys.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Reads `path` (CSV, or JSON lines when it ends in `.jsonl`/`.ndjson` or starts with `{`).
pub fn read_telemetry(path: &Path, options: &TelemetryOptions, progress: &Progress) -> Result<TelemetryRead> {
    let file = path.display().to_string();
    let (json, fhir) = {
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        let mut head = [0u8; 512];
        let n = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .map_err(|e| Error::io(path, e))?;
        let json = ext == "jsonl"
            || ext == "ndjson"
            || ext == "json"
            || head[..n].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        (json, json && super::fhir::is_fhir(&head[..n]))
    };
    let mut c = Collector {
        file: file.clone(),
        times: TimeReader::new(options.timestamp_format.as_deref(), options.tz.as_deref())?,
        tasks: Interner::default(),
        names: Interner::default(),
        events: Vec::new(),
        last_time: i64::MIN,
    };
    let empty = std::borrow::Cow::Borrowed("");
    let mut fhir_dropped = None;
    let (resolved, mut keys) = if fhir {
        fhir_dropped = Some(super::fhir::read_events(path, progress, |at, values| c.add(at, values))?);
        let resolved: BTreeMap<&'static str, String> =
            super::fhir::ELEMENTS.iter().map(|(part, element)| (*part, element.to_string())).collect();
        (resolved, Vec::new())
    } else if json {
        let reader = std::io::BufReader::new(std::fs::File::open(path).map_err(|e| Error::io(path, e))?);
        let mut resolved: Option<BTreeMap<&'static str, String>> = None;
        let mut keys: Vec<String> = Vec::new();
        for (i, line) in reader.lines().enumerate() {
            let at = format!("line {}", i + 1);
            let line =
                line.map_err(|e| Error::input(file.clone(), at.clone(), format!("cannot read: {e}")))?;
            if line.trim().is_empty() {
                continue;
            }
            let o: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&line)
                .map_err(|e| Error::input(file.clone(), at.clone(), format!("not a JSON object: {e}")))?;
            for k in o.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
            if resolved.is_none() {
                let mut sorted = keys.clone();
                sorted.sort();
                let r = options.columns.resolve(&sorted);
                missing_required(&file, &at, &r, &sorted)?;
                resolved = Some(r);
            }
            let cols = resolved.as_ref().map_or_else(BTreeMap::new, Clone::clone);
            let values: Values<'_> = std::array::from_fn(|i| {
                cols.get(PARTS[i].0).and_then(|k| o.get(k)).map_or(empty.clone(), |v| {
                    v.as_str().map_or_else(|| v.to_string().into(), |s| s.to_string().into())
                })
            });
            c.add(&at, &values)?;
            if c.events.len().is_multiple_of(65_536) {
                progress.check("reading telemetry")?;
            }
        }
        (resolved.unwrap_or_default(), keys)
    } else {
        let dialect = CsvDialect::of(path, None, None)?;
        let mut reader = dialect.open(path)?;
        let mut record = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut record).map_err(|e| csv_error(path, e))? {
            return Err(Error::input(file, "line 1", "the file is empty: a header line is needed"));
        }
        let headers: Vec<String> = (0..record.len())
            .map(|i| dialect.field(path, &record, i, "header").map(|h| h.trim().to_string()))
            .collect::<Result<_>>()?;
        let resolved = options.columns.resolve(&headers);
        missing_required(&file, "line 1", &resolved, &headers)?;
        let index: Vec<Option<usize>> = PARTS
            .iter()
            .map(|(part, _)| resolved.get(part).and_then(|c| headers.iter().position(|h| h == c)))
            .collect();
        for (part, column) in &resolved {
            if !headers.contains(column) {
                return Err(Error::input(
                    file.clone(),
                    "line 1",
                    format!("no column {column:?} for the {part} (the columns are: {})", headers.join(", ")),
                ));
            }
        }
        while reader.read_byte_record(&mut record).map_err(|e| csv_error(path, e))? {
            if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
                continue;
            }
            let mut values: Values<'_> = std::array::from_fn(|_| empty.clone());
            for (k, i) in index.iter().enumerate() {
                if let Some(i) = i {
                    values[k] = dialect.field(path, &record, *i, PARTS[k].0)?;
                }
            }
            let at = line_of(&record);
            c.add(&at, &values)?;
            if c.events.len().is_multiple_of(65_536) {
                progress.check("reading telemetry")?;
            }
        }
        (resolved, headers)
    };
    let events = c.events.len() as u64;
    if events == 0 {
        return Err(Error::input(file, "content", "the telemetry has no events"));
    }
    keys.sort();
    let cols = resolved;
    let used: Vec<&String> = cols.values().collect();
    let mut dropped: Vec<String> = keys.iter().filter(|k| !used.contains(k)).cloned().collect();
    dropped.sort();
    if let Some(d) = fhir_dropped {
        dropped = d;
    }
    let Collector { names, events: mut all, last_time, .. } = c;
    all.sort_unstable_by_key(|e| (e.task, e.time, e.seq));
    let name = |i: u32| names.name(i).to_string();
    let mut groups: BTreeMap<(String, i64, String, String, String), TaskGroup> = BTreeMap::new();
    let mut steps_seen: BTreeMap<(String, i64), Vec<String>> = BTreeMap::new();
    let empty_name = |i: u32| names.name(i).is_empty();
    for evs in all.chunk_by(|a, b| a.task == b.task) {
        let first = |k: u8| evs.iter().find(|e| e.kind == k);
        let created = first(0).unwrap_or(&evs[0]);
        let assigned = evs.iter().find(|e| e.kind == 1 || e.kind == 2);
        let completed = first(6);
        let cancelled = completed.is_none() && first(7).is_some();
        let last_with = |pick: fn(&Raw) -> u32| {
            evs.iter().rev().map(pick).find(|v| !empty_name(*v)).map_or_else(String::new, name)
        };
        let role =
            completed.map(|c| c.role).filter(|r| !empty_name(*r)).map_or_else(|| last_with(|e| e.role), name);
        let facility = last_with(|e| e.facility);
        let workflow = last_with(|e| e.workflow);
        let version = evs.iter().rev().map(|e| e.version).find(|v| *v != 0).unwrap_or(0);
        let step = if empty_name(created.step) { last_with(|e| e.step) } else { name(created.step) };
        let seen = steps_seen.entry((workflow.clone(), version)).or_default();
        for e in evs.iter().filter(|e| !empty_name(e.step)) {
            let s = names.name(e.step);
            if !seen.iter().any(|x| x == s) {
                seen.push(s.to_string());
            }
        }
        let g = groups
            .entry((workflow.clone(), version, step.clone(), facility.clone(), role.clone()))
            .or_insert_with(|| TaskGroup { workflow, version, step, facility, role, ..TaskGroup::default() });
        let count = |k: u8| evs.iter().filter(|e| e.kind == k).count() as u64;
        let secs = |from: i64, to: i64| ((to - from).max(0) / 1_000_000) as u64;
        g.tasks += 1;
        g.reassignments += count(3);
        g.reassigned_tasks += u64::from(count(3) > 0);
        g.overridden_tasks += u64::from(count(4) > 0);
        g.escalated_tasks += u64::from(count(5) > 0);
        if let Some(a) = assigned {
            g.assign_secs.push(secs(created.time, a.time));
        }
        match completed {
            Some(done) => {
                g.completed += 1;
                g.complete_secs.push(secs(created.time, done.time));
            }
            None if cancelled => g.cancelled += 1,
            None => {
                g.open += 1;
                g.open_ages.push(secs(created.time, last_time));
            }
        }
    }
    let mut groups: Vec<TaskGroup> = groups.into_values().collect();
    for g in &mut groups {
        g.complete_secs.sort_unstable();
        g.assign_secs.sort_unstable();
        g.open_ages.sort_unstable();
    }
    for steps in steps_seen.values_mut() {
        steps.sort();
    }
    Ok(TelemetryRead {
        format: if fhir {
            "fhir"
        } else if json {
            "jsonl"
        } else {
            "csv"
        }
        .into(),
        events,
        groups,
        columns: cols.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        dropped,
        steps_seen,
    })
}
