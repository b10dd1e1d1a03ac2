//! Swimlane diagrams of a workflow: the flow to lay out (from the current-state map or from a
//! proposed version), its annotations (finding badges, review comments), the layout, and the SVG
//! and PNG renderings. The editor's changes to a diagram are in `edit`.

mod edit;
mod png;
pub mod process_map;
pub mod svg;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub use edit::{CommentInput, StepMove};
pub use png::render_png;
pub use svg::render_svg;

use crate::error::{Error, Result};
use crate::findings;
use crate::layout::{
    self, EdgeSpec, FlowGraph, Geometry, LaneSpec, ManualPosition, NodeKind, NodeSpec, Orientation,
};
use crate::model::{CommentTarget, FindingStatus, Model, Severity, StateKind, StepKind};
use crate::store::Project;

/// The id of the lane of steps that have no owning role yet.
pub const UNASSIGNED_LANE: &str = "";

/// Which flow of a workflow to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The current-state map consolidated from the interviews.
    CurrentState,
    /// A published proposed version, by number.
    Version(i64),
    /// The proposed draft.
    Draft,
}

/// What a node stands for in the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeRef {
    Step(String),
    State(String),
    /// A start or end event the diagram adds where the flow has none of its own.
    Event,
}

/// Findings and comments pinned to one node or edge.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Notes {
    /// Open and accepted findings about it (dismissed ones are not shown).
    pub findings: Vec<String>,
    /// The most severe of them.
    pub severity: Option<Severity>,
    pub open_comments: usize,
    pub resolved_comments: usize,
}

/// A diagram ready to draw or to edit.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    pub workflow_id: String,
    pub title: String,
    /// "Current state", "Version 2" or "Draft".
    pub subtitle: String,
    pub flow: FlowGraph,
    pub geometry: Geometry,
    /// Per node, in the order of `flow.nodes`.
    pub node_refs: Vec<NodeRef>,
    pub node_notes: Vec<Notes>,
    /// Per edge, in the order of `flow.edges`: the handoff or transition id.
    pub edge_notes: Vec<Notes>,
}

/// The order of a workflow's lanes: the arranged ones first, then any other role that owns a
/// step, in the order the flow first reaches it, then the unassigned lane if a step needs it.
pub fn lane_order(m: &Model, workflow_id: &str, owners: &[Option<String>]) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut arranged: Vec<&crate::model::Lane> =
        m.lanes.iter().filter(|l| l.workflow_id == workflow_id).collect();
    arranged.sort_by_key(|l| (l.position, l.role_id.clone()));
    for lane in arranged {
        if seen.insert(lane.role_id.clone()) {
            order.push(lane.role_id.clone());
        }
    }
    let mut unassigned = false;
    for owner in owners {
        match owner {
            Some(role) if seen.insert(role.clone()) => order.push(role.clone()),
            Some(_) => {}
            None => unassigned = true,
        }
    }
    if unassigned {
        order.push(UNASSIGNED_LANE.to_string());
    }
    order
}

fn lane_specs(m: &Model, order: &[String]) -> Vec<LaneSpec> {
    order
        .iter()
        .map(|id| LaneSpec {
            id: id.clone(),
            name: if id == UNASSIGNED_LANE {
                "Unassigned".to_string()
            } else {
                m.roles.iter().find(|r| &r.id == id).map_or_else(|| id.clone(), |r| r.name.clone())
            },
        })
        .collect()
}

