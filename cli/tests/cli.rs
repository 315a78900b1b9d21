//! End-to-end tests of the `certqr` binary: each runs the built command in a temporary
//! folder and checks exit statuses, files and JSON fields.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

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

    /// Exit status 2 and exactly one line on standard error, `certqr: ...` holding
    /// every one of `expected`, and no panic.
    fn assert_one_line_error(&self, expected: &[&str]) {
        assert_eq!(self.code, 2, "{self:?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "not one line: {self:?}");
        assert!(lines[0].starts_with("certqr: "), "{self:?}");
        for part in expected {
            assert!(lines[0].contains(part), "{part:?} missing: {self:?}");
        }
        assert!(!self.stderr.contains("panicked"), "{self:?}");
    }
}

fn certqr(dir: &Path, args: &[&str]) -> Run {
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

const TRUST_LIST_TOML: &str = r#"
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
const SPECIAL_OPERATIONS_TOML: &str = r#"
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
const CONSTRUCTION_JSON: &str = r#"{
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

/// A folder with a root key, an issuer key, a signed trust list and certificate
/// descriptions.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Fixture {
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

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).unwrap();
    }

    fn run(&self, args: &[&str]) -> Run {
        certqr(self.dir.path(), args)
    }

    /// Issues the certificate described in `description` and returns its QR text.
    fn issue(&self, description: &str) -> String {
        let run = self.run(&["issue", "--key", "keys/issuer.key", "--in", description]);
        assert_eq!(run.code, 0, "{run:?}");
        run.stdout.trim_end().to_owned()
    }

    fn verify_json(&self, text: &str, at: &str) -> Run {
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
}

/// The QR text with one byte of the signed holder name changed.
fn tampered(text: &str) -> String {
    let mut document = certqr_core::text::decode(text).unwrap();
    let name = "张建国".as_bytes();
    let start = document
        .windows(name.len())
        .position(|window| window == name)
        .unwrap();
    document[start + name.len() - 1] ^= 0x01;
    certqr_core::text::encode(&document)
}

fn reason_codes(verdict: &Value) -> Vec<&str> {
    verdict["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|reason| reason["code"].as_str().unwrap())
        .collect()
}

#[test]
fn keygen_writes_owner_only_private_key_and_public_key_and_prints_key_id() {
    let dir = TempDir::new().unwrap();
    let run = certqr(dir.path(), &["keygen", "--out", "authority"]);
    assert_eq!(run.code, 0, "{run:?}");
    let key_id = run.stdout.trim_end();
    assert_eq!(key_id.len(), 16, "{run:?}");
    assert!(key_id.bytes().all(|byte| byte.is_ascii_hexdigit()));
    let private = std::fs::read_to_string(dir.path().join("authority.key")).unwrap();
    let public = std::fs::read_to_string(dir.path().join("authority.pub")).unwrap();
    assert!(
        private.starts_with("-----BEGIN PRIVATE KEY-----"),
        "{private}"
    );
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"), "{public}");
    // The printed id is the public key's.
    let key = certqr_core::keys::PublicKey::from_pem(&public).unwrap();
    assert_eq!(key.key_id().to_hex(), key_id);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("authority.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn keygen_refuses_to_overwrite_either_file() {
    for existing in ["authority.key", "authority.pub"] {
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join(existing), "keep me").unwrap();
        let run = certqr(dir.path(), &["keygen", "--out", "authority"]);
        run.assert_one_line_error(&[existing, "already exists"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join(existing)).unwrap(),
            "keep me"
        );
        // Nothing else was written.
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "{existing}"
        );
    }
}

#[test]
fn trust_list_inspect_shows_the_verified_list() {
    let fixture = Fixture::new();
    let run = fixture.run(&[
        "trust-list",
        "inspect",
        "--root",
        "keys/other-root.pub",
        "--root",
        "keys/root.pub",
        "list.cose",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    for expected in [
        "VERIFIED",
        "sequence    1",
        "issued at   2025-01-01T00:00:00Z",
        "expires at  2026-01-01T00:00:00Z",
        "江苏省应急管理厅 / Jiangsu Provincial Department of Emergency Management",
        "key window  2020-01-01 to 2030-12-31",
        "status      active",
        "1.1 高压电工作业",
        "建筑施工特种作业操作资格证 (construction-special-operations): all items",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} missing: {}",
            run.stdout
        );
    }

    let json = fixture
        .run(&[
            "trust-list",
            "inspect",
            "--root",
            "keys/root.pub",
            "--json",
            "list.cose",
        ])
        .json();
    assert_eq!(json["verified"], true);
    assert_eq!(json["sequence"], 1);
    assert_eq!(json["expires_at"], "2026-01-01T00:00:00Z");
    let issuer = &json["issuers"][0];
    let issuer_key = std::fs::read_to_string(fixture.path("keys/issuer.pub")).unwrap();
    let issuer_key = certqr_core::keys::PublicKey::from_pem(&issuer_key).unwrap();
    assert_eq!(issuer["key_id"], issuer_key.key_id().to_hex());
    assert_eq!(issuer["region_code"], 320000);
    assert_eq!(issuer["status"]["status"], "active");
    assert_eq!(issuer["scope"][0]["family"], "special-operations");
    assert_eq!(issuer["scope"][0]["items"][1]["code"], "1.2");
    assert_eq!(issuer["scope"][1]["items"], Value::Null);
}

#[test]
fn trust_list_create_refuses_to_overwrite_unless_forced() {
    let fixture = Fixture::new();
    let before = std::fs::read(fixture.path("list.cose")).unwrap();
    let create = [
        "trust-list",
        "create",
        "--root",
        "keys/root.key",
        "--in",
        "list.toml",
        "--out",
        "list.cose",
    ];
    fixture
        .run(&create)
        .assert_one_line_error(&["list.cose", "already exists", "--force"]);
    assert_eq!(std::fs::read(fixture.path("list.cose")).unwrap(), before);
    let forced = fixture.run(&[&create[..], &["--force"]].concat());
    assert_eq!(forced.code, 0, "{forced:?}");
}

#[test]
fn trust_list_inspect_and_verify_refuse_a_list_no_given_root_signed() {
    let fixture = Fixture::new();
    let text = fixture.issue("special-operations.toml");
    let runs = [
        fixture.run(&[
            "trust-list",
            "inspect",
            "--root",
            "keys/other-root.pub",
            "list.cose",
        ]),
        fixture.run(&[
            "verify",
            "--root",
            "keys/other-root.pub",
            "--trust",
            "list.cose",
            &text,
        ]),
    ];
    for run in runs {
        run.assert_one_line_error(&["list.cose: trust list refused", "none of the given roots"]);
        assert!(run.stdout.is_empty(), "{run:?}");
    }
}

#[test]
fn issue_prints_qr_text_and_draws_png_and_svg() {
    let fixture = Fixture::new();
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
        "--png",
        "code.png",
        "--svg",
        "code.svg",
        "--module-px",
        "5",
        "--ec",
        "h",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("CQ1:"), "{run:?}");
    assert_eq!(run.stdout.lines().count(), 1);
    let png = std::fs::read(fixture.path("code.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let svg = std::fs::read_to_string(fixture.path("code.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{svg:.60}");
    assert!(
        run.stderr.contains("error correction H") && run.stderr.contains("5 px per module"),
        "{run:?}"
    );
    // The picture holds exactly the printed text.
    let codes = certqr_scan::scan_image(&png).unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].text, run.stdout.trim_end());
}

#[test]
fn issue_sizes_pictures_for_print() {
    let fixture = Fixture::new();
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
        "--png",
        "code.png",
        "--print-width-mm",
        "25.4",
        "--dpi",
        "300",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("within the 25.4 mm asked"), "{run:?}");
    let png = std::fs::read(fixture.path("code.png")).unwrap();
    // PNG width: bytes 16..20 of the IHDR chunk; at most 300 px for one inch at 300 dpi.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert!((200..=300).contains(&width), "{width}");
}

/// Modules per side, quiet zone included, of the code for `text` at level Q.
fn side_modules(text: &str) -> usize {
    certqr_render::encode(text, certqr_render::EcLevel::Q)
        .unwrap()
        .width()
        + 8
}

