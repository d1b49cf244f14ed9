//! `sectrust::explain`: the platform matrix and its groups, the shared signature cache, and
//! verdict diffs tied to rule rows (diagnoses: `tests/diagnosis.rs`).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::ssl::{Cas, mid, server};
use common::{certs, p};
use sectrust::crypto::{SignatureAlgorithm, SignatureError, SignatureVerifier, default_verifier};
use sectrust::explain::{InputKind, Matrix, PlatformSet, VerdictSummary, diff};
use sectrust::path::SignatureCache;
use sectrust::policy::{Smime, SmimeUsage};
use sectrust::testing::{CertBuilder, FoundingStory, Issued, oids, unix};
use sectrust::{Check, Platform, RuleId, SystemStore, TrustEvaluator, TrustSetting};

/// A leaf whose host name is only in its subject CN (no subjectAltName).
fn cn_only(cas: &Cas) -> Issued {
    cas.leaf().no_san().build()
}

fn app_evaluator(cas: &Cas, leaf: &Issued) -> TrustEvaluator {
    TrustEvaluator::builder()
        .anchors([cas.root.cert.clone()])
        .verify_time_unix(mid(leaf))
        .build()
}

/// `leaf` with the intermediate under the SSL server policy, on profile `name`.
fn eval_on(ev: &TrustEvaluator, name: &str, leaf: &Issued, cas: &Cas) -> sectrust::Verdict {
    ev.with_platform(p(name))
        .evaluate(
            &leaf.cert,
            std::slice::from_ref(&cas.inter.cert),
            &[&server()],
        )
        .unwrap()
}

fn matrix(ev: &TrustEvaluator, set: &str, leaf: &Issued, inters: &[&Issued]) -> Matrix {
    let platforms: PlatformSet = set.parse().unwrap();
    Matrix::evaluate(ev, &platforms, &leaf.cert, &certs(inters), &[&server()]).unwrap()
}

#[test]
fn cn_only_leaf_groups_into_trusted_up_to_12_and_ssl_hostname_from_13() {
    let cas = Cas::new();
    let leaf = cn_only(&cas);
    let ev = app_evaluator(&cas, &leaf);
    let m = matrix(&ev, "ios-12.0..ios-14.0", &leaf, &[&cas.inter]);
    let groups = m.groups();
    assert_eq!(groups.len(), 2, "{m}");
    assert_eq!(
        (groups[0].from, groups[0].to),
        (p("ios-12.0"), p("ios-12.5"))
    );
    assert_eq!(groups[0].profiles, 7, "12.0 … 12.5 and 12.1.1");
    assert!(groups[0].summary.is_trusted());
    assert_eq!(
        (groups[1].from, groups[1].to),
        (p("ios-13.0"), p("ios-14.0"))
    );
    let failed: Vec<(usize, Check, i32)> = groups[1]
        .summary
        .failures
        .iter()
        .map(|f| (f.cert_index, f.check, f.os_status))
        .collect();
    assert_eq!(failed, [(0, Check::SslHostname, -67602)]);
    assert_eq!(
        m.to_string(),
        "iOS 12.0–12.5 trusted; iOS 13.0–14.0: SSLHostname −67602"
    );
    // Up to the newest profile: "and later"; macOS on its own line.
    let m = matrix(&ev, "ios-11.0..latest, macos-10.14..", &leaf, &[&cas.inter]);
    assert_eq!(
        m.to_string(),
        "iOS 11.0–12.5 trusted; iOS 13.0 and later: SSLHostname −67602\n\
         macOS 10.14–10.14.2 trusted; macOS 10.15 and later: SSLHostname −67602"
    );
}

