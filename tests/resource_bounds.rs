//! Resource bounds on hostile inputs (STYLE.md: "every search is bounded"; `path::budget`).
//!
//! Each test asserts the evaluator's WORK COUNTERS (`Verdict::work`) or a parse outcome, never
//! wall time: a 10,000-certificate chain, 1,000 candidate issuers with one name (as
//! intermediates and as anchors), a 1 MB subjectAltName, and DER nested 100,000 levels deep.

use std::sync::OnceLock;

use sectrust::path::{APPLE_PATH_CAP, MAX_DEPTH, MAX_SEARCH_STEPS, MAX_SIGNATURE_CHECKS, Work};
use sectrust::testing::{CertBuilder, KeyPair};
use sectrust::{BasicX509, Certificate, Check, Platform, Policy, Ssl, TrustEvaluator, Verdict};

/// 2024-01-01T00:00:00Z, inside the builder's default validity.
const T: i64 = 1_704_067_200;

fn platform(name: &str) -> Platform {
    name.parse().expect("known platform")
}

fn evaluate(
    platform: Platform,
    leaf: &Certificate,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    policy: &dyn Policy,
) -> Verdict {
    TrustEvaluator::builder()
        .platform(platform)
        .anchors(anchors.iter().cloned())
        .verify_time_unix(T)
        .build()
        .evaluate(leaf, intermediates, &[policy])
        .expect("evaluation")
}

/// The bounds every evaluation keeps, whatever the input.
fn assert_within_budget(v: &Verdict) {
    let w = v.work();
    assert!(w.steps <= MAX_SEARCH_STEPS, "{w:?}");
    assert!(w.signature_checks <= MAX_SIGNATURE_CHECKS, "{w:?}");
    assert!(w.validated <= w.paths + 1, "{w:?}");
    assert!(v.chain().len() <= MAX_DEPTH, "{}", v.chain().len());
    if v.platform().has(sectrust::RuleId::PathCap) {
        assert!(w.paths <= APPLE_PATH_CAP, "{w:?}");
    }
}

// ----- a chain of 10,000 certificates -----

/// `CN=CA 0` (self-signed) … `CN=CA 9999`, each issued by the one before, and a leaf under
/// `CN=CA 9999`. One key for all keeps generation cheap; built once per test binary.
fn long_chain() -> &'static (Vec<Certificate>, Certificate) {
    static CHAIN: OnceLock<(Vec<Certificate>, Certificate)> = OnceLock::new();
    CHAIN.get_or_init(|| {
        let key = KeyPair::ed25519(10_000);
        let (mut der, _) = CertBuilder::new("CN=CA 0")
            .key(key.clone())
            .ca(None)
            .build_der();
        let mut cas = vec![Certificate::from_der(&der).unwrap()];
        for i in 1..10_000 {
            (der, _) = CertBuilder::new(&format!("CN=CA {i}"))
                .key(key.clone())
                .ca(None)
                .serial(i)
                .issued_by_der(&der, &key)
                .build_der();
            cas.push(Certificate::from_der(&der).unwrap());
        }
        let (leaf, _) = CertBuilder::new("CN=leaf")
            .key(key.clone())
            .issued_by_der(&der, &key)
            .build_der();
        (cas, Certificate::from_der(&leaf).unwrap())
    })
}

#[test]
fn a_chain_of_10000_certificates_is_cut_at_max_depth() {
    let (cas, leaf) = long_chain();
    let root = &cas[0];
    let mut reversed = cas.clone();
    reversed.reverse();
    for p in ["latest", "ios-12.0", "ios-9.0"] {
        for pool in [cas, &reversed] {
            let v = evaluate(
                platform(p),
                leaf,
                pool,
                std::slice::from_ref(root),
                &BasicX509,
            );
            assert!(!v.is_trusted(), "{p}: the root is 10,000 certificates away");
            assert!(v.has_failure(Check::MissingIntermediate), "{p}: {v}");
            assert_within_budget(&v);
            // One candidate issuer per level: one step and one signature check per level
            // down to MAX_DEPTH, and one path validated.
            let w = v.work();
            assert_eq!(v.chain().len(), MAX_DEPTH, "{p}");
            assert_eq!(w.steps, MAX_DEPTH - 1, "{p}: {w:?}");
            assert!(w.signature_checks <= MAX_DEPTH + 1, "{p}: {w:?}");
            assert_eq!(w.validated, 1, "{p}: {w:?}");
        }
    }
}

