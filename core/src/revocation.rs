//! Revocation lists (吊销名单): certificates withdrawn before their validity ends, signed
//! by a root key and checked offline.
//!
//! # What is signed, and by whom
//!
//! A revocation list is a COSE_Sign1 document with its own content type
//! ([`DocumentKind::RevocationList`], 65003), so it can never be taken for a trust list or
//! a certificate, nor they for it. It is signed by a **root key** and verified exactly as
//! a trust list is ([`crate::trust::TrustList::from_signed`]): the header's key id and
//! algorithm must match a pinned root, and that root's signature must verify. Letting
//! each issuer sign a list of its own certificates would mean one list per issuer (an app
//! would fetch hundreds) and would let a single stolen issuer key un-revoke its own
//! certificates; a separate revocation key named in the trust list would need a new key
//! role in the trust list format. The root already vouches for every issuer, so it
//! vouches for what they withdraw.
//!
//! The same content type carries two payloads, told apart by their first field: a full
//! list ([`RevocationList`]) and a delta ([`RevocationDelta`]) from one sequence to the
//! next, so an app that holds list N downloads only what changed to reach N + 1.
//!
//! # What an entry identifies
//!
//! An [`Entry`] names one issued certificate, not a person: the first 8 bytes of SHA-256
//! over the label `certqr/revocation-entry/v1` followed by the deterministic CBOR array
//! `[issuer key id, certificate number, valid-from date]` (a byte string of 8 bytes, a
//! text string, and days since 1970-01-01 as in the claims). The key id is the one in the
//! certificate's header, the number is the full certificate number (证书编号, also where
//! the family derives it from the identity card number), and the valid-from date stands
//! for the day of issue, as it does for the issuer key's window. A renewal (a new
//! valid-from date) or a re-issue under another key is another certificate with another
//! entry, so revoking one issuance leaves the holder's other certificates alone. The
//! entry is computed from signed data only after the signature verified; a forger cannot
//! change any of its inputs without breaking the signature.
//!
//! # Collision and false-positive odds
//!
//! Entries are 64-bit truncated hashes, taken as uniformly random. With `n` = 10,000,000
//! entries:
//! - a certificate that is not revoked matches some entry with probability
//!   n / 2^64 ≈ 5.4 × 10^-13. The entry of a certificate is fixed, so this is a property of
//!   the certificate, not of each scan: over 200 million certificates in circulation, the
//!   expected number wrongly shown as revoked is 200,000,000 × 5.4 × 10^-13 ≈ 1.1 × 10^-4,
//!   about one chance in 9,000 that it happens to anyone at all. Such a holder is not
//!   stuck: a re-issue (new valid-from date) has another entry. With 6-byte entries the
//!   same figure would be about 7 people, with 7 bytes about one chance in 36.
//! - two revoked certificates share an entry with probability about n² / 2^65 ≈
//!   2.7 × 10^-6. Both stay revoked; only removing one of them (a wrongful revocation
//!   undone) would also un-revoke the other.
//!
//! The lists are pseudonymous, not anonymous: whoever knows a certificate's issuer key,
//! number and valid-from date can compute its entry and see whether it is listed, and a
//! determined attacker can test every identity card number and date. A list reveals that
//! a certificate was revoked, never why.
//!
//! # Encoding and scale
//!
//! The entries are one CBOR byte string of 8-byte big-endian entries in strictly
//! increasing order: 8 bytes per entry on disk (10 million entries: 80 MB plus a header
//! of a few dozen bytes and the signature). Loading checks the order and uniqueness in one
//! pass and builds a bucket index over the top bits of each entry (about half a byte per
//! entry in memory), so a lookup is one index read and a binary search over about eight
//! entries. Loading a list of 10 million entries, signature included, takes well under a
//! second (`cargo bench -p certqr-core --bench revocation`; figures in
//! `docs/benchmarks.md`).
//!
//! A signed list is read with [`cose::parse_with_limit`] and [`MAX_SIGNED_LENGTH`]
//! (128 MiB), room for [`MAX_ENTRIES`] (16 million) entries.
//!
//! # Updating
//!
//! A verifier keeps the installed list and refuses a list of a lower sequence (rollback),
//! or of the same sequence with other content. A delta names its base sequence N and its
//! own sequence N + 1; it applies only to list N, every entry it adds must be absent from
//! it and every entry it removes present, so a delta applied to the wrong list is refused
//! rather than producing a list the root never signed. Like a trust list, a revocation
//! list has an expiry: past it the verifier warns, and past a grace period it fails
//! (see [`crate::verify::VerifierOptions::revocation_list_grace`]).
//!
//! ```
//! use certqr_core::keys::{Algorithm, SigningKey};
//! use certqr_core::revocation::{Entry, RevocationDelta, RevocationList};
//! use time::macros::{date, datetime};
//!
//! let root = SigningKey::from_seed(Algorithm::Ed25519, &[1; 32]);
//! let issuer = SigningKey::from_seed(Algorithm::Ed25519, &[2; 32]);
//! let entry = Entry::of(issuer.public_key().key_id(), "T32010219850612123X", date!(2024 - 03 - 01));
//!
//! let issued_at = datetime!(2025-06-01 0:00 UTC);
//! let expires_at = datetime!(2025-06-08 0:00 UTC);
//! let list = RevocationList::new(1, issued_at, expires_at, [entry])?;
//! let signed = list.sign(&root)?;
//! let installed = RevocationList::from_signed(&signed, &[root.public_key()])?;
//! assert!(installed.contains(entry));
//!
//! // Undo a wrongful revocation with a delta from sequence 1 to 2.
//! let delta = RevocationDelta::new(1, issued_at, expires_at, [], [entry])?;
//! let signed_delta = delta.sign(&root)?;
//! let delta = RevocationDelta::from_signed(&signed_delta, &[root.public_key()])?;
//! let updated = installed.apply(&delta)?;
//! assert_eq!(updated.sequence, 2);
//! assert!(!updated.contains(entry));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};

