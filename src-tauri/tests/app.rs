//! The desktop shell without a display: commands through Tauri's mock runtime and IPC, and the
//! generated TypeScript bindings checked against the committed file.

// A test states what it expects by panicking when it does not get it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_context, noop_assets};
use tauri::webview::InvokeRequest;

fn app(data_dir: &std::path::Path) -> (tauri::App<MockRuntime>, tauri::WebviewWindow<MockRuntime>) {
    let specta =
        tauri_specta::Builder::<MockRuntime>::new().commands(baton_app::baton_commands!(MockRuntime));
    let app = baton_app::app_builder(tauri::test::mock_builder(), specta, Some(data_dir.to_path_buf()))
        .build(mock_context(noop_assets()))
        .expect("mock app builds");
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
    (app, window)
}

/// The tests share the process; one at a time keeps their windows and files apart.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn invoke(
    window: &tauri::WebviewWindow<MockRuntime>,
    cmd: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|r| r.deserialize::<serde_json::Value>().expect("json"))
}

#[test]
fn start_creates_the_sample_then_commands_edit_and_undo_it() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let (_app, window) = app(dir.path());

    let home = invoke(&window, "start", serde_json::json!({})).expect("start succeeds");
    assert_eq!(home["name"], "Respiratory care network");
    let facilities: Vec<&str> = home["facilities"]
        .as_array()
        .expect("list")
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        facilities,
        ["Lakeview Pulmonary Clinic", "North Campus Hospital", "Riverside Community Hospital"]
    );
    assert_eq!(home["roles"].as_array().expect("list").len(), 4);
    // The sample's task telemetry (480 tasks) is all of the respiratory assessment.
    let telemetry: Vec<(&str, u64)> = home["workflows"]
        .as_array()
        .expect("list")
        .iter()
        .map(|w| (w["id"].as_str().expect("id"), w["telemetry_tasks"].as_u64().expect("count")))
        .collect();
    assert_eq!(telemetry, [("oxygen-titration", 0), ("respiratory-assessment", 480)]);
    assert!(dir.path().join(baton::session::SAMPLE_FILE_NAME).is_file(), "sample created in the data dir");
    assert_eq!(home["undo"], serde_json::Value::Null);

    let added = invoke(&window, "add_role", serde_json::json!({"name": "Pharmacist", "description": ""}))
        .expect("add_role succeeds");
    assert_eq!(added["roles"].as_array().expect("list").len(), 5);
    assert_eq!(added["undo"], "Add role Pharmacist");

    let undone = invoke(&window, "undo", serde_json::json!({})).expect("undo succeeds");
    assert_eq!(undone["roles"].as_array().expect("list").len(), 4);
    assert_eq!(undone["redo"], "Add role Pharmacist");
}

#[test]
fn errors_cross_the_boundary_as_code_and_message() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let (_app, window) = app(dir.path());
    invoke(&window, "start", serde_json::json!({})).expect("start succeeds");

    let not_a_project = dir.path().join("notes.baton");
    std::fs::write(&not_a_project, "just some text\n").expect("write");
    let err = invoke(&window, "open_project", serde_json::json!({"path": not_a_project}))
        .expect_err("a text file is refused");
    assert_eq!(err["code"], "not_a_project");
    assert!(err["message"].as_str().expect("message").contains("notes.baton"), "{err}");
    assert_eq!(std::fs::read(&not_a_project).expect("read"), b"just some text\n", "file unchanged");

    let err = invoke(&window, "add_role", serde_json::json!({"name": "RT", "description": ""}))
        .expect_err("duplicate role refused");
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(err.as_object().expect("object").len(), 3, "exactly code, message and field: {err}");
    assert_eq!(err["field"], "name");
    let message = err["message"].as_str().expect("message");
    assert!(
        message.starts_with("A role named") && !message.contains("name:"),
        "no field path for people: {err}"
    );

    let err = invoke(&window, "undo", serde_json::json!({})).expect_err("nothing to undo");
    assert_eq!(err["code"], "nothing_to_undo");
}

