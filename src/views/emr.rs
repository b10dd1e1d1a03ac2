//! The EMR data screen: the mapping matrix (EMR status values × business states × facility,
//! with counts, suggestions and the interviews' "done means" candidates), as
//! `crate::mapping::MappingMatrix` computes it.

pub use crate::mapping::{
    Cell, FieldRows, MappingMatrix, MatrixFilter, StateCandidate, StateColumn, Suggestion, ValueRow,
};

use crate::error::Result;
use crate::model::Model;

/// The mapping matrix of the project.
pub fn matrix(m: &Model) -> Result<MappingMatrix> {
    Ok(crate::mapping::matrix(m))
}

/// The mapping matrix with only the values `filter` lets through.
pub fn matrix_filtered(m: &Model, filter: &MatrixFilter) -> Result<MappingMatrix> {
    Ok(crate::mapping::matrix(m).filtered(filter))
}

pub use crate::diagram::process_map::{Disagreement, MapOptions, Measure};

use serde::Serialize;

use crate::diagram::process_map::{self, ProcessMap};
use crate::layout::{NodeKind, Rect};
use crate::views::swimlanes::LaneView;

/// An activity of the map (or the start or end of the cases).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct MapNodeView {
    pub id: String,
    pub kind: NodeKind,
    /// The activity's name; "Start" or "End".
    pub label: String,
    /// The name and count, wrapped to the box.
    pub lines: Vec<String>,
    #[serde(rename = "box")]
    pub rect: Rect,
    /// Events of the activity; cases for the start and end.
    pub count: i64,
    /// "1,234 events" or "1,234 cases".
    pub count_text: String,
    pub role: String,
}

/// A path of the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct MapEdgeView {
    pub id: String,
    pub from: String,
    pub to: String,
    /// Bend points, `[x, y]`.
    pub points: Vec<[f64; 2]>,
    /// The count or the median wait, as drawn.
    pub label: Option<String>,
    pub label_box: Option<Rect>,
    /// Thickness and colour, computed in the core (the same scale as the SVG).
    pub stroke_width: f64,
    pub colour: String,
    /// "Taken 1,234 times; median wait 2 h 30 min, mean 3 h 1 min".
    pub tooltip: String,
    pub disagreement: Option<Disagreement>,
    /// The finding that names the disagreement, to open it.
    pub finding: Option<String>,
}

/// A variant with its share and the paths it follows on the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct MapVariantView {
    pub activities: Vec<String>,
    pub count: i64,
    /// "42.1 %".
    pub share: String,
    pub edges: Vec<String>,
    /// False when some of its activities or paths are hidden by the sliders.
    pub complete: bool,
}

/// The process map screen of one event log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ProcessMapView {
    pub log_id: String,
    pub title: String,
    pub subtitle: String,
    pub measure: Measure,
    pub width: f64,
    pub height: f64,
    pub lanes: Vec<LaneView>,
    pub nodes: Vec<MapNodeView>,
    pub edges: Vec<MapEdgeView>,
    pub variants: Vec<MapVariantView>,
    /// "412 cases follow 57 rarer variants not kept."; empty when every variant is kept.
    pub other_variants: String,
    /// Facilities of the log to filter by, by name.
    pub facilities: Vec<crate::model::Named>,
    pub facility: Option<String>,
    pub cases: i64,
    pub activities_total: usize,
    pub activities_shown: usize,
    pub paths_total: usize,
    pub paths_shown: usize,
    /// The slider positions applied, in percent.
    pub activity_percent: u32,
    pub path_percent: u32,
    /// The legend's sentence for the measure.
    pub legend: String,
}