#[test]
fn groups_split_on_the_chain_as_well_as_the_failures() {
    // Same result on both sides of iOS 13, but ValidLeaf vs TemporalValidity: two groups.
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let ev = app_evaluator(&cas, &leaf).with_platform(Platform::latest());
    let expired = TrustEvaluator::builder()
        .anchors([cas.root.cert.clone()])
        .verify_time_unix(unix("2026-01-01T00:00:00Z"))
        .build();
    let m = matrix(&expired, "ios-12.4..ios-13.1", &leaf, &[&cas.inter]);
    assert_eq!(
        m.to_string(),
        "iOS 12.4–12.5: ValidLeaf −67818; iOS 13.0–13.1: TemporalValidity −67818"
    );
    let trusted = matrix(&ev, "ios-12.4..ios-13.1", &leaf, &[&cas.inter]);
    assert_eq!(trusted.groups().len(), 1, "{trusted}");
    let chain_len = |m: &Matrix| m.groups()[0].summary.chain.len();
    assert_eq!(chain_len(&trusted), 3);
}

#[test]
fn matrix_verdicts_equal_separate_evaluations_on_every_profile() {
    let cas = Cas::new();
    let cn = cn_only(&cas);
    let expired = cas
        .leaf()
        .validity("2019-01-01T00:00:00Z", "2021-01-01T00:00:00Z")
        .build();
    let all = PlatformSet::all();
    for (leaf, t) in [(&cn, mid(&cn)), (&expired, unix("2024-01-01T00:00:00Z"))] {
        for ev in [
            TrustEvaluator::builder()
                .anchors([cas.root.cert.clone()])
                .verify_time_unix(t)
                .build(),
            TrustEvaluator::builder()
                .system_store(SystemStore::from_roots([cas.root.cert.clone()]))
                .user_trust([TrustSetting::profile_root(cas.root.cert.clone(), false)])
                .verify_time_unix(t)
                .build(),
        ] {
            let inters = [cas.inter.cert.clone()];
            let m = Matrix::evaluate(&ev, &all, &leaf.cert, &inters, &[&server()]).unwrap();
            assert!(
                m.evaluations() < all.len() / 2,
                "{} evaluations",
                m.evaluations()
            );
            for e in m.entries() {
                let alone = ev
                    .with_platform(e.platform)
                    .evaluate(&leaf.cert, &inters, &[&server()])
                    .unwrap();
                assert_eq!(e.verdict.platform(), e.platform);
                assert_eq!(
                    VerdictSummary::of(&e.verdict),
                    VerdictSummary::of(&alone),
                    "{}",
                    e.platform
                );
                assert_eq!(e.verdict.primary_error(), alone.primary_error());
                assert_eq!(e.verdict.failures(), alone.failures(), "{}", e.platform);
                assert_eq!(e.verdict.notes(), alone.notes(), "{}", e.platform);
            }
        }
    }
}

/// Counts the signatures the engine asks to verify.
#[derive(Debug)]
struct Counting {
    inner: Arc<dyn SignatureVerifier>,
    calls: AtomicUsize,
}

impl SignatureVerifier for Counting {
    fn verify(
        &self,
        algorithm: &SignatureAlgorithm,
        spki: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.inner.verify(algorithm, spki, message, signature)
    }
}