#[test]
fn second_start_reopens_the_last_project() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let other = dir.path().join("other.baton");
    {
        let (_app, window) = app(dir.path());
        invoke(&window, "start", serde_json::json!({})).expect("start");
        invoke(
            &window,
            "new_project",
            serde_json::json!({"path": other, "name": "Other engagement", "template": "medication-order"}),
        )
        .expect("new project");
    }
    let (_app, window) = app(dir.path());
    let home = invoke(&window, "start", serde_json::json!({})).expect("start");
    assert_eq!(home["name"], "Other engagement");
    assert_eq!(home["workflows"][0]["name"], "Medication order to administration");
}

#[test]
fn an_encrypted_last_project_waits_for_its_passphrase_at_start() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let secret = dir.path().join("secret.baton");
    {
        let (_app, window) = app(dir.path());
        invoke(&window, "start", serde_json::json!({})).expect("start");
        let created = invoke(
            &window,
            "new_project",
            serde_json::json!({"path": dir.path().join("other.baton"), "name": "Other secret", "template": null, "passphrase": "kelp forest 7"}),
        )
        .expect("new encrypted project");
        assert_eq!(created["encrypted"], true);
    }
    // The project the next start reopens, created by a session that really closes it (a mock app
    // keeps its state alive, and a passphrase change needs the file to itself).
    {
        let mut session = baton::session::Session::new(dir.path());
        session.create(&secret, "Secret engagement", None, Some("kelp forest 7")).expect("create");
    }
    let (_app, window) = app(dir.path());
    let refused = invoke(&window, "start", serde_json::json!({})).expect_err("locked");
    assert_eq!(refused["code"], "encrypted");
    let waiting = invoke(&window, "locked_project", serde_json::json!({})).expect("locked");
    assert_eq!(waiting, serde_json::json!(secret.display().to_string()));
    let wrong =
        invoke(&window, "unlock_project", serde_json::json!({"passphrase": "kelp"})).expect_err("wrong");
    assert_eq!(wrong["code"], "wrong_passphrase");
    let open = invoke(&window, "unlock_project", serde_json::json!({"passphrase": "kelp forest 7"}))
        .expect("unlock");
    assert_eq!(open["name"], "Secret engagement");
    let plain = invoke(&window, "set_passphrase", serde_json::json!({"passphrase": null})).expect("decrypt");
    assert_eq!(plain["encrypted"], false);
}

#[test]
fn typescript_bindings_are_current() {
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = dir.path().join("bindings.ts");
    baton_app::export_bindings(&fresh).expect("export bindings");
    let fresh = std::fs::read_to_string(&fresh).expect("read fresh");
    if std::env::var_os("BATON_UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed, &fresh).expect("update bindings");
    }
    let current = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        current == fresh,
        "ui/src/bindings.ts is stale: run `BATON_UPDATE_BINDINGS=1 cargo test -p baton-app --test app typescript_bindings_are_current` and commit it"
    );
}

