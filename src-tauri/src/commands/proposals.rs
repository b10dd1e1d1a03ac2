//! Proposed workflows: drafts, states, transitions, events, publishing, sign-offs, comparisons,
//! exports, and the task telemetry measured against them.

use std::path::PathBuf;

use baton::design::{StateInput, TransitionInput};
use baton::model::Decision;
use baton::session::Session;
use baton::views::proposals::{ComparisonView, ExportFormat, ProposalView, WalkInput, WalkView};
use baton::views::telemetry::TelemetryView;
use tauri::State;

use super::{Answer, AppState, WorkState, long_read, with_session};

fn proposal(s: &mut Session, workflow_id: &str, version_id: Option<&str>) -> Answer<ProposalView> {
    let m = s.project()?.model()?;
    Ok(baton::views::proposals::proposal(&m, workflow_id, version_id, &baton::progress::Progress::none())?)
}

/// A workflow's proposed versions and one of them (`version_id`, else the draft or the latest)
/// with its states, transitions, problems, replay and diagram. Long work: the replay goes through
/// every kept variant of every log.
#[tauri::command(async)]
#[specta::specta]
pub fn proposal_view(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    workflow_id: String,
    version_id: Option<String>,
) -> Answer<ProposalView> {
    long_read(&state, &work, "Replaying the event logs", |m, progress| {
        Ok(baton::views::proposals::proposal(&m, &workflow_id, version_id.as_deref(), progress)?)
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

/// Adds a state to a draft.
#[tauri::command]
#[specta::specta]
pub fn add_state(
    state: State<'_, AppState>,
    workflow_id: String,
    version_id: String,
    fields: StateInput,
) -> Answer<ProposalView> {
    with_session(&state, |s| {
        s.project()?.add_state(&version_id, &fields)?;
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
    fields: StateInput,
) -> Answer<ProposalView> {
    with_session(&state, |s| {
        s.project()?.update_state(&id, &fields)?;
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
    fields: TransitionInput,
) -> Answer<ProposalView> {
    with_session(&state, |s| {
        match &id {
            Some(id) => s.project()?.update_transition(id, &fields)?,
            None => drop(s.project()?.add_transition(&version_id, &fields)?),
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
        let typed = baton::views::proposals::event_fields(&fields)?;
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
    decision: Decision,
    comment: String,
) -> Answer<ProposalView> {
    with_session(&state, |s| {
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
    with_session(&state, |s| {
        Ok(baton::views::proposals::comparison(&s.project()?.model()?, &workflow_id, &from_id, &to_id)?)
    })
}

/// Writes a version in an export format to `path`.
#[tauri::command]
#[specta::specta]
pub fn export_version(
    state: State<'_, AppState>,
    version_id: String,
    format: ExportFormat,
    path: String,
) -> Answer<()> {
    with_session(&state, |s| {
        let path = PathBuf::from(path);
        let format = format.format(&path)?;
        let path = baton::views::proposals::export_path(format, &path);
        s.project()?.export_version(&version_id, format, &path)?;
        Ok(())
    })
}

/// Task metrics of a workflow from the imported telemetry (one version, or all), and a
/// comparison with another version (long work).
#[tauri::command(async)]
#[specta::specta]
pub fn telemetry_view(
    state: State<'_, AppState>,
    work: State<'_, WorkState>,
    workflow_id: String,
    version: Option<i64>,
    compare: Option<i64>,
) -> Answer<TelemetryView> {
    long_read(&state, &work, "Computing task metrics", |m, progress| {
        Ok(baton::views::telemetry::telemetry(&m, &workflow_id, version, compare, progress)?)
    })
}

/// A case walked through a version by the reference semantics: `steps` are what the consultant
/// chose so far (events with their data, or time passing), at `facility` (a facility id).
#[tauri::command]
#[specta::specta]
pub fn walk_through(
    state: State<'_, AppState>,
    version_id: String,
    facility: Option<String>,
    steps: Vec<WalkInput>,
) -> Answer<WalkView> {
    with_session(&state, |s| {
        let m = s.project()?.model()?;
        let facility = facility.filter(|f| !f.is_empty());
        Ok(baton::views::proposals::walk_through(&m, &version_id, facility.as_deref(), &steps)?)
    })
}

/// Writes a version's review packet (one self-contained HTML file for a clinical lead) to
/// `path`; gives the path written (`.html` added when the name has no ending).
#[tauri::command]
#[specta::specta]
pub fn export_review(state: State<'_, AppState>, version_id: String, path: String) -> Answer<String> {
    with_session(&state, |s| {
        let written = baton::views::review::send_for_review(s.project()?, &version_id, &PathBuf::from(path))?;
        Ok(written.display().to_string())
    })
}

/// Brings a saved review (comments and sign-off) into the project as one undoable edit.
#[tauri::command]
#[specta::specta]
pub fn import_review(
    state: State<'_, AppState>,
    path: String,
) -> Answer<baton::views::review::ReviewImported> {
    with_session(&state, |s| Ok(baton::views::review::import_review(s.project()?, &PathBuf::from(path))?))
}
