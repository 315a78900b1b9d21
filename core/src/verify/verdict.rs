//! The verdict: its status, the certificate's fields with whether they are authentic
//! and verified, the issuer, and a one-line summary in Chinese and English.

use serde::Serialize;
use time::Date;

use crate::catalog::Family;
use crate::certificate::Certificate;
use crate::id_number::Sex;
use crate::keys::Algorithm;

use super::{Reason, Warning};

/// The outcome of verifying one QR text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Status {
    /// Every check passed.
    #[serde(rename = "valid")]
    Valid,
    /// A certificate (or something claiming to be one) that failed a check.
    #[serde(rename = "invalid")]
    Invalid,
    /// Not a certificate at all: a web link or unrelated text.
    #[serde(rename = "not-a-certificate")]
    NotACertificate,
}

/// A certificate's fields for display, with two answers an inspector needs apart:
///
/// - `authentic`: a trusted, uncompromised issuer, acting within its scope and key
///   window, signed exactly these fields, and they follow the family's rules: the data
///   is genuine. It may still be expired, not yet valid, overdue for review or revoked.
/// - `verified`: authentic **and** the verdict is valid: every date, review and
///   revocation check passed. Only a verified certificate may be shown as verified
///   (已核验).
///
/// Fields that are not authentic are what anyone could have written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateView {
    /// Whether the verdict is valid and these fields authentic: the only case in which
    /// the certificate may be shown as verified.
    pub verified: bool,
    /// Whether a trusted issuer's valid signature covers these fields (genuine data),
    /// whatever their dates and revocation say.
    pub authentic: bool,
    /// Holder's name.
    pub holder_name: String,
    /// Holder's sex.
    pub sex: Sex,
    /// Identity card number, masked unless the verifier is set to show it.
    pub id_number: String,
    /// Certificate number (masked like the identity card number when derived from it).
    pub number: String,
    /// Family.
    pub family: Family,
    /// Family name in Chinese.
    pub family_name_zh: &'static str,
    /// Family name in English.
    pub family_name_en: &'static str,
    /// Item code.
    pub item: String,
    /// Item name in Chinese, when the code is in the catalog.
    pub item_name_zh: Option<&'static str>,
    /// Item name in English, when the code is in the catalog.
    pub item_name_en: Option<&'static str>,
    /// First-issue date.
    pub first_issued: Date,
    /// Start of validity.
    pub valid_from: Date,
    /// End of validity.
    pub valid_until: Date,
    /// Next review due, for families with reviews.
    pub review_due: Option<Date>,
}

impl CertificateView {
    /// The display fields of `certificate`, neither authentic nor verified (only the
    /// verifier can say they are: this is for showing what a code claims, as
    /// `certqr inspect` does). The identity card number is masked unless
    /// `show_full_id_number`, also where the certificate number contains it.
    pub fn unverified(certificate: &Certificate, show_full_id_number: bool) -> CertificateView {
        let item = certificate.catalog_item();
        let (id_number, number) = if show_full_id_number {
            (
                certificate.id_number.as_str().to_owned(),
                certificate.number.clone(),
            )
        } else {
            (certificate.id_number.masked(), certificate.masked_number())
        };
        CertificateView {
            verified: false,
            authentic: false,
            holder_name: certificate.holder_name.clone(),
            sex: certificate.sex,
            number,
            id_number,
            family: certificate.family,
            family_name_zh: certificate.family.name_zh(),
            family_name_en: certificate.family.name_en(),
            item: certificate.item.clone(),
            item_name_zh: item.map(|item| item.name_zh),
            item_name_en: item.map(|item| item.name_en),
            first_issued: certificate.first_issued,
            valid_from: certificate.valid_from,
            valid_until: certificate.valid_until,
            review_due: certificate.review_due,
        }
    }
}

/// The issuing authority, from the trust list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuerView {
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Administrative division code.
    pub region_code: u32,
    /// Key id, hexadecimal.
    pub key_id: String,
    /// Signature algorithm.
    pub algorithm: Algorithm,
}

/// The full result of a verification.
///
/// As JSON: `status`, `summary_zh` and `summary_en` ([`Verdict::summary_zh`]),
/// `reasons`, `warnings`, `certificate` (with `authentic` and `verified`) and `issuer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Valid, invalid, or not a certificate.
    pub status: Status,
    /// Every reason the verdict is not valid (empty when valid).
    pub reasons: Vec<Reason>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// The certificate's fields, when they could be read.
    pub certificate: Option<CertificateView>,
    /// The issuer, when the signature verified under a trusted key.
    pub issuer: Option<IssuerView>,
}

impl Verdict {
    pub(crate) fn new() -> Verdict {
        Verdict {
            status: Status::Invalid,
            reasons: Vec::new(),
            warnings: Vec::new(),
            certificate: None,
            issuer: None,
        }
    }

    pub(crate) fn with_reason(mut self, reason: Reason) -> Verdict {
        self.reasons.push(reason);
        self.finish()
    }

