//! What the benchmarks share: criterion's samples kept per benchmark, so each can print
//! a median and a ratio against a baseline measured in the same run.

// Each benchmark uses part of this module.
#![allow(dead_code, clippy::expect_used)]

use std::sync::Mutex;
use std::time::{Duration, Instant};

use certqr_core::catalog::Family;
use certqr_core::cose;
use certqr_core::issue::Issuer;
use certqr_core::keys::{Algorithm, PublicKey, SigningKey};
use certqr_core::samples;
use certqr_core::text;
use certqr_core::verify::{Status, Verifier};
use time::macros::{date, datetime};
use time::OffsetDateTime;

/// The instant the benchmarks verify at.
pub const NOW: OffsetDateTime = datetime!(2025-02-01 9:00 +8);

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

/// A verifier trusting one issuer, a QR text it signed, and that text's signature.
pub struct Case {
    pub issuer: Issuer,
    pub public_key: PublicKey,
    pub verifier: Verifier,
    pub qr_text: String,
    pub signed_data: Vec<u8>,
    pub signature: Vec<u8>,
}

impl Case {
    /// A fixed root and issuer of `algorithm`, a trust list, and a special operations
    /// certificate the issuer signed, checked valid at [`NOW`].
    pub fn new(algorithm: Algorithm) -> Case {
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
}
