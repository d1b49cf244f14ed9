//! Name-constraint rules over constructed inputs; PKITS 4.13.x scenarios mirror the real
//! certificates' names and subtrees.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc2985::PKCS_9_AT_EMAIL_ADDRESS as EMAIL;
use const_oid::db::rfc4519::{C, CN, O, OU};

use super::*;
use crate::certificate::Attribute;

fn dn(attributes: &[(ObjectIdentifier, &str)]) -> Name {
    Name::from_parts(
        Vec::new(),
        attributes
            .iter()
            .map(|(oid, value)| vec![attr(*oid, value)])
            .collect(),
    )
}

fn attr(oid: ObjectIdentifier, value: &str) -> Attribute {
    Attribute {
        oid,
        value: Some(value.to_owned()),
        raw: value.as_bytes().to_vec(),
    }
}

fn dns(s: &str) -> GeneralName {
    GeneralName::Dns(s.to_owned())
}

fn email(s: &str) -> GeneralName {
    GeneralName::Rfc822(s.to_owned())
}

fn uri(s: &str) -> GeneralName {
    GeneralName::Uri(s.to_owned())
}

fn ip(bytes: &[u8]) -> GeneralName {
    GeneralName::Ip(bytes.to_vec())
}

fn dir(attributes: &[(ObjectIdentifier, &str)]) -> GeneralName {
    GeneralName::Directory(dn(attributes))
}

/// A certificate as name-constraint processing sees it.
struct Cert {
    subject: Name,
    san: Option<Vec<GeneralName>>,
    nc: Option<NameConstraints>,
    self_issued: bool,
}

impl Cert {
    fn new(subject: Name) -> Self {
        Cert {
            subject,
            san: None,
            nc: None,
            self_issued: false,
        }
    }

    fn named(cn: &str) -> Self {
        Self::new(dn(&[(CN, cn)]))
    }

    fn san(mut self, names: Vec<GeneralName>) -> Self {
        self.san = Some(names);
        self
    }

    fn permit(mut self, names: Vec<GeneralName>) -> Self {
        self.nc.get_or_insert_default().permitted = Some(names);
        self
    }

    fn exclude(mut self, names: Vec<GeneralName>) -> Self {
        self.nc.get_or_insert_default().excluded = Some(names);
        self
    }

    fn self_issued(mut self) -> Self {
        self.self_issued = true;
        self
    }

    fn facts(&self) -> NameFacts<'_> {
        NameFacts {
            subject: &self.subject,
            san: self.san.as_deref(),
            constraints: self.nc.as_ref(),
            self_issued: self.self_issued,
        }
    }
}

fn check(path: &[Cert]) -> Vec<usize> {
    let facts: Vec<_> = path.iter().map(Cert::facts).collect();
    violations_in(&facts)
}

/// Leaf with an empty subject and one SAN entry under an anchor permitting `constraint`: is it
/// accepted?
fn permits(constraint: GeneralName, name: GeneralName) -> bool {
    check(&[
        Cert::new(dn(&[])).san(vec![name]),
        Cert::named("root").permit(vec![constraint]),
    ])
    .is_empty()
}

/// Leaf with an empty subject and one SAN entry under an anchor excluding `constraint`: is it
/// rejected?
fn excludes(constraint: GeneralName, name: GeneralName) -> bool {
    !check(&[
        Cert::new(dn(&[])).san(vec![name]),
        Cert::named("root").exclude(vec![constraint]),
    ])
    .is_empty()
}

// --- dNSName ---------------------------------------------------------------------------------

#[test]
fn dns_constraint_matches_the_name_and_every_subdomain() {
    assert!(permits(dns("example.com"), dns("example.com")));
    assert!(permits(dns("example.com"), dns("foo.bar.example.com")));
    assert!(!permits(dns("example.com"), dns("not-example.com")));
    assert!(!permits(dns("host.example.com"), dns("host1.example.com")));
    assert!(!permits(dns("example.com"), dns("com")));
}

#[test]
fn dns_constraint_with_leading_dot_matches_only_subdomains() {
    assert!(permits(dns(".example.com"), dns("foo.example.com")));
    assert!(!permits(dns(".example.com"), dns("example.com")));
    assert!(!permits(dns(".example.com"), dns("fooexample.com")));
}

