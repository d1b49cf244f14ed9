//! `TrustEvaluator::evaluate_batch`: the verdicts of single evaluations, in order, with the
//! intermediate's signature verified once per batch.

use std::sync::Arc;

use sectrust::path::SignatureCache;
use sectrust::testing::{CertBuilder, KeyPair, Pki, oids};
use sectrust::{Certificate, Check, Policy, Ssl, TrustEvaluator, Verdict};

const HOST: &str = "www.example.com";

/// Leaves under `pki.intermediate`: good ones, one for another host, one with a bad signature,
/// one expired, one from an unrelated CA.
fn leaves(pki: &Pki) -> Vec<Certificate> {
    let leaf = |i: u64, host: &str| {
        CertBuilder::new(&format!("CN={host}"))
            .key(KeyPair::p256(i))
            .serial(i)
            .issued_by(&pki.intermediate)
            .validity("2023-07-01T00:00:00Z", "2024-06-01T00:00:00Z")
            .eku(&[oids::server_auth()])
            .dns(host)
    };
    let stranger = CertBuilder::new("CN=Other CA")
        .key(KeyPair::p256(99))
        .ca(None)
        .build();
    vec![
        leaf(1, HOST).build().cert,
        leaf(2, "other.example.com").build().cert,
        leaf(3, HOST).corrupt_signature().build().cert,
        leaf(4, HOST).build().cert,
        leaf(5, HOST)
            .validity("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z")
            .build()
            .cert,
        CertBuilder::new("CN=www.example.com")
            .key(KeyPair::p256(6))
            .issued_by(&stranger)
            .validity("2023-07-01T00:00:00Z", "2024-06-01T00:00:00Z")
            .eku(&[oids::server_auth()])
            .dns(HOST)
            .build()
            .cert,
        leaf(7, HOST).build().cert,
    ]
}

fn evaluator(pki: &Pki) -> sectrust::TrustEvaluatorBuilder {
    TrustEvaluator::builder()
        .anchors([pki.root.cert.clone()])
        .verify_time_unix(Pki::T_VALID)
}

/// Everything a verdict says except the work counters, which a cache lowers.
fn answer(v: &Verdict) -> String {
    format!(
        "{:?} {:?} {:?} {:?} {:?}",
        v.result(),
        v.chain().iter().map(|c| c.sha256_hex()).collect::<Vec<_>>(),
        v.failures(),
        v.primary_error(),
        v.notes()
    )
}

#[test]
fn a_batch_answers_as_single_evaluations_in_order() {
    let pki = Pki::new();
    let leaves = leaves(&pki);
    let inter = [pki.intermediate.cert.clone()];
    let ssl = Ssl::server(HOST);
    let policies: [&dyn Policy; 1] = [&ssl];
    let single: Vec<String> = leaves
        .iter()
        .map(|leaf| {
            answer(
                &evaluator(&pki)
                    .build()
                    .evaluate(leaf, &inter, &policies)
                    .unwrap(),
            )
        })
        .collect();
    let batch: Vec<String> = evaluator(&pki)
        .build()
        .evaluate_batch(&leaves, &inter, &policies)
        .map(|v| answer(&v.unwrap()))
        .collect();
    assert_eq!(batch, single);

    // The fixture is what it claims: three leaves trusted, four failures of different kinds.
    let verdicts: Vec<Verdict> = evaluator(&pki)
        .build()
        .evaluate_batch(leaves.iter(), &inter, &policies)
        .collect::<Result<_, _>>()
        .unwrap();
    let trusted: Vec<bool> = verdicts.iter().map(Verdict::is_trusted).collect();
    assert_eq!(trusted, [true, false, false, true, false, false, true]);
    assert!(
        verdicts[1].has_failure(Check::SslHostname),
        "{}",
        verdicts[1]
    );
    assert!(
        verdicts[4].has_failure(Check::TemporalValidity),
        "{}",
        verdicts[4]
    );
}

#[test]
fn the_intermediate_signature_is_verified_once_per_batch() {
    let pki = Pki::new();
    let leaves: Vec<Certificate> = leaves(&pki)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| [0, 3, 6].contains(i))
        .map(|(_, c)| c)
        .collect();
    let inter = [pki.intermediate.cert.clone()];
    let ssl = Ssl::server(HOST);
    let evaluator = evaluator(&pki).build();
    let mut batch = evaluator.evaluate_batch(leaves.clone(), &inter, &[&ssl]);
    assert_eq!(batch.len(), 3);
    let checks: Vec<usize> = batch
        .by_ref()
        .map(|v| v.unwrap().work().signature_checks)
        .collect();
    // First leaf: its own signature and the intermediate's; then only the leaf's.
    assert_eq!(checks, [2, 1, 1]);
    assert_eq!(batch.cache().hits(), 2);
    assert_eq!(batch.next().map(|_| ()), None, "fused");

    // One evaluator without a cache, leaf by leaf: every leaf pays for the intermediate.
    let singles: Vec<usize> = leaves
        .iter()
        .map(|l| {
            evaluator
                .evaluate(l, &inter, &[&ssl])
                .unwrap()
                .work()
                .signature_checks
        })
        .collect();
    assert_eq!(singles, [2, 2, 2]);
}

#[test]
fn a_batch_uses_the_evaluators_own_cache() {
    let pki = Pki::new();
    let leaves = leaves(&pki);
    let inter = [pki.intermediate.cert.clone()];
    let ssl = Ssl::server(HOST);
    let cache = Arc::new(SignatureCache::new());
    let evaluator = evaluator(&pki).with_cache(cache.clone()).build();
    let batch = evaluator.evaluate_batch(&leaves[..1], &inter, &[&ssl]);
    assert!(Arc::ptr_eq(batch.cache(), &cache));
    assert_eq!(batch.count(), 1);
    // A second batch over the same leaf finds both of its signatures in the shared cache.
    let v = evaluator
        .evaluate_batch(&leaves[..1], &inter, &[&ssl])
        .next()
        .unwrap()
        .unwrap();
    assert!(v.is_trusted(), "{v}");
    assert_eq!(v.work().signature_checks, 0);
}

#[test]
fn an_empty_policy_list_is_an_error_per_leaf() {
    let pki = Pki::new();
    let leaves = leaves(&pki);
    let inter = [pki.intermediate.cert.clone()];
    let results: Vec<_> = evaluator(&pki)
        .build()
        .evaluate_batch(&leaves[..2], &inter, &[])
        .collect();
    assert_eq!(results.len(), 2);
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Err(sectrust::Error::EmptyPolicyList)))
    );
}
