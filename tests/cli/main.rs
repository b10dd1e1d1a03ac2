//! The `baton` command: every command, its exit code and output, as CLI.md fixes them.

// A test states what it expects by panicking when it does not get it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../helpers/fs.rs"]
mod fs;
use fs::copy_dir;

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;

fn baton() -> Command {
    Command::cargo_bin("baton").expect("baton binary")
}

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network")
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("stdout is one JSON document")
}

#[test]
fn info_reads_a_bundle_folder_in_the_documented_shape() {
    let out =
        baton().args(["info"]).arg(sample()).arg("--json").assert().success().get_output().stdout.clone();
    let v = json(&out);
    assert_eq!(v["name"], "Respiratory care network");
    let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["facilities", "interviews", "name", "roles", "steps", "workflows"]);
    let facility_names: Vec<&str> =
        v["facilities"].as_array().expect("list").iter().map(|f| f["name"].as_str().expect("name")).collect();
    assert_eq!(
        facility_names,
        ["Lakeview Pulmonary Clinic", "North Campus Hospital", "Riverside Community Hospital"]
    );
    assert_eq!(v["interviews"], 7);
    assert_eq!(v["steps"], 14);
    assert_eq!(
        v["workflows"],
        serde_json::json!([
            {"id": "oxygen-titration", "name": "Oxygen titration order", "versions": [], "draft": true},
            {"id": "respiratory-assessment", "name": "Respiratory assessment", "versions": [1, 2], "draft": false}
        ])
    );
}

#[test]
fn info_prints_a_readable_summary() {
    baton()
        .arg("info")
        .arg(sample())
        .assert()
        .success()
        .stdout(predicate::str::contains("facilities (3): Lakeview Pulmonary Clinic, North Campus Hospital"))
        .stdout(predicate::str::contains("Respiratory assessment: 6 steps, versions 1"));
}

#[test]
fn new_from_bundle_template_and_empty() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let from_bundle = tmp.path().join("engagement.baton");
    baton()
        .arg("new")
        .arg(&from_bundle)
        .arg("--bundle")
        .arg(sample())
        .assert()
        .success()
        .stderr(predicate::str::contains("3 facilities, 4 roles, 7 interviews, 2 workflows"));
    let out =
        baton().arg("info").arg(&from_bundle).arg("--json").assert().success().get_output().stdout.clone();
    assert_eq!(json(&out)["interviews"], 7);

    let from_template = tmp.path().join("meds.baton");
    baton()
        .arg("new")
        .arg(&from_template)
        .args(["--template", "medication-order", "--name", "Meds rescue"])
        .assert()
        .success();
    let out =
        baton().arg("info").arg(&from_template).arg("--json").assert().success().get_output().stdout.clone();
    let v = json(&out);
    assert_eq!(v["name"], "Meds rescue");
    assert_eq!(v["workflows"][0]["name"], "Medication order to administration");

    let empty = tmp.path().join("Blank slate.baton");
    baton().arg("new").arg(&empty).assert().success();
    let out = baton().arg("info").arg(&empty).arg("--json").assert().success().get_output().stdout.clone();
    assert_eq!(json(&out)["name"], "Blank slate");

    // An existing file is never overwritten.
    baton().arg("new").arg(&empty).assert().code(1).stderr(predicate::str::contains("already exists"));
    baton()
        .arg("new")
        .arg(tmp.path().join("x.baton"))
        .args(["--template", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no template named \"nope\"; available: discharge-documentation"));
}

#[test]
fn templates_lists_at_least_four() {
    let out = baton().args(["templates", "--json"]).assert().success().get_output().stdout.clone();
    let names = json(&out);
    for t in ["discharge-documentation", "medication-order", "oxygen-titration", "respiratory-assessment"] {
        assert!(names.as_array().expect("list").iter().any(|n| n == t), "{t}");
    }
}

#[test]
fn bundle_export_round_trips_through_the_cli() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("p.baton");
    baton().arg("new").arg(&file).arg("--bundle").arg(sample()).assert().success();
    let out = tmp.path().join("out");
    baton()
        .args(["bundle", "export"])
        .arg(&file)
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote 22 files"));
    for rel in [
        "baton.yaml",
        "roles.yaml",
        "interviews/rt-north-night.yaml",
        "workflows/oxygen-titration.yaml",
        "emr/value-counts.csv",
    ] {
        assert_eq!(
            std::fs::read(out.join(rel)).expect("exported"),
            std::fs::read(sample().join(rel)).expect("sample"),
            "{rel}"
        );
    }
    // A bundle folder is also a valid PROJECT for this read-only command.
    baton().args(["bundle", "export"]).arg(sample()).arg(tmp.path().join("out2")).assert().success();
}

