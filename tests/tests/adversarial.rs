//! The part of the adversarial corpus that is not a QR text: trust lists and revocation
//! lists an attacker offers to the verifier, and the one case the text vectors cannot
//! hold, two trusted keys sharing a key id. The QR texts themselves are the vectors of
//! `tests/vectors/` (`adversarial.json` and the layer groups), checked by `vectors.rs`.
//!
//! Two trusted keys sharing a key id cannot be built: a trust list has no key-id field,
//! the id is always the first 8 bytes of SHA-256 of the key as listed
//! ([`certqr_core::keys::KeyId::of`]), and the same key listed twice is refused. Two
//! different keys with the same id need a 64-bit SHA-256 prefix collision (about 2^32
//! key generations for any pair, 2^64 to match a given issuer's id). The verifier tries
//! every trusted key of the algorithm with the id in the header, so such a pair, if the
//! root ever listed one, would still only verify what one of the two keys signed; the
//! tests here pin the refusal of the case that can be built.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use certqr_core::catalog::Family;
use certqr_core::cose::DocumentKind;
use certqr_core::issue::Issuer;
use certqr_core::revocation::RevocationError;
use certqr_core::trust::{IssuerError, KeyStatus, TrustListError, TrustedIssuer};
use certqr_core::verify::{Status, Verifier};
use certqr_tests::fixture::{self, Fixture};
use certqr_tests::forge;
use certqr_tests::generator::{self, sample_certificate};
use time::macros::date;

/// The root-signed bytes of `payload` as a trust list, bypassing the checks
/// [`TrustList::sign`] makes: what a root (or whoever holds its key) could publish.
fn root_signed_trust_list(world: &Fixture, payload: &[u8]) -> Vec<u8> {
    let protected = forge::protected_header(
        -8,
        DocumentKind::TrustList.content_type(),
        &world.root.public_key().key_id().0,
    );
    forge::sign1(&world.root.key, &protected, payload)
}

fn verifier(world: &Fixture) -> Verifier {
    Verifier::new(vec![world.root.public_key()])
}

#[test]
fn one_key_listed_twice_is_refused_in_either_order() {
    let world = Fixture::new();
    let genuine = generator::example_document().unwrap().1;
    let emergency = world.trust_list.issuers[0].clone();
    assert_eq!(emergency.public_key, world.emergency.public_key());
    let compromised = TrustedIssuer {
        status: KeyStatus::Compromised,
        ..emergency
    };
    // Listed again as compromised, after or before its active entry: a verifier taking
    // the first (or the last) entry with the id would let a stolen key through.
    let appended = world.trust_list.issuers.len();
    for (position, refused_index) in [(appended, appended), (0, 1)] {
        let mut list = world.trust_list.clone();
        list.issuers.insert(position, compromised.clone());
        let expected = TrustListError::Issuer {
            index: refused_index,
            error: IssuerError::DuplicateKey,
        };
        assert_eq!(list.sign(&world.root.key), Err(expected.clone()));
        let mut verifier = verifier(&world);
        let signed = root_signed_trust_list(&world, &list.to_payload());
        assert_eq!(verifier.install_trust_list(&signed).err(), Some(expected));
        assert!(verifier.trust_list().is_none());
        assert_eq!(
            verifier.verify(&genuine, fixture::NOW).reasons[0].code(),
            "no-trust-list"
        );
    }
}

#[test]
fn every_fixture_key_has_its_own_key_id() {
    let world = Fixture::new();
    let mut ids: Vec<_> = world
        .keys()
        .iter()
        .map(|key| key.public_key().key_id())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), world.keys().len());
    for issuer in &world.trust_list.issuers {
        let with_id: Vec<_> = world
            .trust_list
            .issuers_with_key_id(issuer.key_id())
            .collect();
        assert_eq!(with_id, [issuer]);
    }
}

