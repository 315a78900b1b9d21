use super::*;

/// Appends the check character to 17 digits, computed independently of the
/// module's tables: weight of position i (1-based) is 2^(18-i) mod 11, and the
/// check value c satisfies (sum + c) mod 11 == 1, with 10 written as `X`.
fn with_check(first_17: &str) -> String {
    let sum: u32 = first_17
        .bytes()
        .enumerate()
        .map(|(index, digit)| {
            let exponent = u32::try_from(17 - index).unwrap_or(0);
            u32::from(digit - b'0') * (2_u32.pow(exponent) % 11)
        })
        .sum();
    let check = (12 - sum % 11) % 11;
    let check = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10).unwrap_or('?')
    };
    format!("{first_17}{check}")
}

#[test]
fn helper_reproduces_the_examples_of_gb_11643() {
    // The two worked examples printed in GB 11643-1999.
    assert_eq!(with_check("11010519491231002"), "11010519491231002X");
    assert_eq!(with_check("44052418800101001"), "440524188001010014");
}

#[test]
fn parses_the_standard_example() {
    let id = IdNumber::parse("11010519491231002X").unwrap();
    assert_eq!(id.as_str(), "11010519491231002X");
    assert_eq!(id.region_code(), "110105");
    assert_eq!(
        id.birth_date(),
        Date::from_calendar_date(1949, Month::December, 31).unwrap()
    );
    assert_eq!(id.sex(), Sex::Female);
}

#[test]
fn parses_computed_numbers() {
    let cases = [
        ("32010619800229123", 1980, Month::February, 29, Sex::Male),
        ("11010120000101002", 2000, Month::January, 1, Sex::Female),
        ("65010219000101001", 1900, Month::January, 1, Sex::Male),
        ("81000019991231998", 1999, Month::December, 31, Sex::Female),
        ("44030520241015003", 2024, Month::October, 15, Sex::Male),
    ];
    for (first_17, year, month, day, sex) in cases {
        let text = with_check(first_17);
        let id = IdNumber::parse(&text).unwrap();
        assert_eq!(id.as_str(), text);
        assert_eq!(
            id.birth_date(),
            Date::from_calendar_date(year, month, day).unwrap(),
            "{text}"
        );
        assert_eq!(id.sex(), sex, "{text}");
        assert_eq!(id.region_code(), &first_17[..6]);
    }
}

#[test]
fn every_check_value_round_trips() {
    // Vary the sequence code until all 11 check characters have been seen.
    let mut seen = std::collections::BTreeSet::new();
    for sequence in 0..200 {
        let text = with_check(&format!("11010519800101{sequence:03}"));
        assert!(IdNumber::parse(&text).is_ok(), "{text}");
        seen.insert(text.chars().last().unwrap());
    }
    assert_eq!(seen.len(), 11);
}

#[test]
fn lowercase_x_is_normalised() {
    let id = IdNumber::parse("11010519491231002x").unwrap();
    assert_eq!(id.as_str(), "11010519491231002X");
    assert_eq!(id, IdNumber::parse("11010519491231002X").unwrap());
}

