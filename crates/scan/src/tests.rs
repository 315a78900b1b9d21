//! The scanner's tests: rendered codes read back, hostile pictures refused, the photo set
//! in `../shared/qr-photos` (required in CI and by `scripts/test.sh`, see `real_photos_smoke`).

// Tests may panic: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::picture::{over_white, rec709, JPEG_SIGNATURE, PNG_SIGNATURE};
use super::*;
use certqr_render::{encode, EcLevel};
use image::{GrayImage, ImageEncoder};

/// A frame over `pixels` whose geometry the test knows to be right.
fn frame_of(pixels: &[u8], width: u32, height: u32, stride: u32) -> LumaFrame<'_> {
    LumaFrame::new(pixels, width, height, stride).unwrap()
}

/// The photo options within other limits.
fn photo_within(limits: &ScanLimits) -> ScanOptions {
    ScanOptions {
        limits: limits.clone(),
        ..ScanOptions::photo()
    }
}

const BASE45: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// "CQ1:" and `length` characters of the Base45 alphabet, shuffled by a small
/// linear congruential generator so that each seed gives a different text.
fn certqr_like_text(length: usize, seed: u32) -> String {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let body: String = (0..length)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            char::from(BASE45[(state >> 16) as usize % BASE45.len()])
        })
        .collect();
    format!("CQ1:{body}")
}

fn luma_of(text: &str, module_px: u32) -> GrayImage {
    encode(text, EcLevel::Q)
        .unwrap()
        .to_luma_image(module_px)
        .unwrap()
}

fn png_of(picture: &GrayImage) -> Vec<u8> {
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(
            picture.as_raw(),
            picture.width(),
            picture.height(),
            image::ExtendedColorType::L8,
        )
        .unwrap();
    png
}

fn jpeg_of(picture: &GrayImage, quality: u8) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .write_image(
            picture.as_raw(),
            picture.width(),
            picture.height(),
            image::ExtendedColorType::L8,
        )
        .unwrap();
    jpeg
}

fn texts(codes: &[ScannedCode]) -> Vec<&str> {
    codes.iter().map(|code| code.text.as_str()).collect()
}

#[test]
fn rendered_png_reads_back_exactly_at_every_module_size() {
    for module_px in 2..=6 {
        let text = certqr_like_text(250, module_px);
        let png = encode(&text, EcLevel::Q)
            .unwrap()
            .to_png(module_px)
            .unwrap();
        let codes = scan_image(&png, &ScanOptions::photo()).unwrap();
        assert_eq!(texts(&codes), [text.as_str()], "module size {module_px}");
        // The reported points lie on the symbol, inside the picture.
        let side = luma_of(&text, module_px).width() as f32;
        assert!(codes[0].corners.len() >= 3);
        for &(x, y) in &codes[0].corners {
            assert!(
                (0.0..=side).contains(&x) && (0.0..=side).contains(&y),
                "({x}, {y})"
            );
        }
    }
}

#[test]
fn jpeg_at_quality_80_reads_back_exactly() {
    for module_px in [2, 4, 6] {
        let text = certqr_like_text(250, 100 + module_px);
        let jpeg = jpeg_of(&luma_of(&text, module_px), 80);
        assert!(jpeg.starts_with(JPEG_SIGNATURE));
        assert_eq!(
            texts(&scan_image(&jpeg, &ScanOptions::photo()).unwrap()),
            [text.as_str()],
            "{module_px} px"
        );
    }
}

