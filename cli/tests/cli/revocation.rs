//! `certqr revocation` (create, add, delta, entry, inspect) and `certqr verify` with
//! revocation lists and deltas.

use crate::support::{assert_refused, reason_codes, revocation_ok, Fixture, Run};

/// `certqr verify --json` at 2025-02-01 with revocation arguments: the arguments.
fn verify_revocation_args<'a>(revocation: &[&'a str], text: &'a str) -> Vec<&'a str> {
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
    args
}

/// `certqr verify --json` at 2025-02-01 with revocation arguments.
fn verify_revocation(fixture: &Fixture, revocation: &[&str], text: &str) -> Run {
    fixture.run(&verify_revocation_args(revocation, text))
}

certqr_test!(
    revocation_list_revokes_a_certificate_and_nothing_else,
    |fixture| {
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
        // Genuine but revoked: authentic, not verified (format §7.1).
        assert_eq!(verdict["certificate"]["authentic"], true);
        assert_eq!(verdict["certificate"]["verified"], false);
        assert_eq!(verdict["summary_en"], "genuine certificate, but revoked");
        let run = verify_revocation(&fixture, &["--revocation", "revoked-1.cose"], &other);
        assert_eq!(run.code, 0, "{run:?}");
        // Without a revocation list, revocation is not checked.
        assert_eq!(verify_revocation(&fixture, &[], &revoked).code, 0);
    }
);

certqr_test!(
    revocation_add_makes_the_next_list_and_deltas_that_verify_applies,
    |fixture| {
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
        .assert_error(&[
            "delta-3.cose",
            "applies to sequence 2, but sequence 1 is installed",
        ]);
    }
);

certqr_test!(
    revocation_rollbacks_and_documents_of_the_wrong_kind_are_refused,
    |fixture| {
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
        fixture.write("bad.txt", "0123456789abcdef\nnot-an-entry\n");
        let verify = |revocation: &[&'static str]| verify_revocation_args(revocation, &text);
        assert_refused(
            &fixture,
            vec![
                // (case, arguments, parts of the message)
                (
                    "an older full list after a newer one",
                    verify(&[
                        "--revocation",
                        "revoked-2.cose",
                        "--revocation",
                        "revoked-1.cose",
                    ]),
                    vec![
                        "revoked-1.cose",
                        "revocation list sequence 1 is older than the installed 2",
                    ],
                ),
                // A revocation list is not a trust list, nor the reverse.
                (
                    "a revocation list as the trust list",
                    vec![
                        "verify",
                        "--root",
                        "keys/root.pub",
                        "--trust",
                        "revoked-1.cose",
                        &text,
                    ],
                    vec!["revoked-1.cose", "not a trust list (content type 65003)"],
                ),
                (
                    "a trust list as a revocation list",
                    verify(&["--revocation", "list.cose"]),
                    vec!["list.cose", "not a revocation list (content type 65002)"],
                ),
                (
                    "revocation inspect of a trust list",
                    vec![
                        "revocation",
                        "inspect",
                        "--root",
                        "keys/root.pub",
                        "list.cose",
                    ],
                    vec!["list.cose", "content type 65002"],
                ),
                (
                    "trust-list inspect of a revocation list",
                    vec![
                        "trust-list",
                        "inspect",
                        "--root",
                        "keys/root.pub",
                        "revoked-1.cose",
                    ],
                    vec!["revoked-1.cose", "content type 65003"],
                ),
                // A delta is not a full list, nor the reverse.
                (
                    "a delta as the full list",
                    verify(&["--revocation", "delta-2.cose"]),
                    vec![
                        "delta-2.cose",
                        "expected a full revocation list, found a revocation delta",
                    ],
                ),
                (
                    "a full list as a delta",
                    verify(&[
                        "--revocation",
                        "revoked-1.cose",
                        "--revocation-delta",
                        "revoked-2.cose",
                    ]),
                    vec!["expected a revocation delta, found a full revocation list"],
                ),
                (
                    "a delta without its list",
                    verify(&["--revocation-delta", "delta-2.cose"]),
                    vec!["--revocation-delta needs the list it applies to"],
                ),
                // Only the given roots sign lists.
                (
                    "a list no given root signed",
                    vec![
                        "revocation",
                        "inspect",
                        "--root",
                        "keys/other-root.pub",
                        "revoked-1.cose",
                    ],
                    vec!["revoked-1.cose", "none of the given roots"],
                ),
                // Bad entries files and existing outputs, before anything is written.
                (
                    "a bad entries file",
                    vec![
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
                    ],
                    vec!["bad.txt", "line 2", "16 hexadecimal digits"],
                ),
                (
                    "an existing output",
                    vec![
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
                    ],
                    vec!["revoked-1.cose", "already exists"],
                ),
                (
                    "the entry of a web link",
                    vec!["revocation", "entry", "https://cx.mem.gov.cn/"],
                    vec!["not certificate QR text"],
                ),
            ],
        );
        assert!(!fixture.path("revoked-3.cose").exists());
    }
);

certqr_test!(
    revocation_entries_come_from_pictures_as_from_text,
    |fixture| {
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
);

certqr_test!(revocation_counts_say_entry_and_entries, |fixture| {
    let revoked = fixture.issue("special-operations.toml");
    let create = revocation_ok(
        &fixture,
        &[
            "create",
            "--root",
            "keys/root.key",
            "--sequence",
            "1",
            "--expires",
            "+30d",
            "--certificate",
            &revoked,
            "--out",
            "one.cose",
        ],
    );
    assert!(
        create.stderr.contains("sequence 1 with 1 entry, signed"),
        "{create:?}"
    );
    assert!(
        create
            .stderr
            .contains("note: 1 entry came from certificate QR codes"),
        "{create:?}"
    );
    let add = revocation_ok(
        &fixture,
        &[
            "add",
            "--root",
            "keys/root.key",
            "--list",
            "one.cose",
            "--out",
            "two.cose",
        ],
    );
    assert!(
        add.stderr.contains("sequence 2 with 1 entry, signed"),
        "{add:?}"
    );
    fixture.write("entries.txt", "a\n");
    let refused = fixture.run(&[
        "revocation",
        "create",
        "--root",
        "keys/root.key",
        "--sequence",
        "3",
        "--expires",
        "+30d",
        "--entries",
        "entries.txt",
        "--out",
        "three.cose",
    ]);
    refused.assert_error(&[
        "第 1 行",
        "line 1: an entry is 16 hexadecimal digits, found 1 character",
    ]);
    assert!(
        refused.stderr.ends_with("found 1 character\n"),
        "{refused:?}"
    );
});
