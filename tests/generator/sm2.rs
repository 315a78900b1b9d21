//! `sm2.json`: certificates signed with SM2 (COSE algorithm -65537), tampered SM2
//! documents and mismatched algorithm headers.

use certqr_core::catalog::Family;
use certqr_core::cose;
use certqr_core::keys::Algorithm;
use certqr_core::text;

use crate::fixture;
use crate::forge;

use super::{
    issue, plain_text, replace_once, sample, sign_claims_as, vector, with_note, Expected,
    GenerateError, Result, VectorFile, World, GENUINE_VALID_FROM,
};

impl World {
    pub(super) fn sm2(&self) -> Result<VectorFile> {
        let now = fixture::NOW;
        let sm2 = &self.fixture.sm2;
        let certificate = sample(Family::SpecialOperations, GENUINE_VALID_FROM)?;
        let document = issue(sm2, &certificate)?;
        let message =
            cose::parse(&document).map_err(|error| GenerateError::Assumption(error.to_string()))?;
        if message.algorithm != i128::from(Algorithm::Sm2.cose_id())
            || message.signature.len() != 64
        {
            return Err(GenerateError::Assumption(
                "the SM2 document does not carry a 64-byte SM2 signature".into(),
            ));
        }
        let protected = message.protected_bytes().to_vec();
        let resign_parts = |signature: &[u8]| {
            forge::sign1_raw(&protected, &forge::map(&[]), &message.payload, signature)
        };
        let renamed = replace_once(&document, "张建国".as_bytes(), "李建国".as_bytes())?;
        let claims = certificate.to_claims();
        let der = forge::der_signature(&message.signature)
            .ok_or_else(|| GenerateError::Assumption("SM2 signature is not r || s".into()))?;
        let mut s_is_n = message.signature.get(..32).unwrap_or_default().to_vec();
        s_is_n.extend_from_slice(&forge::SM2_GROUP_ORDER);
        let vectors = vec![
            with_note(
                vector(
                    "genuine-sm2-special-operations",
                    "A special operations certificate issued by the trusted SM2 key \"shanghai-sm2\" \
                     (上海市应急管理局), valid from 2024-03-01",
                    text::encode(&document),
                    now,
                    Expected::valid(),
                )?,
                "COSE algorithm -65537 (SM2 with SM3, distinguishing identifier 1234567812345678), signature r || s \
                 of 64 bytes with a deterministic nonce.",
            ),
            vector(
                "sm2-tampered-holder-name",
                "The SM2 certificate with the holder's name changed from 张建国 to 李建国 in the signed payload",
                plain_text(&renamed),
                now,
                Expected::invalid(&["bad-signature"]),
            )?,
            with_note(
                vector(
                    "sm2-signature-header-says-ed25519",
                    "The SM2 certificate's claims signed by the SM2 key under a protected header naming \
                     algorithm -8 (Ed25519) and the SM2 key's id",
                    plain_text(&sign_claims_as(sm2, Algorithm::Ed25519.cose_id(), &claims)),
                    now,
                    Expected::invalid(&["algorithm-mismatch"]),
                )?,
                "The key id names an SM2 issuer; the header's algorithm is not the key's.",
            ),
            with_note(
                vector(
                    "ed25519-signature-header-says-sm2",
                    "The genuine special operations claims signed by the Ed25519 key \"emergency\" under a \
                     protected header naming algorithm -65537 (SM2) and the Ed25519 key's id",
                    plain_text(&sign_claims_as(
                        &self.fixture.emergency,
                        Algorithm::Sm2.cose_id(),
                        &claims,
                    )),
                    now,
                    Expected::invalid(&["algorithm-mismatch"]),
                )?,
                "The key id names an Ed25519 issuer; the header's algorithm is not the key's.",
            ),
            with_note(
                vector(
                    "sm2-signature-der",
                    "The SM2 certificate with its signature written as DER (SEQUENCE of two INTEGERs) instead \
                     of r || s",
                    plain_text(&resign_parts(&der)),
                    now,
                    Expected::invalid(&["bad-signature"]),
                )?,
                "Same r and s, other encoding: only the 64-byte r || s form is accepted.",
            ),
            with_note(
                vector(
                    "sm2-signature-s-equals-n",
                    "The SM2 certificate with the s half of its signature replaced by the group order n",
                    plain_text(&resign_parts(&s_is_n)),
                    now,
                    Expected::invalid(&["bad-signature"]),
                )?,
                "s must lie in [1, n - 1].",
            ),
        ];
        Ok(VectorFile {
            group: "sm2".into(),
            description: "Certificates signed with SM2 (COSE algorithm -65537) by the trusted key \"shanghai-sm2\", \
                          tampered SM2 documents, and headers naming an algorithm other than the key's."
                .into(),
            vectors,
        })
    }
}