#[test]
fn rejects_bad_input_with_the_exact_error() {
    let valid = "11010519491231002X";
    let cases: &[(&str, IdNumberError)] = &[
        ("", IdNumberError::WrongLength { found: 0 }),
        (
            "11010519491231002",
            IdNumberError::WrongLength { found: 17 },
        ),
        (
            "11010519491231002X0",
            IdNumberError::WrongLength { found: 19 },
        ),
        // No trimming.
        (
            " 11010519491231002X",
            IdNumberError::WrongLength { found: 19 },
        ),
        (
            "11010519491231002X\n",
            IdNumberError::WrongLength { found: 19 },
        ),
        // Full-width digits: 18 characters, 54 bytes, first one rejected.
        (
            "１１０１０５１９４９１２３１００２Ｘ",
            IdNumberError::InvalidCharacter { position: 1 },
        ),
        (
            "11010519491231002Ｘ",
            IdNumberError::InvalidCharacter { position: 18 },
        ),
        (
            "1101051949123100é2",
            IdNumberError::InvalidCharacter { position: 17 },
        ),
        (
            "X10105194912310020",
            IdNumberError::InvalidCharacter { position: 1 },
        ),
        (
            "1101051949123100X2",
            IdNumberError::InvalidCharacter { position: 17 },
        ),
        (
            "110105 9491231002X",
            IdNumberError::InvalidCharacter { position: 7 },
        ),
        (
            "11010519491231002Y",
            IdNumberError::InvalidCharacter { position: 18 },
        ),
        (
            "-1010519491231002X",
            IdNumberError::InvalidCharacter { position: 1 },
        ),
        // Province-level region codes (GB/T 2260), each with a correct check character.
        (
            &with_check("00000019491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("00010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("10010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("16010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("20010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("24010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("30010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("38010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("47010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("55010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("60010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("66010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("70010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("72010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("80010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("84010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("91010519491231002"),
            IdNumberError::UnknownRegion,
        ),
        (
            &with_check("99999919491231002"),
            IdNumberError::UnknownRegion,
        ),
        // The region is checked before the birth date and the check character.
        ("000000000000000000", IdNumberError::UnknownRegion),
        // Birth dates, each with a correct check character.
        (
            &with_check("11010519490229002"),
            IdNumberError::InvalidBirthDate,
        ),
        (
            &with_check("11010519001302002"),
            IdNumberError::InvalidBirthDate,
        ),
        (
            &with_check("11010519490001002"),
            IdNumberError::InvalidBirthDate,
        ),
        (
            &with_check("11010519490100002"),
            IdNumberError::InvalidBirthDate,
        ),
        (
            &with_check("11010519490431002"),
            IdNumberError::InvalidBirthDate,
        ),
        (
            &with_check("11010500000101002"),
            IdNumberError::InvalidBirthDate,
        ),
        ("440524188001010014", IdNumberError::InvalidBirthDate),
        (
            &with_check("11010518991231002"),
            IdNumberError::InvalidBirthDate,
        ),
        // Check character.
        ("110105194912310020", IdNumberError::WrongCheckCharacter),
        ("110105194912310021", IdNumberError::WrongCheckCharacter),
        ("11010519491231012X", IdNumberError::WrongCheckCharacter),
        ("21010519491231002X", IdNumberError::WrongCheckCharacter),
    ];
    assert!(IdNumber::parse(valid).is_ok());
    for (input, expected) in cases {
        assert_eq!(
            IdNumber::parse(input).as_ref(),
            Err(expected),
            "input {input:?}"
        );
    }
}

#[test]
fn check_character_catches_every_single_digit_change() {
    let valid = "11010519491231002X";
    for position in 0..17 {
        for replacement in b'0'..=b'9' {
            let mut bytes = valid.as_bytes().to_vec();
            if bytes[position] == replacement {
                continue;
            }
            bytes[position] = replacement;
            let text = String::from_utf8(bytes).unwrap();
            let result = IdNumber::parse(&text);
            assert!(
                matches!(
                    result,
                    Err(IdNumberError::WrongCheckCharacter
                        | IdNumberError::InvalidBirthDate
                        | IdNumberError::UnknownRegion)
                ),
                "{text}: {result:?}"
            );
        }
    }
}

#[test]
fn masking_hides_the_middle_ten_characters() {
    let id = IdNumber::parse("11010519491231002X").unwrap();
    assert_eq!(id.masked(), "1101**********002X");
    assert_eq!(id.to_string(), "1101**********002X");
    assert_eq!(format!("{id:?}"), "IdNumber(\"1101**********002X\")");
    assert!(!format!("{id:?}").contains("19491231"));
    assert!(!format!("{id:#?}").contains("19491231"));
}

#[test]
fn errors_never_contain_the_input() {
    let inputs = [
        "11010519491231002",
        "11010519491231002Y",
        &with_check("11010519490229002"),
        "110105194912310020",
        &with_check("99010519491231002"),
    ];
    for input in inputs {
        let error = IdNumber::parse(input).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("110105"), "{shown}");
        assert!(!shown.contains("1949"), "{shown}");
    }
}

#[test]
fn from_str_matches_parse() {
    let id: IdNumber = "11010519491231002x".parse().unwrap();
    assert_eq!(id.as_str(), "11010519491231002X");
    assert_eq!(
        "1101051949123100".parse::<IdNumber>(),
        Err(IdNumberError::WrongLength { found: 16 })
    );
}

#[test]
fn sex_codes_and_names() {
    for sex in [Sex::Male, Sex::Female] {
        assert_eq!(Sex::from_code(u64::from(sex.code())), Some(sex));
    }
    assert_eq!(Sex::Male.code(), 1);
    assert_eq!(Sex::Female.code(), 2);
    for code in [0, 3, 9, u64::MAX] {
        assert_eq!(Sex::from_code(code), None);
    }
    assert_eq!(Sex::Male.name_zh(), "男");
    assert_eq!(Sex::Female.name_zh(), "女");
    assert_eq!(Sex::Male.name_en(), "male");
    assert_eq!(Sex::Female.name_en(), "female");
    assert_eq!(serde_json::to_string(&Sex::Female).unwrap(), "\"female\"");
    assert_eq!(serde_json::from_str::<Sex>("\"male\"").unwrap(), Sex::Male);
}

#[test]
fn digits_round_trip_and_derive_the_check_character() {
    let number = IdNumber::parse("11010519491231002X").unwrap();
    assert_eq!(number.digits(), 11_010_519_491_231_002);
    assert_eq!(IdNumber::from_digits(number.digits()), Ok(number));
    assert_eq!(
        IdNumber::from_digits(100_000_000_000_000_000),
        Err(IdNumberError::WrongLength { found: 19 })
    );
    assert_eq!(
        IdNumber::from_digits(11_010_519_491_331_002),
        Err(IdNumberError::InvalidBirthDate)
    );
}

/// docs/format.md §5.4, "Identity card numbers": every province-level code of GB/T 2260 (and 83, Taiwan residents' permits) passes,
/// every other two-digit prefix is refused, whatever the rest.
#[test]
fn region_codes_are_the_province_level_divisions() {
    let mut accepted = Vec::new();
    for prefix in 0..100u8 {
        let number = with_check(&format!("{prefix:02}010519491231002"));
        match IdNumber::parse(&number) {
            Ok(id) => {
                assert_eq!(id.region_code(), format!("{prefix:02}0105"));
                accepted.push(prefix);
            }
            Err(error) => assert_eq!(error, IdNumberError::UnknownRegion, "{prefix:02}"),
        }
    }
    assert_eq!(accepted, PROVINCE_CODES);
    assert_eq!(accepted.len(), 34 + 1);
    // Hong Kong, Macao and Taiwan residents' permits: 810000, 820000, 830000.
    for permit in [
        "81000019900101001",
        "82000019900101001",
        "83000019900101001",
    ] {
        assert!(IdNumber::parse(&with_check(permit)).is_ok(), "{permit}");
    }
    assert_eq!(
        IdNumber::from_digits(19_491_231_002),
        Err(IdNumberError::UnknownRegion)
    );
}
