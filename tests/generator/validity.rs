//! `validity.json`: genuine certificates verified before, during and after their
//! validity and review dates.

use certqr_core::catalog::Family;
use certqr_core::text;
use time::macros::date;
use time::macros::datetime;

use crate::fixture;

use super::{issue, sample, vector, with_note, Expected, Result, VectorFile, World};

impl World {
    pub(super) fn validity(&self) -> Result<VectorFile> {
        let now = fixture::NOW;
        let housing = &self.fixture.housing;
        let construction = Family::ConstructionSpecialOperations;
        // Valid 2023-06-02 .. 2025-06-01: NOW is its last day.
        let last_day = text::encode(&issue(
            housing,
            &sample(construction, date!(2023 - 06 - 02))?,
        )?);
        let starts = text::encode(&issue(
            &self.fixture.emergency,
            &sample(Family::SafetyManagement, date!(2025 - 06 - 15))?,
        )?);
        let genuine = text::encode(&self.genuine_document(Family::SpecialOperations)?);
        let vectors = vec![
            vector(
                "expired",
                "A construction special operations certificate valid 2023-03-01 to 2025-02-28, verified on 2025-06-01",
                text::encode(&issue(housing, &sample(construction, date!(2023 - 03 - 01))?)?),
                now,
                Expected::invalid(&["expired"]),
            )?,
            with_note(
                vector(
                    "last-day-of-validity",
                    "A certificate valid until 2025-06-01, verified at 23:59:59 that day in China",
                    last_day.clone(),
                    datetime!(2025-06-01 23:59:59 +8),
                    Expected::valid().warn(&["expires-soon"]),
                )?,
                "The last day of validity counts in full; \"expires-soon\" warns within 30 days of it.",
            ),
            with_note(
                vector(
                    "day-after-validity-china-time",
                    "The same certificate at 2025-06-01T16:00:00Z, which is already 2025-06-02 in China",
                    last_day,
                    datetime!(2025-06-01 16:00 UTC),
                    Expected::invalid(&["expired"]),
                )?,
                "Dates are days in China Standard Time (UTC+8), whatever the verifier's own time zone.",
            ),
            vector(
                "not-yet-valid",
                "A safety management certificate valid from 2025-06-15, verified on 2025-06-01",
                starts.clone(),
                now,
                Expected::invalid(&["not-yet-valid"]),
            )?,
            with_note(
                vector(
                    "first-day-of-validity-china-time",
                    "The same certificate at 2025-06-14T16:00:00Z, which is 2025-06-15 00:00 in China",
                    starts,
                    datetime!(2025-06-14 16:00 UTC),
                    Expected::valid(),
                )?,
                "Dates are days in China Standard Time (UTC+8).",
            ),
            vector(
                "review-overdue",
                "A special operations certificate valid 2021-03-01 to 2027-02-28 whose review was due on \
                 2024-03-01, verified on 2025-06-01",
                text::encode(&issue(
                    &self.fixture.emergency,
                    &sample(Family::SpecialOperations, date!(2021 - 03 - 01))?,
                )?),
                now,
                Expected::invalid(&["review-overdue"]),
            )?,
            with_note(
                vector(
                    "expired-and-review-overdue",
                    "A special operations certificate valid 2019-03-01 to 2025-02-28 (review due 2022-03-01), \
                     signed by the key \"emergency-2019\" before its retirement, verified on 2025-06-01",
                    text::encode(&issue(
                        &self.fixture.retired,
                        &sample(Family::SpecialOperations, date!(2019 - 03 - 01))?,
                    )?),
                    now,
                    Expected::invalid(&["expired", "review-overdue"]),
                )?,
                "Once the signature holds, every failing date check is reported.",
            ),
            with_note(
                vector(
                    "trust-list-expired",
                    "The genuine special operations certificate verified on 2025-09-01, past the trust list's \
                     expiry (2025-07-30) and its 30-day grace period",
                    genuine,
                    datetime!(2025-09-01 10:00 +8),
                    Expected::invalid(&["trust-list-expired"]),
                )?,
                "The grace period is a verifier option; 30 days is certqr's default.",
            ),
        ];
        Ok(VectorFile {
            group: "validity".into(),
            description: "Genuine signatures judged by date: expiry, start, reviews, the China time zone, and \
                          the trust list's own expiry."
                .into(),
            vectors,
        })
    }
}
