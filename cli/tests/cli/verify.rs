//! `certqr verify` of a text or a picture without a state folder: verdicts and exit
//! statuses, JSON and human output, web links, and refused arguments. With
//! `--state-dir`: `state.rs`; with revocation lists: `revocation.rs`.

use crate::support::{assert_refused, reason_codes, tampered, SPECIAL_OPERATIONS_TOML};

/// The exit status, status and reason codes a verification must give, and whether the
/// certificate's fields are authentic (format §7.1; `None`: no fields).
struct Expected {
    exit: i32,
    status: &'static str,
    codes: &'static [&'static str],
    authentic: Option<bool>,
}

const VALID: Expected = Expected {
    exit: 0,
    status: "valid",
    codes: &[],
    authentic: Some(true),
};

/// Genuine data that failed a date, review or revocation check.
fn genuine_but(codes: &'static [&'static str]) -> Expected {
    Expected {
        exit: 1,
        status: "invalid",
        codes,
        authentic: Some(true),
    }
}

/// Data no trusted issuer vouches for.
fn not_genuine(codes: &'static [&'static str]) -> Expected {
    Expected {
        exit: 1,
        status: "invalid",
        codes,
        authentic: Some(false),
    }
}

certqr_test!(verify_gives_each_verdict_with_its_exit_status, |fixture| {
    let special_operations = fixture.issue("special-operations.toml");
    let construction = fixture.issue("construction.json");
    fixture.write(
        "out-of-scope.toml",
        &SPECIAL_OPERATIONS_TOML.replace("\"1.1\"", "\"1.3\""),
    );
    let out_of_scope = fixture.issue("out-of-scope.toml");
    fixture.write(
        "later.toml",
        &SPECIAL_OPERATIONS_TOML
            .replace("valid_from = \"2024-01-01\"", "valid_from = \"2025-06-01\""),
    );
    let not_yet_valid = fixture.issue("later.toml");
    fixture.write(
        "review.toml",
        &SPECIAL_OPERATIONS_TOML
            .replace("review_due = \"2027-01-01\"", "review_due = \"2025-03-01\""),
    );
    let review_overdue = fixture.issue("review.toml");
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
            genuine_but(&["expired"]),
        ),
        (
            "not yet valid",
            not_yet_valid,
            "2025-03-01T00:00:00Z",
            genuine_but(&["not-yet-valid"]),
        ),
        (
            "review overdue",
            review_overdue,
            "2025-04-01T00:00:00Z",
            genuine_but(&["review-overdue"]),
        ),
        (
            "trust list long expired",
            special_operations.clone(),
            "2027-06-01T00:00:00Z",
            not_genuine(&["trust-list-expired"]),
        ),
        (
            "tampered",
            tampered(&special_operations),
            at,
            not_genuine(&["bad-signature"]),
        ),
        (
            "outside the issuer's scope",
            out_of_scope,
            at,
            not_genuine(&["out-of-scope"]),
        ),
        (
            "web link",
            web_link,
            at,
            Expected {
                exit: 1,
                status: "not-a-certificate",
                codes: &["website-link"],
                authentic: None,
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
        let certificate = &verdict["certificate"];
        match expected.authentic {
            Some(authentic) => {
                assert_eq!(certificate["authentic"], authentic, "{case}");
                // Verified only when valid, whatever else is true of the data.
                assert_eq!(
                    certificate["verified"],
                    expected.status == "valid",
                    "{case}"
                );
            }
            None => assert!(certificate.is_null(), "{case}"),
        }
        // The text output says VERIFIED (已核验) of a valid verdict only, and tells a
        // genuine certificate that lapsed from one not shown to be genuine.
        let text_run = fixture.run(&[
            "verify",
            "--root",
            "keys/root.pub",
            "--trust",
            "list.cose",
            "--at",
            at,
            &text,
        ]);
        let said = &text_run.stdout;
        assert_eq!(
            said.contains("(VERIFIED"),
            expected.status == "valid",
            "{case}: {said}"
        );
        assert_eq!(
            said.contains("已核验"),
            expected.status == "valid",
            "{case}: {said}"
        );
        if expected.status == "invalid" {
            let genuine = expected.authentic == Some(true);
            assert_eq!(said.contains("真实证书，但"), genuine, "{case}: {said}");
            assert_eq!(
                said.contains("genuine certificate, but"),
                genuine,
                "{case}: {said}"
            );
            assert_eq!(
                said.contains("GENUINE BUT NOT VALID"),
                genuine,
                "{case}: {said}"
            );
            assert_eq!(
                said.contains("not shown to be genuine"),
                !genuine,
                "{case}: {said}"
            );
        }
    }
});

