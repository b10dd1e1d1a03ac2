//! The bad-input corpus (`tests/corpus/`, written by `scripts/bad-input-corpus.py`): truncated,
//! binary, wrongly encoded, hostile (XML entities, a zip bomb posing as a workbook, deeply nested
//! JSON) and incomplete files for every importer, project files that are not Baton's or are from
//! a newer Baton, and bundle folders whose names reach outside the bundle. Each is refused with a
//! clear error that names the file and says what is wrong (the start of the message is in
//! `expected.tsv`), and the project, and the refused file itself, are left exactly as they were.

use std::collections::HashMap;
use std::path::Path;

use baton::Project;
use baton::import::{LogSettings, StatusOptions};
use baton::progress::Progress;

#[test]
fn every_bad_input_is_refused_clearly_and_changes_nothing() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let manifest = std::fs::read_to_string(corpus.join("expected.tsv")).expect("expected.tsv");
    let dir = tempfile::tempdir().expect("tempdir");
    let model = baton::bundle::read_dir(&super::sample_dir()).expect("sample");
    let mut p = Project::create_with(&dir.path().join("p.baton"), "P", &model).expect("project");
    let before = p.model().expect("model");
    let audit = p.audit().expect("audit").len();
    let mut checked = 0;
    for line in manifest.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (file, importer, words, code) = match line.split('\t').collect::<Vec<_>>()[..] {
            [file, importer, words] => (file, importer, words, "bad_input"),
            [file, importer, words, code] => (file, importer, words, code),
            _ => panic!("expected.tsv: a line needs file, importer, words and maybe a code: {line:?}"),
        };
        let path = corpus.join(file);
        let bytes_before = snapshot(&path);
        let progress = Progress::new();
        let result = match importer {
            "status" => p.import_status(&path, &StatusOptions::default(), &progress).map(|_| ()),
            "log" => p.import_log(&path, &LogSettings::default(), HashMap::new(), &progress).map(|_| ()),
            "telemetry" => p.import_telemetry(&path, &Default::default(), &progress).map(|_| ()),
            "project" => Project::open(&path).map(|_| ()),
            "review" => baton::review::import_review_file(&mut p, &path).map(|_| ()),
            // As `baton new --bundle` does: the model files, then the raw inputs into the project.
            "bundle" => baton::bundle::read_dir(&path)
                .and_then(|_| baton::bundle::import_inputs(&mut p, &path, &progress).map(|_| ())),
            other => panic!("expected.tsv: unknown importer {other:?}"),
        };
        let err = result.err().unwrap_or_else(|| panic!("{file} was accepted; it should be refused"));
        let message = err.to_string();
        assert_eq!(err.code(), code, "{file}: {message}");
        assert_eq!(snapshot(&path), bytes_before, "{file} itself was changed");
        assert!(message.contains(file), "{file}: the error does not name the file: {message}");
        assert!(message.contains(words), "{file}: expected {words:?} in: {message}");
        assert_eq!(p.model().expect("model"), before, "{file} changed the project");
        assert_eq!(p.audit().expect("audit").len(), audit, "{file} left an audit entry");
        checked += 1;
    }
    let files = std::fs::read_dir(&corpus).expect("corpus").count() - 1;
    assert_eq!(checked, files, "every corpus file and folder has a line in expected.tsv");
    assert!(checked >= 50, "{checked} files");
    assert_eq!(p.integrity_check().expect("check"), ["ok"]);
}

/// Every file under `path` (or `path` itself) with its bytes, to see that refusing it wrote nothing.
fn snapshot(path: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    if path.is_file() {
        return vec![(path.to_path_buf(), std::fs::read(path).expect("read"))];
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).expect("folder") {
        out.extend(snapshot(&entry.expect("entry").path()));
    }
    out.sort();
    out
}
