//! Grouping, merge suggestions, merge and split with undo, and regeneration keeping manual edits.

use baton::interviews::StatementInput;
use baton::interviews::consolidate::{claims_matrix, normalize, provenance, suggestions};
use baton::model::{ClaimKind, Model};

use super::*;

fn steps(m: &Model) -> Vec<String> {
    m.steps.iter().map(|s| s.name.clone()).collect()
}

fn step_of(m: &Model, statement: &str) -> String {
    m.statements.iter().find(|s| s.id == statement).unwrap().step_id.clone().expect("grouped")
}

#[test]
fn exact_and_normalized_names_group_into_one_step() {
    let mut p = project();
    let a = interview(&mut p, "rt", "north", "RT-3");
    let b = interview(&mut p, "rn", "north", "RN-7");
    let s1 = say(&mut p, &a, performed_by("Chart the assessment", "rt"));
    let s2 = say(&mut p, &b, performed_by("chart assessment.", "rt"));
    let s3 = say(&mut p, &b, performed_by("Reconcile assessment", "rn"));
    let m = p.model().unwrap();
    assert_eq!(normalize("Chart the Assessment."), "chart assessment");
    assert_eq!(step_of(&m, &s1), step_of(&m, &s2));
    assert_ne!(step_of(&m, &s1), step_of(&m, &s3));
    assert_eq!(steps(&m), ["Chart the assessment", "Reconcile assessment"]);
    assert!(m.steps.iter().all(|s| s.generated));
    // The owner follows the interviews.
    assert_eq!(m.steps[0].owner_role_id.as_deref(), Some("rt"));
}

#[test]
fn similar_names_are_suggested_not_merged_and_rejections_are_remembered() {
    let mut p = project();
    let a = interview(&mut p, "rt", "north", "RT-3");
    let b = interview(&mut p, "rn", "north", "RN-7");
    say(&mut p, &a, about("Reconcile the assessment"));
    say(&mut p, &b, about("Reconcile RT assessment"));
    say(&mut p, &b, about("Review assessment"));
    let m = p.model().unwrap();
    assert_eq!(m.steps.len(), 3, "similar names stay apart until the consultant merges them");
    let found = suggestions(&m, "wf");
    assert_eq!(found.len(), 1, "{found:?}");
    let names = [found[0].first_name.as_str(), found[0].second_name.as_str()];
    assert!(names.contains(&"Reconcile the assessment") && names.contains(&"Reconcile RT assessment"));
    p.keep_steps_apart(&found[0].first_step_id, &found[0].second_step_id).unwrap();
    assert!(suggestions(&p.model().unwrap(), "wf").is_empty());
    p.undo().unwrap();
    assert_eq!(suggestions(&p.model().unwrap(), "wf").len(), 1);
}

#[test]
fn merge_and_split_are_undoable() {
    let mut p = project();
    let a = interview(&mut p, "rt", "north", "RT-3");
    let b = interview(&mut p, "rn", "north", "RN-7");
    let s1 = say(&mut p, &a, about("Reconcile the assessment"));
    let s2 = say(&mut p, &b, about("Reconcile RT assessment"));
    let before = p.model().unwrap();
    let (x, y) = (step_of(&before, &s1), step_of(&before, &s2));
    p.merge_steps(&y, &x).unwrap();
    let merged = p.model().unwrap();
    assert_eq!(merged.steps.len(), 1);
    assert_eq!(step_of(&merged, &s2), x);
    // A later statement named like the merged-away step joins the merged step.
    let c = interview(&mut p, "rt", "south", "RT-1");
    let s3 = say(&mut p, &c, about("reconcile RT assessment"));
    assert_eq!(step_of(&p.model().unwrap(), &s3), x);
    p.undo().unwrap();
    p.undo().unwrap();
    p.undo().unwrap();
    assert_eq!(p.model().unwrap(), before, "undoing the merge restores both steps");

    let new_step = p.split_step(std::slice::from_ref(&s1), "Reconcile (RT view)").unwrap();
    let split = p.model().unwrap();
    assert_eq!(step_of(&split, &s1), new_step);
    assert!(steps(&split).contains(&"Reconcile (RT view)".to_string()));
    p.undo().unwrap();
    assert_eq!(p.model().unwrap(), before);
    p.redo().unwrap();
    assert_eq!(step_of(&p.model().unwrap(), &s1), new_step);
}

