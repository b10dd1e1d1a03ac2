//! The directly-follows graph of a log, with frequencies and times, in the shape of `baton
//! discover --json` (CLI.md): activities, start and end activities sorted by name; edges by (from,
//! to); variants by count descending, then activities.

use std::path::Path;

use serde::Serialize;

use super::aggregate::Aggregates;
use super::{LogOptions, ReadReport, read_log};
use crate::error::Result;
use crate::progress::Progress;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameCount {
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiscoveredEdge {
    pub from: String,
    pub to: String,
    pub count: u64,
    pub mean_seconds: f64,
    pub median_seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub activities: Vec<String>,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discovery {
    pub events: u64,
    pub cases: u64,
    pub activities: Vec<NameCount>,
    pub start_activities: Vec<NameCount>,
    pub end_activities: Vec<NameCount>,
    pub edges: Vec<DiscoveredEdge>,
    pub variants: Vec<Variant>,
}

/// Reads the log at `path` and discovers its directly-follows graph.
pub fn discover(path: &Path, options: &LogOptions, progress: &Progress) -> Result<(Discovery, ReadReport)> {
    let (aggregates, report) = read_log(path, options, progress)?;
    Ok((summarize(&aggregates), report))
}

/// The discovery of a whole log from its aggregates (every facility together).
pub fn summarize(agg: &Aggregates) -> Discovery {
    let n = agg.activities.len();
    let mut counts = vec![(0u64, 0u64, 0u64); n];
    for (&(_, a), c) in &agg.activity_counts {
        let slot = &mut counts[a as usize];
        slot.0 += c.events;
        slot.1 += c.starts;
        slot.2 += c.ends;
    }
    let name = |a: u32| agg.activities.name(a).to_string();
    let listed = |pick: fn(&(u64, u64, u64)) -> u64| {
        let mut list: Vec<NameCount> = (0..n)
            .filter(|&a| pick(&counts[a]) > 0)
            .map(|a| NameCount { name: name(a as u32), count: pick(&counts[a]) })
            .collect();
        list.sort_by(|x, y| x.name.cmp(&y.name));
        list
    };
    let mut merged: rustc_hash::FxHashMap<(u32, u32), Vec<i64>> = Default::default();
    for (&(_, a, b), times) in &agg.edges {
        merged.entry((a, b)).or_default().extend_from_slice(&times.micros);
    }
    let mut edges: Vec<DiscoveredEdge> = merged
        .into_iter()
        .map(|((a, b), mut micros)| {
            let (mean, median) = mean_and_median(&mut micros);
            DiscoveredEdge {
                from: name(a),
                to: name(b),
                count: micros.len() as u64,
                mean_seconds: mean,
                median_seconds: median,
            }
        })
        .collect();
    edges.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
    // Variants are counted per facility (the key's first index); discovery joins them.
    let mut joined: rustc_hash::FxHashMap<&[u32], u64> = Default::default();
    for (key, v) in &agg.variants {
        *joined.entry(&key[1..]).or_default() += v.count;
    }
    let mut variants: Vec<Variant> = joined
        .into_iter()
        .map(|(acts, count)| Variant { activities: acts.iter().map(|&a| name(a)).collect(), count })
        .collect();
    variants.sort_by(|x, y| y.count.cmp(&x.count).then_with(|| x.activities.cmp(&y.activities)));
    Discovery {
        events: agg.events,
        cases: agg.cases,
        activities: listed(|c| c.0),
        start_activities: listed(|c| c.1),
        end_activities: listed(|c| c.2),
        edges,
        variants,
    }
}

/// Mean and median in seconds of durations in microseconds (the median of an even number of
/// values is the mean of the middle two). `micros` is reordered.
pub fn mean_and_median(micros: &mut [i64]) -> (f64, f64) {
    if micros.is_empty() {
        return (0.0, 0.0);
    }
    let sum: i128 = micros.iter().map(|&m| i128::from(m)).sum();
    let mean = sum as f64 / micros.len() as f64 / 1e6;
    let mid = micros.len() / 2;
    let odd = micros.len() % 2 == 1;
    let (below, &mut upper, _) = micros.select_nth_unstable(mid);
    let median = if odd {
        upper as f64
    } else {
        let lower = below.iter().copied().max().unwrap_or(upper);
        (lower as f64 + upper as f64) / 2.0
    };
    (mean, median / 1e6)
}
