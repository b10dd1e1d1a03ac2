//! Baton's core: the model, the project file, bundles and everything the app and CLI do, with no
//! dependency on Tauri, a window or a display.

pub mod approach;
pub mod bundle;
pub mod clock;
pub mod design;
pub mod diagram;
pub mod error;
pub mod export;
pub mod findings;
pub mod import;
pub mod interviews;
pub mod layout;
pub mod mapping;
pub mod mining;
pub mod model;
pub mod phi;
pub mod progress;
pub mod recent;
pub mod report;
pub mod review;
pub mod schemas;
pub mod session;
pub mod sources;
pub mod splitmix;
pub mod store;
pub mod telemetry;
pub mod views;
mod vocab;
pub mod xml;

pub use error::{Error, Result};
pub use store::Project;
