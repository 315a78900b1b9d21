//! Signature algorithms, public and private keys, and key ids.
//!
//! The algorithm travels with every key and every signature, so Ed25519 and SM2 with SM3
//! (GB/T 32918) sit side by side: a trust list may name issuers of either algorithm.

use std::fmt;

use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::Signer as _;
use sha2::{Digest, Sha256};

mod sm2;

pub use self::sm2::SM2_DISTINGUISHING_IDENTIFIER;

/// A signature algorithm certqr accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Algorithm {
    /// EdDSA over edwards25519 (RFC 8032), verified with `verify_strict`. COSE algorithm -8.
    Ed25519,
    /// SM2 signatures with SM3 (SM2 椭圆曲线公钥密码算法, GB/T 32918.2-2016) on the
    /// recommended curve, distinguishing identifier [`SM2_DISTINGUISHING_IDENTIFIER`];
    /// 65-byte uncompressed public keys, 64-byte `r ‖ s` signatures. COSE algorithm
    /// -65537: none is registered, so it comes from the range the IANA COSE Algorithms
    /// registry reserves for private use (below -65536).
    Sm2,
}

impl Algorithm {
    /// The COSE algorithm identifier (RFC 9053).
    pub fn cose_id(self) -> i64 {
        match self {
            Algorithm::Ed25519 => -8,
            Algorithm::Sm2 => sm2::COSE_ALGORITHM,
        }
    }

    /// The algorithm with this COSE identifier, if certqr supports it. The identifier is
    /// any CBOR integer (format.md §3.1): one beyond 64 bits is simply not supported.
    pub fn from_cose_id(id: i128) -> Option<Algorithm> {
        [Algorithm::Ed25519, Algorithm::Sm2]
            .into_iter()
            .find(|algorithm| i128::from(algorithm.cose_id()) == id)
    }

    /// Length of a public key in bytes.
    pub fn public_key_length(self) -> usize {
        match self {
            Algorithm::Ed25519 => ed25519_dalek::PUBLIC_KEY_LENGTH,
            Algorithm::Sm2 => sm2::PUBLIC_KEY_LENGTH,
        }
    }

    /// Human-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Ed25519 => "Ed25519",
            Algorithm::Sm2 => "SM2",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Key id: the first 8 bytes of SHA-256 over the raw public key.
///
/// Not unique by construction: a verifier tries every trusted key that has the id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; KeyId::LENGTH]);

impl KeyId {
    /// Length in bytes.
    pub const LENGTH: usize = 8;

    /// The key id of these raw public key bytes.
    pub fn of(public_key: &[u8]) -> KeyId {
        let digest = Sha256::digest(public_key);
        let mut id = [0u8; KeyId::LENGTH];
        for (byte, digest_byte) in id.iter_mut().zip(digest) {
            *byte = digest_byte;
        }
        KeyId(id)
    }

    /// Lowercase hexadecimal.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.to_hex())
    }
}

/// Why a key could not be read or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The raw key has the wrong length for its algorithm.
    #[error("{algorithm} public key must be {expected} bytes, found {found}")]
    WrongLength {
        /// The key's algorithm.
        algorithm: Algorithm,
        /// Required length.
        expected: usize,
        /// Length given.
        found: usize,
    },
    /// The bytes are not a point on the curve.
    #[error("{algorithm} public key is not a valid point")]
    InvalidPoint {
        /// The key's algorithm.
        algorithm: Algorithm,
    },
    /// A small-order ("weak") Ed25519 key, for which signatures prove nothing.
    #[error("{algorithm} public key has small order and is refused")]
    WeakKey {
        /// The key's algorithm.
        algorithm: Algorithm,
    },
    /// An Ed25519 key whose point is not in the prime-order subgroup (a mixed-order key,
    /// `[a]B + T` with `T` of small order): whether a signature verifies would then
    /// depend on the verifier's equation (format.md §4.5).
    #[error(
        "{algorithm} public key is not in the prime-order subgroup (mixed order) and is refused"
    )]
    MixedOrderKey {
        /// The key's algorithm.
        algorithm: Algorithm,
    },
    /// An Ed25519 key written in a form no signer writes (`y ≥ p`): the same point would
    /// have two encodings and two key ids (format.md §4.5).
    #[error("{algorithm} public key is not canonically encoded (y is not below p) and is refused")]
    NonCanonicalKey {
        /// The key's algorithm.
        algorithm: Algorithm,
    },
    /// A PEM file that is not a key of a supported algorithm.
    #[error("not a PEM {expected} of a supported algorithm (Ed25519 or SM2)")]
    Pem {
        /// What was expected: "public key" or "private key".
        expected: &'static str,
    },
    /// A private key outside the algorithm's range (SM2: `d = n − 1`, which cannot sign).
    #[error("{algorithm} private key is out of range")]
    PrivateKeyOutOfRange {
        /// The key's algorithm.
        algorithm: Algorithm,
    },
}

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature has the wrong length for the algorithm.
    #[error("signature must be {expected} bytes, found {found}")]
    WrongLength {
        /// Required length.
        expected: usize,
        /// Length given.
        found: usize,
    },
    /// The signature does not verify under this key.
    #[error("signature does not verify")]
    Mismatch,
}

