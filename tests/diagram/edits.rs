//! The editor's edits, through the core, each undoable.

use baton::diagram::{CommentInput, StepMove, Which};
use baton::layout::Orientation;
use baton::model::{CommentTarget, StepKind};

use baton::interviews::{InterviewInput, StatementInput};

use super::sample_project;

const FACILITY: &str = "north";

fn owner(p: &baton::Project, step: &str) -> Option<String> {
    p.model().unwrap().steps.into_iter().find(|s| s.id == step).unwrap().owner_role_id
}

#[test]
fn dropping_a_step_in_another_lane_changes_its_owner_and_undo_restores_it() {
    let mut p = sample_project();
    assert_eq!(owner(&p, "o2-document").as_deref(), Some("rt"));
    p.move_steps(&[StepMove {
        step_id: "o2-document".into(),
        lane: Some("rn".into()),
        along: 900.0,
        across: 40.0,
    }])
    .unwrap();
    assert_eq!(owner(&p, "o2-document").as_deref(), Some("rn"));
    let d = p.diagram("oxygen-titration", Which::CurrentState, Orientation::Horizontal).unwrap();
    let v = d.flow.nodes.iter().position(|n| n.id == "o2-document").unwrap();
    let lane = &d.geometry.lanes[d.flow.nodes[v].lane];
    assert_eq!(lane.id, "rn");
    assert_eq!(d.geometry.nodes[v].rect.y, lane.band.y + 40.0, "the drop position is kept");
    assert!(d.geometry.nodes[v].manual);
    p.undo().unwrap();
    assert_eq!(owner(&p, "o2-document").as_deref(), Some("rt"));
    let step = p.model().unwrap().steps.into_iter().find(|s| s.id == "o2-document").unwrap();
    assert_eq!(step.manual_xy, None, "undo takes the position back too");
}

#[test]
fn moving_several_steps_is_one_edit_and_auto_layout_forgets_positions() {
    let mut p = sample_project();
    let moves: Vec<StepMove> = ["o2-ack", "o2-titrate"]
        .iter()
        .enumerate()
        .map(|(i, id)| StepMove {
            step_id: (*id).into(),
            lane: None,
            along: 300.0 + 200.0 * i as f64,
            across: 30.0,
        })
        .collect();
    p.move_steps(&moves).unwrap();
    assert_eq!(p.journal_state().unwrap().undo.as_deref(), Some("Move 2 steps"));
    p.auto_layout("oxygen-titration").unwrap();
    assert!(p.model().unwrap().steps.iter().all(|s| s.manual_xy.is_none()));
    p.undo().unwrap();
    assert_eq!(p.model().unwrap().steps.iter().filter(|s| s.manual_xy.is_some()).count(), 2);
}

#[test]
fn lane_order_is_kept_and_travels_in_bundles() {
    let mut p = sample_project();
    p.set_lane_order("oxygen-titration", &["rn".into(), "rt".into()]).unwrap();
    let d = p.diagram("oxygen-titration", Which::CurrentState, Orientation::Horizontal).unwrap();
    let order: Vec<&str> = d.flow.lanes.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(order, ["rn", "rt", "md", "uc"], "arranged lanes first, then the others in flow order");
    let files = baton::bundle::render(&p.model().unwrap()).unwrap();
    let workflow = String::from_utf8(files["workflows/oxygen-titration.yaml"].clone()).unwrap();
    assert!(workflow.contains("lanes:\n- rn\n- rt\n"), "{workflow}");
    let e = p.set_lane_order("oxygen-titration", &["rn".into(), "rn".into()]).unwrap_err();
    assert!(e.to_string().contains("listed twice"), "{e}");
    assert_eq!(p.model().unwrap().lanes.len(), 2, "a refused edit changes nothing");
}

