//! sectrust vs rustls-webpki on the same TLS server chains, aws-lc-rs on both sides.
//!
//! Two chains made in code with `sectrust::testing` (root → intermediate → leaf, SHA-256
//! signatures, leaf with dNSName `www.example.com` and serverAuth): RSA-2048 and P-256.
//!
//! - `cold/*`: parse the three DER certificates and evaluate once (sectrust: `from_der` ×3, an
//!   evaluator with the root as app anchor, `evaluate` with `Ssl::server`; webpki:
//!   `EndEntityCert::try_from`, `anchor_from_trusted_cert`, `verify_for_usage` and
//!   `verify_is_valid_for_subject_name`).
//! - `warm/*`: the same evaluation on pre-parsed certificates (sectrust: parsed `Certificate`s
//!   and a pre-built evaluator; webpki: a parsed `EndEntityCert` and anchors).
//! - `batch/*`: 1,000 leaves (P-256 keys, distinct serials, all for [`HOST`]) issued by the one
//!   intermediate, each parsed from DER and evaluated; the root and the intermediate are parsed
//!   once. One iteration is the whole batch (throughput: 1,000 elements). sectrust builds one
//!   evaluator per batch and calls `evaluate_batch`, which shares a fresh `SignatureCache`
//!   across the batch, so the intermediate's signature is verified once per batch and every
//!   leaf's once; webpki verifies both for every leaf (it has
//!   no cache).
//!
//! Sides: `webpki` (aws-lc-rs, always), `sectrust` (its aws-lc-rs backend, with the default
//! `aws-lc-rs` feature) and `sectrust-rustcrypto` (its RustCrypto backend, with the
//! `rustcrypto` feature): `cargo bench --bench ssl --features rustcrypto` measures all three
//! in one run; `--no-default-features --features rustcrypto` measures sectrust with RustCrypto
//! only (webpki's dev-dependency still brings aws-lc-rs).
//!
//! webpki is built with only its `aws-lc-rs` feature, so `webpki::ALL_VERIFICATION_ALGS` is the
//! aws-lc-rs provider's list.
//!
//! Run with `cargo bench --bench ssl`; see `benches/README.md` for the numbers.

mod common;

use std::hint::black_box;
use std::sync::{Arc, Once, OnceLock};

use criterion::{Criterion, Throughput, criterion_group};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use sectrust::certificate::KeyUsage;
use sectrust::crypto::SignatureVerifier;
use sectrust::testing::{CertBuilder, Issued, KeyPair, oids, unix};
use sectrust::{Certificate, Platform, Ssl, TrustEvaluator, Verdict};
use webpki::{EndEntityCert, anchor_from_trusted_cert};

use common::{counted, interleaved};

const HOST: &str = "www.example.com";
/// The leaf's validity: one year.
const LEAF_NOT_BEFORE: &str = "2024-01-01T00:00:00Z";
const LEAF_NOT_AFTER: &str = "2024-12-31T00:00:00Z";
/// A verify time inside every certificate's validity (2024-06-01T00:00:00Z).
const VERIFY_TIME: i64 = 1_717_200_000;

/// Leaves in one `batch` iteration.
const BATCH: usize = 1_000;

/// One chain as DER, and the intermediate that issued the leaf (to issue more).
struct Chain {
    name: &'static str,
    root: Vec<u8>,
    inter: Vec<u8>,
    leaf: Vec<u8>,
    issuer: Issued,
    /// [`BATCH`] leaves, made when a `batch` bench first runs (signing them takes a while).
    leaves: OnceLock<Vec<Vec<u8>>>,
}

