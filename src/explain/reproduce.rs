//! How a varied circumstance is judged: it counts when it changes a verdict, the two verdicts
//! then show the observation, and the control certificate (if any) stays trusted under it.

use super::cause::{Cause, CauseKind, Consistency, Sides};
use super::diagnose::Diagnoser;
use super::diff::{RuleRef, Side, diff};
use super::matrix::VerdictSummary;
use super::observation::Observation;
use crate::certificate::Certificate;
use crate::error::Error;
use crate::evaluator::TrustEvaluator;
use crate::platform::Platform;
use crate::policy::Policy;
use crate::verdict::Verdict;

/// One circumstance to re-evaluate a side under: the evaluator changed (a clock, an anchor
/// source, an assumed revocation status), other intermediates, other policies. `None` parts
/// are as given (the policies as given are the published ones, see [`Diagnoser::new`]).
#[derive(Clone, Copy, Default)]
pub(super) struct Variation<'v> {
    pub(super) vary: Option<&'v dyn Fn(&TrustEvaluator) -> TrustEvaluator>,
    pub(super) intermediates: Option<&'v [Certificate]>,
    pub(super) policies: Option<&'v [&'v dyn Policy]>,
}

impl<'v> Variation<'v> {
    /// The evaluator changed by `vary`.
    pub(super) fn evaluator(vary: &'v dyn Fn(&TrustEvaluator) -> TrustEvaluator) -> Self {
        Variation {
            vary: Some(vary),
            ..Variation::default()
        }
    }

    /// Other intermediates.
    pub(super) fn intermediates(list: &'v [Certificate]) -> Self {
        Variation {
            intermediates: Some(list),
            ..Variation::default()
        }
    }

    /// Other policies.
    pub(super) fn policies(list: &'v [&'v dyn Policy]) -> Self {
        Variation {
            policies: Some(list),
            ..Variation::default()
        }
    }
}

/// The baselines, the observation and the control.
pub(super) struct Ctx<'b> {
    pub(super) obs: &'b Observation,
    pub(super) base: [&'b Verdict; 2],
    pub(super) summaries: [VerdictSummary; 2],
    /// The control certificate and its baselines on A and B.
    pub(super) control: Option<(&'b Certificate, [&'b Verdict; 2])>,
}

/// A combination that reproduced the observation: which sides were varied, and the verdicts.
pub(super) type Hit = (Sides, Verdict, Verdict);

/// A combination that reproduced the observation for the leaf but not for the control.
#[derive(Debug, Clone)]
pub(super) struct Exclusion {
    /// Which sides were varied.
    pub(super) sides: Sides,
    /// The leaf's verdicts.
    pub(super) va: Verdict,
    /// The leaf's verdicts.
    pub(super) vb: Verdict,
    /// The control's verdict that is not trusted.
    pub(super) control: Verdict,
}

/// What trying one variation found.
pub(super) enum Tried {
    /// Reproduced, the control (if any) still trusted.
    Hit(Hit),
    /// Reproduced for the leaf only: the control would then not be trusted.
    Excluded(Box<Exclusion>),
    /// Not reproduced: the leaf's verdicts under the variation, where it applies.
    Miss([Option<Verdict>; 2]),
}

/// A search over candidates (anchors, certificates, settings): the first that reproduces the
/// observation, else the first excluded by the control.
pub(super) struct Search<T> {
    pub(super) hit: Option<(T, Hit)>,
    pub(super) excluded: Option<(T, Exclusion)>,
}

impl<T> Default for Search<T> {
    fn default() -> Self {
        Search {
            hit: None,
            excluded: None,
        }
    }
}

impl<T> Search<T> {
    /// Records what trying `item` found; `true` when it reproduced (the search can stop).
    pub(super) fn record(&mut self, item: T, tried: Tried) -> bool {
        match tried {
            Tried::Hit(hit) => {
                self.hit.get_or_insert((item, hit));
                true
            }
            Tried::Excluded(ex) => {
                self.excluded.get_or_insert((item, *ex));
                false
            }
            Tried::Miss(_) => false,
        }
    }
}

impl Ctx<'_> {
    /// The platform of `side`.
    pub(super) fn platform(&self, side: Side) -> Platform {
        self.obs.side(side).platform
    }

    /// Whether the varied verdicts (`None`: that side as given) show the observation and
    /// differ from the baseline on a varied side.
    pub(super) fn reproduces_changed(&self, a: Option<&Verdict>, b: Option<&Verdict>) -> bool {
        let changed = |v: Option<&Verdict>, i: usize| {
            v.is_some_and(|v| VerdictSummary::of(v) != self.summaries[i])
        };
        if !changed(a, 0) && !changed(b, 1) {
            return false;
        }
        self.obs
            .reproduced_by(a.unwrap_or(self.base[0]), b.unwrap_or(self.base[1]))
    }

    /// The combinations of (both varied, A varied, B varied), in that order, that reproduce
    /// the observation, with the two verdicts.
    pub(super) fn candidates(&self, varied: &[Option<Verdict>; 2]) -> Vec<Hit> {
        let [a, b] = varied;
        let combos = [
            (Sides::Both, a.as_ref(), b.as_ref()),
            (Sides::A, a.as_ref(), None),
            (Sides::B, None, b.as_ref()),
        ];
        combos
            .into_iter()
            .filter(|(sides, va, vb)| {
                // "Both" needs the variation to exist on both sides.
                let missing = if *sides == Sides::Both {
                    va.is_none() || vb.is_none()
                } else {
                    va.is_none() && vb.is_none()
                };
                !missing && self.reproduces_changed(*va, *vb)
            })
            .map(|(sides, va, vb)| {
                (
                    sides,
                    va.cloned().unwrap_or_else(|| self.base[0].clone()),
                    vb.cloned().unwrap_or_else(|| self.base[1].clone()),
                )
            })
            .collect()
    }

    /// The control's verdict on `side` when it is not trusted: `varied` if that side is
    /// among `sides`, else the control's baseline.
    fn control_fails(&self, sides: Sides, side: Side, varied: Option<&Verdict>) -> Option<Verdict> {
        let (_, base) = self.control?;
        let i = side as usize;
        let on = matches!(
            (sides, side),
            (Sides::Both, _) | (Sides::A, Side::A) | (Sides::B, Side::B)
        );
        let v = if on { varied? } else { base[i] };
        (!v.is_trusted()).then(|| v.clone())
    }
}

