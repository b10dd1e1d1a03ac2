//! EMR status-field exports: value lists (CSV or a workbook sheet, columns mapped), FHIR R4
//! resources and HL7 v2 order messages, all read into rows of (field, value, facility, count).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::mining::normalize_header;
use crate::progress::Progress;
use crate::sources::KeptCounter;
use crate::sources::csvfile::{column_index, rows};

/// The formats of status exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusFormat {
    Csv,
    Xlsx,
    Fhir,
    Hl7,
}

impl StatusFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusFormat::Csv => "csv",
            StatusFormat::Xlsx => "xlsx",
            StatusFormat::Fhir => "fhir",
            StatusFormat::Hl7 => "hl7",
        }
    }

    /// The format named `name`, or from the extension and the first bytes of `path`.
    pub fn detect(path: &Path, name: Option<&str>) -> Result<StatusFormat> {
        if let Some(name) = name {
            return match name.to_ascii_lowercase().as_str() {
                "csv" => Ok(StatusFormat::Csv),
                "xlsx" | "xls" | "excel" => Ok(StatusFormat::Xlsx),
                "fhir" | "json" | "ndjson" => Ok(StatusFormat::Fhir),
                "hl7" | "hl7v2" => Ok(StatusFormat::Hl7),
                _ => Err(Error::invalid(
                    "format",
                    format!("unknown status format {name:?}: use csv, xlsx, fhir or hl7"),
                )),
            };
        }
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "xlsx" | "xls" | "xlsm" | "xlsb" | "ods" => return Ok(StatusFormat::Xlsx),
            "json" | "ndjson" => return Ok(StatusFormat::Fhir),
            "hl7" | "er7" => return Ok(StatusFormat::Hl7),
            _ => {}
        }
        let mut head = vec![0u8; 512];
        let n = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8_lossy(&head[..n]);
        let text = text.trim_start_matches('\u{feff}').trim_start();
        Ok(if text.starts_with("MSH|") {
            StatusFormat::Hl7
        } else if text.starts_with('{') {
            StatusFormat::Fhir
        } else if head.starts_with(b"PK") {
            StatusFormat::Xlsx
        } else {
            StatusFormat::Csv
        })
    }
}

/// Which column holds each part of a value-list row; unset parts are guessed from the headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusColumns {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Picks one part of a `StatusColumns`.
type Slot = fn(&mut StatusColumns) -> &mut Option<String>;

/// A part's usual header names, where it goes, and what else names it.
type Usual = (&'static [&'static str], Slot, fn(&str) -> bool);

impl StatusColumns {
    /// These columns with every unset one guessed from `headers` (each header used once).
    pub fn guess(&self, headers: &[String]) -> StatusColumns {
        // Each part: its usual header names, then (when none is there) the headers that name it
        // in other words ("Result Status", "Hospital Name", "Result Count").
        let never = |_: &str| false;
        let usual: [Usual; 5] = [
            (
                &["field", "status field", "field name", "column", "attribute", "status type", "item"],
                |c| &mut c.field,
                never,
            ),
            (
                &["value", "status", "status value", "code", "status code", "state"],
                |c| &mut c.value,
                is_status_header,
            ),
            (
                &["facility", "site", "hospital", "location", "campus", "department"],
                |c| &mut c.facility,
                is_facility_header,
            ),
            (
                &["count", "n", "frequency", "occurrences", "number", "total", "records", "volume", "units"],
                |c| &mut c.count,
                is_count_header,
            ),
            (
                &["description", "meaning", "display", "label", "definition", "comment"],
                |c| &mut c.description,
                never,
            ),
        ];
        let mut out = self.clone();
        let mut taken: Vec<String> =
            [&self.field, &self.value, &self.facility, &self.count, &self.description]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
        for (names, slot, alike) in usual {
            if slot(&mut out).is_some() {
                continue;
            }
            let found = names
                .iter()
                .find_map(|n| headers.iter().find(|h| normalize_header(h) == *n && !taken.contains(h)))
                .or_else(|| headers.iter().find(|h| alike(h) && !taken.contains(h)))
                .cloned();
            if let Some(h) = found {
                taken.push(h.clone());
                *slot(&mut out) = Some(h);
            }
        }
        out
    }
}

