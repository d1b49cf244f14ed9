//! Test fixtures: deterministic keys and a small certificate-building DSL (feature `testing`).
//!
//! Tests, doc examples and the demo make their certificates here, in code: keys come from
//! seeds ([`KeyPair`]), dates are fixed, and the same builder calls give byte-identical DER on
//! every run, so no test depends on the clock or on certificate files. [`Pki`] is a ready
//! root → intermediate → leaf chain; [`CertBuilder`] makes any single certificate, including
//! deliberately odd ones (wrong versions, duplicate or unknown critical extensions, bad
//! signatures, MD5, mismatched algorithm fields); [`ct`] makes CT logs, SCTs and leaves that
//! embed them.
//!
//! ```
//! use sectrust::certificate::KeyUsage;
//! use sectrust::testing::{CertBuilder, KeyPair, oids};
//!
//! let root_key = KeyPair::p256(1);
//! let (root_der, _) = CertBuilder::new("CN=Root,O=Example")
//!     .key(root_key.clone())
//!     .ca(Some(0))
//!     .build_der();
//! let (leaf_der, _) = CertBuilder::new("CN=Leaf,O=Example")
//!     .issued_by_der(&root_der, &root_key)
//!     .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
//!     .dns("www.example.com")
//!     .eku(&[oids::server_auth()])
//!     .key_usage(KeyUsage::DIGITAL_SIGNATURE)
//!     .build_der();
//! // Deterministic: the same calls give the same bytes.
//! let (again, _) = CertBuilder::new("CN=Root,O=Example")
//!     .key(root_key)
//!     .ca(Some(0))
//!     .build_der();
//! assert_eq!(root_der, again);
//! # assert!(!leaf_der.is_empty());
//! ```
//!
//! With the parsed certificates (`build` parses with [`Certificate::from_der`]):
//!
//! ```no_run
//! use sectrust::testing::{Pki, unix};
//!
//! let pki = Pki::new();
//! let expired_leaf = pki
//!     .leaf_builder()
//!     .validity("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z")
//!     .build();
//! assert!(!expired_leaf.cert.is_valid_at(Pki::T_VALID));
//! assert_eq!(unix("2024-01-01T00:00:00Z"), Pki::T_VALID);
//! ```
//!
//! [`Certificate::from_der`]: crate::Certificate::from_der

pub(crate) mod asn1;
mod builder;
pub mod ct;
mod founding_story;
mod keys;
mod md5;
mod name;
pub mod oids;
mod pki;
mod revocation;
pub mod strategies;

pub use builder::{CertBuilder, Issued};
pub use founding_story::FoundingStory;
pub use keys::{KeyPair, algorithm_identifier_der};
pub use name::name_der;
pub use pki::Pki;
pub use revocation::{CrlBuilder, OcspResponder, ocsp_error_response};

/// Unix seconds of an RFC 3339 time, e.g. `unix("2024-01-01T00:00:00Z") == 1_704_067_200`.
///
/// # Panics
///
/// On a string that is not RFC 3339 (a test's own typo).
///
/// ```
/// assert_eq!(sectrust::testing::unix("1970-01-01T00:01:00Z"), 60);
/// assert_eq!(sectrust::testing::unix("2024-01-01T02:00:00+02:00"), 1_704_067_200);
/// ```
pub fn unix(rfc3339: &str) -> i64 {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("testing: {rfc3339:?} is not an RFC 3339 time: {e}"))
        .unix_timestamp()
}
