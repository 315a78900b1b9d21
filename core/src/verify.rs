//! Verifying QR text: from the scanned string to a verdict that says exactly why.
//!
//! Stages, in order: prefix → decode → COSE → key lookup → signature → claims → scope →
//! dates. A stage that fails stops the ones that depend on it; from the claims on, every
//! failing check is reported. The clock is an argument: nothing here reads the time.

use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};

use crate::catalog::Family;
use crate::certificate::{china_date, Certificate, CertificateError, ClaimsError};
use crate::cose::{self, CoseError, DocumentKind};
use crate::id_number::Sex;
use crate::keys::{Algorithm, KeyId, PublicKey};
use crate::revocation::{RevocationDelta, RevocationError, RevocationList};
use crate::state::{self, VerifierState};
use crate::text::{self, TextError};
use crate::trust::{KeyStatus, TrustList, TrustListError, TrustedIssuer};
use crate::website;

/// Days before expiry or a review from which a valid verdict carries a warning.
pub const SOON_DAYS: i64 = 30;

/// Settings of a [`Verifier`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierOptions {
    /// How long past its expiry a trust list still verifies (with a warning). Default 30 days.
    pub trust_list_grace: Duration,
    /// How long past its expiry a revocation list is still used (with a warning); after
    /// that every verdict fails with [`Reason::RevocationListExpired`]. Default 7 days:
    /// shorter than the trust list's, since a revocation list is worth its freshness.
    pub revocation_list_grace: Duration,
    /// Show the full identity card number instead of the masked form. Default false.
    pub show_full_id_number: bool,
}

impl Default for VerifierOptions {
    fn default() -> Self {
        VerifierOptions {
            trust_list_grace: Duration::days(30),
            revocation_list_grace: Duration::days(7),
            show_full_id_number: false,
        }
    }
}

/// Verifies certificates against pinned root keys and the trust list they sign.
#[derive(Debug, Clone)]
pub struct Verifier {
    roots: Vec<PublicKey>,
    trust_list: Option<TrustList>,
    revocation_list: Option<RevocationList>,
    options: VerifierOptions,
    state: VerifierState,
}

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

