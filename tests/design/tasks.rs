//! Tasks named for the work: the task an owned state opens carries a name of its own, part of the
//! version's content, derived from the current-state step it replaces where nobody named it (a
//! proposal, a file from before, a new transition), editable, in every export and diagram; and
//! sign-offs given before task names were content keep validating.

use std::path::{Path, PathBuf};

use baton::Project;
use baton::design::{Pick, StateInput, TransitionInput, pick_version, validate};
use baton::export::{Format, export, import_baton_json};
use baton::model::{Model, StateKind};

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network")
}

fn sample() -> Model {
    baton::bundle::read_dir(&sample_dir()).unwrap()
}

fn tasks(m: &Model, version: &str) -> Vec<(String, String)> {
    let mut states: Vec<_> = m.proposed_states.iter().filter(|s| s.version_id == version).collect();
    states.sort_by_key(|s| s.position);
    states.iter().map(|s| (s.name.clone(), s.task.clone())).collect()
}

fn v1(m: &Model) -> String {
    pick_version(m, "respiratory-assessment", Pick::Version(1)).unwrap()
}

/// The sample's versions as the reviewers know them: the RN reconciles, the MD reviews.
fn expected_v1() -> Vec<(String, String)> {
    [
        ("Due", ""),
        ("Charted by RT", "Reconcile assessment with nursing care plan"),
        ("Reconciled by RN", "Review and co-sign assessment"),
        ("Reviewed by MD", ""),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

#[test]
fn the_sample_names_each_task_for_the_work_of_the_step_it_replaces() {
    let m = sample();
    assert_eq!(tasks(&m, &v1(&m)), expected_v1());
    // A bundle from before task names: the same names are derived from the workflow's steps.
    let mut stripped = m.clone();
    stripped.proposed_states.iter_mut().for_each(|s| s.task.clear());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    baton::bundle::write_bundle(&stripped, &out).unwrap();
    let text = std::fs::read_to_string(out.join("workflows/respiratory-assessment.yaml")).unwrap();
    assert!(!text.contains("task:"), "an empty task is not written");
    let read = baton::bundle::read_dir(&out).unwrap();
    assert_eq!(tasks(&read, &v1(&read)), expected_v1());
    for v in m.versions.iter().map(|v| v.id.clone()) {
        assert_eq!(tasks(&read, &v), tasks(&m, &v), "version {v}");
        assert_eq!(validate(&read, &v), [], "version {v}");
    }
}

#[test]
fn signoffs_given_before_task_names_keep_validating_and_new_ones_cover_them() {
    use baton::model::Decision;
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create_with(&dir.path().join("p.baton"), "P", &sample()).unwrap();
    let m = p.model().unwrap();
    let v1 = v1(&m);
    let old = baton::design::signoffs(&m, "respiratory-assessment");
    assert!(old.len() == 1 && old[0].intact, "the sample's signed version 1 stays signed: {old:?}");
    assert_eq!(m.signoffs[0].content_scheme, 1);
    p.sign_off(&v1, "Dr. B", "Hospitalist lead", Some("2026-11-30"), Decision::Approved, "").unwrap();
    let m = p.model().unwrap();
    let new = m.signoffs.iter().find(|s| s.name == "Dr. B").unwrap();
    assert_eq!(new.content_scheme, baton::design::signoff::CONTENT_SCHEME);
    // Renaming a task breaks the sign-off that covers task names, not the one given before them.
    let mut renamed = m.clone();
    let charted =
        renamed.proposed_states.iter_mut().find(|s| s.version_id == v1 && s.name == "Charted by RT");
    charted.unwrap().task = "Co-sign assessment".into();
    let list = baton::design::signoffs(&renamed, "respiratory-assessment");
    let intact = |name: &str| list.iter().find(|s| s.name == name).unwrap().intact;
    assert!(intact("Dr. Amara Okafor") && !intact("Dr. B"), "{list:?}");
    // Both travel through a bundle with their scheme.
    let out = dir.path().join("b");
    baton::bundle::write_bundle(&m, &out).unwrap();
    let text = std::fs::read_to_string(out.join("signoffs.yaml")).unwrap();
    assert_eq!(text.matches("content_scheme: 2").count(), 1, "{text}");
    let read = baton::bundle::read_dir(&out).unwrap();
    assert!(baton::design::signoffs(&read, "respiratory-assessment").iter().all(|s| s.intact));
    // An unknown scheme is refused, naming the field.
    std::fs::write(out.join("signoffs.yaml"), text.replace("content_scheme: 2", "content_scheme: 7"))
        .unwrap();
    let err = baton::bundle::read_dir(&out).unwrap_err().to_string();
    assert!(err.contains("signoffs.yaml") && err.contains("content_scheme"), "{err}");
}

#[test]
fn a_file_from_before_task_names_is_upgraded_with_derived_names_and_its_signoff_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.baton");
    let mut stripped = sample();
    stripped.proposed_states.iter_mut().for_each(|s| s.task.clear());
    drop(Project::create_with(&path, "Old", &stripped).unwrap());
    {
        // Take the file back to schema 10: no task names, no content schemes.
        let conn = rusqlite::Connection::open(&path).unwrap();
        let triggers: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for t in triggers {
            conn.execute_batch(&format!("DROP TRIGGER \"{t}\"")).unwrap();
        }
        conn.execute_batch(
            "ALTER TABLE proposed_state DROP COLUMN task; ALTER TABLE signoff DROP COLUMN content_scheme;
             ALTER TABLE step DROP COLUMN service_level; ALTER TABLE step DROP COLUMN safety_critical;
             ALTER TABLE log_edge DROP COLUMN sketch; DROP TABLE interview_workflow;
             ALTER TABLE comment DROP COLUMN author_name; ALTER TABLE comment DROP COLUMN parent_id;",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 10).unwrap();
    }
    let mut p = Project::open(&path).expect("the old file is upgraded");
    let m = p.model().unwrap();
    assert_eq!(tasks(&m, &v1(&m)), expected_v1());
    let list = baton::design::signoffs(&m, "respiratory-assessment");
    assert!(list.len() == 1 && list[0].intact, "{list:?}");
    // Nothing of the upgrade is an edit to undo.
    assert_eq!(p.undo().unwrap_err().code(), "nothing_to_undo");
}

#[test]
fn a_task_is_named_when_an_owned_transition_enters_its_state_and_can_be_renamed() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create_with(&dir.path().join("p.baton"), "P", &sample()).unwrap();
    let draft = p.start_draft("respiratory-assessment").unwrap();
    let m = p.model().unwrap();
    assert_eq!(tasks(&m, &draft), expected_v1(), "a draft copies its task names");
    let id = |m: &Model, name: &str| {
        m.proposed_states.iter().find(|s| s.version_id == draft && s.name == name).unwrap().id.clone()
    };
    let input = |name: &str, task: &str| StateInput {
        name: name.into(),
        kind: StateKind::Intermediate,
        meaning: String::new(),
        task: task.into(),
    };
    let escalated = p.add_state(&draft, &input("Escalated to charge RN", "")).unwrap();
    let t = TransitionInput {
        from_state_id: id(&m, "Charted by RT"),
        to_state_id: escalated.clone(),
        event: "assessment_reconciled".into(),
        owner_role_id: Some("rn".into()),
        priority: Some(2),
        guard: "facility == \"north\"".into(),
        ..TransitionInput::default()
    };
    p.add_transition(&draft, &t).unwrap();
    let m = p.model().unwrap();
    let named = m.proposed_states.iter().find(|s| s.id == escalated).unwrap().task.clone();
    assert!(!named.is_empty(), "entering it now opens a task, which gets a name");
    // The consultant renames the work; a cleared name is a problem that blocks publishing.
    p.update_state(&escalated, &input("Escalated to charge RN", "Reassign the reconciliation")).unwrap();
    let m = p.model().unwrap();
    assert_eq!(
        m.proposed_states.iter().find(|s| s.id == escalated).unwrap().task,
        "Reassign the reconciliation"
    );
    let reconciled = id(&m, "Charted by RT");
    p.update_state(&reconciled, &input("Charted by RT", "  ")).unwrap();
    let problems = validate(&p.model().unwrap(), &draft);
    let named_task: Vec<_> = problems.iter().filter(|x| x.rule == "named_task").collect();
    assert_eq!(named_task.len(), 1, "{problems:?}");
    assert!(named_task[0].message.contains("Reconcile assessment with nursing care plan"), "{problems:?}");
    // The rename is an edit like any other: undo gives the name back.
    p.undo().unwrap();
    let m = p.model().unwrap();
    assert_eq!(m.proposed_states.iter().find(|s| s.id == reconciled).unwrap().task, expected_v1()[1].1);
    // The comparison with version 1 names the task that changed.
    let changes = baton::design::diff(&m, &v1(&m), &draft);
    assert!(
        changes.iter().any(|c| c.part.as_deref() == Some("task") || c.subject == "Escalated to charge RN"),
        "{changes:?}"
    );
}

#[test]
fn a_proposal_names_each_task_after_the_step_toward_the_next_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = sample();
    // Without its versions, the respiratory workflow is proposed from its business states.
    let versions: Vec<String> = m
        .versions
        .iter()
        .filter(|v| v.workflow_id == "respiratory-assessment")
        .map(|v| v.id.clone())
        .collect();
    m.signoffs.retain(|s| !versions.contains(&s.version_id));
    m.transitions.retain(|t| !versions.contains(&t.version_id));
    m.proposed_states.retain(|s| !versions.contains(&s.version_id));
    m.versions.retain(|v| !versions.contains(&v.id));
    let (states, transitions): (Vec<String>, Vec<String>) = (
        m.proposed_states.iter().map(|s| s.id.clone()).collect(),
        m.transitions.iter().map(|t| t.id.clone()).collect(),
    );
    m.comments.retain(|c| match c.target {
        baton::model::CommentTarget::State => states.contains(&c.target_id),
        baton::model::CommentTarget::Transition => transitions.contains(&c.target_id),
        _ => true,
    });
    let mut p = Project::create_with(&dir.path().join("p.baton"), "P", &m).unwrap();
    let choices = baton::design::ProposeChoices {
        owners: [("ra-reconcile".to_string(), "rn".to_string())].into(),
        escalate_to: Some("uc".into()),
        timer: None,
    };
    let report = p.propose_from_findings("respiratory-assessment", &choices).unwrap();
    let m = p.model().unwrap();
    let named = tasks(&m, &report.version_id);
    assert!(
        named
            .iter()
            .any(|(state, task)| state == "Charted by RT"
                && task == "Reconcile assessment with nursing care plan"),
        "{named:?}"
    );
    assert!(named.iter().all(|(state, task)| task != state), "no task is named for its state: {named:?}");
}

