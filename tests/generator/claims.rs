//! `claims.json`: the claims map inside a correct signature: deterministic CBOR, keys,
//! types, ranges and family rules.

use certqr_core::catalog::Family;

use crate::fixture;
use crate::forge;

use super::{
    claims_entries, days_since_epoch, entry_index, plain_text, sample, set_value, sign_claims,
    vector, with_note, Entries, Expected, GenerateError, Result, VectorFile, World,
    GENUINE_VALID_FROM,
};

impl World {
    pub(super) fn claims(&self) -> Result<VectorFile> {
        let now = fixture::NOW;
        let f = &self.fixture;
        let signed =
            |entries: &Entries| plain_text(&sign_claims(&f.emergency, &forge::map(entries)));
        let signed_raw = |claims: &[u8]| plain_text(&sign_claims(&f.emergency, claims));
        let (certificate, entries) = self.example_entries()?;

        let mut long_family = entries.clone();
        set_value(
            &mut long_family,
            1,
            forge::head_with_size(forge::major::UNSIGNED, 1, 1),
        )?;
        let mut duplicate = entries.clone();
        if let Some(first) = duplicate.first().cloned() {
            duplicate.insert(1, first);
        }
        let mut unsorted = entries.clone();
        unsorted.swap(1, 2);
        let mut indefinite_name = entries.clone();
        let (surname, given) = certificate
            .holder_name
            .split_at_checked(
                certificate
                    .holder_name
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8),
            )
            .ok_or_else(|| GenerateError::Assumption("holder name cannot be split".into()))?;
        set_value(
            &mut indefinite_name,
            3,
            [
                vec![0x7f],
                forge::text(surname),
                forge::text(given),
                vec![0xff],
            ]
            .concat(),
        )?;
        let mut unknown_key = entries.clone();
        unknown_key.push((forge::int(11), forge::int(0)));
        let mut extension = entries.clone();
        extension.push((forge::int(100), forge::text("extension")));
        let mut negative = entries.clone();
        negative.push((forge::int(-1), forge::int(0)));
        // The edges of the CBOR integer range (format.md §3.1), beyond 64-bit signed types.
        let mut largest_key = entries.clone();
        largest_key.push((forge::head(forge::major::UNSIGNED, u64::MAX), forge::int(0)));
        let mut smallest_key = entries.clone();
        smallest_key.push((forge::head(forge::major::NEGATIVE, u64::MAX), forge::int(0)));
        let mut text_key = entries.clone();
        text_key.push((forge::text("x"), forge::int(0)));
        let mut date_text = entries.clone();
        set_value(
            &mut date_text,
            9,
            forge::text(&certificate.valid_until.to_string()),
        )?;
        let mut family_nine = entries.clone();
        set_value(&mut family_nine, 1, forge::int(9))?;
        let mut no_name = entries.clone();
        no_name.remove(entry_index(&no_name, 3)?);
        let mut explicit_number = entries.clone();
        explicit_number.insert(
            entry_index(&explicit_number, 7)?,
            (forge::int(6), forge::text(&certificate.number)),
        );
        let mut id_as_text = entries.clone();
        set_value(
            &mut id_as_text,
            5,
            forge::text(certificate.id_number.as_str()),
        )?;
        let mut id_bad_birth_date = entries.clone();
        // Positions 7 to 14 of the number read 1985-13-12.
        set_value(
            &mut id_bad_birth_date,
            5,
            forge::int(32_010_219_851_312_123),
        )?;
        let mut date_out_of_range = entries.clone();
        set_value(&mut date_out_of_range, 9, forge::int(84_006))?;
        let mut sex_mismatch = entries.clone();
        set_value(&mut sex_mismatch, 4, forge::int(2))?;
        let mut not_in_catalog = entries.clone();
        set_value(&mut not_in_catalog, 2, forge::text("Q2"))?;
        let mut ten_years = entries.clone();
        let ten_years_until = certificate
            .valid_from
            .replace_year(certificate.valid_from.year() + 10)
            .map_err(|error| GenerateError::Assumption(error.to_string()))?;
        set_value(
            &mut ten_years,
            9,
            forge::int(days_since_epoch(ten_years_until) - 1),
        )?;
        let mut long_name = entries.clone();
        set_value(&mut long_name, 3, forge::text(&"张".repeat(33)))?;
        // A name that displays differently from its bytes (docs/format.md §5.4 rule 1).
        let mut override_name = entries.clone();
        set_value(
            &mut override_name,
            3,
            forge::text(&format!("\u{202E}{}", certificate.holder_name)),
        )?;
        let mut zero_width_name = entries.clone();
        set_value(
            &mut zero_width_name,
            3,
            forge::text(&format!("{}\u{200B}", certificate.holder_name)),
        )?;

