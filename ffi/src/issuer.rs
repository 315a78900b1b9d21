//! The back office's side: [`Issuer`] over [`certqr_core::issue::Issuer`], and the
//! pictures of its codes.

use std::sync::Arc;

use certqr_core::catalog::Family;
use certqr_core::certificate::Certificate;
use certqr_core::id_number::IdNumber;
use certqr_core::issue;
use certqr_core::keys::{self, SigningKey};
use certqr_render::{self as render, EcLevel};
use time::Date;
use zeroize::Zeroizing;

use crate::{CertqrError, Sex};

/// A signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Algorithm {
    /// Ed25519 (RFC 8032).
    Ed25519,
    /// SM2 with SM3 (GB/T 32918), the national algorithm.
    Sm2,
}

/// A certificate's data, as an issuing authority signs it: the fields of the CLI's
/// description files (`certqr issue --in cert.toml`), with dates as `"YYYY-MM-DD"`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CertificateData {
    /// Family code: `special-operations`, `special-equipment`, `safety-management`,
    /// `construction-safety-management` or `construction-special-operations`.
    pub family: String,
    /// Item code within the family's catalog (`1.1`, `Q2`, …).
    pub item: String,
    /// Holder's name as on the identity card.
    pub holder_name: String,
    /// Holder's sex; must agree with the identity card number.
    pub sex: Sex,
    /// Holder's identity card number (18 characters).
    pub id_number: String,
    /// Certificate number (证书编号), following the family's rule (for special
    /// operations certificates, `T` followed by the identity card number).
    pub number: String,
    /// Date the holder first obtained the certificate.
    pub first_issued: String,
    /// First day of validity.
    pub valid_from: String,
    /// Last day of validity.
    pub valid_until: String,
    /// Next review (复审) due, for the families that have reviews.
    pub review_due: Option<String>,
}

/// An issuing authority's signing key, for back offices that script issuing.
#[derive(Debug, uniffi::Object)]
pub struct Issuer {
    inner: issue::Issuer,
    public_key: keys::PublicKey,
}

#[uniffi::export]
impl Issuer {
    /// An issuer signing with the key in `pem`, a PEM `PRIVATE KEY` (PKCS#8) document
    /// of Ed25519 or SM2, as `certqr keygen` writes. The text is wiped once read.
    ///
    /// # Errors
    ///
    /// `InvalidKey` when it is not such a key.
    #[uniffi::constructor]
    pub fn from_pkcs8_pem(pem: String) -> Result<Arc<Issuer>, CertqrError> {
        let pem = Zeroizing::new(pem);
        Ok(Issuer::new(SigningKey::from_pkcs8_pem(&pem)?))
    }

    /// An issuer whose key is derived from 32 secret random bytes (see
    /// `certqr_core::keys::SigningKey::from_seed`). The bytes are wiped once read.
    ///
    /// # Errors
    ///
    /// `InvalidKey` unless `seed` is 32 bytes.
    #[uniffi::constructor]
    pub fn from_seed(algorithm: Algorithm, seed: Vec<u8>) -> Result<Arc<Issuer>, CertqrError> {
        let seed = Zeroizing::new(seed);
        let seed = Zeroizing::new(<[u8; 32]>::try_from(seed.as_slice()).map_err(|_| {
            CertqrError::InvalidKey(format!("a seed is 32 bytes, not {}", seed.len()))
        })?);
        let algorithm = match algorithm {
            Algorithm::Ed25519 => keys::Algorithm::Ed25519,
            Algorithm::Sm2 => keys::Algorithm::Sm2,
        };
        Ok(Issuer::new(SigningKey::from_seed(algorithm, &seed)))
    }

    /// The public key, as a PEM `PUBLIC KEY` document: what the root authority puts in
    /// the trust list.
    pub fn public_key_pem(&self) -> String {
        self.public_key.to_pem()
    }

    /// The key id its certificates carry, hexadecimal.
    pub fn key_id(&self) -> String {
        self.inner.key_id().to_hex()
    }

    /// Check `certificate` against its family's rules, sign it and return the QR text
    /// (`CQ1:…`).
    ///
    /// # Errors
    ///
    /// `InvalidCertificateData` naming the field that is malformed or breaks the rules
    /// (never quoting its value).
    pub fn issue(&self, certificate: CertificateData) -> Result<String, CertqrError> {
        Ok(self.inner.issue(&certificate.into_core()?)?)
    }

    /// `qr_text` drawn as a QR code at error-correction level Q: an 8-bit grayscale PNG,
    /// `module_px` pixels a module (1 to 64), with the 4-module quiet zone.
    ///
    /// # Errors
    ///
    /// `InvalidArgument` for a module size out of range (negative included) or text too
    /// long for a QR code.
    pub fn render_png(&self, qr_text: String, module_px: i32) -> Result<Vec<u8>, CertqrError> {
        Ok(render::encode(&qr_text, EcLevel::Q)?.to_png(module_size(module_px)?)?)
    }

    /// `qr_text` drawn as a QR code at error-correction level Q: an SVG of the same
    /// geometry as [`Issuer::render_png`].
    ///
    /// # Errors
    ///
    /// As [`Issuer::render_png`].
    pub fn render_svg(&self, qr_text: String, module_px: i32) -> Result<String, CertqrError> {
        Ok(render::encode(&qr_text, EcLevel::Q)?.to_svg(module_size(module_px)?)?)
    }
}

/// A module size as the renderer takes it. Sizes cross the boundary signed (Java has
/// no unsigned types), so a negative one is refused here; the renderer checks the rest.
fn module_size(module_px: i32) -> Result<u32, CertqrError> {
    u32::try_from(module_px).map_err(|_| {
        CertqrError::InvalidArgument(format!(
            "module size {module_px} px is outside 1 to 64 pixels"
        ))
    })
}

impl Issuer {
    fn new(key: SigningKey) -> Arc<Issuer> {
        Arc::new(Issuer {
            public_key: key.public_key(),
            inner: issue::Issuer::new(key),
        })
    }
}

impl CertificateData {
    /// The core certificate (checked against the family's rules when signed).
    fn into_core(self) -> Result<Certificate, CertqrError> {
        let family = Family::from_slug(&self.family).ok_or_else(|| {
            CertqrError::InvalidCertificateData("family: not a known family code".into())
        })?;
        Ok(Certificate {
            holder_name: self.holder_name,
            sex: self.sex.into(),
            id_number: IdNumber::parse(&self.id_number)?,
            number: self.number,
            family,
            item: self.item,
            first_issued: date("first_issued", &self.first_issued)?,
            valid_from: date("valid_from", &self.valid_from)?,
            valid_until: date("valid_until", &self.valid_until)?,
            review_due: self
                .review_due
                .map(|text| date("review_due", &text))
                .transpose()?,
        })
    }
}

/// The date `text` (`YYYY-MM-DD`) of field `field`.
fn date(field: &str, text: &str) -> Result<Date, CertqrError> {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, FORMAT)
        .map_err(|_| CertqrError::InvalidCertificateData(format!("{field}: not a date YYYY-MM-DD")))
}
