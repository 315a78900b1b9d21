//! SM2 digital signatures with SM3 (SM2 椭圆曲线公钥密码算法, GB/T 32918.2-2016), on the
//! recommended 256-bit curve of GB/T 32918.5-2017, through RustCrypto's `sm2` crate.
//!
//! What certqr fixes, so that every implementation signs and verifies the same bytes:
//!
//! - **Distinguishing identifier** (用户身份标识 `ID_A`): always
//!   [`SM2_DISTINGUISHING_IDENTIFIER`], `1234567812345678`, the default of GB/T 35276-2017
//!   (SM2 密码算法使用规范, formerly GM/T 0009-2012). It enters the signed digest through
//!   `Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A)`, and the signature covers
//!   `e = SM3(Z_A ‖ M)` where `M` is the COSE `Sig_structure`. An issuer's identifier never
//!   travels in a certificate, so it cannot differ per issuer.
//! - **Public key**: the SEC1 uncompressed point `04 ‖ x ‖ y`, 65 bytes, as GB/T 35276 and
//!   most SM2 tools print it, so a key id (SHA-256 prefix of these bytes) can be checked
//!   with any of them. Compressed (33-byte), hybrid and identity encodings are refused, as
//!   are coordinates not below the field prime and points off the curve. Keys sit only in
//!   trust lists (a certificate carries the 8-byte key id), so the 32 bytes compression
//!   would save never reach a QR code.
//! - **Signature**: `r ‖ s`, two 32-byte big-endian integers, 64 bytes; DER and any other
//!   length are refused, and so are `r` or `s` equal to 0 or not below the group order `n`.
//! - **Nonces**: GB/T 32918.2 §6.1 A3 takes a random `k`. certqr-core reads no randomness,
//!   so `k` is derived deterministically from the private key and `e` as in RFC 6979 with
//!   HMAC-SM3 (the `sm2` crate's `Signer`): the same key and message always give the same
//!   signature, two messages never share a `k`, and verifiers cannot tell the difference.

use ::sm2::dsa::signature::{Signer as _, Verifier as _};
use ::sm2::dsa::{Signature, SigningKey as Signer, VerifyingKey};
use ::sm2::elliptic_curve::ops::{MulByGenerator as _, Reduce as _};
use ::sm2::elliptic_curve::sec1::ToEncodedPoint as _;
use ::sm2::elliptic_curve::Curve as _;
use ::sm2::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ::sm2::{AffinePoint, NonZeroScalar, ProjectivePoint, Scalar, SecretKey, Sm2, U256};
use zeroize::{Zeroize as _, Zeroizing};

use super::{Algorithm, KeyError, SignatureError};

/// The distinguishing identifier (用户身份标识) every certqr SM2 signature uses: the
/// default `1234567812345678` of GB/T 35276-2017 §10 (formerly GM/T 0009-2012).
pub const SM2_DISTINGUISHING_IDENTIFIER: &str = "1234567812345678";

/// COSE algorithm identifier certqr uses for SM2 with SM3. The IANA "COSE Algorithms"
/// registry (RFC 9053) has none for SM2, so this one is taken from the registry's range
/// "Reserved for Private Use", integers less than -65536: it means SM2 with SM3 only
/// between certqr implementations, and costs 5 bytes in the protected header where
/// Ed25519's -8 costs 1.
pub(super) const COSE_ALGORITHM: i64 = -65_537;
const _: () = assert!(
    COSE_ALGORITHM < coset::iana::ALGORITHM_PRIVATE_USE_MAX,
    "outside the private-use range"
);

/// Length of a public key on the wire: SEC1 uncompressed point.
pub(super) const PUBLIC_KEY_LENGTH: usize = 65;

/// Length of a signature on the wire: `r ‖ s`.
pub(super) const SIGNATURE_LENGTH: usize = Signature::BYTE_SIZE;

/// SEC1 tag of an uncompressed point.
const UNCOMPRESSED_TAG: u8 = 0x04;

const ALGORITHM: Algorithm = Algorithm::Sm2;

/// An SM2 public key: a point on the curve other than the identity.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Sm2PublicKey {
    point: AffinePoint,
}

impl Sm2PublicKey {
    /// Read the 65-byte SEC1 uncompressed encoding, strictly.
    pub(super) fn from_bytes(bytes: &[u8]) -> Result<Sm2PublicKey, KeyError> {
        if bytes.len() != PUBLIC_KEY_LENGTH {
            return Err(KeyError::WrongLength {
                algorithm: ALGORITHM,
                expected: PUBLIC_KEY_LENGTH,
                found: bytes.len(),
            });
        }
        if bytes.first() != Some(&UNCOMPRESSED_TAG) {
            return Err(KeyError::InvalidPoint {
                algorithm: ALGORITHM,
            });
        }
        // Checks both coordinates are below p, the point is on the curve, and is not the
        // identity (which has no uncompressed encoding anyway).
        let key = ::sm2::PublicKey::from_sec1_bytes(bytes).map_err(|_| KeyError::InvalidPoint {
            algorithm: ALGORITHM,
        })?;
        Ok(Sm2PublicKey {
            point: *key.as_affine(),
        })
    }

    /// Read a PEM `PUBLIC KEY` (SubjectPublicKeyInfo with `id-ecPublicKey` and the SM2
    /// curve `1.2.156.10197.1.301`); any other algorithm or curve is refused.
    pub(super) fn from_pem(pem: &str) -> Result<Sm2PublicKey, KeyError> {
        let key = ::sm2::PublicKey::from_public_key_pem(pem).map_err(|_| KeyError::Pem {
            expected: "public key",
        })?;
        Ok(Sm2PublicKey {
            point: *key.as_affine(),
        })
    }

