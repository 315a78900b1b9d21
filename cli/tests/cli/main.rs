//! End-to-end tests of the `certqr` binary, one module per command: each test runs the
//! built command in a temporary folder and checks exit statuses, files and JSON fields.
//! What they share (running the binary, the fixture folder, the two-line (Chinese, English) error check and
//! bad-input tables) is in `support.rs`.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

#[macro_use]
mod support;

mod batch;
mod demo;
mod docs;
mod inspect;
mod issue;
mod keygen;
mod revocation;
mod scan;
mod state;
mod trust_list;
mod verify;

certqr_test!(an_unknown_subcommand_gives_one_line, |fixture| {
    support::assert_refused(
        &fixture,
        vec![(
            "unknown subcommand",
            vec!["frobnicate"],
            vec!["unrecognized subcommand"],
        )],
    );
});
