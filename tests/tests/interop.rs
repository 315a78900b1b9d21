//! COSE_Sign1 interoperability with an independent implementation: Python's pycose
//! (with cbor2), through the scripts in `tests/interop/`.
//!
//! - certqr signs, pycose verifies and cbor2 reads the claims;
//! - pycose signs certqr claims, certqr verifies.
//!
//! Python comes from `CERTQR_PYTHON` (`scripts/test.sh` sets it to a venv with
//! `tests/interop/requirements.txt`). Without it the tests print a skip line, unless
//! `CERTQR_REQUIRE_INTEROP=1`, in which case they fail.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use certqr_core::catalog::Family;
use certqr_core::cose;
use certqr_core::issue::Issuer;
use certqr_core::text;
use certqr_core::verify::{Status, Verifier};
use certqr_tests::fixture::{self, Fixture};
use certqr_tests::forge::{from_hex, hex};
use certqr_tests::generator;
use certqr_tests::python;
use serde_json::json;
use time::macros::date;

fn verifier(fixture: &Fixture) -> Verifier {
    let mut verifier = Verifier::new(vec![fixture.root.public_key()]);
    verifier
        .install_trust_list(&fixture.signed_trust_list().unwrap())
        .unwrap();
    verifier
}

#[test]
fn pycose_verifies_what_certqr_signs() {
    let Some(python) = python::interpreter("pycose") else {
        return;
    };
    let fixture = Fixture::new();
    let certificate =
        generator::sample_certificate(Family::SpecialOperations, date!(2024 - 03 - 01)).unwrap();
    let document = Issuer::new(fixture.emergency.key.clone())
        .sign(&certificate)
        .unwrap();
    let key = fixture.emergency.public_key();

    let read = python::run_script(
        &python,
        "verify_certqr.py",
        &json!({"document_hex": hex(&document), "public_key_hex": hex(&key.to_bytes())}),
    );

    let expected = json!({
        "tag": 18,
        "protected_hex": hex(cose::parse(&document).unwrap().protected_bytes()),
        "unprotected": {},
        "algorithm": -8,
        "content_type": 65001,
        "key_id_hex": key.key_id().to_hex(),
        "signature_valid": true,
        "tampered_signature_valid": false,
        "claims": {
            "family": 1,
            "item": "1.1",
            "holder_name": "张建国",
            "sex": 1,
            "id_digits": 32_010_219_850_612_123_u64,
            "first_issued_days": 19_783,
            "valid_from_days": 19_783,
            "valid_until_days": 21_973,
            "review_due_days": 20_878,
        },
    });
    assert_eq!(read, expected);
    // The day counts are the certificate's dates.
    assert_eq!(
        certificate.valid_from,
        date!(1970 - 01 - 01) + time::Duration::days(19_783)
    );
    assert_eq!(
        certificate.valid_until,
        date!(1970 - 01 - 01) + time::Duration::days(21_973)
    );
    assert_eq!(
        certificate.review_due,
        Some(date!(1970 - 01 - 01) + time::Duration::days(20_878))
    );
}

#[test]
fn certqr_verifies_what_pycose_signs() {
    let Some(python) = python::interpreter("pycose") else {
        return;
    };
    let fixture = Fixture::new();
    let verifier = verifier(&fixture);
    let certificate =
        generator::sample_certificate(Family::SpecialOperations, date!(2024 - 03 - 01)).unwrap();
    let certqr_document = Issuer::new(fixture.emergency.key.clone())
        .sign(&certificate)
        .unwrap();
    let request = |header: &str| {
        json!({
            "claims_hex": hex(&certificate.to_claims()),
            "seed_hex": hex(&fixture.emergency.seed),
            "key_id_hex": fixture.emergency.public_key().key_id().to_hex(),
            "header": header,
        })
    };

    for header in ["encoded", "dict"] {
        let signed = python::run_script(&python, "sign_certqr.py", &request(header));
        let document = from_hex(signed["document_hex"].as_str().unwrap()).unwrap();
        let verdict = verifier.verify(&text::encode(&document), fixture::NOW);
        assert_eq!(
            verdict.status,
            Status::Valid,
            "header {header}: {:?}",
            verdict.reasons
        );
        assert_eq!(verdict.certificate.unwrap().holder_name, "张建国");
        // Ed25519 is deterministic and both sides write deterministic CBOR: the very same bytes.
        assert_eq!(hex(&document), hex(&certqr_document), "header {header}");
    }

    // A header map in insertion order 4, 1, 3 is not deterministic CBOR: refused.
    let signed = python::run_script(&python, "sign_certqr.py", &request("dict-unsorted"));
    assert!(
        signed["protected_hex"]
            .as_str()
            .unwrap()
            .starts_with("a304"),
        "{signed}"
    );
    let document = from_hex(signed["document_hex"].as_str().unwrap()).unwrap();
    let verdict = verifier.verify(&text::encode(&document), fixture::NOW);
    assert_eq!(verdict.status, Status::Invalid);
    let codes: Vec<_> = verdict.reasons.iter().map(|reason| reason.code()).collect();
    assert_eq!(codes, ["malformed-document"]);
    // pycose itself accepts it: a COSE library's checks are not enough for certqr, which
    // also insists on deterministic CBOR.
    let read = python::run_script(
        &python,
        "verify_certqr.py",
        &json!({
            "document_hex": hex(&document),
            "public_key_hex": hex(&fixture.emergency.public_key().to_bytes()),
        }),
    );
    assert_eq!(read["signature_valid"], json!(true), "{read}");
}
