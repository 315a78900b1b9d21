//! What a verifier remembers between runs: rollback protection and trusted time.
//!
//! A [`VerifierState`] holds the highest trust list sequence and the highest revocation
//! list sequence the verifier has installed, and the latest signed time it has seen (the
//! greatest issue time of those lists). A verifier built from it refuses older lists
//! even when nothing is installed in memory yet (rollback across restarts), and a device
//! clock earlier than the trusted time is reported rather than believed.
//!
//! The library is sans I/O: [`VerifierState::to_bytes`] and [`VerifierState::from_bytes`]
//! turn the state into a small file's contents and back; the app or command decides
//! where that file lives (one per verifier, in a directory it names; there is no global
//! state) and writes it atomically (temporary file, flush, rename).
//!
//! # File layout (version 1)
//!
//! | bytes | content |
//! |---|---|
//! | 4 | magic `CQST` |
//! | 1 | format version, `0x01` |
//! | n | body: a deterministic CBOR map (RFC 8949 §4.2.1) with integer keys, each optional: `1` trust list sequence, `2` revocation list sequence, `3` trusted time (Unix seconds, UTC) |
//! | 32 | SHA-256 of every byte before it (magic, version and body) |
//!
//! The checksum comes last in every version, so a damaged version byte reads as
//! corruption, not as a newer format. Reading is strict: a wrong magic, a short file,
//! a checksum mismatch, an unknown version, non-deterministic CBOR or an unknown key is
//! a typed [`StateError`]. Nothing is ever silently reset: a verifier that cannot read
//! its state must stop and say so, or an attacker could truncate the file to make it
//! accept an older trust list again.
//!
//! # What the checksum does not protect against
//!
//! The checksum is not a MAC: it detects truncation and accidental corruption (a
//! crash while writing with a careless writer, a full disk, bit rot), not deliberate
//! change. Whoever can write the file (a rooted phone, malware with the app's storage,
//! a user with file access on a desktop) can write a valid state with lower numbers, or
//! delete the file, which looks exactly like a first run. Against that, an app needs
//! storage the holder of the device cannot rewrite (a platform keystore or a hardware
//! monotonic counter) or a minimum trust list sequence built into the app itself; both
//! are outside this library.

use time::OffsetDateTime;

use crate::cbor::{self, CborError, Value};
use crate::fields::{int, FieldError, Fields};
use sha2::{Digest, Sha256};

/// First bytes of a state file.
pub const MAGIC: [u8; 4] = *b"CQST";
/// The format version this library writes and reads.
pub const VERSION: u8 = 1;
/// Length of the SHA-256 checksum at the end of the file.
pub const CHECKSUM_LENGTH: usize = 32;
/// Largest state file accepted (a full version 1 state is under 80 bytes).
pub const MAX_STATE_BYTES: usize = 256;
/// Shortest possible state file: magic, version, an empty CBOR map, checksum.
pub const MIN_STATE_BYTES: usize = MAGIC.len() + 1 + 1 + CHECKSUM_LENGTH;
/// Latest trusted time stored: 9999-12-30T23:59:59Z, a day before the end of what
/// `time` represents, so that the time in China (UTC+8) always exists.
const MAX_UNIX_SECONDS: u64 = 253_402_214_399;

mod field {
    pub const TRUST_LIST_SEQUENCE: i64 = 1;
    pub const REVOCATION_LIST_SEQUENCE: i64 = 2;
    pub const TRUSTED_TIME: i64 = 3;
}

/// What a verifier remembers between runs (核验状态): the highest list sequences it
/// installed and the latest signed time it saw. Values only ever go up: the only way to
/// change them is to record a list, which keeps the greater of old and new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VerifierState {
    trust_list_sequence: Option<u64>,
    revocation_list_sequence: Option<u64>,
    trusted_time: Option<OffsetDateTime>,
}

