//! The fixed inputs of the binding tests and benchmarks, made with certqr-core from
//! fixed seeds so that Rust, Python and Kotlin see the same bytes: keys, trust and
//! revocation lists, a certificate's QR text and a 1280x720 camera frame showing it.
//!
//! Shared by `examples/fixtures.rs` (which writes them for the other languages),
//! `examples/bench.rs` and the crate's tests.

use std::error::Error;
use std::fs;
use std::path::Path;

use certqr_core::catalog::Family;
use certqr_core::issue::Issuer;
use certqr_core::keys::{Algorithm, SigningKey};
use certqr_core::revocation::{Entry, RevocationList};
use certqr_core::samples;
use certqr_render::{self as render, EcLevel};
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

/// The instant the tests verify at: 2025-02-01 09:00 in China.
pub const NOW: OffsetDateTime = datetime!(2025-02-01 9:00 +8);
/// The official domain of the trust list's issuer; its look-alike is
/// [`LOOK_ALIKE_LINK`].
pub const OFFICIAL_DOMAIN: &str = "ajj.jiangsu.gov.cn";
/// A link to a host that imitates [`OFFICIAL_DOMAIN`].
pub const LOOK_ALIKE_LINK: &str = "https://ajj-jiangsu-gov.cn.example.com/check?id=1";
/// Camera frame size, and its row stride (rows padded, as Android's often are).
pub const FRAME_WIDTH: i32 = 1280;
/// Camera frame height.
pub const FRAME_HEIGHT: i32 = 720;
/// Camera frame row stride, in bytes.
pub const FRAME_ROW_STRIDE: i32 = 1344;
/// Pixels a QR module takes in the frame.
const FRAME_MODULE_PX: usize = 4;

/// The pinned root key.
pub fn root_key() -> SigningKey {
    SigningKey::from_seed(Algorithm::Ed25519, &[1; 32])
}

/// A key that is not a pinned root: what a forger signs a trust list with.
pub fn forger_key() -> SigningKey {
    SigningKey::from_seed(Algorithm::Ed25519, &[9; 32])
}

/// The issuing authority's key.
pub fn issuer_key() -> SigningKey {
    SigningKey::from_seed(Algorithm::Ed25519, &[2; 32])
}

/// Trust list `sequence`, issued `sequence` days after 2025-01-01, naming the issuer
/// (special operations, official domain [`OFFICIAL_DOMAIN`]), signed by `signer`.
pub fn trust_list(sequence: u64, signer: &SigningKey) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut issuer = samples::issuer(
        issuer_key().public_key(),
        "江苏省应急管理厅",
        "Jiangsu Provincial Department of Emergency Management",
        320000,
        &[Family::SpecialOperations],
        date!(2024 - 01 - 01),
    );
    issuer.domains = vec![OFFICIAL_DOMAIN.into()];
    let days = i64::try_from(sequence)?;
    let issued_at = datetime!(2025-01-01 0:00 UTC) + Duration::days(days);
    Ok(samples::trust_list(sequence, issued_at, vec![issuer]).sign(signer)?)
}

/// Revocation list `sequence`, issued `sequence` days after 2025-01-01, expiring 60
/// days later; it revokes the sample certificate when `revoke_sample`.
pub fn revocation_list(sequence: u64, revoke_sample: bool) -> Result<Vec<u8>, Box<dyn Error>> {
    let issued_at = datetime!(2025-01-01 0:00 UTC) + Duration::days(i64::try_from(sequence)?);
    let mut entries = Vec::new();
    if revoke_sample {
        let certificate = sample_certificate()?;
        entries.push(Entry::of_certificate(
            issuer_key().public_key().key_id(),
            &certificate,
        ));
    }
    let list = RevocationList::new(sequence, issued_at, issued_at + Duration::days(60), entries)?;
    Ok(list.sign(&root_key())?)
}

fn sample_certificate() -> Result<certqr_core::certificate::Certificate, Box<dyn Error>> {
    samples::certificate(Family::SpecialOperations, date!(2024 - 06 - 01))
        .ok_or_else(|| "no sample certificate".into())
}

