//! The code-signing policy (`apple-trust.md §10`): KeyUsage digitalSignature or nonRepudiation
//! (no KU extension fails), the codeSigning EKU required, anyEKU accepted on iOS only.

mod common;

use common::*;
use sectrust::certificate::KeyUsage;
use sectrust::policy::CODE_SIGNING;
use sectrust::testing::{CertBuilder, Issued, oids};
use sectrust::{Check, CodeSigning, TrustEvaluator, TrustResult, Verdict};

fn eval(platform: &str, leaf: impl FnOnce(CertBuilder) -> CertBuilder) -> Verdict {
    let root = CertBuilder::new("CN=Code Root").ca(None).build();
    let leaf: Issued = leaf(CertBuilder::new("CN=Developer").issued_by(&root)).build();
    TrustEvaluator::builder()
        .platform(p(platform))
        .anchors([root.cert.clone()])
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, &[], &[&CodeSigning])
        .unwrap()
}

#[test]
fn digital_signature_or_non_repudiation_with_the_code_signing_eku_passes() {
    for ku in [KeyUsage::DIGITAL_SIGNATURE, KeyUsage::NON_REPUDIATION] {
        assert_trusted(&eval("latest", |b| b.key_usage(ku).eku(&[CODE_SIGNING])));
    }
}

#[test]
fn a_leaf_without_key_usage_or_with_another_usage_fails_key_usage() {
    let v = eval("latest", |b| b.eku(&[CODE_SIGNING]));
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::KeyUsage)],
    );
    let v = eval("latest", |b| {
        b.key_usage(KeyUsage::KEY_ENCIPHERMENT).eku(&[CODE_SIGNING])
    });
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::KeyUsage)],
    );
}

#[test]
fn the_code_signing_eku_is_required_and_any_eku_counts_on_ios_only() {
    let ds = KeyUsage::DIGITAL_SIGNATURE;
    let v = eval("latest", |b| b.key_usage(ds));
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::ExtendedKeyUsage)],
    );
    let v = eval("latest", |b| b.key_usage(ds).eku(&[oids::server_auth()]));
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::ExtendedKeyUsage)],
    );
    assert_trusted(&eval("ios-16.0", |b| {
        b.key_usage(ds).eku(&[oids::any_eku()])
    }));
    let v = eval("macos-13.0", |b| b.key_usage(ds).eku(&[oids::any_eku()]));
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::ExtendedKeyUsage)],
    );
}
