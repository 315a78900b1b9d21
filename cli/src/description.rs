//! Description files (`.toml` or `.json`) that `trust-list create` and `issue` read, and
//! the date and time fields they hold.
//!
//! Dates are `"YYYY-MM-DD"` strings, times RFC 3339 strings; in TOML the native date
//! and offset date-time values are accepted as well (`valid_from = 2025-01-01`).
//! Either may instead be relative to when the command runs: `"now"` (a time),
//! `"today"` (a date, in China's time zone, UTC+8), or a sign, a whole number and a
//! unit, `d` (days), `h` (hours, times only) or `w` (weeks): `"+90d"`, `"-1d"`,
//! `"+12h"`. Examples and scripts then stay valid whenever they run.

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};

use crate::error::CliError;
use crate::files;

/// The format of a description file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.toml`
    Toml,
    /// `.json`
    Json,
}

impl Format {
    /// The format of the file at `path`, from its extension (case-insensitive).
    pub fn of(path: &Path) -> Result<Format, CliError> {
        let extension = path
            .extension()
            .and_then(|extension| extension.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("toml") => Ok(Format::Toml),
            Some("json") => Ok(Format::Json),
            _ => Err(CliError::in_file(
                path,
                "未知的描述文件格式：文件名须以 .toml 或 .json 结尾",
                "unknown description format: the file name must end in .toml or .json",
            )),
        }
    }
}

/// Reads and parses the description file at `path`.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<T, CliError> {
    let format = Format::of(path)?;
    let text = files::read_text(path, files::MAX_DESCRIPTION_BYTES)?;
    parse(&text, format).map_err(|problem| CliError::in_file(path, "描述文件有误", problem))
}

/// Parses description text; the error says where and what, on one line.
pub fn parse<T: DeserializeOwned>(text: &str, format: Format) -> Result<T, String> {
    match format {
        Format::Toml => toml::from_str(text).map_err(|error| toml_problem(text, &error)),
        Format::Json => serde_json::from_str(text)
            .map_err(|error| format!("invalid JSON: {}", without_values(&error.to_string()))),
    }
}

/// A TOML error as "invalid TOML at line L, column C: message". The `toml` crate's own
/// rendering quotes the offending line, which may hold personal data.
fn toml_problem(text: &str, error: &toml::de::Error) -> String {
    let message = without_values(error.message().trim_end_matches('\n'));
    let Some(before) = error.span().and_then(|span| text.get(..span.start)) else {
        return format!("invalid TOML: {message}");
    };
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |start| start.chars().count())
        + 1;
    format!("invalid TOML at line {line}, column {column}: {message}")
}

/// `message` (from serde) with every value replaced by `…`: serde quotes the offending
/// value (`invalid type: integer `3201…``, `unknown variant `张建国``, `string "…"`),
/// which may be personal data. Quoted names made of lowercase ASCII letters, digits, `_`
/// and `-` (field names, family slugs) are kept so the message still says what is wrong.
pub fn without_values(message: &str) -> String {
    let is_name = |part: &str| {
        part.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    };
    let mut out = String::with_capacity(message.len());
    for (index, part) in message.split('`').enumerate() {
        if index % 2 == 0 {
            out.push_str(&without_string_values(part));
        } else {
            out.push('`');
            out.push_str(if is_name(part) { part } else { "…" });
            out.push('`');
        }
    }
    out
}

