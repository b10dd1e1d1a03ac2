//! One fixture per state-mismatch kind that produces it, and a near miss that must not.

use baton::findings::{Finding, FindingKind};
use baton::model::{
    BusinessState, EmrField, EmrValue, EmrValueCount, EventLog, Facility, Handoff, LogActivity, LogEdge,
    LogRole, LogVariant, Mapping, Model, Role, Step, StepKind, Workflow,
};

fn step(id: &str, name: &str, owner: &str, position: i64) -> Step {
    Step {
        id: id.into(),
        workflow_id: "w".into(),
        name: name.into(),
        kind: StepKind::Task,
        owner_role_id: Some(owner.into()),
        done_means: String::new(),
        position,
        manual_xy: None,
        generated: false,
    }
}

fn mapping(value: &str, state: &str, facility: Option<&str>) -> Mapping {
    Mapping {
        id: format!("map-{value}-{state}-{}", facility.unwrap_or("all")),
        value_id: value.into(),
        state_id: state.into(),
        facility_id: facility.map(str::to_string),
        note: String::new(),
    }
}

fn value(id: &str, text: &str, count: i64) -> (EmrValue, EmrValueCount) {
    (
        EmrValue { id: id.into(), field_id: "f".into(), value: text.into(), description: String::new() },
        EmrValueCount { value_id: id.into(), facility_id: "north".into(), count },
    )
}

/// A workflow of three steps with two handoffs, three business states each mapped from one EMR
/// value: none of the mismatch kinds.
fn base() -> Model {
    let mut m = Model::default();
    for (id, name) in [("north", "North"), ("south", "South")] {
        m.facilities.push(Facility { id: id.into(), name: name.into(), timezone: "UTC".into() });
    }
    for id in ["md", "rn", "rt"] {
        m.roles.push(Role { id: id.into(), name: id.to_uppercase(), description: String::new() });
    }
    m.workflows.push(Workflow { id: "w".into(), name: "Oxygen order".into(), description: String::new() });
    m.steps = vec![
        step("a", "Order placed", "md", 0),
        step("b", "Order verified", "rn", 1),
        step("c", "Therapy given", "rt", 2),
    ];
    for (i, (from, to)) in [("a", "b"), ("b", "c")].into_iter().enumerate() {
        m.handoffs.push(Handoff {
            id: format!("h-{from}-{to}"),
            workflow_id: "w".into(),
            from_step_id: from.into(),
            to_step_id: to.into(),
            label: String::new(),
            position: i as i64,
            generated: false,
        });
    }
    for (i, (id, name)) in [("s1", "Ordered"), ("s2", "Verified"), ("s3", "Given")].into_iter().enumerate() {
        m.business_states.push(BusinessState {
            id: id.into(),
            workflow_id: "w".into(),
            name: name.into(),
            meaning: String::new(),
            position: i as i64,
        });
    }
    m.emr_fields.push(EmrField {
        id: "f".into(),
        name: "Order Status".into(),
        source: "EMR".into(),
        description: String::new(),
    });
    for (id, text, state) in [("v1", "NEW", "s1"), ("v2", "VER", "s2"), ("v3", "DONE", "s3")] {
        let (v, c) = value(id, text, 10);
        m.emr_values.push(v);
        m.emr_value_counts.push(c);
        m.mappings.push(mapping(id, state, None));
    }
    m
}

fn activity(name: &str, events: i64, wait_median: f64) -> LogActivity {
    LogActivity {
        facility: "north".into(),
        activity: name.into(),
        events,
        starts: 0,
        ends: 0,
        wait_count: events,
        wait_median,
        wait_p90: wait_median * 2.0,
    }
}

fn edge(from: &str, to: &str, count: i64) -> LogEdge {
    LogEdge {
        facility: "north".into(),
        from: from.into(),
        to: to.into(),
        count,
        mean_seconds: 60.0,
        median_seconds: 60.0,
    }
}

