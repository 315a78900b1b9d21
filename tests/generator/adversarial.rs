//! `adversarial.json`: texts written by someone who wants a fake certificate to pass,
//! beyond the layer-by-layer groups: algorithm substitution, keys and documents used
//! where they do not belong, texts stitched together, invisible and look-alike
//! characters, decompression bombs and declared lengths at and past the limits, and web
//! links of every kind. None is valid.

use certqr_core::catalog::Family;
use certqr_core::cose::DocumentKind;
use certqr_core::keys::Algorithm;
use certqr_core::text;
use sha2::{Digest, Sha256};

use super::{
    body, claims_entries, issue, plain_text, sample, set_value, sign_claims, vector, with_note,
    Expected, GenerateError, Result, VectorFile, World, GENUINE_VALID_FROM,
};
use crate::fixture;
use crate::forge;

/// Zero bytes the largest decompression bomb inflates to: about 700 times the largest
/// document a verifier reads, from a text that still fits a version 40 QR code.
const LARGEST_BOMB_BYTES: usize = 2_900_000;

/// HMAC-SHA-256 (RFC 2104), written out here: only one vector needs it.
fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    const BLOCK: usize = 64;
    let mut block_key = [0u8; BLOCK];
    if key.len() > BLOCK {
        for (byte, digest_byte) in block_key.iter_mut().zip(Sha256::digest(key)) {
            *byte = digest_byte;
        }
    } else {
        for (byte, key_byte) in block_key.iter_mut().zip(key) {
            *byte = *key_byte;
        }
    }
    let pad = |value: u8| {
        block_key
            .iter()
            .map(|byte| byte ^ value)
            .collect::<Vec<_>>()
    };
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

fn deflated_text(bytes: &[u8]) -> String {
    format!(
        "{}{}",
        text::PREFIX_DEFLATE,
        base45::encode(miniz_oxide::deflate::compress_to_vec(bytes, 10))
    )
}

