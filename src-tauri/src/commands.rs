//! Tauri commands: each converts its arguments, calls the core, and converts the result or error.
//! No business logic lives here (see ARCHITECTURE.md).

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use baton::diagram::{CommentInput, Which};
use baton::layout::Orientation;
use baton::model::{CommentTarget, StateKind, StepKind};
use baton::progress::Progress;
use baton::session::Session;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::dto::{
    AppError, CommentView, ComparisonView, Created, DiagramView, FindingView, ImportDone, ImportKindDto,
    ImportPreview, ImportSettings, InterviewFields, InterviewSheet, MatrixView, PhiMatchView, ProjectView,
    ProposalView, StatementFields, TelemetryView, TransitionFields, WorkProgress, WorkflowMap,
};

/// The app's one session, behind a lock because commands run on several threads.
#[derive(Debug)]
pub struct AppState(pub Mutex<Session>);

type Answer<T> = Result<T, AppError>;

fn with_session<T>(state: &State<'_, AppState>, f: impl FnOnce(&mut Session) -> Answer<T>) -> Answer<T> {
    let mut session = state.0.lock().map_err(|_| AppError {
        code: "internal".into(),
        message: "the session lock was poisoned; restart Baton".into(),
    })?;
    f(&mut session)
}

fn view(session: &mut Session) -> Answer<ProjectView> {
    ProjectView::of(session.project()?)
}

/// Opens the project to show at start (last one, or the sample on first start).
#[tauri::command]
#[specta::specta]
pub fn start(state: State<'_, AppState>) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.start()?;
        view(s)
    })
}

/// The open project.
#[tauri::command]
#[specta::specta]
pub fn current_project(state: State<'_, AppState>) -> Answer<ProjectView> {
    with_session(&state, view)
}

/// Opens a `.baton` file.
#[tauri::command]
#[specta::specta]
pub fn open_project(state: State<'_, AppState>, path: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.open(&PathBuf::from(path))?;
        view(s)
    })
}

/// Creates a project file (empty, or from a template) and opens it.
#[tauri::command]
#[specta::specta]
pub fn new_project(
    state: State<'_, AppState>,
    path: String,
    name: String,
    template: Option<String>,
    passphrase: Option<String>,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.create(
            &PathBuf::from(path),
            &name,
            template.as_deref(),
            passphrase.as_deref().filter(|p| !p.is_empty()),
        )?;
        view(s)
    })
}

/// The encrypted project waiting for its passphrase (after `start` or `open_project` answered
/// with code `encrypted`).
#[tauri::command]
#[specta::specta]
pub fn locked_project(state: State<'_, AppState>) -> Answer<Option<String>> {
    with_session(&state, |s| Ok(s.locked().map(|p| p.display().to_string())))
}

/// Opens the waiting encrypted project with its passphrase.
#[tauri::command]
#[specta::specta]
pub fn unlock_project(state: State<'_, AppState>, passphrase: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.unlock(&passphrase)?;
        view(s)
    })
}

/// Encrypts the open project with `passphrase`, changes it, or (null) decrypts the project.
#[tauri::command]
#[specta::specta]
pub fn set_passphrase(state: State<'_, AppState>, passphrase: Option<String>) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.set_passphrase(passphrase.as_deref())?;
        view(s)
    })
}

/// Creates a project file from a bundle folder and opens it.
#[tauri::command]
#[specta::specta]
pub fn import_bundle(state: State<'_, AppState>, dir: String, path: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.import_bundle(&PathBuf::from(dir), &PathBuf::from(path))?;
        view(s)
    })
}

/// Writes the open project as a bundle folder; returns the number of files written.
#[tauri::command]
#[specta::specta]
pub fn export_bundle(state: State<'_, AppState>, dir: String) -> Answer<u32> {
    with_session(&state, |s| Ok(u32::try_from(s.export_bundle(&PathBuf::from(dir))?).unwrap_or(u32::MAX)))
}

/// Reverses the latest edit.
#[tauri::command]
#[specta::specta]
pub fn undo(state: State<'_, AppState>) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.undo()?;
        view(s)
    })
}

/// Re-applies the latest undone edit.
#[tauri::command]
#[specta::specta]
pub fn redo(state: State<'_, AppState>) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.redo()?;
        view(s)
    })
}

/// Adds a facility to the open project.
#[tauri::command]
#[specta::specta]
pub fn add_facility(state: State<'_, AppState>, name: String, timezone: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.add_facility(&name, &timezone)?;
        view(s)
    })
}

