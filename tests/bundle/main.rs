//! Bundles: the round trip CLI.md promises, the schema, and an error for each kind of bad bundle.

// A test states what it expects by panicking when it does not get it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../helpers/fs.rs"]
mod fs;
use fs::copy_dir;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use baton::{Project, bundle};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample_dir() -> PathBuf {
    repo().join("sample-projects/respiratory-network")
}

/// Every file under `dir` (relative path → bytes), ignoring what the reader ignores.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            let rel = path.strip_prefix(root).expect("prefix").to_string_lossy().replace('\\', "/");
            if rel == "README.md" || rel.starts_with("exports") || rel.starts_with("inputs") {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn round_trip(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("p.baton");
    let model = bundle::read_dir(dir).expect("read bundle");
    let name = model.project.as_ref().expect("project").name.clone();
    drop(Project::create_with(&file, &name, &model).expect("create"));
    let out = tmp.path().join("out");
    bundle::write_bundle(&Project::open(&file).expect("open").model().expect("model"), &out).expect("write");
    files(&out)
}

#[test]
fn the_sample_round_trips_byte_for_byte() {
    let original = files(&sample_dir());
    let again = round_trip(&sample_dir());
    assert_eq!(original.keys().collect::<Vec<_>>(), again.keys().collect::<Vec<_>>());
    for (name, bytes) in &original {
        assert!(again[name] == *bytes, "{name} differs after export(new(sample))");
    }
}

#[test]
fn every_template_round_trips_and_is_what_new_template_uses() {
    let names = bundle::template_names();
    assert!(names.len() >= 4, "{names:?}");
    for name in &names {
        let dir = repo().join("templates").join(name);
        assert_eq!(files(&dir), round_trip(&dir), "template {name}");
        let m = bundle::template(name).expect("embedded template");
        assert_eq!(m.workflows.len(), 1, "template {name} holds one workflow");
        assert!(!m.roles.is_empty() && !m.steps.is_empty(), "template {name} has roles and steps");
    }
}

#[test]
fn the_embedded_sample_is_the_sample_on_disk() {
    assert_eq!(bundle::sample().expect("embedded"), bundle::read_dir(&sample_dir()).expect("on disk"));
}

#[test]
fn the_sample_tells_the_engagement_story() {
    let m = bundle::sample().expect("sample");
    assert_eq!(m.facilities.len(), 3);
    let roles: Vec<&str> = m.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(roles, ["MD", "RN", "RT", "Unit coordinator"]);
    assert!(m.interviews.len() >= 6);
    let workflows: Vec<&str> = m.workflows.iter().map(|w| w.name.as_str()).collect();
    assert!(workflows.contains(&"Respiratory assessment") && workflows.contains(&"Oxygen titration order"));
    // RTs say the RN reconciles; RNs say the RT does.
    let role_of = |name: &str| m.roles.iter().find(|r| r.name == name).expect("role").id.clone();
    let (rt, rn) = (role_of("RT"), role_of("RN"));
    let claim_by = |speaker: &str, about: &str| {
        m.claims.iter().any(|c| {
            let s = m.statements.iter().find(|s| s.id == c.statement_id).expect("statement");
            let i = m.interviews.iter().find(|i| i.id == s.interview_id).expect("interview");
            i.role_id == speaker
                && c.role_id == about
                && c.owns
                && s.step_id.as_deref() == Some("ra-reconcile")
        })
    };
    assert!(claim_by(&rt, &rn) && claim_by(&rn, &rt));
    // "Complete" maps to three different business states at three facilities.
    let complete = m.emr_values.iter().find(|v| v.value == "Complete").expect("Complete");
    let states: std::collections::BTreeSet<_> = m
        .mappings
        .iter()
        .filter(|x| x.value_id == complete.id)
        .map(|x| (&x.state_id, &x.facility_id))
        .collect();
    assert_eq!(states.len(), 3);
}

#[test]
fn a_bundle_without_inputs_made_in_baton_round_trips() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("made.baton");
    let mut p = Project::create(&file, "Made by hand").expect("create");
    p.add_facility("Clinic A", "Europe/Paris").expect("facility");
    p.add_role("RN", "Registered nurse").expect("role");
    let dir = tmp.path().join("bundle");
    bundle::write_bundle(&p.model().expect("model"), &dir).expect("write");
    let first = files(&dir);
    assert_eq!(round_trip(&dir), first);
    // The same project exported twice gives the same bytes.
    bundle::write_bundle(&p.model().expect("model"), &dir).expect("write again");
    assert_eq!(files(&dir), first);
}

