//! Sample data for demonstrations, tests and benchmarks: invented holders with valid
//! identity card numbers, one typical certificate per family, and a trust list builder.
//!
//! Nothing here holds a key: callers bring their own.

use time::{Date, Duration, OffsetDateTime};

use crate::catalog::{Family, NumberRule};
use crate::certificate::{add_years, Certificate};
use crate::id_number::IdNumber;
use crate::keys::PublicKey;
use crate::trust::{KeyStatus, Scope, TrustList, TrustedIssuer};

/// Append the GB 11643 check character to 17 digits and parse the result.
///
/// Returns `None` unless `first17` is 17 ASCII digits with a real birth date.
pub fn id_number(first17: &str) -> Option<IdNumber> {
    if first17.len() != 17 {
        return None;
    }
    IdNumber::from_digits(first17.parse().ok()?).ok()
}

/// A typical certificate of `family`, valid from `valid_from` for the family's full
/// validity, first issued on the same day.
pub fn certificate(family: Family, valid_from: Date) -> Option<Certificate> {
    let (holder_name, first17, item, number) = match family {
        Family::SpecialOperations => ("张建国", "32010219850612123", "1.1", None),
        Family::SpecialEquipment => (
            "李秀英",
            "32058219900303042",
            "Q2",
            Some("TS320582A0010023"),
        ),
        Family::SafetyManagement => (
            "王志强",
            "37020319780921571",
            "S-CHEM-PROD",
            Some("370203319780921571"),
        ),
        Family::ConstructionSafetyManagement => (
            "刘洋",
            "11010519880117301",
            "C2",
            Some("京建安C2（2024）0012345"),
        ),
        Family::ConstructionSpecialOperations => {
            ("陈静", "44030619921108282", "04", Some("粤A042024000123"))
        }
    };
    let id_number = id_number(first17)?;
    let number = match (family.number_rule(), number) {
        (NumberRule::TPrefixedIdNumber, _) => format!("T{}", id_number.as_str()),
        (_, Some(number)) => number.to_owned(),
        (_, None) => return None,
    };
    let review_due = family
        .review_rule()
        .map(|rule| add_years(valid_from, rule.interval_years));
    Some(Certificate {
        holder_name: holder_name.to_owned(),
        sex: id_number.sex(),
        id_number,
        number,
        family,
        item: item.to_owned(),
        first_issued: valid_from,
        valid_from,
        valid_until: add_years(valid_from, family.max_validity_years()).previous_day()?,
        review_due,
    })
}

/// An active issuer entry for `key`, allowed to sign every item of `families`, with a
/// key window of ten years starting `key_valid_from` and no official domains.
pub fn issuer(
    key: PublicKey,
    name_zh: &str,
    name_en: &str,
    region_code: u32,
    families: &[Family],
    key_valid_from: Date,
) -> TrustedIssuer {
    TrustedIssuer {
        public_key: key,
        name_zh: name_zh.to_owned(),
        name_en: name_en.to_owned(),
        region_code,
        scope: families
            .iter()
            .map(|&family| Scope {
                family,
                items: None,
            })
            .collect(),
        key_valid_from,
        key_valid_until: add_years(key_valid_from, 10),
        status: KeyStatus::Active,
        domains: Vec::new(),
    }
}

/// A trust list of `issuers`, issued at `issued_at` and expiring 90 days later, naming no
/// national platforms' domains.
pub fn trust_list(
    sequence: u64,
    issued_at: OffsetDateTime,
    issuers: Vec<TrustedIssuer>,
) -> TrustList {
    TrustList {
        sequence,
        issued_at,
        expires_at: issued_at.saturating_add(Duration::days(90)),
        issuers,
        official_domains: Vec::new(),
    }
}
