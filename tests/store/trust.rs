//! A project file may come from anyone: undo never runs text from it, a planted schema object is
//! refused before it can run, encryption loses no edit of another writer and leaves no plain copy,
//! and a healthy file whose checkpoint was cut short still opens.

use std::path::{Path, PathBuf};

use baton::Project;
use baton::store::APPLICATION_ID;

use super::{role_names, temp};

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("raw open")
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Every byte of a project file and its log.
fn file_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).expect("read");
    bytes.extend(std::fs::read(side(path, "-wal")).unwrap_or_default());
    bytes
}

/// A victim project beside the one under attack, and the attack's SQL from the report.
fn victim(dir: &Path) -> PathBuf {
    let path = dir.join("victim.baton");
    let mut v = Project::create(&path, "Victim").expect("victim");
    v.add_role("RN", "").expect("role");
    path
}

#[test]
fn undo_refuses_a_journal_entry_naming_an_unknown_table_or_column() {
    let dir = temp();
    let victim = victim(dir.path());
    let path = dir.path().join("p.baton");
    let mut p = Project::create(&path, "P").expect("create");
    p.add_role("X", "").expect("role");
    drop(p);
    let attack =
        format!("role\"; ATTACH DATABASE '{}' AS o; UPDATE o.project SET name='PWNED'; --", victim.display());
    let forgeries: [(&str, &str, &str, i64, &str); 3] = [
        ("unknown table", "delete", &attack, 1, "id"),
        ("unknown column", "delete", "role", 1, "id\" = 'x' OR 1=1; --"),
        ("no key", "delete", "role", 0, "name"),
    ];
    for (what, op, table, is_key, column) in forgeries {
        let conn = raw(&path);
        let step: i64 = conn.query_row("SELECT max(id) FROM journal_step", [], |r| r.get(0)).expect("step");
        conn.execute("DELETE FROM journal_entry WHERE step_id = ?1", [step]).expect("clear");
        conn.execute("INSERT INTO journal_entry (step_id, op, tbl) VALUES (?1, ?2, ?3)", (step, op, table))
            .expect("forge");
        let seq = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO journal_value (entry_seq, is_key, col, value) VALUES (?1, ?2, ?3, 'x')",
            (seq, is_key, column),
        )
        .expect("forge value");
        drop(conn);
        let before = file_bytes(&path);
        let mut p = Project::open(&path).expect("open");
        let err = p.undo().expect_err(what);
        assert_eq!(err.code(), "not_a_project", "{what}: {err}");
        assert!(err.to_string().contains("undo history was altered"), "{what}: {err}");
        assert_eq!(role_names(&p), ["X"], "{what}: nothing undone");
        drop(p);
        assert_eq!(file_bytes(&path), before, "{what}: the file is unchanged");
    }
    let v = Project::open(&victim).expect("victim opens");
    assert_eq!(v.meta().expect("meta").name, "Victim");
    assert_eq!(role_names(&v), ["RN"]);
}

#[test]
fn undo_of_a_file_from_before_structured_journals_runs_none_of_its_sql() {
    let dir = temp();
    let victim = victim(dir.path());
    let path = dir.path().join("old.baton");
    {
        // A file at schema 9, the last whose journal kept SQL text, with the reported attack.
        let conn = raw(&path);
        for sql in [
            include_str!("../../src/store/migrations/0001_model.sql"),
            include_str!("../../src/store/migrations/0002_consolidation.sql"),
            include_str!("../../src/store/migrations/0003_lanes.sql"),
            include_str!("../../src/store/migrations/0004_imports.sql"),
            include_str!("../../src/store/migrations/0005_design.sql"),
            include_str!("../../src/store/migrations/0006_signoffs.sql"),
            include_str!("../../src/store/migrations/0007_telemetry.sql"),
            include_str!("../../src/store/migrations/0008_engagement.sql"),
            include_str!("../../src/store/migrations/0009_audit.sql"),
        ] {
            conn.execute_batch(sql).expect("migration");
        }
        conn.execute_batch(
            "INSERT INTO project (id, name, salt) VALUES ('p', 'Old', 'salt');
             INSERT INTO role (id, name) VALUES ('rt', 'RT');",
        )
        .expect("base rows");
        conn.execute(
            "INSERT INTO journal_step (id, stack, label, created_at) VALUES (1, 'undo', 'Add role X', '2026-01-01')",
            [],
        )
        .expect("step");
        let attack = format!(
            "COMMIT; ATTACH DATABASE '{}' AS o; UPDATE o.project SET name='PWNED'; DELETE FROM o.journal_step; DETACH DATABASE o; BEGIN;",
            victim.display()
        );
        conn.execute("INSERT INTO journal_entry (step_id, sql) VALUES (1, ?1)", [attack]).expect("entry");
        conn.pragma_update(None, "application_id", APPLICATION_ID).expect("app id");
        conn.pragma_update(None, "user_version", 9).expect("version");
    }
    let mut p = Project::open(&path).expect("an old file is upgraded");
    assert_eq!(p.undo().expect_err("nothing to undo").code(), "nothing_to_undo");
    drop(p);
    let v = Project::open(&victim).expect("victim opens");
    assert_eq!(v.meta().expect("meta").name, "Victim");
    assert_eq!(v.journal_state().expect("journal").undo.as_deref(), Some("Add role RN"));
}

