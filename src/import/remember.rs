//! The settings remembered per file name: an import that sets nothing but the user's
//! confirmations reuses the settings of the last import of a file of the same name, with today's
//! confirmations added. One rule for every kind of import (status exports, event logs, task
//! telemetry) and for the import dialog's preview.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{LogSettings, StatusColumns, StatusOptions};
use crate::telemetry::TelemetrySettings;

/// Import settings a later import of the same file name may reuse. The project keeps them as
/// JSON text with the import (`ImportRecord.settings`, `TelemetryImport.settings`); `stored`
/// reads it back, here and nowhere else.
pub trait Remembered: Clone + Serialize + DeserializeOwned {
    /// Whether nothing but confirmations was given, so the remembered settings apply.
    fn is_unset(&self) -> bool;
    /// These remembered settings, with the confirmations `given` now added.
    fn confirmed(self, given: &Self) -> Self;

    /// The settings the project keeps for an import, as these settings.
    fn stored(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// The settings as the project keeps them.
    fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The settings an import uses: `given`, or, when it sets nothing but confirmations, those the
/// project kept with the last import of a file of the same name (`stored`) plus the confirmations
/// given now. The flag says whether remembered settings were used.
pub fn settings_to_use<T: Remembered>(given: &T, stored: Option<&str>) -> (T, bool) {
    match stored.filter(|_| given.is_unset()).and_then(T::stored) {
        Some(previous) => (previous.confirmed(given), true),
        None => (given.clone(), false),
    }
}

/// The confirmations remembered and those given now, each once.
fn union(remembered: &[String], given: &[String]) -> Vec<String> {
    let mut all: Vec<String> = remembered.iter().chain(given).cloned().collect();
    all.sort();
    all.dedup();
    all
}

impl Remembered for StatusOptions {
    fn is_unset(&self) -> bool {
        self.columns == StatusColumns::default() && self.sheet.is_none()
    }

    fn confirmed(self, given: &Self) -> Self {
        StatusOptions {
            format: given.format.or(self.format),
            allow_identifiers: union(&self.allow_identifiers, &given.allow_identifiers),
            keep_identifying: union(&self.keep_identifying, &given.keep_identifying),
            rows_are_records: self.rows_are_records || given.rows_are_records,
            all_facilities: self.all_facilities || given.all_facilities,
            ..self
        }
    }
}

impl Remembered for LogSettings {
    fn is_unset(&self) -> bool {
        LogSettings {
            allow_identifiers: Vec::new(),
            keep_identifying: Vec::new(),
            threads: 0,
            ..self.clone()
        } == LogSettings::default()
    }

    fn confirmed(self, given: &Self) -> Self {
        LogSettings {
            allow_identifiers: union(&self.allow_identifiers, &given.allow_identifiers),
            keep_identifying: union(&self.keep_identifying, &given.keep_identifying),
            ..self
        }
    }
}

impl Remembered for TelemetrySettings {
    fn is_unset(&self) -> bool {
        TelemetrySettings { allow_identifiers: Vec::new(), ..self.clone() } == TelemetrySettings::default()
    }

    fn confirmed(self, given: &Self) -> Self {
        TelemetrySettings {
            allow_identifiers: union(&self.allow_identifiers, &given.allow_identifiers),
            ..self
        }
    }
}
