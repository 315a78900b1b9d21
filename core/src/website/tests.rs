use time::macros::{date, datetime};

use super::*;
use crate::catalog::Family;
use crate::domain::MAX_HOST_BYTES;
use crate::keys::{Algorithm, SigningKey};
use crate::samples;
use crate::trust::{OfficialDomain, TrustedIssuer};
use crate::verify::Reason;

const MEM: &str = "Ministry of Emergency Management";
const SAMR: &str = "State Administration for Market Regulation";
const MOHURD: &str = "Ministry of Housing and Urban-Rural Development";
const JIANGSU_EM: &str = "Jiangsu Provincial Department of Emergency Management";
const JIANGSU_MR: &str = "Jiangsu Administration for Market Regulation";

fn issuer(seed: u8, name_zh: &str, name_en: &str, domains: &[&str]) -> TrustedIssuer {
    let mut issuer = samples::issuer(
        SigningKey::from_seed(Algorithm::Ed25519, &[seed; 32]).public_key(),
        name_zh,
        name_en,
        320_000,
        &[Family::SpecialOperations],
        date!(2024 - 01 - 01),
    );
    issuer.domains = domains.iter().map(|&domain| domain.to_owned()).collect();
    issuer
}

fn platform(domain: &str, name_zh: &str, name_en: &str) -> OfficialDomain {
    OfficialDomain {
        domain: domain.into(),
        name_zh: name_zh.into(),
        name_en: name_en.into(),
    }
}

