//! scan-eval: how many photos certqr's scanner reads and how fast, against zxing-cpp on
//! the same grey pixels in the same run.
//!
//! ```sh
//! CERTQR_PYTHON=.venv-test/bin/python \
//!   cargo run --release -p certqr-scan-eval --bin scan-eval -- \
//!   ../shared/qr-photos/qrcode-{1,2,3,4} --variants original,inverted,mirrored \
//!   --frames --degraded 1
//! ```
//!
//! Prints Markdown tables: per folder (and in total) the photos read exactly, the total
//! and median decode milliseconds of each decoder (decode only: the photo is already
//! grey in memory; one core; each photo's time is the median of `--repeats` runs) and
//! the ratio certqr / zxing-cpp of the medians. `--frames` times a 1280x720 camera
//! frame with one code and one without; `--degraded SEED` reads the seeded degraded
//! photos of certqr cards level by level. Without a Python (`--python` or
//! `$CERTQR_PYTHON`) with `zxing-cpp` installed, only certqr is measured.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use certqr_render::{self as render, EcLevel};
use certqr_scan::{Backend, Effort, ScanOptions};
use certqr_scan_eval::degrade::{self, Scene, SplitMix64, LEVELS, LEVEL_COUNT};
use certqr_scan_eval::measure::{self, Outcome, Summary};
use certqr_scan_eval::photos::{self, Photo, Variant};
use certqr_scan_eval::zxing::ZxingCpp;
use certqr_scan_eval::BenchError;
use clap::Parser;
use image::GrayImage;

/// Evaluate certqr's QR scanner against zxing-cpp.
#[derive(Debug, Parser)]
#[command(name = "scan-eval")]
struct Args {
    /// Folders of photos: N.png or N.jpg beside N.txt, the exact text expected.
    dirs: Vec<PathBuf>,
    /// Copies of the photos to read, comma-separated: original, inverted, mirrored.
    #[arg(long, value_delimiter = ',', default_value = "original")]
    variants: Vec<String>,
    /// Runs per picture; its time is the median. Default 3 for photos, 1 for degraded.
    #[arg(long)]
    repeats: Option<usize>,
    /// Python with zxing-cpp installed (default: $CERTQR_PYTHON).
    #[arg(long)]
    python: Option<PathBuf>,
    /// Time a 1280x720 camera frame with one code and one without.
    #[arg(long)]
    frames: bool,
    /// Runs of each camera frame.
    #[arg(long, default_value_t = 200)]
    frame_runs: usize,
    /// Read the seeded degraded photos of certqr cards made from this seed.
    #[arg(long, value_name = "SEED")]
    degraded: Option<u64>,
    /// Degraded photos per level (one in five is the arm's-length scene).
    #[arg(long, default_value_t = 100)]
    per_level: usize,
    /// Levels to run, comma-separated (default all, 0 to 5).
    #[arg(long, value_delimiter = ',')]
    levels: Vec<usize>,
    /// Also write the degraded photos as PNG files into this folder.
    #[arg(long, value_name = "DIR")]
    save_degraded: Option<PathBuf>,
    /// List the pictures each decoder missed.
    #[arg(long)]
    misses: bool,
    /// certqr's effort for photos and degraded photos: photo (every pass) or frame (one
    /// quick pass). Camera frames are measured with both.
    #[arg(long, default_value = "photo")]
    effort: String,
    /// certqr's backend: rxing, or rqrr (needs `--features rqrr`).
    #[arg(long, default_value = "rxing")]
    backend: String,
}

