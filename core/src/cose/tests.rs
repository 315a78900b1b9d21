use super::*;
use crate::keys::{Algorithm, SigningKey};

fn key() -> SigningKey {
    SigningKey::from_seed(Algorithm::Ed25519, &[3u8; 32])
}

fn message(protected: Value, unprotected: Value, payload: Value, signature: Value) -> Vec<u8> {
    cbor::encode(&Value::Tag(
        COSE_SIGN1_TAG,
        Box::new(Value::Array(vec![
            protected,
            unprotected,
            payload,
            signature,
        ])),
    ))
}

fn header(entries: Vec<(Value, Value)>) -> Value {
    Value::Bytes(cbor::encode(&Value::Map(entries)))
}

fn good_header() -> Vec<(Value, Value)> {
    vec![
        (int(1), int(-8)),
        (int(3), int(65001)),
        (int(4), Value::Bytes(vec![0; 8])),
    ]
}

#[test]
fn sign_then_parse_and_verify() {
    let key = key();
    let bytes = sign(DocumentKind::Certificate, &key, b"payload".to_vec());
    let parsed = parse(&bytes).unwrap();
    assert_eq!(parsed.kind(), Some(DocumentKind::Certificate));
    assert_eq!(parsed.algorithm, -8);
    assert_eq!(parsed.key_id, key.public_key().key_id());
    assert_eq!(parsed.payload, b"payload");
    key.public_key()
        .verify(&parsed.signed_data(), &parsed.signature)
        .unwrap();
    // The protected header is the deterministic map {1: -8, 3: 65001, 4: kid}.
    let mut expected = vec![0xa3, 0x01, 0x27, 0x03, 0x19, 0xfd, 0xe9, 0x04, 0x48];
    expected.extend_from_slice(&key.public_key().key_id().0);
    assert_eq!(parsed.protected_bytes(), expected);
}

#[test]
fn signature_covers_protected_header_and_payload() {
    let key = key();
    let bytes = sign(DocumentKind::TrustList, &key, b"payload".to_vec());
    let mut parsed = parse(&bytes).unwrap();
    parsed.payload = b"paylaod".to_vec();
    assert!(key
        .public_key()
        .verify(&parsed.signed_data(), &parsed.signature)
        .is_err());
    let swapped = Sign1 {
        content_type: DocumentKind::Certificate.content_type(),
        ..parse(&bytes).unwrap()
    };
    // Changing the parsed value does not change the signed bytes: they come from the wire.
    assert_eq!(swapped.signed_data(), parse(&bytes).unwrap().signed_data());
}

