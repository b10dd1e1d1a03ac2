//! SVG of a laid-out diagram: a title, the lanes with their role names, the steps (boxes,
//! decision diamonds, start and end events), the edges (handoffs between roles dashed and in the
//! accent colour), finding badges, comment markers and a legend.
//!
//! Styles are attributes, not CSS, so every renderer (browsers, resvg, typst) draws the same.
//! Numbers are printed with at most one decimal, so the same diagram gives the same bytes.

use std::fmt::Write;

use super::{Diagram, Notes};
use crate::layout::{
    EDGE_FONT_SIZE, EDGE_LINE_HEIGHT, EVENT_LABEL_GAP, EVENT_SIZE, FONT_SIZE, HEADER_FONT_SIZE,
    HEADER_LINE_HEIGHT, LINE_HEIGHT, NodeKind, Point, Rect,
};
use crate::model::Severity;
use crate::xml::escape as esc;

pub(super) const FONT: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
const TITLE_HEIGHT: f64 = 56.0;
const LEGEND_HEIGHT: f64 = 40.0;
pub(super) const MARGIN: f64 = 16.0;
const INK: &str = "#0f172a";
const FLOW: &str = "#475569";
const HANDOFF: &str = "#c2410c";
const COMMENT: &str = "#0369a1";
const RESOLVED: &str = "#94a3b8";

/// Lane `l` of a diagram: its band (alternately shaded), its header and its wrapped name.
pub(super) fn lane_band(out: &mut String, l: usize, lane: &crate::layout::LaneGeometry) {
    let fill = if l.is_multiple_of(2) { "#f8fafc" } else { "#ffffff" };
    let b = &lane.band;
    let h = &lane.header;
    let _ = writeln!(
        out,
        r##"<g data-lane="{}"><rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="#cbd5e1"/><rect x="{}" y="{}" width="{}" height="{}" fill="#e2e8f0" stroke="#cbd5e1"/>"##,
        esc(&lane.id),
        n(b.x),
        n(b.y),
        n(b.width),
        n(b.height),
        n(h.x),
        n(h.y),
        n(h.width),
        n(h.height)
    );
    text_block(
        out,
        &lane.lines,
        h.centre(),
        HEADER_FONT_SIZE,
        HEADER_LINE_HEIGHT,
        r##" font-weight="bold""##,
    );
    out.push_str("</g>\n");
}

/// An edge's label on a white ground.
pub(super) fn edge_label(out: &mut String, label: &crate::layout::EdgeLabel) {
    let r = &label.rect;
    let _ = writeln!(
        out,
        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#ffffff" fill-opacity="0.9"/>"##,
        n(r.x),
        n(r.y),
        n(r.width),
        n(r.height)
    );
    text_block(out, &label.lines, r.centre(), EDGE_FONT_SIZE, EDGE_LINE_HEIGHT, "");
}

/// A number as the SVG writes it: at most one decimal, so the same drawing gives the same bytes.
pub(super) fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() { format!("{}", r as i64) } else { format!("{r:.1}") }
}

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::High => "#dc2626",
        Severity::Medium => "#d97706",
        Severity::Low => "#2563eb",
    }
}

/// Centred lines of text around `centre`.
pub(super) fn text_block(
    out: &mut String,
    lines: &[String],
    centre: Point,
    size: f64,
    line_height: f64,
    attrs: &str,
) {
    let top = centre.y - line_height * lines.len() as f64 / 2.0;
    for (i, line) in lines.iter().enumerate() {
        let baseline = top + line_height * i as f64 + line_height * 0.75;
        let _ = writeln!(
            out,
            r##"<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{INK}"{attrs}>{}</text>"##,
            n(centre.x),
            n(baseline),
            n(size),
            esc(line)
        );
    }
}

