//! Every XState, SCXML and BPMN export behaves like the reference interpreter
//! (docs/semantics.md), proven by running it: `tools/check-exports/conformance.mjs` drives each
//! export in its engine (an XState v5 actor; the SCXML file as exported, in SCION; the BPMN file
//! in bpmn-engine with FEEL, user tasks completed before or after their event), timers on a
//! simulated clock, through seeded cases (expected and unexpected events, payloads with missing,
//! null and wrong-typed fields, time passing just before, at and long after each timer) and pairs
//! of cases whose events interleave (correlation by `case_id`), and compares the states entered,
//! escalations, write-backs, completion and open tasks with `design::simulate`. Copies with a
//! wrong timer, a dropped correlation or a flipped guard must fail.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use baton::design::guard::Datum;
use baton::design::simulate::{Definition, Machine, parse_time};
use baton::export::{Format, export};
use baton::model::{FieldKind, Model};
use baton::splitmix::SplitMix;
use serde_json::{Value, json};

fn sample() -> Model {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    baton::Project::in_memory("s", &baton::bundle::read_dir(&dir).unwrap()).unwrap().model().unwrap()
}

/// A payload value for a field of `kind`: valid ones on both sides of the usual thresholds, and
/// missing, null or wrong-typed ones.
fn value(kind: FieldKind, rng: &mut SplitMix) -> Option<Value> {
    let pick = |options: &[Value], rng: &mut SplitMix| options[rng.below(options.len())].clone();
    match rng.below(6) {
        0 => None,
        1 => Some(Value::Null),
        _ => Some(match kind {
            FieldKind::Number => {
                pick(&[json!(80), json!(88), json!(91), json!(92), json!(95), json!("88"), json!(true)], rng)
            }
            FieldKind::String => pick(&[json!("mask"), json!("cannula"), json!(5)], rng),
            FieldKind::Boolean => pick(&[json!(true), json!(false), json!("true")], rng),
        }),
    }
}

/// A JSON payload value as Baton's guards read it; `None` for null (a missing value).
pub(crate) fn datum(v: &Value) -> Option<Datum> {
    match v {
        Value::Number(n) => n.as_f64().map(Datum::Number),
        Value::String(s) => Some(Datum::Text(s.clone())),
        Value::Bool(b) => Some(Datum::Bool(*b)),
        _ => None,
    }
}

/// One seeded case of `def`: its facility and its inputs (events, mostly ones the state expects,
/// with payloads; time passing just before, at and long after timers), from `start` on.
fn case_inputs(m: &Model, def: &Definition, rng: &mut SplitMix, start: i64) -> (Option<String>, Vec<Value>) {
    let events: Vec<&str> = {
        let mut e: Vec<&str> = m.events.iter().map(|e| e.name.as_str()).filter(|e| def.uses(e)).collect();
        e.sort_unstable();
        e.dedup();
        e
    };
    let facilities: Vec<Option<String>> =
        std::iter::once(None).chain(m.facilities.iter().map(|f| Some(f.id.clone()))).collect();
    let facility = facilities[rng.below(facilities.len())].clone();
    let mut case = Machine::start(def, facility.as_deref());
    let mut inputs: Vec<Value> = Vec::new();
    let mut now = start;
    for _ in 0..(2 + rng.below(8)) {
        if case.finished() && rng.below(3) > 0 {
            break;
        }
        let roll = rng.below(10);
        if roll < 2 && case.deadline().is_some() {
            // Time passes: just before the timer, exactly at it, or long after.
            let deadline = case.deadline().unwrap_or(now);
            now = match rng.below(3) {
                0 => (deadline - 60).max(now),
                1 => deadline,
                _ => deadline + 3 * 3600,
            };
            case.advance(now);
            inputs.push(json!({"at": now}));
            continue;
        }
        now += 60 * (1 + rng.below(90) as i64);
        // Mostly an event the state expects, sometimes any other.
        let expected: Vec<&str> = events.iter().copied().filter(|e| def.expects(case.state(), e)).collect();
        let pool = if roll < 8 && !expected.is_empty() { &expected } else { &events };
        let event = pool[rng.below(pool.len())];
        let fields = m.events.iter().find(|e| e.name == event).map(|e| e.fields.clone()).unwrap_or_default();
        let mut data = serde_json::Map::new();
        for f in &fields {
            if let Some(v) = value(f.kind, rng) {
                data.insert(f.name.clone(), v);
            }
        }
        let known: BTreeMap<String, Datum> =
            data.iter().filter_map(|(k, v)| datum(v).map(|d| (k.clone(), d))).collect();
        case.fire(now, event, Some(&known));
        inputs.push(json!({"at": now, "event": event, "data": data}));
    }
    (facility, inputs)
}

