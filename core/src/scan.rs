//! Finding and reading QR codes (二维码) in photos and camera frames.
//!
//! The pixels come from an inspector's camera or a file someone sent, so everything
//! here is hostile input: sizes are checked before anything is allocated for them, and
//! the third-party decoders (the `image` crate's PNG and JPEG decoders and `rxing`)
//! run under [`std::panic::catch_unwind`], so a bug in them becomes
//! [`ScanError::DecoderPanicked`] instead of a crash. That only holds when the app is
//! built with `panic = "unwind"` (the default); with `panic = "abort"` a decoder panic
//! still ends the process.
//!
//! Only QR codes are looked for, and every QR code in the picture is returned: one
//! pass over the binarised picture collects all finder-pattern triples and decodes each,
//! and rxing's older ZXing-port reader gets a second chance when that finds nothing.
//! When neither finds a code with local thresholds, both run again on the picture
//! binarised with one global threshold.
//! Finding no code is a normal outcome (an empty list), not an error.
//!
//! ```
//! use certqr_core::{render, scan};
//!
//! let symbol = render::encode("CQ1:6BFOXN*TS0BI$ZD4N9", render::EcLevel::Q).unwrap();
//! let png = symbol.to_png(4).unwrap();
//! let codes = scan::scan_image(&png).unwrap();
//! assert_eq!(codes.len(), 1);
//! assert_eq!(codes[0].text, "CQ1:6BFOXN*TS0BI$ZD4N9");
//! ```

use std::collections::HashSet;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use rxing::common::{DetectorRXingResult, GlobalHistogramBinarizer, HybridBinarizer};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{FindFinderPatterns, GenerateFinderPatternSets, SampleQR};
use rxing::qrcode::QRCodeReader;
use rxing::{BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source, Point, Reader};

/// The PNG signature (ISO/IEC 15948 §5.2).
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// The JPEG start-of-image marker followed by the first byte of the next marker.
const JPEG_SIGNATURE: &[u8] = b"\xff\xd8\xff";

/// A picture narrower or lower than a version 1 QR code at one pixel a module cannot
/// hold a code; it is answered with an empty list without running the decoder.
const MIN_SIDE_PX: u32 = 21;

/// Largest number of bytes a decoded pixel takes in any colour type PNG or JPEG
/// decode to (16-bit RGBA).
const MAX_BYTES_PER_DECODED_PIXEL: u64 = 8;
/// Allowance for the decoders' own buffers (PNG chunk data, inflate window, JPEG
/// tables) on top of the pixels.
const DECODER_SLACK_BYTES: u64 = 16 << 20;

/// Two results with the same text whose centres are closer than this fraction of
/// the code's size are the same code found twice.
const SAME_POSITION_FRACTION: f32 = 0.25;

/// A QR code found in a picture.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannedCode {
    /// The decoded text.
    pub text: String,
    /// Where the code is, in pixel coordinates of the picture as given (x right,
    /// y down), exactly as the decoder reports them: usually the four corners of the
    /// symbol, or the three finder-pattern centres (and an alignment-pattern centre)
    /// when the fallback reader found it. Meant for drawing an outline, not for
    /// geometry that depends on which points they are.
    pub corners: Vec<(f32, f32)>,
}

/// Bounds on the pictures [`scan_image_with_limits`] and [`scan_luma_with_limits`]
/// accept.
///
/// Memory while scanning an encoded picture peaks at about: the encoded bytes (held by
/// the caller, and copied once more by the JPEG decoder), plus the decoded pixels in
/// their native colour type (1 byte a pixel for a grayscale picture, 3 for a colour
/// JPEG, up to 8 for a 16-bit RGBA PNG), plus 1 byte a pixel of grayscale, plus the QR
/// decoder's binarised copy at 1 bit a pixel and small per-block tables. The image
/// decoders are also held to 8 bytes a pixel plus 16 MiB of allocations. With the
/// defaults that bounds a colour JPEG at 2 x 64 MiB + 40 MP x 4.1 bytes, about 300 MB,
/// and a 16-bit RGBA PNG at 64 MiB + 40 MP x 9.1 bytes, about 430 MB. Measured peak
/// resident memory of a whole process scanning a 39.9 MP picture: 161 MB for a 1 MB
/// colour JPEG, 356 MB for a 1.5 MB 16-bit RGBA PNG. A phone app that only scans
/// camera frames can lower `max_pixels`.
///
/// A camera frame given to [`scan_luma`] costs a tight grayscale copy (only when its
/// rows are padded) plus the binarised copy, 1.1 bytes a pixel at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanLimits {
    /// Largest picture, in pixels (width times height), that is decoded.
    pub max_pixels: u64,
    /// Largest encoded PNG or JPEG, in bytes.
    pub max_encoded_bytes: usize,
}