use crate::cbor::{self, Value};
use crate::certificate::Certificate;
use crate::cose::{self, CoseError, DocumentKind};
use crate::fields::{self, int, FieldError, Fields};
use crate::keys::{KeyId, PublicKey, SigningKey};

/// Largest signed revocation list or delta read, in bytes (128 MiB).
pub const MAX_SIGNED_LENGTH: usize = 128 * 1024 * 1024;
/// Most entries a list may hold, and a delta may add or remove (16 million: with the
/// header and signature, a full list stays under [`MAX_SIGNED_LENGTH`]).
pub const MAX_ENTRIES: usize = 16_000_000;
/// Domain-separation label hashed in front of an entry's data.
pub const ENTRY_LABEL: &[u8] = b"certqr/revocation-entry/v1";

mod field {
    pub const KIND: i64 = 1;
    pub const SEQUENCE: i64 = 2;
    pub const ISSUED_AT: i64 = 3;
    pub const EXPIRES_AT: i64 = 4;
    /// A full list's entries, or the entries a delta adds.
    pub const ENTRIES: i64 = 5;
    pub const REMOVED: i64 = 6;
    pub const BASE_SEQUENCE: i64 = 7;

    pub const KIND_FULL: u64 = 1;
    pub const KIND_DELTA: u64 = 2;
}

/// One revoked certificate: the first 8 bytes of SHA-256 over [`ENTRY_LABEL`] and the
/// CBOR array `[issuer key id, certificate number, valid-from date]` (see the module
/// documentation for why, and for the odds of a collision).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Entry(pub [u8; Entry::LENGTH]);

impl Entry {
    /// Length in bytes.
    pub const LENGTH: usize = 8;

    /// The entry of the certificate numbered `number`, valid from `valid_from`, signed by
    /// the key with id `issuer_key_id`.
    pub fn of(issuer_key_id: KeyId, number: &str, valid_from: Date) -> Entry {
        let data = cbor::encode(&Value::Array(vec![
            Value::Bytes(issuer_key_id.0.to_vec()),
            Value::Text(number.to_owned()),
            fields::date_value(valid_from),
        ]));
        let digest = Sha256::new()
            .chain_update(ENTRY_LABEL)
            .chain_update(&data)
            .finalize();
        let mut entry = [0u8; Entry::LENGTH];
        for (byte, digest_byte) in entry.iter_mut().zip(digest) {
            *byte = digest_byte;
        }
        Entry(entry)
    }

    /// The entry of `certificate` as signed by the key with id `issuer_key_id`.
    pub fn of_certificate(issuer_key_id: KeyId, certificate: &Certificate) -> Entry {
        Entry::of(issuer_key_id, &certificate.number, certificate.valid_from)
    }

