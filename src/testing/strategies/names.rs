//! Names for generated certificates: SAN entries of every kind, DNS names with wildcards and
//! odd labels, name constraints, and hosts related or unrelated to a SAN.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use crate::testing::CertBuilder;

/// One subjectAltName entry (RFC 5280 §4.2.1.6), as data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SanEntry {
    /// dNSName, written as given (valid or not).
    Dns(String),
    /// iPAddress (4 or 16 bytes).
    Ip(IpAddr),
    /// rfc822Name.
    Email(String),
    /// uniformResourceIdentifier.
    Uri(String),
    /// directoryName, an RFC 4514 string.
    Dir(String),
}

impl SanEntry {
    /// Adds this entry to `builder`'s SAN.
    pub fn apply(&self, builder: CertBuilder) -> CertBuilder {
        match self {
            SanEntry::Dns(name) => builder.dns(name),
            SanEntry::Ip(ip) => builder.ip(*ip),
            SanEntry::Email(address) => builder.email(address),
            SanEntry::Uri(uri) => builder.uri(uri),
            SanEntry::Dir(name) => builder.san_dir(name),
        }
    }
}

/// Ordinary labels, drawn most of the time.
const LABELS: &[&str] = &["www", "api", "mail", "a", "b", "x-y", "host1", "Www"];
/// Odd labels: IDNA, underscore, leading/trailing hyphen, mixed case, digits only, non-ASCII,
/// empty, and wildcards in odd places.
const ODD_LABELS: &[&str] = &[
    "xn--bcher-kva",
    "_srv",
    "-lead",
    "trail-",
    "MiXeD",
    "123",
    "a_b",
    "bücher",
    "",
    "*",
    "f*",
    "*x",
    "a b",
];
/// Registrable domains and suffixes the labels are put under.
const BASES: &[&str] = &[
    "example.com",
    "example.org",
    "sub.example.com",
    "co.uk",
    "com",
    "localhost",
    "test",
];

/// A DNS name as it may appear in a SAN or a request: mostly `label.example.com`, sometimes
/// with a wildcard (`*.`, `f*.`, `*.*.`), an odd label (see the source), a 63- or 64-octet
/// label, or a trailing dot.
pub fn dns_name() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        10 => select(LABELS).prop_map(str::to_owned),
        3 => select(ODD_LABELS).prop_map(str::to_owned),
        1 => select(vec![63usize, 64]).prop_map(|n| "l".repeat(n)),
    ];
    let wildcard = prop_oneof![
        8 => Just(""),
        4 => Just("*."),
        1 => Just("f*."),
        1 => Just("*.*."),
    ];
    let trailing_dot = prop_oneof![9 => Just(""), 1 => Just(".")];
    (wildcard, vec(label, 0..3), select(BASES), trailing_dot).prop_map(
        |(wildcard, labels, base, dot)| {
            let mut name = wildcard.to_owned();
            for label in labels {
                name.push_str(&label);
                name.push('.');
            }
            name.push_str(base);
            name.push_str(dot);
            name
        },
    )
}

/// An ordinary host name: one usual label under `example.com`, `example.org` or
/// `sub.example.com`.
pub(super) fn ordinary_dns_name() -> impl Strategy<Value = String> {
    (
        select(&LABELS[..7]),
        select(vec!["example.com", "example.org", "sub.example.com"]),
    )
        .prop_map(|(label, base)| format!("{label}.{base}"))
}

/// An IPv4 or IPv6 address: a few well-known ones or any.
fn ip_address() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        3 => select(vec![
            IpAddr::V4(Ipv4Addr::new(1, 2, 3, 4)),
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
            IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0xabcd, 0, 0, 0, 0xef, 1)),
        ]),
        1 => any::<[u8; 4]>().prop_map(|b| IpAddr::V4(b.into())),
        1 => any::<[u8; 16]>().prop_map(|b| IpAddr::V6(b.into())),
    ]
}

/// One SAN entry of any kind: mostly dNSNames, then IP addresses, rfc822Names, URIs and
/// directoryNames.
pub fn san_entry() -> impl Strategy<Value = SanEntry> {
    prop_oneof![
        8 => dns_name().prop_map(SanEntry::Dns),
        3 => ip_address().prop_map(SanEntry::Ip),
        1 => select(vec!["user@example.com", "admin@sub.example.com", "@example.org", "x"])
            .prop_map(|s| SanEntry::Email(s.to_owned())),
        1 => select(vec!["https://www.example.com/path", "ldap://example.org", "urn:x"])
            .prop_map(|s| SanEntry::Uri(s.to_owned())),
        1 => select(vec!["CN=Dir,O=Example", "O=Elsewhere,C=US"])
            .prop_map(|s| SanEntry::Dir(s.to_owned())),
    ]
}

