//! `certqr verify --state-dir DIR`: the verifier's memory between runs, kept in a
//! directory the user names (there is no global state).
//!
//! `DIR/state.cqs` holds the highest trust list sequence installed and the latest
//! signed time seen ([`VerifierState`]); `DIR/trust-list.cose` is a copy of the last
//! trust list installed, so that `--trust` may be left out next time. Both are written
//! atomically: a temporary file in `DIR`, flushed to disk, then renamed over the old
//! one, and the directory flushed, so a crash leaves the old file or the new one.
//!
//! A state file that cannot be read (truncated, corrupted, a newer format) stops the
//! command with exit status 2 and one line naming the file. It is never reset: that
//! would let whoever damaged it replay an older trust list.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use certqr_core::cose;
use certqr_core::keys::PublicKey;
use certqr_core::state::{VerifierState, MAX_STATE_BYTES};
use certqr_core::trust::TrustListError;
use certqr_core::verify::{Verifier, VerifierOptions};

use crate::error::CliError;
use crate::files;
use crate::trust_list;

/// Name of the state file in the state directory.
pub const STATE_FILE: &str = "state.cqs";
/// Name of the copy of the last installed trust list in the state directory.
pub const TRUST_LIST_FILE: &str = "trust-list.cose";

/// A state directory, created if it did not exist.
#[derive(Debug)]
pub struct StateDir {
    dir: PathBuf,
}

impl StateDir {
    /// Opens the state directory at `dir`, creating it (and its parents) if absent.
    pub fn open(dir: &Path) -> Result<StateDir, CliError> {
        fs::create_dir_all(dir).map_err(|error| CliError::io(dir, &error))?;
        Ok(StateDir {
            dir: dir.to_owned(),
        })
    }

    /// Path of the state file.
    pub fn state_path(&self) -> PathBuf {
        self.dir.join(STATE_FILE)
    }

    /// Path of the saved trust list.
    pub fn trust_list_path(&self) -> PathBuf {
        self.dir.join(TRUST_LIST_FILE)
    }

    /// The saved state; an empty state when there is no state file yet (first run).
    /// A damaged state file is an error, never a reset.
    pub fn load(&self) -> Result<VerifierState, CliError> {
        let path = self.state_path();
        match fs::symlink_metadata(&path) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok(VerifierState::new())
            }
            Err(error) => return Err(CliError::io(&path, &error)),
            Ok(_) => {}
        }
        let bytes = files::read_bounded(&path, MAX_STATE_BYTES as u64)?;
        VerifierState::from_bytes(&bytes).map_err(|error| {
            CliError::in_file(
                &path,
                format!(
                    "{error}; the state is not reset: restore the file, or remove it \
                     knowingly to start with no rollback protection"
                ),
            )
        })
    }

    /// Writes `state` atomically.
    pub fn save(&self, state: &VerifierState) -> Result<(), CliError> {
        self.replace(&self.state_path(), &state.to_bytes())
    }

    /// Replaces the file at `path` (in this directory) with `bytes`: a temporary file
    /// beside it, flushed, renamed over it, then the directory flushed.
    fn replace(&self, path: &Path, bytes: &[u8]) -> Result<(), CliError> {
        let temporary = files::with_suffix(path, ".tmp");
        let io_error = |error: io::Error| CliError::io(&temporary, &error);
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temporary)
            .map_err(io_error)?;
        file.write_all(bytes).map_err(io_error)?;
        file.sync_all().map_err(io_error)?;
        drop(file);
        fs::rename(&temporary, path).map_err(|error| CliError::io(path, &error))?;
        sync_directory(&self.dir)
    }
}

/// Flushes a directory's entries (the rename) to disk, where the system allows it.
#[cfg(unix)]
fn sync_directory(dir: &Path) -> Result<(), CliError> {
    File::open(dir)
        .and_then(|directory| directory.sync_all())
        .map_err(|error| CliError::io(dir, &error))
}

/// Elsewhere a directory cannot be opened as a file; the rename is flushed by the system.
#[cfg(not(unix))]
fn sync_directory(_dir: &Path) -> Result<(), CliError> {
    Ok(())
}

/// What a run writes back to its state directory once every list is installed: the
/// state when it changed, and the copy of the trust list when it differs.
#[derive(Debug)]
pub struct StateUpdate {
    dir: StateDir,
    loaded: VerifierState,
    trust_list: Vec<u8>,
}

