//! The test vectors of `tests/vectors/`: every one through `verify::Verifier` with exactly
//! its expected verdict, and every file byte-identical to a fresh generation.
//!
//! The verifier is built from the files alone (root key from `keys.json`, trust list from
//! `trust-list.json`, revocation list from `revocation-list.json`), as another
//! implementation would build it.
//!
//! `CERTQR_REGENERATE_VECTORS=1 cargo test -p certqr-tests` rewrites the files instead of
//! comparing them, then checks them like any other run.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeSet;
use std::fs;
use std::sync::OnceLock;

use certqr_core::keys::{Algorithm, PublicKey, SigningKey};
use certqr_core::trust::KeyStatus;
use certqr_core::verify::{Reason, Verdict, Verifier};
use certqr_tests::forge::{from_hex, hex};
use certqr_tests::generator::{
    self, Expected, KeysFile, RevocationListFile, TrustListFile, VectorFile, VECTOR_FILES,
};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Vectors whose expectation follows the spec while certqr-core, for now, does something
/// else. Each entry records what certqr does today; the test fails as soon as that changes
/// (fixed: delete the entry; changed otherwise: look why).
struct KnownDeviation {
    name: &'static str,
    status: &'static str,
    reasons: &'static [&'static str],
    warnings: &'static [&'static str],
    why: &'static str,
}

const KNOWN_DEVIATIONS: &[KnownDeviation] = &[];

/// The vectors that must verify as valid, and no others.
const VALID: &[&str] = &[
    "genuine-special-operations",
    "genuine-special-equipment",
    "genuine-safety-management",
    "genuine-construction-safety-management",
    "genuine-construction-special-operations",
    "genuine-compressed",
    "genuine-retired-key-before-retirement",
    "genuine-trust-list-stale",
    "last-day-of-validity",
    "first-day-of-validity-china-time",
    "critical-known-headers",
    "claims-extension-key",
    "claims-negative-key",
    "claims-extension-key-largest",
    "claims-extension-key-smallest",
    "genuine-sm2-special-operations",
    "genuine-revocation-list-stale",
];

/// Write the files once per test run when regenerating, before any test reads them.
fn files_ready() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        if !certqr_tests::regenerating() {
            return;
        }
        let directory = certqr_tests::vectors_dir();
        fs::create_dir_all(&directory).unwrap();
        for stale in json_files() {
            fs::remove_file(directory.join(stale)).unwrap();
        }
        for file in generator::generate().unwrap() {
            fs::write(directory.join(&file.name), file.contents).unwrap();
        }
        eprintln!("regenerated the files of {}", directory.display());
    });
}

