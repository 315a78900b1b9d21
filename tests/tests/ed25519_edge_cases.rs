//! Ed25519 edge cases through certqr's own API: [`PublicKey::from_bytes`],
//! [`PublicKey::verify`], and the whole path from QR text to verdict ([`Verifier`]).
//!
//! **Source.** The classes of cases are those of Chalkias, Garillot and Nikolaenko,
//! "Taming the many EdDSAs" (SSR 2020, IACR ePrint 2020/1244), and the checks RFC 8032
//! §5.1.7 asks for: small-order public keys in every encoding, small-order and
//! mixed-order `R`, mixed-order public keys, non-canonical `S` (`S >= L`, the
//! malleated `S + L`) and non-canonical point encodings (`y >= p`, a sign bit on
//! `x = 0`). No vector file is copied: every point, scalar and signature here is derived
//! from the curve's definition with curve25519-dalek's arithmetic (the order-8 point is
//! `[L]P` for a point `P` hashed onto the curve), and each case checks by hand which
//! verification equation it satisfies, so no expectation comes from the verifier under
//! test. The signer below is RFC 8032's, checked against certqr's own signatures.
//!
//! **What certqr does** (ed25519-dalek's `verify_strict`, and weak, mixed-order and
//! non-canonical keys refused when a key is read, format.md §4.5):
//!
//! | case | certqr |
//! |---|---|
//! | small-order public key, 8 canonical and 6 non-canonical encodings | refused when read (`KeyError::WeakKey`), also inside a root-signed trust list |
//! | `S + L`, and `S + nL` up to 2^256 | refused: `S` must be below `L` |
//! | small-order `R` (14 encodings) with `S = k·a` | refused, although the canonical identity `R` satisfies the cofactorless equation byte for byte |
//! | mixed-order `R` | refused: only the cofactored equation holds |
//! | mixed-order public key | refused when read (`KeyError::MixedOrderKey`), from raw bytes, from PEM and inside a root-signed trust list: under it a signature would verify or not depending on the verifier's equation (here exactly when `8` divides `k`) |
//! | non-canonical encoding (`y >= p`) of an ordinary point | refused when read (`KeyError::NonCanonicalKey`), likewise: one point would have two encodings and two key ids |
//!
//! A [`PublicKey`] can only be made by reading bytes (or PEM) or from a signing key, so
//! no trust list can be created with such a key either.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use certqr_core::catalog::Family;
use certqr_core::cose::DocumentKind;
use certqr_core::keys::{Algorithm, KeyError, KeyId, PublicKey, SignatureError};
use certqr_core::samples;
use certqr_core::text;
use certqr_core::trust::{IssuerError, TrustListError};
use certqr_core::verify::{Status, Verifier};
use certqr_tests::fixture::{self, Fixture};
use certqr_tests::forge;
use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, IsIdentity};
use ed25519_dalek::pkcs8::EncodePublicKey as _;
use ed25519_dalek::Verifier as _;
use sha2::{Digest, Sha512};
use time::macros::date;

const ED25519: Algorithm = Algorithm::Ed25519;

/// The field prime p = 2^255 - 19, little-endian.
const FIELD_PRIME: [u8; 32] = {
    let mut prime = [0xff; 32];
    prime[0] = 0xed;
    prime[31] = 0x7f;
    prime
};

fn sha512(parts: &[&[u8]]) -> [u8; 64] {
    let mut hash = Sha512::new();
    for part in parts {
        hash.update(part);
    }
    hash.finalize().into()
}

fn scalar_from_label(label: &str) -> Scalar {
    Scalar::from_bytes_mod_order_wide(&sha512(&[b"certqr ed25519 edge cases: ", label.as_bytes()]))
}

/// `k = SHA-512(R || A || M) mod L` (RFC 8032 §5.1.7), over the bytes as written.
fn challenge(r: &[u8; 32], public: &[u8; 32], message: &[u8]) -> Scalar {
    Scalar::from_bytes_mod_order_wide(&sha512(&[r, public, message]))
}

