//! The `.baton` project file: creation, edits, reopening, migrations, refusals, undo/redo.

// A test states what it expects by panicking when it does not get it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::Path;

use baton::store::{APPLICATION_ID, SCHEMA_VERSION};
use baton::{Error, Project};

mod trust;

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

fn role_names(p: &Project) -> Vec<String> {
    p.model().expect("model").roles.into_iter().map(|r| r.name).collect()
}

#[test]
fn create_edit_reopen() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    {
        let mut p = Project::create(&path, "North rescue").expect("create");
        p.add_facility("North Campus", "America/Chicago").expect("facility");
        p.add_role("RT", "Respiratory therapist").expect("role");
        p.rename("North region rescue").expect("rename");
    }
    let p = Project::open(&path).expect("reopen");
    let m = p.model().expect("model");
    assert_eq!(p.meta().expect("meta").name, "North region rescue");
    assert_eq!(m.facilities[0].name, "North Campus");
    assert_eq!(m.facilities[0].timezone, "America/Chicago");
    assert_eq!(role_names(&p), ["RT"]);
    assert_eq!(p.integrity_check().expect("check"), ["ok"]);
}

#[test]
fn ids_are_uuids_and_stable_across_reopen() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let id = Project::create(&path, "P").expect("create").add_role("RN", "").expect("role");
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    let p = Project::open(&path).expect("reopen");
    assert_eq!(p.model().expect("model").roles[0].id, id);
}

#[test]
fn create_refuses_an_existing_path() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    std::fs::write(&path, b"keep me").expect("write");
    let err = Project::create(&path, "P").expect_err("refused");
    assert_eq!(err.code(), "already_exists");
    assert_eq!(std::fs::read(&path).expect("read"), b"keep me");
}

#[test]
fn migrations_run_from_an_empty_database() {
    let dir = temp();
    let path = dir.path().join("old.baton");
    {
        // A Baton file at schema 0: the application id set, no tables yet.
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.pragma_update(None, "application_id", APPLICATION_ID).expect("app id");
        conn.execute_batch("CREATE TABLE placeholder (x); DROP TABLE placeholder;").expect("touch");
    }
    let err = Project::open(&path).err();
    // A schema-0 file has no project row yet, so the migrated file opens but holds no project.
    assert!(err.is_none(), "{err:?}");
    let conn = rusqlite::Connection::open(&path).expect("open");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, SCHEMA_VERSION);
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('role', 'journal_step', 'transition')", [], |r| r.get(0))
        .expect("tables");
    assert_eq!(tables, 3);
}

#[test]
fn a_new_file_is_at_the_current_schema_in_wal_mode() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    drop(Project::create(&path, "P").expect("create"));
    let conn = rusqlite::Connection::open(&path).expect("open");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("mode");
    let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).expect("app");
    assert_eq!((version, mode.as_str(), app), (SCHEMA_VERSION, "wal", APPLICATION_ID));
}

fn assert_refused_unchanged(path: &Path, code: &str, words: &str) {
    let before = std::fs::read(path).expect("read before");
    let err = Project::open(path).expect_err("refused");
    assert_eq!(err.code(), code, "{err}");
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "names the file: {message}");
    assert!(message.contains(words), "says {words:?}: {message}");
    assert_eq!(std::fs::read(path).expect("read after"), before, "file unchanged");
}

#[test]
fn a_newer_schema_is_refused_and_the_file_is_unchanged() {
    let dir = temp();
    let path = dir.path().join("future.baton");
    drop(Project::create(&path, "P").expect("create"));
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5).expect("bump");
        conn.pragma_update(None, "journal_mode", "DELETE").expect("checkpoint");
    }
    assert_refused_unchanged(&path, "newer_schema", "newer version of Baton");
    assert!(
        matches!(Project::open(&path), Err(Error::NewerSchema { found, .. }) if found == SCHEMA_VERSION + 5)
    );
}

#[test]
fn a_text_file_is_refused_and_unchanged() {
    let dir = temp();
    let path = dir.path().join("notes.baton");
    std::fs::write(&path, "interview notes, not a project\n").expect("write");
    assert_refused_unchanged(&path, "not_a_project", "is not a Baton project: it is a text file");
}

