//! Test helper for the crash-safety test: makes edits through the core as fast as it can and
//! prints `committed N` after each edit's transaction has committed, until it is killed.

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(start)) = (args.next(), args.next()) else {
        eprintln!("usage: baton-crash-helper PROJECT START");
        std::process::exit(2);
    };
    let start: u64 = start.parse().unwrap_or(0);
    let mut project = match baton::Project::open(std::path::Path::new(&path)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    for n in start.. {
        // Alternate kinds of edit so undo-journal rows, updates and inserts are all in flight.
        let result = if n % 3 == 2 {
            project.undo().map(|_| ())
        } else {
            project.add_role(&format!("Role {n}"), "written by the crash helper").map(|_| ())
        };
        if let Err(e) = result {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        if writeln!(out, "committed {n}").and_then(|_| out.flush()).is_err() {
            return;
        }
    }
}