impl Diagnoser<'_> {
    /// Evaluates `leaf` on `platform` under `v`.
    pub(super) fn eval(
        &self,
        leaf: &Certificate,
        platform: Platform,
        v: &Variation<'_>,
    ) -> Result<Verdict, Error> {
        let ev = self.evaluator.with_platform(platform);
        let ev = match v.vary {
            Some(f) => f(&ev),
            None => ev,
        };
        let published = self.published();
        let policies = v.policies.unwrap_or(&published);
        ev.evaluate(
            leaf,
            v.intermediates.unwrap_or(self.intermediates),
            policies,
        )
    }

    /// Tries `per_side` (`None`: the variation does not apply on that side): on both sides,
    /// then A only, then B only; the first combination that reproduces the observation and
    /// keeps the control trusted wins.
    pub(super) fn try_variation(
        &self,
        ctx: &Ctx<'_>,
        per_side: [Option<Variation<'_>>; 2],
    ) -> Result<Tried, Error> {
        let mut varied: [Option<Verdict>; 2] = [None, None];
        for (i, side) in [Side::A, Side::B].into_iter().enumerate() {
            if let Some(v) = &per_side[i] {
                varied[i] = Some(self.eval(self.leaf, ctx.platform(side), v)?);
            }
        }
        let mut excluded = None;
        for (sides, va, vb) in ctx.candidates(&varied) {
            let mut fails = None;
            if let Some((control, _)) = ctx.control {
                for (i, side) in [Side::A, Side::B].into_iter().enumerate() {
                    let cv = match &per_side[i] {
                        Some(v) if sides != other(side) => {
                            Some(self.eval(control, ctx.platform(side), v)?)
                        }
                        _ => None,
                    };
                    fails = ctx.control_fails(sides, side, cv.as_ref());
                    if fails.is_some() {
                        break;
                    }
                }
            }
            match fails {
                None => return Ok(Tried::Hit((sides, va, vb))),
                Some(control) => {
                    excluded.get_or_insert(Exclusion {
                        sides,
                        va,
                        vb,
                        control,
                    });
                }
            }
        }
        Ok(match excluded {
            Some(ex) => Tried::Excluded(Box::new(ex)),
            None => Tried::Miss(varied),
        })
    }

    /// Checks a combination whose verdicts were computed elsewhere (the verify time, probes)
    /// against the control: `control_varied` gives the control's verdict on a varied side.
    pub(super) fn control_check(
        &self,
        ctx: &Ctx<'_>,
        sides: Sides,
        mut control_varied: impl FnMut(Side) -> Result<Option<Verdict>, Error>,
    ) -> Result<Option<Verdict>, Error> {
        if ctx.control.is_none() {
            return Ok(None);
        }
        for side in [Side::A, Side::B] {
            let cv = if sides == other(side) {
                None
            } else {
                control_varied(side)?
            };
            if let Some(v) = ctx.control_fails(sides, side, cv.as_ref()) {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }
}

/// The one-sided combination that leaves `side` as given.
fn other(side: Side) -> Sides {
    match side {
        Side::A => Sides::B,
        Side::B => Sides::A,
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

/// A cause excluded by the control: `what` on the exclusion's sides reproduces the
/// observation for the leaf, but the control would then not be trusted.
pub(super) fn excluded(
    kind: CauseKind,
    subject: Option<String>,
    what: &str,
    ex: &Exclusion,
    ctx: &Ctx<'_>,
) -> Cause {
    let mut c = Cause::new(
        kind,
        Consistency::Inconsistent,
        format!(
            "{} would reproduce it ({}), {}",
            describe_sides(ex.sides, what),
            outcome(&ex.va, &ex.vb),
            control_objection(&ex.control, ctx)
        ),
    );
    c.subject = subject;
    c.excluded_by_control = true;
    c
}

/// "but the control … would then show … on P, and it was trusted there".
pub(super) fn control_objection(control: &Verdict, ctx: &Ctx<'_>) -> String {
    let name = ctx.control.map(|(c, _)| c.to_string()).unwrap_or_default();
    format!(
        "but the control certificate {name} would then show {} on {}, and it was trusted there",
        VerdictSummary::of(control),
        control.platform()
    )
}

pub(super) fn describe_sides(sides: Sides, what: &str) -> String {
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
