//! Quirk hypotheses — the policies' own ([`Policy::quirk`](crate::Policy::quirk): the pre-iOS-6
//! S/MIME quirk, platforms.md) and the probes' — each re-evaluated and reported on its own.

use super::cause::{Cause, CauseKind, Consistency};
use super::diagnose::Diagnoser;
use super::diff::{RuleRef, Side};
use super::probe::{Probe, SideInput, Variant};
use super::reproduce::{Ctx, Tried, Variation, excluded, outcome, reproduced};
use crate::error::Error;
use crate::platform::RuleId;
use crate::policy::Policy;
use crate::verdict::Verdict;

impl Diagnoser<'_> {
    /// (1b) Each hypothesis of each policy's quirk: the policy under it, on both devices (the
    /// quirk's row decides where it applies).
    pub(super) fn policy_quirks(&self, ctx: &Ctx<'_>) -> Result<Vec<Cause>, Error> {
        let (pa, pb) = (ctx.platform(Side::A), ctx.platform(Side::B));
        let mut causes = Vec::new();
        for (j, quirk) in self.quirks.iter().enumerate() {
            let Some(quirk) = quirk else { continue };
            let applies = pa.has(quirk.rule) || pb.has(quirk.rule);
            for h in &quirk.hypotheses {
                let what = format!("hypothesis {} of the {:?} row", h.name, quirk.rule);
                if !applies {
                    let mut c = Cause::new(
                        CauseKind::QuirkHypothesis,
                        Consistency::Inconsistent,
                        format!(
                            "the {:?} row applies on neither {pa} nor {pb}, so no hypothesis \
                             about it can change these verdicts",
                            quirk.rule
                        ),
                    );
                    c.subject = Some(h.name.clone());
                    causes.push(c);
                    continue;
                }
                let mut policies: Vec<&dyn Policy> = self.published();
                policies[j] = h.policy.as_ref();
                let v = Variation::policies(&policies);
                let c = match self.try_variation(ctx, [Some(v), Some(v)])? {
                    Tried::Hit((sides, va, vb)) => {
                        let mut c = reproduced(
                            CauseKind::QuirkHypothesis,
                            sides,
                            h.name.clone(),
                            &what,
                            &va,
                            &vb,
                        );
                        own_row(&mut c, Some(quirk.rule), &va, &vb);
                        if let Some(note) = [&va, &vb]
                            .iter()
                            .flat_map(|v| v.notes())
                            .find(|n| n.contains(&h.name))
                        {
                            c.reason.push_str(&format!(" ({note})"));
                        }
                        c
                    }
                    Tried::Excluded(ex) => excluded(
                        CauseKind::QuirkHypothesis,
                        Some(h.name.clone()),
                        &what,
                        &ex,
                        ctx,
                    ),
                    Tried::Miss([Some(va), Some(vb)]) => {
                        let mut c = Cause::new(
                            CauseKind::QuirkHypothesis,
                            Consistency::Inconsistent,
                            format!(
                                "under it the emulator shows {}, not what was observed ({})",
                                outcome(&va, &vb),
                                h.explanation
                            ),
                        );
                        c.subject = Some(h.name.clone());
                        c
                    }
                    Tried::Miss(_) => unreachable!("the hypothesis applies on both sides"),
                };
                causes.push(c);
            }
        }
        Ok(causes)
    }

    /// Runs a probe: each label on both sides, then A only, then B only. A quirk probe is
    /// reported per label (hypothesis); another probe by its first reproducing label.
    pub(super) fn run_probe(&self, ctx: &Ctx<'_>, probe: &dyn Probe) -> Result<Vec<Cause>, Error> {
        let per_side = self.probe_variants(ctx, probe, self.leaf)?;
        let mut control_variants: Option<[Vec<Variant>; 2]> = None;
        let mut labels: Vec<&str> = Vec::new();
        for v in per_side.iter().flatten() {
            if !labels.contains(&v.label.as_str()) {
                labels.push(&v.label);
            }
        }
        let per_label = probe.kind() == CauseKind::QuirkHypothesis;
        let mut causes = Vec::new();
        let mut exclusion = None;
        for label in &labels {
            let find = |vs: &[Vec<Variant>; 2], i: usize| {
                vs[i]
                    .iter()
                    .find(|v| v.label == *label)
                    .map(|v| v.verdict.clone())
            };
            let rule = per_side
                .iter()
                .flatten()
                .find(|v| v.label == *label)
                .and_then(|v| v.rule);
            let varied = [find(&per_side, 0), find(&per_side, 1)];
            let mut found = None;
            for (sides, va, vb) in ctx.candidates(&varied) {
                let fails = self.control_check(ctx, sides, |side| {
                    if control_variants.is_none() {
                        let control = ctx.control.map(|(c, _)| c).unwrap_or(self.leaf);
                        control_variants = Some(self.probe_variants(ctx, probe, control)?);
                    }
                    Ok(control_variants
                        .as_ref()
                        .and_then(|cv| find(cv, side as usize)))
                })?;
                match fails {
                    None => {
                        found = Some((sides, va, vb));
                        break;
                    }
                    Some(control) => {
                        exclusion.get_or_insert((
                            label.to_string(),
                            super::reproduce::Exclusion {
                                sides,
                                va,
                                vb,
                                control,
                            },
                        ));
                    }
                }
            }
            if let Some((sides, va, vb)) = found {
                let mut c = reproduced(probe.kind(), sides, label.to_string(), label, &va, &vb);
                own_row(&mut c, rule, &va, &vb);
                causes.push(c);
                if !per_label {
                    return Ok(causes);
                }
            } else if per_label {
                let mut c = Cause::new(
                    probe.kind(),
                    Consistency::Inconsistent,
                    "it reproduces the observation neither on both sides, nor on A only, nor on \
                     B only",
                );
                c.subject = Some(label.to_string());
                causes.push(c);
            }
        }
        if !causes.is_empty() {
            return Ok(causes);
        }
        if let Some((label, ex)) = exclusion {
            return Ok(vec![excluded(
                probe.kind(),
                Some(label.clone()),
                &label,
                &ex,
                ctx,
            )]);
        }
        let n = per_side[0].len().max(per_side[1].len());
        Ok(vec![Cause::new(
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
        )])
    }

    /// The probe's variants of each side, for `leaf` (the diagnosed one or the control).
    fn probe_variants(
        &self,
        ctx: &Ctx<'_>,
        probe: &dyn Probe,
        leaf: &crate::Certificate,
    ) -> Result<[Vec<Variant>; 2], Error> {
        let published = self.published();
        let mut out: [Vec<Variant>; 2] = [Vec::new(), Vec::new()];
        for (i, side) in [Side::A, Side::B].into_iter().enumerate() {
            let ev = self.evaluator.with_platform(ctx.platform(side));
            out[i] = probe.variants(&SideInput {
                side,
                evaluator: &ev,
                leaf,
                intermediates: self.intermediates,
                policies: &published,
            })?;
        }
        Ok(out)
    }
}

/// A hypothesis is about its quirk's row: when that row differs between the two profiles it
/// is the rule the cause names (the other differing rows are in the diagnosis's diff).
fn own_row(c: &mut Cause, rule: Option<RuleId>, va: &Verdict, vb: &Verdict) {
    let (ra, rb) = (va.platform().rules(), vb.platform().rules());
    if let Some(own) = rule.and_then(|id| RuleRef::differing(&[id], &ra, &rb).pop()) {
        c.rules = vec![own];
    }
}