/// The sectrust sides this build has: one per signature backend feature.
#[allow(
    clippy::vec_init_then_push,
    reason = "each push is behind its own backend feature"
)]
fn backends() -> Vec<(&'static str, Arc<dyn SignatureVerifier>)> {
    let mut out: Vec<(&'static str, Arc<dyn SignatureVerifier>)> = Vec::new();
    #[cfg(feature = "aws-lc-rs")]
    out.push(("sectrust", Arc::new(sectrust::crypto::AwsLcVerifier)));
    #[cfg(feature = "rustcrypto")]
    out.push((
        "sectrust-rustcrypto",
        Arc::new(sectrust::crypto::RustCryptoVerifier),
    ));
    out
}

/// Root (self-signed CA) → intermediate CA → leaf, all keys of one kind. The CAs are valid
/// 2020–2030; the leaf for one year (Apple caps TLS leaf validity at 398 days, app anchors
/// included), with dNSName [`HOST`], serverAuth and digitalSignature (+ keyEncipherment for
/// RSA).
fn chain(name: &'static str, key: fn(u64) -> KeyPair) -> Chain {
    let root = CertBuilder::new("CN=Bench Root CA,O=Example,C=US")
        .key(key(1))
        .serial(1)
        .ca(None)
        .key_usage(KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN)
        .build();
    let inter = CertBuilder::new("CN=Bench Intermediate CA,O=Example,C=US")
        .key(key(2))
        .serial(2)
        .issued_by(&root)
        .ca(Some(0))
        .key_usage(KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN)
        .build();
    let leaf_key = key(3);
    let leaf_ku = if leaf_key.is_rsa() {
        KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT
    } else {
        KeyUsage::DIGITAL_SIGNATURE
    };
    let leaf = CertBuilder::new("CN=www.example.com,O=Example,C=US")
        .key(leaf_key)
        .serial(3)
        .issued_by(&inter)
        .validity(LEAF_NOT_BEFORE, LEAF_NOT_AFTER)
        .dns(HOST)
        .eku(&[oids::server_auth()])
        .key_usage(leaf_ku)
        .build();
    Chain {
        name,
        root: root.der,
        inter: inter.der.clone(),
        leaf: leaf.der,
        issuer: inter,
        leaves: OnceLock::new(),
    }
}

/// [`BATCH`] leaves like the chain's leaf, with P-256 keys (quick to make; the leaf's own key
/// is never used to verify) and serials 1000, 1001, …, signed by the chain's intermediate.
fn batch_leaves(c: &Chain) -> &[Vec<u8>] {
    c.leaves.get_or_init(|| make_leaves(&c.issuer))
}

fn make_leaves(issuer: &Issued) -> Vec<Vec<u8>> {
    (0..BATCH as u64)
        .map(|i| {
            CertBuilder::new("CN=www.example.com,O=Example,C=US")
                .key(KeyPair::p256(1_000 + i))
                .serial(1_000 + i)
                .issued_by(issuer)
                .validity(LEAF_NOT_BEFORE, LEAF_NOT_AFTER)
                .dns(HOST)
                .eku(&[oids::server_auth()])
                .key_usage(KeyUsage::DIGITAL_SIGNATURE)
                .build()
                .der
        })
        .collect()
}

/// Both chains, made once per process.
fn chains() -> &'static [Chain] {
    static CHAINS: OnceLock<Vec<Chain>> = OnceLock::new();
    CHAINS.get_or_init(|| {
        vec![
            chain("rsa2048", |seed| KeyPair::rsa(2048, seed)),
            chain("p256", KeyPair::p256),
        ]
    })
}

fn webpki_time() -> UnixTime {
    UnixTime::since_unix_epoch(std::time::Duration::from_secs(VERIFY_TIME as u64))
}

fn evaluator(root: Certificate, verifier: &Arc<dyn SignatureVerifier>) -> TrustEvaluator {
    TrustEvaluator::builder()
        .platform(Platform::latest())
        .anchors([root])
        .verify_time_unix(VERIFY_TIME)
        .verifier(verifier.clone())
        .build()
}

/// sectrust from DER: parse, build the evaluator, evaluate.
fn sectrust_cold(c: &Chain, ssl: &Ssl, verifier: &Arc<dyn SignatureVerifier>) -> Verdict {
    let root = Certificate::from_der(&c.root).expect("root parses");
    let inter = Certificate::from_der(&c.inter).expect("intermediate parses");
    let leaf = Certificate::from_der(&c.leaf).expect("leaf parses");
    let eval = evaluator(root, verifier);
    eval.evaluate(&leaf, &[inter], &[ssl]).expect("evaluates")
}

/// webpki from DER: parse, make the anchor, verify the path and the name.
fn webpki_cold(c: &Chain) -> bool {
    let root = CertificateDer::from(c.root.as_slice());
    let inter = CertificateDer::from(c.inter.as_slice());
    let leaf = CertificateDer::from(c.leaf.as_slice());
    let ee = EndEntityCert::try_from(&leaf).expect("leaf parses");
    let anchors = [anchor_from_trusted_cert(&root).expect("root parses")];
    let path = ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        &anchors,
        std::slice::from_ref(&inter),
        webpki_time(),
        webpki::KeyUsage::server_auth(),
        None,
        None,
    );
    let name = ServerName::try_from(HOST).expect("valid name");
    path.is_ok() && ee.verify_is_valid_for_subject_name(&name).is_ok()
}

