//! Caller exceptions (`SecTrustSetExceptions` / `SecTrustCopyExceptions`, `apple-trust.md §1,
//! §2`; platforms.md "Engines and result model"): copied from a verdict, bound to their
//! certificates, suppressing recoverable failures only, and making a trusted result Proceed.

mod common;

use common::*;
use sectrust::testing::{CertBuilder, Issued, KeyPair};
use sectrust::verdict::{SuppressionReason, TrustExceptions};
use sectrust::{
    BasicX509, Check, EvaluationInputs, SystemStore, TrustEvaluator, TrustEvaluatorBuilder,
    TrustResult, TrustSetting, TrustSettingResult, UsageConstraint, Verdict,
};

/// Evaluates `leaf` over `inters` under basic X.509 at `T` with `exceptions`, on the evaluator
/// `builder` makes.
fn with_exceptions(
    builder: TrustEvaluatorBuilder,
    leaf: &Issued,
    inters: &[&Issued],
    exceptions: TrustExceptions,
) -> Verdict {
    builder
        .verify_time_unix(T)
        .build()
        .evaluate_with_inputs(
            &leaf.cert,
            &certs(inters),
            &[&BasicX509],
            &EvaluationInputs::new().exceptions(exceptions),
        )
        .expect("evaluation")
}

/// [`with_exceptions`] on `platform`, app-anchored at `anchors`.
fn evaluate(
    platform: &str,
    leaf: &Issued,
    inters: &[&Issued],
    anchors: &[&Issued],
    exceptions: TrustExceptions,
) -> Verdict {
    let builder = TrustEvaluator::builder()
        .platform(p(platform))
        .anchors(anchors.iter().map(|a| a.cert.clone()));
    with_exceptions(builder, leaf, inters, exceptions)
}

fn suppressed_by_exception(v: &Verdict) -> Vec<(usize, Check)> {
    v.suppressed()
        .iter()
        .filter(|s| s.reason == SuppressionReason::Exception)
        .map(|s| (s.failure.cert_index, s.failure.check))
        .collect()
}

#[test]
fn exceptions_copied_from_a_failing_verdict_make_it_proceed() {
    // An expired leaf under an intermediate without basicConstraints.
    let (root, inter, leaf) = chain_with(
        |b| b.no_basic_constraints(),
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
    );
    let failing = evaluate("latest", &leaf, &[&inter], &[&root], TrustExceptions::new());
    assert_fails(
        &failing,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::TemporalValidity), (1, Check::BasicConstraints)],
    );
    let exceptions = TrustExceptions::from_verdict(&failing);
    assert_eq!(exceptions.entries().len(), 2, "{exceptions}");
    assert_eq!(exceptions.entries()[0].sha256, *leaf.cert.sha256());
    assert!(exceptions.applies_to(&leaf.cert));

    let v = evaluate("latest", &leaf, &[&inter], &[&root], exceptions);
    assert_eq!(v.result(), TrustResult::Proceed, "{v}");
    assert!(v.failures().is_empty(), "{v}");
    assert!(v.primary_error().is_none());
    assert_eq!(
        suppressed_by_exception(&v),
        [(0, Check::TemporalValidity), (1, Check::BasicConstraints)]
    );
    assert!(v.to_string().contains("Exception"), "{v}");
}

#[test]
fn a_trusted_chain_with_exceptions_is_proceed() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let trusted = evaluate("latest", &leaf, &[&inter], &[&root], TrustExceptions::new());
    assert_trusted(&trusted);
    // `SecTrustCopyExceptions` of a trusted chain: the leaf's entry, with no check.
    let exceptions = TrustExceptions::from_verdict(&trusted);
    assert_eq!(exceptions.entries().len(), 1);
    assert!(exceptions.entries()[0].checks.is_empty());
    let v = evaluate("latest", &leaf, &[&inter], &[&root], exceptions);
    assert_eq!(v.result(), TrustResult::Proceed, "{v}");
}

