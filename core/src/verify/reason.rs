//! Why a verdict is not valid ([`Reason`]), what an inspector should know besides
//! ([`Warning`]), and the typed facts each carries ([`Details`]), which cross every
//! boundary beside the stable code and the two messages ([`Reason::message_zh`] and
//! [`Reason::message_en`]).

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use time::{Date, OffsetDateTime};

use crate::catalog::Family;
use crate::certificate::{CertificateError, ClaimsError};
use crate::cose::CoseError;
use crate::keys::KeyId;
use crate::text::TextError;
use crate::website::{Trick, WebsiteClass};

/// Why a verdict is not valid. Each has a stable code ([`Reason::code`]), messages in
/// Chinese and English ([`Reason::message_zh`], [`Reason::message_en`]) and its facts
/// as typed data ([`Reason::details`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// Text that is not a certqr certificate and not a web link.
    NotCertqr,
    /// A web link to a site that is neither official nor a look-alike of an official
    /// domain (or the trust list names no domains). A web page cannot prove a card genuine.
    WebsiteLink {
        /// The host name (IDNs in punycode).
        domain: String,
    },
    /// A web link to an official domain of the trust list (see [`crate::website`]).
    /// Still not a certificate: a web page cannot prove a card genuine.
    OfficialWebsite {
        /// The host name.
        domain: String,
        /// The authority that owns it, in Chinese.
        authority_zh: String,
        /// The authority that owns it, in English.
        authority_en: String,
    },
    /// A web link to a host that imitates an official domain: most likely a fake
    /// verification site (仿冒查询网站).
    LookAlikeWebsite {
        /// The host name (IDNs in punycode).
        domain: String,
        /// The official domain it imitates.
        imitates: String,
        /// How.
        how: Trick,
    },
    /// The text is certqr text that cannot be decoded.
    MalformedText(TextError),
    /// The signed envelope is malformed.
    MalformedDocument(CoseError),
    /// A signed document that is not a certificate (for example a trust list).
    WrongDocumentKind {
        /// Its content type.
        content_type: u64,
    },
    /// The algorithm in the header is not one certqr accepts.
    UnsupportedAlgorithm {
        /// The COSE algorithm identifier: any CBOR integer (format.md §3.1).
        algorithm: i128,
    },
    /// The header's algorithm differs from the algorithm of the trusted key with that id.
    AlgorithmMismatch,
    /// The verifier has no trust list installed.
    NoTrustList,
    /// The trust list expired longer ago than the grace period allows.
    TrustListExpired {
        /// When it expired.
        expired_at: OffsetDateTime,
    },
    /// No trusted issuer has the key id.
    UnknownIssuer {
        /// The key id.
        key_id: KeyId,
    },
    /// The signature does not verify: the data was changed or forged.
    BadSignature,
    /// The issuer's key is marked compromised: nothing it signed is trusted.
    IssuerKeyCompromised,
    /// Signed by a retired key on or after its retirement.
    IssuerKeyRetired {
        /// Retirement date.
        since: Date,
    },
    /// Signed (valid-from date) outside the issuer key's validity window.
    OutsideKeyValidity {
        /// First day the key may sign.
        key_valid_from: Date,
        /// Last day the key may sign.
        key_valid_until: Date,
    },
    /// The signed claims cannot be read.
    MalformedClaims(ClaimsError),
    /// The signed claims break the family's rules.
    InvalidClaims(CertificateError),
    /// The issuer may not sign this family or item.
    OutOfScope {
        /// The family.
        family: Family,
        /// The item code.
        item: String,
    },
    /// Validity has not begun.
    NotYetValid {
        /// First day of validity.
        valid_from: Date,
    },
    /// Validity has ended.
    Expired {
        /// Last day of validity.
        valid_until: Date,
    },
    /// The review (复审) is overdue.
    ReviewOverdue {
        /// The date the review was due.
        review_due: Date,
    },
    /// The certificate is on the installed revocation list (吊销名单): its authority
    /// withdrew it before the end of its validity.
    Revoked,
    /// The revocation list expired longer ago than the grace period allows.
    RevocationListExpired {
        /// When it expired.
        expired_at: OffsetDateTime,
    },
}