#[test]
fn signed_documents_offered_as_lists_are_refused() {
    let world = Fixture::new();
    let trust_list = world.signed_trust_list().unwrap();
    let revocation_list = generator::revocation_list(&world)
        .unwrap()
        .sign(&world.root.key)
        .unwrap();
    let certificate = generator::example_document().unwrap().0;
    let by_root = Issuer::new(world.root.key.clone())
        .sign(&sample_certificate(Family::SpecialOperations, date!(2024 - 03 - 01)).unwrap())
        .unwrap();
    let by_issuer = world.trust_list.sign(&world.emergency.key).unwrap();
    let revocation_by_issuer = generator::revocation_list(&world)
        .unwrap()
        .sign(&world.emergency.key)
        .unwrap();

    let mut verifier = verifier(&world);
    for (document, content_type) in [
        (&certificate, 65001),
        (&by_root, 65001),
        (&revocation_list, 65003),
    ] {
        assert_eq!(
            verifier.install_trust_list(document).err(),
            Some(TrustListError::WrongDocumentKind { content_type })
        );
    }
    assert_eq!(
        verifier.install_trust_list(&by_issuer).err(),
        Some(TrustListError::NotSignedByRoot {
            key_id: world.emergency.public_key().key_id()
        })
    );
    verifier.install_trust_list(&trust_list).unwrap();
    for (document, content_type) in [
        (&certificate, 65001),
        (&by_root, 65001),
        (&trust_list, 65002),
    ] {
        assert_eq!(
            verifier.install_revocation_list(document).err(),
            Some(RevocationError::WrongDocumentKind { content_type })
        );
    }
    assert_eq!(
        verifier
            .install_revocation_list(&revocation_by_issuer)
            .err(),
        Some(RevocationError::NotSignedByRoot {
            key_id: world.emergency.public_key().key_id()
        })
    );
    assert!(verifier.revocation_list().is_none());
}

#[test]
fn rolled_back_lists_are_refused_and_the_installed_ones_kept() {
    let world = Fixture::new();
    let mut verifier = verifier(&world);
    verifier
        .install_trust_list(&world.signed_trust_list().unwrap())
        .unwrap();
    let revocation = generator::revocation_list(&world).unwrap();
    verifier
        .install_revocation_list(&revocation.sign(&world.root.key).unwrap())
        .unwrap();

    // An older trust list in which the compromised key was still active.
    let mut older = world.trust_list.clone();
    older.sequence -= 1;
    for issuer in &mut older.issuers {
        issuer.status = KeyStatus::Active;
    }
    assert_eq!(
        verifier
            .install_trust_list(&older.sign(&world.root.key).unwrap())
            .err(),
        Some(TrustListError::Rollback {
            installed: fixture::TRUST_LIST_SEQUENCE,
            offered: fixture::TRUST_LIST_SEQUENCE - 1
        })
    );
    // An older, empty revocation list.
    let empty = certqr_core::revocation::RevocationList::new(
        fixture::REVOCATION_LIST_SEQUENCE - 1,
        fixture::REVOCATION_LIST_ISSUED_AT,
        fixture::REVOCATION_LIST_EXPIRES_AT,
        [],
    )
    .unwrap();
    assert_eq!(
        verifier
            .install_revocation_list(&empty.sign(&world.root.key).unwrap())
            .err(),
        Some(RevocationError::Rollback {
            installed: fixture::REVOCATION_LIST_SEQUENCE,
            offered: fixture::REVOCATION_LIST_SEQUENCE - 1
        })
    );
    assert_eq!(
        verifier.trust_list().unwrap().sequence,
        fixture::TRUST_LIST_SEQUENCE
    );
    assert_eq!(verifier.revocation_list().unwrap(), &revocation);

    // What the refused lists would have let through is still refused.
    let compromised = Issuer::new(world.compromised.key.clone())
        .issue(&sample_certificate(Family::SpecialOperations, date!(2024 - 03 - 01)).unwrap())
        .unwrap();
    let verdict = verifier.verify(&compromised, fixture::NOW);
    assert_eq!(verdict.status, Status::Invalid);
    assert_eq!(verdict.reasons[0].code(), "issuer-key-compromised");
}
