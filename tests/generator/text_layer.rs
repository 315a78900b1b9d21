//! `text.json`: the QR text layer (prefix, Base45, compression) around a genuine
//! document.

use certqr_core::catalog::Family;
use certqr_core::text;

use crate::fixture;

use super::{
    body, plain_text, vector, with_note, Expected, GenerateError, Result, VectorFile, World,
};

impl World {
    pub(super) fn text_layer(&self) -> Result<VectorFile> {
        let now = fixture::NOW;
        let document = self.genuine_document(Family::SpecialOperations)?;
        let genuine_text = plain_text(&document);
        let genuine_body = body(&genuine_text)?.to_owned();
        let middle = genuine_body.len() / 2;
        let (first_half, second_half) = genuine_body.split_at(middle);

        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 1 << 20], 10);
        let bomb_text = format!("{}{}", text::PREFIX_DEFLATE, base45::encode(&bomb));
        let mut garbage_after_deflate = miniz_oxide::deflate::compress_to_vec(&document, 10);
        garbage_after_deflate.extend_from_slice(b"\x00\x01");

        // A final Base45 pair above 255: needs a document of odd length.
        let odd = Family::ALL
            .into_iter()
            .map(|family| self.genuine_document(family))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .find(|document| document.len() % 2 == 1)
            .ok_or_else(|| {
                GenerateError::Assumption("no genuine document has an odd length".into())
            })?;
        let odd_text = plain_text(&odd);
        let pair_start = odd_text.len() - 2;
        let last = odd.last().copied().unwrap_or_default();
        let overlong_pair = base45_pair(u16::from(last) + 256)?;
        let overlong_text = format!(
            "{}{overlong_pair}",
            odd_text.get(..pair_start).unwrap_or_default()
        );

        let vectors = vec![
            with_note(
                vector(
                    "bom-in-front",
                    "The genuine certificate's text with a byte order mark (U+FEFF) in front",
                    format!("\u{feff}{genuine_text}"),
                    now,
                    Expected::not_certqr(),
                )?,
                "A certqr text starts with the exact bytes \"CQ\"; nothing is stripped or trimmed.",
            ),
            vector(
                "leading-space",
                "The genuine certificate's text with a space in front",
                format!(" {genuine_text}"),
                now,
                Expected::not_certqr(),
            )?,
            vector(
                "lowercase-prefix",
                "The genuine certificate's text with the prefix in lowercase (\"cq1:\")",
                format!("cq1:{genuine_body}"),
                now,
                Expected::not_certqr(),
            )?,
            vector(
                "lowercase-base45",
                "The genuine certificate's text with its Base45 in lowercase",
                format!("{}{}", text::PREFIX, genuine_body.to_lowercase()),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            vector(
                "line-feed-inside",
                "The genuine certificate's text with a line feed in the middle of the Base45",
                format!("{}{first_half}\n{second_half}", text::PREFIX),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            vector(
                "trailing-line-feed",
                "The genuine certificate's text followed by a line feed",
                format!("{genuine_text}\n"),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            vector(
                "trailing-carriage-return-line-feed",
                "The genuine certificate's text followed by CR LF",
                format!("{genuine_text}\r\n"),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            vector(
                "unsupported-version",
                "The genuine certificate's Base45 behind the prefix \"CQ2:\"",
                format!("CQ2:{genuine_body}"),
                now,
                Expected::invalid(&["unsupported-version"]),
            )?,
            vector(
                "unsupported-version-compressed",
                "Base45 behind the prefix \"CQ2Z:\"",
                format!("CQ2Z:{genuine_body}"),
                now,
                Expected::invalid(&["unsupported-version"]),
            )?,
            vector(
                "empty-after-prefix",
                "The prefix \"CQ1:\" alone",
                text::PREFIX.to_owned(),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            with_note(
                vector(
                    "base45-triple-out-of-range",
                    "\"CQ1:GGW\": a Base45 triple worth 65536",
                    "CQ1:GGW".to_owned(),
                    now,
                    Expected::invalid(&["malformed-text"]),
                )?,
                "RFC 9285 §6: a triple above 65535 is invalid.",
            ),
            with_note(
                vector(
                    "base45-final-pair-out-of-range",
                    "A genuine certificate's text whose final Base45 pair is replaced by one worth 256 more: the \
                     same byte modulo 256",
                    overlong_text,
                    now,
                    Expected::invalid(&["malformed-text"]),
                )?,
                "A final pair encodes one byte, so its value must be at most 255; reading it modulo 256 would \
                 give one document many texts.",
            ),
            with_note(
                vector(
                    "deflate-bomb",
                    "\"CQ1Z:\" and raw DEFLATE of 1 MiB of zero bytes (about 1 KiB compressed)",
                    bomb_text,
                    now,
                    Expected::invalid(&["malformed-text"]),
                )?,
                "Inflating stops as soon as the output passes 4096 bytes.",
            ),
            vector(
                "deflate-corrupt",
                "\"CQ1Z:\" and three bytes that are not a DEFLATE stream",
                format!("{}{}", text::PREFIX_DEFLATE, base45::encode([0xff, 0xff, 0xff])),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
            with_note(
                vector(
                    "deflate-trailing-bytes",
                    "\"CQ1Z:\" and the genuine certificate raw-DEFLATE compressed, followed by two bytes after the \
                     end of the DEFLATE stream",
                    format!("{}{}", text::PREFIX_DEFLATE, base45::encode(&garbage_after_deflate)),
                    now,
                    Expected::invalid(&["malformed-text"]),
                )?,
                "The DEFLATE stream must end exactly at the end of the decoded bytes.",
            ),
            vector(
                "text-too-long",
                "\"CQ1:\" and 4293 characters: one more than a version 40 QR code holds",
                format!("{}{}", text::PREFIX, "0".repeat(text::MAX_TEXT_LENGTH + 1 - text::PREFIX.len())),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
        ];
        Ok(VectorFile {
            group: "text".into(),
            description: "The QR text layer: prefixes, Base45, DEFLATE and lengths.".into(),
            vectors,
        })
    }
}

/// Two Base45 characters for `value` (below 2025), least significant first.
fn base45_pair(value: u16) -> Result<String> {
    const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let character = |index: u16| {
        ALPHABET
            .get(usize::from(index))
            .map(|&byte| char::from(byte))
    };
    match (character(value % 45), character(value / 45)) {
        (Some(low), Some(high)) => Ok(format!("{low}{high}")),
        _ => Err(GenerateError::Assumption(format!(
            "{value} does not fit in a Base45 pair"
        ))),
    }
}
