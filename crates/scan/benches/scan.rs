//! Scanning photos and camera frames, against one plain rxing pass measured in the same
//! run.
//!
//! `cargo bench -p certqr-core --bench scan` prints criterion's figures for a 1280x720
//! camera frame with one certqr code and one without, then a summary: for each frame the
//! median time per scan in frame mode and photo mode, and the ratio against the
//! baseline (targets: one code 2 ms or less, no code 1 ms or less); then, when
//! `../shared/qr-photos` is present, for the photos as they are, inverted and mirrored
//! (copies made in memory): codes read exactly and the median decode time per image
//! (the picture already decoded to grayscale), against the baseline (target: 132 or
//! more correct in each set).
//!
//! The baseline is one pass of rxing's `QRCodeReader` (QR only, default hints) over a
//! `HybridBinarizer` on the same pixels.

// Fixed inputs (a synthetic frame of known size, the photo set): a failure here is a
// broken benchmark.
#![allow(clippy::expect_used, clippy::indexing_slicing)]

use std::collections::HashSet;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use certqr_core::keys::Algorithm;
use certqr_render::{self as render, EcLevel};
use certqr_scan::{self as scan, ScanOptions};
use criterion::Criterion;
use rxing::common::HybridBinarizer;
use rxing::qrcode::QRCodeReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, Reader};

// The benchmark support of certqr-core: sample recording, medians and the fixture.
#[path = "../../../core/benches/support/mod.rs"]
mod support;
use support::{median, median_of, timed, Case};

const FRAME_WIDTH: u32 = 1280;
const FRAME_HEIGHT: u32 = 720;
/// Rounds over the photo set; each image's time is the median of its rounds.
const PHOTO_ROUNDS: usize = 3;

/// A grayscale picture: width, height and tight rows.
struct Luma {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

/// A small linear congruential generator: the same scene on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    fn below(&mut self, bound: u32) -> u32 {
        self.next() % bound.max(1)
    }
}

/// A camera-like 1280x720 scene without a code: uneven lighting, objects of every grey
/// with sharp edges, lines of small print, sensor noise and a slight blur.
fn scene() -> Luma {
    let (width, height) = (FRAME_WIDTH as usize, FRAME_HEIGHT as usize);
    let mut random = Lcg(0x5eed);
    let mut pixels: Vec<u8> = (0..width * height)
        .map(|index| {
            let (x, y) = (index % width, index / width);
            (80 + x * 110 / width + y * 40 / height) as u8
        })
        .collect();
    let fill = |pixels: &mut Vec<u8>, x0: usize, y0: usize, w: usize, h: usize, value: u8| {
        for y in y0..(y0 + h).min(height) {
            for x in x0..(x0 + w).min(width) {
                pixels[y * width + x] = value;
            }
        }
    };
    for _ in 0..60 {
        let (x, y) = (random.below(1280) as usize, random.below(720) as usize);
        let (w, h) = (
            10 + random.below(200) as usize,
            10 + random.below(200) as usize,
        );
        let value = 30 + random.below(200) as u8;
        fill(&mut pixels, x, y, w, h, value);
    }
    // A page of print: light paper, lines of dark glyph-sized blocks.
    fill(&mut pixels, 700, 60, 520, 600, 215);
    for line in 0..40 {
        let y = 80 + line * 14;
        let mut x = 720;
        while x < 1190 {
            let glyph = 3 + random.below(6) as usize;
            if random.below(6) != 0 {
                fill(&mut pixels, x, y, glyph, 8, 40 + random.below(40) as u8);
            }
            x += glyph + 1 + random.below(3) as usize;
        }
    }
    for pixel in &mut pixels {
        let noise = random.below(13) as i32 - 6;
        *pixel = (i32::from(*pixel) + noise).clamp(0, 255) as u8;
    }
    Luma {
        width: FRAME_WIDTH,
        height: FRAME_HEIGHT,
        pixels: box_blur(&pixels, width, height),
    }
}

