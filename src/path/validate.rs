//! Checks on one complete candidate path (`apple-trust.md §2, §4, §8`): RFC 5280 processing as
//! Apple does it, the issuer checks, the basic option checks and each policy's own checks. The
//! raw failures are then counted against the policies' options, suppressed by allowed errors
//! and the caller's exceptions, and scored.

use super::builder::Builder;
use super::{ev, name_constraints, policy_tree, score};
use crate::anchors::{AnchorStatus, UsageConstraint, allowed_error};
use crate::certificate::{Certificate, KeyAlgorithm};
use crate::crypto::HashAlgorithm;
use crate::platform::{Platform, RuleId, RuleSet};
use crate::policy::PathView;
use crate::policy::checks::{self, OptionContext};
use crate::verdict::{
    AnchorKind, Check, CheckClass, CheckSet, Failure, Suppressed, SuppressionReason,
};

/// Which option set decides whether a raw failure counts (`apple-trust.md §2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Always counted.
    Forced,
    /// Always counted, with the class its source gives it (Apple's
    /// `SecPVCSetResultForcedWithTrustResult`: the Valid database's overridable constraints).
    ForcedAs(CheckClass),
    /// Path-level: judged against the FIRST policy's options only.
    First,
    /// Counted when any policy (or any usage constraint's options) has the key.
    Any,
    /// Produced by policy `k`'s own checks: counted when that policy has the key.
    Policy(usize),
}

/// A failed check before counting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawFailure {
    pub(crate) index: usize,
    pub(crate) check: Check,
    pub(crate) value: Option<i64>,
    pub(crate) scope: Scope,
}

impl RawFailure {
    /// A failure without a detail value.
    pub(crate) fn new(index: usize, check: Check, scope: Scope) -> Self {
        RawFailure {
            index,
            check,
            value: None,
            scope,
        }
    }
}

/// A validated candidate path.
#[derive(Debug, Clone)]
pub(crate) struct Validated {
    pub(crate) certs: Vec<Certificate>,
    pub(crate) anchor: AnchorStatus,
    pub(crate) system_anchored: bool,
    pub(crate) counted: Vec<Failure>,
    pub(crate) suppressed: Vec<Suppressed>,
    pub(crate) accepted: bool,
    pub(crate) bad_signature: bool,
    pub(crate) proceed: bool,
    /// Whether the path is extended validation ([`ev::is_ev`]), accepted or not.
    pub(crate) ev: bool,
    pub(crate) score: i64,
    /// The score should the last certificate be self-signed, when `validate` left that open
    /// (`score` then assumes it is not); the builder settles it before comparing.
    pub(crate) score_if_self_signed: Option<i64>,
    /// Order in which the path was found (ties go to the earlier one).
    pub(crate) order: usize,
    pub(crate) notes: Vec<String>,
}

impl Validated {
    /// How the path is anchored.
    pub(crate) fn anchor_kind(&self) -> AnchorKind {
        match self.anchor {
            AnchorStatus::Trusted(k) => k,
            AnchorStatus::Denied => AnchorKind::User,
            AnchorStatus::No => AnchorKind::None,
        }
    }
}

