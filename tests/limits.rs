//! The hostile inputs of `docs/security.md` "Resource limits": pictures that lie about
//! their size or inflate far beyond their file, a very large JPEG, the largest QR code,
//! and very long texts, each with what certqr must do with it.
//!
//! `tests/tests/resource_limits.rs` asserts every outcome; `examples/resource_limits.rs`
//! runs each case in a child process of its own and reports its peak resident memory and
//! wall time.

use std::io::Cursor;

use certqr_core::text;
use certqr_core::verify::{Status, Verifier};
use certqr_render::{self as render, EcLevel};
use certqr_scan::{self as scan, ScanError};
use image::codecs::jpeg::JpegEncoder;
use image::ExtendedColorType;
use sha2::{Digest, Sha256};

use crate::fixture::{self, Fixture};
use crate::forge;

/// The width and height the lying headers claim (a JPEG can only claim up to 65535).
pub const CLAIMED_SIDE: u32 = 100_000;

/// Size of the large JPEG, in bytes.
pub const LARGE_JPEG_BYTES: usize = 50_000_000;

/// A PNG chunk: length, type, data, CRC-32 (ISO/IEC 15948 §5.3).
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    out
}

/// CRC-32 as PNG (and zlib's crc32) computes it: polynomial 0xEDB88320, reflected.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

/// PNG colour types used here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PngColour {
    /// 8-bit grayscale: 1 byte a pixel.
    Gray8,
    /// 16-bit RGBA: 8 bytes a pixel, the most any PNG decodes to.
    Rgba16,
}

impl PngColour {
    fn bytes_per_pixel(self) -> usize {
        match self {
            PngColour::Gray8 => 1,
            PngColour::Rgba16 => 8,
        }
    }
}

/// A PNG of `width` x `height` pixels whose one IDAT chunk is the zlib stream of
/// `inflated_bytes` zero bytes (filter type 0 on every row, all pixels black or
/// transparent), at most a few thousand times smaller than what it inflates to.
/// `inflated_bytes` may be more or less than the picture needs.
pub fn png_of_zeros(width: u32, height: u32, colour: PngColour, inflated_bytes: usize) -> Vec<u8> {
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    let (depth, colour_type) = match colour {
        PngColour::Gray8 => (8u8, 0u8),
        PngColour::Rgba16 => (16, 6),
    };
    header.extend_from_slice(&[depth, colour_type, 0, 0, 0]);
    let idat = zlib_of_zeros(inflated_bytes);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &header));
    png.extend(png_chunk(b"IDAT", &idat));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

/// The bytes a PNG of this size and colour inflates to: one filter byte and the pixels
/// of every row.
pub fn png_image_bytes(width: u32, height: u32, colour: PngColour) -> usize {
    (width as usize * colour.bytes_per_pixel() + 1) * height as usize
}

/// zlib (RFC 1950) of `length` zero bytes, built without ever holding or compressing
/// them all: one megabyte of zeros is compressed once as a raw DEFLATE block that ends
/// on a full flush (byte-aligned, referring to nothing before it), that block is repeated,
/// and a final block holds the rest. The Adler-32 of `n` zeros is `(n mod 65521) << 16 | 1`.
pub fn zlib_of_zeros(length: usize) -> Vec<u8> {
    const CHUNK: usize = 1 << 20;
    let repeated = raw_deflate_of_zeros(CHUNK, TDEFLFlush::Full);
    let rest = raw_deflate_of_zeros(length % CHUNK, TDEFLFlush::Finish);
    let mut out = Vec::with_capacity(2 + repeated.len() * (length / CHUNK) + rest.len() + 4);
    out.extend_from_slice(&[0x78, 0xda]);
    for _ in 0..length / CHUNK {
        out.extend_from_slice(&repeated);
    }
    out.extend_from_slice(&rest);
    let adler = (u32::try_from(length % 65_521).unwrap_or(0) << 16) | 1;
    out.extend_from_slice(&adler.to_be_bytes());
    out
}

use miniz_oxide::deflate::core::TDEFLFlush;

