//! `docs/format.md` agrees with the code: every generated block (hex dump, QR text,
//! sizes, limits, content types) is recomputed and compared, and the tables of reason
//! and warning codes list exactly the codes `verify/reason.rs` defines.
//!
//! `CERTQR_REGENERATE_VECTORS=1 cargo test -p certqr-tests` rewrites the generated
//! blocks instead of comparing them.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeSet;
use std::fs;
use std::sync::OnceLock;

use certqr_core::{cose, text};
use certqr_tests::spec::{self, END_MARKER};

/// Rewrite the generated blocks once per run when regenerating, before any test reads the doc.
fn doc_ready() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        if !certqr_tests::regenerating() {
            return;
        }
        let path = certqr_tests::format_doc_path();
        let mut doc = fs::read_to_string(&path).unwrap();
        for block in spec::blocks().unwrap() {
            doc = spec::replace_block(&doc, block.name, &block.content).unwrap();
        }
        fs::write(&path, doc).unwrap();
        eprintln!("regenerated the generated blocks of docs/format.md");
    });
}

fn doc() -> String {
    doc_ready();
    fs::read_to_string(certqr_tests::format_doc_path()).unwrap()
}

#[test]
fn generated_blocks_match_the_code() {
    let blocks = spec::blocks().unwrap();
    let doc = doc();
    for block in blocks {
        let found = spec::block_content(&doc, block.name).unwrap_or_else(|| {
            panic!(
                "docs/format.md lacks the block {} ... {END_MARKER}",
                spec::start_marker(block.name)
            )
        });
        assert!(
            found == block.content,
            "docs/format.md block \"{}\" is out of date; run CERTQR_REGENERATE_VECTORS=1 cargo test -p certqr-tests.\n\
             --- in the doc:\n{found}\n--- from the code:\n{}",
            block.name,
            block.content
        );
    }
}

#[test]
fn every_marker_is_closed_and_names_a_known_block() {
    let doc = doc();
    let names: BTreeSet<&str> = spec::blocks()
        .unwrap()
        .iter()
        .map(|block| block.name)
        .collect();
    let mut open: Option<&str> = None;
    let mut seen = BTreeSet::new();
    for line in doc.lines() {
        if let Some(name) = line
            .strip_prefix("<!-- generated:")
            .and_then(|rest| rest.strip_suffix(" -->"))
        {
            assert!(open.is_none(), "block {name} opens inside block {open:?}");
            assert!(names.contains(name), "unknown generated block {name}");
            assert!(seen.insert(name.to_owned()), "block {name} appears twice");
            open = Some(name);
        } else if line == END_MARKER {
            assert!(open.take().is_some(), "{END_MARKER} without a block");
        }
    }
    assert!(open.is_none(), "block {open:?} is not closed");
    assert_eq!(seen.len(), names.len());
}

/// Backticked codes in the first cell of the rows of the table under the heading ending in `heading`.
fn table_codes(doc: &str, heading: &str) -> BTreeSet<String> {
    let start = doc
        .lines()
        .position(|line| line.starts_with('#') && line.ends_with(heading))
        .unwrap_or_else(|| panic!("docs/format.md has no heading ending in {heading}"));
    let mut codes = BTreeSet::new();
    let mut in_table = false;
    for line in doc.lines().skip(start + 1) {
        if line.starts_with('|') {
            in_table = true;
            let first_cell = line.trim_start_matches('|').split('|').next().unwrap();
            for (index, part) in first_cell.split('`').enumerate() {
                if index % 2 == 1 && part.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                    codes.insert(part.to_owned());
                }
            }
        } else if in_table {
            break;
        }
    }
    codes
}

/// String literals of the `code` function of `impl <type_name>` in core/src/verify/reason.rs:
/// catches a code added to the source that `spec::reason_codes` does not construct yet.
fn codes_in_source(type_name: &str) -> BTreeSet<String> {
    let source =
        fs::read_to_string(certqr_tests::crate_dir().join("../core/src/verify/reason.rs")).unwrap();
    let implementation = source.find(&format!("impl {type_name} {{")).unwrap();
    let function = implementation + source[implementation..].find("pub fn code(&self)").unwrap();
    let body_end = function + source[function..].find("\n    }\n").unwrap();
    source[function..body_end]
        .split('"')
        .enumerate()
        .filter(|(index, _)| index % 2 == 1)
        .map(|(_, literal)| literal.to_owned())
        .collect()
}

#[test]
fn reason_table_lists_exactly_the_codes_of_verify_rs() {
    let constructed: BTreeSet<String> = spec::reason_codes()
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        constructed,
        codes_in_source("Reason"),
        "spec::reason_codes is missing a code of verify.rs"
    );
    assert_eq!(table_codes(&doc(), "Reason codes"), constructed);
}

#[test]
fn warning_table_lists_exactly_the_codes_of_verify_rs() {
    let constructed: BTreeSet<String> = spec::warning_codes()
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        constructed,
        codes_in_source("Warning"),
        "spec::warning_codes is missing a code of verify.rs"
    );
    assert_eq!(table_codes(&doc(), "Warning codes"), constructed);
}

#[test]
fn example_text_decodes_to_the_dumped_document() {
    let (document, qr_text) = certqr_tests::generator::example_document().unwrap();
    assert_eq!(text::decode(&qr_text).unwrap(), document);
    let message = cose::parse(&document).unwrap();
    assert_eq!(message.protected_bytes().len(), 17);
    // The Sig_structure the spec shows (built by hand) is what certqr signs.
    assert_eq!(
        certqr_tests::forge::sig_structure(message.protected_bytes(), &message.payload),
        message.signed_data()
    );
    assert_eq!(message.signature.len(), 64);
    assert!(spec::block_content(&doc(), "qr-text")
        .unwrap()
        .contains(&qr_text));
}

#[test]
fn eu_dcc_comparison_is_version_18_at_quartile() {
    let size = spec::eu_dcc_size().unwrap();
    assert_eq!(size.versions[1], 18, "{size:?}");
}

#[test]
fn doc_names_the_regenerate_command_and_the_vector_files() {
    let doc = doc();
    assert!(doc.contains("CERTQR_REGENERATE_VECTORS=1 cargo test -p certqr-tests"));
    for file in certqr_tests::generator::VECTOR_FILES
        .iter()
        .chain(&["keys.json", "trust-list.json"])
    {
        assert!(
            doc.contains(file),
            "docs/format.md does not mention tests/vectors/{file}"
        );
    }
}
