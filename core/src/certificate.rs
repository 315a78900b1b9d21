//! A certificate: who holds it, what it licenses, and when.
//!
//! The same checks run when an authority issues a certificate and when an inspector
//! verifies one, so a signed certificate that breaks a family's rules (say, a special
//! operations certificate valid for ten years) is refused by the verifier too.

use time::{Date, Month, OffsetDateTime, UtcOffset};

use crate::catalog::{CertificateNumberError, Family, Item, NumberRule};
use crate::cbor::{self, CborError, Value};
use crate::fields::{self, int, FieldError, Fields};
use crate::id_number::{IdNumber, IdNumberError, Sex};
use crate::name::{self, NameError};

/// China Standard Time (UTC+8): every date on a certificate is a date in this zone.
pub const CHINA_STANDARD_TIME: UtcOffset = time::macros::offset!(+8);
/// The identity card number is signed as the number formed by its first 17 digits;
/// its check character is derived from them.
const MAX_ID_DIGITS: u64 = 99_999_999_999_999_999;
/// Longest holder name, in characters (names of some minorities run long).
pub const MAX_NAME_CHARS: usize = 32;

mod claim {
    pub const FAMILY: i64 = 1;
    pub const ITEM: i64 = 2;
    pub const HOLDER_NAME: i64 = 3;
    pub const SEX: i64 = 4;
    pub const ID_NUMBER: i64 = 5;
    pub const NUMBER: i64 = 6;
    pub const FIRST_ISSUED: i64 = 7;
    pub const VALID_FROM: i64 = 8;
    pub const VALID_UNTIL: i64 = 9;
    pub const REVIEW_DUE: i64 = 10;
}

/// The date in China at instant `now`.
///
/// At the very end of the representable range (31 December 9999, UTC) the date in
/// China would be in the year 10000; the last representable date is returned instead.
pub fn china_date(now: OffsetDateTime) -> Date {
    now.checked_to_offset(CHINA_STANDARD_TIME)
        .map_or(Date::MAX, OffsetDateTime::date)
}

/// The same day and month `years` later; 29 February becomes 28 February.
pub fn add_years(date: Date, years: u8) -> Date {
    let year = date.year() + i32::from(years);
    Date::from_calendar_date(year, date.month(), date.day())
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
        .unwrap_or(Date::MAX)
}

/// A certificate's data, as signed into its QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// Holder's name as on the identity card.
    pub holder_name: String,
    /// Holder's sex; must agree with the identity card number.
    pub sex: Sex,
    /// Holder's identity card number (公民身份号码).
    pub id_number: IdNumber,
    /// Certificate number (证书编号).
    pub number: String,
    /// Certificate family.
    pub family: Family,
    /// Item code within the family (one item per certificate).
    pub item: String,
    /// Date the holder first obtained this certificate (初次领证日期).
    pub first_issued: Date,
    /// First day of validity of this certificate.
    pub valid_from: Date,
    /// Last day of validity.
    pub valid_until: Date,
    /// Date by which the next review (复审) is due, for families that have reviews.
    pub review_due: Option<Date>,
}

/// Why certificate data breaks its family's rules.
///
/// No variant carries the holder's name or numbers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// The holder name is empty, too long, or breaks the character rules of
    /// [`name`]: invisible characters, padding, not NFC.
    #[error("holder name: {0}")]
    HolderName(NameError),
    /// The item is not in the family's catalog.
    #[error("item {item:?} is not an item of the {} catalog", family.slug())]
    ItemNotInFamily {
        /// The family.
        family: Family,
        /// The item code given.
        item: String,
    },
    /// The certificate number breaks the family's rule.
    #[error(transparent)]
    Number(#[from] CertificateNumberError),
    /// The sex disagrees with the identity card number.
    #[error("sex does not match the identity card number")]
    SexMismatch,
    /// The holder was not born by the first-issue date.
    #[error("first-issue date is before the holder's birth date")]
    IssuedBeforeBirth,
    /// first issued <= valid from <= valid until does not hold.
    #[error("dates out of order: need first issued <= valid from <= valid until")]
    DatesOutOfOrder,
    /// Validity longer than the family allows.
    #[error("validity runs past {latest}, {max_years} years after its start, the most the family allows")]
    ValidityTooLong {
        /// The family's maximum, in years.
        max_years: u8,
        /// The latest allowed last day.
        latest: Date,
    },
    /// The family requires a review date and none is given.
    #[error("this family requires a review due date")]
    ReviewDateMissing,
    /// A review date on a family that has no reviews.
    #[error("this family has no interim reviews, so no review due date is allowed")]
    ReviewNotApplicable,
    /// The review date is not between the start of validity and the allowed interval.
    #[error("review due date must fall after the start of validity and no later than {latest}")]
    ReviewDateOutOfRange {
        /// The latest allowed review date.
        latest: Date,
    },
}

