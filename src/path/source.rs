//! Where issuers come from: a trait, so callers can add keychains, caches or AIA fetchers
//! (`apple-trust.md §4`; the library does no I/O itself).

use std::fmt;

use crate::certificate::Certificate;

/// A source of candidate issuers.
pub trait IssuerSource: Send + Sync + fmt::Debug {
    /// Appends certificates that may have issued `cert` (matching by subject name is enough; the
    /// builder checks names, key identifiers and signatures itself).
    fn issuers_of(&self, cert: &Certificate, out: &mut Vec<Certificate>);
}

/// A fixed set of certificates.
#[derive(Debug, Clone, Default)]
pub struct StaticIssuers(pub Vec<Certificate>);

impl IssuerSource for StaticIssuers {
    fn issuers_of(&self, cert: &Certificate, out: &mut Vec<Certificate>) {
        out.extend(
            self.0
                .iter()
                .filter(|c| c.subject().matches(cert.issuer()))
                .cloned(),
        );
    }
}
