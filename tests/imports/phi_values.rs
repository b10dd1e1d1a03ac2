//! No PHI in stored values: what an import stores (activities, roles, facilities, status values and
//! descriptions, telemetry steps) passes the identifier scan first; what looks like a patient
//! identifier becomes a stable placeholder unless the user confirms it, and kept columns that
//! look like identifiers need a second, explicit confirmation.

use std::collections::HashMap;
use std::path::Path;

use baton::Project;
use baton::import::{LogSettings, StatusOptions};
use baton::progress::Progress;

fn bytes_of(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(std::path::PathBuf::from(wal)).unwrap_or_default());
    bytes
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

const LOG: &str = "case,activity,timestamp,role\n\
c1,Open task,2026-03-01T08:00:00Z,RN\n\
c1,Close task for Mr. Smith,2026-03-01T08:30:00Z,RN\n\
c2,Open task,2026-03-01T09:00:00Z,RN\n\
c2,Close task for Mrs. Jones,2026-03-01T09:20:00Z,RN\n\
c3,Open task,2026-03-01T10:00:00Z,RN\n\
c3,Close task for Mr. Smith,2026-03-01T10:40:00Z,RN\n";

#[test]
fn log_activities_that_name_patients_are_stored_as_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = super::project(&dir);
    let log = dir.path().join("names.csv");
    std::fs::write(&log, LOG).unwrap();
    let summary = p.import_log(&log, &LogSettings::default(), HashMap::new(), &Progress::new()).unwrap();
    assert_eq!(summary.replaced.len(), 1, "{:?}", summary.replaced);
    let r = &summary.replaced[0];
    assert_eq!((r.place.as_str(), r.kind.as_str(), r.texts), ("activity", "patient name", 2));
    assert!(
        summary.lines().iter().any(|l| l.contains("replaced: 2 activities that looked like a patient name"))
    );
    let m = p.model().unwrap();
    let activities: Vec<String> =
        m.logs.iter().flat_map(|l| l.activities.iter().map(|a| a.activity.clone())).collect();
    let closing: Vec<&String> = activities.iter().filter(|a| a.starts_with("Close task for")).collect();
    assert_eq!(closing.len(), 2, "two patients stay two activities: {activities:?}");
    assert!(closing.iter().all(|a| a.starts_with("Close task for [patient name ")), "{closing:?}");
    // Stable: the same text gets the same placeholder on a re-import.
    p.import_log(&log, &LogSettings::default(), HashMap::new(), &Progress::new()).unwrap();
    let again: Vec<String> = p
        .model()
        .unwrap()
        .logs
        .iter()
        .flat_map(|l| l.activities.iter().map(|a| a.activity.clone()))
        .collect();
    assert_eq!(again, activities);
    let path = dir.path().join("p.baton");
    drop(p);
    let raw = bytes_of(&path);
    for name in ["Smith", "Jones"] {
        assert!(!holds(&raw, name), "{name} is stored in the project file");
    }
    let bundle = dir.path().join("bundle");
    let mut p = Project::open(&path).unwrap();
    p.export_bundle(&bundle).unwrap();
    for entry in walk(&bundle) {
        let text = std::fs::read(&entry).unwrap();
        assert!(!holds(&text, "Smith"), "{} holds a patient's name", entry.display());
    }
    assert!(baton::phi::scan_model(&p.model().unwrap()).is_empty(), "placeholders are not flagged");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

#[test]
fn a_confirmed_text_is_kept_as_it_is_and_the_audit_trail_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = super::project(&dir);
    let log = dir.path().join("names.csv");
    std::fs::write(&log, LOG).unwrap();
    let settings = LogSettings { allow_identifiers: vec!["Mr. Smith".into()], ..LogSettings::default() };
    let summary = p.import_log(&log, &settings, HashMap::new(), &Progress::new()).unwrap();
    assert_eq!(summary.allowed, 1);
    assert_eq!(summary.replaced[0].texts, 1, "Mrs. Jones is still replaced");
    let m = p.model().unwrap();
    assert!(m.logs.iter().any(|l| l.activities.iter().any(|a| a.activity == "Close task for Mr. Smith")));
    let audit = p.audit().unwrap();
    assert!(
        audit.iter().any(|e| e.action == "allow_identifier" && e.subject.contains("Mr. Smith")),
        "{audit:?}"
    );
    // What is stored as it is is still listed by the scan, for the hand-over check.
    assert!(baton::phi::scan_model(&m).iter().any(|f| f.text == "Mr. Smith" && f.place.contains("activity")));
}

