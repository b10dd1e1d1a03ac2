//! The `.baton` project file: one SQLite database, opened safely, migrated in order, edited in
//! journaled transactions.

pub mod audit;
pub(crate) mod edit;

pub use edit::{default_timezone, timezones};
pub(crate) mod imports;
pub(crate) mod journal;
mod migrate;
pub(crate) mod rows;
mod schema;

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
    /// What opening the file repaired or cleaned up, in a sentence, for the user to be told.
    recovered: Option<String>,
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
        // Created exclusively: of two processes creating the same path, one gets the file and
        // the other is refused, and a failure removes only a file this call created.
        create_exclusively(path)?;
        let result = (|| {
            let conn = Connection::open(path)?;
            key(&conn, passphrase)?;
            let mut project = Project {
                conn,
                path: Some(path.to_path_buf()),
                encrypted: passphrase.is_some(),
                recovered: None,
            };
            project.initialise(name, model)?;
            Ok(project)
        })();
        if result.is_err() {
            // Nothing of a half-created project may stay behind to be mistaken for a real one.
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(beside(path, suffix));
            }
        }
        result
    }

    /// A project that lives only in memory: how read-only commands load a bundle folder.
    pub fn in_memory(name: &str, model: &Model) -> Result<Project> {
        let conn = Connection::open_in_memory()?;
        let mut project = Project { conn, path: None, encrypted: false, recovered: None };
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
        let mut project = Project { conn, path: Some(path.to_path_buf()), encrypted, recovered: None };
        migrate::run(&mut project.conn, path)?;
        // This connection has read the file, so no passphrase change is under way elsewhere:
        // a re-keyed copy beside it is what a killed one left.
        if let Some(bytes) = remove_leftover_copy(path) {
            let what = format!(
                "removed {}{REKEY_SUFFIX} ({bytes} bytes), the copy an interrupted encrypt or decrypt left; the project was not affected",
                path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
            );
            project.record("recover", &what)?;
            project.recovered = Some(what);
        }
        Ok(project)
    }

    /// What opening the file cleaned up (a leftover copy of an interrupted encrypt), if anything:
    /// the CLI prints it, and it is in the audit trail.
    pub fn recovered(&self) -> Option<&str> {
        self.recovered.as_deref()
    }

    /// Whether the file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// Encrypts the file with `passphrase`, changes its passphrase, or (`None`) decrypts it: the
    /// project is copied into a new file keyed as asked (`sqlcipher_export`), which then replaces
    /// the old one.
    ///
    /// Refused while any other connection (another window, another command) has the file open,
    /// since that connection would go on writing to the file being replaced: the project is
    /// taken exclusively first, and kept so until the new file is in place. The copy is created
    /// 0600 beside the project and removed on every failure; the project's file mode is kept; the
    /// old file's content is overwritten with zeros before it is let go, so a plain copy does not
    /// linger and nothing that was waiting to open it can write to it.
    pub fn set_passphrase(&mut self, passphrase: Option<&str>) -> Result<()> {
        let Some(path) = self.path.clone() else {
            return Err(Error::invalid("project", "a project in memory has no file to encrypt"));
        };
        if passphrase.is_some_and(str::is_empty) {
            return Err(Error::invalid("passphrase", "a passphrase cannot be empty"));
        }
        let permissions = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?.permissions();
        // The copy is made by SQL that the authorizer refuses to anything else (ATTACH).
        self.conn
            .authorizer(None::<fn(rusqlite::hooks::AuthContext<'_>) -> rusqlite::hooks::Authorization>)?;
        if let Err(e) = self.take_exclusively() {
            self.restore_after_failed_rekey()?;
            return Err(e);
        }
        let side = beside(&path, REKEY_SUFFIX);
        let guard = match SideFile::create(&side) {
            Ok(guard) => guard,
            Err(e) => {
                self.restore_after_failed_rekey()?;
                return Err(e);
            }
        };
        let copied = (|| -> Result<()> {
            let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            self.conn.execute(
                "ATTACH DATABASE ?1 AS rekeyed KEY ?2",
                (side.to_string_lossy().as_ref(), passphrase.unwrap_or("")),
            )?;
            self.conn.query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))?;
            self.conn.execute_batch(&format!(
                "PRAGMA rekeyed.user_version = {version}; PRAGMA rekeyed.application_id = {APPLICATION_ID};"
            ))?;
            self.conn.execute_batch("DETACH DATABASE rekeyed")?;
            std::fs::set_permissions(&side, permissions).map_err(|e| Error::io(&side, e))?;
            std::fs::File::open(&side).and_then(|f| f.sync_all()).map_err(|e| Error::io(&side, e))?;
            // The old file leaves write-ahead logging, so that closing this connection later
            // touches no `-wal` file: the new file's log has the same name.
            self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            self.conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
            Ok(())
        })();
        let old = copied.and_then(|()| {
            std::fs::OpenOptions::new().write(true).open(&path).map_err(|e| Error::io(&path, e))
        });
        let old = match old {
            Ok(old) => old,
            Err(e) => {
                let _ = self.conn.execute_batch("DETACH DATABASE rekeyed");
                drop(guard);
                self.restore_after_failed_rekey()?;
                return Err(e);
            }
        };
        // Windows does not rename over an open file: there the lock goes first.
        if cfg!(windows) {
            self.conn = Connection::open_in_memory()?;
        }
        if let Err(e) = std::fs::rename(&side, &path) {
            drop(guard);
            if cfg!(windows) {
                // The connection is closed; the file is as it was and opens again as usual.
                return Err(Error::io(&path, e));
            }
            self.restore_after_failed_rekey()?;
            return Err(Error::io(&path, e));
        }
        guard.disarm();
        if cfg!(unix) {
            // Still holding the old file's lock: whoever was waiting for it finds a file that is
            // no database (an error, never a write that would be lost), and no plain copy stays.
            zero_fill(&old);
        }
        self.conn = Connection::open_in_memory()?;
        drop(old);
        *self = Project::open_with(&path, passphrase)?;
        Ok(())
    }

    /// Takes the file for this connection alone: no other connection may have it open.
    fn take_exclusively(&mut self) -> Result<()> {
        let busy = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Error::Busy { path: self.path.clone().unwrap_or_default() }
            }
            _ => Error::Storage(e),
        };
        self.conn.busy_timeout(std::time::Duration::from_secs(2))?;
        self.conn.query_row("PRAGMA locking_mode = EXCLUSIVE", [], |_| Ok(())).map_err(busy)?;
        // In exclusive locking mode the first write transaction takes an exclusive lock on the
        // file, which no other open connection allows, and keeps it after the transaction.
        self.conn.execute_batch("BEGIN IMMEDIATE; COMMIT;").map_err(busy)
    }

    /// Puts the connection back as `configure` left it after a passphrase change that failed
    /// before the new file took the old one's place (the old file is untouched).
    fn restore_after_failed_rekey(&mut self) -> Result<()> {
        self.release_exclusive();
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        install_authorizer(&self.conn)
    }

    /// Gives the file back to other connections after `take_exclusively`.
    fn release_exclusive(&mut self) {
        let _ = self.conn.execute_batch("ROLLBACK");
        let _ = self.conn.query_row("PRAGMA locking_mode = NORMAL", [], |_| Ok(()));
        // The lock goes at the next access of the file.
        let _ = self.conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()));
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
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

    /// The salt case ids are hashed with, for hashing them outside the project so that the
    /// hashes match the project's (`baton discover --partial`, the query of `baton sql`). Never
    /// written to a bundle.
    pub fn case_salt(&self) -> Result<String> {
        self.salt()
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

/// How long an edit waits for another writer before it says the project is busy.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

fn configure(conn: &Connection) -> Result<()> {
    // Nothing defined in the file (a trigger, a view, a default) may call a function that is
    // not harmless; the schema check already refuses anything Baton did not create.
    conn.pragma_update(None, "trusted_schema", false)?;
    // WAL keeps readers and the writer apart; synchronous=FULL makes every commit durable even
    // across power loss, which is what "nothing committed is lost" promises.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Deleted rows are overwritten with zeros, not left in free pages.
    conn.pragma_update(None, "secure_delete", true)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    install_authorizer(conn)
}

/// The pragmas Baton itself runs on a project; any other (`writable_schema`, `temp_store_directory`,
/// …) is refused on a project connection.
const PRAGMAS: &[&str] = &[
    "application_id",
    "defer_foreign_keys",
    "foreign_keys",
    "integrity_check",
    "journal_mode",
    "key",
    "locking_mode",
    "max_page_count",
    "page_count",
    "query_only",
    "quick_check",
    "secure_delete",
    "synchronous",
    "table_info",
    "trusted_schema",
    "user_version",
    "wal_checkpoint",
];

/// Refuses, on every project connection, what no edit of Baton's needs and a planted statement
/// could use: attaching or detaching another database file, and pragmas outside `PRAGMAS`.
fn install_authorizer(conn: &Connection) -> Result<()> {
    use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
    const ATTACH: i32 = 24;
    const DETACH: i32 = 25;
    conn.authorizer(Some(|ctx: AuthContext<'_>| match ctx.action {
        // VACUUM (purge) attaches a temporary database with no file name, and only that.
        AuthAction::Attach { filename: "" } | AuthAction::Detach { database_name: "vacuum_db" } => {
            Authorization::Allow
        }
        AuthAction::Attach { .. } | AuthAction::Detach { .. } => Authorization::Deny,
        AuthAction::Unknown { code: ATTACH | DETACH, .. } => Authorization::Deny,
        AuthAction::Pragma { pragma_name, .. }
            if !PRAGMAS.contains(&pragma_name.to_ascii_lowercase().as_str()) =>
        {
            Authorization::Deny
        }
        _ => Authorization::Allow,
    }))?;
    Ok(())
}

