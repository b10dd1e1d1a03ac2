//! Proposed workflows: guards (parse, types, dialects, overlap) and the validation rules, one
//! fixture that breaks each rule and a valid one.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeMap;

use baton::design::guard::{self, Datum, Dialect};
use baton::design::validate;
use baton::model::{
    EmrField, EmrValue, EventField, EventType, Facility, FieldKind, Model, OwnerOverride, ProposedState,
    Role, StateKind, Transition, Version, Workflow, WriteBack,
};

fn state(id: &str, kind: StateKind) -> ProposedState {
    ProposedState {
        id: id.into(),
        version_id: "v".into(),
        name: id.to_uppercase(),
        kind,
        meaning: String::new(),
        task: format!("Work on {id}"),
        position: 0,
    }
}

fn transition(id: &str, from: &str, to: &str, event: &str, owner: Option<&str>) -> Transition {
    Transition {
        id: id.into(),
        version_id: "v".into(),
        from_state_id: from.into(),
        to_state_id: to.into(),
        event: event.into(),
        guard: String::new(),
        owner_role_id: owner.map(str::to_string),
        timer: String::new(),
        escalate_to_role_id: None,
        write_backs: Vec::new(),
        position: 0,
        priority: None,
        overrides: Vec::new(),
    }
}

/// Due → Charted → Reconciled (terminal), with a timer, a write-back and a guarded loop.
fn valid() -> Model {
    let mut m = Model {
        facilities: ["north", "south"]
            .into_iter()
            .map(|f| Facility { id: f.into(), name: f.to_uppercase(), timezone: "UTC".into() })
            .collect(),
        ..Model::default()
    };
    m.roles = ["rt", "rn", "uc"]
        .into_iter()
        .map(|r| Role { id: r.into(), name: r.into(), description: String::new() })
        .collect();
    m.workflows.push(Workflow { id: "w".into(), name: "W".into(), description: String::new() });
    m.versions.push(Version {
        id: "v".into(),
        workflow_id: "w".into(),
        number: Some(1),
        note: String::new(),
        created_at: String::new(),
    });
    m.proposed_states = vec![
        state("due", StateKind::Initial),
        state("charted", StateKind::Intermediate),
        state("done", StateKind::Terminal),
    ];
    let event = |name: &str, fields: &[(&str, FieldKind)]| EventType {
        name: name.into(),
        description: String::new(),
        fields: fields.iter().map(|(n, k)| EventField { name: (*n).into(), kind: *k }).collect(),
        activities: Vec::new(),
    };
    m.events = vec![
        event("charted", &[("spo2", FieldKind::Number)]),
        event("reconciled", &[]),
        event("rechecked", &[("spo2", FieldKind::Number)]),
    ];
    m.emr_fields.push(EmrField {
        id: "f".into(),
        name: "Documentation Status".into(),
        source: String::new(),
        description: String::new(),
    });
    m.emr_values.push(EmrValue {
        id: "fv".into(),
        field_id: "f".into(),
        value: "Complete".into(),
        description: String::new(),
    });
    let mut t1 = transition("t1", "due", "charted", "charted", Some("rn"));
    t1.timer = "PT2H".into();
    t1.escalate_to_role_id = Some("uc".into());
    let mut t2 = transition("t2", "charted", "done", "reconciled", None);
    t2.write_backs.push(WriteBack { field: "Documentation Status".into(), value: "Complete".into() });
    let mut t3 = transition("t3", "charted", "charted", "rechecked", Some("rt"));
    t3.guard = "spo2 < 92 && facility == \"NORTH\"".into();
    let mut t4 = transition("t4", "charted", "done", "rechecked", None);
    t4.guard = "spo2 >= 92".into();
    m.transitions = vec![t1, t2, t3, t4];
    m
}

fn rules(m: &Model) -> Vec<String> {
    validate(m, "v").into_iter().map(|p| p.rule).collect()
}

