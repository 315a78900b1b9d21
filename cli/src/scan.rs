//! `certqr scan`: read every QR code in pictures and print what each holds.

use std::path::{Path, PathBuf};

use certqr_scan::{self as scan, ScanOptions, ScannedCode};
use serde::Serialize;

use crate::display;
use crate::error::{say, CliError, InFile, Outcome, Report};
use crate::files;

/// Largest picture file read; the same bound as the scanner's own.
const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

/// Arguments of `certqr scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print a JSON array: [{"path": ..., "codes": [{"text": ..., "corners": [[x, y], ...]}]}]
    /// ("bytes_hex" instead of "text" for a code whose payload is not text).
    #[arg(long)]
    pub json: bool,
    /// PNG or JPEG pictures.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// The QR codes in the picture file at `path`.
pub fn codes_in_image(path: &Path) -> Result<Vec<ScannedCode>, CliError> {
    let bytes = files::read_bounded(path, MAX_IMAGE_BYTES)?;
    scan::scan_image(&bytes, &ScanOptions::photo()).in_file(path, "无法读取图片")
}

#[derive(Debug, Serialize)]
struct FileCodes<'a> {
    path: &'a Path,
    codes: Vec<CodeView>,
}

/// A scanned code for JSON.
#[derive(Debug, Serialize)]
pub struct CodeView {
    /// The decoded text; absent when the payload is not text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The payload in hexadecimal, when it is not text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes_hex: Option<String>,
    /// The corner points, `[x, y]` in pixels.
    pub corners: Vec<[f32; 2]>,
}

/// What a code holds, for a line of output: its text, or for a payload that is not
/// text, `binary, N bytes: HEX`.
fn payload_line(code: &ScannedCode) -> String {
    match &code.bytes {
        Some(bytes) => format!("binary, {} bytes: {}", bytes.len(), hex(bytes)),
        None => code.text.clone(),
    }
}

/// Lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A code's corners as `[x, y]` pairs.
pub fn corners(code: &ScannedCode) -> Vec<[f32; 2]> {
    code.corners.iter().map(|&(x, y)| [x, y]).collect()
}

/// Runs `certqr scan`. Every file is processed; an unreadable one is reported on
/// standard error and makes the exit status 2, a picture without a code makes it 1.
pub fn run(args: &Args) -> Result<Report, CliError> {
    let mut problems = Vec::new();
    let mut all_found = true;
    let mut found = Vec::new();
    for path in &args.files {
        match codes_in_image(path) {
            Ok(codes) => {
                all_found &= !codes.is_empty();
                found.push((path, codes));
            }
            Err(problem) => problems.push(problem),
        }
    }
    let mut out = String::new();
    let mut notes = Vec::new();
    if args.json {
        let files: Vec<FileCodes> = found
            .into_iter()
            .map(|(path, codes)| FileCodes {
                path,
                codes: codes
                    .iter()
                    .map(|code| CodeView {
                        text: code.bytes.is_none().then(|| code.text.clone()),
                        bytes_hex: code.bytes.as_deref().map(hex),
                        corners: corners(code),
                    })
                    .collect(),
            })
            .collect();
        out = display::json(&files)?;
    } else {
        let prefix_paths = args.files.len() > 1;
        for (path, codes) in &found {
            if codes.is_empty() {
                notes.push(display::no_code_line(path));
            }
            for code in codes {
                if prefix_paths {
                    say!(out, "{}: {}", path.display(), payload_line(code));
                } else {
                    say!(out, "{}", payload_line(code));
                }
            }
        }
    }
    let mut report = Report::new(out, Outcome::from_ok(all_found));
    report.notes = notes;
    report.problems = problems;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_payloads_print_as_hexadecimal_and_text_as_itself() {
        let code = |text: &str, bytes: Option<Vec<u8>>| ScannedCode {
            text: text.to_owned(),
            bytes,
            corners: Vec::new(),
        };
        assert_eq!(
            payload_line(&code("", Some(vec![0x00, 0xff, 0x1b]))),
            "binary, 3 bytes: 00ff1b"
        );
        assert_eq!(payload_line(&code("CQ1:ABC", None)), "CQ1:ABC");
    }
}
