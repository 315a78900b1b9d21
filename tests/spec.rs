//! The generated blocks of `docs/format.md`: everything in the spec that comes from code.
//!
//! A block sits between `<!-- generated:NAME -->` and `<!-- end -->` on lines of their
//! own. `tests/format_doc.rs` recomputes every block and fails when the spec disagrees;
//! with `CERTQR_REGENERATE_VECTORS=1` it rewrites them instead.

use certqr_core::catalog::{self, Family, NumberRule};
use certqr_core::certificate::{self, Certificate};
use certqr_core::cose::{self, DocumentKind};
use certqr_core::verify::{self, VerifierOptions};
use certqr_core::{cbor, domain, revocation, text, trust};
use certqr_render::{self as render, EcLevel, RenderError};
use time::macros::date;

use crate::annotate::{self, AnnotateError};
use crate::fixture::Fixture;
use crate::forge::{self, hex};
use crate::generator::{self, GenerateError};

/// The end marker of every generated block.
pub const END_MARKER: &str = "<!-- end -->";

/// Why a block could not be built or placed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The example could not be generated.
    #[error(transparent)]
    Generate(#[from] GenerateError),
    /// The example could not be annotated.
    #[error("annotating the example: {0}")]
    Annotate(#[from] AnnotateError),
    /// A text could not be drawn as a QR code.
    #[error("drawing a QR code: {0}")]
    Render(#[from] RenderError),
    /// The spec lacks a block's markers, or has them out of order.
    #[error("docs/format.md has no well-formed block \"{0}\"")]
    MissingBlock(String),
}

/// One generated block: its name and its exact content (lines ending in `\n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Name in the start marker.
    pub name: &'static str,
    /// Content between the markers.
    pub content: String,
}

/// The start marker of block `name`.
pub fn start_marker(name: &str) -> String {
    format!("<!-- generated:{name} -->")
}

/// Every generated block of the spec.
pub fn blocks() -> Result<Vec<Block>, SpecError> {
    Ok(vec![
        Block {
            name: "content-types",
            content: content_types(),
        },
        Block {
            name: "limits",
            content: limits(),
        },
        Block {
            name: "families",
            content: families(),
        },
        Block {
            name: "items",
            content: items(),
        },
        Block {
            name: "hexdump",
            content: hexdump()?,
        },
        Block {
            name: "sig-structure",
            content: sig_structure()?,
        },
        Block {
            name: "qr-text",
            content: qr_text()?,
        },
        Block {
            name: "sizes",
            content: sizes()?,
        },
    ])
}

/// The content of block `name` in `doc`, if its markers are there.
pub fn block_content<'a>(doc: &'a str, name: &str) -> Option<&'a str> {
    let start = format!("{}\n", start_marker(name));
    let from = doc.find(&start)? + start.len();
    let rest = doc.get(from..)?;
    let length = if rest.starts_with(END_MARKER) {
        0
    } else {
        rest.find(&format!("\n{END_MARKER}"))? + 1
    };
    doc.get(from..from + length)
}

/// `doc` with block `name` replaced by `content`.
pub fn replace_block(doc: &str, name: &str, content: &str) -> Result<String, SpecError> {
    let missing = || SpecError::MissingBlock(name.to_owned());
    let old = block_content(doc, name).ok_or_else(missing)?;
    let start = old.as_ptr() as usize - doc.as_ptr() as usize;
    let before = doc.get(..start).ok_or_else(missing)?;
    let after = doc.get(start + old.len()..).ok_or_else(missing)?;
    Ok(format!("{before}{content}{after}"))
}

fn content_types() -> String {
    let mut out = String::from("| content type | document | signed by |\n|---|---|---|\n");
    for (kind, signer) in [
        (
            DocumentKind::Certificate,
            "an issuer key named in the trust list",
        ),
        (DocumentKind::TrustList, "a root key pinned in the verifier"),
        (
            DocumentKind::RevocationList,
            "a root key pinned in the verifier",
        ),
    ] {
        out.push_str(&format!(
            "| {} | {} | {signer} |\n",
            kind.content_type(),
            kind.name()
        ));
    }
    out
}

