//! `issuers.json`: certificates signed by keys the trust list retires, marks
//! compromised, limits in scope or does not name.

use certqr_core::catalog::Family;
use certqr_core::cose::DocumentKind;
use certqr_core::text;
use time::macros::date;

use crate::fixture;
use crate::forge;

use super::{
    issue, plain_text, sample, vector, with_note, Expected, Result, VectorFile, World,
    GENUINE_VALID_FROM,
};

impl World {
    pub(super) fn issuers(&self) -> Result<VectorFile> {
        let now = fixture::NOW;
        let f = &self.fixture;
        let special = sample(Family::SpecialOperations, GENUINE_VALID_FROM)?;
        let mut out_of_scope_item =
            sample(Family::ConstructionSpecialOperations, GENUINE_VALID_FROM)?;
        out_of_scope_item.item = "05".into();
        // Signed with the stranger's key but carrying the emergency key's id.
        let emergency_id = f.emergency.public_key().key_id();
        let wrong_key = forge::sign1(
            &f.stranger.key,
            &forge::protected_header(
                -8,
                DocumentKind::Certificate.content_type(),
                &emergency_id.0,
            ),
            &special.to_claims(),
        );
        let vectors = vec![
            vector(
                "unknown-issuer",
                "A genuine-looking certificate signed by the key \"stranger\", which no trust list names",
                text::encode(&issue(&f.stranger, &special)?),
                now,
                Expected::invalid(&["unknown-issuer"]),
            )?,
            with_note(
                vector(
                    "signed-by-root-key",
                    "A certificate signed by the root key itself",
                    text::encode(&issue(&f.root, &special)?),
                    now,
                    Expected::invalid(&["unknown-issuer"]),
                )?,
                "A root key signs trust lists only; certificates verify against the issuers a trust list names.",
            ),
            with_note(
                vector(
                    "trusted-key-id-wrong-key",
                    "A certificate whose header carries the key id of \"emergency\" but which \"stranger\" signed",
                    plain_text(&wrong_key),
                    now,
                    Expected::invalid(&["bad-signature"]),
                )?,
                "The key id only selects candidate keys; the signature decides.",
            ),
            vector(
                "compromised-key",
                "A certificate signed by the key \"suzhou\", which the trust list marks compromised",
                text::encode(&issue(&f.compromised, &special)?),
                now,
                Expected::invalid(&["issuer-key-compromised"]),
            )?,
            with_note(
                vector(
                    "retired-key-after-retirement",
                    "A special operations certificate valid from 2024-09-01, signed by the key \"emergency-2019\", \
                     retired on 2024-07-01",
                    text::encode(&issue(&f.retired, &sample(Family::SpecialOperations, date!(2024 - 09 - 01))?)?),
                    now,
                    Expected::invalid(&["issuer-key-retired"]),
                )?,
                "Its twin signed before the retirement is genuine-retired-key-before-retirement (valid).",
            ),
            vector(
                "out-of-scope-family",
                "A special operations certificate signed by \"market\", which may sign special equipment only",
                text::encode(&issue(&f.market, &special)?),
                now,
                Expected::invalid(&["out-of-scope"]),
            )?,
            vector(
                "out-of-scope-item",
                "A construction special operations certificate for item 05 signed by \"housing\", whose scope \
                 lists items 01 to 04 of that family",
                text::encode(&issue(&f.housing, &out_of_scope_item)?),
                now,
                Expected::invalid(&["out-of-scope"]),
            )?,
            vector(
                "outside-key-validity",
                "A construction safety management certificate valid from 2022-09-01, signed by \"housing\", \
                 whose key may sign from 2023-01-01",
                text::encode(&issue(
                    &f.housing,
                    &sample(Family::ConstructionSafetyManagement, date!(2022 - 09 - 01))?,
                )?),
                now,
                Expected::invalid(&["outside-key-validity"]),
            )?,
        ];
        Ok(VectorFile {
            group: "issuers".into(),
            description: "Who signed: unknown keys, the root, compromised and retired keys, scope and key windows."
                .into(),
            vectors,
        })
    }
}
