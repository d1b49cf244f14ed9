//! Helpers for the SSL policy tests (`tests/ssl_*.rs`, `apple-trust.md §6`): a chain whose CAs
//! are valid for decades, the four kinds of anchoring §6 distinguishes, and one assertion that
//! pins the failed keys, the result and the primary error together.

use sectrust::testing::{CertBuilder, Issued, oids, unix};
use sectrust::{
    Policy, Ssl, SystemStore, TrustEvaluator, TrustResult, TrustSetting, TrustSettingResult,
    UsageConstraint, Verdict,
};

use super::{certs, keys, p};

/// The root's subject summary (`apple-trust.md §3`).
pub const ROOT: &str = "SSL Test Root";
/// The intermediate's subject summary.
pub const CA: &str = "SSL Test CA";
/// The default leaf's subject summary and host.
pub const HOST: &str = "www.example.com";

/// A root and an intermediate valid 2010–2040, so that leaves of any date in the tests chain.
pub struct Cas {
    pub root: Issued,
    pub inter: Issued,
}

impl Cas {
    pub fn new() -> Self {
        Self::with_inter(|b| b)
    }

    /// The CAs, with a hook to customise the intermediate (its EKU, key, hash …).
    pub fn with_inter(inter: impl FnOnce(CertBuilder) -> CertBuilder) -> Self {
        Self::with(|b| b, inter)
    }

    /// The CAs, with hooks to customise the root and the intermediate.
    pub fn with(
        root: impl FnOnce(CertBuilder) -> CertBuilder,
        inter: impl FnOnce(CertBuilder) -> CertBuilder,
    ) -> Self {
        let root = root(
            CertBuilder::new("CN=SSL Test Root,O=sectrust")
                .ca(None)
                .validity("2010-01-01T00:00:00Z", "2040-01-01T00:00:00Z"),
        )
        .build();
        let inter = inter(
            CertBuilder::new("CN=SSL Test CA,O=sectrust")
                .ca(None)
                .validity("2010-01-01T00:00:00Z", "2040-01-01T00:00:00Z")
                .issued_by(&root),
        )
        .build();
        Cas { root, inter }
    }

    /// A good TLS server leaf under the intermediate: `CN=www.example.com`, SAN dNSName
    /// `www.example.com`, EKU serverAuth, valid 2024-01-01 – 2025-01-01 (366 days).
    pub fn leaf(&self) -> CertBuilder {
        self.leaf_without_eku().eku(&[oids::server_auth()])
    }

    /// [`Cas::leaf`] without an EKU extension.
    pub fn leaf_without_eku(&self) -> CertBuilder {
        CertBuilder::new("CN=www.example.com")
            .issued_by(&self.inter)
            .dns(HOST)
            .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
    }
}

/// How the chain is anchored — the distinctions of `apple-trust.md §6` (ServerAuthEKU, KeySize,
/// validity maximums).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// `SecTrustSetAnchorCertificates([root])`.
    App,
    /// The root is in the platform's system store.
    System,
    /// A user/admin trust setting (TrustRoot) on the self-signed root.
    UserRoot,
    /// A user/admin trust setting (TrustAsRoot) on the leaf itself.
    UserLeaf,
    /// Nothing: the chain ends at an untrusted self-signed root.
    Unanchored,
}

impl Anchor {
    pub const ALL: [Anchor; 5] = [
        Anchor::App,
        Anchor::System,
        Anchor::UserRoot,
        Anchor::UserLeaf,
        Anchor::Unanchored,
    ];
}

/// An evaluator for `platform` at verify time `t`, anchored as `anchor` says, `root` being the
/// certificate App, System and UserRoot put in their store (UserLeaf trusts `leaf`).
pub fn evaluator(
    platform: &str,
    anchor: Anchor,
    root: &Issued,
    leaf: &Issued,
    t: i64,
) -> TrustEvaluator {
    let b = TrustEvaluator::builder()
        .platform(p(platform))
        .verify_time_unix(t);
    match anchor {
        Anchor::App => b.anchors([root.cert.clone()]),
        Anchor::System => b.system_store(SystemStore::from_roots([root.cert.clone()])),
        Anchor::UserRoot => b.user_trust([TrustSetting::trust_root(root.cert.clone())]),
        Anchor::UserLeaf => b.user_trust([trust_as_root(leaf)]),
        Anchor::Unanchored => b,
    }
    .build()
}

/// A user/admin setting with a TrustAsRoot constraint: anchors a certificate that is not
/// self-signed (`apple-trust.md §5`).
pub fn trust_as_root(cert: &Issued) -> TrustSetting {
    TrustSetting::with_constraint(
        cert.cert.clone(),
        UsageConstraint::result(TrustSettingResult::TrustAsRoot),
    )
}

/// The middle of the leaf's validity: a verify time at which nothing has expired.
pub fn mid(leaf: &Issued) -> i64 {
    leaf.cert.not_before() + (leaf.cert.not_after() - leaf.cert.not_before()) / 2
}

/// Evaluates `leaf` with `inters` under `policy` on `platform`, anchored at `root` as `anchor`
/// says, at the middle of the leaf's validity.
pub fn eval_chain(
    platform: &str,
    policy: &Ssl,
    anchor: Anchor,
    root: &Issued,
    leaf: &Issued,
    inters: &[&Issued],
) -> Verdict {
    evaluator(platform, anchor, root, leaf, mid(leaf))
        .evaluate(&leaf.cert, &certs(inters), &[policy])
        .expect("evaluation")
}