#[test]
fn a_full_matrix_verifies_each_signature_once() {
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let counting = Arc::new(Counting {
        inner: default_verifier(),
        calls: AtomicUsize::new(0),
    });
    let calls = || counting.calls.load(Ordering::Relaxed);
    let ev = TrustEvaluator::builder()
        .anchors([cas.root.cert.clone()])
        .verify_time_unix(mid(&leaf))
        .verifier(counting.clone())
        .build();
    let inters = [cas.inter.cert.clone()];

    // One evaluation: leaf ← intermediate, intermediate ← root; the anchor's self-signature is
    // read only when something needs it (not for an accepted first path on `latest`).
    ev.evaluate(&leaf.cert, &inters, &[&server()]).unwrap();
    assert_eq!(calls(), 2);

    let all = PlatformSet::all();
    for each in [false, true] {
        let before = calls();
        let m = if each {
            Matrix::evaluate_each(&ev, &all, &leaf.cert, &inters, &[&server()])
        } else {
            Matrix::evaluate(&ev, &all, &leaf.cert, &inters, &[&server()])
        }
        .unwrap();
        assert_eq!(m.entries().len(), all.len());
        // Three distinct signatures exist (two links and the root's self-signature, which
        // some profiles read): each is verified at most once over every profile.
        let n = calls() - before;
        assert!(
            (2..=3).contains(&n),
            "{} profiles (each: {each}): {n} verifications, every signature at most once",
            all.len()
        );
    }

    // An evaluator's own cache is shared by the matrix and kept for later runs.
    let cache = Arc::new(SignatureCache::new());
    let cached = TrustEvaluator::builder()
        .anchors([cas.root.cert.clone()])
        .verify_time_unix(mid(&leaf))
        .verifier(counting.clone())
        .with_cache(cache.clone())
        .build();
    let before = calls();
    Matrix::evaluate(&cached, &all, &leaf.cert, &inters, &[&server()]).unwrap();
    let n = calls() - before;
    assert!((2..=3).contains(&n), "{n}");
    assert_eq!(cache.len(), n);
    let v = cached
        .with_platform(p("ios-9.0"))
        .evaluate(&leaf.cert, &inters, &[&server()])
        .unwrap();
    assert_eq!(calls() - before, n, "answered from the cache");
    assert_eq!(v.work().signature_checks, 0, "cache hits are not counted");
    assert!(v.is_trusted(), "{v}");
}

#[test]
fn diff_ties_ssl_hostname_to_the_cn_fallback_row() {
    let cas = Cas::new();
    let leaf = cn_only(&cas);
    let ev = app_evaluator(&cas, &leaf);
    let eval = |name: &str| eval_on(&ev, name, &leaf, &cas);
    let d = diff(&eval("ios-12.0"), &eval("ios-13.0"));
    assert!(d.inputs.is_empty(), "same chain, same anchor");
    assert_eq!(d.checks.len(), 1, "{d}");
    let c = &d.checks[0];
    assert_eq!((c.cert_index, c.check), (0, Check::SslHostname));
    assert!(c.only_in_b());
    let ids: Vec<RuleId> = c.rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, [RuleId::HostnameCnFallback], "{d}");
    assert!(c.rules[0].in_a && !c.rules[0].in_b);
    let text = d.to_string();
    assert!(
        text.contains("[0] SSLHostname −67602 fails on B only"),
        "{text}"
    );
    assert!(text.contains("rule HostnameCnFallback (A only)"), "{text}");
    assert!(diff(&eval("ios-13.0"), &eval("ios-14.0")).is_empty());
}

#[test]
fn diff_ties_validity_checks_to_the_split_validity_row() {
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let ev = TrustEvaluator::builder()
        .anchors([cas.root.cert.clone()])
        .verify_time_unix(unix("2026-01-01T00:00:00Z"))
        .build();
    let eval = |name: &str| eval_on(&ev, name, &leaf, &cas);
    let d = diff(&eval("ios-12.5"), &eval("ios-13.0"));
    let got: Vec<(Check, bool, Vec<RuleId>)> = d
        .checks
        .iter()
        .map(|c| {
            (
                c.check,
                c.only_in_a(),
                c.rules.iter().map(|r| r.id).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                Check::TemporalValidity,
                false,
                vec![RuleId::SplitValidityChecks, RuleId::AppleRootExpirySkip]
            ),
            (
                Check::ValidLeaf,
                true,
                vec![RuleId::SplitValidityChecks, RuleId::AppleRootExpirySkip]
            ),
        ],
        "{d}"
    );
}

