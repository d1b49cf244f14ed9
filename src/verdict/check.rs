//! The one table of Apple's checks (`apple-trust.md §2`), mirroring `SecPolicyChecks.list`.
//!
//! Every check's key, result class, subtype, OSStatus and description live in the single
//! [`checks!`] invocation below, so `Check::SslHostname.key()`, `.os_status()`, `.subtype()` and
//! `.message()` can never drift apart. Release-specific changes of class or subtype are rows of
//! the platform table (`platform::rules`), not edits here.

use std::fmt;
use std::str::FromStr;

/// How a failed check affects the result (`apple-trust.md §2`, column "class").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CheckClass {
    /// R: `kSecTrustResultRecoverableTrustFailure`; can be suppressed by allowed errors.
    Recoverable,
    /// F: `kSecTrustResultFatalTrustFailure`; never suppressed.
    Fatal,
    /// D: `kSecTrustResultDeny`.
    Deny,
}

/// The error subtype of a check, which ranks failures for the primary error (`apple-trust.md §3`).
///
/// Variants are declared from the highest rank to the lowest, so `Ord` is the reverse of rank:
/// use [`Subtype::rank`] to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Subtype {
    /// Blocked by Apple (Valid database, blocked lists).
    Blocked,
    /// Revoked.
    Revoked,
    /// A broken key size.
    KeySize,
    /// A broken signature hash.
    WeakHash,
    /// A trust setting says Deny.
    Denied,
    /// Not standards compliant.
    Compliance,
    /// Pinning requirements (the message names the whole chain).
    Pinning,
    /// Not trusted.
    Trust,
    /// Not permitted for this usage.
    Usage,
    /// Name does not match.
    Name,
    /// Expired or not yet valid.
    Expired,
}

impl Subtype {
    /// Rank for the primary error: higher wins (`apple-trust.md §3`).
    pub const fn rank(self) -> u8 {
        10 - self as u8
    }

    /// Apple's message template; `%@` is the subject summary (the chain summary for pinning).
    pub const fn template(self) -> &'static str {
        match self {
            Subtype::Blocked => "“%@” certificate is blocked",
            Subtype::Revoked => "“%@” certificate is revoked",
            Subtype::KeySize => "“%@” certificate is using a broken key size",
            Subtype::WeakHash => "“%@” certificate is using a broken signature algorithm",
            Subtype::Denied => "User or administrator set “%@” certificate as distrusted",
            Subtype::Compliance => "“%@” certificate is not standards compliant",
            Subtype::Expired => "“%@” certificate is expired",
            Subtype::Trust => "“%@” certificate is not trusted",
            Subtype::Name => "“%@” certificate name does not match input",
            Subtype::Usage => "“%@” certificate is not permitted for this usage",
            Subtype::Pinning => "%@ certificates do not meet pinning requirements",
        }
    }

    /// Fills the template with `summary` (`apple-trust.md §3`).
    pub fn message(self, summary: &str) -> String {
        self.template().replace("%@", summary)
    }
}

