//! `sectrust::explain::Diagnoser`: each kind of cause re-evaluated and reported consistent only
//! when it reproduces the observation.

mod common;

use std::sync::Arc;

use common::p;
use common::ssl::{Cas, mid, server};
use sectrust::explain::{
    CauseKind, Consistency, Diagnoser, Diagnosis, Observation, Observed, Probe, QuirkHypothesis,
    SideInput, Sides, Variant, VerdictSummary,
};
use sectrust::policy::PathView;
use sectrust::revocation::ocsp::CertStatus;
use sectrust::revocation::{RevocationFlags, RevocationInputs};
use sectrust::testing::{FoundingStory, Issued, OcspResponder, unix};
use sectrust::{
    BasicX509, Check, EvaluationInputs, Platform, Policy, PolicyOptions, Revocation, RuleId,
    TrustEvaluator, TrustResult, TrustSetting,
};

/// A leaf whose host name is only in its subject CN (no subjectAltName).
fn cn_only(cas: &Cas) -> Issued {
    cas.leaf().no_san().build()
}

/// The kinds of the consistent causes, most specific first.
fn consistent(d: &Diagnosis) -> Vec<CauseKind> {
    d.consistent().map(|c| c.kind).collect()
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
    // Basic X.509 asks for no revocation check and no server staples a response for it.
    let r = d.cause(CauseKind::Revocation).unwrap();
    assert_eq!(r.status, Consistency::Inconsistent);
    assert!(
        r.reason
            .starts_with("neither device would see a revocation status: on ios-6.0 and ios-6.1"),
        "{}",
        r.reason
    );
}

#[test]
fn chain_cause_alone_a_missing_intermediate_on_one_device() {
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let ev = app_evaluator(&cas, &leaf);
    // The server sends its whole chain, root included: a device lacking the intermediate
    // reports MissingIntermediate (−25318), one that does not trust the root AnchorTrusted.
    let inters = [cas.inter.cert.clone(), cas.root.cert.clone()];
    // The iPhone reported errSecCreateChainFailed: that error, not just "not trusted".
    let obs = Observation::new(
        Observed::trusted(p("macos-14.0")),
        Observed::error(p("ios-17.0"), Check::MissingIntermediate.os_status()),
    );
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&server()])
        .diagnose(&obs)
        .unwrap();
    assert!(!d.reproduced);
    assert_eq!(consistent(&d), [CauseKind::MissingIntermediate], "{d}");
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
    // The built-in revocation outcomes, and the probe's own cause.
    let revocation: Vec<_> = d
        .causes
        .iter()
        .filter(|c| c.kind == CauseKind::Revocation)
        .collect();
    assert_eq!(revocation.len(), 2, "{d}");
    let r = revocation[1];
    assert_eq!(r.status, Consistency::NotEvaluable);
    assert!(r.reason.contains("offered no variation"), "{}", r.reason);
    // The probe's hypotheses are reported one by one.
    let harmless = d
        .causes
        .iter()
        .find(|c| c.subject.as_deref() == Some("Harmless"))
        .unwrap();
    assert_eq!(harmless.status, Consistency::Inconsistent);
    let text = d.to_string();
    assert!(
        text.starts_with("observed: trusted on ios-6.0, not trusted on ios-5.1\n"),
        "{text}"
    );
}

