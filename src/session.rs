//! The desktop app's session: which project is open, the recent list, and the first-start rule
//! (create the sample engagement in the data folder and open it). Headless, so tests drive it.

use std::path::{Path, PathBuf};

use crate::bundle;
use crate::error::{Error, Result};
use crate::recent::RecentProjects;
use crate::store::Project;

/// File name of the sample project created on first start.
pub const SAMPLE_FILE_NAME: &str = "Respiratory care network (sample).baton";

/// One app session over a data folder.
#[derive(Debug)]
pub struct Session {
    data_dir: PathBuf,
    project: Option<Project>,
    recent: RecentProjects,
    /// An encrypted project the user asked for and that waits for its passphrase.
    locked: Option<PathBuf>,
}

impl Session {
    /// Where a report of the open project goes by default: beside the project file, unless the
    /// file is in the app's own data folder (the first-start sample), then `documents`.
    pub fn report_folder(&self, documents: Option<PathBuf>) -> PathBuf {
        let beside =
            self.project.as_ref().and_then(|p| p.path()).and_then(|p| p.parent()).map(Path::to_path_buf);
        match beside {
            Some(dir) if !dir.starts_with(&self.data_dir) => dir,
            _ => documents.unwrap_or_else(|| self.data_dir.clone()),
        }
    }

    /// A session keeping its recent list and first-start sample in `data_dir`.
    pub fn new(data_dir: &Path) -> Session {
        let recent = RecentProjects::load(&data_dir.join("recent.json"));
        Session { data_dir: data_dir.to_path_buf(), project: None, recent, locked: None }
    }

    /// Opens what the user should see at start: the project already open, the most recent one
    /// that still exists, or — on first start — a new copy of the sample engagement.
    pub fn start(&mut self) -> Result<&mut Project> {
        self.start_with(None)
    }

    /// As `start`, but a `.baton` file the app was launched with (double-clicked in the file
    /// manager, `baton-app FILE.baton`) is opened first.
    pub fn start_with(&mut self, launched: Option<&Path>) -> Result<&mut Project> {
        if self.project.is_none()
            && let Some(path) = launched
        {
            self.open(path)?;
        }
        if self.project.is_none() {
            match self.recent.last_existing().map(Path::to_path_buf) {
                Some(last) => self.open(&last)?,
                None => {
                    let path = self.data_dir.join(SAMPLE_FILE_NAME);
                    if path.is_file() {
                        self.open(&path)?;
                    } else {
                        std::fs::create_dir_all(&self.data_dir).map_err(|e| Error::io(&self.data_dir, e))?;
                        let model = bundle::sample()?;
                        let name = model.project.as_ref().map(|p| p.name.clone()).unwrap_or_default();
                        let project = Project::create_with(&path, &name, &model)?;
                        self.adopt(project, &path)?;
                    }
                }
            }
        }
        self.project()
    }

    /// The open project, or an error saying to open one.
    pub fn project(&mut self) -> Result<&mut Project> {
        self.project.as_mut().ok_or_else(|| Error::NotFound("no project is open; open or create one".into()))
    }

    /// Opens the project file at `path`; the project open before stays open if this fails.
    /// An encrypted one is refused with code `encrypted` and waits for `unlock`.
    pub fn open(&mut self, path: &Path) -> Result<()> {
        match Project::open(path) {
            Ok(project) => self.adopt(project, path),
            Err(e @ Error::Encrypted { .. }) => {
                self.locked = Some(path.to_path_buf());
                Err(e)
            }
            Err(e) => {
                if !path.exists() {
                    self.recent.forget(path);
                    let _ = self.recent.save(&self.recent_file());
                }
                Err(e)
            }
        }
    }

    /// The encrypted project waiting for its passphrase, if any.
    pub fn locked(&self) -> Option<&Path> {
        self.locked.as_deref()
    }

    /// Opens the encrypted project that `open` (or `start`) refused, with its passphrase; a wrong
    /// one is refused with code `wrong_passphrase` and the project stays locked.
    pub fn unlock(&mut self, passphrase: &str) -> Result<()> {
        let path = self
            .locked
            .clone()
            .ok_or_else(|| Error::NotFound("no encrypted project is waiting to be opened".into()))?;
        let project = Project::open_with(&path, Some(passphrase))?;
        self.locked = None;
        self.adopt(project, &path)
    }

    /// Creates an empty project at `path`, or one from a workflow template, encrypted with
    /// `passphrase` when one is given, and opens it.
    pub fn create(
        &mut self,
        path: &Path,
        name: &str,
        template: Option<&str>,
        passphrase: Option<&str>,
    ) -> Result<()> {
        let model = match template {
            Some(t) => bundle::template(t)?,
            None => crate::model::Model::default(),
        };
        let project = Project::create_encrypted(path, name, &model, passphrase)?;
        self.adopt(project, path)
    }

    /// Creates a project at `path` from the bundle folder `dir` and opens it.
    pub fn import_bundle(&mut self, dir: &Path, path: &Path) -> Result<()> {
        let model = bundle::read_dir(dir)?;
        let name = model.project.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "Imported bundle".into());
        let project = Project::create_with(path, &name, &model)?;
        self.adopt(project, path)
    }

    /// Writes the open project as a bundle into `dir`; returns how many files were written.
    pub fn export_bundle(&mut self, dir: &Path) -> Result<usize> {
        Ok(self.project()?.export_bundle(dir)?.len())
    }

    /// Recently opened projects, most recent first.
    pub fn recent(&self) -> &[PathBuf] {
        &self.recent.paths
    }

    fn recent_file(&self) -> PathBuf {
        self.data_dir.join("recent.json")
    }

    fn adopt(&mut self, project: Project, path: &Path) -> Result<()> {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.project = Some(project);
        self.recent.touch(&path);
        self.recent.save(&self.recent_file())
    }
}