impl Reason {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::NotCertqr => "not-certqr",
            Reason::WebsiteLink { .. } => "website-link",
            Reason::OfficialWebsite { .. } => "official-website",
            Reason::LookAlikeWebsite { .. } => "look-alike-website",
            Reason::MalformedText(TextError::UnsupportedVersion { .. }) => "unsupported-version",
            Reason::MalformedText(_) => "malformed-text",
            Reason::MalformedDocument(_) => "malformed-document",
            Reason::WrongDocumentKind { .. } => "wrong-document-kind",
            Reason::UnsupportedAlgorithm { .. } => "unsupported-algorithm",
            Reason::AlgorithmMismatch => "algorithm-mismatch",
            Reason::NoTrustList => "no-trust-list",
            Reason::TrustListExpired { .. } => "trust-list-expired",
            Reason::UnknownIssuer { .. } => "unknown-issuer",
            Reason::BadSignature => "bad-signature",
            Reason::IssuerKeyCompromised => "issuer-key-compromised",
            Reason::IssuerKeyRetired { .. } => "issuer-key-retired",
            Reason::OutsideKeyValidity { .. } => "outside-key-validity",
            Reason::MalformedClaims(_) => "malformed-claims",
            Reason::InvalidClaims(_) => "invalid-claims",
            Reason::OutOfScope { .. } => "out-of-scope",
            Reason::NotYetValid { .. } => "not-yet-valid",
            Reason::Expired { .. } => "expired",
            Reason::ReviewOverdue { .. } => "review-overdue",
            Reason::Revoked => "revoked",
            Reason::RevocationListExpired { .. } => "revocation-list-expired",
        }
    }

    /// Whether the signed data can still be authentic with this reason: true for the
    /// reasons about time and withdrawal (not yet valid, expired, review overdue,
    /// revoked, revocation not checkable), which a genuine certificate can have; false
    /// for everything that means no trusted issuer vouches for the data. An inspector
    /// treats the two differently: a genuine card that lapsed needs renewal, a forged
    /// one goes to the police.
    pub fn leaves_authentic(&self) -> bool {
        matches!(
            self,
            Reason::NotYetValid { .. }
                | Reason::Expired { .. }
                | Reason::ReviewOverdue { .. }
                | Reason::Revoked
                | Reason::RevocationListExpired { .. }
        )
    }

    /// Whether this reason alone makes the verdict "not a certificate": the text is a
    /// web link or no certqr text at all.
    pub fn is_not_a_certificate(&self) -> bool {
        matches!(
            self,
            Reason::NotCertqr
                | Reason::WebsiteLink { .. }
                | Reason::OfficialWebsite { .. }
                | Reason::LookAlikeWebsite { .. }
        )
    }

    /// The reason's facts as typed data: what the messages say in prose.
    pub fn details(&self) -> Details {
        let mut details = Details::default();
        match self {
            Reason::NotCertqr
            | Reason::AlgorithmMismatch
            | Reason::NoTrustList
            | Reason::BadSignature
            | Reason::IssuerKeyCompromised
            | Reason::Revoked => {}
            Reason::WebsiteLink { domain } => details.domain = Some(domain.clone()),
            Reason::OfficialWebsite {
                domain,
                authority_zh,
                authority_en,
            } => {
                details.domain = Some(domain.clone());
                details.authority_zh = Some(authority_zh.clone());
                details.authority_en = Some(authority_en.clone());
            }
            Reason::LookAlikeWebsite {
                domain,
                imitates,
                how,
            } => {
                details.domain = Some(domain.clone());
                details.imitates = Some(imitates.clone());
                details.trick = Some(how.code());
                if let Trick::Misspelling { distance } = how {
                    details.distance = Some(*distance);
                }
            }
            Reason::MalformedText(error) => details.detail = Some(error.to_string()),
            Reason::MalformedDocument(error) => details.detail = Some(error.to_string()),
            Reason::MalformedClaims(error) => details.detail = Some(error.to_string()),
            Reason::InvalidClaims(error) => details.detail = Some(error.to_string()),
            Reason::WrongDocumentKind { content_type } => {
                details.content_type = Some(*content_type);
            }
            Reason::UnsupportedAlgorithm { algorithm } => details.algorithm = Some(*algorithm),
            Reason::TrustListExpired { expired_at }
            | Reason::RevocationListExpired { expired_at } => {
                details.expired_at = Some(*expired_at);
            }
            Reason::UnknownIssuer { key_id } => details.key_id = Some(key_id.to_hex()),
            Reason::IssuerKeyRetired { since } => details.retired_on = Some(*since),
            Reason::OutsideKeyValidity {
                key_valid_from,
                key_valid_until,
            } => {
                details.key_valid_from = Some(*key_valid_from);
                details.key_valid_until = Some(*key_valid_until);
            }
            Reason::OutOfScope { family, item } => {
                details.family = Some(*family);
                details.item = Some(item.clone());
            }
            Reason::NotYetValid { valid_from } => details.valid_from = Some(*valid_from),
            Reason::Expired { valid_until } => details.expired_on = Some(*valid_until),
            Reason::ReviewOverdue { review_due } => details.review_due = Some(*review_due),
        }
        details
    }
}

