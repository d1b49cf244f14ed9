//! RFC 5280 §4.2.1.10 name constraints over a path, as Apple applies them (`apple-trust.md §4`).
//!
//! Every certificate is checked against the nameConstraints of every certificate above it, the
//! trust anchor's own included (`apple-trust.md §4`): permitted subtrees intersect down the path
//! (a name must lie inside a permitted subtree of its form in EACH certificate above that has
//! one), excluded subtrees accumulate (a name inside any of them fails) — RFC 5280 §6.1.3 (b),
//! (c) and §6.1.4 (g). Names checked per certificate: the subject DN unless empty
//! (directoryName), subject emailAddress attributes (rfc822Name), and every subjectAltName
//! dNSName, rfc822Name, iPAddress, uniformResourceIdentifier and directoryName. A self-issued
//! certificate other than the leaf is not checked at all (RFC 5280 §6.1.3 (b): "unless the
//! certificate is self-issued and not the final certificate"); its own constraints still apply
//! below it. Matching rules per form are in the `matching` submodule.
//!
//! Decisions where neither `apple-trust.md` nor RFC 5280 settles the question:
//! - **Unsupported forms** (otherName, x400Address, ediPartyName, registeredID). A constraint of
//!   such a form is ignored unless a checked certificate carries a subjectAltName of the same
//!   form; then that certificate violates, whether the subtree is permitted or excluded and
//!   whatever the extension's critical flag. That is RFC 5280's "process the constraint or
//!   reject the certificate", applied only to name forms that actually appear (x509-limbo
//!   `rfc5280::nc::nc-forbids-othername` / `-noop`). The critical flag is not consulted: CAs
//!   may mark nameConstraints non-critical (CA/B Forum), and applying them anyway fails safe.
//! - **Malformed constraints**: an iPAddress constraint that is not 8 or 32 bytes (address and
//!   mask) makes every iPAddress name of a checked certificate a violation (it can be neither
//!   honoured nor safely skipped). Other forms are compared literally: a wildcard dNSName
//!   constraint `*.example.com` permits nothing real and excludes only a literal
//!   `*.example.com`; a leading-dot dNSName constraint `.example.com` is read as "subdomains
//!   only" (as for URIs) rather than rejected as malformed (x509-limbo
//!   `rfc5280::nc::invalid-dnsname-leading-period` expects a rejection).
//! - **Malformed names** (a dNSName with an empty label, a mailbox without exactly one `@`, an
//!   iPAddress that is not 4 or 16 bytes, a URI without a host) lie in no subtree: they fail
//!   any permitted subtree of their form and match no excluded one.
//! - **Wildcard dNSNames** (`*.example.com`) are permitted only by a subtree holding every
//!   expansion, and excluded by any subtree holding one (x509-limbo `cve::cve-2025-61727`).
//! - **Subject CN**: when a certificate has NO subjectAltName extension at all, every subject
//!   commonName that looks like a DNS host name (see `looks_like_dns_name`) is also checked
//!   against dNSName constraints, because the engines before iOS 13 matched hostnames against
//!   the CN in that case (`platforms.md`) and a CN must not smuggle a name past a constraint.
//!   When a subjectAltName is present — even one without dNSNames — the CN is never a DNS name
//!   (the current engine matches SAN entries only, `apple-trust.md §6`); BetterTLS expects a
//!   CN-named leaf with only an IP SAN to pass an excluded dNSName subtree. (The old engines'
//!   CN fallback also applied to a SAN without dNSNames, `platforms.md`; that narrow case is
//!   left unchecked here.)
//! - **Criticality** is ignored, as said above, and an empty permitted list of a form
//!   constrains nothing of that form.
//! - **Work bound**: see [`MAX_NAME_COMPARISONS`].

mod matching;
#[cfg(test)]
mod tests;

use crate::certificate::{Certificate, GeneralName, Name, NameConstraints};
use matching::Dn;

/// The most (name, subtree) pairs considered for one certificate: 1,024 names × 1,024
/// subtrees. A certificate whose names times the subtrees above it exceed this is reported as
/// violating without comparing anything (fail closed).
///
/// Why this number: real certificates stay far below it (a large multi-domain certificate has a
/// few hundred names, a constrained CA a few dozen subtrees, so ~10⁴ pairs), while x509-limbo's
/// `pathological::nc-dos-*` chains (2,048 names against 4,097 subtrees, 8 M pairs, taken from
/// OpenSSL's quadratic-blowup report) are rejected at once instead of costing seconds. Each
/// comparison is linear in the shorter of the two names, which the certificate size bounds.
pub const MAX_NAME_COMPARISONS: usize = 1024 * 1024;

