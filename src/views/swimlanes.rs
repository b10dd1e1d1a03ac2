//! The Swimlanes screen: a workflow's current-state diagram laid out by the core (lanes, boxes,
//! routed edges, finding and comment marks) and the review comments on it.

use serde::Serialize;

use crate::diagram::{Diagram, NodeRef, Which, diagram_of};
use crate::error::Result;
use crate::layout::{NodeKind, Orientation, Rect};
use crate::model::{CommentTarget, Model, Severity};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct LaneView {
    /// A role id, or "" for the unassigned lane.
    pub id: String,
    pub name: String,
    pub band: Rect,
    pub header: Rect,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct DiagramNode {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    /// The label, wrapped to the box.
    pub lines: Vec<String>,
    /// The lane's id.
    pub lane: String,
    #[serde(rename = "box")]
    pub rect: Rect,
    /// Placed by hand.
    pub manual: bool,
    /// A step of the current-state map (draggable, renamable, commentable); false for the start
    /// and end events the diagram adds.
    pub step: bool,
    /// Ids of the open and accepted findings about it.
    pub findings: Vec<String>,
    /// The most severe of them.
    pub severity: Option<Severity>,
    pub open_comments: usize,
    pub resolved_comments: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct DiagramEdge {
    pub id: String,
    pub from: String,
    pub to: String,
    /// Bend points, `[x, y]`, from the source's border to the target's.
    pub points: Vec<[f64; 2]>,
    pub cross_lane: bool,
    pub back: bool,
    pub label: Option<String>,
    pub label_box: Option<Rect>,
    /// A handoff of the map (commentable); false for the edges to the added events.
    pub handoff: bool,
    /// Drawn by hand, so it can be deleted here.
    pub deletable: bool,
    pub open_comments: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct DiagramView {
    pub workflow_id: String,
    pub title: String,
    pub subtitle: String,
    pub vertical: bool,
    pub width: f64,
    pub height: f64,
    pub lanes: Vec<LaneView>,
    pub nodes: Vec<DiagramNode>,
    pub edges: Vec<DiagramEdge>,
}

/// A review comment, with what it is pinned to in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct CommentView {
    pub id: String,
    pub target: CommentTarget,
    pub target_id: String,
    /// The step's name, or "From → To" for a handoff.
    pub target_label: String,
    pub author_role_id: Option<String>,
    /// The author role's name, or empty.
    pub author: String,
    /// The comment this one replies to.
    pub parent_id: Option<String>,
    pub text: String,
    pub created_at: String,
    pub resolved: bool,
}

/// Lanes across (the default) or down.
pub fn orientation(vertical: bool) -> Orientation {
    if vertical { Orientation::Vertical } else { Orientation::Horizontal }
}

/// The current-state swimlane diagram of a workflow.
pub fn diagram(m: &Model, workflow_id: &str, vertical: bool) -> Result<DiagramView> {
    let d = diagram_of(m, workflow_id, Which::CurrentState, orientation(vertical))?;
    Ok(diagram_view(&d, m))
}

/// Any laid-out diagram as the canvas draws it.
pub fn diagram_view(d: &Diagram, m: &Model) -> DiagramView {
    let g = &d.geometry;
    let nodes = g
        .nodes
        .iter()
        .enumerate()
        .map(|(v, n)| {
            let notes = &d.node_notes[v];
            DiagramNode {
                id: n.id.clone(),
                kind: n.kind,
                label: d.flow.nodes[v].label.clone(),
                lines: n.lines.clone(),
                lane: g.lanes[n.lane].id.clone(),
                rect: n.rect,
                manual: n.manual,
                step: matches!(d.node_refs[v], NodeRef::Step(_)),
                findings: notes.findings.clone(),
                severity: notes.severity,
                open_comments: notes.open_comments,
                resolved_comments: notes.resolved_comments,
            }
        })
        .collect();
    let edges = g
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let handoff = m.handoffs.iter().find(|h| h.id == e.id);
            DiagramEdge {
                id: e.id.clone(),
                from: g.nodes[e.from].id.clone(),
                to: g.nodes[e.to].id.clone(),
                points: e.points.iter().map(|p| [p.x, p.y]).collect(),
                cross_lane: e.cross_lane,
                back: e.back,
                label: e.label.as_ref().map(|l| l.lines.join(" ")),
                label_box: e.label.as_ref().map(|l| l.rect),
                handoff: handoff.is_some(),
                deletable: handoff.is_some_and(|h| !h.generated),
                open_comments: d.edge_notes[i].open_comments,
            }
        })
        .collect();
    DiagramView {
        workflow_id: d.workflow_id.clone(),
        title: d.title.clone(),
        subtitle: d.subtitle.clone(),
        vertical: g.orientation == Orientation::Vertical,
        width: g.width,
        height: g.height,
        lanes: g
            .lanes
            .iter()
            .map(|l| LaneView { id: l.id.clone(), name: l.name.clone(), band: l.band, header: l.header })
            .collect(),
        nodes,
        edges,
    }
}

/// The comments on a workflow's steps and handoffs, oldest first.
pub fn comments(m: &Model, workflow_id: &str) -> Vec<CommentView> {
    let step_name =
        |id: &str| m.steps.iter().find(|s| s.id == id).map(|s| s.name.clone()).unwrap_or_default();
    m.comments
        .iter()
        .filter_map(|c| {
            let label = match c.target {
                CommentTarget::Step => {
                    m.steps.iter().find(|s| s.id == c.target_id && s.workflow_id == workflow_id)?.name.clone()
                }
                CommentTarget::Handoff => {
                    let h =
                        m.handoffs.iter().find(|h| h.id == c.target_id && h.workflow_id == workflow_id)?;
                    format!("{} → {}", step_name(&h.from_step_id), step_name(&h.to_step_id))
                }
                CommentTarget::State | CommentTarget::Transition => return None,
            };
            Some(CommentView {
                id: c.id.clone(),
                target: c.target,
                target_id: c.target_id.clone(),
                target_label: label,
                author_role_id: c.author_role_id.clone(),
                author: {
                    let role = c
                        .author_role_id
                        .as_ref()
                        .and_then(|r| m.roles.iter().find(|role| &role.id == r))
                        .map(|r| r.name.clone())
                        .unwrap_or_default();
                    match (c.author_name.is_empty(), role.is_empty()) {
                        (true, _) => role,
                        (false, true) => c.author_name.clone(),
                        (false, false) => format!("{} ({role})", c.author_name),
                    }
                },
                parent_id: c.parent_id.clone(),
                text: c.text.clone(),
                created_at: c.created_at.clone(),
                resolved: c.resolved,
            })
        })
        .collect()
}
