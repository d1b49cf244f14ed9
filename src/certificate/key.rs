//! The subject public key: algorithm and size (`apple-trust.md §2` WeakKeySize, §6 KeySize).

use const_oid::ObjectIdentifier;

/// An elliptic curve.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Curve {
    /// secp192r1.
    P192,
    /// secp224r1.
    P224,
    /// secp256r1.
    P256,
    /// secp384r1.
    P384,
    /// secp521r1.
    P521,
    /// Any other named curve.
    Other(ObjectIdentifier),
}

/// The algorithm of a public key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// rsaEncryption (also RSASSA-PSS keys).
    Rsa,
    /// id-ecPublicKey on a named curve.
    Ec(Curve),
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// DSA (Apple does not support DSA: WeakKeySize).
    Dsa,
    /// Anything else.
    Unknown(ObjectIdentifier),
}

/// A parsed subject public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// The algorithm.
    pub algorithm: KeyAlgorithm,
    /// Size in bits: the RSA modulus length, the curve's field size (256 for P-256), 256 for
    /// Ed25519, 456 for Ed448; `None` when the key could not be parsed.
    pub bits: Option<u32>,
}

impl PublicKey {
    /// Whether the key parsed and its algorithm is one Apple supports.
    pub fn is_usable(&self) -> bool {
        self.bits.is_some()
            && !matches!(self.algorithm, KeyAlgorithm::Dsa | KeyAlgorithm::Unknown(_))
    }
}
