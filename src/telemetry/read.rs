//! Reading task telemetry: CSV (columns mapped or guessed) or JSON lines (keys mapped or guessed),
//! one event per row, into task groups. Task ids and actors are only used to group and count;
//! neither is kept.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{EVENTS, TaskGroup};
use crate::error::{Error, Result};
use crate::mining::TimeReader;
use crate::mining::normalize_header;
use crate::progress::Progress;
use crate::sources::csvfile::rows;

/// Which column (or JSON key) holds each part of an event; unset parts are guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
    pub events: u64,
    pub groups: Vec<TaskGroup>,
    /// Part → column used.
    pub columns: BTreeMap<String, String>,
    pub dropped: Vec<String>,
    /// (workflow, version) → the steps seen there, for checking against the telemetry spec.
    pub steps_seen: BTreeMap<(String, i64), Vec<String>>,
}

struct Raw {
    time: i64,
    seq: u64,
    kind: usize,
    workflow: String,
    version: i64,
    step: String,
    role: String,
    facility: String,
}

/// Each record as (where it is, field → value).
type Records = Box<dyn Iterator<Item = Result<(String, HashMap<String, String>)>>>;

/// Reads `path` (CSV, or JSON lines when it ends in `.jsonl`/`.ndjson` or starts with `{`).
pub fn read_telemetry(path: &Path, options: &TelemetryOptions, progress: &Progress) -> Result<TelemetryRead> {
    let file = path.display().to_string();
    let times = TimeReader::new(options.timestamp_format.as_deref(), options.tz.as_deref())?;
    let json = {
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        let mut head = [0u8; 512];
        let n = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .map_err(|e| Error::io(path, e))?;
        ext == "jsonl"
            || ext == "ndjson"
            || head[..n].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
    };
    // Each record as (line, field → value).
    let records: Records = if json {
        let reader = std::io::BufReader::new(std::fs::File::open(path).map_err(|e| Error::io(path, e))?);
        let file = file.clone();
        Box::new(reader.lines().enumerate().filter_map(move |(i, line)| {
            let line_no = format!("line {}", i + 1);
            match line {
                Err(e) => Some(Err(Error::input(file.clone(), line_no, format!("cannot read: {e}")))),
                Ok(l) if l.trim().is_empty() => None,
                Ok(l) => Some(
                    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&l)
                        .map_err(|e| {
                            Error::input(file.clone(), line_no.clone(), format!("not a JSON object: {e}"))
                        })
                        .map(|o| {
                            let map = o
                                .into_iter()
                                .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                                .collect();
                            (line_no, map)
                        }),
                ),
            }
        }))
    } else {
        let mut it = rows(path, None, None)?;
        let Some(header) = it.next() else {
            return Err(Error::input(file, "line 1", "the file is empty: a header line is needed"));
        };
        let headers = header?.1;
        Box::new(it.map(move |r| r.map(|(at, cells)| (at, headers.iter().cloned().zip(cells).collect()))))
    };
    let mut resolved: Option<BTreeMap<&'static str, String>> = None;
    let mut seen_keys: Vec<String> = Vec::new();
    let mut tasks: HashMap<String, Vec<Raw>> = HashMap::new();
    let mut events = 0u64;
    let mut last_time = i64::MIN;
    for record in records {
        let (at, fields) = record?;
        for k in fields.keys() {
            if !seen_keys.contains(k) {
                seen_keys.push(k.clone());
            }
        }
        if resolved.is_none() {
            let mut keys = seen_keys.clone();
            keys.sort();
            let r = options.columns.resolve(&keys);
            for part in ["task", "event", "timestamp", "step"] {
                if !r.contains_key(part) {
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
            resolved = Some(r);
        }
        let Some(cols) = &resolved else { continue };
        let get = |part: &str| cols.get(part).and_then(|c| fields.get(c)).map_or("", |v| v.trim());
        let kind_text = get("event").to_lowercase();
        let Some(kind) = EVENTS.iter().position(|e| *e == kind_text) else {
            return Err(Error::input(
                file,
                at,
                format!("{:?} is not a task event; use one of {}", get("event"), EVENTS.join(", ")),
            ));
        };
        let Some(time) = times.parse(get("timestamp"), None) else {
            return Err(Error::input(
                file,
                at,
                format!("cannot read the timestamp {:?}: expected {}", get("timestamp"), times.expected()),
            ));
        };
        let task = get("task");
        if task.is_empty() {
            return Err(Error::input(file, at, "the task id is empty: every event needs one"));
        }
        let version = match get("version").trim_start_matches(['v', 'V']) {
            "" => 0,
            v => v.parse::<i64>().map_err(|_| {
                Error::input(
                    file.clone(),
                    at.clone(),
                    format!("the version {:?} is not a number", get("version")),
                )
            })?,
        };
        last_time = last_time.max(time);
        tasks.entry(task.to_string()).or_default().push(Raw {
            time,
            seq: events,
            kind,
            workflow: get("workflow").to_string(),
            version,
            step: get("step").to_string(),
            role: get("role").to_string(),
            facility: get("facility").to_string(),
        });
        events += 1;
        if events.is_multiple_of(65_536) {
            progress.check("reading telemetry")?;
        }
    }
    if events == 0 {
        return Err(Error::input(file, "content", "the telemetry has no events"));
    }
    let cols = resolved.unwrap_or_default();
    let used: Vec<&String> = cols.values().collect();
    let mut dropped: Vec<String> = seen_keys.iter().filter(|k| !used.contains(k)).cloned().collect();
    dropped.sort();
    let mut groups: BTreeMap<(String, i64, String, String, String), TaskGroup> = BTreeMap::new();
    let mut steps_seen: BTreeMap<(String, i64), Vec<String>> = BTreeMap::new();
    for (_, mut evs) in tasks {
        evs.sort_by_key(|e| (e.time, e.seq));
        let first = |k: usize| evs.iter().find(|e| e.kind == k);
        let created = first(0).unwrap_or(&evs[0]);
        let assigned = evs.iter().find(|e| e.kind == 1 || e.kind == 2);
        let completed = first(6);
        let cancelled = completed.is_none() && first(7).is_some();
        let last_with = |pick: fn(&Raw) -> &str| {
            evs.iter().rev().map(pick).find(|v| !v.is_empty()).unwrap_or("").to_string()
        };
        let role = completed
            .map(|c| c.role.clone())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| last_with(|e| &e.role));
        let facility = last_with(|e| &e.facility);
        let workflow = last_with(|e| &e.workflow);
        let version = evs.iter().rev().map(|e| e.version).find(|v| *v != 0).unwrap_or(0);
        let step = if created.step.is_empty() { last_with(|e| &e.step) } else { created.step.clone() };
        for e in &evs {
            if !e.step.is_empty() {
                let seen = steps_seen.entry((workflow.clone(), version)).or_default();
                if !seen.contains(&e.step) {
                    seen.push(e.step.clone());
                }
            }
        }
        let g = groups
            .entry((workflow.clone(), version, step.clone(), facility.clone(), role.clone()))
            .or_insert_with(|| TaskGroup { workflow, version, step, facility, role, ..TaskGroup::default() });
        let count = |k: usize| evs.iter().filter(|e| e.kind == k).count() as u64;
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
            Some(c) => {
                g.completed += 1;
                g.complete_secs.push(secs(created.time, c.time));
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
        events,
        groups,
        columns: cols.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        dropped,
        steps_seen,
    })
}
