//! `certqr trust-list create` and `certqr trust-list inspect`.

use serde_json::Value;

use crate::support::{assert_refused, TRUST_LIST_TOML, TRUST_LIST_WITH_DOMAINS_TOML};

certqr_test!(trust_list_inspect_shows_the_verified_list, |fixture| {
    let run = fixture.run(&[
        "trust-list",
        "inspect",
        "--root",
        "keys/other-root.pub",
        "--root",
        "keys/root.pub",
        "list.cose",
    ]);
    run.assert_stdout(
        0,
        &[
            "VERIFIED",
            "sequence    1",
            "issued at   2025-01-01T00:00:00Z",
            "expires at  2026-01-01T00:00:00Z",
            "江苏省应急管理厅 / Jiangsu Provincial Department of Emergency Management",
            "key window  2020-01-01 to 2030-12-31",
            "status      active",
            "1.1 高压电工作业",
            "建筑施工特种作业操作资格证 (construction-special-operations): all items",
        ],
    );

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
});

certqr_test!(
    trust_list_create_refuses_to_overwrite_unless_forced,
    |fixture| {
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
            .assert_error(&["list.cose", "already exists", "--force"]);
        assert_eq!(std::fs::read(fixture.path("list.cose")).unwrap(), before);
        let forced = fixture.run(&[&create[..], &["--force"]].concat());
        assert_eq!(forced.code, 0, "{forced:?}");
    }
);

certqr_test!(
    trust_list_inspect_and_verify_refuse_a_list_no_given_root_signed,
    |fixture| {
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
            run.assert_error(&["list.cose: trust list refused", "none of the given roots"]);
            assert!(run.stdout.is_empty(), "{run:?}");
        }
    }
);

certqr_test!(trust_list_inspect_shows_official_domains, |fixture| {
    fixture.create_domains_list();
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
});

certqr_test!(
    trust_list_create_refuses_bad_input_with_one_line,
    |fixture| {
        fixture.write(
            "private-as-public.toml",
            &TRUST_LIST_TOML.replace("keys/issuer.pub", "keys/issuer.key"),
        );
        // A bad domain in the description is refused with an error naming it.
        fixture.write(
            "bad-domain.toml",
            &TRUST_LIST_WITH_DOMAINS_TOML
                .replace("\"ajj.jiangsu.gov.cn\"", "\"ajj.jiangsu.gov.cn.\""),
        );
        fixture.write(
            "bad-platform.toml",
            &TRUST_LIST_WITH_DOMAINS_TOML.replace("\"cx.mem.gov.cn\"", "\"gov.cn\""),
        );
        let create = |description: &'static str, out: &'static str| {
            vec![
                "trust-list",
                "create",
                "--root",
                "keys/root.key",
                "--in",
                description,
                "--out",
                out,
            ]
        };
        assert_refused(
            &fixture,
            vec![
                // (case, arguments, parts of the message)
                (
                    "private key in a trust list description",
                    create("private-as-public.toml", "new.cose"),
                    vec![
                        "private-as-public.toml: issuer 1: public_key",
                        "is a private key",
                    ],
                ),
                (
                    "issuer domain ending with a dot",
                    create("bad-domain.toml", "bad.cose"),
                    vec![
                        "bad-domain.toml",
                        "issuer 1",
                        "\"ajj.jiangsu.gov.cn.\"",
                        "ends with a dot",
                    ],
                ),
                (
                    "platform domain that is a public suffix",
                    create("bad-platform.toml", "bad.cose"),
                    vec!["bad-platform.toml", "official_domain 1", "public suffix"],
                ),
                (
                    "inspect without root",
                    vec!["trust-list", "inspect", "list.cose"],
                    vec!["--root"],
                ),
            ],
        );
    }
);

certqr_test!(
    trust_list_create_warns_of_a_list_expired_or_expiring_within_a_week,
    |fixture| {
        // The fixture's list expired on 2026-01-01.
        let expired = fixture.create_trust_list("list.toml", "expired.cose");
        assert_eq!(expired.code, 0, "{expired:?}");
        assert!(
        expired.stderr.contains("警告：此信任列表已于 2026-01-01T00:00:00Z 过期")
            && expired.stderr.contains(
                "warning: this trust list expired at 2026-01-01T00:00:00Z, and verifiers will refuse it"
            ),
        "{expired:?}"
    );
        for (expires_at, warned) in [("+3d", true), ("+90d", false)] {
            let description = TRUST_LIST_TOML.replace(
                "expires_at = 2026-01-01T00:00:00Z",
                &format!("expires_at = \"{expires_at}\""),
            );
            let description = description.replace(
                "issued_at = \"2025-01-01T00:00:00Z\"",
                "issued_at = \"now\"",
            );
            fixture.write("relative.toml", &description);
            let run = fixture.run(&[
                "trust-list",
                "create",
                "--root",
                "keys/root.key",
                "--in",
                "relative.toml",
                "--out",
                "relative.cose",
                "--force",
            ]);
            assert_eq!(run.code, 0, "{run:?}");
            assert_eq!(
                run.stderr.contains("in less than a week"),
                warned,
                "{run:?}"
            );
            assert!(!run.stderr.contains("expired at"), "{run:?}");
            // The relative times were resolved when signing: the list verifies now.
            let inspect = fixture.run(&[
                "trust-list",
                "inspect",
                "--root",
                "keys/root.pub",
                "relative.cose",
            ]);
            assert_eq!(inspect.code, 0, "{inspect:?}");
        }
    }
);
