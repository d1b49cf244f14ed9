//! [`ValidDatabase`]: Apple's "Valid" database, as data the caller supplies.

use std::collections::{HashMap, HashSet};

use const_oid::ObjectIdentifier;

use super::rule::DistrustRule;
use crate::certificate::Certificate;

/// Apple's Valid database (`apple-trust.md §2, §9`): blocked and gray-listed certificates and
/// keys, issuer constraints, and the distrust-by-date rows (platforms.md). trustd consults it
/// for every certificate of every candidate path, whatever the policies; the library bundles no
/// list and does no I/O, so the caller fills one in and hands it to
/// [`TrustEvaluatorBuilder::valid_database`](crate::TrustEvaluatorBuilder::valid_database).
///
/// Every result is FORCED (it counts whatever the policy options), at the listed
/// certificate's own index:
///
/// | entry | check | class |
/// |---|---|---|
/// | [`block_certificate`](Self::block_certificate) | `BlackListedLeaf` | fatal |
/// | [`block_key`](Self::block_key) | `BlackListedKey` | fatal |
/// | [`gray_list_certificate`](Self::gray_list_certificate) | `GrayListedLeaf` | recoverable |
/// | [`gray_list_key`](Self::gray_list_key) | `GrayListedKey` | recoverable |
/// | [`constrain_policies`](Self::constrain_policies) | `IssuerPolicyConstraints` | recoverable when overridable, else fatal |
///
/// [`add_rule`](Self::add_rule) adds a date constraint or a distrust-by-date row; see
/// [`DistrustRule`]. A date constraint ([`DistrustRule::issued_after`]) whose date is past at
/// the verify time also requires CT: when the leaf's SCTs do not satisfy Apple's count rules,
/// `CTRequired` is recorded at index 0 (fatal, or recoverable when the constraint is
/// overridable), which needs the caller's CT log list
/// ([`TrustEvaluatorBuilder::ct_log_list`](crate::TrustEvaluatorBuilder::ct_log_list));
/// without one the verdict only notes the requirement. The older result models (platforms.md "Engines and result model") still
/// decide the class: on iOS 5–10 a blocked certificate is fatal only at the leaf, and on
/// iOS 5–6 a blocked key is recoverable. The database applies on every profile: give each
/// profile the entries its release would have had (before the Valid database, trustd's
/// built-in block lists).
///
/// These forced results are distinct from the policy-option forms of `BlackListedLeaf` /
/// `GrayListedLeaf` in the basic X.509 set, which count only when the option is present.
///
/// ```
/// use std::sync::Arc;
/// use sectrust::{BasicX509, Check, TrustEvaluator, TrustResult};
/// use sectrust::distrust::ValidDatabase;
/// # let pki = sectrust::testing::Pki::new();
/// let mut db = ValidDatabase::new();
/// db.block_key(*pki.intermediate.cert.spki_sha256());
/// let verdict = TrustEvaluator::builder()
///     .anchors([pki.root.cert.clone()])
///     .verify_time_unix(sectrust::testing::Pki::T_VALID)
///     .valid_database(Arc::new(db))
///     .build()
///     .evaluate(&pki.leaf.cert, &[pki.intermediate.cert.clone()], &[&BasicX509])?;
/// assert_eq!(verdict.result(), TrustResult::FatalTrustFailure);
/// assert_eq!(verdict.failures_at(1).next().map(|f| f.check), Some(Check::BlackListedKey));
/// # Ok::<(), sectrust::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidDatabase {
    pub(super) blocked_certs: HashSet<[u8; 32]>,
    pub(super) blocked_keys: HashSet<[u8; 32]>,
    pub(super) gray_certs: HashSet<[u8; 32]>,
    pub(super) gray_keys: HashSet<[u8; 32]>,
    pub(super) policy_constraints: HashMap<[u8; 32], IssuerPolicyConstraint>,
    pub(super) rules: Vec<DistrustRule>,
}

/// An issuer policy constraint of the Valid database: the CA's leaves must assert one of
/// `allowed` in their certificatePolicies.
///
/// Apple does not publish the data; the emulator reads the constraint as a list of
/// certificate-policy OIDs the leaf must carry one of, and records `IssuerPolicyConstraints`
/// at the constrained CA's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerPolicyConstraint {
    /// The certificate-policy OIDs allowed below the CA.
    pub allowed: Vec<ObjectIdentifier>,
    /// Recoverable when true, fatal otherwise.
    pub overridable: bool,
}

impl ValidDatabase {
    /// An empty database.
    pub fn new() -> Self {
        Self::default()
    }

    /// Blocks the certificate with this SHA-256 (`BlackListedLeaf`, fatal).
    pub fn block_certificate(&mut self, sha256: [u8; 32]) -> &mut Self {
        self.blocked_certs.insert(sha256);
        self
    }

    /// Blocks every certificate whose SubjectPublicKeyInfo has this SHA-256 (`BlackListedKey`,
    /// fatal).
    pub fn block_key(&mut self, spki_sha256: [u8; 32]) -> &mut Self {
        self.blocked_keys.insert(spki_sha256);
        self
    }

    /// Gray-lists the certificate with this SHA-256 (`GrayListedLeaf`, recoverable).
    pub fn gray_list_certificate(&mut self, sha256: [u8; 32]) -> &mut Self {
        self.gray_certs.insert(sha256);
        self
    }

    /// Gray-lists every certificate whose SubjectPublicKeyInfo has this SHA-256
    /// (`GrayListedKey`, recoverable).
    pub fn gray_list_key(&mut self, spki_sha256: [u8; 32]) -> &mut Self {
        self.gray_keys.insert(spki_sha256);
        self
    }

    /// Constrains the CA with this certificate or SPKI SHA-256 to leaves asserting one of
    /// `allowed` (`IssuerPolicyConstraints`, see [`IssuerPolicyConstraint`]).
    pub fn constrain_policies(
        &mut self,
        ca_sha256: [u8; 32],
        allowed: Vec<ObjectIdentifier>,
        overridable: bool,
    ) -> &mut Self {
        self.policy_constraints.insert(
            ca_sha256,
            IssuerPolicyConstraint {
                allowed,
                overridable,
            },
        );
        self
    }

    /// Adds a date constraint or a distrust-by-date row.
    pub fn add_rule(&mut self, rule: DistrustRule) -> &mut Self {
        self.rules.push(rule);
        self
    }

    /// The date constraints and distrust rows, in the order added.
    pub fn rules(&self) -> &[DistrustRule] {
        &self.rules
    }

    /// Whether the database holds nothing.
    pub fn is_empty(&self) -> bool {
        self.blocked_certs.is_empty()
            && self.blocked_keys.is_empty()
            && self.gray_certs.is_empty()
            && self.gray_keys.is_empty()
            && self.policy_constraints.is_empty()
            && self.rules.is_empty()
    }

    /// The issuer policy constraint on `cert`, by certificate or SPKI SHA-256.
    pub fn policy_constraint(&self, cert: &Certificate) -> Option<&IssuerPolicyConstraint> {
        self.policy_constraints
            .get(cert.sha256())
            .or_else(|| self.policy_constraints.get(cert.spki_sha256()))
    }
}
