//! Trust lists: which issuers a root authority vouches for, and for what.
//!
//! A root key (pinned in the verifying app, several at once for rotation) signs a trust
//! list. The list names each issuer's key and algorithm, its authority, region and scope,
//! its key's validity window and its status. Verifiers keep the highest sequence number
//! they have installed and refuse older lists (rollback).

use time::{Date, OffsetDateTime};

use crate::catalog::Family;
use crate::cbor::{self, Value};
use crate::cose::{self, CoseError, DocumentKind};
use crate::domain::DomainError;
use crate::fields::{self, as_array, as_text, as_uint, int, FieldError, Fields};
use crate::keys::{Algorithm, KeyError, KeyId, PublicKey, SigningKey};
use crate::name::{self, NameError};

mod domains;

pub use domains::{OfficialDomain, OfficialDomainError, MAX_ISSUER_DOMAINS, MAX_OFFICIAL_DOMAINS};

/// Most issuers one trust list may hold.
pub const MAX_ISSUERS: usize = 4096;
/// Longest authority name, in bytes.
pub const MAX_NAME_BYTES: usize = 256;

mod field {
    pub const SEQUENCE: i64 = 1;
    pub const ISSUED_AT: i64 = 2;
    pub const EXPIRES_AT: i64 = 3;
    pub const ISSUERS: i64 = 4;
    pub const OFFICIAL_DOMAINS: i64 = 5;

    pub const ALGORITHM: i64 = 1;
    pub const PUBLIC_KEY: i64 = 2;
    pub const NAME_ZH: i64 = 3;
    pub const NAME_EN: i64 = 4;
    pub const REGION: i64 = 5;
    pub const SCOPE: i64 = 6;
    pub const KEY_VALID_FROM: i64 = 7;
    pub const KEY_VALID_UNTIL: i64 = 8;
    pub const STATUS: i64 = 9;
    pub const RETIRED_ON: i64 = 10;
    pub const DOMAINS: i64 = 11;
}

/// A key's standing in the trust list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", tag = "status")]
pub enum KeyStatus {
    /// In use.
    Active,
    /// Out of use since `since`: what it signed before that day still verifies.
    Retired {
        /// The first day the key no longer signs.
        since: Date,
    },
    /// Stolen or misused: nothing it signed verifies.
    Compromised,
}

/// Families and items an issuer may sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The family.
    pub family: Family,
    /// Item codes allowed; `None` for every item of the family.
    pub items: Option<Vec<String>>,
}

impl Scope {
    /// Whether this scope covers `item` of `family`.
    pub fn covers(&self, family: Family, item: &str) -> bool {
        self.family == family
            && self
                .items
                .as_ref()
                .is_none_or(|items| items.iter().any(|allowed| allowed == item))
    }
}

/// One issuing authority's key, as the trust list describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedIssuer {
    /// The public key (with its algorithm).
    pub public_key: PublicKey,
    /// Authority name in Chinese, e.g. 江苏省应急管理厅.
    pub name_zh: String,
    /// Authority name in English.
    pub name_en: String,
    /// Administrative division code (行政区划代码, GB/T 2260), six digits.
    pub region_code: u32,
    /// What the key may sign.
    pub scope: Vec<Scope>,
    /// First day the key may sign.
    pub key_valid_from: Date,
    /// Last day the key may sign.
    pub key_valid_until: Date,
    /// Active, retired or compromised.
    pub status: KeyStatus,
    /// The authority's official web domains (官方网站域名), lowercase ASCII with IDNs in
    /// punycode, e.g. `ajj.jiangsu.gov.cn`; a web link is compared with them
    /// ([`crate::website`]). Empty when the list names none.
    pub domains: Vec<String>,
}

impl TrustedIssuer {
    /// The key id certificates signed by this issuer carry.
    pub fn key_id(&self) -> KeyId {
        self.public_key.key_id()
    }

    /// Whether the scope covers `item` of `family`.
    pub fn may_sign(&self, family: Family, item: &str) -> bool {
        self.scope.iter().any(|scope| scope.covers(family, item))
    }
}

/// A trust list's content. Build one, [`TrustList::sign`] it with a root key, ship the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    /// Increases with every list the root publishes.
    pub sequence: u64,
    /// When the list was made.
    pub issued_at: OffsetDateTime,
    /// After this the list is stale: verifiers warn, then fail after a grace period.
    pub expires_at: OffsetDateTime,
    /// The issuers.
    pub issuers: Vec<TrustedIssuer>,
    /// National query platforms' domains, such as `cx.mem.gov.cn`, with the authority
    /// that runs each: a web link is compared with them as with the issuers' domains.
    pub official_domains: Vec<OfficialDomain>,
}

