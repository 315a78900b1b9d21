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

/// Magic and version 2 followed by `body`, with a correct checksum.
fn file_with_body(body: &str) -> Vec<u8> {
    file_with_version_and_body(VERSION, body)
}

fn file_with_version_and_body(version: u8, body: &str) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.push(version);
    bytes.extend(hex(body));
    with_checksum(bytes)
}

fn with_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
    let checksum = Sha256::digest(&bytes);
    bytes.extend_from_slice(&checksum);
    bytes
}

const TRUST_DIGEST: ListDigest = [0x11; 32];
const REVOCATION_DIGEST: ListDigest = [0x22; 32];

fn full_state() -> VerifierState {
    let mut state = VerifierState::new();
    state.record_trust_list(7, datetime!(2025-05-01 08:00 +8), TRUST_DIGEST);
    state.record_revocation_list(3, datetime!(2025-04-01 00:00 UTC), Some(REVOCATION_DIGEST));
    state
}

#[test]
fn state_file_bytes_annotated() {
    // Computed independently with Python's hashlib over the first 86 bytes.
    let expected = hex(concat!(
        "43515354",                                                                 // "CQST"
        "02",                                                                       // version 2
        "a5",                                                                       // map of 5
        "01 07",          // 1: trust list sequence 7
        "02 03",          // 2: revocation list sequence 3
        "03 1a 6812b980", // 3: trusted time 1746057600 = 2025-05-01T00:00:00Z
        "04 5820 1111111111111111111111111111111111111111111111111111111111111111", // 4: trust list digest
        "05 5820 2222222222222222222222222222222222222222222222222222222222222222", // 5: revocation list digest
        "add70a022f67dac2f25d94f2480e0206dd168711beeb43bcfc8f897226e1a2bd",         // SHA-256
    ));
    let state = full_state();
    assert_eq!(state.to_bytes(), expected);
    assert_eq!(VerifierState::from_bytes(&expected), Ok(state));
    assert_eq!(state.trust_list_sequence(), Some(7));
    assert_eq!(state.revocation_list_sequence(), Some(3));
    assert_eq!(state.trusted_time(), Some(datetime!(2025-05-01 00:00 UTC)));
    assert_eq!(state.trust_list_digest(), Some(&TRUST_DIGEST));
    assert_eq!(state.revocation_list_digest(), Some(&REVOCATION_DIGEST));
}

#[test]
fn version_1_files_still_load_and_are_written_back_as_version_2() {
    // A file written by the first version, byte for byte (checksum computed
    // independently with Python's hashlib over the first 16 bytes).
    let version_1 = hex(concat!(
        "43515354",                                                         // "CQST"
        "01",                                                               // version 1
        "a3",                                                               // map of 3
        "01 07",          // 1: trust list sequence 7
        "02 03",          // 2: revocation list sequence 3
        "03 1a 6812b980", // 3: trusted time 1746057600 = 2025-05-01T00:00:00Z
        "ff8d1988d3d25131e95890caafa96e00b0b7db6f1bf7e811b9a54a3145f0bfa9", // SHA-256
    ));
    let state = VerifierState::from_bytes(&version_1).unwrap();
    assert_eq!(state.trust_list_sequence(), Some(7));
    assert_eq!(state.revocation_list_sequence(), Some(3));
    assert_eq!(state.trusted_time(), Some(datetime!(2025-05-01 00:00 UTC)));
    assert_eq!(state.trust_list_digest(), None);
    assert_eq!(state.revocation_list_digest(), None);
    // Written back as version 2, which reads the same.
    let written = state.to_bytes();
    assert_eq!(written[4], VERSION);
    assert_ne!(written, version_1);
    assert_eq!(VerifierState::from_bytes(&written), Ok(state));
    // Without digests only sequences count; installing the list again fills them in.
    let mut migrated = state;
    assert_eq!(migrated.check_trust_list(7, &TRUST_DIGEST), Ok(()));
    migrated.record_trust_list(7, datetime!(2025-05-01 00:00 UTC), TRUST_DIGEST);
    assert_eq!(migrated.trust_list_digest(), Some(&TRUST_DIGEST));
    assert_eq!(
        migrated.check_trust_list(7, &[0x33; 32]),
        Err(TrustListError::ConflictingSequence { sequence: 7 })
    );
}