#[test]
fn an_exception_for_another_certificate_does_not_apply() {
    let (root, inter, leaf) = chain_with(
        |b| b.no_basic_constraints(),
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
    );
    let other_leaf = CertBuilder::new("CN=other.example.com")
        .issued_by(&inter)
        .validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z")
        .build();

    // Made for another leaf: discarded whole, as SecTrustSetExceptions does.
    let theirs = TrustExceptions::from_verdict(&evaluate(
        "latest",
        &other_leaf,
        &[&inter],
        &[&root],
        TrustExceptions::new(),
    ));
    assert!(!theirs.applies_to(&leaf.cert));
    let v = evaluate("latest", &leaf, &[&inter], &[&root], theirs);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::TemporalValidity), (1, Check::BasicConstraints)],
    );
    assert!(v.suppressed().is_empty(), "{v}");
    assert!(v.notes().iter().any(|n| n.contains("discarded")), "{v}");

    // The leaf's entry applies; the entry at index 1 was made for another certificate (the
    // root), so the intermediate's failure still counts.
    let mixed = TrustExceptions::new()
        .allow(0, &leaf.cert, Check::TemporalValidity)
        .allow(1, &root.cert, Check::BasicConstraints);
    let v = evaluate("latest", &leaf, &[&inter], &[&root], mixed);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::BasicConstraints)],
    );
    assert_eq!(suppressed_by_exception(&v), [(0, Check::TemporalValidity)]);
}

#[test]
fn an_exception_covers_only_its_own_checks() {
    let (root, inter, leaf) = chain_with(
        |b| b,
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
    );
    let v = evaluate(
        "latest",
        &leaf,
        &[&inter],
        &[&root],
        TrustExceptions::new().allow(0, &leaf.cert, Check::SslHostname),
    );
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::TemporalValidity)],
    );
}

#[test]
fn fatal_and_deny_failures_are_never_suppressed() {
    // Fatal: an RSA-512 leaf (WeakKeySize), expired too.
    let (root, inter, leaf) = chain_with(
        |b| b,
        |b| {
            b.key(KeyPair::rsa(512, 31))
                .validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z")
        },
    );
    let failing = evaluate("latest", &leaf, &[&inter], &[&root], TrustExceptions::new());
    assert_eq!(failing.result(), TrustResult::FatalTrustFailure);
    let exceptions = TrustExceptions::from_verdict(&failing);
    assert!(
        exceptions.entries()[0].checks.contains(&Check::WeakKeySize),
        "{exceptions}"
    );
    let v = evaluate("latest", &leaf, &[&inter], &[&root], exceptions);
    assert_fails(
        &v,
        TrustResult::FatalTrustFailure,
        &[(0, Check::WeakKeySize)],
    );
    assert_eq!(suppressed_by_exception(&v), [(0, Check::TemporalValidity)]);

    // Deny: a user Deny setting on the system root.
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let eval_denied = |exceptions: TrustExceptions| {
        let builder = TrustEvaluator::builder()
            .system_store(SystemStore::from_roots([root.cert.clone()]))
            .user_trust([TrustSetting::with_constraint(
                root.cert.clone(),
                UsageConstraint::result(TrustSettingResult::Deny),
            )]);
        with_exceptions(builder, &leaf, &[&inter], exceptions)
    };
    let denied = eval_denied(TrustExceptions::new());
    assert_fails(&denied, TrustResult::Deny, &[(2, Check::UsageConstraints)]);
    let v = eval_denied(TrustExceptions::from_verdict(&denied));
    assert_fails(&v, TrustResult::Deny, &[(2, Check::UsageConstraints)]);
    assert!(v.suppressed().is_empty(), "{v}");
}

#[test]
fn on_the_ios_6_model_only_exceptions_give_proceed() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let eval_user = |platform: &str, exceptions: TrustExceptions| {
        let builder = TrustEvaluator::builder()
            .platform(p(platform))
            .user_trust([TrustSetting::trust_root(root.cert.clone())]);
        with_exceptions(builder, &leaf, &[&inter], exceptions)
    };
    let leaf_only = || TrustExceptions::new().bind(0, &leaf.cert);
    for platform in ["ios-6.0", "ios-9.0", "ios-10.0"] {
        // A user-trusted root: no Proceed from trust settings on these models …
        assert_eq!(
            eval_user(platform, TrustExceptions::new()).result(),
            TrustResult::Unspecified,
            "{platform}"
        );
        // … but exceptions give it.
        assert_eq!(
            eval_user(platform, leaf_only()).result(),
            TrustResult::Proceed,
            "{platform}"
        );
    }
    // And an app-anchored chain with exceptions too, suppressing a recoverable failure.
    let expired = CertBuilder::new("CN=leaf.example.com")
        .issued_by(&inter)
        .validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z")
        .build();
    let failing = evaluate(
        "ios-6.0",
        &expired,
        &[&inter],
        &[&root],
        TrustExceptions::new(),
    );
    assert_fails(
        &failing,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::ValidLeaf)],
    );
    let v = evaluate(
        "ios-6.0",
        &expired,
        &[&inter],
        &[&root],
        TrustExceptions::from_verdict(&failing),
    );
    assert_eq!(v.result(), TrustResult::Proceed, "{v}");
    assert_eq!(suppressed_by_exception(&v), [(0, Check::ValidLeaf)]);
}
