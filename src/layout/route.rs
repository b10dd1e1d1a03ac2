//! Orthogonal edge routing between placed nodes.
//!
//! Coordinates here are abstract: `along` the flow and `across` it (x and y for horizontal lanes).
//! Between two ranks there is a channel free of automatically placed nodes, and between rows and
//! at the edges of lanes there are corridors. A route leaves its source on the downstream side,
//! turns in a channel, runs along a row or a corridor and enters its target on the upstream side.
//! Candidates are tried from the simplest, and the first that crosses no node is kept; returns
//! (back edges) always go round through a corridor. Once every edge has its channels and
//! corridors, the edges sharing one are spread over its width so they do not draw on each other.

use std::collections::BTreeMap;

/// A node's box in abstract coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct Block {
    pub a0: f64,
    pub c0: f64,
    pub a1: f64,
    pub c1: f64,
    /// Edges may leave and enter it at different points of a side (tasks), or only at the middle.
    pub spread_ports: bool,
}

impl Block {
    fn centre(&self) -> f64 {
        (self.c0 + self.c1) / 2.0
    }
}

#[derive(Debug)]
pub(super) struct Space {
    /// Along-flow intervals free of automatic nodes, in order.
    pub channels: Vec<(f64, f64)>,
    /// Across-flow centre lines of the corridors, sorted.
    pub corridors: Vec<f64>,
    /// How far from its centre line a corridor's tracks may go.
    pub corridor_half: f64,
}

#[derive(Debug, Clone, Copy)]
enum Along {
    Channel(usize),
    Fixed(f64),
}

#[derive(Debug, Clone, Copy)]
enum Across {
    Corridor(usize),
}

#[derive(Debug, Clone, Copy)]
enum Plan {
    Straight,
    Three(Along),
    Five(Along, Across, Along),
}

struct Index<'a> {
    blocks: &'a [Block],
    /// Block indices sorted by `a0`.
    by_start: Vec<usize>,
    widest: f64,
}

impl<'a> Index<'a> {
    fn new(blocks: &'a [Block]) -> Self {
        let mut by_start: Vec<usize> = (0..blocks.len()).collect();
        by_start.sort_by(|&a, &b| blocks[a].a0.total_cmp(&blocks[b].a0).then(a.cmp(&b)));
        let widest = blocks.iter().map(|b| b.a1 - b.a0).fold(0.0, f64::max);
        Index { blocks, by_start, widest }
    }

    /// Whether the axis-parallel segment from `p` to `q` passes through the inside of a block.
    fn blocked(&self, p: (f64, f64), q: (f64, f64)) -> bool {
        let (a_lo, a_hi) = (p.0.min(q.0), p.0.max(q.0));
        let (c_lo, c_hi) = (p.1.min(q.1), p.1.max(q.1));
        let first = self.by_start.partition_point(|&i| self.blocks[i].a0 < a_lo - self.widest);
        for &i in &self.by_start[first..] {
            let b = &self.blocks[i];
            if b.a0 > a_hi {
                break;
            }
            let inside_a = a_hi > b.a0 + 1.0 && a_lo < b.a1 - 1.0;
            let inside_c = c_hi > b.c0 + 1.0 && c_lo < b.c1 - 1.0;
            if inside_a && inside_c {
                return true;
            }
        }
        false
    }
}

