//! Strict CBOR: the deterministic encoding of RFC 8949 §4.2.1, checked before decoding.
//!
//! `ciborium` decodes well-formed CBOR but accepts several encodings of the same value
//! (long-form integers, indefinite lengths, maps in any order, duplicate keys). Every
//! signed document here must have exactly one encoding, so each byte string is walked
//! once by [`check_deterministic`] before `ciborium` turns it into a [`Value`]. The walk
//! also bounds nesting depth and checks every declared length against the bytes that
//! are actually present, so a hostile length never reaches an allocator.

use std::cmp::Ordering;

pub use ciborium::value::Value;

/// Deepest nesting any certqr document needs (a trust list: map, array, map, array, array).
pub const MAX_DEPTH: usize = 8;

/// Why a byte string is not deterministically encoded CBOR of the kinds certqr uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CborError {
    /// The input ended inside an item.
    #[error("CBOR truncated at byte {offset}")]
    Truncated {
        /// Offset at which more bytes were needed.
        offset: usize,
    },
    /// Bytes follow the single top-level item.
    #[error("{count} trailing bytes after the CBOR item")]
    TrailingBytes {
        /// How many bytes follow.
        count: usize,
    },
    /// An indefinite-length string, array or map.
    #[error("indefinite length at byte {offset}")]
    IndefiniteLength {
        /// Offset of the item's first byte.
        offset: usize,
    },
    /// An integer, length or tag written in more bytes than needed.
    #[error("non-minimal integer or length encoding at byte {offset}")]
    NonMinimalEncoding {
        /// Offset of the item's first byte.
        offset: usize,
    },
    /// Map keys not in bytewise lexicographic order of their encodings.
    #[error("map keys out of deterministic order at byte {offset}")]
    UnsortedMapKeys {
        /// Offset of the out-of-order key.
        offset: usize,
    },
    /// The same key twice in one map.
    #[error("duplicate map key at byte {offset}")]
    DuplicateMapKey {
        /// Offset of the second occurrence.
        offset: usize,
    },
    /// A text string that is not UTF-8.
    #[error("text string is not UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Offset of the string's first byte.
        offset: usize,
    },
    /// A declared length larger than the remaining input.
    #[error("declared length {declared} exceeds the {available} bytes left at byte {offset}")]
    LengthExceedsInput {
        /// Offset of the item's first byte.
        offset: usize,
        /// The length the item declares.
        declared: u64,
        /// Bytes left in the input.
        available: usize,
    },
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("nesting deeper than {MAX_DEPTH}")]
    TooDeep,
    /// Floating point, undefined, reserved simple values or reserved additional information.
    #[error("unsupported CBOR item (major type {major}, additional information {info}) at byte {offset}")]
    UnsupportedItem {
        /// Offset of the item's first byte.
        offset: usize,
        /// Major type (0..=7).
        major: u8,
        /// Additional information (low five bits).
        info: u8,
    },
}

/// Check that `bytes` is exactly one deterministically encoded CBOR item.
pub fn check_deterministic(bytes: &[u8]) -> Result<(), CborError> {
    let mut walker = Walker { bytes, offset: 0 };
    walker.item(0)?;
    let count = bytes.len() - walker.offset;
    if count > 0 {
        return Err(CborError::TrailingBytes { count });
    }
    Ok(())
}

/// Check `bytes` with [`check_deterministic`], then decode it.
pub fn decode(bytes: &[u8]) -> Result<Value, CborError> {
    check_deterministic(bytes)?;
    // The walk above proved the input well formed, definite and shallow, so ciborium
    // cannot fail here; map a failure to the first byte rather than trusting that.
    ciborium::de::from_reader(bytes).map_err(|_| CborError::Truncated { offset: 0 })
}

/// Encode `value` deterministically: maps are written with their keys sorted by encoding.
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Array(items) => {
            write_head(4, items.len() as u64, out);
            for item in items {
                write(item, out);
            }
        }
        Value::Map(entries) => {
            let mut encoded: Vec<(Vec<u8>, Vec<u8>)> = entries
                .iter()
                .map(|(key, value)| (encode(key), encode(value)))
                .collect();
            encoded.sort_by(|a, b| a.0.cmp(&b.0));
            write_head(5, encoded.len() as u64, out);
            for (key, value) in encoded {
                out.extend_from_slice(&key);
                out.extend_from_slice(&value);
            }
        }
        Value::Tag(tag, inner) => {
            write_head(6, *tag, out);
            write(inner, out);
        }
        Value::Bytes(bytes) => {
            write_head(2, bytes.len() as u64, out);
            out.extend_from_slice(bytes);
        }
        Value::Text(text) => {
            write_head(3, text.len() as u64, out);
            out.extend_from_slice(text.as_bytes());
        }
        Value::Integer(integer) => {
            let integer = i128::from(*integer);
            if integer >= 0 {
                write_head(0, integer as u64, out);
            } else {
                write_head(1, (-1 - integer) as u64, out);
            }
        }
        Value::Bool(false) => out.push(0xf4),
        Value::Bool(true) => out.push(0xf5),
        Value::Null => out.push(0xf6),
        // certqr never writes floats or other simple values; ciborium's own encoder
        // is used for anything else so nothing is silently dropped.
        other => {
            let _ = ciborium::ser::into_writer(other, &mut *out);
        }
    }
}