fn view_of(map: ProcessMap) -> ProcessMapView {
    let g = &map.geometry;
    let lanes = g
        .lanes
        .iter()
        .map(|l| LaneView { id: l.id.clone(), name: l.name.clone(), band: l.band, header: l.header })
        .collect();
    let nodes = g
        .nodes
        .iter()
        .zip(&map.nodes)
        .map(|(n, info)| {
            let start_or_end = matches!(n.kind, NodeKind::Start | NodeKind::End);
            let thousands = crate::findings::thousands(info.count);
            MapNodeView {
                id: n.id.clone(),
                kind: n.kind,
                label: if start_or_end {
                    if n.kind == NodeKind::Start { "Start".into() } else { "End".into() }
                } else {
                    info.activity.clone()
                },
                lines: n.lines.clone(),
                rect: n.rect,
                count: info.count,
                count_text: if start_or_end {
                    format!("{thousands} cases")
                } else {
                    format!("{thousands} events")
                },
                role: info.role.clone(),
            }
        })
        .collect();
    let edges = g
        .edges
        .iter()
        .zip(&map.edges)
        .zip(&map.flow.edges)
        .map(|((e, info), spec)| {
            let (width, colour) = match info.disagreement {
                Some(Disagreement::Unobserved) => (2.0, process_map::UNOBSERVED.to_string()),
                Some(Disagreement::Undocumented) => {
                    (process_map::stroke_width(info.weight), process_map::UNDOCUMENTED.to_string())
                }
                None => (
                    process_map::stroke_width(info.weight),
                    process_map::stroke_colour(map.measure, info.weight),
                ),
            };
            let from = &map.flow.nodes[spec.from];
            let to = &map.flow.nodes[spec.to];
            let timed = from.kind == NodeKind::Task && to.kind == NodeKind::Task;
            let mut tooltip = match info.disagreement {
                Some(Disagreement::Unobserved) => {
                    "In the current-state map, but never directly in the log".to_string()
                }
                _ if timed => format!(
                    "Taken {} times; median wait {}, mean {}",
                    crate::findings::thousands(info.count),
                    crate::model::duration::measured(info.median_seconds),
                    crate::model::duration::measured(info.mean_seconds)
                ),
                _ => format!("{} cases", crate::findings::thousands(info.count)),
            };
            if info.disagreement == Some(Disagreement::Undocumented) {
                tooltip.push_str("; in the log, not in the current-state map");
            }
            MapEdgeView {
                id: e.id.clone(),
                from: from.id.clone(),
                to: to.id.clone(),
                points: e.points.iter().map(|p| [p.x, p.y]).collect(),
                label: e.label.as_ref().map(|l| l.lines.join(" ")),
                label_box: e.label.as_ref().map(|l| l.rect),
                stroke_width: width,
                colour,
                tooltip,
                disagreement: info.disagreement,
                finding: info.finding.clone(),
            }
        })
        .collect();
    let variants = map
        .variants
        .iter()
        .map(|v| MapVariantView {
            activities: v.activities.clone(),
            count: v.count,
            share: format!("{:.1} %", v.share * 100.0),
            edges: v.edges.clone(),
            complete: v.complete,
        })
        .collect();
    let other_variants = if map.other_variants > 0 {
        format!("{} cases follow rarer variants, not kept.", crate::findings::thousands(map.other_variants))
    } else {
        String::new()
    };
    ProcessMapView {
        log_id: map.log_id.clone(),
        title: map.title.clone(),
        subtitle: map.subtitle.clone(),
        measure: map.measure,
        width: g.width,
        height: g.height,
        lanes,
        nodes,
        edges,
        variants,
        other_variants,
        facilities: map
            .facilities
            .iter()
            .map(|(id, name)| crate::model::Named { id: id.clone(), name: name.clone() })
            .collect(),
        facility: map.facility.clone(),
        cases: map.cases,
        activities_total: map.activities_total,
        activities_shown: map.activities_shown,
        paths_total: map.paths_total,
        paths_shown: map.paths_shown,
        activity_percent: (map.activity_share * 100.0).round() as u32,
        path_percent: (map.path_share * 100.0).round() as u32,
        legend: match map.measure {
            Measure::Frequency => {
                "Thicker, darker paths are taken more often; the numbers count them.".into()
            }
            Measure::Performance => "Thicker, darker paths wait longer; the numbers are median waits.".into(),
        },
    }
}

/// The process map of event log `log_id`, narrowed and measured as `options` ask.
pub fn process_map(m: &Model, log_id: &str, options: &MapOptions) -> Result<ProcessMapView> {
    Ok(view_of(process_map::process_map(m, log_id, options)?))
}

/// Writes the process map of `log_id`, as `options` narrow it, to `path` (.svg or .png).
pub fn export_process_map(
    m: &Model,
    log_id: &str,
    options: &MapOptions,
    path: &std::path::Path,
) -> Result<()> {
    crate::diagram::write_map(&process_map::process_map(m, log_id, options)?, path)
}
