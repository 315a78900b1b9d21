//! The default backend: rxing's ports of ZXing-C++ and ZXing (Java), driven pass by
//! pass.
//!
//! A pass binarises the picture ([`binarizer`](super::binarizer) or one global
//! threshold), looks for finder patterns along every third row, pairs them into
//! triples and samples and decodes each triple. The row search is this module's own
//! version of ZXing-C++'s `FindFinderPatterns`: it turns each row into runs a word at
//! a time and, from the same runs, notes where an inverted finder pattern (light on
//! dark) could be, so that the inverted pass only runs where one could be found.

use rxing::common::cpp_essentials::{
    ConcentricPattern, FindLeftGuardBy, FixedPattern, IsPattern, LocateConcentricPattern,
    PatternRow, PatternType, PatternView,
};
use rxing::common::{BitMatrix, DetectorRXingResult, GlobalHistogramBinarizer};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{GenerateFinderPatternSets, SampleQR};
use rxing::qrcode::decoder::qrcode_decoder::decode_bitmatrix;
use rxing::qrcode::detector::Detector;
use rxing::{point, Binarizer, DecodeHints, Luma8Source, LuminanceSource, Point};

use super::binarizer::{local_thresholds, LocalThresholds};
use super::{Effort, Found, ScanError};

/// A finder pattern across a row: dark, light, dark three times as wide, light, dark.
const FINDER: FixedPattern<5, 7, false> = FixedPattern::new([1, 1, 3, 1, 1]);
/// Rows searched: every third one, the densest ZXing-C++ uses (its "try harder"),
/// which finds the 3-module centre of a finder pattern down to 1 pixel a module.
const ROW_STEP: usize = 3;
/// Fewest inverted finder-pattern candidates worth an inverted pass: a code has
/// three finder patterns, each crossed by a row at least once.
const MIN_INVERTED_CANDIDATES: usize = 3;
/// The shortest side a downscaled copy may have: smaller, a code small enough to
/// fit in it would have modules under a pixel.
const MIN_DOWNSCALED_SIDE_PX: usize = 240;

/// Every QR code in a tight `width` x `height` luma buffer.
pub(super) fn scan(
    luma: &[u8],
    width: u32,
    height: u32,
    effort: Effort,
) -> Result<Vec<Found>, ScanError> {
    let (columns, rows) = (width as usize, height as usize);
    let Some((statistics, local)) = LocalThresholds::new(luma, columns, rows)
        .and_then(|statistics| statistics.matrix(false).map(|local| (statistics, local)))
    else {
        // Too small for local thresholds: one global threshold, both ways round.
        return Ok(global_passes(luma, width, height, true));
    };
    let search = find_finder_patterns(&local, ROW_STEP);
    let codes = codes_from(&local, search.patterns.clone());
    if !codes.is_empty() {
        return Ok(codes);
    }
    if effort == Effort::Frame {
        // Inverted: binarised from the same block statistics, and searched only
        // where the rows showed light finder patterns on dark whose columns, in the
        // bits flipped, look like one too. (Flipped bits are wrong in flat dark
        // areas, which the thresholds take for background, so they only vet the
        // candidates; print, whose gaps look like inverted finder patterns along a
        // row, rarely passes.)
        let mut flipped = local;
        flipped.flip_self();
        let plausible = search
            .inverted
            .iter()
            .filter(|&&(centre, range)| column_may_cross_finder(&flipped, centre, range))
            .count();
        if plausible < MIN_INVERTED_CANDIDATES {
            return Ok(Vec::new());
        }
        let Some(inverted) = statistics.matrix(true) else {
            return Ok(Vec::new());
        };
        let patterns = locate(&inverted, &search.inverted);
        return Ok(codes_from(&inverted, patterns));
    }
    // A photo: every pass in turn, until one finds something. The inverted picture is
    // searched row by row anew: the thresholds treat flat areas as background, so its
    // bits are not those of the picture flipped.
    let inverted = statistics.matrix(true);
    drop(statistics);
    if let Some(inverted) = &inverted {
        let codes = codes_from(inverted, find_finder_patterns(inverted, ROW_STEP).patterns);
        if !codes.is_empty() {
            return Ok(codes);
        }
    }
    for matrix in std::iter::once(&local).chain(&inverted) {
        if let Some(code) = one_code_by_zxing_port(matrix) {
            return Ok(vec![code]);
        }
    }
    // The global pass makes an inverted copy of the picture: free the bits first.
    drop((local, inverted));
    let codes = global_passes(luma, width, height, false);
    if !codes.is_empty() {
        return Ok(codes);
    }
    let codes = mirrored_copy(luma, columns, rows);
    if !codes.is_empty() {
        return Ok(codes);
    }
    Ok(smaller_copies(luma, columns, rows))
}

