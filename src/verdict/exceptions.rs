//! Caller exceptions: Apple's `SecTrustSetExceptions` / `SecTrustCopyExceptions`
//! (`apple-trust.md §1, §2`).

use std::fmt;

use super::{Check, Verdict};
use crate::certificate::{Certificate, hex};

/// The exception for one certificate of the chain: the checks allowed to fail on the
/// certificate at `cert_index`, bound to that certificate.
///
/// Apple binds an exception to its certificate by digest (`kSecCertificateDetailSHA1Digest`):
/// when the certificate at that index is another one, the entry does not apply. The emulator
/// binds by SHA-256, which plays the same role.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CertificateException {
    /// Index in the chain (0 = leaf).
    pub cert_index: usize,
    /// SHA-256 of the certificate the exception was made for (lower-case hex with `serde`).
    #[cfg_attr(feature = "serde", serde(with = "fingerprint"))]
    pub sha256: [u8; 32],
    /// The checks allowed to fail on it (may be empty: the leaf's entry always exists).
    pub checks: Vec<Check>,
}

/// Exceptions a caller supplies for one evaluation (`SecTrustSetExceptions`): per chain index,
/// the checks allowed to fail on that certificate. Pass them with
/// [`EvaluationInputs::exceptions`](crate::EvaluationInputs::exceptions).
///
/// What they do, as trustd does it:
/// - A counted RECOVERABLE failure at index `i` whose check the entry for `i` allows is
///   suppressed ([`SuppressionReason::Exception`](super::SuppressionReason::Exception)), after
///   the trust settings' allowed errors; so a path can be accepted through them. Fatal and deny
///   failures are never suppressed (`apple-trust.md §2`).
/// - An entry applies only to the certificate it was made for (see [`CertificateException`]).
/// - `SecTrustSetExceptions` discards exceptions with no entry for the evaluated leaf; so do
///   these ([`applies_to`](Self::applies_to)): they then have no effect at all.
/// - With exceptions in effect a trusted result is `Proceed` (`apple-trust.md §1`), on every
///   result model — on iOS 5–10 the only way to Proceed.
///
/// Apple also compares the detail value an exception stores with the failure's. Every
/// recoverable failure's value is `false`, except `Revocation` under the iOS 6–10 result models
/// (its CRL reason); the emulator keeps check keys only, so there an exception for
/// `Revocation` covers any reason.
///
/// ```
/// use sectrust::testing::Pki;
/// use sectrust::verdict::{SuppressionReason, TrustExceptions};
/// use sectrust::{BasicX509, EvaluationInputs, Ssl, TrustEvaluator, TrustResult};
/// let pki = Pki::new();
/// let evaluator = TrustEvaluator::builder()
///     .anchors([pki.root.cert.clone()])
///     .verify_time_unix(Pki::T_VALID)
///     .build();
/// let ssl = Ssl::server("other.example.org");
/// let intermediates = [pki.intermediate.cert.clone()];
/// let failing = evaluator.evaluate(&pki.leaf.cert, &intermediates, &[&ssl])?;
/// assert_eq!(failing.result(), TrustResult::RecoverableTrustFailure);
///
/// // The user accepts the risk: copy the exceptions and evaluate again.
/// let inputs = EvaluationInputs::new().exceptions(TrustExceptions::from_verdict(&failing));
/// let again = evaluator.evaluate_with_inputs(&pki.leaf.cert, &intermediates, &[&ssl], &inputs)?;
/// assert_eq!(again.result(), TrustResult::Proceed);
/// assert_eq!(again.suppressed()[0].reason, SuppressionReason::Exception);
/// # Ok::<(), sectrust::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct TrustExceptions {
    entries: Vec<CertificateException>,
}

impl TrustExceptions {
    /// No exceptions (Apple: none set).
    pub fn new() -> Self {
        Self::default()
    }

    /// `SecTrustCopyExceptions`: an entry for the leaf (always, even when it has no failure)
    /// and for every other certificate of the verdict's chain with a failure, each allowing
    /// that certificate's failed checks and bound to it.
    ///
    /// Like Apple, every counted failure is copied, fatal and deny ones included: they are
    /// never suppressed on evaluation, whatever the exceptions say.
    pub fn from_verdict(verdict: &Verdict) -> Self {
        let entries = verdict
            .chain()
            .iter()
            .enumerate()
            .filter_map(|(i, cert)| {
                let mut checks: Vec<Check> = verdict.failures_at(i).map(|f| f.check).collect();
                checks.dedup();
                (i == 0 || !checks.is_empty()).then(|| CertificateException {
                    cert_index: i,
                    sha256: *cert.sha256(),
                    checks,
                })
            })
            .collect();
        TrustExceptions { entries }
    }

    /// Allows `check` to fail on `cert` at chain index `index` (0 = leaf). An entry already at
    /// `index` for the same certificate gains the check; one made for another certificate is
    /// replaced. Give the leaf an entry (an empty one will do, see
    /// [`bind`](Self::bind)), or the exceptions are discarded.
    pub fn allow(self, index: usize, cert: &Certificate, check: Check) -> Self {
        let mut out = self.bind(index, cert);
        if let Some(e) = out.entries.iter_mut().find(|e| e.cert_index == index)
            && !e.checks.contains(&check)
        {
            e.checks.push(check);
        }
        out
    }

