//! Finding and reading QR codes (二维码) in photos and camera frames.
//!
//! Two calls, one for each input:
//!
//! - [`scan_image`]: an encoded photo (PNG or JPEG, turned upright as its EXIF
//!   orientation says);
//! - [`scan_frame`]: a camera frame's luma (Y) plane, a [`LumaFrame`] with its width,
//!   height and row stride as Android's `ImageProxy` and iOS's `CVPixelBuffer` hand it
//!   over.
//!
//! Both take [`ScanOptions`] and return every QR code found, each with its text (or
//! its bytes, when the payload is not text) and its corner points. Finding no code is
//! a normal outcome (an empty list), not an error.
//!
//! ```
//! use certqr_render as render;
//! use certqr_scan::{scan_frame, scan_image, LumaFrame, ScanOptions};
//!
//! // A photo someone took or sent: PNG or JPEG bytes, every pass.
//! let symbol = render::encode("CQ1:6BFOXN*TS0BI$ZD4N9", render::EcLevel::Q)?;
//! let png = symbol.to_png(4)?;
//! let codes = scan_image(&png, &ScanOptions::photo())?;
//! assert_eq!(codes.len(), 1);
//! assert_eq!(codes[0].text, "CQ1:6BFOXN*TS0BI$ZD4N9");
//! assert_eq!(codes[0].bytes, None); // the payload is text
//!
//! // A frame of a live camera preview: the same code drawn at 4 pixels a module
//! // with a 4-module quiet zone, on white rows padded to 256 bytes.
//! let side = (symbol.width() + 8) * 4;
//! let stride = 256;
//! let mut plane = vec![255u8; stride * side];
//! for y in 0..side {
//!     for x in 0..side {
//!         let (column, row) = ((x / 4).checked_sub(4), (y / 4).checked_sub(4));
//!         if let (Some(column), Some(row)) = (column, row) {
//!             let inside = column < symbol.width() && row < symbol.width();
//!             if inside && symbol.is_dark(column, row) {
//!                 plane[y * stride + x] = 0;
//!             }
//!         }
//!     }
//! }
//! let frame = LumaFrame::new(&plane, side as u32, side as u32, stride as u32)?;
//! let codes = scan_frame(&frame, &ScanOptions::frame())?;
//! assert_eq!(codes[0].text, "CQ1:6BFOXN*TS0BI$ZD4N9");
//!
//! // Most preview frames hold no code.
//! let white = vec![255u8; 640 * 480];
//! let frame = LumaFrame::new(&white, 640, 480, 640)?;
//! assert!(scan_frame(&frame, &ScanOptions::frame())?.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # How hard it looks
//!
//! [`ScanOptions::effort`] chooses between a live camera preview and a photo, whatever
//! the input: [`ScanOptions::frame`] for the frames of a preview, [`ScanOptions::photo`]
//! (which is also [`ScanOptions::default`]) for a photo, or for a single frame the
//! inspector captured on purpose.
//!
//! - [`Effort::Frame`] makes one quick pass: local thresholds (8x8 blocks), a search
//!   for finder patterns along every third row, and the decoding of each plausible
//!   triple. Light-on-dark (inverted) finder patterns are noted during the same row
//!   search; only when the rows and columns showed some does the frame pass
//!   binarise the picture inverted (from the same block statistics) and look there.
//!   Most preview frames hold no code, and a code missed in one frame is read in one
//!   of the next, 33 ms later.
//! - [`Effort::Photo`] (the default) then tries, each step only when the ones before
//!   found nothing: the inverted picture binarised anew; rxing's port of the ZXing
//!   (Java) detector on both; one global threshold instead of local ones, both ways
//!   round; the picture mirrored left to right; and copies a half and a quarter the
//!   size (multi-scale: modules too large for the local thresholds' 40-pixel window).
//!   A small code in a large photo is read at full resolution by the first pass.
//!
//! Mirrored codes (printed mirrored, or seen through the back of a transparent card)
//! read in both modes: the decoder tries the mirrored reading order. Rotation and
//! perspective are the detectors' business.
//!
//! # Backends
//!
//! rxing is the default ([`Backend::Rxing`]). With the `rqrr` cargo feature,
//! `Backend::Rqrr` uses the rqrr crate instead (it reads fewer photos; it is there
//! as a second, independent decoder).
//!
//! # Hostile input
//!
//! The pixels come from an inspector's camera or a file someone sent, so everything
//! here is hostile input: sizes are checked before anything is allocated for them (see
//! [`ScanLimits`] for the memory bound; a frame's geometry is checked against its
//! buffer by [`LumaFrame::new`]), and the third-party decoders (the `image` crate's PNG
//! and JPEG decoders, rxing and rqrr) run under [`std::panic::catch_unwind`], so a bug
//! in them becomes [`ScanError::DecoderPanicked`] instead of a crash. That only holds
//! when the app is built with `panic = "unwind"` (the default); with `panic = "abort"`
//! a decoder panic still ends the process.

