//! S/MIME chain rules of iOS 15 and 16 (`apple-trust.md §7`; platforms.md "S/MIME across
//! versions"): KeySize for every chain (iOS 15), SHA-1 rejected for every chain (iOS 16), and
//! for system-anchored leaves issued on or after 2022-04-01 (iOS 16): SAN-only email,
//! EmailProtectionEKU and the 1185-day lifetime — at their date, lifetime and anchor
//! boundaries.

mod common;

use sectrust::revocation::RevocationOptions;

use common::smime::*;
use common::*;
use sectrust::crypto::HashAlgorithm;
use sectrust::policy::Smime;
use sectrust::testing::{CertBuilder, KeyPair, oids, unix};
use sectrust::{Check, Platform, Policy, TrustResult};

const DAY: i64 = 86_400;
/// The first second of the 60420 rules for system-anchored leaves.
const APRIL_2022: &str = "2022-04-01T00:00:00Z";
/// The last second before them.
const BEFORE_APRIL_2022: &str = "2022-03-31T23:59:59Z";

/// A leaf issued at `not_before` living `days` days.
fn issued(b: CertBuilder, not_before: &str, days: i64) -> CertBuilder {
    let nb = unix(not_before);
    b.validity_unix(nb, nb + days * DAY)
}

#[test]
fn the_2022_rules_start_on_april_first_for_system_anchored_leaves_on_ios_16() {
    let pki = SmimePki::new();
    // A leaf breaking all three rules: subject-only address, no EKU, 1186 days.
    let breaking = |nb: &str| {
        issued(
            pki.bare_leaf("CN=Jane Doe,emailAddress=jane@example.com"),
            nb,
            1186,
        )
        .build()
    };
    let policy = sign_for(ADDRESS);
    let before = breaking(BEFORE_APRIL_2022);
    let from = breaking(APRIL_2022);
    for platform in ["ios-16.0", "latest", "macos-13.0"] {
        assert_trusted(&pki.eval_anchored(platform, &policy, &before, Anchor::System));
        for anchor in [Anchor::System, Anchor::AppAndSystem] {
            let v = pki.eval_anchored(platform, &policy, &from, anchor);
            assert_fails(
                &v,
                TrustResult::RecoverableTrustFailure,
                &[
                    (0, Check::Email),
                    (0, Check::EmailProtectionEKU),
                    (0, Check::SystemTrustValidityPeriod),
                ],
            );
            // compliance (the lifetime) outranks usage and name
            assert_eq!(v.primary_error().unwrap().os_status, -67901);
        }
        // Other anchors: none of the three rules.
        for anchor in [Anchor::App, Anchor::UserRoot] {
            let v = pki.eval_anchored(platform, &policy, &from, anchor);
            assert!(v.is_trusted(), "{platform} {anchor:?}: {v}");
        }
    }
    // Before iOS 16 the rules do not exist.
    for platform in ["ios-15.0", "macos-12.0"] {
        assert_trusted(&pki.eval_anchored(platform, &policy, &from, Anchor::System));
    }
}

#[test]
fn the_lifetime_maximum_is_1185_days_inclusive() {
    let pki = SmimePki::new();
    let policy = sign_for(ADDRESS);
    let leaf = |days| issued(pki.leaf(), APRIL_2022, days).build();
    assert_trusted(&pki.eval_anchored("ios-16.0", &policy, &leaf(1185), Anchor::System));
    let v = pki.eval_anchored("ios-16.0", &policy, &leaf(1186), Anchor::System);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::SystemTrustValidityPeriod)],
    );
    let one_second_over = pki
        .leaf()
        .validity_unix(unix(APRIL_2022), unix(APRIL_2022) + 1185 * DAY + 1)
        .build();
    assert!(
        !pki.eval_anchored("ios-16.0", &policy, &one_second_over, Anchor::System)
            .is_trusted()
    );
    // S/MIME has no TLS lifetime tiers: 1185 days passes whatever the anchor.
    assert_trusted(&pki.eval_anchored("ios-16.0", &policy, &leaf(1185), Anchor::App));
}

#[test]
fn email_protection_eku_itself_is_required_of_recent_system_leaves() {
    let pki = SmimePki::new();
    let policy = sign_for(ADDRESS);
    let with = |eku: Option<&[sectrust::ObjectIdentifier]>| {
        let b = issued(pki.leaf_without_eku(), APRIL_2022, 1000);
        match eku {
            None => b,
            Some(e) => b.eku(e),
        }
        .build()
    };
    assert_trusted(&pki.eval_anchored(
        "ios-16.0",
        &policy,
        &with(Some(&[oids::email_protection()])),
        Anchor::System,
    ));
    assert_fails(
        &pki.eval_anchored("ios-16.0", &policy, &with(None), Anchor::System),
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::EmailProtectionEKU)],
    );
    // anyEKU: the leaf EKU rule fails too (iOS 14 →).
    assert_fails(
        &pki.eval_anchored(
            "ios-16.0",
            &policy,
            &with(Some(&[oids::any_eku()])),
            Anchor::System,
        ),
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::ExtendedKeyUsage), (0, Check::EmailProtectionEKU)],
    );
    // App-anchored: no EKU is fine.
    assert_trusted(&pki.eval_anchored("ios-16.0", &policy, &with(None), Anchor::App));
}

