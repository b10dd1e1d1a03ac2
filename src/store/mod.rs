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
    /// Whether the file is encrypted (SQLCipher, keyed with a passphrase).
    encrypted: bool,
}

/// Keys a fresh connection with `passphrase` (SQLCipher); must come before anything reads it.
fn key(conn: &Connection, passphrase: Option<&str>) -> Result<()> {
    if let Some(p) = passphrase {
        if p.is_empty() {
            return Err(Error::invalid("passphrase", "a passphrase cannot be empty"));
        }
        conn.pragma_update(None, "key", p)?;
    }
    Ok(())
}

impl Project {
    /// Creates a new project file at `path`; refuses a path that already exists.
    pub fn create(path: &Path, name: &str) -> Result<Project> {
        Project::create_with(path, name, &Model::default())
    }

    /// Creates a new project file at `path` holding `model` (a bundle or template), in one
    /// transaction: either the whole model is there or no file is left behind.
    pub fn create_with(path: &Path, name: &str, model: &Model) -> Result<Project> {
        Project::create_encrypted(path, name, model, None)
    }

    /// `create_with`, the file encrypted with `passphrase` when one is given (SQLCipher: every
    /// page, the write-ahead log included, is encrypted; without the passphrase the file is noise).
    pub fn create_encrypted(
        path: &Path,
        name: &str,
        model: &Model,
        passphrase: Option<&str>,
    ) -> Result<Project> {
        if path.exists() {
            return Err(Error::AlreadyExists { path: path.to_path_buf() });
        }
        let result = (|| {
            let conn = Connection::open(path)?;
            key(&conn, passphrase)?;
            let mut project =
                Project { conn, path: Some(path.to_path_buf()), encrypted: passphrase.is_some() };
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
        let mut project = Project { conn, path: None, encrypted: false };
        project.initialise(name, model)?;
        Ok(project)
    }

    /// Opens an existing project file. A file that is not a Baton project, is truncated or
    /// corrupt, or comes from a newer schema is refused with the reason, and is not modified.
    pub fn open(path: &Path) -> Result<Project> {
        Project::open_with(path, None)
    }

    /// Opens a project file, encrypted ones with their `passphrase`. Without one, an encrypted
    /// file is refused with code `encrypted`; with a wrong one, with `wrong_passphrase`. Either
    /// way the file is not modified.
    pub fn open_with(path: &Path, passphrase: Option<&str>) -> Result<Project> {
        let encrypted = check_file(path, passphrase)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| not_a_project(path, format!("cannot be opened ({e})")))?;
        if encrypted {
            key(&conn, passphrase)?;
        }
        configure(&conn)?;
        let mut project = Project { conn, path: Some(path.to_path_buf()), encrypted };
        migrate::run(&mut project.conn, path)?;
        Ok(project)
    }

    /// Whether the file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// Encrypts the file with `passphrase`, changes its passphrase, or (`None`) decrypts it: the
    /// project is copied into a new file keyed as asked (`sqlcipher_export`), which then replaces
    /// the old one; a failure leaves the old file as it was.
    pub fn set_passphrase(&mut self, passphrase: Option<&str>) -> Result<()> {
        let Some(path) = self.path.clone() else {
            return Err(Error::invalid("project", "a project in memory has no file to encrypt"));
        };
        if passphrase.is_some_and(str::is_empty) {
            return Err(Error::invalid("passphrase", "a passphrase cannot be empty"));
        }
        let mut side = path.as_os_str().to_owned();
        side.push(".rekey");
        let side = PathBuf::from(side);
        let _ = std::fs::remove_file(&side);
        // The connection may not create files (it was opened without CREATE); an empty file is a
        // new database to SQLite.
        std::fs::write(&side, b"").map_err(|e| Error::io(&side, e))?;
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let copied = (|| -> Result<()> {
            self.conn.execute(
                "ATTACH DATABASE ?1 AS rekeyed KEY ?2",
                (side.to_string_lossy().as_ref(), passphrase.unwrap_or("")),
            )?;
            self.conn.query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))?;
            self.conn.execute_batch(&format!(
                "PRAGMA rekeyed.user_version = {version}; PRAGMA rekeyed.application_id = {APPLICATION_ID};"
            ))?;
            self.conn.execute_batch("DETACH DATABASE rekeyed")?;
            Ok(())
        })();
        if let Err(e) = copied {
            let _ = self.conn.execute_batch("DETACH DATABASE rekeyed");
            let _ = std::fs::remove_file(&side);
            return Err(e);
        }
        // Fold the log into the old file and close it before the new one takes its place.
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.conn = Connection::open_in_memory()?;
        std::fs::rename(&side, &path).map_err(|e| Error::io(&path, e))?;
        for suffix in ["-wal", "-shm"] {
            let mut old = path.as_os_str().to_owned();
            old.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(old));
        }
        *self = Project::open_with(&path, passphrase)?;
        Ok(())
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

/// Reads the file without writing to it and decides whether it is a Baton project we can open;
/// returns whether it is encrypted.
fn check_file(path: &Path, passphrase: Option<&str>) -> Result<bool> {
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
        // An encrypted file is noise from its first byte, in whole pages of 4 KiB.
        if len >= 4096 && len % 1024 == 0 {
            return match passphrase {
                None => Err(Error::Encrypted { path: path.to_path_buf() }),
                Some(p) => check_encrypted(path, p).map(|()| true),
            };
        }
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
    probe(path, &conn)?;
    Ok(false)
}

/// Opens an encrypted file read-only with `passphrase` and checks it as `probe` does.
fn check_encrypted(path: &Path, passphrase: &str) -> Result<()> {
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| not_a_project(path, format!("cannot be read ({e})")))?;
    key(&conn, Some(passphrase))?;
    // A wrong key shows as a file that is not a database at the first read.
    let readable: rusqlite::Result<i64> =
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0));
    if let Err(rusqlite::Error::SqliteFailure(f, _)) = &readable
        && f.code == rusqlite::ErrorCode::NotADatabase
    {
        return Err(Error::WrongPassphrase { path: path.to_path_buf() });
    }
    readable.map_err(|e| not_a_project(path, format!("cannot be read ({e})")))?;
    probe(path, &conn)
}

/// The checks every project passes before it is opened for writing: Baton's application id, a
/// schema this build reads, and SQLite's quick check.
fn probe(path: &Path, conn: &Connection) -> Result<()> {
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
