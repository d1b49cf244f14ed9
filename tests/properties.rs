//! Property tests of the evaluator over generated chains and policies
//! (`sectrust::testing::strategies`).
//!
//! Each property is an invariant of Apple's rules as `apple-trust.md` states them, checked on
//! chains with faults, cross-signs, loops, impostors, SANs of every kind and hosts related or
//! not, on every platform profile. 64 cases per property by default; `PROPTEST_CASES` and
//! `PROPTEST_RNG_SEED` override (see `strategies::test_config`).

use proptest::prelude::*;
use proptest::sample::Index;
use sectrust::explain::{Matrix, PlatformSet};
use sectrust::path::{APPLE_PATH_CAP, MAX_DEPTH, MAX_SEARCH_STEPS, MAX_SIGNATURE_CHECKS};
use sectrust::testing::CertBuilder;
use sectrust::testing::strategies::{
    ChainConfig, GeneratedChain, KeySpec, PolicySpec, chain_and_host, chain_and_policy, platform,
    test_config,
};
use sectrust::verdict::VerdictRecord;
use sectrust::{Certificate, Platform, RuleId, Verdict};

fn evaluate(chain: &GeneratedChain, policy: &PolicySpec, platform: Platform) -> Verdict {
    chain
        .evaluator(platform)
        .evaluate(
            &chain.leaf,
            &chain.intermediates,
            &[policy.policy().as_ref()],
        )
        .expect("generated inputs are never an input error")
}

/// Whether the search stopped at a bound, so it may not have seen every path.
fn cut_short(v: &Verdict) -> bool {
    let w = v.work();
    w.exhausted || (v.platform().has(RuleId::PathCap) && w.paths >= APPLE_PATH_CAP)
}

