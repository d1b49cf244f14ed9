//! The revocation checks on one candidate path (`apple-trust.md §9`; module docs of
//! [`crate::revocation`]): run for every certificate of every candidate path, all forced.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use super::crl::{self, Crl, CrlStatus};
use super::ocsp::{CertStatus, OcspResponse};
use super::{OcspFetcher, RevocationInputs, RevocationOptions};
use crate::anchors::{AnchorStatus, PolicyInfo};
use crate::certificate::Certificate;
use crate::path::builder::Builder;
use crate::path::validate::{RawFailure, Scope};
use crate::platform::RuleId;
use crate::verdict::Check;

/// At most this many fetcher calls per evaluation: every call is the caller's network I/O, and
/// a path has few certificates with an OCSP URL; 8 covers two complete candidate chains.
pub const MAX_FETCHES: usize = 8;

/// A certificate's SHA-256 and its issuer's SPKI SHA-256.
type CertAndIssuerKey = ([u8; 32], [u8; 32]);

/// A path suffix (SHA-256s, from the certificate checked to the last) and whether the path is
/// EV: the outcome of one certificate depends on both.
type SuffixKey = (Vec<[u8; 32]>, bool);

/// The revocation inputs and settings of one evaluation, with its caches.
#[derive(Default)]
pub(crate) struct Context<'a> {
    ocsp: Vec<(usize, OcspResponse)>,
    crls: Vec<(usize, Crl)>,
    /// Notes about inputs that could not be read at all.
    pub(crate) input_notes: Vec<String>,
    fetcher: Option<&'a dyn OcspFetcher>,
    /// Whether the fetcher may be asked (`apple-trust.md §9`: the last policy carrying
    /// `NoNetworkAccess` decides, unless `SecTrustSetNetworkFetchAllowed(true)`).
    network: bool,
    rfc5280: bool,
    /// The revocation every policy asks for, merged.
    requested: Option<RevocationOptions>,
    fetched: RefCell<HashMap<CertAndIssuerKey, Option<OcspResponse>>>,
    fetches: Cell<usize>,
    crl_signatures: RefCell<HashMap<(usize, [u8; 32]), bool>>,
    outcomes: RefCell<HashMap<SuffixKey, Outcome>>,
    /// Certificates (SHA-256) a diagnosis assumes revoked ([`crate::explain`]'s what-if of
    /// "this device saw a revoked status"), whatever the responses say.
    pub(crate) assumed_revoked: Vec<[u8; 32]>,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("revocation::Context")
            .field("ocsp", &self.ocsp.len())
            .field("crls", &self.crls.len())
            .field("network", &self.network)
            .field("rfc5280", &self.rfc5280)
            .finish_non_exhaustive()
    }
}

/// Whether the network may be used (`apple-trust.md §9`): `SecTrustSetNetworkFetchAllowed(true)`
/// removes `NoNetworkAccess` from every policy; otherwise the LAST policy carrying the key
/// decides (a revocation policy without NetworkAccessDisabled carries it as false). With no
/// policy carrying it, the network is allowed.
pub(crate) fn network_allowed(fetch_allowed: bool, infos: &[PolicyInfo]) -> bool {
    if fetch_allowed {
        return true;
    }
    let mut no_network = None;
    for p in infos {
        if p.options.revocation.is_some_and(|r| r.allows_network) {
            no_network = Some(false);
        } else if p.options.no_network_access {
            no_network = Some(true);
        }
    }
    !no_network.unwrap_or(false)
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        inputs: &RevocationInputs,
        fetcher: Option<&'a dyn OcspFetcher>,
        fetch_allowed: bool,
        rfc5280: bool,
        infos: &[PolicyInfo],
    ) -> Self {
        let mut input_notes = Vec::new();
        let mut ocsp = Vec::new();
        for (k, der) in inputs.ocsp_responses.iter().enumerate() {
            match OcspResponse::from_der(der) {
                Ok(r) => ocsp.push((k, r)),
                Err(e) => input_notes.push(format!("OCSP response #{k} ignored: {e}")),
            }
        }
        let mut crls = Vec::new();
        for (k, der) in inputs.crls.iter().enumerate() {
            match Crl::from_der(der) {
                Ok(c) => crls.push((k, c)),
                Err(e) => input_notes.push(format!("CRL #{k} ignored: {e}")),
            }
        }
        let requested = infos
            .iter()
            .filter_map(|p| p.options.revocation)
            .reduce(|a, b| RevocationOptions {
                ocsp: a.ocsp || b.ocsp,
                crl: a.crl || b.crl,
                prefer_crl: a.prefer_crl || b.prefer_crl,
                require_positive_response: a.require_positive_response
                    || b.require_positive_response,
                online_check: a.online_check || b.online_check,
                check_if_trusted: a.check_if_trusted || b.check_if_trusted,
                allows_network: a.allows_network || b.allows_network,
            });
        Context {
            ocsp,
            crls,
            input_notes,
            fetcher,
            network: network_allowed(fetch_allowed, infos),
            rfc5280,
            requested,
            ..Context::default()
        }
    }
}

