//! SSLHostname through the whole SSL policy (`apple-trust.md §6` "Hostname matching";
//! platforms.md "SSL / TLS across versions"): the CN fallback up to iOS 12, wildcards by era,
//! IP hosts, client names — on generated chains, at the release boundaries.

mod common;

use std::net::IpAddr;

use common::ssl::*;
use sectrust::anchors::allowed_error;
use sectrust::testing::{CertBuilder, Issued, oids};
use sectrust::{Check, Ssl, TrustSetting, TrustSettingResult, UsageConstraint};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn cn_only_leaf_matches_by_cn_on_ios_12_and_fails_on_ios_13() {
    let cas = Cas::new();
    let l = cas.leaf().no_san().build();
    assert!(l.cert.extensions().subject_alt_name.is_none());
    for platform in ["ios-12.0", "ios-12.5", "macos-10.14"] {
        ok(&cas.app(platform, &l), U);
    }
    for platform in ["ios-13.0", "ios-16.0", "latest", "macos-10.15"] {
        fails_one(
            &cas.app(platform, &l),
            (0, "SSLHostname"),
            HOSTNAME_MISMATCH,
            &name_mismatch(HOST),
        );
    }
    // Another host never matched the CN, even on iOS 12.
    fails_one(
        &cas.eval(
            "ios-12.0",
            &Ssl::server("mail.example.com"),
            Anchor::App,
            &l,
        ),
        (0, "SSLHostname"),
        HOSTNAME_MISMATCH,
        &name_mismatch(HOST),
    );
}

#[test]
fn ios_12_ignores_the_cn_when_the_san_has_a_dns_name() {
    let cas = Cas::new();
    // SAN dNSName other.example.com, CN www.example.com: the CN is not consulted.
    let l = cas.leaf().no_san().dns("other.example.com").build();
    for platform in ["ios-12.0", "ios-13.0"] {
        fails_one(
            &cas.app(platform, &l),
            (0, "SSLHostname"),
            HOSTNAME_MISMATCH,
            &name_mismatch(HOST),
        );
    }
    // A SAN without any dNSName (an rfc822Name only) still lets iOS 12 fall back to the CN.
    let l = cas.leaf().no_san().email("admin@example.com").build();
    ok(&cas.app("ios-12.0", &l), U);
    fails_one(
        &cas.app("ios-13.0", &l),
        (0, "SSLHostname"),
        HOSTNAME_MISMATCH,
        &name_mismatch(HOST),
    );
}

/// Whether a leaf whose only SAN dNSName is `name` matches `host` on `platform`; a mismatch
/// must be exactly SSLHostname with Apple's name message.
fn wildcard_matches(platform: &str, name: &str, host: &str) -> bool {
    let cas = Cas::new();
    let l = CertBuilder::new(&format!("CN={name}"))
        .issued_by(&cas.inter)
        .dns(name)
        .eku(&[oids::server_auth()])
        .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
        .build();
    let v = cas.eval(platform, &Ssl::server(host), Anchor::App, &l);
    if v.is_trusted() {
        ok(&v, U);
        true
    } else {
        fails_one(
            &v,
            (0, "SSLHostname"),
            HOSTNAME_MISMATCH,
            &name_mismatch(name),
        );
        false
    }
}

#[test]
fn wildcards_on_ios_8_9_10_and_13() {
    // (SAN dNSName, host, [iOS 8, iOS 9, iOS 10, iOS 13])
    let table: &[(&str, &str, [bool; 4])] = &[
        // A whole left-most label: every era.
        ("*.example.com", "foo.example.com", [true, true, true, true]),
        ("*.EXAMPLE.com", "Foo.Example.COM", [true, true, true, true]),
        // The wildcard never spans labels, nor matches the bare domain.
        (
            "*.example.com",
            "a.b.example.com",
            [false, false, false, false],
        ),
        ("*.example.com", "example.com", [false, false, false, false]),
        // Partial-label wildcard: the character matcher (iOS 6–9) only.
        (
            "f*.example.com",
            "foo.example.com",
            [true, true, false, false],
        ),
        (
            "f*.example.com",
            "f.example.com",
            [true, true, false, false],
        ),
        (
            "f*.example.com",
            "bar.example.com",
            [false, false, false, false],
        ),
        // Over a TLD: iOS 6–8 only (iOS 9 rejects `*.tld`, iOS 10 needs three labels).
        ("*.com", "example.com", [true, false, false, false]),
    ];
    let platforms = ["ios-8.0", "ios-9.0", "ios-10.0", "ios-13.0"];
    for (name, host, expected) in table {
        for (platform, want) in platforms.iter().zip(expected) {
            assert_eq!(
                wildcard_matches(platform, name, host),
                *want,
                "{name} vs {host} on {platform}"
            );
        }
    }
}

#[test]
fn ip_host_in_san_ip_address_matches_in_every_era() {
    let cas = Cas::new();
    let l = cas.leaf().no_san().ip(ip("192.0.2.1")).build();
    for platform in ["ios-12.0", "ios-13.0", "latest"] {
        ok(
            &cas.eval(platform, &Ssl::server("192.0.2.1"), Anchor::App, &l),
            U,
        );
    }
    // Another address never matches.
    fails_one(
        &cas.eval("latest", &Ssl::server("192.0.2.2"), Anchor::App, &l),
        (0, "SSLHostname"),
        HOSTNAME_MISMATCH,
        &name_mismatch(HOST),
    );
}

