//! `baton discover` and the flags event-log commands share.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use baton::Error;
use baton::mining::{self, LogColumns, LogOptions};
use baton::progress::Progress;
use clap::Args;

use super::{CmdResult, Failure};

/// How to read an event log: its format and which columns hold what.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// csv, xes or xes-gz (default: from the extension and content).
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
}

impl LogArgs {
    pub fn options(&self) -> Result<LogOptions, Failure> {
        let delimiter = match self.delimiter {
            None => None,
            Some(c) if c.is_ascii() => Some(c as u8),
            Some(c) => {
                return Err(Failure::Usage(format!("--delimiter must be one ASCII character, not {c:?}")));
            }
        };
        let format =
            self.format.as_deref().map(|f| mining::LogFormat::detect(Path::new(""), Some(f))).transpose()?;
        let resource_roles = match &self.resource_roles {
            Some(path) => read_resource_roles(path)?,
            None => HashMap::new(),
        };
        Ok(LogOptions {
            format,
            columns: LogColumns {
                case: self.case.clone(),
                activity: self.activity.clone(),
                timestamp: self.timestamp.clone(),
                role: self.role.clone(),
                resource: self.resource.clone(),
                facility: self.facility.clone(),
            },
            delimiter,
            encoding: self.encoding.clone(),
            timestamp_format: self.timestamp_format.clone(),
            time_zone: self.tz.clone(),
            facility_zones: HashMap::new(),
            resource_roles,
            threads: 0,
        })
    }
}

/// Reads a `resource,role` table (a header line, then one row per person or device).
pub fn read_resource_roles(path: &Path) -> Result<HashMap<String, String>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut table = HashMap::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| {
            Error::input(path.display().to_string(), format!("line {}", i + 2), e.to_string())
        })?;
        let (Some(resource), Some(role)) = (row.get(0), row.get(1)) else {
            return Err(Error::input(
                path.display().to_string(),
                format!("line {}", i + 2),
                "each row needs two columns: resource,role",
            )
            .into());
        };
        table.insert(resource.trim().to_string(), role.trim().to_string());
    }
    Ok(table)
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

pub fn discover(log: &Path, args: &LogArgs, as_json: bool) -> CmdResult {
    let options = args.options()?;
    let (found, report) = with_progress("reading the log", |p| mining::discover(log, &options, p))?;
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
            human_duration(e.mean_seconds),
            human_duration(e.median_seconds)
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

/// 90 s, 12 min, 3.5 h, 2.1 d.
pub fn human_duration(seconds: f64) -> String {
    match seconds {
        s if s < 120.0 => format!("{s:.0} s"),
        s if s < 7200.0 => format!("{:.0} min", s / 60.0),
        s if s < 172_800.0 => format!("{:.1} h", s / 3600.0),
        s => format!("{:.1} d", s / 86400.0),
    }
}