#[test]
fn diff_names_an_input_difference_when_the_anchor_differs() {
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let inters = [cas.inter.cert.clone(), cas.root.cert.clone()];
    let anchored = app_evaluator(&cas, &leaf)
        .evaluate(&leaf.cert, &inters, &[&server()])
        .unwrap();
    let unanchored = TrustEvaluator::builder()
        .verify_time_unix(mid(&leaf))
        .build()
        .evaluate(&leaf.cert, &inters, &[&server()])
        .unwrap();
    let d = diff(&anchored, &unanchored);
    assert_eq!(d.inputs, [InputKind::Anchor], "{d}");
    assert_eq!(d.checks.len(), 1);
    assert_eq!(
        (d.checks[0].cert_index, d.checks[0].check),
        (2, Check::AnchorTrusted)
    );
    assert!(d.checks[0].rules.is_empty(), "same profile: no row differs");
    assert_eq!(d.checks[0].inputs, [InputKind::Anchor]);
    assert!(
        d.to_string()
            .contains("anchored by an app anchor on A, by no trusted anchor on B")
    );
}

#[test]
fn diff_ties_smime_checks_to_the_smime_rows() {
    // anyEKU: accepted by iOS 7–13 (55471), refused from iOS 14 (59754).
    let story = FoundingStory::new();
    let any_eku = CertBuilder::new("CN=Jane Appleseed")
        .email(FoundingStory::PRIMARY)
        .eku(&[oids::any_eku()])
        .validity("2012-03-01T00:00:00Z", "2013-03-01T00:00:00Z")
        .issued_by(&story.ca)
        .build();
    let policy = Smime::new(SmimeUsage::SIGN, Some(FoundingStory::PRIMARY.into()));
    let eval = |name: &str| {
        story
            .evaluator()
            .with_platform(p(name))
            .evaluate(
                &any_eku.cert,
                std::slice::from_ref(&story.ca.cert),
                &[&policy],
            )
            .unwrap()
    };
    let d = diff(&eval("ios-13.0"), &eval("ios-14.0"));
    assert_eq!(d.checks.len(), 1, "{d}");
    let c = &d.checks[0];
    assert_eq!((c.cert_index, c.check), (0, Check::ExtendedKeyUsage));
    let ids: Vec<RuleId> = c.rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, [RuleId::SmimeEku55471, RuleId::SmimeEku59754], "{d}");
    // The pre-iOS-6 quirk: Email tied to its row (and to the CSSM engine's matching).
    let alias = |name: &str| story.evaluate(&p(name), &story.alias);
    let d = diff(&alias("macos-10.7"), &alias("ios-5.1"));
    let c = &d.checks[0];
    assert_eq!(c.check, Check::Email, "{d}");
    let ids: Vec<RuleId> = c.rules.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        [
            RuleId::Ios5SmimeQuirk,
            RuleId::SmimeCssm,
            RuleId::AllowedErrors
        ],
        "{d}"
    );
}

/// Every Apple policy says its options follow from the OS and rule rows (so a matrix need not
/// ask each profile), and it is true: profiles with the same OS and rules get equal options.
#[test]
fn apple_policies_options_follow_the_rules() {
    let policies: Vec<Box<dyn sectrust::Policy>> = vec![
        Box::new(sectrust::BasicX509),
        Box::new(sectrust::Ssl::server("www.example.com")),
        Box::new(sectrust::Ssl::client(Some("client"))),
        Box::new(Smime::new(SmimeUsage::SIGN, Some("a@example.com".into()))),
        Box::new(sectrust::CodeSigning),
        Box::new(sectrust::Revocation::new(1).unwrap()),
    ];
    let all: Vec<Platform> = PlatformSet::all().iter().collect();
    let mut compared = 0;
    for p in &policies {
        assert!(p.options_follow_rules(), "{}", p.name());
        for a in &all {
            for b in all
                .iter()
                .filter(|b| b.os() == a.os() && b.rules() == a.rules() && b != &a)
            {
                assert_eq!(p.options(a), p.options(b), "{} {a} {b}", p.name());
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "{compared}");
}
