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

use std::any::Any;
use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::certificate::Certificate;

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

    /// Verifies `child`'s signature with `issuer`'s public key: the path builder's question.
    ///
    /// The default calls [`verify`](Self::verify) with the issuer's SPKI. The built-in backends
    /// override it to keep the issuer's parsed key on the certificate, so an
    /// issuer checked again — the intermediate of many leaves, an anchor in every evaluation —
    /// is not parsed again. The answer is the same as [`verify`](Self::verify)'s.
    fn verify_certificate(
        &self,
        child: &Certificate,
        issuer: &Certificate,
    ) -> Result<(), SignatureError> {
        self.verify(
            child.signature_algorithm(),
            issuer.spki_der(),
            child.tbs_der(),
            child.signature(),
        )
    }
}

/// A backend's parsed form of one certificate's public key, kept on the certificate after its
/// first signature check (`None` when the backend could not prepare it: its checks then take
/// the unprepared path, which reports why). One slot per certificate: the first backend to use
/// it owns it; another backend finds a value of a type it does not know and does not use it.
#[derive(Default)]
pub(crate) struct KeySlot(OnceLock<Option<Box<dyn Any + Send + Sync>>>);

impl KeySlot {
    /// The prepared key of type `T`, preparing it with `prepare` on first use.
    pub(crate) fn get_or_prepare<T: Any + Send + Sync>(
        &self,
        prepare: impl FnOnce() -> Option<T>,
    ) -> Option<&T> {
        self.0
            .get_or_init(|| prepare().map(|t| Box::new(t) as Box<dyn Any + Send + Sync>))
            .as_ref()
            .and_then(|b| b.downcast_ref::<T>())
    }
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

/// SHA-256 of `data` (certificate and key fingerprints), with the backend's implementation:
/// aws-lc has SIMD code for processors without SHA extensions, where the `sha2` crate falls back
/// to portable code (about 1.5× the instructions per block).
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    #[cfg(feature = "aws-lc-rs")]
    {
        let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        out
    }
    #[cfg(all(not(feature = "aws-lc-rs"), feature = "rustcrypto"))]
    {
        use sha2::Digest as _;
        sha2::Sha256::digest(data).into()
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

// Certificates come from `crate::testing`, which `cargo test` always enables.
#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::testing::{CertBuilder, Issued, KeyPair};

    /// Every backend this build has.
    #[allow(
        clippy::vec_init_then_push,
        reason = "each push is behind its own backend feature"
    )]
    fn verifiers() -> Vec<Arc<dyn SignatureVerifier>> {
        let mut v: Vec<Arc<dyn SignatureVerifier>> = Vec::new();
        #[cfg(feature = "aws-lc-rs")]
        v.push(Arc::new(AwsLcVerifier));
        #[cfg(feature = "rustcrypto")]
        v.push(Arc::new(RustCryptoVerifier));
        v
    }

    fn ca(key: KeyPair) -> Issued {
        CertBuilder::new("CN=Kept Key CA").key(key).ca(None).build()
    }

    /// Children of `issuer`: SHA-256, SHA-384, SHA-256 with a bad signature, SHA-512.
    fn children(issuer: &Issued) -> Vec<Certificate> {
        let child = |hash, corrupt: bool| {
            let b = CertBuilder::new("CN=child")
                .key(KeyPair::p256(9))
                .issued_by(issuer)
                .signature_hash(hash);
            if corrupt { b.corrupt_signature() } else { b }.build().cert
        };
        vec![
            child(HashAlgorithm::Sha256, false),
            child(HashAlgorithm::Sha384, false),
            child(HashAlgorithm::Sha256, true),
            child(HashAlgorithm::Sha512, false),
        ]
    }

    fn plain(
        v: &dyn SignatureVerifier,
        child: &Certificate,
        issuer: &Certificate,
    ) -> Result<(), SignatureError> {
        v.verify(
            child.signature_algorithm(),
            issuer.spki_der(),
            child.tbs_der(),
            child.signature(),
        )
    }

    /// The kept key answers exactly as `verify` does: for the algorithm it was kept for, for
    /// other algorithms (aws-lc binds a parsed key to one), for a bad signature, and for an
    /// algorithm the backend does not verify (RSA-1024 with SHA-384 in aws-lc).
    #[test]
    fn verify_certificate_answers_as_verify() {
        for key in [
            KeyPair::rsa(2048, 1),
            KeyPair::p256(1),
            KeyPair::rsa(1024, 1),
        ] {
            for v in verifiers() {
                // A fresh issuer per backend: its key slot starts empty.
                let issuer = ca(key.clone());
                for child in children(&issuer).iter().chain(&children(&issuer)) {
                    assert_eq!(
                        v.verify_certificate(child, &issuer.cert),
                        plain(v.as_ref(), child, &issuer.cert),
                        "{v:?} {key:?} {}",
                        child.signature_algorithm()
                    );
                }
            }
        }
    }

    /// A key slot filled by one backend is not used by another: the other answers as `verify`.
    #[test]
    fn a_key_kept_by_one_backend_does_not_confuse_another() {
        let issuer = ca(KeyPair::p256(2));
        let kids = children(&issuer);
        for v in verifiers().iter().chain(verifiers().iter().rev()) {
            for child in &kids {
                assert_eq!(
                    v.verify_certificate(child, &issuer.cert),
                    plain(v.as_ref(), child, &issuer.cert),
                    "{v:?}"
                );
            }
        }
    }
}
