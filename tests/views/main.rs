//! What each screen shows, pinned on the sample: every view of `baton::views` serialised as the
//! app and `--json` receive it. A change to a label, an order, a bucket or a count shows here as a
//! snapshot diff (`cargo insta review`).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::PathBuf;

use baton::Project;
use baton::progress::Progress;
use baton::views;
use serde::Serialize;
use serde_json::Value;

const WORKFLOW: &str = "respiratory-assessment";

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network")
}

fn sample_project() -> Project {
    Project::in_memory("Respiratory care network", &baton::bundle::read_dir(&sample()).unwrap()).unwrap()
}

/// Pretty JSON of `view`, with what differs from machine to machine (paths, the machine's time
/// zone) or is pinned elsewhere
/// (diagram SVG, by the diagram snapshots) replaced by a marker.
fn json(view: &impl Serialize) -> String {
    let mut value = serde_json::to_value(view).unwrap();
    scrub(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}

fn scrub(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match (key.as_str(), &v) {
                    ("svg", Value::String(s)) => *v = Value::String(format!("<svg: {} bytes>", s.len())),
                    ("path", Value::String(s)) if !s.is_empty() => *v = Value::String("<path>".into()),
                    ("default_timezone", Value::String(_)) => *v = Value::String("<this machine's>".into()),
                    _ => scrub(v),
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(scrub),
        _ => {}
    }
}

#[test]
fn home() {
    let p = sample_project();
    insta::assert_snapshot!("project", json(&views::project::project(&p).unwrap()));
    let m = p.model().unwrap();
    insta::assert_snapshot!("finding_counts", json(&views::findings::counts(&m, &Progress::none()).unwrap()));
}

#[test]
fn interviews() {
    let m = sample_project().model().unwrap();
    insta::assert_snapshot!(
        "interview_sheet",
        json(&views::interviews::interview_sheet(&m, "rt-north-night").unwrap())
    );
    insta::assert_snapshot!(
        "phi_check",
        json(&views::interviews::phi_check("MRN 1234567, call 555-867-5309"))
    );
    let missing = views::interviews::interview_sheet(&m, "nobody").unwrap_err();
    assert_eq!(missing.code(), "not_found");
}

#[test]
fn current_state_and_findings() {
    let m = sample_project().model().unwrap();
    let found = views::findings::findings(&m, &Default::default(), &Progress::none()).unwrap();
    insta::assert_snapshot!("findings", json(&found));
    insta::assert_snapshot!(
        "workflow_map",
        json(&views::current_state::workflow_map(&m, &found, WORKFLOW).unwrap())
    );
}

#[test]
fn swimlanes() {
    let m = sample_project().model().unwrap();
    insta::assert_snapshot!("diagram", json(&views::swimlanes::diagram(&m, WORKFLOW, false).unwrap()));
    insta::assert_snapshot!("comments", json(&views::swimlanes::comments(&m, WORKFLOW)));
}

#[test]
fn emr_data_and_imports() {
    let p = sample_project();
    insta::assert_snapshot!("mapping_matrix", json(&views::emr::matrix(&p.model().unwrap()).unwrap()));
    let settings = views::imports::ImportSettings::default();
    let status = views::imports::preview(
        &p,
        views::imports::ImportSource::Status,
        &sample().join("inputs/documentation-status.csv"),
        &settings,
    )
    .unwrap();
    insta::assert_snapshot!("preview_status", json(&status));
    let log = views::imports::preview(
        &p,
        views::imports::ImportSource::Log,
        &sample().join("inputs/respiratory-log.csv"),
        &settings,
    )
    .unwrap();
    insta::assert_snapshot!("preview_log", json(&log));
}

#[test]
fn proposals_and_telemetry() {
    let m = sample_project().model().unwrap();
    let view = views::proposals::proposal(&m, WORKFLOW, None, &Progress::none()).unwrap();
    insta::assert_snapshot!("proposal", json(&view));
    let labels: Vec<&str> = view.versions.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ["Version 1", "Version 2"], "published versions by number");
    let (v1, v2) = (&view.versions[0].id, &view.versions[1].id);
    insta::assert_snapshot!("comparison", json(&views::proposals::comparison(&m, WORKFLOW, v1, v2).unwrap()));
    insta::assert_snapshot!(
        "telemetry",
        json(&views::telemetry::telemetry(&m, WORKFLOW, Some(2), Some(1), &Progress::none()).unwrap())
    );
}