fn cold(c: &mut Criterion) {
    assert_eq!(unix("2024-06-01T00:00:00Z"), VERIFY_TIME);
    let ssl = Ssl::server(HOST);
    let mut g = c.benchmark_group("cold");
    for chain in chains() {
        for (side, verifier) in backends() {
            let verdict = sectrust_cold(chain, &ssl, &verifier);
            assert!(
                verdict.is_trusted(),
                "{side} must trust {}: {verdict}",
                chain.name
            );
            g.bench_function(format!("{}/{side}", chain.name), |b| {
                b.iter(counted(|| {
                    sectrust_cold(black_box(chain), &ssl, &verifier).is_trusted()
                }))
            });
        }
        assert!(webpki_cold(chain), "webpki must trust {}", chain.name);
        g.bench_function(format!("{}/webpki", chain.name), |b| {
            b.iter(counted(|| webpki_cold(black_box(chain))))
        });
    }
    g.finish();
}

fn warm(c: &mut Criterion) {
    let ssl = Ssl::server(HOST);
    let name = ServerName::try_from(HOST).expect("valid name");
    let time = webpki_time();
    let mut g = c.benchmark_group("warm");
    for chain in chains() {
        // sectrust: parsed certificates and a ready evaluator.
        for (side, verifier) in backends() {
            let root = Certificate::from_der(&chain.root).expect("root parses");
            let inter = [Certificate::from_der(&chain.inter).expect("intermediate parses")];
            let leaf = Certificate::from_der(&chain.leaf).expect("leaf parses");
            let eval = evaluator(root, &verifier);
            let policies: [&dyn sectrust::Policy; 1] = [&ssl];
            let run_sectrust = || {
                eval.evaluate(black_box(&leaf), black_box(&inter), &policies)
                    .expect("evaluates")
                    .is_trusted()
            };
            assert!(run_sectrust(), "{side} must trust {}", chain.name);
            g.bench_function(format!("{}/{side}", chain.name), |b| {
                b.iter(counted(run_sectrust))
            });
        }

        // webpki: parsed end-entity certificate and anchors.
        let root_der = CertificateDer::from(chain.root.as_slice());
        let inter_der = [CertificateDer::from(chain.inter.as_slice())];
        let leaf_der = CertificateDer::from(chain.leaf.as_slice());
        let ee = EndEntityCert::try_from(&leaf_der).expect("leaf parses");
        let anchors = [anchor_from_trusted_cert(&root_der).expect("root parses")];
        let run_webpki = || {
            let ee = black_box(&ee);
            ee.verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                black_box(&anchors),
                black_box(&inter_der),
                time,
                webpki::KeyUsage::server_auth(),
                None,
                None,
            )
            .is_ok()
                && ee.verify_is_valid_for_subject_name(&name).is_ok()
        };
        assert!(run_webpki(), "webpki must trust {}", chain.name);

        g.bench_function(format!("{}/webpki", chain.name), |b| {
            b.iter(counted(run_webpki))
        });
    }
    g.finish();
}

/// sectrust over one batch: a fresh evaluator, then every leaf parsed and evaluated by
/// `evaluate_batch` (which gives the batch a fresh signature cache). Returns how many were
/// trusted.
fn sectrust_batch(
    leaves: &[Vec<u8>],
    root: &Certificate,
    inter: &[Certificate],
    ssl: &Ssl,
    verifier: &Arc<dyn SignatureVerifier>,
) -> usize {
    let eval = TrustEvaluator::builder()
        .platform(Platform::latest())
        .anchors([root.clone()])
        .verify_time_unix(VERIFY_TIME)
        .verifier(verifier.clone())
        .build();
    let parsed = leaves
        .iter()
        .map(|der| Certificate::from_der(der).expect("leaf parses"));
    eval.evaluate_batch(parsed, inter, &[ssl])
        .filter(|v| v.as_ref().expect("evaluates").is_trusted())
        .count()
}

