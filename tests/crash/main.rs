//! Crash safety: a child process edits a project through the core (roles added, undone, task
//! telemetry imported) and is killed with SIGKILL at random moments; after every kill the file
//! opens, passes SQLite's integrity check, and holds exactly the edits the child reported as
//! committed (plus, at most, the one in flight). A second test kills the upgrade of an older
//! project file: whatever the moment, the file is at the old schema or the new one, intact, with
//! nothing lost, and the next open finishes the upgrade. A third kills the checkpoint at close
//! (the last connection copying the log into the file): every file opens with every edit.
//!
//! `BATON_CRASH_KILLS` sets the number of kills (100 by default, a quarter of that for the upgrade; `BATON_CRASH_KILLS=1000 cargo
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

/// A schema-1 project file (the first release's) with `statements` interview statements, so its
/// upgrade rewrites enough rows to take a while.
fn version_1_file(path: &std::path::Path, statements: u32) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(include_str!("../../src/store/migrations/0001_model.sql")).expect("schema 1");
    conn.execute_batch(include_str!("../fixtures/version-1-base.sql")).expect("base rows");
    conn.execute_batch(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {statements})
         INSERT INTO statement (id, interview_id, position, step_name, step_id, performed_by, quote)
             SELECT 'st' || i, 'i1', i, 'Chart it', 's1', 'rt', 'We chart it on paper first' FROM n;"
    ))
    .expect("rows");
    conn.pragma_update(None, "application_id", baton::store::APPLICATION_ID).expect("app id");
    conn.pragma_update(None, "user_version", 1).expect("version");
}

/// The schema version and integrity of a file, read without upgrading it.
fn raw_state(path: &std::path::Path) -> (i64, Vec<String>, i64) {
    let conn = rusqlite::Connection::open(path).expect("raw open");
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    let mut stmt = conn.prepare("PRAGMA integrity_check").expect("check");
    let check =
        stmt.query_map([], |r| r.get(0)).expect("rows").collect::<Result<Vec<String>, _>>().expect("check");
    let statements = conn.query_row("SELECT count(*) FROM statement", [], |r| r.get(0)).expect("count");
    (version, check, statements)
}

#[test]
fn killed_mid_migration_keeps_the_old_schema_or_the_new() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pristine = dir.path().join("v1.baton");
    let statements = 50_000;
    version_1_file(&pristine, statements);
    let path = dir.path().join("upgrading.baton");
    let kills: u32 = std::env::var("BATON_CRASH_KILLS").ok().and_then(|k| k.parse().ok()).unwrap_or(100);
    let rounds = (kills / 4).max(10);

    // How long an uninterrupted upgrade takes, to spread the kills over it.
    std::fs::copy(&pristine, &path).expect("copy");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_baton-crash-helper"))
        .arg("--migrate")
        .arg(&path)
        .output()
        .expect("run");
    let full = started.elapsed();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "migrated",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (mut old, mut during, mut new) = (0, 0, 0);
    for round in 0..rounds {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(&name);
        }
        std::fs::copy(&pristine, &path).expect("copy");
        let mut child = Command::new(env!("CARGO_BIN_EXE_baton-crash-helper"))
            .arg("--migrate")
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn helper");
        // Kills spread evenly from a little into the run (opening checks the file first) to well
        // after a full upgrade (the timing of one run is only a guide on a busy machine).
        std::thread::sleep(full.mul_f64(0.2 + 1.8 * f64::from(round) / f64::from(rounds)));
        let _ = child.kill();
        let output = child.wait_with_output().expect("wait");
        let reported = String::from_utf8_lossy(&output.stdout).contains("migrated");
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let wal_written = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);

        let (version, check, count) = raw_state(&path);
        assert_eq!(check, ["ok"], "round {round}: integrity after a kill mid-upgrade");
        assert_eq!(count, i64::from(statements), "round {round}: every statement is still there");
        assert!(
            version == 1 || version == baton::store::SCHEMA_VERSION,
            "round {round}: the file is at schema {version}, neither the old nor the new"
        );
        if reported {
            assert_eq!(version, baton::store::SCHEMA_VERSION, "round {round}: a reported upgrade is kept");
        }
        if version == 1 {
            old += 1;
            during += usize::from(wal_written);
        } else {
            new += 1;
        }
        // Whatever the kill left, the next open finishes the upgrade with nothing lost.
        let project = baton::Project::open(&path).unwrap_or_else(|e| panic!("round {round}: reopen: {e}"));
        assert_eq!(project.integrity_check().expect("check"), ["ok"], "round {round}");
        drop(project);
        assert_eq!(
            raw_state(&path),
            (baton::store::SCHEMA_VERSION, vec!["ok".to_owned()], i64::from(statements))
        );
    }
    eprintln!(
        "migration crash test: {rounds} kills over a {full:?} upgrade; {old} left schema 1 ({during} of them \
         mid-upgrade, with the upgrade's pages in the write-ahead log), {new} the new schema"
    );
    assert!(during > 0, "some kills landed in the middle of the upgrade ({during})");
}

/// Removes a project file and its side files.
fn remove_project(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(&name);
    }
}

#[test]
fn killed_during_the_checkpoint_at_close_every_file_opens_with_every_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("closing.baton");
    let roles = 40;
    let kills: u32 = std::env::var("BATON_CRASH_KILLS").ok().and_then(|k| k.parse().ok()).unwrap_or(100);
    let run = |path: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_baton-crash-helper"))
            .arg("--close")
            .arg(path)
            .arg(roles.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn helper")
    };
    let wait_for_closing = |child: &mut std::process::Child| {
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        out.read_line(&mut line).expect("read");
        assert_eq!(line.trim(), "closing", "the helper made its edits");
        out
    };
    // How long the close takes, to spread the kills over it.
    drop(baton::Project::create(&path, "Closing").expect("create"));
    let mut child = run(&path);
    let _out = wait_for_closing(&mut child);
    let started = Instant::now();
    assert!(child.wait().expect("wait").success());
    let close = started.elapsed();

    let mut rng = rand::rng();
    let mut header_ahead = 0;
    for round in 0..kills {
        remove_project(&path);
        drop(baton::Project::create(&path, "Closing").expect("create"));
        let mut child = run(&path);
        let _out = wait_for_closing(&mut child);
        std::thread::sleep(close.mul_f64(rng.random_range(0.0..1.2)));
        let _ = child.kill();
        let _ = child.wait();
        // The state the issue was about: the file's header already counts pages that are still
        // only in the log.
        let bytes = std::fs::read(&path).expect("read");
        let counted = u64::from(u32::from_be_bytes(bytes[28..32].try_into().expect("4 bytes"))) * 4096;
        header_ahead += usize::from(counted > bytes.len() as u64);
        let project = baton::Project::open(&path).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(project.integrity_check().expect("check"), ["ok"], "round {round}");
        let names: BTreeSet<String> =
            project.model().expect("model").roles.into_iter().map(|r| r.name).collect();
        let missing: Vec<String> =
            (0..roles).map(|n| format!("Close {n}")).filter(|n| !names.contains(n)).collect();
        assert!(missing.is_empty(), "round {round}: committed edits missing: {missing:?}");
    }
    eprintln!(
        "checkpoint crash test: {kills} kills over a {close:?} close; {header_ahead} left a header counting pages still in the log; every file opened with all {roles} edits"
    );
}