/// Why a trust list is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustListError {
    /// Not a readable COSE_Sign1 message.
    #[error("trust list is not a valid signed document: {0}")]
    Cose(#[from] CoseError),
    /// A signed document of another kind (for example a certificate).
    #[error("signed document is not a trust list (content type {content_type})")]
    WrongDocumentKind {
        /// The content type found.
        content_type: u64,
    },
    /// Signed by a key that is not a pinned root, or the signature does not verify.
    #[error("trust list is not signed by a pinned root key (key id {key_id})")]
    NotSignedByRoot {
        /// The key id in the header.
        key_id: KeyId,
    },
    /// The content is malformed.
    #[error("trust list content: {0}")]
    Field(#[from] FieldError),
    /// An issuer entry is malformed; `index` counts from 0.
    #[error("trust list issuer {index}: {error}")]
    Issuer {
        /// Position of the issuer in the list.
        index: usize,
        /// What is wrong with it.
        error: IssuerError,
    },
    /// Expiry not after issue time.
    #[error("trust list expires before it was issued")]
    ExpiresBeforeIssued,
    /// A national platform entry is malformed; `index` counts from 0.
    #[error("trust list official domain {index}: {error}")]
    OfficialDomain {
        /// Position of the entry in the list of official domains.
        index: usize,
        /// What is wrong with it.
        error: OfficialDomainError,
    },
    /// The list of national platforms is present but empty (absent is the one
    /// encoding of "none").
    #[error("trust list: official domain list is empty")]
    EmptyOfficialDomains,
    /// Older than the installed list.
    #[error("trust list sequence {offered} is older than the installed {installed}")]
    Rollback {
        /// Sequence of the installed list.
        installed: u64,
        /// Sequence of the list offered.
        offered: u64,
    },
    /// Same sequence as the installed list but different content.
    #[error("trust list sequence {sequence} is already installed with different content")]
    ConflictingSequence {
        /// The sequence number.
        sequence: u64,
    },
}

/// Why one issuer entry of a trust list is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IssuerError {
    /// A field is missing or malformed.
    #[error("{0}")]
    Field(#[from] FieldError),
    /// Unsupported signature algorithm.
    #[error("unsupported algorithm {0}")]
    UnsupportedAlgorithm(i128),
    /// The public key is unusable.
    #[error("{0}")]
    Key(#[from] KeyError),
    /// The region code is not six digits.
    #[error("region code must be six digits")]
    RegionCode,
    /// The authority's name (Chinese or English) is empty.
    #[error("authority name is empty")]
    EmptyName,
    /// The authority's name is longer than [`MAX_NAME_BYTES`].
    #[error("authority name is too long")]
    NameTooLong,
    /// The authority's name breaks the character rules of [`name`]:
    /// invisible characters, padding, not NFC.
    #[error("authority name: {0}")]
    Name(NameError),
    /// The scope names no family.
    #[error("scope is empty")]
    EmptyScope,
    /// A scope entry's item list is present but empty.
    #[error("scope item list is empty")]
    EmptyScopeItems,
    /// A scope entry names an item that is not in its family's catalog.
    #[error("scope names an item outside its family")]
    ScopeItemOutsideFamily,
    /// A scope entry names a family code certqr does not know.
    #[error("scope names an unknown family")]
    UnknownScopeFamily,
    /// The official domain list is present but empty.
    #[error("official domain list is empty")]
    EmptyDomains,
    /// The key's window ends before it starts.
    #[error("key validity ends before it starts")]
    KeyWindow,
    /// The same public key appears twice.
    #[error("public key listed twice")]
    DuplicateKey,
    /// An official domain is not a valid host name; `index` counts from 0.
    #[error("official domain {index}: {error}")]
    Domain {
        /// Position of the domain in the issuer's list.
        index: usize,
        /// What is wrong with it.
        error: DomainError,
    },
}

impl TrustList {
    /// Sign the list with a root key, after checking it.
    pub fn sign(&self, root: &SigningKey) -> Result<Vec<u8>, TrustListError> {
        self.check()?;
        Ok(cose::sign(DocumentKind::TrustList, root, self.to_payload()))
    }

    /// Verify signed trust-list bytes against the pinned root keys and read them.
    pub fn from_signed(bytes: &[u8], roots: &[PublicKey]) -> Result<TrustList, TrustListError> {
        let message = cose::parse(bytes)?;
        if message.kind() != Some(DocumentKind::TrustList) {
            return Err(TrustListError::WrongDocumentKind {
                content_type: message.content_type,
            });
        }
        if !message.is_signed_by_one_of(roots) {
            return Err(TrustListError::NotSignedByRoot {
                key_id: message.key_id,
            });
        }
        let list = TrustList::from_payload(&message.payload)?;
        list.check()?;
        Ok(list)
    }

    /// The issuers whose key has this id.
    pub fn issuers_with_key_id(&self, key_id: KeyId) -> impl Iterator<Item = &TrustedIssuer> {
        self.issuers
            .iter()
            .filter(move |issuer| issuer.key_id() == key_id)
    }

    fn check(&self) -> Result<(), TrustListError> {
        if self.expires_at <= self.issued_at {
            return Err(TrustListError::ExpiresBeforeIssued);
        }
        if self.issuers.len() > MAX_ISSUERS {
            return Err(TrustListError::Field(FieldError::TooLong {
                key: field::ISSUERS,
                max: MAX_ISSUERS,
            }));
        }
        for (index, issuer) in self.issuers.iter().enumerate() {
            let error = |error| TrustListError::Issuer { index, error };
            check_issuer(issuer).map_err(error)?;
            if self
                .issuers
                .iter()
                .take(index)
                .any(|other| other.public_key == issuer.public_key)
            {
                return Err(error(IssuerError::DuplicateKey));
            }
        }
        domains::check_official_domains(&self.official_domains)
    }

    /// The unsigned payload, deterministically encoded.
    pub fn to_payload(&self) -> Vec<u8> {
        let issuers = self.issuers.iter().map(issuer_value).collect();
        let mut map = vec![
            (int(field::SEQUENCE), Value::Integer(self.sequence.into())),
            (int(field::ISSUED_AT), time_value(self.issued_at)),
            (int(field::EXPIRES_AT), time_value(self.expires_at)),
            (int(field::ISSUERS), Value::Array(issuers)),
        ];
        if !self.official_domains.is_empty() {
            map.push((
                int(field::OFFICIAL_DOMAINS),
                domains::official_domains_value(&self.official_domains),
            ));
        }
        cbor::encode(&Value::Map(map))
    }

    fn from_payload(bytes: &[u8]) -> Result<TrustList, TrustListError> {
        let value = cbor::decode(bytes).map_err(CoseError::from_payload)?;
        let mut fields = Fields::new(value)?;
        let sequence = fields.uint(field::SEQUENCE, u64::MAX)?;
        let issued_at = read_time(&mut fields, field::ISSUED_AT)?;
        let expires_at = read_time(&mut fields, field::EXPIRES_AT)?;
        let issuers = fields
            .array(field::ISSUERS, MAX_ISSUERS)?
            .into_iter()
            .enumerate()
            .map(|(index, value)| {
                read_issuer(value).map_err(|error| TrustListError::Issuer { index, error })
            })
            .collect::<Result<_, _>>()?;
        let official_domains =
            domains::read_official_domains(fields.take(field::OFFICIAL_DOMAINS))?;
        fields.finish()?;
        Ok(TrustList {
            sequence,
            issued_at,
            expires_at,
            issuers,
            official_domains,
        })
    }
}

impl CoseError {
    fn from_payload(error: cbor::CborError) -> CoseError {
        CoseError::Cbor {
            part: "payload",
            error,
        }
    }
}

fn check_issuer(issuer: &TrustedIssuer) -> Result<(), IssuerError> {
    if !(100_000..=999_999).contains(&issuer.region_code) {
        return Err(IssuerError::RegionCode);
    }
    if issuer.name_zh.trim().is_empty() || issuer.name_en.trim().is_empty() {
        return Err(IssuerError::EmptyName);
    }
    if issuer.name_zh.len() > MAX_NAME_BYTES || issuer.name_en.len() > MAX_NAME_BYTES {
        return Err(IssuerError::NameTooLong);
    }
    name::check(&issuer.name_zh)
        .and_then(|()| name::check(&issuer.name_en))
        .map_err(IssuerError::Name)?;
    if issuer.scope.is_empty() {
        return Err(IssuerError::EmptyScope);
    }
    for scope in &issuer.scope {
        if let Some(items) = &scope.items {
            if items.is_empty() {
                return Err(IssuerError::EmptyScopeItems);
            }
            if items.iter().any(|item| scope.family.item(item).is_none()) {
                return Err(IssuerError::ScopeItemOutsideFamily);
            }
        }
    }
    if issuer.key_valid_until < issuer.key_valid_from {
        return Err(IssuerError::KeyWindow);
    }
    domains::check_issuer_domains(&issuer.domains)
}

fn time_value(time: OffsetDateTime) -> Value {
    Value::Integer(time.unix_timestamp().into())
}

fn read_time(fields: &mut Fields, key: i64) -> Result<OffsetDateTime, FieldError> {
    // Up to the year 9999.
    let seconds = fields.uint(key, 253_402_300_799)?;
    i64::try_from(seconds)
        .ok()
        .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok())
        .ok_or(FieldError::OutOfRange { key })
}

fn issuer_value(issuer: &TrustedIssuer) -> Value {
    let scope = issuer
        .scope
        .iter()
        .map(|scope| {
            let mut entry = vec![int(i64::from(scope.family.code()))];
            if let Some(items) = &scope.items {
                entry.push(Value::Array(
                    items.iter().cloned().map(Value::Text).collect(),
                ));
            }
            Value::Array(entry)
        })
        .collect();
    let (status, retired_on) = match issuer.status {
        KeyStatus::Active => (1, None),
        KeyStatus::Retired { since } => (2, Some(since)),
        KeyStatus::Compromised => (3, None),
    };
    let mut map = vec![
        (
            int(field::ALGORITHM),
            int(issuer.public_key.algorithm().cose_id()),
        ),
        (
            int(field::PUBLIC_KEY),
            Value::Bytes(issuer.public_key.to_bytes()),
        ),
        (int(field::NAME_ZH), Value::Text(issuer.name_zh.clone())),
        (int(field::NAME_EN), Value::Text(issuer.name_en.clone())),
        (int(field::REGION), int(i64::from(issuer.region_code))),
        (int(field::SCOPE), Value::Array(scope)),
        (
            int(field::KEY_VALID_FROM),
            fields::date_value(issuer.key_valid_from),
        ),
        (
            int(field::KEY_VALID_UNTIL),
            fields::date_value(issuer.key_valid_until),
        ),
        (int(field::STATUS), int(status)),
    ];
    if let Some(since) = retired_on {
        map.push((int(field::RETIRED_ON), fields::date_value(since)));
    }
    if !issuer.domains.is_empty() {
        map.push((int(field::DOMAINS), domains::domains_value(&issuer.domains)));
    }
    Value::Map(map)
}

fn read_issuer(value: Value) -> Result<TrustedIssuer, IssuerError> {
    let mut fields = Fields::new(value)?;
    let algorithm_id = fields
        .take(field::ALGORITHM)
        .ok_or(FieldError::Missing {
            key: field::ALGORITHM,
        })?
        .as_integer()
        .map(i128::from)
        .ok_or(FieldError::WrongType {
            key: field::ALGORITHM,
            expected: "an integer",
        })?;
    let algorithm = Algorithm::from_cose_id(algorithm_id)
        .ok_or(IssuerError::UnsupportedAlgorithm(algorithm_id))?;
    let public_key = PublicKey::from_bytes(algorithm, &fields.bytes(field::PUBLIC_KEY, 256)?)?;
    let name_zh = fields.text(field::NAME_ZH, MAX_NAME_BYTES)?;
    let name_en = fields.text(field::NAME_EN, MAX_NAME_BYTES)?;
    let region_code =
        u32::try_from(fields.uint(field::REGION, 999_999)?).map_err(|_| IssuerError::RegionCode)?;
    let scope = fields
        .array(field::SCOPE, 64)?
        .into_iter()
        .map(read_scope)
        .collect::<Result<_, _>>()?;
    let key_valid_from = fields.date(field::KEY_VALID_FROM)?;
    let key_valid_until = fields.date(field::KEY_VALID_UNTIL)?;
    let status = match (
        fields.uint(field::STATUS, 3)?,
        fields.optional_date(field::RETIRED_ON)?,
    ) {
        (1, None) => KeyStatus::Active,
        (2, Some(since)) => KeyStatus::Retired { since },
        (3, None) => KeyStatus::Compromised,
        (2, None) => {
            return Err(FieldError::Missing {
                key: field::RETIRED_ON,
            }
            .into())
        }
        (_, Some(_)) => {
            return Err(FieldError::Unknown {
                key: field::RETIRED_ON.into(),
            }
            .into())
        }
        _ => return Err(FieldError::OutOfRange { key: field::STATUS }.into()),
    };
    let domains = domains::read_issuer_domains(fields.take(field::DOMAINS))?;
    fields.finish()?;
    Ok(TrustedIssuer {
        public_key,
        name_zh,
        name_en,
        region_code,
        scope,
        key_valid_from,
        key_valid_until,
        status,
        domains,
    })
}

fn read_scope(value: Value) -> Result<Scope, IssuerError> {
    let mut entry = as_array(field::SCOPE, value, 2)?.into_iter();
    let family = entry
        .next()
        .ok_or(FieldError::Missing { key: field::SCOPE })
        .and_then(|code| as_uint(field::SCOPE, &code, 255))?;
    let family = Family::from_code(family).ok_or(IssuerError::UnknownScopeFamily)?;
    let items = entry
        .next()
        .map(|items| {
            as_array(field::SCOPE, items, 512)?
                .into_iter()
                .map(|item| as_text(field::SCOPE, item, 16))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    Ok(Scope { family, items })
}

#[cfg(test)]
mod tests;
