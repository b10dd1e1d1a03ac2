//! Metrics from task groups, per version and step (with role and facility breakdowns), and the
//! comparison of two versions with a rule that says whether a change is larger than the noise:
//! - rates: a two-proportion z-test, significant when |z| ≥ 1.96 (about 95 %);
//! - medians: a bootstrap of the difference of medians (1,000 resamples of each version's tasks,
//!   seeded, so the result is the same every run), significant when its 95 % interval excludes 0.

use serde::Serialize;

use super::TaskGroup;
use crate::error::Result;
use crate::progress::Progress;
use crate::splitmix::SplitMix;

/// The metrics of one slice of tasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    pub version: i64,
    /// Empty for all steps.
    pub step: String,
    /// Empty for all roles.
    pub role: String,
    /// Empty for all facilities.
    pub facility: String,
    pub tasks: u64,
    pub completed: u64,
    pub cancelled: u64,
    pub open: u64,
    pub complete_median_seconds: Option<u64>,
    pub complete_p90_seconds: Option<u64>,
    pub first_assignment_median_seconds: Option<u64>,
    pub reassignment_rate: f64,
    pub reassignments: u64,
    pub override_rate: f64,
    pub escalation_rate: f64,
    pub open_age_median_seconds: Option<u64>,
}

/// One metric of one step compared between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Comparison {
    /// Empty for all steps.
    pub step: String,
    pub metric: String,
    pub from: f64,
    pub to: f64,
    pub change: f64,
    /// Whether the change is larger than the noise (see the module's rule).
    pub significant: bool,
    /// `z = …` or `95% interval […, …]`.
    pub evidence: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub workflow: String,
    /// Versions present, ascending (0: telemetry without a version).
    pub versions: Vec<i64>,
    /// Per version: all steps first, then each step; then per step and role, per step and facility.
    pub rows: Vec<MetricRow>,
    pub comparison: Vec<Comparison>,
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

fn rate(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0 }
}

fn row(version: i64, step: &str, role: &str, facility: &str, groups: &[&TaskGroup]) -> MetricRow {
    let sum = |f: fn(&TaskGroup) -> u64| groups.iter().map(|g| f(g)).sum::<u64>();
    let merged = |f: fn(&TaskGroup) -> &Vec<u64>| {
        let mut v: Vec<u64> = groups.iter().flat_map(|g| f(g).iter().copied()).collect();
        v.sort_unstable();
        v
    };
    let (complete, assign, ages) =
        (merged(|g| &g.complete_secs), merged(|g| &g.assign_secs), merged(|g| &g.open_ages));
    let tasks = sum(|g| g.tasks);
    MetricRow {
        version,
        step: step.into(),
        role: role.into(),
        facility: facility.into(),
        tasks,
        completed: sum(|g| g.completed),
        cancelled: sum(|g| g.cancelled),
        open: sum(|g| g.open),
        complete_median_seconds: percentile(&complete, 0.5),
        complete_p90_seconds: percentile(&complete, 0.9),
        first_assignment_median_seconds: percentile(&assign, 0.5),
        reassignment_rate: rate(sum(|g| g.reassigned_tasks), tasks),
        reassignments: sum(|g| g.reassignments),
        override_rate: rate(sum(|g| g.overridden_tasks), tasks),
        escalation_rate: rate(sum(|g| g.escalated_tasks), tasks),
        open_age_median_seconds: percentile(&ages, 0.5),
    }
}

/// The metrics of a workflow's telemetry, for one version or all; with `compare`, the comparison
/// of `compare.0` (before) with `compare.1` (after). Stops with `Cancelled` when `progress` is cancelled (checked per version and before the
/// comparison).
pub fn metrics(
    groups: &[TaskGroup],
    workflow: &str,
    version: Option<i64>,
    compare: Option<(i64, i64)>,
    progress: &Progress,
) -> Result<Metrics> {
    let mine: Vec<&TaskGroup> = groups.iter().filter(|g| g.workflow == workflow).collect();
    let mut versions: Vec<i64> = mine.iter().map(|g| g.version).collect();
    versions.sort_unstable();
    versions.dedup();
    let shown: Vec<i64> = match version {
        Some(v) => vec![v],
        None => versions.clone(),
    };
    let mut rows = Vec::new();
    for &v in &shown {
        progress.check("computing task metrics")?;
        let of_v: Vec<&TaskGroup> = mine.iter().copied().filter(|g| g.version == v).collect();
        rows.push(row(v, "", "", "", &of_v));
        let mut steps: Vec<&str> = of_v.iter().map(|g| g.step.as_str()).collect();
        steps.sort_unstable();
        steps.dedup();
        for step in &steps {
            let of_step: Vec<&TaskGroup> = of_v.iter().copied().filter(|g| g.step == *step).collect();
            rows.push(row(v, step, "", "", &of_step));
        }
        for step in &steps {
            let mut roles: Vec<&str> =
                of_v.iter().filter(|g| g.step == *step).map(|g| g.role.as_str()).collect();
            roles.sort_unstable();
            roles.dedup();
            for role in roles {
                let slice: Vec<&TaskGroup> =
                    of_v.iter().copied().filter(|g| g.step == *step && g.role == role).collect();
                rows.push(row(v, step, role, "", &slice));
            }
            let mut facilities: Vec<&str> =
                of_v.iter().filter(|g| g.step == *step).map(|g| g.facility.as_str()).collect();
            facilities.sort_unstable();
            facilities.dedup();
            for facility in facilities {
                let slice: Vec<&TaskGroup> =
                    of_v.iter().copied().filter(|g| g.step == *step && g.facility == facility).collect();
                rows.push(row(v, step, "", facility, &slice));
            }
        }
    }
    progress.check("computing task metrics")?;
    let comparison = compare.map(|(a, b)| compare_versions(&mine, a, b)).unwrap_or_default();
    Ok(Metrics { workflow: workflow.into(), versions, rows, comparison })
}

