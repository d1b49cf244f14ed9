//! The one rules table of `platforms.md`: one row per change, each with its evidence.
//!
//! Policies and the engine ask `platform.has(RuleId::…)`; no version comparison appears
//! anywhere else. A row applies to a profile when the profile's version falls in the row's span
//! for its OS (`from` inclusive, `until` exclusive).

use super::{Os, Platform, Version};
use crate::verdict::{Check, CheckClass, Subtype};

/// Identifies a row of [`RULES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum RuleId {
    /// macOS 10.7–10.11 evaluate with the CSSM engine (AppleX509TP).
    CssmEngine,
    /// iOS 5–6 result model: no Deny, no allowed errors; Fatal only from BlackListedLeaf on the
    /// leaf (no Proceed from trust settings: [`RuleId::NoProceedFromTrustSettings`]).
    ResultModel55163,
    /// iOS 7–9: as iOS 6, plus BlackListedKey gives Fatal.
    ResultModel55471,
    /// iOS 10 and macOS 10.12: Deny and allowed errors arrive (no Proceed from trust settings
    /// on iOS: [`RuleId::NoProceedFromTrustSettings`]).
    ResultModel57740,
    /// iOS 11–12: Fatal only for BlackListed*, Weak*, Revocation (and WoSign's BlackListedKey);
    /// Deny overwrites even Fatal; Proceed from the user store.
    ResultModel58286,
    /// iOS 5–10: a trusted chain is never Proceed because of a trust setting (only exceptions
    /// give Proceed). Not on macOS, whose user/admin settings are the keychain's trust settings.
    NoProceedFromTrustSettings,
    /// ValidLeaf / ValidIntermediates / ValidRoot instead of TemporalValidity.
    SplitValidityChecks,
    /// Apple's own roots skip the expiry check.
    AppleRootExpirySkip,
    /// BlackListedLeaf and GrayListedLeaf are in the basic X.509 set.
    BlockListsInBasic,
    /// WeakLeaf / WeakIntermediates / WeakRoot in the basic set.
    WeakChecksInBasic,
    /// The Weak* checks are recoverable (57740 only).
    WeakChecksRecoverable,
    /// WeakKeySize and WeakSignature in the basic set.
    WeakKeySizeAndSignature,
    /// UnparseableExtension and DuplicateExtension in the basic set.
    ExtensionHygiene,
    /// Ed25519/Ed448 keys fail WeakKeySize on any certificate.
    EdwardsKeysWeak,
    /// The path scores and stopping rule of releases ≤ 57337.
    LegacyPathScoring,
    /// The builder stops early only on a SHA-2 accepted path.
    StopOnSha2Path,
    /// … or on a path whose leaf is already weak.
    StopOnWeakLeafPath,
    /// At most 100 candidate paths.
    PathCap,
    /// KeySize and SignatureHashAlgorithms have the pinning subtype; SystemTrustedWeak* have
    /// the compliance subtype.
    Subtypes59306,
    /// KeySize has the pinning subtype.
    Subtypes59754,
    /// The pre-iOS-6 S/MIME quirk.
    Ios5SmimeQuirk,
    /// Profile-installed roots need "full trust" to anchor TLS.
    ProfileRootsNeedFullTrust,
    /// Trust settings' allowed errors are honoured.
    AllowedErrors,
    /// Server SSL chains: SignatureHashAlgorithms, KeySize, ServerAuthEKU (leaf) and the
    /// validity-period maximums.
    SslServerChecks59306,
    /// ServerAuthEKU also checks system-anchored intermediates (failure at index 0).
    ServerAuthEkuIntermediates,
    /// The 398-day maximum for system-anchored leaves issued on/after 2020-09-01.
    ValidityMax398,
    /// The 1188/1827-day tiers for system-anchored leaves issued before 2018-03-01.
    ValidityLegacyTiers,
    /// The other-anchors 825-day rule applies from notBefore ≥ 2019-06-30T23:00Z (was `>`).
    OtherValidityInclusiveDate,
    /// System-anchored lifetime failures report SystemTrustValidityPeriod.
    SystemTrustValidityKey,
    /// Other-anchor lifetime failures report OtherTrustValidityPeriod.
    OtherTrustValidityKey,
    /// The EKU of intermediates is enforced (recorded for analytics only before).
    IntermediateEkuEnforced,
    /// System-anchored chains reject weak hashes and keys (SystemTrustedWeakHash/Key).
    SystemTrustedWeakChains,
    /// In 55163 only the SSL policy had BlackListedLeaf.
    SslBlackListedLeaf55163,
    /// SSLHostname: the character matcher (`*` last in its label, zero or more characters).
    HostnameCharacterMatcher,
    /// SSLHostname: wildcards only in the first label; `*.tld` rejected.
    HostnameFirstLabelWildcard,
    /// SSLHostname: the wildcard is the whole left-most label of a name of ≥ 3 labels.
    HostnameWholeLabel,
    /// SSLHostname: no wildcard directly over a public suffix.
    HostnamePublicSuffixCheck,
    /// SSLHostname: subject CNs when the SAN has no dNSName; SAN dNSNames unfiltered; IP hosts
    /// compared as strings.
    HostnameCnFallback,
    /// SSLHostname: `_` allowed in SAN dNSNames.
    HostnameUnderscore,
    /// WoSign / StartCom CAs: descendants issued on/after 2016-12-01 fail BlackListedKey.
    WoSignStartComDistrust,
    /// System-anchored TLS leaves issued on/after 2018-10-16 need CT (SystemTrustedCTRequired).
    CtRequired,
    /// CT: leaves issued on/after 2021-04-21 need embedded SCTs by lifetime in days.
    CtLifetimeInDays,
    /// CT: Apple IST CA 2, Apple IST CA 8 and Google Internet Authority G3 are exempt. The
    /// library holds no CA data: the caller names those CAs with
    /// [`CtExceptions::ios13_exempt_ca`](crate::ct::CtExceptions::ios13_exempt_ca), which
    /// applies only where this row holds.
    CtIos13ExemptCas,
    /// S/MIME under the CSSM engine: its email matching, superset key usage, optional EKU
    /// with anyEKU, and an empty subject needing an email in a critical SAN.
    SmimeCssm,
    /// S/MIME: the leaf EKU must contain emailProtection (no EKU and anyEKU fail).
    SmimeEku55163,
    /// S/MIME: "unspecified" key usage is 0 (matches every certificate; the sign flag adds
    /// it) and key exchange asks for keyAgreement with encipherOnly/decipherOnly.
    SmimeKeyUsage55163,
    /// S/MIME: the leaf EKU is optional; emailProtection or anyEKU.
    SmimeEku55471,
    /// S/MIME: the leaf EKU is optional; emailProtection only (anyEKU fails).
    SmimeEku59754,
    /// S/MIME: "unspecified" means no KU extension; sign needs none or digitalSignature; key
    /// exchange asks for plain keyAgreement.
    SmimeKeyUsage59754,
    /// S/MIME: the ignore-expiration usage flag is honoured.
    SmimeIgnoreExpiration,
    /// S/MIME: KeySize (RSA ≥ 2048, EC ≥ 256) on every chain.
    SmimeKeySize60157,
    /// S/MIME: SignatureHashAlgorithms (no SHA-1) on every chain.
    SmimeSha1Rejected60420,
    /// S/MIME: system-anchored leaves issued on/after 2022-04-01 — SAN-only email,
    /// EmailProtectionEKU, lifetime ≤ 1185 days.
    SmimeSystemLeaves60420,
    /// S/MIME on macOS: revocation checking on, any method.
    SmimeRevocationMacos,
    /// Code signing accepts anyExtendedKeyUsage in place of codeSigning.
    CodeSigningAnyEku,
    /// The CSSM engine checks CRLs (when revocation asks for the CRL method).
    CrlsCheckedCssm,
    /// trustd on macOS checks CRLs (when revocation asks for the CRL method).
    CrlsCheckedTrustd,
}