#[test]
fn recent_system_leaves_match_email_on_san_entries_only() {
    let pki = SmimePki::new();
    let policy = sign_for(ADDRESS);
    let eku = [oids::email_protection()];
    let dn = issued(
        pki.bare_leaf("CN=Jane Doe,emailAddress=jane@example.com"),
        APRIL_2022,
        1000,
    )
    .eku(&eku)
    .build();
    let san = issued(pki.bare_leaf("CN=Jane Doe"), APRIL_2022, 1000)
        .email(ADDRESS)
        .eku(&eku)
        .build();
    assert_fails(
        &pki.eval_anchored("ios-16.0", &policy, &dn, Anchor::System),
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::Email)],
    );
    assert_trusted(&pki.eval_anchored("ios-16.0", &policy, &san, Anchor::System));
    assert_trusted(&pki.eval_anchored("ios-16.0", &policy, &dn, Anchor::App));
    assert_trusted(&pki.eval_anchored("ios-15.0", &policy, &dn, Anchor::System));
}

#[test]
fn key_size_applies_to_every_chain_from_ios_15() {
    let pki = SmimePki::new();
    let leaf = pki.leaf().key(KeyPair::rsa(1024, 7)).build();
    let policy = sign_for(ADDRESS);
    for platform in ["ios-14.8", "macos-11.0"] {
        assert_trusted(&pki.eval(platform, &policy, &leaf));
    }
    for platform in ["ios-15.0", "latest", "macos-12.0"] {
        for anchor in [Anchor::App, Anchor::System, Anchor::UserRoot] {
            let v = pki.eval_anchored(platform, &policy, &leaf, anchor);
            assert_fails(
                &v,
                TrustResult::RecoverableTrustFailure,
                &[(0, Check::KeySize)],
            );
            assert_eq!(v.primary_error().unwrap().os_status, -67735);
        }
        // A user-anchored leaf skips it.
        let v = pki.eval_anchored(platform, &policy, &leaf, Anchor::UserLeaf);
        assert!(v.is_trusted(), "{platform}: {v}");
    }
    // iOS 15's subtype is key size (it was pinning in iOS 14's engine).
    assert_eq!(
        Platform::ios(15, 0).subtype(Check::KeySize),
        sectrust::Subtype::KeySize
    );
}

#[test]
fn sha1_is_rejected_for_every_chain_from_ios_16() {
    let pki = SmimePki::new();
    let leaf = pki.leaf().signature_hash(HashAlgorithm::Sha1).build();
    let policy = sign_for(ADDRESS);
    for platform in ["ios-15.0", "macos-12.0"] {
        assert_trusted(&pki.eval(platform, &policy, &leaf));
    }
    for platform in ["ios-16.0", "latest", "macos-13.0"] {
        for anchor in [Anchor::App, Anchor::System, Anchor::UserRoot] {
            assert_fails(
                &pki.eval_anchored(platform, &policy, &leaf, anchor),
                TrustResult::RecoverableTrustFailure,
                &[(0, Check::SignatureHashAlgorithms)],
            );
        }
    }
    // A SHA-1 intermediate fails at its index; a SHA-1 self-signed root is exempt.
    let sha1_inter = SmimePki::with_inter(|b| b.signature_hash(HashAlgorithm::Sha1));
    assert_fails(
        &sha1_inter.eval("ios-16.0", &policy, &sha1_inter.leaf().build()),
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::SignatureHashAlgorithms)],
    );
    let root = CertBuilder::new("CN=Old Root")
        .ca(None)
        .signature_hash(HashAlgorithm::Sha1)
        .build();
    let inter = CertBuilder::new("CN=Mail CA 2")
        .ca(None)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=Jane Doe")
        .issued_by(&inter)
        .email(ADDRESS)
        .eku(&[oids::email_protection()])
        .build();
    let policies: [&dyn Policy; 1] = [&policy];
    let v = sectrust::TrustEvaluator::builder()
        .platform(p("ios-16.0"))
        .anchors([root.cert.clone()])
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, &certs(&[&inter]), &policies)
        .unwrap();
    assert_trusted(&v);
}

#[test]
fn revocation_is_switched_on_for_smime_on_macos_from_10_12() {
    let policy = sign_for(ADDRESS);
    for (platform, want) in [
        ("macos-10.7", None),
        ("macos-10.11", None),
        ("macos-10.12", Some(RevocationOptions::any_method())),
        ("macos-15.0", Some(RevocationOptions::any_method())),
        ("ios-16.0", None),
        ("latest", None),
    ] {
        assert_eq!(policy.options(&p(platform)).revocation, want, "{platform}");
    }
}

#[test]
fn the_policy_identity_is_apples() {
    let policy = Smime::new(sectrust::SmimeUsage::SIGN, None);
    assert_eq!(policy.oid().to_string(), "1.2.840.113635.100.1.8");
    assert_eq!(policy.name(), "SMIME");
}
