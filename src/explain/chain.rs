//! (4) The chain: an intermediate one device lacked (a Mac keychain often holds intermediates an
//! iOS device lacks), or an extra (cross-)certificate that changes the chosen path
//! (`apple-trust.md §4`).

use super::cause::{Cause, CauseKind, Consistency, Sides};
use super::diagnose::Diagnoser;
use super::diff::same_chain;
use super::reproduce::{Ctx, Tried, Variation, excluded, outcome, rules_if_both};
use crate::certificate::Certificate;
use crate::error::Error;
use crate::verdict::{Check, Verdict};

impl Diagnoser<'_> {
    /// (4) Each given intermediate left out on one side (or both).
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
        let mut exclusions: Vec<Cause> = Vec::new();
        for x in &unique {
            let without: Vec<Certificate> = self
                .intermediates
                .iter()
                .filter(|c| !c.same_as(x))
                .cloned()
                .collect();
            let v = Variation::intermediates(&without);
            let (sides, ra, rb, ex) = match self.try_variation(ctx, [Some(v), Some(v)])? {
                Tried::Hit((sides, ra, rb)) => (sides, ra, rb, None),
                Tried::Excluded(ex) => (ex.sides, ex.va.clone(), ex.vb.clone(), Some(ex)),
                Tried::Miss(_) => continue,
            };
            let kind = kind_of(sides, &ra, &rb, ctx);
            if let Some(ex) = ex {
                let what = format!("{x} left out");
                exclusions.push(excluded(kind, Some(x.to_string()), &what, &ex, ctx));
                continue;
            }
            let who = match sides {
                Sides::Both => "neither device".to_owned(),
                Sides::A => format!("A ({})", ctx.obs.a.platform),
                Sides::B => format!("B ({})", ctx.obs.b.platform),
            };
            let lacking = if sides == Sides::A { &ra } else { &rb };
            let what = if kind == CauseKind::AlternatePath {
                format!(
                    "without it {who} builds another path ({}), so the certificate is an extra \
                     (cross-)certificate that changes the chosen path where present",
                    names(lacking.chain())
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
            if causes.iter().any(|c: &Cause| c.kind == kind) {
                continue;
            }
            if let Some(i) = exclusions.iter().position(|c| c.kind == kind) {
                causes.push(exclusions.swap_remove(i));
                continue;
            }
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
        Ok(causes)
    }
}

/// Missing intermediate, or alternate path: the side that lacked the certificate shows which
/// (`MissingIntermediate`, or another chain without it).
fn kind_of(sides: Sides, ra: &Verdict, rb: &Verdict, ctx: &Ctx<'_>) -> CauseKind {
    let (lacking, base) = match sides {
        Sides::A => (ra, ctx.base[0]),
        _ => (rb, ctx.base[1]),
    };
    if !lacking.has_failure(Check::MissingIntermediate)
        && !same_chain(lacking.chain(), base.chain())
    {
        CauseKind::AlternatePath
    } else {
        CauseKind::MissingIntermediate
    }
}

fn names(chain: &[Certificate]) -> String {
    chain
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" → ")
}