#[test]
fn dns_comparison_ignores_ascii_case() {
    assert!(permits(dns("Example.COM"), dns("www.EXAMPLE.com")));
    assert!(excludes(dns("EXAMPLE.com"), dns("example.COM")));
}

#[test]
fn empty_dns_constraint_matches_every_name() {
    assert!(permits(dns(""), dns("anything.test")));
    assert!(excludes(dns(""), dns("anything.test")));
}

#[test]
fn dns_name_with_empty_label_lies_in_no_subtree() {
    // x509-limbo rfc5280::nc::nc-permits-invalid-dns-san.
    assert!(!permits(dns("example.com"), dns(".example.com")));
    assert!(!permits(dns("example.com"), dns("a..example.com")));
    assert!(!excludes(dns("example.com"), dns(".example.com")));
}

#[test]
fn one_trailing_dot_is_ignored_on_names_and_constraints() {
    assert!(permits(dns("example.com."), dns("www.example.com")));
    assert!(excludes(dns("example.com"), dns("www.example.com.")));
}

#[test]
fn wildcard_san_is_excluded_by_any_name_it_stands_for() {
    // x509-limbo cve::cve-2025-61727 and rfc5280::nc::nc-forbids-dnsname-wildcard-san.
    assert!(excludes(dns("bar.example.com"), dns("*.example.com")));
    assert!(excludes(dns("example.com"), dns("*.example.com")));
    assert!(!excludes(dns("a.bar.example.com"), dns("*.example.com")));
    assert!(!excludes(dns("bar.other.com"), dns("*.example.com")));
}

#[test]
fn wildcard_san_is_permitted_only_inside_a_subtree_holding_every_expansion() {
    // webpki::nc::nc-permits-dns-san-pattern; cve::cve-2025-61727-nc-permits-variant.
    assert!(permits(dns("example.com"), dns("*.example.com")));
    assert!(permits(dns(".example.com"), dns("*.example.com")));
    assert!(!permits(dns("foo.example.com"), dns("*.example.com")));
}

#[test]
fn wildcard_dns_constraint_is_literal() {
    // x509-limbo rfc5280::nc::invalid-dnsname-wildcard: permits nothing real.
    assert!(!permits(dns("*.example.com"), dns("foo.example.com")));
}

// --- rfc822Name ------------------------------------------------------------------------------

#[test]
fn rfc822_mailbox_constraint_matches_exactly_with_case_sensitive_local_part() {
    assert!(permits(email("foo@example.com"), email("foo@example.com")));
    assert!(permits(email("foo@example.com"), email("foo@EXAMPLE.com")));
    assert!(!permits(email("foo@example.com"), email("Foo@example.com")));
    assert!(!permits(email("foo@example.com"), email("bar@example.com")));
}

#[test]
fn rfc822_host_constraint_matches_every_mailbox_at_exactly_that_host() {
    assert!(permits(email("example.com"), email("anyone@Example.com")));
    assert!(!permits(
        email("example.com"),
        email("anyone@mail.example.com")
    ));
}

#[test]
fn rfc822_domain_constraint_matches_mailboxes_at_subdomains_only() {
    assert!(permits(email(".example.com"), email("a@mail.example.com")));
    assert!(!permits(email(".example.com"), email("a@example.com")));
}

#[test]
fn rfc822_asterisk_is_a_literal_character() {
    // x509-limbo rfc5280::nc::nc-permits-email-literal-*.
    assert!(permits(email("*@example.com"), email("*@example.com")));
    assert!(!permits(email("*@example.com"), email("user@example.com")));
    assert!(!permits(
        email("*@example.com"),
        email("*@subdomain.example.com")
    ));
    assert!(!permits(email("**@example.com"), email("*@example.com")));
    assert!(permits(
        email("user*@example.com"),
        email("user*@example.com")
    ));
}

#[test]
fn malformed_mailbox_lies_in_no_subtree() {
    // x509-limbo rfc5280::nc::nc-permits-invalid-email-san and invalid-email-address.
    assert!(!permits(
        email("example.com"),
        email("invalid@address@example.com")
    ));
    assert!(!permits(email("example.com"), email("no-at-sign")));
    assert!(!permits(
        email("invalid@invalid@example.com"),
        email("example@example.com")
    ));
}

