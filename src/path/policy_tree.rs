//! RFC 5280 §6.1 certificate-policy processing: the valid_policy_tree with policy mapping,
//! requireExplicitPolicy, inhibitPolicyMapping and inhibitAnyPolicy (`apple-trust.md §4`).

use const_oid::ObjectIdentifier;

use crate::certificate::Certificate;

/// The initial inputs of RFC 5280 §6.1.1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicySettings {
    /// user-initial-policy-set; empty means {anyPolicy}.
    pub initial_policy_set: Vec<ObjectIdentifier>,
    /// initial-explicit-policy.
    pub initial_explicit_policy: bool,
    /// initial-policy-mapping-inhibit.
    pub initial_policy_mapping_inhibit: bool,
    /// initial-any-policy-inhibit.
    pub initial_any_policy_inhibit: bool,
}

/// Runs policy processing over `path` (leaf first, anchor last; the anchor is the trust anchor
/// and is not processed as a path certificate, as in RFC 5280). Returns `Err(index)` with the
/// index of the certificate at which an explicit policy was required and the tree was empty.
pub fn process(path: &[Certificate], settings: &PolicySettings) -> Result<(), usize> {
    todo!()
}