/// The local passes on the picture mirrored left to right. The detectors search rows
/// left to right and pair finder patterns by their turn, so a few codes they miss
/// read mirrored (2 of the 145 photos of the evaluation set, whose mirrored copies
/// read only this way). The corners are mirrored back.
fn mirrored_copy(luma: &[u8], width: usize, height: usize) -> Vec<Found> {
    let mirrored: Vec<u8> = luma
        .chunks_exact(width)
        .take(height)
        .flat_map(|row| row.iter().rev().copied())
        .collect();
    for invert in [false, true] {
        let Some(matrix) = local_thresholds(&mirrored, width, height, invert) else {
            continue;
        };
        let mut codes = codes_from(&matrix, find_finder_patterns(&matrix, ROW_STEP).patterns);
        if codes.is_empty() {
            codes.extend(one_code_by_zxing_port(&matrix));
        }
        if !codes.is_empty() {
            for code in &mut codes {
                for corner in &mut code.corners {
                    corner.0 = width as f32 - corner.0;
                }
            }
            return codes;
        }
    }
    Vec::new()
}

/// Codes too large for the local thresholds' 40-pixel window (modules of a dozen
/// pixels and more, a code filling a large photo): the local passes again on copies
/// a half and a quarter the size, averaged 2x2 and 4x4, while their shorter side
/// keeps at least [`MIN_DOWNSCALED_SIDE_PX`] pixels. The corners are scaled back.
fn smaller_copies(luma: &[u8], width: usize, height: usize) -> Vec<Found> {
    for factor in [2usize, 4] {
        if width.min(height) / factor < MIN_DOWNSCALED_SIDE_PX {
            break;
        }
        let (small, small_width, small_height) = downscaled(luma, width, height, factor);
        for invert in [false, true] {
            let Some(matrix) = local_thresholds(&small, small_width, small_height, invert) else {
                continue;
            };
            let mut codes = codes_from(&matrix, find_finder_patterns(&matrix, ROW_STEP).patterns);
            if codes.is_empty() {
                codes.extend(one_code_by_zxing_port(&matrix));
            }
            if !codes.is_empty() {
                let scale = factor as f32;
                for code in &mut codes {
                    for corner in &mut code.corners {
                        *corner = (corner.0 * scale, corner.1 * scale);
                    }
                }
                return codes;
            }
        }
    }
    Vec::new()
}

/// `luma` shrunk by `factor` in each direction, each pixel the mean of a
/// `factor` x `factor` square (a partial square at the right and bottom edges is
/// dropped).
fn downscaled(luma: &[u8], width: usize, height: usize, factor: usize) -> (Vec<u8>, usize, usize) {
    let (small_width, small_height) = (width / factor, height / factor);
    let mut sums = vec![0u32; small_width];
    let mut small = Vec::with_capacity(small_width * small_height);
    for band in luma.chunks_exact(width * factor).take(small_height) {
        sums.fill(0);
        for row in band.chunks_exact(width) {
            for (sum, pixels) in sums.iter_mut().zip(row.chunks_exact(factor)) {
                *sum += pixels.iter().map(|&pixel| u32::from(pixel)).sum::<u32>();
            }
        }
        let area = (factor * factor) as u32;
        small.extend(
            sums.iter()
                .map(|&sum| u8::try_from(sum / area).unwrap_or(u8::MAX)),
        );
    }
    (small, small_width, small_height)
}