#[test]
fn steps_and_handoffs_drawn_by_hand_can_be_deleted_but_not_those_from_interviews() {
    let mut p = sample_project();
    let rt = "rt";
    let added = p.add_step("oxygen-titration", "Call pharmacy", StepKind::Task, rt, None).unwrap();
    let h = p.add_handoff("o2-ack", &added, "phone").unwrap();
    let e = p.add_handoff("o2-ack", &added, "").unwrap_err();
    assert!(e.to_string().contains("already connected"), "{e}");
    p.rename_step(&added, "Call the pharmacy").unwrap();
    p.remove_handoff(&h).unwrap();
    p.remove_step(&added).unwrap();
    assert!(p.model().unwrap().steps.iter().all(|s| s.id != added));

    // Two statements of an interview give two steps and the handoff between them.
    let interview = p
        .add_interview(&InterviewInput {
            role_id: "rt".into(),
            facility_id: FACILITY.into(),
            alias: "RT-9".into(),
            workflows: vec!["oxygen-titration".into()],
            ..InterviewInput::default()
        })
        .unwrap();
    for name in ["Check wall oxygen outlet", "Swap the cylinder"] {
        let statement = StatementInput {
            workflow_id: Some("oxygen-titration".into()),
            step_name: name.into(),
            performed_by: Some("rt".into()),
            ..StatementInput::default()
        };
        p.add_statement(&interview, &statement).unwrap();
    }
    let m = p.model().unwrap();
    let supported = m.statements.iter().find_map(|s| s.step_id.clone()).unwrap();
    let e = p.remove_step(&supported).unwrap_err();
    assert!(e.to_string().contains("comes from the interviews with"), "{e}");
    let generated = m.handoffs.iter().find(|h| h.generated).unwrap();
    let e = p.remove_handoff(&generated.id).unwrap_err();
    assert!(e.to_string().contains("order of interview statements"), "{e}");
}

#[test]
fn comments_are_pinned_resolved_counted_and_bundled() {
    let mut p = sample_project();
    let id = p
        .add_comment(&CommentInput {
            target: CommentTarget::Step,
            target_id: "o2-verify".into(),
            author_role_id: Some("rn".into()),
            text: "Who checks the flow meter at night?".into(),
        })
        .unwrap();
    let d = p.diagram("oxygen-titration", Which::CurrentState, Orientation::Horizontal).unwrap();
    let v = d.flow.nodes.iter().position(|n| n.id == "o2-verify").unwrap();
    let before = d.node_notes[v].open_comments;
    assert!(before >= 1);
    p.set_comment_resolved(&id, true).unwrap();
    let d = p.diagram("oxygen-titration", Which::CurrentState, Orientation::Horizontal).unwrap();
    assert_eq!(d.node_notes[v].open_comments, before - 1);
    let files = baton::bundle::render(&p.model().unwrap()).unwrap();
    let comments = String::from_utf8(files["comments.yaml"].clone()).unwrap();
    assert!(comments.contains("Who checks the flow meter at night?"), "{comments}");
    let e = p
        .add_comment(&CommentInput {
            target: CommentTarget::Step,
            target_id: "nope".into(),
            author_role_id: None,
            text: "x".into(),
        })
        .unwrap_err();
    assert!(e.to_string().contains("no step"), "{e}");
    p.remove_comment(&id).unwrap();
}

#[test]
fn a_drop_lands_in_the_lane_under_the_node_centre_in_either_orientation() {
    let mut p = sample_project();
    for orientation in [Orientation::Horizontal, Orientation::Vertical] {
        let d = p.diagram("oxygen-titration", Which::CurrentState, orientation).unwrap();
        let rn = d.geometry.lanes.iter().find(|l| l.id == "rn").unwrap().band;
        let v = d.flow.nodes.iter().position(|n| n.id == "o2-ack").unwrap();
        let rect = d.geometry.nodes[v].rect;
        // Drop it in the middle of the RN lane, at its current place along the flow.
        let (x, y) = match orientation {
            Orientation::Horizontal => (rect.x, rn.y + rn.height / 2.0 - rect.height / 2.0),
            Orientation::Vertical => (rn.x + rn.width / 2.0 - rect.width / 2.0, rect.y),
        };
        let drop = baton::diagram::drop_at(&d, "o2-ack", x, y).unwrap();
        assert_eq!(drop.lane.as_deref(), Some("rn"));
        p.move_steps(&[drop]).unwrap();
        let after = p.diagram("oxygen-titration", Which::CurrentState, orientation).unwrap();
        let moved = after.geometry.nodes[v].rect;
        let rn_after = after.geometry.lanes.iter().find(|l| l.id == "rn").unwrap().band;
        // Lanes above may grow or shrink; inside its lane the step stays where it was dropped.
        assert_eq!(
            (moved.x - rn_after.x, moved.y - rn_after.y),
            ((x - rn.x).round(), (y - rn.y).round()),
            "{orientation:?}"
        );
        p.undo().unwrap();
    }
}
