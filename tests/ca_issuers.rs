//! CA Issuers (AIA) downloads, the path builder's last parent source (`apple-trust.md §4`):
//! asked through the caller's fetcher, only when the network may be used, only after every
//! other source, within a bound; failures are notes.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use common::*;
use sectrust::path::{CaIssuersFetcher, MAX_CA_ISSUERS_FETCHES, StaticIssuers};
use sectrust::revocation::{FetchError, Revocation, RevocationFlags};
use sectrust::testing::{CertBuilder, Issued, KeyPair};
use sectrust::{BasicX509, Check, Policy, TrustEvaluator, TrustResult, Verdict};

/// Answers from a table (URLs it does not know fail) and records every call.
#[derive(Debug, Default)]
struct Fetcher {
    answers: HashMap<String, Result<Vec<u8>, String>>,
    calls: Mutex<Vec<String>>,
}

impl Fetcher {
    fn with(answers: &[(&str, Result<Vec<u8>, String>)]) -> Arc<Fetcher> {
        Arc::new(Fetcher {
            answers: answers
                .iter()
                .map(|(u, a)| (u.to_string(), a.clone()))
                .collect(),
            calls: Mutex::new(Vec::new()),
        })
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

impl CaIssuersFetcher for Fetcher {
    fn fetch(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        self.calls.lock().unwrap().push(url.to_owned());
        match self.answers.get(url) {
            Some(answer) => answer.clone().map_err(FetchError),
            None => Err(FetchError(format!("no route to {url}"))),
        }
    }
}

const URL: &str = "http://ca.example.test/inter.cer";

/// Root, intermediate, and a leaf naming `urls` as its caIssuers.
fn chain(urls: &[&str]) -> (Issued, Issued, Issued) {
    let root = CertBuilder::new("CN=AIA Root")
        .key(KeyPair::p256(300))
        .ca(None)
        .build();
    let inter = CertBuilder::new("CN=AIA Inter")
        .key(KeyPair::p256(301))
        .ca(None)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=aia leaf")
        .key(KeyPair::p256(302))
        .ca_issuers(urls)
        .issued_by(&inter)
        .build();
    (root, inter, leaf)
}

fn evaluate(
    fetcher: &Arc<Fetcher>,
    network: bool,
    root: &Issued,
    leaf: &Issued,
    intermediates: &[&Issued],
    policies: &[&dyn Policy],
) -> Verdict {
    TrustEvaluator::builder()
        .anchors([root.cert.clone()])
        .verify_time_unix(T)
        .network_allowed(network)
        .ca_issuers_fetcher(fetcher.clone())
        .build()
        .evaluate(&leaf.cert, &certs(intermediates), policies)
        .expect("trust failures are verdicts")
}

#[test]
fn offline_the_fetcher_is_never_asked() {
    let (root, inter, leaf) = chain(&[URL]);
    let fetcher = Fetcher::with(&[(URL, Ok(inter.der.clone()))]);
    // Basic X.509 carries NoNetworkAccess; nothing allows the network.
    let v = evaluate(&fetcher, false, &root, &leaf, &[], &[&BasicX509]);
    assert!(fetcher.calls().is_empty());
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::MissingIntermediate)],
    );
}

#[test]
fn a_missing_intermediate_is_downloaded_when_the_network_is_allowed() {
    let (root, inter, leaf) = chain(&[URL]);
    let fetcher = Fetcher::with(&[(URL, Ok(inter.der.clone()))]);
    let v = evaluate(&fetcher, true, &root, &leaf, &[], &[&BasicX509]);
    assert_trusted(&v);
    assert!(v.chain()[1].same_as(&inter.cert), "{v}");
    assert_eq!(fetcher.calls(), [URL]);

    // PEM bodies are read too; and a revocation policy that does not disable the network, as
    // the last policy carrying NoNetworkAccess, allows the download (`apple-trust.md §9`).
    let fetcher = Fetcher::with(&[(URL, Ok(inter.pem().into_bytes()))]);
    let revocation = Revocation::new(RevocationFlags::OCSP).unwrap();
    let v = evaluate(
        &fetcher,
        false,
        &root,
        &leaf,
        &[],
        &[&BasicX509, &revocation],
    );
    assert_trusted(&v);
    assert_eq!(fetcher.calls(), [URL]);
}

