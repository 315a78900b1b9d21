use std::collections::BTreeSet;

use super::*;

#[test]
fn codes_round_trip_and_are_stable() {
    for (index, family) in Family::ALL.into_iter().enumerate() {
        assert_eq!(usize::from(family.code()), index + 1);
        assert_eq!(Family::from_code(u64::from(family.code())), Some(family));
        assert_eq!(Family::from_slug(family.slug()), Some(family));
    }
    for code in [0, 6, 255, 256 + 1, u64::MAX] {
        assert_eq!(Family::from_code(code), None, "{code}");
    }
    for slug in [
        "",
        "Special-Operations",
        "special_operations",
        " special-operations",
    ] {
        assert_eq!(Family::from_slug(slug), None, "{slug:?}");
    }
}

#[test]
fn serde_names_are_the_slugs() {
    for family in Family::ALL {
        let json = serde_json::to_string(&family).unwrap();
        assert_eq!(json, format!("\"{}\"", family.slug()));
        assert_eq!(serde_json::from_str::<Family>(&json).unwrap(), family);
    }
}

#[test]
fn every_name_is_present() {
    for family in Family::ALL {
        for text in [
            family.slug(),
            family.name_zh(),
            family.name_en(),
            family.authority_kind_zh(),
            family.authority_kind_en(),
        ] {
            assert!(!text.trim().is_empty(), "{family:?}");
        }
        assert!(!family.categories().is_empty(), "{family:?}");
        for category in family.categories() {
            assert!(!category.name_zh.trim().is_empty(), "{}", category.code);
            assert!(!category.name_en.trim().is_empty(), "{}", category.code);
            assert!(!category.items.is_empty(), "{}", category.code);
            for item in category.items {
                assert!(!item.name_zh.trim().is_empty(), "{}", item.code);
                assert!(!item.name_en.trim().is_empty(), "{}", item.code);
                assert!(!item.name_en.contains("  "), "{}", item.code);
            }
        }
    }
}

#[test]
fn codes_are_unique_short_ascii() {
    for family in Family::ALL {
        let mut items = BTreeSet::new();
        let mut categories = BTreeSet::new();
        for category in family.categories() {
            assert!(
                categories.insert(category.code),
                "{family:?} {}",
                category.code
            );
            for item in category.items {
                assert!(items.insert(item.code), "{family:?} {}", item.code);
            }
        }
        let codes = categories.iter().chain(items.iter());
        for code in codes {
            assert!(!code.is_empty() && code.len() <= MAX_CODE_LEN, "{code}");
            assert!(
                code.bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'.' || byte == b'-'),
                "{code}"
            );
        }
    }
}

#[test]
fn catalog_sizes() {
    let count = |family: Family| family.items().count();
    assert_eq!(count(Family::SpecialOperations), 52);
    assert_eq!(count(Family::SpecialEquipment), 20);
    assert_eq!(count(Family::SafetyManagement), 18);
    assert_eq!(count(Family::ConstructionSafetyManagement), 5);
    assert_eq!(count(Family::ConstructionSpecialOperations), 12);
}

#[test]
fn special_operations_codes_follow_the_hierarchy() {
    for category in Family::SpecialOperations.categories() {
        for (index, item) in category.items.iter().enumerate() {
            let expected = if category.code == "11" {
                "11".to_owned()
            } else {
                format!("{}.{}", category.code, index + 1)
            };
            assert_eq!(item.code, expected);
        }
    }
}

