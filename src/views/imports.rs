//! The import dialog (EMR status exports, event logs, task telemetry): what it sends (one set of
//! settings for every kind, converted here to the core's options), the preview it shows before
//! importing (first rows, the column mapping, columns that look like identifiers) and what a
//! finished import reports.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::project::ProjectView;
use crate::error::{Error, Result};
use crate::import::{LogSettings, StatusColumns, StatusFormat, StatusOptions};
use crate::mining::LogColumns;
use crate::phi::FlaggedText;
use crate::store::Project;
use crate::telemetry::{TelemetryColumns, TelemetrySettings};
use crate::vocab::text_enum;

text_enum!(
    /// Which import the dialog runs.
    ImportSource { Status => "status", Log => "log", Telemetry => "telemetry" }
);

/// One part of a row (`field`, `value`…; `case`, `activity`…) and the column that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ColumnChoice {
    pub part: String,
    pub column: Option<String>,
}

/// The import dialog's settings; unset ones are detected, remembered or guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ImportSettings {
    pub format: Option<String>,
    pub sheet: Option<String>,
    /// One character; `\t` for a tab.
    pub delimiter: Option<String>,
    pub encoding: Option<String>,
    pub columns: Vec<ColumnChoice>,
    pub timestamp_format: Option<String>,
    pub tz: Option<String>,
    /// A CSV of resource,role rows (logs only).
    pub resource_roles: Option<String>,
    /// Unmapped columns to keep (their values and counts are stored).
    pub keep: Vec<String>,
    /// Kept columns that look like identifiers, confirmed by a tick.
    #[serde(default)]
    pub keep_identifying: Vec<String>,
    /// Texts that look like patient identifiers, to store as they are (ticked in the dialog).
    #[serde(default)]
    pub allow_identifiers: Vec<String>,
    /// A status export without a count column: every row is one record, ticked on purpose.
    #[serde(default)]
    pub rows_are_records: bool,
    /// A status export without a facility column: its counts are for every facility together.
    #[serde(default)]
    pub all_facilities: bool,
}

/// The first rows of a source and the mapping the import would use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ImportPreview {
    pub format: String,
    /// Workbook sheets (empty for other formats).
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Every part, with its column when one was chosen or guessed; empty for FHIR and HL7,
    /// which need no mapping.
    pub columns: Vec<ColumnChoice>,
    /// Whether the mapping is the one remembered from the last import of this file name.
    pub remembered: bool,
    /// Per header: what the column looks like when it seems to hold patient or staff
    /// identifiers, else empty.
    pub flagged: Vec<String>,
}

/// A finished import: what it read, kept, dropped and hashed, and the project now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ImportDone {
    /// The summary in lines, as the CLI prints it.
    pub summary: Vec<String>,
    /// Texts that looked like patient identifiers and were replaced, with their originals, for
    /// the user to confirm (import again with them allowed); never stored.
    pub flagged: Vec<FlaggedText>,
    pub project: ProjectView,
}

type Slot<C> = (&'static str, fn(&mut C) -> &mut Option<String>);

const STATUS_PARTS: [Slot<StatusColumns>; 5] = [
    ("field", |c| &mut c.field),
    ("value", |c| &mut c.value),
    ("facility", |c| &mut c.facility),
    ("count", |c| &mut c.count),
    ("description", |c| &mut c.description),
];

const LOG_PARTS: [Slot<LogColumns>; 6] = [
    ("case", |c| &mut c.case),
    ("activity", |c| &mut c.activity),
    ("timestamp", |c| &mut c.timestamp),
    ("role", |c| &mut c.role),
    ("resource", |c| &mut c.resource),
    ("facility", |c| &mut c.facility),
];

const TELEMETRY_PARTS: [Slot<TelemetryColumns>; 9] = [
    ("task", |c| &mut c.task),
    ("workflow", |c| &mut c.workflow),
    ("version", |c| &mut c.version),
    ("step", |c| &mut c.step),
    ("event", |c| &mut c.event),
    ("role", |c| &mut c.role),
    ("facility", |c| &mut c.facility),
    ("timestamp", |c| &mut c.timestamp),
    ("actor", |c| &mut c.actor),
];

/// The parts and the columns chosen for them, in the order the dialog shows them.
fn choices<C: Clone>(parts: &[Slot<C>], columns: &C) -> Vec<ColumnChoice> {
    let mut columns = columns.clone();
    parts
        .iter()
        .map(|(part, slot)| ColumnChoice { part: (*part).to_string(), column: slot(&mut columns).clone() })
        .collect()
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.clone().filter(|s| !s.trim().is_empty())
}

impl ImportSettings {
    /// Whether no column or sheet was chosen, so the remembered mapping may apply.
    pub fn is_unset(&self) -> bool {
        self.columns.iter().all(|c| c.column.is_none()) && self.sheet.is_none()
    }

    fn delimiter(&self) -> Result<Option<char>> {
        match self.delimiter.as_deref().map(|d| if d == "\\t" { "\t" } else { d }) {
            None | Some("") => Ok(None),
            Some(d) if d.chars().count() == 1 => Ok(d.chars().next()),
            Some(d) => {
                Err(Error::invalid("delimiter", format!("the delimiter must be one character, not {d:?}")))
            }
        }
    }

    fn columns<C: Default>(&self, parts: &[Slot<C>]) -> Result<C> {
        let mut columns = C::default();
        for choice in &self.columns {
            let Some(column) = choice.column.as_ref().filter(|c| !c.is_empty()) else { continue };
            let (_, slot) = parts.iter().find(|(p, _)| *p == choice.part).ok_or_else(|| {
                let known: Vec<&str> = parts.iter().map(|(p, _)| *p).collect();
                Error::invalid(
                    "columns",
                    format!("{:?} is not a part of this import; use {}", choice.part, known.join(", ")),
                )
            })?;
            *slot(&mut columns) = Some(column.clone());
        }
        Ok(columns)
    }

    pub fn status(&self) -> Result<StatusOptions> {
        Ok(StatusOptions {
            format: nonempty(&self.format)
                .map(|f| StatusFormat::detect(Path::new(""), Some(&f)))
                .transpose()?,
            columns: self.columns(&STATUS_PARTS)?,
            sheet: nonempty(&self.sheet),
            delimiter: self.delimiter()?,
            encoding: nonempty(&self.encoding),
            field_name: None,
            keep: self.keep.clone(),
            keep_identifying: self.keep_identifying.clone(),
            allow_identifiers: self.allow_identifiers.clone(),
            rows_are_records: self.rows_are_records,
            all_facilities: self.all_facilities,
        })
    }

    pub fn log(&self) -> Result<LogSettings> {
        Ok(LogSettings {
            format: nonempty(&self.format),
            columns: self.columns(&LOG_PARTS)?,
            delimiter: self.delimiter()?,
            encoding: nonempty(&self.encoding),
            timestamp_format: nonempty(&self.timestamp_format),
            tz: nonempty(&self.tz),
            keep: self.keep.clone(),
            keep_identifying: self.keep_identifying.clone(),
            allow_identifiers: self.allow_identifiers.clone(),
            threads: 0,
        })
    }

    pub fn telemetry(&self) -> Result<TelemetrySettings> {
        Ok(TelemetrySettings {
            columns: self.columns(&TELEMETRY_PARTS)?,
            timestamp_format: nonempty(&self.timestamp_format),
            tz: nonempty(&self.tz),
            allow_identifiers: self.allow_identifiers.clone(),
        })
    }

    /// The resource → role table named by `resource_roles`, if any.
    pub fn resource_roles(&self) -> Result<HashMap<String, String>> {
        match nonempty(&self.resource_roles) {
            Some(path) => crate::bundle::read_resource_roles(Path::new(&path)),
            None => Ok(HashMap::new()),
        }
    }
}

/// What each column of a preview looks like, when it seems to hold identifiers.
fn flagged(headers: &[String], rows: &[Vec<String>]) -> Vec<String> {
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let values: Vec<&str> = rows.iter().filter_map(|r| r.get(i).map(String::as_str)).collect();
            crate::phi::flag_column(h, &values).unwrap_or_default().to_string()
        })
        .collect()
}