#[test]
fn a_chain_of_10000_certificates_anchored_near_the_leaf_is_trusted() {
    let (cas, leaf) = long_chain();
    let anchor = &cas[9_990];
    let v = evaluate(
        Platform::latest(),
        leaf,
        cas,
        std::slice::from_ref(anchor),
        &BasicX509,
    );
    assert!(v.is_trusted(), "{v}");
    assert_eq!(v.chain().len(), 11);
    let w = v.work();
    assert_eq!(w.steps, 10, "{w:?}");
    assert_eq!(w.validated, 1, "{w:?}");
}

// ----- 1,000 candidate issuers with the same name -----

/// A root, an intermediate `CN=Inter` under it, a leaf under the intermediate, and 1,000
/// other `CN=Inter` certificates issued by the root with keys of their own (so none verifies
/// the leaf's signature).
struct SameName {
    root: Certificate,
    real: Certificate,
    impostors: Vec<Certificate>,
    leaf: Certificate,
}

fn same_name() -> &'static SameName {
    static SET: OnceLock<SameName> = OnceLock::new();
    SET.get_or_init(|| {
        let root_key = KeyPair::p256(20_000);
        let (root, _) = CertBuilder::new("CN=Root")
            .key(root_key.clone())
            .ca(None)
            .build_der();
        let inter_key = KeyPair::p256(20_001);
        let (real, _) = CertBuilder::new("CN=Inter")
            .key(inter_key.clone())
            .ca(None)
            .issued_by_der(&root, &root_key)
            .build_der();
        let (leaf, _) = CertBuilder::new("CN=leaf")
            .issued_by_der(&real, &inter_key)
            .build_der();
        let impostors = (0..1_000)
            .map(|i| {
                let (der, _) = CertBuilder::new("CN=Inter")
                    .key(KeyPair::p256(21_000 + i))
                    .ca(None)
                    .issued_by_der(&root, &root_key)
                    .build_der();
                Certificate::from_der(&der).unwrap()
            })
            .collect();
        let parse = |der: &[u8]| Certificate::from_der(der).unwrap();
        SameName {
            root: parse(&root),
            real: parse(&real),
            impostors,
            leaf: parse(&leaf),
        }
    })
}

#[test]
fn a_thousand_same_name_intermediates_stay_within_the_budget() {
    let s = same_name();
    let mut pool = s.impostors.clone();
    pool.push(s.real.clone());
    let anchors = std::slice::from_ref(&s.root);

    // Apple's cap: 100 candidate paths, then the search stops — the real intermediate, last
    // of 1,001, is never reached (`apple-trust.md §4`).
    let v = evaluate(Platform::latest(), &s.leaf, &pool, anchors, &BasicX509);
    assert_within_budget(&v);
    let w = v.work();
    assert!(!v.is_trusted(), "{v}");
    assert_eq!(w.paths, APPLE_PATH_CAP, "{w:?}");
    assert!(w.signature_checks <= APPLE_PATH_CAP + 1, "{w:?}");

    // Releases without the cap (iOS 12): the signature budget runs out first; the verdict
    // says so.
    let v = evaluate(platform("ios-12.0"), &s.leaf, &pool, anchors, &BasicX509);
    assert_within_budget(&v);
    let w = v.work();
    assert!(w.exhausted, "{w:?}");
    assert_eq!(w.signature_checks, MAX_SIGNATURE_CHECKS, "{w:?}");
    assert!(w.steps <= pool.len(), "{w:?}");
    assert!(v.notes().iter().any(|n| n.contains("work bound")), "{v}");

    // The real intermediate first: found at once, whatever follows.
    pool.rotate_right(1);
    for p in ["latest", "ios-12.0"] {
        let v = evaluate(platform(p), &s.leaf, &pool, anchors, &BasicX509);
        assert!(v.is_trusted(), "{p}: {v}");
        assert_eq!(v.work().steps, 2, "{p}: {:?}", v.work());
    }
}