#[test]
fn colour_png_with_transparent_background_reads_back() {
    // Black modules, fully transparent (and black) everywhere else: dropping the
    // alpha channel would give an all-black picture.
    let text = certqr_like_text(60, 7);
    let luma = luma_of(&text, 4);
    let rgba = image::RgbaImage::from_fn(luma.width(), luma.height(), |x, y| {
        if luma.get_pixel(x, y).0[0] == 0 {
            image::Rgba([0, 0, 0, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(
            rgba.as_raw(),
            rgba.width(),
            rgba.height(),
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
    assert_eq!(
        texts(&scan_image(&png, &ScanOptions::photo()).unwrap()),
        [text.as_str()]
    );
}

#[test]
fn camera_frame_with_padded_rows_reads_back() {
    let text = certqr_like_text(250, 3);
    let picture = luma_of(&text, 3);
    let (width, height) = (picture.width(), picture.height());
    let stride = width + 37;
    // Padding bytes are black, so reading them as pixels would break the code.
    let mut frame = vec![0u8; (stride * (height - 1) + width) as usize];
    for (y, row) in picture.rows().enumerate() {
        let start = y * stride as usize;
        for (x, pixel) in row.enumerate() {
            frame[start + x] = pixel.0[0];
        }
    }
    assert_eq!(
        texts(
            &scan_frame(
                &frame_of(&frame, width, height, stride),
                &ScanOptions::photo()
            )
            .unwrap()
        ),
        [text.as_str()]
    );
    // Tight rows (stride == width) are read in place.
    assert_eq!(
        texts(
            &scan_frame(
                &frame_of(picture.as_raw(), width, height, width),
                &ScanOptions::photo()
            )
            .unwrap()
        ),
        [text.as_str()]
    );
}

#[test]
fn two_codes_side_by_side_are_both_found() {
    let left_text = certqr_like_text(250, 11);
    let right_text = certqr_like_text(250, 12);
    let left = luma_of(&left_text, 3);
    let right = luma_of(&right_text, 3);
    let mut both = GrayImage::from_pixel(
        left.width() + right.width(),
        left.height(),
        image::Luma([255]),
    );
    image::imageops::replace(&mut both, &left, 0, 0);
    image::imageops::replace(&mut both, &right, i64::from(left.width()), 0);
    let codes = scan_image(&png_of(&both), &ScanOptions::photo()).unwrap();
    let mut found = texts(&codes);
    found.sort_unstable();
    let mut expected = [left_text.as_str(), right_text.as_str()];
    expected.sort_unstable();
    assert_eq!(found, expected);
    // Each is reported where it is drawn.
    for code in &codes {
        let (x, _) = centre(&code.corners);
        let on_left = x < left.width() as f32;
        assert_eq!(on_left, code.text == left_text, "{:?}", code.corners);
    }
}

#[test]
fn rotated_pictures_read_back() {
    let text = certqr_like_text(250, 21);
    let picture = luma_of(&text, 4);
    for rotated in [
        image::imageops::rotate90(&picture),
        image::imageops::rotate180(&picture),
        image::imageops::rotate270(&picture),
    ] {
        assert_eq!(
            texts(&scan_image(&png_of(&rotated), &ScanOptions::photo()).unwrap()),
            [text.as_str()]
        );
    }
}

#[test]
fn other_text_round_trips_through_render_and_scan() {
    for text in [
        "https://example.com/verify?id=abc-123",
        "特种作业操作证 No. 12345",
        "",
    ] {
        let png = encode(text, EcLevel::M).unwrap().to_png(4).unwrap();
        assert_eq!(
            texts(&scan_image(&png, &ScanOptions::photo()).unwrap()),
            [text],
            "{text:?}"
        );
    }
}

#[test]
fn options_say_what_they_are_for() {
    let frame = ScanOptions::frame();
    assert_eq!(
        (frame.effort, frame.backend, frame.limits),
        (Effort::Frame, Backend::Rxing, ScanLimits::default())
    );
    let photo = ScanOptions::photo();
    assert_eq!(
        (photo.effort, photo.backend, &photo.limits),
        (Effort::Photo, Backend::Rxing, &ScanLimits::default())
    );
    assert_eq!(ScanOptions::default(), photo);
}

/// A 1280x720 camera-like frame: the structured test pattern, with `code` (if any)
/// pasted near the middle.
fn frame_with(code: Option<&GrayImage>) -> GrayImage {
    let mut frame = GrayImage::from_raw(1280, 720, test_pattern(1280, 720, 99)).unwrap();
    if let Some(code) = code {
        image::imageops::replace(&mut frame, code, 500, 200);
    }
    frame
}

#[test]
fn empty_frames_give_empty_lists_in_both_efforts() {
    let white = GrayImage::from_pixel(1280, 720, image::Luma([255]));
    let busy = frame_with(None);
    for frame in [&white, &busy] {
        for options in [ScanOptions::frame(), ScanOptions::photo()] {
            let codes = scan_frame(&frame_of(frame.as_raw(), 1280, 720, 1280), &options).unwrap();
            assert!(codes.is_empty(), "{:?}: {codes:?}", options.effort);
        }
    }
    assert!(scan_image(&png_of(&white), &ScanOptions::photo())
        .unwrap()
        .is_empty());
    // The same busy frame with a code in it reads, so the empty answers above come
    // from looking, not from a scanner that finds nothing.
    let text = certqr_like_text(230, 31);
    let with_code = frame_with(Some(&luma_of(&text, 3)));
    for options in [ScanOptions::frame(), ScanOptions::photo()] {
        let codes = scan_frame(&frame_of(with_code.as_raw(), 1280, 720, 1280), &options).unwrap();
        assert_eq!(texts(&codes), [text.as_str()], "{:?}", options.effort);
    }
    // Smaller than any QR code.
    let tiny = GrayImage::from_pixel(20, 20, image::Luma([255]));
    assert!(scan_image(&png_of(&tiny), &ScanOptions::photo())
        .unwrap()
        .is_empty());
}

#[test]
fn garbage_is_not_an_image() {
    for bytes in [
        &b""[..],
        b"GIF89a",
        b"\x89PN",
        b"\xff\xd8",
        b"hello world",
        &[0u8; 64],
    ] {
        assert!(
            matches!(
                scan_image(bytes, &ScanOptions::photo()),
                Err(ScanError::UnsupportedFormat)
            ),
            "{bytes:?}"
        );
    }
}

#[test]
fn truncated_images_are_decode_errors() {
    let png = encode("CQ1:TRUNCATED", EcLevel::Q)
        .unwrap()
        .to_png(4)
        .unwrap();
    let jpeg = jpeg_of(&luma_of("CQ1:TRUNCATED", 4), 80);
    for cut in [9, 20, 33, png.len() / 2, png.len() - 13] {
        assert!(
            matches!(
                scan_image(&png[..cut], &ScanOptions::photo()),
                Err(ScanError::Decode(_))
            ),
            "PNG cut at {cut}"
        );
    }
    for cut in [4, 100] {
        let result = scan_image(&jpeg[..cut], &ScanOptions::photo());
        assert!(
            matches!(result, Err(ScanError::Decode(_))),
            "JPEG cut at {cut}: {result:?}"
        );
    }
    // The JPEG decoder is lenient: cut inside the entropy-coded data, it returns the
    // picture with the missing part grey, so this is either an error or no code.
    let result = scan_image(&jpeg[..jpeg.len() / 2], &ScanOptions::photo());
    assert!(
        matches!(&result, Err(ScanError::Decode(_)))
            || matches!(&result, Ok(codes) if codes.is_empty()),
        "{result:?}"
    );
}

/// CRC-32 (ISO 3309, as used by PNG), bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let mut covered = kind.to_vec();
    covered.extend_from_slice(data);
    chunk.extend_from_slice(&crc32(&covered).to_be_bytes());
    chunk
}

/// A well-formed PNG header for a grayscale picture of the given size, with an
/// empty IDAT and IEND: what a decompression bomb looks like before its pixels.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grayscale, no interlace
    let mut png = PNG_SIGNATURE.to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"IDAT", &[]));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

#[test]
fn crc32_matches_the_png_specification_check_value() {
    // The standard CRC-32 check value, and the CRC of an empty IEND chunk that
    // ends every PNG.
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b"IEND"), 0xAE42_6082);
}

#[test]
fn huge_dimensions_are_refused_from_the_header() {
    // 10^10 pixels: decoding would need 10 GB. The error carries the header's size,
    // which shows the refusal came before the (empty) pixel data was looked at.
    let bomb = png_header(100_000, 100_000);
    assert!(matches!(
        scan_image(&bomb, &ScanOptions::photo()),
        Err(ScanError::TooLarge {
            width: 100_000,
            height: 100_000,
            max_pixels: 40_000_000
        })
    ));
    // Just over a custom limit, and just under it (then the empty IDAT is a
    // decode error: the check passed and decoding began).
    let limits = ScanLimits {
        max_pixels: 10_000,
        ..ScanLimits::default()
    };
    assert!(matches!(
        scan_image(&png_header(101, 100), &photo_within(&limits)),
        Err(ScanError::TooLarge {
            width: 101,
            height: 100,
            max_pixels: 10_000
        })
    ));
    assert!(matches!(
        scan_image(&png_header(100, 100), &photo_within(&limits)),
        Err(ScanError::Decode(_))
    ));
    // A real JPEG over a small limit.
    let jpeg = jpeg_of(&luma_of("CQ1:BIG", 4), 80);
    let side = luma_of("CQ1:BIG", 4).width();
    let limits = ScanLimits {
        max_pixels: u64::from(side * side) - 1,
        ..ScanLimits::default()
    };
    assert!(matches!(
        scan_image(&jpeg, &photo_within(&limits)),
        Err(ScanError::TooLarge { width, height, .. }) if width == side && height == side
    ));
}

#[test]
fn encoded_size_limit_is_checked_first() {
    let png = encode("CQ1:LIMIT", EcLevel::Q).unwrap().to_png(2).unwrap();
    let limits = ScanLimits {
        max_encoded_bytes: png.len() - 1,
        ..ScanLimits::default()
    };
    assert!(matches!(
        scan_image(&png, &photo_within(&limits)),
        Err(ScanError::EncodedTooLarge { length, max }) if length == png.len() && max == png.len() - 1
    ));
    let limits = ScanLimits {
        max_encoded_bytes: png.len(),
        ..ScanLimits::default()
    };
    assert_eq!(
        texts(&scan_image(&png, &photo_within(&limits)).unwrap()),
        ["CQ1:LIMIT"]
    );
}

#[test]
fn bad_frames_are_refused() {
    let frame = vec![255u8; 100 * 100];
    let cases: [(&[u8], u32, u32, u32, FrameError); 6] = [
        (
            &frame,
            0,
            100,
            100,
            FrameError::ZeroDimension {
                width: 0,
                height: 100,
            },
        ),
        (
            &frame,
            100,
            0,
            100,
            FrameError::ZeroDimension {
                width: 100,
                height: 0,
            },
        ),
        (
            &frame,
            100,
            100,
            99,
            FrameError::StrideBelowWidth {
                stride: 99,
                width: 100,
            },
        ),
        (
            &frame[..9_999],
            100,
            100,
            100,
            FrameError::BufferTooShort {
                length: 9_999,
                required: 10_000,
            },
        ),
        (
            &frame,
            50,
            100,
            101,
            FrameError::BufferTooShort {
                length: 10_000,
                required: 99 * 101 + 50,
            },
        ),
        (
            &frame,
            100,
            3,
            u32::MAX,
            FrameError::BufferTooShort {
                length: 10_000,
                required: 2 * u64::from(u32::MAX) + 100,
            },
        ),
    ];
    for (luma, width, height, stride, expected) in cases {
        match LumaFrame::new(luma, width, height, stride) {
            Err(ScanError::BadFrame(got)) => assert_eq!(got, expected),
            other => panic!("{width}x{height} stride {stride}: {other:?}"),
        }
    }
    // Exactly long enough: last row unpadded.
    let frame = vec![255u8; 99 * 101 + 50];
    let exact = LumaFrame::new(&frame, 50, 100, 101).unwrap();
    assert_eq!(
        (
            exact.width(),
            exact.height(),
            exact.stride(),
            exact.pixels().len()
        ),
        (50, 100, 101, 99 * 101 + 50)
    );
    assert!(scan_frame(&exact, &ScanOptions::photo())
        .unwrap()
        .is_empty());
    // The Debug form gives the geometry, not the pixels.
    assert_eq!(
        format!("{exact:?}"),
        "LumaFrame { width: 50, height: 100, stride: 101, buffer_length: 10049 }"
    );
    // Over the pixel limit of the options: refused before any pixel is copied.
    let tight = ScanOptions {
        limits: ScanLimits {
            max_pixels: 50 * 100 - 1,
            ..ScanLimits::default()
        },
        ..ScanOptions::frame()
    };
    assert!(matches!(
        scan_frame(&exact, &tight),
        Err(ScanError::TooLarge {
            width: 50,
            height: 100,
            max_pixels: 4_999,
        })
    ));
}

#[test]
fn panics_in_isolated_code_become_decoder_panicked() {
    let result: Result<(), ScanError> = isolate(|| panic!("decoder bug"));
    assert!(matches!(result, Err(ScanError::DecoderPanicked)));
    assert_eq!(isolate(|| 7).unwrap(), 7);
}

#[test]
fn duplicates_are_dropped_but_distinct_codes_kept() {
    let square = |x: f32, text: &str| ScannedCode {
        text: text.to_owned(),
        bytes: None,
        corners: vec![(x, 0.0), (x + 100.0, 0.0), (x + 100.0, 100.0), (x, 100.0)],
    };
    let mut codes = vec![
        square(0.0, "A"),
        square(3.0, "A"),   // same code, found twice
        square(200.0, "A"), // same text, another code
        square(0.0, "B"),   // another text at the same place
    ];
    deduplicate(&mut codes);
    assert_eq!(
        codes,
        vec![square(0.0, "A"), square(200.0, "A"), square(0.0, "B")]
    );
}

#[test]
fn alpha_is_composited_over_white() {
    assert_eq!(over_white(0, 255, 255), 0);
    assert_eq!(over_white(0, 0, 255), 255);
    assert_eq!(over_white(0, 128, 255), 127);
    assert_eq!(over_white(200, 255, 255), 200);
    assert_eq!(rec709(255, 255, 255), 255);
    assert_eq!(rec709(0, 0, 0), 0);
}

/// Whether a missing photo folder must fail the test rather than skip it: in CI (`CI`
/// is `true`) and under `scripts/test.sh` (`CERTQR_REQUIRE_PHOTOS=1`).
fn photos_required(ci: Option<&str>, require_photos: Option<&str>) -> bool {
    ci == Some("true") || require_photos == Some("1")
}

#[test]
fn photos_are_required_in_ci_and_under_the_test_script() {
    let table = [
        // (CI, CERTQR_REQUIRE_PHOTOS, required)
        (None, None, false),
        (Some("true"), None, true),
        (None, Some("1"), true),
        (Some("true"), Some("1"), true),
        (Some("false"), None, false),
        (Some("1"), None, false),
        (None, Some("0"), false),
        (None, Some(""), false),
    ];
    for (ci, require_photos, required) in table {
        assert_eq!(
            photos_required(ci, require_photos),
            required,
            "CI={ci:?} CERTQR_REQUIRE_PHOTOS={require_photos:?}"
        );
    }
}

/// The ZXing blackbox photos in `../shared/qr-photos/qrcode-1`, beside the checkout
/// (see the README there): at least 18 of the 20 must read exactly. When the folder
/// is absent the test fails in CI and under `scripts/test.sh` (see
/// [`photos_required`]); elsewhere, for a developer without the photos, it says so
/// and returns.
#[test]
fn real_photos_smoke() {
    // crates/scan -> the checkout -> the folder beside it.
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/qr-photos/qrcode-1");
    if !folder.is_dir() {
        let ci = std::env::var("CI").ok();
        let require_photos = std::env::var("CERTQR_REQUIRE_PHOTOS").ok();
        assert!(
            !photos_required(ci.as_deref(), require_photos.as_deref()),
            "real_photos_smoke: {} not found, and the photos are required here \
             (CI={ci:?}, CERTQR_REQUIRE_PHOTOS={require_photos:?})",
            folder.display()
        );
        println!(
            "NOTE: real_photos_smoke did not run: {} not found. Put the photo set in \
             ../shared/qr-photos beside the checkout to run it (CI and scripts/test.sh \
             require it).",
            folder.display()
        );
        return;
    }
    let mut total = 0;
    let mut exact = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(extension, "png" | "jpg") {
            continue;
        }
        let expected = std::fs::read_to_string(path.with_extension("txt")).unwrap();
        total += 1;
        let codes = scan_image(&std::fs::read(&path).unwrap(), &ScanOptions::photo());
        match codes {
            Ok(codes) if codes.iter().any(|code| code.text == expected) => exact += 1,
            other => println!("{}: not read exactly: {other:?}", path.display()),
        }
    }
    println!("real_photos_smoke: {exact} of {total} read exactly");
    assert_eq!(total, 20, "expected 20 photos in {}", folder.display());
    assert!(exact >= 18, "only {exact} of {total} photos read exactly");
}

