//! Reading the integer-keyed CBOR maps that certqr documents are made of.
//!
//! Each document type lists its keys; [`Fields`] hands out each value once with its type
//! and size checked, and reports whatever keys are left so the document decides how to
//! treat them.

use time::Date;

use crate::cbor::Value;

/// Days from 0000-03-01 (proleptic Gregorian, Julian day 1721120) to 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;
/// Dates on the wire are whole days since 1970-01-01; this bounds them to 1900..=2199.
const MIN_DAY: i64 = -25_567;
const MAX_DAY: i64 = 84_005;

/// Map keys below this are defined by the format version; an unknown one is refused, so
/// a verifier never ignores something that might narrow what a document allows. Keys from
/// here on, and negative keys, are extensions: ignorable by definition.
pub const FIRST_EXTENSION_KEY: i64 = 100;

/// A map key as read: any CBOR integer (major types 0 and 1, −2^64 to 2^64 − 1; format.md
/// §3.1), which `i128` holds exactly. The keys certqr defines are small and stay `i64`.
pub type MapKey = i128;

/// Why a field of a map is unacceptable. `key` is the map key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldError {
    /// The value is not a map.
    #[error("not a map")]
    NotAMap,
    /// A map key that is not an integer (a text key, say). Every CBOR integer is one.
    #[error("map key is not an integer")]
    NonIntegerKey,
    /// A required key is absent.
    #[error("field {key} is missing")]
    Missing {
        /// The key.
        key: i64,
    },
    /// The value has the wrong CBOR type.
    #[error("field {key} must be {expected}")]
    WrongType {
        /// The key.
        key: i64,
        /// The expected type.
        expected: &'static str,
    },
    /// A number or date outside its allowed range.
    #[error("field {key} is out of range")]
    OutOfRange {
        /// The key.
        key: i64,
    },
    /// A text, byte string or array longer than allowed.
    #[error("field {key} is longer than {max}")]
    TooLong {
        /// The key.
        key: i64,
        /// The maximum length (bytes or items).
        max: usize,
    },
    /// A key this version does not know, in the range where unknown keys are refused.
    #[error("unknown field {key}")]
    Unknown {
        /// The key: any CBOR integer.
        key: MapKey,
    },
}

/// The fields of one integer-keyed map.
#[derive(Debug)]
pub struct Fields {
    entries: Vec<(MapKey, Value)>,
}

impl Fields {
    /// Take the map apart. Keys must be integers (uniqueness was checked by [`crate::cbor`]).
    pub fn new(value: Value) -> Result<Fields, FieldError> {
        let Value::Map(entries) = value else {
            return Err(FieldError::NotAMap);
        };
        let entries = entries
            .into_iter()
            .map(|(key, value)| {
                key.as_integer()
                    .map(|key| (MapKey::from(key), value))
                    .ok_or(FieldError::NonIntegerKey)
            })
            .collect::<Result<_, _>>()?;
        Ok(Fields { entries })
    }

    /// Remove and return the value of `key`, if present.
    pub fn take(&mut self, key: i64) -> Option<Value> {
        let key = MapKey::from(key);
        let index = self.entries.iter().position(|(k, _)| *k == key)?;
        Some(self.entries.swap_remove(index).1)
    }

    fn required(&mut self, key: i64) -> Result<Value, FieldError> {
        self.take(key).ok_or(FieldError::Missing { key })
    }

    /// The keys not yet taken, in ascending order.
    pub fn remaining_keys(&self) -> Vec<MapKey> {
        let mut keys: Vec<MapKey> = self.entries.iter().map(|(key, _)| *key).collect();
        keys.sort_unstable();
        keys
    }

    /// Finish reading: refuse a key left in the reserved range `0..FIRST_EXTENSION_KEY`
    /// (defined by this format version but unknown here); return the extension keys
    /// (from [`FIRST_EXTENSION_KEY`] on, or negative), which the caller ignores.
    pub fn finish(self) -> Result<Vec<MapKey>, FieldError> {
        let keys = self.remaining_keys();
        match keys
            .iter()
            .find(|key| (0..MapKey::from(FIRST_EXTENSION_KEY)).contains(*key))
        {
            Some(&key) => Err(FieldError::Unknown { key }),
            None => Ok(keys),
        }
    }

