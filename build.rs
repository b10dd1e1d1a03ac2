//! Rebuilds the core when the embedded sample engagement or templates change.

fn main() {
    println!("cargo:rerun-if-changed=sample-projects/respiratory-network");
    println!("cargo:rerun-if-changed=templates");
}
