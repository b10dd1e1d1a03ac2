//! The reference semantics (docs/semantics.md), rule by rule, on the valid fixture: Due →
//! Charted (owner RN, escalates to UC after 2 hours) → Done, with a guarded loop on `rechecked`
//! (`spo2 < 92 && facility == "NORTH"`, owner RT) and a guarded exit (`spo2 >= 92`).

use std::collections::BTreeMap;

use baton::design::guard::Datum;
use baton::design::simulate::{Input, TaskRef, Trace, parse_time, simulate};

const T0: &str = "2026-10-01T08:00:00Z";

fn at(offset_minutes: i64) -> i64 {
    parse_time(T0).unwrap() + offset_minutes * 60
}

fn event(minutes: i64, name: &str, data: &[(&str, Datum)]) -> Input {
    Input {
        at: at(minutes),
        event: Some(name.into()),
        data: data.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect::<BTreeMap<_, _>>(),
    }
}

fn wait(minutes: i64) -> Input {
    Input { at: at(minutes), event: None, data: BTreeMap::new() }
}

fn run(facility: Option<&str>, inputs: &[Input]) -> Trace {
    simulate(&super::valid(), "v", facility, inputs).unwrap()
}

fn task(name: &str, role: &str) -> TaskRef {
    TaskRef { name: name.into(), role: role.into() }
}

#[test]
fn a_case_walks_to_the_end_closing_every_task() {
    let t = run(None, &[event(0, "charted", &[]), event(30, "reconciled", &[])]);
    assert!(t.finished);
    assert_eq!(t.final_state, "DONE");
    assert_eq!(t.steps.len(), 2);
    assert_eq!((t.steps[0].from.as_str(), t.steps[0].to.as_str()), ("DUE", "CHARTED"));
    assert!(t.steps[0].tasks_closed.is_empty(), "the initial state opens no task");
    assert_eq!(t.steps[0].tasks_opened, [task("Work on charted", "rn")]);
    assert_eq!(t.steps[1].tasks_closed, [task("Work on charted", "rn")]);
    assert!(t.steps[1].tasks_opened.is_empty(), "a terminal state has no task");
    assert_eq!(t.steps[1].write_backs.len(), 1);
    assert_eq!(t.steps[1].at, "2026-10-01T08:30:00Z");
    assert!(t.open_tasks.is_empty());
}

#[test]
fn a_timer_runs_out_once_escalates_and_never_keeps_the_case_open() {
    let t = run(None, &[event(0, "charted", &[]), wait(60 * 7), event(60 * 8, "reconciled", &[])]);
    let timers: Vec<_> = t.steps.iter().filter(|s| s.timer.is_some()).collect();
    assert_eq!(timers.len(), 1, "it runs out once, however long the case waits: {t:#?}");
    assert_eq!(timers[0].at, "2026-10-01T10:00:00Z");
    assert_eq!(timers[0].timer.as_deref(), Some("after 2 hours"));
    assert_eq!(timers[0].escalations[0].role, "uc");
    assert_eq!(
        (timers[0].from.as_str(), timers[0].to.as_str()),
        ("CHARTED", "CHARTED"),
        "a timer moves nothing"
    );
    let last = t.steps.last().unwrap();
    assert_eq!(
        last.tasks_closed,
        [task("Work on charted", "rn"), task("Escalation: Work on charted overdue", "uc")]
    );
    assert!(t.finished && t.open_tasks.is_empty());
}

#[test]
fn a_timer_stops_when_the_case_moves_on_and_an_event_at_the_deadline_comes_after_it() {
    let before = run(None, &[event(0, "charted", &[]), event(119, "reconciled", &[]), wait(600)]);
    assert!(before.steps.iter().all(|s| s.timer.is_none()), "left before the deadline: no escalation");
    let exactly = run(None, &[event(0, "charted", &[]), event(120, "reconciled", &[])]);
    assert_eq!(exactly.steps.len(), 3);
    assert!(exactly.steps[1].timer.is_some(), "the timer runs out first at its deadline");
}

#[test]
fn an_unexpected_event_is_ignored_and_changes_nothing() {
    let t = run(None, &[event(0, "reconciled", &[]), event(5, "charted", &[])]);
    assert_eq!(t.ignored.len(), 1);
    assert_eq!((t.ignored[0].state.as_str(), t.ignored[0].reason.as_str()), ("DUE", "unexpected"));
    assert_eq!(t.final_state, "CHARTED");
    let after_end =
        run(None, &[event(0, "charted", &[]), event(1, "reconciled", &[]), event(2, "charted", &[])]);
    assert_eq!(after_end.ignored[0].reason, "finished");
}

#[test]
fn guards_follow_the_written_rules() {
    let number = |n: f64| ("spo2", Datum::Number(n));
    let start = event(0, "charted", &[]);
    // spo2 < 92 at NORTH: the loop fires (owner RT).
    let t = run(Some("NORTH"), &[start.clone(), event(10, "rechecked", &[number(88.0)])]);
    assert_eq!(t.steps[1].to, "CHARTED");
    assert_eq!(t.steps[1].tasks_opened, [task("Work on charted", "rt")]);
    // At another facility neither guard holds for 88: ignored.
    let t = run(Some("south"), &[start.clone(), event(10, "rechecked", &[number(88.0)])]);
    assert_eq!(t.ignored[0].reason, "no_guard_held");
    // spo2 >= 92 leaves.
    let t = run(Some("NORTH"), &[start.clone(), event(10, "rechecked", &[number(95.0)])]);
    assert!(t.finished);
    // Missing, or a string where a number is declared: every comparison is false.
    for data in [vec![], vec![("spo2", Datum::Text("88".into()))]] {
        let t = run(Some("NORTH"), &[start.clone(), event(10, "rechecked", &data)]);
        assert_eq!(t.ignored.len(), 1, "{data:?}: {t:#?}");
        assert_eq!(t.final_state, "CHARTED");
    }
}

#[test]
fn inputs_out_of_time_order_are_refused() {
    let err = simulate(&super::valid(), "v", None, &[event(10, "charted", &[]), event(0, "reconciled", &[])])
        .unwrap_err();
    assert!(err.to_string().contains("time order"), "{err}");
}
