//! certqr-core: certificates that carry their own proof.
//!
//! Issuing authorities sign a Chinese safety certificate's data (special operations,
//! special equipment, safety management and construction certificates) into a compact
//! QR code; inspectors verify it offline against a trust list that a pinned root key
//! signs, and get a verdict that says exactly why. No website is trusted.
//!
//! ```
//! use certqr_core::catalog::Family;
//! use certqr_core::issue::Issuer;
//! use certqr_core::keys::{Algorithm, SigningKey};
//! use certqr_core::verify::{Status, Verifier};
//! use certqr_core::{samples, text};
//! use time::macros::{date, datetime};
//!
//! // Keys come from the caller's randomness; fixed seeds only for this example.
//! let root = SigningKey::from_seed(Algorithm::Ed25519, &[1; 32]);
//! let issuer_key = SigningKey::from_seed(Algorithm::Ed25519, &[2; 32]);
//!
//! // The root authority vouches for a provincial emergency management department,
//! // whose official web domain it names.
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
//! let qr_text = Issuer::new(issuer_key).issue(&certificate)?;
//! assert!(qr_text.starts_with("CQ1:"));
//!
//! // An inspector's app pins the root key, installs the trust list and verifies.
//! let mut verifier = Verifier::new(vec![root.public_key()]);
//! verifier.install_trust_list(&signed_trust_list)?;
//! let now = datetime!(2025-02-01 9:00 +8);
//! let verdict = verifier.verify(&qr_text, now);
//! assert_eq!(verdict.status, Status::Valid);
//! assert_eq!(verdict.certificate.unwrap().holder_name, "张建国");
//!
//! // Change one byte of the signed document: the signature no longer verifies.
//! let mut forged = text::decode(&qr_text)?;
//! let last = forged.len() - 70;
//! forged[last] ^= 1;
//! let verdict = verifier.verify(&text::encode(&forged), now);
//! assert_eq!(verdict.status, Status::Invalid);
//! assert_eq!(verdict.reasons[0].code(), "bad-signature");
//!
//! // A link to a look-alike "verification website" is reported as exactly that.
//! let verdict = verifier.verify("https://ajj-jiangsu-gov.cn.example.com/check", now);
//! assert_eq!(verdict.status, Status::NotACertificate);
//! assert_eq!(verdict.reasons[0].code(), "look-alike-website");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Layers, each in the module named after it: [`text`] (QR text: prefix and Base45),
//! [`cbor`] (deterministic CBOR), [`cose`] (COSE_Sign1 envelopes), [`keys`],
//! [`certificate`] and [`catalog`] (the data model), [`trust`] (trust lists), [`issue`]
//! and [`verify`], [`website`] (official and look-alike web links), [`state`] (rollback protection and trusted time kept between
//! runs). Drawing codes and reading them from pictures live in their own crates,
//! `certqr-render` and `certqr-scan`; the state directory on disk in `certqr-store`.
//! The library is sans I/O: time, randomness and file contents come in as arguments.

pub mod catalog;
pub mod cbor;
pub mod certificate;
pub mod cose;
pub mod fields;
pub mod id_number;
pub mod issue;
pub mod keys;
pub mod revocation;
#[cfg(any(test, feature = "samples"))]
pub mod samples;
pub mod state;
pub mod text;
pub mod trust;
pub mod verify;
pub mod website;
