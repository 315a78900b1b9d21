//! The messages of reasons and warnings, in Chinese and in English: plain words for
//! the inspector, with the facts filled in. The Chinese messages hold no English text;
//! a technical detail (what exactly is malformed) is in English in the reason's
//! [`Details::detail`](super::Details::detail) instead.

use time::OffsetDateTime;

use crate::certificate::CHINA_STANDARD_TIME;
use crate::text::TextError;

use super::{Reason, Warning};

impl Reason {
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
            Reason::MalformedText(TextError::UnsupportedVersion { .. }) => {
                "二维码内容为本应用不支持的新版本格式，请更新应用。".into()
            }
            Reason::MalformedText(_) => "二维码内容损坏或无法识读。".into(),
            Reason::MalformedDocument(_) => "签名数据格式错误。".into(),
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
            Reason::MalformedClaims(_) => "证书数据格式错误。".into(),
            Reason::InvalidClaims(_) => "证书数据不符合该类证书的规定。".into(),
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

impl Warning {
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
            Warning::RevocationNotChecked { sequence } => format!(
                "Revocation was not checked: a revocation list (sequence {sequence}) was \
                 installed before but is not available now; install it again."
            ),
            Warning::ClockBehindTrustedData { trusted_time } => format!(
                "The device clock is behind trusted data (signed {}): set the clock right; \
                 dates were judged as of that time.",
                china_time(*trusted_time)
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
            Warning::RevocationNotChecked { sequence } => format!(
                "未检查吊销状态：此前已安装吊销名单（序号 {sequence}），但现在不可用，请重新安装。"
            ),
            Warning::ClockBehindTrustedData { trusted_time } => format!(
                "设备时钟早于可信数据时间（{}），请校准时钟；有效期按该时间判断。",
                china_time(*trusted_time)
            ),
        }
    }
}

/// `time` in China Standard Time, to the minute: `2025-05-01 08:00 (UTC+8)` (in UTC
/// for the last hours of the year 9999, which China time cannot show).
fn china_time(time: OffsetDateTime) -> String {
    let (local, zone) = match time.checked_to_offset(CHINA_STANDARD_TIME) {
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
