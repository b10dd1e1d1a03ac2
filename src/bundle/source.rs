//! Where a bundle is read from: a folder on disk, or one embedded in the binary (templates and the
//! sample engagement ship inside Baton so they work wherever it is installed).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Read access to the files of a bundle, by `/`-separated relative path.
pub trait Source {
    /// How to name `rel` in an error message.
    fn label(&self, rel: &str) -> String;
    /// The bytes of `rel`, or `None` when there is no such file.
    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>>;
    /// Names of the files directly in folder `dir` (not sub-folders), sorted.
    fn files_in(&self, dir: &str) -> Result<Vec<String>>;
    /// Whether `rel` is a file of the bundle, without reading it.
    fn exists(&self, rel: &str) -> bool;
}

/// A bundle folder on disk.
#[derive(Debug)]
pub struct DirSource {
    root: PathBuf,
}

impl DirSource {
    pub fn new(root: &Path) -> Result<DirSource> {
        if !root.is_dir() {
            return Err(Error::bundle(
                root.display().to_string(),
                "folder",
                "is not a folder; give the bundle folder (the one holding baton.yaml)",
            ));
        }
        Ok(DirSource { root: root.to_path_buf() })
    }
}

impl Source for DirSource {
    fn label(&self, rel: &str) -> String {
        self.root.join(rel).display().to_string()
    }

    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>> {
        let path = self.root.join(rel);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    fn files_in(&self, dir: &str) -> Result<Vec<String>> {
        let path = self.root.join(dir);
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&path, e))?;
            if entry.file_type().map_err(|e| Error::io(&path, e))?.is_file() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        Ok(names)
    }
}

/// A bundle embedded in the binary with `include_dir!`.
#[derive(Debug)]
pub struct EmbeddedSource {
    name: String,
    dir: &'static include_dir::Dir<'static>,
}

impl EmbeddedSource {
    pub fn new(name: &str, dir: &'static include_dir::Dir<'static>) -> EmbeddedSource {
        EmbeddedSource { name: name.to_string(), dir }
    }
}

impl Source for EmbeddedSource {
    fn label(&self, rel: &str) -> String {
        format!("{} (built in): {rel}", self.name)
    }

    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>> {
        let full = self.dir.path().join(rel);
        Ok(self.dir.get_file(&full).map(|f| f.contents().to_vec()))
    }

    fn exists(&self, rel: &str) -> bool {
        self.dir.get_file(self.dir.path().join(rel)).is_some()
    }

    fn files_in(&self, dir: &str) -> Result<Vec<String>> {
        let full = self.dir.path().join(dir);
        let mut names: Vec<String> = self
            .dir
            .get_dir(&full)
            .map(|d| {
                d.files()
                    .filter_map(|f| f.path().file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        Ok(names)
    }
}