/// What was found for one certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Good,
    Revoked { reason: u8 },
}

#[derive(Debug, Clone, Default)]
struct Outcome {
    found: Option<Found>,
    notes: Vec<String>,
}

fn note(notes: &mut Vec<String>, n: String) {
    if !notes.contains(&n) {
        notes.push(n);
    }
}

/// Runs revocation on `certs` (leaf first): pushes forced raw failures and notes. `ev`: the
/// path is extended validation, so the fetcher may be asked without a revocation policy
/// (`apple-trust.md §9`: "the network is used only for EV chains, an explicit revocation
/// method, …").
pub(crate) fn check_path(
    b: &Builder<'_>,
    certs: &[Certificate],
    anchor: AnchorStatus,
    ev: bool,
    raw: &mut Vec<RawFailure>,
    notes: &mut Vec<String>,
) {
    let ctx = &b.revocation;
    let n = certs.len();
    for msg in &ctx.input_notes {
        note(notes, msg.clone());
    }
    let require_leaf = ctx.requested.is_some_and(|r| r.require_positive_response);
    if ctx.ocsp.is_empty()
        && ctx.crls.is_empty()
        && ctx.requested.is_none()
        && !ctx.rfc5280
        && ctx.assumed_revoked.is_empty()
        && !(ev && ctx.fetcher.is_some() && ctx.network)
    {
        return;
    }
    let crl_platform =
        b.rules.contains(RuleId::CrlsCheckedCssm) || b.rules.contains(RuleId::CrlsCheckedTrustd);
    let use_crls = ctx.rfc5280 || (crl_platform && ctx.requested.is_some_and(|r| r.crl));
    if !ctx.crls.is_empty() && !use_crls {
        note(
            notes,
            if ctx.requested.is_some_and(|r| r.crl) {
                "CRLs were supplied but not checked: this platform's trust engine checks no CRLs \
                 (platforms.md; apple-trust.md §9)"
                    .to_owned()
            } else {
                "CRLs were supplied but not checked: no policy asks for the CRL method \
                 (apple-trust.md §9)"
                    .to_owned()
            },
        );
    }
    let mut leaf_found = None;
    for i in 0..n.saturating_sub(1) {
        // EV-ness depends on the certificates below `i` too, so it is part of the key.
        let key: SuffixKey = (certs[i..].iter().map(|c| *c.sha256()).collect(), ev);
        let cached = ctx.outcomes.borrow().get(&key).cloned();
        let outcome = match cached {
            Some(o) => o,
            None => {
                let o = certificate_status(b, certs, i, anchor, ev, use_crls);
                ctx.outcomes.borrow_mut().insert(key, o.clone());
                o
            }
        };
        for m in outcome.notes {
            note(notes, m);
        }
        if i == 0 {
            leaf_found = outcome.found;
        }
        match outcome.found {
            Some(Found::Revoked { reason }) => raw.push(RawFailure {
                index: i,
                check: Check::Revocation,
                value: Some(i64::from(reason)),
                scope: Scope::Forced,
            }),
            Some(Found::Good) => {}
            None if ctx.rfc5280 => {
                note(
                    notes,
                    format!(
                        "RFC 5280 revocation: the status of certificate {i} is undetermined (no \
                         current CRL or OCSP response covers it): RevocationResponseRequired"
                    ),
                );
                raw.push(RawFailure {
                    index: i,
                    check: Check::RevocationResponseRequired,
                    value: None,
                    scope: Scope::Forced,
                });
            }
            None => {
                if ctx.requested.is_some() {
                    note(
                        notes,
                        format!("revocation: no valid response for certificate {i} (soft failure)"),
                    );
                }
            }
        }
    }
    if require_leaf && leaf_found.is_none() && !(ctx.rfc5280 && n > 1) {
        note(
            notes,
            "RequirePositiveResponse: no valid revocation response for the leaf".to_owned(),
        );
        raw.push(RawFailure {
            index: 0,
            check: Check::RevocationResponseRequired,
            value: None,
            scope: Scope::Forced,
        });
    }
    for (k, r) in &ctx.ocsp {
        if !(0..n.saturating_sub(1)).any(|i| r.names(&certs[i], &certs[i + 1])) {
            note(
                notes,
                format!("OCSP response #{k} names no certificate of this chain: ignored"),
            );
        }
    }
}

