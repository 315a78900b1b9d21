//! End-to-end tests of `certqr verify --state-dir`: what the state directory keeps from
//! one run of the built command to the next (both lists, the deltas since, the digests
//! that refuse another list under an installed sequence).
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

/// What one run of the command gave.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}): {self:?}"))
    }

    /// The reason codes of a JSON verdict.
    fn reasons(&self) -> Vec<String> {
        codes(&self.json()["reasons"])
    }

    /// The warning codes of a JSON verdict.
    fn warnings(&self) -> Vec<String> {
        codes(&self.json()["warnings"])
    }

    /// Exit status 2 and the problem said twice on standard error, as `certqr`
    /// reports every problem: a Chinese line, then an English line, each
    /// `certqr: ...`; each of `expected` is in one of them, and there is no panic.
    fn assert_error(&self, expected: &[&str]) {
        assert_eq!(self.code, 2, "{self:?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            2,
            "not a Chinese and an English line: {self:?}"
        );
        assert!(
            lines.iter().all(|line| line.starts_with("certqr: ")),
            "{self:?}"
        );
        let chinese = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert!(chinese(lines[0]), "the first line is not Chinese: {self:?}");
        if !expected.iter().any(|part| chinese(part)) {
            assert!(
                !chinese(lines[1]),
                "the second line is not English: {self:?}"
            );
        }
        for part in expected {
            assert!(
                lines.iter().any(|line| line.contains(part)),
                "{part:?} missing: {self:?}"
            );
        }
        assert!(!self.stderr.contains("panicked"), "{self:?}");
    }
}

fn codes(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Trust list 1; `NAME_EN` is replaced to make another list with the same sequence.
const TRUST_LIST_TOML: &str = r#"
sequence = 1
issued_at = "2025-01-01T00:00:00Z"
expires_at = 2026-01-01T00:00:00Z
[[issuer]]
public_key = "keys/issuer.pub"
name_zh = "江苏省应急管理厅"
name_en = "NAME_EN"
region_code = 320000
key_valid_from = "2020-01-01"
key_valid_until = 2030-12-31
status = "active"
[[issuer.scope]]
family = "special-operations"
"#;

/// Special operations, item 1.1: in the issuer's scope.
const CERTIFICATE_TOML: &str = r#"
family = "special-operations"
item = "1.1"
holder_name = "张建国"
sex = "male"
id_number = "32010219850612123X"
first_issued = 2024-01-01
valid_from = "2024-01-01"
valid_until = "2029-12-31"
review_due = "2027-01-01"
"#;

/// When every verification runs: the lists are current then.
const AT: &str = "2025-02-01T00:00:00Z";

/// A folder with a root and an issuer key, trust list `list.cose`, and one certificate.
struct Fixture {
    dir: TempDir,
    /// The certificate's QR text.
    text: String,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = TempDir::new().unwrap();
        fs::create_dir(dir.path().join("keys")).unwrap();
        let mut fixture = Fixture {
            dir,
            text: String::new(),
        };
        for prefix in ["keys/root", "keys/issuer"] {
            fixture.ok(&["keygen", "--out", prefix]);
        }
        fixture.trust_list(
            "Jiangsu Provincial Department of Emergency Management",
            "list.cose",
        );
        fixture.write("certificate.toml", CERTIFICATE_TOML);
        let run = fixture.ok(&[
            "issue",
            "--key",
            "keys/issuer.key",
            "--in",
            "certificate.toml",
        ]);
        fixture.text = run.stdout.trim_end().to_owned();
        fixture
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) {
        fs::write(self.path(name), text).unwrap();
    }

    fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_certqr"))
            .args(args)
            .current_dir(self.dir.path())
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code, 0, "{run:?}");
        run
    }

    /// Signs trust list 1 naming the issuer `name_en` into `out`.
    fn trust_list(&self, name_en: &str, out: &str) {
        let description = format!("{out}.toml");
        self.write(&description, &TRUST_LIST_TOML.replace("NAME_EN", name_en));
        self.ok(&[
            "trust-list",
            "create",
            "--root",
            "keys/root.key",
            "--in",
            &description,
            "--out",
            out,
        ]);
    }

    /// Signs revocation list `sequence` into `out`, revoking the certificate when
    /// `revoked` (else empty).
    fn revocation_list(&self, sequence: &str, revoked: bool, out: &str) {
        let mut args = vec![
            "revocation",
            "create",
            "--root",
            "keys/root.key",
            "--sequence",
            sequence,
            "--issued-at",
            "2025-01-10T00:00:00Z",
            "--expires",
            "2026-01-01T00:00:00Z",
            "--out",
            out,
        ];
        if revoked {
            args.extend(["--certificate", &self.text]);
        }
        self.ok(&args);
    }

    /// `certqr verify --state-dir state --json` at [`AT`] with `extra` arguments.
    fn verify(&self, extra: &[&str]) -> Run {
        let mut args = vec!["verify", "--root", "keys/root.pub", "--state-dir", "state"];
        args.extend_from_slice(extra);
        args.extend(["--clock", AT, "--json", &self.text]);
        self.run(&args)
    }

    fn read(&self, name: &str) -> Vec<u8> {
        fs::read(self.path(name)).unwrap()
    }
}

