//! Encoded pictures (PNG, JPEG) to 8-bit luma, upright as displayed.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, GrayImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::{check_pixels, ScanError, ScanLimits};

/// The PNG signature (ISO/IEC 15948 §5.2).
pub(super) const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// The JPEG start-of-image marker followed by the first byte of the next marker.
pub(super) const JPEG_SIGNATURE: &[u8] = b"\xff\xd8\xff";

/// Largest number of bytes a decoded pixel takes in any colour type PNG or JPEG
/// decode to (16-bit RGBA).
const MAX_BYTES_PER_DECODED_PIXEL: u64 = 8;
/// Allowance for the decoders' own buffers (PNG chunk data, inflate window, JPEG
/// tables) on top of the pixels.
const DECODER_SLACK_BYTES: u64 = 16 << 20;

/// A grayscale picture: `width` x `height` bytes, rows without padding.
pub(super) struct Luma {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) pixels: Vec<u8>,
}

/// The format, told by the signature.
pub(super) fn sniff_format(encoded: &[u8]) -> Option<ImageFormat> {
    if encoded.starts_with(PNG_SIGNATURE) {
        Some(ImageFormat::Png)
    } else if encoded.starts_with(JPEG_SIGNATURE) {
        Some(ImageFormat::Jpeg)
    } else {
        None
    }
}

/// Decode a PNG or JPEG to luma, refusing it from its header if it has too many
/// pixels, and turn it as its EXIF orientation says (a missing or unreadable EXIF
/// block leaves it as stored).
pub(super) fn decode_luma(
    encoded: &[u8],
    format: ImageFormat,
    limits: &ScanLimits,
) -> Result<Luma, ScanError> {
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
    // The EXIF block is at most one 64 KiB JPEG segment (or one PNG chunk, within the
    // allocation limit); an unreadable one is ignored, as viewers do.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    // Decoding the pixels: the decoder must stay within the header's dimensions.
    let mut pixel_limits = Limits::default();
    pixel_limits.max_image_width = Some(width);
    pixel_limits.max_image_height = Some(height);
    pixel_limits.max_alloc = Some(max_alloc);
    pixel_limits
        .reserve(decoder.total_bytes())
        .map_err(decode_error)?;
    decoder.set_limits(pixel_limits).map_err(decode_error)?;
    let picture = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    let (width, height) = (picture.width(), picture.height());
    let pixels = luma_on_white(picture);
    Ok(oriented(
        Luma {
            width,
            height,
            pixels,
        },
        orientation,
    ))
}

/// `luma` turned as an EXIF orientation says, so that it reads as displayed. Turning
/// by a quarter costs one more copy of the luma (1 byte a pixel); the others work in
/// place.
pub(super) fn oriented(luma: Luma, orientation: Orientation) -> Luma {
    if orientation == Orientation::NoTransforms {
        return luma;
    }
    let Luma {
        width,
        height,
        pixels,
    } = luma;
    match GrayImage::from_raw(width, height, pixels) {
        Some(buffer) => {
            let mut picture = DynamicImage::ImageLuma8(buffer);
            picture.apply_orientation(orientation);
            let (width, height) = (picture.width(), picture.height());
            Luma {
                width,
                height,
                pixels: picture.into_luma8().into_raw(),
            }
        }
        // Unreachable: the pixels came from a picture of this size. An empty picture
        // scans as one without a code.
        None => Luma {
            width: 0,
            height: 0,
            pixels: Vec::new(),
        },
    }
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
pub(super) fn rec709(red: u32, green: u32, blue: u32) -> u32 {
    (red * 2126 + green * 7152 + blue * 722 + 5000) / 10_000
}

/// `luma` seen through `alpha` (out of `opaque`) over white.
pub(super) fn over_white(luma: u32, alpha: u32, opaque: u32) -> u8 {
    let alpha = alpha.min(opaque);
    let value = (luma.min(255) * alpha + 255 * (opaque - alpha) + opaque / 2) / opaque.max(1);
    u8::try_from(value).unwrap_or(u8::MAX)
}
