//! Argument parsing and dispatch for the `baton` command.

mod commands;
mod json;
mod logs;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use baton::model::FindingStatus;
use clap::{Parser, Subcommand};

/// A failed command: the error, and whether it was bad usage (exit 2) or a failure (exit 1).
pub(crate) enum Failure {
    Error(baton::Error),
    Usage(String),
    /// A check found problems, already printed: exit 1 without another message.
    Found,
}

impl From<baton::Error> for Failure {
    fn from(e: baton::Error) -> Failure {
        Failure::Error(e)
    }
}

pub(crate) type CmdResult = Result<(), Failure>;

/// A workflow and which of its proposed versions: `--version N`, `--draft`, or neither.
#[derive(Debug, clap::Args)]
struct WorkflowVersion {
    /// The workflow (id or name, any case).
    #[arg(long)]
    workflow: String,
    /// A published version number of the proposed workflow.
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..), conflicts_with = "draft")]
    version: Option<i64>,
    /// The proposed draft.
    #[arg(long)]
    draft: bool,
}

impl WorkflowVersion {
    /// The version named; the latest published one without --version or --draft.
    fn pick(&self) -> baton::design::Pick {
        match (self.version, self.draft) {
            (Some(n), _) => baton::design::Pick::Version(n),
            (None, true) => baton::design::Pick::Draft,
            (None, false) => baton::design::Pick::Latest,
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "baton",
    version,
    about = "Baton: map, analyse and fix clinical workflows that broke after an EMR integration",
    long_about = "Baton: map, analyse and fix clinical workflows that broke after an EMR integration.\n\n\
PROJECT is a .baton file, or a bundle folder for commands that only read (info, findings, diagram, validate, export, replay). \
Exit codes: 0 success, 1 error, 2 bad usage."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Import EMR status values with counts per facility: CSV or a workbook (columns mapped),
    /// FHIR R4 JSON (Bundle or NDJSON) or HL7 v2 order messages.
    #[command(long_about = "Import EMR status values with counts per facility.\n\n\
CSV (any delimiter, UTF-8 with or without BOM, or Windows-1252) and XLSX/XLS with columns mapped to field, \
value, facility, count and description; unset column flags are guessed from the headers and the guess is \
printed. FHIR R4 JSON (a Bundle, NDJSON or one resource): Task status and businessStatus, ServiceRequest, \
Encounter, Observation and Composition status, DocumentReference docStatus, per Location or Organization \
referenced. HL7 v2 ORM/OML/ORU messages: ORC-1, ORC-5 and OBR-25 per sending facility (MSH-4). \
Unmapped columns are dropped unless named with --keep-column (then their values and counts are kept; a column \
that looks like names or identifiers also needs --keep-identifying-column). Values that look like patient \
identifiers (the patterns of baton phi) are replaced by a stable placeholder before anything is stored, unless \
confirmed with --allow-identifiers TEXT (recorded in the audit trail). \
The mapping is remembered for the file name; importing the same file again replaces its counts. The summary goes to stderr, or stdout with --json.")]
    Status {
        /// The .baton file.
        project: PathBuf,
        /// The export file.
        source: PathBuf,
        #[command(flatten)]
        args: Box<logs::StatusArgs>,
        /// Print the import summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import task telemetry (CSV or JSON lines): task groups and durations, not the tasks.
    #[command(
        long_about = "Import task telemetry after go-live (CSV or JSON lines), one event per row: task id, \
workflow, version, step or transition, event (created, assigned, accepted, reassigned, overridden, escalated, \
completed, cancelled), role, facility, timestamp, actor. Unset column flags are guessed from the headers. The \
project keeps per workflow, version, step, facility and role the counts and durations the metrics need; task ids \
and actors are only used to group. Transitions of a published version that no task names are reported as \
missing. Importing a file of the same name again replaces it."
    )]
    Telemetry {
        /// The .baton file.
        project: PathBuf,
        /// The telemetry file.
        source: PathBuf,
        #[command(flatten)]
        args: Box<logs::TelemetryArgs>,
        /// Print the import summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import an event log (CSV, XES, XES.gz, Parquet): aggregates and variants, not the events.
    #[command(long_about = "Import an event log (CSV, XES, XES.gz, Parquet) into a project.\n\n\
The project keeps per facility: activity counts with the roles that did them and the wait to the next \
event, directly-follows edges with mean and median times, and the 100 most frequent variants with a salted \
hash of one example case. Case ids are hashed; people (--resource) are only counted and read for their role \
(--resource-roles FILE.csv maps people to roles); unmapped columns are dropped unless named with \
--keep-column (then their values and counts are kept; one that looks like names or identifiers also needs \
--keep-identifying-column). Activities, roles and facilities that look like patient identifiers are replaced by a \
stable placeholder before anything is stored, unless confirmed with --allow-identifiers TEXT. Zone-less times are read in \
the facility's time zone, else --tz, else UTC. Importing a file of the same name again replaces it.")]
    Log {
        /// The .baton file.
        project: PathBuf,
        /// The log file.
        source: PathBuf,
        #[command(flatten)]
        args: Box<logs::LogArgs>,
        /// Keep this unmapped column (XES: event attribute key) too: its values and their counts; may
        /// repeat.
        #[arg(long = "keep-column", value_name = "NAME")]
        keep: Vec<String>,
        #[command(flatten)]
        identifiers: logs::IdentifierArgs,
        /// Print the import summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Merge partial log aggregates (from `discover --partial` or a `baton sql` query) into a project as one log.
    #[command(long_about = "Merge partial log aggregates into a project as one log.\n\n\
Each FILE is the aggregate of part of one log: from `baton discover LOG --partial OUT.json`, or the result of \
the query `baton sql` writes, exported from the warehouse as CSV or JSON. Parts must hold different cases (a \
log split by facility, or by the month a case started): then the project keeps exactly what importing the \
whole log would keep. A case split between two parts loses the edge between its halves and counts twice. \
Activities, roles and facilities that look like patient identifiers are replaced as in `import log`. \
Importing under the same name again replaces the log.")]
    Aggregate {
        /// The .baton file.
        project: PathBuf,
        /// The aggregate files (JSON or CSV).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The log's name in the project (default: after the files).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        identifiers: logs::IdentifierArgs,
        /// Print the import summary as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a project file: empty, from a workflow template, or from a bundle folder.
    New {
        /// The .baton file to create; it must not exist yet.
        file: PathBuf,
        /// The project's name (default: the bundle's or template's name, or the file name).
        #[arg(long)]
        name: Option<String>,
        /// Start from a workflow template shipped with Baton (see `baton templates`).
        #[arg(long, conflicts_with = "bundle")]
        template: Option<String>,
        /// Start from a bundle folder (the one holding baton.yaml).
        #[arg(long)]
        bundle: Option<PathBuf>,
        /// Encrypt the file with the passphrase in BATON_PASSPHRASE.
        #[arg(long)]
        encrypt: bool,
    },
    /// Show the project at a glance: facilities, roles, interviews, steps, workflows.
    #[command(long_about = "Show the project at a glance.\n\n\
With --json prints {\"name\", \"facilities\": [{\"id\", \"name\"}], \"roles\": [{\"id\", \"name\"}], \
\"interviews\": int, \"steps\": int, \"workflows\": [{\"id\", \"name\", \"versions\": [int], \"draft\": bool}]}, \
every list sorted by name.")]
    Info {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a project as a bundle folder, or read the bundle format's schema.
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// Reverse the latest edit of a project file.
    #[command(long_about = "Reverse the latest edit of a project file.\n\n\
Prints what was undone. Exits 1 when there is nothing to undo.")]
    Undo {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Re-apply the latest undone edit of a project file.
    #[command(long_about = "Re-apply the latest undone edit of a project file.\n\n\
Prints what was redone. Exits 1 when there is nothing to redo.")]
    Redo {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Add or list the roles (swimlanes) of a project.
    #[command(subcommand)]
    Role(RoleCommand),
    /// Add or list the facilities of a project.
    #[command(subcommand)]
    Facility(FacilityCommand),
    /// Review packets for clinical leads: write one, or import the review saved from it.
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Where each workflow stands: the integration approach of its current state and latest version.
    #[command(long_about = "Where each workflow stands: for its current state and its latest proposed \
version (the latest published one, else the draft), whether role logic is handled, whether state is shared \
across systems, whether it is measured, and the resulting approach: data-centric integration, EMR-only \
configuration, event-driven orchestrator or orchestrator + telemetry. Each cell lists its evidence. The \
rules are in the README (\"Where each workflow stands\"). With --json prints {\"workflows\": [{\"workflow_id\", \
\"workflow\", \"current\": STAND, \"proposed\": STAND|null}]} by workflow name, where STAND is {\"label\", \
\"version\": int|null, \"role_logic\": {\"holds\": bool, \"evidence\": [str]}, \"shared_state\": {…}, \
\"measured\": {…}, \"approach\": \"data_centric\"|\"emr_only\"|\"event_driven\"|\"orchestrator_telemetry\", \
\"approach_label\"}.")]
    Approach {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        /// Only this workflow (id or name).
        #[arg(long)]
        workflow: Option<String>,
        /// Print the table as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List what Baton found in a project: ownership problems from the interviews, and more.
    #[command(long_about = "List what Baton found in a project.\n\n\
Kinds: ownership_drift, unconfirmed_owner, contested_ownership, orphan_step, unacknowledged_handoff, \
facility_divergence, definition_divergence, workaround_hotspot (from the interviews); ambiguous_status, \
invisible_state, unused_value, unmapped_value, redundant_values, undocumented_transition, unobserved_transition, \
stall, role_mismatch (from EMR data and logs; rules in the README). With --json prints an array of {\"id\", \"kind\", \"severity\", \"title\", \
\"subject\": {\"workflow\"?, \"step\"?, \"roles\"?, \"facilities\"?}, \"evidence\": [{\"source\", \"text\", \
\"interview\"?, \"alias\"?, \"facility\"?, \"statement\"?, \"count\"?}], \"recommendation\", \"status\", \
\"reason\"? (dismissed only)}, sorted by severity (high first), cases affected (most first), kind, then title. Subject and evidence \
hold ids. Ids are stable across runs. Dismissed findings are listed with their reason.")]
    Findings {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        /// Only findings of this kind (may repeat).
        #[arg(long = "kind", value_name = "K")]
        kinds: Vec<String>,
        /// stall: an edge stalls when its median wait is more than this many times the log's
        /// typical wait (the median of its edges' medians).
        #[arg(long = "stall-factor", default_value_t = 3.0, value_name = "X")]
        stall_factor: f64,
        /// stall: only edges seen at least this many times are judged.
        #[arg(long = "stall-min-events", default_value_t = 20, value_name = "N")]
        stall_min_events: i64,
        /// Only findings with this status: open, accepted or dismissed.
        #[arg(long, value_parser = ["open", "accepted", "dismissed"])]
        status: Option<String>,
        /// Only findings of this severity: high, medium or low.
        #[arg(long, value_parser = ["high", "medium", "low"])]
        severity: Option<String>,
        /// Only findings whose title, evidence, recommendation or names hold all these words.
        #[arg(long)]
        search: Option<String>,
        /// Write the findings listed to this file, .csv or .xlsx, evidence included.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Accept, dismiss or reopen a finding (by the id `baton findings` prints).
    #[command(subcommand)]
    Finding(FindingCommand),
    /// Group statements that have no step yet and refresh the generated parts of the current-state maps.
    #[command(long_about = "Group statements that have no step yet into steps, and refresh the \
current-state maps' generated steps and handoffs from the statements.\n\n\
Edits in the app and CLI do this by themselves; run it after `baton new --bundle` of a bundle \
whose statements have no step_id. Steps and handoffs edited by hand are kept.")]
    Consolidate {
        project: PathBuf,
        /// Only this workflow (id or name).
        #[arg(long)]
        workflow: Option<String>,
    },
    /// Discover the directly-follows graph of an event log (CSV, XES, XES.gz or Parquet); no project needed.
    #[command(
        long_about = "Discover the directly-follows graph of an event log (CSV, XES, XES.gz or Parquet); no project needed.\n\n\
Within each case, events are ordered by timestamp, ties keeping file order. For each pair of consecutive \
activities: the count and the mean and median seconds between them (the median of an even number of values \
is the mean of the middle two). Unset column flags are guessed from the headers (CSV) or the usual XES keys \
(concept:name, time:timestamp, org:role/org:group, org:resource).\n\n\
With --json prints {\"events\", \"cases\", \"activities\": [{\"name\", \"count\"}], \"start_activities\", \
\"end_activities\", \"edges\": [{\"from\", \"to\", \"count\", \"mean_seconds\", \"median_seconds\"}], \
\"variants\": [{\"activities\": [str], \"count\"}]}: activities by name, edges by (from, to), variants by \
count descending then activities."
    )]
    Discover {
        /// The log file.
        log: PathBuf,
        #[command(flatten)]
        columns: Box<logs::LogArgs>,
        #[command(flatten)]
        map: logs::MapArgs,
        #[command(flatten)]
        partial: logs::PartialArgs,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the SQL that computes a log's aggregate inside a warehouse (DuckDB, Spark, T-SQL, Snowflake).
    #[command(long_about = "Write the SQL that computes a log's aggregate inside a warehouse.\n\n\
For logs too big to leave the warehouse, or whose rows may not leave the hospital: hand the query to the data \
team, get back its result (a few thousand rows) as CSV or JSON, and import it with `baton import aggregate`. \
The query reads one table or view with a row per event (--table; the column flags name its columns) and \
returns counts, sums of waits and wait sketches per facility, and every variant. Case ids are hashed in the \
query with the salt of the project named by --salt-from, so none leaves the warehouse. Within a case, events \
are ordered by time, then by --order-column (an event id or load sequence; a table has no file order), then \
by activity. Timestamps may be typed or ISO 8601 text; zone-less ones are read in the session's zone. \
The duckdb query also runs in DataFusion.")]
    Sql(logs::SqlArgs),
    /// Import an EMR status export or an event log into a project.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Check a proposed version against the rules an orchestrator needs.
    #[command(
        long_about = "Check a proposed version of a workflow against the rules an orchestrator needs.\n\n\
Rules: one_initial_state, reachable (every state from the initial one), terminal_reachable (a terminal \
state from every state), terminal_has_no_exit, one_owner (every task has exactly one owning role at every \
facility), named_task (every task is named for the work its owner must do), unambiguous_event (two transitions from one state on one event need exclusive guards or \
distinct priorities), timer (ISO 8601 duration and an escalation role), write_back (a known EMR field and \
value), event_in_catalog, guard (parses and type-checks), known_role. Without --version or --draft the \
latest published version is checked. Exit 1 when there are problems."
    )]
    Validate {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        #[command(flatten)]
        target: WorkflowVersion,
        /// Print {"valid", "problems": [{"rule", "subject", "message"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Export a proposed version for an orchestrator or for documentation.
    #[command(long_about = "Export a proposed version for an orchestrator or for documentation.\n\n\
Formats: bpmn (BPMN 2.0 with Camunda 8 extensions), serverless-workflow (CNCF Serverless Workflow DSL 1.0; \
YAML, or JSON when OUT ends in .json), xstate (an XState v5 machine config), scxml (W3C SCXML), baton-json \
(Baton's own, with a JSON Schema in docs/schema), mermaid (a stateDiagram-v2), telemetry-spec (the events \
each transition must emit), fhir (a FHIR R4 Bundle: business states as a CodeSystem for Task.businessStatus, \
the tasks as ActivityDefinitions, the transitions as a PlanDefinition with FHIRPath conditions; a definition \
EMR teams can align with, not something EMRs execute). The version must pass baton validate. Without --version or --draft the latest \
published version is exported. An unchanged version gives the same bytes.")]
    Export {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        #[command(flatten)]
        target: WorkflowVersion,
        /// bpmn, serverless-workflow, xstate, scxml, baton-json, mermaid, telemetry-spec or fhir.
        #[arg(long)]
        format: String,
        /// The file to write.
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: PathBuf,
    },
    /// Task metrics from the imported telemetry, and two versions compared.
    #[command(
        long_about = "Task metrics from the imported telemetry, per version and step (with role and facility \
breakdowns): tasks, completed, cancelled, open; time to complete (median, p90) and to first assignment \
(median); reassignment, override and escalation rates (the share of tasks with at least one); open tasks' \
median age. --version N shows one version; --compare M compares version M (before) with N (after): rates by a \
two-proportion z-test (significant when |z| >= 1.96), medians by a seeded bootstrap of the difference \
(significant when its 95% interval excludes 0). The README defines every metric."
    )]
    Metrics {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        /// The workflow (id or name, any case).
        #[arg(long)]
        workflow: String,
        /// A version number (default: every version in the telemetry).
        #[arg(long)]
        version: Option<i64>,
        /// The version to compare with (before); needs --version.
        #[arg(long, requires = "version")]
        compare: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Record a clinical lead's sign-off of a published version.
    #[command(long_about = "Record a clinical lead's sign-off of a published version: name, role, date \
(today without --date), decision (approved or changes_requested, which needs a comment) and comment. The \
sign-off is bound to a hash of the version's content: if the version changes afterwards, `baton signoffs` \
shows it as broken.")]
    Signoff {
        /// The .baton file.
        project: PathBuf,
        /// The workflow (id or name, any case).
        #[arg(long)]
        workflow: String,
        /// The published version number.
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..))]
        version: i64,
        /// Who signs (a clinical lead's name).
        #[arg(long)]
        name: String,
        /// Their role, e.g. "Director of Respiratory Care".
        #[arg(long, default_value = "")]
        role: String,
        /// approved or changes_requested.
        #[arg(long)]
        decision: String,
        #[arg(long, default_value = "")]
        comment: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Set, clear or list the service levels of a workflow's steps.
    #[command(subcommand)]
    Sla(SlaCommand),
    /// Add, rename or remove a workflow of a project file.
    #[command(subcommand)]
    Workflow(WorkflowCommand),
    /// List the sign-offs of a workflow's versions, and whether each still matches its version.
    Signoffs {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        /// The workflow (id or name, any case).
        #[arg(long)]
        workflow: String,
        /// Print [{"id", "version", "name", "role", "signed_on", "decision", "comment", "intact"}].
        #[arg(long)]
        json: bool,
    },
    /// Compare two versions of a proposed workflow.
    #[command(long_about = "Compare two versions of a proposed workflow: the states and transitions added, \
removed and changed (kind, meaning; owner, owner per facility, guard, timer, escalation role, write-backs, \
priority). States are matched by name and transitions by their states' names and event. --json prints an \
array of {\"element\", \"subject\", \"change\", \"part\"?, \"from\"?, \"to\"?} sorted by element, subject, change \
and part. --to draft compares with the draft.")]
    Diff {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        /// The workflow (id or name, any case).
        #[arg(long)]
        workflow: String,
        /// The earlier version number.
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..))]
        from: i64,
        /// The later version number, or `draft`.
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Write the findings report as HTML, PDF or Markdown.
    #[command(
        long_about = "Write the findings report: title page (project name, client, date, authors; set \
them with `baton engagement`), executive summary, scope, current-state swimlanes, ownership findings, state \
mismatches with the EMR-value x business-state x facility matrix, proposed versions with their swimlanes, \
validation and changes, the telemetry plan and results with the version comparison, sign-offs, and \
appendices of evidence (interview quotes by alias, counts) and of dismissed findings with their reasons.\n\n\
--format html writes one self-contained file; pdf an A4 PDF with vector diagrams and embedded fonts; md \
Markdown with the diagrams as SVG files in a folder OUT-STEM-diagrams beside it. The date comes from the \
project (its report date, else the latest date it holds), so the same project gives the same HTML and \
Markdown bytes; --date today uses the clock."
    )]
    Report {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        /// html, pdf or md.
        #[arg(long)]
        format: String,
        /// The file to write.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Only these chapters (repeatable): summary, scope, current_state, ownership, mismatches,
        /// proposals, telemetry, signoffs, evidence. Default: all.
        #[arg(long = "section")]
        sections: Vec<String>,
        /// Only these facilities (id or name, repeatable). Default: all.
        #[arg(long = "facility")]
        facilities: Vec<String>,
        /// Only these workflows (id or name, repeatable). Default: all.
        #[arg(long = "workflow")]
        workflows: Vec<String>,
        /// The date on the title page: YYYY-MM-DD, or `today`.
        #[arg(long)]
        date: Option<String>,
    },
    /// Encrypt a project file in place with the passphrase in BATON_PASSPHRASE.
    #[command(
        long_about = "Encrypt a project file in place (SQLCipher: every page and the write-ahead log) \
with the passphrase in the environment variable BATON_PASSPHRASE. Every command then opens it only with \
BATON_PASSPHRASE set, and the app asks for it. The passphrase cannot be recovered. Bundles exported from \
an encrypted project are plain text (the export warns)."
    )]
    Encrypt {
        /// The .baton file.
        project: PathBuf,
    },
    /// Decrypt an encrypted project file in place (its passphrase in BATON_PASSPHRASE).
    Decrypt {
        /// The .baton file.
        project: PathBuf,
    },
    /// Check a project file that Baton refuses or that you doubt, on a copy; the file is not touched.
    #[command(
        long_about = "Check a project file on a copy, without touching it: the file and its write-ahead \
log are copied to a temporary folder, SQLite applies the log, and the copy gets Baton's checks (a Baton \
project, a schema this version reads, exactly Baton's tables, indexes and triggers) and SQLite's full \
integrity check. Prints what it found; exit 0 when the file is sound, 1 when it has problems. An encrypted \
file is read with BATON_PASSPHRASE. --json prints {\"ok\", \"encrypted\", \"schema_version\", \"problems\": [str]}."
    )]
    Check {
        /// The .baton file.
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Purge a project file before handing it over: empty the undo history and vacuum the file.
    #[command(long_about = "Purge a project file before handing it over. Deleted interviews, imports and \
comments are overwritten when deleted (SQLite secure_delete), but the undo history keeps copies of them \
so they can be restored: purge empties the undo and redo history, folds the write-ahead log into the file \
and rewrites it without free pages (VACUUM), so nothing deleted can be read back. Undo is not possible \
afterwards. Recorded in the audit trail.")]
    Purge {
        /// The .baton file.
        project: PathBuf,
    },
    /// List free text that looks like patient identifiers (MRNs, phone numbers, names…).
    #[command(
        long_about = "List the free text that looks like patient identifiers: medical record numbers, \
social security numbers, phone numbers, e-mail addresses, dates of birth, street addresses and titled names \
(\"Mrs. Alvarez\") in interview notes and statements, descriptions, meanings, comments, finding reasons and \
sign-off comments. Exit 1 when something is found, so a script can stop before a hand-over. --json prints \
[{\"place\", \"kind\", \"text\"}] in project order. Remove what it finds with baton redact."
    )]
    Phi {
        /// The .baton file or a bundle folder.
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Replace text with [redacted] wherever it is in the project's free text.
    #[command(
        long_about = "Replace each TEXT with [redacted] wherever it occurs in the project's free text \
(the places baton phi reads). A TEXT found nowhere is an error and nothing changes. Redaction is permanent: \
undo cannot bring the text back, because the undo history, edit labels and audit trail are redacted too and \
the write-ahead log is folded into the file, so no copy of the text is left in the project's files."
    )]
    Redact {
        /// The .baton file.
        project: PathBuf,
        /// The exact text to redact, as baton phi prints it.
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// The audit trail: who imported, exported or reported what, and when (newest first).
    #[command(long_about = "The project's audit trail: who (the operating-system user) imported, exported \
(a version or the bundle) or wrote a report, what, and when, newest first. Kept in the project file, never \
in bundles; undo does not remove entries. --json prints [{\"at\", \"user\", \"action\", \"subject\"}].")]
    Audit {
        /// The .baton file.
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show or set the engagement details the report's title page shows.
    #[command(long_about = "Show or set the engagement details the report's title page shows: the client, \
the authors (repeat --author; they replace the list) and the report date (YYYY-MM-DD; --date '' clears it, \
and the report then uses the latest date the project holds). Without flags, prints them (--json: \
{\"name\", \"client\", \"authors\": [str], \"report_date\"}).")]
    Engagement {
        /// A .baton file (a bundle folder only to show).
        project: PathBuf,
        #[arg(long)]
        client: Option<String>,
        #[arg(long = "author")]
        authors: Vec<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Propose a draft of a workflow from its business states and findings.
    #[command(long_about = "Propose a draft of a workflow from its business states and findings.\n\n\
States: an initial Due, then the workflow's business states in order, the last one terminal (an \
ambiguous EMR value is thereby split into explicit states). Transitions chain them, each on the catalog \
event most like the state it enters (or a new event). The task a transition creates goes to the owner of \
the step that leads on; for steps with ownership findings, to the role given with --owner STEP=ROLE. A \
stall gives the transition into the stalled state a timer (--timer, default PT2H) escalating to \
--escalate-to. An invisible state gets a new EMR value, written back on entry. The draft is then \
validated; edit it in the app. Refused when the workflow already has a draft.")]
    Propose {
        /// The .baton file.
        project: PathBuf,
        /// The workflow (id or name, any case).
        #[arg(long)]
        workflow: String,
        /// STEP=ROLE (ids): who owns a step with ownership findings; may repeat.
        #[arg(long = "owner", value_name = "STEP=ROLE")]
        owners: Vec<String>,
        /// The role told when a stall's timer fires.
        #[arg(long = "escalate-to", value_name = "ROLE")]
        escalate_to: Option<String>,
        /// The timer for stalls, ISO 8601 (default PT2H).
        #[arg(long)]
        timer: Option<String>,
    },
    /// Replay the imported event logs through a proposed version.
    #[command(long_about = "Replay the project's imported event logs through a proposed version.\n\n\
Each kept variant is walked from the initial state; its activities become events through the event \
catalog's `activities` (events.yaml), and activities that signal no event of the version are skipped. A case \
fits when every event has a transition from its state and it ends in a terminal state; otherwise it deviates \
at the first state and event that fail, or at `(case ended)`. Guards are not judged (logs keep no event data): \
the first transition on the event, by priority, is taken. Without --version the latest published version is \
replayed.")]
    Replay {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        #[command(flatten)]
        target: WorkflowVersion,
        /// Print {"cases", "fitting", "fitness", "deviations": [{"state", "event", "count"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Run one case through a proposed version by the reference semantics (docs/semantics.md).
    #[command(long_about = "Run one case through a proposed version by the reference semantics \
(docs/semantics.md) and print what happens: each transition and timer, the tasks it opens and closes \
with their owning roles, escalations and write-backs; then the final state, whether the case finished, \
and the tasks still open.\n\n\
--events is a JSON lines file, one input per line, in time order: {\"at\": \"2026-10-01T08:00:00Z\", \
\"event\": \"assessment_completed\", \"data\": {\"spo2\": 88}}. A line without \"event\" lets time pass \
to \"at\" (so a timer can run out). The case starts in the initial state; guards read the event's data and \
the case's facility (--facility). Without --version the latest published version runs.")]
    Simulate {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        #[command(flatten)]
        target: WorkflowVersion,
        /// The case's facility (id or name): what guards read as `facility`, and which per-facility owner applies.
        #[arg(long)]
        facility: Option<String>,
        /// The case's inputs, as JSON lines.
        #[arg(long)]
        events: PathBuf,
        /// Print {"steps": [{"at", "event"?, "timer"?, "from", "to", "tasks_opened", "tasks_closed", "escalations", "write_backs"}], "final_state", "finished", "open_tasks", "ignored"?}.
        #[arg(long)]
        json: bool,
    },
    /// Draw a workflow's swimlane diagram as SVG or PNG.
    #[command(
        long_about = "Draw a workflow's swimlane diagram as SVG or PNG (chosen by the name of OUT).\n\n\
Without --version or --draft, draws the current-state map consolidated from the interviews: one lane \
per role, steps in flow order, handoffs between roles dashed, finding badges and review-comment markers. \
--version N draws published version N of the proposed workflow, --draft its draft. Lanes are \
horizontal bands with the flow left to right, or vertical columns with the flow top to bottom with \
--vertical. Steps placed by hand in the editor keep their place. The same project gives the same bytes."
    )]
    Diagram {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        #[command(flatten)]
        target: WorkflowVersion,
        /// The file to write: OUT.svg or OUT.png.
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: PathBuf,
        /// Vertical lanes, the flow top to bottom.
        #[arg(long)]
        vertical: bool,
    },
    /// List the workflow templates shipped with Baton.
    Templates {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum BundleCommand {
    /// Write PROJECT as a bundle into DIR (new, empty, or an earlier bundle of it).
    #[command(long_about = "Write PROJECT as a bundle into DIR.\n\n\
DIR must be new, empty, or an earlier bundle (holding baton.yaml): its model files are replaced, \
interviews and workflows that no longer exist are removed, and README.md, exports/ and inputs/ are kept. \
The same project always gives the same bytes.")]
    Export { project: PathBuf, dir: PathBuf },
    /// Write the JSON Schema of each bundle YAML file into DIR (as in docs/schema/).
    Schema { dir: PathBuf },
}

#[derive(Debug, Subcommand)]
enum ReviewCommand {
    /// Write a proposed version's review packet: one self-contained HTML file for a clinical lead.
    #[command(
        long_about = "Write a proposed version's review packet: one self-contained HTML file with the \
current-state and proposed swimlanes, the version's states and transitions in words, the open findings \
on the workflow with their evidence and the changes from the previous version. It opens in any browser, \
offline: a Content-Security-Policy in the file forbids every network request. In it the reviewer comments \
on steps, states and transitions, replies to and resolves comments, signs off, and saves \
NAME.baton-review.json to send back. Without --version or --draft, the latest published version."
    )]
    Export {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        #[command(flatten)]
        target: WorkflowVersion,
        /// The packet to write (.html).
        #[arg(short = 'o', long = "output", value_name = "REVIEW.html")]
        output: PathBuf,
    },
    /// Bring a saved review (comments and sign-off) into the project as one undoable edit.
    #[command(long_about = "Bring a saved review (NAME.baton-review.json) into the project as one undoable \
edit, recorded in the audit trail with the reviewer's name: the reviewer's comments pinned to their steps, \
states and transitions, the comments they resolved, and their sign-off. Refused, naming the changes, when \
the version changed since the packet was written. Importing the same review again adds nothing.")]
    Import {
        /// A .baton file.
        project: PathBuf,
        /// The saved review.
        file: PathBuf,
        /// Print {"reviewer", "version", "comments_added", "comments_resolved", "signed_off"}.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum FindingCommand {
    /// Mark a finding as accepted.
    Accept { project: PathBuf, id: String },
    /// Dismiss a finding; it stays listed, with the reason, and is left out of reports.
    Dismiss {
        project: PathBuf,
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Reopen an accepted or dismissed finding.
    Reopen { project: PathBuf, id: String },
}

#[derive(Debug, Subcommand)]
enum RoleCommand {
    /// Add a role to a project file.
    Add {
        project: PathBuf,
        name: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List a project's roles.
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Rename a role (by id or name).
    Rename { project: PathBuf, role: String, new_name: String },
    /// Remove a role nothing refers to; when something does, says what (merge it instead).
    Remove { project: PathBuf, role: String },
    /// Merge ROLE into OTHER: every interview, lane, statement, transition and comment of ROLE
    /// becomes OTHER's, and ROLE goes. One undoable edit.
    Merge { project: PathBuf, role: String, other: String },
}

#[derive(Debug, Subcommand)]
enum WorkflowCommand {
    /// Add a workflow: empty, or every workflow of a template (--template), into this project.
    Add {
        project: PathBuf,
        /// The new workflow's name (ignored with --template, which names its own).
        #[arg(default_value = "")]
        name: String,
        /// A template of `baton templates`: its workflows, with their maps, business states and
        /// events; its roles matched to this project's by name.
        #[arg(long)]
        template: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Rename a workflow (by id or name), and set its description with --description.
    Rename {
        project: PathBuf,
        name: String,
        new_name: String,
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a workflow with everything in it (its map, the statements about it, its versions);
    /// one edit that `baton undo` restores.
    Remove { project: PathBuf, name: String },
}

#[derive(Debug, Subcommand)]
enum SlaCommand {
    /// Set a step's service level (and whether it is safety-critical): the step should be done
    /// within this long of the event before it. The stall findings then judge its waits by it alone.
    Set {
        /// A .baton file.
        project: PathBuf,
        /// The workflow (id or name, any case).
        #[arg(long)]
        workflow: String,
        /// The step (id or name, any case).
        #[arg(long)]
        step: String,
        /// ISO 8601 duration, e.g. PT30M.
        #[arg(long, value_name = "DURATION")]
        within: Option<String>,
        /// A step where waiting can harm a patient: its findings rank higher.
        #[arg(long)]
        safety_critical: bool,
    },
    /// Clear a step's service level and safety-critical flag.
    Clear {
        project: PathBuf,
        #[arg(long)]
        workflow: String,
        #[arg(long)]
        step: String,
    },
    /// List the steps of a workflow with a service level or the safety-critical flag.
    List {
        /// A .baton file or a bundle folder.
        project: PathBuf,
        #[arg(long)]
        workflow: String,
        /// Print [{"step", "name", "within", "within_for_people", "safety_critical"}].
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum FacilityCommand {
    /// Add a facility to a project file.
    Add {
        project: PathBuf,
        name: String,
        /// IANA time zone for zone-less timestamps from this facility (default: this machine's).
        #[arg(long)]
        timezone: Option<String>,
    },
    /// List a project's facilities.
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Rename a facility (by id or name).
    Rename { project: PathBuf, facility: String, new_name: String },
    /// Remove a facility no interview was held at.
    Remove { project: PathBuf, facility: String },
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let outcome = match cli.command {
        Command::New { file, name, template, bundle, encrypt } => {
            commands::new(&file, name.as_deref(), template.as_deref(), bundle.as_deref(), encrypt)
        }
        Command::Encrypt { project } => commands::encrypt(&project, true),
        Command::Decrypt { project } => commands::encrypt(&project, false),
        Command::Info { project, json } => commands::info(&project, json),
        Command::Bundle(BundleCommand::Export { project, dir }) => commands::bundle_export(&project, &dir),
        Command::Bundle(BundleCommand::Schema { dir }) => commands::bundle_schema(&dir),
        Command::Undo { project, json } => commands::undo(&project, json, false),
        Command::Redo { project, json } => commands::undo(&project, json, true),
        Command::Role(RoleCommand::Add { project, name, description }) => {
            commands::role_add(&project, &name, &description)
        }
        Command::Role(RoleCommand::List { project, json }) => commands::role_list(&project, json),
        Command::Role(RoleCommand::Rename { project, role, new_name }) => {
            commands::role_rename(&project, &role, &new_name)
        }
        Command::Role(RoleCommand::Remove { project, role }) => commands::role_remove(&project, &role),
        Command::Role(RoleCommand::Merge { project, role, other }) => {
            commands::role_merge(&project, &role, &other)
        }
        Command::Facility(FacilityCommand::Rename { project, facility, new_name }) => {
            commands::facility_rename(&project, &facility, &new_name)
        }
        Command::Facility(FacilityCommand::Remove { project, facility }) => {
            commands::facility_remove(&project, &facility)
        }
        Command::Facility(FacilityCommand::Add { project, name, timezone }) => {
            commands::facility_add(&project, &name, timezone.as_deref().unwrap_or(""))
        }
        Command::Facility(FacilityCommand::List { project, json }) => commands::facility_list(&project, json),
        Command::Templates { json } => commands::templates(json),
        Command::Findings {
            project,
            kinds,
            stall_factor,
            stall_min_events,
            status,
            severity,
            search,
            output,
            json,
        } => {
            let options = baton::findings::MismatchOptions {
                stall_factor,
                stall_min_events,
                ..baton::findings::MismatchOptions::default()
            };
            let query = baton::views::findings::FindingQuery {
                status: status.as_deref().and_then(FindingStatus::parse),
                severity: severity.as_deref().and_then(baton::model::Severity::parse),
                search: search.unwrap_or_default(),
                ..Default::default()
            };
            commands::findings(&project, &kinds, &options, &query, output.as_deref(), json)
        }
        Command::Finding(FindingCommand::Accept { project, id }) => {
            commands::triage(&project, &id, FindingStatus::Accepted, "")
        }
        Command::Finding(FindingCommand::Dismiss { project, id, reason }) => {
            commands::triage(&project, &id, FindingStatus::Dismissed, &reason)
        }
        Command::Finding(FindingCommand::Reopen { project, id }) => {
            commands::triage(&project, &id, FindingStatus::Open, "")
        }
        Command::Consolidate { project, workflow } => commands::consolidate(&project, workflow.as_deref()),
        Command::Import(ImportCommand::Status { project, source, args, json }) => {
            logs::import_status(&project, &source, &args, json)
        }
        Command::Import(ImportCommand::Telemetry { project, source, args, json }) => {
            logs::import_telemetry(&project, &source, &args, json)
        }
        Command::Import(ImportCommand::Log { project, source, args, keep, identifiers, json }) => {
            logs::import_log(&project, &source, &args, &keep, &identifiers, json)
        }
        Command::Discover { log, columns, map, partial, json } => {
            logs::discover(&log, &columns, &map, &partial, json)
        }
        Command::Import(ImportCommand::Aggregate { project, files, name, identifiers, json }) => {
            logs::import_aggregate(&project, &files, name.as_deref(), &identifiers, json)
        }
        Command::Sql(args) => logs::sql(&args),
        Command::Diagram { project, target, output, vertical } => {
            let which = match (target.version, target.draft) {
                (Some(n), _) => baton::diagram::Which::Version(n),
                (None, true) => baton::diagram::Which::Draft,
                (None, false) => baton::diagram::Which::CurrentState,
            };
            commands::diagram(&project, &target.workflow, which, &output, vertical)
        }
        Command::Export { project, target, format, output } => {
            commands::export(&project, &target.workflow, target.pick(), &format, &output)
        }
        Command::Metrics { project, workflow, version, compare, json } => {
            commands::metrics(&project, &workflow, version, compare, json)
        }
        Command::Signoff { project, workflow, version, name, role, decision, comment, date } => {
            commands::signoff(
                &project,
                &workflow,
                version,
                &name,
                &role,
                &decision,
                &comment,
                date.as_deref(),
            )
        }
        Command::Signoffs { project, workflow, json } => commands::signoffs(&project, &workflow, json),
        Command::Sla(SlaCommand::Set { project, workflow, step, within, safety_critical }) => {
            commands::sla_set(&project, &workflow, &step, within.as_deref().unwrap_or(""), safety_critical)
        }
        Command::Sla(SlaCommand::Clear { project, workflow, step }) => {
            commands::sla_set(&project, &workflow, &step, "", false)
        }
        Command::Sla(SlaCommand::List { project, workflow, json }) => {
            commands::sla_list(&project, &workflow, json)
        }
        Command::Workflow(WorkflowCommand::Add { project, name, template, description }) => {
            commands::workflow_add(&project, &name, template.as_deref(), &description)
        }
        Command::Workflow(WorkflowCommand::Rename { project, name, new_name, description }) => {
            commands::workflow_rename(&project, &name, &new_name, description.as_deref())
        }
        Command::Workflow(WorkflowCommand::Remove { project, name }) => {
            commands::workflow_remove(&project, &name)
        }
        Command::Diff { project, workflow, from, to, json } => {
            let to = if to.eq_ignore_ascii_case("draft") {
                baton::design::Pick::Draft
            } else {
                match to.parse::<i64>() {
                    Ok(n) if n > 0 => baton::design::Pick::Version(n),
                    _ => {
                        let _ = writeln!(std::io::stderr(), "error: --to {to}: a version number or draft");
                        return ExitCode::from(2);
                    }
                }
            };
            commands::diff(&project, &workflow, from, to, json)
        }
        Command::Report { project, format, output, sections, facilities, workflows, date } => {
            commands::report(&project, &format, &output, &sections, &facilities, &workflows, date.as_deref())
        }
        Command::Audit { project, json } => commands::audit(&project, json),
        Command::Purge { project } => commands::purge(&project),
        Command::Check { project, json } => commands::check(&project, json),
        Command::Phi { project, json } => commands::phi(&project, json),
        Command::Redact { project, text } => commands::redact(&project, &text),
        Command::Engagement { project, client, authors, date, json } => {
            commands::engagement(&project, client.as_deref(), &authors, date.as_deref(), json)
        }
        Command::Propose { project, workflow, owners, escalate_to, timer } => {
            commands::propose(&project, &workflow, &owners, escalate_to, timer)
        }
        Command::Simulate { project, target, facility, events, json } => {
            commands::simulate(&project, &target.workflow, target.pick(), facility.as_deref(), &events, json)
        }
        Command::Replay { project, target, json } => {
            commands::replay(&project, &target.workflow, target.pick(), json)
        }
        Command::Review(ReviewCommand::Export { project, target, output }) => {
            commands::review_export(&project, &target.workflow, target.pick(), &output)
        }
        Command::Review(ReviewCommand::Import { project, file, json }) => {
            commands::review_import(&project, &file, json)
        }
        Command::Approach { project, workflow, json } => {
            commands::approach(&project, workflow.as_deref(), json)
        }
        Command::Validate { project, target, json } => {
            commands::validate(&project, &target.workflow, target.pick(), json)
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Error(e)) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(1)
        }
        Err(Failure::Found) => ExitCode::from(1),
    }
}
