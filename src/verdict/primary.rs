//! The primary error of `SecTrustEvaluateWithError` (`apple-trust.md §3`).

use std::fmt;

use super::{Check, Failure, Subtype};
use crate::certificate::Certificate;

/// The error `SecTrustEvaluateWithError` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PrimaryError {
    /// The check that won the ranking.
    pub check: Check,
    /// The certificate it is on.
    pub cert_index: usize,
    /// Domain OSStatus; the check's code.
    pub os_status: i32,
    /// Apple's message, e.g. `“bad.apple.com” certificate name does not match input`.
    pub message: String,
    /// The underlying error string: `Certificate N “summary” has errors: …;` per failing
    /// certificate, concatenated with no separator (`apple-trust.md §3`).
    pub underlying: String,
}

impl fmt::Display for PrimaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.os_status,
            self.check.os_status_name(),
            self.message
        )
    }
}

/// Picks the primary error among counted failures: highest subtype rank, ties to the lowest
/// certificate index, then table order within a certificate (Apple's order there is hash order;
/// this emulator documents table order instead).
pub(crate) fn primary_error(chain: &[Certificate], failures: &[Failure]) -> Option<PrimaryError> {
    let best = failures.iter().min_by(|a, b| {
        b.subtype
            .rank()
            .cmp(&a.subtype.rank())
            .then(a.cert_index.cmp(&b.cert_index))
            .then(a.check.cmp(&b.check))
    })?;
    let summary = |i: usize| {
        chain
            .get(i)
            .map(Certificate::subject_summary)
            .unwrap_or_default()
    };
    // Pinning names the chain: Apple's `SecTrustCopyChainSummary` quotes each summary with
    // ASCII double quotes (`"%@"`), unlike the curly quotes of the other templates.
    let subject = if best.subtype == Subtype::Pinning {
        chain
            .iter()
            .map(|c| format!("\"{}\"", c.subject_summary()))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        summary(best.cert_index)
    };
    let mut underlying = String::new();
    let mut indices: Vec<usize> = failures.iter().map(|f| f.cert_index).collect();
    indices.dedup();
    for i in indices {
        let descriptions: Vec<&str> = failures
            .iter()
            .filter(|f| f.cert_index == i)
            .map(|f| f.check.description())
            .collect();
        // Certificates follow one another with no separator: each part ends with ";".
        underlying.push_str(&format!(
            "Certificate {i} “{}” has errors: {};",
            summary(i),
            descriptions.join(", ")
        ));
    }
    Some(PrimaryError {
        check: best.check,
        cert_index: best.cert_index,
        os_status: best.os_status,
        message: best.subtype.message(&subject),
        underlying,
    })
}
