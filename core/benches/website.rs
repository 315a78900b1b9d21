//! Classifying web links against official domains, against the same verification of the
//! same links with a trust list that names no domains, measured in the same run.
//!
//! `cargo bench -p certqr-core --bench website` prints criterion's figures, then a
//! summary: the time to verify a link to a site that matches no official domain (the
//! slowest case: every domain is compared) with a provincial-size list of official
//! domains (3 national platforms and 40 issuers with 2 domains each) against the same
//! verification without domains (the baseline: URL parsing only), and the time per
//! official domain of classifying a host that matches none of a list at its limits
//! (64 platforms, 4096 issuers with one domain each), for an ASCII host and for an
//! internationalised one (punycode decoding and the Chinese name comparison).

#![allow(clippy::expect_used)] // fixed inputs: a failure here is a broken benchmark

use std::hint::black_box;

use certqr_core::catalog::Family;
use certqr_core::keys::{Algorithm, SigningKey};
use certqr_core::samples;
use certqr_core::trust::{OfficialDomain, TrustList, TrustedIssuer, MAX_ISSUERS};
use certqr_core::verify::{Status, Verifier};
use certqr_core::website::link_host;
use certqr_core::website::{self, WebsiteClass};
use criterion::Criterion;
use time::macros::{date, datetime};

mod support;
use support::{median, timed};

/// `n` in base 26 with the letters a to z: a name part without digits, as most are.
fn letters(mut n: u16) -> String {
    let mut text = String::new();
    loop {
        text.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return text;
        }
    }
}

/// An issuer entry with a key from `seed` (two bytes of it), a name of its own and
/// `domains`.
fn issuer(seed: u16, domains: Vec<String>) -> TrustedIssuer {
    let mut seed_bytes = [7u8; 32];
    for (byte, seed_byte) in seed_bytes.iter_mut().zip(seed.to_le_bytes()) {
        *byte = seed_byte;
    }
    let mut issuer = samples::issuer(
        SigningKey::from_seed(Algorithm::Ed25519, &seed_bytes).public_key(),
        &format!("第{seed}市应急管理局"),
        &format!("Emergency Management Bureau {seed}"),
        320_000,
        &[Family::SpecialOperations],
        date!(2024 - 01 - 01),
    );
    issuer.domains = domains;
    issuer
}

fn platforms(count: usize) -> Vec<OfficialDomain> {
    let named = [
        (
            "cx.mem.gov.cn",
            "应急管理部",
            "Ministry of Emergency Management",
        ),
        (
            "samr.gov.cn",
            "国家市场监督管理总局",
            "State Administration for Market Regulation",
        ),
        (
            "mohurd.gov.cn",
            "住房和城乡建设部",
            "Ministry of Housing and Urban-Rural Development",
        ),
    ];
    (0..count)
        .map(|index| match named.get(index) {
            Some(&(domain, name_zh, name_en)) => OfficialDomain {
                domain: domain.into(),
                name_zh: name_zh.into(),
                name_en: name_en.into(),
            },
            None => OfficialDomain {
                domain: format!("cx.{}.gov.cn", letters(index as u16 + 1000)),
                name_zh: format!("国家查询平台{index}"),
                name_en: format!("National platform {index}"),
            },
        })
        .collect()
}

fn verifier(list: &TrustList) -> Verifier {
    let root = SigningKey::from_seed(Algorithm::Ed25519, &[1; 32]);
    let mut verifier = Verifier::new(vec![root.public_key()]);
    verifier
        .install_trust_list(&list.sign(&root).expect("list signs"))
        .expect("list installs");
    verifier
}