#[test]
fn item_lookups() {
    let cases = [
        (Family::SpecialOperations, "1.1", "高压电工作业", "1"),
        (Family::SpecialOperations, "5.10", "煤矿探放水作业", "5"),
        (
            Family::SpecialOperations,
            "9.16",
            "化工自动化控制仪表作业",
            "9",
        ),
        (
            Family::SpecialOperations,
            "11",
            "安全监管总局认定的其他作业",
            "11",
        ),
        (Family::SpecialEquipment, "A", "特种设备安全管理", "A"),
        (Family::SpecialEquipment, "Q2", "起重机司机", "Q"),
        (Family::SpecialEquipment, "F", "安全阀校验", "F"),
        (
            Family::SpecialEquipment,
            "W-NONMETAL",
            "非金属焊接操作",
            "W",
        ),
        (Family::SafetyManagement, "P-COAL", "煤矿主要负责人", "P"),
        (
            Family::SafetyManagement,
            "S-CHEM-TRADE",
            "危险化学品经营单位安全生产管理人员",
            "S",
        ),
        (
            Family::ConstructionSafetyManagement,
            "C2",
            "土建类专职安全生产管理人员",
            "C",
        ),
        (Family::ConstructionSafetyManagement, "B", "项目负责人", "B"),
        (
            Family::ConstructionSpecialOperations,
            "05",
            "建筑起重机械司机（塔式起重机）",
            "4",
        ),
        (
            Family::ConstructionSpecialOperations,
            "11",
            "高处作业吊篮安装拆卸工",
            "6",
        ),
    ];
    for (family, code, name_zh, category) in cases {
        let item = family.item(code).unwrap();
        assert_eq!(item.code, code);
        assert_eq!(item.name_zh, name_zh);
        assert_eq!(family.category_of(code).unwrap().code, category);
    }
}

#[test]
fn non_items_are_not_found() {
    let cases = [
        (Family::SpecialOperations, "1"),
        (Family::SpecialOperations, "9"),
        (Family::SpecialOperations, "5.11"),
        (Family::SpecialOperations, "1.1 "),
        (Family::SpecialOperations, "01.1"),
        (Family::SpecialOperations, ""),
        (Family::SpecialEquipment, "G"),
        (Family::SpecialEquipment, "q1"),
        (Family::SpecialEquipment, "1.1"),
        (Family::SpecialEquipment, "W"),
        (Family::SafetyManagement, "P"),
        (Family::SafetyManagement, "p-coal"),
        (Family::ConstructionSafetyManagement, "C"),
        (Family::ConstructionSpecialOperations, "1"),
        (Family::ConstructionSpecialOperations, "12"),
    ];
    for (family, code) in cases {
        assert_eq!(family.item(code), None, "{family:?} {code:?}");
        assert_eq!(family.category_of(code), None, "{family:?} {code:?}");
    }
}

#[test]
fn validity_and_review() {
    let years: Vec<u8> = Family::ALL
        .into_iter()
        .map(Family::max_validity_years)
        .collect();
    assert_eq!(years, [6, 4, 3, 3, 2]);
    let rule = Family::SpecialOperations.review_rule().unwrap();
    assert_eq!(
        rule,
        ReviewRule {
            interval_years: 3,
            extended_interval_years: 6,
            extended_after_years: 10
        }
    );
    assert_eq!(rule.interval_years_for(0, false), 3);
    assert_eq!(rule.interval_years_for(12, false), 3);
    assert_eq!(rule.interval_years_for(9, true), 3);
    assert_eq!(rule.interval_years_for(10, true), 6);
    for family in &Family::ALL[1..] {
        assert_eq!(family.review_rule(), None, "{family:?}");
    }
}

fn holder() -> IdNumber {
    IdNumber::parse("11010519491231002X").unwrap()
}

#[test]
fn number_rules_by_family() {
    assert_eq!(
        Family::SpecialOperations.number_rule(),
        NumberRule::TPrefixedIdNumber
    );
    for family in &Family::ALL[1..] {
        assert_eq!(
            family.number_rule(),
            NumberRule::IssuerAssigned,
            "{family:?}"
        );
    }
}

#[test]
fn t_prefixed_number_must_match_the_holder() {
    let rule = NumberRule::TPrefixedIdNumber;
    assert_eq!(rule.check("T11010519491231002X", &holder()), Ok(()));
    let cases = [
        "",
        "T",
        "11010519491231002X",
        "t11010519491231002X",
        "T11010519491231002x",
        "T11010519491231002X ",
        " T11010519491231002X",
        "TT11010519491231002X",
        "T440524188001010014",
        "Ｔ11010519491231002X",
    ];
    for number in cases {
        assert_eq!(
            rule.check(number, &holder()),
            Err(CertificateNumberError::NotHolderIdNumber),
            "{number:?}"
        );
    }
}

