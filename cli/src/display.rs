//! Human-readable blocks shared by `verify`, `inspect` and `demo`, and JSON output.

use certqr_core::name::escaped;
use certqr_core::verify::{CertificateView, IssuerView, Status, Verdict};
use serde::Serialize;

use crate::error::{say, CliError};

/// "No QR code found", in Chinese: one wording for every command.
pub const NO_CODE_ZH: &str = "未找到二维码";
/// "No QR code found", in English.
pub const NO_CODE_EN: &str = "no QR code found";

/// The line every command prints for a picture without a code.
pub fn no_code_line(path: &std::path::Path) -> String {
    format!("{}: {NO_CODE_ZH} / {NO_CODE_EN}", path.display())
}

/// Pretty JSON followed by a line break.
pub fn json(value: &impl Serialize) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(|text| text + "\n")
        .map_err(|error| CliError::new("无法写出 JSON", format!("cannot write JSON: {error}")))
}

/// The status in capitals, as the tables and blocks show it.
pub fn status_label(status: &Status) -> &'static str {
    match status {
        Status::Valid => "VALID",
        Status::Invalid => "INVALID",
        Status::NotACertificate => "NOT A CERTIFICATE",
        _ => "UNKNOWN STATUS",
    }
}

fn status_label_zh(status: &Status) -> &'static str {
    match status {
        Status::Valid => "有效",
        Status::Invalid => "无效",
        Status::NotACertificate => "不是证书",
        _ => "未知",
    }
}

/// The reason codes of a verdict, comma-separated, or `-`.
pub fn reason_codes(verdict: &Verdict) -> String {
    if verdict.reasons.is_empty() {
        "-".to_owned()
    } else {
        verdict
            .reasons
            .iter()
            .map(|reason| reason.code())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A verdict as a block: status and its one-line summary, reasons, warnings,
/// certificate, issuer. Only a valid verdict's certificate is headed VERIFIED; a
/// genuine certificate that failed a date, review or revocation check says so apart
/// from one that is not shown to be genuine (renewal, not the police).
pub fn verdict_block(out: &mut String, verdict: &Verdict) {
    say!(
        out,
        "{}  {}",
        status_label(&verdict.status),
        status_label_zh(&verdict.status)
    );
    say!(out, "{} / {}", verdict.summary_zh(), verdict.summary_en());
    if !verdict.reasons.is_empty() {
        say!(out, "reasons 原因:");
        for reason in &verdict.reasons {
            say!(out, "  {}", reason.code());
            say!(out, "    {}", reason.message_zh());
            say!(out, "    {}", reason.message_en());
        }
    }
    if !verdict.warnings.is_empty() {
        say!(out, "warnings 提示:");
        for warning in &verdict.warnings {
            say!(out, "  {}", warning.code());
            say!(out, "    {}", warning.message_zh());
            say!(out, "    {}", warning.message_en());
        }
    }
    match &verdict.certificate {
        Some(view) if view.verified => certificate_block(out, view, VERIFIED),
        Some(view) if view.authentic => certificate_block(out, view, GENUINE_NOT_VALID),
        Some(view) if verdict.issuer.is_some() => certificate_block(
            out,
            view,
            "UNVERIFIED 未核验: a trusted issuer's key signed these fields, but the certificate fails the checks above",
        ),
        Some(view) => certificate_block(out, view, UNSIGNED),
        None => say!(out, "certificate 证书: none could be read 无法读取"),
    }
    match &verdict.issuer {
        Some(issuer) => issuer_block(out, issuer),
        None => say!(
            out,
            "issuer 签发机关: not established (no trusted issuer's valid signature) 未能确认"
        ),
    }
}

/// The heading of a verified certificate: authentic, and every check passed.
const VERIFIED: &str = "VERIFIED 已核验";

/// The heading of a genuine certificate that is not valid (expired, not yet valid,
/// overdue for review, revoked).
const GENUINE_NOT_VALID: &str =
    "GENUINE BUT NOT VALID 真实证书，但无效: a trusted issuer signed these fields; see the reasons above";

/// Why fields are unverified when no trusted issuer's signature covers them.
pub const UNSIGNED: &str =
    "UNVERIFIED 未核验: no valid signature of a trusted issuer vouches for these fields";

/// A certificate's fields under `heading` (VERIFIED only for a valid verdict). Text
/// fields show any character that is not plainly printable (a right-to-left override,
/// a zero-width space...) as a visible escape such as `\u{202E}`: the fields of a
/// refused or undecoded certificate are shown as read.
pub fn certificate_block(out: &mut String, view: &CertificateView, heading: &str) {
    say!(out, "certificate 证书 ({heading}):");
    let item_name = match (view.item_name_zh, view.item_name_en) {
        (Some(zh), Some(en)) => format!("{zh} / {en}"),
        _ => "(not in the catalog 不在目录中)".to_owned(),
    };
    say!(
        out,
        "  持证人 holder          {}",
        escaped(&view.holder_name)
    );
    say!(
        out,
        "  性别 sex               {} {}",
        view.sex.name_zh(),
        view.sex.name_en()
    );
    say!(out, "  身份证号 id number     {}", view.id_number);
    say!(out, "  证书编号 number        {}", escaped(&view.number));
    say!(
        out,
        "  证书类别 family        {} / {}",
        view.family_name_zh,
        view.family_name_en
    );
    say!(
        out,
        "  作业项目 item          {} {}",
        escaped(&view.item),
        item_name
    );
    say!(out, "  初领日期 first issued  {}", view.first_issued);
    say!(out, "  有效期起 valid from    {}", view.valid_from);
    say!(out, "  有效期至 valid until   {}", view.valid_until);
    if let Some(review_due) = view.review_due {
        say!(out, "  复审日期 review due    {review_due}");
    }
}

fn issuer_block(out: &mut String, issuer: &IssuerView) {
    say!(out, "issuer 签发机关:");
    say!(
        out,
        "  名称 name              {} / {}",
        escaped(&issuer.name_zh),
        escaped(&issuer.name_en)
    );
    say!(out, "  行政区划 region        {}", issuer.region_code);
    say!(
        out,
        "  密钥 key               {} ({})",
        issuer.key_id,
        issuer.algorithm
    );
}
