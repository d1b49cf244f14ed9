//! The circumstances a diagnosis varies beyond the platform: the verify time (2), the chain (4)
//! and trust settings and profiles (5), each re-evaluated on both devices, on A and on B.

use std::sync::Arc;

use const_oid::ObjectIdentifier;

use super::cause::{Cause, CauseKind, Consistency, Sides, TimeWindow};
use super::diagnose::{Ctx, Diagnoser, outcome, reproduced, rules_if_both};
use super::diff::same_chain;
use crate::anchors::{SystemStore, TrustSetting, TrustSettingResult, UsageConstraint};
use crate::certificate::Certificate;
use crate::error::Error;
use crate::evaluator::TrustEvaluator;
use crate::policy::{BasicX509, Ssl};
use crate::verdict::{Check, Verdict};

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

impl Diagnoser<'_> {
    /// (2) The verify time: each side's verdict over time, at every instant it can change.
    pub(super) fn verify_time(&self, ctx: &Ctx<'_>) -> Result<Cause, Error> {
        let mut bounds: Vec<i64> = DATE_GATES.iter().map(|g| g.at).collect();
        let certs = std::iter::once(self.leaf)
            .chain(self.intermediates)
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
        let mut at: [Vec<Verdict>; 2] = [Vec::new(), Vec::new()];
        for (i, p) in [ctx.obs.a.platform, ctx.obs.b.platform]
            .into_iter()
            .enumerate()
        {
            for &t in &reps {
                at[i].push(self.eval_on(p, |e| e.at_time(t), None)?);
            }
        }
        // Which intervals reproduce the observation, for each combination.
        let interval = |k: usize| -> (Option<i64>, Option<i64>) {
            let from = if k == 0 { None } else { Some(reps[k]) };
            (from, reps.get(k + 1).copied())
        };
        let mut found: Option<(Sides, Vec<TimeWindow>, usize)> = None;
        for sides in [Sides::Both, Sides::A, Sides::B] {
            let mut windows: Vec<TimeWindow> = Vec::new();
            let mut example = None;
            for (k, (at_a, at_b)) in at[0].iter().zip(&at[1]).enumerate() {
                let va = (sides != Sides::B).then(|| at_a.clone());
                let vb = (sides != Sides::A).then(|| at_b.clone());
                if !ctx.reproduces_changed(&va, &vb) {
                    continue;
                }
                example.get_or_insert(k);
                let (from, until) = interval(k);
                match windows.last_mut() {
                    Some(w) if w.until == from => w.until = until,
                    _ => windows.push(TimeWindow { sides, from, until }),
                }
            }
            if let Some(k) = example {
                found = Some((sides, windows, k));
                break;
            }
        }
        let Some((sides, windows, k)) = found else {
            return Ok(Cause::new(
                CauseKind::VerifyTime,
                Consistency::Inconsistent,
                format!(
                    "no verify time reproduces it on both sides, on A only or on B only ({} \
                     instants tried: every certificate's validity bounds and the rules' dates)",
                    reps.len()
                ),
            ));
        };
        let whose = match sides {
            Sides::Both => "an observation (both device clocks)".to_owned(),
            Sides::A => format!("a device clock on A ({})", ctx.obs.a.platform),
            Sides::B => format!("a device clock on B ({})", ctx.obs.b.platform),
        };
        let when: Vec<String> = windows.iter().map(|w| w.to_string()).collect();
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
        let mut c = Cause::new(
            CauseKind::VerifyTime,
            Consistency::Consistent,
            format!(
                "{whose} {} would explain it: then {}",
                when.join(" or "),
                outcome(&va, &vb)
            ),
        );
        c.sides = Some(sides);
        c.windows = windows;
        c.rules = rules_if_both(sides, &va, &vb);
        Ok(c)
    }

    /// (4) The chain: each given intermediate left out on one side (or both).
    pub(super) fn chain(&self, ctx: &Ctx<'_>) -> Result<Vec<Cause>, Error> {
        let mut unique: Vec<&Certificate> = Vec::new();
        for c in self.intermediates {
            if !unique.iter().any(|u| u.same_as(c)) && !c.same_as(self.leaf) {
                unique.push(c);
            }
        }
        if unique.is_empty() {
            return Ok(vec![Cause::new(
                CauseKind::MissingIntermediate,
                Consistency::Inconsistent,
                "no intermediates were given, so none can be missing on one side",
            )]);
        }
        let mut causes = Vec::new();
        for x in &unique {
            let without: Vec<Certificate> = self
                .intermediates
                .iter()
                .filter(|c| !c.same_as(x))
                .cloned()
                .collect();
            let va = self.eval_on(ctx.obs.a.platform, |e| e.clone(), Some(&without))?;
            let vb = self.eval_on(ctx.obs.b.platform, |e| e.clone(), Some(&without))?;
            let Some((sides, ra, rb)) = ctx.first_reproducing([Some(va), Some(vb)]) else {
                continue;
            };
            // The side that lacked X: its verdict shows whether X was missing or re-routed.
            let lacking = match sides {
                Sides::A => &ra,
                _ => &rb,
            };
            let base_chain = match sides {
                Sides::A => ctx.base[0].chain(),
                _ => ctx.base[1].chain(),
            };
            let missing = lacking.has_failure(Check::MissingIntermediate);
            let kind = if !missing && !same_chain(lacking.chain(), base_chain) {
                CauseKind::AlternatePath
            } else {
                CauseKind::MissingIntermediate
            };
            let who = match sides {
                Sides::Both => "neither device".to_owned(),
                Sides::A => format!("A ({})", ctx.obs.a.platform),
                Sides::B => format!("B ({})", ctx.obs.b.platform),
            };
            let what = if kind == CauseKind::AlternatePath {
                format!(
                    "without it {who} builds another path ({}), so the certificate is an extra \
                     (cross-)certificate that changes the chosen path where present",
                    lacking
                        .chain()
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join(" → ")
                )
            } else {
                format!(
                    "if {who} lacked it (not sent by the server, not cached, not fetched), the \
                     observation follows"
                )
            };
            let mut c = Cause::new(
                kind,
                Consistency::Consistent,
                format!("{what}: {}", outcome(&ra, &rb)),
            );
            c.sides = Some(sides);
            c.subject = Some(x.to_string());
            c.rules = rules_if_both(sides, &ra, &rb);
            causes.push(c);
        }
        for kind in [CauseKind::MissingIntermediate, CauseKind::AlternatePath] {
            if !causes.iter().any(|c: &Cause| c.kind == kind) {
                causes.push(Cause::new(
                    kind,
                    Consistency::Inconsistent,
                    format!(
                        "leaving out any of the {} given intermediate(s) on A, on B or on both \
                         does not reproduce it",
                        unique.len()
                    ),
                ));
            }
        }
        Ok(causes)
    }

    /// (5) Trust settings and profiles: the anchor as a profile root without full trust, not
    /// trusted, or trusted for another policy; a Deny setting on each certificate.
    pub(super) fn trust_settings(&self, ctx: &Ctx<'_>) -> Result<Vec<Cause>, Error> {
        let mut anchors: Vec<&Certificate> = Vec::new();
        let mut chain_certs: Vec<&Certificate> = Vec::new();
        for v in ctx.base {
            if let Some(last) = v.chain().last()
                && !anchors.iter().any(|a| a.same_as(last))
            {
                anchors.push(last);
            }
            for c in v.chain() {
                if !chain_certs.iter().any(|a| a.same_as(c)) {
                    chain_certs.push(c);
                }
            }
        }
        let other_policy = self.other_policy_oid();
        let mut causes = Vec::new();
        let kinds = [
            CauseKind::ProfileRootWithoutFullTrust,
            CauseKind::RootNotTrusted,
            CauseKind::PolicyConstrainedSetting,
        ];
        for kind in kinds {
            let mut tried = 0;
            let mut found = None;
            for root in &anchors {
                let setting = match kind {
                    CauseKind::ProfileRootWithoutFullTrust => {
                        Some(TrustSetting::profile_root((*root).clone(), false))
                    }
                    CauseKind::PolicyConstrainedSetting => Some(TrustSetting::with_constraint(
                        (*root).clone(),
                        UsageConstraint {
                            policy_oid: Some(other_policy),
                            result: Some(if root.is_self_issued() {
                                TrustSettingResult::TrustRoot
                            } else {
                                TrustSettingResult::TrustAsRoot
                            }),
                            ..UsageConstraint::default()
                        },
                    )),
                    _ => None,
                };
                // A profile or policy-constrained setting on a system root changes nothing:
                // the system store still anchors it.
                let (_, _, system, _) = self.evaluator.anchor_sources();
                if setting.is_some() && system.contains(root) {
                    continue;
                }
                tried += 1;
                let vary = |e: &TrustEvaluator| replace_anchor(e, root, setting.clone());
                let va = self.eval_on(ctx.obs.a.platform, vary, None)?;
                let vb = self.eval_on(ctx.obs.b.platform, vary, None)?;
                if let Some(hit) = ctx.first_reproducing([Some(va), Some(vb)]) {
                    found = Some((*root, hit));
                    break;
                }
            }
            causes.push(match found {
                Some((root, (sides, va, vb))) => {
                    let what = match kind {
                        CauseKind::ProfileRootWithoutFullTrust => {
                            "installed by a configuration profile without full trust turned on"
                        }
                        CauseKind::RootNotTrusted => {
                            "not trusted (not installed, not in the store)"
                        }
                        _ => "trusted by a setting constrained to another policy",
                    };
                    reproduced(
                        kind,
                        sides,
                        root.to_string(),
                        &format!("the anchor {what}"),
                        &va,
                        &vb,
                    )
                }
                None if tried == 0 => Cause::new(
                    kind,
                    Consistency::NotEvaluable,
                    "the anchor is a system root: a profile or policy-constrained setting \
                     cannot change how the system store anchors it",
                ),
                None => Cause::new(
                    kind,
                    Consistency::Inconsistent,
                    "re-evaluating with that setting on A, on B or on both does not reproduce it",
                ),
            });
        }
        let mut deny = None;
        for cert in &chain_certs {
            let setting = TrustSetting::with_constraint(
                (*cert).clone(),
                UsageConstraint::result(TrustSettingResult::Deny),
            );
            let vary = |e: &TrustEvaluator| add_setting(e, setting.clone());
            let va = self.eval_on(ctx.obs.a.platform, vary, None)?;
            let vb = self.eval_on(ctx.obs.b.platform, vary, None)?;
            if let Some(hit) = ctx.first_reproducing([Some(va), Some(vb)]) {
                deny = Some((*cert, hit));
                break;
            }
        }
        causes.push(match deny {
            Some((cert, (sides, va, vb))) => reproduced(
                CauseKind::DenySetting,
                sides,
                cert.to_string(),
                "a user/admin Deny setting on the certificate",
                &va,
                &vb,
            ),
            None => {
                let (_, anchors_only, _, _) = self.evaluator.anchor_sources();
                let why = if anchors_only {
                    " (with app anchors only, user/admin settings are not consulted)"
                } else {
                    ""
                };
                Cause::new(
                    CauseKind::DenySetting,
                    Consistency::Inconsistent,
                    format!(
                        "a Deny setting on any of the {} certificate(s) of the chains, on A, on \
                         B or on both, does not reproduce it{why}",
                        chain_certs.len()
                    ),
                )
            }
        });
        Ok(causes)
    }

    /// A policy OID none of the evaluated policies has, for a setting constrained elsewhere.
    fn other_policy_oid(&self) -> ObjectIdentifier {
        let used: Vec<ObjectIdentifier> = self.policies.iter().map(|p| p.oid()).collect();
        [Ssl::OID, BasicX509::OID]
            .into_iter()
            .find(|o| !used.contains(o))
            // Apple's code-signing policy OID: never one of ours.
            .unwrap_or(ObjectIdentifier::new_unwrap("1.2.840.113635.100.1.16"))
    }
}

