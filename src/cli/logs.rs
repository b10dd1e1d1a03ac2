//! `baton discover` and the flags event-log commands share.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use baton::design::timer::measured;
use baton::mining::{self, LogColumns, LogOptions};
use baton::progress::Progress;
use clap::Args;

use super::{CmdResult, Failure};

/// How to read an event log: its format and which columns hold what.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// csv, xes, xes-gz or parquet (default: from the extension and content).
    #[arg(long)]
    pub format: Option<String>,
    /// The case id column (XES: trace attribute key).
    #[arg(long)]
    pub case: Option<String>,
    /// The activity (or status) column.
    #[arg(long)]
    pub activity: Option<String>,
    /// The timestamp column.
    #[arg(long)]
    pub timestamp: Option<String>,
    /// The job-role column (RN, RT…; XES org:role or org:group).
    #[arg(long)]
    pub role: Option<String>,
    /// The person or device column (XES org:resource); hashed, never stored.
    #[arg(long)]
    pub resource: Option<String>,
    /// The facility column.
    #[arg(long)]
    pub facility: Option<String>,
    /// CSV delimiter, one character (default: sniffed from the header line).
    #[arg(long)]
    pub delimiter: Option<char>,
    /// CSV encoding: utf-8 or windows-1252 (default: detected).
    #[arg(long)]
    pub encoding: Option<String>,
    /// Timestamp format in strftime notation, e.g. "%d/%m/%Y %H:%M" (default: ISO 8601).
    #[arg(long = "timestamp-format")]
    pub timestamp_format: Option<String>,
    /// IANA time zone for times without an offset (default: the facility's, else UTC).
    #[arg(long)]
    pub tz: Option<String>,
    /// A CSV of resource,role rows: the role of each person or device named in the log.
    #[arg(long = "resource-roles", value_name = "FILE.csv")]
    pub resource_roles: Option<PathBuf>,
    /// How many threads read the log: 1 reads it on one thread; default one per core. The result
    /// is the same, byte for byte.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: Option<u16>,
}

impl LogArgs {
    /// The settings these flags name (what an import remembers).
    pub fn settings(&self) -> baton::import::LogSettings {
        baton::import::LogSettings {
            format: self.format.clone(),
            columns: LogColumns {
                case: self.case.clone(),
                activity: self.activity.clone(),
                timestamp: self.timestamp.clone(),
                role: self.role.clone(),
                resource: self.resource.clone(),
                facility: self.facility.clone(),
            },
            delimiter: self.delimiter,
            encoding: self.encoding.clone(),
            timestamp_format: self.timestamp_format.clone(),
            tz: self.tz.clone(),
            keep: Vec::new(),
            keep_identifying: Vec::new(),
            allow_identifiers: Vec::new(),
            threads: self.threads.map_or(0, usize::from),
        }
    }

    /// The resource-to-role table of `--resource-roles`, empty without it.
    pub fn resource_roles(&self) -> Result<HashMap<String, String>, Failure> {
        match &self.resource_roles {
            Some(path) => Ok(baton::bundle::read_resource_roles(path)?),
            None => Ok(HashMap::new()),
        }
    }

    pub fn options(&self) -> Result<LogOptions, Failure> {
        Ok(self.settings().options(self.resource_roles()?)?)
    }
}

/// Runs `work` with a progress line on stderr when stderr is a terminal.
pub fn with_progress<T>(what: &str, work: impl FnOnce(&Progress) -> T) -> T {
    let progress = Progress::new();
    if !std::io::stderr().is_terminal() {
        return work(&progress);
    }
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let (at, total) = progress.position();
                if let Some(percent) = (at * 100).checked_div(total) {
                    eprint!("\r{what}: {:>3}%", percent.min(100));
                }
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            eprint!("\r\x1b[K");
        });
        let out = work(&progress);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        out
    })
}