/// Pseudo-random luma with structure at every scale: flat areas (the flat-block rule),
/// sharp edges and noise.
fn test_pattern(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let cell = 3 + next() % 20;
    let levels: Vec<u8> = (0..64).map(|_| (next() % 256) as u8).collect();
    (0..width * height)
        .map(|index| {
            let (x, y) = (index % width, index / width);
            let base = levels[((x / cell + (y / (cell + 1)) * 7) % 64) as usize];
            if next() % 4 == 0 {
                base.wrapping_add((next() % 9) as u8)
            } else {
                base
            }
        })
        .collect()
}

#[test]
fn local_thresholds_match_rxing_hybrid_binarizer_bit_for_bit() {
    use rxing::common::HybridBinarizer;
    use rxing::{Binarizer, LuminanceSource};
    let rendered = luma_of(&certqr_like_text(120, 5), 3);
    let mut pictures: Vec<(u32, u32, Vec<u8>)> = vec![(
        rendered.width(),
        rendered.height(),
        rendered.as_raw().clone(),
    )];
    // Sides that are and are not multiples of the 8-pixel block, down to the 40-pixel
    // minimum.
    for (seed, (width, height)) in [
        (40, 40),
        (41, 47),
        (64, 64),
        (100, 83),
        (333, 257),
        (640, 480),
    ]
    .into_iter()
    .enumerate()
    {
        pictures.push((width, height, test_pattern(width, height, seed as u32 + 1)));
    }
    for (width, height, pixels) in &pictures {
        for invert in [false, true] {
            let mut source = rxing::Luma8Source::new(pixels.clone(), *width, *height).unwrap();
            if invert {
                source.invert();
            }
            let reference = HybridBinarizer::new(source);
            let ours =
                binarizer::local_thresholds(pixels, *width as usize, *height as usize, invert)
                    .unwrap();
            assert!(
                &ours == reference.get_black_matrix().unwrap(),
                "{width}x{height}, inverted {invert}"
            );
        }
    }
    // Under 40 pixels a side, or a short buffer: no local thresholds.
    assert!(binarizer::local_thresholds(&[0; 39 * 60], 39, 60, false).is_none());
    assert!(binarizer::local_thresholds(&[0; 40 * 40 - 1], 40, 40, false).is_none());
}