macro_rules! checks {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $key:literal, $class:ident, $subtype:ident, $status:literal,
            $status_name:literal, forced: $forced:literal, $description:literal;
    )*) => {
        /// A check of Apple's trust engine, by its literal key (`apple-trust.md §2`).
        ///
        /// The declaration order is the table order, which also breaks primary-error ties
        /// within one certificate (`apple-trust.md §3`: Apple's own order there is hash order).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Check {
            $( $(#[$doc])* $variant, )*
        }

        impl Check {
            /// Every check, in table order.
            pub const ALL: &'static [Check] = &[ $( Check::$variant, )* ];

            /// Apple's literal key, e.g. `"SSLHostname"`.
            pub const fn key(self) -> &'static str {
                match self { $( Check::$variant => $key, )* }
            }

            /// The result class in the current engine (`apple-trust.md §2`).
            pub const fn class(self) -> CheckClass {
                match self { $( Check::$variant => CheckClass::$class, )* }
            }

            /// The subtype in the current engine (older releases: `Platform::subtype`).
            pub const fn subtype(self) -> Subtype {
                match self { $( Check::$variant => Subtype::$subtype, )* }
            }

            /// The OSStatus reported for this check.
            pub const fn os_status(self) -> i32 {
                match self { $( Check::$variant => $status, )* }
            }

            /// The symbolic name of [`Check::os_status`], e.g. `errSecHostNameMismatch`.
            pub const fn os_status_name(self) -> &'static str {
                match self { $( Check::$variant => $status_name, )* }
            }

            /// Whether a failure of this check always counts, whatever the policy options
            /// (`apple-trust.md §2`, "Forced, always counted"), in every form the engine
            /// raises it.
            ///
            /// This is the key's flag; some keys are forced in one form only. `KeyUsage` is
            /// `false` here, yet its keyCertSign-on-a-CA form (the issuer check of
            /// `apple-trust.md §4`) is forced, while a policy's leaf key-usage option is not.
            /// The Valid database's results are forced whatever their key. Whether a given
            /// failure counted as forced is [`Failure::forced`](crate::verdict::Failure::forced).
            pub const fn is_forced(self) -> bool {
                match self { $( Check::$variant => $forced, )* }
            }

            /// A short English description, used in the underlying error string.
            pub const fn description(self) -> &'static str {
                match self { $( Check::$variant => $description, )* }
            }
        }
    };
}