#[test]
fn undo_and_redo_still_walk_every_kind_of_change() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    let mut p =
        Project::create_with(&path, "P", &baton::bundle::read_dir(&sample).expect("sample")).expect("create");
    let before = p.model().expect("model");
    let rn = before.interviews.iter().find(|i| i.alias == "RN-7").expect("RN-7").id.clone();
    p.remove_interview(&rn).expect("remove");
    let facility = p.add_facility("West", "Europe/Paris").expect("facility");
    p.rename("Renamed").expect("rename");
    let after = p.model().expect("model");
    for _ in 0..3 {
        p.undo().expect("undo");
    }
    assert_eq!(p.model().expect("model"), before, "undo restores rows, values and types exactly");
    for _ in 0..3 {
        p.redo().expect("redo");
    }
    assert_eq!(p.model().expect("model"), after);
    assert!(after.facilities.iter().any(|f| f.id == facility));
}

/// Plants `sql` in a fresh project and checks that opening it is refused naming `object`, with
/// the file unchanged.
fn assert_planted_is_refused(sql: &str, object: &str) {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let mut p = Project::create(&path, "P").expect("create");
    p.add_role("RT", "").expect("role");
    drop(p);
    {
        let conn = raw(&path);
        conn.execute_batch(sql).expect("plant");
        conn.pragma_update(None, "journal_mode", "DELETE").expect("fold the log");
    }
    let before = file_bytes(&path);
    let err = Project::open(&path).expect_err("refused");
    assert_eq!(err.code(), "not_a_project", "{err}");
    let message = err.to_string();
    assert!(message.contains("not a Baton project as Baton writes it"), "{message}");
    assert!(message.contains(object), "names {object}: {message}");
    assert_eq!(file_bytes(&path), before, "the file is unchanged");
    let report = baton::store::check(&path, None).expect("check");
    assert!(!report.ok, "baton check reports it too");
    assert!(report.problems.iter().any(|p| p.contains(object)), "{:?}", report.problems);
}

#[test]
fn a_planted_trigger_is_refused_before_it_can_run() {
    assert_planted_is_refused(
        "CREATE TRIGGER keep_copy AFTER UPDATE ON interview BEGIN UPDATE project SET name = 'PWNED'; END;",
        "trigger `keep_copy`",
    );
}

#[test]
fn a_journal_trigger_with_another_body_is_refused() {
    assert_planted_is_refused(
        "DROP TRIGGER journal_role_INSERT;
         CREATE TRIGGER journal_role_INSERT AFTER INSERT ON role BEGIN UPDATE project SET name = 'PWNED'; END;",
        "trigger `journal_role_INSERT` is defined differently",
    );
}

#[test]
fn a_view_posing_as_a_table_is_refused() {
    assert_planted_is_refused(
        "PRAGMA legacy_alter_table = ON; ALTER TABLE role RENAME TO role_real;
         CREATE VIEW role AS SELECT 'fake' AS id, 'Fake role' AS name, '' AS description;",
        "`role` is a view",
    );
}

#[test]
fn an_extra_table_or_index_is_refused() {
    assert_planted_is_refused("CREATE TABLE exfiltrate (x);", "table `exfiltrate`");
    assert_planted_is_refused(
        "CREATE INDEX role_by_description ON role(description);",
        "index `role_by_description`",
    );
}

