//! User/admin trust settings and their usage constraints (`apple-trust.md §5`).

use const_oid::ObjectIdentifier;

use crate::certificate::Certificate;
use crate::policy::PolicyOptions;
use crate::verdict::Check;

/// `kSecTrustSettingsKeyUseSignCert`: the usage computed for non-leaf certificates.
pub const KEY_USAGE_SIGN_CERT: u32 = 0x08;
/// `kSecTrustSettingsKeyUseAny`: the only key-usage wildcard.
pub const KEY_USAGE_ANY: u32 = 0xffff_ffff;

/// `kSecTrustSettingsResult`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TrustSettingResult {
    /// `kSecTrustSettingsResultTrustRoot`: anchors a self-signed certificate.
    TrustRoot,
    /// `kSecTrustSettingsResultTrustAsRoot`: anchors a non-self-signed certificate.
    TrustAsRoot,
    /// `kSecTrustSettingsResultDeny`.
    Deny,
    /// `kSecTrustSettingsResultUnspecified`: no trust decision (does not block system trust).
    Unspecified,
}

/// One usage constraint of a trust setting. Every key present must match for the constraint to
/// apply; the first matching constraint decides (`apple-trust.md §5`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UsageConstraint {
    /// `kSecTrustSettingsPolicy`: the policy OID.
    pub policy_oid: Option<ObjectIdentifier>,
    /// `kSecTrustSettingsPolicyName` (`sslServer`, `basicX509`, …).
    pub policy_name: Option<String>,
    /// `kSecTrustSettingsPolicyString`: a hostname or email, matched exactly and
    /// case-insensitively, only together with a matched policy.
    pub policy_string: Option<String>,
    /// `kSecTrustSettingsKeyUsage`: must EQUAL the computed usage; [`KEY_USAGE_ANY`] matches all.
    pub key_usage: Option<u32>,
    /// `kSecTrustSettingsApplication` (macOS only; ignored on iOS).
    pub application: Option<String>,
    /// `kSecTrustSettingsAllowedError` values (CSSM codes; 0 = every recoverable error).
    pub allowed_errors: Vec<i64>,
    /// `kSecTrustSettingsPolicyOptions`: a constraint carrying options never matches, but its
    /// checks are run on the path.
    pub policy_options: Option<PolicyOptions>,
    /// `kSecTrustSettingsResult` (`None` means TrustRoot).
    pub result: Option<TrustSettingResult>,
}

impl UsageConstraint {
    /// A constraint with only a result.
    pub fn result(result: TrustSettingResult) -> Self {
        UsageConstraint {
            result: Some(result),
            ..Self::default()
        }
    }

    /// The effective result (no value means TrustRoot).
    pub fn effective_result(&self) -> TrustSettingResult {
        self.result.unwrap_or(TrustSettingResult::TrustRoot)
    }
}

/// A user/admin trust setting: a certificate and its usage constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustSetting {
    /// The certificate.
    pub cert: Certificate,
    /// The usage constraints; an empty list anchors a self-signed certificate.
    pub constraints: Vec<UsageConstraint>,
    /// Installed by a manually installed configuration profile (`apple-trust.md §5`).
    pub profile_installed: bool,
    /// The "full trust" switch of Certificate Trust Settings (iOS 10.3+, profile roots).
    pub full_trust_enabled: bool,
}

impl TrustSetting {
    /// A setting with an empty constraint list (trusts a self-signed root for everything).
    pub fn trust_root(cert: Certificate) -> Self {
        TrustSetting {
            cert,
            constraints: Vec::new(),
            profile_installed: false,
            full_trust_enabled: false,
        }
    }

    /// A setting with one constraint.
    pub fn with_constraint(cert: Certificate, constraint: UsageConstraint) -> Self {
        TrustSetting {
            cert,
            constraints: vec![constraint],
            profile_installed: false,
            full_trust_enabled: false,
        }
    }

    /// A root installed by a configuration profile, with its full-trust switch.
    pub fn profile_root(cert: Certificate, full_trust_enabled: bool) -> Self {
        TrustSetting {
            cert,
            constraints: Vec::new(),
            profile_installed: true,
            full_trust_enabled,
        }
    }
}

/// The CSSM allowed-error code that suppresses `check`, if any (`apple-trust.md §5`): hostname
/// mismatch −2147408896, email mismatch −2147408872, expiry −2147409654 (also "not yet valid").
pub fn allowed_error(check: Check) -> Option<i64> {
    match check {
        Check::SslHostname => Some(-2_147_408_896),
        Check::Email => Some(-2_147_408_872),
        Check::TemporalValidity
        | Check::ValidLeaf
        | Check::ValidIntermediates
        | Check::ValidRoot
        | Check::NotValidBefore => Some(-2_147_409_654),
        _ => None,
    }
}