/// `path` with `suffix` appended to its file name (`X.baton-wal`, `X.baton.rekey`).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The suffix of the re-keyed copy `set_passphrase` makes beside a project.
const REKEY_SUFFIX: &str = ".rekey";

/// Creates `path` as a new, empty file, refusing one that exists (whoever made it).
fn create_exclusively(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(Error::AlreadyExists { path: path.to_path_buf() })
        }
        Err(e) => Err(Error::io(path, e)),
    }
}

/// A file this process created and removes again (zeroed first) unless it is disarmed.
struct SideFile {
    path: Option<PathBuf>,
}

impl SideFile {
    fn create(path: &Path) -> Result<SideFile> {
        if path.exists() {
            remove_securely(path);
        }
        create_exclusively(path)?;
        Ok(SideFile { path: Some(path.to_path_buf()) })
    }

    fn disarm(mut self) {
        self.path = None;
    }
}

impl Drop for SideFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            remove_securely(&path);
            let _ = std::fs::remove_file(beside(&path, "-journal"));
        }
    }
}

/// Overwrites a file's content with zeros (keeping its length) and flushes it to disk.
fn zero_fill(file: &std::fs::File) {
    use std::io::{Seek, Write};
    let Ok(len) = file.metadata().map(|m| m.len()) else { return };
    let mut file = file;
    if file.seek(std::io::SeekFrom::Start(0)).is_err() {
        return;
    }
    let zeros = vec![0u8; 1 << 16];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        if file.write_all(&zeros[..n]).is_err() {
            return;
        }
        left -= n as u64;
    }
    let _ = file.sync_all();
}