/// docs/format.md §5.4 rule 3: the issuer-assigned numbers of families 2 to 5.
#[test]
fn issuer_assigned_numbers() {
    let rule = NumberRule::IssuerAssigned;
    let valid = [
        // The shapes in use, per family.
        "TS320582A0010023",
        "370203197809215716",
        "11010519491231002X",
        "京建安C2（2024）0012345",
        "京建安A（2015）0012345",
        "冀建安C(2020)0001234",
        "粤A042024000123",
        "苏A012019000001",
        "TS-2024-000123",
        "(2024)0001",
        "A(2024)-01",
        "123456",
        "12345678901234567890123456789012",
    ];
    let thirty_one_ideographs_and_a_digit = format!("{}1", "中".repeat(31));
    let valid = valid
        .into_iter()
        .chain([thirty_one_ideographs_and_a_digit.as_str()]);
    for number in valid {
        assert_eq!(rule.check(number, &holder()), Ok(()), "{number:?}");
    }
    let invalid = |position| CertificateNumberError::InvalidCharacter { position };
    let hyphen = |position| CertificateNumberError::MisplacedHyphen { position };
    let unbalanced = |position| CertificateNumberError::UnbalancedParentheses { position };
    let cases = [
        ("", CertificateNumberError::Empty),
        ("-", CertificateNumberError::TooShort { found: 1, min: 6 }),
        ("1", CertificateNumberError::TooShort { found: 1, min: 6 }),
        (
            "苏A012",
            CertificateNumberError::TooShort { found: 5, min: 6 },
        ),
        (
            "123456789012345678901234567890123",
            CertificateNumberError::TooLong { found: 33, max: 32 },
        ),
        (
            &"中".repeat(33),
            CertificateNumberError::TooLong { found: 33, max: 32 },
        ),
        // Characters.
        (" 123456", invalid(1)),
        ("A 123456", invalid(2)),
        ("A123456\n", invalid(8)),
        ("A_123456", invalid(2)),
        ("A/123456", invalid(2)),
        ("A.123456", invalid(2)),
        ("ts320582a0010023", invalid(1)),
        ("TS320582a0010023", invalid(9)),
        ("１２３４５６", invalid(1)),
        ("AB12345\u{0}", invalid(8)),
        ("A\u{202E}123456", invalid(2)),
        ("A\u{200B}123456", invalid(2)),
        ("\u{FEFF}A123456", invalid(1)),
        ("A123456\u{3000}", invalid(8)),
        ("é123456", invalid(1)),
        ("苏A，123456", invalid(3)),
        ("苏A【2024】123", invalid(3)),
        // Hyphens.
        ("-123456", hyphen(1)),
        ("123456-", hyphen(7)),
        ("TS--2024-000123", hyphen(4)),
        ("A(-2024)01", hyphen(3)),
        ("A(2024-)01", hyphen(7)),
        // Parentheses.
        ("京建安C2（20240012345", unbalanced(17)),
        ("京建安C2 2024）0012345", invalid(6)),
        ("京建安C22024）0012345", unbalanced(10)),
        ("京建安C2（2024)0012345", unbalanced(11)),
        ("京建安C2(2024）0012345", unbalanced(11)),
        ("京建安C2（）0012345", unbalanced(7)),
        ("A((2024))1", unbalanced(3)),
        ("A(20(24))1", unbalanced(5)),
        // Digits.
        ("ABCDEFG", CertificateNumberError::NoDigit),
        ("京建安中文证书", CertificateNumberError::NoDigit),
        ("AB-CD(EF)", CertificateNumberError::NoDigit),
    ];
    for (number, expected) in cases {
        assert_eq!(rule.check(number, &holder()), Err(expected), "{number:?}");
    }
}

#[test]
fn errors_do_not_repeat_the_number() {
    let error = NumberRule::TPrefixedIdNumber
        .check("T110105194912310021", &holder())
        .unwrap_err();
    assert!(!format!("{error} {error:?}").contains("110105"));
}
