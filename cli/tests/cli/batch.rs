//! `certqr issue --batch`: CSV and JSON Lines, refused rows, resuming, and pictures.

use std::path::Path;

use serde_json::Value;

use crate::support::{Fixture, CONSTRUCTION_JSON};

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

certqr_test!(
    issue_batch_csv_issues_every_good_row_and_reports_the_refused_one,
    |fixture| {
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
        let svg =
            std::fs::read_to_string(fixture.path("out/00000004-苏A042023000123.svg")).unwrap();
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
    }
);

certqr_test!(
    issue_batch_resumes_by_skipping_rows_already_done,
    |fixture| {
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
);

certqr_test!(
    issue_batch_json_lines_with_pictures_that_verify,
    |fixture| {
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
);

certqr_test!(
    issue_batch_refuses_a_wrong_header_and_file_flags_with_one_line,
    |fixture| {
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
        run.assert_error(&["bad-header.csv: header row: unknown column \"name\""]);
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
        run.assert_error(&["--svg takes no FILE with --batch"]);
        let run = fixture.run(&[
            "issue",
            "--key",
            "keys/issuer.key",
            "--batch",
            "batch.txt",
            "--out",
            "o",
        ]);
        run.assert_error(&["batch.txt: unknown batch format"]);
    }
);