/// A 3x3 box blur (edges copied).
fn box_blur(pixels: &[u8], width: usize, height: usize) -> Vec<u8> {
    let mut out = pixels.to_vec();
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            let mut sum = 0u32;
            for dy in 0..3 {
                for dx in 0..3 {
                    sum += u32::from(pixels[(y + dy - 1) * width + x + dx - 1]);
                }
            }
            out[y * width + x] = (sum / 9) as u8;
        }
    }
    out
}

/// The scene with `text` drawn as a QR symbol (error correction Q, 4 pixels a module,
/// grey on light grey) near the middle of the frame.
fn scene_with_code(text: &str) -> Luma {
    let Luma {
        width,
        height,
        mut pixels,
    } = scene();
    let symbol = render::encode(text, EcLevel::Q).expect("encodes");
    let (module_px, quiet) = (4usize, 4usize);
    let side = (symbol.width() + 2 * quiet) * module_px;
    let (left, top) = ((width as usize - side) / 2, (height as usize - side) / 2);
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (x / module_px, y / module_px);
            let dark = (quiet..quiet + symbol.width()).contains(&mx)
                && (quiet..quiet + symbol.width()).contains(&my)
                && symbol.is_dark(mx - quiet, my - quiet);
            pixels[(top + y) * width as usize + left + x] = if dark { 45 } else { 200 };
        }
    }
    Luma {
        width,
        height,
        pixels: box_blur(&pixels, width as usize, height as usize),
    }
}

/// The baseline: one plain rxing pass, the one code it finds (if any).
fn baseline_decode(luma: &Luma) -> Option<String> {
    let source =
        Luma8Source::new(luma.pixels.clone(), luma.width, luma.height).expect("sizes agree");
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        ..DecodeHints::default()
    };
    QRCodeReader
        .decode_with_hints(&mut BinaryBitmap::new(HybridBinarizer::new(source)), &hints)
        .ok()
        .map(|result| result.getText().to_owned())
}

/// Our scan of a tight luma buffer, the texts it found.
fn our_decode(luma: &Luma, options: &ScanOptions) -> Vec<String> {
    scan::LumaFrame::new(&luma.pixels, luma.width, luma.height, luma.width)
        .and_then(|frame| scan::scan_frame(&frame, options))
        .map(|codes| codes.into_iter().map(|code| code.text).collect())
        .unwrap_or_default()
}

/// Every `N.png`/`N.jpg` with its `N.txt` in the folders of `root`, as grayscale
/// (EXIF orientation applied), sorted by path.
fn photo_set(root: &Path) -> Vec<(PathBuf, Luma, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .flat_map(|folder| {
            std::fs::read_dir(folder.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|entry| entry.path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("png" | "jpg")
            )
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let expected = std::fs::read_to_string(path.with_extension("txt")).ok()?;
            let bytes = std::fs::read(&path).ok()?;
            let mut decoder = image::ImageReader::new(std::io::Cursor::new(bytes))
                .with_guessed_format()
                .ok()?
                .into_decoder()
                .ok()?;
            let orientation = image::ImageDecoder::orientation(&mut decoder).ok()?;
            let mut picture = image::DynamicImage::from_decoder(decoder).ok()?;
            picture.apply_orientation(orientation);
            let gray = picture.into_luma8();
            let luma = Luma {
                width: gray.width(),
                height: gray.height(),
                pixels: gray.into_raw(),
            };
            Some((path, luma, expected))
        })
        .collect()
}

/// How a set of photos is made from the originals.
type CopyOf = fn(&Luma) -> Luma;

fn inverted(luma: &Luma) -> Luma {
    Luma {
        width: luma.width,
        height: luma.height,
        pixels: luma.pixels.iter().map(|&pixel| 255 - pixel).collect(),
    }
}

fn mirrored(luma: &Luma) -> Luma {
    Luma {
        width: luma.width,
        height: luma.height,
        pixels: luma
            .pixels
            .chunks(luma.width as usize)
            .flat_map(|row| row.iter().rev().copied())
            .collect(),
    }
}