/// Adds a start event before the flow's first steps and an end event after its last ones, unless
/// the flow has its own.
fn add_events(flow: &mut FlowGraph, refs: &mut Vec<NodeRef>, workflow_id: &str) {
    let n = flow.nodes.len();
    if n == 0 {
        return;
    }
    let mut has_in = vec![false; n];
    let mut has_out = vec![false; n];
    for e in &flow.edges {
        if e.from != e.to {
            has_out[e.from] = true;
            has_in[e.to] = true;
        }
    }
    if !flow.nodes.iter().any(|node| node.kind == NodeKind::Start) {
        let mut sources: Vec<usize> = (0..n).filter(|&v| !has_in[v]).collect();
        if sources.is_empty() {
            sources.push(0);
        }
        let start = flow.nodes.len();
        flow.nodes.push(NodeSpec {
            id: format!("start:{workflow_id}"),
            label: String::new(),
            kind: NodeKind::Start,
            lane: flow.nodes[sources[0]].lane,
            manual: None,
        });
        refs.push(NodeRef::Event);
        for s in sources {
            let id = format!("start:{workflow_id}:{}", flow.nodes[s].id);
            flow.edges.push(EdgeSpec { id, from: start, to: s, label: String::new() });
        }
    }
    if !flow.nodes.iter().any(|node| node.kind == NodeKind::End) {
        let mut sinks: Vec<usize> = (0..n).filter(|&v| !has_out[v]).collect();
        if sinks.is_empty() {
            sinks.push(n - 1);
        }
        let end = flow.nodes.len();
        let lane = flow.nodes[sinks[sinks.len() - 1]].lane;
        flow.nodes.push(NodeSpec {
            id: format!("end:{workflow_id}"),
            label: String::new(),
            kind: NodeKind::End,
            lane,
            manual: None,
        });
        refs.push(NodeRef::Event);
        for s in sinks {
            let id = format!("end:{workflow_id}:{}", flow.nodes[s].id);
            flow.edges.push(EdgeSpec { id, from: s, to: end, label: String::new() });
        }
    }
}

fn step_kind(kind: StepKind) -> NodeKind {
    match kind {
        StepKind::Start => NodeKind::Start,
        StepKind::Task => NodeKind::Task,
        StepKind::Decision => NodeKind::Decision,
        StepKind::End => NodeKind::End,
    }
}

/// The current-state map of a workflow as a flow: its steps in flow order, its handoffs, start and
/// end events where it has none.
pub fn current_state_flow(m: &Model, workflow_id: &str) -> (FlowGraph, Vec<NodeRef>) {
    let steps: Vec<&crate::model::Step> = m.steps.iter().filter(|s| s.workflow_id == workflow_id).collect();
    let owners: Vec<Option<String>> = steps.iter().map(|s| s.owner_role_id.clone()).collect();
    let order = lane_order(m, workflow_id, &owners);
    let lane_index = |owner: &Option<String>| {
        let key = owner.clone().unwrap_or_default();
        order.iter().position(|l| *l == key).unwrap_or(0)
    };
    let index: BTreeMap<&str, usize> = steps.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut flow = FlowGraph {
        lanes: lane_specs(m, &order),
        nodes: steps
            .iter()
            .map(|s| NodeSpec {
                id: s.id.clone(),
                label: s.name.clone(),
                kind: step_kind(s.kind),
                lane: lane_index(&s.owner_role_id),
                manual: s.manual_xy.map(|(along, across)| ManualPosition { along, across }),
            })
            .collect(),
        edges: m
            .handoffs
            .iter()
            .filter(|h| h.workflow_id == workflow_id)
            .filter_map(|h| {
                let (from, to) = (*index.get(h.from_step_id.as_str())?, *index.get(h.to_step_id.as_str())?);
                Some(EdgeSpec { id: h.id.clone(), from, to, label: h.label.clone() })
            })
            .collect(),
    };
    let mut refs: Vec<NodeRef> = steps.iter().map(|s| NodeRef::Step(s.id.clone())).collect();
    add_events(&mut flow, &mut refs, workflow_id);
    (flow, refs)
}

/// The role that performs `event` in workflow `workflow_id`: the owner of the current-state step
/// that one of the event's log activities names.
pub fn actor(m: &Model, workflow_id: &str, event: &str) -> Option<String> {
    let activities = &m.events.iter().find(|e| e.name == event)?.activities;
    m.steps
        .iter()
        .filter(|s| {
            s.workflow_id == workflow_id && activities.iter().any(|a| a.eq_ignore_ascii_case(&s.name))
        })
        .find_map(|s| s.owner_role_id.clone())
}

/// What a version's state reads as on a diagram: the work its task asks for, in its owner's lane,
/// with the state in brackets below; a state without a task (the first, a terminal one) by name.
pub fn state_label(m: &Model, s: &crate::model::ProposedState) -> String {
    if crate::design::task::opens_task(m, &s.id)
        && !s.task.trim().is_empty()
        && s.task.trim() != s.name.trim()
    {
        format!("{}\n({})", s.task.trim(), s.name)
    } else {
        s.name.clone()
    }
}