#[test]
fn issue_for_print_picks_whole_dots_per_module_and_refuses_too_small() {
    let fixture = Fixture::new();
    let issue = |width_mm: &str, dpi: &str| {
        fixture.run(&[
            "issue",
            "--key",
            "keys/issuer.key",
            "--in",
            "special-operations.toml",
            "--png",
            "print.png",
            "--svg",
            "print.svg",
            "--print-width-mm",
            width_mm,
            "--dpi",
            dpi,
        ])
    };
    // 20 mm at 300 dpi: 236 dots, 3 per module for a code of about 65 modules.
    let run = issue("20", "300");
    assert_eq!(run.code, 0, "{run:?}");
    let side = side_modules(run.stdout.trim_end());
    let module_px = (20.0 * 300.0 / 25.4 / side as f64).floor() as usize;
    assert_eq!(
        module_px, 3,
        "test expects a code of 59 to 78 modules, not {side}"
    );
    assert!(run.stderr.contains("3 px = 0.254 mm per module"), "{run:?}");
    assert!(
        run.stderr
            .contains("fewer than the 4 dots per module recommended"),
        "{run:?}"
    );
    let png = std::fs::read(fixture.path("print.png")).unwrap();
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(width as usize, side * module_px);
    // The SVG has the printed size in millimetres and its viewBox in modules.
    let svg = std::fs::read_to_string(fixture.path("print.svg")).unwrap();
    let printed_mm = (side * module_px) as f64 * 25.4 / 300.0;
    let width_attribute = svg
        .split(" width=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let width_mm: f64 = width_attribute.strip_suffix("mm").unwrap().parse().unwrap();
    assert!((width_mm - printed_mm).abs() < 1e-3, "{width_attribute}");
    assert!(svg.contains(&format!(r#"viewBox="0 0 {side} {side}""#)));
    // 15 mm at 300 dpi: 2 dots (0.17 mm) per module, below what a card printer and a
    // scanner resolve. Nothing is written.
    std::fs::remove_file(fixture.path("print.png")).unwrap();
    let run = issue("15", "300");
    run.assert_one_line_error(&[
        "--print-width-mm 15 at 300 dpi: a module would be 0.169 mm (2 dots at 300 dpi)",
        "below the 0.25 mm and 3 dots a printed module needs",
        &format!("this code ({side} modules wide with its quiet zone) needs at least"),
    ]);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(!fixture.path("print.png").exists());
}

/// The dark modules of the card's QR code drawn back into a PNG (4 px per module,
/// quiet zone included), for the scanner.
fn card_qr_as_png(svg: &str) -> Vec<u8> {
    let group = svg.split("<g class=\"qr\"").nth(1).unwrap();
    let group = group.split("</g>").next().unwrap();
    let mut runs = Vec::new();
    for rect in group.split("<rect ").skip(1) {
        let number = |name: &str| -> u32 {
            let value = rect.split(&format!("{name}=\"")).nth(1).unwrap();
            value.split('"').next().unwrap().parse().unwrap()
        };
        assert_eq!(number("height"), 1);
        runs.push((number("x"), number("y"), number("width")));
    }
    let width = runs.iter().map(|&(_, y, _)| y + 1).max().unwrap();
    let side = (width + 8) * 4;
    let mut picture = image::GrayImage::from_pixel(side, side, image::Luma([255]));
    for (x, y, length) in runs {
        for column in x..x + length {
            for dy in 0..4 {
                for dx in 0..4 {
                    picture.put_pixel((column + 4) * 4 + dx, (y + 4) * 4 + dy, image::Luma([0]));
                }
            }
        }
    }
    let mut png = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

#[test]
fn issue_writes_an_id1_card_whose_code_is_the_issued_text() {
    let fixture = Fixture::new();
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
        "--card",
        "card.svg",
        "--authority",
        "江苏省应急管理厅",
        "--dpi",
        "300",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let text = run.stdout.trim_end();
    assert!(
        run.stderr
            .contains("wrote card.svg: ID-1 card 85.60 x 53.98 mm; QR version")
            && run.stderr.contains("0.508 mm per module (6 dots)"),
        "{run:?}"
    );
    let svg = std::fs::read_to_string(fixture.path("card.svg")).unwrap();
    assert!(svg.contains(r#"width="85.6mm" height="53.98mm" viewBox="0 0 85.6 53.98""#));
    for shown in [
        "张建国",
        "T3201**********123X",
        "电工作业",
        "高压电工作业",
        "江苏省应急管理厅",
        "2024-01-01 至 2029-12-31",
        "2027-01-01",
    ] {
        assert!(svg.contains(shown), "{shown} missing");
    }
    // The identity card number is in the code, never in the card's text.
    assert!(!svg.contains("32010219850612123X"));
    let codes = certqr_scan::scan_image(&card_qr_as_png(&svg)).unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].text, text);
    // Without a resolution the code fills its 38 mm box; a name for the authority that
    // is data, not markup, is escaped.
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "construction.json",
        "--card",
        "card.svg",
        "--authority",
        "<住建厅> & \"总站\"",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let svg = std::fs::read_to_string(fixture.path("card.svg")).unwrap();
    assert!(
        svg.contains("&lt;住建厅&gt; &amp; &quot;总站&quot;"),
        "{svg}"
    );
    assert!(svg.contains("操作类别") && svg.contains("建筑起重信号司索工"));
}

#[test]
fn issue_refuses_bad_descriptions_with_one_line() {
    let fixture = Fixture::new();
    let with = |from: &str, to: &str| SPECIAL_OPERATIONS_TOML.replace(from, to);
    let table: Vec<(&str, String, Vec<&str>)> = vec![
        // (file name, content, parts of the one-line message)
        (
            "item-outside-family.toml",
            with("item = \"1.1\"", "item = \"Q2\""),
            vec!["item-outside-family.toml: item \"Q2\" is not an item of"],
        ),
        (
            "missing-field.toml",
            with("holder_name = \"张建国\"\n", ""),
            vec!["missing-field.toml", "missing field `holder_name`"],
        ),
        (
            "syntax.toml",
            with("item = \"1.1\"", "item = 1.1.1"),
            vec!["syntax.toml: invalid TOML at line 3"],
        ),
        (
            "bad-date.toml",
            with("\"2027-01-01\"", "\"2027-13-01\""),
            vec!["bad-date.toml", "line 10", "invalid date \"2027-13-01\""],
        ),
        (
            "unknown-field.toml",
            format!("{SPECIAL_OPERATIONS_TOML}colour = \"red\"\n"),
            vec!["unknown-field.toml", "unknown field `colour`"],
        ),
        (
            "bad-id.toml",
            with("123X", "1234"),
            vec!["bad-id.toml: id_number: identity card number"],
        ),
        (
            "sex-mismatch.toml",
            with("\"male\"", "\"female\""),
            vec!["sex-mismatch.toml: sex does not match"],
        ),
        (
            "too-long.toml",
            with("2029-12-31", "2031-12-31"),
            vec!["too-long.toml: validity runs past"],
        ),
        (
            "bad.json",
            "{\"family\": \"special-operations\"}".to_owned(),
            vec!["bad.json: invalid JSON: missing field `item`"],
        ),
        (
            "description.yaml",
            SPECIAL_OPERATIONS_TOML.to_owned(),
            vec!["description.yaml: unknown description format"],
        ),
    ];
    for (name, content, expected) in table {
        fixture.write(name, &content);
        let run = fixture.run(&["issue", "--key", "keys/issuer.key", "--in", name]);
        run.assert_one_line_error(&expected);
        assert!(run.stdout.is_empty(), "{name}: {run:?}");
        // No personal data in the message.
        assert!(
            !run.stderr.contains("张建国") && !run.stderr.contains("32010219850612"),
            "{name}: {run:?}"
        );
    }
}

/// The exit status, status and reason codes a verification must give.
struct Expected {
    exit: i32,
    status: &'static str,
    codes: &'static [&'static str],
}

const VALID: Expected = Expected {
    exit: 0,
    status: "valid",
    codes: &[],
};

fn invalid(codes: &'static [&'static str]) -> Expected {
    Expected {
        exit: 1,
        status: "invalid",
        codes,
    }
}

#[test]
fn verify_gives_each_verdict_with_its_exit_status() {
    let fixture = Fixture::new();
    let special_operations = fixture.issue("special-operations.toml");
    let construction = fixture.issue("construction.json");
    fixture.write(
        "out-of-scope.toml",
        &SPECIAL_OPERATIONS_TOML.replace("\"1.1\"", "\"1.3\""),
    );
    let out_of_scope = fixture.issue("out-of-scope.toml");
    let web_link = "https://cx-mem-gov.cn.verify-cert.com/check?id=1234".to_owned();
    let at = "2025-02-01T00:00:00Z";
    // (case, text, --at, expected verdict)
    let table = [
        (
            "genuine",
            special_operations.clone(),
            "2025-02-01T09:00:00+08:00",
            VALID,
        ),
        (
            "genuine, other family",
            construction.clone(),
            "2025-03-01T00:00:00Z",
            VALID,
        ),
        (
            "expired",
            construction,
            "2025-07-01T00:00:00Z",
            invalid(&["expired"]),
        ),
        (
            "trust list long expired",
            special_operations.clone(),
            "2027-06-01T00:00:00Z",
            invalid(&["trust-list-expired"]),
        ),
        (
            "tampered",
            tampered(&special_operations),
            at,
            invalid(&["bad-signature"]),
        ),
        (
            "outside the issuer's scope",
            out_of_scope,
            at,
            invalid(&["out-of-scope"]),
        ),
        (
            "web link",
            web_link,
            at,
            Expected {
                exit: 1,
                status: "not-a-certificate",
                codes: &["website-link"],
            },
        ),
    ];
    for (case, text, at, expected) in table {
        let run = fixture.verify_json(&text, at);
        assert_eq!(run.code, expected.exit, "{case}: {run:?}");
        let verdict = run.json();
        assert_eq!(verdict["status"], expected.status, "{case}");
        assert_eq!(reason_codes(&verdict), expected.codes, "{case}");
        assert!(verdict["warnings"].is_array(), "{case}");
    }
}

#[test]
fn verify_json_of_a_valid_certificate_is_verified_and_masked() {
    let fixture = Fixture::new();
    let text = fixture.issue("special-operations.toml");
    let verdict = fixture.verify_json(&text, "2025-02-01T00:00:00Z").json();
    let certificate = &verdict["certificate"];
    assert_eq!(certificate["verified"], true);
    assert_eq!(certificate["holder_name"], "张建国");
    assert_eq!(certificate["id_number"], "3201**********123X");
    assert_eq!(certificate["number"], "T3201**********123X");
    assert_eq!(certificate["family"], "special-operations");
    assert_eq!(certificate["valid_until"], "2029-12-31");
    assert_eq!(
        verdict["issuer"]["name_en"],
        "Jiangsu Provincial Department of Emergency Management"
    );

    let full = fixture.run(&[
        "verify",
        "--root",
        "keys/root.pub",
        "--trust",
        "list.cose",
        "--at",
        "2025-02-01T00:00:00Z",
        "--json",
        "--show-id-number",
        &text,
    ]);
    assert_eq!(
        full.json()["certificate"]["id_number"],
        "32010219850612123X"
    );
}

#[test]
fn verify_human_output_marks_unverified_fields() {
    let fixture = Fixture::new();
    let text = fixture.issue("special-operations.toml");
    let at = "2025-02-01T00:00:00Z";
    let valid = fixture.run(&[
        "verify",
        "--root",
        "keys/root.pub",
        "--trust",
        "list.cose",
        "--at",
        at,
        &text,
    ]);
    assert_eq!(valid.code, 0, "{valid:?}");
    assert!(valid.stdout.starts_with("VALID"), "{valid:?}");
    assert!(valid.stdout.contains("certificate (VERIFIED"), "{valid:?}");
    let forged = fixture.run(&[
        "verify",
        "--root",
        "keys/root.pub",
        "--trust",
        "list.cose",
        "--at",
        at,
        &tampered(&text),
    ]);
    assert_eq!(forged.code, 1, "{forged:?}");
    assert!(forged.stdout.starts_with("INVALID"), "{forged:?}");
    for expected in [
        "bad-signature",
        "签名验证失败",
        "Signature check failed",
        "certificate (UNVERIFIED",
    ] {
        assert!(
            forged.stdout.contains(expected),
            "{expected:?} missing: {}",
            forged.stdout
        );
    }
}

#[test]
fn verify_image_verifies_every_code_in_the_picture() {
    let fixture = Fixture::new();
    let issue = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
        "--png",
        "code.png",
    ]);
    assert_eq!(issue.code, 0, "{issue:?}");
    let verify = |at: &str| {
        fixture.run(&[
            "verify",
            "--root",
            "keys/root.pub",
            "--trust",
            "list.cose",
            "--at",
            at,
            "--json",
            "--image",
            "code.png",
        ])
    };
    let run = verify("2025-02-01T00:00:00Z");
    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    assert_eq!(json["image"], "code.png");
    assert_eq!(json["valid"], true);
    assert_eq!(json["codes"].as_array().unwrap().len(), 1);
    assert_eq!(json["codes"][0]["status"], "valid");
    assert_eq!(json["codes"][0]["corners"].as_array().unwrap().len(), 4);

    // Past the trust list's grace period: the same picture, not valid. (A time before
    // the certificate starts is also before the list's issue time, so it is judged at
    // the list's issue time, with a warning: see verify_warns_when_the_clock_is_behind_the_trust_list.)
    let late = verify("2026-03-01T00:00:00Z");
    assert_eq!(late.code, 1, "{late:?}");
    let late = late.json();
    assert_eq!(late["valid"], false);
    assert!(
        reason_codes(&late["codes"][0]).contains(&"trust-list-expired"),
        "{late}"
    );
}

#[test]
fn bad_input_gives_one_line_and_exit_status_2() {
    let fixture = Fixture::new();
    let text = fixture.issue("special-operations.toml");
    fixture.write("not-an-image.png", "hello");
    fixture.write(
        "private-as-public.toml",
        &TRUST_LIST_TOML.replace("keys/issuer.pub", "keys/issuer.key"),
    );
    let long_authority = "江苏省应急管理厅".repeat(12);
    fn verify<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        [
            &["verify", "--root", "keys/root.pub", "--trust", "list.cose"][..],
            extra,
        ]
        .concat()
    }
    let table: Vec<(&str, Vec<&str>, Vec<&str>)> = vec![
        // (case, arguments, parts of the message)
        (
            "missing key file",
            vec![
                "issue",
                "--key",
                "nope.key",
                "--in",
                "special-operations.toml",
            ],
            vec!["nope.key: no such file"],
        ),
        (
            "public key where a private key is needed",
            vec![
                "issue",
                "--key",
                "keys/issuer.pub",
                "--in",
                "special-operations.toml",
            ],
            vec!["keys/issuer.pub: is a public key"],
        ),
        (
            "private key where a public key is needed",
            verify(&["--root", "keys/root.key", &text]),
            vec!["keys/root.key: is a private key"],
        ),
        (
            "missing trust list",
            vec![
                "verify",
                "--root",
                "keys/root.pub",
                "--trust",
                "nope.cose",
                &text,
            ],
            vec!["nope.cose: no such file"],
        ),
        (
            "trust list that is no signed document",
            vec![
                "verify",
                "--root",
                "keys/root.pub",
                "--trust",
                "list.toml",
                &text,
            ],
            vec!["list.toml: trust list refused"],
        ),
        (
            "unreadable image",
            verify(&["--image", "not-an-image.png"]),
            vec!["not-an-image.png: not a PNG or JPEG image"],
        ),
        (
            "missing image",
            verify(&["--image", "nope.png"]),
            vec!["nope.png: no such file"],
        ),
        (
            "invalid --at",
            verify(&["--at", "tomorrow", &text]),
            vec!["--at: invalid time \"tomorrow\""],
        ),
        (
            "neither text nor image",
            verify(&[]),
            vec!["required arguments were not provided"],
        ),
        (
            "both text and image",
            verify(&["--image", "code.png", &text]),
            vec!["cannot be used with"],
        ),
        (
            "unknown subcommand",
            vec!["frobnicate"],
            vec!["unrecognized subcommand"],
        ),
        (
            "private key in a trust list description",
            vec![
                "trust-list",
                "create",
                "--root",
                "keys/root.key",
                "--in",
                "private-as-public.toml",
                "--out",
                "new.cose",
            ],
            vec![
                "private-as-public.toml: issuer 1: public_key",
                "is a private key",
            ],
        ),
        (
            "inspect without root",
            vec!["trust-list", "inspect", "list.cose"],
            vec!["--root"],
        ),
        (
            "module size out of range",
            vec![
                "issue",
                "--key",
                "keys/issuer.key",
                "--in",
                "special-operations.toml",
                "--module-px",
                "0",
            ],
            vec!["--module-px"],
        ),
        (
            "directory as image",
            vec!["scan", "keys"],
            vec!["keys: is a directory"],
        ),
        (
            "card without the issuing authority",
            vec![
                "issue",
                "--key",
                "keys/issuer.key",
                "--in",
                "special-operations.toml",
                "--card",
                "card.svg",
            ],
            vec!["--authority"],
        ),
        (
            "issuing authority too long for the card",
            vec![
                "issue",
                "--key",
                "keys/issuer.key",
                "--in",
                "special-operations.toml",
                "--card",
                "card.svg",
                "--authority",
                &long_authority,
            ],
            vec!["--card: the issuing authority is empty or too long to fit on the card"],
        ),
        (
            "resolution for nothing",
            vec![
                "issue",
                "--key",
                "keys/issuer.key",
                "--in",
                "special-operations.toml",
                "--png",
                "code.png",
                "--dpi",
                "300",
            ],
            vec!["--dpi sizes --print-width-mm or --card"],
        ),
        (
            "resolution out of range",
            vec![
                "issue",
                "--key",
                "keys/issuer.key",
                "--in",
                "special-operations.toml",
                "--card",
                "card.svg",
                "--authority",
                "江苏省应急管理厅",
                "--dpi",
                "9600",
            ],
            vec!["--dpi", "9600"],
        ),
    ];
    for (case, args, expected) in table {
        let run = fixture.run(&args);
        run.assert_one_line_error(&expected);
        assert!(run.stdout.is_empty(), "{case}: {run:?}");
    }
}

