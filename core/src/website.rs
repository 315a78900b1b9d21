//! Web links in QR codes: official sites, look-alikes of them, and other sites.
//!
//! Fake certificates often carry a QR code that opens a fake "verification website"
//! (仿冒查询网站) whose address imitates an official query platform, such as the
//! Ministry of Emergency Management's `cx.mem.gov.cn`. A web page can never prove a card
//! genuine, so every link stays "not a certificate"; what this module adds is which kind
//! of site the link opens, judged only from its host name against the official domains
//! of the installed trust list ([`TrustList::official_domains`] and each
//! [`TrustedIssuer::domains`](crate::trust::TrustedIssuer::domains)). Nothing is fetched
//! and nothing the site says is ever shown.
//!
//! - [`WebsiteClass::Official`]: the host is an official domain or a subdomain of one,
//!   compared label by label (`www.cx.mem.gov.cn` is under `cx.mem.gov.cn`;
//!   `cx.mem.gov.cn.evil.com` is not).
//! - [`WebsiteClass::LookAlike`]: the host imitates an official domain; [`Trick`] says
//!   how.
//! - [`WebsiteClass::Other`]: anything else, and every link when the trust list names no
//!   domains.
//!
//! The host is compared in three forms: as written; with the digits 0 and 1 read as the
//! letters o and l; and as a *skeleton* in which `xn--` labels are decoded from punycode
//! and characters that look alike are mapped to one Latin letter (Cyrillic а е о р с х,
//! Greek ο, full-width letters, "rn" for "m" and so on). It is compared first with every
//! official domain, then with their registrable parts (`mem.gov.cn` of
//! `cx.mem.gov.cn`), so that a host is said to imitate the most specific domain it
//! names. From the most telling trick to the least, the host imitates a name when: a
//! mapped form is the name or lies under it; a form holds the name from a label start
//! up to a dot or hyphen; a form holds it once dots and hyphens are dropped; (outside
//! `gov.cn`) its last labels are within a Damerau-Levenshtein distance of 2 of the name
//! (1 below 8 characters, none below 5); it carries the labels before the name's public
//! suffix under another suffix; its letters hold the name without its top-level label
//! (the official suffix moved into a label: `cxmem-gov.com`, `memgov.net`, at least six
//! letters); or, for a name of two labels or more before its suffix, those labels glued
//! or split anew fill whole parts of the host between dots and hyphens (`cxmem.com`,
//! `c-xmem.cn`, `verify-cxmem.com`, but not `cxmemory.com`: a short piece inside a word
//! is another name, and a one-label name such as `jiangsu` is a place name). Last, a Chinese label sharing four characters in
//! a row with an authority's Chinese name imitates that authority. A host under the same
//! registrable domain as an official one (say `www.mem.gov.cn` next to `cx.mem.gov.cn`)
//! belongs to the same owner and is not a look-alike of it.
//!
//! Misspellings are not sought under `gov.cn`: only government bodies can register
//! there, and ministries' short names are within two edits of each other (`mem`, `mee`,
//! `mof`, `moe`), so `mee.gov.cn` is another ministry's site, not a fake. Letters and
//! digits that look alike are still sought there (`cx.rnem.gov.cn`), since they exist
//! only to deceive.
//!
//! Public suffixes (which part of a host someone registered) follow the small built-in
//! rule of [`crate::domain`]. Private suffixes (hosting platforms) are not known, so a
//! look-alike on the same hosting platform as an official site is not told apart from
//! it.
//!
//! Cost: for each official domain, a fixed number of passes over the host (at most
//! [`MAX_HOST_BYTES`]), a banded edit distance of width five, and for a host with
//! Chinese labels one comparison of each label with the authority's name (bounded by
//! [`crate::trust::MAX_NAME_BYTES`]). `cargo bench -p certqr-core --bench website`
//! measures it (docs/benchmarks.md).

use serde::Serialize;

use crate::domain::{
    label_count, last_labels, name_part, registrable, suffix_label_count, MAX_HOST_BYTES,
};
use crate::trust::TrustList;