/// A proposed version as a flow: a node per state (named for its task, `state_label`), in the lane
/// of the role that acts in it (see below), and an edge per transition labelled with its event and
/// guard.
pub fn version_flow(m: &Model, workflow_id: &str, version_id: &str) -> (FlowGraph, Vec<NodeRef>) {
    let states: Vec<&crate::model::ProposedState> =
        m.proposed_states.iter().filter(|s| s.version_id == version_id).collect();
    let transitions: Vec<&crate::model::Transition> =
        m.transitions.iter().filter(|t| t.version_id == version_id).collect();
    // A state's lane is the role owning its task (the owner of the transitions into it, which
    // create the task); a terminal state, which has no task, is drawn in the lane of the role
    // that reached it; a state no task leads to (the initial one) in the lane of the role that
    // acts in it (who performs the event that leaves it), else with the first owner after it.
    let task_owner = |state: &str| -> Option<String> {
        transitions
            .iter()
            .find(|t| t.to_state_id == state && t.owner_role_id.is_some())
            .and_then(|t| t.owner_role_id.clone())
    };
    let terminal = |state: &str| states.iter().any(|s| s.id == state && s.kind == StateKind::Terminal);
    let owner_of = |state: &str| -> Option<String> {
        let reached_by = || {
            transitions.iter().filter(|t| t.to_state_id == state).find_map(|t| task_owner(&t.from_state_id))
        };
        if terminal(state) { reached_by() } else { task_owner(state) }
            .or_else(|| {
                transitions
                    .iter()
                    .filter(|t| t.from_state_id == state)
                    .find_map(|t| actor(m, workflow_id, &t.event))
            })
            .or_else(|| {
                transitions
                    .iter()
                    .find(|t| t.from_state_id == state && t.owner_role_id.is_some())
                    .and_then(|t| t.owner_role_id.clone())
            })
    };
    let owners: Vec<Option<String>> = states.iter().map(|s| owner_of(&s.id)).collect();
    let order = lane_order(m, workflow_id, &owners);
    let index: BTreeMap<&str, usize> = states.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut flow = FlowGraph {
        lanes: lane_specs(m, &order),
        nodes: states
            .iter()
            .zip(&owners)
            .map(|(s, owner)| NodeSpec {
                id: s.id.clone(),
                label: state_label(m, s),
                kind: NodeKind::Task,
                lane: order.iter().position(|l| *l == owner.clone().unwrap_or_default()).unwrap_or(0),
                manual: None,
            })
            .collect(),
        edges: transitions
            .iter()
            .filter_map(|t| {
                let (from, to) = (*index.get(t.from_state_id.as_str())?, *index.get(t.to_state_id.as_str())?);
                let label = if t.guard.trim().is_empty() {
                    t.event.clone()
                } else {
                    format!("{} [{}]", t.event, t.guard)
                };
                Some(EdgeSpec { id: t.id.clone(), from, to, label })
            })
            .collect(),
    };
    let mut refs: Vec<NodeRef> = states.iter().map(|s| NodeRef::State(s.id.clone())).collect();
    // Initial states follow a start event, terminal states lead to an end event.
    let n = flow.nodes.len();
    let initial: Vec<usize> = (0..n).filter(|&v| states[v].kind == StateKind::Initial).collect();
    let terminal: Vec<usize> = (0..n).filter(|&v| states[v].kind == StateKind::Terminal).collect();
    if let Some(&first) = initial.first() {
        let start = flow.nodes.len();
        flow.nodes.push(NodeSpec {
            id: format!("start:{version_id}"),
            label: String::new(),
            kind: NodeKind::Start,
            lane: flow.nodes[first].lane,
            manual: None,
        });
        refs.push(NodeRef::Event);
        for v in initial {
            flow.edges.push(EdgeSpec {
                id: format!("start:{version_id}:{}", flow.nodes[v].id),
                from: start,
                to: v,
                label: String::new(),
            });
        }
    }
    for v in terminal {
        let end = flow.nodes.len();
        let id = format!("end:{}", flow.nodes[v].id);
        flow.nodes.push(NodeSpec {
            id: id.clone(),
            label: String::new(),
            kind: NodeKind::End,
            lane: flow.nodes[v].lane,
            manual: None,
        });
        refs.push(NodeRef::Event);
        flow.edges.push(EdgeSpec { id: format!("{id}:in"), from: v, to: end, label: String::new() });
    }
    (flow, refs)
}