#[test]
fn interviews_statements_consolidation_and_triage_cross_the_boundary() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let (_app, window) = app(dir.path());
    invoke(&window, "start", serde_json::json!({})).expect("start succeeds");

    let created = invoke(
        &window,
        "add_interview",
        serde_json::json!({"fields": {"role_id": "rt", "facility_id": "lakeview", "shift": "night",
            "alias": "RT-9", "date": "2026-11-20", "interviewer": "Consultant C", "notes": "",
            "workflows": ["respiratory-assessment"]}}),
    )
    .expect("add_interview succeeds");
    let interview = created["id"].as_str().expect("id").to_string();
    let fields = serde_json::json!({"workflow_id": "respiratory-assessment", "step_name": "Chart the assessment",
        "performed_by": "rt", "initiated_by": null, "validated_by": null, "escalates_to": null,
        "done_means": "Flowsheet says Complete", "next_handoff_to": "md", "workarounds": ["shadow_spreadsheet"],
        "pain_point": "", "typical_duration": "", "quote": "Paged about MRN 00482913 twice", "claims": [{"role_id": "rn", "kind": "performs", "owns": false}]});
    let added =
        invoke(&window, "add_statement", serde_json::json!({"interviewId": interview, "fields": fields}))
            .expect("add_statement succeeds");
    assert_eq!(added["project"]["undo"], "Add statement");

    let sheet = invoke(&window, "interview_sheet", serde_json::json!({"id": interview})).expect("sheet");
    let row = &sheet["statements"][0];
    assert_eq!(row["fields"]["step_name"], "Chart the assessment");
    assert_eq!(row["step_id"], "ra-chart", "grouped with the other “Chart the assessment” statements");
    assert_eq!(row["fields"]["claims"][0]["owns"], false);
    // The quote's record number is pointed out as soon as it is saved, and redacted on request.
    assert_eq!(
        sheet["phi"],
        serde_json::json!([{"place": "interview RT-9, statement 1 (quote)", "kind": "medical record number",
            "text": "MRN 00482913"}])
    );
    let typed =
        invoke(&window, "phi_check", serde_json::json!({"text": "call (312) 555-0199"})).expect("check");
    assert_eq!(typed[0]["kind"], "phone number");
    let redacted =
        invoke(&window, "redact_phi", serde_json::json!({"texts": ["MRN 00482913"]})).expect("redact_phi");
    // Redaction is permanent: it is not on the undo stack, which still offers the edit before it.
    assert_eq!(redacted["undo"], "Add statement");
    let sheet = invoke(&window, "interview_sheet", serde_json::json!({"id": interview})).expect("sheet");
    assert_eq!(sheet["statements"][0]["fields"]["quote"], "Paged about [redacted] twice");
    assert_eq!(sheet["phi"], serde_json::json!([]));
    assert!(invoke(&window, "phi_scan", serde_json::json!({})).expect("scan").as_array().unwrap().is_empty());
    let missing = invoke(&window, "redact_phi", serde_json::json!({"texts": ["MRN 00482913"]}))
        .expect_err("nothing left to redact");
    assert_eq!(missing["code"], "invalid_input");

    let map =
        invoke(&window, "workflow_map", serde_json::json!({"id": "respiratory-assessment"})).expect("map");
    let chart = map["steps"].as_array().unwrap().iter().find(|s| s["id"] == "ra-chart").expect("step");
    assert_eq!(chart["statements"].as_array().unwrap().len(), 4);
    assert!(
        chart["claims"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["by_role_id"] == "rt" && c["about_role_id"] == "rt")
    );

    let bad = invoke(&window, "update_statement", serde_json::json!({"id": row["id"], "fields":
        {"workflow_id": "respiratory-assessment", "step_name": "x", "performed_by": null, "initiated_by": null,
         "validated_by": null, "escalates_to": null, "done_means": "", "next_handoff_to": null,
         "workarounds": ["spreadsheet"], "pain_point": "", "typical_duration": "", "quote": "", "claims": []}}))
    .expect_err("an unknown workaround is refused");
    // Vocabularies are typed at the boundary: the UI cannot send one (tsc refuses it), and Tauri
    // refuses it before the command runs.
    assert!(bad.to_string().contains("unknown variant"), "{bad}");

    let findings = invoke(&window, "findings", serde_json::json!({})).expect("findings");
    let drift = findings.as_array().unwrap().iter().find(|f| f["kind"] == "ownership_drift").expect("drift");
    let id = drift["id"].as_str().unwrap().to_string();
    let refused =
        invoke(&window, "triage_finding", serde_json::json!({"id": id, "status": "dismissed", "reason": ""}))
            .expect_err("dismissing needs a reason");
    assert_eq!(refused["code"], "invalid_input");
    invoke(
        &window,
        "triage_finding",
        serde_json::json!({"id": id, "status": "dismissed", "reason": "Known"}),
    )
    .expect("dismissed");
    let findings = invoke(&window, "findings", serde_json::json!({})).expect("findings");
    let drift = findings.as_array().unwrap().iter().find(|f| f["id"] == id.as_str()).expect("still listed");
    assert_eq!((drift["status"].as_str(), drift["reason"].as_str()), (Some("dismissed"), Some("Known")));
}

