//! The verdict: primary-error ranking, messages, the underlying error string, details, Display,
//! and user-written policies (`apple-trust.md §2, §3`).

mod common;

use common::*;
use sectrust::policy::{PathView, PolicyOptions};
use sectrust::revocation::RevocationFlags;
use sectrust::testing::{CertBuilder, KeyPair};
use sectrust::{
    BasicX509, Check, ObjectIdentifier, Platform, Policy, Revocation, Subtype, TrustEvaluator,
    TrustResult,
};

#[test]
fn compliance_outranks_expired_and_the_underlying_error_lists_every_certificate() {
    let (root, inter, leaf) = chain_with(
        |b| b.no_basic_constraints(),
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
    );
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::TemporalValidity), (1, Check::BasicConstraints)],
    );
    let e = v.primary_error().unwrap();
    assert_eq!(
        (e.check, e.cert_index, e.os_status),
        (Check::BasicConstraints, 1, -67604)
    );
    assert_eq!(
        e.underlying,
        "Certificate 0 “leaf.example.com” has errors: Certificate is not valid at the verify date;\
         Certificate 1 “Test Intermediate” has errors: Issuer has no basic constraints;"
    );
    assert_eq!(
        v.details(),
        vec![
            vec![(Check::TemporalValidity, None)],
            vec![(Check::BasicConstraints, None)],
            vec![]
        ]
    );
}

#[test]
fn fatal_outranks_everything_and_ties_go_to_the_lowest_index() {
    let (root, inter, leaf) = chain_with(
        |b| b.validity("2010-01-01T00:00:00Z", "2011-01-01T00:00:00Z"),
        |b| {
            b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z")
                .key(KeyPair::rsa(512, 21))
        },
    );
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_eq!(v.result(), TrustResult::FatalTrustFailure);
    assert_eq!(v.primary_error().unwrap().check, Check::WeakKeySize);
    // Two expired certificates: the leaf (index 0) wins.
    let (root, inter, leaf) = chain_with(
        |b| b.validity("2010-01-01T00:00:00Z", "2011-01-01T00:00:00Z"),
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
    );
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_eq!(v.primary_error().unwrap().cert_index, 0);
}

#[test]
fn subtypes_follow_the_platform() {
    assert_eq!(
        Platform::ios(13, 0).subtype(Check::KeySize),
        Subtype::Pinning
    );
    assert_eq!(
        Platform::ios(14, 0).subtype(Check::KeySize),
        Subtype::Pinning
    );
    assert_eq!(
        Platform::ios(15, 0).subtype(Check::KeySize),
        Subtype::KeySize
    );
    assert_eq!(
        Platform::ios(13, 0).subtype(Check::SystemTrustedWeakHash),
        Subtype::Compliance
    );
}

#[test]
fn display_reads_like_a_diagnostic() {
    let (root, inter, leaf) = chain_with(
        |b| b,
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
    );
    let text = eval_app("ios-13.0", &leaf, &[&inter], &[&root]).to_string();
    for needle in [
        "ios-13.0",
        "kSecTrustResultRecoverableTrustFailure (5)",
        "TemporalValidity (-67818)",
        "errSecCertificateExpired",
        "“leaf.example.com” certificate is expired",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

/// A user policy: basic X.509 plus "the leaf must carry a SAN", reported as KeyUsage for lack of
/// a better key — only because that key is among its options.
#[derive(Debug)]
struct NeedsSan {
    enabled: bool,
}

impl Policy for NeedsSan {
    fn oid(&self) -> ObjectIdentifier {
        "1.3.6.1.4.1.55555.9".parse().unwrap()
    }
    fn name(&self) -> &str {
        "needsSan"
    }
    fn options(&self, platform: &Platform) -> PolicyOptions {
        let mut o = BasicX509::base_options(platform);
        if self.enabled {
            o.insert(Check::KeyUsage);
        }
        o
    }
    fn check_path(&self, path: &PathView<'_>, failures: &mut Vec<(usize, Check)>) {
        if path.certs[0].extensions().subject_alt_name.is_none() {
            failures.push((0, Check::KeyUsage));
        }
    }
}

#[test]
fn a_user_policy_failure_counts_only_when_its_key_is_an_option() {
    let root = CertBuilder::new("CN=Root").ca(None).build();
    let leaf = CertBuilder::new("CN=no san").issued_by(&root).build();
    let eval = |policy: &dyn Policy| {
        TrustEvaluator::builder()
            .anchors([root.cert.clone()])
            .verify_time_unix(T)
            .build()
            .evaluate(&leaf.cert, &[], &[policy])
            .unwrap()
    };
    let v = eval(&NeedsSan { enabled: true });
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::KeyUsage)],
    );
    assert_trusted(&eval(&NeedsSan { enabled: false }));
}

