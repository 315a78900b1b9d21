use std::fs;

use certqr_core::catalog::Family;
use certqr_core::certificate::Certificate;
use certqr_core::issue::Issuer;
use certqr_core::keys::{Algorithm, SigningKey};
use certqr_core::revocation::{Entry, RevocationDelta, RevocationList};
use certqr_core::samples;
use certqr_core::state::list_digest;
use certqr_core::verify::{Status, Warning};
use tempfile::TempDir;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

use super::*;

const NOW: OffsetDateTime = datetime!(2025-06-01 02:00 UTC);

fn key(seed: u8) -> SigningKey {
    SigningKey::from_seed(Algorithm::Ed25519, &[seed; 32])
}

/// A root, an issuer and a certificate it signed, with lists about them.
struct Setup {
    root: SigningKey,
    issuer: SigningKey,
    certificate: Certificate,
}

fn setup() -> Setup {
    Setup {
        root: key(1),
        issuer: key(2),
        certificate: samples::certificate(Family::SpecialOperations, date!(2024 - 03 - 01))
            .unwrap(),
    }
}

impl Setup {
    /// Trust list 7; `name_en` makes lists of the same sequence differ.
    fn trust_list(&self, name_en: &str) -> Vec<u8> {
        let issuer = samples::issuer(
            self.issuer.public_key(),
            "江苏省应急管理厅",
            name_en,
            320_000,
            &[Family::SpecialOperations],
            date!(2020 - 01 - 01),
        );
        samples::trust_list(7, datetime!(2025-05-01 00:00 UTC), vec![issuer])
            .sign(&self.root)
            .unwrap()
    }

    fn list(&self) -> Vec<u8> {
        self.trust_list("Jiangsu Emergency Management Department")
    }

    fn entry(&self) -> Entry {
        Entry::of_certificate(self.issuer.public_key().key_id(), &self.certificate)
    }

    /// Revocation list `sequence`, revoking the certificate when `revoked`.
    fn revocation_list(&self, sequence: u64, revoked: bool) -> Vec<u8> {
        let issued_at = datetime!(2025-05-31 00:00 UTC);
        let entries = if revoked { vec![self.entry()] } else { vec![] };
        RevocationList::new(sequence, issued_at, issued_at + Duration::days(7), entries)
            .unwrap()
            .sign(&self.root)
            .unwrap()
    }

    /// The delta from `base` to the next, revoking the certificate.
    fn delta_revoking(&self, base: u64) -> Vec<u8> {
        let issued_at = datetime!(2025-05-31 00:00 UTC);
        RevocationDelta::new(
            base,
            issued_at,
            issued_at + Duration::days(7),
            [self.entry()],
            [],
        )
        .unwrap()
        .sign(&self.root)
        .unwrap()
    }

    fn text(&self) -> String {
        Issuer::new(self.issuer.clone())
            .issue(&self.certificate)
            .unwrap()
    }

    fn open(&self, store: &Store) -> Opened {
        store
            .open_verifier(vec![self.root.public_key()], VerifierOptions::default())
            .unwrap()
    }
}

#[test]
fn a_new_directory_is_created_and_starts_empty_without_writing_a_state() {
    let temporary = TempDir::new().unwrap();
    let path = temporary.path().join("new/state");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.path(), path);
    assert_eq!(store.state().unwrap(), VerifierState::new());
    let opened = setup().open(&store);
    assert!(opened.verifier.trust_list().is_none());
    assert!(opened.verifier.revocation_list().is_none());
    assert!(opened.trust_list_left_out.is_none());
    assert!(opened.revocation_list_left_out.is_none());
    assert!(!path.join(STATE_FILE).exists());
    assert!(path.join(LOCK_FILE).exists());
}

#[test]
fn both_lists_are_saved_and_installed_again_by_the_next_verifier() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    let store = Store::open(temporary.path()).unwrap();
    let mut verifier = setup.open(&store).verifier;
    store
        .install_trust_list(&mut verifier, &setup.list())
        .unwrap();
    store
        .install_revocation_list(&mut verifier, &setup.revocation_list(3, true))
        .unwrap();
    assert_eq!(verifier.verify(&setup.text(), NOW).status, Status::Invalid);
    let saved = *verifier.state();
    drop(store);

    let names: Vec<String> = fs::read_dir(temporary.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        [LOCK_FILE, REVOCATION_LIST_FILE, STATE_FILE, TRUST_LIST_FILE]
    );
    assert_eq!(
        fs::read(temporary.path().join(TRUST_LIST_FILE)).unwrap(),
        setup.list()
    );

    let store = Store::open(temporary.path()).unwrap();
    assert_eq!(store.state().unwrap(), saved);
    let opened = setup.open(&store);
    assert_eq!(*opened.verifier.state(), saved);
    assert_eq!(opened.verifier.trust_list().unwrap().sequence, 7);
    assert_eq!(opened.verifier.revocation_list().unwrap().sequence, 3);
    let verdict = opened.verifier.verify(&setup.text(), NOW);
    assert_eq!(verdict.status, Status::Invalid);
    assert_eq!(verdict.reasons[0].code(), "revoked");
}

