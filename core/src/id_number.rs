//! The resident identity card number (公民身份号码) of GB 11643-1999.
//!
//! An [`IdNumber`] can only be built by [`IdNumber::parse`], so holding one means the
//! text has the right shape, a real birth date and a matching check character. The
//! number is personal data: [`Display`](std::fmt::Display) and [`Debug`] show only the
//! masked form, and no error message ever contains any part of the input.
//!
//! Layout (positions counted from 1, as the standard counts them):
//!
//! | positions | meaning |
//! |---|---|
//! | 1-6 | address (region) code, GB/T 2260 |
//! | 7-14 | birth date, `YYYYMMDD` |
//! | 15-17 | sequence code; position 17 odd for men, even for women |
//! | 18 | check character, ISO 7064 MOD 11-2 (`0`-`9` or `X`) |
//!
//! Of the region code only the first two digits, the province-level division, are
//! checked (see [`PROVINCE_CODES`]): the full GB/T 2260 table changes every year and old
//! numbers keep the codes of prefectures and counties that no longer exist, but the
//! province-level codes have been stable since 1997 (Chongqing, 50), so a number whose
//! first two digits are none of them (`000000`, `99...`) is impossible.

use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

/// Number of characters in an identity card number.
pub const LENGTH: usize = 18;

/// Earliest birth year accepted. The standard's own example `440524188001010014`
/// (born 1880) is therefore rejected: no living certificate holder was born before 1900.
pub const MIN_BIRTH_YEAR: i32 = 1900;

/// The province-level codes (省级行政区划代码), the first two digits of a GB/T 2260
/// region code (GB/T 2260-2007 《中华人民共和国行政区划代码》 and the Ministry of Civil
/// Affairs' yearly updates): the 34 province-level divisions, 11 to 82, and 83, the code
/// in the same place of the numbers of residence permits for Taiwan residents
/// (台湾居民居住证, 2018), which follow GB 11643 and are used for the same purposes.
///
/// | codes | divisions |
/// |---|---|
/// | 11-15 | Beijing, Tianjin, Hebei, Shanxi, Inner Mongolia |
/// | 21-23 | Liaoning, Jilin, Heilongjiang |
/// | 31-37 | Shanghai, Jiangsu, Zhejiang, Anhui, Fujian, Jiangxi, Shandong |
/// | 41-46 | Henan, Hubei, Hunan, Guangdong, Guangxi, Hainan |
/// | 50-54 | Chongqing, Sichuan, Guizhou, Yunnan, Tibet |
/// | 61-65 | Shaanxi, Gansu, Qinghai, Ningxia, Xinjiang |
/// | 71 | Taiwan |
/// | 81, 82 | Hong Kong, Macao (also the residence permits of their residents) |
/// | 83 | residence permits of Taiwan residents |
pub const PROVINCE_CODES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// ISO 7064 MOD 11-2 weights of the first 17 digits: 2^(17-i) mod 11 for index i from 0.
const WEIGHTS: [u32; LENGTH - 1] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for each value of the weighted sum mod 11.
const CHECK_CHARACTERS: [u8; 11] = *b"10X98765432";

/// A valid resident identity card number (公民身份号码), GB 11643-1999.
///
/// Always 18 ASCII characters: 17 digits and a check character that is a digit or an
/// uppercase `X`, with a real birth date no earlier than [`MIN_BIRTH_YEAR`].
/// `Display` and `Debug` print the [masked](IdNumber::masked) form only.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber {
    /// The 18 characters, check character normalised to uppercase.
    text: String,
    /// Birth date decoded from positions 7-14 at parse time.
    birth_date: Date,
    /// Sex decoded from position 17 at parse time.
    sex: Sex,
}

impl IdNumber {
    /// Parses and validates an identity card number.
    ///
    /// A lowercase `x` check character is accepted and stored as `X`; nothing else is
    /// normalised (no trimming, no full-width digits). Checks run in this order, and the
    /// first failure is returned: length, characters, province-level region code
    /// ([`PROVINCE_CODES`]), birth date, check character.
    ///
    /// # Errors
    ///
    /// [`IdNumberError`] says which check failed, without repeating the input.
    pub fn parse(text: &str) -> Result<IdNumber, IdNumberError> {
        let found = text.chars().count();
        if found != LENGTH {
            return Err(IdNumberError::WrongLength { found });
        }
        let mut normalised = String::with_capacity(LENGTH);
        for (index, character) in text.chars().enumerate() {
            let is_last = index == LENGTH - 1;
            let accepted = match character {
                '0'..='9' => character,
                'X' | 'x' if is_last => 'X',
                _ => {
                    return Err(IdNumberError::InvalidCharacter {
                        position: index + 1,
                    })
                }
            };
            normalised.push(accepted);
        }
        // From here on every character is ASCII, so bytes and characters coincide.
        let bytes = normalised.as_bytes();
        if !has_province_code(bytes) {
            return Err(IdNumberError::UnknownRegion);
        }
        let birth_date = birth_date_of(bytes).ok_or(IdNumberError::InvalidBirthDate)?;
        let (body, check) = bytes.split_at(LENGTH - 1);
        if check_character(body) != check.first().copied() {
            return Err(IdNumberError::WrongCheckCharacter);
        }
        // ASCII '0' is even, so a digit's byte has the digit's parity.
        let sex = match body.last() {
            Some(digit) if digit % 2 == 1 => Sex::Male,
            _ => Sex::Female,
        };
        Ok(IdNumber {
            text: normalised,
            birth_date,
            sex,
        })
    }