/// The fewest letters a name must have to be sought inside another domain or under
/// another suffix: shorter names (`mem`) occur by chance.
const MIN_NAME_LETTERS: usize = 4;
/// The fewest letters of an official name without its top-level label (`memgov` of
/// `mem.gov.cn`) to be sought among a host's letters: "gov" and at least three more.
const MIN_GLUED_LETTERS: usize = 6;
/// The fewest characters an authority's Chinese name and a host label must share.
const MIN_CHINESE_RUN: usize = 4;

/// Where only government bodies can register names (政务域名).
const GOVERNMENT_SUFFIX: &str = "gov.cn";

/// How a look-alike host imitates an official domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "trick")]
#[non_exhaustive]
pub enum Trick {
    /// One or two characters changed, added, removed or swapped (`cx.mem.gov.cm`).
    Misspelling {
        /// The Damerau-Levenshtein distance.
        distance: u8,
    },
    /// The official name inside another domain (`cx.mem.gov.cn.example.com`,
    /// `mem.gov.cn-check.com`).
    NameInOtherDomain,
    /// Dots turned into hyphens or dropped, labels glued together or split anew, the
    /// official suffix moved into a label, or the digits 0 and 1 for the letters o and
    /// l (`cx-mem-gov.cn`, `cxmem-gov.com`, `c-xmem.cn`, `cx.mem.gov.cn1.com`,
    /// `cx.mem.g0v.cn`).
    HyphensOrDigits,
    /// The same name under another ending (`mohurd.com` for `mohurd.gov.cn`).
    OtherSuffix,
    /// Latin letters that look like others (`rn` for `m`, `vv` for `w`).
    LookAlikeLetters,
    /// Characters of other scripts or full-width forms that look like the official
    /// letters, in an internationalised (`xn--`) name (Cyrillic `сх.mem.gov.cn`).
    Homoglyphs,
    /// The authority's Chinese name as a web address (`应急管理部.com`).
    ChineseName,
}

impl Trick {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Trick::Misspelling { .. } => "misspelling",
            Trick::NameInOtherDomain => "name-in-other-domain",
            Trick::HyphensOrDigits => "hyphens-or-digits",
            Trick::OtherSuffix => "other-suffix",
            Trick::LookAlikeLetters => "look-alike-letters",
            Trick::Homoglyphs => "homoglyphs",
            Trick::ChineseName => "chinese-name",
        }
    }

    /// The trick in English, as a phrase.
    pub fn description_en(&self) -> String {
        match self {
            Trick::Misspelling { distance } => format!(
                "a misspelling of it: {distance} character{} changed, added, removed or swapped",
                if *distance == 1 { "" } else { "s" }
            ),
            Trick::NameInOtherDomain => "the official name placed inside another domain".into(),
            Trick::HyphensOrDigits => {
                "the official name with its dots or hyphens changed, or 0 for o and 1 for l".into()
            }
            Trick::OtherSuffix => "the official name under another ending".into(),
            Trick::LookAlikeLetters => "letters that look like others: rn for m, vv for w".into(),
            Trick::Homoglyphs => {
                "characters of other scripts that look like the official letters".into()
            }
            Trick::ChineseName => "the authority's Chinese name used as a web address".into(),
        }
    }

    /// The trick in Chinese, as a phrase.
    pub fn description_zh(&self) -> String {
        match self {
            Trick::Misspelling { distance } => format!("拼写相近，改动了 {distance} 个字符"),
            Trick::NameInOtherDomain => "把官方域名嵌入其他域名".into(),
            Trick::HyphensOrDigits => "改动官方域名中的点或连字符，或用 0 冒充 o、1 冒充 l".into(),
            Trick::OtherSuffix => "使用官方名称但后缀不同".into(),
            Trick::LookAlikeLetters => "用形似字母冒充，如 rn 冒充 m、vv 冒充 w".into(),
            Trick::Homoglyphs => "使用外文或全角字符冒充官方域名中的字母".into(),
            Trick::ChineseName => "以发证机关的中文名称作为网址".into(),
        }
    }
}

