//! The option checks the engine runs for whatever keys a policy's options carry
//! (`apple-trust.md §6, §7`): EKU and key usage, key sizes, signature hashes, the serverAuth EKU
//! rule, validity-period maximums, the weak-chain rules of iOS 11–12, and CT.
//!
//! Each function looks only at the path and its parameters; which keys are present (and so
//! which functions run) is decided by the policy's option set and the platform table.

use std::cell::RefCell;
use std::collections::HashMap;

use super::PolicyOptions;
use crate::certificate::{Certificate, KeyAlgorithm};
use crate::crypto::SignatureVerifier;
use crate::ct::{self, CtExceptions, CtLeaf, CtLogList, CtOutcome, CtRules, StapledScts};
use crate::platform::{RuleId, RuleSet};
use crate::verdict::Check;

/// serverAuth (1.3.6.1.5.5.7.3.1).
pub const SERVER_AUTH: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");

/// Apple's "July 1 2019" constant: 2019-06-30T23:00:00Z (`apple-trust.md §6`).
pub const JULY_2019: i64 = 1_561_935_600;
/// 2018-03-01T00:00:00Z.
const MARCH_2018: i64 = 1_519_862_400;
/// 2016-07-01T00:00:00Z.
const JULY_2016: i64 = 1_467_331_200;
/// 2020-09-01T00:00:00Z.
const SEPTEMBER_2020: i64 = 1_598_918_400;
const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

/// What the option checks need to know about a candidate path.
#[derive(Debug)]
pub(crate) struct OptionContext<'a> {
    pub(crate) certs: &'a [Certificate],
    pub(crate) platform: crate::platform::Platform,
    pub(crate) rules: RuleSet,
    pub(crate) self_signed: &'a [bool],
    pub(crate) system_anchored: bool,
    /// The leaf itself is trusted by a user/admin setting (even with anchors-only on).
    pub(crate) leaf_user_anchored: bool,
    /// The last certificate is trusted by a user/admin setting (even with anchors-only on).
    pub(crate) root_user_anchored: bool,
    /// The path ends at a trusted anchor.
    pub(crate) anchored: bool,
    /// The last certificate is one of Apple's own roots.
    pub(crate) apple_root: bool,
    /// The verify time, Unix seconds.
    pub(crate) verify_time: i64,
    /// The signature backend (for SCT signatures).
    pub(crate) verifier: &'a dyn SignatureVerifier,
    pub(crate) ct: &'a CtInputs<'a>,
}

/// What SystemTrustedCTRequired needs beyond the path, for one evaluation: the caller's log
/// list, stapled SCTs and exceptions, and the outcomes computed so far. CT looks only at the
/// leaf and its issuer's key, so candidate paths through the same issuer key share one
/// outcome: the SCT signature work stays within [`MAX_SCTS`](ct::MAX_SCTS) per issuer key.
#[derive(Debug)]
pub(crate) struct CtInputs<'a> {
    logs: Option<&'a CtLogList>,
    stapled: Vec<(ct::SctOrigin, &'a [u8])>,
    exceptions: &'a CtExceptions,
    outcomes: RefCell<HashMap<Option<[u8; 32]>, CtOutcome>>,
}

impl<'a> CtInputs<'a> {
    pub(crate) fn new(
        logs: Option<&'a CtLogList>,
        stapled: &'a StapledScts,
        exceptions: &'a CtExceptions,
    ) -> Self {
        CtInputs {
            logs,
            stapled: stapled.lists(),
            exceptions,
            outcomes: RefCell::default(),
        }
    }

    /// The CT outcome of the path's leaf: its SCTs (embedded ones checked against the key of
    /// certificate 1; a one-certificate path has none to check with) under `platform`'s count
    /// rules, computed once per issuer key. `None` when no log list was supplied: CT cannot be
    /// evaluated. Shared by `SystemTrustedCTRequired` and the Valid database's `CTRequired`.
    pub(crate) fn leaf_outcome(
        &self,
        certs: &[Certificate],
        verify_time: i64,
        platform: &crate::platform::Platform,
        verifier: &dyn SignatureVerifier,
    ) -> Option<CtOutcome> {
        let logs = self.logs?;
        let leaf = certs.first()?;
        let issuer = certs.get(1);
        let key = issuer.map(|c| *c.spki_sha256());
        let mut outcomes = self.outcomes.borrow_mut();
        let outcome = outcomes.entry(key).or_insert_with(|| {
            ct::evaluate(
                &CtLeaf::new(leaf, issuer),
                &self.stapled,
                logs,
                verify_time,
                CtRules::for_platform(platform),
                verifier,
            )
        });
        Some(outcome.clone())
    }
}