    /// The PEM `PUBLIC KEY` document (uncompressed point inside).
    pub(super) fn to_pem(self) -> String {
        // The point is never the identity, so neither step fails; an empty string would
        // only ever be written to a file the caller then fails to read.
        ::sm2::PublicKey::from_affine(self.point)
            .ok()
            .and_then(|key| key.to_public_key_pem(::sm2::pkcs8::LineEnding::LF).ok())
            .unwrap_or_default()
    }

    /// The 65-byte SEC1 uncompressed encoding.
    pub(super) fn to_bytes(self) -> Vec<u8> {
        self.point.to_encoded_point(false).as_bytes().to_vec()
    }

    /// Verify a 64-byte `r ‖ s` signature over exactly `message` (hashed with `Z_A`).
    pub(super) fn verify(self, message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        if signature.len() != SIGNATURE_LENGTH {
            return Err(SignatureError::WrongLength {
                expected: SIGNATURE_LENGTH,
                found: signature.len(),
            });
        }
        // Refuses r or s equal to 0 or not below n (GB/T 32918.2 §7.1 B1, B2).
        let signature = Signature::from_slice(signature).map_err(|_| SignatureError::Mismatch)?;
        VerifyingKey::from_affine(SM2_DISTINGUISHING_IDENTIFIER, self.point)
            .map_err(|_| SignatureError::Mismatch)?
            .verify(message, &signature)
            .map_err(|_| SignatureError::Mismatch)
    }
}

/// An SM2 private key `d`, in `[1, n − 2]` as GB/T 32918.1-2016 §6.1 requires (with
/// `d = n − 1`, `1 + d` has no inverse and nothing can be signed).
#[derive(Clone)]
pub(super) struct Sm2SigningKey {
    /// The `sm2` crate's signer. `None` only if the crate refused to compute `Z_A`, which
    /// it does only for an identifier longer than 8191 bytes: never for certqr's 16 bytes.
    signer: Option<Signer>,
    public: Sm2PublicKey,
}

impl Sm2SigningKey {
    /// `d = 1 + (seed mod (n − 2))`, the seed read as a 256-bit big-endian integer.
    ///
    /// Every seed gives a key in `[1, n − 2]`, so no seed needs to be refused: not the
    /// all-zero seed (`d = 1`, fine for tests, never drawn from a random source), nor
    /// seeds at or above `n`. Seeds `s` and `s + n − 2` give the same key; since 2^256
    /// exceeds `n − 2` by about 2^224, keys from uniformly random seeds are within a
    /// statistical distance of about 2^-32 of uniform.
    pub(super) fn from_seed(seed: &[u8; 32]) -> Sm2SigningKey {
        let mut value = U256::from_be_slice(seed);
        let modulus = Sm2::ORDER.wrapping_sub(&U256::from_u8(2));
        // Constant time in the secret dividend; the modulus is public.
        let (mut remainder, _) = value.const_rem(&modulus);
        let mut secret = remainder.wrapping_add(&U256::ONE);
        // Below n, so reducing changes nothing.
        let scalar = Scalar::reduce(secret);
        value.zeroize();
        remainder.zeroize();
        secret.zeroize();
        Sm2SigningKey::from_scalar(scalar)
    }

    fn from_scalar(scalar: Scalar) -> Sm2SigningKey {
        let public = Sm2PublicKey {
            point: ProjectivePoint::mul_by_generator(&scalar).to_affine(),
        };
        let signer = Option::<NonZeroScalar>::from(NonZeroScalar::new(scalar)).and_then(|scalar| {
            Signer::from_nonzero_scalar(SM2_DISTINGUISHING_IDENTIFIER, scalar).ok()
        });
        Sm2SigningKey { signer, public }
    }

    /// Read a PEM `PRIVATE KEY` (PKCS#8 with `id-ecPublicKey` and the SM2 curve). A
    /// public key inside must match the private key; `d = n − 1` is refused.
    pub(super) fn from_pkcs8_pem(pem: &str) -> Result<Sm2SigningKey, KeyError> {
        let secret = SecretKey::from_pkcs8_pem(pem).map_err(|_| KeyError::Pem {
            expected: "private key",
        })?;
        let scalar = *secret.to_nonzero_scalar();
        if bool::from((scalar + Scalar::ONE).is_zero()) {
            return Err(KeyError::PrivateKeyOutOfRange {
                algorithm: ALGORITHM,
            });
        }
        Ok(Sm2SigningKey::from_scalar(scalar))
    }

    /// The PEM `PRIVATE KEY` (PKCS#8 v1, SEC1 `ECPrivateKey` inside), wiped on drop.
    pub(super) fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        let error = KeyError::Pem {
            expected: "private key",
        };
        let signer = self.signer.as_ref().ok_or(error.clone())?;
        SecretKey::from(signer.as_nonzero_scalar())
            .to_pkcs8_pem(::sm2::pkcs8::LineEnding::LF)
            .map_err(|_| error)
    }

    /// The matching public key.
    pub(super) fn public_key(&self) -> Sm2PublicKey {
        self.public
    }

    /// The 64-byte `r ‖ s` signature over `message`, with a deterministic nonce.
    ///
    /// Empty (and so never accepted by a verifier) only where GB/T 32918.2 §6.1 A5 or A6
    /// would draw another `k` (`r = 0`, `r + k = n` or `s = 0`, each of probability about
    /// 2^-256), since the deterministic `k` cannot be drawn again.
    pub(super) fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.signer
            .as_ref()
            .and_then(|signer| signer.try_sign(message).ok())
            .map(|signature: Signature| signature.to_bytes().to_vec())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
