//! Crash safety: a child process edits a project through the core (roles added, undone, task
//! telemetry imported) and is killed with SIGKILL at random moments; after every kill the file
//! opens, passes SQLite's integrity check, and holds exactly the edits the child reported as
//! committed (plus, at most, the one in flight).
//!
//! `BATON_CRASH_KILLS` sets the number of kills (100 by default; `BATON_CRASH_KILLS=1000 cargo
//! test --test crash -- --nocapture` is the documented longer run).

// A test states what it expects by panicking when it does not get it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;

/// What must exist after the child reported edits `0..=last` committed (the helper's edit plan):
/// the roles `Role n` and the telemetry imports `tasks-n.csv` not undone since.
fn expected(last: Option<u64>) -> BTreeSet<String> {
    let mut items = Vec::new();
    if let Some(last) = last {
        for n in 0..=last {
            if n % 3 == 2 {
                items.pop();
            } else if n % 5 == 4 {
                items.push(format!("tasks-{n}.csv"));
            } else {
                items.push(format!("Role {n}"));
            }
        }
    }
    items.into_iter().collect()
}

/// What the project holds, in the terms of `expected`.
fn found(project: &baton::Project) -> BTreeSet<String> {
    let m = project.model().expect("model");
    m.roles.into_iter().map(|r| r.name).chain(m.telemetry.into_iter().map(|t| t.name)).collect()
}

#[test]
fn killed_mid_edit_loses_nothing_committed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("crash.baton");
    drop(baton::Project::create(&path, "Crash test").expect("create"));
    let mut rng = rand::rng();
    let mut next = 0u64;
    let mut last_committed: Option<u64> = None;
    let kills: u32 = std::env::var("BATON_CRASH_KILLS").ok().and_then(|k| k.parse().ok()).unwrap_or(100);
    let source = dir.path().join("tasks.csv");
    let mut csv = String::from("task,workflow,version,step,event,role,facility,timestamp\n");
    for t in 0..400 {
        csv.push_str(&format!("T{t},w,1,s{},created,rn,north,2026-11-02T08:{:02}:00Z\n", t % 7, t % 60));
        csv.push_str(&format!("T{t},w,1,s{},completed,rn,north,2026-11-02T09:{:02}:00Z\n", t % 7, t % 60));
    }
    std::fs::write(&source, csv).expect("telemetry source");
    let mut imports_seen = 0;
    for round in 0..kills {
        let mut child = Command::new(env!("CARGO_BIN_EXE_baton-crash-helper"))
            .arg(&path)
            .arg(next.to_string())
            .arg(&source)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn helper");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("committed ").and_then(|n| n.parse::<u64>().ok()) {
                    seen.push(n);
                }
            }
            seen
        });
        let wait = Duration::from_millis(rng.random_range(20..250));
        let started = Instant::now();
        while started.elapsed() < wait {
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("wait");
        assert!(!status.success(), "round {round}: the helper was killed, not finished");
        let seen = reader.join().expect("reader");
        if let Some(&n) = seen.last() {
            last_committed = Some(n);
        }

        let project =
            baton::Project::open(&path).unwrap_or_else(|e| panic!("round {round}: reopen failed: {e}"));
        assert_eq!(project.integrity_check().expect("check"), ["ok"], "round {round}");
        let now = found(&project);
        let expected_now = expected(last_committed);
        // The edit in flight when the kill came may or may not have committed; everything
        // reported before it must be there, and nothing else.
        let in_flight = last_committed.map_or(0, |n| n + 1);
        let with_in_flight = expected(Some(in_flight));
        assert!(
            now == expected_now || now == with_in_flight,
            "round {round}: after committed edit {last_committed:?} the project holds {now:?}"
        );
        next = if now == expected_now { in_flight } else { in_flight + 1 };
        if now != expected_now {
            last_committed = Some(in_flight);
        }
        imports_seen += now.iter().filter(|n| n.starts_with("tasks-")).count();
    }
    eprintln!(
        "crash test: {kills} kills, {} edits committed, every file intact",
        last_committed.map_or(0, |n| n + 1)
    );
    assert!(imports_seen > 0, "some kills came after imports");
    assert!(last_committed.unwrap_or(0) > 10, "the helper made progress: {last_committed:?}");
}
