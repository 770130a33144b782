//! Maintainers' entry point.
fn main() {}