fn broken(change: impl FnOnce(&mut Model)) -> Vec<String> {
    let mut m = valid();
    change(&mut m);
    rules(&m)
}

#[test]
fn the_valid_fixture_has_no_problems() {
    assert_eq!(validate(&valid(), "v"), []);
}

#[test]
fn one_initial_state() {
    assert_eq!(broken(|m| m.proposed_states[0].kind = StateKind::Intermediate)[0], "one_initial_state");
    assert!(broken(|m| m.proposed_states[1].kind = StateKind::Initial).contains(&"one_initial_state".into()));
}

#[test]
fn reachable() {
    let found = broken(|m| m.proposed_states.push(state("lost", StateKind::Terminal)));
    assert_eq!(found, ["reachable"]);
}

#[test]
fn terminal_reachable() {
    let found = broken(|m| {
        m.proposed_states.push(state("stuck", StateKind::Intermediate));
        m.transitions.push(transition("t5", "due", "stuck", "charted", Some("rt")));
        m.transitions[4].priority = Some(2);
        m.transitions[0].priority = Some(1);
    });
    assert_eq!(found, ["terminal_reachable"]);
}

#[test]
fn terminal_has_no_exit() {
    let found = broken(|m| m.transitions.push(transition("t5", "done", "charted", "reconciled", Some("rt"))));
    assert_eq!(found, ["terminal_has_no_exit"]);
}

#[test]
fn one_owner() {
    assert_eq!(broken(|m| m.transitions[0].owner_role_id = None), ["one_owner"]);
    // Overrides that cover every facility are enough; covering some is not.
    let covered = broken(|m| {
        m.transitions[0].owner_role_id = None;
        m.transitions[0].overrides = ["north", "south"]
            .into_iter()
            .map(|f| OwnerOverride { facility_id: f.into(), role_id: "rn".into() })
            .collect();
    });
    assert_eq!(covered, Vec::<String>::new());
    let partly = {
        let mut m = valid();
        m.transitions[0].owner_role_id = None;
        m.transitions[0].overrides =
            vec![OwnerOverride { facility_id: "north".into(), role_id: "rn".into() }];
        validate(&m, "v")
    };
    assert_eq!(partly.len(), 1);
    assert!(partly[0].message.contains("SOUTH"), "{}", partly[0].message);
}

#[test]
fn unambiguous_event() {
    // Overlapping guards on one event from one state…
    let found = broken(|m| m.transitions[3].guard = "spo2 >= 90".into());
    assert_eq!(found, ["unambiguous_event"]);
    // …unless priorities tell which wins.
    let prioritized = broken(|m| {
        m.transitions[3].guard = "spo2 >= 90".into();
        m.transitions[2].priority = Some(1);
        m.transitions[3].priority = Some(2);
    });
    assert_eq!(prioritized, Vec::<String>::new());
    // An empty guard overlaps with anything.
    assert_eq!(broken(|m| m.transitions[3].guard.clear()), ["unambiguous_event"]);
}

#[test]
fn timer() {
    assert_eq!(broken(|m| m.transitions[0].escalate_to_role_id = None), ["timer"]);
    assert_eq!(broken(|m| m.transitions[0].timer = "2 hours".into()), ["timer"]);
}

#[test]
fn write_back() {
    assert_eq!(broken(|m| m.transitions[1].write_backs[0].value = "Done".into()), ["write_back"]);
    assert_eq!(broken(|m| m.transitions[1].write_backs[0].field = "Order Status".into()), ["write_back"]);
}

#[test]
fn event_in_catalog() {
    assert_eq!(broken(|m| m.transitions[1].event = "cosigned".into()), ["event_in_catalog"]);
}

#[test]
fn guard_rule() {
    assert_eq!(broken(|m| m.transitions[2].guard = "spo2 < \"low\"".into()), ["guard"]);
    assert_eq!(broken(|m| m.transitions[2].guard = "heart_rate > 100".into()), ["guard"]);
    assert_eq!(broken(|m| m.transitions[2].guard = "spo2 < ".into()), ["guard"]);
}