    /// The number whose first 17 digits are `digits` (zero-padded to 17), with the
    /// check character computed: the compact form certqr signs (the check character is
    /// derived, so it is not stored).
    ///
    /// # Errors
    ///
    /// [`IdNumberError::WrongLength`] when `digits` has more than 17 digits,
    /// [`IdNumberError::UnknownRegion`] when the first two are not a province-level
    /// code, and [`IdNumberError::InvalidBirthDate`] when positions 7-14 are not a real
    /// date.
    pub fn from_digits(digits: u64) -> Result<IdNumber, IdNumberError> {
        let body = format!("{digits:017}");
        if body.len() != LENGTH - 1 {
            return Err(IdNumberError::WrongLength {
                found: body.len() + 1,
            });
        }
        let check = check_character(body.as_bytes()).ok_or(IdNumberError::WrongCheckCharacter)?;
        IdNumber::parse(&format!("{body}{}", char::from(check)))
    }

    /// The first 17 digits as a number (the check character is derived from them).
    pub fn digits(&self) -> u64 {
        self.text
            .bytes()
            .take(LENGTH - 1)
            .fold(0, |value, digit| value * 10 + u64::from(digit - b'0'))
    }

    /// The full number, for storage and signing only; never log it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The number with positions 5-14 replaced by `*`: `1101**********123X`.
    ///
    /// This hides the birth date and most of the region code, the usual masking on
    /// Chinese certificate-lookup pages.
    pub fn masked(&self) -> String {
        let head = self.text.get(..4).unwrap_or_default();
        let tail = self.text.get(LENGTH - 4..).unwrap_or_default();
        format!("{head}{}{tail}", "*".repeat(LENGTH - 8))
    }

    /// Birth date encoded in positions 7-14.
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// Sex encoded in position 17: odd for male, even for female.
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// Address code (地址码) of GB/T 2260 in positions 1-6, for example `110105`.
    ///
    /// This is the holder's registered region when the number was issued, not a region
    /// known to still exist.
    pub fn region_code(&self) -> &str {
        self.text.get(..6).unwrap_or_default()
    }
}

impl FromStr for IdNumber {
    type Err = IdNumberError;

    fn from_str(text: &str) -> Result<IdNumber, IdNumberError> {
        IdNumber::parse(text)
    }
}

impl fmt::Display for IdNumber {
    /// Shows the masked form, so logs never hold the full number.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.masked())
    }
}

impl fmt::Debug for IdNumber {
    /// Shows the masked form, so debug output never holds the full number.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_tuple("IdNumber")
            .field(&self.masked())
            .finish()
    }
}

/// Whether positions 1-2 of an all-ASCII-digit prefix are one of [`PROVINCE_CODES`].
fn has_province_code(bytes: &[u8]) -> bool {
    match bytes {
        [tens @ b'0'..=b'9', units @ b'0'..=b'9', ..] => {
            PROVINCE_CODES.contains(&((tens - b'0') * 10 + (units - b'0')))
        }
        _ => false,
    }
}

/// Decodes `YYYYMMDD` at positions 7-14 of an all-ASCII-digit prefix.
fn birth_date_of(bytes: &[u8]) -> Option<Date> {
    let digits = bytes.get(6..14)?;
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        digits.get(range)?.iter().try_fold(0_u32, |value, digit| {
            digit
                .is_ascii_digit()
                .then(|| value * 10 + u32::from(digit - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    let month = Month::try_from(u8::try_from(number(4..6)?).ok()?).ok()?;
    let day = u8::try_from(number(6..8)?).ok()?;
    if year < MIN_BIRTH_YEAR {
        return None;
    }
    Date::from_calendar_date(year, month, day).ok()
}

/// ISO 7064 MOD 11-2 check character of 17 ASCII digits; `None` for any other input.
fn check_character(body: &[u8]) -> Option<u8> {
    if body.len() != WEIGHTS.len() || !body.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    let index = usize::try_from(sum % 11).ok()?;
    CHECK_CHARACTERS.get(index).copied()
}

/// Sex (性别) as recorded in an identity card number, coded as in GB/T 2261.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Male (男), code 1.
    Male,
    /// Female (女), code 2.
    Female,
}

impl Sex {
    /// GB/T 2261.1 code: 1 male, 2 female.
    pub fn code(self) -> u8 {
        match self {
            Sex::Male => 1,
            Sex::Female => 2,
        }
    }

    /// Inverse of [`Sex::code`]; `None` for any other value (including GB/T 2261.1's
    /// 0 "unknown" and 9 "unspecified", which an identity card number never encodes).
    pub fn from_code(code: u64) -> Option<Sex> {
        match code {
            1 => Some(Sex::Male),
            2 => Some(Sex::Female),
            _ => None,
        }
    }

    /// Chinese name as printed on certificates: 男 or 女.
    pub fn name_zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }

    /// English name: `male` or `female`.
    pub fn name_en(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// Why a text is not a valid identity card number.
///
/// No variant carries or prints any part of the input, which is personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdNumberError {
    /// Not exactly 18 characters.
    #[error("identity card number has {found} characters, expected 18")]
    WrongLength {
        /// Number of characters (Unicode scalar values, not bytes) found.
        found: usize,
    },
    /// A character other than an ASCII digit, or other than a digit or `X`/`x` in the
    /// last position.
    #[error("identity card number has an invalid character at position {position}")]
    InvalidCharacter {
        /// Position of the first bad character, counted from 1 as GB 11643 counts.
        position: usize,
    },
    /// Positions 1-2 are not a province-level code of GB/T 2260 ([`PROVINCE_CODES`]).
    #[error("identity card number does not start with a province-level region code")]
    UnknownRegion,
    /// Positions 7-14 are not a real calendar date in or after 1900.
    #[error("identity card number does not contain a valid birth date")]
    InvalidBirthDate,
    /// The last character does not match the ISO 7064 MOD 11-2 check of the others.
    #[error("identity card number has the wrong check character")]
    WrongCheckCharacter,
}

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests;
