//! Task telemetry: import (CSV, JSON lines), the metric definitions on hand-computed fixtures,
//! the comparison of two versions, and the check against the telemetry spec.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use baton::Project;
use baton::progress::Progress;
use baton::telemetry::{TelemetryOptions, TelemetrySettings, metrics, read_telemetry};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Five tasks of one step at 08:00: reassigned twice then completed after 60 min; overridden
/// then completed after 30 min; assigned and never completed; cancelled; escalated and
/// completed after 50 min. The last event is at 09:00.
const FIXTURE: &str = "task,workflow,version,step,event,role,facility,timestamp,actor
T1,w,1,reconcile,created,rn,north,2026-11-02T08:00:00Z,a1
T1,w,1,reconcile,assigned,rn,north,2026-11-02T08:10:00Z,a1
T1,w,1,reconcile,reassigned,rn,north,2026-11-02T08:20:00Z,a2
T1,w,1,reconcile,reassigned,rn,north,2026-11-02T08:30:00Z,a3
T1,w,1,reconcile,completed,rn,north,2026-11-02T09:00:00Z,a3
T2,w,1,reconcile,created,rn,north,2026-11-02T08:00:00Z,a1
T2,w,1,reconcile,assigned,rn,north,2026-11-02T08:05:00Z,a1
T2,w,1,reconcile,overridden,rt,north,2026-11-02T08:15:00Z,a4
T2,w,1,reconcile,completed,rt,north,2026-11-02T08:30:00Z,a4
T3,w,1,reconcile,created,rn,north,2026-11-02T08:00:00Z,a1
T3,w,1,reconcile,assigned,rn,north,2026-11-02T08:20:00Z,a1
T4,w,1,reconcile,created,rn,north,2026-11-02T08:00:00Z,a1
T4,w,1,reconcile,cancelled,rn,north,2026-11-02T08:10:00Z,a1
T5,w,1,reconcile,created,rn,north,2026-11-02T08:00:00Z,a1
T5,w,1,reconcile,escalated,rn,north,2026-11-02T08:40:00Z,a1
T5,w,1,reconcile,completed,rn,north,2026-11-02T08:50:00Z,a1
";

#[test]
fn the_metric_definitions_on_a_hand_computed_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let read = read_telemetry(&write(&dir, "t.csv", FIXTURE), &TelemetryOptions::default(), &Progress::new())
        .unwrap();
    assert_eq!(read.events, 16);
    let m = metrics(&read.groups, "w", None, None, &baton::progress::Progress::none()).unwrap();
    let all = &m.rows[0];
    assert_eq!((all.step.as_str(), all.tasks, all.completed, all.cancelled, all.open), ("", 5, 3, 1, 1));
    // Completed after 30, 50 and 60 minutes: nearest-rank median 50, 90th percentile 60.
    assert_eq!((all.complete_median_seconds, all.complete_p90_seconds), (Some(3000), Some(3600)));
    // Assigned after 5, 10 and 20 minutes.
    assert_eq!(all.first_assignment_median_seconds, Some(600));
    // T1 was reassigned twice: one task of five, two reassignments.
    assert_eq!((all.reassignment_rate, all.reassignments), (0.2, 2));
    // T2 was overridden, then completed; T5 escalated.
    assert_eq!((all.override_rate, all.escalation_rate), (0.2, 0.2));
    // T3 is open, one hour old at the last event (09:00).
    assert_eq!(all.open_age_median_seconds, Some(3600));
    // T2 counts for the role that completed it.
    let by_role: Vec<(&str, u64)> =
        m.rows.iter().filter(|r| !r.role.is_empty()).map(|r| (r.role.as_str(), r.tasks)).collect();
    assert_eq!(by_role, [("rn", 4), ("rt", 1)]);
    // The same events as JSON lines give the same groups.
    let mut jsonl = String::new();
    let mut lines = FIXTURE.lines();
    let headers: Vec<&str> = lines.next().unwrap().split(',').collect();
    for line in lines {
        let obj: serde_json::Map<String, serde_json::Value> =
            headers.iter().zip(line.split(',')).map(|(h, v)| (h.to_string(), serde_json::json!(v))).collect();
        jsonl.push_str(&serde_json::Value::Object(obj).to_string());
        jsonl.push('\n');
    }
    let again =
        read_telemetry(&write(&dir, "t.jsonl", &jsonl), &TelemetryOptions::default(), &Progress::new())
            .unwrap();
    assert_eq!(again.groups, read.groups);
}

fn tasks(version: i64, n: usize, reassigned: usize, minutes: i64) -> String {
    let mut out = String::new();
    for i in 0..n {
        let t = format!("v{version}-{i}");
        out.push_str(&format!("{t},w,{version},s,created,rn,north,2026-11-02T08:00:00Z,a\n"));
        if i < reassigned {
            out.push_str(&format!("{t},w,{version},s,reassigned,rn,north,2026-11-02T08:01:00Z,b\n"));
        }
        out.push_str(&format!(
            "{t},w,{version},s,completed,rn,north,2026-11-02T{:02}:{:02}:00Z,b\n",
            8 + minutes / 60,
            minutes % 60
        ));
    }
    out
}

