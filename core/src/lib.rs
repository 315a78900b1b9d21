//! certqr-core: certificates that carry their own proof.
//!
//! Issuing authorities sign a Chinese safety certificate's data (special operations,
//! special equipment, safety management and construction certificates) into a compact
//! QR code; inspectors verify it offline against a trust list that a pinned root key
//! signs, and get a verdict that says exactly why. No website is trusted.
//!
//! ```
//! use certqr_core::catalog::Family;
//! use certqr_core::{samples, text};
//! use certqr_core::{Algorithm, Issuer, SigningKey, Status, Verifier};
//! use time::macros::{date, datetime};
//!
//! // Keys come from the caller's randomness; fixed seeds only for this example.
//! let root = SigningKey::from_seed(Algorithm::Ed25519, &[1; 32]);
//! let issuer_key = SigningKey::from_seed(Algorithm::Ed25519, &[2; 32]);
//!
//! // The root authority vouches for a provincial emergency management department,
//! // whose official web domain it names (the samples feature builds the entry).
//! let mut issuer_entry = samples::issuer(
//!     issuer_key.public_key(),
//!     "江苏省应急管理厅",
//!     "Jiangsu Provincial Department of Emergency Management",
//!     320000,
//!     &[Family::SpecialOperations],
//!     date!(2024 - 01 - 01),
//! );
//! issuer_entry.domains = vec!["ajj.jiangsu.gov.cn".into()];
//! let trust_list = samples::trust_list(1, datetime!(2025-01-01 0:00 UTC), vec![issuer_entry]);
//! let signed_trust_list = trust_list.sign(&root)?;
//!
//! // The department issues a special operations certificate (特种作业操作证).
//! let certificate = samples::certificate(Family::SpecialOperations, date!(2024 - 06 - 01)).unwrap();
//! let issuer = Issuer::new(issuer_key);
//! let qr_text = issuer.issue(&certificate)?;
//! assert!(qr_text.starts_with("CQ1:"));
//!
//! // An inspector's app pins the root key, installs the trust list and verifies.
//! let mut verifier = Verifier::new(vec![root.public_key()]);
//! verifier.install_trust_list(&signed_trust_list)?;
//! let now = datetime!(2025-02-01 9:00 +8);
//! let verdict = verifier.verify(&qr_text, now);
//! assert_eq!(verdict.status, Status::Valid);
//! assert_eq!(verdict.summary_en(), "valid certificate, verified");
//! let fields = verdict.certificate.unwrap();
//! assert!(fields.verified && fields.authentic);
//! assert_eq!(fields.holder_name, "张建国");
//!
//! // A genuine card whose validity ended: authentic, but not verified. For an
//! // inspector that means renewal, not the police.
//! let mut lapsed = certificate.clone();
//! lapsed.valid_until = date!(2025 - 01 - 15);
//! lapsed.review_due = Some(date!(2025 - 01 - 15));
//! let verdict = verifier.verify(&issuer.issue(&lapsed)?, now);
//! assert_eq!(verdict.status, Status::Invalid);
//! assert_eq!(verdict.reasons[0].code(), "expired");
//! assert!(verdict.is_authentic());
//! assert!(!verdict.certificate.as_ref().unwrap().verified);
//! assert_eq!(verdict.summary_zh(), "真实证书，但已过期、逾期未复审");
//!
//! // Change one byte of the signed document: the signature no longer verifies.
//! let mut forged = text::decode(&qr_text)?;
//! let last = forged.len() - 70;
//! forged[last] ^= 1;
//! let verdict = verifier.verify(&text::encode(&forged), now);
//! assert_eq!(verdict.status, Status::Invalid);
//! assert_eq!(verdict.reasons[0].code(), "bad-signature");
//! assert!(!verdict.is_authentic());
//!
//! // A link to a look-alike "verification website" is reported as exactly that, with
//! // the official site it imitates as data.
//! let verdict = verifier.verify("https://ajj-jiangsu-gov.cn.example.com/check", now);
//! assert_eq!(verdict.status, Status::NotACertificate);
//! assert_eq!(verdict.reasons[0].code(), "look-alike-website");
//! assert_eq!(verdict.reasons[0].details().imitates.as_deref(), Some("ajj.jiangsu.gov.cn"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The main types are re-exported here; each lives in the module named after its
//! concept, leaves first: [`text`] (QR text: prefix and Base45), [`cbor`]
//! (deterministic CBOR), [`cose`] (COSE_Sign1 envelopes), [`keys`], [`id_number`],
//! [`name`] (the characters a name may hold), [`catalog`] and [`certificate`] (the data model), [`domain`] (host-name syntax),
//! [`trust`] (trust lists), [`revocation`] (revocation lists and deltas), [`state`]
//! (what a verifier remembers between runs), [`website`] (official and look-alike
//! web links), [`issue`] and [`verify`]. With the `samples` feature, [`samples`]
//! builds sample data for examples and tests.
//!
//! The library is sans I/O: time, randomness and file contents come in as arguments.
//! Drawing codes, reading them from pictures and keeping the verifier's state on disk
//! live in their own crates (`certqr-render`, `certqr-scan`, `certqr-store`).

pub mod catalog;
pub mod cbor;
pub mod certificate;
pub mod cose;
pub mod domain;
mod fields;
pub mod id_number;
pub mod issue;
pub mod keys;
pub mod name;
pub mod revocation;
#[cfg(any(test, feature = "samples"))]
pub mod samples;
pub mod state;
pub mod text;
pub mod trust;
pub mod verify;
pub mod website;

pub use catalog::Family;
pub use certificate::Certificate;
pub use fields::{FieldError, FIRST_EXTENSION_KEY};
pub use id_number::{IdNumber, Sex};
pub use issue::Issuer;
pub use keys::{Algorithm, KeyId, PublicKey, SigningKey};
pub use revocation::{RevocationDelta, RevocationList};
pub use state::VerifierState;
pub use trust::{TrustList, TrustedIssuer};
pub use verify::{
    CertificateView, Details, IssuerView, Reason, Status, Verdict, Verifier, VerifierOptions,
    Warning,
};
