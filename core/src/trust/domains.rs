//! Official web domains in a trust list: each issuer's own (issuer field 11) and the
//! national query platforms' (trust list field 5). [`crate::website`] compares web links
//! with them; this module only reads, writes and checks them.
//!
//! Both fields are absent when empty, so a list without domains encodes exactly as
//! before they existed; a present but empty array is refused, keeping one encoding per
//! list.

use crate::cbor::Value;
use crate::domain::{self, DomainError};
use crate::fields::{as_array, as_text, int, FieldError, Fields};
use crate::name::{self, NameError};

use super::{field, IssuerError, TrustListError, MAX_NAME_BYTES};

/// Most official domains one issuer entry may list.
pub const MAX_ISSUER_DOMAINS: usize = 32;
/// Most national platform entries ([`OfficialDomain`]) one trust list may hold.
pub const MAX_OFFICIAL_DOMAINS: usize = 64;

/// Keys of a national platform entry.
mod entry {
    pub const DOMAIN: i64 = 1;
    pub const NAME_ZH: i64 = 2;
    pub const NAME_EN: i64 = 3;
}

/// A national query platform's domain with the authority that runs it, for example
/// `cx.mem.gov.cn` of the Ministry of Emergency Management (应急管理部), whose special
/// operations certificate query platform (特种作业操作证查询) it is. Platforms are named
/// list-wide because the authority that runs one is often not an issuer itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialDomain {
    /// The host name: lowercase ASCII, IDNs in punycode, no trailing dot.
    pub domain: String,
    /// The authority's name in Chinese, e.g. 应急管理部.
    pub name_zh: String,
    /// The authority's name in English.
    pub name_en: String,
}

/// Why a national platform entry of a trust list is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfficialDomainError {
    /// A field is missing or malformed.
    #[error("{0}")]
    Field(#[from] FieldError),
    /// The domain is not a valid host name.
    #[error("domain {0}")]
    Domain(#[from] DomainError),
    /// The authority's name (Chinese or English) is empty.
    #[error("authority name is empty")]
    EmptyName,
    /// The authority's name is longer than the trust list allows.
    #[error("authority name is too long")]
    NameTooLong,
    /// The authority's name breaks the character rules of [`name`]:
    /// invisible characters, padding, not NFC.
    #[error("authority name: {0}")]
    Name(NameError),
}

/// Issuer field 11: an array of host names.
pub(super) fn domains_value(domains: &[String]) -> Value {
    Value::Array(domains.iter().cloned().map(Value::Text).collect())
}

/// Issuer field 11 as read (`None`: absent). Syntax is checked by [`check_issuer_domains`].
pub(super) fn read_issuer_domains(value: Option<Value>) -> Result<Vec<String>, IssuerError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let domains = as_array(field::DOMAINS, value, MAX_ISSUER_DOMAINS)?
        .into_iter()
        .map(|domain| as_text(field::DOMAINS, domain, domain::MAX_HOST_BYTES))
        .collect::<Result<Vec<_>, _>>()?;
    if domains.is_empty() {
        return Err(IssuerError::EmptyDomains);
    }
    Ok(domains)
}

/// At most [`MAX_ISSUER_DOMAINS`], each a valid host name, none twice.
pub(super) fn check_issuer_domains(domains: &[String]) -> Result<(), IssuerError> {
    if domains.len() > MAX_ISSUER_DOMAINS {
        return Err(FieldError::TooLong {
            key: field::DOMAINS,
            max: MAX_ISSUER_DOMAINS,
        }
        .into());
    }
    for (index, domain) in domains.iter().enumerate() {
        let error = |error| IssuerError::Domain { index, error };
        domain::check_domain_name(domain).map_err(error)?;
        if domains.iter().take(index).any(|other| other == domain) {
            return Err(error(DomainError::Duplicate));
        }
    }
    Ok(())
}

/// Trust list field 5: an array of maps {1: domain, 2: name zh, 3: name en}.
pub(super) fn official_domains_value(official_domains: &[OfficialDomain]) -> Value {
    Value::Array(
        official_domains
            .iter()
            .map(|official| {
                Value::Map(vec![
                    (int(entry::DOMAIN), Value::Text(official.domain.clone())),
                    (int(entry::NAME_ZH), Value::Text(official.name_zh.clone())),
                    (int(entry::NAME_EN), Value::Text(official.name_en.clone())),
                ])
            })
            .collect(),
    )
}

/// Trust list field 5 as read (`None`: absent). Checked by [`check_official_domains`].
pub(super) fn read_official_domains(
    value: Option<Value>,
) -> Result<Vec<OfficialDomain>, TrustListError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let entries = as_array(field::OFFICIAL_DOMAINS, value, MAX_OFFICIAL_DOMAINS)?;
    if entries.is_empty() {
        return Err(TrustListError::EmptyOfficialDomains);
    }
    entries
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            read_official_domain(value)
                .map_err(|error| TrustListError::OfficialDomain { index, error })
        })
        .collect()
}

fn read_official_domain(value: Value) -> Result<OfficialDomain, OfficialDomainError> {
    let mut fields = Fields::new(value)?;
    let domain = fields.text(entry::DOMAIN, domain::MAX_HOST_BYTES)?;
    let name_zh = fields.text(entry::NAME_ZH, MAX_NAME_BYTES)?;
    let name_en = fields.text(entry::NAME_EN, MAX_NAME_BYTES)?;
    fields.finish()?;
    Ok(OfficialDomain {
        domain,
        name_zh,
        name_en,
    })
}

/// At most [`MAX_OFFICIAL_DOMAINS`] entries, each a valid host name with both names,
/// no domain twice.
pub(super) fn check_official_domains(
    official_domains: &[OfficialDomain],
) -> Result<(), TrustListError> {
    if official_domains.len() > MAX_OFFICIAL_DOMAINS {
        return Err(FieldError::TooLong {
            key: field::OFFICIAL_DOMAINS,
            max: MAX_OFFICIAL_DOMAINS,
        }
        .into());
    }
    for (index, official) in official_domains.iter().enumerate() {
        let error = |error| TrustListError::OfficialDomain { index, error };
        domain::check_domain_name(&official.domain)
            .map_err(|domain_error| error(domain_error.into()))?;
        if official.name_zh.trim().is_empty() || official.name_en.trim().is_empty() {
            return Err(error(OfficialDomainError::EmptyName));
        }
        if official.name_zh.len() > MAX_NAME_BYTES || official.name_en.len() > MAX_NAME_BYTES {
            return Err(error(OfficialDomainError::NameTooLong));
        }
        name::check(&official.name_zh)
            .and_then(|()| name::check(&official.name_en))
            .map_err(|name_error| error(OfficialDomainError::Name(name_error)))?;
        if official_domains
            .iter()
            .take(index)
            .any(|other| other.domain == official.domain)
        {
            return Err(error(OfficialDomainError::Domain(DomainError::Duplicate)));
        }
    }
    Ok(())
}