#[test]
fn the_swimlane_editor_commands_cross_the_boundary() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let (_app, window) = app(dir.path());
    invoke(&window, "start", serde_json::json!({})).expect("start succeeds");

    let d =
        invoke(&window, "diagram", serde_json::json!({"workflowId": "oxygen-titration", "vertical": false}))
            .expect("diagram");
    let lanes: Vec<&str> =
        d["lanes"].as_array().expect("lanes").iter().map(|l| l["id"].as_str().expect("id")).collect();
    assert_eq!(lanes, ["md", "uc", "rt", "rn"]);
    let rn = d["lanes"][3]["band"].clone();
    let node = d["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["id"] == "o2-document")
        .expect("step")
        .clone();
    let y = rn["y"].as_f64().expect("y") + 30.0;
    let after = invoke(
        &window,
        "drop_steps",
        serde_json::json!({"workflowId": "oxygen-titration", "vertical": false,
            "drops": [{"step_id": "o2-document", "x": node["box"]["x"], "y": y}]}),
    )
    .expect("drop_steps");
    assert_eq!(after["undo"], "Move step");
    let d =
        invoke(&window, "diagram", serde_json::json!({"workflowId": "oxygen-titration", "vertical": true}))
            .expect("diagram");
    let moved =
        d["nodes"].as_array().expect("nodes").iter().find(|n| n["id"] == "o2-document").expect("step");
    assert_eq!(moved["lane"], "rn");
    assert_eq!(moved["manual"], true);

    let created = invoke(
        &window,
        "add_comment",
        serde_json::json!({"target": "step", "targetId": "o2-document", "authorRoleId": "rn", "text": "Night shift?"}),
    )
    .expect("add_comment");
    let comments =
        invoke(&window, "comments", serde_json::json!({"workflowId": "oxygen-titration"})).expect("comments");
    let ours = comments.as_array().expect("list").iter().find(|c| c["id"] == created["id"]).expect("listed");
    assert_eq!(ours["author"], "RN");
    assert_eq!(ours["target_label"], "Document FiO2 and SpO2");
    let e = invoke(&window, "remove_step", serde_json::json!({"id": "nope"})).expect_err("unknown step");
    assert_eq!(e["code"], "not_found");
    let svg = dir.path().join("o2.svg");
    invoke(
        &window,
        "export_diagram",
        serde_json::json!({"workflowId": "oxygen-titration", "vertical": false, "path": svg.display().to_string()}),
    )
    .expect("export_diagram");
    assert!(
        !std::fs::read_to_string(&svg).expect("svg").contains(">Night shift?<"),
        "comments are markers, not text"
    );
    assert!(std::fs::read_to_string(&svg).expect("svg").contains(r#"data-badge="comments""#));
}

#[test]
fn imports_and_the_mapping_matrix_cross_the_boundary() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let (_app, window) = app(dir.path());
    let home = invoke(&window, "start", serde_json::json!({})).expect("start succeeds");
    let csv = dir.path().join("discharge.csv");
    std::fs::write(&csv, "Field;State;Site;N\nDischarge Status;Ready to go;North Campus Hospital;12\n")
        .unwrap();
    let path = csv.display().to_string();
    let settings = serde_json::json!({"format": null, "sheet": null, "delimiter": null, "encoding": null,
        "columns": [], "timestamp_format": null, "tz": null, "resource_roles": null, "keep": []});

    let preview = invoke(
        &window,
        "preview_import",
        serde_json::json!({"kind": "status", "path": path, "settings": settings}),
    )
    .expect("preview");
    assert_eq!(preview["format"], "csv");
    assert_eq!(preview["headers"], serde_json::json!(["Field", "State", "Site", "N"]));
    let part = |p: &serde_json::Value, name: &str| {
        p["columns"].as_array().unwrap().iter().find(|c| c["part"] == name).unwrap()["column"].clone()
    };
    assert_eq!(part(&preview, "facility"), "Site");
    // "State" and "N" are not usual names: the consultant maps them in the dialog.
    let mut mapped = settings.clone();
    mapped["columns"] = serde_json::json!([{"part": "field", "column": "Field"}, {"part": "value", "column": "State"},
        {"part": "facility", "column": "Site"}, {"part": "count", "column": "N"}]);
    let done = invoke(
        &window,
        "run_import",
        serde_json::json!({"kind": "status", "path": path, "settings": mapped}),
    )
    .expect("import");
    assert!(
        done["summary"][0].as_str().unwrap().starts_with("imported discharge.csv"),
        "{}",
        done["summary"]
    );
    assert_eq!(done["project"]["emr_fields"], home["emr_fields"].as_u64().unwrap() + 1);
    let progress = invoke(&window, "work_progress", serde_json::json!({})).expect("progress");
    assert_eq!(progress["running"], false);
    assert_eq!(preview["remembered"], false);
    let again = invoke(
        &window,
        "preview_import",
        serde_json::json!({"kind": "status", "path": path, "settings": settings}),
    )
    .expect("preview again");
    assert_eq!(again["remembered"], true, "the mapping of the last import of this file is offered");
    assert_eq!(part(&again, "value"), "State");
    assert_eq!(part(&again, "count"), "N");
    invoke(&window, "cancel_work", serde_json::json!({})).expect("cancel with nothing running is harmless");

    let all = serde_json::json!({"search": "", "unmapped_only": false});
    let matrix = invoke(&window, "mapping_matrix", serde_json::json!({"filter": all})).expect("matrix");
    let ready = matrix["fields"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["values"].as_array().unwrap().clone())
        .find(|v| v["value"] == "Ready to go")
        .expect("imported value in the matrix");
    assert_eq!(ready["total"], 12);
    let state = matrix["states"][0]["id"].clone();
    let after = invoke(
        &window,
        "set_mapping",
        serde_json::json!({"valueId": ready["id"], "facilityId": null, "stateId": state, "note": "checked",
            "filter": all}),
    )
    .expect("set_mapping");
    let row = after["fields"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["values"].as_array().unwrap().clone())
        .find(|v| v["id"] == ready["id"])
        .unwrap();
    assert_eq!(row["cells"][0]["state_id"], state);
    let bad =
        invoke(&window, "run_import", serde_json::json!({"kind": "log", "path": path, "settings": settings}))
            .expect_err("a status list is not an event log");
    assert_eq!(bad["code"], "bad_input");
    assert!(bad["message"].as_str().unwrap().contains("discharge.csv"), "{bad}");
    let added = invoke(
        &window,
        "add_business_state",
        serde_json::json!({"workflowId": "oxygen-titration", "name": "Discharged", "meaning": "Left the unit",
            "filter": all}),
    )
    .expect("add_business_state");
    assert!(added["states"].as_array().unwrap().iter().any(|s| s["name"] == "Discharged"));
}

#[test]
fn partial_log_aggregates_merge_into_the_project_across_the_boundary() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let (_app, window) = app(dir.path());
    let home = invoke(&window, "start", serde_json::json!({})).expect("start succeeds");
    let logs = home["logs"].as_array().unwrap().len();
    // Two sites' partial aggregates, as `baton discover --partial` writes them.
    let site = |name: &str, rows: &str| {
        let path = dir.path().join(format!("{name}.csv"));
        std::fs::write(&path, format!("case,activity,timestamp,facility\n{rows}")).unwrap();
        let options = baton::mining::LogOptions { case_salt: Some("s".into()), ..Default::default() };
        let (agg, _) =
            baton::mining::read_log(&path, &options, &baton::progress::Progress::none()).expect("read");
        let out = dir.path().join(format!("{name}.json"));
        std::fs::write(&out, baton::mining::LogAggregate::from_aggregates(&agg).to_json().unwrap()).unwrap();
        out.display().to_string()
    };
    let north = site("north", "1,Ordered,2026-03-01T10:00:00Z,north\n1,Done,2026-03-01T11:00:00Z,north\n");
    let river =
        site("river", "2,Ordered,2026-03-02T10:00:00Z,riverside\n2,Done,2026-03-02T10:30:00Z,riverside\n");
    let done = invoke(
        &window,
        "run_aggregate_import",
        serde_json::json!({"paths": [north, river], "name": "network log", "allowIdentifiers": []}),
    )
    .expect("run_aggregate_import");
    let summary = done["summary"].as_array().unwrap();
    assert!(summary[0].as_str().unwrap().contains("network log"), "{summary:?}");
    let after = done["project"]["logs"].as_array().unwrap();
    assert_eq!(after.len(), logs + 1);
    let log = after.iter().find(|l| l["name"] == "network log").expect("the merged log");
    assert!(log["summary"].as_str().unwrap().contains("4 events"), "{log}");
    // What is not an aggregate is refused as bad input, and nothing changes.
    let bad = invoke(
        &window,
        "run_aggregate_import",
        serde_json::json!({"paths": [dir.path().join("north.csv").display().to_string()], "name": null,
            "allowIdentifiers": []}),
    )
    .expect_err("a log is not an aggregate");
    assert_eq!(bad["code"], "bad_input");
    assert!(bad["message"].as_str().unwrap().contains("not a Baton log aggregate"), "{bad}");
    let now = invoke(&window, "current_project", serde_json::json!({})).expect("project");
    assert_eq!(now["logs"].as_array().unwrap().len(), logs + 1);
}