#[test]
fn ip_host_in_a_dns_name_or_the_cn_matches_only_up_to_ios_12() {
    let cas = Cas::new();
    let in_dns_name = cas.leaf().no_san().dns("192.0.2.1").build();
    let in_cn = CertBuilder::new("CN=192.0.2.1")
        .issued_by(&cas.inter)
        .eku(&[oids::server_auth()])
        .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
        .build();
    let host = Ssl::server("192.0.2.1");
    for (l, summary) in [(&in_dns_name, HOST), (&in_cn, "192.0.2.1")] {
        ok(&cas.eval("ios-12.0", &host, Anchor::App, l), U);
        fails_one(
            &cas.eval("ios-13.0", &host, Anchor::App, l),
            (0, "SSLHostname"),
            HOSTNAME_MISMATCH,
            &name_mismatch(summary),
        );
    }
}

#[test]
fn ipv6_host_is_compared_as_bytes_from_ios_13_and_as_expanded_text_before() {
    let cas = Cas::new();
    let l = cas.leaf().no_san().ip(ip("2001:db8::1")).build();
    let short = Ssl::server("2001:db8::1");
    let expanded = Ssl::server("2001:0db8:0000:0000:0000:0000:0000:0001");
    // iOS 12 renders the SAN address fully expanded and compares strings.
    fails_one(
        &cas.eval("ios-12.0", &short, Anchor::App, &l),
        (0, "SSLHostname"),
        HOSTNAME_MISMATCH,
        &name_mismatch(HOST),
    );
    ok(&cas.eval("ios-12.0", &expanded, Anchor::App, &l), U);
    // iOS 13 parses the host and compares bytes: both spellings match.
    for host in [&short, &expanded] {
        ok(&cas.eval("ios-13.0", host, Anchor::App, &l), U);
    }
}

#[test]
fn client_policy_checks_the_name_it_is_given_and_only_then() {
    let cas = Cas::new();
    let l = cas.leaf().eku(&[oids::client_auth()]).build();
    ok(
        &cas.eval("latest", &Ssl::client(Some(HOST)), Anchor::App, &l),
        U,
    );
    fails_one(
        &cas.eval(
            "latest",
            &Ssl::client(Some("other.example.com")),
            Anchor::App,
            &l,
        ),
        (0, "SSLHostname"),
        HOSTNAME_MISMATCH,
        &name_mismatch(HOST),
    );
    ok(
        &cas.eval("latest", &Ssl::client(None::<String>), Anchor::App, &l),
        U,
    );
}

#[test]
fn server_policy_without_a_host_has_no_hostname_check() {
    let cas = Cas::new();
    let l = cas.leaf().no_san().build();
    ok(
        &cas.eval("latest", &Ssl::server_any_host(), Anchor::App, &l),
        U,
    );
}

#[test]
fn one_trailing_dot_on_the_host_is_allowed() {
    let cas = Cas::new();
    let l = cas.leaf().build();
    for platform in ["ios-12.0", "latest"] {
        ok(
            &cas.eval(platform, &Ssl::server("www.example.com."), Anchor::App, &l),
            U,
        );
    }
}

#[test]
fn usage_outranks_a_name_mismatch_for_the_primary_error() {
    // A leaf issued after 2019-06-30T23:00Z without serverAuth, for the wrong host: both fail,
    // and the usage subtype ranks above the name subtype (apple-trust.md §3).
    let cas = Cas::new();
    let l = cas.leaf().eku(&[oids::client_auth()]).build();
    fails(
        &cas.eval("latest", &Ssl::server("other.example.com"), Anchor::App, &l),
        &[
            (0, "SSLHostname"),
            (0, "ExtendedKeyUsage"),
            (0, "ServerAuthEKU"),
        ],
        R,
        BAD_EKU,
        &usage(HOST),
    );
}

#[test]
fn the_leafs_own_allowed_error_suppresses_a_hostname_mismatch_from_ios_10() {
    let cas = Cas::new();
    let l = cas.leaf().build();
    let mut allow = UsageConstraint::result(TrustSettingResult::Unspecified);
    allow.allowed_errors = vec![allowed_error(Check::SslHostname).unwrap()];
    assert_eq!(allow.allowed_errors, [-2_147_408_896]); // CSSMERR_APPLETP_HOSTNAME_MISMATCH
    // The root in the system store: with app anchors (anchors-only) the user store is not read.
    let eval_with = |platform: &str, on: &Issued| {
        let setting = TrustSetting::with_constraint(on.cert.clone(), allow.clone());
        cas.eval_user(
            platform,
            &Ssl::server("other.example.com"),
            true,
            [setting],
            &l,
        )
    };
    let v = eval_with("ios-10.0", &l);
    ok(&v, U);
    assert_eq!(v.suppressed().len(), 1, "{v}");
    assert_eq!(v.suppressed()[0].failure.check, Check::SslHostname);
    // On another certificate of the chain it does not apply (the failure is on the leaf).
    fails_one(
        &eval_with("latest", &cas.root),
        (0, "SSLHostname"),
        HOSTNAME_MISMATCH,
        &name_mismatch(HOST),
    );
    // iOS 6–9 have no allowed errors.
    fails_one(
        &eval_with("ios-9.0", &l),
        (0, "SSLHostname"),
        HOSTNAME_MISMATCH,
        &name_mismatch(HOST),
    );
}
