//! Property-testing a policy of your own with `sectrust::testing::strategies`.
//!
//! `CorpTls` below is a user policy: basic X.509 plus two rules of its own, reported under
//! Apple's check keys. Three properties every such policy should have are checked against
//! generated chains (faults, cross-signs, loops, SANs of every kind) on every platform:
//!
//! 1. it never accepts what `BasicX509` rejects (it only adds rules);
//! 2. every failure it causes is forced (as the engine raised it) or a key among its options;
//! 3. every check its `check_path` reports is declared in its options — an undeclared one is
//!    silently ignored by the engine (`apple-trust.md §2`), which is a bug in the policy.
//!
//! `Forgetful` has exactly that bug, and property 3 finds it: proptest shrinks the input to a
//! small counterexample and prints it.
//!
//! Run: `cargo run --example fuzz_my_policy` (32 cases per property; `PROPTEST_CASES=500` for
//! more, `PROPTEST_RNG_SEED=N` for another sample).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestError, TestRunner};
use sectrust::certificate::{GeneralName, KeyAlgorithm};
use sectrust::policy::PathView;
use sectrust::testing::strategies::{
    ChainConfig, GeneratedChain, chain_and_policy, platform, test_config,
};
use sectrust::{BasicX509, Check, ObjectIdentifier, Platform, Policy, PolicyOptions, Verdict};

/// Basic X.509, plus: the leaf has a SAN dNSName under `example.com` (else `SSLHostname` on
/// the leaf), and no certificate of the path has an RSA key (else `KeySize` on it).
#[derive(Debug)]
struct CorpTls {
    /// Declare the keys `check_path` reports (the correct thing to do).
    declare: bool,
}

impl Policy for CorpTls {
    fn oid(&self) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1")
    }

    fn name(&self) -> &str {
        "corpTls"
    }

    fn options(&self, platform: &Platform) -> PolicyOptions {
        let mut options = BasicX509::base_options(platform);
        // No hostname and no minimum key size are set, so the engine's own SSLHostname and
        // KeySize checks do not run: declaring the keys makes `check_path`'s failures count.
        options.insert(Check::SslHostname);
        if self.declare {
            options.insert(Check::KeySize);
        }
        options
    }

    fn check_path(&self, path: &PathView<'_>, failures: &mut Vec<(usize, Check)>) {
        let leaf = &path.certs[0];
        let under_example_com = leaf.extensions().subject_alt_names().any(|n| {
            matches!(n, GeneralName::Dns(d) if d.to_ascii_lowercase().ends_with(".example.com"))
        });
        if !under_example_com {
            failures.push((0, Check::SslHostname));
        }
        for (i, cert) in path.certs.iter().enumerate() {
            if cert.public_key().algorithm == KeyAlgorithm::Rsa {
                failures.push((i, Check::KeySize));
            }
        }
    }
}

fn evaluate(chain: &GeneratedChain, platform: Platform, policy: &dyn Policy) -> Verdict {
    chain
        .evaluator(platform)
        .evaluate(&chain.leaf, &chain.intermediates, &[policy])
        .expect("generated inputs are usable")
}

/// Runs `property` over generated chains and platforms; prints and returns the outcome.
fn check(
    name: &str,
    property: impl Fn(&GeneratedChain, Platform) -> Result<(), TestCaseError>,
) -> bool {
    // No failure file: a runner used directly has no source file to put it beside.
    let config = test_config(32);
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..config
    });
    let strategy = (chain_and_policy(ChainConfig::default()), platform());
    let cases = runner.config().cases;
    match runner.run(&strategy, |((chain, _), platform)| {
        property(&chain, platform)
    }) {
        Ok(()) => {
            println!("ok     {name} ({cases} cases)");
            true
        }
        Err(TestError::Fail(reason, ((chain, _), platform))) => {
            println!("FAILED {name}: {reason}");
            println!(
                "       minimal input: {platform}, leaf {:?}",
                chain.spec.leaf
            );
            false
        }
        Err(e) => {
            println!("ERROR  {name}: {e}");
            false
        }
    }
}

fn main() {
    let corp = CorpTls { declare: true };
    let forgetful = CorpTls { declare: false };

    let never_accepts_more = |policy: &'static CorpTls| {
        move |chain: &GeneratedChain, platform: Platform| {
            if evaluate(chain, platform, policy).is_trusted() {
                let basic = evaluate(chain, platform, &BasicX509);
                prop_assert!(
                    basic.is_trusted(),
                    "BasicX509 rejects what {policy:?} accepts"
                );
            }
            Ok(())
        }
    };
    let failures_are_declared = |policy: &'static CorpTls| {
        move |chain: &GeneratedChain, platform: Platform| {
            let options = policy.options(&platform);
            for f in evaluate(chain, platform, policy).failures() {
                prop_assert!(f.forced || options.has(f.check), "undeclared failure {f:?}");
            }
            Ok(())
        }
    };
    let reports_are_declared = |policy: &'static CorpTls| {
        move |chain: &GeneratedChain, platform: Platform| {
            // Run the policy's own checks on the path the engine chose, as the engine does.
            let verdict = evaluate(chain, platform, policy);
            let view = PathView {
                certs: verdict.chain(),
                platform,
                verify_time: chain.verify_time,
                anchor: verdict.anchor(),
                system_anchored: verdict.is_system_anchored(),
            };
            let mut reported = Vec::new();
            policy.check_path(&view, &mut reported);
            let options = policy.options(&platform);
            // The engine never forces what a policy's own `check_path` reports (a failure is
            // forced in the form the engine raises it — `Failure::forced` — not by its key):
            // a report counts only when its key is among the policy's options.
            for (index, check) in reported {
                prop_assert!(
                    options.has(check),
                    "check_path reports {check} on certificate {index}, which the options do \
                     not declare: the engine ignores it"
                );
            }
            Ok(())
        }
    };

    // `'static` policies for the closures.
    let corp: &'static CorpTls = Box::leak(Box::new(corp));
    let forgetful: &'static CorpTls = Box::leak(Box::new(forgetful));

    let mut all_ok = true;
    all_ok &= check(
        "CorpTls never accepts what BasicX509 rejects",
        never_accepts_more(corp),
    );
    all_ok &= check(
        "CorpTls failures are declared keys",
        failures_are_declared(corp),
    );
    all_ok &= check(
        "CorpTls reports only declared keys",
        reports_are_declared(corp),
    );
    println!();
    println!("The same property on a policy that forgets to declare KeySize:");
    let found = !check(
        "Forgetful reports only declared keys",
        reports_are_declared(forgetful),
    );
    println!();
    if all_ok && found {
        println!("summary: CorpTls holds all three properties; the Forgetful bug was found");
    } else {
        println!("summary: unexpected outcome (CorpTls ok: {all_ok}, bug found: {found})");
        std::process::exit(1);
    }
}