#[test]
fn a_running_import_reports_progress_and_cancel_changes_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let (_app, window) = app(dir.path());
    let before = invoke(&window, "start", serde_json::json!({})).expect("start succeeds");
    // A log big enough to still be reading when the cancel arrives.
    let log = dir.path().join("big-log.csv");
    let mut text = String::from("case,activity,timestamp,role\n");
    for i in 0..400_000 {
        text.push_str(&format!(
            "c{},Step {},2026-01-01T00:{:02}:{:02}Z,RT\n",
            i / 8,
            i % 8,
            (i / 60) % 60,
            i % 60
        ));
    }
    std::fs::write(&log, text).unwrap();
    let settings = serde_json::json!({"format": null, "sheet": null, "delimiter": null, "encoding": null,
        "columns": [], "timestamp_format": null, "tz": null, "resource_roles": null, "keep": []});
    let worker = {
        let window = window.clone();
        let body =
            serde_json::json!({"kind": "log", "path": log.display().to_string(), "settings": settings});
        std::thread::spawn(move || invoke(&window, "run_import", body))
    };
    let started = std::time::Instant::now();
    loop {
        let p = invoke(&window, "work_progress", serde_json::json!({})).expect("progress");
        if p["running"] == true {
            break;
        }
        assert!(started.elapsed().as_secs() < 20, "the import never reported progress");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    invoke(&window, "cancel_work", serde_json::json!({})).expect("cancel");
    let result = worker.join().expect("worker");
    let err = result.expect_err("a cancelled import fails");
    assert_eq!(err["code"], "cancelled", "{err}");
    let after = invoke(&window, "current_project", serde_json::json!({})).expect("project");
    assert_eq!(after["undo"], before["undo"], "nothing was recorded");
    let progress = invoke(&window, "work_progress", serde_json::json!({})).expect("progress");
    assert_eq!(progress["running"], false);
}