/// What the reference says a case with `inputs` goes through, time running on to `until`.
fn expected(def: &Definition, facility: Option<&str>, inputs: &[Value], until: i64) -> Value {
    let mut case = Machine::start(def, facility);
    for input in inputs {
        let at = input["at"].as_i64().unwrap_or_default();
        match input["event"].as_str() {
            Some(event) => {
                let data: BTreeMap<String, Datum> = input["data"]
                    .as_object()
                    .map(|d| d.iter().filter_map(|(k, v)| datum(v).map(|d| (k.clone(), d))).collect())
                    .unwrap_or_default();
                case.fire(at, event, Some(&data));
            }
            None => case.advance(at),
        }
    }
    case.advance(until);
    let trace = case.trace();
    json!({
        "entered": trace.steps.iter().filter(|s| s.event.is_some()).map(|s| s.to.clone()).collect::<Vec<_>>(),
        "escalations": trace.steps.iter().flat_map(|s| s.escalations.iter().map(|e| e.role.clone())).collect::<Vec<_>>(),
        "write_backs": trace.steps.iter().flat_map(|s| s.write_backs.iter().map(|w| format!("{}={}", w.field, w.value))).collect::<Vec<_>>(),
        "finished": trace.finished,
        "open_tasks": trace.open_tasks.iter().map(|t| json!({"name": t.name, "role": t.role})).collect::<Vec<_>>(),
    })
}

fn last_at(inputs: &[Value]) -> i64 {
    inputs.last().and_then(|i| i["at"].as_i64()).unwrap_or_default()
}

/// A case as the runner takes it: its facility, its inputs and what the reference says happens,
/// time running on to `until`.
fn case_value(def: &Definition, (facility, inputs): &(Option<String>, Vec<Value>), until: i64) -> Value {
    json!({"facility": facility, "inputs": inputs, "expected": expected(def, facility.as_deref(), inputs, until)})
}

/// `count` seeded cases of `version_id`, each with what the reference says happens.
fn cases(m: &Model, version_id: &str, count: usize, seed: u64) -> Vec<Value> {
    let def = Definition::of(m, version_id).unwrap();
    let mut rng = SplitMix(seed);
    let start = parse_time("2026-01-05T08:00:00Z").unwrap();
    (0..count)
        .map(|_| {
            let case = case_inputs(m, &def, &mut rng, start);
            case_value(&def, &case, last_at(&case.1))
        })
        .collect()
}

/// `count` seeded pairs of cases of `version_id` that run at once, their events interleaved:
/// each event must reach its own case only (correlation by `case_id`).
fn pairs(m: &Model, version_id: &str, count: usize, seed: u64) -> Vec<Value> {
    let def = Definition::of(m, version_id).unwrap();
    let mut rng = SplitMix(seed);
    let start = parse_time("2026-01-05T08:00:00Z").unwrap();
    (0..count)
        .map(|_| {
            let a = case_inputs(m, &def, &mut rng, start);
            let offset = 60 * rng.below(60) as i64 + 30;
            let b = case_inputs(m, &def, &mut rng, start + offset);
            let until = last_at(&a.1).max(last_at(&b.1));
            json!([case_value(&def, &a, until), case_value(&def, &b, until)])
        })
        .collect()
}

/// Runs the cases in `engine` (every engine when empty); `fail_fast` stops at the first
/// disagreement.
fn run_engines(file: &std::path::Path, engine: &str, fail_fast: bool) -> std::process::Output {
    let tools = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/check-exports");
    assert!(
        tools.join("node_modules/@scion-scxml/scxml").exists(),
        "the engines are not installed: run scripts/setup.sh (npm ci in tools/check-exports)"
    );
    let mut command = Command::new("node");
    command.arg(tools.join("conformance.mjs")).arg(file);
    if !engine.is_empty() {
        command.arg(engine);
    }
    if fail_fast {
        command.arg("--fail-fast");
    }
    command.output().expect("node runs")
}

fn run(file: &std::path::Path) -> std::process::Output {
    run_engines(file, "", false)
}

