//! How long the home screen's view takes (`baton::views::project::project`, what the app asks for
//! after every edit): `scripts/bench-views.sh`, or `cargo bench --bench views` with
//! BATON_VIEWS_PROJECTS set to `.baton` files separated by `:` (the script makes the sample and a
//! project with a 1 M-event log imported).

// A benchmark stops at the first failure, like a test.
#![allow(clippy::unwrap_used)]

use baton::Project;

fn main() {
    divan::main();
}

fn projects() -> Vec<String> {
    std::env::var("BATON_VIEWS_PROJECTS")
        .unwrap_or_default()
        .split(':')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The home view of each project named in BATON_VIEWS_PROJECTS.
#[divan::bench(args = projects())]
fn home(bencher: divan::Bencher, path: &str) {
    let project = Project::open(std::path::Path::new(path)).unwrap();
    bencher.bench_local(|| baton::views::project::project(divan::black_box(&project)).unwrap());
}

/// The finding counts the home screen asks for apart (the whole analysis).
#[divan::bench(args = projects())]
fn finding_counts(bencher: divan::Bencher, path: &str) {
    let project = Project::open(std::path::Path::new(path)).unwrap();
    bencher.bench_local(|| {
        let m = project.model().unwrap();
        baton::views::findings::counts(&m, &baton::progress::Progress::none()).unwrap()
    });
}

/// The EMR data screen's process map of each project's largest log, as it opens (the model read,
/// the findings analysed for its marks, the map laid out): the default sliders.
#[divan::bench(args = projects())]
fn process_map(bencher: divan::Bencher, path: &str) {
    let project = Project::open(std::path::Path::new(path)).unwrap();
    let largest =
        project.model().unwrap().logs.iter().max_by_key(|l| l.events).map(|l| l.id.clone()).unwrap();
    bencher.bench_local(|| {
        let m = project.model().unwrap();
        baton::views::emr::process_map(&m, &largest, &Default::default()).unwrap()
    });
}
