//! `certqr verify --state-dir`: what the state folder keeps from one run to the next (both
//! lists, the deltas since, the trusted time, the digests that refuse another list under
//! an installed sequence) and how it refuses rollbacks and damage.

use std::path::Path;

use serde_json::Value;

use crate::support::{reason_codes, revocation_ok, warning_codes, Fixture, Run, TRUST_LIST_TOML};

/// When the tests verify unless they move the clock: every list is current then.
const AT: &str = "2025-02-01T00:00:00Z";

/// `certqr verify --root keys/root.pub --state-dir state EXTRA... --clock AT --json TEXT`.
fn verify_with_state(fixture: &Fixture, extra: &[&str], text: &str, at: &str) -> Run {
    let mut args = vec!["verify", "--root", "keys/root.pub", "--state-dir", "state"];
    args.extend_from_slice(extra);
    args.extend(["--clock", at, "--json", text]);
    fixture.run(&args)
}

/// Signs the trust list `description` (TOML, written as `OUT.toml`) into `out`.
fn create_trust_list(fixture: &Fixture, description: &str, out: &str) {
    let name = format!("{out}.toml");
    fixture.write(&name, description);
    let run = fixture.create_trust_list(&name, out);
    assert_eq!(run.code, 0, "{run:?}");
}

/// Signs revocation list `sequence`, issued at `issued_at`, into `out`: revoking the
/// certificate `revoked` if given, else empty.
fn create_revocation_list(
    fixture: &Fixture,
    sequence: &str,
    issued_at: &str,
    revoked: Option<&str>,
    out: &str,
) {
    let mut args = vec![
        "create",
        "--root",
        "keys/root.key",
        "--sequence",
        sequence,
        "--issued-at",
        issued_at,
        "--expires",
        "2026-01-01T00:00:00Z",
        "--out",
        out,
    ];
    if let Some(text) = revoked {
        args.extend(["--certificate", text]);
    }
    revocation_ok(fixture, &args);
}

fn assert_revoked(run: &Run) {
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["status"], "invalid", "{run:?}");
    assert_eq!(reason_codes(&run.json()), ["revoked"], "{run:?}");
}

certqr_test!(
    verify_state_dir_refuses_a_rollback_across_invocations,
    |fixture| {
        let list_2 = TRUST_LIST_TOML
            .replace("sequence = 1", "sequence = 2")
            .replace("2025-01-01T00:00:00Z", "2025-01-15T00:00:00Z");
        create_trust_list(&fixture, &list_2, "list-2.cose");
        let text = fixture.issue("special-operations.toml");
        let first = verify_with_state(&fixture, &["--trust", "list-2.cose"], &text, AT);
        assert_eq!(first.code, 0, "{first:?}");
        assert!(fixture.path("state/state.cqs").is_file());
        assert_eq!(
            fixture.read("state/trust-list.cose"),
            fixture.read("list-2.cose")
        );
        // A later run offered the older list 1 refuses it, though nothing is in memory.
        let rollback = verify_with_state(&fixture, &["--trust", "list.cose"], &text, AT);
        rollback.assert_error(&[
            "list.cose: trust list refused",
            "sequence 1 is older than sequence 2",
            "state.cqs",
            "rollback",
        ]);
        assert!(rollback.stdout.is_empty(), "{rollback:?}");
        // Without --trust the saved copy of list 2 is used.
        let saved = verify_with_state(&fixture, &[], &text, AT);
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
        empty.assert_error(&["empty-state", "--trust"]);
    }
);

certqr_test!(
    verify_state_dir_reports_a_truncated_state_file_and_never_resets_it,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        let first = verify_with_state(&fixture, &["--trust", "list.cose"], &text, AT);
        assert_eq!(first.code, 0, "{first:?}");
        let state = fixture.path("state/state.cqs");
        let bytes = std::fs::read(&state).unwrap();
        let truncated = &bytes[..bytes.len() / 2];
        std::fs::write(&state, truncated).unwrap();
        let run = verify_with_state(&fixture, &["--trust", "list.cose"], &text, AT);
        run.assert_error(&["state.cqs: ", "truncated", "not reset"]);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(std::fs::read(&state).unwrap(), truncated);
    }
);

