//! Whether one name lies inside one subtree, per name form (RFC 5280 §4.2.1.10).
//!
//! Every function answers for a name that is well formed; a malformed name (a dNSName with an
//! empty label, a mailbox without exactly one `@`, an address that is neither 4 nor 16 bytes, a
//! URI without a host) lies inside no subtree, so it fails every permitted subtree of its form
//! and matches no excluded one. x509-limbo `rfc5280::nc::nc-permits-invalid-*-san` pin that.

use const_oid::ObjectIdentifier;

use crate::certificate::Name;

/// The host of a dNSName with one trailing dot removed, or `None` when it is not a host name
/// (empty, or an empty label: `.example.com`, `a..b`).
fn dns_host(name: &str) -> Option<&str> {
    let host = name.strip_suffix('.').unwrap_or(name);
    (!host.is_empty() && host.split('.').all(|label| !label.is_empty())).then_some(host)
}

/// Whether `host` ends with `suffix`, ASCII case-insensitively.
fn ends_with_ignore_case(host: &str, suffix: &str) -> bool {
    host.len() >= suffix.len()
        && host.as_bytes()[host.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Host-style subtree matching, shared by dNSName and URI constraints: `.example.com` matches
/// strict subdomains only; `example.com` matches itself and, when `subdomains` is set, every
/// subdomain; an empty constraint matches every host.
fn host_within(host: &str, constraint: &str, subdomains: bool) -> bool {
    let constraint = constraint.strip_suffix('.').unwrap_or(constraint);
    if constraint.is_empty() {
        return true;
    }
    if constraint.starts_with('.') {
        return host.len() > constraint.len() && ends_with_ignore_case(host, constraint);
    }
    if host.eq_ignore_ascii_case(constraint) {
        return true;
    }
    subdomains
        && host.len() > constraint.len()
        && ends_with_ignore_case(host, constraint)
        && host.as_bytes()[host.len() - constraint.len() - 1] == b'.'
}

/// dNSName: `example.com` matches `example.com` and any subdomain; `.example.com` matches
/// subdomains only; comparison is case-insensitive; an empty constraint matches everything.
pub(super) fn dns_within(name: &str, constraint: &str) -> bool {
    if constraint.is_empty() {
        return true;
    }
    dns_host(name).is_some_and(|host| host_within(host, constraint, true))
}

/// dNSName against an excluded subtree: like [`dns_within`], and a wildcard name `*.rest`
/// also matches a constraint `label.rest`, because the wildcard stands for that name
/// (x509-limbo `cve::cve-2025-61727`: excluded `bar.example.com` forbids `*.example.com`).
pub(super) fn dns_may_match(name: &str, constraint: &str) -> bool {
    if dns_within(name, constraint) {
        return true;
    }
    let Some(rest) = dns_host(name).and_then(|host| host.strip_prefix("*.")) else {
        return false;
    };
    let constraint = constraint.strip_suffix('.').unwrap_or(constraint);
    constraint
        .split_once('.')
        .is_some_and(|(label, c_rest)| !label.is_empty() && c_rest.eq_ignore_ascii_case(rest))
}

/// The (local part, host) of a mailbox with exactly one `@` and both parts non-empty. A quoted
/// local part containing `@` counts as malformed: constraint matching never needs it.
fn mailbox(address: &str) -> Option<(&str, &str)> {
    let (local, host) = address.split_once('@')?;
    (!local.is_empty() && !host.is_empty() && !host.contains('@')).then_some((local, host))
}

/// rfc822Name: a full mailbox matches exactly (local part case-sensitive, host
/// case-insensitive); `host` matches any mailbox at exactly that host; `.domain` matches any
/// mailbox at a subdomain of `domain`. An empty constraint matches every mailbox. Characters
/// such as `*` are literal.
pub(super) fn rfc822_within(address: &str, constraint: &str) -> bool {
    if constraint.is_empty() {
        return true;
    }
    let Some((local, host)) = mailbox(address) else {
        return false;
    };
    match constraint.rsplit_once('@') {
        Some((c_local, c_host)) => c_local == local && c_host.eq_ignore_ascii_case(host),
        None => host_within(host, constraint, false),
    }
}

/// Whether an iPAddress constraint is well formed: address and mask, 8 (IPv4) or 32 (IPv6)
/// bytes.
pub(super) fn ip_constraint_ok(constraint: &[u8]) -> bool {
    matches!(constraint.len(), 8 | 32)
}

/// iPAddress: `address & mask == network & mask`. IPv4 names never match IPv6 constraints and
/// vice versa.
pub(super) fn ip_within(address: &[u8], constraint: &[u8]) -> bool {
    if !matches!(address.len(), 4 | 16) || constraint.len() != 2 * address.len() {
        return false;
    }
    let (network, mask) = constraint.split_at(address.len());
    address
        .iter()
        .zip(network)
        .zip(mask)
        .all(|((a, n), m)| a & m == n & m)
}

/// The host of a URI with an authority (`scheme://[userinfo@]host[:port]/…`). `None` for URIs
/// without an authority (`urn:`, `mailto:`), for IP literals and for malformed hosts: those
/// lie in no domain subtree.
fn uri_host(uri: &str) -> Option<&str> {
    let (scheme, rest) = uri.split_once(':')?;
    if scheme.is_empty() {
        return None;
    }
    let authority = rest.strip_prefix("//")?.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return None;
    }
    dns_host(host_port.split(':').next()?)
}

/// uniformResourceIdentifier: the URI's host against a host constraint — `.example.com`
/// matches subdomains only, `example.com` exactly that host (RFC 5280 §4.2.1.10); an empty
/// constraint matches every URI.
pub(super) fn uri_within(uri: &str, constraint: &str) -> bool {
    if constraint.is_empty() {
        return true;
    }
    uri_host(uri).is_some_and(|host| host_within(host, constraint, false))
}

/// An attribute value as compared: normalised text, or the raw DER when not a decodable string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Text(String),
    Raw(Vec<u8>),
}

/// A distinguished name prepared for subtree matching: RDNs in encoded order, each RDN's
/// attributes sorted so that RDNs compare as sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dn(Vec<Vec<(ObjectIdentifier, Value)>>);

impl Dn {
    /// Normalises string values as name chaining does (RFC 5280 §7.1): case-folded, leading and
    /// trailing white space removed, internal runs of white space collapsed.
    pub(super) fn new(name: &Name) -> Self {
        Dn(name
            .rdns()
            .iter()
            .map(|rdn| {
                let mut attributes: Vec<_> = rdn
                    .iter()
                    .map(|a| {
                        let value = match &a.value {
                            Some(text) => Value::Text(
                                text.split_whitespace()
                                    .collect::<Vec<_>>()
                                    .join(" ")
                                    .to_lowercase(),
                            ),
                            None => Value::Raw(a.raw.clone()),
                        };
                        (a.oid, value)
                    })
                    .collect();
                attributes.sort();
                attributes
            })
            .collect())
    }
}

/// directoryName: the constraint's RDN sequence is a prefix of the name's.
pub(super) fn dn_within(name: &Dn, constraint: &Dn) -> bool {
    constraint.0.len() <= name.0.len() && name.0.iter().zip(&constraint.0).all(|(a, b)| a == b)
}
