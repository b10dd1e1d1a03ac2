//! Layout invariants, checked on random flows (proptest) and on generated large ones.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use baton::layout::{
    EdgeSpec, FlowGraph, Geometry, LaneSpec, ManualPosition, NodeKind, NodeSpec, Orientation, Point, Rect,
    generate, layout, text,
};
use proptest::prelude::*;

const EPS: f64 = 0.01;

fn on_border(p: &Point, r: &Rect) -> bool {
    let within_x = p.x >= r.x - EPS && p.x <= r.right() + EPS;
    let within_y = p.y >= r.y - EPS && p.y <= r.bottom() + EPS;
    let on_vertical_side = (p.x - r.x).abs() < EPS || (p.x - r.right()).abs() < EPS;
    let on_horizontal_side = (p.y - r.y).abs() < EPS || (p.y - r.bottom()).abs() < EPS;
    within_x && within_y && (on_vertical_side || on_horizontal_side)
}

/// Whether the axis-parallel segment p–q passes through the inside of `r` (a 1 px margin inside
/// the border, so touching a border is allowed).
fn crosses(p: &Point, q: &Point, r: &Rect) -> bool {
    let (x0, x1) = (p.x.min(q.x), p.x.max(q.x));
    let (y0, y1) = (p.y.min(q.y), p.y.max(q.y));
    x1 > r.x + 1.0 && x0 < r.right() - 1.0 && y1 > r.y + 1.0 && y0 < r.bottom() - 1.0
}

/// Every invariant the issue names; `strict` also requires that no edge crosses a node, which
/// the layout promises when no node was placed by hand.
fn check_invariants(flow: &FlowGraph, g: &Geometry, strict: bool) {
    assert_eq!(g.nodes.len(), flow.nodes.len());
    for (node, spec) in g.nodes.iter().zip(&flow.nodes) {
        let band = &g.lanes[spec.lane].band;
        let header = &g.lanes[spec.lane].header;
        let r = &node.rect;
        assert!(
            r.x >= band.x - EPS
                && r.right() <= band.right() + EPS
                && r.y >= band.y - EPS
                && r.bottom() <= band.bottom() + EPS,
            "node {} {r:?} is outside its lane {band:?}",
            node.id
        );
        assert!(!r.overlaps(header), "node {} covers its lane header", node.id);
        for line in &node.lines {
            let room = if spec.kind == NodeKind::Decision { 88.0 } else { 148.0 };
            assert!(text::width(line, 13.0) <= room + EPS, "label line {line:?} overflows");
        }
    }
    for (i, a) in g.nodes.iter().enumerate() {
        for b in &g.nodes[i + 1..] {
            assert!(
                !a.rect.overlaps(&b.rect),
                "nodes {} and {} overlap: {:?} {:?}",
                a.id,
                b.id,
                a.rect,
                b.rect
            );
        }
    }
    for edge in &g.edges {
        let (from, to) = (&g.nodes[edge.from].rect, &g.nodes[edge.to].rect);
        let first = edge.points.first().unwrap();
        let last = edge.points.last().unwrap();
        assert!(edge.points.len() >= 2, "edge {} has {} points", edge.id, edge.points.len());
        assert!(on_border(first, from), "edge {} starts at {first:?}, not on {from:?}", edge.id);
        assert!(on_border(last, to), "edge {} ends at {last:?}, not on {to:?}", edge.id);
        for w in edge.points.windows(2) {
            assert!(
                (w[0].x - w[1].x).abs() < EPS || (w[0].y - w[1].y).abs() < EPS,
                "edge {} has a slanted segment {:?}–{:?}",
                edge.id,
                w[0],
                w[1]
            );
            if strict {
                for node in &g.nodes {
                    assert!(
                        !crosses(&w[0], &w[1], &node.rect),
                        "edge {} passes through node {}",
                        edge.id,
                        node.id
                    );
                }
            }
        }
    }
}

fn arb_flow() -> impl Strategy<Value = FlowGraph> {
    (1usize..7, 1usize..28).prop_flat_map(|(lanes, nodes)| {
        let node = (
            0..lanes,
            0u8..10,
            "[A-Za-z ]{0,60}",
            proptest::option::weighted(0.2, (0.0f64..2000.0, 0.0f64..300.0)),
        );
        (
            Just(lanes),
            proptest::collection::vec(node, nodes),
            proptest::collection::vec((0..nodes, 0..nodes, "[a-z ]{0,20}"), 0..nodes * 2),
        )
            .prop_map(|(lanes, nodes, edges)| FlowGraph {
                lanes: (0..lanes)
                    .map(|l| LaneSpec { id: format!("l{l}"), name: format!("Lane {l}") })
                    .collect(),
                nodes: nodes
                    .into_iter()
                    .enumerate()
                    .map(|(i, (lane, kind, label, manual))| NodeSpec {
                        id: format!("n{i}"),
                        label,
                        kind: match kind {
                            0 => NodeKind::Start,
                            1 => NodeKind::End,
                            2 | 3 => NodeKind::Decision,
                            _ => NodeKind::Task,
                        },
                        lane,
                        manual: manual.map(|(along, across)| ManualPosition { along, across }),
                    })
                    .collect(),
                edges: edges
                    .into_iter()
                    .enumerate()
                    .map(|(i, (from, to, label))| EdgeSpec { id: format!("e{i}"), from, to, label })
                    .collect(),
            })
    })
}

