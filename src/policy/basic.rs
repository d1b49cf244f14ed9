//! Basic X.509 (`SecPolicyCreateBasicX509`, `apple-trust.md §8`; sets by release in platforms.md).

use const_oid::ObjectIdentifier;

use super::{Policy, PolicyOptions};
use crate::platform::{Platform, RuleId};
use crate::verdict::Check;

/// `SecPolicyCreateBasicX509`: OID 1.2.840.113635.100.1.2.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BasicX509;

impl BasicX509 {
    /// `kSecPolicyAppleX509Basic`.
    pub const OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113635.100.1.2");

    /// The basic X.509 option set on `platform`; other policies start from it.
    pub fn base_options(platform: &Platform) -> PolicyOptions {
        let rules = platform.rules();
        let mut o = PolicyOptions::with_checks(&[
            Check::CriticalExtensions,
            Check::IdLinkage,
            Check::BasicConstraints,
            Check::NonEmptySubject,
        ]);
        o.no_network_access = true;
        if rules.contains(RuleId::SplitValidityChecks) {
            o.insert(Check::ValidLeaf)
                .insert(Check::ValidIntermediates)
                .insert(Check::ValidRoot);
        } else {
            o.insert(Check::TemporalValidity);
        }
        if rules.contains(RuleId::BlockListsInBasic) {
            o.insert(Check::BlackListedLeaf)
                .insert(Check::GrayListedLeaf);
        }
        if rules.contains(RuleId::WeakChecksInBasic) {
            o.insert(Check::WeakLeaf)
                .insert(Check::WeakIntermediates)
                .insert(Check::WeakRoot);
        }
        if rules.contains(RuleId::WeakKeySizeAndSignature) {
            o.insert(Check::WeakKeySize).insert(Check::WeakSignature);
        }
        if rules.contains(RuleId::ExtensionHygiene) {
            o.insert(Check::UnparseableExtension)
                .insert(Check::DuplicateExtension);
        }
        o
    }
}

impl Policy for BasicX509 {
    fn oid(&self) -> ObjectIdentifier {
        Self::OID
    }

    fn name(&self) -> &str {
        "basicX509"
    }

    fn options(&self, platform: &Platform) -> PolicyOptions {
        Self::base_options(platform)
    }

    /// Options from the OS and rule rows only.
    fn options_follow_rules(&self) -> bool {
        true
    }
}
