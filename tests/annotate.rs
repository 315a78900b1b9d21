//! An annotated hex dump of a signed certificate: every CBOR item on its own line, its
//! bytes on the left, what it means on the right, with the protected header and the
//! claims (CBOR inside byte strings) opened up in place.
//!
//! Written for the spec, from the bytes alone: nothing here uses certqr's decoder, so
//! the dump also shows that the bytes are what the spec says they are.

use certqr_core::catalog::Family;
use certqr_core::id_number::{IdNumber, Sex};
use time::macros::date;
use time::{Date, Duration};

use crate::forge::hex;

/// Why bytes could not be annotated (they are not the CBOR the dump expects).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnnotateError {
    /// The bytes end inside an item.
    #[error("truncated at byte {0}")]
    Truncated(usize),
    /// An item this dump does not draw (floats, indefinite lengths, ...).
    #[error("unsupported item at byte {0}")]
    Unsupported(usize),
    /// Bytes left after the document.
    #[error("{0} trailing bytes")]
    Trailing(usize),
}

/// What an item is, for its comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Message,
    Sign1Array,
    Protected,
    Unprotected,
    Payload,
    Signature,
    HeaderLabel,
    HeaderValue(i64),
    ClaimKey,
    ClaimValue(i64),
    Plain,
}

struct Line {
    depth: usize,
    hex: String,
    comment: String,
}

struct Head {
    major: u8,
    argument: u64,
    length: usize,
}

struct Annotator<'a> {
    bytes: &'a [u8],
    lines: Vec<Line>,
}

/// Bytes of string content shown on the head's line; longer content wraps below it.
const INLINE_CONTENT: usize = 20;
/// Bytes per wrapped line.
const WRAP: usize = 16;

/// Annotate a signed certificate (a COSE_Sign1 document).
pub fn certificate(document: &[u8]) -> Result<String, AnnotateError> {
    let mut annotator = Annotator {
        bytes: document,
        lines: Vec::new(),
    };
    let (end, _) = annotator.item(0, 0, Role::Message)?;
    if end != document.len() {
        return Err(AnnotateError::Trailing(document.len() - end));
    }
    Ok(annotator.render())
}