/// How to read a status export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<StatusFormat>,
    #[serde(default)]
    pub columns: StatusColumns,
    /// The workbook sheet (default: the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The field's name when the file has no field column (default: the file name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// Columns kept besides the mapped ones: their values and counts (CSV and workbooks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep: Vec<String>,
    /// Kept columns that look like identifiers, kept on the user's explicit confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep_identifying: Vec<String>,
    /// Texts that look like patient identifiers, stored as they are on the user's confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_identifiers: Vec<String>,
    /// Each row is one record: a tabular export without a count column is counted a row at a
    /// time only when this says so on purpose (else its import stops, so counts are never
    /// silently 1 per row).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rows_are_records: bool,
    /// The counts are for every facility together: a tabular export without a facility column,
    /// in a project with several facilities, is imported only when this says so on purpose.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_facilities: bool,
}

/// (field, value) → facility → (count, description); field source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusTable {
    /// field → where it comes from (a FHIR resource type, an HL7 segment, a file name).
    pub sources: BTreeMap<String, String>,
    /// (field, value) → description.
    pub descriptions: BTreeMap<(String, String), String>,
    /// (field, value, facility) → count. Facility '' when the source names none.
    pub counts: BTreeMap<(String, String, String), i64>,
    /// Records (rows, resources, messages) read.
    pub records: u64,
}

impl StatusTable {
    /// The table with every field name, value, description and facility passed through `screen`
    /// (what looks like a patient identifier replaced), before it is stored.
    pub fn screened(self, screen: &mut crate::phi::ValueScreen) -> StatusTable {
        let sources = self.sources.into_iter().map(|(f, s)| (screen.screen("field", &f), s)).collect();
        let descriptions = self
            .descriptions
            .into_iter()
            .map(|((f, v), d)| {
                ((screen.screen("field", &f), screen.screen("value", &v)), screen.screen("description", &d))
            })
            .collect();
        let mut counts: BTreeMap<(String, String, String), i64> = BTreeMap::new();
        for ((f, v, facility), n) in self.counts {
            let key = (
                screen.screen("field", &f),
                screen.screen("value", &v),
                screen.screen("facility", &facility),
            );
            *counts.entry(key).or_default() += n;
        }
        StatusTable { sources, descriptions, counts, records: self.records }
    }

    pub fn add(&mut self, field: &str, source: &str, value: &str, facility: &str, count: i64) {
        use crate::sources::clean_name;
        let (field, value, facility) = (clean_name(field), clean_name(value), clean_name(facility));
        let (field, value, facility) = (field.as_ref(), value.as_ref(), facility.as_ref());
        self.sources.entry(field.to_string()).or_insert_with(|| source.to_string());
        self.descriptions.entry((field.to_string(), value.to_string())).or_default();
        *self.counts.entry((field.to_string(), value.to_string(), facility.to_string())).or_default() +=
            count;
    }
}

/// What reading a status export found, besides the rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusRead {
    pub format: Option<StatusFormat>,
    pub columns: StatusColumns,
    pub sheet: Option<String>,
    pub dropped: Vec<String>,
    pub table: StatusTable,
    pub kept: Vec<crate::sources::KeptColumn>,
}

/// The first rows of a tabular export with the guessed mapping, for the import dialog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusPreview {
    pub format: Option<StatusFormat>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub columns: StatusColumns,
}

