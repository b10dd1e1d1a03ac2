//! The `.baton` project file: one SQLite database, opened safely, migrated in order, edited in
//! journaled transactions.

pub mod audit;
pub(crate) mod edit;
pub(crate) mod imports;
mod journal;
mod migrate;
pub(crate) mod rows;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub(crate) use edit::{exists, must_exist};
pub(crate) use rows::workarounds_to_text;

use crate::error::{Error, Result};
use crate::model::{Model, ProjectMeta, new_id};

pub use journal::JournalState;
pub use migrate::SCHEMA_VERSION;

/// `PRAGMA application_id` of every Baton project file ("Batn").
pub const APPLICATION_ID: i32 = 0x4261_746E;

/// An open project. Every public edit method is one transaction; there is nothing to save.
#[derive(Debug)]
pub struct Project {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Project {
    /// Creates a new project file at `path`; refuses a path that already exists.
    pub fn create(path: &Path, name: &str) -> Result<Project> {
        Project::create_with(path, name, &Model::default())
    }

    /// Creates a new project file at `path` holding `model` (a bundle or template), in one
    /// transaction: either the whole model is there or no file is left behind.
    pub fn create_with(path: &Path, name: &str, model: &Model) -> Result<Project> {
        if path.exists() {
            return Err(Error::AlreadyExists { path: path.to_path_buf() });
        }
        let result = (|| {
            let conn = Connection::open(path)?;
            let mut project = Project { conn, path: Some(path.to_path_buf()) };
            project.initialise(name, model)?;
            Ok(project)
        })();
        if result.is_err() {
            // Nothing of a half-created project may stay behind to be mistaken for a real one.
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut side = path.as_os_str().to_owned();
                side.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(side));
            }
        }
        result
    }

    /// A project that lives only in memory: how read-only commands load a bundle folder.
    pub fn in_memory(name: &str, model: &Model) -> Result<Project> {
        let conn = Connection::open_in_memory()?;
        let mut project = Project { conn, path: None };
        project.initialise(name, model)?;
        Ok(project)
    }

    /// Opens an existing project file. A file that is not a Baton project, is truncated or
    /// corrupt, or comes from a newer schema is refused with the reason, and is not modified.
    pub fn open(path: &Path) -> Result<Project> {
        check_file(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| not_a_project(path, format!("cannot be opened ({e})")))?;
        configure(&conn)?;
        let mut project = Project { conn, path: Some(path.to_path_buf()) };
        migrate::run(&mut project.conn, path)?;
        Ok(project)
    }

    /// The file this project lives in; `None` for an in-memory project.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn initialise(&mut self, name: &str, model: &Model) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("name", "a project needs a name"));
        }
        configure(&self.conn)?;
        let origin = self.path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        let tx = self.conn.transaction()?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        migrate::apply_pending(&tx, 0, &origin)?;
        let meta = match &model.project {
            Some(meta) => ProjectMeta { name: name.to_string(), ..meta.clone() },
            None => ProjectMeta { id: new_id(), name: name.to_string(), ..ProjectMeta::default() },
        };
        tx.execute(
            "INSERT INTO project (id, name, description, salt, client, authors, report_date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            (
                &meta.id,
                &meta.name,
                &meta.description,
                new_id().replace('-', ""),
                &meta.client,
                meta.authors.join("\n"),
                &meta.report_date,
            ),
        )?;
        rows::insert_model(&tx, model)?;
        tx.commit()?;
        Ok(())
    }

    /// Makes this connection behave as on a full disk (the file may grow to `max_pages` pages) or a
    /// read-only file: how the tests check that those failures save nothing and say so.
    #[doc(hidden)]
    pub fn simulate_storage_limits(&self, max_pages: Option<u32>, read_only: bool) -> Result<()> {
        if let Some(pages) = max_pages {
            self.conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
        }
        self.conn.pragma_update(None, "query_only", read_only)?;
        Ok(())
    }

    /// The number of pages the file has.
    #[doc(hidden)]
    pub fn page_count(&self) -> Result<u32> {
        Ok(self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?)
    }

    /// The project's name, id, description and engagement details.
    pub fn meta(&self) -> Result<ProjectMeta> {
        Ok(self.conn.query_row(rows::PROJECT_QUERY, [], rows::project_meta)?)
    }

    /// The project's salt for hashing case and actor identifiers (never exported).
    pub(crate) fn salt(&self) -> Result<String> {
        Ok(self.conn.query_row("SELECT salt FROM project", [], |r| r.get(0))?)
    }

    /// The whole project, every list in canonical order.
    pub fn model(&self) -> Result<Model> {
        rows::load_model(&self.conn)
    }

    /// Checks the file's integrity with SQLite's own check; returns its verdict lines.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<_, _>>()?;
        Ok(lines)
    }
}