#[test]
fn every_sample_export_behaves_like_the_reference_in_every_engine() {
    let m = sample();
    let tmp = tempfile::tempdir().unwrap();
    // BATON_CONFORMANCE_KEEP=DIR keeps the exports and cases there, to look at.
    let dir =
        std::env::var_os("BATON_CONFORMANCE_KEEP").map_or_else(|| tmp.path().to_path_buf(), PathBuf::from);
    let mut versions = Vec::new();
    for v in m.versions.iter() {
        if !baton::design::validate(&m, &v.id).is_empty() {
            continue;
        }
        let mut version = exports(&m, &v.id, &dir);
        version["cases"] = json!(cases(&m, &v.id, 150, 7));
        version["pairs"] = json!(pairs(&m, &v.id, 30, 17));
        versions.push(version);
    }
    assert!(versions.len() >= 3, "the sample's versions: {}", versions.len());
    let file = dir.join("cases.json");
    std::fs::write(&file, json!({"versions": versions}).to_string()).unwrap();
    let out = run(&file);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    let total: usize = versions.iter().map(|v| v["cases"].as_array().map_or(0, Vec::len)).sum();
    let agree = format!("{} runs of {total} cases in {} versions agree", 4 * total, versions.len());
    assert!(said.contains(&agree), "{said}");

    // The test of the test: copies broken on purpose must disagree with the reference, in every
    // engine. Each copy runs the same cases, with what the unbroken version makes of them.
    let broken = |change: &dyn Fn(&mut Model), engines: &[&str], what: &str| {
        let mut copy = m.clone();
        change(&mut copy);
        let versions: Vec<Value> = versions
            .iter()
            .map(|v| {
                let mut b = exports(&copy, v["name"].as_str().unwrap(), &dir.join("broken"));
                b["cases"] = v["cases"].clone();
                b["pairs"] = v["pairs"].clone();
                b
            })
            .collect();
        let file = dir.join("broken/cases.json");
        std::fs::write(&file, json!({"versions": versions}).to_string()).unwrap();
        for engine in engines {
            let out = run_engines(&file, engine, true);
            let said = String::from_utf8_lossy(&out.stderr);
            assert!(
                !out.status.success() && said.contains("runs disagree"),
                "{engine}: {what} went unnoticed: {said}"
            );
        }
    };
    std::fs::create_dir_all(dir.join("broken")).unwrap();
    let all = ["xstate", "scxml", "bpmn", "serverless"];
    broken(
        &|m: &mut Model| {
            for t in &mut m.transitions {
                if let Some(s) = baton::design::timer::parse_duration(&t.timer) {
                    t.timer = format!("PT{}S", 2 * s);
                }
            }
        },
        &all,
        "a timer twice as long",
    );
    broken(
        &|m: &mut Model| {
            for t in m.transitions.iter_mut().filter(|t| !t.guard.trim().is_empty()) {
                t.guard = format!("!({})", t.guard);
            }
        },
        &all,
        "a flipped guard",
    );
    // Without its correlation, one case's event reaches the other case of a pair. The copy is
    // the export with the correlation taken out.
    for v in &mut versions {
        let path = v["bpmn"].as_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("      <zeebe:subscription correlationKey=\"=case_id\"/>\n", ""))
            .unwrap();
        uncorrelate(&mut v["serverless"]);
    }
    std::fs::write(&file, json!({"versions": versions}).to_string()).unwrap();
    for engine in ["bpmn", "serverless"] {
        let out = run_engines(&file, engine, true);
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && said.contains("runs disagree"),
            "{engine}: a dropped correlation went unnoticed: {said}"
        );
    }
}

/// Takes every `correlate` out of a Serverless Workflow document.
fn uncorrelate(doc: &mut Value) {
    match doc {
        Value::Object(map) => {
            map.remove("correlate");
            map.values_mut().for_each(uncorrelate);
        }
        Value::Array(items) => items.iter_mut().for_each(uncorrelate),
        _ => {}
    }
}

/// Version `version_id` of `m` in every format the suite runs, the files written to `dir`:
/// `{name, xstate, serverless}` (documents), `{scxml, bpmn}` (paths).
fn exports(m: &Model, version_id: &str, dir: &std::path::Path) -> Value {
    let xstate: Value = serde_json::from_str(&export(m, version_id, Format::Xstate).unwrap()).unwrap();
    let sw = export(m, version_id, Format::ServerlessWorkflowJson).unwrap();
    std::fs::write(dir.join(format!("{version_id}.sw.json")), &sw).unwrap();
    let serverless: Value = serde_json::from_str(&sw).unwrap();
    let scxml = dir.join(format!("{version_id}.scxml"));
    std::fs::write(&scxml, export(m, version_id, Format::Scxml).unwrap()).unwrap();
    let bpmn = dir.join(format!("{version_id}.bpmn"));
    std::fs::write(&bpmn, export(m, version_id, Format::Bpmn).unwrap()).unwrap();
    json!({"name": version_id, "xstate": xstate, "serverless": serverless, "scxml": scxml, "bpmn": bpmn})
}

