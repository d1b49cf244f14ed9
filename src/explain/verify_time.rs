//! (2) The verify time: each side's verdict at every instant it can change — each
//! certificate's validity bounds (`apple-trust.md §1`: valid when notBefore ≤ t ≤ notAfter)
//! and the dates rules change at ([`DATE_GATES`]).

use super::cause::{Cause, CauseKind, Consistency, Sides, TimeWindow};
use super::diagnose::Diagnoser;
use super::diff::Side;
use super::reproduce::{Ctx, Variation, control_objection, outcome, rules_if_both};
use crate::certificate::Certificate;
use crate::error::Error;
use crate::evaluator::TrustEvaluator;
use crate::verdict::Verdict;

/// Dates at which a rule of `apple-trust.md` / platforms.md changes what it asks; the verify-
/// time test tries them as verify times, next to every certificate's validity bounds. Data.
pub const DATE_GATES: &[DateGate] = &[
    DateGate {
        at: 1_464_739_200,
        what: "2016-06-01: Symantec TLS leaves issued before are distrusted",
    },
    DateGate {
        at: 1_467_331_200,
        what: "2016-07-01: the 1188-day validity tier",
    },
    DateGate {
        at: 1_480_550_400,
        what: "2016-12-01: WoSign / StartCom distrust",
    },
    DateGate {
        at: 1_519_862_400,
        what: "2018-03-01: the legacy validity tiers end",
    },
    DateGate {
        at: crate::ct::CT_REQUIRED_FROM,
        what: "2018-10-16: CT required for system-anchored TLS leaves",
    },
    DateGate {
        at: crate::policy::JULY_2019,
        what: "2019-06-30T23:00Z: the 825-day and serverAuth rules",
    },
    DateGate {
        at: 1_598_918_400,
        what: "2020-09-01: the 398-day maximum",
    },
    DateGate {
        at: 1_618_963_200,
        what: "2021-04-21: CT counted in days",
    },
    DateGate {
        at: 1_648_771_200,
        what: "2022-04-01: S/MIME rules for system-anchored leaves",
    },
    DateGate {
        at: 1_731_628_800,
        what: "2024-11-15: Entrust / Camerfirma distrust",
    },
];

/// A date a rule changes at ([`DATE_GATES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateGate {
    /// Unix seconds.
    pub at: i64,
    /// What changes.
    pub what: &'static str,
}

/// What the verify-time search found for one combination of sides.
#[derive(Default)]
struct Found {
    /// Windows that reproduce the observation (the control, if any, still trusted).
    windows: Vec<TimeWindow>,
    /// The instant of them nearest the evaluator's verify time.
    example: Option<usize>,
    /// Windows that reproduce it for the leaf only.
    excluded: Vec<TimeWindow>,
    /// The instant of them nearest the verify time, with the control's failing verdict.
    excluded_example: Option<(usize, Verdict)>,
}

/// Adds `[from, until)` to `windows`, merging with the last one when they touch.
fn push_window(windows: &mut Vec<TimeWindow>, sides: Sides, from: Option<i64>, until: Option<i64>) {
    match windows.last_mut() {
        Some(w) if w.until == from => w.until = until,
        _ => windows.push(TimeWindow { sides, from, until }),
    }
}