#[test]
fn a_version_comparison_tells_change_from_noise() {
    let dir = tempfile::tempdir().unwrap();
    let header = "task,workflow,version,step,event,role,facility,timestamp,actor\n";
    let text = format!("{header}{}{}", tasks(1, 100, 30, 60), tasks(2, 100, 5, 30));
    let read =
        read_telemetry(&write(&dir, "t.csv", &text), &TelemetryOptions::default(), &Progress::new()).unwrap();
    let m = metrics(&read.groups, "w", Some(2), Some((1, 2)), &baton::progress::Progress::none()).unwrap();
    let get =
        |metric: &str| m.comparison.iter().find(|c| c.step.is_empty() && c.metric == metric).unwrap().clone();
    let r = get("reassignment_rate");
    assert_eq!((r.from, r.to), (0.3, 0.05));
    assert!(r.significant, "{r:?}");
    let t = get("complete_median_seconds");
    assert_eq!((t.from, t.to, t.change), (3600.0, 1800.0, -1800.0));
    assert!(t.significant, "{t:?}");
    // Few tasks and a small difference: within the noise.
    let text = format!("{header}{}{}", tasks(1, 10, 2, 60), tasks(2, 10, 1, 55));
    let read =
        read_telemetry(&write(&dir, "u.csv", &text), &TelemetryOptions::default(), &Progress::new()).unwrap();
    let m = metrics(&read.groups, "w", Some(2), Some((1, 2)), &baton::progress::Progress::none()).unwrap();
    assert!(m.comparison.iter().filter(|c| c.metric == "reassignment_rate").all(|c| !c.significant));
}

#[test]
fn bad_telemetry_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let header = "task,workflow,version,step,event,role,facility,timestamp\n";
    for (body, expected) in [
        ("T1,w,1,s,finished,rn,n,2026-11-02T08:00:00Z\n", "line 2"),
        ("T1,w,1,s,created,rn,n,yesterday\n", "cannot read the timestamp"),
        ("T1,w,one,s,created,rn,n,2026-11-02T08:00:00Z\n", "not a number"),
    ] {
        let e = read_telemetry(
            &write(&dir, "bad.csv", &format!("{header}{body}")),
            &TelemetryOptions::default(),
            &Progress::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("bad.csv") && e.contains(expected), "{e}");
    }
    let e = read_telemetry(
        &write(&dir, "cols.csv", "id,what\n1,2\n"),
        &TelemetryOptions::default(),
        &Progress::new(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("no task column") && e.contains("id, what"), "{e}");
}

#[test]
fn an_import_keeps_groups_not_tasks_and_says_what_the_spec_misses() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    let model = baton::bundle::read_dir(&sample).unwrap();
    let mut p = Project::create_with(&dir.path().join("p.baton"), "P", &model).unwrap();
    let before = p.model().unwrap();
    let text = "task,workflow,version,step,event,role,facility,timestamp,actor
MRN123-a,Respiratory assessment,1,ra-v1-t1,created,rn,north,2026-11-02T08:00:00Z,Jane Doe
MRN123-a,Respiratory assessment,1,ra-v1-t1,completed,rn,north,2026-11-02T08:40:00Z,Jane Doe
";
    let s = p
        .import_telemetry(&write(&dir, "tasks.csv", text), &TelemetrySettings::default(), &Progress::new())
        .unwrap();
    assert_eq!((s.records, s.cases), (2, Some(1)));
    // The spec of version 1 also asks for the reconciliation task (the review leads to the
    // terminal state and creates no task).
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings.iter().any(|w| w.contains("ra-v1-t2")));
    let m = p.model().unwrap();
    let groups = &m.telemetry.iter().find(|t| t.name == "tasks.csv").unwrap().groups;
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].workflow, "respiratory-assessment", "matched to the project's workflow");
    // No task id or actor reaches the project or its bundle.
    let bundle = baton::bundle::render(&p.model().unwrap()).unwrap();
    for bytes in bundle.values() {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("MRN123") && !text.contains("Jane Doe"));
    }
    assert!(bundle.keys().any(|k| k.starts_with("telemetry/")));
    // Undo takes the import back.
    p.undo().unwrap();
    assert_eq!(p.model().unwrap(), before);
}

