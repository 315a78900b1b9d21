//! Regression tests, each named after the bug it pins and holding the exact input that
//! showed it. Most come from the fuzz targets of `fuzz/` (docs/security.md, "Fuzzing").
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use certqr_core::cbor::{self, CborError};
use certqr_core::text::{self, TextError};
use certqr_core::verify::{Reason, Status, Verifier};
use time::macros::datetime;

/// Found by the `text` fuzz target. `CQ1Z:3H0` holds the raw DEFLATE stream `03 00`, one
/// empty final block, which inflates to no bytes at all. `text::decode` returned that
/// empty document, while `encode` writes an empty document as `CQ1:`, which `decode`
/// refuses as empty: a compressed text was read where its plain twin was not. Now both
/// are `TextError::Empty`.
#[test]
fn compressed_text_inflating_to_nothing() {
    let text = format!("{}{}", text::PREFIX_DEFLATE, base45::encode([0x03, 0x00]));
    assert_eq!(text, "CQ1Z:3H0");
    assert_eq!(text::decode(&text), Err(TextError::Empty));
    assert_eq!(text::decode(&text::encode(&[])), Err(TextError::Empty));

    let verdict = Verifier::new(Vec::new()).verify(&text, datetime!(2025-06-01 10:00 +8));
    assert_eq!(verdict.status, Status::Invalid);
    assert_eq!(verdict.reasons, [Reason::MalformedText(TextError::Empty)]);
}

/// Found by the `document` fuzz target in a 30-minute run. `c5 c5 c5 c5 c5 c3 40` is
/// five tag-5 wrappers around tag 3 (a negative bignum) with an empty byte string.
/// `cbor::decode` accepted it, and ciborium read the bignum as the integer -1, which
/// `cbor::encode` writes as `20`: a second encoding of one value, which deterministic
/// CBOR must not have. Bignum tags are now refused; certqr uses none.
#[test]
fn bignum_tag_decoding_to_a_plain_integer() {
    let input = [0xc5, 0xc5, 0xc5, 0xc5, 0xc5, 0xc3, 0x40];
    assert_eq!(
        cbor::decode(&input),
        Err(CborError::UnsupportedItem {
            offset: 5,
            major: 6,
            info: 3,
        })
    );
}