impl Default for ScanLimits {
    /// 40 megapixels and 64 MiB: a 12, 24 or 36 MP phone or camera photo. The
    /// full-resolution mode of 48 MP and larger sensors is refused.
    fn default() -> Self {
        ScanLimits {
            max_pixels: 40_000_000,
            max_encoded_bytes: 64 << 20,
        }
    }
}

/// Why a picture could not be scanned. A picture without a QR code is not an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The bytes are neither a PNG nor a JPEG.
    #[error("not a PNG or JPEG image")]
    UnsupportedFormat,
    /// The PNG or JPEG is corrupt or truncated, or uses a feature the decoder lacks.
    #[error("cannot decode the image: {0}")]
    Decode(String),
    /// The picture has more pixels than the limit.
    #[error("image of {width}x{height} pixels is over the limit of {max_pixels} pixels")]
    TooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// The limit, in pixels.
        max_pixels: u64,
    },
    /// The encoded picture is longer than the limit.
    #[error("encoded image of {length} bytes is over the limit of {max} bytes")]
    EncodedTooLarge {
        /// Length in bytes.
        length: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// A camera frame's dimensions, row stride and buffer length do not agree.
    #[error("bad camera frame: {reason}")]
    BadFrame {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The image decoder or the QR decoder panicked on this input. The panic was
    /// caught; the picture is unreadable but the app is unharmed.
    #[error("the decoder panicked on this image")]
    DecoderPanicked,
}

/// Find and read every QR code in a PNG or JPEG, within the default [`ScanLimits`].
///
/// # Errors
///
/// See [`scan_image_with_limits`].
pub fn scan_image(encoded: &[u8]) -> Result<Vec<ScannedCode>, ScanError> {
    scan_image_with_limits(encoded, &ScanLimits::default())
}

/// Find and read every QR code in a PNG or JPEG.
///
/// The format is told by its signature, not trusted from a file name. The dimensions
/// are read from the header and checked against `limits` before any pixel is decoded.
/// Transparent pixels are taken as lying on white paper.
///
/// # Errors
///
/// [`ScanError::EncodedTooLarge`] and [`ScanError::TooLarge`] past the limits,
/// [`ScanError::UnsupportedFormat`] for anything but PNG and JPEG,
/// [`ScanError::Decode`] for a corrupt picture, [`ScanError::DecoderPanicked`] if a
/// decoder panicked.
pub fn scan_image_with_limits(
    encoded: &[u8],
    limits: &ScanLimits,
) -> Result<Vec<ScannedCode>, ScanError> {
    if encoded.len() > limits.max_encoded_bytes {
        return Err(ScanError::EncodedTooLarge {
            length: encoded.len(),
            max: limits.max_encoded_bytes,
        });
    }
    let format = sniff_format(encoded).ok_or(ScanError::UnsupportedFormat)?;
    let picture = isolate(|| decode_picture(encoded, format, limits))??;
    let (width, height) = (picture.width(), picture.height());
    let luma = luma_on_white(picture);
    decode_qr_codes(&luma, width, height)
}

/// Find and read every QR code in a camera frame's luma (Y) plane, within the default
/// [`ScanLimits`].
///
/// # Errors
///
/// See [`scan_luma_with_limits`].
pub fn scan_luma(
    luma: &[u8],
    width: u32,
    height: u32,
    row_stride: u32,
) -> Result<Vec<ScannedCode>, ScanError> {
    scan_luma_with_limits(luma, width, height, row_stride, &ScanLimits::default())
}

/// Find and read every QR code in a camera frame's luma (Y) plane: `height` rows of
/// `width` bytes, each row starting `row_stride` bytes after the previous one (camera
/// APIs pad rows). The last row need not be padded. Only
/// `limits.max_pixels` applies.
///
/// # Errors
///
/// [`ScanError::BadFrame`] for a zero dimension, a stride below the width or a buffer
/// shorter than `row_stride * (height - 1) + width`; [`ScanError::TooLarge`] past
/// `limits.max_pixels`; [`ScanError::DecoderPanicked`] if the decoder panicked.
pub fn scan_luma_with_limits(
    luma: &[u8],
    width: u32,
    height: u32,
    row_stride: u32,
    limits: &ScanLimits,
) -> Result<Vec<ScannedCode>, ScanError> {
    if width == 0 || height == 0 {
        return Err(ScanError::BadFrame {
            reason: "zero width or height",
        });
    }
    if row_stride < width {
        return Err(ScanError::BadFrame {
            reason: "row stride shorter than the width",
        });
    }
    check_pixels(width, height, limits)?;
    let required = u64::from(row_stride) * u64::from(height - 1) + u64::from(width);
    if (luma.len() as u64) < required {
        return Err(ScanError::BadFrame {
            reason: "buffer shorter than row_stride * (height - 1) + width",
        });
    }
    // u32 fits usize on the 32- and 64-bit targets this crate builds for, and
    // width * height <= row_stride * (height - 1) + width <= luma.len().
    let (width_usize, stride_usize) = (width as usize, row_stride as usize);
    let tight_len = width_usize * height as usize;
    if row_stride == width {
        let pixels = luma.get(..tight_len).ok_or(ScanError::BadFrame {
            reason: "buffer shorter than width * height",
        })?;
        return decode_qr_codes(pixels, width, height);
    }
    let mut tight = Vec::with_capacity(tight_len);
    for row in luma.chunks(stride_usize).take(height as usize) {
        let pixels = row.get(..width_usize).ok_or(ScanError::BadFrame {
            reason: "buffer shorter than row_stride * (height - 1) + width",
        })?;
        tight.extend_from_slice(pixels);
    }
    decode_qr_codes(&tight, width, height)
}

fn sniff_format(encoded: &[u8]) -> Option<ImageFormat> {
    if encoded.starts_with(PNG_SIGNATURE) {
        Some(ImageFormat::Png)
    } else if encoded.starts_with(JPEG_SIGNATURE) {
        Some(ImageFormat::Jpeg)
    } else {
        None
    }
}

fn check_pixels(width: u32, height: u32, limits: &ScanLimits) -> Result<(), ScanError> {
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        Err(ScanError::TooLarge {
            width,
            height,
            max_pixels: limits.max_pixels,
        })
    } else {
        Ok(())
    }
}

