//! Every rendering of a guard means what Baton's evaluator means (docs/semantics.md, Guards),
//! proven in each language's own evaluator: `tools/check-exports/guards.mjs` runs FEEL in
//! @bpmn-io/feelin, jq in jq, ECMAScript in Node and FHIRPath in the `fhirpath` package, on
//! guard/payload pairs with missing, null
//! and wrong-typed fields, and compares each answer with `guard::holds`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use baton::design::guard::{self, Datum, Dialect};
use baton::model::{EventField, FieldKind};
use serde_json::{Value, json};

use super::conformance::datum;

const GUARDS: [&str; 21] = [
    "spo2 < 92",
    "spo2 >= 92",
    "spo2 == 88",
    "spo2 != 88",
    "!(spo2 < 92)",
    "device == \"mask\"",
    "device != \"mask\"",
    "!(device != \"mask\")",
    "stable",
    "!stable",
    "stable == false",
    "stable != true",
    "facility == \"north\"",
    "facility != \"north\"",
    "spo2 < 92 && facility == \"north\"",
    "spo2 < 92 || stable",
    "!(spo2 < 92 && device == \"mask\")",
    "spo2 < 92 && !(facility == \"south\")",
    "spo2 < target",
    "spo2 != target",
    "92 > spo2",
];

fn values(field: &str) -> Vec<Option<Value>> {
    let some = |v: Value| Some(v);
    match field {
        "spo2" => vec![
            None,
            some(Value::Null),
            some(json!(88)),
            some(json!(95)),
            some(json!("88")),
            some(json!(true)),
        ],
        "device" => {
            vec![None, some(Value::Null), some(json!("mask")), some(json!("cannula")), some(json!(5))]
        }
        "stable" => vec![None, some(Value::Null), some(json!(true)), some(json!(false)), some(json!("true"))],
        _ => vec![None, some(json!(90)), some(json!("90"))],
    }
}

#[test]
fn guards_mean_the_same_in_every_dialect() {
    let fields: Vec<EventField> = [
        ("spo2", FieldKind::Number),
        ("device", FieldKind::String),
        ("stable", FieldKind::Boolean),
        ("target", FieldKind::Number),
    ]
    .into_iter()
    .map(|(name, kind)| EventField { name: name.into(), kind })
    .collect();
    let scope = guard::scope(&fields);
    let mut cases = Vec::new();
    for text in GUARDS {
        let g = guard::parse(text, &scope).unwrap_or_else(|e| panic!("{text}: {e}"));
        // Every combination of the fields this guard reads, at both facilities.
        let used: Vec<&str> =
            ["spo2", "device", "stable", "target"].into_iter().filter(|f| text.contains(f)).collect();
        let mut payloads: Vec<serde_json::Map<String, Value>> = vec![serde_json::Map::new()];
        for f in &used {
            payloads = payloads
                .into_iter()
                .flat_map(|p| {
                    values(f).into_iter().map(move |v| {
                        let mut p = p.clone();
                        if let Some(v) = v {
                            p.insert((*f).to_string(), v);
                        }
                        p
                    })
                })
                .collect();
        }
        for facility in ["north", "south"] {
            for data in &payloads {
                let mut known: BTreeMap<String, Datum> =
                    data.iter().filter_map(|(k, v)| datum(v).map(|d| (k.clone(), d))).collect();
                known.insert("facility".into(), Datum::Text(facility.into()));
                cases.push(json!({
                    "guard": text,
                    "feel": guard::render(&g, Dialect::Feel),
                    "jq": guard::render(&g, Dialect::Jq),
                    "ecmascript": guard::render(&g, Dialect::EcmaScript),
                    "scxml": guard::render(&g, Dialect::Scxml),
                    "fhirpath": guard::render(&g, Dialect::FhirPath),
                    "facility": facility,
                    "data": data,
                    "expected": guard::holds(&g, &known),
                }));
            }
        }
    }
    assert!(cases.len() > 300, "only {} cases", cases.len());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guards.json");
    std::fs::write(&file, serde_json::to_string(&cases).unwrap()).unwrap();
    let tools = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/check-exports");
    assert!(
        tools.join("node_modules/@bpmn-io/feelin").exists(),
        "the evaluators are not installed: run scripts/setup.sh (npm ci in tools/check-exports)"
    );
    let out = Command::new("node")
        .arg(tools.join("guards.mjs"))
        .arg(&file)
        .output()
        .expect("node runs (scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // The test of the test: the renderings Baton used to write (a bare comparison, `facility`
    // from the event) disagree, and the check says so.
    let naive = json!([
        {"guard": "spo2 < 92", "feel": "event.spo2 < 92", "jq": ".data.spo2 < 92", "ecmascript": "event.data.spo2 < 92",
         "scxml": "_event.data.spo2 < 92", "fhirpath": "%event.spo2 < 92", "facility": "north", "data": {"spo2": "88"}, "expected": false},
        {"guard": "spo2 < 92", "feel": "event.spo2 < 92", "jq": ".data.spo2 < 92", "ecmascript": "event.data.spo2 < 92",
         "scxml": "_event.data.spo2 < 92", "fhirpath": "%event.spo2 < 92", "facility": "north", "data": {}, "expected": false},
    ]);
    std::fs::write(&file, naive.to_string()).unwrap();
    let out = Command::new("node").arg(tools.join("guards.mjs")).arg(&file).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && said.contains("disagreements"), "the broken renderings passed: {said}");
    for dialect in ["feel:", "jq:", "ecmascript:", "scxml:", "fhirpath:"] {
        assert!(said.contains(dialect), "{dialect} was not caught: {said}");
    }
}
