//! Any bytes as task telemetry: an error or a result, never a panic or a hang (see ../entries.rs).
#![no_main]

#[path = "../entries.rs"]
mod entries;

libfuzzer_sys::fuzz_target!(|data: &[u8]| entries::telemetry(data));
