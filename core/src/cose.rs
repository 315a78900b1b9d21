//! COSE_Sign1 (RFC 9052 §4.2) as certqr writes and reads it.
//!
//! A signed document is the tagged array `18([protected, unprotected, payload, signature])`:
//! - `protected`: a byte string holding the deterministic map
//!   `{1: algorithm, 3: content type, 4: key id}`;
//! - `unprotected`: an empty map (nothing unauthenticated is read);
//! - `payload`: a byte string holding the deterministic CBOR of the document;
//! - `signature`: the signature over the `Signature1` structure built from the exact
//!   protected bytes received (never a re-encoding).
//!
//! The content type is an integer from the CoAP Content-Formats range reserved for
//! experiments (RFC 7252 §12.3), one per [`DocumentKind`], so that no signed document can
//! be replayed as another kind. `coset` 0.4 refuses integer content types that IANA has
//! not registered, so the outer structure is read here with the strict CBOR checks of
//! [`crate::cbor`]; `coset` supplies the IANA labels, and its `Signature1` builder is the
//! reference the tests hold this module's to.

use coset::iana;

use crate::cbor::{self, CborError, Value};
use crate::keys::{KeyId, PublicKey, SigningKey};

/// CBOR tag of a COSE_Sign1 message.
pub const COSE_SIGN1_TAG: u64 = 18;
/// The largest signed document [`parse`] reads, in bytes (a trust list with thousands of
/// issuers). Larger documents (revocation lists) use [`parse_with_limit`].
pub const MAX_DOCUMENT_LENGTH: usize = 1 << 20;

const ALGORITHM: i64 = iana::HeaderParameter::Alg as i64;
const CRITICAL: i64 = iana::HeaderParameter::Crit as i64;
const CONTENT_TYPE: i64 = iana::HeaderParameter::ContentType as i64;
const KEY_ID: i64 = iana::HeaderParameter::Kid as i64;

/// The kinds of document certqr signs, each with its own content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DocumentKind {
    /// A certificate (content type 65001).
    Certificate,
    /// A trust list signed by a root key (content type 65002).
    TrustList,
    /// A revocation list, full or delta (content type 65003).
    RevocationList,
}

impl DocumentKind {
    /// The integer content type in the protected header.
    pub fn content_type(self) -> u64 {
        match self {
            DocumentKind::Certificate => 65001,
            DocumentKind::TrustList => 65002,
            DocumentKind::RevocationList => 65003,
        }
    }

    /// The kind with this content type, if any.
    pub fn from_content_type(content_type: u64) -> Option<DocumentKind> {
        match content_type {
            65001 => Some(DocumentKind::Certificate),
            65002 => Some(DocumentKind::TrustList),
            65003 => Some(DocumentKind::RevocationList),
            _ => None,
        }
    }

    /// Name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "certificate",
            DocumentKind::TrustList => "trust list",
            DocumentKind::RevocationList => "revocation list",
        }
    }
}

/// Why bytes are not a COSE_Sign1 message certqr reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoseError {
    /// Larger than the limit ([`MAX_DOCUMENT_LENGTH`] unless the caller set another).
    #[error("signed document of {length} bytes is too large")]
    TooLarge {
        /// Length in bytes.
        length: usize,
    },
    /// The message, or its protected header, is not deterministic CBOR.
    #[error("{part}: {error}")]
    Cbor {
        /// "message" or "protected header".
        part: &'static str,
        /// What is wrong with it.
        error: CborError,
    },
    /// The message is not tagged 18 (COSE_Sign1).
    #[error("not a tagged COSE_Sign1 message")]
    NotSign1,
    /// The message is not an array of four items of the right types.
    #[error("COSE_Sign1 structure is malformed: {0}")]
    Structure(StructureError),
    /// A header parameter has the wrong type or size.
    #[error("header parameter {label} is malformed")]
    HeaderValue {
        /// The header label.
        label: i64,
    },
    /// A required protected header parameter is absent.
    #[error("protected header lacks parameter {label}")]
    MissingHeader {
        /// The header label.
        label: i64,
    },
    /// A header marked critical that certqr does not understand.
    #[error("unknown critical header parameter")]
    UnknownCriticalHeader,
    /// The unprotected header is not empty.
    #[error("unprotected header is not empty")]
    UnprotectedHeader,
}

