//! Swimlane diagrams: SVG snapshots of the sample workflows, the editor's edits through the core
//! (with undo), comments in bundles, and the `diagram` command.

// A test states what it expects by panicking when it does not get it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod edits;
mod process_map;

use std::path::PathBuf;

use baton::Project;
use baton::diagram::{Which, render_svg};
use baton::layout::Orientation;

pub fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network")
}

pub fn sample_project() -> Project {
    let model = baton::bundle::read_dir(&sample()).unwrap();
    Project::in_memory("Sample", &model).unwrap()
}

fn svg(workflow: &str, which: Which, orientation: Orientation) -> String {
    render_svg(&sample_project().diagram(workflow, which, orientation).unwrap())
}

#[test]
fn sample_current_state_diagrams() {
    insta::assert_snapshot!(
        "oxygen_titration",
        svg("oxygen-titration", Which::CurrentState, Orientation::Horizontal)
    );
    insta::assert_snapshot!(
        "respiratory_assessment",
        svg("respiratory-assessment", Which::CurrentState, Orientation::Horizontal)
    );
    insta::assert_snapshot!(
        "oxygen_titration_vertical",
        svg("oxygen-titration", Which::CurrentState, Orientation::Vertical)
    );
}

#[test]
fn sample_proposed_diagrams() {
    insta::assert_snapshot!(
        "respiratory_assessment_v1",
        svg("respiratory-assessment", Which::Version(1), Orientation::Horizontal)
    );
    insta::assert_snapshot!(
        "oxygen_titration_draft",
        svg("oxygen-titration", Which::Draft, Orientation::Horizontal)
    );
}

#[test]
fn the_svg_is_the_same_on_every_run_and_shows_what_a_reviewer_needs() {
    let first = svg("oxygen-titration", Which::CurrentState, Orientation::Horizontal);
    assert_eq!(first, svg("oxygen-titration", Which::CurrentState, Orientation::Horizontal));
    for lane in ["MD", "Unit", "coordinator", "RT", "RN"] {
        assert!(first.contains(&format!(">{lane}<")), "lane header {lane} is missing");
    }
    assert!(first.contains(r#"data-kind="decision""#), "the decision is a diamond");
    assert!(first.contains(r#"data-kind="start""#) && first.contains(r#"data-kind="end""#));
    assert!(first.contains(r#"data-kind="handoff""#) && first.contains(r#"data-kind="flow""#));
    assert!(first.contains(r#"data-badge="findings""#), "the hotspot finding shows as a badge");
    assert!(first.contains(">Orders go missing<"), "edge labels are drawn");
}

#[test]
fn a_version_that_does_not_exist_is_a_clear_error() {
    let e =
        sample_project().diagram("oxygen-titration", Which::Version(7), Orientation::Horizontal).unwrap_err();
    assert!(e.to_string().contains("has no version 7; published versions: none"), "{e}");
    let e = sample_project()
        .diagram("respiratory-assessment", Which::Draft, Orientation::Horizontal)
        .unwrap_err();
    assert!(e.to_string().contains("has no draft"), "{e}");
}

#[test]
fn png_renders_with_text() {
    let d =
        sample_project().diagram("oxygen-titration", Which::CurrentState, Orientation::Horizontal).unwrap();
    let png = baton::diagram::render_png(&render_svg(&d)).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // Width and height from the IHDR chunk: twice the SVG's size.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert!(width as f64 >= d.geometry.width * 2.0, "{width} px for a {} px diagram", d.geometry.width);
}

/// Every role that acts has a lane: the initial state, which opens no task, is drawn where the
/// work in it is done (the RT assesses and charts while the assessment is due), not in the lane
/// of the next owner.
#[test]
fn the_role_that_acts_in_a_state_without_a_task_has_its_lane() {
    let m = sample_project().model().unwrap();
    let (flow, _) = baton::diagram::version_flow(&m, "respiratory-assessment", "ra-v1");
    let due = flow.nodes.iter().find(|n| n.id == "ra-v1-due").unwrap();
    assert_eq!(flow.lanes[due.lane].id, "rt", "{:?}", flow.lanes);
    assert_eq!(
        baton::diagram::actor(&m, "respiratory-assessment", "assessment_completed").as_deref(),
        Some("rt")
    );
    assert_eq!(baton::diagram::actor(&m, "respiratory-assessment", "no_such_event"), None);
}
