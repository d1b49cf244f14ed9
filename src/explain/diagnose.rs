//! Why one device trusts a certificate and another does not: each kind of cause is tested by
//! re-evaluating, and reported consistent only when a re-evaluation reproduces the observation
//! (and keeps the control certificate, if one is given, trusted).

use std::fmt;
use std::sync::Arc;

use super::cause::{Cause, CauseKind, Consistency, Sides};
use super::diff::{RuleRef, VerdictDiff, diff};
use super::matrix::{Matrix, VerdictSummary};
use super::observation::Observation;
use super::platform_set::{PlatformRange, PlatformSet};
use super::probe::{Probe, QuirkHypotheses, QuirkHypothesis};
use super::reproduce::{Ctx, Variation};
use crate::certificate::Certificate;
use crate::error::Error;
use crate::evaluator::TrustEvaluator;
use crate::platform::{RuleId, RuleSet};
use crate::policy::{Policy, Quirk};
use crate::verdict::Verdict;

/// The result of [`Diagnoser::diagnose`].
#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// What was observed.
    pub observation: Observation,
    /// Side A evaluated with the input as given (and the published rules: a policy's quirk
    /// hypotheses are left out, see [`Diagnoser::new`]).
    pub baseline_a: Verdict,
    /// Side B evaluated the same way.
    pub baseline_b: Verdict,
    /// The control certificate, if one was given, and its baselines.
    pub control: Option<Control>,
    /// Whether the baselines already show the observation.
    pub reproduced: bool,
    /// The differences between the baselines.
    pub diff: VerdictDiff,
    /// Every tested cause: consistent ones first, most specific first; then inconsistent ones;
    /// then those not evaluable.
    pub causes: Vec<Cause>,
}

/// A control certificate ([`Diagnoser::control`]) and how it evaluates as given.
#[derive(Debug, Clone)]
pub struct Control {
    /// The certificate, seen trusted on both devices.
    pub certificate: Certificate,
    /// Side A's verdict for it as given.
    pub baseline_a: Verdict,
    /// Side B's verdict for it as given.
    pub baseline_b: Verdict,
}

impl Control {
    /// Whether the emulator, as given, agrees that the control is trusted on both sides.
    pub fn holds(&self) -> bool {
        self.baseline_a.is_trusted() && self.baseline_b.is_trusted()
    }
}

impl Diagnosis {
    /// The consistent causes, most specific first.
    pub fn consistent(&self) -> impl Iterator<Item = &Cause> {
        self.causes.iter().filter(|c| c.is_consistent())
    }

    /// The first cause of `kind`.
    pub fn cause(&self, kind: CauseKind) -> Option<&Cause> {
        self.causes.iter().find(|c| c.kind == kind)
    }
}

impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "observed: {}", self.observation)?;
        writeln!(
            f,
            "as given: {} {}; {} {} — {}",
            self.baseline_a.platform(),
            VerdictSummary::of(&self.baseline_a),
            self.baseline_b.platform(),
            VerdictSummary::of(&self.baseline_b),
            if self.reproduced {
                "reproduced"
            } else {
                "not reproduced"
            }
        )?;
        if let Some(c) = &self.control {
            writeln!(
                f,
                "control {}: {} on {}, {} on {}",
                c.certificate,
                VerdictSummary::of(&c.baseline_a),
                c.baseline_a.platform(),
                VerdictSummary::of(&c.baseline_b),
                c.baseline_b.platform()
            )?;
        }
        for c in &self.causes {
            writeln!(f, "  {c}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Diagnosis {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = s.serialize_struct("Diagnosis", 7)?;
        st.serialize_field("observation", &self.observation)?;
        st.serialize_field("baseline_a", &VerdictSummary::of(&self.baseline_a))?;
        st.serialize_field("baseline_b", &VerdictSummary::of(&self.baseline_b))?;
        st.serialize_field("reproduced", &self.reproduced)?;
        st.serialize_field("diff", &self.diff)?;
        st.serialize_field("causes", &self.causes)?;
        st.serialize_field("control", &self.control)?;
        st.end()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Control {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = s.serialize_struct("Control", 4)?;
        st.serialize_field("certificate", &self.certificate)?;
        st.serialize_field("baseline_a", &VerdictSummary::of(&self.baseline_a))?;
        st.serialize_field("baseline_b", &VerdictSummary::of(&self.baseline_b))?;
        st.serialize_field("holds", &self.holds())?;
        st.end()
    }
}

/// Tests the causes of an observation about one input ([`Diagnoser::diagnose`]).
///
/// ```
/// use sectrust::explain::{CauseKind, Diagnoser, Observation};
/// use sectrust::testing::{CertBuilder, unix};
/// use sectrust::{BasicX509, Platform, TrustEvaluator};
///
/// let root = CertBuilder::new("CN=Root")
///     .ca(None)
///     .validity("2010-01-01T00:00:00Z", "2040-01-01T00:00:00Z")
///     .build();
/// let leaf = CertBuilder::new("CN=Leaf")
///     .issued_by(&root)
///     .validity("2011-01-01T00:00:00Z", "2012-03-01T00:00:00Z")
///     .build();
/// let evaluator = TrustEvaluator::builder()
///     .anchors([root.cert.clone()])
///     .verify_time_unix(unix("2024-01-01T00:00:00Z"))
///     .build();
/// // Seen trusted on one iPhone, not on another: the leaf has expired, so a clock on A
/// // inside the leaf's validity explains it.
/// let observation = Observation::trusted_on_not_on(Platform::ios(16, 0), Platform::ios(17, 0));
/// let diagnosis = Diagnoser::new(&evaluator, &leaf.cert, &[], &[&BasicX509]).diagnose(&observation)?;
/// let first = diagnosis.consistent().next().unwrap();
/// assert_eq!(first.kind, CauseKind::VerifyTime);
/// assert!(first.reason.contains("until 2012-03-01T00:00:01Z"), "{}", first.reason);
/// # Ok::<(), sectrust::Error>(())
/// ```
#[derive(Debug)]
pub struct Diagnoser<'a> {
    pub(super) evaluator: TrustEvaluator,
    pub(super) leaf: &'a Certificate,
    pub(super) intermediates: &'a [Certificate],
    pub(super) policies: &'a [&'a dyn Policy],
    /// Each policy's quirk, by policy index (`apple-trust.md §7`; [`Policy::quirk`]).
    pub(super) quirks: Vec<Option<Quirk>>,
    pub(super) control: Option<&'a Certificate>,
    pub(super) probes: Vec<Arc<dyn Probe>>,
}

/// `diagnose(evaluator, leaf, intermediates, policies, observation)`: a [`Diagnoser`] without
/// probes or control.
pub fn diagnose(
    evaluator: &TrustEvaluator,
    leaf: &Certificate,
    intermediates: &[Certificate],
    policies: &[&dyn Policy],
    observation: &Observation,
) -> Result<Diagnosis, Error> {
    Diagnoser::new(evaluator, leaf, intermediates, policies).diagnose(observation)
}

