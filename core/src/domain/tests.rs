use super::*;

#[test]
fn official_domain_names_are_checked() {
    let table: &[(&str, DomainError)] = &[
        ("", DomainError::Empty),
        (&"a".repeat(254), DomainError::TooLong),
        ("cx.mem.gov.cn.", DomainError::TrailingDot),
        ("CX.mem.gov.cn", DomainError::Character('C')),
        ("cx mem.gov.cn", DomainError::Character(' ')),
        ("应急管理部.cn", DomainError::Character('应')),
        ("cx..gov.cn", DomainError::EmptyLabel),
        (".mem.gov.cn", DomainError::EmptyLabel),
        (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.cn",
            DomainError::LabelTooLong,
        ),
        ("-cx.mem.gov.cn", DomainError::Hyphen),
        ("cx-.mem.gov.cn", DomainError::Hyphen),
        ("xn--abc.cn", DomainError::Punycode),
        ("xn--a.cn", DomainError::Punycode),
        ("xn--abc-.cn", DomainError::Hyphen),
        ("xn--mem-.cn", DomainError::Hyphen),
        ("xn--zz9999999999.cn", DomainError::Punycode),
        ("cn", DomainError::SingleLabel),
        ("10.0.0.1", DomainError::NumericTopLabel),
        ("gov.cn", DomainError::PublicSuffix),
        ("com.cn", DomainError::PublicSuffix),
        ("js.cn", DomainError::PublicSuffix),
        ("co.uk", DomainError::PublicSuffix),
    ];
    for (name, expected) in table {
        assert_eq!(check_domain_name(name), Err(expected.clone()), "{name}");
    }
    for name in [
        "cx.mem.gov.cn",
        "www.gov.cn",
        "samr.gov.cn",
        "jszwfw.gov.cn",
        "12345.gov.cn",
        "xn--fiqs8s.cn",
        "example.com",
        "a-b.example",
    ] {
        assert_eq!(check_domain_name(name), Ok(()), "{name}");
    }
}

#[test]
fn suffixes_registrable_domains_and_names() {
    let table = [
        ("cx.mem.gov.cn", "mem.gov.cn", "cx.mem"),
        ("mem.gov.cm", "mem.gov.cm", "mem"),
        ("a.b.js.cn", "b.js.cn", "a.b"),
        ("www.example.com", "example.com", "www.example"),
        (
            "cx.mem.gov.cn.example.com",
            "example.com",
            "cx.mem.gov.cn.example",
        ),
        ("gov.cn", "gov.cn", ""),
        ("com", "com", ""),
        ("baidu.com", "baidu.com", "baidu"),
    ];
    for (host, registrable_domain, name) in table {
        assert_eq!(registrable(host), registrable_domain, "{host}");
        assert_eq!(name_part(host), name, "{host}");
    }
    assert_eq!(last_labels("a.b.c", 0), "");
    assert_eq!(last_labels("a.b.c", 2), "b.c");
    assert_eq!(last_labels("a.b.c", 9), "a.b.c");
}
