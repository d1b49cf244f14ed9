//! `sectrust::explain`: the platform matrix and its groups, the shared signature cache, verdict
//! diffs tied to rule rows, and diagnoses that re-evaluate each kind of cause.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::ssl::{Cas, mid, server};
use common::{certs, p};
use sectrust::crypto::{SignatureAlgorithm, SignatureError, SignatureVerifier, default_verifier};
use sectrust::explain::{
    CauseKind, Consistency, Diagnoser, InputKind, Matrix, Observation, Observed, PlatformSet,
    Probe, QuirkHypothesis, SideInput, Sides, Variant, VerdictSummary, diff,
};
use sectrust::path::SignatureCache;
use sectrust::policy::PathView;
use sectrust::testing::{Issued, unix};
use sectrust::{
    BasicX509, Check, Platform, Policy, PolicyOptions, RuleId, SystemStore, TrustEvaluator,
    TrustResult, TrustSetting,
};

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
fn diagnosis_finds_the_platform_rule_and_where_the_verdict_flips() {
    let cas = Cas::new();
    let leaf = cn_only(&cas);
    let ev = app_evaluator(&cas, &leaf);
    let inters = [cas.inter.cert.clone()];
    let obs = Observation::trusted_on_not_on(p("ios-12.0"), p("ios-14.0"));
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&server()])
        .diagnose(&obs)
        .unwrap();
    assert!(d.reproduced);
    let first = &d.causes[0];
    assert_eq!(
        (first.kind, first.status),
        (CauseKind::PlatformRules, Consistency::Consistent),
        "{d}"
    );
    assert!(
        first
            .reason
            .contains("the verdict changes between ios-12.5 (trusted) and ios-13.0 (SSLHostname −67602), where HostnameCnFallback changes"),
        "{}",
        first.reason
    );
    let ids: Vec<RuleId> = first.rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, [RuleId::HostnameCnFallback]);
}

#[test]
fn diagnosis_clock_an_expired_leaf_was_trusted_at_an_earlier_time() {
    let cas = Cas::new();
    let leaf = cas
        .leaf()
        .validity("2011-03-01T00:00:00Z", "2012-03-01T00:00:00Z")
        .build();
    let ev = TrustEvaluator::builder()
        .anchors([cas.root.cert.clone()])
        .verify_time_unix(unix("2024-01-01T00:00:00Z"))
        .build();
    let inters = [cas.inter.cert.clone()];
    let obs = Observation::trusted_on_not_on(p("ios-6.0"), p("ios-6.1"));
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&BasicX509])
        .diagnose(&obs)
        .unwrap();
    assert!(!d.reproduced);
    let platform = d.cause(CauseKind::PlatformRules).unwrap();
    assert_eq!(platform.status, Consistency::Inconsistent);
    let first = d.consistent().next().expect("a consistent cause");
    assert_eq!(first.kind, CauseKind::VerifyTime, "{d}");
    assert_eq!(first.sides, Some(Sides::A));
    assert_eq!(first.windows.len(), 1);
    let w = first.windows[0];
    assert_eq!(
        (w.from, w.until),
        (
            Some(unix("2011-03-01T00:00:00Z")),
            Some(unix("2012-03-01T00:00:01Z"))
        )
    );
    assert!(
        first.reason.starts_with(
            "a device clock on A (ios-6.0) from 2011-03-01T00:00:00Z until 2012-03-01T00:00:01Z would explain it"
        ),
        "{}",
        first.reason
    );
    // Revocation is a cause kind, not yet evaluable without a probe.
    let r = d.cause(CauseKind::Revocation).unwrap();
    assert_eq!(r.status, Consistency::NotEvaluable);
    assert!(r.reason.starts_with("not yet evaluable"));
}

#[test]
fn diagnosis_missing_intermediate_on_one_device() {
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let ev = app_evaluator(&cas, &leaf);
    let inters = [cas.inter.cert.clone()];
    let obs = Observation::new(
        Observed::trusted(p("macos-14.0")),
        Observed::not_trusted(p("ios-17.0")),
    );
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&server()])
        .diagnose(&obs)
        .unwrap();
    assert!(!d.reproduced);
    let c = d.cause(CauseKind::MissingIntermediate).unwrap();
    assert_eq!(c.status, Consistency::Consistent, "{d}");
    assert_eq!(c.sides, Some(Sides::B));
    assert_eq!(
        c.subject.as_deref(),
        Some(cas.inter.cert.to_string().as_str())
    );
    assert!(
        c.reason.contains("MissingIntermediate −25318"),
        "{}",
        c.reason
    );
    let alt = d.cause(CauseKind::AlternatePath).unwrap();
    assert_eq!(alt.status, Consistency::Inconsistent);
}

#[test]
fn diagnosis_profile_root_without_full_trust_between_ios_10_2_and_10_3() {
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    // As the user tested it: the root trusted as an app anchor, so both evaluate trusted.
    let ev = app_evaluator(&cas, &leaf);
    let inters = [cas.inter.cert.clone()];
    let obs = Observation::trusted_on_not_on(p("ios-10.2"), p("ios-10.3"));
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&server()])
        .diagnose(&obs)
        .unwrap();
    assert!(!d.reproduced);
    let first = d.consistent().next().expect("a consistent cause");
    assert_eq!(first.kind, CauseKind::ProfileRootWithoutFullTrust, "{d}");
    assert_eq!(
        first.sides,
        Some(Sides::Both),
        "the same profile on both devices"
    );
    let ids: Vec<RuleId> = first.rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, [RuleId::ProfileRootsNeedFullTrust]);
    assert!(
        first
            .reason
            .contains("AnchorTrusted −67843 (cert 2) on ios-10.3"),
        "{}",
        first.reason
    );

    // With the profile root as given, the platform rule itself reproduces it.
    let ev = TrustEvaluator::builder()
        .user_trust([TrustSetting::profile_root(cas.root.cert.clone(), false)])
        .verify_time_unix(mid(&leaf))
        .build();
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&server()])
        .diagnose(&obs)
        .unwrap();
    assert!(d.reproduced);
    assert_eq!(d.causes[0].kind, CauseKind::PlatformRules);
    let ids: Vec<RuleId> = d.causes[0].rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, [RuleId::ProfileRootsNeedFullTrust], "{d}");
}