#[test]
fn known_role() {
    assert_eq!(broken(|m| m.transitions[0].escalate_to_role_id = Some("charge".into())), ["known_role"]);
}

#[test]
fn guards_parse_check_and_render() {
    let scope = guard::scope(&[EventField { name: "spo2".into(), kind: FieldKind::Number }]);
    let g = guard::parse("spo2 < 92 && (facility == \"North\" || !(role == \"RT\"))", &scope).unwrap();
    assert_eq!(
        guard::render(&g, Dialect::Baton),
        "spo2 < 92 && (facility == \"North\" || !(role == \"RT\"))"
    );
    // Every comparison is guarded by a type test, so a missing or wrong-typed field makes it
    // false in each language as in Baton's evaluator; `facility` is the case's, `role` the event's.
    assert_eq!(
        guard::render(&g, Dialect::Feel),
        "((abs(event.spo2) >= 0) = true and event.spo2 < 92) and (((string length(facility) >= 0) = true and facility = \"North\") or not(((string length(event.role) >= 0) = true and event.role = \"RT\")))"
    );
    assert_eq!(
        guard::render(&g, Dialect::Jq),
        "((.data.spo2 | type) == \"number\" and .data.spo2 < 92) and ((($workflow.input.facility | type) == \"string\" and $workflow.input.facility == \"North\") or (((.data.role | type) == \"string\" and .data.role == \"RT\") | not))"
    );
    assert_eq!(
        guard::render(&g, Dialect::EcmaScript),
        "(typeof event.data?.spo2 === 'number' && event.data?.spo2 < 92) && ((typeof context.facility === 'string' && context.facility === 'North') || !((typeof event.data?.role === 'string' && event.data?.role === 'RT')))"
    );
    let data = |spo2: f64, facility: &str| -> BTreeMap<String, Datum> {
        [
            ("spo2".to_string(), Datum::Number(spo2)),
            ("facility".to_string(), Datum::Text(facility.into())),
            ("role".to_string(), Datum::Text("RT".into())),
        ]
        .into_iter()
        .collect()
    };
    assert!(guard::holds(&g, &data(90.0, "North")));
    assert!(!guard::holds(&g, &data(95.0, "North")));
    assert!(!guard::holds(&g, &data(90.0, "South")));
    for (bad, why) in [
        ("spo2 + 1 > 2", "not allowed"),
        ("facility < \"N\"", "only numbers"),
        ("spo2", "not a boolean"),
        ("x = 3", "not allowed"),
        ("max(spo2, 3) > 1", "not allowed"),
    ] {
        let e = guard::parse(bad, &scope).unwrap_err();
        assert!(e.contains(why), "{bad}: {e}");
    }
}

#[test]
fn guard_overlap_is_judged_on_shared_fields() {
    let scope = guard::scope(&[EventField { name: "spo2".into(), kind: FieldKind::Number }]);
    let p = |s: &str| guard::parse(s, &scope).unwrap();
    let exclusive = [
        ("spo2 < 92", "spo2 >= 92"),
        ("spo2 < 92", "92 < spo2"),
        ("facility == \"A\"", "facility == \"B\""),
        ("facility == \"A\" && spo2 > 1", "facility != \"A\""),
    ];
    for (a, b) in exclusive {
        assert!(!guard::may_overlap(Some(&p(a)), Some(&p(b))), "{a} / {b}");
    }
    let overlapping = [
        ("spo2 < 92", "spo2 > 90"),
        ("spo2 <= 92", "spo2 >= 92"),
        ("spo2 < 92 || facility == \"A\"", "spo2 > 95"),
        ("facility == \"A\"", "spo2 > 1"),
    ];
    for (a, b) in overlapping {
        assert!(guard::may_overlap(Some(&p(a)), Some(&p(b))), "{a} / {b}");
    }
    assert!(guard::may_overlap(None, Some(&p("spo2 < 92"))));
}