impl Annotator<'_> {
    fn byte(&self, offset: usize) -> Result<u8, AnnotateError> {
        self.bytes
            .get(offset)
            .copied()
            .ok_or(AnnotateError::Truncated(offset))
    }

    fn slice(&self, start: usize, length: usize) -> Result<&[u8], AnnotateError> {
        start
            .checked_add(length)
            .and_then(|end| self.bytes.get(start..end))
            .ok_or(AnnotateError::Truncated(start))
    }

    fn head(&self, offset: usize) -> Result<Head, AnnotateError> {
        let initial = self.byte(offset)?;
        let (major, info) = (initial >> 5, initial & 0x1f);
        let size = match info {
            0..=23 => 0,
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            _ => return Err(AnnotateError::Unsupported(offset)),
        };
        let argument = if size == 0 {
            u64::from(info)
        } else {
            self.slice(offset + 1, size)?
                .iter()
                .fold(0u64, |value, byte| (value << 8) | u64::from(*byte))
        };
        Ok(Head {
            major,
            argument,
            length: 1 + size,
        })
    }

    fn push(&mut self, depth: usize, hex: String, comment: String) {
        self.lines.push(Line {
            depth,
            hex,
            comment,
        });
    }

    /// Annotate the item at `offset`; return its end and, for an integer, its value.
    fn item(
        &mut self,
        offset: usize,
        depth: usize,
        role: Role,
    ) -> Result<(usize, Option<i64>), AnnotateError> {
        let head = self.head(offset)?;
        let head_hex = self.slice(offset, head.length).map(split_head)?;
        let start = offset + head.length;
        let count =
            usize::try_from(head.argument).map_err(|_| AnnotateError::Unsupported(offset))?;
        match head.major {
            0 | 1 => {
                let magnitude =
                    i64::try_from(head.argument).map_err(|_| AnnotateError::Unsupported(offset))?;
                let value = if head.major == 0 {
                    magnitude
                } else {
                    -1 - magnitude
                };
                self.push(depth, head_hex, integer_comment(role, value));
                Ok((start, Some(value)))
            }
            2 | 3 => {
                let content = self.slice(start, count)?.to_vec();
                let end = start + count;
                let embedded = matches!(role, Role::Protected | Role::Payload);
                let comment = string_comment(role, head.major, &content);
                if embedded {
                    self.push(depth, head_hex, comment);
                    let mut inner = Annotator {
                        bytes: &content,
                        lines: Vec::new(),
                    };
                    let inner_role = if role == Role::Protected {
                        Role::HeaderLabel
                    } else {
                        Role::ClaimKey
                    };
                    let (inner_end, _) = inner.map_or_item(0, depth + 1, inner_role)?;
                    if inner_end != content.len() {
                        return Err(AnnotateError::Trailing(content.len() - inner_end));
                    }
                    self.lines.extend(inner.lines);
                } else if content.len() <= INLINE_CONTENT {
                    self.push(depth, format!("{head_hex} {}", hex(&content)), comment);
                } else {
                    self.push(depth, head_hex, comment);
                    for chunk in content.chunks(WRAP) {
                        self.push(depth + 1, hex(chunk), String::new());
                    }
                }
                Ok((end, None))
            }
            4 => {
                self.push(depth, head_hex, array_comment(role, count));
                let mut position = start;
                for index in 0..count {
                    let item_role = match (role, index) {
                        (Role::Sign1Array, 0) => Role::Protected,
                        (Role::Sign1Array, 1) => Role::Unprotected,
                        (Role::Sign1Array, 2) => Role::Payload,
                        (Role::Sign1Array, 3) => Role::Signature,
                        _ => Role::Plain,
                    };
                    position = self.item(position, depth + 1, item_role)?.0;
                }
                Ok((position, None))
            }
            5 => {
                let comment = match role {
                    Role::Unprotected => {
                        format!("map of {count}: unprotected header, always empty")
                    }
                    _ => format!("map of {count}"),
                };
                self.push(depth, head_hex, comment);
                let mut position = start;
                for _ in 0..count {
                    let (key_end, _) = self.item(position, depth + 1, Role::Plain)?;
                    position = self.item(key_end, depth + 1, Role::Plain)?.0;
                }
                Ok((position, None))
            }
            6 => {
                let comment = if head.argument == 18 {
                    "tag 18: COSE_Sign1".to_owned()
                } else {
                    format!("tag {}", head.argument)
                };
                self.push(depth, head_hex, comment);
                let inner_role = if role == Role::Message {
                    Role::Sign1Array
                } else {
                    Role::Plain
                };
                self.item(start, depth + 1, inner_role)
            }
            _ => Err(AnnotateError::Unsupported(offset)),
        }
    }

    /// A map whose keys are header labels or claim keys, each value named after its key.
    fn map_or_item(
        &mut self,
        offset: usize,
        depth: usize,
        key_role: Role,
    ) -> Result<(usize, Option<i64>), AnnotateError> {
        let head = self.head(offset)?;
        if head.major != 5 {
            return self.item(offset, depth, Role::Plain);
        }
        let count =
            usize::try_from(head.argument).map_err(|_| AnnotateError::Unsupported(offset))?;
        let head_hex = self.slice(offset, head.length).map(split_head)?;
        let what = if key_role == Role::HeaderLabel {
            "protected header"
        } else {
            "claims"
        };
        self.push(depth, head_hex, format!("map of {count}: the {what}"));
        let mut position = offset + head.length;
        for _ in 0..count {
            let (key_end, key) = self.item(position, depth + 1, key_role)?;
            let key = key.ok_or(AnnotateError::Unsupported(position))?;
            let value_role = if key_role == Role::HeaderLabel {
                Role::HeaderValue(key)
            } else {
                Role::ClaimValue(key)
            };
            position = self.item(key_end, depth + 2, value_role)?.0;
        }
        Ok((position, None))
    }

    fn render(&self) -> String {
        let left = |line: &Line| format!("{}{}", "   ".repeat(line.depth), line.hex);
        let width = self
            .lines
            .iter()
            .map(|line| left(line).len())
            .max()
            .unwrap_or(0)
            + 2;
        let mut out = String::new();
        for line in &self.lines {
            let left = left(line);
            if line.comment.is_empty() {
                out.push_str(&left);
            } else {
                out.push_str(&format!("{left:<width$}# {}", line.comment));
            }
            out.push('\n');
        }
        out
    }
}

