//! Baton's domain model: the nouns of DESIGN.md's glossary as plain Rust types.
//!
//! The records carry no serialization: the bundle format (`crate::bundle`) has its own file types,
//! and what the CLI and the app show is computed in `crate::views`. Only the vocabularies
//! (`enums.rs`), `Named` and the small value types the forms send back (`WriteBack`,
//! `OwnerOverride`) derive serde, so that they cross JSON and the app's boundary as they are.
//!
//! Ids are strings. Baton creates UUID v4 ids for new things; bundles written by hand may use any
//! unique readable id (`rt`, `north`). Either way an id never changes once stored.

pub mod duration;
mod enums;
pub mod sketch;
pub mod task;

pub use enums::{
    ClaimKind, CommentTarget, Decision, EvidenceSource, FieldKind, FindingKind, FindingStatus, ImportKind,
    Severity, StateKind, StepKind, Workaround,
};

/// Something by id and name (a facility, a role, a workflow), as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// A new, globally unique id for something created in Baton.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The engagement itself: one per `.baton` file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectMeta {
    pub id: String,
    pub name: String,
    pub description: String,
    /// The client organisation, for the report's title page.
    pub client: String,
    /// The report's authors, in the order the title page lists them.
    pub authors: Vec<String>,
    /// The report's date (YYYY-MM-DD); empty: the latest date the project holds.
    pub report_date: String,
}

/// A site with its own policies (hospital, clinic, unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facility {
    pub id: String,
    pub name: String,
    /// IANA time zone used for zone-less timestamps from this facility.
    pub timezone: String,
}

/// A job role that owns work; a lane in a swimlane diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// One conversation with one interviewee, recorded by role, facility, shift and alias, never by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Interview {
    pub id: String,
    pub role_id: String,
    pub facility_id: String,
    pub shift: String,
    pub alias: String,
    pub date: String,
    pub interviewer: String,
    pub notes: String,
    /// The workflows the interview is about (ids), named when it was started; its new
    /// statements are about the first.
    pub workflows: Vec<String>,
}

/// One thing an interviewee said about one step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Statement {
    pub id: String,
    pub interview_id: String,
    /// Order within the interview, from 0.
    pub position: i64,
    /// The step in the interviewee's own words.
    pub step_name: String,
    /// The workflow the interviewee was describing; `None` only in files from before workflows
    /// were recorded per statement (such statements are left out of consolidation).
    pub workflow_id: Option<String>,
    /// The canonical step this statement was consolidated into, if any.
    pub step_id: Option<String>,
    pub performed_by: Option<String>,
    pub initiated_by: Option<String>,
    pub validated_by: Option<String>,
    pub escalates_to: Option<String>,
    pub done_means: String,
    pub next_handoff_to: Option<String>,
    pub workarounds: Vec<Workaround>,
    pub pain_point: String,
    pub typical_duration: String,
    pub quote: String,
}

/// A statement's assertion that a role owns (or does not own) a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub id: String,
    pub statement_id: String,
    pub role_id: String,
    pub kind: ClaimKind,
    /// `false` for "the RN does *not* do this".
    pub owns: bool,
}

/// A named flow with a current-state map and proposed versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// A unit of clinical work in a workflow's current-state map.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub id: String,
    pub workflow_id: String,
    pub name: String,
    pub kind: StepKind,
    pub owner_role_id: Option<String>,
    pub done_means: String,
    /// Order along the flow as the consultant listed it, from 0.
    pub position: i64,
    /// A position set by hand in the editor; `None` means "lay out automatically".
    pub manual_xy: Option<(f64, f64)>,
    /// Created by consolidation and not edited by hand since: Baton keeps its owner and "done
    /// means" in step with the interviews and removes it when no statement supports it.
    pub generated: bool,
    /// The consultant's service level (ISO 8601, `PT30M`): the step should be done within this
    /// long of the event before it. Empty when none is set.
    pub service_level: String,
    /// A step where a wait can harm a patient (a critical result not passed on): its findings
    /// rank higher.
    pub safety_critical: bool,
}

/// An edge of the current-state map: work passes from one step to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    pub id: String,
    pub workflow_id: String,
    pub from_step_id: String,
    pub to_step_id: String,
    pub label: String,
    pub position: i64,
    /// Derived from the order of statements and not edited since: removed when no statement
    /// supports it any more.
    pub generated: bool,
}

