//! The bundle's own types for the import settings and task groups its files hold
//! (`inputs/imports.yaml`, `telemetry/*.yaml`), converted to and from the core's types. An import
//! option added to the core therefore changes no file until it is added here, on purpose; the
//! JSON Schemas keep the names they always had.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The formats of status exports (`crate::import::StatusFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusFormatFile {
    Csv,
    Xlsx,
    Fhir,
    Hl7,
}

impl JsonSchema for StatusFormatFile {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StatusFormat".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "enum": ["csv", "xlsx", "fhir", "hl7"]})
    }
}

impl From<crate::import::StatusFormat> for StatusFormatFile {
    fn from(f: crate::import::StatusFormat) -> Self {
        use crate::import::StatusFormat as F;
        match f {
            F::Csv => StatusFormatFile::Csv,
            F::Xlsx => StatusFormatFile::Xlsx,
            F::Fhir => StatusFormatFile::Fhir,
            F::Hl7 => StatusFormatFile::Hl7,
        }
    }
}

impl From<StatusFormatFile> for crate::import::StatusFormat {
    fn from(f: StatusFormatFile) -> Self {
        use crate::import::StatusFormat as F;
        match f {
            StatusFormatFile::Csv => F::Csv,
            StatusFormatFile::Xlsx => F::Xlsx,
            StatusFormatFile::Fhir => F::Fhir,
            StatusFormatFile::Hl7 => F::Hl7,
        }
    }
}

/// Which column holds each part of a value-list row; unset parts are guessed from the headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StatusColumns")]
pub struct StatusColumnsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl From<crate::import::StatusColumns> for StatusColumnsFile {
    fn from(x: crate::import::StatusColumns) -> Self {
        StatusColumnsFile {
            field: x.field,
            value: x.value,
            facility: x.facility,
            count: x.count,
            description: x.description,
        }
    }
}

impl From<StatusColumnsFile> for crate::import::StatusColumns {
    fn from(x: StatusColumnsFile) -> Self {
        crate::import::StatusColumns {
            field: x.field,
            value: x.value,
            facility: x.facility,
            count: x.count,
            description: x.description,
        }
    }
}

/// How to read a status export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StatusOptions")]
pub struct StatusSettingsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<StatusFormatFile>,
    #[serde(default)]
    pub columns: StatusColumnsFile,
    /// The workbook sheet (default: the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The field's name when the file has no field column (default: the file name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// Columns kept besides the mapped ones: their values and counts (CSV and workbooks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep: Vec<String>,
    /// Kept columns that look like identifiers, kept on the user's explicit confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep_identifying: Vec<String>,
    /// Texts that look like patient identifiers, stored as they are on the user's confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_identifiers: Vec<String>,
    /// Every row is one record (a tabular export without a count column, counted a row at a time
    /// on purpose).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rows_are_records: bool,
    /// The counts are for every facility together (a tabular export without a facility column).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_facilities: bool,
}

impl From<crate::import::StatusOptions> for StatusSettingsFile {
    fn from(x: crate::import::StatusOptions) -> Self {
        StatusSettingsFile {
            format: x.format.map(Into::into),
            columns: x.columns.into(),
            sheet: x.sheet,
            delimiter: x.delimiter,
            encoding: x.encoding,
            field_name: x.field_name,
            keep: x.keep,
            keep_identifying: x.keep_identifying,
            allow_identifiers: x.allow_identifiers,
            rows_are_records: x.rows_are_records,
            all_facilities: x.all_facilities,
        }
    }
}

impl From<StatusSettingsFile> for crate::import::StatusOptions {
    fn from(x: StatusSettingsFile) -> Self {
        crate::import::StatusOptions {
            format: x.format.map(Into::into),
            columns: x.columns.into(),
            sheet: x.sheet,
            delimiter: x.delimiter,
            encoding: x.encoding,
            field_name: x.field_name,
            keep: x.keep,
            keep_identifying: x.keep_identifying,
            allow_identifiers: x.allow_identifiers,
            rows_are_records: x.rows_are_records,
            all_facilities: x.all_facilities,
        }
    }
}

/// Which CSV column (by header) or XES attribute key holds each part of an event. Unset parts are
/// guessed from the headers or keys (`guess`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "LogColumns")]
pub struct LogColumnsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// A job role (RN, RT…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// A person or device; hashed, never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
}

impl From<crate::mining::LogColumns> for LogColumnsFile {
    fn from(x: crate::mining::LogColumns) -> Self {
        LogColumnsFile {
            case: x.case,
            activity: x.activity,
            timestamp: x.timestamp,
            role: x.role,
            resource: x.resource,
            facility: x.facility,
        }
    }
}

impl From<LogColumnsFile> for crate::mining::LogColumns {
    fn from(x: LogColumnsFile) -> Self {
        crate::mining::LogColumns {
            case: x.case,
            activity: x.activity,
            timestamp: x.timestamp,
            role: x.role,
            resource: x.resource,
            facility: x.facility,
        }
    }
}

/// The settings of a log import, as remembered (and as a bundle's `inputs/` names them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "LogSettings")]
pub struct LogSettingsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default)]
    pub columns: LogColumnsFile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
    /// Columns (XES: event attribute keys) kept besides the mapped ones: their values and counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep: Vec<String>,
    /// Kept columns that look like identifiers, kept on the user's explicit confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep_identifying: Vec<String>,
    /// Texts that look like patient identifiers, stored as they are on the user's confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_identifiers: Vec<String>,
}

