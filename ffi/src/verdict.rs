//! The records a verification returns, built from core's [`certqr_core::verify::Verdict`].
//!
//! Dates are `"YYYY-MM-DD"` strings (calendar dates in China, as printed on the card),
//! instants are Unix seconds: both read the same in every language.

use certqr_core::id_number;
use certqr_core::verify;
use certqr_scan as scan;

/// Valid, invalid, or not a certificate at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum VerdictStatus {
    /// Every check passed: show green.
    Valid,
    /// A certificate (or something claiming to be one) that failed a check: show red.
    Invalid,
    /// Not a certificate: a web link (maybe to a fake verification site) or other text.
    NotACertificate,
}

impl From<&verify::Status> for VerdictStatus {
    fn from(status: &verify::Status) -> Self {
        match status {
            verify::Status::Valid => VerdictStatus::Valid,
            verify::Status::NotACertificate => VerdictStatus::NotACertificate,
            // Invalid, and any status a later core adds: never shown as valid.
            _ => VerdictStatus::Invalid,
        }
    }
}

/// Why a verdict is not valid: a stable code (`bad-signature`, `expired`,
/// `look-alike-website`, …) and the message to show, in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reason {
    /// Stable machine-readable code.
    pub code: String,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
}

impl From<&verify::Reason> for Reason {
    fn from(reason: &verify::Reason) -> Self {
        Reason {
            code: reason.code().to_owned(),
            message_zh: reason.message_zh(),
            message_en: reason.message_en(),
        }
    }
}

/// Something the inspector should know that does not make the verdict fail
/// (`expires-soon`, `trust-list-stale`, `clock-behind-trusted-data`, …).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Warning {
    /// Stable machine-readable code.
    pub code: String,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
}

impl From<&verify::Warning> for Warning {
    fn from(warning: &verify::Warning) -> Self {
        Warning {
            code: warning.code().to_owned(),
            message_zh: warning.message_zh(),
            message_en: warning.message_en(),
        }
    }
}

/// Sex (性别) as recorded in the identity card number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Sex {
    /// Male (男).
    Male,
    /// Female (女).
    Female,
}

impl From<id_number::Sex> for Sex {
    fn from(sex: id_number::Sex) -> Self {
        match sex {
            id_number::Sex::Male => Sex::Male,
            id_number::Sex::Female => Sex::Female,
        }
    }
}

impl From<Sex> for id_number::Sex {
    fn from(sex: Sex) -> Self {
        match sex {
            Sex::Male => id_number::Sex::Male,
            Sex::Female => id_number::Sex::Female,
        }
    }
}

/// A certificate's fields for display. Unless `verified`, they are what anyone could
/// have written: show them as unverified, or not at all.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CertificateFields {
    /// Whether a trusted issuer's valid signature covers these fields (they may still
    /// be expired or overdue for review: see the verdict's status and reasons).
    pub verified: bool,
    /// Holder's name, to compare with the identity card.
    pub holder_name: String,
    /// Holder's sex.
    pub sex: Sex,
    /// Identity card number, masked (`3201**********123X`): compare its visible
    /// digits with the identity card.
    pub id_number: String,
    /// Certificate number (证书编号), masked like the identity card number where it
    /// contains it.
    pub number: String,
    /// Family code, as in the CLI's description files: `special-operations`,
    /// `special-equipment`, `safety-management`, `construction-safety-management` or
    /// `construction-special-operations`.
    pub family: String,
    /// Family name in Chinese (特种作业操作证, …).
    pub family_name_zh: String,
    /// Family name in English.
    pub family_name_en: String,
    /// Item code within the family (`1.1`, `Q2`, …).
    pub item: String,
    /// Item name in Chinese, when the code is in the catalog.
    pub item_name_zh: Option<String>,
    /// Item name in English, when the code is in the catalog.
    pub item_name_en: Option<String>,
    /// First-issue date (初次领证日期), `YYYY-MM-DD`.
    pub first_issued: String,
    /// First day of validity, `YYYY-MM-DD`.
    pub valid_from: String,
    /// Last day of validity, `YYYY-MM-DD`.
    pub valid_until: String,
    /// Next review (复审) due, `YYYY-MM-DD`, for families with reviews.
    pub review_due: Option<String>,
}

