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

/// The normative sentences of the spec (those with MUST, MUST NOT or SHALL) with the
/// number of the section they stand in (`"4.2"`), outside code blocks and before the
/// first numbered heading (where RFC 2119's key words are introduced).
fn normative_sentences(doc: &str) -> Vec<(String, String)> {
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut in_code = false;
    for line in doc.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code || line.starts_with('|') {
            continue;
        }
        let heading = line.trim_start_matches('#');
        if heading.len() < line.len() {
            let number: String = heading
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let number = number.trim_end_matches('.');
            if !number.is_empty() {
                sections.push((number.to_owned(), String::new()));
                continue;
            }
        }
        if let Some((_, text)) = sections.last_mut() {
            // A blank line ends a paragraph, and so a sentence.
            text.push(if line.trim().is_empty() { '\n' } else { ' ' });
            text.push_str(line.trim());
        }
    }
    let normative = |sentence: &str| {
        sentence
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|word| word == "MUST" || word == "SHALL")
    };
    sections
        .into_iter()
        .flat_map(|(section, text)| {
            text.split('\n')
                .flat_map(|paragraph| paragraph.split(". "))
                .filter(|sentence| normative(sentence))
                .map(|sentence| (section.clone(), sentence.trim().to_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Section numbers written as `§N` or `§N.M` in `text` (`"§5.4 rule 8"` gives `5.4`).
fn section_references(text: &str) -> BTreeSet<String> {
    text.split('§')
        .skip(1)
        .map(|rest| {
            let number: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            number.trim_end_matches('.').to_owned()
        })
        .filter(|number| !number.is_empty())
        .collect()
}

/// For each test function (`#[test]`) of a Rust file: its name, and the sections of
/// format.md its doc comment or name refers to, as `format.md §N.M` (so a reference to
/// an RFC's section does not count).
fn tests_naming_sections(source: &str) -> Vec<(String, BTreeSet<String>)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.trim() != "#[test]" {
            continue;
        }
        let mut above = Vec::new();
        for earlier in lines[..index].iter().rev() {
            let earlier = earlier.trim();
            if earlier.starts_with("//") || earlier.starts_with("#[") {
                above.push(earlier);
            } else {
                break;
            }
        }
        above.reverse();
        let Some(signature) = lines[index + 1..]
            .iter()
            .find(|line| line.trim_start().starts_with("fn "))
        else {
            continue;
        };
        let name = signature
            .trim_start()
            .trim_start_matches("fn ")
            .split('(')
            .next()
            .unwrap_or_default()
            .to_owned();
        let comment = above.join(" ");
        let sections = comment
            .find("format.md")
            .map(|start| section_references(&comment[start..]))
            .unwrap_or_default();
        found.push((name, sections));
    }
    found
}

/// Every Rust file of the workspace's crates (not `target/`, not the fuzz workspace).
fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// Every section of docs/format.md that holds a MUST, MUST NOT or SHALL has a test whose
/// doc comment names it (`/// format.md §` and the section number, then what it pins),
/// so no normative sentence is left
/// without a test a reader can find from the spec.
#[test]
fn every_section_with_a_must_has_a_test_that_names_it() {
    let doc = doc();
    let sentences = normative_sentences(&doc);
    let root = certqr_tests::crate_dir().join("..");
    let mut files = Vec::new();
    for dir in ["core", "cli", "ffi", "crates", "tests"] {
        rust_files(&root.join(dir), &mut files);
    }
    let mut named: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for file in &files {
        let source = fs::read_to_string(file).unwrap();
        for (test, sections) in tests_naming_sections(&source) {
            for section in sections {
                named.entry(section).or_default().push(test.clone());
            }
        }
    }
    // The collector works: this sentence and these tests are known to be there.
    assert!(sentences
        .iter()
        .any(|(section, sentence)| section == "2.2" && sentence.starts_with("A reader MUST")));
    assert!(
        named["2.2"].contains(&"rejects_bad_text".to_owned()),
        "{named:?}"
    );
    assert!(!sentences.iter().any(|(section, _)| section.is_empty()));

    let mut missing = Vec::new();
    for (section, sentence) in &sentences {
        match named.get(section) {
            Some(tests) => eprintln!("§{section}: {sentence:.70}... tested by {tests:?}"),
            None => missing.push(format!("§{section}: {sentence}")),
        }
    }
    assert!(
        missing.is_empty(),
        "normative sentences of docs/format.md in sections no test names \
         (write `/// format.md §N.M: ...` above a test that checks them):\n{}",
        missing.join("\n")
    );
}
