//! Host names: the syntax of the official domains a trust list holds, and the public
//! suffixes that say which part of a name someone registered.
//!
//! A leaf module: trust lists ([`crate::trust`]) check their official domains with
//! [`check_domain_name`], and web-link classification ([`crate::website`]) compares
//! hosts by their labels and registrable parts.
//!
//! Public suffixes come from a small built-in rule rather than the full Public Suffix
//! List (thousands of rules that change every week, which an offline app would have to
//! ship and keep up to date): the two-label suffixes of China (`gov.cn`, `com.cn`,
//! `js.cn`, ...) and `ac`/`co`/`com`/`edu`/`gov`/`mil`/`net`/`org` under any two-letter
//! country code; any other top-level domain is a one-label suffix.

/// Longest host name, in bytes (the DNS limit): no official domain is longer, and a
/// longer host in a web link is not compared with them.
pub const MAX_HOST_BYTES: usize = 253;
/// Longest label of a host name, in bytes.
pub const MAX_LABEL_BYTES: usize = 63;

/// Why a name is not acceptable as an official domain in a trust list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainError {
    /// The name is empty.
    #[error("is empty")]
    Empty,
    /// Longer than [`MAX_HOST_BYTES`].
    #[error("is longer than {MAX_HOST_BYTES} bytes")]
    TooLong,
    /// Ends with a dot.
    #[error("ends with a dot")]
    TrailingDot,
    /// A character other than lowercase ASCII letters, digits, `-` and `.`.
    #[error(
        "has the character {0:?}: only a-z, 0-9, '-' and '.' (lowercase; internationalised names in punycode)"
    )]
    Character(char),
    /// Two dots in a row, or a leading dot.
    #[error("has an empty label")]
    EmptyLabel,
    /// A label longer than [`MAX_LABEL_BYTES`].
    #[error("has a label longer than {MAX_LABEL_BYTES} bytes")]
    LabelTooLong,
    /// A label that starts or ends with `-`.
    #[error("has a label that starts or ends with '-'")]
    Hyphen,
    /// An `xn--` label that is not the canonical punycode of a valid internationalised
    /// label (UTS 46, strict).
    #[error("has an xn-- label that is not valid punycode")]
    Punycode,
    /// Only one label: a top-level domain.
    #[error("is a single label")]
    SingleLabel,
    /// The last label is numeric: an IP address, not a domain.
    #[error("ends in a numeric label (an IP address is not a domain)")]
    NumericTopLabel,
    /// A public suffix such as `gov.cn`, which no one authority owns.
    #[error("is a public suffix, which no one authority owns")]
    PublicSuffix,
    /// The same domain listed twice.
    #[error("is listed twice")]
    Duplicate,
}

/// Check that `name` is a host name as the trust list holds them: lowercase ASCII,
/// internationalised labels in canonical punycode, 1 to 63 bytes a label, at most
/// [`MAX_HOST_BYTES`], no trailing dot, not an IP address or a public suffix.
pub fn check_domain_name(name: &str) -> Result<(), DomainError> {
    if name.is_empty() {
        return Err(DomainError::Empty);
    }
    if name.len() > MAX_HOST_BYTES {
        return Err(DomainError::TooLong);
    }
    if name.ends_with('.') {
        return Err(DomainError::TrailingDot);
    }
    if let Some(character) = name
        .chars()
        .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-' | '.'))
    {
        return Err(DomainError::Character(character));
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Err(DomainError::EmptyLabel);
        }
        if label.len() > MAX_LABEL_BYTES {
            return Err(DomainError::LabelTooLong);
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(DomainError::Hyphen);
        }
    }
    // Internationalised labels: valid under UTS 46 (strict) and already in the ASCII form
    // it gives, so each name has exactly one spelling.
    if name.split('.').any(|label| label.starts_with("xn--"))
        && idna::domain_to_ascii_strict(name).ok().as_deref() != Some(name)
    {
        return Err(DomainError::Punycode);
    }
    let mut labels = name.rsplit('.');
    let top = labels.next().unwrap_or_default();
    if labels.next().is_none() {
        return Err(DomainError::SingleLabel);
    }
    if top.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(DomainError::NumericTopLabel);
    }
    if label_count(name) <= suffix_label_count(name) {
        return Err(DomainError::PublicSuffix);
    }
    Ok(())
}

/// How many labels `host` has.
pub fn label_count(host: &str) -> usize {
    host.split('.').count()
}

/// How many labels at the end of `host` form its public suffix: 2 for the Chinese
/// second-level suffixes and the generic ones under a country code, otherwise 1.
pub fn suffix_label_count(host: &str) -> usize {
    let mut labels = host.rsplit('.');
    let top = labels.next().unwrap_or_default();
    let Some(second) = labels.next() else {
        return 1;
    };
    let country = top.len() == 2 && top.bytes().all(|byte| byte.is_ascii_lowercase());
    // Second-level labels that form a public suffix under any two-letter country code.
    let generic = || {
        country
            && matches!(
                second,
                "ac" | "co" | "com" | "edu" | "gov" | "mil" | "net" | "org"
            )
    };
    // Provincial second-level domains of `.cn` (省级行政区域名).
    let province = || {
        top == "cn"
            && matches!(
                second,
                "ah" | "bj"
                    | "cq"
                    | "fj"
                    | "gd"
                    | "gs"
                    | "gx"
                    | "gz"
                    | "ha"
                    | "hb"
                    | "he"
                    | "hi"
                    | "hk"
                    | "hl"
                    | "hn"
                    | "jl"
                    | "js"
                    | "jx"
                    | "ln"
                    | "mo"
                    | "nm"
                    | "nx"
                    | "qh"
                    | "sc"
                    | "sd"
                    | "sh"
                    | "sn"
                    | "sx"
                    | "tj"
                    | "tw"
                    | "xj"
                    | "xz"
                    | "yn"
                    | "zj"
            )
    };
    if generic() || province() {
        2
    } else {
        1
    }
}

/// The last `count` labels of `host` (all of it when it has no more).
pub fn last_labels(host: &str, count: usize) -> &str {
    if count == 0 {
        return "";
    }
    host.char_indices()
        .rev()
        .filter(|&(_, c)| c == '.')
        .nth(count - 1)
        .and_then(|(index, _)| host.get(index + 1..))
        .unwrap_or(host)
}

/// The registrable domain: the public suffix and one label before it (the host itself
/// when it is no longer).
pub fn registrable(host: &str) -> &str {
    last_labels(host, suffix_label_count(host) + 1)
}

/// The labels before the public suffix, or "" when there are none.
pub fn name_part(host: &str) -> &str {
    let suffix = last_labels(host, suffix_label_count(host));
    host.strip_suffix(suffix)
        .and_then(|name| name.strip_suffix('.'))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