/// `text` with each `string "…"` value (serde's way of showing an unexpected string)
/// replaced by `string "…"`.
fn without_string_values(text: &str) -> String {
    const MARK: &str = "string \"";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(MARK) {
        let (before, after) = rest.split_at(start + MARK.len());
        out.push_str(before);
        out.push_str("…\"");
        // Skip to the closing quote, past escaped characters.
        let mut chars = after.char_indices();
        let mut end = after.len();
        while let Some((position, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    end = position + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = after.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// A calendar date: `"YYYY-MM-DD"`, or a TOML local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateField(pub Date);

/// A point in time: an RFC 3339 string, or a TOML offset date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeField(pub OffsetDateTime);

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Parses `"YYYY-MM-DD"`, `"today"` or a relative date such as `"+365d"`, against the
/// system clock.
pub fn parse_date(text: &str) -> Result<Date, String> {
    parse_date_at(text, OffsetDateTime::now_utc())
}

/// Parses `"YYYY-MM-DD"`, `"today"` or a relative date (`"+365d"`, `"-1w"`), the
/// latter two from the date in China (UTC+8) at `now`.
pub fn parse_date_at(text: &str, now: OffsetDateTime) -> Result<Date, String> {
    let today = certqr_core::certificate::china_date(now);
    let relative = match text {
        "today" => Some(Ok(Duration::ZERO)),
        _ => relative(text, false),
    };
    match relative {
        Some(offset) => offset.and_then(|offset| {
            today
                .checked_add(offset)
                .ok_or_else(|| format!("invalid date {text:?}: out of range"))
        }),
        None => Date::parse(text, DATE_FORMAT).map_err(|_| {
            format!("invalid date {text:?}: expected YYYY-MM-DD, \"today\" or \"+365d\"")
        }),
    }
}

/// Parses an RFC 3339 time such as `2025-06-01T09:00:00+08:00`, `"now"` or a relative
/// time such as `"+90d"`, against the system clock.
pub fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    parse_time_at(text, OffsetDateTime::now_utc())
}

/// Parses an RFC 3339 time, `"now"` or a relative time (`"+90d"`, `"-12h"`) from
/// `now`, to the whole second.
pub fn parse_time_at(text: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let relative = match text {
        "now" => Some(Ok(Duration::ZERO)),
        _ => relative(text, true),
    };
    match relative {
        Some(offset) => offset.and_then(|offset| {
            now.replace_nanosecond(0)
                .ok()
                .and_then(|now| now.checked_add(offset))
                .ok_or_else(|| format!("invalid time {text:?}: out of range"))
        }),
        None => OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
            format!(
                "invalid time {text:?}: expected RFC 3339, such as 2025-06-01T09:00:00+08:00, \
                 \"now\" or \"+90d\""
            )
        }),
    }
}

/// The offset of a relative date or time: `+` or `-`, 1 to 5 digits, and a unit
/// (`d`, `w`, and with `hours` also `h`). `None` when `text` does not start with a
/// sign (it is then an absolute date or time).
fn relative(text: &str, hours: bool) -> Option<Result<Duration, String>> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'+') => (false, text.get(1..)?),
        Some(b'-') => (true, text.get(1..)?),
        _ => return None,
    };
    let expected = if hours {
        "a relative time is a sign, a whole number and d, w or h: \"+90d\", \"-12h\""
    } else {
        "a relative date is a sign, a whole number and d or w: \"+365d\", \"-1w\""
    };
    let problem = || format!("invalid relative {text:?}: {expected}");
    let unit = rest.chars().last();
    let digits = rest.get(..rest.len().saturating_sub(1)).unwrap_or_default();
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Err(problem()));
    }
    let count: i64 = match digits.parse() {
        Ok(count) => count,
        Err(_) => return Some(Err(problem())),
    };
    let count = if negative { -count } else { count };
    Some(match unit {
        Some('d') => Ok(Duration::days(count)),
        Some('w') => Ok(Duration::weeks(count)),
        Some('h') if hours => Ok(Duration::hours(count)),
        _ => Err(problem()),
    })
}

/// Visits a string, or the map a TOML date-time arrives as, and hands over its text.
struct DateTimeText {
    expecting: &'static str,
}

impl<'de> Visitor<'de> for DateTimeText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<String, E> {
        Ok(text.to_owned())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        let datetime =
            toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(datetime.to_string())
    }
}