/// Runs every check on `certs` (leaf first) ending at `anchor`. `rejected`: the path was set
/// aside while building (see [`issuer_rejected`]), so it is never accepted.
pub(crate) fn validate(
    b: &mut Builder<'_>,
    certs: Vec<Certificate>,
    anchor: AnchorStatus,
    bad_link: bool,
    rejected: bool,
) -> Validated {
    let n = certs.len();
    let rules = b.rules;
    let t = b.verify_time;
    let mut raw: Vec<RawFailure> = Vec::new();
    let mut notes = Vec::new();
    let mut push = |index, check, scope| raw.push(RawFailure::new(index, check, scope));
    // Whether the last certificate is self-signed costs a signature check. Below a trusted
    // anchor only the user-trust decisions, the weak-hash exemptions (MD2/MD4/MD5/SHA-1 or an
    // unknown hash) and the score read it; when neither of the first two applies it stays
    // open (`false` here) and the score is settled by the builder, only if it is compared.
    let last_open = certs.last().is_some_and(|c| {
        matches!(anchor, AnchorStatus::Trusted(_))
            && !b.anchors.has_user_setting(c)
            && matches!(
                c.signature_algorithm().hash(),
                Some(HashAlgorithm::Sha224 | HashAlgorithm::Sha256)
                    | Some(HashAlgorithm::Sha384 | HashAlgorithm::Sha512)
            )
    });
    let last_self_signed = !last_open && certs.last().is_some_and(|c| b.is_self_signed(c));
    let system_anchored = certs.last().is_some_and(|c| b.anchors.system.contains(c));

    // Signatures: a bad link is RFC 5280 basic processing failing (§6.1.3 (a)(1)); Apple has no
    // dedicated key, so the emulator records BasicCertificateProcessing, forced, on the child.
    if bad_link && n >= 2 {
        push(n - 2, Check::BasicCertificateProcessing, Scope::Forced);
    }

    let self_signed_all: Vec<bool> = certs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i + 1 == n {
                last_self_signed
            } else {
                c.is_self_issued() && b.signed_by(c, c)
            }
        })
        .collect();
    // The usage constraints of each certificate, from the source that anchors it or last held
    // it (`apple-trust.md §5`): allowed errors and carried policy options come from here.
    let constraints: Vec<Option<&[UsageConstraint]>> = certs
        .iter()
        .enumerate()
        .map(|(i, c)| b.anchors.constraints_for(c, i == 0, self_signed_all[i]))
        .collect();
    for (i, cert) in certs.iter().enumerate() {
        // Path-level results of issuers (expiry, weak key, weak hash) are judged against the
        // first policy only; the leaf's against every policy (`apple-trust.md §2`).
        let scope = if i == 0 { Scope::Any } else { Scope::First };
        let self_signed = self_signed_all[i];

        if validity_and_weakness(b, &certs, i, self_signed, scope, &mut push) {
            notes.push(format!(
                "certificate {i} is signed with {}: recognised, never verified",
                cert.signature_algorithm()
            ));
        }

        // Extension hygiene. Not path-level results: on every certificate they count when any
        // policy has the key (`apple-trust.md §2`), not only under the first policy.
        let ext = cert.extensions();
        if !ext.unknown_critical.is_empty() {
            push(i, Check::CriticalExtensions, Scope::Forced);
        }
        if !ext.unparseable.is_empty() {
            push(i, Check::UnparseableExtension, Scope::Any);
        }
        if !ext.duplicates.is_empty() {
            push(i, Check::DuplicateExtension, Scope::Any);
        }

        // AKI/SKI linkage with the issuer.
        if let Some(issuer) = certs.get(i + 1)
            && let (Some(aki), Some(ski)) = (
                &ext.authority_key_identifier,
                &issuer.extensions().subject_key_identifier,
            )
            && aki != ski
        {
            push(i, Check::IdLinkage, Scope::First);
        }

        // Issuer checks on every non-leaf certificate, trusted anchors included.
        if i > 0 {
            issuer_checks(&certs, i, &mut push);
            path_length_check(&certs, i, &mut push);
        }
    }

    // NonEmptySubject on every certificate of the path (`apple-trust.md §8`): a certificate in
    // CA position, or a CA leaf, with an empty subject always fails; a non-CA leaf with an empty
    // subject needs a critical SAN.
    for (i, cert) in certs.iter().enumerate() {
        if !cert.subject().is_empty() {
            continue;
        }
        let critical_san = cert
            .extensions()
            .subject_alt_name
            .as_ref()
            .is_some_and(|s| s.critical);
        if i > 0 || cert.is_ca() || !critical_san {
            push(i, Check::NonEmptySubject, Scope::Any);
        }
    }

    // RFC 5280: name constraints over the whole path, the anchor's own included.
    for i in name_constraints::violations(&certs) {
        push(i, Check::NameConstraints, Scope::Forced);
    }
    // RFC 5280: the policy tree over the path below the anchor.
    let processed = if n > 1 { &certs[..n - 1] } else { &certs[..0] };
    if let Err(i) = policy_tree::process(processed, b.policy_settings) {
        push(i, Check::PolicyConstraints, Scope::Forced);
    }

    // Anchoring.
    match anchor {
        AnchorStatus::Trusted(_) => {}
        AnchorStatus::Denied => push(n - 1, Check::UsageConstraints, Scope::Forced),
        AnchorStatus::No => {
            let check = if last_self_signed {
                Check::AnchorTrusted
            } else {
                Check::MissingIntermediate
            };
            push(n - 1, check, Scope::Forced);
        }
    }

    // Apple's Valid database (caller data), on every certificate of the path.
    if let Some(db) = b.valid_db {
        crate::distrust::check_path(db, b, &certs, &mut raw, &mut notes);
    }

    // Revocation: supplied OCSP responses and CRLs, the fetcher (`apple-trust.md §9`: an EV
    // path may use the network).
    let is_ev = ev::is_ev(&b.anchors, &certs, anchor);
    crate::revocation::check::check_path(b, &certs, anchor, is_ev, &mut raw, &mut notes);

    // Each policy's own checks.
    let view = PathView {
        certs: &certs,
        platform: b.platform,
        verify_time: t,
        anchor: match anchor {
            AnchorStatus::Trusted(k) => k,
            AnchorStatus::Denied => AnchorKind::User,
            AnchorStatus::No => AnchorKind::None,
        },
        system_anchored,
    };
    let leaf_user_anchored = b
        .anchors
        .is_user_trusted(&certs[0], true, self_signed_all[0]);
    let option_ctx = OptionContext {
        certs: &certs,
        platform: b.platform,
        rules,
        self_signed: &self_signed_all,
        system_anchored,
        leaf_user_anchored,
        // On a one-certificate path the leaf is the root.
        root_user_anchored: if n > 1 {
            b.anchors
                .is_user_trusted(&certs[n - 1], false, last_self_signed)
        } else {
            leaf_user_anchored
        },
        anchored: matches!(anchor, AnchorStatus::Trusted(_)),
        apple_root: b.anchors.system.is_apple_root(&certs[n - 1]),
        verify_time: t,
        verifier: b.verifier,
        ct: &b.ct,
    };
    for (k, policy) in b.policies.iter().enumerate() {
        let mut extra = Vec::new();
        if let Some(info) = b.infos.get(k) {
            checks::run(&option_ctx, &info.options, &mut extra, &mut notes);
        }
        policy.check_path(&view, &mut extra);
        for (index, check) in extra {
            if index < n {
                raw.push(RawFailure::new(index, check, Scope::Policy(k)));
            }
        }
    }

    // Options carried by usage constraints of the path's certificates run on the path too,
    // whatever the policy (`apple-trust.md §2, §5`: how roots impose extra checks); `count`
    // counts them against those options.
    for carried in constraints.iter().flatten() {
        for options in carried.iter().filter_map(|c| c.policy_options.as_ref()) {
            let mut extra = Vec::new();
            checks::run(&option_ctx, options, &mut extra, &mut notes);
            raw.extend(
                extra
                    .into_iter()
                    .map(|(index, check)| RawFailure::new(index, check, Scope::Any)),
            );
        }
    }

    let (counted, suppressed) = count(b, &certs, &constraints, raw);
    // A rejected path (its issuer failed the issuer checks while the path was built) is never
    // accepted (`apple-trust.md §4`).
    let accepted = !rejected && matches!(anchor, AnchorStatus::Trusted(_)) && counted.is_empty();
    let proceed = accepted && proceeds(b, &certs);
    let mut v = Validated {
        certs,
        anchor,
        system_anchored,
        counted,
        suppressed,
        accepted,
        bad_signature: bad_link,
        proceed,
        ev: is_ev,
        score: 0,
        score_if_self_signed: None,
        order: 0,
        notes,
    };
    v.score = score::score(&rules, &v, last_self_signed, t);
    if last_open {
        v.score_if_self_signed = Some(score::score(&rules, &v, true, t));
    }
    v
}

