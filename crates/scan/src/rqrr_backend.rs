//! The second backend: rqrr, a Rust port of quirc (cargo feature `rqrr`).
//!
//! rqrr thresholds the picture once, finds the finder patterns ("capstones"), groups
//! them and reads each grid, trying the mirrored reading order when the normal one
//! fails. It has no inverted or multi-scale pass of its own. Grouping copies the
//! whole prepared picture once per candidate group, so a picture full of
//! finder-pattern-like shapes is slow, though its memory stays at two copies.
//!
//! rqrr 0.11 panics on some pictures (a plain `assert!` on perspective-mapped
//! coordinates); the caller runs this under `catch_unwind`.

use rqrr::PreparedImage;

use super::{Found, ScanError};

/// Every QR code rqrr finds in a tight `width` x `height` luma buffer.
pub(super) fn scan(luma: &[u8], width: u32, height: u32) -> Result<Vec<Found>, ScanError> {
    // u32 fits usize on the targets this crate builds for; the caller checked that
    // `luma` holds width * height bytes.
    let (width, height) = (width as usize, height as usize);
    let mut prepared = PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        luma.get(y * width + x).copied().unwrap_or(u8::MAX)
    });
    let mut codes = Vec::new();
    for grid in prepared.detect_grids() {
        let mut bytes = Vec::new();
        if grid.decode_to(&mut bytes).is_err() {
            continue;
        }
        codes.push(Found {
            text: String::from_utf8(bytes.clone()).ok(),
            bytes,
            corners: grid
                .bounds
                .iter()
                .map(|point| (point.x as f32, point.y as f32))
                .collect(),
        });
    }
    Ok(codes)
}