use std::panic::{catch_unwind, AssertUnwindSafe};

mod binarizer;
mod frame;
mod picture;
#[cfg(feature = "rqrr")]
mod rqrr_backend;
mod rxing_backend;
#[cfg(test)]
mod tests;

pub use frame::{FrameError, LumaFrame};

/// A picture narrower or lower than a version 1 QR code at one pixel a module cannot
/// hold a code; it is answered with an empty list without running the decoder.
const MIN_SIDE_PX: u32 = 21;

/// Two results with the same payload whose centres are closer than this fraction of
/// the code's size are the same code found twice.
const SAME_POSITION_FRACTION: f32 = 0.25;

/// A QR code found in a picture.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannedCode {
    /// The decoded text; empty when the payload is not text (then [`Self::bytes`]
    /// holds it).
    pub text: String,
    /// The payload's bytes, only when they are not text: when, read in the character
    /// set the symbol names (or, without one, the one the decoder guesses: UTF-8,
    /// ISO-8859-1 or Shift_JIS), they hold control characters other than tab, line
    /// feed, carriage return and the GS1 group separator (U+001D). `None` for text.
    pub bytes: Option<Vec<u8>>,
    /// Where the code is, in pixel coordinates of the picture as displayed (x right,
    /// y down; for a JPEG, after its EXIF orientation is applied), exactly as the
    /// decoder reports them: usually the four corners of the symbol, or the three
    /// finder-pattern centres (and an alignment-pattern centre) when the fallback
    /// detector found it. Meant for drawing an outline, not for geometry that depends
    /// on which points they are.
    pub corners: Vec<(f32, f32)>,
}

/// Bounds on the pictures the scan functions accept.
///
/// Pictures over `max_pixels` are refused from their header, before any pixel is
/// decoded; nothing is downscaled to fit. Memory while scanning an encoded picture
/// peaks in one of two phases:
///
/// - Decoding: the encoded bytes (held by the caller, and copied once more by the JPEG
///   decoder), the decoded pixels in their native colour type (1 byte a pixel for a
///   grayscale picture, 3 for a colour JPEG, up to 8 for a 16-bit RGBA PNG) and 1 byte
///   a pixel of grayscale; turning the grayscale a quarter for its EXIF orientation
///   takes one more byte a pixel, after the native pixels are freed. The image
///   decoders are also held to 8 bytes a pixel plus 16 MiB of allocations.
/// - Scanning: the grayscale plus the QR decoder's working copies, at most 1.25 bytes
///   a pixel: binarised copies at 1 bit a pixel, and in [`Effort::Photo`]'s later
///   passes one inverted or mirrored grayscale copy at a time, or the multi-scale
///   copies (a quarter and a sixteenth of a byte a pixel).
///
/// With the defaults that bounds a colour JPEG at 2 x 64 MiB + 40 MP x 4 bytes, about
/// 300 MB, a 16-bit RGBA PNG at 64 MiB + 40 MP x 9 bytes, about 430 MB, and the
/// scanning phase at 40 MP x 2.25 bytes, 90 MB. Measured peak resident memory of a
/// whole process scanning a 39.9 MP picture: 161 MB for a 1 MB colour JPEG, 356 MB
/// for a 1.5 MB 16-bit RGBA PNG. A phone app that only scans camera frames can lower
/// `max_pixels`.
///
/// A camera frame given to [`scan_frame`] costs a tight grayscale copy (only when its
/// rows are padded) plus the working copies: 0.25 byte a pixel with [`Effort::Frame`],
/// 1.25 with [`Effort::Photo`]. Only `max_pixels` applies to a frame.
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

