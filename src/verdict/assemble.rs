//! Combining counted failures into a `SecTrustResultType` (`apple-trust.md §2`; platforms.md
//! "Engines and result model").

use super::{CheckClass, Failure, TrustResult};
use crate::platform::{RuleId, RuleSet};

/// The result for a chosen path with these counted failures.
///
/// Current model: Fatal beats Deny beats Recoverable. 58286 (iOS 11–12): Deny overwrites even
/// Fatal. Success is Proceed when a user trust setting says so or the caller supplied exceptions
/// (`proceed`), else Unspecified.
pub(crate) fn result_of(rules: &RuleSet, failures: &[Failure], proceed: bool) -> TrustResult {
    let has = |class: CheckClass| failures.iter().any(|f| f.class == class);
    let deny_beats_fatal = rules.contains(RuleId::ResultModel58286);
    if deny_beats_fatal && has(CheckClass::Deny) {
        return TrustResult::Deny;
    }
    if has(CheckClass::Fatal) {
        TrustResult::FatalTrustFailure
    } else if has(CheckClass::Deny) {
        TrustResult::Deny
    } else if has(CheckClass::Recoverable) {
        TrustResult::RecoverableTrustFailure
    } else if proceed {
        TrustResult::Proceed
    } else {
        TrustResult::Unspecified
    }
}