/// Reads the status export at `path`.
pub fn read_status(path: &Path, options: &StatusOptions, progress: &Progress) -> Result<StatusRead> {
    let format = match options.format {
        Some(f) => f,
        None => StatusFormat::detect(path, None)?,
    };
    let mut read = match format {
        StatusFormat::Csv => {
            let rows = csv_rows(path, options)?;
            table_from_rows(path, rows, options, None)?
        }
        StatusFormat::Xlsx => {
            let (_, sheet, rows) = sheet_rows(path, options.sheet.as_deref())?;
            table_from_rows(path, rows.into_iter().map(Ok), options, Some(sheet))?
        }
        StatusFormat::Fhir | StatusFormat::Hl7 if !options.keep.is_empty() => {
            return Err(Error::invalid(
                "keep-column",
                format!(
                    "{}: FHIR and HL7 sources have no columns to keep; --keep-column applies to CSV and workbooks",
                    path.display()
                ),
            ));
        }
        StatusFormat::Fhir => super::fhir::read(path, progress)?,
        StatusFormat::Hl7 => super::hl7::read(path, progress)?,
    };
    read.format = Some(format);
    if read.table.counts.is_empty() {
        return Err(Error::input(path.display().to_string(), "content", "no status values found"));
    }
    Ok(read)
}

/// The headers, first rows and guessed mapping of a tabular export (CSV or a sheet).
pub fn preview_status(path: &Path, options: &StatusOptions) -> Result<StatusPreview> {
    let format = match options.format {
        Some(f) => f,
        None => StatusFormat::detect(path, None)?,
    };
    let (sheets, sheet, mut rows): (Vec<String>, Option<String>, Vec<Vec<String>>) = match format {
        StatusFormat::Csv => (
            vec![],
            None,
            csv_rows(path, options)?.take(21).collect::<Result<Vec<_>>>()?.into_iter().map(|r| r.1).collect(),
        ),
        StatusFormat::Xlsx => {
            let (sheets, sheet, rows) = sheet_rows(path, options.sheet.as_deref())?;
            (sheets, Some(sheet), rows.into_iter().take(21).map(|r| r.1).collect())
        }
        StatusFormat::Fhir | StatusFormat::Hl7 => {
            return Ok(StatusPreview { format: Some(format), ..StatusPreview::default() });
        }
    };
    let headers = if rows.is_empty() { Vec::new() } else { rows.remove(0) };
    let columns = options.columns.guess(&headers);
    Ok(StatusPreview { format: Some(format), sheets, sheet, headers, rows, columns })
}

use crate::sources::csvfile::Row;

fn csv_rows(path: &Path, options: &StatusOptions) -> Result<impl Iterator<Item = Result<Row>>> {
    let delimiter = match options.delimiter {
        Some(c) if c.is_ascii() => Some(c as u8),
        Some(c) => {
            return Err(Error::invalid("delimiter", format!("must be one ASCII character, not {c:?}")));
        }
        None => None,
    };
    rows(path, delimiter, options.encoding.as_deref())
}

/// The most one part of a workbook (a sheet's XML, the shared strings) may inflate to: a sheet of
/// about a million cells. Larger workbooks are refused; export CSV instead.
pub const MAX_WORKBOOK_PART_BYTES: u64 = 128 << 20;
/// The most all parts of a workbook together may inflate to.
pub const MAX_WORKBOOK_BYTES: u64 = 256 << 20;