/// Adds a role (a swimlane) to the open project.
#[tauri::command]
#[specta::specta]
pub fn add_role(state: State<'_, AppState>, name: String, description: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.add_role(&name, &description)?;
        view(s)
    })
}

/// Recently opened project files, most recent first.
#[tauri::command]
#[specta::specta]
pub fn recent_projects(state: State<'_, AppState>) -> Answer<Vec<String>> {
    with_session(&state, |s| Ok(s.recent().iter().map(|p| p.display().to_string()).collect()))
}

/// The workflow templates a new project can start from.
#[tauri::command]
#[specta::specta]
pub fn templates() -> Vec<String> {
    baton::bundle::template_names()
}

/// Which native file dialog to show.
#[derive(Debug, Clone, Copy, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DialogKind {
    /// Choose an existing `.baton` file.
    OpenProject,
    /// Choose where to create a `.baton` file.
    SaveProject,
    /// Choose a folder (a bundle).
    Folder,
    /// Choose where to save a diagram (SVG or PNG).
    SaveDiagram,
    /// Choose an EMR export or event log to import.
    OpenSource,
    /// Choose where to save an export of a proposed version.
    SaveExport,
    /// Choose where to save the findings report.
    SaveReport,
}

/// Shows a native file dialog; `None` when the user cancels.
#[tauri::command]
#[specta::specta]
pub async fn choose_path<R: Runtime>(app: AppHandle<R>, kind: DialogKind, title: String) -> Option<String> {
    let dialog = app.dialog().file().set_title(title);
    let picked = tauri::async_runtime::spawn_blocking(move || match kind {
        DialogKind::OpenProject => dialog.add_filter("Baton project", &["baton"]).blocking_pick_file(),
        DialogKind::SaveProject => dialog.add_filter("Baton project", &["baton"]).blocking_save_file(),
        DialogKind::Folder => dialog.blocking_pick_folder(),
        DialogKind::SaveDiagram => {
            dialog.add_filter("SVG image", &["svg"]).add_filter("PNG image", &["png"]).blocking_save_file()
        }
        DialogKind::OpenSource => dialog
            .add_filter(
                "EMR exports and event logs",
                &["csv", "tsv", "txt", "xlsx", "xls", "json", "ndjson", "jsonl", "hl7", "xes", "gz"],
            )
            .add_filter("All files", &["*"])
            .blocking_pick_file(),
        DialogKind::SaveExport => dialog.blocking_save_file(),
        DialogKind::SaveReport => dialog
            .add_filter("PDF", &["pdf"])
            .add_filter("HTML", &["html"])
            .add_filter("Markdown", &["md"])
            .blocking_save_file(),
    })
    .await
    .ok()
    .flatten();
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}

fn created(s: &mut Session, id: String) -> Answer<Created> {
    Ok(Created { id, project: view(s)? })
}

/// One interview with its statements, for the capture screen.
#[tauri::command]
#[specta::specta]
pub fn interview_sheet(state: State<'_, AppState>, id: String) -> Answer<InterviewSheet> {
    with_session(&state, |s| InterviewSheet::of(&s.project()?.model()?, &id))
}

/// Adds an interview.
#[tauri::command]
#[specta::specta]
pub fn add_interview(state: State<'_, AppState>, fields: InterviewFields) -> Answer<Created> {
    with_session(&state, |s| {
        let id = s.project()?.add_interview(&fields.input())?;
        created(s, id)
    })
}

/// Changes an interview's details.
#[tauri::command]
#[specta::specta]
pub fn update_interview(
    state: State<'_, AppState>,
    id: String,
    fields: InterviewFields,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.update_interview(&id, &fields.input())?;
        view(s)
    })
}

/// Removes an interview and its statements.
#[tauri::command]
#[specta::specta]
pub fn remove_interview(state: State<'_, AppState>, id: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.remove_interview(&id)?;
        view(s)
    })
}

/// Adds a statement at the end of an interview.
#[tauri::command]
#[specta::specta]
pub fn add_statement(
    state: State<'_, AppState>,
    interview_id: String,
    fields: StatementFields,
) -> Answer<Created> {
    with_session(&state, |s| {
        let id = s.project()?.add_statement(&interview_id, &fields.input()?)?;
        created(s, id)
    })
}