/// What kind of site a web link opens, judged from its host name alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "class")]
#[non_exhaustive]
pub enum WebsiteClass {
    /// An official domain of the trust list, or a subdomain of one. Still not a
    /// certificate: a web page cannot prove a card genuine.
    Official {
        /// The host of the link.
        domain: String,
        /// The authority that owns the domain, in Chinese.
        authority_zh: String,
        /// The authority that owns the domain, in English.
        authority_en: String,
    },
    /// A host that imitates an official domain: most likely a fake verification site.
    LookAlike {
        /// The host of the link.
        domain: String,
        /// The official domain it imitates.
        imitates: String,
        /// How.
        how: Trick,
    },
    /// Any other site.
    Other {
        /// The host of the link.
        domain: String,
    },
}

impl WebsiteClass {
    /// The host of the link.
    pub fn domain(&self) -> &str {
        match self {
            WebsiteClass::Official { domain, .. }
            | WebsiteClass::LookAlike { domain, .. }
            | WebsiteClass::Other { domain } => domain,
        }
    }
}

/// The host of an http(s) link, or of a bare `www.` address, as [`classify`] takes it
/// (lowercase, IDNs in punycode); `None` for anything else.
pub fn link_host(text: &str) -> Option<String> {
    let text = text.trim();
    let lower: String = text
        .chars()
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    let candidate = if lower.starts_with("http://") || lower.starts_with("https://") {
        text.to_owned()
    } else if lower.starts_with("www.") && !text.contains(char::is_whitespace) {
        format!("http://{text}")
    } else {
        return None;
    };
    let url = url::Url::parse(&candidate).ok()?;
    url.host_str().map(str::to_owned)
}

/// Classify `host` (as [`link_host`] gives it: lowercase, IDNs in punycode) against the official domains of `trust_list`.
pub fn classify(host: &str, trust_list: &TrustList) -> WebsiteClass {
    let other = || WebsiteClass::Other {
        domain: host.to_owned(),
    };
    let Some(prepared) = Host::new(host) else {
        return other();
    };
    let official = sites(trust_list)
        .filter(|site| within(&prepared.raw.text, site.domain))
        .max_by_key(|site| site.domain.len());
    if let Some(site) = official {
        return WebsiteClass::Official {
            domain: host.to_owned(),
            authority_zh: site.name_zh.to_owned(),
            authority_en: site.name_en.to_owned(),
        };
    }
    let look_alike = |imitates: &str, how| WebsiteClass::LookAlike {
        domain: host.to_owned(),
        imitates: imitates.to_owned(),
        how,
    };
    // Whole domains first, so that a host naming one official domain is said to imitate
    // that one rather than another under the same registrable domain.
    for pass in [Pass::Domain, Pass::Registrable] {
        for site in sites(trust_list) {
            if let Some(how) = prepared.imitation_of(site.domain, pass) {
                return look_alike(site.domain, how);
            }
        }
    }
    if !prepared.chinese_labels.is_empty() {
        // The authority whose name the host carries most of; an issuer's domains follow
        // one another with the same name, which is compared once.
        let mut best: Option<(usize, Site<'_>)> = None;
        let mut previous_name = None;
        for site in sites(trust_list) {
            if previous_name == Some(site.name_zh) {
                continue;
            }
            previous_name = Some(site.name_zh);
            let run = prepared.name_run(site.name_zh);
            if run >= MIN_CHINESE_RUN && best.as_ref().is_none_or(|(longest, _)| run > *longest) {
                best = Some((run, site));
            }
        }
        if let Some((_, site)) = best {
            return look_alike(site.domain, Trick::ChineseName);
        }
    }
    other()
}

/// Which name of an official domain is compared with the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The domain itself (`cx.mem.gov.cn`).
    Domain,
    /// Its registrable domain (`mem.gov.cn`).
    Registrable,
}