/// A span of versions on one OS: `from` inclusive, `until` exclusive (`None`: still applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First version the row applies to.
    pub from: Version,
    /// First version it no longer applies to.
    pub until: Option<Version>,
}

/// One row of the platform table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The row's identity.
    pub id: RuleId,
    /// Where it applies on iOS.
    pub ios: Option<Span>,
    /// Where it applies on macOS.
    pub macos: Option<Span>,
    /// What the rule says.
    pub summary: &'static str,
    /// Where it comes from (Security release, Apple support article).
    pub evidence: &'static str,
}

impl Rule {
    /// Whether this row applies to `platform`.
    pub fn applies_to(&self, platform: &Platform) -> bool {
        let span = match platform.os() {
            Os::Ios => self.ios,
            Os::Macos => self.macos,
        };
        span.is_some_and(|s| {
            let v = platform.version();
            s.from <= v && s.until.is_none_or(|u| v < u)
        })
    }
}

const fn v(major: u16, minor: u16) -> Version {
    Version::new(major, minor, 0)
}
const fn span(from: Version, until: Version) -> Option<Span> {
    Some(Span {
        from,
        until: Some(until),
    })
}
const fn since(from: Version) -> Option<Span> {
    Some(Span { from, until: None })
}
const NEVER: Option<Span> = None;

// Release → OS (platforms.md "Releases"): 55148 macOS 10.7; 55163 iOS 6 / 10.8; 55471 iOS 7 /
// 10.9; 57031 iOS 8 / 10.10; 57337 iOS 9 / 10.11; 57740 iOS 10 / 10.12; 58286 iOS 11–12 /
// 10.13–10.14; 59306 iOS 13 / 10.15; 59754 iOS 14 / 11; 60157 iOS 15 / 12; 60420 iOS 16 / 13;
// 61040 iOS 17 / 14; 61439 iOS 18 / 15; 61901 iOS 26 / 26. iOS 5 shares iOS 6's rows.
const IOS_FIRST: Version = v(5, 0);
const MACOS_FIRST: Version = v(10, 7);

