//! Revocation lists at national scale: 10 million random entries.
//!
//! `cargo bench -p certqr-core --bench revocation` prints criterion's figures for lookups
//! (a hit, a miss, and a `std::collections::HashSet<u64>` holding the same entries as the
//! baseline, measured in the same run), then a summary: bytes per entry of the signed
//! list, the time to build and sign it, to load it (signature check and validation), and
//! to verify and apply a delta, each the median of a few runs, against the targets
//! (at most 10 bytes an entry, lookups at most 1 µs, loading at most 1 s).

#![allow(clippy::expect_used)] // fixed inputs: a failure here is a broken benchmark

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

use certqr_core::keys::{Algorithm, SigningKey};
use certqr_core::revocation::{Entry, RevocationDelta, RevocationList};
use criterion::Criterion;
use time::macros::datetime;

mod support;
use support::{median, median_of, timed};

/// Entries in the benchmark list.
const ENTRIES: usize = 10_000_000;
/// Entries a delta adds, and removes.
const DELTA_ADDED: usize = 10_000;
const DELTA_REMOVED: usize = 1_000;
/// Distinct keys each lookup benchmark cycles through (so caches see random accesses).
const PROBES: usize = 1 << 20;
/// Runs of each slow step; the median is reported.
const RUNS: usize = 5;

/// The median wall time of `RUNS` calls of `step`, and its last result.
fn slow<T>(mut step: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let result = black_box(step());
        times.push(start.elapsed().as_secs_f64());
        last = Some(result);
    }
    (median_of(times), last.expect("RUNS > 0"))
}

/// SplitMix64: fast, deterministic, and uniform enough to stand for truncated hashes.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn entry(&mut self) -> Entry {
        Entry(self.next().to_be_bytes())
    }
}

fn main() {
    let root = SigningKey::from_seed(Algorithm::Ed25519, &[1; 32]);
    let roots = [root.public_key()];
    let issued_at = datetime!(2025-06-01 0:00 UTC);
    let expires_at = datetime!(2025-06-08 0:00 UTC);
    let mut random = SplitMix(2025);
    let entries: Vec<Entry> = (0..ENTRIES).map(|_| random.entry()).collect();

    let (build, list) = slow(|| {
        RevocationList::new(1, issued_at, expires_at, entries.iter().copied()).expect("builds")
    });
    let (sign, signed) = slow(|| list.sign(&root).expect("signs"));
    let bytes_per_entry = signed.len() as f64 / list.len() as f64;
    let (load, loaded) = slow(|| RevocationList::from_signed(&signed, &roots).expect("loads"));
    assert_eq!(loaded, list);

    // A delta: entries added, and some of the list's removed.
    let added: Vec<Entry> = (0..DELTA_ADDED).map(|_| random.entry()).collect();
    let removed: Vec<Entry> = entries
        .iter()
        .step_by(ENTRIES / DELTA_REMOVED)
        .copied()
        .collect();
    let delta = RevocationDelta::new(
        1,
        issued_at + time::Duration::hours(1),
        expires_at + time::Duration::hours(1),
        added.iter().copied(),
        removed.iter().copied(),
    )
    .expect("delta builds");
    let signed_delta = delta.sign(&root).expect("delta signs");
    let (delta_apply, updated) = slow(|| {
        let delta = RevocationDelta::from_signed(&signed_delta, &roots).expect("delta loads");
        loaded.apply(&delta).expect("delta applies")
    });
    assert_eq!(updated.len(), ENTRIES + DELTA_ADDED - DELTA_REMOVED);
    assert!(added.iter().all(|entry| updated.contains(*entry)));
    assert!(!removed.iter().any(|entry| updated.contains(*entry)));
    drop(updated);

    // Lookups of keys spread over the whole list: hits are listed entries, misses fresh
    // random keys (a miss by accident has odds of 10^7 / 2^64).
    let hits: Vec<Entry> = (0..PROBES)
        .map(|_| {
            let index = usize::try_from(random.next() % ENTRIES as u64).expect("fits");
            *entries.get(index).expect("in range")
        })
        .collect();
    let misses: Vec<Entry> = (0..PROBES).map(|_| random.entry()).collect();
    assert!(hits.iter().all(|entry| loaded.contains(*entry)));
    assert!(!misses.iter().any(|entry| loaded.contains(*entry)));
    let hash_set: HashSet<u64> = entries
        .iter()
        .map(|entry| u64::from_be_bytes(entry.0))
        .collect();
    drop(entries);

    let mut criterion = Criterion::default().configure_from_args();
    let mut cycle = 0usize;
    let mut next_probe = |probes: &[Entry]| {
        cycle = (cycle + 1) & (PROBES - 1);
        *probes.get(cycle).expect("in range")
    };
    criterion.bench_function("revocation lookup, listed entry", |b| {
        b.iter_custom(|n| {
            timed("hit", n, || {
                black_box(loaded.contains(black_box(next_probe(&hits))));
            })
        })
    });
    criterion.bench_function("revocation lookup, entry not listed", |b| {
        b.iter_custom(|n| {
            timed("miss", n, || {
                black_box(loaded.contains(black_box(next_probe(&misses))));
            })
        })
    });
    criterion.bench_function("HashSet<u64> lookup, listed entry (baseline)", |b| {
        b.iter_custom(|n| {
            timed("baseline", n, || {
                let probe = u64::from_be_bytes(next_probe(&hits).0);
                black_box(hash_set.contains(black_box(&probe)));
            })
        })
    });
    criterion.final_summary();

    let (hit, miss, baseline) = (median("hit"), median("miss"), median("baseline"));
    println!();
    println!(
        "summary: {ENTRIES} random entries (median of {RUNS} runs for the slow steps; \
         lookups: median per call over criterion's samples, this run)"
    );
    println!(
        "  signed list:                      {} bytes, {bytes_per_entry:.4} bytes/entry  (target <= 10)",
        signed.len()
    );
    println!("  build (sort, deduplicate, index): {:8.1} ms", build * 1e3);
    println!("  sign (encode, Ed25519):           {:8.1} ms", sign * 1e3);
    println!(
        "  load (signature check, validate): {:8.1} ms  (target <= 1000)",
        load * 1e3
    );
    println!(
        "  delta +{DELTA_ADDED} -{DELTA_REMOVED}: verify and apply: {:8.1} ms ({} bytes signed)",
        delta_apply * 1e3,
        signed_delta.len()
    );
    println!(
        "  lookup, listed entry:             {:8.1} ns  (target <= 1000)",
        hit * 1e9
    );
    println!("  lookup, entry not listed:         {:8.1} ns", miss * 1e9);
    println!(
        "  HashSet<u64> baseline, listed:    {:8.1} ns  (memory: ~{} MB against the list's ~{} MB)",
        baseline * 1e9,
        hash_set.capacity() * 9 / 1_000_000,
        ENTRIES * 17 / 2 / 1_000_000
    );
    println!(
        "  ratio lookup / HashSet baseline:  {:8.3} (listed), {:.3} (not listed)",
        hit / baseline,
        miss / baseline
    );
}