#[test]
fn the_fetcher_is_the_last_source() {
    let (root, inter, leaf) = chain(&[URL]);
    let fetcher = Fetcher::with(&[(URL, Ok(inter.der.clone()))]);
    // The caller's certificates complete the path: no download.
    let v = evaluate(&fetcher, true, &root, &leaf, &[&inter], &[&BasicX509]);
    assert_trusted(&v);
    assert!(fetcher.calls().is_empty());

    // An issuer source completes it: no download either.
    let v = TrustEvaluator::builder()
        .anchors([root.cert.clone()])
        .verify_time_unix(T)
        .network_allowed(true)
        .issuer_source(Arc::new(StaticIssuers(vec![inter.cert.clone()])))
        .ca_issuers_fetcher(fetcher.clone())
        .build()
        .evaluate(&leaf.cert, &[], &[&BasicX509])
        .unwrap();
    assert_trusted(&v);
    assert!(fetcher.calls().is_empty());

    // The caller passes an expired copy of the intermediate: no accepted path, so the fetcher
    // is asked, and the downloaded copy gives the accepted path.
    let expired = CertBuilder::new("CN=AIA Inter")
        .key(KeyPair::p256(301))
        .ca(None)
        .serial(99)
        .validity("2010-01-01T00:00:00Z", "2015-01-01T00:00:00Z")
        .issued_by(&root)
        .build();
    let v = evaluate(&fetcher, true, &root, &leaf, &[&expired], &[&BasicX509]);
    assert_trusted(&v);
    assert!(v.chain()[1].same_as(&inter.cert), "{v}");
    assert_eq!(fetcher.calls(), [URL]);
}

#[test]
fn download_failures_are_notes() {
    let (root, _, leaf) = chain(&[URL]);
    for (answer, note) in [
        (Err("timed out".to_owned()), "timed out"),
        (Ok(b"<html>not found</html>".to_vec()), "not a DER or PEM"),
    ] {
        let fetcher = Fetcher::with(&[(URL, answer)]);
        let v = evaluate(&fetcher, true, &root, &leaf, &[], &[&BasicX509]);
        assert_fails(
            &v,
            TrustResult::RecoverableTrustFailure,
            &[(0, Check::MissingIntermediate)],
        );
        assert!(v.notes().iter().any(|n| n.contains(note)), "{v}");
        assert_eq!(fetcher.calls(), [URL]);
    }

    // A downloaded certificate that does not chain is only a candidate, never trusted.
    let stranger = CertBuilder::new("CN=AIA Inter")
        .key(KeyPair::p256(399))
        .ca(None)
        .issued_by(&root)
        .build();
    let fetcher = Fetcher::with(&[(URL, Ok(stranger.der.clone()))]);
    let v = evaluate(&fetcher, true, &root, &leaf, &[], &[&BasicX509]);
    assert!(!v.is_trusted(), "{v}");
}

#[test]
fn each_url_is_fetched_once_within_the_bound() {
    // Two URLs: the first fails, the second gives the intermediate.
    let (root, inter, leaf) = chain(&["http://a.example.test/x.cer", URL]);
    let fetcher = Fetcher::with(&[(URL, Ok(inter.der.clone()))]);
    let v = evaluate(&fetcher, true, &root, &leaf, &[], &[&BasicX509]);
    assert_trusted(&v);
    assert_eq!(fetcher.calls(), ["http://a.example.test/x.cer", URL]);

    // Many failing URLs: at most MAX_CA_ISSUERS_FETCHES calls, each URL once, whatever the
    // number of candidate paths that ask for them.
    let urls: Vec<String> = (0..20)
        .map(|i| format!("http://dead{i}.example.test/"))
        .collect();
    let url_refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let (root, _, leaf) = chain(&url_refs);
    let fetcher = Fetcher::with(&[]);
    let v = evaluate(&fetcher, true, &root, &leaf, &[], &[&BasicX509]);
    assert!(!v.is_trusted());
    let calls = fetcher.calls();
    assert_eq!(calls.len(), MAX_CA_ISSUERS_FETCHES, "{calls:?}");
    assert_eq!(calls, url_refs[..MAX_CA_ISSUERS_FETCHES]);
    assert!(v.notes().iter().any(|n| n.contains("skipped")), "{v}");
}
