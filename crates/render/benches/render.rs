//! Drawing a certificate's QR symbol, against the `qrcode` crate drawing the same bits
//! in the same run.
//!
//! `cargo bench -p certqr-core --bench render` prints the median time of
//! `render::encode` (segment choice, error correction, mask choice) and of
//! `qrcode::QrCode::with_bits` on the same bits (the crate's own mask choice), their
//! ratio, and the time of drawing the SVG. Batch issuing draws one symbol per row, so
//! this is most of the cost of `certqr issue --batch --svg`.

#![allow(clippy::expect_used)] // fixed inputs: a failure here is a broken benchmark

use std::hint::black_box;
use std::time::Instant;

use certqr_core::catalog::Family;
use certqr_core::issue::Issuer;
use certqr_core::keys::{Algorithm, SigningKey};
use certqr_core::samples;
use certqr_render::{self as render, EcLevel};
use time::macros::date;

const ROUNDS: usize = 9;
const ITERATIONS: u32 = 300;

/// Median over [`ROUNDS`] rounds of the time per call of `routine`, in microseconds.
fn median_micros(mut routine: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..ITERATIONS {
                routine();
            }
            start.elapsed().as_secs_f64() * 1e6 / f64::from(ITERATIONS)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(ROUNDS / 2).copied().unwrap_or(f64::NAN)
}

/// The bits `render::encode` chooses for certqr text: one alphanumeric segment in the
/// symbol's version.
fn alphanumeric_bits(text: &str, version: u8) -> qrcode::bits::Bits {
    let mut bits = qrcode::bits::Bits::new(qrcode::Version::Normal(i16::from(version)));
    bits.push_alphanumeric_data(text.as_bytes())
        .expect("fits the version encode chose");
    bits.push_terminator(qrcode::EcLevel::Q)
        .expect("fits the version encode chose");
    bits
}

fn main() {
    let key = SigningKey::from_seed(Algorithm::Ed25519, &[2; 32]);
    let certificate =
        samples::certificate(Family::ConstructionSpecialOperations, date!(2024 - 06 - 01))
            .expect("sample certificate");
    let text = Issuer::new(key).issue(&certificate).expect("issues");
    let symbol = render::encode(&text, EcLevel::Q).expect("encodes");
    let crate_symbol = qrcode::QrCode::with_bits(
        alphanumeric_bits(&text, symbol.version()),
        qrcode::EcLevel::Q,
    )
    .expect("draws");
    // Same bits, same mask choice: the same modules.
    let width = symbol.width();
    let colors = crate_symbol.into_colors();
    assert!((0..width * width).all(|index| {
        symbol.is_dark(index % width, index / width)
            == (colors.get(index) == Some(&qrcode::Color::Dark))
    }));

    let encode = median_micros(|| {
        black_box(render::encode(black_box(&text), EcLevel::Q).expect("encodes"));
    });
    let baseline = median_micros(|| {
        let bits = alphanumeric_bits(black_box(&text), symbol.version());
        black_box(qrcode::QrCode::with_bits(bits, qrcode::EcLevel::Q).expect("draws"));
    });
    let svg = median_micros(|| {
        black_box(symbol.to_svg(8).expect("draws"));
    });
    println!(
        "QR text of {} characters: version {}, {width}×{width} modules, level Q",
        text.len(),
        symbol.version()
    );
    println!("render::encode                         {encode:9.1} µs");
    println!("qrcode::QrCode::with_bits (baseline)   {baseline:9.1} µs");
    println!(
        "ratio encode / baseline                {:9.3}",
        encode / baseline
    );
    println!("QrSymbol::to_svg(8)                    {svg:9.1} µs");
}
