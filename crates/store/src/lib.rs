//! The verifier's state directory (核验状态目录): what a certqr verifier remembers
//! between runs, kept on disk safely. `certqr verify --state-dir` and the app library
//! (certqr-ffi) both use this crate, so either can read a directory the other wrote.
//!
//! ```
//! use certqr_core::catalog::Family;
//! use certqr_core::keys::{Algorithm, SigningKey};
//! use certqr_core::samples;
//! use certqr_core::trust::TrustListError;
//! use certqr_core::verify::VerifierOptions;
//! use certqr_store::{Store, StoreError};
//! use time::macros::{date, datetime};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let root = SigningKey::from_seed(Algorithm::Ed25519, &[1; 32]);
//! let issuer = SigningKey::from_seed(Algorithm::Ed25519, &[2; 32]);
//! let entry = |name_en| {
//!     let issuer = samples::issuer(issuer.public_key(), "江苏省应急管理厅", name_en,
//!         320_000, &[Family::SpecialOperations], date!(2020 - 01 - 01));
//!     samples::trust_list(7, datetime!(2025-05-01 00:00 UTC), vec![issuer]).sign(&root)
//! };
//! let list = entry("Jiangsu Emergency Management Department")?;
//! let directory = tempfile::tempdir()?;
//!
//! // First run: install the trust list; it is saved with the state.
//! let store = Store::open(directory.path())?;
//! let mut verifier = store.open_verifier(vec![root.public_key()], VerifierOptions::default())?.verifier;
//! store.install_trust_list(&mut verifier, &list)?;
//! // One verifier per directory: a second opener is refused while the first lives.
//! assert!(matches!(Store::open(directory.path()), Err(StoreError::Locked)));
//! drop(store);
//!
//! // Next run: the saved list is installed again...
//! let store = Store::open(directory.path())?;
//! let mut verifier = store.open_verifier(vec![root.public_key()], VerifierOptions::default())?.verifier;
//! assert_eq!(verifier.trust_list().map(|list| list.sequence), Some(7));
//! // ...and another list under the same sequence is refused: the state recorded its digest.
//! let other = entry("Another Department")?;
//! assert!(matches!(
//!     store.install_trust_list(&mut verifier, &other),
//!     Err(StoreError::TrustListRefused(TrustListError::ConflictingSequence { sequence: 7 }))
//! ));
//! # Ok(())
//! # }
//! ```
//!
//! # Files
//!
//! | file | content |
//! |---|---|
//! | [`STATE_FILE`] `state.cqs` | the [`VerifierState`]: list sequences and digests, trusted time (format in `certqr_core::state`) |
//! | [`TRUST_LIST_FILE`] `trust-list.cose` | the last trust list installed, as signed |
//! | [`REVOCATION_LIST_FILE`] `revocation-list.cose` | the last full revocation list installed, as signed |
//! | `revocation-delta-N.cose` ([`revocation_delta_file`]) | each delta applied since, from sequence N to N + 1 |
//! | [`LOCK_FILE`] `lock` | empty; locked while a [`Store`] is open |
//!
//! Every read is bounded by the largest such file can be (core's limits). Every write
//! replaces a file atomically: a temporary file beside it (`NAME.tmp`), written and
//! flushed to disk, renamed over the old one, then the directory flushed, so a crash
//! leaves the old file or the new one, never a mix.
//!
//! # Order of writes
//!
//! Installing a list works on a copy of the verifier; the list is saved first, the
//! state second, and only then does the verifier given take the copy's place. So on
//! any error the verifier in memory is never ahead of the disk: a crash or a failed
//! write after the list copy leaves a copy newer than the state file, which the next
//! [`Store::open_verifier`] installs again (raising the state then); the reverse order
//! could leave a state that refuses its own saved list as a rollback.
//!
//! # What the lock and the state do not do
//!
//! The lock is advisory: it keeps two certqr verifiers (two processes, or two objects
//! in one app) from overwriting each other's files, not anyone else from writing the
//! directory. A damaged state file is an error ([`StoreError::DamagedState`]), never a
//! reset: a reset would let whoever damaged it install an older list again. What the
//! state's checksum does not protect against is said in `certqr_core::state`.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use certqr_core::cose;
use certqr_core::keys::PublicKey;
use certqr_core::revocation::{self, RevocationError};
use certqr_core::state::{StateError, VerifierState, MAX_STATE_BYTES};
use certqr_core::trust::TrustListError;
use certqr_core::verify::{Verifier, VerifierOptions};