/// A valid version built from `seed` into `m` (which has the roles, facilities, events and EMR
/// field it uses): a chain of states to a terminal one, typed guards, per-facility owners, timers
/// with escalations, write-backs, loops back to earlier states, and several transitions on one
/// event told apart by priority. `None` when the draw happens not to validate.
pub(crate) fn generated_version(m: &mut Model, seed: u64) -> Option<String> {
    use baton::model::{OwnerOverride, ProposedState, StateKind, Transition, Version, WriteBack};
    let mut rng = SplitMix(seed);
    let v = format!("g{seed}");
    m.versions.push(Version {
        id: v.clone(),
        workflow_id: "gen".into(),
        number: Some(i64::try_from(seed).unwrap_or(0) + 1),
        note: String::new(),
        created_at: String::new(),
    });
    let n = 3 + rng.below(4);
    for i in 0..n {
        m.proposed_states.push(ProposedState {
            id: format!("{v}-s{i}"),
            version_id: v.clone(),
            name: format!("Step {i}"),
            kind: if i == 0 {
                StateKind::Initial
            } else if i == n - 1 {
                StateKind::Terminal
            } else {
                StateKind::Intermediate
            },
            meaning: String::new(),
            task: format!("Work toward step {}", i + 1),
            position: i as i64,
        });
    }
    let roles = ["rn", "rt", "md", "uc"];
    let guards =
        ["spo2 < 92", "spo2 >= 92", "device == \"mask\"", "stable", "!(spo2 < 88)", "facility == \"north\""];
    let mut position = 0;
    let mut add = |m: &mut Model,
                   rng: &mut SplitMix,
                   from: usize,
                   to: usize,
                   event: &str,
                   guard: &str,
                   priority: Option<i64>| {
        position += 1;
        let terminal = to == n - 1;
        let owner = (!terminal).then(|| roles[rng.below(roles.len())].to_string());
        let timer =
            (!terminal && rng.below(2) == 0).then(|| ["PT30M", "PT1H", "PT2H"][rng.below(3)].to_string());
        m.transitions.push(Transition {
            id: format!("{v}-t{position}"),
            version_id: v.clone(),
            from_state_id: format!("{v}-s{from}"),
            to_state_id: format!("{v}-s{to}"),
            event: event.into(),
            guard: guard.into(),
            owner_role_id: owner,
            escalate_to_role_id: timer.as_ref().map(|_| roles[rng.below(roles.len())].to_string()),
            timer: timer.unwrap_or_default(),
            write_backs: if rng.below(3) == 0 {
                vec![WriteBack { field: "Status".into(), value: ["Open", "Done"][rng.below(2)].into() }]
            } else {
                Vec::new()
            },
            position,
            priority,
            overrides: if !terminal && rng.below(3) == 0 {
                vec![OwnerOverride {
                    facility_id: "north".into(),
                    role_id: roles[rng.below(roles.len())].into(),
                }]
            } else {
                Vec::new()
            },
        });
    };
    let events = ["e1", "e2", "e3"];
    for i in 0..n - 1 {
        let event = events[rng.below(2)];
        add(m, &mut rng, i, i + 1, event, "", Some(2));
        if i > 0 && rng.below(2) == 0 {
            // A loop back, on an event with a typed guard, tried first.
            let back = rng.below(i + 1);
            let guard = guards[rng.below(guards.len())];
            add(m, &mut rng, i, back, "e3", guard, Some(1));
        }
        if rng.below(3) == 0 {
            // Another transition on an event this state already has, told apart by priority.
            let same = m
                .transitions
                .iter()
                .rev()
                .find(|t| t.from_state_id == format!("{v}-s{i}"))
                .map(|t| t.event.clone());
            if let Some(e) = same {
                let guard = guards[rng.below(guards.len())];
                add(m, &mut rng, i, (i + 1).min(n - 1), &e, guard, Some(0));
            }
        }
    }
    baton::design::validate(m, &v).is_empty().then_some(v)
}

