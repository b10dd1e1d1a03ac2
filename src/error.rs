//! The core's error type: every failure names the file, line or field and says what to do.

use std::path::{Path, PathBuf};

use crate::vocab::text_enum;

text_enum!(
    /// The stable machine name of an error (`Error::code`): the app's `AppError.code`, the CLI's
    /// `--json` errors. The UI and scripts switch on it, never on the message. `internal` is a
    /// failure of the app itself (a poisoned lock), never of the project.
    ErrorCode {
        NotAProject => "not_a_project",
        NewerSchema => "newer_schema",
        AlreadyExists => "already_exists",
        Busy => "busy",
        Encrypted => "encrypted",
        WrongPassphrase => "wrong_passphrase",
        BadBundle => "bad_bundle",
        BadInput => "bad_input",
        Cancelled => "cancelled",
        NotFound => "not_found",
        InvalidInput => "invalid_input",
        NothingToUndo => "nothing_to_undo",
        Io => "io",
        DiskFull => "disk_full",
        ReadOnly => "read_only",
        Storage => "storage",
        Internal => "internal",
    }
);

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// What went wrong, with enough context for one clear sentence.
///
/// `code()` is the stable machine name that crosses the IPC boundary; the UI and scripts switch on
/// it, never on the message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {problem}", path = .path.display())]
    NotAProject { path: PathBuf, problem: String },

    #[error(
        "{path} was written by a newer version of Baton (schema version {found}; this version reads up to {supported}): update Baton to open it; the file was not changed",
        path = .path.display()
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },

    #[error(
        "{path} is encrypted: open it with its passphrase (the app asks for it; the command line reads BATON_PASSPHRASE)",
        path = .path.display()
    )]
    Encrypted { path: PathBuf },

    #[error("the passphrase does not open {path}; check it and try again (the file was not changed)", path = .path.display())]
    WrongPassphrase { path: PathBuf },

    #[error(
        "{path}: the project is open in another Baton window or command; close it there and try again (nothing was changed)",
        path = .path.display()
    )]
    Busy { path: PathBuf },

    #[error("{path} already exists: choose another file name or remove it first", path = .path.display())]
    AlreadyExists { path: PathBuf },

    #[error("{file}: {location}: {message}")]
    Bundle { file: String, location: String, message: String },

    /// An import source that cannot be read: the file, where in it (line, field, sheet) and why.
    #[error("{file}: {location}: {message}")]
    Input { file: String, location: String, message: String },

    #[error("cancelled: {0}; the project was not changed")]
    Cancelled(String),

    #[error("{0}")]
    NotFound(String),

    #[error("{field}: {message}")]
    Invalid { field: String, message: String },

    #[error("{0}")]
    NothingToUndo(String),

    #[error("{path}: {source}", path = .path.display())]
    Io { path: PathBuf, source: std::io::Error },

    #[error("{}", storage_message(.0))]
    Storage(#[from] rusqlite::Error),
}

/// The SQLite result code of a storage error, if it has one.
fn sqlite_code(e: &rusqlite::Error) -> Option<rusqlite::ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

fn storage_message(e: &rusqlite::Error) -> String {
    match sqlite_code(e) {
        Some(rusqlite::ErrorCode::DiskFull) => {
            "the disk is full: the change was not saved and the project is as it \
             was before; free some space and try again"
                .to_string()
        }
        Some(rusqlite::ErrorCode::ReadOnly) => {
            "the project file cannot be written (a read-only file, folder or disk): \
             the change was not saved; copy the project somewhere writable and open the copy"
                .to_string()
        }
        _ => format!("project storage failed: {e}"),
    }
}

impl Error {
    /// The sentence a person reads in the app: the message without the field path the command
    /// line shows ("name: a role named \"rn\" already exists" reads "A role named \"rn\" already
    /// exists"; "name: must not be empty" reads "The name must not be empty").
    pub fn for_people(&self) -> String {
        in_app_words(&self.sentence())
    }

    /// The message as `for_people` starts from: the invalid field's name folded into it.
    fn sentence(&self) -> String {
        match self {
            Error::Invalid { field, message } => {
                let starts = |w: &str| message.starts_with(&format!("{w} "));
                if ["must", "is", "needs", "cannot", "has"].iter().any(|w| starts(w)) {
                    format!("The {field} {message}")
                } else {
                    let mut chars = message.chars();
                    chars
                        .next()
                        .map_or_else(String::new, |c| c.to_uppercase().collect::<String>() + chars.as_str())
                }
            }
            other => other.to_string(),
        }
    }