/// The scan options `args` ask for.
fn scan_options(args: &Args) -> Result<ScanOptions, BenchError> {
    let effort = match args.effort.as_str() {
        "photo" => Effort::Photo,
        "frame" => Effort::Frame,
        other => {
            return Err(BenchError::Usage(format!(
                "unknown effort {other:?}: use photo or frame"
            )))
        }
    };
    let backend = match args.backend.as_str() {
        "rxing" => Backend::Rxing,
        #[cfg(feature = "rqrr")]
        "rqrr" => Backend::Rqrr,
        other => {
            return Err(BenchError::Usage(format!(
                "unknown backend {other:?}: use rxing{}",
                if cfg!(feature = "rqrr") {
                    " or rqrr"
                } else {
                    " (rqrr needs --features rqrr)"
                }
            )))
        }
    };
    Ok(ScanOptions {
        effort,
        backend,
        ..ScanOptions::default()
    })
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("scan-eval: {error}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<(), BenchError> {
    let variants = args
        .variants
        .iter()
        .map(|name| {
            Variant::from_name(name.trim()).ok_or_else(|| {
                BenchError::Usage(format!(
                    "unknown variant {name:?}: use original, inverted or mirrored"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = scan_options(args)?;
    let zxing = args
        .python
        .clone()
        .or_else(|| {
            std::env::var_os("CERTQR_PYTHON")
                .filter(|path| !path.is_empty())
                .map(PathBuf::from)
        })
        .map(ZxingCpp::new);
    println!("# scan-eval");
    println!();
    println!(
        "certqr-scan {} (`scan::scan_frame`, {:?} backend, {:?} effort); baseline: {}; load average at start: {}",
        env!("CARGO_PKG_VERSION"),
        options.backend,
        options.effort,
        zxing.as_ref().map_or_else(
            || "none (no --python or CERTQR_PYTHON)".to_owned(),
            |zxing| format!("zxing-cpp through {}", zxing.python().display())
        ),
        load_average()
    );
    let mut versions = None;
    if !args.dirs.is_empty() {
        versions = folders(args, &options, &variants, zxing.as_ref())?.or(versions);
    }
    if args.frames {
        versions = frames(args, &options, zxing.as_ref())?.or(versions);
    }
    if let Some(seed) = args.degraded {
        versions = degraded(args, &options, seed, zxing.as_ref())?.or(versions);
    }
    println!();
    if let Some((zxing_version, python_version)) = versions {
        println!("zxing-cpp {zxing_version} on Python {python_version}");
    }
    println!("load average at end: {}", load_average());
    Ok(())
}

/// The 1, 5 and 15 minute load averages, from /proc/loadavg where there is one.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

type Versions = Option<(String, String)>;

/// zxing-cpp's outcomes for `images`, or empty outcomes when there is no Python.
fn zxing_outcomes(
    zxing: Option<&ZxingCpp>,
    images: &[&GrayImage],
    repeats: usize,
    versions: &mut Versions,
) -> Result<Option<Vec<Outcome>>, BenchError> {
    let Some(zxing) = zxing else {
        return Ok(None);
    };
    let batch = zxing.decode(images, repeats)?;
    *versions = Some((batch.zxing_version, batch.python_version));
    Ok(Some(batch.outcomes))
}

fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

fn ratio(certqr: f64, zxing: Option<&Summary>) -> String {
    match zxing {
        Some(zxing) if zxing.median_ms > 0.0 => format!("{:.2}", certqr / zxing.median_ms),
        _ => "-".to_owned(),
    }
}

fn folder_row(name: &str, certqr: &Summary, zxing: Option<&Summary>) {
    let (zxing_correct, zxing_total, zxing_median) = zxing.map_or_else(
        || ("-".to_owned(), "-".to_owned(), "-".to_owned()),
        |zxing| {
            (
                zxing.correct.to_string(),
                ms(zxing.total_ms),
                ms(zxing.median_ms),
            )
        },
    );
    println!(
        "| {name} | {} | {} | {zxing_correct} | {} | {} | {zxing_total} | {zxing_median} | {} |",
        certqr.total,
        certqr.correct,
        ms(certqr.total_ms),
        ms(certqr.median_ms),
        ratio(certqr.median_ms, zxing),
    );
}

fn folders(
    args: &Args,
    options: &ScanOptions,
    variants: &[Variant],
    zxing: Option<&ZxingCpp>,
) -> Result<Versions, BenchError> {
    let repeats = args.repeats.unwrap_or(3);
    let mut sets: Vec<(String, Vec<Photo>)> = Vec::new();
    for dir in &args.dirs {
        if !dir.is_dir() {
            println!("\nskipping {}: not a folder", dir.display());
            continue;
        }
        let name = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        sets.push((name, photos::load_folder(dir)?));
    }
    let mut versions = None;
    for &variant in variants {
        println!();
        println!(
            "## Photos, {} (decode ms: median of {repeats} runs per photo)",
            variant.name()
        );
        println!();
        println!("| folder | photos | certqr correct | zxing-cpp correct | certqr total ms | certqr median ms | zxing-cpp total ms | zxing-cpp median ms | median ratio certqr / zxing-cpp |");
        println!("|---|---|---|---|---|---|---|---|---|");
        let mut all_certqr = Vec::new();
        let mut all_zxing = Vec::new();
        let mut all_expected = Vec::new();
        let mut missed = Vec::new();
        for (name, photos) in &sets {
            eprintln!("{} {name}: {} photos", variant.name(), photos.len());
            let images: Vec<GrayImage> = photos
                .iter()
                .map(|photo| variant.apply(&photo.image))
                .collect();
            let certqr: Vec<Outcome> = images
                .iter()
                .map(|image| measure::certqr_with(image, repeats, options))
                .collect();
            let refs: Vec<&GrayImage> = images.iter().collect();
            let zxing_results = zxing_outcomes(zxing, &refs, repeats, &mut versions)?;
            let expected: Vec<&str> = photos.iter().map(|photo| photo.expected.as_str()).collect();
            let certqr_summary = Summary::of(&certqr, expected.iter().copied());
            let zxing_summary = zxing_results
                .as_ref()
                .map(|outcomes| Summary::of(outcomes, expected.iter().copied()));
            folder_row(name, &certqr_summary, zxing_summary.as_ref());
            for (number, photo) in photos.iter().enumerate() {
                let certqr_read = certqr.get(number).is_some_and(|o| o.reads(&photo.expected));
                let zxing_read = zxing_results
                    .as_ref()
                    .and_then(|outcomes| outcomes.get(number))
                    .map(|o| o.reads(&photo.expected));
                if !certqr_read || zxing_read == Some(false) {
                    missed.push(format!(
                        "{name}/{}: certqr {}, zxing-cpp {}",
                        photo.name,
                        if certqr_read { "read" } else { "missed" },
                        match zxing_read {
                            Some(true) => "read",
                            Some(false) => "missed",
                            None => "-",
                        }
                    ));
                }
            }
            all_certqr.extend(certqr);
            if let Some(outcomes) = zxing_results {
                all_zxing.extend(outcomes);
            }
            all_expected.extend(photos.iter().map(|photo| photo.expected.clone()));
        }
        let certqr_summary = Summary::of(&all_certqr, all_expected.iter().map(String::as_str));
        let zxing_summary = (zxing.is_some())
            .then(|| Summary::of(&all_zxing, all_expected.iter().map(String::as_str)));
        folder_row("**all**", &certqr_summary, zxing_summary.as_ref());
        if args.misses && !missed.is_empty() {
            println!();
            for line in missed {
                println!("- {line}");
            }
        }
    }
    Ok(versions)
}

fn frames(
    args: &Args,
    options: &ScanOptions,
    zxing: Option<&ZxingCpp>,
) -> Result<Versions, BenchError> {
    let text = degrade::sample_text(&mut SplitMix64::new(1))?;
    let symbol = render::encode(&text, EcLevel::Q).map_err(degrade::DegradeError::from)?;
    let with_code = degrade::camera_frame(11, Some(&symbol))?;
    let without_code = degrade::camera_frame(11, None)?;
    let runs = args.frame_runs.max(1);
    println!();
    println!(
        "## Camera frames, 1280x720 (median of {runs} runs; code: version {}, {} modules, about 4 px a module)",
        symbol.version(),
        symbol.width()
    );
    println!();
    println!("| frame | certqr read, frame effort | certqr median ms, frame effort | certqr read, photo effort | certqr median ms, photo effort | zxing-cpp read | zxing-cpp median ms | ratio certqr (frame effort) / zxing-cpp |");
    println!("|---|---|---|---|---|---|---|---|");
    let frame_effort = ScanOptions {
        effort: Effort::Frame,
        ..options.clone()
    };
    let photo_effort = ScanOptions {
        effort: Effort::Photo,
        ..options.clone()
    };
    let frames = [&with_code, &without_code];
    let quick: Vec<Outcome> = frames
        .iter()
        .map(|frame| measure::certqr_with(frame, runs, &frame_effort))
        .collect();
    let thorough: Vec<Outcome> = frames
        .iter()
        .map(|frame| measure::certqr_with(frame, runs, &photo_effort))
        .collect();
    let mut versions = None;
    let zxing_results = zxing_outcomes(zxing, &frames, runs, &mut versions)?;
    for (number, (name, expected)) in [("one code", Some(text.as_str())), ("no code", None)]
        .into_iter()
        .enumerate()
    {
        let verdict = |outcome: &Outcome| match expected {
            Some(expected) if outcome.reads(expected) => "read".to_owned(),
            Some(_) => "missed".to_owned(),
            None if outcome.texts.is_empty() => "nothing (right)".to_owned(),
            None => format!("{} code(s) (wrong)", outcome.texts.len()),
        };
        let (Some(quick), Some(thorough)) = (quick.get(number), thorough.get(number)) else {
            continue;
        };
        let zxing = zxing_results
            .as_ref()
            .and_then(|outcomes| outcomes.get(number));
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} |",
            verdict(quick),
            ms(quick.median_ms()),
            verdict(thorough),
            ms(thorough.median_ms()),
            zxing.map_or_else(|| "-".to_owned(), verdict),
            zxing.map_or_else(|| "-".to_owned(), |outcome| ms(outcome.median_ms())),
            zxing.map_or_else(
                || "-".to_owned(),
                |outcome| format!("{:.2}", quick.median_ms() / outcome.median_ms().max(1e-9))
            ),
        );
    }
    Ok(versions)
}

fn print_levels() {
    println!("| level | tilt ° | rotation ° | close-up px/module | arm's length mm | blur σ modules | noise σ | JPEG quality | light fall-off | glare | ink | paper | occlusion share of Q budget |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let range = |(low, high): (f64, f64)| {
        if (low - high).abs() < f64::EPSILON {
            format!("{low}")
        } else {
            format!("{low}–{high}")
        }
    };
    for (number, level) in LEVELS.iter().enumerate() {
        println!(
            "| {number} | {} | ±{} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            range(level.tilt_degrees),
            level.rotation_degrees,
            range(level.module_px),
            range(level.distance_mm),
            range(level.blur_modules),
            range(level.noise_sigma),
            level
                .jpeg_quality
                .map_or_else(|| "none".to_owned(), |(low, high)| format!("{low}–{high}")),
            range(level.light_falloff),
            range(level.glare),
            range(level.ink),
            range(level.paper),
            range(level.occlusion_of_budget),
        );
    }
}

fn degraded(
    args: &Args,
    options: &ScanOptions,
    seed: u64,
    zxing: Option<&ZxingCpp>,
) -> Result<Versions, BenchError> {
    let repeats = args.repeats.unwrap_or(1);
    let levels: Vec<usize> = if args.levels.is_empty() {
        (0..LEVEL_COUNT).collect()
    } else {
        args.levels.clone()
    };
    if let Some(dir) = &args.save_degraded {
        std::fs::create_dir_all(dir).map_err(|error| BenchError::io(dir, error))?;
    }
    println!();
    println!(
        "## Degraded photos of certqr cards (seed {seed}, {} per level, one in {} at arm's length)",
        args.per_level,
        degrade::ARMS_LENGTH_EVERY
    );
    println!();
    print_levels();
    println!();
    println!("| level | scene | photos | certqr read | certqr rate | zxing-cpp read | zxing-cpp rate | certqr median ms | zxing-cpp median ms |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut versions = None;
    for level in levels {
        let mut photos = Vec::with_capacity(args.per_level);
        let mut certqr = Vec::with_capacity(args.per_level);
        for index in 0..args.per_level {
            let photo = degrade::generate(seed, level, index)?;
            if let Some(dir) = &args.save_degraded {
                save(
                    &photo.image,
                    &dir.join(format!("level{level}-{index:03}.png")),
                )?;
            }
            certqr.push(measure::certqr_with(&photo.image, repeats, options));
            photos.push(photo);
        }
        eprintln!(
            "level {level}: {} photos made and read by certqr",
            photos.len()
        );
        let refs: Vec<&GrayImage> = photos.iter().map(|photo| &photo.image).collect();
        let zxing_results = zxing_outcomes(zxing, &refs, repeats, &mut versions)?;
        for scene in [Some(Scene::CloseUp), Some(Scene::ArmsLength), None] {
            let chosen: Vec<usize> = (0..photos.len())
                .filter(|&number| scene.is_none() || photos.get(number).map(|p| p.scene) == scene)
                .collect();
            let pick = |outcomes: &[Outcome]| -> Vec<Outcome> {
                chosen
                    .iter()
                    .filter_map(|&number| outcomes.get(number).cloned())
                    .collect()
            };
            let expected: Vec<&str> = chosen
                .iter()
                .filter_map(|&number| photos.get(number).map(|photo| photo.text.as_str()))
                .collect();
            let certqr_summary = Summary::of(&pick(&certqr), expected.iter().copied());
            let zxing_summary = zxing_results
                .as_ref()
                .map(|outcomes| Summary::of(&pick(outcomes), expected.iter().copied()));
            let scene_name = scene.map_or("**all**", Scene::name);
            println!(
                "| {level} | {scene_name} | {} | {} | {:.1} % | {} | {} | {} | {} |",
                certqr_summary.total,
                certqr_summary.correct,
                certqr_summary.percent(),
                zxing_summary.map_or_else(|| "-".to_owned(), |s| s.correct.to_string()),
                zxing_summary.map_or_else(|| "-".to_owned(), |s| format!("{:.1} %", s.percent())),
                ms(certqr_summary.median_ms),
                zxing_summary.map_or_else(|| "-".to_owned(), |s| ms(s.median_ms)),
            );
        }
        if args.misses {
            for (number, photo) in photos.iter().enumerate() {
                let certqr_read = certqr.get(number).is_some_and(|o| o.reads(&photo.text));
                let zxing_read = zxing_results
                    .as_ref()
                    .and_then(|outcomes| outcomes.get(number))
                    .map(|o| o.reads(&photo.text));
                if !certqr_read || zxing_read == Some(false) {
                    eprintln!(
                        "  level {level} photo {number} ({}): certqr {}, zxing-cpp {}",
                        photo.scene.name(),
                        if certqr_read { "read" } else { "missed" },
                        match zxing_read {
                            Some(true) => "read",
                            Some(false) => "missed",
                            None => "-",
                        }
                    );
                }
            }
        }
    }
    Ok(versions)
}

fn save(image: &GrayImage, path: &Path) -> Result<(), BenchError> {
    image.save(path).map_err(|source| BenchError::Image {
        path: path.display().to_string(),
        source,
    })
}
