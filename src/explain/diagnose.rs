//! Why one device trusts a certificate and another does not: each kind of cause is tested by
//! re-evaluating, and reported consistent only when a re-evaluation reproduces the observation.

use std::fmt;
use std::sync::Arc;

use super::cause::{Cause, CauseKind, Consistency, Sides};
use super::diff::{RuleRef, Side, VerdictDiff, diff};
use super::matrix::{Matrix, PlatformRange, PlatformSet, VerdictSummary, shared_cache};
use super::observation::Observation;
use super::probe::{Probe, QuirkHypotheses, QuirkHypothesis, SideInput, Variant};
use crate::certificate::Certificate;
use crate::error::Error;
use crate::evaluator::TrustEvaluator;
use crate::platform::{Platform, RuleId, RuleSet};
use crate::policy::Policy;
use crate::verdict::Verdict;

/// The result of [`Diagnoser::diagnose`].
#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// What was observed.
    pub observation: Observation,
    /// Side A evaluated with the input as given.
    pub baseline_a: Verdict,
    /// Side B evaluated with the input as given.
    pub baseline_b: Verdict,
    /// Whether the baselines already show the observation.
    pub reproduced: bool,
    /// The differences between the baselines.
    pub diff: VerdictDiff,
    /// Every tested cause: consistent ones first, most specific first; then inconsistent ones;
    /// then those not evaluable.
    pub causes: Vec<Cause>,
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
        let mut st = s.serialize_struct("Diagnosis", 6)?;
        st.serialize_field("observation", &self.observation)?;
        st.serialize_field("baseline_a", &VerdictSummary::of(&self.baseline_a))?;
        st.serialize_field("baseline_b", &VerdictSummary::of(&self.baseline_b))?;
        st.serialize_field("reproduced", &self.reproduced)?;
        st.serialize_field("diff", &self.diff)?;
        st.serialize_field("causes", &self.causes)?;
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
    probes: Vec<Arc<dyn Probe>>,
}

/// `diagnose(evaluator, leaf, intermediates, policies, observation)`: a [`Diagnoser`] without
/// probes.
pub fn diagnose(
    evaluator: &TrustEvaluator,
    leaf: &Certificate,
    intermediates: &[Certificate],
    policies: &[&dyn Policy],
    observation: &Observation,
) -> Result<Diagnosis, Error> {
    Diagnoser::new(evaluator, leaf, intermediates, policies).diagnose(observation)
}

/// One side's verdict under a variation, `None` when the variation does not apply there.
pub(super) type Varied = Option<Verdict>;