/// A first-release (schema 1) project file with the base rows and `plant` run in it.
fn version_1_file_with(path: &Path, plant: &str) {
    let conn = raw(path);
    conn.execute_batch(include_str!("../../src/store/migrations/0001_model.sql")).expect("schema 1");
    conn.execute_batch(include_str!("../fixtures/version-1-base.sql")).expect("base rows");
    conn.execute_batch(plant).expect("plant");
    conn.pragma_update(None, "application_id", APPLICATION_ID).expect("app id");
    conn.pragma_update(None, "user_version", 1).expect("version");
}

#[test]
fn an_old_file_with_a_planted_trigger_is_refused_unchanged() {
    let dir = temp();
    let path = dir.path().join("old.baton");
    version_1_file_with(&path, "CREATE TRIGGER evil AFTER UPDATE ON step BEGIN DELETE FROM interview; END;");
    let before = file_bytes(&path);
    let err = Project::open(&path).expect_err("refused");
    assert!(err.to_string().contains("trigger `evil`"), "{err}");
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn an_old_files_journal_triggers_are_replaced_unrun() {
    let dir = temp();
    let path = dir.path().join("old.baton");
    // Named like a journal trigger, so accepted by name, but with a body of its own: it must be
    // dropped before the upgrade writes anything.
    version_1_file_with(
        &path,
        "CREATE TRIGGER journal_step_UPDATE AFTER UPDATE ON step BEGIN DELETE FROM interview; END;",
    );
    let mut p = Project::open(&path).expect("upgraded");
    p.rename_step("s1", "Chart assessment").expect("rename");
    assert_eq!(p.model().expect("model").interviews.len(), 1, "the planted body never ran");
    p.undo().expect("undo");
    assert_eq!(p.model().expect("model").steps[0].name, "Chart");
}

#[test]
fn undo_waits_for_another_writer_instead_of_failing() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let mut p = Project::create(&path, "P").expect("create");
    p.add_role("RT", "").expect("role");
    let (held, hold) = std::sync::mpsc::channel();
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            let conn = raw(&path);
            conn.execute_batch("BEGIN IMMEDIATE; UPDATE project SET description = 'busy';").expect("lock");
            held.send(()).expect("send");
            std::thread::sleep(std::time::Duration::from_millis(600));
            conn.execute_batch("COMMIT").expect("commit");
        })
    };
    hold.recv().expect("held");
    assert_eq!(p.undo().expect("undo waits, then succeeds"), "Add role RT");
    writer.join().expect("writer");
    assert!(role_names(&p).is_empty());
}

#[test]
fn two_creators_of_one_path_never_delete_each_others_file() {
    let dir = temp();
    for round in 0..40 {
        let path = dir.path().join(format!("p{round}.baton"));
        let results: Vec<_> = (0..2)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    Project::create(&path, &format!("P{i}")).map(drop).map_err(|e| e.code())
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().expect("thread"))
            .collect();
        let created = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(created, 1, "round {round}: {results:?}");
        assert!(results.contains(&Err(baton::error::ErrorCode::AlreadyExists)), "round {round}: {results:?}");
        assert!(Project::open(&path).is_ok(), "round {round}: the created project is there");
    }
}

#[test]
fn a_leftover_reencryption_copy_is_removed_at_open_and_never_opened() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let mut p = Project::create(&path, "P").expect("create");
    p.add_role("RT", "Plain text that must not linger").expect("role");
    drop(p);
    let leftover = side(&path, ".rekey");
    std::fs::copy(&path, &leftover).expect("leftover");
    let err = Project::open(&leftover).expect_err("never opened as a project");
    assert!(err.to_string().contains("unfinished copy"), "{err}");
    let p = Project::open(&path).expect("open");
    assert!(!leftover.exists(), "removed at the next open");
    assert!(p.recovered().is_some_and(|r| r.contains("interrupted encrypt")), "{:?}", p.recovered());
    let audit = p.audit().expect("audit");
    assert_eq!(audit[0].action, "recover");
    assert!(audit[0].subject.contains("p.baton.rekey"), "{}", audit[0].subject);
}

