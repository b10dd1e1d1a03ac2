//! Interviews: the capture screen's form and statement table, and new workflows.

use baton::interviews::{InterviewInput, StatementInput};
use baton::phi::PhiMatch;
use baton::views::interviews::InterviewSheet;
use baton::views::project::{Created, ProjectView};
use tauri::State;

use super::{Answer, AppState, created, view, with_session};

/// The roles closest to a name that matches none (a typo in a statement's role cell).
#[tauri::command]
#[specta::specta]
pub fn closest_roles(state: State<'_, AppState>, name: String) -> Answer<Vec<baton::model::Named>> {
    with_session(&state, |s| Ok(baton::views::interviews::closest_roles(&s.project()?.model()?, &name)))
}

/// One interview with its statements, for the capture screen.
#[tauri::command]
#[specta::specta]
pub fn interview_sheet(state: State<'_, AppState>, id: String) -> Answer<InterviewSheet> {
    with_session(&state, |s| Ok(baton::views::interviews::interview_sheet(&s.project()?.model()?, &id)?))
}

/// Adds an interview.
#[tauri::command]
#[specta::specta]
pub fn add_interview(state: State<'_, AppState>, fields: InterviewInput) -> Answer<Created> {
    with_session(&state, |s| {
        let id = s.project()?.add_interview(&fields)?;
        created(s, id)
    })
}

/// Changes an interview's details.
#[tauri::command]
#[specta::specta]
pub fn update_interview(
    state: State<'_, AppState>,
    id: String,
    fields: InterviewInput,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.update_interview(&id, &fields)?;
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
    fields: StatementInput,
) -> Answer<Created> {
    with_session(&state, |s| {
        let id = s.project()?.add_statement(&interview_id, &fields)?;
        created(s, id)
    })
}

/// Replaces a statement's fields.
#[tauri::command]
#[specta::specta]
pub fn update_statement(
    state: State<'_, AppState>,
    id: String,
    fields: StatementInput,
) -> Answer<ProjectView> {
    with_session(&state, |s| {
        s.project()?.update_statement(&id, &fields)?;
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

/// What in `text` looks like a patient identifier, checked as the user types (place left empty).
#[tauri::command]
#[specta::specta]
pub fn phi_check(text: String) -> Vec<PhiMatch> {
    baton::views::interviews::phi_check(&text)
}