#[test]
fn edits_undo_and_redo_from_the_cli() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("p.baton");
    baton().arg("new").arg(&file).assert().success();
    baton().args(["undo"]).arg(&file).assert().code(1).stderr(predicate::str::contains("nothing to undo"));
    baton().args(["role", "add"]).arg(&file).arg("RT").assert().success();
    baton()
        .args(["facility", "add"])
        .arg(&file)
        .args(["North", "--timezone", "America/Chicago"])
        .assert()
        .success();
    let out = baton().args(["undo", "--json"]).arg(&file).assert().success().get_output().stdout.clone();
    assert_eq!(
        json(&out),
        serde_json::json!({"edit": "Add facility North", "can_undo": "Add role RT", "can_redo": "Add facility North"})
    );
    baton().args(["facility", "list"]).arg(&file).assert().success().stdout("");
    baton().args(["redo"]).arg(&file).assert().success().stdout("redone: Add facility North\n");
    baton()
        .args(["facility", "list", "--json"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"name\": \"North\""));
    baton().args(["redo"]).arg(&file).assert().code(1).stderr(predicate::str::contains("nothing to redo"));
    baton()
        .args(["role", "add"])
        .arg(&file)
        .arg("rt")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("a role named \"rt\" already exists"));
}

#[test]
fn service_levels_and_roles_are_managed_from_the_cli() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("p.baton");
    baton().arg("new").arg(&file).arg("--bundle").arg(sample()).assert().success();
    baton()
        .args(["sla", "set"])
        .arg(&file)
        .args([
            "--workflow",
            "Respiratory assessment",
            "--step",
            "Reconcile assessment with nursing care plan",
        ])
        .args(["--within", "PT4H", "--safety-critical"])
        .assert()
        .success()
        .stdout(predicate::str::contains("within 4 hours (safety-critical)"));
    let out = baton()
        .args(["sla", "list"])
        .arg(&file)
        .args(["--workflow", "respiratory-assessment", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        json(&out),
        serde_json::json!([{"step": "ra-reconcile", "name": "Reconcile assessment with nursing care plan",
            "within": "PT4H", "within_for_people": "4 hours", "safety_critical": true}])
    );
    baton()
        .args(["sla", "set"])
        .arg(&file)
        .args(["--workflow", "respiratory-assessment", "--step", "ra-review", "--within", "four hours"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("\"four hours\" is not a duration"));
    // A role in use is not removed: it says what uses it; merging moves everything, undoably.
    baton()
        .args(["role", "remove"])
        .arg(&file)
        .arg("Unit coordinator")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("use this role"));
    baton()
        .args(["role", "merge"])
        .arg(&file)
        .args(["Unit coordinator", "RN"])
        .assert()
        .success()
        .stdout(predicate::str::contains("merged role \"Unit coordinator\" into \"RN\""));
    baton()
        .args(["role", "list"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("Unit coordinator").not());
    baton().args(["undo"]).arg(&file).assert().success().stdout("undone: Merge roles\n");
    baton().args(["role", "rename"]).arg(&file).args(["uc", "Unit clerk"]).assert().success();
    baton()
        .args(["facility", "rename"])
        .arg(&file)
        .args(["Lakeview Pulmonary Clinic", "Lakeview Clinic"])
        .assert()
        .success();
    baton()
        .args(["facility", "remove"])
        .arg(&file)
        .arg("Lakeview Clinic")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("interview(s) were held at this facility"));
    // Workflows: from a template into this project, renamed, deleted whole and restored.
    baton().args(["workflow", "add"]).arg(&file).args(["--template", "medication-order"]).assert().success();
    baton()
        .args(["workflow", "rename"])
        .arg(&file)
        .args(["Medication order to administration", "Med order", "--description", "Inpatient orders"])
        .assert()
        .success();
    baton()
        .args(["workflow", "remove"])
        .arg(&file)
        .arg("Respiratory assessment")
        .assert()
        .success()
        .stdout(predicate::str::contains("with 6 steps"));
    baton()
        .args(["undo"])
        .arg(&file)
        .assert()
        .success()
        .stdout("undone: Delete workflow Respiratory assessment\n");
    let out = baton().args(["info", "--json"]).arg(&file).assert().success().get_output().stdout.clone();
    let names: Vec<String> = json(&out)["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Med order", "Oxygen titration order", "Respiratory assessment"]);
}

