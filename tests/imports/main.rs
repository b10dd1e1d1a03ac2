//! Importing status exports and event logs into a project, and the mismatch findings they feed.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use baton::Project;
use baton::findings::FindingKind;
use baton::import::{LogSettings, StatusOptions};
use baton::progress::Progress;

/// Every finding of `p`, as the app and `baton findings` compute them.
fn analyze(p: &baton::Project) -> baton::Result<Vec<baton::findings::Finding>> {
    baton::findings::analyze(&p.model()?, &Default::default(), &baton::progress::Progress::none())
}

pub(crate) fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network")
}

pub(crate) fn project(dir: &tempfile::TempDir) -> Project {
    let model = baton::bundle::read_dir(&sample_dir()).unwrap();
    Project::create_with(&dir.path().join("p.baton"), "P", &model).unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn the_sample_plants_every_mismatch_kind() {
    let p = baton::bundle::load_in_memory(&sample_dir()).unwrap();
    let kinds: Vec<FindingKind> = analyze(&p).unwrap().into_iter().map(|f| f.kind).collect();
    for kind in baton::findings::MISMATCH_KINDS {
        assert!(kinds.contains(&kind), "the sample shows {}", kind.as_str());
    }
}

#[test]
fn status_csv_with_semicolons_bom_and_spaced_thousands() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let csv = "\u{feff}Status Field;Status;Site;Records\r\nDischarge Status;Ready;North Campus Hospital;1 204\r\nDischarge Status;Ready;riverside;7\r\n";
    let file = write(&dir, "discharge.csv", csv.as_bytes());
    let s = p.import_status(&file, &StatusOptions::default(), &Progress::new()).unwrap();
    assert_eq!(s.columns.get("count").map(String::as_str), Some("Records"));
    assert_eq!(s.records, 2);
    let m = p.model().unwrap();
    let v = m.emr_values.iter().find(|v| v.value == "Ready").unwrap();
    let mut counts: Vec<(String, i64)> = m
        .emr_value_counts
        .iter()
        .filter(|c| c.value_id == v.id)
        .map(|c| (c.facility_id.clone(), c.count))
        .collect();
    counts.sort();
    assert_eq!(counts, [("north".to_string(), 1204), ("riverside".to_string(), 7)]);
    // The same file again changes nothing, and reuses the remembered mapping.
    let again = p.import_status(&file, &StatusOptions::default(), &Progress::new()).unwrap();
    assert!(again.remembered_mapping);
    assert_eq!(p.model().unwrap().emr_value_counts, m.emr_value_counts);
}

#[test]
fn a_count_column_is_recognised_or_the_import_stops() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    // Headed as consultants' exports head it: recognised, thousands separators read.
    for (header, name) in [
        ("Result Count", "a.csv"),
        ("Number of orders", "b.csv"),
        ("Volume", "c.csv"),
        ("# records", "d.csv"),
        ("n", "e.csv"),
        ("Total", "f.csv"),
    ] {
        let f = write(
            &dir,
            name,
            format!("Result Status,Site,{header}\nPreliminary,North,\"2,100\"\n").as_bytes(),
        );
        let s = p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap();
        assert_eq!(s.columns.get("count").map(String::as_str), Some(header), "{header}");
        let m = p.model().unwrap();
        let value = m.emr_values.iter().find(|v| v.value == "Preliminary").unwrap();
        let n: i64 = m.emr_value_counts.iter().filter(|c| c.value_id == value.id).map(|c| c.count).sum();
        assert_eq!(n, 2100, "{header}");
    }
    // Not recognised: the import stops, lists the columns and says how to name the count.
    let before = p.model().unwrap();
    let f = write(&dir, "g.csv", b"Result Status,Site,Widgets\nPreliminary,North,2100\n");
    let e = p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap_err().to_string();
    assert!(
        e.contains("g.csv")
            && e.contains("no count column")
            && e.contains("“Widgets”")
            && e.contains("--count"),
        "{e}"
    );
    assert_eq!(p.model().unwrap(), before, "nothing was imported");
    // Each row one record, on purpose.
    let once = StatusOptions { rows_are_records: true, ..StatusOptions::default() };
    let f = write(&dir, "h.csv", b"Result Status,Site\nPreliminary,North\nPreliminary,North\n");
    assert!(p.import_status(&f, &StatusOptions::default(), &Progress::new()).is_err());
    p.import_status(&f, &once, &Progress::new()).unwrap();
    assert!(baton::import::is_count_header("Result Count") && !baton::import::is_count_header("Account"));
    // The same for the facility: without a facility column, a project of several facilities
    // would pool their counts, so the import stops unless that is meant.
    let f = write(&dir, "i.csv", b"Result Status,Result Count\nPreliminary,40\n");
    let e = p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap_err().to_string();
    assert!(e.contains("i.csv") && e.contains("no facility column") && e.contains("--all-facilities"), "{e}");
    let pooled = StatusOptions { all_facilities: true, ..StatusOptions::default() };
    p.import_status(&f, &pooled, &Progress::new()).unwrap();
    // "Hospital Name" names the facility.
    let f = write(
        &dir,
        "j.csv",
        b"Result Status,Hospital Name,Result Count\nPreliminary,North Campus Hospital,40\n",
    );
    let s = p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap();
    assert_eq!(s.columns.get("facility").map(String::as_str), Some("Hospital Name"));
}

