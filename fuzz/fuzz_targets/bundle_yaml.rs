//! Any bytes as one interview file of an otherwise valid bundle (the sample's model files): an
//! error naming the file, or a model, never a panic.
#![no_main]

use std::path::Path;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../sample-projects/respiratory-network");
const MODEL_FILES: [&str; 9] = [
    "baton.yaml",
    "facilities.yaml",
    "roles.yaml",
    "events.yaml",
    "emr/fields.yaml",
    "emr/value-counts.csv",
    "mappings.yaml",
    "comments.yaml",
    "findings.yaml",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in MODEL_FILES {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(Path::new(SAMPLE).join(file), to).expect("copy");
    }
    std::fs::create_dir_all(dir.path().join("interviews")).expect("mkdir");
    std::fs::write(dir.path().join("interviews/rt-north-night.yaml"), data).expect("write");
    let _ = baton::bundle::read_dir(dir.path());
});