#[test]
fn writing_commands_refuse_a_bundle_folder_with_what_to_do() {
    baton()
        .args(["role", "add"])
        .arg(sample())
        .arg("Pharmacist")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("run `baton new FILE.baton --bundle"));
    baton().arg("undo").arg(sample()).assert().code(2);
}

#[test]
fn bad_usage_exits_2_and_errors_exit_1_naming_the_file() {
    baton().arg("info").assert().code(2);
    baton().args(["frobnicate"]).assert().code(2);
    baton().args(["new", "a.baton", "--template", "x", "--bundle", "y"]).assert().code(2);
    let tmp = tempfile::tempdir().expect("tempdir");
    let notes = tmp.path().join("notes.baton");
    std::fs::write(&notes, "hello").expect("write");
    baton()
        .arg("info")
        .arg(&notes)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("notes.baton: is not a Baton project"));
    assert_eq!(std::fs::read(&notes).expect("read"), b"hello");
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["new", "--help"],
        &["info", "--help"],
        &["bundle", "export", "--help"],
        &["undo", "--help"],
        &["redo", "--help"],
        &["role", "add", "--help"],
        &["templates", "--help"],
    ] {
        baton().args(args).assert().success().stdout(predicate::str::contains("Usage"));
    }
}

#[test]
fn new_from_a_bundle_imports_its_inputs_and_warns_about_unlisted_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("b");
    baton().args(["bundle", "export"]).arg(sample()).arg(&dir).assert().success();
    std::fs::create_dir_all(dir.join("inputs")).expect("mkdir");
    std::fs::write(dir.join("inputs/extra.csv"), "field,value\n").expect("write");
    std::fs::write(dir.join("inputs/codes.csv"), "Status,Site,Records\nDone,Lakeview Pulmonary Clinic,4\n")
        .expect("write");
    std::fs::write(
        dir.join("inputs/imports.yaml"),
        "- file: codes.csv\n  kind: status\n  status:\n    field_name: Order Code\n",
    )
    .expect("write");
    let file = tmp.path().join("p.baton");
    baton()
        .arg("new")
        .arg(&file)
        .arg("--bundle")
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("imported inputs/codes.csv (status csv): 1 records"))
        .stderr(predicate::str::contains(
            "not listed in inputs/imports.yaml and not imported: inputs/extra.csv",
        ));
    let project = baton::Project::open(&file).expect("open");
    let m = project.model().expect("model");
    let field = m.emr_fields.iter().find(|f| f.name == "Order Code").expect("imported field");
    let value = m.emr_values.iter().find(|v| v.field_id == field.id).expect("value");
    assert_eq!(value.value, "Done");
    let count = m.emr_value_counts.iter().find(|c| c.value_id == value.id).expect("count");
    assert_eq!((count.facility_id.as_str(), count.count), ("lakeview", 4));
    // A broken input fails the whole command and leaves no project file behind.
    std::fs::write(dir.join("inputs/imports.yaml"), "- file: ../escape.csv\n  kind: status\n")
        .expect("write");
    let other = tmp.path().join("q.baton");
    baton()
        .arg("new")
        .arg(&other)
        .arg("--bundle")
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("inputs/imports.yaml: [0].file"));
    assert!(!other.exists());
}

