//! Exports of the sample's proposed version: committed under the sample's `exports/`, current,
//! deterministic, valid against their schemas, and `baton-json` imports back to the version.

use std::path::{Path, PathBuf};

use baton::export::{Format, export, import_baton_json};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network")
}

/// (format, file name) of every committed export.
const EXPORTS: [(Format, &str); 9] = [
    (Format::Bpmn, "respiratory-assessment-v1.bpmn"),
    (Format::ServerlessWorkflow, "respiratory-assessment-v1.sw.yaml"),
    (Format::ServerlessWorkflowJson, "respiratory-assessment-v1.sw.json"),
    (Format::Xstate, "respiratory-assessment-v1.xstate.json"),
    (Format::Scxml, "respiratory-assessment-v1.scxml"),
    (Format::BatonJson, "respiratory-assessment-v1.baton.json"),
    (Format::Mermaid, "respiratory-assessment-v1.mmd"),
    (Format::TelemetrySpec, "respiratory-assessment-v1.telemetry.json"),
    (Format::Fhir, "respiratory-assessment-v1.fhir.json"),
];

fn version() -> (baton::model::Model, String) {
    let m = baton::bundle::read_dir(&sample()).unwrap();
    let v =
        baton::design::pick_version(&m, "respiratory-assessment", baton::design::Pick::Version(1)).unwrap();
    (m, v)
}

#[test]
fn the_sample_exports_are_current_and_deterministic() {
    let (m, v) = version();
    let dir = sample().join("exports");
    let update = std::env::var_os("BATON_UPDATE_SAMPLE").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (format, name) in EXPORTS {
        let text = export(&m, &v, format).unwrap();
        assert_eq!(text, export(&m, &v, format).unwrap(), "{name} is deterministic");
        if update {
            std::fs::write(dir.join(name), &text).unwrap();
        }
        let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            committed == text,
            "exports/{name} is stale: run the design tests with BATON_UPDATE_SAMPLE=1"
        );
    }
}

#[test]
fn serverless_workflow_exports_validate_against_the_dsl_1_0_schema() {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/serverless-workflow-1.0.schema.yaml");
    let schema: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let (m, v) = version();
    let yaml: serde_json::Value =
        serde_saphyr::from_str(&export(&m, &v, Format::ServerlessWorkflow).unwrap()).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&export(&m, &v, Format::ServerlessWorkflowJson).unwrap()).unwrap();
    assert_eq!(yaml, json, "the YAML and JSON exports say the same");
    let errors: Vec<String> =
        validator.iter_errors(&json).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is strict enough to notice a broken export.
    let mut broken = json.clone();
    broken["document"]["dsl"] = serde_json::json!("one");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn baton_json_validates_against_its_schema_and_imports_back() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema/baton-workflow.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let (m, v) = version();
    let text = export(&m, &v, Format::BatonJson).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(jsonschema::is_valid(&schema, &doc));
    assert_eq!(doc["format_version"], 2);
    assert!(doc["states"].as_array().unwrap().iter().any(|s| s["task"].is_string()), "{text}");
    let (_, states, transitions) = import_baton_json(&text, "ra.baton.json", &v).unwrap();
    let mut expected_states: Vec<_> =
        m.proposed_states.iter().filter(|s| s.version_id == v).cloned().collect();
    expected_states.sort_by_key(|s| s.position);
    let positions: Vec<i64> = (0..expected_states.len() as i64).collect();
    for (s, p) in expected_states.iter_mut().zip(positions) {
        s.position = p;
    }
    assert_eq!(states, expected_states);
    let mut expected: Vec<_> = m.transitions.iter().filter(|t| t.version_id == v).cloned().collect();
    expected.sort_by_key(|t| t.position);
    assert_eq!(transitions, expected);
    let err = import_baton_json("{\"format\": \"baton-workflow\", \"format_version\": 9}", "x.json", &v)
        .unwrap_err();
    assert!(err.to_string().contains("x.json"), "{err}");
}

#[test]
fn an_invalid_version_is_not_exported() {
    let (mut m, v) = version();
    m.transitions.iter_mut().filter(|t| t.version_id == v).for_each(|t| t.event = "unknown_event".into());
    let err = export(&m, &v, Format::Xstate).unwrap_err().to_string();
    assert!(err.contains("event_in_catalog") && err.contains("baton validate"), "{err}");
}