/// Three national platforms, two provincial issuers with domains and one without.
fn list() -> TrustList {
    let mut list = samples::trust_list(
        1,
        datetime!(2025-01-01 0:00 UTC),
        vec![
            issuer(
                2,
                "江苏省应急管理厅",
                JIANGSU_EM,
                &["ajj.jiangsu.gov.cn", "jszwfw.gov.cn"],
            ),
            issuer(
                3,
                "江苏省市场监督管理局",
                JIANGSU_MR,
                &["scjgj.jiangsu.gov.cn"],
            ),
            issuer(4, "江苏省住房和城乡建设厅", "Jiangsu Housing", &[]),
        ],
    );
    list.official_domains = vec![
        platform("cx.mem.gov.cn", "应急管理部", MEM),
        platform("samr.gov.cn", "国家市场监督管理总局", SAMR),
        platform("mohurd.gov.cn", "中华人民共和国住房和城乡建设部", MOHURD),
    ];
    list
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    /// Official, owned by the authority with this English name.
    Official(&'static str),
    /// Imitates this official domain, so.
    LookAlike(&'static str, Trick),
    Other,
}

use Expected::{LookAlike, Official, Other};
use Trick::{
    ChineseName, Homoglyphs, HyphensOrDigits, LookAlikeLetters, NameInOtherDomain, OtherSuffix,
};

fn misspelling(distance: u8) -> Trick {
    Trick::Misspelling { distance }
}

/// Each host as typed into a link, `https://HOST/`, and the class its link must get.
const TABLE: &[(&str, Expected)] = &[
    // Official domains and their subdomains, compared on labels.
    ("cx.mem.gov.cn", Official(MEM)),
    ("www.cx.mem.gov.cn", Official(MEM)),
    ("CX.MEM.GOV.CN", Official(MEM)),
    ("cx.mem.gov.cn.", Official(MEM)),
    // The URL parser maps full-width letters and dots (全角) to the same host.
    ("ｃｘ．ｍｅｍ．ｇｏｖ．ｃｎ", Official(MEM)),
    ("samr.gov.cn", Official(SAMR)),
    ("cnse.samr.gov.cn", Official(SAMR)),
    ("jzsc.mohurd.gov.cn", Official(MOHURD)),
    ("ajj.jiangsu.gov.cn", Official(JIANGSU_EM)),
    ("www.jszwfw.gov.cn", Official(JIANGSU_EM)),
    ("scjgj.jiangsu.gov.cn", Official(JIANGSU_MR)),
    // Misspellings, outside gov.cn.
    (
        "cx.mem.gov.cm",
        LookAlike("cx.mem.gov.cn", Trick::Misspelling { distance: 1 }),
    ),
    (
        "cx.mem.gov.com",
        LookAlike("cx.mem.gov.cn", Trick::Misspelling { distance: 2 }),
    ),
    (
        "cx.mem.gvo.cn",
        LookAlike("cx.mem.gov.cn", Trick::Misspelling { distance: 1 }),
    ),
    // Also the same name under another ending, but a misspelling is the closer match.
    (
        "cx.mem.com.cn",
        LookAlike("cx.mem.gov.cn", Trick::Misspelling { distance: 2 }),
    ),
    (
        "samr.gov.co",
        LookAlike("samr.gov.cn", Trick::Misspelling { distance: 1 }),
    ),
    (
        "mem.gov.cm",
        LookAlike("cx.mem.gov.cn", Trick::Misspelling { distance: 1 }),
    ),
    (
        "scjgj.jiangsu.gov.cc",
        LookAlike("scjgj.jiangsu.gov.cn", Trick::Misspelling { distance: 1 }),
    ),
    // The official name inside another domain.
    (
        "cx.mem.gov.cn.example.com",
        LookAlike("cx.mem.gov.cn", NameInOtherDomain),
    ),
    (
        "www.cx.mem.gov.cn.evil.com",
        LookAlike("cx.mem.gov.cn", NameInOtherDomain),
    ),
    (
        "cx.mem.gov.cn-verify.com",
        LookAlike("cx.mem.gov.cn", NameInOtherDomain),
    ),
    (
        "mem.gov.cn-check.com",
        LookAlike("cx.mem.gov.cn", NameInOtherDomain),
    ),
    (
        "cx.mem.gov.cn.cn",
        LookAlike("cx.mem.gov.cn", NameInOtherDomain),
    ),
    (
        "samr.gov.cn.cnse-query.net",
        LookAlike("samr.gov.cn", NameInOtherDomain),
    ),
    (
        "ajj.jiangsu.gov.cn.verify.top",
        LookAlike("ajj.jiangsu.gov.cn", NameInOtherDomain),
    ),
    // Named by its whole domain, the market regulation site is the one imitated, although
    // the emergency management site shares its registrable domain.
    (
        "scjgj.jiangsu.gov.cn.check.cc",
        LookAlike("scjgj.jiangsu.gov.cn", NameInOtherDomain),
    ),
    // Hyphens, dots and digits.
    ("cx-mem-gov.cn", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    ("cx.mem-gov.cn", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    (
        "cx.mem.gov.cn1.com",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    (
        "cxmem.gov.cn.com",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    (
        "cx-mem-gov.cn.verify-cert.com",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    (
        "cx-mem-gov-cn.verify-cert.com",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    ("cx.mem.g0v.cn", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    ("samr.g0v.cn", LookAlike("samr.gov.cn", HyphensOrDigits)),
    // Digits deceive under gov.cn too.
    ("m0hurd.gov.cn", LookAlike("mohurd.gov.cn", HyphensOrDigits)),
    ("mohurd-gov.cn", LookAlike("mohurd.gov.cn", HyphensOrDigits)),
    (
        "jszwfw-gov-cn.com",
        LookAlike("jszwfw.gov.cn", HyphensOrDigits),
    ),
    (
        "scjgj-jiangsu-g0v.cn",
        LookAlike("scjgj.jiangsu.gov.cn", HyphensOrDigits),
    ),
    // The same name under another ending.
    ("mohurd.com", LookAlike("mohurd.gov.cn", OtherSuffix)),
    ("samr.org", LookAlike("samr.gov.cn", OtherSuffix)),
    ("cx.mem.net", LookAlike("cx.mem.gov.cn", OtherSuffix)),
    ("jszwfw.gov.com.cn", LookAlike("jszwfw.gov.cn", OtherSuffix)),
    // Latin letters that look like others.
    (
        "cx.rnem.gov.cn",
        LookAlike("cx.mem.gov.cn", LookAlikeLetters),
    ),
    (
        "www.rnem.gov.cn",
        LookAlike("cx.mem.gov.cn", LookAlikeLetters),
    ),
    (
        "jszwfvv.gov.cn",
        LookAlike("jszwfw.gov.cn", LookAlikeLetters),
    ),
    ("sarnr.gov.cn", LookAlike("samr.gov.cn", LookAlikeLetters)),
    // Other scripts (punycode): Cyrillic е, с and х, о; Greek ο.
    (
        "cx.m\u{435}m.gov.cn",
        LookAlike("cx.mem.gov.cn", Homoglyphs),
    ),
    (
        "\u{441}\u{445}.m\u{435}m.gov.cn",
        LookAlike("cx.mem.gov.cn", Homoglyphs),
    ),
    (
        "cx.mem.g\u{3bf}v.cn",
        LookAlike("cx.mem.gov.cn", Homoglyphs),
    ),
    (
        "m\u{43e}hurd.gov.cn",
        LookAlike("mohurd.gov.cn", Homoglyphs),
    ),
    ("samr.g\u{3bf}v.cn", LookAlike("samr.gov.cn", Homoglyphs)),
    (
        "cx.m\u{435}m.gov.cn.evil.com",
        LookAlike("cx.mem.gov.cn", Homoglyphs),
    ),
    // An authority's Chinese name as a web address: the one it shares most with.
    ("应急管理部.com", LookAlike("cx.mem.gov.cn", ChineseName)),
    ("应急管理部查询.cn", LookAlike("cx.mem.gov.cn", ChineseName)),
    (
        "江苏省应急管理厅.net",
        LookAlike("ajj.jiangsu.gov.cn", ChineseName),
    ),
    (
        "住房和城乡建设部.com",
        LookAlike("mohurd.gov.cn", ChineseName),
    ),
    // Other sites.
    ("baidu.com", Other),
    ("weixin.qq.com", Other),
    ("example.com", Other),
    ("www.tzzy-query.cn", Other),
    ("证书查询.com", Other),
    ("192.168.1.1", Other),
    ("mem.com", Other),
    ("www.jiangsu.com", Other),
    // Other government sites: gov.cn names go only to government bodies, and
    // ministries' short names are within two edits of each other.
    ("www.gov.cn", Other),
    ("mee.gov.cn", Other),
    ("www.mps.gov.cn", Other),
    ("jiangxi.gov.cn", Other),
    ("nanjing.gov.cn", Other),
    ("mohrud.gov.cn", Other),
    // The ministry's own sites under its registrable domain are not look-alikes, nor
    // official unless listed; label by label, xcx is not under cx.
    ("www.mem.gov.cn", Other),
    ("xcx.mem.gov.cn", Other),
    // Under mem.gov.cn only the ministry can make this Cyrillic сх, so it is its own.
    ("\u{441}\u{445}.mem.gov.cn", Other),
];

/// Official labels glued together or split anew, the official suffix moved into a
/// label (issue 11, point 5), next to innocent hosts that share short pieces with the
/// official names (`mem`, `gov`, `cn`, `samr`, `jiangsu`): docs/format.md §6.6.
const GLUED_TABLE: &[(&str, Expected)] = &[
    // The whole name, letters only.
    ("cxmemgov.cn", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    (
        "cx-mem.gov.cn.com",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    (
        "cxm-em.gov.cn.net",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    (
        "cxmemgovcn.com",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    (
        "www.memgov.cn.com",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    // The official suffix moved into a label.
    ("cxmem-gov.com", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    ("cxmemgov.com", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    ("cx-memgov.net", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    ("cx.memgov.top", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    ("memgov.com", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    ("mem-gov.net", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    (
        "query-memgov.cn",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    ("samrgov.com", LookAlike("samr.gov.cn", HyphensOrDigits)),
    ("samr-gov.net", LookAlike("samr.gov.cn", HyphensOrDigits)),
    ("mohurdgov.com", LookAlike("mohurd.gov.cn", HyphensOrDigits)),
    (
        "mohurd-gov.org.cn",
        LookAlike("mohurd.gov.cn", HyphensOrDigits),
    ),
    ("jszwfwgov.com", LookAlike("jszwfw.gov.cn", HyphensOrDigits)),
    (
        "jiangsugov.cn",
        LookAlike("ajj.jiangsu.gov.cn", HyphensOrDigits),
    ),
    ("m0hurdgov.com", LookAlike("mohurd.gov.cn", HyphensOrDigits)),
    // The labels before the suffix glued or split anew, under another suffix.
    ("cxmem.com", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    ("c-xmem.cn", LookAlike("cx.mem.gov.cn", HyphensOrDigits)),
    (
        "cxmem-check.com",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    (
        "verify-cxmem.com",
        LookAlike("cx.mem.gov.cn", HyphensOrDigits),
    ),
    (
        "ajjjiangsu.com",
        LookAlike("ajj.jiangsu.gov.cn", HyphensOrDigits),
    ),
    (
        "ajj-jiangsu.net",
        LookAlike("ajj.jiangsu.gov.cn", HyphensOrDigits),
    ),
    (
        "scjgjjiangsu.com",
        LookAlike("scjgj.jiangsu.gov.cn", HyphensOrDigits),
    ),
    // Innocent: short shared pieces, other words, other governments.
    ("memgraph.com", Other),
    ("memrise.com", Other),
    ("mem.ai", Other),
    ("remember.com", Other),
    ("memorial.org", Other),
    ("govmem.com", Other),
    ("cxmt.com", Other),
    ("cxmemory.com", Other),
    ("cx.com", Other),
    ("cxmedia.cn", Other),
    ("www.gov.uk", Other),
    ("usa.gov", Other),
    ("canada.ca", Other),
    ("govcn.org", Other),
    ("cnn.com", Other),
    ("cnki.net", Other),
    ("news.sina.com.cn", Other),
    ("www.163.com", Other),
    ("jd.com", Other),
    ("taobao.com", Other),
    ("samsung.com", Other),
    ("samrat.in", Other),
    ("visitjiangsu.com", Other),
    ("jiangsu-travel.com", Other),
    ("nju.edu.cn", Other),
    ("jsnu.edu.cn", Other),
    ("ajj.com", Other),
    ("mohu.cn", Other),
    ("government.com", Other),
    ("memphis.edu", Other),
];

#[test]
fn glued_and_split_names_are_look_alikes_and_short_pieces_are_not() {
    let innocent = GLUED_TABLE
        .iter()
        .filter(|(_, expected)| *expected == Other)
        .count();
    assert!(GLUED_TABLE.len() >= 40 && innocent * 2 >= GLUED_TABLE.len());
    assert_classes(GLUED_TABLE);
}

#[test]
fn every_link_in_the_table_gets_its_class() {
    assert!(TABLE.len() >= 40);
    assert_classes(TABLE);
}

fn assert_classes(table: &[(&str, Expected)]) {
    let list = list();
    let mut wrong = Vec::new();
    for &(typed, expected) in table {
        let host = link_host(&format!("https://{typed}/check?id=1"))
            .unwrap_or_else(|| panic!("{typed}: no host"));
        let class = classify(&host, &list);
        assert_eq!(class.domain(), host, "{typed}");
        let matches = match (&class, expected) {
            (WebsiteClass::Official { authority_en, .. }, Official(name)) => authority_en == name,
            (WebsiteClass::LookAlike { imitates, how, .. }, LookAlike(domain, trick)) => {
                imitates == domain && *how == trick
            }
            (WebsiteClass::Other { .. }, Other) => true,
            _ => false,
        };
        if !matches {
            wrong.push(format!(
                "{typed} ({host}): expected {expected:?}, got {class:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn official_names_come_with_both_languages() {
    assert_eq!(
        classify("www.cx.mem.gov.cn", &list()),
        WebsiteClass::Official {
            domain: "www.cx.mem.gov.cn".into(),
            authority_zh: "应急管理部".into(),
            authority_en: MEM.into(),
        }
    );
    assert_eq!(
        classify("ajj.jiangsu.gov.cn", &list()),
        WebsiteClass::Official {
            domain: "ajj.jiangsu.gov.cn".into(),
            authority_zh: "江苏省应急管理厅".into(),
            authority_en: JIANGSU_EM.into(),
        }
    );
}

#[test]
fn without_official_domains_every_site_is_other() {
    let mut list = list();
    list.official_domains.clear();
    for issuer in &mut list.issuers {
        issuer.domains.clear();
    }
    for host in ["cx.mem.gov.cn", "cx-mem-gov.cn", "xn--80ak6aa92e.com"] {
        assert_eq!(
            classify(host, &list),
            WebsiteClass::Other {
                domain: host.into()
            }
        );
    }
}

#[test]
fn hosts_that_are_not_compared_are_other() {
    let list = list();
    let long = format!("{}.cx.mem.gov.cn.evil.com", "a.".repeat(120));
    assert!(long.len() > MAX_HOST_BYTES);
    for host in ["", ".", "[::1]", "10.0.0.1", long.as_str()] {
        assert_eq!(
            classify(host, &list),
            WebsiteClass::Other {
                domain: host.into()
            },
            "{host}"
        );
    }
}

#[test]
fn skeletons_map_look_alike_characters() {
    let table = [
        ("cx.mem.gov.cn", "cx.mem.gov.cn"),
        ("\u{441}\u{445}.m\u{435}m.g\u{3bf}v.cn", "cx.mem.gov.cn"),
        ("ｃｘ．ｍｅｍ．ｇｏｖ．ｃｎ", "cx.mem.gov.cn"),
        ("CX.MEM.G0V.CN", "cx.mem.gov.cn"),
        ("cx.rnem.gov.cn", "cx.mem.gov.cn"),
        ("jszwfvv", "jszwfw"),
        ("sam1", "saml"),
        ("应急管理部", "应急管理部"),
    ];
    for (text, expected) in table {
        assert_eq!(skeleton(text), expected, "{text}");
    }
}

/// The full dynamic programme, as a reference for the banded one.
fn reference_distance(a: &[char], b: &[char]) -> usize {
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in table[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[i - 1][j] + 1)
                .min(table[i][j - 1] + 1)
                .min(table[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[i - 2][j - 2] + 1);
            }
            table[i][j] = best;
        }
    }
    table[a.len()][b.len()]
}

#[test]
fn banded_distance_agrees_with_the_full_one() {
    let words = [
        "",
        "a",
        "ab",
        "ba",
        "abc",
        "acb",
        "cx.mem.gov.cn",
        "cx.mem.gov.cm",
        "cx.mem.gvo.cn",
        "cx.mem.gov.com",
        "xc.mem.gov.cn",
        "cx.em.gov.cn",
        "cxx.mem.gov.cn",
        "mem.gov.cn",
        "mee.gov.cn",
        "mof.gov.cn",
        "samr.gov.cn",
        "sarm.gov.cn",
        "abcdef",
        "badcfe",
        "fedcba",
    ];
    for a in words {
        for b in words {
            let (a_chars, b_chars): (Vec<char>, Vec<char>) =
                (a.chars().collect(), b.chars().collect());
            let full = reference_distance(&a_chars, &b_chars);
            for max in 0..=3 {
                let expected = (full <= max).then_some(full);
                assert_eq!(
                    distance_within(&a_chars, &b_chars, max),
                    expected,
                    "{a:?} {b:?} within {max}"
                );
            }
        }
    }
}

#[test]
fn longest_common_runs() {
    let chars = |text: &str| text.chars().collect::<Vec<_>>();
    let table = [
        ("应急管理部", "应急管理部", 5),
        ("江苏省应急管理厅", "应急管理部", 4),
        ("证书查询", "应急管理部", 0),
        ("", "应急管理部", 0),
    ];
    for (a, b, expected) in table {
        assert_eq!(
            longest_common_run(a.chars(), &chars(b)),
            expected,
            "{a} {b}"
        );
    }
}

#[test]
fn look_alikes_become_reasons_with_both_messages() {
    let reason = Reason::from(classify("cx-mem-gov.cn.verify-cert.com", &list()));
    assert_eq!(
        reason,
        Reason::LookAlikeWebsite {
            domain: "cx-mem-gov.cn.verify-cert.com".into(),
            imitates: "cx.mem.gov.cn".into(),
            how: HyphensOrDigits,
        }
    );
    assert_eq!(reason.code(), "look-alike-website");
    assert!(reason
        .message_en()
        .starts_with("WARNING: probably a FAKE verification site."));
    assert!(reason
        .message_en()
        .contains("type the official address cx.mem.gov.cn yourself"));
    assert!(reason
        .message_zh()
        .starts_with("警告：疑似仿冒的查询网站！"));
    assert!(reason
        .message_zh()
        .contains("请自行输入官方网址 cx.mem.gov.cn"));
    for trick in [
        misspelling(1),
        misspelling(2),
        NameInOtherDomain,
        HyphensOrDigits,
        OtherSuffix,
        LookAlikeLetters,
        Homoglyphs,
        ChineseName,
    ] {
        assert!(!trick.code().is_empty());
        assert!(!trick.description_en().is_empty());
        assert!(!trick.description_zh().is_ascii());
    }
    assert_eq!(
        misspelling(1).description_en(),
        "a misspelling of it: 1 character changed, added, removed or swapped"
    );
    assert_eq!(
        misspelling(2).description_en(),
        "a misspelling of it: 2 characters changed, added, removed or swapped"
    );
}

#[test]
fn hostile_hosts_are_classified_without_panicking() {
    let list = list();
    let pieces = [
        "xn--",
        "xn--zz99",
        "xn--80ak6aa92e",
        ".",
        "-",
        "cx",
        "mem",
        "gov",
        "cn",
        "0",
        "1",
        "rn",
        "vv",
        "\u{441}",
        "\u{3bf}",
        "ｍ",
        "。",
        "应急",
        "管理部",
        "",
        "a",
        "..",
    ];
    // A fixed linear congruential sequence: the same hosts every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..1_000 {
        let mut host = String::new();
        for _ in 0..(state % 12) {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            host.push_str(pieces[(state >> 33) as usize % pieces.len()]);
        }
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        assert_eq!(classify(&host, &list).domain(), host);
    }
}