/// Loads the whole model through `conn` (a transaction in progress, for edits that derive rows
/// from the rest of the model).
pub(crate) fn load_model_in(conn: &Connection) -> Result<Model> {
    rows::load_model(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    // WAL keeps readers and the writer apart; synchronous=FULL makes every commit durable even
    // across power loss, which is what "nothing committed is lost" promises.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Deleted rows are overwritten with zeros, not left in free pages.
    conn.pragma_update(None, "secure_delete", true)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

fn not_a_project(path: &Path, problem: impl Into<String>) -> Error {
    Error::NotAProject { path: path.to_path_buf(), problem: problem.into() }
}

/// Reads the file without writing to it and decides whether it is a Baton project we can open.
fn check_file(path: &Path) -> Result<()> {
    use std::io::Read;

    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            not_a_project(path, "no such file; check the path or create a project with `baton new`")
        } else {
            Error::io(path, e)
        }
    })?;
    if meta.is_dir() {
        return Err(not_a_project(path, "is a folder, not a .baton file"));
    }
    let len = meta.len();
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let read = file.read(&mut header).map_err(|e| Error::io(path, e))?;
    if len == 0 {
        return Err(not_a_project(path, "is empty, not a Baton project"));
    }
    if read < 16 || &header[..16] != b"SQLite format 3\0" {
        return Err(not_a_project(
            path,
            "is not a Baton project (it is not an SQLite database); open a .baton file",
        ));
    }
    if read < 100 {
        return Err(not_a_project(path, format!("is truncated ({len} bytes, shorter than its header)")));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536u64,
        n => u64::from(n),
    };
    let page_count = u64::from(u32::from_be_bytes([header[28], header[29], header[30], header[31]]));
    let counts_valid = header[24..28] == header[92..96];
    if page_size < 512 || !page_size.is_power_of_two() {
        return Err(not_a_project(path, "is corrupt (its header names an impossible page size)"));
    }
    if len % page_size != 0 || (counts_valid && len < page_size * page_count) {
        return Err(not_a_project(
            path,
            format!(
                "is truncated or damaged ({len} bytes; its header expects {} bytes); restore it from a backup or a bundle",
                page_size * page_count
            ),
        ));
    }

    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| not_a_project(path, format!("cannot be read ({e})")))?;
    let probe = |e: rusqlite::Error| not_a_project(path, format!("is corrupt ({e})"));
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(probe)?;
    let user_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(probe)?;
    if app_id != APPLICATION_ID {
        return Err(not_a_project(path, "is an SQLite database of another application, not a Baton project"));
    }
    if user_version > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: user_version,
            supported: SCHEMA_VERSION,
        });
    }
    let verdict: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(probe)?;
    if verdict != "ok" {
        return Err(not_a_project(path, format!("is corrupt (SQLite reports: {verdict})")));
    }
    Ok(())
}

/// Writes `bytes` to `path` beside it first and renames, so a crash never leaves a half-written
/// file; creates the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    std::fs::write(&partial, bytes).map_err(|e| Error::io(&partial, e))?;
    std::fs::rename(&partial, path).map_err(|e| Error::io(path, e))
}