/// Replaces a statement's fields.
#[tauri::command]
#[specta::specta]
pub fn update_statement(
    state: State<'_, AppState>,
    id: String,
    fields: StatementFields,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.update_statement(&id, &fields.input()?)?;
        view(s)
    })
}

/// Removes a statement.
#[tauri::command]
#[specta::specta]
pub fn remove_statement(state: State<'_, AppState>, id: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.remove_statement(&id)?;
        view(s)
    })
}

/// Adds a workflow.
#[tauri::command]
#[specta::specta]
pub fn add_workflow(state: State<'_, AppState>, name: String) -> Answer<Created> {
    with_session(&state, |s| {
        let id = s.project()?.add_workflow(&name, "")?;
        created(s, id)
    })
}

/// A workflow's consolidated current-state map with provenance, claims and suggestions.
#[tauri::command]
#[specta::specta]
pub fn workflow_map(state: State<'_, AppState>, id: String) -> Answer<WorkflowMap> {
    with_session(&state, |s| {
        let project = s.project()?;
        let m = project.model()?;
        let found = baton::findings::analyze_stored(&m)?;
        WorkflowMap::of(&m, &found, &id)
    })
}

/// Groups a workflow's statements that have no step yet.
#[tauri::command]
#[specta::specta]
pub fn consolidate(state: State<'_, AppState>, workflow_id: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.consolidate(&workflow_id)?;
        view(s)
    })
}

/// Merges step `from` into step `into`.
#[tauri::command]
#[specta::specta]
pub fn merge_steps(state: State<'_, AppState>, from: String, into: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.merge_steps(&from, &into)?;
        view(s)
    })
}

/// Takes statements out of their step into a new one.
#[tauri::command]
#[specta::specta]
pub fn split_step(state: State<'_, AppState>, statement_ids: Vec<String>, name: String) -> Answer<Created> {
    with_session(&state, |s| {
        let id = s.project()?.split_step(&statement_ids, &name)?;
        created(s, id)
    })
}

/// Records that two steps are different work (a rejected merge suggestion).
#[tauri::command]
#[specta::specta]
pub fn keep_steps_apart(state: State<'_, AppState>, first: String, second: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.keep_steps_apart(&first, &second)?;
        view(s)
    })
}

/// Renames a current-state step.
#[tauri::command]
#[specta::specta]
pub fn rename_step(state: State<'_, AppState>, id: String, name: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.rename_step(&id, &name)?;
        view(s)
    })
}

/// Every finding, sorted by severity, kind and title, with triage applied (long work).
#[tauri::command(async)]
#[specta::specta]
pub fn findings(state: State<'_, AppState>, work: State<'_, WorkState>) -> Answer<Vec<FindingView>> {
    long_read(&state, &work, "Analysing findings", model, |m, progress| {
        let found = baton::findings::analyze_stored_checked(&m, &Default::default(), progress)?;
        Ok(found.into_iter().map(FindingView::from).collect())
    })
}

/// Accepts (`accepted`), dismisses (`dismissed`, with a reason) or reopens (`open`) a finding.
#[tauri::command]
#[specta::specta]
pub fn triage_finding(
    state: State<'_, AppState>,
    id: String,
    status: String,
    reason: String,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        let status = baton::model::FindingStatus::parse(&status).ok_or_else(|| {
            AppError::from(baton::Error::invalid(
                "status",
                format!("{status:?} is not one of: {}", baton::model::FindingStatus::expected()),
            ))
        })?;
        s.project()?.triage_finding(&id, status, &reason)?;
        view(s)
    })
}

fn orientation(vertical: bool) -> Orientation {
    if vertical { Orientation::Vertical } else { Orientation::Horizontal }
}

/// The current-state swimlane diagram of a workflow, laid out by the core.
#[tauri::command]
#[specta::specta]
pub fn diagram(state: State<'_, AppState>, workflow_id: String, vertical: bool) -> Answer<DiagramView> {
    with_session(&state, |s| {
        let m = s.project()?.model()?;
        let d = baton::diagram::diagram_of(&m, &workflow_id, Which::CurrentState, orientation(vertical))?;
        Ok(DiagramView::of(&d, &m))
    })
}

/// A step dropped with its top-left corner at (x, y) of the diagram's page.
#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
pub struct Drop {
    pub step_id: String,
    pub x: f64,
    pub y: f64,
}