/// Little-endian sum of two 256-bit numbers; `None` when it needs 257 bits.
fn add(a: &[u8; 32], b: &[u8; 32]) -> Option<[u8; 32]> {
    let mut sum = [0u8; 32];
    let mut carry = 0u16;
    for index in 0..32 {
        let total = u16::from(a[index]) + u16::from(b[index]) + carry;
        sum[index] = total.to_le_bytes()[0];
        carry = total >> 8;
    }
    (carry == 0).then_some(sum)
}

/// `[n]P` for a 256-bit little-endian `n`, by double-and-add: `n` may be `L` or more,
/// which a `Scalar` cannot hold.
fn times(point: &EdwardsPoint, n: &[u8; 32]) -> EdwardsPoint {
    let mut sum = EdwardsPoint::identity();
    for byte in n.iter().rev() {
        for bit in (0..8).rev() {
            sum = sum + sum;
            if (byte >> bit) & 1 == 1 {
                sum += point;
            }
        }
    }
    sum
}

/// A point of order 8: `[L]P` lies in the 8-torsion subgroup for every curve point `P`;
/// points are hashed onto the curve until `[L]P` has order exactly 8.
fn order_eight_point() -> EdwardsPoint {
    for counter in 0u32..1000 {
        let mut y = [0u8; 32];
        y.copy_from_slice(&sha512(&[b"point", &counter.to_le_bytes()])[..32]);
        y[31] &= 0x7f;
        let Some(point) = CompressedEdwardsY(y).decompress() else {
            continue;
        };
        let torsion = times(&point, &forge::ED25519_GROUP_ORDER);
        let twice = torsion + torsion;
        if !(twice + twice).is_identity() {
            return torsion;
        }
    }
    panic!("no point of order 8 found")
}