#[test]
fn a_second_store_on_the_directory_is_refused_while_the_first_is_open() {
    let temporary = TempDir::new().unwrap();
    let first = Store::open(temporary.path()).unwrap();
    let error = Store::open(temporary.path()).unwrap_err();
    assert!(matches!(error, StoreError::Locked), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the state directory is in use by another verifier (its lock file is locked); \
         open one verifier per directory"
    );
    drop(first);
    Store::open(temporary.path()).unwrap();
}

#[test]
fn a_file_for_a_directory_is_a_clear_error() {
    let temporary = TempDir::new().unwrap();
    let file = temporary.path().join("state");
    fs::write(&file, b"not a directory").unwrap();
    let error = Store::open(&file).unwrap_err();
    assert!(matches!(error, StoreError::NotADirectory), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the state directory is a file, not a directory"
    );
    // Below a file: the system's error, naming no path.
    let error = Store::open(file.join("below")).unwrap_err();
    assert!(
        matches!(&error, StoreError::Io { file, .. } if file == DIRECTORY),
        "{error:?}"
    );
    assert!(!error
        .to_string()
        .contains(&*temporary.path().to_string_lossy()));
}

#[test]
fn a_damaged_state_file_is_an_error_and_is_left_alone() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    let store = Store::open(temporary.path()).unwrap();
    let mut verifier = setup.open(&store).verifier;
    store
        .install_trust_list(&mut verifier, &setup.list())
        .unwrap();
    let path = temporary.path().join(STATE_FILE);
    let bytes = fs::read(&path).unwrap();
    let truncated = &bytes[..bytes.len() - 5];
    fs::write(&path, truncated).unwrap();
    let error = store
        .open_verifier(vec![setup.root.public_key()], VerifierOptions::default())
        .unwrap_err();
    assert!(
        matches!(error, StoreError::DamagedState { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with("state.cqs: state file is corrupted or truncated"),
        "{message}"
    );
    assert!(message.contains("not reset"), "{message}");
    assert_eq!(fs::read(&path).unwrap(), truncated);
    assert!(matches!(
        store.state(),
        Err(StoreError::DamagedState { .. })
    ));
}

#[test]
fn another_trust_list_with_the_installed_sequence_is_refused_in_a_new_run() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    {
        let store = Store::open(temporary.path()).unwrap();
        let mut verifier = setup.open(&store).verifier;
        store
            .install_trust_list(&mut verifier, &setup.list())
            .unwrap();
    }
    // The saved copy is gone: only the state's digest can tell.
    fs::remove_file(temporary.path().join(TRUST_LIST_FILE)).unwrap();
    let store = Store::open(temporary.path()).unwrap();
    let mut verifier = setup.open(&store).verifier;
    let state_before = fs::read(temporary.path().join(STATE_FILE)).unwrap();
    let error = store
        .install_trust_list(&mut verifier, &setup.trust_list("Another Department"))
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::TrustListRefused(TrustListError::ConflictingSequence { sequence: 7 })
        ),
        "{error:?}"
    );
    assert!(verifier.trust_list().is_none());
    assert!(!temporary.path().join(TRUST_LIST_FILE).exists());
    assert_eq!(
        fs::read(temporary.path().join(STATE_FILE)).unwrap(),
        state_before
    );
    // The list installed before is still welcome.
    store
        .install_trust_list(&mut verifier, &setup.list())
        .unwrap();
    assert_eq!(
        verifier.state().trust_list_digest(),
        Some(&list_digest(&setup.list()))
    );
}

#[test]
fn another_revocation_list_with_the_installed_sequence_is_refused_and_the_old_stays() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    {
        let store = Store::open(temporary.path()).unwrap();
        let mut verifier = setup.open(&store).verifier;
        store
            .install_revocation_list(&mut verifier, &setup.revocation_list(3, true))
            .unwrap();
    }
    let store = Store::open(temporary.path()).unwrap();
    let mut verifier = setup.open(&store).verifier;
    let error = store
        .install_revocation_list(&mut verifier, &setup.revocation_list(3, false))
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::RevocationListRefused(RevocationError::ConflictingSequence { sequence: 3 })
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "revocation list refused: revocation list sequence 3 is already installed with \
         different content"
    );
    assert_eq!(
        fs::read(temporary.path().join(REVOCATION_LIST_FILE)).unwrap(),
        setup.revocation_list(3, true)
    );
    assert_eq!(verifier.revocation_list().unwrap().len(), 1);
}