impl From<crate::import::LogSettings> for LogSettingsFile {
    fn from(x: crate::import::LogSettings) -> Self {
        LogSettingsFile {
            format: x.format,
            columns: x.columns.into(),
            delimiter: x.delimiter,
            encoding: x.encoding,
            timestamp_format: x.timestamp_format,
            tz: x.tz,
            keep: x.keep,
            keep_identifying: x.keep_identifying,
            allow_identifiers: x.allow_identifiers,
        }
    }
}

impl From<LogSettingsFile> for crate::import::LogSettings {
    fn from(x: LogSettingsFile) -> Self {
        crate::import::LogSettings {
            format: x.format,
            columns: x.columns.into(),
            delimiter: x.delimiter,
            encoding: x.encoding,
            timestamp_format: x.timestamp_format,
            tz: x.tz,
            keep: x.keep,
            keep_identifying: x.keep_identifying,
            allow_identifiers: x.allow_identifiers,
            threads: 0,
        }
    }
}

/// Which column (or JSON key) holds each part of an event; unset parts are guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TelemetryColumns")]
pub struct TelemetryColumnsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

impl From<crate::telemetry::TelemetryColumns> for TelemetryColumnsFile {
    fn from(x: crate::telemetry::TelemetryColumns) -> Self {
        TelemetryColumnsFile {
            task: x.task,
            workflow: x.workflow,
            version: x.version,
            step: x.step,
            event: x.event,
            role: x.role,
            facility: x.facility,
            timestamp: x.timestamp,
            actor: x.actor,
        }
    }
}

impl From<TelemetryColumnsFile> for crate::telemetry::TelemetryColumns {
    fn from(x: TelemetryColumnsFile) -> Self {
        crate::telemetry::TelemetryColumns {
            task: x.task,
            workflow: x.workflow,
            version: x.version,
            step: x.step,
            event: x.event,
            role: x.role,
            facility: x.facility,
            timestamp: x.timestamp,
            actor: x.actor,
        }
    }
}

/// The settings of a telemetry import, as remembered per file name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TelemetrySettings")]
pub struct TelemetrySettingsFile {
    #[serde(default)]
    pub columns: TelemetryColumnsFile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
    /// Texts that look like patient identifiers, stored as they are on the user's confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_identifiers: Vec<String>,
}

impl From<crate::telemetry::TelemetrySettings> for TelemetrySettingsFile {
    fn from(x: crate::telemetry::TelemetrySettings) -> Self {
        TelemetrySettingsFile {
            columns: x.columns.into(),
            timestamp_format: x.timestamp_format,
            tz: x.tz,
            allow_identifiers: x.allow_identifiers,
        }
    }
}

impl From<TelemetrySettingsFile> for crate::telemetry::TelemetrySettings {
    fn from(x: TelemetrySettingsFile) -> Self {
        crate::telemetry::TelemetrySettings {
            columns: x.columns.into(),
            timestamp_format: x.timestamp_format,
            tz: x.tz,
            allow_identifiers: x.allow_identifiers,
        }
    }
}

/// One group of tasks (same workflow, version, step, facility and role) as the project keeps it:
/// counts, and the durations in seconds the metrics need, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TaskGroup")]
pub struct TaskGroupFile {
    pub workflow: String,
    /// The version number; 0 when the telemetry did not say.
    pub version: i64,
    pub step: String,
    #[serde(default)]
    pub facility: String,
    #[serde(default)]
    pub role: String,
    pub tasks: u64,
    pub completed: u64,
    pub cancelled: u64,
    pub open: u64,
    pub reassigned_tasks: u64,
    pub reassignments: u64,
    pub overridden_tasks: u64,
    pub escalated_tasks: u64,
    /// Seconds from created to completed, one per completed task, sorted.
    #[serde(default)]
    pub complete_secs: Vec<u64>,
    /// Seconds from created to first assignment, one per assigned task, sorted.
    #[serde(default)]
    pub assign_secs: Vec<u64>,
    /// Age in seconds of each open task at the import's last event, sorted.
    #[serde(default)]
    pub open_ages: Vec<u64>,
}

impl From<crate::model::TaskGroup> for TaskGroupFile {
    fn from(x: crate::model::TaskGroup) -> Self {
        TaskGroupFile {
            workflow: x.workflow,
            version: x.version,
            step: x.step,
            facility: x.facility,
            role: x.role,
            tasks: x.tasks,
            completed: x.completed,
            cancelled: x.cancelled,
            open: x.open,
            reassigned_tasks: x.reassigned_tasks,
            reassignments: x.reassignments,
            overridden_tasks: x.overridden_tasks,
            escalated_tasks: x.escalated_tasks,
            complete_secs: x.complete_secs,
            assign_secs: x.assign_secs,
            open_ages: x.open_ages,
        }
    }
}

impl From<TaskGroupFile> for crate::model::TaskGroup {
    fn from(x: TaskGroupFile) -> Self {
        crate::model::TaskGroup {
            workflow: x.workflow,
            version: x.version,
            step: x.step,
            facility: x.facility,
            role: x.role,
            tasks: x.tasks,
            completed: x.completed,
            cancelled: x.cancelled,
            open: x.open,
            reassigned_tasks: x.reassigned_tasks,
            reassignments: x.reassignments,
            overridden_tasks: x.overridden_tasks,
            escalated_tasks: x.escalated_tasks,
            complete_secs: x.complete_secs,
            assign_secs: x.assign_secs,
            open_ages: x.open_ages,
        }
    }
}
