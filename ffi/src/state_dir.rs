//! The verifier's directory: what it remembers between runs of the app.
//!
//! The files have the names `certqr verify --state-dir` uses, so the command can read
//! a directory an app wrote (and the reverse):
//!
//! - `state.cqs`: the highest list sequences installed and the latest signed time
//!   seen ([`VerifierState`], format in `certqr_core::state`);
//! - `trust-list.cose` and `revocation-list.cose`: the last lists installed, so that a
//!   new `Verifier` on the directory starts with them.
//!
//! Each file is replaced atomically: a temporary file beside it, flushed, renamed over
//! it, then the directory flushed, so a crash leaves the old file or the new one. A
//! state file that cannot be read is an error, never a reset.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use certqr_core::state::{VerifierState, MAX_STATE_BYTES};

use crate::CertqrError;

/// Name of the state file.
pub const STATE_FILE: &str = "state.cqs";
/// Name of the copy of the last installed trust list.
pub const TRUST_LIST_FILE: &str = "trust-list.cose";
/// Name of the copy of the last installed revocation list.
pub const REVOCATION_LIST_FILE: &str = "revocation-list.cose";

/// A state directory, created if it did not exist.
#[derive(Debug)]
pub(crate) struct StateDir {
    dir: PathBuf,
}

/// The error for `name` in the state directory. The message names the file, not the
/// directory (an app's private path says nothing useful to its user).
fn io_error(name: &str, error: &io::Error) -> CertqrError {
    CertqrError::StateDirectory(format!("{name}: {error}"))
}

impl StateDir {
    /// Opens the directory at `dir`, creating it and its parents if absent.
    pub(crate) fn open(dir: &Path) -> Result<StateDir, CertqrError> {
        fs::create_dir_all(dir).map_err(|error| io_error("the directory", &error))?;
        Ok(StateDir {
            dir: dir.to_owned(),
        })
    }

    /// The saved state; an empty state when there is no state file yet (first run).
    pub(crate) fn load_state(&self) -> Result<VerifierState, CertqrError> {
        match self.read(STATE_FILE, MAX_STATE_BYTES)? {
            Some(bytes) => Ok(VerifierState::from_bytes(&bytes)?),
            None => Ok(VerifierState::new()),
        }
    }

    /// The contents of file `name`, at most `max` bytes; `None` when it does not exist.
    pub(crate) fn read(&self, name: &str, max: usize) -> Result<Option<Vec<u8>>, CertqrError> {
        let file = match File::open(self.dir.join(name)) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(io_error(name, &error)),
        };
        let mut bytes = Vec::new();
        file.take((max as u64).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|error| io_error(name, &error))?;
        if bytes.len() > max {
            return Err(CertqrError::StateDirectory(format!(
                "{name}: larger than the {max} bytes such a file can be"
            )));
        }
        Ok(Some(bytes))
    }

    /// Replaces file `name` with `bytes`: a temporary file beside it, flushed, renamed
    /// over it, then the directory flushed.
    pub(crate) fn replace(&self, name: &str, bytes: &[u8]) -> Result<(), CertqrError> {
        let path = self.dir.join(name);
        let temporary = self.dir.join(format!("{name}.tmp"));
        let error = |error: io::Error| io_error(name, &error);
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temporary)
            .map_err(error)?;
        file.write_all(bytes).map_err(error)?;
        file.sync_all().map_err(error)?;
        drop(file);
        fs::rename(&temporary, &path).map_err(error)?;
        sync_directory(&self.dir).map_err(error)
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
