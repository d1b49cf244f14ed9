//! Revocation as Apple does it (`apple-trust.md §9`), plus an opt-in RFC 5280 mode.
//!
//! Apple's behaviour, in every evaluation, revocation policy or not:
//! - the OCSP responses the caller supplies ([`RevocationInputs::ocsp_responses`]: stapled or
//!   cached) are consulted for every certificate of the path that has its issuer in the path;
//! - a revoked status gives `Revocation` (forced, fatal — recoverable on the result models
//!   before iOS 11, platforms.md) at that certificate, with the CRL reason code (0 when none)
//!   as the detail value;
//! - "unknown", or no usable response, is a soft failure: no error, a note in the verdict;
//! - a [`Revocation`] policy with `RequirePositiveResponse` fails `RevocationResponseRequired`
//!   (recoverable, forced) at the LEAF when no valid response was obtained for it, whatever the
//!   network setting;
//! - CRLs ([`RevocationInputs::crls`]) are consulted only where Apple checked them — the CSSM
//!   engine of macOS 10.7–10.11 and trustd on macOS 10.12–10.14 — and only when a policy asks
//!   for a method that includes CRLs (a revocation policy, or S/MIME on macOS); never on iOS;
//! - the network (a caller-supplied [`OcspFetcher`]; the library does no I/O) is used only
//!   when it is allowed and the path is extended validation (EV roots of the
//!   [`SystemStore`](crate::SystemStore)), a policy asks for revocation explicitly,
//!   or a supplied response saying "revoked" has expired (Apple's stale cached revoked
//!   response; see [`OcspResponse::is_stale_revocation`]).
//!
//! Responses and CRLs that do not parse, do not verify, name another certificate, or are out of
//! date are ignored and said so in the verdict's notes; they are never trusted.
//!
//! The RFC 5280 mode ([`TrustEvaluatorBuilder::rfc5280_revocation`]) goes beyond Apple for
//! users and test suites that want RFC 5280 §6.3: on any platform it checks the supplied CRLs
//! (and OCSP responses) for every certificate below the anchor and HARD-FAILS a certificate
//! whose status no CRL or response determines (`RevocationResponseRequired` at that index,
//! forced) — PKITS 4.4.1 "Missing CRL" expects that failure.
//!
//! [`TrustEvaluatorBuilder::rfc5280_revocation`]: crate::TrustEvaluatorBuilder::rfc5280_revocation

pub(crate) mod asn1;
pub(crate) mod check;
pub mod crl;
pub mod ocsp;
mod policy;

pub use check::MAX_FETCHES;
pub use crl::Crl;
pub use ocsp::{OcspResponse, ParseError};
pub use policy::{Revocation, RevocationFlags};

use std::fmt;

/// The revocation settings a policy carries (Apple's `kSecPolicyCheckRevocation` and its
/// companion keys). [`Revocation`] fills it from its flags; other policies may carry it too —
/// S/MIME on macOS turns revocation on with [`RevocationOptions::any_method`]
/// (`apple-trust.md §7`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RevocationOptions {
    /// Check by OCSP (`kSecPolicyCheckRevocationOCSP` or `…Any`).
    pub ocsp: bool,
    /// Check by CRL (`kSecPolicyCheckRevocationCRL` or `…Any`); CRLs are only consulted on the
    /// platforms that checked them (`platforms.md`).
    pub crl: bool,
    /// `kSecRevocationPreferCRL`: with both methods, consult CRLs before OCSP. A revoked status
    /// from any source wins, so this only decides which source answers first (and whether the
    /// fetcher is still asked once a CRL has answered: it is not).
    pub prefer_crl: bool,
    /// `RevocationResponseRequired`: the leaf needs a valid response.
    pub require_positive_response: bool,
    /// `RevocationOnline`: ask the fetcher even when a supplied response is valid.
    pub online_check: bool,
    /// `RevocationIfTrusted`: fetch only for anchored paths (the emulator's reading of "only
    /// when the chain is otherwise trusted").
    pub check_if_trusted: bool,
    /// The policy carries `NoNetworkAccess = false` explicitly (a revocation policy without
    /// `NetworkAccessDisabled`), so that, as the last policy carrying the key, it allows the
    /// network (`apple-trust.md §9`).
    pub allows_network: bool,
}

impl RevocationOptions {
    /// Any method (OCSP or CRL), no other flag: what S/MIME on macOS asks for.
    pub const fn any_method() -> Self {
        RevocationOptions {
            ocsp: true,
            crl: true,
            prefer_crl: false,
            require_positive_response: false,
            online_check: false,
            check_if_trusted: false,
            allows_network: false,
        }
    }
}

/// Revocation data for one evaluation: stapled or cached OCSP responses and CRLs, DER.
///
/// Pass it with [`TrustEvaluator::evaluate_with_inputs`](crate::TrustEvaluator::evaluate_with_inputs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevocationInputs {
    /// DER `OCSPResponse`s (stapled to the TLS handshake, or from a cache).
    pub ocsp_responses: Vec<Vec<u8>>,
    /// DER `CertificateList`s.
    pub crls: Vec<Vec<u8>>,
}

impl RevocationInputs {
    /// No responses, no CRLs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a DER OCSP response.
    #[must_use]
    pub fn ocsp_response(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.ocsp_responses.push(der.into());
        self
    }

    /// Adds a DER CRL.
    #[must_use]
    pub fn crl(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.crls.push(der.into());
        self
    }

    /// Adds a PEM CRL (`-----BEGIN X509 CRL-----`, as x509-limbo's `crls` hold them).
    pub fn crl_pem(mut self, pem: &str) -> Result<Self, ParseError> {
        let (label, der) = der::pem::decode_vec(pem.trim().as_bytes())
            .map_err(|e| ParseError(format!("CRL PEM: {e}")))?;
        if label != "X509 CRL" {
            return Err(ParseError(format!(
                "expected an X509 CRL PEM block, found {label}"
            )));
        }
        self.crls.push(der);
        Ok(self)
    }
}

/// Why a fetch failed: a soft failure, recorded as a note.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FetchError(pub String);

/// Fetches OCSP responses over the network for the engine — the library does no I/O itself.
///
/// Asked only when the network is allowed (`SecTrustSetNetworkFetchAllowed`, or the last
/// policy carrying `NoNetworkAccess` allows it) and a policy asks for OCSP explicitly, at most
/// [`MAX_FETCHES`] times per evaluation, with the certificate's AIA OCSP URL
/// ([`Extensions::ocsp_urls`](crate::certificate::Extensions::ocsp_urls)) and a DER
/// `OCSPRequest` (SHA-1 CertID, no nonce). POST it with `Content-Type:
/// application/ocsp-request` and return the body. An error is a soft failure.
pub trait OcspFetcher: Send + Sync + fmt::Debug {
    /// Sends `request_der` to `url` and returns the DER `OCSPResponse`.
    fn fetch(&self, url: &str, request_der: &[u8]) -> Result<Vec<u8>, FetchError>;
}
