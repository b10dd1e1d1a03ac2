//! The process map of an imported log: computed from the stored aggregates, narrowed by the
//! sliders and the facility, marked where the current-state map disagrees, drawn as SVG and PNG.

use baton::diagram::process_map::{Disagreement, MapOptions, Measure, process_map, render_svg};
use baton::layout::NodeKind;

use super::sample_project;

fn sample_map(options: &MapOptions) -> baton::diagram::process_map::ProcessMap {
    let m = sample_project().model().unwrap();
    let log = m.logs.first().expect("the sample has an event log");
    process_map(&m, &log.id, options).unwrap()
}

#[test]
fn the_map_shows_every_activity_and_path_with_counts_that_add_up() {
    let map = sample_map(&MapOptions::default());
    let m = sample_project().model().unwrap();
    let log = &m.logs[0];
    let activities: std::collections::BTreeSet<&str> =
        log.activities.iter().map(|a| a.activity.as_str()).collect();
    assert_eq!(map.activities_total, activities.len());
    assert_eq!(map.activities_shown, activities.len(), "a small log shows every activity by default");
    // Every activity box counts its events over every facility.
    for (node, spec) in map.nodes.iter().zip(&map.flow.nodes) {
        if spec.kind != NodeKind::Task {
            continue;
        }
        let events: i64 =
            log.activities.iter().filter(|a| a.activity == node.activity).map(|a| a.events).sum();
        assert_eq!(node.count, events, "{}", node.activity);
        assert!(spec.label.contains(&node.activity));
    }
    // Paths out of Start count every case; the log's paths keep their counts.
    let starts: i64 = map
        .flow
        .edges
        .iter()
        .zip(&map.edges)
        .filter(|(s, _)| map.flow.nodes[s.from].kind == NodeKind::Start)
        .map(|(_, e)| e.count)
        .sum();
    assert_eq!(starts, log.cases);
    assert_eq!(map.cases, log.cases);
    let logged: i64 = log.edges.iter().map(|e| e.count).sum();
    let drawn: i64 = map
        .flow
        .edges
        .iter()
        .zip(&map.edges)
        .filter(|(s, e)| {
            map.flow.nodes[s.from].kind == NodeKind::Task
                && map.flow.nodes[s.to].kind == NodeKind::Task
                && e.disagreement != Some(Disagreement::Unobserved)
        })
        .map(|(_, e)| e.count)
        .sum();
    assert_eq!(drawn, logged, "every path of the log is drawn once, facilities summed");
    // The busiest path is the thickest.
    let busiest = map.edges.iter().max_by_key(|e| e.count).unwrap();
    assert!((busiest.weight - 1.0).abs() < 1e-9);
}

#[test]
fn disagreements_with_the_current_state_map_are_marked_and_name_their_findings() {
    let map = sample_map(&MapOptions::default());
    let m = sample_project().model().unwrap();
    let found =
        baton::findings::analyze(&m, &Default::default(), &baton::progress::Progress::none()).unwrap();
    let label = |i: usize| map.nodes[i].activity.clone();
    let undocumented: Vec<_> = map
        .flow
        .edges
        .iter()
        .zip(&map.edges)
        .filter(|(_, e)| e.disagreement == Some(Disagreement::Undocumented))
        .collect();
    assert_eq!(undocumented.len(), 1, "{undocumented:?}");
    let (spec, edge) = undocumented[0];
    assert_eq!(
        (label(spec.from).as_str(), label(spec.to).as_str()),
        ("Chart assessment in flowsheet", "Review and co-sign assessment")
    );
    let finding = found.iter().find(|f| Some(&f.id) == edge.finding.as_ref()).unwrap();
    assert_eq!(finding.kind, baton::findings::FindingKind::UndocumentedTransition);
    let unobserved: Vec<_> = map
        .flow
        .edges
        .iter()
        .zip(&map.edges)
        .filter(|(_, e)| e.disagreement == Some(Disagreement::Unobserved))
        .collect();
    assert_eq!(unobserved.len(), 1);
    assert_eq!(unobserved[0].1.count, 0);
    let finding = found.iter().find(|f| Some(&f.id) == unobserved[0].1.finding.as_ref()).unwrap();
    assert_eq!(finding.kind, baton::findings::FindingKind::UnobservedTransition);
    let svg = render_svg(&map);
    assert!(svg.contains("stroke-dasharray=\"6 4\""), "the unobserved path is dashed");
    assert!(svg.contains("In the log, not in the current-state map"));
}

