//! One function per command: load, call the core, print.

use std::path::Path;

use baton::design::version_label;
use baton::diagram::Which;
use baton::layout::Orientation;
use baton::views::project::project as overview;
use baton::{Error, Project, bundle};

use super::{CmdResult, Failure, json};

pub(super) fn print_json<T: serde::Serialize>(value: &T) -> CmdResult {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Error(Error::invalid("output", e.to_string())))?;
    println!("{text}");
    Ok(())
}

/// Removes a project file that could not be completed, with its SQLite side files.
fn remove_project_file(file: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut side = file.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(std::path::PathBuf::from(side));
    }
}

/// Opens PROJECT for reading: a `.baton` file, or a bundle folder (with its `inputs/`) loaded
/// into memory.
fn open_for_reading(path: &Path) -> Result<Project, Failure> {
    if path.is_dir() { Ok(bundle::load_in_memory(path)?) } else { open_file(path) }
}

/// The passphrase of encrypted projects: `BATON_PASSPHRASE` (never a flag, which other users of
/// the machine could read in the process list).
fn passphrase() -> Option<String> {
    std::env::var("BATON_PASSPHRASE").ok().filter(|p| !p.is_empty())
}

/// Opens a project file, with `BATON_PASSPHRASE` when it is encrypted.
pub(super) fn open_file(path: &Path) -> Result<Project, Failure> {
    let project = Project::open_with(path, passphrase().as_deref())?;
    if let Some(what) = project.recovered() {
        eprintln!("note: {what}");
    }
    Ok(project)
}

/// Opens PROJECT for editing; a bundle folder is refused (edits need a file to live in).
pub(super) fn open_for_writing(path: &Path) -> Result<Project, Failure> {
    if path.is_dir() {
        return Err(Failure::Usage(format!(
            "{} is a bundle folder, and this command changes a project: run `baton new FILE.baton --bundle {}` first and give FILE.baton",
            path.display(),
            path.display()
        )));
    }
    open_file(path)
}

pub fn new(
    file: &Path,
    name: Option<&str>,
    template: Option<&str>,
    bundle_dir: Option<&Path>,
    encrypt: bool,
) -> CmdResult {
    let key = if encrypt {
        Some(passphrase().ok_or_else(|| {
            Failure::Usage(
                "--encrypt needs the passphrase in the environment variable BATON_PASSPHRASE".into(),
            )
        })?)
    } else {
        None
    };
    let model = match (template, bundle_dir) {
        (Some(t), _) => bundle::template(t)?,
        (None, Some(dir)) => bundle::read_dir(dir)?,
        (None, None) => baton::model::Model::default(),
    };
    let default_name = model
        .project
        .as_ref()
        .map(|p| p.name.clone())
        .or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Untitled".to_string());
    let mut project = Project::create_encrypted(file, name.unwrap_or(&default_name), &model, key.as_deref())?;
    if let Some(dir) = bundle_dir.filter(|_| template.is_none()) {
        match super::logs::with_progress("importing inputs/", |p| bundle::import_inputs(&mut project, dir, p))
        {
            Ok((summaries, unlisted)) => {
                for s in &summaries {
                    eprintln!(
                        "imported inputs/{} ({} {}): {} records",
                        s.source, s.kind, s.format, s.records
                    );
                }
                if !unlisted.is_empty() {
                    eprintln!(
                        "warning: {} not listed in {} and not imported: {}",
                        if unlisted.len() == 1 { "a file is" } else { "files are" },
                        bundle::INPUTS_LIST,
                        unlisted.join(", ")
                    );
                }
            }
            Err(e) => {
                drop(project);
                remove_project_file(file);
                return Err(e.into());
            }
        }
    }
    warn_phi(&project.model()?);
    let o = overview(&project)?;
    eprintln!(
        "created {} ({}): {} facilities, {} roles, {} interviews, {} workflows",
        file.display(),
        o.name,
        o.facilities.len(),
        o.roles.len(),
        o.interviews.len(),
        o.workflows.len()
    );
    Ok(())
}

pub fn info(path: &Path, as_json: bool) -> CmdResult {
    let project = open_for_reading(path)?;
    let o = overview(&project)?;
    if as_json {
        return print_json(&json::Info::of(&o));
    }
    let names =
        |list: &[baton::model::Named]| list.iter().map(|n| n.name.as_str()).collect::<Vec<_>>().join(", ");
    println!("{}", o.name);
    let facilities: Vec<&str> = o.facilities.iter().map(|f| f.name.as_str()).collect();
    println!("  facilities ({}): {}", o.facilities.len(), facilities.join(", "));
    println!("  roles ({}): {}", o.roles.len(), names(&o.roles));
    println!("  interviews: {}", o.interviews.len());
    println!("  steps: {}", o.steps);
    println!("  workflows ({}):", o.workflows.len());
    for w in &o.workflows {
        let versions = if w.versions.is_empty() {
            "no published version".to_string()
        } else {
            format!("versions {}", w.versions.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", "))
        };
        let draft = if w.draft { ", a draft" } else { "" };
        println!("    {}: {} steps, {versions}{draft}", w.name, w.steps);
    }
    Ok(())
}

