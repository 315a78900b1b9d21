//! `not-certificates.json`: texts that are not certqr certificates at all (web links,
//! other QR payloads).

use crate::fixture;

use super::{vector, with_note, Expected, Result, VectorFile};

pub(super) fn not_certificates() -> Result<VectorFile> {
    let now = fixture::NOW;
    let link = |name: &str, description: &str, text: &str, domain: &str| {
        vector(
            name,
            description,
            text.to_owned(),
            now,
            Expected::website(domain),
        )
    };
    let vectors = vec![
        link(
            "link-https",
            "A link to a certificate lookup site that is neither official nor like an official one",
            "https://cert.example.org/cert?id=T32010219850612123X",
            "cert.example.org",
        )?,
        link("link-http", "A plain http link", "http://cert.example.org/", "cert.example.org")?,
        link(
            "link-uppercase-scheme",
            "A link with scheme and host in uppercase",
            "HTTPS://CERT.EXAMPLE.ORG/CERT",
            "cert.example.org",
        )?,
        with_note(
            link(
                "link-userinfo-trick",
                "A link whose user-info part looks like an official host",
                "https://cx.mem.gov.cn@evil.example/",
                "evil.example",
            )?,
            "Everything before \"@\" is user info: the host is evil.example, and that is what the inspector is shown.",
        ),
        link("link-www", "A bare www. address", "www.example.cn/cert", "www.example.cn")?,
        vector(
            "plain-text",
            "Plain text: a holder's name and a certificate name",
            "张建国 特种作业操作证".to_owned(),
            now,
            Expected::not_certqr(),
        )?,
        vector("empty", "The empty string", String::new(), now, Expected::not_certqr())?,
        with_note(
            vector(
                "eu-digital-covid-certificate-prefix",
                "Text with the EU Digital COVID Certificate prefix \"HC1:\"",
                "HC1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEXWK G2EP4J0B".to_owned(),
                now,
                Expected::not_certqr(),
            )?,
            "Another scheme's QR text is not certqr, whatever it holds.",
        ),
    ];
    Ok(VectorFile {
        group: "not-certificates".into(),
        description:
            "Texts that are not certificates at all: links to sites unrelated to the trust list's official \
             domains (never followed) and other text."
                .into(),
        vectors,
    })
}
