//! The S/MIME policy (`SecPolicyCreateSMIME(usage, email)`, OID 1.2.840.113635.100.1.8;
//! `apple-trust.md §7`; platforms.md "S/MIME across versions").
//!
//! [`Smime::options`](super::Policy::options) turns the usage flags and the account's addresses
//! into an option set by the rows of the rules table: the CSSM rules of macOS 10.7–10.11, iOS
//! 6's required emailProtection EKU and "unspecified = 0" key usage, iOS 7's optional EKU,
//! iOS 14's stricter EKU and key usage, iOS 15's key sizes, iOS 16's SHA-1 ban, intermediate
//! EKUs and rules for system-anchored leaves issued from 2022-04-01, and macOS's revocation
//! switch. The checks themselves are in `smime_checks.rs` and `checks.rs`.
//!
//! # The pre-iOS-6 quirk
//!
//! In 2012 two S/MIME certificates from one vendor, one chain, bought the same day and
//! differing only in their address (one a mac.com address) both worked in OS X Mail; on iOS 5.x
//! one showed "Not Trusted". iOS 5.1 did not fix it; iOS 6 did. **Apple never published the
//! cause, and iOS 5's source was never released.** The crate therefore models it as a
//! hypothesis you choose ([`Smime::with_ios5_hypothesis`]), applied only where
//! `RuleId::Ios5SmimeQuirk` applies (iOS 5.x); iOS 5 otherwise follows iOS 6's rules:
//!
//! - [`PrimaryAddressOnly`](Ios5SmimeHypothesis::PrimaryAddressOnly) (the default) assumes iOS
//!   5 Mail asked the trust engine about the account's primary address only, where OS X Mail
//!   and iOS 6+ accept a certificate for any address of the account (the email plus its
//!   [aliases](Smime::with_aliases)). A certificate for an alias — an iCloud account with
//!   primary `@me.com` and alias `@mac.com`, say — fails on iOS 5 only.
//! - [`CaseSensitiveAddress`](Ios5SmimeHypothesis::CaseSensitiveAddress) assumes iOS 5 compared
//!   the whole address case-sensitively (iOS 6's published engine does not): a certificate
//!   whose address differs from the account's only in letter case fails on iOS 5 only.
//! - [`FirstSanAddressOnly`](Ios5SmimeHypothesis::FirstSanAddressOnly) assumes iOS 5 looked
//!   only at the first rfc822Name of the SAN (the subject's emailAddress only when the SAN has
//!   no rfc822Name): a certificate whose matching address is a later SAN entry fails on iOS 5
//!   only.
//!
//! A failure the quirk causes is an ordinary `Email` failure (−67623,
//! RecoverableTrustFailure — "Not Trusted" on the device), and the verdict's notes name the
//! quirk and the hypothesis.
//!
//! [`Smime::without_ios5_quirk`] follows the published rules only, and [`Policy::quirk`] hands
//! the three hypotheses to a diagnosis ([`crate::explain::Diagnoser`]), which tests each apart
//! from the published rules.
//!
//! # Decisions where the specification is silent
//!
//! - Aliases widen the check only when there is an email: a null email skips `Email` entirely,
//!   as in Apple's API. The trust-setting policy string is the primary address.
//! - Addresses are compared ASCII case-insensitively (rfc822Name and emailAddress are
//!   IA5Strings).
//! - CSSM key usage: the flags map to KU bits — sign digitalSignature, key encrypt
//!   keyEncipherment, data encrypt dataEncipherment, key exchange keyAgreement — and a leaf with
//!   a KU extension needs EVERY bit asked for (so "any encrypt" asks for all three); decrypt
//!   refuses encipherOnly leaves, encrypt refuses decipherOnly leaves.
//! - The 1185-day lifetime of system-anchored leaves reports `SystemTrustValidityPeriod` (the
//!   system-anchored lifetime key of `apple-trust.md §2`).
//! - The trust-settings key usage of the policy (`apple-trust.md §5`) is derived from the
//!   accepted KU values as trustd does: digitalSignature → signature, dataEncipherment →
//!   data, keyEncipherment → key, keyAgreement → key exchange.

