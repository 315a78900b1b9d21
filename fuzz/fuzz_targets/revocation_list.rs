//! Revocation lists and deltas: signed documents, and unsigned bodies that the harness
//! signs with the root key so that the content checks see arbitrary data.
//!
//! An input starting like a COSE_Sign1 message (tag 18) is read as signed; anything else
//! as a payload. A full list that reads must re-encode to its payload (unless it carries
//! extension keys), sign and read back equal, answer `contains` exactly for its own
//! entries and their neighbours, install exactly when it is no rollback or conflict, and
//! then revoke exactly the world's certificates it lists. A delta must re-encode and
//! read back the same way, apply to a base list exactly when its base sequence matches,
//! every entry it adds is absent and every entry it removes present, give the set
//! difference and union it describes, and be recovered by `RevocationDelta::between`.
#![no_main]

use std::collections::BTreeSet;

use certqr_core::cose::{self, DocumentKind};
use certqr_core::revocation::{
    Entry, RevocationDelta, RevocationDocument, RevocationError, RevocationList,
};
use certqr_core::verify::Reason;
use libfuzzer_sys::fuzz_target;

const SIGN1_TAG_BYTE: u8 = 0xd2;

fuzz_target!(init: certqr_fuzz::init("revocation_list"), |data: &[u8]| {
    let world = certqr_fuzz::world();
    let root = &world.root;
    let signed = if data.first() == Some(&SIGN1_TAG_BYTE) {
        data.to_vec()
    } else {
        cose::sign(DocumentKind::RevocationList, root, data.to_vec())
    };
    let Ok(document) = RevocationDocument::from_signed(&signed, &world.roots) else {
        return;
    };
    let payload = cose::parse_with_limit(&signed, usize::MAX)
        .expect("a list that reads parses")
        .payload;
    let exact = certqr_fuzz::re_encodes_exactly(&payload);
    match document {
        RevocationDocument::List(list) => {
            if exact {
                assert_eq!(list.to_payload(), payload, "list re-encodes differently");
            }
            let resigned = list.sign(root).expect("a list that reads signs");
            assert_eq!(RevocationList::from_signed(&resigned, &world.roots), Ok(list.clone()));
            check_lookups(&list, data);
            check_install(&list, &signed);
        }
        RevocationDocument::Delta(delta) => {
            if exact {
                assert_eq!(delta.to_payload(), payload, "delta re-encodes differently");
            }
            let resigned = delta.sign(root).expect("a delta that reads signs");
            assert_eq!(RevocationDelta::from_signed(&resigned, &world.roots), Ok(delta.clone()));
            assert_eq!(delta.base_sequence.checked_add(1), Some(delta.sequence));
            check_delta(&delta, &signed);
        }
    }
});

fn as_u64(entry: Entry) -> u64 {
    u64::from_be_bytes(entry.0)
}

/// `contains` agrees with a plain set for every entry, its neighbours and the words of
/// the input.
fn check_lookups(list: &RevocationList, data: &[u8]) {
    let entries: Vec<u64> = list.entries().map(as_u64).collect();
    assert_eq!(entries.len(), list.len());
    assert!(
        entries.windows(2).all(|pair| pair[0] < pair[1]),
        "entries not increasing"
    );
    let set: BTreeSet<u64> = entries.iter().copied().collect();
    let probes = entries
        .iter()
        .flat_map(|&entry| [entry, entry.wrapping_sub(1), entry.wrapping_add(1)])
        .chain(data.chunks_exact(8).map(|chunk| {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            u64::from_be_bytes(word)
        }))
        .chain([0, u64::MAX]);
    for probe in probes {
        assert_eq!(
            list.contains(Entry(probe.to_be_bytes())),
            set.contains(&probe),
            "lookup of {probe:016x}"
        );
    }
}

/// Installing over the world's list (sequence 1) succeeds exactly when it is no
/// rollback and no other list of the same sequence; then exactly the world's listed
/// certificates are revoked.
fn check_install(list: &RevocationList, signed: &[u8]) {
    let world = certqr_fuzz::world();
    let installed = world
        .verifier
        .revocation_list()
        .expect("the world has a list");
    let mut verifier = world.verifier.clone();
    match verifier.install_revocation_list(signed) {
        Ok(_) => assert!(list.sequence > installed.sequence || list == installed),
        Err(RevocationError::Rollback { .. }) => {
            assert!(list.sequence < installed.sequence);
            return;
        }
        Err(RevocationError::ConflictingSequence { sequence }) => {
            assert!(sequence == list.sequence && list != installed);
            return;
        }
        Err(error) => panic!("a list that reads was refused: {error}"),
    }
    for issued in &world.certificates {
        let verdict = verifier.verify(&issued.text, world.now);
        certqr_fuzz::check_verdict(&verifier, world.now, Some(&issued.document), &verdict);
        // A trust list expired at the judging time (a list issued later moves it on)
        // stops verification before revocation is looked at.
        if verdict
            .reasons
            .iter()
            .any(|reason| reason.code() == "trust-list-expired")
        {
            continue;
        }
        assert_eq!(
            verdict.reasons.contains(&Reason::Revoked),
            list.contains(issued.entry),
            "{:?}",
            verdict.reasons
        );
    }
}

/// A base list of sequence 1 with entries around the ones seeds and the fuzzer use.
fn base_list() -> RevocationList {
    let world = certqr_fuzz::world();
    let installed = world
        .verifier
        .revocation_list()
        .expect("the world has a list");
    let many =
        (1u64..=40).map(|index| Entry(index.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_be_bytes()));
    RevocationList::new(
        installed.sequence,
        installed.issued_at,
        installed.expires_at,
        installed.entries().chain(many),
    )
    .expect("the base list builds")
}

fn check_delta(delta: &RevocationDelta, signed: &[u8]) {
    let added: BTreeSet<u64> = delta.added().map(as_u64).collect();
    let removed: BTreeSet<u64> = delta.removed().map(as_u64).collect();
    assert_eq!(added.len(), delta.added().len(), "added entries repeat");
    assert_eq!(
        removed.len(),
        delta.removed().len(),
        "removed entries repeat"
    );
    assert!(added.is_disjoint(&removed));
    for base in [
        base_list(),
        certqr_fuzz::world()
            .verifier
            .revocation_list()
            .expect("the world has a list")
            .clone(),
    ] {
        let old: BTreeSet<u64> = base.entries().map(as_u64).collect();
        let applies = delta.base_sequence == base.sequence
            && added.is_disjoint(&old)
            && removed.is_subset(&old);
        match base.apply(delta) {
            Ok(new) => {
                assert!(applies, "a delta applied where it must not");
                let expected: BTreeSet<u64> = old
                    .union(&added)
                    .copied()
                    .filter(|entry| !removed.contains(entry))
                    .collect();
                let got: Vec<u64> = new.entries().map(as_u64).collect();
                assert_eq!(got, expected.into_iter().collect::<Vec<_>>());
                assert_eq!(new.sequence, delta.sequence);
                assert_eq!(RevocationDelta::between(&base, &new).as_ref(), Ok(delta));
                check_lookups(&new, &[]);
            }
            Err(error) => assert!(!applies, "a delta that applies was refused: {error}"),
        }
    }
    let mut verifier = certqr_fuzz::world().verifier.clone();
    let before = verifier.revocation_list().cloned();
    if verifier.apply_revocation_delta(signed).is_err() {
        assert_eq!(
            verifier.revocation_list(),
            before.as_ref(),
            "a refused delta changed the list"
        );
    }
}
