//! Any bytes as an event log (Xes): an error or a result, never a panic or a hang.
#![no_main]

use baton::mining::{LogFormat, LogOptions, read_log};
use baton::progress::Progress;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("input.xes");
    std::fs::write(&path, data).expect("write");
    let options = LogOptions { format: Some(LogFormat::Xes), ..LogOptions::default() };
    let _ = read_log(&path, &options, &Progress::new());
});
