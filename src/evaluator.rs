//! [`TrustEvaluator`]: `SecTrustCreateWithCertificates` + `SecTrustEvaluateWithError` +
//! `SecTrustCopyResult` (`apple-trust.md §1`).

use std::sync::{Arc, OnceLock};

use time::OffsetDateTime;

use crate::anchors::{AnchorIndex, PolicyInfo, SystemStore, TrustSetting};
use crate::batch::Batch;
use crate::certificate::Certificate;
use crate::crypto::{SignatureVerifier, default_verifier};
use crate::ct::{CtExceptions, CtLogList, StapledScts};
use crate::distrust::ValidDatabase;
use crate::error::Error;
use crate::path::builder::Builder;
use crate::path::policy_tree::PolicySettings;
use crate::path::{CaIssuersFetcher, IssuerSource, SignatureCache};
use crate::platform::Platform;
use crate::policy::checks::CtInputs;
use crate::policy::{BasicX509, Policy};
use crate::revocation::{OcspFetcher, RevocationInputs};
use crate::verdict::{TrustExceptions, Verdict, primary_error, result_of};

/// Evaluates trust under one platform profile with one set of anchors and settings.
///
/// Build it once with [`TrustEvaluator::builder`] and call [`TrustEvaluator::evaluate`] for each
/// leaf; it is `Send + Sync` and cheap to share.
#[derive(Debug, Clone)]
pub struct TrustEvaluator {
    platform: Platform,
    app_anchors: Vec<Certificate>,
    anchors_only: bool,
    system: Arc<SystemStore>,
    user_trust: Vec<TrustSetting>,
    verify_time: i64,
    sources: Vec<Arc<dyn IssuerSource>>,
    network_allowed: bool,
    verifier: Arc<dyn SignatureVerifier>,
    policy_settings: PolicySettings,
    valid_database: Option<Arc<ValidDatabase>>,
    ct_logs: Option<Arc<CtLogList>>,
    ct_exceptions: Arc<CtExceptions>,
    ocsp_fetcher: Option<Arc<dyn OcspFetcher>>,
    ca_issuers_fetcher: Option<Arc<dyn CaIssuersFetcher>>,
    rfc5280_revocation: bool,
    /// Whether each app anchor is self-signed, found on first use and kept for the evaluator's
    /// life (its anchors and verifier never change): Apple's `SecCertificateIsSelfSigned`
    /// caches the same on the certificate. Saves one signature check per evaluation.
    app_anchor_self_signed: Arc<[OnceLock<bool>]>,
    cache: Option<Arc<SignatureCache>>,
    /// Certificates (SHA-256) assumed revoked: a diagnosis's what-if, never set by a builder.
    assumed_revoked: Vec<[u8; 32]>,
}

/// Per-evaluation inputs beyond the certificates: what the connection delivered with them.
///
/// ```
/// use sectrust::EvaluationInputs;
/// use sectrust::revocation::RevocationInputs;
/// # let stapled_ocsp_der: Vec<u8> = Vec::new();
/// let inputs = EvaluationInputs::new()
///     .revocation(RevocationInputs::new().ocsp_response(stapled_ocsp_der));
/// # let _ = inputs;
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct EvaluationInputs {
    /// SCTs delivered outside the certificate (TLS extension, stapled OCSP): CT's external
    /// route (`apple-trust.md §6`).
    pub scts: StapledScts,
    /// Stapled or cached OCSP responses and CRLs (`apple-trust.md §9`).
    pub revocation: RevocationInputs,
    /// The caller's exceptions (`SecTrustSetExceptions`, `apple-trust.md §1, §2`): per
    /// certificate, the recoverable failures to ignore. They are bound to certificates, so
    /// they belong to one evaluation, not to the evaluator.
    pub exceptions: TrustExceptions,
}

impl EvaluationInputs {
    /// No stapled SCTs, no revocation data.
    pub fn new() -> Self {
        Self::default()
    }

