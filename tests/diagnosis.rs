//! `sectrust::explain::Diagnoser`: each kind of cause re-evaluated and reported consistent only
//! when it reproduces the observation.

mod common;

use std::sync::Arc;

use common::p;
use common::ssl::{Cas, mid, server};
use sectrust::explain::{
    CauseKind, Consistency, Diagnoser, Observation, Observed, Probe, QuirkHypothesis, SideInput,
    Sides, Variant,
};
use sectrust::policy::PathView;
use sectrust::testing::{Issued, unix};
use sectrust::{
    BasicX509, Check, Platform, Policy, PolicyOptions, RuleId, TrustEvaluator, TrustResult,
    TrustSetting,
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