/// The QR text of the sample special operations certificate (张建国, valid from
/// 2024-06-01), signed by the issuer.
pub fn certificate_text() -> Result<String, Box<dyn Error>> {
    Ok(Issuer::new(issuer_key()).issue(&sample_certificate()?)?)
}

/// A 1280x720 luma frame, rows padded to [`FRAME_ROW_STRIDE`] bytes, showing `text`
/// as a QR code (4 px a module, on white paper) on a grey gradient, off centre.
pub fn frame(text: &str) -> Result<Vec<u8>, Box<dyn Error>> {
    let symbol = render::encode(text, EcLevel::Q)?;
    let (width, height, stride) = (
        FRAME_WIDTH as usize,
        FRAME_HEIGHT as usize,
        FRAME_ROW_STRIDE as usize,
    );
    let quiet = render::QUIET_ZONE_MODULES;
    let side = (symbol.width() + 2 * quiet) * FRAME_MODULE_PX;
    let (left, top) = (width * 3 / 5 - side / 2, (height - side) / 2);
    let mut luma = vec![0u8; stride * height];
    for (y, row) in luma.chunks_exact_mut(stride).enumerate() {
        for (x, pixel) in row.iter_mut().enumerate() {
            *pixel = if x >= width {
                // Padding: whatever the camera left there.
                0x5a
            } else if (left..left + side).contains(&x) && (top..top + side).contains(&y) {
                let module_x = (x - left) / FRAME_MODULE_PX;
                let module_y = (y - top) / FRAME_MODULE_PX;
                let dark = module_x >= quiet
                    && module_y >= quiet
                    && symbol.is_dark(module_x - quiet, module_y - quiet);
                if dark {
                    30
                } else {
                    225
                }
            } else {
                // A table seen under uneven light: 80 to 150.
                u8::try_from(80 + (x + y) * 70 / (width + height)).unwrap_or(u8::MAX)
            };
        }
    }
    Ok(luma)
}

/// Writes every fixture into `dir` (created if absent), with `fixtures.json`
/// describing them.
pub fn write_all(dir: &Path) -> Result<(), Box<dyn Error>> {
    fs::create_dir_all(dir)?;
    let text = certificate_text()?;
    fs::write(dir.join("root.pub"), root_key().public_key().to_pem())?;
    fs::write(
        dir.join("issuer.key"),
        issuer_key().to_pkcs8_pem()?.as_bytes(),
    )?;
    fs::write(dir.join("trust-list-1.cose"), trust_list(1, &root_key())?)?;
    fs::write(dir.join("trust-list-2.cose"), trust_list(2, &root_key())?)?;
    fs::write(
        dir.join("trust-list-forged.cose"),
        trust_list(3, &forger_key())?,
    )?;
    fs::write(
        dir.join("revocation-list-1.cose"),
        revocation_list(1, false)?,
    )?;
    fs::write(
        dir.join("revocation-list-2.cose"),
        revocation_list(2, true)?,
    )?;
    fs::write(dir.join("certificate.txt"), &text)?;
    fs::write(dir.join("frame.y"), frame(&text)?)?;
    let description = format!(
        concat!(
            "{{\n",
            "  \"now\": {now},\n",
            "  \"official_domain\": \"{official}\",\n",
            "  \"look_alike_link\": \"{look_alike}\",\n",
            "  \"frame\": {{\"file\": \"frame.y\", \"width\": {width}, \"height\": {height}, \"row_stride\": {stride}}}\n",
            "}}\n"
        ),
        now = NOW.unix_timestamp(),
        official = OFFICIAL_DOMAIN,
        look_alike = LOOK_ALIKE_LINK,
        width = FRAME_WIDTH,
        height = FRAME_HEIGHT,
        stride = FRAME_ROW_STRIDE,
    );
    fs::write(dir.join("fixtures.json"), description)?;
    Ok(())
}