/// The table. Later policies add rows here; nothing else compares versions.
pub const RULES: &[Rule] = &[
    Rule {
        id: RuleId::CssmEngine,
        ios: NEVER,
        macos: span(MACOS_FIRST, v(10, 12)),
        summary: "macOS 10.7–10.11 evaluate with the CSSM engine (AppleX509TP), not trustd",
        evidence: "platforms.md \"Engines\"; the iOS-style engine build switch appears on macOS in 57740",
    },
    Rule {
        id: RuleId::ResultModel55163,
        ios: span(IOS_FIRST, v(7, 0)),
        macos: NEVER,
        summary: "results are Unspecified or RecoverableTrustFailure; Fatal only from BlackListedLeaf on the leaf; no Deny",
        evidence: "55163 source (iOS 6); iOS 5 assumed identical",
    },
    Rule {
        id: RuleId::ResultModel55471,
        ios: span(v(7, 0), v(10, 0)),
        macos: NEVER,
        summary: "as iOS 6, plus BlackListedKey at any index gives Fatal",
        evidence: "55471–57337 source",
    },
    Rule {
        id: RuleId::ResultModel57740,
        ios: span(v(10, 0), v(11, 0)),
        macos: span(v(10, 12), v(10, 13)),
        summary: "Deny and allowed errors arrive; Fatal only from BlackListedLeaf on the leaf or BlackListedKey",
        evidence: "57740 source",
    },
    Rule {
        id: RuleId::ResultModel58286,
        ios: span(v(11, 0), v(13, 0)),
        macos: span(v(10, 13), v(10, 15)),
        summary: "Fatal only for BlackListed*, Weak*, Revocation and WoSign (BlackListedKey); every other check recoverable, Apple's issuer constraints included; Deny overwrites even Fatal; Proceed from the user store",
        evidence: "58286 source",
    },
    Rule {
        id: RuleId::NoProceedFromTrustSettings,
        ios: span(IOS_FIRST, v(11, 0)),
        macos: NEVER,
        summary: "no Proceed from trust settings: a trusted chain is Unspecified whatever the user/admin store says (caller exceptions still give Proceed)",
        evidence: "platforms.md \"Engines and result model\" (55163–57740 iOS: \"no Proceed from trust settings\", \"Proceed only from exceptions\"). macOS: apple-trust.md §1, §11 (legacy trust settings give Proceed) and platforms.md 58286 (\"on macOS: the legacy store only\"); the emulator's user/admin settings on macOS are the keychain's legacy SecTrustSettings, so they give Proceed on every macOS release, 10.12 included",
    },
    Rule {
        id: RuleId::AllowedErrors,
        ios: since(v(10, 0)),
        macos: since(MACOS_FIRST),
        summary: "trust settings' allowed errors suppress hostname, email and expiry failures",
        evidence: "57740 source (iOS); macOS trust settings have always carried kSecTrustSettingsAllowedError",
    },
    Rule {
        id: RuleId::SplitValidityChecks,
        ios: span(IOS_FIRST, v(13, 0)),
        macos: span(MACOS_FIRST, v(10, 15)),
        summary: "ValidLeaf / ValidIntermediates / ValidRoot instead of TemporalValidity",
        evidence: "≤ 58286 source (basic X.509 option set)",
    },
    Rule {
        id: RuleId::AppleRootExpirySkip,
        ios: since(v(13, 0)),
        macos: since(v(10, 15)),
        summary: "Apple's own roots skip the expiry check",
        evidence: "59306 source",
    },
    Rule {
        id: RuleId::BlockListsInBasic,
        ios: since(v(7, 0)),
        macos: since(v(10, 9)),
        summary: "BlackListedLeaf and GrayListedLeaf join the basic X.509 set",
        evidence: "55471 source (in 55163 only the SSL policy had BlackListedLeaf)",
    },
    Rule {
        id: RuleId::WeakChecksInBasic,
        ios: span(v(10, 0), v(13, 0)),
        macos: span(v(10, 12), v(10, 15)),
        summary: "WeakLeaf / WeakIntermediates / WeakRoot in the basic X.509 set",
        evidence: "57740–58286 source",
    },
    Rule {
        id: RuleId::WeakChecksRecoverable,
        ios: span(v(10, 0), v(11, 0)),
        macos: span(v(10, 12), v(10, 13)),
        summary: "the Weak* checks are recoverable",
        evidence: "57740 source (fatal from 58286)",
    },
    Rule {
        id: RuleId::WeakKeySizeAndSignature,
        ios: since(v(13, 0)),
        macos: since(v(10, 15)),
        summary: "WeakKeySize and WeakSignature in the basic X.509 set",
        evidence: "59306 source",
    },
    Rule {
        id: RuleId::ExtensionHygiene,
        ios: since(v(15, 0)),
        macos: since(v(12, 0)),
        summary: "UnparseableExtension and DuplicateExtension in the basic X.509 set",
        evidence: "60157 source",
    },
    Rule {
        id: RuleId::EdwardsKeysWeak,
        ios: span(IOS_FIRST, v(17, 0)),
        macos: span(MACOS_FIRST, v(14, 0)),
        summary: "Ed25519/Ed448 keys fail WeakKeySize on any certificate",
        evidence: "61040 source (iOS 17 accepts them)",
    },
    Rule {
        id: RuleId::LegacyPathScoring,
        ios: span(IOS_FIRST, v(10, 0)),
        macos: span(MACOS_FIRST, v(10, 12)),
        summary: "+10,000 anchored, +10 per certificate, +10 self-signed end (+5 mid-chain), −100,000 bad signature, −1 per invalid non-root; no path cap",
        evidence: "55163–57337 source",
    },
    Rule {
        id: RuleId::StopOnSha2Path,
        ios: since(v(10, 0)),
        macos: since(v(10, 12)),
        summary: "the builder stops early only at an accepted SHA-2 path",
        evidence: "57740 source",
    },
    Rule {
        id: RuleId::StopOnWeakLeafPath,
        ios: since(v(11, 0)),
        macos: since(v(10, 13)),
        summary: "the builder also stops at an accepted path whose leaf is already weak",
        evidence: "58286 source",
    },
    Rule {
        id: RuleId::PathCap,
        ios: since(v(13, 0)),
        macos: since(v(10, 15)),
        summary: "at most 100 candidate paths",
        evidence: "59306 source",
    },
    Rule {
        id: RuleId::Subtypes59306,
        ios: span(v(13, 0), v(14, 0)),
        macos: span(v(10, 15), v(11, 0)),
        summary: "KeySize and SignatureHashAlgorithms have the pinning subtype; SystemTrustedWeakHash/Key compliance",
        evidence: "59306 SecPolicyChecks.list",
    },
    Rule {
        id: RuleId::Subtypes59754,
        ios: span(v(14, 0), v(15, 0)),
        macos: span(v(11, 0), v(12, 0)),
        summary: "KeySize has the pinning subtype",
        evidence: "59754 SecPolicyChecks.list",
    },
    Rule {
        id: RuleId::Ios5SmimeQuirk,
        ios: span(IOS_FIRST, v(6, 0)),
        macos: NEVER,
        summary: "the pre-iOS-6 S/MIME quirk (selectable hypothesis)",
        evidence: "2012 field report; iOS 5 source never published (platforms.md)",
    },
    Rule {
        id: RuleId::ProfileRootsNeedFullTrust,
        ios: since(v(10, 3)),
        macos: NEVER,
        summary: "roots installed by a manually installed configuration profile need full trust for TLS",
        evidence: "Apple HT204477 (not in the published source)",
    },
    Rule {
        id: RuleId::SslServerChecks59306,
        ios: since(v(13, 0)),
        macos: since(v(10, 15)),
        summary: "server chains: no SHA-1 (SignatureHashAlgorithms), RSA ≥ 2048 / EC ≥ 256 (KeySize), ServerAuthEKU on the leaf, validity maximums incl. the 1827/1188-day tiers",
        evidence: "59306 source; Apple HT210176",
    },
    Rule {
        id: RuleId::ServerAuthEkuIntermediates,
        ios: since(v(14, 0)),
        macos: since(v(11, 0)),
        summary: "ServerAuthEKU also checks intermediates of system-anchored chains (failure at index 0)",
        evidence: "59754 source",
    },
    Rule {
        id: RuleId::ValidityMax398,
        ios: since(v(14, 0)),
        macos: since(v(11, 0)),
        summary: "398-day maximum for system-anchored leaves issued on/after 2020-09-01",
        evidence: "59754 source; Apple HT211025",
    },
    Rule {
        id: RuleId::ValidityLegacyTiers,
        ios: span(v(13, 0), v(16, 0)),
        macos: span(v(10, 15), v(13, 0)),
        summary: "system-anchored leaves issued before 2018-03-01: 1188 days + 1 hour (from 2016-07-01) or 1827 days + 1 hour",
        evidence: "59306–60158 source; removed in 60420",
    },
    Rule {
        id: RuleId::OtherValidityInclusiveDate,
        ios: since(v(16, 0)),
        macos: since(v(13, 0)),
        summary: "the other-anchors 825-day rule switches from `>` to `>=` 2019-06-30T23:00Z",
        evidence: "60420 source",
    },
    Rule {
        id: RuleId::SystemTrustValidityKey,
        ios: since(v(14, 0)),
        macos: since(v(11, 0)),
        summary: "system-anchored lifetime failures are reported as SystemTrustValidityPeriod",
        evidence: "59754 SecPolicyChecks.list (the key arrives with the 398-day rule)",
    },
    Rule {
        id: RuleId::OtherTrustValidityKey,
        ios: since(v(16, 0)),
        macos: since(v(13, 0)),
        summary: "other-anchor lifetime failures are reported as OtherTrustValidityPeriod",
        evidence: "60420 SecPolicyChecks.list",
    },
    Rule {
        id: RuleId::IntermediateEkuEnforced,
        ios: since(v(16, 0)),
        macos: since(v(13, 0)),
        summary: "an intermediate carrying EKUs must include anyEKU or one of the policy's purposes",
        evidence: "60420 source (recorded for analytics only before)",
    },
    Rule {
        id: RuleId::SystemTrustedWeakChains,
        ios: span(v(11, 0), v(13, 0)),
        macos: span(v(10, 13), v(10, 15)),
        summary: "system-anchored chains: MD2/MD4/MD5/SHA-1/unknown hashes and RSA < 2048 or EC < 224 rejected (the anchor skipped)",
        evidence: "58286 source; Apple HT207459",
    },
    Rule {
        id: RuleId::SslBlackListedLeaf55163,
        ios: span(IOS_FIRST, v(7, 0)),
        macos: span(MACOS_FIRST, v(10, 9)),
        summary: "only the SSL policy carries BlackListedLeaf",
        evidence: "55163 source",
    },
    Rule {
        id: RuleId::HostnameCharacterMatcher,
        ios: span(IOS_FIRST, v(9, 0)),
        macos: span(MACOS_FIRST, v(10, 11)),
        summary: "hostname character matcher: a `*` must be the last character of its label and matches zero or more characters (`f*.example.com`, `*.com`, `foo.*` match; `f*o.x.com`, `*foo.com` never do); no label-count rule",
        evidence: "55163–57031 source (platforms.md \"SSL / TLS\"); iOS 5 and OS X 10.7 (55148, CSSM engine, matcher unpublished) are given the iOS 6 matcher",
    },
    Rule {
        id: RuleId::HostnameFirstLabelWildcard,
        ios: span(v(9, 0), v(10, 0)),
        macos: span(v(10, 11), v(10, 12)),
        summary: "hostname character matcher with the wildcard only in the first label and `*.tld` rejected; `f*.example.com` still matches",
        evidence: "57337 source (platforms.md \"SSL / TLS\")",
    },
    Rule {
        id: RuleId::HostnameWholeLabel,
        ios: since(v(10, 0)),
        macos: since(v(10, 12)),
        summary: "a wildcard must be the whole left-most label of a name of at least 3 labels; labels compared case-insensitively, same label count",
        evidence: "57740 source; unchanged in the current engine (apple-trust.md §6)",
    },
    Rule {
        id: RuleId::HostnamePublicSuffixCheck,
        ios: since(v(11, 0)),
        macos: since(v(10, 13)),
        summary: "a wildcard directly over a public suffix (`*.co.uk`) is rejected",
        evidence: "58286 source; apple-trust.md §6",
    },
    Rule {
        id: RuleId::HostnameCnFallback,
        ios: span(IOS_FIRST, v(13, 0)),
        macos: span(MACOS_FIRST, v(10, 15)),
        summary: "all DNS-looking subject CNs are used when the SAN has no dNSName; SAN dNSNames are not filtered; IP hosts are compared as strings against SAN iPAddress entries rendered `a.b.c.d` or fully expanded IPv6",
        evidence: "≤ 58286 source; removed in 59306 (apple-trust.md §6, Apple HT210176)",
    },
    Rule {
        id: RuleId::HostnameUnderscore,
        ios: since(v(15, 0)),
        macos: since(v(12, 0)),
        summary: "`_` allowed in SAN dNSNames",
        evidence: "60157 source (platforms.md \"SSL / TLS\")",
    },
    Rule {
        id: RuleId::WoSignStartComDistrust,
        ios: since(v(11, 0)),
        macos: since(v(10, 13)),
        summary: "a WoSign / StartCom CA (whole-certificate SHA-256, any position, any anchor) with a descendant issued on/after 2016-12-01 fails BlackListedKey (fatal) at the CA's index; the hashes are caller data (`distrust::DistrustRule::wosign_startcom`)",
        evidence: "58286 source (platforms.md \"Distrust by date\"); Apple announced it for iOS 10",
    },
    Rule {
        id: RuleId::CtRequired,
        ios: since(Version::new(12, 1, 1)),
        macos: since(Version::new(10, 14, 2)),
        summary: "CT required (SystemTrustedCTRequired) for system-anchored TLS leaves issued on/after 2018-10-16; embedded SCTs counted by lifetime in months",
        evidence: "Apple HT205280 (first visible in 59306 source)",
    },
    Rule {
        id: RuleId::CtLifetimeInDays,
        ios: since(v(15, 0)),
        macos: since(v(12, 0)),
        summary: "CT: leaves issued on/after 2021-04-21 need embedded SCTs by lifetime in days (≤ 180 → 2, ≤ 825 → 3, else 4)",
        evidence: "60157 source",
    },
    Rule {
        id: RuleId::CtIos13ExemptCas,
        ios: span(v(13, 0), v(14, 0)),
        macos: span(v(10, 15), v(11, 0)),
        summary: "CT: Apple IST CA 2, Apple IST CA 8 and Google Internet Authority G3 exempt from SystemTrustedCTRequired (the CAs' hashes are caller data: `ct::CtExceptions::ios13_exempt_ca`)",
        evidence: "59306 source",
    },
    // S/MIME (apple-trust.md §7; platforms.md "S/MIME across versions"), one row per change.
    Rule {
        id: RuleId::SmimeCssm,
        ios: NEVER,
        macos: span(MACOS_FIRST, v(10, 12)),
        summary: "S/MIME: SAN rfc822Name local part case-sensitive, domain case-insensitive, else subject emailAddress case-insensitive, no address passes; a KU extension must hold every bit asked for (key agreement: encipherOnly/decipherOnly refuse the other direction); EKU optional, emailProtection or anyEKU; an empty subject needs an email in a critical SAN",
        evidence: "CSSM engine (AppleX509TP) of 55148–57337; platforms.md \"S/MIME across versions\"",
    },
    Rule {
        id: RuleId::SmimeEku55163,
        ios: span(IOS_FIRST, v(7, 0)),
        macos: NEVER,
        summary: "S/MIME leaf EKU required: emailProtection only (no EKU fails, anyEKU fails)",
        evidence: "55163 / 55179 source (iOS 6); iOS 5 assumed identical",
    },
    Rule {
        id: RuleId::SmimeKeyUsage55163,
        ios: span(IOS_FIRST, v(14, 0)),
        macos: span(v(10, 12), v(11, 0)),
        summary: "S/MIME key usage is \"any of\" the accepted values; the sign flag adds value 0, which matches every certificate; key exchange values are keyAgreement+decipherOnly / +encipherOnly / +both",
        evidence: "55163 / 55179 – 59306 source",
    },
    Rule {
        id: RuleId::SmimeEku55471,
        ios: span(v(7, 0), v(14, 0)),
        macos: span(v(10, 12), v(11, 0)),
        summary: "S/MIME leaf EKU optional: emailProtection or anyEKU",
        evidence: "55471 – 59306 source",
    },
    Rule {
        id: RuleId::SmimeEku59754,
        ios: since(v(14, 0)),
        macos: since(v(11, 0)),
        summary: "S/MIME leaf EKU optional: emailProtection only (anyEKU fails)",
        evidence: "59754 source",
    },
    Rule {
        id: RuleId::SmimeKeyUsage59754,
        ios: since(v(14, 0)),
        macos: since(v(11, 0)),
        summary: "S/MIME \"unspecified\" key usage means no KU extension: sign needs no KU or digitalSignature (nonRepudiation alone fails); key exchange asks for plain keyAgreement",
        evidence: "59754 source",
    },
    Rule {
        id: RuleId::SmimeIgnoreExpiration,
        ios: since(v(11, 0)),
        macos: since(v(10, 13)),
        summary: "the S/MIME ignore-expiration flag (1<<6) drops the expiry checks and the leaf block/gray lists",
        evidence: "58286 source (apple-trust.md §7: honoured from iOS 11)",
    },
    Rule {
        id: RuleId::SmimeKeySize60157,
        ios: since(v(15, 0)),
        macos: since(v(12, 0)),
        summary: "S/MIME: RSA ≥ 2048 and EC ≥ 256 (KeySize) for every chain, skipped when the leaf is user-anchored",
        evidence: "60157 source",
    },
    Rule {
        id: RuleId::SmimeSha1Rejected60420,
        ios: since(v(16, 0)),
        macos: since(v(13, 0)),
        summary: "S/MIME: MD2/MD4/MD5/SHA-1 signatures rejected (SignatureHashAlgorithms) for every chain; self-signed certificates and a user-anchored root exempt",
        evidence: "60420 source",
    },
    Rule {
        id: RuleId::SmimeSystemLeaves60420,
        ios: since(v(16, 0)),
        macos: since(v(13, 0)),
        summary: "S/MIME, system-anchored leaves issued on/after 2022-04-01: email matched on SAN entries only, emailProtection EKU required (EmailProtectionEKU), lifetime ≤ 1185 days",
        evidence: "60420 source",
    },
    Rule {
        id: RuleId::SmimeRevocationMacos,
        ios: NEVER,
        macos: since(v(10, 12)),
        summary: "S/MIME on macOS switches revocation checking on (any method)",
        evidence: "57740 → source (macOS builds only); apple-trust.md §7, §11",
    },
    Rule {
        id: RuleId::CodeSigningAnyEku,
        ios: since(IOS_FIRST),
        macos: NEVER,
        summary: "code signing: anyExtendedKeyUsage is accepted in place of codeSigning",
        evidence: "apple-trust.md §10 (SecPolicyCreateCodeSigning: iOS only)",
    },
    Rule {
        id: RuleId::CrlsCheckedCssm,
        ios: NEVER,
        macos: span(MACOS_FIRST, v(10, 12)),
        summary: "the CSSM engine (AppleX509TP with the CRL TP module) checks CRLs when revocation asks for the CRL method",
        evidence: "apple-trust.md §9; platforms.md \"Engines\" (55148–57337 CSSM engine)",
    },
    Rule {
        id: RuleId::CrlsCheckedTrustd,
        ios: NEVER,
        macos: span(v(10, 12), v(10, 15)),
        summary: "trustd on macOS 10.12–10.14 checks CRLs when revocation asks for the CRL method; iOS trustd never does, nor macOS from 10.15",
        evidence: "apple-trust.md §4, §9 (57740–58286 macOS builds, ENABLE_CRLS)",
    },
];

