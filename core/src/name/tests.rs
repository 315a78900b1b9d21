use super::*;

#[test]
fn names_in_use_pass() {
    for name in [
        "张建国",
        "李秀英",
        "欧阳娜娜",
        "阿依古丽·买买提",
        "Zhang Jianguo",
        "Mary-Ann O'Neil",
        "José",
        "𠮷野家",
        "江苏省应急管理厅",
        "Jiangsu Provincial Department of Emergency Management",
        // A rare ideograph with an ideographic variation selector (Mn, not Cf).
        "葛\u{E0100}",
        // Unassigned today, perhaps a new ideograph tomorrow: not refused.
        "王\u{3FFFD}",
    ] {
        assert_eq!(check(name), Ok(()), "{}", escaped(name));
    }
}

/// docs/format.md §5.4, "Names": each rule, with the exact error.
#[test]
fn bad_names_give_the_exact_error() {
    let disallowed = |position, code_point| NameError::DisallowedCharacter {
        position,
        code_point,
    };
    let cases: &[(&str, NameError)] = &[
        ("", NameError::Empty),
        // Cf: bidirectional controls.
        ("张\u{202E}三", disallowed(2, 0x202E)),
        ("\u{202D}张三", disallowed(1, 0x202D)),
        ("张三\u{2066}", disallowed(3, 0x2066)),
        ("张\u{200F}三", disallowed(2, 0x200F)),
        ("张\u{061C}三", disallowed(2, 0x061C)),
        // Cf: zero-width characters, byte order mark, soft hyphen.
        ("张\u{200B}三", disallowed(2, 0x200B)),
        ("张\u{200D}三", disallowed(2, 0x200D)),
        ("张\u{2060}三", disallowed(2, 0x2060)),
        ("\u{FEFF}张三", disallowed(1, 0xFEFF)),
        ("Jo\u{00AD}se", disallowed(3, 0xAD)),
        ("张三\u{E0041}", disallowed(3, 0xE0041)),
        // Cc.
        ("张\u{0}三", disallowed(2, 0)),
        ("张\t三", disallowed(2, 9)),
        ("张三\n", disallowed(3, 0x0A)),
        ("张\u{7F}三", disallowed(2, 0x7F)),
        ("张\u{85}三", disallowed(2, 0x85)),
        // Zl, Zp.
        ("张\u{2028}三", disallowed(2, 0x2028)),
        ("张\u{2029}三", disallowed(2, 0x2029)),
        // Zs other than U+0020.
        ("王\u{3000}五", disallowed(2, 0x3000)),
        ("Li\u{A0}Na", disallowed(3, 0xA0)),
        ("Li\u{2002}Na", disallowed(3, 0x2002)),
        ("Li\u{202F}Na", disallowed(3, 0x202F)),
        // Spaces.
        (" 张三", NameError::SurroundingSpace),
        ("张三 ", NameError::SurroundingSpace),
        (" ", NameError::SurroundingSpace),
        ("Li  Na", NameError::DoubledSpace { position: 4 }),
        ("   ", NameError::DoubledSpace { position: 2 }),
        // Not NFC: a decomposed accent, a compatibility ideograph.
        ("Jose\u{301}", NameError::NotNormalized),
        ("\u{F900}三", NameError::NotNormalized),
        ("\u{212B}ngstr\u{F6}m", NameError::NotNormalized),
    ];
    for (input, expected) in cases {
        assert_eq!(
            check(input),
            Err(expected.clone()),
            "input {}",
            escaped(input)
        );
    }
}

#[test]
fn length_is_counted_in_characters() {
    assert_eq!(check_with_length(&"张".repeat(32), 32), Ok(()));
    assert_eq!(
        check_with_length(&"张".repeat(33), 32),
        Err(NameError::TooLong { found: 33, max: 32 })
    );
    assert_eq!(check_with_length("", 32), Err(NameError::Empty));
}

#[test]
fn errors_never_show_the_letters_of_the_name() {
    for input in ["张建国\u{202E}", "张建国 ", "张建国  x", "张建\u{F900}"] {
        let error = check(input).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains('张') && !shown.contains('建'), "{shown}");
    }
}

#[test]
fn escaping_shows_what_a_name_may_not_hold() {
    assert!(matches!(escaped("张建国"), Cow::Borrowed("张建国")));
    assert_eq!(escaped("张\u{202E}三"), "张\\u{202E}三");
    assert_eq!(
        escaped("\u{FEFF}a\u{200B}b\n"),
        "\\u{FEFF}a\\u{200B}b\\u{A}"
    );
    assert_eq!(escaped("王\u{3000}五"), "王\\u{3000}五");
    assert_eq!(escaped("a\u{E000}"), "a\\u{E000}");
    // A backslash is doubled, so text cannot pass itself off as an escape.
    assert_eq!(escaped("a\\u{202E}"), "a\\\\u{202E}");
    // Plain spaces and combining marks stay as they are.
    assert_eq!(escaped("Li Na José"), "Li Na José");
}