#[test]
fn deltas_are_saved_applied_again_and_dropped_with_the_next_full_list() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    {
        let store = Store::open(temporary.path()).unwrap();
        let mut verifier = setup.open(&store).verifier;
        store
            .install_trust_list(&mut verifier, &setup.list())
            .unwrap();
        store
            .install_revocation_list(&mut verifier, &setup.revocation_list(3, false))
            .unwrap();
        store
            .apply_revocation_delta(&mut verifier, &setup.delta_revoking(3))
            .unwrap();
        assert_eq!(verifier.state().revocation_list_sequence(), Some(4));
        assert_eq!(verifier.state().revocation_list_digest(), None);
        // A delta from another base is refused and not saved.
        assert!(matches!(
            store.apply_revocation_delta(&mut verifier, &setup.delta_revoking(7)),
            Err(StoreError::RevocationListRefused(
                RevocationError::DeltaBaseMismatch { .. }
            ))
        ));
        assert!(!temporary.path().join(revocation_delta_file(7)).exists());
    }
    assert!(temporary.path().join(revocation_delta_file(3)).exists());
    let store = Store::open(temporary.path()).unwrap();
    let mut opened = setup.open(&store);
    assert!(opened.revocation_list_left_out.is_none());
    assert_eq!(opened.verifier.revocation_list().unwrap().sequence, 4);
    let verdict = opened.verifier.verify(&setup.text(), NOW);
    assert_eq!(verdict.reasons[0].code(), "revoked");
    // A full list 4 with the content the delta made replaces list and delta.
    store
        .install_revocation_list(&mut opened.verifier, &setup.revocation_list(4, true))
        .unwrap();
    assert!(!temporary.path().join(revocation_delta_file(3)).exists());
    assert_eq!(
        opened.verifier.state().revocation_list_digest(),
        Some(&list_digest(&setup.revocation_list(4, true)))
    );
}

#[test]
fn without_its_saved_revocation_list_the_verifier_warns() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    {
        let store = Store::open(temporary.path()).unwrap();
        let mut verifier = setup.open(&store).verifier;
        store
            .install_trust_list(&mut verifier, &setup.list())
            .unwrap();
        store
            .install_revocation_list(&mut verifier, &setup.revocation_list(3, true))
            .unwrap();
    }
    fs::remove_file(temporary.path().join(REVOCATION_LIST_FILE)).unwrap();
    let store = Store::open(temporary.path()).unwrap();
    let verdict = setup.open(&store).verifier.verify(&setup.text(), NOW);
    assert_eq!(
        verdict.warnings,
        [Warning::RevocationNotChecked { sequence: 3 }]
    );
}

#[test]
fn saved_lists_the_roots_refuse_are_left_out_and_said_why() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    {
        let store = Store::open(temporary.path()).unwrap();
        let mut verifier = setup.open(&store).verifier;
        store
            .install_trust_list(&mut verifier, &setup.list())
            .unwrap();
        store
            .install_revocation_list(&mut verifier, &setup.revocation_list(3, true))
            .unwrap();
    }
    let store = Store::open(temporary.path()).unwrap();
    let opened = store
        .open_verifier(vec![key(9).public_key()], VerifierOptions::default())
        .unwrap();
    assert!(opened.verifier.trust_list().is_none());
    assert!(opened.verifier.revocation_list().is_none());
    assert!(opened.trust_list_left_out.is_some());
    assert!(opened.revocation_list_left_out.is_some());
    // The state still holds what was installed.
    assert_eq!(opened.verifier.state().trust_list_sequence(), Some(7));
}

#[test]
fn a_list_copy_newer_than_the_state_raises_it_on_open() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    // As if the run crashed after saving the list and before saving the state.
    fs::write(temporary.path().join(TRUST_LIST_FILE), setup.list()).unwrap();
    let store = Store::open(temporary.path()).unwrap();
    setup.open(&store);
    let state = store.state().unwrap();
    assert_eq!(state.trust_list_sequence(), Some(7));
    assert_eq!(state.trust_list_digest(), Some(&list_digest(&setup.list())));
}