/// The rows that apply to one profile, as a bit set.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RuleSet(u128);

impl RuleSet {
    /// The rows of [`RULES`] that apply to `platform`.
    pub fn for_platform(platform: &Platform) -> Self {
        let mut bits = 0u128;
        for rule in RULES {
            if rule.applies_to(platform) {
                bits |= 1 << rule.id as u32;
            }
        }
        RuleSet(bits)
    }

    /// Whether `rule` applies. The question is recorded on the thread (every reading of a rule
    /// set goes through here), so that a platform matrix knows which rows an evaluation
    /// depended on.
    #[inline]
    pub fn contains(&self, rule: RuleId) -> bool {
        let bit = 1u128 << rule as u32;
        RULES_READ.with(|read| read.set(read.get() | bit));
        self.0 & bit != 0
    }

    /// The rows as bits (bit `RuleId as u32`), without recording a read.
    pub(crate) fn bits(&self) -> u128 {
        self.0
    }

    /// The applying rows, in table order.
    pub fn rows(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        RULES.iter().filter(|r| self.contains(r.id))
    }
}

thread_local! {
    /// The rule rows asked about on this thread since the innermost [`track_reads`] began.
    static RULES_READ: std::cell::Cell<u128> = const { std::cell::Cell::new(0) };
}

