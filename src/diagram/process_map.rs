//! The process map of an imported event log: its directly-follows graph, with how often each
//! activity and path occurs and how long the waits along each path are, laid out by the same
//! layout engine as the swimlanes (lanes by the role that does most of an activity, when the
//! log names roles).
//!
//! Everything is computed from the aggregates the project keeps (`EventLog`), never from the log
//! file, so a map of a million-event log is drawn from a few hundred rows. Two sliders narrow it
//! as Disco's do: `activities` keeps the most frequent share of the activities, `paths` the most
//! frequent share of the paths between those that are left, while every activity kept keeps its
//! busiest way in and out. Where the current-state map and the log disagree (the undocumented and
//! unobserved transitions findings), the path is marked and names its finding.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::svg::{FONT, MARGIN, edge_label, lane_band, n, text_block};
use crate::error::{Error, Result};
use crate::findings::{self, Finding, FindingKind};
use crate::layout::{
    self, EDGE_FONT_SIZE, EDGE_LINE_HEIGHT, EdgeSpec, FONT_SIZE, FlowGraph, Geometry, LINE_HEIGHT, LaneSpec,
    NodeKind, NodeSpec, Orientation,
};
use crate::model::{EventLog, Model, duration};
use crate::xml::escape as esc;

/// What edge thickness, colour and labels show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// How many times a path was taken.
    #[default]
    Frequency,
    /// The median wait along a path.
    Performance,
}

/// How to narrow and draw a map.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct MapOptions {
    /// A facility id (or the log's own facility value); none for every facility together.
    #[serde(default)]
    pub facility: Option<String>,
    #[serde(default)]
    pub measure: Measure,
    /// The share (0 to 1) of activities shown, most frequent first; none for the default (all,
    /// up to `DEFAULT_ACTIVITIES`).
    #[serde(default)]
    pub activities: Option<f64>,
    /// The share (0 to 1) of paths shown, most frequent first; none for the default (all, up to
    /// `DEFAULT_PATHS`).
    #[serde(default)]
    pub paths: Option<f64>,
}

/// Activities shown when no share is asked for: more make a map no one can read.
pub const DEFAULT_ACTIVITIES: usize = 30;
/// Paths shown when no share is asked for.
pub const DEFAULT_PATHS: usize = 80;

/// Where the map and the current-state map disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Disagreement {
    /// In the log, not in the current-state map.
    Undocumented,
    /// In the current-state map, never in the log (drawn dashed, with no count).
    Unobserved,
}

/// An activity box, or the start or end of the cases.
#[derive(Debug, Clone, PartialEq)]
pub struct MapNode {
    /// The activity's name; empty for the start and end.
    pub activity: String,
    /// Events of the activity; cases for the start and end.
    pub count: i64,
    /// The lane's role name ("" in a log without roles).
    pub role: String,
}

/// A path between two nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEdge {
    pub count: i64,
    pub mean_seconds: f64,
    pub median_seconds: f64,
    /// The chosen measure, from 0 (the least among the paths shown) to 1 (the most).
    pub weight: f64,
    pub disagreement: Option<Disagreement>,
    /// The finding that names the disagreement.
    pub finding: Option<String>,
}

/// A variant of the log with its share of the cases and the paths of the map it follows.
#[derive(Debug, Clone, PartialEq)]
pub struct MapVariant {
    pub activities: Vec<String>,
    pub count: i64,
    /// Of every case of the log.
    pub share: f64,
    /// Ids of the map's edges along it (those shown).
    pub edges: Vec<String>,
    /// Whether every step of it is shown.
    pub complete: bool,
}