#[test]
fn a_version_1_state_file_is_migrated_not_reset() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    // Version 1: trust list sequence 7, revocation list sequence 3, trusted time
    // 2025-05-01T00:00:00Z (the bytes of core's state tests).
    let version_1: Vec<u8> = [
        &b"CQST"[..],
        &[
            0x01, 0xa3, 0x01, 0x07, 0x02, 0x03, 0x03, 0x1a, 0x68, 0x12, 0xb9, 0x80,
        ],
        &[
            0xff, 0x8d, 0x19, 0x88, 0xd3, 0xd2, 0x51, 0x31, 0xe9, 0x58, 0x90, 0xca, 0xaf, 0xa9,
            0x6e, 0x00, 0xb0, 0xb7, 0xdb, 0x6f, 0x1b, 0xf7, 0xe8, 0x11, 0xb9, 0xa5, 0x4a, 0x31,
            0x45, 0xf0, 0xbf, 0xa9,
        ],
    ]
    .concat();
    fs::write(temporary.path().join(STATE_FILE), &version_1).unwrap();
    fs::write(temporary.path().join(TRUST_LIST_FILE), setup.list()).unwrap();
    let store = Store::open(temporary.path()).unwrap();
    let opened = setup.open(&store);
    assert_eq!(opened.verifier.trust_list().unwrap().sequence, 7);
    let written = fs::read(temporary.path().join(STATE_FILE)).unwrap();
    assert_eq!(written[4], 2, "written back as version 2");
    let state = store.state().unwrap();
    assert_eq!(state.revocation_list_sequence(), Some(3));
    // The saved copy's digest is now recorded.
    assert_eq!(state.trust_list_digest(), Some(&list_digest(&setup.list())));
    // Without a revocation list while the state recorded one: a warning.
    assert_eq!(
        opened.verifier.verify(&setup.text(), NOW).warnings,
        [Warning::RevocationNotChecked { sequence: 3 }]
    );
}

#[test]
fn a_failed_save_leaves_the_verifier_as_it_was() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    let store = Store::open(temporary.path()).unwrap();
    let mut verifier = setup.open(&store).verifier;
    // A non-empty directory where the state file goes: the rename over it fails.
    fs::create_dir_all(temporary.path().join(STATE_FILE).join("blocked")).unwrap();
    let error = store
        .install_trust_list(&mut verifier, &setup.list())
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Io { file, .. } if file == STATE_FILE),
        "{error:?}"
    );
    assert!(error.to_string().starts_with("state.cqs: "), "{error}");
    assert!(!error
        .to_string()
        .contains(&*temporary.path().to_string_lossy()));
    assert!(verifier.trust_list().is_none());
    assert_eq!(*verifier.state(), VerifierState::new());
}

#[test]
fn oversized_files_are_refused_before_being_read_whole() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    fs::write(
        temporary.path().join(TRUST_LIST_FILE),
        vec![0; cose::MAX_DOCUMENT_LENGTH + 1],
    )
    .unwrap();
    let store = Store::open(temporary.path()).unwrap();
    let error = store
        .open_verifier(vec![setup.root.public_key()], VerifierOptions::default())
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::TooLarge { file, max } if file == TRUST_LIST_FILE && *max == cose::MAX_DOCUMENT_LENGTH),
        "{error:?}"
    );
    fs::write(
        temporary.path().join(STATE_FILE),
        vec![0; MAX_STATE_BYTES + 1],
    )
    .unwrap();
    assert!(matches!(
        store.state(),
        Err(StoreError::TooLarge {
            max: MAX_STATE_BYTES,
            ..
        })
    ));
}

#[test]
fn only_exact_delta_file_names_count() {
    assert_eq!(revocation_delta_file(3), "revocation-delta-3.cose");
    assert_eq!(delta_base("revocation-delta-3.cose"), Some(3));
    assert_eq!(
        delta_base("revocation-delta-18446744073709551615.cose"),
        Some(u64::MAX)
    );
    for name in [
        "revocation-delta-03.cose",
        "revocation-delta-+3.cose",
        "revocation-delta-.cose",
        "revocation-delta-3.cose.tmp",
        "revocation-delta-18446744073709551616.cose",
        "revocation-list.cose",
    ] {
        assert_eq!(delta_base(name), None, "{name}");
    }
}

#[test]
fn a_directory_with_more_deltas_than_an_app_keeps_is_refused_unread() {
    let setup = setup();
    let temporary = TempDir::new().unwrap();
    fs::write(temporary.path().join(REVOCATION_LIST_FILE), b"not read").unwrap();
    for base in 0..=MAX_SAVED_DELTAS {
        let name = revocation_delta_file(u64::try_from(base).unwrap());
        fs::write(temporary.path().join(name), b"").unwrap();
    }
    let store = Store::open(temporary.path()).unwrap();
    let error = store
        .open_verifier(vec![setup.root.public_key()], VerifierOptions::default())
        .unwrap_err();
    assert!(
        matches!(error, StoreError::TooManyDeltas { count, bytes: 0 } if count == MAX_SAVED_DELTAS + 1),
        "{error:?}"
    );
}