#[test]
fn findings_lists_the_sample_in_the_documented_shape() {
    let out =
        baton().arg("findings").arg(sample()).arg("--json").assert().success().get_output().stdout.clone();
    let v = json(&out);
    let list = v.as_array().expect("array");
    assert!(list.len() >= 3);
    for f in list {
        let keys: Vec<&String> = f.as_object().expect("object").keys().collect();
        // The sample dismissed one finding (with its reason) and accepted one.
        let mut expected = vec![
            "evidence",
            "id",
            "kind",
            "reason",
            "recommendation",
            "severity",
            "status",
            "subject",
            "title",
        ];
        if f["status"] != "dismissed" {
            expected.retain(|k| *k != "reason");
        }
        assert_eq!(keys, expected, "{f}");
        assert!(["open", "accepted", "dismissed"].contains(&f["status"].as_str().expect("status")));
        for e in f["evidence"].as_array().expect("evidence") {
            let sources = ["interview", "status_export", "event_log", "mapping"];
            assert!(sources.contains(&e["source"].as_str().expect("source")), "{e}");
        }
    }
    // Sorted by severity, then cases affected (which the JSON does not carry), kind and title.
    let rank = |s: &str| ["high", "medium", "low"].iter().position(|x| *x == s).expect("severity");
    let keys: Vec<usize> = list.iter().map(|f| rank(f["severity"].as_str().unwrap())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by severity first");
    let drift = list.iter().find(|f| f["kind"] == "ownership_drift").expect("drift");
    assert_eq!(
        drift["subject"],
        serde_json::json!({"workflow": "respiratory-assessment", "step": "ra-reconcile", "roles": ["rn", "rt"], "facilities": ["north"]})
    );
    // The same ids on every run.
    let again =
        baton().arg("findings").arg(sample()).arg("--json").assert().success().get_output().stdout.clone();
    assert_eq!(out, again);
    // --kind filters, and may repeat.
    let out = baton()
        .args(["findings", "--kind", "workaround_hotspot", "--kind", "ownership_drift", "--json"])
        .arg(sample())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let kinds: Vec<String> =
        json(&out).as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds, ["ownership_drift", "workaround_hotspot"]);
    baton()
        .args(["findings", "--kind", "nonsense"])
        .arg(sample())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ownership_drift"));
}

#[test]
fn findings_are_triaged_in_a_project_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("s.baton");
    baton().arg("new").arg(&file).arg("--bundle").arg(sample()).assert().success();
    let out = baton()
        .args(["findings", "--kind", "ownership_drift", "--json"])
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let id = json(&out)[0]["id"].as_str().expect("id").to_string();
    // Dismissing needs a reason (bad usage), and a bundle folder cannot be changed.
    baton().args(["finding", "dismiss"]).arg(&file).arg(&id).assert().code(2);
    baton().args(["finding", "accept"]).arg(sample()).arg(&id).assert().code(2);
    baton()
        .args(["finding", "accept"])
        .arg(&file)
        .arg("no-such-id")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no finding"));
    baton().args(["finding", "dismiss", "--reason", "Fixed by v1"]).arg(&file).arg(&id).assert().success();
    let out = baton().args(["findings", "--json"]).arg(&file).assert().success().get_output().stdout.clone();
    let v = json(&out);
    let f = v.as_array().unwrap().iter().find(|f| f["id"] == id.as_str()).expect("still listed");
    assert_eq!((f["status"].as_str(), f["reason"].as_str()), (Some("dismissed"), Some("Fixed by v1")));
    baton()
        .arg("findings")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("[dismissed: Fixed by v1]"));
    baton().args(["finding", "reopen"]).arg(&file).arg(&id).assert().success();
    let out = baton().args(["findings", "--json"]).arg(&file).assert().success().get_output().stdout.clone();
    let v = json(&out);
    let f = v.as_array().unwrap().iter().find(|f| f["id"] == id.as_str()).expect("listed");
    assert_eq!(f["status"], "open");
    assert!(f.get("reason").is_none());
}

#[test]
fn consolidate_groups_statements_of_a_hand_written_bundle() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("b");
    copy_dir(&sample(), &dir);
    let path = dir.join("interviews/uc-north-day.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("  step_id: o2-transmit\n", "  workflow: oxygen-titration\n"))
        .unwrap();
    let file = tmp.path().join("b.baton");
    baton().arg("new").arg(&file).arg("--bundle").arg(&dir).assert().success();
    baton()
        .args(["consolidate"])
        .arg(&file)
        .args(["--workflow", "Oxygen Titration Order"])
        .assert()
        .success()
        .stderr(predicate::str::contains("grouped 1 statement(s)"));
    baton().args(["consolidate"]).arg(&file).args(["--workflow", "nope"]).assert().code(1);
    baton()
        .arg("undo")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("Consolidate interviews"));
}

