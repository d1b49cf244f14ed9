//! SSL hostname matching, the `SSLHostname` check, for every release era (`apple-trust.md §6`
//! "Hostname matching"; platforms.md "SSL / TLS across versions").
//!
//! The matcher works on plain data ([`HostnameInput`]: the leaf's SAN dNSNames, SAN iPAddresses
//! and subject CNs), so it knows nothing of certificate parsing. [`rules_for`] picks the era of a
//! platform from the rows of the rules table; [`matches()`] runs it.
//!
//! Work is bounded by the requested host, not by the certificate: the current engine drops any
//! dNSName longer than 255 bytes before looking at it, and the older matchers reject a name that
//! is too long to match the host before scanning it, so a 1 MB SAN entry or thousands of names
//! cost a length comparison each. The common paths do not allocate.
//!
//! Where the specification is silent, these are the decisions (each also pinned by a test):
//! - **Bytes, not IDNA.** Apple compares the strings it is given; no IDNA or punycode
//!   conversion happens, so `bücher.example.com` never matches `xn--bcher-kva.example.com`.
//!   Case folding is ASCII-only (SAN dNSNames are ASCII, and the current engine drops any
//!   that are not); other bytes must be equal.
//! - **The requested host is never validated.** trustd splits it and compares; so in the
//!   current engine a left-most `*` matches any one host label, whatever its bytes (even an
//!   empty one: `*.example.com` matches `.example.com`, a host nobody can connect to).
//! - **Empty host.** From iOS 10 the label matcher refuses an empty host: no match. The iOS 6–9
//!   character matcher has no such guard, so there an empty host matches an empty SAN dNSName
//!   and, on iOS 6–8, a SAN dNSName `*`.
//! - **Trailing dots, iOS 6–9.** The character matcher accepts one trailing dot on the host,
//!   also after a trailing `*` (`foo.*` matches `foo.com.`); a SAN entry ending in a dot
//!   matches only a host with that same dot. **iOS 10–12:** one trailing dot is stripped from
//!   the host and the unfiltered SAN entry is split as it is, so `example.com.` in the SAN
//!   does not match `example.com` or `example.com.`.
//! - **DNS-name syntax** is trustd's state machine: besides the rules of §6 it also refuses an
//!   empty label and a label ending in `-` anywhere in the name. From iOS 15 `_` is handled as a
//!   letter (it may start or end a label and satisfies the "rightmost label has a letter" rule).
//! - **iOS 9 `*.tld`.** A wildcard must be followed by at least two labels: `*.com`, `f*.com`,
//!   `f*` and a lone `*` are all rejected.
//! - **iOS 6–8 several wildcards.** Each `*` matches within its own label, so `*.*.example.com`
//!   matches `a.b.example.com`.
//! - **SAN iPAddress entries of another length than 4 or 16 bytes** never match. Up to iOS 12
//!   one such entry makes trustd's rendering of the SAN's addresses fail as a whole, so no IP
//!   entry of that certificate matches at all.
//! - **Public suffixes.** The list is asked about the presented name after its `*.` label,
//!   without a trailing dot (`co.uk` for `*.co.uk`), and only from iOS 11 (58286); iOS 10
//!   ignores a supplied list.

use std::collections::HashSet;
use std::fmt;
use std::io::Write as _;
use std::net::IpAddr;

use crate::platform::{Platform, RuleId};

/// Longest DNS name and label trustd accepts (RFC 1035 §2.3.4: 255 and 63 octets).
const MAX_NAME_LEN: usize = 255;
const MAX_LABEL_LEN: usize = 63;
/// Longest rendering of a SAN iPAddress: eight groups of four hex digits and seven colons.
const MAX_IP_TEXT_LEN: usize = 39;

/// The hostname rules of one release era (platforms.md "SSL / TLS across versions", hostname
/// table). Pick one for a platform with [`rules_for`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostnameRules {
    /// Security 55163–57031: iOS 6–8, OS X 10.8–10.10 (and iOS 5 and OS X 10.7, whose matchers
    /// were never published). Row "55163 – 57031": a `*` must be the last character of its
    /// label and matches zero or more characters; no label-count rule. Plus row "≤ 58286".
    CharacterMatcher,
    /// Security 57337: iOS 9, OS X 10.11. Row "57337": the character matcher with the wildcard
    /// only in the first label; `*.tld` rejected. Plus row "≤ 58286".
    FirstLabelWildcard,
    /// Security 57740: iOS 10, macOS 10.12. Row "57740": the wildcard is the whole left-most
    /// label, at least 3 labels; no public-suffix check. Plus row "≤ 58286".
    WholeLabelWildcard,
    /// Security 58286: iOS 11–12, macOS 10.13–10.14. Row "58286": as iOS 10 plus the
    /// public-suffix check. Plus row "≤ 58286".
    WholeLabelWildcardPsl,
    /// Security 59306 →: iOS 13 →, macOS 10.15 →. Row "59306 →" (`apple-trust.md §6`): SAN
    /// only, invalid and IP-looking dNSNames dropped, IPs compared as bytes.
    Modern {
        /// Row "60157 →" (iOS 15, macOS 12): `_` allowed in SAN dNSNames.
        underscore: bool,
    },
}

