//! The designer's edits: drafts copied from the latest version, published versions immutable,
//! states and transitions checked as they are entered, publishing only a valid draft.

use std::path::Path;

use baton::Project;
use baton::design::{Pick, StateInput, TransitionInput, pick_version, validate};
use baton::model::{OwnerOverride, StateKind};

fn project(dir: &tempfile::TempDir) -> Project {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    let model = baton::bundle::read_dir(&sample).unwrap();
    Project::create_with(&dir.path().join("p.baton"), "P", &model).unwrap()
}

#[test]
fn a_draft_copies_the_latest_version_and_publishes_as_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let m = p.model().unwrap();
    let v1 = pick_version(&m, "respiratory-assessment", Pick::Version(1)).unwrap();
    let draft = p.start_draft("respiratory-assessment").unwrap();
    assert_eq!(p.start_draft("respiratory-assessment").unwrap(), draft, "one draft at a time");
    let m = p.model().unwrap();
    let count = |v: &str| {
        (
            m.proposed_states.iter().filter(|s| s.version_id == v).count(),
            m.transitions.iter().filter(|t| t.version_id == v).count(),
        )
    };
    assert_eq!(count(&draft), count(&v1));
    assert_eq!(validate(&m, &draft), []);
    // The published version is immutable.
    let state = m.proposed_states.iter().find(|s| s.version_id == v1).unwrap().id.clone();
    let renamed = StateInput {
        name: "Renamed".into(),
        kind: StateKind::Initial,
        meaning: String::new(),
        task: String::new(),
    };
    let err = p.update_state(&state, &renamed).unwrap_err().to_string();
    assert!(err.contains("published") && err.contains("draft"), "{err}");
    // Add an escalation state to the draft and route to it.
    let charted = m
        .proposed_states
        .iter()
        .find(|s| s.version_id == draft && s.name == "Charted by RT")
        .unwrap()
        .id
        .clone();
    let escalated = p
        .add_state(
            &draft,
            &StateInput {
                name: "Escalated to charge RN".into(),
                kind: StateKind::Intermediate,
                meaning: "Waiting too long".into(),
                task: String::new(),
            },
        )
        .unwrap();
    let mut t = TransitionInput {
        from_state_id: charted.clone(),
        to_state_id: escalated.clone(),
        event: "assessment_reconciled".into(),
        owner_role_id: Some("rn".into()),
        ..TransitionInput::default()
    };
    // A guard that does not type-check is refused when entered.
    t.guard = "spo2 < \"low\"".into();
    let err = p.add_transition(&draft, &t).unwrap_err().to_string();
    assert!(err.contains("guard"), "{err}");
    t.guard.clear();
    t.timer = "two hours".into();
    assert!(p.add_transition(&draft, &t).unwrap_err().to_string().contains("ISO 8601"));
    t.timer.clear();
    let added = p.add_transition(&draft, &t).unwrap();
    // Now the draft is invalid (Escalated leads nowhere; two transitions on one event): no publishing.
    let err = p.publish_draft("respiratory-assessment", "").unwrap_err().to_string();
    assert!(err.contains("problem"), "{err}");
    p.remove_transition(&added).unwrap();
    p.remove_state(&escalated).unwrap();
    assert_eq!(p.publish_draft("respiratory-assessment", "Third proposal").unwrap(), 3);
    let m = p.model().unwrap();
    let v2 = pick_version(&m, "respiratory-assessment", Pick::Latest).unwrap();
    assert_eq!(m.versions.iter().find(|v| v.id == v2).unwrap().note, "Third proposal");
    // Undo takes the publishing back.
    p.undo().unwrap();
    assert!(pick_version(&p.model().unwrap(), "respiratory-assessment", Pick::Draft).is_ok());
}

#[test]
fn events_and_facility_owners_are_edited_with_their_checks() {
    use baton::model::FieldKind;
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    p.save_event(
        "spo2_measured",
        "A saturation reading",
        &[("spo2".into(), FieldKind::Number)],
        &["Measure SpO2".into()],
    )
    .unwrap();
    let m = p.model().unwrap();
    let e = m.events.iter().find(|e| e.name == "spo2_measured").unwrap();
    assert_eq!((e.fields.len(), e.activities.clone()), (1, vec!["Measure SpO2".to_string()]));
    for (name, fields) in [("bad name", vec![]), ("ok", vec![("facility".to_string(), FieldKind::String)])] {
        assert!(p.save_event(name, "", &fields, &[]).is_err(), "{name}");
    }
    // A guard on the new event's field is accepted in a draft, and facility owners are kept.
    let draft = p.start_draft("respiratory-assessment").unwrap();
    let m = p.model().unwrap();
    let state =
        |n: &str| m.proposed_states.iter().find(|s| s.version_id == draft && s.name == n).unwrap().id.clone();
    let t = TransitionInput {
        from_state_id: state("Charted by RT"),
        to_state_id: state("Charted by RT"),
        event: "spo2_measured".into(),
        guard: "spo2 < 88".into(),
        owner_role_id: Some("rt".into()),
        owner_at: vec![OwnerOverride { facility_id: "north".into(), role_id: "rn".into() }],
        ..TransitionInput::default()
    };
    let id = p.add_transition(&draft, &t).unwrap();
    let m = p.model().unwrap();
    let saved = m.transitions.iter().find(|x| x.id == id).unwrap();
    assert_eq!(saved.overrides.len(), 1);
    assert_eq!(
        (saved.overrides[0].facility_id.as_str(), saved.overrides[0].role_id.as_str()),
        ("north", "rn")
    );
    let bad = TransitionInput {
        owner_at: vec![OwnerOverride { facility_id: "mars".into(), role_id: "rn".into() }],
        ..t
    };
    assert!(p.update_transition(&id, &bad).is_err(), "an unknown facility is refused");
}

#[test]
fn a_signoff_is_bound_to_the_version_content() {
    use baton::model::Decision;
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let m = p.model().unwrap();
    // The sample's version 1 is signed off, and intact.
    let list = baton::design::signoffs(&m, "respiratory-assessment");
    assert_eq!(list.len(), 1);
    assert!(list[0].intact && list[0].decision == baton::model::Decision::Approved, "{list:?}");
    let v1 = pick_version(&m, "respiratory-assessment", Pick::Version(1)).unwrap();
    // A draft cannot be signed; changes requested need a comment; the date must be a date.
    let draft = p.start_draft("respiratory-assessment").unwrap();
    assert!(
        p.sign_off(&draft, "Dr. A", "", None, Decision::Approved, "")
            .unwrap_err()
            .to_string()
            .contains("publish")
    );
    assert!(p.sign_off(&v1, "Dr. A", "", None, Decision::ChangesRequested, "").is_err());
    assert!(p.sign_off(&v1, "Dr. A", "", Some("9 Oct"), Decision::Approved, "").is_err());
    p.sign_off(
        &v1,
        "RN lead",
        "Nurse manager",
        Some("2026-10-12"),
        Decision::ChangesRequested,
        "Night shift coverage",
    )
    .unwrap();
    assert_eq!(baton::design::signoffs(&p.model().unwrap(), "respiratory-assessment").len(), 2);
    // A version whose content changed (here by hand in a bundle) shows its sign-offs as broken.
    let mut changed = p.model().unwrap();
    let t = changed.transitions.iter_mut().find(|t| t.version_id == v1 && t.timer == "PT8H").unwrap();
    t.timer = "PT12H".into();
    let list = baton::design::signoffs(&changed, "respiratory-assessment");
    assert!(list.iter().all(|s| !s.intact));
}