fn limits() -> String {
    let grace = VerifierOptions::default().trust_list_grace.whole_days();
    let rows: Vec<(&str, String, &str)> = vec![
        (
            "longest QR text",
            format!("{} characters", text::MAX_TEXT_LENGTH),
            "`text::MAX_TEXT_LENGTH`",
        ),
        (
            "largest inflated document (`CQ1Z:`)",
            format!("{} bytes", text::MAX_DOCUMENT_LENGTH),
            "`text::MAX_DOCUMENT_LENGTH`",
        ),
        (
            "largest signed document read",
            format!("{} bytes", cose::MAX_DOCUMENT_LENGTH),
            "`cose::MAX_DOCUMENT_LENGTH`",
        ),
        (
            "deepest CBOR nesting (§3.2)",
            format!("{} levels below the top item", cbor::MAX_DEPTH),
            "`cbor::MAX_DEPTH`",
        ),
        (
            "integers: map keys, header labels, `alg` (§3.1)",
            format!("{} to {}", -(1i128 << 64), u64::MAX),
            "`fields::MapKey` (`i128`)",
        ),
        (
            "longest holder name",
            format!("{} characters", certificate::MAX_NAME_CHARS),
            "`certificate::MAX_NAME_CHARS`",
        ),
        (
            "longest issuer-assigned certificate number",
            format!("{} characters", NumberRule::MAX_ISSUER_ASSIGNED_CHARS),
            "`NumberRule::MAX_ISSUER_ASSIGNED_CHARS`",
        ),
        (
            "longest item code",
            format!("{} bytes", catalog::MAX_CODE_LEN),
            "`catalog::MAX_CODE_LEN`",
        ),
        (
            "first extension key",
            certqr_core::FIRST_EXTENSION_KEY.to_string(),
            "`fields::FIRST_EXTENSION_KEY`",
        ),
        (
            "issuers in one trust list",
            trust::MAX_ISSUERS.to_string(),
            "`trust::MAX_ISSUERS`",
        ),
        (
            "longest authority name",
            format!("{} bytes", trust::MAX_NAME_BYTES),
            "`trust::MAX_NAME_BYTES`",
        ),
        (
            "official domains of one issuer",
            trust::MAX_ISSUER_DOMAINS.to_string(),
            "`trust::MAX_ISSUER_DOMAINS`",
        ),
        (
            "national platforms' domains in one trust list",
            trust::MAX_OFFICIAL_DOMAINS.to_string(),
            "`trust::MAX_OFFICIAL_DOMAINS`",
        ),
        (
            "longest host name (official domain, or web link compared)",
            format!("{} bytes", domain::MAX_HOST_BYTES),
            "`domain::MAX_HOST_BYTES`",
        ),
        (
            "\"expires soon\" and \"review due soon\" warnings",
            format!("{} days ahead", verify::SOON_DAYS),
            "`verify::SOON_DAYS`",
        ),
        (
            "trust list grace period after expiry (default)",
            format!("{grace} days"),
            "`VerifierOptions::trust_list_grace`",
        ),
        (
            "largest signed revocation list read",
            format!("{} bytes", revocation::MAX_SIGNED_LENGTH),
            "`revocation::MAX_SIGNED_LENGTH`",
        ),
        (
            "entries in one revocation list (or added or removed by one delta)",
            revocation::MAX_ENTRIES.to_string(),
            "`revocation::MAX_ENTRIES`",
        ),
        (
            "revocation list grace period after expiry (default)",
            format!(
                "{} days",
                VerifierOptions::default()
                    .revocation_list_grace
                    .whole_days()
            ),
            "`VerifierOptions::revocation_list_grace`",
        ),
    ];
    let mut out = String::from("| limit | value | in certqr-core |\n|---|---|---|\n");
    for (limit, value, name) in rows {
        out.push_str(&format!("| {limit} | {value} | {name} |\n"));
    }
    out
}