/// Decode a PNG or JPEG, refusing it from its header if it has too many pixels.
fn decode_picture(
    encoded: &[u8],
    format: ImageFormat,
    limits: &ScanLimits,
) -> Result<DynamicImage, ScanError> {
    let decode_error = |error: image::ImageError| ScanError::Decode(error.to_string());
    let max_alloc = limits
        .max_pixels
        .saturating_mul(MAX_BYTES_PER_DECODED_PIXEL)
        .saturating_add(DECODER_SLACK_BYTES);
    // Reading the header: no dimension limit yet (so that a picture over the limit is
    // reported with its size), but the decoder's own allocations are bounded.
    let mut header_limits = Limits::default();
    header_limits.max_alloc = Some(max_alloc);
    let mut reader = ImageReader::with_format(Cursor::new(encoded), format);
    reader.limits(header_limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, limits)?;
    // Decoding the pixels: the decoder must stay within the header's dimensions.
    let mut pixel_limits = Limits::default();
    pixel_limits.max_image_width = Some(width);
    pixel_limits.max_image_height = Some(height);
    pixel_limits.max_alloc = Some(max_alloc);
    pixel_limits
        .reserve(decoder.total_bytes())
        .map_err(decode_error)?;
    decoder.set_limits(pixel_limits).map_err(decode_error)?;
    DynamicImage::from_decoder(decoder).map_err(decode_error)
}

