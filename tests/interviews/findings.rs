//! Each ownership finding kind: a fixture that produces it and a near miss that must not.

use baton::findings::{Finding, FindingKind};
use baton::interviews::StatementInput;
use baton::model::{FindingStatus, Severity, Workaround};

use super::*;

/// Every finding of `p`, as the app and `baton findings` compute them.
fn analyze(p: &baton::Project) -> baton::Result<Vec<baton::findings::Finding>> {
    baton::findings::analyze(&p.model()?, &Default::default(), &baton::progress::Progress::none())
}

fn of_kind(p: &Project, kind: FindingKind) -> Vec<Finding> {
    analyze(p).unwrap().into_iter().filter(|f| f.kind == kind).collect()
}

#[test]
fn ownership_drift_when_each_role_points_at_the_other() {
    let mut p = project();
    let rt = interview(&mut p, "rt", "north", "RT-3");
    let rn = interview(&mut p, "rn", "north", "RN-7");
    say(&mut p, &rt, believes("Reconcile assessment", &[("rn", true)]));
    say(&mut p, &rn, believes("Reconcile assessment", &[("rt", true), ("rn", false)]));
    let found = of_kind(&p, FindingKind::OwnershipDrift);
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.subject.roles, ["rn", "rt"]);
    assert_eq!(f.subject.facilities, ["north"]);
    let aliases: Vec<_> = f.evidence.iter().filter_map(|e| e.alias.clone()).collect();
    assert_eq!(aliases, ["RN-7", "RT-3"], "evidence is listed by alias");
    assert!(f.title.contains("Reconcile assessment"), "{}", f.title);
    assert!(!f.recommendation.is_empty());
}

#[test]
fn no_drift_when_the_roles_agree_or_work_at_different_facilities() {
    let mut p = project();
    let rt = interview(&mut p, "rt", "north", "RT-3");
    let rn = interview(&mut p, "rn", "north", "RN-7");
    say(&mut p, &rt, believes("Reconcile assessment", &[("rn", true)]));
    say(&mut p, &rn, performed_by("Reconcile assessment", "rn"));
    // Pointing at each other across facilities is divergence, not drift.
    let rn_south = interview(&mut p, "rn", "south", "RN-2");
    say(&mut p, &rn_south, believes("Reconcile assessment", &[("rt", true)]));
    assert!(of_kind(&p, FindingKind::OwnershipDrift).is_empty());
    assert!(of_kind(&p, FindingKind::ContestedOwnership).is_empty());
}

#[test]
fn contested_ownership_when_two_roles_each_say_they_do_it() {
    let mut p = project();
    let rt = interview(&mut p, "rt", "north", "RT-3");
    let rn = interview(&mut p, "rn", "north", "RN-7");
    say(&mut p, &rt, performed_by("Titrate oxygen", "rt"));
    say(&mut p, &rn, performed_by("Titrate oxygen", "rn"));
    let found = of_kind(&p, FindingKind::ContestedOwnership);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].subject.roles, ["rn", "rt"]);
}

#[test]
fn no_contest_when_both_name_the_same_role() {
    let mut p = project();
    let rt = interview(&mut p, "rt", "north", "RT-3");
    let rn = interview(&mut p, "rn", "north", "RN-7");
    say(&mut p, &rt, performed_by("Titrate oxygen", "rt"));
    say(&mut p, &rn, performed_by("Titrate oxygen", "rt"));
    assert!(of_kind(&p, FindingKind::ContestedOwnership).is_empty());
}

#[test]
fn orphan_step_when_nobody_is_named() {
    let mut p = project();
    let rt = interview(&mut p, "rt", "north", "RT-3");
    say(&mut p, &rt, StatementInput { done_means: "It gets filed".into(), ..about("File the printout") });
    let found = of_kind(&p, FindingKind::OrphanStep);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Medium);
}

