use std::collections::HashSet;

use time::macros::{date, datetime};
use time::Duration;

use super::*;
use crate::catalog::Family;
use crate::keys::Algorithm;
use crate::samples;

const ISSUED_AT: OffsetDateTime = datetime!(2025-06-01 0:00 UTC);
const EXPIRES_AT: OffsetDateTime = datetime!(2025-06-08 0:00 UTC);

fn root() -> SigningKey {
    SigningKey::from_seed(Algorithm::Ed25519, &[1u8; 32])
}

fn roots() -> Vec<PublicKey> {
    vec![root().public_key()]
}

fn entry(value: u64) -> Entry {
    Entry::from_u64(value)
}

/// Deterministic pseudo-random entries (SplitMix64), so tests need no randomness.
fn pseudo_random(seed: u64, count: usize) -> Vec<Entry> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            entry(z ^ (z >> 31))
        })
        .collect()
}

fn list(sequence: u64, entries: &[u64]) -> RevocationList {
    RevocationList::new(
        sequence,
        ISSUED_AT,
        EXPIRES_AT,
        entries.iter().copied().map(entry),
    )
    .unwrap()
}

/// A payload's fields, by key.
type Payload = Vec<(i64, Value)>;

/// A signed revocation document with exactly this payload.
fn signed_payload(payload: Payload) -> Vec<u8> {
    let map = payload
        .into_iter()
        .map(|(key, value)| (int(key), value))
        .collect();
    cose::sign(
        DocumentKind::RevocationList,
        &root(),
        cbor::encode(&Value::Map(map)),
    )
}

fn raw_entries(entries: &[u64]) -> Value {
    entries_value(entries)
}

fn full_payload(entries: Value) -> Payload {
    vec![
        (1, uint(1)),
        (2, uint(4)),
        (3, time_value(ISSUED_AT)),
        (4, time_value(EXPIRES_AT)),
        (5, entries),
    ]
}

fn delta_payload(added: &[u64], removed: &[u64]) -> Payload {
    vec![
        (1, uint(2)),
        (2, uint(5)),
        (3, time_value(ISSUED_AT)),
        (4, time_value(EXPIRES_AT)),
        (5, raw_entries(added)),
        (6, raw_entries(removed)),
        (7, uint(4)),
    ]
}

fn with(mut payload: Payload, key: i64, value: Option<Value>) -> Payload {
    payload.retain(|(k, _)| *k != key);
    if let Some(value) = value {
        payload.push((key, value));
    }
    payload
}

#[test]
fn an_entry_is_the_truncated_hash_of_label_key_id_number_and_valid_from() {
    let key_id = KeyId([1, 2, 3, 4, 5, 6, 7, 8]);
    let number = "T32010219850612123X";
    let valid_from = date!(2024 - 03 - 01);
    // [h'0102030405060708', "T32010219850612123X", 19783], written out by hand.
    let mut data = vec![0x83, 0x48, 1, 2, 3, 4, 5, 6, 7, 8, 0x73];
    data.extend_from_slice(number.as_bytes());
    data.extend_from_slice(&[0x19, 0x4d, 0x47]);
    let digest = Sha256::digest([ENTRY_LABEL, data.as_slice()].concat());
    let expected = Entry::of(key_id, number, valid_from);
    assert_eq!(expected.0.as_slice(), &digest[..8]);
    // Pinned (computed independently with Python's hashlib), for other implementations.
    assert_eq!(expected.to_hex(), "c0b4149b8321bbeb");

    // Each input changes the entry.
    let others = [
        Entry::of(KeyId([1, 2, 3, 4, 5, 6, 7, 9]), number, valid_from),
        Entry::of(key_id, "T32010219850612124X", valid_from),
        Entry::of(key_id, number, date!(2024 - 03 - 02)),
    ];
    for other in others {
        assert_ne!(other, expected);
    }

    let certificate = samples::certificate(Family::SpecialOperations, valid_from).unwrap();
    assert_eq!(certificate.number, number);
    assert_eq!(Entry::of_certificate(key_id, &certificate), expected);
}