/// Two steps of a workflow the consultant said are different, so they are never suggested as a
/// merge again. `first_step_id < second_step_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistinctSteps {
    pub workflow_id: String,
    pub first_step_id: String,
    pub second_step_id: String,
}

/// A state with an explicit meaning, e.g. "Charted by RT, awaiting RN reconciliation".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessState {
    pub id: String,
    pub workflow_id: String,
    pub name: String,
    pub meaning: String,
    pub position: i64,
}

/// A status field exported from the EMR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmrField {
    pub id: String,
    pub name: String,
    /// Where the field comes from (an EMR module, a FHIR resource type, an HL7 segment).
    pub source: String,
    pub description: String,
}

/// One value of an EMR field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmrValue {
    pub id: String,
    pub field_id: String,
    pub value: String,
    pub description: String,
}

/// How often a value occurs at a facility, as the EMR export counted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmrValueCount {
    pub value_id: String,
    pub facility_id: String,
    pub count: i64,
}

/// EMR value ↔ business state; `facility_id` `None` means "at every facility".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub id: String,
    pub value_id: String,
    pub state_id: String,
    pub facility_id: Option<String>,
    pub note: String,
}

/// A proposed workflow's version: a draft while `number` is `None`, immutable once published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub id: String,
    pub workflow_id: String,
    pub number: Option<i64>,
    pub note: String,
    pub created_at: String,
}

/// A state of a proposed version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedState {
    pub id: String,
    pub version_id: String,
    pub name: String,
    pub kind: StateKind,
    pub meaning: String,
    /// The task entering this state opens, named for the work its owner must do ("Reconcile
    /// assessment with nursing care plan" while the state is "Charted by RT"); empty for a state
    /// no owned transition enters (`task`).
    pub task: String,
    pub position: i64,
}

/// state → state on an event, with guard, owner role, timer/escalation and write-back actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub id: String,
    pub version_id: String,
    pub from_state_id: String,
    pub to_state_id: String,
    pub event: String,
    pub guard: String,
    pub owner_role_id: Option<String>,
    /// ISO 8601 duration after which the task escalates, e.g. `PT30M`.
    pub timer: String,
    pub escalate_to_role_id: Option<String>,
    pub write_backs: Vec<WriteBack>,
    pub position: i64,
    /// Which of two transitions on the same event from the same state wins when both guards
    /// hold: the lower number. `None` when the transition needs none.
    pub priority: Option<i64>,
    /// Facilities where the task goes to another role than `owner_role_id`, by facility id.
    pub overrides: Vec<OwnerOverride>,
}

/// At `facility_id`, the task a transition creates belongs to `role_id`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct OwnerOverride {
    pub facility_id: String,
    pub role_id: String,
}

/// Set EMR field `field` to `value` when the transition fires.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct WriteBack {
    pub field: String,
    pub value: String,
}

/// A named event of the project's catalog (`assessment_completed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventType {
    pub name: String,
    pub description: String,
    /// The data the event carries, which guards may compare, in order.
    pub fields: Vec<EventField>,
    /// Event-log activities that signal this event (for replay), sorted.
    pub activities: Vec<String>,
}

/// A typed field of an event (`spo2: number`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventField {
    pub name: String,
    pub kind: FieldKind,
}

/// A role's place in the order of a workflow's swimlanes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub workflow_id: String,
    pub role_id: String,
    pub position: i64,
}

/// One group of tasks (same workflow, version, step, facility and role) as the project keeps it:
/// counts, and the durations in seconds the metrics need, sorted. The project file keeps each
/// group as JSON (`telemetry_group.data`), hence serde.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskGroup {
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

/// An imported task-telemetry file: the settings used, the summary, and the task groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelemetryImport {
    pub id: String,
    /// The file's name (no folder), the key under which its settings are remembered.
    pub name: String,
    pub settings: String,
    pub summary: String,
    pub imported_at: String,
    pub groups: Vec<TaskGroup>,
}

/// A clinical lead's sign-off of a published version, bound to a hash of its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    pub id: String,
    pub version_id: String,
    pub name: String,
    pub role: String,
    /// YYYY-MM-DD.
    pub signed_on: String,
    pub decision: Decision,
    pub comment: String,
    /// `design::content_hash` of the version when it was signed.
    pub content_hash: String,
    /// Which content the hash covers (`CONTENT_SCHEME`): 1 before task names were part of a
    /// version's content, 2 with them.
    pub content_scheme: u32,
}