#[test]
fn subject_email_address_is_checked_against_rfc822_constraints() {
    let leaf = Cert::new(dn(&[(CN, "leaf"), (EMAIL, "someone@elsewhere.test")])).san(vec![]);
    let root = Cert::named("root").permit(vec![email("example.com")]);
    assert_eq!(check(&[leaf, root]), [0]);
}

// --- iPAddress -------------------------------------------------------------------------------

const V4_NET: [u8; 8] = [192, 0, 2, 0, 255, 255, 255, 0];

#[test]
fn ipv4_constraint_matches_addresses_inside_the_network() {
    assert!(permits(ip(&V4_NET), ip(&[192, 0, 2, 1])));
    assert!(!permits(ip(&V4_NET), ip(&[192, 0, 3, 1])));
    assert!(excludes(ip(&V4_NET), ip(&[192, 0, 2, 200])));
}

#[test]
fn ipv6_constraint_matches_addresses_inside_the_network() {
    let mut loopback = [0u8; 32];
    loopback[15] = 1;
    loopback[16..].fill(0xff);
    let mut one = [0u8; 16];
    one[15] = 1;
    assert!(permits(ip(&loopback), ip(&one)));
    assert!(excludes(ip(&loopback), ip(&one)));
    one[15] = 2;
    assert!(!permits(ip(&loopback), ip(&one)));
}

#[test]
fn ipv4_and_ipv6_never_match_each_other() {
    let any_v6 = [0u8; 32];
    assert!(!permits(ip(&any_v6), ip(&[192, 0, 2, 1])));
    assert!(!permits(ip(&[0; 8]), ip(&[0; 16])));
}

#[test]
fn malformed_ip_constraint_fails_every_ip_name() {
    // x509-limbo rfc5280::nc::invalid-ipv4-address: an address without a mask.
    assert!(!permits(ip(&[127, 0, 0, 1]), ip(&[127, 0, 0, 1])));
    assert!(excludes(ip(&[10, 0, 0, 0]), ip(&[127, 0, 0, 1])));
    // Names of other forms are unaffected.
    assert!(permits(ip(&[127, 0, 0, 1]), dns("example.com")));
}

#[test]
fn ip_name_that_is_a_network_lies_in_no_subtree() {
    // x509-limbo rfc5280::nc::nc-permits-invalid-ip-san.
    assert!(!permits(ip(&V4_NET), ip(&V4_NET)));
}

// --- URI -------------------------------------------------------------------------------------

#[test]
fn uri_constraint_with_leading_dot_matches_hosts_in_subdomains() {
    assert!(permits(
        uri(".example.com"),
        uri("https://www.example.com/x")
    ));
    assert!(!permits(uri(".example.com"), uri("https://example.com/x")));
}

#[test]
fn uri_host_constraint_matches_exactly_that_host() {
    assert!(permits(
        uri("example.com"),
        uri("https://EXAMPLE.com:8443/path?q")
    ));
    assert!(permits(
        uri("example.com"),
        uri("ftp://user:pw@example.com/")
    ));
    assert!(!permits(
        uri("example.com"),
        uri("https://www.example.com/")
    ));
}

#[test]
fn uri_without_a_host_lies_in_no_subtree() {
    assert!(!permits(uri("example.com"), uri("urn:example.com")));
    assert!(!permits(uri("example.com"), uri("https://[2001:db8::1]/")));
    assert!(!excludes(uri("example.com"), uri("mailto:a@example.com")));
}

// --- directoryName ---------------------------------------------------------------------------

#[test]
fn directory_constraint_matches_names_it_prefixes() {
    let org = [(C, "US"), (O, "Example")];
    assert!(permits(
        dir(&org),
        dir(&[(C, "US"), (O, "Example"), (CN, "x")])
    ));
    assert!(permits(dir(&org), dir(&org)));
    assert!(!permits(dir(&org), dir(&[(C, "US")])));
    assert!(!permits(
        dir(&org),
        dir(&[(C, "US"), (O, "Other"), (CN, "x")])
    ));
}