/// How `baton discover -o` draws the map.
#[derive(Args, Debug, Clone)]
pub struct MapArgs {
    /// Draw the process map to this file (.svg or .png).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// What the map's paths show: frequency (how often) or performance (the median wait).
    #[arg(long, default_value = "frequency", value_parser = ["frequency", "performance"])]
    pub measure: String,
    /// Percent of the activities drawn, most frequent first (default: all, up to 30).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub activities: Option<u8>,
    /// Percent of the paths drawn, most frequent first (default: all, up to 80).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub paths: Option<u8>,
}

/// `baton discover --partial`: the mergeable aggregate and the salt its case hashes use.
#[derive(Args, Debug, Clone, Default)]
pub struct PartialArgs {
    /// Also write the log's mergeable aggregate (every variant, case ids hashed) to this JSON file,
    /// for `baton import aggregate`.
    #[arg(long, value_name = "OUT.json")]
    pub partial: Option<PathBuf>,
    /// Hash case ids with this project's salt, so the aggregate's hashes match the project's
    /// (default: a random salt, used once).
    #[arg(long = "salt-from", value_name = "PROJECT", requires = "partial")]
    pub salt_from: Option<PathBuf>,
}

/// The project at `path` whose salt hashes case ids (a .baton file; a bundle folder has no salt
/// of its own).
fn salt_project(path: &Path) -> Result<baton::Project, Failure> {
    if path.is_dir() {
        return Err(Failure::Usage(format!(
            "--salt-from {}: a bundle folder has no salt of its own; name the .baton file the aggregate will be imported into",
            path.display()
        )));
    }
    super::commands::open_file(path)
}

fn salt_of(path: &Path) -> Result<String, Failure> {
    Ok(salt_project(path)?.case_salt()?)
}

pub fn discover(
    log: &Path,
    args: &LogArgs,
    map: &MapArgs,
    partial: &PartialArgs,
    as_json: bool,
) -> CmdResult {
    let mut options = args.options()?;
    if partial.partial.is_some() {
        match &partial.salt_from {
            // Read as importing into that project would: its facilities' zones, its salt.
            Some(project) => {
                options = salt_project(project)?.log_options(&args.settings(), args.resource_roles()?)?
            }
            None => options.case_salt = Some(baton::model::new_id().replace('-', "")),
        }
    }
    let (aggregates, report) = with_progress("reading the log", |p| mining::read_log(log, &options, p))?;
    if let Some(out) = &partial.partial {
        let aggregate = mining::LogAggregate::from_aggregates(&aggregates);
        baton::store::write_atomically(out, aggregate.to_json()?.as_bytes())?;
        eprintln!(
            "wrote {} ({} events in {} cases, {} variants, {} edges; case ids hashed{})",
            out.display(),
            aggregate.events(),
            aggregate.cases(),
            aggregate.variants.len(),
            aggregate.edges.len(),
            if partial.salt_from.is_some() { " with the project's salt" } else { " with a random salt" }
        );
    }
    let found = mining::summarize(&aggregates);
    if let Some(out) = &map.output {
        use baton::diagram::process_map::{MapOptions, Measure, standalone_map};
        let name =
            log.file_name().map_or_else(|| log.display().to_string(), |n| n.to_string_lossy().into_owned());
        let options = MapOptions {
            facility: None,
            measure: if map.measure == "performance" { Measure::Performance } else { Measure::Frequency },
            activities: map.activities.map(|p| f64::from(p) / 100.0),
            paths: map.paths.map(|p| f64::from(p) / 100.0),
        };
        let drawn = standalone_map(&baton::import::standalone_log(&aggregates, &name), &name, &options)?;
        baton::diagram::write_map(&drawn, out)?;
        if !as_json {
            println!(
                "wrote {} ({} of {} activities, {} of {} paths)",
                out.display(),
                drawn.activities_shown,
                drawn.activities_total,
                drawn.paths_shown,
                drawn.paths_total
            );
            return Ok(());
        }
    }
    if as_json {
        return super::commands::print_json(&found);
    }
    println!(
        "{}: {} events in {} cases, {} activities",
        log.display(),
        found.events,
        found.cases,
        found.activities.len()
    );
    println!("columns: {}", describe_columns(&report.columns));
    if !report.dropped.is_empty() {
        println!("not used: {}", report.dropped.join(", "));
    }
    println!();
    println!("{:<32} {:<32} {:>8} {:>14} {:>14}", "from", "to", "count", "mean", "median");
    for e in &found.edges {
        println!(
            "{:<32} {:<32} {:>8} {:>14} {:>14}",
            e.from,
            e.to,
            e.count,
            measured(e.mean_seconds),
            measured(e.median_seconds)
        );
    }
    println!();
    println!("{} variants; the most frequent:", found.variants.len());
    for v in found.variants.iter().take(10) {
        println!("{:>8}  {}", v.count, v.activities.join(" → "));
    }
    Ok(())
}