/// The status of `certs[i]` under `certs[i + 1]`: supplied OCSP responses, then CRLs (where
/// they apply), then the fetcher (where Apple would use the network).
fn certificate_status(
    b: &Builder<'_>,
    certs: &[Certificate],
    i: usize,
    anchor: AnchorStatus,
    ev: bool,
    use_crls: bool,
) -> Outcome {
    let ctx = &b.revocation;
    let t = b.verify_time;
    let (cert, issuer) = (&certs[i], &certs[i + 1]);
    let mut out = Outcome::default();
    if ctx.assumed_revoked.contains(cert.sha256()) {
        out.notes.push(format!(
            "certificate {i} is assumed revoked (a diagnosis's what-if, not a response)"
        ));
        out.found = Some(Found::Revoked { reason: 0 });
        return out;
    }
    let merge = |out: &mut Outcome, f: Found| {
        out.found = match (out.found, f) {
            (Some(r @ Found::Revoked { .. }), _) => Some(r),
            (_, f) => Some(f),
        };
    };
    let responses: Vec<(String, &OcspResponse)> = ctx
        .ocsp
        .iter()
        .map(|(k, r)| (format!("OCSP response #{k}"), r))
        .collect();
    for (what, r) in responses {
        if let Some(f) = ocsp_status(b, r, &what, cert, issuer, i, &mut out.notes) {
            merge(&mut out, f);
        }
    }
    let mut crl_answered = false;
    if use_crls && !matches!(out.found, Some(Found::Revoked { .. })) {
        let crls: Vec<(usize, &Crl)> = ctx.crls.iter().map(|(k, c)| (*k, c)).collect();
        let subject = crl::Subject { cert, issuer };
        let mut crl_notes = Vec::new();
        let st = crl::status(
            &subject,
            &crls,
            t,
            |k, c| crl_signer_ok(b, certs, i, k, c, 0),
            &mut crl_notes,
        );
        for m in crl_notes {
            note(&mut out.notes, format!("certificate {i}: {m}"));
        }
        match st {
            CrlStatus::Revoked { reason, time } => {
                let _ = time;
                crl_answered = true;
                merge(&mut out, Found::Revoked { reason });
                note(
                    &mut out.notes,
                    format!("certificate {i} is revoked by a CRL (reason {reason})"),
                );
            }
            CrlStatus::Good => {
                crl_answered = true;
                merge(&mut out, Found::Good);
            }
            CrlStatus::Undetermined => {}
        }
    }
    // The network: only where Apple would use it (an EV chain, an explicit method, or a
    // supplied response saying "revoked" that has expired: `apple-trust.md §9`), and only
    // through the caller's fetcher.
    let req = ctx.requested.unwrap_or_default();
    let explicit = req.ocsp || ctx.rfc5280 || ev;
    let wanted = out.found.is_none() || (req.online_check && out.found == Some(Found::Good));
    let trusted_enough = !req.check_if_trusted || matches!(anchor, AnchorStatus::Trusted(_));
    let mut stale_revoked = || {
        let stale = ctx
            .ocsp
            .iter()
            .any(|(_, r)| r.is_stale_revocation(cert, issuer, t, b.verifier));
        if stale {
            note(
                &mut out.notes,
                format!(
                    "a supplied OCSP response says certificate {i} is revoked but has expired: \
                     the fetcher is asked for a fresh one"
                ),
            );
        }
        stale
    };
    if let Some(fetcher) = ctx.fetcher
        && ctx.network
        && wanted
        && trusted_enough
        && !(req.prefer_crl && crl_answered)
        && (explicit || stale_revoked())
    {
        let key = (*cert.sha256(), *issuer.spki_sha256());
        let cached = ctx.fetched.borrow().get(&key).cloned();
        let fetched = match cached {
            Some(r) => r,
            None => {
                let r = fetch(ctx, fetcher, cert, issuer, i, &mut out.notes);
                ctx.fetched.borrow_mut().insert(key, r.clone());
                r
            }
        };
        if let Some(r) = fetched
            && let Some(f) = ocsp_status(
                b,
                &r,
                "the fetched OCSP response",
                cert,
                issuer,
                i,
                &mut out.notes,
            )
        {
            merge(&mut out, f);
        }
    }
    out
}

/// Asks the fetcher for `cert`'s status (first AIA OCSP URL), within [`MAX_FETCHES`].
fn fetch(
    ctx: &Context<'_>,
    fetcher: &dyn OcspFetcher,
    cert: &Certificate,
    issuer: &Certificate,
    i: usize,
    notes: &mut Vec<String>,
) -> Option<OcspResponse> {
    let url = cert.extensions().ocsp_urls.first()?;
    if ctx.fetches.get() >= MAX_FETCHES {
        note(
            notes,
            format!("OCSP fetch for certificate {i} skipped: at most {MAX_FETCHES} per evaluation"),
        );
        return None;
    }
    ctx.fetches.set(ctx.fetches.get() + 1);
    let request = super::ocsp::request_der(cert, issuer)?;
    match fetcher.fetch(url, &request) {
        Ok(der) => match OcspResponse::from_der(&der) {
            Ok(r) => Some(r),
            Err(e) => {
                note(
                    notes,
                    format!("the OCSP response fetched for certificate {i} is ignored: {e}"),
                );
                None
            }
        },
        Err(e) => {
            note(
                notes,
                format!("OCSP fetch for certificate {i} from {url} failed (soft failure): {e}"),
            );
            None
        }
    }
}