/// webpki over one batch: every leaf parsed and verified with the same anchors.
fn webpki_batch(
    leaves: &[Vec<u8>],
    anchors: &[rustls_pki_types::TrustAnchor<'_>],
    inter: &[CertificateDer<'_>],
    name: &ServerName<'_>,
) -> usize {
    leaves
        .iter()
        .filter(|der| {
            let der = CertificateDer::from(der.as_slice());
            let ee = EndEntityCert::try_from(&der).expect("leaf parses");
            ee.verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                anchors,
                inter,
                webpki_time(),
                webpki::KeyUsage::server_auth(),
                None,
                None,
            )
            .is_ok()
                && ee.verify_is_valid_for_subject_name(name).is_ok()
        })
        .count()
}

fn batch(c: &mut Criterion) {
    let ssl = Ssl::server(HOST);
    let name = ServerName::try_from(HOST).expect("valid name");
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.throughput(Throughput::Elements(BATCH as u64));
    // The leaves are made, and each side checked to trust them all, only for the benches the
    // filter selects (criterion calls a bench's closure only then, possibly several times).
    for chain in chains() {
        let root = Certificate::from_der(&chain.root).expect("root parses");
        let inter = [Certificate::from_der(&chain.inter).expect("intermediate parses")];
        for (side, verifier) in backends() {
            let checked = Once::new();
            g.bench_function(format!("{}/{side}", chain.name), |b| {
                let leaves = batch_leaves(chain);
                checked.call_once(|| {
                    let trusted = sectrust_batch(leaves, &root, &inter, &ssl, &verifier);
                    assert_eq!(
                        trusted, BATCH,
                        "{side} must trust every {} leaf",
                        chain.name
                    );
                });
                b.iter(counted(|| {
                    sectrust_batch(black_box(leaves), &root, &inter, &ssl, &verifier)
                }))
            });
        }
        let root_der = CertificateDer::from(chain.root.as_slice());
        let inter_der = [CertificateDer::from(chain.inter.as_slice())];
        let anchors = [anchor_from_trusted_cert(&root_der).expect("root parses")];
        let checked = Once::new();
        g.bench_function(format!("{}/webpki", chain.name), |b| {
            let leaves = batch_leaves(chain);
            checked.call_once(|| {
                let trusted = webpki_batch(leaves, &anchors, &inter_der, &name);
                assert_eq!(
                    trusted, BATCH,
                    "webpki must trust every {} leaf",
                    chain.name
                );
            });
            b.iter(counted(|| {
                webpki_batch(black_box(leaves), &anchors, &inter_der, &name)
            }))
        });
    }
    g.finish();
}

criterion_group!(benches, cold, warm, batch);

fn main() {
    if std::env::args().any(|a| a == "--interleaved") {
        interleaved();
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
    common::report_iterations();
}

/// `cargo bench --bench ssl -- --interleaved`: the same cold, warm and batch routines, each
/// sectrust side against webpki in interleaved rounds (`benches/common/interleaved.rs`)
/// instead of criterion's one-after-the-other runs. Prints one line per comparison; batch
/// times are per leaf.
fn interleaved() {
    let ssl = Ssl::server(HOST);
    let name = ServerName::try_from(HOST).expect("valid name");
    let time = webpki_time();
    for chain in chains() {
        let root = Certificate::from_der(&chain.root).expect("root parses");
        let inter = [Certificate::from_der(&chain.inter).expect("intermediate parses")];
        let leaf = Certificate::from_der(&chain.leaf).expect("leaf parses");
        let root_der = CertificateDer::from(chain.root.as_slice());
        let inter_der = [CertificateDer::from(chain.inter.as_slice())];
        let leaf_der = CertificateDer::from(chain.leaf.as_slice());
        let ee = EndEntityCert::try_from(&leaf_der).expect("leaf parses");
        let anchors = [anchor_from_trusted_cert(&root_der).expect("root parses")];
        let webpki_warm = || {
            let ok = ee
                .verify_for_usage(
                    webpki::ALL_VERIFICATION_ALGS,
                    &anchors,
                    &inter_der,
                    time,
                    webpki::KeyUsage::server_auth(),
                    None,
                    None,
                )
                .is_ok()
                && ee.verify_is_valid_for_subject_name(&name).is_ok();
            assert!(ok);
        };
        let leaves = batch_leaves(chain);
        for (side, verifier) in backends() {
            let c = interleaved::compare(
                format!("cold/{}/{side}", chain.name),
                || assert!(sectrust_cold(black_box(chain), &ssl, &verifier).is_trusted()),
                || assert!(webpki_cold(black_box(chain))),
            );
            println!("{c}");
            let eval = evaluator(root.clone(), &verifier);
            let c = interleaved::compare(
                format!("warm/{}/{side}", chain.name),
                || {
                    let v = eval.evaluate(black_box(&leaf), &inter, &[&ssl]);
                    assert!(v.expect("evaluates").is_trusted());
                },
                webpki_warm,
            );
            println!("{c}");
            let mut c = interleaved::compare_with(
                format!("batch/{}/{side} (per leaf)", chain.name),
                8,
                1,
                || {
                    let n = sectrust_batch(black_box(leaves), &root, &inter, &ssl, &verifier);
                    assert_eq!(n, BATCH);
                },
                || {
                    assert_eq!(
                        webpki_batch(black_box(leaves), &anchors, &inter_der, &name),
                        BATCH
                    )
                },
            );
            c.median = (c.median.0 / BATCH as f64, c.median.1 / BATCH as f64);
            c.min = (c.min.0 / BATCH as f64, c.min.1 / BATCH as f64);
            println!("{c}");
        }
    }
}
