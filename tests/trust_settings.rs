//! Trust settings and anchors (`apple-trust.md §1, §4, §5`): user/admin settings, Deny,
//! allowed errors, anchors-only, profile roots, and the result models by release.

mod common;

use common::*;
use sectrust::anchors::{KEY_USAGE_SIGN_CERT, UsageConstraint};
use sectrust::policy::PolicyOptions;
use sectrust::testing::{CertBuilder, Issued};
use sectrust::verdict::{AnchorKind, SuppressionReason};
use sectrust::{
    BasicX509, Check, Platform, Policy, SystemStore, TrustEvaluator, TrustEvaluatorBuilder,
    TrustResult, TrustSetting, TrustSettingResult, Verdict,
};

fn eval_with(
    platform: &str,
    leaf: &Issued,
    inters: &[&Issued],
    system: &[&Issued],
    user: Vec<TrustSetting>,
) -> Verdict {
    TrustEvaluator::builder()
        .platform(p(platform))
        .system_store(SystemStore::from_roots(
            system.iter().map(|c| c.cert.clone()),
        ))
        .user_trust(user)
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, &certs(inters), &[&BasicX509])
        .unwrap()
}

/// Evaluates `leaf` over `inter` under basic X.509 at `T` with the evaluator `builder` makes.
fn basic(builder: TrustEvaluatorBuilder, leaf: &Issued, inter: &Issued) -> Verdict {
    builder
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, std::slice::from_ref(&inter.cert), &[&BasicX509])
        .unwrap()
}

fn constraint(result: TrustSettingResult) -> UsageConstraint {
    UsageConstraint::result(result)
}

#[test]
fn system_store_root_gives_unspecified_and_system_anchoring() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let v = eval_with("latest", &leaf, &[&inter], &[&root], vec![]);
    assert_trusted(&v);
    assert_eq!(v.anchor(), AnchorKind::System);
    assert!(v.is_system_anchored());
}

#[test]
fn user_trusted_root_gives_proceed_from_ios_11_and_on_every_macos() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let user = || vec![TrustSetting::trust_root(root.cert.clone())];
    // macOS: the user/admin settings are the keychain's (legacy) trust settings, which give
    // Proceed on every release — 10.12 included, though it shares iOS 10's result model.
    for platform in [
        "ios-11.0",
        "ios-13.0",
        "latest",
        "macos-10.7",
        "macos-10.11",
        "macos-10.12",
        "macos-10.13",
    ] {
        let v = eval_with(platform, &leaf, &[&inter], &[], user());
        assert_eq!(v.result(), TrustResult::Proceed, "{platform}: {v}");
        assert_eq!(v.anchor(), AnchorKind::User);
    }
    // iOS 6–10: no Proceed from trust settings.
    for platform in ["ios-6.0", "ios-9.0", "ios-10.0", "ios-10.3"] {
        let v = eval_with(platform, &leaf, &[&inter], &[], user());
        assert_eq!(v.result(), TrustResult::Unspecified, "{platform}: {v}");
    }
}

#[test]
fn deny_setting_gives_deny_and_usage_constraints() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let deny = || {
        vec![TrustSetting::with_constraint(
            root.cert.clone(),
            constraint(TrustSettingResult::Deny),
        )]
    };
    let v = eval_with("latest", &leaf, &[&inter], &[&root], deny());
    assert_fails(&v, TrustResult::Deny, &[(2, Check::UsageConstraints)]);
    let e = v.primary_error().unwrap();
    assert_eq!(e.os_status, -67654);
    assert_eq!(
        e.message,
        "User or administrator set “Test Root” certificate as distrusted"
    );
    // iOS 10 already had Deny; iOS 6–9 had no Deny result.
    assert_eq!(
        eval_with("ios-10.0", &leaf, &[&inter], &[&root], deny()).result(),
        TrustResult::Deny
    );
    assert_eq!(
        eval_with("ios-9.0", &leaf, &[&inter], &[&root], deny()).result(),
        TrustResult::RecoverableTrustFailure
    );
}

#[test]
fn deny_on_an_intermediate_stops_the_chain_there() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let user = vec![TrustSetting::with_constraint(
        inter.cert.clone(),
        constraint(TrustSettingResult::Deny),
    )];
    let v = eval_with("latest", &leaf, &[&inter], &[&root], user);
    assert_fails(&v, TrustResult::Deny, &[(1, Check::UsageConstraints)]);
    assert_eq!(v.chain().len(), 2);
}

#[test]
fn unspecified_user_setting_does_not_block_system_trust() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let user = vec![TrustSetting::with_constraint(
        root.cert.clone(),
        constraint(TrustSettingResult::Unspecified),
    )];
    let v = eval_with("latest", &leaf, &[&inter], &[&root], user);
    assert_trusted(&v);
    assert_eq!(v.anchor(), AnchorKind::System);
}