certqr_test!(
    verify_state_dir_that_is_a_file_is_a_clear_error,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        fixture.write("state", "not a directory");
        let run = verify_with_state(&fixture, &["--trust", "list.cose"], &text, AT);
        run.assert_error(&[
            "state: --state-dir 是一个文件，不是文件夹",
            "state: --state-dir is a file, not a folder; hint: give --state-dir a folder",
        ]);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(
            std::fs::read_to_string(fixture.path("state")).unwrap(),
            "not a directory"
        );
    }
);

certqr_test!(
    verify_state_dir_without_a_trust_list_says_what_to_give,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        verify_with_state(&fixture, &[], &text, AT)
            .assert_error(&["state: holds no trust-list.cose yet", "--trust LIST"]);
        // A saved list the given root does not accept is named, with the reason.
        let first = verify_with_state(&fixture, &["--trust", "list.cose"], &text, AT);
        assert_eq!(first.code, 0, "{first:?}");
        let run = fixture.run(&[
            "verify",
            "--root",
            "keys/other-root.pub",
            "--state-dir",
            "state",
            "--clock",
            AT,
            &text,
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
);

certqr_test!(
    verify_state_dir_refuses_another_trust_list_under_the_installed_sequence,
    |fixture| {
        let other = TRUST_LIST_TOML.replace(
            "Jiangsu Provincial Department of Emergency Management",
            "Another Department",
        );
        create_trust_list(&fixture, &other, "other-1.cose");
        let text = fixture.issue("special-operations.toml");
        let first = verify_with_state(&fixture, &["--trust", "list.cose"], &text, AT);
        assert_eq!(first.code, 0, "{first:?}");
        let refused = verify_with_state(&fixture, &["--trust", "other-1.cose"], &text, AT);
        refused.assert_error(&[
            "other-1.cose: trust list refused",
            "sequence 1",
            "conflicting sequence",
            "state.cqs",
        ]);
        assert!(refused.stdout.is_empty(), "{refused:?}");
        // The old one stays.
        assert_eq!(
            fixture.read("state/trust-list.cose"),
            fixture.read("list.cose")
        );
        let after = verify_with_state(&fixture, &[], &text, AT);
        assert_eq!(after.code, 0, "{after:?}");
        assert_eq!(after.json()["status"], "valid");
        // Without the saved copy, the digest in the state alone refuses it.
        std::fs::remove_file(fixture.path("state/trust-list.cose")).unwrap();
        verify_with_state(&fixture, &["--trust", "other-1.cose"], &text, AT)
            .assert_error(&["other-1.cose: trust list refused", "conflicting sequence"]);
        assert!(!fixture.path("state/trust-list.cose").exists());
        let again = verify_with_state(&fixture, &["--trust", "list.cose"], &text, AT);
        assert_eq!(again.code, 0, "{again:?}");
    }
);

certqr_test!(
    verify_state_dir_still_revokes_with_a_list_given_once,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        create_revocation_list(
            &fixture,
            "1",
            "2025-01-10T00:00:00Z",
            Some(&text),
            "revoked-1.cose",
        );
        assert_revoked(&verify_with_state(
            &fixture,
            &["--trust", "list.cose", "--revocation", "revoked-1.cose"],
            &text,
            AT,
        ));
        assert_eq!(
            fixture.read("state/revocation-list.cose"),
            fixture.read("revoked-1.cose")
        );
        // Neither list given: both come from the state directory.
        assert_revoked(&verify_with_state(&fixture, &[], &text, AT));
        assert_revoked(&verify_with_state(
            &fixture,
            &["--trust", "list.cose"],
            &text,
            AT,
        ));
        // Without the saved copy, the verdict says revocation was not checked.
        std::fs::remove_file(fixture.path("state/revocation-list.cose")).unwrap();
        let unchecked = verify_with_state(&fixture, &[], &text, AT);
        assert_eq!(unchecked.code, 0, "{unchecked:?}");
        let verdict = unchecked.json();
        assert_eq!(
            warning_codes(&verdict),
            ["revocation-not-checked"],
            "{unchecked:?}"
        );
        let warning = &verdict["warnings"][0];
        assert!(
            warning["message_zh"]
                .as_str()
                .unwrap()
                .contains("未检查吊销状态"),
            "{warning}"
        );
    }
);

certqr_test!(
    verify_state_dir_still_applies_a_delta_given_once,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        create_revocation_list(&fixture, "1", "2025-01-10T00:00:00Z", None, "empty-1.cose");
        revocation_ok(
            &fixture,
            &[
                "add",
                "--root",
                "keys/root.key",
                "--list",
                "empty-1.cose",
                "--certificate",
                &text,
                "--issued-at",
                "2025-01-11T00:00:00Z",
                "--out",
                "revoked-2.cose",
                "--delta",
                "delta-1-2.cose",
            ],
        );
        let first = verify_with_state(
            &fixture,
            &["--trust", "list.cose", "--revocation", "empty-1.cose"],
            &text,
            AT,
        );
        assert_eq!(first.code, 0, "{first:?}");
        assert_revoked(&verify_with_state(
            &fixture,
            &["--revocation-delta", "delta-1-2.cose"],
            &text,
            AT,
        ));
        assert_revoked(&verify_with_state(&fixture, &[], &text, AT));
        // The full list 2 (what the delta made) replaces list and delta.
        assert_revoked(&verify_with_state(
            &fixture,
            &["--revocation", "revoked-2.cose"],
            &text,
            AT,
        ));
        assert!(!fixture.path("state/revocation-delta-1.cose").exists());
        assert_revoked(&verify_with_state(&fixture, &[], &text, AT));
    }
);