    /// Lowercase hexadecimal, 16 digits.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    fn to_u64(self) -> u64 {
        u64::from_be_bytes(self.0)
    }

    fn from_u64(value: u64) -> Entry {
        Entry(value.to_be_bytes())
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Entry({})", self.to_hex())
    }
}

/// Why text is not an entry in hexadecimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseEntryError {
    /// Not exactly 16 characters.
    #[error(
        "an entry is 16 hexadecimal digits, found {length} character{}",
        if *length == 1 { "" } else { "s" }
    )]
    Length {
        /// Characters found.
        length: usize,
    },
    /// A character that is not a hexadecimal digit.
    #[error("an entry is 16 hexadecimal digits, found a non-digit")]
    NotHexadecimal,
}

impl FromStr for Entry {
    type Err = ParseEntryError;

    /// 16 hexadecimal digits, either case.
    fn from_str(text: &str) -> Result<Entry, ParseEntryError> {
        if text.len() != 2 * Entry::LENGTH {
            return Err(ParseEntryError::Length {
                length: text.chars().count(),
            });
        }
        if !text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(ParseEntryError::NotHexadecimal);
        }
        u64::from_str_radix(text, 16)
            .map(Entry::from_u64)
            .map_err(|_| ParseEntryError::NotHexadecimal)
    }
}

/// A full list or a delta: the two payloads of content type 65003.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// A full revocation list.
    Full,
    /// A delta from one sequence to the next.
    Delta,
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ListKind::Full => "full revocation list",
            ListKind::Delta => "revocation delta",
        })
    }
}

