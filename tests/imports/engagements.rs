//! The engagement corpus (`tests/engagements/`, see its README): small engagements from other
//! clinical domains, written as a consultant's data would look, each with the findings that must
//! be found and near misses that must not. One test runs them all, prints found / expected and
//! false claims per engagement, and requires everything found with no false claim.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use baton::Project;
use baton::findings::Finding;
use baton::import::{LogSettings, StatusOptions};
use baton::progress::Progress;
use baton::splitmix::SplitMix;
use serde::Deserialize;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/engagements")
}

/// A finding one engagement must have (`find`) or must not (`not`): of this kind, with every one of
/// these texts in its title.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    kind: String,
    title_has: Vec<String>,
    /// For a finding that must be found: the severity it must have.
    #[serde(default)]
    severity: Option<String>,
    /// Why (for a near miss: why it must not be flagged).
    #[serde(default)]
    why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    find: Vec<Expect>,
    not: Vec<Expect>,
}

/// A status value's meaning, by the value's text and the business state's id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapTo {
    value: String,
    state: String,
    #[serde(default)]
    facility: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sla {
    step: String,
    #[serde(default)]
    within: String,
    #[serde(default)]
    safety_critical: bool,
}

/// One way through the workflow, with its share of the cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Path_ {
    share: f64,
    /// (activity, role) in order.
    steps: Vec<(String, String)>,
}

/// The waits on one edge: most around `median_minutes`, `tail_share` of them between
/// `tail_minutes[0]` and `tail_minutes[1]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wait {
    from: String,
    to: String,
    median_minutes: f64,
    #[serde(default)]
    tail_share: f64,
    #[serde(default)]
    tail_minutes: Option<(f64, f64)>,
}

/// A seeded generated event log.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LogSpec {
    seed: u64,
    cases: usize,
    /// Facility names as the EMR writes them, with their share of the cases.
    facilities: Vec<(String, f64)>,
    paths: Vec<Path_>,
    /// The wait on every edge not listed in `waits`.
    default_minutes: f64,
    #[serde(default)]
    waits: Vec<Wait>,
}

fn pick<'a, T>(rng: &mut SplitMix, items: &'a [(T, f64)]) -> &'a T {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.unit() * total;
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    &items[items.len() - 1].0
}

/// The log as CSV (Case ID, Activity, Timestamp, Role, Hospital), with its cases interleaved as
/// an EMR audit export would have them.
fn generate(spec: &LogSpec) -> String {
    let mut rng = SplitMix(spec.seed);
    let paths: Vec<(&Path_, f64)> = spec.paths.iter().map(|p| (p, p.share)).collect();
    let start = 1_788_220_800i64; // 2026-09-01T00:00:00Z
    let mut rows: Vec<(i64, String)> = Vec::new();
    for case in 0..spec.cases {
        let path = *pick(&mut rng, &paths);
        let facility = pick(&mut rng, &spec.facilities).clone();
        let mut at = start + case as i64 * 1_700 + (rng.unit() * 600.0) as i64;
        for (i, (activity, role)) in path.steps.iter().enumerate() {
            if i > 0 {
                let from = &path.steps[i - 1].0;
                let wait = spec.waits.iter().find(|w| &w.from == from && &w.to == activity);
                let (median, tail) = match wait {
                    Some(w) => (w.median_minutes, w.tail_minutes.filter(|_| rng.unit() < w.tail_share)),
                    None => (spec.default_minutes, None),
                };
                let minutes = match tail {
                    Some((lo, hi)) => lo + rng.unit() * (hi - lo),
                    // Around the median: from 60 % to 140 % of it.
                    None => median * (0.6 + 0.8 * rng.unit()),
                };
                at += (minutes * 60.0).round() as i64;
            }
            let time = jiff::Timestamp::from_second(at).unwrap().strftime("%Y-%m-%d %H:%M:%S");
            rows.push((at, format!("C{case:05},{activity},{time},{role},{facility}")));
        }
    }
    rows.sort_by_key(|(at, _)| *at);
    let mut out = String::from("Case ID,Activity,Timestamp,Role,Hospital\n");
    for (_, row) in rows {
        let _ = writeln!(out, "{row}");
    }
    out
}