/// Correct reads and the median over images of each image's median decode time (ms).
fn score(
    photos: &[(PathBuf, Luma, String)],
    copy: CopyOf,
    decode: &dyn Fn(&Luma, &str) -> bool,
) -> (usize, f64) {
    let mut correct = 0;
    let mut times = Vec::with_capacity(photos.len());
    for (_, original, expected) in photos {
        let luma = copy(original);
        let mut rounds = Vec::with_capacity(PHOTO_ROUNDS);
        let mut read = false;
        for _ in 0..PHOTO_ROUNDS {
            let start = Instant::now();
            read = black_box(decode(&luma, expected));
            rounds.push(start.elapsed().as_secs_f64() * 1e3);
        }
        correct += usize::from(read);
        times.push(median_of(rounds));
    }
    (correct, median_of(times))
}

fn main() {
    let text = Case::new(Algorithm::Ed25519).qr_text;
    let empty = scene();
    let one = scene_with_code(&text);
    let frame = ScanOptions::frame();
    let photo = ScanOptions::photo();
    // The frames are what they claim to be, for us and for the baseline.
    assert_eq!(our_decode(&one, &frame), [text.as_str()]);
    assert_eq!(our_decode(&one, &photo), [text.as_str()]);
    assert_eq!(baseline_decode(&one).as_deref(), Some(text.as_str()));
    assert!(our_decode(&empty, &photo).is_empty());

    let mut criterion = Criterion::default().configure_from_args();
    for (name, luma) in [("one code", &one), ("no code", &empty)] {
        criterion.bench_function(&format!("1280x720 frame, {name}: frame mode"), |b| {
            b.iter_custom(|n| {
                timed(&format!("{name} frame"), n, || {
                    black_box(our_decode(black_box(luma), &frame));
                })
            })
        });
        criterion.bench_function(&format!("1280x720 frame, {name}: photo mode"), |b| {
            b.iter_custom(|n| {
                timed(&format!("{name} photo"), n, || {
                    black_box(our_decode(black_box(luma), &photo));
                })
            })
        });
        criterion.bench_function(&format!("1280x720 frame, {name}: baseline"), |b| {
            b.iter_custom(|n| {
                timed(&format!("{name} baseline"), n, || {
                    black_box(baseline_decode(black_box(luma)));
                })
            })
        });
    }
    criterion.final_summary();

    println!();
    println!("summary (median per scan over criterion's samples, this run):");
    for (name, target) in [("one code", 2.0), ("no code", 1.0)] {
        let baseline = median(&format!("{name} baseline")) * 1e3;
        for mode in ["frame", "photo"] {
            let ours = median(&format!("{name} {mode}")) * 1e3;
            println!(
                "  1280x720 {name:8} {mode} mode: {ours:7.3} ms, baseline {baseline:7.3} ms, \
                 ratio {:6.2}  (target <= {target} ms)",
                ours / baseline
            );
        }
    }

    // crates/scan -> the checkout -> the folder beside it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/qr-photos");
    let photos = photo_set(&root);
    if photos.is_empty() {
        println!("photo set skipped: no photos in {}", root.display());
        return;
    }
    println!(
        "photo set {} ({} images; decode only, median of {PHOTO_ROUNDS} rounds per image):",
        root.display(),
        photos.len()
    );
    let ours = |options: ScanOptions| {
        move |luma: &Luma, expected: &str| our_decode(luma, &options).iter().any(|t| t == expected)
    };
    let baseline = |luma: &Luma, expected: &str| baseline_decode(luma).as_deref() == Some(expected);
    let copies: [(&str, CopyOf); 3] = [
        ("original", |luma| Luma {
            width: luma.width,
            height: luma.height,
            pixels: luma.pixels.clone(),
        }),
        ("inverted", inverted),
        ("mirrored", mirrored),
    ];
    for (set, copy) in copies {
        let (base_correct, base_ms) = score(&photos, copy, &baseline);
        for (mode, options) in [("photo", photo.clone()), ("frame", frame.clone())] {
            let (correct, ms) = score(&photos, copy, &ours(options));
            println!(
                "  {set:8} {mode} mode: {correct:3}/{} correct, median {ms:6.3} ms/image; \
                 baseline {base_correct:3} correct, {base_ms:6.3} ms; ratio {:5.2}",
                photos.len(),
                ms / base_ms
            );
        }
    }
}
