//! Policies as sets of options run by one engine (`apple-trust.md §1, §2`; STYLE.md).
//!
//! Apple's policy constructors fill a dictionary of check keys with parameters and one engine
//! runs whatever keys are present. Here a [`Policy`] produces [`PolicyOptions`] for a platform;
//! the engine runs the options. A user policy is just another option set, optionally with
//! checks of its own ([`Policy::check_path`]).

mod basic;
pub(crate) mod checks;
mod code_signing;
pub mod hostname;
mod options;
mod quirk;
mod smime;
mod smime_checks;
mod ssl;

pub use basic::BasicX509;
pub use checks::{JULY_2019, SERVER_AUTH};
pub use code_signing::{CODE_SIGNING, CodeSigning};
pub use options::{ANY_EKU, EkuRule, PolicyOptions, SharedSuffixList};
pub use quirk::{Quirk, QuirkVariant};
pub use smime::{APRIL_2022, Ios5SmimeHypothesis, SMIME_MAX_LIFETIME_DAYS, Smime, SmimeUsage};
pub use smime_checks::{
    EMAIL_PROTECTION, EmailMatching, EmailRule, KeyUsageRule, KeyUsageValue, SystemLeafRule,
};
pub use ssl::{CLIENT_AUTH, MICROSOFT_SGC, NETSCAPE_SGC, Ssl};

use std::fmt;

use const_oid::ObjectIdentifier;

use crate::certificate::Certificate;
use crate::platform::Platform;
use crate::verdict::{AnchorKind, Check};

/// A trust policy: Apple's (`BasicX509`, and the SSL, S/MIME, revocation and code-signing
/// policies) or your own.
pub trait Policy: Send + Sync + fmt::Debug {
    /// Apple's policy OID (`kSecPolicyAppleX509Basic` is 1.2.840.113635.100.1.2).
    fn oid(&self) -> ObjectIdentifier;

    /// Apple's policy name, as trust-setting constraints name it (`basicX509`, `sslServer`, …).
    fn name(&self) -> &str;

    /// The option set this policy has on `platform`.
    fn options(&self, platform: &Platform) -> PolicyOptions;

    /// Extra checks of a user policy on a candidate path. Push `(certificate index, check)` for
    /// each failure; a failure counts only when its check is among this policy's options —
    /// the engine never forces a policy's own report, whatever its key. The default runs
    /// nothing.
    fn check_path(&self, _path: &PathView<'_>, _failures: &mut Vec<(usize, Check)>) {}

    /// An unpublished behaviour this policy models as selectable hypotheses (the S/MIME
    /// policy's pre-iOS-6 quirk, platforms.md), so that a diagnosis can test each hypothesis
    /// apart from the published rules. The default: none.
    fn quirk(&self) -> Option<Quirk> {
        None
    }

    /// Whether [`options`](Self::options) and [`check_path`](Self::check_path) depend on the
    /// platform only through its OS and its rule rows ([`Platform::rules`]), as every policy of
    /// this crate does. A [`Matrix`](crate::explain::Matrix) then shares one evaluation among
    /// profiles with the same OS and rules without asking each profile for its options. The
    /// default, `false`, is always correct: such a policy is asked on every profile.
    fn options_follow_rules(&self) -> bool {
        false
    }
}

/// A candidate path as a user policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct PathView<'a> {
    /// The certificates, leaf first.
    pub certs: &'a [Certificate],
    /// The platform profile.
    pub platform: Platform,
    /// The verify time, Unix seconds.
    pub verify_time: i64,
    /// How the path is anchored.
    pub anchor: AnchorKind,
    /// Whether the last certificate is in the system store.
    pub system_anchored: bool,
}

impl<T: Policy + ?Sized> Policy for &T {
    fn oid(&self) -> ObjectIdentifier {
        (**self).oid()
    }
    fn name(&self) -> &str {
        (**self).name()
    }
    fn options(&self, platform: &Platform) -> PolicyOptions {
        (**self).options(platform)
    }
    fn check_path(&self, path: &PathView<'_>, failures: &mut Vec<(usize, Check)>) {
        (**self).check_path(path, failures)
    }
    fn quirk(&self) -> Option<Quirk> {
        (**self).quirk()
    }
    fn options_follow_rules(&self) -> bool {
        (**self).options_follow_rules()
    }
}
