//! PNG and JPEG bytes to QR codes, within small limits so that runs stay fast.
//!
//! Panics unwind as in an app (see `certqr_fuzz::unwind_panics_like_an_app`): a panic
//! of the image or QR decoders must come back as `ScanError::DecoderPanicked`, anything
//! else is a crash. Beyond that: an error names what is really wrong (a picture refused
//! as too large is over the pixel limit, one refused as unsupported has no PNG or JPEG
//! signature), corners are finite, and every text found verifies to a verdict that keeps
//! `certqr_fuzz::check_verdict`.
#![no_main]

use certqr_core::text;
use certqr_scan::{self as scan, ScanError, ScanLimits, ScanOptions};
use libfuzzer_sys::fuzz_target;

/// 256 x 256 pixels: the seeds are codes drawn at one or two pixels a module.
const MAX_PIXELS: u64 = 1 << 16;
const MAX_ENCODED_BYTES: usize = 1 << 20;

fuzz_target!(
    init: {
        certqr_fuzz::init("scan_image");
        certqr_fuzz::unwind_panics_like_an_app();
    },
    |data: &[u8]| {
        let options = ScanOptions {
            limits: ScanLimits {
                max_pixels: MAX_PIXELS,
                max_encoded_bytes: MAX_ENCODED_BYTES,
            },
            ..ScanOptions::photo()
        };
        match scan::scan_image(data, &options) {
            Ok(codes) => {
                let world = certqr_fuzz::world();
                for code in codes {
                    assert!(code.corners.iter().all(|(x, y)| x.is_finite() && y.is_finite()));
                    let verdict = world.verifier.verify(&code.text, world.now);
                    let document = text::decode(&code.text).ok();
                    certqr_fuzz::check_verdict(
                        &world.verifier,
                        world.now,
                        document.as_deref(),
                        &verdict,
                    );
                }
            }
            Err(ScanError::TooLarge {
                width,
                height,
                max_pixels,
            }) => {
                assert_eq!(max_pixels, MAX_PIXELS);
                assert!(u64::from(width) * u64::from(height) > MAX_PIXELS);
            }
            Err(ScanError::UnsupportedFormat) => {
                assert!(!data.starts_with(b"\x89PNG\r\n\x1a\n"));
                assert!(!data.starts_with(b"\xff\xd8\xff"));
            }
            Err(ScanError::EncodedTooLarge { .. }) => assert!(data.len() > MAX_ENCODED_BYTES),
            Err(_) => {}
        }
    }
);