/// Validity at the verify date and weak key / weak signature checks on certificate `i`
/// (`apple-trust.md §2, §4`), pushed with `scope`; returns whether the certificate's signature
/// uses a broken hash (MD2/MD4/MD5, never verified). Apple's own roots skip the expiry check
/// from 59306 (the emulator: roots the caller marks as Apple roots).
fn validity_and_weakness(
    b: &Builder<'_>,
    certs: &[Certificate],
    i: usize,
    self_signed: bool,
    scope: Scope,
    push: &mut impl FnMut(usize, Check, Scope),
) -> bool {
    let rules = b.rules;
    let cert = &certs[i];
    let is_last = i + 1 == certs.len();
    // Validity at the verify date (notBefore ≤ t ≤ notAfter).
    let apple_root_skip =
        rules.contains(RuleId::AppleRootExpirySkip) && b.anchors.system.is_apple_root(cert);
    if !cert.is_valid_at(b.verify_time) && !apple_root_skip {
        let check = if rules.contains(RuleId::SplitValidityChecks) {
            if i == 0 {
                Check::ValidLeaf
            } else if is_last {
                Check::ValidRoot
            } else {
                Check::ValidIntermediates
            }
        } else {
            Check::TemporalValidity
        };
        push(i, check, scope);
    }

    // Weak keys and signatures.
    let weak_key = is_weak_key(cert, &rules);
    let weak_sig = cert.signature_algorithm().is_broken_hash() && !self_signed;
    if rules.contains(RuleId::WeakKeySizeAndSignature) {
        if weak_key {
            push(i, Check::WeakKeySize, scope);
        }
        if weak_sig {
            push(i, Check::WeakSignature, scope);
        }
    } else if rules.contains(RuleId::WeakChecksInBasic) && (weak_key || weak_sig) {
        let check = if i == 0 {
            Check::WeakLeaf
        } else if is_last {
            Check::WeakRoot
        } else {
            Check::WeakIntermediates
        };
        push(i, check, scope);
    }
    weak_sig
}