#[test]
fn trust_as_root_anchors_a_non_self_signed_certificate() {
    let (_root, inter, leaf) = chain_with(|b| b, |b| b);
    let user = vec![TrustSetting::with_constraint(
        inter.cert.clone(),
        constraint(TrustSettingResult::TrustAsRoot),
    )];
    let v = eval_with("latest", &leaf, &[&inter], &[], user);
    assert_eq!(v.result(), TrustResult::Proceed, "{v}");
    assert_eq!(v.chain().len(), 2);
    // TrustRoot on a non-self-signed certificate does not anchor, nor does an empty list.
    for setting in [
        TrustSetting::with_constraint(
            inter.cert.clone(),
            constraint(TrustSettingResult::TrustRoot),
        ),
        TrustSetting::trust_root(inter.cert.clone()),
    ] {
        let v = eval_with("latest", &leaf, &[&inter], &[], vec![setting]);
        assert_fails(
            &v,
            TrustResult::RecoverableTrustFailure,
            &[(1, Check::MissingIntermediate)],
        );
    }
}

#[test]
fn anchors_only_ignores_user_settings_but_still_chains_through_stores() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let other = CertBuilder::new("CN=Other Root").ca(None).build();
    let v = basic(
        TrustEvaluator::builder()
            .anchors([other.cert.clone()])
            .user_trust([TrustSetting::trust_root(root.cert.clone())]),
        &leaf,
        &inter,
    );
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(2, Check::AnchorTrusted)],
    );
    // Turning anchors-only off brings the user store back.
    let v = basic(
        TrustEvaluator::builder()
            .anchors([other.cert.clone()])
            .anchors_only(false)
            .user_trust([TrustSetting::trust_root(root.cert.clone())]),
        &leaf,
        &inter,
    );
    assert_eq!(v.result(), TrustResult::Proceed, "{v}");
}

#[test]
fn allowed_expiry_error_on_the_failing_certificate_suppresses_it() {
    let (root, inter, leaf) = chain_with(
        |b| b,
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
    );
    let mut c = constraint(TrustSettingResult::Unspecified);
    c.allowed_errors = vec![sectrust::anchors::allowed_error(Check::TemporalValidity).unwrap()];
    let user = || vec![TrustSetting::with_constraint(leaf.cert.clone(), c.clone())];
    let v = eval_with("latest", &leaf, &[&inter], &[&root], user());
    assert_trusted(&v);
    assert_eq!(v.suppressed().len(), 1, "{v}");
    assert_eq!(v.suppressed()[0].failure.check, Check::TemporalValidity);
    assert!(matches!(
        v.suppressed()[0].reason,
        SuppressionReason::AllowedError {
            allowed_error: -2_147_409_654
        }
    ));
    // iOS 6 has no allowed errors.
    let v = eval_with("ios-6.0", &leaf, &[&inter], &[&root], user());
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::ValidLeaf)],
    );
}

#[test]
fn allowed_errors_suppress_only_their_own_kind() {
    let (root, inter, leaf) = chain_with(
        |b| b,
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
    );
    let mut c = constraint(TrustSettingResult::Unspecified);
    c.allowed_errors = vec![sectrust::anchors::allowed_error(Check::SslHostname).unwrap()];
    let v = eval_with(
        "latest",
        &leaf,
        &[&inter],
        &[&root],
        vec![TrustSetting::with_constraint(leaf.cert.clone(), c)],
    );
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::TemporalValidity)],
    );
}

#[test]
fn allowed_error_zero_suppresses_any_recoverable_failure_but_not_fatal_ones() {
    let (root, inter, leaf) = chain_with(|b| b.no_basic_constraints(), |b| b);
    let mut c = constraint(TrustSettingResult::Unspecified);
    c.allowed_errors = vec![0];
    let user = vec![TrustSetting::with_constraint(inter.cert.clone(), c.clone())];
    let v = eval_with("latest", &leaf, &[&inter], &[&root], user);
    assert_trusted(&v);
    assert_eq!(v.suppressed()[0].failure.check, Check::BasicConstraints);

    let (root, inter, leaf) = chain_with(|b| b, |b| b.key(sectrust::testing::KeyPair::rsa(512, 7)));
    let user = vec![TrustSetting::with_constraint(leaf.cert.clone(), c)];
    let v = eval_with("latest", &leaf, &[&inter], &[&root], user);
    assert_fails(
        &v,
        TrustResult::FatalTrustFailure,
        &[(0, Check::WeakKeySize)],
    );
}