/// The hostname rules of `platform`, derived only from the `Hostname*` rows of the rules table.
pub fn rules_for(platform: &Platform) -> HostnameRules {
    let rules = platform.rules();
    if !rules.contains(RuleId::HostnameCnFallback) {
        return HostnameRules::Modern {
            underscore: rules.contains(RuleId::HostnameUnderscore),
        };
    }
    if rules.contains(RuleId::HostnameCharacterMatcher) {
        HostnameRules::CharacterMatcher
    } else if rules.contains(RuleId::HostnameFirstLabelWildcard) {
        HostnameRules::FirstLabelWildcard
    } else if rules.contains(RuleId::HostnamePublicSuffixCheck) {
        HostnameRules::WholeLabelWildcardPsl
    } else {
        HostnameRules::WholeLabelWildcard
    }
}

/// A public-suffix list (`apple-trust.md §6`: a wildcard directly over a public suffix is
/// rejected). None is bundled; supply one, or [`SuffixSet`].
pub trait PublicSuffixList: Send + Sync + fmt::Debug {
    /// Whether `domain` (for example `co.uk`, no trailing dot, any case) is a public suffix.
    fn is_public_suffix(&self, domain: &str) -> bool;
}

/// A public-suffix list held as a plain set of suffixes, matched exactly and case-insensitively
/// (no PSL wildcard or exception rules: implement [`PublicSuffixList`] for those).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuffixSet(HashSet<String>);

impl SuffixSet {
    /// A set of `suffixes` such as `"com"`, `"co.uk"` (stored lower-case, trailing dot removed).
    pub fn new<I>(suffixes: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        SuffixSet(
            suffixes
                .into_iter()
                .map(|s| without_trailing_dot(s.as_ref()).to_ascii_lowercase())
                .collect(),
        )
    }
}

impl<S: AsRef<str>> FromIterator<S> for SuffixSet {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        SuffixSet::new(iter)
    }
}

impl PublicSuffixList for SuffixSet {
    fn is_public_suffix(&self, domain: &str) -> bool {
        let domain = without_trailing_dot(domain);
        if domain.bytes().any(|b| b.is_ascii_uppercase()) {
            self.0.contains(&domain.to_ascii_lowercase())
        } else {
            self.0.contains(domain)
        }
    }
}

/// The names of a leaf certificate that hostname matching looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HostnameInput<'a> {
    /// SAN dNSName entries, in certificate order, as they are (not validated).
    pub dns_names: &'a [&'a str],
    /// SAN iPAddress entries: 4 bytes (IPv4) or 16 (IPv6). Other lengths never match, and up
    /// to iOS 12 one of them disables IP matching for the whole certificate.
    pub ip_addresses: &'a [&'a [u8]],
    /// Every commonName attribute of the subject, in order.
    pub common_names: &'a [&'a str],
}

/// Whether `host` matches the leaf's names under `rules` (the `SSLHostname` check).
///
/// `psl` is consulted only by eras with the public-suffix check; without one, only the
/// label-count rule keeps wildcards off top-level domains. The module documentation lists the
/// decisions taken where the specification is silent.
pub fn matches(
    input: &HostnameInput<'_>,
    host: &str,
    rules: HostnameRules,
    psl: Option<&dyn PublicSuffixList>,
) -> bool {
    let matcher = match rules {
        HostnameRules::Modern { underscore } => return modern(input, host, underscore, psl),
        HostnameRules::CharacterMatcher => Legacy::Characters {
            first_label_only: false,
        },
        HostnameRules::FirstLabelWildcard => Legacy::Characters {
            first_label_only: true,
        },
        HostnameRules::WholeLabelWildcard => Legacy::Labels { psl: None },
        HostnameRules::WholeLabelWildcardPsl => Legacy::Labels { psl },
    };
    legacy(input, host, matcher)
}

/// The current engine (`apple-trust.md §6`).
fn modern(
    input: &HostnameInput<'_>,
    host: &str,
    underscore: bool,
    psl: Option<&dyn PublicSuffixList>,
) -> bool {
    // An IP host matches only SAN iPAddress entries, byte for byte.
    if let Ok(ip) = host.parse::<IpAddr>() {
        return match ip {
            IpAddr::V4(a) => input.ip_addresses.iter().any(|e| *e == a.octets()),
            IpAddr::V6(a) => input.ip_addresses.iter().any(|e| *e == a.octets()),
        };
    }
    let Some(reference) = Reference::new(host) else {
        return false;
    };
    input
        .dns_names
        .iter()
        .filter(|name| is_dns_name(name, underscore, true))
        .any(|name| label_match(&reference, name, psl))
}

/// The name matcher of an era ≤ 58286.
#[derive(Clone, Copy)]
enum Legacy<'p> {
    /// 55163–57337: Apple's character-by-character matcher.
    Characters { first_label_only: bool },
    /// 57740–58286: label by label, as the current engine.
    Labels {
        psl: Option<&'p dyn PublicSuffixList>,
    },
}

