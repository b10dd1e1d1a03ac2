//! Imports into a project: EMR status exports (`import_status`) and event logs (`import_log`).
//!
//! An import reads the whole source first (streaming, cancellable) and then changes the project in
//! one edit, so a failed or cancelled import leaves the project as it was, and an import can be
//! undone like any edit. Only what the mapping names is kept; case ids become salted hashes; people
//! are counted, never stored. The mapping used is remembered per file name and reused when the
//! same file is imported again without one.

pub mod fhir;
pub mod hl7;
pub mod remember;
pub mod status;

use remember::Remembered;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rusqlite::{OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::mining::{Aggregates, LogAggregate, LogColumns, LogFormat, LogOptions, read_log};
use crate::model::{
    EventLog, ImportKind, ImportRecord, LogActivity, LogEdge, LogRole, LogVariant, Model, new_id,
};
use crate::progress::Progress;
use crate::store::Project;

pub use status::{
    StatusColumns, StatusFormat, StatusOptions, StatusPreview, is_count_header, preview_status, read_status,
};

/// How many variants a project keeps per log (the most frequent); the rest are counted.
pub const KEPT_VARIANTS: usize = 100;

/// What an import read, kept, dropped and hashed: printed by the CLI, shown by the app, and
/// stored with the import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub kind: String,
    pub source: String,
    pub format: String,
    /// Part → column (or attribute key) used.
    pub columns: BTreeMap<String, String>,
    /// Rows, resources, messages or events read.
    pub records: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    #[serde(default)]
    pub values: u64,
    /// Facilities the import added to the project.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_facilities: Vec<String>,
    /// Columns or keys not mapped, and so not kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<String>,
    /// What was replaced by a salted hash or only counted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashed: Vec<String>,
    /// What the import noticed and could not use or find (e.g. transitions the telemetry spec
    /// asks for that no task names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Columns kept besides the mapped ones (`--keep-column`): their values and their counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<crate::sources::KeptColumn>,
    /// Texts that looked like patient identifiers and were replaced by placeholders before
    /// anything was stored (the originals are not kept, here or anywhere).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced: Vec<crate::phi::ReplacedValue>,
    /// The texts replaced, with their originals, for the person importing to confirm: never
    /// stored, never printed as JSON.
    #[serde(skip)]
    pub flagged: Vec<crate::phi::FlaggedText>,
    /// How many texts that look like identifiers were stored as they are, on confirmation.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub allowed: u64,
    /// Whether the mapping came from the previous import of the same file.
    #[serde(default)]
    pub remembered_mapping: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl ImportSummary {
    /// The summary for people: a headline, then indented lines of what was kept, dropped and
    /// hashed (the CLI prints them on stderr, the app in its import dialog).
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "imported {} ({} {}): {} records",
            self.source, self.kind, self.format, self.records
        )];
        if let Some(cases) = self.cases {
            out.push(format!("  cases: {cases}"));
        }
        let how = if self.remembered_mapping {
            "remembered from the last import"
        } else if self.format == "fhir" {
            "the Task elements read"
        } else {
            "given or guessed"
        };
        let cols: Vec<String> = self.columns.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        if !cols.is_empty() {
            out.push(format!("  columns ({how}): {}", cols.join(", ")));
        }
        if !self.fields.is_empty() {
            out.push(format!("  fields: {} ({} values)", self.fields.join(", "), self.values));
        }
        if !self.new_facilities.is_empty() {
            out.push(format!("  new facilities: {}", self.new_facilities.join(", ")));
        }
        for k in &self.kept {
            let shown: Vec<String> =
                k.values.iter().take(5).map(|v| format!("{} {}", v.value, v.count)).collect();
            let more = if k.values.len() > 5 || k.other > 0 { ", …" } else { "" };
            out.push(format!(
                "  kept: {} ({} values: {}{more}), its values and their counts stored in the project",
                k.column,
                k.values.len(),
                shown.join(", ")
            ));
        }
        for r in &self.replaced {
            out.push(format!(
                "  replaced: {} {} that looked like a {} (e.g. {})",
                r.texts,
                match (r.texts, r.place.strip_suffix('y')) {
                    (1, _) => r.place.clone(),
                    (_, Some(stem)) => format!("{stem}ies"),
                    _ => format!("{}s", r.place),
                },
                r.kind,
                r.example
            ));
        }
        if self.allowed > 0 {
            out.push(format!(
                "  allowed: {} text{} that look like identifiers stored as they are, as confirmed (recorded in the audit trail)",
                self.allowed,
                if self.allowed == 1 { "" } else { "s" }
            ));
        }
        out.extend(self.dropped.iter().map(|d| match crate::phi::flag_column(d, &[]) {
            Some(what) => format!("  dropped: {d} (looks like {what})"),
            None => format!("  dropped: {d}"),
        }));
        out.extend(self.hashed.iter().map(|h| format!("  hashed: {h}")));
        out.extend(self.warnings.iter().map(|w| format!("  missing: {w}")));
        out
    }
}

