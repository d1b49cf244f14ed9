//! The Valid-database checks on one candidate path (`apple-trust.md §2, §9`): run for every
//! certificate of every candidate path, all forced.

use const_oid::ObjectIdentifier;

use super::database::ValidDatabase;
use super::rule::{DistrustEffect, DistrustRule, IssuedWhen};
use crate::certificate::Certificate;
use crate::path::builder::Builder;
use crate::path::validate::{RawFailure, Scope};
use crate::platform::RuleSet;
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

    for (child, rule) in ct_required(db, &ctx) {
        notes.push(format!(
            "Valid database: the {} date constraint on certificate {} is in the past, so \
             certificate {child} needs Certificate Transparency; CT is not evaluated here, so \
             CTRequired is not recorded",
            rule.family,
            child + 1
        ));
    }
}

/// The children (index, rule) that must be CT-qualified: a CA whose Valid-database
/// "issued after" constraint date is already past at the verify time requires CT for each of
/// its children (`apple-trust.md §2`), so that nothing can be backdated under it.
///
/// Recording `CTRequired` (forced; fatal, as it comes from the Valid database) needs a CT
/// outcome for the leaf, which this engine does not compute yet; until then the requirement is
/// reported as a note on the verdict.
fn ct_required<'d>(db: &'d ValidDatabase, ctx: &Context<'_>) -> Vec<(usize, &'d DistrustRule)> {
    let mut out: Vec<(usize, &DistrustRule)> = Vec::new();
    for rule in db.rules.iter().filter(|r| ctx.applies(r)) {
        if !rule.judges_children() || rule.when != IssuedWhen::After || rule.date >= ctx.verify_time
        {
            continue;
        }
        for j in ctx.matched_cas(rule) {
            if !out.iter().any(|&(c, _)| c == j - 1) {
                out.push((j - 1, rule));
            }
        }
    }
    out
}

/// Whether `leaf`'s certificatePolicies contain one of `allowed`.
fn leaf_asserts_any(leaf: &Certificate, allowed: &[ObjectIdentifier]) -> bool {
    leaf.extensions()
        .certificate_policies
        .as_ref()
        .is_some_and(|ps| ps.iter().any(|p| allowed.contains(&p.oid)))
}
