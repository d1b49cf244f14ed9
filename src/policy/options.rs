//! The option set of one policy (Apple's policy dictionary).

use crate::verdict::{Check, CheckSet};

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