#[test]
fn a_list_with_the_recorded_sequence_must_have_the_recorded_digest() {
    let state = full_state();
    let other = [0x33; 32];
    assert_eq!(state.check_trust_list(7, &TRUST_DIGEST), Ok(()));
    assert_eq!(state.check_trust_list(8, &other), Ok(()));
    assert_eq!(
        state.check_trust_list(7, &other),
        Err(TrustListError::ConflictingSequence { sequence: 7 })
    );
    assert_eq!(
        state.check_trust_list(6, &TRUST_DIGEST),
        Err(TrustListError::Rollback {
            installed: 7,
            offered: 6
        })
    );
    assert_eq!(
        state.check_revocation_list(3, Some(&REVOCATION_DIGEST)),
        Ok(())
    );
    assert_eq!(state.check_revocation_list(4, Some(&other)), Ok(()));
    assert_eq!(
        state.check_revocation_list(3, Some(&other)),
        Err(RevocationError::ConflictingSequence { sequence: 3 })
    );
    assert_eq!(
        state.check_revocation_list(2, Some(&REVOCATION_DIGEST)),
        Err(RevocationError::Rollback {
            installed: 3,
            offered: 2
        })
    );
    // Nothing recorded: anything goes.
    assert_eq!(VerifierState::new().check_trust_list(0, &other), Ok(()));
    assert_eq!(
        VerifierState::new().check_revocation_list(0, Some(&other)),
        Ok(())
    );
}

#[test]
fn a_delta_records_its_sequence_and_no_digest() {
    let mut state = full_state();
    state.record_revocation_list(4, datetime!(2025-04-02 00:00 UTC), None);
    assert_eq!(state.revocation_list_sequence(), Some(4));
    assert_eq!(state.revocation_list_digest(), None);
    // Any full list of sequence 4 passes the state (the verifier compares it with the
    // list in memory); the first one installed is then recorded.
    assert_eq!(state.check_revocation_list(4, Some(&[0x44; 32])), Ok(()));
    state.record_revocation_list(4, datetime!(2025-04-02 00:00 UTC), Some([0x44; 32]));
    assert_eq!(state.revocation_list_digest(), Some(&[0x44; 32]));
    assert_eq!(
        state.check_revocation_list(4, Some(&[0x55; 32])),
        Err(RevocationError::ConflictingSequence { sequence: 4 })
    );
    assert_eq!(VerifierState::from_bytes(&state.to_bytes()), Ok(state));
}

#[test]
fn round_trips_empty_and_partial_states() {
    let empty = VerifierState::new();
    assert_eq!(empty.to_bytes().len(), MIN_STATE_BYTES);
    assert_eq!(VerifierState::from_bytes(&empty.to_bytes()), Ok(empty));
    let mut trust_only = VerifierState::new();
    trust_only.record_trust_list(u64::MAX, datetime!(9999-12-31 23:59:59 UTC), TRUST_DIGEST);
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
    state.record_trust_list(5, datetime!(2020-01-01 00:00 UTC), [0x33; 32]);
    state.record_trust_list(7, datetime!(2020-01-01 00:00 UTC), [0x33; 32]);
    state.record_revocation_list(1, datetime!(2020-01-01 00:00 UTC), Some([0x33; 32]));
    assert_eq!(state, full_state());
    state.record_revocation_list(4, datetime!(2025-06-01 12:30:45.9 UTC), Some([0x44; 32]));
    assert_eq!(state.revocation_list_digest(), Some(&[0x44; 32]));
    assert_eq!(state.trust_list_digest(), Some(&TRUST_DIGEST));
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
    let mut version_3 = good[..good.len() - CHECKSUM_LENGTH].to_vec();
    version_3[4] = 3;
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
            with_checksum(version_3),
            StateError::UnsupportedVersion { version: 3 },
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
            file_with_body("a1 06 01"),
            StateError::Field(FieldError::Unknown { key: 6 }),
        ),
        (
            "a digest in a version 1 file",
            file_with_version_and_body(
                VERSION_1,
                "a2 01 07 04 5820 1111111111111111111111111111111111111111111111111111111111111111",
            ),
            StateError::Field(FieldError::Unknown { key: 4 }),
        ),
        (
            "a digest without its sequence",
            file_with_body(
                "a1 05 5820 2222222222222222222222222222222222222222222222222222222222222222",
            ),
            StateError::Field(FieldError::Missing { key: 2 }),
        ),
        (
            "a short digest",
            file_with_body("a2 01 07 04 41 11"),
            StateError::Field(FieldError::WrongType {
                key: 4,
                expected: "a 32-byte SHA-256 digest",
            }),
        ),
        (
            "a digest as text",
            file_with_body("a2 01 07 04 61 31"),
            StateError::Field(FieldError::WrongType {
                key: 4,
                expected: "a 32-byte SHA-256 digest",
            }),
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
        StateError::UnsupportedVersion { version: 3 }.to_string(),
        "state file format version 3 is not supported (this certqr reads versions 1 to 2)"
    );
}