/// Starts `cmd` on another thread, waits until `work_progress` shows it running under `label`,
/// cancels it and returns its answer.
fn cancel_while_running(
    window: &tauri::WebviewWindow<MockRuntime>,
    cmd: &'static str,
    body: serde_json::Value,
    label: &str,
) -> Result<serde_json::Value, serde_json::Value> {
    let worker = {
        let window = window.clone();
        std::thread::spawn(move || invoke(&window, cmd, body))
    };
    let started = std::time::Instant::now();
    loop {
        let p = invoke(window, "work_progress", serde_json::json!({})).expect("progress");
        if p["running"] == true {
            assert_eq!(p["label"], label);
            break;
        }
        assert!(started.elapsed().as_secs() < 20, "{cmd} never reported progress");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    invoke(window, "cancel_work", serde_json::json!({})).expect("cancel");
    worker.join().expect("worker")
}

#[test]
fn long_analyses_run_off_the_ui_thread_and_cancel_changes_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let (app, window) = app(dir.path());
    let before = invoke(&window, "start", serde_json::json!({})).expect("start succeeds");
    // Long work waits (until cancelled) before it starts, so the cancel lands while it runs.
    let work = tauri::Manager::state::<baton_app::commands::WorkState>(&app);
    work.pause_ms.store(30_000, std::sync::atomic::Ordering::Relaxed);
    let out = dir.path().join("report.pdf");
    let body = serde_json::json!({"format": "pdf", "path": out.display().to_string(), "sections": [],
        "facilities": [], "workflows": []});
    let err = cancel_while_running(&window, "write_report", body.clone(), "Writing the report")
        .expect_err("a cancelled report fails");
    assert_eq!(err["code"], "cancelled", "{err}");
    assert!(!out.exists(), "a cancelled report wrote its file");
    for (cmd, body, label) in [
        ("findings", serde_json::json!({}), "Analysing findings"),
        (
            "proposal_view",
            serde_json::json!({"workflowId": "respiratory-assessment", "versionId": null}),
            "Replaying the event logs",
        ),
        (
            "telemetry_view",
            serde_json::json!({"workflowId": "respiratory-assessment", "version": null, "compare": null}),
            "Computing task metrics",
        ),
    ] {
        let err = cancel_while_running(&window, cmd, body, label).expect_err(cmd);
        assert_eq!(err["code"], "cancelled", "{cmd}: {err}");
    }
    let after = invoke(&window, "current_project", serde_json::json!({})).expect("project");
    assert_eq!(after, before, "cancelled work changed the project");
    assert_eq!(invoke(&window, "work_progress", serde_json::json!({})).expect("progress")["running"], false);
    // Not cancelled, the same report is written (the pause ends by itself) and reported on.
    work.pause_ms.store(0, std::sync::atomic::Ordering::Relaxed);
    let written = invoke(&window, "write_report", body).expect("report");
    assert_eq!(written[0], out.display().to_string());
    assert!(std::fs::read(&out).expect("pdf").starts_with(b"%PDF"));
}