mod exports;

#[test]
fn replay_walks_the_variants_and_reports_where_they_first_deviate() {
    use baton::model::{EventLog, LogVariant};
    let mut m = valid();
    m.events[0].activities = vec!["Chart assessment".into()];
    m.events[1].activities = vec!["Reconcile".into()];
    m.events[2].activities = vec!["Recheck SpO2".into()];
    let variant = |activities: &[&str], count: i64| LogVariant {
        activities: activities.iter().map(|a| (*a).to_string()).collect(),
        count,
        example_case: String::new(),
    };
    m.logs.push(EventLog {
        id: "log".into(),
        variants: vec![
            // Fits: activities that signal no event (Bill) are skipped.
            variant(&["Chart assessment", "Bill", "Reconcile"], 30),
            // Fits: a recheck loops on Charted (guards are not judged), then reconciles.
            variant(&["Chart assessment", "Recheck SpO2", "Reconcile"], 10),
            // Deviates: reconciled before it was charted.
            variant(&["Reconcile"], 5),
            // Deviates: stops in Charted.
            variant(&["Chart assessment"], 5),
            // Not about this workflow: no activity signals one of its events.
            variant(&["Bill", "Close"], 99),
        ],
        ..EventLog::default()
    });
    let r = baton::design::replay(&m, "v", &baton::progress::Progress::none()).unwrap();
    assert_eq!((r.cases, r.fitting), (50, 40));
    assert!((r.fitness - 0.8).abs() < 1e-9);
    let found: Vec<(&str, &str, i64)> =
        r.deviations.iter().map(|d| (d.state.as_str(), d.event.as_str(), d.count)).collect();
    assert_eq!(found, [("CHARTED", "(case ended)", 5), ("DUE", "reconciled", 5)]);
    // Without logs: nothing to replay.
    m.logs.clear();
    let r = baton::design::replay(&m, "v", &baton::progress::Progress::none()).unwrap();
    assert_eq!((r.cases, r.fitting, r.fitness), (0, 0, 0.0));
}

mod conformance;
mod edits;
mod guard_dialects;
mod labels;

mod propose;
mod review;
mod simulate;
mod tasks;

/// A copy of version `v` of `m` as version `v2` (new ids, as a draft copies).
fn copy_version(m: &mut Model) {
    m.versions.push(Version {
        id: "v2".into(),
        workflow_id: "w".into(),
        number: Some(2),
        note: String::new(),
        created_at: String::new(),
    });
    let states: Vec<ProposedState> =
        m.proposed_states.iter().filter(|s| s.version_id == "v").cloned().collect();
    for s in states {
        m.proposed_states.push(ProposedState { id: format!("{}-2", s.id), version_id: "v2".into(), ..s });
    }
    let ts: Vec<Transition> = m.transitions.iter().filter(|t| t.version_id == "v").cloned().collect();
    for t in ts {
        m.transitions.push(Transition {
            id: format!("{}-2", t.id),
            version_id: "v2".into(),
            from_state_id: format!("{}-2", t.from_state_id),
            to_state_id: format!("{}-2", t.to_state_id),
            ..t
        });
    }
}

/// In version `v2`: removes the recheck to Done and adds an Escalated state reached on recheck.
fn replace_recheck_with_escalation(m: &mut Model) {
    m.transitions.retain(|t| t.id != "t4-2");
    m.proposed_states
        .push(ProposedState { version_id: "v2".into(), ..state("escalated", StateKind::Intermediate) });
    m.transitions.push(Transition {
        version_id: "v2".into(),
        ..transition("t5-2", "charted-2", "escalated", "rechecked", Some("uc"))
    });
}

