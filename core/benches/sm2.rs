//! SM2 (GB/T 32918) against Ed25519, measured in the same run: verifying QR text with an
//! SM2 issuer, the bare SM2 signature check, and issuing with an SM2 key, each against the
//! same operation with an Ed25519 key.
//!
//! `cargo bench -p certqr-core --no-default-features --bench sm2` prints criterion's
//! figures, then a summary with the SM2 / Ed25519 ratios.

#![allow(clippy::expect_used)] // fixed inputs: a failure here is a broken benchmark

use std::hint::black_box;

use certqr_core::catalog::Family;
use certqr_core::keys::Algorithm;
use certqr_core::samples;
use criterion::Criterion;
use time::macros::date;

mod support;
use support::{median, timed, Case};

fn main() {
    let certificate =
        samples::certificate(Family::SpecialOperations, date!(2024 - 06 - 01)).expect("sample");
    let mut criterion = Criterion::default().configure_from_args();
    for algorithm in [Algorithm::Ed25519, Algorithm::Sm2] {
        let case = Case::new(algorithm);
        let name = algorithm.name();
        criterion.bench_function(&format!("{name}: verify QR text"), |b| {
            b.iter_custom(|n| {
                timed(&format!("{name} verify"), n, || {
                    black_box(case.verifier.verify(black_box(&case.qr_text), support::NOW));
                })
            })
        });
        criterion.bench_function(&format!("{name}: bare signature check"), |b| {
            b.iter_custom(|n| {
                timed(&format!("{name} signature"), n, || {
                    black_box(
                        case.public_key
                            .verify(black_box(&case.signed_data), &case.signature),
                    )
                    .ok();
                })
            })
        });
        criterion.bench_function(&format!("{name}: issue"), |b| {
            b.iter_custom(|n| {
                timed(&format!("{name} issue"), n, || {
                    black_box(case.issuer.issue(black_box(&certificate))).ok();
                })
            })
        });
    }
    criterion.final_summary();

    println!();
    println!("summary (median per call over criterion's samples, this run):");
    println!("                         Ed25519        SM2   SM2 / Ed25519");
    for (label, operation) in [
        ("verify QR text", "verify"),
        ("bare signature check", "signature"),
        ("issue", "issue"),
    ] {
        let ed25519 = median(&format!("Ed25519 {operation}"));
        let sm2 = median(&format!("SM2 {operation}"));
        println!(
            "  {label:<20} {:8.2} µs {:8.2} µs {:8.2}",
            ed25519 * 1e6,
            sm2 * 1e6,
            sm2 / ed25519
        );
    }
}