/// 8-bit luma of the picture, transparent pixels composited over white paper.
///
/// Pictures without alpha use the `image` crate's conversion (Rec. 709 weights);
/// pictures with alpha are converted pixel by pixel with the same weights, so that a
/// code drawn black on a transparent background stays readable (dropping alpha would
/// turn the background black).
fn luma_on_white(picture: DynamicImage) -> Vec<u8> {
    match picture {
        DynamicImage::ImageLuma8(buffer) => buffer.into_raw(),
        DynamicImage::ImageLumaA8(buffer) => buffer
            .pixels()
            .map(|pixel| {
                let [luma, alpha] = pixel.0;
                over_white(u32::from(luma), u32::from(alpha), 255)
            })
            .collect(),
        DynamicImage::ImageRgba8(buffer) => buffer
            .pixels()
            .map(|pixel| {
                let [red, green, blue, alpha] = pixel.0.map(u32::from);
                over_white(rec709(red, green, blue), alpha, 255)
            })
            .collect(),
        DynamicImage::ImageLumaA16(buffer) => buffer
            .pixels()
            .map(|pixel| {
                let [luma, alpha] = pixel.0.map(|channel| u32::from(channel >> 8));
                over_white(luma, alpha, 255)
            })
            .collect(),
        DynamicImage::ImageRgba16(buffer) => buffer
            .pixels()
            .map(|pixel| {
                let [red, green, blue, alpha] = pixel.0.map(|channel| u32::from(channel >> 8));
                over_white(rec709(red, green, blue), alpha, 255)
            })
            .collect(),
        other => other.into_luma8().into_raw(),
    }
}

/// Luma from 8-bit RGB with the Rec. 709 weights the `image` crate uses.
fn rec709(red: u32, green: u32, blue: u32) -> u32 {
    (red * 2126 + green * 7152 + blue * 722 + 5000) / 10_000
}

/// `luma` seen through `alpha` (out of `opaque`) over white.
fn over_white(luma: u32, alpha: u32, opaque: u32) -> u8 {
    let alpha = alpha.min(opaque);
    let value = (luma.min(255) * alpha + 255 * (opaque - alpha) + opaque / 2) / opaque.max(1);
    u8::try_from(value).unwrap_or(u8::MAX)
}

/// Run `work`, turning a panic into [`ScanError::DecoderPanicked`].
fn isolate<T>(work: impl FnOnce() -> T) -> Result<T, ScanError> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|_| ScanError::DecoderPanicked)
}

/// Every QR code in a tight `width` x `height` luma buffer.
fn decode_qr_codes(luma: &[u8], width: u32, height: u32) -> Result<Vec<ScannedCode>, ScanError> {
    if width < MIN_SIDE_PX || height < MIN_SIDE_PX {
        return Ok(Vec::new());
    }
    let mut codes = isolate(|| -> Result<Vec<ScannedCode>, ScanError> {
        let source = Luma8Source::new_with_slice(luma, width, height)
            .map_err(|error| ScanError::Decode(error.to_string()))?;
        // Local thresholds (8x8 blocks) first: they cope with shadows and glare.
        let codes = codes_in(&mut BinaryBitmap::new(HybridBinarizer::new(source.clone())));
        if !codes.is_empty() {
            return Ok(codes);
        }
        // One global threshold reads some evenly lit codes the local thresholds break
        // up (2 more of the 145 photos of the evaluation set); it only runs when the
        // first pass found nothing.
        Ok(codes_in(&mut BinaryBitmap::new(
            GlobalHistogramBinarizer::new(source),
        )))
    })??;
    deduplicate(&mut codes);
    Ok(codes)
}

/// Every QR code the ZXing-C++ port finds, or else the one the ZXing (Java) port finds.
fn codes_in<B: Binarizer>(bitmap: &mut BinaryBitmap<B>) -> Vec<ScannedCode> {
    let codes = all_codes_in(bitmap);
    if codes.is_empty() {
        one_code_by_zxing_port(bitmap).into_iter().collect()
    } else {
        codes
    }
}