    /// With these stapled SCTs.
    #[must_use]
    pub fn scts(mut self, scts: StapledScts) -> Self {
        self.scts = scts;
        self
    }

    /// With these OCSP responses and CRLs.
    #[must_use]
    pub fn revocation(mut self, revocation: RevocationInputs) -> Self {
        self.revocation = revocation;
        self
    }

    /// With these exceptions (`SecTrustSetExceptions`): made with
    /// [`TrustExceptions::from_verdict`] from an earlier verdict, or by hand.
    #[must_use]
    pub fn exceptions(mut self, exceptions: TrustExceptions) -> Self {
        self.exceptions = exceptions;
        self
    }
}

/// Builder for [`TrustEvaluator`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct TrustEvaluatorBuilder {
    platform: Option<Platform>,
    app_anchors: Vec<Certificate>,
    anchors_only: Option<bool>,
    system: Option<Arc<SystemStore>>,
    user_trust: Vec<TrustSetting>,
    verify_time: Option<i64>,
    sources: Vec<Arc<dyn IssuerSource>>,
    network_allowed: bool,
    verifier: Option<Arc<dyn SignatureVerifier>>,
    policy_settings: PolicySettings,
    valid_database: Option<Arc<ValidDatabase>>,
    ct_logs: Option<Arc<CtLogList>>,
    ct_exceptions: CtExceptions,
    ocsp_fetcher: Option<Arc<dyn OcspFetcher>>,
    ca_issuers_fetcher: Option<Arc<dyn CaIssuersFetcher>>,
    rfc5280_revocation: bool,
    cache: Option<Arc<SignatureCache>>,
}

impl TrustEvaluatorBuilder {
    /// The platform profile (default: `latest`).
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// App anchors (`SecTrustSetAnchorCertificates`); turns anchors-only on unless
    /// [`anchors_only`](Self::anchors_only) says otherwise.
    pub fn anchors(mut self, anchors: impl IntoIterator<Item = Certificate>) -> Self {
        self.app_anchors.extend(anchors);
        self
    }

    /// `SecTrustSetAnchorCertificatesOnly` (default: on when app anchors are set, else off).
    pub fn anchors_only(mut self, only: bool) -> Self {
        self.anchors_only = Some(only);
        self
    }

    /// The platform's system store (default: empty — no store is bundled).
    pub fn system_store(mut self, store: impl Into<Arc<SystemStore>>) -> Self {
        self.system = Some(store.into());
        self
    }

    /// Adds user/admin trust settings, including configuration-profile roots.
    pub fn user_trust(mut self, settings: impl IntoIterator<Item = TrustSetting>) -> Self {
        self.user_trust.extend(settings);
        self
    }

    /// The verify date (`SecTrustSetVerifyDate`; default: now, fixed at [`build`](Self::build)).
    pub fn verify_time(mut self, t: OffsetDateTime) -> Self {
        self.verify_time = Some(t.unix_timestamp());
        self
    }

    /// The verify date as Unix seconds.
    pub fn verify_time_unix(mut self, t: i64) -> Self {
        self.verify_time = Some(t);
        self
    }

    /// Adds an issuer source (a keychain, a cache): searched after the certificates passed to
    /// `evaluate`, only when they give no accepted path (`apple-trust.md §4`).
    pub fn issuer_source(mut self, source: Arc<dyn IssuerSource>) -> Self {
        self.sources.push(source);
        self
    }

    /// `SecTrustSetNetworkFetchAllowed` (default: off). The library does no I/O; this only
    /// changes which rules apply and whether caller-supplied fetchers are asked.
    pub fn network_allowed(mut self, allowed: bool) -> Self {
        self.network_allowed = allowed;
        self
    }

