//! The distrust-by-date table of platforms.md as data rows: which CA family, which of its
//! certificates, which issuance dates, and what the failure is.

use std::fmt;

use const_oid::ObjectIdentifier;

use crate::certificate::Certificate;
use crate::platform::RuleId;
use crate::policy::Ssl;
use crate::verdict::Check;

/// `kSecPolicyAppleSMIME` (1.2.840.113635.100.1.8).
pub const SMIME_POLICY_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113635.100.1.8");
/// `kSecPolicyAppleTimeStamping` (1.2.840.113635.100.1.20).
pub const TIMESTAMPING_POLICY_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113635.100.1.20");

/// 2016-12-01T00:00:00Z: WoSign / StartCom descendants issued on or after it are blocked.
pub const WOSIGN_CUTOFF: i64 = 1_480_550_400;
/// 2016-06-01T00:00:00Z: Symantec TLS leaves issued before it are distrusted (NOT VERIFIED).
pub const SYMANTEC_CUTOFF: i64 = 1_464_739_200;
/// 2018-01-01T00:00:00Z: the verify time from which the Symantec row applies ("from 2018";
/// NOT VERIFIED — platforms.md gives only the year).
pub const SYMANTEC_EFFECTIVE: i64 = 1_514_764_800;
/// 2024-11-15T00:00:00Z: Entrust and Camerfirma 2008 leaves issued after it are distrusted.
///
/// "After 2024-11-15" is read as `apple-trust.md §1` reads "after D": notBefore strictly
/// greater than the instant 2024-11-15T00:00:00Z.
pub const ENTRUST_CAMERFIRMA_CUTOFF: i64 = 1_731_628_800;

/// A CA family of the distrust table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CaFamily {
    /// WoSign and StartCom.
    WoSignStartCom,
    /// Symantec, including Thawte, GeoTrust and RapidSSL.
    Symantec,
    /// Entrust.
    Entrust,
    /// AC Camerfirma's 2008 roots.
    Camerfirma2008,
    /// Any other CA the caller's Valid-database data constrains.
    Other(String),
}

impl fmt::Display for CaFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaFamily::WoSignStartCom => f.write_str("WoSign / StartCom"),
            CaFamily::Symantec => f.write_str("Symantec"),
            CaFamily::Entrust => f.write_str("Entrust"),
            CaFamily::Camerfirma2008 => f.write_str("Camerfirma 2008"),
            CaFamily::Other(name) => f.write_str(name),
        }
    }
}

/// Which issuance dates a rule distrusts, compared with a certificate's notBefore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IssuedWhen {
    /// notBefore < date.
    Before,
    /// notBefore ≥ date ("from D", `apple-trust.md §1`).
    OnOrAfter,
    /// notBefore > date ("after D", `apple-trust.md §1`).
    After,
}

impl IssuedWhen {
    /// Whether a certificate with `not_before` falls on the distrusted side of `date`.
    pub const fn matches(self, not_before: i64, date: i64) -> bool {
        match self {
            IssuedWhen::Before => not_before < date,
            IssuedWhen::OnOrAfter => not_before >= date,
            IssuedWhen::After => not_before > date,
        }
    }
}

/// What a rule records, and where (`apple-trust.md §2`, Apple's Valid database; platforms.md
/// "Distrust by date"). Every result is forced: it counts whatever the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DistrustEffect {
    /// An overridable Valid-database date constraint: each distrusted CHILD of a matched CA
    /// (the certificate directly below it) fails `GrayListedKey` (recoverable) at the child's
    /// index.
    GrayListedKey,
    /// A non-overridable Valid-database date constraint: each distrusted CHILD fails
    /// `Revocation` with reason 0 (fatal) at the child's index.
    Revoked,
    /// The WoSign / StartCom rule of 58286: when ANY descendant of a matched CA is distrusted,
    /// the CA itself fails `BlackListedKey` (fatal) at its own index.
    BlackListedKeyAtCa,
}