fn badge(out: &mut String, notes: &Notes, rect: &Rect) {
    if let Some(severity) = notes.severity {
        let (cx, cy) = (rect.right() - 2.0, rect.y + 2.0);
        let _ = writeln!(
            out,
            r##"<g data-badge="findings"><circle cx="{}" cy="{}" r="9" fill="{}" stroke="#ffffff" stroke-width="1.5"/><text x="{}" y="{}" font-size="10" font-weight="bold" text-anchor="middle" fill="#ffffff">{}</text></g>"##,
            n(cx),
            n(cy),
            severity_colour(severity),
            n(cx),
            n(cy + 3.5),
            notes.findings.len()
        );
    }
    comment_marker(out, notes, Point { x: rect.x + 4.0, y: rect.y - 6.0 });
}

/// A speech bubble with the number of open comments (grey when all are resolved).
fn comment_marker(out: &mut String, notes: &Notes, at: Point) {
    let total = notes.open_comments + notes.resolved_comments;
    if total == 0 {
        return;
    }
    let (colour, count) = if notes.open_comments > 0 {
        (COMMENT, notes.open_comments)
    } else {
        (RESOLVED, notes.resolved_comments)
    };
    let _ = writeln!(
        out,
        r##"<g data-badge="comments"><rect x="{}" y="{}" width="22" height="13" rx="3" fill="{colour}"/><path d="M{} {} l4 4 l1 -4 z" fill="{colour}"/><text x="{}" y="{}" font-size="9" font-weight="bold" text-anchor="middle" fill="#ffffff">{count}</text></g>"##,
        n(at.x),
        n(at.y),
        n(at.x + 4.0),
        n(at.y + 13.0),
        n(at.x + 11.0),
        n(at.y + 10.0)
    );
}

/// The diagram as a standalone SVG document.
pub fn render_svg(d: &Diagram) -> String {
    render_svg_marked(d, &std::collections::BTreeMap::new())
}

/// Colours of a version comparison: added, changed.
const ADDED: &str = "#16a34a";
const CHANGED: &str = "#d97706";
/// Where a walked-through case is now.
const CURRENT: &str = "#2563eb";

/// The width and height of `d`'s SVG: the layout with its margins, title and legend.
pub fn svg_size(d: &Diagram) -> (f64, f64) {
    let g = &d.geometry;
    ((g.width + 2.0 * MARGIN).max(820.0), g.height + TITLE_HEIGHT + LEGEND_HEIGHT + MARGIN)
}