#[test]
fn fhir_ndjson_and_hl7_messages() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let ndjson = "{\"resourceType\":\"Task\",\"status\":\"ready\",\"businessStatus\":{\"coding\":[{\"code\":\"awaiting-rn\"}]},\"location\":{\"reference\":\"Location/north\"}}\n\
        {\"resourceType\":\"DocumentReference\",\"docStatus\":\"preliminary\",\"custodian\":{\"reference\":\"Organization/lakeview\"}}\n";
    let f = write(&dir, "tasks.ndjson", ndjson.as_bytes());
    let s = p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap();
    assert_eq!(s.fields, ["DocumentReference.docStatus", "Task.businessStatus", "Task.status"]);
    let hl7 = "MSH|^~\\&|EMR|RIVERSIDE|X|Y|20260302||ORM^O01|1|P|2.5\rORC|NW|A1|||IP\rOBR|1|A1||X|||||||||||||||||||||F\n";
    let f = write(&dir, "o.hl7", hl7.as_bytes());
    p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap();
    let m = p.model().unwrap();
    let field = m.emr_fields.iter().find(|x| x.name == "OBR-25 Result Status").unwrap();
    let value = m.emr_values.iter().find(|v| v.field_id == field.id).unwrap();
    assert_eq!(value.value, "F");
    assert!(m.emr_value_counts.iter().any(|c| c.value_id == value.id && c.facility_id == "riverside"));
}

#[test]
fn broken_sources_give_clear_errors_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let before = p.model().unwrap();
    let cases: [(&str, &[u8], &str); 5] = [
        ("bad.json", b"{\"resourceType\": \"Bundle\", \"entry\": [", "line 1"),
        ("bad.hl7", b"MSH|^~\\&|EMR|N\rthis is not hl7\r", "line 2"),
        ("bad.csv", b"Field,Status,Records\nX,Ready,many\n", "line 2"),
        ("none.csv", b"a,b\n1,2\n", "no value column"),
        ("bad.xlsx", b"PK\x03\x04 not a zip", "workbook"),
    ];
    for (name, bytes, expected) in cases {
        let f = write(&dir, name, bytes);
        let e = p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap_err().to_string();
        assert!(e.contains(name) && e.contains(expected), "{name}: {e}");
    }
    // Truncated sources, a huge field, the wrong encoding.
    let book = std::fs::read(sample_dir().join("inputs/oxygen-order-status.xlsx")).unwrap();
    let mut huge = b"Status,Count,Site\nReady,1,".to_vec();
    huge.extend(std::iter::repeat_n(b'x', 2 << 20));
    let more: [(&str, Vec<u8>, &str); 4] = [
        ("cut.xlsx", book[..book.len() / 2].to_vec(), "workbook"),
        (
            "cut.ndjson",
            b"{\"resourceType\": \"Task\", \"status\": \"ready\"}\n{\"resourceType\": \"Ta".to_vec(),
            "line 2",
        ),
        ("cut.hl7", b"MSH|^~\\&|EMR|NORTH|||2026".to_vec(), "cut short"),
        ("huge.csv", huge, "limit"),
    ];
    for (name, bytes, expected) in more {
        let f = write(&dir, name, &bytes);
        let e = p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap_err().to_string();
        assert!(e.contains(name) && e.contains(expected), "{name}: {e}");
    }
    let latin = write(&dir, "latin.csv", b"Status,Site,Count\nPr\xfcfung,North,1\n");
    let utf8 = StatusOptions { encoding: Some("utf-8".into()), ..StatusOptions::default() };
    let e = p.import_status(&latin, &utf8, &Progress::new()).unwrap_err().to_string();
    assert!(e.contains("latin.csv") && e.contains("line 2") && e.contains("--encoding"), "{e}");
    let log = write(&dir, "log.csv", b"case,activity,timestamp\n1,A,2024-01-01\n1,B,not a time\n");
    let e = p.import_log(&log, &LogSettings::default(), HashMap::new(), &Progress::new()).unwrap_err();
    assert!(e.to_string().contains("line 3"), "{e}");
    assert_eq!(p.model().unwrap(), before);
}