fn families() -> String {
    let mut out = String::from(
        "| code | family | 中文 | longest validity | interim review (复审) | certificate number |\n\
         |---|---|---|---|---|---|\n",
    );
    for family in Family::ALL {
        let review = match family.review_rule() {
            Some(rule) => format!(
                "required (key 10): every {} years, every {} once {} years in the trade",
                rule.interval_years, rule.extended_interval_years, rule.extended_after_years
            ),
            None => "none (key 10 refused)".to_owned(),
        };
        let number = match family.number_rule() {
            NumberRule::TPrefixedIdNumber => {
                "\"T\" + identity card number: derived, key 6 left out"
            }
            _ => "assigned by the issuer: key 6 required",
        };
        out.push_str(&format!(
            "| {} | {} (`{}`) | {} | {} years | {review} | {number} |\n",
            family.code(),
            family.name_en().to_lowercase(),
            family.slug(),
            family.name_zh(),
            family.max_validity_years(),
        ));
    }
    out
}

/// The item codes of every family (format.md §5.2), from `catalog.rs`: one table per
/// family, each item with its category, and a note on every category whose code is also
/// the code of its one item.
fn items() -> String {
    let mut out = String::new();
    for family in Family::ALL {
        let categories = family.categories();
        let items = family.items().count();
        out.push_str(&format!(
            "**Family {}, {}** ({}): {} items in {} categories.\n\n",
            family.code(),
            family.name_en().to_lowercase(),
            family.name_zh(),
            items,
            categories.len(),
        ));
        out.push_str("| item | 中文 | English | category |\n|---|---|---|---|\n");
        let mut shared = Vec::new();
        for category in categories {
            for item in category.items {
                out.push_str(&format!(
                    "| `{}` | {} | {} | `{}` {} |\n",
                    item.code, item.name_zh, item.name_en, category.code, category.name_zh
                ));
            }
            if category.item(category.code).is_some() {
                shared.push(format!("`{}`", category.code));
            }
        }
        if !shared.is_empty() {
            out.push_str(&format!(
                "\nCategory codes that are also item codes (an item the regulation codes \
                 like its category): {}. In key 2 such a code names the item.\n",
                shared.join(", ")
            ));
        }
        out.push('\n');
    }
    // No blank line before the end marker.
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The `Sig_structure` of the example certificate, annotated.
fn sig_structure() -> Result<String, SpecError> {
    let (document, _) = generator::example_document()?;
    let message =
        cose::parse(&document).map_err(|_| SpecError::MissingBlock("sig-structure".into()))?;
    let (protected, payload) = (message.protected_bytes(), &message.payload);
    let structure = forge::sig_structure(protected, payload);
    let context = forge::text("Signature1");
    let lines = [
        (
            0,
            hex(&forge::head(forge::major::ARRAY, 4)),
            "array of 4".to_owned(),
        ),
        (
            1,
            split(&context, 1),
            "text (10): \"Signature1\", the context".to_owned(),
        ),
        (
            1,
            split(&forge::bytes(protected), 1),
            format!(
                "bytes ({}): the protected header, exactly as in the message",
                protected.len()
            ),
        ),
        (
            1,
            "40".to_owned(),
            "bytes (0): external_aad, always empty".to_owned(),
        ),
        (
            1,
            split(&forge::head(forge::major::BYTES, payload.len() as u64), 1),
            format!(
                "bytes ({}): the payload, exactly as in the message",
                payload.len()
            ),
        ),
    ];
    let width = 48;
    let mut out = format!(
        "The {} bytes Ed25519 signs for the example of §8:\n\n```text\n",
        structure.len()
    );
    for (depth, bytes, comment) in lines {
        let left = format!("{}{bytes}", "   ".repeat(depth));
        out.push_str(&format!("{left:<width$}# {comment}\n"));
    }
    for chunk in payload.chunks(16) {
        out.push_str(&format!("      {}\n", hex(chunk)));
    }
    out.push_str("```\n");
    Ok(out)
}

/// A head and its content as `58 2f a9...`: initial byte, argument, content.
fn split(item: &[u8], head_length: usize) -> String {
    let (head, content) = item.split_at(head_length.min(item.len()));
    format!("{} {}", hex(head), hex(content))
}

fn hexdump() -> Result<String, SpecError> {
    let (document, _) = generator::example_document()?;
    let fixture = Fixture::new();
    let key = fixture.emergency.public_key();
    Ok(format!(
        "Signed by the test key \"emergency\" of `tests/vectors/keys.json`: public key\n\
         `{}`, key id `{}`. {} bytes:\n\n```text\n{}```\n",
        hex(&key.to_bytes()),
        key.key_id().to_hex(),
        document.len(),
        annotate::certificate(&document)?
    ))
}

fn qr_text() -> Result<String, SpecError> {
    let (_, text) = generator::example_document()?;
    Ok(format!("```text\n{text}\n```\n"))
}

/// A certificate's size: signed document bytes, QR text characters, QR versions at M, Q, H.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Size {
    /// Signed document bytes.
    pub document_bytes: usize,
    /// QR text characters, prefix included.
    pub text_characters: usize,
    /// The smallest QR version holding the text at levels M, Q and H.
    pub versions: [u8; 3],
}

