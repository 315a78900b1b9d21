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
            error: IssuerError::EmptyScope,
        },
    ));
    let mut bad_item = base.clone();
    bad_item.issuers[0].scope[1].items = Some(vec!["Q2".into()]);
    cases.push((
        bad_item,
        TrustListError::Issuer {
            index: 0,
            error: IssuerError::ScopeItemOutsideFamily,
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
            payload_with_issuer(set(12, int(0))),
            issuer_error(IssuerError::Field(FieldError::Unknown { key: 12 })),
        ),
        (
            payload_with_issuer(set(11, int(0))),
            issuer_error(IssuerError::Field(FieldError::WrongType {
                key: 11,
                expected: "an array",
            })),
        ),
        (
            payload_with_issuer(set(11, Value::Array(vec![]))),
            issuer_error(IssuerError::EmptyDomains),
        ),
        (
            payload_with_issuer(set(11, Value::Array(vec![int(1)]))),
            issuer_error(IssuerError::Field(FieldError::WrongType {
                key: 11,
                expected: "a text string",
            })),
        ),
        (
            payload_with_issuer(set(11, Value::Array(vec![Value::Text("a".repeat(254))]))),
            issuer_error(IssuerError::Field(FieldError::TooLong {
                key: 11,
                max: 253,
            })),
        ),
        (
            payload_with_issuer(set(
                11,
                Value::Array(vec![Value::Text("cx.mem.gov.cn".into()); 33]),
            )),
            issuer_error(IssuerError::Field(FieldError::TooLong { key: 11, max: 32 })),
        ),
        (
            payload_with_issuer(set(
                11,
                Value::Array(vec![Value::Text("CX.MEM.GOV.CN".into())]),
            )),
            issuer_error(IssuerError::Domain {
                index: 0,
                error: DomainError::Character('C'),
            }),
        ),
        (
            payload_with_issuer(set(6, Value::Array(vec![Value::Array(vec![int(9)])]))),
            issuer_error(IssuerError::UnknownScopeFamily),
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

fn with_domains() -> TrustList {
    let mut list = list();
    list.issuers[0].domains = vec!["ajj.jiangsu.gov.cn".into(), "jszwfw.gov.cn".into()];
    list.official_domains = vec![OfficialDomain {
        domain: "cx.mem.gov.cn".into(),
        name_zh: "应急管理部".into(),
        name_en: "Ministry of Emergency Management".into(),
    }];
    list
}

#[test]
fn official_domains_are_signed_and_read_back() {
    let named = with_domains();
    let signed = named.sign(&root()).unwrap();
    assert_eq!(
        TrustList::from_signed(&signed, &[root().public_key()]).unwrap(),
        named
    );
    // Absent when empty: a list without domains encodes as before they existed.
    let Value::Map(map) = cbor::decode(&list().to_payload()).unwrap() else {
        unreachable!()
    };
    assert!(!map.iter().any(|(key, _)| *key == int(5)));
    let Value::Map(issuer) = issuer_value(&list().issuers[0]) else {
        unreachable!()
    };
    assert!(!issuer.iter().any(|(key, _)| *key == int(11)));
}

#[test]
fn signing_refuses_bad_official_domains() {
    let domain_error = |index, error| TrustListError::Issuer {
        index: 0,
        error: IssuerError::Domain { index, error },
    };
    let official_error = |index, error| TrustListError::OfficialDomain { index, error };
    let mut cases: Vec<(TrustList, TrustListError)> = Vec::new();
    let mut trailing_dot = with_domains();
    trailing_dot.issuers[0].domains[1] = "jszwfw.gov.cn.".into();
    cases.push((trailing_dot, domain_error(1, DomainError::TrailingDot)));
    let mut twice = with_domains();
    twice.issuers[0].domains.push("ajj.jiangsu.gov.cn".into());
    cases.push((twice, domain_error(2, DomainError::Duplicate)));
    let mut suffix = with_domains();
    suffix.issuers[0].domains[0] = "gov.cn".into();
    cases.push((suffix, domain_error(0, DomainError::PublicSuffix)));
    let mut too_many = with_domains();
    too_many.issuers[0].domains = (0..33).map(|n| format!("s{n}.example.cn")).collect();
    cases.push((
        too_many,
        TrustListError::Issuer {
            index: 0,
            error: IssuerError::Field(FieldError::TooLong { key: 11, max: 32 }),
        },
    ));
    let mut label = with_domains();
    label.official_domains[0].domain = "cx..gov.cn".into();
    cases.push((
        label,
        official_error(0, OfficialDomainError::Domain(DomainError::EmptyLabel)),
    ));
    let mut nameless = with_domains();
    nameless.official_domains[0].name_en = " ".into();
    cases.push((nameless, official_error(0, OfficialDomainError::EmptyName)));
    let mut repeated = with_domains();
    repeated
        .official_domains
        .push(repeated.official_domains[0].clone());
    cases.push((
        repeated,
        official_error(1, OfficialDomainError::Domain(DomainError::Duplicate)),
    ));
    let mut platforms = with_domains();
    platforms.official_domains = (0..65)
        .map(|n| OfficialDomain {
            domain: format!("p{n}.example.cn"),
            ..with_domains().official_domains[0].clone()
        })
        .collect();
    cases.push((
        platforms,
        TrustListError::Field(FieldError::TooLong { key: 5, max: 64 }),
    ));
    for (index, (list, expected)) in cases.into_iter().enumerate() {
        assert_eq!(list.sign(&root()), Err(expected), "case {index}");
    }
}

#[test]
fn reading_refuses_malformed_official_domains() {
    let roots = [root().public_key()];
    let with_field_5 = |value: Value| {
        let Value::Map(mut map) = cbor::decode(&list().to_payload()).unwrap() else {
            unreachable!()
        };
        map.push((int(5), value));
        signed_payload(Value::Map(map))
    };
    let entry = |domain: Value, extra: Option<(i64, Value)>| {
        let mut entry = vec![
            (int(1), domain),
            (int(2), Value::Text("应急管理部".into())),
            (
                int(3),
                Value::Text("Ministry of Emergency Management".into()),
            ),
        ];
        entry.extend(extra.map(|(key, value)| (int(key), value)));
        Value::Map(entry)
    };
    let text = |text: &str| Value::Text(text.into());
    let official_error = |error| TrustListError::OfficialDomain { index: 0, error };
    let cases: Vec<(Value, TrustListError)> = vec![
        (Value::Array(vec![]), TrustListError::EmptyOfficialDomains),
        (
            text("cx.mem.gov.cn"),
            TrustListError::Field(FieldError::WrongType {
                key: 5,
                expected: "an array",
            }),
        ),
        (
            Value::Array(vec![text("cx.mem.gov.cn")]),
            official_error(OfficialDomainError::Field(FieldError::NotAMap)),
        ),
        (
            Value::Array(vec![entry(int(7), None)]),
            official_error(OfficialDomainError::Field(FieldError::WrongType {
                key: 1,
                expected: "a text string",
            })),
        ),
        (
            Value::Array(vec![entry(text("cx.mem.gov.cn"), Some((4, int(0))))]),
            official_error(OfficialDomainError::Field(FieldError::Unknown { key: 4 })),
        ),
        (
            Value::Array(vec![entry(text("xn--abc.cn"), None)]),
            official_error(OfficialDomainError::Domain(DomainError::Punycode)),
        ),
    ];
    for (index, (value, expected)) in cases.into_iter().enumerate() {
        assert_eq!(
            TrustList::from_signed(&with_field_5(value), &roots),
            Err(expected),
            "case {index}"
        );
    }
    // Extension keys of an entry are ignored.
    let extended = with_field_5(Value::Array(vec![entry(
        text("cx.mem.gov.cn"),
        Some((100, int(0))),
    )]));
    let read = TrustList::from_signed(&extended, &roots).unwrap();
    assert_eq!(read.official_domains[0].domain, "cx.mem.gov.cn");
}

/// format.md §3.1 and §6.2: extension keys of any CBOR integer are ignored in the trust
/// list map and in issuer entries, and an issuer algorithm beyond 64 bits is an
/// unsupported algorithm, not a key that "is not an integer".
#[test]
fn keys_and_algorithms_at_the_integer_boundaries() {
    use crate::fields::{big_int, INTEGER_BOUNDARIES};
    let roots = [root().public_key()];
    for key in INTEGER_BOUNDARIES {
        let payload = payload_with_issuer(|issuer| {
            issuer.push((big_int(key), Value::Text("future".into())));
        });
        let Value::Map(mut map) = payload else {
            unreachable!()
        };
        map.push((big_int(key), Value::Text("future".into())));
        let read = TrustList::from_signed(&signed_payload(Value::Map(map)), &roots);
        assert!(read.is_ok(), "{key}: {read:?}");

        let payload = payload_with_issuer(|issuer| {
            issuer.retain(|(label, _)| *label != int(1));
            issuer.push((int(1), big_int(key)));
        });
        assert_eq!(
            TrustList::from_signed(&signed_payload(payload), &roots),
            Err(TrustListError::Issuer {
                index: 0,
                error: IssuerError::UnsupportedAlgorithm(key),
            }),
            "{key}"
        );
    }
}

/// docs/format.md §6.2 and §6.6: authority names follow the character rules of
/// `name` (no Cc, Cf, Zl, Zp, no space but U+0020, no padding or doubled space, NFC),
/// refused when signing and when reading a list signed without the check.
#[test]
fn authority_names_with_invisible_characters_are_refused() {
    let roots = [root().public_key()];
    let disallowed = |position, code_point| NameError::DisallowedCharacter {
        position,
        code_point,
    };
    let issuer_error = |index, error| TrustListError::Issuer {
        index,
        error: IssuerError::Name(error),
    };
    let official_error = |error| TrustListError::OfficialDomain {
        index: 0,
        error: OfficialDomainError::Name(error),
    };
    type Change = Box<dyn Fn(&mut TrustList)>;
    let cases: Vec<(Change, TrustListError)> = vec![
        (
            Box::new(|list| list.issuers[0].name_zh = "江苏省\u{202E}应急管理厅".into()),
            issuer_error(0, disallowed(4, 0x202E)),
        ),
        (
            Box::new(|list| list.issuers[0].name_zh = "江苏省应急管理厅\u{200B}".into()),
            issuer_error(0, disallowed(9, 0x200B)),
        ),
        (
            Box::new(|list| list.issuers[1].name_en = "\u{FEFF}Old".into()),
            issuer_error(1, disallowed(1, 0xFEFF)),
        ),
        (
            Box::new(|list| list.issuers[0].name_en = "Jiangsu\u{A0}EMD".into()),
            issuer_error(0, disallowed(8, 0xA0)),
        ),
        (
            Box::new(|list| list.issuers[0].name_en = "Jiangsu  EMD".into()),
            issuer_error(0, NameError::DoubledSpace { position: 9 }),
        ),
        (
            Box::new(|list| list.issuers[0].name_en = "Jiangsu EMD ".into()),
            issuer_error(0, NameError::SurroundingSpace),
        ),
        (
            Box::new(|list| list.issuers[0].name_en = "Jiangsu E\u{301}MD".into()),
            issuer_error(0, NameError::NotNormalized),
        ),
        (
            Box::new(|list| list.official_domains[0].name_zh = "应急\u{2066}管理部".into()),
            official_error(disallowed(3, 0x2066)),
        ),
        (
            Box::new(|list| list.official_domains[0].name_en = "Ministry\u{2028}".into()),
            official_error(disallowed(9, 0x2028)),
        ),
    ];
    for (index, (change, expected)) in cases.into_iter().enumerate() {
        let mut list = with_domains();
        change(&mut list);
        assert_eq!(list.sign(&root()), Err(expected.clone()), "case {index}");
        let unchecked = cose::sign(DocumentKind::TrustList, &root(), list.to_payload());
        assert_eq!(
            TrustList::from_signed(&unchecked, &roots),
            Err(expected),
            "case {index}, reading"
        );
    }
}
