//! The S/MIME option checks (`apple-trust.md §7`; platforms.md "S/MIME across versions"):
//! `Email` (with the pre-iOS-6 quirk), the S/MIME `KeyUsage` rule, the rules for
//! system-anchored leaves issued on or after 2022-04-01 (`EmailProtectionEKU`, the 1185-day
//! lifetime, SAN-only email) and the CSSM empty-subject rule.
//!
//! Like the other option checks ([`super::checks`]), each runs only when its key and its
//! parameter are among the policy's options; which parameters a profile gets is decided by
//! [`Smime`](super::Smime) from the rules table. The EKU, `KeySize` and
//! `SignatureHashAlgorithms` rules of S/MIME are the shared ones of `checks.rs`.

use super::PolicyOptions;
use super::checks::OptionContext;
use super::smime::Ios5SmimeHypothesis;
use crate::certificate::{Certificate, KeyUsage};
use crate::verdict::Check;

/// id-kp-emailProtection (1.3.6.1.5.5.7.3.4).
pub const EMAIL_PROTECTION: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4");

/// How `Email` compares the account's addresses with the certificate's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EmailMatching {
    /// The CSSM engine (macOS 10.7–10.11): when the SAN holds rfc822Names only they count,
    /// local part case-SENSITIVE and domain case-insensitive; otherwise the subject's
    /// emailAddress values, fully case-insensitive; a certificate holding no address at all
    /// passes.
    Cssm,
    /// trustd (iOS 5 →, macOS 10.12 →): SAN rfc822Names and subject emailAddress values,
    /// whole address case-insensitive; the CN never counts; no address fails.
    Trustd,
}

/// `Email`'s parameter: the addresses of one mail account and how they are matched
/// (`apple-trust.md §7`).
///
/// A certificate passes when it holds ANY address of the account — the primary address
/// (`SecPolicyCreateSMIME`'s `email`) or an alias — as OS X Mail and iOS 6 and later Mail do
/// when they ask about each address of the account (platforms.md "The pre-iOS-6 S/MIME quirk").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailRule {
    /// The account's primary address.
    pub address: String,
    /// Other addresses of the same account.
    pub aliases: Vec<String>,
    /// The engine's comparison.
    pub matching: EmailMatching,
    /// The pre-iOS-6 quirk under this hypothesis (set only where `RuleId::Ios5SmimeQuirk`
    /// applies).
    pub ios5_quirk: Option<Ios5SmimeHypothesis>,
}

/// One value S/MIME's `KeyUsage` accepts (trustd: `add_ku`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUsageValue {
    /// Every one of these KeyUsage bits is set (`KeyUsage` masks). A certificate without a KU
    /// extension has none set, so `AllOf(0)` — iOS 6–13's "unspecified" — matches every
    /// certificate.
    AllOf(u16),
    /// The certificate has no KU extension (iOS 14's "unspecified").
    NoExtension,
}

impl KeyUsageValue {
    /// Whether a certificate with `ku` (`None`: no extension) satisfies this value.
    pub fn satisfied_by(self, ku: Option<KeyUsage>) -> bool {
        match self {
            KeyUsageValue::AllOf(bits) => ku.unwrap_or_default().contains(bits),
            KeyUsageValue::NoExtension => ku.is_none(),
        }
    }
}

/// S/MIME's `KeyUsage` parameter (`apple-trust.md §7`; platforms.md "S/MIME across versions").
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyUsageRule {
    /// trustd: the leaf must satisfy ANY of these values.
    AnyOf(Vec<KeyUsageValue>),
    /// CSSM (macOS 10.7–10.11): a leaf without a KU extension passes; one with it must carry
    /// every bit of `bits`; with `decrypt` an encipherOnly leaf fails, with `encrypt` a
    /// decipherOnly leaf fails (key agreement refuses the other direction).
    Cssm {
        /// The KU bits asked for, all required.
        bits: u16,
        /// Key agreement in the encrypt direction is asked for.
        encrypt: bool,
        /// Key agreement in the decrypt direction is asked for.
        decrypt: bool,
    },
}