#[test]
fn no_orphan_when_one_statement_names_a_performer() {
    let mut p = project();
    let rt = interview(&mut p, "rt", "north", "RT-3");
    let rn = interview(&mut p, "rn", "south", "RN-2");
    say(&mut p, &rt, about("File the printout"));
    say(&mut p, &rn, believes("file the printout", &[("md", true)]));
    assert!(of_kind(&p, FindingKind::OrphanStep).is_empty());
}

#[test]
fn unacknowledged_handoff_when_the_receiver_never_mentions_it() {
    let mut p = project();
    let rt = interview(&mut p, "rt", "north", "RT-3");
    let rn = interview(&mut p, "rn", "north", "RN-7");
    say(&mut p, &rt, StatementInput { next_handoff_to: Some("rn".into()), ..performed_by("Chart", "rt") });
    say(&mut p, &rn, performed_by("Give medications", "rn"));
    let found = of_kind(&p, FindingKind::UnacknowledgedHandoff);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].severity, Severity::Medium);
    assert_eq!(found[0].subject.roles, ["rn", "rt"]);
    // With no RN interviewed at that facility the finding stays, at low severity.
    let mut q = project();
    let rt = interview(&mut q, "rt", "south", "RT-1");
    say(&mut q, &rt, StatementInput { next_handoff_to: Some("rn".into()), ..performed_by("Chart", "rt") });
    let found = of_kind(&q, FindingKind::UnacknowledgedHandoff);
    assert_eq!(found[0].severity, Severity::Low);
    assert!(
        found[0].title.contains("not yet confirmed: no RN at South has been interviewed")
            && !found[0].title.contains("never mentions"),
        "{}",
        found[0].title
    );
}

#[test]
fn roles_agreeing_on_an_uninterviewed_owner_is_unconfirmed_not_drift() {
    // Two nurses at one hospital both say Transport moves the patient; Transport was not interviewed.
    let mut p = project();
    let a = interview(&mut p, "rt", "north", "RT-3");
    let b = interview(&mut p, "rn", "north", "RN-7");
    say(&mut p, &a, believes("Transport patient to unit", &[("md", true), ("rt", false)]));
    say(&mut p, &b, believes("Transport patient to unit", &[("md", true)]));
    assert!(of_kind(&p, FindingKind::OwnershipDrift).is_empty(), "they agree: no drift");
    let found = of_kind(&p, FindingKind::UnconfirmedOwner);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].severity, Severity::Low);
    assert!(found[0].title.contains("no MD at North has been interviewed"), "{}", found[0].title);
    assert!(found[0].recommendation.starts_with("Interview a MD at North"), "{}", found[0].recommendation);
    // Near miss: when they name different owners, it is drift.
    let mut q = project();
    let a = interview(&mut q, "rt", "north", "RT-3");
    let b = interview(&mut q, "rn", "north", "RN-7");
    say(&mut q, &a, believes("Transport patient to unit", &[("md", true)]));
    say(&mut q, &b, believes("Transport patient to unit", &[("rt", true)]));
    assert_eq!(of_kind(&q, FindingKind::OwnershipDrift).len(), 1);
    assert!(of_kind(&q, FindingKind::UnconfirmedOwner).is_empty());
}

#[test]
fn done_meaning_two_things_at_one_facility_is_definition_divergence() {
    let mut p = project();
    let a = interview(&mut p, "rn", "north", "RN-2");
    let b = interview(&mut p, "rn", "north", "RN-5");
    say(
        &mut p,
        &a,
        StatementInput { done_means: "pharmacist signed".into(), ..performed_by("Verify medication", "rn") },
    );
    say(
        &mut p,
        &b,
        StatementInput {
            done_means: "hospitalist co-signed".into(),
            ..performed_by("Verify medication", "rn")
        },
    );
    let found = of_kind(&p, FindingKind::DefinitionDivergence);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].title.contains("pharmacist signed") && found[0].title.contains("hospitalist co-signed"));
    let quoted: Vec<_> = found[0].evidence.iter().filter_map(|e| e.alias.clone()).collect();
    assert_eq!(quoted, ["RN-2", "RN-5"]);
    // Near miss: the same meaning in other words.
    let mut q = project();
    let a = interview(&mut q, "rn", "north", "RN-2");
    let b = interview(&mut q, "rn", "north", "RN-5");
    say(
        &mut q,
        &a,
        StatementInput {
            done_means: "Pharmacist signed it".into(),
            ..performed_by("Verify medication", "rn")
        },
    );
    say(
        &mut q,
        &b,
        StatementInput {
            done_means: "signed by the pharmacist".into(),
            ..performed_by("Verify medication", "rn")
        },
    );
    assert!(of_kind(&q, FindingKind::DefinitionDivergence).is_empty());
}

