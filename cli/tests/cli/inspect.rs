//! `certqr inspect`: decoding a text or a picture without verifying it, and web links.

use tempfile::TempDir;

use crate::support::{certqr, tampered};

certqr_test!(inspect_decodes_without_verifying, |fixture| {
    let text = fixture.issue("special-operations.toml");
    let run = fixture.run(&["inspect", &text]);
    run.assert_stdout(
        0,
        &[
            "certificate 证书 (UNVERIFIED",
            "content type 65001",
            "Ed25519 (COSE -8)",
            "持证人 holder          张建国",
            "3201**********123X",
            "not checked",
        ],
    );
    assert!(run.stdout.starts_with("UNVERIFIED"), "{run:?}");
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
});

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

certqr_test!(inspect_image_decodes_every_code_in_the_picture, |fixture| {
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
});

certqr_test!(inspect_image_without_a_code_says_so, |fixture| {
    fixture.write_blank_png();
    let inspect = fixture.run(&["inspect", "--image", "blank.png"]);
    assert_eq!(inspect.code, 1, "{inspect:?}");
    // One wording for every command (scan and verify say the same).
    assert_eq!(
        inspect.stdout, "blank.png: 未找到二维码 / no QR code found\n",
        "{inspect:?}"
    );
});

certqr_test!(
    inspect_compares_a_link_with_official_domains_only_when_given_the_trust_list,
    |fixture| {
        fixture.create_domains_list();
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
            .assert_error(&["--root"]);
    }
);

// A certificate signed around the issuer's own checks, with a right-to-left override
// in the holder's name: `verify` refuses it and both commands show the override as an
// escape, never raw (docs/format.md §5.4 rule 1).
certqr_test!(invisible_characters_in_names_are_shown_escaped, |fixture| {
    use certqr_core::certificate::Certificate;
    use certqr_core::cose::{self, DocumentKind};
    use certqr_core::id_number::{IdNumber, Sex};

    let key = std::fs::read_to_string(fixture.path("keys/issuer.key")).unwrap();
    let key = certqr_core::keys::SigningKey::from_pkcs8_pem(&key).unwrap();
    let id_number = IdNumber::parse("32010219850612123X").unwrap();
    let day = |text: &str| {
        time::Date::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap()
    };
    let certificate = Certificate {
        holder_name: "张\u{202E}建国".into(),
        sex: Sex::Male,
        number: format!("T{}", id_number.as_str()),
        id_number,
        family: certqr_core::catalog::Family::SpecialOperations,
        item: "1.1".into(),
        first_issued: day("2024-01-01"),
        valid_from: day("2024-01-01"),
        valid_until: day("2029-12-31"),
        review_due: Some(day("2027-01-01")),
    };
    let signed = cose::sign(DocumentKind::Certificate, &key, certificate.to_claims());
    let text = certqr_core::text::encode(&signed);

    let inspect = fixture.run(&["inspect", &text]);
    inspect.assert_stdout(0, &["持证人 holder          张\\u{202E}建国"]);
    assert!(!inspect.stdout.contains('\u{202E}'), "{inspect:?}");

    let verify = fixture.run(&[
        "verify",
        "--root",
        "keys/root.pub",
        "--trust",
        "list.cose",
        "--at",
        "2025-02-01T09:00:00+08:00",
        &text,
    ]);
    verify.assert_stdout(
        1,
        &["INVALID", "invalid-claims", "张\\u{202E}建国", "U+202E"],
    );
    assert!(!verify.stdout.contains('\u{202E}'), "{verify:?}");
});
