//! Hand-built CBOR and COSE_Sign1 bytes, for documents certqr would never write.
//!
//! Everything here is written byte by byte, independently of `certqr_core::cbor` and
//! `certqr_core::cose`, so that a vector signed here also checks that certqr's
//! `Sig_structure` is the one RFC 9052 §4.4 defines.

use certqr_core::keys::SigningKey;

/// CBOR major types (RFC 8949 §3.1).
pub mod major {
    /// Unsigned integer.
    pub const UNSIGNED: u8 = 0;
    /// Negative integer.
    pub const NEGATIVE: u8 = 1;
    /// Byte string.
    pub const BYTES: u8 = 2;
    /// Text string.
    pub const TEXT: u8 = 3;
    /// Array.
    pub const ARRAY: u8 = 4;
    /// Map.
    pub const MAP: u8 = 5;
    /// Tag.
    pub const TAG: u8 = 6;
}

/// COSE header labels (RFC 9052 §3.1).
pub mod label {
    /// alg
    pub const ALGORITHM: i64 = 1;
    /// crit
    pub const CRITICAL: i64 = 2;
    /// content type
    pub const CONTENT_TYPE: i64 = 3;
    /// kid
    pub const KEY_ID: i64 = 4;
}

/// The head of a CBOR item in its shortest form: major type and argument.
pub fn head(major: u8, argument: u64) -> Vec<u8> {
    let size = match argument {
        0..=23 => 0,
        24..=0xff => 1,
        0x100..=0xffff => 2,
        0x1_0000..=0xffff_ffff => 4,
        _ => 8,
    };
    head_with_size(major, argument, size)
}

/// The head of a CBOR item with its argument in `size` bytes (0, 1, 2, 4 or 8), whether
/// or not that is the shortest form: how non-minimal encodings are made.
pub fn head_with_size(major: u8, argument: u64, size: u8) -> Vec<u8> {
    let initial = major << 5;
    let be = argument.to_be_bytes();
    let (info, tail): (u8, &[u8]) = match size {
        1 => (24, be.get(7..).unwrap_or_default()),
        2 => (25, be.get(6..).unwrap_or_default()),
        4 => (26, be.get(4..).unwrap_or_default()),
        8 => (27, &be),
        // Size 0: the argument lives in the initial byte (and must be below 24).
        _ => (u8::try_from(argument.min(23)).unwrap_or(23), &[]),
    };
    let mut out = vec![initial | info];
    out.extend_from_slice(tail);
    out
}

/// A CBOR integer in its shortest form.
pub fn int(value: i64) -> Vec<u8> {
    if value >= 0 {
        head(major::UNSIGNED, value.unsigned_abs())
    } else {
        head(major::NEGATIVE, value.unsigned_abs() - 1)
    }
}

/// A CBOR byte string.
pub fn bytes(content: &[u8]) -> Vec<u8> {
    let mut out = head(major::BYTES, content.len() as u64);
    out.extend_from_slice(content);
    out
}

/// A CBOR text string.
pub fn text(content: &str) -> Vec<u8> {
    let mut out = head(major::TEXT, content.len() as u64);
    out.extend_from_slice(content.as_bytes());
    out
}

/// A map of already-encoded keys and values, written in the order given (sorted or not).
pub fn map(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut out = head(major::MAP, entries.len() as u64);
    for (key, value) in entries {
        out.extend_from_slice(key);
        out.extend_from_slice(value);
    }
    out
}

/// An array of already-encoded items.
pub fn array(items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = head(major::ARRAY, items.len() as u64);
    for item in items {
        out.extend_from_slice(item);
    }
    out
}

/// The protected header certqr writes: `{1: alg, 3: content type, 4: kid}`.
pub fn protected_header(algorithm: i64, content_type: u64, key_id: &[u8]) -> Vec<u8> {
    map(&[
        (int(label::ALGORITHM), int(algorithm)),
        (
            int(label::CONTENT_TYPE),
            head(major::UNSIGNED, content_type),
        ),
        (int(label::KEY_ID), bytes(key_id)),
    ])
}

/// `Sig_structure` for COSE_Sign1 (RFC 9052 §4.4): `["Signature1", protected, h'', payload]`,
/// with the protected header as the exact bytes in the message.
pub fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    array(&[
        text("Signature1"),
        bytes(protected),
        bytes(&[]),
        bytes(payload),
    ])
}

