//! The project: open, create, lock, undo, the home screen's lists, long work and file dialogs.

use std::path::PathBuf;

use baton::views::activity::WorkProgress;
use baton::views::findings::FindingCounts;
use baton::views::project::ProjectView;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::{Answer, AppState, WorkState, long_read, view, with_session};

/// Opens the project to show at start (last one, or the sample on first start).
#[tauri::command]
#[specta::specta]
pub fn start(state: State<'_, AppState>) -> Answer<ProjectView> {
    // A .baton file on the command line: the file manager opened the app on it.
    let launched = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-') && a.to_ascii_lowercase().ends_with(".baton"))
        .map(PathBuf::from);
    with_session(&state, |s| {
        s.start_with(launched.as_deref())?;
        view(s)
    })
}

/// The open project.
#[tauri::command]
#[specta::specta]
pub fn current_project(state: State<'_, AppState>) -> Answer<ProjectView> {
    with_session(&state, view)
}

/// How many findings there are and how many are open (long work: the whole analysis).
#[tauri::command(async)]
#[specta::specta]
pub fn finding_counts(state: State<'_, AppState>, work: State<'_, WorkState>) -> Answer<FindingCounts> {
    long_read(&state, &work, "Analysing findings", |m, progress| {
        Ok(baton::views::findings::counts(&m, progress)?)
    })
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
        let passphrase = passphrase.as_deref().filter(|p| !p.is_empty());
        s.create(&PathBuf::from(path), &name, template.as_deref(), passphrase)?;
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
pub fn export_bundle(state: State<'_, AppState>, dir: String) -> Answer<usize> {
    with_session(&state, |s| Ok(s.export_bundle(&PathBuf::from(dir))?))
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

/// Changes a facility's time zone.
#[tauri::command]
#[specta::specta]
pub fn set_facility_timezone(
    state: State<'_, AppState>,
    id: String,
    timezone: String,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.set_facility_timezone(&id, &timezone)?;
        view(s)
    })
}

/// Renames a facility.
#[tauri::command]
#[specta::specta]
pub fn rename_facility(state: State<'_, AppState>, id: String, name: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.rename_facility(&id, &name)?;
        view(s)
    })
}

/// Removes a facility no interview was held at.
#[tauri::command]
#[specta::specta]
pub fn remove_facility(state: State<'_, AppState>, id: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.remove_facility(&id)?;
        view(s)
    })
}

/// Every time zone a facility may be in, sorted.
#[tauri::command]
#[specta::specta]
pub fn timezones() -> Vec<String> {
    baton::store::timezones()
}

/// What refers to a role, in words ("3 interviews", "2 lane steps").
#[tauri::command]
#[specta::specta]
pub fn role_uses(state: State<'_, AppState>, id: String) -> Answer<Vec<String>> {
    with_session(&state, |s| Ok(s.project()?.role_uses(&id)?))
}

/// Renames a role.
#[tauri::command]
#[specta::specta]
pub fn rename_role(state: State<'_, AppState>, id: String, name: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.rename_role(&id, &name)?;
        view(s)
    })
}

/// Removes a role nothing refers to.
#[tauri::command]
#[specta::specta]
pub fn remove_role(state: State<'_, AppState>, id: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.remove_role(&id)?;
        view(s)
    })
}

/// Merges a role into another, as one undoable edit.
#[tauri::command]
#[specta::specta]
pub fn merge_role(state: State<'_, AppState>, from: String, into: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.merge_role(&from, &into)?;
        view(s)
    })
}

/// Adds the workflows of a template to the open project.
#[tauri::command]
#[specta::specta]
pub fn add_workflow_from_template(state: State<'_, AppState>, template: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.add_workflow_from_template(&template)?;
        view(s)
    })
}

/// Renames a workflow and sets its description.
#[tauri::command]
#[specta::specta]
pub fn update_workflow(
    state: State<'_, AppState>,
    id: String,
    name: String,
    description: String,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.update_workflow(&id, &name, &description)?;
        view(s)
    })
}

/// What a workflow holds ("6 steps", "9 interview statements"): what deleting it takes away.
#[tauri::command]
#[specta::specta]
pub fn workflow_uses(state: State<'_, AppState>, id: String) -> Answer<Vec<String>> {
    with_session(&state, |s| Ok(s.project()?.workflow_uses(&id)?))
}

/// Deletes a workflow with everything in it, as one undoable edit.
#[tauri::command]
#[specta::specta]
pub fn remove_workflow(state: State<'_, AppState>, id: String) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.remove_workflow(&id)?;
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

/// Purges the project before it is handed over: empties the undo history and vacuums the file.
#[tauri::command]
#[specta::specta]
pub fn purge_project(state: State<'_, AppState>) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.purge()?;
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

/// How far the running long work is.
#[tauri::command]
#[specta::specta]
pub fn work_progress(work: State<'_, WorkState>) -> WorkProgress {
    let running = work.current();
    baton::views::activity::work(running.as_ref().map(|(label, p)| (label.as_str(), p)))
}

/// Stops the running long work at its next check; it changes nothing.
#[tauri::command]
#[specta::specta]
pub fn cancel_work(work: State<'_, WorkState>) {
    if let Some((_, p)) = work.current() {
        p.cancel();
    }
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
    /// Choose a partial log aggregate (JSON or CSV) to merge.
    OpenAggregate,
    /// Choose where to save an export of a proposed version.
    SaveExport,
    /// Choose where to save the findings report.
    SaveReport,
    /// Choose where to save the findings list (Excel or CSV).
    SaveFindings,
    /// Choose where to save a review packet (HTML).
    SaveReview,
    /// Choose a review saved from a review packet.
    OpenReview,
}

/// Zooms the whole window's content (Ctrl+plus, Ctrl+minus, Ctrl+0): `scale` 1 is actual size,
/// kept between 50 % and 200 %. The UI remembers the choice.
#[tauri::command]
#[specta::specta]
pub fn set_zoom<R: Runtime>(window: tauri::WebviewWindow<R>, scale: f64) {
    let scale = if scale.is_finite() { scale.clamp(0.5, 2.0) } else { 1.0 };
    let _ = window.set_zoom(scale);
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
                &[
                    "csv", "tsv", "txt", "xlsx", "xls", "json", "ndjson", "jsonl", "hl7", "xes", "gz",
                    "parquet",
                ],
            )
            .add_filter("All files", &["*"])
            .blocking_pick_file(),
        DialogKind::OpenAggregate => dialog
            .add_filter("Log aggregates", &["json", "jsonl", "ndjson", "csv"])
            .add_filter("All files", &["*"])
            .blocking_pick_file(),
        DialogKind::SaveExport => dialog.blocking_save_file(),
        DialogKind::SaveReport => dialog
            .add_filter("PDF", &["pdf"])
            .add_filter("HTML", &["html"])
            .add_filter("Markdown", &["md"])
            .blocking_save_file(),
        DialogKind::SaveFindings => {
            dialog.add_filter("Excel workbook", &["xlsx"]).add_filter("CSV", &["csv"]).blocking_save_file()
        }
        DialogKind::SaveReview => dialog.add_filter("Review packet (HTML)", &["html"]).blocking_save_file(),
        DialogKind::OpenReview => {
            dialog.add_filter("Saved review", &["json"]).add_filter("All files", &["*"]).blocking_pick_file()
        }
    })
    .await
    .ok()
    .flatten();
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}