fn yaml<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The engagement in `dir` as a project: its bundle, its status export imported, its values
/// mapped, its service levels set and its log generated and imported.
fn engagement(dir: &Path, scratch: &Path) -> Project {
    let model = baton::bundle::read_dir(&dir.join("bundle")).unwrap();
    let name = model.project.as_ref().map_or("corpus".to_string(), |p| p.name.clone());
    let mut p = Project::in_memory(&name, &model).unwrap();
    let status = dir.join("status.csv");
    if status.is_file() {
        p.import_status(&status, &StatusOptions::default(), &Progress::none())
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    let maps = dir.join("mappings.yaml");
    if maps.is_file() {
        for x in yaml::<Vec<MapTo>>(&maps) {
            let m = p.model().unwrap();
            let value = m
                .emr_values
                .iter()
                .find(|v| v.value == x.value)
                .unwrap_or_else(|| panic!("{}: no value {:?} in status.csv", dir.display(), x.value));
            p.set_mapping(&value.id.clone(), x.facility.as_deref(), Some(&x.state), "").unwrap();
        }
    }
    let slas = dir.join("sla.yaml");
    if slas.is_file() {
        for s in yaml::<Vec<Sla>>(&slas) {
            p.set_service_level(&s.step, &s.within, s.safety_critical).unwrap();
        }
    }
    let spec = dir.join("log.yaml");
    if spec.is_file() {
        let log = scratch.join(format!("{}.csv", dir.file_name().unwrap().to_string_lossy()));
        std::fs::write(&log, generate(&yaml(&spec))).unwrap();
        p.import_log(&log, &LogSettings::default(), HashMap::new(), &Progress::none())
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    p
}

fn matches(f: &Finding, e: &Expect) -> bool {
    f.kind.as_str() == e.kind && e.title_has.iter().all(|t| f.title.contains(t.as_str()))
}

/// A near miss: the same, and of its severity when it names one.
fn claims(f: &Finding, e: &Expect) -> bool {
    matches(f, e) && e.severity.as_deref().is_none_or(|s| s == f.severity.as_str())
}

#[test]
fn every_engagement_finds_what_it_must_and_claims_nothing_false() {
    let scratch = tempfile::tempdir().unwrap();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.yaml").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 6, "the corpus holds {} engagements", dirs.len());
    let mut report = String::new();
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let p = engagement(dir, scratch.path());
        let expected: Expected = yaml(&dir.join("expected.yaml"));
        assert!(expected.not.len() >= 3, "{name}: at least three near misses");
        let found =
            baton::findings::analyze(&p.model().unwrap(), &Default::default(), &Progress::none()).unwrap();
        let mut hits = 0;
        for e in &expected.find {
            match found.iter().find(|f| matches(f, e)) {
                Some(f) if e.severity.as_deref().is_none_or(|s| s == f.severity.as_str()) => hits += 1,
                Some(f) => failures.push(format!(
                    "{name}: {} {:?} is {}, not {}",
                    e.kind,
                    e.title_has,
                    f.severity.as_str(),
                    e.severity.as_deref().unwrap_or_default()
                )),
                None => failures.push(format!("{name}: missed {} {:?}", e.kind, e.title_has)),
            }
        }
        let mut false_claims = 0;
        for e in &expected.not {
            for f in found.iter().filter(|f| claims(f, e)) {
                false_claims += 1;
                failures.push(format!("{name}: false claim {}: {} ({})", f.kind.as_str(), f.title, e.why));
            }
        }
        let _ = writeln!(
            report,
            "{name:<32} found {hits}/{} · false claims {false_claims} (of {} near misses)",
            expected.find.len(),
            expected.not.len()
        );
        if std::env::var_os("BATON_CORPUS_VERBOSE").is_some() {
            for f in &found {
                let _ =
                    writeln!(report, "    {:<6} {:<24} {}", f.severity.as_str(), f.kind.as_str(), f.title);
            }
        }
    }
    println!("{report}");
    assert!(failures.is_empty(), "{report}\n{}", failures.join("\n"));
}

/// The findings report of one engagement of the corpus, as a consultant hands it over: its
/// wording (tails stated, service levels quoted, no repeated aliases, no empty sections) is kept.
#[test]
fn the_critical_lab_report_reads_as_a_consultant_would_defend_it() {
    let scratch = tempfile::tempdir().unwrap();
    let p = engagement(&corpus().join("critical-lab-callback"), scratch.path());
    let options = baton::report::ReportOptions::default();
    let r = baton::report::report(&p.model().unwrap(), &options, &Progress::none()).unwrap();
    let text = baton::report::markdown::render(&r, "diagrams");
    assert!(
        text.contains(
            "12 % of 365 cases waited more than 30 minutes for “Provider notified”; median 4 minutes"
        ),
        "the tail is stated"
    );
    assert!(text.contains("the service level of “Provider notified” is 30 minutes (safety-critical)"));
    assert!(!text.contains("MLT-2: MLT-2"), "an alias is not repeated");
    assert!(!text.contains("How the measures are computed"), "no telemetry method without telemetry");
    insta::assert_snapshot!("critical_lab_callback_report", text);
}
