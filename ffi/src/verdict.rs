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
/// `look-alike-website`, …), the message to show in Chinese and English, and the
/// facts as typed fields (the imitated official domain, the expiry date, the key id…).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reason {
    /// Stable machine-readable code.
    pub code: String,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
    /// The reason's facts; only those that belong to the code are present.
    pub details: Details,
}

impl From<&verify::Reason> for Reason {
    fn from(reason: &verify::Reason) -> Self {
        Reason {
            code: reason.code().to_owned(),
            message_zh: reason.message_zh(),
            message_en: reason.message_en(),
            details: (&reason.details()).into(),
        }
    }
}

/// The facts of a reason or warning, each present only where its code has it (the
/// same fields as the JSON of `certqr verify --json`). Dates are `YYYY-MM-DD`,
/// instants Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct Details {
    /// The host of a web link (IDNs in punycode).
    pub domain: Option<String>,
    /// The official domain a look-alike host imitates.
    pub imitates: Option<String>,
    /// How it imitates it: `misspelling`, `name-in-other-domain`, `hyphens-or-digits`,
    /// `other-suffix`, `look-alike-letters`, `homoglyphs` or `chinese-name`.
    pub trick: Option<String>,
    /// For a misspelling, the number of characters changed.
    pub distance: Option<i32>,
    /// The authority that owns an official site, in Chinese.
    pub authority_zh: Option<String>,
    /// The authority that owns an official site, in English.
    pub authority_en: Option<String>,
    /// What exactly is malformed, in English, for a diagnosis or a bug report.
    pub detail: Option<String>,
    /// The content type of a signed document of another kind (`None` also when it is
    /// beyond `i64`, as no registered type is).
    pub content_type: Option<i64>,
    /// The COSE algorithm identifier that is not accepted, in decimal: any CBOR integer
    /// (−2^64 to 2^64 − 1, format.md §3.1) is possible, and uniffi has no integer type
    /// wider than 64 bits, so it travels as exact text (`"-8"`, `"-18446744073709551616"`).
    pub algorithm: Option<String>,
    /// The key id (hexadecimal) no trusted issuer holds.
    pub key_id: Option<String>,
    /// When a trust list or revocation list expired, in Unix seconds.
    pub expired_at: Option<i64>,
    /// When the issuing key was retired.
    pub retired_on: Option<String>,
    /// First day the issuing key may sign.
    pub key_valid_from: Option<String>,
    /// Last day the issuing key may sign.
    pub key_valid_until: Option<String>,
    /// The family code an issuer may not sign.
    pub family: Option<String>,
    /// The item code an issuer may not sign.
    pub item: Option<String>,
    /// First day of validity of a certificate not yet valid.
    pub valid_from: Option<String>,
    /// Last day of validity of an expired certificate.
    pub expired_on: Option<String>,
    /// Last day of validity of a certificate that expires soon.
    pub valid_until: Option<String>,
    /// When the review was or is due.
    pub review_due: Option<String>,
    /// Extension claim keys that were ignored, in ascending order and in decimal: like
    /// `algorithm`, any CBOR integer, so exact text rather than a lossy `i64`.
    pub keys: Option<Vec<String>>,
    /// The latest signed time the verifier has seen, in Unix seconds.
    pub trusted_time: Option<i64>,
    /// The sequence of a revocation list that was installed but is not loaded
    /// (`revocation-not-checked`); `i64::MAX` for a sequence beyond it.
    pub sequence: Option<i64>,
}

impl From<&verify::Details> for Details {
    fn from(details: &verify::Details) -> Self {
        let date = |date: Option<time::Date>| date.map(|date| date.to_string());
        let instant =
            |instant: Option<time::OffsetDateTime>| instant.map(|time| time.unix_timestamp());
        Details {
            domain: details.domain.clone(),
            imitates: details.imitates.clone(),
            trick: details.trick.map(str::to_owned),
            distance: details.distance.map(i32::from),
            authority_zh: details.authority_zh.clone(),
            authority_en: details.authority_en.clone(),
            detail: details.detail.clone(),
            content_type: details
                .content_type
                .and_then(|content_type| i64::try_from(content_type).ok()),
            algorithm: details.algorithm.map(|algorithm| algorithm.to_string()),
            key_id: details.key_id.clone(),
            expired_at: instant(details.expired_at),
            retired_on: date(details.retired_on),
            key_valid_from: date(details.key_valid_from),
            key_valid_until: date(details.key_valid_until),
            family: details.family.map(|family| family.slug().to_owned()),
            item: details.item.clone(),
            valid_from: date(details.valid_from),
            expired_on: date(details.expired_on),
            valid_until: date(details.valid_until),
            review_due: date(details.review_due),
            keys: details
                .keys
                .as_ref()
                .map(|keys| keys.iter().map(ToString::to_string).collect()),
            trusted_time: instant(details.trusted_time),
            sequence: details.sequence.map(crate::signed_sequence),
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
    /// The warning's facts (the expiry date, the trusted time…).
    pub details: Details,
}

impl From<&verify::Warning> for Warning {
    fn from(warning: &verify::Warning) -> Self {
        Warning {
            code: warning.code().to_owned(),
            message_zh: warning.message_zh(),
            message_en: warning.message_en(),
            details: (&warning.details()).into(),
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

/// A certificate's fields for display. Unless `authentic`, they are what anyone could
/// have written: show them as unverified, or not at all.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CertificateFields {
    /// True only when the verdict is valid: the one case to show the certificate as
    /// verified (已核验).
    pub verified: bool,
    /// Whether a trusted issuer's valid signature covers these fields: the data is
    /// genuine, though it may be expired, not yet valid, overdue for review or
    /// revoked (see the verdict's reasons). A genuine but lapsed card needs renewal;
    /// one that is not authentic may be forged.
    pub authentic: bool,
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
            authentic: view.authentic,
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
    pub region_code: i32,
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
            region_code: i32::try_from(view.region_code).unwrap_or(i32::MAX),
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
    /// The verdict in one line of Chinese, for the top of the screen (有效证书，已核验;
    /// 真实证书，但已过期; 无效：不能证明是真实证书…).
    pub summary_zh: String,
    /// The verdict in one line of English.
    pub summary_en: String,
    /// Every reason the verdict is not valid (empty when valid), most important first.
    pub reasons: Vec<Reason>,
    /// Warnings, also on a valid verdict.
    pub warnings: Vec<Warning>,
    /// The certificate's fields, when they could be read (check `verified` and
    /// `authentic`).
    pub certificate: Option<CertificateFields>,
    /// The issuing authority, when the signature verified under a trusted key.
    pub issuer: Option<IssuerFields>,
}

impl From<&verify::Verdict> for Verdict {
    fn from(verdict: &verify::Verdict) -> Self {
        Verdict {
            status: (&verdict.status).into(),
            summary_zh: verdict.summary_zh(),
            summary_en: verdict.summary_en(),
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
    /// Its sequence number: a later list has a higher one (`i64::MAX` for one beyond it,
    /// which a root would never sign).
    pub sequence: i64,
    /// When it was made, in Unix seconds.
    pub issued_at: i64,
    /// When it goes stale, in Unix seconds: verdicts warn after it, and fail after a
    /// grace period (30 days for a trust list, 7 for a revocation list).
    pub expires_at: i64,
}