proptest! {
    #![proptest_config(test_config(64))]

    /// Evaluation never panics, and the same inputs give the same verdict — result, chain
    /// (by fingerprint), failures, primary error, notes and work — also when every certificate
    /// is parsed again from its DER and the evaluator is built anew.
    #[test]
    fn evaluation_is_deterministic(
        (chain, policy) in chain_and_policy(ChainConfig::default()),
        platform in platform(),
    ) {
        let first = evaluate(&chain, &policy, platform);
        let again = evaluate(&chain, &policy, platform);
        prop_assert_eq!(first.to_record(), again.to_record());

        let reparse = |c: &Certificate| Certificate::from_der(c.der()).unwrap();
        let fresh = GeneratedChain {
            leaf: reparse(&chain.leaf),
            intermediates: chain.intermediates.iter().map(reparse).collect(),
            anchors: chain.anchors.iter().map(reparse).collect(),
            ..chain.clone()
        };
        let third = evaluate(&fresh, &policy, platform);
        prop_assert_eq!(first.to_record(), third.to_record());
        // Rendering never panics either.
        prop_assert!(!first.to_string().is_empty());
    }

    /// The order of the intermediates the caller passes does not change whether the leaf is
    /// trusted (nor, when trusted, the result).
    ///
    /// The chosen chain may change: Apple stops at the first accepted path and, when none is
    /// accepted, keeps the best-scoring one with ties going to the path found first
    /// (`apple-trust.md §4`); and the failures of two equally scored untrusted paths can
    /// differ (e.g. an unknown critical extension on one of two issuers with the same name and
    /// key: the score does not read it). So the full verdict is order-independent only
    /// when there is a single candidate path ([`ChainSpec::has_single_path`]); that is checked
    /// too. The search must have seen every path in both orders (it always does on these sizes).
    #[test]
    fn intermediate_order_does_not_change_trust(
        (chain, policy) in chain_and_policy(ChainConfig::default()),
        platform in platform(),
        rotate in any::<Index>(),
    ) {
        let mut reordered = chain.intermediates.clone();
        reordered.reverse();
        if !reordered.is_empty() {
            let k = rotate.index(reordered.len());
            reordered.rotate_left(k);
        }
        let a = evaluate(&chain, &policy, platform);
        let b = evaluate(&chain.with_intermediates(reordered), &policy, platform);
        prop_assert!(!cut_short(&a) && !cut_short(&b), "{:?} {:?}", a.work(), b.work());
        prop_assert_eq!(a.is_trusted(), b.is_trusted(), "\n{}\n{}", a, b);
        if a.is_trusted() {
            prop_assert_eq!(a.result(), b.result());
        }
        if chain.spec.has_single_path() {
            prop_assert_eq!(a.to_record(), b.to_record());
        }
    }

    /// Hostname matching is case-insensitive: upper- or lower-casing (ASCII) the requested host
    /// never changes the verdict (`apple-trust.md §6`; DNS names compare case-insensitively, and
    /// IP-address hosts are hex either way).
    #[test]
    fn hostname_case_does_not_matter(
        (chain, host) in chain_and_host(ChainConfig::default()),
        platform in platform(),
    ) {
        let policy = PolicySpec::SslServer { host };
        let a = evaluate(&chain, &policy, platform);
        for change in [str::to_ascii_uppercase, str::to_ascii_lowercase] {
            let b = evaluate(&chain, &policy.map_host(change), platform);
            prop_assert_eq!(a.to_record(), b.to_record());
        }
    }

    /// Adding a certificate unrelated to the chain (a subject no certificate names as its
    /// issuer, a key of its own) to the intermediates, anywhere, never changes a trusted
    /// verdict. In fact it changes no verdict, work included: the builder only ever looks at
    /// certificates whose subject matches an issuer name (`apple-trust.md §4`). The same holds
    /// for an unrelated app anchor.
    #[test]
    fn an_unrelated_certificate_changes_nothing(
        (chain, policy) in chain_and_policy(ChainConfig::default()),
        platform in platform(),
        seed in 5_000_000u64..6_000_000,
        ca in any::<bool>(),
        issued_by_root in any::<bool>(),
        as_anchor in any::<bool>(),
        at in any::<Index>(),
    ) {
        let mut builder = CertBuilder::new(&format!("CN=Unrelated {seed},O=Elsewhere"))
            .key(KeySpec::P256(seed).key_pair());
        if ca {
            builder = builder.ca(None);
        }
        if issued_by_root {
            let root = chain.spec.root.builder().build();
            builder = builder.issued_by(&root);
        }
        let unrelated = builder.build().cert;
        let mut more = chain.clone();
        let list = if as_anchor { &mut more.anchors } else { &mut more.intermediates };
        list.insert(at.index(list.len() + 1), unrelated);
        // An anchor list that was empty turns anchors-only on: not the same question.
        prop_assume!(!(as_anchor && chain.anchors.is_empty()));

        let a = evaluate(&chain, &policy, platform);
        let b = evaluate(&more, &policy, platform);
        if a.is_trusted() {
            prop_assert!(b.is_trusted(), "\n{}\n{}", a, b);
        }
        prop_assert_eq!(a.to_record(), b.to_record());
    }

    /// Every failure carries its check's row of the table (`apple-trust.md §2`): OSStatus from
    /// the check, subtype as the platform has it; a failure that is not forced counts only
    /// because the policy has the key; trusted exactly when nothing counted; the primary error
    /// is a highest-ranked failure with its check's OSStatus and its subtype's message
    /// (`apple-trust.md §3`); the chain starts at the leaf, links by name, and a trusted one
    /// ends at an anchor.
    #[test]
    fn failures_come_from_the_check_table(
        (chain, policy) in chain_and_policy(ChainConfig::default()),
        platform in platform(),
    ) {
        let v = evaluate(&chain, &policy, platform);
        let options = policy.policy().options(&platform);
        for f in v.failures() {
            prop_assert_eq!(f.os_status, f.check.os_status(), "{:?}", f);
            prop_assert_eq!(f.subtype, platform.subtype(f.check), "{:?}", f);
            prop_assert!(f.cert_index < v.chain().len(), "{:?}", f);
            prop_assert!(f.forced || options.has(f.check), "{:?} not among {:?}", f, options.checks);
        }
        prop_assert_eq!(v.is_trusted(), v.failures().is_empty(), "{}", v);
        match v.primary_error() {
            None => prop_assert!(v.is_trusted()),
            Some(e) => {
                prop_assert_eq!(e.os_status, e.check.os_status());
                let top = v.failures().iter().map(|f| f.subtype.rank()).max();
                let winner = v
                    .failures()
                    .iter()
                    .find(|f| f.check == e.check && f.cert_index == e.cert_index);
                prop_assert!(winner.is_some(), "{:?} is not a failure", e);
                let winner = winner.unwrap();
                prop_assert_eq!(Some(winner.subtype.rank()), top);
                let template = winner.subtype.template();
                let (head, tail) = template.split_once("%@").unwrap();
                prop_assert!(e.message.starts_with(head) && e.message.ends_with(tail), "{}", e.message);
            }
        }
        prop_assert!(v.chain()[0].same_as(&chain.leaf));
        for pair in v.chain().windows(2) {
            prop_assert!(pair[1].subject().matches(pair[0].issuer()), "{}", v);
        }
        if v.is_trusted() {
            let last = v.chain().last().unwrap();
            prop_assert!(chain.anchors.iter().any(|a| a.same_as(last)), "{}", v);
        }
    }

    /// SSL's options include basic X.509's (`apple-trust.md §6, §8`), so a chain SSL accepts
    /// basic X.509 accepts too.
    #[test]
    fn basic_accepts_whatever_ssl_accepts(
        (chain, policy) in chain_and_policy(ChainConfig::default()),
        platform in platform(),
    ) {
        prop_assume!(policy != PolicySpec::BasicX509);
        let ssl = evaluate(&chain, &policy, platform);
        if ssl.is_trusted() {
            let basic = evaluate(&chain, &PolicySpec::BasicX509, platform);
            prop_assert!(basic.is_trusted(), "SSL:\n{}\nbasic:\n{}", ssl, basic);
        }
    }

    /// A verdict written as JSON reads back as its record, equal field for field; a record
    /// round-trips too, and a verdict's JSON is its record's JSON.
    #[test]
    fn a_verdict_round_trips_through_json(
        (chain, policy) in chain_and_policy(ChainConfig::default()),
        platform in platform(),
    ) {
        let v = evaluate(&chain, &policy, platform);
        let json = serde_json::to_string(&v).unwrap();
        let back: VerdictRecord = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &v.to_record());
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);
        for (fingerprint, cert) in back.chain.iter().zip(v.chain()) {
            prop_assert_eq!(fingerprint, &cert.sha256_hex());
        }
    }

    /// A platform matrix shares evaluations among profiles that agree on the rule rows an
    /// evaluation read; its verdicts equal evaluating every profile separately — everything but
    /// the work counters (a shared verdict keeps its evaluation's), on all 135 profiles.
    #[test]
    fn a_shared_matrix_equals_separate_evaluations(
        (chain, policy) in chain_and_policy(ChainConfig::default()),
    ) {
        let all = PlatformSet::all();
        let ev = chain.evaluator(Platform::latest());
        let policies = [policy.policy()];
        let policies: Vec<&dyn sectrust::Policy> = policies.iter().map(|p| p.as_ref()).collect();
        let shared = Matrix::evaluate(&ev, &all, &chain.leaf, &chain.intermediates, &policies)
            .expect("generated inputs are never an input error");
        let each =
            Matrix::evaluate_each(&ev, &all, &chain.leaf, &chain.intermediates, &policies)
                .expect("generated inputs are never an input error");
        prop_assert!(shared.evaluations() <= each.evaluations());
        for (s, e) in shared.entries().iter().zip(each.entries()) {
            let (mut s, mut e) = (s.verdict.to_record(), e.verdict.to_record());
            s.work = Default::default();
            e.work = Default::default();
            prop_assert_eq!(s, e);
        }
    }

    /// The work counters stay within the documented bounds (`path::budget`), also with a dozen
    /// same-name impostors: steps and signature checks under their caps, never more signature
    /// checks than (child, issuer key) pairs, Apple's 100-path cap where the platform has it,
    /// at most one validation per path plus the leaf alone, and a chain no deeper than
    /// MAX_DEPTH. These inputs are far too small to exhaust the budget.
    #[test]
    fn work_stays_within_the_bounds(
        (chain, policy) in chain_and_policy(ChainConfig {
            max_intermediates: 3,
            max_impostors: 12,
            ..ChainConfig::default()
        }),
        platform in platform(),
    ) {
        let v = evaluate(&chain, &policy, platform);
        let w = v.work();
        let certs = 1 + chain.intermediates.len() + chain.anchors.len();
        prop_assert!(w.steps <= MAX_SEARCH_STEPS, "{:?}", w);
        prop_assert!(w.signature_checks <= MAX_SIGNATURE_CHECKS, "{:?}", w);
        prop_assert!(w.signature_checks <= certs * certs, "{:?} for {} certificates", w, certs);
        if platform.has(RuleId::PathCap) {
            prop_assert!(w.paths <= APPLE_PATH_CAP, "{:?}", w);
        }
        prop_assert!(w.validated <= w.paths + 1, "{:?}", w);
        prop_assert!(v.chain().len() <= MAX_DEPTH.min(certs), "{}", v);
        prop_assert!(!w.exhausted, "{:?}", w);
    }
}