/// The settings of a log import, as remembered (and as a bundle's `inputs/` names them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default)]
    pub columns: LogColumns,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
    /// Columns (XES: event attribute keys) kept besides the mapped ones: their values and counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep: Vec<String>,
    /// Kept columns that look like identifiers, kept on the user's explicit confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep_identifying: Vec<String>,
    /// Texts that look like patient identifiers, stored as they are on the user's confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_identifiers: Vec<String>,
    /// How many threads read the log (1: one; 0: one per core). A property of the machine, not
    /// of the file: never remembered nor written to a bundle.
    #[serde(skip)]
    pub threads: usize,
}

impl LogSettings {
    pub fn options(&self, resource_roles: HashMap<String, String>) -> Result<LogOptions> {
        let delimiter = match self.delimiter {
            Some(c) if c.is_ascii() => Some(c as u8),
            Some(c) => {
                return Err(Error::invalid("delimiter", format!("must be one ASCII character, not {c:?}")));
            }
            None => None,
        };
        Ok(LogOptions {
            format: self.format.as_deref().map(|f| LogFormat::detect(Path::new(""), Some(f))).transpose()?,
            columns: self.columns.clone(),
            delimiter,
            encoding: self.encoding.clone(),
            timestamp_format: self.timestamp_format.clone(),
            time_zone: self.tz.clone(),
            facility_zones: HashMap::new(),
            resource_roles,
            threads: self.threads,
            keep: self.keep.clone(),
            case_salt: None,
        })
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| path.display().to_string())
}

/// A salted hash of an identifier (16 hex digits).
pub fn hash_id(salt: &str, id: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0u8]);
    h.update(id.as_bytes());
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Facility value of a source → facility id: an existing facility whose id or name matches
/// (any case), or a new facility named after the value.
struct Facilities {
    known: Vec<(String, String)>,
    added: Vec<(String, String)>,
    /// Outside a project: a value stands for itself.
    as_is: bool,
}

impl Facilities {
    fn of(m: &Model) -> Facilities {
        Facilities {
            known: m.facilities.iter().map(|f| (f.id.clone(), f.name.clone())).collect(),
            added: Vec::new(),
            as_is: false,
        }
    }

    fn find(&self, value: &str) -> Option<String> {
        self.known
            .iter()
            .chain(&self.added)
            .find(|(id, name)| id.eq_ignore_ascii_case(value) || name.eq_ignore_ascii_case(value))
            .map(|(id, _)| id.clone())
    }

    fn resolve(&mut self, value: &str) -> String {
        if self.as_is {
            return value.to_string();
        }
        if let Some(id) = self.find(value) {
            return id;
        }
        let id = new_id();
        self.added.push((id.clone(), value.to_string()));
        id
    }

    fn insert_added(&self, tx: &Transaction<'_>) -> Result<Vec<String>> {
        // A facility first named by a source is read in this machine's zone, as `facility add`
        // sets it; the consultant changes it on the Home screen or with `baton facility timezone`.
        let zone = crate::store::default_timezone();
        for (id, name) in &self.added {
            tx.execute("INSERT INTO facility (id, name, timezone) VALUES (?1, ?2, ?3)", (id, name, &zone))?;
        }
        Ok(self.added.iter().map(|(_, n)| n.clone()).collect())
    }
}