#[test]
fn entries_read_and_write_as_sixteen_hex_digits() {
    let parsed: Entry = "C0B4149B8321BBEB".parse().unwrap();
    assert_eq!(parsed.to_hex(), "c0b4149b8321bbeb");
    assert_eq!(parsed.to_string(), "c0b4149b8321bbeb");
    assert_eq!(format!("{parsed:?}"), "Entry(c0b4149b8321bbeb)");
    let cases = [
        ("", ParseEntryError::Length { length: 0 }),
        ("c0b4149b8321bbe", ParseEntryError::Length { length: 15 }),
        ("c0b4149b8321bbeb0", ParseEntryError::Length { length: 17 }),
        ("+0b4149b8321bbeb", ParseEntryError::NotHexadecimal),
        ("c0b4149b8321bbeg", ParseEntryError::NotHexadecimal),
        ("c0b4149b8321bb é", ParseEntryError::Length { length: 16 }),
        ("c0b4149b8321b é", ParseEntryError::NotHexadecimal),
    ];
    for (text, error) in cases {
        assert_eq!(text.parse::<Entry>(), Err(error), "{text:?}");
    }
}

#[test]
fn payload_is_a_map_with_one_byte_string_of_sorted_entries() {
    let list = list(1, &[0xf0e0_d0c0_b0a0_9080, 0x0102_0304_0506_0708]);
    let expected = concat!(
        "a5",               // map of 5
        "0101",             // 1 kind: 1 (full list)
        "0201",             // 2 sequence: 1
        "031a683b9800",     // 3 issued at: 1748736000
        "041a6844d280",     // 4 expires at: 1749340800
        "0550",             // 5 entries: bytes (16)
        "0102030405060708", //   the smaller entry first
        "f0e0d0c0b0a09080",
    );
    let hex: String = list
        .to_payload()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(hex, expected);
    // 8 bytes an entry, plus 21 bytes of map, fields and byte string header.
    let big = RevocationList::new(1, ISSUED_AT, EXPIRES_AT, pseudo_random(1, 1000)).unwrap();
    assert_eq!(big.to_payload().len(), 8000 + 21);
}

#[test]
fn sign_and_read_back_a_full_list() {
    let entries = pseudo_random(7, 500);
    let list = RevocationList::new(3, ISSUED_AT, EXPIRES_AT, entries.iter().copied()).unwrap();
    let signed = list.sign(&root()).unwrap();
    let read = RevocationList::from_signed(&signed, &roots()).unwrap();
    assert_eq!(read, list);
    assert_eq!(read.len(), 500);
    assert!(entries.iter().all(|entry| read.contains(*entry)));
    let mut sorted = entries.clone();
    sorted.sort();
    assert_eq!(read.entries().collect::<Vec<_>>(), sorted);
    assert_eq!(
        format!("{read:?}"),
        "RevocationList { sequence: 3, issued_at: 2025-06-01 0:00:00.0 +00:00:00, \
         expires_at: 2025-06-08 0:00:00.0 +00:00:00, entries: 500 }"
    );

    let other_root = SigningKey::from_seed(Algorithm::Ed25519, &[9u8; 32]).public_key();
    assert!(
        RevocationList::from_signed(&signed, &[other_root.clone(), root().public_key()]).is_ok()
    );
    assert_eq!(
        RevocationList::from_signed(&signed, &[other_root]),
        Err(RevocationError::NotSignedByRoot {
            key_id: root().public_key().key_id()
        })
    );
}

#[test]
fn new_sorts_and_deduplicates() {
    let list = list(1, &[5, 3, 5, 1, 3]);
    assert_eq!(
        list.entries().collect::<Vec<_>>(),
        [entry(1), entry(3), entry(5)]
    );
    assert!(RevocationList::new(1, ISSUED_AT, EXPIRES_AT, [])
        .unwrap()
        .is_empty());
}

#[test]
fn lookups_find_every_entry_and_nothing_else() {
    // Sizes around the bucket thresholds, and the extreme values in every list.
    for count in [0usize, 1, 2, 7, 8, 9, 15, 16, 17, 1000, 70_000] {
        let mut entries = pseudo_random(count as u64, count);
        entries.extend([entry(0), entry(u64::MAX), entry(1 << 63)]);
        let list = RevocationList::new(1, ISSUED_AT, EXPIRES_AT, entries.iter().copied()).unwrap();
        let set: HashSet<Entry> = entries.iter().copied().collect();
        assert!(entries.iter().all(|entry| list.contains(*entry)), "{count}");
        for probe in pseudo_random(count as u64 + 1_000_000, 2000)
            .into_iter()
            .chain([entry(1), entry(u64::MAX - 1), entry((1 << 63) - 1)])
        {
            assert_eq!(
                list.contains(probe),
                set.contains(&probe),
                "{count} {probe}"
            );
        }
    }
}