/// Why a revocation list or delta is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevocationError {
    /// Not a readable COSE_Sign1 message (or larger than [`MAX_SIGNED_LENGTH`]).
    #[error("revocation list is not a valid signed document: {0}")]
    Cose(#[from] CoseError),
    /// A signed document of another kind (a trust list or a certificate).
    #[error("signed document is not a revocation list (content type {content_type})")]
    WrongDocumentKind {
        /// The content type found.
        content_type: u64,
    },
    /// Signed by a key that is not a pinned root, or the signature does not verify.
    #[error("revocation list is not signed by a pinned root key (key id {key_id})")]
    NotSignedByRoot {
        /// The key id in the header.
        key_id: KeyId,
    },
    /// The content is malformed.
    #[error("revocation list content: {0}")]
    Field(#[from] FieldError),
    /// A delta where a full list is expected, or the reverse.
    #[error("expected a {expected}, found a {found}")]
    WrongListKind {
        /// What the caller asked for.
        expected: ListKind,
        /// What the document holds.
        found: ListKind,
    },
    /// An entries byte string whose length is not a multiple of [`Entry::LENGTH`].
    #[error("{part}: {length} bytes is not a whole number of 8-byte entries")]
    EntriesLength {
        /// "entries", "added" or "removed".
        part: &'static str,
        /// Length in bytes.
        length: usize,
    },
    /// An entry not greater than the one before it (entries must be strictly increasing).
    #[error("{part}: entry {index} is out of order")]
    UnsortedEntries {
        /// "entries", "added" or "removed".
        part: &'static str,
        /// Position of the entry, from 0.
        index: usize,
    },
    /// An entry equal to the one before it.
    #[error("{part}: entry {index} repeats the one before it")]
    DuplicateEntry {
        /// "entries", "added" or "removed".
        part: &'static str,
        /// Position of the entry, from 0.
        index: usize,
    },
    /// More than [`MAX_ENTRIES`] entries.
    #[error("{count} entries is more than the {MAX_ENTRIES} allowed")]
    TooManyEntries {
        /// How many.
        count: usize,
    },
    /// Expiry not after issue time.
    #[error("revocation list expires before it was issued")]
    ExpiresBeforeIssued,
    /// A delta whose sequence is not its base sequence plus one.
    #[error("revocation delta goes from sequence {base_sequence} to {sequence}; it must go to the next one")]
    DeltaSequence {
        /// The sequence it applies to.
        base_sequence: u64,
        /// The sequence it claims to produce.
        sequence: u64,
    },
    /// A delta that both adds and removes the same entry.
    #[error("revocation delta both adds and removes entry {entry}")]
    AddedAndRemoved {
        /// The entry.
        entry: Entry,
    },
    /// Older than the installed list.
    #[error("revocation list sequence {offered} is older than the installed {installed}")]
    Rollback {
        /// Sequence of the installed list.
        installed: u64,
        /// Sequence of the list offered.
        offered: u64,
    },
    /// Same sequence as the installed list but different content.
    #[error("revocation list sequence {sequence} is already installed with different content")]
    ConflictingSequence {
        /// The sequence number.
        sequence: u64,
    },
    /// A delta offered with no list installed.
    #[error("no revocation list is installed to apply the delta to")]
    NoListInstalled,
    /// A delta made for another sequence than the installed list's.
    #[error("revocation delta applies to sequence {base_sequence}, but sequence {installed} is installed")]
    DeltaBaseMismatch {
        /// Sequence of the installed list.
        installed: u64,
        /// Sequence the delta applies to.
        base_sequence: u64,
    },
    /// A delta adds an entry the list already holds.
    #[error("revocation delta adds entry {entry}, which the list already holds")]
    AlreadyRevoked {
        /// The entry.
        entry: Entry,
    },
    /// A delta removes an entry the list does not hold.
    #[error("revocation delta removes entry {entry}, which the list does not hold")]
    NotRevoked {
        /// The entry.
        entry: Entry,
    },
}

/// Sorted, unique entries with a bucket index over their top bits.
#[derive(Clone, PartialEq, Eq, Default)]
struct EntrySet {
    /// Strictly increasing.
    sorted: Vec<u64>,
    /// `index[b]` is the position of the first entry whose top bits are `b` or more;
    /// one more element than there are buckets.
    index: Vec<u32>,
    /// 64 minus the number of bucket bits.
    shift: u32,
}

impl EntrySet {
    /// Index `sorted`, which must be strictly increasing and at most [`MAX_ENTRIES`] long.
    fn new(sorted: Vec<u64>) -> Result<EntrySet, RevocationError> {
        let count = sorted.len();
        let too_many = RevocationError::TooManyEntries { count };
        if count > MAX_ENTRIES {
            return Err(too_many);
        }
        // About eight entries a bucket; at most 2^21 buckets (8 MiB of index).
        let bits = count.checked_ilog2().unwrap_or(0).saturating_sub(3).min(21);
        let shift = 64 - bits;
        let buckets = 1usize << bits;
        let mut index = Vec::with_capacity(buckets + 1);
        let mut position = 0usize;
        for bucket in 0..buckets as u64 {
            while sorted
                .get(position)
                .is_some_and(|entry| bucket_of(*entry, shift) < bucket)
            {
                position += 1;
            }
            index.push(u32::try_from(position).map_err(|_| too_many.clone())?);
        }
        index.push(u32::try_from(count).map_err(|_| too_many)?);
        Ok(EntrySet {
            sorted,
            index,
            shift,
        })
    }

    fn contains(&self, entry: u64) -> bool {
        let Ok(bucket) = usize::try_from(bucket_of(entry, self.shift)) else {
            return false;
        };
        let (Some(&start), Some(&end)) = (self.index.get(bucket), self.index.get(bucket + 1))
        else {
            return false;
        };
        self.sorted
            .get(start as usize..end as usize)
            .is_some_and(|bucket| bucket.binary_search(&entry).is_ok())
    }
}

/// `entries` sorted, each once; refused beyond [`MAX_ENTRIES`].
fn sorted_unique(entries: impl IntoIterator<Item = Entry>) -> Result<Vec<u64>, RevocationError> {
    let mut entries: Vec<u64> = entries.into_iter().map(Entry::to_u64).collect();
    entries.sort_unstable();
    entries.dedup();
    if entries.len() > MAX_ENTRIES {
        return Err(RevocationError::TooManyEntries {
            count: entries.len(),
        });
    }
    Ok(entries)
}

fn bucket_of(entry: u64, shift: u32) -> u64 {
    entry.checked_shr(shift).unwrap_or(0)
}

/// A full revocation list. Build one with [`RevocationList::new`], [`sign`] it with a
/// root key, ship the bytes; read them with [`RevocationList::from_signed`].
///
/// [`sign`]: RevocationList::sign
#[derive(Clone, PartialEq, Eq)]
pub struct RevocationList {
    /// Increases with every list (and delta) the root publishes.
    pub sequence: u64,
    /// When the list was made.
    pub issued_at: OffsetDateTime,
    /// After this the list is stale: verifiers warn, then fail after a grace period.
    pub expires_at: OffsetDateTime,
    entries: EntrySet,
}

impl fmt::Debug for RevocationList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RevocationList")
            .field("sequence", &self.sequence)
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .field("entries", &self.len())
            .finish()
    }
}