/// Checks every certificate of `path` (leaf first, anchor last) against the name constraints of
/// the certificates above it (the anchor's own constraints included). Returns the indices of
/// the certificates whose names violate a constraint, in ascending order.
///
/// RFC 5280 §4.2.1.10 and §6.1.3 (b)–(c); Apple's `NameConstraints` check
/// (`apple-trust.md §2, §4`). The module documentation lists the decisions taken where the
/// RFC leaves room.
pub fn violations(path: &[Certificate]) -> Vec<usize> {
    let facts: Vec<NameFacts<'_>> = path.iter().map(NameFacts::of).collect();
    violations_in(&facts)
}

/// What name-constraint processing reads from one certificate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameFacts<'a> {
    /// The subject DN.
    pub(crate) subject: &'a Name,
    /// The subjectAltName entries (`None`: no subjectAltName extension).
    pub(crate) san: Option<&'a [GeneralName]>,
    /// The certificate's own nameConstraints.
    pub(crate) constraints: Option<&'a NameConstraints>,
    /// Whether subject and issuer match.
    pub(crate) self_issued: bool,
}

impl<'a> NameFacts<'a> {
    /// Reads the facts off a parsed certificate.
    pub(crate) fn of(cert: &'a Certificate) -> Self {
        let extensions = cert.extensions();
        NameFacts {
            subject: cert.subject(),
            san: extensions.subject_alt_name.as_ref().map(|s| &s.names[..]),
            constraints: extensions.name_constraints.as_ref(),
            self_issued: cert.is_self_issued(),
        }
    }
}

/// The engine behind [`violations`], over plain per-certificate facts (leaf first).
pub(crate) fn violations_in(path: &[NameFacts<'_>]) -> Vec<usize> {
    let compiled: Vec<Option<Constraints<'_>>> = path
        .iter()
        .map(|c| c.constraints.map(Constraints::new))
        .collect();
    (0..path.len())
        .filter(|&i| {
            // RFC 5280 §6.1.3 (b)/(c): self-issued certificates are exempt unless final.
            if i > 0 && path[i].self_issued {
                return false;
            }
            let above: Vec<&Constraints<'_>> = compiled[i + 1..].iter().flatten().collect();
            !above.is_empty() && violates(&path[i], &above)
        })
        .collect()
}

/// Whether any name of `cert` falls outside the constraints of a certificate above it.
fn violates(cert: &NameFacts<'_>, above: &[&Constraints<'_>]) -> bool {
    let names = names_of(cert);
    let subtrees: usize = above.iter().map(|c| c.count).sum();
    if names.len().saturating_mul(subtrees) > MAX_NAME_COMPARISONS {
        return true;
    }
    names
        .iter()
        .any(|name| above.iter().any(|c| !c.admits(name)))
}

/// One name of a certificate, by the form of constraint that governs it.
#[derive(Debug)]
enum Subject<'a> {
    Dns(&'a str),
    Rfc822(&'a str),
    Ip(&'a [u8]),
    Uri(&'a str),
    Directory(Dn),
    /// A subjectAltName form this module cannot process, by context tag.
    Unsupported(u8),
}

/// Every name of `cert` that name constraints apply to (see the module documentation).
fn names_of<'a>(cert: &NameFacts<'a>) -> Vec<Subject<'a>> {
    let mut names = Vec::new();
    if !cert.subject.is_empty() {
        names.push(Subject::Directory(Dn::new(cert.subject)));
    }
    names.extend(cert.subject.email_addresses().map(Subject::Rfc822));
    match cert.san {
        Some(san) => names.extend(san.iter().map(|name| match name {
            GeneralName::Dns(s) => Subject::Dns(s),
            GeneralName::Rfc822(s) => Subject::Rfc822(s),
            GeneralName::Ip(a) => Subject::Ip(a),
            GeneralName::Uri(s) => Subject::Uri(s),
            GeneralName::Directory(n) => Subject::Directory(Dn::new(n)),
            GeneralName::Other(tag) => Subject::Unsupported(*tag),
        })),
        None => names.extend(
            cert.subject
                .common_names()
                .filter(|cn| looks_like_dns_name(cn))
                .map(Subject::Dns),
        ),
    }
    names
}

/// Whether a commonName reads as a DNS host name: at least two labels of letters, digits, `-`,
/// `_` or `*`, no empty label, and a rightmost label with a letter (so IPv4 text is not one).
fn looks_like_dns_name(cn: &str) -> bool {
    let labels: Vec<&str> = cn.strip_suffix('.').unwrap_or(cn).split('.').collect();
    labels.len() >= 2
        && cn.len() <= 255
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'*'))
        })
        && labels
            .last()
            .is_some_and(|l| l.bytes().any(|b| b.is_ascii_alphabetic()))
}