#[test]
fn certificates_are_found_by_issuer_key_number_and_valid_from() {
    let issuer = SigningKey::from_seed(Algorithm::Ed25519, &[2u8; 32]).public_key();
    let certificate =
        samples::certificate(Family::SpecialOperations, date!(2024 - 03 - 01)).unwrap();
    let list = RevocationList::new(
        1,
        ISSUED_AT,
        EXPIRES_AT,
        [Entry::of_certificate(issuer.key_id(), &certificate)],
    )
    .unwrap();
    assert!(list.is_revoked(issuer.key_id(), &certificate));
    // The same holder's renewal is another certificate.
    let renewed = samples::certificate(Family::SpecialOperations, date!(2030 - 03 - 01)).unwrap();
    assert!(!list.is_revoked(issuer.key_id(), &renewed));
    assert!(!list.is_revoked(root().public_key().key_id(), &certificate));
}

#[test]
fn bad_lists_are_refused_with_the_exact_error() {
    let other_root = SigningKey::from_seed(Algorithm::Ed25519, &[9u8; 32]);
    let full = full_payload(raw_entries(&[1, 2, 3]));
    let cases: Vec<(&str, Vec<u8>, RevocationError)> = vec![
        (
            "trust list",
            crate::samples::trust_list(1, ISSUED_AT, Vec::new())
                .sign(&root())
                .unwrap(),
            RevocationError::WrongDocumentKind {
                content_type: 65002,
            },
        ),
        (
            "certificate",
            cose::sign(
                DocumentKind::Certificate,
                &root(),
                cbor::encode(&Value::Map(vec![])),
            ),
            RevocationError::WrongDocumentKind {
                content_type: 65001,
            },
        ),
        (
            "signed by another key",
            cose::sign(
                DocumentKind::RevocationList,
                &other_root,
                list(1, &[1]).to_payload(),
            ),
            RevocationError::NotSignedByRoot {
                key_id: other_root.public_key().key_id(),
            },
        ),
        (
            "not COSE",
            vec![0xa0],
            RevocationError::Cose(CoseError::NotSign1),
        ),
        (
            "payload not a map",
            cose::sign(
                DocumentKind::RevocationList,
                &root(),
                cbor::encode(&uint(1)),
            ),
            RevocationError::Field(FieldError::NotAMap),
        ),
        (
            "payload not deterministic",
            cose::sign(
                DocumentKind::RevocationList,
                &root(),
                vec![0xa1, 0x18, 0x01, 0x01],
            ),
            RevocationError::Cose(CoseError::Cbor {
                part: "payload",
                error: cbor::CborError::NonMinimalEncoding { offset: 1 },
            }),
        ),
        (
            "unknown kind",
            signed_payload(with(full.clone(), 1, Some(uint(3)))),
            RevocationError::Field(FieldError::OutOfRange { key: 1 }),
        ),
        (
            "kind missing",
            signed_payload(with(full.clone(), 1, None)),
            RevocationError::Field(FieldError::Missing { key: 1 }),
        ),
        (
            "entries missing",
            signed_payload(with(full.clone(), 5, None)),
            RevocationError::Field(FieldError::Missing { key: 5 }),
        ),
        (
            "entries an array",
            signed_payload(with(full.clone(), 5, Some(Value::Array(vec![uint(1)])))),
            RevocationError::Field(FieldError::WrongType {
                key: 5,
                expected: "a byte string",
            }),
        ),
        (
            "unknown field",
            signed_payload(with(full.clone(), 8, Some(uint(0)))),
            RevocationError::Field(FieldError::Unknown { key: 8 }),
        ),
        (
            "a field of a delta",
            signed_payload(with(full.clone(), 7, Some(uint(3)))),
            RevocationError::Field(FieldError::Unknown { key: 7 }),
        ),
        (
            "entries not a multiple of 8 bytes",
            signed_payload(full_payload(Value::Bytes(vec![0; 12]))),
            RevocationError::EntriesLength {
                part: "entries",
                length: 12,
            },
        ),
        (
            "entries out of order",
            signed_payload(full_payload(raw_entries(&[1, 3, 2]))),
            RevocationError::UnsortedEntries {
                part: "entries",
                index: 2,
            },
        ),
        (
            "entry repeated",
            signed_payload(full_payload(raw_entries(&[1, 2, 2]))),
            RevocationError::DuplicateEntry {
                part: "entries",
                index: 2,
            },
        ),
        (
            "expires when issued",
            signed_payload(with(full.clone(), 4, Some(time_value(ISSUED_AT)))),
            RevocationError::ExpiresBeforeIssued,
        ),
        (
            "issue time past 9999",
            signed_payload(with(full.clone(), 3, Some(uint(253_402_300_800)))),
            RevocationError::Field(FieldError::OutOfRange { key: 3 }),
        ),
        (
            "a delta",
            signed_payload(delta_payload(&[1], &[])),
            RevocationError::WrongListKind {
                expected: ListKind::Full,
                found: ListKind::Delta,
            },
        ),
    ];
    for (name, signed, error) in cases {
        assert_eq!(
            RevocationList::from_signed(&signed, &roots()),
            Err(error),
            "{name}"
        );
    }
    // Extension keys are ignored.
    let extended = signed_payload(with(full, 100, Some(Value::Text("note".into()))));
    assert_eq!(
        RevocationList::from_signed(&extended, &roots()).unwrap(),
        list(4, &[1, 2, 3])
    );
}

