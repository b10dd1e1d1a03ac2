//! Partial aggregates of a log: split by whole cases (by facility, by the month a case started),
//! their merge imports exactly as the whole log does; split inside a case, the case's edge
//! between its halves is lost. And what is not an aggregate is refused, naming where.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use baton::Project;
use baton::import::LogSettings;
use baton::mining::{LogAggregate, read_log};
use baton::progress::Progress;

/// One event: case, activity, zone-less time, role, facility.
type Row = (String, String, String, String, String);

/// A log of `cases` cases at the sample's facilities (by id, by name, or none on a first event),
/// with transfers, events at the same minute, interleaved cases and events out of order.
fn generate(cases: usize) -> Vec<Row> {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let activities =
        ["Order placed", "Order verified", "Specimen collected", "Result posted", "Task reassigned"];
    let facilities = ["north", "Riverside Community Hospital", "lakeview"];
    let roles = ["RN", "MD", "Lab tech", ""];
    let mut rows = Vec::new();
    for c in 0..cases {
        let home = facilities[next(3) as usize];
        // Minutes since 2025-01-01T00:00, over about five months.
        let mut minute = next(60 * 24 * 150);
        let n = 1 + next(7) as usize;
        for i in 0..n {
            if i > 0 {
                minute += [0, 1, 5, 30, 240, 3000][next(6) as usize];
            }
            let activity = if i == 0 { activities[0] } else { activities[next(5) as usize] };
            let facility = match (i, next(20)) {
                (0, 0) => "",
                (3.., 1) => facilities[next(3) as usize],
                _ => home,
            };
            let (day, rest) = (minute / 1440, minute % 1440);
            let date = jiff::civil::date(2025, 1, 1).checked_add(jiff::Span::new().days(day as i64)).unwrap();
            let time = format!("{date}T{:02}:{:02}:00", rest / 60, rest % 60);
            rows.push((
                format!("ENC-{c:05}"),
                activity.to_string(),
                time,
                roles[next(4) as usize].to_string(),
                facility.to_string(),
            ));
        }
    }
    // Interleave the cases; shuffling also puts a case's events out of time order.
    for i in (1..rows.len()).rev() {
        rows.swap(i, next(i as u64 + 1) as usize);
    }
    rows
}

fn write_log(path: &Path, rows: &[&Row]) {
    let mut text = String::from("case,activity,timestamp,role,facility\n");
    for (c, a, t, r, f) in rows {
        text.push_str(&format!("{c},{a},{t},{r},\"{f}\"\n"));
    }
    std::fs::write(path, text).unwrap();
}

fn settings(threads: usize) -> LogSettings {
    LogSettings { threads, ..LogSettings::default() }
}

/// The partial aggregate of `log` for `project`, as `baton discover --partial --salt-from` writes it.
fn partial(project: &Project, log: &Path, threads: usize) -> PathBuf {
    let options = project.log_options(&settings(threads), Default::default()).unwrap();
    let (agg, _) = read_log(log, &options, &Progress::none()).unwrap();
    let out = log.with_extension("partial.json");
    std::fs::write(&out, LogAggregate::from_aggregates(&agg).to_json().unwrap()).unwrap();
    // The file reads back as the same aggregate.
    assert_eq!(LogAggregate::read(&out).unwrap(), LogAggregate::from_aggregates(&agg));
    out
}

/// The project's log imported under `name`, without its id.
fn the_log(project: &Project, name: &str) -> baton::model::EventLog {
    let model = project.model().unwrap();
    let id = &model.imports.iter().find(|i| i.name == name).expect("the import").id;
    let log = model.logs.iter().find(|l| &l.id == id).expect("the log");
    baton::model::EventLog { id: String::new(), ..log.clone() }
}

/// A project with the sample's facilities and roles, and a copy of it with the same salt.
fn two_projects(dir: &tempfile::TempDir) -> (Project, Project) {
    let whole = super::project(dir);
    let copy = dir.path().join("parts.baton");
    drop(whole);
    std::fs::copy(dir.path().join("p.baton"), &copy).unwrap();
    (Project::open(&dir.path().join("p.baton")).unwrap(), Project::open(&copy).unwrap())
}