#[test]
fn scan_prints_every_code_and_json_with_corners() {
    let fixture = Fixture::new();
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
        "--png",
        "code.png",
    ]);
    let text = run.stdout.trim_end();
    let plain = fixture.run(&["scan", "code.png"]);
    assert_eq!(
        (plain.code, plain.stdout.as_str()),
        (0, format!("{text}\n").as_str()),
        "{plain:?}"
    );

    let json = fixture.run(&["scan", "--json", "code.png"]);
    assert_eq!(json.code, 0, "{json:?}");
    let files = json.json();
    assert_eq!(files.as_array().unwrap().len(), 1);
    assert_eq!(files[0]["path"], "code.png");
    assert_eq!(files[0]["codes"].as_array().unwrap().len(), 1);
    assert_eq!(files[0]["codes"][0]["text"], text);
    for corner in files[0]["codes"][0]["corners"].as_array().unwrap() {
        assert_eq!(corner.as_array().unwrap().len(), 2, "{corner}");
    }
}

#[test]
fn scan_goes_on_after_an_unreadable_file_and_exits_2() {
    let fixture = Fixture::new();
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
        "--png",
        "code.png",
    ]);
    let text = run.stdout.trim_end().to_owned();
    fixture.write("broken.png", "not a picture");
    let run = fixture.run(&["scan", "--json", "broken.png", "code.png"]);
    run.assert_one_line_error(&["broken.png: not a PNG or JPEG image"]);
    let files = run.json();
    assert_eq!(files.as_array().unwrap().len(), 1);
    assert_eq!(files[0]["codes"][0]["text"], text);
    let plain = fixture.run(&["scan", "broken.png", "code.png"]);
    assert_eq!(plain.code, 2);
    assert_eq!(plain.stdout, format!("code.png: {text}\n"));
}

