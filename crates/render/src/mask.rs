//! Drawing a QR symbol with the best mask, as the `qrcode` crate chooses it, faster.
//!
//! A QR encoder tries the eight mask patterns of ISO/IEC 18004 §7.8 and keeps the one
//! with the lowest penalty. `qrcode::QrCode::with_bits` scores each candidate with a
//! boxed closure allocated per module and pattern position, which made mask choice
//! about two thirds of the time of drawing a certificate's SVG (batch issuing of a
//! million codes). This module draws the same candidates with the crate's own canvas and
//! scores them on a plain array of dark/light modules with the crate's exact rules
//! (including its quirks: runs are scored 3 + (length − 5), the finder score is less
//! 360 for the symbol's own three finder patterns, the balance score is not rounded to
//! 5 % steps, and sums wrap at 16 bits like the crate's release build), so the chosen
//! mask and every module are identical; the test below checks that against the crate.

use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::{Color, EcLevel, Version};

/// The patterns in the order `qrcode` tries them: the first lowest score wins.
const PATTERNS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// A finder-like run, dark, light, dark ×3, light, dark, as seven bits (first module
/// highest).
const FINDER_BITS: u8 = 0b101_1101;

/// The finished symbol holding `bits`: its version, width in modules and the modules
/// row by row (`true` for dark), exactly as `qrcode::QrCode::with_bits` draws it.
/// `None` when the bits do not fit their version (the caller's sizing prevents it).
pub(super) fn draw(bits: Bits, ec: EcLevel) -> Option<(Version, usize, Vec<bool>)> {
    let version = bits.version();
    if !matches!(version, Version::Normal(_)) {
        return None;
    }
    let width = usize::try_from(version.width()).ok()?;
    let (data, error_correction) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec).ok()?;
    let mut canvas = Canvas::new(version, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &error_correction);
    let mut best: Option<(u16, Vec<bool>)> = None;
    for pattern in PATTERNS {
        let mut masked = canvas.clone();
        masked.apply_mask(pattern);
        let dark: Vec<bool> = masked
            .into_colors()
            .into_iter()
            .map(|color| color == Color::Dark)
            .collect();
        let score = penalty(&dark, width);
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, dark));
        }
    }
    best.map(|(_, dark)| (version, width, dark))
}

/// The total penalty of a masked symbol, as `qrcode` computes it: rows and columns
/// are scanned as contiguous lines (the columns from a transposed copy).
fn penalty(dark: &[bool], width: usize) -> u16 {
    let mut columns = vec![false; dark.len()];
    for (y, row) in dark.chunks_exact(width).enumerate() {
        for (x, &module) in row.iter().enumerate() {
            if let Some(cell) = columns.get_mut(x * width + y) {
                *cell = module;
            }
        }
    }
    let mut total: u16 = 0;
    let mut prefix = Vec::with_capacity(width + 1);
    for lines in [dark, columns.as_slice()] {
        let mut finder: u16 = 0;
        for line in lines.chunks_exact(width) {
            total = total.wrapping_add(run_penalty(line));
            finder = finder.wrapping_add(finder_penalty(line, &mut prefix));
        }
        total = total.wrapping_add(finder.wrapping_sub(360));
    }
    // 2×2 blocks of one colour, overlapping counted.
    for (upper, lower) in dark
        .chunks_exact(width)
        .zip(dark.chunks_exact(width).skip(1))
    {
        for (top, bottom) in upper.windows(2).zip(lower.windows(2)) {
            if let ([a, b], [c, d]) = (top, bottom) {
                if a == b && b == c && c == d {
                    total = total.wrapping_add(3);
                }
            }
        }
    }
    // Balance: how far the share of dark modules is from half, in half-percent steps.
    let dark_count = dark.iter().filter(|module| **module).count();
    let ratio = dark_count * 200 / dark.len().max(1);
    total.wrapping_add(u16::try_from(ratio.abs_diff(100)).unwrap_or(u16::MAX))
}

/// Runs of five or more modules of one colour: 3 + (length − 5) points each.
fn run_penalty(line: &[bool]) -> u16 {
    let mut total: u16 = 0;
    let mut run: u16 = 0;
    let mut last = None;
    for &module in line {
        if last == Some(module) {
            run = run.wrapping_add(1);
        } else {
            if run >= 5 {
                total = total.wrapping_add(run - 2);
            }
            last = Some(module);
            run = 1;
        }
    }
    if run >= 5 {
        total = total.wrapping_add(run - 2);
    }
    total
}

/// Finder-like patterns (dark, light, dark ×3, light, dark) without a dark module in
/// the four before or without one in the four after: 40 points each. `prefix` is
/// scratch space for counts of dark modules.
fn finder_penalty(line: &[bool], prefix: &mut Vec<u16>) -> u16 {
    prefix.clear();
    prefix.push(0);
    let mut count: u16 = 0;
    for &module in line {
        count = count.wrapping_add(u16::from(module));
        prefix.push(count);
    }
    let any_dark = |from: usize, to: usize| {
        prefix.get(to).copied().unwrap_or(0) > prefix.get(from).copied().unwrap_or(0)
    };
    let mut total: u16 = 0;
    let mut window: u8 = 0;
    for (index, &module) in line.iter().enumerate() {
        window = ((window << 1) | u8::from(module)) & 0x7f;
        if index >= 6 && window == FINDER_BITS {
            let start = index - 6;
            let dark_before = any_dark(start.saturating_sub(4), start);
            let dark_after = any_dark(start + 7, (start + 11).min(line.len()));
            if !dark_before || !dark_after {
                total = total.wrapping_add(40);
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bits of `text`; the canvas does not care how the segments were chosen.
    fn bits(text: &str, ec: EcLevel) -> Bits {
        qrcode::bits::encode_auto(text.as_bytes(), ec).unwrap()
    }

    /// Deterministic pseudo-random text of `length` characters from `alphabet`.
    fn text(seed: u64, length: usize, alphabet: &[u8]) -> String {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..length)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                alphabet[(state % alphabet.len() as u64) as usize] as char
            })
            .collect()
    }

    #[test]
    fn draws_exactly_what_the_qrcode_crate_draws() {
        let base45 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        let bytes = b"abcdefghijklmnopqrstuvwxyz0123456789{}[]\"':,";
        let levels = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];
        let mut checked = 0;
        for (seed, length) in (1..400).step_by(7).enumerate() {
            for alphabet in [&base45[..], &bytes[..]] {
                for ec in levels {
                    let text = text(seed as u64, length, alphabet);
                    let expected = qrcode::QrCode::with_bits(bits(&text, ec), ec).unwrap();
                    let (version, width, dark) = draw(bits(&text, ec), ec).unwrap();
                    assert_eq!(version, expected.version(), "{text}");
                    assert_eq!(width, expected.width(), "{text}");
                    let expected: Vec<bool> = expected
                        .into_colors()
                        .into_iter()
                        .map(|color| color == Color::Dark)
                        .collect();
                    assert_eq!(dark, expected, "{ec:?} {text}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 57 * 2 * 4);
    }
}
