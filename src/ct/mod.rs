//! Certificate Transparency for the `SystemTrustedCTRequired` check (`apple-trust.md §6`,
//! "CT required"; RFC 6962).
//!
//! Four steps, one file each:
//! - [`sct`]: read SCT lists (embedded in the leaf, from the TLS extension, from OCSP);
//! - [`log_list`]: the trusted logs and their states, built in code or parsed from JSON;
//! - [`verify`]: rebuild what each log signed and verify its signature;
//! - [`policy`]: Apple's count rules over the SCTs that verified.
//!
//! [`evaluate`] runs them all for one leaf. *Whether* CT is required (server SSL policy,
//! anchored and system-anchored path, non-Apple root, leaf issued on/after
//! [`CT_REQUIRED_FROM`] and valid at the verify time, a log list supplied, no
//! [`CtExceptions`] entry nor, on iOS 13, an exempt CA of that release) is decided by the option
//! checks (`policy::checks`) when a policy
//! carries `SystemTrustedCTRequired`, as [`Ssl::server`](crate::Ssl::server) does from
//! [`RuleId::CtRequired`](crate::RuleId::CtRequired). The caller supplies the log list and
//! the exceptions to [`TrustEvaluatorBuilder`](crate::TrustEvaluatorBuilder), and a
//! connection's [`StapledScts`] to
//! [`TrustEvaluator::evaluate_with_scts`](crate::TrustEvaluator::evaluate_with_scts). The other
//! platform rows are [`CtLifetimeInDays`](crate::RuleId::CtLifetimeInDays) and
//! [`CtIos13ExemptCas`](crate::RuleId::CtIos13ExemptCas). The same evaluation of the leaf
//! serves the `CTRequired` of Apple's Valid database ([`crate::distrust`]).

mod exceptions;
pub mod log_list;
pub mod outcome;
pub mod policy;
pub mod sct;
mod tbs;
pub mod verify;

pub use exceptions::CtExceptions;
pub use log_list::{CtLog, CtLogList, LogListError, LogState};
pub use outcome::{CtOutcome, CtRoute, IgnoreReason, IgnoredSct};
pub use policy::{CtRules, Lifetime, LifetimeRule, VerifiedSct, evaluate_policy};
pub use sct::{SCT_LIST_OID, Sct, SctError, SctOrigin, StapledScts};
pub use tbs::precert_tbs;
pub use verify::{LogEntry, signed_data_precert, signed_data_x509, verify_sct, verify_scts};

use crate::certificate::Certificate;
use crate::crypto::SignatureVerifier;

/// 2018-10-16T00:00:00Z: CT is required for leaves whose notBefore is on or after it
/// (`apple-trust.md §6`; Apple HT205280).
pub const CT_REQUIRED_FROM: i64 = 1_539_648_000;

/// At most this many SCTs are examined per evaluation (each may cost a signature check). A
/// leaf carries 2–5 and a handshake adds a few; 64 is far above any real chain while bounding
/// the work a hostile 64 KiB list (up to 32,767 items) could cause. The rest are reported as
/// [`IgnoreReason::OverBudget`].
pub const MAX_SCTS: usize = 64;

/// The leaf as CT sees it: its DER, TBS and dates, and its issuer's key (the raw values of
/// [`Certificate`]'s accessors, so the steps can be driven without a parsed certificate).
#[derive(Debug, Clone, Copy)]
pub struct CtLeaf<'a> {
    /// The leaf's DER (the x509 entry of TLS-extension and OCSP SCTs).
    pub der: &'a [u8],
    /// The leaf's raw TBSCertificate (holds the embedded SCTs; rebuilt as the precertificate).
    pub tbs_der: &'a [u8],
    /// The issuer's SubjectPublicKeyInfo DER; without it embedded SCTs cannot be verified.
    pub issuer_spki_der: Option<&'a [u8]>,
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds.
    pub not_after: i64,
}