#[test]
fn the_designer_commands_cross_the_boundary() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let (_app, window) = app(dir.path());
    invoke(&window, "start", serde_json::json!({})).expect("start succeeds");
    let wf = "respiratory-assessment";
    let v = invoke(&window, "proposal_view", serde_json::json!({"workflowId": wf, "versionId": null}))
        .expect("view");
    assert_eq!(v["version"]["label"], "Version 2", "the latest version is shown");
    let v = invoke(&window, "proposal_view", serde_json::json!({"workflowId": wf, "versionId": "ra-v1"}))
        .expect("view");
    let version = v["version"].clone();
    assert_eq!(version["label"], "Version 1");
    assert_eq!(version["problems"], serde_json::json!([]));
    assert_eq!(version["replay"]["fitting"], 227);
    assert!(version["svg"].as_str().unwrap().starts_with("<svg"));
    assert_eq!(version["signoffs"][0]["decision"], "approved");
    let signed = invoke(
        &window,
        "sign_off",
        serde_json::json!({"workflowId": wf, "versionId": version["id"], "name": "RN lead", "role": "Nurse manager",
            "date": "2026-10-12", "decision": "changes_requested", "comment": "Night shift"}),
    )
    .expect("sign_off");
    assert_eq!(signed["version"]["signoffs"][1]["intact"], true);
    let out = dir.path().join("ra.bpmn");
    invoke(
        &window,
        "export_version",
        serde_json::json!({"versionId": version["id"], "format": "bpmn", "path": out.display().to_string()}),
    )
    .expect("export");
    assert!(std::fs::read_to_string(&out).unwrap().contains("<zeebe:userTask/>"));
    // A name chosen without its ending is saved with the format's.
    let bare = dir.path().join("respiratory");
    invoke(
        &window,
        "export_version",
        serde_json::json!({"versionId": version["id"], "format": "bpmn", "path": bare.display().to_string()}),
    )
    .expect("export without an ending");
    assert!(dir.path().join("respiratory.bpmn").is_file() && !bare.exists());
    let draft = invoke(&window, "start_draft", serde_json::json!({"workflowId": wf})).expect("draft");
    let draft_id = draft["version"]["id"].clone();
    assert_eq!(draft["version"]["draft"], true);
    let after = invoke(
        &window,
        "add_state",
        serde_json::json!({"workflowId": wf, "versionId": draft_id,
            "fields": {"name": "Lost", "kind": "intermediate", "meaning": "", "task": ""}}),
    )
    .expect("add_state");
    let charted =
        draft["version"]["states"].as_array().unwrap().iter().find(|s| s["name"] == "Charted by RT").unwrap();
    assert_eq!(charted["task"], "Reconcile assessment with nursing care plan");
    assert_eq!(charted["opens_task"], true);
    let renamed = invoke(
        &window,
        "update_state",
        serde_json::json!({"workflowId": wf, "versionId": draft_id, "id": charted["id"],
            "fields": {"name": "Charted by RT", "kind": "intermediate", "meaning": "", "task": "Reconcile the assessment"}}),
    )
    .expect("update_state");
    let tasks: Vec<&str> = renamed["version"]["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["task"].as_str().unwrap())
        .collect();
    assert!(tasks.contains(&"Reconcile the assessment"), "{tasks:?}");
    let rules: Vec<&str> = after["version"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"reachable"), "{rules:?}");
    let telemetry =
        invoke(&window, "telemetry_view", serde_json::json!({"workflowId": wf, "version": 2, "compare": 1}))
            .expect("telemetry_view");
    assert_eq!(telemetry["versions"], serde_json::json!([1, 2]));
    let reassign = telemetry["comparison"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["step"] == "" && c["metric"] == "reassignment_rate")
        .unwrap()
        .clone();
    assert_eq!(reassign["significant"], true);
    assert_eq!(telemetry["distribution"].as_array().unwrap().len(), 2, "both versions' distributions");
    let compared = invoke(
        &window,
        "compare_versions",
        serde_json::json!({"workflowId": wf, "fromId": version["id"], "toId": draft_id}),
    )
    .expect("compare");
    assert!(compared["svg"].as_str().unwrap().contains(r#"data-diff="added""#));
    assert!(
        compared["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["subject"] == "Lost" && c["change"] == "added")
    );
    let err = invoke(&window, "propose_draft", serde_json::json!({"workflowId": wf}))
        .expect_err("a second draft is not proposed");
    assert!(err["message"].as_str().unwrap().contains("already has a draft"), "{err}");
    let err = invoke(&window, "publish_draft", serde_json::json!({"workflowId": wf, "note": ""}))
        .expect_err("an invalid draft is not published");
    assert_eq!(err["code"], "invalid_input");
    let t = &after["version"]["transitions"][0];
    let mut fields = t["fields"].clone();
    fields["guard"] = serde_json::json!("spo2 < ");
    let err = invoke(
        &window,
        "save_transition",
        serde_json::json!({"workflowId": wf, "versionId": draft_id, "id": t["id"], "fields": fields}),
    )
    .expect_err("a broken guard is refused");
    assert_eq!(err["field"], "guard", "{err}");
    assert!(!err["message"].as_str().unwrap().starts_with("guard:"), "no field path for people: {err}");
}

/// The window may call Baton's own commands, its events and the file dialogs, and nothing else:
/// no shell, no file-system plugin, no HTTP. Growing this set is a decision to make on purpose.
#[test]
fn the_capability_set_and_the_content_security_policy_stay_locked_down() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let files: Vec<String> = std::fs::read_dir(dir.join("capabilities"))
        .expect("capabilities")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["default.json"], "one capability file");
    let capability: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("capabilities/default.json")).expect("read"))
            .expect("json");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert_eq!(capability["permissions"], serde_json::json!(["core:default", "dialog:default"]));
    assert!(capability.get("remote").is_none(), "no remote origin may call commands");
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("tauri.conf.json")).expect("read"))
            .expect("json");
    let csp = config["app"]["security"]["csp"].as_str().expect("a CSP is set");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(csp.contains(directive), "the CSP lacks {directive:?}: {csp}");
    }
    let scripts = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or("");
    assert!(!scripts.contains("unsafe"), "scripts only from the app: {scripts}");
    assert!(!csp.contains('*') && !csp.contains("https:"), "no remote source: {csp}");
    // No plugin beyond the dialog is linked into the app.
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    let plugins: Vec<&str> = manifest
        .lines()
        .filter(|l| l.trim_start().starts_with("tauri-plugin-"))
        .map(|l| l.split('=').next().unwrap_or("").trim())
        .collect();
    assert_eq!(plugins, ["tauri-plugin-dialog"]);
}