/// Whether the issuer that just joined the partial path `certs` (its last certificate) fails
/// the issuer checks (`apple-trust.md §4`, "Checks on every non-leaf certificate"; Apple's
/// `SecPVCParentCertificateChecks`): expiry, weak key and weak hash, judged against the FIRST
/// policy (`apple-trust.md §2`), and the forced BasicConstraints / BasicConstraintsCA /
/// KeyUsage (keyCertSign) checks. A failure suppressed by an allowed error does not reject,
/// as Apple's `SecPVCSetResultForced` consults allowed errors first. pathLen, name
/// constraints and the policy tree belong to full path processing, not to these checks. Such a
/// path is set aside by the builder: re-processed after every source is exhausted, never
/// accepted.
pub(crate) fn issuer_rejected(b: &mut Builder<'_>, certs: &[Certificate]) -> bool {
    let Some(i) = certs.len().checked_sub(1).filter(|&i| i > 0) else {
        return false;
    };
    let cert = &certs[i];
    // Only a broken-hash signature reads whether the issuer is self-signed (and such links are
    // never verified, so this costs no signature check).
    let self_signed = cert.signature_algorithm().is_broken_hash()
        && cert.is_self_issued()
        && b.signed_by(cert, cert);
    let mut raw = Vec::new();
    let mut push = |index, check, scope| raw.push(RawFailure::new(index, check, scope));
    validity_and_weakness(b, certs, i, self_signed, Scope::First, &mut push);
    issuer_checks(certs, i, &mut push);
    if raw.is_empty() {
        return false;
    }
    // Allowed errors come from each certificate's constraints (`apple-trust.md §5`); only a
    // user setting reads whether the certificate is self-signed.
    let constraints: Vec<Option<&[UsageConstraint]>> = certs
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let self_signed = b.anchors.has_user_setting(c) && b.is_self_signed(c);
            b.anchors.constraints_for(c, k == 0, self_signed)
        })
        .collect();
    !count(b, certs, &constraints, raw).0.is_empty()
}

