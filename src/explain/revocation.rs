//! (3) Revocation outcomes: which status a device could have seen — a certificate revoked, no
//! response with hard fail; unknown and unreachable with soft fail never change a verdict —
//! re-evaluated where the device would see it at all (`apple-trust.md §9`).

use super::cause::{Cause, CauseKind, Consistency, Sides};
use super::diagnose::Diagnoser;
use super::diff::Side;
use super::reproduce::{Ctx, Search, Variation, excluded, reproduced};
use crate::certificate::Certificate;
use crate::error::Error;
use crate::evaluator::TrustEvaluator;
use crate::platform::Platform;
use crate::policy::Policy;
use crate::revocation::{Revocation, RevocationFlags};

/// How a device evaluating these policies would come by a revocation status
/// (`apple-trust.md §9`): fetched because a policy asks for revocation (or cached from such a
/// fetch), or stapled to a TLS handshake. `None`: only a response cached by some other
/// evaluation could reach the verdict, which the diagnosis does not assume.
fn source(policies: &[&dyn Policy], platform: Platform) -> Option<Source> {
    let options: Vec<_> = policies.iter().map(|p| p.options(&platform)).collect();
    if options.iter().any(|o| o.revocation.is_some()) {
        Some(Source::Asked)
    } else if options.iter().any(|o| o.tls && !o.client) {
        Some(Source::Stapled)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A policy asks for revocation checking (the S/MIME policy on macOS 10.12 and later, a
    /// revocation policy): the device fetches, caches and may be told to hard-fail.
    Asked,
    /// A TLS server policy: the server can staple an OCSP response.
    Stapled,
}

impl Source {
    fn how(self) -> &'static str {
        match self {
            Source::Asked => "a policy asks for revocation checking",
            Source::Stapled => "a TLS server can staple an OCSP response",
        }
    }
}

/// A revocation outcome one device may have seen.
#[derive(Debug, Clone, Copy)]
enum Outcome<'c> {
    /// A revoked status for this certificate.
    Revoked(&'c Certificate),
    /// No response, with `RequirePositiveResponse` (hard fail).
    HardFail,
}

impl Outcome<'_> {
    fn subject(&self) -> String {
        match self {
            Outcome::Revoked(c) => format!("{c} revoked"),
            Outcome::HardFail => "no response, hard fail".to_owned(),
        }
    }

    fn what(&self) -> String {
        match self {
            Outcome::Revoked(c) => format!("a revoked status for {c}"),
            Outcome::HardFail => {
                "no revocation response with hard fail (RequirePositiveResponse)".to_owned()
            }
        }
    }
}

impl Diagnoser<'_> {
    /// (3) Each certificate of the chains revoked, and no response with hard fail
    /// (`RequirePositiveResponse`), on the sides that could see them.
    pub(super) fn revocation(&self, ctx: &Ctx<'_>) -> Result<Cause, Error> {
        let published = self.published();
        let sides = [Side::A, Side::B];
        let sources = sides.map(|s| source(&published, ctx.platform(s)));
        let (pa, pb) = (ctx.platform(Side::A), ctx.platform(Side::B));
        if sources.iter().all(Option::is_none) {
            return Ok(Cause::new(
                CauseKind::Revocation,
                Consistency::Inconsistent,
                format!(
                    "neither device would see a revocation status: on {pa} and {pb} no policy \
                     asks for revocation checking and none is a TLS server policy, the only \
                     one a stapled OCSP response comes with (apple-trust.md §7, §9), so a \
                     revoked, unknown or unreachable status cannot reach these verdicts (only a \
                     response cached by another evaluation could, which is not assumed)"
                ),
            ));
        }
        // Every certificate below an anchor, in either chain.
        let mut certs: Vec<&Certificate> = Vec::new();
        for v in ctx.base {
            let n = v.chain().len();
            for c in &v.chain()[..n.saturating_sub(1)] {
                if !certs.iter().any(|x| x.same_as(c)) {
                    certs.push(c);
                }
            }
        }
        let mut search: Search<Outcome<'_>> = Search::default();
        for cert in &certs {
            let vary = |e: &TrustEvaluator| e.assuming_revoked(cert);
            let v = Variation::evaluator(&vary);
            let per_side = sources.map(|s| s.map(|_| v));
            if search.record(Outcome::Revoked(cert), self.try_variation(ctx, per_side)?) {
                break;
            }
        }
        // Hard fail: the app asks for a positive response and none arrives.
        let require =
            Revocation::new(RevocationFlags::OCSP | RevocationFlags::REQUIRE_POSITIVE_RESPONSE)
                .expect("OCSP with RequirePositiveResponse is a valid flag set");
        let mut with_require = published.clone();
        with_require.push(&require);
        let hard = Variation::policies(&with_require);
        let hard_per_side = sources.map(|s| (s == Some(Source::Asked)).then_some(hard));
        let can_hard_fail = hard_per_side.iter().any(Option::is_some);
        if search.hit.is_none() && can_hard_fail {
            let tried = self.try_variation(ctx, hard_per_side)?;
            search.record(Outcome::HardFail, tried);
        }
        if let Some((outcome, (sides, va, vb))) = search.hit {
            let mut c = reproduced(
                CauseKind::Revocation,
                sides,
                outcome.subject(),
                &outcome.what(),
                &va,
                &vb,
            );
            c.reason.push_str(&how(&sources, sides, ctx));
            return Ok(c);
        }
        if let Some((outcome, ex)) = search.excluded {
            return Ok(excluded(
                CauseKind::Revocation,
                Some(outcome.subject()),
                &outcome.what(),
                &ex,
                ctx,
            ));
        }
        let hard = if can_hard_fail {
            ", or no response with hard fail (RequirePositiveResponse),"
        } else {
            ""
        };
        Ok(Cause::new(
            CauseKind::Revocation,
            Consistency::Inconsistent,
            format!(
                "a revoked status for any of the {} certificate(s) below the anchor{hard} on A, \
                 on B or on both does not reproduce it; an unknown status or an unreachable \
                 responder with soft fail changes no verdict (apple-trust.md §9)",
                certs.len()
            ),
        ))
    }
}

/// " (on ios-17.0 a TLS server can staple an OCSP response)": how the varied sides see it.
fn how(sources: &[Option<Source>; 2], sides: Sides, ctx: &Ctx<'_>) -> String {
    let varied = |side: Side| !matches!((sides, side), (Sides::A, Side::B) | (Sides::B, Side::A));
    let mut parts: Vec<(Vec<String>, Source)> = Vec::new();
    for (i, side) in [Side::A, Side::B].into_iter().enumerate() {
        let Some(s) = sources[i].filter(|_| varied(side)) else {
            continue;
        };
        let name = ctx.platform(side).to_string();
        match parts.iter_mut().find(|(_, x)| *x == s) {
            Some((names, _)) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None => parts.push((vec![name], s)),
        }
    }
    let parts: Vec<String> = parts
        .iter()
        .map(|(names, s)| format!("on {} {}", names.join(" and "), s.how()))
        .collect();
    format!(" ({})", parts.join("; "))
}
