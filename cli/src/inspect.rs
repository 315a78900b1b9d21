//! `certqr inspect`: decode QR text without verifying anything, to see what it claims.

use std::path::{Path, PathBuf};

use certqr_core::certificate::Certificate;
use certqr_core::cose::{self, DocumentKind};
use certqr_core::keys::Algorithm;
use certqr_core::text::{self, TextError};
use certqr_core::trust::TrustList;
use certqr_core::verify::{CertificateView, VerifierOptions};
use certqr_core::website::{self, WebsiteClass};
use serde::Serialize;

use crate::display;
use crate::error::{say, CliError, Outcome, Report};
use crate::scan;

/// Arguments of `certqr inspect`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["text", "image"])))]
pub struct Args {
    /// Print JSON: one object for TEXT; for --image {"image", "codes": [object, ...]}.
    #[arg(long)]
    pub json: bool,
    /// Show the full identity card number instead of the masked form.
    #[arg(long)]
    pub show_id_number: bool,
    /// The QR text.
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
    /// Inspect every QR code in this PNG or JPEG picture.
    #[arg(long, value_name = "FILE")]
    pub image: Option<PathBuf>,
    /// Compare a web link's host with the official domains of this signed trust list
    /// (official, look-alike or other site). Needs --root; nothing else is checked.
    #[arg(long, value_name = "LIST", requires = "roots")]
    pub trust: Option<PathBuf>,
    /// A root public key (PEM PUBLIC KEY) the --trust list must be signed by; repeat
    /// for several.
    #[arg(long = "root", value_name = "ROOT.pub", requires = "trust")]
    pub roots: Vec<PathBuf>,
}

/// What kind of content a QR text holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContentKind {
    /// certqr text holding a signed document.
    SignedDocument,
    /// An http(s) link or `www.` address.
    WebLink,
    /// Anything else that is not certqr text.
    OtherText,
    /// certqr text (or its signed document) that cannot be decoded.
    Malformed,
}

/// What one text holds, read without checking any signature.
#[derive(Debug, Serialize)]
pub struct Inspection {
    /// Always false: nothing is verified.
    verified: bool,
    /// What the text holds.
    kind: ContentKind,
    /// The host of a web link.
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<String>,
    /// The web link's host compared with the official domains of a trust list.
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<WebsiteClass>,
    /// The signed document's protected header.
    #[serde(skip_serializing_if = "Option::is_none")]
    header: Option<Header>,
    /// The certificate claims, when the document is a readable certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    certificate: Option<CertificateView>,
    /// Claim keys this version does not read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extension_claims: Vec<i128>,
    /// Why the text or its content could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

#[derive(Debug, Serialize)]
struct Header {
    algorithm: i128,
    algorithm_name: Option<&'static str>,
    key_id: String,
    content_type: u64,
    document_kind: Option<&'static str>,
    signature_bytes: usize,
}

impl Inspection {
    fn new(kind: ContentKind) -> Inspection {
        Inspection {
            verified: false,
            kind,
            domain: None,
            website: None,
            header: None,
            certificate: None,
            extension_claims: Vec::new(),
            problem: None,
        }
    }

