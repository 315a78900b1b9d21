use time::macros::datetime;
use time::Duration;

use super::*;
use crate::cbor::CborError;

fn hex(text: &str) -> Vec<u8> {
    let text: String = text.split_whitespace().collect();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// Magic and version 1 followed by `body`, with a correct checksum.
fn file_with_body(body: &str) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.push(VERSION);
    bytes.extend(hex(body));
    with_checksum(bytes)
}

fn with_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
    let checksum = Sha256::digest(&bytes);
    bytes.extend_from_slice(&checksum);
    bytes
}

fn full_state() -> VerifierState {
    let mut state = VerifierState::new();
    state.record_trust_list(7, datetime!(2025-05-01 08:00 +8));
    state.record_revocation_list(3, datetime!(2025-04-01 00:00 UTC));
    state
}

#[test]
fn state_file_bytes_annotated() {
    // Computed independently with Python's hashlib over the first 16 bytes.
    let expected = hex(concat!(
        "43515354",                                                         // "CQST"
        "01",                                                               // version 1
        "a3",                                                               // map of 3
        "01 07",          // 1: trust list sequence 7
        "02 03",          // 2: revocation list sequence 3
        "03 1a 6812b980", // 3: trusted time 1746057600 = 2025-05-01T00:00:00Z
        "ff8d1988d3d25131e95890caafa96e00b0b7db6f1bf7e811b9a54a3145f0bfa9", // SHA-256
    ));
    let state = full_state();
    assert_eq!(state.to_bytes(), expected);
    assert_eq!(VerifierState::from_bytes(&expected), Ok(state));
    assert_eq!(state.trust_list_sequence(), Some(7));
    assert_eq!(state.revocation_list_sequence(), Some(3));
    assert_eq!(state.trusted_time(), Some(datetime!(2025-05-01 00:00 UTC)));
}

#[test]
fn round_trips_empty_and_partial_states() {
    let empty = VerifierState::new();
    assert_eq!(empty.to_bytes().len(), MIN_STATE_BYTES);
    assert_eq!(VerifierState::from_bytes(&empty.to_bytes()), Ok(empty));
    let mut trust_only = VerifierState::new();
    trust_only.record_trust_list(u64::MAX, datetime!(9999-12-31 23:59:59 UTC));
    assert_eq!(
        VerifierState::from_bytes(&trust_only.to_bytes()),
        Ok(trust_only)
    );
    // Clamped a day early, so that the date in China still exists.
    assert_eq!(
        trust_only.trusted_time(),
        Some(datetime!(9999-12-30 23:59:59 UTC))
    );
    assert!(trust_only.to_bytes().len() <= MAX_STATE_BYTES);
    assert_eq!(trust_only.revocation_list_sequence(), None);
}

#[test]
fn recording_only_ever_raises_the_state() {
    let mut state = full_state();
    state.record_trust_list(5, datetime!(2020-01-01 00:00 UTC));
    state.record_revocation_list(1, datetime!(2020-01-01 00:00 UTC));
    assert_eq!(state, full_state());
    state.record_revocation_list(4, datetime!(2025-06-01 12:30:45.9 UTC));
    assert_eq!(state.trust_list_sequence(), Some(7));
    assert_eq!(state.revocation_list_sequence(), Some(4));
    // Stored to the second, rounded down: never later than the signed time.
    assert_eq!(
        state.trusted_time(),
        Some(datetime!(2025-06-01 12:30:45 UTC))
    );
}

#[test]
fn a_clock_behind_the_trusted_time_is_noticed_and_overruled() {
    let state = full_state();
    let trusted = datetime!(2025-05-01 00:00 UTC);
    let behind = trusted - Duration::seconds(1);
    assert_eq!(state.clock_behind(behind), Some(trusted));
    assert_eq!(state.judging_time(behind), trusted);
    for now in [trusted, trusted + Duration::days(400)] {
        assert_eq!(state.clock_behind(now), None);
        assert_eq!(state.judging_time(now), now);
    }
    assert_eq!(VerifierState::new().clock_behind(behind), None);
    assert_eq!(VerifierState::new().judging_time(behind), behind);
}