#[test]
fn directory_values_compare_normalised() {
    assert!(permits(
        dir(&[(C, "US"), (O, "Test  Certificates ")]),
        dir(&[(C, "us"), (O, "test certificates"), (CN, "x")])
    ));
}

#[test]
fn directory_rdns_compare_as_sets() {
    let multi = |first: (ObjectIdentifier, &str), second: (ObjectIdentifier, &str)| {
        Name::from_parts(
            Vec::new(),
            vec![vec![attr(first.0, first.1), attr(second.0, second.1)]],
        )
    };
    let constraint = GeneralName::Directory(multi((C, "US"), (O, "Example")));
    let name = GeneralName::Directory(multi((O, "Example"), (C, "US")));
    assert!(permits(constraint, name));
}

#[test]
fn subject_dn_is_checked_and_san_directory_name_too() {
    // x509-limbo rfc5280::nc::permitted-dn-match-subject-san-mismatch / excluded-dn-match-sub-mismatch.
    let root = || Cert::named("root").permit(vec![dir(&[(CN, "foo")])]);
    let leaf = Cert::named("not-foo").san(vec![dir(&[(CN, "foo")])]);
    assert_eq!(check(&[leaf, root()]), [0]);
    let leaf = Cert::named("foo").san(vec![dir(&[(CN, "not-foo")])]);
    assert_eq!(check(&[leaf, root()]), [0]);
    let leaf = Cert::named("foo").san(vec![dir(&[(CN, "foo")])]);
    assert!(check(&[leaf, root()]).is_empty());
}

#[test]
fn empty_subject_is_not_checked() {
    let leaf = Cert::new(dn(&[])).san(vec![dns("example.com")]);
    let root = Cert::named("root").permit(vec![dir(&[(C, "US")])]);
    assert!(check(&[leaf, root]).is_empty());
}

// --- forms, subject CN, unsupported forms ----------------------------------------------------

#[test]
fn constraints_of_another_form_leave_a_name_alone() {
    // x509-limbo rfc5280::nc::permitted-different-constraint-type / excluded-...
    assert!(permits(ip(&V4_NET), dns("example.com")));
    assert!(!excludes(ip(&V4_NET), dns("example.com")));
}

#[test]
fn excluded_subtree_wins_over_permitted() {
    let root = Cert::named("root")
        .permit(vec![dns("example.com")])
        .exclude(vec![dns("example.com")]);
    assert_eq!(
        check(&[Cert::named("leaf").san(vec![dns("example.com")]), root]),
        [0]
    );
}

#[test]
fn every_san_entry_is_checked() {
    // x509-limbo rfc5280::nc::excluded-dns-match-second.
    let leaf = Cert::named("leaf").san(vec![dns("example.com"), dns("not-allowed.example.com")]);
    let root = Cert::named("root").exclude(vec![dns("not-allowed.example.com")]);
    assert_eq!(check(&[leaf, root]), [0]);
}

#[test]
fn dns_like_cn_is_checked_only_when_there_is_no_san_extension() {
    let root = || Cert::named("root").exclude(vec![dns("localhost")]);
    assert_eq!(check(&[Cert::named("test.localhost"), root()]), [0]);
    // BetterTLS: a SAN without dNSNames keeps the CN out of DNS constraints.
    let leaf = Cert::named("test.localhost").san(vec![ip(&[127, 0, 0, 1])]);
    assert!(check(&[leaf, root()]).is_empty());
    // A CN that is not a host name is never a DNS name.
    assert!(check(&[Cert::named("Local Host"), root()]).is_empty());
    assert!(check(&[Cert::named("127.0.0.1"), root()]).is_empty());
}

