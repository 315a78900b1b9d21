//! The QR text form: a versioned prefix, then Base45 (RFC 9285) of the signed document,
//! raw DEFLATE (RFC 1951) first only when that makes the text shorter.
//!
//! Every character of the text is in the QR alphanumeric set, so a QR encoder packs
//! it at 5.5 bits per character instead of 8.

/// Prefix of a certqr text that holds the document as is.
pub const PREFIX: &str = "CQ1:";
/// Prefix of a certqr text that holds the document compressed with raw DEFLATE.
pub const PREFIX_DEFLATE: &str = "CQ1Z:";
/// The longest text read: the capacity of a version 40 QR code in alphanumeric mode.
pub const MAX_TEXT_LENGTH: usize = 4296;
/// The largest document, after inflating, that is read. A bigger one is refused as soon
/// as inflating passes this size, so a decompression bomb costs at most this much memory.
pub const MAX_DOCUMENT_LENGTH: usize = 4096;

/// Why a text is not a readable certqr document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// The text does not start with a certqr prefix.
    #[error("not certqr text")]
    NotCertqr,
    /// A certqr prefix of a version this library does not read.
    #[error("unsupported certqr text version {version:?}")]
    UnsupportedVersion {
        /// The prefix found, up to its colon.
        version: String,
    },
    /// Longer than any QR code holds.
    #[error("text of {length} characters is longer than the {MAX_TEXT_LENGTH} a QR code holds")]
    TooLong {
        /// Length in characters.
        length: usize,
    },
    /// Not valid Base45: a character outside the alphabet (lowercase, whitespace, ...),
    /// a dangling character or a triple above 65535.
    #[error("invalid Base45")]
    Base45,
    /// The DEFLATE stream is corrupt or truncated.
    #[error("invalid DEFLATE data")]
    Inflate,
    /// Inflating went past [`MAX_DOCUMENT_LENGTH`].
    #[error("document inflates to more than {MAX_DOCUMENT_LENGTH} bytes")]
    InflatedTooLarge,
    /// Empty after the prefix, or a compressed stream that inflates to nothing.
    #[error("no data after the prefix")]
    Empty,
}

/// Encode a signed document as QR text, compressing only when that is shorter.
pub fn encode(document: &[u8]) -> String {
    let plain = base45::encode(document);
    let compressed = miniz_oxide::deflate::compress_to_vec(document, 10);
    let deflated = base45::encode(&compressed);
    if PREFIX_DEFLATE.len() + deflated.len() < PREFIX.len() + plain.len() {
        format!("{PREFIX_DEFLATE}{deflated}")
    } else {
        format!("{PREFIX}{plain}")
    }
}

/// Whether `text` claims to be certqr text (of any version): "CQ", digits, optional "Z", ":".
pub fn looks_like_certqr(text: &str) -> bool {
    version_prefix(text).is_some()
}

fn version_prefix(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("CQ")?;
    let colon = rest.find(':')?;
    let version = rest.get(..colon)?;
    let digits = version.strip_suffix('Z').unwrap_or(version);
    (!digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.get(..colon + 3))
        .flatten()
}

/// Decode certqr text back into the signed document bytes.
pub fn decode(text: &str) -> Result<Vec<u8>, TextError> {
    let (body, deflated) = if let Some(body) = text.strip_prefix(PREFIX) {
        (body, false)
    } else if let Some(body) = text.strip_prefix(PREFIX_DEFLATE) {
        (body, true)
    } else if let Some(prefix) = version_prefix(text) {
        return Err(TextError::UnsupportedVersion {
            version: prefix.to_owned(),
        });
    } else {
        return Err(TextError::NotCertqr);
    };
    if text.len() > MAX_TEXT_LENGTH {
        return Err(TextError::TooLong {
            length: text.chars().count(),
        });
    }
    if body.is_empty() {
        return Err(TextError::Empty);
    }
    // RFC 9285 §4: a final pair encodes one byte, so its value must not exceed 255.
    // The base45 crate takes such a pair modulo 256, which would give one document
    // several texts.
    if body.len() % 3 == 2 {
        let mut tail = body.bytes().rev().take(2).map(base45_value);
        if let (Some(Some(second)), Some(Some(first))) = (tail.next(), tail.next()) {
            if first + 45 * second > 255 {
                return Err(TextError::Base45);
            }
        }
    }
    let bytes = base45::decode(body).map_err(|_| TextError::Base45)?;
    if !deflated {
        return Ok(bytes);
    }
    let document = inflate(&bytes)?;
    // A stream that inflates to nothing holds no document, like a text with nothing
    // after its prefix: `encode` never writes one.
    if document.is_empty() {
        return Err(TextError::Empty);
    }
    Ok(document)
}

fn base45_value(character: u8) -> Option<u32> {
    const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    ALPHABET
        .iter()
        .position(|&c| c == character)
        .and_then(|value| u32::try_from(value).ok())
}

/// Inflate one complete raw DEFLATE stream that fills the whole input, into at most
/// [`MAX_DOCUMENT_LENGTH`] bytes. Bytes after the end of the stream are refused, so a
/// document has exactly one compressed text.
fn inflate(compressed: &[u8]) -> Result<Vec<u8>, TextError> {
    use miniz_oxide::inflate::stream::{inflate, InflateState};
    use miniz_oxide::{DataFormat, MZFlush, MZStatus};

    let mut state = InflateState::new_boxed(DataFormat::Raw);
    let mut output = vec![0u8; MAX_DOCUMENT_LENGTH + 1];
    let result = inflate(&mut state, compressed, &mut output, MZFlush::Finish);
    if result.bytes_written > MAX_DOCUMENT_LENGTH {
        return Err(TextError::InflatedTooLarge);
    }
    match result.status {
        Ok(MZStatus::StreamEnd) if result.bytes_consumed == compressed.len() => {
            output.truncate(result.bytes_written);
            Ok(output)
        }
        _ => Err(TextError::Inflate),
    }
}

#[cfg(test)]
mod tests;