#[test]
fn damaged_state_files_give_the_exact_error() {
    let good = full_state().to_bytes();
    let mut flipped = good.clone();
    flipped[8] ^= 0x01;
    let mut version_2 = good[..good.len() - CHECKSUM_LENGTH].to_vec();
    version_2[4] = 2;
    let mut too_long = MAGIC.to_vec();
    too_long.resize(MAX_STATE_BYTES + 1, 0);
    let table: Vec<(&str, Vec<u8>, StateError)> = vec![
        ("empty", vec![], StateError::Truncated { length: 0 }),
        (
            "magic cut",
            b"CQ".to_vec(),
            StateError::Truncated { length: 2 },
        ),
        (
            "shorter than any state",
            good[..MIN_STATE_BYTES - 1].to_vec(),
            StateError::Truncated {
                length: MIN_STATE_BYTES - 1,
            },
        ),
        (
            "last byte cut",
            good[..good.len() - 1].to_vec(),
            StateError::ChecksumMismatch,
        ),
        ("one bit flipped", flipped, StateError::ChecksumMismatch),
        (
            "another file",
            b"-----BEGIN PUBLIC KEY-----".to_vec(),
            StateError::NotAStateFile,
        ),
        (
            "too long",
            too_long,
            StateError::TooLong {
                length: MAX_STATE_BYTES + 1,
            },
        ),
        (
            "newer version",
            with_checksum(version_2),
            StateError::UnsupportedVersion { version: 2 },
        ),
        (
            "unsorted keys",
            file_with_body("a2 02 01 01 01"),
            StateError::Body(CborError::UnsortedMapKeys { offset: 3 }),
        ),
        (
            "trailing body bytes",
            file_with_body("a0 00"),
            StateError::Body(CborError::TrailingBytes { count: 1 }),
        ),
        (
            "body not a map",
            file_with_body("01"),
            StateError::Field(FieldError::NotAMap),
        ),
        (
            "unknown key",
            file_with_body("a1 04 01"),
            StateError::Field(FieldError::Unknown { key: 4 }),
        ),
        (
            "extension key",
            file_with_body("a1 18 64 01"),
            StateError::Field(FieldError::Unknown { key: 100 }),
        ),
        (
            "negative sequence",
            file_with_body("a1 01 20"),
            StateError::Field(FieldError::OutOfRange { key: 1 }),
        ),
        (
            "text sequence",
            file_with_body("a1 01 61 37"),
            StateError::Field(FieldError::WrongType {
                key: 1,
                expected: "an unsigned integer",
            }),
        ),
        (
            "time after 9999-12-30",
            file_with_body("a1 03 1b 0000003afff2f000"),
            StateError::Field(FieldError::OutOfRange { key: 3 }),
        ),
    ];
    for (name, bytes, expected) in table {
        assert_eq!(VerifierState::from_bytes(&bytes), Err(expected), "{name}");
    }
}

#[test]
fn every_truncation_and_every_flipped_bit_is_detected() {
    let good = full_state().to_bytes();
    for length in 0..good.len() {
        assert!(
            VerifierState::from_bytes(&good[..length]).is_err(),
            "cut to {length}"
        );
    }
    for index in 0..good.len() {
        for bit in 0..8 {
            let mut damaged = good.clone();
            damaged[index] ^= 1 << bit;
            assert!(
                VerifierState::from_bytes(&damaged).is_err(),
                "byte {index} bit {bit}"
            );
        }
    }
}

#[test]
fn errors_read_as_one_line() {
    assert_eq!(
        StateError::ChecksumMismatch.to_string(),
        "state file is corrupted or truncated: its checksum does not match"
    );
    assert_eq!(
        StateError::UnsupportedVersion { version: 2 }.to_string(),
        "state file format version 2 is not supported (this certqr reads version 1)"
    );
}