certqr_test!(
    verify_state_dir_refuses_another_revocation_list_under_the_installed_sequence,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        create_revocation_list(
            &fixture,
            "1",
            "2025-01-10T00:00:00Z",
            Some(&text),
            "revoked-1.cose",
        );
        create_revocation_list(&fixture, "1", "2025-01-10T00:00:00Z", None, "empty-1.cose");
        assert_revoked(&verify_with_state(
            &fixture,
            &["--trust", "list.cose", "--revocation", "revoked-1.cose"],
            &text,
            AT,
        ));
        let refused = verify_with_state(&fixture, &["--revocation", "empty-1.cose"], &text, AT);
        refused.assert_error(&[
            "empty-1.cose: revocation list refused",
            "sequence 1",
            "conflicting sequence",
        ]);
        // The old one stays.
        assert_eq!(
            fixture.read("state/revocation-list.cose"),
            fixture.read("revoked-1.cose")
        );
        assert_revoked(&verify_with_state(&fixture, &[], &text, AT));
        // Without the saved copy, the digest in the state alone refuses it.
        std::fs::remove_file(fixture.path("state/revocation-list.cose")).unwrap();
        verify_with_state(&fixture, &["--revocation", "empty-1.cose"], &text, AT).assert_error(&[
            "empty-1.cose: revocation list refused",
            "conflicting sequence",
        ]);
    }
);

certqr_test!(
    verify_warns_when_the_clock_is_behind_the_trust_list,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        // The trust list was issued 2025-01-01T00:00:00Z.
        let run = verify_with_state(
            &fixture,
            &["--trust", "list.cose"],
            &text,
            "2024-12-01T00:00:00Z",
        );
        assert_eq!(run.code, 0, "{run:?}");
        let verdict = run.json();
        assert_eq!(verdict["status"], "valid");
        assert_eq!(
            warning_codes(&verdict),
            ["clock-behind-trusted-data"],
            "{verdict}"
        );
        let warning = &verdict["warnings"][0];
        assert!(warning["message_zh"]
            .as_str()
            .unwrap()
            .contains("设备时钟早于可信数据时间（2025-01-01 08:00 (UTC+8)）"));
        assert!(warning["message_en"]
            .as_str()
            .unwrap()
            .contains("device clock is behind trusted data"));
        // The state remembers the time: a later run with the clock right has no warning.
        let later = verify_with_state(&fixture, &[], &text, AT);
        assert_eq!(later.code, 0, "{later:?}");
        assert_eq!(later.json()["warnings"], Value::Array(vec![]));
    }
);

