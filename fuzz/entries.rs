//! What each fuzz target does with its input, shared by the fuzz targets (`fuzz_targets/`) and by
//! the stable test that replays the committed corpora (`tests/imports/fuzz_corpus.rs`). Each entry
//! returns normally whatever the bytes are: an error is a result, a panic or a hang is a bug.

// Each fuzz target uses one entry; the replaying test uses them all.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use baton::design::guard::{Dialect, parse, render, scope};
use baton::import::{StatusFormat, StatusOptions, read_status};
use baton::mining::{LogFormat, LogOptions, read_log};
use baton::model::{EventField, FieldKind};
use baton::progress::Progress;
use baton::telemetry::{TelemetryOptions, read_telemetry};

/// What a target does with one input.
pub type Entry = fn(&[u8]);

/// Every target by name, as `cargo fuzz` and the corpus folders call them.
pub const TARGETS: [(&str, Entry); 11] = [
    ("status_csv", status_csv),
    ("status_xlsx", status_xlsx),
    ("status_fhir", status_fhir),
    ("status_hl7", status_hl7),
    ("log_csv", log_csv),
    ("log_xes", log_xes),
    ("log_parquet", log_parquet),
    ("log_aggregate", log_aggregate),
    ("telemetry", telemetry),
    ("bundle_yaml", bundle_yaml),
    ("guard", guard),
];

/// `data` written to a file named `name` in a fresh folder, for `read` to read.
fn as_file(data: &[u8], name: &str, read: impl FnOnce(&Path)) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, data).expect("write");
    read(&path);
}

fn status(data: &[u8], name: &str, format: StatusFormat) {
    as_file(data, name, |path| {
        let options = StatusOptions { format: Some(format), ..StatusOptions::default() };
        let _ = read_status(path, &options, &Progress::new());
    });
}

fn log(data: &[u8], name: &str, format: LogFormat) {
    as_file(data, name, |path| {
        let options = LogOptions { format: Some(format), ..LogOptions::default() };
        let _ = read_log(path, &options, &Progress::new());
    });
}

/// Any bytes as a partial log aggregate (`baton import aggregate`), read as JSON and as CSV.
pub fn log_aggregate(data: &[u8]) {
    for name in ["aggregate.json", "aggregate.csv"] {
        as_file(data, name, |path| {
            let _ = baton::mining::LogAggregate::read(path);
        });
    }
}

/// Any bytes as a status export (CSV).
pub fn status_csv(data: &[u8]) {
    status(data, "input.csv", StatusFormat::Csv);
}

/// Any bytes as a status export (an Excel workbook).
pub fn status_xlsx(data: &[u8]) {
    status(data, "input.xlsx", StatusFormat::Xlsx);
}

/// Any bytes as a status export (FHIR JSON or NDJSON).
pub fn status_fhir(data: &[u8]) {
    status(data, "input.ndjson", StatusFormat::Fhir);
}

/// Any bytes as a status export (HL7 v2).
pub fn status_hl7(data: &[u8]) {
    status(data, "input.hl7", StatusFormat::Hl7);
}

/// Any bytes as an event log (CSV).
pub fn log_csv(data: &[u8]) {
    log(data, "input.csv", LogFormat::Csv);
}

/// Any bytes as an event log (XES).
pub fn log_xes(data: &[u8]) {
    log(data, "input.xes", LogFormat::Xes);
}

/// Any bytes as an event log (Parquet), its usual columns named.
pub fn log_parquet(data: &[u8]) {
    as_file(data, "input.parquet", |path| {
        let options = LogOptions {
            format: Some(LogFormat::Parquet),
            columns: baton::mining::LogColumns {
                case: Some("case_id".into()),
                activity: Some("activity".into()),
                timestamp: Some("ts".into()),
                ..Default::default()
            },
            ..LogOptions::default()
        };
        let _ = read_log(path, &options, &Progress::new());
    });
}

/// Any bytes as task telemetry (CSV, JSON lines or FHIR Task histories, as the content says).
pub fn telemetry(data: &[u8]) {
    as_file(data, "input.csv", |path| {
        let _ = read_telemetry(path, &TelemetryOptions::default(), &Progress::new());
    });
}

/// The sample bundle, from the main crate or from `fuzz/`.
fn sample() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let main = here.join("sample-projects/respiratory-network");
    if main.is_dir() { main } else { here.join("../sample-projects/respiratory-network") }
}

/// Any bytes as one interview file of an otherwise valid bundle (the sample's model files).
pub fn bundle_yaml(data: &[u8]) {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in baton::bundle::MODEL_FILES {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(sample().join(file), to).expect("copy");
    }
    std::fs::create_dir_all(dir.path().join("interviews")).expect("mkdir");
    std::fs::write(dir.path().join("interviews/rt-north-night.yaml"), data).expect("write");
    let _ = baton::bundle::read_dir(dir.path());
}

/// Any text as a guard expression over an event with a number, a text and a yes/no field; what
/// parses is rendered in every dialect.
pub fn guard(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fields = [
        EventField { name: "spo2".into(), kind: FieldKind::Number },
        EventField { name: "site".into(), kind: FieldKind::String },
        EventField { name: "urgent".into(), kind: FieldKind::Boolean },
    ];
    if let Ok(guard) = parse(text, &scope(&fields)) {
        for dialect in [Dialect::Baton, Dialect::Feel, Dialect::Jq, Dialect::EcmaScript, Dialect::Scxml] {
            let _ = render(&guard, dialect);
        }
    }
}