/// Moves dropped steps, in one edit: each keeps its drop position and takes the lane under it
/// (its owner changes when that is another role's lane).
#[tauri::command]
#[specta::specta]
pub fn drop_steps(
    state: State<'_, AppState>,
    workflow_id: String,
    vertical: bool,
    drops: Vec<Drop>,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        let drops: Vec<(String, f64, f64)> = drops.into_iter().map(|d| (d.step_id, d.x, d.y)).collect();
        s.project()?.drop_steps(&workflow_id, orientation(vertical), &drops)?;
        view(s)
    })
}

/// Forgets the positions set by hand in a workflow's diagram.
#[tauri::command]
#[specta::specta]
pub fn auto_layout(state: State<'_, AppState>, workflow_id: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.auto_layout(&workflow_id)?;
        view(s)
    })
}

/// Sets the order of a workflow's lanes (role ids).
#[tauri::command]
#[specta::specta]
pub fn set_lane_order(
    state: State<'_, AppState>,
    workflow_id: String,
    roles: Vec<String>,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.set_lane_order(&workflow_id, &roles)?;
        view(s)
    })
}

/// Adds a step drawn by hand (`task` or `decision`) to a lane ("" for unassigned).
#[tauri::command]
#[specta::specta]
pub fn add_step(
    state: State<'_, AppState>,
    workflow_id: String,
    name: String,
    kind: String,
    lane: String,
) -> Answer<Created> {
    with_session(&state, |s| {
        let kind = StepKind::parse(&kind).ok_or_else(|| AppError {
            code: "invalid_input".into(),
            message: format!("kind: {kind:?} is not a step kind; use {}", StepKind::expected()),
        })?;
        let id = s.project()?.add_step(&workflow_id, &name, kind, &lane, None)?;
        created(s, id)
    })
}

/// Deletes a step drawn by hand.
#[tauri::command]
#[specta::specta]
pub fn remove_step(state: State<'_, AppState>, id: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.remove_step(&id)?;
        view(s)
    })
}

/// Connects two steps with a handoff.
#[tauri::command]
#[specta::specta]
pub fn add_handoff(state: State<'_, AppState>, from: String, to: String) -> Answer<Created> {
    with_session(&state, |s| {
        let id = s.project()?.add_handoff(&from, &to, "")?;
        created(s, id)
    })
}

/// Deletes a handoff drawn by hand.
#[tauri::command]
#[specta::specta]
pub fn remove_handoff(state: State<'_, AppState>, id: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.remove_handoff(&id)?;
        view(s)
    })
}

/// The review comments on a workflow's steps and handoffs.
#[tauri::command]
#[specta::specta]
pub fn comments(state: State<'_, AppState>, workflow_id: String) -> Answer<Vec<CommentView>> {
    with_session(&state, |s| Ok(CommentView::list(&s.project()?.model()?, &workflow_id)))
}

/// Pins a comment to a step or handoff (`target` is `step` or `handoff`).
#[tauri::command]
#[specta::specta]
pub fn add_comment(
    state: State<'_, AppState>,
    target: String,
    target_id: String,
    author_role_id: Option<String>,
    text: String,
) -> Answer<Created> {
    with_session(&state, |s| {
        let target = CommentTarget::parse(&target).ok_or_else(|| AppError {
            code: "invalid_input".into(),
            message: format!("target: {target:?} is not something a comment can be pinned to"),
        })?;
        let input = CommentInput {
            target,
            target_id,
            author_role_id: author_role_id.filter(|r| !r.is_empty()),
            text,
        };
        let id = s.project()?.add_comment(&input)?;
        created(s, id)
    })
}

/// Marks a comment resolved, or open again.
#[tauri::command]
#[specta::specta]
pub fn resolve_comment(state: State<'_, AppState>, id: String, resolved: bool) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.set_comment_resolved(&id, resolved)?;
        view(s)
    })
}

/// Writes the workflow's current-state diagram to `path` (.svg or .png).
#[tauri::command]
#[specta::specta]
pub fn export_diagram(
    state: State<'_, AppState>,
    workflow_id: String,
    vertical: bool,
    path: String,
) -> Answer<()> {
    with_session(&state, |s| {
        let d = s.project()?.diagram(&workflow_id, Which::CurrentState, orientation(vertical))?;
        baton::diagram::write_diagram(&d, &PathBuf::from(path))?;
        Ok(())
    })
}

/// The long work running (an import, the findings, a report, …), apart from the session so that
/// the progress bar and Cancel work while that work holds the session.
#[derive(Debug, Default)]
pub struct WorkState {
    running: Mutex<Option<Running>>,
    next: AtomicU64,
    /// Test hook (`--test-work-pause-ms=N`): long work waits this long, or until cancelled,
    /// before it starts, so that tests can cancel it at a known point.
    pub pause_ms: AtomicU64,
}