impl<'a> Diagnoser<'a> {
    /// A diagnosis of `leaf` with `intermediates` under `policies`, everything else as
    /// `evaluator` has it (its platform is replaced by each side's). The evaluations share one
    /// signature cache.
    ///
    /// A policy that models an unpublished quirk as hypotheses ([`Policy::quirk`]: the S/MIME
    /// policy's pre-iOS-6 quirk) is evaluated without it for the baselines and the other
    /// causes, and under each hypothesis for the quirk-hypothesis causes, so that the
    /// published rules and each hypothesis are judged apart (platforms.md "The pre-iOS-6
    /// S/MIME quirk").
    pub fn new(
        evaluator: &TrustEvaluator,
        leaf: &'a Certificate,
        intermediates: &'a [Certificate],
        policies: &'a [&'a dyn Policy],
    ) -> Self {
        Diagnoser {
            evaluator: evaluator.with_shared_cache().0,
            leaf,
            intermediates,
            policies,
            quirks: policies.iter().map(|p| p.quirk()).collect(),
            control: None,
            probes: Vec::new(),
        }
    }

    /// A control: another leaf seen trusted on both devices under the same circumstances (the
    /// same devices, clocks, intermediates, settings and policies) — the founding story's
    /// second certificate, from the same CA, bought the same day. A circumstance that would
    /// make the control untrusted too is excluded, so what remains is what sets the two
    /// certificates apart.
    pub fn control(mut self, control: &'a Certificate) -> Self {
        self.control = Some(control);
        self
    }

    /// Adds a probe (quirk hypotheses, revocation variations).
    pub fn probe(mut self, probe: Arc<dyn Probe>) -> Self {
        self.probes.push(probe);
        self
    }

    /// Adds quirk hypotheses (a [`QuirkHypotheses`] probe).
    pub fn hypotheses(self, hypotheses: impl IntoIterator<Item = QuirkHypothesis>) -> Self {
        let list = QuirkHypotheses(hypotheses.into_iter().collect());
        self.probe(Arc::new(list))
    }

    /// The policies with every quirk left out: what the baselines are evaluated with.
    pub(super) fn published(&self) -> Vec<&dyn Policy> {
        self.policies
            .iter()
            .zip(&self.quirks)
            .map(|(p, q)| match q {
                Some(q) => q.without.as_ref(),
                None => *p,
            })
            .collect()
    }

    /// Tests every kind of cause against `observation`.
    ///
    /// Each test re-evaluates: (1) the input as given on both profiles, with the published
    /// rules (the rows of the rules table that differ; the exact profile where the verdict
    /// flips when both sides run one OS), and each quirk hypothesis of the policies and of the
    /// probes; (2) other verify times: every certificate's notBefore and notAfter + 1 s, and
    /// [`DATE_GATES`](super::DATE_GATES); (3) revocation outcomes: each certificate revoked,
    /// and no response with hard fail, on a device that could see them (`apple-trust.md §9`),
    /// and the probes' variations; (4) each given intermediate left out; (5) the anchor as a
    /// profile root without full trust, not trusted at all, or trusted for another policy
    /// only, and a Deny setting on each certificate of the chains. A variation is tried on
    /// both sides, then on A only, then on B only; it counts only when it changes a verdict,
    /// the two verdicts then show the observation, and the control (if any) stays trusted.
    pub fn diagnose(&self, observation: &Observation) -> Result<Diagnosis, Error> {
        let given = Variation::default();
        let base_a = self.eval(self.leaf, observation.a.platform, &given)?;
        let base_b = self.eval(self.leaf, observation.b.platform, &given)?;
        let control = match self.control {
            Some(c) => Some(Control {
                certificate: c.clone(),
                baseline_a: self.eval(c, observation.a.platform, &given)?,
                baseline_b: self.eval(c, observation.b.platform, &given)?,
            }),
            None => None,
        };
        let reproduced = observation.reproduced_by(&base_a, &base_b);
        let d = diff(&base_a, &base_b);
        let ctx = Ctx {
            obs: observation,
            base: [&base_a, &base_b],
            summaries: [VerdictSummary::of(&base_a), VerdictSummary::of(&base_b)],
            control: control
                .as_ref()
                .map(|c| (&c.certificate, [&c.baseline_a, &c.baseline_b])),
        };
        let probes = |kind: CauseKind| self.probes.iter().filter(move |p| p.kind() == kind);
        let mut causes = vec![self.platform_rules(&ctx, reproduced, &d)?];
        causes.extend(self.policy_quirks(&ctx)?);
        for probe in probes(CauseKind::QuirkHypothesis) {
            causes.extend(self.run_probe(&ctx, probe.as_ref())?);
        }
        causes.push(self.verify_time(&ctx)?);
        causes.push(self.revocation(&ctx)?);
        for probe in probes(CauseKind::Revocation) {
            causes.extend(self.run_probe(&ctx, probe.as_ref())?);
        }
        causes.extend(self.chain(&ctx)?);
        causes.extend(self.trust_settings(&ctx)?);
        for probe in self
            .probes
            .iter()
            .filter(|p| !matches!(p.kind(), CauseKind::QuirkHypothesis | CauseKind::Revocation))
        {
            causes.extend(self.run_probe(&ctx, probe.as_ref())?);
        }
        if reproduced {
            for c in causes
                .iter_mut()
                .filter(|c| c.is_consistent() && c.kind != CauseKind::PlatformRules)
            {
                c.reason
                    .push_str("; the input as given already reproduces the observation without it");
            }
        }
        causes.sort_by_key(Cause::rank);
        drop(ctx);
        Ok(Diagnosis {
            observation: *observation,
            baseline_a: base_a,
            baseline_b: base_b,
            control,
            reproduced,
            diff: d,
            causes,
        })
    }

    /// (1) The input as given: reproduced or not; which rows differ; where the verdict flips.
    fn platform_rules(
        &self,
        ctx: &Ctx<'_>,
        reproduced: bool,
        d: &VerdictDiff,
    ) -> Result<Cause, Error> {
        let (pa, pb) = (ctx.obs.a.platform, ctx.obs.b.platform);
        let rules = if self.quirks.iter().any(Option::is_some) {
            "the published rules (no quirk hypothesis)"
        } else {
            "the input as given"
        };
        let given = format!(
            "with {rules} the emulator shows {} on {pa} and {} on {pb}",
            ctx.summaries[0], ctx.summaries[1]
        );
        if let (true, Some((_, [ca, cb]))) = (reproduced, ctx.control)
            && let Some(failing) = [ca, cb].into_iter().find(|v| !v.is_trusted())
        {
            return Ok(Cause::new(
                CauseKind::PlatformRules,
                Consistency::Inconsistent,
                format!(
                    "{given}, as observed, {}",
                    super::reproduce::control_objection(failing, ctx).replacen(
                        "would then show",
                        "shows",
                        1
                    )
                ),
            ));
        }
        if !reproduced {
            let why = if pa == pb {
                "; both sides run the same profile, so no rule differs".to_owned()
            } else {
                String::new()
            };
            return Ok(Cause::new(
                CauseKind::PlatformRules,
                Consistency::Inconsistent,
                format!("{given}, not what was observed{why}"),
            ));
        }
        let mut reason = format!("{given}, as observed");
        let mut rules = d.rules();
        if pa.os() == pb.os() && pa != pb {
            let (lo, hi) = if pa < pb { (pa, pb) } else { (pb, pa) };
            let span: PlatformSet = PlatformRange::new(lo, hi)
                .map(PlatformSet::range)
                .unwrap_or_default();
            let m = Matrix::evaluate(
                &self.evaluator,
                &span,
                self.leaf,
                self.intermediates,
                &self.published(),
            )?;
            let (ra, rb) = (pa.rules(), pb.rules());
            let mut at_flips: Vec<RuleId> = Vec::new();
            for pair in m.entries().windows(2) {
                let (x, y) = (&pair[0], &pair[1]);
                let (sx, sy) = (
                    VerdictSummary::of(&x.verdict),
                    VerdictSummary::of(&y.verdict),
                );
                if sx == sy {
                    continue;
                }
                let changed = changed_rows(&x.platform.rules(), &y.platform.rules());
                let tied: Vec<RuleId> = changed
                    .iter()
                    .copied()
                    .filter(|id| rules.iter().any(|r| r.id == *id))
                    .collect();
                let shown = if tied.is_empty() { &changed } else { &tied };
                reason.push_str(&format!(
                    "; the verdict changes between {} ({sx}) and {} ({sy}), where {} change{}",
                    x.platform,
                    y.platform,
                    list_ids(shown),
                    if shown.len() == 1 { "s" } else { "" }
                ));
                at_flips.extend(shown.iter().copied());
            }
            if !at_flips.is_empty() {
                // The rows that change exactly where the verdict flips are the specific ones.
                rules = at_flips
                    .iter()
                    .filter_map(|&id| RuleRef::between(id, &ra, &rb))
                    .filter(|r| r.in_a != r.in_b)
                    .fold(Vec::new(), |mut acc: Vec<RuleRef>, r| {
                        if !acc.iter().any(|x| x.id == r.id) {
                            acc.push(r);
                        }
                        acc
                    });
                if rules.is_empty() {
                    rules = d.rules();
                }
            }
        }
        let mut c = Cause::new(CauseKind::PlatformRules, Consistency::Consistent, reason);
        c.sides = Some(Sides::Both);
        c.rules = rules;
        Ok(c)
    }
}

/// The rows that apply to exactly one of two rule sets, in table order.
fn changed_rows(x: &RuleSet, y: &RuleSet) -> Vec<RuleId> {
    crate::platform::RULES
        .iter()
        .map(|r| r.id)
        .filter(|&id| x.contains(id) != y.contains(id))
        .collect()
}

fn list_ids(ids: &[RuleId]) -> String {
    if ids.is_empty() {
        return "no rows".to_owned();
    }
    ids.iter()
        .map(|id| format!("{id:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