/// A laid-out process map.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessMap {
    pub log_id: String,
    pub title: String,
    /// What is shown: "All facilities · 1,234 cases · frequency".
    pub subtitle: String,
    pub measure: Measure,
    pub cases: i64,
    pub events: i64,
    /// Facilities of the log (id or the log's value, with a name), by name.
    pub facilities: Vec<(String, String)>,
    pub facility: Option<String>,
    pub activities_total: usize,
    pub activities_shown: usize,
    pub paths_total: usize,
    pub paths_shown: usize,
    /// The shares applied (0 to 1).
    pub activity_share: f64,
    pub path_share: f64,
    pub flow: FlowGraph,
    pub geometry: Geometry,
    /// Per node of `flow`.
    pub nodes: Vec<MapNode>,
    /// Per edge of `flow`.
    pub edges: Vec<MapEdge>,
    /// The log's kept variants, most frequent first (every facility together).
    pub variants: Vec<MapVariant>,
    /// Cases of variants not kept.
    pub other_variants: i64,
}

const START: &str = "start";
const END: &str = "end";

/// The map of log `log_id` of `m` (findings are computed to mark disagreements).
pub fn process_map(m: &Model, log_id: &str, options: &MapOptions) -> Result<ProcessMap> {
    let log = m
        .logs
        .iter()
        .find(|l| l.id == log_id)
        .ok_or_else(|| Error::NotFound(format!("no event log with id {log_id:?} in this project")))?;
    let title =
        m.imports.iter().find(|i| i.id == log_id).map_or_else(|| log_id.to_string(), |i| i.name.clone());
    let found =
        findings::analyze(m, &Default::default(), &crate::progress::Progress::none()).unwrap_or_default();
    build(m, log, &title, &found, options)
}

/// The map of a log outside any project (`baton discover -o`): no disagreements to mark.
pub fn standalone_map(log: &EventLog, title: &str, options: &MapOptions) -> Result<ProcessMap> {
    build(&Model::default(), log, title, &[], options)
}

/// A path's count, mean and median wait (seconds).
type PathTimes = (i64, f64, f64);
/// A path between two activities (or the start or end) with its times.
type Path = ((String, String), PathTimes);

struct Counted {
    activities: BTreeMap<String, i64>,
    starts: BTreeMap<String, i64>,
    ends: BTreeMap<String, i64>,
    /// (from, to) → (count, mean, median): summed over facilities, waits weighted by count.
    edges: BTreeMap<(String, String), PathTimes>,
    roles: BTreeMap<String, BTreeMap<String, i64>>,
    cases: i64,
}

fn counted(log: &EventLog, facility: Option<&str>) -> Counted {
    let keep = |f: &str| facility.is_none_or(|x| x == f);
    let mut c = Counted {
        activities: BTreeMap::new(),
        starts: BTreeMap::new(),
        ends: BTreeMap::new(),
        edges: BTreeMap::new(),
        roles: BTreeMap::new(),
        cases: 0,
    };
    for a in log.activities.iter().filter(|a| keep(&a.facility)) {
        *c.activities.entry(a.activity.clone()).or_default() += a.events;
        if a.starts > 0 {
            *c.starts.entry(a.activity.clone()).or_default() += a.starts;
            c.cases += a.starts;
        }
        if a.ends > 0 {
            *c.ends.entry(a.activity.clone()).or_default() += a.ends;
        }
    }
    // Waits of one path at several facilities: the mean is exact; the median is the facilities'
    // medians weighted by count (the sketches are not merged for a map).
    for e in log.edges.iter().filter(|e| keep(&e.facility)) {
        let slot = c.edges.entry((e.from.clone(), e.to.clone())).or_default();
        let n = slot.0 + e.count;
        if n > 0 {
            slot.1 = (slot.1 * slot.0 as f64 + e.mean_seconds * e.count as f64) / n as f64;
            slot.2 = (slot.2 * slot.0 as f64 + e.median_seconds * e.count as f64) / n as f64;
        }
        slot.0 = n;
    }
    for r in log.roles.iter().filter(|r| keep(&r.facility)) {
        *c.roles.entry(r.activity.clone()).or_default().entry(r.role.clone()).or_default() += r.events;
    }
    c
}