impl DistrustEffect {
    /// The check key recorded.
    pub const fn check(self) -> Check {
        match self {
            DistrustEffect::GrayListedKey => Check::GrayListedKey,
            DistrustEffect::Revoked => Check::Revocation,
            DistrustEffect::BlackListedKeyAtCa => Check::BlackListedKey,
        }
    }
}

/// One row of the distrust-by-date table: the CAs of a family, identified by data, and the
/// issuance dates they are no longer trusted for.
///
/// The library bundles no hashes: pass the SHA-256 of each CA certificate of the family, or of
/// its SubjectPublicKeyInfo (a rule matches either). The Valid-database encodings
/// ([`GrayListedKey`](DistrustEffect::GrayListedKey), [`Revoked`](DistrustEffect::Revoked))
/// judge only the certificate directly below a matched CA, as Apple's date constraints do: to
/// reach leaves issued under intermediates, list the family's issuing intermediates too.
///
/// ```
/// use sectrust::distrust::{DistrustEffect, DistrustRule};
/// let rule = DistrustRule::entrust(vec![[7; 32]]);
/// assert_eq!(rule.effect, DistrustEffect::Revoked);
/// assert!(rule.verified);
/// assert!(!DistrustRule::symantec(vec![[8; 32]]).verified);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrustRule {
    /// The CA family.
    pub family: CaFamily,
    /// SHA-256 of the family's CA certificates or of their SubjectPublicKeyInfo.
    pub matches: Vec<[u8; 32]>,
    /// Which side of `date` is distrusted.
    pub when: IssuedWhen,
    /// The cutoff, Unix seconds (compared with notBefore).
    pub date: i64,
    /// What is recorded, and at which index.
    pub effect: DistrustEffect,
    /// Apple policy OIDs the rule applies to (any evaluated policy must be one of them); empty
    /// means every policy.
    pub policies: Vec<ObjectIdentifier>,
    /// The verify time from which the rule applies, Unix seconds (`None`: always).
    pub effective_from: Option<i64>,
    /// The platform-table row that must apply to the profile (`None`: every profile — the
    /// caller supplies the data of the release being emulated).
    pub platform_rule: Option<RuleId>,
    /// Whether the row has published evidence (the Symantec row does not).
    pub verified: bool,
    /// Where the row comes from.
    pub evidence: String,
}

impl DistrustRule {
    /// A Valid-database date constraint on the CAs `matches`: each child issued after `date`
    /// fails `GrayListedKey` when `overridable`, else `Revocation` with reason 0
    /// (`apple-trust.md §2`). Once `date` is in the past, the CAs' children also need CT
    /// (`CTRequired`, see [`ValidDatabase`](super::ValidDatabase)).
    pub fn issued_after(
        family: CaFamily,
        matches: Vec<[u8; 32]>,
        date: i64,
        overridable: bool,
    ) -> Self {
        DistrustRule {
            family,
            matches,
            when: IssuedWhen::After,
            date,
            effect: if overridable {
                DistrustEffect::GrayListedKey
            } else {
                DistrustEffect::Revoked
            },
            policies: Vec::new(),
            effective_from: None,
            platform_rule: None,
            verified: true,
            evidence: "caller's Valid-database data (apple-trust.md §2)".to_owned(),
        }
    }

    /// WoSign / StartCom: `cert_sha256` are the whole-certificate SHA-256 of the family's CAs.
    /// Any descendant issued on or after 2016-12-01 makes the CA fail `BlackListedKey` at its
    /// own index, whatever the anchor and the policy; from 58286 (iOS 11, macOS 10.13).
    pub fn wosign_startcom(cert_sha256: Vec<[u8; 32]>) -> Self {
        DistrustRule {
            family: CaFamily::WoSignStartCom,
            matches: cert_sha256,
            when: IssuedWhen::OnOrAfter,
            date: WOSIGN_CUTOFF,
            effect: DistrustEffect::BlackListedKeyAtCa,
            policies: Vec::new(),
            effective_from: None,
            platform_rule: Some(RuleId::WoSignStartComDistrust),
            verified: true,
            evidence: "58286 source (platforms.md \"Distrust by date\"); announced for iOS 10"
                .to_owned(),
        }
    }