/// "case=…, activity=…" for the parts that are mapped.
pub fn describe_columns(c: &LogColumns) -> String {
    let parts = [
        ("case", &c.case),
        ("activity", &c.activity),
        ("timestamp", &c.timestamp),
        ("role", &c.role),
        ("resource", &c.resource),
        ("facility", &c.facility),
    ];
    parts.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v:?}"))).collect::<Vec<_>>().join(", ")
}

/// Flags of `baton import status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// csv, xlsx, fhir or hl7 (default: from the extension and content).
    #[arg(long)]
    pub format: Option<String>,
    /// The workbook sheet (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// CSV encoding: utf-8 or windows-1252 (default: detected).
    #[arg(long)]
    pub encoding: Option<String>,
    /// CSV delimiter, one character (default: sniffed).
    #[arg(long)]
    pub delimiter: Option<char>,
    /// The column naming the status field.
    #[arg(long)]
    pub field: Option<String>,
    /// The column holding the status value.
    #[arg(long)]
    pub value: Option<String>,
    /// The column naming the facility.
    #[arg(long)]
    pub facility: Option<String>,
    /// The column with the count. Without one Baton recognises (count, records, n, total, volume,
    /// "result count", "number of orders"…), the import stops, unless --each-row-is-one-record.
    #[arg(long)]
    pub count: Option<String>,
    /// Every row is one record: count each row once (for an export without a count column).
    #[arg(long = "each-row-is-one-record")]
    pub rows_are_records: bool,
    /// The counts are for every facility together (an export without a facility column, in a
    /// project with several facilities).
    #[arg(long = "all-facilities")]
    pub all_facilities: bool,
    /// The column describing the value.
    #[arg(long)]
    pub description: Option<String>,
    /// The field's name when the file has no field column (default: the file name).
    #[arg(long = "field-name")]
    pub field_name: Option<String>,
    /// Keep this unmapped column too (its values and their counts); may repeat.
    #[arg(long = "keep-column", value_name = "NAME")]
    pub keep: Vec<String>,
    #[command(flatten)]
    pub identifiers: IdentifierArgs,
}

impl StatusArgs {
    pub fn options(&self) -> Result<baton::import::StatusOptions, Failure> {
        use baton::import::{StatusColumns, StatusFormat, StatusOptions};
        Ok(StatusOptions {
            format: self
                .format
                .as_deref()
                .map(|f| StatusFormat::detect(Path::new(""), Some(f)))
                .transpose()?,
            columns: StatusColumns {
                field: self.field.clone(),
                value: self.value.clone(),
                facility: self.facility.clone(),
                count: self.count.clone(),
                description: self.description.clone(),
            },
            sheet: self.sheet.clone(),
            delimiter: self.delimiter,
            encoding: self.encoding.clone(),
            field_name: self.field_name.clone(),
            keep: self.keep.clone(),
            keep_identifying: self.identifiers.keep_identifying.clone(),
            allow_identifiers: self.identifiers.allow_identifiers.clone(),
            rows_are_records: self.rows_are_records,
            all_facilities: self.all_facilities,
        })
    }
}

