//! The inspector's side: [`Verifier`] over [`certqr_core::verify::Verifier`], with its
//! state kept in a directory.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use certqr_core::keys::PublicKey;
use certqr_core::revocation::RevocationList;
use certqr_core::trust::TrustList;
use certqr_core::verify::{self, VerifierOptions};
use certqr_scan as scan;
use certqr_store::Store;
use time::OffsetDateTime;

use crate::{CertqrError, ListInfo, ScannedCode, Verdict};

/// Verifies certificates offline against the pinned root keys and the trust list they
/// sign, remembering in a state directory the lists it installed (rollback protection
/// across restarts) and the latest signed time it saw (protection against a clock set
/// back).
///
/// Open one `Verifier` per state directory and share it (it is thread-safe): it locks
/// the directory for its life, and a second `Verifier` on the same directory is
/// refused (`StateDirectory`, "in use") until the first is closed.
///
/// Every method that judges dates takes `now` in Unix seconds (UTC) from the device
/// clock, read once by the caller for the call. Dates are judged in China Standard
/// Time whatever the device's time zone, so no offset is needed. A clock behind the
/// last signed list's issue time is reported (`clock-behind-trusted-data`) and dates
/// are judged at that time instead.
#[derive(Debug, uniffi::Object)]
pub struct Verifier {
    inner: Mutex<verify::Verifier>,
    /// The state directory (`certqr-store`), locked while this object lives.
    store: Store,
}

#[uniffi::export]
impl Verifier {
    /// A verifier that trusts lists signed by any of `root_public_keys`, each a PEM
    /// `PUBLIC KEY` document (Ed25519 or SM2, as `certqr keygen` writes `root.pub`),
    /// keeping its state in `state_directory` (created if absent).
    ///
    /// The lists saved there by an earlier run are installed again (the trust list,
    /// and the revocation list with the deltas applied since); a saved list the roots
    /// no longer accept is left out (verdicts then say `no-trust-list` until a list is
    /// installed, or carry the `revocation-not-checked` warning), while the state file
    /// still refuses older lists and other lists under an installed sequence.
    ///
    /// # Errors
    ///
    /// `InvalidKey` for an unreadable key or none at all; `StateDirectory` when the
    /// directory cannot be created or read, is in use by another `Verifier`, or its
    /// state file is damaged (it is never reset).
    #[uniffi::constructor]
    pub fn new(
        root_public_keys: Vec<String>,
        state_directory: String,
    ) -> Result<Arc<Verifier>, CertqrError> {
        let roots = root_public_keys
            .iter()
            .map(|pem| PublicKey::from_pem(pem))
            .collect::<Result<Vec<_>, _>>()?;
        if roots.is_empty() {
            return Err(CertqrError::InvalidKey("no root public key given".into()));
        }
        let store = Store::open(Path::new(&state_directory))?;
        // A saved list that is refused is left out, as documented above.
        let verifier = store
            .open_verifier(roots, VerifierOptions::default())?
            .verifier;
        Ok(Arc::new(Verifier {
            inner: Mutex::new(verifier),
            store,
        }))
    }

    /// The constructor under a name: in Kotlin `Verifier.open(…)` is declared
    /// `@Throws(CertqrException::class)`, which uniffi 0.32 does not put on a primary
    /// constructor, so Java code can catch the exception
    /// (`Verifier.Companion.open(…)`). Swift and Python have only the constructor's
    /// behaviour to offer through either.
    ///
    /// # Errors
    ///
    /// As [`Verifier::new`].
    #[uniffi::constructor]
    pub fn open(
        root_public_keys: Vec<String>,
        state_directory: String,
    ) -> Result<Arc<Verifier>, CertqrError> {
        Verifier::new(root_public_keys, state_directory)
    }