/// What is wrong with the shape of a COSE_Sign1 message ([`CoseError::Structure`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StructureError {
    /// The tagged item is not an array.
    #[error("not an array")]
    NotAnArray,
    /// The array does not have four items.
    #[error("not four items")]
    NotFourItems,
    /// The protected header is not a byte string.
    #[error("protected header is not a byte string")]
    ProtectedHeaderNotBytes,
    /// The unprotected header is not a map.
    #[error("unprotected header is not a map")]
    UnprotectedHeaderNotMap,
    /// The payload is not a byte string.
    #[error("payload is not a byte string")]
    PayloadNotBytes,
    /// The signature is not a byte string.
    #[error("signature is not a byte string")]
    SignatureNotBytes,
    /// The protected header's bytes do not hold a map.
    #[error("protected header is not a map")]
    ProtectedHeaderNotMap,
}

/// A parsed COSE_Sign1 message. Nothing in it is trusted until its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sign1 {
    protected: Vec<u8>,
    /// COSE algorithm identifier from the protected header (not yet checked against a key):
    /// any CBOR integer, −2^64 to 2^64 − 1 (format.md §3.1).
    pub algorithm: i128,
    /// Content type from the protected header.
    pub content_type: u64,
    /// Key id from the protected header.
    pub key_id: KeyId,
    /// The payload bytes, unverified.
    pub payload: Vec<u8>,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

impl Sign1 {
    /// The document kind named by the content type, if certqr knows it.
    pub fn kind(&self) -> Option<DocumentKind> {
        DocumentKind::from_content_type(self.content_type)
    }

    /// The bytes the signature covers: `["Signature1", protected, h'', payload]`,
    /// built from the protected header exactly as received.
    pub fn signed_data(&self) -> Vec<u8> {
        signature1_structure(&self.protected, &self.payload)
    }

    /// Whether one of `keys` signed this message: its key id and algorithm match the
    /// header and its signature verifies.
    pub fn is_signed_by_one_of(&self, keys: &[PublicKey]) -> bool {
        let candidates: Vec<&PublicKey> = keys
            .iter()
            .filter(|key| {
                key.key_id() == self.key_id
                    && i128::from(key.algorithm().cose_id()) == self.algorithm
            })
            .collect();
        if candidates.is_empty() {
            return false;
        }
        let signed_data = self.signed_data();
        candidates
            .iter()
            .any(|key| key.verify(&signed_data, &self.signature).is_ok())
    }

    /// The exact protected header bytes.
    pub fn protected_bytes(&self) -> &[u8] {
        &self.protected
    }
}

/// `["Signature1", protected, h'', payload]` (RFC 9052 §4.4), written directly in one
/// allocation: for a revocation list of 80 MB, a general CBOR builder's copies cost as
/// much as the signature check. A unit test holds it equal to coset's builder.
fn signature1_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    const CONTEXT: &str = "Signature1";
    let mut out = Vec::with_capacity(payload.len() + protected.len() + CONTEXT.len() + 24);
    out.push(0x84); // array of four
    cbor::write_head(3, CONTEXT.len() as u64, &mut out);
    out.extend_from_slice(CONTEXT.as_bytes());
    cbor::write_head(2, protected.len() as u64, &mut out);
    out.extend_from_slice(protected);
    cbor::write_head(2, 0, &mut out); // external_aad: empty
    cbor::write_head(2, payload.len() as u64, &mut out);
    out.extend_from_slice(payload);
    out
}

/// Sign `payload` as a document of `kind`.
pub fn sign(kind: DocumentKind, key: &SigningKey, payload: Vec<u8>) -> Vec<u8> {
    let key_id = key.public_key().key_id();
    let protected = cbor::encode(&Value::Map(vec![
        (int(ALGORITHM), int(key.algorithm().cose_id())),
        (
            int(CONTENT_TYPE),
            Value::Integer(kind.content_type().into()),
        ),
        (int(KEY_ID), Value::Bytes(key_id.0.to_vec())),
    ]));
    let signature = key.sign(&signature1_structure(&protected, &payload));
    cbor::encode(&Value::Tag(
        COSE_SIGN1_TAG,
        Box::new(Value::Array(vec![
            Value::Bytes(protected),
            Value::Map(Vec::new()),
            Value::Bytes(payload),
            Value::Bytes(signature),
        ])),
    ))
}