    /// The signature backend (default: [`default_verifier`]).
    pub fn verifier(mut self, verifier: Arc<dyn SignatureVerifier>) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// RFC 5280 §6.1.1 initial policy inputs. Apple always uses the defaults (any policy, no
    /// explicit policy, no inhibits); other values go beyond Apple, for RFC 5280 test suites.
    pub fn initial_policy_settings(mut self, settings: PolicySettings) -> Self {
        self.policy_settings = settings;
        self
    }

    /// Apple's Valid database: blocked and gray-listed certificates and keys, issuer
    /// constraints and distrust-by-date rows, consulted for every certificate of every
    /// candidate path (`apple-trust.md §2, §9`; default: none — no list is bundled).
    pub fn valid_database(mut self, db: Arc<ValidDatabase>) -> Self {
        self.valid_database = Some(db);
        self
    }

    /// The CT log list SystemTrustedCTRequired verifies SCTs against (`apple-trust.md §6`).
    /// Without one the check cannot run: where CT would be required it is skipped and the
    /// verdict carries a note. Apple uses only a fresh list; judging freshness (e.g. from
    /// [`CtLogList::timestamp`]) is the caller's part.
    pub fn ct_log_list(mut self, logs: impl Into<Arc<CtLogList>>) -> Self {
        self.ct_logs = Some(logs.into());
        self
    }

    /// The configured CT exceptions (default: none): chains they cover need no SCTs.
    pub fn ct_exceptions(mut self, exceptions: CtExceptions) -> Self {
        self.ct_exceptions = exceptions;
        self
    }

    /// An OCSP fetcher (default: none — the library does no I/O). Asked only when the network
    /// may be used and a policy asks for OCSP explicitly (`apple-trust.md §9`; see
    /// [`revocation`](crate::revocation)). Network use follows Apple: with
    /// [`network_allowed(true)`](Self::network_allowed) always; otherwise the last policy
    /// carrying `NoNetworkAccess` decides (basic X.509 forbids it, a revocation policy without
    /// NetworkAccessDisabled allows it).
    pub fn ocsp_fetcher(mut self, fetcher: Arc<dyn OcspFetcher>) -> Self {
        self.ocsp_fetcher = Some(fetcher);
        self
    }

    /// A CA Issuers (AIA) fetcher (default: none — the library does no I/O): the path
    /// builder's last parent source, asked for a missing issuer only when the network may be
    /// used — the same decision as for [`ocsp_fetcher`](Self::ocsp_fetcher) — and only after
    /// every other source failed to give an accepted path (`apple-trust.md §4`; see
    /// [`CaIssuersFetcher`] for the bounds). Failed downloads are notes in the verdict.
    pub fn ca_issuers_fetcher(mut self, fetcher: Arc<dyn CaIssuersFetcher>) -> Self {
        self.ca_issuers_fetcher = Some(fetcher);
        self
    }

    /// The RFC 5280 revocation mode (default: off — Apple's behaviour). Beyond Apple: on any
    /// platform, the supplied CRLs and OCSP responses are checked for every certificate below
    /// the anchor (RFC 5280 §6.3), and a certificate whose status none of them determines
    /// fails `RevocationResponseRequired` at its index (forced): a missing CRL is a hard
    /// failure, as PKITS 4.4.1 expects. Revoked certificates fail `Revocation` as in Apple's
    /// mode.
    pub fn rfc5280_revocation(mut self, on: bool) -> Self {
        self.rfc5280_revocation = on;
        self
    }

