//! Labels are readable in the diagrams a person reads: in the swimlanes (app, SVG/PNG, report) no
//! label overlaps a shape, a lane header or another label, none leaves the drawing, and none is cut
//! inside a word, for each current-state flow and version, both orientations; in the BPMN's
//! diagram interchange no label overlaps a shape or another label, on every plane. On the sample
//! and on generated versions. A geometry check (`baton::layout::check`), not a screenshot.

use baton::diagram::{current_state_flow, version_flow};
use baton::export::{Format, export};
use baton::layout::check::{label_problems, overlaps};
use baton::layout::{Orientation, Rect, layout};
use baton::model::Model;

use super::conformance::{generated_version, generator_model};

fn sample() -> Model {
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network");
    baton::Project::in_memory("s", &baton::bundle::read_dir(&dir).unwrap()).unwrap().model().unwrap()
}

/// The problems of the swimlanes of version `v` (or the current state when `None`), both ways.
fn swimlane_problems(m: &Model, workflow: &str, v: Option<&str>) -> Vec<String> {
    let (flow, _) = match v {
        Some(v) => version_flow(m, workflow, v),
        None => current_state_flow(m, workflow),
    };
    let mut problems = Vec::new();
    for orientation in [Orientation::Horizontal, Orientation::Vertical] {
        let g = layout(&flow, orientation).unwrap();
        problems.extend(
            label_problems(&flow, &g).into_iter().map(|p| format!("{workflow} {v:?} {orientation:?}: {p}")),
        );
    }
    problems
}

/// The labels of a BPMN's diagram interchange that overlap a shape or another label, plane by
/// plane, read back from the file (a label may touch its own shape).
fn bpmn_problems(xml: &str) -> Vec<String> {
    let number = |tag: &str, name: &str| -> f64 {
        tag.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0)
    };
    let bounds = |tag: &str| {
        let tag = format!(" {tag}");
        Rect {
            x: number(&tag, "x"),
            y: number(&tag, "y"),
            width: number(&tag, "width"),
            height: number(&tag, "height"),
        }
    };
    let mut problems = Vec::new();
    for plane in xml.split("<bpmndi:BPMNPlane ").skip(1) {
        let plane = plane.split("</bpmndi:BPMNPlane>").next().unwrap_or_default();
        let mut shapes = Vec::new();
        let mut labels = Vec::new();
        for shape in plane.split("<bpmndi:BPMNShape ").skip(1) {
            let id = shape
                .split("bpmnElement=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_default()
                .to_string();
            // Pools and lanes hold the shapes; only the shapes themselves count.
            if id.starts_with("Lane_") || id.starts_with("Participant_") {
                continue;
            }
            let mut parts = shape.split("<dc:Bounds ");
            parts.next();
            if let Some(b) = parts.next() {
                shapes.push((id.clone(), bounds(b)));
            }
            if let Some(b) = parts.next() {
                labels.push((id, bounds(b)));
            }
        }
        problems.extend(overlaps(&labels, &shapes));
    }
    problems
}

#[test]
fn labels_overlap_nothing_and_are_not_cut_in_the_sample() {
    let m = sample();
    let mut problems = Vec::new();
    for w in &m.workflows {
        problems.extend(swimlane_problems(&m, &w.id, None));
        for v in m.versions.iter().filter(|v| v.workflow_id == w.id) {
            problems.extend(swimlane_problems(&m, &w.id, Some(&v.id)));
            if baton::design::validate(&m, &v.id).is_empty() {
                let xml = export(&m, &v.id, Format::Bpmn).unwrap();
                problems.extend(bpmn_problems(&xml).into_iter().map(|p| format!("{} BPMN: {p}", v.id)));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn labels_overlap_nothing_and_are_not_cut_in_generated_versions() {
    let mut m = generator_model();
    let mut problems = Vec::new();
    let mut versions = 0;
    for seed in 0..200 {
        let Some(v) = generated_version(&mut m, seed) else { continue };
        versions += 1;
        problems.extend(swimlane_problems(&m, "gen", Some(&v)));
        let xml = export(&m, &v, Format::Bpmn).unwrap();
        problems.extend(bpmn_problems(&xml).into_iter().map(|p| format!("{v} BPMN: {p}")));
        if versions == 30 {
            break;
        }
    }
    assert_eq!(versions, 30);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}
