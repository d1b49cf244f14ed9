//! Path building and RFC 5280 path processing (`apple-trust.md §4`).

pub(crate) mod budget;
pub(crate) mod builder;
mod ca_issuers;
mod cache;
pub(crate) mod ev;
pub mod name_constraints;
pub mod policy_tree;
mod score;
mod small_map;
mod source;
pub(crate) mod validate;

pub use budget::{APPLE_PATH_CAP, MAX_DEPTH, MAX_SEARCH_STEPS, MAX_SIGNATURE_CHECKS, Work};
pub use ca_issuers::{CaIssuersFetcher, MAX_CA_ISSUERS_FETCHES, MAX_CERTIFICATES_PER_RESPONSE};
pub use cache::{DEFAULT_SIGNATURE_CACHE_CAPACITY, SignatureCache};
pub use source::{IssuerSource, StaticIssuers};
