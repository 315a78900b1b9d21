//! What a verifier remembers between runs: rollback protection and trusted time.
//!
//! A [`VerifierState`] holds the highest trust list sequence and the highest revocation
//! list sequence the verifier has installed, each with the SHA-256 digest of the signed
//! document installed at that sequence, and the latest signed time it has seen (the
//! greatest issue time of those lists). A verifier built from it refuses older lists
//! even when nothing is installed in memory yet (rollback across restarts), refuses a
//! list with the recorded sequence but another digest (equivocation: two different
//! lists under one sequence, format.md §6.4 and §13.5), and a device clock earlier than
//! the trusted time is reported rather than believed.
//!
//! # What the digests cover
//!
//! The digest is SHA-256 over the exact signed bytes given to
//! [`crate::verify::Verifier::install_trust_list`] or
//! [`crate::verify::Verifier::install_revocation_list`] (the whole COSE document), see
//! [`list_digest`]. A revocation delta has no full signed list to digest: after a delta
//! the state records the delta's target sequence and **no** revocation list digest. The
//! content reached by deltas is pinned by the documents themselves (an app keeps the
//! full list and the deltas applied to it, as `certqr-store` does, and a verifier
//! compares a same-sequence full list against the list in memory); a full list later
//! installed at that sequence records its digest. A state without a digest (written
//! by version 1, or after a delta) compares sequences only.
//!
//! The library is sans I/O: [`VerifierState::to_bytes`] and [`VerifierState::from_bytes`]
//! turn the state into a small file's contents and back; the app or command decides
//! where that file lives (one per verifier, in a directory it names; there is no global
//! state) and writes it atomically (temporary file, flush, rename).
//!
//! # File layout (version 2)
//!
//! | bytes | content |
//! |---|---|
//! | 4 | magic `CQST` |
//! | 1 | format version, `0x02` |
//! | n | body: a deterministic CBOR map (RFC 8949 §4.2.1) with integer keys, each optional: `1` trust list sequence, `2` revocation list sequence, `3` trusted time (Unix seconds, UTC), `4` trust list digest, `5` revocation list digest (each a 32-byte CBOR byte string, SHA-256, present only beside its sequence) |
//! | 32 | SHA-256 of every byte before it (magic, version and body) |
//!
//! Version 1 is the same without keys `4` and `5` (a version 1 file holding them is
//! refused). It still loads, with no digests, and is written back as version 2: a
//! state file is migrated, never reset.
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
use crate::revocation::RevocationError;
use crate::trust::TrustListError;
use sha2::{Digest, Sha256};

/// First bytes of a state file.
pub const MAGIC: [u8; 4] = *b"CQST";
/// The format version this library writes (it reads this one and [`VERSION_1`]).
pub const VERSION: u8 = 2;
/// The first format version, without list digests; still read.
pub const VERSION_1: u8 = 1;
/// Length of a list digest (SHA-256).
pub const DIGEST_LENGTH: usize = 32;
/// Length of the SHA-256 checksum at the end of the file.
pub const CHECKSUM_LENGTH: usize = 32;
/// Largest state file accepted (a full version 2 state is under 150 bytes).
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
    pub const TRUST_LIST_DIGEST: i64 = 4;
    pub const REVOCATION_LIST_DIGEST: i64 = 5;
}

/// SHA-256 digest of a signed list document (the exact bytes installed).
pub type ListDigest = [u8; DIGEST_LENGTH];

/// The digest the state records for the signed list document `signed`: SHA-256 over
/// its exact bytes.
pub fn list_digest(signed: &[u8]) -> ListDigest {
    Sha256::digest(signed).into()
}