/// The model the generated versions live in: roles, two facilities, events with typed fields,
/// one EMR field.
pub(crate) fn generator_model() -> Model {
    use baton::model::{EmrField, EmrValue, EventField, EventType, Facility, Role, Workflow};
    let mut m = Model {
        facilities: ["north", "south"]
            .into_iter()
            .map(|f| Facility { id: f.into(), name: f.to_uppercase(), timezone: "UTC".into() })
            .collect(),
        roles: ["rn", "rt", "md", "uc"]
            .into_iter()
            .map(|r| Role { id: r.into(), name: r.to_uppercase(), description: String::new() })
            .collect(),
        ..Model::default()
    };
    m.workflows.push(Workflow { id: "gen".into(), name: "Generated".into(), description: String::new() });
    let fields = vec![
        EventField { name: "spo2".into(), kind: FieldKind::Number },
        EventField { name: "device".into(), kind: FieldKind::String },
        EventField { name: "stable".into(), kind: FieldKind::Boolean },
    ];
    m.events = ["e1", "e2", "e3"]
        .into_iter()
        .map(|e| EventType {
            name: e.into(),
            description: String::new(),
            fields: fields.clone(),
            activities: Vec::new(),
        })
        .collect();
    m.emr_fields.push(EmrField {
        id: "f".into(),
        name: "Status".into(),
        source: String::new(),
        description: String::new(),
    });
    for v in ["Open", "Done"] {
        m.emr_values.push(EmrValue {
            id: format!("f-{v}"),
            field_id: "f".into(),
            value: v.into(),
            description: String::new(),
        });
    }
    m
}

/// Generated versions (30 here; `BATON_CONFORMANCE_VERSIONS=300 scripts/conformance.sh` for
/// more) behave in XState and in SCION as the reference says.
#[test]
fn generated_versions_behave_like_the_reference_in_every_engine() {
    let wanted: usize =
        std::env::var("BATON_CONFORMANCE_VERSIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(30);
    let mut m = generator_model();
    let mut ids = Vec::new();
    let mut seed = 0;
    while ids.len() < wanted && seed < (wanted as u64) * 20 {
        if let Some(v) = generated_version(&mut m, seed) {
            ids.push(v);
        }
        seed += 1;
    }
    assert_eq!(ids.len(), wanted, "the generator gave too few valid versions");
    let tmp = tempfile::tempdir().unwrap();
    // BATON_CONFORMANCE_KEEP=DIR keeps the exports and cases there, to look at.
    let dir =
        std::env::var_os("BATON_CONFORMANCE_KEEP").map_or_else(|| tmp.path().to_path_buf(), PathBuf::from);
    let mut versions = Vec::new();
    for v in &ids {
        let mut version = exports(&m, v, &dir);
        version["cases"] = json!(cases(&m, v, 40, 11));
        version["pairs"] = json!(pairs(&m, v, 5, 13));
        versions.push(version);
    }
    let file = dir.join("generated.json");
    std::fs::write(&file, json!({"versions": versions}).to_string()).unwrap();
    let out = run(&file);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains(&format!("cases in {wanted} versions agree")), "{said}");
    // And every generated BPMN parses with the Zeebe extensions and passes bpmnlint for Camunda
    // 8.6 and 8.8, and every Serverless Workflow passes the SDK's validation and graph.
    let tools = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/check-exports");
    // bpmnlint finds its plugins from the working directory.
    let out = Command::new("node")
        .arg(tools.join("check.mjs"))
        .arg(&dir)
        .current_dir(&tools)
        .output()
        .expect("node runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(said.matches("ok bpmn ").count(), wanted, "{said}");
    assert_eq!(said.matches("ok serverless-workflow ").count(), wanted, "{said}");
}

/// A proposal made from each template's findings (`baton propose`) behaves in every engine as the
/// reference says.
#[test]
fn proposals_from_every_template_behave_like_the_reference_in_every_engine() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let mut versions = Vec::new();
    for name in baton::bundle::template_names() {
        let mut project = baton::Project::in_memory(&name, &baton::bundle::template(&name).unwrap()).unwrap();
        let workflows: Vec<String> =
            project.model().unwrap().workflows.iter().map(|w| w.id.clone()).collect();
        let mut proposed = 0;
        for w in workflows {
            let m = project.model().unwrap();
            let escalate_to = m.roles.first().map(|r| r.id.clone());
            let choices = baton::design::ProposeChoices { escalate_to, ..Default::default() };
            let Ok(report) = project.propose_from_findings(&w, &choices) else { continue };
            let m = project.model().unwrap();
            let problems = baton::design::validate(&m, &report.version_id);
            assert!(problems.is_empty(), "{name}/{w}: the proposal does not validate: {problems:?}");
            let mut version = exports(&m, &report.version_id, &dir);
            version["name"] = json!(format!("{name}/{w}"));
            version["cases"] = json!(cases(&m, &report.version_id, 40, 23));
            version["pairs"] = json!(pairs(&m, &report.version_id, 5, 29));
            versions.push(version);
            proposed += 1;
        }
        assert!(proposed > 0, "no proposal from template {name}");
    }
    let file = dir.join("templates.json");
    std::fs::write(&file, json!({"versions": versions}).to_string()).unwrap();
    let out = run(&file);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains(&format!("cases in {} versions agree", versions.len())), "{said}");
}