fn share(requested: Option<f64>, total: usize, default: usize) -> f64 {
    match requested {
        Some(s) if s.is_finite() => s.clamp(0.0, 1.0),
        _ if total <= default => 1.0,
        _ => default as f64 / total as f64,
    }
}

fn build(
    m: &Model,
    log: &EventLog,
    title: &str,
    found: &[Finding],
    options: &MapOptions,
) -> Result<ProcessMap> {
    let mut facilities: Vec<(String, String)> = log
        .activities
        .iter()
        .map(|a| a.facility.clone())
        .filter(|f| !f.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|f| {
            let name = m.facilities.iter().find(|x| x.id == f).map_or_else(|| f.clone(), |x| x.name.clone());
            (f, name)
        })
        .collect();
    facilities.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    let facility = options.facility.clone().filter(|f| !f.is_empty());
    if let Some(f) = &facility
        && !facilities.iter().any(|(id, _)| id == f)
    {
        return Err(Error::invalid("facility", format!("the log has no cases at facility {f:?}")));
    }
    let c = counted(log, facility.as_deref());

    // The most frequent activities, ties by name.
    let mut ranked: Vec<(&String, i64)> = c.activities.iter().map(|(a, n)| (a, *n)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let activity_share = share(options.activities, ranked.len(), DEFAULT_ACTIVITIES);
    let keep = ((activity_share * ranked.len() as f64).round() as usize).min(ranked.len());
    let shown: BTreeSet<&str> = ranked.iter().take(keep).map(|(a, _)| a.as_str()).collect();

    // Candidate paths among what is shown, with the start and end.
    let mut candidates: Vec<Path> = Vec::new();
    for ((a, b), v) in &c.edges {
        if shown.contains(a.as_str()) && shown.contains(b.as_str()) {
            candidates.push(((a.clone(), b.clone()), *v));
        }
    }
    for (a, n) in &c.starts {
        if shown.contains(a.as_str()) {
            candidates.push(((START.into(), a.clone()), (*n, 0.0, 0.0)));
        }
    }
    for (a, n) in &c.ends {
        if shown.contains(a.as_str()) {
            candidates.push(((a.clone(), END.into()), (*n, 0.0, 0.0)));
        }
    }
    candidates.sort_by(|x, y| y.1.0.cmp(&x.1.0).then_with(|| x.0.cmp(&y.0)));
    let path_share = share(options.paths, candidates.len(), DEFAULT_PATHS);
    let top = ((path_share * candidates.len() as f64).ceil() as usize).min(candidates.len());
    let mut kept: BTreeSet<usize> = (0..top).collect();
    // Every activity shown keeps its busiest way in and out (candidates are busiest first).
    let mut has_in: BTreeSet<&str> = BTreeSet::new();
    let mut has_out: BTreeSet<&str> = BTreeSet::new();
    for i in &kept {
        let ((a, b), _) = &candidates[*i];
        has_out.insert(a);
        has_in.insert(b);
    }
    for (i, ((a, b), _)) in candidates.iter().enumerate() {
        if a != START && !has_out.contains(a.as_str()) {
            has_out.insert(a);
            kept.insert(i);
        }
        if b != END && !has_in.contains(b.as_str()) {
            has_in.insert(b);
            kept.insert(i);
        }
    }
    let paths: Vec<&Path> = kept.iter().map(|i| &candidates[*i]).collect();

    // Lanes: the role doing most of each activity, when the log names roles.
    let role_name =
        |r: &str| m.roles.iter().find(|x| x.id == r).map_or_else(|| r.to_string(), |x| x.name.clone());
    let any_roles = c.roles.values().any(|rs| rs.keys().any(|r| !r.is_empty()));
    let lane_of_activity = |a: &str| -> String {
        if !any_roles {
            return String::new();
        }
        c.roles
            .get(a)
            .and_then(|rs| {
                rs.iter().filter(|(r, _)| !r.is_empty()).max_by_key(|(r, n)| (**n, std::cmp::Reverse(*r)))
            })
            .map_or_else(|| "No role".to_string(), |(r, _)| role_name(r))
    };
    let mut order: Vec<(&String, i64)> =
        ranked.iter().filter(|(a, _)| shown.contains(a.as_str())).copied().collect();
    // Along the flow, activities come in the order the most frequent variants reach them.
    let mut first_seen: BTreeMap<&str, usize> = BTreeMap::new();
    for v in &log.variants {
        for a in &v.activities {
            let next = first_seen.len();
            first_seen.entry(a.as_str()).or_insert(next);
        }
    }
    order.sort_by_key(|(a, n)| {
        (first_seen.get(a.as_str()).copied().unwrap_or(usize::MAX), std::cmp::Reverse(*n))
    });
    let mut lane_names: Vec<String> = Vec::new();
    let lane_index = |name: String, lane_names: &mut Vec<String>| -> usize {
        if let Some(i) = lane_names.iter().position(|l| *l == name) {
            return i;
        }
        lane_names.push(name);
        lane_names.len() - 1
    };
    let busiest = |list: &BTreeMap<String, i64>| {
        list.iter()
            .filter(|(a, _)| shown.contains(a.as_str()))
            .max_by_key(|(a, n)| (**n, std::cmp::Reverse(*a)))
            .map(|(a, _)| a.clone())
    };
    let mut flow = FlowGraph::default();
    let mut nodes = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let start_lane =
        lane_index(busiest(&c.starts).map_or_else(String::new, |a| lane_of_activity(&a)), &mut lane_names);
    flow.nodes.push(NodeSpec {
        id: START.into(),
        label: "Start".into(),
        kind: NodeKind::Start,
        lane: start_lane,
        manual: None,
    });
    nodes.push(MapNode { activity: String::new(), count: c.cases, role: lane_names[start_lane].clone() });
    index.insert(START.into(), 0);
    for (i, (a, n)) in order.iter().enumerate() {
        let lane = lane_index(lane_of_activity(a), &mut lane_names);
        let count = findings::thousands(*n);
        flow.nodes.push(NodeSpec {
            id: format!("a{i}"),
            label: format!("{a}\n{count}"),
            kind: NodeKind::Task,
            lane,
            manual: None,
        });
        nodes.push(MapNode { activity: (*a).clone(), count: *n, role: lane_names[lane].clone() });
        index.insert((*a).clone(), flow.nodes.len() - 1);
    }
    let end_lane =
        lane_index(busiest(&c.ends).map_or_else(String::new, |a| lane_of_activity(&a)), &mut lane_names);
    flow.nodes.push(NodeSpec {
        id: END.into(),
        label: "End".into(),
        kind: NodeKind::End,
        lane: end_lane,
        manual: None,
    });
    nodes.push(MapNode { activity: String::new(), count: c.cases, role: lane_names[end_lane].clone() });
    index.insert(END.into(), flow.nodes.len() - 1);
    flow.lanes = lane_names
        .iter()
        .enumerate()
        .map(|(i, name)| LaneSpec {
            id: format!("lane{i}"),
            name: if name.is_empty() { "Activities".to_string() } else { name.clone() },
        })
        .collect();

    // Disagreements with the current-state map, by activity names compared loosely.
    let step_name: BTreeMap<&str, String> =
        m.steps.iter().map(|s| (s.id.as_str(), findings::loose(&s.name))).collect();
    let activity_by_loose: BTreeMap<String, &str> =
        index.keys().filter(|a| *a != START && *a != END).map(|a| (findings::loose(a), a.as_str())).collect();
    let as_activity = |step: &str| step_name.get(step).and_then(|l| activity_by_loose.get(l).copied());
    let mut undocumented: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut unobserved: Vec<(&str, &str, &str)> = Vec::new();
    for f in found {
        match (f.kind, f.key()) {
            (FindingKind::UndocumentedTransition, [_, a, b]) => {
                if let (Some(x), Some(y)) = (as_activity(a), as_activity(b)) {
                    undocumented.insert((x, y), &f.id);
                }
            }
            (FindingKind::UnobservedTransition, [_, h]) => {
                let Some(h) = m.handoffs.iter().find(|x| &x.id == h) else { continue };
                if let (Some(x), Some(y)) = (as_activity(&h.from_step_id), as_activity(&h.to_step_id))
                    && !c.edges.contains_key(&(x.to_string(), y.to_string()))
                {
                    unobserved.push((x, y, &f.id));
                }
            }
            _ => {}
        }
    }

    let measure_of = |v: &PathTimes| match options.measure {
        Measure::Frequency => v.0 as f64,
        Measure::Performance => v.2,
    };
    let timed = |a: &str, b: &str| a != START && b != END;
    let values: Vec<f64> = paths
        .iter()
        .filter(|((a, b), _)| options.measure == Measure::Frequency || timed(a, b))
        .map(|(_, v)| measure_of(v))
        .collect();
    let (lo, hi) =
        values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let mut edges = Vec::new();
    for ((a, b), v) in &paths {
        let (from, to) = (index[a.as_str()], index[b.as_str()]);
        let show_time = options.measure == Measure::Performance && timed(a, b);
        let label = if show_time { duration::measured(v.2) } else { findings::thousands(v.0) };
        let weight = if options.measure == Measure::Performance && !timed(a, b) {
            0.0
        } else if hi > lo {
            (measure_of(v) - lo) / (hi - lo)
        } else {
            1.0
        };
        let finding = undocumented.get(&(a.as_str(), b.as_str())).map(|f| f.to_string());
        flow.edges.push(EdgeSpec { id: format!("e{}", flow.edges.len()), from, to, label });
        edges.push(MapEdge {
            count: v.0,
            mean_seconds: v.1,
            median_seconds: v.2,
            weight,
            disagreement: finding.as_ref().map(|_| Disagreement::Undocumented),
            finding,
        });
    }
    for (a, b, f) in unobserved {
        let (Some(&from), Some(&to)) = (index.get(a), index.get(b)) else { continue };
        flow.edges.push(EdgeSpec { id: format!("e{}", flow.edges.len()), from, to, label: "never".into() });
        edges.push(MapEdge {
            count: 0,
            mean_seconds: 0.0,
            median_seconds: 0.0,
            weight: 0.0,
            disagreement: Some(Disagreement::Unobserved),
            finding: Some(f.to_string()),
        });
    }
    let geometry = layout::layout(&flow, Orientation::Horizontal)?;

    let edge_id: BTreeMap<(usize, usize), String> = flow
        .edges
        .iter()
        .zip(&edges)
        .filter(|(_, e)| e.disagreement != Some(Disagreement::Unobserved))
        .map(|(s, _)| ((s.from, s.to), s.id.clone()))
        .collect();
    let variants = log
        .variants
        .iter()
        .map(|v| {
            let mut path: Vec<&str> = vec![START];
            path.extend(v.activities.iter().map(String::as_str));
            path.push(END);
            let mut ids = Vec::new();
            let mut complete = true;
            for w in path.windows(2) {
                match (index.get(w[0]), index.get(w[1])) {
                    (Some(&x), Some(&y)) => match edge_id.get(&(x, y)) {
                        Some(id) => ids.push(id.clone()),
                        None => complete = false,
                    },
                    _ => complete = false,
                }
            }
            MapVariant {
                activities: v.activities.clone(),
                count: v.count,
                share: v.count as f64 / log.cases.max(1) as f64,
                edges: ids,
                complete,
            }
        })
        .collect();
    let place = facility
        .as_ref()
        .and_then(|f| facilities.iter().find(|(id, _)| id == f))
        .map_or_else(|| "All facilities".to_string(), |(_, name)| name.clone());
    let subtitle = format!(
        "{place} · {} cases · {} of {} activities · {} of {} paths · {}",
        findings::thousands(c.cases),
        order.len(),
        ranked.len(),
        edges.iter().filter(|e| e.disagreement != Some(Disagreement::Unobserved)).count(),
        candidates.len(),
        match options.measure {
            Measure::Frequency => "frequency",
            Measure::Performance => "median wait",
        }
    );
    Ok(ProcessMap {
        log_id: log.id.clone(),
        title: title.to_string(),
        subtitle,
        measure: options.measure,
        cases: c.cases,
        events: c.activities.values().sum(),
        facilities,
        facility,
        activities_total: ranked.len(),
        activities_shown: order.len(),
        paths_total: candidates.len(),
        paths_shown: paths.len(),
        activity_share,
        path_share,
        flow,
        geometry,
        nodes,
        edges,
        variants,
        other_variants: log.other_variants,
    })
}

/// The stroke width of a path of `weight` (0 to 1).
pub fn stroke_width(weight: f64) -> f64 {
    1.5 + 6.5 * weight.clamp(0.0, 1.0)
}

/// The colour of a path of `weight` under `measure`: light to dark blue for frequency, light to
/// dark orange for waits. The app uses the same scale.
pub fn stroke_colour(measure: Measure, weight: f64) -> String {
    let (light, dark) = match measure {
        Measure::Frequency => ((147, 197, 253), (30, 64, 175)),
        Measure::Performance => ((253, 186, 116), (154, 52, 18)),
    };
    let w = weight.clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * w).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(light.0, dark.0), mix(light.1, dark.1), mix(light.2, dark.2))
}