/// Write the shortest head of major type `major` with `argument`.
pub(crate) fn write_head(major: u8, argument: u64, out: &mut Vec<u8>) {
    let major = major << 5;
    match argument {
        0..=23 => out.push(major | argument as u8),
        24..=0xff => out.extend_from_slice(&[major | 24, argument as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend_from_slice(&(argument as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend_from_slice(&(argument as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend_from_slice(&argument.to_be_bytes());
        }
    }
}

struct Walker<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl Walker<'_> {
    fn take(&mut self, count: usize) -> Result<&[u8], CborError> {
        let end = self
            .offset
            .checked_add(count)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(CborError::Truncated {
                offset: self.offset,
            })?;
        let slice = self
            .bytes
            .get(self.offset..end)
            .ok_or(CborError::Truncated {
                offset: self.offset,
            })?;
        self.offset = end;
        Ok(slice)
    }

    /// Read an item's head: major type, additional information and minimal argument.
    fn head(&mut self) -> Result<(u8, u8, u64), CborError> {
        let start = self.offset;
        let initial = *self
            .take(1)?
            .first()
            .ok_or(CborError::Truncated { offset: start })?;
        let (major, info) = (initial >> 5, initial & 0x1f);
        let (argument, minimum) = match info {
            0..=23 => (u64::from(info), 0),
            24 => (u64::from(u8::from_be_bytes(self.uint_bytes::<1>()?)), 24),
            25 => (
                u64::from(u16::from_be_bytes(self.uint_bytes::<2>()?)),
                0x100,
            ),
            26 => (
                u64::from(u32::from_be_bytes(self.uint_bytes::<4>()?)),
                0x1_0000,
            ),
            27 => (u64::from_be_bytes(self.uint_bytes::<8>()?), 0x1_0000_0000),
            31 if matches!(major, 2..=5) => {
                return Err(CborError::IndefiniteLength { offset: start })
            }
            _ => {
                return Err(CborError::UnsupportedItem {
                    offset: start,
                    major,
                    info,
                })
            }
        };
        // Simple values and floats (major 7) are judged by `item`, not here.
        if major != 7 && argument < minimum {
            return Err(CborError::NonMinimalEncoding { offset: start });
        }
        Ok((major, info, argument))
    }

    fn uint_bytes<const N: usize>(&mut self) -> Result<[u8; N], CborError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn length(&self, start: usize, declared: u64) -> Result<usize, CborError> {
        let available = self.bytes.len() - self.offset;
        usize::try_from(declared)
            .ok()
            .filter(|length| *length <= available)
            .ok_or(CborError::LengthExceedsInput {
                offset: start,
                declared,
                available,
            })
    }

    fn item(&mut self, depth: usize) -> Result<(), CborError> {
        if depth > MAX_DEPTH {
            return Err(CborError::TooDeep);
        }
        let start = self.offset;
        let (major, info, argument) = self.head()?;
        match major {
            0 | 1 => Ok(()),
            2 => {
                let length = self.length(start, argument)?;
                self.take(length).map(|_| ())
            }
            3 => {
                let length = self.length(start, argument)?;
                let text = self.take(length)?;
                std::str::from_utf8(text)
                    .map(|_| ())
                    .map_err(|_| CborError::InvalidUtf8 { offset: start })
            }
            4 => {
                // Every item takes at least one byte: a count beyond the input is a lie.
                self.length(start, argument)?;
                for _ in 0..argument {
                    self.item(depth + 1)?;
                }
                Ok(())
            }
            5 => {
                self.length(start, argument.saturating_mul(2))?;
                let mut previous: Option<(usize, usize)> = None;
                for _ in 0..argument {
                    let key_start = self.offset;
                    self.item(depth + 1)?;
                    let key = (key_start, self.offset);
                    if let Some(previous) = previous {
                        let before = self.bytes.get(previous.0..previous.1);
                        let this = self.bytes.get(key.0..key.1);
                        match before.cmp(&this) {
                            Ordering::Less => {}
                            Ordering::Equal => {
                                return Err(CborError::DuplicateMapKey { offset: key_start })
                            }
                            Ordering::Greater => {
                                return Err(CborError::UnsortedMapKeys { offset: key_start })
                            }
                        }
                    }
                    previous = Some(key);
                    self.item(depth + 1)?;
                }
                Ok(())
            }
            // Bignums (tags 2 and 3): ciborium turns one that fits 128 bits into a plain
            // integer, a second encoding of the same value. certqr uses none.
            6 if matches!(argument, 2 | 3) => Err(CborError::UnsupportedItem {
                offset: start,
                major,
                info,
            }),
            6 => self.item(depth + 1),
            // false, true, null; floats, undefined and the rest are not used by certqr.
            _ if matches!(info, 20..=22) => Ok(()),
            _ => Err(CborError::UnsupportedItem {
                offset: start,
                major,
                info,
            }),
        }
    }
}

#[cfg(test)]
mod tests;
