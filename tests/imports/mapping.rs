//! The mapping matrix: EMR values × business states × facility, suggestions and candidates.

use super::project;
use baton::findings::FindingKind;

/// Every finding of `p`, as the app and `baton findings` compute them.
fn analyze(p: &baton::Project) -> baton::Result<Vec<baton::findings::Finding>> {
    baton::findings::analyze(&p.model()?, &Default::default(), &baton::progress::Progress::none())
}

#[test]
fn the_matrix_shows_values_counts_mappings_and_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(&dir);
    let m = p.mapping_matrix().unwrap();
    assert!(m.facilities.windows(2).all(|w| w[0].name <= w[1].name));
    assert!(!m.states.is_empty());
    let doc = m.fields.iter().find(|f| f.values.iter().any(|v| v.value == "Complete")).unwrap();
    let complete = doc.values.iter().find(|v| v.value == "Complete").unwrap();
    // "Complete" means three things at three facilities: one cell each, no suggestion.
    assert_eq!(complete.cells.len(), 3);
    assert!(complete.cells.iter().all(|c| c.facility_id.is_some()));
    assert!(complete.suggestion.is_none());
    assert_eq!(complete.total, complete.counts.values().sum::<i64>());
    // Every unmapped value's suggestion, if any, names a state of the matrix.
    for v in m.fields.iter().flat_map(|f| &f.values) {
        if let Some(s) = &v.suggestion {
            assert!(v.cells.is_empty());
            assert!(m.states.iter().any(|st| st.id == s.state_id));
            assert!(s.score >= baton::mapping::SUGGESTION_THRESHOLD);
        }
    }
}

#[test]
fn suggestions_follow_name_similarity() {
    use baton::model::{BusinessState, EmrValue};
    let state = |name: &str, meaning: &str| BusinessState {
        id: name.into(),
        workflow_id: "w".into(),
        name: name.into(),
        meaning: meaning.into(),
        position: 0,
    };
    let value = |v: &str, d: &str| EmrValue {
        id: v.into(),
        field_id: "f".into(),
        value: v.into(),
        description: d.into(),
    };
    let charted = state("Charted", "RT has charted the assessment");
    let ordered = state("Ordered", "Order signed by the physician");
    let sim = baton::mapping::similarity;
    assert!(sim(&value("CHARTED", ""), &charted) > 0.95);
    assert!(sim(&value("Charting done", ""), &charted) >= baton::mapping::SUGGESTION_THRESHOLD);
    assert!(sim(&value("SIGNED", "Signed by physician"), &ordered) >= baton::mapping::SUGGESTION_THRESHOLD);
    // A near miss: nothing alike.
    assert!(sim(&value("Cancelled", "Withdrawn"), &charted) < baton::mapping::SUGGESTION_THRESHOLD);
}

#[test]
fn mapping_edits_change_findings_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let m = p.mapping_matrix().unwrap();
    let complete = m.fields.iter().flat_map(|f| &f.values).find(|v| v.value == "Complete").unwrap().clone();
    let kinds = |p: &baton::Project| analyze(p).unwrap().into_iter().map(|f| f.kind).collect::<Vec<_>>();
    assert!(kinds(&p).contains(&FindingKind::AmbiguousStatus));
    // Map "Complete" to one state at every facility and clear the per-facility cells.
    let reviewed = complete.cells[0].state_id.clone();
    p.set_mapping(&complete.id, None, Some(&reviewed), "Agreed in the review").unwrap();
    for cell in &complete.cells {
        p.set_mapping(&complete.id, cell.facility_id.as_deref(), None, "").unwrap();
    }
    let after = p.mapping_matrix().unwrap();
    let row = after.fields.iter().flat_map(|f| &f.values).find(|v| v.id == complete.id).unwrap();
    assert_eq!(row.cells.len(), 1);
    assert_eq!(row.cells[0].facility_id, None);
    assert_eq!(row.cells[0].note, "Agreed in the review");
    let ambiguous_complete = |p: &baton::Project| {
        analyze(p)
            .unwrap()
            .into_iter()
            .any(|f| f.kind == FindingKind::AmbiguousStatus && f.title.contains("Complete"))
    };
    assert!(!ambiguous_complete(&p));
    // Setting again at the same place replaces, it does not add.
    p.set_mapping(&complete.id, None, Some(&reviewed), "").unwrap();
    assert_eq!(p.model().unwrap().mappings.iter().filter(|x| x.value_id == complete.id).count(), 1);
    for _ in 0..(complete.cells.len() + 2) {
        p.undo().unwrap();
    }
    assert!(ambiguous_complete(&p));
}

#[test]
fn mapping_edits_refuse_unknown_ids() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let before = p.model().unwrap();
    assert!(p.set_mapping("no-such-value", None, None, "").is_err());
    let value = before.emr_values[0].id.clone();
    assert!(p.set_mapping(&value, Some("no-such-facility"), None, "").is_err());
    assert!(p.set_mapping(&value, None, Some("no-such-state"), "").is_err());
    assert_eq!(p.model().unwrap(), before);
}

#[test]
fn interview_meanings_become_states() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = project(&dir);
    let m = p.mapping_matrix().unwrap();
    assert!(!m.candidates.is_empty(), "the sample's interviews say what done means");
    let c = m.candidates[0].clone();
    assert!(!c.said_by.is_empty());
    let id = p.add_business_state(&c.workflow_id, "Charted and reconciled", &c.done_means).unwrap();
    let after = p.mapping_matrix().unwrap();
    assert!(after.states.iter().any(|s| s.id == id && s.meaning == c.done_means));
    assert!(!after.candidates.contains(&c), "a carried meaning is no longer a candidate");
    assert!(p.add_business_state(&c.workflow_id, "charted AND reconciled", "").is_err(), "names are unique");
    assert!(p.add_business_state(&c.workflow_id, "  ", "").is_err());
}
