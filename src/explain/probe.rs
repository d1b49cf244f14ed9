//! Probes: how policies plug alternative evaluations (quirk hypotheses, revocation
//! variations) into a diagnosis.

use std::fmt;
use std::sync::Arc;

use super::cause::CauseKind;
use super::diff::Side;
use crate::certificate::Certificate;
use crate::error::Error;
use crate::evaluator::TrustEvaluator;
use crate::platform::RuleId;
use crate::policy::Policy;
use crate::verdict::Verdict;

/// One side of a diagnosis as a [`Probe`] sees it: the evaluator (set to the side's profile
/// and sharing the diagnosis's signature cache), and the input as given.
#[derive(Debug, Clone, Copy)]
pub struct SideInput<'a> {
    /// Which side.
    pub side: Side,
    /// The side's evaluator.
    pub evaluator: &'a TrustEvaluator,
    /// The leaf.
    pub leaf: &'a Certificate,
    /// The other certificates.
    pub intermediates: &'a [Certificate],
    /// The policies as given.
    pub policies: &'a [&'a dyn Policy],
}

impl SideInput<'_> {
    /// Evaluates the side with other policies (the usual re-evaluation of a quirk hypothesis).
    pub fn evaluate_with(&self, policies: &[&dyn Policy]) -> Result<Verdict, Error> {
        self.evaluator
            .evaluate(self.leaf, self.intermediates, policies)
    }
}

/// One alternative evaluation a [`Probe`] made of one side.
#[derive(Debug, Clone)]
pub struct Variant {
    /// What was varied (a hypothesis name, "certificate 1 revoked", …). Variants with the same
    /// label on both sides are also tried together.
    pub label: String,
    /// The row of the rules table the variation belongs to, if any (a quirk's row).
    pub rule: Option<RuleId>,
    /// The verdict under the variation.
    pub verdict: Verdict,
}

/// A family of alternative evaluations the diagnosis tries for one kind of cause — how
/// policies plug in their quirk hypotheses, and revocation its "one device saw a revocation
/// response" variations.
///
/// The diagnosis asks the probe for the variants of each side, then tries each label on both
/// sides, on side A only and on side B only (the other side as given), and reports the first
/// combination that reproduces the observation and changes some verdict.
pub trait Probe: Send + Sync + fmt::Debug {
    /// The kind of cause this probe tests.
    fn kind(&self) -> CauseKind;

    /// The alternative evaluations of `side`.
    fn variants(&self, side: &SideInput<'_>) -> Result<Vec<Variant>, Error>;
}

/// A quirk hypothesis: a named alternative set of policies that models a quirk (e.g. the S/MIME
/// policy with one `Ios5SmimeHypothesis`), with the rule row it belongs to.
#[derive(Debug, Clone)]
pub struct QuirkHypothesis {
    /// Its name, e.g. `PrimaryAddressOnly`.
    pub name: String,
    /// The row of the rules table the quirk belongs to (e.g. `Ios5SmimeQuirk`).
    pub rule: Option<RuleId>,
    /// The policies to evaluate with instead of the given ones.
    pub policies: Vec<Arc<dyn Policy>>,
}

/// The [`Probe`] of a list of quirk hypotheses.
#[derive(Debug, Clone, Default)]
pub struct QuirkHypotheses(pub Vec<QuirkHypothesis>);

impl Probe for QuirkHypotheses {
    fn kind(&self) -> CauseKind {
        CauseKind::QuirkHypothesis
    }

    fn variants(&self, side: &SideInput<'_>) -> Result<Vec<Variant>, Error> {
        self.0
            .iter()
            .map(|h| {
                let policies: Vec<&dyn Policy> = h.policies.iter().map(|p| p.as_ref()).collect();
                Ok(Variant {
                    label: h.name.clone(),
                    rule: h.rule,
                    verdict: side.evaluate_with(&policies)?,
                })
            })
            .collect()
    }
}