/// How hard a scan looks before it answers that there is no code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Effort {
    /// One quick pass, for the frames of a live camera preview: most hold no code,
    /// and a code missed in one frame is read in one of the next.
    Frame,
    /// Every pass, for a photo taken or received once.
    #[default]
    Photo,
}

/// Which QR decoder does the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Backend {
    /// rxing, a Rust port of ZXing: the default, and the one that reads most.
    #[default]
    Rxing,
    /// rqrr, a Rust port of quirc (cargo feature `rqrr`). It reads fewer damaged or
    /// blurred codes, and no inverted ones; [`Effort`] makes no difference to it.
    #[cfg(feature = "rqrr")]
    Rqrr,
}

/// Options of [`scan_image`] and [`scan_frame`]: how hard to look, with which decoder,
/// within which bounds.
///
/// Say what the pictures are: [`ScanOptions::frame`] for the frames of a live camera
/// preview, [`ScanOptions::photo`] for a photo (or a frame captured on purpose). The
/// default is [`ScanOptions::photo`], for either call: it looks as hard as it can with
/// rxing, within [`ScanLimits::default`]. The fields are public, so one can be changed
/// from either starting point:
///
/// ```
/// use certqr_scan::{ScanLimits, ScanOptions};
///
/// // A phone app that only scans its own camera's frames can lower the pixel bound.
/// let options = ScanOptions {
///     limits: ScanLimits { max_pixels: 12_000_000, ..ScanLimits::default() },
///     ..ScanOptions::frame()
/// };
/// assert_eq!(options.effort, certqr_scan::Effort::Frame);
/// assert_eq!(ScanOptions::default(), ScanOptions::photo());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScanOptions {
    /// How hard to look.
    pub effort: Effort,
    /// Which decoder.
    pub backend: Backend,
    /// Bounds on the picture.
    pub limits: ScanLimits,
}

impl ScanOptions {
    /// For the frames of a live camera preview: [`Effort::Frame`] (one quick pass),
    /// rxing, the default limits.
    pub fn frame() -> Self {
        ScanOptions {
            effort: Effort::Frame,
            ..ScanOptions::default()
        }
    }