#[test]
fn a_thousand_same_name_anchors_stay_within_the_budget() {
    let s = same_name();
    // The impostors as app anchors, the real intermediate among the caller's certificates:
    // every anchor is a candidate issuer of the leaf, none verifies it.
    let anchors: Vec<Certificate> = s.impostors.clone();
    for p in ["latest", "ios-12.0"] {
        let v = evaluate(
            platform(p),
            &s.leaf,
            std::slice::from_ref(&s.real),
            &anchors,
            &BasicX509,
        );
        assert!(!v.is_trusted(), "{p}: {v}");
        assert_within_budget(&v);
        let w = v.work();
        if platform(p).has(sectrust::RuleId::PathCap) {
            // Anchor candidates count toward Apple's cap like any other (this was 1,000).
            assert_eq!(w.paths, APPLE_PATH_CAP, "{p}: {w:?}");
            assert_eq!(w.validated, APPLE_PATH_CAP, "{p}: {w:?}");
        } else {
            assert_eq!(w.signature_checks, MAX_SIGNATURE_CHECKS, "{p}: {w:?}");
            assert!(w.exhausted, "{p}: {w:?}");
        }
    }
}

#[test]
fn same_name_issuers_with_valid_signatures_stay_within_the_budget() {
    // 1,000 certificates `CN=Inter` all with the real intermediate's key, so each one verifies
    // the leaf; none leads to an anchor (their issuer, `CN=Root`, is not passed or trusted).
    let s = same_name();
    let root_key = KeyPair::p256(20_000);
    let inter_key = KeyPair::p256(20_001);
    let copies: Vec<Certificate> = (0..1_000u64)
        .map(|i| {
            let (der, _) = CertBuilder::new("CN=Inter")
                .key(inter_key.clone())
                .ca(None)
                .serial(100 + i)
                .issued_by_der(s.root.der(), &root_key)
                .build_der();
            Certificate::from_der(&der).unwrap()
        })
        .collect();
    for p in ["latest", "ios-12.0", "ios-9.0"] {
        let v = evaluate(platform(p), &s.leaf, &copies, &[], &BasicX509);
        assert!(!v.is_trusted(), "{p}: {v}");
        assert_within_budget(&v);
        let w = v.work();
        // One signature check: every copy has the same key, and checks are cached per key.
        assert_eq!(w.signature_checks, 1, "{p}: {w:?}");
        if platform(p).has(sectrust::RuleId::PathCap) {
            assert_eq!(w.paths, APPLE_PATH_CAP, "{p}: {w:?}");
        } else {
            assert_eq!(w.steps, 1_000, "{p}: {w:?}");
            assert_eq!(w.validated, 1_000, "{p}: {w:?}");
        }
    }
}

// ----- a 1 MB subjectAltName -----

/// A root and an intermediate (optionally name-constrained to `example.com`) for SAN tests.
fn san_issuers(constrained: bool) -> (CertBuilder, CertBuilder) {
    let root = CertBuilder::new("CN=SAN Root")
        .key(KeyPair::p256(30_000))
        .ca(None);
    let mut inter = CertBuilder::new("CN=SAN Inter")
        .key(KeyPair::p256(30_001))
        .ca(None);
    if constrained {
        inter = inter.permitted_dns("example.com");
    }
    (root, inter)
}

/// Evaluates a leaf made by `leaf` (issued by the intermediate) for `host` on `p`.
fn san_verdict(
    p: Platform,
    constrained: bool,
    leaf: impl FnOnce(CertBuilder) -> CertBuilder,
    host: &str,
) -> Verdict {
    let (root, inter) = san_issuers(constrained);
    let root = root.build();
    let inter = inter.issued_by(&root).build();
    let leaf = leaf(
        CertBuilder::new("CN=SAN leaf")
            .key(KeyPair::p256(30_002))
            .issued_by(&inter)
            .eku(&[sectrust::testing::oids::server_auth()])
            .validity("2023-06-01T00:00:00Z", "2024-06-01T00:00:00Z"),
    )
    .build();
    evaluate(
        p,
        &leaf.cert,
        &[inter.cert],
        &[root.cert],
        &Ssl::server(host),
    )
}