/// Routes every edge; returns each one's bend points in abstract coordinates, starting on its
/// source's border and ending on its target's.
pub(super) fn route(
    blocks: &[Block],
    edges: &[(usize, usize)],
    back: &[bool],
    space: &Space,
) -> Vec<Vec<(f64, f64)>> {
    let index = Index::new(blocks);
    let (starts, ends) = ports(blocks, edges);
    let channel_mid = |c: usize| (space.channels[c].0 + space.channels[c].1) / 2.0;
    let along_at = |a: Along| match a {
        Along::Channel(c) => channel_mid(c),
        Along::Fixed(v) => v,
    };
    let corridor_at = |c: Across| match c {
        Across::Corridor(i) => space.corridors[i],
    };
    let points_of = |plan: Plan,
                     p0: (f64, f64),
                     p1: (f64, f64),
                     along: &dyn Fn(Along) -> f64,
                     across: &dyn Fn(Across) -> f64| match plan {
        Plan::Straight => vec![p0, p1],
        Plan::Three(x) => vec![p0, (along(x), p0.1), (along(x), p1.1), p1],
        Plan::Five(x1, y, x2) => {
            vec![p0, (along(x1), p0.1), (along(x1), across(y)), (along(x2), across(y)), (along(x2), p1.1), p1]
        }
    };
    let clear = |points: &[(f64, f64)]| points.windows(2).all(|w| !index.blocked(w[0], w[1]));
    let after = |a: f64| space.channels.iter().position(|ch| ch.0 >= a - 0.5);
    let before = |a: f64| space.channels.iter().rposition(|ch| ch.1 <= a + 0.5);

    let mut plans: Vec<Plan> = Vec::with_capacity(edges.len());
    for (i, &(from, to)) in edges.iter().enumerate() {
        let (s, t) = (&blocks[from], &blocks[to]);
        let (p0, p1) = (starts[i], ends[i]);
        let try_plan = |plan: Plan| clear(&points_of(plan, p0, p1, &along_at, &corridor_at));
        let (first, last) = (after(s.a1), before(t.a0));
        let x_out = first.filter(|&c| channel_mid(c) < t.a0 || back[i]).map(Along::Channel);
        let x_in = last.filter(|&c| channel_mid(c) > s.a1 || back[i]).map(Along::Channel);
        if !back[i] && s.a1 < t.a0 {
            let mut candidates: Vec<Plan> = Vec::new();
            if (p0.1 - p1.1).abs() < 0.5 {
                candidates.push(Plan::Straight);
            }
            if let (Some(first), Some(last)) = (first, last)
                && first <= last
            {
                candidates.push(Plan::Three(Along::Channel(first)));
                if last != first {
                    candidates.push(Plan::Three(Along::Channel(last)));
                }
                for c in (first + 1..last).take(6) {
                    candidates.push(Plan::Three(Along::Channel(c)));
                }
            } else {
                candidates.push(Plan::Three(Along::Fixed(((s.a1 + t.a0) / 2.0).round())));
            }
            let mut chosen = candidates.iter().copied().find(|&p| try_plan(p));
            if chosen.is_none()
                && let (Some(x1), Some(x2)) = (x_out, x_in)
            {
                chosen = corridors_by_cost(space, p0.1, p1.1)
                    .into_iter()
                    .take(12)
                    .map(|y| Plan::Five(x1, Across::Corridor(y), x2))
                    .find(|&p| try_plan(p));
            }
            let fallback = candidates.first().copied().unwrap_or(Plan::Straight);
            plans.push(chosen.unwrap_or(fallback));
            continue;
        }
        // A return: out of the source's downstream side, round through a corridor, into the
        // target's upstream side.
        let x1 = x_out.unwrap_or(Along::Fixed(s.a1 + 14.0));
        let x2 = x_in.unwrap_or(Along::Fixed(t.a0 - 14.0));
        let ranked = corridors_by_cost(space, p0.1, p1.1);
        let chosen =
            ranked.iter().take(12).map(|&y| Plan::Five(x1, Across::Corridor(y), x2)).find(|&p| try_plan(p));
        let fallback = ranked.first().map_or(Plan::Three(x1), |&y| Plan::Five(x1, Across::Corridor(y), x2));
        plans.push(chosen.unwrap_or(fallback));
    }

    // Spread the edges that share a channel or a corridor over its width.
    let mut channel_users: BTreeMap<usize, Vec<(f64, f64, usize, usize)>> = BTreeMap::new();
    let mut corridor_users: BTreeMap<usize, Vec<(f64, f64, usize)>> = BTreeMap::new();
    for (i, plan) in plans.iter().enumerate() {
        let nominal = points_of(*plan, starts[i], ends[i], &along_at, &corridor_at);
        let mut use_channel = |a: Along, k: usize, lo: f64, hi: f64| {
            if let Along::Channel(c) = a {
                channel_users.entry(c).or_default().push((lo.min(hi), lo.max(hi), i, k));
            }
        };
        match *plan {
            Plan::Straight => {}
            Plan::Three(x) => use_channel(x, 0, nominal[1].1, nominal[2].1),
            Plan::Five(x1, Across::Corridor(y), x2) => {
                use_channel(x1, 0, nominal[1].1, nominal[2].1);
                use_channel(x2, 1, nominal[3].1, nominal[4].1);
                corridor_users.entry(y).or_default().push((
                    nominal[2].0.min(nominal[3].0),
                    nominal[2].0.max(nominal[3].0),
                    i,
                ));
            }
        }
    }
    let mut channel_pos: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for (c, mut users) in channel_users {
        users.sort_by(|a, b| {
            a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3))
        });
        let (start, end) = space.channels[c];
        let k = users.len() as f64;
        for (j, u) in users.iter().enumerate() {
            channel_pos.insert((u.2, u.3), round_half(start + (end - start) * (j as f64 + 1.0) / (k + 1.0)));
        }
    }
    let mut corridor_pos: BTreeMap<usize, f64> = BTreeMap::new();
    for (y, mut users) in corridor_users {
        users.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        let centre = space.corridors[y];
        let k = users.len() as f64;
        let h = space.corridor_half;
        for (j, u) in users.iter().enumerate() {
            corridor_pos.insert(u.2, round_half(centre - h + 2.0 * h * (j as f64 + 1.0) / (k + 1.0)));
        }
    }

    plans
        .iter()
        .enumerate()
        .map(|(i, plan)| {
            let (p0, p1) = (starts[i], ends[i]);
            let at = |k: usize, a: Along| channel_or(&channel_pos, i, k, a, &channel_mid);
            let points = match *plan {
                Plan::Straight => vec![p0, p1],
                Plan::Three(x) => {
                    let a = at(0, x);
                    vec![p0, (a, p0.1), (a, p1.1), p1]
                }
                Plan::Five(x1, y, x2) => {
                    let yc = corridor_pos.get(&i).copied().unwrap_or_else(|| corridor_at(y));
                    let (a1, a2) = (at(0, x1), at(1, x2));
                    vec![p0, (a1, p0.1), (a1, yc), (a2, yc), (a2, p1.1), p1]
                }
            };
            dedup(points)
        })
        .collect()
}

