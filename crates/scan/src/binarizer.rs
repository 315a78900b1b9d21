//! Local thresholds: luma to black and white, 8x8 block by 8x8 block.
//!
//! The algorithm is ZXing's `HybridBinarizer`, the one rxing and ZXing-C++ use for QR
//! codes, so a picture binarises to exactly the same bits: each 8x8 block gets a black
//! point (its mean, or for a flat block half its minimum, raised to its neighbours'
//! black point when it is darker than they are), and each pixel is black when it is at
//! most the mean black point of the 5x5 blocks around its own. Written here because
//! rxing's version sets one bit at a time and took 80% of the time of a camera frame;
//! this one packs whole words, and it binarises the picture inverted (light modules
//! on a dark ground) from the same block statistics, without an inverted copy and
//! without reading the statistics again.

use rxing::common::{BitArray, BitMatrix};

/// Side of a block, in pixels.
const BLOCK: usize = 8;
/// A block whose darkest and lightest pixels differ by this much or less is flat.
const MIN_DYNAMIC_RANGE: u8 = 24;
/// The smallest picture side the 5x5-block average works on; smaller pictures need a
/// global threshold.
pub(super) const MIN_SIDE_PX: usize = 5 * BLOCK;
/// Bits in a word of an rxing `BitMatrix` row.
const WORD_BITS: usize = usize::BITS as usize;

/// A picture's 8x8 block statistics, from which it binarises either way round.
pub(super) struct LocalThresholds<'a> {
    luma: &'a [u8],
    width: usize,
    height: usize,
    blocks_wide: usize,
    blocks_high: usize,
    /// Per block, row by row of blocks: the sum, the minimum and the maximum of its
    /// 64 pixels.
    sums: Vec<u16>,
    mins: Vec<u8>,
    maxes: Vec<u8>,
}

impl<'a> LocalThresholds<'a> {
    /// The statistics of `luma`; `None` when a side is under [`MIN_SIDE_PX`] or
    /// `luma` is shorter than `width * height`.
    pub(super) fn new(luma: &'a [u8], width: usize, height: usize) -> Option<Self> {
        if width < MIN_SIDE_PX || height < MIN_SIDE_PX || luma.len() < width.checked_mul(height)? {
            return None;
        }
        let (blocks_wide, blocks_high) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
        let mut statistics = LocalThresholds {
            luma,
            width,
            height,
            blocks_wide,
            blocks_high,
            sums: Vec::with_capacity(blocks_wide * blocks_high),
            mins: Vec::with_capacity(blocks_wide * blocks_high),
            maxes: Vec::with_capacity(blocks_wide * blocks_high),
        };
        statistics.measure_blocks();
        Some(statistics)
    }

    /// The picture binarised, read inverted when `invert` is set.
    pub(super) fn matrix(&self, invert: bool) -> Option<BitMatrix> {
        let black_points = self.black_points(invert);
        binarise(
            self.luma,
            self.width,
            self.height,
            &black_points,
            self.blocks_wide,
            invert,
        )
    }

    /// Sum, minimum and maximum of every block: per band of eight rows, column-wise
    /// first (which the compiler vectorises), then eight columns at a time.
    fn measure_blocks(&mut self) {
        let (width, height) = (self.width, self.height);
        let mut column_sums = vec![0u16; width];
        let mut column_mins = vec![u8::MAX; width];
        let mut column_maxes = vec![0u8; width];
        for block_y in 0..self.blocks_high {
            column_sums.fill(0);
            column_mins.fill(u8::MAX);
            column_maxes.fill(0);
            let band_top = (block_y * BLOCK).min(height - BLOCK);
            for row in self.luma.chunks_exact(width).skip(band_top).take(BLOCK) {
                for (((&pixel, sum), min), max) in row
                    .iter()
                    .zip(column_sums.iter_mut())
                    .zip(column_mins.iter_mut())
                    .zip(column_maxes.iter_mut())
                {
                    *sum += u16::from(pixel);
                    *min = (*min).min(pixel);
                    *max = (*max).max(pixel);
                }
            }
            for block_x in 0..self.blocks_wide {
                // The last column of blocks is moved back to end at the edge.
                let start = (block_x * BLOCK).min(width - BLOCK);
                let columns = start..start + BLOCK;
                self.sums.push(
                    column_sums
                        .get(columns.clone())
                        .map_or(0, |sums| sums.iter().sum()),
                );
                self.mins.push(
                    column_mins
                        .get(columns.clone())
                        .and_then(|mins| mins.iter().min().copied())
                        .unwrap_or(0),
                );
                self.maxes.push(
                    column_maxes
                        .get(columns)
                        .and_then(|maxes| maxes.iter().max().copied())
                        .unwrap_or(0),
                );
            }
        }
    }

