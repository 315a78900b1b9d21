//! `revocation-list.json`: the signed full revocation list every vector is verified
//! with, and its content for reading.

use certqr_core::revocation::Entry;
use serde::{Deserialize, Serialize};

use crate::fixture;
use crate::forge::hex;

use super::{revoked_certificate, rfc3339, Result, World};

/// `tests/vectors/revocation-list.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationListFile {
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
    /// The revoked certificates.
    pub revoked: Vec<RevokedEntry>,
    /// The signed full revocation list (a COSE_Sign1 document), hex.
    pub document_hex: String,
}

/// One revoked certificate of `revocation-list.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokedEntry {
    /// The 8-byte entry (`revocation::Entry`), hex.
    pub entry: String,
    /// Label of the issuer key in `keys.json`.
    pub issuer_key_label: String,
    /// Key id of the issuer key, hex.
    pub issuer_key_id: String,
    /// Certificate number.
    pub number: String,
    /// Valid-from date.
    pub valid_from: String,
}

impl World {
    pub(super) fn revocation_list_file(&self) -> Result<RevocationListFile> {
        let (key, certificate) = revoked_certificate(&self.fixture)?;
        let key_id = key.public_key().key_id();
        Ok(RevocationListFile {
            description: "The full revocation list every vector is verified with, signed by the root key of \
                          keys.json. Install document_hex after the trust list; the fields beside it repeat \
                          its content for reading (an entry is the first 8 bytes of SHA-256 of \
                          \"certqr/revocation-entry/v1\" and the CBOR array [issuer key id, number, valid-from])."
                .into(),
            signed_by: self.fixture.root.label.to_owned(),
            sequence: fixture::REVOCATION_LIST_SEQUENCE,
            issued_at: rfc3339(fixture::REVOCATION_LIST_ISSUED_AT)?,
            expires_at: rfc3339(fixture::REVOCATION_LIST_EXPIRES_AT)?,
            revoked: vec![RevokedEntry {
                entry: Entry::of_certificate(key_id, &certificate).to_hex(),
                issuer_key_label: key.label.to_owned(),
                issuer_key_id: key_id.to_hex(),
                number: certificate.number.clone(),
                valid_from: certificate.valid_from.to_string(),
            }],
            document_hex: hex(&self.signed_revocation_list),
        })
    }
}
