//! The QR text layer: prefix, Base45 (RFC 9285) and raw DEFLATE.
//!
//! The input is used twice. As bytes: `decode(encode(bytes)) == bytes` unless the text
//! is longer than a QR code holds, the bytes inflate past the document limit or are
//! empty (each refused with exactly its error), and the text uses only QR alphanumeric
//! characters. As text: whatever decodes re-encodes to a text that decodes to the same
//! bytes, a plain `CQ1:` text is the one Base45 encoding of its bytes (no second text
//! for one document), and a decoded document is within the limits.
#![no_main]

use certqr_core::text::{self, TextError, MAX_DOCUMENT_LENGTH, MAX_TEXT_LENGTH, PREFIX};
use libfuzzer_sys::fuzz_target;

const QR_ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fuzz_target!(init: certqr_fuzz::init("text"), |data: &[u8]| {
    let encoded = text::encode(data);
    assert!(encoded.chars().all(|c| QR_ALPHANUMERIC.contains(c)), "{encoded}");
    assert!(text::looks_like_certqr(&encoded));
    match text::decode(&encoded) {
        Ok(decoded) => assert_eq!(decoded, data),
        Err(TextError::Empty) => assert!(data.is_empty()),
        Err(TextError::TooLong { length }) => {
            assert_eq!(length, encoded.len());
            assert!(encoded.len() > MAX_TEXT_LENGTH);
        }
        Err(TextError::InflatedTooLarge) => assert!(data.len() > MAX_DOCUMENT_LENGTH),
        Err(error) => panic!("encode gave a text decode refuses: {error}"),
    }

    let text = String::from_utf8_lossy(data);
    match text::decode(&text) {
        Ok(document) => {
            assert!(text.len() <= MAX_TEXT_LENGTH);
            assert!(!document.is_empty() && document.len() <= MAX_DOCUMENT_LENGTH);
            assert!(text::looks_like_certqr(&text));
            assert_eq!(text::decode(&text::encode(&document)), Ok(document.clone()));
            if let Some(body) = text.strip_prefix(PREFIX) {
                assert_eq!(base45::encode(&document), body, "a second text for one document");
            }
        }
        Err(TextError::NotCertqr) => assert!(!text::looks_like_certqr(&text)),
        Err(TextError::UnsupportedVersion { version }) => {
            assert!(text.starts_with(&version) && text::looks_like_certqr(&text));
        }
        Err(_) => assert!(text::looks_like_certqr(&text)),
    }
});
