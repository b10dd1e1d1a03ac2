//! Any bytes as a partial log aggregate: an error or a result, never a panic or a hang (see ../entries.rs).
#![no_main]

#[path = "../entries.rs"]
mod entries;

libfuzzer_sys::fuzz_target!(|data: &[u8]| entries::log_aggregate(data));
