//! Event-log reading and discovery: equality with pm4py on the public reference logs, ordering
//! rules, time zones, CSV dialects, and clear errors for broken logs.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod errors;
mod parallel;
mod parquet;
mod times;

use std::path::{Path, PathBuf};

use baton::mining::{Discovery, LogColumns, LogOptions, discover};
use baton::progress::Progress;
use serde_json::Value;

pub fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(name)
}

pub fn run(path: &Path, options: &LogOptions) -> Discovery {
    discover(path, options, &Progress::new()).unwrap().0
}

pub fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Baton's discovery equals pm4py's (`scripts/expected-dfg.py` wrote the expected files).
fn check_against_pm4py(log: &str, expected: &str) {
    let found = run(&shared(log), &LogOptions::default());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mining/expected").join(expected);
    let want: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(found.events, want["events"].as_u64().unwrap(), "{log}: events");
    assert_eq!(found.cases, want["cases"].as_u64().unwrap(), "{log}: cases");
    let starts: Vec<(String, u64)> =
        found.start_activities.iter().map(|a| (a.name.clone(), a.count)).collect();
    let want_starts: Vec<(String, u64)> = want["start_activities"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(starts, want_starts, "{log}: start activities");
    let ends: Vec<(String, u64)> = found.end_activities.iter().map(|a| (a.name.clone(), a.count)).collect();
    let want_ends: Vec<(String, u64)> = want["end_activities"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(ends, want_ends, "{log}: end activities");
    let want_edges = want["edges"].as_array().unwrap();
    assert_eq!(found.edges.len(), want_edges.len(), "{log}: number of edges");
    for (e, w) in found.edges.iter().zip(want_edges) {
        assert_eq!(
            (e.from.as_str(), e.to.as_str()),
            (w["from"].as_str().unwrap(), w["to"].as_str().unwrap())
        );
        assert_eq!(e.count, w["count"].as_u64().unwrap(), "{log}: {} -> {}", e.from, e.to);
        for (mine, theirs) in [(e.mean_seconds, &w["mean_seconds"]), (e.median_seconds, &w["median_seconds"])]
        {
            let theirs = theirs.as_f64().unwrap();
            assert!(
                (mine - theirs).abs() <= 1e-6 * theirs.abs().max(1.0),
                "{log}: {} -> {}: {mine} vs {theirs}",
                e.from,
                e.to
            );
        }
    }
    let variants: Vec<(Vec<String>, u64)> =
        found.variants.iter().map(|v| (v.activities.clone(), v.count)).collect();
    let want_variants: Vec<(Vec<String>, u64)> = want["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let acts = v[0].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect();
            (acts, v[1].as_u64().unwrap())
        })
        .collect();
    assert_eq!(variants, want_variants, "{log}: variants");
    let total: u64 = found.activities.iter().map(|a| a.count).sum();
    assert_eq!(total, found.events);
}

#[test]
fn running_example_csv_equals_pm4py() {
    check_against_pm4py("running-example.csv", "running-example-csv.json");
}

#[test]
fn running_example_xes_equals_pm4py() {
    check_against_pm4py("running-example.xes", "running-example-xes.json");
}

#[test]
fn hospital_log_xes_gz_equals_pm4py() {
    check_against_pm4py("hospital_log_high.xes.gz", "hospital_log_high-xes-gz.json");
}

#[test]
fn split_reading_of_a_large_xes_equals_a_single_pass() {
    // Uncompress the hospital log (over the 8 MB split threshold) and read it on 1 and 2 threads.
    let dir = tempfile::tempdir().unwrap();
    let mut text = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(shared("hospital_log_high.xes.gz")).unwrap()),
        &mut text,
    )
    .unwrap();
    assert!(text.len() > 8 << 20);
    let path = write(&dir, "hospital.xes", &text);
    let one = run(&path, &LogOptions { threads: 1, ..LogOptions::default() });
    let two = run(&path, &LogOptions { threads: 2, ..LogOptions::default() });
    assert_eq!(one, two);
    assert_eq!(one.events, 69_528);
}

#[test]
fn ties_keep_file_order_and_cases_may_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "case,activity,timestamp\n\
        a,Order,2024-03-01T08:00:00Z\n\
        b,Order,2024-03-01T08:00:00Z\n\
        a,Chart,2024-03-01T09:00:00Z\n\
        a,Review,2024-03-01T09:00:00Z\n\
        b,Review,2024-03-01T10:00:00Z\n\
        b,Chart,2024-03-01T10:00:00Z\n\
        a,Sign,2024-03-01T08:30:00Z\n";
    let found = run(&write(&dir, "log.csv", csv.as_bytes()), &LogOptions::default());
    let variants: Vec<_> = found.variants.iter().map(|v| v.activities.join(">")).collect();
    // a: Order 8:00, Sign 8:30, Chart 9:00, Review 9:00 (file order); b: Order, Review, Chart.
    assert_eq!(variants, ["Order>Review>Chart", "Order>Sign>Chart>Review"]);
    let sign = found.edges.iter().find(|e| e.from == "Order" && e.to == "Sign").unwrap();
    assert_eq!((sign.count, sign.mean_seconds, sign.median_seconds), (1, 1800.0, 1800.0));
    assert_eq!(found.cases, 2);
}