const SAN_PLATFORMS: [&str; 5] = ["ios-7.0", "ios-9.0", "ios-10.0", "ios-12.0", "latest"];

#[test]
fn a_one_megabyte_san_of_many_names_is_parsed_and_matched() {
    const NAMES: usize = 50_000;
    let many =
        |b: CertBuilder| (0..NAMES).fold(b, |b, i| b.dns(&format!("host-{i:05}.example.com")));
    let last = format!("host-{:05}.example.com", NAMES - 1);
    for p in SAN_PLATFORMS.map(platform) {
        let small = san_verdict(p, true, |b| b.dns(&last), &last);
        assert!(small.is_trusted(), "{p}: {small}");
        // The last of 50,000 names matches; the SAN (about 1.2 MB) is parsed whole.
        let v = san_verdict(p, true, many, &last);
        assert!(v.is_trusted(), "{p}: {v}");
        let leaf = &v.chain()[0];
        assert!(leaf.der().len() > 1_000_000);
        assert_eq!(leaf.extensions().subject_alt_names().count(), NAMES);
        // The size of the SAN adds no path-search work.
        assert_eq!(v.work(), small.work(), "{p}");
        // A host that is not there fails SSLHostname only.
        // (Compared with a small SAN that fails the same way: an untrusted verdict may read the
        // anchor's self-signature to score the path, a trusted first path does not.)
        let v = san_verdict(p, true, many, "absent.example.com");
        assert!(v.has_failure(Check::SslHostname), "{p}: {v}");
        assert_eq!(v.failures().len(), 1, "{p}: {v}");
        let small_miss = san_verdict(p, true, |b| b.dns(&last), "absent.example.com");
        assert_eq!(v.work(), small_miss.work(), "{p}");
    }
}

#[test]
fn a_one_megabyte_dns_name_is_parsed_and_matched_only_by_itself() {
    let huge = format!("{}.example.com", "a".repeat(1 << 20));
    for p in SAN_PLATFORMS.map(platform) {
        let small = san_verdict(p, false, |b| b.dns("www.example.com"), "www.example.com");
        let small_miss = san_verdict(p, false, |b| b.dns("www.example.com"), "absent.example.com");
        let other = san_verdict(p, false, |b| b.dns(&huge), "www.example.com");
        assert!(other.has_failure(Check::SslHostname), "{p}: {other}");
        assert_eq!(other.work(), small_miss.work(), "{p}");
        // The same 1 MB name requested: the current engine drops SAN names over 255 octets
        // before matching (`src/policy/hostname.rs`); the older matchers have no length rule
        // (the spec gives none before 59306) and compare it — once, linearly.
        let same = san_verdict(p, false, |b| b.dns(&huge), &huge);
        let legacy = p.version().major < 13;
        assert_eq!(same.is_trusted(), legacy, "{p}: {same}");
        let like = if legacy { &small } else { &small_miss };
        assert_eq!(same.work(), like.work(), "{p}");
    }
}

#[test]
fn a_one_megabyte_san_under_name_constraints_adds_no_search_work() {
    // Names outside the permitted subtree: NameConstraints fails (forced) and the search does
    // the same work as for one name.
    let outside =
        |b: CertBuilder| (0..50_000).fold(b, |b, i| b.dns(&format!("host-{i:05}.example.org")));
    let small = san_verdict(
        Platform::latest(),
        true,
        |b| b.dns("a.example.org"),
        "a.example.org",
    );
    let v = san_verdict(Platform::latest(), true, outside, "host-00000.example.org");
    assert!(v.has_failure(Check::NameConstraints), "{v}");
    assert_eq!(v.work(), small.work());
}

// ----- deeply nested DER -----

/// `depth` nested SEQUENCE headers around an empty SEQUENCE, built in linear time: lengths
/// are computed inside-out, headers written outside-in.
fn nested_sequences(depth: usize) -> Vec<u8> {
    fn header(len: usize) -> Vec<u8> {
        let mut h = vec![0x30];
        if len < 0x80 {
            h.push(len as u8);
        } else {
            let bytes: Vec<u8> = len
                .to_be_bytes()
                .into_iter()
                .skip_while(|&b| b == 0)
                .collect();
            h.push(0x80 | bytes.len() as u8);
            h.extend(bytes);
        }
        h
    }
    let mut headers = Vec::with_capacity(depth);
    let mut len = 2; // the innermost `30 00`
    for _ in 0..depth {
        let h = header(len);
        len += h.len();
        headers.push(h);
    }
    headers.reverse();
    let mut out = headers.concat();
    out.extend([0x30, 0x00]);
    out
}