#[test]
fn unsupported_form_violates_only_when_the_certificate_has_such_a_name() {
    // x509-limbo rfc5280::nc::nc-forbids-othername / nc-forbids-othername-noop.
    let root = || {
        Cert::named("root")
            .permit(vec![dns("example.com")])
            .exclude(vec![GeneralName::Other(0)])
    };
    let with_other = Cert::named("leaf").san(vec![dns("example.com"), GeneralName::Other(0)]);
    assert_eq!(check(&[with_other, root()]), [0]);
    assert!(check(&[Cert::named("leaf").san(vec![dns("example.com")]), root()]).is_empty());
    // A different unsupported form is unconstrained.
    let registered_id = Cert::named("leaf").san(vec![dns("example.com"), GeneralName::Other(8)]);
    assert!(check(&[registered_id, root()]).is_empty());
    // Permitted subtrees of the form cannot be processed either.
    let root = Cert::named("root").permit(vec![GeneralName::Other(8)]);
    let registered_id = Cert::named("leaf").san(vec![GeneralName::Other(8)]);
    assert_eq!(check(&[registered_id, root]), [0]);
}

#[test]
fn empty_permitted_list_constrains_nothing() {
    let root = Cert::named("root").permit(vec![]);
    assert!(check(&[Cert::named("leaf").san(vec![dns("a.test")]), root]).is_empty());
}

// --- the path --------------------------------------------------------------------------------

#[test]
fn anchor_constraints_apply_and_a_certificate_is_not_bound_by_its_own() {
    let root = Cert::named("root")
        .san(vec![dns("outside.test")])
        .permit(vec![dns("example.com")]);
    let ica = Cert::named("ica")
        .san(vec![dns("ica.other.test")])
        .exclude(vec![dns("ica.other.test")]);
    let leaf = Cert::named("leaf").san(vec![dns("www.example.com")]);
    assert_eq!(check(&[leaf, ica, root]), [1]);
}

#[test]
fn permitted_subtrees_intersect_down_the_path() {
    // x509-limbo rfc5280::nc::restrictive-permits-in-intermediates-narrows / -widens.
    let both = || vec![dns("foo.example.com"), dns("bar.example.com")];
    let leaf = || Cert::named("leaf").san(vec![dns("foo.example.com")]);
    let narrows = [
        leaf(),
        Cert::named("ica2").permit(vec![dns("bar.example.com")]),
        Cert::named("ica1").permit(both()),
        Cert::named("root"),
    ];
    assert_eq!(check(&narrows), [0]);
    let widens = [
        leaf(),
        Cert::named("ica2").permit(both()),
        Cert::named("ica1").permit(vec![dns("bar.example.com")]),
        Cert::named("root"),
    ];
    assert_eq!(check(&widens), [0]);
}

#[test]
fn excluded_subtrees_accumulate_down_the_path() {
    let path = [
        Cert::named("leaf").san(vec![dns("a.example.com")]),
        Cert::named("ica").exclude(vec![dns("b.example.com")]),
        Cert::named("root").exclude(vec![dns("a.example.com")]),
    ];
    assert_eq!(check(&path), [0]);
}

#[test]
fn intermediates_names_are_constrained_and_indices_ascend() {
    // x509-limbo rfc5280::nc::intermediate-with-san-rejected-by-root-nc.
    let path = [
        Cert::named("leaf").san(vec![dns("forbidden.example.com")]),
        Cert::named("ica2").san(vec![dns("permitted.example.com")]),
        Cert::named("ica1").san(vec![dns("forbidden.example.com")]),
        Cert::named("root").exclude(vec![dns("forbidden.example.com")]),
    ];
    assert_eq!(check(&path), [0, 2]);
}

#[test]
fn self_issued_intermediate_is_exempt_but_its_constraints_apply() {
    // x509-limbo rfc5280::nc::permitted-self-issued.
    let path = [
        Cert::named("leaf").san(vec![dns("www.example.com"), dns("x.other.test")]),
        Cert::named("ica")
            .san(vec![dns("not-example.com")])
            .exclude(vec![dns("other.test")])
            .self_issued(),
        Cert::named("root").permit(vec![dns("example.com")]),
    ];
    assert_eq!(check(&path), [0]);
}

#[test]
fn self_issued_leaf_is_checked() {
    // x509-limbo rfc5280::nc::excluded-self-issued-leaf.
    let path = [
        Cert::named("leaf")
            .san(vec![dns("not-example.com")])
            .self_issued(),
        Cert::named("root").permit(vec![dns("example.com")]),
    ];
    assert_eq!(check(&path), [0]);
}

