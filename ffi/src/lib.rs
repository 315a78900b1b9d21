//! certqr-ffi: certqr for Kotlin, Swift and Python apps, through uniffi.
//!
//! A thin layer over `certqr-core` (the uniffi namespace is `certqr`): a [`Verifier`]
//! for inspection apps (pinned root keys, a trust list, a state directory; verdicts
//! from QR text, camera frames and photos) and an [`Issuer`] for back offices (sign a
//! certificate, draw its code). Records carry the verdict to the app; every failure is
//! one [`CertqrError`] variant. The certificate logic is all in core; what is here
//! converts types, reads the state directory and maps errors.
//!
//! Conventions across the boundary: root public keys are PEM text (`PUBLIC KEY`, as
//! `certqr keygen` writes); signing keys PKCS#8 PEM or a 32-byte seed; the time is an
//! `i64` of Unix seconds the app reads from its clock once per call; dates are
//! `"YYYY-MM-DD"`; every number is signed (`i32`, `i64`: Java has no unsigned types,
//! and Kotlin's unsigned ones mangle the JVM names Java would call), ranges are checked
//! here; byte arrays are copied in, except a camera frame's plane, which
//! [`Verifier::scan_frame`] borrows for the call. No call is async: run scans off the UI
//! thread.
//!
//! The same calls from Rust:
//!
//! ```
//! use certqr_core::catalog::Family;
//! use certqr_core::keys::{Algorithm, SigningKey};
//! use certqr_core::samples;
//! use certqr_ffi::{CertificateData, Issuer, Sex, Verifier, VerdictStatus};
//! use time::macros::{date, datetime};
//!
//! // The root authority signs a trust list naming the issuer's key (in an app, the
//! // list comes from a file or a download, the root key is built in).
//! let root = SigningKey::from_seed(Algorithm::Ed25519, &[1; 32]);
//! let issuer = Issuer::from_seed(certqr_ffi::Algorithm::Ed25519, vec![2; 32])?;
//! let issuer_key = certqr_core::keys::PublicKey::from_pem(&issuer.public_key_pem())?;
//! let entry = samples::issuer(
//!     issuer_key,
//!     "江苏省应急管理厅",
//!     "Jiangsu Provincial Department of Emergency Management",
//!     320000,
//!     &[Family::SpecialOperations],
//!     date!(2024 - 01 - 01),
//! );
//! let trust_list = samples::trust_list(1, datetime!(2025-01-01 0:00 UTC), vec![entry]);
//! let signed_trust_list = trust_list.sign(&root)?;
//!
//! // The back office issues a special operations certificate.
//! let qr_text = issuer.issue(CertificateData {
//!     family: "special-operations".into(),
//!     item: "1.1".into(),
//!     holder_name: "张建国".into(),
//!     sex: Sex::Male,
//!     id_number: "32010219850612123X".into(),
//!     number: "T32010219850612123X".into(),
//!     first_issued: "2024-06-01".into(),
//!     valid_from: "2024-06-01".into(),
//!     valid_until: "2030-05-31".into(),
//!     review_due: Some("2027-06-01".into()),
//! })?;
//!
//! // The inspector's app: root key and state directory, then the trust list.
//! let state = tempfile::tempdir()?;
//! let verifier = Verifier::new(
//!     vec![root.public_key().to_pem()],
//!     state.path().to_string_lossy().into_owned(),
//! )?;
//! verifier.install_trust_list(signed_trust_list)?;
//! let now = datetime!(2025-02-01 9:00 +8).unix_timestamp();
//! let verdict = verifier.verify(qr_text, now)?;
//! assert_eq!(verdict.status, VerdictStatus::Valid);
//! let fields = verdict.certificate.unwrap();
//! assert!(fields.verified);
//! assert_eq!(fields.id_number, "3201**********123X");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

uniffi::setup_scaffolding!("certqr");

mod error;
mod issuer;
mod verdict;
mod verifier;

pub use certqr_store::{REVOCATION_LIST_FILE, STATE_FILE, TRUST_LIST_FILE};
pub use error::CertqrError;
pub use issuer::{Algorithm, CertificateData, Issuer};
pub use verdict::{
    CertificateFields, IssuerFields, ListInfo, Point, Reason, ScannedCode, Sex, Verdict,
    VerdictStatus, Warning,
};
pub use verifier::Verifier;

/// A list sequence as it crosses the boundary: signed (Java has no unsigned types, and
/// Kotlin's mangle the names Java would call), saturated at `i64::MAX`.
fn signed_sequence(sequence: u64) -> i64 {
    i64::try_from(sequence).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
