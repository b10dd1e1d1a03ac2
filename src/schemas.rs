//! The JSON Schemas Baton publishes: one per YAML file of a bundle, from the bundle's file types,
//! and the Baton JSON export's. A top floor: it reads `bundle` and `export`, and neither reads it.

use crate::bundle::format::*;

/// The JSON Schema of each YAML file of a bundle: (file or pattern, schema file name, schema).
///
/// `docs/schema/` holds these, written by `baton bundle schema DIR`; a test fails if they are stale.
pub fn json_schemas() -> Vec<(&'static str, &'static str, serde_json::Value)> {
    fn titled(mut schema: schemars::Schema, file: &str) -> serde_json::Value {
        schema.insert("title".into(), serde_json::json!(format!("Baton bundle: {file}")));
        schema.to_value()
    }
    vec![
        ("baton.yaml", "baton.schema.json", titled(schemars::schema_for!(ManifestFile), "baton.yaml")),
        (
            "facilities.yaml",
            "facilities.schema.json",
            titled(schemars::schema_for!(Vec<FacilityFile>), "facilities.yaml"),
        ),
        ("roles.yaml", "roles.schema.json", titled(schemars::schema_for!(Vec<RoleFile>), "roles.yaml")),
        ("events.yaml", "events.schema.json", titled(schemars::schema_for!(Vec<EventFile>), "events.yaml")),
        (
            "interviews/*.yaml",
            "interview.schema.json",
            titled(schemars::schema_for!(InterviewFile), "interviews/*.yaml"),
        ),
        (
            "workflows/*.yaml",
            "workflow.schema.json",
            titled(schemars::schema_for!(WorkflowFile), "workflows/*.yaml"),
        ),
        (
            "emr/fields.yaml",
            "emr-fields.schema.json",
            titled(schemars::schema_for!(Vec<EmrFieldFile>), "emr/fields.yaml"),
        ),
        (
            "mappings.yaml",
            "mappings.schema.json",
            titled(schemars::schema_for!(Vec<MappingFile>), "mappings.yaml"),
        ),
        (
            "comments.yaml",
            "comments.schema.json",
            titled(schemars::schema_for!(Vec<CommentFile>), "comments.yaml"),
        ),
        (
            "findings.yaml",
            "findings.schema.json",
            titled(schemars::schema_for!(Vec<FindingTriageFile>), "findings.yaml"),
        ),
        (
            "imports.yaml",
            "imports.schema.json",
            titled(schemars::schema_for!(Vec<ImportFile>), "imports.yaml"),
        ),
        ("logs/*.yaml", "log.schema.json", titled(schemars::schema_for!(LogFile), "logs/*.yaml")),
        (
            "inputs/imports.yaml",
            "inputs.schema.json",
            titled(schemars::schema_for!(Vec<InputFile>), "inputs/imports.yaml"),
        ),
        ("exports/*.baton.json", "baton-workflow.schema.json", crate::export::baton_json_schema()),
        (
            "telemetry/*.yaml",
            "telemetry.schema.json",
            titled(schemars::schema_for!(TelemetryFile), "telemetry/*.yaml"),
        ),
        (
            "signoffs.yaml",
            "signoffs.schema.json",
            titled(schemars::schema_for!(Vec<SignOffFile>), "signoffs.yaml"),
        ),
    ]
}