/// One global threshold (rxing's `GlobalHistogramBinarizer`): reads some evenly lit
/// codes the local thresholds break up. The picture as it is, then inverted; for each
/// the ZXing-C++ detector, then the ZXing (Java) one.
fn global_passes(luma: &[u8], width: u32, height: u32, dense: bool) -> Vec<Found> {
    let Ok(source) = Luma8Source::new_with_slice(luma, width, height) else {
        return Vec::new();
    };
    let mut inverted_source = source.clone();
    inverted_source.invert();
    for source in [source, inverted_source] {
        let binarizer = GlobalHistogramBinarizer::new(source);
        let Ok(matrix) = binarizer.get_black_matrix() else {
            continue;
        };
        let step = if dense { 1 } else { ROW_STEP };
        let codes = codes_from(matrix, find_finder_patterns(matrix, step).patterns);
        if !codes.is_empty() {
            return codes;
        }
        if let Some(code) = one_code_by_zxing_port(matrix) {
            return vec![code];
        }
    }
    Vec::new()
}

/// What the row search found.
struct FinderSearch {
    /// Finder patterns, located in two dimensions.
    patterns: Vec<ConcentricPattern>,
    /// Centres (and search ranges) of rows crossing what could be an inverted finder
    /// pattern, not yet located.
    inverted: Vec<(Point, i32)>,
}

/// Finder patterns along every `step`-th row of `matrix`, as ZXing-C++'s
/// `FindFinderPatterns` finds them, and the candidates for inverted ones.
fn find_finder_patterns(matrix: &BitMatrix, step: usize) -> FinderSearch {
    let mut search = FinderSearch {
        patterns: Vec::new(),
        inverted: Vec::new(),
    };
    let mut runs: Vec<PatternType> = Vec::new();
    let height = matrix.height() as usize;
    for y in (step.saturating_sub(1)..height).step_by(step.max(1)) {
        let Ok(y_u32) = u32::try_from(y) else { break };
        row_runs(matrix, y_u32, &mut runs);
        let centre_y = y as f32 + 0.5;
        let row = PatternRow::new(runs.clone());
        for_each_finder_crossing(&row, |x, range| {
            let centre = point(x, centre_y);
            if !inside_known(&search.patterns, centre) {
                if let Some(pattern) = locate_one(matrix, centre, range) {
                    search.patterns.push(pattern);
                }
            }
        });
        // The same runs with light and dark swapped: a zero-length dark run in front
        // so that the first light run becomes the first "bar", and a zero-length
        // light run at the end if needed.
        let mut swapped = Vec::with_capacity(runs.len() + 2);
        swapped.push(0);
        swapped.extend_from_slice(&runs);
        if swapped.len() % 2 == 0 {
            swapped.push(0);
        }
        for_each_finder_crossing(&PatternRow::new(swapped), |x, range| {
            search.inverted.push((point(x, centre_y), range));
        });
    }
    search
}

/// Locate candidates (from [`FinderSearch::inverted`]) in `matrix`.
fn locate(matrix: &BitMatrix, candidates: &[(Point, i32)]) -> Vec<ConcentricPattern> {
    let mut patterns = Vec::new();
    for &(centre, range) in candidates {
        if inside_known(&patterns, centre) {
            continue;
        }
        if let Some(pattern) = locate_one(matrix, centre, range) {
            patterns.push(pattern);
        }
    }
    patterns
}

/// The finder pattern whose centre a row crossed at `centre`, located in two
/// dimensions by ZXing-C++'s `LocateConcentricPattern`, after a quicker copy of its
/// first test has ruled out most of the places that are not one.
fn locate_one(matrix: &BitMatrix, centre: Point, range: i32) -> Option<ConcentricPattern> {
    if !column_may_cross_finder(matrix, centre, range) {
        return None;
    }
    LocateConcentricPattern::<true, 5, 7>(matrix, &FINDER.into(), centre, range)
}