impl Cas {
    /// Evaluates a leaf issued by the intermediate (the caller passes the intermediate; the root
    /// too when nothing anchors the chain, so that it ends self-signed).
    pub fn eval(&self, platform: &str, policy: &Ssl, anchor: Anchor, leaf: &Issued) -> Verdict {
        let inters: &[&Issued] = match anchor {
            Anchor::Unanchored => &[&self.inter, &self.root],
            _ => &[&self.inter],
        };
        eval_chain(platform, policy, anchor, &self.root, leaf, inters)
    }

    /// Evaluates a leaf issued by the intermediate with `user` in the user/admin store and, when
    /// `system_root`, the root in the system store (no app anchors, so both stores are read).
    pub fn eval_user(
        &self,
        platform: &str,
        policy: &dyn Policy,
        system_root: bool,
        user: impl IntoIterator<Item = TrustSetting>,
        leaf: &Issued,
    ) -> Verdict {
        let system = SystemStore::from_roots(system_root.then(|| self.root.cert.clone()));
        TrustEvaluator::builder()
            .platform(p(platform))
            .system_store(system)
            .user_trust(user)
            .verify_time_unix(mid(leaf))
            .build()
            .evaluate(
                &leaf.cert,
                std::slice::from_ref(&self.inter.cert),
                &[policy],
            )
            .expect("evaluation")
    }

    /// [`Cas::eval`] with `Ssl::server(HOST)`, app-anchored at the root.
    pub fn app(&self, platform: &str, leaf: &Issued) -> Verdict {
        self.eval(platform, &server(), Anchor::App, leaf)
    }

    /// [`Cas::eval`] with `Ssl::server(HOST)`, the root in the system store.
    pub fn system(&self, platform: &str, leaf: &Issued) -> Verdict {
        self.eval(platform, &server(), Anchor::System, leaf)
    }
}

/// `Ssl::server(HOST)`.
pub fn server() -> Ssl {
    Ssl::server(HOST)
}

/// Asserts a trusted verdict with `result` (Unspecified, or Proceed for user anchors).
#[track_caller]
pub fn ok(v: &Verdict, result: TrustResult) {
    assert!(v.failures().is_empty(), "expected no failure:\n{v}");
    assert_eq!(v.result(), result, "{v}");
    assert!(v.primary_error().is_none(), "{v}");
}

/// Asserts the exact failed check keys `(index, key)`, the result, and the primary error's
/// OSStatus and message.
#[track_caller]
pub fn fails(
    v: &Verdict,
    expected: &[(usize, &str)],
    result: TrustResult,
    os_status: i32,
    message: &str,
) {
    assert_eq!(keys(v), expected, "failed keys differ:\n{v}");
    assert_eq!(v.result(), result, "{v}");
    let e = v
        .primary_error()
        .unwrap_or_else(|| panic!("no primary error:\n{v}"));
    assert_eq!(e.os_status, os_status, "{v}");
    assert_eq!(e.message, message, "{v}");
}

/// [`fails`] with exactly one failure, recoverable.
#[track_caller]
pub fn fails_one(v: &Verdict, failure: (usize, &str), os_status: i32, message: &str) {
    fails(v, &[failure], R, os_status, message);
}

// Apple's messages by subtype for the certificate summarised as `summary` (`apple-trust.md §3`).
pub fn name_mismatch(summary: &str) -> String {
    format!("“{summary}” certificate name does not match input")
}
pub fn usage(summary: &str) -> String {
    format!("“{summary}” certificate is not permitted for this usage")
}
pub fn compliance(summary: &str) -> String {
    format!("“{summary}” certificate is not standards compliant")
}
pub fn key_size(summary: &str) -> String {
    format!("“{summary}” certificate is using a broken key size")
}
pub fn weak_hash(summary: &str) -> String {
    format!("“{summary}” certificate is using a broken signature algorithm")
}
pub fn not_trusted(summary: &str) -> String {
    format!("“{summary}” certificate is not trusted")
}
/// The pinning template: every certificate's summary in ASCII double quotes, comma-separated,
/// leaf first (Apple's `SecTrustCopyChainSummary`).
pub fn pinning(summaries: &[&str]) -> String {
    let chain: Vec<String> = summaries.iter().map(|s| format!("\"{s}\"")).collect();
    format!(
        "{} certificates do not meet pinning requirements",
        chain.join(", ")
    )
}

/// Unix seconds of an RFC 3339 time.
pub fn at(rfc3339: &str) -> i64 {
    unix(rfc3339)
}

pub const R: TrustResult = TrustResult::RecoverableTrustFailure;
pub const F: TrustResult = TrustResult::FatalTrustFailure;
pub const U: TrustResult = TrustResult::Unspecified;
pub const P: TrustResult = TrustResult::Proceed;

/// errSecHostNameMismatch.
pub const HOSTNAME_MISMATCH: i32 = -67602;
/// errSecInvalidExtendedKeyUsage.
pub const BAD_EKU: i32 = -67609;
/// errSecInvalidKeyUsageForPolicy.
pub const BAD_KU: i32 = -67608;
/// errSecCertificateValidityPeriodTooLong.
pub const TOO_LONG: i32 = -67901;
/// errSecUnsupportedKeySize.
pub const KEY_SIZE: i32 = -67735;
/// errSecInvalidDigestAlgorithm.
pub const DIGEST: i32 = -67815;
/// errSecNotTrusted.
pub const NOT_TRUSTED: i32 = -67843;