    /// The field an invalid input is about, for a screen to point at; `None` for other errors.
    /// (`for_people` leaves it out of the message.)
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The stable machine-readable name of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotAProject { .. } => ErrorCode::NotAProject,
            Error::NewerSchema { .. } => ErrorCode::NewerSchema,
            Error::AlreadyExists { .. } => ErrorCode::AlreadyExists,
            Error::Busy { .. } => ErrorCode::Busy,
            Error::Encrypted { .. } => ErrorCode::Encrypted,
            Error::WrongPassphrase { .. } => ErrorCode::WrongPassphrase,
            Error::Bundle { .. } => ErrorCode::BadBundle,
            Error::Input { .. } => ErrorCode::BadInput,
            Error::Cancelled(_) => ErrorCode::Cancelled,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Invalid { .. } => ErrorCode::InvalidInput,
            Error::NothingToUndo(_) => ErrorCode::NothingToUndo,
            Error::Io { .. } => ErrorCode::Io,
            Error::Storage(e) => match sqlite_code(e) {
                Some(rusqlite::ErrorCode::DiskFull) => ErrorCode::DiskFull,
                Some(rusqlite::ErrorCode::ReadOnly) => ErrorCode::ReadOnly,
                _ => ErrorCode::Storage,
            },
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.to_path_buf(), source }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Invalid { field: field.into(), message: message.into() }
    }

    pub fn input(file: impl Into<String>, location: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Input { file: file.into(), location: location.into(), message: message.into() }
    }

    pub fn bundle(file: impl Into<String>, location: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Bundle { file: file.into(), location: location.into(), message: message.into() }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod people_tests {
    use super::Error;

    #[test]
    fn an_invalid_input_reads_without_its_field_path() {
        assert_eq!(Error::invalid("name", "must not be empty").for_people(), "The name must not be empty");
        assert_eq!(
            Error::invalid("name", "a role named \"rn\" already exists").for_people(),
            "A role named \"rn\" already exists"
        );
        assert_eq!(Error::invalid("name", "x").to_string(), "name: x", "the command line keeps the path");
        assert_eq!(Error::invalid("guard", "x").field(), Some("guard"));
    }
}

/// The command line's flags in a message, as the app names the same choices.
const APP_WORDS: &[(&str, &str)] = &[
    ("pass --each-row-is-one-record", "tick “Each row is one record”"),
    ("pass --all-facilities", "tick “The counts are for every facility together”"),
    ("name it with --count COLUMN", "choose the Count column"),
    ("name it with --facility COLUMN", "choose the Facility column"),
    ("name it with --timestamp", "choose the Timestamp column"),
    ("name the key with --timestamp", "choose the timestamp key"),
    ("confirm with --keep-identifying-column", "confirm it"),
    ("leave out --keep-column", "do not keep"),
    ("--keep-column", "keeping a column"),
    ("--allow-identifiers", "“Keep as typed”"),
    ("--task", "the task's name"),
];

/// `text` with the command line's flags put as the app's choices; a flag not listed loses its
/// dashes, so no `--flag` reaches a person in the app.
pub fn in_app_words(text: &str) -> String {
    let mut out = text.to_string();
    for (flag, words) in APP_WORDS {
        out = out.replace(flag, words);
    }
    let mut clean = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("--") {
        let next = rest[at + 2..].chars().next();
        clean.push_str(&rest[..at]);
        if next.is_some_and(|c| c.is_ascii_lowercase()) {
            // A flag: its name, without the dashes or backticks around it.
            if clean.ends_with('`') {
                clean.pop();
            }
            rest = &rest[at + 2..];
            let end = rest.find(|c: char| !(c.is_ascii_lowercase() || c == '-')).unwrap_or(rest.len());
            clean.push_str(&rest[..end].replace('-', " "));
            rest = rest[end..].strip_prefix('`').unwrap_or(&rest[end..]);
        } else {
            clean.push_str("--");
            rest = &rest[at + 2..];
        }
    }
    clean.push_str(rest);
    clean
}

#[cfg(test)]
mod app_words_tests {
    use super::in_app_words;

    #[test]
    fn no_command_line_flag_reaches_the_app() {
        let count = "no count column found among the columns A, B: name it with --count COLUMN (Baton recognises headers such as Count), or pass --each-row-is-one-record if every row is one record";
        let said = in_app_words(count);
        assert!(!said.contains("--"), "{said}");
        assert!(said.contains("choose the Count column") && said.contains("tick “Each row is one record”"));
        assert_eq!(in_app_words("use `--draft` or --version N"), "use draft or version N");
        assert_eq!(in_app_words("a dash -- here stays"), "a dash -- here stays");
    }
}