impl KeyUsageRule {
    /// Whether a leaf with `ku` (`None`: no extension) passes.
    pub fn accepts(&self, ku: Option<KeyUsage>) -> bool {
        match self {
            KeyUsageRule::AnyOf(values) => values.iter().any(|v| v.satisfied_by(ku)),
            KeyUsageRule::Cssm {
                bits,
                encrypt,
                decrypt,
            } => ku.is_none_or(|ku| {
                ku.contains(*bits)
                    && !(*decrypt && ku.contains(KeyUsage::ENCIPHER_ONLY))
                    && !(*encrypt && ku.contains(KeyUsage::DECIPHER_ONLY))
            }),
        }
    }
}

/// The rules for system-anchored leaves issued on or after a date (from 60420: 2022-04-01):
/// `EmailProtectionEKU` (the leaf's EKU must contain emailProtection itself), a maximum
/// lifetime (`SystemTrustValidityPeriod`, exactly the maximum passes) and SAN-only `Email`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemLeafRule {
    /// Leaves with notBefore ≥ this (Unix seconds) are covered.
    pub issued_from: i64,
    /// The longest allowed notAfter − notBefore, in seconds.
    pub max_lifetime: i64,
}

impl SystemLeafRule {
    /// Whether the rule covers the path's leaf.
    fn covers(&self, ctx: &OptionContext<'_>) -> bool {
        ctx.system_anchored && ctx.certs[0].not_before() >= self.issued_from
    }
}

/// Runs the S/MIME option checks of `opts` (`checks::run` calls this).
pub(super) fn run(
    ctx: &OptionContext<'_>,
    opts: &PolicyOptions,
    out: &mut Vec<(usize, Check)>,
    notes: &mut Vec<String>,
) {
    let leaf = &ctx.certs[0];
    let recent_system_leaf = opts.smime_system_leaf.is_some_and(|r| r.covers(ctx));
    if let (true, Some(rule)) = (opts.has(Check::Email), &opts.email) {
        let candidates = Candidates::of(leaf, recent_system_leaf);
        if let Err(note) = email_matches(rule, &candidates) {
            out.push((0, Check::Email));
            if let Some(note) = note
                && !notes.contains(&note)
            {
                notes.push(note);
            }
        }
    }
    if let (true, Some(rule)) = (opts.has(Check::KeyUsage), &opts.smime_key_usage)
        && !rule.accepts(leaf.extensions().key_usage)
    {
        out.push((0, Check::KeyUsage));
    }
    if let (true, Some(rule)) = (recent_system_leaf, opts.smime_system_leaf) {
        let eku = leaf.extensions().extended_key_usage.as_deref();
        if opts.has(Check::EmailProtectionEKU)
            && !eku.is_some_and(|e| e.contains(&EMAIL_PROTECTION))
        {
            out.push((0, Check::EmailProtectionEKU));
        }
        let lifetime = leaf.not_after().saturating_sub(leaf.not_before());
        if opts.has(Check::SystemTrustValidityPeriod) && lifetime > rule.max_lifetime {
            out.push((0, Check::SystemTrustValidityPeriod));
        }
    }
    if opts.empty_subject_needs_email && opts.has(Check::NonEmptySubject) {
        let ext = leaf.extensions();
        let critical_email = ext.subject_alt_name.as_ref().is_some_and(|s| s.critical)
            && ext.rfc822_names().next().is_some();
        if leaf.subject().is_empty() && !critical_email {
            out.push((0, Check::NonEmptySubject));
        }
    }
}

/// The addresses a leaf holds: SAN rfc822Names (in order) and subject emailAddress values.
/// The CN never counts (`apple-trust.md §7`).
struct Candidates<'a> {
    san: Vec<&'a str>,
    subject: Vec<&'a str>,
}

impl<'a> Candidates<'a> {
    /// `san_only`: a system-anchored leaf issued on or after 2022-04-01 (from 60420).
    fn of(leaf: &'a Certificate, san_only: bool) -> Self {
        let san = leaf.extensions().rfc822_names().collect();
        let subject = if san_only {
            Vec::new()
        } else {
            leaf.subject().email_addresses().collect()
        };
        Candidates { san, subject }
    }

    fn all(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.san.iter().chain(&self.subject).copied()
    }
}

