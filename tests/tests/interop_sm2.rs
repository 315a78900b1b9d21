//! SM2 with SM3 (GB/T 32918) interoperability with an independent implementation:
//! Python's gmssl (pure Python), through `tests/interop/sm2_gmssl.py`.
//!
//! Both directions over the exact COSE `Sig_structure` bytes of a certificate:
//! - certqr signs, gmssl verifies (and refuses the bytes with one byte changed);
//! - gmssl signs with a private key certqr also holds, certqr verifies the document, with
//!   gmssl's public key in a trust list, as valid.
//!
//! Both sides use the distinguishing identifier "1234567812345678" in `Z_A` and hash
//! `Z_A ‖ M` with SM3 themselves. Python comes from `CERTQR_PYTHON` (`scripts/test.sh`
//! sets it to a venv with `tests/interop/requirements.txt`). Without it the tests print a
//! skip line, unless `CERTQR_REQUIRE_INTEROP=1`, in which case they fail.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use certqr_core::catalog::Family;
use certqr_core::cose;
use certqr_core::issue::Issuer;
use certqr_core::keys::{Algorithm, PublicKey, SigningKey};
use certqr_core::text;
use certqr_core::verify::{Status, Verifier};
use certqr_core::{keys, samples};
use certqr_tests::fixture;
use certqr_tests::forge::{self, from_hex, hex};
use certqr_tests::generator;
use certqr_tests::python;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::macros::date;

/// The 32-byte seed of a test-only SM2 key: SHA-256 of the vectors' label prefix and
/// `label`, as for the vectors' Ed25519 keys.
fn seed(label: &str) -> [u8; 32] {
    Sha256::digest(format!("{}{label}", fixture::SEED_LABEL_PREFIX).as_bytes()).into()
}

/// The SM2 private key `d` that `SigningKey::from_seed` derives, `1 + (seed mod (n − 2))`,
/// for a seed below `n − 2` (checked): the seed plus one, big-endian.
fn private_key_of(seed: &[u8; 32]) -> [u8; 32] {
    let order_minus_2 =
        from_hex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121").unwrap();
    assert!(
        seed.as_slice() < order_minus_2.as_slice(),
        "seed not below n − 2"
    );
    let mut private = *seed;
    for byte in private.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            break;
        }
    }
    private
}

fn certificate_document(key: &SigningKey) -> Vec<u8> {
    let certificate =
        generator::sample_certificate(Family::SpecialOperations, date!(2024 - 03 - 01)).unwrap();
    Issuer::new(key.clone()).sign(&certificate).unwrap()
}

#[test]
fn gmssl_verifies_what_certqr_signs() {
    let Some(python) = python::interpreter("gmssl SM2") else {
        return;
    };
    // Three keys, one of whose x coordinate starts with the hex digit 0 or 4, which
    // gmssl's constructor would mangle (see the script).
    let mut keys: Vec<SigningKey> = ["sm2-interop-1", "sm2-interop-2"]
        .iter()
        .map(|label| SigningKey::from_seed(Algorithm::Sm2, &seed(label)))
        .collect();
    let awkward = (0..)
        .map(|index| SigningKey::from_seed(Algorithm::Sm2, &seed(&format!("sm2-interop-x{index}"))))
        .find(|key| matches!(key.public_key().to_bytes()[1] >> 4, 0 | 4))
        .unwrap();
    keys.push(awkward);
    for key in keys {
        let public = key.public_key();
        assert_eq!(public.algorithm(), Algorithm::Sm2);
        let document = certificate_document(&key);
        let message = cose::parse(&document).unwrap();
        assert_eq!(message.algorithm, i128::from(Algorithm::Sm2.cose_id()));
        let signed_data = message.signed_data();
        let answer = python::run_script(
            &python,
            "sm2_gmssl.py",
            &json!({
                "operation": "verify",
                "message_hex": hex(&signed_data),
                "signature_hex": hex(&message.signature),
                "public_key_hex": hex(&public.to_bytes()),
            }),
        );
        assert_eq!(
            answer,
            json!({"signature_valid": true, "tampered_valid": false}),
            "key {}",
            public.key_id()
        );
    }
}

#[test]
fn certqr_verifies_what_gmssl_signs() {
    let Some(python) = python::interpreter("gmssl SM2") else {
        return;
    };
    let seed = seed("sm2-interop-gmssl");
    let key = SigningKey::from_seed(Algorithm::Sm2, &seed);
    let public = key.public_key();
    // certqr writes the document; gmssl signs its exact Sig_structure.
    let certqr_document = certificate_document(&key);
    let message = cose::parse(&certqr_document).unwrap();
    let signed_data = message.signed_data();
    let answer = python::run_script(
        &python,
        "sm2_gmssl.py",
        &json!({
            "operation": "sign",
            "message_hex": hex(&signed_data),
            "private_key_hex": hex(&private_key_of(&seed)),
        }),
    );
    assert_eq!(answer["self_check"], json!(true), "{answer}");
    // Both derive the same public key from the same private key.
    let gmssl_public = from_hex(answer["public_key_hex"].as_str().unwrap()).unwrap();
    assert_eq!(hex(&gmssl_public), hex(&public.to_bytes()));
    let gmssl_public = PublicKey::from_bytes(Algorithm::Sm2, &gmssl_public).unwrap();
    let signature = from_hex(answer["signature_hex"].as_str().unwrap()).unwrap();
    assert_eq!(signature.len(), 64);
    // A random k: not certqr's deterministic signature, but just as valid.
    assert_ne!(signature, message.signature);
    assert_eq!(gmssl_public.verify(&signed_data, &signature), Ok(()));

    let document = forge::sign1_raw(
        message.protected_bytes(),
        &forge::map(&[]),
        &message.payload,
        &signature,
    );
    let root = SigningKey::from_seed(Algorithm::Sm2, &self::seed("sm2-interop-root"));
    let list = samples::trust_list(
        1,
        fixture::TRUST_LIST_ISSUED_AT,
        vec![samples::issuer(
            gmssl_public,
            "上海市应急管理局",
            "Shanghai Emergency Management Bureau",
            310_000,
            &[Family::SpecialOperations],
            date!(2020 - 01 - 01),
        )],
    );
    let mut verifier = Verifier::new(vec![root.public_key()]);
    verifier
        .install_trust_list(&list.sign(&root).unwrap())
        .unwrap();
    let verdict = verifier.verify(&text::encode(&document), fixture::NOW);
    assert_eq!(verdict.status, Status::Valid, "{:?}", verdict.reasons);
    assert_eq!(verdict.issuer.unwrap().algorithm, Algorithm::Sm2);
    assert_eq!(verdict.certificate.unwrap().holder_name, "张建国");

    // One changed signature byte and it is refused.
    let mut forged = signature.clone();
    forged[40] ^= 0x01;
    let document = forge::sign1_raw(
        message.protected_bytes(),
        &forge::map(&[]),
        &message.payload,
        &forged,
    );
    let verdict = verifier.verify(&text::encode(&document), fixture::NOW);
    assert_eq!(
        verdict
            .reasons
            .iter()
            .map(|reason| reason.code())
            .collect::<Vec<_>>(),
        ["bad-signature"]
    );
}

#[test]
fn both_sides_use_the_same_distinguishing_identifier() {
    // gmssl 3.2.2 hard-codes this identifier in CryptSM2._sm3_z; the tests above only
    // agree because certqr uses it too.
    assert_eq!(keys::SM2_DISTINGUISHING_IDENTIFIER, "1234567812345678");
}
