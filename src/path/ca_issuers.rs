//! CA Issuers (AIA) downloads, the path builder's last parent source (`apple-trust.md §4`):
//! used only when the network is allowed, through a caller-implemented fetcher — the library
//! does no I/O itself.

use std::fmt;

use crate::certificate::Certificate;
use crate::revocation::FetchError;

/// At most this many fetcher calls per evaluation. Each is the caller's network I/O; a real
/// chain misses one or two intermediates, each named by one or two caIssuers URLs, so 4 covers
/// that while a hostile chain of certificates each naming new URLs cannot make an evaluation
/// wait on more than 4 downloads. Each URL is fetched at most once per evaluation.
pub const MAX_CA_ISSUERS_FETCHES: usize = 4;

/// At most this many certificates are read from one response (a PEM bundle may hold several;
/// the rest are ignored and a note says so).
pub const MAX_CERTIFICATES_PER_RESPONSE: usize = 8;

/// Fetches the certificates a caIssuers URL names, for the path builder — the library does
/// no I/O itself (`apple-trust.md §4`).
///
/// Set with [`TrustEvaluatorBuilder::ca_issuers_fetcher`](crate::TrustEvaluatorBuilder::ca_issuers_fetcher).
/// Asked only when the network may be used (as for [`OcspFetcher`](crate::revocation::OcspFetcher):
/// `SecTrustSetNetworkFetchAllowed`, or the last policy carrying `NoNetworkAccess` allows it),
/// and only as the LAST parent source: after the caller's certificates, the issuer sources and
/// (with anchors-only) the stores have failed to give an accepted path. It is given the
/// caIssuers URLs ([`Extensions::ca_issuers_urls`](crate::certificate::Extensions::ca_issuers_urls))
/// of the certificate whose issuer is sought, in certificate order, until one gives a
/// certificate; each URL at most once per evaluation, at most [`MAX_CA_ISSUERS_FETCHES`]
/// calls. GET the URL and return the body: a DER certificate, or PEM (one or more
/// `CERTIFICATE` blocks). Which URL schemes to support is the fetcher's choice (Apple fetches
/// over HTTP). An error or an unreadable body is a note in the verdict, never an `Err`, and
/// what is fetched is only ever a candidate issuer: it must chain by name and signature like
/// any other, and is never trusted for having been fetched.
pub trait CaIssuersFetcher: Send + Sync + fmt::Debug {
    /// Downloads `url` and returns the body.
    fn fetch(&self, url: &str) -> Result<Vec<u8>, FetchError>;
}

/// The downloads of one evaluation: each URL's certificates, kept for the later searches.
#[derive(Debug, Default)]
pub(crate) struct Downloads {
    fetched: Vec<(String, Vec<Certificate>)>,
    pub(crate) notes: Vec<String>,
}

impl Downloads {
    /// Appends the certificates downloaded from `cert`'s caIssuers URLs that may have issued
    /// it (subject matching its issuer name): URLs in order, stopping at the first that gave
    /// such a certificate.
    pub(crate) fn issuers_of(
        &mut self,
        fetcher: &dyn CaIssuersFetcher,
        cert: &Certificate,
        out: &mut Vec<Certificate>,
    ) {
        for url in &cert.extensions().ca_issuers_urls {
            let found = match self.fetched.iter().position(|(u, _)| u == url) {
                Some(k) => &self.fetched[k].1,
                None => {
                    if self.fetched.len() >= MAX_CA_ISSUERS_FETCHES {
                        self.note(format!(
                            "CA Issuers download from {url} skipped: at most \
                             {MAX_CA_ISSUERS_FETCHES} per evaluation"
                        ));
                        return;
                    }
                    let certs = self.download(fetcher, url);
                    self.fetched.push((url.clone(), certs));
                    &self.fetched[self.fetched.len() - 1].1
                }
            };
            let before = out.len();
            out.extend(
                found
                    .iter()
                    .filter(|c| c.subject().matches(cert.issuer()))
                    .cloned(),
            );
            if out.len() > before {
                return;
            }
        }
    }

    /// One call to the fetcher; failures become notes.
    fn download(&mut self, fetcher: &dyn CaIssuersFetcher, url: &str) -> Vec<Certificate> {
        let body = match fetcher.fetch(url) {
            Ok(body) => body,
            Err(e) => {
                self.note(format!(
                    "CA Issuers download from {url} failed (the issuer stays missing): {e}"
                ));
                return Vec::new();
            }
        };
        match Certificate::from_bytes(&body) {
            Ok(mut certs) => {
                if certs.len() > MAX_CERTIFICATES_PER_RESPONSE {
                    self.note(format!(
                        "CA Issuers download from {url}: only the first \
                         {MAX_CERTIFICATES_PER_RESPONSE} of {} certificates read",
                        certs.len()
                    ));
                    certs.truncate(MAX_CERTIFICATES_PER_RESPONSE);
                }
                certs
            }
            Err(e) => {
                self.note(format!(
                    "CA Issuers download from {url} is not a DER or PEM certificate, ignored: {e}"
                ));
                Vec::new()
            }
        }
    }

    fn note(&mut self, n: String) {
        if !self.notes.contains(&n) {
            self.notes.push(n);
        }
    }
}