/// Records in the audit trail each text that looks like an identifier and was stored as it is
/// because the user confirmed it.
pub(crate) fn record_allowed(tx: &Transaction<'_>, source: &str, allowed: &[(String, String)]) -> Result<()> {
    for (place, text) in allowed {
        crate::store::audit::record_in(
            tx,
            "allow_identifier",
            &format!(
                "{source}: the {place} {text:?} looks like a patient identifier and was stored as it is, as confirmed"
            ),
        )?;
    }
    Ok(())
}

/// The remembered settings of the previous import of `name`, if any.
fn remembered(m: &Model, kind: ImportKind, name: &str) -> Option<ImportRecord> {
    m.imports.iter().find(|i| i.kind == kind && i.name == name).cloned()
}

fn replace_record(tx: &Transaction<'_>, record: &ImportRecord) -> Result<()> {
    let old: Option<String> = tx
        .query_row(
            "SELECT id FROM import_record WHERE kind = ?1 AND name = ?2",
            (record.kind.as_str(), &record.name),
            |r| r.get(0),
        )
        .optional()?;
    if let Some(old) = old {
        for table in ["log_variant", "log_edge", "log_role", "log_activity"] {
            tx.execute(&format!("DELETE FROM {table} WHERE log_id = ?1"), [&old])?;
        }
        tx.execute("DELETE FROM event_log WHERE id = ?1", [&old])?;
        tx.execute("DELETE FROM import_record WHERE id = ?1", [&old])?;
    }
    crate::store::imports::insert_import(tx, record)
}

/// When the import happened: the previous import's time when it read the same thing with the same
/// settings (so re-importing a bundle's inputs gives the same bundle), else now.
fn stamp(previous: Option<&ImportRecord>, settings: &str, summary: &str) -> String {
    match previous {
        Some(p) if same_json(&p.settings, settings) && same_json(&p.summary, summary) => {
            p.imported_at.clone()
        }
        _ => crate::clock::now_rfc3339(),
    }
}

fn same_json(a: &str, b: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(a).ok() == serde_json::from_str::<serde_json::Value>(b).ok()
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}

impl Project {
    /// The settings of the last status import of a file with this name, if there was one.
    pub fn remembered_status(&self, path: &Path) -> Result<Option<StatusOptions>> {
        Ok(remembered(&self.model()?, ImportKind::Status, &file_name(path))
            .and_then(|p| StatusOptions::stored(&p.settings)))
    }

    /// The settings of the last log import of a file with this name, if there was one.
    pub fn remembered_log(&self, path: &Path) -> Result<Option<LogSettings>> {
        Ok(remembered(&self.model()?, ImportKind::Log, &file_name(path))
            .and_then(|p| LogSettings::stored(&p.settings)))
    }