/// An official domain with the authority that owns it.
struct Site<'a> {
    domain: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
}

/// The national platforms first, then the issuers' domains.
fn sites(trust_list: &TrustList) -> impl Iterator<Item = Site<'_>> {
    let platforms = trust_list.official_domains.iter().map(|official| Site {
        domain: &official.domain,
        name_zh: &official.name_zh,
        name_en: &official.name_en,
    });
    let issuers = trust_list.issuers.iter().flat_map(|issuer| {
        issuer.domains.iter().map(move |domain| Site {
            domain,
            name_zh: &issuer.name_zh,
            name_en: &issuer.name_en,
        })
    });
    platforms.chain(issuers)
}

/// A host in the forms it is compared in.
struct Host {
    /// Lowercase, without a trailing dot.
    raw: Form,
    /// `raw` with 0 and 1 read as o and l.
    digits: Form,
    /// Punycode decoded, look-alike characters mapped (see [`skeleton`]).
    skeleton: Form,
    /// Whether `digits` differs from `raw`.
    digits_differ: bool,
    /// Whether `skeleton` differs from `digits`.
    skeleton_differs: bool,
    /// Whether the decoded host has characters outside ASCII.
    non_ascii: bool,
    /// Whether the host is under `gov.cn`.
    government: bool,
    /// The registrable domain of `raw`.
    registrable: String,
    /// Decoded labels that hold characters outside ASCII.
    chinese_labels: Vec<Vec<char>>,
}

/// One form of a host: as it is, without dots and hyphens, and without its suffix.
struct Form {
    text: String,
    compact: String,
    name: String,
}

impl Form {
    fn new(text: String) -> Form {
        Form {
            compact: compact(&text),
            name: name_part(&text).to_owned(),
            text,
        }
    }
}

impl Host {
    /// `None` for what is not compared: empty, overlong, or an IP address.
    fn new(host: &str) -> Option<Host> {
        let host = host.strip_suffix('.').unwrap_or(host);
        if host.len() > MAX_HOST_BYTES {
            return None;
        }
        let raw = host.to_lowercase();
        let ip_address = raw.starts_with('[')
            || raw
                .split('.')
                .all(|label| label.bytes().all(|byte| byte.is_ascii_digit()));
        if raw.is_empty() || raw.len() > MAX_HOST_BYTES || ip_address {
            return None;
        }
        let decoded = decode_punycode(&raw);
        let chinese_labels = decoded
            .split('.')
            .filter(|label| !label.is_ascii())
            .map(|label| label.chars().collect())
            .collect();
        let digits = read_digits_as_letters(&raw);
        let skeleton = skeleton(&decoded);
        Some(Host {
            digits_differ: digits != raw,
            skeleton_differs: skeleton != digits,
            non_ascii: !decoded.is_ascii(),
            government: within(&raw, GOVERNMENT_SUFFIX),
            registrable: registrable(&raw).to_owned(),
            chinese_labels,
            raw: Form::new(raw),
            digits: Form::new(digits),
            skeleton: Form::new(skeleton),
        })
    }