/// The note when CT is required but no log list was supplied.
pub(crate) const NO_LOG_LIST: &str = "no CT log list was supplied";

/// Runs the parameterised option checks of `opts`, pushing `(index, check)` failures and, for
/// what a reader of the verdict should know (CT's outcome, a quirk that fired), notes.
pub(crate) fn run(
    ctx: &OptionContext<'_>,
    opts: &PolicyOptions,
    out: &mut Vec<(usize, Check)>,
    notes: &mut Vec<String>,
) {
    let n = ctx.certs.len();
    let Some(leaf) = ctx.certs.first() else {
        return;
    };
    if let (true, Some(host)) = (opts.has(Check::SslHostname), &opts.hostname)
        && !hostname_matches(ctx, leaf, host, opts)
    {
        out.push((0, Check::SslHostname));
    }
    if let (true, Some(rule)) = (opts.has(Check::ExtendedKeyUsage), &opts.leaf_eku)
        && !rule.accepts(leaf.extensions().extended_key_usage.as_deref())
    {
        out.push((0, Check::ExtendedKeyUsage));
    }
    if let (true, Some(rule)) = (opts.has(Check::ExtendedKeyUsage), &opts.ca_eku)
        && n >= 3
    {
        for (i, ca) in ctx.certs.iter().enumerate().take(n - 1).skip(1) {
            if let Some(eku) = ca.extensions().extended_key_usage.as_deref()
                && !rule.accepts(Some(eku))
            {
                out.push((i, Check::ExtendedKeyUsage));
            }
        }
    }
    if let (true, Some(bits)) = (opts.has(Check::KeyUsage), opts.leaf_key_usage)
        && bits != 0
        && leaf
            .extensions()
            .key_usage
            .is_some_and(|ku| !ku.contains(bits))
    {
        out.push((0, Check::KeyUsage));
    }
    if opts.has(Check::SignatureHashAlgorithms) {
        signature_hashes(ctx, out);
    }
    if let (true, Some((rsa, ec))) = (opts.has(Check::KeySize), opts.min_key_bits)
        && !ctx.leaf_user_anchored
    {
        for (i, c) in ctx.certs.iter().enumerate() {
            if !meets_key_size(c, rsa, ec) {
                out.push((i, Check::KeySize));
            }
        }
    }
    if opts.has(Check::ServerAuthEKU) {
        server_auth_eku(ctx, out);
    }
    validity_maximums(ctx, opts, out);
    if ctx.system_anchored {
        system_trusted_weak(ctx, opts, out);
    }
    if opts.has(Check::SystemTrustedCTRequired) {
        ct_required(ctx, opts, out, notes);
    }
    super::smime_checks::run(ctx, opts, out, notes);
}

/// SystemTrustedCTRequired (`apple-trust.md §6`, "CT required"), at index 0. Required when the
/// path is anchored and system-anchored, the root is not Apple's, the leaf was issued on or
/// after 2018-10-16 and is valid at the verify time, and no CT exception covers the chain (nor,
/// on iOS 13 / macOS 10.15, one of that release's exempt CAs: platforms.md "Other rules"); it
/// then runs only with a log list (none: skipped, with a note). Any policy carrying the key
/// runs it; Apple's constructors give it to the server SSL policy only.
fn ct_required(
    ctx: &OptionContext<'_>,
    opts: &PolicyOptions,
    out: &mut Vec<(usize, Check)>,
    notes: &mut Vec<String>,
) {
    let leaf = &ctx.certs[0];
    let required = ctx.anchored
        && ctx.system_anchored
        && !ctx.apple_root
        && leaf.not_before() >= ct::CT_REQUIRED_FROM
        && leaf.is_valid_at(ctx.verify_time);
    if !required {
        return;
    }
    let mut note = |n: String| {
        if !notes.contains(&n) {
            notes.push(n);
        }
    };
    if ctx
        .ct
        .exceptions
        .covers(opts.hostname.as_deref(), ctx.certs)
    {
        note("CT not required: a configured CT exception covers this chain".to_owned());
        return;
    }
    if ctx.ct.exceptions.ios13_exempt_chain(ctx.certs)
        && ctx.rules.contains(RuleId::CtIos13ExemptCas)
    {
        note(
            "CT not required: the chain passes through a CA exempt from CT on this release \
             (Apple IST CA 2 / Apple IST CA 8 / Google Internet Authority G3, platforms.md \
             \"Other rules\")"
                .to_owned(),
        );
        return;
    }
    let Some(outcome) =
        ctx.ct
            .leaf_outcome(ctx.certs, ctx.verify_time, &ctx.platform, ctx.verifier)
    else {
        note(format!(
            "CT could not be evaluated: {NO_LOG_LIST}, so SystemTrustedCTRequired was skipped"
        ));
        return;
    };
    if !outcome.satisfied {
        out.push((0, Check::SystemTrustedCTRequired));
    }
    note(outcome.to_string());
}