/// Zero-fills and deletes a file Baton made (a re-keyed copy that may hold plain text).
fn remove_securely(path: &Path) {
    if let Ok(file) = std::fs::OpenOptions::new().write(true).open(path) {
        zero_fill(&file);
    }
    let _ = std::fs::remove_file(path);
}

/// Removes what a `set_passphrase` that was killed left beside the project: a re-keyed copy,
/// possibly in plain text. Returns its size when there was one.
fn remove_leftover_copy(path: &Path) -> Option<u64> {
    let side = beside(path, REKEY_SUFFIX);
    // Baton makes a regular file there; anything else (a link, a folder) is not its own.
    let meta = std::fs::symlink_metadata(&side).ok().filter(std::fs::Metadata::is_file)?;
    remove_securely(&side);
    let _ = std::fs::remove_file(beside(&side, "-journal"));
    (!side.exists()).then_some(meta.len())
}

fn not_a_project(path: &Path, problem: impl Into<String>) -> Error {
    Error::NotAProject { path: path.to_path_buf(), problem: problem.into() }
}

/// Reads the file without writing to it and decides whether it is a Baton project we can open;
/// returns whether it is encrypted.
///
/// The file's length is not compared with its header: while a write-ahead log holds pages not yet
/// copied back (a checkpoint cut short), the header may already count them. SQLite applies the
/// log when it reads, and `quick_check` then judges the whole.
fn check_file(path: &Path, passphrase: Option<&str>) -> Result<bool> {
    if path.to_string_lossy().ends_with(REKEY_SUFFIX) {
        return Err(not_a_project(
            path,
            "is the unfinished copy Baton makes while it encrypts or decrypts a project, not a project; open the project beside it, which removes it",
        ));
    }
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            let dangling = std::fs::symlink_metadata(path).is_ok();
            not_a_project(
                path,
                if dangling {
                    "is a link to a file that does not exist; check the path"
                } else {
                    "no such file; check the path or create a project with `baton new`"
                },
            )
        } else {
            Error::io(path, e)
        }
    })?;
    if meta.is_dir() {
        return Err(not_a_project(path, "is a folder, not a .baton file"));
    }
    if !meta.is_file() {
        return Err(not_a_project(path, format!("is {}, not a .baton file", special_file_kind(&meta))));
    }
    let len = meta.len();
    let mut header = Vec::with_capacity(4096);
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    std::io::Read::read_to_end(&mut std::io::Read::take(file, 4096), &mut header)
        .map_err(|e| Error::io(path, e))?;
    let read = header.len();
    let header = header.as_slice();
    if len == 0 {
        return Err(not_a_project(path, "is empty, not a Baton project"));
    }
    if read < 16 || &header[..16] != b"SQLite format 3\0" {
        if let Some(kind) = sniff_kind(header) {
            return Err(not_a_project(
                path,
                format!("is not a Baton project: it is {kind}; open a .baton file"),
            ));
        }
        // An encrypted file is noise from its first byte, in whole pages.
        if len >= 4096 && len % 1024 == 0 && looks_random(header) {
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
    if page_size < 512 || !page_size.is_power_of_two() {
        return Err(not_a_project(path, "is corrupt (its header names an impossible page size)"));
    }
    // Shorter than its header says is truncated only when no write-ahead log can hold the rest.
    let page_count = u64::from(u32::from_be_bytes([header[28], header[29], header[30], header[31]]));
    let counts_valid = header[24..28] == header[92..96];
    let log_len = std::fs::metadata(beside(path, "-wal")).map(|m| m.len()).unwrap_or(0);
    if log_len == 0 && (len % page_size != 0 || (counts_valid && len < page_size * page_count)) {
        return Err(damaged(
            path,
            &format!(
                "the file is truncated: {len} bytes, where its header expects {}",
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

/// What a file that is not a regular file is, in words.
pub(crate) fn special_file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// Names common kinds of file by their first bytes, for the message that refuses them.
fn sniff_kind(header: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| header.starts_with(magic);
    if starts(b"PK\x03\x04") {
        return Some("a ZIP archive (a workbook or a zipped folder?)");
    }
    if starts(&[0x1f, 0x8b]) {
        return Some("a gzip-compressed file");
    }
    if starts(b"%PDF") {
        return Some("a PDF document");
    }
    if starts(&[0xd0, 0xcf, 0x11, 0xe0]) {
        return Some("an old-style Office document");
    }
    if starts(&[0xef, 0xbb, 0xbf]) || starts(&[0xff, 0xfe]) || starts(&[0xfe, 0xff]) {
        return Some("a text file");
    }
    let text = header
        .iter()
        .filter(|&&b| b == b'\n' || b == b'\r' || b == b'\t' || (0x20..0x7f).contains(&b))
        .count();
    if !header.is_empty() && text * 100 >= header.len() * 95 {
        return Some("a text file");
    }
    None
}

/// Whether bytes look like an encrypted file's: spread evenly over all 256 values (more than 7.5
/// bits of entropy a byte over a 4 KiB page), as text, documents and sparse files are not.
fn looks_random(bytes: &[u8]) -> bool {
    if bytes.len() < 1024 {
        return false;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[usize::from(b)] += 1;
    }
    let n = bytes.len() as f64;
    let entropy: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum();
    entropy > 7.5
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
/// schema this build reads, exactly the schema Baton's migrations create, and SQLite's quick
/// check.
fn probe(path: &Path, conn: &Connection) -> Result<()> {
    let probe = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            Error::Busy { path: path.to_path_buf() }
        }
        _ => damaged(path, &e.to_string()),
    };
    conn.pragma_update(None, "trusted_schema", false).map_err(probe)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(probe)?;
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
    schema::verify(conn, user_version, path)?;
    let verdict: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(probe)?;
    if verdict != "ok" {
        return Err(damaged(path, &verdict));
    }
    Ok(())
}

/// The refusal of a file SQLite finds damaged: what it reported, how to look closer, and only
/// then backups.
fn damaged(path: &Path, report: &str) -> Error {
    not_a_project(
        path,
        format!(
            "is damaged (SQLite reports: {report}); it was not changed. Run `baton check {}` to see what SQLite finds in a copy of it, then restore it from a backup or a bundle if the check confirms the damage",
            path.display()
        ),
    )
}

/// What `baton check` found in a copy of a project file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// Whether Baton would open the file: a Baton project of a schema this build reads, exactly
    /// Baton's schema, and no problem in SQLite's integrity check.
    pub ok: bool,
    /// Whether the file is encrypted (and was read with the passphrase).
    pub encrypted: bool,
    /// The file's schema version, when it could be read.
    pub schema_version: Option<i64>,
    /// What is wrong, one sentence each; empty when `ok`.
    pub problems: Vec<String>,
}

/// Checks a project file without touching it: the file and its write-ahead log are copied to a
/// temporary folder, SQLite applies the log to the copy, and the copy gets Baton's checks and
/// SQLite's full `integrity_check`. Errors only when the copy cannot be made or read at all.
pub fn check(path: &Path, passphrase: Option<&str>) -> Result<CheckReport> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(not_a_project(path, format!("is {}, not a .baton file", special_file_kind(&meta))));
    }
    let dir = std::env::temp_dir().join(format!("baton-check-{}", new_id()));
    std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    let copy = dir.join("copy.baton");
    let result = (|| {
        std::fs::copy(path, &copy).map_err(|e| Error::io(path, e))?;
        let log = beside(path, "-wal");
        if log.is_file() {
            std::fs::copy(&log, beside(&copy, "-wal")).map_err(|e| Error::io(&log, e))?;
        }
        check_copy(&copy, passphrase)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn check_copy(copy: &Path, passphrase: Option<&str>) -> Result<CheckReport> {
    let mut report = CheckReport { ok: false, encrypted: false, schema_version: None, problems: Vec::new() };
    let mut header = Vec::with_capacity(16);
    std::fs::File::open(copy)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, 16), &mut header))
        .map_err(|e| Error::io(copy, e))?;
    let plain = header == b"SQLite format 3\0";
    let conn = Connection::open(copy)?;
    conn.pragma_update(None, "trusted_schema", false)?;
    if !plain {
        let Some(p) = passphrase else {
            report.problems.push(
                "it is not a plain SQLite database: if it is an encrypted project, give its passphrase (BATON_PASSPHRASE)".into(),
            );
            return Ok(report);
        };
        key(&conn, Some(p))?;
        report.encrypted = true;
    }
    let sqlite_problem = |e: rusqlite::Error| format!("SQLite cannot read it: {e}");
    match conn.query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0)) {
        Ok(APPLICATION_ID) => {}
        Ok(_) => report
            .problems
            .push("it is an SQLite database of another application, not a Baton project".into()),
        Err(e) => {
            report.problems.push(sqlite_problem(e));
            return Ok(report);
        }
    }
    let version: i64 = match conn.query_row("PRAGMA user_version", [], |r| r.get(0)) {
        Ok(v) => v,
        Err(e) => {
            report.problems.push(sqlite_problem(e));
            return Ok(report);
        }
    };
    report.schema_version = Some(version);
    if version > SCHEMA_VERSION {
        report.problems.push(format!(
            "it was written by a newer version of Baton (schema version {version}; this version reads up to {SCHEMA_VERSION})"
        ));
    } else if let Some(problem) = schema::difference(&conn, version, copy)? {
        report.problems.push(format!("its schema is not the one Baton writes: {problem}"));
    }
    let verdict: Vec<String> = match conn.prepare("PRAGMA integrity_check(100)").and_then(|mut stmt| {
        stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()
    }) {
        Ok(lines) => lines,
        Err(e) => vec![sqlite_problem(e)],
    };
    if verdict != ["ok"] {
        report.problems.extend(verdict.into_iter().map(|line| format!("integrity check: {line}")));
    }
    report.ok = report.problems.is_empty();
    Ok(report)
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
    let written = std::fs::write(&partial, bytes)
        .map_err(|e| Error::io(&partial, e))
        .and_then(|()| std::fs::rename(&partial, path).map_err(|e| Error::io(path, e)));
    if written.is_err() {
        // A full disk or a failed rename leaves nothing half-written behind.
        let _ = std::fs::remove_file(&partial);
    }
    written
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_project_connection_refuses_attach_and_pragmas_baton_does_not_run() {
        let dir = std::env::temp_dir().join(format!("baton-auth-{}", new_id()));
        std::fs::create_dir(&dir).unwrap();
        let path = dir.join("p.baton");
        let p = Project::create(&path, "P").unwrap();
        let other = dir.join("other.baton");
        let denied = |sql: &str| p.conn.execute_batch(sql).is_err();
        assert!(denied(&format!("ATTACH DATABASE '{}' AS o", other.display())));
        assert!(!other.exists(), "nothing was created by the refused ATTACH");
        assert!(denied("PRAGMA writable_schema = ON"));
        assert!(denied("PRAGMA temp_store_directory = '/tmp'"));
        let trusted: i64 = p.conn.query_row("PRAGMA trusted_schema", [], |r| r.get(0)).unwrap();
        assert_eq!(trusted, 0);
        // What Baton itself does still works: VACUUM attaches a nameless temporary database.
        assert!(!denied("VACUUM"));
        drop(p);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
