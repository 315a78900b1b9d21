//! Times the bindings' calls from Rust, the baseline of the Python and Kotlin timings:
//! `cargo run --release -p certqr-ffi --example bench`. Prints one line per call,
//! `name microseconds-per-call iterations`, for `ffi/bench.sh` to compare.
//!
//! The calls are `certqr_ffi::Verifier`'s own, on the inputs the other languages read
//! from `examples/fixtures.rs`: verifying the sample certificate's QR text, and
//! scanning (and verifying) the 1280x720 frame that shows it, borrowed as the bindings
//! pass it (no copy per call).

use std::error::Error;
use std::hint::black_box;
use std::time::Instant;

use certqr_ffi::{VerdictStatus, Verifier};

// Shared with the fixtures example and the tests; this uses part of it.
#[allow(dead_code)]
mod support;

/// Runs `call` `iterations` times after one warm-up call; microseconds per call.
fn time_per_call(
    iterations: u32,
    mut call: impl FnMut() -> Result<(), Box<dyn Error>>,
) -> Result<f64, Box<dyn Error>> {
    call()?;
    let start = Instant::now();
    for _ in 0..iterations {
        call()?;
    }
    Ok(start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations))
}

fn main() -> Result<(), Box<dyn Error>> {
    let state = tempfile::tempdir()?;
    let verifier = Verifier::new(
        vec![support::root_key().public_key().to_pem()],
        state.path().to_string_lossy().into_owned(),
    )?;
    verifier.install_trust_list(support::trust_list(1, &support::root_key())?)?;
    let now = support::NOW.unix_timestamp();
    let text = support::certificate_text()?;
    let frame = support::frame(&text)?;

    let verify = time_per_call(5000, || {
        let verdict = verifier.verify(black_box(text.clone()), now)?;
        if verdict.status != VerdictStatus::Valid {
            return Err("the sample certificate did not verify".into());
        }
        Ok(())
    })?;
    println!("verify {verify:.2} 5000");
    let scan = time_per_call(30, || {
        let found = verifier.scan_frame(
            black_box(&frame),
            support::FRAME_WIDTH,
            support::FRAME_HEIGHT,
            support::FRAME_ROW_STRIDE,
            now,
        )?;
        if found.len() != 1 {
            return Err(format!("{} codes found in the frame, not 1", found.len()).into());
        }
        Ok(())
    })?;
    println!("scan_frame {scan:.2} 30");
    Ok(())
}