#[test]
fn inspect_decodes_without_verifying() {
    let fixture = Fixture::new();
    let text = fixture.issue("special-operations.toml");
    let run = fixture.run(&["inspect", &text]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("UNVERIFIED"), "{run:?}");
    for expected in [
        "certificate (UNVERIFIED",
        "content type 65001",
        "Ed25519 (COSE -8)",
        "holder        张建国",
        "3201**********123X",
        "not checked",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} missing: {}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("32010219850612123X"));

    // A forged code decodes just the same: inspect checks nothing.
    let json = fixture.run(&["inspect", "--json", &tampered(&text)]);
    assert_eq!(json.code, 0, "{json:?}");
    let json = json.json();
    assert_eq!(json["verified"], false);
    assert_eq!(json["kind"], "signed-document");
    assert_eq!(json["header"]["document_kind"], "certificate");
    assert_eq!(json["certificate"]["verified"], false);
    assert_eq!(json["certificate"]["item"], "1.1");
}

#[test]
fn inspect_names_a_web_link_and_its_domain() {
    let dir = TempDir::new().unwrap();
    let link = "https://cx-mem-gov.cn.verify-cert.com/check?id=1234";
    let run = certqr(dir.path(), &["inspect", link]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("UNVERIFIED"), "{run:?}");
    assert!(
        run.stdout
            .contains("WEB LINK to cx-mem-gov.cn.verify-cert.com"),
        "{run:?}"
    );
    let json = certqr(dir.path(), &["inspect", "--json", link]).json();
    assert_eq!(json["kind"], "web-link");
    assert_eq!(json["domain"], "cx-mem-gov.cn.verify-cert.com");
    let other = certqr(dir.path(), &["inspect", "--json", "CQ1:ab"]);
    assert_eq!(other.code, 1, "{other:?}");
    assert_eq!(other.json()["kind"], "malformed");
}