/// SignatureHashAlgorithms: no MD2/MD4/MD5/SHA-1 signatures; self-signed certificates and a
/// user-anchored root are exempt (`apple-trust.md §6`) — on a one-certificate path that root
/// is the leaf itself.
fn signature_hashes(ctx: &OptionContext<'_>, out: &mut Vec<(usize, Check)>) {
    use crate::crypto::HashAlgorithm::{Md2, Md4, Md5, Sha1};
    let n = ctx.certs.len();
    for (i, c) in ctx.certs.iter().enumerate() {
        if ctx.self_signed.get(i).copied().unwrap_or(false)
            || (i + 1 == n && ctx.root_user_anchored)
        {
            continue;
        }
        if matches!(c.signature_algorithm().hash(), Some(Md2 | Md4 | Md5 | Sha1)) {
            out.push((i, Check::SignatureHashAlgorithms));
        }
    }
}

/// KeySize: RSA and EC sizes compared in bytes, `(bits + 7) / 8`; keys other than RSA/EC fail.
fn meets_key_size(c: &Certificate, rsa: u32, ec: u32) -> bool {
    let k = c.public_key();
    let bytes = |b: u32| b.div_ceil(8);
    match (&k.algorithm, k.bits) {
        (KeyAlgorithm::Rsa, Some(b)) => bytes(b) >= bytes(rsa),
        (KeyAlgorithm::Ec(_), Some(b)) => bytes(b) >= bytes(ec),
        _ => false,
    }
}

fn has_server_auth(c: &Certificate) -> bool {
    c.extensions()
        .extended_key_usage
        .as_deref()
        .is_some_and(|e| e.contains(&SERVER_AUTH))
}

/// ServerAuthEKU by kind of anchor (`apple-trust.md §6`).
fn server_auth_eku(ctx: &OptionContext<'_>, out: &mut Vec<(usize, Check)>) {
    let leaf = &ctx.certs[0];
    if ctx.leaf_user_anchored || ctx.root_user_anchored {
        return;
    }
    if ctx.system_anchored {
        if !has_server_auth(leaf) {
            out.push((0, Check::ServerAuthEKU));
        }
        if ctx.rules.contains(RuleId::ServerAuthEkuIntermediates) {
            let n = ctx.certs.len();
            let bad_ca = ctx
                .certs
                .iter()
                .take(n.saturating_sub(1))
                .skip(1)
                .any(|ca| {
                    ca.extensions()
                        .extended_key_usage
                        .as_deref()
                        .is_some_and(|e| !e.contains(&SERVER_AUTH) && !e.contains(&super::ANY_EKU))
                });
            if bad_ca {
                out.push((0, Check::ServerAuthEKU));
            }
        }
    } else if leaf.not_before() > JULY_2019 && !has_server_auth(leaf) {
        out.push((0, Check::ServerAuthEKU));
    }
}

