//! What every command's tests share: running the built binary, the two-line (Chinese, English) error check,
//! bad-input tables, and the fixture folder with keys, a signed trust list and
//! certificate descriptions.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

/// A test that starts from a fresh [`Fixture`], in the manner of ripgrep's `rgtest!`:
/// `certqr_test!(name, |fixture| { ... })`.
macro_rules! certqr_test {
    ($name:ident, |$fixture:ident| $body:block) => {
        #[test]
        fn $name() {
            let $fixture = $crate::support::Fixture::new();
            $body
        }
    };
}

/// What one run of the command gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}): {self:?}"))
    }

    /// Exit status 2 and the problem said twice on standard error, as `certqr`
    /// reports every problem: a Chinese line, then an English line, each
    /// `certqr: ...`; each of `expected` is in one of them, and there is no panic.
    pub fn assert_error(&self, expected: &[&str]) {
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

    /// Exit status `code` and every one of `expected` on standard output.
    pub fn assert_stdout(&self, code: i32, expected: &[&str]) -> &Run {
        assert_eq!(self.code, code, "{self:?}");
        for part in expected {
            assert!(
                self.stdout.contains(part),
                "{part:?} missing: {}",
                self.stdout
            );
        }
        self
    }
}

/// One bad invocation: what it is, the arguments, and the parts of the error message
/// it must give.
pub type BadInput<'a> = (&'a str, Vec<&'a str>, Vec<&'a str>);

/// Runs every row of `table` in `fixture`: each must exit with status 2, a Chinese and an English line on
/// standard error holding every part given, and nothing on standard output.
pub fn assert_refused(fixture: &Fixture, table: Vec<BadInput<'_>>) {
    for (case, args, expected) in table {
        let run = fixture.run(&args);
        run.assert_error(&expected);
        assert!(run.stdout.is_empty(), "{case}: {run:?}");
    }
}

pub fn certqr(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_certqr"))
        .args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

pub const TRUST_LIST_TOML: &str = r#"
sequence = 1
issued_at = "2025-01-01T00:00:00Z"
expires_at = 2026-01-01T00:00:00Z
[[issuer]]
public_key = "keys/issuer.pub"
name_zh = "江苏省应急管理厅"
name_en = "Jiangsu Provincial Department of Emergency Management"
region_code = 320000
key_valid_from = "2020-01-01"
key_valid_until = 2030-12-31
status = "active"
[[issuer.scope]]
family = "special-operations"
items = ["1.1", "1.2"]
[[issuer.scope]]
family = "construction-special-operations"
"#;

/// Special operations, item 1.1: in the issuer's scope.
pub const SPECIAL_OPERATIONS_TOML: &str = r#"
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

/// Construction special operations, valid 2023-06-01 to 2025-05-31.
pub const CONSTRUCTION_JSON: &str = r#"{
  "family": "construction-special-operations",
  "item": "04",
  "holder_name": "陈静",
  "sex": "female",
  "id_number": "440306199211082825",
  "number": "苏A042023000123",
  "first_issued": "2023-06-01",
  "valid_from": "2023-06-01",
  "valid_until": "2025-05-31"
}"#;

/// The fixture's trust list with official domains: the issuer's own and a national
/// platform's.
pub const TRUST_LIST_WITH_DOMAINS_TOML: &str = r#"
sequence = 1
issued_at = "2025-01-01T00:00:00Z"
expires_at = 2026-01-01T00:00:00Z
[[issuer]]
public_key = "keys/issuer.pub"
name_zh = "江苏省应急管理厅"
name_en = "Jiangsu Provincial Department of Emergency Management"
region_code = 320000
key_valid_from = "2020-01-01"
key_valid_until = 2030-12-31
status = "active"
domains = ["ajj.jiangsu.gov.cn"]
[[issuer.scope]]
family = "special-operations"
[[official_domain]]
domain = "cx.mem.gov.cn"
name_zh = "应急管理部"
name_en = "Ministry of Emergency Management"
"#;

