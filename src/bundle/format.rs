//! The bundle's file types: what each YAML file holds, with the JSON Schema derived from them.
//!
//! These are transport types: they mirror the files people read and diff, and convert to and from
//! `crate::model` in `read.rs` and `write.rs`. Optional text is omitted from a file when empty.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The bundle format's name in `baton.yaml`.
pub const FORMAT: &str = "baton-bundle";
/// The bundle format's version; readers refuse newer ones.
pub const FORMAT_VERSION: u32 = 1;

fn is_empty(text: &str) -> bool {
    text.is_empty()
}

fn utc() -> String {
    "UTC".to_string()
}

fn task() -> String {
    "task".to_string()
}

fn is_false(flag: &bool) -> bool {
    !flag
}

fn yes() -> bool {
    true
}

/// `baton.yaml`: what the folder is and which project it holds.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// Always `baton-bundle`.
    pub format: String,
    /// The bundle format version, currently 1.
    pub format_version: u32,
    pub project: ProjectFile,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub description: String,
    /// The client organisation, for the report's title page.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub client: String,
    /// The report's authors, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The report's date (YYYY-MM-DD); without it, the latest date the project holds.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub report_date: String,
}

/// One entry of `facilities.yaml`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FacilityFile {
    pub id: String,
    pub name: String,
    /// IANA time zone for zone-less timestamps; `UTC` when absent.
    #[serde(default = "utc")]
    pub timezone: String,
}

/// One entry of `roles.yaml`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleFile {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub description: String,
}

/// One entry of `events.yaml`, the project's event catalog.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub description: String,
    /// The data the event carries, by name: `number`, `string` or `boolean`. Guards compare
    /// these fields.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub fields: std::collections::BTreeMap<String, String>,
    /// Event-log activities that signal this event, for replaying a log through a version.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
}

/// `interviews/<id>.yaml`: one interview and its statements in the order they were made.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterviewFile {
    pub id: String,
    /// The interviewee's role id.
    pub role: String,
    /// The facility id.
    pub facility: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub shift: String,
    /// An alias such as `RT-3`; never a person's name.
    pub alias: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub date: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub interviewer: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub notes: String,
    /// The workflow ids the interview is about, named when it was started; its new statements
    /// are about the first. Left out, they are the workflows its statements are about, in the
    /// order they first come up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workflows: Vec<String>,
    #[serde(default)]
    pub statements: Vec<StatementFile>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementFile {
    pub id: String,
    /// The step in the interviewee's words.
    pub step: String,
    /// The workflow id the interviewee was describing; written only when `step_id` is absent
    /// (a step belongs to one workflow, so `step_id` already says it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    /// The id of the canonical step this statement was consolidated into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiated_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validated_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalates_to: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub done_means: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_handoff_to: Option<String>,
    /// Any of `shadow_spreadsheet`, `double_documentation`, `manual_reentry`, `verbal_handoff`, `other`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workarounds: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub pain_point: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub typical_duration: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub quote: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ClaimFile>,
}

/// "I think the RN does this": a claim about which role owns the step.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimFile {
    pub id: String,
    /// The role id the claim is about.
    pub role: String,
    /// `performs` or `validates`.
    pub kind: String,
    /// `false` for "the RN does not do this".
    #[serde(default = "yes")]
    pub owns: bool,
}