/// The verifier with a saved state: what it remembers across a restart.
mod across_restarts {
    use time::macros::date;

    use super::*;
    use crate::catalog::Family;
    use crate::issue::Issuer;
    use crate::keys::{Algorithm, SigningKey};
    use crate::revocation::{Entry, RevocationDelta, RevocationList};
    use crate::samples;
    use crate::trust::TrustList;
    use crate::verify::{Status, Verifier, VerifierOptions, Warning};

    const NOW: OffsetDateTime = datetime!(2025-06-01 02:00 UTC);

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_seed(Algorithm::Ed25519, &[seed; 32])
    }

    fn trust_list(issuer: &SigningKey, name_en: &str) -> TrustList {
        samples::trust_list(
            7,
            datetime!(2025-05-01 00:00 UTC),
            vec![samples::issuer(
                issuer.public_key(),
                "江苏省应急管理厅",
                name_en,
                320_000,
                &[Family::SpecialOperations],
                date!(2020 - 01 - 01),
            )],
        )
    }

    fn restart(root: &SigningKey, state: VerifierState) -> Verifier {
        Verifier::with_state(vec![root.public_key()], VerifierOptions::default(), state)
    }

    fn revocation_list(root: &SigningKey, sequence: u64, entries: &[Entry]) -> Vec<u8> {
        let issued_at = datetime!(2025-05-31 00:00 UTC);
        RevocationList::new(
            sequence,
            issued_at,
            issued_at + time::Duration::days(7),
            entries.iter().copied(),
        )
        .unwrap()
        .sign(root)
        .unwrap()
    }

    #[test]
    fn another_trust_list_with_the_installed_sequence_is_refused_after_a_restart() {
        let (root, issuer) = (key(1), key(2));
        let first = trust_list(&issuer, "Jiangsu Emergency Management Department")
            .sign(&root)
            .unwrap();
        let other = trust_list(&issuer, "Another Department")
            .sign(&root)
            .unwrap();
        let mut verifier = restart(&root, VerifierState::new());
        verifier.install_trust_list(&first).unwrap();
        let saved = VerifierState::from_bytes(&verifier.state().to_bytes()).unwrap();
        assert_eq!(saved.trust_list_digest(), Some(&list_digest(&first)));

        let mut verifier = restart(&root, saved);
        assert_eq!(
            verifier.install_trust_list(&other).unwrap_err(),
            TrustListError::ConflictingSequence { sequence: 7 }
        );
        assert!(verifier.trust_list().is_none());
        assert_eq!(*verifier.state(), saved);
        // The list installed before is the normal case of a restart.
        verifier.install_trust_list(&first).unwrap();
        assert_eq!(*verifier.state(), saved);
    }

    #[test]
    fn another_revocation_list_with_the_installed_sequence_is_refused_after_a_restart() {
        let root = key(1);
        let certificate =
            samples::certificate(Family::SpecialOperations, date!(2024 - 03 - 01)).unwrap();
        let entry = Entry::of_certificate(key(2).public_key().key_id(), &certificate);
        let first = revocation_list(&root, 4, &[entry]);
        let other = revocation_list(&root, 4, &[]);
        let mut verifier = restart(&root, VerifierState::new());
        verifier.install_revocation_list(&first).unwrap();
        let saved = *verifier.state();
        assert_eq!(saved.revocation_list_digest(), Some(&list_digest(&first)));

        let mut verifier = restart(&root, saved);
        assert_eq!(
            verifier.install_revocation_list(&other).unwrap_err(),
            RevocationError::ConflictingSequence { sequence: 4 }
        );
        assert!(verifier.revocation_list().is_none());
        verifier.install_revocation_list(&first).unwrap();
        assert_eq!(*verifier.state(), saved);
    }

    #[test]
    fn a_delta_records_no_digest_and_the_list_in_memory_still_decides() {
        let root = key(1);
        let certificate =
            samples::certificate(Family::SpecialOperations, date!(2024 - 03 - 01)).unwrap();
        let entry = Entry::of_certificate(key(2).public_key().key_id(), &certificate);
        // Dated as `revocation_list` dates its lists, so that the list it makes can equal one.
        let issued_at = datetime!(2025-05-31 00:00 UTC);
        let delta = RevocationDelta::new(
            4,
            issued_at,
            issued_at + time::Duration::days(7),
            [entry],
            [],
        )
        .unwrap()
        .sign(&root)
        .unwrap();
        let mut verifier = restart(&root, VerifierState::new());
        verifier
            .install_revocation_list(&revocation_list(&root, 4, &[]))
            .unwrap();
        verifier.apply_revocation_delta(&delta).unwrap();
        assert_eq!(verifier.state().revocation_list_sequence(), Some(5));
        assert_eq!(verifier.state().revocation_list_digest(), None);

        // After a restart, the saved full list alone is behind the state; with the
        // delta applied to it (and a delta left over from an earlier list skipped) it
        // is where the state is.
        let saved = *verifier.state();
        let stale = RevocationDelta::new(
            2,
            issued_at,
            issued_at + time::Duration::days(7),
            [],
            [entry],
        )
        .unwrap()
        .sign(&root)
        .unwrap();
        let mut restarted = restart(&root, saved);
        let base = revocation_list(&root, 4, &[]);
        assert_eq!(
            restarted.install_revocation_list(&base).unwrap_err(),
            RevocationError::Rollback {
                installed: 5,
                offered: 4
            }
        );
        let installed = restarted
            .install_revocation_chain(&base, &[stale, delta.clone()])
            .unwrap();
        assert_eq!(installed.sequence, 5);
        assert!(installed.contains(entry));
        assert_eq!(*restarted.state(), saved);
        // A gap refuses the whole chain.
        let gap = RevocationDelta::new(6, issued_at, issued_at + time::Duration::days(7), [], [])
            .unwrap()
            .sign(&root)
            .unwrap();
        let mut restarted = restart(&root, saved);
        assert_eq!(
            restarted
                .install_revocation_chain(&base, &[delta.clone(), gap])
                .unwrap_err(),
            RevocationError::DeltaBaseMismatch {
                installed: 5,
                base_sequence: 6
            }
        );
        assert!(restarted.revocation_list().is_none());
        // A full list 5 with other content than the delta made: refused in memory.
        assert_eq!(
            verifier
                .install_revocation_list(&revocation_list(&root, 5, &[]))
                .unwrap_err(),
            RevocationError::ConflictingSequence { sequence: 5 }
        );
        // The same content as a full list is accepted, and its digest recorded.
        let full = revocation_list(&root, 5, &[entry]);
        verifier.install_revocation_list(&full).unwrap();
        assert_eq!(
            verifier.state().revocation_list_digest(),
            Some(&list_digest(&full))
        );
    }

    #[test]
    fn a_recorded_revocation_list_that_is_not_loaded_is_a_warning() {
        let (root, issuer) = (key(1), key(2));
        let list = trust_list(&issuer, "Jiangsu Emergency Management Department")
            .sign(&root)
            .unwrap();
        let text = Issuer::new(issuer.clone())
            .issue(&samples::certificate(Family::SpecialOperations, date!(2024 - 03 - 01)).unwrap())
            .unwrap();
        let mut state = VerifierState::new();
        state.record_revocation_list(4, datetime!(2025-05-01 00:00 UTC), Some([0x44; 32]));
        let mut verifier = restart(&root, state);
        verifier.install_trust_list(&list).unwrap();
        let verdict = verifier.verify(&text, NOW);
        assert_eq!(verdict.status, Status::Valid);
        assert_eq!(
            verdict.warnings,
            [Warning::RevocationNotChecked { sequence: 4 }]
        );
        let warning = &verdict.warnings[0];
        assert_eq!(warning.code(), "revocation-not-checked");
        assert!(
            warning.message_en().contains("Revocation was not checked"),
            "{}",
            warning.message_en()
        );
        assert!(warning.message_en().contains("sequence 4"));
        let zh = warning.message_zh();
        assert!(zh.contains("未检查吊销状态"), "{zh}");
        assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
        // A verifier that never installed one: nothing to say.
        let mut fresh = restart(&root, VerifierState::new());
        fresh.install_trust_list(&list).unwrap();
        assert!(fresh.verify(&text, NOW).warnings.is_empty());
        // Once the list is loaded again, revocation is checked and the warning gone.
        let mut reloaded = restart(&root, VerifierState::new());
        reloaded.install_trust_list(&list).unwrap();
        reloaded
            .install_revocation_list(&revocation_list(&root, 4, &[]))
            .unwrap();
        assert!(reloaded.verify(&text, NOW).warnings.is_empty());
    }
}