#[test]
fn report_and_activity() {
    let m = sample_project().model().unwrap();
    insta::assert_snapshot!("phi_scan", json(&views::report::phi_scan(&m)));
    let p = Progress::new();
    p.set_total(4);
    p.advance(1);
    insta::assert_snapshot!("work", json(&views::activity::work(Some(("Writing the report", &p)))));
}

#[test]
fn vocabularies_cross_as_their_stable_text() {
    use baton::model::*;
    fn all_match<T: Serialize + Copy>(all: &[T], text: impl Fn(T) -> &'static str) {
        for v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), Value::String(text(*v).into()));
        }
    }
    all_match(FindingKind::ALL, FindingKind::as_str);
    all_match(Severity::ALL, Severity::as_str);
    all_match(FindingStatus::ALL, FindingStatus::as_str);
    all_match(Decision::ALL, Decision::as_str);
    all_match(Workaround::ALL, Workaround::as_str);
    all_match(StateKind::ALL, StateKind::as_str);
    all_match(StepKind::ALL, StepKind::as_str);
    all_match(baton::error::ErrorCode::ALL, baton::error::ErrorCode::as_str);
    all_match(views::proposals::ExportFormat::ALL, views::proposals::ExportFormat::as_str);
    all_match(views::report::ReportFormat::ALL, views::report::ReportFormat::as_str);
    all_match(&baton::report::Section::ALL, baton::report::Section::as_str);
    // Every export format the dialog offers is one the core exports.
    for f in views::proposals::ExportFormat::ALL {
        f.format(std::path::Path::new("out")).unwrap();
    }
}

#[test]
fn the_lower_floors_read_nothing_from_the_upper_ones() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let upper = [
        "crate::views",
        "crate::export",
        "crate::report",
        "crate::findings",
        "crate::design",
        "crate::diagram",
        "crate::schemas",
        "crate::telemetry::metrics",
        "crate::cli",
    ];
    let mut stack: Vec<PathBuf> = ["model", "store", "bundle"].iter().map(|d| root.join(d)).collect();
    let mut checked = 0;
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.lines().filter(|l| !l.trim_start().starts_with("//"));
            for line in code {
                for u in upper {
                    assert!(
                        !line.contains(u),
                        "{} reads {u}: a lower floor must not\n{line}",
                        path.display()
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 15, "only {checked} files checked");
}

#[test]
fn a_walk_through_moves_on_the_swimlanes() {
    use views::proposals::{FieldValue, WALK_START, WalkInput, walk_through};
    let m = sample_project().model().unwrap();
    let v1 = baton::design::pick_version(&m, WORKFLOW, baton::design::Pick::Version(1)).unwrap();
    let start = walk_through(&m, &v1, Some("north"), &[]).unwrap();
    assert_eq!((start.state.as_str(), start.now.as_str()), ("Due", WALK_START));
    assert_eq!(
        start.next_events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
        ["assessment_completed"]
    );
    assert!(start.svg.contains("data-diff=\"current\""), "the current state is outlined");
    let step = |at: &str, event: Option<&str>| WalkInput {
        at: at.into(),
        event: event.map(str::to_string),
        data: vec![FieldValue { name: "unused".into(), value: String::new() }],
    };
    let charted =
        walk_through(&m, &v1, Some("north"), &[step(WALK_START, Some("assessment_completed"))]).unwrap();
    assert_eq!(charted.state, "Charted by RT");
    assert_eq!(charted.open_tasks, ["Reconcile assessment with nursing care plan — RN"]);
    assert_eq!(charted.timer.as_deref(), Some("after 2 hours"));
    assert_eq!(charted.deadline.as_deref(), Some("2026-01-05T10:00:00Z"));
    let late = walk_through(
        &m,
        &v1,
        Some("north"),
        &[step(WALK_START, Some("assessment_completed")), step("2026-01-05T10:01:00Z", None)],
    )
    .unwrap();
    assert_eq!(
        late.open_tasks,
        [
            "Reconcile assessment with nursing care plan — RN",
            "Escalation: Reconcile assessment with nursing care plan overdue — Unit coordinator"
        ]
    );
    assert_eq!(late.deadline, None, "a timer runs out once");
    let backwards = walk_through(
        &m,
        &v1,
        None,
        &[step("2026-01-05T10:00:00Z", Some("assessment_completed")), step(WALK_START, None)],
    );
    assert_eq!(backwards.unwrap_err().code(), "invalid_input");
}