#[test]
fn bad_deltas_are_refused_with_the_exact_error() {
    let cases: Vec<(&str, Payload, RevocationError)> = vec![
        (
            "sequence skips one",
            with(delta_payload(&[1], &[]), 2, Some(uint(6))),
            RevocationError::DeltaSequence {
                base_sequence: 4,
                sequence: 6,
            },
        ),
        (
            "sequence goes back",
            with(delta_payload(&[1], &[]), 2, Some(uint(3))),
            RevocationError::DeltaSequence {
                base_sequence: 4,
                sequence: 3,
            },
        ),
        (
            "base missing",
            with(delta_payload(&[1], &[]), 7, None),
            RevocationError::Field(FieldError::Missing { key: 7 }),
        ),
        (
            "removed missing",
            with(delta_payload(&[1], &[]), 6, None),
            RevocationError::Field(FieldError::Missing { key: 6 }),
        ),
        (
            "added and removed",
            delta_payload(&[1, 5, 9], &[2, 9]),
            RevocationError::AddedAndRemoved { entry: entry(9) },
        ),
        (
            "removed out of order",
            delta_payload(&[], &[4, 2]),
            RevocationError::UnsortedEntries {
                part: "removed",
                index: 1,
            },
        ),
        (
            "added repeated",
            delta_payload(&[4, 4], &[]),
            RevocationError::DuplicateEntry {
                part: "added",
                index: 1,
            },
        ),
        (
            "a full list",
            full_payload(raw_entries(&[1])),
            RevocationError::WrongListKind {
                expected: ListKind::Delta,
                found: ListKind::Full,
            },
        ),
    ];
    for (name, payload, error) in cases {
        assert_eq!(
            RevocationDelta::from_signed(&signed_payload(payload), &roots()),
            Err(error),
            "{name}"
        );
    }
}

#[test]
fn deltas_sign_read_and_apply() {
    let base = list(4, &[10, 20, 30, 40]);
    let delta = RevocationDelta::new(
        4,
        ISSUED_AT,
        EXPIRES_AT,
        [entry(25), entry(5), entry(99)],
        [entry(40), entry(10)],
    )
    .unwrap();
    let signed = delta.sign(&root()).unwrap();
    let read = RevocationDelta::from_signed(&signed, &roots()).unwrap();
    assert_eq!(read, delta);
    assert_eq!(read.sequence, 5);
    assert_eq!(
        read.added().collect::<Vec<_>>(),
        [entry(5), entry(25), entry(99)]
    );
    assert_eq!(read.removed().collect::<Vec<_>>(), [entry(10), entry(40)]);
    let applied = base.apply(&read).unwrap();
    assert_eq!(applied, list(5, &[5, 20, 25, 30, 99]));
    assert_eq!(
        RevocationDocument::from_signed(&signed, &roots())
            .unwrap()
            .kind(),
        ListKind::Delta
    );

    let later = datetime!(2025-06-02 0:00 UTC);
    let next = RevocationList::new(
        6,
        later,
        later + Duration::days(7),
        applied.entries().chain([entry(7)]),
    )
    .unwrap();
    let between = RevocationDelta::between(&applied, &next).unwrap();
    assert_eq!(between.added().collect::<Vec<_>>(), [entry(7)]);
    assert_eq!(between.removed().count(), 0);
    assert_eq!(applied.apply(&between).unwrap(), next);

    // Removing everything, adding to an empty list.
    let emptied = RevocationDelta::between(&base, &list(5, &[])).unwrap();
    assert_eq!(base.apply(&emptied).unwrap(), list(5, &[]));
    let filled = RevocationDelta::between(&list(4, &[]), &base_with(5, &base)).unwrap();
    assert_eq!(list(4, &[]).apply(&filled).unwrap(), base_with(5, &base));
}

