//! The `certqr` command.
fn main() {}
