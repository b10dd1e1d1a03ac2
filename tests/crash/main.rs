//! Crash safety: a child process edits a project through the core and is killed with SIGKILL at
//! random moments; after every kill the file opens, passes SQLite's integrity check, and holds
//! every edit the child reported as committed.

// A test states what it expects by panicking when it does not get it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;

/// The roles that must exist after the child reported edits `0..=last` committed: every edit `n`
/// adds `Role n`, except every third, which undoes the edit before it.
fn expected_roles(last: Option<u64>) -> BTreeSet<String> {
    let mut roles = Vec::new();
    if let Some(last) = last {
        for n in 0..=last {
            if n % 3 == 2 {
                roles.pop();
            } else {
                roles.push(format!("Role {n}"));
            }
        }
    }
    roles.into_iter().collect()
}

#[test]
fn killed_mid_edit_loses_nothing_committed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("crash.baton");
    drop(baton::Project::create(&path, "Crash test").expect("create"));
    let mut rng = rand::rng();
    let mut next = 0u64;
    let mut last_committed: Option<u64> = None;
    let kills = 25;
    for round in 0..kills {
        let mut child = Command::new(env!("CARGO_BIN_EXE_baton-crash-helper"))
            .arg(&path)
            .arg(next.to_string())
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
        let roles: BTreeSet<String> =
            project.model().expect("model").roles.into_iter().map(|r| r.name).collect();
        let expected = expected_roles(last_committed);
        // The edit in flight when the kill came may or may not have committed; everything
        // reported before it must be there.
        let in_flight = last_committed.map_or(0, |n| n + 1);
        let with_in_flight = expected_roles(Some(in_flight));
        assert!(
            roles == expected || roles == with_in_flight,
            "round {round}: after committed edit {last_committed:?} the roles are {roles:?}"
        );
        next = if roles == expected { in_flight } else { in_flight + 1 };
        if roles != expected {
            last_committed = Some(in_flight);
        }
    }
    assert!(last_committed.unwrap_or(0) > 10, "the helper made progress: {last_committed:?}");
}