impl RevocationList {
    /// A list of `entries`, in any order; repeated entries count once. Refused with more
    /// than [`MAX_ENTRIES`] entries.
    pub fn new(
        sequence: u64,
        issued_at: OffsetDateTime,
        expires_at: OffsetDateTime,
        entries: impl IntoIterator<Item = Entry>,
    ) -> Result<RevocationList, RevocationError> {
        Ok(RevocationList {
            sequence,
            issued_at,
            expires_at,
            entries: EntrySet::new(sorted_unique(entries)?)?,
        })
    }

    /// Whether `entry` is listed.
    pub fn contains(&self, entry: Entry) -> bool {
        self.entries.contains(entry.to_u64())
    }

    /// Whether `certificate`, signed by the key with id `issuer_key_id`, is revoked.
    pub fn is_revoked(&self, issuer_key_id: KeyId, certificate: &Certificate) -> bool {
        self.contains(Entry::of_certificate(issuer_key_id, certificate))
    }

    /// How many entries the list holds.
    pub fn len(&self) -> usize {
        self.entries.sorted.len()
    }

    /// Whether the list holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.sorted.is_empty()
    }

    /// The entries, in increasing order.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = Entry> + '_ {
        self.entries.sorted.iter().copied().map(Entry::from_u64)
    }

    /// Sign the list with a root key, after checking it.
    pub fn sign(&self, root: &SigningKey) -> Result<Vec<u8>, RevocationError> {
        check_times(self.issued_at, self.expires_at)?;
        Ok(cose::sign(
            DocumentKind::RevocationList,
            root,
            self.to_payload(),
        ))
    }

    /// Verify signed full-list bytes against the pinned root keys and read them.
    pub fn from_signed(
        bytes: &[u8],
        roots: &[PublicKey],
    ) -> Result<RevocationList, RevocationError> {
        match RevocationDocument::from_signed(bytes, roots)? {
            RevocationDocument::List(list) => Ok(list),
            RevocationDocument::Delta(_) => Err(RevocationError::WrongListKind {
                expected: ListKind::Full,
                found: ListKind::Delta,
            }),
        }
    }

    /// The unsigned payload, deterministically encoded.
    pub fn to_payload(&self) -> Vec<u8> {
        cbor::encode(&Value::Map(vec![
            (int(field::KIND), uint(field::KIND_FULL)),
            (int(field::SEQUENCE), uint(self.sequence)),
            (int(field::ISSUED_AT), time_value(self.issued_at)),
            (int(field::EXPIRES_AT), time_value(self.expires_at)),
            (int(field::ENTRIES), entries_value(&self.entries.sorted)),
        ]))
    }

    /// Refuse `offered` as a replacement of this (installed) list: a lower sequence
    /// (rollback), or the same sequence with other content.
    pub fn check_update(&self, offered: &RevocationList) -> Result<(), RevocationError> {
        if offered.sequence < self.sequence {
            return Err(RevocationError::Rollback {
                installed: self.sequence,
                offered: offered.sequence,
            });
        }
        if offered.sequence == self.sequence && offered != self {
            return Err(RevocationError::ConflictingSequence {
                sequence: self.sequence,
            });
        }
        Ok(())
    }

    /// The list `delta` makes of this one. Refused unless the delta's base is this list's
    /// sequence, every entry it adds is absent and every entry it removes present.
    pub fn apply(&self, delta: &RevocationDelta) -> Result<RevocationList, RevocationError> {
        if delta.base_sequence != self.sequence {
            return Err(RevocationError::DeltaBaseMismatch {
                installed: self.sequence,
                base_sequence: delta.base_sequence,
            });
        }
        delta.check()?;
        let merged = merge(&self.entries.sorted, &delta.added, &delta.removed)?;
        Ok(RevocationList {
            sequence: delta.sequence,
            issued_at: delta.issued_at,
            expires_at: delta.expires_at,
            entries: EntrySet::new(merged)?,
        })
    }

    fn from_fields(mut fields: Fields) -> Result<RevocationList, RevocationError> {
        let sequence = fields.uint(field::SEQUENCE, u64::MAX)?;
        let issued_at = read_time(&mut fields, field::ISSUED_AT)?;
        let expires_at = read_time(&mut fields, field::EXPIRES_AT)?;
        let entries = read_entries(&mut fields, field::ENTRIES, "entries")?;
        fields.finish()?;
        check_times(issued_at, expires_at)?;
        Ok(RevocationList {
            sequence,
            issued_at,
            expires_at,
            entries: EntrySet::new(entries)?,
        })
    }
}