/// Checks a workbook's parts before the workbook reader inflates them: each part's declared size,
/// then its actual inflated size and ratio while inflating it to nowhere, so a zip bomb is refused
/// at the limit with flat memory. Legacy `.xls` files are not compressed and are not checked.
fn check_workbook(path: &Path) -> Result<()> {
    use crate::sources::limits::{Inflating, limit_of};
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let Ok(mut archive) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        // Not a zip (an .xls, or no workbook at all): the workbook reader says what it is.
        return Ok(());
    };
    let refuse = |message: String| Error::input(path.display().to_string(), "workbook", message);
    let mut total = 0u64;
    for i in 0..archive.len() {
        let Ok(mut part) = archive.by_index(i) else { return Ok(()) };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        if part.size() > MAX_WORKBOOK_PART_BYTES {
            return Err(refuse(format!(
                "its part {name:?} declares {} MiB, over the limit of {} MiB for one part of a workbook; export the sheet as CSV",
                part.size() >> 20,
                MAX_WORKBOOK_PART_BYTES >> 20
            )));
        }
        let compressed = std::rc::Rc::new(std::cell::Cell::new(part.compressed_size()));
        let left = (MAX_WORKBOOK_BYTES - total).min(MAX_WORKBOOK_PART_BYTES);
        let mut inflating = Inflating::with_max(&mut part, compressed, left);
        match std::io::copy(&mut inflating, &mut std::io::sink()) {
            Ok(n) => total += n,
            Err(e) => match limit_of(&e) {
                Some(limit) => {
                    return Err(refuse(format!(
                        "{} (part {name:?}; a workbook may inflate to {} MiB, one part to {} MiB)",
                        limit.0,
                        MAX_WORKBOOK_BYTES >> 20,
                        MAX_WORKBOOK_PART_BYTES >> 20
                    )));
                }
                // A damaged part: the workbook reader reports it in its own words.
                None => return Ok(()),
            },
        }
    }
    Ok(())
}

fn workbook_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::input(
        path.display().to_string(),
        "workbook",
        format!("cannot read the workbook ({e}); save it again as .xlsx or export CSV"),
    )
}

/// The workbook's sheet names, and the rows of sheet `name` (default: the first) as text, with
/// "row N" locations: the workbook is checked and opened once.
fn sheet_rows(path: &Path, name: Option<&str>) -> Result<(Vec<String>, String, Vec<Row>)> {
    use calamine::Reader;
    check_workbook(path)?;
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| workbook_error(path, e))?;
    let names = workbook.sheet_names().to_vec();
    let sheet = match name {
        Some(n) => names.iter().find(|s| s.eq_ignore_ascii_case(n)).cloned().ok_or_else(|| {
            Error::input(
                path.display().to_string(),
                "sheet",
                format!("no sheet named {n:?}; the sheets are: {}", names.join(", ")),
            )
        })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::input(path.display().to_string(), "sheet", "the workbook has no sheets"))?,
    };
    let range = workbook.worksheet_range(&sheet).map_err(|e| workbook_error(path, e))?;
    let start = range.start().map_or(0, |(r, _)| r as usize);
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let cells = row.iter().map(cell_text).collect();
            (format!("sheet {sheet:?} row {}", start + i + 1), cells)
        })
        .collect();
    Ok((names, sheet, rows))
}

fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string().trim().to_string(),
    }
}

/// Whether a header names a count in one of the usual ways: a word such as count, records,
/// total, volume, frequency or occurrences ("Result Count", "Order volume"), or "number of …",
/// "no. of …", "# …" ("Number of orders", "# records").
pub fn is_count_header(header: &str) -> bool {
    let h = normalize_header(header);
    const WORDS: [&str; 10] = [
        "count",
        "counts",
        "records",
        "total",
        "volume",
        "frequency",
        "occurrences",
        "cnt",
        "qty",
        "quantity",
    ];
    let words: Vec<&str> = h.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.iter().any(|w| WORDS.contains(w))
        || h.starts_with("number of ")
        || h.starts_with("no. of ")
        || h.starts_with("no of ")
        || h.starts_with('#')
        || h == "n"
}

/// Whether a header names the status a row counts ("Result Status", "Order state"), not the field
/// it belongs to ("Status field", "Status type").
pub fn is_status_header(header: &str) -> bool {
    let h = normalize_header(header);
    let words: Vec<&str> = h.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.iter().any(|w| matches!(*w, "status" | "state"))
        && !words.iter().any(|w| matches!(*w, "field" | "type" | "name" | "date" | "time" | "by"))
}

/// Whether a header names where the rows were counted ("Hospital Name", "Facility ID", "Site").
pub fn is_facility_header(header: &str) -> bool {
    let h = normalize_header(header);
    h.split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "facility" | "site" | "hospital" | "campus" | "location" | "clinic"))
}

