//! `certqr verify --state-dir`: what the state folder remembers across runs (trust and
//! revocation lists, the trusted time) and how it refuses rollbacks and damage.

use serde_json::Value;

use crate::support::{reason_codes, revocation_ok, Fixture, Run, TRUST_LIST_TOML};

/// Verifies `text` at `at` with `--state-dir state` and, if given, `--trust LIST`.
fn verify_with_state(fixture: &Fixture, trust: Option<&str>, text: &str, at: &str) -> Run {
    let mut args = vec!["verify", "--root", "keys/root.pub", "--state-dir", "state"];
    if let Some(trust) = trust {
        args.extend(["--trust", trust]);
    }
    args.extend(["--clock", at, "--json", text]);
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

certqr_test!(
    verify_state_dir_refuses_a_rollback_across_invocations,
    |fixture| {
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
        rollback.assert_error(&[
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
        empty.assert_error(&["empty-state", "--trust"]);
    }
);

certqr_test!(
    verify_state_dir_reports_a_truncated_state_file_and_never_resets_it,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        let at = "2025-02-01T00:00:00Z";
        let first = verify_with_state(&fixture, Some("list.cose"), &text, at);
        assert_eq!(first.code, 0, "{first:?}");
        let state = fixture.path("state/state.cqs");
        let bytes = std::fs::read(&state).unwrap();
        let truncated = &bytes[..bytes.len() / 2];
        std::fs::write(&state, truncated).unwrap();
        let run = verify_with_state(&fixture, Some("list.cose"), &text, at);
        run.assert_error(&["state.cqs: ", "truncated", "not reset"]);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(std::fs::read(&state).unwrap(), truncated);
    }
);

certqr_test!(
    verify_warns_when_the_clock_is_behind_the_trust_list,
    |fixture| {
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
                "--clock",
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
);

certqr_test!(
    verify_at_judges_as_of_that_time_and_saves_nothing,
    |fixture| {
        let text = fixture.issue("special-operations.toml");
        // A run by the clock saves the list (issued 2025-01-01) and its time.
        let first = verify_with_state(&fixture, Some("list.cose"), &text, "2025-02-01T00:00:00Z");
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
