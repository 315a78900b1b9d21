//! Seed corpora: every text and signed document of `tests/vectors/*.json`, the world's
//! own certificates and lists, and QR codes rendered as PNG, JPEG and raw camera frames.
//!
//! The vector files are read as plain JSON (every string field named `text` and every
//! `document_hex`), so vector files added later seed the targets without a change here.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use certqr_core::cose::{self, DocumentKind};
use certqr_core::keys::Algorithm;
use certqr_core::revocation::{Entry, RevocationDelta, RevocationList};
use certqr_core::text;
use certqr_render::{self as render, EcLevel, QUIET_ZONE_MODULES};
use image::ImageEncoder;
use time::Duration;

use crate::world;

/// Where the test vectors are.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tests")
        .join("vectors")
}

/// Write the seeds of `target` into `directory` (created if needed). Returns how many.
pub fn write(target: &str, directory: &Path) -> io::Result<usize> {
    let seeds = for_target(target)?;
    fs::create_dir_all(directory)?;
    for (index, (label, bytes)) in seeds.iter().enumerate() {
        fs::write(directory.join(format!("seed-{index:03}-{label}")), bytes)?;
    }
    Ok(seeds.len())
}

/// The seeds of `target`, each with a short label for its file name.
pub fn for_target(target: &str) -> io::Result<Vec<(String, Vec<u8>)>> {
    let vectors = VectorStrings::read(&vectors_dir())?;
    let mut seeds = Seeds::default();
    match target {
        "verify_text" => {
            seeds.texts(&vectors);
            seeds.world_texts();
            for link in [
                "https://yjt.jiangsu.gov.cn/zs/cx?id=1",
                "https://cx.mem.gov.cn.example.com/check",
                "http://xn--fiq228c.com/",
                "www.cx-mem-gov.cn",
            ] {
                seeds.push("link", link.as_bytes().to_vec());
            }
        }
        "text" => {
            seeds.texts(&vectors);
            seeds.documents(&vectors);
            seeds.push("repetitive", vec![0x41; 300]);
            seeds.push("compressed", text::encode(&[0x41; 300]).into_bytes());
            // tests/tests/regression.rs: compressed_text_inflating_to_nothing.
            seeds.push("empty-deflate", b"CQ1Z:3H0".to_vec());
        }
        "document" => {
            seeds.documents(&vectors);
            seeds.payloads(&vectors);
            seeds.world_documents();
        }
        "trust_list" => trust_list_seeds(&mut seeds, &vectors),
        "revocation_list" => revocation_list_seeds(&mut seeds, &vectors)?,
        "scan_image" => image_seeds(&mut seeds)?,
        "scan_frame" => frame_seeds(&mut seeds)?,
        other => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("no seeds for unknown target {other:?}"),
            ))
        }
    }
    Ok(seeds.0)
}

/// The `text` and `document_hex` strings of every vector file.
struct VectorStrings {
    texts: Vec<String>,
    documents: Vec<Vec<u8>>,
}

