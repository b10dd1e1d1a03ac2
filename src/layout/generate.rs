//! Generated flows of any size, for the layout benchmark, stress tests and demonstrations.

use super::{EdgeSpec, FlowGraph, LaneSpec, NodeKind, NodeSpec};
use crate::splitmix::SplitMix;

const VERBS: &[&str] =
    &["Verify", "Assess", "Document", "Order", "Review", "Notify", "Reconcile", "Chart", "Escalate"];
const OBJECTS: &[&str] = &[
    "oxygen order",
    "vital signs",
    "medication list",
    "discharge plan",
    "lab result",
    "care plan",
    "handoff note",
];

/// A workflow shaped like the real ones: mostly a sequence, with decisions that branch and merge
/// again, handoffs between lanes that follow the work, and a few returns for rework.
pub fn flow(steps: usize, lanes: usize, seed: u64) -> FlowGraph {
    let mut rng = SplitMix(seed);
    let lanes = lanes.max(1);
    let lane_specs: Vec<LaneSpec> =
        (0..lanes).map(|l| LaneSpec { id: format!("lane-{l}"), name: format!("Role {}", l + 1) }).collect();
    let mut nodes: Vec<NodeSpec> = Vec::with_capacity(steps);
    let mut edges: Vec<EdgeSpec> = Vec::new();
    let mut lane = 0usize;
    let edge = |from: usize, to: usize, edges: &mut Vec<EdgeSpec>| {
        let id = format!("e{}", edges.len());
        edges.push(EdgeSpec { id, from, to, label: String::new() });
    };
    for i in 0..steps {
        // Work stays with a role for a while, then moves to another.
        if rng.below(3) == 0 {
            lane = rng.below(lanes);
        }
        let kind = match i {
            0 => NodeKind::Start,
            _ if i + 1 == steps => NodeKind::End,
            _ if rng.below(9) == 0 => NodeKind::Decision,
            _ => NodeKind::Task,
        };
        let label = format!("{} {} {}", VERBS[rng.below(VERBS.len())], OBJECTS[rng.below(OBJECTS.len())], i);
        nodes.push(NodeSpec { id: format!("s{i}"), label, kind, lane, manual: None });
        if i > 0 {
            edge(i - 1, i, &mut edges);
        }
        // A decision's second branch skips ahead; now and then a step sends work back.
        if i >= 2 && nodes[i - 2].kind == NodeKind::Decision {
            edge(i - 2, i, &mut edges);
        }
        if i > 6 && rng.below(25) == 0 {
            edge(i, i - 1 - rng.below(5), &mut edges);
        }
    }
    FlowGraph { lanes: lane_specs, nodes, edges }
}
