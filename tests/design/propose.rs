//! Proposing a draft from the findings.

use std::path::Path;

use baton::Project;
use baton::design::{Pick, ProposeChoices, pick_version, validate};

fn project(dir: &tempfile::TempDir) -> Project {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    let mut model = baton::bundle::read_dir(&sample).unwrap();
    // Without the oxygen draft, so both workflows can be proposed.
    let drafts: Vec<String> =
        model.versions.iter().filter(|v| v.number.is_none()).map(|v| v.id.clone()).collect();
    model.versions.retain(|v| v.number.is_some());
    model.proposed_states.retain(|s| !drafts.contains(&s.version_id));
    model.transitions.retain(|t| !drafts.contains(&t.version_id));
    Project::create_with(&dir.path().join("p.baton"), "P", &model).unwrap()
}

fn shape(p: &Project, version: &str) -> Vec<(String, String, String, Option<String>, String)> {
    let m = p.model().unwrap();
    let name = |id: &str| m.proposed_states.iter().find(|s| s.id == id).unwrap().name.clone();
    let mut ts: Vec<_> = m.transitions.iter().filter(|t| t.version_id == version).collect();
    ts.sort_by_key(|t| t.position);
    ts.iter()
        .map(|t| {
            (
                name(&t.from_state_id),
                name(&t.to_state_id),
                t.event.clone(),
                t.owner_role_id.clone(),
                t.timer.clone(),
            )
        })
        .collect()
}

#[test]
fn the_sample_findings_propose_the_respiratory_assessment_of_version_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    // Without choices: the contested step has no owner and the stall's timer no escalation role.
    let report = p.propose_from_findings("respiratory-assessment", &ProposeChoices::default()).unwrap();
    assert!(report.notes.iter().any(|n| {
        n.contains("split into explicit states: Charted by RT → Reconciled by RN → Reviewed by MD")
    }));
    assert!(report.notes.iter().any(|n| n.contains("choose its owner")));
    let rules: Vec<String> =
        validate(&p.model().unwrap(), &report.version_id).into_iter().map(|p| p.rule).collect();
    assert_eq!(rules, ["one_owner", "timer"]);
    // A second proposal while the draft exists is refused.
    let err = p
        .propose_from_findings("respiratory-assessment", &ProposeChoices::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("already has a draft"), "{err}");
    p.undo().unwrap();
    // With the consultant's choices the draft is valid, with the shape of the sample's version 1.
    let choices = ProposeChoices {
        owners: [("ra-reconcile".to_string(), "rn".to_string())].into_iter().collect(),
        escalate_to: Some("uc".into()),
        timer: None,
    };
    let report = p.propose_from_findings("respiratory-assessment", &choices).unwrap();
    assert_eq!(validate(&p.model().unwrap(), &report.version_id), []);
    let s = |a: &str, b: &str, e: &str, o: Option<&str>, t: &str| {
        (a.into(), b.into(), e.into(), o.map(str::to_string), t.into())
    };
    assert_eq!(
        shape(&p, &report.version_id),
        [
            s("Due", "Charted by RT", "assessment_completed", Some("rn"), "PT2H"),
            s("Charted by RT", "Reconciled by RN", "assessment_reconciled", Some("md"), ""),
            s("Reconciled by RN", "Reviewed by MD", "note_signed", None, ""),
        ]
    );
    let m = p.model().unwrap();
    let v1 = pick_version(&m, "respiratory-assessment", Pick::Version(1)).unwrap();
    let events = |v: &str| shape(&p, v).into_iter().map(|t| (t.0, t.1, t.2, t.3)).collect::<Vec<_>>();
    assert_eq!(events(&report.version_id), events(&v1), "the sample's version 1 is this proposal, edited");
}

#[test]
fn an_invisible_state_gets_an_explicit_emr_value_written_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let report = p.propose_from_findings("oxygen-titration", &ProposeChoices::default()).unwrap();
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("“In titration” gets its own") && n.contains("invisible state")),
        "{:?}",
        report.notes
    );
    let m = p.model().unwrap();
    let into = m
        .transitions
        .iter()
        .find(|t| {
            t.version_id == report.version_id
                && m.proposed_states.iter().any(|s| s.id == t.to_state_id && s.name == "In titration")
        })
        .unwrap();
    assert_eq!(into.write_backs.len(), 1);
    let wb = &into.write_backs[0];
    let field = m.emr_fields.iter().find(|f| f.name == wb.field).unwrap();
    let value = m.emr_values.iter().find(|v| v.field_id == field.id && v.value == "In titration").unwrap();
    assert!(m.mappings.iter().any(|x| x.value_id == value.id && x.state_id == "o2-in-titration"));
    // The state is no longer invisible.
    let findings = baton::findings::analyze(
        &p.model().unwrap(),
        &Default::default(),
        &baton::progress::Progress::none(),
    )
    .unwrap();
    assert!(!findings.iter().any(|f| f.kind == baton::findings::FindingKind::InvisibleState));
    assert!(!validate(&m, &report.version_id).iter().any(|p| p.rule == "write_back"));
}

#[test]
fn a_workflow_without_business_states_cannot_be_proposed() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = project(&dir).model().unwrap();
    m.business_states.retain(|b| b.workflow_id != "oxygen-titration");
    m.mappings.retain(|x| m.business_states.iter().any(|b| b.id == x.state_id));
    let mut q = Project::create_with(&dir.path().join("q.baton"), "Q", &m).unwrap();
    let err =
        q.propose_from_findings("oxygen-titration", &ProposeChoices::default()).unwrap_err().to_string();
    assert!(err.contains("no business states"), "{err}");
}