    /// The black point of every block, row by row of blocks, of the picture or of
    /// its inverse (whose block sum is 64 x 255 minus the sum, and whose minimum and
    /// maximum are the inverses of the maximum and minimum).
    fn black_points(&self, invert: bool) -> Vec<u8> {
        let blocks_wide = self.blocks_wide;
        let mut points: Vec<u8> = Vec::with_capacity(self.sums.len());
        let statistics = self.sums.iter().zip(&self.mins).zip(&self.maxes);
        for (index, ((&sum, &min), &max)) in statistics.enumerate() {
            let (sum, min, max) = if invert {
                (
                    (BLOCK * BLOCK * 255) as u32 - u32::from(sum),
                    u8::MAX - max,
                    u8::MAX - min,
                )
            } else {
                (u32::from(sum), min, max)
            };
            let (block_x, block_y) = (index % blocks_wide, index / blocks_wide);
            let point = if max - min > MIN_DYNAMIC_RANGE {
                sum / (BLOCK * BLOCK) as u32
            } else {
                // A flat block: taken as background (half its minimum) unless it is
                // darker than the blocks above and to the left, which makes it part of
                // a dark area.
                let mut point = u32::from(min) / 2;
                if block_y > 0 && block_x > 0 {
                    let at = |x: usize, y: usize| {
                        u32::from(points.get(y * blocks_wide + x).copied().unwrap_or(0))
                    };
                    let neighbours = (at(block_x, block_y - 1)
                        + 2 * at(block_x - 1, block_y)
                        + at(block_x - 1, block_y - 1))
                        / 4;
                    if u32::from(min) < neighbours {
                        point = neighbours;
                    }
                }
                point
            };
            points.push(u8::try_from(point).unwrap_or(u8::MAX));
        }
        points
    }
}

/// The picture binarised with local thresholds, read inverted when `invert` is set;
/// `None` when a side is under [`MIN_SIDE_PX`] or `luma` is shorter than
/// `width * height`.
pub(super) fn local_thresholds(
    luma: &[u8],
    width: usize,
    height: usize,
    invert: bool,
) -> Option<BitMatrix> {
    LocalThresholds::new(luma, width, height)?.matrix(invert)
}