impl From<&verify::CertificateView> for CertificateFields {
    fn from(view: &verify::CertificateView) -> Self {
        CertificateFields {
            verified: view.verified,
            holder_name: view.holder_name.clone(),
            sex: view.sex.into(),
            id_number: view.id_number.clone(),
            number: view.number.clone(),
            family: view.family.slug().to_owned(),
            family_name_zh: view.family_name_zh.to_owned(),
            family_name_en: view.family_name_en.to_owned(),
            item: view.item.clone(),
            item_name_zh: view.item_name_zh.map(str::to_owned),
            item_name_en: view.item_name_en.map(str::to_owned),
            first_issued: view.first_issued.to_string(),
            valid_from: view.valid_from.to_string(),
            valid_until: view.valid_until.to_string(),
            review_due: view.review_due.map(|date| date.to_string()),
        }
    }
}

/// The issuing authority, as the trust list names it; present only when its
/// signature verified.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IssuerFields {
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Administrative division code (six digits).
    pub region_code: u32,
    /// Key id, hexadecimal.
    pub key_id: String,
    /// Signature algorithm: `Ed25519` or `SM2`.
    pub algorithm: String,
}

impl From<&verify::IssuerView> for IssuerFields {
    fn from(view: &verify::IssuerView) -> Self {
        IssuerFields {
            name_zh: view.name_zh.clone(),
            name_en: view.name_en.clone(),
            region_code: view.region_code,
            key_id: view.key_id.clone(),
            algorithm: view.algorithm.name().to_owned(),
        }
    }
}

/// The full result of verifying one QR code.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Verdict {
    /// Valid, invalid, or not a certificate.
    pub status: VerdictStatus,
    /// Every reason the verdict is not valid (empty when valid), most important first.
    pub reasons: Vec<Reason>,
    /// Warnings, also on a valid verdict.
    pub warnings: Vec<Warning>,
    /// The certificate's fields, when they could be read (check `verified`).
    pub certificate: Option<CertificateFields>,
    /// The issuing authority, when the signature verified under a trusted key.
    pub issuer: Option<IssuerFields>,
}

impl From<&verify::Verdict> for Verdict {
    fn from(verdict: &verify::Verdict) -> Self {
        Verdict {
            status: (&verdict.status).into(),
            reasons: verdict.reasons.iter().map(Reason::from).collect(),
            warnings: verdict.warnings.iter().map(Warning::from).collect(),
            certificate: verdict.certificate.as_ref().map(CertificateFields::from),
            issuer: verdict.issuer.as_ref().map(IssuerFields::from),
        }
    }
}

/// A point in pixel coordinates of the picture as given (x right, y down).
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct Point {
    /// Column.
    pub x: f32,
    /// Row.
    pub y: f32,
}

/// A QR code found in a frame or photo, and its verdict.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ScannedCode {
    /// The decoded text.
    pub text: String,
    /// Where the code is: usually its four corners, sometimes the three finder-pattern
    /// centres (and an alignment-pattern centre). For drawing an outline.
    pub corners: Vec<Point>,
    /// The payload when it is not text (then `text` is empty, and the verdict, on that
    /// empty text, is never valid); `None` for a text payload.
    pub bytes: Option<Vec<u8>>,
    /// The verdict on the text.
    pub verdict: Verdict,
}

impl ScannedCode {
    /// `code` with the verdict on its text.
    pub(crate) fn new(code: scan::ScannedCode, verdict: &verify::Verdict) -> ScannedCode {
        ScannedCode {
            corners: code.corners.iter().map(|&(x, y)| Point { x, y }).collect(),
            text: code.text,
            bytes: code.bytes,
            verdict: verdict.into(),
        }
    }
}

/// An installed trust or revocation list: what to show in the app's settings, and
/// when to fetch the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ListInfo {
    /// Its sequence number: a later list has a higher one.
    pub sequence: u64,
    /// When it was made, in Unix seconds.
    pub issued_at: i64,
    /// When it goes stale, in Unix seconds: verdicts warn after it, and fail after a
    /// grace period (30 days for a trust list, 7 for a revocation list).
    pub expires_at: i64,
}
