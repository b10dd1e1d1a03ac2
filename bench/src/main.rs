//! Benchmark helpers for `baton discover`:
//! - `gen`: a deterministic generator of synthetic clinical event logs (CSV or XES);
//! - `process-mining`: the peer, the `process_mining` crate's XES import and DFG discovery.
//!
//! `scripts/bench-discover.sh` drives both, with pm4py, and prints the table the README keeps.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use baton::splitmix::SplitMix;
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "baton-bench", about = "Benchmark helpers for Baton's log discovery")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a synthetic clinical event log of exactly N events.
    Gen {
        /// Number of events.
        #[arg(long)]
        events: u64,
        #[arg(long, value_enum)]
        format: Format,
        /// Number of facilities.
        #[arg(long, default_value_t = 4)]
        facilities: u8,
        /// Seed of the generator; the same seed gives the same bytes.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Write synthetic task telemetry of about N events (CSV), two versions of one workflow.
    GenTelemetry {
        #[arg(long)]
        events: u64,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Import an XES log and discover its directly-follows graph with the `process_mining` crate.
    ProcessMining { log: PathBuf },
    /// The floor for reading XES: one pass of quick-xml's tokenizer over the file on one thread,
    /// counting elements, building nothing (attributes are not even split).
    Tokenize { log: PathBuf },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Xes,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gen { events, format, facilities, seed, output } => {
            generate(events, format, facilities.max(1), seed, &output)
        }
        Command::ProcessMining { log } => process_mining_dfg(&log),
        Command::Tokenize { log } => tokenize(&log),
        Command::GenTelemetry { events, seed, output } => telemetry(events, seed, &output),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn tokenize(log: &std::path::Path) -> Result<(), String> {
    let file = std::fs::File::open(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::with_capacity(1 << 16, file));
    let mut buf = Vec::with_capacity(4096);
    let mut elements = 0u64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(_)) | Ok(quick_xml::events::Event::Empty(_)) => elements += 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("{}: {e}", log.display())),
        }
        buf.clear();
    }
    println!("{elements} elements");
    Ok(())
}