#[test]
fn status_values_and_descriptions_with_identifiers_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = super::project(&dir);
    let csv = dir.path().join("status.csv");
    std::fs::write(
        &csv,
        "Field,Value,Site,Count,Description\n\
         Order Status,Pending for Mr. Smith DOB 01/02/1960,North Campus Hospital,3,Call (312) 555-0199\n\
         Order Status,Complete,North Campus Hospital,40,Done\n",
    )
    .unwrap();
    let summary = p.import_status(&csv, &StatusOptions::default(), &Progress::new()).unwrap();
    let places: Vec<(String, String)> =
        summary.replaced.iter().map(|r| (r.place.clone(), r.kind.clone())).collect();
    assert!(places.contains(&("value".into(), "patient name".into())), "{places:?}");
    assert!(places.contains(&("value".into(), "date of birth".into())), "{places:?}");
    assert!(places.contains(&("description".into(), "phone number".into())), "{places:?}");
    let m = p.model().unwrap();
    let values: Vec<&str> = m.emr_values.iter().map(|v| v.value.as_str()).collect();
    assert!(values.iter().all(|v| !v.contains("Smith") && !v.contains("1960")), "{values:?}");
    assert!(values.contains(&"Complete"));
    let report = dir.path().join("report.html");
    drop(p);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["report", dir.path().join("p.baton").to_str().unwrap(), "--format", "html", "-o"])
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(!html.contains("Smith") && !html.contains("555-0199"), "the report prints an identifier");
}

#[test]
fn a_kept_column_of_identifiers_needs_a_second_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = super::project(&dir);
    let before = p.model().unwrap();
    let log = dir.path().join("people.csv");
    std::fs::write(
        &log,
        "case,activity,timestamp,role,patient_name,ssn\n\
         c1,Open task,2026-03-01T08:00:00Z,RN,Ann Smith,123-45-6789\n\
         c1,Close task,2026-03-01T08:30:00Z,RN,Ann Smith,123-45-6789\n",
    )
    .unwrap();
    let keep = LogSettings { keep: vec!["patient_name".into(), "ssn".into()], ..LogSettings::default() };
    let err = p.import_log(&log, &keep, HashMap::new(), &Progress::new()).unwrap_err();
    assert_eq!(err.code(), "bad_input");
    let message = err.to_string();
    assert!(message.contains("people.csv") && message.contains("patient_name"), "{message}");
    assert!(message.contains("--keep-identifying-column"), "{message}");
    assert_eq!(p.model().unwrap(), before, "nothing imported");
    let confirmed = LogSettings { keep_identifying: vec!["patient_name".into(), "ssn".into()], ..keep };
    let summary = p.import_log(&log, &confirmed, HashMap::new(), &Progress::new()).unwrap();
    let lines = summary.lines().join("\n");
    assert!(!lines.contains("counts only"), "{lines}");
    assert!(
        lines.contains("kept: ssn (1 values: 123-45-6789 2), its values and their counts stored"),
        "{lines}"
    );
}

#[test]
fn telemetry_steps_that_hold_identifiers_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = super::project(&dir);
    let csv = dir.path().join("tasks.csv");
    std::fs::write(
        &csv,
        "task,workflow,version,step,event,role,facility,timestamp\n\
         t1,respiratory-assessment,1,Call back 312-555-0199,created,RN,North Campus Hospital,2026-03-01T08:00:00Z\n\
         t1,respiratory-assessment,1,Call back 312-555-0199,completed,RN,North Campus Hospital,2026-03-01T08:20:00Z\n",
    )
    .unwrap();
    let summary = p.import_telemetry(&csv, &Default::default(), &Progress::new()).unwrap();
    assert_eq!(summary.replaced.len(), 1, "{:?}", summary.replaced);
    assert_eq!(summary.replaced[0].place, "step");
    let groups = p.telemetry_groups().unwrap();
    assert!(groups.iter().all(|g| !g.step.contains("555")), "{groups:?}");
}

#[test]
fn baton_phi_scans_stored_values_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = super::project(&dir);
    // A facility added by hand with a patient's name: not an import, so not replaced, but listed.
    p.add_facility("Ward of Mrs. Alvarez", "UTC").unwrap();
    let found = baton::phi::scan_model(&p.model().unwrap());
    assert!(found.iter().any(|f| f.place == "facility (name)" && f.text == "Mrs. Alvarez"), "{found:?}");
    p.redact(&["Mrs. Alvarez"]).unwrap();
    assert!(baton::phi::scan_model(&p.model().unwrap()).is_empty());
}

#[test]
fn the_command_line_says_how_to_keep_a_replaced_text() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.baton");
    drop(Project::create(&project, "P").unwrap());
    let log = dir.path().join("names.csv");
    std::fs::write(&log, LOG).unwrap();
    let baton = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
            .args(["import", "log"])
            .arg(&project)
            .arg(&log)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = baton(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("replaced: 2 activities that looked like a patient name"), "{stderr}");
    assert!(stderr.contains("import again with --allow-identifiers TEXT"), "{stderr}");
    assert!(!stderr.contains("Smith"), "the terminal shows no original: {stderr}");
    let out = baton(&["--allow-identifiers", "Mr. Smith", "--allow-identifiers", "Mrs. Jones", "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["allowed"], 2);
    assert!(summary.get("flagged").is_none(), "originals never leave as JSON");
}