    /// For a photo taken or received once: [`Effort::Photo`] (every pass), rxing, the
    /// default limits. The same as [`ScanOptions::default`].
    pub fn photo() -> Self {
        ScanOptions {
            effort: Effort::Photo,
            ..ScanOptions::default()
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
    /// A camera frame's dimensions, row stride and buffer length do not agree (from
    /// [`LumaFrame::new`]).
    #[error("bad camera frame: {0}")]
    BadFrame(FrameError),
    /// The image decoder or the QR decoder panicked on this input. The panic was
    /// caught; the picture is unreadable but the app is unharmed.
    #[error("the decoder panicked on this image")]
    DecoderPanicked,
}

/// Find and read every QR code in a PNG or JPEG.
///
/// The format is told by its signature, not trusted from a file name. The dimensions
/// are read from the header and checked against `options.limits` before any pixel is
/// decoded. Transparent pixels are taken as lying on white paper. A JPEG's (or PNG's)
/// EXIF orientation is applied first, so the corners refer to the picture as a viewer
/// displays it, not as its pixels are stored. A photo wants [`ScanOptions::photo`]
/// (the default).
///
/// # Errors
///
/// [`ScanError::EncodedTooLarge`] and [`ScanError::TooLarge`] past the limits,
/// [`ScanError::UnsupportedFormat`] for anything but PNG and JPEG,
/// [`ScanError::Decode`] for a corrupt picture, [`ScanError::DecoderPanicked`] if a
/// decoder panicked.
pub fn scan_image(encoded: &[u8], options: &ScanOptions) -> Result<Vec<ScannedCode>, ScanError> {
    let limits = &options.limits;
    if encoded.len() > limits.max_encoded_bytes {
        return Err(ScanError::EncodedTooLarge {
            length: encoded.len(),
            max: limits.max_encoded_bytes,
        });
    }
    let format = picture::sniff_format(encoded).ok_or(ScanError::UnsupportedFormat)?;
    let luma = isolate(|| picture::decode_luma(encoded, format, limits))??;
    find_codes(&luma.pixels, luma.width, luma.height, options)
}

/// Find and read every QR code in a camera frame's luma (Y) plane.
///
/// Only `options.limits.max_pixels` applies. The corners are in the frame's pixel
/// coordinates, as the sensor delivered it (turning it to the screen's orientation is
/// the app's business). A live preview wants [`ScanOptions::frame`]; the default,
/// [`ScanOptions::photo`], looks as hard as for a photo, which suits a frame the
/// inspector captured on purpose.
///
/// # Errors
///
/// [`ScanError::TooLarge`] past `options.limits.max_pixels`;
/// [`ScanError::DecoderPanicked`] if the decoder panicked. (A frame whose geometry
/// and buffer disagree was already refused by [`LumaFrame::new`].)
pub fn scan_frame(
    frame: &LumaFrame<'_>,
    options: &ScanOptions,
) -> Result<Vec<ScannedCode>, ScanError> {
    let (width, height) = (frame.width(), frame.height());
    check_pixels(width, height, &options.limits)?;
    // u32 fits usize on the 32- and 64-bit targets this crate builds for, and
    // LumaFrame::new checked width * height <= stride * (height - 1) + width <=
    // pixels.len(), so the `get`s below cannot fail; they answer BufferTooShort if
    // they somehow did.
    let (width_usize, stride_usize) = (width as usize, frame.stride() as usize);
    let tight_len = width_usize * height as usize;
    let too_short = || {
        ScanError::BadFrame(FrameError::BufferTooShort {
            length: frame.pixels().len(),
            required: frame.required_length(),
        })
    };
    if frame.stride() == frame.width() {
        let pixels = frame.pixels().get(..tight_len).ok_or_else(too_short)?;
        return find_codes(pixels, width, height, options);
    }
    let mut tight = Vec::with_capacity(tight_len);
    for row in frame.pixels().chunks(stride_usize).take(height as usize) {
        tight.extend_from_slice(row.get(..width_usize).ok_or_else(too_short)?);
    }
    find_codes(&tight, width, height, options)
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

/// Run `work`, turning a panic into [`ScanError::DecoderPanicked`].
fn isolate<T>(work: impl FnOnce() -> T) -> Result<T, ScanError> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|_| ScanError::DecoderPanicked)
}

/// A code as a backend reports it: the text its decoder made of the payload (`None`
/// when it could not make any), the payload's bytes and the corners.
struct Found {
    text: Option<String>,
    bytes: Vec<u8>,
    corners: Vec<(f32, f32)>,
}

/// Every QR code in a tight `width` x `height` luma buffer.
fn find_codes(
    luma: &[u8],
    width: u32,
    height: u32,
    options: &ScanOptions,
) -> Result<Vec<ScannedCode>, ScanError> {
    if width < MIN_SIDE_PX || height < MIN_SIDE_PX {
        return Ok(Vec::new());
    }
    let found = isolate(|| match options.backend {
        Backend::Rxing => rxing_backend::scan(luma, width, height, options.effort),
        #[cfg(feature = "rqrr")]
        Backend::Rqrr => rqrr_backend::scan(luma, width, height),
    })??;
    let mut codes: Vec<ScannedCode> = found.into_iter().map(scanned).collect();
    deduplicate(&mut codes);
    Ok(codes)
}

/// A backend's finding as the app sees it: text, or bytes when the payload is not
/// text.
fn scanned(found: Found) -> ScannedCode {
    let Found {
        text,
        bytes,
        corners,
    } = found;
    match text.filter(|text| is_text(text)) {
        Some(text) => ScannedCode {
            text,
            bytes: None,
            corners,
        },
        None => ScannedCode {
            text: String::new(),
            bytes: Some(bytes),
            corners,
        },
    }
}

/// Whether decoded payload is text: no control characters (C0, DEL, C1) other than
/// tab, line feed, carriage return and the GS1 group separator, and no replacement
/// character left by a failed conversion.
fn is_text(text: &str) -> bool {
    !text.chars().any(|character| {
        (character.is_control() && !matches!(character, '\t' | '\n' | '\r' | '\u{1d}'))
            || character == char::REPLACEMENT_CHARACTER
    })
}

/// Drop results that repeat an earlier one: same payload, centre within a quarter of
/// the code's size.
fn deduplicate(codes: &mut Vec<ScannedCode>) {
    let mut kept: Vec<ScannedCode> = Vec::with_capacity(codes.len());
    for code in codes.drain(..) {
        let repeat = kept.iter().any(|earlier| {
            earlier.text == code.text && earlier.bytes == code.bytes && {
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