    /// A signature-verification cache to share with other evaluators (default: none — each
    /// evaluation verifies what it needs once). Verdicts are unchanged; only repeated work is
    /// saved, and cache hits do not count toward [`Work::signature_checks`](crate::path::Work).
    /// Use one cache per signature backend.
    pub fn with_cache(mut self, cache: Arc<SignatureCache>) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Builds the evaluator.
    pub fn build(self) -> TrustEvaluator {
        let anchors_only = self.anchors_only.unwrap_or(!self.app_anchors.is_empty());
        let app_anchor_self_signed = self.app_anchors.iter().map(|_| OnceLock::new()).collect();
        TrustEvaluator {
            platform: self.platform.unwrap_or_else(Platform::latest),
            app_anchors: self.app_anchors,
            anchors_only,
            system: self.system.unwrap_or_default(),
            user_trust: self.user_trust,
            verify_time: self
                .verify_time
                .unwrap_or_else(|| OffsetDateTime::now_utc().unix_timestamp()),
            sources: self.sources,
            network_allowed: self.network_allowed,
            verifier: self.verifier.unwrap_or_else(default_verifier),
            policy_settings: self.policy_settings,
            valid_database: self.valid_database,
            ct_logs: self.ct_logs,
            ct_exceptions: Arc::new(self.ct_exceptions),
            ocsp_fetcher: self.ocsp_fetcher,
            ca_issuers_fetcher: self.ca_issuers_fetcher,
            rfc5280_revocation: self.rfc5280_revocation,
            app_anchor_self_signed,
            cache: self.cache,
            assumed_revoked: Vec::new(),
        }
    }
}

impl TrustEvaluator {
    /// A builder with Apple's defaults.
    pub fn builder() -> TrustEvaluatorBuilder {
        TrustEvaluatorBuilder::default()
    }

    /// The platform profile.
    pub fn platform(&self) -> Platform {
        self.platform
    }

    /// The verify time, Unix seconds.
    pub fn verify_time(&self) -> i64 {
        self.verify_time
    }

    /// Whether network fetching is allowed.
    pub fn network_allowed(&self) -> bool {
        self.network_allowed
    }

    /// The same evaluator under another platform profile.
    pub fn with_platform(&self, platform: Platform) -> TrustEvaluator {
        TrustEvaluator {
            platform,
            ..self.clone()
        }
    }

    /// Evaluates `leaf` with the other certificates the caller has, under `policies` (all of
    /// which must hold). An empty policy list is an input error (`errSecParam`); use
    /// [`evaluate_default`](Self::evaluate_default) for Apple's "no policy set" (basic X.509).
    ///
    /// Trust failures are in the returned [`Verdict`]; `Err` only for unusable input.
    pub fn evaluate(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        policies: &[&dyn Policy],
    ) -> Result<Verdict, Error> {
        self.evaluate_with_scts(leaf, intermediates, policies, &StapledScts::new())
    }

    /// As [`evaluate`](Self::evaluate), with the SCTs the connection delivered outside the
    /// certificate (TLS extension, stapled OCSP): CT's external route (`apple-trust.md §6`).
    pub fn evaluate_with_scts(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        policies: &[&dyn Policy],
        stapled: &StapledScts,
    ) -> Result<Verdict, Error> {
        self.evaluate_inner(
            leaf,
            intermediates,
            policies,
            stapled,
            &RevocationInputs::default(),
            &TrustExceptions::new(),
        )
    }

    /// As [`evaluate`](Self::evaluate), with everything the connection delivered — stapled SCTs
    /// and stapled or cached OCSP responses and CRLs (`apple-trust.md §6, §9`) — and the
    /// caller's exceptions (`apple-trust.md §1, §2`).
    pub fn evaluate_with_inputs(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        policies: &[&dyn Policy],
        inputs: &EvaluationInputs,
    ) -> Result<Verdict, Error> {
        self.evaluate_inner(
            leaf,
            intermediates,
            policies,
            &inputs.scts,
            &inputs.revocation,
            &inputs.exceptions,
        )
    }

