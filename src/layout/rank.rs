//! The layered part of the layout: which edges are returns, the rank (column) of every step along
//! the flow, and its slot (row) inside its lane.

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{DfsEvent, depth_first_search};

/// Ranks and back edges of a flow.
#[derive(Debug)]
pub(super) struct Ranking {
    pub rank: Vec<usize>,
    /// Per edge: it points backwards (a loop) and is drawn as a return.
    pub back: Vec<bool>,
    pub ranks: usize,
}

/// Finds the back edges with a depth-first search from the flow's sources (in input order), then
/// gives every node the longest-path rank of the graph with those edges reversed. A node that
/// only feeds others is pulled right, next to its first successor, so start events do not all
/// pile up in the first column.
pub(super) fn rank(nodes: usize, edges: &[(usize, usize)]) -> Ranking {
    let mut graph: DiGraph<(), usize> = DiGraph::with_capacity(nodes, edges.len());
    for _ in 0..nodes {
        graph.add_node(());
    }
    for (i, &(from, to)) in edges.iter().enumerate() {
        if from != to {
            graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), i);
        }
    }
    let mut starts: Vec<NodeIndex> = graph
        .node_indices()
        .filter(|&n| graph.neighbors_directed(n, Direction::Incoming).next().is_none())
        .collect();
    starts.extend(graph.node_indices());
    let mut back_pairs = std::collections::BTreeSet::new();
    depth_first_search(&graph, starts, |event| {
        if let DfsEvent::BackEdge(u, v) = event {
            back_pairs.insert((u.index(), v.index()));
        }
    });
    let back: Vec<bool> =
        edges.iter().map(|&(from, to)| from == to || back_pairs.contains(&(from, to))).collect();

    // The acyclic graph: forward edges as they are, back edges reversed.
    let mut dag: DiGraph<(), ()> = DiGraph::with_capacity(nodes, edges.len());
    for _ in 0..nodes {
        dag.add_node(());
    }
    for (i, &(from, to)) in edges.iter().enumerate() {
        if from == to {
            continue;
        }
        let (a, b) = if back[i] { (to, from) } else { (from, to) };
        dag.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
    }
    // Reversing the DFS back edges always leaves an acyclic graph; the fallback keeps input order.
    let order: Vec<NodeIndex> =
        petgraph::algo::toposort(&dag, None).unwrap_or_else(|_| dag.node_indices().collect());
    let mut rank = vec![0usize; nodes];
    for &n in &order {
        let r =
            dag.neighbors_directed(n, Direction::Incoming).map(|p| rank[p.index()] + 1).max().unwrap_or(0);
        rank[n.index()] = r;
    }
    for &n in &order {
        let has_preds = dag.neighbors_directed(n, Direction::Incoming).next().is_some();
        if !has_preds
            && let Some(first_succ) =
                dag.neighbors_directed(n, Direction::Outgoing).map(|s| rank[s.index()]).min()
        {
            rank[n.index()] = first_succ.saturating_sub(1);
        }
    }
    let ranks = rank.iter().copied().max().map_or(0, |r| r + 1);
    Ranking { rank, back, ranks }
}

/// Orders the nodes inside each (lane, rank) cell to reduce crossings and returns every node's
/// slot inside its lane and the number of slots of each lane. Nodes not in `placed` (positioned
/// by hand) take no slot.
pub(super) fn slots(
    lane_of: &[usize],
    lanes: usize,
    ranking: &Ranking,
    edges: &[(usize, usize)],
    placed: &[bool],
) -> (Vec<usize>, Vec<usize>) {
    let n = lane_of.len();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(from, to)) in edges.iter().enumerate() {
        if from == to || !placed[from] || !placed[to] {
            continue;
        }
        let (a, b) = if ranking.back[i] { (to, from) } else { (from, to) };
        preds[b].push(a);
        succs[a].push(b);
    }
    let mut cells: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); ranking.ranks.max(1)]; lanes];
    for v in 0..n {
        if placed[v] {
            cells[lane_of[v]][ranking.rank[v]].push(v);
        }
    }
    let capacity: Vec<usize> =
        cells.iter().map(|lane| lane.iter().map(Vec::len).max().unwrap_or(0).max(1)).collect();
    let mut base = vec![0usize; lanes];
    for l in 1..lanes {
        base[l] = base[l - 1] + capacity[l - 1];
    }
    let mut pos = vec![0f64; n];
    let place = |cells: &Vec<Vec<Vec<usize>>>, pos: &mut Vec<f64>| {
        for (l, lane) in cells.iter().enumerate() {
            for cell in lane {
                for (i, &v) in cell.iter().enumerate() {
                    pos[v] = (base[l] + i) as f64;
                }
            }
        }
    };
    place(&cells, &mut pos);
    let barycenter = |v: usize, neighbors: &[Vec<usize>], pos: &[f64]| -> f64 {
        if neighbors[v].is_empty() {
            pos[v]
        } else {
            neighbors[v].iter().map(|&u| pos[u]).sum::<f64>() / neighbors[v].len() as f64
        }
    };
    let ranks = ranking.ranks.max(1);
    for sweep in 0..4 {
        let downward = sweep % 2 == 0;
        let rank_order: Vec<usize> = if downward { (0..ranks).collect() } else { (0..ranks).rev().collect() };
        for r in rank_order {
            for lane in cells.iter_mut() {
                let cell = &mut lane[r];
                if cell.len() < 2 {
                    continue;
                }
                let neighbors = if downward { &preds } else { &succs };
                let mut keyed: Vec<(f64, usize, usize)> =
                    cell.iter().enumerate().map(|(i, &v)| (barycenter(v, neighbors, &pos), i, v)).collect();
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                *cell = keyed.into_iter().map(|k| k.2).collect();
            }
            place(&cells, &mut pos);
        }
    }
    // Each node takes the slot nearest its neighbours that keeps the cell's order and fits the lane.
    let mut slot = vec![0usize; n];
    for (l, lane) in cells.iter().enumerate() {
        for cell in lane {
            let count = cell.len();
            let mut prev: Option<usize> = None;
            let mut chosen = Vec::with_capacity(count);
            for &v in cell {
                let both: Vec<usize> = preds[v].iter().chain(succs[v].iter()).copied().collect();
                let desired = if both.is_empty() {
                    0.0
                } else {
                    both.iter().map(|&u| pos[u]).sum::<f64>() / both.len() as f64 - base[l] as f64
                };
                let desired = desired.round().clamp(0.0, (capacity[l] - 1) as f64) as usize;
                let s = match prev {
                    Some(p) => desired.max(p + 1),
                    None => desired,
                };
                chosen.push(s);
                prev = Some(s);
            }
            for i in (0..count).rev() {
                let limit = capacity[l] - (count - i);
                chosen[i] = chosen[i].min(limit);
                if i + 1 < count {
                    chosen[i] = chosen[i].min(chosen[i + 1] - 1);
                }
            }
            for (i, &v) in cell.iter().enumerate() {
                slot[v] = chosen[i];
            }
        }
    }
    (slot, capacity)
}
