//! The one error type that crosses to the UI.

use baton::error::ErrorCode;
use serde::Serialize;
use specta::Type;

/// Every error that reaches the UI: a stable `code` to switch on, a sentence for people (no field
/// paths: `baton::Error::for_people`), and the field an invalid input is about.
#[derive(Debug, Clone, Serialize, Type, PartialEq, Eq)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

impl From<baton::Error> for AppError {
    fn from(e: baton::Error) -> AppError {
        AppError { code: e.code(), message: e.for_people(), field: e.field().map(str::to_string) }
    }
}
