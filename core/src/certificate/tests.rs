use time::macros::date;

use super::*;
use crate::samples;

fn sample(family: Family) -> Certificate {
    samples::certificate(family, date!(2024 - 03 - 01)).unwrap()
}

#[test]
fn samples_of_every_family_pass_their_rules_and_round_trip() {
    for family in Family::ALL {
        let certificate = sample(family);
        assert_eq!(certificate.check(), Ok(()), "{family:?}");
        let claims = certificate.to_claims();
        let (decoded, extensions) = Certificate::from_claims(&claims).unwrap();
        assert_eq!(decoded, certificate);
        assert!(extensions.is_empty());
        assert_eq!(decoded.to_claims(), claims);
    }
}

#[test]
fn derived_certificate_number_is_left_out_of_the_claims() {
    let certificate = sample(Family::SpecialOperations);
    let with_number = Certificate {
        family: Family::SpecialEquipment,
        item: "Q2".into(),
        review_due: None,
        ..certificate.clone()
    };
    let claims = Fields::new(cbor::decode(&certificate.to_claims()).unwrap()).unwrap();
    assert!(!claims.remaining_keys().contains(&claim::NUMBER.into()));
    let claims = Fields::new(cbor::decode(&with_number.to_claims()).unwrap()).unwrap();
    assert!(claims.remaining_keys().contains(&claim::NUMBER.into()));
}

#[test]
fn check_refuses_what_breaks_the_family_rules() {
    let base = sample(Family::SpecialOperations);
    let equipment = sample(Family::SpecialEquipment);
    let female = samples::id_number("32010219850612124").unwrap();
    let table: Vec<(Certificate, CertificateError)> = vec![
        (
            Certificate {
                item: "Q2".into(),
                ..base.clone()
            },
            CertificateError::ItemNotInFamily {
                family: Family::SpecialOperations,
                item: "Q2".into(),
            },
        ),
        (
            Certificate {
                item: "1".into(),
                ..base.clone()
            },
            CertificateError::ItemNotInFamily {
                family: Family::SpecialOperations,
                item: "1".into(),
            },
        ),
        (
            Certificate {
                valid_until: date!(2030 - 03 - 02),
                ..base.clone()
            },
            CertificateError::ValidityTooLong {
                max_years: 6,
                latest: date!(2030 - 03 - 01),
            },
        ),
        (
            Certificate {
                valid_until: date!(2028 - 03 - 02),
                ..equipment.clone()
            },
            CertificateError::ValidityTooLong {
                max_years: 4,
                latest: date!(2028 - 03 - 01),
            },
        ),
        (
            Certificate {
                number: "T320102198506121230".into(),
                ..base.clone()
            },
            CertificateError::Number(CertificateNumberError::NotHolderIdNumber),
        ),
        (
            Certificate {
                number: "TS 320582A0010023".into(),
                ..equipment.clone()
            },
            CertificateError::Number(CertificateNumberError::InvalidCharacter { position: 3 }),
        ),
        (
            Certificate {
                id_number: female.clone(),
                number: format!("T{}", female.as_str()),
                ..base.clone()
            },
            CertificateError::SexMismatch,
        ),
        (
            Certificate {
                holder_name: String::new(),
                ..base.clone()
            },
            CertificateError::HolderName(NameError::Empty),
        ),
        (
            Certificate {
                holder_name: " 张三".into(),
                ..base.clone()
            },
            CertificateError::HolderName(NameError::SurroundingSpace),
        ),
        (
            Certificate {
                holder_name: "张\u{0}三".into(),
                ..base.clone()
            },
            CertificateError::HolderName(NameError::DisallowedCharacter {
                position: 2,
                code_point: 0,
            }),
        ),
        (
            Certificate {
                holder_name: "张\u{202E}三".into(),
                ..base.clone()
            },
            CertificateError::HolderName(NameError::DisallowedCharacter {
                position: 2,
                code_point: 0x202E,
            }),
        ),
        (
            Certificate {
                holder_name: "张\u{200B}三".into(),
                ..base.clone()
            },
            CertificateError::HolderName(NameError::DisallowedCharacter {
                position: 2,
                code_point: 0x200B,
            }),
        ),
        (
            Certificate {
                holder_name: "\u{FEFF}张三".into(),
                ..base.clone()
            },
            CertificateError::HolderName(NameError::DisallowedCharacter {
                position: 1,
                code_point: 0xFEFF,
            }),
        ),
        (
            Certificate {
                holder_name: "\u{F900}三".into(),
                ..base.clone()
            },
            CertificateError::HolderName(NameError::NotNormalized),
        ),
        (
            Certificate {
                holder_name: "名".repeat(33),
                ..base.clone()
            },
            CertificateError::HolderName(NameError::TooLong { found: 33, max: 32 }),
        ),
        (
            Certificate {
                first_issued: date!(1980 - 01 - 01),
                ..base.clone()
            },
            CertificateError::IssuedBeforeBirth,
        ),
        (
            Certificate {
                first_issued: date!(2024 - 03 - 02),
                ..base.clone()
            },
            CertificateError::DatesOutOfOrder,
        ),
        (
            Certificate {
                valid_until: date!(2024 - 02 - 29),
                ..base.clone()
            },
            CertificateError::DatesOutOfOrder,
        ),
        (
            Certificate {
                review_due: None,
                ..base.clone()
            },
            CertificateError::ReviewDateMissing,
        ),
        (
            Certificate {
                review_due: Some(date!(2025 - 01 - 01)),
                ..equipment.clone()
            },
            CertificateError::ReviewNotApplicable,
        ),
        (
            Certificate {
                review_due: Some(date!(2027 - 03 - 02)),
                ..base.clone()
            },
            CertificateError::ReviewDateOutOfRange {
                latest: date!(2027 - 03 - 01),
            },
        ),
        (
            Certificate {
                review_due: Some(date!(2024 - 03 - 01)),
                ..base.clone()
            },
            CertificateError::ReviewDateOutOfRange {
                latest: date!(2027 - 03 - 01),
            },
        ),
    ];
    for (index, (certificate, expected)) in table.into_iter().enumerate() {
        assert_eq!(certificate.check(), Err(expected), "case {index}");
    }
}