#[test]
fn an_empty_file_is_refused() {
    let dir = temp();
    let path = dir.path().join("empty.baton");
    std::fs::write(&path, "").expect("write");
    assert_refused_unchanged(&path, "not_a_project", "empty");
}

#[test]
fn a_truncated_file_is_refused_and_unchanged() {
    let dir = temp();
    let path = dir.path().join("cut.baton");
    {
        let mut p = Project::create(&path, "P").expect("create");
        for i in 0..50 {
            p.add_role(&format!("Role {i} with a long enough name to fill pages"), &"x".repeat(200))
                .expect("role");
        }
    }
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.pragma_update(None, "journal_mode", "DELETE").expect("checkpoint");
    }
    let bytes = std::fs::read(&path).expect("read");
    assert!(bytes.len() > 8192, "the file spans several pages");
    std::fs::write(&path, &bytes[..bytes.len() / 2 + 100]).expect("truncate");
    assert_refused_unchanged(&path, "not_a_project", "truncated");
}

#[test]
fn another_applications_database_is_refused() {
    let dir = temp();
    let path = dir.path().join("other.baton");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .expect("other");
    }
    assert_refused_unchanged(&path, "not_a_project", "another application");
}

#[test]
fn a_missing_file_is_refused_with_its_name() {
    let dir = temp();
    let err = Project::open(&dir.path().join("nowhere.baton")).expect_err("refused");
    assert!(err.to_string().contains("nowhere.baton: no such file"), "{err}");
}

#[test]
fn undo_and_redo_walk_the_journal() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let mut p = Project::create(&path, "P").expect("create");
    assert_eq!(p.undo().expect_err("nothing yet").code(), "nothing_to_undo");
    let rt = p.add_role("RT", "").expect("add");
    p.rename_role(&rt, "Respiratory therapist").expect("rename");
    p.add_role("RN", "").expect("add");
    assert_eq!(role_names(&p), ["RN", "Respiratory therapist"]);

    assert_eq!(p.undo().expect("undo"), "Add role RN");
    assert_eq!(p.undo().expect("undo"), "Rename role to Respiratory therapist");
    assert_eq!(role_names(&p), ["RT"]);
    assert_eq!(p.redo().expect("redo"), "Rename role to Respiratory therapist");
    assert_eq!(role_names(&p), ["Respiratory therapist"]);
    let state = p.journal_state().expect("state");
    assert_eq!(state.redo.as_deref(), Some("Add role RN"));

    // A new edit forgets what could be redone.
    p.add_role("MD", "").expect("add");
    assert_eq!(p.redo().expect_err("redo gone").code(), "nothing_to_undo");
    drop(p);

    // The journal lives in the file: undo works after reopening.
    let mut p = Project::open(&path).expect("reopen");
    assert_eq!(p.undo().expect("undo"), "Add role MD");
    assert_eq!(p.undo().expect("undo"), "Rename role to Respiratory therapist");
    assert_eq!(p.undo().expect("undo"), "Add role RT");
    assert!(role_names(&p).is_empty());
    assert_eq!(p.integrity_check().expect("check"), ["ok"]);
}

#[test]
fn undo_restores_a_removed_facility_with_its_id() {
    let dir = temp();
    let mut p = Project::create(&dir.path().join("p.baton"), "P").expect("create");
    let id = p.add_facility("Riverside", "America/Chicago").expect("add");
    p.remove_facility(&id).expect("remove");
    assert!(p.model().expect("model").facilities.is_empty());
    p.undo().expect("undo");
    let f = &p.model().expect("model").facilities[0];
    assert_eq!(
        (f.id.as_str(), f.name.as_str(), f.timezone.as_str()),
        (id.as_str(), "Riverside", "America/Chicago")
    );
}

#[test]
fn undo_reverses_a_whole_bundle_worth_of_rows_in_a_real_project() {
    let dir = temp();
    let path = dir.path().join("s.baton");
    let mut p =
        Project::create_with(&path, "Sample", &baton::bundle::sample().expect("sample")).expect("create");
    let before = p.model().expect("model");
    // Removing a role that interviews use is refused and changes nothing.
    let rt = before.roles.iter().find(|r| r.name == "RT").expect("RT").id.clone();
    assert_eq!(p.remove_role(&rt).expect_err("in use").code(), "invalid_input");
    assert_eq!(p.model().expect("model"), before);
    assert!(p.journal_state().expect("state").undo.is_none(), "a failed edit leaves no undo step");
}

