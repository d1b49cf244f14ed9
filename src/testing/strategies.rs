//! [proptest](mod@proptest) strategies for certificates, chains and policies (feature `testing`).
//!
//! Property tests of trust code need inputs that are varied yet meaningful: chains that are
//! mostly well formed, with now and then an expired certificate, a SHA-1 or MD5 signature, a
//! missing intermediate, a cross-sign or a loop, SANs of every kind, name constraints that
//! match or do not, and hostnames related or unrelated to the SAN. These strategies make such
//! inputs as plain data first — a [`ChainSpec`] of [`CertSpec`]s, a [`PolicySpec`] — and build
//! certificates from the data with the fixture DSL ([`CertBuilder`](super::CertBuilder)), so:
//!
//! - **Deterministic**: keys come from seeds drawn by the strategy ([`KeySpec`]), dates are
//!   fixed around [`VERIFY_TIME`]; the same proptest seed gives byte-identical certificates.
//! - **Shrinkable**: proptest shrinks the data (fewer SAN entries, fewer intermediates, no
//!   cross-sign, SHA-256 instead of MD5) and rebuilds, so a failure is reported small.
//! - **Cheap**: P-256 keys by default; RSA keys (1024 and 2048 bits) are few and come from
//!   [`KeyPair::rsa`](super::KeyPair::rsa)'s process-wide cache.
//!
//! The main entry points are [`generated_chain`] (a [`GeneratedChain`]: leaf, intermediates,
//! anchors and verify time, ready to evaluate), [`chain_and_policy`] (with a policy whose
//! hostname is drawn from the leaf's SAN or elsewhere), [`chain_and_host`], [`platform`],
//! [`test_config`], and the parts they are made of ([`leaf_cert_spec`], [`ca_cert_spec`],
//! [`key_spec`], [`san_entry`], [`dns_name`], [`eku`], [`key_usage`], [`validity`],
//! [`signature_hash`]).
//!
//! ```
//! use proptest::prelude::*;
//! use proptest::test_runner::{Config, TestRunner};
//! use sectrust::testing::strategies::{chain_and_policy, ChainConfig};
//!
//! let mut runner = TestRunner::new(Config { cases: 4, ..Config::default() });
//! runner
//!     .run(&chain_and_policy(ChainConfig::default()), |(chain, policy)| {
//!         let verdict = chain
//!             .evaluator(sectrust::Platform::latest())
//!             .evaluate(&chain.leaf, &chain.intermediates, &[policy.policy().as_ref()])
//!             .expect("generated input is usable");
//!         // A trusted verdict has no counted failure.
//!         prop_assert_eq!(verdict.is_trusted(), verdict.failures().is_empty());
//!         Ok(())
//!     })
//!     .unwrap();
//! ```
//!
//! Test files usually go through the `proptest!` macro instead; `examples/fuzz_my_policy.rs`
//! shows how to property-test a policy of your own.

mod cert;
mod chain;
mod keys;
mod names;
mod policy;

pub use cert::{
    BasicConstraintsSpec, CertSpec, Validity, eku, key_usage, signature_hash, validity,
};
pub use chain::{
    ChainConfig, ChainSpec, CrossSign, GeneratedChain, ca_cert_spec, chain_spec, generated_chain,
    leaf_cert_spec,
};
pub use keys::{KeySpec, RSA_SIZES, key_spec};
pub use names::{
    NameConstraintsSpec, SanEntry, Subtree, dns_name, host_candidates, san_entry, san_list,
};
pub use policy::{PolicySpec, chain_and_host, chain_and_policy, policy_for};

/// Re-exported so users of these strategies need no direct `proptest` dependency for the
/// basics (`proptest::prelude::*` still needs one).
pub use proptest;

use proptest::prelude::*;

use crate::platform::Platform;

/// The fixed instant every generated chain is evaluated at: 2024-01-01T00:00:00Z (the same as
/// [`Pki::T_VALID`](super::Pki::T_VALID)). Validity windows are drawn around it.
pub const VERIFY_TIME: i64 = 1_704_067_200;

/// Any known platform profile ([`Platform::all`]), iOS 5 to the latest macOS, uniformly.
pub fn platform() -> impl Strategy<Value = Platform> {
    proptest::sample::select(Platform::all().collect::<Vec<_>>())
}

/// A proptest configuration for CI-sized runs: `default_cases` cases unless `PROPTEST_CASES`
/// says otherwise, a fixed RNG seed unless `PROPTEST_RNG_SEED` gives one (so a CI run is
/// reproducible, and exploring is one environment variable away:
/// `PROPTEST_CASES=2000 PROPTEST_RNG_SEED=$RANDOM cargo test --test properties`), and up to
/// 1,024 shrinking steps unless `PROPTEST_MAX_SHRINK_ITERS` says otherwise (proptest's
/// automatic limit is 4 × cases, too few to shrink a chain far). Every other `PROPTEST_*`
/// variable works as proptest documents.
pub fn test_config(default_cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let unset = |name: &str| std::env::var_os(name).is_none();
    let mut config = Config::default();
    if unset("PROPTEST_CASES") {
        config.cases = default_cases;
    }
    if unset("PROPTEST_RNG_SEED") {
        config.rng_seed = RngSeed::Fixed(0x5ec7_2057);
    }
    if unset("PROPTEST_MAX_SHRINK_ITERS") {
        config.max_shrink_iters = 1_024;
    }
    config
}
