//! Review packets in the app: Proposals → "Send for review…" writes one; File → "Import
//! review…" brings the saved review back (`crate::review`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Result;
use crate::review::ReviewImport;
use crate::store::Project;
use crate::views::project::ProjectView;

/// The packet's path: `.html` added when the name has no ending.
pub fn packet_path(path: &Path) -> PathBuf {
    if path.extension().is_none() { path.with_extension("html") } else { path.to_path_buf() }
}

/// A review brought in: what it added, in a sentence, and the project after it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ReviewImported {
    pub import: ReviewImport,
    pub message: String,
    pub project: ProjectView,
}

/// Writes the review packet of `version_id` to `path` (`.html` added when it has no ending);
/// returns the path written.
pub fn send_for_review(project: &mut Project, version_id: &str, path: &Path) -> Result<PathBuf> {
    let path = packet_path(path);
    crate::review::write_packet(project, version_id, &path)?;
    Ok(path)
}

/// Imports the review file at `path` and gives the project after it.
pub fn import_review(project: &mut Project, path: &Path) -> Result<ReviewImported> {
    let import = crate::review::import_review_file(project, path)?;
    let message = import.summary();
    let message = format!("{}{}", message[..1].to_uppercase(), &message[1..]);
    Ok(ReviewImported { import, message, project: crate::views::project::project(project)? })
}
