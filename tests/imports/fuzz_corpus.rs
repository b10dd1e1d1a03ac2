//! The fuzz corpora (`tests/fuzz-corpus/TARGET/`: what `scripts/fuzz.sh` grew, minimised with
//! `cargo fuzz cmin`) replayed on the stable toolchain through the same entry points as the fuzz
//! targets (`fuzz/entries.rs`): every input gives a result or an error, none panics. An input a
//! fuzz run finds crashing is added to its target's folder once fixed.

use std::path::Path;

#[path = "../../fuzz/entries.rs"]
mod entries;

#[test]
fn every_fuzz_corpus_input_gives_a_result_or_an_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut replayed = 0;
    for (target, entry) in entries::TARGETS {
        let dir = root.join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}; run scripts/fuzz.sh {target}", dir.display()))
            .map(|f| f.expect("entry").path())
            .collect();
        files.sort();
        assert!(files.len() >= 10, "{target}: only {} corpus inputs", files.len());
        for file in files {
            let data = std::fs::read(&file).expect("read");
            let outcome = std::panic::catch_unwind(|| entry(&data));
            assert!(outcome.is_ok(), "{target} panicked on {}", file.display());
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} fuzz corpus inputs");
}