certqr_test!(
    verify_state_dir_remembers_revocation_lists_and_their_time,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        let other = fixture.issue("construction.json");
        for (sequence, issued_at, out) in [
            ("1", "2025-01-10T00:00:00Z", "revoked-1.cose"),
            ("2", "2025-01-20T00:00:00Z", "revoked-2.cose"),
        ] {
            create_revocation_list(&fixture, sequence, issued_at, Some(&other), out);
        }
        let verify = |revocation: &str, at: &str| {
            verify_with_state(
                &fixture,
                &["--trust", "list.cose", "--revocation", revocation],
                &text,
                at,
            )
        };
        let first = verify("revoked-2.cose", AT);
        assert_eq!(first.code, 0, "{first:?}");
        // The state was saved after the revocation list was installed: list 1 is a rollback
        // in the next run, though that run has no revocation list in memory.
        let rollback = verify("revoked-1.cose", AT);
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
);

certqr_test!(
    verify_at_judges_as_of_that_time_and_saves_nothing,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        // A run by the clock saves the list (issued 2025-01-01) and its time.
        let first = verify_with_state(
            &fixture,
            &["--trust", "list.cose"],
            &text,
            "2025-02-01T00:00:00Z",
        );
        assert_eq!(first.code, 0, "{first:?}");
        let state = std::fs::read(fixture.path("state/state.cqs")).unwrap();
        // A list with a higher sequence, given to an as-of run, is used but not saved.
        let newer = TRUST_LIST_TOML
            .replace("sequence = 1", "sequence = 2")
            .replace("2025-01-01T00:00:00Z", "2025-01-15T00:00:00Z");
        fixture.write("newer.toml", &newer);
        assert_eq!(
            fixture.create_trust_list("newer.toml", "newer.cose").code,
            0
        );
        // As of a time before the trusted time: judged at exactly that time, with no
        // clock warning (the certificate began 2024-01-01).
        let as_of = |at: &str, extra: &[&str]| {
            let mut args = vec![
                "verify",
                "--root",
                "keys/root.pub",
                "--state-dir",
                "state",
                "--trust",
                "newer.cose",
                "--at",
                at,
            ];
            args.extend_from_slice(extra);
            args.push(&text);
            fixture.run(&args)
        };
        let json = as_of("2024-06-01T01:00:00Z", &["--json"]);
        assert_eq!(json.code, 0, "{json:?}");
        assert_eq!(json.json()["warnings"], Value::Array(vec![]));
        assert!(
            json.stderr
                .starts_with("as of 2024-06-01 09:00 (UTC+8), by --at / 按指定时间核验\n"),
            "{json:?}"
        );
        // Before the certificate began, it was not yet valid: no moving forward.
        let early = as_of("2023-06-01T00:00:00Z", &["--json"]);
        assert_eq!(early.code, 1, "{early:?}");
        assert_eq!(reason_codes(&early.json()), ["not-yet-valid"]);
        // The text output says how it was judged.
        let text_run = as_of("2024-06-01T01:00:00Z", &[]);
        assert!(
            text_run
                .stdout
                .starts_with("as of 2024-06-01 09:00 (UTC+8), by --at / 按指定时间核验\n"),
            "{text_run:?}"
        );
        // Nothing was saved: neither the state nor the newer list.
        assert_eq!(
            std::fs::read(fixture.path("state/state.cqs")).unwrap(),
            state
        );
        assert_eq!(
            std::fs::read(fixture.path("state/trust-list.cose")).unwrap(),
            std::fs::read(fixture.path("list.cose")).unwrap()
        );
        // And no state directory is made for an as-of run.
        fixture
            .run(&[
                "verify",
                "--root",
                "keys/root.pub",
                "--state-dir",
                "absent",
                "--trust",
                "list.cose",
                "--at",
                "2025-02-01T00:00:00Z",
                &text,
            ])
            .assert_error(&[
                "absent: 没有这个状态文件夹",
                "with --at nothing is created or saved",
            ]);
        assert!(!fixture.path("absent").exists());
    }
);