pub fn import_status(project: &Path, source: &Path, args: &StatusArgs, as_json: bool) -> CmdResult {
    let options = args.options()?;
    let mut p = super::commands::open_for_writing(project)?;
    let summary = with_progress("importing", |progress| p.import_status(source, &options, progress))?;
    print_summary(&summary, as_json)
}

pub fn import_log(
    project: &Path,
    source: &Path,
    args: &LogArgs,
    keep: &[String],
    identifiers: &IdentifierArgs,
    as_json: bool,
) -> CmdResult {
    let settings = baton::import::LogSettings {
        keep: keep.to_vec(),
        keep_identifying: identifiers.keep_identifying.clone(),
        allow_identifiers: identifiers.allow_identifiers.clone(),
        ..args.settings()
    };
    let roles = args.resource_roles()?;
    let mut p = super::commands::open_for_writing(project)?;
    let summary = with_progress("importing", |progress| p.import_log(source, &settings, roles, progress))?;
    print_summary(&summary, as_json)
}

fn print_summary(s: &baton::import::ImportSummary, as_json: bool) -> CmdResult {
    if as_json {
        return super::commands::print_json(s);
    }
    for line in s.lines() {
        eprintln!("{line}");
    }
    if !s.replaced.is_empty() {
        eprintln!("  to store a replaced text as it is, import again with --allow-identifiers TEXT");
    }
    Ok(())
}

/// The confirmations every import takes for what looks like patient identifiers.
#[derive(Debug, Clone, Default, Args)]
pub struct IdentifierArgs {
    /// Store this text as it is although it looks like a patient identifier (a name, a record
    /// number…); it is otherwise replaced by a placeholder. Recorded in the audit trail. May repeat.
    #[arg(long = "allow-identifiers", value_name = "TEXT")]
    pub allow_identifiers: Vec<String>,
    /// Confirm keeping a --keep-column column whose name or values look like identifiers; may
    /// repeat.
    #[arg(long = "keep-identifying-column", value_name = "NAME")]
    pub keep_identifying: Vec<String>,
}

/// Column flags of `import telemetry`.
#[derive(Debug, Args)]
pub struct TelemetryArgs {
    #[arg(long)]
    pub task: Option<String>,
    #[arg(long)]
    pub workflow: Option<String>,
    #[arg(long)]
    pub version: Option<String>,
    /// The step or transition column.
    #[arg(long)]
    pub step: Option<String>,
    #[arg(long)]
    pub event: Option<String>,
    #[arg(long)]
    pub role: Option<String>,
    #[arg(long)]
    pub facility: Option<String>,
    #[arg(long)]
    pub timestamp: Option<String>,
    /// The person column (only used to group; never stored).
    #[arg(long)]
    pub actor: Option<String>,
    /// Timestamp format in strftime notation (default: ISO 8601).
    #[arg(long = "timestamp-format")]
    pub timestamp_format: Option<String>,
    /// IANA time zone for times without an offset (default: UTC).
    #[arg(long)]
    pub tz: Option<String>,
    /// Store this text as it is although it looks like a patient identifier; may repeat.
    #[arg(long = "allow-identifiers", value_name = "TEXT")]
    pub allow_identifiers: Vec<String>,
}