#[derive(Debug)]
struct Running {
    id: u64,
    label: String,
    progress: Progress,
}

impl WorkState {
    fn begin(&self, label: &str, progress: &Progress) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut slot) = self.running.lock() {
            *slot = Some(Running { id, label: label.to_string(), progress: progress.clone() });
        }
        id
    }

    fn end(&self, id: u64) {
        if let Ok(mut slot) = self.running.lock()
            && slot.as_ref().is_some_and(|r| r.id == id)
        {
            *slot = None;
        }
    }

    fn current(&self) -> Option<(String, Progress)> {
        self.running.lock().ok().and_then(|r| r.as_ref().map(|r| (r.label.clone(), r.progress.clone())))
    }

    fn pause(&self, progress: &Progress) {
        let until = std::time::Instant::now()
            + std::time::Duration::from_millis(self.pause_ms.load(Ordering::Relaxed));
        while std::time::Instant::now() < until && !progress.is_cancelled() {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// Runs long work (`label` says what it is) with a progress handle that `work_progress` follows
/// and `cancel_work` cancels. The commands that call it run on Tauri's thread pool, never on the
/// thread that draws the window.
fn tracked<T>(work: &State<'_, WorkState>, label: &str, f: impl FnOnce(&Progress) -> Answer<T>) -> Answer<T> {
    let progress = Progress::new();
    let id = work.begin(label, &progress);
    work.pause(&progress);
    let result = f(&progress);
    work.end(id);
    result
}

/// Long work that edits the project: it holds the session throughout.
fn long_edit<T>(
    state: &State<'_, AppState>,
    work: &State<'_, WorkState>,
    label: &str,
    f: impl FnOnce(&mut Session, &Progress) -> Answer<T>,
) -> Answer<T> {
    tracked(work, label, |progress| with_session(state, |s| f(s, progress)))
}

/// Long work that only reads: `read` takes what it needs from the project under the session's
/// lock (quickly), then `compute` runs without it, so the window's own commands never wait on it.
fn long_read<S, T>(
    state: &State<'_, AppState>,
    work: &State<'_, WorkState>,
    label: &str,
    read: impl FnOnce(&mut Session) -> Answer<S>,
    compute: impl FnOnce(S, &Progress) -> Answer<T>,
) -> Answer<T> {
    tracked(work, label, |progress| with_session(state, read).and_then(|read| compute(read, progress)))
}

fn model(s: &mut Session) -> Answer<baton::model::Model> {
    Ok(s.project()?.model()?)
}

/// The first rows of a source and the column mapping the import would use: the one given, else
/// the one remembered from the last import of a file of the same name, else guessed.
#[tauri::command]
#[specta::specta]
pub fn preview_import(
    state: State<'_, AppState>,
    kind: ImportKindDto,
    path: String,
    settings: ImportSettings,
) -> Answer<ImportPreview> {
    let path = PathBuf::from(path);
    let unset = settings.columns.iter().all(|c| c.column.is_none()) && settings.sheet.is_none();
    with_session(&state, |s| {
        match kind {
        ImportKindDto::Status => {
            let remembered = if unset { s.project()?.remembered_status(&path)? } else { None };
            let found = remembered.is_some();
            let options = match remembered {
                Some(r) => r,
                None => settings.status()?,
            };
            Ok(ImportPreview::of_status(baton::import::preview_status(&path, &options)?, found))
        }
        ImportKindDto::Log => {
            let remembered = if unset { s.project()?.remembered_log(&path)? } else { None };
            let found = remembered.is_some();
            let options = match remembered {
                Some(r) => r,
                None => settings.log()?,
            }
            .options(Default::default())?;
            Ok(ImportPreview::of_log(baton::mining::preview_log(&path, &options)?, found))
        }
        ImportKindDto::Telemetry => Err(AppError {
            code: "invalid_input".into(),
            message: "task telemetry has no preview: its columns are guessed from the headers, and the import says which it used".into(),
        }),
    }
    })
}

/// Imports a source into the open project, in one undoable edit; `work_progress` and
/// `cancel_work` follow and stop it. A failed or cancelled import changes nothing.
#[tauri::command]
#[specta::specta]
pub async fn run_import(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    kind: ImportKindDto,
    path: String,
    settings: ImportSettings,
) -> Answer<ImportDone> {
    let path = PathBuf::from(path);
    long_edit(&state, &work, "Importing", |s, progress| {
        let summary = match kind {
            ImportKindDto::Status => s.project()?.import_status(&path, &settings.status()?, progress)?,
            ImportKindDto::Log => {
                let roles = settings.resource_roles()?;
                s.project()?.import_log(&path, &settings.log()?, roles, progress)?
            }
            ImportKindDto::Telemetry => {
                s.project()?.import_telemetry(&path, &settings.telemetry()?, progress)?
            }
        };
        let lines = summary.lines();
        let flagged = summary.flagged.into_iter().map(Into::into).collect();
        Ok(ImportDone { summary: lines, flagged, project: view(s)? })
    })
}

/// How far the running long work is.
#[tauri::command]
#[specta::specta]
pub fn work_progress(work: State<'_, WorkState>) -> WorkProgress {
    match work.current() {
        Some((label, p)) => {
            let (done, total) = p.position();
            WorkProgress {
                running: true,
                label,
                fraction: (total > 0).then(|| (done as f64 / total as f64).min(1.0)),
            }
        }
        None => WorkProgress { running: false, label: String::new(), fraction: None },
    }
}

/// Stops the running long work at its next check; it changes nothing.
#[tauri::command]
#[specta::specta]
pub fn cancel_work(work: State<'_, WorkState>) {
    if let Some((_, p)) = work.current() {
        p.cancel();
    }
}

/// The mapping matrix: EMR values × business states × facility.
#[tauri::command]
#[specta::specta]
pub fn mapping_matrix(state: State<'_, AppState>) -> Answer<MatrixView> {
    with_session(&state, |s| Ok(s.project()?.mapping_matrix()?.into()))
}

/// Maps an EMR value to a state at one facility or at all (`facility_id` null); a null
/// `state_id` removes the mapping there.
#[tauri::command]
#[specta::specta]
pub fn set_mapping(
    state: State<'_, AppState>,
    value_id: String,
    facility_id: Option<String>,
    state_id: Option<String>,
    note: String,
) -> Answer<MatrixView> {
    with_session(&state, |s| {
        let p = s.project()?;
        p.set_mapping(&value_id, facility_id.as_deref(), state_id.as_deref(), &note)?;
        Ok(p.mapping_matrix()?.into())
    })
}

/// Adds a business state to a workflow.
#[tauri::command]
#[specta::specta]
pub fn add_business_state(
    state: State<'_, AppState>,
    workflow_id: String,
    name: String,
    meaning: String,
) -> Answer<MatrixView> {
    with_session(&state, |s| {
        let p = s.project()?;
        p.add_business_state(&workflow_id, &name, &meaning)?;
        Ok(p.mapping_matrix()?.into())
    })
}

fn proposal(s: &mut Session, workflow_id: &str, version_id: Option<&str>) -> Answer<ProposalView> {
    ProposalView::of(&s.project()?.model()?, workflow_id, version_id)
}

/// A workflow's proposed versions and one of them (`version_id`, else the draft or the latest)
/// with its states, transitions, problems, replay and diagram.
/// Long work: the replay goes through every kept variant of every log.
#[tauri::command(async)]
#[specta::specta]
pub fn proposal_view(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    workflow_id: String,
    version_id: Option<String>,
) -> Answer<ProposalView> {
    long_read(&state, &work, "Replaying the event logs", model, |m, progress| {
        ProposalView::of_checked(&m, &workflow_id, version_id.as_deref(), progress)
    })
}

/// Starts (or opens) the workflow's draft, a copy of its latest published version.
#[tauri::command]
#[specta::specta]
pub fn start_draft(state: State<'_, AppState>, workflow_id: String) -> Answer<ProposalView> {
    with_session(&state, |s| {
        let draft = s.project()?.start_draft(&workflow_id)?;
        proposal(s, &workflow_id, Some(&draft))
    })
}

/// Proposes a draft from the workflow's business states and findings; the consultant then edits
/// it (owners of contested steps and escalation roles are left to choose).
#[tauri::command]
#[specta::specta]
pub fn propose_draft(state: State<'_, AppState>, workflow_id: String) -> Answer<ProposalView> {
    with_session(&state, |s| {
        let report = s.project()?.propose_from_findings(&workflow_id, &Default::default())?;
        proposal(s, &workflow_id, Some(&report.version_id))
    })
}

/// Publishes the draft as the next version when it is valid.
#[tauri::command]
#[specta::specta]
pub fn publish_draft(state: State<'_, AppState>, workflow_id: String, note: String) -> Answer<ProposalView> {
    with_session(&state, |s| {
        s.project()?.publish_draft(&workflow_id, &note)?;
        proposal(s, &workflow_id, None)
    })
}

fn state_kind(kind: &str) -> Answer<StateKind> {
    StateKind::parse(kind).ok_or_else(|| AppError {
        code: "invalid_input".into(),
        message: format!("unknown state kind {kind:?}: use {}", StateKind::expected()),
    })
}

/// Adds a state to a draft.
#[tauri::command]
#[specta::specta]
pub fn add_state(
    state: State<'_, AppState>,
    workflow_id: String,
    version_id: String,
    name: String,
    kind: String,
    meaning: String,
) -> Answer<ProposalView> {
    with_session(&state, |s| {
        s.project()?.add_state(&version_id, &name, state_kind(&kind)?, &meaning)?;
        proposal(s, &workflow_id, Some(&version_id))
    })
}

/// Changes a state of a draft.
#[tauri::command]
#[specta::specta]
pub fn update_state(
    state: State<'_, AppState>,
    workflow_id: String,
    version_id: String,
    id: String,
    name: String,
    kind: String,
    meaning: String,
) -> Answer<ProposalView> {
    with_session(&state, |s| {
        s.project()?.update_state(&id, &name, state_kind(&kind)?, &meaning)?;
        proposal(s, &workflow_id, Some(&version_id))
    })
}

/// What of a draft `remove_from_draft` removes.
#[derive(Debug, Clone, Copy, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DraftPart {
    /// A state, with the transitions into and out of it.
    State,
    Transition,
}

/// Removes a state or a transition from a draft.
#[tauri::command]
#[specta::specta]
pub fn remove_from_draft(
    state: State<'_, AppState>,
    workflow_id: String,
    version_id: String,
    part: DraftPart,
    id: String,
) -> Answer<ProposalView> {
    with_session(&state, |s| {
        match part {
            DraftPart::State => s.project()?.remove_state(&id)?,
            DraftPart::Transition => s.project()?.remove_transition(&id)?,
        }
        proposal(s, &workflow_id, Some(&version_id))
    })
}

/// Adds a transition to a draft (`id` null) or changes one.
#[tauri::command]
#[specta::specta]
pub fn save_transition(
    state: State<'_, AppState>,
    workflow_id: String,
    version_id: String,
    id: Option<String>,
    fields: TransitionFields,
) -> Answer<ProposalView> {
    with_session(&state, |s| {
        match &id {
            Some(id) => s.project()?.update_transition(id, &fields.input())?,
            None => {
                s.project()?.add_transition(&version_id, &fields.input())?;
            }
        }
        proposal(s, &workflow_id, Some(&version_id))
    })
}

/// Adds an event to the catalog or changes one: description, fields (`name: kind` with kind
/// number, string or boolean) and the log activities that signal it.
#[tauri::command]
#[specta::specta]
pub fn save_event(
    state: State<'_, AppState>,
    workflow_id: String,
    version_id: Option<String>,
    name: String,
    description: String,
    fields: Vec<String>,
    activities: Vec<String>,
) -> Answer<ProposalView> {
    with_session(&state, |s| {
        let mut typed = Vec::new();
        for f in fields.iter().filter(|f| !f.trim().is_empty()) {
            let (field, kind) = f.split_once(':').unwrap_or((f.as_str(), "string"));
            let kind = baton::model::FieldKind::parse(kind.trim()).ok_or_else(|| AppError {
                code: "invalid_input".into(),
                message: format!("fields: {f:?}: the type is one of {}", baton::model::FieldKind::expected()),
            })?;
            typed.push((field.trim().to_string(), kind));
        }
        s.project()?.save_event(&name, &description, &typed, &activities)?;
        proposal(s, &workflow_id, version_id.as_deref())
    })
}

/// Records a clinical lead's sign-off of a published version (`date` YYYY-MM-DD, or today).
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)]
pub fn sign_off(
    state: State<'_, AppState>,
    workflow_id: String,
    version_id: String,
    name: String,
    role: String,
    date: Option<String>,
    decision: String,
    comment: String,
) -> Answer<ProposalView> {
    with_session(&state, |s| {
        let decision = baton::model::Decision::parse(&decision).ok_or_else(|| AppError {
            code: "invalid_input".into(),
            message: format!("decision: use {}", baton::model::Decision::expected()),
        })?;
        s.project()?.sign_off(&version_id, &name, &role, date.as_deref(), decision, &comment)?;
        proposal(s, &workflow_id, Some(&version_id))
    })
}