/// format.md §4.1 and §4.2: every envelope and protected header a reader refuses, each
/// with its exact error.
#[test]
fn parse_fail_table() {
    let sig = || Value::Bytes(vec![0; 64]);
    let payload = || Value::Bytes(b"x".to_vec());
    let empty = || Value::Map(Vec::new());
    let mut crit_unknown = good_header();
    crit_unknown.push((int(2), Value::Array(vec![int(99)])));
    let mut crit_empty = good_header();
    crit_empty.push((int(2), Value::Array(Vec::new())));
    let mut kid_short = good_header();
    kid_short[2].1 = Value::Bytes(vec![0; 7]);
    let mut alg_text = good_header();
    alg_text[0].1 = Value::Text("EdDSA".into());
    let mut content_text = good_header();
    content_text[1].1 = Value::Text("application/cbor".into());
    let no_alg: Vec<_> = good_header().into_iter().skip(1).collect();
    let no_kid: Vec<_> = good_header().into_iter().take(2).collect();
    let mut untagged = cbor::encode(&Value::Array(vec![
        header(good_header()),
        empty(),
        payload(),
        sig(),
    ]));
    let mut trailing = message(header(good_header()), empty(), payload(), sig());
    trailing.push(0);
    let non_canonical_header = {
        // {1: -8, ...} with -8 written in two bytes (0x38 0x07).
        let mut bytes = cbor::encode(&Value::Map(good_header()));
        bytes.splice(2..3, [0x38, 0x07]);
        Value::Bytes(bytes)
    };
    let table: Vec<(Vec<u8>, CoseError)> = vec![
        (std::mem::take(&mut untagged), CoseError::NotSign1),
        (
            cbor::encode(&Value::Tag(17, Box::new(Value::Array(vec![])))),
            CoseError::NotSign1,
        ),
        (
            cbor::encode(&Value::Tag(18, Box::new(Value::Array(vec![payload()])))),
            CoseError::Structure(StructureError::NotFourItems),
        ),
        (
            message(Value::Map(good_header()), empty(), payload(), sig()),
            CoseError::Structure(StructureError::ProtectedHeaderNotBytes),
        ),
        (
            message(
                header(good_header()),
                Value::Map(vec![(int(4), Value::Bytes(vec![1]))]),
                payload(),
                sig(),
            ),
            CoseError::UnprotectedHeader,
        ),
        (
            message(header(good_header()), empty(), Value::Null, sig()),
            CoseError::Structure(StructureError::PayloadNotBytes),
        ),
        (
            message(header(crit_unknown), empty(), payload(), sig()),
            CoseError::UnknownCriticalHeader,
        ),
        (
            message(header(crit_empty), empty(), payload(), sig()),
            CoseError::HeaderValue { label: 2 },
        ),
        (
            message(header(kid_short), empty(), payload(), sig()),
            CoseError::HeaderValue { label: 4 },
        ),
        (
            message(header(alg_text), empty(), payload(), sig()),
            CoseError::HeaderValue { label: 1 },
        ),
        (
            message(header(content_text), empty(), payload(), sig()),
            CoseError::HeaderValue { label: 3 },
        ),
        (
            message(header(no_alg), empty(), payload(), sig()),
            CoseError::MissingHeader { label: 1 },
        ),
        (
            message(header(no_kid), empty(), payload(), sig()),
            CoseError::MissingHeader { label: 4 },
        ),
        (
            trailing,
            CoseError::Cbor {
                part: "message",
                error: CborError::TrailingBytes { count: 1 },
            },
        ),
        (
            message(non_canonical_header, empty(), payload(), sig()),
            CoseError::Cbor {
                part: "protected header",
                error: CborError::NonMinimalEncoding { offset: 2 },
            },
        ),
        (
            vec![0u8; MAX_DOCUMENT_LENGTH + 1],
            CoseError::TooLarge {
                length: MAX_DOCUMENT_LENGTH + 1,
            },
        ),
    ];
    for (index, (bytes, expected)) in table.into_iter().enumerate() {
        assert_eq!(parse(&bytes), Err(expected), "case {index}");
    }
}

#[test]
fn understood_critical_headers_are_accepted() {
    let mut entries = good_header();
    entries.push((int(2), Value::Array(vec![int(3)])));
    let bytes = message(
        header(entries),
        Value::Map(Vec::new()),
        Value::Bytes(vec![]),
        Value::Bytes(vec![0; 64]),
    );
    assert_eq!(parse(&bytes).unwrap().content_type, 65001);
}

#[test]
fn signed_data_is_the_sig_structure_coset_builds() {
    // Payload lengths at every CBOR head size boundary.
    for length in [0usize, 23, 24, 255, 256, 65_535, 65_536, 200_000] {
        let signed = sign(DocumentKind::RevocationList, &key(), vec![0xa5; length]);
        let message = parse_with_limit(&signed, 1 << 20).unwrap();
        let reference = coset::sig_structure_data(
            coset::SignatureContext::CoseSign1,
            coset::ProtectedHeader {
                original_data: Some(message.protected_bytes().to_vec()),
                header: coset::Header::default(),
            },
            None,
            &[],
            &message.payload,
        );
        assert_eq!(message.signed_data(), reference, "{length}");
    }
}

#[test]
fn is_signed_by_one_of_checks_key_id_algorithm_and_signature() {
    let signer = key();
    let other = SigningKey::from_seed(Algorithm::Ed25519, &[4u8; 32]);
    let message = parse(&sign(DocumentKind::TrustList, &signer, b"x".to_vec())).unwrap();
    assert!(message.is_signed_by_one_of(&[other.public_key(), signer.public_key()]));
    assert!(!message.is_signed_by_one_of(&[other.public_key()]));
    assert!(!message.is_signed_by_one_of(&[]));
    let forged = Sign1 {
        signature: vec![0; 64],
        ..message.clone()
    };
    assert!(!forged.is_signed_by_one_of(&[signer.public_key()]));
}
