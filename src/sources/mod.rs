//! Reading the files consultants receive: text encodings, CSV dialects and limits shared by every
//! importer (status exports, event logs, telemetry).

pub mod csvfile;
pub mod kept;
pub mod limits;

pub use csvfile::{CsvDialect, Encoding, MAX_FIELD_BYTES};
pub use kept::{KeptColumn, KeptCounter, KeptValue, refuse_identifying};
