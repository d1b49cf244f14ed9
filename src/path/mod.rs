//! Path building and RFC 5280 path processing (`apple-trust.md §4`).

pub mod name_constraints;
pub mod policy_tree;
mod source;

pub use source::{IssuerSource, StaticIssuers};
