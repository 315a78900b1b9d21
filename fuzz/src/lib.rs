//! What the certqr fuzz targets share: the fixed world they verify against, the
//! invariants every verdict must keep, and the seed corpora.
//!
//! The world is the one every test vector of `tests/vectors/` is made in, read from the
//! vector files as another implementation would: the keys rebuilt from the seeds that
//! `keys.json` publishes, the signed trust list of `trust-list.json` and the revocation
//! list of `revocation-list.json`. It is built once per process, on first use, and never
//! changes, so an input gives the same outcome every time it is run.
//!
//! Each target calls [`init`] from libFuzzer's initialisation. With
//! `CERTQR_FUZZ_SEED_DIR` set, that writes the target's seed corpus (see [`seeds`]) into
//! the directory and exits instead of fuzzing: the seeds are made by the target binary
//! that was built anyway, so seeding costs no second build (`fuzz/seed.sh`).

#![forbid(unsafe_code)]

pub mod seeds;

use std::sync::OnceLock;

use certqr_core::catalog::Family;
use certqr_core::cbor::{self, Value};
use certqr_core::certificate::{china_date, Certificate};
use certqr_core::cose::{self, DocumentKind};
use certqr_core::issue::Issuer;
use certqr_core::keys::{Algorithm, PublicKey, SigningKey};
use certqr_core::revocation::Entry;
use certqr_core::trust::{KeyStatus, TrustList};
use certqr_core::verify::{Status, Verdict, Verifier, VerifierOptions};
use certqr_core::{samples, text};
use time::macros::{date, datetime};
use time::OffsetDateTime;

/// Environment variable: write the seed corpus of the target into this directory, then exit.
pub const SEED_DIR_ENV: &str = "CERTQR_FUZZ_SEED_DIR";
/// Environment variable: `1` keeps libFuzzer's abort on every panic in the scanning
/// targets, including panics of the image and QR decoders that certqr catches.
pub const STRICT_PANICS_ENV: &str = "CERTQR_FUZZ_STRICT_PANICS";

/// The codes of the reasons that make a verdict "not a certificate".
const NOT_A_CERTIFICATE_CODES: [&str; 4] = [
    "not-certqr",
    "website-link",
    "official-website",
    "look-alike-website",
];

/// A certificate issued in the world, and where it came from.
#[derive(Debug, Clone)]
pub struct IssuedCertificate {
    /// Its data.
    pub certificate: Certificate,
    /// The signed document (COSE_Sign1).
    pub document: Vec<u8>,
    /// Its QR text.
    pub text: String,
    /// Its revocation entry.
    pub entry: Entry,
    /// The algorithm of the key that signed it.
    pub algorithm: Algorithm,
}

/// A key of `tests/vectors/keys.json`.
#[derive(Debug, Clone)]
pub struct WorldKey {
    /// Its label ("root", "emergency", ...).
    pub label: String,
    /// The signing key, rebuilt from its published seed.
    pub key: SigningKey,
}

/// The fixed world of the test vectors, with a verifier that holds its trust list and
/// revocation list.
#[derive(Debug)]
pub struct World {
    /// Every key of `keys.json`, root first.
    pub keys: Vec<WorldKey>,
    /// The root key that signs the lists.
    pub root: SigningKey,
    /// The pinned root keys.
    pub roots: Vec<PublicKey>,
    /// The trust list of `trust-list.json`, unsigned.
    pub trust_list: TrustList,
    /// The trust list, signed by the root.
    pub signed_trust_list: Vec<u8>,
    /// The revocation list of `revocation-list.json`, signed by the root.
    pub signed_revocation_list: Vec<u8>,
    /// A verifier with both lists installed.
    pub verifier: Verifier,
    /// The instant every target verifies at (the vectors' usual `at`).
    pub now: OffsetDateTime,
    /// One certificate of every family from the issuer whose scope covers it, one signed
    /// with SM2, and the certificate the revocation list revokes.
    pub certificates: Vec<IssuedCertificate>,
}

/// The vector files the world is read from, built into the binary so that it rebuilds
/// when they change.
const KEYS_JSON: &str = include_str!("../../tests/vectors/keys.json");
const TRUST_LIST_JSON: &str = include_str!("../../tests/vectors/trust-list.json");
const REVOCATION_LIST_JSON: &str = include_str!("../../tests/vectors/revocation-list.json");

