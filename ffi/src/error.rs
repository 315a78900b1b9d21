//! The one error type of the bindings, and the only place core errors are mapped to it.
//!
//! Each variant is something an app can act on (ask for another trust list, retake
//! the photo, fix its own call). A verdict is not an error: a forged or expired
//! certificate comes back as a [`crate::Verdict`]. Messages carry no personal data:
//! the core errors they are made from never quote a holder's name or numbers, and
//! the state directory's errors name the file, not the directory path.

use certqr_core::certificate::CertificateError;
use certqr_core::id_number::IdNumberError;
use certqr_core::keys::KeyError;
use certqr_core::revocation::RevocationError;
use certqr_core::trust::TrustListError;
use certqr_render::RenderError;
use certqr_scan::ScanError;
use certqr_store::StoreError;

/// Why a call failed. In Kotlin and Swift each variant is its own exception type
/// (`CertqrException.TrustListRollback`, `CertqrError.TrustListRollback`), in Python
/// `CertqrError.TrustListRollback`; the message says what was wrong, in English.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
#[non_exhaustive]
pub enum CertqrError {
    /// A key could not be read: a root public key that is not a PEM `PUBLIC KEY` of
    /// Ed25519 or SM2, or a signing key that is not a PKCS#8 PEM `PRIVATE KEY` (or a
    /// seed that is not 32 bytes).
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// The trust list offered is refused: malformed, not signed by a pinned root key,
    /// another kind of document, or the installed sequence with other content. The
    /// installed list stays.
    #[error("invalid trust list: {0}")]
    InvalidTrustList(String),
    /// The trust list offered is older than one already installed (now or in an
    /// earlier run, as the state directory records). The installed list stays.
    #[error("trust list refused: {0}")]
    TrustListRollback(String),
    /// The revocation list offered is refused: malformed, not signed by a pinned root
    /// key, or the installed sequence with other content. The installed list stays.
    #[error("invalid revocation list: {0}")]
    InvalidRevocationList(String),
    /// The revocation list offered is older than one already installed (now or in an
    /// earlier run). The installed list stays.
    #[error("revocation list refused: {0}")]
    RevocationListRollback(String),
    /// The photo is not a PNG or JPEG, is corrupt, or made the decoder fail.
    #[error("bad image: {0}")]
    BadImage(String),
    /// The photo has more pixels or bytes than a scan accepts.
    #[error("image too large: {0}")]
    ImageTooLarge(String),
    /// The camera frame's width, height, row stride and buffer length do not agree.
    #[error("bad frame: {0}")]
    BadFrame(String),
    /// The state directory cannot be created, read or written, or its state file is
    /// damaged. A damaged state file is never reset: restore it, or remove it knowingly
    /// (which gives up rollback protection).
    #[error("state directory: {0}")]
    StateDirectory(String),
    /// The certificate data given to an issuer is incomplete or breaks its family's rules.
    #[error("invalid certificate data: {0}")]
    InvalidCertificateData(String),
    /// A number the app passed is out of range: a time outside the years -9999 to 9999, a
    /// module size outside 1 to 64 pixels, or text too long for any QR code.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A failure inside the library that the app cannot fix (a bug): please report it.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<KeyError> for CertqrError {
    fn from(error: KeyError) -> Self {
        CertqrError::InvalidKey(error.to_string())
    }
}

impl From<TrustListError> for CertqrError {
    fn from(error: TrustListError) -> Self {
        match error {
            TrustListError::Rollback { .. } => CertqrError::TrustListRollback(error.to_string()),
            other => CertqrError::InvalidTrustList(other.to_string()),
        }
    }
}

impl From<RevocationError> for CertqrError {
    fn from(error: RevocationError) -> Self {
        match error {
            RevocationError::Rollback { .. } => {
                CertqrError::RevocationListRollback(error.to_string())
            }
            other => CertqrError::InvalidRevocationList(other.to_string()),
        }
    }
}

impl From<ScanError> for CertqrError {
    fn from(error: ScanError) -> Self {
        match error {
            ScanError::BadFrame(_) => CertqrError::BadFrame(error.to_string()),
            ScanError::TooLarge { .. } | ScanError::EncodedTooLarge { .. } => {
                CertqrError::ImageTooLarge(error.to_string())
            }
            other => CertqrError::BadImage(other.to_string()),
        }
    }
}

