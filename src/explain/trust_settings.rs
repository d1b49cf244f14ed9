//! (5) Trust settings and configuration profiles (`apple-trust.md §5`): the anchor installed
//! by a profile without full trust, not trusted at all, or trusted for another policy only;
//! a Deny setting on a certificate of the chain.

use std::sync::Arc;

use const_oid::ObjectIdentifier;

use super::cause::{Cause, CauseKind, Consistency};
use super::diagnose::Diagnoser;
use super::reproduce::{Ctx, Search, Variation, excluded, reproduced};
use crate::anchors::{SystemStore, TrustSetting, TrustSettingResult, UsageConstraint};
use crate::certificate::Certificate;
use crate::error::Error;
use crate::evaluator::TrustEvaluator;
use crate::policy::{BasicX509, Ssl};

impl Diagnoser<'_> {
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
            let mut search: Search<&Certificate> = Search::default();
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
                let v = Variation::evaluator(&vary);
                if search.record(*root, self.try_variation(ctx, [Some(v), Some(v)])?) {
                    break;
                }
            }
            let what = |root: &Certificate| {
                let what = match kind {
                    CauseKind::ProfileRootWithoutFullTrust => {
                        "installed by a configuration profile without full trust turned on"
                    }
                    CauseKind::RootNotTrusted => "not trusted (not installed, not in the store)",
                    _ => "trusted by a setting constrained to another policy",
                };
                format!("the anchor {root} {what}")
            };
            causes.push(match (search.hit, search.excluded) {
                (Some((root, (sides, va, vb))), _) => {
                    reproduced(kind, sides, root.to_string(), &what(root), &va, &vb)
                }
                (None, Some((root, ex))) => {
                    excluded(kind, Some(root.to_string()), &what(root), &ex, ctx)
                }
                (None, None) if tried == 0 => Cause::new(
                    kind,
                    Consistency::NotEvaluable,
                    "the anchor is a system root: a profile or policy-constrained setting \
                     cannot change how the system store anchors it",
                ),
                (None, None) => Cause::new(
                    kind,
                    Consistency::Inconsistent,
                    "re-evaluating with that setting on A, on B or on both does not reproduce it",
                ),
            });
        }
        let mut deny: Search<&Certificate> = Search::default();
        for cert in &chain_certs {
            let setting = TrustSetting::with_constraint(
                (*cert).clone(),
                UsageConstraint::result(TrustSettingResult::Deny),
            );
            let vary = |e: &TrustEvaluator| add_setting(e, setting.clone());
            let v = Variation::evaluator(&vary);
            if deny.record(*cert, self.try_variation(ctx, [Some(v), Some(v)])?) {
                break;
            }
        }
        let what = |cert: &Certificate| format!("a user/admin Deny setting on {cert}");
        causes.push(match (deny.hit, deny.excluded) {
            (Some((cert, (sides, va, vb))), _) => reproduced(
                CauseKind::DenySetting,
                sides,
                cert.to_string(),
                &what(cert),
                &va,
                &vb,
            ),
            (None, Some((cert, ex))) => excluded(
                CauseKind::DenySetting,
                Some(cert.to_string()),
                &what(cert),
                &ex,
                ctx,
            ),
            (None, None) => {
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