fn z_test(x1: u64, n1: u64, x2: u64, n2: u64) -> f64 {
    if n1 == 0 || n2 == 0 {
        return 0.0;
    }
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let p = (x1 + x2) as f64 / (n1 + n2) as f64;
    let se = (p * (1.0 - p) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 { 0.0 } else { (p2 - p1) / se }
}

fn median_of(values: &mut [u64]) -> f64 {
    values.sort_unstable();
    percentile(values, 0.5).unwrap_or(0) as f64
}

/// At most this many durations per version enter the bootstrap: evenly spaced quantiles of the
/// sorted durations, which keep their distribution; the interval is then that of this many tasks,
/// wider than the whole telemetry's, so the rule errs towards "within the noise".
const BOOTSTRAP_SAMPLE: usize = 2_000;

fn thinned(values: &[u64]) -> Vec<u64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    if sorted.len() <= BOOTSTRAP_SAMPLE {
        return sorted;
    }
    (0..BOOTSTRAP_SAMPLE)
        .map(|i| sorted[i * sorted.len() / BOOTSTRAP_SAMPLE + sorted.len() / (2 * BOOTSTRAP_SAMPLE)])
        .collect()
}

/// The 95 % bootstrap interval of median(b) − median(a).
fn bootstrap(a: &[u64], b: &[u64], seed: u64) -> (f64, f64) {
    let (a, b) = (thinned(a), thinned(b));
    let (a, b) = (a.as_slice(), b.as_slice());
    let mut rng = SplitMix(seed);
    let mut diffs: Vec<f64> = (0..1000)
        .map(|_| {
            let mut ra: Vec<u64> = (0..a.len()).map(|_| a[rng.below(a.len())]).collect();
            let mut rb: Vec<u64> = (0..b.len()).map(|_| b[rng.below(b.len())]).collect();
            median_of(&mut rb) - median_of(&mut ra)
        })
        .collect();
    diffs.sort_by(f64::total_cmp);
    (diffs[24], diffs[974])
}

/// Which count of a group a rate takes.
type Count = fn(&TaskGroup) -> u64;

fn compare_versions(groups: &[&TaskGroup], a: i64, b: i64) -> Vec<Comparison> {
    let mut steps: Vec<&str> =
        groups.iter().filter(|g| g.version == a || g.version == b).map(|g| g.step.as_str()).collect();
    steps.sort_unstable();
    steps.dedup();
    let mut out = Vec::new();
    for step in std::iter::once("").chain(steps) {
        let slice = |v: i64| -> Vec<&TaskGroup> {
            groups.iter().copied().filter(|g| g.version == v && (step.is_empty() || g.step == step)).collect()
        };
        let (ga, gb) = (slice(a), slice(b));
        if ga.is_empty() || gb.is_empty() {
            continue;
        }
        let sum = |gs: &[&TaskGroup], f: fn(&TaskGroup) -> u64| gs.iter().map(|g| f(g)).sum::<u64>();
        let rates: [(&str, Count); 3] = [
            ("reassignment_rate", |g| g.reassigned_tasks),
            ("override_rate", |g| g.overridden_tasks),
            ("escalation_rate", |g| g.escalated_tasks),
        ];
        for (metric, f) in rates {
            let (x1, n1, x2, n2) = (sum(&ga, f), sum(&ga, |g| g.tasks), sum(&gb, f), sum(&gb, |g| g.tasks));
            let z = z_test(x1, n1, x2, n2);
            let (from, to) = (rate(x1, n1), rate(x2, n2));
            out.push(Comparison {
                step: step.into(),
                metric: metric.into(),
                from,
                to,
                change: ((to - from) * 10_000.0).round() / 10_000.0,
                significant: z.abs() >= 1.96,
                evidence: format!("z = {z:.2}"),
            });
        }
        let durations = |gs: &[&TaskGroup]| -> Vec<u64> {
            gs.iter().flat_map(|g| g.complete_secs.iter().copied()).collect()
        };
        let (da, db) = (durations(&ga), durations(&gb));
        if !da.is_empty() && !db.is_empty() {
            let (mut sa, mut sb) = (da.clone(), db.clone());
            let (from, to) = (median_of(&mut sa), median_of(&mut sb));
            let (low, high) = bootstrap(&da, &db, 2026 + step.len() as u64);
            out.push(Comparison {
                step: step.into(),
                metric: "complete_median_seconds".into(),
                from,
                to,
                change: to - from,
                significant: low > 0.0 || high < 0.0,
                evidence: format!("95% interval of the change [{}, {}]", signed(low), signed(high)),
            });
        }
    }
    out
}

/// A change in seconds for people, with its sign: "−2 h 8 min", "+45 seconds".
fn signed(seconds: f64) -> String {
    let sign = if seconds < 0.0 { "−" } else { "+" };
    format!("{sign}{}", crate::design::timer::measured(seconds.abs()))
}