/// Eras ≤ 58286 (platforms.md row "≤ 58286"): SAN dNSNames unfiltered, else the DNS-looking
/// CNs; then IP hosts as strings against the rendered SAN iPAddress entries.
fn legacy(input: &HostnameInput<'_>, host: &str, matcher: Legacy<'_>) -> bool {
    let reference = Reference::new(host);
    let name_matches = |name: &&str| match matcher {
        Legacy::Characters { first_label_only } => {
            character_match(host.as_bytes(), name.as_bytes(), first_label_only)
        }
        Legacy::Labels { psl } => reference
            .as_ref()
            .is_some_and(|r| label_match(r, name, psl)),
    };
    let by_name = if input.dns_names.is_empty() {
        input
            .common_names
            .iter()
            .filter(|cn| is_dns_name(cn, false, false))
            .any(name_matches)
    } else {
        input.dns_names.iter().any(name_matches)
    };
    by_name || legacy_ip_match(input.ip_addresses, host)
}

/// trustd's DNS-name syntax (RFC 1035 preferred syntax, `*` as a letter; `apple-trust.md §6`).
///
/// ≤ 255 bytes, labels ≤ 63, no empty label, no label starting or ending with `-`; letters,
/// digits, `-`, `*` and (if `underscore`) `_`. `require_letter`: the rightmost label must
/// contain a letter (current engine only; the CN filter of ≤ 58286 has no such rule).
fn is_dns_name(name: &str, underscore: bool, require_letter: bool) -> bool {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        Start,
        Dot,
        Letter,
        Digit,
        Dash,
    }
    if name.len() > MAX_NAME_LEN {
        return false;
    }
    let mut state = State::Start;
    let mut label_len = 0usize;
    let mut label_has_letter = false;
    for &b in name.as_bytes() {
        label_len += 1;
        state = match b {
            b'.' => {
                if label_len > MAX_LABEL_LEN + 1 || !matches!(state, State::Letter | State::Digit) {
                    return false;
                }
                label_len = 0;
                label_has_letter = false;
                State::Dot
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'*' => {
                label_has_letter = true;
                State::Letter
            }
            b'_' if underscore => {
                label_has_letter = true;
                State::Letter
            }
            b'0'..=b'9' => State::Digit,
            b'-' if matches!(state, State::Letter | State::Digit | State::Dash) => State::Dash,
            _ => return false,
        };
    }
    label_len <= MAX_LABEL_LEN
        && matches!(state, State::Letter | State::Digit)
        && (label_has_letter || !require_letter)
}

/// The requested host, split once so each presented name costs only its own length.
struct Reference<'h> {
    /// The host without its one allowed trailing dot.
    name: &'h str,
    labels: usize,
    first: &'h str,
    /// Everything after the first dot (`""` for one label).
    rest: &'h str,
}

impl<'h> Reference<'h> {
    /// `None` for an empty host, which never matches.
    fn new(host: &'h str) -> Option<Self> {
        if host.is_empty() {
            return None;
        }
        let name = without_trailing_dot(host);
        let (first, rest) = name.split_once('.').unwrap_or((name, ""));
        Some(Reference {
            name,
            labels: label_count(name),
            first,
            rest,
        })
    }
}

/// The label matcher of 57740 →: same label count, labels equal ignoring ASCII case, and a
/// wildcard only as the whole left-most label of a name of at least 3 labels, not directly over
/// a public suffix.
fn label_match(r: &Reference<'_>, presented: &str, psl: Option<&dyn PublicSuffixList>) -> bool {
    // A match has every label equal to the host's except a left-most `*` (one byte), so a longer
    // name cannot match; checking first bounds the work on a hostile name.
    if presented.len() > r.name.len() + 1 || label_count(presented) != r.labels {
        return false;
    }
    let (first, rest) = presented.split_once('.').unwrap_or((presented, ""));
    // Comparing the rests as strings is comparing their labels: the label counts are equal.
    if rest.contains('*') || !rest.eq_ignore_ascii_case(r.rest) {
        return false;
    }
    if !first.contains('*') {
        return first.eq_ignore_ascii_case(r.first);
    }
    first == "*"
        && r.labels >= 3
        && !psl.is_some_and(|list| list.is_public_suffix(without_trailing_dot(rest)))
}

/// The character matcher of 55163–57337 (`SecDNSMatch`), on bytes.
///
/// A `*` must end its label (`*.` or a final `*`) and matches zero or more characters up to the
/// next dot; other characters compare ignoring ASCII case; at the end the host may have one
/// trailing dot left. `first_label_only` (57337): a `*` after the first dot fails, and so does
/// one not followed by at least two labels (`*.tld`).
fn character_match(host: &[u8], name: &[u8], first_label_only: bool) -> bool {
    // Each name byte consumes a host byte except a `*`, which pairs with a dot that consumes one
    // (or ends the name): a longer name cannot match. This bounds the work on a hostile name.
    if name.len() > 2 * host.len() + 1 {
        return false;
    }
    let (mut h, mut s) = (0, 0);
    let mut after_first_label = false;
    while s < name.len() {
        if name[s] != b'*' {
            if h >= host.len() || !host[h].eq_ignore_ascii_case(&name[s]) {
                return false;
            }
            after_first_label |= name[s] == b'.';
            h += 1;
            s += 1;
            continue;
        }
        if first_label_only
            && (after_first_label
                || name.get(s + 1) != Some(&b'.')
                || !name[s + 2..].contains(&b'.'))
        {
            return false;
        }
        let next_dot = host[h..].iter().position(|&c| c == b'.');
        if s + 1 == name.len() {
            // A final `*`: match to the end of the host or to one trailing dot.
            return next_dot.is_none_or(|i| h + i + 1 == host.len());
        }
        if name[s + 1] != b'.' {
            return false;
        }
        // `*.`: consume the host up to and including its next dot.
        let Some(i) = next_dot else {
            return false;
        };
        h += i + 1;
        s += 2;
        after_first_label = true;
    }
    h == host.len() || (h + 1 == host.len() && host[h] == b'.')
}