fn without_manual(mut flow: FlowGraph) -> FlowGraph {
    for node in &mut flow.nodes {
        node.manual = None;
    }
    flow
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_for_random_flows(flow in arb_flow(), vertical in any::<bool>()) {
        let orientation = if vertical { Orientation::Vertical } else { Orientation::Horizontal };
        let g = layout(&flow, orientation).unwrap();
        check_invariants(&flow, &g, false);
        let again = layout(&flow, orientation).unwrap();
        prop_assert_eq!(serde_json::to_string(&g).unwrap(), serde_json::to_string(&again).unwrap());
    }

    #[test]
    fn automatic_layout_routes_around_every_node(flow in arb_flow().prop_map(without_manual), vertical in any::<bool>()) {
        let orientation = if vertical { Orientation::Vertical } else { Orientation::Horizontal };
        let g = layout(&flow, orientation).unwrap();
        check_invariants(&flow, &g, true);
    }

    #[test]
    fn a_hand_placed_node_keeps_its_position(flow in arb_flow().prop_map(without_manual), pick in any::<prop::sample::Index>()) {
        let mut flow = flow;
        let v = pick.index(flow.nodes.len());
        flow.nodes[v].manual = Some(ManualPosition { along: 400.0, across: 40.0 });
        let g = layout(&flow, Orientation::Horizontal).unwrap();
        let lane = &g.lanes[flow.nodes[v].lane];
        prop_assert_eq!(g.nodes[v].rect.x, lane.header.right() + 400.0);
        prop_assert_eq!(g.nodes[v].rect.y, lane.band.y + 40.0);
    }
}

#[test]
fn large_generated_flow_keeps_every_invariant() {
    for (steps, lanes) in [(500, 12), (120, 3)] {
        let flow = generate::flow(steps, lanes, 7);
        for orientation in [Orientation::Horizontal, Orientation::Vertical] {
            let g = layout(&flow, orientation).unwrap();
            check_invariants(&flow, &g, true);
        }
    }
}

#[test]
fn lanes_follow_the_given_order_and_orientation() {
    let flow = generate::flow(30, 4, 1);
    let h = layout(&flow, Orientation::Horizontal).unwrap();
    let v = layout(&flow, Orientation::Vertical).unwrap();
    for pair in h.lanes.windows(2) {
        assert!(pair[0].band.bottom() <= pair[1].band.y + EPS, "horizontal lanes stack top to bottom");
    }
    for pair in v.lanes.windows(2) {
        assert!(pair[0].band.right() <= pair[1].band.x + EPS, "vertical lanes stand left to right");
    }
    assert!(h.width > h.height, "a horizontal diagram of a long flow is wide");
    assert!(v.height > v.width, "a vertical diagram of a long flow is tall");
}

#[test]
fn a_loop_is_drawn_as_a_return_and_a_chain_as_straight_lines() {
    let lanes = vec![LaneSpec { id: "a".into(), name: "RN".into() }];
    let node = |i: usize| NodeSpec {
        id: format!("n{i}"),
        label: format!("Step {i}"),
        kind: NodeKind::Task,
        lane: 0,
        manual: None,
    };
    let edge = |i: usize, from, to| EdgeSpec { id: format!("e{i}"), from, to, label: String::new() };
    let flow = FlowGraph {
        lanes,
        nodes: (0..3).map(node).collect(),
        edges: vec![edge(0, 0, 1), edge(1, 1, 2), edge(2, 2, 0)],
    };
    let g = layout(&flow, Orientation::Horizontal).unwrap();
    assert!(g.nodes[0].rect.x < g.nodes[1].rect.x && g.nodes[1].rect.x < g.nodes[2].rect.x);
    assert_eq!(g.edges[0].points.len(), 2, "a chain in one row is a straight line");
    assert!(!g.edges[0].back && g.edges[2].back);
    assert!(g.edges[2].points.len() >= 4, "the return goes round: {:?}", g.edges[2].points);
    check_invariants(&flow, &g, true);
}