    /// Imports an EMR status export: its fields, values, descriptions and counts per facility.
    /// A (value, facility) count already in the project is replaced, so importing the same file
    /// twice changes nothing.
    pub fn import_status(
        &mut self,
        path: &Path,
        options: &StatusOptions,
        progress: &Progress,
    ) -> Result<ImportSummary> {
        let name = file_name(path);
        let model = self.model()?;
        let previous = remembered(&model, ImportKind::Status, &name);
        let (used, remembered_mapping) =
            remember::settings_to_use(options, previous.as_ref().map(|p| p.settings.as_str()));
        let mut read = read_status(path, &used, progress)?;
        progress.check("importing the status export")?;
        crate::sources::refuse_identifying(&read.kept, &used.keep_identifying, &name)?;
        let mut screen = crate::phi::ValueScreen::new(&self.salt()?, &used.allow_identifiers);
        read.table = std::mem::take(&mut read.table).screened(&mut screen);
        let format = read.format.unwrap_or(StatusFormat::Csv);
        // A table without a facility column would pool every facility's counts: only on purpose.
        if matches!(format, StatusFormat::Csv | StatusFormat::Xlsx)
            && read.columns.facility.is_none()
            && model.facilities.len() >= 2
            && !used.all_facilities
        {
            return Err(Error::input(
                path.display().to_string(),
                "line 1",
                format!(
                    "no facility column found, and this project has {} facilities: name it with --facility COLUMN (Baton recognises headers such as Facility, Site, Hospital, Location, Campus), or pass --all-facilities if the counts are for every facility together; nothing was imported",
                    model.facilities.len()
                ),
            ));
        }
        let settings = StatusOptions {
            format: Some(format),
            columns: read.columns.clone(),
            sheet: read.sheet.clone(),
            ..used
        };
        let mut facilities = Facilities::of(&model);
        let mut summary = ImportSummary {
            kind: "status".into(),
            source: name.clone(),
            format: format.as_str().into(),
            columns: [
                ("field", &read.columns.field),
                ("value", &read.columns.value),
                ("facility", &read.columns.facility),
                ("count", &read.columns.count),
                ("description", &read.columns.description),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.clone().map(|v| (k.to_string(), v)))
            .collect(),
            records: read.table.records,
            fields: read.table.sources.keys().cloned().collect(),
            values: read.table.descriptions.len() as u64,
            dropped: read.dropped.clone(),
            kept: read.kept.clone(),
            replaced: screen.replaced(),
            flagged: screen.flagged(),
            allowed: screen.allowed().len() as u64,
            remembered_mapping,
            ..ImportSummary::default()
        };
        let allowed = screen.allowed();
        let counts: Vec<(String, String, String, i64)> = read
            .table
            .counts
            .iter()
            .filter(|((_, _, f), _)| !f.is_empty())
            .map(|((field, value, f), n)| (field.clone(), value.clone(), facilities.resolve(f), *n))
            .collect();
        let unplaced: i64 =
            read.table.counts.iter().filter(|((_, _, f), _)| f.is_empty()).map(|(_, n)| n).sum();
        if unplaced > 0 {
            summary
                .dropped
                .push(format!("{unplaced} counted without a facility (map a facility column to keep them)"));
        }
        let label = format!("Import status export {name}");
        self.edit(&label, |tx| {
            crate::store::audit::record_in(tx, "import", &format!("{name} (status export)"))?;
            record_allowed(tx, &name, &allowed)?;
            summary.new_facilities = facilities.insert_added(tx)?;
            for (field, source) in &read.table.sources {
                let existing: Option<String> =
                    tx.query_row("SELECT id FROM emr_field WHERE name = ?1", [field], |r| r.get(0)).optional()?;
                if existing.is_none() {
                    tx.execute(
                        "INSERT INTO emr_field (id, name, source, description) VALUES (?1, ?2, ?3, '')",
                        (new_id(), field, source),
                    )?;
                }
            }
            for ((field, value), description) in &read.table.descriptions {
                let field_id: String = tx.query_row("SELECT id FROM emr_field WHERE name = ?1", [field], |r| r.get(0))?;
                let existing: Option<String> = tx
                    .query_row("SELECT id FROM emr_value WHERE field_id = ?1 AND value = ?2", (&field_id, value), |r| r.get(0))
                    .optional()?;
                match existing {
                    None => {
                        tx.execute(
                            "INSERT INTO emr_value (id, field_id, value, description) VALUES (?1, ?2, ?3, ?4)",
                            (new_id(), &field_id, value, description),
                        )?;
                    }
                    Some(id) if !description.is_empty() => {
                        tx.execute("UPDATE emr_value SET description = ?2 WHERE id = ?1 AND description <> ?2", (&id, description))?;
                    }
                    Some(_) => {}
                }
            }
            for (field, value, facility, count) in &counts {
                let value_id: String = tx.query_row(
                    "SELECT v.id FROM emr_value v JOIN emr_field f ON f.id = v.field_id WHERE f.name = ?1 AND v.value = ?2",
                    (field, value),
                    |r| r.get(0),
                )?;
                tx.execute(
                    "INSERT INTO emr_value_count (value_id, facility_id, count) VALUES (?1, ?2, ?3)
                     ON CONFLICT (value_id, facility_id) DO UPDATE SET count = excluded.count
                     WHERE count <> excluded.count",
                    (&value_id, facility, count),
                )?;
            }
            let kept = ImportSummary { remembered_mapping: false, ..summary.clone() };
            let (settings, summary) = (settings.to_stored(), to_json(&kept));
            let record = ImportRecord {
                id: previous.as_ref().map_or_else(new_id, |p| p.id.clone()),
                kind: ImportKind::Status,
                name: name.clone(),
                format: format.as_str().into(),
                imported_at: stamp(previous.as_ref(), &settings, &summary),
                settings,
                summary,
            };
            replace_record(tx, &record)
        })?;
        Ok(summary)
    }