/// Why a verdict is not valid. Each has a stable code and messages in Chinese and English.
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
        how: crate::website::Trick,
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
        /// The COSE algorithm identifier.
        algorithm: i64,
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

    /// Message in English.
    pub fn message_en(&self) -> String {
        match self {
            Reason::NotCertqr => "Not a certificate: this QR code holds no signed certificate.".into(),
            Reason::WebsiteLink { domain } => format!(
                "Not a certificate: website link ({domain}). A web page cannot prove a card genuine; \
                 to look a certificate up, type the official platform's address yourself."
            ),
            Reason::OfficialWebsite { domain, authority_en, .. } => format!(
                "Not a certificate: a link to an official site of {authority_en} ({domain}). A web page \
                 cannot prove a card genuine, and a QR code can lead anywhere: to look a certificate up, \
                 type the official platform's address yourself instead of following this code."
            ),
            Reason::LookAlikeWebsite { domain, imitates, how } => format!(
                "WARNING: probably a FAKE verification site. Not a certificate: {domain} imitates the \
                 official {imitates} ({}). Trust nothing the site shows and enter no personal data; \
                 to look a certificate up, type the official address {imitates} yourself.",
                how.description_en()
            ),
            Reason::MalformedText(error) => format!("The QR code's content is damaged or not readable: {error}."),
            Reason::MalformedDocument(error) => format!("The signed data is malformed: {error}."),
            Reason::WrongDocumentKind { .. } => {
                "This is a signed document of another kind (not a certificate).".into()
            }
            Reason::UnsupportedAlgorithm { algorithm } => {
                format!("Signature algorithm {algorithm} is not accepted.")
            }
            Reason::AlgorithmMismatch => {
                "The signature's algorithm differs from the issuer's registered key.".into()
            }
            Reason::NoTrustList => "No trust list is installed: no issuer can be checked.".into(),
            Reason::TrustListExpired { expired_at } => {
                format!("The trust list expired on {} and must be updated.", expired_at.date())
            }
            Reason::UnknownIssuer { key_id } => {
                format!("Signed by a key no trusted authority holds (key id {key_id}).")
            }
            Reason::BadSignature => "Signature check failed: the data was altered or forged.".into(),
            Reason::IssuerKeyCompromised => {
                "The issuing key is marked compromised: nothing it signed is trusted.".into()
            }
            Reason::IssuerKeyRetired { since } => {
                format!("Signed after the issuing key was retired on {since}.")
            }
            Reason::OutsideKeyValidity {
                key_valid_from,
                key_valid_until,
            } => format!(
                "Issued outside the issuing key's validity ({key_valid_from} to {key_valid_until})."
            ),
            Reason::MalformedClaims(error) => format!("The certificate data is malformed: {error}."),
            Reason::InvalidClaims(error) => format!("The certificate data breaks the rules: {error}."),
            Reason::OutOfScope { family, item } => format!(
                "The issuing authority may not issue {} item {item}.",
                family.name_en()
            ),
            Reason::NotYetValid { valid_from } => format!("Not valid before {valid_from}."),
            Reason::Expired { valid_until } => format!("Expired: valid until {valid_until}."),
            Reason::ReviewOverdue { review_due } => format!("Review overdue: it was due by {review_due}."),
            Reason::Revoked => "Revoked: the issuing authority has withdrawn this certificate.".into(),
            Reason::RevocationListExpired { expired_at } => format!(
                "The revocation list expired on {} and must be updated: revocation cannot be checked.",
                expired_at.date()
            ),
        }
    }

    /// Message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Reason::NotCertqr => "不是证书：此二维码不含签名证书。".into(),
            Reason::WebsiteLink { domain } => format!(
                "不是证书：网站链接（{domain}）。网页无法证明证件真伪；如需查询，请自行输入官方平台网址。"
            ),
            Reason::OfficialWebsite { domain, authority_zh, .. } => format!(
                "不是证书：{authority_zh}官方网站链接（{domain}）。网页无法证明证件真伪，二维码也可能指向任何网站；\
                 如需查询，请自行输入官方平台网址，不要通过此二维码进入。"
            ),
            Reason::LookAlikeWebsite { domain, imitates, how } => format!(
                "警告：疑似仿冒的查询网站！不是证书：{domain} 冒充官方网址 {imitates}（{}）。\
                 不要相信该网站显示的任何内容，也不要输入个人信息；如需查询，请自行输入官方网址 {imitates}。",
                how.description_zh()
            ),
            Reason::MalformedText(error) => format!("二维码内容损坏或无法识读：{error}。"),
            Reason::MalformedDocument(error) => format!("签名数据格式错误：{error}。"),
            Reason::WrongDocumentKind { .. } => "这是其他类型的签名文件，不是证书。".into(),
            Reason::UnsupportedAlgorithm { algorithm } => format!("不接受的签名算法（{algorithm}）。"),
            Reason::AlgorithmMismatch => "签名算法与发证机关登记的密钥不符。".into(),
            Reason::NoTrustList => "未安装信任列表，无法核验发证机关。".into(),
            Reason::TrustListExpired { expired_at } => {
                format!("信任列表已于 {} 过期，请更新。", expired_at.date())
            }
            Reason::UnknownIssuer { key_id } => {
                format!("签名密钥不属于任何受信任的发证机关（密钥标识 {key_id}）。")
            }
            Reason::BadSignature => "签名验证失败：数据被篡改或伪造。".into(),
            Reason::IssuerKeyCompromised => "发证密钥已被标记为泄露，其签发的内容一律不予信任。".into(),
            Reason::IssuerKeyRetired { since } => format!("签发时间晚于发证密钥停用日期（{since}）。"),
            Reason::OutsideKeyValidity {
                key_valid_from,
                key_valid_until,
            } => format!("签发日期不在发证密钥有效期内（{key_valid_from} 至 {key_valid_until}）。"),
            Reason::MalformedClaims(error) => format!("证书数据格式错误：{error}。"),
            Reason::InvalidClaims(error) => format!("证书数据不符合规定：{error}。"),
            Reason::OutOfScope { family, item } => {
                format!("发证机关无权签发{}（项目 {item}）。", family.name_zh())
            }
            Reason::NotYetValid { valid_from } => format!("尚未生效：自 {valid_from} 起有效。"),
            Reason::Expired { valid_until } => format!("已过期：有效期至 {valid_until}。"),
            Reason::ReviewOverdue { review_due } => format!("逾期未复审：应于 {review_due} 前复审。"),
            Reason::Revoked => "已吊销：发证机关已撤销此证书。".into(),
            Reason::RevocationListExpired { expired_at } => {
                format!("吊销名单已于 {} 过期，无法核查证书是否被吊销，请更新。", expired_at.date())
            }
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Message {
            code: self.code(),
            message_zh: self.message_zh(),
            message_en: self.message_en(),
        }
        .serialize(serializer)
    }
}