#[test]
fn constraint_for_another_policy_does_not_match() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let mut c = constraint(TrustSettingResult::Deny);
    c.policy_oid = Some("1.2.840.113635.100.1.3".parse().unwrap());
    c.policy_name = Some("sslServer".into());
    let v = eval_with(
        "latest",
        &leaf,
        &[&inter],
        &[&root],
        vec![TrustSetting::with_constraint(root.cert.clone(), c)],
    );
    // No constraint matches: the root stays system-anchored, and a user-store certificate whose
    // constraints do not match gives Proceed (apple-trust.md §1).
    assert_eq!(v.result(), TrustResult::Proceed, "{v}");
    assert!(v.failures().is_empty());
    assert_eq!(v.anchor(), AnchorKind::System);
    let mut c = constraint(TrustSettingResult::Deny);
    c.policy_oid = Some(BasicX509::OID);
    let v = eval_with(
        "latest",
        &leaf,
        &[&inter],
        &[&root],
        vec![TrustSetting::with_constraint(root.cert.clone(), c)],
    );
    assert_eq!(v.result(), TrustResult::Deny, "{v}");
}

#[test]
fn constraint_key_usage_must_equal_the_computed_usage() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let deny_with_ku = |ku: u32| {
        let mut c = constraint(TrustSettingResult::Deny);
        c.key_usage = Some(ku);
        vec![TrustSetting::with_constraint(root.cert.clone(), c)]
    };
    let v = eval_with(
        "latest",
        &leaf,
        &[&inter],
        &[&root],
        deny_with_ku(KEY_USAGE_SIGN_CERT),
    );
    assert_eq!(v.result(), TrustResult::Deny, "{v}");
    let v = eval_with(
        "latest",
        &leaf,
        &[&inter],
        &[&root],
        deny_with_ku(KEY_USAGE_SIGN_CERT | 1),
    );
    assert_eq!(
        v.result(),
        TrustResult::Proceed,
        "no constraint matches (apple-trust.md §1): {v}"
    );
}

/// A TLS-flavoured user policy: basic X.509 options plus the TLS flag.
#[derive(Debug)]
struct TlsLike;

impl Policy for TlsLike {
    fn oid(&self) -> sectrust::ObjectIdentifier {
        "1.2.840.113635.100.1.3".parse().unwrap()
    }
    fn name(&self) -> &str {
        "sslServer"
    }
    fn options(&self, platform: &Platform) -> PolicyOptions {
        let mut o = BasicX509::base_options(platform);
        o.tls = true;
        o
    }
}

#[test]
fn profile_roots_need_full_trust_for_tls_from_ios_10_3() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let eval = |platform: &str, full: bool, policy: &dyn Policy| {
        TrustEvaluator::builder()
            .platform(p(platform))
            .user_trust([TrustSetting::profile_root(root.cert.clone(), full)])
            .verify_time_unix(T)
            .build()
            .evaluate(&leaf.cert, std::slice::from_ref(&inter.cert), &[policy])
            .unwrap()
    };
    let v = eval("ios-10.3", false, &TlsLike);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(2, Check::AnchorTrusted)],
    );
    assert!(eval("ios-10.3", true, &TlsLike).is_trusted());
    assert!(eval("ios-10.2", false, &TlsLike).is_trusted());
    assert!(eval("macos-13.0", false, &TlsLike).is_trusted());
    // Not a TLS policy: the profile root anchors.
    assert!(eval("ios-16.0", false, &BasicX509).is_trusted());
}

#[test]
fn options_carried_by_a_constraint_are_checked_on_the_path() {
    // A constraint with policy options never matches, but its options run on the path whatever
    // policy is evaluated (apple-trust.md §2, §5: how roots impose extra checks).
    let (root, inter, leaf) =
        chain_with(|b| b, |b| b.key(sectrust::testing::KeyPair::rsa(1024, 61)));
    let mut options = PolicyOptions::with_checks(&[Check::KeySize]);
    options.min_key_bits = Some((2048, 256));
    let mut imposing = constraint(TrustSettingResult::TrustRoot);
    imposing.policy_options = Some(options);
    let setting = TrustSetting {
        constraints: vec![imposing, constraint(TrustSettingResult::TrustRoot)],
        ..TrustSetting::trust_root(root.cert.clone())
    };
    let v = eval_with("latest", &leaf, &[&inter], &[], vec![setting]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::KeySize)],
    );
    assert_eq!(v.anchor(), AnchorKind::User);
    assert_eq!(
        v.primary_error().unwrap().message,
        "“leaf.example.com” certificate is using a broken key size"
    );
    // Without the options the same chain is trusted.
    let v = eval_with(
        "latest",
        &leaf,
        &[&inter],
        &[],
        vec![TrustSetting::trust_root(root.cert.clone())],
    );
    assert_eq!(v.result(), TrustResult::Proceed, "{v}");
}

