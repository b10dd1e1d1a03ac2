//! The mergeable aggregate of a log: what `baton discover --partial` writes, what the query of
//! `baton sql` computes inside a warehouse, and what `baton import aggregate` merges into a
//! project as one log.
//!
//! Everything in it merges by addition (counts, sums of waits, sketch buckets), by minimum (the
//! first event, a variant's example case hash) or by maximum (the last event), so aggregates of
//! parts of a log split by whole cases merge into exactly the aggregate of the whole log. A case
//! split across two parts loses the edge between its halves and counts as two cases.
//!
//! The file is a table of rows, one kind of fact per row, with the columns of `COLUMNS`: as CSV
//! (a warehouse's export of the query's result), as a JSON array of row objects or one object per
//! line, or as the object `discover --partial` writes (`{"format": …, "rows": […]}`). Column
//! names are compared case-insensitively, since some warehouses upper-case them.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use super::aggregate::{ActivityCounts, Aggregates, case_hash};
use super::intern::NONE;
use crate::error::{Error, Result};
use crate::model::sketch::Sketch;

/// The version of the row format, in the `aggregate` row's `count`.
pub const FORMAT_VERSION: u64 = 1;

/// The name in the object form's `format` field.
pub const FORMAT_NAME: &str = "baton-log-aggregate";

/// The columns of a row, in order.
pub const COLUMNS: [&str; 9] =
    ["kind", "facility", "activity", "next_activity", "role", "bucket", "count", "total_us", "example"];

/// Joins a variant's activities in its `activity` column.
pub const VARIANT_SEPARATOR: char = '\u{1f}';

/// The largest aggregate file read: aggregates are small, whatever the size of the log.
pub const MAX_FILE_BYTES: u64 = 512 << 20;

/// The kinds of rows, with what each holds (for error messages and the README).
pub const KINDS: [(&str, &str); 10] = [
    ("aggregate", "the format version in count, and the salt's fingerprint in example"),
    ("first", "the earliest event, in microseconds since 1970 (UTC), in total_us"),
    ("last", "the latest event, likewise"),
    ("activity", "events of an activity at a facility, in count"),
    ("start", "cases that start with the activity"),
    ("end", "cases that end with it"),
    ("role", "events of the activity done by the role"),
    ("edge", "how often next_activity directly followed activity, and the sum of the waits in total_us"),
    ("wait", "waits of that edge in one sketch bucket (empty bucket: waits of 0 seconds)"),
    ("variant", "cases following the activities joined by U+001F, and the smallest example case hash"),
];

/// A directly-follows edge: how often, the sum of its waits, and their sketch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EdgeSummary {
    pub count: u64,
    pub total_micros: i128,
    pub sketch: Sketch,
}

impl EdgeSummary {
    /// Adds the waits of `other` (the same edge in other cases).
    pub fn add(&mut self, other: &EdgeSummary) {
        self.count += other.count;
        self.total_micros += other.total_micros;
        self.sketch.merge(&other.sketch);
    }
}

/// A variant's count and the smallest salted hash of its cases (`case_hash`; empty when unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VariantSummary {
    pub count: u64,
    pub example: String,
}

impl VariantSummary {
    /// Adds `other` (the same variant in other cases): counts add, the smaller example stays.
    pub fn add(&mut self, count: u64, example: &str) {
        self.count += count;
        if !example.is_empty() && (self.example.is_empty() || example < self.example.as_str()) {
            self.example = example.to_string();
        }
    }
}

/// The aggregate of a log, keyed by names (a facility or role of `""`: none given). Cases are
/// counted at their facility: the first facility their events name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogAggregate {
    /// The fingerprint of the salt example cases were hashed with (`salt_fingerprint`); `mixed`
    /// when merged from aggregates with different salts.
    pub salt: String,
    /// (facility, activity) → counts.
    pub activities: BTreeMap<(String, String), ActivityCounts>,
    /// (facility, activity, role) → events.
    pub roles: BTreeMap<(String, String, String), u64>,
    /// (facility, from, to) → edge.
    pub edges: BTreeMap<(String, String, String), EdgeSummary>,
    /// (facility, activities) → variant.
    pub variants: BTreeMap<(String, Vec<String>), VariantSummary>,
    /// Earliest and latest event (microseconds since 1970).
    pub span: Option<(i64, i64)>,
}

