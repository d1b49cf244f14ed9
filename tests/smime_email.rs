//! S/MIME email matching (`apple-trust.md §7`; platforms.md "S/MIME across versions"): SAN
//! versus subject emailAddress versus CN, letter case on CSSM (macOS 10.7) versus trustd
//! (iOS 6 →), no address, a null email, the account's aliases, and CSSM's empty-subject rule.

mod common;

use common::smime::*;
use common::*;
use sectrust::policy::{Smime, SmimeUsage};
use sectrust::testing::Issued;
use sectrust::{Check, TrustResult};

/// Every era: CSSM, iOS 5/6, the middle, and the current engine (app-anchored, so the 2022
/// system-leaf rules never apply here).
const ALL: &[&str] = &[
    "macos-10.7",
    "ios-5.1",
    "ios-6.0",
    "ios-13.0",
    "ios-16.0",
    "latest",
];
/// The trustd engines only.
const TRUSTD: &[&str] = &["ios-5.1", "ios-6.0", "ios-13.0", "ios-16.0", "latest"];

/// `leaf` under `policy`: trusted on `trusted`, an Email failure (only) on `failing`.
fn expect(pki: &SmimePki, policy: &Smime, leaf: &Issued, trusted: &[&str], failing: &[&str]) {
    for platform in trusted {
        assert_trusted(&pki.eval(platform, policy, leaf));
    }
    for platform in failing {
        assert_email_fails(&pki.eval(platform, policy, leaf));
    }
}

#[test]
fn a_san_address_matches_everywhere() {
    let pki = SmimePki::new();
    expect(&pki, &sign_for(ADDRESS), &pki.leaf().build(), ALL, &[]);
}

#[test]
fn another_address_fails_email_everywhere() {
    let pki = SmimePki::new();
    let leaf = pki.leaf().build();
    expect(&pki, &sign_for("john@example.com"), &leaf, &[], ALL);
    let v = pki.eval("latest", &sign_for("john@example.com"), &leaf);
    assert_eq!(
        v.primary_error().unwrap().message,
        "“Jane Doe” certificate name does not match input"
    );
}

#[test]
fn a_subject_email_address_counts() {
    let pki = SmimePki::new();
    let leaf = pki.named_leaf("CN=Jane Doe,emailAddress=jane@example.com");
    expect(&pki, &sign_for(ADDRESS), &leaf.build(), ALL, &[]);
}

/// CSSM: a certificate holding no address at all does not fail the email check.
#[test]
fn an_address_in_the_cn_never_counts() {
    let pki = SmimePki::new();
    let leaf = pki.named_leaf("CN=jane@example.com").build();
    expect(&pki, &sign_for(ADDRESS), &leaf, &["macos-10.7"], TRUSTD);
}

#[test]
fn cssm_matches_the_san_local_part_case_sensitively_and_trustd_does_not() {
    let pki = SmimePki::new();
    let leaf = pki.leaf().build(); // jane@example.com
    let trustd = ["ios-6.0", "macos-10.12", "latest"];
    let local_case = sign_for("Jane@example.com");
    expect(
        &pki,
        &local_case,
        &leaf,
        &trustd,
        &["macos-10.7", "macos-10.11"],
    );
    let domain_case = sign_for("jane@EXAMPLE.com");
    expect(&pki, &domain_case, &leaf, &["macos-10.7"], &[]);
    expect(&pki, &domain_case, &leaf, &trustd, &[]);
}

#[test]
fn cssm_matches_a_subject_address_case_insensitively() {
    let pki = SmimePki::new();
    let leaf = pki.named_leaf("CN=Jane Doe,emailAddress=Jane@Example.com");
    expect(&pki, &sign_for(ADDRESS), &leaf.build(), ALL, &[]);
}

#[test]
fn cssm_looks_at_the_subject_only_when_the_san_has_no_address() {
    let pki = SmimePki::new();
    let leaf = pki
        .named_leaf("CN=Jane Doe,emailAddress=jane@example.com")
        .email("office@example.com")
        .build();
    expect(&pki, &sign_for(ADDRESS), &leaf, TRUSTD, &["macos-10.7"]);
}

#[test]
fn a_certificate_without_any_address_fails_only_on_trustd() {
    let pki = SmimePki::new();
    let leaf = pki.named_leaf("CN=Jane Doe").dns("mail.example.com");
    expect(
        &pki,
        &sign_for(ADDRESS),
        &leaf.build(),
        &["macos-10.7"],
        TRUSTD,
    );
}

#[test]
fn a_null_email_skips_the_check() {
    let pki = SmimePki::new();
    let leaf = pki.named_leaf("CN=Jane Doe").build();
    let policy = Smime::new(SmimeUsage::SIGN, None).with_aliases(["nobody@example.com"]);
    expect(&pki, &policy, &leaf, ALL, &[]);
}

#[test]
fn a_certificate_for_an_alias_of_the_account_passes_outside_ios_5() {
    let pki = SmimePki::new();
    let leaf = pki.leaf().build(); // jane@example.com
    let account = sign_for("jane.doe@example.org").with_aliases(["other@example.net", ADDRESS]);
    let others = ["macos-10.7", "ios-6.0", "ios-13.0", "latest"];
    expect(&pki, &account, &leaf, &others, &[]);
    expect(&pki, &sign_for("jane.doe@example.org"), &leaf, &[], &others);
}

#[test]
fn cssm_empty_subject_needs_an_email_in_a_critical_san() {
    let pki = SmimePki::new();
    let policy = Smime::new(SmimeUsage::SIGN, None);
    let eku = [sectrust::testing::oids::email_protection()];
    let dns_only = pki
        .bare_leaf("")
        .dns("mail.example.com")
        .san_critical(true)
        .eku(&eku)
        .build();
    assert_fails(
        &pki.eval("macos-10.7", &policy, &dns_only),
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::NonEmptySubject)],
    );
    assert_trusted(&pki.eval("ios-6.0", &policy, &dns_only));
    let email = pki
        .bare_leaf("")
        .email(ADDRESS)
        .san_critical(true)
        .eku(&eku)
        .build();
    assert_trusted(&pki.eval("macos-10.7", &policy, &email));
    let not_critical = pki.bare_leaf("").email(ADDRESS).eku(&eku).build();
    for platform in ["macos-10.7", "ios-6.0"] {
        assert_fails(
            &pki.eval(platform, &policy, &not_critical),
            TrustResult::RecoverableTrustFailure,
            &[(0, Check::NonEmptySubject)],
        );
    }
}

#[test]
fn the_policy_string_of_a_trust_setting_is_the_primary_address() {
    use sectrust::anchors::UsageConstraint;
    use sectrust::{Policy, TrustEvaluator, TrustSetting};
    let pki = SmimePki::new();
    let leaf = pki.leaf().build();
    let mut c = UsageConstraint::default();
    c.policy_oid = Some(Smime::OID);
    c.policy_name = Some("SMIME".into());
    c.policy_string = Some("JANE@example.com".into());
    let policy = sign_for(ADDRESS);
    let policies: [&dyn Policy; 1] = [&policy];
    let v = TrustEvaluator::builder()
        .platform(p("latest"))
        .user_trust([TrustSetting::with_constraint(pki.root.cert.clone(), c)])
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, &certs(&[&pki.inter]), &policies)
        .unwrap();
    assert_eq!(v.result(), TrustResult::Proceed, "{v}");
}