impl VectorStrings {
    fn read(directory: &Path) -> io::Result<VectorStrings> {
        let mut paths: Vec<PathBuf> = fs::read_dir(directory)?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| {
                path.extension()
                    .is_some_and(|extension| extension == "json")
            })
            .collect();
        paths.sort();
        let mut strings = VectorStrings {
            texts: Vec::new(),
            documents: Vec::new(),
        };
        for path in paths {
            let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path)?)
                .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?;
            strings.collect(&json);
        }
        for text in &strings.texts {
            if let Ok(document) = text::decode(text) {
                strings.documents.push(document);
            }
        }
        Ok(strings)
    }

    fn collect(&mut self, json: &serde_json::Value) {
        match json {
            serde_json::Value::Object(fields) => {
                for (name, value) in fields {
                    match (name.as_str(), value) {
                        ("text", serde_json::Value::String(text)) => {
                            self.texts.push(text.clone());
                        }
                        ("document_hex", serde_json::Value::String(hex)) => {
                            if let Some(bytes) = from_hex(hex) {
                                self.documents.push(bytes);
                            }
                        }
                        _ => self.collect(value),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| self.collect(item)),
            _ => {}
        }
    }
}

/// Bytes from hexadecimal digits.
pub fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|index| {
            hex.get(index..index + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

#[derive(Default)]
struct Seeds(Vec<(String, Vec<u8>)>);

impl Seeds {
    fn push(&mut self, label: &str, bytes: Vec<u8>) {
        if !self.0.iter().any(|(_, existing)| *existing == bytes) {
            self.0.push((label.to_owned(), bytes));
        }
    }

    fn texts(&mut self, vectors: &VectorStrings) {
        for text in &vectors.texts {
            self.push("vector-text", text.clone().into_bytes());
        }
    }

    fn world_texts(&mut self) {
        for issued in &world().certificates {
            self.push("world-text", issued.text.clone().into_bytes());
        }
    }

    fn documents(&mut self, vectors: &VectorStrings) {
        for document in &vectors.documents {
            self.push("vector-document", document.clone());
        }
    }

    fn payloads(&mut self, vectors: &VectorStrings) {
        for document in &vectors.documents {
            if let Ok(message) = cose::parse_with_limit(document, usize::MAX) {
                self.push("vector-payload", message.payload);
            }
        }
    }

    fn world_documents(&mut self) {
        let world = world();
        for issued in &world.certificates {
            self.push("world-document", issued.document.clone());
            self.push("world-claims", issued.certificate.to_claims());
        }
        self.push("trust-list", world.signed_trust_list.clone());
        self.push("revocation-list", world.signed_revocation_list.clone());
    }
}

fn trust_list_seeds(seeds: &mut Seeds, vectors: &VectorStrings) {
    let world = world();
    let root = &world.root;
    let mut lists = vec![world.trust_list.clone()];
    let mut next = world.trust_list.clone();
    next.sequence += 1;
    next.official_domains.clear();
    next.issuers.truncate(2);
    lists.push(next);
    let mut older = world.trust_list.clone();
    older.sequence -= 1;
    lists.push(older);
    for list in lists {
        seeds.push("trust-list-payload", list.to_payload());
        if let Ok(signed) = list.sign(root) {
            seeds.push("trust-list", signed);
        }
    }
    // Other kinds of signed document, for the content-type checks.
    for document in &vectors.documents {
        if cose::parse(document)
            .is_ok_and(|message| message.kind() != Some(DocumentKind::Certificate))
        {
            seeds.push("other-document", document.clone());
        }
    }
    seeds.push("certificate", world.certificates[0].document.clone());
}

fn revocation_list_seeds(seeds: &mut Seeds, vectors: &VectorStrings) -> io::Result<()> {
    let world = world();
    let root = &world.root;
    let invalid = |error: certqr_core::revocation::RevocationError| {
        io::Error::new(io::ErrorKind::InvalidData, error.to_string())
    };
    let installed = RevocationList::from_signed(&world.signed_revocation_list, &world.roots)
        .map_err(invalid)?;
    let (issued_at, expires_at) = (installed.issued_at, installed.expires_at);
    let revoked: Vec<Entry> = installed.entries().collect();
    let others: Vec<Entry> = world
        .certificates
        .iter()
        .map(|issued| issued.entry)
        .filter(|entry| !installed.contains(*entry))
        .collect();
    // A list large enough for several index buckets.
    let many =
        (1u64..=40).map(|index| Entry(index.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_be_bytes()));
    let lists = [
        installed.clone(),
        RevocationList::new(2, issued_at, expires_at, others.iter().copied().chain(many))
            .map_err(invalid)?,
        RevocationList::new(0, issued_at, expires_at, []).map_err(invalid)?,
    ];
    for list in &lists {
        seeds.push("list-payload", list.to_payload());
        seeds.push("list", list.sign(root).map_err(invalid)?);
    }
    let later = issued_at.saturating_add(Duration::days(7));
    let deltas = [
        RevocationDelta::new(1, later, expires_at, others.iter().copied(), revoked)
            .map_err(invalid)?,
        RevocationDelta::new(1, later, expires_at, others.iter().copied().take(2), [])
            .map_err(invalid)?,
        RevocationDelta::new(6, later, expires_at, [], others.iter().copied().take(1))
            .map_err(invalid)?,
    ];
    for delta in &deltas {
        seeds.push("delta-payload", delta.to_payload());
        seeds.push("delta", delta.sign(root).map_err(invalid)?);
    }
    for document in &vectors.documents {
        if cose::parse(document)
            .is_ok_and(|message| message.kind() != Some(DocumentKind::Certificate))
        {
            seeds.push("other-document", document.clone());
        }
    }
    Ok(())
}

/// Texts worth drawing as QR codes: an Ed25519 and an SM2 certificate, a compressed
/// text, a web link and a short certqr text.
fn drawn_texts() -> Vec<(&'static str, String)> {
    let world = world();
    let mut texts = Vec::new();
    for algorithm in [Algorithm::Ed25519, Algorithm::Sm2] {
        if let Some(issued) = world
            .certificates
            .iter()
            .find(|issued| issued.algorithm == algorithm)
        {
            texts.push((algorithm.name(), issued.text.clone()));
        }
    }
    texts.push(("compressed", text::encode(&[0x41; 120])));
    texts.push(("link", "https://cx.mem.gov.cn.example.com/check".to_owned()));
    texts.push(("short", "CQ1:6BFOXN*TS0BI$ZD4N9".to_owned()));
    texts
}

/// A grayscale picture: width, height and one byte a pixel, row by row.
struct Luma {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// `text` as a QR code at level Q, `module_px` pixels a module, with its quiet zone.
fn draw(text: &str, module_px: usize) -> io::Result<Luma> {
    let symbol = render::encode(text, EcLevel::Q)
        .map_err(|error| io::Error::new(io::ErrorKind::InvalidInput, error.to_string()))?;
    let side_modules = symbol.width() + 2 * QUIET_ZONE_MODULES;
    let side = side_modules * module_px;
    let mut pixels = vec![255u8; side * side];
    for y in 0..side {
        for x in 0..side {
            let (module_x, module_y) = (x / module_px, y / module_px);
            let dark = module_x >= QUIET_ZONE_MODULES
                && module_y >= QUIET_ZONE_MODULES
                && symbol.is_dark(module_x - QUIET_ZONE_MODULES, module_y - QUIET_ZONE_MODULES);
            if dark {
                pixels[y * side + x] = 0;
            }
        }
    }
    Ok(Luma {
        width: side,
        height: side,
        pixels,
    })
}

/// Two pictures side by side, on white.
fn side_by_side(left: &Luma, right: &Luma) -> Luma {
    let (width, height) = (left.width + right.width, left.height.max(right.height));
    let mut pixels = vec![255u8; width * height];
    for (picture, offset) in [(left, 0), (right, left.width)] {
        for y in 0..picture.height {
            let row = &picture.pixels[y * picture.width..(y + 1) * picture.width];
            pixels[y * width + offset..y * width + offset + picture.width].copy_from_slice(row);
        }
    }
    Luma {
        width,
        height,
        pixels,
    }
}

fn png(picture: &Luma) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            &picture.pixels,
            dimension(picture.width)?,
            dimension(picture.height)?,
            image::ExtendedColorType::L8,
        )
        .map_err(io::Error::other)?;
    Ok(out)
}

fn jpeg(picture: &Luma, quality: u8) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(
            &picture.pixels,
            dimension(picture.width)?,
            dimension(picture.height)?,
            image::ExtendedColorType::L8,
        )
        .map_err(io::Error::other)?;
    Ok(out)
}

fn dimension(pixels: usize) -> io::Result<u32> {
    u32::try_from(pixels).map_err(|_| io::Error::other("picture too large"))
}

fn image_seeds(seeds: &mut Seeds) -> io::Result<()> {
    let texts = drawn_texts();
    for (label, text) in &texts {
        let picture = draw(text, 2)?;
        seeds.push(&format!("{label}-png"), png(&picture)?);
        seeds.push(&format!("{label}-jpeg"), jpeg(&picture, 85)?);
    }
    if let [(_, first), .., (_, last)] = texts.as_slice() {
        let pair = side_by_side(&draw(first, 1)?, &draw(last, 2)?);
        seeds.push("two-codes-png", png(&pair)?);
        seeds.push("small-png", png(&draw(first, 1)?)?);
    }
    Ok(())
}

/// A camera frame as the `scan_frame` target reads it: width, height, row padding,
/// then the rows.
pub fn frame_input(picture_width: u8, picture_height: u8, padding: u8, rows: &[u8]) -> Vec<u8> {
    let mut input = vec![picture_width, picture_height, padding];
    input.extend_from_slice(rows);
    input
}

fn frame_seeds(seeds: &mut Seeds) -> io::Result<()> {
    for (label, text) in drawn_texts() {
        for (module_px, padding) in [(1, 0u8), (2, 5u8)] {
            let picture = draw(&text, module_px)?;
            let (Ok(width), Ok(height)) =
                (u8::try_from(picture.width), u8::try_from(picture.height))
            else {
                continue;
            };
            let stride = picture.width + usize::from(padding);
            let mut rows = vec![128u8; stride * picture.height];
            for y in 0..picture.height {
                rows[y * stride..y * stride + picture.width]
                    .copy_from_slice(&picture.pixels[y * picture.width..(y + 1) * picture.width]);
            }
            seeds.push(
                &format!("{label}-frame-{module_px}px"),
                frame_input(width, height, padding, &rows),
            );
        }
    }
    Ok(())
}