use std::fmt;
use std::ops::{BitOr, BitOrAssign};
use std::sync::Arc;

use const_oid::ObjectIdentifier;

use super::smime_checks::{
    EMAIL_PROTECTION, EmailMatching, EmailRule, KeyUsageRule, KeyUsageValue, SystemLeafRule,
};
use super::{BasicX509, EkuRule, Policy, PolicyOptions, Quirk, QuirkVariant};
use crate::certificate::KeyUsage;
use crate::platform::{Platform, RuleId, RuleSet};
use crate::verdict::Check;

/// 2022-04-01T00:00:00Z: system-anchored S/MIME leaves issued from then follow the 60420 rules.
pub const APRIL_2022: i64 = 1_648_771_200;
/// The longest lifetime of such a leaf: 1185 days, no slack.
pub const SMIME_MAX_LIFETIME_DAYS: i64 = 1185;

/// Apple's S/MIME usage flags (`SecPolicyCreateSMIME`'s `smimeUsage`; `apple-trust.md §7`).
///
/// ```
/// use sectrust::policy::SmimeUsage;
/// let usage = SmimeUsage::SIGN | SmimeUsage::KEY_ENCRYPT;
/// assert_eq!(usage.bits(), 0b11);
/// assert_eq!(SmimeUsage::ANY_ENCRYPT.bits(), 0x1e);
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SmimeUsage(u32);

impl SmimeUsage {
    /// Usage 0: no KeyUsage check at all.
    pub const NONE: SmimeUsage = SmimeUsage(0);
    /// `kSecSignSMIMEUsage` (1<<0).
    pub const SIGN: SmimeUsage = SmimeUsage(1 << 0);
    /// `kSecKeyEncryptSMIMEUsage` (1<<1).
    pub const KEY_ENCRYPT: SmimeUsage = SmimeUsage(1 << 1);
    /// `kSecDataEncryptSMIMEUsage` (1<<2).
    pub const DATA_ENCRYPT: SmimeUsage = SmimeUsage(1 << 2);
    /// `kSecKeyExchangeDecryptSMIMEUsage` (1<<3).
    pub const KEY_EXCHANGE_DECRYPT: SmimeUsage = SmimeUsage(1 << 3);
    /// `kSecKeyExchangeEncryptSMIMEUsage` (1<<4).
    pub const KEY_EXCHANGE_ENCRYPT: SmimeUsage = SmimeUsage(1 << 4);
    /// `kSecKeyExchangeBothSMIMEUsage` (1<<5).
    pub const KEY_EXCHANGE_BOTH: SmimeUsage = SmimeUsage(1 << 5);
    /// `kSecAnyEncryptSMIME`: key encrypt | data encrypt | key exchange decrypt | encrypt.
    pub const ANY_ENCRYPT: SmimeUsage = SmimeUsage((1 << 1) | (1 << 2) | (1 << 3) | (1 << 4));
    /// `kSecIgnoreExpirationSMIMEUsage` (1<<6): no expiry checks and no leaf block/gray lists
    /// (honoured from iOS 11).
    pub const IGNORE_EXPIRATION: SmimeUsage = SmimeUsage(1 << 6);

    /// Flags from Apple's numeric value (unknown bits are kept and ignored, as Apple does).
    pub const fn from_bits(bits: u32) -> Self {
        SmimeUsage(bits)
    }

    /// Apple's numeric value.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: SmimeUsage) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any flag of `other` is set.
    const fn intersects(self, other: SmimeUsage) -> bool {
        self.0 & other.0 != 0
    }
}

impl BitOr for SmimeUsage {
    type Output = SmimeUsage;
    fn bitor(self, rhs: SmimeUsage) -> SmimeUsage {
        SmimeUsage(self.0 | rhs.0)
    }
}

impl BitOrAssign for SmimeUsage {
    fn bitor_assign(&mut self, rhs: SmimeUsage) {
        self.0 |= rhs.0;
    }
}

