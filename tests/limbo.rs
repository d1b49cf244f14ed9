//! x509-limbo (`../shared/conformance/limbo/limbo.json`) at platform `latest`, through exactly
//! the mapping `sectrust limbo` uses (`examples/sectrust/limbo/map.rs`, included below).
//!
//! Every case that does not give limbo's expected result — and every skipped case — must be
//! listed in `tests/deviations/limbo.tsv` with the Apple rule behind it; a listed case that now
//! agrees must be removed. The `has-crl` cases run in the RFC 5280 revocation mode with their
//! CRLs (see the mapping). Skips with a message when the suite is absent.

mod common;

#[allow(dead_code)]
#[path = "../examples/sectrust/rfc3339.rs"]
mod rfc3339;

#[path = "../examples/sectrust/limbo/map.rs"]
mod limbo_map;

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::conformance::{check_deviations, load_deviations, suite_dir};
use limbo_map::{Actual, Expectation, Harness, LimboFile, Testcase};
use sectrust::path::{MAX_SEARCH_STEPS, MAX_SIGNATURE_CHECKS};

/// The share of the cases run (skips left out) that must give limbo's expected result. Measured:
/// 9,780 cases, 9,775 run, 9,732 pass (99.56%) with the machine's public-suffix list.
const MIN_PASS_RATE: f64 = 0.995;

/// The most cases that may be skipped: the five `max-chain-depth` cases (Apple has no such
/// setting). The `crl::` cases are not skipped: they run in the RFC 5280 revocation mode.
const MAX_SKIPPED: usize = 5;

/// limbo's `has-crl` cases, all of which must run and agree.
const CRL_CASES: usize = 8;

/// The most cases run that may be accepted against limbo's expectation. Each one is listed in
/// `limbo.tsv` with the Apple rule that accepts it: Apple does not enforce RFC 5280's and the
/// CA/B Forum's issuance rules that trustd has no check for (AKI/SKI presence, criticality of
/// known extensions, serial numbers, CN/SAN consistency, EKU on roots, CA certificates as
/// leaves …). The bound keeps that set from growing unnoticed.
const MAX_FALSE_ACCEPTS: usize = 43;

/// The feature tag of the cases decided by a public-suffix list.
const PUBLIC_SUFFIX_FEATURE: &str = "pedantic-public-suffix-wildcard";

/// The limbo file, parsed once for all tests of this binary (`None` when absent).
fn limbo() -> Option<&'static LimboFile> {
    static LIMBO: OnceLock<Option<LimboFile>> = OnceLock::new();
    LIMBO
        .get_or_init(|| {
            let dir = suite_dir("limbo")?;
            let text = std::fs::read_to_string(dir.join("limbo.json")).expect("limbo.json");
            let file: LimboFile = serde_json::from_str(&text).expect("a limbo file");
            assert_eq!(file.version, 1, "limbo schema version");
            Some(file)
        })
        .as_ref()
}

#[test]
fn limbo_agrees_except_for_listed_apple_deviations() {
    let Some(limbo) = limbo() else {
        return;
    };
    let harness = Harness::new();
    if !harness.has_public_suffix_list() {
        eprintln!(
            "limbo: no public-suffix list at {}; cases tagged {PUBLIC_SUFFIX_FEATURE} not compared",
            limbo_map::SYSTEM_PUBLIC_SUFFIX_LIST
        );
    }
    let compared = |case: &Testcase| {
        harness.has_public_suffix_list()
            || !case.features.iter().any(|f| f == PUBLIC_SUFFIX_FEATURE)
    };
    let mut deviating = BTreeMap::new();
    let mut listed = load_deviations("limbo.tsv");
    let (mut passed, mut skipped, mut false_accepts, mut false_rejects) = (0, 0, 0, 0);
    let mut total = 0;
    for case in &limbo.testcases {
        if !compared(case) {
            listed.remove(&case.id);
            continue;
        }
        total += 1;
        let outcome = harness.run(case);
        match (outcome.actual, case.expected_result) {
            (Actual::Skipped, _) => skipped += 1,
            (actual, expected) if actual.agrees_with(expected) => {
                passed += 1;
                continue;
            }
            (_, Expectation::Failure) => false_accepts += 1,
            (_, Expectation::Success) => false_rejects += 1,
        }
        deviating.insert(
            case.id.clone(),
            format!(
                "{} (limbo expects {:?}): {}",
                outcome.actual.as_str(),
                case.expected_result,
                outcome.context
            ),
        );
    }
    let run = total - skipped;
    let rate = passed as f64 / run as f64;
    eprintln!(
        "x509-limbo: {total} cases, {run} run: {passed} pass ({:.2}%), {false_accepts} false \
         accepts, {false_rejects} false rejects, {skipped} skipped",
        100.0 * rate
    );
    check_deviations("x509-limbo", &deviating, &listed, total);
    assert!(
        rate >= MIN_PASS_RATE,
        "pass rate {rate:.4} < {MIN_PASS_RATE}"
    );
    assert!(
        false_accepts <= MAX_FALSE_ACCEPTS,
        "{false_accepts} false accepts > {MAX_FALSE_ACCEPTS}"
    );
    assert!(skipped <= MAX_SKIPPED, "{skipped} skipped > {MAX_SKIPPED}");
}

/// The `has-crl` cases run (RFC 5280 revocation mode, the case's CRLs, the SSL policy of the
/// case) and give limbo's expected result, revoked leaves included.
#[test]
fn crl_cases_run_in_the_rfc5280_mode_and_agree() {
    let Some(limbo) = limbo() else {
        return;
    };
    let harness = Harness::new();
    let mut ran = 0;
    for case in limbo
        .testcases
        .iter()
        .filter(|c| c.features.iter().any(|f| f == "has-crl"))
    {
        let outcome = harness.run(case);
        assert!(
            outcome.actual.agrees_with(case.expected_result),
            "{}: {} (limbo expects {:?}): {}",
            case.id,
            outcome.actual.as_str(),
            case.expected_result,
            outcome.context
        );
        ran += 1;
    }
    assert_eq!(ran, CRL_CASES, "has-crl cases in limbo.json");
}

/// x509-limbo's denial-of-service shapes (`pathological::`): bounded work, milliseconds each.
#[test]
fn pathological_cases_are_cheap() {
    let Some(limbo) = limbo() else {
        return;
    };
    let harness = Harness::new();
    let mut ran = 0;
    for case in limbo
        .testcases
        .iter()
        .filter(|c| c.id.starts_with("pathological::"))
    {
        let start = Instant::now();
        let outcome = harness.run(case);
        let elapsed = start.elapsed();
        let work = outcome.work.expect("evaluated, not skipped");
        eprintln!("{}: {elapsed:?}, {work:?}", case.id);
        assert!(work.steps <= MAX_SEARCH_STEPS, "{}: {work:?}", case.id);
        assert!(
            work.signature_checks <= MAX_SIGNATURE_CHECKS,
            "{}: {work:?}",
            case.id
        );
        // Generous enough for an unoptimised build on a busy machine.
        assert!(elapsed < Duration::from_secs(2), "{}: {elapsed:?}", case.id);
        ran += 1;
    }
    assert_eq!(ran, 11, "pathological cases in limbo.json");
}
