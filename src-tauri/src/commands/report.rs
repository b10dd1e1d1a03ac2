//! The findings report, and what must be redacted before it leaves.

use std::path::PathBuf;

use baton::phi::PhiMatch;
use baton::report::Section;
use baton::views::project::ProjectView;
use baton::views::report::ReportFormat;
use tauri::State;

use super::{Answer, AppState, WorkState, long_read, view, with_session};

/// Writes the findings report to `path` with the chosen chapters, facilities and workflows
/// (empty: all); returns the files written. Long work: cancelled, it writes and records nothing.
#[tauri::command(async)]
#[specta::specta]
pub fn write_report(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    format: ReportFormat,
    path: String,
    sections: Vec<Section>,
    facilities: Vec<String>,
    workflows: Vec<String>,
) -> Answer<Vec<String>> {
    let path = PathBuf::from(path);
    let written = long_read(&state, &work, "Writing the report", |m, progress| {
        Ok(baton::views::report::write(&m, &sections, facilities, workflows, format, &path, progress)?)
    })?;
    with_session(&state, |s| Ok(baton::report::record_report(s.project()?, format.format(), &path)?))?;
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

/// The folder a report goes to by default: beside the project file, or the user's Documents
/// folder when the project lives in the app's data folder.
#[tauri::command]
#[specta::specta]
pub fn report_folder<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<String> {
    use tauri::Manager;
    let documents = app.path().document_dir().ok().or_else(|| app.path().home_dir().ok());
    with_session(&state, |s| Ok(s.report_folder(documents).display().to_string()))
}

/// Opens a file the app wrote (a report) in the program the system uses for it, or, with
/// `reveal`, shows its folder.
#[tauri::command]
#[specta::specta]
pub fn open_path(path: String, reveal: bool) -> Answer<()> {
    let path = PathBuf::from(path);
    if !path.exists() {
        return Err(baton::Error::NotFound(format!("{} is no longer there", path.display())).into());
    }
    let target = if reveal { path.parent().map(PathBuf::from).unwrap_or(path) } else { path };
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(&target)
        .spawn()
        .map(|_| ())
        .map_err(|e| baton::Error::io(&target, e).into())
}

/// Free text of the project that looks like a patient identifier, shown before a report is
/// written so the consultant can redact it.
#[tauri::command]
#[specta::specta]
pub fn phi_scan(state: State<'_, AppState>) -> Answer<Vec<PhiMatch>> {
    with_session(&state, |s| Ok(baton::views::report::phi_scan(&s.project()?.model()?)))
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