/// A fingerprint of a salt (16 hex digits), so that an aggregate says which salt its hashes used
/// without giving the salt away.
pub fn salt_fingerprint(salt: &str) -> String {
    case_hash(salt_fingerprint_prefix(), salt)
}

/// What the fingerprint hashes before the salt: SHA-256(prefix ‖ salt), so a query computes it.
pub fn salt_fingerprint_prefix() -> &'static str {
    "baton-salt-fingerprint:"
}

/// One row of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Row {
    pub kind: &'static str,
    pub facility: Option<String>,
    pub activity: Option<String>,
    pub next_activity: Option<String>,
    pub role: Option<String>,
    pub bucket: Option<i32>,
    pub count: Option<u64>,
    pub total_us: Option<i128>,
    pub example: Option<String>,
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

impl LogAggregate {
    /// The aggregate of a log read by Baton. Without a case salt, example cases are hashed
    /// without one.
    pub fn from_aggregates(agg: &Aggregates) -> LogAggregate {
        let name = |i: u32, names: &super::Interner| {
            if i == NONE { String::new() } else { names.name(i).to_string() }
        };
        let fac = |f: u32| name(f, &agg.facilities);
        let act = |a: u32| agg.activities.name(a).to_string();
        let mut out = LogAggregate {
            salt: salt_fingerprint(agg.case_salt.as_deref().unwrap_or("")),
            span: agg.span,
            ..LogAggregate::default()
        };
        for (&(f, a), c) in &agg.activity_counts {
            out.activities.entry((fac(f), act(a))).or_default().add(c);
        }
        for (&(f, a, r), &n) in &agg.role_counts {
            *out.roles.entry((fac(f), act(a), name(r, &agg.roles))).or_default() += n;
        }
        for (&(f, a, b), times) in &agg.edges {
            let edge = out.edges.entry((fac(f), act(a), act(b))).or_default();
            for &m in &times.micros {
                edge.count += 1;
                edge.total_micros += i128::from(m);
                edge.sketch.add(m as f64 / 1e6);
            }
        }
        for (key, v) in &agg.variants {
            let example = match agg.case_salt {
                Some(_) => v.example_case.clone(),
                None => case_hash("", &v.example_case),
            };
            let activities = key[1..].iter().map(|&a| act(a)).collect();
            out.variants.entry((fac(key[0]), activities)).or_default().add(v.count, &example);
        }
        out
    }

    pub fn events(&self) -> u64 {
        self.activities.values().map(|c| c.events).sum()
    }

    pub fn cases(&self) -> u64 {
        self.activities.values().map(|c| c.starts).sum()
    }

