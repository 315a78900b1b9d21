//! `certqr demo`: the end-to-end demonstration and its files.

use tempfile::TempDir;

use crate::support::certqr;

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
        "list.toml",
        "cert.toml",
        "people.csv",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    // Each key file by its name.
    assert!(
        run.stdout.contains("out/root.key, root.pub "),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(".key/.pub"), "{}", run.stdout);
    // The expired certificate is Jiangsu's, as its issuer is: a Jiangsu number and ID.
    let expired = certqr(&out, &["inspect", "--json", "--image", "06-expired.png"]).json();
    let certificate = &expired["codes"][0]["certificate"];
    assert!(
        certificate["number"].as_str().unwrap().starts_with("苏A"),
        "{certificate}"
    );
    assert!(
        certificate["id_number"].as_str().unwrap().starts_with("32"),
        "{certificate}"
    );
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