pub fn bundle_export(path: &Path, dir: &Path) -> CmdResult {
    let mut project = open_for_reading(path)?;
    let files = project.export_bundle(dir)?;
    if project.is_encrypted() {
        eprintln!(
            "warning: {} is encrypted, but a bundle is plain text: keep {} as safe as the project, or delete it when done",
            path.display(),
            dir.display()
        );
    }
    eprintln!("wrote {} files to {}", files.len(), dir.display());
    warn_phi(&project.model()?);
    Ok(())
}

pub fn bundle_schema(dir: &Path) -> CmdResult {
    std::fs::create_dir_all(dir).map_err(|e| Error::Io { path: dir.to_path_buf(), source: e })?;
    for (_, name, schema) in baton::schemas::json_schemas() {
        let path = dir.join(name);
        let mut text = serde_json::to_string_pretty(&schema)
            .map_err(|e| Failure::Error(Error::invalid("schema", e.to_string())))?;
        text.push('\n');
        baton::store::write_atomically(&path, text.as_bytes())?;
    }
    Ok(())
}

pub fn undo(path: &Path, as_json: bool, redo: bool) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let edit = if redo { project.redo()? } else { project.undo()? };
    let state = project.journal_state()?;
    if as_json {
        return print_json(&json::Journal { edit, can_undo: state.undo, can_redo: state.redo });
    }
    println!("{}: {edit}", if redo { "redone" } else { "undone" });
    Ok(())
}

pub fn role_add(path: &Path, name: &str, description: &str) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let id = project.add_role(name, description)?;
    println!("{id}");
    Ok(())
}

pub fn role_list(path: &Path, as_json: bool) -> CmdResult {
    let o = overview(&open_for_reading(path)?)?;
    if as_json {
        return print_json(&o.roles);
    }
    for r in o.roles {
        println!("{}\t{}", r.id, r.name);
    }
    Ok(())
}

pub fn facility_add(path: &Path, name: &str, timezone: &str) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let id = project.add_facility(name, timezone)?;
    if timezone.trim().is_empty() {
        eprintln!(
            "time zone: {} (this machine's; change it with --timezone)",
            baton::store::default_timezone()
        );
    }
    println!("{id}");
    Ok(())
}

/// The id of the role or facility named `name` (its id, or its name in any case).
fn find_named(items: &[baton::model::Named], what: &str, name: &str) -> Result<String, Failure> {
    items
        .iter()
        .find(|x| x.id == name)
        .or_else(|| items.iter().find(|x| x.name.trim().eq_ignore_ascii_case(name.trim())))
        .map(|x| x.id.clone())
        .ok_or_else(|| {
            let names: Vec<&str> = items.iter().map(|x| x.name.as_str()).collect();
            Failure::Error(Error::NotFound(format!(
                "no {what} {name:?} in this project ({what}s: {})",
                names.join(", ")
            )))
        })
}

fn roles_of(project: &Project) -> Result<Vec<baton::model::Named>, Failure> {
    Ok(project.model()?.roles.into_iter().map(|r| baton::model::Named { id: r.id, name: r.name }).collect())
}

fn facilities_of(project: &Project) -> Result<Vec<baton::model::Named>, Failure> {
    Ok(project
        .model()?
        .facilities
        .into_iter()
        .map(|f| baton::model::Named { id: f.id, name: f.name })
        .collect())
}

pub fn workflow_add(path: &Path, name: &str, template: Option<&str>, description: &str) -> CmdResult {
    let mut project = open_for_writing(path)?;
    match template {
        Some(t) => {
            for id in project.add_workflow_from_template(t)? {
                println!("{id}");
            }
        }
        None => println!("{}", project.add_workflow(name, description)?),
    }
    Ok(())
}

pub fn workflow_rename(path: &Path, name: &str, new_name: &str, description: Option<&str>) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let id = find_workflow(&project, name)?;
    let current = project
        .model()?
        .workflows
        .into_iter()
        .find(|w| w.id == id)
        .map(|w| w.description)
        .unwrap_or_default();
    project.update_workflow(&id, new_name, description.unwrap_or(&current))?;
    println!("renamed workflow {name:?} to {:?}", new_name.trim());
    Ok(())
}

pub fn workflow_remove(path: &Path, name: &str) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let id = find_workflow(&project, name)?;
    let uses = project.workflow_uses(&id)?;
    project.remove_workflow(&id)?;
    println!(
        "deleted workflow {name:?}{} (baton undo restores it)",
        if uses.is_empty() { String::new() } else { format!(" with {}", uses.join(", ")) }
    );
    Ok(())
}

pub fn role_rename(path: &Path, role: &str, new_name: &str) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let id = find_named(&roles_of(&project)?, "role", role)?;
    project.rename_role(&id, new_name)?;
    println!("renamed role {role:?} to {:?}", new_name.trim());
    Ok(())
}

pub fn role_remove(path: &Path, role: &str) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let id = find_named(&roles_of(&project)?, "role", role)?;
    project.remove_role(&id)?;
    println!("removed role {role:?}");
    Ok(())
}

pub fn role_merge(path: &Path, role: &str, other: &str) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let roles = roles_of(&project)?;
    let (from, into) = (find_named(&roles, "role", role)?, find_named(&roles, "role", other)?);
    let uses = project.role_uses(&from)?;
    project.merge_role(&from, &into)?;
    println!(
        "merged role {role:?} into {other:?}{}",
        if uses.is_empty() { String::new() } else { format!(" ({} moved)", uses.join(", ")) }
    );
    Ok(())
}