/// A log that follows the map: placed → verified → given, each step by its owner, even waits.
fn log() -> EventLog {
    EventLog {
        id: "log".into(),
        events: 120,
        cases: 40,
        activities: vec![
            activity("Order placed", 40, 600.0),
            activity("Order verified", 40, 600.0),
            activity("Therapy given", 40, 600.0),
        ],
        roles: [("Order placed", "md"), ("Order verified", "rn"), ("Therapy given", "rt")]
            .into_iter()
            .map(|(a, r)| LogRole {
                facility: "north".into(),
                activity: a.into(),
                role: r.into(),
                events: 40,
            })
            .collect(),
        edges: vec![edge("Order placed", "Order verified", 40), edge("Order verified", "Therapy given", 40)],
        variants: vec![LogVariant {
            activities: vec!["Order placed".into(), "Order verified".into(), "Therapy given".into()],
            count: 40,
            example_case: "0123456789abcdef".into(),
        }],
        ..EventLog::default()
    }
}

fn of_kind(m: &Model, kind: FindingKind) -> Vec<Finding> {
    baton::findings::analyze(m, &Default::default(), &baton::progress::Progress::none())
        .unwrap()
        .into_iter()
        .filter(|f| f.kind == kind)
        .collect()
}

#[test]
fn the_base_fixtures_show_no_mismatch() {
    let mut m = base();
    m.logs.push(log());
    for kind in baton::findings::MISMATCH_KINDS {
        assert!(of_kind(&m, kind).is_empty(), "{}: {:?}", kind.as_str(), of_kind(&m, kind));
    }
}

#[test]
fn ambiguous_status() {
    let mut m = base();
    m.mappings.retain(|x| x.value_id != "v3");
    m.mappings.push(mapping("v3", "s3", Some("north")));
    m.mappings.push(mapping("v3", "s2", Some("south")));
    let found = of_kind(&m, FindingKind::AmbiguousStatus);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].subject.value.as_deref(), Some("v3"));
    assert_eq!(found[0].subject.facilities, ["north", "south"]);
    assert!(found[0].evidence.iter().any(|e| e.text.contains("At North") && e.count == Some(10)));
    // Near miss: the same state at both facilities is one meaning, not two.
    m.mappings.retain(|x| x.value_id != "v3");
    m.mappings.push(mapping("v3", "s3", Some("north")));
    m.mappings.push(mapping("v3", "s3", Some("south")));
    assert!(of_kind(&m, FindingKind::AmbiguousStatus).is_empty());
}

#[test]
fn invisible_state() {
    let mut m = base();
    m.business_states.push(BusinessState {
        id: "s4".into(),
        workflow_id: "w".into(),
        name: "Escalated".into(),
        meaning: "Sent to the charge nurse".into(),
        position: 3,
    });
    let found = of_kind(&m, FindingKind::InvisibleState);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].subject.state.as_deref(), Some("s4"));
    assert!(found[0].evidence.iter().any(|e| e.text.contains("Sent to the charge nurse")));
    // Near miss: a value means it.
    let (v, c) = value("v4", "ESC", 3);
    m.emr_values.push(v);
    m.emr_value_counts.push(c);
    m.mappings.push(mapping("v4", "s4", None));
    assert!(of_kind(&m, FindingKind::InvisibleState).is_empty());
    // Near miss: a project without EMR data yet is not judged.
    let mut bare = base();
    bare.emr_values.clear();
    bare.emr_value_counts.clear();
    bare.mappings.clear();
    assert!(of_kind(&bare, FindingKind::InvisibleState).is_empty());
}

#[test]
fn unused_value() {
    let mut m = base();
    let (v, c) = value("v4", "HOLD", 0);
    m.emr_values.push(v);
    m.emr_value_counts.push(c);
    m.mappings.push(mapping("v4", "s2", Some("south")));
    let found = of_kind(&m, FindingKind::UnusedValue);
    assert_eq!(found.len(), 1, "a value counted 0 everywhere");
    assert!(found[0].title.contains("never used"));
    // Counted but mapped by nobody while its field's other values are.
    m.mappings.retain(|x| x.value_id != "v4");
    m.emr_value_counts.retain(|c| c.value_id != "v4");
    m.emr_value_counts.push(EmrValueCount { value_id: "v4".into(), facility_id: "north".into(), count: 7 });
    let found = of_kind(&m, FindingKind::UnusedValue);
    assert_eq!(found.len(), 1);
    assert!(found[0].title.contains("not mapped"));
    // Near miss: counted and mapped.
    m.mappings.push(mapping("v4", "s1", Some("south")));
    assert!(of_kind(&m, FindingKind::UnusedValue).is_empty());
}

