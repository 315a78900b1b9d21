//! The QR codes certqr draws read back exactly with two independent decoders:
//! zxing-cpp (PyPI `zxing-cpp`) and ZBar (Debian `libzbar0` through PyPI `pyzbar`), run
//! by `tests/interop/decode_qr.py` on the PNG files `QrSymbol::to_png` writes, opened
//! with Pillow.
//!
//! Signed certificates of every family (Ed25519 and SM2) and a web link, at
//! error-correction levels M, Q and H, at 2, 3, 5 and 8 pixels a module.
//!
//! Python comes from `CERTQR_PYTHON` (`scripts/test.sh` sets it to a venv with
//! `tests/interop/requirements.txt` and installs `libzbar0`). Without it the test prints
//! a skip line, unless `CERTQR_REQUIRE_INTEROP=1`, in which case it fails.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use certqr_core::catalog::Family;
use certqr_core::issue::Issuer;
use certqr_render::{self as render, EcLevel};
use certqr_tests::fixture::{Fixture, TestKey};
use certqr_tests::forge::hex;
use certqr_tests::generator;
use certqr_tests::python;
use serde_json::{json, Value};
use time::macros::date;

const MODULE_SIZES: [u32; 4] = [2, 3, 5, 8];
const EC_LEVELS: [EcLevel; 3] = [EcLevel::M, EcLevel::Q, EcLevel::H];

/// `(what, text)`: a certificate of each family from its issuer, one signed with SM2,
/// and a web link (byte mode, not alphanumeric).
fn texts(fixture: &Fixture) -> Vec<(String, String)> {
    let issue = |family: Family, key: &TestKey| {
        let certificate = generator::sample_certificate(family, date!(2024 - 03 - 01)).unwrap();
        let text = Issuer::new(key.key.clone()).issue(&certificate).unwrap();
        (format!("{} signed by {}", family.slug(), key.label), text)
    };
    vec![
        issue(Family::SpecialOperations, &fixture.emergency),
        issue(Family::SpecialEquipment, &fixture.market),
        issue(Family::SafetyManagement, &fixture.emergency),
        issue(Family::ConstructionSafetyManagement, &fixture.housing),
        issue(Family::ConstructionSpecialOperations, &fixture.housing),
        issue(Family::SpecialOperations, &fixture.sm2),
        (
            "web link".to_owned(),
            "https://example.com/verify?id=T320102198506121234&n=1".to_owned(),
        ),
    ]
}

#[test]
fn zxing_cpp_and_zbar_read_our_codes_exactly() {
    let Some(python) = python::interpreter("zxing-cpp and ZBar decoder") else {
        return;
    };
    let fixture = Fixture::new();
    let mut cases = Vec::new();
    let mut images = Vec::new();
    for (what, text) in texts(&fixture) {
        let mut versions = Vec::new();
        for ec in EC_LEVELS {
            let symbol = render::encode(&text, ec).unwrap();
            assert_eq!(symbol.ec_level(), ec);
            versions.push(symbol.version());
            for module_px in MODULE_SIZES {
                let png = symbol.to_png(module_px).unwrap();
                cases.push(format!(
                    "{what}, version {}-{ec:?}, {module_px} px a module",
                    symbol.version()
                ));
                images.push((text.clone(), json!({"png_hex": hex(&png)})));
            }
        }
        // More error correction never takes a smaller symbol, and H a larger one than M.
        assert!(
            versions.windows(2).all(|pair| pair[0] <= pair[1]) && versions[0] < versions[2],
            "{what}: versions {versions:?} for M, Q, H"
        );
        if what.contains("signed") {
            assert!(text.starts_with("CQ1:"), "{what}: {text}");
        }
    }

    let answer = python::run_script(
        &python,
        "decode_qr.py",
        &json!({"images": images.iter().map(|(_, image)| image.clone()).collect::<Vec<Value>>()}),
    );
    println!(
        "zxing-cpp {}, pyzbar {}, Pillow {}",
        answer["zxing_cpp"], answer["pyzbar"], answer["pillow"]
    );
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), images.len());
    let mut failures = Vec::new();
    for ((case, (text, _)), result) in cases.iter().zip(&images).zip(results) {
        for decoder in ["zxing", "zbar"] {
            let read: Vec<&str> = result[decoder]
                .as_array()
                .unwrap()
                .iter()
                .map(|value| value.as_str().unwrap())
                .collect();
            if read != [text.as_str()] {
                failures.push(format!("{decoder} on {case}: read {read:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} reads wrong:\n{}",
        failures.len(),
        2 * cases.len(),
        failures.join("\n")
    );
    // 7 texts x 3 levels x 4 module sizes, each read by both decoders.
    assert_eq!(cases.len(), 84);
}