pub fn facility_rename(path: &Path, facility: &str, new_name: &str) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let id = find_named(&facilities_of(&project)?, "facility", facility)?;
    project.rename_facility(&id, new_name)?;
    println!("renamed facility {facility:?} to {:?}", new_name.trim());
    Ok(())
}

pub fn facility_remove(path: &Path, facility: &str) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let id = find_named(&facilities_of(&project)?, "facility", facility)?;
    project.remove_facility(&id)?;
    println!("removed facility {facility:?}");
    Ok(())
}

pub fn facility_list(path: &Path, as_json: bool) -> CmdResult {
    let o = overview(&open_for_reading(path)?)?;
    if as_json {
        return print_json(&o.facilities);
    }
    for f in o.facilities {
        println!("{}\t{}", f.id, f.name);
    }
    Ok(())
}

pub fn templates(as_json: bool) -> CmdResult {
    let names = bundle::template_names();
    if as_json {
        return print_json(&names);
    }
    for name in names {
        println!("{name}");
    }
    Ok(())
}

pub fn findings(
    path: &Path,
    kinds: &[String],
    options: &baton::findings::MismatchOptions,
    query: &baton::views::findings::FindingQuery,
    output: Option<&Path>,
    as_json: bool,
) -> CmdResult {
    let mut wanted = Vec::new();
    for kind in kinds {
        match baton::findings::FindingKind::parse(kind) {
            Some(k) => wanted.push(k),
            None => {
                return Err(Failure::Usage(format!(
                    "--kind {kind:?} is not a finding kind; use one of: {}",
                    baton::findings::FindingKind::expected()
                )));
            }
        }
    }
    let project = open_for_reading(path)?;
    let model = project.model()?;
    let all = baton::views::findings::findings(&model, options, &baton::progress::Progress::none())?;
    let rows = baton::views::findings::list_of(&model, all, query).rows;
    let rows: Vec<_> =
        rows.into_iter().filter(|r| wanted.is_empty() || wanted.contains(&r.finding.kind)).collect();
    if let Some(out) = output {
        let written = baton::views::findings::write_rows(&rows, out)?;
        if !as_json {
            println!("wrote {written} findings to {}", out.display());
            return Ok(());
        }
    }
    let found: Vec<baton::findings::Finding> = rows.into_iter().map(|r| r.finding).collect();
    if as_json {
        return print_json(&found);
    }
    for notice in baton::findings::notices(&project.model()?) {
        eprintln!("note: {notice}");
    }
    if found.is_empty() {
        println!("no findings");
        return Ok(());
    }
    for f in &found {
        let status = match f.status {
            baton::model::FindingStatus::Open => String::new(),
            baton::model::FindingStatus::Accepted => " [accepted]".to_string(),
            baton::model::FindingStatus::Dismissed => format!(" [dismissed: {}]", f.reason),
        };
        println!("{:<6} {:<22} {}{status}", f.severity.as_str(), f.kind.as_str(), f.title);
        println!("       id {}", f.id);
        for e in &f.evidence {
            println!("       - {}", e.text);
        }
        println!("       → {}", f.recommendation);
    }
    Ok(())
}

pub fn triage(path: &Path, id: &str, status: baton::model::FindingStatus, reason: &str) -> CmdResult {
    if status == baton::model::FindingStatus::Dismissed && reason.trim().is_empty() {
        return Err(Failure::Usage("dismissing a finding needs --reason \"why\"".to_string()));
    }
    let mut project = open_for_writing(path)?;
    project.triage_finding(id, status, reason)?;
    println!("{id}: {}", status.as_str());
    warn_phi_in("--reason", reason);
    Ok(())
}

pub fn review_export(path: &Path, workflow: &str, pick: baton::design::Pick, output: &Path) -> CmdResult {
    let mut project = open_for_reading(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let version = baton::design::pick_version(&project.model()?, &workflow, pick)?;
    baton::review::write_packet(&mut project, &version, output)?;
    println!(
        "wrote the review packet of {} to {}",
        baton::review::version_label(&project.model()?, &version),
        output.display()
    );
    Ok(())
}

pub fn review_import(path: &Path, file: &Path, as_json: bool) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let outcome = baton::review::import_review_file(&mut project, file)?;
    if as_json {
        return print_json(&outcome);
    }
    println!("{}", outcome.summary());
    Ok(())
}

pub fn approach(path: &Path, workflow: Option<&str>, as_json: bool) -> CmdResult {
    let project = open_for_reading(path)?;
    let workflow = workflow.map(|w| find_workflow(&project, w)).transpose()?;
    let m = project.model()?;
    let findings = baton::findings::analyze(
        &m,
        &baton::findings::MismatchOptions::default(),
        &baton::progress::Progress::none(),
    )?;
    let table = baton::approach::standings(&m, &findings, workflow.as_deref());
    if as_json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            workflows: &'a [baton::approach::Standing],
        }
        return print_json(&Out { workflows: &table });
    }
    if table.is_empty() {
        println!("no workflows yet: add one with `baton workflow add`");
    }
    let yes = |c: &baton::approach::Cell| if c.holds { "yes" } else { "no" };
    for w in &table {
        let arrow = match &w.proposed {
            Some(p) => format!("{} → {}", w.current.approach_label, p.approach_label),
            None => w.current.approach_label.clone(),
        };
        println!("{}: {arrow}", w.workflow);
        for s in std::iter::once(&w.current).chain(w.proposed.as_ref()) {
            println!(
                "  {}: {} (handles role logic: {}, supports cross-system state: {}, measured: {})",
                s.label,
                s.approach_label,
                yes(&s.role_logic),
                yes(&s.shared_state),
                yes(&s.measured)
            );
            for (name, cell) in
                [("role logic", &s.role_logic), ("state", &s.shared_state), ("measured", &s.measured)]
            {
                for e in &cell.evidence {
                    println!("    {name}: {e}");
                }
            }
        }
    }
    Ok(())
}

