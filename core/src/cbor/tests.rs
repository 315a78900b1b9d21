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

/// format.md §3: each rule of the deterministic encoding a reader checks, with the
/// exact error for a byte string that breaks it.
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

/// format.md §3.1: every integer of major types 0 and 1, −2^64 to 2^64 − 1, is read and
/// written exactly, and map keys beyond 64 bits sort by their encodings like any other.
#[test]
fn integers_beyond_64_bits_round_trip_and_sort_by_encoding() {
    use crate::fields::{big_int, INTEGER_BOUNDARIES};
    let encodings = [
        "1b 7fffffffffffffff", // i64::MAX
        "1b 8000000000000000", // 2^63
        "1b ffffffffffffffff", // 2^64 - 1
        "3b 7fffffffffffffff", // i64::MIN = -1 - (2^63 - 1)
        "3b 8000000000000000", // -2^63 - 1
        "3b ffffffffffffffff", // -2^64
    ];
    for (integer, encoding) in INTEGER_BOUNDARIES.into_iter().zip(encodings) {
        let bytes = hex(encoding);
        assert_eq!(encode(&big_int(integer)), bytes, "{integer}");
        let decoded = decode(&bytes).unwrap();
        assert_eq!(
            decoded.as_integer().map(i128::from),
            Some(integer),
            "{integer}"
        );
    }
    // A map of all of them, 100 and -1, written in any order, comes out in the
    // bytewise order of the encodings: unsigned (100 first), then negative (-1 first).
    let mut entries: Vec<(Value, Value)> = INTEGER_BOUNDARIES
        .iter()
        .rev()
        .map(|key| (big_int(*key), Value::Null))
        .collect();
    entries.push((big_int(-1), Value::Null));
    entries.push((big_int(100), Value::Null));
    let written = encode(&Value::Map(entries));
    let expected = hex(
        "a8 1864 f6 1b7fffffffffffffff f6 1b8000000000000000 f6 1bffffffffffffffff f6 \
         20 f6 3b7fffffffffffffff f6 3b8000000000000000 f6 3bffffffffffffffff f6",
    );
    assert_eq!(written, expected);
    assert_eq!(check_deterministic(&written), Ok(()));
}

/// format.md §3.2: the top item is at depth 0, and every item inside an array, a map
/// (keys and values alike) or a tag is one deeper than its container; an item deeper
/// than `MAX_DEPTH` (8) is refused, whatever its kind.
#[test]
fn nesting_depth_is_counted_from_the_top_item() {
    let nested = |containers: usize, open: &str, leaf: &str| {
        let mut text = open.repeat(containers);
        text.push_str(leaf);
        hex(&text)
    };
    // Eight arrays around an integer: the integer is at depth 8.
    assert_eq!(check_deterministic(&nested(8, "81", "00")), Ok(()));
    assert_eq!(
        check_deterministic(&nested(9, "81", "00")),
        Err(CborError::TooDeep)
    );
    // An empty container is a leaf: nine empty-ended arrays reach depth 8 only.
    assert_eq!(check_deterministic(&nested(8, "81", "80")), Ok(()));
    assert_eq!(
        check_deterministic(&nested(9, "81", "80")),
        Err(CborError::TooDeep)
    );
    // Tags count like arrays (tag 1, epoch time, is just some tag).
    assert_eq!(check_deterministic(&nested(8, "c1", "00")), Ok(()));
    assert_eq!(
        check_deterministic(&nested(9, "c1", "00")),
        Err(CborError::TooDeep)
    );
    // Map keys are one level down, as values are: {0: {0: ... 0}} and the same in keys.
    assert_eq!(check_deterministic(&nested(8, "a100", "00")), Ok(()));
    assert_eq!(
        check_deterministic(&nested(9, "a100", "00")),
        Err(CborError::TooDeep)
    );
    let in_keys = |containers: usize| {
        (0..containers).fold("00".to_owned(), |inner, _| format!("a1{inner}00"))
    };
    assert_eq!(check_deterministic(&hex(&in_keys(8))), Ok(()));
    assert_eq!(
        check_deterministic(&hex(&in_keys(9))),
        Err(CborError::TooDeep)
    );
    // A byte string holding CBOR (the payload, the protected header) is a leaf: its
    // content is a document of its own, counted again from 0 when it is decoded.
    let deep = nested(8, "81", "00");
    let mut wrapped = nested(8, "81", "");
    wrapped.push(0x40 + u8::try_from(deep.len()).unwrap());
    wrapped.extend(&deep);
    assert_eq!(check_deterministic(&wrapped), Ok(()));
    assert_eq!(check_deterministic(&deep), Ok(()));
}
