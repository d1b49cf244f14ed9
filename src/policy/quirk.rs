//! Unpublished behaviours a policy models as competing hypotheses (platforms.md "The pre-iOS-6
//! S/MIME quirk"): what a diagnosis ([`crate::explain`]) needs to test each one.

use std::sync::Arc;

use super::Policy;
use crate::platform::RuleId;

/// A quirk a policy models ([`Policy::quirk`]): the policy following the published rules only,
/// and the policy under each hypothesis about what the unpublished behaviour was.
///
/// A diagnosis evaluates the platform rules with [`without`](Self::without) and tests each
/// hypothesis separately, so that "the published rules reproduce it" and "this hypothesis
/// reproduces it" are told apart.
#[derive(Debug, Clone)]
pub struct Quirk {
    /// The row of the rules table where the quirk applies (e.g. `Ios5SmimeQuirk`, iOS 5.x).
    pub rule: RuleId,
    /// The policy without the quirk.
    pub without: Arc<dyn Policy>,
    /// One variant per hypothesis.
    pub hypotheses: Vec<QuirkVariant>,
}

/// The policy under one hypothesis of a [`Quirk`].
#[derive(Debug, Clone)]
pub struct QuirkVariant {
    /// The hypothesis's name, e.g. `PrimaryAddressOnly`.
    pub name: String,
    /// What it assumes failed, in English.
    pub explanation: String,
    /// The policy under it.
    pub policy: Arc<dyn Policy>,
}