#[test]
fn no_unacknowledged_handoff_when_the_receiver_says_who_starts_it() {
    let mut p = project();
    let rt = interview(&mut p, "rt", "north", "RT-3");
    let rn = interview(&mut p, "rn", "north", "RN-7");
    say(&mut p, &rt, StatementInput { next_handoff_to: Some("rn".into()), ..performed_by("Chart", "rt") });
    say(&mut p, &rn, StatementInput { initiated_by: Some("rt".into()), ..performed_by("Reconcile", "rn") });
    assert!(of_kind(&p, FindingKind::UnacknowledgedHandoff).is_empty());
}

#[test]
fn facility_divergence_when_done_means_differs() {
    let mut p = project();
    let north = interview(&mut p, "rt", "north", "RT-3");
    let south = interview(&mut p, "rt", "south", "RT-1");
    say(
        &mut p,
        &north,
        StatementInput {
            done_means: "The flowsheet turns to Complete".into(),
            ..performed_by("Chart", "rt")
        },
    );
    say(
        &mut p,
        &south,
        StatementInput {
            done_means: "Complete means the nurse co-signed it".into(),
            ..performed_by("Chart", "rt")
        },
    );
    let found = of_kind(&p, FindingKind::FacilityDivergence);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].subject.facilities, ["north", "south"]);
    assert_eq!(found[0].severity, Severity::Medium);
    // Different owners make it high.
    let mut q = project();
    let north = interview(&mut q, "rt", "north", "RT-3");
    let south = interview(&mut q, "rn", "south", "RN-2");
    say(&mut q, &north, performed_by("Reconcile", "rt"));
    say(&mut q, &south, performed_by("Reconcile", "rn"));
    assert_eq!(of_kind(&q, FindingKind::FacilityDivergence)[0].severity, Severity::High);
}

#[test]
fn no_divergence_when_facilities_mean_the_same() {
    let mut p = project();
    let north = interview(&mut p, "rt", "north", "RT-3");
    let south = interview(&mut p, "rt", "south", "RT-1");
    say(
        &mut p,
        &north,
        StatementInput {
            done_means: "The flow on the wall matches the order".into(),
            ..performed_by("Verify", "rt")
        },
    );
    say(
        &mut p,
        &south,
        StatementInput { done_means: "Settings match the order".into(), ..performed_by("Verify", "rt") },
    );
    assert!(of_kind(&p, FindingKind::FacilityDivergence).is_empty());
}

#[test]
fn workaround_hotspot_when_several_interviews_report_workarounds() {
    let mut p = project();
    let a = interview(&mut p, "rt", "north", "RT-3");
    let b = interview(&mut p, "rn", "south", "RN-2");
    say(
        &mut p,
        &a,
        StatementInput {
            workarounds: vec![Workaround::ShadowSpreadsheet],
            ..performed_by("Route orders", "rt")
        },
    );
    say(
        &mut p,
        &b,
        StatementInput { workarounds: vec![Workaround::ManualReentry], ..performed_by("Route orders", "rt") },
    );
    let found = of_kind(&p, FindingKind::WorkaroundHotspot);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].evidence.len(), 2);
}

