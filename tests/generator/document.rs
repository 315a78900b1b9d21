//! `document.json`: the COSE_Sign1 document layer: structure, headers and signature
//! encoding.

use certqr_core::catalog::Family;
use certqr_core::cose::DocumentKind;
use certqr_core::text;

use crate::fixture;
use crate::forge;

use super::{
    plain_text, sample, vector, with_note, Expected, Result, VectorFile, World, GENUINE_VALID_FROM,
};

impl World {
    pub(super) fn document(&self) -> Result<VectorFile> {
        let now = fixture::NOW;
        let f = &self.fixture;
        let key = &f.emergency;
        let key_id = key.public_key().key_id().0;
        let claims = sample(Family::SpecialOperations, GENUINE_VALID_FROM)?.to_claims();
        let certificate = DocumentKind::Certificate.content_type();
        let signed = |protected: Vec<u8>| plain_text(&forge::sign1(&key.key, &protected, &claims));
        let header = |entries: &[(i64, Vec<u8>)]| {
            forge::map(
                &entries
                    .iter()
                    .map(|(label, value)| (forge::int(*label), value.clone()))
                    .collect::<Vec<_>>(),
            )
        };
        let standard = forge::protected_header(-8, certificate, &key_id);
        let signature = key.key.sign(&forge::sig_structure(&standard, &claims));
        let empty_map = forge::map(&[]);
        let array_items = |unprotected: &[u8]| {
            vec![
                forge::bytes(&standard),
                unprotected.to_vec(),
                forge::bytes(&claims),
                forge::bytes(&signature),
            ]
        };
        // 18([...]) written with the array's items but a chosen array head.
        let with_array = |tag: Vec<u8>, array: Vec<u8>| [tag, array].concat();
        let items = array_items(&empty_map).concat();

        let mut indefinite = vec![0x9f];
        indefinite.extend_from_slice(&items);
        indefinite.push(0xff);
        let mut huge_payload = forge::head(forge::major::TAG, 18);
        huge_payload.extend_from_slice(&forge::head(forge::major::ARRAY, 4));
        huge_payload.extend_from_slice(&forge::bytes(&standard));
        huge_payload.extend_from_slice(&empty_map);
        huge_payload.extend_from_slice(&forge::head(forge::major::BYTES, 1 << 32));
        huge_payload.extend_from_slice(&claims);
        huge_payload.extend_from_slice(&forge::bytes(&signature));
        let mut huge_array = forge::head(forge::major::TAG, 18);
        huge_array.extend_from_slice(&forge::head_with_size(forge::major::ARRAY, u64::MAX, 8));
        huge_array.extend_from_slice(&items);
        let three_items = forge::array(array_items(&empty_map).get(..3).unwrap_or_default());
        let kid_unprotected = forge::map(&[(forge::int(4), forge::bytes(&key_id))]);
        let deep_unprotected = [vec![0x81; 20], vec![0x00]].concat();

        let trust_list_text = text::encode(&self.signed_trust_list);
        let vectors = vec![
            with_note(
                vector(
                    "trust-list-as-certificate",
                    "The signed trust list of trust-list.json presented as a certificate's QR text",
                    trust_list_text,
                    now,
                    Expected::invalid(&["wrong-document-kind"]),
                )?,
                "Content type 65002 (trust list) is not 65001 (certificate): a signed document can never be \
                 replayed as another kind.",
            ),
            vector(
                "content-type-revocation-list",
                "The genuine claims correctly signed by \"emergency\" with content type 65003 (reserved for the \
                 revocation list)",
                signed(forge::protected_header(-8, 65003, &key_id)),
                now,
                Expected::invalid(&["wrong-document-kind"]),
            )?,
            vector(
                "content-type-trust-list",
                "The genuine claims correctly signed by \"emergency\" with content type 65002 (trust list)",
                signed(forge::protected_header(-8, 65002, &key_id)),
                now,
                Expected::invalid(&["wrong-document-kind"]),
            )?,
            vector(
                "content-type-missing",
                "The genuine claims correctly signed with the protected header {1: -8, 4: kid}",
                signed(header(&[(1, forge::int(-8)), (4, forge::bytes(&key_id))])),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "content-type-text",
                "The genuine claims correctly signed with content type \"application/cbor\" (a text string)",
                signed(header(&[
                    (1, forge::int(-8)),
                    (3, forge::text("application/cbor")),
                    (4, forge::bytes(&key_id)),
                ])),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            with_note(
                vector(
                    "unsupported-algorithm",
                    "The genuine claims with algorithm -7 (ES256) in the protected header, signed (with Ed25519) \
                     by \"emergency\"",
                    signed(forge::protected_header(-7, certificate, &key_id)),
                    now,
                    Expected::invalid(&["unsupported-algorithm"]),
                )?,
                "The algorithm is checked before any key is looked up.",
            ),
            with_note(
                vector(
                    "unsupported-algorithm-beyond-64-bits",
                    "The genuine claims with algorithm -18446744073709551616 (-2^64, the smallest CBOR \
                     integer) in the protected header, signed (with Ed25519) by \"emergency\"",
                    signed(header(&[
                        (1, forge::head(forge::major::NEGATIVE, u64::MAX)),
                        (3, forge::int(65001)),
                        (4, forge::bytes(&key_id)),
                    ])),
                    now,
                    Expected::invalid(&["unsupported-algorithm"]),
                )?,
                "`alg` is any CBOR integer (format.md §3.1): one no 64-bit type holds is unsupported, \
                 not malformed.",
            ),
            vector(
                "algorithm-text",
                "The genuine claims with the algorithm written as the text \"EdDSA\"",
                signed(header(&[
                    (1, forge::text("EdDSA")),
                    (3, forge::int(65001)),
                    (4, forge::bytes(&key_id)),
                ])),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "key-id-missing",
                "The genuine claims correctly signed with the protected header {1: -8, 3: 65001}",
                signed(header(&[(1, forge::int(-8)), (3, forge::int(65001))])),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "key-id-seven-bytes",
                "The genuine claims correctly signed with a 7-byte key id",
                signed(forge::protected_header(-8, certificate, key_id.get(..7).unwrap_or_default())),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            with_note(
                vector(
                    "unknown-critical-header",
                    "The genuine claims correctly signed with the protected header {1: -8, 2: [99], 3: 65001, \
                     4: kid, 99: 0}",
                    signed(header(&[
                        (1, forge::int(-8)),
                        (2, forge::array(&[forge::int(99)])),
                        (3, forge::int(65001)),
                        (4, forge::bytes(&key_id)),
                        (99, forge::int(0)),
                    ])),
                    now,
                    Expected::invalid(&["malformed-document"]),
                )?,
                "RFC 9052 §3.1: a recipient must refuse a message with a critical header it does not understand.",
            ),
            with_note(
                vector(
                    "critical-known-headers",
                    "The genuine claims correctly signed with the protected header {1: -8, 2: [1, 3, 4], 3: 65001, \
                     4: kid}",
                    signed(header(&[
                        (1, forge::int(-8)),
                        (2, forge::array(&[forge::int(1), forge::int(3), forge::int(4)])),
                        (3, forge::int(65001)),
                        (4, forge::bytes(&key_id)),
                    ])),
                    now,
                    Expected::valid(),
                )?,
                "Marking understood labels critical is allowed; certqr itself never writes crit.",
            ),
            with_note(
                vector(
                    "protected-header-unsorted",
                    "The genuine claims correctly signed with the protected header's keys in the order 4, 1, 3",
                    signed(header(&[
                        (4, forge::bytes(&key_id)),
                        (1, forge::int(-8)),
                        (3, forge::int(65001)),
                    ])),
                    now,
                    Expected::invalid(&["malformed-document"]),
                )?,
                "The protected header must be deterministic CBOR too; this is what a COSE library writes when \
                 it encodes a map in insertion order.",
            ),
            vector(
                "protected-header-long-integer",
                "The genuine claims correctly signed with the content type written in four bytes (1a 0000fde9)",
                signed(header(&[
                    (1, forge::int(-8)),
                    (3, forge::head_with_size(forge::major::UNSIGNED, 65001, 4)),
                    (4, forge::bytes(&key_id)),
                ])),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "unprotected-header-not-empty",
                "The genuine certificate with {4: kid} also in the unprotected header",
                plain_text(&with_array(
                    forge::head(forge::major::TAG, 18),
                    forge::array(&array_items(&kid_unprotected)),
                )),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "untagged",
                "The genuine certificate without its COSE_Sign1 tag (18)",
                plain_text(&forge::array(&array_items(&empty_map))),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "tag-cose-sign",
                "The genuine certificate tagged 98 (COSE_Sign) instead of 18",
                plain_text(&with_array(forge::head(forge::major::TAG, 98), forge::array(&array_items(&empty_map)))),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "tag-long-form",
                "The genuine certificate with its tag written in two bytes (d8 12)",
                plain_text(&with_array(
                    forge::head_with_size(forge::major::TAG, 18, 1),
                    forge::array(&array_items(&empty_map)),
                )),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "indefinite-length-array",
                "The genuine certificate with its four-item array written with indefinite length (9f ... ff)",
                plain_text(&with_array(forge::head(forge::major::TAG, 18), indefinite)),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "three-items",
                "A COSE_Sign1 array without its signature",
                plain_text(&with_array(forge::head(forge::major::TAG, 18), three_items)),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            with_note(
                vector(
                    "huge-payload-length",
                    "The genuine certificate with its payload's byte string declaring 2^32 bytes",
                    plain_text(&huge_payload),
                    now,
                    Expected::invalid(&["malformed-document"]),
                )?,
                "Every declared length is checked against the bytes present before anything is allocated.",
            ),
            vector(
                "huge-array-count",
                "The genuine certificate with its array declaring 2^64 - 1 items",
                plain_text(&huge_array),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "nesting-too-deep",
                "The genuine certificate with twenty nested one-item arrays as its unprotected header",
                plain_text(&with_array(
                    forge::head(forge::major::TAG, 18),
                    forge::array(&array_items(&deep_unprotected)),
                )),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
        ];
        Ok(VectorFile {
            group: "document".into(),
            description: "The COSE_Sign1 layer: tag, structure, deterministic encoding, protected header, \
                          content types and algorithms. Headers are re-signed correctly unless said otherwise, so \
                          only the rule under test can fail."
                .into(),
            vectors,
        })
    }
}