/// Finds the version of a workflow that `which` names.
pub fn version_id(m: &Model, workflow_id: &str, which: Which) -> Result<Option<String>> {
    let workflow_name =
        m.workflows.iter().find(|w| w.id == workflow_id).map_or(workflow_id, |w| w.name.as_str());
    let versions: Vec<&crate::model::Version> =
        m.versions.iter().filter(|v| v.workflow_id == workflow_id).collect();
    match which {
        Which::CurrentState => Ok(None),
        Which::Draft => {
            versions.iter().find(|v| v.number.is_none()).map(|v| Some(v.id.clone())).ok_or_else(|| {
                Error::NotFound(format!(
                    "workflow {workflow_name:?} has no draft; propose one in the designer first"
                ))
            })
        }
        Which::Version(n) => {
            versions.iter().find(|v| v.number == Some(n)).map(|v| Some(v.id.clone())).ok_or_else(|| {
                let published: Vec<String> =
                    versions.iter().filter_map(|v| v.number).map(|n| n.to_string()).collect();
                let list = if published.is_empty() { "none".to_string() } else { published.join(", ") };
                Error::NotFound(format!(
                    "workflow {workflow_name:?} has no version {n}; published versions: {list}"
                ))
            })
        }
    }
}

/// Findings and comments for each node and edge of a flow.
fn notes(
    m: &Model,
    found: &[findings::Finding],
    flow: &FlowGraph,
    refs: &[NodeRef],
) -> (Vec<Notes>, Vec<Notes>) {
    let mut node_notes: Vec<Notes> = vec![Notes::default(); flow.nodes.len()];
    for (v, r) in refs.iter().enumerate() {
        let (target, id) = match r {
            NodeRef::Step(id) => (CommentTarget::Step, id),
            NodeRef::State(id) => (CommentTarget::State, id),
            NodeRef::Event => continue,
        };
        let notes = &mut node_notes[v];
        for f in found.iter().filter(|f| f.status != FindingStatus::Dismissed) {
            let about = match r {
                NodeRef::Step(_) => f.subject.step.as_ref(),
                _ => f.subject.state.as_ref(),
            };
            if about == Some(id) {
                notes.findings.push(f.id.clone());
                notes.severity = Some(notes.severity.map_or(f.severity, |s| s.min(f.severity)));
            }
        }
        count_comments(m, target, id, notes);
    }
    let edge_target = if refs.iter().any(|r| matches!(r, NodeRef::State(_))) {
        CommentTarget::Transition
    } else {
        CommentTarget::Handoff
    };
    let edge_notes = flow
        .edges
        .iter()
        .map(|e| {
            let mut notes = Notes::default();
            count_comments(m, edge_target, &e.id, &mut notes);
            notes
        })
        .collect();
    (node_notes, edge_notes)
}

fn count_comments(m: &Model, target: CommentTarget, id: &str, notes: &mut Notes) {
    for c in m.comments.iter().filter(|c| c.target == target && c.target_id == id) {
        if c.resolved {
            notes.resolved_comments += 1;
        } else {
            notes.open_comments += 1;
        }
    }
}

/// The diagram of one flow of a workflow in a stored model (statements not grouped yet are
/// consolidated in a copy first, as for findings).
pub fn diagram_of(m: &Model, workflow_id: &str, which: Which, orientation: Orientation) -> Result<Diagram> {
    let workflow = m
        .workflows
        .iter()
        .find(|w| w.id == workflow_id)
        .ok_or_else(|| Error::NotFound(format!("no workflow with id {workflow_id:?} in this project")))?;
    let consolidated = crate::interviews::consolidated(m)?;
    let m = consolidated.as_ref().unwrap_or(m);
    let found =
        findings::analyze(m, &Default::default(), &crate::progress::Progress::none()).unwrap_or_default();
    let version = version_id(m, workflow_id, which)?;
    let ((flow, refs), subtitle) = match (&version, which) {
        (Some(v), Which::Version(n)) => (version_flow(m, workflow_id, v), format!("Version {n}")),
        (Some(v), _) => (version_flow(m, workflow_id, v), "Draft".to_string()),
        (None, _) => (current_state_flow(m, workflow_id), "Current state".to_string()),
    };
    let geometry = layout::layout(&flow, orientation)?;
    let (node_notes, edge_notes) = notes(m, &found, &flow, &refs);
    Ok(Diagram {
        workflow_id: workflow_id.to_string(),
        title: workflow.name.clone(),
        subtitle,
        flow,
        geometry,
        node_refs: refs,
        node_notes,
        edge_notes,
    })
}