fn assert_revoked(run: &Run) {
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["status"], "invalid", "{run:?}");
    assert_eq!(run.reasons(), ["revoked"], "{run:?}");
}

#[test]
fn a_revocation_list_given_once_still_revokes_in_the_next_run() {
    let fixture = Fixture::new();
    fixture.revocation_list("1", true, "revoked-1.cose");
    assert_revoked(&fixture.verify(&["--trust", "list.cose", "--revocation", "revoked-1.cose"]));
    assert_eq!(
        fixture.read("state/revocation-list.cose"),
        fixture.read("revoked-1.cose")
    );
    // Neither list given: both come from the state directory.
    assert_revoked(&fixture.verify(&[]));
    assert_revoked(&fixture.verify(&["--trust", "list.cose"]));

    // Without the saved copy, the verdict says revocation was not checked.
    fs::remove_file(fixture.path("state/revocation-list.cose")).unwrap();
    let unchecked = fixture.verify(&[]);
    assert_eq!(unchecked.code, 0, "{unchecked:?}");
    assert_eq!(
        unchecked.warnings(),
        ["revocation-not-checked"],
        "{unchecked:?}"
    );
    let warning = &unchecked.json()["warnings"][0];
    assert!(
        warning["message_zh"]
            .as_str()
            .unwrap()
            .contains("未检查吊销状态"),
        "{warning}"
    );
}

#[test]
fn a_delta_given_once_still_applies_in_the_next_run() {
    let fixture = Fixture::new();
    fixture.revocation_list("1", false, "empty-1.cose");
    fixture.ok(&[
        "revocation",
        "add",
        "--root",
        "keys/root.key",
        "--list",
        "empty-1.cose",
        "--certificate",
        &fixture.text,
        "--issued-at",
        "2025-01-11T00:00:00Z",
        "--out",
        "revoked-2.cose",
        "--delta",
        "delta-1-2.cose",
    ]);
    let first = fixture.verify(&["--trust", "list.cose", "--revocation", "empty-1.cose"]);
    assert_eq!(first.code, 0, "{first:?}");
    assert_revoked(&fixture.verify(&["--revocation-delta", "delta-1-2.cose"]));
    assert_revoked(&fixture.verify(&[]));
    // The full list 2 (what the delta made) replaces list and delta.
    assert_revoked(&fixture.verify(&["--revocation", "revoked-2.cose"]));
    assert!(!fixture.path("state/revocation-delta-1.cose").exists());
    assert_revoked(&fixture.verify(&[]));
}

