//! The swimlane editor: the diagram, moving and drawing steps and handoffs, lanes, comments.

use std::path::PathBuf;

use baton::diagram::{CommentInput, Which};
use baton::model::{CommentTarget, StepKind};
use baton::views::project::{Created, ProjectView};
use baton::views::swimlanes::{CommentView, DiagramView, orientation};
use tauri::State;

use super::{Answer, AppState, created, view, with_session};

/// The current-state swimlane diagram of a workflow, laid out by the core.
#[tauri::command]
#[specta::specta]
pub fn diagram(state: State<'_, AppState>, workflow_id: String, vertical: bool) -> Answer<DiagramView> {
    with_session(&state, |s| {
        Ok(baton::views::swimlanes::diagram(&s.project()?.model()?, &workflow_id, vertical)?)
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

/// Adds a step drawn by hand (a task or a decision) to a lane ("" for unassigned).
#[tauri::command]
#[specta::specta]
pub fn add_step(
    state: State<'_, AppState>,
    workflow_id: String,
    name: String,
    kind: StepKind,
    lane: String,
) -> Answer<Created> {
    with_session(&state, |s| {
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
    with_session(&state, |s| Ok(baton::views::swimlanes::comments(&s.project()?.model()?, &workflow_id)))
}

/// Pins a comment to a step or handoff.
#[tauri::command]
#[specta::specta]
pub fn add_comment(
    state: State<'_, AppState>,
    target: CommentTarget,
    target_id: String,
    author_role_id: Option<String>,
    text: String,
) -> Answer<Created> {
    with_session(&state, |s| {
        let author_role_id = author_role_id.filter(|r| !r.is_empty());
        let id = s.project()?.add_comment(&CommentInput { target, target_id, author_role_id, text })?;
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
        Ok(baton::diagram::write_diagram(&d, &PathBuf::from(path))?)
    })
}