/// Every QR code whose three finder patterns are found: ZXing-C++'s detector as
/// ported to rxing, run over all candidate finder-pattern triples instead of
/// stopping at the first code.
fn all_codes_in<B: Binarizer>(bitmap: &BinaryBitmap<B>) -> Vec<ScannedCode> {
    let matrix = bitmap.get_black_matrix();
    let mut finder_patterns = FindFinderPatterns(matrix, true, 0);
    let triples = GenerateFinderPatternSets(&mut finder_patterns);
    let mut used = Vec::new();
    let mut codes = Vec::new();
    for triple in triples {
        let patterns = [triple.bl, triple.tl, triple.tr];
        // A finder pattern belongs to one code: once it has been read, triples that
        // reuse it are impostors pairing it with another code's patterns.
        if patterns.iter().any(|pattern| used.contains(pattern)) {
            continue;
        }
        let Ok(detected) = SampleQR(matrix, &triple) else {
            continue;
        };
        let Ok(decoded) = Decode(detected.getBits()) else {
            continue;
        };
        if !decoded.isValid() {
            continue;
        }
        used.extend(patterns);
        codes.push(ScannedCode {
            text: decoded.text(),
            corners: points(detected.getPoints()),
        });
    }
    codes
}

/// rxing's port of the original ZXing (Java) QR reader, which sometimes reads a code
/// the ZXing-C++ detector misses. It returns at most one code.
fn one_code_by_zxing_port<B: Binarizer>(bitmap: &mut BinaryBitmap<B>) -> Option<ScannedCode> {
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let result = QRCodeReader.decode_with_hints(bitmap, &hints).ok()?;
    Some(ScannedCode {
        text: result.getText().to_owned(),
        corners: points(result.getPoints()),
    })
}

fn points(points: &[Point]) -> Vec<(f32, f32)> {
    points.iter().map(|point| (point.x, point.y)).collect()
}

/// Drop results that repeat an earlier one: same text, centre within a quarter of
/// the code's size.
fn deduplicate(codes: &mut Vec<ScannedCode>) {
    let mut kept: Vec<ScannedCode> = Vec::with_capacity(codes.len());
    for code in codes.drain(..) {
        let repeat = kept.iter().any(|earlier| {
            earlier.text == code.text && {
                let (x1, y1) = centre(&earlier.corners);
                let (x2, y2) = centre(&code.corners);
                let tolerance = SAME_POSITION_FRACTION * extent(&earlier.corners).max(1.0);
                (x1 - x2).hypot(y1 - y2) <= tolerance
            }
        });
        if !repeat {
            kept.push(code);
        }
    }
    *codes = kept;
}

fn centre(corners: &[(f32, f32)]) -> (f32, f32) {
    let count = corners.len().max(1) as f32;
    let (x, y) = corners
        .iter()
        .fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
    (x / count, y / count)
}