/// The workflow `name` (id or name, case-insensitive) of `project`.
fn find_workflow(project: &Project, name: &str) -> Result<String, Failure> {
    let m = project.model()?;
    m.workflows
        .iter()
        .find(|w| w.id.eq_ignore_ascii_case(name) || w.name.eq_ignore_ascii_case(name))
        .map(|w| w.id.clone())
        .ok_or_else(|| {
            let known: Vec<&str> = m.workflows.iter().map(|w| w.name.as_str()).collect();
            Failure::Error(Error::NotFound(format!(
                "no workflow {name:?} in this project (workflows: {})",
                known.join(", ")
            )))
        })
}

pub fn consolidate(path: &Path, workflow: Option<&str>) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let workflows = match workflow {
        Some(name) => vec![find_workflow(&project, name)?],
        None => project.model()?.workflows.into_iter().map(|w| w.id).collect(),
    };
    let before = project.model()?;
    for w in &workflows {
        project.consolidate(w)?;
    }
    let after = project.model()?;
    let grouped = before.statements.iter().filter(|s| s.step_id.is_none()).count()
        - after.statements.iter().filter(|s| s.step_id.is_none()).count();
    eprintln!(
        "grouped {grouped} statement(s); the maps now have {} step(s) and {} handoff(s)",
        after.steps.len(),
        after.handoffs.len()
    );
    Ok(())
}

pub fn diagram(path: &Path, workflow: &str, which: Which, output: &Path, vertical: bool) -> CmdResult {
    let extension = output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if !matches!(extension.as_deref(), Some("svg" | "png")) {
        return Err(Failure::Usage(format!(
            "-o {}: the output must end in .svg or .png; the name chooses the format",
            output.display()
        )));
    }
    let project = open_for_reading(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let orientation = if vertical { Orientation::Vertical } else { Orientation::Horizontal };
    let diagram = project.diagram(&workflow, which, orientation)?;
    baton::diagram::write_diagram(&diagram, output)?;
    let steps = diagram.node_refs.iter().filter(|r| !matches!(r, baton::diagram::NodeRef::Event)).count();
    println!(
        "Wrote {} ({}, {} of {}: {steps} steps in {} lanes)",
        output.display(),
        if vertical { "vertical lanes" } else { "horizontal lanes" },
        diagram.subtitle.to_lowercase(),
        diagram.title,
        diagram.flow.lanes.len()
    );
    Ok(())
}

pub fn validate(path: &Path, workflow: &str, pick: baton::design::Pick, as_json: bool) -> CmdResult {
    let (m, version) = open_version(path, workflow, pick)?;
    let problems = baton::design::validate(&m, &version);
    if as_json {
        #[derive(serde::Serialize)]
        struct Report<'p> {
            valid: bool,
            problems: &'p [baton::design::Problem],
        }
        print_json(&Report { valid: problems.is_empty(), problems: &problems })?;
    } else if problems.is_empty() {
        println!("valid: {}", version_label(&m, &version));
    } else {
        println!("{} problems in {}:", problems.len(), version_label(&m, &version));
        for p in &problems {
            println!("  [{}] {}: {}", p.rule, p.subject, p.message);
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(Failure::Found) }
}

pub fn export(
    path: &Path,
    workflow: &str,
    pick: baton::design::Pick,
    format: &str,
    output: &Path,
) -> CmdResult {
    let format = baton::export::Format::parse(format, output).map_err(|e| Failure::Usage(e.to_string()))?;
    let mut project = open_for_reading(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let m = project.model()?;
    let version = baton::design::pick_version(&m, &workflow, pick)?;
    let text = project.export_version(&version, format, output)?;
    println!("Wrote {} ({})", output.display(), version_label(&m, &version));
    for (kind, found) in baton::phi::scan_text(&text) {
        eprintln!(
            "warning: the export holds what looks like a {kind}: {found}; redact it in the version and export again"
        );
    }
    Ok(())
}

pub fn replay(path: &Path, workflow: &str, pick: baton::design::Pick, as_json: bool) -> CmdResult {
    let (m, version) = open_version(path, workflow, pick)?;
    let r = baton::design::replay(&m, &version, &baton::progress::Progress::none())?;
    if as_json {
        return print_json(&r);
    }
    println!(
        "{}: {} of {} cases fit ({:.1}%)",
        version_label(&m, &version),
        r.fitting,
        r.cases,
        r.fitness * 100.0
    );
    if !r.deviations.is_empty() {
        println!("first deviations:");
        for d in &r.deviations {
            println!("  {:>6}  in {:<28} on {}", d.count, d.state, d.event);
        }
    }
    Ok(())
}

/// The inputs of `baton simulate`: JSON lines of {"at", "event"?, "data"?}.
fn read_inputs(path: &Path) -> Result<Vec<baton::design::Input>, Failure> {
    use baton::design::guard::Datum;
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let file = path.display().to_string();
    let mut inputs = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let at_line = format!("line {}", n + 1);
        let bad = |message: String| Failure::Error(Error::input(&file, &at_line, message));
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(format!("not a JSON object: {e}")))?;
        let at = value.get("at").and_then(|a| a.as_str()).ok_or_else(|| {
            bad("\"at\" is missing: give the time as RFC 3339 (2026-10-01T08:00:00Z)".into())
        })?;
        let at = baton::design::simulate::parse_time(at).ok_or_else(|| {
            bad(format!("\"at\": {at:?} is not an RFC 3339 time such as 2026-10-01T08:00:00Z"))
        })?;
        let event = match value.get("event") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(e)) => Some(e.clone()),
            Some(other) => return Err(bad(format!("\"event\" must be a name, not {other}"))),
        };
        let mut data = std::collections::BTreeMap::new();
        if let Some(fields) = value.get("data").and_then(|d| d.as_object()) {
            for (k, v) in fields {
                // null, lists and objects are no value a guard can compare: the field is missing.
                let datum = match v {
                    serde_json::Value::Number(x) => x.as_f64().map(Datum::Number),
                    serde_json::Value::String(s) => Some(Datum::Text(s.clone())),
                    serde_json::Value::Bool(b) => Some(Datum::Bool(*b)),
                    _ => None,
                };
                if let Some(d) = datum {
                    data.insert(k.clone(), d);
                }
            }
        }
        inputs.push(baton::design::Input { at, event, data });
    }
    Ok(inputs)
}

