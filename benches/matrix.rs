//! The platform matrix against a single evaluation: one 3-certificate chain (root → intermediate
//! → leaf, app-anchored, SSL server policy) under every profile (`PlatformSet::all()`), with a
//! cold signature cache each time, versus one evaluation on `latest` by a fresh evaluator.
//!
//! The goal is a full matrix within 3× a single evaluation: signatures are verified once for
//! all profiles and profiles the rules table cannot tell apart share one evaluation. After the
//! criterion groups, `main` prints the measured ratio for P-256 and RSA-2048 chains.

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group};
use sectrust::explain::{Matrix, PlatformSet};
use sectrust::testing::Pki;
use sectrust::{Certificate, Platform, Ssl, TrustEvaluator};

use common::{counted, interleaved};

struct Input {
    name: &'static str,
    root: Certificate,
    chain: Vec<Certificate>,
    leaf: Certificate,
}

fn inputs() -> Vec<Input> {
    [("p256", Pki::new()), ("rsa2048", Pki::rsa(2048))]
        .into_iter()
        .map(|(name, pki)| Input {
            name,
            root: pki.root.cert.clone(),
            chain: vec![pki.intermediate.cert.clone()],
            // Within every release's lifetime limits (398 days).
            leaf: pki
                .leaf_builder()
                .validity("2023-07-01T00:00:00Z", "2024-07-01T00:00:00Z")
                .build()
                .cert,
        })
        .collect()
}

fn evaluator(input: &Input) -> TrustEvaluator {
    // A fresh evaluator has no signature cache: every run verifies from scratch.
    TrustEvaluator::builder()
        .platform(Platform::latest())
        .anchors([input.root.clone()])
        .verify_time_unix(Pki::T_VALID)
        .build()
}

fn single(input: &Input, policy: &Ssl) {
    let v = evaluator(input)
        .evaluate(&input.leaf, &input.chain, &[policy])
        .unwrap();
    assert!(v.is_trusted());
    black_box(v);
}

fn matrix(input: &Input, platforms: &PlatformSet, policy: &Ssl) {
    let m = Matrix::evaluate(
        &evaluator(input),
        platforms,
        &input.leaf,
        &input.chain,
        &[policy],
    )
    .unwrap();
    black_box(m);
}

fn bench(c: &mut Criterion) {
    let policy = Ssl::server(Pki::HOSTNAME);
    let all = PlatformSet::all();
    for input in inputs() {
        let mut g = c.benchmark_group(input.name);
        g.bench_function("single evaluation", |b| {
            b.iter(counted(|| single(&input, &policy)))
        });
        g.bench_function(format!("matrix of {} profiles", all.len()), |b| {
            b.iter(counted(|| matrix(&input, &all, &policy)))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    common::report_iterations();
    if std::env::var_os("BENCH_ITERATIONS").is_some() {
        return; // an instruction count (benches/instructions.sh): no wall-clock summary
    }
    // Interleaved rounds (benches/common/interleaved.rs): criterion runs the two benches one
    // after the other, and on a shared machine that alone moves their ratio by ±15 %.
    let policy = Ssl::server(Pki::HOSTNAME);
    let all = PlatformSet::all();
    for input in inputs() {
        let evaluations = Matrix::evaluate(
            &evaluator(&input),
            &all,
            &input.leaf,
            &input.chain,
            &[&policy],
        )
        .unwrap()
        .evaluations();
        let m = interleaved::compare(
            format!("{}/matrix ({evaluations} evaluations)", input.name),
            || matrix(&input, &all, &policy),
            || single(&input, &policy),
        );
        println!("{m}");
        let each = interleaved::compare(
            format!("{}/each profile separately", input.name),
            || {
                let ev = evaluator(&input);
                black_box(
                    Matrix::evaluate_each(&ev, &all, &input.leaf, &input.chain, &[&policy])
                        .unwrap(),
                );
            },
            || single(&input, &policy),
        );
        println!("{each}");
    }
}
