//! The revocation policy (`SecPolicyCreateRevocation(flags)`, OID 1.2.840.113635.100.1.21;
//! `apple-trust.md §9`).

use const_oid::ObjectIdentifier;

use super::RevocationOptions;
use crate::error::Error;
use crate::platform::Platform;
use crate::policy::{Policy, PolicyOptions};
use crate::verdict::Check;

/// `SecPolicyCreateRevocation`'s flags, with Apple's values (`kSecRevocation…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RevocationFlags(pub u32);

impl RevocationFlags {
    /// `kSecRevocationOCSPMethod`.
    pub const OCSP: u32 = 1;
    /// `kSecRevocationCRLMethod`.
    pub const CRL: u32 = 2;
    /// `kSecRevocationPreferCRL`.
    pub const PREFER_CRL: u32 = 4;
    /// `kSecRevocationRequirePositiveResponse`.
    pub const REQUIRE_POSITIVE_RESPONSE: u32 = 8;
    /// `kSecRevocationNetworkAccessDisabled`.
    pub const NETWORK_ACCESS_DISABLED: u32 = 16;
    /// `kSecRevocationOnlineCheck`.
    pub const ONLINE_CHECK: u32 = 32;
    /// `kSecRevocationCheckIfTrusted`.
    pub const CHECK_IF_TRUSTED: u32 = 64;
    /// `kSecRevocationUseAnyAvailableMethod`: OCSP | CRL.
    pub const ANY_METHOD: u32 = Self::OCSP | Self::CRL;

    /// Whether every bit of `flag` is set.
    pub const fn has(self, flag: u32) -> bool {
        self.0 & flag == flag
    }
}

/// `SecPolicyCreateRevocation(flags)`: asks for revocation checking by OCSP and/or CRL.
///
/// Its options are only the revocation keys (no basic X.509 checks): `Revocation` with the
/// method, `RevocationResponseRequired` with RequirePositiveResponse, `NoNetworkAccess` = true
/// with NetworkAccessDisabled and explicitly false otherwise, `RevocationOnline`,
/// `RevocationIfTrusted`.
///
/// ```
/// use sectrust::revocation::{Revocation, RevocationFlags};
/// let p = Revocation::new(RevocationFlags::OCSP | RevocationFlags::REQUIRE_POSITIVE_RESPONSE)?;
/// assert!(Revocation::new(0).is_err());
/// assert!(Revocation::new(1 << 7).is_err());
/// # let _ = p;
/// # Ok::<(), sectrust::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revocation {
    flags: RevocationFlags,
}

impl Revocation {
    /// `kSecPolicyAppleRevocation`.
    pub const OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113635.100.1.21");

    /// `SecPolicyCreateRevocation(flags)`. Flags 0, or any bit at 1<<7 or above, make Apple's
    /// constructor return NULL: [`Error::InvalidPolicy`].
    pub fn new(flags: u32) -> Result<Self, Error> {
        if flags == 0 || flags >> 7 != 0 {
            return Err(Error::InvalidPolicy(format!(
                "SecPolicyCreateRevocation flags {flags:#x}: must be non-zero and below 1<<7"
            )));
        }
        Ok(Revocation {
            flags: RevocationFlags(flags),
        })
    }

    /// The flags.
    pub fn flags(&self) -> RevocationFlags {
        self.flags
    }

    /// The revocation settings this policy carries.
    pub fn revocation_options(&self) -> RevocationOptions {
        let f = self.flags;
        RevocationOptions {
            ocsp: f.has(RevocationFlags::OCSP),
            crl: f.has(RevocationFlags::CRL),
            prefer_crl: f.has(RevocationFlags::PREFER_CRL),
            require_positive_response: f.has(RevocationFlags::REQUIRE_POSITIVE_RESPONSE),
            online_check: f.has(RevocationFlags::ONLINE_CHECK),
            check_if_trusted: f.has(RevocationFlags::CHECK_IF_TRUSTED),
            allows_network: !f.has(RevocationFlags::NETWORK_ACCESS_DISABLED),
        }
    }
}

impl Policy for Revocation {
    fn oid(&self) -> ObjectIdentifier {
        Self::OID
    }

    fn name(&self) -> &str {
        "revocation"
    }

    fn options(&self, _platform: &Platform) -> PolicyOptions {
        let r = self.revocation_options();
        let mut o = PolicyOptions::default();
        if r.ocsp || r.crl {
            o.insert(Check::Revocation);
        }
        if r.require_positive_response {
            o.insert(Check::RevocationResponseRequired);
        }
        o.no_network_access = !r.allows_network;
        o.revocation = Some(r);
        o
    }

    /// Options from the OS and rule rows only.
    fn options_follow_rules(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_have_apples_values_and_bounds() {
        assert_eq!(RevocationFlags::ANY_METHOD, 3);
        assert!(Revocation::new(0).is_err());
        assert!(Revocation::new(128).is_err());
        assert!(Revocation::new(127).is_ok());
        let o = Revocation::new(RevocationFlags::CRL | RevocationFlags::NETWORK_ACCESS_DISABLED)
            .unwrap()
            .options(&Platform::latest());
        assert!(o.no_network_access);
        let r = o.revocation.unwrap();
        assert!(r.crl && !r.ocsp && !r.allows_network);
        assert!(o.has(Check::Revocation) && !o.has(Check::RevocationResponseRequired));
    }
}