/// `workflows/<id>.yaml`: the current-state map, its business states and the proposed versions.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowFile {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub description: String,
    /// Current-state steps in flow order.
    #[serde(default)]
    pub steps: Vec<StepFile>,
    #[serde(default)]
    pub handoffs: Vec<HandoffFile>,
    #[serde(default)]
    pub business_states: Vec<BusinessStateFile>,
    /// Proposed versions, published ones by number, then the draft (no number).
    #[serde(default)]
    pub versions: Vec<VersionFile>,
    /// Pairs of step ids the consultant said are different steps, so consolidation never suggests
    /// merging them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distinct_steps: Vec<[String; 2]>,
    /// Role ids in the order their swimlanes are drawn, as arranged in the editor; roles not
    /// listed follow, in the order the flow first reaches them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lanes: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    pub id: String,
    pub name: String,
    /// `start`, `task`, `decision` or `end`; `task` when absent.
    #[serde(default = "task")]
    pub kind: String,
    /// The owning role id (the lane).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub done_means: String,
    /// A position set by hand in the swimlane editor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<PositionFile>,
    /// `true` while the step is as consolidation made it from the interviews (Baton updates its
    /// owner and "done means" and removes it when no statement supports it); absent once edited
    /// by hand.
    #[serde(default, skip_serializing_if = "is_false")]
    pub generated: bool,
    /// The service level the consultant set (ISO 8601, e.g. `PT30M`): the step should be done
    /// within this long of the event before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level: Option<String>,
    /// A step where waiting can harm a patient; its findings rank higher.
    #[serde(default, skip_serializing_if = "is_false")]
    pub safety_critical: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionFile {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffFile {
    pub id: String,
    /// Step id the work leaves.
    pub from: String,
    /// Step id the work arrives at.
    pub to: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub label: String,
    /// `true` while the handoff is derived from the order of statements and not edited by hand.
    #[serde(default, skip_serializing_if = "is_false")]
    pub generated: bool,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessStateFile {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub meaning: String,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionFile {
    pub id: String,
    /// The published version number; absent for the draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub note: String,
    /// RFC 3339 time the version was created.
    pub created_at: String,
    #[serde(default)]
    pub states: Vec<ProposedStateFile>,
    #[serde(default)]
    pub transitions: Vec<TransitionFile>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposedStateFile {
    pub id: String,
    pub name: String,
    /// `initial`, `intermediate` or `terminal`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub meaning: String,
    /// The task entering the state opens, named for the work its owner must do. Absent in files
    /// from before task names: Baton then derives it from the workflow's steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionFile {
    pub id: String,
    /// State id.
    pub from: String,
    /// State id.
    pub to: String,
    /// Event name from `events.yaml`.
    pub event: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub guard: String,
    /// Role id owning the task this transition creates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// ISO 8601 duration, e.g. `PT30M`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub timer: String,
    /// Role id the task escalates to when the timer fires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalate_to: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write_back: Vec<WriteBackFile>,
    /// Which of two transitions on the same event from the same state wins when both guards
    /// hold: the lower number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// Facility id → role id owning the task at that facility instead of `owner`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub owner_at: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteBackFile {
    pub field: String,
    pub value: String,
}

impl From<&WriteBackFile> for crate::model::WriteBack {
    fn from(wb: &WriteBackFile) -> Self {
        crate::model::WriteBack { field: wb.field.clone(), value: wb.value.clone() }
    }
}

impl From<&crate::model::WriteBack> for WriteBackFile {
    fn from(wb: &crate::model::WriteBack) -> Self {
        WriteBackFile { field: wb.field.clone(), value: wb.value.clone() }
    }
}

/// One entry of `emr/fields.yaml`: a status field and its values.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmrFieldFile {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub source: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub description: String,
    #[serde(default)]
    pub values: Vec<EmrValueFile>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmrValueFile {
    pub id: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub description: String,
}

/// One row of `emr/value-counts.csv`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ValueCountRow {
    pub value_id: String,
    pub facility_id: String,
    pub count: i64,
}

/// One entry of `mappings.yaml`: EMR value ↔ business state, optionally for one facility.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    pub id: String,
    /// EMR value id.
    pub value: String,
    /// Business state id.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub note: String,
}

/// One entry of `comments.yaml`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentFile {
    pub id: String,
    /// `step`, `handoff`, `state` or `transition`.
    pub target_kind: String,
    pub target_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_role: Option<String>,
    /// Who wrote it, by name (a reviewer of a review packet); absent for the consultant's own.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// The id of the comment this one replies to, on the same target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub text: String,
    pub created_at: String,
    #[serde(default)]
    pub resolved: bool,
}

/// One entry of `findings.yaml`: the consultant's decision on a finding. Findings are computed
/// from the model; a finding with no entry here is open.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingTriageFile {
    /// The finding's stable id, as `baton findings` prints it.
    pub id: String,
    pub kind: String,
    /// The finding's title when the decision was made.
    pub title: String,
    /// `accepted` or `dismissed`.
    pub status: String,
    /// Why it was dismissed (required for `dismissed`).
    #[serde(default, skip_serializing_if = "is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub decided_at: String,
}

