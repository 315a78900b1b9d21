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
                "00000002.svg",
                "00000002.txt",
                "00000004.svg",
                "00000004.txt",
                "refused.csv",
            ]
        );
        let refused = std::fs::read_to_string(fixture.path("out/refused.csv")).unwrap();
        assert_eq!(
            refused,
            "row,reason\n3,column item: expected an item code of the special-operations catalog\n"
        );
        let verdict = verify_file(&fixture, "out/00000002.txt");
        assert_eq!(verdict["certificate"]["holder_name"], "张建国");
        let verdict = verify_file(&fixture, "out/00000004.txt");
        assert_eq!(verdict["certificate"]["holder_name"], "陈静");
        let svg = std::fs::read_to_string(fixture.path("out/00000004.svg")).unwrap();
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
        let done = fixture.path("out/00000002.txt");
        let first = std::fs::read(&done).unwrap();
        // As if the run had died mid-row: one row's text gone, a temporary file left over.
        std::fs::remove_file(fixture.path("out/00000004.txt")).unwrap();
        fixture.write("out/00000004.txt.tmp", "CQ1:half");
        let run = fixture.run(&args);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.contains("issued   1\n"), "{run:?}");
        assert!(run.stdout.contains("skipped  1 (already done)"), "{run:?}");
        assert_eq!(std::fs::read(&done).unwrap(), first);
        assert_eq!(
            listing(&fixture.path("out")),
            ["00000002.txt", "00000004.txt", "refused.csv",]
        );
        verify_file(&fixture, "out/00000004.txt");
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
                "00000001.png",
                "00000001.txt",
                "00000003.png",
                "00000003.txt",
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
            lines[1] == "5,column id_number: expected an 18-character identity card number",
            "{refused}"
        );
        assert!(!refused.contains("320102"), "{refused}");
        verify_file(&fixture, "out/00000003.txt");
        let run = fixture.run(&[
            "verify",
            "--root",
            "keys/root.pub",
            "--trust",
            "list.cose",
            "--at",
            "2025-02-01T00:00:00Z",
            "--image",
            "out/00000001.png",
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

/// Refusals name the row (refused.csv's first column) and the column, and say what is
/// expected; never the value, nor any identity card number.
const BAD_ROWS: [(&str, &str); 12] = [
    (
        "special-operations,1.1,张建国,male,32010219850612123X,,2025-13-01,2024-01-01,2029-12-31,2027-01-01",
        "column first_issued: expected a date YYYY-MM-DD",
    ),
    (
        "special-operations,1.1,张建国,male,32010219850612123X,,,2024-01-01,2029-12-31,2027-01-01",
        "column first_issued: missing; expected a date YYYY-MM-DD",
    ),
    (
        "special-operation,1.1,张建国,male,32010219850612123X,,2024-01-01,2024-01-01,2029-12-31,2027-01-01",
        "column family: expected one of special-operations, special-equipment, safety-management, construction-safety-management, construction-special-operations",
    ),
    (
        "special-operations,1.1,张建国,男,32010219850612123X,,2024-01-01,2024-01-01,2029-12-31,2027-01-01",
        "column sex: must be \"male\" or \"female\"",
    ),
    (
        "special-operations,1.1,张建国,male,320102198506121234,,2024-01-01,2024-01-01,2029-12-31,2027-01-01",
        "column id_number: identity card number has the wrong check character",
    ),
    (
        "special-operations,Q2,张建国,male,32010219850612123X,,2024-01-01,2024-01-01,2029-12-31,2027-01-01",
        "column item: expected an item code of the special-operations catalog",
    ),
    (
        "special-operations,1.1,张建国,female,32010219850612123X,,2024-01-01,2024-01-01,2029-12-31,2027-01-01",
        "column sex: sex does not match the identity card number",
    ),
    (
        "special-operations,1.1,张建国,male,32010219850612123X,,2024-01-01,2024-01-01,2029-12-31,2031-01-01",
        "column review_due: review due date must fall after the start of validity and no later than 2027-01-01",
    ),
    (
        "special-operations,1.1,张建国,male,32010219850612123X,,2024-01-01,2024-01-01,2035-12-31,2027-01-01",
        "column valid_until: validity runs past 2030-01-01, 6 years after its start, the most the family allows",
    ),
    (
        "special-operations,1.1,张建国,male,32010219850612123X,,2024-01-01,2024-02-01,2024-01-31,2027-01-01",
        "columns first_issued, valid_from, valid_until: dates out of order: need first issued <= valid from <= valid until",
    ),
    (
        "special-operations,1.1,张建国,male,32010219850612123X,,2024-01-01,2024-01-01,2029-12-31,",
        "column review_due: this family requires a review due date",
    ),
    (
        "special-operations,1.1,张建国,male,32010219850612123X",
        "has 5 fields where the header row has 10",
    ),
];

certqr_test!(
    issue_batch_refusals_name_row_and_column_never_the_value,
    |fixture| {
        let header = "family,item,holder_name,sex,id_number,number,first_issued,valid_from,valid_until,review_due";
        let mut csv = format!("{header}\n");
        for (row, _) in BAD_ROWS {
            csv.push_str(row);
            csv.push('\n');
        }
        fixture.write("bad.csv", &csv);
        let run = fixture.run(&[
            "issue",
            "--key",
            "keys/issuer.key",
            "--batch",
            "bad.csv",
            "--out",
            "out",
            "--jobs",
            "1",
        ]);
        assert_eq!(run.code, 1, "{run:?}");
        let refused = std::fs::read_to_string(fixture.path("out/refused.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(refused.as_bytes());
        let got: Vec<(u64, String)> = reader
            .records()
            .map(|record| {
                let record = record.unwrap();
                (record[0].parse().unwrap(), record[1].to_owned())
            })
            .collect();
        let expected: Vec<(u64, String)> = BAD_ROWS
            .iter()
            .zip(2..)
            .map(|((_, reason), row)| (row, (*reason).to_owned()))
            .collect();
        assert_eq!(got, expected);
        for value in [
            "2025-13-01",
            "special-operation,",
            "男",
            "320102",
            "Q2",
            "张建国",
        ] {
            assert!(!refused.contains(value), "{value} in {refused}");
        }
    }
);

certqr_test!(issue_batch_json_refusals_name_the_field, |fixture| {
    let good = r#"{"family": "special-operations", "item": "1.1", "holder_name": "张建国", "sex": "male", "id_number": "32010219850612123X", "first_issued": "2024-01-01", "valid_from": "2024-01-01", "valid_until": "2029-12-31", "review_due": "2027-01-01"}"#;
    let rows = [
            (
                good.replace("special-operations", "张建国"),
                "column family: expected one of special-operations, special-equipment, safety-management, construction-safety-management, construction-special-operations",
            ),
            (
                good.replace("\"2024-01-01\", \"valid_until", "\"\", \"valid_until"),
                "column valid_from: is empty; expected a date YYYY-MM-DD",
            ),
            (
                good.replace(", \"item\": \"1.1\"", ""),
                "column item: missing; expected an item code of the family's catalog",
            ),
        ];
    let jsonl: String = rows.iter().map(|(row, _)| format!("{row}\n")).collect();
    fixture.write("bad.jsonl", &jsonl);
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--batch",
        "bad.jsonl",
        "--out",
        "out",
        "--jobs",
        "1",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let refused = std::fs::read_to_string(fixture.path("out/refused.csv")).unwrap();
    let expected: String = rows
        .iter()
        .zip(1..)
        .map(|((_, reason), row)| match reason.contains(',') {
            true => format!("{row},\"{reason}\"\n"),
            false => format!("{row},{reason}\n"),
        })
        .collect();
    assert_eq!(refused, format!("row,reason\n{expected}"));
});

certqr_test!(
    issue_batch_file_names_hold_no_identity_card_number,
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
            "--png",
            "--svg",
        ]);
        assert_eq!(run.code, 1, "{run:?}");
        let names = listing(&fixture.path("out"));
        assert_eq!(names.len(), 7, "{names:?}");
        for name in names {
            for id in [
                "32010219850612123X",
                "440306199211082825",
                "苏A042023000123",
            ] {
                assert!(!name.contains(id), "{name}");
            }
            // Only digits before the extension, or the report.
            let stem = name.split('.').next().unwrap();
            assert!(
                name == "refused.csv" || stem.chars().all(|c| c.is_ascii_digit()),
                "{name}"
            );
        }
    }
);

certqr_test!(issue_batch_reads_a_gbk_csv_as_excel_saves_it, |fixture| {
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(BATCH_CSV);
    assert!(!unmappable);
    // Not UTF-8: the file the issue is about.
    assert!(std::str::from_utf8(&gbk).is_err());
    std::fs::write(fixture.path("excel.csv"), &gbk).unwrap();
    let run = fixture.run(&[
        "issue",
        "--key",
        "keys/issuer.key",
        "--batch",
        "excel.csv",
        "--out",
        "out",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("issued   2\n"), "{run:?}");
    assert!(run.stdout.contains("refused  1"), "{run:?}");
    assert!(
        run.stderr
            .contains("excel.csv: 已按 GB18030（GBK）编码读取"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("excel.csv: read as GB18030 (GBK) text, the encoding Chinese Excel"),
        "{run:?}"
    );
    let verdict = verify_file(&fixture, "out/00000002.txt");
    assert_eq!(verdict["certificate"]["holder_name"], "张建国");
    let verdict = verify_file(&fixture, "out/00000004.txt");
    assert_eq!(verdict["certificate"]["holder_name"], "陈静");
});

certqr_test!(
    issue_batch_refuses_other_encodings_once_naming_the_file,
    |fixture| {
        // UTF-16 with its byte-order mark, as "Unicode Text" from Excel.
        let mut utf16 = vec![0xff, 0xfe];
        for unit in BATCH_CSV.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        std::fs::write(fixture.path("unicode.csv"), &utf16).unwrap();
        let run = fixture.run(&[
            "issue",
            "--key",
            "keys/issuer.key",
            "--batch",
            "unicode.csv",
            "--out",
            "out",
        ]);
        run.assert_error(&["unicode.csv: is neither UTF-8 nor GB18030 (GBK) text"]);
        assert!(!fixture.path("out/refused.csv").exists());
        // A CSV file named .xlsx: one line too.
        std::fs::write(fixture.path("roster.xlsx"), BATCH_CSV).unwrap();
        let run = fixture.run(&[
            "issue",
            "--key",
            "keys/issuer.key",
            "--batch",
            "roster.xlsx",
            "--out",
            "out",
        ]);
        run.assert_error(&["roster.xlsx: is not a readable .xlsx workbook"]);
        assert!(!run.stderr.contains("张建国"), "{run:?}");
    }
);

certqr_test!(
    issue_batch_reads_an_xlsx_workbook_with_excel_dates,
    |fixture| {
        // The rows of BATCH_CSV in a workbook, dates as Excel dates (numbers formatted as
        // dates), the rest as text, empty cells left empty.
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        for (row, line) in (0u32..).zip(BATCH_CSV.lines()) {
            for (column, cell) in (0u16..).zip(line.split(',')) {
                let date: Vec<&str> = cell.split('-').collect();
                if row > 0 && date.len() == 3 && date.iter().all(|part| part.parse::<u16>().is_ok())
                {
                    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        date[0].parse().unwrap(),
                        date[1].parse().unwrap(),
                        date[2].parse().unwrap(),
                    )
                    .unwrap();
                    sheet
                        .write_datetime_with_format(row, column, &date, &date_format)
                        .unwrap();
                } else if !cell.is_empty() {
                    sheet.write_string(row, column, cell).unwrap();
                }
            }
        }
        workbook.save(fixture.path("roster.xlsx")).unwrap();
        let run = fixture.run(&[
            "issue",
            "--key",
            "keys/issuer.key",
            "--batch",
            "roster.xlsx",
            "--out",
            "out",
        ]);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.contains("issued   2\n"), "{run:?}");
        let refused = std::fs::read_to_string(fixture.path("out/refused.csv")).unwrap();
        assert_eq!(
            refused,
            "row,reason\n3,column item: expected an item code of the special-operations catalog\n"
        );
        let verdict = verify_file(&fixture, "out/00000002.txt");
        assert_eq!(verdict["certificate"]["holder_name"], "张建国");
        assert_eq!(verdict["certificate"]["valid_until"], "2029-12-31");
        let verdict = verify_file(&fixture, "out/00000004.txt");
        assert_eq!(verdict["certificate"]["valid_from"], "2023-06-01");
    }
);