#[test]
fn long_standing_holders_may_have_six_year_reviews() {
    let base = sample(Family::SpecialOperations);
    let six_years = Some(date!(2030 - 02 - 28));
    let veteran = Certificate {
        first_issued: date!(2014 - 03 - 01),
        review_due: six_years,
        ..base.clone()
    };
    assert_eq!(veteran.check(), Ok(()));
    let newcomer = Certificate {
        first_issued: date!(2014 - 03 - 02),
        review_due: six_years,
        ..base
    };
    assert_eq!(
        newcomer.check(),
        Err(CertificateError::ReviewDateOutOfRange {
            latest: date!(2027 - 03 - 01)
        })
    );
}

#[test]
fn add_years_keeps_the_day_or_falls_back_to_28_february() {
    assert_eq!(add_years(date!(2024 - 02 - 29), 1), date!(2025 - 02 - 28));
    assert_eq!(add_years(date!(2024 - 02 - 29), 4), date!(2028 - 02 - 29));
    assert_eq!(add_years(date!(2024 - 03 - 01), 6), date!(2030 - 03 - 01));
}

#[test]
fn china_date_is_utc_plus_eight() {
    let late_evening_utc = time::macros::datetime!(2024-03-01 16:30 UTC);
    assert_eq!(china_date(late_evening_utc), date!(2024 - 03 - 02));
    assert_eq!(
        china_date(time::macros::datetime!(9999-12-31 23:00 UTC)),
        Date::MAX
    );
}