/// Where a node dropped with its top-left corner at page point (`x`, `y`) lands: the lane under
/// its centre (the first or last lane when dropped past them) and its position along the flow
/// and across that lane, as `Project::move_steps` takes it. `None` for a node not in the diagram.
pub fn drop_at(d: &Diagram, node_id: &str, x: f64, y: f64) -> Option<StepMove> {
    drop_in(&d.geometry, node_id, x, y)
}

fn drop_in(geometry: &Geometry, node_id: &str, x: f64, y: f64) -> Option<StepMove> {
    let rect = geometry.nodes.iter().find(|n| n.id == node_id)?.rect;
    let (cx, cy) = (x + rect.width / 2.0, y + rect.height / 2.0);
    let vertical = geometry.orientation == Orientation::Vertical;
    let across_of = |r: &layout::Rect| if vertical { (r.x, r.right()) } else { (r.y, r.bottom()) };
    let centre = if vertical { cx } else { cy };
    let lanes = &geometry.lanes;
    let lane = lanes
        .iter()
        .position(|l| {
            let (lo, hi) = across_of(&l.band);
            centre >= lo && centre < hi
        })
        .unwrap_or(if lanes.first().is_some_and(|l| centre < across_of(&l.band).0) {
            0
        } else {
            lanes.len().saturating_sub(1)
        });
    let band = lanes.get(lane)?;
    let header_depth = if vertical { band.header.height } else { band.header.width };
    let (along, across) =
        if vertical { (y - header_depth, x - band.band.x) } else { (x - header_depth, y - band.band.y) };
    Some(StepMove {
        step_id: node_id.to_string(),
        lane: Some(band.id.clone()),
        along: along.max(0.0),
        across: across.max(0.0),
    })
}

impl Project {
    /// Moves steps dropped in the editor with their top-left corners at page points (step id,
    /// x, y) of the current-state diagram in `orientation`, in one edit (see `drop_at`). Only
    /// the layout is computed, not the findings the diagram shows.
    pub fn drop_steps(
        &mut self,
        workflow_id: &str,
        orientation: Orientation,
        drops: &[(String, f64, f64)],
    ) -> Result<()> {
        let m = self.model()?;
        let consolidated = crate::interviews::consolidated(&m)?;
        let (flow, _) = current_state_flow(consolidated.as_ref().unwrap_or(&m), workflow_id);
        let geometry = layout::layout(&flow, orientation)?;
        let moves: Vec<StepMove> =
            drops.iter().filter_map(|(id, x, y)| drop_in(&geometry, id, *x, *y)).collect();
        self.move_steps(&moves)
    }

    /// The diagram of one flow of a workflow.
    pub fn diagram(&self, workflow_id: &str, which: Which, orientation: Orientation) -> Result<Diagram> {
        diagram_of(&self.model()?, workflow_id, which, orientation)
    }
}

/// Writes `diagram` to `path` as SVG, or as PNG when the name ends in `.png`.
pub fn write_diagram(diagram: &Diagram, path: &Path) -> Result<()> {
    write_svg_or_png(render_svg(diagram), path)
}

/// Writes a process map to `path` as SVG, or as PNG when the name ends in `.png`.
pub fn write_map(map: &process_map::ProcessMap, path: &Path) -> Result<()> {
    write_svg_or_png(process_map::render_svg(map), path)
}

fn write_svg_or_png(svg: String, path: &Path) -> Result<()> {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let bytes = match extension.as_deref() {
        Some("svg") => svg.into_bytes(),
        Some("png") => render_png(&svg)?,
        _ => {
            return Err(Error::invalid(
                "output",
                format!("{} must end in .svg or .png; the name chooses the format", path.display()),
            ));
        }
    };
    crate::store::write_atomically(path, &bytes)
}