#[derive(Serialize)]
struct Message {
    code: &'static str,
    message_zh: String,
    message_en: String,
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
        /// Their keys.
        keys: Vec<i64>,
    },
    /// The certificate expires within [`SOON_DAYS`] days.
    ExpiresSoon {
        /// Last day of validity.
        valid_until: Date,
    },
    /// A review is due within [`SOON_DAYS`] days.
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

    /// Message in English.
    pub fn message_en(&self) -> String {
        match self {
            Warning::TrustListStale { expired_at } => format!(
                "The trust list expired on {}; update it soon.",
                expired_at.date()
            ),
            Warning::ExtensionClaimsIgnored { keys } => {
                format!("Extension data this app does not read was ignored (claims {keys:?}).")
            }
            Warning::ExpiresSoon { valid_until } => {
                format!("Expires soon: valid until {valid_until}.")
            }
            Warning::ReviewDueSoon { review_due } => format!("Review due soon: by {review_due}."),
            Warning::RevocationListStale { expired_at } => format!(
                "The revocation list expired on {}; update it soon.",
                expired_at.date()
            ),
            Warning::ClockBehindTrustedData { trusted_time } => format!(
                "The device clock is behind trusted data (signed {}): set the clock right; \
                 dates were judged as of that time.",
                china_time(*trusted_time)
            ),
            Warning::RevocationNotChecked { sequence } => format!(
                "Revocation was not checked: a revocation list (sequence {sequence}) was \
                 installed before but is not available now; install it again."
            ),
        }
    }

    /// Message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Warning::TrustListStale { expired_at } => {
                format!("信任列表已于 {} 过期，请尽快更新。", expired_at.date())
            }
            Warning::ExtensionClaimsIgnored { keys } => {
                format!("已忽略本应用不识别的扩展数据（{keys:?}）。")
            }
            Warning::ExpiresSoon { valid_until } => format!("即将到期：有效期至 {valid_until}。"),
            Warning::ReviewDueSoon { review_due } => {
                format!("即将复审：应于 {review_due} 前复审。")
            }
            Warning::RevocationListStale { expired_at } => {
                format!("吊销名单已于 {} 过期，请尽快更新。", expired_at.date())
            }
            Warning::ClockBehindTrustedData { trusted_time } => format!(
                "设备时钟早于可信数据时间（{}），请校准时钟；有效期按该时间判断。",
                china_time(*trusted_time)
            ),
            Warning::RevocationNotChecked { sequence } => format!(
                "未检查吊销状态：此前已安装吊销名单（序号 {sequence}），但现在不可用，请重新安装。"
            ),
        }
    }
}

impl Serialize for Warning {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Message {
            code: self.code(),
            message_zh: self.message_zh(),
            message_en: self.message_en(),
        }
        .serialize(serializer)
    }
}