/// Runs `f` and returns, with its result, the rule rows it asked any [`RuleSet`] about (as
/// bits): what a deterministic computation's answer can depend on. Nested calls see their own
/// reads; the outer call sees the inner ones too. An evaluation reads its profile's rules only
/// through [`RuleSet::contains`], so two profiles of one OS that agree on these rows get the
/// same verdict — how [`Matrix`](crate::explain::Matrix) shares evaluations.
pub(crate) fn track_reads<T>(f: impl FnOnce() -> T) -> (T, u128) {
    let outer = RULES_READ.with(|read| read.replace(0));
    let out = f();
    let mine = RULES_READ.with(|read| read.replace(outer));
    RULES_READ.with(|read| read.set(read.get() | mine));
    (out, mine)
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.rows().map(|r| r.id)).finish()
    }
}

/// The subtype of `check` under `rules` (platforms.md "Check subtypes that moved").
pub(super) fn subtype_on(rules: &RuleSet, check: Check) -> Subtype {
    match check {
        Check::KeySize
            if rules.contains(RuleId::Subtypes59306) || rules.contains(RuleId::Subtypes59754) =>
        {
            Subtype::Pinning
        }
        Check::SignatureHashAlgorithms if rules.contains(RuleId::Subtypes59306) => Subtype::Pinning,
        Check::SystemTrustedWeakHash | Check::SystemTrustedWeakKey
            if rules.contains(RuleId::Subtypes59306) =>
        {
            Subtype::Compliance
        }
        _ => check.subtype(),
    }
}