/// A folder with a root key, an issuer key, a signed trust list and certificate
/// descriptions.
pub struct Fixture {
    pub dir: TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = TempDir::new().unwrap();
        std::fs::create_dir(dir.path().join("keys")).unwrap();
        let fixture = Fixture { dir };
        for prefix in ["keys/root", "keys/issuer", "keys/other-root"] {
            let run = fixture.run(&["keygen", "--out", prefix]);
            assert_eq!(run.code, 0, "{run:?}");
        }
        fixture.write("list.toml", TRUST_LIST_TOML);
        fixture.write("special-operations.toml", SPECIAL_OPERATIONS_TOML);
        fixture.write("construction.json", CONSTRUCTION_JSON);
        let run = fixture.run(&[
            "trust-list",
            "create",
            "--root",
            "keys/root.key",
            "--in",
            "list.toml",
            "--out",
            "list.cose",
        ]);
        assert_eq!(run.code, 0, "{run:?}");
        fixture
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).unwrap();
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        certqr(self.dir.path(), args)
    }

    /// Issues the certificate described in `description` and returns its QR text.
    pub fn issue(&self, description: &str) -> String {
        let run = self.run(&["issue", "--key", "keys/issuer.key", "--in", description]);
        assert_eq!(run.code, 0, "{run:?}");
        run.stdout.trim_end().to_owned()
    }

    pub fn verify_json(&self, text: &str, at: &str) -> Run {
        self.run(&[
            "verify",
            "--root",
            "keys/root.pub",
            "--trust",
            "list.cose",
            "--at",
            at,
            "--json",
            text,
        ])
    }

    /// Signs [`TRUST_LIST_WITH_DOMAINS_TOML`] (written as `domains.toml`) into
    /// `domains.cose`.
    pub fn create_domains_list(&self) {
        self.write("domains.toml", TRUST_LIST_WITH_DOMAINS_TOML);
        let run = self.create_trust_list("domains.toml", "domains.cose");
        assert_eq!(run.code, 0, "{run:?}");
    }

    /// `certqr trust-list create` of `description` into `out` with the fixture's root.
    pub fn create_trust_list(&self, description: &str, out: &str) -> Run {
        self.run(&[
            "trust-list",
            "create",
            "--root",
            "keys/root.key",
            "--in",
            description,
            "--out",
            out,
        ])
    }

    /// Writes `blank.png`, a readable white PNG with no QR code in it.
    pub fn write_blank_png(&self) {
        let png = blank_png(64);
        // The hand-made picture is a readable PNG without a code.
        assert_eq!(
            certqr_scan::scan_image(&png, &certqr_scan::ScanOptions::photo()).unwrap(),
            vec![]
        );
        std::fs::write(self.path("blank.png"), png).unwrap();
    }
}

/// The QR text with one byte of the signed holder name changed.
pub fn tampered(text: &str) -> String {
    let mut document = certqr_core::text::decode(text).unwrap();
    let name = "张建国".as_bytes();
    let start = document
        .windows(name.len())
        .position(|window| window == name)
        .unwrap();
    document[start + name.len() - 1] ^= 0x01;
    certqr_core::text::encode(&document)
}

/// The reason codes of a JSON verdict.
pub fn reason_codes(verdict: &Value) -> Vec<&str> {
    codes(&verdict["reasons"])
}

/// The warning codes of a JSON verdict.
pub fn warning_codes(verdict: &Value) -> Vec<&str> {
    codes(&verdict["warnings"])
}

fn codes(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["code"].as_str().unwrap())
        .collect()
}

/// A white grayscale PNG with no QR code.
pub fn blank_png(side: u32) -> Vec<u8> {
    let mut png = Vec::new();
    image::GrayImage::from_pixel(side, side, image::Luma([255]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

/// Runs `certqr revocation ARGS...` and expects success.
pub fn revocation_ok(fixture: &Fixture, args: &[&str]) -> Run {
    let mut all = vec!["revocation"];
    all.extend_from_slice(args);
    let run = fixture.run(&all);
    assert_eq!(run.code, 0, "{run:?}");
    run
}