#[test]
fn demo_runs_end_to_end_and_every_verdict_is_as_expected() {
    let dir = TempDir::new().unwrap();
    let run = certqr(dir.path(), &["demo", "--out", "out"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("\n11/11 verdicts as expected\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("MISMATCH"), "{}", run.stdout);
    for row in [
        ("01-special-operations.png", "VALID"),
        ("06-expired.png", "expired"),
        ("07-review-overdue.png", "review-overdue"),
        ("08-out-of-scope.png", "out-of-scope"),
        ("09-tampered.png", "bad-signature"),
        ("10-unknown-issuer.png", "unknown-issuer"),
        ("11-fake-website.png", "look-alike-website"),
    ] {
        let line = run
            .stdout
            .lines()
            .find(|line| line.starts_with(row.0))
            .unwrap_or_else(|| panic!("{row:?}"));
        assert!(
            line.contains(row.1) && line.trim_end().ends_with("ok"),
            "{line}"
        );
    }
    let out = dir.path().join("out");
    for file in [
        "root.key",
        "root.pub",
        "trust-list.cose",
        "trust-list.toml",
        "05-construction-special-operations.png",
        "09-tampered.txt",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    // The demo's files work with the other subcommands, and it runs again over them.
    let verify = certqr(
        &out,
        &[
            "verify",
            "--root",
            "root.pub",
            "--trust",
            "trust-list.cose",
            "--image",
            "02-special-equipment.png",
        ],
    );
    assert_eq!(verify.code, 0, "{verify:?}");
    let again = certqr(dir.path(), &["demo", "--out", "out"]);
    assert_eq!(again.code, 0, "{again:?}");
}

/// A white grayscale PNG with no QR code.
fn blank_png(side: u32) -> Vec<u8> {
    let mut png = Vec::new();
    image::GrayImage::from_pixel(side, side, image::Luma([255]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

#[test]
fn a_picture_without_a_code_is_not_valid_for_verify_scan_and_inspect() {
    let fixture = Fixture::new();
    let png = blank_png(64);
    // The hand-made picture is a readable PNG without a code.
    assert_eq!(certqr_scan::scan_image(&png).unwrap(), vec![]);
    std::fs::write(fixture.path("blank.png"), png).unwrap();

    let verify = |json: &[&str]| {
        let base = [
            "verify",
            "--root",
            "keys/root.pub",
            "--trust",
            "list.cose",
            "--image",
            "blank.png",
        ];
        fixture.run(&[&base[..], json].concat())
    };
    let text = verify(&[]);
    assert_eq!(text.code, 1, "{text:?}");
    assert!(text.stdout.starts_with("NO QR CODE FOUND"), "{text:?}");
    let json = verify(&["--json"]);
    assert_eq!(json.code, 1, "{json:?}");
    let json = json.json();
    assert_eq!(json["valid"], false);
    assert_eq!(json["codes"], serde_json::json!([]));

    let scan = fixture.run(&["scan", "blank.png"]);
    assert_eq!((scan.code, scan.stdout.as_str()), (1, ""), "{scan:?}");
    assert_eq!(scan.stderr, "blank.png: no QR code found\n");

    let inspect = fixture.run(&["inspect", "--image", "blank.png"]);
    assert_eq!(inspect.code, 1, "{inspect:?}");
    assert!(inspect.stdout.contains("no QR code found"), "{inspect:?}");
}

#[test]
fn inspect_image_decodes_every_code_in_the_picture() {
    let fixture = Fixture::new();
    let issue = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "construction.json",
        "--svg",
        "code.svg",
        "--png",
        "code.png",
    ]);
    assert_eq!(issue.code, 0, "{issue:?}");
    let run = fixture.run(&["inspect", "--json", "--image", "code.png"]);
    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    assert_eq!(json["image"], "code.png");
    let code = &json["codes"][0];
    assert_eq!(code["kind"], "signed-document");
    assert_eq!(
        code["certificate"]["family"],
        "construction-special-operations"
    );
    assert_eq!(code["certificate"]["number"], "苏A042023000123");
    assert_eq!(code["certificate"]["verified"], false);
    assert_eq!(code["corners"].as_array().unwrap().len(), 4);
}

/// Verifies `text` at `at` with `--state-dir state` and, if given, `--trust LIST`.
fn verify_with_state(fixture: &Fixture, trust: Option<&str>, text: &str, at: &str) -> Run {
    let mut args = vec!["verify", "--root", "keys/root.pub", "--state-dir", "state"];
    if let Some(trust) = trust {
        args.extend(["--trust", trust]);
    }
    args.extend(["--at", at, "--json", text]);
    fixture.run(&args)
}

/// Signs `TRUST_LIST_TOML` with another sequence and issue time into `out`.
fn create_trust_list(fixture: &Fixture, sequence: u64, issued_at: &str, out: &str) {
    let description = TRUST_LIST_TOML
        .replace("sequence = 1", &format!("sequence = {sequence}"))
        .replace("2025-01-01T00:00:00Z", issued_at);
    let name = format!("{out}.toml");
    fixture.write(&name, &description);
    let run = fixture.run(&[
        "trust-list",
        "create",
        "--root",
        "keys/root.key",
        "--in",
        &name,
        "--out",
        out,
    ]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn verify_state_dir_refuses_a_rollback_across_invocations() {
    let fixture = Fixture::new();
    create_trust_list(&fixture, 2, "2025-01-15T00:00:00Z", "list-2.cose");
    let text = fixture.issue("special-operations.toml");
    let at = "2025-02-01T00:00:00Z";
    let first = verify_with_state(&fixture, Some("list-2.cose"), &text, at);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(fixture.path("state/state.cqs").is_file());
    assert_eq!(
        std::fs::read(fixture.path("state/trust-list.cose")).unwrap(),
        std::fs::read(fixture.path("list-2.cose")).unwrap()
    );
    // A later run offered the older list 1 refuses it, though nothing is in memory.
    let rollback = verify_with_state(&fixture, Some("list.cose"), &text, at);
    rollback.assert_one_line_error(&[
        "list.cose: trust list refused",
        "sequence 1 is older than sequence 2",
        "state.cqs",
        "rollback",
    ]);
    assert!(rollback.stdout.is_empty(), "{rollback:?}");
    // Without --trust the saved copy of list 2 is used.
    let saved = verify_with_state(&fixture, None, &text, at);
    assert_eq!(saved.code, 0, "{saved:?}");
    assert_eq!(saved.json()["status"], "valid");
    // Without either, the command says what is missing.
    let empty = fixture.run(&[
        "verify",
        "--root",
        "keys/root.pub",
        "--state-dir",
        "empty-state",
        &text,
    ]);
    empty.assert_one_line_error(&["empty-state", "--trust"]);
}

#[test]
fn verify_state_dir_reports_a_truncated_state_file_and_never_resets_it() {
    let fixture = Fixture::new();
    let text = fixture.issue("special-operations.toml");
    let at = "2025-02-01T00:00:00Z";
    let first = verify_with_state(&fixture, Some("list.cose"), &text, at);
    assert_eq!(first.code, 0, "{first:?}");
    let state = fixture.path("state/state.cqs");
    let bytes = std::fs::read(&state).unwrap();
    let truncated = &bytes[..bytes.len() / 2];
    std::fs::write(&state, truncated).unwrap();
    let run = verify_with_state(&fixture, Some("list.cose"), &text, at);
    run.assert_one_line_error(&["state.cqs: ", "truncated", "not reset"]);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert_eq!(std::fs::read(&state).unwrap(), truncated);
}

#[test]
fn verify_warns_when_the_clock_is_behind_the_trust_list() {
    let fixture = Fixture::new();
    let text = fixture.issue("special-operations.toml");
    // The trust list was issued 2025-01-01T00:00:00Z.
    let run = verify_with_state(&fixture, Some("list.cose"), &text, "2024-12-01T00:00:00Z");
    assert_eq!(run.code, 0, "{run:?}");
    let verdict = run.json();
    assert_eq!(verdict["status"], "valid");
    let warnings = verdict["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{verdict}");
    assert_eq!(warnings[0]["code"], "clock-behind-trusted-data");
    assert!(warnings[0]["message_zh"]
        .as_str()
        .unwrap()
        .contains("设备时钟早于可信数据时间（2025-01-01 08:00 (UTC+8)）"));
    assert!(warnings[0]["message_en"]
        .as_str()
        .unwrap()
        .contains("device clock is behind trusted data"));
    // The state remembers the time: a later run with the clock right has no warning.
    let later = verify_with_state(&fixture, None, &text, "2025-02-01T00:00:00Z");
    assert_eq!(later.code, 0, "{later:?}");
    assert_eq!(later.json()["warnings"], Value::Array(vec![]));
}

const BATCH_CSV: &str = "\
family,item,holder_name,sex,id_number,number,first_issued,valid_from,valid_until,review_due
special-operations,1.1,张建国,male,32010219850612123X,,2024-01-01,2024-01-01,2029-12-31,2027-01-01
special-operations,Q2,李四,male,32010219850612123X,,2024-01-01,2024-01-01,2029-12-31,2027-01-01
construction-special-operations,04,陈静,female,440306199211082825,苏A042023000123,2023-06-01,2023-06-01,2025-05-31,
";

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// Verifies the QR text in the file `name` at 2025-02-01 and returns the verdict.
fn verify_file(fixture: &Fixture, name: &str) -> Value {
    let text = std::fs::read_to_string(fixture.path(name)).unwrap();
    assert!(text.ends_with('\n'), "{text:?}");
    let run = fixture.verify_json(text.trim_end(), "2025-02-01T00:00:00Z");
    assert_eq!(run.code, 0, "{name}: {run:?}");
    run.json()
}

#[test]
fn issue_batch_csv_issues_every_good_row_and_reports_the_refused_one() {
    let fixture = Fixture::new();
    fixture.write("batch.csv", BATCH_CSV);
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--batch",
        "batch.csv",
        "--out",
        "out",
        "--svg",
    ]);
    // A refused row makes the status 1; the others are issued all the same.
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("issued   2\n"), "{run:?}");
    assert!(run.stdout.contains("skipped  0"), "{run:?}");
    assert!(
        run.stdout.contains("refused  1 (rows and reasons in out"),
        "{run:?}"
    );
    assert!(run.stderr.is_empty(), "{run:?}");
    assert_eq!(
        listing(&fixture.path("out")),
        [
            "00000002-T32010219850612123X.svg",
            "00000002-T32010219850612123X.txt",
            "00000004-苏A042023000123.svg",
            "00000004-苏A042023000123.txt",
            "refused.csv",
        ]
    );
    let refused = std::fs::read_to_string(fixture.path("out/refused.csv")).unwrap();
    assert_eq!(
        refused,
        "row,reason\n3,\"item \"\"Q2\"\" is not an item of the special-operations catalog\"\n"
    );
    let verdict = verify_file(&fixture, "out/00000002-T32010219850612123X.txt");
    assert_eq!(verdict["certificate"]["holder_name"], "张建国");
    let verdict = verify_file(&fixture, "out/00000004-苏A042023000123.txt");
    assert_eq!(verdict["certificate"]["holder_name"], "陈静");
    let svg = std::fs::read_to_string(fixture.path("out/00000004-苏A042023000123.svg")).unwrap();
    assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
}

#[test]
fn issue_batch_resumes_by_skipping_rows_already_done() {
    let fixture = Fixture::new();
    fixture.write("batch.csv", BATCH_CSV);
    let args = [
        "issue",
        "--key",
        "keys/issuer.key",
        "--batch",
        "batch.csv",
        "--out",
        "out",
        "--jobs",
        "1",
    ];
    assert_eq!(fixture.run(&args).code, 1);
    let done = fixture.path("out/00000002-T32010219850612123X.txt");
    let first = std::fs::read(&done).unwrap();
    // As if the run had died mid-row: one row's text gone, a temporary file left over.
    std::fs::remove_file(fixture.path("out/00000004-苏A042023000123.txt")).unwrap();
    fixture.write("out/00000004-苏A042023000123.txt.tmp", "CQ1:half");
    let run = fixture.run(&args);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("issued   1\n"), "{run:?}");
    assert!(run.stdout.contains("skipped  1 (already done)"), "{run:?}");
    assert_eq!(std::fs::read(&done).unwrap(), first);
    assert_eq!(
        listing(&fixture.path("out")),
        [
            "00000002-T32010219850612123X.txt",
            "00000004-苏A042023000123.txt",
            "refused.csv",
        ]
    );
    verify_file(&fixture, "out/00000004-苏A042023000123.txt");
    // Everything done: nothing issued, and the refused row is reported again.
    let run = fixture.run(&args);
    assert!(run.stdout.contains("issued   0\n"), "{run:?}");
    assert!(run.stdout.contains("skipped  2 (already done)"), "{run:?}");
    let refused = std::fs::read_to_string(fixture.path("out/refused.csv")).unwrap();
    assert_eq!(refused.lines().count(), 2, "{refused}");
}

#[test]
fn issue_batch_json_lines_with_pictures_that_verify() {
    let fixture = Fixture::new();
    let special = r#"{"family": "special-operations", "item": "1.1", "holder_name": "张建国", "sex": "male", "id_number": "32010219850612123X", "first_issued": "2024-01-01", "valid_from": "2024-01-01", "valid_until": "2029-12-31", "review_due": "2027-01-01"}"#;
    let construction = CONSTRUCTION_JSON.replace('\n', "");
    let id_as_number = special.replace("\"32010219850612123X\"", "320102198506121234");
    let jsonl = format!("{special}\n\n{construction}\n{{not json\n{id_as_number}\n");
    fixture.write("batch.jsonl", &jsonl);
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--batch",
        "batch.jsonl",
        "--out",
        "out",
        "--png",
        "--module-px",
        "4",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("issued   2\n"), "{run:?}");
    assert!(run.stdout.contains("refused  2"), "{run:?}");
    // Row numbers are line numbers; the blank line 2 is skipped.
    assert_eq!(
        listing(&fixture.path("out")),
        [
            "00000001-T32010219850612123X.png",
            "00000001-T32010219850612123X.txt",
            "00000003-苏A042023000123.png",
            "00000003-苏A042023000123.txt",
            "refused.csv",
        ]
    );
    let refused = std::fs::read_to_string(fixture.path("out/refused.csv")).unwrap();
    let mut lines: Vec<&str> = refused.lines().collect();
    lines.sort();
    assert_eq!(lines.len(), 3, "{refused}");
    assert!(
        lines[0].starts_with("4,invalid JSON: key must be a string"),
        "{refused}"
    );
    assert!(
        lines[1].starts_with("5,\"invalid JSON: invalid type: integer `…`, expected a string"),
        "{refused}"
    );
    assert!(!refused.contains("320102"), "{refused}");
    verify_file(&fixture, "out/00000003-苏A042023000123.txt");
    let run = fixture.run(&[
        "verify",
        "--root",
        "keys/root.pub",
        "--trust",
        "list.cose",
        "--at",
        "2025-02-01T00:00:00Z",
        "--image",
        "out/00000001-T32010219850612123X.png",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn issue_batch_refuses_a_wrong_header_and_file_flags_with_one_line() {
    let fixture = Fixture::new();
    fixture.write("bad-header.csv", "family,item,name\n");
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--batch",
        "bad-header.csv",
        "--out",
        "out",
    ]);
    run.assert_one_line_error(&["bad-header.csv: header row: unknown column \"name\""]);
    fixture.write("batch.csv", BATCH_CSV);
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--batch",
        "batch.csv",
        "--out",
        "out",
        "--svg",
        "one.svg",
    ]);
    run.assert_one_line_error(&["--svg takes no FILE with --batch"]);
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--batch",
        "batch.txt",
        "--out",
        "o",
    ]);
    run.assert_one_line_error(&["batch.txt: unknown batch format"]);
}