    /// Adds `other` (the aggregate of other cases of the same log).
    pub fn merge(&mut self, other: LogAggregate) {
        if self.salt.is_empty() {
            self.salt = other.salt;
        } else if self.salt != other.salt && !other.salt.is_empty() {
            self.salt = "mixed".into();
        }
        self.span = match (self.span, other.span) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (s, None) => s,
            (None, s) => s,
        };
        for (k, c) in other.activities {
            self.activities.entry(k).or_default().add(&c);
        }
        for (k, n) in other.roles {
            *self.roles.entry(k).or_default() += n;
        }
        for (k, e) in other.edges {
            self.edges.entry(k).or_default().add(&e);
        }
        for (k, v) in other.variants {
            self.variants.entry(k).or_default().add(v.count, &v.example);
        }
    }

    /// Renames activities, roles and facilities (each distinct name is passed once); names that
    /// become one are added together.
    pub fn rename(
        &mut self,
        mut activity: impl FnMut(&str) -> String,
        mut role: impl FnMut(&str) -> String,
        mut facility: impl FnMut(&str) -> String,
    ) {
        fn once(
            map: &mut BTreeMap<String, String>,
            f: &mut impl FnMut(&str) -> String,
            name: &str,
        ) -> String {
            if name.is_empty() {
                return String::new();
            }
            map.entry(name.to_string()).or_insert_with(|| f(name)).clone()
        }
        let (mut acts, mut roles, mut facs) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
        let old = std::mem::take(self);
        let mut out = LogAggregate { salt: old.salt, span: old.span, ..LogAggregate::default() };
        for ((f, a), c) in old.activities {
            let key = (once(&mut facs, &mut facility, &f), once(&mut acts, &mut activity, &a));
            out.activities.entry(key).or_default().add(&c);
        }
        for ((f, a, r), n) in old.roles {
            let key = (
                once(&mut facs, &mut facility, &f),
                once(&mut acts, &mut activity, &a),
                once(&mut roles, &mut role, &r),
            );
            *out.roles.entry(key).or_default() += n;
        }
        for ((f, a, b), e) in old.edges {
            let key = (
                once(&mut facs, &mut facility, &f),
                once(&mut acts, &mut activity, &a),
                once(&mut acts, &mut activity, &b),
            );
            out.edges.entry(key).or_default().add(&e);
        }
        for ((f, list), v) in old.variants {
            let list = list.iter().map(|a| once(&mut acts, &mut activity, a)).collect();
            out.variants
                .entry((once(&mut facs, &mut facility, &f), list))
                .or_default()
                .add(v.count, &v.example);
        }
        *self = out;
    }

    /// The rows of the file, in a fixed order.
    pub fn to_rows(&self) -> Vec<Row> {
        let mut rows = vec![Row {
            kind: "aggregate",
            count: Some(FORMAT_VERSION),
            example: some(&self.salt),
            ..Row::default()
        }];
        if let Some((first, last)) = self.span {
            rows.push(Row { kind: "first", total_us: Some(i128::from(first)), ..Row::default() });
            rows.push(Row { kind: "last", total_us: Some(i128::from(last)), ..Row::default() });
        }
        for (kind, pick) in [
            ("activity", (|c: &ActivityCounts| c.events) as fn(&ActivityCounts) -> u64),
            ("start", |c| c.starts),
            ("end", |c| c.ends),
        ] {
            for ((f, a), c) in &self.activities {
                if pick(c) > 0 {
                    rows.push(Row {
                        kind,
                        facility: some(f),
                        activity: some(a),
                        count: Some(pick(c)),
                        ..Row::default()
                    });
                }
            }
        }
        for ((f, a, r), n) in &self.roles {
            rows.push(Row {
                kind: "role",
                facility: some(f),
                activity: some(a),
                role: some(r),
                count: Some(*n),
                ..Row::default()
            });
        }
        for ((f, a, b), e) in &self.edges {
            rows.push(Row {
                kind: "edge",
                facility: some(f),
                activity: some(a),
                next_activity: some(b),
                count: Some(e.count),
                total_us: Some(e.total_micros),
                ..Row::default()
            });
        }
        for ((f, a, b), e) in &self.edges {
            let zeros = (e.sketch.zeros > 0).then_some((None, e.sketch.zeros));
            for (bucket, n) in zeros.into_iter().chain(e.sketch.buckets.iter().map(|(b, n)| (Some(*b), *n))) {
                rows.push(Row {
                    kind: "wait",
                    facility: some(f),
                    activity: some(a),
                    next_activity: some(b),
                    bucket,
                    count: Some(n),
                    ..Row::default()
                });
            }
        }
        let sep = VARIANT_SEPARATOR.to_string();
        for ((f, list), v) in &self.variants {
            rows.push(Row {
                kind: "variant",
                facility: some(f),
                activity: Some(list.join(&sep)),
                count: Some(v.count),
                example: some(&v.example),
                ..Row::default()
            });
        }
        rows
    }

    /// The object form, as `discover --partial` writes it.
    pub fn to_json(&self) -> Result<String> {
        #[derive(Serialize)]
        struct File<'a> {
            format: &'a str,
            version: u64,
            columns: [&'a str; 9],
            rows: Vec<Row>,
        }
        let file =
            File { format: FORMAT_NAME, version: FORMAT_VERSION, columns: COLUMNS, rows: self.to_rows() };
        let mut text =
            serde_json::to_string_pretty(&file).map_err(|e| Error::invalid("aggregate", e.to_string()))?;
        text.push('\n');
        Ok(text)
    }

    /// Reads an aggregate file (CSV, JSON rows, JSON lines or the object form); the error names
    /// the file, the line or row, and what is wrong.
    pub fn read(path: &Path) -> Result<LogAggregate> {
        let file_name = path.display().to_string();
        let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
        if size > MAX_FILE_BYTES {
            return Err(Error::input(
                file_name,
                "the file",
                format!(
                    "it is {} MB; an aggregate is at most {} MB (is it the log itself? Use `baton import log` for a log)",
                    size >> 20,
                    MAX_FILE_BYTES >> 20
                ),
            ));
        }
        let mut head = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(4096).read_to_end(&mut head))
            .map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8_lossy(&head);
        let first = text.trim_start_matches('\u{feff}').trim_start().chars().next();
        let mut builder = Builder::new(&file_name);
        if matches!(first, Some('{') | Some('[')) {
            let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            // A byte-order mark is skipped; serde_json does not read one.
            if head.starts_with(&[0xef, 0xbb, 0xbf]) {
                file.read_exact(&mut [0u8; 3]).map_err(|e| Error::io(path, e))?;
            }
            read_json(file, &mut builder)?;
        } else {
            read_csv(path, &mut builder)?;
        }
        builder.finish()
    }
}

