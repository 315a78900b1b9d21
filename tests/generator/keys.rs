//! `keys.json`: every test key, its role, public key, key id and (published, test-only)
//! seed.

use serde::{Deserialize, Serialize};

use crate::fixture;
use crate::fixture::TestKey;
use crate::forge::hex;

use super::World;

/// `tests/vectors/keys.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysFile {
    /// The loud warning.
    pub warning: String,
    /// How each seed is derived.
    pub seed_derivation: String,
    /// Keys a verifier pins: they sign trust lists.
    pub roots: Vec<KeyEntry>,
    /// Keys the trust list names.
    pub issuers: Vec<KeyEntry>,
    /// Keys nothing trusts.
    pub others: Vec<KeyEntry>,
}

/// One key of `keys.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    /// Short name.
    pub label: String,
    /// Who holds it.
    pub role: String,
    /// `Ed25519` (COSE -8) or `SM2` (COSE -65537).
    pub algorithm: String,
    /// Raw public key, hex: 32 bytes for Ed25519, the 65-byte uncompressed point for SM2.
    pub public_key: String,
    /// Key id: first 8 bytes of SHA-256 of the raw public key, hex.
    pub key_id: String,
    /// The seed, hex (see `seed_derivation`). TEST ONLY.
    pub seed: String,
}

impl World {
    pub(super) fn keys_file(&self) -> KeysFile {
        let entry = |key: &TestKey| KeyEntry {
            label: key.label.to_owned(),
            role: key.role.to_owned(),
            algorithm: key.algorithm.name().to_owned(),
            public_key: hex(&key.public_key().to_bytes()),
            key_id: key.public_key().key_id().to_hex(),
            seed: hex(&key.seed),
        };
        let f = &self.fixture;
        KeysFile {
            warning: "TEST KEYS ONLY. Every private seed below is published, so anyone can sign \
                      with these keys: never pin, trust or ship any of them outside tests."
                .into(),
            seed_derivation: format!(
                "seed = SHA-256(UTF-8 of \"{}\" followed by the label). Ed25519 (COSE -8): the \
                 seed is the 32-byte private key of RFC 8032. SM2 (COSE -65537): the private \
                 scalar is d = 1 + (seed mod (n - 2)), the seed read as a big-endian integer",
                fixture::SEED_LABEL_PREFIX
            ),
            roots: vec![entry(&f.root)],
            issuers: [
                &f.emergency,
                &f.market,
                &f.housing,
                &f.retired,
                &f.compromised,
                &f.sm2,
            ]
            .into_iter()
            .map(entry)
            .collect(),
            others: vec![entry(&f.stranger)],
        }
    }
}