/// `19fde9` as `19 fde9`: the initial byte, then the argument.
fn split_head(bytes: &[u8]) -> String {
    match bytes.split_first() {
        Some((initial, [])) => hex(&[*initial]),
        Some((initial, rest)) => format!("{} {}", hex(&[*initial]), hex(rest)),
        None => String::new(),
    }
}

fn header_label_name(label: i64) -> &'static str {
    match label {
        1 => "alg",
        2 => "crit",
        3 => "content type",
        4 => "kid",
        _ => "unknown label",
    }
}

/// Claim keys, as the spec's claims table names them.
pub fn claim_name(key: i64) -> &'static str {
    match key {
        1 => "family",
        2 => "item",
        3 => "holder name",
        4 => "sex",
        5 => "identity card number",
        6 => "certificate number",
        7 => "first issued",
        8 => "valid from",
        9 => "valid until",
        10 => "review due",
        _ => "unknown key",
    }
}

fn day(days: i64) -> Option<Date> {
    date!(1970 - 01 - 01).checked_add(Duration::days(days))
}

fn integer_comment(role: Role, value: i64) -> String {
    match role {
        Role::HeaderLabel => format!("label {value}: {}", header_label_name(value)),
        Role::HeaderValue(1) if value == -8 => "-8: EdDSA (Ed25519)".to_owned(),
        Role::HeaderValue(3) => match value {
            65001 => "65001: certificate".to_owned(),
            65002 => "65002: trust list".to_owned(),
            _ => value.to_string(),
        },
        Role::ClaimKey => format!("key {value}: {}", claim_name(value)),
        Role::ClaimValue(1) => match u64::try_from(value).ok().and_then(Family::from_code) {
            Some(family) => format!(
                "{value}: {} ({})",
                family.name_en().to_lowercase(),
                family.name_zh()
            ),
            None => value.to_string(),
        },
        Role::ClaimValue(4) => match u64::try_from(value).ok().and_then(Sex::from_code) {
            Some(sex) => format!("{value}: {}", sex.name_en().to_lowercase()),
            None => value.to_string(),
        },
        Role::ClaimValue(5) => match u64::try_from(value).ok().map(IdNumber::from_digits) {
            Some(Ok(id_number)) => format!(
                "{value}: the first 17 digits; check character {} derived",
                id_number.as_str().chars().last().unwrap_or('?')
            ),
            _ => value.to_string(),
        },
        Role::ClaimValue(7..=10) => match day(value) {
            Some(date) => format!("{value}: {date} (days since 1970-01-01)"),
            None => value.to_string(),
        },
        _ => value.to_string(),
    }
}

fn string_comment(role: Role, major: u8, content: &[u8]) -> String {
    let length = content.len();
    match role {
        Role::Protected => format!("bytes ({length}): protected header, CBOR inside"),
        Role::Payload => format!("bytes ({length}): payload, the claims map inside"),
        Role::Signature => format!("bytes ({length}): Ed25519 signature over the Sig_structure"),
        Role::HeaderValue(4) => {
            format!("bytes ({length}): key id, SHA-256(issuer public key)[0..8]")
        }
        _ if major == 3 => format!("text ({length}): \"{}\"", String::from_utf8_lossy(content)),
        _ => format!("bytes ({length})"),
    }
}

fn array_comment(role: Role, count: usize) -> String {
    match role {
        Role::Sign1Array => {
            format!("array of {count}: [protected, unprotected, payload, signature]")
        }
        _ => format!("array of {count}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotates_nested_cbor_and_refuses_trailing_bytes() {
        let protected = [0xa1, 0x01, 0x27];
        let mut document = vec![0xd2, 0x84, 0x43];
        document.extend_from_slice(&protected);
        document.extend_from_slice(&[0xa0, 0x42, 0xa0, 0xa0, 0x40]);
        // The payload `a0 a0` holds a map and a trailing byte.
        assert_eq!(certificate(&document), Err(AnnotateError::Trailing(1)));
        document[7] = 0x41;
        document.remove(9);
        let dump = certificate(&document).unwrap();
        assert!(dump.contains("tag 18: COSE_Sign1"), "{dump}");
        assert!(dump.contains("label 1: alg"), "{dump}");
        assert!(dump.contains("-8: EdDSA (Ed25519)"), "{dump}");
        assert_eq!(
            certificate(&document[..5]),
            Err(AnnotateError::Truncated(3))
        );
    }
}