/// The diagram with the nodes and edges of `marks` (by id: `added` or `changed`) outlined in the
/// colour of their change, for comparing two versions; `current` outlines where a walked-through
/// case is.
pub fn render_svg_marked(d: &Diagram, marks: &std::collections::BTreeMap<String, String>) -> String {
    let colour_of = |id: &str| match marks.get(id).map(String::as_str) {
        Some("added") => Some(("added", ADDED)),
        Some("changed") => Some(("changed", CHANGED)),
        Some("current") => Some(("current", CURRENT)),
        _ => None,
    };
    let g = &d.geometry;
    let (width, height) = svg_size(d);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">"##,
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(out, "<title>{} — {}</title>", esc(&d.title), esc(&d.subtitle));
    let _ = writeln!(
        out,
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{FLOW}"/></marker><marker id="arrow-handoff" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{HANDOFF}"/></marker></defs>"##
    );
    let _ =
        writeln!(out, r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##, n(width), n(height));
    let _ = writeln!(
        out,
        r##"<text x="{}" y="28" font-size="18" font-weight="bold" fill="{INK}">{}</text>"##,
        n(MARGIN),
        esc(&d.title)
    );
    let _ = writeln!(
        out,
        r##"<text x="{}" y="46" font-size="12" fill="{FLOW}">{}</text>"##,
        n(MARGIN),
        esc(&d.subtitle)
    );
    let _ = writeln!(out, r##"<g transform="translate({} {})">"##, n(MARGIN), n(TITLE_HEIGHT));

    for (l, lane) in g.lanes.iter().enumerate() {
        lane_band(&mut out, l, lane);
    }

    for (i, e) in g.edges.iter().enumerate() {
        let (colour, marker, dash) = if e.cross_lane {
            (HANDOFF, "arrow-handoff", r##" stroke-dasharray="7 4""##)
        } else {
            (FLOW, "arrow", "")
        };
        let mut path = String::new();
        for (k, p) in e.points.iter().enumerate() {
            let _ = write!(path, "{}{} {}", if k == 0 { "M" } else { " L" }, n(p.x), n(p.y));
        }
        let kind = if e.cross_lane { "handoff" } else { "flow" };
        let _ = writeln!(
            out,
            r##"<path data-edge="{}" data-kind="{kind}" d="{path}" fill="none" stroke="{colour}" stroke-width="{}"{dash} stroke-linejoin="round" marker-end="url(#{marker})"/>"##,
            esc(&e.id),
            if e.cross_lane { "2" } else { "1.5" }
        );
        if let Some(label) = &e.label {
            edge_label(&mut out, label);
        }
        if let Some((change, colour)) = colour_of(&e.id) {
            let _ = writeln!(
                out,
                r##"<path data-diff="{change}" d="{path}" fill="none" stroke="{colour}" stroke-width="4" stroke-opacity="0.55" stroke-linejoin="round"/>"##
            );
        }
        if let Some(notes) = d.edge_notes.get(i) {
            let mid = e.points.get(e.points.len() / 2).copied().unwrap_or(Point { x: 0.0, y: 0.0 });
            comment_marker(&mut out, notes, Point { x: mid.x + 3.0, y: mid.y - 16.0 });
        }
    }

    let vertical = g.orientation == crate::layout::Orientation::Vertical;
    for (v, node) in g.nodes.iter().enumerate() {
        let r = &node.rect;
        let c = r.centre();
        let label = d.flow.nodes.get(v).map(|s| s.label.as_str()).unwrap_or_default();
        let _ = writeln!(
            out,
            r##"<g data-node="{}" data-kind="{}"><title>{}</title>"##,
            esc(&node.id),
            node.kind.as_str(),
            esc(label)
        );
        match node.kind {
            NodeKind::Task => {
                let _ = writeln!(
                    out,
                    r##"<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="#ffffff" stroke="#334155" stroke-width="1.5"/>"##,
                    n(r.x),
                    n(r.y),
                    n(r.width),
                    n(r.height)
                );
            }
            NodeKind::Decision => {
                let _ = writeln!(
                    out,
                    r##"<path d="M{} {} L{} {} L{} {} L{} {} z" fill="#fefce8" stroke="#a16207" stroke-width="1.5"/>"##,
                    n(c.x),
                    n(r.y),
                    n(r.right()),
                    n(c.y),
                    n(c.x),
                    n(r.bottom()),
                    n(r.x),
                    n(c.y)
                );
            }
            NodeKind::Start | NodeKind::End => {
                let circle = event(&mut out, node, vertical);
                if let Some(notes) = d.node_notes.get(v) {
                    badge(&mut out, notes, &circle);
                }
                out.push_str("</g>\n");
                continue;
            }
        }
        text_block(&mut out, &node.lines, c, FONT_SIZE, LINE_HEIGHT, "");
        if let Some((change, colour)) = colour_of(&node.id) {
            let _ = writeln!(
                out,
                r##"<rect data-diff="{change}" x="{}" y="{}" width="{}" height="{}" rx="10" fill="none" stroke="{colour}" stroke-width="3"/>"##,
                n(r.x - 3.0),
                n(r.y - 3.0),
                n(r.width + 6.0),
                n(r.height + 6.0)
            );
        }
        if let Some(notes) = d.node_notes.get(v) {
            badge(&mut out, notes, r);
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
    legend(&mut out, TITLE_HEIGHT + g.height + 14.0);
    out.push_str("</svg>\n");
    out
}

/// A start or end event: its circle at the end of the box where edges meet it, its label in
/// the rest. Badges go on the circle.
fn event(out: &mut String, node: &crate::layout::NodeGeometry, vertical: bool) -> Rect {
    let r = &node.rect;
    let half = EVENT_SIZE / 2.0;
    let start = node.kind == NodeKind::Start;
    let circle = match (vertical, start) {
        (false, true) => Point { x: r.right() - half, y: r.y + r.height / 2.0 },
        (false, false) => Point { x: r.x + half, y: r.y + r.height / 2.0 },
        (true, true) => Point { x: r.x + r.width / 2.0, y: r.bottom() - half },
        (true, false) => Point { x: r.x + r.width / 2.0, y: r.y + half },
    };
    let (fill, stroke, width) = if start { ("#f0fdf4", "#15803d", 2.0) } else { ("#fef2f2", "#b91c1c", 4.0) };
    let _ = writeln!(
        out,
        r##"<circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="{stroke}" stroke-width="{}"/>"##,
        n(circle.x),
        n(circle.y),
        n(half - width / 2.0),
        n(width)
    );
    let bounds = Rect { x: circle.x - half, y: circle.y - half, width: EVENT_SIZE, height: EVENT_SIZE };
    if node.lines.is_empty() {
        return bounds;
    }
    let room = EVENT_SIZE + EVENT_LABEL_GAP;
    let label = match (vertical, start) {
        (false, true) => Rect { x: r.x, y: r.y, width: r.width - room, height: r.height },
        (false, false) => Rect { x: r.x + room, y: r.y, width: r.width - room, height: r.height },
        (true, true) => Rect { x: r.x, y: r.y, width: r.width, height: r.height - room },
        (true, false) => Rect { x: r.x, y: r.y + room, width: r.width, height: r.height - room },
    };
    text_block(out, &node.lines, label.centre(), EDGE_FONT_SIZE, EDGE_LINE_HEIGHT, "");
    bounds
}

fn legend(out: &mut String, y: f64) {
    let x = MARGIN;
    let line = |out: &mut String, x: f64, colour: &str, dash: &str, marker: &str, text: &str| {
        let _ = writeln!(
            out,
            r##"<path d="M{} {} L{} {}" stroke="{colour}" stroke-width="2"{dash} marker-end="url(#{marker})"/><text x="{}" y="{}" font-size="11" fill="{INK}">{text}</text>"##,
            n(x),
            n(y + 8.0),
            n(x + 34.0),
            n(y + 8.0),
            n(x + 42.0),
            n(y + 12.0)
        );
    };
    out.push_str("<g data-legend=\"\">\n");
    line(out, x, FLOW, "", "arrow", "next step, same role");
    line(out, x + 190.0, HANDOFF, r##" stroke-dasharray="7 4""##, "arrow-handoff", "handoff to another role");
    let fx = x + 400.0;
    for (k, s) in [Severity::High, Severity::Medium, Severity::Low].into_iter().enumerate() {
        let _ = writeln!(
            out,
            r##"<circle cx="{}" cy="{}" r="6" fill="{}"/>"##,
            n(fx + 14.0 * k as f64),
            n(y + 8.0),
            severity_colour(s)
        );
    }
    let _ = writeln!(
        out,
        r##"<text x="{}" y="{}" font-size="11" fill="{INK}">findings (high, medium, low)</text>"##,
        n(fx + 42.0),
        n(y + 12.0)
    );
    let cx = fx + 230.0;
    let _ = writeln!(
        out,
        r##"<rect x="{}" y="{}" width="16" height="11" rx="3" fill="{COMMENT}"/><text x="{}" y="{}" font-size="11" fill="{INK}">open review comments</text>"##,
        n(cx),
        n(y + 2.0),
        n(cx + 24.0),
        n(y + 12.0)
    );
    out.push_str("</g>\n");
}