#[test]
fn no_hotspot_from_one_interview_or_verbal_handoffs_only() {
    let mut p = project();
    let a = interview(&mut p, "rt", "north", "RT-3");
    let b = interview(&mut p, "rn", "south", "RN-2");
    say(
        &mut p,
        &a,
        StatementInput {
            workarounds: vec![Workaround::ShadowSpreadsheet],
            ..performed_by("Route orders", "rt")
        },
    );
    say(
        &mut p,
        &a,
        StatementInput { workarounds: vec![Workaround::ManualReentry], ..performed_by("route orders", "rt") },
    );
    say(
        &mut p,
        &b,
        StatementInput { workarounds: vec![Workaround::VerbalHandoff], ..performed_by("Route orders", "rt") },
    );
    assert!(of_kind(&p, FindingKind::WorkaroundHotspot).is_empty());
}

#[test]
fn the_sample_shows_drift_divergence_and_a_hotspot() {
    let model = baton::bundle::sample().unwrap();
    let p = Project::in_memory("Sample", &model).unwrap();
    let found = analyze(&p).unwrap();
    let drift: Vec<_> = found.iter().filter(|f| f.kind == FindingKind::OwnershipDrift).collect();
    assert_eq!(drift.len(), 1);
    assert_eq!(drift[0].subject.step.as_deref(), Some("ra-reconcile"));
    assert_eq!(drift[0].subject.roles, ["rn", "rt"]);
    assert_eq!(drift[0].subject.facilities, ["north"]);
    let chart = found
        .iter()
        .find(|f| f.kind == FindingKind::FacilityDivergence && f.subject.step.as_deref() == Some("ra-chart"))
        .expect("Complete means three things");
    assert_eq!(chart.subject.facilities, ["lakeview", "north", "riverside"]);
    assert!(found.iter().any(|f| f.kind == FindingKind::WorkaroundHotspot));
    // Sorted by severity, then cases affected (most first, none last), then kind, then title.
    let keys: Vec<_> = found
        .iter()
        .map(|f| (f.severity, std::cmp::Reverse(f.cases.unwrap_or(-1)), f.kind.as_str(), f.title.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(
        found.iter().filter(|f| f.severity == Severity::High).any(|f| f.cases.is_some()),
        "a high finding with cases counted comes first among the high ones"
    );
}

#[test]
fn triage_is_stored_by_stable_id_and_survives_reanalysis() {
    let mut p = project();
    let rt = interview(&mut p, "rt", "north", "RT-3");
    let rn = interview(&mut p, "rn", "north", "RN-7");
    say(&mut p, &rt, performed_by("Titrate oxygen", "rt"));
    say(&mut p, &rn, performed_by("Titrate oxygen", "rn"));
    let id = of_kind(&p, FindingKind::ContestedOwnership)[0].id.clone();
    assert!(p.triage_finding(&id, FindingStatus::Dismissed, "  ").is_err(), "dismissing needs a reason");
    p.triage_finding(&id, FindingStatus::Dismissed, "Both do it on purpose: RT sets, RN checks").unwrap();
    // More interviews: the finding is recomputed, its id and decision stay.
    let md = interview(&mut p, "md", "north", "MD-1");
    say(&mut p, &md, performed_by("Titrate oxygen", "rt"));
    let f = of_kind(&p, FindingKind::ContestedOwnership).remove(0);
    assert_eq!((f.id.as_str(), f.status), (id.as_str(), FindingStatus::Dismissed));
    assert_eq!(f.reason, "Both do it on purpose: RT sets, RN checks");
    p.triage_finding(&id, FindingStatus::Open, "").unwrap();
    assert_eq!(of_kind(&p, FindingKind::ContestedOwnership)[0].status, FindingStatus::Open);
    p.undo().unwrap();
    assert_eq!(of_kind(&p, FindingKind::ContestedOwnership)[0].status, FindingStatus::Dismissed);
    p.triage_finding(&id, FindingStatus::Accepted, "").unwrap();
    assert_eq!(of_kind(&p, FindingKind::ContestedOwnership)[0].status, FindingStatus::Accepted);
    assert!(p.triage_finding("no-such-finding", FindingStatus::Accepted, "").is_err());
}
