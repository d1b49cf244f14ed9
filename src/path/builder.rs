//! The path builder: finds candidate paths depth-first, anchors first, widening parent sources
//! one at a time until a final path is found, setting aside paths whose issuer fails the issuer
//! checks, and keeps the best one (`apple-trust.md §4`).

use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::{Arc, OnceLock};

use super::IssuerSource;
use super::budget::{APPLE_PATH_CAP, MAX_DEPTH, MAX_SEARCH_STEPS, MAX_SIGNATURE_CHECKS, Work};
use super::ca_issuers::{CaIssuersFetcher, Downloads};
use super::cache::SignatureCache;
use super::small_map::SmallMap;
use super::validate::{self, Validated};
use super::{ev, score};
use crate::anchors::{AnchorIndex, AnchorStatus, PolicyInfo};
use crate::certificate::Certificate;
use crate::crypto::SignatureVerifier;
use crate::distrust::ValidDatabase;
use crate::path::policy_tree::PolicySettings;
use crate::platform::{Platform, RuleId, RuleSet};
use crate::policy::Policy;
use crate::policy::checks::CtInputs;
use crate::verdict::TrustExceptions;

/// Everything one evaluation needs, plus its caches and work counters.
pub(crate) struct Builder<'a> {
    pub(crate) platform: Platform,
    pub(crate) rules: RuleSet,
    pub(crate) verify_time: i64,
    pub(crate) anchors: AnchorIndex<'a>,
    pub(crate) policies: &'a [&'a dyn Policy],
    pub(crate) infos: &'a [PolicyInfo],
    pub(crate) verifier: &'a dyn SignatureVerifier,
    pub(crate) policy_settings: &'a PolicySettings,
    /// Caller intermediates, then each configured source: widened one level at a time.
    pub(crate) intermediates: &'a [Certificate],
    pub(crate) sources: &'a [Arc<dyn IssuerSource>],
    /// The CA Issuers fetcher, the last parent source; `None` also when the network may not be
    /// used (`apple-trust.md §4`: offline means none).
    pub(crate) ca_issuers: Option<&'a dyn CaIssuersFetcher>,
    /// Apple's Valid database, when the caller supplies one.
    pub(crate) valid_db: Option<&'a ValidDatabase>,
    /// The caller's exceptions, when they apply to this leaf (`SecTrustSetExceptions`).
    pub(crate) exceptions: Option<&'a TrustExceptions>,
    /// The CT inputs and the outcomes computed so far.
    pub(crate) ct: CtInputs<'a>,
    /// The revocation inputs, settings and caches (`apple-trust.md §9`).
    pub(crate) revocation: crate::revocation::check::Context<'a>,
    /// The evaluator's memo of whether each app anchor (`anchors.app`, same order) is
    /// self-signed, shared across evaluations (empty: no memo).
    pub(crate) app_anchor_self_signed: &'a [OnceLock<bool>],
    /// A signature cache shared with other evaluations (`TrustEvaluatorBuilder::with_cache`).
    pub(crate) shared_signatures: Option<&'a SignatureCache>,
    pub(crate) work: Work,
    /// Whether (child, issuer key) verified.
    signatures: SmallMap<(ByDer, BySpki), bool, DigestHash>,
    seen_paths: SmallMap<Vec<ByDer>, (), DigestHash>,
    /// How far the parent sources are widened.
    level: Level,
    /// The anchors-only stores, for chaining only (their level).
    chaining_only: Vec<Certificate>,
    /// What the CA Issuers fetcher gave, per URL.
    downloads: Downloads,
    /// Partial paths whose issuer failed the issuer checks, set aside (`apple-trust.md §4`).
    rejected: Vec<Vec<Certificate>>,
    seen_rejected: SmallMap<Vec<ByDer>, (), DigestHash>,
    /// Re-processing the rejected paths: nothing is set aside, nothing accepted.
    considering_rejected: bool,
    /// Whether some path could be extended validation (Apple's `canBeEV`, [`ev`]).
    can_be_ev: bool,
    best: Option<Validated>,
    found: usize,
    stop: bool,
}