#[test]
fn diagram_writes_svg_and_png_from_a_bundle_folder_or_a_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let svg = tmp.path().join("o2.svg");
    baton()
        .args(["diagram"])
        .arg(sample())
        .args(["--workflow", "OXYGEN TITRATION ORDER", "-o"])
        .arg(&svg)
        .assert()
        .success()
        .stdout(predicates::str::contains("8 steps in 4 lanes"));
    let text = std::fs::read_to_string(&svg).expect("svg");
    assert!(text.starts_with("<svg") && text.contains(">RT<"));
    let file = tmp.path().join("p.baton");
    baton().arg("new").arg(&file).arg("--bundle").arg(sample()).assert().success();
    let png = tmp.path().join("o2.png");
    baton()
        .arg("diagram")
        .arg(&file)
        .args(["--workflow", "oxygen-titration", "--vertical", "-o"])
        .arg(&png)
        .assert()
        .success();
    assert_eq!(&std::fs::read(&png).expect("png")[..4], b"\x89PNG");
    let again = tmp.path().join("again.svg");
    baton()
        .arg("diagram")
        .arg(&file)
        .args(["--workflow", "oxygen-titration", "-o"])
        .arg(&again)
        .assert()
        .success();
    assert_eq!(std::fs::read(&again).expect("svg"), text.as_bytes(), "a file and its bundle draw the same");
}

#[test]
fn diagram_refuses_bad_requests_clearly() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("x.pdf");
    baton()
        .arg("diagram")
        .arg(sample())
        .args(["--workflow", "oxygen-titration", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("must end in .svg or .png"));
    let out = tmp.path().join("x.svg");
    baton()
        .arg("diagram")
        .arg(sample())
        .args(["--workflow", "oxygen-titration", "--version", "3", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("has no version 3"));
    baton()
        .arg("diagram")
        .arg(sample())
        .args(["--workflow", "oxygen-titration", "--version", "0", "-o"])
        .arg(&out)
        .assert()
        .code(2);
    baton()
        .arg("diagram")
        .arg(sample())
        .args(["--workflow", "nope", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no workflow \"nope\""));
    assert!(!out.exists(), "nothing is written when the request fails");
}

#[test]
fn import_log_and_status_keep_named_columns_as_counts_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("p.baton");
    baton().args(["new"]).arg(&project).args(["--name", "Keep"]).assert().success();
    let import = |kind: &str, source: &std::path::Path, flags: &[&str]| {
        let mut cmd = baton();
        cmd.args(["import", kind]).arg(&project).arg(source).args(flags);
        cmd.assert()
    };
    let json_of = |a: assert_cmd::assert::Assert| json(&a.success().get_output().stdout);
    let log = dir.path().join("log.csv");
    std::fs::write(
        &log,
        "case,activity,timestamp,Priority,Bed\nc1,Order placed,2026-01-01T08:00:00Z,STAT,B12\n\
         c1,Order verified,2026-01-01T08:10:00Z,STAT,B12\nc2,Order placed,2026-01-01T09:00:00Z,Routine,B7\n",
    )
    .unwrap();
    let v = json_of(import("log", &log, &["--keep-column", "Priority", "--json"]));
    assert_eq!(v["kept"][0]["column"], "Priority");
    assert_eq!(
        v["kept"][0]["values"],
        serde_json::json!([{"value": "STAT", "count": 2}, {"value": "Routine", "count": 1}])
    );
    assert_eq!(v["dropped"], serde_json::json!(["Bed"]));
    // Without --json the summary says what was kept, on stderr.
    import("log", &log, &["--keep-column", "Priority"]).success().stderr(predicate::str::contains(
        "kept: Priority (2 values: STAT 2, Routine 1), its values and their counts stored in the project",
    ));
    // A column that is not there: a clear error naming the file and the columns, nothing changed.
    let before = std::fs::read(&project).unwrap();
    import("log", &log, &["--keep-column", "Ward"]).code(1).stderr(
        predicate::str::contains("log.csv").and(predicate::str::contains("no column \"Ward\" to keep")),
    );
    assert_eq!(std::fs::read(&project).unwrap(), before);

    let status = dir.path().join("status.csv");
    std::fs::write(&status, "Status,Site,Count,Unit\nReady,North,12,ICU\nReady,North,3,Ward 4\n").unwrap();
    let v = json_of(import("status", &status, &["--keep-column", "Unit", "--json"]));
    assert_eq!(v["kept"][0]["values"][0], serde_json::json!({"value": "ICU", "count": 12}));
    let hl7 = sample().join("inputs/orders.hl7");
    import("status", &hl7, &["--keep-column", "MSH-4"])
        .code(1)
        .stderr(predicate::str::contains("--keep-column applies to CSV and workbooks"));
}

