//! Distrust data: Apple's Valid database and the distrust-by-date table (`apple-trust.md §2,
//! §9`; platforms.md "Distrust by date").
//!
//! Everything here is data the caller supplies — the library bundles no list and does no I/O.
//! A [`ValidDatabase`] holds blocked and gray-listed certificates and keys, issuer policy
//! constraints, and [`DistrustRule`]s (a CA's date constraint, or one family row of the
//! distrust-by-date table with the family's hashes). The engine runs it on every certificate of
//! every candidate path; all its results are forced.

mod check;
mod database;
mod rule;

pub(crate) use check::check_path;
pub use database::{IssuerPolicyConstraint, ValidDatabase};
pub use rule::{
    CaFamily, DistrustEffect, DistrustRule, ENTRUST_CAMERFIRMA_CUTOFF, IssuedWhen,
    SMIME_POLICY_OID, SYMANTEC_CUTOFF, SYMANTEC_EFFECTIVE, TIMESTAMPING_POLICY_OID, WOSIGN_CUTOFF,
};
