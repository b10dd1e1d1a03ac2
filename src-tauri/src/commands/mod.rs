//! Tauri commands, split by area like `baton::views`. Each takes the session's lock, calls one
//! core edit and one view (or one view), and returns the view. Nothing here decides anything a
//! screen shows (see ARCHITECTURE.md).

pub mod current_state;
pub mod emr;
pub mod interviews;
pub mod project;
pub mod proposals;
pub mod report;
pub mod swimlanes;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use baton::error::ErrorCode;
use baton::model::Model;
use baton::progress::Progress;
use baton::session::Session;
use baton::views::project::{Created, ProjectView};
use tauri::State;

use crate::error::AppError;

/// The app's one session, behind a lock because commands run on several threads.
#[derive(Debug)]
pub struct AppState(pub Mutex<Session>);

pub type Answer<T> = Result<T, AppError>;

pub fn with_session<T>(state: &State<'_, AppState>, f: impl FnOnce(&mut Session) -> Answer<T>) -> Answer<T> {
    let mut session = state.0.lock().map_err(|_| AppError {
        code: ErrorCode::Internal,
        message: "The session lock was poisoned; restart Baton".into(),
        field: None,
    })?;
    f(&mut session)
}

/// The open project as the home screen shows it.
pub fn view(session: &mut Session) -> Answer<ProjectView> {
    Ok(baton::views::project::project(session.project()?)?)
}

/// After an edit that created something with id `id`.
pub fn created(s: &mut Session, id: String) -> Answer<Created> {
    Ok(Created { id, project: view(s)? })
}

pub fn model(s: &mut Session) -> Answer<Model> {
    Ok(s.project()?.model()?)
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

    pub fn current(&self) -> Option<(String, Progress)> {
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
pub fn long_edit<T>(
    state: &State<'_, AppState>,
    work: &State<'_, WorkState>,
    label: &str,
    f: impl FnOnce(&mut Session, &Progress) -> Answer<T>,
) -> Answer<T> {
    tracked(work, label, |progress| with_session(state, |s| f(s, progress)))
}

/// Long work that only reads: the model is read under the session's lock (quickly), then
/// `compute` runs without it, so the window's own commands never wait on it.
pub fn long_read<T>(
    state: &State<'_, AppState>,
    work: &State<'_, WorkState>,
    label: &str,
    compute: impl FnOnce(Model, &Progress) -> Answer<T>,
) -> Answer<T> {
    tracked(work, label, |progress| with_session(state, model).and_then(|m| compute(m, progress)))
}