/// The facility a case is counted at: the first its events name, in time order.
fn case_facility(rows: &[Row]) -> BTreeMap<String, String> {
    let mut by_case: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by_case.entry(r.0.clone()).or_default().push(r);
    }
    by_case
        .into_iter()
        .map(|(c, mut events)| {
            events.sort_by(|a, b| a.2.cmp(&b.2));
            let f = events.iter().map(|e| e.4.as_str()).find(|f| !f.is_empty()).unwrap_or("");
            (c, f.to_lowercase())
        })
        .collect()
}

fn split_imports_as_whole(
    split: impl Fn(&Row, &BTreeMap<String, String>, &BTreeMap<String, String>) -> String,
) {
    let dir = tempfile::tempdir().unwrap();
    let rows = generate(700);
    let whole_log = dir.path().join("whole.csv");
    write_log(&whole_log, &rows.iter().collect::<Vec<_>>());
    let facility = case_facility(&rows);
    let mut month: BTreeMap<String, String> = BTreeMap::new();
    for r in &rows {
        let m = month.entry(r.0.clone()).or_insert_with(|| r.2[..7].to_string());
        if r.2[..7] < m[..] {
            *m = r.2[..7].to_string();
        }
    }
    let mut parts: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        parts.entry(split(r, &facility, &month)).or_default().push(r);
    }
    assert!(parts.len() >= 3, "the split makes several parts: {:?}", parts.keys().collect::<Vec<_>>());

    let (mut whole, mut merged) = two_projects(&dir);
    whole.import_log(&whole_log, &settings(1), Default::default(), &Progress::none()).unwrap();
    let files: Vec<PathBuf> = parts
        .iter()
        .enumerate()
        .map(|(i, (_, part))| {
            let path = dir.path().join(format!("part-{i}.csv"));
            write_log(&path, part);
            partial(&merged, &path, 1 + i % 2)
        })
        .collect();
    let summary = merged.import_aggregate(&files, Some("whole.csv"), &[], &Progress::none()).unwrap();
    assert_eq!(summary.cases, Some(700));
    let (a, b) = (the_log(&whole, "whole.csv"), the_log(&merged, "whole.csv"));
    assert!(a.variants.len() > 20 && a.edges.len() > 20 && !a.roles.is_empty());
    assert!(a.edges.iter().any(|e| e.facility == "north"), "facility values are resolved to ids");
    assert_eq!(a.activities, b.activities);
    assert_eq!(a.roles, b.roles);
    assert_eq!(a.edges, b.edges);
    assert_eq!(a.variants, b.variants);
    assert_eq!(a, b);
    assert_eq!(whole.model().unwrap().facilities, merged.model().unwrap().facilities);
}

#[test]
fn a_log_split_by_the_facility_of_its_cases_imports_as_the_whole_log() {
    split_imports_as_whole(|r, facility, _| facility[&r.0].clone());
}

#[test]
fn a_log_split_by_the_month_its_cases_started_imports_as_the_whole_log() {
    split_imports_as_whole(|r, _, month| month[&r.0].clone());
}