/// What one OCSP response says about `cert`, with a note when it is ignored or inconclusive.
fn ocsp_status(
    b: &Builder<'_>,
    r: &OcspResponse,
    what: &str,
    cert: &Certificate,
    issuer: &Certificate,
    i: usize,
    notes: &mut Vec<String>,
) -> Option<Found> {
    let t = b.verify_time;
    match r.status_of(cert, issuer, t, b.verifier) {
        Ok(None) => None,
        Err(why) => {
            note(
                notes,
                format!("{what} for certificate {i} is ignored: {why}"),
            );
            None
        }
        Ok(Some(single)) => match single.status {
            CertStatus::Good => Some(Found::Good),
            CertStatus::Revoked { time, reason } if time <= t => {
                let reason = reason.unwrap_or(0);
                note(
                    notes,
                    format!("certificate {i} is revoked per {what} (reason {reason})"),
                );
                Some(Found::Revoked { reason })
            }
            CertStatus::Revoked { .. } => {
                note(
                    notes,
                    format!(
                        "{what}: certificate {i} was revoked after the verify time, so it was \
                         good then"
                    ),
                );
                Some(Found::Good)
            }
            CertStatus::Unknown => {
                note(
                    notes,
                    format!("{what}: certificate {i} status unknown (soft failure)"),
                );
                None
            }
        },
    }
}

/// RFC 5280 §6.3.3 (f)/(g): a CRL for `certs[i]` is verified by a certificate named as its
/// issuer that may sign CRLs: one above `i` in the path (the issuer, or a rolled-over key of
/// the same name), or a certificate the caller supplied that a certificate above `i` issued,
/// that is valid at the verify time and that the CRLs do not revoke (checked one level deep;
/// in the RFC 5280 mode its status must be determined good).
fn crl_signer_ok(
    b: &Builder<'_>,
    certs: &[Certificate],
    i: usize,
    k: usize,
    crl: &Crl,
    depth: usize,
) -> bool {
    let ctx = &b.revocation;
    let verifies = |signer: &Certificate| {
        let key = (k, *signer.spki_sha256());
        if let Some(&ok) = ctx.crl_signatures.borrow().get(&key) {
            return ok;
        }
        let ok = crl.signed_by(signer.spki_der(), b.verifier);
        ctx.crl_signatures.borrow_mut().insert(key, ok);
        ok
    };
    let names = |c: &Certificate| c.subject().matches(crl.issuer()) && crl::may_sign_crls(c);
    // Checking a CRL signer's own status (depth > 0), the signer may have issued the CRL that
    // covers its own certificate (PKITS 4.14.30).
    let from = if depth > 0 { i } else { i + 1 };
    if certs[from..].iter().any(|c| names(c) && verifies(c)) {
        return true;
    }
    if depth > 0 {
        return false;
    }
    let t = b.verify_time;
    let extras = b
        .intermediates
        .iter()
        .chain(b.anchors.app.iter())
        .filter(|c| !certs.iter().any(|p| p.same_as(c)));
    for c in extras {
        if !names(c) || !c.is_valid_at(t) || !verifies(c) {
            continue;
        }
        for j in i + 1..certs.len() {
            let parent = &certs[j];
            let issued = c.issuer().matches(parent.subject())
                && b.verifier
                    .verify(
                        c.signature_algorithm(),
                        parent.spki_der(),
                        c.tbs_der(),
                        c.signature(),
                    )
                    .is_ok();
            if !issued {
                continue;
            }
            let crls: Vec<(usize, &Crl)> = ctx.crls.iter().map(|(k, c)| (*k, c)).collect();
            let mut path: Vec<Certificate> = vec![c.clone()];
            path.extend_from_slice(&certs[j..]);
            let st = crl::status(
                &crl::Subject {
                    cert: c,
                    issuer: parent,
                },
                &crls,
                t,
                |k2, c2| crl_signer_ok(b, &path, 0, k2, c2, depth + 1),
                &mut Vec::new(),
            );
            let ok = match st {
                CrlStatus::Revoked { .. } => false,
                CrlStatus::Good => true,
                CrlStatus::Undetermined => !ctx.rfc5280,
            };
            if ok {
                return true;
            }
        }
    }
    false
}