#[test]
fn diagnosis_deny_setting() {
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let ev = TrustEvaluator::builder()
        .user_trust([TrustSetting::trust_root(cas.root.cert.clone())])
        .verify_time_unix(mid(&leaf))
        .build();
    let inters = [cas.inter.cert.clone()];
    let obs = Observation::new(
        Observed::trusted(p("ios-16.0")),
        Observed::result(p("ios-17.0"), TrustResult::Deny),
    );
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&server()])
        .diagnose(&obs)
        .unwrap();
    let consistent: Vec<CauseKind> = d.consistent().map(|c| c.kind).collect();
    assert_eq!(consistent, [CauseKind::DenySetting], "{d}");
    let c = d.cause(CauseKind::DenySetting).unwrap();
    assert_eq!(c.sides, Some(Sides::B));
    assert!(c.reason.contains("deny: UsageConstraints"), "{}", c.reason);
}

/// A stand-in for a quirk policy: fails SSLHostname where the pre-iOS-6 quirk row applies.
#[derive(Debug)]
struct QuirkyPolicy;

impl Policy for QuirkyPolicy {
    fn oid(&self) -> sectrust::ObjectIdentifier {
        BasicX509::OID
    }
    fn name(&self) -> &str {
        "quirky"
    }
    fn options(&self, platform: &Platform) -> PolicyOptions {
        let mut o = BasicX509.options(platform);
        o.insert(Check::SslHostname);
        o
    }
    fn check_path(&self, path: &PathView<'_>, failures: &mut Vec<(usize, Check)>) {
        if path.platform.has(RuleId::Ios5SmimeQuirk) {
            failures.push((0, Check::SslHostname));
        }
    }
}

/// A probe that offers nothing (a revocation hook without data).
#[derive(Debug)]
struct EmptyRevocation;

impl Probe for EmptyRevocation {
    fn kind(&self) -> CauseKind {
        CauseKind::Revocation
    }
    fn variants(&self, _side: &SideInput<'_>) -> Result<Vec<Variant>, sectrust::Error> {
        Ok(Vec::new())
    }
}

#[test]
fn diagnosis_plugs_in_quirk_hypotheses_and_probes() {
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let ev = app_evaluator(&cas, &leaf);
    let inters = [cas.inter.cert.clone()];
    let obs = Observation::trusted_on_not_on(p("ios-6.0"), p("ios-5.1"));
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&BasicX509])
        .hypotheses([
            QuirkHypothesis {
                name: "Harmless".into(),
                rule: Some(RuleId::Ios5SmimeQuirk),
                policies: vec![Arc::new(BasicX509)],
            },
            QuirkHypothesis {
                name: "Quirky".into(),
                rule: Some(RuleId::Ios5SmimeQuirk),
                policies: vec![Arc::new(QuirkyPolicy)],
            },
        ])
        .probe(Arc::new(EmptyRevocation))
        .diagnose(&obs)
        .unwrap();
    let first = d.consistent().next().expect("a consistent cause");
    assert_eq!(first.kind, CauseKind::QuirkHypothesis, "{d}");
    assert_eq!(first.subject.as_deref(), Some("Quirky"));
    assert_eq!(first.sides, Some(Sides::Both));
    let ids: Vec<RuleId> = first.rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, [RuleId::Ios5SmimeQuirk], "the hypothesis's own row");
    let r = d.cause(CauseKind::Revocation).unwrap();
    assert_eq!(r.status, Consistency::NotEvaluable);
    assert!(r.reason.contains("offered no variation"), "{}", r.reason);
    let text = d.to_string();
    assert!(
        text.starts_with("observed: trusted on ios-6.0, not trusted on ios-5.1\n"),
        "{text}"
    );
}

#[test]
fn diagnosis_reports_every_kind_honestly_when_nothing_reproduces() {
    // Fatal on A: nothing the diagnosis varies (time, chain, settings) makes a good chain fatal.
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let ev = app_evaluator(&cas, &leaf);
    let obs = Observation::new(
        Observed::result(p("ios-17.0"), TrustResult::FatalTrustFailure),
        Observed::trusted(p("ios-17.0")),
    );
    let d = Diagnoser::new(
        &ev,
        &leaf.cert,
        std::slice::from_ref(&cas.inter.cert),
        &[&server()],
    )
    .diagnose(&obs)
    .unwrap();
    assert_eq!(d.consistent().count(), 0, "{d}");
    for c in &d.causes {
        assert_ne!(c.status, Consistency::Consistent);
        assert!(!c.reason.is_empty());
    }
    let p_rules = d.cause(CauseKind::PlatformRules).unwrap();
    assert!(
        p_rules
            .reason
            .ends_with("both sides run the same profile, so no rule differs")
    );
}
