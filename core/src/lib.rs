//! certqr-core: signed certificate QR codes that verify offline.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod catalog;
pub mod id_number;
pub mod cbor;
pub mod cose;
pub mod keys;
pub mod text;
pub mod certificate;
pub mod fields;
pub mod trust;
pub mod verify;
pub mod issue;
pub mod samples;