#[test]
fn re_export_into_an_earlier_bundle_keeps_people_files_and_drops_stale_ones() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("b");
    copy_dir(&sample_dir(), &dir);
    std::fs::write(dir.join("README.md"), "notes for people").expect("readme");
    std::fs::write(dir.join("interviews/stale.yaml"), "id: stale").expect("stale");
    let model = bundle::read_dir(&sample_dir()).expect("read");
    bundle::write_bundle(&model, &dir).expect("write");
    assert!(!dir.join("interviews/stale.yaml").exists());
    assert_eq!(std::fs::read_to_string(dir.join("README.md")).expect("readme"), "notes for people");
    // A folder that is not a bundle is never written into.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(other.join("thesis.docx"), "x").expect("write");
    let err = bundle::write_bundle(&model, &other).expect_err("refused");
    assert!(err.to_string().contains("holds no baton.yaml"), "{err}");
}

#[test]
fn schemas_in_docs_are_current_and_the_sample_follows_them() {
    for (file, schema_name, schema) in baton::schemas::json_schemas() {
        let committed = repo().join("docs/schema").join(schema_name);
        let text = std::fs::read_to_string(&committed).unwrap_or_default();
        let on_disk: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert!(
            on_disk == schema,
            "docs/schema/{schema_name} is stale: run `cargo run -- bundle schema docs/schema`"
        );
        let validator = jsonschema::validator_for(&schema).expect("valid schema");
        let targets: Vec<PathBuf> = if let Some((folder, ending)) = file.split_once("/*") {
            // Optional folders (telemetry/) may be absent from the sample.
            std::fs::read_dir(sample_dir().join(folder))
                .into_iter()
                .flatten()
                .map(|e| e.expect("entry").path())
                .filter(|p| p.to_string_lossy().ends_with(ending))
                .collect()
        } else {
            vec![sample_dir().join(file)]
        };
        for target in targets {
            let yaml = std::fs::read_to_string(&target).expect("read yaml");
            let value: serde_json::Value = serde_saphyr::from_str(&yaml).expect("yaml");
            let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{} breaks its schema: {errors:?}", target.display());
        }
    }
}

/// Copies the sample, lets `break_it` damage the copy, and returns the reader's error message.
fn broken(break_it: impl FnOnce(&Path)) -> String {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("b");
    copy_dir(&sample_dir(), &dir);
    break_it(&dir);
    let err = bundle::read_dir(&dir).expect_err("bad bundle refused");
    assert_eq!(err.code(), "bad_bundle", "{err}");
    err.to_string()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} holds {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn an_unknown_role_is_named_with_file_and_path() {
    let msg = broken(|d| {
        edit(
            &d.join("interviews/rt-north-night.yaml"),
            "performed_by: rt\n  initiated_by",
            "performed_by: rx\n  initiated_by",
        )
    });
    assert!(
        msg.contains("interviews/rt-north-night.yaml: statements[0].performed_by: unknown role \"rx\""),
        "{msg}"
    );
    assert!(msg.contains("known role ids: md, rn, rt, uc"), "{msg}");
}

#[test]
fn a_duplicate_id_is_named_with_both_places() {
    let msg = broken(|d| edit(&d.join("roles.yaml"), "id: rn", "id: md"));
    assert!(msg.contains("roles.yaml: [1].id: duplicate role id \"md\", already used at"), "{msg}");
}

#[test]
fn a_wrong_type_is_named_with_its_line() {
    let msg =
        broken(|d| edit(&d.join("workflows/respiratory-assessment.yaml"), "number: 1", "number: first"));
    assert!(msg.contains("workflows/respiratory-assessment.yaml"), "{msg}");
    assert!(msg.contains("line"), "names the line: {msg}");
}

#[test]
fn an_unknown_enum_value_lists_the_accepted_ones() {
    let msg = broken(|d| edit(&d.join("workflows/oxygen-titration.yaml"), "kind: decision", "kind: gateway"));
    assert!(msg.contains("steps[4].kind: \"gateway\" is not one of: start, task, decision, end"), "{msg}");
}

#[test]
fn a_missing_file_is_named() {
    let msg = broken(|d| std::fs::remove_file(d.join("roles.yaml")).expect("rm"));
    assert!(msg.contains("roles.yaml: file: is missing"), "{msg}");
}

#[test]
fn a_folder_that_is_not_a_bundle_is_named() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let err = bundle::read_dir(tmp.path()).expect_err("refused");
    assert!(err.to_string().contains("baton.yaml: file: is missing"), "{err}");
}