impl From<CertificateError> for CertqrError {
    fn from(error: CertificateError) -> Self {
        CertqrError::InvalidCertificateData(error.to_string())
    }
}

impl From<IdNumberError> for CertqrError {
    fn from(error: IdNumberError) -> Self {
        CertqrError::InvalidCertificateData(format!("id_number: {error}"))
    }
}

impl From<RenderError> for CertqrError {
    fn from(error: RenderError) -> Self {
        match error {
            RenderError::Png(_) => CertqrError::Internal(error.to_string()),
            other => CertqrError::InvalidArgument(other.to_string()),
        }
    }
}

/// A refused list keeps its own variants; everything else about the directory (in
/// use, unreadable, a damaged state file) is `StateDirectory`, whose message names the
/// file, never the directory's path.
impl From<StoreError> for CertqrError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::TrustListRefused(error) => error.into(),
            StoreError::RevocationListRefused(error) => error.into(),
            other => CertqrError::StateDirectory(other.to_string()),
        }
    }
}

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use certqr_scan::FrameError;

    #[test]
    fn rollbacks_have_their_own_variants() {
        let trust = CertqrError::from(TrustListError::Rollback {
            installed: 5,
            offered: 4,
        });
        assert!(matches!(&trust, CertqrError::TrustListRollback(message)
            if message == "trust list sequence 4 is older than the installed 5"));
        let trust = CertqrError::from(TrustListError::ConflictingSequence { sequence: 5 });
        assert!(matches!(trust, CertqrError::InvalidTrustList(_)));
        let revocation = CertqrError::from(RevocationError::Rollback {
            installed: 2,
            offered: 1,
        });
        assert!(matches!(revocation, CertqrError::RevocationListRollback(_)));
        let revocation = CertqrError::from(RevocationError::NoListInstalled);
        assert!(matches!(revocation, CertqrError::InvalidRevocationList(_)));
    }

    #[test]
    fn scan_errors_split_into_frame_size_and_image() {
        let cases = [
            (
                ScanError::BadFrame(FrameError::ZeroDimension {
                    width: 0,
                    height: 480,
                }),
                "BadFrame",
            ),
            (
                ScanError::TooLarge {
                    width: 9000,
                    height: 9000,
                    max_pixels: 40_000_000,
                },
                "ImageTooLarge",
            ),
            (
                ScanError::EncodedTooLarge {
                    length: 1 << 30,
                    max: 64 << 20,
                },
                "ImageTooLarge",
            ),
            (ScanError::UnsupportedFormat, "BadImage"),
            (ScanError::Decode("truncated".into()), "BadImage"),
            (ScanError::DecoderPanicked, "BadImage"),
        ];
        for (error, expected) in cases {
            let mapped = format!("{:?}", CertqrError::from(error));
            assert!(mapped.starts_with(expected), "{mapped}");
        }
    }

    #[test]
    fn a_damaged_state_file_names_the_file_and_says_it_is_not_reset() {
        let message = CertqrError::from(StoreError::DamagedState {
            source: certqr_core::state::StateError::ChecksumMismatch,
        })
        .to_string();
        assert!(
            message.starts_with("state directory: state.cqs: "),
            "{message}"
        );
        assert!(message.contains("not reset"), "{message}");
    }

    #[test]
    fn store_errors_keep_the_list_variants() {
        let locked = CertqrError::from(StoreError::Locked);
        assert!(
            matches!(&locked, CertqrError::StateDirectory(message) if message.contains("in use")),
            "{locked:?}"
        );
        let conflict = CertqrError::from(StoreError::TrustListRefused(
            TrustListError::ConflictingSequence { sequence: 5 },
        ));
        assert!(
            matches!(conflict, CertqrError::InvalidTrustList(_)),
            "{conflict:?}"
        );
        let rollback = CertqrError::from(StoreError::RevocationListRefused(
            RevocationError::Rollback {
                installed: 2,
                offered: 1,
            },
        ));
        assert!(
            matches!(rollback, CertqrError::RevocationListRollback(_)),
            "{rollback:?}"
        );
    }
}
