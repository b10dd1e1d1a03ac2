//! Any bytes as task telemetry (CSV, JSON lines or FHIR Task histories, as the content says): an
//! error or a result, never a panic or a hang.
#![no_main]

use baton::progress::Progress;
use baton::telemetry::{TelemetryOptions, read_telemetry};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("input.csv");
    std::fs::write(&path, data).expect("write");
    let _ = read_telemetry(&path, &TelemetryOptions::default(), &Progress::new());
});