/// The changes from revocation list N to N + 1, signed by the root like a full list.
#[derive(Clone, PartialEq, Eq)]
pub struct RevocationDelta {
    /// The sequence of the list this delta applies to.
    pub base_sequence: u64,
    /// The sequence of the list it makes: `base_sequence + 1`.
    pub sequence: u64,
    /// When the new list was made.
    pub issued_at: OffsetDateTime,
    /// When the new list expires.
    pub expires_at: OffsetDateTime,
    /// Strictly increasing.
    added: Vec<u64>,
    /// Strictly increasing.
    removed: Vec<u64>,
}

impl fmt::Debug for RevocationDelta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RevocationDelta")
            .field("base_sequence", &self.base_sequence)
            .field("sequence", &self.sequence)
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .field("added", &self.added.len())
            .field("removed", &self.removed.len())
            .finish()
    }
}

impl RevocationDelta {
    /// A delta from sequence `base_sequence` to the next, adding `added` and removing
    /// `removed` (each in any order; repeats count once). Refused when an entry is in
    /// both, when either holds more than [`MAX_ENTRIES`], or when the base is the last
    /// sequence there is.
    pub fn new(
        base_sequence: u64,
        issued_at: OffsetDateTime,
        expires_at: OffsetDateTime,
        added: impl IntoIterator<Item = Entry>,
        removed: impl IntoIterator<Item = Entry>,
    ) -> Result<RevocationDelta, RevocationError> {
        let delta = RevocationDelta {
            base_sequence,
            sequence: next_sequence(base_sequence)?,
            issued_at,
            expires_at,
            added: sorted_unique(added)?,
            removed: sorted_unique(removed)?,
        };
        check_disjoint(&delta.added, &delta.removed)?;
        Ok(delta)
    }

    /// The delta that turns `base` into `next`, whose sequence must be the next one.
    pub fn between(
        base: &RevocationList,
        next: &RevocationList,
    ) -> Result<RevocationDelta, RevocationError> {
        if next_sequence(base.sequence)? != next.sequence {
            return Err(RevocationError::DeltaSequence {
                base_sequence: base.sequence,
                sequence: next.sequence,
            });
        }
        let (old, new) = (&base.entries.sorted, &next.entries.sorted);
        Ok(RevocationDelta {
            base_sequence: base.sequence,
            sequence: next.sequence,
            issued_at: next.issued_at,
            expires_at: next.expires_at,
            added: difference(new, old),
            removed: difference(old, new),
        })
    }

