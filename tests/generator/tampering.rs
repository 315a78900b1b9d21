//! `tampering.json`: genuine certificates changed after signing.

use certqr_core::catalog::Family;
use certqr_core::cose;
use certqr_core::text;

use crate::fixture;
use crate::forge;

use super::{
    body, days_since_epoch, plain_text, replace_once, set_value, vector, with_note, Expected,
    GenerateError, Result, VectorFile, World,
};

impl World {
    pub(super) fn tampering(&self) -> Result<VectorFile> {
        let now = fixture::NOW;
        let document = self.genuine_document(Family::SpecialOperations)?;
        let genuine_text = plain_text(&document);
        let message =
            cose::parse(&document).map_err(|error| GenerateError::Assumption(error.to_string()))?;
        let protected = message.protected_bytes().to_vec();
        let resign_parts = |payload: &[u8], signature: &[u8]| {
            forge::sign1_raw(&protected, &forge::map(&[]), payload, signature)
        };

        // The holder's name changed in place, same length.
        let renamed = replace_once(&document, "张建国".as_bytes(), "李建国".as_bytes())?;
        // Two more years of validity, with the original signature.
        let (certificate, mut entries) = self.example_entries()?;
        let extended_until = certificate
            .valid_until
            .replace_year(certificate.valid_until.year() + 2)
            .map_err(|error| GenerateError::Assumption(error.to_string()))?;
        set_value(
            &mut entries,
            9,
            forge::int(days_since_epoch(extended_until)),
        )?;
        let extended = resign_parts(&forge::map(&entries), &message.signature);
        let mut flipped_signature = message.signature.clone();
        if let Some(byte) = flipped_signature.get_mut(10) {
            *byte ^= 0x01;
        }
        let short_signature = message.signature.get(..63).unwrap_or_default().to_vec();
        let malleated = forge::malleate_signature(&message.signature)
            .ok_or_else(|| GenerateError::Assumption("signature cannot be malleated".into()))?;

        // Text-level damage. Base45 reads groups of three characters (two bytes) and a
        // final pair (one byte), so what a cut or an addition does depends on the length.
        let length = body(&genuine_text)?.len();
        if length % 3 != 0 {
            return Err(GenerateError::Assumption(format!(
                "the example's Base45 is {length} characters, not a whole number of triples"
            )));
        }
        let cut_to = |characters: usize| -> String {
            genuine_text
                .get(..genuine_text.len() - characters)
                .unwrap_or_default()
                .to_owned()
        };
        let second = text::encode(&self.genuine_document(Family::SpecialEquipment)?);

        let vectors = vec![
            vector(
                "tampered-holder-name",
                "The genuine special operations certificate with the holder's name changed from 张建国 to 李建国 \
                 in the signed payload",
                plain_text(&renamed),
                now,
                Expected::invalid(&["bad-signature"]),
            )?,
            vector(
                "tampered-valid-until",
                "The genuine certificate's claims re-encoded with valid-until two years later, original signature kept",
                plain_text(&extended),
                now,
                Expected::invalid(&["bad-signature"]),
            )?,
            vector(
                "tampered-signature-bit",
                "The genuine certificate with one bit of its signature flipped",
                plain_text(&resign_parts(&message.payload, &flipped_signature)),
                now,
                Expected::invalid(&["bad-signature"]),
            )?,
            vector(
                "signature-too-short",
                "The genuine certificate with its signature cut to 63 bytes (re-encoded, so the CBOR is well formed)",
                plain_text(&resign_parts(&message.payload, &short_signature)),
                now,
                Expected::invalid(&["bad-signature"]),
            )?,
            with_note(
                vector(
                    "malleated-signature",
                    "The genuine certificate with the group order L added to the signature's scalar S",
                    plain_text(&resign_parts(&message.payload, &malleated)),
                    now,
                    Expected::invalid(&["bad-signature"]),
                )?,
                "S + L satisfies the cofactorless verification equation for the same R, but S must be below L \
                 (RFC 8032 §5.1.7); Ed25519 verify_strict refuses it.",
            ),
            with_note(
                vector(
                    "truncated-two-characters",
                    "The genuine certificate's text with its last two characters cut off",
                    cut_to(2),
                    now,
                    Expected::invalid(&["malformed-text"]),
                )?,
                "The Base45 is then one character past a whole triple: a dangling character.",
            ),
            with_note(
                vector(
                    "truncated-three-characters",
                    "The genuine certificate's text with its last three characters (two bytes of signature) cut off",
                    cut_to(3),
                    now,
                    Expected::invalid(&["malformed-document"]),
                )?,
                "Valid Base45 of a COSE_Sign1 whose signature byte string declares 64 bytes and has 62.",
            ),
            with_note(
                vector(
                    "extra-characters-appended",
                    "The genuine certificate's text followed by \"00\"",
                    format!("{genuine_text}00"),
                    now,
                    Expected::invalid(&["malformed-document"]),
                )?,
                "\"00\" is a valid final Base45 pair (byte 0x00): a trailing byte after the COSE_Sign1 item.",
            ),
            with_note(
                vector(
                    "extra-space-appended",
                    "The genuine certificate's text followed by a space",
                    format!("{genuine_text} "),
                    now,
                    Expected::invalid(&["malformed-text"]),
                )?,
                "Space is in the Base45 alphabet, but one character past a whole triple dangles.",
            ),
            with_note(
                vector(
                    "two-texts-concatenated",
                    "Two genuine certificates' texts joined without a separator",
                    format!("{genuine_text}{second}"),
                    now,
                    Expected::invalid(&["malformed-text"]),
                )?,
                "The second prefix \"CQ1:\" is Base45 too and shifts the second text by one character: here a \
                 shifted triple is worth more than 65535. Had every triple been in range, the bytes after the \
                 first COSE_Sign1 item would have been refused as trailing data (malformed-document).",
            ),
            vector(
                "two-texts-on-two-lines",
                "Two genuine certificates' texts separated by a line feed",
                format!("{genuine_text}\n{second}"),
                now,
                Expected::invalid(&["malformed-text"]),
            )?,
        ];
        Ok(VectorFile {
            group: "tampering".into(),
            description:
                "Genuine certificates altered after signing: payload, signature, and the text cut, \
                          extended or doubled. None may verify."
                    .into(),
            vectors,
        })
    }
}
