//! The characters a name may hold: a holder's name and an authority's name.
//!
//! A name that displays differently from its bytes is a forgery tool: `张三` followed by
//! a zero-width space looks like `张三` on the card and in the app but is another
//! string, and a right-to-left override (U+202E) reorders what follows it on screen.
//! So a name is refused, when issuing and when verifying, unless:
//!
//! - it is not empty;
//! - it holds no character of the Unicode general categories Cc (control), Cf (format:
//!   zero-width spaces and joiners, byte order mark, soft hyphen, every bidirectional
//!   control), Zl (line separator) or Zp (paragraph separator);
//! - its only space character is U+0020: other space separators (Zs: no-break space,
//!   ideographic space U+3000, en space, ...) look like it but compare differently;
//! - it neither starts nor ends with a space, and holds no two spaces in a row;
//! - it is in Unicode Normalization Form C (NFC), so that a name that looks the same has
//!   the same bytes. Text is checked, never normalised: a signature covers the exact
//!   bytes. A CJK compatibility ideograph that NFC maps to a unified ideograph (U+F900
//!   to U+FAFF, most of them) is therefore refused; write the unified ideograph.
//!
//! Unassigned code points and private-use characters are not refused: ideographs for
//! rare name characters (生僻字) keep being added to Unicode, and a verifier with older
//! tables must not refuse a name written with newer ones.
//!
//! [`escaped`] turns every character a name may not hold (and any unassigned or
//! private-use one) into a visible `\u{202E}` escape, for showing untrusted text.
//!
//! The rules are those of docs/format.md §5.4 and §6.2. Length limits belong to each
//! field and are checked there. Errors name the position and the code point of an
//! invisible or space character, never the name's letters.

use std::borrow::Cow;
use std::fmt::Write as _;

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::GeneralCategory;
use icu_properties::CodePointMapData;

/// Why a text is not an acceptable name.
///
/// No variant carries the name's letters: an invisible or space character is shown as
/// its code point, which is not personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// The name is empty.
    #[error("name is empty")]
    Empty,
    /// The name has more characters than the field allows.
    #[error("name has {found} characters, at most {max} allowed")]
    TooLong {
        /// Number of characters (Unicode scalar values) found.
        found: usize,
        /// Most characters allowed.
        max: usize,
    },
    /// A control, format, line or paragraph separator character (general category Cc,
    /// Cf, Zl or Zp), or a space other than U+0020.
    #[error("name has an invisible or non-standard space character U+{code_point:04X} at position {position}")]
    DisallowedCharacter {
        /// Position of the first such character, counted from 1 in characters.
        position: usize,
        /// Its code point.
        code_point: u32,
    },
    /// The name starts or ends with a space.
    #[error("name starts or ends with a space")]
    SurroundingSpace,
    /// Two spaces in a row.
    #[error("name has two spaces in a row at position {position}")]
    DoubledSpace {
        /// Position of the second space, counted from 1 in characters.
        position: usize,
    },
    /// The name is not in Unicode Normalization Form C.
    #[error("name is not in Unicode normalization form C (NFC)")]
    NotNormalized,
}

/// Checks that `text` is a name: not empty, no disallowed character, no surrounding or
/// doubled space, in NFC (see the [module documentation](self)). Lengths are the
/// caller's: see [`check_with_length`] for a limit in characters.
///
/// # Errors
///
/// The first rule that fails. Checks run in this order: empty; then character by
/// character, a disallowed character or a doubled space; a surrounding space; NFC.
/// [`NameError::TooLong`] is only returned by [`check_with_length`].
pub fn check(text: &str) -> Result<(), NameError> {
    if text.is_empty() {
        return Err(NameError::Empty);
    }
    let mut previous_space = false;
    for (index, character) in text.chars().enumerate() {
        if is_disallowed(character) {
            return Err(NameError::DisallowedCharacter {
                position: index + 1,
                code_point: u32::from(character),
            });
        }
        let space = character == ' ';
        if space && previous_space {
            return Err(NameError::DoubledSpace {
                position: index + 1,
            });
        }
        previous_space = space;
    }
    if text.starts_with(' ') || text.ends_with(' ') {
        return Err(NameError::SurroundingSpace);
    }
    if !ComposingNormalizerBorrowed::new_nfc().is_normalized(text) {
        return Err(NameError::NotNormalized);
    }
    Ok(())
}

/// [`check`], after checking that `text` has at most `max_chars` characters.
///
/// # Errors
///
/// [`NameError::TooLong`], or what [`check`] returns.
pub fn check_with_length(text: &str, max_chars: usize) -> Result<(), NameError> {
    let found = text.chars().count();
    if found > max_chars {
        return Err(NameError::TooLong {
            found,
            max: max_chars,
        });
    }
    check(text)
}

/// Whether a name may not hold `character`: general category Cc, Cf, Zl or Zp, or a
/// space separator (Zs) other than U+0020.
pub fn is_disallowed(character: char) -> bool {
    match CodePointMapData::<GeneralCategory>::new().get(character) {
        GeneralCategory::Control
        | GeneralCategory::Format
        | GeneralCategory::LineSeparator
        | GeneralCategory::ParagraphSeparator => true,
        GeneralCategory::SpaceSeparator => character != ' ',
        _ => false,
    }
}

/// Whether `character` is shown as an escape by [`escaped`]: a character a name may not
/// hold, or an unassigned, private-use or surrogate code point, whose look depends on
/// the font if it has one at all.
fn is_shown_escaped(character: char) -> bool {
    is_disallowed(character)
        || matches!(
            CodePointMapData::<GeneralCategory>::new().get(character),
            GeneralCategory::Unassigned | GeneralCategory::PrivateUse | GeneralCategory::Surrogate
        )
}

/// `text` with every character that is not plainly printable (see [`is_disallowed`],
/// plus unassigned and private-use code points) written as a visible Rust-style escape,
/// `\u{202E}`, and every backslash doubled so that an escape cannot be faked. Borrowed
/// when nothing needs escaping.
///
/// For showing text that may not have passed [`check`], such as the fields of a
/// certificate that failed verification.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|character| character == '\\' || is_shown_escaped(character))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        if character == '\\' {
            out.push_str("\\\\");
        } else if is_shown_escaped(character) {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{{{:X}}}", u32::from(character));
        } else {
            out.push(character);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests;
