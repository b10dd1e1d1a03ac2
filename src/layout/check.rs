//! The label-geometry check every diagram passes (the swimlanes of a flow or a version, the
//! BPMN's diagram interchange): no label overlaps a shape or another label, no label spills out of
//! its box, and no label is cut inside a word. Tests run it over the sample and generated
//! versions; it is geometry, not a screenshot.

use super::{FlowGraph, Geometry, NodeKind, Rect, text};

/// Whether the lines of `label` break only between words (at spaces, or after `_`, `-` or `/`
/// inside a word): a break between two letters or digits that were side by side is a cut.
pub fn cut_mid_word(label: &str, lines: &[String]) -> bool {
    let label: Vec<char> = label.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect();
    let mut at = 0usize;
    for (n, line) in lines.iter().enumerate() {
        let line = line.trim_end_matches('…');
        at += line.chars().count();
        if n + 1 == lines.len() || at >= label.len() {
            break;
        }
        if label.get(at) == Some(&' ') {
            at += 1;
            continue;
        }
        let before = label.get(at.wrapping_sub(1)).copied().unwrap_or(' ');
        if !matches!(before, '_' | '-' | '/') {
            return true;
        }
    }
    false
}

/// What is wrong with the labels of `flow` laid out as `geometry`, one sentence each.
pub fn label_problems(flow: &FlowGraph, geometry: &Geometry) -> Vec<String> {
    let mut problems = Vec::new();
    let shapes: Vec<(String, Rect)> = geometry
        .nodes
        .iter()
        .map(|n| (n.id.clone(), n.rect))
        .chain(geometry.lanes.iter().map(|l| (format!("the header of lane {}", l.id), l.header)))
        .collect();
    for (spec, node) in flow.nodes.iter().zip(&geometry.nodes) {
        if cut_mid_word(&spec.label, &node.lines) {
            problems.push(format!(
                "{}: the label {:?} is cut inside a word: {:?}",
                node.id, spec.label, node.lines
            ));
        }
        let size = match node.kind {
            NodeKind::Task | NodeKind::Decision => super::FONT_SIZE,
            _ => super::EDGE_FONT_SIZE,
        };
        let widest = node.lines.iter().map(|l| text::width(l, size)).fold(0.0, f64::max);
        if widest > node.rect.width + 0.5 {
            problems.push(format!(
                "{}: the label is wider ({widest:.0}) than its box ({:.0})",
                node.id, node.rect.width
            ));
        }
    }
    let labels: Vec<(String, Rect)> = flow
        .edges
        .iter()
        .zip(&geometry.edges)
        .filter_map(|(spec, edge)| {
            let label = edge.label.as_ref()?;
            if cut_mid_word(&spec.label, &label.lines) {
                problems.push(format!(
                    "{}: the label {:?} is cut inside a word: {:?}",
                    edge.id, spec.label, label.lines
                ));
            }
            let r = label.rect;
            if r.x < 0.0
                || r.y < 0.0
                || r.right() > geometry.width + 0.5
                || r.bottom() > geometry.height + 0.5
            {
                problems.push(format!("the label of {} is outside the drawing", edge.id));
            }
            Some((edge.id.clone(), label.rect))
        })
        .collect();
    problems.extend(overlaps(&labels, &shapes));
    problems
}

/// Labels (id, box) that overlap a shape or another label.
pub fn overlaps(labels: &[(String, Rect)], shapes: &[(String, Rect)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, (id, r)) in labels.iter().enumerate() {
        for (shape, s) in shapes {
            if r.overlaps(s) {
                problems.push(format!("the label of {id} overlaps {shape}"));
            }
        }
        for (other, o) in &labels[i + 1..] {
            if r.overlaps(o) {
                problems.push(format!("the labels of {id} and {other} overlap"));
            }
        }
    }
    problems
}
