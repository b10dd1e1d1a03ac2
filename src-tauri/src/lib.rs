//! Baton's desktop shell: a window, a menu and thin commands over the `baton` core.

pub mod commands;
pub mod error;
mod menu;
mod window_state;

use std::path::PathBuf;
use std::sync::Mutex;

use baton::session::Session;
use tauri::{Manager, Runtime};

use commands::AppState;

/// The typed command set for runtime `$runtime`; one list serves the app, the bindings export and
/// the tests (which use the mock runtime).
#[macro_export]
macro_rules! baton_commands {
    ($runtime:ty) => {
        tauri_specta::collect_commands![
            $crate::commands::project::start,
            $crate::commands::project::current_project,
            $crate::commands::project::finding_counts,
            $crate::commands::project::open_project,
            $crate::commands::project::new_project,
            $crate::commands::project::import_bundle,
            $crate::commands::project::export_bundle,
            $crate::commands::project::undo,
            $crate::commands::project::redo,
            $crate::commands::project::add_facility,
            $crate::commands::project::add_role,
            $crate::commands::project::add_workflow_from_template,
            $crate::commands::project::update_workflow,
            $crate::commands::project::workflow_uses,
            $crate::commands::project::remove_workflow,
            $crate::commands::project::set_facility_timezone,
            $crate::commands::project::rename_facility,
            $crate::commands::project::remove_facility,
            $crate::commands::project::timezones,
            $crate::commands::project::role_uses,
            $crate::commands::project::rename_role,
            $crate::commands::project::remove_role,
            $crate::commands::project::merge_role,
            $crate::commands::project::recent_projects,
            $crate::commands::project::templates,
            $crate::commands::project::set_engagement,
            $crate::commands::project::purge_project,
            $crate::commands::project::locked_project,
            $crate::commands::project::unlock_project,
            $crate::commands::project::set_passphrase,
            $crate::commands::project::work_progress,
            $crate::commands::project::cancel_work,
            $crate::commands::interviews::interview_sheet,
            $crate::commands::interviews::add_interview,
            $crate::commands::interviews::closest_roles,
            $crate::commands::interviews::update_interview,
            $crate::commands::interviews::remove_interview,
            $crate::commands::interviews::add_statement,
            $crate::commands::interviews::update_statement,
            $crate::commands::interviews::remove_statement,
            $crate::commands::interviews::add_workflow,
            $crate::commands::interviews::phi_check,
            $crate::commands::current_state::workflow_map,
            $crate::commands::current_state::consolidate,
            $crate::commands::current_state::merge_steps,
            $crate::commands::current_state::split_step,
            $crate::commands::current_state::keep_steps_apart,
            $crate::commands::current_state::rename_step,
            $crate::commands::current_state::same_name_step,
            $crate::commands::current_state::set_service_level,
            $crate::commands::current_state::findings,
            $crate::commands::current_state::finding_list,
            $crate::commands::current_state::search_project,
            $crate::commands::current_state::export_findings,
            $crate::commands::current_state::triage_finding,
            $crate::commands::swimlanes::diagram,
            $crate::commands::swimlanes::drop_steps,
            $crate::commands::swimlanes::auto_layout,
            $crate::commands::swimlanes::set_lane_order,
            $crate::commands::swimlanes::add_step,
            $crate::commands::swimlanes::remove_step,
            $crate::commands::swimlanes::add_handoff,
            $crate::commands::swimlanes::remove_handoff,
            $crate::commands::swimlanes::comments,
            $crate::commands::swimlanes::add_comment,
            $crate::commands::swimlanes::resolve_comment,
            $crate::commands::swimlanes::export_diagram,
            $crate::commands::emr::preview_import,
            $crate::commands::emr::run_import,
            $crate::commands::emr::run_aggregate_import,
            $crate::commands::emr::mapping_matrix,
            $crate::commands::emr::set_mapping,
            $crate::commands::emr::map_everywhere,
            $crate::commands::emr::add_business_state,
            $crate::commands::emr::process_map,
            $crate::commands::emr::export_process_map,
            $crate::commands::proposals::proposal_view,
            $crate::commands::proposals::start_draft,
            $crate::commands::proposals::propose_draft,
            $crate::commands::proposals::publish_draft,
            $crate::commands::proposals::add_state,
            $crate::commands::proposals::update_state,
            $crate::commands::proposals::remove_from_draft,
            $crate::commands::proposals::save_transition,
            $crate::commands::proposals::save_event,
            $crate::commands::proposals::sign_off,
            $crate::commands::proposals::compare_versions,
            $crate::commands::proposals::export_version,
            $crate::commands::proposals::export_review,
            $crate::commands::proposals::import_review,
            $crate::commands::proposals::telemetry_view,
            $crate::commands::proposals::walk_through,
            $crate::commands::report::write_report,
            $crate::commands::report::report_folder::<$runtime>,
            $crate::commands::report::open_path,
            $crate::commands::report::phi_scan,
            $crate::commands::report::redact_phi,
            $crate::commands::project::choose_path::<$runtime>,
            $crate::commands::project::set_zoom::<$runtime>,
        ]
    };
}

