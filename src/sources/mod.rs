//! Reading the files consultants receive: text encodings, CSV dialects and limits shared by every
//! importer (status exports, event logs, telemetry).

pub mod csvfile;
pub mod kept;
pub mod limits;

pub use csvfile::{CsvDialect, Encoding, MAX_FIELD_BYTES};
pub use kept::{KeptColumn, KeptCounter, KeptValue, refuse_identifying};

/// A name as Baton stores it: control characters (a line break inside a quoted CSV field, a tab)
/// become spaces, runs of them one space, and surrounding whitespace goes. Borrowed when the name
/// is already clean, which is nearly always.
pub fn clean_name(name: &str) -> std::borrow::Cow<'_, str> {
    let clean = !name.starts_with(char::is_whitespace)
        && !name.ends_with(char::is_whitespace)
        && !name.chars().any(char::is_control);
    if clean {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    for word in name.split(|c: char| c.is_control() || c.is_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    std::borrow::Cow::Owned(out)
}