#[test]
fn failed_edits_change_nothing() {
    let dir = temp();
    let mut p = Project::create(&dir.path().join("p.baton"), "P").expect("create");
    p.add_role("RT", "").expect("add");
    assert_eq!(p.add_role("rt", "").expect_err("duplicate").code(), "invalid_input");
    assert_eq!(p.add_role("  ", "").expect_err("empty").code(), "invalid_input");
    assert_eq!(role_names(&p), ["RT"]);
    assert_eq!(p.undo().expect("undo"), "Add role RT");
}

#[test]
fn a_version_1_file_is_upgraded_keeping_statements_and_triage() {
    let dir = temp();
    let path = dir.path().join("v1.baton");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(include_str!("../../src/store/migrations/0001_model.sql")).expect("schema 1");
        conn.execute_batch(include_str!("../fixtures/version-1-base.sql")).expect("base rows");
        conn.execute_batch(
            "INSERT INTO statement (id, interview_id, position, step_name, step_id, performed_by)
                 VALUES ('st1', 'i1', 0, 'Chart it', 's1', 'rt');
             INSERT INTO finding (id, kind, severity, title, status) VALUES ('f1', 'orphan_step', 'low', 'T', 'dismissed');
             INSERT INTO finding (id, kind, severity, title, status) VALUES ('f2', 'orphan_step', 'low', 'U', 'open');",
        )
        .expect("rows");
        conn.pragma_update(None, "application_id", APPLICATION_ID).expect("app id");
        conn.pragma_update(None, "user_version", 1).expect("version");
    }
    let mut p = Project::open(&path).expect("upgraded");
    let m = p.model().expect("model");
    assert_eq!(m.statements[0].workflow_id.as_deref(), Some("wf"));
    assert_eq!(m.finding_triage.len(), 1);
    assert_eq!(m.finding_triage[0].id, "f1");
    assert!(!m.steps[0].generated, "steps from before consolidation are the consultant's");
    // Edits on the upgraded file are journaled like any other.
    p.rename_step("s1", "Chart assessment").expect("rename");
    p.undo().expect("undo");
    assert_eq!(p.model().expect("model").steps[0].name, "Chart");
}

/// Every byte of the project file and its side files.
fn raw_bytes(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        out.extend(std::fs::read(&name).unwrap_or_default());
    }
    out
}

#[test]
fn a_purged_file_holds_nothing_deleted() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    let mut p = Project::create_with(&path, "P", &baton::bundle::read_dir(&sample).unwrap()).unwrap();
    let secret = b"Zebulon-Quartermaine-bed-17";
    let rn = p.model().unwrap().interviews.iter().find(|i| i.alias == "RN-7").unwrap().clone();
    let input = baton::interviews::InterviewInput {
        role_id: rn.role_id.clone(),
        facility_id: rn.facility_id.clone(),
        shift: rn.shift.clone(),
        alias: rn.alias.clone(),
        date: rn.date.clone(),
        interviewer: rn.interviewer.clone(),
        notes: String::from_utf8(secret.to_vec()).unwrap(),
        workflows: rn.workflows.clone(),
    };
    p.update_interview(&rn.id, &input).unwrap();
    p.remove_interview(&rn.id).unwrap();
    let contains = |bytes: &[u8]| bytes.windows(secret.len()).any(|w| w == secret);
    // Removed, but the undo history still holds it (that is what undo restores from).
    assert!(contains(&raw_bytes(&path)), "the undo history keeps the removed interview");
    p.purge().unwrap();
    assert!(!contains(&raw_bytes(&path)), "a purged file still holds the removed notes");
    assert!(p.undo().is_err(), "nothing to undo after a purge");
    assert_eq!(p.audit().unwrap()[0].action, "purge");
    drop(p);
    // The file still opens and passes its integrity check.
    let p = Project::open(&path).unwrap();
    assert!(p.model().unwrap().interviews.iter().all(|i| i.alias != "RN-7"));
}

