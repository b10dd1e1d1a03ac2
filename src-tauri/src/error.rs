//! The one error type that crosses to the UI.

use baton::error::ErrorCode;
use serde::Serialize;
use specta::Type;

/// Every error that reaches the UI: a stable `code` to switch on and a sentence for people.
#[derive(Debug, Clone, Serialize, Type, PartialEq, Eq)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<baton::Error> for AppError {
    fn from(e: baton::Error) -> AppError {
        AppError { code: e.code(), message: e.to_string() }
    }
}
