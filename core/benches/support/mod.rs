//! What the benchmarks share: criterion's samples kept per benchmark, so each can print
//! a median and a ratio against a baseline measured in the same run.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Per-iteration times of every sample criterion took, by benchmark name.
static SAMPLES: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

/// Run `routine` `iterations` times (for criterion's `iter_custom`), recording the
/// per-iteration time under `name`.
pub fn timed(name: &str, iterations: u64, mut routine: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iterations {
        routine();
    }
    let elapsed = start.elapsed();
    if let Ok(mut samples) = SAMPLES.lock() {
        samples.push((
            name.to_owned(),
            elapsed.as_secs_f64() / iterations.max(1) as f64,
        ));
    }
    elapsed
}

/// The median of `times` (NaN when empty).
pub fn median_of(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The median per-iteration time recorded under `name`, in seconds.
pub fn median(name: &str) -> f64 {
    median_of(
        SAMPLES
            .lock()
            .map(|samples| {
                samples
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, t)| *t)
                    .collect()
            })
            .unwrap_or_default(),
    )
}