impl<'a> Diagnoser<'a> {
    /// A diagnosis of `leaf` with `intermediates` under `policies`, everything else as
    /// `evaluator` has it (its platform is replaced by each side's). The evaluations share one
    /// signature cache.
    pub fn new(
        evaluator: &TrustEvaluator,
        leaf: &'a Certificate,
        intermediates: &'a [Certificate],
        policies: &'a [&'a dyn Policy],
    ) -> Self {
        Diagnoser {
            evaluator: shared_cache(evaluator),
            leaf,
            intermediates,
            policies,
            probes: Vec::new(),
        }
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

    /// Tests every kind of cause against `observation`.
    ///
    /// Each test re-evaluates: (1) the input as given on both profiles (the rows of the rules
    /// table that differ; the exact profile where the verdict flips when both sides run one
    /// OS) and each probe's variants (quirk hypotheses); (2) other verify times: every
    /// certificate's notBefore and notAfter + 1 s, and [`DATE_GATES`](super::DATE_GATES); (3) revocation, through
    /// a probe (not evaluable without one); (4) each given intermediate left out on one side;
    /// (5) the anchor as a profile root without full trust, not trusted at all, or trusted for
    /// another policy only, and a Deny setting on each certificate of the chains. A variation is
    /// tried on both sides, then on A only, then on B only; it counts only when it changes a
    /// verdict and the two verdicts then show the observation.
    pub fn diagnose(&self, observation: &Observation) -> Result<Diagnosis, Error> {
        let base_a = self.eval_on(observation.a.platform, |e| e.clone(), None)?;
        let base_b = self.eval_on(observation.b.platform, |e| e.clone(), None)?;
        let reproduced = observation.reproduced_by(&base_a, &base_b);
        let d = diff(&base_a, &base_b);
        let ctx = Ctx {
            obs: observation,
            base: [&base_a, &base_b],
            summaries: [VerdictSummary::of(&base_a), VerdictSummary::of(&base_b)],
        };
        let mut causes = vec![self.platform_rules(&ctx, reproduced, &d)?];
        for probe in self
            .probes
            .iter()
            .filter(|p| p.kind() == CauseKind::QuirkHypothesis)
        {
            causes.push(self.run_probe(&ctx, probe.as_ref())?);
        }
        causes.push(self.verify_time(&ctx)?);
        let revocation: Vec<&Arc<dyn Probe>> = self
            .probes
            .iter()
            .filter(|p| p.kind() == CauseKind::Revocation)
            .collect();
        if revocation.is_empty() {
            causes.push(Cause::new(
                CauseKind::Revocation,
                Consistency::NotEvaluable,
                "not yet evaluable: no revocation probe is plugged into the diagnosis \
                 (revocation data is not part of the evaluated input)",
            ));
        }
        for probe in revocation {
            causes.push(self.run_probe(&ctx, probe.as_ref())?);
        }
        causes.extend(self.chain(&ctx)?);
        causes.extend(self.trust_settings(&ctx)?);
        for probe in self
            .probes
            .iter()
            .filter(|p| !matches!(p.kind(), CauseKind::QuirkHypothesis | CauseKind::Revocation))
        {
            causes.push(self.run_probe(&ctx, probe.as_ref())?);
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
        Ok(Diagnosis {
            observation: *observation,
            baseline_a: base_a,
            baseline_b: base_b,
            reproduced,
            diff: d,
            causes,
        })
    }

    /// Evaluates on `platform` with the evaluator changed by `vary` and, optionally, other
    /// intermediates.
    pub(super) fn eval_on(
        &self,
        platform: Platform,
        vary: impl FnOnce(&TrustEvaluator) -> TrustEvaluator,
        intermediates: Option<&[Certificate]>,
    ) -> Result<Verdict, Error> {
        vary(&self.evaluator.with_platform(platform)).evaluate(
            self.leaf,
            intermediates.unwrap_or(self.intermediates),
            self.policies,
        )
    }

    /// (1) The input as given: reproduced or not; which rows differ; where the verdict flips.
    fn platform_rules(
        &self,
        ctx: &Ctx<'_>,
        reproduced: bool,
        d: &VerdictDiff,
    ) -> Result<Cause, Error> {
        let (pa, pb) = (ctx.obs.a.platform, ctx.obs.b.platform);
        let given = format!(
            "with the input as given the emulator shows {} on {pa} and {} on {pb}",
            ctx.summaries[0], ctx.summaries[1]
        );
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
                self.policies,
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

    /// Runs a probe: each label on both sides, then A only, then B only.
    fn run_probe(&self, ctx: &Ctx<'_>, probe: &dyn Probe) -> Result<Cause, Error> {
        let mut per_side: [Vec<Variant>; 2] = [Vec::new(), Vec::new()];
        for (i, side) in [Side::A, Side::B].into_iter().enumerate() {
            let ev = self.evaluator.with_platform(ctx.obs.side(side).platform);
            per_side[i] = probe.variants(&SideInput {
                side,
                evaluator: &ev,
                leaf: self.leaf,
                intermediates: self.intermediates,
                policies: self.policies,
            })?;
        }
        let labels = per_side.iter().flatten().map(|v| v.label.as_str());
        let mut seen: Vec<&str> = Vec::new();
        for label in labels {
            if seen.contains(&label) {
                continue;
            }
            seen.push(label);
            let find = |i: usize| per_side[i].iter().find(|v| v.label == label);
            let rule = find(0).or(find(1)).and_then(|v| v.rule);
            let varied = [0, 1].map(|i| find(i).map(|v| v.verdict.clone()));
            if let Some((sides, va, vb)) = ctx.first_reproducing(varied) {
                let mut c = reproduced(probe.kind(), sides, label.to_owned(), label, &va, &vb);
                // The quirk's own row first.
                let (ra, rb) = (va.platform().rules(), vb.platform().rules());
                if let Some(own) = rule.and_then(|id| RuleRef::differing(&[id], &ra, &rb).pop()) {
                    c.rules.retain(|r| r.id != own.id);
                    c.rules.insert(0, own);
                }
                return Ok(c);
            }
        }
        let n = per_side[0].len().max(per_side[1].len());
        Ok(Cause::new(
            probe.kind(),
            if n == 0 {
                Consistency::NotEvaluable
            } else {
                Consistency::Inconsistent
            },
            if n == 0 {
                format!("the {} probe offered no variation", probe.kind().name())
            } else {
                format!(
                    "none of the {n} variation(s) reproduces it on both sides, on A only or on B only"
                )
            },
        ))
    }
}

/// The baselines and the observation.
pub(super) struct Ctx<'b> {
    pub(super) obs: &'b Observation,
    pub(super) base: [&'b Verdict; 2],
    pub(super) summaries: [VerdictSummary; 2],
}

impl Ctx<'_> {
    /// Whether the varied verdicts (`None`: that side as given) show the observation and
    /// differ from the baseline on a varied side.
    pub(super) fn reproduces_changed(&self, a: &Varied, b: &Varied) -> bool {
        let changed = |v: &Varied, i: usize| {
            v.as_ref()
                .is_some_and(|v| VerdictSummary::of(v) != self.summaries[i])
        };
        if !changed(a, 0) && !changed(b, 1) {
            return false;
        }
        let va = a.as_ref().unwrap_or(self.base[0]);
        let vb = b.as_ref().unwrap_or(self.base[1]);
        self.obs.reproduced_by(va, vb)
    }

    /// The first of (both varied, A varied, B varied) that reproduces the observation, with
    /// the two verdicts.
    pub(super) fn first_reproducing(
        &self,
        varied: [Varied; 2],
    ) -> Option<(Sides, Verdict, Verdict)> {
        let [a, b] = varied;
        let combos = [
            (Sides::Both, a.clone(), b.clone()),
            (Sides::A, a, None),
            (Sides::B, None, b),
        ];
        combos.into_iter().find_map(|(sides, va, vb)| {
            // "Both" needs the variation to exist on both sides.
            let missing = if sides == Sides::Both {
                va.is_none() || vb.is_none()
            } else {
                va.is_none() && vb.is_none()
            };
            if missing || !self.reproduces_changed(&va, &vb) {
                return None;
            }
            Some((
                sides,
                va.unwrap_or_else(|| self.base[0].clone()),
                vb.unwrap_or_else(|| self.base[1].clone()),
            ))
        })
    }
}

/// A consistent cause: `what` on `sides` reproduces the observation with verdicts `va`, `vb`.
pub(super) fn reproduced(
    kind: CauseKind,
    sides: Sides,
    subject: String,
    what: &str,
    va: &Verdict,
    vb: &Verdict,
) -> Cause {
    let mut c = Cause::new(
        kind,
        Consistency::Consistent,
        format!(
            "{} reproduces it: {}",
            describe_sides(sides, what),
            outcome(va, vb)
        ),
    );
    c.sides = Some(sides);
    c.subject = Some(subject);
    c.rules = rules_if_both(sides, va, vb);
    c
}

fn describe_sides(sides: Sides, what: &str) -> String {
    match sides {
        Sides::Both => format!("{what}, on both devices,"),
        Sides::A => format!("{what}, on A only,"),
        Sides::B => format!("{what}, on B only,"),
    }
}

/// The rows that account for a reproduced difference: only when the same circumstance on both
/// devices reproduces it is the platform difference part of the explanation.
pub(super) fn rules_if_both(sides: Sides, va: &Verdict, vb: &Verdict) -> Vec<RuleRef> {
    if sides == Sides::Both {
        diff(va, vb).rules()
    } else {
        Vec::new()
    }
}

/// `trusted on ios-10.2, AnchorTrusted −67843 (cert 2) on ios-10.3`.
pub(super) fn outcome(va: &Verdict, vb: &Verdict) -> String {
    format!(
        "{} on {}, {} on {}",
        VerdictSummary::of(va),
        va.platform(),
        VerdictSummary::of(vb),
        vb.platform()
    )
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