impl fmt::Debug for SmimeUsage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmimeUsage({:#x})", self.0)
    }
}

/// What caused the pre-iOS-6 S/MIME quirk — unknown; pick the hypothesis to test (module
/// docs; platforms.md "The pre-iOS-6 S/MIME quirk").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Ios5SmimeHypothesis {
    /// iOS 5 Mail asked about the account's primary address only (the default).
    #[default]
    PrimaryAddressOnly,
    /// iOS 5 compared the whole address case-sensitively.
    CaseSensitiveAddress,
    /// iOS 5 looked only at the first rfc822Name of the SAN.
    FirstSanAddressOnly,
}

impl Ios5SmimeHypothesis {
    /// Every hypothesis, the default first.
    pub const ALL: [Ios5SmimeHypothesis; 3] = [
        Ios5SmimeHypothesis::PrimaryAddressOnly,
        Ios5SmimeHypothesis::CaseSensitiveAddress,
        Ios5SmimeHypothesis::FirstSanAddressOnly,
    ];

    /// What the hypothesis says failed, for the verdict note.
    pub const fn explanation(self) -> &'static str {
        match self {
            Ios5SmimeHypothesis::PrimaryAddressOnly => {
                "iOS 5 Mail asked about the primary address only; this certificate matches only an alias"
            }
            Ios5SmimeHypothesis::CaseSensitiveAddress => {
                "iOS 5 compared addresses case-sensitively; this certificate's address differs from the account's only in letter case"
            }
            Ios5SmimeHypothesis::FirstSanAddressOnly => {
                "iOS 5 looked only at the first rfc822Name of the SAN; this certificate's matching address is not that one"
            }
        }
    }
}

/// `SecPolicyCreateSMIME(usage, email)`, with the other addresses of the mail account and the
/// pre-iOS-6 hypothesis.
///
/// ```
/// use sectrust::policy::{Ios5SmimeHypothesis, Smime, SmimeUsage};
/// let policy = Smime::new(SmimeUsage::SIGN, Some("jane@me.com".into()))
///     .with_aliases(["jane@mac.com"])
///     .with_ios5_hypothesis(Ios5SmimeHypothesis::PrimaryAddressOnly);
/// assert_eq!(policy.aliases(), ["jane@mac.com"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smime {
    usage: SmimeUsage,
    email: Option<String>,
    aliases: Vec<String>,
    ios5: Ios5SmimeHypothesis,
    /// Whether the quirk applies at all (off: iOS 5 follows iOS 6 exactly).
    ios5_quirk: bool,
}

impl Smime {
    /// `kSecPolicyAppleSMIME`.
    pub const OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113635.100.1.8");

    /// The policy for `usage`, checking `email` (`None` skips the Email check).
    pub fn new(usage: SmimeUsage, email: Option<String>) -> Self {
        Smime {
            usage,
            email,
            aliases: Vec::new(),
            ios5: Ios5SmimeHypothesis::default(),
            ios5_quirk: true,
        }
    }

    /// Other addresses of the same mail account: a certificate for any of them passes Email
    /// (as OS X Mail and iOS 6+ Mail behave; not on iOS 5 under `PrimaryAddressOnly`).
    pub fn with_aliases(mut self, aliases: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.aliases.extend(aliases.into_iter().map(Into::into));
        self
    }

    /// The pre-iOS-6 hypothesis applied on iOS 5.x (default `PrimaryAddressOnly`); turns the
    /// quirk on if [`without_ios5_quirk`](Self::without_ios5_quirk) turned it off.
    pub fn with_ios5_hypothesis(mut self, hypothesis: Ios5SmimeHypothesis) -> Self {
        self.ios5 = hypothesis;
        self.ios5_quirk = true;
        self
    }

    /// The published rules only: iOS 5 follows iOS 6 exactly, with no pre-iOS-6 quirk. What a
    /// diagnosis evaluates the platform rules with ([`Policy::quirk`]).
    pub fn without_ios5_quirk(mut self) -> Self {
        self.ios5_quirk = false;
        self
    }