/// The subtrees of one form.
#[derive(Debug, Default)]
struct Subtrees<'a> {
    dns: Vec<&'a str>,
    rfc822: Vec<&'a str>,
    ip: Vec<&'a [u8]>,
    uri: Vec<&'a str>,
    directory: Vec<Dn>,
    /// Context tags of unsupported forms present.
    unsupported: Vec<u8>,
}

impl<'a> Subtrees<'a> {
    /// Sorts `names` by form; returns the subtrees and whether an iPAddress subtree was
    /// malformed (such subtrees are left out).
    fn new(names: &'a [GeneralName]) -> (Self, bool) {
        let mut subtrees = Subtrees::default();
        let mut malformed_ip = false;
        for name in names {
            match name {
                GeneralName::Dns(s) => subtrees.dns.push(s),
                GeneralName::Rfc822(s) => subtrees.rfc822.push(s),
                GeneralName::Ip(a) if matching::ip_constraint_ok(a) => subtrees.ip.push(a),
                GeneralName::Ip(_) => malformed_ip = true,
                GeneralName::Uri(s) => subtrees.uri.push(s),
                GeneralName::Directory(n) => subtrees.directory.push(Dn::new(n)),
                GeneralName::Other(tag) => subtrees.unsupported.push(*tag),
            }
        }
        (subtrees, malformed_ip)
    }
}

/// One certificate's nameConstraints, prepared for matching.
#[derive(Debug)]
struct Constraints<'a> {
    permitted: Option<Subtrees<'a>>,
    excluded: Subtrees<'a>,
    /// Some iPAddress subtree is malformed: every iPAddress name violates.
    malformed_ip: bool,
    /// How many subtrees there are, all forms (the per-name cost for the work bound).
    count: usize,
}

impl<'a> Constraints<'a> {
    fn new(nc: &'a NameConstraints) -> Self {
        let (permitted, bad_permitted) = match nc.permitted.as_deref() {
            Some(names) => {
                let (subtrees, bad) = Subtrees::new(names);
                (Some(subtrees), bad)
            }
            None => (None, false),
        };
        let (excluded, bad_excluded) = Subtrees::new(nc.excluded.as_deref().unwrap_or(&[]));
        Constraints {
            permitted,
            excluded,
            malformed_ip: bad_permitted || bad_excluded,
            count: nc.permitted.as_ref().map_or(0, Vec::len)
                + nc.excluded.as_ref().map_or(0, Vec::len),
        }
    }

    /// Whether `name` satisfies these constraints: inside some permitted subtree of its form
    /// (when there is one) and inside no excluded subtree.
    fn admits(&self, name: &Subject<'_>) -> bool {
        match name {
            Subject::Dns(n) => self.form(
                |s| &s.dns,
                |c| matching::dns_within(n, c),
                |c| matching::dns_may_match(n, c),
            ),
            Subject::Rfc822(n) => self.form_same(|s| &s.rfc822, |c| matching::rfc822_within(n, c)),
            Subject::Ip(a) => {
                !self.malformed_ip && self.form_same(|s| &s.ip, |c| matching::ip_within(a, c))
            }
            Subject::Uri(u) => self.form_same(|s| &s.uri, |c| matching::uri_within(u, c)),
            Subject::Directory(dn) => {
                self.form_same(|s| &s.directory, |c| matching::dn_within(dn, c))
            }
            // A form this module cannot process fails wherever it is constrained.
            Subject::Unsupported(tag) => {
                let constrained = |s: &Subtrees<'_>| s.unsupported.contains(tag);
                !self.permitted.as_ref().is_some_and(constrained) && !constrained(&self.excluded)
            }
        }
    }

    /// The permitted/excluded rule for the form `subtrees` selects: when permitted subtrees of
    /// the form exist the name must be `inside` one of them, and it must `hit` no excluded one.
    fn form<T>(
        &self,
        subtrees: for<'s> fn(&'s Subtrees<'a>) -> &'s [T],
        inside: impl Fn(&T) -> bool,
        hit: impl Fn(&T) -> bool,
    ) -> bool {
        let permitted_ok = self.permitted.as_ref().is_none_or(|p| {
            let p = subtrees(p);
            p.is_empty() || p.iter().any(inside)
        });
        permitted_ok && !subtrees(&self.excluded).iter().any(hit)
    }

    /// [`Constraints::form`] where one test serves permitted and excluded subtrees.
    fn form_same<T>(
        &self,
        subtrees: for<'s> fn(&'s Subtrees<'a>) -> &'s [T],
        matches: impl Fn(&T) -> bool,
    ) -> bool {
        self.form(subtrees, &matches, &matches)
    }
}
