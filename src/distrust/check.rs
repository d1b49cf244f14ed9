//! The Valid-database checks on one candidate path (`apple-trust.md §2, §9`): run for every
//! certificate of every candidate path, all forced.

use const_oid::ObjectIdentifier;

use super::database::ValidDatabase;
use super::rule::{DistrustEffect, DistrustRule, IssuedWhen};
use crate::certificate::Certificate;
use crate::path::builder::Builder;
use crate::path::validate::{RawFailure, Scope};
use crate::platform::{RuleId, RuleSet};
use crate::policy::checks::NO_LOG_LIST;
use crate::verdict::{Check, CheckClass};

/// `Revocation`'s detail value for a Valid-database date constraint: CRL reason 0
/// (unspecified).
const REASON_UNSPECIFIED: i64 = 0;

/// What the checks need to know about the evaluation.
struct Context<'a> {
    certs: &'a [Certificate],
    rules: RuleSet,
    verify_time: i64,
    policy_oids: Vec<ObjectIdentifier>,
}

impl Context<'_> {
    fn applies(&self, rule: &DistrustRule) -> bool {
        rule.platform_rule.is_none_or(|r| self.rules.contains(r))
            && rule
                .effective_from
                .is_none_or(|from| self.verify_time >= from)
            && (rule.policies.is_empty()
                || self.policy_oids.iter().any(|o| rule.policies.contains(o)))
    }

    /// The indices ≥ 1 of the certificates `rule` matches (a CA needs something below it).
    fn matched_cas<'r>(&'r self, rule: &'r DistrustRule) -> impl Iterator<Item = usize> + 'r {
        (1..self.certs.len()).filter(move |&j| rule.matches_certificate(&self.certs[j]))
    }
}

/// Runs the database on `certs` (leaf first): pushes forced raw failures and notes.
pub(crate) fn check_path(
    db: &ValidDatabase,
    b: &Builder<'_>,
    certs: &[Certificate],
    raw: &mut Vec<RawFailure>,
    notes: &mut Vec<String>,
) {
    let ctx = Context {
        certs,
        rules: b.rules,
        verify_time: b.verify_time,
        policy_oids: b.infos.iter().map(|p| p.oid).collect(),
    };
    let mut push = |index: usize, check: Check, value: Option<i64>, scope: Scope| {
        raw.push(RawFailure {
            index,
            check,
            value,
            scope,
        })
    };

    for (i, cert) in certs.iter().enumerate() {
        let listed = [
            (
                db.blocked_certs.contains(cert.sha256()),
                Check::BlackListedLeaf,
            ),
            (
                db.blocked_keys.contains(cert.spki_sha256()),
                Check::BlackListedKey,
            ),
            (db.gray_certs.contains(cert.sha256()), Check::GrayListedLeaf),
            (
                db.gray_keys.contains(cert.spki_sha256()),
                Check::GrayListedKey,
            ),
        ];
        for (hit, check) in listed {
            if hit {
                push(i, check, None, Scope::Forced);
            }
        }
        if i > 0
            && let Some(c) = db.policy_constraint(cert)
            && !leaf_asserts_any(&certs[0], &c.allowed)
        {
            let scope = if c.overridable {
                Scope::ForcedAs(CheckClass::Recoverable)
            } else {
                Scope::Forced
            };
            push(i, Check::IssuerPolicyConstraints, None, scope);
        }
    }

    for rule in db.rules.iter().filter(|r| ctx.applies(r)) {
        let mut fired = false;
        for j in ctx.matched_cas(rule) {
            match rule.effect {
                DistrustEffect::BlackListedKeyAtCa => {
                    if certs[..j]
                        .iter()
                        .any(|d| rule.when.matches(d.not_before(), rule.date))
                    {
                        push(j, rule.effect.check(), None, Scope::Forced);
                        fired = true;
                    }
                }
                DistrustEffect::GrayListedKey | DistrustEffect::Revoked => {
                    let child = j - 1;
                    if rule.when.matches(certs[child].not_before(), rule.date) {
                        let value =
                            (rule.effect == DistrustEffect::Revoked).then_some(REASON_UNSPECIFIED);
                        push(child, rule.effect.check(), value, Scope::Forced);
                        fired = true;
                    }
                }
            }
        }
        if fired && !rule.verified {
            notes.push(format!(
                "the {} distrust row recorded {}; that row is NOT VERIFIED ({})",
                rule.family,
                rule.effect.check(),
                rule.evidence
            ));
        }
    }

    ct_required(db, b, &ctx, raw, notes);
}

/// `CTRequired` from the Valid database (`apple-trust.md §2`): a CA whose "issued after"
/// constraint date is already past at the verify time requires CT for its children, so that
/// nothing can be backdated under it. The SCTs are the leaf's, so the requirement is one of the
/// whole path: when the leaf's CT evaluation (the one `SystemTrustedCTRequired` uses, whatever
/// the policy) is not satisfied, `CTRequired` is recorded once, forced, at index 0 — where
/// Apple's `SecPVCCheckRequireCTConstraints` records it, as far as we know, whichever CA of the
/// path carries the constraint. Fatal, or recoverable when every such entry is overridable
/// (and on iOS 11–12, whose fatal set has no `CTRequired`: platforms.md "Engines and result
/// model"). CT exceptions do not lift it. Without a log list CT cannot be evaluated: nothing is
/// recorded and the verdict says so.
fn ct_required(
    db: &ValidDatabase,
    b: &Builder<'_>,
    ctx: &Context<'_>,
    raw: &mut Vec<RawFailure>,
    notes: &mut Vec<String>,
) {
    let requiring: Vec<(usize, &DistrustRule)> = db
        .rules
        .iter()
        .filter(|r| {
            ctx.applies(r)
                && r.judges_children()
                && r.when == IssuedWhen::After
                && r.date < ctx.verify_time
        })
        .flat_map(|r| ctx.matched_cas(r).map(move |j| (j, r)))
        .collect();
    let Some(&(ca, first)) = requiring.first() else {
        return;
    };
    let why = format!(
        "Valid database: the {} date constraint on certificate {ca} is in the past, so its \
         children need Certificate Transparency",
        first.family
    );
    let Some(outcome) =
        b.ct.leaf_outcome(ctx.certs, ctx.verify_time, &b.platform, b.verifier)
    else {
        notes.push(format!(
            "{why}; CT could not be evaluated: {NO_LOG_LIST}, so CTRequired was not recorded"
        ));
        return;
    };
    notes.push(format!("{why}: {outcome}"));
    if outcome.satisfied {
        return;
    }
    let overridable = requiring
        .iter()
        .all(|(_, r)| r.effect == DistrustEffect::GrayListedKey);
    let scope = if overridable || ctx.rules.contains(RuleId::ResultModel58286) {
        Scope::Forced
    } else {
        Scope::ForcedAs(CheckClass::Fatal)
    };
    raw.push(RawFailure {
        index: 0,
        check: Check::CTRequired,
        value: None,
        scope,
    });
}

/// Whether `leaf`'s certificatePolicies contain one of `allowed`.
fn leaf_asserts_any(leaf: &Certificate, allowed: &[ObjectIdentifier]) -> bool {
    leaf.extensions()
        .certificate_policies
        .as_ref()
        .is_some_and(|ps| ps.iter().any(|p| allowed.contains(&p.oid)))
}
