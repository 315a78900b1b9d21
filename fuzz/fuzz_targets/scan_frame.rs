//! Camera frames: raw luma with its geometry in the first three bytes (width, height,
//! row padding up to 31 bytes), then the rows.
//!
//! Panics unwind as in an app (see `certqr_fuzz::unwind_panics_like_an_app`). The
//! outcome must be exactly the documented one: `LumaFrame::new` refuses a zero
//! dimension (`FrameError::ZeroDimension`) and a buffer shorter than
//! `stride * (height - 1) + width` (`FrameError::BufferTooShort`, with both lengths);
//! `scan_frame` answers `TooLarge` past the pixel limit, otherwise codes (or a caught
//! decoder panic). A padded frame must give exactly
//! what the same pixels give packed tightly, and every text found verifies to a verdict
//! that keeps `certqr_fuzz::check_verdict`.
#![no_main]

use certqr_core::text;
use certqr_scan::{self as scan, FrameError, LumaFrame, ScanError, ScanLimits, ScanOptions};
use libfuzzer_sys::fuzz_target;

/// 200 x 200 pixels; a frame of 255 x 255 is refused.
const MAX_PIXELS: u64 = 40_000;

fuzz_target!(
    init: {
        certqr_fuzz::init("scan_frame");
        certqr_fuzz::unwind_panics_like_an_app();
    },
    |data: &[u8]| {
        let [width, height, padding, rows @ ..] = data else {
            return;
        };
        let (width, height) = (u32::from(*width), u32::from(*height));
        let stride = width + u32::from(*padding % 32);
        let options = ScanOptions {
            limits: ScanLimits {
                max_pixels: MAX_PIXELS,
                ..ScanLimits::default()
            },
            ..ScanOptions::photo()
        };
        let zero = width == 0 || height == 0;
        let required = u64::from(stride) * u64::from(height.saturating_sub(1)) + u64::from(width);
        let too_large = u64::from(width) * u64::from(height) > MAX_PIXELS;
        let frame = match LumaFrame::new(rows, width, height, stride) {
            Ok(frame) => {
                assert!(!zero && rows.len() as u64 >= required);
                frame
            }
            Err(ScanError::BadFrame(FrameError::ZeroDimension { .. })) => {
                assert!(zero);
                return;
            }
            Err(ScanError::BadFrame(FrameError::BufferTooShort {
                length,
                required: needed,
            })) => {
                assert!(!zero);
                assert_eq!((length, needed), (rows.len(), required));
                assert!((length as u64) < needed);
                return;
            }
            // The stride is at least the width by construction.
            Err(error) => panic!("unexpected error for a frame: {error}"),
        };
        let result = scan::scan_frame(&frame, &options);
        match &result {
            Err(ScanError::TooLarge { .. }) => assert!(too_large),
            Ok(_) | Err(ScanError::DecoderPanicked) => assert!(!too_large),
            Err(error) => panic!("unexpected error for a frame: {error}"),
        }
        let Ok(codes) = result else {
            return;
        };
        if stride != width {
            let (width_usize, stride_usize) = (width as usize, stride as usize);
            let tight: Vec<u8> = (0..height as usize)
                .flat_map(|row| &rows[row * stride_usize..row * stride_usize + width_usize])
                .copied()
                .collect();
            let packed = LumaFrame::new(&tight, width, height, width)
                .and_then(|frame| scan::scan_frame(&frame, &options))
                .expect("the same pixels packed tightly scan");
            assert_eq!(packed, codes, "row padding changed what was found");
        }
        let world = certqr_fuzz::world();
        for code in codes {
            assert!(code.corners.iter().all(|(x, y)| x.is_finite() && y.is_finite()));
            let verdict = world.verifier.verify(&code.text, world.now);
            let document = text::decode(&code.text).ok();
            certqr_fuzz::check_verdict(&world.verifier, world.now, document.as_deref(), &verdict);
        }
    }
);