#[test]
fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("case,activity,timestamp\n");
    for (i, minutes) in [10, 20, 40, 100].iter().enumerate() {
        csv.push_str(
            &format!("c{i},A,2024-03-01T08:00:00Z\nc{i},B,2024-03-01T08:{minutes:02}:00Z\n")
                .replace(":100:", ":59:"),
        );
    }
    let found = run(&write(&dir, "log.csv", csv.as_bytes()), &LogOptions::default());
    let e = &found.edges[0];
    assert_eq!(e.count, 4);
    assert_eq!(e.median_seconds, 30.0 * 60.0);
    assert_eq!(e.mean_seconds, (10.0 + 20.0 + 40.0 + 59.0) * 60.0 / 4.0);
}

#[test]
fn zone_less_times_are_read_in_the_facility_zone() {
    let dir = tempfile::tempdir().unwrap();
    // Across the US spring-forward night: 01:30 EST → 03:30 EDT is one hour.
    let csv = "case;activity;time;site\n\
        x;Order;2024-03-10 01:30;Lakeview\n\
        x;Chart;2024-03-10 03:30;Lakeview\n\
        y;Order;2024-03-10 01:30;North\n\
        y;Chart;2024-03-10 03:30;North\n";
    let path = write(&dir, "log.csv", csv.as_bytes());
    let mut options = LogOptions::default();
    options.facility_zones.insert("lakeview".into(), "America/New_York".into());
    let (agg, report) = baton::mining::read_log(&path, &options, &Progress::new()).unwrap();
    assert_eq!(report.columns.facility.as_deref(), Some("site"));
    let mut seconds: Vec<(String, i64)> = agg
        .edges
        .iter()
        .map(|(&(f, _, _), t)| (agg.facilities.name(f).to_string(), t.micros[0] / 1_000_000))
        .collect();
    seconds.sort();
    assert_eq!(seconds, [("Lakeview".to_string(), 3600), ("North".to_string(), 7200)]);
}

#[test]
fn chosen_timestamp_format_and_windows_1252_with_semicolons() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"Fall;T\xe4tigkeit;Zeitpunkt\n".to_vec();
    bytes.extend_from_slice(b"1;Aufnahme;01/03/2024 08:00\n1;Pr\xfcfung;01/03/2024 09:15\n");
    let path = write(&dir, "log.csv", &bytes);
    let options = LogOptions {
        columns: LogColumns {
            case: Some("Fall".into()),
            activity: Some("Tätigkeit".into()),
            timestamp: Some("Zeitpunkt".into()),
            ..LogColumns::default()
        },
        timestamp_format: Some("%d/%m/%Y %H:%M".into()),
        ..LogOptions::default()
    };
    let found = run(&path, &options);
    assert_eq!(found.edges[0].to, "Prüfung");
    assert_eq!(found.edges[0].mean_seconds, 4500.0);
}

#[test]
fn utf8_bom_and_resource_to_role_table() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "\u{feff}case:concept:name,concept:name,time:timestamp,org:resource,Patient Name\n\
        1,Chart,2024-03-01T08:00:00Z,Nurse 1,Jane Doe\n\
        1,Review,2024-03-01T09:00:00Z,Doc A,Jane Doe\n\
        1,Sign,2024-03-01T09:30:00Z,Clerk 9,Jane Doe\n";
    let path = write(&dir, "log.csv", csv.as_bytes());
    let mut options = LogOptions::default();
    options.resource_roles.insert("Nurse 1".into(), "RN".into());
    options.resource_roles.insert("Doc A".into(), "MD".into());
    let (agg, report) = baton::mining::read_log(&path, &options, &Progress::new()).unwrap();
    assert_eq!(report.dropped, ["Patient Name"]);
    assert_eq!((report.resources, report.resources_without_role), (3, 1));
    let mut roles: Vec<&str> = (0..agg.roles.len() as u32).map(|r| agg.roles.name(r)).collect();
    roles.sort();
    assert_eq!(roles, ["MD", "RN"]);
}

#[test]
fn xes_attribute_keys_can_be_kept_as_counts() {
    let path = shared("running-example.xes");
    let options = LogOptions { keep: vec!["org:resource".into()], ..LogOptions::default() };
    let (_, report) = baton::mining::read_log(&path, &options, &Progress::new()).unwrap();
    assert_eq!(report.kept.len(), 1);
    let total: u64 = report.kept[0].values.iter().map(|v| v.count).sum();
    assert_eq!(total, 42, "every event names its resource");
    assert!(!report.dropped.contains(&"org:resource".to_string()));
    let missing = LogOptions { keep: vec!["ward".into()], ..LogOptions::default() };
    let err = baton::mining::read_log(&path, &missing, &Progress::new()).unwrap_err().to_string();
    assert!(err.contains("no column \"ward\" to keep") && err.contains("concept:name"), "{err}");
}