/// `18([protected, unprotected, payload, signature])` from already-encoded parts.
pub fn sign1_raw(
    protected: &[u8],
    unprotected: &[u8],
    payload: &[u8],
    signature: &[u8],
) -> Vec<u8> {
    let mut out = head(major::TAG, 18);
    out.extend_from_slice(&array(&[
        bytes(protected),
        unprotected.to_vec(),
        bytes(payload),
        bytes(signature),
    ]));
    out
}

/// A COSE_Sign1 message over `payload` with any protected header bytes, correctly
/// signed by `key`, and an empty unprotected header.
pub fn sign1(key: &SigningKey, protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let signature = key.sign(&sig_structure(protected, payload));
    sign1_raw(protected, &map(&[]), payload, &signature)
}

/// The order of the Ed25519 group, little-endian: adding it to a signature's `S` gives
/// the same point equation but a non-canonical signature, which `verify_strict` refuses.
pub const ED25519_GROUP_ORDER: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

/// `signature` with `L` added to its scalar `S` (the last 32 bytes, little-endian).
/// Returns `None` unless the signature is 64 bytes and the sum fits in 256 bits.
pub fn malleate_signature(signature: &[u8]) -> Option<Vec<u8>> {
    let (r, s) = (signature.get(..32)?, signature.get(32..64)?);
    if signature.len() != 64 {
        return None;
    }
    let mut sum = Vec::with_capacity(32);
    let mut carry = 0u16;
    for (a, b) in s.iter().zip(ED25519_GROUP_ORDER) {
        let total = u16::from(*a) + u16::from(b) + carry;
        sum.push(total.to_le_bytes()[0]);
        carry = total >> 8;
    }
    if carry != 0 {
        return None;
    }
    let mut out = r.to_vec();
    out.extend_from_slice(&sum);
    Some(out)
}

/// The order `n` of the SM2 group (GB/T 32918.5-2017), big-endian.
pub const SM2_GROUP_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x72, 0x03, 0xdf, 0x6b, 0x21, 0xc6, 0x05, 0x2b, 0x53, 0xbb, 0xf4, 0x09, 0x39, 0xd5, 0x41, 0x23,
];

/// A 64-byte `r || s` signature (SM2, ECDSA) as DER: `SEQUENCE { INTEGER r, INTEGER s }`,
/// each integer minimal. `None` unless the signature is 64 bytes.
pub fn der_signature(signature: &[u8]) -> Option<Vec<u8>> {
    if signature.len() != 64 {
        return None;
    }
    let integer = |half: &[u8]| {
        let start = half
            .iter()
            .position(|&byte| byte != 0)
            .unwrap_or(half.len().saturating_sub(1));
        let digits = half.get(start..).unwrap_or_default();
        let mut content = Vec::with_capacity(33);
        if digits.first().is_some_and(|&byte| byte >= 0x80) {
            content.push(0);
        }
        content.extend_from_slice(digits);
        let mut out = vec![0x02, content.len() as u8];
        out.extend_from_slice(&content);
        out
    };
    let mut body = integer(signature.get(..32)?);
    body.extend(integer(signature.get(32..)?));
    let mut out = vec![0x30, body.len() as u8];
    out.extend_from_slice(&body);
    Some(out)
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Bytes from hexadecimal (either case); `None` for anything else.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|index| {
            text.get(index..index + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_shortest_unless_asked() {
        assert_eq!(int(0), [0x00]);
        assert_eq!(int(23), [0x17]);
        assert_eq!(int(24), [0x18, 24]);
        assert_eq!(int(-8), [0x27]);
        assert_eq!(int(65001), [0x19, 0xfd, 0xe9]);
        assert_eq!(int(-25_567), [0x39, 0x63, 0xde]);
        assert_eq!(head(major::BYTES, 1 << 32), [0x5b, 0, 0, 0, 1, 0, 0, 0, 0]);
        assert_eq!(head_with_size(major::UNSIGNED, 1, 1), [0x18, 0x01]);
        assert_eq!(
            head_with_size(major::UNSIGNED, 65001, 4),
            [0x1a, 0, 0, 0xfd, 0xe9]
        );
    }

    #[test]
    fn malleated_signature_adds_the_group_order() {
        let mut signature = vec![0u8; 64];
        signature[32] = 1;
        let malleated = malleate_signature(&signature).unwrap();
        assert_eq!(malleated[32], 0xee);
        assert_eq!(malleated[63], 0x10);
        assert_eq!(malleate_signature(&[0u8; 63]), None);
        assert_eq!(from_hex(&hex(&malleated)).unwrap(), malleated);
    }
}