/// Name of the state file.
pub const STATE_FILE: &str = "state.cqs";
/// Name of the copy of the last installed trust list.
pub const TRUST_LIST_FILE: &str = "trust-list.cose";
/// Name of the copy of the last installed full revocation list.
pub const REVOCATION_LIST_FILE: &str = "revocation-list.cose";
/// Name of the lock file.
pub const LOCK_FILE: &str = "lock";
/// How the directory is named in errors (its path may be an app's private path).
pub const DIRECTORY: &str = "the state directory";

/// Most revocation delta files read back with the saved list. An app that updates every
/// day applies at most a few hundred before the next full list replaces them (and
/// removes them); more is a directory no certqr wrote.
pub const MAX_SAVED_DELTAS: usize = 1024;

const DELTA_PREFIX: &str = "revocation-delta-";
const DELTA_SUFFIX: &str = ".cose";

/// Name of the saved revocation delta that goes from sequence `base_sequence` to the
/// next: `revocation-delta-{base_sequence}.cose`.
pub fn revocation_delta_file(base_sequence: u64) -> String {
    format!("{DELTA_PREFIX}{base_sequence}{DELTA_SUFFIX}")
}

/// The base sequence of the delta file `name`, if it is one ([`revocation_delta_file`]
/// exactly: no sign, no leading zero).
fn delta_base(name: &str) -> Option<u64> {
    let digits = name
        .strip_prefix(DELTA_PREFIX)?
        .strip_suffix(DELTA_SUFFIX)?;
    let base: u64 = digits.parse().ok()?;
    (revocation_delta_file(base) == name).then_some(base)
}

/// Why the state directory could not be used, or a list not installed. Messages name
/// the file within the directory, never the directory's path, and hold no personal
/// data (the files hold none).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Reading or writing `file` failed.
    #[error("{file}: {kind}")]
    Io {
        /// The file's name in the directory, or [`DIRECTORY`].
        file: String,
        /// What kind of failure.
        kind: io::ErrorKind,
        /// The error the system gave.
        #[source]
        source: io::Error,
    },
    /// The path given for the directory is a file.
    #[error("{DIRECTORY} is a file, not a directory")]
    NotADirectory,
    /// Another [`Store`] holds the directory's lock (another process, or another
    /// verifier in this one).
    #[error("{DIRECTORY} is in use by another verifier (its {LOCK_FILE} file is locked); open one verifier per directory")]
    Locked,
    /// `file` is larger than any such file can be.
    #[error("{file}: larger than the {max} bytes such a file can be")]
    TooLarge {
        /// The file's name in the directory.
        file: String,
        /// Largest size allowed.
        max: usize,
    },
    /// More revocation delta files than [`MAX_SAVED_DELTAS`], or more bytes of them
    /// together than one full revocation list may have: not read.
    #[error(
        "{DIRECTORY} holds {count} revocation delta files of {bytes} bytes together, more than \
         {MAX_SAVED_DELTAS} files or the size of one full list; install a full revocation list"
    )]
    TooManyDeltas {
        /// Delta files found (or read before the bytes ran over).
        count: usize,
        /// Their bytes together, as far as they were read.
        bytes: usize,
    },
    /// The state file cannot be read. It is not reset.
    #[error(
        "{STATE_FILE}: {source}; the state is not reset: restore the file, or remove it \
         knowingly to start with no rollback protection"
    )]
    DamagedState {
        /// What is wrong with it.
        source: StateError,
    },
    /// The verifier refused the trust list (nothing was saved).
    #[error("trust list refused: {0}")]
    TrustListRefused(#[from] TrustListError),
    /// The verifier refused the revocation list or delta (nothing was saved).
    #[error("revocation list refused: {0}")]
    RevocationListRefused(#[from] RevocationError),
}

impl StoreError {
    fn io(file: &str, source: io::Error) -> StoreError {
        StoreError::Io {
            file: file.to_owned(),
            kind: source.kind(),
            source,
        }
    }
}

/// An open state directory, locked for the life of this value.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    /// Holds the advisory lock; the system releases it when the file is closed.
    _lock: File,
}

/// A verifier opened on a state directory, with what was left out of it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Opened {
    /// The verifier: the saved state, and the saved lists it accepted.
    pub verifier: Verifier,
    /// Why the saved trust list was not installed (the roots no longer accept it, or
    /// it was replaced by another file), if it was not. The verifier then has no
    /// trust list, so every verdict says `no-trust-list` until one is installed.
    pub trust_list_left_out: Option<TrustListError>,
    /// Why the saved revocation list, or a saved delta, was not installed. Without a
    /// revocation list, verdicts carry the `revocation-not-checked` warning.
    pub revocation_list_left_out: Option<RevocationError>,
}