/// A certificate's fields for display. `verified` is true only when the signature of a
/// trusted, uncompromised issuer, acting within its scope and key window, covers them
/// (they may still be expired or overdue for review): unverified fields are what anyone
/// could have written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateView {
    /// Whether a trusted issuer's valid signature covers these fields.
    pub verified: bool,
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
    /// The display fields of `certificate`. `verified` must be true only when a trusted,
    /// uncompromised issuer's signature covers them. The identity card number is masked
    /// unless `show_full_id_number`, also where the certificate number contains it.
    pub fn new(
        certificate: &Certificate,
        verified: bool,
        show_full_id_number: bool,
    ) -> CertificateView {
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
            verified,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    fn new() -> Verdict {
        Verdict {
            status: Status::Invalid,
            reasons: Vec::new(),
            warnings: Vec::new(),
            certificate: None,
            issuer: None,
        }
    }

    fn with_reason(mut self, reason: Reason) -> Verdict {
        self.reasons.push(reason);
        self.finish()
    }

    fn finish(mut self) -> Verdict {
        self.status = match self.reasons.as_slice() {
            [] => Status::Valid,
            [Reason::NotCertqr
            | Reason::WebsiteLink { .. }
            | Reason::OfficialWebsite { .. }
            | Reason::LookAlikeWebsite { .. }] => Status::NotACertificate,
            _ => Status::Invalid,
        };
        self
    }

    /// Whether the status is [`Status::Valid`].
    pub fn is_valid(&self) -> bool {
        self.status == Status::Valid
    }
}

impl Verifier {
    /// A verifier that trusts trust lists signed by any of `roots`, with default options.
    pub fn new(roots: Vec<PublicKey>) -> Verifier {
        Verifier::with_options(roots, VerifierOptions::default())
    }

    /// A verifier with explicit options.
    pub fn with_options(roots: Vec<PublicKey>, options: VerifierOptions) -> Verifier {
        Verifier::with_state(roots, options, VerifierState::new())
    }

    /// A verifier that carries on from `state`, as saved by an earlier run
    /// ([`Verifier::state`]): lists older than the state's are refused even before any
    /// list is installed, and dates are never judged before the state's trusted time.
    pub fn with_state(
        roots: Vec<PublicKey>,
        options: VerifierOptions,
        state: VerifierState,
    ) -> Verifier {
        Verifier {
            roots,
            trust_list: None,
            revocation_list: None,
            options,
            state,
        }
    }

    /// What to save for the next run: the highest list sequences installed and the
    /// latest signed time seen (including what the state given to
    /// [`Verifier::with_state`] held).
    pub fn state(&self) -> &VerifierState {
        &self.state
    }

    /// Install a signed trust list, replacing the current one. Refused unless a pinned
    /// root signed it and its sequence is not lower than the installed list's, nor than
    /// the highest sequence the verifier's state records (rollback across restarts); a
    /// list of that sequence must be the one installed before (same digest, also across
    /// restarts). The list's sequence, issue time and digest are recorded in the state.
    pub fn install_trust_list(&mut self, signed: &[u8]) -> Result<&TrustList, TrustListError> {
        let list = TrustList::from_signed(signed, &self.roots)?;
        let digest = state::list_digest(signed);
        self.state.check_trust_list(list.sequence, &digest)?;
        if let Some(installed) = &self.trust_list {
            if list.sequence < installed.sequence {
                return Err(TrustListError::Rollback {
                    installed: installed.sequence,
                    offered: list.sequence,
                });
            }
            if list.sequence == installed.sequence && list != *installed {
                return Err(TrustListError::ConflictingSequence {
                    sequence: list.sequence,
                });
            }
        }
        self.state
            .record_trust_list(list.sequence, list.issued_at, digest);
        Ok(self.trust_list.insert(list))
    }

    /// The installed trust list.
    pub fn trust_list(&self) -> Option<&TrustList> {
        self.trust_list.as_ref()
    }

    /// Install a signed full revocation list, replacing the current one. Refused unless a
    /// pinned root signed it (as for a trust list) and its sequence is not lower than the
    /// installed list's, nor than the highest the verifier's state records; a list of the
    /// same sequence must have the same content. Its sequence and issue time are
    /// recorded in the state.
    ///
    /// Without a revocation list, verification proceeds without checking revocation: the
    /// app or command decides whether to require one.
    pub fn install_revocation_list(
        &mut self,
        signed: &[u8],
    ) -> Result<&RevocationList, RevocationError> {
        self.install_revocation_chain(signed, &[])
    }