checks! {
    /// Hostname not matched (`apple-trust.md §6`).
    SslHostname = "SSLHostname", Recoverable, Name, -67602, "errSecHostNameMismatch", forced: false,
        "SSL hostname does not match name(s) in certificate";
    /// Email address not matched (`apple-trust.md §7`).
    Email = "Email", Recoverable, Name, -67623, "errSecSMIMEEmailAddressesNotFound", forced: false,
        "Email address does not match name(s) in certificate";
    /// Some certificate is not valid at the verify date.
    TemporalValidity = "TemporalValidity", Recoverable, Expired, -67818, "errSecCertificateExpired", forced: false,
        "Certificate is not valid at the verify date";
    /// Leaf-only validity (releases up to 58286).
    ValidLeaf = "ValidLeaf", Recoverable, Expired, -67818, "errSecCertificateExpired", forced: false,
        "Leaf certificate is not valid at the verify date";
    /// Intermediate-only validity (releases up to 58286).
    ValidIntermediates = "ValidIntermediates", Recoverable, Expired, -67818, "errSecCertificateExpired", forced: false,
        "Intermediate certificate is not valid at the verify date";
    /// Root-only validity (releases up to 58286).
    ValidRoot = "ValidRoot", Recoverable, Expired, -67818, "errSecCertificateExpired", forced: false,
        "Root certificate is not valid at the verify date";
    /// Issued before an allowed time.
    NotValidBefore = "NotValidBefore", Recoverable, Pinning, -67819, "errSecCertificateNotValidYet", forced: false,
        "Certificate was issued before the allowed time";
    /// RSA < 1024 bits, EC < 160 bits, DSA or an unparseable key.
    WeakKeySize = "WeakKeySize", Fatal, KeySize, -67735, "errSecUnsupportedKeySize", forced: false,
        "Certificate is using a broken key size";
    /// MD2/MD4/MD5 signature.
    WeakSignature = "WeakSignature", Fatal, WeakHash, -67815, "errSecInvalidDigestAlgorithm", forced: false,
        "Certificate is using a broken signature algorithm";
    /// Weak key or hash on the leaf (releases 57740–58286; recoverable in 57740).
    WeakLeaf = "WeakLeaf", Fatal, KeySize, -67735, "errSecUnsupportedKeySize", forced: false,
        "Leaf certificate is using a weak key or signature";
    /// Weak key or hash on an intermediate (releases 57740–58286).
    WeakIntermediates = "WeakIntermediates", Fatal, KeySize, -67735, "errSecUnsupportedKeySize", forced: false,
        "Intermediate certificate is using a weak key or signature";
    /// Weak key or hash on the root (releases 57740–58286).
    WeakRoot = "WeakRoot", Fatal, KeySize, -67735, "errSecUnsupportedKeySize", forced: false,
        "Root certificate is using a weak key or signature";
    /// Policy minimum key size (e.g. RSA 2048 / EC 256).
    KeySize = "KeySize", Recoverable, KeySize, -67735, "errSecUnsupportedKeySize", forced: false,
        "Key size is below the policy minimum";
    /// Policy-disallowed signature hash (e.g. SHA-1).
    SignatureHashAlgorithms = "SignatureHashAlgorithms", Recoverable, WeakHash, -67815, "errSecInvalidDigestAlgorithm", forced: false,
        "Signature hash algorithm is not allowed by the policy";
    /// Weak key on a system-anchored chain.
    SystemTrustedWeakKey = "SystemTrustedWeakKey", Recoverable, KeySize, -67735, "errSecUnsupportedKeySize", forced: false,
        "Key size is too small for a system-trusted chain";
    /// Weak hash on a system-anchored chain.
    SystemTrustedWeakHash = "SystemTrustedWeakHash", Recoverable, WeakHash, -67815, "errSecInvalidDigestAlgorithm", forced: false,
        "Signature hash is too weak for a system-trusted chain";
    /// Leaf key usage not acceptable, or keyCertSign missing on a CA: that form is forced
    /// (`apple-trust.md §2, §4`), so the key's own flag is `false`.
    KeyUsage = "KeyUsage", Recoverable, Usage, -67608, "errSecInvalidKeyUsageForPolicy", forced: false,
        "Key usage does not match the policy";
    /// Extended key usage not acceptable (leaf or CA).
    ExtendedKeyUsage = "ExtendedKeyUsage", Recoverable, Usage, -67609, "errSecInvalidExtendedKeyUsage", forced: false,
        "Extended key usage does not match the policy";
    /// The stricter serverAuth EKU rule (`apple-trust.md §6`).
    ServerAuthEKU = "ServerAuthEKU", Recoverable, Usage, -67609, "errSecInvalidExtendedKeyUsage", forced: false,
        "Extended key usage does not include serverAuth";
    /// The stricter emailProtection EKU rule (`apple-trust.md §7`).
    EmailProtectionEKU = "EmailProtectionEKU", Recoverable, Usage, -67609, "errSecInvalidExtendedKeyUsage", forced: false,
        "Extended key usage does not include emailProtection";
    /// An issuer lacks basicConstraints.
    BasicConstraints = "BasicConstraints", Recoverable, Compliance, -67604, "errSecNoBasicConstraints", forced: true,
        "Issuer has no basic constraints";
    /// An issuer is not a CA.
    BasicConstraintsCA = "BasicConstraintsCA", Recoverable, Compliance, -67605, "errSecNoBasicConstraintsCA", forced: true,
        "Issuer is not a certificate authority";
    /// pathLenConstraint exceeded.
    BasicConstraintsPathLen = "BasicConstraintsPathLen", Recoverable, Compliance, -67611, "errSecPathLengthConstraintExceeded", forced: true,
        "Path length constraint exceeded";
    /// Empty subject without a critical SAN.
    NonEmptySubject = "NonEmptySubject", Recoverable, Compliance, -67655, "errSecInvalidSubjectName", forced: false,
        "Subject is empty";
    /// AKI/SKI mismatch in the chain.
    IdLinkage = "IdLinkage", Recoverable, Compliance, -67610, "errSecInvalidIDLinkage", forced: false,
        "Authority key identifier does not match the issuer";
    /// Unknown critical extension.
    CriticalExtensions = "CriticalExtensions", Recoverable, Compliance, -67603, "errSecUnknownCriticalExtensionFlag", forced: true,
        "Unknown critical extension";
    /// A known extension fails to parse.
    UnparseableExtension = "UnparseableExtension", Recoverable, Compliance, -67618, "errSecUnknownCertExtension", forced: false,
        "Extension could not be parsed";
    /// The same extension appears twice.
    DuplicateExtension = "DuplicateExtension", Recoverable, Compliance, -67903, "errSecCertificateDuplicateExtension", forced: false,
        "Duplicate extension";
    /// Name constraints violated.
    NameConstraints = "NameConstraints", Recoverable, Compliance, -67689, "errSecInvalidName", forced: true,
        "Name constraints violated";
    /// Policy tree empty where required.
    PolicyConstraints = "PolicyConstraints", Recoverable, Compliance, -67835, "errSecInvalidPolicyIdentifiers", forced: true,
        "Policy constraints violated";
    /// RFC 5280 basic certificate processing failed.
    BasicCertificateProcessing = "BasicCertificateProcessing", Recoverable, Compliance, -67690, "errSecInvalidCertificateRef", forced: false,
        "Basic certificate processing failed";
    /// Lifetime over the policy limit.
    ValidityPeriodMaximums = "ValidityPeriodMaximums", Recoverable, Compliance, -67901, "errSecCertificateValidityPeriodTooLong", forced: false,
        "Validity period is too long";
    /// Lifetime over the limit for a system-anchored leaf.
    SystemTrustValidityPeriod = "SystemTrustValidityPeriod", Recoverable, Compliance, -67901, "errSecCertificateValidityPeriodTooLong", forced: false,
        "Validity period is too long for a system-trusted certificate";
    /// Lifetime over the limit for a non-system-anchored leaf.
    OtherTrustValidityPeriod = "OtherTrustValidityPeriod", Recoverable, Compliance, -67901, "errSecCertificateValidityPeriodTooLong", forced: false,
        "Validity period is too long";
    /// The leaf is a CA where that is forbidden.
    NotCA = "NotCA", Recoverable, Compliance, -67902, "errSecCertificateIsCA", forced: false,
        "Leaf certificate is a certificate authority";
    /// Certificate Transparency required and missing.
    SystemTrustedCTRequired = "SystemTrustedCTRequired", Recoverable, Compliance, -67825, "errSecVerifyActionFailed", forced: false,
        "Certificate Transparency required but not satisfied";
    /// CT required by a pinned policy or Apple's Valid database.
    CTRequired = "CTRequired", Recoverable, Trust, -67843, "errSecNotTrusted", forced: true,
        "Certificate Transparency required";
    /// The chain ends at no trusted anchor.
    AnchorTrusted = "AnchorTrusted", Recoverable, Trust, -67843, "errSecNotTrusted", forced: true,
        "Root is not trusted";
    /// No issuer was found for some certificate.
    MissingIntermediate = "MissingIntermediate", Recoverable, Trust, -25318, "errSecCreateChainFailed", forced: true,
        "Missing intermediate certificate";
    /// The leaf is listed as untrusted.
    GrayListedLeaf = "GrayListedLeaf", Recoverable, Trust, -67843, "errSecNotTrusted", forced: false,
        "Certificate is listed as untrusted";
    /// A key is listed as untrusted.
    GrayListedKey = "GrayListedKey", Recoverable, Trust, -67843, "errSecNotTrusted", forced: true,
        "Key is listed as untrusted";
    /// The leaf is blocked by Apple.
    BlackListedLeaf = "BlackListedLeaf", Fatal, Blocked, -67820, "errSecCertificateRevoked", forced: false,
        "Certificate is blocked";
    /// A key is blocked by Apple.
    BlackListedKey = "BlackListedKey", Fatal, Blocked, -67820, "errSecCertificateRevoked", forced: true,
        "Key is blocked";
    /// Apple-imposed issuer policy constraints.
    IssuerPolicyConstraints = "IssuerPolicyConstraints", Fatal, Blocked, -67899, "errSecCertificatePolicyNotAllowed", forced: true,
        "Issuer policy constraints violated";
    /// Apple-imposed issuer name constraints.
    IssuerNameConstraints = "IssuerNameConstraints", Fatal, Blocked, -67900, "errSecCertificateNameNotAllowed", forced: false,
        "Issuer name constraints violated";
    /// A trust setting says Deny.
    UsageConstraints = "UsageConstraints", Deny, Denied, -67654, "errSecTrustSettingDeny", forced: true,
        "Trust setting denies this certificate";
    /// Revoked (detail value: the CRL reason code).
    Revocation = "Revocation", Fatal, Revoked, -67820, "errSecCertificateRevoked", forced: true,
        "Certificate is revoked";
    /// A positive revocation response was required and none was obtained.
    RevocationResponseRequired = "RevocationResponseRequired", Recoverable, Pinning, -67635, "errSecIncompleteCertRevocationCheck", forced: true,
        "A positive revocation response is required";
    /// The chain length differs from the pinned one.
    ChainLength = "ChainLength", Recoverable, Pinning, -67611, "errSecPathLengthConstraintExceeded", forced: false,
        "Chain length does not match";
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The key given to [`Check::from_str`] is not one of Apple's check keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown check key {0:?}")]
pub struct UnknownCheck(pub String);

impl FromStr for Check {
    type Err = UnknownCheck;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Check::ALL
            .iter()
            .copied()
            .find(|c| c.key() == s)
            .ok_or_else(|| UnknownCheck(s.to_owned()))
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Check {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A set of checks (a bit set over [`Check`]), as carried by policy options.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CheckSet(u64);

impl CheckSet {
    /// The empty set.
    pub const EMPTY: CheckSet = CheckSet(0);

    /// A set holding `checks`.
    pub fn of(checks: &[Check]) -> Self {
        let mut s = Self::EMPTY;
        for &c in checks {
            s.insert(c);
        }
        s
    }

    /// Adds `check`.
    pub fn insert(&mut self, check: Check) {
        self.0 |= 1 << check as u32;
    }

    /// Removes `check`.
    pub fn remove(&mut self, check: Check) {
        self.0 &= !(1 << check as u32);
    }

    /// Whether `check` is present.
    pub const fn contains(self, check: Check) -> bool {
        self.0 & (1 << check as u32) != 0
    }

    /// The union of both sets.
    pub const fn union(self, other: CheckSet) -> CheckSet {
        CheckSet(self.0 | other.0)
    }

    /// The checks present, in table order.
    pub fn iter(self) -> impl Iterator<Item = Check> {
        Check::ALL
            .iter()
            .copied()
            .filter(move |c| self.contains(*c))
    }
}

impl fmt::Debug for CheckSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(Check::key)).finish()
    }
}