/// `LocateConcentricPattern`'s first test, the column through `centre`: five runs
/// around it, symmetric, within `range` pixels in all, in the proportions 1:1:3:1:1.
/// rxing reads each pixel of that walk through a division and a float conversion;
/// here it is plain bit reads. Where the walk would reach the picture's edge, rxing
/// treats the edge specially, and this answers `true` to leave the case to it, so it
/// never rejects a place rxing would accept.
fn column_may_cross_finder(matrix: &BitMatrix, centre: Point, range: i32) -> bool {
    let Ok(x) = u32::try_from(centre.x.floor() as i64) else {
        return true;
    };
    let y = centre.y.floor() as i64;
    let height = i64::from(matrix.height());
    let colour = |row: i64| {
        u32::try_from(row)
            .ok()
            .and_then(|row| matrix.try_get(x, row))
    };
    // Steps from `*at` in direction `step` to the first pixel of the other colour,
    // as rxing's `FastEdgeToEdgeCounter::stepToNextEdge`: `Some(0)` when there is
    // none within `limit`, `None` when the picture's edge comes first.
    let to_next_edge = |at: &mut i64, step: i64, limit: i64| -> Option<i64> {
        let start = colour(*at)?;
        let mut steps = 0;
        loop {
            steps += 1;
            let next = *at + step * steps;
            if next < 0 || next >= height {
                return None;
            }
            if steps > limit {
                return Some(0);
            }
            if colour(next)? != start {
                break;
            }
        }
        *at += step * steps;
        Some(steps)
    };
    let (mut down, mut up) = (y, y);
    let mut range = i64::from(range);
    let mut runs = [0 as PatternType; 5];
    let Some(centre_down) = to_next_edge(&mut down, 1, range) else {
        return true;
    };
    if centre_down == 0 {
        return false;
    }
    let Some(centre_up) = to_next_edge(&mut up, -1, range) else {
        return true;
    };
    if centre_up == 0 {
        return false;
    }
    let centre_run = centre_down + centre_up - 1;
    runs[2] = PatternType::try_from(centre_run).unwrap_or(PatternType::MAX);
    range -= centre_run;
    for ring in 1..=2usize {
        for (at, step, slot) in [(&mut down, 1i64, 2 + ring), (&mut up, -1, 2 - ring)] {
            let Some(run) = to_next_edge(at, step, range) else {
                return true;
            };
            if let Some(entry) = runs.get_mut(slot) {
                *entry = PatternType::try_from(run).unwrap_or(PatternType::MAX);
            }
            range -= run;
            if run == 0 {
                return false;
            }
        }
    }
    IsPattern::<true, 5, 7, false>(
        &PatternView::from_slice(&runs),
        &FINDER,
        None,
        0.0,
        0.0,
        0.0,
    ) != 0.0
}

/// Whether `centre` lies inside a finder pattern already found.
fn inside_known(patterns: &[ConcentricPattern], centre: Point) -> bool {
    patterns
        .iter()
        .any(|known| Point::distance(centre, known.p) < known.size as f32 / 2.0)
}

/// The runs of one row, light first (a zero-length light run when the row starts
/// dark) and light last, as ZXing-C++'s `GetPatternRow` makes them, counted a word at
/// a time.
fn row_runs(matrix: &BitMatrix, y: u32, runs: &mut Vec<PatternType>) {
    runs.clear();
    let width = matrix.width() as usize;
    let row = matrix.getRow(y);
    let words = row.getBitArray();
    let word_bits = usize::BITS as usize;
    let mut dark = false;
    let mut count = 0usize;
    let mut x = 0usize;
    while x < width {
        let word = words.get(x / word_bits).copied().unwrap_or(0) >> (x % word_bits);
        let available = (word_bits - x % word_bits).min(width - x);
        let same = if dark { !word } else { word }.trailing_zeros() as usize;
        let taken = same.min(available);
        count += taken;
        x += taken;
        if taken < available {
            runs.push(PatternType::try_from(count).unwrap_or(PatternType::MAX));
            count = 0;
            dark = !dark;
        }
    }
    runs.push(PatternType::try_from(count).unwrap_or(PatternType::MAX));
    if dark {
        runs.push(0);
    }
}