impl From<WebsiteClass> for Reason {
    fn from(class: WebsiteClass) -> Reason {
        match class {
            WebsiteClass::Official {
                domain,
                authority_zh,
                authority_en,
            } => Reason::OfficialWebsite {
                domain,
                authority_zh,
                authority_en,
            },
            WebsiteClass::LookAlike {
                domain,
                imitates,
                how,
            } => Reason::LookAlikeWebsite {
                domain,
                imitates,
                how,
            },
            WebsiteClass::Other { domain } => Reason::WebsiteLink { domain },
        }
    }
}

/// Something the inspector should know that does not make the verdict fail.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// The trust list is past its expiry but within the grace period.
    TrustListStale {
        /// When it expired.
        expired_at: OffsetDateTime,
    },
    /// The certificate holds extension claims this version does not read.
    ExtensionClaimsIgnored {
        /// Their keys, in ascending order: any CBOR integers (format.md §3.1).
        keys: Vec<i128>,
    },
    /// The certificate expires within [`super::SOON_DAYS`] days.
    ExpiresSoon {
        /// Last day of validity.
        valid_until: Date,
    },
    /// A review is due within [`super::SOON_DAYS`] days.
    ReviewDueSoon {
        /// Review due date.
        review_due: Date,
    },
    /// The revocation list is past its expiry but within the grace period.
    RevocationListStale {
        /// When it expired.
        expired_at: OffsetDateTime,
    },
    /// The device clock is earlier than the latest signed time the verifier has seen
    /// (the issue time of an installed list): the clock is wrong or was set back.
    /// Dates were judged at `trusted_time` instead.
    ClockBehindTrustedData {
        /// The latest signed time seen.
        trusted_time: OffsetDateTime,
    },
    /// The state records an installed revocation list, but none is loaded: revocation
    /// was not checked (rather than silently skipped).
    RevocationNotChecked {
        /// The revocation list sequence the state records.
        sequence: u64,
    },
}

impl Warning {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::TrustListStale { .. } => "trust-list-stale",
            Warning::ExtensionClaimsIgnored { .. } => "extension-claims-ignored",
            Warning::ExpiresSoon { .. } => "expires-soon",
            Warning::ReviewDueSoon { .. } => "review-due-soon",
            Warning::RevocationListStale { .. } => "revocation-list-stale",
            Warning::ClockBehindTrustedData { .. } => "clock-behind-trusted-data",
            Warning::RevocationNotChecked { .. } => "revocation-not-checked",
        }
    }

    /// The warning's facts as typed data.
    pub fn details(&self) -> Details {
        let mut details = Details::default();
        match self {
            Warning::TrustListStale { expired_at }
            | Warning::RevocationListStale { expired_at } => {
                details.expired_at = Some(*expired_at);
            }
            Warning::ExtensionClaimsIgnored { keys } => details.keys = Some(keys.clone()),
            Warning::ExpiresSoon { valid_until } => details.valid_until = Some(*valid_until),
            Warning::ReviewDueSoon { review_due } => details.review_due = Some(*review_due),
            Warning::ClockBehindTrustedData { trusted_time } => {
                details.trusted_time = Some(*trusted_time);
            }
            Warning::RevocationNotChecked { sequence } => details.sequence = Some(*sequence),
        }
        details
    }
}

/// The facts of a [`Reason`] or [`Warning`], each present only where that reason or
/// warning has it. The JSON of a reason is its code, both messages and these fields
/// (absent ones left out); the bindings carry the same fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Details {
    /// The host of a web link (IDNs in punycode).
    pub domain: Option<String>,
    /// The official domain a look-alike host imitates.
    pub imitates: Option<String>,
    /// How it imitates it ([`Trick::code`]).
    pub trick: Option<&'static str>,
    /// For a misspelling, the number of characters changed.
    pub distance: Option<u8>,
    /// The authority that owns an official site, in Chinese.
    pub authority_zh: Option<String>,
    /// The authority that owns an official site, in English.
    pub authority_en: Option<String>,
    /// What exactly is malformed or breaks the rules, in English, for diagnosis (the
    /// messages stay in plain words).
    pub detail: Option<String>,
    /// The content type of a signed document of another kind.
    pub content_type: Option<u64>,
    /// The COSE algorithm identifier that is not accepted.
    pub algorithm: Option<i128>,
    /// The key id (hexadecimal) no trusted issuer holds.
    pub key_id: Option<String>,
    /// When a trust list or revocation list expired.
    pub expired_at: Option<OffsetDateTime>,
    /// When the issuing key was retired.
    pub retired_on: Option<Date>,
    /// First day the issuing key may sign.
    pub key_valid_from: Option<Date>,
    /// Last day the issuing key may sign.
    pub key_valid_until: Option<Date>,
    /// The family an issuer may not sign.
    pub family: Option<Family>,
    /// The item code an issuer may not sign.
    pub item: Option<String>,
    /// First day of validity of a certificate not yet valid.
    pub valid_from: Option<Date>,
    /// Last day of validity of an expired certificate.
    pub expired_on: Option<Date>,
    /// Last day of validity of a certificate that expires soon.
    pub valid_until: Option<Date>,
    /// When the review was or is due.
    pub review_due: Option<Date>,
    /// Extension claim keys that were ignored, in ascending order. JSON writes them as
    /// exact numbers, also beyond 64 bits.
    pub keys: Option<Vec<i128>>,
    /// The latest signed time the verifier has seen.
    pub trusted_time: Option<OffsetDateTime>,
    /// The sequence of a revocation list that was installed but is not loaded.
    pub sequence: Option<u64>,
}

