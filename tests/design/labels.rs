//! Labels are readable in the swimlanes a person reads (app, SVG/PNG, report): no label overlaps a
//! shape, a lane header or another label, none leaves the drawing, and none is cut inside a word,
//! for each current-state flow and version, both orientations, on the sample and on generated
//! versions. A geometry check (`baton::layout::check`), not a screenshot. (The BPMN's diagram
//! interchange does not pass it yet.)

use baton::diagram::{current_state_flow, version_flow};
use baton::layout::check::label_problems;
use baton::layout::{Orientation, layout};
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

#[test]
fn labels_overlap_nothing_and_are_not_cut_in_the_sample() {
    let m = sample();
    let mut problems = Vec::new();
    for w in &m.workflows {
        problems.extend(swimlane_problems(&m, &w.id, None));
        for v in m.versions.iter().filter(|v| v.workflow_id == w.id) {
            problems.extend(swimlane_problems(&m, &w.id, Some(&v.id)));
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
