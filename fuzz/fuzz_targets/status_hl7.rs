//! Any bytes as a status export (Hl7): an error or a result, never a panic or a hang.
#![no_main]

use baton::import::{StatusFormat, StatusOptions, read_status};
use baton::progress::Progress;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("input.hl7");
    std::fs::write(&path, data).expect("write");
    let options = StatusOptions { format: Some(StatusFormat::Hl7), ..StatusOptions::default() };
    let _ = read_status(&path, &options, &Progress::new());
});
