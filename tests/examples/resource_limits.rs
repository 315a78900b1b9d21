//! Measures what each hostile input of `docs/security.md` "Resource limits" costs:
//! every case runs in a child process of its own, which reports its outcome, the time
//! the library call took, and its peak resident memory (`VmHWM` of `/proc/self/status`).
//! The outcome is compared with the expected one; any difference exits with status 1.
//!
//! ```sh
//! cargo run --release -p certqr-tests --example resource_limits
//! ```
//!
//! The inputs are written to a temporary directory first, so that a child's memory is
//! what the library needs for the input (the input bytes included), not what making
//! the input took. The `baseline` case only starts and reads its (empty) input.
// A measurement program: a failed unwrap or index stops it, with its location.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use certqr_core::text;
use certqr_render::{self as render, EcLevel};
use certqr_scan as scan;
use certqr_tests::fixture::Fixture;
use certqr_tests::limits::{self, PngColour};

/// One case: its name, what it is, and the outcome it must have.
struct Case {
    name: &'static str,
    what: &'static str,
    expected: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "baseline",
        what: "the child process alone (reads an empty input)",
        expected: "nothing",
    },
    Case {
        name: "png-claims-100000x100000",
        what: "PNG whose header claims 100000 x 100000 pixels, IDAT inflating to 1 GiB (1.0 MB file)",
        expected: "refused: TooLarge { 100000x100000, max 40000000 px }",
    },
    Case {
        name: "jpeg-claims-65535x65535",
        what: "JPEG of a QR code whose start-of-frame claims 65535 x 65535 pixels (the most a JPEG can)",
        expected: "refused: TooLarge { 65535x65535, max 40000000 px }",
    },
    Case {
        name: "jpeg-50mb-comments",
        what: "50 MB JPEG: a 600 x 600 picture of a certificate's QR code behind 50 MB of comment segments",
        expected: "1 code(s) found; valid []",
    },
    Case {
        name: "jpeg-50mb-noise",
        what: "50 MB JPEG of 36 MP: a certificate's QR code amid noise, quality 100",
        expected: "1 code(s) found; valid []",
    },
    Case {
        name: "jpeg-70mb",
        what: "70 MB JPEG (over the 64 MiB limit)",
        expected: "refused: EncodedTooLarge { 70000000 B, max 67108864 B }",
    },
    Case {
        name: "png-bomb-gray-36mp",
        what: "PNG bomb: 6000 x 6000 8-bit gray, 36 MB of pixels from a file under 40 KB",
        expected: "0 code(s) found",
    },
    Case {
        name: "png-bomb-rgba16-36mp",
        what: "PNG bomb: 6000 x 6000 16-bit RGBA, 288 MB of pixels from a file under 320 KB",
        expected: "0 code(s) found",
    },
    Case {
        name: "png-idat-1gib-for-1mp",
        what: "PNG of 1000 x 1000 gray whose IDAT inflates to 1 GiB (1.0 MB file)",
        expected: "0 code(s) found",
    },
    Case {
        name: "qr-3000-bytes",
        what: "rendering the QR text of a 3000-byte document (\"CQ1:\" and 4500 characters of Base45) at level L",
        expected: "refused: TooLong { 4504 characters, level L }",
    },
    Case {
        name: "qr-largest-certificate",
        what: "the largest certificate text (4296 characters, 2861 bytes) as a version 40-L PNG: scan, then verify",
        expected: "version 40; 1 code(s) found; valid [\"extension-claims-ignored\"]",
    },
    Case {
        name: "text-100kb-certqr",
        what: "verify \"CQ1:\" and 100 KB of Base45",
        expected: "invalid [\"malformed-text\"]",
    },
    Case {
        name: "text-100kb-plain",
        what: "verify 100 KB of plain text",
        expected: "not-a-certificate [\"not-certqr\"]",
    },
    Case {
        name: "text-100kb-link-path",
        what: "verify a link with a 100 KB path",
        expected: "not-a-certificate [\"website-link\"]",
    },
    Case {
        name: "text-100kb-link-host",
        what: "verify a link whose host is 100 KB long",
        expected: "not-a-certificate [\"website-link\"]",
    },
];

/// Write the input of `case` to `path` (nothing for cases built in memory).
fn prepare(world: &Fixture, case: &str, path: &Path) {
    let bytes: Vec<u8> = match case {
        "png-claims-100000x100000" => limits::png_of_zeros(
            limits::CLAIMED_SIDE,
            limits::CLAIMED_SIDE,
            PngColour::Gray8,
            1 << 30,
        ),
        "jpeg-claims-65535x65535" => {
            limits::jpeg_claiming(&small_code_jpeg(), 65_535, 65_535).unwrap()
        }
        "jpeg-50mb-comments" => {
            limits::jpeg_padded_to(&small_code_jpeg(), limits::LARGE_JPEG_BYTES)
        }
        "jpeg-50mb-noise" => noise_jpeg(),
        "jpeg-70mb" => limits::jpeg_padded_to(&small_code_jpeg(), 70_000_000),
        "png-bomb-gray-36mp" => limits::png_of_zeros(
            6000,
            6000,
            PngColour::Gray8,
            limits::png_image_bytes(6000, 6000, PngColour::Gray8),
        ),
        "png-bomb-rgba16-36mp" => limits::png_of_zeros(
            6000,
            6000,
            PngColour::Rgba16,
            limits::png_image_bytes(6000, 6000, PngColour::Rgba16),
        ),
        "png-idat-1gib-for-1mp" => limits::png_of_zeros(1000, 1000, PngColour::Gray8, 1 << 30),
        "qr-largest-certificate" => {
            let (_, symbol) = limits::largest_code(world).unwrap();
            symbol.to_png(4).unwrap()
        }
        _ => Vec::new(),
    };
    fs::write(path, bytes).unwrap();
}