/// Why bytes are not a readable verifier state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The bytes do not start with the state file magic.
    #[error("not a certqr verifier state file")]
    NotAStateFile,
    /// Shorter than the shortest state file: cut off while being written or copied.
    #[error("state file is truncated ({length} bytes)")]
    Truncated {
        /// Bytes present.
        length: usize,
    },
    /// Longer than [`MAX_STATE_BYTES`].
    #[error("state file is {length} bytes, more than the {MAX_STATE_BYTES} a state file can be")]
    TooLong {
        /// Bytes present.
        length: usize,
    },
    /// The SHA-256 at the end does not match: the file was truncated or corrupted.
    #[error("state file is corrupted or truncated: its checksum does not match")]
    ChecksumMismatch,
    /// A format version this library does not read (written by a newer certqr).
    #[error("state file format version {version} is not supported (this certqr reads version {VERSION})")]
    UnsupportedVersion {
        /// The version byte.
        version: u8,
    },
    /// The body is not deterministic CBOR.
    #[error("state file body: {0}")]
    Body(#[from] CborError),
    /// A field of the body is malformed or unknown.
    #[error("state file body: {0}")]
    Field(#[from] FieldError),
}

impl VerifierState {
    /// The state of a verifier that has installed nothing yet.
    pub fn new() -> VerifierState {
        VerifierState::default()
    }

    /// The highest trust list sequence installed, if any.
    pub fn trust_list_sequence(&self) -> Option<u64> {
        self.trust_list_sequence
    }

    /// The highest revocation list sequence installed, if any.
    pub fn revocation_list_sequence(&self) -> Option<u64> {
        self.revocation_list_sequence
    }

    /// The latest signed time seen: the greatest issue time of the installed trust and
    /// revocation lists, in UTC, to the second (rounded down).
    pub fn trusted_time(&self) -> Option<OffsetDateTime> {
        self.trusted_time
    }

    /// Record an installed trust list: its sequence and issue time raise the state's,
    /// never lower them. Checking for rollback is the caller's job (see
    /// [`crate::verify::Verifier::install_trust_list`]).
    pub fn record_trust_list(&mut self, sequence: u64, issued_at: OffsetDateTime) {
        self.trust_list_sequence = self.trust_list_sequence.max(Some(sequence));
        self.record_time(issued_at);
    }

    /// Record an installed revocation list, like [`VerifierState::record_trust_list`].
    pub fn record_revocation_list(&mut self, sequence: u64, issued_at: OffsetDateTime) {
        self.revocation_list_sequence = self.revocation_list_sequence.max(Some(sequence));
        self.record_time(issued_at);
    }

    fn record_time(&mut self, time: OffsetDateTime) {
        let time = from_unix_seconds(unix_seconds(time));
        self.trusted_time = self.trusted_time.max(Some(time));
    }

    /// The trusted time when `now` is earlier than it: the device clock is behind data
    /// that was signed later, so the clock is wrong (or was set back).
    pub fn clock_behind(&self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        self.trusted_time.filter(|trusted| now < *trusted)
    }

    /// The time dates are judged at: the later of `now` and the trusted time. Real
    /// time is never earlier than a signed issue time, so a clock set back cannot make
    /// an expired certificate (or trust list) valid again.
    pub fn judging_time(&self, now: OffsetDateTime) -> OffsetDateTime {
        self.clock_behind(now).unwrap_or(now)
    }

    /// The state file's contents (see the module documentation for the layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = Vec::new();
        if let Some(sequence) = self.trust_list_sequence {
            body.push((
                int(field::TRUST_LIST_SEQUENCE),
                Value::Integer(sequence.into()),
            ));
        }
        if let Some(sequence) = self.revocation_list_sequence {
            body.push((
                int(field::REVOCATION_LIST_SEQUENCE),
                Value::Integer(sequence.into()),
            ));
        }
        if let Some(time) = self.trusted_time {
            body.push((
                int(field::TRUSTED_TIME),
                Value::Integer(unix_seconds(time).into()),
            ));
        }
        let mut bytes = MAGIC.to_vec();
        bytes.push(VERSION);
        bytes.extend_from_slice(&cbor::encode(&Value::Map(body)));
        let checksum = Sha256::digest(&bytes);
        bytes.extend_from_slice(&checksum);
        bytes
    }

    /// Read a state file's contents strictly: any damage is an error, never a reset.
    pub fn from_bytes(bytes: &[u8]) -> Result<VerifierState, StateError> {
        let length = bytes.len();
        if !bytes.starts_with(&MAGIC) && !MAGIC.starts_with(bytes) {
            return Err(StateError::NotAStateFile);
        }
        if length > MAX_STATE_BYTES {
            return Err(StateError::TooLong { length });
        }
        if length < MIN_STATE_BYTES {
            return Err(StateError::Truncated { length });
        }
        let (content, checksum) = bytes.split_at(length - CHECKSUM_LENGTH);
        if Sha256::digest(content).as_slice() != checksum {
            return Err(StateError::ChecksumMismatch);
        }
        let (header, body) = content.split_at(MAGIC.len() + 1);
        match header.last() {
            Some(&VERSION) => {}
            Some(&version) => return Err(StateError::UnsupportedVersion { version }),
            None => return Err(StateError::Truncated { length }),
        }
        let mut fields = Fields::new(cbor::decode(body)?)?;
        let mut optional_uint = |key: i64, max: u64| {
            fields
                .take(key)
                .map(|value| crate::fields::as_uint(key, &value, max))
                .transpose()
        };
        let trust_list_sequence = optional_uint(field::TRUST_LIST_SEQUENCE, u64::MAX)?;
        let revocation_list_sequence = optional_uint(field::REVOCATION_LIST_SEQUENCE, u64::MAX)?;
        let trusted_time = optional_uint(field::TRUSTED_TIME, MAX_UNIX_SECONDS)?;
        // Written only by certqr itself: every key is known, extensions included.
        if let Some(&key) = fields.remaining_keys().first() {
            return Err(FieldError::Unknown { key }.into());
        }
        Ok(VerifierState {
            trust_list_sequence,
            revocation_list_sequence,
            trusted_time: trusted_time.map(from_unix_seconds),
        })
    }
}

/// Whole Unix seconds of `time`, clamped to the range the file stores (signed lists
/// only carry times in that range).
fn unix_seconds(time: OffsetDateTime) -> u64 {
    u64::try_from(time.unix_timestamp())
        .unwrap_or(0)
        .min(MAX_UNIX_SECONDS)
}

/// The instant `seconds` after the Unix epoch, in UTC (`seconds` is at most
/// [`MAX_UNIX_SECONDS`], so the epoch fallback is never taken).
fn from_unix_seconds(seconds: u64) -> OffsetDateTime {
    i64::try_from(seconds)
        .ok()
        .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests;
