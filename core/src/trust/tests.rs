use time::macros::{date, datetime};

use super::*;
use crate::samples;

fn root() -> SigningKey {
    SigningKey::from_seed(Algorithm::Ed25519, &[1u8; 32])
}

fn list() -> TrustList {
    let issuer = SigningKey::from_seed(Algorithm::Ed25519, &[2u8; 32]);
    let mut entry = samples::issuer(
        issuer.public_key(),
        "江苏省应急管理厅",
        "Jiangsu EMD",
        320_000,
        &[Family::SpecialOperations],
        date!(2020 - 01 - 01),
    );
    entry.scope.push(Scope {
        family: Family::SafetyManagement,
        items: Some(vec!["P-COAL".into(), "S-COAL".into()]),
    });
    let mut retired = samples::issuer(
        SigningKey::from_seed(Algorithm::Ed25519, &[3u8; 32]).public_key(),
        "旧",
        "Old",
        320_100,
        &[Family::SpecialEquipment],
        date!(2015 - 01 - 01),
    );
    retired.status = KeyStatus::Retired {
        since: date!(2021 - 06 - 30),
    };
    samples::trust_list(3, datetime!(2025-01-01 0:00 UTC), vec![entry, retired])
}

#[test]
fn sign_and_read_back() {
    let list = list();
    let signed = list.sign(&root()).unwrap();
    assert_eq!(
        TrustList::from_signed(&signed, &[root().public_key()]).unwrap(),
        list
    );
    let second_root = SigningKey::from_seed(Algorithm::Ed25519, &[5u8; 32]).public_key();
    assert!(TrustList::from_signed(&signed, &[second_root.clone(), root().public_key()]).is_ok());
    assert_eq!(
        TrustList::from_signed(&signed, &[second_root]),
        Err(TrustListError::NotSignedByRoot {
            key_id: root().public_key().key_id()
        })
    );
}

#[test]
fn signing_refuses_inconsistent_lists() {
    let base = list();
    let mut cases: Vec<(TrustList, TrustListError)> = Vec::new();
    let mut expired = base.clone();
    expired.expires_at = expired.issued_at;
    cases.push((expired, TrustListError::ExpiresBeforeIssued));
    let mut region = base.clone();
    region.issuers[0].region_code = 32;
    cases.push((
        region,
        TrustListError::Issuer {
            index: 0,
            error: IssuerError::RegionCode,
        },
    ));
    let mut empty_scope = base.clone();
    empty_scope.issuers[1].scope.clear();
    cases.push((
        empty_scope,
        TrustListError::Issuer {
            index: 1,
            error: IssuerError::Invalid("scope is empty"),
        },
    ));
    let mut bad_item = base.clone();
    bad_item.issuers[0].scope[1].items = Some(vec!["Q2".into()]);
    cases.push((
        bad_item,
        TrustListError::Issuer {
            index: 0,
            error: IssuerError::Invalid("scope names an item outside its family"),
        },
    ));
    let mut window = base.clone();
    window.issuers[0].key_valid_until = date!(2019 - 12 - 31);
    cases.push((
        window,
        TrustListError::Issuer {
            index: 0,
            error: IssuerError::KeyWindow,
        },
    ));
    let mut duplicate = base.clone();
    duplicate.issuers.push(base.issuers[0].clone());
    cases.push((
        duplicate,
        TrustListError::Issuer {
            index: 2,
            error: IssuerError::DuplicateKey,
        },
    ));
    for (index, (list, expected)) in cases.into_iter().enumerate() {
        assert_eq!(list.sign(&root()), Err(expected), "case {index}");
    }
}

fn signed_payload(payload: Value) -> Vec<u8> {
    cose::sign(DocumentKind::TrustList, &root(), cbor::encode(&payload))
}

fn payload_with_issuer(change: impl FnOnce(&mut Vec<(Value, Value)>)) -> Value {
    let Value::Map(mut issuer) = issuer_value(&list().issuers[0]) else {
        unreachable!()
    };
    change(&mut issuer);
    Value::Map(vec![
        (int(1), int(1)),
        (int(2), int(1_700_000_000)),
        (int(3), int(1_800_000_000)),
        (int(4), Value::Array(vec![Value::Map(issuer)])),
    ])
}

#[test]
fn reading_refuses_malformed_content() {
    let roots = [root().public_key()];
    let set = |key: i64, value: Value| {
        move |issuer: &mut Vec<(Value, Value)>| {
            issuer.retain(|(k, _)| *k != int(key));
            if value != Value::Null {
                issuer.push((int(key), value));
            }
        }
    };
    let issuer_error = |error: IssuerError| TrustListError::Issuer { index: 0, error };
    let cases: Vec<(Value, TrustListError)> = vec![
        (
            Value::Map(vec![
                (int(1), int(1)),
                (int(2), int(5)),
                (int(3), int(5)),
                (int(4), Value::Array(vec![])),
            ]),
            TrustListError::ExpiresBeforeIssued,
        ),
        (
            payload_with_issuer(set(1, int(-7))),
            issuer_error(IssuerError::UnsupportedAlgorithm(-7)),
        ),
        (
            payload_with_issuer(set(2, Value::Bytes(vec![0; 31]))),
            issuer_error(IssuerError::Key(KeyError::WrongLength {
                algorithm: Algorithm::Ed25519,
                expected: 32,
                found: 31,
            })),
        ),
        (
            payload_with_issuer(set(9, int(2))),
            issuer_error(IssuerError::Field(FieldError::Missing { key: 10 })),
        ),
        (
            payload_with_issuer(set(9, int(4))),
            issuer_error(IssuerError::Field(FieldError::OutOfRange { key: 9 })),
        ),
        (
            payload_with_issuer(set(11, int(0))),
            issuer_error(IssuerError::Field(FieldError::Unknown { key: 11 })),
        ),
        (
            payload_with_issuer(set(6, Value::Array(vec![Value::Array(vec![int(9)])]))),
            issuer_error(IssuerError::Invalid("scope names an unknown family")),
        ),
        (
            Value::Map(vec![(int(1), int(1))]),
            TrustListError::Field(FieldError::Missing { key: 2 }),
        ),
    ];
    for (index, (payload, expected)) in cases.into_iter().enumerate() {
        assert_eq!(
            TrustList::from_signed(&signed_payload(payload), &roots),
            Err(expected),
            "case {index}"
        );
    }
}

#[test]
fn extension_fields_are_ignored() {
    let roots = [root().public_key()];
    let Value::Map(mut map) = cbor::decode(&list().to_payload()).unwrap() else {
        unreachable!()
    };
    map.push((int(100), Value::Text("future".into())));
    let read = TrustList::from_signed(&signed_payload(Value::Map(map)), &roots).unwrap();
    assert_eq!(read, list());
}
