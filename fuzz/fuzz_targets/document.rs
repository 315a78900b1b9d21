//! Signed documents and claims, below the text layer.
//!
//! The input is tried as deterministic CBOR, as a COSE_Sign1 message and as a claims map;
//! whatever is read must re-encode to exactly the input bytes (one encoding per value).
//! Then it is verified: as a signed document when it starts like one (tag 18), otherwise
//! as claims signed by the world's issuer for their family, so that the checks after the
//! signature (claims, family rules, scope, key window, dates, revocation) see arbitrary
//! signed data. Every verdict keeps `certqr_fuzz::check_verdict`.
#![no_main]

use certqr_core::cbor::{self, Value};
use certqr_core::certificate::Certificate;
use certqr_core::cose::{self, DocumentKind};
use libfuzzer_sys::fuzz_target;

/// First byte of a CBOR item tagged 18 (COSE_Sign1).
const SIGN1_TAG_BYTE: u8 = 0xd2;

fuzz_target!(init: certqr_fuzz::init("document"), |data: &[u8]| {
    let world = certqr_fuzz::world();
    if let Ok(value) = cbor::decode(data) {
        assert_eq!(cbor::encode(&value), data, "CBOR re-encodes differently");
    }
    if let Ok(message) = cose::parse(data) {
        let rebuilt = cbor::encode(&Value::Tag(
            cose::COSE_SIGN1_TAG,
            Box::new(Value::Array(vec![
                Value::Bytes(message.protected_bytes().to_vec()),
                Value::Map(Vec::new()),
                Value::Bytes(message.payload.clone()),
                Value::Bytes(message.signature.clone()),
            ])),
        ));
        assert_eq!(rebuilt, data, "COSE_Sign1 re-encodes differently");
        let expected = Value::Array(vec![
            Value::Text("Signature1".into()),
            Value::Bytes(message.protected_bytes().to_vec()),
            Value::Bytes(Vec::new()),
            Value::Bytes(message.payload.clone()),
        ]);
        assert_eq!(
            cbor::decode(&message.signed_data()).ok(),
            Some(expected),
            "Sig_structure is not the canonical Signature1 array"
        );
        check_claims(&message.payload);
    }
    check_claims(data);

    let document = if data.first() == Some(&SIGN1_TAG_BYTE) {
        data.to_vec()
    } else {
        let family = Certificate::from_claims(data)
            .ok()
            .map(|(certificate, _)| certificate.family);
        cose::sign(DocumentKind::Certificate, world.issuer_for(family), data.to_vec())
    };
    let verdict = world.verifier.verify_document(&document, world.now);
    certqr_fuzz::check_verdict(&world.verifier, world.now, Some(&document), &verdict);
});

/// Claims that read re-encode to the same bytes unless they hold extension claims, and
/// reading the re-encoding gives the same certificate with no extensions.
fn check_claims(claims: &[u8]) {
    let Ok((certificate, extensions)) = Certificate::from_claims(claims) else {
        return;
    };
    assert!(extensions.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(extensions.iter().all(|key| !(0..100).contains(key)));
    let encoded = certificate.to_claims();
    if extensions.is_empty() {
        assert_eq!(encoded, claims, "claims re-encode differently");
    }
    assert_eq!(
        Certificate::from_claims(&encoded),
        Ok((certificate, Vec::new())),
        "re-encoded claims read differently"
    );
}