/// SM2 with SM3 (GB/T 32918) root and issuer keys end to end: `keygen --algorithm sm2`,
/// then the usual trust-list, issue and verify commands, which take the algorithm from
/// the PEM files.
#[test]
fn sm2_keys_work_end_to_end() {
    let dir = TempDir::new().unwrap();
    let run = |args: &[&str]| certqr(dir.path(), args);
    std::fs::create_dir(dir.path().join("keys")).unwrap();
    for prefix in ["keys/root", "keys/issuer"] {
        let keygen = run(&["keygen", "--algorithm", "sm2", "--out", prefix]);
        assert_eq!(keygen.code, 0, "{keygen:?}");
        let public = std::fs::read_to_string(dir.path().join(format!("{prefix}.pub"))).unwrap();
        let public = certqr_core::keys::PublicKey::from_pem(&public).unwrap();
        assert_eq!(public.algorithm(), certqr_core::keys::Algorithm::Sm2);
        assert_eq!(public.to_bytes().len(), 65);
        assert_eq!(public.key_id().to_hex(), keygen.stdout.trim_end());
        let private = std::fs::read_to_string(dir.path().join(format!("{prefix}.key"))).unwrap();
        let private = certqr_core::keys::SigningKey::from_pkcs8_pem(&private).unwrap();
        assert_eq!(private.public_key(), public);
    }
    std::fs::write(dir.path().join("list.toml"), TRUST_LIST_TOML).unwrap();
    std::fs::write(
        dir.path().join("special-operations.toml"),
        SPECIAL_OPERATIONS_TOML,
    )
    .unwrap();
    let create = run(&[
        "trust-list",
        "create",
        "--root",
        "keys/root.key",
        "--in",
        "list.toml",
        "--out",
        "list.cose",
    ]);
    assert_eq!(create.code, 0, "{create:?}");
    let list = run(&[
        "trust-list",
        "inspect",
        "--root",
        "keys/root.pub",
        "--json",
        "list.cose",
    ]);
    assert_eq!(list.code, 0, "{list:?}");
    assert_eq!(list.json()["issuers"][0]["algorithm"], "sm2");

    let issue = run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
    ]);
    assert_eq!(issue.code, 0, "{issue:?}");
    let text = issue.stdout.trim_end().to_owned();
    assert!(text.starts_with("CQ1:"), "{text}");

    let inspect = run(&["inspect", "--json", &text]);
    assert_eq!(inspect.code, 0, "{inspect:?}");
    let header = &inspect.json()["header"];
    assert_eq!(header["algorithm"], -65_537);
    assert_eq!(header["algorithm_name"], "SM2");
    assert_eq!(header["signature_bytes"], 64);

    let verify = |text: &str| {
        run(&[
            "verify",
            "--root",
            "keys/root.pub",
            "--trust",
            "list.cose",
            "--at",
            "2025-02-01T00:00:00Z",
            "--json",
            text,
        ])
    };
    let valid = verify(&text);
    assert_eq!(valid.code, 0, "{valid:?}");
    let verdict = valid.json();
    assert_eq!(verdict["status"], "valid");
    assert_eq!(verdict["issuer"]["algorithm"], "sm2");
    assert_eq!(verdict["certificate"]["holder_name"], "张建国");

    let forged = verify(&tampered(&text));
    assert_eq!(forged.code, 1, "{forged:?}");
    assert_eq!(reason_codes(&forged.json()), ["bad-signature"]);

    // A well-formed PKCS#8 SM2 key with d = n − 1, which cannot sign (1 + d has no inverse).
    std::fs::write(
        dir.path().join("keys/n-minus-1.key"),
        "-----BEGIN PRIVATE KEY-----\n\
         MEECAQAwEwYHKoZIzj0CAQYIKoEcz1UBgi0EJzAlAgEBBCD////+////////////\n\
         ////cgPfayHGBStTu/QJOdVBIg==\n\
         -----END PRIVATE KEY-----\n",
    )
    .unwrap();
    run(&[
        "issue",
        "--key",
        "keys/n-minus-1.key",
        "--in",
        "special-operations.toml",
    ])
    .assert_one_line_error(&["n-minus-1.key", "SM2 private key is out of range"]);
}

/// Runs `certqr revocation ARGS...` and expects success.
fn revocation_ok(fixture: &Fixture, args: &[&str]) -> Run {
    let mut all = vec!["revocation"];
    all.extend_from_slice(args);
    let run = fixture.run(&all);
    assert_eq!(run.code, 0, "{run:?}");
    run
}

/// `certqr verify --json` at 2025-02-01 with revocation arguments.
fn verify_revocation(fixture: &Fixture, revocation: &[&str], text: &str) -> Run {
    let mut args = vec![
        "verify",
        "--root",
        "keys/root.pub",
        "--trust",
        "list.cose",
        "--at",
        "2025-02-01T00:00:00Z",
        "--json",
    ];
    args.extend_from_slice(revocation);
    args.push(text);
    fixture.run(&args)
}

#[test]
fn revocation_list_revokes_a_certificate_and_nothing_else() {
    let fixture = Fixture::new();
    let revoked = fixture.issue("special-operations.toml");
    let other = fixture.issue("construction.json");
    let entry = revocation_ok(&fixture, &["entry", &revoked]);
    let entry = entry.stdout.trim_end();
    assert_eq!(entry.len(), 16, "{entry}");
    revocation_ok(
        &fixture,
        &[
            "create",
            "--root",
            "keys/root.key",
            "--sequence",
            "1",
            "--issued-at",
            "2025-01-01T00:00:00Z",
            "--expires",
            "2026-01-01T00:00:00Z",
            "--certificate",
            &revoked,
            "--out",
            "revoked-1.cose",
        ],
    );
    let inspect = revocation_ok(
        &fixture,
        &[
            "inspect",
            "--root",
            "keys/root.pub",
            "--entries",
            "revoked-1.cose",
        ],
    );
    for expected in [
        "revocation list: VERIFIED",
        "sequence    1",
        "issued at   2025-01-01T00:00:00Z",
        "expires at  2026-01-01T00:00:00Z",
        "entries     1",
        entry,
    ] {
        assert!(inspect.stdout.contains(expected), "{expected}: {inspect:?}");
    }
    let json = revocation_ok(
        &fixture,
        &[
            "inspect",
            "--root",
            "keys/root.pub",
            "--json",
            "revoked-1.cose",
        ],
    )
    .json();
    assert_eq!(json["kind"], "full");
    assert_eq!(json["entry_count"], 1);
    assert!(json.get("entries").is_none(), "{json}");

    let run = verify_revocation(&fixture, &["--revocation", "revoked-1.cose"], &revoked);
    assert_eq!(run.code, 1, "{run:?}");
    let verdict = run.json();
    assert_eq!(verdict["status"], "invalid");
    assert_eq!(reason_codes(&verdict), ["revoked"]);
    let run = verify_revocation(&fixture, &["--revocation", "revoked-1.cose"], &other);
    assert_eq!(run.code, 0, "{run:?}");
    // Without a revocation list, revocation is not checked.
    assert_eq!(verify_revocation(&fixture, &[], &revoked).code, 0);
}

