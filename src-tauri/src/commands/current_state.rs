//! The current-state map and the findings: consolidation, merges and splits, triage.

use baton::findings::Finding;
use baton::model::FindingStatus;
use baton::views::current_state::WorkflowMap;
use baton::views::project::{Created, ProjectView};
use tauri::State;

use super::{Answer, AppState, WorkState, created, long_read, view, with_session};

/// A workflow's consolidated current-state map with provenance, claims and suggestions.
#[tauri::command]
#[specta::specta]
pub fn workflow_map(state: State<'_, AppState>, id: String) -> Answer<WorkflowMap> {
    with_session(&state, |s| {
        let m = s.project()?.model()?;
        let found =
            baton::views::findings::findings(&m, &Default::default(), &baton::progress::Progress::none())?;
        Ok(baton::views::current_state::workflow_map(&m, &found, &id)?)
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

/// Another step of the same workflow already named `name`, which renaming step `id` would
/// duplicate: the app offers to merge the two instead.
#[tauri::command]
#[specta::specta]
pub fn same_name_step(
    state: State<'_, AppState>,
    id: String,
    name: String,
) -> Answer<Option<baton::model::Named>> {
    with_session(&state, |s| {
        Ok(baton::views::current_state::same_name_step(&s.project()?.model()?, &id, &name))
    })
}

/// Sets a step's service level (ISO 8601; empty clears it) and safety-critical flag.
#[tauri::command]
#[specta::specta]
pub fn set_service_level(
    state: State<'_, AppState>,
    id: String,
    within: String,
    safety_critical: bool,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.set_service_level(&id, &within, safety_critical)?;
        view(s)
    })
}

/// Every finding, sorted by severity, kind and title, with triage applied (long work).
#[tauri::command(async)]
#[specta::specta]
pub fn findings(state: State<'_, AppState>, work: State<'_, WorkState>) -> Answer<Vec<Finding>> {
    long_read(&state, &work, "Analysing findings", |m, progress| {
        Ok(baton::views::findings::findings(&m, &Default::default(), progress)?)
    })
}

/// The findings narrowed and sorted as `query` asks, with what the filters offer (long work).
#[tauri::command(async)]
#[specta::specta]
pub fn finding_list(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    query: baton::views::findings::FindingQuery,
) -> Answer<baton::views::findings::FindingList> {
    long_read(&state, &work, "Analysing findings", |m, progress| {
        Ok(baton::views::findings::list(&m, &query, progress)?)
    })
}

/// Writes the findings `query` selects to `path` (.xlsx, or .csv; a name without an ending gets
/// .xlsx) and answers the path written.
#[tauri::command(async)]
#[specta::specta]
pub fn export_findings(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    query: baton::views::findings::FindingQuery,
    path: String,
) -> Answer<String> {
    let mut path = std::path::PathBuf::from(path);
    if path.extension().is_none() {
        path.set_extension("xlsx");
    }
    long_read(&state, &work, "Exporting findings", |m, progress| {
        baton::views::findings::export(&m, &query, &path, progress)?;
        Ok(path.display().to_string())
    })
}

/// Ctrl+F: the project searched for every word of `query`, hits grouped by area (long work:
/// findings are analysed).
#[tauri::command(async)]
#[specta::specta]
pub fn search_project(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    query: String,
) -> Answer<baton::views::search::SearchResults> {
    long_read(&state, &work, "Searching", |m, progress| {
        Ok(baton::views::search::search(&m, &query, progress)?)
    })
}

/// Accepts, dismisses (with a reason) or reopens a finding.
#[tauri::command]
#[specta::specta]
pub fn triage_finding(
    state: State<'_, AppState>,
    id: String,
    status: FindingStatus,
    reason: String,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.triage_finding(&id, status, &reason)?;
        view(s)
    })
}
