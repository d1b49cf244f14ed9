//! # sectrust — Apple's certificate trust evaluation, off the device
//!
//! `sectrust` emulates Apple's SecTrust / SecPolicy / trustd closely enough to answer "will iOS
//! or macOS version X trust this certificate for this use — and if not, exactly why?". It
//! builds the path as trustd does, runs the checks of the chosen policies under a platform
//! profile's rules, and returns a [`Verdict`] carrying Apple's result type, the chosen chain,
//! every failed check by Apple's key and OSStatus, and the primary error with Apple's message.
//!
//! The behaviour follows `apple-trust.md` and `platforms.md` (the project's specification);
//! doc comments cite their sections.
//!
//! ```
//! use sectrust::{BasicX509, Certificate, Platform, TrustEvaluator};
//! # let pki = sectrust::testing::Pki::new();
//! # let (root, leaf) = (pki.root.cert.clone(), pki.leaf.cert.clone());
//! # let inter = pki.intermediate.cert.clone();
//! let evaluator = TrustEvaluator::builder()
//!     .platform("ios-13.0".parse::<Platform>()?)
//!     .anchors([root])
//!     .verify_time_unix(1_700_000_000)
//!     .build();
//! let verdict = evaluator.evaluate(&leaf, &[inter], &[&BasicX509])?;
//! assert!(verdict.is_trusted(), "{verdict}");
//! # Ok::<(), sectrust::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod anchors;
mod batch;
pub mod certificate;
pub mod crypto;
pub mod ct;
pub mod distrust;
mod error;
mod evaluator;
pub mod explain;
#[cfg(feature = "formats")]
pub mod formats;
pub mod path;
pub mod platform;
pub mod policy;
pub mod revocation;
#[cfg(feature = "testing")]
pub mod testing;
pub mod verdict;

pub use anchors::{SystemStore, TrustSetting, TrustSettingResult, UsageConstraint};
pub use batch::Batch;
pub use certificate::Certificate;
pub use const_oid::ObjectIdentifier;
pub use error::Error;
pub use evaluator::{EvaluationInputs, TrustEvaluator, TrustEvaluatorBuilder};
pub use platform::{Os, Platform, RuleId};
pub use policy::{BasicX509, CodeSigning, Policy, PolicyOptions, Smime, SmimeUsage, Ssl};
pub use revocation::Revocation;
pub use verdict::{Check, CheckClass, Subtype, TrustExceptions, TrustResult, Verdict};