        let equipment = sample(Family::SpecialEquipment, GENUINE_VALID_FROM)?;
        let mut equipment_entries = claims_entries(&equipment.to_claims())?;
        equipment_entries.remove(entry_index(&equipment_entries, 6)?);
        let equipment_text = plain_text(&sign_claims(&f.market, &forge::map(&equipment_entries)));
        // Key 10 is readable whenever present; whether the family wants it is a family
        // rule (format.md §5.4 rule 8), so both mistakes are invalid-claims.
        let mut no_review = entries.clone();
        no_review.remove(entry_index(&no_review, 10)?);
        let mut equipment_review = claims_entries(&equipment.to_claims())?;
        let review_due = equipment
            .valid_from
            .replace_year(equipment.valid_from.year() + 2)
            .map_err(|error| GenerateError::Assumption(error.to_string()))?;
        equipment_review.push((forge::int(10), forge::int(days_since_epoch(review_due))));
        let equipment_review_text =
            plain_text(&sign_claims(&f.market, &forge::map(&equipment_review)));

        let vectors = vec![
            with_note(
                vector(
                    "claims-long-form-integer",
                    "The genuine claims with the family code 1 written in two bytes (18 01), correctly signed",
                    signed(&long_family),
                    now,
                    Expected::invalid(&["malformed-claims"]),
                )?,
                "RFC 8949 §4.2.1: integers, lengths and tags in their shortest form.",
            ),
            vector(
                "claims-duplicate-key",
                "The genuine claims with key 1 twice, correctly signed",
                signed(&duplicate),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-unsorted-keys",
                "The genuine claims with keys 2 and 3 swapped, correctly signed",
                signed(&unsorted),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-indefinite-length-text",
                "The genuine claims with the holder's name as an indefinite-length text string of two chunks, \
                 correctly signed",
                signed(&indefinite_name),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-trailing-byte",
                "The genuine claims followed by one byte (00) inside the payload, correctly signed",
                signed_raw(&[forge::map(&entries), vec![0x00]].concat()),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            with_note(
                vector(
                    "claims-unknown-key",
                    "The genuine claims with key 11 (reserved for future versions), correctly signed",
                    signed(&unknown_key),
                    now,
                    Expected::invalid(&["malformed-claims"]),
                )?,
                "Keys 0 to 99 belong to the format: one this version does not know might narrow what the \
                 certificate allows, so it is refused rather than ignored.",
            ),
            vector(
                "claims-extension-key",
                "The genuine claims with extension key 100, correctly signed",
                signed(&extension),
                now,
                Expected::valid().warn(&["extension-claims-ignored"]),
            )?,
            vector(
                "claims-negative-key",
                "The genuine claims with extension key -1, correctly signed",
                signed(&negative),
                now,
                Expected::valid().warn(&["extension-claims-ignored"]),
            )?,
            with_note(
                vector(
                    "claims-extension-key-largest",
                    "The genuine claims with extension key 18446744073709551615 (2^64 - 1, the largest \
                     CBOR unsigned integer), correctly signed",
                    signed(&largest_key),
                    now,
                    Expected::valid().warn(&["extension-claims-ignored"]),
                )?,
                "Map keys are any CBOR integer (format.md §3.1), also beyond 64-bit signed types.",
            ),
            with_note(
                vector(
                    "claims-extension-key-smallest",
                    "The genuine claims with extension key -18446744073709551616 (-2^64, the smallest \
                     CBOR negative integer), correctly signed",
                    signed(&smallest_key),
                    now,
                    Expected::valid().warn(&["extension-claims-ignored"]),
                )?,
                "Map keys are any CBOR integer (format.md §3.1), also beyond 64-bit signed types.",
            ),
            vector(
                "claims-text-key",
                "The genuine claims with a text key \"x\", correctly signed",
                signed(&text_key),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-date-as-text",
                "The genuine claims with valid-until as the text \"2030-02-28\", correctly signed",
                signed(&date_text),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-date-out-of-range",
                "The genuine claims with valid-until 84006 days after 1970-01-01 (2200-01-01), correctly signed",
                signed(&date_out_of_range),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-unknown-family",
                "The genuine claims with family code 9, correctly signed",
                signed(&family_nine),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-missing-holder-name",
                "The genuine claims without key 3 (holder name), correctly signed",
                signed(&no_name),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            with_note(
                vector(
                    "claims-id-number-as-text",
                    "The genuine claims with the identity card number as the 18-character text \
                     \"32010219850612123X\" instead of the integer of its first 17 digits, correctly signed",
                    signed(&id_as_text),
                    now,
                    Expected::invalid(&["malformed-claims"]),
                )?,
                "The check character is derived from the 17 digits, so it is never signed: one number, one encoding.",
            ),
            vector(
                "claims-id-number-bad-birth-date",
                "The genuine claims with identity card digits 32010219851312123, whose birth date would be \
                 1985-13-12, correctly signed",
                signed(&id_bad_birth_date),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-missing-number",
                "Special equipment claims without key 6: that family's number is assigned by the issuer and \
                 cannot be derived, correctly signed by \"market\"",
                equipment_text,
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-derived-number-written-out",
                "The genuine special operations claims with key 6 holding \"T\" and the identity card number, \
                 correctly signed: a derived claim must be left out, so that a certificate has one encoding",
                signed(&explicit_number),
                now,
                Expected::invalid(&["malformed-claims"]),
            )?,
            vector(
                "claims-sex-mismatch",
                "The genuine claims with sex 2 (female) for a male identity card number, correctly signed",
                signed(&sex_mismatch),
                now,
                Expected::invalid(&["invalid-claims"]),
            )?,
            vector(
                "claims-item-not-in-catalog",
                "The genuine claims with item \"Q2\" (a special equipment item), not in the special operations catalog, correctly signed",
                signed(&not_in_catalog),
                now,
                Expected::invalid(&["invalid-claims"]),
            )?,
            with_note(
                vector(
                    "claims-validity-too-long",
                    "The genuine claims valid for ten years (the family allows six), correctly signed",
                    signed(&ten_years),
                    now,
                    Expected::invalid(&["invalid-claims"]),
                )?,
                "The family rules that bind an issuer are checked again by the verifier.",
            ),
            with_note(
                vector(
                    "claims-review-date-missing",
                    "The genuine special operations claims without key 10 (review due), which that family \
                     requires, correctly signed",
                    signed(&no_review),
                    now,
                    Expected::invalid(&["invalid-claims"]),
                )?,
                "A missing or extra review date breaks a family rule (format.md §5.4 rule 8): \
                 invalid-claims, not malformed-claims.",
            ),
            with_note(
                vector(
                    "claims-review-date-not-applicable",
                    "Special equipment claims with key 10 (review due) two years after valid from, though that \
                     family has no interim review, correctly signed by \"market\"",
                    equipment_review_text,
                    now,
                    Expected::invalid(&["invalid-claims"]),
                )?,
                "A missing or extra review date breaks a family rule (format.md §5.4 rule 8): \
                 invalid-claims, not malformed-claims.",
            ),
            vector(
                "claims-holder-name-too-long",
                "The genuine claims with a holder name of 33 characters (at most 32), correctly signed",
                signed(&long_name),
                now,
                Expected::invalid(&["invalid-claims"]),
            )?,
            with_note(
                vector(
                    "claims-holder-name-bidi-override",
                    "The genuine claims with a right-to-left override (U+202E) before the holder name, correctly signed",
                    signed(&override_name),
                    now,
                    Expected::invalid(&["invalid-claims"]),
                )?,
                "docs/format.md §5.4 rule 1: no character of general category Cc, Cf, Zl or Zp in a name.",
            ),
            with_note(
                vector(
                    "claims-holder-name-zero-width-space",
                    "The genuine claims with a zero-width space (U+200B) after the holder name, correctly signed",
                    signed(&zero_width_name),
                    now,
                    Expected::invalid(&["invalid-claims"]),
                )?,
                "docs/format.md §5.4 rule 1: a name that displays like the genuine one but is another string.",
            ),
        ];
        Ok(VectorFile {
            group: "claims".into(),
            description: "The claims map inside a correct signature of a trusted issuer: deterministic CBOR, keys, \
                          types, ranges and the family rules."
                .into(),
            vectors,
        })
    }
}