pub fn simulate(
    path: &Path,
    workflow: &str,
    pick: baton::design::Pick,
    facility: Option<&str>,
    events: &Path,
    as_json: bool,
) -> CmdResult {
    let (m, version) = open_version(path, workflow, pick)?;
    let facility = facility.map(|f| find_facility(&m, f)).transpose()?;
    let inputs = read_inputs(events)?;
    let trace = baton::design::simulate(&m, &version, facility.as_deref(), &inputs)?;
    if as_json {
        return print_json(&trace);
    }
    let role = |id: &str| m.roles.iter().find(|r| r.id == id).map_or(id, |r| r.name.as_str()).to_string();
    let tasks = |list: &[baton::design::simulate::TaskRef]| {
        list.iter().map(|t| format!("{} ({})", t.name, role(&t.role))).collect::<Vec<_>>().join(", ")
    };
    println!("{}", version_label(&m, &version));
    // Steps and ignored events, in time order (a step before an ignored event at the same time).
    let mut lines: Vec<(&str, Vec<String>)> = Vec::new();
    for s in &trace.steps {
        let what = match (&s.event, &s.timer) {
            (Some(e), _) => format!("{} → {} on {e}", s.from, s.to),
            (None, Some(t)) => format!("{}: timer ran out ({t})", s.from),
            (None, None) => format!("{} → {}", s.from, s.to),
        };
        let mut block = vec![format!("{}  {what}", s.at)];
        if !s.tasks_closed.is_empty() {
            block.push(format!("    closes {}", tasks(&s.tasks_closed)));
        }
        if !s.tasks_opened.is_empty() {
            block.push(format!("    opens {}", tasks(&s.tasks_opened)));
        }
        block.extend(s.escalations.iter().map(|e| format!("    escalates {} to {}", e.task, role(&e.role))));
        block.extend(s.write_backs.iter().map(|w| format!("    writes back {} = {}", w.field, w.value)));
        lines.push((&s.at, block));
    }
    for i in &trace.ignored {
        let line = format!("{}  ignored {} in {} ({})", i.at, i.event, i.state, i.reason.replace('_', " "));
        lines.push((&i.at, vec![line]));
    }
    lines.sort_by_key(|(at, _)| baton::design::simulate::parse_time(at));
    for (_, block) in lines {
        println!("{}", block.join("\n"));
    }
    let open = if trace.open_tasks.is_empty() {
        "no open tasks".to_string()
    } else {
        format!("open: {}", tasks(&trace.open_tasks))
    };
    println!("{}: {}; {open}", trace.final_state, if trace.finished { "finished" } else { "not finished" });
    Ok(())
}