/// The typed command builder of the real app.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    // Counts are 64-bit in the core and cross as numbers (no count comes near 2^53); one shape for
    // both directions, so the UI uses the generated names as they are.
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(baton_commands!(tauri::Wry))
        .dangerously_cast_bigints_to_number()
        .disable_serde_phases()
}

/// Writes the TypeScript bindings of every command and type to `path`.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated by `cargo test -p baton-app` from baton::views and src-tauri/src/commands; do not edit.\n"),
            path,
        )
        .map_err(|e| e.to_string())
}

/// The long-work slot. `--test-work-pause-ms=N` on the command line makes long work wait N ms (or
/// until cancelled) before it starts: end-to-end tests cancel it at a known point that way.
fn work_state() -> commands::WorkState {
    let state = commands::WorkState::default();
    let pause =
        std::env::args().find_map(|a| a.strip_prefix("--test-work-pause-ms=").and_then(|n| n.parse().ok()));
    if let Some(ms) = pause {
        state.pause_ms.store(ms, std::sync::atomic::Ordering::Relaxed);
    }
    state
}

/// Adds Baton's plugins, commands and session to `base` (the real builder, or Tauri's mock builder
/// in tests). The session keeps its files in `data_dir`, or the platform's app data folder.
pub fn app_builder<R: Runtime>(
    base: tauri::Builder<R>,
    specta: tauri_specta::Builder<R>,
    data_dir: Option<PathBuf>,
) -> tauri::Builder<R> {
    let mut base =
        base.plugin(tauri_plugin_dialog::init()).invoke_handler(specta.invoke_handler()).manage(work_state());
    if let Some(dir) = &data_dir {
        base =
            base.manage(AppState(Mutex::new(Session::new(dir)))).manage(window_state::WindowFile::new(dir));
    }
    base.setup(move |app| {
        if data_dir.is_none() {
            let dir = app.path().app_data_dir().unwrap_or_else(|_| PathBuf::from("."));
            app.manage(AppState(Mutex::new(Session::new(&dir))));
            app.manage(window_state::WindowFile::new(&dir));
        }
        window_state::restore(app);
        Ok(())
    })
    .on_window_event(window_state::track)
}

/// Runs the desktop app.
pub fn run() {
    let result = app_builder(
        tauri::Builder::default(),
        specta_builder(),
        // Tests and scripted runs point the app at a folder of their own: `--data-dir=PATH` on
        // the command line (one end-to-end session), else BATON_DATA_DIR.
        std::env::args()
            .find_map(|a| a.strip_prefix("--data-dir=").map(PathBuf::from))
            .or_else(|| std::env::var_os("BATON_DATA_DIR").map(PathBuf::from)),
    )
    .menu(menu::build)
    .on_menu_event(menu::on_event)
    .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error: Baton could not start: {e}");
        std::process::exit(1);
    }
}
