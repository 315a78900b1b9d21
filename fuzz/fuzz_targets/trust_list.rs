//! Trust lists: signed documents, and unsigned bodies that the harness signs with the
//! root key so that the content checks past the signature see arbitrary data.
//!
//! An input starting like a COSE_Sign1 message (tag 18) is read as a signed list;
//! anything else as a payload. A list that reads must: re-encode to its payload exactly
//! (unless it carries extension keys), sign and read back equal, install in a verifier
//! holding the world's list (sequence 3) exactly when it is no rollback and no
//! conflicting list of the same sequence, classify each of its official domains as
//! official, and keep every verdict's invariants for the world's certificates.
#![no_main]

use certqr_core::cose::{self, DocumentKind};
use certqr_core::trust::{TrustList, TrustListError};
use certqr_core::verify::Status;
use libfuzzer_sys::fuzz_target;

const SIGN1_TAG_BYTE: u8 = 0xd2;

fuzz_target!(init: certqr_fuzz::init("trust_list"), |data: &[u8]| {
    let world = certqr_fuzz::world();
    let root = &world.root;
    let signed = if data.first() == Some(&SIGN1_TAG_BYTE) {
        data.to_vec()
    } else {
        cose::sign(DocumentKind::TrustList, root, data.to_vec())
    };
    let Ok(list) = TrustList::from_signed(&signed, &world.roots) else {
        return;
    };
    let payload = cose::parse(&signed).expect("a list that reads parses").payload;
    if certqr_fuzz::re_encodes_exactly(&payload) {
        assert_eq!(list.to_payload(), payload, "trust list re-encodes differently");
    }
    let resigned = list.sign(root).expect("a list that reads passes its own checks");
    assert_eq!(TrustList::from_signed(&resigned, &world.roots), Ok(list.clone()));

    let mut verifier = world.verifier.clone();
    let installed = world.verifier.trust_list().expect("the world has a trust list");
    match verifier.install_trust_list(&signed) {
        Ok(_) => {
            assert!(list.sequence > installed.sequence || list == *installed);
        }
        Err(TrustListError::Rollback { installed: sequence, offered }) => {
            assert_eq!((sequence, offered), (installed.sequence, list.sequence));
            assert!(list.sequence < installed.sequence);
            return;
        }
        Err(TrustListError::ConflictingSequence { sequence }) => {
            assert_eq!(sequence, installed.sequence);
            assert!(list.sequence == installed.sequence && list != *installed);
            return;
        }
        Err(error) => panic!("a list that reads was refused: {error}"),
    }
    assert_eq!(verifier.trust_list(), Some(&list));

    let domains = list
        .issuers
        .iter()
        .flat_map(|issuer| issuer.domains.iter())
        .chain(list.official_domains.iter().map(|official| &official.domain));
    for domain in domains {
        let verdict = verifier.verify(&format!("https://{domain}/check"), world.now);
        certqr_fuzz::check_verdict(&verifier, world.now, None, &verdict);
        assert_eq!(verdict.status, Status::NotACertificate);
        assert_eq!(
            verdict.reasons[0].code(),
            "official-website",
            "{domain}: {:?}",
            verdict.reasons
        );
    }
    for issued in &world.certificates {
        let verdict = verifier.verify(&issued.text, world.now);
        certqr_fuzz::check_verdict(&verifier, world.now, Some(&issued.document), &verdict);
    }
});