    /// Install a signed full revocation list with the signed deltas applied to it since,
    /// in order, as one step, as a store saved them: the checks of
    /// [`Verifier::install_revocation_list`] apply to the list the chain ends at (so a
    /// state that recorded the last delta's sequence accepts it), with the full list's
    /// digest only when there are no deltas. A delta below the chain's sequence is
    /// skipped (left over from an earlier list); any other that does not apply refuses
    /// the whole chain, and nothing changes.
    pub fn install_revocation_chain(
        &mut self,
        signed: &[u8],
        deltas: &[Vec<u8>],
    ) -> Result<&RevocationList, RevocationError> {
        let mut list = RevocationList::from_signed(signed, &self.roots)?;
        let mut digest = Some(state::list_digest(signed));
        for delta in deltas {
            let delta = RevocationDelta::from_signed(delta, &self.roots)?;
            if delta.base_sequence < list.sequence {
                continue;
            }
            list = list.apply(&delta)?;
            digest = None;
        }
        self.state
            .check_revocation_list(list.sequence, digest.as_ref())?;
        if let Some(installed) = &self.revocation_list {
            installed.check_update(&list)?;
        }
        self.state
            .record_revocation_list(list.sequence, list.issued_at, digest);
        Ok(self.revocation_list.insert(list))
    }

    /// Apply a signed revocation delta to the installed list. Refused unless a pinned root
    /// signed it and it goes from the installed list's sequence to the next; on refusal
    /// the installed list stays as it was.
    pub fn apply_revocation_delta(
        &mut self,
        signed: &[u8],
    ) -> Result<&RevocationList, RevocationError> {
        let delta = RevocationDelta::from_signed(signed, &self.roots)?;
        let installed = self
            .revocation_list
            .as_ref()
            .ok_or(RevocationError::NoListInstalled)?;
        let list = installed.apply(&delta)?;
        // No digest: a delta is not a full list (see `crate::state`).
        self.state
            .record_revocation_list(list.sequence, list.issued_at, None);
        Ok(self.revocation_list.insert(list))
    }

    /// The installed revocation list: its `sequence` and `issued_at` are what to keep
    /// between runs.
    pub fn revocation_list(&self) -> Option<&RevocationList> {
        self.revocation_list.as_ref()
    }

    /// Verify scanned QR text at instant `now`.
    pub fn verify(&self, text: &str, now: OffsetDateTime) -> Verdict {
        let verdict = Verdict::new();
        let bytes = match text::decode(text) {
            Ok(bytes) => bytes,
            Err(TextError::NotCertqr) => {
                return verdict.with_reason(match (website_domain(text), &self.trust_list) {
                    // Official domains come only from a verified trust list.
                    (Some(domain), Some(list)) => website::classify(&domain, list).into(),
                    (Some(domain), None) => Reason::WebsiteLink { domain },
                    (None, _) => Reason::NotCertqr,
                });
            }
            Err(error) => return verdict.with_reason(Reason::MalformedText(error)),
        };
        self.verify_document(&bytes, now)
    }