#[test]
fn an_unknown_key_is_refused() {
    let msg = broken(|d| {
        edit(
            &d.join("facilities.yaml"),
            "  timezone: America/Chicago\n",
            "  timezone: America/Chicago\n  beds: 40\n",
        )
    });
    assert!(msg.contains("facilities.yaml") && msg.contains("beds"), "{msg}");
}

#[test]
fn a_file_named_unlike_its_id_is_refused() {
    let msg = broken(|d| {
        std::fs::rename(d.join("interviews/rn-north-night.yaml"), d.join("interviews/nurse.yaml"))
            .expect("mv")
    });
    assert!(msg.contains("does not match the file name; rename the file to rn-north-night.yaml"), "{msg}");
}

#[test]
fn a_bad_count_row_names_its_line() {
    let msg = broken(|d| {
        edit(
            &d.join("emr/value-counts.csv"),
            "doc-status-complete,north,8920",
            "doc-status-complete,north,lots",
        )
    });
    assert!(msg.contains("emr/value-counts.csv: line 3"), "{msg}");
}

#[test]
fn a_newer_bundle_format_is_refused() {
    let msg = broken(|d| edit(&d.join("baton.yaml"), "format_version: 1", "format_version: 9"));
    assert!(msg.contains("format_version: version 9 is not one this Baton reads"), "{msg}");
}

#[test]
fn consolidation_and_triage_round_trip_through_a_bundle() {
    use baton::interviews::{InterviewInput, StatementInput};
    use baton::model::FindingStatus;
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut p = Project::in_memory("Sample", &bundle::sample().expect("sample")).expect("project");
    let iv = p
        .add_interview(&InterviewInput {
            role_id: "rn".into(),
            facility_id: "lakeview".into(),
            alias: "RN-9".into(),
            workflows: vec!["respiratory-assessment".into()],
            ..Default::default()
        })
        .expect("interview");
    p.add_statement(
        &iv,
        &StatementInput {
            workflow_id: Some("respiratory-assessment".into()),
            step_name: "Escalate missed reconciliations".into(),
            ..Default::default()
        },
    )
    .expect("statement");
    let drift = baton::findings::analyze(
        &p.model().unwrap(),
        &Default::default(),
        &baton::progress::Progress::none(),
    )
    .expect("findings")
    .into_iter()
    .find(|f| f.kind == baton::findings::FindingKind::OwnershipDrift)
    .expect("drift");
    p.triage_finding(&drift.id, FindingStatus::Dismissed, "Known; fixed by the v1 proposal").expect("triage");
    let dir = tmp.path().join("b");
    bundle::write_bundle(&p.model().expect("model"), &dir).expect("write");
    let workflow = std::fs::read_to_string(dir.join("workflows/respiratory-assessment.yaml")).expect("read");
    assert!(workflow.contains("generated: true"), "{workflow}");
    let findings = std::fs::read_to_string(dir.join("findings.yaml")).expect("read");
    assert!(findings.contains("status: dismissed") && findings.contains("reason: Known"), "{findings}");
    let again = Project::in_memory("Sample", &bundle::read_dir(&dir).expect("read back")).expect("project");
    assert_eq!(again.model().expect("model"), p.model().expect("model"));
    assert_eq!(round_trip(&dir), files(&dir));
}