fn inverted(picture: &GrayImage) -> GrayImage {
    let mut inverted = picture.clone();
    image::imageops::invert(&mut inverted);
    inverted
}

#[test]
fn inverted_codes_read_in_both_efforts() {
    let text = certqr_like_text(230, 41);
    let light_on_dark = inverted(&luma_of(&text, 3));
    assert_eq!(
        texts(&scan_image(&png_of(&light_on_dark), &ScanOptions::photo()).unwrap()),
        [text.as_str()]
    );
    // In a busy frame, light on dark, where the frame pass must find the inverted
    // finder patterns among the frame's own shapes.
    let frame = inverted(&frame_with(Some(&luma_of(&text, 3))));
    for options in [ScanOptions::frame(), ScanOptions::photo()] {
        let codes = scan_frame(&frame_of(frame.as_raw(), 1280, 720, 1280), &options).unwrap();
        assert_eq!(texts(&codes), [text.as_str()], "{:?}", options.effort);
    }
}

#[test]
fn mirrored_codes_read_in_both_efforts() {
    let text = certqr_like_text(230, 43);
    let code = luma_of(&text, 3);
    for mirrored in [
        image::imageops::flip_horizontal(&code),
        image::imageops::flip_vertical(&code),
    ] {
        assert_eq!(
            texts(&scan_image(&png_of(&mirrored), &ScanOptions::photo()).unwrap()),
            [text.as_str()]
        );
        let frame = frame_with(Some(&mirrored));
        let codes = scan_frame(
            &frame_of(frame.as_raw(), 1280, 720, 1280),
            &ScanOptions::frame(),
        )
        .unwrap();
        assert_eq!(texts(&codes), [text.as_str()]);
    }
}

