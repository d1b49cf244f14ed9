//! What the CT check concluded, and why each SCT that did not count was set aside.

use std::fmt;

use super::policy::Lifetime;
use super::sct::SctOrigin;

/// The route of Apple's CT policy that decided (`apple-trust.md §6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CtRoute {
    /// SCTs delivered outside the certificate (TLS extension, OCSP) plus any others: at least
    /// one external SCT from a current log, and current logs ≥ 2 overall.
    External,
    /// Embedded SCTs, counted by distinct log against the lifetime-based requirement.
    Embedded,
}

/// The verdict of the count rules.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct CtOutcome {
    /// Whether the leaf is CT-qualified.
    pub satisfied: bool,
    /// The route that decided: `None` when no SCT from a currently qualified log was usable.
    pub route: Option<CtRoute>,
    /// Distinct logs that counted on that route (embedded logs when `route` is `None`).
    pub counted_logs: usize,
    /// How many the route needs (the embedded requirement when `route` is `None`).
    pub required: usize,
    /// The leaf's lifetime as the embedded requirement measured it.
    pub lifetime: Lifetime,
    /// The SCTs that did not count, in the order met.
    pub ignored: Vec<IgnoredSct>,
}

impl fmt::Display for CtOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, req) = (self.counted_logs, self.required);
        let logs = |n: usize| if n == 1 { "log" } else { "logs" };
        match (self.satisfied, self.route) {
            (true, Some(CtRoute::External)) => write!(
                f,
                "CT satisfied by SCTs delivered outside the certificate: {n} current {} ({req} required)",
                logs(n)
            )?,
            (true, _) => write!(
                f,
                "CT satisfied by embedded SCTs: {n} {} ({req} required for a lifetime of {})",
                logs(n),
                self.lifetime
            )?,
            (false, Some(CtRoute::External)) => write!(
                f,
                "CT not satisfied: SCTs delivered outside the certificate come from {n} current {}, {req} required",
                logs(n)
            )?,
            (false, Some(CtRoute::Embedded)) => write!(
                f,
                "CT not satisfied: embedded SCTs from {n} {}, {req} required for a lifetime of {}",
                logs(n),
                self.lifetime
            )?,
            (false, None) => {
                f.write_str("CT not satisfied: no SCT from a currently qualified log")?
            }
        }
        for (i, ig) in self.ignored.iter().enumerate() {
            f.write_str(if i == 0 { "; ignored: " } else { "; " })?;
            write!(f, "{ig}")?;
        }
        Ok(())
    }
}

/// An SCT that did not count, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct IgnoredSct {
    /// Where it was delivered.
    pub origin: SctOrigin,
    /// Its log ID, when it parsed.
    pub log_id: Option<[u8; 32]>,
    /// Its timestamp (Unix milliseconds), when it parsed.
    pub timestamp_ms: Option<u64>,
    /// Why it did not count.
    pub reason: IgnoreReason,
}

impl fmt::Display for IgnoredSct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} SCT", self.origin)?;
        if let Some(id) = &self.log_id {
            write!(f, " from log {}", super::short_id(id))?;
        }
        if let Some(ms) = self.timestamp_ms {
            write!(
                f,
                " dated {}",
                super::utc(i64::try_from(ms / 1000).unwrap_or(i64::MAX))
            )?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Why an SCT did not count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum IgnoreReason {
    /// The SCT list as a whole could not be read (all its SCTs are lost).
    #[error("malformed SCT list: {0}")]
    MalformedList(String),
    /// This SCT could not be read.
    #[error("malformed SCT: {0}")]
    Malformed(String),
    /// Past the per-evaluation SCT budget ([`MAX_SCTS`](super::MAX_SCTS)); `skipped` SCTs
    /// of this list were not looked at.
    #[error("{skipped} more SCTs not examined (budget of {max})", max = super::MAX_SCTS)]
    OverBudget {
        /// How many were skipped.
        skipped: usize,
    },
    /// No log in the list has this ID.
    #[error("unknown log")]
    UnknownLog,
    /// Embedded SCTs need the issuer's key, and the path has no issuer.
    #[error("no issuer to rebuild the precertificate entry")]
    MissingIssuer,
    /// The leaf's TBS could not be rebuilt as the precertificate TBS.
    #[error("precertificate TBS could not be rebuilt: {0}")]
    PrecertRebuild(String),
    /// Not SHA-256 with ECDSA or RSA (RFC 6962 §2.1.4).
    #[error("unsupported signature algorithm (hash {hash}, signature {sig})")]
    UnsupportedAlgorithm {
        /// TLS HashAlgorithm.
        hash: u8,
        /// TLS SignatureAlgorithm.
        sig: u8,
    },
    /// The signed entry does not fit its TLS length prefix.
    #[error("entry too long to sign")]
    EntryTooLong,
    /// The log's key cannot verify this algorithm.
    #[error("log key unusable: {0}")]
    UnusableLogKey(String),
    /// The signature does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// The log is pending or rejected.
    #[error("log is {0}")]
    LogNotTrusted(&'static str),
    /// Dated after the verify time.
    #[error("dated after the verify time")]
    InTheFuture,
    /// Dated after the log became read-only.
    #[error("dated after the log's read-only date")]
    AfterReadOnly,
    /// The log shard does not accept a leaf with this notAfter.
    #[error("log shard's temporal interval excludes the leaf's notAfter")]
    OutsideTemporalInterval,
    /// Delivered outside the certificate by a retired log: serves neither route.
    #[error("log is retired and the SCT is not embedded")]
    ExternalFromRetiredLog,
    /// Embedded, from a retired log, dated at or after the retirement.
    #[error("dated at or after the log's retirement")]
    AfterRetirement,
    /// Embedded, from a retired log, but the leaf was issued at or after the retirement.
    #[error("leaf issued at or after the log's retirement")]
    IssuedAfterRetirement,
}
