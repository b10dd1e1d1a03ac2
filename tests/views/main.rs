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

#[test]
fn process_map_of_the_sample_log() {
    let m = sample_project().model().unwrap();
    let log = &m.logs[0];
    let map = views::emr::process_map(&m, &log.id, &views::emr::MapOptions::default()).unwrap();
    insta::assert_snapshot!("process_map", json(&map));
    // Names, never ids, and durations in words.
    let slow = views::emr::process_map(
        &m,
        &log.id,
        &views::emr::MapOptions { measure: views::emr::Measure::Performance, ..Default::default() },
    )
    .unwrap();
    assert!(slow.edges.iter().any(|e| e.tooltip.contains("median wait") && !e.tooltip.contains("PT")));
    assert!(slow.lanes.iter().any(|l| l.name == "Unit coordinator"), "lanes are named by role name");
}

#[test]
fn findings_narrow_search_and_sort_in_the_core() {
    use views::findings::{FindingQuery, FindingSort, list};
    let m = sample_project().model().unwrap();
    let all = list(&m, &FindingQuery::default(), &Progress::none()).unwrap();
    assert_eq!(all.rows.len(), all.total);
    assert!(all.kinds.iter().all(|k| !k.label.contains('_')), "kinds are labelled for people");
    let kind = all.rows[0].finding.kind;
    let by_kind =
        list(&m, &FindingQuery { kind: Some(kind), ..Default::default() }, &Progress::none()).unwrap();
    assert!(!by_kind.rows.is_empty() && by_kind.rows.iter().all(|r| r.finding.kind == kind));
    assert_eq!(by_kind.total, all.total, "the total is of every finding");
    let word = "log";
    let searched =
        list(&m, &FindingQuery { search: word.to_uppercase(), ..Default::default() }, &Progress::none())
            .unwrap();
    assert!(!searched.rows.is_empty() && searched.rows.len() < all.total);
    for r in &searched.rows {
        let text = serde_json::to_string(&r.finding).unwrap().to_lowercase() + &r.kind_label.to_lowercase();
        assert!(text.contains(word), "{}", r.finding.title);
    }
    let workflow = all.workflows[0].id.clone();
    let in_workflow =
        list(&m, &FindingQuery { workflow: Some(workflow.clone()), ..Default::default() }, &Progress::none())
            .unwrap();
    assert!(
        in_workflow.rows.iter().all(|r| r.finding.subject.workflow.as_deref() == Some(workflow.as_str()))
    );
    let counted =
        list(&m, &FindingQuery { sort: FindingSort::Count, ..Default::default() }, &Progress::none())
            .unwrap();
    let cases: Vec<i64> = counted.rows.iter().map(|r| r.cases.unwrap_or(-1)).collect();
    assert!(cases.windows(2).all(|w| w[0] >= w[1]), "{cases:?}");
    let kinds =
        list(&m, &FindingQuery { sort: FindingSort::Kind, ..Default::default() }, &Progress::none()).unwrap();
    assert!(kinds.rows.windows(2).all(|w| w[0].kind_label <= w[1].kind_label));
    for r in &all.rows {
        for role in &r.roles {
            assert!(m.roles.iter().any(|x| &x.name == role), "{role} is a role's name");
        }
    }
}

#[test]
fn findings_export_as_csv_and_xlsx_with_their_evidence() {
    use calamine::{Reader, Xlsx};
    use views::findings::{FindingQuery, export, list};
    let m = sample_project().model().unwrap();
    let query = FindingQuery { status: Some(baton::model::FindingStatus::Open), ..Default::default() };
    let shown = list(&m, &query, &Progress::none()).unwrap().rows;
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("findings.csv");
    assert_eq!(export(&m, &query, &csv_path, &Progress::none()).unwrap(), shown.len());
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "Severity");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), shown.len());
    let evidence = headers.iter().position(|h| h == "Evidence").unwrap();
    assert_eq!(&records[0][3], shown[0].finding.title.as_str());
    assert!(records[0][evidence].contains(&shown[0].finding.evidence[0].text));
    let xlsx_path = dir.path().join("findings.xlsx");
    export(&m, &query, &xlsx_path, &Progress::none()).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx_path).unwrap();
    let sheet = book.worksheet_range("Findings").unwrap();
    assert_eq!(sheet.height(), shown.len() + 1);
    assert_eq!(sheet.get((1, 3)).unwrap().to_string(), shown[0].finding.title);
    let err = export(&m, &query, &dir.path().join("findings.txt"), &Progress::none()).unwrap_err();
    assert!(err.to_string().contains(".csv or .xlsx"));
}