/// Compares version `from_id` with `to_id` of a workflow.
#[tauri::command]
#[specta::specta]
pub fn compare_versions(
    state: State<'_, AppState>,
    workflow_id: String,
    from_id: String,
    to_id: String,
) -> Answer<ComparisonView> {
    with_session(&state, |s| ComparisonView::of(&s.project()?.model()?, &workflow_id, &from_id, &to_id))
}

/// Task metrics of a workflow from the imported telemetry (one version, or all), and a
/// comparison with another version (long work).
#[tauri::command(async)]
#[specta::specta]
pub fn telemetry_view(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    workflow_id: String,
    version: Option<u32>,
    compare: Option<u32>,
) -> Answer<TelemetryView> {
    long_read(&state, &work, "Computing task metrics", model, |m, progress| {
        let groups = baton::telemetry::step_labels(&m, &workflow_id);
        TelemetryView::of(&groups, &workflow_id, version, compare, progress)
    })
}

/// Writes a version in an export format (`bpmn`, `serverless-workflow`, …) to `path`.
#[tauri::command]
#[specta::specta]
pub fn export_version(
    state: State<'_, AppState>,
    version_id: String,
    format: String,
    path: String,
) -> Answer<()> {
    with_session(&state, |s| {
        let path = PathBuf::from(path);
        let format = baton::export::Format::parse(&format, &path)?;
        s.project()?.export_version(&version_id, format, &path)?;
        Ok(())
    })
}