impl<'de> Deserialize<'de> for DateField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = deserializer.deserialize_any(DateTimeText {
            expecting: "a date \"YYYY-MM-DD\" (or \"today\", \"+365d\")",
        })?;
        parse_date(&text).map(DateField).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for TimeField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = deserializer.deserialize_any(DateTimeText {
            expecting:
                "an RFC 3339 time such as \"2025-06-01T09:00:00+08:00\" (or \"now\", \"+90d\")",
        })?;
        parse_time(&text).map(TimeField).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Example {
        day: DateField,
        at: TimeField,
    }

    #[test]
    fn refusal_reasons_hold_no_values() {
        let table = [
            (
                "invalid type: integer `320102198506121234`, expected a string at line 1 column 40",
                "invalid type: integer `…`, expected a string at line 1 column 40",
            ),
            (
                "unknown variant `张建国`, expected one of `special-operations`, `special-equipment`",
                "unknown variant `…`, expected one of `special-operations`, `special-equipment`",
            ),
            ("missing field `valid_from`", "missing field `valid_from`"),
            ("no quotes here", "no quotes here"),
            (
                "invalid type: string \"王志强\", expected u32 at line 3 column 20",
                "invalid type: string \"…\", expected u32 at line 3 column 20",
            ),
            (
                "invalid type: string \"a\\\"b\", expected u32",
                "invalid type: string \"…\", expected u32",
            ),
        ];
        for (message, expected) in table {
            assert_eq!(without_values(message), expected);
        }
    }

    #[test]
    fn toml_accepts_strings_and_native_values() {
        let expected = Example {
            day: DateField(time::macros::date!(2025 - 01 - 31)),
            at: TimeField(time::macros::datetime!(2025-01-01 08:00 +08:00)),
        };
        for text in [
            "day = \"2025-01-31\"\nat = \"2025-01-01T08:00:00+08:00\"",
            "day = 2025-01-31\nat = 2025-01-01T08:00:00+08:00",
        ] {
            assert_eq!(parse::<Example>(text, Format::Toml), Ok(expected));
        }
        let json = r#"{"day": "2025-01-31", "at": "2025-01-01T00:00:00Z"}"#;
        assert_eq!(parse::<Example>(json, Format::Json), Ok(expected));
    }

    #[test]
    fn relative_dates_and_times_count_from_now() {
        let now = time::macros::datetime!(2026-12-04 18:30:15.5 UTC);
        let times = [
            ("now", time::macros::datetime!(2026-12-04 18:30:15 UTC)),
            ("+90d", time::macros::datetime!(2027-03-04 18:30:15 UTC)),
            ("-1d", time::macros::datetime!(2026-12-03 18:30:15 UTC)),
            ("+12h", time::macros::datetime!(2026-12-05 06:30:15 UTC)),
            ("+2w", time::macros::datetime!(2026-12-18 18:30:15 UTC)),
            (
                "2025-06-01T09:00:00+08:00",
                time::macros::datetime!(2025-06-01 09:00 +08:00),
            ),
        ];
        for (text, expected) in times {
            assert_eq!(parse_time_at(text, now), Ok(expected), "{text}");
        }
        // 18:30 UTC is already the next day in China.
        let dates = [
            ("today", time::macros::date!(2026 - 12 - 05)),
            ("+365d", time::macros::date!(2027 - 12 - 05)),
            ("-30d", time::macros::date!(2026 - 11 - 05)),
            ("2025-01-31", time::macros::date!(2025 - 01 - 31)),
        ];
        for (text, expected) in dates {
            assert_eq!(parse_date_at(text, now), Ok(expected), "{text}");
        }
        for bad in [
            "+", "+d", "90d", "+90", "+90m", "+1.5d", "+123456d", "+-1d", "+ 1d",
        ] {
            assert!(parse_time_at(bad, now).is_err(), "{bad}");
        }
        assert!(parse_date_at("+12h", now).is_err(), "hours are not a date");
        assert!(parse_date_at("now", now).is_err(), "now is a time");
    }

    #[test]
    fn bad_descriptions_say_where_and_what() {
        let table: [(&str, Format, &str); 6] = [
            (
                "day = \"2025-02-30\"\nat = \"2025-01-01T00:00:00Z\"",
                Format::Toml,
                "line 1, column 7: invalid date \"2025-02-30\"",
            ),
            (
                "day = 2025-01-31\nat = 2025-01-01T08:00:00",
                Format::Toml,
                "line 2, column 6: invalid time",
            ),
            ("day = 2025-01-31", Format::Toml, "missing field `at`"),
            (
                "day = 2025-01-31\nat = 2025-01-01T00:00:00Z\nextra = 1",
                Format::Toml,
                "line 3, column 1: unknown field `extra`",
            ),
            ("day = ", Format::Toml, "invalid TOML at line 1"),
            (
                r#"{"day": "2025-01-31"}"#,
                Format::Json,
                "invalid JSON: missing field `at`",
            ),
        ];
        for (text, format, expected) in table {
            let problem = parse::<Example>(text, format).unwrap_err();
            assert!(problem.contains(expected), "{text:?}: {problem}");
            assert!(!problem.contains('\n'), "{problem}");
        }
    }
}
