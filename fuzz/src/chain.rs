//! `evaluate_chain`: evaluation over chains cut from the input, and the invariants every
//! evaluation must keep (shared with `evaluate_structured`).
//!
//! Input layout (all optional; missing bytes read as 0):
//!
//! ```text
//! [platform] [flags] [anchors] [host len] host… [email len] email… ( [len hi] [len lo] DER… )*
//! ```
//!
//! The first DER blob is the leaf; the last `anchors` blobs (at most all but the leaf) are app
//! anchors, the rest intermediates. Blobs that do not parse are dropped (a leaf that does not
//! parse ends the run). An empty host or email is taken from the leaf (first dNSName or
//! common name; first e-mail address), so seeds reach the name checks.

use std::sync::{Arc, OnceLock};

use sectrust::path::SignatureCache;
use sectrust::policy::{Ios5SmimeHypothesis, Smime, SmimeUsage, Ssl};
use sectrust::verdict::VerdictRecord;
use sectrust::{BasicX509, Certificate, Platform, Policy, TrustEvaluator, Verdict};

/// The platforms evaluated on, chosen by the input's first byte: the newest, the oldest of
/// each OS (the S/MIME quirk, the oldest rules), and two releases where rules changed (iOS
/// 10.3 full trust, iOS 13 TLS requirements).
pub const PLATFORMS: [&str; 5] = ["latest", "ios-5.1", "macos-10.7", "ios-13.0", "ios-10.3"];

/// Most DER blobs read from one input.
pub const MAX_BLOBS: usize = 24;

/// One evaluation: which policy, and what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluated {
    /// `basic`, `ssl` or `smime`.
    pub policy: &'static str,
    /// The verdict.
    pub record: VerdictRecord,
}

/// Everything one evaluation run needs, however it was made.
#[derive(Debug, Clone)]
pub struct Case {
    /// Evaluated under this profile.
    pub platform: Platform,
    /// Unix seconds.
    pub verify_time: i64,
    /// The certificate evaluated.
    pub leaf: Certificate,
    /// Other certificates, in the caller's order.
    pub intermediates: Vec<Certificate>,
    /// App anchors.
    pub anchors: Vec<Certificate>,
    /// Anchors only (else the empty system store too).
    pub anchors_only: bool,
    /// The SSL server policy's hostname.
    pub host: String,
    /// The S/MIME policy's e-mail address.
    pub email: String,
    /// The S/MIME key usage.
    pub smime_usage: SmimeUsage,
    /// The iOS 5 S/MIME hypothesis.
    pub hypothesis: Ios5SmimeHypothesis,
}

/// A little reader over the input that yields zeros once exhausted.
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    /// The next byte (0 at the end).
    pub fn byte(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    /// The next `n` bytes (fewer at the end).
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, tail) = self.0.split_at(n.min(self.0.len()));
        self.0 = tail;
        head
    }
}

/// `evaluate_chain`: cuts the input as the module documentation says and evaluates the leaf
/// under basic X.509, SSL server and S/MIME ([`evaluate_case`]). `None` when the leaf does not
/// parse.
pub fn evaluate_chain(data: &[u8]) -> Option<Vec<Evaluated>> {
    let mut input = Bytes(data);
    let platform = PLATFORMS[usize::from(input.byte()) % PLATFORMS.len()];
    let flags = input.byte();
    let anchor_count = usize::from(input.byte());
    let host_len = usize::from(input.byte());
    let host = String::from_utf8_lossy(input.take(host_len)).into_owned();
    let email_len = usize::from(input.byte());
    let email = String::from_utf8_lossy(input.take(email_len)).into_owned();
    let mut blobs = Vec::new();
    while !input.0.is_empty() && blobs.len() < MAX_BLOBS {
        let len = usize::from(u16::from_be_bytes([input.byte(), input.byte()]));
        blobs.push(input.take(len));
    }
    let (leaf, rest) = blobs.split_first()?;
    let leaf = Certificate::from_der(leaf).ok()?;
    let split = rest.len() - anchor_count.min(rest.len());
    let parse_all = |blobs: &[&[u8]]| -> Vec<Certificate> {
        blobs
            .iter()
            .filter_map(|b| Certificate::from_der(b).ok())
            .collect()
    };
    let intermediates = parse_all(&rest[..split]);
    let anchors = parse_all(&rest[split..]);
    let verify_time = match flags & 3 {
        0 => leaf.not_before() / 2 + leaf.not_after() / 2,
        1 => 1_704_067_200, // 2024-01-01T00:00:00Z
        2 => leaf.not_after().saturating_add(1),
        _ => leaf.not_before().saturating_sub(1),
    };
    let host = if host.is_empty() {
        host_of(&leaf)
    } else {
        host
    };
    let email = if email.is_empty() {
        leaf.email_addresses()
            .first()
            .map_or_else(String::new, |e| (*e).to_owned())
    } else {
        email
    };
    let case = Case {
        platform: platform.parse().expect("a known platform"),
        verify_time,
        leaf,
        intermediates,
        anchors,
        anchors_only: flags & 4 != 0,
        host,
        email,
        smime_usage: SmimeUsage::from_bits(u32::from(flags >> 3 & 7)),
        hypothesis: match flags >> 6 {
            0 => Ios5SmimeHypothesis::PrimaryAddressOnly,
            1 => Ios5SmimeHypothesis::CaseSensitiveAddress,
            _ => Ios5SmimeHypothesis::FirstSanAddressOnly,
        },
    };
    Some(evaluate_case(&case))
}