/// A QR code holding `data` (the `qrcode` crate's choice of segments, error
/// correction M), `module_px` pixels a module, with a 4-module quiet zone.
fn luma_of_bytes(data: &[u8], module_px: u32) -> GrayImage {
    let code = qrcode::QrCode::new(data).unwrap();
    let modules = code.width() as u32;
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|colour| colour == qrcode::Color::Dark)
        .collect();
    let side = (modules + 8) * module_px;
    GrayImage::from_fn(side, side, |x, y| {
        let (column, row) = (x / module_px, y / module_px);
        let inside = (4..modules + 4).contains(&column) && (4..modules + 4).contains(&row);
        let is_dark = inside && dark[((row - 4) * modules + column - 4) as usize];
        image::Luma([if is_dark { 0 } else { 255 }])
    })
}

#[test]
fn binary_payloads_come_back_as_bytes() {
    // A COSE-like binary payload: NUL, control and high bytes, not text in any
    // character set a decoder would guess.
    let binary: Vec<u8> = (0..80u8)
        .map(|index| index.wrapping_mul(37) ^ 0xA5)
        .collect();
    let with_nul = [b"CQ1:".as_slice(), &[0, 1, 2], b"tail"].concat();
    for payload in [binary, with_nul] {
        let codes =
            scan_image(&png_of(&luma_of_bytes(&payload, 4)), &ScanOptions::photo()).unwrap();
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].text, "");
        assert_eq!(codes[0].bytes.as_deref(), Some(payload.as_slice()));
    }
    // Text in byte mode (UTF-8), with a line break and a tab: text, no bytes.
    let text = "特种作业操作证\n\tNo. 12345";
    let codes = scan_image(
        &png_of(&luma_of_bytes(text.as_bytes(), 4)),
        &ScanOptions::photo(),
    )
    .unwrap();
    assert_eq!(texts(&codes), [text]);
    assert_eq!(codes[0].bytes, None);
}