#[test]
fn several_policies_must_all_hold() {
    let root = CertBuilder::new("CN=Root").ca(None).build();
    let leaf = CertBuilder::new("CN=no san").issued_by(&root).build();
    let v = TrustEvaluator::builder()
        .anchors([root.cert.clone()])
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, &[], &[&BasicX509, &NeedsSan { enabled: true }])
        .unwrap();
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::KeyUsage)],
    );
}

/// Evaluates `leaf` over `inter`, app-anchored at `root`, under `policies` in that order.
fn eval_policies(
    (root, inter, leaf): &(
        sectrust::testing::Issued,
        sectrust::testing::Issued,
        sectrust::testing::Issued,
    ),
    policies: &[&dyn Policy],
) -> sectrust::Verdict {
    TrustEvaluator::builder()
        .anchors([root.cert.clone()])
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, std::slice::from_ref(&inter.cert), policies)
        .unwrap()
}

/// An intermediate carrying its subjectKeyIdentifier twice, under the default fixture root.
fn chain_with_duplicate_ski_on_the_intermediate() -> (
    sectrust::testing::Issued,
    sectrust::testing::Issued,
    sectrust::testing::Issued,
) {
    let ski_oid: ObjectIdentifier = "2.5.29.14".parse().unwrap();
    // OCTET STRING of 4 bytes: a second, explicit SKI next to the builder's own.
    let ski = vec![0x04, 0x04, 0x01, 0x02, 0x03, 0x04];
    chain_with(|b| b.extension(ski_oid, false, ski), |b| b)
}

#[test]
fn extension_hygiene_of_issuers_counts_under_any_policy_in_either_order() {
    // Not a path-level result: DuplicateExtension on an issuer counts when any policy has the
    // key, not only the first (apple-trust.md §2).
    let chain = chain_with_duplicate_ski_on_the_intermediate();
    let ocsp = Revocation::new(RevocationFlags::OCSP).unwrap();
    let eval = |policies: &[&dyn Policy]| eval_policies(&chain, policies);
    for policies in [[&BasicX509 as &dyn Policy, &ocsp], [&ocsp, &BasicX509]] {
        assert_fails(
            &eval(&policies),
            TrustResult::RecoverableTrustFailure,
            &[(1, Check::DuplicateExtension)],
        );
    }
    // The revocation policy alone does not have the key.
    assert_trusted(&eval(&[&ocsp]));
}

#[test]
fn path_level_results_of_issuers_follow_the_first_policy_only() {
    // An expired intermediate is a path-level result: judged against the first policy only.
    let chain = chain_with(
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
        |b| b,
    );
    let ocsp = Revocation::new(RevocationFlags::OCSP).unwrap();
    let eval = |policies: &[&dyn Policy]| eval_policies(&chain, policies);
    assert_fails(
        &eval(&[&BasicX509, &ocsp]),
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::TemporalValidity)],
    );
    assert_trusted(&eval(&[&ocsp, &BasicX509]));
}

#[test]
fn a_failure_of_a_non_first_policy_counts() {
    // The leaf's own results and a later policy's checks count whatever the policy order.
    let chain = chain_with(
        |b| b,
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
    );
    let ocsp = Revocation::new(RevocationFlags::OCSP).unwrap();
    let v = eval_policies(&chain, &[&ocsp, &BasicX509]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::TemporalValidity)],
    );
    // A hostname mismatch of an SSL policy in second place.
    let pki = sectrust::testing::Pki::new();
    let ssl = sectrust::Ssl::server("other.example.org");
    let v = TrustEvaluator::builder()
        .anchors([pki.root.cert.clone()])
        .verify_time_unix(sectrust::testing::Pki::T_VALID)
        .build()
        .evaluate(
            &pki.leaf.cert,
            std::slice::from_ref(&pki.intermediate.cert),
            &[&BasicX509, &ssl],
        )
        .unwrap();
    assert!(v.has_failure(Check::SslHostname), "{v}");
    assert_eq!(v.result(), TrustResult::RecoverableTrustFailure);
}

#[test]
fn within_one_certificate_the_primary_error_follows_the_check_table() {
    // Two compliance failures on the intermediate: no basicConstraints and an unknown critical
    // extension. Apple's order there is hash order; the emulator takes table order
    // (apple-trust.md §3), where BasicConstraints precedes CriticalExtensions.
    let unknown: ObjectIdentifier = "1.3.6.1.4.1.55555.1".parse().unwrap();
    let (root, inter, leaf) = chain_with(
        |b| {
            b.no_basic_constraints()
                .extension(unknown, true, vec![0x05, 0x00])
        },
        |b| b,
    );
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::BasicConstraints), (1, Check::CriticalExtensions)],
    );
    assert!(Check::BasicConstraints < Check::CriticalExtensions);
    let e = v.primary_error().unwrap();
    assert_eq!((e.check, e.cert_index), (Check::BasicConstraints, 1));
    assert_eq!(
        e.underlying,
        "Certificate 1 “Test Intermediate” has errors: Issuer has no basic constraints, \
         Unknown critical extension;"
    );
}