#[test]
fn sliders_keep_the_most_frequent_activities_and_paths_and_no_activity_is_stranded() {
    let full = sample_map(&MapOptions::default());
    let none = sample_map(&MapOptions { activities: Some(0.0), ..MapOptions::default() });
    assert_eq!(none.activities_shown, 0);
    assert_eq!(none.flow.nodes.len(), 2, "only the start and the end are left");
    let half = sample_map(&MapOptions { activities: Some(0.5), ..MapOptions::default() });
    let kept: Vec<i64> = half.nodes.iter().filter(|n| !n.activity.is_empty()).map(|n| n.count).collect();
    let least_kept = kept.iter().min().copied().unwrap();
    let hidden_max = full
        .nodes
        .iter()
        .filter(|n| !n.activity.is_empty() && !half.nodes.iter().any(|k| k.activity == n.activity))
        .map(|n| n.count)
        .max()
        .unwrap();
    assert!(least_kept >= hidden_max, "the activities kept are the most frequent");
    let few = sample_map(&MapOptions { paths: Some(0.0), ..MapOptions::default() });
    assert!(few.paths_shown < full.paths_shown);
    for (i, spec) in few.flow.nodes.iter().enumerate() {
        if spec.kind != NodeKind::Task {
            continue;
        }
        assert!(few.flow.edges.iter().any(|e| e.to == i), "{} keeps a way in", spec.label);
        assert!(few.flow.edges.iter().any(|e| e.from == i), "{} keeps a way out", spec.label);
    }
}

#[test]
fn a_facility_narrows_the_counts_and_performance_shows_waits() {
    let m = sample_project().model().unwrap();
    let log = &m.logs[0];
    let facility = log.activities.iter().map(|a| a.facility.clone()).find(|f| !f.is_empty()).unwrap();
    let map = sample_map(&MapOptions { facility: Some(facility.clone()), ..MapOptions::default() });
    let starts: i64 = log.activities.iter().filter(|a| a.facility == facility).map(|a| a.starts).sum();
    assert_eq!(map.cases, starts);
    assert!(map.cases < log.cases);
    let name = &m.facilities.iter().find(|f| f.id == facility).unwrap().name;
    assert!(map.subtitle.starts_with(name.as_str()), "{}", map.subtitle);
    let slow = sample_map(&MapOptions { measure: Measure::Performance, ..MapOptions::default() });
    let labels: Vec<&str> = slow.flow.edges.iter().map(|e| e.label.as_str()).collect();
    assert!(labels.iter().any(|l| l.contains("min") || l.contains('h')), "{labels:?}");
    let err =
        process_map(&m, &log.id, &MapOptions { facility: Some("nowhere".into()), ..MapOptions::default() })
            .unwrap_err();
    assert!(err.to_string().contains("nowhere"));
}

#[test]
fn variants_know_the_paths_they_follow() {
    let map = sample_map(&MapOptions::default());
    let first = &map.variants[0];
    assert!(first.complete);
    assert_eq!(first.edges.len(), first.activities.len() + 1, "start, each step, end");
    for id in &first.edges {
        assert!(map.flow.edges.iter().any(|e| &e.id == id));
    }
}

#[test]
fn discover_draws_the_same_map_as_svg_and_png() {
    let dir = tempfile::tempdir().unwrap();
    let log = super::sample().join("inputs/respiratory-log.csv");
    for name in ["map.svg", "map.png"] {
        let out = dir.path().join(name);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
            .arg("discover")
            .arg(&log)
            .args([
                "--case",
                "Encounter",
                "--activity",
                "Step",
                "--timestamp",
                "Performed At",
                "--role",
                "Role",
            ])
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        let bytes = std::fs::read(&out).unwrap();
        if name.ends_with(".svg") {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(svg.contains("respiratory-log.csv") && svg.contains("data-activity"));
        } else {
            assert_eq!(&bytes[1..4], b"PNG");
        }
    }
}