/// Issuer checks on certificate `i` ≥ 1 (`apple-trust.md §4`): basicConstraints with cA on v3
/// issuers, v1/v2 intermediates only under v1/v2 anchors, and keyCertSign when KU is present.
fn issuer_checks(certs: &[Certificate], i: usize, push: &mut impl FnMut(usize, Check, Scope)) {
    let cert = &certs[i];
    let n = certs.len();
    match cert.extensions().basic_constraints {
        None if cert.version() >= 3 => push(i, Check::BasicConstraints, Scope::Forced),
        None => {
            let anchor_v3 = certs.last().is_some_and(|a| a.version() >= 3);
            if i + 1 < n && anchor_v3 {
                push(i, Check::BasicConstraints, Scope::Forced);
            }
        }
        Some(bc) if !bc.ca => push(i, Check::BasicConstraintsCA, Scope::Forced),
        Some(_) => {}
    }
    if let Some(ku) = cert.extensions().key_usage
        && !ku.contains(crate::certificate::KeyUsage::KEY_CERT_SIGN)
    {
        push(i, Check::KeyUsage, Scope::Forced);
    }
}

/// pathLenConstraint on CA certificate `i` ≥ 1 (RFC 5280 §6.1.4 (l), (m): self-issued
/// intermediates do not count).
fn path_length_check(certs: &[Certificate], i: usize, push: &mut impl FnMut(usize, Check, Scope)) {
    let Some(bc) = certs[i].extensions().basic_constraints else {
        return;
    };
    if let (true, Some(max)) = (bc.ca, bc.path_len) {
        let below = certs[1..i].iter().filter(|c| !c.is_self_issued()).count();
        if below > max as usize {
            push(i, Check::BasicConstraintsPathLen, Scope::Forced);
        }
    }
}

/// WeakKeySize's criterion (`apple-trust.md §2, §4, §6`): RSA < 1024 bits, EC < 160 bits, DSA,
/// unknown or unparseable keys, and Ed25519/Ed448 before iOS 17.
pub(crate) fn is_weak_key(cert: &Certificate, rules: &RuleSet) -> bool {
    let key = cert.public_key();
    match (&key.algorithm, key.bits) {
        (_, None) => true,
        (KeyAlgorithm::Rsa, Some(bits)) => bits < 1024,
        (KeyAlgorithm::Ec(_), Some(bits)) => bits < 160,
        (KeyAlgorithm::Ed25519 | KeyAlgorithm::Ed448, Some(_)) => {
            rules.contains(RuleId::EdwardsKeysWeak)
        }
        (KeyAlgorithm::Dsa | KeyAlgorithm::Unknown(_), Some(_)) => true,
    }
}

/// Counts raw failures against the option sets, then suppresses recoverable ones by allowed
/// errors and, after them, by the caller's exceptions — trustd's order in
/// `SecPVCSetResultForced` (`apple-trust.md §2, §5`).
fn count(
    b: &Builder<'_>,
    certs: &[Certificate],
    constraints: &[Option<&[UsageConstraint]>],
    raw: Vec<RawFailure>,
) -> (Vec<Failure>, Vec<Suppressed>) {
    let first: CheckSet = b
        .infos
        .first()
        .map(|p| p.options.checks)
        .unwrap_or_default();
    let mut any: CheckSet = b
        .infos
        .iter()
        .fold(CheckSet::EMPTY, |s, p| s.union(p.options.checks));
    // Options carried by usage constraints of certificates in the path are checked too.
    for o in constraints
        .iter()
        .flatten()
        .flat_map(|cs| cs.iter())
        .filter_map(|c| c.policy_options.as_ref())
    {
        any = any.union(o.checks);
    }
    let mut counted: Vec<Failure> = Vec::new();
    let mut suppressed = Vec::new();
    for r in raw {
        let counts = match r.scope {
            Scope::Forced | Scope::ForcedAs(_) => true,
            Scope::First => first.contains(r.check) || any_constraint_has(constraints, r.check),
            Scope::Any => any.contains(r.check),
            Scope::Policy(k) => b
                .infos
                .get(k)
                .is_some_and(|p| p.options.checks.contains(r.check)),
        };
        if !counts {
            continue;
        }
        let f = make_failure(&b.platform, &r);
        if counted
            .iter()
            .any(|c: &Failure| c.cert_index == f.cert_index && c.check == f.check)
        {
            continue;
        }
        let reason = match allowed_by_settings(b, constraints, &f) {
            Some(allowed) => Some(SuppressionReason::AllowedError {
                allowed_error: allowed,
            }),
            None => excepted(b, certs, &f).then_some(SuppressionReason::Exception),
        };
        match reason {
            Some(reason) => suppressed.push(Suppressed { failure: f, reason }),
            None => counted.push(f),
        }
    }
    counted.sort_by(|a, c| a.cert_index.cmp(&c.cert_index).then(a.check.cmp(&c.check)));
    (counted, suppressed)
}