    /// Whether the text held a signed document whose content could be read.
    fn readable(&self) -> bool {
        self.kind == ContentKind::SignedDocument && self.problem.is_none()
    }
}

/// Decodes `text` as far as it goes, without verifying anything. A web link's host is
/// compared with the official domains of `trust_list`, when one is given.
pub fn inspect_text(
    text: &str,
    show_full_id_number: bool,
    trust_list: Option<&TrustList>,
) -> Inspection {
    let bytes = match text::decode(text) {
        Ok(bytes) => bytes,
        Err(TextError::NotCertqr) => {
            return match website::link_host(text) {
                Some(domain) => Inspection {
                    website: trust_list.map(|list| website::classify(&domain, list)),
                    domain: Some(domain),
                    ..Inspection::new(ContentKind::WebLink)
                },
                None => Inspection::new(ContentKind::OtherText),
            }
        }
        Err(error) => {
            return Inspection {
                problem: Some(format!("certqr text cannot be decoded: {error}")),
                ..Inspection::new(ContentKind::Malformed)
            }
        }
    };
    let message = match cose::parse(&bytes) {
        Ok(message) => message,
        Err(error) => {
            return Inspection {
                problem: Some(format!("signed document is malformed: {error}")),
                ..Inspection::new(ContentKind::Malformed)
            }
        }
    };
    let kind = message.kind();
    let mut inspection = Inspection {
        header: Some(Header {
            algorithm: message.algorithm,
            algorithm_name: Algorithm::from_cose_id(message.algorithm).map(Algorithm::name),
            key_id: message.key_id.to_hex(),
            content_type: message.content_type,
            document_kind: kind.map(DocumentKind::name),
            signature_bytes: message.signature.len(),
        }),
        ..Inspection::new(ContentKind::SignedDocument)
    };
    if kind != Some(DocumentKind::Certificate) {
        inspection.problem = Some("the signed document is not a certificate".to_owned());
        return inspection;
    }
    match Certificate::from_claims(&message.payload) {
        Ok((certificate, extensions)) => {
            inspection.certificate = Some(CertificateView::unverified(
                &certificate,
                show_full_id_number,
            ));
            inspection.extension_claims = extensions;
        }
        Err(error) => inspection.problem = Some(error.to_string()),
    }
    inspection
}

fn inspection_block(out: &mut String, inspection: &Inspection) {
    say!(
        out,
        "UNVERIFIED  未核验 — decoded only: no signature, issuer, scope or date is checked."
    );
    say!(
        out,
        "Anyone can write these fields; use `certqr verify` to know whether they are genuine."
    );
    match inspection.kind {
        ContentKind::WebLink => {
            let domain = inspection.domain.as_deref().unwrap_or("?");
            say!(out, "content: a WEB LINK to {domain}, not a certificate.");
            website_line(out, inspection.website.as_ref());
            say!(out, "A web page cannot prove a card genuine; to look a certificate up, type the official platform's address yourself.");
        }
        ContentKind::OtherText => say!(
            out,
            "content: plain text, not certqr text and not a web link."
        ),
        ContentKind::SignedDocument | ContentKind::Malformed => {}
    }
    if let Some(header) = &inspection.header {
        say!(out, "header:");
        say!(
            out,
            "  document      {} (content type {})",
            header.document_kind.unwrap_or("unknown kind"),
            header.content_type
        );
        say!(
            out,
            "  algorithm     {} (COSE {})",
            header.algorithm_name.unwrap_or("unsupported"),
            header.algorithm
        );
        say!(out, "  key id        {}", header.key_id);
        say!(
            out,
            "  signature     {} bytes, not checked",
            header.signature_bytes
        );
    }
    if let Some(view) = &inspection.certificate {
        display::certificate_block(out, view, display::UNSIGNED);
    }
    if !inspection.extension_claims.is_empty() {
        say!(
            out,
            "extension claims not read: {:?}",
            inspection.extension_claims
        );
    }
    if let Some(problem) = &inspection.problem {
        say!(out, "problem: {problem}");
    }
}

/// What kind of site the link opens, as compared with the trust list's official domains.
fn website_line(out: &mut String, website: Option<&WebsiteClass>) {
    match website {
        Some(WebsiteClass::Official {
            authority_zh,
            authority_en,
            ..
        }) => say!(
            out,
            "site: OFFICIAL 官方网站 of {authority_zh} / {authority_en}, by the trust list."
        ),
        Some(WebsiteClass::LookAlike { imitates, how, .. }) => say!(
            out,
            "site: LOOK-ALIKE 仿冒网站 of the official {imitates} ({}): probably a FAKE verification site; trust nothing it shows.",
            how.description_en()
        ),
        Some(WebsiteClass::Other { .. }) => say!(
            out,
            "site: not an official domain of the trust list, nor a look-alike of one."
        ),
        Some(_) => {}
        None => say!(
            out,
            "site: not compared with official domains (give --trust LIST --root ROOT.pub)."
        ),
    }
}

#[derive(Debug, Serialize)]
struct ImageInspections<'a> {
    image: &'a Path,
    codes: Vec<CodeInspection>,
}

#[derive(Debug, Serialize)]
struct CodeInspection {
    corners: Vec<[f32; 2]>,
    #[serde(flatten)]
    inspection: Inspection,
}

/// Runs `certqr inspect`. Exit status 0 when every code holds a readable signed
/// document, 1 when one is a web link, other text or malformed, or no code is found.
pub fn run(args: &Args) -> Result<Report, CliError> {
    let verifier = match &args.trust {
        Some(trust) => Some(crate::verify::verifier(
            crate::verify::read_roots(&args.roots)?,
            trust,
            VerifierOptions::default(),
        )?),
        None => None,
    };
    let trust_list = verifier.as_ref().and_then(|verifier| verifier.trust_list());
    let (image, codes) = match (&args.text, &args.image) {
        (Some(text), _) => {
            let inspection = inspect_text(text, args.show_id_number, trust_list);
            let outcome = Outcome::from_ok(inspection.readable());
            let out = if args.json {
                display::json(&inspection)?
            } else {
                let mut out = String::new();
                inspection_block(&mut out, &inspection);
                out
            };
            return Ok(Report::new(out, outcome));
        }
        (None, Some(image)) => (image, scan::codes_in_image(image)?),
        (None, None) => return Err(CliError::no_code_given()),
    };
    let inspections: Vec<CodeInspection> = codes
        .iter()
        .map(|code| CodeInspection {
            corners: scan::corners(code),
            inspection: inspect_text(&code.text, args.show_id_number, trust_list),
        })
        .collect();
    let ok = !inspections.is_empty() && inspections.iter().all(|code| code.inspection.readable());
    let out = if args.json {
        display::json(&ImageInspections {
            image,
            codes: inspections,
        })?
    } else {
        let mut out = String::new();
        if inspections.is_empty() {
            say!(out, "{}", display::no_code_line(image));
        }
        let count = inspections.len();
        for (number, code) in inspections.iter().enumerate() {
            if count > 1 {
                if number > 0 {
                    say!(out);
                }
                say!(out, "== code {} of {count} ==", number + 1);
            }
            inspection_block(&mut out, &code.inspection);
        }
        out
    };
    Ok(Report::new(out, Outcome::from_ok(ok)))
}