    /// Whether the pre-iOS-6 quirk applies (on iOS 5.x) under [`ios5_hypothesis`](Self::ios5_hypothesis).
    pub fn has_ios5_quirk(&self) -> bool {
        self.ios5_quirk
    }

    /// The usage flags.
    pub fn usage(&self) -> SmimeUsage {
        self.usage
    }

    /// The account's primary address, if any.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// The account's other addresses.
    pub fn aliases(&self) -> &[String] {
        &self.aliases
    }

    /// The pre-iOS-6 hypothesis.
    pub fn ios5_hypothesis(&self) -> Ios5SmimeHypothesis {
        self.ios5
    }

    /// The KeyUsage rule for these flags under `rules`; `None` for usage 0.
    fn key_usage_rule(&self, rules: &RuleSet) -> Option<KeyUsageRule> {
        let u = self.usage;
        let kx = SmimeUsage::KEY_EXCHANGE_DECRYPT
            | SmimeUsage::KEY_EXCHANGE_ENCRYPT
            | SmimeUsage::KEY_EXCHANGE_BOTH;
        if rules.contains(RuleId::SmimeCssm) {
            let bit = |flag: SmimeUsage, ku: u16| if u.intersects(flag) { ku } else { 0 };
            let bits = bit(SmimeUsage::SIGN, KeyUsage::DIGITAL_SIGNATURE)
                | bit(SmimeUsage::KEY_ENCRYPT, KeyUsage::KEY_ENCIPHERMENT)
                | bit(SmimeUsage::DATA_ENCRYPT, KeyUsage::DATA_ENCIPHERMENT)
                | bit(kx, KeyUsage::KEY_AGREEMENT);
            let both = SmimeUsage::KEY_EXCHANGE_BOTH;
            return (bits != 0).then_some(KeyUsageRule::Cssm {
                bits,
                encrypt: u.intersects(SmimeUsage::KEY_EXCHANGE_ENCRYPT | both),
                decrypt: u.intersects(SmimeUsage::KEY_EXCHANGE_DECRYPT | both),
            });
        }
        let legacy = rules.contains(RuleId::SmimeKeyUsage55163);
        let (ka, enc, dec) = (
            KeyUsage::KEY_AGREEMENT,
            KeyUsage::ENCIPHER_ONLY,
            KeyUsage::DECIPHER_ONLY,
        );
        let mut values = Vec::new();
        let mut add = |flag: SmimeUsage, v: &[KeyUsageValue]| {
            if u.contains(flag) {
                values.extend_from_slice(v);
            }
        };
        use KeyUsageValue::{AllOf, NoExtension};
        if legacy {
            add(
                SmimeUsage::SIGN,
                &[
                    AllOf(0),
                    AllOf(KeyUsage::DIGITAL_SIGNATURE),
                    AllOf(KeyUsage::NON_REPUDIATION),
                ],
            );
        } else {
            add(
                SmimeUsage::SIGN,
                &[NoExtension, AllOf(KeyUsage::DIGITAL_SIGNATURE)],
            );
        }
        add(
            SmimeUsage::KEY_ENCRYPT,
            &[AllOf(KeyUsage::KEY_ENCIPHERMENT)],
        );
        add(
            SmimeUsage::DATA_ENCRYPT,
            &[AllOf(KeyUsage::DATA_ENCIPHERMENT)],
        );
        if legacy {
            add(SmimeUsage::KEY_EXCHANGE_DECRYPT, &[AllOf(ka | dec)]);
            add(SmimeUsage::KEY_EXCHANGE_ENCRYPT, &[AllOf(ka | enc)]);
            add(SmimeUsage::KEY_EXCHANGE_BOTH, &[AllOf(ka | enc | dec)]);
        } else if u.intersects(kx) {
            values.push(AllOf(ka));
        }
        (!values.is_empty()).then_some(KeyUsageRule::AnyOf(values))
    }