    /// How this host imitates `domain` (compared by the name `pass` takes from it), if
    /// it does. The host is not official.
    fn imitation_of(&self, domain: &str, pass: Pass) -> Option<Trick> {
        let registrable_domain = registrable(domain);
        // The same registrable domain: the same owner.
        if self.registrable == registrable_domain {
            return None;
        }
        let name = match pass {
            Pass::Domain => domain,
            Pass::Registrable if registrable_domain == domain => return None,
            Pass::Registrable => registrable_domain,
        };
        // A mapped form is compared only where the mapping changes the host or the name:
        // elsewhere it would repeat the comparison of the form before it.
        let digits_name =
            (self.digits_differ || name.contains(['0', '1'])).then(|| read_digits_as_letters(name));
        let name_skeleton_differs =
            name.contains("xn--") || name.contains("rn") || name.contains("vv");
        let skeleton_name = (self.skeleton_differs || name_skeleton_differs)
            .then(|| skeleton(&decode_punycode(name)));
        let skeleton_trick = if self.non_ascii {
            Trick::Homoglyphs
        } else {
            Trick::LookAlikeLetters
        };
        let forms = [
            (&self.raw, Some(name), None),
            (
                &self.digits,
                digits_name.as_deref(),
                Some(Trick::HyphensOrDigits),
            ),
            (
                &self.skeleton,
                skeleton_name.as_deref(),
                Some(skeleton_trick),
            ),
        ];
        // A mapped form that is the name, or under it, is the plainest imitation.
        for (form, mapped_name, trick) in &forms {
            if let (Some(mapped_name), Some(_)) = (mapped_name, trick) {
                if within(&form.text, mapped_name) {
                    return *trick;
                }
            }
        }
        let misspellings = !self.government;
        forms.iter().find_map(|(form, mapped_name, trick)| {
            let found = resemblance(form, (*mapped_name)?, pass, misspellings)?;
            Some(trick.unwrap_or(found))
        })
    }

    /// The most characters in a row a label of the host shares with `name`.
    fn name_run(&self, name: &str) -> usize {
        self.chinese_labels
            .iter()
            .map(|label| longest_common_run(name.chars().filter(|c| !c.is_ascii()), label))
            .max()
            .unwrap_or(0)
    }
}

/// How `host` resembles the official `name` in one form, from the most telling trick
/// to the least. The caller has ruled out `host` being `name` or under it.
fn resemblance(host: &Form, name: &str, pass: Pass, misspellings: bool) -> Option<Trick> {
    if name_inside(&host.text, name) {
        return Some(Trick::NameInOtherDomain);
    }
    // The name's first run of letters is a cheap filter before the name is compacted.
    let first_run = name.split(['.', '-']).next().unwrap_or_default();
    if letters(name) >= MIN_NAME_LETTERS
        && host.compact.contains(first_run)
        && host.compact.contains(&compact(name))
    {
        return Some(Trick::HyphensOrDigits);
    }
    if misspellings {
        if let Some(distance) = misspelling(&host.text, name) {
            return Some(Trick::Misspelling { distance });
        }
    }
    // The labels before the suffix (for a whole domain only: a registrable domain's
    // single label is often a place name such as `jiangsu`), or the name without its
    // top-level label when its suffix has two (`jszwfw.gov` of `jszwfw.gov.cn`).
    let whole_name = (pass == Pass::Domain).then(|| name_part(name));
    let without_top = (suffix_label_count(name) == 2)
        .then(|| name.rsplit_once('.').map(|(rest, _)| rest))
        .flatten();
    let other_suffix = whole_name
        .into_iter()
        .chain(without_top)
        .any(|candidate| letters(candidate) >= MIN_NAME_LETTERS && within(&host.name, candidate));
    if other_suffix {
        return Some(Trick::OtherSuffix);
    }
    // The official suffix moved into a label: the name without its top-level label,
    // glued (`cxmem-gov.com`, `memgov.net` for `cx.mem.gov.cn`). "gov" is in it, so it
    // is sought anywhere in the host's letters.
    if let Some(without_top) = without_top {
        if letters(without_top) >= MIN_GLUED_LETTERS
            && host.compact.contains(first_run)
            && host.compact.contains(&compact(without_top))
        {
            return Some(Trick::HyphensOrDigits);
        }
    }
    // The labels before the suffix glued together or split anew, under any suffix
    // (`cxmem.com`, `c-xmem.cn`, `verify-cxmem.com` for `cx.mem.gov.cn`). Without the
    // suffix's letters the name is short, so it must fill whole parts of the host
    // between dots and hyphens: `cxmemory.com` is another name. A one-label name part
    // (`mohurd`, or `jiangsu`, a place name) is only sought with its suffix (above).
    whole_name
        .filter(|part| part.contains('.') && letters(part) >= MIN_NAME_LETTERS)
        .filter(|part| fills_parts(&host.text, &compact(part)))
        .map(|_| Trick::HyphensOrDigits)
}