/// The largest distance between two of the points: roughly the code's diagonal.
fn extent(corners: &[(f32, f32)]) -> f32 {
    corners
        .iter()
        .flat_map(|&(x1, y1)| {
            corners
                .iter()
                .map(move |&(x2, y2)| (x1 - x2).hypot(y1 - y2))
        })
        .fold(0.0, f32::max)
}

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::render::{encode, EcLevel};
    use image::{GrayImage, ImageEncoder};
    use std::time::Instant;

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
            let codes = scan_image(&png).unwrap();
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
                texts(&scan_image(&jpeg).unwrap()),
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
        assert_eq!(texts(&scan_image(&png).unwrap()), [text.as_str()]);
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
            texts(&scan_luma(&frame, width, height, stride).unwrap()),
            [text.as_str()]
        );
        // Tight rows (stride == width) are read in place.
        assert_eq!(
            texts(&scan_luma(picture.as_raw(), width, height, width).unwrap()),
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
        let codes = scan_image(&png_of(&both)).unwrap();
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
                texts(&scan_image(&png_of(&rotated)).unwrap()),
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
            assert_eq!(texts(&scan_image(&png).unwrap()), [text], "{text:?}");
        }
    }

    #[test]
    fn picture_without_code_gives_empty_list_quickly() {
        let white = GrayImage::from_pixel(1280, 720, image::Luma([255]));
        let started = Instant::now();
        assert!(scan_image(&png_of(&white)).unwrap().is_empty());
        assert!(scan_luma(white.as_raw(), 1280, 720, 1280)
            .unwrap()
            .is_empty());
        // Generous bound, only to catch a pathological search (debug build).
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        // Smaller than any QR code.
        let tiny = GrayImage::from_pixel(20, 20, image::Luma([255]));
        assert!(scan_image(&png_of(&tiny)).unwrap().is_empty());
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
                matches!(scan_image(bytes), Err(ScanError::UnsupportedFormat)),
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
                matches!(scan_image(&png[..cut]), Err(ScanError::Decode(_))),
                "PNG cut at {cut}"
            );
        }
        for cut in [4, 100] {
            let result = scan_image(&jpeg[..cut]);
            assert!(
                matches!(result, Err(ScanError::Decode(_))),
                "JPEG cut at {cut}: {result:?}"
            );
        }
        // The JPEG decoder is lenient: cut inside the entropy-coded data, it returns the
        // picture with the missing part grey, so this is either an error or no code.
        let result = scan_image(&jpeg[..jpeg.len() / 2]);
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
            scan_image(&bomb),
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
            scan_image_with_limits(&png_header(101, 100), &limits),
            Err(ScanError::TooLarge {
                width: 101,
                height: 100,
                max_pixels: 10_000
            })
        ));
        assert!(matches!(
            scan_image_with_limits(&png_header(100, 100), &limits),
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
            scan_image_with_limits(&jpeg, &limits),
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
            scan_image_with_limits(&png, &limits),
            Err(ScanError::EncodedTooLarge { length, max }) if length == png.len() && max == png.len() - 1
        ));
        let limits = ScanLimits {
            max_encoded_bytes: png.len(),
            ..ScanLimits::default()
        };
        assert_eq!(
            texts(&scan_image_with_limits(&png, &limits).unwrap()),
            ["CQ1:LIMIT"]
        );
    }

    #[test]
    fn bad_frames_are_refused() {
        let frame = vec![255u8; 100 * 100];
        let cases: [(&[u8], u32, u32, u32, &str); 6] = [
            (&frame, 0, 100, 100, "zero width or height"),
            (&frame, 100, 0, 100, "zero width or height"),
            (&frame, 100, 100, 99, "row stride shorter than the width"),
            (
                &frame[..9_999],
                100,
                100,
                100,
                "buffer shorter than row_stride * (height - 1) + width",
            ),
            (
                &frame,
                50,
                100,
                101,
                "buffer shorter than row_stride * (height - 1) + width",
            ),
            (
                &frame,
                100,
                3,
                u32::MAX,
                "buffer shorter than row_stride * (height - 1) + width",
            ),
        ];
        for (luma, width, height, stride, reason) in cases {
            match scan_luma(luma, width, height, stride) {
                Err(ScanError::BadFrame { reason: got }) => assert_eq!(got, reason),
                other => panic!("{width}x{height} stride {stride}: {other:?}"),
            }
        }
        // Exactly long enough: last row unpadded.
        let frame = vec![255u8; 99 * 101 + 50];
        assert!(scan_luma(&frame, 50, 100, 101).unwrap().is_empty());
        // Over the pixel limit, refused before the buffer is even looked at.
        assert!(matches!(
            scan_luma(&frame, 100_000, 100_000, 100_000),
            Err(ScanError::TooLarge {
                width: 100_000,
                height: 100_000,
                ..
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

    /// The ZXing blackbox photos in `../shared/qr-photos/qrcode-1` (see the README
    /// there): at least 18 of the 20 must read exactly. Skipped when the folder is
    /// absent.
    #[test]
    fn real_photos_smoke() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/qr-photos/qrcode-1");
        if !folder.is_dir() {
            println!("real_photos_smoke skipped: {} not found", folder.display());
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
            let codes = scan_image(&std::fs::read(&path).unwrap());
            match codes {
                Ok(codes) if codes.iter().any(|code| code.text == expected) => exact += 1,
                other => println!("{}: not read exactly: {other:?}", path.display()),
            }
        }
        println!("real_photos_smoke: {exact} of {total} read exactly");
        assert_eq!(total, 20, "expected 20 photos in {}", folder.display());
        assert!(exact >= 18, "only {exact} of {total} photos read exactly");
    }
}