#[test]
fn text_is_told_from_binary_by_control_characters() {
    for (candidate, text) in [
        ("CQ1:6BFOXN*TS0BI$ZD4N9", true),
        ("", true),
        ("line\r\nbreak\ttab", true),
        ("]Q3 GS1\u{1d}field", true),
        ("特种作业操作证", true),
        ("nul\u{0}", false),
        ("escape\u{1b}[2J", false),
        ("delete\u{7f}", false),
        ("c1 control\u{85}", false),
        ("replaced\u{fffd}", false),
    ] {
        assert_eq!(is_text(candidate), text, "{candidate:?}");
    }
}

/// A JPEG segment: marker, big-endian length (counting itself) and payload.
fn jpeg_segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut segment = vec![0xFF, marker];
    segment.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
    segment.extend_from_slice(payload);
    segment
}

/// An APP1 EXIF payload with one IFD entry: Orientation (tag 0x0112, SHORT) =
/// `orientation`, big-endian TIFF.
fn exif_orientation(orientation: u16) -> Vec<u8> {
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(b"MM\0\x2a"); // big-endian TIFF header
    exif.extend_from_slice(&8u32.to_be_bytes()); // the first IFD follows the header
    exif.extend_from_slice(&1u16.to_be_bytes()); // one entry
    exif.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    exif.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    exif.extend_from_slice(&1u32.to_be_bytes()); // one value
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0]); // the value field's unused half
    exif.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    exif
}