certqr_test!(
    verify_json_of_a_valid_certificate_is_verified_and_masked,
    |fixture| {
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
);

certqr_test!(verify_human_output_marks_unverified_fields, |fixture| {
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
    assert!(
        valid
            .stdout
            .starts_with("as of 2025-02-01 08:00 (UTC+8), by --at / 按指定时间核验\n\nVALID"),
        "{valid:?}"
    );
    assert!(
        valid.stdout.contains("certificate 证书 (VERIFIED"),
        "{valid:?}"
    );
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
    assert!(forged.stdout.contains("\n\nINVALID"), "{forged:?}");
    for expected in [
        "bad-signature",
        "签名验证失败",
        "Signature check failed",
        "certificate 证书 (UNVERIFIED",
    ] {
        assert!(
            forged.stdout.contains(expected),
            "{expected:?} missing: {}",
            forged.stdout
        );
    }
});

certqr_test!(verify_image_verifies_every_code_in_the_picture, |fixture| {
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
});

certqr_test!(verify_image_without_a_code_is_not_valid, |fixture| {
    fixture.write_blank_png();
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
    // One wording for every command (scan and inspect say the same).
    assert_eq!(
        text.stdout, "blank.png: 未找到二维码 / no QR code found\n",
        "{text:?}"
    );
    let json = verify(&["--json"]);
    assert_eq!(json.code, 1, "{json:?}");
    let json = json.json();
    assert_eq!(json["valid"], false);
    assert_eq!(json["codes"], serde_json::json!([]));
});

certqr_test!(
    verify_classifies_web_links_against_the_trust_lists_official_domains,
    |fixture| {
        fixture.create_domains_list();
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
    }
);

certqr_test!(verify_refuses_bad_arguments_with_one_line, |fixture| {
    let text = fixture.issue("special-operations.toml");
    fixture.write("not-an-image.png", "hello");
    fn verify<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        [
            &["verify", "--root", "keys/root.pub", "--trust", "list.cose"][..],
            extra,
        ]
        .concat()
    }
    assert_refused(
        &fixture,
        vec![
            // (case, arguments, parts of the message)
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
        ],
    );
});

certqr_test!(verify_errors_hint_at_likely_mistakes, |fixture| {
    let text = fixture.issue("special-operations.toml");
    std::fs::write(fixture.path("state-file"), "").unwrap();
    // QR text split by the shell at a space: Base45 has spaces, so unquoted text is
    // several arguments.
    let split: Vec<&str> = ["CQ1:ABC", "DEF"].to_vec();
    let base = ["verify", "--root", "keys/root.pub", "--trust", "list.cose"];
    crate::support::assert_refused(
        &fixture,
        vec![
            (
                "unquoted QR text",
                [&base[..], &split].concat(),
                vec![
                    "命令用法有误",
                    "单引号",
                    "unexpected argument",
                    "hint: the shell split the QR text: put all of it in single quotes",
                ],
            ),
            (
                "a description where a signed list is expected",
                vec!["verify", "--root", "keys/root.pub", "--trust", "list.toml", &text],
                vec![
                    "list.toml: 信任列表被拒绝",
                    "请先用 `certqr trust-list create` 签署",
                    "list.toml: trust list refused",
                    "hint: this is a trust list description, not a signed list: sign it first with `certqr trust-list create`",
                ],
            ),
            (
                "a --state-dir that is a file",
                vec!["verify", "--root", "keys/root.pub", "--state-dir", "state-file", &text],
                vec![
                    "state-file: --state-dir 是一个文件，不是文件夹",
                    "state-file: --state-dir is a file, not a folder; hint: give --state-dir a folder",
                ],
            ),
        ],
    );
    // trust-list inspect gives the same hint.
    fixture
        .run(&[
            "trust-list",
            "inspect",
            "--root",
            "keys/root.pub",
            "list.toml",
        ])
        .assert_error(&["sign it first with `certqr trust-list create`"]);
});