/// Whether some run of consecutive parts of `host` (split at dots and hyphens),
/// joined, is exactly `letters`.
fn fills_parts(host: &str, letters: &str) -> bool {
    let parts: Vec<&str> = host.split(['.', '-']).collect();
    (0..parts.len()).any(|start| {
        let mut joined = String::new();
        parts.iter().skip(start).any(|part| {
            joined.push_str(part);
            joined == letters || !letters.starts_with(joined.as_str())
        }) && joined == letters
    })
}

/// The characters of `text` other than dots and hyphens.
fn letters(text: &str) -> usize {
    text.chars().filter(|&c| c != '.' && c != '-').count()
}

/// `host` is `domain` or a subdomain of it, compared on whole labels.
fn within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// `name` occurs in `host` from the start of a label up to a dot or a hyphen.
fn name_inside(host: &str, name: &str) -> bool {
    if !host.contains(name) {
        return false;
    }
    let label_starts = std::iter::once(0).chain(
        host.char_indices()
            .filter(|&(_, c)| c == '.')
            .map(|(index, _)| index + 1),
    );
    label_starts
        .filter_map(|start| host.get(start..))
        .any(|rest| {
            rest.strip_prefix(name)
                .is_some_and(|after| after.starts_with(['.', '-']))
        })
}

/// The edit distance of the host's last labels (as many as `name` has) from `name`,
/// when it is within the allowed distance, which grows with the length: 2 from 8
/// characters, 1 from 5, none below.
fn misspelling(host: &str, name: &str) -> Option<u8> {
    let tail = last_labels(host, label_count(name));
    let (tail_length, name_length) = (tail.chars().count(), name.chars().count());
    let allowed = match name_length {
        8.. => 2,
        5..=7 => 1,
        _ => 0,
    };
    if allowed == 0 || tail_length.abs_diff(name_length) > allowed {
        return None;
    }
    let tail: Vec<char> = tail.chars().collect();
    let name: Vec<char> = name.chars().collect();
    distance_within(&tail, &name, allowed)
        .filter(|&distance| distance > 0)
        .and_then(|distance| u8::try_from(distance).ok())
}

/// `host` with its `xn--` labels decoded (a label that does not decode stays as it is).
fn decode_punycode(host: &str) -> String {
    if !host.contains("xn--") {
        return host.to_owned();
    }
    let labels: Vec<String> = host
        .split('.')
        .map(|label| {
            label
                .strip_prefix("xn--")
                .and_then(idna::punycode::decode_to_string)
                .unwrap_or_else(|| label.to_owned())
        })
        .collect();
    labels.join(".")
}

/// The host without its dots and hyphens.
fn compact(host: &str) -> String {
    host.chars().filter(|&c| c != '.' && c != '-').collect()
}

fn read_digits_as_letters(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'l',
            other => other,
        })
        .collect()
}

/// `text` with look-alike characters mapped to the Latin letter they imitate and the
/// digits 0 and 1 read as o and l; then "rn" read as "m" and "vv" as "w".
fn skeleton(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match look_alike_letter(c) {
            '0' => 'o',
            '1' => 'l',
            other => other,
        })
        .collect();
    if mapped.contains("rn") || mapped.contains("vv") {
        mapped.replace("rn", "m").replace("vv", "w")
    } else {
        mapped
    }
}