/// The QR versions of `text` at M, Q and H.
pub fn versions(text: &str) -> Result<[u8; 3], RenderError> {
    Ok([
        render::encode(text, EcLevel::M)?.version(),
        render::encode(text, EcLevel::Q)?.version(),
        render::encode(text, EcLevel::H)?.version(),
    ])
}

/// The size of `certificate` signed by the fixture's emergency key.
pub fn size_of(certificate: &Certificate) -> Result<Size, SpecError> {
    let fixture = Fixture::new();
    let document = cose::sign(
        DocumentKind::Certificate,
        &fixture.emergency.key,
        certificate.to_claims(),
    );
    let text = text::encode(&document);
    Ok(Size {
        document_bytes: document.len(),
        text_characters: text.chars().count(),
        versions: versions(&text)?,
    })
}

/// Compressed size of the EU Digital COVID Certificate sample the table compares with.
pub const EU_DCC_SAMPLE_BYTES: usize = 355;

/// The size of an EU DCC text of [`EU_DCC_SAMPLE_BYTES`] bytes: `HC1:` and Base45. The
/// characters are all `A` (one alphanumeric segment): only their number matters.
pub fn eu_dcc_size() -> Result<Size, SpecError> {
    let characters = base45::encode(vec![0u8; EU_DCC_SAMPLE_BYTES]).len();
    let text = format!("HC1:{}", "A".repeat(characters));
    Ok(Size {
        document_bytes: EU_DCC_SAMPLE_BYTES,
        text_characters: text.len(),
        versions: versions(&text)?,
    })
}

/// The largest certificate the rules allow (32-character name and number of distinct
/// three-byte characters, the longest item code of its family), without extension claims.
pub fn largest_certificate() -> Result<Certificate, SpecError> {
    let family = Family::SafetyManagement;
    let mut certificate = generator::sample_certificate(family, date!(2024 - 03 - 01))?;
    // Distinct characters, so that DEFLATE gains nothing from repetition.
    let ideographs = |count: usize, offset: u32| -> String {
        (0..count as u32)
            .filter_map(|index| char::from_u32(0x4e00 + offset + index * 331))
            .collect()
    };
    certificate.holder_name = ideographs(certificate::MAX_NAME_CHARS, 0);
    certificate.number = ideographs(NumberRule::MAX_ISSUER_ASSIGNED_CHARS, 7);
    if let Some(item) = family.items().max_by_key(|item| item.code.len()) {
        certificate.item = item.code.to_owned();
    }
    Ok(certificate)
}

fn sizes() -> Result<String, SpecError> {
    let mut out = String::from(
        "| certificate | holder name | document bytes | text characters | QR version at M | at Q | at H |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let mut row = |label: String, name: String, size: &Size| {
        let [m, q, h] = size.versions;
        out.push_str(&format!(
            "| {label} | {name} | {} | {} | {m} | {q} | {h} |\n",
            size.document_bytes, size.text_characters
        ));
    };
    for family in Family::ALL {
        let certificate = generator::sample_certificate(family, date!(2024 - 03 - 01))?;
        let typical = if family == Family::SpecialOperations {
            " (the example above)"
        } else {
            ""
        };
        row(
            format!("{}{typical}", family.name_en().to_lowercase()),
            format!(
                "{} ({} characters)",
                certificate.holder_name,
                certificate.holder_name.chars().count()
            ),
            &size_of(&certificate)?,
        );
    }
    let largest = largest_certificate()?;
    row(
        format!(
            "largest allowed: {}, item {}, 32-character number",
            largest.family.name_en().to_lowercase(),
            largest.item
        ),
        "32 characters".to_owned(),
        &size_of(&largest)?,
    );
    let dcc = eu_dcc_size()?;
    row(
        "EU Digital COVID Certificate sample, for comparison (`HC1:`, zlib-compressed)".to_owned(),
        "—".to_owned(),
        &dcc,
    );
    let example = size_of(&generator::example_certificate()?)?;
    let modules = |version: u8| 17 + 4 * u32::from(version);
    let (ours, theirs) = (modules(example.versions[1]), modules(dcc.versions[1]));
    out.push_str(&format!(
        "\nAt level Q the example needs version {} ({ours} × {ours} modules) where the EU DCC \
         sample needs version {} ({theirs} × {theirs}): {}% of the area at the same module size.\n",
        example.versions[1],
        dcc.versions[1],
        ours * ours * 100 / (theirs * theirs),
    ));
    Ok(out)
}