/// The SSL hostname a leaf suggests: its first dNSName, else its first common name.
pub fn host_of(leaf: &Certificate) -> String {
    let dns = leaf.extensions().subject_alt_names().find_map(|n| match n {
        sectrust::certificate::GeneralName::Dns(d) => Some(d.clone()),
        _ => None,
    });
    dns.or_else(|| leaf.subject().common_names().next().map(str::to_owned))
        .unwrap_or_default()
}

/// The signature cache every evaluation of the process shares: generated and mutated chains
/// repeat the same (issuer, child) pairs endlessly, and verification is most of the cost.
pub fn cache() -> Arc<SignatureCache> {
    static CACHE: OnceLock<Arc<SignatureCache>> = OnceLock::new();
    Arc::clone(CACHE.get_or_init(|| Arc::new(SignatureCache::new())))
}

/// Evaluates the case under basic X.509, SSL server and S/MIME, each twice with a fresh
/// evaluator; asserts every invariant of [`check_verdict`] and that the two verdicts are equal
/// — work included, except `signature_checks`, which by design does not count hits of the
/// shared [`cache`] (the second run usually hits where the first verified).
pub fn evaluate_case(case: &Case) -> Vec<Evaluated> {
    let evaluator = || {
        TrustEvaluator::builder()
            .platform(case.platform)
            .anchors(case.anchors.iter().cloned())
            .anchors_only(case.anchors_only)
            .verify_time_unix(case.verify_time)
            .with_cache(cache())
            .build()
    };
    let ssl = Ssl::server(case.host.clone());
    let smime = Smime::new(case.smime_usage, Some(case.email.clone()))
        .with_ios5_hypothesis(case.hypothesis);
    let policies: [(&'static str, &dyn Policy); 3] =
        [("basic", &BasicX509), ("ssl", &ssl), ("smime", &smime)];
    policies
        .into_iter()
        .map(|(name, policy)| {
            let run = || {
                let verdict = evaluator()
                    .evaluate(&case.leaf, &case.intermediates, &[policy])
                    .unwrap_or_else(|e| panic!("{name}: one policy is always valid input: {e}"));
                check_verdict(case, &verdict);
                let mut record = verdict.to_record();
                record.work.signature_checks = 0;
                record
            };
            let record = run();
            assert_eq!(record, run(), "{name}: not deterministic");
            Evaluated {
                policy: name,
                record,
            }
        })
        .collect()
}

/// What every verdict must satisfy (`apple-trust.md §1–§3`): failures carry their check's row
/// of the table (OSStatus; subtype as the platform has it) and sit on a certificate of the
/// chain; trusted exactly when nothing counted; a primary error exactly when not trusted, with
/// its check's OSStatus; the chain starts at the leaf; it formats.
pub fn check_verdict(case: &Case, v: &Verdict) {
    let chain = v.chain();
    assert!(!chain.is_empty(), "empty chain:\n{v}");
    assert!(
        chain[0].same_as(&case.leaf),
        "chain does not start at the leaf:\n{v}"
    );
    let platform = v.platform();
    assert_eq!(platform, case.platform);
    let suppressed = v.suppressed().iter().map(|s| &s.failure);
    for f in v.failures().iter().chain(suppressed) {
        assert_eq!(f.os_status, f.check.os_status(), "{f:?}");
        assert_eq!(f.subtype, platform.subtype(f.check), "{f:?}");
        assert!(f.cert_index < chain.len(), "{f:?} beyond the chain:\n{v}");
    }
    assert_eq!(v.is_trusted(), v.failures().is_empty(), "{v}");
    match v.primary_error() {
        None => assert!(v.is_trusted(), "no primary error:\n{v}"),
        Some(e) => {
            assert!(!v.is_trusted(), "a trusted verdict with an error:\n{v}");
            assert_eq!(e.os_status, e.check.os_status(), "{e:?}");
            assert!(
                v.failures()
                    .iter()
                    .any(|f| f.check == e.check && f.cert_index == e.cert_index),
                "the primary error {e:?} is not a failure:\n{v}"
            );
        }
    }
    if v.is_trusted() {
        let last = chain.last().expect("non-empty");
        assert!(
            case.anchors.iter().any(|a| a.same_as(last)),
            "trusted but not anchored by an app anchor:\n{v}"
        );
    }
    let _ = (format!("{v}"), format!("{v:?}"), v.details(), v.notes());
}