/// Pixels compared with their block's threshold: one threshold per pixel column for
/// each band of eight rows, then whole rows compared and packed eight pixels at a
/// time with one multiplication.
fn binarise(
    luma: &[u8],
    width: usize,
    height: usize,
    black_points: &[u8],
    blocks_wide: usize,
    invert: bool,
) -> Option<BitMatrix> {
    let flip = if invert { u8::MAX } else { 0 };
    let blocks_high = black_points.len() / blocks_wide.max(1);
    let row_words = width.div_ceil(WORD_BITS);
    let mut bits = vec![0usize; row_words * height];
    let mut column_thresholds = vec![0u8; width];
    let mut black = vec![0u8; width.next_multiple_of(WORD_BITS)];
    let thresholds = block_thresholds(black_points, blocks_wide, blocks_high);
    for (block_y, band_thresholds) in thresholds.chunks_exact(blocks_wide).enumerate() {
        // The last column of blocks is moved back to end at the picture's edge,
        // overlapping the one before; a pixel there is black when either block calls
        // it black (as in ZXing), that is when it is at most the larger threshold.
        for (block_x, &threshold) in band_thresholds.iter().enumerate() {
            let start = (block_x * BLOCK).min(width - BLOCK);
            if let Some(columns) = column_thresholds.get_mut(start..start + BLOCK) {
                if block_x + 1 == blocks_wide && !width.is_multiple_of(BLOCK) {
                    let shared = BLOCK - width % BLOCK;
                    for (index, column) in columns.iter_mut().enumerate() {
                        *column = if index < shared {
                            (*column).max(threshold)
                        } else {
                            threshold
                        };
                    }
                } else {
                    columns.fill(threshold);
                }
            }
        }
        // Likewise the last band of rows: bits are ORed into rows the band before
        // already set.
        let band_top = (block_y * BLOCK).min(height - BLOCK);
        let rows = luma.chunks_exact(width).skip(band_top).take(BLOCK);
        let row_bits = bits.chunks_exact_mut(row_words).skip(band_top).take(BLOCK);
        for (row, words) in rows.zip(row_bits) {
            for ((out, &pixel), &threshold) in black.iter_mut().zip(row).zip(&column_thresholds) {
                *out = u8::from(pixel ^ flip <= threshold);
            }
            for (word, pixels) in words.iter_mut().zip(black.chunks_exact(WORD_BITS)) {
                *word |= pack(pixels);
            }
        }
    }
    let mut matrix =
        BitMatrix::new(u32::try_from(width).ok()?, u32::try_from(height).ok()?).ok()?;
    let mut row = BitArray::with_size(width);
    for (y, words) in bits.chunks_exact(row_words).enumerate() {
        for (index, &word) in words.iter().enumerate() {
            row.setBulk(index * WORD_BITS, word);
        }
        matrix.setRow(u32::try_from(y).ok()?, &row);
    }
    Some(matrix)
}

/// Each block's threshold: the mean black point of the 5x5 blocks around it (moved
/// inwards at the edges so that all 25 exist), from a summed-area table.
fn block_thresholds(black_points: &[u8], blocks_wide: usize, blocks_high: usize) -> Vec<u8> {
    // table[(y * (blocks_wide + 1)) + x]: the sum of the black points above and left
    // of block (x, y).
    let stride = blocks_wide + 1;
    let mut table = vec![0u32; stride * (blocks_high + 1)];
    for (y, points) in black_points.chunks_exact(blocks_wide).enumerate() {
        let mut row_sum = 0u32;
        for (x, &point) in points.iter().enumerate() {
            row_sum += u32::from(point);
            let above = table.get(y * stride + x + 1).copied().unwrap_or(0);
            if let Some(slot) = table.get_mut((y + 1) * stride + x + 1) {
                *slot = above + row_sum;
            }
        }
    }
    let at = |x: usize, y: usize| table.get(y * stride + x).copied().unwrap_or(0);
    let mut thresholds = Vec::with_capacity(blocks_wide * blocks_high);
    for block_y in 0..blocks_high {
        let top = block_y.clamp(2, blocks_high - 3);
        for block_x in 0..blocks_wide {
            let left = block_x.clamp(2, blocks_wide - 3);
            let (x0, y0, x1, y1) = (left - 2, top - 2, left + 3, top + 3);
            let sum = at(x1, y1) + at(x0, y0) - at(x0, y1) - at(x1, y0);
            thresholds.push(u8::try_from(sum / 25).unwrap_or(u8::MAX));
        }
    }
    thresholds
}

/// `WORD_BITS` bytes of 0 or 1 packed into a word, the first byte in the lowest bit.
fn pack(pixels: &[u8]) -> usize {
    let mut word = 0usize;
    for (index, eight) in pixels.chunks_exact(8).enumerate() {
        let lanes = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
        // Each lane is 0 or 1; the multiplication gathers lane i into bit 56 + i.
        let byte = lanes.wrapping_mul(0x0102_0408_1020_4080) >> 56;
        word |= (byte as usize) << (8 * index);
    }
    word
}