/// A row as read: the cells by column, as text.
#[derive(Debug, Default)]
struct RawRow {
    cells: [Option<String>; 9],
}

fn column_index(name: &str) -> Option<usize> {
    let name = name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
    COLUMNS.iter().position(|c| *c == name)
}

fn read_csv(path: &Path, builder: &mut Builder) -> Result<()> {
    let mut rows = crate::sources::csvfile::rows(path, None, None)?;
    let header = match rows.next() {
        Some(r) => r?.1,
        None => return Err(Error::input(builder.file.clone(), "line 1", "the file is empty")),
    };
    let map: Vec<Option<usize>> = header.iter().map(|h| column_index(h)).collect();
    if !map.contains(&Some(0)) {
        return Err(Error::input(
            builder.file.clone(),
            "line 1",
            format!(
                "the header has no column \"kind\": this is not a Baton log aggregate (columns {}; the header read was {:?})",
                COLUMNS.join(", "),
                header.join(",")
            ),
        ));
    }
    for row in rows {
        let (line, cells) = row?;
        let mut raw = RawRow::default();
        for (i, cell) in cells.into_iter().enumerate() {
            if let Some(Some(c)) = map.get(i)
                && !cell.is_empty()
            {
                raw.cells[*c] = Some(cell);
            }
        }
        builder.row(&format!("line {line}"), raw)?;
    }
    Ok(())
}

/// Reads JSON rows as they stream by, one row in memory at a time, whatever the file's size: a
/// list of rows, the object form (`{"rows": [...]}`, its other fields skipped), or one row object
/// per line.
fn read_json(reader: impl Read, builder: &mut Builder) -> Result<()> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let mut sink = RowSink { builder, rows: 0, failed: None };
    loop {
        let outcome = TopLevel(&mut sink).deserialize(&mut de);
        if let Some(e) = sink.failed.take() {
            return Err(e);
        }
        outcome.map_err(|e| {
            Error::input(
                sink.builder.file.clone(),
                format!("row {}", sink.rows + 1),
                format!(
                    "not a JSON aggregate ({e}): expected a list of rows, an object with \"rows\", or one row object per line"
                ),
            )
        })?;
        if de.end().is_ok() {
            return Ok(());
        }
    }
}

/// Where streamed rows go; an error of a row (not of the JSON) is kept here to be returned as it is.
struct RowSink<'b> {
    builder: &'b mut Builder,
    rows: u64,
    failed: Option<Error>,
}