#[test]
fn handoffs_follow_statement_order_and_keep_provenance() {
    let mut p = project();
    let a = interview(&mut p, "rt", "north", "RT-3");
    let s1 = say(&mut p, &a, performed_by("Assess", "rt"));
    let s2 = say(&mut p, &a, performed_by("Chart", "rt"));
    let m = p.model().unwrap();
    assert_eq!(m.handoffs.len(), 1);
    let h = &m.handoffs[0];
    assert!(h.generated);
    assert_eq!((h.from_step_id.clone(), h.to_step_id.clone()), (step_of(&m, &s1), step_of(&m, &s2)));
    let prov = provenance(&m, "wf");
    assert_eq!(prov.handoffs[&h.id], std::slice::from_ref(&s1));
    assert_eq!(prov.steps[&step_of(&m, &s2)], std::slice::from_ref(&s2));
    // Removing the statement removes what only it supported.
    p.remove_statement(&s2).unwrap();
    let m = p.model().unwrap();
    assert!(m.handoffs.is_empty());
    assert_eq!(steps(&m), ["Assess"]);
}

#[test]
fn regeneration_keeps_names_and_owners_set_by_hand() {
    let mut p = project();
    let a = interview(&mut p, "rt", "north", "RT-3");
    let s1 = say(&mut p, &a, performed_by("Chart the assessment", "rt"));
    let step = step_of(&p.model().unwrap(), &s1);
    p.rename_step(&step, "Chart assessment in flowsheet").unwrap();
    p.set_step_owner(&step, Some("rn")).unwrap();
    // New interviews that say otherwise do not undo the consultant's edits.
    let b = interview(&mut p, "rt", "south", "RT-1");
    let s2 = say(&mut p, &b, performed_by("chart the assessment", "rt"));
    p.consolidate("wf").unwrap();
    let m = p.model().unwrap();
    assert_eq!(step_of(&m, &s2), step);
    let s = m.steps.iter().find(|s| s.id == step).unwrap();
    assert_eq!(
        (s.name.as_str(), s.owner_role_id.as_deref(), s.generated),
        ("Chart assessment in flowsheet", Some("rn"), false)
    );
    // Even with no statements left, a step edited by hand stays.
    p.remove_statement(&s1).unwrap();
    p.remove_statement(&s2).unwrap();
    assert!(p.model().unwrap().steps.iter().any(|s| s.id == step));
}

#[test]
fn renaming_a_statement_moves_it_to_the_matching_step() {
    let mut p = project();
    let a = interview(&mut p, "rt", "north", "RT-3");
    let s1 = say(&mut p, &a, about("Chart"));
    let s2 = say(&mut p, &a, about("Reconcile"));
    let reconcile = step_of(&p.model().unwrap(), &s2);
    p.update_statement(&s1, &about("reconcile")).unwrap();
    let m = p.model().unwrap();
    assert_eq!(step_of(&m, &s1), reconcile);
    assert_eq!(steps(&m), ["Reconcile"], "the emptied generated step is gone");
    p.undo().unwrap();
    assert_eq!(steps(&p.model().unwrap()), ["Chart", "Reconcile"]);
}

#[test]
fn claims_matrix_counts_what_each_role_says() {
    let mut p = project();
    let rt = interview(&mut p, "rt", "north", "RT-3");
    let rn = interview(&mut p, "rn", "north", "RN-7");
    let rt2 = interview(&mut p, "rt", "south", "RT-1");
    let s1 = say(&mut p, &rt, believes("Reconcile", &[("rn", true), ("rt", false)]));
    let s2 = say(&mut p, &rn, believes("Reconcile", &[("rt", true)]));
    let s3 = say(
        &mut p,
        &rt2,
        StatementInput { validated_by: Some("md".into()), ..believes("Reconcile", &[("rn", true)]) },
    );
    let m = p.model().unwrap();
    let cells = claims_matrix(&m, &step_of(&m, &s1));
    let cell = |by: &str, kind: ClaimKind, about: &str, owns: bool| {
        cells
            .iter()
            .find(|c| c.by_role_id == by && c.kind == kind && c.about_role_id == about && c.owns == owns)
            .map(|c| {
                let mut ids = c.statements.clone();
                ids.sort();
                ids
            })
            .unwrap_or_default()
    };
    let mut both = vec![s1.clone(), s3.clone()];
    both.sort();
    assert_eq!(cell("rt", ClaimKind::Performs, "rn", true), both);
    assert_eq!(cell("rt", ClaimKind::Performs, "rt", false), std::slice::from_ref(&s1));
    assert_eq!(cell("rn", ClaimKind::Performs, "rt", true), std::slice::from_ref(&s2));
    assert_eq!(cell("rt", ClaimKind::Validates, "md", true), std::slice::from_ref(&s3));
    assert_eq!(cells.len(), 4);
}

