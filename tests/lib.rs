//! Cross-crate tests for certqr: see `tests/`.