    /// A required unsigned integer no larger than `max`.
    pub fn uint(&mut self, key: i64, max: u64) -> Result<u64, FieldError> {
        let value = self.required(key)?;
        as_uint(key, &value, max)
    }

    /// A required text string of at most `max` bytes.
    pub fn text(&mut self, key: i64, max: usize) -> Result<String, FieldError> {
        let value = self.required(key)?;
        as_text(key, value, max)
    }

    /// An optional text string of at most `max` bytes.
    pub fn optional_text(&mut self, key: i64, max: usize) -> Result<Option<String>, FieldError> {
        self.take(key)
            .map(|value| as_text(key, value, max))
            .transpose()
    }

    /// A required byte string of at most `max` bytes.
    pub fn bytes(&mut self, key: i64, max: usize) -> Result<Vec<u8>, FieldError> {
        match self.required(key)? {
            Value::Bytes(bytes) if bytes.len() <= max => Ok(bytes),
            Value::Bytes(_) => Err(FieldError::TooLong { key, max }),
            _ => Err(FieldError::WrongType {
                key,
                expected: "a byte string",
            }),
        }
    }

    /// A required array of at most `max` items.
    pub fn array(&mut self, key: i64, max: usize) -> Result<Vec<Value>, FieldError> {
        let value = self.required(key)?;
        as_array(key, value, max)
    }

    /// A required date.
    pub fn date(&mut self, key: i64) -> Result<Date, FieldError> {
        let value = self.required(key)?;
        as_date(key, &value)
    }

    /// An optional date.
    pub fn optional_date(&mut self, key: i64) -> Result<Option<Date>, FieldError> {
        self.take(key).map(|value| as_date(key, &value)).transpose()
    }
}

/// `value` as an unsigned integer no larger than `max`.
pub fn as_uint(key: i64, value: &Value, max: u64) -> Result<u64, FieldError> {
    let integer = value.as_integer().ok_or(FieldError::WrongType {
        key,
        expected: "an unsigned integer",
    })?;
    u64::try_from(integer)
        .ok()
        .filter(|integer| *integer <= max)
        .ok_or(FieldError::OutOfRange { key })
}

/// `value` as a text string of at most `max` bytes.
pub fn as_text(key: i64, value: Value, max: usize) -> Result<String, FieldError> {
    match value {
        Value::Text(text) if text.len() <= max => Ok(text),
        Value::Text(_) => Err(FieldError::TooLong { key, max }),
        _ => Err(FieldError::WrongType {
            key,
            expected: "a text string",
        }),
    }
}

/// `value` as an array of at most `max` items.
pub fn as_array(key: i64, value: Value, max: usize) -> Result<Vec<Value>, FieldError> {
    match value {
        Value::Array(items) if items.len() <= max => Ok(items),
        Value::Array(_) => Err(FieldError::TooLong { key, max }),
        _ => Err(FieldError::WrongType {
            key,
            expected: "an array",
        }),
    }
}

/// `value` as a date: whole days since 1970-01-01, within 1900..=2199.
pub fn as_date(key: i64, value: &Value) -> Result<Date, FieldError> {
    let days = i128::from(value.as_integer().ok_or(FieldError::WrongType {
        key,
        expected: "an integer number of days",
    })?);
    // Any CBOR integer is an integer; one outside i64 is out of range like any other.
    let days = i64::try_from(days)
        .ok()
        .filter(|days| (MIN_DAY..=MAX_DAY).contains(days))
        .ok_or(FieldError::OutOfRange { key })?;
    let julian = i32::try_from(days)
        .ok()
        .and_then(|days| days.checked_add(UNIX_EPOCH_JULIAN_DAY))
        .ok_or(FieldError::OutOfRange { key })?;
    Date::from_julian_day(julian).map_err(|_| FieldError::OutOfRange { key })
}

/// A date as the integer written on the wire.
pub fn date_value(date: Date) -> Value {
    Value::Integer(i64::from(date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY).into())
}

/// An integer map key or small value.
pub fn int(value: i64) -> Value {
    Value::Integer(value.into())
}