#[test]
fn a_full_disk_or_a_read_only_file_saves_nothing_and_says_so() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    let mut p = Project::create_with(&path, "P", &baton::bundle::read_dir(&sample).unwrap()).unwrap();
    let before = p.model().unwrap();
    // Room for no more than a few pages: importing the sample's telemetry cannot fit.
    p.simulate_storage_limits(Some(p.page_count().unwrap() + 2), false).unwrap();
    let source = sample.join("inputs/task-telemetry.csv");
    let settings = baton::telemetry::TelemetrySettings::default();
    let err = p.import_telemetry(&source, &settings, &baton::progress::Progress::new()).unwrap_err();
    assert_eq!(err.code(), "disk_full", "{err}");
    assert!(err.to_string().contains("the disk is full") && err.to_string().contains("not saved"), "{err}");
    assert_eq!(p.model().unwrap(), before, "nothing half-written");
    // Read-only: an edit is refused the same way.
    p.simulate_storage_limits(None, true).unwrap();
    let err = p.rename("Renamed").unwrap_err();
    assert_eq!(err.code(), "read_only", "{err}");
    assert!(err.to_string().contains("cannot be written"), "{err}");
    drop(p);
    let p = Project::open(&path).unwrap();
    assert_eq!(p.model().unwrap(), before);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

fn sample_model() -> baton::model::Model {
    baton::bundle::read_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network"),
    )
    .unwrap()
}

#[test]
fn an_encrypted_project_opens_only_with_its_passphrase() {
    let dir = temp();
    let path = dir.path().join("secret.baton");
    let model = sample_model();
    let p = Project::create_encrypted(&path, "P", &model, Some("correct horse battery")).unwrap();
    assert!(p.is_encrypted());
    let before = p.model().unwrap();
    drop(p);
    // Nothing readable in the file or its log.
    let raw = raw_bytes(&path);
    for text in [&b"Reconcile assessment"[..], b"SQLite format 3", b"North Campus"] {
        assert!(!raw.windows(text.len()).any(|w| w == text), "{} is readable", String::from_utf8_lossy(text));
    }
    let bytes = std::fs::read(&path).unwrap();
    let err = Project::open(&path).unwrap_err();
    assert_eq!(err.code(), "encrypted", "{err}");
    assert!(err.to_string().contains("passphrase"), "{err}");
    let err = Project::open_with(&path, Some("wrong horse")).unwrap_err();
    assert_eq!(err.code(), "wrong_passphrase", "{err}");
    assert!(err.to_string().contains("was not changed"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "a refused open changes nothing");
    let p = Project::open_with(&path, Some("correct horse battery")).unwrap();
    assert_eq!(p.model().unwrap(), before);
}

#[test]
fn a_project_is_encrypted_and_decrypted_in_place_with_its_history() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let mut p = Project::create_with(&path, "P", &sample_model()).unwrap();
    p.add_role("Charge nurse", "").unwrap();
    let before = p.model().unwrap();
    p.set_passphrase(Some("s3cret passphrase")).unwrap();
    assert!(p.is_encrypted());
    assert_eq!(p.model().unwrap(), before);
    assert_eq!(Project::open(&path).unwrap_err().code(), "encrypted");
    // The undo history came along.
    p.undo().unwrap();
    assert!(p.model().unwrap().roles.iter().all(|r| r.name != "Charge nurse"));
    p.redo().unwrap();
    drop(p);
    let mut p = Project::open_with(&path, Some("s3cret passphrase")).unwrap();
    assert_eq!(p.model().unwrap(), before);
    p.set_passphrase(None).unwrap();
    assert!(!p.is_encrypted());
    drop(p);
    assert_eq!(Project::open(&path).unwrap().model().unwrap(), before);
}