#[test]
fn diagnosis_reports_every_kind_honestly_when_nothing_reproduces() {
    // Fatal on A: nothing the diagnosis varies (time, chain, settings) makes a good chain fatal,
    // and under basic X.509 no device sees a revocation status.
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
        &[&BasicX509],
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

/// The rows a cause names, in order.
fn ids(c: &sectrust::explain::Cause) -> Vec<RuleId> {
    c.rules.iter().map(|r| r.id).collect()
}

/// The founding story: two S/MIME certificates from one CA, one chain, bought the same day,
/// differing only in e-mail address; "trusted on macOS 10.7, not trusted on iOS 5.1" for the
/// alias's. With the primary address's certificate as control, the pre-iOS-6 quirk's default
/// hypothesis is the one consistent cause; every other kind is excluded, and says why.
#[test]
fn the_founding_story_is_the_pre_ios_6_quirk_and_every_other_cause_is_excluded() {
    let story = FoundingStory::new();
    let ev = story.evaluator();
    let policy = FoundingStory::policy();
    let inters = [story.ca.cert.clone()];
    let obs = Observation::trusted_on_not_on(p("macos-10.7"), p("ios-5.1"));
    let d = Diagnoser::new(&ev, &story.alias.cert, &inters, &[&policy])
        .control(&story.primary.cert)
        .diagnose(&obs)
        .unwrap();
    assert!(!d.reproduced, "the published rules trust both: {d}");
    assert!(d.control.as_ref().is_some_and(|c| c.holds()), "{d}");

    let quirk = &d.causes[0];
    let found: Vec<_> = d
        .consistent()
        .map(|c| (c.kind, c.subject.as_deref()))
        .collect();
    assert_eq!(
        found,
        [(CauseKind::QuirkHypothesis, Some("PrimaryAddressOnly"))],
        "{d}"
    );
    assert_eq!(quirk.sides, Some(Sides::Both));
    assert_eq!(ids(quirk), [RuleId::Ios5SmimeQuirk], "the quirk's own row");
    assert!(
        quirk.reason.starts_with(
            "hypothesis PrimaryAddressOnly of the Ios5SmimeQuirk row, on both devices, \
             reproduces it: trusted on macos-10.7, Email −67623 on ios-5.1"
        ),
        "{}",
        quirk.reason
    );
    assert!(
        quirk
            .reason
            .contains("iOS 5 Mail asked about the primary address only"),
        "{}",
        quirk.reason
    );

    // Every other kind of cause: excluded, with its reason.
    let reason = |kind: CauseKind, subject: Option<&str>| {
        let c = d
            .causes
            .iter()
            .find(|c| c.kind == kind && (subject.is_none() || c.subject.as_deref() == subject))
            .unwrap_or_else(|| panic!("{kind:?} {subject:?} not reported: {d}"));
        assert_eq!(
            c.status,
            Consistency::Inconsistent,
            "{kind:?}: {}",
            c.reason
        );
        c.reason.clone()
    };
    let control = story.primary.cert.to_string();
    let by_control = format!("but the control certificate {control} would then show");
    let expect: [(CauseKind, Option<&str>, &str); 11] = [
        (
            CauseKind::PlatformRules,
            None,
            "with the published rules (no quirk hypothesis) the emulator shows trusted on \
             macos-10.7 and trusted on ios-5.1, not what was observed",
        ),
        (
            CauseKind::QuirkHypothesis,
            Some("CaseSensitiveAddress"),
            "under it the emulator shows trusted on macos-10.7, trusted on ios-5.1, not what \
             was observed",
        ),
        (
            CauseKind::QuirkHypothesis,
            Some("FirstSanAddressOnly"),
            "under it the emulator shows trusted on macos-10.7, trusted on ios-5.1, not what \
             was observed",
        ),
        (
            CauseKind::VerifyTime,
            None,
            "a device clock on B (ios-5.1) before 2012-03-01T00:00:00Z or from \
             2013-03-01T00:00:01Z on would reproduce it",
        ),
        (
            CauseKind::Revocation,
            None,
            "neither device would see a revocation status: on macos-10.7 and ios-5.1 no policy \
             asks for revocation checking",
        ),
        (
            CauseKind::MissingIntermediate,
            None,
            "left out, on B only, would reproduce it",
        ),
        (
            CauseKind::AlternatePath,
            None,
            "leaving out any of the 1 given intermediate(s) on A, on B or on both does not \
             reproduce it",
        ),
        (
            CauseKind::ProfileRootWithoutFullTrust,
            None,
            "re-evaluating with that setting on A, on B or on both does not reproduce it",
        ),
        (
            CauseKind::RootNotTrusted,
            None,
            "not trusted (not installed, not in the store), on B only, would reproduce it",
        ),
        (
            CauseKind::PolicyConstrainedSetting,
            None,
            "trusted by a setting constrained to another policy, on B only, would reproduce it",
        ),
        (
            CauseKind::DenySetting,
            None,
            "(with app anchors only, user/admin settings are not consulted)",
        ),
    ];
    for (kind, subject, want) in expect {
        let got = reason(kind, subject);
        assert!(got.contains(want), "{kind:?}: {got}");
    }
    for kind in [
        CauseKind::VerifyTime,
        CauseKind::MissingIntermediate,
        CauseKind::RootNotTrusted,
        CauseKind::PolicyConstrainedSetting,
    ] {
        let got = reason(kind, None);
        assert!(got.contains(&by_control), "{kind:?}: {got}");
    }
    // Nothing left untested.
    assert!(
        d.causes
            .iter()
            .all(|c| c.status != Consistency::NotEvaluable),
        "{d}"
    );
}

/// Platform rules, alone: the CN-only leaf and a control with the host in its SAN, from one
/// CA; "trusted on iOS 12.0, a recoverable failure on iOS 13.0". The control excludes the
/// clock, the chain and the anchor's settings; a revoked status would be fatal.
#[test]
fn platform_rule_cause_alone_the_cn_fallback_between_ios_12_and_13() {
    let cas = Cas::new();
    let (leaf, control) = (cn_only(&cas), cas.leaf().build());
    let ev = app_evaluator(&cas, &leaf);
    let inters = [cas.inter.cert.clone()];
    let obs = Observation::new(
        Observed::trusted(p("ios-12.0")),
        Observed::result(p("ios-13.0"), TrustResult::RecoverableTrustFailure),
    );
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&server()])
        .control(&control.cert)
        .diagnose(&obs)
        .unwrap();
    assert_eq!(consistent(&d), [CauseKind::PlatformRules], "{d}");
    assert_eq!(ids(&d.causes[0]), [RuleId::HostnameCnFallback]);
    for kind in [
        CauseKind::VerifyTime,
        CauseKind::MissingIntermediate,
        CauseKind::RootNotTrusted,
    ] {
        let c = d.cause(kind).unwrap();
        assert!(c.excluded_by_control, "{kind:?}: {}", c.reason);
    }
}