impl Certificate {
    /// The catalog entry of the item.
    pub fn catalog_item(&self) -> Option<&'static Item> {
        self.family.item(&self.item)
    }

    /// The certificate number with the holder's identity card number masked where it
    /// holds it (a special operations certificate number is `T` followed by the
    /// identity card number: `T3201**********123X`); other numbers unchanged.
    pub fn masked_number(&self) -> String {
        let full = self.id_number.as_str();
        self.number.replace(full, &self.id_number.masked())
    }

    /// Check the data against its family's rules.
    pub fn check(&self) -> Result<(), CertificateError> {
        name::check_with_length(&self.holder_name, MAX_NAME_CHARS)
            .map_err(CertificateError::HolderName)?;
        if self.catalog_item().is_none() {
            return Err(CertificateError::ItemNotInFamily {
                family: self.family,
                item: self.item.clone(),
            });
        }
        self.family
            .number_rule()
            .check(&self.number, &self.id_number)?;
        if self.id_number.sex() != self.sex {
            return Err(CertificateError::SexMismatch);
        }
        if self.first_issued < self.id_number.birth_date() {
            return Err(CertificateError::IssuedBeforeBirth);
        }
        if !(self.first_issued <= self.valid_from && self.valid_from <= self.valid_until) {
            return Err(CertificateError::DatesOutOfOrder);
        }
        let max_years = self.family.max_validity_years();
        let latest = add_years(self.valid_from, max_years);
        if self.valid_until > latest {
            return Err(CertificateError::ValidityTooLong { max_years, latest });
        }
        match (self.family.review_rule(), self.review_due) {
            (None, None) => Ok(()),
            (None, Some(_)) => Err(CertificateError::ReviewNotApplicable),
            (Some(_), None) => Err(CertificateError::ReviewDateMissing),
            (Some(rule), Some(review_due)) => {
                // The longer interval needs the years in the trade; the issuer attests
                // the rest (no violations) by signing.
                let held =
                    add_years(self.first_issued, rule.extended_after_years) <= self.valid_from;
                let years =
                    rule.interval_years_for(if held { rule.extended_after_years } else { 0 }, true);
                let latest = add_years(self.valid_from, years).min(self.valid_until);
                if review_due <= self.valid_from || review_due > latest {
                    return Err(CertificateError::ReviewDateOutOfRange { latest });
                }
                Ok(())
            }
        }
    }

    /// The claims map, deterministically encoded: the payload of a signed certificate.
    pub fn to_claims(&self) -> Vec<u8> {
        let mut map = vec![
            (int(claim::FAMILY), int(i64::from(self.family.code()))),
            (int(claim::ITEM), Value::Text(self.item.clone())),
            (
                int(claim::HOLDER_NAME),
                Value::Text(self.holder_name.clone()),
            ),
            (int(claim::SEX), int(i64::from(self.sex.code()))),
            (
                int(claim::ID_NUMBER),
                Value::Integer(self.id_number.digits().into()),
            ),
            (
                int(claim::FIRST_ISSUED),
                fields::date_value(self.first_issued),
            ),
            (int(claim::VALID_FROM), fields::date_value(self.valid_from)),
            (
                int(claim::VALID_UNTIL),
                fields::date_value(self.valid_until),
            ),
        ];
        if self.family.number_rule() != NumberRule::TPrefixedIdNumber {
            map.push((int(claim::NUMBER), Value::Text(self.number.clone())));
        }
        if let Some(review_due) = self.review_due {
            map.push((int(claim::REVIEW_DUE), fields::date_value(review_due)));
        }
        cbor::encode(&Value::Map(map))
    }

    /// Read a claims map strictly. Returns the certificate and the extension claim keys
    /// that were ignored. The family rules ([`Certificate::check`]) are not applied here.
    pub fn from_claims(bytes: &[u8]) -> Result<(Certificate, Vec<fields::MapKey>), ClaimsError> {
        let mut fields = Fields::new(cbor::decode(bytes)?)?;
        let family_code = fields.uint(claim::FAMILY, u64::from(u8::MAX))?;
        let family =
            Family::from_code(family_code).ok_or(FieldError::OutOfRange { key: claim::FAMILY })?;
        let item = fields.text(claim::ITEM, 16)?;
        let holder_name = fields.text(claim::HOLDER_NAME, MAX_NAME_CHARS * 4)?;
        let sex = Sex::from_code(fields.uint(claim::SEX, u64::from(u8::MAX))?)
            .ok_or(FieldError::OutOfRange { key: claim::SEX })?;
        let id_number = IdNumber::from_digits(fields.uint(claim::ID_NUMBER, MAX_ID_DIGITS)?)?;
        let written =
            fields.optional_text(claim::NUMBER, NumberRule::MAX_ISSUER_ASSIGNED_CHARS * 4)?;
        let number = match (family.number_rule(), written) {
            // A derived number is never written, so each certificate has one encoding.
            (NumberRule::TPrefixedIdNumber, Some(_)) => {
                return Err(ClaimsError::DerivedClaim { key: claim::NUMBER })
            }
            (NumberRule::TPrefixedIdNumber, None) => format!("T{}", id_number.as_str()),
            (_, Some(number)) => number,
            (_, None) => return Err(FieldError::Missing { key: claim::NUMBER }.into()),
        };
        let certificate = Certificate {
            holder_name,
            sex,
            id_number,
            number,
            family,
            item,
            first_issued: fields.date(claim::FIRST_ISSUED)?,
            valid_from: fields.date(claim::VALID_FROM)?,
            valid_until: fields.date(claim::VALID_UNTIL)?,
            review_due: fields.optional_date(claim::REVIEW_DUE)?,
        };
        let extensions = fields.finish()?;
        Ok((certificate, extensions))
    }
}

/// Why a claims map could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// Not deterministic CBOR.
    #[error("claims are not deterministic CBOR: {0}")]
    Cbor(#[from] CborError),
    /// A claim is missing, of the wrong type, out of range or unknown.
    #[error("claims: {0}")]
    Field(#[from] FieldError),
    /// The identity card number is malformed.
    #[error("claims: {0}")]
    IdNumber(#[from] IdNumberError),
    /// A claim the family derives from others is written out.
    #[error("claim {key} is derived from other claims and must be left out")]
    DerivedClaim {
        /// The claim key.
        key: i64,
    },
}

#[cfg(test)]
mod tests;