/// `Ok` when the account's addresses match; `Err(Some(note))` when only the pre-iOS-6 quirk
/// makes them fail (the note names the quirk and the hypothesis), `Err(None)` otherwise.
fn email_matches(rule: &EmailRule, c: &Candidates<'_>) -> Result<(), Option<String>> {
    let account =
        || std::iter::once(rule.address.as_str()).chain(rule.aliases.iter().map(String::as_str));
    let plain = match rule.matching {
        EmailMatching::Cssm => return cssm_matches(account(), c).then_some(()).ok_or(None),
        EmailMatching::Trustd => account().any(|a| c.all().any(|e| e.eq_ignore_ascii_case(a))),
    };
    if !plain {
        return Err(None);
    }
    let Some(h) = rule.ios5_quirk else {
        return Ok(());
    };
    let quirked = match h {
        Ios5SmimeHypothesis::PrimaryAddressOnly => {
            c.all().any(|e| e.eq_ignore_ascii_case(&rule.address))
        }
        Ios5SmimeHypothesis::CaseSensitiveAddress => account().any(|a| c.all().any(|e| e == a)),
        Ios5SmimeHypothesis::FirstSanAddressOnly => {
            let looked_at = if c.san.is_empty() {
                &c.subject[..]
            } else {
                &c.san[..1]
            };
            account().any(|a| looked_at.iter().any(|e| e.eq_ignore_ascii_case(a)))
        }
    };
    if quirked {
        Ok(())
    } else {
        Err(Some(format!(
            "pre-iOS-6 S/MIME quirk (hypothesis {h:?}): {}",
            h.explanation()
        )))
    }
}

/// CSSM matching: SAN rfc822Names when there are any (local part exact, domain
/// case-insensitive), else subject emailAddress values (case-insensitive); no address passes.
fn cssm_matches<'a>(mut account: impl Iterator<Item = &'a str>, c: &Candidates<'_>) -> bool {
    if !c.san.is_empty() {
        return account.any(|a| c.san.iter().any(|e| cssm_san_eq(e, a)));
    }
    if !c.subject.is_empty() {
        return account.any(|a| c.subject.iter().any(|e| e.eq_ignore_ascii_case(a)));
    }
    true
}

/// Local part compared exactly, domain (after the last `@`) case-insensitively.
fn cssm_san_eq(cert: &str, wanted: &str) -> bool {
    match (cert.rsplit_once('@'), wanted.rsplit_once('@')) {
        (Some((cl, cd)), Some((wl, wd))) => cl == wl && cd.eq_ignore_ascii_case(wd),
        _ => cert == wanted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_usage_values_and_rules() {
        let ds = Some(KeyUsage(KeyUsage::DIGITAL_SIGNATURE));
        assert!(KeyUsageValue::AllOf(0).satisfied_by(None));
        assert!(KeyUsageValue::AllOf(0).satisfied_by(ds));
        assert!(KeyUsageValue::NoExtension.satisfied_by(None));
        assert!(!KeyUsageValue::NoExtension.satisfied_by(ds));
        assert!(!KeyUsageValue::AllOf(KeyUsage::KEY_ENCIPHERMENT).satisfied_by(None));
        let cssm = KeyUsageRule::Cssm {
            bits: KeyUsage::KEY_AGREEMENT,
            encrypt: false,
            decrypt: true,
        };
        assert!(cssm.accepts(None));
        assert!(cssm.accepts(Some(KeyUsage(
            KeyUsage::KEY_AGREEMENT | KeyUsage::DECIPHER_ONLY
        ))));
        assert!(!cssm.accepts(Some(KeyUsage(
            KeyUsage::KEY_AGREEMENT | KeyUsage::ENCIPHER_ONLY
        ))));
        assert!(!cssm.accepts(ds));
    }

    #[test]
    fn cssm_san_comparison_splits_at_the_last_at() {
        assert!(cssm_san_eq("Jane@EXAMPLE.com", "Jane@example.COM"));
        assert!(!cssm_san_eq("jane@example.com", "Jane@example.com"));
        assert!(cssm_san_eq("\"a@b\"@x.org", "\"a@b\"@X.org"));
        assert!(!cssm_san_eq("nodomain", "NODOMAIN"));
    }
}