#[test]
fn validate_prints_the_documented_shape_and_exits_1_on_problems() {
    let out = baton()
        .args(["validate"])
        .arg(sample())
        .args(["--workflow", "respiratory assessment", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json(&out), serde_json::json!({"valid": true, "problems": []}));
    // The oxygen draft's guard needs the event's spo2 field: without it, a guard problem.
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = dir.path().join("b");
    copy_dir(&sample(), &bundle);
    let events = std::fs::read_to_string(bundle.join("events.yaml")).unwrap();
    std::fs::write(bundle.join("events.yaml"), events.replace("    spo2: number\n", "")).unwrap();
    let out = baton()
        .args(["validate"])
        .arg(&bundle)
        .args(["--workflow", "oxygen-titration", "--draft", "--json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["valid"], false);
    assert_eq!(v["problems"][0]["rule"], "guard");
    let keys: Vec<&String> = v["problems"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["message", "rule", "subject"]);
    baton()
        .args(["validate"])
        .arg(&bundle)
        .args(["--workflow", "oxygen-titration", "--draft"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("[guard] transition In titration → In titration on oxygen_changed"));
    baton()
        .args(["validate"])
        .arg(sample())
        .args(["--workflow", "respiratory-assessment", "--version", "7"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no version 7; published versions: 1"));
    baton()
        .args(["validate"])
        .arg(sample())
        .args(["--workflow", "oxygen-titration"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no published version"));
}

#[test]
fn export_writes_each_format_and_refuses_unknown_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (format, name) in [
        ("bpmn", "ra.bpmn"),
        ("serverless-workflow", "ra.sw.yaml"),
        ("serverless-workflow", "ra.sw.json"),
        ("xstate", "ra.xstate.json"),
        ("scxml", "ra.scxml"),
        ("baton-json", "ra.baton.json"),
        ("mermaid", "ra.mmd"),
        ("telemetry-spec", "ra.telemetry.json"),
    ] {
        let out = dir.path().join(name);
        baton()
            .args(["export"])
            .arg(sample())
            .args(["--workflow", "Respiratory assessment", "--version", "1", "--format", format, "-o"])
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::contains("version 1"));
        let committed = sample().join("exports").join(name.replace("ra.", "respiratory-assessment-v1."));
        assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(committed).unwrap(), "{name}");
    }
    baton()
        .args(["export"])
        .arg(sample())
        .args(["--workflow", "respiratory-assessment", "--format", "visio", "-o"])
        .arg(dir.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown export format \"visio\": use one of bpmn, serverless-workflow",
        ));
}

#[test]
fn simulate_prints_one_case_in_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("case.jsonl");
    std::fs::write(
        &events,
        concat!(
            "{\"at\": \"2026-10-01T08:00:00Z\", \"event\": \"assessment_completed\"}\n",
            "{\"at\": \"2026-10-01T11:00:00Z\"}\n",
            "{\"at\": \"2026-10-01T11:30:00Z\", \"event\": \"assessment_reconciled\"}\n",
        ),
    )
    .unwrap();
    let out = baton()
        .args(["simulate"])
        .arg(sample())
        .args(["--workflow", "respiratory-assessment", "--version", "1", "--facility", "north", "--events"])
        .arg(&events)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["final_state", "finished", "open_tasks", "steps"]);
    let step = v["steps"][0].as_object().unwrap();
    let keys: Vec<&String> = step.keys().collect();
    assert_eq!(
        keys,
        ["at", "escalations", "event", "from", "tasks_closed", "tasks_opened", "to", "write_backs"]
    );
    assert_eq!(
        v["steps"][0]["tasks_opened"],
        serde_json::json!([{"name": "Reconcile assessment with nursing care plan", "role": "rn"}])
    );
    assert_eq!(v["steps"][1]["timer"], "after 2 hours");
    assert_eq!(
        v["steps"][1]["escalations"],
        serde_json::json!([{"role": "uc", "task": "Reconcile assessment with nursing care plan"}])
    );
    assert_eq!(v["final_state"], "Reconciled by RN");
    assert_eq!(v["finished"], false);
    // A line that is not JSON names the file and line.
    std::fs::write(&events, "{\"at\": \"2026-10-01T08:00:00Z\"}\nnot json\n").unwrap();
    baton()
        .args(["simulate"])
        .arg(sample())
        .args(["--workflow", "respiratory-assessment", "--events"])
        .arg(&events)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("case.jsonl: line 2"));
}

#[test]
fn replay_prints_the_documented_shape() {
    let out = baton()
        .args(["replay"])
        .arg(sample())
        .args(["--workflow", "respiratory-assessment", "--version", "1", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["cases", "deviations", "fitness", "fitting"]);
    assert_eq!(v["cases"], 300);
    // North skips the RN's reconciliation: the physician signs while the assessment is only charted.
    assert_eq!(
        v["deviations"][0],
        serde_json::json!({"state": "Charted by RT", "event": "note_signed", "count": 72})
    );
    baton()
        .args(["replay"])
        .arg(sample())
        .args(["--workflow", "respiratory-assessment"])
        .assert()
        .success()
        .stdout(predicate::str::contains("cases fit"));
}

#[test]
fn diff_compares_two_versions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("p.baton");
    baton().args(["new"]).arg(&project).arg("--bundle").arg(sample()).assert().success();
    baton()
        .args(["propose"])
        .arg(&project)
        .args(["--workflow", "respiratory-assessment", "--owner", "ra-reconcile=rn", "--escalate-to", "uc"])
        .assert()
        .success()
        .stdout(predicate::str::contains("The draft is valid."));
    let out = baton()
        .args(["diff"])
        .arg(&project)
        .args(["--workflow", "respiratory-assessment", "--from", "1", "--to", "draft", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    let timer = v
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["part"] == "timer")
        .expect("the 8-hour timer is not proposed");
    assert_eq!(timer["subject"], "Charted by RT → Reconciled by RN on assessment_reconciled");
    assert_eq!((timer["from"].as_str(), timer["to"].as_str()), (Some("PT8H"), Some("")));
    baton()
        .args(["diff"])
        .arg(&project)
        .args(["--workflow", "respiratory-assessment", "--from", "1", "--to", "soon"])
        .assert()
        .code(2);
}

#[test]
fn metrics_compare_the_sample_versions() {
    let out = baton()
        .args(["metrics"])
        .arg(sample())
        .args(["--workflow", "respiratory-assessment", "--version", "2", "--compare", "1", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["versions"], serde_json::json!([1, 2]));
    assert_eq!(v["rows"][0]["version"], 2);
    let reassign = v["comparison"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["step"] == "" && c["metric"] == "reassignment_rate")
        .unwrap();
    assert_eq!(reassign["significant"], true, "{reassign}");
    assert!(reassign["to"].as_f64().unwrap() < reassign["from"].as_f64().unwrap());
    // Importing telemetry into a file project, with a column named by flag.
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("p.baton");
    baton().args(["new"]).arg(&project).args(["--name", "T"]).assert().success();
    let csv = dir.path().join("t.csv");
    std::fs::write(&csv, "id,flow,v,step,event,role,facility,at\n1,w,1,s,created,rn,n,2026-11-02T08:00:00Z\n1,w,1,s,completed,rn,n,2026-11-02T09:00:00Z\n").unwrap();
    baton()
        .args(["import", "telemetry"])
        .arg(&project)
        .arg(&csv)
        .args(["--task", "id", "--workflow", "flow", "--version", "v", "--timestamp", "at", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"cases\": 1"));
}

#[test]
fn an_encrypted_project_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret.baton");
    let f = file.to_str().unwrap();
    baton()
        .args(["new", f, "--bundle"])
        .arg(sample())
        .arg("--encrypt")
        .env_remove("BATON_PASSPHRASE")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("BATON_PASSPHRASE"));
    assert!(!file.exists());
    baton()
        .args(["new", f, "--bundle"])
        .arg(sample())
        .arg("--encrypt")
        .env("BATON_PASSPHRASE", "tide pool 42")
        .assert()
        .success();
    baton()
        .args(["info", f])
        .env_remove("BATON_PASSPHRASE")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is encrypted").and(predicate::str::contains("BATON_PASSPHRASE")));
    baton()
        .args(["info", f])
        .env("BATON_PASSPHRASE", "tide pool")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("passphrase does not open"));
    baton()
        .args(["info", f])
        .env("BATON_PASSPHRASE", "tide pool 42")
        .assert()
        .success()
        .stdout(predicate::str::contains("Respiratory care network"));
    let out = dir.path().join("bundle");
    baton()
        .args(["bundle", "export", f, out.to_str().unwrap()])
        .env("BATON_PASSPHRASE", "tide pool 42")
        .assert()
        .success()
        .stderr(predicate::str::contains("a bundle is plain text"));
    baton().args(["decrypt", f]).env("BATON_PASSPHRASE", "tide pool 42").assert().success();
    baton().args(["info", f]).env_remove("BATON_PASSPHRASE").assert().success();
    baton().args(["encrypt", f]).env("BATON_PASSPHRASE", "new tide").assert().success();
    baton().args(["info", f]).env("BATON_PASSPHRASE", "new tide").assert().success();
}

