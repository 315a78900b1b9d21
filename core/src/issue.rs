//! Issuing: an authority signs a certificate into QR text.

use crate::certificate::{Certificate, CertificateError};
use crate::cose::{self, DocumentKind};
use crate::keys::{KeyId, SigningKey};
use crate::text;

/// An issuing authority's signing key.
#[derive(Debug, Clone)]
pub struct Issuer {
    key: SigningKey,
}

impl Issuer {
    /// An issuer signing with `key`.
    pub fn new(key: SigningKey) -> Issuer {
        Issuer { key }
    }

    /// The key id its certificates carry.
    pub fn key_id(&self) -> KeyId {
        self.key.public_key().key_id()
    }

    /// Check `certificate` against its family's rules and sign it as a COSE_Sign1 document.
    pub fn sign(&self, certificate: &Certificate) -> Result<Vec<u8>, CertificateError> {
        certificate.check()?;
        Ok(cose::sign(
            DocumentKind::Certificate,
            &self.key,
            certificate.to_claims(),
        ))
    }

    /// Check and sign `certificate`, and return the QR text.
    pub fn issue(&self, certificate: &Certificate) -> Result<String, CertificateError> {
        self.sign(certificate)
            .map(|document| text::encode(&document))
    }
}
