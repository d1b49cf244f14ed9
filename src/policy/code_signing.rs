//! The code-signing policy (`SecPolicyCreateCodeSigning`, OID 1.2.840.113635.100.1.16;
//! `apple-trust.md §10`).

use const_oid::ObjectIdentifier;

use super::{BasicX509, EkuRule, KeyUsageRule, KeyUsageValue, Policy, PolicyOptions};
use crate::certificate::KeyUsage;
use crate::platform::{Platform, RuleId};
use crate::verdict::Check;

/// codeSigning (1.3.6.1.5.5.7.3.3).
pub const CODE_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");

/// `SecPolicyCreateCodeSigning`: the basic X.509 set plus KeyUsage digitalSignature or
/// nonRepudiation (a leaf without a KU extension fails) and the codeSigning EKU (anyEKU also
/// accepted on iOS only), `apple-trust.md §10`.
///
/// ```
/// use sectrust::policy::CodeSigning;
/// # use sectrust::{Policy, Platform};
/// let options = CodeSigning.options(&Platform::latest());
/// assert!(options.has(sectrust::Check::ExtendedKeyUsage));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CodeSigning;

impl CodeSigning {
    /// `kSecPolicyAppleCodeSigning`.
    pub const OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113635.100.1.16");
}

impl Policy for CodeSigning {
    fn oid(&self) -> ObjectIdentifier {
        Self::OID
    }

    fn name(&self) -> &str {
        "CodeSigning"
    }

    fn options(&self, platform: &Platform) -> PolicyOptions {
        let mut o = BasicX509::base_options(platform);
        o.insert(Check::KeyUsage).insert(Check::ExtendedKeyUsage);
        o.smime_key_usage = Some(KeyUsageRule::AnyOf(vec![
            KeyUsageValue::AllOf(KeyUsage::DIGITAL_SIGNATURE),
            KeyUsageValue::AllOf(KeyUsage::NON_REPUDIATION),
        ]));
        o.leaf_eku = Some(EkuRule {
            purposes: vec![CODE_SIGNING],
            allow_absent: false,
            allow_any: platform.has(RuleId::CodeSigningAnyEku),
        });
        o
    }

    /// Options from the OS and rule rows only.
    fn options_follow_rules(&self) -> bool {
        true
    }
}
