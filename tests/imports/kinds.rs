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
        service_level: String::new(),
        safety_critical: false,
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
    waits(from, to, &[(60.0, count as usize)])
}

/// An edge whose waits are `(seconds, how many)`, with its sketch and median.
fn waits(from: &str, to: &str, groups: &[(f64, usize)]) -> LogEdge {
    let mut all: Vec<f64> = groups.iter().flat_map(|(s, n)| std::iter::repeat_n(*s, *n)).collect();
    all.sort_by(f64::total_cmp);
    let mut sketch = baton::model::sketch::Sketch::default();
    for w in &all {
        sketch.add(*w);
    }
    let mid = all.len() / 2;
    let median = if all.len() % 2 == 1 { all[mid] } else { (all[mid - 1] + all[mid]) / 2.0 };
    LogEdge {
        facility: "north".into(),
        from: from.into(),
        to: to.into(),
        count: all.len() as i64,
        mean_seconds: all.iter().sum::<f64>() / all.len() as f64,
        median_seconds: median,
        sketch: Some(sketch),
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
    assert!(found[0].recommendation.contains("Retire"));
    // Below the floor: almost never used.
    m.emr_value_counts.retain(|c| c.value_id != "v4");
    m.emr_value_counts.push(EmrValueCount { value_id: "v4".into(), facility_id: "north".into(), count: 2 });
    assert!(of_kind(&m, FindingKind::UnusedValue)[0].title.contains("almost never used"));
    // Near miss: counted and mapped.
    m.emr_value_counts.retain(|c| c.value_id != "v4");
    m.emr_value_counts.push(EmrValueCount { value_id: "v4".into(), facility_id: "north".into(), count: 7 });
    assert!(of_kind(&m, FindingKind::UnusedValue).is_empty());
}

#[test]
fn unmapped_value() {
    let mut m = base();
    let (v, _) = value("v4", "Preliminary", 0);
    m.emr_values.push(v);
    m.emr_value_counts.push(EmrValueCount {
        value_id: "v4".into(),
        facility_id: "north".into(),
        count: 2100,
    });
    // In use but mapped by nobody while its field's other values are: never "unused".
    assert!(of_kind(&m, FindingKind::UnusedValue).is_empty());
    let found = of_kind(&m, FindingKind::UnmappedValue);
    assert_eq!(found.len(), 1);
    assert!(found[0].title.contains("in use (2,100 records)"), "{}", found[0].title);
    assert!(!found[0].recommendation.to_lowercase().contains("retire"), "{}", found[0].recommendation);
    assert_eq!(
        found[0].severity,
        baton::model::Severity::Medium,
        "2,100 records: large, not about ownership"
    );
    // A decision taken on it when it was called unused carries over to its new id.
    let old = {
        let mut before = m.clone();
        before.emr_value_counts.retain(|c| c.value_id != "v4");
        of_kind(&before, FindingKind::UnusedValue)[0].id.clone()
    };
    m.finding_triage.push(baton::model::FindingTriage {
        id: old,
        kind: "unused_value".into(),
        title: "Order Status “Preliminary” is not mapped to any business state".into(),
        status: baton::model::FindingStatus::Accepted,
        reason: String::new(),
        decided_at: "2026-11-01T00:00:00Z".into(),
    });
    assert_eq!(of_kind(&m, FindingKind::UnmappedValue)[0].status, baton::model::FindingStatus::Accepted);
    // Near miss: mapped.
    m.mappings.push(mapping("v4", "s1", None));
    assert!(of_kind(&m, FindingKind::UnmappedValue).is_empty());
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

/// The fixture log with the edge `from → to` replaced, and a third edge so the log has a
/// typical wait to compare with (10 minutes everywhere else).
fn log_with(edge: LogEdge) -> EventLog {
    let mut l = log();
    l.edges = vec![
        waits("Order placed", "Order verified", &[(600.0, 40)]),
        waits("Order verified", "Therapy given", &[(600.0, 40)]),
        waits("Therapy given", "Order placed", &[(600.0, 40)]),
    ];
    l.edges.retain(|e| (&e.from, &e.to) != (&edge.from, &edge.to));
    l.edges.push(edge);
    l.cases = 1000;
    l
}

fn stalls(l: EventLog, change: impl Fn(&mut Model)) -> Vec<Finding> {
    let mut m = base();
    m.logs.push(l);
    change(&mut m);
    of_kind(&m, FindingKind::Stall)
}

#[test]
fn stall_by_the_median() {
    let found = stalls(log_with(waits("Order placed", "Order verified", &[(1900.0, 40)])), |_| {});
    assert_eq!(found.len(), 1);
    assert!(
        found[0].title.contains("Order placed") && found[0].title.contains("median"),
        "{}",
        found[0].title
    );
    assert!(
        found[0].evidence.iter().any(|e| e.text.starts_with("Rule: the median wait")),
        "{:?}",
        found[0].evidence
    );
    // Near misses: under 3× the typical wait, or too few waits to judge.
    assert!(stalls(log_with(waits("Order placed", "Order verified", &[(1700.0, 40)])), |_| {}).is_empty());
    assert!(stalls(log_with(waits("Order placed", "Order verified", &[(1900.0, 19)])), |_| {}).is_empty());
}

#[test]
fn stall_in_the_tail_with_a_short_median() {
    // A critical-result callback: a 4-minute median, but 9 % of 1,000 cases wait 3 hours.
    let tail = waits("Order placed", "Order verified", &[(240.0, 910), (3.0 * 3600.0, 90)]);
    let found = stalls(log_with(tail.clone()), |_| {});
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .evidence
            .iter()
            .any(|e| e.text.contains("9 % of 1,000 cases waited more than 1 h")
                && e.text.contains("median 4 min")),
        "{:?}",
        found[0].evidence
    );
    assert_eq!(found[0].severity, baton::model::Severity::Medium, "90 cases, 9 %: not large");
    // Flagged safety-critical: 90 harmed cases rank high.
    let critical = stalls(log_with(tail.clone()), |m| m.steps[1].safety_critical = true);
    assert_eq!(critical[0].severity, baton::model::Severity::High);
    // Near miss: 3 % in the tail is under the 5 % the rule asks.
    assert!(
        stalls(
            log_with(waits("Order placed", "Order verified", &[(240.0, 970), (3.0 * 3600.0, 30)])),
            |_| {}
        )
        .is_empty()
    );
}

#[test]
fn a_log_from_before_sketches_is_judged_by_its_medians_and_flagged_for_import() {
    let mut old = log_with(waits("Order placed", "Order verified", &[(1900.0, 40)]));
    old.edges.iter_mut().for_each(|e| e.sketch = None);
    let mut m = base();
    m.logs.push(old);
    assert_eq!(of_kind(&m, FindingKind::Stall).len(), 1, "the median rule still works");
    let notices = baton::findings::notices(&m);
    assert_eq!(notices.len(), 1);
    assert!(notices[0].contains("import it again"), "{notices:?}");
    // A tail alone cannot be seen without the sketch.
    let mut tail = log_with(waits("Order placed", "Order verified", &[(240.0, 910), (3.0 * 3600.0, 90)]));
    tail.edges.iter_mut().for_each(|e| e.sketch = None);
    assert!(stalls(tail, |_| {}).is_empty());
}

#[test]
fn a_service_level_alone_decides() {
    // 6 % of cases wait more than the 30-minute service level: a stall, although the median is short.
    let edge = waits("Order placed", "Order verified", &[(300.0, 94), (40.0 * 60.0, 6)]);
    let found = stalls(log_with(edge.clone()), |m| m.steps[1].service_level = "PT30M".into());
    assert_eq!(found.len(), 1);
    assert!(found[0].title.contains("service level of 30 minutes"), "{}", found[0].title);
    // Near miss: a generous service level, under which even a long median is no stall.
    let slow = waits("Order placed", "Order verified", &[(1900.0, 40)]);
    assert!(stalls(log_with(slow), |m| m.steps[1].service_level = "PT1H".into()).is_empty());
}

#[test]
fn a_wait_the_interviews_expect_is_never_a_stall() {
    // A two-hour transfusion after ten-minute steps: long against the log, as the RN said it is.
    let transfusion = waits("Order verified", "Therapy given", &[(108.0 * 60.0, 60)]);
    assert_eq!(
        stalls(log_with(transfusion.clone()), |_| {}).len(),
        1,
        "without the interview, it stands out"
    );
    let said = |m: &mut Model| {
        m.interviews.push(baton::model::Interview {
            id: "i1".into(),
            role_id: "rt".into(),
            facility_id: "north".into(),
            alias: "RT-4".into(),
            ..Default::default()
        });
        m.statements.push(baton::model::Statement {
            id: "st1".into(),
            interview_id: "i1".into(),
            step_name: "Give therapy".into(),
            workflow_id: Some("w".into()),
            step_id: Some("c".into()),
            typical_duration: "about two hours a unit".into(),
            ..Default::default()
        });
    };
    assert!(stalls(log_with(transfusion), said).is_empty());
    // But waits well beyond what was said still stall, and the evidence names who set the expectation.
    let late = waits("Order verified", "Therapy given", &[(100.0 * 60.0, 50), (5.0 * 3600.0, 10)]);
    let found = stalls(log_with(late), said);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].evidence.iter().any(|e| e.text.contains("RT-4 said") && e.text.contains("about two hours"))
    );
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
