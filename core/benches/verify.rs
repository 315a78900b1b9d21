//! Verifying and issuing, against a bare Ed25519 `verify_strict` measured in the same run.
//!
//! `cargo bench -p certqr-core --bench verify` prints criterion's figures, then a summary
//! with the ratio of verifying QR text to the bare signature check (target: at most 1.3)
//! and certificates issued per second on one core (target: 20,000 or more).

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
    let Case {
        verifier,
        issuer,
        public_key,
        qr_text,
        signed_data,
        signature,
    } = Case::new(Algorithm::Ed25519);
    let certificate =
        samples::certificate(Family::SpecialOperations, date!(2024 - 06 - 01)).expect("sample");
    let now = support::NOW;

    // The baseline: the same signature over the same bytes, checked by ed25519-dalek alone.
    let dalek_key = ed25519_dalek::VerifyingKey::from_bytes(
        &public_key.to_bytes().try_into().expect("32 bytes"),
    )
    .expect("valid key");
    let signature = ed25519_dalek::Signature::from_slice(&signature).expect("64 bytes");

    let mut criterion = Criterion::default().configure_from_args();
    criterion.bench_function("verify QR text", |b| {
        b.iter_custom(|n| {
            timed("verify", n, || {
                black_box(verifier.verify(black_box(&qr_text), now));
            })
        })
    });
    criterion.bench_function("ed25519-dalek verify_strict (baseline)", |b| {
        b.iter_custom(|n| {
            timed("baseline", n, || {
                black_box(dalek_key.verify_strict(black_box(&signed_data), &signature)).ok();
            })
        })
    });
    criterion.bench_function("issue (check, sign, encode to text)", |b| {
        b.iter_custom(|n| {
            timed("issue", n, || {
                black_box(issuer.issue(black_box(&certificate))).ok();
            })
        })
    });
    criterion.final_summary();

    let (verify, baseline, issue) = (median("verify"), median("baseline"), median("issue"));
    println!();
    println!("summary (median per call over criterion's samples, this run):");
    println!("  verify QR text:              {:8.2} µs", verify * 1e6);
    println!("  bare verify_strict baseline: {:8.2} µs", baseline * 1e6);
    println!(
        "  ratio verify / baseline:     {:8.3}  (target <= 1.3)",
        verify / baseline
    );
    println!(
        "  issuing, one core:           {:8.0} certificates/s  (target >= 20000)",
        1.0 / issue
    );
}