    /// Install a signed trust list, `list` (the bytes of a `.cose` file a root key signed),
    /// replacing the current one, and save it in the state directory. On any error
    /// nothing changes, in memory or on disk.
    ///
    /// # Errors
    ///
    /// `TrustListRollback` when its sequence is lower than one installed before (now
    /// or in an earlier run); `InvalidTrustList` when it is malformed, not signed by a
    /// pinned root, or has the sequence of one installed before (now or in an earlier
    /// run) with other content; `StateDirectory` when it cannot be saved.
    pub fn install_trust_list(&self, list: Vec<u8>) -> Result<ListInfo, CertqrError> {
        let mut verifier = self.lock();
        self.store.install_trust_list(&mut verifier, &list)?;
        verifier
            .trust_list()
            .map(trust_list_info)
            .ok_or_else(|| CertqrError::Internal("no trust list after installing one".into()))
    }

    /// Install a signed full revocation list, `list`, replacing the current one, and save it
    /// in the state directory. On any error nothing changes. Without a revocation
    /// list, revocation is not checked.
    ///
    /// # Errors
    ///
    /// `RevocationListRollback` when its sequence is lower than one installed before;
    /// `InvalidRevocationList` when it is malformed, not signed by a pinned root, or
    /// has the sequence of one installed before (now or in an earlier run) with other
    /// content; `StateDirectory` when it cannot be saved.
    pub fn install_revocation_list(&self, list: Vec<u8>) -> Result<ListInfo, CertqrError> {
        let mut verifier = self.lock();
        self.store.install_revocation_list(&mut verifier, &list)?;
        verifier
            .revocation_list()
            .map(revocation_list_info)
            .ok_or_else(|| CertqrError::Internal("no revocation list after installing one".into()))
    }

    /// The installed trust list, if any.
    pub fn trust_list(&self) -> Option<ListInfo> {
        self.lock().trust_list().map(trust_list_info)
    }

    /// The installed revocation list, if any.
    pub fn revocation_list(&self) -> Option<ListInfo> {
        self.lock().revocation_list().map(revocation_list_info)
    }

    /// Verify the text of a scanned QR code at `now` (Unix seconds).
    ///
    /// # Errors
    ///
    /// `InvalidArgument` when `now` is outside the years -9999 to 9999. Anything wrong with
    /// the text itself is a verdict, not an error.
    pub fn verify(&self, text: String, now: i64) -> Result<Verdict, CertqrError> {
        let now = instant(now)?;
        Ok((&self.lock().verify(&text, now)).into())
    }

    /// Find every QR code in a camera frame's luma (Y) plane and verify each at `now`
    /// (Unix seconds): `height` rows of `width` bytes, each row starting `row_stride`
    /// bytes after the previous one (the last row need not be padded). Android's
    /// `ImageProxy.planes[0]` and iOS's `CVPixelBuffer` plane 0 give these directly.
    /// No code in the frame is an empty list. Only the scanner's quick passes run
    /// (`ScanOptions::frame()`: about a millisecond on a frame without a code); a photo the
    /// inspector takes on purpose goes to [`Verifier::scan_photo`], which tries every pass.
    ///
    /// # Errors
    ///
    /// `BadFrame` for a negative or zero dimension, a stride below the width, or a buffer shorter
    /// than `row_stride * (height - 1) + width` bytes or longer than
    /// `row_stride * height`; `ImageTooLarge` past 40 megapixels; `BadImage` if the
    /// decoder failed; `InvalidArgument` for `now` out of range.
    ///
    /// The plane is borrowed for the call, not copied: in Kotlin it is a direct
    /// `java.nio.ByteBuffer`, read from its first byte up to `remaining()` bytes
    /// whatever its `position()` (uniffi passes the buffer's address and
    /// `remaining()`; this library cannot see the position). A buffer with a nonzero
    /// position is refused when its remaining bytes cannot be the frame (too few or too
    /// many); when they can, the bytes from the buffer's start are read. In Kotlin call
    /// the extension `scanLumaPlane` shipped with the binding, which reads from the
    /// position to the limit, or pass `buffer.slice()` (CameraX's `ImageProxy` planes
    /// start at position 0).
    pub fn scan_frame(
        &self,
        luma: &[u8],
        width: i32,
        height: i32,
        row_stride: i32,
        now: i64,
    ) -> Result<Vec<ScannedCode>, CertqrError> {
        let now = instant(now)?;
        let width = frame_size("width", width)?;
        let height = frame_size("height", height)?;
        let row_stride = frame_size("row stride", row_stride)?;
        // A live preview sends the next frame 33 ms later: the quick passes only.
        check_frame_length(luma.len(), width, height, row_stride)?;
        let frame = scan::LumaFrame::new(luma, width, height, row_stride)?;
        let codes = scan::scan_frame(&frame, &scan::ScanOptions::frame())?;
        Ok(self.verify_codes(codes, now))
    }