    /// How to read a log for this project: `settings`, with the zones of the project's facilities
    /// and its salt for example cases. `baton discover --partial --salt-from` reads with these too,
    /// so its aggregate equals what importing the log would keep.
    pub fn log_options(
        &self,
        settings: &LogSettings,
        resource_roles: HashMap<String, String>,
    ) -> Result<LogOptions> {
        self.log_options_in(&self.model()?, settings, resource_roles)
    }

    fn log_options_in(
        &self,
        model: &Model,
        settings: &LogSettings,
        resource_roles: HashMap<String, String>,
    ) -> Result<LogOptions> {
        let mut options = settings.options(resource_roles)?;
        for f in &model.facilities {
            options.facility_zones.insert(f.name.to_lowercase(), f.timezone.clone());
            options.facility_zones.insert(f.id.to_lowercase(), f.timezone.clone());
        }
        options.case_salt = Some(self.salt()?);
        Ok(options)
    }

    /// Imports an event log: aggregates per facility (activities with their roles and waits,
    /// directly-follows edges with times, the most frequent variants with a hashed example case).
    /// Importing a file of the same name again replaces its aggregates.
    pub fn import_log(
        &mut self,
        path: &Path,
        settings: &LogSettings,
        resource_roles: HashMap<String, String>,
        progress: &Progress,
    ) -> Result<ImportSummary> {
        let name = file_name(path);
        let model = self.model()?;
        let previous = remembered(&model, ImportKind::Log, &name);
        let (used, remembered_mapping) =
            remember::settings_to_use(settings, previous.as_ref().map(|p| p.settings.as_str()));
        let options = self.log_options_in(&model, &used, resource_roles)?;
        let (agg, report) = read_log(path, &options, progress)?;
        progress.check("importing the log")?;
        crate::sources::refuse_identifying(&report.kept, &used.keep_identifying, &name)?;
        let log = LogAggregate::from_aggregates(&agg);
        drop(agg);
        let format = report.format.unwrap_or(LogFormat::Csv);
        let mut hashed = vec![format!("case ids ({} cases): replaced by salted hashes", log.cases())];
        if report.resources > 0 {
            hashed.push(format!(
                "{} people or devices: counted and read for their role, not stored",
                report.resources
            ));
        }
        if report.resources_without_role > 0 {
            hashed.push(format!(
                "{} people or devices not in the resource-to-role table",
                report.resources_without_role
            ));
        }
        let summary = ImportSummary {
            kind: "log".into(),
            source: name.clone(),
            format: format.as_str().into(),
            columns: crate::mining::LogPart::ALL
                .iter()
                .filter_map(|&p| report.columns.get(p).map(|c| (p.as_str().to_string(), c.to_string())))
                .collect(),
            dropped: report.dropped.clone(),
            kept: report.kept.clone(),
            hashed,
            remembered_mapping,
            ..ImportSummary::default()
        };
        let allow = used.allow_identifiers.clone();
        let record_settings =
            LogSettings { format: Some(format.as_str().into()), columns: report.columns.clone(), ..used };
        let stored = record_settings.to_stored();
        self.keep_log(&model, &name, previous, log, &allow, summary, stored, format.as_str())
    }

    /// Imports partial aggregates of one log (from `baton discover --partial` or the query of
    /// `baton sql`) as one log named `name` (by default after the files). Parts must hold
    /// different cases: a log split by whole cases imports exactly as the whole log would.
    pub fn import_aggregate(
        &mut self,
        paths: &[std::path::PathBuf],
        name: Option<&str>,
        allow_identifiers: &[String],
        progress: &Progress,
    ) -> Result<ImportSummary> {
        let Some(first) = paths.first() else {
            return Err(Error::invalid("files", "name at least one aggregate file"));
        };
        let name = match name {
            Some(n) if !n.trim().is_empty() => n.trim().to_string(),
            _ if paths.len() == 1 => file_name(first),
            _ => format!("{} and {} more", file_name(first), paths.len() - 1),
        };
        let model = self.model()?;
        let previous = remembered(&model, ImportKind::Log, &name);
        let mut log = LogAggregate::default();
        for path in paths {
            progress.check("reading the aggregates")?;
            log.merge(LogAggregate::read(path)?);
        }
        let own = crate::mining::salt_fingerprint(&self.salt()?);
        let mut hashed =
            vec![format!("case ids ({} cases): hashed before they left the source", log.cases())];
        if log.salt != own {
            hashed.push(
                "example cases were hashed with another salt than this project's (the query or partial was made \
                 without --salt-from this project): they cannot be matched with this project's other hashes"
                    .into(),
            );
        }
        let summary = ImportSummary {
            kind: "log".into(),
            source: name.clone(),
            format: "aggregate".into(),
            hashed,
            ..ImportSummary::default()
        };
        let settings =
            LogSettings { allow_identifiers: allow_identifiers.to_vec(), ..LogSettings::default() };
        self.keep_log(
            &model,
            &name,
            previous,
            log,
            allow_identifiers,
            summary,
            settings.to_stored(),
            "aggregate",
        )
    }

