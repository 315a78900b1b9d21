use super::*;

fn hex(text: &str) -> Vec<u8> {
    let text: String = text.split_whitespace().collect();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn accepts_deterministic_items() {
    for good in [
        "00",
        "17",
        "1818",
        "190100",
        "1a00010000",
        "1b0000000100000000",
        "20",
        "3863",
        "40",
        "43010203",
        "60",
        "63616263",
        "80",
        "83010203",
        "a0",
        "a201020304",
        "a2 01 00 20 00",          // 1 sorts before -1 (0x01 < 0x20)
        "a2 61 61 00 62 61 61 00", // "a" before "aa": shorter prefix first
        "d2 80",
        "f4",
        "f5",
        "f6",
    ] {
        assert_eq!(check_deterministic(&hex(good)), Ok(()), "{good}");
    }
}

#[test]
fn rejects_non_deterministic_or_malformed_items() {
    use CborError::*;
    let table: &[(&str, CborError)] = &[
        ("", Truncated { offset: 0 }),
        ("18", Truncated { offset: 1 }),
        ("1817", NonMinimalEncoding { offset: 0 }),
        ("190017", NonMinimalEncoding { offset: 0 }),
        ("1a0000ffff", NonMinimalEncoding { offset: 0 }),
        ("1b00000000ffffffff", NonMinimalEncoding { offset: 0 }),
        ("5801ff", NonMinimalEncoding { offset: 0 }),
        ("0000", TrailingBytes { count: 1 }),
        ("5f41ff", IndefiniteLength { offset: 0 }),
        ("9f01ff", IndefiniteLength { offset: 0 }),
        ("bf0101ff", IndefiniteLength { offset: 0 }),
        ("a2 02 00 01 00", UnsortedMapKeys { offset: 3 }),
        ("a2 20 00 01 00", UnsortedMapKeys { offset: 3 }),
        ("a2 01 00 01 00", DuplicateMapKey { offset: 3 }),
        ("62 c328", InvalidUtf8 { offset: 0 }),
        (
            "5b 7fffffffffffffff",
            LengthExceedsInput {
                offset: 0,
                declared: 0x7fff_ffff_ffff_ffff,
                available: 0,
            },
        ),
        (
            "9b ffffffffffffffff",
            LengthExceedsInput {
                offset: 0,
                declared: u64::MAX,
                available: 0,
            },
        ),
        (
            "43 0102",
            LengthExceedsInput {
                offset: 0,
                declared: 3,
                available: 2,
            },
        ),
        (
            "f93c00",
            UnsupportedItem {
                offset: 0,
                major: 7,
                info: 25,
            },
        ),
        (
            "fb3ff0000000000000",
            UnsupportedItem {
                offset: 0,
                major: 7,
                info: 27,
            },
        ),
        (
            "f7",
            UnsupportedItem {
                offset: 0,
                major: 7,
                info: 23,
            },
        ),
        (
            "1c",
            UnsupportedItem {
                offset: 0,
                major: 0,
                info: 28,
            },
        ),
        (
            "ff",
            UnsupportedItem {
                offset: 0,
                major: 7,
                info: 31,
            },
        ),
        ("81818181818181818100", TooDeep),
        // Bignums: ciborium reads both as the integer -1 and 1, which encode as 20 and 01.
        (
            "c340",
            UnsupportedItem {
                offset: 0,
                major: 6,
                info: 3,
            },
        ),
        (
            "c24101",
            UnsupportedItem {
                offset: 0,
                major: 6,
                info: 2,
            },
        ),
    ];
    for (input, expected) in table {
        assert_eq!(
            check_deterministic(&hex(input)).as_ref(),
            Err(expected),
            "{input}"
        );
    }
}

#[test]
fn encode_sorts_map_keys_and_round_trips() {
    let value = Value::Map(vec![
        (Value::Integer((-1).into()), Value::Text("minus".into())),
        (Value::Integer(10.into()), Value::Bytes(vec![1, 2])),
        (
            Value::Integer(2.into()),
            Value::Array(vec![Value::Bool(true), Value::Null]),
        ),
        (Value::Integer(300.into()), Value::Integer(65_536.into())),
    ]);
    let bytes = encode(&value);
    assert_eq!(
        bytes,
        hex("a4 02 82f5f6 0a 420102 19012c 1a00010000 20 656d696e7573")
    );
    check_deterministic(&bytes).unwrap();
    let decoded = decode(&bytes).unwrap();
    assert_eq!(encode(&decoded), bytes);
}
