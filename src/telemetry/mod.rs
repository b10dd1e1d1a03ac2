//! Task telemetry after go-live (step 4): reading task events, summarising each task, and the
//! metrics per step, role, facility and version, with a comparison of two versions.
//!
//! Definitions (the README repeats them):
//! - A task's events are ordered by time, ties keeping file order. It was *created* at its first
//!   `created` event (else its first event), *first assigned* at its first `assigned` or
//!   `accepted`, *completed* at its first `completed`; it is *cancelled* when it has a `cancelled`
//!   and no `completed`, *open* when it has neither.
//! - Its step is the one its `created` event names (else its first event's); its role is the one
//!   on its `completed` event, else the last role it had; its facility and version likewise.
//! - Time to complete: completed − created, over completed tasks (median and 90th percentile,
//!   nearest rank). Time to first assignment: first assigned − created, over assigned tasks.
//! - Reassignment rate: the share of tasks with at least one `reassigned` (a task reassigned
//!   twice counts once; `reassignments` counts both). Override and escalation rates likewise with
//!   `overridden` and `escalated`.
//! - Open tasks and their median age at the import's last event.

pub mod fhir;
pub mod import;
pub mod metrics;
pub mod read;

pub use crate::model::TaskGroup;
pub use import::{TelemetrySettings, step_labels};
pub use metrics::{Comparison, MetricRow, Metrics, metrics};
pub use read::{TelemetryColumns, TelemetryOptions, read_telemetry};

/// The task events telemetry carries.
pub const EVENTS: [&str; 8] =
    ["created", "assigned", "accepted", "reassigned", "overridden", "escalated", "completed", "cancelled"];
