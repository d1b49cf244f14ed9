//! Errors for input the library cannot read. Trust failures are never errors: they are data in
//! the [`Verdict`](crate::Verdict).

use crate::platform::UnknownPlatform;

/// Input the library cannot read or use.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A certificate's DER is malformed; `what` names the part being decoded.
    #[error("malformed certificate: {what}: {source}")]
    Malformed {
        /// The structure being decoded, e.g. `tbsCertificate.validity`.
        what: &'static str,
        /// The decoder's error, which carries the byte position.
        #[source]
        source: der::Error,
    },
    /// A PEM text could not be read.
    #[error("PEM block {index}: {reason}")]
    Pem {
        /// Zero-based index of the CERTIFICATE block (0 when none was found).
        index: usize,
        /// What was wrong.
        reason: String,
    },
    /// An explicitly empty policy list (`errSecParam`, `apple-trust.md §1`).
    #[error("an explicitly empty policy list is errSecParam (-50): pass at least one policy")]
    EmptyPolicyList,
    /// A policy that cannot be created with these parameters (Apple's constructor returns NULL).
    #[error("invalid policy: {0}")]
    InvalidPolicy(String),
    /// Trust-store data (such as apple-roots' `stores.json` and its certificates) that cannot
    /// be used.
    #[error("trust-store data: {0}")]
    StoreData(String),
    /// A PKCS#12 file, configuration profile or CMS envelope that cannot be read (feature
    /// `formats`).
    #[cfg(feature = "formats")]
    #[error(transparent)]
    Format(#[from] crate::formats::FormatError),
    /// An unknown platform profile name.
    #[error(transparent)]
    UnknownPlatform(#[from] UnknownPlatform),
}
