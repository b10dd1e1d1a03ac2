//! The list of recently opened projects that the desktop app keeps between runs.
//!
//! It lives in the core so that tests exercise it without a window; the app decides where the
//! file is (its config folder).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How many projects the list remembers.
pub const MAX_RECENT: usize = 10;

/// Recently opened project files, most recent first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentProjects {
    pub paths: Vec<PathBuf>,
}

impl RecentProjects {
    /// Loads the list from `file`; a missing or unreadable list is an empty one, since losing
    /// it only costs the user a trip through Open.
    pub fn load(file: &Path) -> RecentProjects {
        std::fs::read(file).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
    }

    /// Saves the list to `file`, creating its folder.
    pub fn save(&self, file: &Path) -> Result<()> {
        let json =
            serde_json::to_vec_pretty(self).map_err(|e| Error::invalid("recent projects", e.to_string()))?;
        crate::store::write_atomically(file, &json)
    }

    /// Puts `path` first, dropping older duplicates and anything past `MAX_RECENT`.
    pub fn touch(&mut self, path: &Path) {
        self.paths.retain(|p| p != path);
        self.paths.insert(0, path.to_path_buf());
        self.paths.truncate(MAX_RECENT);
    }

    /// Forgets `path` (it was moved or deleted).
    pub fn forget(&mut self, path: &Path) {
        self.paths.retain(|p| p != path);
    }

    /// The most recent project that still exists.
    pub fn last_existing(&self) -> Option<&Path> {
        self.paths.iter().find(|p| p.is_file()).map(PathBuf::as_path)
    }
}
