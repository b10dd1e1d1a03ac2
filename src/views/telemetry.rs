//! The Telemetry screen: task metrics of a workflow per version, step, role and facility, the
//! comparison of two versions with its noise rule, and the distribution of time to complete in
//! hour-wide bins.

use serde::Serialize;

use crate::design::timer::measured;
use crate::error::Result;
use crate::model::Model;
use crate::progress::Progress;
use crate::telemetry::{Comparison, metrics, step_labels};

/// Bins of the distribution: hours 0–1, 1–2, …, 23–24, then 24 and more.
pub const HOUR_BINS: usize = 25;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct MetricRowView {
    pub version: i64,
    /// Empty on the version's total row.
    pub step: String,
    pub role: String,
    pub facility: String,
    pub tasks: u64,
    pub completed: u64,
    pub open: u64,
    /// Hours, to one decimal (for charts).
    pub complete_median_hours: Option<f64>,
    pub complete_p90_hours: Option<f64>,
    /// Minutes, to one decimal.
    pub first_assignment_median_minutes: Option<f64>,
    /// The same durations for people ("3 h 57 min"), "–" when there are none.
    pub complete_median: String,
    pub complete_p90: String,
    pub first_assignment_median: String,
    pub reassignment_rate: f64,
    pub override_rate: f64,
    pub escalation_rate: f64,
}

/// Tasks completed within each bin of `HOUR_BINS`, for one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct DistributionView {
    pub version: i64,
    pub bins: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct TelemetryView {
    /// Every version with telemetry.
    pub versions: Vec<i64>,
    pub rows: Vec<MetricRowView>,
    pub comparison: Vec<MetricChangeView>,
    /// Per version shown (and the one compared with).
    pub distribution: Vec<DistributionView>,
}

/// A change between two versions, with its values for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct MetricChangeView {
    /// Empty for all steps.
    pub step: String,
    pub metric: String,
    /// "3 h 57 min" for a duration, "20.0%" for a rate.
    pub from: String,
    pub to: String,
    pub significant: bool,
    /// The verdict in words: "Larger than the noise (95 % sure)", "Within the noise".
    pub verdict: String,
    /// The statistic behind it ("z = 2.41", the interval of the change), for a tooltip.
    pub evidence: String,
}

impl MetricChangeView {
    fn of(c: &Comparison) -> MetricChangeView {
        let value = |v: f64| {
            if c.metric.ends_with("_seconds") { measured(v) } else { format!("{:.1} %", v * 100.0) }
        };
        MetricChangeView {
            step: c.step.clone(),
            metric: c.metric.clone(),
            from: value(c.from),
            to: value(c.to),
            significant: c.significant,
            verdict: if c.significant {
                "Larger than the noise (95 % sure)".to_string()
            } else {
                "Within the noise".to_string()
            },
            evidence: c.evidence.clone(),
        }
    }
}

fn for_people(seconds: Option<u64>) -> String {
    seconds.map_or_else(|| "–".to_string(), |s| measured(s as f64))
}

fn hours(seconds: Option<u64>) -> Option<f64> {
    seconds.map(|s| (s as f64 / 360.0).round() / 10.0)
}

/// The task metrics of `workflow_id` (one version, or all), compared with version `compare`.
pub fn telemetry(
    m: &Model,
    workflow_id: &str,
    version: Option<i64>,
    compare: Option<i64>,
    progress: &Progress,
) -> Result<TelemetryView> {
    let groups = step_labels(m, workflow_id);
    // Rows name roles and facilities as people know them, never by id.
    let role =
        |id: &str| m.roles.iter().find(|r| r.id == id).map_or_else(|| id.to_string(), |r| r.name.clone());
    let facility = |id: &str| {
        m.facilities.iter().find(|f| f.id == id).map_or_else(|| id.to_string(), |f| f.name.clone())
    };
    let found = metrics(&groups, workflow_id, version, compare.zip(version), progress)?;
    let shown: Vec<i64> = found.rows.iter().map(|r| r.version).collect();
    let distribution = found
        .versions
        .iter()
        .filter(|v| shown.contains(v) || compare == Some(**v))
        .map(|&v| {
            let mut bins = vec![0u64; HOUR_BINS];
            for g in groups.iter().filter(|g| g.workflow == workflow_id && g.version == v) {
                for s in &g.complete_secs {
                    bins[usize::try_from(s / 3600).unwrap_or(usize::MAX).min(HOUR_BINS - 1)] += 1;
                }
            }
            DistributionView { version: v, bins }
        })
        .collect();
    Ok(TelemetryView {
        versions: found.versions.clone(),
        rows: found
            .rows
            .iter()
            .map(|r| MetricRowView {
                version: r.version,
                step: r.step.clone(),
                role: role(&r.role),
                facility: facility(&r.facility),
                tasks: r.tasks,
                completed: r.completed,
                open: r.open,
                complete_median: for_people(r.complete_median_seconds),
                complete_p90: for_people(r.complete_p90_seconds),
                first_assignment_median: for_people(r.first_assignment_median_seconds),
                complete_median_hours: hours(r.complete_median_seconds),
                complete_p90_hours: hours(r.complete_p90_seconds),
                first_assignment_median_minutes: r
                    .first_assignment_median_seconds
                    .map(|s| (s as f64 / 6.0).round() / 10.0),
                reassignment_rate: r.reassignment_rate,
                override_rate: r.override_rate,
                escalation_rate: r.escalation_rate,
            })
            .collect(),
        comparison: found.comparison.iter().map(MetricChangeView::of).collect(),
        distribution,
    })
}
