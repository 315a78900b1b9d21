//! `trust-list.json`: the signed trust list every vector is verified against, and its
//! content for reading.

use certqr_core::keys::KeyId;
use certqr_core::trust::KeyStatus;
use serde::{Deserialize, Serialize};

use crate::forge::hex;

use super::{rfc3339, Result, World};

/// `tests/vectors/trust-list.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustListFile {
    /// What the list is.
    pub description: String,
    /// Label of the root key that signed it.
    pub signed_by: String,
    /// Sequence number.
    pub sequence: u64,
    /// Issue instant, RFC 3339.
    pub issued_at: String,
    /// Expiry instant, RFC 3339.
    pub expires_at: String,
    /// The national query platforms' official domains (list-wide).
    pub official_domains: Vec<OfficialDomainEntry>,
    /// The issuers, as the signed payload lists them.
    pub issuers: Vec<TrustListIssuer>,
    /// The signed trust list (a COSE_Sign1 document), hex.
    pub document_hex: String,
}

/// One national platform of `trust-list.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficialDomainEntry {
    /// Host name.
    pub domain: String,
    /// The authority that runs it, in Chinese.
    pub name_zh: String,
    /// The authority that runs it, in English.
    pub name_en: String,
}

/// One issuer of `trust-list.json`, for reading (the signed bytes are authoritative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustListIssuer {
    /// Label of the key in `keys.json`.
    pub key_label: String,
    /// Key id, hex.
    pub key_id: String,
    /// Authority name in Chinese.
    pub name_zh: String,
    /// Authority name in English.
    pub name_en: String,
    /// `Ed25519` or `SM2`.
    pub algorithm: String,
    /// Administrative division code.
    pub region_code: u32,
    /// Families and items the key may sign.
    pub scope: Vec<ScopeEntry>,
    /// First day the key may sign.
    pub key_valid_from: String,
    /// Last day the key may sign.
    pub key_valid_until: String,
    /// `active`, `retired` or `compromised`.
    pub status: String,
    /// For a retired key: the first day it no longer signs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_on: Option<String>,
    /// The issuer's official web domains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
}

/// One scope entry of `trust-list.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeEntry {
    /// Family slug.
    pub family: String,
    /// Family wire code.
    pub family_code: u8,
    /// Item codes, or `null` for every item of the family.
    pub items: Option<Vec<String>>,
}

impl World {
    pub(super) fn label_of(&self, key_id: KeyId) -> String {
        self.fixture
            .keys()
            .into_iter()
            .find(|key| key.public_key().key_id() == key_id)
            .map_or_else(|| "?".to_owned(), |key| key.label.to_owned())
    }

    pub(super) fn trust_list_file(&self) -> Result<TrustListFile> {
        let list = &self.fixture.trust_list;
        let issuers = list
            .issuers
            .iter()
            .map(|issuer| {
                let (status, retired_on) = match issuer.status {
                    KeyStatus::Active => ("active", None),
                    KeyStatus::Retired { since } => ("retired", Some(since.to_string())),
                    KeyStatus::Compromised => ("compromised", None),
                };
                TrustListIssuer {
                    key_label: self.label_of(issuer.key_id()),
                    key_id: issuer.key_id().to_hex(),
                    name_zh: issuer.name_zh.clone(),
                    name_en: issuer.name_en.clone(),
                    algorithm: issuer.public_key.algorithm().name().to_owned(),
                    region_code: issuer.region_code,
                    scope: issuer
                        .scope
                        .iter()
                        .map(|scope| ScopeEntry {
                            family: scope.family.slug().to_owned(),
                            family_code: scope.family.code(),
                            items: scope.items.clone(),
                        })
                        .collect(),
                    key_valid_from: issuer.key_valid_from.to_string(),
                    key_valid_until: issuer.key_valid_until.to_string(),
                    status: status.to_owned(),
                    retired_on,
                    domains: issuer.domains.clone(),
                }
            })
            .collect();
        Ok(TrustListFile {
            description: "The trust list every vector is verified against, signed by the root key of \
                          keys.json. Install document_hex with the root key pinned; the fields beside it \
                          repeat its content for reading."
                .into(),
            signed_by: self.fixture.root.label.to_owned(),
            sequence: list.sequence,
            issued_at: rfc3339(list.issued_at)?,
            expires_at: rfc3339(list.expires_at)?,
            official_domains: list
                .official_domains
                .iter()
                .map(|official| OfficialDomainEntry {
                    domain: official.domain.clone(),
                    name_zh: official.name_zh.clone(),
                    name_en: official.name_en.clone(),
                })
                .collect(),
            issuers,
            document_hex: hex(&self.signed_trust_list),
        })
    }
}