#[test]
fn jpeg_exif_orientation_is_applied_and_corners_refer_to_the_displayed_picture() {
    let text = certqr_like_text(60, 51);
    let code = luma_of(&text, 4);
    let (side, margin) = (code.width(), 10);
    // Stored 400x300, the code in the top-left corner.
    let (width, height) = (side + 200, side + 100);
    let mut stored = GrayImage::from_pixel(width, height, image::Luma([255]));
    image::imageops::replace(&mut stored, &code, i64::from(margin), i64::from(margin));
    let jpeg = jpeg_of(&stored, 90);
    let middle = (margin + side / 2) as f32;
    let (w, h) = (width as f32, height as f32);
    // EXIF orientation, where the code's centre is displayed.
    let cases = [
        (1, (middle, middle)),
        (2, (w - middle, middle)),     // mirrored left to right
        (3, (w - middle, h - middle)), // upside down
        (6, (h - middle, middle)),     // turned a quarter clockwise
        (8, (middle, w - middle)),     // turned a quarter anticlockwise
    ];
    for (orientation, (x, y)) in cases {
        // The APP1 segment goes right after the start-of-image marker.
        let mut tagged = jpeg[..2].to_vec();
        tagged.extend(jpeg_segment(0xE1, &exif_orientation(orientation)));
        tagged.extend_from_slice(&jpeg[2..]);
        let codes = scan_image(&tagged, &ScanOptions::photo()).unwrap();
        assert_eq!(texts(&codes), [text.as_str()], "orientation {orientation}");
        let (found_x, found_y) = centre(&codes[0].corners);
        assert!(
            (found_x - x).abs() < 8.0 && (found_y - y).abs() < 8.0,
            "orientation {orientation}: centre ({found_x}, {found_y}), expected ({x}, {y})"
        );
    }
}