#[test]
fn a_cancelled_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let before = p.model().unwrap();
    let progress = Progress::new();
    progress.cancel();
    let log = sample_dir().join("inputs/respiratory-log.csv");
    let settings = LogSettings {
        columns: baton::mining::LogColumns { timestamp: Some("Performed At".into()), ..Default::default() },
        ..LogSettings::default()
    };
    let e = p.import_log(&log, &settings, HashMap::new(), &progress).unwrap_err();
    assert_eq!(e.code(), "cancelled");
    assert_eq!(p.model().unwrap(), before);
}

#[test]
fn log_import_keeps_aggregates_not_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let before = p.model().unwrap();
    let log = sample_dir().join("inputs/respiratory-log.csv");
    let settings = LogSettings {
        columns: baton::mining::LogColumns { timestamp: Some("Performed At".into()), ..Default::default() },
        ..LogSettings::default()
    };
    let s = p.import_log(&log, &settings, HashMap::new(), &Progress::new()).unwrap();
    assert!(s.dropped.contains(&"Patient MRN".to_string()));
    assert_eq!(s.cases, Some(300));
    let bundle = baton::bundle::render(&p.model().unwrap()).unwrap();
    for bytes in bundle.values() {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("MRN1") && !text.contains("E00001") && !text.contains("staff 3"),
            "no identifiers"
        );
    }
    let m = p.model().unwrap();
    let stored = m
        .logs
        .iter()
        .map(|l| l.activities.len() + l.edges.len() + l.roles.len() + l.variants.len())
        .sum::<usize>();
    assert!(stored < 200, "aggregates, not events: {stored} rows");
    // Undo reverses the import as one edit.
    p.undo().unwrap();
    assert_eq!(p.model().unwrap(), before);
}

mod aggregate;
mod bombs;
mod corpus;
mod engagements;
mod fuzz_corpus;
mod mapping;
mod phi_values;

#[test]
fn log_previews_show_rows_and_the_guessed_columns() {
    use baton::mining::{LogFormat, LogOptions, preview_log};
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let csv = preview_log(&sample_dir().join("inputs/respiratory-log.csv"), &LogOptions::default()).unwrap();
    assert_eq!(csv.format, LogFormat::Csv);
    assert_eq!(csv.rows.len(), 20);
    assert!(csv.rows.iter().all(|r| r.len() == csv.headers.len()));
    assert_eq!(csv.columns.case.as_deref(), Some("Encounter"));
    assert_eq!(csv.columns.activity.as_deref(), Some("Step"));
    // "Performed At" is not a usual timestamp name: the dialog leaves it to the consultant.
    assert_eq!(csv.columns.timestamp, None);
    let mut named = LogOptions::default();
    named.columns.timestamp = Some("Performed At".into());
    let csv = preview_log(&sample_dir().join("inputs/respiratory-log.csv"), &named).unwrap();
    assert_eq!(csv.columns.timestamp.as_deref(), Some("Performed At"));
    for name in ["running-example.xes", "hospital_log_high.xes.gz"] {
        let path = data.join(name);
        if !path.exists() {
            continue;
        }
        let xes = preview_log(&path, &LogOptions::default()).unwrap();
        assert!(!xes.rows.is_empty() && xes.rows.len() <= 20, "{name}");
        assert!(xes.headers.contains(&"case:concept:name".to_string()), "{name}: {:?}", xes.headers);
        assert_eq!(xes.columns.case.as_deref(), Some("case:concept:name"), "{name}");
        assert_eq!(xes.columns.activity.as_deref(), Some("concept:name"), "{name}");
        assert_eq!(xes.columns.timestamp.as_deref(), Some("time:timestamp"), "{name}");
    }
    let dir = tempfile::tempdir().unwrap();
    let empty = write(&dir, "empty.csv", b"");
    let err = preview_log(&empty, &LogOptions::default()).unwrap_err().to_string();
    assert!(err.contains("empty.csv") && err.contains("line 1"), "{err}");
}