fn claims_with(entries: Vec<(Value, Value)>) -> Vec<u8> {
    let base = sample(Family::SpecialEquipment).to_claims();
    let Value::Map(mut map) = cbor::decode(&base).unwrap() else {
        unreachable!()
    };
    for (key, value) in entries {
        map.retain(|(k, _)| *k != key);
        if value != Value::Null {
            map.push((key, value));
        }
    }
    cbor::encode(&Value::Map(map))
}

#[test]
fn from_claims_fail_table() {
    let table: Vec<(Vec<u8>, ClaimsError)> = vec![
        (
            vec![0xa0, 0x00],
            ClaimsError::Cbor(CborError::TrailingBytes { count: 1 }),
        ),
        (
            cbor::encode(&Value::Array(vec![])),
            ClaimsError::Field(FieldError::NotAMap),
        ),
        (
            claims_with(vec![(int(1), Value::Null)]),
            ClaimsError::Field(FieldError::Missing { key: 1 }),
        ),
        (
            claims_with(vec![(int(1), int(9))]),
            ClaimsError::Field(FieldError::OutOfRange { key: 1 }),
        ),
        (
            claims_with(vec![(int(1), Value::Text("1".into()))]),
            ClaimsError::Field(FieldError::WrongType {
                key: 1,
                expected: "an unsigned integer",
            }),
        ),
        (
            claims_with(vec![(int(4), int(3))]),
            ClaimsError::Field(FieldError::OutOfRange { key: 4 }),
        ),
        (
            claims_with(vec![(int(2), Value::Text("Q".repeat(17)))]),
            ClaimsError::Field(FieldError::TooLong { key: 2, max: 16 }),
        ),
        (
            claims_with(vec![(int(3), Value::Text("名".repeat(43)))]),
            ClaimsError::Field(FieldError::TooLong { key: 3, max: 128 }),
        ),
        (
            claims_with(vec![(int(5), Value::Text("32058219900303042X".into()))]),
            ClaimsError::Field(FieldError::WrongType {
                key: 5,
                expected: "an unsigned integer",
            }),
        ),
        (
            claims_with(vec![(int(5), int(100_000_000_000_000_000))]),
            ClaimsError::Field(FieldError::OutOfRange { key: 5 }),
        ),
        (
            claims_with(vec![(int(5), int(32_058_219_901_303_042))]),
            ClaimsError::IdNumber(IdNumberError::InvalidBirthDate),
        ),
        (
            claims_with(vec![(int(6), Value::Null)]),
            ClaimsError::Field(FieldError::Missing { key: 6 }),
        ),
        (
            claims_with(vec![(int(9), int(1_000_000))]),
            ClaimsError::Field(FieldError::OutOfRange { key: 9 }),
        ),
        (
            claims_with(vec![(int(11), int(0))]),
            ClaimsError::Field(FieldError::Unknown { key: 11 }),
        ),
        (
            claims_with(vec![(Value::Text("x".into()), int(0))]),
            ClaimsError::Field(FieldError::NonIntegerKey),
        ),
    ];
    for (index, (bytes, expected)) in table.into_iter().enumerate() {
        assert_eq!(
            Certificate::from_claims(&bytes),
            Err(expected),
            "case {index}"
        );
    }
}

#[test]
fn extension_claims_are_returned_for_the_caller_to_ignore() {
    let bytes = claims_with(vec![(int(100), Value::Text("x".into())), (int(-1), int(0))]);
    let (certificate, extensions) = Certificate::from_claims(&bytes).unwrap();
    assert_eq!(certificate, sample(Family::SpecialEquipment));
    assert_eq!(extensions, vec![-1, 100]);
}

#[test]
fn a_derived_certificate_number_written_out_is_refused() {
    let certificate = sample(Family::SpecialOperations);
    let Value::Map(mut map) = cbor::decode(&certificate.to_claims()).unwrap() else {
        unreachable!()
    };
    map.push((int(6), Value::Text(certificate.number.clone())));
    assert_eq!(
        Certificate::from_claims(&cbor::encode(&Value::Map(map))),
        Err(ClaimsError::DerivedClaim { key: 6 })
    );
}
