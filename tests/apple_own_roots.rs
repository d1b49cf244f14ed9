//! Apple's own roots (the roots the caller marks with `SystemStore::add_apple_root`): they skip
//! the expiry check from iOS 13 / macOS 10.15 (`apple-trust.md §4`, platforms.md "Basic X.509
//! option set by release") and cannot be denied (`apple-trust.md §5`).

mod common;

use common::*;
use sectrust::testing::{CertBuilder, Issued, KeyPair};
use sectrust::{
    BasicX509, Check, SystemStore, TrustEvaluator, TrustResult, TrustSetting, TrustSettingResult,
    UsageConstraint, Verdict,
};

/// Root (valid `root_validity`), intermediate and leaf.
fn chain(root_validity: (&str, &str)) -> (Issued, Issued, Issued) {
    let root = CertBuilder::new("CN=Apple Test Root,O=Apple Inc.")
        .key(KeyPair::p256(400))
        .ca(None)
        .validity(root_validity.0, root_validity.1)
        .build();
    let inter = CertBuilder::new("CN=Apple Test Inter,O=Apple Inc.")
        .key(KeyPair::p256(401))
        .ca(None)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=apple leaf")
        .key(KeyPair::p256(402))
        .issued_by(&inter)
        .build();
    (root, inter, leaf)
}

fn evaluate(
    platform: &str,
    store: SystemStore,
    user: Vec<TrustSetting>,
    leaf: &Issued,
    inter: &Issued,
) -> Verdict {
    TrustEvaluator::builder()
        .platform(p(platform))
        .system_store(store)
        .user_trust(user)
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, &certs(&[inter]), &[&BasicX509])
        .unwrap()
}

#[test]
fn an_expired_apple_root_is_trusted_from_ios_13() {
    let (root, inter, leaf) = chain(("2005-01-01T00:00:00Z", "2015-01-01T00:00:00Z"));
    let mut apple = SystemStore::new();
    apple.add_apple_root(root.cert.clone());
    for platform in ["ios-13.0", "macos-10.15", "latest"] {
        let v = evaluate(platform, apple.clone(), vec![], &leaf, &inter);
        assert_trusted(&v);
        assert!(v.is_system_anchored(), "{platform}: {v}");
    }
    // Before: the expiry counts (ValidRoot in the split validity checks of ≤ 58286).
    for platform in ["ios-12.0", "macos-10.14"] {
        let v = evaluate(platform, apple.clone(), vec![], &leaf, &inter);
        assert_fails(
            &v,
            TrustResult::RecoverableTrustFailure,
            &[(2, Check::ValidRoot)],
        );
    }
    // Any other expired system root fails TemporalValidity.
    let other = SystemStore::from_roots([root.cert.clone()]);
    let v = evaluate("latest", other, vec![], &leaf, &inter);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(2, Check::TemporalValidity)],
    );
}

#[test]
fn an_apple_root_cannot_be_denied() {
    let (root, inter, leaf) = chain(("2005-01-01T00:00:00Z", "2035-01-01T00:00:00Z"));
    let deny = || {
        vec![TrustSetting::with_constraint(
            root.cert.clone(),
            UsageConstraint::result(TrustSettingResult::Deny),
        )]
    };
    let mut apple = SystemStore::new();
    apple.add_apple_root(root.cert.clone());
    let v = evaluate("latest", apple, deny(), &leaf, &inter);
    assert_trusted(&v);
    assert!(v.is_system_anchored(), "{v}");

    // The same Deny on another system root denies it.
    let other = SystemStore::from_roots([root.cert.clone()]);
    let v = evaluate("latest", other, deny(), &leaf, &inter);
    assert_fails(&v, TrustResult::Deny, &[(2, Check::UsageConstraints)]);
}