/// Eras ≤ 58286: `host` compared ignoring ASCII case with each SAN iPAddress rendered
/// `a.b.c.d` or as eight groups of four lower-case hex digits.
fn legacy_ip_match(ips: &[&[u8]], host: &str) -> bool {
    // trustd renders every entry; one it cannot render fails the whole list.
    if ips.iter().any(|ip| ip.len() != 4 && ip.len() != 16) {
        return false;
    }
    ips.iter().any(|ip| {
        let mut buf = [0u8; MAX_IP_TEXT_LEN];
        render_ip(ip, &mut buf).eq_ignore_ascii_case(host.as_bytes())
    })
}

/// `ip` (4 or 16 bytes) as trustd rendered it, into `buf`.
fn render_ip<'b>(ip: &[u8], buf: &'b mut [u8; MAX_IP_TEXT_LEN]) -> &'b [u8] {
    let mut out = &mut buf[..];
    // The longest rendering fits the buffer exactly, so writing cannot fail.
    let _ = if let [a, b, c, d] = ip {
        write!(out, "{a}.{b}.{c}.{d}")
    } else {
        ip.chunks(2).enumerate().try_for_each(|(i, pair)| {
            let sep = if i == 0 { "" } else { ":" };
            write!(out, "{sep}{:02x}{:02x}", pair[0], pair[1])
        })
    };
    let written = MAX_IP_TEXT_LEN - out.len();
    &buf[..written]
}

fn label_count(name: &str) -> usize {
    name.bytes().filter(|&b| b == b'.').count() + 1
}

