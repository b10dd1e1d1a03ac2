//! The swimlane layout: from a flow (lanes, nodes with their lane, edges) to geometry (lane bands,
//! node boxes, orthogonal edge routes, wrapped labels).
//!
//! The lanes are kept: a node is always drawn in its own lane's band, and the lanes come in the
//! order given. Along the flow the layout is layered (`rank`): back edges found by a depth-first
//! search are drawn as returns, every other node takes its longest-path rank, and inside each
//! (lane, rank) cell nodes are ordered by barycenter sweeps to reduce crossings. Nodes positioned
//! by hand keep their position (`ManualPosition`); automatic nodes that would overlap them move
//! down inside the lane, which grows to hold them. Edges are routed in `route`.
//!
//! The layout is pure arithmetic on the input, in input order, with a fixed text-width table
//! (`text`), so the same flow gives the same geometry, byte for byte, on every machine.

pub mod check;
pub mod generate;
mod rank;
mod route;
pub mod text;

use serde::Serialize;

use crate::error::{Error, Result};

/// Font size of step labels, in pixels.
pub const FONT_SIZE: f64 = 13.0;
pub const LINE_HEIGHT: f64 = 16.0;
/// Font size of lane headers.
pub const HEADER_FONT_SIZE: f64 = 14.0;
pub const HEADER_LINE_HEIGHT: f64 = 18.0;
/// Font size of edge labels.
pub const EDGE_FONT_SIZE: f64 = 11.0;
pub const EDGE_LINE_HEIGHT: f64 = 13.0;

const TASK_WIDTH: f64 = 168.0;
const TASK_TEXT_WIDTH: f64 = 148.0;
const TASK_MIN_HEIGHT: f64 = 52.0;
const DECISION_WIDTH: f64 = 160.0;
const DECISION_TEXT_WIDTH: f64 = 88.0;
const DECISION_MIN_HEIGHT: f64 = 76.0;
/// The diameter of a start or end event's circle.
pub const EVENT_SIZE: f64 = 36.0;
/// Between an event's circle and its label.
pub const EVENT_LABEL_GAP: f64 = 6.0;
const EVENT_TEXT_WIDTH: f64 = 110.0;
const HEADER_WIDTH: f64 = 136.0;
const LANE_PAD: f64 = 28.0;
const SLOT_GAP: f64 = 28.0;
const EMPTY_SLOT: f64 = 52.0;
const MIN_LANE: f64 = 100.0;
const MIN_GAP: f64 = 12.0;
const EDGE_LABEL_WIDTH: f64 = 120.0;

/// What a node is drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Start,
    Task,
    Decision,
    End,
}

impl NodeKind {
    /// The kind's name, as in the bundle's step kinds.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Start => "start",
            NodeKind::Task => "task",
            NodeKind::Decision => "decision",
            NodeKind::End => "end",
        }
    }
}

/// Lanes as horizontal bands with the flow left to right (the default), or as vertical columns
/// with the flow top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    #[default]
    Horizontal,
    Vertical,
}