fn int(value: i64) -> Value {
    Value::Integer(value.into())
}

/// Parse a COSE_Sign1 message of at most [`MAX_DOCUMENT_LENGTH`] bytes strictly.
/// The signature is not checked here.
pub fn parse(bytes: &[u8]) -> Result<Sign1, CoseError> {
    parse_with_limit(bytes, MAX_DOCUMENT_LENGTH)
}

/// [`parse`] with another size limit, for documents that are legitimately large.
pub fn parse_with_limit(bytes: &[u8], max_length: usize) -> Result<Sign1, CoseError> {
    if bytes.len() > max_length {
        return Err(CoseError::TooLarge {
            length: bytes.len(),
        });
    }
    let value = cbor::decode(bytes).map_err(|error| CoseError::Cbor {
        part: "message",
        error,
    })?;
    let Value::Tag(COSE_SIGN1_TAG, inner) = value else {
        return Err(CoseError::NotSign1);
    };
    let Value::Array(items) = *inner else {
        return Err(CoseError::Structure(StructureError::NotAnArray));
    };
    let [protected, unprotected, payload, signature]: [Value; 4] = items
        .try_into()
        .map_err(|_| CoseError::Structure(StructureError::NotFourItems))?;
    let Value::Bytes(protected) = protected else {
        return Err(CoseError::Structure(
            StructureError::ProtectedHeaderNotBytes,
        ));
    };
    match unprotected {
        Value::Map(entries) if entries.is_empty() => {}
        Value::Map(_) => return Err(CoseError::UnprotectedHeader),
        _ => {
            return Err(CoseError::Structure(
                StructureError::UnprotectedHeaderNotMap,
            ))
        }
    }
    let Value::Bytes(payload) = payload else {
        return Err(CoseError::Structure(StructureError::PayloadNotBytes));
    };
    let Value::Bytes(signature) = signature else {
        return Err(CoseError::Structure(StructureError::SignatureNotBytes));
    };
    let header = cbor::decode(&protected).map_err(|error| CoseError::Cbor {
        part: "protected header",
        error,
    })?;
    let Value::Map(header) = header else {
        return Err(CoseError::Structure(StructureError::ProtectedHeaderNotMap));
    };
    let (mut algorithm, mut content_type, mut key_id) = (None, None, None);
    for (label, value) in header {
        // Unknown text labels are as ignorable as unknown integer ones, and so are
        // integer labels beyond 64 bits: none of them is one certqr reads.
        let Some(label) = label
            .as_integer()
            .and_then(|label| i64::try_from(label).ok())
        else {
            continue;
        };
        let malformed = CoseError::HeaderValue { label };
        match label {
            ALGORITHM => {
                // Any CBOR integer: one certqr does not support is refused later as
                // unsupported, not here as malformed.
                let id = value.as_integer().map(i128::from);
                algorithm = Some(id.ok_or(malformed)?);
            }
            CONTENT_TYPE => {
                let id = value.as_integer().and_then(|id| u64::try_from(id).ok());
                content_type = Some(id.ok_or(malformed)?);
            }
            KEY_ID => {
                let id = value
                    .as_bytes()
                    .and_then(|id| <[u8; KeyId::LENGTH]>::try_from(id.as_slice()).ok());
                key_id = Some(KeyId(id.ok_or(malformed)?));
            }
            CRITICAL => {
                let Value::Array(labels) = value else {
                    return Err(malformed);
                };
                if labels.is_empty() {
                    return Err(malformed);
                }
                let understood = |label: &Value| {
                    label
                        .as_integer()
                        .and_then(|label| i64::try_from(label).ok())
                        .is_some_and(|label| matches!(label, ALGORITHM | CONTENT_TYPE | KEY_ID))
                };
                if !labels.iter().all(understood) {
                    return Err(CoseError::UnknownCriticalHeader);
                }
            }
            _ => {}
        }
    }
    Ok(Sign1 {
        protected,
        algorithm: algorithm.ok_or(CoseError::MissingHeader { label: ALGORITHM })?,
        content_type: content_type.ok_or(CoseError::MissingHeader {
            label: CONTENT_TYPE,
        })?,
        key_id: key_id.ok_or(CoseError::MissingHeader { label: KEY_ID })?,
        payload,
        signature,
    })
}

#[cfg(test)]
mod tests;