/// The parent sources, widened one at a time in this order (`apple-trust.md §4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// The certificates the caller passed.
    Caller,
    /// The caller's issuer sources up to this index (a keychain's role), in configured order.
    Source(usize),
    /// With anchors-only: Apple's, the system and the user stores, for chaining, not trust.
    ChainingOnly,
    /// CA Issuers downloads, when the network may be used and a fetcher is set.
    CaIssuers,
}

/// What the search produced.
pub(crate) struct Outcome {
    pub(crate) best: Validated,
    pub(crate) work: Work,
    /// Notes from the search itself (CA Issuers downloads).
    pub(crate) notes: Vec<String>,
}

impl<'a> Builder<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        platform: Platform,
        verify_time: i64,
        anchors: AnchorIndex<'a>,
        policies: &'a [&'a dyn Policy],
        infos: &'a [PolicyInfo],
        verifier: &'a dyn SignatureVerifier,
        policy_settings: &'a PolicySettings,
        intermediates: &'a [Certificate],
        sources: &'a [Arc<dyn IssuerSource>],
        ct: CtInputs<'a>,
    ) -> Self {
        Builder {
            platform,
            rules: platform.rules(),
            verify_time,
            anchors,
            policies,
            infos,
            verifier,
            policy_settings,
            intermediates,
            sources,
            ca_issuers: None,
            valid_db: None,
            exceptions: None,
            ct,
            revocation: Default::default(),
            app_anchor_self_signed: &[],
            shared_signatures: None,
            work: Work::default(),
            signatures: SmallMap::default(),
            seen_paths: SmallMap::default(),
            level: Level::Caller,
            chaining_only: Vec::new(),
            downloads: Downloads::default(),
            rejected: Vec::new(),
            seen_rejected: SmallMap::default(),
            considering_rejected: false,
            can_be_ev: false,
            best: None,
            found: 0,
            stop: false,
        }
    }

    /// Runs the search from `leaf` and returns the chosen path.
    ///
    /// Parent sources are widened one at a time (`apple-trust.md §4`): the caller's
    /// certificates; each configured [`IssuerSource`] (a keychain's role), in order; with
    /// anchors-only, the system and user stores for chaining only; last, CA Issuers downloads.
    /// Each level searches again from the leaf with every source up to it (paths already
    /// validated are not validated again), until a final path stops the search (see
    /// [`is_final`](Self::is_final)): an accepted path that is not final does not stop the
    /// widening, as Apple widens whenever its partial paths are exhausted. Then the paths set
    /// aside as rejected are re-processed with every source.
    pub(crate) fn run(mut self, leaf: &Certificate) -> Outcome {
        self.chaining_only = self.anchors.chaining_only();
        self.can_be_ev = ev::leaf_can_be_ev(&self.anchors, leaf);
        let mut levels = vec![Level::Caller];
        levels.extend((0..self.sources.len()).map(Level::Source));
        if !self.chaining_only.is_empty() {
            levels.push(Level::ChainingOnly);
        }
        if self.ca_issuers.is_some() {
            levels.push(Level::CaIssuers);
        }
        for level in levels {
            self.level = level;
            let mut path = vec![leaf.clone()];
            self.search(&mut path);
            if self.stop {
                break;
            }
        }
        if !self.stop {
            // Rejected paths, in the order they were set aside; never accepted, so they
            // cannot stop the search.
            self.considering_rejected = true;
            for mut path in std::mem::take(&mut self.rejected) {
                if self.out_of_budget() {
                    break;
                }
                self.search(&mut path);
            }
        }
        let best = match self.best.take() {
            Some(b) => b,
            None => {
                // Nothing at all was validated (budget spent before the first path).
                self.work.exhausted = true;
                validate::validate(
                    &mut self,
                    vec![leaf.clone()],
                    AnchorStatus::No,
                    false,
                    false,
                )
            }
        };
        Outcome {
            best,
            work: self.work,
            notes: self.downloads.notes,
        }
    }

    fn out_of_budget(&mut self) -> bool {
        let capped = self.rules.contains(RuleId::PathCap) && self.work.paths >= APPLE_PATH_CAP;
        if capped || self.work.steps >= MAX_SEARCH_STEPS {
            self.work.exhausted |= self.work.steps >= MAX_SEARCH_STEPS;
            return true;
        }
        false
    }

    /// Depth-first search from the partial `path`, with the parent sources of the current
    /// level.
    fn search(&mut self, path: &mut Vec<Certificate>) {
        if self.stop {
            return;
        }
        let Some(last) = path.last().cloned() else {
            return;
        };
        let is_leaf = path.len() == 1;
        // Only a user trust setting reads it; each check costs a signature verification.
        let self_signed = self.anchors.has_user_setting(&last) && self.is_self_signed(&last);
        // A path ends at the first qualifying anchor (`apple-trust.md §4`).
        match self.anchors.status(&last, is_leaf, self_signed) {
            AnchorStatus::No => {}
            status => {
                self.complete(path.clone(), status, false);
                return;
            }
        }
        if self.out_of_budget() {
            self.complete(path.clone(), AnchorStatus::No, false);
            return;
        }
        // All anchor sources first.
        let mut anchor_issuers = Vec::new();
        self.anchors.issuers_of(&last, &mut anchor_issuers);
        let mut extended = false;
        for issuer in anchor_issuers {
            // Anchor candidates are paths too: Apple's cap and the step bound apply to them as
            // to parents (1,000 same-name anchors are not 1,000 validations).
            if self.stop || self.out_of_budget() {
                break;
            }
            if in_path(path, &issuer) {
                continue;
            }
            extended = true;
            let good = self.signed_by(&last, &issuer);
            let issuer_self_signed =
                self.anchors.has_user_setting(&issuer) && self.is_self_signed(&issuer);
            let status = self.anchors.status(&issuer, false, issuer_self_signed);
            path.push(issuer);
            self.work.paths += 1;
            self.work.steps += 1;
            if good && self.set_aside_if_rejected(path) {
                // Re-processed after every source is exhausted.
            } else if matches!(status, AnchorStatus::No) {
                // Found through an anchor source but not trusted for these policies (e.g. a
                // user Unspecified setting): an ordinary parent.
                if good && path.len() < MAX_DEPTH {
                    self.search(path);
                } else {
                    self.complete(path.clone(), AnchorStatus::No, !good);
                }
            } else {
                self.complete(path.clone(), status, !good);
            }
            path.pop();
        }
        // Then the parent sources of the current level (not once a final path is found: a
        // CA Issuers download would be wasted).
        if self.stop {
            return;
        }
        let parents = self.parents_of(&last);
        let mut unique: Vec<Certificate> = Vec::with_capacity(parents.len());
        for p in parents {
            if !unique.iter().any(|u| u.same_as(&p)) && !in_path(path, &p) {
                unique.push(p);
            }
        }
        for issuer in unique {
            if self.stop || self.out_of_budget() {
                break;
            }
            extended = true;
            let good = self.signed_by(&last, &issuer);
            path.push(issuer);
            self.work.paths += 1;
            self.work.steps += 1;
            if good && self.set_aside_if_rejected(path) {
                // Re-processed after every source is exhausted.
            } else if good && path.len() < MAX_DEPTH {
                self.search(path);
            } else {
                // A bad signature (or the depth bound) ends this branch: it stays a candidate
                // with its penalty, never accepted.
                self.complete(path.clone(), AnchorStatus::No, !good);
            }
            path.pop();
        }
        if !extended {
            self.complete(path.clone(), AnchorStatus::No, false);
        }
    }

    /// Candidate issuers of `cert` from the parent sources of the current level, in source
    /// order (`apple-trust.md §4`).
    fn parents_of(&mut self, cert: &Certificate) -> Vec<Certificate> {
        let by_name = |c: &&Certificate| c.subject().matches(cert.issuer());
        let mut parents: Vec<Certificate> =
            self.intermediates.iter().filter(by_name).cloned().collect();
        let sources = match self.level {
            Level::Caller => 0,
            Level::Source(k) => k + 1,
            Level::ChainingOnly | Level::CaIssuers => self.sources.len(),
        };
        for s in &self.sources[..sources] {
            s.issuers_of(cert, &mut parents);
        }
        if self.level >= Level::ChainingOnly {
            parents.extend(self.chaining_only.iter().filter(by_name).cloned());
        }
        if self.level == Level::CaIssuers
            && let Some(fetcher) = self.ca_issuers
        {
            self.downloads.issuers_of(fetcher, cert, &mut parents);
        }
        parents
    }

    /// Sets the partial `path` aside when its issuer (its last certificate) fails the issuer
    /// checks (`apple-trust.md §4`: "set aside ("rejected"): re-processed only after all sources
    /// are exhausted, and never accepted"), unless the rejected paths are being re-processed.
    /// Returns whether it was set aside. A partial found again at a wider level is set aside
    /// once.
    fn set_aside_if_rejected(&mut self, path: &[Certificate]) -> bool {
        if self.considering_rejected || !validate::issuer_rejected(self, path) {
            return false;
        }
        let key: Vec<ByDer> = path.iter().cloned().map(ByDer).collect();
        if self.seen_rejected.insert(key, ()) {
            self.rejected.push(path.to_vec());
        }
        true
    }

    /// Validates a complete candidate and keeps it if it is the best so far: the higher score,
    /// except that a rejected EV path replaces a non-EV best path that is not accepted, and a
    /// rejected non-EV path never replaces an EV one (`apple-trust.md §4`).
    fn complete(&mut self, path: Vec<Certificate>, anchor: AnchorStatus, bad_link: bool) {
        let key: Vec<ByDer> = path.iter().cloned().map(ByDer).collect();
        if !self.seen_paths.insert(key, ()) {
            return;
        }
        self.work.validated += 1;
        let mut v = validate::validate(self, path, anchor, bad_link, self.considering_rejected);
        v.order = self.found;
        self.found += 1;
        let stop_here = v.accepted && self.is_final(&v);
        // Scores are read only here, to compare two paths: a score `validate` left open (the
        // anchor's self-signature) is settled then, so a lone candidate never pays for it.
        let better = match self.best.take() {
            None => true,
            Some(mut best) => {
                self.settle_score(&mut best);
                self.settle_score(&mut v);
                // Not over an accepted best: a path set aside is never accepted, and trustd's EV
                // test includes the checks that rejected it, so replacing an accepted path would
                // turn a trust it grants into a failure (decision; the spec is silent).
                let better = if self.considering_rejected && v.ev != best.ev && !best.accepted {
                    v.ev
                } else {
                    score::better(&v, &best)
                };
                self.best = Some(best);
                better
            }
        };
        if better {
            self.best = Some(v);
        }
        if stop_here {
            self.stop = true;
        }
    }

    /// The stopping rule (`apple-trust.md §4`, platforms.md "Path builder by release"): stop at
    /// an accepted path that is EV or cannot be EV (the leaf cannot be: [`ev`]) and SHA-2 (or
    /// whose leaf is already weak, from 58286); releases ≤ 57337 have no SHA-2 preference.
    /// "SHA-2" is the scoring's weak-hash test, which skips the anchor of an (accepted, so
    /// anchored) path.
    fn is_final(&self, v: &Validated) -> bool {
        if self.can_be_ev && !v.ev {
            return false;
        }
        if self.rules.contains(RuleId::LegacyPathScoring)
            || !self.rules.contains(RuleId::StopOnSha2Path)
        {
            return true;
        }
        if !score::path_has_weak_hash(v) {
            return true;
        }
        self.rules.contains(RuleId::StopOnWeakLeafPath)
            && v.certs
                .first()
                .is_some_and(|l| l.signature_algorithm().is_weak_for_scoring())
    }

    /// Settles a score left open by `validate`: whether the path ends self-signed.
    fn settle_score(&mut self, v: &mut Validated) {
        if let Some(if_self_signed) = v.score_if_self_signed.take()
            && let Some(last) = v.certs.last()
            && self.is_self_signed(last)
        {
            v.score = if_self_signed;
        }
    }

    /// Whether `issuer`'s key verifies `child`'s signature (cached; bounded).
    pub(crate) fn signed_by(&mut self, child: &Certificate, issuer: &Certificate) -> bool {
        let key = (ByDer(child.clone()), BySpki(issuer.clone()));
        if let Some(&ok) = self.signatures.get(&key) {
            return ok;
        }
        if child.signature_algorithm().is_broken_hash() {
            // MD2/MD4/MD5 signatures are recognised, never verified: the link is accepted on
            // names alone and WeakSignature reports it (see `validate`).
            self.signatures.insert(key, true);
            return true;
        }
        // A shared cache answers without verifying (and without spending the budget).
        if let Some(ok) = self
            .shared_signatures
            .and_then(|c| c.get(issuer.spki_sha256(), child.sha256()))
        {
            self.signatures.insert(key, ok);
            return ok;
        }
        if self.work.signature_checks >= MAX_SIGNATURE_CHECKS {
            self.work.exhausted = true;
            return false;
        }
        self.work.signature_checks += 1;
        let ok = self.verifier.verify_certificate(child, issuer).is_ok();
        self.signatures.insert(key, ok);
        if let Some(c) = self.shared_signatures {
            c.insert(issuer.spki_sha256(), child.sha256(), ok);
        }
        ok
    }

    /// Self-issued and its signature verifies with its own key. For an app anchor the answer
    /// is kept in the evaluator's memo, so only the first evaluation verifies it.
    pub(crate) fn is_self_signed(&mut self, cert: &Certificate) -> bool {
        if !cert.is_self_issued() {
            return false;
        }
        let memo = self
            .anchors
            .app
            .iter()
            .position(|a| a.same_as(cert))
            .and_then(|i| self.app_anchor_self_signed.get(i));
        let Some(memo) = memo else {
            return self.signed_by(cert, cert);
        };
        let key = (ByDer(cert.clone()), BySpki(cert.clone()));
        if let Some(&ok) = memo.get() {
            self.signatures.insert(key, ok);
            return ok;
        }
        let ok = self.signed_by(cert, cert);
        // Only a real answer is kept, not a "no" from a spent signature budget.
        if self.signatures.contains_key(&key) {
            let _ = memo.set(ok);
        }
        ok
    }
}