/// A public key with its algorithm.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: PublicKeyInner,
    id: KeyId,
}

#[derive(Clone, PartialEq, Eq)]
enum PublicKeyInner {
    Ed25519(ed25519_dalek::VerifyingKey),
    Sm2(sm2::Sm2PublicKey),
}

impl PublicKey {
    /// Read a raw public key (format.md §4.5). An Ed25519 key must be the canonical
    /// encoding (`y < p`, as a signer writes it) of a point in the prime-order subgroup:
    /// small-order ("weak"), mixed-order and non-canonical keys are refused, so a key read
    /// here is one a [`SigningKey`] can have. SM2 keys must be 65-byte SEC1 uncompressed
    /// points on the curve, not the identity.
    pub fn from_bytes(algorithm: Algorithm, bytes: &[u8]) -> Result<PublicKey, KeyError> {
        match algorithm {
            Algorithm::Ed25519 => {
                let raw: [u8; ed25519_dalek::PUBLIC_KEY_LENGTH] =
                    bytes.try_into().map_err(|_| KeyError::WrongLength {
                        algorithm,
                        expected: ed25519_dalek::PUBLIC_KEY_LENGTH,
                        found: bytes.len(),
                    })?;
                let key = ed25519_dalek::VerifyingKey::from_bytes(&raw)
                    .map_err(|_| KeyError::InvalidPoint { algorithm })?;
                if key.is_weak() {
                    return Err(KeyError::WeakKey { algorithm });
                }
                let point = key.to_edwards();
                // ed25519-dalek keeps the bytes as given; re-encoding the point shows
                // whether they were its one canonical encoding.
                if point.compress().to_bytes() != raw {
                    return Err(KeyError::NonCanonicalKey { algorithm });
                }
                if !point.is_torsion_free() {
                    return Err(KeyError::MixedOrderKey { algorithm });
                }
                Ok(PublicKey::from_ed25519(key))
            }
            Algorithm::Sm2 => sm2::Sm2PublicKey::from_bytes(bytes).map(PublicKey::from_sm2),
        }
    }

    fn from_sm2(key: sm2::Sm2PublicKey) -> PublicKey {
        PublicKey {
            id: KeyId::of(&key.to_bytes()),
            inner: PublicKeyInner::Sm2(key),
        }
    }

    fn from_ed25519(key: ed25519_dalek::VerifyingKey) -> PublicKey {
        PublicKey {
            id: KeyId::of(key.as_bytes()),
            inner: PublicKeyInner::Ed25519(key),
        }
    }

    /// Read a public key from a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) document; the
    /// algorithm identifier inside says whether it is Ed25519 or SM2.
    pub fn from_pem(pem: &str) -> Result<PublicKey, KeyError> {
        match ed25519_dalek::VerifyingKey::from_public_key_pem(pem) {
            Ok(key) => PublicKey::from_bytes(Algorithm::Ed25519, key.as_bytes()),
            Err(_) => sm2::Sm2PublicKey::from_pem(pem).map(PublicKey::from_sm2),
        }
    }

    /// The key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) document.
    pub fn to_pem(&self) -> String {
        match &self.inner {
            // Encoding a 32-byte key into SPKI cannot fail; an empty string would only
            // ever be written to a file the caller then fails to read.
            PublicKeyInner::Ed25519(key) => key
                .to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
                .unwrap_or_default(),
            PublicKeyInner::Sm2(key) => key.to_pem(),
        }
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> Algorithm {
        match self.inner {
            PublicKeyInner::Ed25519(_) => Algorithm::Ed25519,
            PublicKeyInner::Sm2(_) => Algorithm::Sm2,
        }
    }

    /// The raw public key bytes (SM2: the 65-byte SEC1 uncompressed point).
    pub fn to_bytes(&self) -> Vec<u8> {
        match &self.inner {
            PublicKeyInner::Ed25519(key) => key.as_bytes().to_vec(),
            PublicKeyInner::Sm2(key) => key.to_bytes(),
        }
    }

    /// The key id.
    pub fn key_id(&self) -> KeyId {
        self.id
    }

    /// Verify `signature` over exactly `message` (SM2: 64 bytes `r ‖ s`, nothing else).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        match &self.inner {
            PublicKeyInner::Ed25519(key) => {
                let signature = ed25519_dalek::Signature::from_slice(signature).map_err(|_| {
                    SignatureError::WrongLength {
                        expected: ed25519_dalek::SIGNATURE_LENGTH,
                        found: signature.len(),
                    }
                })?;
                key.verify_strict(message, &signature)
                    .map_err(|_| SignatureError::Mismatch)
            }
            PublicKeyInner::Sm2(key) => key.verify(message, signature),
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({}, {})", self.algorithm(), self.id)
    }
}