const DEPTH: usize = 100_000;

#[test]
fn deeply_nested_der_is_a_parse_error_without_recursion() {
    let der = nested_sequences(DEPTH);
    assert!(der.len() > 400_000);
    assert!(Certificate::from_der(&der).is_err());
    assert!(Certificate::from_bytes(&der).is_err());
    let pem = der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &der).unwrap();
    assert!(Certificate::from_pem(&pem).is_err());
}

#[test]
fn deeply_nested_der_inside_a_certificate_is_never_descended() {
    let nested = nested_sequences(DEPTH);
    let hex: String = nested.iter().map(|b| format!("{b:02x}")).collect();
    let unknown = sectrust::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1");
    let san = sectrust::ObjectIdentifier::new_unwrap("2.5.29.17");
    let policies = sectrust::ObjectIdentifier::new_unwrap("2.5.29.32");
    // otherName [0] holding the nesting, inside a SAN.
    let mut other_name = vec![0xa0, 0x83];
    other_name.extend(&(nested.len() as u32).to_be_bytes()[1..]);
    other_name.extend(&nested);
    let cases: Vec<(&str, CertBuilder)> = vec![
        (
            "unknown extension",
            CertBuilder::new("CN=leaf").extension(unknown, false, nested.clone()),
        ),
        (
            "unknown critical extension",
            CertBuilder::new("CN=leaf").extension(unknown, true, nested.clone()),
        ),
        (
            "SAN value",
            CertBuilder::new("CN=leaf").extension(san, false, nested.clone()),
        ),
        (
            "SAN otherName",
            CertBuilder::new("CN=leaf").extension(san, false, wrap_sequence(&other_name)),
        ),
        (
            "certificatePolicies value",
            CertBuilder::new("CN=leaf").extension(policies, false, nested.clone()),
        ),
        (
            "subject attribute value",
            CertBuilder::new(&format!("CN=leaf,2.5.4.72=#{hex}")),
        ),
    ];
    for (what, builder) in cases {
        let root = CertBuilder::new("CN=Nest Root").ca(None).build();
        let (der, _) = builder.issued_by(&root).build_der();
        // The parser reads one level at a time and never descends into an extension value
        // it does not decode, an otherName or an attribute value: every case parses.
        let leaf = Certificate::from_der(&der).unwrap_or_else(|e| panic!("{what}: {e}"));
        let v = evaluate(Platform::latest(), &leaf, &[], &[root.cert], &BasicX509);
        assert_within_budget(&v);
        assert_eq!(v.work().steps, 1, "{what}: {:?}", v.work());
        if what == "unknown critical extension" {
            assert!(v.has_failure(Check::CriticalExtensions), "{what}: {v}");
        }
        assert!(!v.to_string().is_empty());
        assert!(!leaf.subject_summary().is_empty(), "{what}");
        serde_json::to_string(&v).unwrap();
    }
}

/// One SEQUENCE around `content` (long-form length).
fn wrap_sequence(content: &[u8]) -> Vec<u8> {
    let mut out = vec![0x30, 0x83];
    out.extend(&(content.len() as u32).to_be_bytes()[1..]);
    out.extend(content);
    out
}

#[test]
fn a_self_anchored_leaf_does_no_path_work() {
    // The smallest evaluation: a leaf that is its own anchor does no path work at all, not
    // even a check of its self-signature (nothing reads it: no user setting, a SHA-256
    // signature, no other path to compare with).
    let leaf = CertBuilder::new("CN=self").build();
    let v = evaluate(
        Platform::latest(),
        &leaf.cert,
        &[],
        std::slice::from_ref(&leaf.cert),
        &BasicX509,
    );
    assert!(v.is_trusted(), "{v}");
    assert_eq!(
        v.work(),
        Work {
            steps: 0,
            signature_checks: 0,
            paths: 0,
            validated: 1,
            exhausted: false,
        }
    );
}