/// A certificate as a key of the per-evaluation maps: equal when the DER is
/// ([`Certificate::same_as`]), hashed by its memoised keyed hash. No SHA-256 is computed.
#[derive(Clone)]
struct ByDer(Certificate);

impl PartialEq for ByDer {
    fn eq(&self, other: &Self) -> bool {
        self.0.same_as(&other.0)
    }
}

impl Eq for ByDer {}

impl Hash for ByDer {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.der_hash());
    }
}

/// A certificate's public key as a key of the signature map: equal when the
/// subjectPublicKeyInfo DER is, so certificates sharing a key share the answer.
struct BySpki(Certificate);

impl PartialEq for BySpki {
    fn eq(&self, other: &Self) -> bool {
        self.0.spki_der() == other.0.spki_der()
    }
}

impl Eq for BySpki {}

impl Hash for BySpki {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.spki_hash());
    }
}

/// The hasher of the per-evaluation caches, whose keys are already hashes (per-process keyed
/// SipHash values, memoised on each certificate): a multiply-rotate fold (FxHash's) instead of
/// hashing them again. The inputs cannot choose collisions of keyed hashes, and the maps are
/// bounded by the search budget.
type DigestHash = BuildHasherDefault<DigestHasher>;

#[derive(Default)]
struct DigestHasher(u64);

impl DigestHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Loop safety: the same certificate, or the same subject and key, already on the path.
fn in_path(path: &[Certificate], cert: &Certificate) -> bool {
    path.iter().any(|c| {
        c.same_as(cert) || (c.spki_der() == cert.spki_der() && c.subject().matches(cert.subject()))
    })
}