/// A root valid 2010–2020 (expired at `T`), an intermediate and a leaf under it.
fn chain_under_expired_root() -> (Issued, Issued, Issued) {
    let root = CertBuilder::new("CN=Expired Root,O=sectrust")
        .ca(None)
        .validity("2010-01-01T00:00:00Z", "2020-01-01T00:00:00Z")
        .build();
    let inter = CertBuilder::new("CN=Test Intermediate,O=sectrust")
        .ca(None)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=leaf.example.com")
        .issued_by(&inter)
        .build();
    (root, inter, leaf)
}

fn allowing_expiry(result: TrustSettingResult) -> UsageConstraint {
    let mut c = constraint(result);
    c.allowed_errors = vec![sectrust::anchors::allowed_error(Check::TemporalValidity).unwrap()];
    c
}

#[test]
fn a_system_anchored_root_uses_the_system_stores_constraints_not_a_non_anchoring_user_setting() {
    // The system store made the root an anchor (the user setting says Unspecified), so its
    // constraints — none — apply: the user setting's allowed error does not (apple-trust.md §5).
    let (root, inter, leaf) = chain_under_expired_root();
    let user = || {
        vec![TrustSetting::with_constraint(
            root.cert.clone(),
            allowing_expiry(TrustSettingResult::Unspecified),
        )]
    };
    let v = eval_with("latest", &leaf, &[&inter], &[&root], user());
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(2, Check::TemporalValidity)],
    );
    assert_eq!(v.anchor(), AnchorKind::System);
    assert!(v.suppressed().is_empty(), "{v}");

    // When the user setting itself anchors the root, its constraints apply.
    let v = eval_with(
        "latest",
        &leaf,
        &[&inter],
        &[&root],
        vec![TrustSetting::with_constraint(
            root.cert.clone(),
            allowing_expiry(TrustSettingResult::TrustRoot),
        )],
    );
    assert_eq!(v.result(), TrustResult::Proceed, "{v}");
    assert_eq!(v.anchor(), AnchorKind::User);
    assert_eq!(v.suppressed()[0].failure.check, Check::TemporalValidity);
}

#[test]
fn a_certificate_only_in_the_user_store_uses_its_constraints_even_when_they_do_not_anchor() {
    // The user store is the last anchor source holding the intermediate: its allowed error
    // applies though its Unspecified constraint does not anchor it.
    let (root, inter, leaf) = chain_with(
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
        |b| b,
    );
    let user = vec![TrustSetting::with_constraint(
        inter.cert.clone(),
        allowing_expiry(TrustSettingResult::Unspecified),
    )];
    let v = eval_with("latest", &leaf, &[&inter], &[&root], user);
    assert_trusted(&v);
    assert_eq!(v.suppressed()[0].failure.cert_index, 1);
}

#[test]
fn with_anchors_only_user_constraints_do_not_apply() {
    // Anchors-only: the user store is no anchor source, and trustd reads usage constraints
    // from anchor sources only, so the intermediate's allowed error does not apply.
    let (root, inter, leaf) = chain_with(
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
        |b| b,
    );
    let v = basic(
        TrustEvaluator::builder()
            .anchors([root.cert.clone()])
            .user_trust([TrustSetting::with_constraint(
                inter.cert.clone(),
                allowing_expiry(TrustSettingResult::Unspecified),
            )]),
        &leaf,
        &inter,
    );
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::TemporalValidity)],
    );
}

#[test]
fn deny_overwrites_fatal_only_on_the_ios_11_12_model() {
    // A Deny setting on the system root (UsageConstraints, deny) and the leaf's key blocked by
    // the Valid database (BlackListedKey, fatal) on one chain.
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let mut db = sectrust::distrust::ValidDatabase::new();
    db.block_key(*leaf.cert.spki_sha256());
    let db = std::sync::Arc::new(db);
    let eval = |platform: &str| {
        let builder = TrustEvaluator::builder()
            .platform(p(platform))
            .system_store(SystemStore::from_roots([root.cert.clone()]))
            .user_trust([TrustSetting::with_constraint(
                root.cert.clone(),
                constraint(TrustSettingResult::Deny),
            )])
            .valid_database(db.clone());
        basic(builder, &leaf, &inter)
    };
    let expected = [(0, Check::BlackListedKey), (2, Check::UsageConstraints)];
    // 58286 (iOS 11–12, macOS 10.13–10.14): Deny overwrites even Fatal.
    for platform in ["ios-11.0", "ios-12.0", "macos-10.13"] {
        let v = eval(platform);
        assert_fails(&v, TrustResult::Deny, &expected);
    }
    // Before and after: Fatal beats Deny.
    for platform in ["ios-10.0", "ios-13.0", "latest"] {
        let v = eval(platform);
        assert_fails(&v, TrustResult::FatalTrustFailure, &expected);
    }
}