impl RowSink<'_> {
    fn row<E: serde::de::Error>(
        &mut self,
        object: serde_json::Map<String, serde_json::Value>,
    ) -> std::result::Result<(), E> {
        self.rows += 1;
        let place = format!("row {}", self.rows);
        let mut raw = RawRow::default();
        for (key, v) in object {
            let Some(c) = column_index(&key) else { continue };
            raw.cells[c] = match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) if s.is_empty() => None,
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Number(n) => Some(n.to_string()),
                other => {
                    let kind = match other {
                        serde_json::Value::Bool(_) => "true or false",
                        serde_json::Value::Array(_) => "a list",
                        _ => "an object",
                    };
                    return self.fail(Error::input(
                        self.builder.file.clone(),
                        place,
                        format!("{key:?} is {kind}, not text or a number"),
                    ));
                }
            };
        }
        match self.builder.row(&place, raw) {
            Ok(()) => Ok(()),
            Err(e) => self.fail(e),
        }
    }

    fn fail<E: serde::de::Error>(&mut self, e: Error) -> std::result::Result<(), E> {
        self.failed = Some(e);
        Err(E::custom("a row was refused"))
    }
}

/// One top-level JSON value: a list of rows, the object form, or one row.
struct TopLevel<'s, 'b>(&'s mut RowSink<'b>);

impl<'de> serde::de::DeserializeSeed<'de> for TopLevel<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for TopLevel<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of rows, an object with \"rows\", or a row object")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        Rows(self.0).visit_seq(seq)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        // The object form holds "rows"; any other object is a row itself (JSON lines).
        let mut row = serde_json::Map::new();
        let mut had_rows = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "rows" {
                had_rows = true;
                map.next_value_seed(Rows(&mut *self.0))?;
            } else if had_rows || key == "format" || key == "version" || key == "columns" {
                map.next_value::<serde::de::IgnoredAny>()?;
            } else {
                row.insert(key, map.next_value()?);
            }
        }
        if had_rows { Ok(()) } else { self.0.row(row) }
    }
}

/// A list of rows, each handed to the sink as it is read.
struct Rows<'s, 'b>(&'s mut RowSink<'b>);

impl<'de> serde::de::DeserializeSeed<'de> for Rows<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Rows<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("\"rows\" as a list of row objects")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(value) = seq.next_element::<serde_json::Value>()? {
            let serde_json::Value::Object(object) = value else {
                self.0.rows += 1;
                let place = format!("row {}", self.0.rows);
                let file = self.0.builder.file.clone();
                self.0.fail::<A::Error>(Error::input(file, place, "a row must be a JSON object"))?;
                continue;
            };
            self.0.row(object)?;
        }
        Ok(())
    }
}

/// Collects rows into an aggregate, checking each.
struct Builder {
    file: String,
    agg: LogAggregate,
    versions: usize,
    salts: Vec<String>,
    rows: u64,
}

impl Builder {
    fn new(file: &str) -> Builder {
        Builder {
            file: file.to_string(),
            agg: LogAggregate::default(),
            versions: 0,
            salts: Vec::new(),
            rows: 0,
        }
    }

    fn err(&self, place: &str, message: impl Into<String>) -> Error {
        Error::input(self.file.clone(), place, message.into())
    }