#[test]
fn the_project_search_finds_every_kind_of_thing_grouped_by_area() {
    use views::search::{SearchTarget, search};
    let m = sample_project().model().unwrap();
    let found = search(&m, "flowsheet", &Progress::none()).unwrap();
    let areas: Vec<&str> = found.groups.iter().map(|g| g.area.as_str()).collect();
    for area in ["Interviews", "Swimlanes", "Findings"] {
        assert!(areas.contains(&area), "{areas:?}");
    }
    let step = found.groups.iter().flat_map(|g| &g.hits).find(|h| h.kind == "Step").unwrap();
    let SearchTarget::Step { workflow_id, step_id } = &step.target else { panic!("{step:?}") };
    assert!(m.steps.iter().any(|s| &s.id == step_id && &s.workflow_id == workflow_id));
    // Every word must appear; case does not matter; EMR values lead to the matrix searched.
    let emr = search(&m, "COMPLETE", &Progress::none()).unwrap();
    let value = emr.groups.iter().find(|g| g.area == "EMR data").unwrap();
    assert!(
        matches!(&value.hits[0].target, SearchTarget::Emr { text } if text.to_lowercase().contains("complete"))
    );
    assert_eq!(search(&m, "flowsheet zzzz", &Progress::none()).unwrap().total, 0);
    assert_eq!(search(&m, "  ", &Progress::none()).unwrap().total, 0);
    let versions = search(&m, "Reconciled", &Progress::none()).unwrap();
    assert!(versions.groups.iter().any(|g| g.area == "Proposals"));
}

#[test]
fn the_mapping_matrix_filters_in_the_core_and_maps_a_value_everywhere_in_one_edit() {
    use views::emr::{MatrixFilter, matrix_filtered};
    let mut p = sample_project();
    let m = p.model().unwrap();
    let all = matrix_filtered(&m, &MatrixFilter::default()).unwrap();
    assert_eq!(all.values_shown, all.values_total);
    let unmapped = matrix_filtered(&m, &MatrixFilter { unmapped_only: true, ..Default::default() }).unwrap();
    assert_eq!(unmapped.values_shown, all.values_unmapped);
    assert!(unmapped.fields.iter().flat_map(|f| &f.values).all(|v| v.cells.is_empty()));
    let first = &all.fields[0].values[0];
    let searched =
        matrix_filtered(&m, &MatrixFilter { search: first.value.to_uppercase(), ..Default::default() })
            .unwrap();
    assert!(searched.values_shown >= 1 && searched.values_shown < all.values_total);
    // A value mapped at one facility is mapped at every facility instead, in one edit.
    let (value, state) = all
        .fields
        .iter()
        .flat_map(|f| &f.values)
        .find_map(|v| {
            v.cells.iter().find(|c| c.facility_id.is_some()).map(|c| (v.id.clone(), c.state_id.clone()))
        })
        .expect("the sample maps a value at one facility");
    p.map_everywhere(&value, &state).unwrap();
    let after = views::emr::matrix(&p.model().unwrap()).unwrap();
    let row = after.fields.iter().flat_map(|f| &f.values).find(|v| v.id == value).unwrap();
    assert_eq!(row.cells.len(), 1);
    assert_eq!(row.cells[0].facility_id, None);
    assert_eq!(row.cells[0].state_id, state);
    p.undo().unwrap();
    let back = views::emr::matrix(&p.model().unwrap()).unwrap();
    let row = back.fields.iter().flat_map(|f| &f.values).find(|v| v.id == value).unwrap();
    assert!(row.cells.iter().any(|c| c.facility_id.is_some()));
}

#[test]
fn a_role_typo_is_offered_the_closest_roles() {
    let m = sample_project().model().unwrap();
    let closest = views::interviews::closest_roles(&m, "RNN");
    assert_eq!(closest.first().map(|r| r.name.as_str()), Some("RN"));
    assert!(closest.len() <= 3);
    assert!(views::interviews::closest_roles(&m, "Pharmacist").iter().all(|r| r.name != "RN"));
}
