//! FHIR R4 resources (a Bundle, NDJSON, or one resource): the status values of Task (status and
//! businessStatus), ServiceRequest, Encounter, Observation, DocumentReference (docStatus) and
//! Composition, counted per facility. The facility is the id of the first Location or
//! Organization the resource refers to (location, serviceProvider, owner, custodian, performer).
//! Tolerant: other resource types and unknown elements are skipped.

use std::io::BufRead;
use std::path::Path;

use serde_json::Value;

use super::status::{StatusRead, StatusTable};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::sources::MAX_FIELD_BYTES;

pub(super) fn read(path: &Path, progress: &Progress) -> Result<StatusRead> {
    let mut table = StatusTable::default();
    let mut skipped = std::collections::BTreeSet::new();
    for_each_resource(path, progress, |_, resource| {
        count_resource(resource, &mut table, &mut skipped);
        Ok(())
    })?;
    Ok(StatusRead {
        dropped: skipped.into_iter().map(|t| format!("{t} resources")).collect(),
        table,
        ..StatusRead::default()
    })
}

/// Calls `each` with every resource of a FHIR file (a Bundle's entries, NDJSON lines, or one
/// resource) and where it is (`entry N`, `line N`, or `resource`).
pub(crate) fn for_each_resource(
    path: &Path,
    progress: &Progress,
    mut each: impl FnMut(&str, &Value) -> Result<()>,
) -> Result<()> {
    let file = path.display().to_string();
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    progress.set_total(size);
    let first = first_char(path);
    let mut input = std::io::BufReader::new(std::fs::File::open(path).map_err(|e| Error::io(path, e))?);
    // A byte-order mark is not JSON; files saved by Windows tools often start with one.
    if std::io::BufRead::fill_buf(&mut input).map_err(|e| Error::io(path, e))?.starts_with(b"\xef\xbb\xbf") {
        std::io::BufRead::consume(&mut input, 3);
    }
    if first == Some('{') && !is_ndjson(path)? {
        let doc: Value = serde_json::from_reader(input).map_err(|e| json_error(&file, &e))?;
        return match doc.get("resourceType").and_then(Value::as_str) {
            Some("Bundle") => {
                for (i, entry) in doc.get("entry").and_then(Value::as_array).into_iter().flatten().enumerate()
                {
                    if let Some(resource) = entry.get("resource") {
                        each(&format!("entry {}", i + 1), resource)?;
                    }
                }
                Ok(())
            }
            Some(_) => each("resource", &doc),
            None => {
                Err(Error::input(file, "resourceType", "not a FHIR resource or Bundle (no resourceType)"))
            }
        };
    }
    for (i, line) in input.split(b'\n').enumerate() {
        let line = line.map_err(|e| Error::io(path, e))?;
        progress.advance(line.len() as u64 + 1);
        let at = format!("line {}", i + 1);
        if line.len() > MAX_FIELD_BYTES * 16 {
            return Err(Error::input(file, at, "the line is longer than the limit of 16 MB"));
        }
        let text = std::str::from_utf8(&line)
            .map_err(|_| Error::input(file.clone(), at.clone(), "not valid UTF-8 (FHIR JSON is UTF-8)"))?;
        let text = text.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            continue;
        }
        let resource: Value = serde_json::from_str(text)
            .map_err(|e| Error::input(file.clone(), at.clone(), format!("not valid JSON ({e})")))?;
        each(&at, &resource)?;
        if i % 4096 == 0 {
            progress.check("reading FHIR resources")?;
        }
    }
    Ok(())
}

fn first_char(path: &Path) -> Option<char> {
    let text = std::fs::File::open(path)
        .and_then(|f| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::Read::take(f, 256), &mut s).map(|_| s)
        })
        .unwrap_or_default();
    text.trim_start_matches('\u{feff}').trim_start().chars().next()
}

/// NDJSON when the file name says so, or when the first line is a whole JSON object.
fn is_ndjson(path: &Path) -> Result<bool> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ndjson")) {
        return Ok(true);
    }
    let mut first = String::new();
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    std::io::BufReader::new(std::io::Read::take(file, 1 << 20))
        .read_line(&mut first)
        .map_err(|e| Error::io(path, e))?;
    Ok(serde_json::from_str::<Value>(first.trim().trim_start_matches('\u{feff}'))
        .is_ok_and(|v| v.is_object())
        && first.ends_with('\n'))
}

fn json_error(file: &str, e: &serde_json::Error) -> Error {
    Error::input(file, format!("line {} column {}", e.line(), e.column()), format!("not valid JSON ({e})"))
}

/// The status elements Baton reads, per resource type: (element, field name).
fn status_elements(resource_type: &str) -> &'static [(&'static str, &'static str)] {
    match resource_type {
        "Task" => &[("status", "Task.status"), ("businessStatus", "Task.businessStatus")],
        "ServiceRequest" => &[("status", "ServiceRequest.status")],
        "Encounter" => &[("status", "Encounter.status")],
        "Observation" => &[("status", "Observation.status")],
        "DocumentReference" => &[("docStatus", "DocumentReference.docStatus")],
        "Composition" => &[("status", "Composition.status")],
        _ => &[],
    }
}

fn count_resource(
    resource: &Value,
    table: &mut StatusTable,
    skipped: &mut std::collections::BTreeSet<String>,
) {
    let Some(kind) = resource.get("resourceType").and_then(Value::as_str) else { return };
    let elements = status_elements(kind);
    if elements.is_empty() {
        skipped.insert(kind.to_string());
        return;
    }
    table.records += 1;
    let facility = facility_of(resource).unwrap_or_default();
    for (element, field) in elements {
        if let Some(value) = resource.get(*element).and_then(code_of) {
            table.add(field, &format!("FHIR {kind}"), &value, &facility, 1);
        }
    }
}

/// A code: a plain string, or a CodeableConcept's text, first coding's code or display.
pub(crate) fn code_of(v: &Value) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_string());
    }
    let coding = v.get("coding").and_then(Value::as_array).and_then(|c| c.first());
    v.get("text")
        .and_then(Value::as_str)
        .or_else(|| coding.and_then(|c| c.get("code")).and_then(Value::as_str))
        .or_else(|| coding.and_then(|c| c.get("display")).and_then(Value::as_str))
        .map(str::to_string)
}

/// The id of the first Location or Organization reference in the usual places.
pub(crate) fn facility_of(resource: &Value) -> Option<String> {
    let candidates = [
        resource.get("location"),
        resource.pointer("/location/0/location"),
        resource.pointer("/locationReference/0"),
        resource.get("serviceProvider"),
        resource.get("owner"),
        resource.get("custodian"),
        resource.pointer("/performer/0"),
        resource.pointer("/performer/0/actor"),
    ];
    candidates.into_iter().flatten().find_map(|r| {
        let reference = r.get("reference").and_then(Value::as_str)?;
        let (kind, id) = reference.rsplit_once('/').map(|(k, id)| (k.rsplit('/').next().unwrap_or(k), id))?;
        (kind == "Location" || kind == "Organization").then(|| id.to_string())
    })
}