#[test]
fn capture_refuses_bad_input_and_changes_nothing() {
    let mut p = project();
    let before = p.model().unwrap();
    let err = p
        .add_interview(&baton::interviews::InterviewInput {
            role_id: "rt".into(),
            facility_id: "north".into(),
            alias: " ".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("alias"), "{err}");
    let err = p
        .add_interview(&baton::interviews::InterviewInput {
            role_id: "rt".into(),
            facility_id: "north".into(),
            alias: "RT-3".into(),
            date: "14/09/2026".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
    let a = interview(&mut p, "rt", "north", "RT-3");
    let with_a = p.model().unwrap();
    let err = p.add_statement(&a, &performed_by("Chart", "nobody")).unwrap_err();
    assert!(err.to_string().contains("performed_by"), "{err}");
    assert_eq!(p.model().unwrap(), with_a);
    p.undo().unwrap();
    assert_eq!(p.model().unwrap(), before);
}

#[test]
fn an_interview_names_its_workflows_which_travel_in_bundles_and_come_back_with_undo() {
    let mut p = project();
    // A project with workflows will not start an interview that names none.
    let err = p
        .add_interview(&baton::interviews::InterviewInput {
            role_id: "rt".into(),
            facility_id: "north".into(),
            alias: "RT-8".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("workflow"), "{err}");
    let err = p
        .add_interview(&baton::interviews::InterviewInput {
            role_id: "rt".into(),
            facility_id: "north".into(),
            alias: "RT-8".into(),
            workflows: vec!["nowhere".into()],
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("nowhere"), "{err}");
    let id = super::interview(&mut p, "rt", "north", "RT-8");
    let m = p.model().unwrap();
    assert_eq!(m.interviews.iter().find(|i| i.id == id).unwrap().workflows, vec!["wf".to_string()]);
    // Through a bundle and back.
    let dir = tempfile::tempdir().unwrap();
    baton::bundle::write_bundle(&m, dir.path()).unwrap();
    let text = std::fs::read_to_string(dir.path().join(format!("interviews/{id}.yaml"))).unwrap();
    assert!(text.contains("workflows:\n- wf\n"), "{text}");
    let back = baton::bundle::read_dir(dir.path()).unwrap();
    assert_eq!(back.interviews.iter().find(|i| i.id == id).unwrap().workflows, vec!["wf".to_string()]);
    // Deleting the workflow drops the link; Undo brings it back.
    p.remove_workflow("wf").unwrap();
    assert!(p.model().unwrap().interviews.iter().all(|i| i.workflows.is_empty()));
    p.undo().unwrap();
    assert_eq!(
        p.model().unwrap().interviews.iter().find(|i| i.id == id).unwrap().workflows,
        vec!["wf".to_string()]
    );
}

#[test]
fn a_bundle_without_interview_workflows_takes_them_from_the_statements() {
    let sample =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    let dir = tempfile::tempdir().unwrap();
    crate::copy_dir(&sample, dir.path());
    let file = dir.path().join("interviews/md-lakeview-day.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let stripped = text.replace("workflows:\n- respiratory-assessment\n- oxygen-titration\n", "");
    assert_ne!(stripped, text);
    std::fs::write(&file, stripped).unwrap();
    let m = baton::bundle::read_dir(dir.path()).unwrap();
    let md = m.interviews.iter().find(|i| i.id == "md-lakeview-day").unwrap();
    assert_eq!(md.workflows, vec!["respiratory-assessment".to_string(), "oxygen-titration".to_string()]);
    std::fs::write(&file, text.replace("- oxygen-titration\n", "- oxygen\n")).unwrap();
    let err = baton::bundle::read_dir(dir.path()).unwrap_err().to_string();
    assert!(err.contains("md-lakeview-day.yaml") && err.contains("workflows[1]"), "{err}");
}

#[test]
fn renaming_a_step_to_another_steps_name_is_refused_and_the_app_is_told_which_to_merge_into() {
    let mut p = project();
    let i = super::interview(&mut p, "rt", "north", "RT-3");
    p.add_statement(&i, &super::performed_by("Chart assessment", "rt")).unwrap();
    p.add_statement(&i, &super::performed_by("Reconcile plan", "rn")).unwrap();
    let m = p.model().unwrap();
    let id = |name: &str| m.steps.iter().find(|s| s.name == name).unwrap().id.clone();
    let (chart, reconcile) = (id("Chart assessment"), id("Reconcile plan"));
    let err = p.rename_step(&reconcile, "  chart ASSESSMENT ").unwrap_err().to_string();
    assert!(err.contains("already has a step named “Chart assessment”") && err.contains("merge"), "{err}");
    assert_eq!(p.model().unwrap().steps.iter().find(|s| s.id == reconcile).unwrap().name, "Reconcile plan");
    let m = p.model().unwrap();
    let other = baton::views::current_state::same_name_step(&m, &reconcile, "chart assessment").unwrap();
    assert_eq!(other.id, chart);
    assert!(baton::views::current_state::same_name_step(&m, &reconcile, "Reconcile plan").is_none());
    p.merge_steps(&reconcile, &chart).unwrap();
    assert!(p.model().unwrap().steps.iter().all(|s| s.id != reconcile));
}