#[test]
fn a_statement_without_a_step_names_its_workflow_and_is_grouped_on_request() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("b");
    copy_dir(&sample_dir(), &dir);
    edit(
        &dir.join("interviews/rt-north-night.yaml"),
        "  step_id: ra-chart\n",
        "  workflow: respiratory-assessment\n",
    );
    let model = bundle::read_dir(&dir).expect("read");
    let s = model.statements.iter().find(|s| s.id == "rt-nn-2").expect("statement");
    assert_eq!((s.step_id.as_deref(), s.workflow_id.as_deref()), (None, Some("respiratory-assessment")));
    // Import keeps it as written, so the bundle round trips...
    assert_eq!(round_trip(&dir), files(&dir));
    // ...and consolidation groups it into the step its words name.
    let mut p = Project::in_memory("B", &model).expect("project");
    p.consolidate("respiratory-assessment").expect("consolidate");
    let m = p.model().expect("model");
    let s = m.statements.iter().find(|s| s.id == "rt-nn-2").expect("statement");
    assert_eq!(s.step_id.as_deref(), Some("ra-chart"), "RT-5 said “Chart the assessment” about ra-chart too");
}

#[test]
fn a_statement_whose_workflow_contradicts_its_step_is_refused() {
    let message = broken(|dir| {
        edit(
            &dir.join("interviews/rt-north-night.yaml"),
            "  step_id: ra-assess\n",
            "  step_id: ra-assess\n  workflow: oxygen-titration\n",
        )
    });
    assert!(
        message.contains("rt-north-night.yaml") && message.contains("statements[0].workflow"),
        "{message}"
    );
}

#[test]
fn an_open_finding_in_findings_yaml_is_refused() {
    let message = broken(|dir| {
        std::fs::write(
            dir.join("findings.yaml"),
            "- id: x\n  kind: orphan_step\n  title: T\n  status: open\n",
        )
        .expect("write")
    });
    assert!(message.contains("findings.yaml") && message.contains("[0].status"), "{message}");
}

#[cfg(unix)]
#[test]
fn bundle_inputs_that_link_outside_the_bundle_or_are_not_files_are_refused() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("secret.csv");
    std::fs::write(&outside, "Field,Value,Site,Count\nroot:x:0:0,SECRET-LINE,North,1\n").unwrap();
    let bundle = |name: &str, setup: &dyn Fn(&Path)| -> (PathBuf, baton::Error) {
        let b = dir.path().join(name);
        copy_dir(&sample_dir(), &b);
        let _ = std::fs::remove_dir_all(b.join("inputs"));
        std::fs::create_dir_all(b.join("inputs")).unwrap();
        std::fs::write(b.join("inputs/imports.yaml"), "- file: status.csv\n  kind: status\n").unwrap();
        setup(&b);
        let mut p = Project::create_with(
            &dir.path().join(format!("{name}.baton")),
            "P",
            &baton::bundle::read_dir(&b).unwrap(),
        )
        .unwrap();
        let err = baton::bundle::import_inputs(&mut p, &b, &baton::progress::Progress::new()).unwrap_err();
        (b, err)
    };
    let (_, err) = bundle("linked-file", &|b| symlink(&outside, b.join("inputs/status.csv")).unwrap());
    let message = err.to_string();
    assert!(message.contains("link to a file outside the bundle"), "{message}");
    assert!(!message.contains("SECRET-LINE"), "the refused file's content is not printed: {message}");

    let (_, err) = bundle("linked-folder", &|b| {
        std::fs::remove_dir_all(b.join("inputs")).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("imports.yaml"), "- file: status.csv\n  kind: status\n").unwrap();
        std::fs::copy(&outside, elsewhere.join("status.csv")).unwrap();
        symlink(&elsewhere, b.join("inputs")).unwrap();
    });
    assert!(err.to_string().contains("outside the bundle"), "{err}");
    assert!(!err.to_string().contains("SECRET-LINE"));

    let (_, err) = bundle("fifo", &|b| {
        let fifo = b.join("inputs/status.csv");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    });
    assert!(err.to_string().contains("is a named pipe (FIFO), not a file"), "{err}");
    let (_, err) = bundle("device", &|b| symlink("/dev/zero", b.join("inputs/status.csv")).unwrap());
    assert!(err.to_string().contains("is a device, not a file"), "{err}");
}
