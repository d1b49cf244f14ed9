//! The option set of one policy (Apple's policy dictionary).

use const_oid::ObjectIdentifier;

use crate::verdict::{Check, CheckSet};

/// anyExtendedKeyUsage (2.5.29.37.0).
pub const ANY_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");

/// Which extended key usages a certificate may carry (`apple-trust.md §6, §7, §10`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EkuRule {
    /// Purposes that satisfy the rule.
    pub purposes: Vec<ObjectIdentifier>,
    /// Whether a certificate without an EKU extension (or with a malformed one) passes.
    pub allow_absent: bool,
    /// Whether anyExtendedKeyUsage passes.
    pub allow_any: bool,
}

impl EkuRule {
    /// Whether `eku` (the certificate's purposes; `None` = no or malformed extension) passes.
    pub fn accepts(&self, eku: Option<&[ObjectIdentifier]>) -> bool {
        match eku {
            None => self.allow_absent,
            Some(list) => list
                .iter()
                .any(|o| self.purposes.contains(o) || (self.allow_any && *o == ANY_EKU)),
        }
    }
}

/// The options of a policy on one platform: which checks run, with their parameters.
///
/// Options that never fail (`NoNetworkAccess`, …) are settings, not checks (`apple-trust.md
/// §2`). Later policies add parameters here; the engine runs whatever is present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicyOptions {
    /// The check keys present.
    pub checks: CheckSet,
    /// `NoNetworkAccess`: this policy forbids network fetches.
    pub no_network_access: bool,
    /// The key usages the policy asks of the leaf, in `SecTrustSettingsKeyUsage` bits, used
    /// when matching trust-setting constraints (`apple-trust.md §5`); 0 = none.
    pub trust_settings_key_usage: u32,
    /// Whether this is a client policy (trust-setting name matching, `apple-trust.md §5`).
    pub client: bool,
    /// The policy string trust-setting constraints match against (the SSL hostname or the
    /// S/MIME address), `apple-trust.md §5`.
    pub policy_string: Option<String>,
    /// A TLS policy: iOS 10.3+ profile-installed roots without full trust do not anchor it
    /// (`apple-trust.md §5`).
    pub tls: bool,
    /// `SSLHostname`'s parameter: the host to match (`apple-trust.md §6`).
    pub hostname: Option<String>,
    /// `ExtendedKeyUsage` on the leaf.
    pub leaf_eku: Option<EkuRule>,
    /// `ExtendedKeyUsage` on intermediates (indices 1 … count−2 of chains of ≥ 3 certificates
    /// that carry EKUs), recorded at the CA's index.
    pub ca_eku: Option<EkuRule>,
    /// `KeyUsage` on the leaf: every bit must be set when the leaf has a KU extension
    /// (`SecPolicyCreateSSLWithKeyUsage`; `apple-trust.md §6`).
    pub leaf_key_usage: Option<u16>,
    /// `KeySize` minimums: RSA and EC key sizes in bits, compared in bytes.
    pub min_key_bits: Option<(u32, u32)>,
    /// The public-suffix list `SSLHostname` rejects wildcards over (none bundled).
    pub public_suffixes: Option<SharedSuffixList>,
    /// `Email`'s parameter: the account's addresses and how they match (`apple-trust.md §7`).
    pub email: Option<super::EmailRule>,
    /// `KeyUsage` on the leaf as S/MIME and code signing ask it: any of the accepted values, or
    /// the CSSM superset rule (`apple-trust.md §7, §10`).
    pub smime_key_usage: Option<super::KeyUsageRule>,
    /// S/MIME, system-anchored leaves issued from a date: `EmailProtectionEKU`, a lifetime
    /// maximum (`SystemTrustValidityPeriod`) and SAN-only `Email` (`apple-trust.md §7`).
    pub smime_system_leaf: Option<super::SystemLeafRule>,
    /// CSSM S/MIME: a leaf with an empty subject needs an rfc822Name in a critical SAN
    /// (`NonEmptySubject`; platforms.md "S/MIME across versions").
    pub empty_subject_needs_email: bool,
    /// Revocation checking this policy asks for (`kSecPolicyCheckRevocation` and its companion
    /// keys; `apple-trust.md §9`): set by [`Revocation`](crate::revocation::Revocation), and by
    /// a policy that turns revocation on (S/MIME on macOS: `RevocationOptions::any_method()`).
    /// `None`: no explicit revocation (stapled responses are still consulted).
    pub revocation: Option<crate::revocation::RevocationOptions>,
}

/// A shared public-suffix list; two handles are equal when they are the same list.
#[derive(Clone)]
pub struct SharedSuffixList(pub std::sync::Arc<dyn super::hostname::PublicSuffixList>);

impl PartialEq for SharedSuffixList {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SharedSuffixList {}

impl std::fmt::Debug for SharedSuffixList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SharedSuffixList").field(&self.0).finish()
    }
}

impl PolicyOptions {
    /// An option set with `checks`.
    pub fn with_checks(checks: &[Check]) -> Self {
        PolicyOptions {
            checks: CheckSet::of(checks),
            ..Self::default()
        }
    }

    /// Whether `check` is among the options.
    pub fn has(&self, check: Check) -> bool {
        self.checks.contains(check)
    }

    /// Adds `check`.
    pub fn insert(&mut self, check: Check) -> &mut Self {
        self.checks.insert(check);
        self
    }

    /// Removes `check`.
    pub fn remove(&mut self, check: Check) -> &mut Self {
        self.checks.remove(check);
        self
    }
}
