//! The examples of README.md and docs/cli.md, run: every shell command with the built
//! binary, every description file written where the commands read it, so that the
//! documentation cannot go stale.
//!
//! The convention (stated at the top of docs/cli.md): each fenced block of a document
//! is taken in order, in one temporary folder per document (its `HOME` too).
//!
//! - ```` ```sh ```` blocks run, one command at a time (a line ending in `\` goes on),
//!   with `certqr` the built binary and `cargo run --release -p certqr --` the same.
//!   A command must exit with status 0, unless its comment says `exit status N`.
//! - ```` ```toml ````, ```` ```json ```` and ```` ```csv ```` blocks are files:
//!   preceded by `<!-- docs-test: file NAME -->`, the block is written to `NAME`.
//! - A plain ```` ``` ```` block preceded by `<!-- docs-test: output -->` is output:
//!   each of its lines (spacing aside) must be in the standard output of the
//!   command before it.
//! - `<!-- docs-test: skip: REASON -->` before any block says why it is not run.
//!
//! A sh, toml, json or csv block without a way to run it fails the test.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

const README: &str = include_str!("../../../README.md");
const CLI_REFERENCE: &str = include_str!("../../../docs/cli.md");

/// One fenced block: its line number, language, marker and text.
#[derive(Debug)]
struct Block {
    line: usize,
    language: String,
    marker: Option<String>,
    text: String,
}

fn blocks(document: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = document.lines().enumerate();
    let mut previous: Option<&str> = None;
    while let Some((number, line)) = lines.next() {
        let Some(language) = line.strip_prefix("```") else {
            if !line.trim().is_empty() {
                previous = Some(line);
            }
            continue;
        };
        let marker = previous
            .and_then(|line| line.trim().strip_prefix("<!-- docs-test:"))
            .and_then(|rest| rest.strip_suffix("-->"))
            .map(|marker| marker.trim().to_owned());
        let mut text = String::new();
        for (_, line) in lines.by_ref() {
            if line.starts_with("```") {
                break;
            }
            text.push_str(line);
            text.push('\n');
        }
        blocks.push(Block {
            line: number + 1,
            language: language.trim().to_owned(),
            marker,
            text,
        });
        previous = None;
    }
    blocks
}

/// The commands of a shell block: lines ending in `\` joined to the next.
fn commands(text: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        match line.strip_suffix('\\') {
            Some(start) => {
                current.push_str(start);
                current.push(' ');
            }
            None => {
                current.push_str(line);
                if !current.trim().is_empty() {
                    commands.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    commands
}

/// The exit status a command's comment announces (`exit status 1`), else 0.
fn expected_status(command: &str) -> i32 {
    let Some((_, comment)) = command.split_once(" #") else {
        return 0;
    };
    comment
        .split_once("exit status ")
        .and_then(|(_, rest)| rest.chars().next())
        .and_then(|digit| digit.to_digit(10))
        .map_or(0, |digit| digit as i32)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs the examples of `document` (named `name`) in a fresh folder, which is returned.
fn run_examples(name: &str, document: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    let bin = TempDir::new().unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_certqr"), bin.path().join("certqr")).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut last_stdout = String::new();
    let mut ran = 0;
    for block in blocks(document) {
        let place = format!("{name}:{}", block.line);
        match (block.language.as_str(), block.marker.as_deref()) {
            (_, Some(marker)) if marker.starts_with("skip:") => {
                assert!(
                    marker.len() > "skip:".len() + 3,
                    "{place}: a skipped block needs a reason"
                );
            }
            ("sh", None) => {
                for command in commands(&block.text) {
                    let command = command.replace("cargo run --release -p certqr --", "certqr");
                    let output = Command::new("bash")
                        .args(["-c", &command])
                        .current_dir(dir.path())
                        .env("PATH", &path)
                        .env("HOME", dir.path())
                        .output()
                        .unwrap();
                    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    assert_eq!(
                        output.status.code(),
                        Some(expected_status(&command)),
                        "{place}: {command}\nstdout:\n{stdout}\nstderr:\n{stderr}"
                    );
                    assert!(!stderr.contains("panicked"), "{place}: {stderr}");
                    last_stdout = stdout;
                    ran += 1;
                }
            }
            ("toml" | "json" | "csv", Some(marker)) if marker.starts_with("file ") => {
                let file = marker.trim_start_matches("file ").trim();
                std::fs::write(dir.path().join(file), &block.text).unwrap();
            }
            ("", Some("output")) => {
                let output = collapse(&last_stdout);
                for line in block.text.lines().filter(|line| !line.trim().is_empty()) {
                    assert!(
                        output.contains(&collapse(line)),
                        "{place}: {line:?} is not in the output:\n{last_stdout}"
                    );
                }
            }
            ("", None) => {} // a sample of output or messages, not checked
            (language, marker) => panic!(
                "{place}: a ```{language} block with marker {marker:?}: run it, mark it \
                 `<!-- docs-test: file NAME -->`, or `<!-- docs-test: skip: REASON -->`"
            ),
        }
    }
    assert!(ran > 0, "{name}: no command ran");
    dir
}

fn assert_same_file(dir: &Path, name: &str, expected: &str) {
    let written = std::fs::read_to_string(dir.join(name)).unwrap();
    assert_eq!(written, expected, "{name} differs from cli/samples/{name}");
}

#[test]
fn readme_examples_run() {
    let dir = run_examples("README.md", README);
    // The tour's commands ran and left what they say.
    for file in [
        "list.cose",
        "cert.png",
        "card.svg",
        "revoked.cose",
        ".certqr/state.cqs",
    ] {
        assert!(dir.path().join(file).is_file(), "{file} missing");
    }
    assert!(dir.path().join("cards").is_dir());
}

#[test]
fn cli_reference_examples_run() {
    let dir = run_examples("docs/cli.md", CLI_REFERENCE);
    // The description files shown are the ones the demo leaves (cli/samples/).
    assert_same_file(
        dir.path(),
        "list.toml",
        include_str!("../../samples/list.toml"),
    );
    assert_same_file(
        dir.path(),
        "cert.toml",
        include_str!("../../samples/cert.toml"),
    );
    assert_same_file(
        dir.path(),
        "demo-out/list.toml",
        include_str!("../../samples/list.toml"),
    );
    assert_same_file(
        dir.path(),
        "demo-out/people.csv",
        include_str!("../../samples/people.csv"),
    );
}

#[test]
fn the_conventions_are_read_as_documented() {
    let document = "text\n<!-- docs-test: file a.toml -->\n```toml\nx = 1\n```\n\n```sh\n\
                    certqr a \\\n  --b c   # exit status 1: not valid\ncertqr d\n```\n";
    let found = blocks(document);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].marker.as_deref(), Some("file a.toml"));
    assert_eq!(found[0].text, "x = 1\n");
    assert_eq!(found[1].marker, None);
    let commands = commands(&found[1].text);
    assert_eq!(commands.len(), 2);
    assert_eq!(expected_status(&commands[0]), 1);
    assert_eq!(expected_status(&commands[1]), 0);
}