fn any_constraint_has(constraints: &[Option<&[UsageConstraint]>], check: Check) -> bool {
    constraints
        .iter()
        .flatten()
        .flat_map(|cs| cs.iter())
        .any(|c| c.policy_options.as_ref().is_some_and(|o| o.has(check)))
}

/// A counted failure with its class, subtype and OSStatus on this platform.
fn make_failure(platform: &Platform, r: &RawFailure) -> Failure {
    let rules = platform.rules();
    let old_model = rules.contains(RuleId::ResultModel55163)
        || rules.contains(RuleId::ResultModel55471)
        || rules.contains(RuleId::ResultModel57740);
    let mut class = match r.scope {
        Scope::ForcedAs(c) if !old_model => c,
        _ => platform.class(r.check),
    };
    // Old result models: BlackListedLeaf is fatal only on the leaf (platforms.md).
    if old_model && r.check == Check::BlackListedLeaf && r.index != 0 {
        class = CheckClass::Recoverable;
    }
    Failure {
        cert_index: r.index,
        check: r.check,
        value: r.value,
        class,
        subtype: platform.subtype(r.check),
        os_status: r.check.os_status(),
        forced: matches!(r.scope, Scope::Forced | Scope::ForcedAs(_)),
    }
}

/// The allowed error of a matching constraint of the certificate AT THE FAILING INDEX that
/// suppresses `f` (recoverable failures only; `apple-trust.md §5`).
fn allowed_by_settings(
    b: &Builder<'_>,
    constraints: &[Option<&[UsageConstraint]>],
    f: &Failure,
) -> Option<i64> {
    if f.class != CheckClass::Recoverable || !b.rules.contains(RuleId::AllowedErrors) {
        return None;
    }
    let constraints = constraints.get(f.cert_index).copied().flatten()?;
    let wanted = allowed_error(f.check);
    constraints
        .iter()
        .filter(|c| !c.allowed_errors.is_empty() && b.anchors.matches(c, f.cert_index == 0))
        .flat_map(|c| c.allowed_errors.iter().copied())
        .find(|&a| a == 0 || Some(a) == wanted)
}

/// Whether the caller's exception for the certificate at the failing index allows `f`
/// (recoverable failures only; `apple-trust.md §2`).
fn excepted(b: &Builder<'_>, certs: &[Certificate], f: &Failure) -> bool {
    f.class == CheckClass::Recoverable
        && b.exceptions.is_some_and(|e| {
            certs
                .get(f.cert_index)
                .is_some_and(|c| e.allows(f.cert_index, c, f.check))
        })
}

/// Whether a successful path gives Proceed because of a trust setting (`apple-trust.md §1`;
/// never where [`RuleId::NoProceedFromTrustSettings`] applies — iOS 5–10).
fn proceeds(b: &Builder<'_>, certs: &[Certificate]) -> bool {
    !b.rules.contains(RuleId::NoProceedFromTrustSettings)
        && certs
            .iter()
            .enumerate()
            .any(|(i, c)| b.anchors.gives_proceed(c, i == 0))
}
