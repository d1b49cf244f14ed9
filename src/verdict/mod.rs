//! What an evaluation reports: Apple's result type, the chosen chain, every failed check, and
//! the primary error (`apple-trust.md §1–§3`).

mod assemble;
mod check;
mod display;
mod exceptions;
mod primary;
mod record;
mod result;

pub use check::{Check, CheckClass, CheckSet, Subtype, UnknownCheck};
pub use exceptions::{CertificateException, TrustExceptions};
pub use primary::PrimaryError;
pub use record::VerdictRecord;
pub use result::TrustResult;

pub(crate) use assemble::result_of;
pub(crate) use primary::primary_error;

use crate::certificate::Certificate;
use crate::platform::Platform;

/// One failed check on one certificate of the chosen chain.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Failure {
    /// Index in the chosen chain (0 = leaf).
    pub cert_index: usize,
    /// The check.
    pub check: Check,
    /// The detail value: the CRL reason code for `Revocation`, else `None` (Apple: `false`).
    pub value: Option<i64>,
    /// The class on this platform's result model.
    pub class: CheckClass,
    /// The subtype on this platform.
    pub subtype: Subtype,
    /// The OSStatus.
    pub os_status: i32,
    /// Whether it counts whatever the policy options (`apple-trust.md §2`).
    pub forced: bool,
}

/// Why a failure did not count.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SuppressionReason {
    /// A trust setting of the certificate at the failing index allows this error
    /// (`apple-trust.md §5`); `allowed_error` is the CSSM code or 0.
    AllowedError {
        /// The allowed-error value that matched.
        allowed_error: i64,
    },
    /// An exception the caller supplied for the certificate at the failing index
    /// ([`TrustExceptions`], `SecTrustSetExceptions`).
    Exception,
}

/// A failure that was suppressed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Suppressed {
    /// The failure.
    pub failure: Failure,
    /// Why it does not count.
    pub reason: SuppressionReason,
}

/// How the chosen chain is anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum AnchorKind {
    /// An app anchor (`SecTrustSetAnchorCertificates`).
    App,
    /// The user/admin trust store or a configuration profile.
    User,
    /// The platform's system store.
    System,
    /// Not anchored.
    None,
}

/// The outcome of one evaluation: what `SecTrustEvaluateWithError` + `SecTrustCopyResult`
/// report.
///
/// With the `serde` feature it serialises as its [`VerdictRecord`] (certificates as SHA-256
/// fingerprints), which is also what such JSON deserialises into.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub(crate) platform: Platform,
    pub(crate) result: TrustResult,
    pub(crate) chain: Vec<Certificate>,
    pub(crate) anchor: AnchorKind,
    pub(crate) system_anchored: bool,
    pub(crate) extended_validation: bool,
    pub(crate) failures: Vec<Failure>,
    pub(crate) suppressed: Vec<Suppressed>,
    pub(crate) error: Option<PrimaryError>,
    pub(crate) notes: Vec<String>,
    pub(crate) work: crate::path::Work,
}

impl Verdict {
    /// The platform profile evaluated under.
    pub fn platform(&self) -> Platform {
        self.platform
    }

    /// Apple's `SecTrustResultType`.
    pub fn result(&self) -> TrustResult {
        self.result
    }

    /// Proceed or Unspecified (`apple-trust.md §1`).
    pub fn is_trusted(&self) -> bool {
        self.result.is_trusted()
    }

    /// The chosen chain, leaf first.
    pub fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    /// How the chosen chain is anchored.
    pub fn anchor(&self) -> AnchorKind {
        self.anchor
    }

    /// Whether the last certificate of the chain is in the system store (`apple-trust.md §1`).
    pub fn is_system_anchored(&self) -> bool {
        self.system_anchored
    }

    /// Whether the chosen chain is accepted and extended validation (Apple's
    /// `kSecTrustInfoExtendedValidationKey`): anchored by the system store at a root marked by
    /// [`SystemStore::add_ev_root`](crate::SystemStore::add_ev_root), whose EV policy the leaf
    /// asserts and every CA carries (`apple-trust.md §4`). Always `false` without EV roots.
    pub fn is_extended_validation(&self) -> bool {
        self.extended_validation
    }

    /// Every counted failure on the chosen chain, certificate index first, then table order.
    pub fn failures(&self) -> &[Failure] {
        &self.failures
    }

    /// The failed checks of certificate `index` (Apple's per-certificate details).
    pub fn failures_at(&self, index: usize) -> impl Iterator<Item = &Failure> {
        self.failures.iter().filter(move |f| f.cert_index == index)
    }

    /// Whether `check` failed on any certificate.
    pub fn has_failure(&self, check: Check) -> bool {
        self.failures.iter().any(|f| f.check == check)
    }

    /// The failed check keys per certificate, leaf first — `TrustResultDetails`.
    pub fn details(&self) -> Vec<Vec<(Check, Option<i64>)>> {
        let mut out = vec![Vec::new(); self.chain.len().max(1)];
        for f in &self.failures {
            if let Some(d) = out.get_mut(f.cert_index) {
                d.push((f.check, f.value));
            }
        }
        out
    }

    /// Failures that were suppressed (allowed errors, exceptions), and why.
    pub fn suppressed(&self) -> &[Suppressed] {
        &self.suppressed
    }

    /// The primary error (`SecTrustEvaluateWithError`), `None` when trusted.
    pub fn primary_error(&self) -> Option<&PrimaryError> {
        self.error.as_ref()
    }

    /// Notes: rules that could not run (e.g. no CT log list), quirks that fired, signatures
    /// not verified, budget exhaustion.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The work the path search did (steps, signature checks, candidate paths).
    pub fn work(&self) -> crate::path::Work {
        self.work
    }
}
