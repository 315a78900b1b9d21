//! Writes the fixed inputs of the binding tests and benchmarks into a directory:
//! `cargo run -p certqr-ffi --example fixtures -- DIR`. See `support/mod.rs` for what
//! each file holds; `DIR/fixtures.json` names them with the time to verify at.

use std::error::Error;
use std::path::PathBuf;

mod support;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: fixtures DIR")?;
    support::write_all(&dir)?;
    println!("fixtures written to {}", dir.display());
    Ok(())
}