pub fn propose(
    path: &Path,
    workflow: &str,
    owners: &[String],
    escalate_to: Option<String>,
    timer: Option<String>,
) -> CmdResult {
    let mut choices = baton::design::ProposeChoices { escalate_to, timer, ..Default::default() };
    for pair in owners {
        let (step, role) = pair.split_once('=').ok_or_else(|| {
            Failure::Usage(format!("--owner {pair}: write STEP=ROLE, e.g. ra-reconcile=rn"))
        })?;
        choices.owners.insert(step.trim().to_string(), role.trim().to_string());
    }
    let mut project = open_for_writing(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let report = project.propose_from_findings(&workflow, &choices)?;
    let m = project.model()?;
    println!("Proposed {} from the findings:", version_label(&m, &report.version_id));
    for note in &report.notes {
        println!("  - {note}");
    }
    let problems = baton::design::validate(&m, &report.version_id);
    if problems.is_empty() {
        println!("The draft is valid.");
    } else {
        println!("Still to decide ({} problems; edit the draft in the app):", problems.len());
        for p in &problems {
            println!("  [{}] {}: {}", p.rule, p.subject, p.message);
        }
    }
    Ok(())
}

pub fn diff(path: &Path, workflow: &str, from: i64, to: baton::design::Pick, as_json: bool) -> CmdResult {
    let project = open_for_reading(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let m = project.model()?;
    let a = baton::design::pick_version(&m, &workflow, baton::design::Pick::Version(from))?;
    let b = baton::design::pick_version(&m, &workflow, to)?;
    let changes = baton::design::diff(&m, &a, &b);
    if as_json {
        return print_json(&changes);
    }
    println!("{} → {}: {} changes", version_label(&m, &a), version_label(&m, &b), changes.len());
    for c in &changes {
        let mark = match c.change.as_str() {
            "added" => "+",
            "removed" => "-",
            _ => "~",
        };
        match (&c.part, &c.from, &c.to) {
            (Some(part), Some(x), Some(y)) => {
                println!("  {mark} {} {}: {part} {x:?} → {y:?}", c.element, c.subject)
            }
            _ => println!("  {mark} {} {}", c.element, c.subject),
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn signoff(
    path: &Path,
    workflow: &str,
    version: i64,
    name: &str,
    role: &str,
    decision: &str,
    comment: &str,
    date: Option<&str>,
) -> CmdResult {
    let decision = baton::model::Decision::parse(decision).ok_or_else(|| {
        Failure::Usage(format!("--decision {decision}: use {}", baton::model::Decision::expected()))
    })?;
    let mut project = open_for_writing(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let m = project.model()?;
    let version_id = baton::design::pick_version(&m, &workflow, baton::design::Pick::Version(version))?;
    project.sign_off(&version_id, name, role, date, decision, comment)?;
    println!("Signed off {} by {name}: {}", version_label(&m, &version_id), decision.as_str());
    warn_phi_in("--comment", comment);
    Ok(())
}

/// The step of `workflow` named `step` (its id, or its name in any case).
fn find_step(project: &Project, workflow: &str, step: &str) -> Result<baton::model::Step, Failure> {
    let m = project.model()?;
    let steps: Vec<&baton::model::Step> = m.steps.iter().filter(|s| s.workflow_id == workflow).collect();
    steps
        .iter()
        .find(|s| s.id == step)
        .or_else(|| steps.iter().find(|s| s.name.trim().eq_ignore_ascii_case(step.trim())))
        .map(|s| (*s).clone())
        .ok_or_else(|| {
            let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
            baton::Error::NotFound(format!(
                "no step {step:?} in this workflow; its steps: {}",
                names.join(", ")
            ))
            .into()
        })
}

pub fn sla_set(path: &Path, workflow: &str, step: &str, within: &str, safety_critical: bool) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let step = find_step(&project, &workflow, step)?;
    project.set_service_level(&step.id, within, safety_critical)?;
    match (within.trim(), safety_critical) {
        ("", false) => println!("cleared the service level of “{}”", step.name),
        ("", true) => println!("“{}” is safety-critical, with no service level", step.name),
        (w, critical) => println!(
            "“{}” should be done within {}{}",
            step.name,
            baton::model::duration::for_people(baton::model::duration::parse_duration(w).unwrap_or(0)),
            if critical { " (safety-critical)" } else { "" }
        ),
    }
    Ok(())
}

pub fn sla_list(path: &Path, workflow: &str, as_json: bool) -> CmdResult {
    let project = open_for_reading(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let m = project.model()?;
    let rows: Vec<serde_json::Value> = m
        .steps
        .iter()
        .filter(|s| s.workflow_id == workflow && (!s.service_level.is_empty() || s.safety_critical))
        .map(|s| {
            let people = baton::model::duration::parse_duration(&s.service_level)
                .map(baton::model::duration::for_people)
                .unwrap_or_default();
            serde_json::json!({"step": s.id, "name": s.name, "within": s.service_level,
                "within_for_people": people, "safety_critical": s.safety_critical})
        })
        .collect();
    if as_json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        println!("no service levels set");
    }
    for r in &rows {
        let within = r["within_for_people"].as_str().unwrap_or_default();
        println!(
            "{}\t{}{}",
            r["name"].as_str().unwrap_or_default(),
            if within.is_empty() { "no service level".to_string() } else { format!("within {within}") },
            if r["safety_critical"] == true { "\tsafety-critical" } else { "" }
        );
    }
    Ok(())
}

pub fn signoffs(path: &Path, workflow: &str, as_json: bool) -> CmdResult {
    let project = open_for_reading(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let list = baton::design::signoffs(&project.model()?, &workflow);
    if as_json {
        return print_json(&list);
    }
    if list.is_empty() {
        println!("no sign-offs yet");
    }
    for s in &list {
        let broken = if s.intact { "" } else { "  BROKEN: the version changed after it was signed" };
        println!(
            "version {}  {}  {} ({})  {}  {}{broken}",
            s.version, s.signed_on, s.name, s.role, s.decision, s.comment
        );
    }
    Ok(())
}

pub fn metrics(
    path: &Path,
    workflow: &str,
    version: Option<i64>,
    compare: Option<i64>,
    as_json: bool,
) -> CmdResult {
    let project = open_for_reading(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let found = project.workflow_metrics(&workflow, version, compare.zip(version))?;
    if as_json {
        return print_json(&found);
    }
    if found.rows.is_empty() {
        println!(
            "no telemetry for {workflow}{}",
            version.map_or_else(String::new, |v| format!(" version {v}"))
        );
        return Ok(());
    }
    let dur =
        |s: Option<u64>| s.map_or_else(|| "-".to_string(), |s| baton::design::timer::measured(s as f64));
    println!(
        "{:<8} {:<32} {:>6} {:>6} {:>10} {:>10} {:>8} {:>8} {:>8}",
        "version", "step", "tasks", "open", "median", "p90", "reassign", "override", "escalate"
    );
    for r in found.rows.iter().filter(|r| r.role.is_empty() && r.facility.is_empty()) {
        println!(
            "{:<8} {:<32} {:>6} {:>6} {:>10} {:>10} {:>7.1}% {:>7.1}% {:>7.1}%",
            r.version,
            if r.step.is_empty() { "(all steps)" } else { &r.step },
            r.tasks,
            r.open,
            dur(r.complete_median_seconds),
            dur(r.complete_p90_seconds),
            r.reassignment_rate * 100.0,
            r.override_rate * 100.0,
            r.escalation_rate * 100.0
        );
    }
    for c in &found.comparison {
        let (from, to) = if c.metric.ends_with("_seconds") {
            (baton::design::timer::measured(c.from), baton::design::timer::measured(c.to))
        } else {
            (format!("{:.1}%", c.from * 100.0), format!("{:.1}%", c.to * 100.0))
        };
        println!(
            "{} {}: {from} → {to} ({}; {})",
            if c.step.is_empty() { "(all steps)" } else { &c.step },
            c.metric,
            c.evidence,
            if c.significant { "larger than the noise" } else { "within the noise" }
        );
    }
    Ok(())
}

/// The model of PROJECT and the id of the proposed version `--workflow`, `--version` / `--draft` name.
fn open_version(
    path: &Path,
    workflow: &str,
    pick: baton::design::Pick,
) -> Result<(baton::model::Model, String), Failure> {
    let project = open_for_reading(path)?;
    let workflow = find_workflow(&project, workflow)?;
    let m = project.model()?;
    let version = baton::design::pick_version(&m, &workflow, pick)?;
    Ok((m, version))
}

/// The facility `name` names (id or name, any case).
fn find_facility(m: &baton::model::Model, name: &str) -> Result<String, Failure> {
    m.facilities
        .iter()
        .find(|f| f.id.eq_ignore_ascii_case(name) || f.name.eq_ignore_ascii_case(name))
        .map(|f| f.id.clone())
        .ok_or_else(|| {
            let known: Vec<&str> = m.facilities.iter().map(|f| f.name.as_str()).collect();
            Failure::Error(Error::NotFound(format!(
                "no facility {name:?} in this project (facilities: {})",
                known.join(", ")
            )))
        })
}

pub fn report(
    path: &Path,
    format: &str,
    output: &Path,
    sections: &[String],
    facilities: &[String],
    workflows: &[String],
    date: Option<&str>,
) -> CmdResult {
    let format = baton::report::Format::parse(format).map_err(|e| Failure::Usage(e.to_string()))?;
    let sections = sections
        .iter()
        .map(|s| baton::report::Section::parse(s))
        .collect::<baton::Result<_>>()
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let date = match date.map(str::trim) {
        Some("today") => Some(baton::clock::now_rfc3339().chars().take(10).collect()),
        Some(d) => {
            d.parse::<jiff::civil::Date>()
                .map_err(|_| Failure::Usage(format!("--date {d:?}: write YYYY-MM-DD or today")))?;
            Some(d.to_string())
        }
        None => None,
    };
    let mut project = open_for_reading(path)?;
    let m = project.model()?;
    let options = baton::report::ReportOptions {
        sections,
        facilities: facilities.iter().map(|f| find_facility(&m, f)).collect::<Result<_, _>>()?,
        workflows: workflows.iter().map(|w| find_workflow(&project, w)).collect::<Result<_, _>>()?,
        date,
    };
    // The model read for the options above is the one reported on.
    let written = super::logs::with_progress("writing the report", |progress| {
        baton::report::write_report(&m, &options, format, output, progress)
    })?;
    baton::report::record_report(&mut project, format, output)?;
    for file in written {
        eprintln!("wrote {}", file.display());
    }
    warn_phi(&m);
    Ok(())
}

pub fn engagement(
    path: &Path,
    client: Option<&str>,
    authors: &[String],
    date: Option<&str>,
    as_json: bool,
) -> CmdResult {
    let changing = client.is_some() || !authors.is_empty() || date.is_some();
    let meta = if changing {
        let mut project = open_for_writing(path)?;
        let before = project.meta()?;
        let authors = if authors.is_empty() { before.authors.clone() } else { authors.to_vec() };
        project.set_engagement(
            client.unwrap_or(&before.client),
            &authors,
            date.unwrap_or(&before.report_date),
        )?;
        project.meta()?
    } else {
        open_for_reading(path)?.meta()?
    };
    if as_json {
        return print_json(&serde_json::json!({
            "name": meta.name,
            "client": meta.client,
            "authors": meta.authors,
            "report_date": meta.report_date,
        }));
    }
    println!("project: {}", meta.name);
    println!("client:  {}", if meta.client.is_empty() { "-" } else { &meta.client });
    println!("authors: {}", if meta.authors.is_empty() { "-".to_string() } else { meta.authors.join(", ") });
    println!(
        "date:    {}",
        if meta.report_date.is_empty() { "- (the latest date the project holds)" } else { &meta.report_date }
    );
    Ok(())
}

/// Warns (stderr) of free text that looks like a patient identifier, for the consultant to redact
/// before the report or export leaves the machine.
fn warn_phi(m: &baton::model::Model) {
    let found = baton::phi::scan_model(m);
    if found.is_empty() {
        return;
    }
    eprintln!(
        "warning: {} piece(s) of free text look like patient identifiers; redact them before sharing:",
        found.len()
    );
    for f in found {
        eprintln!("  {}: {}: {}", f.place, f.kind, f.text);
    }
}

/// Warns (stderr) of what looks like a patient identifier in text just entered with `flag`.
fn warn_phi_in(flag: &str, text: &str) {
    for (kind, found) in baton::phi::scan_text(text) {
        eprintln!(
            "warning: {flag} holds what looks like a {kind}: {found}; redact it with baton redact PROJECT {found:?}"
        );
    }
}

/// `baton phi`: the free text that looks like patient identifiers; exit 1 when there is some.
pub fn phi(path: &Path, as_json: bool) -> CmdResult {
    let found = baton::phi::scan_model(&open_for_reading(path)?.model()?);
    if as_json {
        print_json(&found)?;
    } else if found.is_empty() {
        println!("no free text looks like a patient identifier");
    } else {
        for f in &found {
            println!("{}: {}: {}", f.place, f.kind, f.text);
        }
    }
    if found.is_empty() { Ok(()) } else { Err(Failure::Found) }
}

/// `baton redact`: replaces each text with `[redacted]` wherever it is in the free text.
pub fn redact(path: &Path, texts: &[String]) -> CmdResult {
    let mut project = open_for_writing(path)?;
    let counts = project.redact(&texts.iter().map(String::as_str).collect::<Vec<_>>())?;
    for (text, fields) in texts.iter().zip(counts) {
        println!("redacted {text:?} in {fields} field{}", if fields == 1 { "" } else { "s" });
    }
    eprintln!(
        "redaction is permanent: undo cannot bring the text back, and no copy of it is left in the project file"
    );
    Ok(())
}

pub fn audit(path: &Path, as_json: bool) -> CmdResult {
    let entries = open_for_writing(path)?.audit()?;
    if as_json {
        return print_json(&entries);
    }
    if entries.is_empty() {
        println!("nothing imported, exported or reported yet");
    }
    for e in entries {
        println!("{}  {:<12} {:<14} {}", e.at, e.user, e.action, e.subject);
    }
    Ok(())
}

pub fn check(path: &Path, as_json: bool) -> CmdResult {
    let report = baton::store::check(path, passphrase().as_deref())?;
    if as_json {
        print_json(&report)?;
    } else if report.ok {
        println!(
            "{}: sound: a Baton project (schema version {}{}), and SQLite's integrity check found no problem",
            path.display(),
            report.schema_version.unwrap_or_default(),
            if report.encrypted { ", encrypted" } else { "" }
        );
    } else {
        println!(
            "{}: {} problem{} found in a copy of the file:",
            path.display(),
            report.problems.len(),
            if report.problems.len() == 1 { "" } else { "s" }
        );
        for problem in &report.problems {
            println!("- {problem}");
        }
        let damaged = report
            .problems
            .iter()
            .any(|p| p.starts_with("integrity check:") || p.starts_with("SQLite cannot read it"));
        if damaged {
            println!("the file itself was not changed; it is damaged: restore it from a backup or a bundle");
        } else {
            println!("the file itself was not changed");
        }
    }
    if report.ok { Ok(()) } else { Err(Failure::Found) }
}

pub fn purge(path: &Path) -> CmdResult {
    let mut project = open_for_writing(path)?;
    project.purge()?;
    eprintln!("purged {}: the undo history is empty and deleted content cannot be read back", path.display());
    Ok(())
}

/// `baton encrypt` (`to` = true) and `baton decrypt`.
pub fn encrypt(path: &Path, to: bool) -> CmdResult {
    let key = passphrase().ok_or_else(|| {
        Failure::Usage(format!(
            "set the passphrase in the environment variable BATON_PASSPHRASE (the one to {} with)",
            if to { "encrypt" } else { "open the project" }
        ))
    })?;
    if to {
        let mut project = Project::open(path).map_err(|e| match e.code() {
            baton::error::ErrorCode::Encrypted => {
                Failure::Usage(format!("{} is already encrypted", path.display()))
            }
            _ => Failure::Error(e),
        })?;
        project.set_passphrase(Some(&key))?;
        eprintln!(
            "encrypted {}: it opens only with the passphrase; keep it safe, it cannot be recovered",
            path.display()
        );
    } else {
        let mut project = open_for_writing(path)?;
        if !project.is_encrypted() {
            return Err(Failure::Usage(format!("{} is not encrypted", path.display())));
        }
        project.set_passphrase(None)?;
        eprintln!("decrypted {}: the file is plain again", path.display());
    }
    Ok(())
}