impl Diagnoser<'_> {
    /// (2) The verify time: each side's verdict over time, at every instant it can change.
    pub(super) fn verify_time(&self, ctx: &Ctx<'_>) -> Result<Cause, Error> {
        let mut bounds: Vec<i64> = DATE_GATES.iter().map(|g| g.at).collect();
        let certs = std::iter::once(self.leaf)
            .chain(self.intermediates)
            .chain(self.control)
            .chain(ctx.base[0].chain())
            .chain(ctx.base[1].chain());
        for c in certs {
            // Valid when notBefore ≤ t ≤ notAfter (`apple-trust.md §1`): verdicts change at
            // notBefore and at notAfter + 1 s.
            bounds.push(c.not_before());
            bounds.push(c.not_after().saturating_add(1));
        }
        bounds.sort_unstable();
        bounds.dedup();
        // One representative instant per interval: before the first bound, then each bound.
        let mut reps: Vec<i64> = Vec::with_capacity(bounds.len() + 1);
        if let Some(&first) = bounds.first() {
            reps.push(first.saturating_sub(1));
        }
        reps.extend(&bounds);
        let sides_of = [Side::A, Side::B];
        let now = self.evaluator.verify_time();
        let dist = |t: i64| t.saturating_sub(now).unsigned_abs();
        let at_time = |leaf: &Certificate, side: Side, t: i64| {
            let vary = move |e: &TrustEvaluator| e.at_time(t);
            self.eval(leaf, ctx.platform(side), &Variation::evaluator(&vary))
        };
        let mut at: [Vec<Verdict>; 2] = [Vec::new(), Vec::new()];
        for (i, side) in sides_of.into_iter().enumerate() {
            for &t in &reps {
                at[i].push(at_time(self.leaf, side, t)?);
            }
        }
        let mut control_at: [Vec<Option<Verdict>>; 2] =
            [vec![None; reps.len()], vec![None; reps.len()]];
        // Which intervals reproduce the observation, for each combination.
        let interval = |k: usize| -> (Option<i64>, Option<i64>) {
            let from = if k == 0 { None } else { Some(reps[k]) };
            (from, reps.get(k + 1).copied())
        };
        let mut found: Option<(Sides, Found)> = None;
        let mut excluded: Option<(Sides, Found)> = None;
        for sides in [Sides::Both, Sides::A, Sides::B] {
            let mut f = Found::default();
            for k in 0..reps.len() {
                let va = (sides != Sides::B).then_some(&at[0][k]);
                let vb = (sides != Sides::A).then_some(&at[1][k]);
                if !ctx.reproduces_changed(va, vb) {
                    continue;
                }
                let (from, until) = interval(k);
                let fails = self.control_check(ctx, sides, |side| {
                    let i = side as usize;
                    if control_at[i][k].is_none()
                        && let Some((control, _)) = ctx.control
                    {
                        control_at[i][k] = Some(at_time(control, side, reps[k])?);
                    }
                    Ok(control_at[i][k].clone())
                })?;
                // The example instant: the one nearest the evaluator's verify time.
                let nearer = |e: Option<usize>| e.is_none_or(|e| dist(reps[k]) < dist(reps[e]));
                match fails {
                    None => {
                        if nearer(f.example) {
                            f.example = Some(k);
                        }
                        push_window(&mut f.windows, sides, from, until);
                    }
                    Some(control) => {
                        if nearer(f.excluded_example.as_ref().map(|(e, _)| *e)) {
                            f.excluded_example = Some((k, control));
                        }
                        push_window(&mut f.excluded, sides, from, until);
                    }
                }
            }
            if f.example.is_some() {
                found = Some((sides, f));
                break;
            }
            if f.excluded_example.is_some() && excluded.is_none() {
                excluded = Some((sides, f));
            }
        }
        let whose = |sides: Sides| match sides {
            Sides::Both => "an observation (both device clocks)".to_owned(),
            Sides::A => format!("a device clock on A ({})", ctx.obs.a.platform),
            Sides::B => format!("a device clock on B ({})", ctx.obs.b.platform),
        };
        let verdicts = |sides: Sides, k: usize| {
            let va = if sides == Sides::B {
                ctx.base[0].clone()
            } else {
                at[0][k].clone()
            };
            let vb = if sides == Sides::A {
                ctx.base[1].clone()
            } else {
                at[1][k].clone()
            };
            (va, vb)
        };
        let when = |windows: &[TimeWindow]| {
            windows
                .iter()
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        };
        if let Some((sides, f)) = found {
            let k = f.example.unwrap_or_default();
            let (va, vb) = verdicts(sides, k);
            let mut c = Cause::new(
                CauseKind::VerifyTime,
                Consistency::Consistent,
                format!(
                    "{} {} would explain it: then {}",
                    whose(sides),
                    when(&f.windows),
                    outcome(&va, &vb)
                ),
            );
            c.sides = Some(sides);
            c.windows = f.windows;
            c.rules = rules_if_both(sides, &va, &vb);
            return Ok(c);
        }
        if let Some((sides, f)) = excluded
            && let Some((k, control)) = &f.excluded_example
        {
            let (va, vb) = verdicts(sides, *k);
            let mut c = Cause::new(
                CauseKind::VerifyTime,
                Consistency::Inconsistent,
                format!(
                    "{} {} would reproduce it (then {}), {}",
                    whose(sides),
                    when(&f.excluded),
                    outcome(&va, &vb),
                    control_objection(control, ctx)
                ),
            );
            c.excluded_by_control = true;
            return Ok(c);
        }
        Ok(Cause::new(
            CauseKind::VerifyTime,
            Consistency::Inconsistent,
            format!(
                "no verify time reproduces it on both sides, on A only or on B only ({} \
                 instants tried: every certificate's validity bounds and the rules' dates)",
                reps.len()
            ),
        ))
    }
}