fn channel_or(
    positions: &BTreeMap<(usize, usize), f64>,
    edge: usize,
    k: usize,
    a: Along,
    mid: &dyn Fn(usize) -> f64,
) -> f64 {
    match a {
        Along::Fixed(v) => v,
        Along::Channel(c) => positions.get(&(edge, k)).copied().unwrap_or_else(|| mid(c)),
    }
}

/// Corridor indices by the length of the detour through them, shortest first.
fn corridors_by_cost(space: &Space, c0: f64, c1: f64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..space.corridors.len()).collect();
    let cost = |y: f64| (y - c0).abs() + (y - c1).abs();
    order.sort_by(|&a, &b| cost(space.corridors[a]).total_cmp(&cost(space.corridors[b])).then(a.cmp(&b)));
    order
}

/// Where each edge leaves its source and enters its target. Several edges on one side of a task
/// are spread along that side in the order of the nodes at their other ends, so they do not start
/// on top of each other; events and decisions keep a single port at the middle of the side.
/// Points in abstract coordinates, one per edge.
type Ports = Vec<(f64, f64)>;

fn ports(blocks: &[Block], edges: &[(usize, usize)]) -> (Ports, Ports) {
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); blocks.len()];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); blocks.len()];
    for (i, &(from, to)) in edges.iter().enumerate() {
        outs[from].push(i);
        ins[to].push(i);
    }
    let mut starts = vec![(0.0, 0.0); edges.len()];
    let mut ends = vec![(0.0, 0.0); edges.len()];
    let offsets = |block: &Block, count: usize| -> Vec<f64> {
        if count < 2 || !block.spread_ports {
            return vec![0.0; count];
        }
        let room = (block.c1 - block.c0 - 16.0).max(0.0);
        let step = (room / (count - 1) as f64).min(12.0);
        (0..count).map(|j| round_half((j as f64 - (count - 1) as f64 / 2.0) * step)).collect()
    };
    for (v, block) in blocks.iter().enumerate() {
        let mut out = outs[v].clone();
        out.sort_by(|&a, &b| {
            blocks[edges[a].1].centre().total_cmp(&blocks[edges[b].1].centre()).then(a.cmp(&b))
        });
        for (j, off) in offsets(block, out.len()).into_iter().enumerate() {
            starts[out[j]] = (block.a1, round_half(block.centre()) + off);
        }
        let mut inn = ins[v].clone();
        inn.sort_by(|&a, &b| {
            blocks[edges[a].0].centre().total_cmp(&blocks[edges[b].0].centre()).then(a.cmp(&b))
        });
        for (j, off) in offsets(block, inn.len()).into_iter().enumerate() {
            ends[inn[j]] = (block.a0, round_half(block.centre()) + off);
        }
    }
    (starts, ends)
}

fn round_half(v: f64) -> f64 {
    (v * 2.0).round() / 2.0
}

fn dedup(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for p in points {
        if out.last().is_some_and(|q| (q.0 - p.0).abs() < 1e-9 && (q.1 - p.1).abs() < 1e-9) {
            continue;
        }
        out.push(p);
    }
    // Drop middle points of straight runs.
    let mut i = 1;
    while i + 1 < out.len() {
        let (a, b, c) = (out[i - 1], out[i], out[i + 1]);
        let same_a = (a.0 - b.0).abs() < 1e-9 && (b.0 - c.0).abs() < 1e-9;
        let same_c = (a.1 - b.1).abs() < 1e-9 && (b.1 - c.1).abs() < 1e-9;
        if same_a || same_c {
            out.remove(i);
        } else {
            i += 1;
        }
    }
    out
}