#[test]
fn a_partial_aggregate_and_a_warehouse_query_round_trip_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.baton");
    baton().arg("new").arg(&project).arg("--bundle").arg(sample()).assert().success();
    let log = sample().join("inputs/respiratory-log.csv");
    let partial = dir.path().join("part.json");
    baton()
        .arg("discover")
        .arg(&log)
        .args(["--timestamp", "Performed At", "--partial"])
        .arg(&partial)
        .arg("--salt-from")
        .arg(&project)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("2028 events in 300 cases")
                .and(predicate::str::contains("project's salt")),
        );
    let doc = json(&std::fs::read(&partial).unwrap());
    assert_eq!(doc["format"], "baton-log-aggregate");
    let text = std::fs::read_to_string(&partial).unwrap();
    assert!(!text.contains("E00001") && !text.contains("MRN"), "no case id leaves in the aggregate");
    let out = baton()
        .args(["import", "aggregate"])
        .arg(&project)
        .arg(&partial)
        .args(["--name", "respiratory-log.csv", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let summary = json(&out);
    assert_eq!((summary["records"].as_u64(), summary["cases"].as_u64()), (Some(2028), Some(300)));
    assert_eq!(summary["format"], "aggregate");
    // Under the log's own name, the aggregate replaces the imported log with the same aggregates.
    let before = dir.path().join("before");
    let after = dir.path().join("after");
    baton().args(["bundle", "export"]).arg(sample()).arg(&before).assert().success();
    baton().args(["bundle", "export"]).arg(&project).arg(&after).assert().success();
    let logs = |d: &std::path::Path| {
        let mut files: Vec<_> =
            std::fs::read_dir(d.join("logs")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(logs(&before), logs(&after));
    // Every dialect's query names the project's salt fingerprint, never a case id.
    for dialect in ["duckdb", "spark", "tsql", "snowflake"] {
        let query = dir.path().join(format!("{dialect}.sql"));
        baton()
            .args(["sql", "--dialect", dialect, "--table", "clarity.dbo.order_audit", "--case", "Order ID"])
            .args(["--facility", "facility", "--salt-from"])
            .arg(&project)
            .arg("-o")
            .arg(&query)
            .assert()
            .success();
        let q = std::fs::read_to_string(&query).unwrap();
        assert!(q.contains("UNION ALL") && q.contains("'variant' AS kind"), "{dialect}");
        assert!(q.contains("clarity.dbo.order_audit"), "{dialect}: the qualified table");
    }
    // A bundle folder has no salt; an unknown dialect is bad usage.
    baton()
        .args(["sql", "--dialect", "duckdb", "--salt-from"])
        .arg(sample())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no salt of its own"));
    baton().args(["sql", "--dialect", "oracle"]).assert().code(2);
    // What is not an aggregate is refused, naming the file; the project is unchanged.
    baton().args(["import", "aggregate"]).arg(&project).arg(&log).assert().code(1).stderr(
        predicate::str::contains("respiratory-log.csv")
            .and(predicate::str::contains("not a Baton log aggregate")),
    );
}