#[test]
fn every_export_and_the_swimlanes_name_the_work_in_its_owners_lane() {
    let m = sample();
    let v = v1(&m);
    let reconcile = "Reconcile assessment with nursing care plan";
    // BPMN: the RN's user task is the reconciliation, the MD's the review; the RT who assesses and
    // charts has a lane, holding the state the case starts in.
    let bpmn = export(&m, &v, Format::Bpmn).unwrap();
    assert!(bpmn.contains(&format!("name=\"{reconcile}\"")), "{bpmn}");
    assert!(bpmn.contains("name=\"Review and co-sign assessment\""));
    assert!(!bpmn.contains("<bpmn:userTask id=\"Task_ra_v1_charted\" name=\"Charted by RT\""));
    let lane_of = |element: &str| -> String {
        let lanes: Vec<&str> = bpmn.split("<bpmn:lane ").skip(1).collect();
        lanes
            .iter()
            .find(|l| l.split("</bpmn:lane>").next().unwrap().contains(&format!(">{element}<")))
            .map(|l| l.split("name=\"").nth(1).unwrap().split('"').next().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(lane_of("StartEvent_1"), "RT", "{bpmn}");
    // XState, SCXML and Serverless Workflow open the task by its name.
    for format in
        [Format::Xstate, Format::Scxml, Format::ServerlessWorkflowJson, Format::Fhir, Format::Mermaid]
    {
        let text = export(&m, &v, format).unwrap();
        assert!(text.contains(reconcile), "{format:?} names the work: {text}");
    }
    // The swimlanes: the work in the RN's lane, its state below it; the first state in the RT's.
    let (flow, _) = baton::diagram::version_flow(&m, "respiratory-assessment", &v);
    let node = flow.nodes.iter().find(|n| n.label.starts_with(reconcile)).unwrap();
    assert_eq!(node.label, format!("{reconcile}\n(Charted by RT)"));
    assert_eq!(flow.lanes[node.lane].name, "RN");
    let due = flow.nodes.iter().find(|n| n.label == "Due").unwrap();
    assert_eq!(flow.lanes[due.lane].name, "RT");
    // The reference machine opens the task by its name too.
    let trace = baton::design::simulate(
        &m,
        &v,
        Some("north"),
        &[baton::design::Input {
            at: 1_790_000_000,
            event: Some("assessment_completed".into()),
            data: Default::default(),
        }],
    )
    .unwrap();
    assert_eq!(trace.steps[0].tasks_opened[0].name, reconcile);
}

#[test]
fn baton_json_carries_task_names_and_reads_the_format_before_them() {
    let m = sample();
    let v = v1(&m);
    let text = export(&m, &v, Format::BatonJson).unwrap();
    let (_, states, _) = import_baton_json(&text, "v2.json", &v).unwrap();
    assert_eq!(states.iter().map(|s| (s.name.clone(), s.task.clone())).collect::<Vec<_>>(), expected_v1());
    // Version 1 of the format: no task names; they come back empty, for the model to derive.
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["format_version"] = 1.into();
    for s in doc["states"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("task");
    }
    let (_, states, _) = import_baton_json(&doc.to_string(), "v1.json", &v).unwrap();
    assert!(states.iter().all(|s| s.task.is_empty()));
    doc["format_version"] = 3.into();
    let err = import_baton_json(&doc.to_string(), "v3.json", &v).unwrap_err().to_string();
    assert!(err.contains("v3.json") && err.contains("format_version"), "{err}");
}