/// Sets the engagement details the report's title page shows.
#[tauri::command]
#[specta::specta]
pub fn set_engagement(
    state: State<'_, AppState>,
    client: String,
    authors: Vec<String>,
    report_date: String,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.set_engagement(&client, &authors, &report_date)?;
        view(s)
    })
}

/// Writes the findings report (`html`, `pdf` or `md`) to `path` with the chosen chapters,
/// facilities and workflows (empty: all); returns the files written. Long work: cancelled, it
/// writes and records nothing.
#[tauri::command(async)]
#[specta::specta]
pub fn write_report(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    format: String,
    path: String,
    sections: Vec<String>,
    facilities: Vec<String>,
    workflows: Vec<String>,
) -> Answer<Vec<String>> {
    let format = baton::report::Format::parse(&format)?;
    let options = baton::report::ReportOptions {
        sections: sections.iter().map(|n| baton::report::Section::parse(n)).collect::<baton::Result<_>>()?,
        facilities,
        workflows,
        date: None,
    };
    let path = PathBuf::from(path);
    let written = long_read(&state, &work, "Writing the report", model, |m, progress| {
        Ok(baton::report::write_report_of(&m, &options, format, &path, progress)?)
    })?;
    with_session(&state, |s| Ok(baton::report::record_report(s.project()?, format, &path)?))?;
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

/// Free text of the project that looks like a patient identifier, shown before a report is
/// written so the consultant can redact it.
#[tauri::command]
#[specta::specta]
pub fn phi_scan(state: State<'_, AppState>) -> Answer<Vec<PhiMatchView>> {
    with_session(&state, |s| {
        Ok(baton::phi::scan_model(&s.project()?.model()?).into_iter().map(Into::into).collect())
    })
}

/// What in `text` looks like a patient identifier, checked as the user types (place left empty).
#[tauri::command]
#[specta::specta]
pub fn phi_check(text: String) -> Vec<PhiMatchView> {
    baton::phi::scan_text(&text)
        .into_iter()
        .map(|(kind, text)| PhiMatchView { place: String::new(), kind: kind.to_string(), text })
        .collect()
}

/// Replaces each of `texts` with `[redacted]` wherever it is in the project's free text (one edit).
#[tauri::command]
#[specta::specta]
pub fn redact_phi(state: State<'_, AppState>, texts: Vec<String>) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.redact(&texts.iter().map(String::as_str).collect::<Vec<_>>())?;
        view(s)
    })
}

/// Purges the project before it is handed over: empties the undo history and vacuums the file.
#[tauri::command]
#[specta::specta]
pub fn purge_project(state: State<'_, AppState>) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.purge()?;
        view(s)
    })
}