#[cfg(unix)]
#[test]
fn encryption_keeps_the_file_mode_and_leaves_no_copy() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp();
    let path = dir.path().join("p.baton");
    let mut p = Project::create(&path, "P").expect("create");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    p.set_passphrase(Some("correct horse")).expect("encrypt");
    assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o640);
    p.set_passphrase(None).expect("decrypt");
    assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o640);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("rekey")), "{names:?}");
}

#[test]
fn encryption_is_refused_while_another_connection_has_the_project_open() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let mut p = Project::create(&path, "P").expect("create");
    let other = Project::open(&path).expect("a second window");
    let before = file_bytes(&path);
    let err = p.set_passphrase(Some("correct horse")).expect_err("refused");
    assert_eq!(err.code(), "busy", "{err}");
    assert!(err.to_string().contains("open in another Baton window or command"), "{err}");
    assert_eq!(file_bytes(&path), before);
    // Both connections go on working, and once the other is closed it goes through.
    p.add_role("RT", "").expect("edit after the refusal");
    assert_eq!(role_names(&other), ["RT"]);
    drop(other);
    p.set_passphrase(Some("correct horse")).expect("encrypt");
    assert_eq!(role_names(&p), ["RT"]);
}

/// Runs the CLI.
fn baton(args: &[&str], passphrase: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .env("BATON_PASSPHRASE", passphrase)
        .output()
        .expect("run baton")
}

#[test]
fn encrypt_and_decrypt_beside_a_writer_lose_no_committed_edit() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    drop(Project::create(&path, "P").expect("create"));
    let file = path.to_str().expect("utf-8").to_string();
    let writer = {
        let file = file.clone();
        std::thread::spawn(move || {
            let mut committed = Vec::new();
            for i in 0..100 {
                let name = format!("Role {i}");
                if baton(&["role", "add", &file, &name], "pass phrase").status.success() {
                    committed.push(name);
                }
            }
            committed
        })
    };
    let mut changes = 0;
    for cycle in 0..10 {
        let command = if cycle % 2 == 0 { "encrypt" } else { "decrypt" };
        let out = baton(&[command, &file], "pass phrase");
        if out.status.success() {
            changes += 1;
        } else {
            let message = String::from_utf8_lossy(&out.stderr);
            assert!(
                message.contains("open in another Baton window or command")
                    || message.contains("is not encrypted")
                    || message.contains("already encrypted"),
                "{command}: {message}"
            );
        }
    }
    let committed = writer.join().expect("writer");
    let p = Project::open_with(&path, Some("pass phrase")).expect("the project opens");
    assert_eq!(p.integrity_check().expect("check"), ["ok"]);
    let roles = role_names(&p);
    let missing: Vec<&String> = committed.iter().filter(|r| !roles.contains(r)).collect();
    assert!(missing.is_empty(), "{} of {} committed edits lost: {missing:?}", missing.len(), committed.len());
    assert!(!committed.is_empty(), "the writer committed edits");
    eprintln!("{changes} passphrase changes, {} edits committed beside them, none lost", committed.len());
}

/// A project whose log holds pages the file does not have yet, with the file's first page
/// already copied back from the log: the state a checkpoint cut short (a kill, a full disk)
/// leaves, in which the header counts more pages than the file holds.
#[test]
fn a_checkpoint_cut_short_leaves_a_project_that_opens_with_every_edit() {
    let dir = temp();
    let live = dir.path().join("live.baton");
    let mut p = Project::create(&live, "P").expect("create");
    p.add_role("Before", "").expect("role");
    drop(p);
    let conn = raw(&live);
    conn.pragma_update(None, "wal_autocheckpoint", 0).expect("no auto checkpoint");
    for i in 0..200 {
        conn.execute(
            "INSERT INTO role (id, name, description) VALUES (?1, ?2, ?3)",
            (format!("r{i}"), format!("Role {i}"), "x".repeat(2000)),
        )
        .expect("insert");
    }
    // A snapshot while the writer is still open: the file as it was, the log with every page.
    let cut = dir.path().join("cut.baton");
    std::fs::copy(&live, &cut).expect("copy");
    std::fs::copy(side(&live, "-wal"), side(&cut, "-wal")).expect("copy log");
    drop(conn);
    // Copy the log's newest page 1 into the file, as a checkpoint does first.
    let log = std::fs::read(side(&cut, "-wal")).expect("log");
    let page_size = u32::from_be_bytes(log[8..12].try_into().expect("4 bytes")) as usize;
    let mut newest_page_1 = None;
    let mut at = 32;
    while at + 24 + page_size <= log.len() {
        if u32::from_be_bytes(log[at..at + 4].try_into().expect("4 bytes")) == 1 {
            newest_page_1 = Some(log[at + 24..at + 24 + page_size].to_vec());
        }
        at += 24 + page_size;
    }
    let page_1 = newest_page_1.expect("the log holds page 1");
    let mut file = std::fs::read(&cut).expect("file");
    file[..page_size].copy_from_slice(&page_1);
    std::fs::write(&cut, &file).expect("write");
    let counted =
        u64::from(u32::from_be_bytes(page_1[28..32].try_into().expect("4 bytes"))) * page_size as u64;
    assert!(counted > file.len() as u64, "the header counts pages the file does not have yet");

    let p = Project::open(&cut).expect("a healthy project opens");
    let roles = role_names(&p);
    assert_eq!(roles.len(), 201, "every committed edit is there");
    assert_eq!(p.integrity_check().expect("check"), ["ok"]);
    drop(p);
    assert!(baton::store::check(&cut, None).expect("check").ok);
}