/// The content scheme new sign-offs cover (`design::signoff`): 2, a version's states and
/// transitions with each state's task name.
pub const CONTENT_SCHEME: u32 = 2;

/// A review comment pinned to a step, handoff, state or transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: String,
    pub target: CommentTarget,
    pub target_id: String,
    pub author_role_id: Option<String>,
    /// Who wrote it, by name: a reviewer of a review packet; empty for the consultant's own.
    pub author_name: String,
    /// The comment this one replies to (on the same target).
    pub parent_id: Option<String>,
    pub text: String,
    pub created_at: String,
    pub resolved: bool,
}

/// The consultant's decision on a finding (accepted, or dismissed with a reason). Findings
/// themselves are computed from the model each time (`crate::findings`); their ids are stable, so
/// a decision stays attached across re-analysis. A finding without a decision is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingTriage {
    pub id: String,
    /// The finding's kind and title when the decision was made, so the decision reads on its own.
    pub kind: String,
    pub title: String,
    pub status: FindingStatus,
    pub reason: String,
    pub decided_at: String,
}

/// One imported source file: its kind, format, the mapping used (JSON, so a re-import of the same
/// file name reuses it) and the summary of what was read, dropped and hashed (JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord {
    pub id: String,
    pub kind: ImportKind,
    /// The source's file name (no folder), the key under which its mapping is remembered.
    pub name: String,
    pub format: String,
    pub settings: String,
    pub summary: String,
    pub imported_at: String,
}

/// What Baton keeps of an imported event log: aggregates per facility, never the events.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventLog {
    /// The id of the log's `ImportRecord`.
    pub id: String,
    pub events: i64,
    pub cases: i64,
    pub first_at: String,
    pub last_at: String,
    pub other_variants: i64,
    /// By facility, then activity.
    pub activities: Vec<LogActivity>,
    /// By facility, activity, role.
    pub roles: Vec<LogRole>,
    /// By facility, from, to.
    pub edges: Vec<LogEdge>,
    /// Most frequent first.
    pub variants: Vec<LogVariant>,
}

/// An activity of a log at one facility (facility: a facility id, or the log's own value, or '').
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogActivity {
    pub facility: String,
    pub activity: String,
    pub events: i64,
    pub starts: i64,
    pub ends: i64,
    /// How many times a next event followed, and the median and 90th percentile of the wait.
    pub wait_count: i64,
    pub wait_median: f64,
    pub wait_p90: f64,
}

/// How often a role (a role id, or the log's own value) did an activity at a facility.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogRole {
    pub facility: String,
    pub activity: String,
    pub role: String,
    pub events: i64,
}

/// A directly-follows edge of a log at one facility.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogEdge {
    pub facility: String,
    pub from: String,
    pub to: String,
    pub count: i64,
    pub mean_seconds: f64,
    pub median_seconds: f64,
    /// The waits as a quantile sketch; `None` for a log imported before sketches were kept (its
    /// tail cannot be judged until it is imported again).
    pub sketch: Option<sketch::Sketch>,
}

/// A variant of a log with its count and a salted hash of one case that followed it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogVariant {
    pub activities: Vec<String>,
    pub count: i64,
    pub example_case: String,
}

/// The whole project in memory: what a bundle holds. Every list is in its canonical order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    pub project: Option<ProjectMeta>,
    pub facilities: Vec<Facility>,
    pub roles: Vec<Role>,
    pub interviews: Vec<Interview>,
    pub statements: Vec<Statement>,
    pub claims: Vec<Claim>,
    pub workflows: Vec<Workflow>,
    pub steps: Vec<Step>,
    pub handoffs: Vec<Handoff>,
    pub distinct_steps: Vec<DistinctSteps>,
    pub lanes: Vec<Lane>,
    pub business_states: Vec<BusinessState>,
    pub emr_fields: Vec<EmrField>,
    pub emr_values: Vec<EmrValue>,
    pub emr_value_counts: Vec<EmrValueCount>,
    pub mappings: Vec<Mapping>,
    pub versions: Vec<Version>,
    pub proposed_states: Vec<ProposedState>,
    pub transitions: Vec<Transition>,
    pub events: Vec<EventType>,
    pub comments: Vec<Comment>,
    pub signoffs: Vec<SignOff>,
    pub telemetry: Vec<TelemetryImport>,
    pub finding_triage: Vec<FindingTriage>,
    pub imports: Vec<ImportRecord>,
    pub logs: Vec<EventLog>,
}