    fn evaluate_inner(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        policies: &[&dyn Policy],
        stapled: &StapledScts,
        revocation: &RevocationInputs,
        exceptions: &TrustExceptions,
    ) -> Result<Verdict, Error> {
        if policies.is_empty() {
            return Err(Error::EmptyPolicyList);
        }
        let infos: Vec<PolicyInfo> = policies
            .iter()
            .map(|p| PolicyInfo {
                oid: p.oid(),
                name: p.name().to_owned(),
                options: p.options(&self.platform),
            })
            .collect();
        let anchors = AnchorIndex {
            app: &self.app_anchors,
            anchors_only: self.anchors_only,
            system: &self.system,
            user: &self.user_trust,
            platform: self.platform,
            policies: &infos,
        };
        let mut builder = Builder::new(
            self.platform,
            self.verify_time,
            anchors,
            policies,
            &infos,
            self.verifier.as_ref(),
            &self.policy_settings,
            intermediates,
            &self.sources,
            CtInputs::new(self.ct_logs.as_deref(), stapled, &self.ct_exceptions),
        );
        builder.valid_db = self.valid_database.as_deref();
        // Offline means no CA Issuers downloads (`apple-trust.md §4, §9`).
        if crate::revocation::check::network_allowed(self.network_allowed, &infos) {
            builder.ca_issuers = self.ca_issuers_fetcher.as_deref();
        }
        // `SecTrustSetExceptions` discards exceptions with no entry for this leaf.
        let exceptions_apply = exceptions.applies_to(leaf);
        builder.exceptions = exceptions_apply.then_some(exceptions);
        builder.revocation = crate::revocation::check::Context::new(
            revocation,
            self.ocsp_fetcher.as_deref(),
            self.network_allowed,
            self.rfc5280_revocation,
            &infos,
        );
        builder.revocation.assumed_revoked = self.assumed_revoked.clone();
        builder.app_anchor_self_signed = &self.app_anchor_self_signed;
        builder.shared_signatures = self.cache.as_deref();
        let outcome = builder.run(leaf);
        let best = outcome.best;
        let rules = self.platform.rules();
        // Exceptions make a trusted result Proceed on every result model (`apple-trust.md §1`).
        let result = result_of(&rules, &best.counted, best.proceed || exceptions_apply);
        let error = if result.is_trusted() {
            None
        } else {
            primary_error(&best.certs, &best.counted)
        };
        let mut notes = best.notes.clone();
        notes.extend(outcome.notes);
        if !exceptions.is_empty() && !exceptions_apply {
            notes.push(
                "the exceptions have no entry for this leaf certificate and were discarded, as \
                 SecTrustSetExceptions does"
                    .to_owned(),
            );
        }
        if outcome.work.exhausted {
            notes.push(format!(
                "the path search stopped at its work bound ({} steps, {} signature checks)",
                outcome.work.steps, outcome.work.signature_checks
            ));
        }
        Ok(Verdict {
            platform: self.platform,
            result,
            anchor: best.anchor_kind(),
            system_anchored: best.system_anchored,
            extended_validation: best.ev && best.accepted,
            chain: best.certs,
            failures: best.counted,
            suppressed: best.suppressed,
            error,
            notes,
            work: outcome.work,
        })
    }

    /// Evaluates with Apple's default policy (basic X.509), as when no policy is set.
    pub fn evaluate_default(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
    ) -> Result<Verdict, Error> {
        self.evaluate(leaf, intermediates, &[&BasicX509])
    }