#[test]
fn a_truly_damaged_file_is_refused_pointing_to_baton_check() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let mut p = Project::create(&path, "P").expect("create");
    for i in 0..50 {
        p.add_role(&format!("Role {i}"), &"y".repeat(500)).expect("role");
    }
    drop(p);
    let mut bytes = std::fs::read(&path).expect("read");
    let page = 4096;
    // Scribble over the middle of the file: pages the b-tree points to.
    for b in &mut bytes[2 * page..3 * page] {
        *b = 0x5a;
    }
    std::fs::write(&path, &bytes).expect("write");
    let err = Project::open(&path).expect_err("refused");
    let message = err.to_string();
    assert!(message.contains("baton check"), "{message}");
    assert!(message.contains("is damaged"), "{message}");
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "unchanged");
    let report = baton::store::check(&path, None).expect("check");
    assert!(!report.ok);
    assert!(report.problems.iter().any(|p| p.starts_with("integrity check:")), "{:?}", report.problems);
}

/// Unmounts a small file system made for a test when the test ends, passed or not.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// Mounts a tmpfs of `size` (`3m`) on `dir` where that is permitted (as root on Linux).
fn mount_small(dir: &Path, size: &str) -> Option<Mounted> {
    let mounted = cfg!(target_os = "linux")
        && std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    mounted.then(|| Mounted(dir.to_path_buf()))
}