    /// The entries added, in increasing order.
    pub fn added(&self) -> impl ExactSizeIterator<Item = Entry> + '_ {
        self.added.iter().copied().map(Entry::from_u64)
    }

    /// The entries removed, in increasing order.
    pub fn removed(&self) -> impl ExactSizeIterator<Item = Entry> + '_ {
        self.removed.iter().copied().map(Entry::from_u64)
    }

    /// Sign the delta with a root key, after checking it.
    pub fn sign(&self, root: &SigningKey) -> Result<Vec<u8>, RevocationError> {
        self.check()?;
        Ok(cose::sign(
            DocumentKind::RevocationList,
            root,
            self.to_payload(),
        ))
    }

    /// Verify signed delta bytes against the pinned root keys and read them.
    pub fn from_signed(
        bytes: &[u8],
        roots: &[PublicKey],
    ) -> Result<RevocationDelta, RevocationError> {
        match RevocationDocument::from_signed(bytes, roots)? {
            RevocationDocument::Delta(delta) => Ok(delta),
            RevocationDocument::List(_) => Err(RevocationError::WrongListKind {
                expected: ListKind::Delta,
                found: ListKind::Full,
            }),
        }
    }

    /// The unsigned payload, deterministically encoded.
    pub fn to_payload(&self) -> Vec<u8> {
        cbor::encode(&Value::Map(vec![
            (int(field::KIND), uint(field::KIND_DELTA)),
            (int(field::SEQUENCE), uint(self.sequence)),
            (int(field::ISSUED_AT), time_value(self.issued_at)),
            (int(field::EXPIRES_AT), time_value(self.expires_at)),
            (int(field::ENTRIES), entries_value(&self.added)),
            (int(field::REMOVED), entries_value(&self.removed)),
            (int(field::BASE_SEQUENCE), uint(self.base_sequence)),
        ]))
    }

    /// Everything a delta must satisfy on its own (its fields are public).
    fn check(&self) -> Result<(), RevocationError> {
        check_times(self.issued_at, self.expires_at)?;
        if self.base_sequence.checked_add(1) != Some(self.sequence) {
            return Err(RevocationError::DeltaSequence {
                base_sequence: self.base_sequence,
                sequence: self.sequence,
            });
        }
        check_disjoint(&self.added, &self.removed)
    }

    fn from_fields(mut fields: Fields) -> Result<RevocationDelta, RevocationError> {
        let sequence = fields.uint(field::SEQUENCE, u64::MAX)?;
        let issued_at = read_time(&mut fields, field::ISSUED_AT)?;
        let expires_at = read_time(&mut fields, field::EXPIRES_AT)?;
        let added = read_entries(&mut fields, field::ENTRIES, "added")?;
        let removed = read_entries(&mut fields, field::REMOVED, "removed")?;
        let base_sequence = fields.uint(field::BASE_SEQUENCE, u64::MAX)?;
        fields.finish()?;
        let delta = RevocationDelta {
            base_sequence,
            sequence,
            issued_at,
            expires_at,
            added,
            removed,
        };
        delta.check()?;
        Ok(delta)
    }
}

/// A verified revocation document of either kind, for tools that show whatever they get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevocationDocument {
    /// A full list.
    List(RevocationList),
    /// A delta.
    Delta(RevocationDelta),
}

impl RevocationDocument {
    /// Verify signed bytes against the pinned root keys, exactly as a trust list is
    /// verified, and read the full list or delta they hold.
    pub fn from_signed(
        bytes: &[u8],
        roots: &[PublicKey],
    ) -> Result<RevocationDocument, RevocationError> {
        let message = cose::parse_with_limit(bytes, MAX_SIGNED_LENGTH)?;
        if message.kind() != Some(DocumentKind::RevocationList) {
            return Err(RevocationError::WrongDocumentKind {
                content_type: message.content_type,
            });
        }
        if !message.is_signed_by_one_of(roots) {
            return Err(RevocationError::NotSignedByRoot {
                key_id: message.key_id,
            });
        }
        let value = cbor::decode(&message.payload).map_err(|error| CoseError::Cbor {
            part: "payload",
            error,
        })?;
        drop(message);
        let mut fields = Fields::new(value)?;
        match fields.uint(field::KIND, u64::MAX)? {
            field::KIND_FULL => RevocationList::from_fields(fields).map(RevocationDocument::List),
            field::KIND_DELTA => {
                RevocationDelta::from_fields(fields).map(RevocationDocument::Delta)
            }
            _ => Err(FieldError::OutOfRange { key: field::KIND }.into()),
        }
    }

    /// Which kind it is.
    pub fn kind(&self) -> ListKind {
        match self {
            RevocationDocument::List(_) => ListKind::Full,
            RevocationDocument::Delta(_) => ListKind::Delta,
        }
    }
}

fn next_sequence(sequence: u64) -> Result<u64, RevocationError> {
    sequence
        .checked_add(1)
        .ok_or(RevocationError::DeltaSequence {
            base_sequence: sequence,
            sequence,
        })
}

fn check_times(
    issued_at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), RevocationError> {
    if expires_at <= issued_at {
        return Err(RevocationError::ExpiresBeforeIssued);
    }
    Ok(())
}