/// Three finder patterns, each turned, sheared and stretched at random, and a few
/// dark blocks, on a 200x200 white picture; `seed` picks the randomness.
#[cfg(feature = "rqrr")]
fn distorted_finder_patterns(seed: u32) -> Vec<u8> {
    let mut state = (seed.wrapping_mul(2_654_435_761) ^ 0x9e37_79b9) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let mut unit = move || f64::from(next() % 100_000) / 100_000.0;
    let side = 200i32;
    let mut pixels = vec![255u8; (side * side) as usize];
    for _ in 0..(unit() * 12.0) as usize {
        let (left, top) = ((unit() * 200.0) as i32, (unit() * 200.0) as i32);
        let (width, height) = (1 + (unit() * 12.0) as i32, 1 + (unit() * 12.0) as i32);
        for y in top..(top + height).min(side) {
            for x in left..(left + width).min(side) {
                pixels[(y * side + x) as usize] = 0;
            }
        }
    }
    for _ in 0..3 {
        let (centre_x, centre_y) = (20.0 + unit() * 160.0, 20.0 + unit() * 160.0);
        let module = 1.5 + unit() * 5.0;
        // 6.283 is a scale of the random numbers, not quite τ: the picture the
        // seed below gives depends on it.
        #[allow(clippy::approx_constant)]
        let (angle, shear) = (unit() * 6.283, (unit() - 0.5) * 1.6);
        let (scale_x, scale_y) = (module * (0.4 + unit() * 1.2), module * (0.4 + unit() * 1.2));
        let (cos, sin) = (angle.cos(), angle.sin());
        // Modules to pixels, and back.
        let a = [
            cos * scale_x,
            (-sin + cos * shear) * scale_y,
            sin * scale_x,
            (cos + sin * shear) * scale_y,
        ];
        let determinant = a[0] * a[3] - a[1] * a[2];
        if determinant.abs() < 1e-6 {
            continue;
        }
        let inverse = [
            a[3] / determinant,
            -a[1] / determinant,
            -a[2] / determinant,
            a[0] / determinant,
        ];
        for y in 0..side {
            for x in 0..side {
                let (dx, dy) = (f64::from(x) - centre_x, f64::from(y) - centre_y);
                let (u, v) = (
                    inverse[0] * dx + inverse[1] * dy,
                    inverse[2] * dx + inverse[3] * dy,
                );
                if u.abs() < 4.5 && v.abs() < 4.5 {
                    // Rings of a finder pattern: dark 3x3 centre, light ring, dark
                    // ring, light border.
                    let ring = u.abs().max(v.abs());
                    let dark = ring < 1.5 || (2.5..3.5).contains(&ring);
                    pixels[(y * side + x) as usize] = if dark { 0 } else { 255 };
                }
            }
        }
    }
    pixels
}

#[cfg(feature = "rqrr")]
#[test]
fn rqrr_backend_reads_codes_and_its_panics_are_contained() {
    let rqrr = ScanOptions {
        backend: Backend::Rqrr,
        ..ScanOptions::default()
    };
    let text = certqr_like_text(120, 61);
    let png = png_of(&luma_of(&text, 4));
    assert_eq!(texts(&scan_image(&png, &rqrr).unwrap()), [text.as_str()]);
    let binary: Vec<u8> = (0..40u8)
        .map(|index| index.wrapping_mul(53) ^ 0x3C)
        .collect();
    let codes = scan_image(&png_of(&luma_of_bytes(&binary, 4)), &rqrr).unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].bytes.as_deref(), Some(binary.as_slice()));

    // Found by a search over seeds: rqrr 0.11.0 fails the `assert!` on mapped
    // coordinates in its geometry.rs (fitting a perspective to a degenerate group of
    // finder patterns) on this picture.
    let trap = distorted_finder_patterns(120_503);
    let direct = std::panic::catch_unwind(|| {
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(200, 200, |x, y| trap[y * 200 + x]);
        prepared.detect_grids().len()
    });
    assert!(direct.is_err(), "rqrr no longer panics on this picture");
    assert!(matches!(
        scan_frame(&frame_of(&trap, 200, 200, 200), &rqrr),
        Err(ScanError::DecoderPanicked)
    ));
    // rxing reads nothing there, and does not panic.
    assert_eq!(
        scan_frame(&frame_of(&trap, 200, 200, 200), &ScanOptions::photo()).unwrap(),
        []
    );
}
