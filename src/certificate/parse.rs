//! DER/PEM decoding into [`Parsed`], with the raw TBS and SPKI byte ranges sliced out by der's
//! reader (signatures are verified over the original bytes, never a re-encoding).

use super::{Certificate, Parsed};
use crate::error::Error;

/// Parses one DER certificate.
pub(crate) fn parse(der: &[u8]) -> Result<Parsed, Error> {
    todo!()
}

/// Parses every CERTIFICATE block of a PEM text.
pub(crate) fn parse_pem_bundle(pem: &str) -> Result<Vec<Certificate>, Error> {
    todo!()
}

/// DER or PEM, detected by content.
pub(crate) fn parse_any(bytes: &[u8]) -> Result<Vec<Certificate>, Error> {
    todo!()
}
