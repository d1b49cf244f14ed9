//! Signature and hash algorithms, identified from AlgorithmIdentifiers.

use std::fmt;

use const_oid::ObjectIdentifier;

/// A digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum HashAlgorithm {
    /// MD2 (broken).
    Md2,
    /// MD4 (broken).
    Md4,
    /// MD5 (broken).
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// MD2, MD4 or MD5: WeakSignature (`apple-trust.md §2`).
    pub const fn is_broken(self) -> bool {
        matches!(
            self,
            HashAlgorithm::Md2 | HashAlgorithm::Md4 | HashAlgorithm::Md5
        )
    }
}

/// A certificate signature algorithm.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with the given hash (MD2/MD4/MD5 included, never verified).
    RsaPkcs1(HashAlgorithm),
    /// RSASSA-PSS with MGF1.
    RsaPss {
        /// The message hash.
        hash: HashAlgorithm,
        /// MGF1's hash.
        mgf1_hash: HashAlgorithm,
        /// Salt length in bytes.
        salt_len: u32,
    },
    /// ECDSA with the given hash.
    Ecdsa(HashAlgorithm),
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// DSA with the given hash (Apple does not support DSA).
    Dsa(HashAlgorithm),
    /// An algorithm the crate does not know (or malformed parameters), by OID.
    Unknown(ObjectIdentifier),
}

impl SignatureAlgorithm {
    /// The message hash, when the algorithm has one.
    pub fn hash(&self) -> Option<HashAlgorithm> {
        match self {
            SignatureAlgorithm::RsaPkcs1(h)
            | SignatureAlgorithm::Ecdsa(h)
            | SignatureAlgorithm::Dsa(h)
            | SignatureAlgorithm::RsaPss { hash: h, .. } => Some(*h),
            SignatureAlgorithm::Ed25519 | SignatureAlgorithm::Ed448 => Some(HashAlgorithm::Sha512),
            SignatureAlgorithm::Unknown(_) => None,
        }
    }

    /// MD2/MD4/MD5-based: reported as WeakSignature, never verified.
    pub fn is_broken_hash(&self) -> bool {
        self.hash().is_some_and(HashAlgorithm::is_broken)
    }

    /// Weak for path scoring: MD2/MD4/MD5/SHA-1/unknown (`apple-trust.md §4`).
    pub fn is_weak_for_scoring(&self) -> bool {
        matches!(
            self.hash(),
            None | Some(
                HashAlgorithm::Md2 | HashAlgorithm::Md4 | HashAlgorithm::Md5 | HashAlgorithm::Sha1
            )
        )
    }

    /// Decodes an AlgorithmIdentifier's DER (the whole SEQUENCE).
    pub fn from_algorithm_identifier(der: &[u8]) -> Self {
        todo!()
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureAlgorithm::RsaPkcs1(h) => write!(f, "{h:?}-with-RSA"),
            SignatureAlgorithm::RsaPss { hash, .. } => write!(f, "RSASSA-PSS-{hash:?}"),
            SignatureAlgorithm::Ecdsa(h) => write!(f, "ECDSA-with-{h:?}"),
            SignatureAlgorithm::Ed25519 => f.write_str("Ed25519"),
            SignatureAlgorithm::Ed448 => f.write_str("Ed448"),
            SignatureAlgorithm::Dsa(h) => write!(f, "DSA-with-{h:?}"),
            SignatureAlgorithm::Unknown(oid) => write!(f, "unknown ({oid})"),
        }
    }
}