/// Valid-from date of the vectors' genuine certificates.
const VALID_FROM: time::Date = date!(2024 - 03 - 01);
/// Valid-from date of the certificate the vectors' revocation list revokes.
const REVOKED_VALID_FROM: time::Date = date!(2024 - 06 - 01);

impl World {
    fn new() -> World {
        let keys = read_keys();
        let key = |label: &str| {
            keys.iter()
                .find(|key| key.label == label)
                .map(|key| key.key.clone())
                .unwrap_or_else(|| panic!("keys.json has no key {label:?}"))
        };
        let root = key("root");
        let roots = vec![root.public_key()];
        let signed_trust_list = document_hex(TRUST_LIST_JSON);
        let signed_revocation_list = document_hex(REVOCATION_LIST_JSON);
        let trust_list =
            TrustList::from_signed(&signed_trust_list, &roots).expect("trust-list.json reads");
        let mut verifier = Verifier::with_options(roots.clone(), VerifierOptions::default());
        verifier
            .install_trust_list(&signed_trust_list)
            .expect("the vectors' trust list installs");
        verifier
            .install_revocation_list(&signed_revocation_list)
            .expect("the vectors' revocation list installs");
        let mut issued: Vec<(SigningKey, Family, time::Date)> = Family::ALL
            .iter()
            .map(|&family| {
                let label = match family {
                    Family::SpecialOperations | Family::SafetyManagement => "emergency",
                    Family::SpecialEquipment => "market",
                    _ => "housing",
                };
                (key(label), family, VALID_FROM)
            })
            .collect();
        issued.push((key("shanghai-sm2"), Family::SpecialOperations, VALID_FROM));
        issued.push((key("market"), Family::SpecialEquipment, REVOKED_VALID_FROM));
        let certificates = issued
            .into_iter()
            .map(|(key, family, valid_from)| {
                let certificate =
                    samples::certificate(family, valid_from).expect("every family has a sample");
                let document = Issuer::new(key.clone())
                    .sign(&certificate)
                    .expect("the samples follow their family's rules");
                IssuedCertificate {
                    text: text::encode(&document),
                    entry: Entry::of_certificate(key.public_key().key_id(), &certificate),
                    algorithm: key.algorithm(),
                    certificate,
                    document,
                }
            })
            .collect();
        World {
            keys,
            root,
            roots,
            trust_list,
            signed_trust_list,
            signed_revocation_list,
            verifier,
            now: datetime!(2025-06-01 10:00 +8),
            certificates,
        }
    }

    /// The key labelled `label` in `keys.json`.
    pub fn key(&self, label: &str) -> Option<&SigningKey> {
        self.keys
            .iter()
            .find(|key| key.label == label)
            .map(|key| &key.key)
    }

    /// The signing key of `public_key`, when it is one of the world's.
    pub fn signing_key(&self, public_key: &PublicKey) -> Option<&SigningKey> {
        self.keys
            .iter()
            .find(|key| key.key.public_key() == *public_key)
            .map(|key| &key.key)
    }

    /// The issuer key whose scope covers `family` (Jiangsu emergency management for
    /// anything else), to sign arbitrary claims with.
    pub fn issuer_for(&self, family: Option<Family>) -> &SigningKey {
        let label = match family {
            Some(Family::SpecialEquipment) => "market",
            Some(Family::ConstructionSafetyManagement | Family::ConstructionSpecialOperations) => {
                "housing"
            }
            _ => "emergency",
        };
        self.key(label).unwrap_or(&self.root)
    }
}

/// Every key of `keys.json` (roots, issuers, others), rebuilt from its published seed.
fn read_keys() -> Vec<WorldKey> {
    let json: serde_json::Value = serde_json::from_str(KEYS_JSON).expect("keys.json is JSON");
    ["roots", "issuers", "others"]
        .iter()
        .flat_map(|group| json[group].as_array().cloned().unwrap_or_default())
        .map(|entry| {
            let field = |name: &str| entry[name].as_str().unwrap_or_default().to_owned();
            let algorithm = match field("algorithm").as_str() {
                "SM2" => Algorithm::Sm2,
                _ => Algorithm::Ed25519,
            };
            let seed: [u8; 32] = seeds::from_hex(&field("seed"))
                .and_then(|seed| seed.try_into().ok())
                .expect("keys.json: a 32-byte seed");
            WorldKey {
                label: field("label"),
                key: SigningKey::from_seed(algorithm, &seed),
            }
        })
        .collect()
}