/// The first rows of `path` and the column mapping the import would use: the one given, else the
/// one remembered from the last import of a file of the same name, else guessed.
pub fn preview(
    project: &Project,
    kind: ImportSource,
    path: &Path,
    settings: &ImportSettings,
) -> Result<ImportPreview> {
    match kind {
        ImportSource::Status => {
            let remembered = if settings.is_unset() { project.remembered_status(path)? } else { None };
            let found = remembered.is_some();
            let options = match remembered {
                Some(r) => r,
                None => settings.status()?,
            };
            let p = crate::import::preview_status(path, &options)?;
            let tabular = !p.headers.is_empty();
            Ok(ImportPreview {
                format: p.format.map_or("", |f| f.as_str()).to_string(),
                flagged: flagged(&p.headers, &p.rows),
                columns: if tabular { choices(&STATUS_PARTS, &p.columns) } else { Vec::new() },
                sheets: p.sheets,
                sheet: p.sheet,
                headers: p.headers,
                rows: p.rows,
                remembered: found,
            })
        }
        ImportSource::Log => {
            let remembered = if settings.is_unset() { project.remembered_log(path)? } else { None };
            let found = remembered.is_some();
            let options = match remembered {
                Some(r) => r,
                None => settings.log()?,
            }
            .options(HashMap::new())?;
            let p = crate::mining::preview_log(path, &options)?;
            Ok(ImportPreview {
                format: p.format.as_str().to_string(),
                sheets: Vec::new(),
                sheet: None,
                flagged: flagged(&p.headers, &p.rows),
                columns: choices(&LOG_PARTS, &p.columns),
                headers: p.headers,
                rows: p.rows,
                remembered: found,
            })
        }
        ImportSource::Telemetry => Err(Error::invalid(
            "kind",
            "task telemetry has no preview: its columns are guessed from the headers, and the import says which it used",
        )),
    }
}

/// Merges partial log aggregates (`baton discover --partial`, a warehouse query's result) into the
/// project as one log named `name` (by default after the files), in one undoable edit.
pub fn import_aggregate(
    project: &mut Project,
    paths: &[std::path::PathBuf],
    name: Option<&str>,
    allow_identifiers: &[String],
    progress: &crate::progress::Progress,
) -> Result<ImportDone> {
    let summary = project.import_aggregate(paths, name, allow_identifiers, progress)?;
    Ok(ImportDone {
        summary: summary.lines(),
        flagged: summary.flagged,
        project: super::project::project(project)?,
    })
}

/// Imports `path` into the project, in one undoable edit; a failed or cancelled import changes
/// nothing.
pub fn import(
    project: &mut Project,
    kind: ImportSource,
    path: &Path,
    settings: &ImportSettings,
    progress: &crate::progress::Progress,
) -> Result<ImportDone> {
    let summary = match kind {
        ImportSource::Status => project.import_status(path, &settings.status()?, progress)?,
        ImportSource::Log => {
            project.import_log(path, &settings.log()?, settings.resource_roles()?, progress)?
        }
        ImportSource::Telemetry => project.import_telemetry(path, &settings.telemetry()?, progress)?,
    };
    Ok(ImportDone {
        summary: summary.lines(),
        flagged: summary.flagged,
        project: super::project::project(project)?,
    })
}