    /// Evaluates each of `leaves` as [`evaluate`](Self::evaluate) would, with the same
    /// intermediates and policies, sharing one [`SignatureCache`] across the batch: this
    /// evaluator's own ([`with_cache`](TrustEvaluatorBuilder::with_cache)) or, by default, a
    /// fresh one. An intermediate's signature is then verified once per batch instead of once
    /// per leaf. The verdicts are those of single evaluations, in the leaves' order, computed
    /// lazily as the returned [`Batch`] is iterated. Leaves may be owned or borrowed
    /// (`Certificate` or `&Certificate`), and parsed as they come.
    ///
    /// For parallel work, give evaluators on several threads one cache with
    /// [`with_cache`](TrustEvaluatorBuilder::with_cache) (it is thread-safe).
    ///
    /// ```
    /// use sectrust::testing::{CertBuilder, KeyPair, Pki, oids};
    /// use sectrust::{Ssl, TrustEvaluator};
    /// let pki = Pki::new();
    /// let leaves: Vec<_> = (1..=3)
    ///     .map(|i| {
    ///         let host = format!("host{i}.example.com");
    ///         CertBuilder::new(&format!("CN={host}"))
    ///             .key(KeyPair::p256(i))
    ///             .issued_by(&pki.intermediate)
    ///             .validity("2023-07-01T00:00:00Z", "2024-06-01T00:00:00Z") // TLS: ≤ 398 days
    ///             .eku(&[oids::server_auth()])
    ///             .dns(&host)
    ///             .build()
    ///             .cert
    ///     })
    ///     .collect();
    /// let evaluator = TrustEvaluator::builder()
    ///     .anchors([pki.root.cert.clone()])
    ///     .verify_time_unix(Pki::T_VALID)
    ///     .build();
    /// let ssl = Ssl::server("host2.example.com");
    /// let intermediates = [pki.intermediate.cert.clone()];
    /// let mut batch = evaluator.evaluate_batch(&leaves, &intermediates, &[&ssl]);
    /// let trusted: Vec<bool> = batch.by_ref().map(|v| v.map(|v| v.is_trusted())).collect::<Result<_, _>>()?;
    /// assert_eq!(trusted, [false, true, false]); // the host name matches the second leaf only
    /// // The intermediate's signature was verified for the first leaf, then found in the cache.
    /// assert_eq!(batch.cache().hits(), 2);
    /// # Ok::<(), sectrust::Error>(())
    /// ```
    pub fn evaluate_batch<'a, I>(
        &self,
        leaves: I,
        intermediates: &'a [Certificate],
        policies: &[&'a dyn Policy],
    ) -> Batch<'a, I::IntoIter>
    where
        I: IntoIterator,
        I::Item: std::borrow::Borrow<Certificate>,
    {
        Batch::new(self, leaves.into_iter(), intermediates, policies)
    }
}

/// What [`crate::explain`] varies when it re-evaluates one input: the verify time, the anchor
/// sources, an assumed revocation status and the shared signature cache.
impl TrustEvaluator {
    /// The same evaluator with a signature cache to share across evaluations — its own, or a
    /// fresh one — and that cache (matrices, diagnoses and batches).
    pub(crate) fn with_shared_cache(&self) -> (TrustEvaluator, Arc<SignatureCache>) {
        let cache = self
            .cache
            .clone()
            .unwrap_or_else(|| Arc::new(SignatureCache::new()));
        let evaluator = TrustEvaluator {
            cache: Some(cache.clone()),
            ..self.clone()
        };
        (evaluator, cache)
    }

    /// The same evaluator at another verify time (Unix seconds).
    pub(crate) fn at_time(&self, t: i64) -> TrustEvaluator {
        TrustEvaluator {
            verify_time: t,
            ..self.clone()
        }
    }

    /// The same evaluator assuming `cert` revoked (reason 0) wherever it is in a path, as if
    /// the device had a revoked OCSP status for it (`apple-trust.md §9`).
    pub(crate) fn assuming_revoked(&self, cert: &Certificate) -> TrustEvaluator {
        let mut e = self.clone();
        e.assumed_revoked.push(*cert.sha256());
        e
    }

    /// App anchors, anchors-only flag, system store and user/admin trust settings.
    pub(crate) fn anchor_sources(
        &self,
    ) -> (&[Certificate], bool, &Arc<SystemStore>, &[TrustSetting]) {
        (
            &self.app_anchors,
            self.anchors_only,
            &self.system,
            &self.user_trust,
        )
    }

    /// The same evaluator with other anchor sources.
    pub(crate) fn with_anchor_sources(
        &self,
        app_anchors: Vec<Certificate>,
        anchors_only: bool,
        system: Arc<SystemStore>,
        user_trust: Vec<TrustSetting>,
    ) -> TrustEvaluator {
        TrustEvaluator {
            app_anchors,
            anchors_only,
            system,
            user_trust,
            ..self.clone()
        }
    }
}