/// The `document_hex` of a vector file.
fn document_hex(json: &str) -> Vec<u8> {
    let json: serde_json::Value = serde_json::from_str(json).expect("a vector file is JSON");
    json["document_hex"]
        .as_str()
        .and_then(seeds::from_hex)
        .expect("a vector file's document_hex")
}

/// The world, built on first use.
pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(World::new)
}

/// Called by every target when libFuzzer starts: builds the world (so that its cost is
/// not charged to the first input) and, with [`SEED_DIR_ENV`] set, writes the target's
/// seeds there and exits.
pub fn init(target: &str) {
    world();
    if let Some(directory) = std::env::var_os(SEED_DIR_ENV) {
        let directory = std::path::PathBuf::from(directory);
        match seeds::write(target, &directory) {
            Ok(count) => {
                eprintln!("{target}: wrote {count} seeds to {}", directory.display());
                std::process::exit(0);
            }
            Err(error) => {
                eprintln!("{target}: cannot write seeds: {error}");
                std::process::exit(2);
            }
        }
    }
}

/// For the scanning targets: let panics unwind, as they do in an app, so that a panic of
/// a third-party decoder reaches the `catch_unwind` of `certqr_scan` and becomes
/// `ScanError::DecoderPanicked`. Any other panic still reaches libfuzzer-sys, which
/// aborts: a crash. With [`STRICT_PANICS_ENV`]`=1` every panic aborts, to hunt decoder
/// panics.
pub fn unwind_panics_like_an_app() {
    if std::env::var(STRICT_PANICS_ENV).is_ok_and(|value| value == "1") {
        return;
    }
    // libfuzzer-sys installed a hook that aborts; dropping it restores the default hook,
    // which prints the panic and lets it unwind.
    drop(std::panic::take_hook());
}

/// Whether any map in `value` has a key certqr ignores (an extension: from 100 on, or
/// negative, up to any CBOR integer: format.md §3.1), so that its re-encoding may
/// legitimately leave it out.
pub fn has_extension_keys(value: &Value) -> bool {
    match value {
        Value::Map(entries) => entries.iter().any(|(key, value)| {
            key.as_integer()
                .map(i128::from)
                .is_some_and(|key| !(0..100).contains(&key))
                || has_extension_keys(value)
        }),
        Value::Array(items) => items.iter().any(has_extension_keys),
        Value::Tag(_, inner) => has_extension_keys(inner),
        _ => false,
    }
}

/// Whether `payload` is CBOR with no extension keys: then a document read from it must
/// re-encode to exactly these bytes.
pub fn re_encodes_exactly(payload: &[u8]) -> bool {
    cbor::decode(payload).is_ok_and(|value| !has_extension_keys(&value))
}

/// Check everything a verdict must satisfy whatever the input: messages render in both
/// languages and as JSON, the status agrees with the reasons, unverified data is never
/// marked verified, the identity card number is never shown in full, and a valid
/// verdict comes only from a certificate that a trusted, uncompromised issuer signed
/// within its scope, key window and dates ([`check_valid`]).
///
/// `document` is the signed document the verdict is about, when the input got that far.
pub fn check_verdict(
    verifier: &Verifier,
    now: OffsetDateTime,
    document: Option<&[u8]>,
    verdict: &Verdict,
) {
    for reason in &verdict.reasons {
        assert!(!reason.code().is_empty());
        assert!(!reason.message_en().trim().is_empty(), "{reason:?}");
        assert!(!reason.message_zh().trim().is_empty(), "{reason:?}");
    }
    for warning in &verdict.warnings {
        assert!(!warning.code().is_empty());
        assert!(!warning.message_en().trim().is_empty(), "{warning:?}");
        assert!(!warning.message_zh().trim().is_empty(), "{warning:?}");
    }
    let json = serde_json::to_string(verdict).expect("a verdict serialises");
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    match verdict.status {
        Status::Valid => assert!(verdict.reasons.is_empty()),
        Status::Invalid => assert!(!verdict.reasons.is_empty()),
        Status::NotACertificate => {
            assert_eq!(verdict.reasons.len(), 1, "{:?}", verdict.reasons);
            assert!(verdict
                .reasons
                .iter()
                .all(|reason| NOT_A_CERTIFICATE_CODES.contains(&reason.code())));
            assert!(verdict.certificate.is_none() && verdict.issuer.is_none());
        }
        _ => panic!("unknown status {:?}", verdict.status),
    }
    if let Some(view) = &verdict.certificate {
        if view.verified {
            assert!(
                verdict.issuer.is_some(),
                "verified fields without an issuer"
            );
        }
        let claims = document
            .and_then(|document| cose::parse(document).ok())
            .and_then(|message| Certificate::from_claims(&message.payload).ok());
        if let Some((certificate, _)) = claims {
            let full = certificate.id_number.as_str();
            assert!(!view.id_number.contains(full), "full ID number shown");
            if certificate.check().is_ok() {
                assert!(!view.number.contains(full), "full ID number in the number");
            }
            assert_eq!(view.holder_name, certificate.holder_name);
        }
    }
    if verdict.status == Status::Valid {
        let document = document.expect("a valid verdict has a document");
        check_valid(verifier, now, document, verdict);
    }
}