#[test]
fn revocation_add_makes_the_next_list_and_deltas_that_verify_applies() {
    let fixture = Fixture::new();
    let text = fixture.issue("special-operations.toml");
    revocation_ok(
        &fixture,
        &[
            "create",
            "--root",
            "keys/root.key",
            "--sequence",
            "1",
            "--issued-at",
            "2025-01-01T00:00:00Z",
            "--expires",
            "2026-01-01T00:00:00Z",
            "--out",
            "revoked-1.cose",
        ],
    );
    let add = revocation_ok(
        &fixture,
        &[
            "add",
            "--root",
            "keys/root.key",
            "--list",
            "revoked-1.cose",
            "--certificate",
            &text,
            "--issued-at",
            "2025-01-02T00:00:00Z",
            "--out",
            "revoked-2.cose",
            "--delta",
            "delta-2.cose",
        ],
    );
    assert!(
        add.stderr
            .contains("revocation delta from sequence 1 to 2, 1 added, 0 removed"),
        "{add:?}"
    );
    // The default expiry keeps the list's lifetime: a year after the new issue time.
    let json = revocation_ok(
        &fixture,
        &[
            "inspect",
            "--root",
            "keys/root.pub",
            "--json",
            "revoked-2.cose",
        ],
    )
    .json();
    assert_eq!(json["sequence"], 2);
    assert_eq!(json["expires_at"], "2026-01-02T00:00:00Z");

    let with_delta = [
        "--revocation",
        "revoked-1.cose",
        "--revocation-delta",
        "delta-2.cose",
    ];
    let run = verify_revocation(&fixture, &with_delta, &text);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(reason_codes(&run.json()), ["revoked"]);

    // Taken off again (a wrongful revocation), by a delta from 2 to 3.
    let entry = revocation_ok(&fixture, &["entry", &text]).stdout;
    fixture.write("wrongly-revoked.txt", &format!("# undo\n\n{entry}"));
    revocation_ok(
        &fixture,
        &[
            "add",
            "--root",
            "keys/root.key",
            "--list",
            "revoked-2.cose",
            "--remove-entries",
            "wrongly-revoked.txt",
            "--issued-at",
            "2025-01-03T00:00:00Z",
            "--expires",
            "2025-06-01T00:00:00Z",
            "--out",
            "revoked-3.cose",
            "--delta",
            "delta-3.cose",
        ],
    );
    let run = verify_revocation(
        &fixture,
        &[
            "--revocation",
            "revoked-1.cose",
            "--revocation-delta",
            "delta-2.cose",
            "--revocation-delta",
            "delta-3.cose",
        ],
        &text,
    );
    assert_eq!(run.code, 0, "{run:?}");

    // `delta` makes the same delta from the two signed lists.
    revocation_ok(
        &fixture,
        &[
            "delta",
            "--root",
            "keys/root.key",
            "--from",
            "revoked-2.cose",
            "--to",
            "revoked-3.cose",
            "--out",
            "made-3.cose",
        ],
    );
    assert_eq!(
        std::fs::read(fixture.path("made-3.cose")).unwrap(),
        std::fs::read(fixture.path("delta-3.cose")).unwrap()
    );
    let inspect = revocation_ok(
        &fixture,
        &[
            "inspect",
            "--root",
            "keys/root.pub",
            "--entries",
            "made-3.cose",
        ],
    );
    for expected in [
        "revocation delta: VERIFIED",
        "sequence    2 -> 3 (applies to list 2 only)",
        "added       0",
        "removed     1",
        &format!("- {}", entry.trim_end()),
    ] {
        assert!(inspect.stdout.contains(expected), "{expected}: {inspect:?}");
    }

    // A delta applied to a list of another sequence is refused.
    verify_revocation(
        &fixture,
        &[
            "--revocation",
            "revoked-1.cose",
            "--revocation-delta",
            "delta-3.cose",
        ],
        &text,
    )
    .assert_one_line_error(&[
        "delta-3.cose",
        "applies to sequence 2, but sequence 1 is installed",
    ]);
}

#[test]
fn revocation_rollbacks_and_documents_of_the_wrong_kind_are_refused() {
    let fixture = Fixture::new();
    let text = fixture.issue("special-operations.toml");
    for (sequence, out) in [("1", "revoked-1.cose"), ("2", "revoked-2.cose")] {
        revocation_ok(
            &fixture,
            &[
                "create",
                "--root",
                "keys/root.key",
                "--sequence",
                sequence,
                "--issued-at",
                "2025-01-01T00:00:00Z",
                "--expires",
                "2026-01-01T00:00:00Z",
                "--out",
                out,
            ],
        );
    }
    revocation_ok(
        &fixture,
        &[
            "delta",
            "--root",
            "keys/root.key",
            "--from",
            "revoked-1.cose",
            "--to",
            "revoked-2.cose",
            "--out",
            "delta-2.cose",
        ],
    );
    verify_revocation(
        &fixture,
        &[
            "--revocation",
            "revoked-2.cose",
            "--revocation",
            "revoked-1.cose",
        ],
        &text,
    )
    .assert_one_line_error(&[
        "revoked-1.cose",
        "revocation list sequence 1 is older than the installed 2",
    ]);
    // A revocation list is not a trust list, nor the reverse.
    fixture
        .run(&[
            "verify",
            "--root",
            "keys/root.pub",
            "--trust",
            "revoked-1.cose",
            &text,
        ])
        .assert_one_line_error(&["revoked-1.cose", "not a trust list (content type 65003)"]);
    verify_revocation(&fixture, &["--revocation", "list.cose"], &text)
        .assert_one_line_error(&["list.cose", "not a revocation list (content type 65002)"]);
    fixture
        .run(&[
            "revocation",
            "inspect",
            "--root",
            "keys/root.pub",
            "list.cose",
        ])
        .assert_one_line_error(&["list.cose", "content type 65002"]);
    fixture
        .run(&[
            "trust-list",
            "inspect",
            "--root",
            "keys/root.pub",
            "revoked-1.cose",
        ])
        .assert_one_line_error(&["revoked-1.cose", "content type 65003"]);
    // A delta is not a full list, nor the reverse.
    verify_revocation(&fixture, &["--revocation", "delta-2.cose"], &text).assert_one_line_error(&[
        "delta-2.cose",
        "expected a full revocation list, found a revocation delta",
    ]);
    verify_revocation(
        &fixture,
        &[
            "--revocation",
            "revoked-1.cose",
            "--revocation-delta",
            "revoked-2.cose",
        ],
        &text,
    )
    .assert_one_line_error(&["expected a revocation delta, found a full revocation list"]);
    verify_revocation(&fixture, &["--revocation-delta", "delta-2.cose"], &text)
        .assert_one_line_error(&["--revocation-delta needs the list it applies to"]);
    // Only the given roots sign lists.
    fixture
        .run(&[
            "revocation",
            "inspect",
            "--root",
            "keys/other-root.pub",
            "revoked-1.cose",
        ])
        .assert_one_line_error(&["revoked-1.cose", "none of the given roots"]);
    // Bad entries files and existing outputs, before anything is written.
    fixture.write("bad.txt", "0123456789abcdef\nnot-an-entry\n");
    fixture
        .run(&[
            "revocation",
            "create",
            "--root",
            "keys/root.key",
            "--sequence",
            "3",
            "--expires",
            "2026-01-01T00:00:00Z",
            "--entries",
            "bad.txt",
            "--out",
            "revoked-3.cose",
        ])
        .assert_one_line_error(&["bad.txt", "line 2", "16 hexadecimal digits"]);
    fixture
        .run(&[
            "revocation",
            "create",
            "--root",
            "keys/root.key",
            "--sequence",
            "3",
            "--expires",
            "2026-01-01T00:00:00Z",
            "--out",
            "revoked-1.cose",
        ])
        .assert_one_line_error(&["revoked-1.cose", "already exists"]);
    assert!(!fixture.path("revoked-3.cose").exists());
    fixture
        .run(&["revocation", "entry", "https://cx.mem.gov.cn/"])
        .assert_one_line_error(&["not certificate QR text"]);
}

