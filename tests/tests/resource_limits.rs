//! Resource limits (docs/security.md "Resource limits"): pictures that lie about their
//! size, decompression bombs, a 50 MB JPEG, the largest QR code and very long texts,
//! each with the exact outcome it must have. `examples/resource_limits.rs` measures the
//! same inputs (peak memory, time) in release builds.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use certqr_core::text::{self, TextError};
use certqr_core::verify::{Reason, Status, Verifier};
use certqr_render::{self as render, EcLevel, RenderError};
use certqr_scan::{self as scan, ScanError, ScanLimits, ScanOptions};
use certqr_tests::fixture::{self, Fixture};
use certqr_tests::generator;
use certqr_tests::limits::{self, PngColour};

const DEFAULT_MAX_PIXELS: u64 = 40_000_000;

/// Side of the large pictures decoded here: 6000 pixels (36 MP, as measured by
/// `examples/resource_limits.rs`) in release builds; 2000 in debug builds, where the
/// decoders run some 30 times slower, so the same code paths stay quick to test.
const LARGE_SIDE: u32 = if cfg!(debug_assertions) { 2000 } else { 6000 };

fn assert_too_large(result: Result<Vec<scan::ScannedCode>, ScanError>, side: (u32, u32), max: u64) {
    match result {
        Err(ScanError::TooLarge {
            width,
            height,
            max_pixels,
        }) => assert_eq!((width, height, max_pixels), (side.0, side.1, max)),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

fn genuine_text() -> String {
    generator::example_document().unwrap().1
}

fn small_code_jpeg() -> Vec<u8> {
    let symbol = render::encode(&genuine_text(), EcLevel::Q).unwrap();
    let pixels = limits::picture_of(&symbol, 8, 600, |_, _| 255);
    limits::jpeg(&pixels, 600, 90).unwrap()
}

fn verifier() -> Verifier {
    limits::fixture_verifier(&Fixture::new()).unwrap()
}

fn codes(verifier: &Verifier, qr_text: &str) -> (Status, Vec<&'static str>) {
    let verdict = verifier.verify(qr_text, fixture::NOW);
    let mut codes: Vec<_> = verdict.reasons.iter().map(Reason::code).collect();
    codes.extend(verdict.warnings.iter().map(|warning| warning.code()));
    (verdict.status, codes)
}

#[test]
fn the_bombs_inflate_to_exactly_what_they_claim() {
    let length = 3 * (1 << 20) + 12_345;
    let zlib = limits::zlib_of_zeros(length);
    assert!(zlib.len() < 4_000, "{} bytes", zlib.len());
    let inflated = miniz_oxide::inflate::decompress_to_vec_zlib(&zlib).unwrap();
    assert_eq!(inflated.len(), length);
    assert!(inflated.iter().all(|&byte| byte == 0));
    // The PNG chunk checksum is zlib's CRC-32: "IEND" with no data has a well-known CRC.
    assert_eq!(limits::crc32(b"IEND"), 0xae42_6082);
}

#[test]
fn headers_claiming_huge_pictures_are_refused_before_decoding() {
    let side = limits::CLAIMED_SIDE;
    for colour in [PngColour::Gray8, PngColour::Rgba16] {
        // A 1 GiB IDAT behind the header: never inflated.
        let png = limits::png_of_zeros(side, side, colour, 1 << 30);
        assert!(png.len() < 1_100_000);
        assert_too_large(
            scan::scan_image(&png, &ScanOptions::photo()),
            (side, side),
            DEFAULT_MAX_PIXELS,
        );
    }
    let jpeg = limits::jpeg_claiming(&small_code_jpeg(), 65_535, 65_535).unwrap();
    assert_too_large(
        scan::scan_image(&jpeg, &ScanOptions::photo()),
        (65_535, 65_535),
        DEFAULT_MAX_PIXELS,
    );
    // Just past the limit in one dimension.
    let tight = ScanOptions {
        limits: ScanLimits {
            max_pixels: 1_000_000,
            ..ScanLimits::default()
        },
        ..ScanOptions::photo()
    };
    let over = limits::png_of_zeros(1001, 1000, PngColour::Gray8, 1 << 20);
    assert_too_large(scan::scan_image(&over, &tight), (1001, 1000), 1_000_000);
    let at = limits::png_of_zeros(
        1000,
        1000,
        PngColour::Gray8,
        limits::png_image_bytes(1000, 1000, PngColour::Gray8),
    );
    assert_eq!(scan::scan_image(&at, &tight).unwrap(), []);
}

#[test]
fn png_bombs_within_the_pixel_limit_decode_to_nothing_found() {
    // At 6000 x 6000: 36 MB of pixels from under 40 KB, 288 MB from under 320 KB;
    // within the documented bound (ScanLimits), and all black or all transparent: no code.
    for colour in [PngColour::Gray8, PngColour::Rgba16] {
        let bytes = limits::png_image_bytes(LARGE_SIDE, LARGE_SIDE, colour);
        let png = limits::png_of_zeros(LARGE_SIDE, LARGE_SIDE, colour, bytes);
        assert!(png.len() * 900 < bytes, "{} bytes for {bytes}", png.len());
        assert_eq!(
            scan::scan_image(&png, &ScanOptions::photo()).unwrap(),
            [],
            "{colour:?}"
        );
    }
    // An IDAT that inflates to 1 GiB for a picture that needs 1 MB: the decoder stops
    // when the picture is complete.
    let png = limits::png_of_zeros(1000, 1000, PngColour::Gray8, 1 << 30);
    assert_eq!(scan::scan_image(&png, &ScanOptions::photo()).unwrap(), []);
}

#[test]
fn a_fifty_megabyte_jpeg_is_read_and_a_larger_one_refused() {
    let jpeg = small_code_jpeg();
    let large = limits::jpeg_padded_to(&jpeg, limits::LARGE_JPEG_BYTES);
    assert_eq!(large.len(), limits::LARGE_JPEG_BYTES);
    let found = scan::scan_image(&large, &ScanOptions::photo()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, genuine_text());
    assert_eq!(codes(&verifier(), &found[0].text), (Status::Valid, vec![]));

    drop(large);
    let limit = ScanLimits::default().max_encoded_bytes;
    let over = limits::jpeg_padded_to(&jpeg, limit + 1);
    match scan::scan_image(&over, &ScanOptions::photo()) {
        Err(ScanError::EncodedTooLarge { length, max }) => {
            assert_eq!((length, max), (limit + 1, limit));
        }
        other => panic!("expected EncodedTooLarge, got {other:?}"),
    }
}

#[test]
fn a_large_noisy_jpeg_still_yields_its_code() {
    // Noise at quality 100 around the code, which JPEG cannot compress: 36 MP and about
    // 50 MB in release builds.
    let symbol = render::encode(&genuine_text(), EcLevel::Q).unwrap();
    let mut noise = limits::Noise::new(7);
    let side = LARGE_SIDE as usize;
    let pixels = limits::picture_of(&symbol, side / 300, side, |_, _| noise.next_byte());
    let jpeg = limits::jpeg(&pixels, LARGE_SIDE, 100).unwrap();
    assert!(jpeg.len() > side * side, "{} bytes", jpeg.len());
    let found = scan::scan_image(&jpeg, &ScanOptions::photo()).unwrap();
    let texts: Vec<_> = found.iter().map(|code| code.text.as_str()).collect();
    assert_eq!(texts, [genuine_text()]);
}

#[test]
fn the_largest_qr_code_holds_the_longest_text_and_verifies() {
    let world = Fixture::new();
    // 3000 bytes of document are 4500 characters of Base45: more than any QR code holds.
    let document = vec![0x5au8; 3000];
    let too_long = format!("{}{}", text::PREFIX, base45::encode(&document));
    match render::encode(&too_long, EcLevel::L) {
        Err(RenderError::TooLong { length, ec }) => assert_eq!((length, ec), (4504, EcLevel::L)),
        other => panic!("expected TooLong, got {other:?}"),
    }
    // The longest text read, a genuine signature over padded claims.
    let (qr_text, symbol) = limits::largest_code(&world).unwrap();
    assert_eq!(qr_text.len(), text::MAX_TEXT_LENGTH);
    assert_eq!(symbol.version(), 40);
    assert!(render::encode(&format!("{qr_text}0"), EcLevel::L).is_err());
    let found = scan::scan_image(&symbol.to_png(4).unwrap(), &ScanOptions::photo()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, qr_text);
    assert_eq!(
        codes(&verifier(), &qr_text),
        (Status::Valid, vec!["extension-claims-ignored"])
    );
    // One character more is refused by the text layer before any decoding.
    assert_eq!(
        text::decode(&format!("{qr_text}0")),
        Err(TextError::TooLong {
            length: text::MAX_TEXT_LENGTH + 1
        })
    );
}

#[test]
fn long_texts_get_a_verdict_without_being_decoded() {
    let verifier = verifier();
    let hundred_kb = 100_000;
    let certqr = format!("{}{}", text::PREFIX, "0".repeat(hundred_kb));
    assert_eq!(
        text::decode(&certqr),
        Err(TextError::TooLong {
            length: hundred_kb + text::PREFIX.len()
        })
    );
    assert_eq!(
        codes(&verifier, &certqr),
        (Status::Invalid, vec!["malformed-text"])
    );
    // Also compressed, and with multi-byte characters (counted as characters).
    let wide = format!("{}{}", text::PREFIX_DEFLATE, "证".repeat(hundred_kb / 3));
    assert_eq!(
        text::decode(&wide),
        Err(TextError::TooLong {
            length: hundred_kb / 3 + text::PREFIX_DEFLATE.len()
        })
    );
    assert_eq!(
        codes(&verifier, &"证".repeat(hundred_kb / 3)),
        (Status::NotACertificate, vec!["not-certqr"])
    );
    let long_path = format!("https://evil.example/{}", "a".repeat(hundred_kb));
    assert_eq!(
        codes(&verifier, &long_path),
        (Status::NotACertificate, vec!["website-link"])
    );
    // A host far past the DNS limit of 253 bytes is an ordinary site, not compared.
    let long_host = format!(
        "https://{}cx.mem.gov.cn.example",
        "a.".repeat(hundred_kb / 2)
    );
    let verdict = verifier.verify(&long_host, fixture::NOW);
    assert_eq!(verdict.status, Status::NotACertificate);
    match &verdict.reasons[..] {
        [Reason::WebsiteLink { domain }] => assert!(domain.len() > hundred_kb),
        other => panic!("{other:?}"),
    }
}