fn raw_deflate_of_zeros(length: usize, flush: TDEFLFlush) -> Vec<u8> {
    use miniz_oxide::deflate::core::{
        compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLStatus,
    };
    // Window bits -15: raw DEFLATE, no zlib header.
    let mut compressor = CompressorOxide::new(create_comp_flags_from_zip_params(10, -15, 0));
    let zeros = vec![0u8; length];
    let mut input = zeros.as_slice();
    let mut buffer = vec![0u8; 1 << 16];
    let mut out = Vec::new();
    loop {
        let (status, consumed, written) = compress(&mut compressor, input, &mut buffer, flush);
        out.extend_from_slice(buffer.get(..written).unwrap_or_default());
        input = input.get(consumed..).unwrap_or_default();
        let done = match status {
            TDEFLStatus::Done => true,
            // A full flush reports Okay once everything is out.
            TDEFLStatus::Okay => input.is_empty() && written < buffer.len(),
            _ => true,
        };
        if done {
            return out;
        }
    }
}

/// A grayscale picture of `symbol` (black modules on white, 4-module quiet zone) at
/// `module_px` pixels a module, centred on a `side` x `side` canvas filled by `fill`.
pub fn picture_of(
    symbol: &render::QrSymbol,
    module_px: usize,
    side: usize,
    mut fill: impl FnMut(usize, usize) -> u8,
) -> Vec<u8> {
    let code_side = (symbol.width() + 2 * render::QUIET_ZONE_MODULES) * module_px;
    let offset = side.saturating_sub(code_side) / 2;
    let mut pixels = Vec::with_capacity(side * side);
    for y in 0..side {
        for x in 0..side {
            let inside = (offset..offset + code_side).contains(&x)
                && (offset..offset + code_side).contains(&y);
            let pixel = if inside {
                let module = |coordinate: usize| {
                    ((coordinate - offset) / module_px).checked_sub(render::QUIET_ZONE_MODULES)
                };
                match (module(x), module(y)) {
                    (Some(mx), Some(my)) if symbol.is_dark(mx, my) => 0,
                    _ => 255,
                }
            } else {
                fill(x, y)
            };
            pixels.push(pixel);
        }
    }
    pixels
}

/// Grayscale pixels as a JPEG of the given quality.
pub fn jpeg(pixels: &[u8], side: u32, quality: u8) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Cursor::new(Vec::new());
    JpegEncoder::new_with_quality(&mut out, quality).encode(
        pixels,
        side,
        side,
        ExtendedColorType::L8,
    )?;
    Ok(out.into_inner())
}

/// `jpeg` with the dimensions in its start-of-frame (SOF0) replaced: what a JPEG header
/// that lies about its size looks like. `None` if it has no SOF0 segment.
pub fn jpeg_claiming(jpeg: &[u8], width: u16, height: u16) -> Option<Vec<u8>> {
    let position = jpeg.windows(2).position(|pair| pair == [0xff, 0xc0])?;
    let mut out = jpeg.to_vec();
    // FF C0, length (2), precision (1), height (2), width (2).
    out.get_mut(position + 5..position + 7)?
        .copy_from_slice(&height.to_be_bytes());
    out.get_mut(position + 7..position + 9)?
        .copy_from_slice(&width.to_be_bytes());
    Some(out)
}

/// `jpeg` grown to `total` bytes with comment (COM) segments right after its
/// start-of-image marker: a valid JPEG of that size whose picture stays small.
pub fn jpeg_padded_to(jpeg: &[u8], total: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(total + 65_539);
    out.extend_from_slice(jpeg.get(..2).unwrap_or_default());
    let rest = jpeg.get(2..).unwrap_or_default();
    while out.len() + rest.len() + 4 < total {
        let room = total - out.len() - rest.len() - 4;
        let data = room.min(65_533);
        out.extend_from_slice(&[0xff, 0xfe]);
        out.extend_from_slice(&u16::try_from(data + 2).unwrap_or(u16::MAX).to_be_bytes());
        out.resize(out.len() + data, b'C');
    }
    out.extend_from_slice(rest);
    out
}

/// A fast deterministic byte stream (xorshift64*), for noise that JPEG cannot compress.
pub struct Noise(u64);

impl Noise {
    /// A stream from `seed` (never zero inside).
    pub fn new(seed: u64) -> Noise {
        Noise(seed | 1)
    }

    /// The next byte.
    pub fn next_byte(&mut self) -> u8 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d).to_be_bytes()[0]
    }
}