/// The strategies are worth something only if they produce both outcomes: a fixed sample has
/// trusted and untrusted verdicts under each policy kind.
#[test]
fn generated_inputs_cover_trusted_and_untrusted() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::new(proptest::test_runner::Config {
        failure_persistence: None,
        ..test_config(64)
    });
    let strategy = chain_and_policy(ChainConfig::default());
    let (mut trusted, mut untrusted, mut hosts) = (0, 0, 0);
    for _ in 0..64 {
        let (chain, policy) = strategy.new_tree(&mut runner).unwrap().current();
        hosts += usize::from(policy.host().is_some());
        if evaluate(&chain, &policy, Platform::latest()).is_trusted() {
            trusted += 1;
        } else {
            untrusted += 1;
        }
    }
    assert!(
        trusted >= 5 && untrusted >= 5,
        "{trusted} trusted, {untrusted} not"
    );
    assert!(hosts >= 10, "{hosts} SSL server policies with a host");
}

/// Why `intermediate_order_does_not_change_trust` compares trusted-ness, not the whole verdict:
/// two candidate issuers of the leaf with the same name and key, neither anchored, one of them
/// carrying an unknown critical extension. Both paths score the same (the score reads no
/// failure but acceptance, `apple-trust.md §4`), and CriticalExtensions is not an issuer check
/// (so neither path is set aside as rejected): the one found first is reported, and its
/// failures differ — CriticalExtensions and MissingIntermediate on one, only
/// MissingIntermediate on the other. Apple's tie rule says so.
#[test]
fn an_untrusted_result_can_depend_on_the_order_of_equal_paths() {
    use sectrust::testing::KeyPair;
    use sectrust::{BasicX509, Check, ObjectIdentifier, TrustResult};

    let absent_root = CertBuilder::new("CN=Absent Root").ca(None).build();
    let key = KeyPair::p256(4_000);
    let issuer = |serial: u64| {
        CertBuilder::new("CN=Same Issuer")
            .key(key.clone())
            .ca(None)
            .serial(serial)
            .issued_by(&absent_root)
    };
    let plain = issuer(1).build();
    let unknown = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.55555.1");
    let critical = issuer(2).extension(unknown, true, vec![0x05, 0x00]).build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&plain).build();
    let evaluate = |order: [&Certificate; 2]| {
        sectrust::TrustEvaluator::builder()
            .verify_time_unix(sectrust::testing::strategies::VERIFY_TIME)
            .build()
            .evaluate(
                &leaf.cert,
                &[order[0].clone(), order[1].clone()],
                &[&BasicX509],
            )
            .unwrap()
    };
    let failures = |v: &Verdict| -> Vec<(usize, Check)> {
        v.failures()
            .iter()
            .map(|f| (f.cert_index, f.check))
            .collect()
    };
    let plain_first = evaluate([&plain.cert, &critical.cert]);
    let critical_first = evaluate([&critical.cert, &plain.cert]);
    for v in [&plain_first, &critical_first] {
        assert_eq!(v.result(), TrustResult::RecoverableTrustFailure, "{v}");
    }
    assert_eq!(
        failures(&plain_first),
        [(1, Check::MissingIntermediate)],
        "{plain_first}"
    );
    assert_eq!(
        failures(&critical_first),
        [
            (1, Check::CriticalExtensions),
            (1, Check::MissingIntermediate)
        ],
        "{critical_first}"
    );
    assert!(plain_first.chain()[1].same_as(&plain.cert));
    assert!(critical_first.chain()[1].same_as(&critical.cert));
}

/// The strategies are deterministic given the proptest seed: two runners with the same seed
/// generate byte-identical certificates (keys come from seeds the strategy draws).
#[test]
fn the_same_seed_generates_the_same_certificates() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    let sample = |seed: u64| {
        let mut runner = TestRunner::new(Config {
            rng_seed: RngSeed::Fixed(seed),
            failure_persistence: None,
            ..Config::default()
        });
        let strategy = chain_and_policy(ChainConfig::default());
        (0..16)
            .map(|_| {
                let (chain, policy) = strategy.new_tree(&mut runner).unwrap().current();
                let mut der: Vec<Vec<u8>> = vec![chain.leaf.der().to_vec()];
                der.extend(chain.intermediates.iter().map(|c| c.der().to_vec()));
                der.extend(chain.anchors.iter().map(|c| c.der().to_vec()));
                (der, policy)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(sample(7), sample(7));
    assert_ne!(sample(7), sample(8));
}