impl Details {
    /// Writes the present fields into a JSON-style map: dates as `YYYY-MM-DD`, times as
    /// RFC 3339 in UTC.
    fn serialize_into<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        fn text<M: SerializeMap>(
            map: &mut M,
            key: &str,
            value: &Option<String>,
        ) -> Result<(), M::Error> {
            match value {
                Some(value) => map.serialize_entry(key, value),
                None => Ok(()),
            }
        }
        fn date<M: SerializeMap>(
            map: &mut M,
            key: &str,
            value: Option<Date>,
        ) -> Result<(), M::Error> {
            match value {
                Some(value) => map.serialize_entry(key, &value.to_string()),
                None => Ok(()),
            }
        }
        fn instant<M: SerializeMap>(
            map: &mut M,
            key: &str,
            value: Option<OffsetDateTime>,
        ) -> Result<(), M::Error> {
            match value {
                Some(value) => map.serialize_entry(key, &rfc3339(value)),
                None => Ok(()),
            }
        }
        text(map, "domain", &self.domain)?;
        text(map, "imitates", &self.imitates)?;
        if let Some(trick) = self.trick {
            map.serialize_entry("trick", trick)?;
        }
        if let Some(distance) = self.distance {
            map.serialize_entry("distance", &distance)?;
        }
        text(map, "authority_zh", &self.authority_zh)?;
        text(map, "authority_en", &self.authority_en)?;
        text(map, "detail", &self.detail)?;
        if let Some(content_type) = self.content_type {
            map.serialize_entry("content_type", &content_type)?;
        }
        if let Some(algorithm) = self.algorithm {
            map.serialize_entry("algorithm", &algorithm)?;
        }
        text(map, "key_id", &self.key_id)?;
        instant(map, "expired_at", self.expired_at)?;
        date(map, "retired_on", self.retired_on)?;
        date(map, "key_valid_from", self.key_valid_from)?;
        date(map, "key_valid_until", self.key_valid_until)?;
        if let Some(family) = &self.family {
            map.serialize_entry("family", family)?;
        }
        text(map, "item", &self.item)?;
        date(map, "valid_from", self.valid_from)?;
        date(map, "expired_on", self.expired_on)?;
        date(map, "valid_until", self.valid_until)?;
        date(map, "review_due", self.review_due)?;
        if let Some(keys) = &self.keys {
            map.serialize_entry("keys", keys)?;
        }
        instant(map, "trusted_time", self.trusted_time)?;
        if let Some(sequence) = self.sequence {
            map.serialize_entry("sequence", &sequence)?;
        }
        Ok(())
    }
}

/// `time` as RFC 3339 in UTC, to the second (`2025-04-01T00:00:00Z`).
pub(crate) fn rfc3339(time: OffsetDateTime) -> String {
    // Signed times are in UTC's range; a time that is not is shown in its own offset.
    let utc = time.checked_to_offset(time::UtcOffset::UTC).unwrap_or(time);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        utc.date(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

/// One reason or warning as JSON: `{"code", "message_zh", "message_en", ...details}`.
fn serialize_entry<S: Serializer>(
    serializer: S,
    code: &str,
    message_zh: String,
    message_en: String,
    details: &Details,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry("code", code)?;
    map.serialize_entry("message_zh", &message_zh)?;
    map.serialize_entry("message_en", &message_en)?;
    details.serialize_into(&mut map)?;
    map.end()
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_entry(
            serializer,
            self.code(),
            self.message_zh(),
            self.message_en(),
            &self.details(),
        )
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_entry(
            serializer,
            self.code(),
            self.message_zh(),
            self.message_en(),
            &self.details(),
        )
    }
}