/// A genuine special operations certificate signed by the fixture's "emergency" key,
/// padded with an incompressible extension claim (key 100) so that its QR text is
/// exactly `text_length` characters (`CQ1:` and Base45). `None` if no padding gives
/// that length (a Base45 body is never 1 more than a multiple of 3).
pub fn padded_certificate_text(world: &Fixture, text_length: usize) -> Option<String> {
    let body = text_length.checked_sub(text::PREFIX.len())?;
    let document_length = match body % 3 {
        0 => body / 3 * 2,
        2 => body / 3 * 2 + 1,
        _ => return None,
    };
    let claims = crate::generator::sample_certificate(
        certqr_core::catalog::Family::SpecialOperations,
        time::macros::date!(2024 - 03 - 01),
    )
    .ok()?
    .to_claims();
    let head = *claims.first()?;
    if head & 0xe0 != 0xa0 || head & 0x1f >= 23 {
        return None;
    }
    let protected = forge::protected_header(
        -8,
        certqr_core::cose::DocumentKind::Certificate.content_type(),
        &world.emergency.public_key().key_id().0,
    );
    let mut stream = Vec::with_capacity(document_length + 32);
    let mut counter = 0u32;
    while stream.len() < document_length {
        stream.extend_from_slice(&Sha256::digest(counter.to_be_bytes()));
        counter += 1;
    }
    let sign = |padding: usize| {
        let mut padded = vec![head + 1];
        padded.extend_from_slice(claims.get(1..).unwrap_or_default());
        padded.extend_from_slice(&forge::int(100));
        padded.extend_from_slice(&forge::bytes(stream.get(..padding).unwrap_or_default()));
        forge::sign1(&world.emergency.key, &protected, &padded)
    };
    // The document grows by one byte with each byte of padding, and by two or three
    // where a byte string's head grows: start a little short of the length and step.
    let unpadded = sign(0).len();
    let start = document_length.checked_sub(unpadded)?.saturating_sub(4);
    for padding in start..=document_length {
        let document = sign(padding);
        if document.len() == document_length {
            let encoded = text::encode(&document);
            return (encoded.len() == text_length && encoded.starts_with(text::PREFIX))
                .then_some(encoded);
        }
        if document.len() > document_length {
            return None;
        }
    }
    None
}

/// A verifier with the fixture's trust list installed.
pub fn fixture_verifier(world: &Fixture) -> Option<Verifier> {
    let mut verifier = Verifier::new(vec![world.root.public_key()]);
    verifier
        .install_trust_list(&world.signed_trust_list().ok()?)
        .ok()?;
    Some(verifier)
}

/// What a case did, in one line: the error variant, the number of codes found, or the
/// verdict's status and reason codes.
pub fn describe_scan(result: &Result<Vec<scan::ScannedCode>, ScanError>) -> String {
    match result {
        Ok(codes) => format!("{} code(s) found", codes.len()),
        Err(ScanError::TooLarge {
            width,
            height,
            max_pixels,
        }) => format!("refused: TooLarge {{ {width}x{height}, max {max_pixels} px }}"),
        Err(ScanError::EncodedTooLarge { length, max }) => {
            format!("refused: EncodedTooLarge {{ {length} B, max {max} B }}")
        }
        Err(error) => format!("refused: {error}"),
    }
}

/// The verdict of `qr_text` at the fixture's instant, as status and reason codes.
pub fn describe_verdict(verifier: &Verifier, qr_text: &str) -> String {
    let verdict = verifier.verify(qr_text, fixture::NOW);
    let status = match verdict.status {
        Status::Valid => "valid",
        Status::Invalid => "invalid",
        Status::NotACertificate => "not-a-certificate",
        _ => "other",
    };
    let mut codes: Vec<&str> = verdict.reasons.iter().map(|reason| reason.code()).collect();
    codes.extend(verdict.warnings.iter().map(|warning| warning.code()));
    format!("{status} {codes:?}")
}

/// The largest certificate text, rendered as a version 40 QR code at level L.
pub fn largest_code(world: &Fixture) -> Option<(String, render::QrSymbol)> {
    let qr_text = padded_certificate_text(world, text::MAX_TEXT_LENGTH)?;
    let symbol = render::encode(&qr_text, EcLevel::L).ok()?;
    Some((qr_text, symbol))
}