/// The class of `check` under `rules`' result model (platforms.md "Engines and result model"):
/// iOS 5–10 as their rows say; iOS 11–12 (58286) fatal only for its per-check set; from iOS 13
/// the checks table's class (`apple-trust.md §2`).
///
/// Index-dependent parts of the older models (BlackListedLeaf fatal only on the leaf) are applied
/// by the verdict builder; this gives the class for a failure anywhere.
pub(super) fn class_on(rules: &RuleSet, check: Check) -> CheckClass {
    let old = rules.contains(RuleId::ResultModel55163)
        || rules.contains(RuleId::ResultModel55471)
        || rules.contains(RuleId::ResultModel57740);
    if old {
        return match check {
            Check::BlackListedLeaf => CheckClass::Fatal,
            Check::BlackListedKey if !rules.contains(RuleId::ResultModel55163) => CheckClass::Fatal,
            Check::UsageConstraints if !rules.contains(RuleId::ResultModel57740) => {
                CheckClass::Recoverable
            }
            Check::UsageConstraints => CheckClass::Deny,
            // 57740's Weak* checks (the only old model that has them).
            Check::WeakLeaf | Check::WeakIntermediates | Check::WeakRoot
                if rules.contains(RuleId::WeakChecksRecoverable) =>
            {
                CheckClass::Recoverable
            }
            _ => CheckClass::Recoverable,
        };
    }
    if rules.contains(RuleId::ResultModel58286) {
        // "Fatal set per check (BlackListed*, Weak*, Revocation, WoSign)": WoSign / StartCom
        // records BlackListedKey. Everything else is recoverable, Apple's issuer constraints
        // included; a Deny stays a Deny.
        return match check {
            Check::BlackListedLeaf
            | Check::BlackListedKey
            | Check::WeakLeaf
            | Check::WeakIntermediates
            | Check::WeakRoot
            | Check::WeakKeySize
            | Check::WeakSignature
            | Check::Revocation => CheckClass::Fatal,
            Check::UsageConstraints => CheckClass::Deny,
            _ => CheckClass::Recoverable,
        };
    }
    check.class()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_id_has_exactly_one_row() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rows");
        assert!(n < 128, "RuleSet is a u128 bit set");
        for r in RULES {
            assert!(
                !r.evidence.is_empty() && !r.summary.is_empty(),
                "{:?}",
                r.id
            );
        }
    }

    /// Each result model against its platforms.md row ("Engines and result model").
    #[test]
    fn classes_follow_each_result_model() {
        use CheckClass::{Deny, Fatal, Recoverable};
        let rows: [(Platform, &[(Check, CheckClass)]); 7] = [
            (
                Platform::ios(6, 0),
                &[
                    (Check::BlackListedLeaf, Fatal),
                    (Check::BlackListedKey, Recoverable),
                    (Check::Revocation, Recoverable),
                    (Check::UsageConstraints, Recoverable),
                ],
            ),
            (
                Platform::ios(8, 0),
                &[
                    (Check::BlackListedKey, Fatal),
                    (Check::Revocation, Recoverable),
                    (Check::UsageConstraints, Recoverable),
                ],
            ),
            (
                Platform::ios(10, 0),
                &[
                    (Check::BlackListedKey, Fatal),
                    (Check::WeakLeaf, Recoverable),
                    (Check::Revocation, Recoverable),
                    (Check::IssuerPolicyConstraints, Recoverable),
                    (Check::UsageConstraints, Deny),
                ],
            ),
            (
                Platform::ios(11, 0),
                &[
                    (Check::BlackListedLeaf, Fatal),
                    (Check::BlackListedKey, Fatal),
                    (Check::WeakLeaf, Fatal),
                    (Check::WeakRoot, Fatal),
                    (Check::Revocation, Fatal),
                    (Check::IssuerPolicyConstraints, Recoverable),
                    (Check::IssuerNameConstraints, Recoverable),
                    (Check::CTRequired, Recoverable),
                    (Check::UsageConstraints, Deny),
                ],
            ),
            (
                Platform::ios(12, 5),
                &[
                    (Check::IssuerPolicyConstraints, Recoverable),
                    (Check::IssuerNameConstraints, Recoverable),
                    (Check::Revocation, Fatal),
                ],
            ),
            (
                Platform::macos(10, 14),
                &[
                    (Check::IssuerPolicyConstraints, Recoverable),
                    (Check::IssuerNameConstraints, Recoverable),
                    (Check::WeakIntermediates, Fatal),
                ],
            ),
            (
                Platform::ios(13, 0),
                &[
                    (Check::IssuerPolicyConstraints, Fatal),
                    (Check::IssuerNameConstraints, Fatal),
                    (Check::WeakKeySize, Fatal),
                    (Check::Revocation, Fatal),
                    (Check::UsageConstraints, Deny),
                ],
            ),
        ];
        for (platform, classes) in rows {
            for &(check, class) in classes {
                assert_eq!(platform.class(check), class, "{check} on {platform}");
            }
        }
        assert_eq!(
            Platform::macos(10, 13).class(Check::IssuerNameConstraints),
            Recoverable
        );
    }

    #[test]
    fn boundaries_follow_the_release_table() {
        assert!(Platform::ios(5, 1).has(RuleId::Ios5SmimeQuirk));
        assert!(!Platform::ios(6, 0).has(RuleId::Ios5SmimeQuirk));
        assert!(Platform::ios(12, 5).has(RuleId::SplitValidityChecks));
        assert!(!Platform::ios(13, 0).has(RuleId::SplitValidityChecks));
        assert!(Platform::macos(10, 11).has(RuleId::CssmEngine));
        assert!(!Platform::macos(10, 12).has(RuleId::CssmEngine));
        assert!(!Platform::ios(10, 2).has(RuleId::ProfileRootsNeedFullTrust));
        assert!(Platform::ios(10, 3).has(RuleId::ProfileRootsNeedFullTrust));
        assert_eq!(
            Platform::ios(13, 0).subtype(Check::KeySize),
            Subtype::Pinning
        );
        assert_eq!(
            Platform::ios(14, 0).subtype(Check::SignatureHashAlgorithms),
            Subtype::WeakHash
        );
        assert_eq!(
            Platform::ios(15, 0).subtype(Check::KeySize),
            Subtype::KeySize
        );
    }
}