    /// Sets the status from the reasons, and `verified` from the status: the one place
    /// either is decided. `authentic` was set by the pipeline once the signature
    /// verified; any reason that does not leave data authentic takes it back.
    pub(crate) fn finish(mut self) -> Verdict {
        self.status = match self.reasons.as_slice() {
            [] => Status::Valid,
            [reason] if reason.is_not_a_certificate() => Status::NotACertificate,
            _ => Status::Invalid,
        };
        let authentic_reasons = self.reasons.iter().all(Reason::leaves_authentic);
        let valid = self.status == Status::Valid;
        if let Some(view) = &mut self.certificate {
            view.authentic &= authentic_reasons;
            view.verified = valid && view.authentic;
        }
        self
    }

    /// Whether the status is [`Status::Valid`].
    pub fn is_valid(&self) -> bool {
        self.status == Status::Valid
    }

    /// Whether the certificate's data is genuine (see [`CertificateView::authentic`]),
    /// whatever its dates and revocation say.
    pub fn is_authentic(&self) -> bool {
        self.certificate.as_ref().is_some_and(|view| view.authentic)
    }

    /// The verdict in one line of Chinese, for the top of a screen: 有效证书，已核验;
    /// 真实证书，但已过期 (genuine data that failed only time or revocation checks, which
    /// calls for renewal); 无效：不能证明是真实证书 (which calls for the police); 不是证书
    /// (a link or other text), with the look-alike warning when the link imitates an
    /// official site.
    pub fn summary_zh(&self) -> String {
        match self.kind() {
            Kind::Valid => "有效证书，已核验".into(),
            Kind::GenuineButInvalid(phrases) => {
                let phrases: Vec<&str> = phrases.iter().map(|(zh, _)| *zh).collect();
                format!("真实证书，但{}", phrases.join("、"))
            }
            Kind::NotGenuine => "无效：不能证明是真实证书（伪造、被篡改或签发者不受信任）".into(),
            Kind::LookAlike => "不是证书：疑似仿冒的查询网站".into(),
            Kind::NotACertificate => "不是证书".into(),
        }
    }

    /// The verdict in one line of English (see [`Verdict::summary_zh`]).
    pub fn summary_en(&self) -> String {
        match self.kind() {
            Kind::Valid => "valid certificate, verified".into(),
            Kind::GenuineButInvalid(phrases) => {
                let phrases: Vec<&str> = phrases.iter().map(|(_, en)| *en).collect();
                format!("genuine certificate, but {}", phrases.join(", "))
            }
            Kind::NotGenuine => {
                "invalid: not shown to be genuine (forged, altered or from an untrusted issuer)"
                    .into()
            }
            Kind::LookAlike => "not a certificate: probably a fake verification website".into(),
            Kind::NotACertificate => "not a certificate".into(),
        }
    }

    fn kind(&self) -> Kind {
        match self.status {
            Status::Valid => Kind::Valid,
            Status::NotACertificate
                if self
                    .reasons
                    .iter()
                    .any(|reason| matches!(reason, Reason::LookAlikeWebsite { .. })) =>
            {
                Kind::LookAlike
            }
            Status::NotACertificate => Kind::NotACertificate,
            _ if self.is_authentic() => {
                Kind::GenuineButInvalid(self.reasons.iter().filter_map(lapse_phrase).collect())
            }
            _ => Kind::NotGenuine,
        }
    }
}

/// The five ways a verdict reads at a glance.
enum Kind {
    Valid,
    /// With a phrase in Chinese and English for each reason.
    GenuineButInvalid(Vec<(&'static str, &'static str)>),
    NotGenuine,
    LookAlike,
    NotACertificate,
}

/// How a reason that leaves the data authentic reads after "genuine certificate, but".
fn lapse_phrase(reason: &Reason) -> Option<(&'static str, &'static str)> {
    Some(match reason {
        Reason::NotYetValid { .. } => ("尚未生效", "not yet valid"),
        Reason::Expired { .. } => ("已过期", "expired"),
        Reason::ReviewOverdue { .. } => ("逾期未复审", "overdue for review"),
        Reason::Revoked => ("已被吊销", "revoked"),
        Reason::RevocationListExpired { .. } => (
            "吊销名单已过期，无法核查是否被吊销",
            "revocation cannot be checked (the revocation list expired)",
        ),
        _ => return None,
    })
}

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut object = serializer.serialize_struct("Verdict", 7)?;
        object.serialize_field("status", &self.status)?;
        object.serialize_field("summary_zh", &self.summary_zh())?;
        object.serialize_field("summary_en", &self.summary_en())?;
        object.serialize_field("reasons", &self.reasons)?;
        object.serialize_field("warnings", &self.warnings)?;
        object.serialize_field("certificate", &self.certificate)?;
        object.serialize_field("issuer", &self.issuer)?;
        object.end()
    }
}