fn without_trailing_dot(name: &str) -> &str {
    name.strip_suffix('.').unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    // --- helpers ---------------------------------------------------------------------------

    fn ios(major: u16) -> HostnameRules {
        rules_for(&Platform::ios(major, 0))
    }

    fn san(names: &[&str], host: &str, rules: HostnameRules) -> bool {
        let input = HostnameInput {
            dns_names: names,
            ..Default::default()
        };
        matches(&input, host, rules, None)
    }

    fn san_psl(names: &[&str], host: &str, rules: HostnameRules, psl: &SuffixSet) -> bool {
        let input = HostnameInput {
            dns_names: names,
            ..Default::default()
        };
        matches(&input, host, rules, Some(psl))
    }

    fn cn(cns: &[&str], host: &str, rules: HostnameRules) -> bool {
        let input = HostnameInput {
            common_names: cns,
            ..Default::default()
        };
        matches(&input, host, rules, None)
    }

    fn ip(ips: &[&[u8]], host: &str, rules: HostnameRules) -> bool {
        let input = HostnameInput {
            ip_addresses: ips,
            ..Default::default()
        };
        matches(&input, host, rules, None)
    }

    fn co_uk() -> SuffixSet {
        SuffixSet::new(["com", "uk", "co.uk"])
    }

    const V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const V6_EXPANDED: &str = "2001:0db8:0000:0000:0000:0000:0000:0001";

    // --- rules_for and the table rows --------------------------------------------------------

    #[test]
    fn rules_for_follows_the_hostname_rows() {
        use HostnameRules::*;
        let cases = [
            (Platform::ios(5, 1), CharacterMatcher),
            (Platform::ios(6, 0), CharacterMatcher),
            (Platform::ios(8, 4), CharacterMatcher),
            (Platform::ios(9, 0), FirstLabelWildcard),
            (Platform::ios(9, 3), FirstLabelWildcard),
            (Platform::ios(10, 0), WholeLabelWildcard),
            (Platform::ios(10, 3), WholeLabelWildcard),
            (Platform::ios(11, 0), WholeLabelWildcardPsl),
            (Platform::ios(12, 5), WholeLabelWildcardPsl),
            (Platform::ios(13, 0), Modern { underscore: false }),
            (Platform::ios(14, 8), Modern { underscore: false }),
            (Platform::ios(15, 0), Modern { underscore: true }),
            (Platform::latest(), Modern { underscore: true }),
            (Platform::macos(10, 7), CharacterMatcher),
            (Platform::macos(10, 8), CharacterMatcher),
            (Platform::macos(10, 10), CharacterMatcher),
            (Platform::macos(10, 11), FirstLabelWildcard),
            (Platform::macos(10, 12), WholeLabelWildcard),
            (Platform::macos(10, 13), WholeLabelWildcardPsl),
            (Platform::macos(10, 14), WholeLabelWildcardPsl),
            (Platform::macos(10, 15), Modern { underscore: false }),
            (Platform::macos(11, 0), Modern { underscore: false }),
            (Platform::macos(12, 0), Modern { underscore: true }),
            (Platform::macos(26, 0), Modern { underscore: true }),
        ];
        for (platform, want) in cases {
            assert_eq!(rules_for(&platform), want, "{platform}");
        }
    }

    #[test]
    fn every_profile_has_exactly_one_wildcard_row() {
        for p in Platform::all() {
            let r = p.rules();
            let n = [
                RuleId::HostnameCharacterMatcher,
                RuleId::HostnameFirstLabelWildcard,
                RuleId::HostnameWholeLabel,
            ]
            .into_iter()
            .filter(|&id| r.contains(id))
            .count();
            assert_eq!(n, 1, "{p}");
            if !r.contains(RuleId::HostnameCnFallback) {
                // The current engine keeps the whole-label and public-suffix rules (§6).
                assert!(r.contains(RuleId::HostnameWholeLabel), "{p}");
                assert!(r.contains(RuleId::HostnamePublicSuffixCheck), "{p}");
            }
            if r.contains(RuleId::HostnamePublicSuffixCheck) {
                assert!(r.contains(RuleId::HostnameWholeLabel), "{p}");
            }
            if r.contains(RuleId::HostnameUnderscore) {
                assert!(!r.contains(RuleId::HostnameCnFallback), "{p}");
            }
        }
    }

    // --- wildcards across eras (platforms.md hostname table) ----------------------------------

    #[test]
    fn wildcards_on_ios_8_9_10_12_and_13() {
        let psl = co_uk();
        // (SAN, host, iOS 8, iOS 9, iOS 10, iOS 12, iOS 13)
        let cases: &[(&str, &str, [bool; 5])] = &[
            ("*.example.com", "www.example.com", [true; 5]),
            (
                "f*.example.com",
                "foo.example.com",
                [true, true, false, false, false],
            ),
            ("*.com", "example.com", [true, false, false, false, false]),
            ("foo.*", "foo.com", [true, false, false, false, false]),
            ("*.co.uk", "foo.co.uk", [true, true, true, true, true]),
        ];
        for &(name, host, want) in cases {
            for (major, want) in [8, 9, 10, 12, 13].into_iter().zip(want) {
                assert_eq!(
                    san(&[name], host, ios(major)),
                    want,
                    "{name} / {host} on iOS {major}"
                );
            }
        }
        // With a list holding `co.uk`: rejected from iOS 11 (58286) on, ignored before.
        for (major, want) in [(8, true), (9, true), (10, true), (11, false), (12, false)] {
            assert_eq!(
                san_psl(&["*.co.uk"], "foo.co.uk", ios(major), &psl),
                want,
                "iOS {major}"
            );
        }
        assert!(!san_psl(&["*.co.uk"], "foo.co.uk", ios(13), &psl));
        assert!(!san_psl(&["*.co.uk"], "foo.co.uk", ios(18), &psl));
        // The list only stops a wildcard directly over a suffix.
        assert!(san_psl(
            &["*.example.co.uk"],
            "www.example.co.uk",
            ios(13),
            &psl
        ));
        assert!(san_psl(&["www.co.uk"], "www.co.uk", ios(13), &psl));
    }

    #[test]
    fn character_matcher_table_examples() {
        for rules in [ios(6), ios(8), rules_for(&Platform::macos(10, 7))] {
            assert!(san(&["f*.example.com"], "foo.example.com", rules));
            assert!(
                san(&["f*.example.com"], "f.example.com", rules),
                "zero characters"
            );
            assert!(san(&["*.com"], "example.com", rules));
            assert!(san(&["foo.*"], "foo.com", rules));
            assert!(!san(&["f*o.x.com"], "foo.x.com", rules));
            assert!(!san(&["f*o.x.com"], "fo.x.com", rules));
            assert!(!san(&["*foo.com"], "foo.com", rules));
            assert!(!san(&["*foo.com"], "xfoo.com", rules));
        }
    }

    #[test]
    fn character_matcher_star_stays_in_its_label() {
        let r = ios(8);
        assert!(!san(&["*.example.com"], "a.b.example.com", r));
        assert!(!san(&["*.example.com"], "example.com", r));
        assert!(!san(&["foo.*"], "foo.bar.com", r));
        assert!(san(&["*.*.example.com"], "a.b.example.com", r));
        assert!(!san(&["f**.example.com"], "foo.example.com", r));
    }

    #[test]
    fn first_label_wildcard_ios_9() {
        let r = ios(9);
        assert!(san(&["*.example.com"], "www.example.com", r));
        assert!(san(&["f*.example.com"], "foo.example.com", r));
        assert!(!san(&["f*o.x.com"], "foo.x.com", r));
        assert!(!san(&["www.*.com"], "www.example.com", r));
        assert!(!san(&["*.*.example.com"], "a.b.example.com", r));
        // `*.tld`: the wildcard needs two labels after it.
        assert!(!san(&["*.com"], "example.com", r));
        assert!(!san(&["f*.com"], "foo.com", r));
        assert!(!san(&["f*"], "foo", r));
        assert!(!san(&["*"], "localhost", r));
        assert!(san(&["*"], "localhost", ios(8)));
    }

    #[test]
    fn whole_label_wildcard_ios_10() {
        let r = ios(10);
        assert!(san(&["*.example.com"], "www.example.com", r));
        assert!(!san(&["*.example.com"], "a.www.example.com", r));
        assert!(!san(&["*.example.com"], "example.com", r));
        for partial in ["f*.example.com", "*o.example.com", "f*o.example.com"] {
            assert!(!san(&[partial], "foo.example.com", r), "{partial}");
        }
        assert!(!san(&["www.*.com"], "www.example.com", r));
        assert!(!san(&["*.com"], "example.com", r));
        assert!(
            san_psl(&["*.co.uk"], "foo.co.uk", r, &co_uk()),
            "no PSL check"
        );
    }

    #[test]
    fn public_suffix_check_ios_11_12() {
        for r in [ios(11), ios(12)] {
            assert!(
                san(&["*.co.uk"], "foo.co.uk", r),
                "no list: label count only"
            );
            assert!(!san_psl(&["*.co.uk"], "foo.co.uk", r, &co_uk()));
            assert!(!san_psl(&["*.CO.UK"], "foo.co.uk", r, &co_uk()), "any case");
        }
    }

    // --- CN fallback -------------------------------------------------------------------------

    #[test]
    fn cn_fallback_ios_12_vs_none_on_ios_13() {
        assert!(cn(&["www.example.com"], "www.example.com", ios(12)));
        assert!(cn(&["www.example.com"], "www.example.com", ios(6)));
        assert!(!cn(&["www.example.com"], "www.example.com", ios(13)));
        assert!(!cn(&["www.example.com"], "www.example.com", ios(15)));
        // Every CN attribute is tried; only the DNS-looking ones.
        assert!(cn(
            &["Example Corp", "www.example.com"],
            "www.example.com",
            ios(12)
        ));
        assert!(!cn(&["exa mple.com"], "exa mple.com", ios(12)));
        assert!(!cn(&["ex_ample.com"], "ex_ample.com", ios(12)));
        assert!(cn(&["*.example.com"], "www.example.com", ios(12)));
    }

    #[test]
    fn cn_fallback_only_when_san_has_no_dns_name() {
        let input = HostnameInput {
            dns_names: &["other.example.com"],
            ip_addresses: &[],
            common_names: &["www.example.com"],
        };
        assert!(!matches(&input, "www.example.com", ios(12), None));
        // Even an unusable dNSName suppresses the CN (≤ 58286 does not filter the SAN).
        let input = HostnameInput {
            dns_names: &["not a name"],
            ..input
        };
        assert!(!matches(&input, "www.example.com", ios(12), None));
        // SAN iPAddress entries alone do not.
        let input = HostnameInput {
            dns_names: &[],
            ip_addresses: &[&[1, 2, 3, 4]],
            common_names: &["www.example.com"],
        };
        assert!(matches(&input, "www.example.com", ios(12), None));
        assert!(matches(&input, "1.2.3.4", ios(12), None));
    }

    #[test]
    fn legacy_san_dns_names_not_filtered() {
        for r in [ios(8), ios(9), ios(10), ios(12)] {
            assert!(san(&["ex_ample.com"], "ex_ample.com", r));
            assert!(san(&["1.2.3.4"], "1.2.3.4", r));
        }
        assert!(
            san(&["2001:db8::1"], "2001:db8::1", ios(8)),
            "string compare"
        );
        assert!(!san(&["ex_ample.com"], "ex_ample.com", ios(14)));
    }

    // --- IP addresses ------------------------------------------------------------------------

    #[test]
    fn ip_in_san_ip_vs_dns_name_vs_cn_ios_12_vs_13() {
        for r in [ios(8), ios(12), ios(13)] {
            assert!(ip(&[&[1, 2, 3, 4]], "1.2.3.4", r));
            assert!(!ip(&[&[1, 2, 3, 5]], "1.2.3.4", r));
        }
        assert!(san(&["1.2.3.4"], "1.2.3.4", ios(12)));
        assert!(cn(&["1.2.3.4"], "1.2.3.4", ios(12)));
        assert!(!san(&["1.2.3.4"], "1.2.3.4", ios(13)));
        assert!(!cn(&["1.2.3.4"], "1.2.3.4", ios(13)));
        // An IPv6 CN is not DNS-looking, so not even ≤ 58286 uses it.
        assert!(!cn(&["2001:db8::1"], "2001:db8::1", ios(12)));
    }

    #[test]
    fn modern_ip_host_compares_bytes() {
        let r = ios(13);
        assert!(ip(&[&V6], "2001:db8::1", r));
        assert!(ip(&[&V6], V6_EXPANDED, r));
        assert!(ip(&[&V6], "2001:DB8::1", r));
        assert!(
            !ip(&[&[1, 2, 3, 4]], "::ffff:1.2.3.4", r),
            "mapped v6 is not v4"
        );
        assert!(!ip(&[&[1, 2, 3, 4]], "1.2.3.4.", r), "not an IP: DNS path");
        assert!(!ip(&[&[1, 2, 3, 4, 5]], "1.2.3.4", r));
        // An IP host looks only at iPAddresses, a DNS host only at dNSNames.
        let input = HostnameInput {
            dns_names: &["www.example.com", "4.3.2.1"],
            ip_addresses: &[&[1, 2, 3, 4]],
            common_names: &["4.3.2.1"],
        };
        assert!(matches(&input, "1.2.3.4", r, None));
        assert!(matches(&input, "www.example.com", r, None));
        assert!(!matches(&input, "4.3.2.1", r, None));
    }

    #[test]
    fn legacy_ipv6_compared_as_expanded_string() {
        for r in [ios(6), ios(9), ios(10), ios(12)] {
            assert!(!ip(&[&V6], "2001:db8::1", r));
            assert!(ip(&[&V6], V6_EXPANDED, r));
            assert!(ip(&[&V6], &V6_EXPANDED.to_ascii_uppercase(), r));
            assert!(!ip(&[&[1, 2, 3, 4]], "001.002.003.004", r));
        }
        assert!(ip(&[&V6], "2001:db8::1", ios(13)));
    }

    #[test]
    fn legacy_bad_length_ip_entry_disables_ip_matching() {
        let bad: &[u8] = &[1, 2, 3];
        assert!(!ip(&[&[1, 2, 3, 4], bad], "1.2.3.4", ios(12)));
        assert!(ip(&[&[1, 2, 3, 4], bad], "1.2.3.4", ios(13)));
    }

    #[test]
    fn render_ip_as_trustd() {
        let mut buf = [0u8; 39];
        assert_eq!(render_ip(&[255, 0, 10, 1], &mut buf), b"255.0.10.1");
        assert_eq!(render_ip(&V6, &mut buf), V6_EXPANDED.as_bytes());
        let mut buf = [0u8; 39];
        assert_eq!(render_ip(&[0xff; 16], &mut buf).len(), 39);
    }

    // --- the current engine (apple-trust.md §6) -----------------------------------------------

    #[test]
    fn modern_uses_san_dns_names_only() {
        let input = HostnameInput {
            dns_names: &[],
            ip_addresses: &[],
            common_names: &["www.example.com"],
        };
        assert!(!matches(&input, "www.example.com", ios(13), None));
        assert!(san(&["www.example.com"], "www.example.com", ios(13)));
    }

    #[test]
    fn modern_drops_invalid_dns_names_silently() {
        let r = ios(13);
        let label63 = "a".repeat(63);
        let name255 = format!("{0}.{0}.{0}.{0}", label63);
        assert_eq!(name255.len(), 255);
        let ok = [
            format!("{label63}.example.com"),
            name255.clone(),
            "a-b.example.com".into(),
            "x1.123.example.com".into(),
        ];
        for name in &ok {
            assert!(san(&[name.as_str()], name, r), "{name}");
        }
        let bad = [
            format!("a{label63}.example.com"),
            format!("a{name255}"),
            "exa mple.com".into(),
            "ex_ample.com".into(),
            "ex/ample.com".into(),
            "-foo.example.com".into(),
            "foo.-example.com".into(),
            "foo-.example.com".into(),
            "example.com-".into(),
            "example.com.".into(),
            ".example.com".into(),
            "foo..example.com".into(),
            "example.123".into(),
            "1.2.3.4".into(),
            "".into(),
            "bücher.example.com".into(),
        ];
        for name in &bad {
            assert!(!san(&[name.as_str()], name, r), "{name:?}");
        }
        // Dropped entries do not stop the others.
        assert!(san(&["bad name", "www.example.com"], "www.example.com", r));
        // The letter rule is the rightmost label's; `*` counts as a letter.
        assert!(is_dns_name("a.*", false, true));
        assert!(is_dns_name("123.a1", false, true));
        assert!(!is_dns_name("a.1", false, true));
        assert!(is_dns_name("a.1", false, false));
    }

    #[test]
    fn modern_same_number_of_labels() {
        let r = ios(13);
        assert!(!san(&["example.com"], "www.example.com", r));
        assert!(!san(&["www.example.com"], "example.com", r));
        assert!(!san(&["*.example.com"], "a.b.example.com", r));
        assert!(!san(&["*.example.com"], "example.com", r));
    }

    #[test]
    fn modern_wildcard_whole_left_most_label_of_three() {
        let r = ios(13);
        assert!(san(&["*.example.com"], "test.example.com", r));
        for partial in ["t*t.example.com", "tes*.example.com", "*est.example.com"] {
            assert!(!san(&[partial], "test.example.com", r), "{partial}");
        }
        assert!(!san(&["www.*.com"], "www.example.com", r));
        assert!(!san(&["*.*.example.com"], "a.b.example.com", r));
        assert!(!san(&["*.com"], "example.com", r));
        assert!(!san(&["foo.*"], "foo.com", r));
        assert!(!san(&["*"], "localhost", r));
    }

    #[test]
    fn modern_public_suffix_only_with_a_list() {
        let r = ios(13);
        assert!(san(&["*.co.uk"], "foo.co.uk", r));
        assert!(!san_psl(&["*.co.uk"], "foo.co.uk", r, &co_uk()));
        assert!(!san_psl(&["*.co.uk"], "FOO.CO.UK.", r, &co_uk()));
        assert!(san_psl(&["*.example.com"], "www.example.com", r, &co_uk()));
    }

    #[test]
    fn underscore_ios_14_vs_15() {
        for name in [
            "_acme.example.com",
            "foo_bar.example.com",
            "foo.ex_ample.com",
        ] {
            assert!(!san(&[name], name, ios(14)), "{name}");
            assert!(san(&[name], name, ios(15)), "{name}");
        }
        assert!(
            san(&["foo.a_"], "foo.a_", ios(15)),
            "`_` counts as a letter"
        );
        assert!(san(&["_a.example.com"], "_A.EXAMPLE.COM", ios(15)));
        assert!(
            san(&["*.example.com"], "a_b.example.com", ios(14)),
            "the host is not validated"
        );
    }

    // --- across eras --------------------------------------------------------------------------

    #[test]
    fn case_insensitive_in_every_era() {
        for r in [ios(6), ios(9), ios(10), ios(12), ios(13), ios(15)] {
            assert!(san(&["WWW.Example.COM"], "www.example.com", r));
            assert!(san(&["www.example.com"], "WWW.EXAMPLE.COM", r));
            assert!(san(&["*.EXAMPLE.com"], "Www.example.COM", r));
        }
    }

    #[test]
    fn trailing_dots() {
        for r in [ios(6), ios(9), ios(10), ios(12), ios(13)] {
            assert!(san(&["www.example.com"], "www.example.com.", r));
            assert!(san(&["*.example.com"], "www.example.com.", r));
            assert!(!san(&["www.example.com"], "www.example.com..", r));
            assert!(!san(&["www.example.com."], "www.example.com", r));
            assert!(!san(&[".example.com"], "www.example.com", r));
        }
        // iOS 6–9: a dotted SAN entry matches the same dotted host; iOS 10 → never.
        assert!(san(&["www.example.com."], "www.example.com.", ios(8)));
        assert!(san(&["foo.*"], "foo.com.", ios(8)));
        assert!(!san(&["foo.*"], "foo.", ios(13)));
        for r in [ios(10), ios(12), ios(13)] {
            assert!(!san(&["www.example.com."], "www.example.com.", r));
        }
    }

    #[test]
    fn no_idna_conversion() {
        for r in [ios(6), ios(10), ios(12), ios(13), ios(15)] {
            assert!(!san(
                &["xn--bcher-kva.example.com"],
                "bücher.example.com",
                r
            ));
            assert!(san(
                &["xn--bcher-kva.example.com"],
                "XN--BCHER-KVA.example.com",
                r
            ));
            assert!(!cn(&["bücher.example.com"], "bücher.example.com", r));
        }
        // Unfiltered ≤ 58286 SAN entries compare byte for byte; ASCII-only case folding.
        assert!(san(&["bücher.example.com"], "bücher.example.com", ios(12)));
        assert!(!san(&["BÜCHER.example.com"], "bücher.example.com", ios(12)));
        assert!(!san(&["bücher.example.com"], "bücher.example.com", ios(13)));
        // The current engine's wildcard matches any one host label.
        assert!(san(&["*.example.com"], "bücher.example.com", ios(13)));
        assert!(san(&["*.example.com"], ".example.com", ios(13)));
    }

    #[test]
    fn empty_host() {
        for r in [ios(10), ios(12), ios(13), ios(15)] {
            assert!(!san(&[""], "", r));
            assert!(!san(&["*"], "", r));
            assert!(!ip(&[&[0, 0, 0, 0]], "", r));
        }
        // The iOS 6–9 character matcher has no guard.
        assert!(san(&[""], "", ios(8)));
        assert!(san(&[""], "", ios(9)));
        assert!(san(&["*"], "", ios(8)));
        assert!(!san(&["*"], "", ios(9)));
        assert!(!san(&["example.com"], "", ios(8)));
    }

    #[test]
    fn suffix_set_matches_exactly_ignoring_case() {
        let set: SuffixSet = ["CO.UK.", "com"].into_iter().collect();
        assert!(set.is_public_suffix("co.uk"));
        assert!(set.is_public_suffix("Co.Uk."));
        assert!(!set.is_public_suffix("uk"));
        assert!(!set.is_public_suffix("example.co.uk"));
    }

    #[test]
    fn hostile_inputs_are_cheap() {
        let huge = "a".repeat(1 << 20);
        let huge_like_host = format!("www.example.com{huge}");
        let huge_stars = "*.".repeat(1 << 19);
        let names: Vec<&str> = [huge.as_str(), huge_like_host.as_str(), huge_stars.as_str()]
            .into_iter()
            .cycle()
            .take(3_000)
            .collect();
        let nine: &[u8] = &[9, 9, 9, 9];
        let ips = vec![nine; 3_000];
        let input = HostnameInput {
            dns_names: &names,
            ip_addresses: &ips,
            common_names: &[],
        };
        let cns = HostnameInput {
            dns_names: &[],
            ip_addresses: &[],
            common_names: &names,
        };
        let start = std::time::Instant::now();
        for r in [ios(8), ios(9), ios(10), ios(12), ios(13), ios(15)] {
            for host in ["www.example.com", "a.b.c.d.e.f.g.h", "1.2.3.4"] {
                assert!(!matches(&input, host, r, Some(&co_uk())));
                assert!(!matches(&cns, host, r, None));
            }
        }
        // A quadratic walk would take minutes; the length checks make this milliseconds.
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }
}