    /// Gives `cert` at chain index `index` an entry (allowing nothing more), replacing an
    /// entry made there for another certificate. An entry for the leaf alone makes a trusted
    /// result `Proceed`.
    pub fn bind(mut self, index: usize, cert: &Certificate) -> Self {
        let sha256 = *cert.sha256();
        match self.entries.iter_mut().find(|e| e.cert_index == index) {
            Some(e) if e.sha256 == sha256 => {}
            Some(e) => {
                e.sha256 = sha256;
                e.checks.clear();
            }
            None => {
                self.entries.push(CertificateException {
                    cert_index: index,
                    sha256,
                    checks: Vec::new(),
                });
                self.entries.sort_by_key(|e| e.cert_index);
            }
        }
        self
    }

    /// The entries, by chain index.
    pub fn entries(&self) -> &[CertificateException] {
        &self.entries
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether these exceptions take effect for an evaluation of `leaf`: they hold an entry for
    /// `leaf` at index 0 (`SecTrustSetExceptions` returns false and discards them otherwise).
    pub fn applies_to(&self, leaf: &Certificate) -> bool {
        self.entry(0).is_some_and(|e| &e.sha256 == leaf.sha256())
    }

    /// Whether the entry for `index` is bound to `cert` and allows `check`.
    pub(crate) fn allows(&self, index: usize, cert: &Certificate, check: Check) -> bool {
        self.entry(index)
            .is_some_and(|e| &e.sha256 == cert.sha256() && e.checks.contains(&check))
    }

    fn entry(&self, index: usize) -> Option<&CertificateException> {
        self.entries.iter().find(|e| e.cert_index == index)
    }
}

impl From<&Verdict> for TrustExceptions {
    fn from(verdict: &Verdict) -> Self {
        TrustExceptions::from_verdict(verdict)
    }
}

impl fmt::Display for CertificateException {
    /// `[0] 3f2a…(16 hex digits): SSLHostname, TemporalValidity`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fingerprint = hex(&self.sha256);
        write!(f, "[{}] {}", self.cert_index, &fingerprint[..16])?;
        let keys: Vec<&str> = self.checks.iter().map(|c| c.key()).collect();
        if keys.is_empty() {
            f.write_str(": (no check)")
        } else {
            write!(f, ": {}", keys.join(", "))
        }
    }
}

impl fmt::Display for TrustExceptions {
    /// One entry per line; `no exceptions` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entries.is_empty() {
            return f.write_str("no exceptions");
        }
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// A SHA-256 as 64 lower-case hex digits (upper case accepted on reading).
#[cfg(feature = "serde")]
mod fingerprint {
    pub(super) fn serialize<S: serde::Serializer>(v: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::certificate::hex(v))
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<[u8; 32], D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        crate::certificate::parse_sha256_hex(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a hex SHA-256")))
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::testing::Pki;

    #[test]
    fn allow_binds_entries_and_replaces_another_certificates() {
        let pki = Pki::new();
        let ex = TrustExceptions::new()
            .allow(1, &pki.intermediate.cert, Check::TemporalValidity)
            .allow(0, &pki.leaf.cert, Check::SslHostname)
            .allow(0, &pki.leaf.cert, Check::SslHostname);
        assert_eq!(ex.entries().len(), 2);
        assert_eq!(ex.entries()[0].cert_index, 0);
        assert_eq!(ex.entries()[0].checks, [Check::SslHostname]);
        assert!(ex.applies_to(&pki.leaf.cert));
        assert!(!ex.applies_to(&pki.intermediate.cert));
        assert!(ex.allows(1, &pki.intermediate.cert, Check::TemporalValidity));
        assert!(!ex.allows(1, &pki.root.cert, Check::TemporalValidity));
        // Rebinding index 1 to the root drops what was allowed for the intermediate.
        let ex = ex.bind(1, &pki.root.cert);
        assert!(ex.entries()[1].checks.is_empty());
        assert!(ex.to_string().starts_with("[0] "), "{ex}");
        assert!(ex.to_string().ends_with(": (no check)"), "{ex}");
        assert_eq!(TrustExceptions::new().to_string(), "no exceptions");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trip_names_certificates_by_fingerprint() {
        let pki = Pki::new();
        let ex = TrustExceptions::new().allow(0, &pki.leaf.cert, Check::SslHostname);
        let json = serde_json::to_string(&ex).unwrap();
        assert_eq!(
            json,
            format!(
                r#"[{{"cert_index":0,"sha256":"{}","checks":["SSLHostname"]}}]"#,
                pki.leaf.cert.sha256_hex()
            )
        );
        let back: TrustExceptions = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ex);
        assert!(
            serde_json::from_str::<TrustExceptions>(
                r#"[{"cert_index":0,"sha256":"zz","checks":[]}]"#
            )
            .is_err()
        );
    }
}
