//! `baton`: the command-line face of the core. The contract it follows is fixed in CLI.md:
//! project first, `--json` for data, exit 0 success, 1 error, 2 bad usage.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
