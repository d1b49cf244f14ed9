//! `SecTrustResultType` (`apple-trust.md §1`).

use std::fmt;

/// Apple's `SecTrustResultType`, with its numeric values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[repr(u32)]
pub enum TrustResult {
    /// `kSecTrustResultInvalid` (0).
    Invalid = 0,
    /// `kSecTrustResultProceed` (1): trusted, and the user or an exception said so.
    Proceed = 1,
    /// `kSecTrustResultConfirm` (2): deprecated, never produced.
    Confirm = 2,
    /// `kSecTrustResultDeny` (3): a trust setting says Deny.
    Deny = 3,
    /// `kSecTrustResultUnspecified` (4): trusted by the system's default rules.
    Unspecified = 4,
    /// `kSecTrustResultRecoverableTrustFailure` (5).
    RecoverableTrustFailure = 5,
    /// `kSecTrustResultFatalTrustFailure` (6).
    FatalTrustFailure = 6,
    /// `kSecTrustResultOtherError` (7).
    OtherError = 7,
}

impl TrustResult {
    /// Apple's numeric value.
    pub const fn value(self) -> u32 {
        self as u32
    }

    /// "Trusted" means Proceed or Unspecified (`apple-trust.md §1`).
    pub const fn is_trusted(self) -> bool {
        matches!(self, TrustResult::Proceed | TrustResult::Unspecified)
    }

    /// The snake-case name used by the case format (`recoverable_trust_failure`, …).
    pub const fn snake_name(self) -> &'static str {
        match self {
            TrustResult::Invalid => "invalid",
            TrustResult::Proceed => "proceed",
            TrustResult::Confirm => "confirm",
            TrustResult::Deny => "deny",
            TrustResult::Unspecified => "unspecified",
            TrustResult::RecoverableTrustFailure => "recoverable_trust_failure",
            TrustResult::FatalTrustFailure => "fatal_trust_failure",
            TrustResult::OtherError => "other_error",
        }
    }

    /// Apple's constant name, e.g. `kSecTrustResultUnspecified`.
    pub const fn apple_name(self) -> &'static str {
        match self {
            TrustResult::Invalid => "kSecTrustResultInvalid",
            TrustResult::Proceed => "kSecTrustResultProceed",
            TrustResult::Confirm => "kSecTrustResultConfirm",
            TrustResult::Deny => "kSecTrustResultDeny",
            TrustResult::Unspecified => "kSecTrustResultUnspecified",
            TrustResult::RecoverableTrustFailure => "kSecTrustResultRecoverableTrustFailure",
            TrustResult::FatalTrustFailure => "kSecTrustResultFatalTrustFailure",
            TrustResult::OtherError => "kSecTrustResultOtherError",
        }
    }
}

impl fmt::Display for TrustResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.apple_name())
    }
}