/// `telemetry/<id>.yaml`: an imported task-telemetry file and the task groups it produced.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TelemetryFile {
    pub id: String,
    /// The source file's name.
    pub name: String,
    #[serde(default)]
    pub settings: super::settings::TelemetrySettingsFile,
    /// What the import read, dropped and hashed.
    #[serde(default)]
    pub summary: serde_json::Value,
    pub imported_at: String,
    pub groups: Vec<super::settings::TaskGroupFile>,
}

/// One entry of `signoffs.yaml`: a clinical lead's decision on a published version.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOffFile {
    pub id: String,
    /// The version's id (in `workflows/*.yaml`).
    pub version: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub role: String,
    /// YYYY-MM-DD.
    pub signed_on: String,
    /// `approved` or `changes_requested`.
    pub decision: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub comment: String,
    /// SHA-256 of the version's content when it was signed; a different content breaks the sign-off.
    pub content_hash: String,
    /// Which content the hash covers: 1 (absent) for states and transitions without task names, as
    /// sign-offs were given before task names were content; 2 with them.
    #[serde(default = "first_scheme", skip_serializing_if = "is_first_scheme")]
    #[schemars(range(min = 1, max = 2))]
    pub content_scheme: u32,
}

fn first_scheme() -> u32 {
    1
}

fn is_first_scheme(scheme: &u32) -> bool {
    *scheme == 1
}

/// One entry of `imports.yaml`: a source file imported into the project, the mapping used and
/// what the import read, dropped and hashed. The raw file itself is not part of the project.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportFile {
    pub id: String,
    /// `status`, `log` or `telemetry`.
    pub kind: String,
    /// The source's file name; a re-import of a file with this name reuses `settings`.
    pub name: String,
    pub format: String,
    /// The mapping and reading options used (columns, delimiter, encoding, sheet, time zone…).
    pub settings: serde_json::Value,
    /// What was read, dropped and hashed.
    pub summary: serde_json::Value,
    pub imported_at: String,
}

/// `logs/<id>.yaml`: what the project keeps of an imported event log (its `imports.yaml` entry has
/// the same id). Facility and role values are facility and role ids when the log's value matched
/// one, else the log's own value; `""` when the log had none.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogFile {
    pub id: String,
    pub events: i64,
    pub cases: i64,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub first_at: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub last_at: String,
    /// Cases whose variant is not among `variants` (the most frequent ones are kept).
    #[serde(default)]
    pub other_variants: i64,
    pub activities: Vec<LogActivityFile>,
    pub roles: Vec<LogRoleFile>,
    pub edges: Vec<LogEdgeFile>,
    pub variants: Vec<LogVariantFile>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogActivityFile {
    pub facility: String,
    pub activity: String,
    pub events: i64,
    pub starts: i64,
    pub ends: i64,
    /// How often a next event followed, and the median and 90th percentile of the wait (seconds).
    pub wait_count: i64,
    pub wait_median: f64,
    pub wait_p90: f64,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogRoleFile {
    pub facility: String,
    pub activity: String,
    pub role: String,
    pub events: i64,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogEdgeFile {
    pub facility: String,
    pub from: String,
    pub to: String,
    pub count: i64,
    pub mean_seconds: f64,
    pub median_seconds: f64,
    /// The waits as a DDSketch (1 % relative accuracy): `0:ZEROS BUCKET:COUNT …`. Absent for a log
    /// imported before sketches were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sketch: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogVariantFile {
    pub activities: Vec<String>,
    pub count: i64,
    /// A salted hash of one case that followed this variant.
    pub example_case: String,
}

/// One entry of `inputs/imports.yaml`: a raw source file under `inputs/` and how to import it.
/// `baton new FILE --bundle DIR` imports each, in order.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    /// The file, relative to `inputs/`.
    pub file: String,
    /// `status` or `log`.
    pub kind: String,
    /// For `status`: the format, column mapping, sheet, delimiter, encoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<super::settings::StatusSettingsFile>,
    /// For `log`: the format, column mapping, delimiter, encoding, timestamp format, time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<super::settings::LogSettingsFile>,
    /// For `log`: a `resource,role` CSV under `inputs/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_roles: Option<String>,
    /// For `telemetry`: the column mapping, timestamp format, time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telemetry: Option<super::settings::TelemetrySettingsFile>,
}