    /// Keeps a log's aggregate in the project, in one edit: its names screened for identifiers,
    /// its facilities and roles resolved, replacing an earlier import of the same name.
    #[allow(clippy::too_many_arguments)]
    fn keep_log(
        &mut self,
        model: &Model,
        name: &str,
        previous: Option<ImportRecord>,
        mut agg: LogAggregate,
        allow_identifiers: &[String],
        mut summary: ImportSummary,
        stored_settings: String,
        format: &str,
    ) -> Result<ImportSummary> {
        let salt = self.salt()?;
        let screen = std::cell::RefCell::new(crate::phi::ValueScreen::new(&salt, allow_identifiers));
        agg.rename(
            |a| screen.borrow_mut().screen("activity", a),
            |r| screen.borrow_mut().screen("role", r),
            |f| screen.borrow_mut().screen("facility", f),
        );
        let screen = screen.into_inner();
        let allowed = screen.allowed();
        let mut facilities = Facilities::of(model);
        let log_id = previous.as_ref().map_or_else(new_id, |p| p.id.clone());
        let mut log = log_of(&agg, &log_id, model, &mut facilities);
        // A variant keeps the example case first recorded for it (a new project has a new salt,
        // so re-importing a bundle's log must not change its hashes).
        if let Some(old) = model.logs.iter().find(|l| l.id == log_id) {
            for v in &mut log.variants {
                if let Some(o) = old.variants.iter().find(|o| o.activities == v.activities) {
                    v.example_case.clone_from(&o.example_case);
                }
            }
        }
        summary.records = agg.events();
        summary.cases = Some(agg.cases());
        summary.replaced = screen.replaced();
        summary.flagged = screen.flagged();
        summary.allowed = allowed.len() as u64;
        let what = if format == "aggregate" { "log aggregate" } else { "event log" };
        self.edit(&format!("Import {what} {name}"), |tx| {
            crate::store::audit::record_in(tx, "import", &format!("{name} ({what})"))?;
            record_allowed(tx, name, &allowed)?;
            summary.new_facilities = facilities.insert_added(tx)?;
            let kept = ImportSummary { remembered_mapping: false, ..summary.clone() };
            let summary = to_json(&kept);
            let record = ImportRecord {
                id: log_id.clone(),
                kind: ImportKind::Log,
                name: name.to_string(),
                format: format.into(),
                imported_at: stamp(previous.as_ref(), &stored_settings, &summary),
                settings: stored_settings.clone(),
                summary,
            };
            replace_record(tx, &record)?;
            crate::store::imports::insert_log(tx, &log)
        })?;
        Ok(summary)
    }
}