#[test]
fn path_without_constraints_has_no_violations() {
    assert!(
        check(&[
            Cert::named("leaf").san(vec![dns("x.test")]),
            Cert::named("root")
        ])
        .is_empty()
    );
    assert!(check(&[]).is_empty());
}

// --- the work bound --------------------------------------------------------------------------

fn many_dns(prefix: &str, count: usize) -> Vec<GeneralName> {
    (0..count)
        .map(|i| dns(&format!("{prefix}{i}.test")))
        .collect()
}

#[test]
fn names_times_subtrees_within_the_budget_are_compared() {
    // 1,024 names × 1,024 subtrees: exactly the budget, every name permitted.
    let root = Cert::named("root").permit(many_dns("t", 1024));
    let leaf = Cert::new(dn(&[])).san(many_dns("t", 1024));
    assert!(check(&[leaf, root]).is_empty());
}

#[test]
fn names_times_subtrees_beyond_the_budget_violate() {
    // Shaped like x509-limbo pathological::nc-dos-1: the names are all permitted.
    let root = Cert::named("root")
        .permit(many_dns("t", 2049))
        .exclude(many_dns("x", 2048));
    let leaf = Cert::named("t0.test").san(many_dns("t", 2048));
    assert_eq!(check(&[leaf, root]), [0]);
}

#[test]
fn the_budget_counts_subtrees_of_every_certificate_above() {
    let leaf = || Cert::new(dn(&[])).san(many_dns("t", 1024));
    let path = [
        leaf(),
        Cert::named("ica").permit(many_dns("t", 1024)),
        Cert::named("root").exclude(vec![dns("x.test")]),
    ];
    assert_eq!(check(&path), [0]);
}

// --- NIST PKITS 4.13 (constructed from the real certificates' names) --------------------------

const TC: &str = "Test Certificates 2011";

/// `C=US, O=Test Certificates 2011, [OU=…], CN=…`.
fn pkits(ous: &[&str], cn: &str) -> Name {
    let mut attributes = vec![(C, "US"), (O, TC)];
    attributes.extend(ous.iter().map(|ou| (OU, *ou)));
    attributes.push((CN, cn));
    dn(&attributes)
}

fn subtree(ous: &[&str]) -> GeneralName {
    let mut attributes = vec![(C, "US"), (O, TC)];
    attributes.extend(ous.iter().map(|ou| (OU, *ou)));
    dir(&attributes)
}

fn anchor() -> Cert {
    Cert::new(dn(&[(C, "US"), (O, TC), (CN, "Trust Anchor")])).self_issued()
}

fn dn1_ca() -> Cert {
    Cert::new(pkits(&[], "nameConstraints DN1 CA")).permit(vec![subtree(&["permittedSubtree1"])])
}

fn dn3_ca() -> Cert {
    Cert::new(pkits(&[], "nameConstraints DN3 CA")).exclude(vec![subtree(&["excludedSubtree1"])])
}

fn ee(ous: &[&str]) -> Cert {
    Cert::new(pkits(ous, "EE"))
}

/// Whether the PKITS-style path (leaf first, anchor appended) is free of violations.
fn valid(mut path: Vec<Cert>) -> bool {
    path.push(anchor());
    check(&path).is_empty()
}

#[test]
fn pkits_4_13_1_to_4_dn_permitted_subtree() {
    assert!(valid(vec![ee(&["permittedSubtree1"]), dn1_ca()]));
    assert!(!valid(vec![ee(&["excludedSubtree1"]), dn1_ca()]));
    let san_outside = ee(&["permittedSubtree1"]).san(vec![GeneralName::Directory(pkits(
        &["excludedSubtree1"],
        "EE",
    ))]);
    assert!(!valid(vec![san_outside, dn1_ca()]));
    let email_san = ee(&["permittedSubtree1"]).san(vec![email("a@testcertificates.gov")]);
    assert!(valid(vec![email_san, dn1_ca()]));
}

#[test]
fn pkits_4_13_5_dn_second_permitted_subtree() {
    let ca = Cert::new(pkits(&[], "nameConstraints DN2 CA")).permit(vec![
        subtree(&["permittedSubtree1"]),
        subtree(&["permittedSubtree2"]),
    ]);
    let leaf = ee(&["permittedSubtree1"]).san(vec![GeneralName::Directory(pkits(
        &["permittedSubtree2"],
        "EE",
    ))]);
    assert!(valid(vec![leaf, ca]));
}