impl<'a> CtLeaf<'a> {
    /// The leaf and (when the path has one) the certificate that issued it.
    pub fn new(leaf: &'a Certificate, issuer: Option<&'a Certificate>) -> Self {
        CtLeaf {
            der: leaf.der(),
            tbs_der: leaf.tbs_der(),
            issuer_spki_der: issuer.map(Certificate::spki_der),
            not_before: leaf.not_before(),
            not_after: leaf.not_after(),
        }
    }
}

/// Verifies every SCT of `leaf` and of `external` (TLS-encoded SCT lists from the TLS
/// extension or an OCSP response) against `logs`, then applies the count rules at
/// `verify_time` (Unix seconds). Reasons for SCTs that did not count are in the outcome, those
/// from verification first.
pub fn evaluate(
    leaf: &CtLeaf<'_>,
    external: &[(SctOrigin, &[u8])],
    logs: &CtLogList,
    verify_time: i64,
    rules: CtRules,
    verifier: &dyn SignatureVerifier,
) -> CtOutcome {
    let (verified, mut ignored) = verify_scts(leaf, external, logs, verifier);
    let mut outcome = evaluate_policy(
        &verified,
        logs,
        leaf.not_before,
        leaf.not_after,
        verify_time,
        rules,
    );
    ignored.append(&mut outcome.ignored);
    outcome.ignored = ignored;
    outcome
}

/// A log ID's first 8 bytes in hex, for messages.
pub(crate) fn short_id(id: &[u8; 32]) -> String {
    format!("{}…", crate::certificate::hex(&id[..8]))
}

/// Unix seconds as RFC 3339 UTC, for messages.
pub(crate) fn utc(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("{secs} (Unix seconds)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole check on a generated leaf: two logs' embedded SCTs satisfy a 90-day leaf
    /// under iOS 15 rules; a third log's SCT dated after the verify time is set aside.
    #[test]
    fn evaluate_end_to_end() {
        use crate::testing::Pki;
        use crate::testing::ct::{TestLog, with_embedded_scts};

        let nb = policy::DAYS_POLICY_FROM;
        let (a, b, c) = (
            TestLog::new(101, LogState::Usable { since: 0 }),
            TestLog::new(102, LogState::ReadOnly { since: nb + 3600 }),
            TestLog::new(103, LogState::Qualified { since: 0 }),
        );
        let pki = Pki::new();
        let (leaf, _) = with_embedded_scts(
            pki.leaf_builder().validity_unix(nb, nb + 90 * 86_400),
            &[(&a, nb), (&b, nb + 60), (&c, nb + 10 * 86_400)],
        );
        let ct_leaf = CtLeaf::new(&leaf.cert, Some(&pki.intermediate.cert));
        let logs = CtLogList::new()
            .with_log(a.log.clone())
            .with_log(b.log.clone())
            .with_log(c.log.clone());
        let vt = nb + 86_400;
        let verifier = crate::crypto::default_verifier();
        let out = evaluate(
            &ct_leaf,
            &[],
            &logs,
            vt,
            CtRules::DAYS_FROM_2021,
            verifier.as_ref(),
        );
        assert!(out.satisfied, "{out}");
        assert_eq!(out.route, Some(CtRoute::Embedded));
        assert_eq!((out.counted_logs, out.required), (2, 2));
        assert_eq!(out.ignored.len(), 1);
        assert_eq!(out.ignored[0].reason, IgnoreReason::InTheFuture);
        assert!(
            out.to_string()
                .ends_with("dated 2021-05-01T00:00:00Z: dated after the verify time"),
            "{out}"
        );
        // Unknown logs: nothing counts.
        let none = evaluate(
            &ct_leaf,
            &[],
            &CtLogList::new(),
            vt,
            CtRules::DAYS_FROM_2021,
            verifier.as_ref(),
        );
        assert!(!none.satisfied);
        assert_eq!(none.route, None);
        assert_eq!(none.ignored.len(), 3);
    }

    #[test]
    fn message_helpers() {
        assert_eq!(utc(CT_REQUIRED_FROM), "2018-10-16T00:00:00Z");
        assert_eq!(utc(i64::MAX), format!("{} (Unix seconds)", i64::MAX));
        assert_eq!(short_id(&[0xab; 32]), "abababababababab…");
    }
}
