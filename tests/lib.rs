//! Cross-crate tests for certqr: the test vectors, their generator, and the checks that
//! keep `docs/format.md` true.
//!
//! The library part is test support, never shipped:
//! - [`fixture`]: the fixed keys (test-only, derived from published labels), trust list
//!   and instants every vector is made in;
//! - [`forge`]: CBOR and COSE_Sign1 written byte by byte, for documents certqr would
//!   never write (non-canonical, re-signed with odd headers, malleated signatures);
//! - [`generator`]: every file of `tests/vectors/`, rebuilt deterministically;
//! - [`annotate`]: the annotated hex dump of a signed certificate in the spec;
//! - [`spec`]: the generated blocks of `docs/format.md` (hex dump, sizes);
//! - [`python`]: running the Python side of the interoperability tests;
//! - [`limits`]: the hostile pictures and texts of the resource-limit tests and of
//!   `examples/resource_limits.rs`, which measures them.
//!
//! The tests themselves live in `tests/`: `vectors.rs` (every vector through the
//! verifier; files byte-identical to a fresh generation), `format_doc.rs` (numbers in
//! the spec recomputed), `interop.rs` (COSE_Sign1 both ways with Python's pycose).
//!
//! ```
//! let files = certqr_tests::generator::generate().unwrap();
//! assert!(files.iter().any(|file| file.name == "keys.json"));
//! ```

pub mod annotate;
pub mod fixture;
pub mod forge;
pub mod generator;
pub mod limits;
pub mod python;
pub mod spec;

use std::path::PathBuf;

/// Set to `1` to rewrite the vector files and the generated blocks of `docs/format.md`
/// instead of comparing them: `CERTQR_REGENERATE_VECTORS=1 cargo test -p certqr-tests`.
pub const REGENERATE_ENV: &str = "CERTQR_REGENERATE_VECTORS";

/// Whether [`REGENERATE_ENV`] asks for regeneration.
pub fn regenerating() -> bool {
    std::env::var(REGENERATE_ENV).is_ok_and(|value| value == "1")
}

/// The directory of this crate (`tests/` in the workspace).
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/vectors/`.
pub fn vectors_dir() -> PathBuf {
    crate_dir().join("vectors")
}

/// `docs/format.md`.
pub fn format_doc_path() -> PathBuf {
    crate_dir().join("..").join("docs").join("format.md")
}