#[test]
fn pkits_4_13_6_to_9_dn_excluded_subtrees() {
    assert!(valid(vec![ee(&["permittedSubtree1"]), dn3_ca()]));
    assert!(!valid(vec![ee(&["excludedSubtree1"]), dn3_ca()]));
    let dn4 = || {
        Cert::new(pkits(&[], "nameConstraints DN4 CA")).exclude(vec![
            subtree(&["excludedSubtree1"]),
            subtree(&["excludedSubtree2"]),
        ])
    };
    assert!(!valid(vec![ee(&["excludedSubtree1"]), dn4()]));
    assert!(!valid(vec![ee(&["excludedSubtree2"]), dn4()]));
}

#[test]
fn pkits_4_13_10_and_11_dn_excluded_inside_permitted() {
    let dn5 = || {
        Cert::new(pkits(&[], "nameConstraints DN5 CA"))
            .permit(vec![subtree(&["permittedSubtree1"])])
            .exclude(vec![subtree(&["permittedSubtree1", "excludedSubtree1"])])
    };
    assert!(!valid(vec![
        ee(&["permittedSubtree1", "excludedSubtree1"]),
        dn5()
    ]));
    assert!(valid(vec![
        ee(&["permittedSubtree1", "permittedSubtree2"]),
        dn5()
    ]));
}

#[test]
fn pkits_4_13_12_to_14_dn_subca_narrows_the_permitted_space() {
    let sub_ca1 = || {
        Cert::new(pkits(&["permittedSubtree1"], "nameConstraints DN1 subCA1"))
            .permit(vec![subtree(&["permittedSubtree1", "permittedSubtree2"])])
    };
    assert!(!valid(vec![
        ee(&["permittedSubtree1"]),
        sub_ca1(),
        dn1_ca()
    ]));
    let sub_ca2 = || {
        Cert::new(pkits(&["permittedSubtree1"], "nameConstraints DN1 subCA2"))
            .permit(vec![subtree(&["permittedSubtree2"])])
    };
    assert!(!valid(vec![
        ee(&["permittedSubtree1"]),
        sub_ca2(),
        dn1_ca()
    ]));
    // Test 14: an empty subject, so only the rfc822 SAN is checked (no rfc822 constraints).
    let empty_subject = Cert::new(dn(&[])).san(vec![email(
        "ValidDNnameConstraintsTest14EE@testcertificates.gov",
    )]);
    assert!(valid(vec![empty_subject, sub_ca2(), dn1_ca()]));
}

#[test]
fn pkits_4_13_15_to_18_dn_excluded_then_permitted() {
    let sub_ca1 = || {
        Cert::new(pkits(&[], "nameConstraints DN3 subCA1"))
            .exclude(vec![subtree(&["excludedSubtree2"])])
    };
    assert!(!valid(vec![ee(&["excludedSubtree1"]), sub_ca1(), dn3_ca()]));
    assert!(!valid(vec![ee(&["excludedSubtree2"]), sub_ca1(), dn3_ca()]));
    let sub_ca2 = || {
        Cert::new(pkits(&[], "nameConstraints DN3 subCA2")).permit(vec![dir(&[(C, "US"), (O, TC)])])
    };
    assert!(!valid(vec![ee(&["excludedSubtree1"]), sub_ca2(), dn3_ca()]));
    assert!(valid(vec![ee(&[]), sub_ca2(), dn3_ca()]));
}

#[test]
fn pkits_4_13_19_and_20_dn_self_issued() {
    let self_issued_ca = Cert::new(pkits(&[], "nameConstraints DN1 CA")).self_issued();
    assert!(valid(vec![
        ee(&["permittedSubtree1"]),
        self_issued_ca,
        dn1_ca()
    ]));
    let self_issued_ee = Cert::new(pkits(&[], "nameConstraints DN1 CA")).self_issued();
    assert!(!valid(vec![self_issued_ee, dn1_ca()]));
}