/// What a verifier remembers between runs (核验状态): the highest list sequences it
/// installed, the digests of the lists installed at those sequences, and the latest
/// signed time it saw. Values only ever go up: the only way to change them is to record
/// a list, which keeps the greater of old and new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VerifierState {
    trust_list_sequence: Option<u64>,
    revocation_list_sequence: Option<u64>,
    trusted_time: Option<OffsetDateTime>,
    trust_list_digest: Option<ListDigest>,
    revocation_list_digest: Option<ListDigest>,
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
    #[error("state file format version {version} is not supported (this certqr reads versions {VERSION_1} to {VERSION})")]
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

    /// Digest of the trust list installed at [`VerifierState::trust_list_sequence`],
    /// when recorded (not by a version 1 state file).
    pub fn trust_list_digest(&self) -> Option<&ListDigest> {
        self.trust_list_digest.as_ref()
    }

    /// Digest of the full revocation list installed at
    /// [`VerifierState::revocation_list_sequence`], when recorded (not after a delta,
    /// nor by a version 1 state file).
    pub fn revocation_list_digest(&self) -> Option<&ListDigest> {
        self.revocation_list_digest.as_ref()
    }

    /// Whether the trust list `digest` at `sequence` may be installed: refused when
    /// `sequence` is lower than the recorded one ([`TrustListError::Rollback`]), or equal
    /// with another digest ([`TrustListError::ConflictingSequence`]).
    pub fn check_trust_list(
        &self,
        sequence: u64,
        digest: &ListDigest,
    ) -> Result<(), TrustListError> {
        match check(
            self.trust_list_sequence,
            self.trust_list_digest.as_ref(),
            sequence,
            Some(digest),
        ) {
            Ok(()) => Ok(()),
            Err(Refusal::Rollback { installed }) => Err(TrustListError::Rollback {
                installed,
                offered: sequence,
            }),
            Err(Refusal::Conflict) => Err(TrustListError::ConflictingSequence { sequence }),
        }
    }

    /// Whether the revocation list at `sequence` may be installed, like
    /// [`VerifierState::check_trust_list`]; `digest` is that of a full list, `None` for
    /// the list deltas made (then only the sequence is checked).
    pub fn check_revocation_list(
        &self,
        sequence: u64,
        digest: Option<&ListDigest>,
    ) -> Result<(), RevocationError> {
        let recorded = self.revocation_list_digest.as_ref();
        match check(self.revocation_list_sequence, recorded, sequence, digest) {
            Ok(()) => Ok(()),
            Err(Refusal::Rollback { installed }) => Err(RevocationError::Rollback {
                installed,
                offered: sequence,
            }),
            Err(Refusal::Conflict) => Err(RevocationError::ConflictingSequence { sequence }),
        }
    }

    /// The latest signed time seen: the greatest issue time of the installed trust and
    /// revocation lists, in UTC, to the second (rounded down).
    pub fn trusted_time(&self) -> Option<OffsetDateTime> {
        self.trusted_time
    }

    /// Record an installed trust list: its sequence and issue time raise the state's,
    /// never lower them; `digest` ([`list_digest`] of its signed bytes) is kept with a
    /// higher sequence, or with the recorded one when none was recorded yet. Checking
    /// is the caller's job first ([`VerifierState::check_trust_list`], as
    /// [`crate::verify::Verifier::install_trust_list`] does).
    pub fn record_trust_list(
        &mut self,
        sequence: u64,
        issued_at: OffsetDateTime,
        digest: ListDigest,
    ) {
        record(
            &mut self.trust_list_sequence,
            &mut self.trust_list_digest,
            sequence,
            Some(digest),
        );
        self.record_time(issued_at);
    }

    /// Record an installed revocation list, like [`VerifierState::record_trust_list`];
    /// `digest` is `None` for the list a delta made (see the module documentation).
    pub fn record_revocation_list(
        &mut self,
        sequence: u64,
        issued_at: OffsetDateTime,
        digest: Option<ListDigest>,
    ) {
        record(
            &mut self.revocation_list_sequence,
            &mut self.revocation_list_digest,
            sequence,
            digest,
        );
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
        if let Some(digest) = self.trust_list_digest {
            body.push((int(field::TRUST_LIST_DIGEST), Value::Bytes(digest.to_vec())));
        }
        if let Some(digest) = self.revocation_list_digest {
            body.push((
                int(field::REVOCATION_LIST_DIGEST),
                Value::Bytes(digest.to_vec()),
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
        let version = match header.last() {
            Some(&version) if version == VERSION || version == VERSION_1 => version,
            Some(&version) => return Err(StateError::UnsupportedVersion { version }),
            None => return Err(StateError::Truncated { length }),
        };
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
        // Version 1 has no digests: its keys 4 and 5 are left over, and refused below.
        let (trust_list_digest, revocation_list_digest) = if version == VERSION {
            (
                optional_digest(
                    &mut fields,
                    field::TRUST_LIST_DIGEST,
                    field::TRUST_LIST_SEQUENCE,
                    trust_list_sequence,
                )?,
                optional_digest(
                    &mut fields,
                    field::REVOCATION_LIST_DIGEST,
                    field::REVOCATION_LIST_SEQUENCE,
                    revocation_list_sequence,
                )?,
            )
        } else {
            (None, None)
        };
        // Written only by certqr itself: every key is known, extensions included.
        if let Some(&key) = fields.remaining_keys().first() {
            return Err(FieldError::Unknown { key }.into());
        }
        Ok(VerifierState {
            trust_list_sequence,
            revocation_list_sequence,
            trusted_time: trusted_time.map(from_unix_seconds),
            trust_list_digest,
            revocation_list_digest,
        })
    }
}

/// Why a list may not be installed over the recorded sequence and digest.
enum Refusal {
    Rollback { installed: u64 },
    Conflict,
}

fn check(
    recorded: Option<u64>,
    recorded_digest: Option<&ListDigest>,
    sequence: u64,
    digest: Option<&ListDigest>,
) -> Result<(), Refusal> {
    let conflicts = match (recorded_digest, digest) {
        (Some(recorded), Some(offered)) => recorded != offered,
        _ => false,
    };
    match recorded {
        Some(installed) if sequence < installed => Err(Refusal::Rollback { installed }),
        Some(installed) if sequence == installed && conflicts => Err(Refusal::Conflict),
        _ => Ok(()),
    }
}

/// Raise `sequence` to `offered`, keeping `digest` with it: a higher sequence replaces
/// the digest (a delta's `None` included); the recorded sequence gains one when it had
/// none; a lower sequence changes nothing.
fn record(
    sequence: &mut Option<u64>,
    digest: &mut Option<ListDigest>,
    offered: u64,
    offered_digest: Option<ListDigest>,
) {
    match *sequence {
        Some(recorded) if offered < recorded => {}
        Some(recorded) if offered == recorded => {
            if digest.is_none() {
                *digest = offered_digest;
            }
        }
        _ => {
            *sequence = Some(offered);
            *digest = offered_digest;
        }
    }
}

/// The digest at `key`, if present: exactly [`DIGEST_LENGTH`] bytes, and only beside
/// its sequence (`sequence_key`).
fn optional_digest(
    fields: &mut Fields,
    key: i64,
    sequence_key: i64,
    sequence: Option<u64>,
) -> Result<Option<ListDigest>, FieldError> {
    let Some(value) = fields.take(key) else {
        return Ok(None);
    };
    if sequence.is_none() {
        return Err(FieldError::Missing { key: sequence_key });
    }
    match value {
        Value::Bytes(bytes) => ListDigest::try_from(bytes.as_slice())
            .map(Some)
            .map_err(|_| FieldError::WrongType {
                key,
                expected: "a 32-byte SHA-256 digest",
            }),
        _ => Err(FieldError::WrongType {
            key,
            expected: "a 32-byte SHA-256 digest",
        }),
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
