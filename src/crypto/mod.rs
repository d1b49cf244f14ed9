//! Signature verification behind a small trait, with two backends as features: `aws-lc-rs`
//! (default) and `rustcrypto` (pure Rust).
//!
//! MD2/MD4/MD5 signatures are recognised (so the engine can report WeakSignature) but never
//! verified by either backend.

mod algorithm;
#[cfg(feature = "aws-lc-rs")]
mod aws_lc;
#[cfg(feature = "rustcrypto")]
mod rust_crypto;
mod spki;
#[cfg(test)]
mod testkit;

pub use algorithm::{HashAlgorithm, SignatureAlgorithm};
#[cfg(feature = "aws-lc-rs")]
pub use aws_lc::AwsLcVerifier;
#[cfg(feature = "rustcrypto")]
pub use rust_crypto::RustCryptoVerifier;
#[cfg(feature = "formats")]
pub(crate) use spki::{Hash, with_digest};

use std::fmt;
use std::sync::Arc;

#[cfg(not(any(feature = "aws-lc-rs", feature = "rustcrypto")))]
compile_error!("sectrust needs a signature backend: enable feature `aws-lc-rs` or `rustcrypto`");

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The backend does not verify this algorithm (or this key size): MD2/MD4/MD5, DSA, unknown
    /// OIDs, keys outside the backend's range.
    #[error("unsupported signature algorithm or key: {0}")]
    Unsupported(String),
    /// The public key could not be parsed for this algorithm.
    #[error("unusable public key: {0}")]
    BadKey(String),
    /// The signature is wrong.
    #[error("signature does not verify")]
    Invalid,
}

/// Verifies one signature. Implement it to plug in another crypto library or an HSM.
pub trait SignatureVerifier: Send + Sync + fmt::Debug {
    /// Verifies `signature` over `message` with the public key in `spki` (a DER
    /// SubjectPublicKeyInfo) under `algorithm`.
    fn verify(
        &self,
        algorithm: &SignatureAlgorithm,
        spki: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError>;
}

/// The default backend: aws-lc-rs when enabled, else RustCrypto.
pub fn default_verifier() -> Arc<dyn SignatureVerifier> {
    #[cfg(feature = "aws-lc-rs")]
    {
        Arc::new(AwsLcVerifier)
    }
    #[cfg(all(not(feature = "aws-lc-rs"), feature = "rustcrypto"))]
    {
        Arc::new(RustCryptoVerifier)
    }
}

/// SHA-1 of `data`: OCSP CertIDs and responder key hashes (RFC 6960 §4.1.1, §4.2.1) name
/// certificates by SHA-1; nothing is signed or trusted on this hash alone.
pub(crate) fn sha1(data: &[u8]) -> [u8; 20] {
    #[cfg(feature = "aws-lc-rs")]
    {
        let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, data);
        let mut out = [0u8; 20];
        out.copy_from_slice(d.as_ref());
        out
    }
    #[cfg(all(not(feature = "aws-lc-rs"), feature = "rustcrypto"))]
    {
        use sha1::Digest as _;
        sha1::Sha1::digest(data).into()
    }
}
