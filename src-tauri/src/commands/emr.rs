//! EMR data: imports (status exports, event logs, task telemetry) and the mapping matrix.

use std::path::PathBuf;

use baton::views::emr::{MappingMatrix, MatrixFilter};
use baton::views::imports::{ImportDone, ImportPreview, ImportSettings, ImportSource};
use tauri::State;

use super::{Answer, AppState, WorkState, long_edit, with_session};

/// The first rows of a source and the column mapping the import would use: the one given, else
/// the one remembered from the last import of a file of the same name, else guessed.
#[tauri::command]
#[specta::specta]
pub fn preview_import(
    state: State<'_, AppState>,
    kind: ImportSource,
    path: String,
    settings: ImportSettings,
) -> Answer<ImportPreview> {
    with_session(&state, |s| {
        Ok(baton::views::imports::preview(s.project()?, kind, &PathBuf::from(path), &settings)?)
    })
}

/// Imports a source into the open project, in one undoable edit; `work_progress` and
/// `cancel_work` follow and stop it. A failed or cancelled import changes nothing.
#[tauri::command]
#[specta::specta]
pub async fn run_import(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    kind: ImportSource,
    path: String,
    settings: ImportSettings,
) -> Answer<ImportDone> {
    long_edit(&state, &work, "Importing", |s, progress| {
        Ok(baton::views::imports::import(s.project()?, kind, &PathBuf::from(path), &settings, progress)?)
    })
}

/// Merges partial log aggregates (from `baton discover --partial` or a warehouse query) into the
/// open project as one log, in one undoable edit; a failed import changes nothing.
#[tauri::command]
#[specta::specta]
pub async fn run_aggregate_import(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    paths: Vec<String>,
    name: Option<String>,
    allow_identifiers: Vec<String>,
) -> Answer<ImportDone> {
    let paths: Vec<PathBuf> = paths.iter().map(|p| PathBuf::from(p.trim())).collect();
    long_edit(&state, &work, "Importing", |s, progress| {
        Ok(baton::views::imports::import_aggregate(
            s.project()?,
            &paths,
            name.as_deref(),
            &allow_identifiers,
            progress,
        )?)
    })
}

fn matrix(s: &mut baton::session::Session, filter: &MatrixFilter) -> Answer<MappingMatrix> {
    Ok(baton::views::emr::matrix_filtered(&s.project()?.model()?, filter)?)
}

/// The mapping matrix: EMR values × business states × facility, the values `filter` lets through.
#[tauri::command]
#[specta::specta]
pub fn mapping_matrix(state: State<'_, AppState>, filter: MatrixFilter) -> Answer<MappingMatrix> {
    with_session(&state, |s| matrix(s, &filter))
}

/// Maps a value to one state at every facility, replacing its facility-specific mappings.
#[tauri::command]
#[specta::specta]
pub fn map_everywhere(
    state: State<'_, AppState>,
    value_id: String,
    state_id: String,
    filter: MatrixFilter,
) -> Answer<MappingMatrix> {
    with_session(&state, |s| {
        s.project()?.map_everywhere(&value_id, &state_id)?;
        matrix(s, &filter)
    })
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
    filter: MatrixFilter,
) -> Answer<MappingMatrix> {
    with_session(&state, |s| {
        s.project()?.set_mapping(&value_id, facility_id.as_deref(), state_id.as_deref(), &note)?;
        matrix(s, &filter)
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
    filter: MatrixFilter,
) -> Answer<MappingMatrix> {
    with_session(&state, |s| {
        s.project()?.add_business_state(&workflow_id, &name, &meaning)?;
        matrix(s, &filter)
    })
}

/// The process map of an imported event log, narrowed and measured as `options` ask. Drawn from
/// the aggregates the project keeps; the log file is not read again.
#[tauri::command]
#[specta::specta]
pub fn process_map(
    state: State<'_, AppState>,
    log_id: String,
    options: baton::views::emr::MapOptions,
) -> Answer<baton::views::emr::ProcessMapView> {
    with_session(&state, |s| Ok(baton::views::emr::process_map(&s.project()?.model()?, &log_id, &options)?))
}

/// Writes the process map, as shown, to `path` (.svg or .png).
#[tauri::command]
#[specta::specta]
pub fn export_process_map(
    state: State<'_, AppState>,
    log_id: String,
    options: baton::views::emr::MapOptions,
    path: String,
) -> Answer<()> {
    with_session(&state, |s| {
        Ok(baton::views::emr::export_process_map(
            &s.project()?.model()?,
            &log_id,
            &options,
            &PathBuf::from(path),
        )?)
    })
}
