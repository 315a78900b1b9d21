//! `revocation.json`: verified with `revocation-list.json` installed: a revoked
//! certificate and the list's age.

use certqr_core::catalog::Family;
use certqr_core::text;
use time::macros::datetime;

use crate::fixture;

use super::{issue, revoked_certificate, vector, with_note, Expected, Result, VectorFile, World};

impl World {
    pub(super) fn revocation(&self) -> Result<VectorFile> {
        let (key, certificate) = revoked_certificate(&self.fixture)?;
        let genuine = text::encode(&self.genuine_document(Family::SpecialOperations)?);
        let vectors = vec![
            with_note(
                vector(
                    "revoked-special-equipment",
                    "A special equipment certificate valid from 2024-06-01, signed by the key \"market\", which \
                     revocation-list.json revokes",
                    text::encode(&issue(key, &certificate)?),
                    fixture::NOW,
                    Expected::invalid(&["revoked"]),
                )?,
                "The genuine special equipment certificate (valid from 2024-03-01, same number) is not revoked: \
                 an entry covers the issuer key id, the number and the valid-from date.",
            ),
            with_note(
                vector(
                    "genuine-revocation-list-stale",
                    "The genuine special operations certificate, verified after the revocation list expired \
                     (2025-08-20 00:00 UTC) but within its 7-day grace period",
                    genuine.clone(),
                    datetime!(2025-08-22 10:00 +8),
                    Expected::valid().warn(&["trust-list-stale", "revocation-list-stale"]),
                )?,
                "The trust list expired too (2025-07-30), within its 30-day grace period.",
            ),
            with_note(
                vector(
                    "revocation-list-expired",
                    "The genuine special operations certificate, verified more than 7 days after the revocation \
                     list expired",
                    genuine,
                    datetime!(2025-08-28 10:00 +8),
                    Expected::invalid(&["revocation-list-expired"]).warn(&["trust-list-stale"]),
                )?,
                "Revocation cannot be checked past the grace period (until 2025-08-27 00:00 UTC); the trust \
                 list is still within its own (until 2025-08-29 00:00 UTC).",
            ),
        ];
        Ok(VectorFile {
            group: "revocation".into(),
            description: "Verified with revocation-list.json installed: a revoked certificate, and the list's age."
                .into(),
            vectors,
        })
    }
}