    /// Verify the signed document bytes (already taken out of their text form).
    ///
    /// When `now` is earlier than the state's trusted time the verdict carries
    /// [`Warning::ClockBehindTrustedData`] and every date (the trust list's expiry, the
    /// certificate's validity and review) is judged at the trusted time instead: the
    /// real time cannot be earlier than a signed issue time, so a clock set back
    /// cannot make an expired certificate valid again.
    pub fn verify_document(&self, bytes: &[u8], now: OffsetDateTime) -> Verdict {
        let mut verdict = Verdict::new();
        if let Some(trusted_time) = self.state.clock_behind(now) {
            verdict
                .warnings
                .push(Warning::ClockBehindTrustedData { trusted_time });
        }
        let now = self.state.judging_time(now);
        let message = match cose::parse(bytes) {
            Ok(message) => message,
            Err(error) => return verdict.with_reason(Reason::MalformedDocument(error)),
        };
        if message.kind() != Some(DocumentKind::Certificate) {
            return verdict.with_reason(Reason::WrongDocumentKind {
                content_type: message.content_type,
            });
        }
        let Some(algorithm) = Algorithm::from_cose_id(message.algorithm) else {
            return verdict.with_reason(Reason::UnsupportedAlgorithm {
                algorithm: message.algorithm,
            });
        };
        // The claims are read before the signature only to show them, marked unverified.
        let claims = Certificate::from_claims(&message.payload);
        if let Ok((certificate, _)) = &claims {
            verdict.certificate = Some(self.view(certificate, false));
        }
        let Some(trust_list) = &self.trust_list else {
            return verdict.with_reason(Reason::NoTrustList);
        };
        if now > trust_list.expires_at {
            // Past the end of time's range the grace cannot run out.
            let grace_end = trust_list
                .expires_at
                .checked_add(self.options.trust_list_grace);
            if grace_end.is_some_and(|end| now > end) {
                return verdict.with_reason(Reason::TrustListExpired {
                    expired_at: trust_list.expires_at,
                });
            }
            verdict.warnings.push(Warning::TrustListStale {
                expired_at: trust_list.expires_at,
            });
        }
        let candidates: Vec<&TrustedIssuer> =
            trust_list.issuers_with_key_id(message.key_id).collect();
        if candidates.is_empty() {
            return verdict.with_reason(Reason::UnknownIssuer {
                key_id: message.key_id,
            });
        }
        let same_algorithm: Vec<&TrustedIssuer> = candidates
            .into_iter()
            .filter(|issuer| issuer.public_key.algorithm() == algorithm)
            .collect();
        if same_algorithm.is_empty() {
            return verdict.with_reason(Reason::AlgorithmMismatch);
        }
        let signed_data = message.signed_data();
        let Some(issuer) = same_algorithm.into_iter().find(|issuer| {
            issuer
                .public_key
                .verify(&signed_data, &message.signature)
                .is_ok()
        }) else {
            return verdict.with_reason(Reason::BadSignature);
        };
        if issuer.status == KeyStatus::Compromised {
            return verdict.with_reason(Reason::IssuerKeyCompromised);
        }
        verdict.issuer = Some(IssuerView {
            name_zh: issuer.name_zh.clone(),
            name_en: issuer.name_en.clone(),
            region_code: issuer.region_code,
            key_id: issuer.key_id().to_hex(),
            algorithm,
        });
        let (certificate, extensions) = match claims {
            Ok(claims) => claims,
            Err(error) => return verdict.with_reason(Reason::MalformedClaims(error)),
        };
        verdict.certificate = Some(self.view(&certificate, true));
        if !extensions.is_empty() {
            verdict
                .warnings
                .push(Warning::ExtensionClaimsIgnored { keys: extensions });
        }
        self.check_revocation(issuer.key_id(), &certificate, now, &mut verdict);
        verdict
            .reasons
            .extend(check_issuer_key(issuer, &certificate));
        if let Err(error) = certificate.check() {
            verdict.reasons.push(Reason::InvalidClaims(error));
        }
        if !issuer.may_sign(certificate.family, &certificate.item) {
            verdict.reasons.push(Reason::OutOfScope {
                family: certificate.family,
                item: certificate.item.clone(),
            });
        }
        let today = china_date(now);
        check_dates(&certificate, today, &mut verdict);
        // Dates do not make the signed fields less authentic; anything else does.
        let authentic = verdict.reasons.iter().all(|reason| {
            matches!(
                reason,
                Reason::NotYetValid { .. } | Reason::Expired { .. } | Reason::ReviewOverdue { .. }
            )
        });
        if let Some(view) = &mut verdict.certificate {
            view.verified = authentic;
        }
        verdict.finish()
    }

    fn view(&self, certificate: &Certificate, verified: bool) -> CertificateView {
        CertificateView::new(certificate, verified, self.options.show_full_id_number)
    }