/// The fixture's trust list with official domains: the issuer's own and a national
/// platform's.
const TRUST_LIST_WITH_DOMAINS_TOML: &str = r#"
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

#[test]
fn web_links_are_classified_against_the_trust_lists_official_domains() {
    let fixture = Fixture::new();
    fixture.write("domains.toml", TRUST_LIST_WITH_DOMAINS_TOML);
    let create = |description: &str, out: &str| {
        fixture.run(&[
            "trust-list",
            "create",
            "--root",
            "keys/root.key",
            "--in",
            description,
            "--out",
            out,
        ])
    };
    let run = create("domains.toml", "domains.cose");
    assert_eq!(run.code, 0, "{run:?}");

    // trust-list inspect shows both kinds of domain.
    let inspect = fixture.run(&[
        "trust-list",
        "inspect",
        "--root",
        "keys/root.pub",
        "domains.cose",
    ]);
    assert_eq!(inspect.code, 0, "{inspect:?}");
    assert!(
        inspect
            .stdout
            .contains("platforms   cx.mem.gov.cn (应急管理部 / Ministry of Emergency Management)"),
        "{inspect:?}"
    );
    assert!(
        inspect
            .stdout
            .contains("    domains     ajj.jiangsu.gov.cn\n"),
        "{inspect:?}"
    );
    let json = fixture
        .run(&[
            "trust-list",
            "inspect",
            "--json",
            "--root",
            "keys/root.pub",
            "domains.cose",
        ])
        .json();
    assert_eq!(json["official_domains"][0]["domain"], "cx.mem.gov.cn");
    assert_eq!(json["issuers"][0]["domains"][0], "ajj.jiangsu.gov.cn");

    // verify: official, look-alike and other sites are all "not a certificate", exit 1.
    let verify = |text: &str| {
        fixture.run(&[
            "verify",
            "--root",
            "keys/root.pub",
            "--trust",
            "domains.cose",
            "--at",
            "2025-02-01T00:00:00Z",
            "--json",
            text,
        ])
    };
    let table = [
        ("https://www.cx.mem.gov.cn/query", "official-website"),
        ("https://ajj.jiangsu.gov.cn/", "official-website"),
        (
            "https://cx-mem-gov.cn.verify-cert.com/check?id=1234",
            "look-alike-website",
        ),
        ("https://mem.gov.cn-check.com/", "look-alike-website"),
        ("https://www.baidu.com/", "website-link"),
    ];
    for (link, code) in table {
        let run = verify(link);
        assert_eq!(run.code, 1, "{link}: {run:?}");
        let verdict = run.json();
        assert_eq!(verdict["status"], "not-a-certificate", "{link}");
        assert_eq!(reason_codes(&verdict), [code], "{link}");
    }
    let human = fixture.run(&[
        "verify",
        "--root",
        "keys/root.pub",
        "--trust",
        "domains.cose",
        "https://cx-mem-gov.cn.verify-cert.com/证书真实有效",
    ]);
    assert_eq!(human.code, 1, "{human:?}");
    assert!(human.stdout.starts_with("NOT A CERTIFICATE"), "{human:?}");
    for expected in [
        "look-alike-website",
        "警告：疑似仿冒的查询网站！",
        "WARNING: probably a FAKE verification site.",
        "type the official address cx.mem.gov.cn yourself",
    ] {
        assert!(
            human.stdout.contains(expected),
            "{expected:?} missing: {human:?}"
        );
    }
    assert!(!human.stdout.contains("证书真实有效"), "{human:?}");

    // inspect compares the link only when given the trust list.
    let link = "https://cx.mem.gov.cn.example.com/";
    let plain = fixture.run(&["inspect", link]);
    assert_eq!(plain.code, 1, "{plain:?}");
    assert!(
        plain
            .stdout
            .contains("site: not compared with official domains"),
        "{plain:?}"
    );
    let compared = fixture.run(&[
        "inspect",
        "--root",
        "keys/root.pub",
        "--trust",
        "domains.cose",
        link,
    ]);
    assert_eq!(compared.code, 1, "{compared:?}");
    assert!(
        compared
            .stdout
            .contains("site: LOOK-ALIKE 仿冒网站 of the official cx.mem.gov.cn"),
        "{compared:?}"
    );
    let json = fixture
        .run(&[
            "inspect",
            "--json",
            "--root",
            "keys/root.pub",
            "--trust",
            "domains.cose",
            link,
        ])
        .json();
    assert_eq!(json["website"]["class"], "look-alike");
    assert_eq!(json["website"]["imitates"], "cx.mem.gov.cn");
    assert_eq!(json["website"]["how"]["trick"], "name-in-other-domain");
    assert!(fixture
        .run(&["inspect", "--json", link])
        .json()
        .get("website")
        .is_none());
    fixture
        .run(&["inspect", "--trust", "domains.cose", link])
        .assert_one_line_error(&["--root"]);

    // A bad domain in the description is refused with one line naming it.
    fixture.write(
        "bad-domain.toml",
        &TRUST_LIST_WITH_DOMAINS_TOML.replace("\"ajj.jiangsu.gov.cn\"", "\"ajj.jiangsu.gov.cn.\""),
    );
    create("bad-domain.toml", "bad.cose").assert_one_line_error(&[
        "bad-domain.toml",
        "issuer 1",
        "\"ajj.jiangsu.gov.cn.\"",
        "ends with a dot",
    ]);
    fixture.write(
        "bad-platform.toml",
        &TRUST_LIST_WITH_DOMAINS_TOML.replace("\"cx.mem.gov.cn\"", "\"gov.cn\""),
    );
    create("bad-platform.toml", "bad.cose").assert_one_line_error(&[
        "bad-platform.toml",
        "official_domain 1",
        "public suffix",
    ]);
}

#[test]
fn revocation_entries_come_from_pictures_as_from_text() {
    let fixture = Fixture::new();
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--in",
        "special-operations.toml",
        "--png",
        "code.png",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let text = run.stdout.trim_end();
    let from_text = revocation_ok(&fixture, &["entry", text]).stdout;
    let from_picture = revocation_ok(&fixture, &["entry", "--image", "code.png"]).stdout;
    assert_eq!(from_picture, from_text);
    revocation_ok(
        &fixture,
        &[
            "create",
            "--root",
            "keys/root.key",
            "--sequence",
            "1",
            "--expires",
            "2099-01-01T00:00:00Z",
            "--image",
            "code.png",
            "--out",
            "revoked.cose",
        ],
    );
    let json = revocation_ok(
        &fixture,
        &[
            "inspect",
            "--root",
            "keys/root.pub",
            "--entries",
            "--json",
            "revoked.cose",
        ],
    )
    .json();
    assert_eq!(json["entries"], serde_json::json!([from_text.trim_end()]));
}

#[test]
fn verify_state_dir_remembers_revocation_lists_and_their_time() {
    let fixture = Fixture::new();
    let text = fixture.issue("special-operations.toml");
    let other = fixture.issue("construction.json");
    for (sequence, issued_at, out) in [
        ("1", "2025-01-10T00:00:00Z", "revoked-1.cose"),
        ("2", "2025-01-20T00:00:00Z", "revoked-2.cose"),
    ] {
        revocation_ok(
            &fixture,
            &[
                "create",
                "--root",
                "keys/root.key",
                "--sequence",
                sequence,
                "--issued-at",
                issued_at,
                "--expires",
                "2026-01-01T00:00:00Z",
                "--certificate",
                &other,
                "--out",
                out,
            ],
        );
    }
    let verify = |revocation: &str, at: &str| {
        fixture.run(&[
            "verify",
            "--root",
            "keys/root.pub",
            "--state-dir",
            "state",
            "--trust",
            "list.cose",
            "--revocation",
            revocation,
            "--at",
            at,
            "--json",
            &text,
        ])
    };
    let first = verify("revoked-2.cose", "2025-02-01T00:00:00Z");
    assert_eq!(first.code, 0, "{first:?}");
    // The state was saved after the revocation list was installed: list 1 is a rollback
    // in the next run, though that run has no revocation list in memory.
    let rollback = verify("revoked-1.cose", "2025-02-01T00:00:00Z");
    assert_eq!(rollback.code, 2, "{rollback:?}");
    assert!(rollback.stderr.contains("revoked-1.cose"), "{rollback:?}");
    // The revocation list's issue time (later than the trust list's) is the trusted time.
    let behind = verify("revoked-2.cose", "2025-01-15T00:00:00Z");
    assert_eq!(behind.code, 0, "{behind:?}");
    let warnings = behind.json()["warnings"].clone();
    assert_eq!(
        warnings[0]["code"], "clock-behind-trusted-data",
        "{warnings}"
    );
    assert!(
        warnings[0]["message_en"]
            .as_str()
            .unwrap()
            .contains("2025-01-20 08:00"),
        "{warnings}"
    );
}
