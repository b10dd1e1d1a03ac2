//! Layout speed: `cargo bench --bench layout`. The goal is a 500-step, 12-lane workflow in under
//! 50 ms.

use baton::layout::{Orientation, generate, layout};

fn main() {
    divan::main();
}

#[divan::bench(args = [100, 500, 2000])]
fn horizontal(bencher: divan::Bencher, steps: usize) {
    let flow = generate::flow(steps, 12, 7);
    bencher.bench(|| layout(divan::black_box(&flow), Orientation::Horizontal));
}

#[divan::bench(args = [500])]
fn vertical(bencher: divan::Bencher, steps: usize) {
    let flow = generate::flow(steps, 12, 7);
    bencher.bench(|| layout(divan::black_box(&flow), Orientation::Vertical));
}
