//! certqr-scan-eval: how well and how fast certqr's scanner reads QR codes, measured
//! against zxing-cpp on the same pixels in the same run.
//!
//! Test support, never shipped. The `scan-eval` binary is the command; the work lives
//! here:
//! - [`photos`]: folders of photos with their expected texts (the layout of
//!   `../shared/qr-photos`), loaded as grey pixels, and the inverted and mirrored copies;
//! - [`degrade`]: seeded photos of certqr cards, degraded by level;
//! - [`measure`]: timing certqr's [`certqr_scan::scan_frame`] and summarising;
//! - [`zxing`]: zxing-cpp (PyPI `zxing-cpp`) run on the same pixels through
//!   `tools/scan-eval/zxing_read.py`.
//!
//! ```
//! use certqr_scan_eval::{degrade, measure};
//!
//! let photo = degrade::generate(1, 0, 0).unwrap();
//! let outcome = measure::certqr(&photo.image, 1);
//! assert!(outcome.reads(&photo.text));
//! ```

pub mod degrade;
pub mod measure;
pub mod photos;
pub mod zxing;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BenchError {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A photo could not be decoded.
    #[error("{path}: {source}")]
    Image {
        /// The photo.
        path: String,
        /// What went wrong.
        source: image::ImageError,
    },
    /// A photo has no expected text beside it.
    #[error("{0}: no expected text (.txt) beside it")]
    NoExpectedText(String),
    /// The Python side failed or answered something unexpected.
    #[error("zxing-cpp through Python: {0}")]
    Python(String),
    /// The command line asks for something that does not exist.
    #[error("{0}")]
    Usage(String),
    /// A degraded photo could not be made.
    #[error(transparent)]
    Degrade(#[from] degrade::DegradeError),
}

impl BenchError {
    /// An I/O error about `path`.
    pub fn io(path: &std::path::Path, source: std::io::Error) -> BenchError {
        BenchError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