#[test]
fn pkits_4_13_21_to_26_rfc822() {
    let ca1 = || Cert::new(pkits(&[], "RFC822 CA1")).permit(vec![email(".testcertificates.gov")]);
    let ca2 = || Cert::new(pkits(&[], "RFC822 CA2")).permit(vec![email("testcertificates.gov")]);
    let ca3 = || Cert::new(pkits(&[], "RFC822 CA3")).exclude(vec![email("testcertificates.gov")]);
    let leaf = |address: &str| ee(&[]).san(vec![email(address)]);
    assert!(valid(vec![
        leaf("Test21EE@mailserver.testcertificates.gov"),
        ca1()
    ]));
    assert!(!valid(vec![leaf("Test22EE@testcertificates.gov"), ca1()]));
    assert!(valid(vec![leaf("Test23EE@testcertificates.gov"), ca2()]));
    assert!(!valid(vec![
        leaf("Test24EE@mailserver.testcertificates.gov"),
        ca2()
    ]));
    assert!(valid(vec![
        leaf("Test25EE@mailserver.testcertificates.gov"),
        ca3()
    ]));
    assert!(!valid(vec![leaf("Test26EE@testcertificates.gov"), ca3()]));
}

#[test]
fn pkits_4_13_27_to_29_dn_and_rfc822() {
    let sub_ca3 = || {
        Cert::new(pkits(&["permittedSubtree1"], "nameConstraints DN1 subCA3"))
            .permit(vec![email("testcertificates.gov")])
    };
    let leaf = ee(&["permittedSubtree1"]).san(vec![email("Test27EE@testcertificates.gov")]);
    assert!(valid(vec![leaf, sub_ca3(), dn1_ca()]));
    let leaf = ee(&["permittedSubtree1"]).san(vec![email("Test28EE@invalidcertificates.gov")]);
    assert!(!valid(vec![leaf, sub_ca3(), dn1_ca()]));
    // Test 29: the address is a subject emailAddress attribute, not a SAN.
    let subject = pkits(&["permittedSubtree1"], "EE");
    let mut rdns = subject.rdns().to_vec();
    rdns.push(vec![attr(EMAIL, "Test29EE@invalidcertificates.gov")]);
    let subject = Name::from_parts(subject.der().to_vec(), rdns);
    assert!(!valid(vec![Cert::new(subject), sub_ca3(), dn1_ca()]));
}

#[test]
fn pkits_4_13_30_to_33_and_38_dns() {
    let dns1 = || Cert::new(pkits(&[], "DNS1 CA")).permit(vec![dns("testcertificates.gov")]);
    let dns2 = || Cert::new(pkits(&[], "DNS2 CA")).exclude(vec![dns("invalidcertificates.gov")]);
    let leaf = |name: &str| ee(&[]).san(vec![dns(name)]);
    assert!(valid(vec![leaf("testserver.testcertificates.gov"), dns1()]));
    assert!(!valid(vec![
        leaf("testserver.invalidcertificates.gov"),
        dns1()
    ]));
    assert!(valid(vec![leaf("testserver.testcertificates.gov"), dns2()]));
    assert!(!valid(vec![leaf("invalidcertificates.gov"), dns2()]));
    assert!(!valid(vec![leaf("mytestcertificates.gov"), dns1()]));
}

#[test]
fn pkits_4_13_34_to_37_uri() {
    let uri1 = || Cert::new(pkits(&[], "URI1 CA")).permit(vec![uri(".testcertificates.gov")]);
    let uri2 = || Cert::new(pkits(&[], "URI2 CA")).exclude(vec![uri("invalidcertificates.gov")]);
    let leaf = |name: &str| ee(&[]).san(vec![uri(name)]);
    assert!(valid(vec![
        leaf("http://testserver.testcertificates.gov/index.html"),
        uri1()
    ]));
    assert!(!valid(vec![
        leaf("http://testcertificates.gov/invalid.html"),
        uri1()
    ]));
    assert!(valid(vec![
        leaf("http://testserver.invalidcertificates.gov/index.html"),
        uri2()
    ]));
    assert!(!valid(vec![
        leaf("ftp://invalidcertificates.gov:21/test37/"),
        uri2()
    ]));
}