/// The Latin letter (or dot, hyphen, digit) `c` looks like; `c` itself otherwise.
fn look_alike_letter(c: char) -> char {
    let offset = |from: char, to: char| {
        u32::from(c)
            .checked_sub(u32::from(from))
            .and_then(|index| char::from_u32(u32::from(to) + index))
    };
    let mapped = match c {
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        // Full-width forms (全角字符).
        'ａ'..='ｚ' => offset('ａ', 'a'),
        'Ａ'..='Ｚ' => offset('Ａ', 'a'),
        '０'..='９' => offset('０', '0'),
        '．' | '。' | '｡' => Some('.'),
        '－' => Some('-'),
        _ => None,
    };
    mapped.unwrap_or(match c {
        // Cyrillic.
        'а' | 'ɑ' | 'α' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ь' | 'Ь' => 'b',
        'с' | 'ϲ' | 'ç' | 'ć' | 'č' => 'c',
        'ԁ' | 'ɗ' | 'ď' | 'đ' => 'd',
        'е' | 'ё' | 'ε' | 'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ɡ' | 'ց' | 'ğ' | 'ģ' => 'g',
        'һ' | 'հ' => 'h',
        'і' | 'ї' | 'ι' | 'ı' | 'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
        'ј' | 'ϳ' | 'ȷ' => 'j',
        'к' | 'κ' => 'k',
        'ӏ' | 'ⅼ' | 'ł' | 'ľ' => 'l',
        'ո' | 'ñ' | 'ń' | 'ň' => 'n',
        'о' | 'ο' | 'օ' | 'σ' | 'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'р' | 'ρ' | 'þ' => 'p',
        'ԛ' => 'q',
        'ѕ' | 'ś' | 'š' | 'ş' => 's',
        'τ' | 'ť' => 't',
        'υ' | 'ս' | 'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ν' | 'ѵ' => 'v',
        'ԝ' | 'ω' | 'ѡ' => 'w',
        'х' | 'χ' => 'x',
        'у' | 'γ' | 'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    })
}

/// The optimal-string-alignment (restricted Damerau-Levenshtein) distance of `a` and
/// `b` if it is at most `max`. Only the band of cells within `max` of the diagonal is
/// computed: O((max + 1) × length).
fn distance_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    let width = b.len();
    if a.len().abs_diff(width) > max {
        return None;
    }
    let over = max + 1;
    let at = |row: &[usize], column: usize| row.get(column).copied().unwrap_or(over);
    let set = |row: &mut [usize], column: usize, value: usize| {
        if let Some(cell) = row.get_mut(column) {
            *cell = value;
        }
    };
    let mut two_back = vec![over; width + 1];
    let mut previous: Vec<usize> = (0..=width).map(|column| column.min(over)).collect();
    let mut current = vec![over; width + 1];
    for (row, &x) in (1usize..).zip(a) {
        let low = row.saturating_sub(max);
        let high = (row + max).min(width);
        // Cells just outside the band, which the next rows read.
        if low > 0 {
            set(&mut current, low - 1, over);
        }
        set(&mut current, high + 1, over);
        let mut row_minimum = over;
        for column in low..=high {
            let value = if column == 0 {
                row
            } else {
                let y = b.get(column - 1);
                let substitution = at(&previous, column - 1) + usize::from(Some(&x) != y);
                let mut best = substitution
                    .min(at(&previous, column) + 1)
                    .min(at(&current, column - 1) + 1);
                let swapped =
                    row > 1 && column > 1 && Some(&x) == b.get(column - 2) && a.get(row - 2) == y;
                if swapped {
                    best = best.min(at(&two_back, column - 2) + 1);
                }
                best.min(over)
            };
            set(&mut current, column, value);
            row_minimum = row_minimum.min(value);
        }
        if row_minimum > max {
            return None;
        }
        std::mem::swap(&mut two_back, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = at(&previous, width);
    (distance <= max).then_some(distance)
}

/// The length of the longest run of characters `a` and `b` share.
fn longest_common_run(a: impl IntoIterator<Item = char>, b: &[char]) -> usize {
    let mut previous = vec![0usize; b.len() + 1];
    let mut current = vec![0usize; b.len() + 1];
    let mut longest = 0;
    for x in a {
        for (column, y) in (1usize..).zip(b) {
            let run = if x == *y {
                previous.get(column - 1).copied().unwrap_or(0) + 1
            } else {
                0
            };
            if let Some(cell) = current.get_mut(column) {
                *cell = run;
            }
            longest = longest.max(run);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    longest
}

#[cfg(test)]
mod tests;
