//! Test helper for the crash-safety test: makes edits through the core as fast as it can and
//! prints `committed N` after each edit's transaction has committed, until it is killed.
//! `baton-crash-helper --migrate PROJECT` instead opens (and so upgrades) an older project file
//! and prints `migrated` once the upgrade has committed. `baton-crash-helper --close PROJECT N`
//! adds roles `Close 0` … `Close N-1` with long descriptions, prints `closing` once all have
//! committed, and closes the project, whose last connection copies the log into the file
//! (the checkpoint at close); it prints `closed` when that is done.
//!
//! Edit `n`: every third (`n % 3 == 2`) undoes the edit before it; otherwise every fifth
//! (`n % 5 == 4`) imports task telemetry from `SOURCE` as `tasks-n.csv` (a longer transaction, so
//! kills land inside imports too), and the rest add `Role n`.

use std::io::Write;

fn fail(e: impl std::fmt::Display) -> ! {
    eprintln!("error: {e}");
    std::process::exit(1);
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().is_some_and(|a| a == "--migrate") {
        let path = args.nth(1).unwrap_or_else(|| fail("usage: baton-crash-helper --migrate PROJECT"));
        drop(baton::Project::open(std::path::Path::new(&path)).unwrap_or_else(|e| fail(e)));
        println!("migrated");
        return;
    }
    if args.peek().is_some_and(|a| a == "--close") {
        let (Some(path), Some(count)) = (args.nth(1), args.next()) else {
            fail("usage: baton-crash-helper --close PROJECT N")
        };
        let count: usize = count.parse().unwrap_or_else(|e| fail(e));
        let mut project = baton::Project::open(std::path::Path::new(&path)).unwrap_or_else(|e| fail(e));
        let description = "a long description, so the log holds many pages. ".repeat(200);
        for n in 0..count {
            project.add_role(&format!("Close {n}"), &description).unwrap_or_else(|e| fail(e));
        }
        println!("closing");
        let _ = std::io::stdout().flush();
        drop(project);
        println!("closed");
        return;
    }
    let (Some(path), Some(start), Some(source)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: baton-crash-helper PROJECT START TELEMETRY-SOURCE");
        std::process::exit(2);
    };
    let start: u64 = start.parse().unwrap_or(0);
    let path = std::path::Path::new(&path);
    let mut project = baton::Project::open(path).unwrap_or_else(|e| fail(e));
    let copies = path.with_extension("sources");
    std::fs::create_dir_all(&copies).unwrap_or_else(|e| fail(e));
    let mut out = std::io::stdout().lock();
    for n in start.. {
        // Alternate kinds of edit so undo-journal rows, updates, inserts and imports are in flight.
        let result = if n % 3 == 2 {
            project.undo().map(|_| ())
        } else if n % 5 == 4 {
            let copy = copies.join(format!("tasks-{n}.csv"));
            std::fs::copy(&source, &copy).unwrap_or_else(|e| fail(e));
            let settings = baton::telemetry::TelemetrySettings::default();
            project.import_telemetry(&copy, &settings, &baton::progress::Progress::new()).map(|_| ())
        } else {
            project.add_role(&format!("Role {n}"), "written by the crash helper").map(|_| ())
        };
        if let Err(e) = result {
            fail(e);
        }
        if writeln!(out, "committed {n}").and_then(|_| out.flush()).is_err() {
            return;
        }
    }
}