mod kinds;

mod workbook;

#[test]
fn hl7_batches_and_mllp_frames_read_like_plain_messages() {
    let dir = tempfile::tempdir().unwrap();
    let message = |id: &str, status: &str| {
        format!("MSH|^~\\&|EMR|RIVERSIDE|X|Y|20260302||ORM^O01|{id}|P|2.5\rORC|NW|{id}|||{status}\r")
    };
    let plain = format!("{}{}", message("1", "IP"), message("2", "CM"));
    let batch = format!(
        "FHS|^~\\&|EMR|RIVERSIDE\rBHS|^~\\&|EMR|RIVERSIDE\r{}{}BTS|2\rFTS|1\r",
        message("1", "IP"),
        message("2", "CM")
    );
    let mllp = format!("\u{b}{}\u{1c}\r\u{b}{}\u{1c}\r", message("1", "IP"), message("2", "CM"));
    let counts = |name: &str, text: &str| {
        let dir = tempfile::tempdir().unwrap();
        let mut p = project(&dir);
        let f = write(&dir, name, text.as_bytes());
        let s = p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap();
        let m = p.model().unwrap();
        let mut values: Vec<(String, i64)> = m
            .emr_value_counts
            .iter()
            .filter(|c| c.facility_id == "riverside")
            .map(|c| (m.emr_values.iter().find(|v| v.id == c.value_id).unwrap().value.clone(), c.count))
            .collect();
        values.sort();
        (s.records, values)
    };
    let expected = counts("plain.hl7", &plain);
    assert_eq!(expected.0, 2);
    assert_eq!(counts("batch.hl7", &batch), expected, "a batch file");
    assert_eq!(counts("framed.hl7", &mllp), expected, "MLLP frames");
    drop(dir);
}

#[test]
fn names_lose_control_characters_and_surrounding_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let csv = "Field,Value,Site,Count\n\"Order Status \",\"Ready\",\"North\r\nCampus\",3\nOrder Status,Ready, North  Campus,2\n";
    let f = write(&dir, "names.csv", csv.as_bytes());
    p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap();
    let m = p.model().unwrap();
    assert!(m.facilities.iter().any(|f| f.name == "North Campus"), "{:?}", m.facilities);
    assert!(m.facilities.iter().all(|f| !f.name.contains(['\r', '\n'])));
    assert!(m.emr_fields.iter().any(|f| f.name == "Order Status"));
    let log = "case,activity,timestamp,role,facility\nc1,\" Assess\tpatient \",2026-03-01T08:00:00Z,RN,North\r\nc1,Assess patient,2026-03-01T09:00:00Z,RN,North\n";
    let f = write(&dir, "log.csv", log.as_bytes());
    p.import_log(&f, &LogSettings::default(), HashMap::new(), &Progress::new()).unwrap();
    let m = p.model().unwrap();
    let activities: Vec<&str> = m.logs[0].activities.iter().map(|a| a.activity.as_str()).collect();
    assert_eq!(activities, ["Assess patient"]);
}

#[test]
fn misleading_messages_now_say_what_the_file_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let xes = "<?xml version=\"1.0\"?><log><trace><string key=\"concept:name\" value=\"c\"/></trace></log>";
    let utf16: Vec<u8> =
        [0xff, 0xfe].into_iter().chain(xes.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let f = write(&dir, "utf16.xes", &utf16);
    let e =
        p.import_log(&f, &LogSettings::default(), HashMap::new(), &Progress::new()).unwrap_err().to_string();
    assert!(e.contains("UTF-16") && !e.contains("truncated"), "{e}");
    let f = write(&dir, "empty.xes", b"<?xml version=\"1.0\"?><log/>");
    let e =
        p.import_log(&f, &LogSettings::default(), HashMap::new(), &Progress::new()).unwrap_err().to_string();
    assert!(!e.contains("truncated"), "an empty log is not a truncated one: {e}");
    let fhir = "\u{feff}{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Task\",\"status\":\"ready\"}}]}";
    let f = write(&dir, "bom.json", fhir.as_bytes());
    let s = p.import_status(&f, &StatusOptions::default(), &Progress::new()).unwrap();
    assert_eq!(s.fields, ["Task.status"]);
}