/// Fills the disk under a project until an edit is refused for lack of space, closes it, frees
/// the space and opens it again: it opens, with every edit that was reported committed. On a 3
/// MiB tmpfs where mounting is permitted (as root on Linux), otherwise with SQLite's
/// `max_page_count` standing in for the disk's size.
#[test]
fn a_disk_that_filled_and_was_freed_leaves_a_project_that_opens_with_every_edit() {
    let dir = temp();
    let small = dir.path().join("small");
    std::fs::create_dir(&small).expect("dir");
    let guard = mount_small(&small, "3m");
    let mounted = guard.is_some();
    let path = small.join("p.baton");
    let filler = small.join("filler");
    if mounted {
        std::fs::write(&filler, vec![7u8; 1 << 20]).expect("filler");
    }
    let mut p = Project::create(&path, "P").expect("create");
    if !mounted {
        let pages = p.page_count().expect("pages");
        p.simulate_storage_limits(Some(pages + 200), false).expect("limit");
    }
    let mut committed = Vec::new();
    let mut full = false;
    for i in 0..2000 {
        let name = format!("Role {i}");
        match p.add_role(&name, &"z".repeat(8000)) {
            Ok(_) => committed.push(name),
            Err(e) => {
                assert_eq!(e.code(), "disk_full", "{e}");
                full = true;
                break;
            }
        }
    }
    assert!(full, "the disk filled");
    drop(p);
    if mounted {
        std::fs::remove_file(&filler).expect("free space");
    }
    let p =
        Project::open(&path).unwrap_or_else(|e| panic!("a healthy project opens once space is freed: {e}"));
    assert_eq!(p.integrity_check().expect("check"), ["ok"]);
    let roles = role_names(&p);
    assert!(
        committed.iter().all(|r| roles.contains(r)),
        "{} committed, {} there",
        committed.len(),
        roles.len()
    );
    eprintln!(
        "full disk ({}): {} edits committed before it filled, all there after space was freed",
        if mounted { "3 MiB tmpfs" } else { "max_page_count" },
        committed.len()
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_is_refused_as_what_it_is() {
    let dir = temp();
    let fifo = dir.path().join("pipe.baton");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let err = Project::open(&fifo).expect_err("refused");
    assert!(err.to_string().contains("is a named pipe (FIFO), not a .baton file"), "{err}");
    let zero = dir.path().join("zero.baton");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("link");
    let err = Project::open(&zero).expect_err("refused");
    assert!(err.to_string().contains("is a device, not a .baton file"), "{err}");
    let dangling = dir.path().join("gone.baton");
    std::os::unix::fs::symlink(dir.path().join("nowhere.baton"), &dangling).expect("link");
    let err = Project::open(&dangling).expect_err("refused");
    assert!(err.to_string().contains("is a link to a file that does not exist"), "{err}");
}

/// Writes that fail on a full disk leave neither a partial file nor an empty final one.
#[test]
fn failed_writes_on_a_full_disk_leave_no_partial_files() {
    let dir = temp();
    let small = dir.path().join("small");
    std::fs::create_dir(&small).expect("dir");
    let Some(_unmount) = mount_small(&small, "1m") else {
        eprintln!("mounting a small tmpfs is not permitted here; the full-disk write is not exercised");
        return;
    };
    let target = small.join("report.html");
    let err = baton::store::write_atomically(&target, &vec![b'x'; 2 << 20]).expect_err("the disk is full");
    assert_eq!(err.code(), "io", "{err}");
    let left: Vec<String> = std::fs::read_dir(&small)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["bundle", "schema"])
        .arg(small.join("schemas"))
        .output()
        .expect("run");
    // Whatever fits is written whole; nothing is left empty or partial.
    for entry in std::fs::read_dir(small.join("schemas")).into_iter().flatten() {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".partial"), "{name} left behind");
        assert!(entry.metadata().expect("meta").len() > 0, "{name} is empty");
    }
    let _ = out;
}

/// A passphrase change that fails before the new file is in place leaves the project as it was
/// and fully usable, by this connection and others.
#[test]
fn a_failed_passphrase_change_leaves_the_project_usable() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let mut p = Project::create(&path, "P").expect("create");
    p.add_role("RT", "").expect("role");
    // Something in the way of the copy: a folder where it would be made.
    std::fs::create_dir(side(&path, ".rekey")).expect("obstacle");
    let err = p.set_passphrase(Some("correct horse")).expect_err("refused");
    assert_eq!(err.code(), "already_exists", "{err}");
    assert!(!p.is_encrypted());
    p.add_role("RN", "").expect("this connection still edits");
    let other = Project::open(&path).expect("another connection opens it");
    assert_eq!(role_names(&other), ["RN", "RT"]);
    drop(other);
    std::fs::remove_dir(side(&path, ".rekey")).expect("clear");
    p.set_passphrase(Some("correct horse")).expect("then it goes through");
    assert_eq!(role_names(&p), ["RN", "RT"]);
}

#[test]
fn baton_check_reports_on_a_copy_with_its_exit_code() {
    let dir = temp();
    let path = dir.path().join("p.baton");
    let mut p = Project::create(&path, "P").expect("create");
    p.add_role("RT", "").expect("role");
    drop(p);
    let file = path.to_str().expect("utf-8");
    let sound = baton(&["check", file, "--json"], "");
    assert!(sound.status.success(), "{}", String::from_utf8_lossy(&sound.stderr));
    let report: serde_json::Value = serde_json::from_slice(&sound.stdout).expect("json");
    assert_eq!(
        report,
        serde_json::json!({"ok": true, "encrypted": false, "schema_version": baton::store::SCHEMA_VERSION, "problems": []})
    );
    raw(&path).execute_batch("CREATE VIEW spy AS SELECT * FROM interview;").expect("plant");
    let before = file_bytes(&path);
    let planted = baton(&["check", file], "");
    assert_eq!(planted.status.code(), Some(1));
    let text = String::from_utf8_lossy(&planted.stdout);
    assert!(text.contains("its schema is not the one Baton writes: it holds a view `spy`"), "{text}");
    assert_eq!(file_bytes(&path), before, "the file itself is not touched");
}