    fn row(&mut self, place: &str, mut raw: RawRow) -> Result<()> {
        self.rows += 1;
        let mut take = |i: usize| raw.cells[i].take();
        let kind = take(0).unwrap_or_default().to_ascii_lowercase();
        let (facility, activity, next, role) = (take(1), take(2), take(3), take(4));
        let (bucket, count, total, example) = (take(5), take(6), take(7), take(8));
        let at = Place { file: &self.file, place, kind: &kind };
        let fac = facility.unwrap_or_default();
        match kind.as_str() {
            "aggregate" => {
                let version = at.count(count.clone())?;
                if version != FORMAT_VERSION {
                    return Err(at.err(
                        format!(
                            "this aggregate is of format version {version}; this Baton reads version {FORMAT_VERSION}: run the query of this Baton's `baton sql` again"
                        ),
                    ));
                }
                self.versions += 1;
                let salt = example.unwrap_or_default().trim().to_ascii_lowercase();
                let salt = if salt.len() >= 16 && salt.bytes().all(|b| b.is_ascii_hexdigit()) {
                    salt[..16].to_string()
                } else {
                    salt
                };
                if !self.salts.contains(&salt) {
                    self.salts.push(salt);
                }
            }
            "first" | "last" => {
                let v = at.need(total, "total_us")?;
                let micros = whole(&v)
                    .and_then(|n| i64::try_from(n).ok())
                    .filter(|m| jiff::Timestamp::from_microsecond(*m).is_ok())
                    .ok_or_else(|| {
                        at.err(format!("total_us {v:?} is not a time in microseconds since 1970"))
                    })?;
                let (a, b) = self.agg.span.unwrap_or((micros, micros));
                self.agg.span = Some(if kind == "first" { (a.min(micros), b) } else { (a, b.max(micros)) });
            }
            "activity" | "start" | "end" => {
                let a = at.need(activity, "activity")?;
                let n = at.count(count.clone())?;
                let c = self.agg.activities.entry((fac, a)).or_default();
                let slot = match kind.as_str() {
                    "activity" => &mut c.events,
                    "start" => &mut c.starts,
                    _ => &mut c.ends,
                };
                *slot = slot.checked_add(n).ok_or_else(|| at.err("the counts overflow"))?;
            }
            "role" => {
                let a = at.need(activity, "activity")?;
                let n = at.count(count.clone())?;
                let slot = self.agg.roles.entry((fac, a, role.unwrap_or_default())).or_default();
                *slot = slot.checked_add(n).ok_or_else(|| at.err("the counts overflow"))?;
            }
            "edge" => {
                let (a, b) = (at.need(activity, "activity")?, at.need(next, "next_activity")?);
                let n = at.count(count.clone())?;
                let t = at.need(total, "total_us")?;
                let t = whole(&t)
                    .filter(|t| *t >= 0)
                    .ok_or_else(|| at.err(format!("total_us {t:?} is not a whole number of microseconds")))?;
                let e = self.agg.edges.entry((fac, a, b)).or_default();
                e.count = e.count.checked_add(n).ok_or_else(|| at.err("the counts overflow"))?;
                e.total_micros = e.total_micros.checked_add(t).ok_or_else(|| at.err("the sums overflow"))?;
            }
            "wait" => {
                let (a, b) = (at.need(activity, "activity")?, at.need(next, "next_activity")?);
                let n = at.count(count.clone())?;
                let bucket = match bucket {
                    None => None,
                    Some(v) => Some(
                        whole(&v)
                            .and_then(|b| i32::try_from(b).ok())
                            .filter(|b| (-4000..=4000).contains(b))
                            .ok_or_else(|| {
                                at.err(format!(
                                    "bucket {v:?} is not a sketch bucket (a whole number from -4000 to 4000)"
                                ))
                            })?,
                    ),
                };
                let s = &mut self.agg.edges.entry((fac, a, b)).or_default().sketch;
                let slot = match bucket {
                    None => &mut s.zeros,
                    Some(b) => s.buckets.entry(b).or_default(),
                };
                *slot = slot.checked_add(n).ok_or_else(|| at.err("the counts overflow"))?;
            }
            "variant" => {
                let list = at.need(activity, "activity")?;
                let n = at.count(count.clone())?;
                let list: Vec<String> = list.split(VARIANT_SEPARATOR).map(|a| a.trim().to_string()).collect();
                if list.iter().any(String::is_empty) {
                    return Err(
                        at.err("the variant names an empty activity (activities are joined by U+001F)")
                    );
                }
                let example = match example {
                    None => String::new(),
                    Some(h) => {
                        let h = h.trim().to_ascii_lowercase();
                        if h.len() < 16 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                            return Err(at.err(format!(
                                "example {h:?} is not a case hash (16 to 64 hex digits of SHA-256)"
                            )));
                        }
                        h[..16].to_string()
                    }
                };
                let v = self.agg.variants.entry((fac, list)).or_default();
                v.count.checked_add(n).ok_or_else(|| at.err("the counts overflow"))?;
                v.add(n, &example);
            }
            "" => return Err(at.err("the row has no kind")),
            other => {
                let kinds: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
                return Err(at.err(format!("unknown kind {other:?}: the kinds are {}", kinds.join(", "))));
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<LogAggregate> {
        if self.versions == 0 {
            return Err(self.err(
                "the file",
                format!(
                    "no row of kind \"aggregate\" ({} rows read): this is not a Baton log aggregate; make one with `baton discover --partial` or the query of `baton sql`",
                    self.rows
                ),
            ));
        }
        self.agg.salt = if self.salts.len() == 1 { self.salts.remove(0) } else { "mixed".into() };
        let agg = &self.agg;
        for ((f, a, b), e) in &agg.edges {
            if e.sketch.count() != e.count {
                return Err(self.err(
                    "the file",
                    format!(
                        "edge {a:?} → {b:?}{}: {} waits in its \"wait\" rows but a count of {} in its \"edge\" row; the file was cut short or edited",
                        at_facility(f),
                        e.sketch.count(),
                        e.count
                    ),
                ));
            }
        }
        let (starts, ends) =
            agg.activities.values().fold((0u64, 0u64), |(s, e), c| (s + c.starts, e + c.ends));
        let variants: u64 = agg.variants.values().map(|v| v.count).sum();
        if starts != ends || starts != variants {
            return Err(self.err(
                "the file",
                format!(
                    "the cases do not add up: {starts} start, {ends} end and {variants} follow a variant; the file was cut short or edited"
                ),
            ));
        }
        if agg.events() == 0 {
            return Err(self.err("the file", "the aggregate has no events"));
        }
        Ok(self.agg)
    }
}

/// Where a row is, for its errors.
struct Place<'a> {
    file: &'a str,
    place: &'a str,
    kind: &'a str,
}

impl Place<'_> {
    fn err(&self, message: impl Into<String>) -> Error {
        Error::input(self.file.to_string(), self.place.to_string(), message.into())
    }

