//! Shared helpers for the integration tests: evaluator shorthands over `sectrust::testing`.
#![allow(dead_code)]

pub mod cli;
pub mod conformance;
pub mod smime;
pub mod ssl;

use sectrust::testing::{CertBuilder, Issued, Pki};
use sectrust::{BasicX509, Certificate, Check, Platform, TrustEvaluator, TrustResult, Verdict};

/// 2024-01-01T00:00:00Z: inside every default fixture validity (2020–2030).
pub const T: i64 = 1_704_067_200;

pub fn p(name: &str) -> Platform {
    name.parse().expect("known platform")
}

/// Evaluates `leaf` with `inters` under basic X.509, anchored at `anchors` (app anchors).
pub fn eval_app(platform: &str, leaf: &Issued, inters: &[&Issued], anchors: &[&Issued]) -> Verdict {
    TrustEvaluator::builder()
        .platform(p(platform))
        .anchors(anchors.iter().map(|a| a.cert.clone()))
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, &certs(inters), &[&BasicX509])
        .expect("evaluation")
}

pub fn certs(list: &[&Issued]) -> Vec<Certificate> {
    list.iter().map(|i| i.cert.clone()).collect()
}

/// The failed check keys as (index, key), in verdict order.
pub fn keys(v: &Verdict) -> Vec<(usize, &'static str)> {
    v.failures()
        .iter()
        .map(|f| (f.cert_index, f.check.key()))
        .collect()
}

pub fn assert_trusted(v: &Verdict) {
    assert!(v.is_trusted(), "expected trusted, got:\n{v}");
    assert_eq!(v.result(), TrustResult::Unspecified, "{v}");
    assert!(v.failures().is_empty(), "{v}");
    assert!(v.primary_error().is_none(), "{v}");
}

pub fn assert_fails(v: &Verdict, result: TrustResult, expected: &[(usize, Check)]) {
    let got: Vec<(usize, Check)> = v
        .failures()
        .iter()
        .map(|f| (f.cert_index, f.check))
        .collect();
    assert_eq!(got, expected, "failures differ:\n{v}");
    assert_eq!(v.result(), result, "{v}");
}

/// A root, an intermediate and a leaf under them, with a hook to customise the intermediate
/// and the leaf.
pub fn chain_with(
    inter: impl FnOnce(CertBuilder) -> CertBuilder,
    leaf: impl FnOnce(CertBuilder) -> CertBuilder,
) -> (Issued, Issued, Issued) {
    let root = CertBuilder::new("CN=Test Root,O=sectrust").ca(None).build();
    let i = inter(
        CertBuilder::new("CN=Test Intermediate,O=sectrust")
            .ca(None)
            .issued_by(&root),
    )
    .build();
    let l = leaf(CertBuilder::new("CN=leaf.example.com").issued_by(&i)).build();
    (root, i, l)
}

pub fn default_pki() -> Pki {
    Pki::new()
}