/// The field a value column stands for when the file has no field column: its own header when
/// that names one ("Result Status"), not a generic one ("Status", "Value", "Code").
fn field_of_header(header: &str) -> Option<String> {
    let generic = ["value", "status", "status value", "code", "status code", "state"];
    (!generic.contains(&normalize_header(header).as_str())).then(|| header.trim().to_string())
}

/// Turns header + rows into a table using the mapping (guessed where unset).
fn table_from_rows(
    path: &Path,
    rows: impl Iterator<Item = Result<Row>>,
    options: &StatusOptions,
    sheet: Option<String>,
) -> Result<StatusRead> {
    let file = path.display().to_string();
    let mut rows = rows.peekable();
    let Some(header) = rows.next() else {
        return Err(Error::input(file, "line 1", "the file is empty: a header line is needed"));
    };
    let (header_at, headers) = header?;
    let columns = options.columns.guess(&headers);
    let index = |name: &Option<String>, part: &str| -> Result<Option<usize>> {
        name.as_deref().map(|n| column_index(&file, &header_at, &headers, n, part)).transpose()
    };
    let value_col = index(&columns.value, "value")?.ok_or_else(|| {
        Error::input(
            file.clone(),
            header_at.clone(),
            format!("no value column found; name it with --value (the columns are: {})", headers.join(", ")),
        )
    })?;
    let field_col = index(&columns.field, "field")?;
    let facility_col = index(&columns.facility, "facility")?;
    let count_col = index(&columns.count, "count")?;
    if count_col.is_none() && !options.rows_are_records {
        return Err(Error::input(
            file.clone(),
            header_at.clone(),
            format!(
                "no count column found among the columns {}: name it with --count COLUMN (Baton recognises headers such as Count, Records, Total, Volume, Result Count, Number of orders), or pass --each-row-is-one-record if every row is one record; nothing was imported",
                headers.iter().map(|h| format!("“{h}”")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let description_col = index(&columns.description, "description")?;
    let mut kept = KeptCounter::new(&options.keep, &headers, &file, &header_at)?;
    let kept_cols: Vec<usize> =
        kept.names().iter().filter_map(|n| headers.iter().position(|h| h == n)).collect();
    let used = [Some(value_col), field_col, facility_col, count_col, description_col];
    let mut dropped: Vec<String> = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(&Some(*i)) && !kept_cols.contains(i))
        .map(|(_, h)| h.clone())
        .collect();
    dropped.sort();
    let default_field =
        options.field_name.clone().or_else(|| field_of_header(&headers[value_col])).unwrap_or_else(|| {
            path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "Status".to_string())
        });
    let source = path.file_name().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let mut table = StatusTable::default();
    for row in rows {
        let (at, cells) = row?;
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map_or("", |c| c.as_str());
        let value = cell(Some(value_col));
        if value.is_empty() && cells.iter().all(String::is_empty) {
            continue;
        }
        if value.is_empty() {
            return Err(Error::input(file, at, "the value is empty"));
        }
        let field = match cell(field_col) {
            "" => default_field.as_str(),
            f => f,
        };
        let count = match count_col {
            None => 1,
            Some(_) => {
                let text = cell(count_col).replace([',', ' '], "");
                text.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    Error::input(
                        file.clone(),
                        at.clone(),
                        format!("the count {:?} is not a whole number of zero or more", cell(count_col)),
                    )
                })?
            }
        };
        table.add(field, &source, value, cell(facility_col), count);
        for (k, &i) in kept_cols.iter().enumerate() {
            kept.add(k, cell(Some(i)), count.unsigned_abs());
        }
        let description = cell(description_col);
        if !description.is_empty() {
            let key = (
                crate::sources::clean_name(field).into_owned(),
                crate::sources::clean_name(value).into_owned(),
            );
            table.descriptions.insert(key, crate::sources::clean_name(description).into_owned());
        }
        table.records += 1;
    }
    Ok(StatusRead { format: None, columns, sheet, dropped, table, kept: kept.finish() })
}