/// A SAN of 0 to `max - 1` entries (0: no SAN extension).
pub fn san_list(max: usize) -> impl Strategy<Value = Vec<SanEntry>> {
    vec(san_entry(), 0..max.max(1))
}

/// One name-constraint subtree (RFC 5280 §4.2.1.10), as the builder writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subtree {
    /// dNSName subtree (`example.com`, `.example.com`, …).
    Dns(String),
    /// iPAddress range in CIDR form.
    Ip(String),
    /// rfc822Name constraint.
    Email(String),
    /// uniformResourceIdentifier host constraint.
    Uri(String),
    /// directoryName subtree (RFC 4514).
    Dir(String),
}

/// nameConstraints as data: empty lists write no extension.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NameConstraintsSpec {
    /// permittedSubtrees.
    pub permitted: Vec<Subtree>,
    /// excludedSubtrees.
    pub excluded: Vec<Subtree>,
}

impl NameConstraintsSpec {
    /// Adds the constraints to `builder`.
    pub fn apply(&self, mut builder: CertBuilder) -> CertBuilder {
        for (permit, subtree) in self
            .permitted
            .iter()
            .map(|s| (true, s))
            .chain(self.excluded.iter().map(|s| (false, s)))
        {
            builder = match (permit, subtree) {
                (true, Subtree::Dns(s)) => builder.permitted_dns(s),
                (false, Subtree::Dns(s)) => builder.excluded_dns(s),
                (true, Subtree::Ip(s)) => builder.permitted_ip(s),
                (false, Subtree::Ip(s)) => builder.excluded_ip(s),
                (true, Subtree::Email(s)) => builder.permitted_email(s),
                (false, Subtree::Email(s)) => builder.excluded_email(s),
                (true, Subtree::Uri(s)) => builder.permitted_uri(s),
                (false, Subtree::Uri(s)) => builder.excluded_uri(s),
                (true, Subtree::Dir(s)) => builder.permitted_dir(s),
                (false, Subtree::Dir(s)) => builder.excluded_dir(s),
            };
        }
        builder
    }

    /// Whether there is no constraint.
    pub fn is_empty(&self) -> bool {
        self.permitted.is_empty() && self.excluded.is_empty()
    }
}

/// A subtree drawn from the same pools as the SAN entries, so it often (not always) covers the
/// leaf's names.
fn subtree() -> impl Strategy<Value = Subtree> {
    prop_oneof![
        6 => select(vec!["example.com", ".example.com", "sub.example.com", "example.org", "com", ""])
            .prop_map(|s| Subtree::Dns(s.to_owned())),
        2 => select(vec!["10.0.0.0/8", "1.2.3.0/24", "2001:db8::/32", "0.0.0.0/0", "::/0"])
            .prop_map(|s| Subtree::Ip(s.to_owned())),
        1 => select(vec!["example.com", ".example.com", "user@example.com"])
            .prop_map(|s| Subtree::Email(s.to_owned())),
        1 => select(vec!["example.com", ".example.org"]).prop_map(|s| Subtree::Uri(s.to_owned())),
        1 => select(vec!["O=sectrust proptest", "O=Example"]).prop_map(|s| Subtree::Dir(s.to_owned())),
    ]
}

/// nameConstraints for a CA: up to two permitted and one excluded subtree (possibly none).
pub(super) fn name_constraints() -> impl Strategy<Value = NameConstraintsSpec> {
    (vec(subtree(), 0..3), vec(subtree(), 0..2)).prop_map(|(permitted, excluded)| {
        NameConstraintsSpec {
            permitted,
            excluded,
        }
    })
}

/// Hosts to request for a leaf with this SAN and subject CN: its exact dNSNames, names under
/// its wildcards (and the wildcard's parent, which must not match), a deeper subdomain, its IP
/// addresses in text form (IPv6 compressed and fully expanded), the CN, and names unrelated
/// to any of them (including the empty host). Deterministic, never empty.
pub fn host_candidates(san: &[SanEntry], cn: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for entry in san {
        match entry {
            SanEntry::Dns(name) => {
                if let Some(parent) = name.strip_prefix("*.") {
                    out.push(format!("www.{parent}"));
                    out.push(parent.to_owned());
                } else if name.contains('*') {
                    out.push(name.replace('*', "x"));
                } else {
                    out.push(name.clone());
                    out.push(format!("deeper.{name}"));
                }
            }
            SanEntry::Ip(ip) => {
                out.push(ip.to_string());
                if let IpAddr::V6(v6) = ip {
                    let groups: Vec<String> =
                        v6.segments().iter().map(|g| format!("{g:04x}")).collect();
                    out.push(groups.join(":"));
                }
            }
            SanEntry::Email(_) | SanEntry::Uri(_) | SanEntry::Dir(_) => {}
        }
    }
    out.extend(cn.map(str::to_owned));
    out.extend(["unrelated.example.net", "example.com", ""].map(str::to_owned));
    out.dedup();
    out
}