    /// Symantec (Thawte, GeoTrust, RapidSSL): TLS certificates issued before 2016-06-01 are
    /// distrusted from 2018 — NOT VERIFIED (an Apple support note; Valid-database data absent
    /// from the source). Encoded as a non-overridable date constraint under the SSL policy,
    /// applying from a verify time of 2018-01-01. The later full distrust is not modelled.
    pub fn symantec(matches: Vec<[u8; 32]>) -> Self {
        DistrustRule {
            family: CaFamily::Symantec,
            matches,
            when: IssuedWhen::Before,
            date: SYMANTEC_CUTOFF,
            effect: DistrustEffect::Revoked,
            policies: vec![Ssl::OID],
            effective_from: Some(SYMANTEC_EFFECTIVE),
            platform_rule: None,
            verified: false,
            evidence: "Apple support note; NOT VERIFIED (platforms.md \"Distrust by date\")"
                .to_owned(),
        }
    }

    /// Entrust: TLS, S/MIME and timestamping certificates issued after 2024-11-15 are
    /// distrusted (Apple support note 121668). Encoded as a non-overridable date constraint.
    pub fn entrust(matches: Vec<[u8; 32]>) -> Self {
        Self::tls_smime_timestamping(CaFamily::Entrust, matches)
    }

    /// AC Camerfirma's 2008 roots: as [`entrust`](Self::entrust).
    pub fn camerfirma(matches: Vec<[u8; 32]>) -> Self {
        Self::tls_smime_timestamping(CaFamily::Camerfirma2008, matches)
    }

    fn tls_smime_timestamping(family: CaFamily, matches: Vec<[u8; 32]>) -> Self {
        DistrustRule {
            policies: vec![Ssl::OID, SMIME_POLICY_OID, TIMESTAMPING_POLICY_OID],
            evidence: "Apple support note 121668; Valid-database data (platforms.md \"Distrust by \
                       date\")"
                .to_owned(),
            ..Self::issued_after(family, matches, ENTRUST_CAMERFIRMA_CUTOFF, false)
        }
    }

    /// Whether `cert` is one of the rule's CAs (by certificate or SPKI SHA-256).
    pub fn matches_certificate(&self, cert: &Certificate) -> bool {
        self.matches
            .iter()
            .any(|h| h == cert.sha256() || h == cert.spki_sha256())
    }

    /// Whether the rule judges the CA's direct children (the Valid-database encodings) rather
    /// than blocking the CA itself.
    pub const fn judges_children(&self) -> bool {
        !matches!(self.effect, DistrustEffect::BlackListedKeyAtCa)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(s: &str) -> i64 {
        time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
            .unwrap()
            .unix_timestamp()
    }

    #[test]
    fn cutoffs_are_the_table_dates() {
        assert_eq!(WOSIGN_CUTOFF, unix("2016-12-01T00:00:00Z"));
        assert_eq!(SYMANTEC_CUTOFF, unix("2016-06-01T00:00:00Z"));
        assert_eq!(SYMANTEC_EFFECTIVE, unix("2018-01-01T00:00:00Z"));
        assert_eq!(ENTRUST_CAMERFIRMA_CUTOFF, unix("2024-11-15T00:00:00Z"));
    }

    #[test]
    fn issuance_sides() {
        assert!(IssuedWhen::OnOrAfter.matches(10, 10));
        assert!(!IssuedWhen::After.matches(10, 10));
        assert!(IssuedWhen::After.matches(11, 10));
        assert!(IssuedWhen::Before.matches(9, 10));
        assert!(!IssuedWhen::Before.matches(10, 10));
    }
}
