//! `websites.json`: web links judged against the official domains of the trust list.

use crate::fixture;

use super::{vector, with_note, Expected, GenerateError, Result, VectorFile};

/// Web links judged against the official domains of the trust list (`core/src/website.rs`).
pub(super) fn websites() -> Result<VectorFile> {
    let now = fixture::NOW;
    let link = |name: &str, description: &str, text: &str, expected: Expected, note: &str| {
        Ok::<_, GenerateError>(with_note(
            vector(name, description, text.to_owned(), now, expected)?,
            note,
        ))
    };
    let official = |domain: &str| Expected::link("official-website", domain);
    let look_alike = |domain: &str| Expected::link("look-alike-website", domain);
    let vectors = vec![
        link(
            "official-website",
            "A link to the national special operations certificate query platform, cx.mem.gov.cn",
            "https://cx.mem.gov.cn/cert?id=T32010219850612123X",
            official("cx.mem.gov.cn"),
            "cx.mem.gov.cn is a list-wide official domain of the trust list (应急管理部). A web page still \
             proves nothing about a card: not a certificate.",
        )?,
        link(
            "official-website-subdomain-uppercase",
            "A link in uppercase to a subdomain of the official platform",
            "HTTPS://WWW.CX.MEM.GOV.CN/CERT",
            official("www.cx.mem.gov.cn"),
            "The host is lowercased; a subdomain of an official domain, compared label by label, is official.",
        )?,
        link(
            "official-website-of-issuer",
            "A link to the website of the issuer \"emergency\"",
            "http://yjt.jiangsu.gov.cn/",
            official("yjt.jiangsu.gov.cn"),
            "yjt.jiangsu.gov.cn is an official domain of the issuer entry (field 11) of 江苏省应急管理厅.",
        )?,
        link(
            "look-alike-hyphens",
            "A link whose host spells the official name with hyphens inside another domain",
            "https://cx-mem-gov.cn.example.com/",
            look_alike("cx-mem-gov.cn.example.com"),
            "Imitates cx.mem.gov.cn: without dots and hyphens the host holds cxmemgovcn (hyphens-or-digits).",
        )?,
        link(
            "look-alike-suffix-in-label",
            "A link whose host glues the official labels and moves the official suffix into a label",
            "https://cxmem-gov.com/",
            look_alike("cxmem-gov.com"),
            "Imitates cx.mem.gov.cn: without dots and hyphens the host holds cxmemgov, the official domain \
             without its top-level label (hyphens-or-digits, docs/format.md §6.6).",
        )?,
        link(
            "look-alike-labels-glued",
            "A link whose host glues the labels before the official suffix and puts them under .com",
            "https://verify-cxmem.com/",
            look_alike("verify-cxmem.com"),
            "Imitates cx.mem.gov.cn: the host part cxmem is exactly the labels cx.mem glued together \
             (hyphens-or-digits, docs/format.md §6.6). cxmemory.com would not be: there cxmem is only \
             part of a word.",
        )?,
        link(
            "look-alike-name-in-other-domain",
            "A link whose host starts with the official name, followed by another domain",
            "https://cx.mem.gov.cn.evil.example/",
            look_alike("cx.mem.gov.cn.evil.example"),
            "Imitates cx.mem.gov.cn: the name from a label start up to a dot, inside evil.example \
             (name-in-other-domain). Not official: the host does not end in .cx.mem.gov.cn.",
        )?,
        link(
            "look-alike-homoglyph",
            "A link to cx.mеm.gov.cn with a Cyrillic е (U+0435) for the Latin e",
            "https://cx.m\u{435}m.gov.cn/",
            look_alike("cx.xn--mm-nlc.gov.cn"),
            "The host is shown in punycode; decoded and with look-alike letters mapped it reads cx.mem.gov.cn \
             (homoglyphs). Its registrable domain is xn--mm-nlc.gov.cn, not mem.gov.cn.",
        )?,
        link(
            "look-alike-digits",
            "A link to cx.mem.g0v.cn, with a zero for the letter o",
            "https://cx.mem.g0v.cn/",
            look_alike("cx.mem.g0v.cn"),
            "With 0 read as o the host is cx.mem.gov.cn (hyphens-or-digits).",
        )?,
        link(
            "look-alike-misspelling",
            "A link to cx.mem.gov.cm: one letter changed in the top-level domain",
            "https://cx.mem.gov.cm/",
            look_alike("cx.mem.gov.cm"),
            "Within one edit of cx.mem.gov.cn, outside gov.cn (misspelling, distance 1).",
        )?,
        link(
            "look-alike-chinese-name",
            "A link with an internationalised host name made of an authority's Chinese name",
            "https://应急管理.example/cert",
            look_alike("xn--extu8ah31brfh.example"),
            "The host is shown in punycode, so look-alike characters cannot pass for an official name; its \
             label 应急管理 shares four characters in a row with the Chinese names of the authorities \
             (chinese-name).",
        )?,
        link(
            "other-government-site",
            "A link to www.mee.gov.cn, another ministry's site within two edits of mem.gov.cn",
            "https://www.mee.gov.cn/",
            Expected::website("www.mee.gov.cn"),
            "Misspellings are not sought under gov.cn, where only government bodies register names: an \
             ordinary website link.",
        )?,
        link(
            "same-owner-site",
            "A link to www.mem.gov.cn, under the same registrable domain as the official cx.mem.gov.cn",
            "https://www.mem.gov.cn/",
            Expected::website("www.mem.gov.cn"),
            "Not an official domain of the list, and not a look-alike: the same registrable domain has the \
             same owner. An ordinary website link.",
        )?,
    ];
    Ok(VectorFile {
        group: "websites".into(),
        description: "Web links judged by host against the trust list's official domains (list-wide cx.mem.gov.cn, \
                      and each issuer's own): official sites, look-alikes of them, and other sites. All are \
                      not certificates."
            .into(),
        vectors,
    })
}