#[test]
fn a_role_in_use_says_what_uses_it_and_merges_into_another_as_one_edit() {
    let dir = temp();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    let mut p =
        Project::create_with(&dir.path().join("p.baton"), "P", &baton::bundle::read_dir(&sample).unwrap())
            .expect("project");
    let uses = p.role_uses("uc").expect("uses");
    assert!(uses.iter().any(|u| u.ends_with("interview")), "{uses:?}");
    assert!(uses.iter().any(|u| u.contains("transition")), "{uses:?}");
    let err = p.remove_role("uc").expect_err("in use").to_string();
    assert!(err.contains("use this role") && err.contains("merge"), "{err}");
    let before = p.model().expect("model");
    p.merge_role("uc", "rn").expect("merge");
    let m = p.model().expect("model");
    assert!(!m.roles.iter().any(|r| r.id == "uc"));
    assert!(!m.transitions.iter().any(|t| t.escalate_to_role_id.as_deref() == Some("uc")));
    assert!(m.interviews.iter().all(|i| i.role_id != "uc"));
    assert_eq!(m.interviews.len(), before.interviews.len(), "nothing is lost");
    assert!(p.merge_role("rn", "rn").is_err());
    assert_eq!(p.undo().expect("undo"), "Merge roles");
    assert_eq!(p.model().expect("model"), before, "one undo restores everything");
    // A role nothing uses goes.
    let id = p.add_role("Chaplain", "").expect("role");
    assert!(p.role_uses(&id).expect("uses").is_empty());
    p.remove_role(&id).expect("remove");
}

#[test]
fn a_new_facility_gets_the_machines_time_zone_and_a_wrong_zone_is_refused() {
    let dir = temp();
    let mut p = Project::create(&dir.path().join("p.baton"), "P").expect("create");
    let id = p.add_facility("Clinic", "").expect("facility");
    let zone = p.model().expect("model").facilities.into_iter().find(|f| f.id == id).unwrap().timezone;
    assert_eq!(zone, baton::store::default_timezone());
    let err = p.add_facility("Annex", "Mars/Olympus").expect_err("bad zone").to_string();
    assert!(err.contains("Mars/Olympus") && err.contains("time zone"), "{err}");
}

#[test]
fn a_workflow_is_added_from_a_template_edited_and_deleted_whole_and_undo_restores_it() {
    let dir = temp();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    let mut p =
        Project::create_with(&dir.path().join("p.baton"), "P", &baton::bundle::read_dir(&sample).unwrap())
            .expect("project");
    let before = p.model().expect("model");
    // From a template, into this project: its roles matched by name ("RN"), the others added.
    let added = p.add_workflow_from_template("medication-order").expect("template");
    let m = p.model().expect("model");
    assert_eq!(added.len(), 1);
    let w = m.workflows.iter().find(|w| w.id == added[0]).expect("workflow");
    assert!(m.steps.iter().filter(|s| s.workflow_id == w.id).count() >= 3);
    assert_eq!(m.roles.iter().filter(|r| r.name == "RN").count(), 1, "RN is the project's own");
    assert!(m.roles.iter().any(|r| r.name == "Pharmacist"), "a role the project lacked is added");
    assert!(m.business_states.iter().any(|b| b.workflow_id == w.id));
    let err = p.add_workflow_from_template("medication-order").expect_err("twice").to_string();
    assert!(err.contains("already has a workflow named"), "{err}");
    assert_eq!(p.undo().expect("undo"), "Add workflow from template medication-order");
    assert_eq!(p.model().expect("model"), before);
    // Renamed and described; deleted with everything in it, then restored by one Undo.
    p.update_workflow("respiratory-assessment", "Respiratory assessment (adult)", "Adult inpatients")
        .expect("edit");
    let uses = p.workflow_uses("respiratory-assessment").expect("uses");
    assert!(
        uses.iter().any(|u| u.ends_with("steps")) && uses.iter().any(|u| u.contains("proposed versions")),
        "{uses:?}"
    );
    let edited = p.model().expect("model");
    p.remove_workflow("respiratory-assessment").expect("remove");
    let m = p.model().expect("model");
    assert!(!m.workflows.iter().any(|w| w.id == "respiratory-assessment"));
    assert!(!m.steps.iter().any(|s| s.workflow_id == "respiratory-assessment"));
    assert!(!m.statements.iter().any(|s| s.workflow_id.as_deref() == Some("respiratory-assessment")));
    assert!(m.signoffs.is_empty(), "the signed version went with it");
    assert_eq!(p.undo().expect("undo"), "Delete workflow Respiratory assessment (adult)");
    assert_eq!(p.model().expect("model"), edited, "one Undo restores the workflow whole");
}