#[test]
fn scxml_parses_back_with_the_scxml_crate_and_matches_the_version() {
    let (m, v) = version();
    let chart = scxml::parse_xml(&export(&m, &v, Format::Scxml).unwrap()).unwrap();
    scxml::validate(&chart).unwrap();
    let initial =
        m.proposed_states.iter().find(|s| s.version_id == v && s.kind == baton::model::StateKind::Initial);
    assert_eq!(chart.initial.as_str(), initial.unwrap().id);
    let states: Vec<&baton::model::ProposedState> =
        m.proposed_states.iter().filter(|s| s.version_id == v).collect();
    assert_eq!(chart.states.len(), states.len());
    for s in &states {
        let parsed = chart.states.iter().find(|p| p.id.as_str() == s.id).unwrap();
        let terminal = s.kind == baton::model::StateKind::Terminal;
        assert_eq!(parsed.kind == scxml::model::StateKind::Final, terminal, "{}", s.id);
        // Every transition of the version, on its event, to its target, with its guard.
        let mut expected: Vec<(String, String)> = m
            .transitions
            .iter()
            .filter(|t| t.version_id == v && t.from_state_id == s.id)
            .map(|t| (t.event.clone(), t.to_state_id.clone()))
            .collect();
        let mut found: Vec<(String, String)> = parsed
            .transitions
            .iter()
            .filter(|t| t.event.as_deref().is_some_and(|e| !e.starts_with("baton.")))
            .map(|t| (t.event.as_deref().unwrap_or_default().to_string(), t.targets.join(" ")))
            .collect();
        expected.sort();
        found.sort();
        assert_eq!(found, expected, "{}", s.id);
        // A timer into the state escalates from it.
        let timed =
            m.transitions.iter().any(|t| t.version_id == v && t.to_state_id == s.id && !t.timer.is_empty());
        let escalates = parsed
            .transitions
            .iter()
            .any(|t| t.event.as_deref().is_some_and(|e| e.starts_with("baton.timer.")));
        assert_eq!(escalates, timed && !terminal, "{}", s.id);
    }
}

#[test]
fn bpmn_uses_camunda_extensions_and_diagram_interchange() {
    let (m, v) = version();
    let xml = export(&m, &v, Format::Bpmn).unwrap();
    for needle in [
        "<zeebe:userTask/>",
        "candidateGroups=\"rn\"",
        "<zeebe:subscription correlationKey=\"=case_id\"/>",
        "<bpmn:subProcess ",
        "<bpmn:terminateEventDefinition ",
        "<zeebe:output source=\"=case_id\" target=\"case_id\"/>",
        "<bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">PT2H</bpmn:timeDuration>",
        "<zeebe:taskDefinition type=\"baton-write-back\"/>",
        "<bpmndi:BPMNDiagram",
    ] {
        assert!(xml.contains(needle), "{needle}");
    }
    // Every flow node and sequence flow has its diagram element.
    let ids: Vec<&str> = xml
        .lines()
        .filter(|l| {
            l.trim_start().starts_with("<bpmn:") && !l.contains("<bpmn:definitions") && l.contains(" id=\"")
        })
        .filter(|l| {
            !l.contains("Definition")
                && !l.contains("<bpmn:message ")
                && !l.contains("_def\"")
                && !l.contains("LaneSet")
                && !l.contains("<bpmn:process ")
        })
        .filter_map(|l| l.split(" id=\"").nth(1)?.split('"').next())
        .collect();
    assert!(ids.len() > 20, "{ids:?}");
    for id in ids {
        assert!(xml.contains(&format!("bpmnElement=\"{id}\"")), "{id} has no DI");
    }
}

#[test]
fn fhir_export_of_a_guarded_version_with_facility_owners_is_valid_r4() {
    let (m, _) = version();
    let draft = baton::design::pick_version(&m, "oxygen-titration", baton::design::Pick::Draft).unwrap();
    let text = export(&m, &draft, Format::Fhir).unwrap();
    let bundle: serde_json::Value = serde_json::from_str(&text).unwrap();
    let resources: Vec<&serde_json::Value> =
        bundle["entry"].as_array().unwrap().iter().map(|e| &e["resource"]).collect();
    let plan = resources.iter().find(|r| r["resourceType"] == "PlanDefinition").unwrap();
    let conditions: Vec<&serde_json::Value> =
        plan["action"].as_array().unwrap().iter().filter_map(|a| a["condition"].get(0)).collect();
    assert_eq!(conditions.len(), 1, "the guarded loop");
    assert_eq!(conditions[0]["expression"]["language"], "text/fhirpath");
    let titration = resources
        .iter()
        .find(|r| {
            r["resourceType"] == "ActivityDefinition"
                && r["description"].as_str().unwrap_or_default().contains("enters \"In titration\"")
        })
        .unwrap();
    assert_eq!(titration["title"], "Titrate oxygen to SpO2 target", "named for the work");
    assert!(titration["description"].as_str().unwrap().contains("At lakeview: RN"), "{titration}");
    let statuses: Vec<&str> = resources
        .iter()
        .filter(|r| r["resourceType"] == "Task")
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["requested", "ready", "ready", "completed"]);
    // HL7's validators accept it, and its condition compiles as FHIRPath.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("oxygen-draft.fhir.json"), &text).unwrap();
    let tools = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/check-exports");
    let out =
        std::process::Command::new("node").arg(tools.join("check.mjs")).arg(dir.path()).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