#[test]
fn redundant_values() {
    let mut m = base();
    let (v, c) = value("v4", "VERIFIED", 4);
    m.emr_values.push(v);
    m.emr_value_counts.push(c);
    m.mappings.push(mapping("v4", "s2", None));
    let found = of_kind(&m, FindingKind::RedundantValues);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].subject.state.as_deref(), Some("s2"));
    assert!(found[0].title.contains("VER") && found[0].title.contains("VERIFIED"));
    // Near miss: the second value also means another state somewhere, so it is not a duplicate.
    m.mappings.push(mapping("v4", "s3", Some("south")));
    assert!(of_kind(&m, FindingKind::RedundantValues).is_empty());
}

#[test]
fn undocumented_transition() {
    let mut m = base();
    let mut l = log();
    l.edges.push(edge("Order placed", "Therapy given", 10));
    l.variants.push(LogVariant {
        activities: vec!["Order placed".into(), "Therapy given".into()],
        count: 10,
        example_case: "fedcba9876543210".into(),
    });
    m.logs.push(l);
    let found = of_kind(&m, FindingKind::UndocumentedTransition);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].subject.step.as_deref(), Some("a"));
    assert!(found[0].evidence.iter().any(|e| e.text.contains("10 times (20%")), "{:?}", found[0].evidence);
    assert!(found[0].evidence.iter().any(|e| e.text.contains("fedcba9876543210")));
    // Near misses: too rare (4 times), or too small a share (6 of 206).
    m.logs[0].edges.last_mut().unwrap().count = 4;
    assert!(of_kind(&m, FindingKind::UndocumentedTransition).is_empty());
    m.logs[0].edges.last_mut().unwrap().count = 6;
    m.logs[0].edges[0].count = 200;
    assert!(of_kind(&m, FindingKind::UndocumentedTransition).is_empty());
}

#[test]
fn unobserved_transition() {
    let mut m = base();
    let mut l = log();
    l.edges.retain(|e| e.to != "Therapy given");
    m.logs.push(l);
    let found = of_kind(&m, FindingKind::UnobservedTransition);
    assert_eq!(found.len(), 1);
    assert!(found[0].title.contains("Order verified") && found[0].title.contains("Therapy given"));
    // Near miss: a log that never shows "Therapy given" cannot judge the handoff to it.
    m.logs[0].activities.retain(|a| a.activity != "Therapy given");
    assert!(of_kind(&m, FindingKind::UnobservedTransition).is_empty());
}

#[test]
fn stall() {
    let mut m = base();
    let mut l = log();
    l.activities[1].wait_median = 1900.0; // more than 3 × the 600 s median
    m.logs.push(l);
    let found = of_kind(&m, FindingKind::Stall);
    assert_eq!(found.len(), 1);
    assert!(found[0].title.contains("Order verified"), "{}", found[0].title);
    // Near misses: under the factor, or too few waits to judge.
    m.logs[0].activities[1].wait_median = 1700.0;
    assert!(of_kind(&m, FindingKind::Stall).is_empty());
    m.logs[0].activities[1].wait_median = 1900.0;
    m.logs[0].activities[1].wait_count = 19;
    assert!(of_kind(&m, FindingKind::Stall).is_empty());
}

#[test]
fn role_mismatch() {
    let mut m = base();
    let mut l = log();
    l.roles.retain(|r| r.activity != "Order verified");
    for (role, events) in [("rt", 30), ("rn", 10)] {
        l.roles.push(LogRole {
            facility: "north".into(),
            activity: "Order verified".into(),
            role: role.into(),
            events,
        });
    }
    m.logs.push(l);
    let found = of_kind(&m, FindingKind::RoleMismatch);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].subject.roles, ["rn", "rt"]);
    assert!(found[0].evidence.iter().any(|e| e.text.contains("75%")));
    // Near miss: the other role did most of it, but less than 60%.
    for r in m.logs[0].roles.iter_mut().filter(|r| r.activity == "Order verified") {
        r.events = if r.role == "rt" { 25 } else { 20 };
    }
    assert!(of_kind(&m, FindingKind::RoleMismatch).is_empty());
}
