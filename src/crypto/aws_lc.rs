//! The aws-lc-rs backend.

use super::{SignatureAlgorithm, SignatureError, SignatureVerifier};

/// Verifies signatures with aws-lc-rs.
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsLcVerifier;

impl SignatureVerifier for AwsLcVerifier {
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
