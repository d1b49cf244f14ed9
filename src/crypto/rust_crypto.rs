//! The RustCrypto backend (pure Rust).

use super::{SignatureAlgorithm, SignatureError, SignatureVerifier};

/// Verifies signatures with the RustCrypto crates.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCryptoVerifier;

impl SignatureVerifier for RustCryptoVerifier {
    fn verify(
        &self,
        _algorithm: &SignatureAlgorithm,
        _spki: &[u8],
        _message: &[u8],
        _signature: &[u8],
    ) -> Result<(), SignatureError> {
        todo!()
    }
}