pub fn import_telemetry(project: &Path, source: &Path, args: &TelemetryArgs, as_json: bool) -> CmdResult {
    let settings = baton::telemetry::TelemetrySettings {
        columns: baton::telemetry::TelemetryColumns {
            task: args.task.clone(),
            workflow: args.workflow.clone(),
            version: args.version.clone(),
            step: args.step.clone(),
            event: args.event.clone(),
            role: args.role.clone(),
            facility: args.facility.clone(),
            timestamp: args.timestamp.clone(),
            actor: args.actor.clone(),
        },
        timestamp_format: args.timestamp_format.clone(),
        tz: args.tz.clone(),
        allow_identifiers: args.allow_identifiers.clone(),
    };
    let mut p = super::commands::open_for_writing(project)?;
    let summary = with_progress("importing", |progress| p.import_telemetry(source, &settings, progress))?;
    print_summary(&summary, as_json)
}

pub fn import_aggregate(
    project: &Path,
    files: &[PathBuf],
    name: Option<&str>,
    identifiers: &IdentifierArgs,
    as_json: bool,
) -> CmdResult {
    let mut p = super::commands::open_for_writing(project)?;
    let summary = with_progress("importing", |progress| {
        p.import_aggregate(files, name, &identifiers.allow_identifiers, progress)
    })?;
    print_summary(&summary, as_json)
}

/// `baton sql`: the warehouse query's dialect, source and output.
#[derive(Debug, Args)]
pub struct SqlArgs {
    /// duckdb (also runs in DataFusion), spark, tsql or snowflake.
    #[arg(long, value_parser = ["duckdb", "spark", "tsql", "snowflake"])]
    pub dialect: String,
    /// The table or view with one row per event (may be qualified: db.schema.table).
    #[arg(long, default_value = "event_log")]
    pub table: String,
    /// The case id column.
    #[arg(long, default_value = "case_id")]
    pub case: String,
    /// The activity (or status) column.
    #[arg(long, default_value = "activity")]
    pub activity: String,
    /// The timestamp column (typed, or ISO 8601 text).
    #[arg(long, default_value = "timestamp")]
    pub timestamp: String,
    /// The job-role column (default: none).
    #[arg(long)]
    pub role: Option<String>,
    /// The facility column (default: none).
    #[arg(long)]
    pub facility: Option<String>,
    /// A column ordering events of a case at the same time: an event id or load sequence.
    #[arg(long = "order-column")]
    pub order_column: Option<String>,
    /// Hash case ids with this project's salt (the project the result will be imported into).
    #[arg(long = "salt-from", value_name = "PROJECT")]
    pub salt_from: Option<PathBuf>,
    /// Write the query here (default: standard output).
    #[arg(short = 'o', long, value_name = "QUERY.sql")]
    pub output: Option<PathBuf>,
}

pub fn sql(args: &SqlArgs) -> CmdResult {
    let dialect = mining::Dialect::parse(&args.dialect)?;
    let salt = match &args.salt_from {
        Some(project) => salt_of(project)?,
        None => {
            eprintln!(
                "note: without --salt-from, case ids are hashed with a random salt: the example cases cannot be matched with a project's hashes"
            );
            baton::model::new_id().replace('-', "")
        }
    };
    let source = mining::SqlSource {
        table: args.table.clone(),
        case: args.case.clone(),
        activity: args.activity.clone(),
        timestamp: args.timestamp.clone(),
        role: args.role.clone(),
        facility: args.facility.clone(),
        order: args.order_column.clone(),
    };
    let text = mining::sql_query(dialect, &source, &salt)?;
    match &args.output {
        Some(out) => {
            baton::store::write_atomically(out, text.as_bytes())?;
            eprintln!(
                "wrote {} ({} query over {}: case={}, activity={}, timestamp={}{}{}{})",
                out.display(),
                dialect.as_str(),
                args.table,
                args.case,
                args.activity,
                args.timestamp,
                args.role.as_ref().map(|r| format!(", role={r}")).unwrap_or_default(),
                args.facility.as_ref().map(|f| format!(", facility={f}")).unwrap_or_default(),
                args.order_column.as_ref().map(|o| format!(", order={o}")).unwrap_or_default(),
            );
        }
        None => {
            print!("{text}");
        }
    }
    Ok(())
}