    fn need(&self, v: Option<String>, column: &str) -> Result<String> {
        v.ok_or_else(|| self.err(format!("a {:?} row needs a value in {column:?}", self.kind)))
    }

    fn count(&self, v: Option<String>) -> Result<u64> {
        let v = self.need(v, "count")?;
        whole(&v)
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| self.err(format!("count {v:?} is not a whole number of 0 or more")))
    }
}

fn at_facility(facility: &str) -> String {
    if facility.is_empty() { String::new() } else { format!(" at {facility:?}") }
}

/// A whole number written as an integer or as a float with no fraction (`12`, `12.0`, `1.2e1`),
/// as warehouses export them.
fn whole(text: &str) -> Option<i128> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i128>() {
        return Some(n);
    }
    let f: f64 = t.parse().ok()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i128)
}

/// The wait of a sketch's median and 90th percentile, for a project's log: the same whether the
/// log was read whole or merged from parts.
pub fn partial_quantiles(sketch: &Sketch) -> (f64, f64) {
    (sketch.quantile(0.5).unwrap_or(0.0), sketch.quantile(0.9).unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn whole_numbers_as_warehouses_write_them() {
        assert_eq!(whole("12"), Some(12));
        assert_eq!(whole("12.0"), Some(12));
        assert_eq!(whole(" 46.0 "), Some(46));
        assert_eq!(whole("-3"), Some(-3));
        assert_eq!(whole("1.5"), None);
        assert_eq!(whole("x"), None);
        assert_eq!(whole("170000000000000000000"), Some(170_000_000_000_000_000_000));
    }

    #[test]
    fn the_sketch_bucket_is_the_one_sql_computes() {
        // CEIL(LN(x) / LN(γ)) for a wait of 2.5 s.
        assert_eq!(crate::model::sketch::bucket(2.5), 46);
    }
}