/// In the log, not in the map.
pub const UNDOCUMENTED: &str = "#c2410c";
/// In the map, never in the log.
pub const UNOBSERVED: &str = "#b91c1c";

const TITLE_HEIGHT: f64 = 56.0;
const LEGEND_HEIGHT: f64 = 44.0;

/// The map as a standalone SVG document: title, lanes, activities with their counts, paths by
/// the chosen measure, and a legend.
pub fn render_svg(map: &ProcessMap) -> String {
    let g = &map.geometry;
    let width = (g.width + 2.0 * MARGIN).max(820.0);
    let height = g.height + TITLE_HEIGHT + LEGEND_HEIGHT + MARGIN;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">"##,
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(out, "<title>{} — process map</title>", esc(&map.title));
    let _ =
        writeln!(out, r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##, n(width), n(height));
    let _ = writeln!(
        out,
        r##"<text x="{}" y="28" font-size="18" font-weight="bold" fill="#0f172a">{}</text>"##,
        n(MARGIN),
        esc(&map.title)
    );
    let _ = writeln!(
        out,
        r##"<text x="{}" y="46" font-size="12" fill="#475569">{}</text>"##,
        n(MARGIN),
        esc(&map.subtitle)
    );
    let _ = writeln!(out, r##"<g transform="translate({} {})">"##, n(MARGIN), n(TITLE_HEIGHT));
    for (l, lane) in g.lanes.iter().enumerate() {
        lane_band(&mut out, l, lane);
    }
    for (e, info) in g.edges.iter().zip(&map.edges) {
        let (colour, dash, w) = match info.disagreement {
            Some(Disagreement::Unobserved) => (UNOBSERVED.to_string(), r##" stroke-dasharray="6 4""##, 2.0),
            Some(Disagreement::Undocumented) => (UNDOCUMENTED.to_string(), "", stroke_width(info.weight)),
            None => (stroke_colour(map.measure, info.weight), "", stroke_width(info.weight)),
        };
        let mut path = String::new();
        for (k, p) in e.points.iter().enumerate() {
            let _ = write!(path, "{}{} {}", if k == 0 { "M" } else { " L" }, n(p.x), n(p.y));
        }
        let _ = writeln!(
            out,
            r##"<path data-edge="{}" d="{path}" fill="none" stroke="{colour}" stroke-width="{}"{dash} stroke-linejoin="round"/>"##,
            esc(&e.id),
            n(w)
        );
        if let Some(last) = e.points.last() {
            let before = e.points.get(e.points.len().saturating_sub(2)).copied().unwrap_or(*last);
            arrow_head(&mut out, before, *last, &colour);
        }
        if let Some(label) = &e.label {
            edge_label(&mut out, label);
        }
    }
    for (node, info) in g.nodes.iter().zip(&map.nodes) {
        let r = &node.rect;
        match node.kind {
            NodeKind::Start | NodeKind::End => {
                let start = node.kind == NodeKind::Start;
                let half = layout::EVENT_SIZE / 2.0;
                let cx = if start { r.right() - half } else { r.x + half };
                let (fill, stroke) = if start { ("#f0fdf4", "#15803d") } else { ("#fef2f2", "#b91c1c") };
                let _ = writeln!(
                    out,
                    r##"<circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="{stroke}" stroke-width="2.5"/>"##,
                    n(cx),
                    n(r.y + r.height / 2.0),
                    n(half - 1.5)
                );
                let text_x = if start { r.x } else { r.x + layout::EVENT_SIZE + layout::EVENT_LABEL_GAP };
                let text_w = r.width - layout::EVENT_SIZE - layout::EVENT_LABEL_GAP;
                let centre = layout::Point { x: text_x + text_w / 2.0, y: r.y + r.height / 2.0 };
                text_block(&mut out, &node.lines, centre, EDGE_FONT_SIZE, EDGE_LINE_HEIGHT, "");
            }
            _ => {
                let _ = writeln!(
                    out,
                    r##"<g data-activity="{}"><title>{} — {} events</title><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#ffffff" stroke="#334155" stroke-width="1.5"/>"##,
                    esc(&info.activity),
                    esc(&info.activity),
                    findings::thousands(info.count),
                    n(r.x),
                    n(r.y),
                    n(r.width),
                    n(r.height)
                );
                text_block(&mut out, &node.lines, r.centre(), FONT_SIZE, LINE_HEIGHT, "");
                out.push_str("</g>\n");
            }
        }
    }
    out.push_str("</g>\n");
    legend(&mut out, map, TITLE_HEIGHT + g.height + 16.0);
    out.push_str("</svg>\n");
    out
}

fn arrow_head(out: &mut String, from: layout::Point, to: layout::Point, colour: &str) {
    let (dx, dy) = (to.x - from.x, to.y - from.y);
    let len = (dx * dx + dy * dy).sqrt();
    if len == 0.0 {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (to.x - ux * 9.0, to.y - uy * 9.0);
    let _ = writeln!(
        out,
        r##"<path d="M{} {} L{} {} L{} {} z" fill="{colour}"/>"##,
        n(to.x),
        n(to.y),
        n(bx - uy * 5.0),
        n(by + ux * 5.0),
        n(bx + uy * 5.0),
        n(by - ux * 5.0)
    );
}

fn legend(out: &mut String, map: &ProcessMap, y: f64) {
    let measure = match map.measure {
        Measure::Frequency => "Thicker, darker paths are taken more often; numbers count them.",
        Measure::Performance => "Thicker, darker paths wait longer; numbers are median waits.",
    };
    let _ = writeln!(
        out,
        r##"<text x="{}" y="{}" font-size="12" fill="#0f172a">{}</text>"##,
        n(MARGIN),
        n(y + 4.0),
        esc(measure)
    );
    let items = [
        (UNDOCUMENTED, "", "In the log, not in the current-state map"),
        (UNOBSERVED, r##" stroke-dasharray="6 4""##, "In the current-state map, never in the log"),
    ];
    let mut x = MARGIN;
    for (colour, dash, text) in items {
        let _ = writeln!(
            out,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="3"{dash}/><text x="{}" y="{}" font-size="12" fill="#0f172a">{}</text>"##,
            n(x),
            n(y + 20.0),
            n(x + 28.0),
            n(y + 20.0),
            n(x + 34.0),
            n(y + 24.0),
            esc(text)
        );
        x += 34.0 + layout::text::width(text, 12.0) + 24.0;
    }
}