/// A valid verdict: the document is a certificate signed, with exactly the signature its
/// key makes, by a key the verifier's trust list names and has not marked compromised,
/// for a family and item in that issuer's scope, within the key's window and before its
/// retirement, inside its validity and review dates at the judging time, not revoked,
/// with claims that follow the family's rules and re-encode to the signed bytes.
pub fn check_valid(verifier: &Verifier, now: OffsetDateTime, document: &[u8], verdict: &Verdict) {
    let message = cose::parse(document).expect("valid: the document parses");
    assert_eq!(message.kind(), Some(DocumentKind::Certificate));
    let algorithm = Algorithm::from_cose_id(message.algorithm).expect("valid: known algorithm");
    let trust_list = verifier.trust_list().expect("valid: a trust list");
    let signed_data = message.signed_data();
    let issuer = trust_list
        .issuers_with_key_id(message.key_id)
        .find(|issuer| {
            issuer.public_key.algorithm() == algorithm
                && issuer
                    .public_key
                    .verify(&signed_data, &message.signature)
                    .is_ok()
        })
        .expect("valid: signed by a key of the trust list");
    assert_ne!(issuer.status, KeyStatus::Compromised);
    let (certificate, extensions) =
        Certificate::from_claims(&message.payload).expect("valid: claims read");
    certificate
        .check()
        .expect("valid: claims follow the family's rules");
    assert!(issuer.may_sign(certificate.family, &certificate.item));
    if let KeyStatus::Retired { since } = issuer.status {
        assert!(certificate.valid_from < since, "signed after retirement");
    }
    assert!(issuer.key_valid_from <= certificate.valid_from);
    assert!(certificate.valid_from <= issuer.key_valid_until);
    let judging = verifier.state().judging_time(now);
    let today = china_date(judging);
    assert!(certificate.valid_from <= today && today <= certificate.valid_until);
    assert!(certificate.review_due.is_none_or(|due| today <= due));
    let options = VerifierOptions::default();
    assert!(trust_list
        .expires_at
        .checked_add(options.trust_list_grace)
        .is_none_or(|end| judging <= end));
    if let Some(revocation_list) = verifier.revocation_list() {
        assert!(!revocation_list.is_revoked(message.key_id, &certificate));
        assert!(revocation_list
            .expires_at
            .checked_add(options.revocation_list_grace)
            .is_none_or(|end| judging <= end));
    }
    if extensions.is_empty() {
        assert_eq!(
            certificate.to_claims(),
            message.payload,
            "claims not canonical"
        );
    }
    let issuer_view = verdict.issuer.as_ref().expect("valid: issuer shown");
    assert_eq!(issuer_view.key_id, message.key_id.to_hex());
    assert!(verdict
        .certificate
        .as_ref()
        .is_some_and(|view| view.verified));
    // The key holder's own signature over the same header and claims is the only one
    // accepted: deterministic signatures, so a different one would be a malleated copy.
    if let Some(key) = world().signing_key(&issuer.public_key) {
        let resigned = cose::sign(DocumentKind::Certificate, key, message.payload.clone());
        let standard_header = cose::parse(&resigned)
            .map(|resigned| resigned.protected_bytes() == message.protected_bytes())
            .unwrap_or(false);
        if standard_header {
            assert_eq!(resigned, document, "a second signature verified");
        }
    }
}