impl StateUpdate {
    /// Saves `verifier`'s state if it differs from the one read at the start, and the
    /// trust list copy if it differs from the saved one. Call it after installing every
    /// list (trust and revocation), so that all their sequences are remembered.
    pub fn save(&self, verifier: &Verifier) -> Result<(), CliError> {
        if *verifier.state() != self.loaded {
            self.dir.save(verifier.state())?;
        }
        let copy = self.dir.trust_list_path();
        if !fs::read(&copy).is_ok_and(|saved| saved == self.trust_list) {
            self.dir.replace(&copy, &self.trust_list)?;
        }
        Ok(())
    }
}

/// The verifier of `certqr verify`. With a state directory: built from its state,
/// given the trust list `trust` (or, without it, the copy saved in the directory),
/// with the [`StateUpdate`] to save once every list is installed. Without one: just
/// the trust list `trust` installed.
pub fn verifier(
    roots: Vec<PublicKey>,
    trust: Option<&Path>,
    state_dir: Option<&Path>,
    options: VerifierOptions,
) -> Result<(Verifier, Option<StateUpdate>), CliError> {
    let Some(state_dir) = state_dir else {
        let trust = trust.ok_or_else(|| {
            CliError::new("give the trust list with --trust LIST (or a --state-dir that holds one)")
        })?;
        return Ok((crate::verify::verifier(roots, trust, options)?, None));
    };
    let dir = StateDir::open(state_dir)?;
    let loaded = dir.load()?;
    let saved_list = dir.trust_list_path();
    let trust = match trust {
        Some(trust) => trust.to_owned(),
        None if saved_list.exists() => saved_list,
        None => {
            return Err(CliError::in_file(
                state_dir,
                format!("holds no {TRUST_LIST_FILE} yet: give the trust list with --trust LIST"),
            ))
        }
    };
    let trust_list = files::read_bounded(&trust, cose::MAX_DOCUMENT_LENGTH as u64)?;
    let mut verifier = Verifier::with_state(roots.clone(), options, loaded);
    verifier
        .install_trust_list(&trust_list)
        .map_err(|error| refusal(&trust, &error, &roots, &dir))?;
    let update = StateUpdate {
        dir,
        loaded,
        trust_list,
    };
    Ok((verifier, Some(update)))
}

/// Why the trust list at `path` was refused; a rollback names the state file.
fn refusal(path: &Path, error: &TrustListError, roots: &[PublicKey], dir: &StateDir) -> CliError {
    match error {
        TrustListError::Rollback { installed, offered } => CliError::in_file(
            path,
            format!(
                "trust list refused: its sequence {offered} is older than sequence {installed} \
                 recorded in {} (rollback)",
                dir.state_path().display()
            ),
        ),
        other => CliError::in_file(path, trust_list::refusal(other, roots)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn state_round_trips_and_is_replaced_atomically() {
        let temporary = tempfile::TempDir::new().unwrap();
        let dir = StateDir::open(&temporary.path().join("new/state")).unwrap();
        assert_eq!(dir.load().unwrap(), VerifierState::new());
        let mut state = VerifierState::new();
        state.record_trust_list(4, datetime!(2025-01-01 00:00 UTC));
        dir.save(&state).unwrap();
        assert_eq!(dir.load().unwrap(), state);
        state.record_trust_list(5, datetime!(2025-02-01 00:00 UTC));
        dir.save(&state).unwrap();
        assert_eq!(dir.load().unwrap(), state);
        assert!(!files::with_suffix(&dir.state_path(), ".tmp").exists());
    }

    #[test]
    fn a_damaged_state_file_is_an_error_naming_it_and_is_left_alone() {
        let temporary = tempfile::TempDir::new().unwrap();
        let dir = StateDir::open(temporary.path()).unwrap();
        let mut state = VerifierState::new();
        state.record_trust_list(4, datetime!(2025-01-01 00:00 UTC));
        let bytes = state.to_bytes();
        let truncated = &bytes[..bytes.len() - 5];
        fs::write(dir.state_path(), truncated).unwrap();
        let error = dir.load().unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("{}: ", dir.state_path().display())),
            "{error}"
        );
        assert!(error.contains("corrupted or truncated"), "{error}");
        assert_eq!(fs::read(dir.state_path()).unwrap(), truncated);
    }
}