/// A private signing key. Its `Debug` output never shows the secret.
#[derive(Clone)]
pub struct SigningKey {
    inner: SigningKeyInner,
}

#[derive(Clone)]
enum SigningKeyInner {
    Ed25519(ed25519_dalek::SigningKey),
    Sm2(sm2::Sm2SigningKey),
}

impl SigningKey {
    /// Derive a key from 32 secret random bytes. The caller supplies the randomness
    /// (the core library reads no system state).
    ///
    /// Ed25519 uses the bytes as the RFC 8032 secret key. SM2 takes the private key
    /// `d = 1 + (seed mod (n − 2))` with the seed read big-endian: always in `[1, n − 2]`
    /// as GB/T 32918.1 requires, so no seed is refused (keys from random seeds are within
    /// about 2^-32 of uniform). SM2 signing then needs no randomness: nonces are derived
    /// as in RFC 6979 with HMAC-SM3, so signatures are deterministic.
    pub fn from_seed(algorithm: Algorithm, seed: &[u8; 32]) -> SigningKey {
        let inner = match algorithm {
            Algorithm::Ed25519 => {
                SigningKeyInner::Ed25519(ed25519_dalek::SigningKey::from_bytes(seed))
            }
            Algorithm::Sm2 => SigningKeyInner::Sm2(sm2::Sm2SigningKey::from_seed(seed)),
        };
        SigningKey { inner }
    }

    /// Read a private key from a PEM `PRIVATE KEY` (PKCS#8) document; the algorithm
    /// identifier inside says whether it is Ed25519 or SM2 (`id-ecPublicKey` on the SM2
    /// curve, as OpenSSL writes it).
    pub fn from_pkcs8_pem(pem: &str) -> Result<SigningKey, KeyError> {
        let inner = match ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
            Ok(key) => SigningKeyInner::Ed25519(key),
            Err(_) => SigningKeyInner::Sm2(sm2::Sm2SigningKey::from_pkcs8_pem(pem)?),
        };
        Ok(SigningKey { inner })
    }

    /// The key as a PEM `PRIVATE KEY` (PKCS#8 v1) document, wiped from memory on drop.
    ///
    /// Ed25519 keys are written in RFC 8410's form, `OneAsymmetricKey` version 0 with the
    /// 32-byte secret and no public key, byte for byte what `openssl genpkey -algorithm
    /// ed25519` writes: OpenSSL 3.0 and pyca/cryptography refuse the version 1 form
    /// (RFC 5958, public key inside) that ed25519-dalek writes. Both forms are read.
    pub fn to_pkcs8_pem(&self) -> Result<zeroize::Zeroizing<String>, KeyError> {
        match &self.inner {
            SigningKeyInner::Ed25519(key) => ed25519_dalek::pkcs8::KeypairBytes {
                secret_key: key.to_bytes(),
                public_key: None,
            }
            .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .map_err(|_| KeyError::Pem {
                expected: "private key",
            }),
            SigningKeyInner::Sm2(key) => key.to_pkcs8_pem(),
        }
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> Algorithm {
        match self.inner {
            SigningKeyInner::Ed25519(_) => Algorithm::Ed25519,
            SigningKeyInner::Sm2(_) => Algorithm::Sm2,
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        match &self.inner {
            SigningKeyInner::Ed25519(key) => PublicKey::from_ed25519(key.verifying_key()),
            SigningKeyInner::Sm2(key) => PublicKey::from_sm2(key.public_key()),
        }
    }

    /// Sign `message`. Both algorithms are deterministic: the same key and message give
    /// the same signature (SM2 derives its nonce as in RFC 6979).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.inner {
            SigningKeyInner::Ed25519(key) => key.sign(message).to_bytes().to_vec(),
            SigningKeyInner::Sm2(key) => key.sign(message),
        }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SigningKey({}, {})",
            self.algorithm(),
            self.public_key().key_id()
        )
    }
}

#[cfg(test)]
mod tests;