impl FromIterator<Check> for CheckSet {
    fn from_iter<I: IntoIterator<Item = Check>>(iter: I) -> Self {
        let mut s = CheckSet::EMPTY;
        for c in iter {
            s.insert(c);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_are_unique() {
        for &c in Check::ALL {
            assert_eq!(c.key().parse::<Check>().unwrap(), c);
        }
        let mut keys: Vec<_> = Check::ALL.iter().map(|c| c.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Check::ALL.len());
        assert!(Check::ALL.len() <= 64, "CheckSet is a u64 bit set");
    }

    #[test]
    fn table_rows_match_the_spec() {
        assert_eq!(Check::SslHostname.os_status(), -67602);
        assert_eq!(Check::MissingIntermediate.os_status(), -25318);
        assert_eq!(Check::UsageConstraints.class(), CheckClass::Deny);
        assert_eq!(Check::Revocation.subtype(), Subtype::Revoked);
        assert!(Check::AnchorTrusted.is_forced());
        assert!(!Check::TemporalValidity.is_forced());
    }

    #[test]
    fn subtype_rank_follows_section_3() {
        assert!(Subtype::Blocked.rank() > Subtype::Revoked.rank());
        assert!(Subtype::Compliance.rank() > Subtype::Pinning.rank());
        assert!(Subtype::Name.rank() > Subtype::Expired.rank());
        assert_eq!(
            Subtype::Name.message("bad.apple.com"),
            "“bad.apple.com” certificate name does not match input"
        );
    }
}