/// A 600 x 600 JPEG of the genuine certificate's QR code.
fn small_code_jpeg() -> Vec<u8> {
    let qr_text = genuine_text();
    let symbol = render::encode(&qr_text, EcLevel::Q).unwrap();
    let pixels = limits::picture_of(&symbol, 8, 600, |_, _| 255);
    limits::jpeg(&pixels, 600, 90).unwrap()
}

/// A 6000 x 6000 JPEG of noise, quality 100, with the genuine certificate's QR code in
/// the middle; about 50 MB.
fn noise_jpeg() -> Vec<u8> {
    let qr_text = genuine_text();
    let symbol = render::encode(&qr_text, EcLevel::Q).unwrap();
    let mut noise = limits::Noise::new(2025);
    let pixels = limits::picture_of(&symbol, 20, 6000, |_, _| noise.next_byte());
    limits::jpeg(&pixels, 6000, 100).unwrap()
}

fn genuine_text() -> String {
    certqr_tests::generator::example_document().unwrap().1
}

/// Run `case` on the input at `path`; return its outcome.
fn run(world: &Fixture, case: &str, path: &Path) -> String {
    let input = fs::read(path).unwrap();
    let verifier = limits::fixture_verifier(world).unwrap();
    let scan_and_verify = |input: &[u8]| {
        let result = scan::scan_image(input, &scan::ScanOptions::photo());
        let mut outcome = limits::describe_scan(&result);
        if let Ok(codes) = result {
            for code in codes {
                outcome.push_str("; ");
                outcome.push_str(&limits::describe_verdict(&verifier, &code.text));
            }
        }
        outcome
    };
    let hundred_kb = 100_000;
    match case {
        "baseline" => "nothing".to_owned(),
        "qr-3000-bytes" => {
            let document = vec![0x5au8; 3000];
            let qr_text = format!("{}{}", text::PREFIX, base45::encode(&document));
            match render::encode(&qr_text, EcLevel::L) {
                Ok(symbol) => format!("rendered version {}", symbol.version()),
                Err(render::RenderError::TooLong { length, ec }) => {
                    format!("refused: TooLong {{ {length} characters, level {ec:?} }}")
                }
                Err(error) => format!("refused: {error}"),
            }
        }
        "qr-largest-certificate" => {
            let (_, symbol) = limits::largest_code(world).unwrap();
            format!("version {}; {}", symbol.version(), scan_and_verify(&input))
        }
        "text-100kb-certqr" => limits::describe_verdict(
            &verifier,
            &format!("{}{}", text::PREFIX, "0".repeat(hundred_kb)),
        ),
        "text-100kb-plain" => limits::describe_verdict(&verifier, &"证".repeat(hundred_kb / 3)),
        "text-100kb-link-path" => limits::describe_verdict(
            &verifier,
            &format!("https://evil.example/{}", "a".repeat(hundred_kb)),
        ),
        "text-100kb-link-host" => limits::describe_verdict(
            &verifier,
            &format!("https://{}example", "a.".repeat(hundred_kb / 2)),
        ),
        _ => scan_and_verify(&input),
    }
}

fn peak_resident_kib() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    let world = Fixture::new();
    if let [_, flag, case, path] = arguments.as_slice() {
        if flag == "--child" {
            let start = Instant::now();
            // The input is read inside `run`, so its bytes count in the child's peak.
            let outcome = run(&world, case, Path::new(path));
            let elapsed = start.elapsed();
            println!(
                "{outcome}\t{:.1}\t{}",
                elapsed.as_secs_f64() * 1000.0,
                peak_resident_kib()
            );
            return;
        }
    }
    let only: Vec<&str> = arguments.iter().skip(1).map(String::as_str).collect();
    let directory: PathBuf =
        std::env::temp_dir().join(format!("certqr-resource-limits-{}", std::process::id()));
    fs::create_dir_all(&directory).unwrap();
    let program = std::env::current_exe().unwrap();
    let mut failures = 0;
    println!("| case | input | outcome | time (ms) | peak RSS (MB) | input size (MB) |");
    println!("|---|---|---|---:|---:|---:|");
    for case in CASES {
        if !only.is_empty() && case.name != "baseline" && !only.contains(&case.name) {
            continue;
        }
        let path = directory.join(case.name);
        prepare(&world, case.name, &path);
        let size = fs::metadata(&path).map(|meta| meta.len()).unwrap_or(0);
        let output = Command::new(&program)
            .args(["--child", case.name, path.to_str().unwrap()])
            .output()
            .unwrap();
        fs::remove_file(&path).unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<&str> = stdout.trim_end().split('\t').collect();
        let (outcome, millis, peak) = match fields.as_slice() {
            [outcome, millis, peak] => (*outcome, *millis, peak.parse::<f64>().unwrap_or(0.0)),
            _ => {
                failures += 1;
                eprintln!(
                    "{}: the child failed ({}): {}",
                    case.name,
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                );
                continue;
            }
        };
        println!(
            "| {} | {} | {} | {} | {:.1} | {:.1} |",
            case.name,
            case.what,
            outcome.replace('|', "\\|"),
            millis,
            peak / 1024.0,
            size as f64 / 1e6
        );
        if outcome != case.expected {
            failures += 1;
            eprintln!(
                "{}: expected {:?}, got {outcome:?}",
                case.name, case.expected
            );
        }
    }
    fs::remove_dir_all(&directory).unwrap();
    if failures > 0 {
        eprintln!("{failures} case(s) differ from what is expected");
        std::process::exit(1);
    }
}