fn round_ms(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

fn rfc3339(micros: i64) -> String {
    jiff::Timestamp::from_microsecond(micros).map(|t| t.to_string()).unwrap_or_default()
}

/// The aggregates of a log read outside any project (`baton discover`): facility and role values
/// as the log gives them (example cases are hashed without a salt).
pub fn standalone_log(agg: &Aggregates, id: &str) -> EventLog {
    let mut facilities = Facilities { known: Vec::new(), added: Vec::new(), as_is: true };
    log_of(&LogAggregate::from_aggregates(agg), id, &Model::default(), &mut facilities)
}

/// The project's aggregates of a log: facility and role values resolved to ids where they match.
/// Medians and 90th percentiles come from the waits' sketches and means from their sums, so a log
/// merged from parts is kept exactly as the whole log would be.
fn log_of(agg: &LogAggregate, id: &str, model: &Model, facilities: &mut Facilities) -> EventLog {
    let facility = |f: &str, facilities: &mut Facilities| {
        if f.is_empty() { String::new() } else { facilities.resolve(f) }
    };
    let role = |name: &str| {
        if name.is_empty() {
            return String::new();
        }
        model
            .roles
            .iter()
            .find(|x| x.id.eq_ignore_ascii_case(name) || x.name.eq_ignore_ascii_case(name))
            .map_or_else(|| name.to_string(), |x| x.id.clone())
    };
    // Waits: every outgoing edge's sketch, per (facility, activity).
    let mut waits: BTreeMap<(&str, &str), crate::model::sketch::Sketch> = BTreeMap::new();
    for ((f, a, _), e) in &agg.edges {
        waits.entry((f, a)).or_default().merge(&e.sketch);
    }
    // Two log values may resolve to one facility id, so everything is summed by key.
    let mut activities: BTreeMap<(String, String), (LogActivity, crate::model::sketch::Sketch)> =
        BTreeMap::new();
    for ((f, a), c) in &agg.activities {
        let key = (facility(f, facilities), a.clone());
        let slot = activities.entry(key.clone()).or_insert_with(|| {
            (
                LogActivity { facility: key.0.clone(), activity: key.1.clone(), ..LogActivity::default() },
                Default::default(),
            )
        });
        slot.0.events += c.events as i64;
        slot.0.starts += c.starts as i64;
        slot.0.ends += c.ends as i64;
        if let Some(w) = waits.get(&(f.as_str(), a.as_str())) {
            slot.1.merge(w);
        }
    }
    let activities: Vec<LogActivity> = activities
        .into_values()
        .map(|(mut a, w)| {
            let (median, p90) = crate::mining::partial_quantiles(&w);
            a.wait_count = w.count() as i64;
            a.wait_median = round_ms(median);
            a.wait_p90 = round_ms(p90);
            a
        })
        .collect();
    let mut by_role: BTreeMap<(String, String, String), i64> = BTreeMap::new();
    for ((f, a, r), &n) in &agg.roles {
        *by_role.entry((facility(f, facilities), a.clone(), role(r))).or_default() += n as i64;
    }
    let roles: Vec<LogRole> = by_role
        .into_iter()
        .map(|((facility, activity, role), events)| LogRole { facility, activity, role, events })
        .collect();
    let mut edges: BTreeMap<(String, String, String), crate::mining::EdgeSummary> = BTreeMap::new();
    for ((f, a, b), e) in &agg.edges {
        edges.entry((facility(f, facilities), a.clone(), b.clone())).or_default().add(e);
    }
    let edges: Vec<LogEdge> = edges
        .into_iter()
        .map(|((facility, from, to), e)| {
            let mean = if e.count == 0 { 0.0 } else { e.total_micros as f64 / e.count as f64 / 1e6 };
            let (median, _) = crate::mining::partial_quantiles(&e.sketch);
            LogEdge {
                facility,
                from,
                to,
                count: e.count as i64,
                mean_seconds: round_ms(mean),
                median_seconds: round_ms(median),
                sketch: Some(e.sketch),
            }
        })
        .collect();
    // Variants are kept for the whole log, all facilities together.
    let mut joined: BTreeMap<&[String], crate::mining::VariantSummary> = BTreeMap::new();
    for ((_, list), v) in &agg.variants {
        joined.entry(list.as_slice()).or_default().add(v.count, &v.example);
    }
    let mut variants: Vec<LogVariant> = joined
        .into_iter()
        .map(|(list, v)| LogVariant {
            activities: list.to_vec(),
            count: v.count as i64,
            example_case: v.example,
        })
        .collect();
    variants.sort_by(|x, y| y.count.cmp(&x.count).then_with(|| x.activities.cmp(&y.activities)));
    let other_variants = variants.iter().skip(KEPT_VARIANTS).map(|v| v.count).sum();
    variants.truncate(KEPT_VARIANTS);
    let (first, last) = agg.span.unwrap_or((0, 0));
    EventLog {
        id: id.to_string(),
        events: agg.events() as i64,
        cases: agg.cases() as i64,
        first_at: rfc3339(first),
        last_at: rfc3339(last),
        other_variants,
        activities,
        roles,
        edges,
        variants,
    }
}