/// The verify time, alone: the leaf's notBefore is after the clock of the device that did not
/// trust it; a clock inside the validity on the other device explains the difference.
#[test]
fn verify_time_cause_alone_a_leaf_not_yet_valid_on_the_untrusted_clock() {
    let cas = Cas::new();
    let leaf = cas
        .leaf()
        .validity("2024-03-01T00:00:00Z", "2025-03-01T00:00:00Z")
        .build();
    // As evaluated: the clock of the device that said "not trusted".
    let ev = TrustEvaluator::builder()
        .anchors([cas.root.cert.clone()])
        .verify_time_unix(unix("2024-02-01T00:00:00Z"))
        .build();
    let inters = [cas.inter.cert.clone()];
    let obs = Observation::trusted_on_not_on(p("ios-17.0"), p("ios-17.0"));
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&server()])
        .diagnose(&obs)
        .unwrap();
    assert!(!d.reproduced);
    assert_eq!(consistent(&d), [CauseKind::VerifyTime], "{d}");
    let c = &d.causes[0];
    assert_eq!(c.sides, Some(Sides::A));
    let w: Vec<_> = c.windows.iter().map(|w| (w.from, w.until)).collect();
    assert_eq!(
        w,
        [(
            Some(unix("2024-03-01T00:00:00Z")),
            Some(unix("2025-03-01T00:00:01Z"))
        )]
    );
    assert!(
        c.reason.starts_with(
            "a device clock on A (ios-17.0) from 2024-03-01T00:00:00Z until \
             2025-03-01T00:00:01Z would explain it: then trusted on ios-17.0, TemporalValidity \
             −67818 on ios-17.0"
        ),
        "{}",
        c.reason
    );
}

/// Revocation, alone: one iPhone got a stapled OCSP response saying the leaf is revoked (fatal
/// from iOS 11); what a real responder's revoked answer gives is what the diagnosis assumed.
#[test]
fn revocation_cause_alone_a_revoked_ocsp_status_on_one_device() {
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let ev = app_evaluator(&cas, &leaf);
    let inters = [cas.inter.cert.clone()];
    let obs = Observation::new(
        Observed::trusted(p("ios-17.0")),
        Observed::result(p("ios-17.0"), TrustResult::FatalTrustFailure),
    );
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&server()])
        .diagnose(&obs)
        .unwrap();
    assert_eq!(consistent(&d), [CauseKind::Revocation], "{d}");
    let c = &d.causes[0];
    assert_eq!(c.sides, Some(Sides::B));
    assert_eq!(c.subject, Some(format!("{} revoked", leaf.cert)));
    assert!(
        c.reason
            .ends_with("(on ios-17.0 a TLS server can staple an OCSP response)"),
        "{}",
        c.reason
    );

    let responder = OcspResponder::new(&cas.inter).this_update(mid(&leaf) - 3600);
    let revoked = CertStatus::Revoked {
        time: mid(&leaf) - 86_400,
        reason: None,
    };
    let stapled = EvaluationInputs::new()
        .revocation(RevocationInputs::new().ocsp_response(responder.respond(&leaf, revoked)));
    let real = ev
        .with_platform(p("ios-17.0"))
        .evaluate_with_inputs(&leaf.cert, &inters, &[&server()], &stapled)
        .unwrap();
    assert_eq!(real.result(), TrustResult::FatalTrustFailure, "{real}");
    let summary = format!("{} on ios-17.0", VerdictSummary::of(&real));
    assert!(c.reason.contains(&summary), "{summary}: {}", c.reason);
}

/// Revocation with hard fail: an app asking for OCSP with RequirePositiveResponse, the
/// responder unreachable from one device.
#[test]
fn revocation_cause_alone_no_response_with_hard_fail() {
    let cas = Cas::new();
    let leaf = cas.leaf().build();
    let ev = app_evaluator(&cas, &leaf);
    let inters = [cas.inter.cert.clone()];
    let ocsp = Revocation::new(RevocationFlags::OCSP).unwrap();
    let obs = Observation::new(
        Observed::trusted(p("ios-17.0")),
        Observed::error(p("ios-17.0"), Check::RevocationResponseRequired.os_status()),
    );
    let d = Diagnoser::new(&ev, &leaf.cert, &inters, &[&server(), &ocsp])
        .diagnose(&obs)
        .unwrap();
    assert_eq!(consistent(&d), [CauseKind::Revocation], "{d}");
    let c = &d.causes[0];
    assert_eq!(c.subject.as_deref(), Some("no response, hard fail"));
    assert!(
        c.reason
            .contains("RevocationResponseRequired −67635 on ios-17.0"),
        "{}",
        c.reason
    );
}