fn process_mining_dfg(log: &std::path::Path) -> Result<(), String> {
    use process_mining::core::event_data::case_centric::xes::{XESImportOptions, import_xes_path};
    let start = Instant::now();
    let imported =
        import_xes_path(log, XESImportOptions::default()).map_err(|e| format!("{}: {e:?}", log.display()))?;
    let imported_at = start.elapsed();
    let dfg = process_mining::discovery::case_centric::dfg::discover_dfg(&imported);
    let events: usize = imported.traces.iter().map(|t| t.events.len()).sum();
    println!(
        "{{\"events\": {events}, \"cases\": {}, \"activities\": {}, \"edges\": {}, \"import_seconds\": {:.3}, \"total_seconds\": {:.3}}}",
        imported.traces.len(),
        dfg.activities.len(),
        dfg.directly_follows_relations.len(),
        imported_at.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The synthetic process: a respiratory-therapy order from placement to completion, with
/// reassignments, re-entered notes and reassessment loops, as the sample engagement describes.
struct Activity {
    name: &'static str,
    role: usize,
    /// Mean minutes from this event to the next.
    mean_gap_minutes: f64,
    /// Next activities with their weights; empty ends the case.
    next: &'static [(usize, u32)],
}

const ROLES: [&str; 4] = ["Physician", "Registered Nurse", "Respiratory Therapist", "Charge Nurse"];

const PLACED: usize = 0;
const ASSESSED: usize = 4;

const PROCESS: [Activity; 12] = [
    Activity { name: "Order placed", role: 0, mean_gap_minutes: 12.0, next: &[(1, 88), (3, 10), (10, 2)] },
    Activity { name: "Order verified", role: 1, mean_gap_minutes: 25.0, next: &[(3, 82), (2, 18)] },
    Activity { name: "Order reassigned", role: 3, mean_gap_minutes: 40.0, next: &[(3, 100)] },
    Activity { name: "Therapy scheduled", role: 2, mean_gap_minutes: 55.0, next: &[(4, 95), (10, 5)] },
    Activity { name: "Patient assessed", role: 2, mean_gap_minutes: 8.0, next: &[(5, 88), (6, 12)] },
    Activity { name: "Treatment given", role: 2, mean_gap_minutes: 15.0, next: &[(7, 78), (8, 22)] },
    Activity { name: "Physician notified", role: 2, mean_gap_minutes: 30.0, next: &[(11, 100)] },
    Activity {
        name: "Response documented",
        role: 2,
        mean_gap_minutes: 180.0,
        next: &[(4, 45), (9, 30), (12, 25)],
    },
    Activity { name: "Note re-entered", role: 1, mean_gap_minutes: 20.0, next: &[(7, 100)] },
    Activity { name: "Handoff to nursing", role: 1, mean_gap_minutes: 35.0, next: &[(12, 100)] },
    Activity { name: "Order cancelled", role: 0, mean_gap_minutes: 0.0, next: &[] },
    Activity { name: "Order modified", role: 0, mean_gap_minutes: 20.0, next: &[(5, 100)] },
];
/// "Therapy completed" ends every case that is not cancelled.
const COMPLETED: usize = 12;
const COMPLETED_NAME: &str = "Therapy completed";
const MAX_ASSESSMENTS: u32 = 6;

const FACILITY_NAMES: [&str; 8] =
    ["North Campus", "South Campus", "Riverside", "Lakeview", "Hillcrest", "Westgate", "Harbor", "Valley"];
const PEOPLE_PER_ROLE: usize = 25;

fn name(activity: usize) -> &'static str {
    if activity == COMPLETED { COMPLETED_NAME } else { PROCESS[activity].name }
}

fn role_of(activity: usize) -> usize {
    if activity == COMPLETED { 2 } else { PROCESS[activity].role }
}

/// Draws of the generator.
trait Draws {
    fn wait_ms(&mut self, mean_minutes: f64) -> i64;
}

impl Draws for SplitMix {
    /// Milliseconds of an exponential wait with the given mean in minutes, at least a second.
    fn wait_ms(&mut self, mean_minutes: f64) -> i64 {
        let u = self.unit().max(1e-12);
        (-u.ln() * mean_minutes * 60_000.0) as i64 + 1_000
    }
}

/// One event of the generated log.
#[derive(Clone, Copy)]
struct Event {
    time_ms: i64,
    case: u32,
    activity: u8,
    person: u8,
    facility: u8,
}

/// Milliseconds since 1970 of 2025-01-01T00:00:00Z.
const YEAR_START_MS: i64 = 1_735_689_600_000;
const YEAR_MS: usize = 365 * 24 * 3_600_000;

/// The events of one case, in time order.
fn case_events(rng: &mut SplitMix, case: u32, facilities: u8, out: &mut Vec<Event>) {
    let facility = rng.below(usize::from(facilities)) as u8;
    let mut time = YEAR_START_MS + rng.below(YEAR_MS) as i64;
    let mut activity = PLACED;
    let mut assessments = 0;
    loop {
        let person = rng.below(PEOPLE_PER_ROLE) as u8;
        out.push(Event { time_ms: time, case, activity: activity as u8, person, facility });
        if activity == COMPLETED {
            return;
        }
        let step = &PROCESS[activity];
        if step.next.is_empty() {
            return;
        }
        if activity == ASSESSED {
            assessments += 1;
        }
        time += rng.wait_ms(step.mean_gap_minutes);
        let total: u32 = step.next.iter().map(|(_, w)| w).sum();
        let mut pick = rng.below(total as usize) as u32;
        let mut next = step.next[0].0;
        for &(candidate, weight) in step.next {
            if pick < weight {
                next = candidate;
                break;
            }
            pick -= weight;
        }
        if next == ASSESSED && activity != 3 && assessments >= MAX_ASSESSMENTS {
            next = COMPLETED;
        }
        activity = next;
    }
}

fn generate(events: u64, format: Format, facilities: u8, seed: u64, output: &PathBuf) -> Result<(), String> {
    let facilities = facilities.min(FACILITY_NAMES.len() as u8);
    let file = File::create(output).map_err(|e| format!("{}: {e}", output.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut rng = SplitMix(seed);
    let io = |e: std::io::Error| format!("{}: {e}", output.display());
    match format {
        Format::Csv => {
            // Real exports are sorted by time, with the cases interleaved.
            let mut all = Vec::with_capacity(events as usize);
            let mut case = 0u32;
            while (all.len() as u64) < events {
                case_events(&mut rng, case, facilities, &mut all);
                case += 1;
            }
            all.truncate(events as usize);
            all.sort_by_key(|e| (e.time_ms, e.case));
            writeln!(out, "case_id,activity,timestamp,role,resource,facility").map_err(io)?;
            for e in &all {
                let role = role_of(e.activity as usize);
                writeln!(
                    out,
                    "enc-{:07},{},{},{},{},{}",
                    e.case,
                    name(e.activity as usize),
                    timestamp(e.time_ms),
                    ROLES[role],
                    person(role, e),
                    FACILITY_NAMES[e.facility as usize]
                )
                .map_err(io)?;
            }
        }
        Format::Xes => {
            write_xes_header(&mut out).map_err(io)?;
            let mut written = 0u64;
            let mut trace = Vec::new();
            let mut case = 0u32;
            while written < events {
                trace.clear();
                case_events(&mut rng, case, facilities, &mut trace);
                trace.truncate((events - written) as usize);
                written += trace.len() as u64;
                write_trace(&mut out, case, &trace).map_err(io)?;
                case += 1;
            }
            writeln!(out, "</log>").map_err(io)?;
        }
    }
    out.flush().map_err(io)
}

fn person(role: usize, e: &Event) -> String {
    let prefix = ["md", "rn", "rt", "cn"][role];
    format!("{prefix}-{}-{:02}", e.facility, e.person)
}

fn write_xes_header(out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8" ?>"#)?;
    writeln!(out, r#"<log xes.version="1849-2016" xes.features="nested-attributes">"#)?;
    for (name, prefix, uri) in [
        ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
        ("Time", "time", "http://www.xes-standard.org/time.xesext"),
        ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
        ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
    ] {
        writeln!(out, r#"  <extension name="{name}" prefix="{prefix}" uri="{uri}"/>"#)?;
    }
    writeln!(out, r#"  <classifier name="Activity" keys="concept:name"/>"#)?;
    writeln!(out, r#"  <string key="concept:name" value="Synthetic respiratory therapy orders"/>"#)
}

fn write_trace(out: &mut impl Write, case: u32, events: &[Event]) -> std::io::Result<()> {
    let Some(first) = events.first() else { return Ok(()) };
    writeln!(out, "\t<trace>")?;
    writeln!(out, "\t\t<string key=\"concept:name\" value=\"enc-{case:07}\"/>")?;
    writeln!(out, "\t\t<string key=\"facility\" value=\"{}\"/>", FACILITY_NAMES[first.facility as usize])?;
    for e in events {
        let role = role_of(e.activity as usize);
        writeln!(out, "\t\t<event>")?;
        writeln!(out, "\t\t\t<string key=\"concept:name\" value=\"{}\"/>", name(e.activity as usize))?;
        writeln!(out, "\t\t\t<date key=\"time:timestamp\" value=\"{}\"/>", timestamp(e.time_ms))?;
        writeln!(out, "\t\t\t<string key=\"org:role\" value=\"{}\"/>", ROLES[role])?;
        writeln!(out, "\t\t\t<string key=\"org:resource\" value=\"{}\"/>", person(role, e))?;
        writeln!(out, "\t\t</event>")?;
    }
    writeln!(out, "\t</trace>")
}

/// Task telemetry: tasks of two steps in two versions at four facilities, each created, assigned,
/// sometimes reassigned, overridden or escalated, and mostly completed.
fn telemetry(events: u64, seed: u64, output: &PathBuf) -> Result<(), String> {
    let file = File::create(output).map_err(|e| format!("{}: {e}", output.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let io = |e: std::io::Error| format!("{}: {e}", output.display());
    let mut rng = SplitMix(seed);
    writeln!(out, "task,workflow,version,step,event,role,facility,timestamp,actor").map_err(io)?;
    let (mut written, mut task) = (0u64, 0u64);
    while written < events {
        task += 1;
        let version = 1 + (task % 2);
        let step = if rng.below(2) == 0 { "reconcile" } else { "review" };
        let facility = FACILITY_NAMES[rng.below(4)];
        let mut time = YEAR_START_MS + rng.below(YEAR_MS) as i64;
        let mut kinds = vec!["created", "assigned"];
        if rng.below(100) < if version == 1 { 18 } else { 6 } {
            kinds.push("reassigned");
        }
        if rng.below(100) < 4 {
            kinds.push("overridden");
        }
        if rng.below(100) < 8 {
            kinds.push("escalated");
        }
        if rng.below(100) < 97 {
            kinds.push("completed");
        }
        for kind in kinds {
            time += rng.wait_ms(if version == 1 { 40.0 } else { 25.0 });
            writeln!(
                out,
                "t{task},respiratory-assessment,{version},{step},{kind},rn,{facility},{},staff-{}",
                timestamp(time),
                rng.below(200)
            )
            .map_err(io)?;
            written += 1;
        }
    }
    out.flush().map_err(io)
}

/// ISO 8601 in UTC with milliseconds, e.g. `2025-03-04T10:15:30.123+00:00`.
fn timestamp(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, min, s, milli) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}+00:00")
}

/// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_iso_dates() {
        assert_eq!(timestamp(YEAR_START_MS), "2025-01-01T00:00:00.000+00:00");
        assert_eq!(timestamp(YEAR_START_MS + 59 * 86_400_000 + 3_723_004), "2025-03-01T01:02:03.004+00:00");
    }

    #[test]
    fn the_same_seed_gives_the_same_cases() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for case in 0..50 {
            case_events(&mut SplitMix(7), case, 4, &mut a);
            case_events(&mut SplitMix(7), case, 4, &mut b);
        }
        assert_eq!(a.len(), b.len());
        assert!(a.iter().zip(&b).all(|(x, y)| x.time_ms == y.time_ms && x.activity == y.activity));
        assert!(a.iter().all(|e| (e.activity as usize) <= COMPLETED));
    }
}
