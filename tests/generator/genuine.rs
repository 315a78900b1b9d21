//! `genuine.json`: a genuine certificate of every family, as a verifier must accept it.

use certqr_core::catalog::Family;
use certqr_core::text;
use time::macros::datetime;

use crate::fixture;
use crate::forge;

use super::{
    issue, sample, sign_claims, vector, with_note, Expected, GenerateError, Result, VectorFile,
    World, GENUINE_VALID_FROM,
};

impl World {
    pub(super) fn genuine(&self) -> Result<VectorFile> {
        let now = fixture::NOW;
        let mut vectors = Vec::new();
        for family in Family::ALL {
            let document = self.genuine_document(family)?;
            let name = format!("genuine-{}", family.slug());
            let description = format!(
                "A {} issued by the trusted key \"{}\", valid from {GENUINE_VALID_FROM}",
                family.name_en().to_lowercase(),
                self.issuer_for(family).label
            );
            let vector = vector(
                &name,
                &description,
                text::encode(&document),
                now,
                Expected::valid(),
            )?;
            vectors.push(if family == Family::SpecialOperations {
                with_note(
                    vector,
                    "The example certificate of docs/format.md, dumped there byte by byte.",
                )
            } else {
                vector
            });
        }
        // A certificate that DEFLATE shortens: text::encode picks the CQ1Z: prefix.
        let mut entries = self.example_entries()?.1;
        entries.push((forge::int(100), forge::text(&"持证上岗 ".repeat(40))));
        let document = sign_claims(&self.fixture.emergency, &forge::map(&entries));
        let compressed = text::encode(&document);
        if !compressed.starts_with(text::PREFIX_DEFLATE) {
            return Err(GenerateError::Assumption(
                "a repetitive extension claim does not compress".into(),
            ));
        }
        vectors.push(with_note(
            vector(
                "genuine-compressed",
                "A genuine special operations certificate with a long, repetitive extension claim (key 100), \
                 so that its text is shorter DEFLATE-compressed (CQ1Z:)",
                compressed,
                now,
                Expected::valid().warn(&["extension-claims-ignored"]),
            )?,
            "Extension claims (keys >= 100) are ignored with a warning; the compressed form is chosen by the \
             writer because it is shorter.",
        ));
        vectors.push(with_note(
            vector(
                "genuine-retired-key-before-retirement",
                "A special operations certificate valid from 2024-03-01, signed by the key \"emergency-2019\", \
                 which the trust list marks retired on 2024-07-01",
                text::encode(&issue(&self.fixture.retired, &sample(Family::SpecialOperations, GENUINE_VALID_FROM)?)?),
                now,
                Expected::valid(),
            )?,
            "A retired key's earlier certificates stay valid; certqr judges a certificate's signing day by its \
             valid-from date.",
        ));
        vectors.push(vector(
            "genuine-trust-list-stale",
            "The genuine special operations certificate, verified after the trust list expired (2025-07-30) \
             but within the 30-day grace period",
            text::encode(&self.genuine_document(Family::SpecialOperations)?),
            datetime!(2025-08-15 10:00 +8),
            Expected::valid().warn(&["trust-list-stale"]),
        )?);
        Ok(VectorFile {
            group: "genuine".into(),
            description: "Genuine certificates that must verify as valid: one per family, a compressed one, one \
                          signed by a retired key before its retirement, one under a stale trust list."
                .into(),
            vectors,
        })
    }
}