#[test]
fn a_case_split_between_two_parts_loses_the_edge_between_its_halves() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<Row> = ["10:00", "10:05", "10:30"]
        .iter()
        .zip(["Order placed", "Order verified", "Result posted"])
        .map(|(t, a)| ("ENC-1".into(), a.into(), format!("2025-03-01T{t}:00Z"), "RN".into(), "north".into()))
        .collect();
    let (mut whole, mut merged) = two_projects(&dir);
    let log = dir.path().join("one.csv");
    write_log(&log, &rows.iter().collect::<Vec<_>>());
    whole.import_log(&log, &settings(0), Default::default(), &Progress::none()).unwrap();
    let (first, second) = (dir.path().join("first.csv"), dir.path().join("second.csv"));
    write_log(&first, &[&rows[0], &rows[1]]);
    write_log(&second, &[&rows[2]]);
    let files = [partial(&merged, &first, 0), partial(&merged, &second, 0)];
    merged.import_aggregate(&files, Some("one.csv"), &[], &Progress::none()).unwrap();
    let (a, b) = (the_log(&whole, "one.csv"), the_log(&merged, "one.csv"));
    assert_eq!((a.cases, b.cases), (1, 2), "the halves count as two cases");
    let edges = |l: &baton::model::EventLog| {
        l.edges.iter().map(|e| (e.from.clone(), e.to.clone())).collect::<Vec<_>>()
    };
    assert_eq!(edges(&a).len(), 2);
    assert_eq!(edges(&b), [("Order placed".to_string(), "Order verified".to_string())]);
}

#[test]
fn a_partial_made_with_another_salt_is_imported_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let rows = generate(20);
    let log = dir.path().join("log.csv");
    write_log(&log, &rows.iter().collect::<Vec<_>>());
    let mut p = super::project(&dir);
    let other = Project::create(&dir.path().join("other.baton"), "Other").unwrap();
    let file = partial(&other, &log, 0);
    let s = p.import_aggregate(&[file], None, &[], &Progress::none()).unwrap();
    assert!(s.hashed.iter().any(|h| h.contains("another salt")), "{:?}", s.hashed);
    let file = partial(&p, &log, 0);
    let s = p.import_aggregate(&[file], None, &[], &Progress::none()).unwrap();
    assert!(!s.hashed.iter().any(|h| h.contains("another salt")), "{:?}", s.hashed);
    // The same name again replaces the log.
    let logs = p.model().unwrap().imports.iter().filter(|i| i.name == "log.partial.json").count();
    assert_eq!(logs, 1);
}

#[test]
fn what_is_not_an_aggregate_is_refused_naming_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = super::project(&dir);
    let before = p.model().unwrap();
    let cases: [(&str, &str, &str); 9] = [
        ("log.csv", "case,activity,timestamp\n1,a,2025-01-01T00:00:00Z\n", "no column \"kind\""),
        (
            "no-header-row.csv",
            "kind,activity,count\nactivity,a,1\nstart,a,1\nend,a,1\n",
            "no row of kind \"aggregate\"",
        ),
        ("newer.json", r#"[{"kind":"aggregate","count":2}]"#, "format version 2"),
        ("bad-count.csv", "kind,activity,count\naggregate,,1\nactivity,a,-3\n", "line 3"),
        (
            "unknown.jsonl",
            "{\"kind\":\"aggregate\",\"count\":1}\n{\"kind\":\"events\",\"count\":1}\n",
            "unknown kind \"events\"",
        ),
        (
            "cut.csv",
            "kind,activity,next_activity,bucket,count,total_us\naggregate,,,,1,\nactivity,a,,,2,\nactivity,b,,,2,\nstart,a,,,2,\nend,b,,,2,\nedge,a,b,,2,100\nwait,a,b,3,1,\n",
            "cut short",
        ),
        (
            "bad-bucket.csv",
            "kind,activity,next_activity,bucket,count,total_us\naggregate,,,,1,\nwait,a,b,99999,1,\n",
            "not a sketch bucket",
        ),
        (
            "rows.json",
            r#"{"format":"baton-log-aggregate","rows":{"kind":"aggregate"}}"#,
            "as a list of row objects",
        ),
        (
            "bad-hash.json",
            r#"[{"kind":"aggregate","count":1},{"kind":"variant","activity":"a","count":1,"example":"Jane Doe"}]"#,
            "not a case hash",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let err = p.import_aggregate(&[path], None, &[], &Progress::none()).unwrap_err().to_string();
        assert!(err.contains(name), "{name}: the error names the file: {err}");
        assert!(err.contains(expected), "{name}: {err}");
    }
    assert_eq!(p.model().unwrap(), before, "nothing in the project changed");
}