/// The 8 points of small order, `[i]T` for a point `T` of order 8, with their order.
fn small_order_points() -> Vec<(EdwardsPoint, u32)> {
    let generator = order_eight_point();
    let mut points = Vec::new();
    let mut point = EdwardsPoint::identity();
    for index in 0..8u32 {
        let order = 8 / gcd(index, 8);
        points.push((point, order));
        point += generator;
    }
    points
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Every 32-byte encoding of a small-order point: the canonical one of each point, and
/// the non-canonical ones (`y + p` where `y < 19`, and the sign bit set on `x = 0`).
fn small_order_encodings() -> Vec<(EdwardsPoint, [u8; 32], bool)> {
    let mut encodings = Vec::new();
    for (point, _) in small_order_points() {
        let canonical = point.compress().to_bytes();
        encodings.push((point, canonical, true));
        let sign = canonical[31] & 0x80;
        let mut y = canonical;
        y[31] &= 0x7f;
        let y_below_19 = y[1..].iter().all(|&byte| byte == 0) && y[0] < 19;
        let y_plus_p = add(&y, &FIELD_PRIME).unwrap();
        let x_is_zero = -point == point;
        let mut signs = vec![];
        if y_below_19 {
            signs.push((y_plus_p, sign));
        }
        if x_is_zero {
            signs.push((y, sign ^ 0x80));
            if y_below_19 {
                signs.push((y_plus_p, sign ^ 0x80));
            }
        }
        for (mut bytes, sign) in signs {
            bytes[31] |= sign;
            encodings.push((point, bytes, false));
        }
    }
    encodings
}

/// An RFC 8032 key: the secret scalar `a`, the nonce prefix and the public key.
struct Key {
    secret: Scalar,
    prefix: [u8; 32],
    public: [u8; 32],
}

impl Key {
    /// RFC 8032 §5.1.5 from a 32-byte seed.
    fn from_seed(seed: &[u8; 32]) -> Key {
        let hash = sha512(&[seed]);
        let mut clamped = [0u8; 32];
        clamped.copy_from_slice(&hash[..32]);
        clamped[0] &= 248;
        clamped[31] &= 127;
        clamped[31] |= 64;
        let secret = Scalar::from_bytes_mod_order(clamped);
        let mut prefix = [0u8; 32];
        prefix.copy_from_slice(&hash[32..]);
        Key {
            secret,
            prefix,
            public: EdwardsPoint::mul_base(&secret).compress().to_bytes(),
        }
    }

    /// The same secret under another public key encoding (a mixed-order key).
    fn with_public(&self, public: &EdwardsPoint) -> Key {
        Key {
            secret: self.secret,
            prefix: self.prefix,
            public: public.compress().to_bytes(),
        }
    }

    fn point(&self) -> EdwardsPoint {
        CompressedEdwardsY(self.public).decompress().unwrap()
    }

    fn nonce(&self, message: &[u8]) -> Scalar {
        Scalar::from_bytes_mod_order_wide(&sha512(&[&self.prefix, message]))
    }

    /// RFC 8032 §5.1.6.
    fn sign(&self, message: &[u8]) -> [u8; 64] {
        let nonce = self.nonce(message);
        self.sign_with(
            nonce,
            &EdwardsPoint::mul_base(&nonce).compress().to_bytes(),
            message,
        )
    }

    /// `R || S` with `S = r + k·a` for any `r` and `R` bytes, `k` computed over those bytes.
    fn sign_with(&self, nonce: Scalar, r: &[u8; 32], message: &[u8]) -> [u8; 64] {
        let s = nonce + challenge(r, &self.public, message) * self.secret;
        signature(r, &s.to_bytes())
    }

    fn certqr(&self) -> PublicKey {
        PublicKey::from_bytes(ED25519, &self.public).unwrap()
    }
}

fn signature(r: &[u8; 32], s: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(r);
    out[32..].copy_from_slice(s);
    out
}

/// `[S]B == R + [k]A`: the equation without the cofactor.
fn cofactorless(public: &[u8; 32], signature: &[u8; 64], message: &[u8]) -> bool {
    let (r, s) = split(signature);
    let Some(r_point) = CompressedEdwardsY(r).decompress() else {
        return false;
    };
    let a_point = CompressedEdwardsY(*public).decompress().unwrap();
    let k = challenge(&r, public, message);
    times(&ED25519_BASEPOINT_POINT, &s) == r_point + a_point * k
}

/// `[8][S]B == [8]R + [8][k]A`: the equation with the cofactor.
fn cofactored(public: &[u8; 32], signature: &[u8; 64], message: &[u8]) -> bool {
    let (r, s) = split(signature);
    let Some(r_point) = CompressedEdwardsY(r).decompress() else {
        return false;
    };
    let a_point = CompressedEdwardsY(*public).decompress().unwrap();
    let k = challenge(&r, public, message);
    (times(&ED25519_BASEPOINT_POINT, &s) - r_point - a_point * k)
        .mul_by_cofactor()
        .is_identity()
}

fn split(signature: &[u8; 64]) -> ([u8; 32], [u8; 32]) {
    let mut r = [0u8; 32];
    let mut s = [0u8; 32];
    r.copy_from_slice(&signature[..32]);
    s.copy_from_slice(&signature[32..]);
    (r, s)
}

/// ed25519-dalek's plain (non-strict) `verify`, the contrast: it compares `R` bytes
/// with the recomputed ones, without refusing small-order points.
fn dalek_plain_verify(public: &[u8; 32], signature: &[u8; 64], message: &[u8]) -> bool {
    ed25519_dalek::VerifyingKey::from_bytes(public).is_ok_and(|key| {
        key.verify(message, &ed25519_dalek::Signature::from_bytes(signature))
            .is_ok()
    })
}

fn emergency_key(world: &Fixture) -> Key {
    Key::from_seed(&world.emergency.seed)
}

#[test]
fn the_signer_here_is_rfc_8032_and_matches_certqr() {
    let world = Fixture::new();
    let key = emergency_key(&world);
    assert_eq!(key.public.to_vec(), world.emergency.public_key().to_bytes());
    for message in [&b""[..], b"certqr", &[0xff; 300]] {
        let ours = key.sign(message);
        assert_eq!(ours.to_vec(), world.emergency.key.sign(message));
        assert!(cofactorless(&key.public, &ours, message));
        assert_eq!(key.certqr().verify(message, &ours), Ok(()));
    }
}

#[test]
fn small_order_points_are_derived_with_their_fourteen_encodings() {
    let points = small_order_points();
    let mut canonical: Vec<[u8; 32]> = points
        .iter()
        .map(|(p, _)| p.compress().to_bytes())
        .collect();
    canonical.sort();
    canonical.dedup();
    assert_eq!(canonical.len(), 8);
    let mut orders: Vec<u32> = points.iter().map(|(_, order)| *order).collect();
    orders.sort();
    assert_eq!(orders, [1, 2, 4, 4, 8, 8, 8, 8]);
    for (point, order) in &points {
        assert!(point.is_small_order());
        let mut multiple = EdwardsPoint::identity();
        for _ in 0..*order {
            multiple += point;
        }
        assert!(multiple.is_identity());
    }
    // Two of them are easy to check by hand: the identity (0, 1) and (0, -1).
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut minus_one = FIELD_PRIME;
    minus_one[0] -= 1;
    assert!(canonical.contains(&identity) && canonical.contains(&minus_one));

    let encodings = small_order_encodings();
    assert_eq!(
        encodings
            .iter()
            .filter(|(_, _, canonical)| *canonical)
            .count(),
        8
    );
    assert_eq!(
        encodings
            .iter()
            .filter(|(_, _, canonical)| !*canonical)
            .count(),
        6
    );
    for (point, bytes, _) in &encodings {
        assert_eq!(
            CompressedEdwardsY(*bytes).decompress().as_ref(),
            Some(point)
        );
    }
}

#[test]
fn small_order_public_keys_are_refused_in_every_encoding() {
    for (_, bytes, canonical) in small_order_encodings() {
        assert_eq!(
            PublicKey::from_bytes(ED25519, &bytes),
            Err(KeyError::WeakKey { algorithm: ED25519 }),
            "{} (canonical: {canonical})",
            forge::hex(&bytes)
        );
    }
    // What the refusal prevents: under the identity as a key, R = identity and S = 0
    // satisfy the plain check for every message.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let forged = signature(&identity, &[0u8; 32]);
    for message in [&b"any certificate"[..], b"any other"] {
        assert!(dalek_plain_verify(&identity, &forged, message));
    }
}

#[test]
fn weak_keys_in_a_root_signed_trust_list_are_refused() {
    let world = Fixture::new();
    let payload = world.trust_list.to_payload();
    let emergency = world.emergency.public_key().to_bytes();
    let position = payload
        .windows(emergency.len())
        .position(|window| window == emergency.as_slice())
        .unwrap();
    let protected = forge::protected_header(
        -8,
        DocumentKind::TrustList.content_type(),
        &world.root.public_key().key_id().0,
    );
    for (_, bytes, _) in small_order_encodings() {
        let mut forged = payload.clone();
        forged[position..position + 32].copy_from_slice(&bytes);
        let signed = forge::sign1(&world.root.key, &protected, &forged);
        let mut verifier = Verifier::new(vec![world.root.public_key()]);
        assert_eq!(
            verifier.install_trust_list(&signed).err(),
            Some(TrustListError::Issuer {
                index: 0,
                error: IssuerError::Key(KeyError::WeakKey { algorithm: ED25519 }),
            }),
            "{}",
            forge::hex(&bytes)
        );
    }
}

#[test]
fn scalars_at_or_above_the_group_order_are_refused() {
    let world = Fixture::new();
    let key = emergency_key(&world);
    let message = b"certqr: non-canonical S";
    let genuine = key.sign(message);
    let (r, s) = split(&genuine);
    // S + nL for every n that fits in 256 bits.
    let mut malleated = Vec::new();
    let mut sum = s;
    while let Some(next) = add(&sum, &forge::ED25519_GROUP_ORDER) {
        malleated.push(next);
        sum = next;
    }
    assert!(malleated.len() >= 15, "{}", malleated.len());
    // S + L still has its top three bits clear: a check of those bits alone (the
    // "legacy" check of some libraries) would take it.
    assert_eq!(malleated[0][31] & 0xe0, 0);
    assert_eq!(
        malleated[0].to_vec(),
        forge::malleate_signature(&genuine).unwrap()[32..]
    );
    assert_ne!(malleated.last().unwrap()[31] & 0xe0, 0);
    for s_malleated in malleated {
        // The same point equation: S + nL reduces to S.
        assert_eq!(
            Scalar::from_bytes_mod_order(s_malleated),
            Scalar::from_bytes_mod_order(s)
        );
        let candidate = signature(&r, &s_malleated);
        assert!(cofactorless(&key.public, &candidate, message));
        assert_eq!(
            key.certqr().verify(message, &candidate),
            Err(SignatureError::Mismatch)
        );
    }
    assert_eq!(key.certqr().verify(message, &genuine), Ok(()));
}

#[test]
fn small_order_r_is_refused_even_when_the_equation_holds() {
    let world = Fixture::new();
    let key = emergency_key(&world);
    let message = b"certqr: small-order R";
    let mut plain_accepts = Vec::new();
    for (point, bytes, canonical) in small_order_encodings() {
        // S = k·a: [S]B - [k]A is the identity, so R = identity satisfies the equation
        // without the cofactor, and every small-order R satisfies it with the cofactor.
        let candidate = key.sign_with(Scalar::ZERO, &bytes, message);
        assert!(cofactored(&key.public, &candidate, message));
        assert_eq!(
            cofactorless(&key.public, &candidate, message),
            point.is_identity()
        );
        assert_eq!(
            key.certqr().verify(message, &candidate),
            Err(SignatureError::Mismatch),
            "{} (canonical: {canonical})",
            forge::hex(&bytes)
        );
        if dalek_plain_verify(&key.public, &candidate, message) {
            plain_accepts.push(bytes);
        }
    }
    // The plain check, comparing R bytes, takes exactly the canonical identity.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(plain_accepts, [identity]);
}

#[test]
fn mixed_order_r_is_refused() {
    let world = Fixture::new();
    let key = emergency_key(&world);
    let torsion = order_eight_point();
    for (index, message) in [&b"first"[..], b"second", b"third"].into_iter().enumerate() {
        let nonce = scalar_from_label(&format!("mixed R {index}"));
        let r = (EdwardsPoint::mul_base(&nonce) + torsion)
            .compress()
            .to_bytes();
        let candidate = key.sign_with(nonce, &r, message);
        assert!(cofactored(&key.public, &candidate, message));
        assert!(!cofactorless(&key.public, &candidate, message));
        assert_eq!(
            key.certqr().verify(message, &candidate),
            Err(SignatureError::Mismatch)
        );
    }
}

/// The emergency key's secret behind the mixed-order public key `[a]B + T`.
fn mixed_order_key(world: &Fixture) -> Key {
    let key = emergency_key(world);
    key.with_public(&(key.point() + order_eight_point()))
}

/// format.md §4.5: a mixed-order key is refused, because signatures under it verify or
/// not depending on the equation a verifier uses.
#[test]
fn a_mixed_order_key_is_refused_when_read() {
    let world = Fixture::new();
    let key = mixed_order_key(&world);
    let point = key.point();
    assert!(!point.is_small_order() && !point.is_torsion_free());
    let refused = Err(KeyError::MixedOrderKey { algorithm: ED25519 });
    assert_eq!(PublicKey::from_bytes(ED25519, &key.public), refused);
    // The same bytes in a PEM SubjectPublicKeyInfo (ed25519-dalek writes any point).
    let pem = ed25519_dalek::VerifyingKey::from_bytes(&key.public)
        .unwrap()
        .to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .unwrap();
    assert_eq!(PublicKey::from_pem(&pem), refused);
    // Why: the cofactored equation takes every signature, the cofactorless one (which
    // verify_strict checks) only those where 8 divides k.
    let (mut both, mut cofactored_only) = (0, 0);
    for index in 0..64 {
        let message = format!("certqr: mixed-order key {index}");
        let candidate = key.sign(message.as_bytes());
        let (r, _) = split(&candidate);
        let k_divisible_by_eight =
            challenge(&r, &key.public, message.as_bytes()).to_bytes()[0].is_multiple_of(8);
        assert!(cofactored(&key.public, &candidate, message.as_bytes()));
        assert_eq!(
            cofactorless(&key.public, &candidate, message.as_bytes()),
            k_divisible_by_eight
        );
        if k_divisible_by_eight {
            both += 1;
        } else {
            cofactored_only += 1;
        }
    }
    assert!(
        both > 0 && cofactored_only > 0,
        "{both} / {cofactored_only}"
    );
}

/// Every ordinary point with a second, non-canonical encoding `y + p` (only `y < 19`
/// leaves room for it in 255 bits): (canonical, non-canonical).
fn non_canonical_encodings() -> Vec<([u8; 32], [u8; 32])> {
    let mut found = Vec::new();
    for y in 2u8..19 {
        for sign in [0u8, 0x80] {
            let mut canonical = [0u8; 32];
            canonical[0] = y;
            canonical[31] = sign;
            let Some(point) = CompressedEdwardsY(canonical).decompress() else {
                continue;
            };
            if point.is_small_order() {
                continue;
            }
            let mut y_bytes = [0u8; 32];
            y_bytes[0] = y;
            let mut y_plus_p = add(&y_bytes, &FIELD_PRIME).unwrap();
            y_plus_p[31] |= sign;
            assert_eq!(CompressedEdwardsY(y_plus_p).decompress(), Some(point));
            found.push((canonical, y_plus_p));
        }
    }
    found
}

/// format.md §4.5: an Ed25519 key is read only in its canonical encoding (`y < p`).
#[test]
fn a_non_canonical_encoding_of_an_ordinary_point_is_refused() {
    let found = non_canonical_encodings();
    eprintln!(
        "{} ordinary points have a second encoding (y + p, y < 19)",
        found.len()
    );
    assert!(!found.is_empty());
    for (canonical, non_canonical) in found {
        let point = CompressedEdwardsY(canonical).decompress().unwrap();
        let expected_canonical = if point.is_torsion_free() {
            Ok(canonical.to_vec())
        } else {
            Err(KeyError::MixedOrderKey { algorithm: ED25519 })
        };
        assert_eq!(
            PublicKey::from_bytes(ED25519, &canonical).map(|key| key.to_bytes()),
            expected_canonical,
            "{}",
            forge::hex(&canonical)
        );
        assert_eq!(
            PublicKey::from_bytes(ED25519, &non_canonical),
            Err(KeyError::NonCanonicalKey { algorithm: ED25519 }),
            "{}",
            forge::hex(&non_canonical)
        );
    }
}

/// The fixture's trust list with the "emergency" issuer's public key replaced by `bytes`,
/// signed by the root, and what installing it gives.
fn install_with_emergency_key(world: &Fixture, bytes: &[u8; 32]) -> Option<TrustListError> {
    let payload = world.trust_list.to_payload();
    let emergency = world.emergency.public_key().to_bytes();
    let position = payload
        .windows(emergency.len())
        .position(|window| window == emergency.as_slice())
        .unwrap();
    let protected = forge::protected_header(
        -8,
        DocumentKind::TrustList.content_type(),
        &world.root.public_key().key_id().0,
    );
    let mut forged = payload.clone();
    forged[position..position + 32].copy_from_slice(bytes);
    let signed = forge::sign1(&world.root.key, &protected, &forged);
    let mut verifier = Verifier::new(vec![world.root.public_key()]);
    verifier.install_trust_list(&signed).err()
}

/// format.md §4.5 and §6.2: a root-signed trust list naming a mixed-order or a
/// non-canonically encoded issuer key is refused as a whole.
#[test]
fn mixed_order_and_non_canonical_keys_in_a_root_signed_trust_list_are_refused() {
    let world = Fixture::new();
    let refused = |error| {
        Some(TrustListError::Issuer {
            index: 0,
            error: IssuerError::Key(error),
        })
    };
    assert_eq!(
        install_with_emergency_key(&world, &mixed_order_key(&world).public),
        refused(KeyError::MixedOrderKey { algorithm: ED25519 })
    );
    for (_, non_canonical) in non_canonical_encodings() {
        assert_eq!(
            install_with_emergency_key(&world, &non_canonical),
            refused(KeyError::NonCanonicalKey { algorithm: ED25519 }),
            "{}",
            forge::hex(&non_canonical)
        );
    }
    // The unforged list installs: the refusals above are the keys'.
    assert_eq!(
        install_with_emergency_key(&world, &emergency_key(&world).public),
        None
    );
}

/// The sample special operations claims with an extension claim (key 100) holding
/// `label`, still deterministic CBOR.
fn claims_with_extension(label: &str) -> Vec<u8> {
    let claims = samples::certificate(Family::SpecialOperations, date!(2024 - 03 - 01))
        .unwrap()
        .to_claims();
    let head = claims[0];
    assert_eq!(head & 0xe0, 0xa0);
    assert!(head & 0x1f < 23);
    let mut out = vec![head + 1];
    out.extend_from_slice(&claims[1..]);
    out.extend_from_slice(&forge::int(100));
    out.extend_from_slice(&forge::text(label));
    out
}

/// A certificate's QR text signed by `key` with any signature the closure makes over
/// the `Sig_structure`.
fn certificate_text(
    key: &Key,
    claims: &[u8],
    sign: impl FnOnce(&[u8]) -> [u8; 64],
) -> (String, Vec<u8>, [u8; 64]) {
    let protected = forge::protected_header(
        -8,
        DocumentKind::Certificate.content_type(),
        &KeyId::of(&key.public).0,
    );
    let signed = forge::sig_structure(&protected, claims);
    let signature = sign(&signed);
    let document = forge::sign1_raw(&protected, &forge::map(&[]), claims, &signature);
    (text::encode(&document), signed, signature)
}

/// A genuine key and a signature with `R` the identity and `S = k·a`: the plain check
/// takes it, the verifier does not.
#[test]
fn the_verifier_refuses_an_identity_r_under_a_genuine_key() {
    let world = Fixture::new();
    let mut verifier = Verifier::new(vec![world.root.public_key()]);
    verifier
        .install_trust_list(&world.trust_list.sign(&world.root.key).unwrap())
        .unwrap();
    let emergency = emergency_key(&world);
    let genuine = claims_with_extension("genuine R");
    let (qr_text, _, _) = certificate_text(&emergency, &genuine, |signed| emergency.sign(signed));
    assert_eq!(
        verifier.verify(&qr_text, fixture::NOW).status,
        Status::Valid
    );
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let claims = claims_with_extension("identity R");
    let (qr_text, signed, signature) = certificate_text(&emergency, &claims, |signed| {
        emergency.sign_with(Scalar::ZERO, &identity, signed)
    });
    assert!(dalek_plain_verify(&emergency.public, &signature, &signed));
    let verdict = verifier.verify(&qr_text, fixture::NOW);
    assert_eq!(verdict.reasons[0].code(), "bad-signature");
    assert_eq!(verdict.reasons.len(), 1);
}