/// `e` with `root` taken out of every anchor source it is in, and `setting` (if any) added to
/// the user/admin store. When that empties the app anchors, anchors-only is turned off, as it
/// would be on a device without app anchors.
fn replace_anchor(
    e: &TrustEvaluator,
    root: &Certificate,
    setting: Option<TrustSetting>,
) -> TrustEvaluator {
    let (app, anchors_only, system, user) = e.anchor_sources();
    let app2: Vec<Certificate> = app.iter().filter(|c| !c.same_as(root)).cloned().collect();
    let anchors_only = anchors_only && !(app2.is_empty() && app.len() != app2.len());
    let mut user2: Vec<TrustSetting> = user
        .iter()
        .filter(|s| !s.cert.same_as(root))
        .cloned()
        .collect();
    user2.extend(setting);
    let system2 = if system.contains(root) {
        let mut s = SystemStore::new();
        for r in system.roots().iter().filter(|r| !r.same_as(root)) {
            if system.is_apple_root(r) {
                s.add_apple_root(r.clone());
            } else {
                s.add(r.clone());
            }
        }
        Arc::new(s)
    } else {
        system.clone()
    };
    e.with_anchor_sources(app2, anchors_only, system2, user2)
}

/// `e` with `setting` replacing any user/admin setting of the same certificate.
fn add_setting(e: &TrustEvaluator, setting: TrustSetting) -> TrustEvaluator {
    let (app, anchors_only, system, user) = e.anchor_sources();
    let mut user2: Vec<TrustSetting> = user
        .iter()
        .filter(|s| !s.cert.same_as(&setting.cert))
        .cloned()
        .collect();
    user2.push(setting);
    e.with_anchor_sources(app.to_vec(), anchors_only, system.clone(), user2)
}