/// Validity-period maximums (`apple-trust.md §6` table): lifetime = notAfter − notBefore, and
/// exactly the maximum passes. Only a leaf that is itself user-anchored is exempt. TLS
/// policies only: S/MIME's own lifetime rule is in `smime_checks.rs`.
///
/// Which key reports it: iOS 13 reports every tier as `ValidityPeriodMaximums`; from iOS 14 the
/// system-anchored tiers report `SystemTrustValidityPeriod` and from iOS 16 the other-anchor
/// rule reports `OtherTrustValidityPeriod` (the keys Apple added with those rules).
fn validity_maximums(ctx: &OptionContext<'_>, opts: &PolicyOptions, out: &mut Vec<(usize, Check)>) {
    let enabled = [
        Check::ValidityPeriodMaximums,
        Check::SystemTrustValidityPeriod,
        Check::OtherTrustValidityPeriod,
    ]
    .iter()
    .any(|c| opts.has(*c));
    if !enabled || ctx.leaf_user_anchored || !opts.tls {
        return;
    }
    let r = &ctx.rules;
    let leaf = &ctx.certs[0];
    let nb = leaf.not_before();
    let lifetime = leaf.not_after().saturating_sub(nb);
    let (max, key) = if ctx.system_anchored {
        let key = if r.contains(RuleId::SystemTrustValidityKey) {
            Check::SystemTrustValidityPeriod
        } else {
            Check::ValidityPeriodMaximums
        };
        if r.contains(RuleId::ValidityMax398) && nb >= SEPTEMBER_2020 {
            (398 * DAY, key)
        } else if nb >= MARCH_2018 {
            (825 * DAY + HOUR, key)
        } else if !r.contains(RuleId::ValidityLegacyTiers) {
            return;
        } else if nb >= JULY_2016 {
            (1188 * DAY + HOUR, key)
        } else {
            (1827 * DAY + HOUR, key)
        }
    } else {
        let after = if r.contains(RuleId::OtherValidityInclusiveDate) {
            nb >= JULY_2019
        } else {
            nb > JULY_2019
        };
        if !after {
            return;
        }
        let key = if r.contains(RuleId::OtherTrustValidityKey) {
            Check::OtherTrustValidityPeriod
        } else {
            Check::ValidityPeriodMaximums
        };
        (825 * DAY + HOUR, key)
    };
    if lifetime > max && opts.has(key) {
        out.push((0, key));
    }
}

/// iOS 11–12 system-anchored chains: MD2/MD4/MD5/SHA-1/unknown hashes and RSA < 2048 or
/// EC < 224 rejected, the anchor itself skipped (platforms.md "Other rules").
fn system_trusted_weak(
    ctx: &OptionContext<'_>,
    opts: &PolicyOptions,
    out: &mut Vec<(usize, Check)>,
) {
    let n = ctx.certs.len();
    for (i, c) in ctx.certs.iter().enumerate().take(n.saturating_sub(1)) {
        if opts.has(Check::SystemTrustedWeakHash) && c.signature_algorithm().is_weak_for_scoring() {
            out.push((i, Check::SystemTrustedWeakHash));
        }
        if opts.has(Check::SystemTrustedWeakKey) && !meets_key_size_bits(c, 2048, 224) {
            out.push((i, Check::SystemTrustedWeakKey));
        }
    }
}

fn meets_key_size_bits(c: &Certificate, rsa: u32, ec: u32) -> bool {
    let k = c.public_key();
    match (&k.algorithm, k.bits) {
        (KeyAlgorithm::Rsa, Some(b)) => b >= rsa,
        (KeyAlgorithm::Ec(_), Some(b)) => b >= ec,
        _ => true,
    }
}

/// SSLHostname over the leaf's SAN (and, up to 58286, its CNs) under the platform's era.
fn hostname_matches(
    ctx: &OptionContext<'_>,
    leaf: &Certificate,
    host: &str,
    opts: &PolicyOptions,
) -> bool {
    use super::hostname::{self, HostnameInput};
    use crate::certificate::GeneralName;
    let mut dns: Vec<&str> = Vec::new();
    let mut ips: Vec<&[u8]> = Vec::new();
    for n in leaf.extensions().subject_alt_names() {
        match n {
            GeneralName::Dns(d) => dns.push(d),
            GeneralName::Ip(ip) => ips.push(ip),
            _ => {}
        }
    }
    let cns: Vec<&str> = leaf.subject().common_names().collect();
    let input = HostnameInput {
        dns_names: &dns,
        ip_addresses: &ips,
        common_names: &cns,
    };
    let psl = opts.public_suffixes.as_ref().map(|p| p.0.as_ref());
    hostname::matches(&input, host, hostname::rules_for(&ctx.platform), psl)
}