/// The integers at the edges of 64-bit types, each a valid CBOR integer: `i64::MAX`,
/// 2^63, 2^64 − 1 (the largest unsigned), `i64::MIN`, −2^63 − 1 and −2^64 (the smallest
/// negative). Tests of format.md §3.1 run over all of them.
#[cfg(test)]
pub(crate) const INTEGER_BOUNDARIES: [MapKey; 6] = [
    i64::MAX as MapKey,
    1 << 63,
    u64::MAX as MapKey,
    i64::MIN as MapKey,
    i64::MIN as MapKey - 1,
    -(1 << 64),
];

/// `value`, any CBOR integer, as a [`Value`] (tests only: panics outside the CBOR range).
#[cfg(test)]
#[allow(clippy::expect_used)]
pub(crate) fn big_int(value: MapKey) -> Value {
    Value::Integer(value.try_into().expect("a CBOR integer"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// format.md §3.1: a map key is any CBOR integer; keys beyond 64 bits are extension
    /// keys like any other from 100 up or below 0, and dates beyond 64 bits are out of
    /// range, not of the wrong type.
    #[test]
    fn keys_and_dates_beyond_64_bits() {
        for key in INTEGER_BOUNDARIES {
            let map = Value::Map(vec![(int(1), int(5)), (big_int(key), Value::Null)]);
            let mut fields = Fields::new(map).unwrap();
            assert_eq!(fields.uint(1, 5), Ok(5), "{key}");
            assert_eq!(fields.finish(), Ok(vec![key]), "{key}");
            assert_eq!(
                as_date(7, &big_int(key)),
                Err(FieldError::OutOfRange { key: 7 }),
                "{key}"
            );
        }
        let all = Value::Map(
            INTEGER_BOUNDARIES
                .map(|key| (big_int(key), Value::Null))
                .to_vec(),
        );
        let mut sorted = INTEGER_BOUNDARIES.to_vec();
        sorted.sort_unstable();
        assert_eq!(Fields::new(all).unwrap().finish(), Ok(sorted));
        // Reserved keys are still refused, whatever else the map holds.
        let reserved = Value::Map(vec![
            (big_int(-(1 << 64)), Value::Null),
            (int(99), Value::Null),
        ]);
        assert_eq!(
            Fields::new(reserved).unwrap().finish(),
            Err(FieldError::Unknown { key: 99 })
        );
    }

    #[test]
    fn dates_are_days_since_1970() {
        assert_eq!(date_value(date!(1970 - 01 - 01)), int(0));
        assert_eq!(date_value(date!(2024 - 03 - 01)), int(19_783));
        assert_eq!(as_date(7, &int(19_783)), Ok(date!(2024 - 03 - 01)));
        assert_eq!(as_date(7, &int(MIN_DAY)), Ok(date!(1900 - 01 - 01)));
        assert_eq!(as_date(7, &int(MAX_DAY)), Ok(date!(2199 - 12 - 31)));
        assert_eq!(
            as_date(7, &int(MAX_DAY + 1)),
            Err(FieldError::OutOfRange { key: 7 })
        );
        assert_eq!(
            as_date(7, &int(i64::MIN)),
            Err(FieldError::OutOfRange { key: 7 })
        );
        assert!(matches!(
            as_date(7, &Value::Text("2024-03-01".into())),
            Err(FieldError::WrongType { key: 7, .. })
        ));
    }

    #[test]
    fn fields_hand_out_each_value_once_with_its_type_checked() {
        let map = Value::Map(vec![
            (int(1), int(5)),
            (int(2), Value::Text("abc".into())),
            (int(3), Value::Bytes(vec![1, 2, 3])),
            (int(200), Value::Null),
        ]);
        let mut fields = Fields::new(map).unwrap();
        assert_eq!(fields.uint(1, 4), Err(FieldError::OutOfRange { key: 1 }));
        assert_eq!(fields.uint(1, 5), Err(FieldError::Missing { key: 1 }));
        assert_eq!(
            fields.text(2, 2),
            Err(FieldError::TooLong { key: 2, max: 2 })
        );
        assert!(matches!(
            fields.text(3, 10),
            Err(FieldError::WrongType { key: 3, .. })
        ));
        assert_eq!(fields.remaining_keys(), vec![200]);
        assert_eq!(
            Fields::new(Value::Map(vec![(Value::Text("k".into()), int(1))])).err(),
            Some(FieldError::NonIntegerKey)
        );
        assert_eq!(Fields::new(int(1)).err(), Some(FieldError::NotAMap));
    }
}