/// Calls `found(x, range)` for every place in `row` that crosses a finder pattern's
/// centre: its x and the distance a two-dimensional search should look.
fn for_each_finder_crossing(row: &PatternRow, mut found: impl FnMut(f32, i32)) {
    let mut next = PatternView::new(row);
    while let Ok(view) = FindLeftGuardBy::<5, _>(next, 5, |view, space| {
        // The quick plausibility test of ZXing-C++ before the exact one.
        let run = |index: isize| u32::from(view[index]);
        if run(2) < 3 || run(2) < 2 * run(0).max(run(4)) || run(2) < run(1).max(run(3)) {
            return false;
        }
        IsPattern::<true, 5, 7, false>(view, &FINDER, space, 0.1, 0.0, 0.0) != 0.0
    }) {
        if !view.isValid() {
            break;
        }
        let x = f32::from(view.pixelsInFront())
            + f32::from(view[0])
            + f32::from(view[1])
            + f32::from(view[2]) / 2.0;
        let width: i32 = (0..5).map(|index| i32::from(view[index])).sum();
        found(x, width * 3); // 3 for very skewed samples
        next = view;
        next.skipPair();
        next.skipPair();
        next.extend();
    }
}

/// Every code the triples of `patterns` make: sampled and decoded, most plausible
/// triple first, each finder pattern used by one code at most.
fn codes_from(matrix: &BitMatrix, mut patterns: Vec<ConcentricPattern>) -> Vec<Found> {
    let triples = GenerateFinderPatternSets(&mut patterns);
    let mut used = Vec::new();
    let mut codes = Vec::new();
    for triple in triples {
        let corners = [triple.bl, triple.tl, triple.tr];
        // Once a pattern has been read, triples that reuse it are impostors pairing
        // it with another code's patterns.
        if corners.iter().any(|pattern| used.contains(pattern)) {
            continue;
        }
        let Ok(detected) = SampleQR(matrix, &triple) else {
            continue;
        };
        let Some(found) = decoded(detected.getBits(), detected.getPoints()) else {
            continue;
        };
        used.extend(corners);
        codes.push(found);
    }
    codes
}

/// rxing's port of the original ZXing (Java) detector, which sometimes finds a code
/// the ZXing-C++ detector misses. It finds at most one code.
fn one_code_by_zxing_port(matrix: &BitMatrix) -> Option<Found> {
    let hints = DecodeHints {
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let detected = Detector::new(matrix).detect_with_hints(&hints).ok()?;
    let (bits, points) = (detected.getBits(), detected.getPoints());
    decoded(bits, points).or_else(|| {
        // The ZXing (Java) decoder, which retries in the mirrored reading order when
        // the normal one fails (the ZXing-C++ decoder only picks the order whose
        // format information reads better).
        let result = decode_bitmatrix(bits).ok()?;
        Some(Found {
            text: Some(result.getText().to_owned()),
            bytes: result.getByteSegments().concat(),
            corners: corners_of(points),
        })
    })
}

/// The payload of a sampled symbol, if it decodes.
fn decoded(bits: &BitMatrix, points: &[Point]) -> Option<Found> {
    let result = Decode(bits).ok()?;
    if !result.isValid() {
        return None;
    }
    Some(Found {
        text: Some(result.text()),
        bytes: result.content().bytes().to_vec(),
        corners: corners_of(points),
    })
}

fn corners_of(points: &[Point]) -> Vec<(f32, f32)> {
    points.iter().map(|point| (point.x, point.y)).collect()
}
