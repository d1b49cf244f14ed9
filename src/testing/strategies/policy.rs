//! [`PolicySpec`]: the policy to evaluate a generated chain under.

use proptest::prelude::*;
use proptest::sample::select;

use super::chain::{ChainConfig, ChainSpec, GeneratedChain, chain_spec};
use super::names::host_candidates;
use crate::policy::{BasicX509, Policy, Ssl};

/// One of Apple's policies, as data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PolicySpec {
    /// `SecPolicyCreateBasicX509`.
    BasicX509,
    /// `SecPolicyCreateSSL(true, host)`.
    SslServer {
        /// The requested host.
        host: String,
    },
    /// `SecPolicyCreateSSL(true, NULL)`: no hostname check.
    SslServerAnyHost,
    /// `SecPolicyCreateSSL(false, NULL)`.
    SslClient,
}

impl PolicySpec {
    /// The policy.
    pub fn policy(&self) -> Box<dyn Policy> {
        match self {
            PolicySpec::BasicX509 => Box::new(BasicX509),
            PolicySpec::SslServer { host } => Box::new(Ssl::server(host.clone())),
            PolicySpec::SslServerAnyHost => Box::new(Ssl::server_any_host()),
            PolicySpec::SslClient => Box::new(Ssl::client(None::<String>)),
        }
    }

    /// The requested host, for the SSL server policy with one.
    pub fn host(&self) -> Option<&str> {
        match self {
            PolicySpec::SslServer { host } => Some(host),
            _ => None,
        }
    }

    /// The same policy with `f` applied to the requested host (others unchanged).
    pub fn map_host(&self, f: impl FnOnce(&str) -> String) -> PolicySpec {
        match self {
            PolicySpec::SslServer { host } => PolicySpec::SslServer { host: f(host) },
            other => other.clone(),
        }
    }
}

/// A policy for a chain built from `spec`: BasicX509, SSL client, SSL server without a host,
/// or (most often) SSL server with a host from [`host_candidates`] of the leaf — usually the
/// first (derived from its first SAN entry), else any: its own names, names under its
/// wildcards, its IP addresses, its CN, or unrelated names.
pub fn policy_for(spec: &ChainSpec) -> impl Strategy<Value = PolicySpec> + use<> {
    let hosts = host_candidates(&spec.leaf.san, spec.leaf.common_name());
    let server = |host: String| PolicySpec::SslServer { host };
    prop_oneof![
        2 => Just(PolicySpec::BasicX509),
        1 => Just(PolicySpec::SslClient),
        1 => Just(PolicySpec::SslServerAnyHost),
        4 => Just(server(hosts[0].clone())),
        3 => select(hosts).prop_map(server),
    ]
}

/// A generated chain with a policy drawn for it by [`policy_for`].
pub fn chain_and_policy(
    config: ChainConfig,
) -> impl Strategy<Value = (GeneratedChain, PolicySpec)> {
    chain_spec(config).prop_flat_map(|spec| {
        let policy = policy_for(&spec);
        (Just(spec.build()), policy)
    })
}

/// A generated chain with a host to request for its leaf: one of [`host_candidates`] (its
/// names, names under its wildcards, its IP addresses, its CN, unrelated names). For
/// properties of `Ssl::server` alone.
pub fn chain_and_host(config: ChainConfig) -> impl Strategy<Value = (GeneratedChain, String)> {
    chain_spec(config).prop_flat_map(|spec| {
        let hosts = host_candidates(&spec.leaf.san, spec.leaf.common_name());
        (Just(spec.build()), select(hosts))
    })
}