fn base_with(sequence: u64, list: &RevocationList) -> RevocationList {
    RevocationList {
        sequence,
        ..list.clone()
    }
}

#[test]
fn deltas_that_do_not_fit_the_list_are_refused() {
    let base = list(4, &[10, 20, 30]);
    let delta = |added: &[u64], removed: &[u64]| {
        RevocationDelta::new(
            4,
            ISSUED_AT,
            EXPIRES_AT,
            added.iter().copied().map(entry),
            removed.iter().copied().map(entry),
        )
        .unwrap()
    };
    let cases = [
        (
            delta(&[20], &[]),
            RevocationError::AlreadyRevoked { entry: entry(20) },
        ),
        (
            delta(&[5, 30], &[]),
            RevocationError::AlreadyRevoked { entry: entry(30) },
        ),
        (
            delta(&[], &[15]),
            RevocationError::NotRevoked { entry: entry(15) },
        ),
        (
            delta(&[], &[10, 31]),
            RevocationError::NotRevoked { entry: entry(31) },
        ),
        (
            delta(&[], &[5]),
            RevocationError::NotRevoked { entry: entry(5) },
        ),
    ];
    for (delta, error) in cases {
        assert_eq!(base.apply(&delta), Err(error.clone()), "{error}");
    }
    let other_base = RevocationDelta::new(3, ISSUED_AT, EXPIRES_AT, [entry(1)], []).unwrap();
    assert_eq!(
        base.apply(&other_base),
        Err(RevocationError::DeltaBaseMismatch {
            installed: 4,
            base_sequence: 3
        })
    );
    assert_eq!(
        RevocationDelta::new(1, ISSUED_AT, EXPIRES_AT, [entry(1)], [entry(1)]),
        Err(RevocationError::AddedAndRemoved { entry: entry(1) })
    );
    assert_eq!(
        RevocationDelta::new(u64::MAX, ISSUED_AT, EXPIRES_AT, [], []),
        Err(RevocationError::DeltaSequence {
            base_sequence: u64::MAX,
            sequence: u64::MAX
        })
    );
    assert_eq!(
        RevocationDelta::between(&base, &list(6, &[])),
        Err(RevocationError::DeltaSequence {
            base_sequence: 4,
            sequence: 6
        })
    );
    // A delta whose public fields were changed after it was made is refused on apply.
    let mut tampered = delta(&[1], &[]);
    tampered.sequence = 9;
    assert_eq!(
        base.apply(&tampered),
        Err(RevocationError::DeltaSequence {
            base_sequence: 4,
            sequence: 9
        })
    );
    assert_eq!(
        tampered.sign(&root()),
        Err(RevocationError::DeltaSequence {
            base_sequence: 4,
            sequence: 9
        })
    );
}

#[test]
fn updates_refuse_rollback_and_conflicts() {
    let installed = list(4, &[1, 2]);
    assert_eq!(
        installed.check_update(&list(3, &[1, 2])),
        Err(RevocationError::Rollback {
            installed: 4,
            offered: 3
        })
    );
    assert_eq!(
        installed.check_update(&list(4, &[1])),
        Err(RevocationError::ConflictingSequence { sequence: 4 })
    );
    assert_eq!(installed.check_update(&list(4, &[2, 1])), Ok(()));
    assert_eq!(installed.check_update(&list(5, &[])), Ok(()));
}

#[test]
fn signing_refuses_lists_that_expire_before_they_are_issued() {
    let mut expired = list(1, &[1]);
    expired.expires_at = expired.issued_at;
    assert_eq!(
        expired.sign(&root()),
        Err(RevocationError::ExpiresBeforeIssued)
    );
    let delta = RevocationDelta::new(1, EXPIRES_AT, ISSUED_AT, [], []).unwrap();
    assert_eq!(
        delta.sign(&root()),
        Err(RevocationError::ExpiresBeforeIssued)
    );
}