    /// The leaf's EKU rule under `rules` (one row per era of the S/MIME table).
    fn leaf_eku_rule(rules: &RuleSet) -> EkuRule {
        let (allow_absent, allow_any) = if rules.contains(RuleId::SmimeEku55163) {
            (false, false)
        } else if rules.contains(RuleId::SmimeCssm) || rules.contains(RuleId::SmimeEku55471) {
            (true, true)
        } else {
            // SmimeEku59754 and later.
            (true, false)
        };
        EkuRule {
            purposes: vec![EMAIL_PROTECTION],
            allow_absent,
            allow_any,
        }
    }
}

/// `SecTrustSettingsKeyUsage` bits of the accepted KU values (trustd's
/// `ts_key_usage_for_policy`; `apple-trust.md §5`).
fn trust_settings_key_usage(rule: &KeyUsageRule) -> u32 {
    let from_bits = |ku: u16| {
        [
            (KeyUsage::DIGITAL_SIGNATURE, 0x01),
            (KeyUsage::DATA_ENCIPHERMENT, 0x02),
            (KeyUsage::KEY_ENCIPHERMENT, 0x04),
            (KeyUsage::KEY_AGREEMENT, 0x20),
        ]
        .iter()
        .filter(|(bit, _)| ku & bit != 0)
        .fold(0, |acc, (_, ts)| acc | ts)
    };
    match rule {
        KeyUsageRule::AnyOf(values) => values.iter().fold(0, |acc, v| match v {
            KeyUsageValue::AllOf(bits) => acc | from_bits(*bits),
            KeyUsageValue::NoExtension => acc,
        }),
        KeyUsageRule::Cssm { bits, .. } => from_bits(*bits),
    }
}

impl Policy for Smime {
    fn oid(&self) -> ObjectIdentifier {
        Self::OID
    }

    fn name(&self) -> &str {
        "SMIME"
    }

    fn options(&self, platform: &Platform) -> PolicyOptions {
        let rules = platform.rules();
        let mut o = BasicX509::base_options(platform);
        if self.usage.contains(SmimeUsage::IGNORE_EXPIRATION)
            && rules.contains(RuleId::SmimeIgnoreExpiration)
        {
            for c in [
                Check::TemporalValidity,
                Check::ValidLeaf,
                Check::ValidIntermediates,
                Check::ValidRoot,
                Check::BlackListedLeaf,
                Check::GrayListedLeaf,
            ] {
                o.remove(c);
            }
        }
        o.policy_string = self.email.clone();
        let cssm = rules.contains(RuleId::SmimeCssm);
        if let Some(address) = &self.email {
            o.insert(Check::Email);
            o.email = Some(EmailRule {
                address: address.clone(),
                aliases: self.aliases.clone(),
                matching: if cssm {
                    EmailMatching::Cssm
                } else {
                    EmailMatching::Trustd
                },
                ios5_quirk: (self.ios5_quirk && rules.contains(RuleId::Ios5SmimeQuirk))
                    .then_some(self.ios5),
            });
        }
        if let Some(ku) = self.key_usage_rule(&rules) {
            o.insert(Check::KeyUsage);
            o.trust_settings_key_usage = trust_settings_key_usage(&ku);
            o.smime_key_usage = Some(ku);
        }
        o.insert(Check::ExtendedKeyUsage);
        o.leaf_eku = Some(Self::leaf_eku_rule(&rules));
        if rules.contains(RuleId::IntermediateEkuEnforced) {
            o.ca_eku = Some(EkuRule {
                purposes: vec![EMAIL_PROTECTION],
                allow_absent: true,
                allow_any: true,
            });
        }
        if cssm {
            o.empty_subject_needs_email = true;
        }
        if rules.contains(RuleId::SmimeKeySize60157) {
            o.insert(Check::KeySize);
            o.min_key_bits = Some((2048, 256));
        }
        if rules.contains(RuleId::SmimeSha1Rejected60420) {
            o.insert(Check::SignatureHashAlgorithms);
        }
        if rules.contains(RuleId::SmimeSystemLeaves60420) {
            o.insert(Check::EmailProtectionEKU)
                .insert(Check::SystemTrustValidityPeriod);
            o.smime_system_leaf = Some(SystemLeafRule {
                issued_from: APRIL_2022,
                max_lifetime: SMIME_MAX_LIFETIME_DAYS * 86_400,
            });
        }
        if rules.contains(RuleId::SmimeRevocationMacos) {
            o.revocation = Some(crate::revocation::RevocationOptions::any_method());
        }
        o
    }

