//! Any bytes as a status export (HL7 v2): an error or a result, never a panic or a hang (see ../entries.rs).
#![no_main]

#[path = "../entries.rs"]
mod entries;

libfuzzer_sys::fuzz_target!(|data: &[u8]| entries::status_hl7(data));