#[test]
fn diff_names_every_kind_of_change() {
    let mut m = valid();
    copy_version(&mut m);
    assert_eq!(baton::design::diff(&m, "v", "v2"), [], "a copy under new ids is no change");
    let t2 = |m: &mut Model, id: &str| -> usize { m.transitions.iter().position(|t| t.id == id).unwrap() };
    let i = t2(&mut m, "t1-2");
    m.transitions[i].owner_role_id = Some("rt".into());
    m.transitions[i].timer = "PT1H".into();
    m.transitions[i].escalate_to_role_id = Some("rn".into());
    m.transitions[i].overrides = vec![OwnerOverride { facility_id: "north".into(), role_id: "uc".into() }];
    let i = t2(&mut m, "t2-2");
    m.transitions[i].write_backs.clear();
    let i = t2(&mut m, "t3-2");
    m.transitions[i].guard = "spo2 < 90".into();
    m.transitions[i].priority = Some(1);
    replace_recheck_with_escalation(&mut m);
    let s = m.proposed_states.iter().position(|s| s.id == "done-2").unwrap();
    m.proposed_states[s].meaning = "Reconciled and closed".into();
    let found: Vec<(String, String, String, Option<String>)> = baton::design::diff(&m, "v", "v2")
        .into_iter()
        .map(|c| (c.element, c.subject, c.change, c.part))
        .collect();
    let c = |e: &str, s: &str, k: &str, p: Option<&str>| {
        (e.to_string(), s.to_string(), k.to_string(), p.map(str::to_string))
    };
    assert_eq!(
        found,
        [
            c("state", "DONE", "changed", Some("meaning")),
            c("state", "ESCALATED", "added", None),
            c("transition", "CHARTED → CHARTED on rechecked", "changed", Some("guard")),
            c("transition", "CHARTED → CHARTED on rechecked", "changed", Some("priority")),
            c("transition", "CHARTED → DONE on rechecked", "removed", None),
            c("transition", "CHARTED → DONE on reconciled", "changed", Some("write_back")),
            c("transition", "CHARTED → ESCALATED on rechecked", "added", None),
            c("transition", "DUE → CHARTED on charted", "changed", Some("escalate_to")),
            c("transition", "DUE → CHARTED on charted", "changed", Some("owner")),
            c("transition", "DUE → CHARTED on charted", "changed", Some("owner_at")),
            c("transition", "DUE → CHARTED on charted", "changed", Some("timer")),
        ]
    );
    // A removed state, and a changed kind.
    m.proposed_states.retain(|s| s.id != "escalated");
    m.proposed_states.retain(|s| s.id != "charted-2");
    let i = m.proposed_states.iter().position(|s| s.id == "done-2").unwrap();
    m.proposed_states[i].kind = StateKind::Intermediate;
    let found = baton::design::diff(&m, "v", "v2");
    assert!(found.iter().any(|c| c.subject == "CHARTED" && c.change == "removed"));
    assert!(found.iter().any(|c| c.subject == "DONE"
        && c.part.as_deref() == Some("kind")
        && c.to.as_deref() == Some("intermediate")));
}

#[test]
fn a_comparison_marks_what_was_added_and_changed_and_lists_what_was_removed() {
    let mut m = valid();
    copy_version(&mut m);
    let i = m.transitions.iter().position(|t| t.id == "t1-2").unwrap();
    m.transitions[i].timer = "PT1H".into();
    replace_recheck_with_escalation(&mut m);
    let (marks, removed) = baton::design::marks(&m, "v", "v2");
    assert_eq!(marks.get("t1-2").map(String::as_str), Some("changed"));
    assert_eq!(marks.get("escalated").map(String::as_str), Some("added"));
    assert_eq!(marks.get("t5-2").map(String::as_str), Some("added"));
    assert_eq!(removed, ["transition CHARTED → DONE on rechecked"]);
    assert!(!marks.contains_key("due-2"), "unchanged states are not marked");
}