    /// Options from the OS and rule rows only.
    fn options_follow_rules(&self) -> bool {
        true
    }

    /// The pre-iOS-6 quirk's hypotheses (none without an email: the quirk is about `Email`).
    fn quirk(&self) -> Option<Quirk> {
        self.email.as_ref()?;
        let hypotheses = Ios5SmimeHypothesis::ALL
            .into_iter()
            .map(|h| QuirkVariant {
                name: format!("{h:?}"),
                explanation: h.explanation().to_owned(),
                policy: Arc::new(self.clone().with_ios5_hypothesis(h)) as Arc<dyn Policy>,
            })
            .collect();
        Some(Quirk {
            rule: RuleId::Ios5SmimeQuirk,
            without: Arc::new(self.clone().without_ios5_quirk()),
            hypotheses,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every profile has exactly one EKU era and one key-usage era of the S/MIME table.
    #[test]
    fn every_profile_has_one_eku_era_and_one_key_usage_era() {
        for p in Platform::all() {
            let r = p.rules();
            let eku = [
                RuleId::SmimeCssm,
                RuleId::SmimeEku55163,
                RuleId::SmimeEku55471,
                RuleId::SmimeEku59754,
            ];
            let ku = [
                RuleId::SmimeCssm,
                RuleId::SmimeKeyUsage55163,
                RuleId::SmimeKeyUsage59754,
            ];
            for era in [&eku[..], &ku[..]] {
                let n = era.iter().filter(|id| r.contains(**id)).count();
                assert_eq!(n, 1, "{p}: {era:?}");
            }
        }
    }

    #[test]
    fn usage_zero_and_ignore_expiration_alone_add_no_key_usage() {
        for p in ["ios-6.0", "ios-14.0", "macos-10.7"] {
            let p: Platform = p.parse().unwrap();
            for u in [SmimeUsage::NONE, SmimeUsage::IGNORE_EXPIRATION] {
                let o = Smime::new(u, None).options(&p);
                assert!(!o.has(Check::KeyUsage), "{p}");
                assert_eq!(o.smime_key_usage, None);
            }
        }
    }

    #[test]
    fn the_quirk_offers_every_hypothesis_and_the_published_rules() {
        let account = Smime::new(SmimeUsage::SIGN, Some("jane@me.com".into()));
        let ios5 = Platform::ios(5, 1);
        let quirk = account.quirk().expect("an email: the quirk applies");
        assert_eq!(quirk.rule, RuleId::Ios5SmimeQuirk);
        let email = |p: &dyn Policy| p.options(&ios5).email.unwrap().ios5_quirk;
        assert_eq!(email(quirk.without.as_ref()), None);
        let names: Vec<&str> = quirk.hypotheses.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "PrimaryAddressOnly",
                "CaseSensitiveAddress",
                "FirstSanAddressOnly"
            ]
        );
        for (h, v) in Ios5SmimeHypothesis::ALL.iter().zip(&quirk.hypotheses) {
            assert_eq!(email(v.policy.as_ref()), Some(*h));
        }
        assert!(Smime::new(SmimeUsage::SIGN, None).quirk().is_none());
        let off = account.without_ios5_quirk();
        assert!(!off.has_ios5_quirk());
        assert!(
            off.with_ios5_hypothesis(Ios5SmimeHypothesis::CaseSensitiveAddress)
                .has_ios5_quirk()
        );
    }

    #[test]
    fn trust_settings_key_usage_follows_trustd() {
        let o = Smime::new(SmimeUsage::SIGN | SmimeUsage::ANY_ENCRYPT, None)
            .options(&Platform::ios(16, 0));
        assert_eq!(o.trust_settings_key_usage, 0x01 | 0x02 | 0x04 | 0x20);
    }
}