impl World {
    pub(super) fn adversarial(&self) -> Result<VectorFile> {
        let now = fixture::NOW;
        let f = &self.fixture;
        let certificate = DocumentKind::Certificate.content_type();
        let claims = sample(Family::SpecialOperations, GENUINE_VALID_FROM)?.to_claims();
        let emergency_id = f.emergency.public_key().key_id().0;
        let sm2_id = f.sm2.public_key().key_id().0;
        let standard = forge::protected_header(-8, certificate, &emergency_id);

        let document = self.genuine_document(Family::SpecialOperations)?;
        let second = self.genuine_document(Family::SpecialEquipment)?;
        let genuine_text = plain_text(&document);
        let genuine_body = body(&genuine_text)?.to_owned();
        let middle = genuine_body.len() / 2;
        let (first_half, second_half) = genuine_body.split_at(middle);
        let both = [document.clone(), second].concat();

        // HMAC keyed with the issuer's public key: the classic confusion of a public key
        // with a shared secret.
        let hmac_header = forge::protected_header(5, certificate, &emergency_id);
        let hmac_tag = hmac_sha256(
            &f.emergency.public_key().to_bytes(),
            &forge::sig_structure(&hmac_header, &claims),
        );
        let duplicate_algorithm = forge::map(&[
            (forge::int(1), forge::int(-8)),
            (forge::int(1), forge::int(Algorithm::Sm2.cose_id())),
            (forge::int(3), forge::int(65001)),
            (forge::int(4), forge::bytes(&emergency_id)),
        ]);
        let algorithm_unprotected = {
            let signature = f
                .emergency
                .key
                .sign(&forge::sig_structure(&standard, &claims));
            forge::sign1_raw(
                &standard,
                &forge::map(&[(forge::int(1), forge::int(Algorithm::Sm2.cose_id()))]),
                &claims,
                &signature,
            )
        };

        let mut huge_map = forge::head(forge::major::MAP, 1 << 32);
        huge_map.extend_from_slice(claims.get(1..).unwrap_or_default());
        let mut huge_name = claims_entries(&claims)?;
        set_value(
            &mut huge_name,
            3,
            [
                forge::head(forge::major::TEXT, 1 << 63),
                "张建国".as_bytes().to_vec(),
            ]
            .concat(),
        )?;
        let mut huge_protected = forge::head(forge::major::TAG, 18);
        huge_protected.extend_from_slice(&forge::head(forge::major::ARRAY, 4));
        huge_protected.extend_from_slice(&forge::head_with_size(forge::major::BYTES, u64::MAX, 8));
        huge_protected.extend_from_slice(&standard);

        let largest_bomb = deflated_text(&vec![0u8; LARGEST_BOMB_BYTES]);
        if largest_bomb.len() > text::MAX_TEXT_LENGTH {
            return Err(GenerateError::Assumption(format!(
                "the largest bomb's text is {} characters, more than a QR code holds",
                largest_bomb.len()
            )));
        }
        let at_limit = format!(
            "{}{}",
            text::PREFIX,
            "0".repeat(text::MAX_TEXT_LENGTH - text::PREFIX.len())
        );
        if at_limit.len() != text::MAX_TEXT_LENGTH || (at_limit.len() - text::PREFIX.len()) % 3 != 2
        {
            return Err(GenerateError::Assumption(
                "the text at the length limit does not end in a final Base45 pair".into(),
            ));
        }

        let trust_list_payload = f.trust_list.to_payload();
        let link = |name: &str, description: &str, text: &str, expected: Expected, note: &str| {
            Ok::<_, GenerateError>(with_note(
                vector(name, description, text.to_owned(), now, expected)?,
                note,
            ))
        };

        let vectors = vec![
            // Algorithm substitution.
            with_note(
                vector(
                    "sm2-header-ed25519-signature",
                    "Special operations claims under a protected header naming SM2 (-65537) and the key id of \
                     the SM2 issuer \"shanghai-sm2\", signed with Ed25519 by \"emergency\"",
                    plain_text(&forge::sign1(
                        &f.emergency.key,
                        &forge::protected_header(Algorithm::Sm2.cose_id(), certificate, &sm2_id),
                        &claims,
                    )),
                    now,
                    Expected::invalid(&["bad-signature"]),
                )?,
                "Both signatures are 64 bytes, so the length gives nothing away: the 64 bytes are checked as SM2 \
                 r || s under the SM2 key the key id names, and fail.",
            ),
            with_note(
                vector(
                    "ed25519-header-sm2-signature",
                    "Special operations claims under the standard protected header (Ed25519, key id of \
                     \"emergency\"), signed with SM2 by \"shanghai-sm2\"",
                    plain_text(&forge::sign1(&f.sm2.key, &standard, &claims)),
                    now,
                    Expected::invalid(&["bad-signature"]),
                )?,
                "The 64 bytes are checked as an Ed25519 signature under the key of \"emergency\", and fail.",
            ),
            with_note(
                vector(
                    "algorithm-hmac-with-public-key",
                    "Special operations claims under a protected header naming HMAC 256/256 (COSE 5) with the key \
                     id of \"emergency\", tagged with HMAC-SHA-256 keyed with that issuer's public key",
                    plain_text(&forge::sign1_raw(&hmac_header, &forge::map(&[]), &claims, &hmac_tag)),
                    now,
                    Expected::invalid(&["unsupported-algorithm"]),
                )?,
                "Anyone can compute a MAC keyed with a public key. Only Ed25519 and SM2 are accepted, and the \
                 algorithm is checked before any key is looked up.",
            ),
            vector(
                "algorithm-zero",
                "The genuine claims correctly signed by \"emergency\" under a protected header naming algorithm 0 \
                 (reserved)",
                plain_text(&forge::sign1(
                    &f.emergency.key,
                    &forge::protected_header(0, certificate, &emergency_id),
                    &claims,
                )),
                now,
                Expected::invalid(&["unsupported-algorithm"]),
            )?,
            with_note(
                vector(
                    "algorithm-header-twice",
                    "The genuine claims correctly signed by \"emergency\" under the protected header {1: -8, \
                     1: -65537, 3: 65001, 4: kid}",
                    plain_text(&forge::sign1(&f.emergency.key, &duplicate_algorithm, &claims)),
                    now,
                    Expected::invalid(&["malformed-document"]),
                )?,
                "A parser that keeps the first or the last of duplicate labels would read either algorithm; \
                 duplicate map keys are refused outright.",
            ),
            with_note(
                vector(
                    "algorithm-in-unprotected-header",
                    "The genuine certificate with {1: -65537} (SM2) added to its unprotected header",
                    plain_text(&algorithm_unprotected),
                    now,
                    Expected::invalid(&["malformed-document"]),
                )?,
                "Nothing unauthenticated is read: the unprotected header must be empty.",
            ),
            // Keys where they do not belong.
            with_note(
                vector(
                    "another-issuers-key",
                    "Special operations claims under the key id of \"emergency\", signed by the trusted key \
                     \"market\" (a special equipment issuer)",
                    plain_text(&forge::sign1(&f.market.key, &standard, &claims)),
                    now,
                    Expected::invalid(&["bad-signature"]),
                )?,
                "Every trusted key is tried only under its own key id. Under its own id the same signature is \
                 out-of-scope-family (issuers.json).",
            ),
            vector(
                "root-key-under-issuer-key-id",
                "Special operations claims under the key id of \"emergency\", signed by the root key",
                plain_text(&forge::sign1(&f.root.key, &standard, &claims)),
                now,
                Expected::invalid(&["bad-signature"]),
            )?,
            with_note(
                vector(
                    "retired-key-on-retirement-day",
                    "A special operations certificate valid from 2024-07-01, signed by \"emergency-2019\", \
                     retired on 2024-07-01",
                    text::encode(&issue(
                        &f.retired,
                        &sample(Family::SpecialOperations, fixture::RETIRED_SINCE)?,
                    )?),
                    now,
                    Expected::invalid(&["issuer-key-retired"]),
                )?,
                "The retirement date is the first day the key no longer signs.",
            ),
            // Other signed documents presented as a certificate.
            with_note(
                vector(
                    "revocation-list-as-certificate",
                    "The signed revocation list of revocation-list.json presented as a certificate's QR text",
                    text::encode(&self.signed_revocation_list),
                    now,
                    Expected::invalid(&["wrong-document-kind"]),
                )?,
                "Content type 65003 (revocation list) is not 65001 (certificate). Its twin for the trust list \
                 is trust-list-as-certificate (document.json).",
            ),
            with_note(
                vector(
                    "trust-list-content-signed-by-root-as-certificate",
                    "The trust list's payload signed by the root key as a certificate (content type 65001)",
                    text::encode(&forge::sign1(
                        &f.root.key,
                        &forge::protected_header(-8, certificate, &f.root.public_key().key_id().0),
                        &trust_list_payload,
                    )),
                    now,
                    Expected::invalid(&["unknown-issuer"]),
                )?,
                "The root key signs trust lists and revocation lists; it is not an issuer of certificates.",
            ),
            with_note(
                vector(
                    "trust-list-content-signed-by-issuer-as-certificate",
                    "The trust list's payload correctly signed by \"emergency\" as a certificate",
                    text::encode(&sign_claims(&f.emergency, &trust_list_payload)),
                    now,
                    Expected::invalid(&["malformed-claims"]),
                )?,
                "A trusted signature over anything but certificate claims gives no certificate: key 2 holds an \
                 integer where the item code (text) belongs.",
            ),
            // Texts stitched together.
            with_note(
                vector(
                    "two-documents-in-one-base45",
                    "\"CQ1:\" and the Base45 of two genuine certificates' documents one after the other",
                    plain_text(&both),
                    now,
                    Expected::invalid(&["malformed-document"]),
                )?,
                "The bytes after the first COSE_Sign1 item are trailing data: one text, one document.",
            ),
            vector(
                "two-documents-in-one-deflate",
                "\"CQ1Z:\" and the raw DEFLATE of two genuine certificates' documents one after the other",
                deflated_text(&both),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            vector(
                "compressed-prefix-on-plain-data",
                "\"CQ1Z:\" in front of the genuine certificate's uncompressed Base45",
                format!("{}{genuine_body}", text::PREFIX_DEFLATE),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            vector(
                "plain-prefix-on-compressed-data",
                "\"CQ1:\" in front of the Base45 of the genuine certificate compressed with raw DEFLATE",
                format!(
                    "{}{}",
                    text::PREFIX,
                    base45::encode(miniz_oxide::deflate::compress_to_vec(&document, 10))
                ),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            with_note(
                vector(
                    "text-then-link",
                    "The genuine certificate's text followed by a space and a link to the official platform",
                    format!("{genuine_text} https://cx.mem.gov.cn/"),
                    now,
                    Expected::invalid(&["malformed-text"]),
                )?,
                "Lowercase letters are not Base45; nothing after the certificate is read separately.",
            ),
            with_note(
                vector(
                    "link-carrying-certificate-text",
                    "A link to evil.example whose query holds the genuine certificate's text",
                    format!("https://evil.example/verify?c={genuine_text}"),
                    now,
                    Expected::website("evil.example"),
                )?,
                "A link is a link, whatever it carries: the certificate inside is not verified.",
            ),
            // Invisible and look-alike characters.
            vector(
                "bom-after-prefix",
                "The genuine certificate's text with a byte order mark (U+FEFF) between prefix and Base45",
                format!("{}\u{feff}{genuine_body}", text::PREFIX),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            vector(
                "bom-at-end",
                "The genuine certificate's text followed by a byte order mark",
                format!("{genuine_text}\u{feff}"),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            vector(
                "zero-width-space-inside",
                "The genuine certificate's text with a zero-width space (U+200B) in the middle of the Base45",
                format!("{}{first_half}\u{200b}{second_half}", text::PREFIX),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            vector(
                "tab-inside",
                "The genuine certificate's text with a tab in the middle of the Base45",
                format!("{}{first_half}\t{second_half}", text::PREFIX),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            vector(
                "nul-appended",
                "The genuine certificate's text followed by a NUL character",
                format!("{genuine_text}\u{0}"),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            vector(
                "base64-padding-appended",
                "The genuine certificate's text followed by \"==\"",
                format!("{genuine_text}=="),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            with_note(
                vector(
                    "full-width-colon-prefix",
                    "The genuine certificate's Base45 behind \"CQ1\" and a full-width colon (U+FF1A), as a Chinese \
                     input method types it",
                    format!("CQ1\u{ff1a}{genuine_body}"),
                    now,
                    Expected::not_certqr(),
                )?,
                "The prefix is the exact ASCII bytes \"CQ1:\" or \"CQ1Z:\"; nothing is normalised.",
            ),
            vector(
                "percent-encoded-prefix",
                "The genuine certificate's text with its colon percent-encoded (\"CQ1%3A\"), as a web form sends it",
                format!("CQ1%3A{genuine_body}"),
                now,
                Expected::not_certqr(),
            )?,
            vector(
                "lowercase-compressed-prefix",
                "A compressed text's prefix in lowercase (\"cq1z:\")",
                format!("cq1z:{genuine_body}"),
                now,
                Expected::not_certqr(),
            )?,
            // Bombs and lengths.
            with_note(
                vector(
                    "deflate-bomb-largest",
                    "\"CQ1Z:\" and raw DEFLATE of 2,900,000 zero bytes: the largest bomb whose text still fits a \
                     version 40 QR code",
                    largest_bomb,
                    now,
                    Expected::invalid(&["malformed-text"]),
                )?,
                "Inflating writes into a buffer of 4097 bytes and stops when it is full: the bomb costs 4 KiB, \
                 not 2.9 MB.",
            ),
            with_note(
                vector(
                    "deflate-to-the-limit",
                    "\"CQ1Z:\" and raw DEFLATE of 4096 zero bytes: exactly the largest document inflated",
                    deflated_text(&[0u8; text::MAX_DOCUMENT_LENGTH]),
                    now,
                    Expected::invalid(&["malformed-document"]),
                )?,
                "The text layer accepts it; 4096 zero bytes are not a COSE_Sign1 message.",
            ),
            vector(
                "deflate-one-past-the-limit",
                "\"CQ1Z:\" and raw DEFLATE of 4097 zero bytes: one byte more than the largest document",
                deflated_text(&[0u8; text::MAX_DOCUMENT_LENGTH + 1]),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            with_note(
                vector(
                    "text-at-the-length-limit",
                    "\"CQ1:\" and 4292 zeros: 4296 characters, the most a version 40 QR code holds",
                    at_limit,
                    now,
                    Expected::invalid(&["malformed-document"]),
                )?,
                "The longest text read: it decodes to 2861 zero bytes, which are no COSE_Sign1 message. One \
                 character more is text-too-long (text.json).",
            ),
            vector(
                "claims-map-declaring-2-32-entries",
                "The genuine claims with their map head declaring 2^32 entries, correctly signed by \"emergency\"",
                plain_text(&sign_claims(&f.emergency, &huge_map)),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-name-declaring-2-63-bytes",
                "The genuine claims with the holder name's text head declaring 2^63 bytes, correctly signed by \
                 \"emergency\"",
                plain_text(&sign_claims(&f.emergency, &forge::map(&huge_name))),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "protected-header-declaring-2-64-bytes",
                "A COSE_Sign1 message whose protected header byte string declares 2^64 - 1 bytes",
                plain_text(&huge_protected),
                now,
                Expected::invalid(&["malformed-document"]),
            )?,
            // Web links of every kind.
            link(
                "link-ip-address",
                "A link to an IPv4 address",
                "http://192.0.2.1/verify",
                Expected::website("192.0.2.1"),
                "No name to compare with the official domains: an ordinary website link, never a certificate.",
            )?,
            link(
                "link-hexadecimal-ip-address",
                "A link to 0xC0.0.2.1, which browsers read as 192.0.2.1",
                "http://0xC0.0.2.1/",
                Expected::website("192.0.2.1"),
                "The host is named as a browser would open it (WHATWG URL parsing).",
            )?,
            link(
                "link-official-domain-with-port",
                "A link to the official platform on port 8443",
                "https://cx.mem.gov.cn:8443/cert",
                Expected::link("official-website", "cx.mem.gov.cn"),
                "The port does not change who owns the host; a web page still proves nothing.",
            )?,
            link(
                "link-backslash-trick",
                "A link whose backslash makes the official name look like the host",
                "https://evil.example\\@cx.mem.gov.cn/",
                Expected::website("evil.example"),
                "For http(s) a backslash ends the host as a slash does: the host is evil.example.",
            )?,
            link(
                "link-percent-encoded-host",
                "A link to cx%2Emem.gov.cn, a percent-encoded dot",
                "https://cx%2Emem.gov.cn/",
                Expected::link("official-website", "cx.mem.gov.cn"),
                "The host is decoded as a browser decodes it before it is compared.",
            )?,
            link(
                "link-leading-space",
                "A link to evil.example with a space in front",
                " https://evil.example/",
                Expected::website("evil.example"),
                "Surrounding whitespace does not hide a link.",
            )?,
            vector(
                "link-javascript",
                "A javascript: URL",
                "javascript:alert(1)".to_owned(),
                now,
                Expected::not_certqr(),
            )?,
            vector(
                "link-data-url",
                "A data: URL holding a web page",
                "data:text/html,<h1>证书有效</h1>".to_owned(),
                now,
                Expected::not_certqr(),
            )?,
            vector(
                "link-wechat",
                "A weixin:// link, as a WeChat mini-program code opens",
                "weixin://dl/business/?t=certqr".to_owned(),
                now,
                Expected::not_certqr(),
            )?,
            vector(
                "link-ftp",
                "An ftp:// link",
                "ftp://cx.mem.gov.cn/cert".to_owned(),
                now,
                Expected::not_certqr(),
            )?,
        ];
        Ok(VectorFile {
            group: "adversarial".into(),
            description: "Texts made to get a fake certificate through: algorithm substitution, keys and signed \
                          documents where they do not belong, texts stitched together, invisible and look-alike \
                          characters, bombs and declared lengths at and past the limits, and links of every kind. \
                          None is valid."
                .into(),
            vectors,
        })
    }
}