impl Store {
    /// Opens the state directory at `dir`, creating it (and its parents) if absent, and
    /// takes its lock.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotADirectory`] when `dir` is a file; [`StoreError::Locked`] when
    /// another `Store` has it open; [`StoreError::Io`] when it cannot be created or
    /// its lock file opened.
    pub fn open(dir: impl AsRef<Path>) -> Result<Store, StoreError> {
        let dir = dir.as_ref();
        match fs::metadata(dir) {
            Ok(metadata) if !metadata.is_dir() => return Err(StoreError::NotADirectory),
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(dir).map_err(|error| StoreError::io(DIRECTORY, error))?;
            }
            Err(error) => return Err(StoreError::io(DIRECTORY, error)),
        }
        let lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(LOCK_FILE))
            .map_err(|error| StoreError::io(LOCK_FILE, error))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(StoreError::Locked),
            Err(TryLockError::Error(error)) => return Err(StoreError::io(LOCK_FILE, error)),
        }
        Ok(Store {
            dir: dir.to_owned(),
            _lock: lock,
        })
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The saved state; an empty state when there is no state file yet (first run).
    ///
    /// # Errors
    ///
    /// [`StoreError::DamagedState`] for a file that is not a readable state (it is
    /// left as it is); [`StoreError::TooLarge`] or [`StoreError::Io`].
    pub fn state(&self) -> Result<VerifierState, StoreError> {
        Ok(self.read_state()?.0)
    }

    fn read_state(&self) -> Result<(VerifierState, Option<Vec<u8>>), StoreError> {
        match self.read(STATE_FILE, MAX_STATE_BYTES)? {
            Some(bytes) => match VerifierState::from_bytes(&bytes) {
                Ok(state) => Ok((state, Some(bytes))),
                Err(source) => Err(StoreError::DamagedState { source }),
            },
            None => Ok((VerifierState::new(), None)),
        }
    }

    /// A verifier that trusts lists signed by `roots`, carrying on from the saved
    /// state, with the saved trust list, revocation list and the deltas applied since
    /// installed again (the list and its deltas as one chain,
    /// [`Verifier::install_revocation_chain`]). A saved list the verifier refuses is left out and said why in
    /// [`Opened`]; the state still refuses older lists. When installing the copies
    /// raised the state (a crash between writing a list and the state), or the state
    /// file has an older format, the state file is written again.
    ///
    /// # Errors
    ///
    /// [`StoreError::DamagedState`], [`StoreError::TooLarge`],
    /// [`StoreError::TooManyDeltas`] or [`StoreError::Io`].
    pub fn open_verifier(
        &self,
        roots: Vec<PublicKey>,
        options: VerifierOptions,
    ) -> Result<Opened, StoreError> {
        let (state, saved_bytes) = self.read_state()?;
        let mut verifier = Verifier::with_state(roots, options, state);
        let mut trust_list_left_out = None;
        if let Some(list) = self.read(TRUST_LIST_FILE, cose::MAX_DOCUMENT_LENGTH)? {
            trust_list_left_out = verifier.install_trust_list(&list).err();
        }
        let mut revocation_list_left_out = None;
        if let Some(list) = self.read(REVOCATION_LIST_FILE, revocation::MAX_SIGNED_LENGTH)? {
            let deltas = self.saved_deltas()?;
            revocation_list_left_out = verifier.install_revocation_chain(&list, &deltas).err();
        }
        let current = verifier.state().to_bytes();
        let changed = match &saved_bytes {
            Some(saved) => *saved != current,
            None => *verifier.state() != VerifierState::new(),
        };
        if changed {
            self.replace(STATE_FILE, &current)?;
        }
        Ok(Opened {
            verifier,
            trust_list_left_out,
            revocation_list_left_out,
        })
    }

    /// The saved deltas, in order of their base sequence (core skips those below the
    /// saved list's sequence).
    fn saved_deltas(&self) -> Result<Vec<Vec<u8>>, StoreError> {
        let entries = fs::read_dir(&self.dir).map_err(|error| StoreError::io(DIRECTORY, error))?;
        let mut bases = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|error| StoreError::io(DIRECTORY, error))?;
            if let Some(base) = entry.file_name().to_str().and_then(delta_base) {
                bases.push(base);
            }
        }
        if bases.len() > MAX_SAVED_DELTAS {
            return Err(StoreError::TooManyDeltas {
                count: bases.len(),
                bytes: 0,
            });
        }
        bases.sort_unstable();
        // Together no larger than one full list: a longer chain is never worth keeping.
        let mut budget = revocation::MAX_SIGNED_LENGTH;
        let mut deltas = Vec::with_capacity(bases.len());
        for base in bases {
            let name = revocation_delta_file(base);
            let Some(delta) = self.read(&name, revocation::MAX_SIGNED_LENGTH)? else {
                continue;
            };
            let Some(left) = budget.checked_sub(delta.len()) else {
                return Err(StoreError::TooManyDeltas {
                    count: deltas.len() + 1,
                    bytes: revocation::MAX_SIGNED_LENGTH - budget + delta.len(),
                });
            };
            budget = left;
            deltas.push(delta);
        }
        Ok(deltas)
    }

    /// Installs the signed trust list `signed` in `verifier` and saves it with the
    /// state (list first, state second; see the crate documentation). On any error
    /// `verifier` is unchanged.
    ///
    /// # Errors
    ///
    /// [`StoreError::TrustListRefused`] when the verifier refuses it (nothing is
    /// written); [`StoreError::Io`] when it cannot be saved.
    pub fn install_trust_list(
        &self,
        verifier: &mut Verifier,
        signed: &[u8],
    ) -> Result<(), StoreError> {
        let mut next = verifier.clone();
        next.install_trust_list(signed)?;
        self.persist(verifier, next, TRUST_LIST_FILE, signed)
    }

    /// Installs the signed full revocation list `signed` in `verifier` and saves it with
    /// the state, like [`Store::install_trust_list`]; the saved deltas of earlier lists
    /// are then removed (on a best effort: a delta older than the state is never
    /// applied again).
    ///
    /// # Errors
    ///
    /// [`StoreError::RevocationListRefused`] or [`StoreError::Io`].
    pub fn install_revocation_list(
        &self,
        verifier: &mut Verifier,
        signed: &[u8],
    ) -> Result<(), StoreError> {
        let mut next = verifier.clone();
        next.install_revocation_list(signed)?;
        self.persist(verifier, next, REVOCATION_LIST_FILE, signed)?;
        self.remove_saved_deltas();
        Ok(())
    }

    /// Applies the signed revocation delta `signed` to `verifier`'s revocation list
    /// and saves it beside the list ([`revocation_delta_file`]) with the state, like
    /// [`Store::install_trust_list`]. The state records the delta's sequence and no
    /// digest (see `certqr_core::state`).
    ///
    /// # Errors
    ///
    /// [`StoreError::RevocationListRefused`] or [`StoreError::Io`].
    pub fn apply_revocation_delta(
        &self,
        verifier: &mut Verifier,
        signed: &[u8],
    ) -> Result<(), StoreError> {
        let base = verifier
            .revocation_list()
            .map(|list| list.sequence)
            .ok_or(RevocationError::NoListInstalled)?;
        let mut next = verifier.clone();
        next.apply_revocation_delta(signed)?;
        self.persist(verifier, next, &revocation_delta_file(base), signed)
    }

    /// Saves `signed` as `file`, then `next`'s state if it changed, then replaces
    /// `verifier` with `next`.
    fn persist(
        &self,
        verifier: &mut Verifier,
        next: Verifier,
        file: &str,
        signed: &[u8],
    ) -> Result<(), StoreError> {
        self.replace(file, signed)?;
        if next.state() != verifier.state() {
            self.replace(STATE_FILE, &next.state().to_bytes())?;
        }
        *verifier = next;
        Ok(())
    }

    fn remove_saved_deltas(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let is_delta = name.to_str().and_then(delta_base).is_some();
            if is_delta {
                // Best effort, as documented on install_revocation_list.
                fs::remove_file(entry.path()).ok();
            }
        }
    }

    /// The contents of file `name`, at most `max` bytes; `None` when it does not exist.
    fn read(&self, name: &str, max: usize) -> Result<Option<Vec<u8>>, StoreError> {
        let file = match File::open(self.dir.join(name)) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(StoreError::io(name, error)),
        };
        let mut bytes = Vec::new();
        file.take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|error| StoreError::io(name, error))?;
        if bytes.len() > max {
            return Err(StoreError::TooLarge {
                file: name.to_owned(),
                max,
            });
        }
        Ok(Some(bytes))
    }

    /// Replaces file `name` with `bytes`: a temporary file beside it, written and
    /// flushed, renamed over it, then the directory flushed.
    fn replace(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let temporary_name = format!("{name}.tmp");
        let temporary = self.dir.join(&temporary_name);
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temporary)
            .map_err(|error| StoreError::io(&temporary_name, error))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|error| StoreError::io(&temporary_name, error))?;
        drop(file);
        fs::rename(&temporary, self.dir.join(name)).map_err(|error| StoreError::io(name, error))?;
        sync_directory(&self.dir).map_err(|error| StoreError::io(DIRECTORY, error))
    }
}

/// Flushes a directory's entries (the rename) to disk.
#[cfg(unix)]
fn sync_directory(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Elsewhere a directory cannot be opened as a file; the system flushes the rename.
#[cfg(not(unix))]
fn sync_directory(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests;
