//! [`KeySpec`]: which deterministic key a generated certificate has.

use std::ops::Range;

use proptest::prelude::*;

use crate::testing::KeyPair;

/// RSA sizes the strategies draw (bits). Each (size, seed) key is generated once per process
/// by [`KeyPair::rsa`]; with the few seeds [`key_spec`] uses that is a handful of keys.
pub const RSA_SIZES: [usize; 2] = [1024, 2048];

/// A key as data: its type, size and seed. [`KeySpec::key_pair`] makes the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeySpec {
    /// [`KeyPair::p256`].
    P256(u64),
    /// [`KeyPair::p384`].
    P384(u64),
    /// [`KeyPair::ed25519`].
    Ed25519(u64),
    /// [`KeyPair::rsa`] (`bits` is one of [`RSA_SIZES`]).
    Rsa {
        /// Modulus size.
        bits: usize,
        /// Seed (few distinct values, so the cache stays small).
        seed: u64,
    },
}

impl KeySpec {
    /// The key pair (RSA from the process cache).
    pub fn key_pair(&self) -> KeyPair {
        match *self {
            KeySpec::P256(seed) => KeyPair::p256(seed),
            KeySpec::P384(seed) => KeyPair::p384(seed),
            KeySpec::Ed25519(seed) => KeyPair::ed25519(seed),
            KeySpec::Rsa { bits, seed } => KeyPair::rsa(bits, seed),
        }
    }
}

/// A key of any supported type: mostly P-256 (cheap), sometimes P-384, Ed25519 or RSA 1024 /
/// 2048. EC and Ed25519 seeds are drawn from `seeds` (give each certificate role its own range,
/// so shrinking towards the range's start never makes two roles share a key); RSA keys use
/// `rsa_seed` (one per role) to keep the RSA cache to a few keys.
pub fn key_spec(seeds: Range<u64>, rsa_seed: u64) -> impl Strategy<Value = KeySpec> {
    prop_oneof![
        12 => seeds.clone().prop_map(KeySpec::P256),
        2 => seeds.clone().prop_map(KeySpec::P384),
        1 => seeds.prop_map(KeySpec::Ed25519),
        1 => prop_oneof![3 => Just(RSA_SIZES[1]), 1 => Just(RSA_SIZES[0])]
            .prop_map(move |bits| KeySpec::Rsa { bits, seed: rsa_seed }),
    ]
}