/// The code of every reason a verdict can carry, in the order `verify::Reason` declares
/// them, each from a constructed value (so a renamed code shows up here).
pub fn reason_codes() -> Vec<&'static str> {
    use certqr_core::certificate::{CertificateError, ClaimsError};
    use certqr_core::cose::CoseError;
    use certqr_core::keys::KeyId;
    use certqr_core::name::NameError;
    use certqr_core::text::TextError;
    use certqr_core::verify::Reason;
    use certqr_core::FieldError;
    use time::OffsetDateTime;

    let day = date!(2024 - 01 - 01);
    let reasons = [
        Reason::NotCertqr,
        Reason::WebsiteLink {
            domain: String::new(),
        },
        Reason::OfficialWebsite {
            domain: String::new(),
            authority_zh: String::new(),
            authority_en: String::new(),
        },
        Reason::LookAlikeWebsite {
            domain: String::new(),
            imitates: String::new(),
            how: certqr_core::website::Trick::Homoglyphs,
        },
        Reason::MalformedText(TextError::UnsupportedVersion {
            version: "CQ2:".into(),
        }),
        Reason::MalformedText(TextError::Base45),
        Reason::MalformedDocument(CoseError::NotSign1),
        Reason::WrongDocumentKind {
            content_type: 65002,
        },
        Reason::UnsupportedAlgorithm { algorithm: -7 },
        Reason::AlgorithmMismatch,
        Reason::NoTrustList,
        Reason::TrustListExpired {
            expired_at: OffsetDateTime::UNIX_EPOCH,
        },
        Reason::UnknownIssuer {
            key_id: KeyId([0; 8]),
        },
        Reason::BadSignature,
        Reason::IssuerKeyCompromised,
        Reason::IssuerKeyRetired { since: day },
        Reason::OutsideKeyValidity {
            key_valid_from: day,
            key_valid_until: day,
        },
        Reason::MalformedClaims(ClaimsError::Field(FieldError::NotAMap)),
        Reason::InvalidClaims(CertificateError::HolderName(NameError::Empty)),
        Reason::OutOfScope {
            family: Family::SpecialOperations,
            item: String::new(),
        },
        Reason::NotYetValid { valid_from: day },
        Reason::Expired { valid_until: day },
        Reason::ReviewOverdue { review_due: day },
        Reason::Revoked,
        Reason::RevocationListExpired {
            expired_at: OffsetDateTime::UNIX_EPOCH,
        },
    ];
    reasons.iter().map(Reason::code).collect()
}

/// The code of every warning a verdict can carry, from constructed values.
pub fn warning_codes() -> Vec<&'static str> {
    use certqr_core::verify::Warning;
    use time::OffsetDateTime;

    let day = date!(2024 - 01 - 01);
    let warnings = [
        Warning::TrustListStale {
            expired_at: OffsetDateTime::UNIX_EPOCH,
        },
        Warning::ExtensionClaimsIgnored { keys: vec![100] },
        Warning::ExpiresSoon { valid_until: day },
        Warning::ReviewDueSoon { review_due: day },
        Warning::RevocationListStale {
            expired_at: OffsetDateTime::UNIX_EPOCH,
        },
        Warning::ClockBehindTrustedData {
            trusted_time: OffsetDateTime::UNIX_EPOCH,
        },
        Warning::RevocationNotChecked { sequence: 1 },
    ];
    warnings.iter().map(Warning::code).collect()
}