    /// Revocation, once the signature verified: `revoked` when listed (also from a
    /// list past its grace period: what it holds stays revoked), and the list's age,
    /// like the trust list's. Without an installed list nothing is checked, and when the
    /// state records one, [`Warning::RevocationNotChecked`] says so.
    fn check_revocation(
        &self,
        issuer_key_id: KeyId,
        certificate: &Certificate,
        now: OffsetDateTime,
        verdict: &mut Verdict,
    ) {
        let Some(list) = &self.revocation_list else {
            if let Some(sequence) = self.state.revocation_list_sequence() {
                verdict
                    .warnings
                    .push(Warning::RevocationNotChecked { sequence });
            }
            return;
        };
        if list.is_revoked(issuer_key_id, certificate) {
            verdict.reasons.push(Reason::Revoked);
        }
        if now > list.expires_at {
            let expired_at = list.expires_at;
            // A deadline past the year 9999 is never reached.
            let deadline = expired_at.checked_add(self.options.revocation_list_grace);
            if deadline.is_some_and(|deadline| now > deadline) {
                verdict
                    .reasons
                    .push(Reason::RevocationListExpired { expired_at });
            } else {
                verdict
                    .warnings
                    .push(Warning::RevocationListStale { expired_at });
            }
        }
    }
}

/// `time` in China Standard Time, to the minute: `2025-05-01 08:00 (UTC+8)` (in UTC
/// for the last hours of the year 9999, which China time cannot show).
fn china_time(time: OffsetDateTime) -> String {
    let (local, zone) = match time.checked_to_offset(crate::certificate::CHINA_STANDARD_TIME) {
        Some(local) => (local, "UTC+8"),
        None => (time, "UTC"),
    };
    format!(
        "{} {:02}:{:02} ({zone})",
        local.date(),
        local.hour(),
        local.minute()
    )
}

/// Status and validity window of the issuer's key, judged at the certificate's
/// valid-from date (the day it was issued).
fn check_issuer_key(issuer: &TrustedIssuer, certificate: &Certificate) -> Option<Reason> {
    let signed_on = certificate.valid_from;
    if let KeyStatus::Retired { since } = issuer.status {
        if signed_on >= since {
            return Some(Reason::IssuerKeyRetired { since });
        }
    }
    if signed_on < issuer.key_valid_from || signed_on > issuer.key_valid_until {
        return Some(Reason::OutsideKeyValidity {
            key_valid_from: issuer.key_valid_from,
            key_valid_until: issuer.key_valid_until,
        });
    }
    None
}

fn check_dates(certificate: &Certificate, today: Date, verdict: &mut Verdict) {
    if today < certificate.valid_from {
        verdict.reasons.push(Reason::NotYetValid {
            valid_from: certificate.valid_from,
        });
    }
    if today > certificate.valid_until {
        verdict.reasons.push(Reason::Expired {
            valid_until: certificate.valid_until,
        });
    } else if (certificate.valid_until - today).whole_days() < SOON_DAYS {
        verdict.warnings.push(Warning::ExpiresSoon {
            valid_until: certificate.valid_until,
        });
    }
    if let Some(review_due) = certificate.review_due {
        if today > review_due {
            verdict.reasons.push(Reason::ReviewOverdue { review_due });
        } else if (review_due - today).whole_days() < SOON_DAYS {
            verdict.warnings.push(Warning::ReviewDueSoon { review_due });
        }
    }
}

/// The host of an http(s) link, or of a bare `www.` address; `None` for anything else.
pub fn website_domain(text: &str) -> Option<String> {
    let text = text.trim();
    let lower: String = text
        .chars()
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    let candidate = if lower.starts_with("http://") || lower.starts_with("https://") {
        text.to_owned()
    } else if lower.starts_with("www.") && !text.contains(char::is_whitespace) {
        format!("http://{text}")
    } else {
        return None;
    };
    let url = url::Url::parse(&candidate).ok()?;
    url.host_str().map(str::to_owned)
}

#[cfg(test)]
mod tests;