fn json_files() -> BTreeSet<String> {
    fs::read_dir(certqr_tests::vectors_dir())
        .map(|entries| {
            entries
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default()
}

fn read<T: DeserializeOwned>(name: &str) -> T {
    files_ready();
    let path = certqr_tests::vectors_dir().join(name);
    let text =
        fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn algorithm(name: &str) -> Algorithm {
    match name {
        "Ed25519" => Algorithm::Ed25519,
        "SM2" => Algorithm::Sm2,
        other => panic!("unknown algorithm {other}"),
    }
}

fn verifier() -> Verifier {
    let keys: KeysFile = read("keys.json");
    let roots = keys
        .roots
        .iter()
        .map(|root| {
            PublicKey::from_bytes(
                algorithm(&root.algorithm),
                &from_hex(&root.public_key).unwrap(),
            )
            .unwrap()
        })
        .collect();
    let list: TrustListFile = read("trust-list.json");
    let revocation: RevocationListFile = read("revocation-list.json");
    let mut verifier = Verifier::new(roots);
    verifier
        .install_trust_list(&from_hex(&list.document_hex).unwrap())
        .unwrap();
    verifier
        .install_revocation_list(&from_hex(&revocation.document_hex).unwrap())
        .unwrap();
    verifier
}

fn outcome(verdict: &Verdict) -> Expected {
    let status = serde_json::to_value(&verdict.status)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    Expected {
        status,
        reasons: verdict
            .reasons
            .iter()
            .map(|reason| reason.code().to_owned())
            .collect(),
        warnings: verdict
            .warnings
            .iter()
            .map(|warning| warning.code().to_owned())
            .collect(),
        domain: verdict.reasons.iter().find_map(|reason| match reason {
            Reason::WebsiteLink { domain }
            | Reason::OfficialWebsite { domain, .. }
            | Reason::LookAlikeWebsite { domain, .. } => Some(domain.clone()),
            _ => None,
        }),
    }
}

fn groups() -> Vec<VectorFile> {
    VECTOR_FILES
        .iter()
        .map(|name| read::<VectorFile>(name))
        .collect()
}

#[test]
fn files_match_a_fresh_generation() {
    files_ready();
    let generated = generator::generate().unwrap();
    let expected_names: BTreeSet<String> = generated.iter().map(|file| file.name.clone()).collect();
    assert_eq!(
        json_files(),
        expected_names,
        "tests/vectors/ holds other files than the generator writes; run CERTQR_REGENERATE_VECTORS=1 cargo test -p certqr-tests"
    );
    for file in generated {
        let on_disk = fs::read_to_string(certqr_tests::vectors_dir().join(&file.name)).unwrap();
        assert!(
            on_disk == file.contents,
            "tests/vectors/{} differs from a fresh generation; if the change is intended, run \
             CERTQR_REGENERATE_VECTORS=1 cargo test -p certqr-tests and review the diff",
            file.name
        );
    }
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(
        generator::generate().unwrap(),
        generator::generate().unwrap()
    );
}

#[test]
fn every_vector_gets_exactly_its_expected_verdict() {
    let verifier = verifier();
    let mut failures = Vec::new();
    let mut deviations_seen = BTreeSet::new();
    let mut count = 0;
    for group in groups() {
        for vector in &group.vectors {
            count += 1;
            let at = OffsetDateTime::parse(&vector.at, &Rfc3339).unwrap();
            let actual = outcome(&verifier.verify(&vector.text, at));
            if let Some(deviation) = KNOWN_DEVIATIONS
                .iter()
                .find(|deviation| deviation.name == vector.name)
            {
                deviations_seen.insert(deviation.name);
                let recorded = Expected {
                    status: deviation.status.to_owned(),
                    reasons: deviation
                        .reasons
                        .iter()
                        .map(|&code| code.to_owned())
                        .collect(),
                    warnings: deviation
                        .warnings
                        .iter()
                        .map(|&code| code.to_owned())
                        .collect(),
                    domain: None,
                };
                if actual == vector.expected {
                    failures.push(format!(
                        "{}/{}: now meets the spec; delete it from KNOWN_DEVIATIONS",
                        group.group, vector.name
                    ));
                } else if actual != recorded {
                    failures.push(format!(
                        "{}/{}: known deviation changed: recorded {recorded:?}, got {actual:?}",
                        group.group, vector.name
                    ));
                } else {
                    eprintln!(
                        "KNOWN DEVIATION {}/{}: spec says {:?} {:?}, certqr-core gives {:?}: {}",
                        group.group,
                        vector.name,
                        vector.expected.status,
                        vector.expected.reasons,
                        actual.status,
                        deviation.why
                    );
                }
                continue;
            }
            if actual != vector.expected {
                failures.push(format!(
                    "{}/{}: expected {:?}, got {actual:?}",
                    group.group, vector.name, vector.expected
                ));
            }
        }
    }
    for deviation in KNOWN_DEVIATIONS {
        if !deviations_seen.contains(deviation.name) {
            failures.push(format!(
                "known deviation {} names no vector",
                deviation.name
            ));
        }
    }
    assert!(count >= 80, "only {count} vectors");
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn only_the_listed_vectors_are_valid_and_names_are_unique() {
    let mut names = BTreeSet::new();
    let mut valid = BTreeSet::new();
    for group in groups() {
        assert!(!group.vectors.is_empty(), "{}", group.group);
        for vector in group.vectors {
            assert!(
                names.insert(vector.name.clone()),
                "duplicate vector name {}",
                vector.name
            );
            if vector.expected.status == "valid" {
                assert!(vector.expected.reasons.is_empty(), "{}", vector.name);
                valid.insert(vector.name);
            } else {
                assert!(!vector.expected.reasons.is_empty(), "{}", vector.name);
            }
        }
    }
    let listed: BTreeSet<String> = VALID.iter().map(|&name| name.to_owned()).collect();
    assert_eq!(valid, listed);
}

#[test]
fn every_reason_a_text_can_earn_has_a_vector() {
    let exercised: BTreeSet<String> = groups()
        .into_iter()
        .flat_map(|group| group.vectors)
        .flat_map(|vector| vector.expected.reasons)
        .collect();
    // No trust list installed needs another verifier (core/src/verify/tests.rs covers it).
    let not_reachable = ["no-trust-list"];
    for code in certqr_tests::spec::reason_codes() {
        assert_eq!(
            exercised.contains(code),
            !not_reachable.contains(&code),
            "reason code {code}: vector coverage differs from what is expected"
        );
    }
}

#[test]
fn keys_file_matches_its_seeds() {
    let keys: KeysFile = read("keys.json");
    assert!(keys.warning.starts_with("TEST KEYS ONLY"));
    let all: Vec<_> = keys
        .roots
        .iter()
        .chain(&keys.issuers)
        .chain(&keys.others)
        .collect();
    assert_eq!(all.len(), 8);
    for entry in all {
        let seed: [u8; 32] = from_hex(&entry.seed).unwrap().try_into().unwrap();
        let derived: [u8; 32] =
            Sha256::digest(format!("certqr test vector key: {}", entry.label)).into();
        assert_eq!(seed, derived, "{}", entry.label);
        let public = SigningKey::from_seed(algorithm(&entry.algorithm), &seed).public_key();
        assert_eq!(hex(&public.to_bytes()), entry.public_key, "{}", entry.label);
        let digest = Sha256::digest(public.to_bytes());
        assert_eq!(entry.key_id, hex(&digest[..8]), "{}", entry.label);
    }
}

#[test]
fn trust_list_file_describes_the_signed_list() {
    let verifier = verifier();
    let file: TrustListFile = read("trust-list.json");
    let installed = verifier.trust_list().unwrap();
    assert_eq!(installed.sequence, file.sequence);
    assert_eq!(
        installed.issued_at,
        OffsetDateTime::parse(&file.issued_at, &Rfc3339).unwrap()
    );
    assert_eq!(
        installed.expires_at,
        OffsetDateTime::parse(&file.expires_at, &Rfc3339).unwrap()
    );
    let official: Vec<_> = installed
        .official_domains
        .iter()
        .map(|official| {
            (
                official.domain.as_str(),
                official.name_zh.as_str(),
                official.name_en.as_str(),
            )
        })
        .collect();
    let described_official: Vec<_> = file
        .official_domains
        .iter()
        .map(|official| {
            (
                official.domain.as_str(),
                official.name_zh.as_str(),
                official.name_en.as_str(),
            )
        })
        .collect();
    assert_eq!(official, described_official);
    assert_eq!(installed.issuers.len(), file.issuers.len());
    for (issuer, described) in installed.issuers.iter().zip(&file.issuers) {
        assert_eq!(issuer.key_id().to_hex(), described.key_id);
        assert_eq!(issuer.name_zh, described.name_zh);
        assert_eq!(issuer.public_key.algorithm().name(), described.algorithm);
        assert_eq!(issuer.domains, described.domains);
        assert_eq!(issuer.region_code, described.region_code);
        assert_eq!(issuer.key_valid_from.to_string(), described.key_valid_from);
        assert_eq!(
            issuer.key_valid_until.to_string(),
            described.key_valid_until
        );
        let status = match issuer.status {
            KeyStatus::Active => ("active", None),
            KeyStatus::Retired { since } => ("retired", Some(since.to_string())),
            KeyStatus::Compromised => ("compromised", None),
        };
        assert_eq!(
            (described.status.as_str(), described.retired_on.clone()),
            status
        );
        let scope: Vec<_> = issuer
            .scope
            .iter()
            .map(|scope| (scope.family.slug(), scope.items.clone()))
            .collect();
        let described_scope: Vec<_> = described
            .scope
            .iter()
            .map(|scope| (scope.family.as_str(), scope.items.clone()))
            .collect();
        assert_eq!(scope, described_scope);
    }
}

#[test]
fn revocation_list_file_describes_the_signed_list() {
    let verifier = verifier();
    let file: RevocationListFile = read("revocation-list.json");
    let installed = verifier.revocation_list().unwrap();
    assert_eq!(installed.sequence, file.sequence);
    assert_eq!(
        installed.issued_at,
        OffsetDateTime::parse(&file.issued_at, &Rfc3339).unwrap()
    );
    assert_eq!(
        installed.expires_at,
        OffsetDateTime::parse(&file.expires_at, &Rfc3339).unwrap()
    );
    let entries: Vec<String> = installed.entries().map(|entry| entry.to_hex()).collect();
    let keys: KeysFile = read("keys.json");
    let mut described = Vec::new();
    for revoked in &file.revoked {
        let key = keys
            .issuers
            .iter()
            .find(|key| key.label == revoked.issuer_key_label)
            .unwrap();
        assert_eq!(key.key_id, revoked.issuer_key_id);
        let key_id = PublicKey::from_bytes(
            algorithm(&key.algorithm),
            &from_hex(&key.public_key).unwrap(),
        )
        .unwrap()
        .key_id();
        let valid_from = time::Date::parse(
            &revoked.valid_from,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap();
        let entry = certqr_core::revocation::Entry::of(key_id, &revoked.number, valid_from);
        assert_eq!(entry.to_hex(), revoked.entry, "{}", revoked.number);
        described.push(revoked.entry.clone());
    }
    described.sort();
    assert_eq!(entries, described);
}