/// A flow to lay out. Lanes come in the order they are drawn.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlowGraph {
    pub lanes: Vec<LaneSpec>,
    pub nodes: Vec<NodeSpec>,
    pub edges: Vec<EdgeSpec>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LaneSpec {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeSpec {
    pub id: String,
    pub label: String,
    pub kind: NodeKind,
    /// Index into `FlowGraph::lanes`.
    pub lane: usize,
    pub manual: Option<ManualPosition>,
}

/// A position set by hand: the distance along the flow from the first channel, and the offset
/// across the flow from the start of the node's lane. Orientation-independent, so a diagram
/// arranged with horizontal lanes keeps its arrangement with vertical ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ManualPosition {
    pub along: f64,
    pub across: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EdgeSpec {
    pub id: String,
    pub from: usize,
    pub to: usize,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }
    pub fn centre(&self) -> Point {
        Point { x: self.x + self.width / 2.0, y: self.y + self.height / 2.0 }
    }
    /// Whether the insides of the two rectangles meet.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// The laid-out diagram. Lists are in the order of the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Geometry {
    pub orientation: Orientation,
    pub width: f64,
    pub height: f64,
    pub lanes: Vec<LaneGeometry>,
    pub nodes: Vec<NodeGeometry>,
    pub edges: Vec<EdgeGeometry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaneGeometry {
    pub id: String,
    pub name: String,
    /// The whole band, header included.
    pub band: Rect,
    pub header: Rect,
    /// The name, wrapped to the header.
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeGeometry {
    pub id: String,
    pub kind: NodeKind,
    pub lane: usize,
    pub rect: Rect,
    /// The label, wrapped to the box. A start or end event's box holds its circle (at the
    /// downstream end of a start, the upstream end of an end) and its label beside it, in the
    /// edge-label font.
    pub lines: Vec<String>,
    pub manual: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeGeometry {
    pub id: String,
    pub from: usize,
    pub to: usize,
    /// From a point on the source's border to a point on the target's, with a bend at every
    /// point in between; every segment is horizontal or vertical.
    pub points: Vec<Point>,
    /// A handoff: source and target are in different lanes.
    pub cross_lane: bool,
    /// A return to an earlier step (a loop).
    pub back: bool,
    pub label: Option<EdgeLabel>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeLabel {
    pub rect: Rect,
    pub lines: Vec<String>,
}

struct Sized {
    along: f64,
    across: f64,
    lines: Vec<String>,
}

fn size_of(node: &NodeSpec, orientation: Orientation) -> Sized {
    let (width, height, lines) = match node.kind {
        NodeKind::Task => {
            let lines = text::wrap(&node.label, FONT_SIZE, TASK_TEXT_WIDTH, 5);
            let h = (lines.len() as f64 * LINE_HEIGHT + 20.0).max(TASK_MIN_HEIGHT);
            (TASK_WIDTH, h, lines)
        }
        NodeKind::Decision => {
            let lines = text::wrap(&node.label, FONT_SIZE, DECISION_TEXT_WIDTH, 4);
            let h = (lines.len() as f64 * LINE_HEIGHT + 44.0).max(DECISION_MIN_HEIGHT);
            (DECISION_WIDTH, h, lines)
        }
        NodeKind::Start | NodeKind::End => {
            // An event's label sits beside its circle, upstream of a start and downstream of an
            // end, so edges meet the circle itself.
            if node.label.trim().is_empty() {
                return Sized { along: EVENT_SIZE, across: EVENT_SIZE, lines: Vec::new() };
            }
            let lines = text::wrap(&node.label, EDGE_FONT_SIZE, EVENT_TEXT_WIDTH, 3);
            let text_width = lines.iter().map(|l| text::width(l, EDGE_FONT_SIZE)).fold(0.0, f64::max).ceil();
            let text_height = lines.len() as f64 * EDGE_LINE_HEIGHT;
            return match orientation {
                Orientation::Horizontal => Sized {
                    along: EVENT_SIZE + EVENT_LABEL_GAP + text_width,
                    across: EVENT_SIZE.max(text_height),
                    lines,
                },
                Orientation::Vertical => Sized {
                    along: EVENT_SIZE + EVENT_LABEL_GAP + text_height,
                    across: EVENT_SIZE.max(text_width),
                    lines,
                },
            };
        }
    };
    match orientation {
        Orientation::Horizontal => Sized { along: width, across: height, lines },
        Orientation::Vertical => Sized { along: height, across: width, lines },
    }
}

fn check(flow: &FlowGraph) -> Result<()> {
    for node in &flow.nodes {
        if node.lane >= flow.lanes.len() {
            return Err(Error::invalid(
                "lane",
                format!("step {:?} is in lane {} of {}", node.id, node.lane, flow.lanes.len()),
            ));
        }
    }
    for edge in &flow.edges {
        if edge.from >= flow.nodes.len() || edge.to >= flow.nodes.len() {
            return Err(Error::invalid(
                "edge",
                format!("edge {:?} joins a step that is not in the flow", edge.id),
            ));
        }
    }
    Ok(())
}

/// Lays out `flow`. Fails only when a node names a lane, or an edge a node, that is not there.
pub fn layout(flow: &FlowGraph, orientation: Orientation) -> Result<Geometry> {
    check(flow)?;
    let n = flow.nodes.len();
    let lanes = flow.lanes.len();
    let pairs: Vec<(usize, usize)> = flow.edges.iter().map(|e| (e.from, e.to)).collect();
    let sizes: Vec<Sized> = flow.nodes.iter().map(|node| size_of(node, orientation)).collect();
    let lane_of: Vec<usize> = flow.nodes.iter().map(|node| node.lane).collect();
    let auto: Vec<bool> = flow.nodes.iter().map(|node| node.manual.is_none()).collect();

    let ranking = rank::rank(n, &pairs);
    let (slot, capacity) = rank::slots(&lane_of, lanes, &ranking, &pairs, &auto);

    // Along the flow: ranks separated by channels wide enough for the edges that turn in them.
    let ranks = ranking.ranks;
    let mut rank_size = vec![0.0f64; ranks];
    for v in (0..n).filter(|&v| auto[v]) {
        rank_size[ranking.rank[v]] = rank_size[ranking.rank[v]].max(sizes[v].along);
    }
    let mut usage = vec![0usize; ranks + 1];
    for (i, &(from, to)) in pairs.iter().enumerate() {
        if from == to {
            continue;
        }
        let (rf, rt) = (ranking.rank[from], ranking.rank[to]);
        usage[rf + 1] += 1;
        if ranking.back[i] || rt != rf + 1 {
            usage[rt] += 1;
        }
    }
    let mut channel_width: Vec<f64> =
        usage.iter().map(|&u| (36.0 + 12.0 * u as f64).clamp(56.0, 220.0)).collect();
    // A labelled edge's label sits in the channel it crosses: the channel is wide enough for it.
    let mut label_need: Vec<Vec<f64>> = vec![Vec::new(); ranks + 1];
    for (i, e) in flow.edges.iter().enumerate() {
        let (from, to) = pairs[i];
        if from == to || e.label.trim().is_empty() || !auto[from] {
            continue;
        }
        let (_, w, h) = edge_label_box(&e.label);
        let need = match orientation {
            Orientation::Horizontal => w,
            Orientation::Vertical => h,
        } + 32.0;
        let (rf, rt) = (ranking.rank[from], ranking.rank[to]);
        let channel = if ranking.back[i] || rt <= rf { rt } else { rf + 1 };
        label_need[channel].push(need - 32.0);
    }
    // Labels in one channel sit side by side along it.
    for (c, needs) in label_need.iter().enumerate() {
        if !needs.is_empty() {
            let stacked = needs.iter().map(|n| n + 8.0).sum::<f64>();
            channel_width[c] = channel_width[c].max(stacked + 32.0);
        }
    }
    let mut channel_start = vec![0.0f64; ranks + 1];
    let mut rank_start = vec![0.0f64; ranks];
    for r in 0..ranks {
        rank_start[r] = channel_start[r] + channel_width[r];
        channel_start[r + 1] = rank_start[r] + rank_size[r];
    }
    let mut along = vec![0.0f64; n];
    for v in 0..n {
        along[v] = match flow.nodes[v].manual {
            Some(m) => m.along.max(0.0).round(),
            None => {
                let r = ranking.rank[v];
                (rank_start[r] + (rank_size[r] - sizes[v].along) / 2.0).round()
            }
        };
    }

    // Across the flow, inside each lane: slots (rows) of automatic nodes, then nodes placed by
    // hand, then any automatic node that would overlap another moved down.
    let mut slot_size: Vec<Vec<f64>> = capacity.iter().map(|&c| vec![0.0; c]).collect();
    for v in (0..n).filter(|&v| auto[v]) {
        let s = &mut slot_size[lane_of[v]][slot[v]];
        *s = s.max(sizes[v].across);
    }
    // A lane whose loops (back edges) carry labels pads its top and bottom so that a label fits
    // between the loop's corridor and the steps.
    let mut lane_pad = vec![LANE_PAD; lanes];
    for (i, e) in flow.edges.iter().enumerate() {
        let (from, to) = pairs[i];
        if e.label.trim().is_empty() || !(from == to || ranking.back[i]) {
            continue;
        }
        let (_, w, h) = edge_label_box(&e.label);
        let across = match orientation {
            Orientation::Horizontal => h,
            Orientation::Vertical => w,
        };
        for l in [lane_of[from], lane_of[to]] {
            lane_pad[l] = lane_pad[l].max(2.0 * (across + 6.0));
        }
    }
    let mut slot_start: Vec<Vec<f64>> = Vec::with_capacity(lanes);
    for (l, sizes_of_lane) in slot_size.iter_mut().enumerate() {
        let mut starts = Vec::with_capacity(sizes_of_lane.len());
        let mut at = lane_pad[l];
        for size in sizes_of_lane.iter_mut() {
            if *size == 0.0 {
                *size = EMPTY_SLOT;
            }
            starts.push(at);
            at += *size + SLOT_GAP;
        }
        slot_start.push(starts);
    }
    let mut across_in_lane = vec![0.0f64; n];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); lanes];
    for v in 0..n {
        members[lane_of[v]].push(v);
        across_in_lane[v] = match flow.nodes[v].manual {
            Some(m) => m.across.max(4.0).round(),
            None => {
                let (l, s) = (lane_of[v], slot[v]);
                (slot_start[l][s] + (slot_size[l][s] - sizes[v].across) / 2.0).round()
            }
        };
    }
    let mut lane_size = vec![MIN_LANE; lanes];
    for (l, list) in members.iter_mut().enumerate() {
        // Hand-placed nodes first, in input order; then automatic ones, top row first.
        list.sort_by(|&a, &b| {
            auto[a]
                .cmp(&auto[b])
                .then(across_in_lane[a].total_cmp(&across_in_lane[b]))
                .then(along[a].total_cmp(&along[b]))
                .then(a.cmp(&b))
        });
        let mut placed: Vec<usize> = Vec::with_capacity(list.len());
        for &v in list.iter() {
            loop {
                let rect = |u: usize, across: f64| {
                    (along[u], across, along[u] + sizes[u].along, across + sizes[u].across)
                };
                let me = rect(v, across_in_lane[v]);
                let hit = placed.iter().map(|&u| rect(u, across_in_lane[u])).find(|o| {
                    me.0 < o.2 + MIN_GAP
                        && o.0 < me.2 + MIN_GAP
                        && me.1 < o.3 + MIN_GAP
                        && o.1 < me.3 + MIN_GAP
                });
                match hit {
                    Some(o) => across_in_lane[v] = (o.3 + SLOT_GAP).round(),
                    None => break,
                }
            }
            placed.push(v);
            lane_size[l] = lane_size[l].max(across_in_lane[v] + sizes[v].across + lane_pad[l]);
        }
    }

    // Lane headers: a column on the left, or a row on top, wide enough for every name.
    let header_lines: Vec<Vec<String>> = flow
        .lanes
        .iter()
        .enumerate()
        .map(|(l, lane)| {
            let width = match orientation {
                Orientation::Horizontal => HEADER_WIDTH - 20.0,
                Orientation::Vertical => lane_size[l] - 20.0,
            };
            text::wrap(&lane.name, HEADER_FONT_SIZE, width, 4)
        })
        .collect();
    let header_depth = match orientation {
        Orientation::Horizontal => {
            for (l, lines) in header_lines.iter().enumerate() {
                lane_size[l] = lane_size[l].max(lines.len() as f64 * HEADER_LINE_HEIGHT + 24.0);
            }
            HEADER_WIDTH
        }
        Orientation::Vertical => {
            let most = header_lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
            most * HEADER_LINE_HEIGHT + 22.0
        }
    };
    let mut lane_start = vec![0.0f64; lanes];
    for l in 1..lanes {
        lane_start[l] = lane_start[l - 1] + lane_size[l - 1];
    }
    let total_across: f64 = lane_size.iter().sum::<f64>().max(MIN_LANE);
    let mut total_along = channel_start[ranks] + channel_width[ranks];
    for v in 0..n {
        total_along = total_along.max(along[v] + sizes[v].along + 40.0);
    }

    let blocks: Vec<route::Block> = (0..n)
        .map(|v| {
            let c0 = lane_start[lane_of[v]] + across_in_lane[v];
            route::Block {
                a0: along[v],
                c0,
                a1: along[v] + sizes[v].along,
                c1: c0 + sizes[v].across,
                spread_ports: flow.nodes[v].kind == NodeKind::Task,
            }
        })
        .collect();
    let mut corridors: Vec<f64> = Vec::new();
    for l in 0..lanes {
        corridors.push(lane_start[l] + lane_pad[l] / 2.0);
        corridors.push(lane_start[l] + lane_size[l] - lane_pad[l] / 2.0);
        for start in slot_start[l].iter().skip(1) {
            corridors.push(lane_start[l] + start - SLOT_GAP / 2.0);
        }
    }
    corridors.sort_by(f64::total_cmp);
    corridors.dedup();
    let channels: Vec<(f64, f64)> =
        (0..=ranks).map(|c| (channel_start[c], channel_start[c] + channel_width[c])).collect();
    let space = route::Space { channels, corridors, corridor_half: LANE_PAD / 2.0 - 4.0 };
    let routes = route::route(&blocks, &pairs, &ranking.back, &space);

    // From abstract (along, across) to the page.
    let to_page = |a: f64, c: f64| -> Point {
        match orientation {
            Orientation::Horizontal => Point { x: header_depth + a, y: c },
            Orientation::Vertical => Point { x: c, y: header_depth + a },
        }
    };
    let rect_of = |a0: f64, c0: f64, da: f64, dc: f64| -> Rect {
        let p = to_page(a0, c0);
        match orientation {
            Orientation::Horizontal => Rect { x: p.x, y: p.y, width: da, height: dc },
            Orientation::Vertical => Rect { x: p.x, y: p.y, width: dc, height: da },
        }
    };
    let (width, height) = match orientation {
        Orientation::Horizontal => (header_depth + total_along, total_across),
        Orientation::Vertical => (total_across, header_depth + total_along),
    };
    let lane_geometry = flow
        .lanes
        .iter()
        .enumerate()
        .map(|(l, lane)| {
            let (band, header) = match orientation {
                Orientation::Horizontal => (
                    Rect { x: 0.0, y: lane_start[l], width, height: lane_size[l] },
                    Rect { x: 0.0, y: lane_start[l], width: header_depth, height: lane_size[l] },
                ),
                Orientation::Vertical => (
                    Rect { x: lane_start[l], y: 0.0, width: lane_size[l], height },
                    Rect { x: lane_start[l], y: 0.0, width: lane_size[l], height: header_depth },
                ),
            };
            LaneGeometry {
                id: lane.id.clone(),
                name: lane.name.clone(),
                band,
                header,
                lines: header_lines[l].clone(),
            }
        })
        .collect();
    let nodes: Vec<NodeGeometry> = flow
        .nodes
        .iter()
        .enumerate()
        .map(|(v, node)| NodeGeometry {
            id: node.id.clone(),
            kind: node.kind,
            lane: node.lane,
            rect: rect_of(blocks[v].a0, blocks[v].c0, sizes[v].along, sizes[v].across),
            lines: sizes[v].lines.clone(),
            manual: node.manual.is_some(),
        })
        .collect();
    let node_rects: Vec<Rect> = nodes.iter().map(|node| node.rect).collect();
    let mut placed_labels: Vec<Rect> = Vec::new();
    let edges = flow
        .edges
        .iter()
        .enumerate()
        .map(|(i, edge)| {
            let points: Vec<Point> = routes[i].iter().map(|&(a, c)| to_page(a, c)).collect();
            let bounds = Rect { x: 0.0, y: 0.0, width, height };
            let label = edge_label(&edge.label, &points, &node_rects, &placed_labels, bounds);
            if let Some(l) = &label {
                placed_labels.push(l.rect);
            }
            EdgeGeometry {
                id: edge.id.clone(),
                from: edge.from,
                to: edge.to,
                label,
                points,
                cross_lane: flow.nodes[edge.from].lane != flow.nodes[edge.to].lane,
                back: ranking.back[i],
            }
        })
        .collect();
    Ok(Geometry { orientation, width, height, lanes: lane_geometry, nodes, edges })
}

/// An edge's label wrapped, and the box it needs: (lines, width, height).
fn edge_label_box(label: &str) -> (Vec<String>, f64, f64) {
    let lines = text::wrap(label, EDGE_FONT_SIZE, EDGE_LABEL_WIDTH, 2);
    let w = lines.iter().map(|l| text::width(l, EDGE_FONT_SIZE)).fold(0.0, f64::max).ceil() + 8.0;
    let h = lines.len() as f64 * EDGE_LINE_HEIGHT + 4.0;
    (lines, w, h)
}

/// A label sits beside a segment of its edge, the longest first: above it or below when the
/// segment is horizontal, to its right or left when it is vertical, at its middle or towards
/// either end, then further from it. The first place inside the drawing that covers no step and no
/// label placed before wins; when there is none, the middle of the longest segment.
fn edge_label(
    label: &str,
    points: &[Point],
    nodes: &[Rect],
    labels: &[Rect],
    bounds: Rect,
) -> Option<EdgeLabel> {
    if label.trim().is_empty() || points.len() < 2 {
        return None;
    }
    let (lines, w, h) = edge_label_box(label);
    let length = |p: &Point, q: &Point| (p.x - q.x).abs() + (p.y - q.y).abs();
    let mut segments: Vec<(Point, Point)> = points.windows(2).map(|p| (p[0], p[1])).collect();
    segments.sort_by(|a, b| length(&b.0, &b.1).total_cmp(&length(&a.0, &a.1)));
    let mut candidates: Vec<Rect> = Vec::new();
    for (p, q) in &segments {
        // The middle first, then in small steps towards either end.
        let half = length(p, q) / 2.0;
        let mut offsets = vec![0.0];
        let mut step = 4.0;
        while step <= half {
            offsets.extend([-step, step]);
            step += 4.0;
        }
        for away in 0..3 {
            for &off in &offsets {
                let at = if half > 0.0 { 0.5 + off / (2.0 * half) } else { 0.5 };
                let (mx, my) = (p.x + (q.x - p.x) * at, p.y + (q.y - p.y) * at);
                let k = f64::from(away);
                if (p.y - q.y).abs() < 1e-9 {
                    let x = (mx - w / 2.0).round();
                    candidates.push(Rect { x, y: p.y - h - 2.0 - k * (h + 2.0), width: w, height: h });
                    candidates.push(Rect { x, y: p.y + 2.0 + k * (h + 2.0), width: w, height: h });
                } else {
                    let y = (my - h / 2.0).round();
                    candidates.push(Rect { x: p.x + 4.0 + k * (w + 4.0), y, width: w, height: h });
                    candidates.push(Rect { x: p.x - 4.0 - w - k * (w + 4.0), y, width: w, height: h });
                }
            }
        }
    }
    let inside = |c: &Rect| {
        c.x >= bounds.x && c.y >= bounds.y && c.right() <= bounds.right() && c.bottom() <= bounds.bottom()
    };
    let free = |c: &Rect| inside(c) && !nodes.iter().chain(labels).any(|n| n.overlaps(c));
    let rect = candidates.iter().find(|c| free(c)).copied().unwrap_or(candidates[0]);
    Some(EdgeLabel { rect, lines })
}
