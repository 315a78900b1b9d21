//! SM2 (GB/T 32918) against Ed25519, measured in the same run: verifying QR text with an
//! SM2 issuer, the bare SM2 signature check, and issuing with an SM2 key, each against the
//! same operation with an Ed25519 key.
//!
//! `cargo bench -p certqr-core --no-default-features --bench sm2` prints criterion's
//! figures, then a summary with the SM2 / Ed25519 ratios.

#![allow(clippy::expect_used)] // fixed inputs: a failure here is a broken benchmark

use std::hint::black_box;

use certqr_core::catalog::Family;
use certqr_core::cose;
use certqr_core::issue::Issuer;
use certqr_core::keys::{Algorithm, PublicKey, SigningKey};
use certqr_core::samples;
use certqr_core::text;
use certqr_core::verify::{Status, Verifier};
use criterion::Criterion;
use time::macros::{date, datetime};

mod support;
use support::{median, timed};

/// A verifier trusting `issuer_key`, and a QR text it signed.
struct Case {
    issuer: Issuer,
    public_key: PublicKey,
    verifier: Verifier,
    qr_text: String,
    signed_data: Vec<u8>,
    signature: Vec<u8>,
}

fn case(algorithm: Algorithm) -> Case {
    let root = SigningKey::from_seed(algorithm, &[1; 32]);
    let issuer_key = SigningKey::from_seed(algorithm, &[2; 32]);
    let entry = samples::issuer(
        issuer_key.public_key(),
        "江苏省应急管理厅",
        "Jiangsu Provincial Department of Emergency Management",
        320_000,
        &[Family::SpecialOperations],
        date!(2024 - 01 - 01),
    );
    let list = samples::trust_list(1, datetime!(2025-01-01 0:00 UTC), vec![entry]);
    let mut verifier = Verifier::new(vec![root.public_key()]);
    verifier
        .install_trust_list(&list.sign(&root).expect("sample trust list signs"))
        .expect("sample trust list installs");
    let certificate =
        samples::certificate(Family::SpecialOperations, date!(2024 - 06 - 01)).expect("sample");
    let issuer = Issuer::new(issuer_key.clone());
    let qr_text = issuer.issue(&certificate).expect("sample issues");
    assert_eq!(verifier.verify(&qr_text, NOW).status, Status::Valid);
    let message = cose::parse(&text::decode(&qr_text).expect("decodes")).expect("parses");
    Case {
        issuer,
        public_key: issuer_key.public_key(),
        verifier,
        qr_text,
        signed_data: message.signed_data(),
        signature: message.signature,
    }
}

const NOW: time::OffsetDateTime = datetime!(2025-02-01 9:00 +8);

fn main() {
    let certificate =
        samples::certificate(Family::SpecialOperations, date!(2024 - 06 - 01)).expect("sample");
    let mut criterion = Criterion::default().configure_from_args();
    for algorithm in [Algorithm::Ed25519, Algorithm::Sm2] {
        let case = case(algorithm);
        let name = algorithm.name();
        criterion.bench_function(&format!("{name}: verify QR text"), |b| {
            b.iter_custom(|n| {
                timed(&format!("{name} verify"), n, || {
                    black_box(case.verifier.verify(black_box(&case.qr_text), NOW));
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