fn main() {
    let issued_at = datetime!(2025-01-01 0:00 UTC);
    // A provincial-size list: 3 platforms, 40 issuers with 2 domains each.
    let mut provincial = samples::trust_list(
        1,
        issued_at,
        (0..40)
            .map(|n| {
                issuer(
                    n,
                    vec![
                        format!("yjj.{}.gov.cn", letters(n)),
                        format!("zwfw.{}.gov.cn", letters(n)),
                    ],
                )
            })
            .collect(),
    );
    provincial.official_domains = platforms(3);
    let mut without_domains = provincial.clone();
    without_domains.official_domains.clear();
    for entry in &mut without_domains.issuers {
        entry.domains.clear();
    }
    // A list at its limits: 64 platforms, 4096 issuers with one domain each.
    let issuer_count = u16::try_from(MAX_ISSUERS).expect("fits");
    let mut largest = samples::trust_list(
        1,
        issued_at,
        (0..issuer_count)
            .map(|n| issuer(n, vec![format!("yjj.{}.gov.cn", letters(n))]))
            .collect(),
    );
    largest.official_domains = platforms(64);
    let largest_domains = largest.official_domains.len()
        + largest
            .issuers
            .iter()
            .map(|entry| entry.domains.len())
            .sum::<usize>();

    let now = datetime!(2025-02-01 9:00 +8);
    // A link to a site that is neither official nor a look-alike: every official domain
    // is compared with it, in both passes (a look-alike of the first platform would stop
    // at the first comparison).
    let link = "https://www.certificate-check.example.com/check?id=3201-2024-000731";
    let with = verifier(&provincial);
    let without = verifier(&without_domains);
    let codes = |verifier: &Verifier| -> Vec<&'static str> {
        let verdict = verifier.verify(link, now);
        verdict.reasons.iter().map(|reason| reason.code()).collect()
    };
    assert_eq!(codes(&with), ["website-link"]);
    assert_eq!(codes(&without), ["website-link"]);
    assert_eq!(with.verify(link, now).status, Status::NotACertificate);
    let ascii_host = link_host("https://www.example-certificate-check.com/").expect("host");
    let idn_host = link_host("https://证书查询服务中心.example.com/").expect("host");
    for host in [&ascii_host, &idn_host] {
        assert!(matches!(
            website::classify(host, &largest),
            WebsiteClass::Other { .. }
        ));
    }

    let mut criterion = Criterion::default().configure_from_args();
    criterion.bench_function("verify a link to another site, 83 official domains", |b| {
        b.iter_custom(|n| {
            timed("with", n, || {
                black_box(with.verify(black_box(link), now));
            })
        })
    });
    criterion.bench_function("verify the same link, no domains (baseline)", |b| {
        b.iter_custom(|n| {
            timed("without", n, || {
                black_box(without.verify(black_box(link), now));
            })
        })
    });
    criterion.bench_function("classify an ASCII host, 4160 domains, no match", |b| {
        b.iter_custom(|n| {
            timed("largest-ascii", n, || {
                black_box(website::classify(black_box(&ascii_host), &largest));
            })
        })
    });
    criterion.bench_function("classify a Chinese host, 4160 domains, no match", |b| {
        b.iter_custom(|n| {
            timed("largest-idn", n, || {
                black_box(website::classify(black_box(&idn_host), &largest));
            })
        })
    });
    criterion.final_summary();

    let (with, without) = (median("with"), median("without"));
    let (ascii, idn) = (median("largest-ascii"), median("largest-idn"));
    println!();
    println!("summary (median per call over criterion's samples, this run):");
    println!("  verify link, 83 domains:        {:9.2} µs", with * 1e6);
    println!("  same, no domains (baseline):    {:9.2} µs", without * 1e6);
    println!("  ratio with / without domains:   {:9.2}", with / without);
    println!(
        "  classify, {largest_domains} domains, ASCII:   {:9.2} µs  ({:.0} ns per domain)",
        ascii * 1e6,
        ascii * 1e9 / largest_domains as f64
    );
    println!(
        "  classify, {largest_domains} domains, Chinese: {:9.2} µs  ({:.0} ns per domain)",
        idn * 1e6,
        idn * 1e9 / largest_domains as f64
    );
}