#[test]
fn steps_are_compared_across_versions_by_the_state_they_reach() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    let p = Project::in_memory("Sample", &baton::bundle::read_dir(&sample).unwrap()).unwrap();
    let found = p.workflow_metrics("respiratory-assessment", Some(2), Some((1, 2))).unwrap();
    // Version 1's transition ra-v1-t2 and version 2's ra-v2-t2 both enter "Reconciled by RN".
    let steps: Vec<&str> = found
        .rows
        .iter()
        .filter(|r| r.role.is_empty() && r.facility.is_empty())
        .map(|r| r.step.as_str())
        .collect();
    assert_eq!(steps, ["", "Charted by RT", "Reconciled by RN"]);
    let reconcile = found
        .comparison
        .iter()
        .find(|c| c.step == "Reconciled by RN" && c.metric == "reassignment_rate")
        .expect("the step is compared");
    assert!(reconcile.from > reconcile.to && reconcile.significant, "{reconcile:?}");
}

/// A version of a Task in a FHIR history.
fn task(id: &str, at: &str, status: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut t = serde_json::json!({
        "resourceType": "Task",
        "id": id,
        "status": status,
        "intent": "order",
        "instantiatesCanonical": "http://example.org/PlanDefinition/w|1",
        "code": {"coding": [{"code": "reconcile"}]},
        "location": {"reference": "Location/north"},
        "performerType": [{"coding": [{"code": "rn"}]}],
        "lastModified": format!("2026-11-02T{at}:00Z"),
    });
    if let (Some(t), Some(extra)) = (t.as_object_mut(), extra.as_object()) {
        t.extend(extra.clone());
    }
    serde_json::json!({ "resource": t })
}

#[test]
fn fhir_task_histories_are_read_as_task_events() {
    use serde_json::json;
    let owner = |who: &str| json!({"owner": {"reference": format!("Practitioner/{who}")}});
    let entries = vec![
        // A: assigned at 08:10, stopped (in-progress → ready) and taken by someone else: reassigned
        // twice; completed after 60 minutes.
        task("a", "08:00", "requested", json!({})),
        task("a", "08:10", "accepted", owner("p1")),
        task("a", "08:20", "in-progress", owner("p1")),
        task("a", "08:30", "ready", owner("p1")),
        task("a", "08:40", "in-progress", owner("p2")),
        task("a", "09:00", "completed", owner("p2")),
        // B: owned from the start, raised to stat (escalated), overridden and completed at 08:45.
        task("b", "08:00", "ready", owner("p3")),
        task(
            "b",
            "08:30",
            "in-progress",
            json!({"owner": {"reference": "Practitioner/p3"}, "priority": "stat"}),
        ),
        task(
            "b",
            "08:45",
            "completed",
            json!({"owner": {"reference": "Practitioner/p3"}, "priority": "stat", "statusReason": {"text": "Override by charge nurse"}}),
        ),
        // C: cancelled; D: never done.
        task("c", "08:00", "requested", json!({})),
        task("c", "08:05", "cancelled", json!({})),
        task("d", "08:00", "requested", json!({})),
        json!({"resource": {"resourceType": "Patient", "id": "x"}}),
    ];
    let bundle = json!({"resourceType": "Bundle", "type": "history", "entry": entries});
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "history.json", &bundle.to_string());
    let read = read_telemetry(&path, &TelemetryOptions::default(), &Progress::new()).unwrap();
    assert_eq!(read.format, "fhir");
    assert!(read.dropped.iter().any(|d| d == "Patient resources"), "{:?}", read.dropped);
    let m = metrics(&read.groups, "w", None, None, &baton::progress::Progress::none()).unwrap();
    let all = &m.rows[0];
    assert_eq!((all.version, all.step.as_str(), all.role.as_str()), (1, "", ""));
    assert_eq!((all.tasks, all.completed, all.cancelled, all.open), (4, 2, 1, 1));
    assert_eq!((all.complete_median_seconds, all.complete_p90_seconds), (Some(2700), Some(3600)));
    assert_eq!(all.first_assignment_median_seconds, Some(0), "A after 10 min, B at once: median of [0, 600]");
    assert_eq!((all.reassignment_rate, all.reassignments), (0.25, 2));
    assert_eq!((all.override_rate, all.escalation_rate), (0.25, 0.25));
    assert_eq!(m.rows[1].step, "reconcile");
    // The same versions as NDJSON, in another order, give the same groups.
    let mut lines: Vec<String> =
        bundle["entry"].as_array().unwrap().iter().map(|e| e["resource"].to_string()).collect();
    lines.reverse();
    let again = read_telemetry(
        &write(&dir, "history.ndjson", &lines.join("\n")),
        &TelemetryOptions::default(),
        &Progress::new(),
    )
    .unwrap();
    assert_eq!(again.groups, read.groups);
}

#[test]
fn a_fhir_task_without_its_workflow_is_refused_with_where_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{"resourceType":"Task","id":"t1","status":"requested","intent":"order","lastModified":"2026-11-02T08:00:00Z"}"#;
    let err =
        read_telemetry(&write(&dir, "tasks.ndjson", text), &TelemetryOptions::default(), &Progress::new())
            .unwrap_err()
            .to_string();
    assert!(
        err.contains("tasks.ndjson") && err.contains("line 1") && err.contains("instantiatesCanonical"),
        "{err}"
    );
}