#[test]
fn another_trust_list_under_the_installed_sequence_is_refused_and_the_old_one_stays() {
    let fixture = Fixture::new();
    fixture.trust_list("Another Department", "other-1.cose");
    let first = fixture.verify(&["--trust", "list.cose"]);
    assert_eq!(first.code, 0, "{first:?}");
    let refused = fixture.verify(&["--trust", "other-1.cose"]);
    refused.assert_error(&[
        "other-1.cose: trust list refused",
        "sequence 1",
        "conflicting sequence",
        "state.cqs",
    ]);
    assert!(refused.stdout.is_empty(), "{refused:?}");
    assert_eq!(
        fixture.read("state/trust-list.cose"),
        fixture.read("list.cose")
    );
    let after = fixture.verify(&[]);
    assert_eq!(after.code, 0, "{after:?}");
    assert_eq!(after.json()["status"], "valid");
    // Without the saved copy, the digest in the state alone refuses it.
    fs::remove_file(fixture.path("state/trust-list.cose")).unwrap();
    fixture
        .verify(&["--trust", "other-1.cose"])
        .assert_error(&["other-1.cose: trust list refused", "conflicting sequence"]);
    assert!(!fixture.path("state/trust-list.cose").exists());
    let again = fixture.verify(&["--trust", "list.cose"]);
    assert_eq!(again.code, 0, "{again:?}");
}

#[test]
fn another_revocation_list_under_the_installed_sequence_is_refused_and_the_old_one_stays() {
    let fixture = Fixture::new();
    fixture.revocation_list("1", true, "revoked-1.cose");
    fixture.revocation_list("1", false, "empty-1.cose");
    assert_revoked(&fixture.verify(&["--trust", "list.cose", "--revocation", "revoked-1.cose"]));
    let refused = fixture.verify(&["--revocation", "empty-1.cose"]);
    refused.assert_error(&[
        "empty-1.cose: revocation list refused",
        "sequence 1",
        "conflicting sequence",
    ]);
    assert_eq!(
        fixture.read("state/revocation-list.cose"),
        fixture.read("revoked-1.cose")
    );
    assert_revoked(&fixture.verify(&[]));
    // Without the saved copy, the digest in the state alone refuses it.
    fs::remove_file(fixture.path("state/revocation-list.cose")).unwrap();
    fixture
        .verify(&["--revocation", "empty-1.cose"])
        .assert_error(&[
            "empty-1.cose: revocation list refused",
            "conflicting sequence",
        ]);
}

#[test]
fn a_state_dir_that_is_a_file_is_a_clear_error() {
    let fixture = Fixture::new();
    fixture.write("state", "not a directory");
    let run = fixture.verify(&["--trust", "list.cose"]);
    run.assert_error(&[
        "state: --state-dir 是一个文件，不是文件夹",
        "state: --state-dir is a file, not a folder; hint: give --state-dir a folder",
    ]);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert_eq!(
        fs::read_to_string(fixture.path("state")).unwrap(),
        "not a directory"
    );
}

#[test]
fn a_state_dir_without_a_trust_list_says_what_to_give() {
    let fixture = Fixture::new();
    fixture
        .verify(&[])
        .assert_error(&["state: holds no trust-list.cose yet", "--trust LIST"]);
    // A saved list the given root does not accept is named, with the reason.
    let first = fixture.verify(&["--trust", "list.cose"]);
    assert_eq!(first.code, 0, "{first:?}");
    fixture.ok(&["keygen", "--out", "keys/other-root"]);
    let run = fixture.run(&[
        "verify",
        "--root",
        "keys/other-root.pub",
        "--state-dir",
        "state",
        "--clock",
        AT,
        &fixture.text,
    ]);
    run.assert_error(&[
        &format!(
            "{}: the saved trust list is not used",
            Path::new("state").join("trust-list.cose").display()
        ),
        "none of the given roots",
        "--trust LIST",
    ]);
}