/// Refuse an entry both in `added` and `removed` (both strictly increasing).
fn check_disjoint(added: &[u64], removed: &[u64]) -> Result<(), RevocationError> {
    let mut removed = removed.iter().peekable();
    for entry in added {
        while removed.next_if(|other| *other < entry).is_some() {}
        if removed.peek() == Some(&entry) {
            return Err(RevocationError::AddedAndRemoved {
                entry: Entry::from_u64(*entry),
            });
        }
    }
    Ok(())
}

/// The entries of `left` not in `right` (both strictly increasing).
fn difference(left: &[u64], right: &[u64]) -> Vec<u64> {
    let mut right = right.iter().peekable();
    let mut out = Vec::new();
    for entry in left {
        while right.next_if(|other| *other < entry).is_some() {}
        if right.peek() != Some(&entry) {
            out.push(*entry);
        }
    }
    out
}

/// `base` with `added` put in and `removed` taken out, all strictly increasing.
fn merge(base: &[u64], added: &[u64], removed: &[u64]) -> Result<Vec<u64>, RevocationError> {
    let capacity = (base.len() + added.len()).saturating_sub(removed.len());
    if capacity > MAX_ENTRIES {
        return Err(RevocationError::TooManyEntries { count: capacity });
    }
    let mut out = Vec::with_capacity(capacity);
    let mut added = added.iter().copied().peekable();
    let mut removed = removed.iter().copied().peekable();
    let mut rest = base;
    // Copy runs of the base between the changes, so a small delta costs about one copy.
    loop {
        let next_added = added.peek().copied();
        let next_removed = removed.peek().copied();
        let Some(next) = [next_added, next_removed].into_iter().flatten().min() else {
            out.extend_from_slice(rest);
            break;
        };
        let split = rest.partition_point(|entry| *entry < next);
        let (run, after) = rest.split_at(split);
        out.extend_from_slice(run);
        rest = after;
        let present = rest.first() == Some(&next);
        if next_removed == Some(next) {
            // A delta never both adds and removes an entry (checked before).
            removed.next();
            if !present {
                return Err(RevocationError::NotRevoked {
                    entry: Entry::from_u64(next),
                });
            }
            rest = rest.get(1..).unwrap_or_default();
        } else {
            added.next();
            if present {
                return Err(RevocationError::AlreadyRevoked {
                    entry: Entry::from_u64(next),
                });
            }
            out.push(next);
        }
    }
    Ok(out)
}

fn uint(value: u64) -> Value {
    Value::Integer(value.into())
}

fn time_value(time: OffsetDateTime) -> Value {
    Value::Integer(time.unix_timestamp().into())
}

fn read_time(fields: &mut Fields, key: i64) -> Result<OffsetDateTime, FieldError> {
    // Up to the year 9999, as in trust lists.
    let seconds = fields.uint(key, 253_402_300_799)?;
    i64::try_from(seconds)
        .ok()
        .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok())
        .ok_or(FieldError::OutOfRange { key })
}

fn entries_value(entries: &[u64]) -> Value {
    let mut bytes = Vec::with_capacity(entries.len() * Entry::LENGTH);
    for entry in entries {
        bytes.extend_from_slice(&entry.to_be_bytes());
    }
    Value::Bytes(bytes)
}

/// A byte string of strictly increasing 8-byte entries.
fn read_entries(
    fields: &mut Fields,
    key: i64,
    part: &'static str,
) -> Result<Vec<u64>, RevocationError> {
    let bytes = fields.bytes(key, MAX_ENTRIES * Entry::LENGTH)?;
    let chunks = bytes.chunks_exact(Entry::LENGTH);
    if !chunks.remainder().is_empty() {
        return Err(RevocationError::EntriesLength {
            part,
            length: bytes.len(),
        });
    }
    let mut entries = Vec::with_capacity(bytes.len() / Entry::LENGTH);
    let mut previous: Option<u64> = None;
    for (index, chunk) in chunks.enumerate() {
        let mut raw = [0u8; Entry::LENGTH];
        raw.copy_from_slice(chunk);
        let entry = u64::from_be_bytes(raw);
        match previous {
            Some(previous) if previous == entry => {
                return Err(RevocationError::DuplicateEntry { part, index })
            }
            Some(previous) if previous > entry => {
                return Err(RevocationError::UnsortedEntries { part, index })
            }
            _ => {}
        }
        previous = Some(entry);
        entries.push(entry);
    }
    Ok(entries)
}

#[cfg(test)]
mod tests;
