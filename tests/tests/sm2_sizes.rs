//! The size of SM2-signed certificates (GB/T 32918), against the Ed25519 sizes of
//! `docs/format.md` §9: the note there after the generated table is recomputed here.
//!
//! `cargo test -p certqr-tests --test sm2_sizes -- --nocapture` prints the figures.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use certqr_core::catalog::Family;
use certqr_core::cose::{self, DocumentKind};
use certqr_core::keys::{Algorithm, SigningKey};
use certqr_core::text;
use certqr_tests::generator;
use certqr_tests::spec::{self, Size};
use time::macros::date;

fn sm2_size_of(certificate: &certqr_core::certificate::Certificate) -> Size {
    let key = SigningKey::from_seed(Algorithm::Sm2, &[7; 32]);
    let document = cose::sign(DocumentKind::Certificate, &key, certificate.to_claims());
    let text = text::encode(&document);
    Size {
        document_bytes: document.len(),
        text_characters: text.chars().count(),
        versions: spec::versions(&text).unwrap(),
    }
}

/// The sentence of `docs/format.md` §9 on SM2, from the sizes of the example certificate
/// and of the largest allowed one.
fn note() -> String {
    let example = generator::example_certificate().unwrap();
    let largest = spec::largest_certificate().unwrap();
    let (example_ed25519, example_sm2) = (spec::size_of(&example).unwrap(), sm2_size_of(&example));
    let (largest_ed25519, largest_sm2) = (spec::size_of(&largest).unwrap(), sm2_size_of(&largest));
    for (ed25519, sm2) in [
        (&example_ed25519, &example_sm2),
        (&largest_ed25519, &largest_sm2),
    ] {
        // Same 64-byte signature; only the header's algorithm grows, from 1 byte to 5.
        assert_eq!(sm2.document_bytes, ed25519.document_bytes + 4);
    }
    format!(
        "Signed with SM2 (§4.5) instead of Ed25519, a certificate is 4 bytes longer (the \
         algorithm -65537 takes 5 bytes in the protected header where -8 takes 1; both \
         signatures are 64 bytes): the example becomes {} bytes and {} characters, version {} \
         at level Q (Ed25519: {} characters, version {}), and the largest allowed certificate \
         {} characters, version {} at Q (Ed25519: {}, version {}).",
        example_sm2.document_bytes,
        example_sm2.text_characters,
        example_sm2.versions[1],
        example_ed25519.text_characters,
        example_ed25519.versions[1],
        largest_sm2.text_characters,
        largest_sm2.versions[1],
        largest_ed25519.text_characters,
        largest_ed25519.versions[1],
    )
}

#[test]
fn sm2_sizes_of_every_family() {
    for family in Family::ALL {
        let certificate = generator::sample_certificate(family, date!(2024 - 03 - 01)).unwrap();
        let ed25519 = spec::size_of(&certificate).unwrap();
        let sm2 = sm2_size_of(&certificate);
        println!(
            "{}: Ed25519 {} bytes, {} characters, versions M/Q/H {:?}; SM2 {} bytes, {} characters, versions {:?}",
            family.name_en(),
            ed25519.document_bytes,
            ed25519.text_characters,
            ed25519.versions,
            sm2.document_bytes,
            sm2.text_characters,
            sm2.versions
        );
        assert_eq!(sm2.document_bytes, ed25519.document_bytes + 4);
        // Four bytes are at most six Base45 characters, and never more than two versions.
        assert!(sm2.text_characters - ed25519.text_characters <= 6);
        for (sm2_version, ed25519_version) in sm2.versions.iter().zip(ed25519.versions) {
            assert!((ed25519_version..=ed25519_version + 1).contains(sm2_version));
        }
    }
}

#[test]
fn format_doc_states_the_sm2_sizes() {
    let note = note();
    println!("{note}");
    let doc = std::fs::read_to_string(certqr_tests::format_doc_path()).unwrap();
    // The doc wraps lines; compare with whitespace collapsed.
    let collapse = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        collapse(&doc).contains(&note),
        "docs/format.md §9 should say, after the sizes table:\n{note}"
    );
}