    /// Find every QR code in a PNG or JPEG photo and verify each at `now` (Unix
    /// seconds). No code in the photo is an empty list.
    ///
    /// # Errors
    ///
    /// `BadImage` for anything but a readable PNG or JPEG; `ImageTooLarge` past 64 MiB
    /// or 40 megapixels; `InvalidArgument` for `now` out of range.
    pub fn scan_photo(&self, encoded: Vec<u8>, now: i64) -> Result<Vec<ScannedCode>, CertqrError> {
        let now = instant(now)?;
        let codes = scan::scan_image(&encoded, &scan::ScanOptions::photo())?;
        Ok(self.verify_codes(codes, now))
    }
}

impl Verifier {
    /// The core verifier. A panic while it was locked cannot have left it half
    /// changed (it is only ever replaced whole), so a poisoned lock is taken over.
    fn lock(&self) -> MutexGuard<'_, verify::Verifier> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn verify_codes(&self, codes: Vec<scan::ScannedCode>, now: OffsetDateTime) -> Vec<ScannedCode> {
        let verifier = self.lock();
        codes
            .into_iter()
            .map(|code| {
                let verdict = verifier.verify(&code.text, now);
                ScannedCode::new(code, &verdict)
            })
            .collect()
    }
}

/// A frame's `value` as the scanner takes it: sizes cross the boundary signed (Java has
/// no unsigned types), so a negative one is refused here, naming it.
fn frame_size(name: &str, value: i32) -> Result<u32, CertqrError> {
    u32::try_from(value)
        .map_err(|_| CertqrError::BadFrame(format!("the frame's {name} {value} is negative")))
}

/// Refuses a luma plane of `length` bytes that cannot be `height` rows of `width`
/// pixels `row_stride` bytes apart: fewer bytes than the last row ends at, or more than
/// `height` whole rows. The upper bound is what catches most planes handed over from the
/// wrong start (a Kotlin `ByteBuffer` with a position, whose bytes uniffi passes from the
/// buffer's start). Zero dimensions and a stride below the width are left to
/// [`scan::LumaFrame::new`], which names them.
fn check_frame_length(
    length: usize,
    width: u32,
    height: u32,
    row_stride: u32,
) -> Result<(), CertqrError> {
    if width == 0 || height == 0 || row_stride < width {
        return Ok(());
    }
    let shortest = u64::from(row_stride) * u64::from(height - 1) + u64::from(width);
    let longest = u64::from(row_stride) * u64::from(height);
    let length = u64::try_from(length).unwrap_or(u64::MAX);
    if (shortest..=longest).contains(&length) {
        return Ok(());
    }
    Err(CertqrError::BadFrame(format!(
        "a luma plane of {length} bytes cannot be {height} rows of {width} pixels \
         {row_stride} bytes apart: {shortest} to {longest} bytes expected (pass the plane \
         from its first byte; in Kotlin a direct ByteBuffer at position 0, such as \
         buffer.slice())"
    )))
}

/// The instant `unix_seconds` after the Unix epoch.
fn instant(unix_seconds: i64) -> Result<OffsetDateTime, CertqrError> {
    OffsetDateTime::from_unix_timestamp(unix_seconds).map_err(|_| {
        CertqrError::InvalidArgument(format!(
            "time {unix_seconds} (Unix seconds) is outside the years -9999 to 9999"
        ))
    })
}

fn trust_list_info(list: &TrustList) -> ListInfo {
    ListInfo {
        sequence: crate::signed_sequence(list.sequence),
        issued_at: list.issued_at.unix_timestamp(),
        expires_at: list.expires_at.unix_timestamp(),
    }
}

fn revocation_list_info(list: &RevocationList) -> ListInfo {
    ListInfo {
        sequence: crate::signed_sequence(list.sequence),
        issued_at: list.issued_at.unix_timestamp(),
        expires_at: list.expires_at.unix_timestamp(),
    }
}
