//! Path building and scoring (`apple-trust.md §4`): anchors first, cross-signed roots,
//! alternative paths, scoring ties, and the work bounds on hostile shapes.

mod common;

use common::*;
use sectrust::path::{MAX_DEPTH, MAX_SEARCH_STEPS, MAX_SIGNATURE_CHECKS};
use sectrust::testing::{CertBuilder, KeyPair};
use sectrust::{BasicX509, Check, TrustEvaluator, TrustResult};

#[test]
fn a_path_ends_at_the_first_qualifying_anchor() {
    // Root B is trusted; a cross-certificate of B issued by root A is also passed.
    let a = CertBuilder::new("CN=Root A")
        .key(KeyPair::p256(100))
        .ca(None)
        .build();
    let b = CertBuilder::new("CN=Root B")
        .key(KeyPair::p256(101))
        .ca(None)
        .build();
    let b_by_a = CertBuilder::new("CN=Root B")
        .key(KeyPair::p256(101))
        .ca(None)
        .issued_by(&a)
        .build();
    let inter = CertBuilder::new("CN=Inter").ca(None).issued_by(&b).build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&inter).build();
    let v = eval_app("latest", &leaf, &[&inter, &b_by_a], &[&a, &b]);
    assert_trusted(&v);
    assert_eq!(v.chain().len(), 3, "{v}");
    assert!(v.chain()[2].same_as(&b.cert));
}

#[test]
fn a_valid_cross_certificate_beats_an_expired_one() {
    let a = CertBuilder::new("CN=Root A")
        .key(KeyPair::p256(110))
        .ca(None)
        .build();
    let b_key = KeyPair::p256(111);
    let expired = CertBuilder::new("CN=Root B")
        .key(b_key.clone())
        .ca(None)
        .serial(1)
        .validity("2010-01-01T00:00:00Z", "2015-01-01T00:00:00Z")
        .issued_by(&a)
        .build();
    let valid = CertBuilder::new("CN=Root B")
        .key(b_key.clone())
        .ca(None)
        .serial(2)
        .issued_by(&a)
        .build();
    let b = CertBuilder::new("CN=Root B").key(b_key).ca(None).build();
    let inter = CertBuilder::new("CN=Inter").ca(None).issued_by(&b).build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&inter).build();
    for order in [[&expired, &valid], [&valid, &expired]] {
        let v = eval_app("latest", &leaf, &[&inter, order[0], order[1]], &[&a]);
        assert_trusted(&v);
        assert!(v.chain()[2].same_as(&valid.cert), "{v}");
    }
}

#[test]
fn when_nothing_is_accepted_the_shorter_anchored_path_wins() {
    // Two routes to the same anchor; the leaf is expired so no path is accepted. The longer
    // route is found first, yet the shorter one scores higher (+1000 − length).
    let root = CertBuilder::new("CN=Root").ca(None).build();
    let j = CertBuilder::new("CN=J").ca(None).issued_by(&root).build();
    let i_key = KeyPair::p256(120);
    let i_via_j = CertBuilder::new("CN=I")
        .key(i_key.clone())
        .ca(None)
        .serial(1)
        .issued_by(&j)
        .build();
    let i_direct = CertBuilder::new("CN=I")
        .key(i_key)
        .ca(None)
        .serial(2)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=leaf")
        .issued_by(&i_direct)
        .validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z")
        .build();
    let v = eval_app("latest", &leaf, &[&i_via_j, &j, &i_direct], &[&root]);
    assert_eq!(v.chain().len(), 3, "{v}");
    assert!(v.chain()[1].same_as(&i_direct.cert), "{v}");
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::TemporalValidity)],
    );
}

#[test]
fn an_anchored_path_beats_an_unanchored_one() {
    let a = CertBuilder::new("CN=Root A")
        .key(KeyPair::p256(130))
        .ca(None)
        .build();
    let b_key = KeyPair::p256(131);
    let b_self = CertBuilder::new("CN=Root B")
        .key(b_key.clone())
        .ca(None)
        .build();
    let b_by_a = CertBuilder::new("CN=Root B")
        .key(b_key)
        .ca(None)
        .issued_by(&a)
        .build();
    let inter = CertBuilder::new("CN=Inter")
        .ca(None)
        .issued_by(&b_self)
        .build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&inter).build();
    let v = eval_app("latest", &leaf, &[&inter, &b_self, &b_by_a], &[&a]);
    assert_trusted(&v);
    assert_eq!(v.chain().len(), 4);
}

#[test]
fn intermediate_order_does_not_change_the_verdict() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let decoy = CertBuilder::new("CN=Test Intermediate,O=sectrust")
        .key(KeyPair::p256(140))
        .ca(None)
        .issued_by(&root)
        .build();
    let v1 = eval_app("latest", &leaf, &[&decoy, &inter], &[&root]);
    let v2 = eval_app("latest", &leaf, &[&inter, &decoy], &[&root]);
    assert_trusted(&v1);
    assert_trusted(&v2);
    assert_eq!(v1.chain(), v2.chain());
}

#[test]
fn cross_signing_loops_terminate() {
    let ka = KeyPair::p256(150);
    let kb = KeyPair::p256(151);
    let a_seed = CertBuilder::new("CN=A").key(ka.clone()).ca(None).build();
    let b_by_a = CertBuilder::new("CN=B")
        .key(kb.clone())
        .ca(None)
        .issued_by(&a_seed)
        .build();
    let a_by_b = CertBuilder::new("CN=A")
        .key(ka)
        .ca(None)
        .issued_by(&b_by_a)
        .build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&a_by_b).build();
    let v = eval_app("latest", &leaf, &[&a_by_b, &b_by_a], &[]);
    assert!(!v.is_trusted());
    assert!(v.work().steps < 20, "{:?}", v.work());
    assert!(
        v.has_failure(Check::MissingIntermediate) || v.has_failure(Check::AnchorTrusted),
        "{v}"
    );
}

#[test]
fn many_candidate_issuers_with_the_same_name_stay_within_budget() {
    let root = CertBuilder::new("CN=Root").ca(None).build();
    let inter = CertBuilder::new("CN=Inter")
        .ca(None)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&inter).build();
    // 300 impostors: same subject, other keys.
    let impostors: Vec<_> = (0..300)
        .map(|i| {
            CertBuilder::new("CN=Inter")
                .key(KeyPair::p256(1000 + i))
                .ca(None)
                .issued_by(&root)
                .build()
        })
        .collect();
    let mut inters: Vec<&sectrust::testing::Issued> = impostors.iter().collect();
    inters.push(&inter);
    let v = eval_app("latest", &leaf, &inters, &[&root]);
    let w = v.work();
    assert!(w.signature_checks <= MAX_SIGNATURE_CHECKS, "{w:?}");
    assert!(w.steps <= MAX_SEARCH_STEPS, "{w:?}");
    assert!(w.paths <= sectrust::path::APPLE_PATH_CAP + 1, "{w:?}");
}

#[test]
fn a_deep_chain_is_cut_at_max_depth() {
    let root = CertBuilder::new("CN=CA 0").ca(None).build();
    let mut chain = vec![root];
    for i in 1..(MAX_DEPTH + 10) {
        let next = CertBuilder::new(&format!("CN=CA {i}"))
            .ca(None)
            .issued_by(chain.last().unwrap())
            .build();
        chain.push(next);
    }
    let leaf = CertBuilder::new("CN=leaf")
        .issued_by(chain.last().unwrap())
        .build();
    let inters: Vec<_> = chain[1..].iter().collect();
    let v = eval_app("latest", &leaf, &inters, &[&chain[0]]);
    assert!(!v.is_trusted());
    assert!(v.chain().len() <= MAX_DEPTH, "{}", v.chain().len());
}

#[test]
fn issuer_sources_are_consulted_after_the_callers_certificates() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let v = TrustEvaluator::builder()
        .anchors([root.cert.clone()])
        .issuer_source(std::sync::Arc::new(sectrust::path::StaticIssuers(vec![
            inter.cert.clone(),
        ])))
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, &[], &[&BasicX509])
        .unwrap();
    assert_trusted(&v);
}

/// An evaluator keeps whether each app anchor is self-signed (as Apple keeps it on the
/// certificate): the second evaluation skips that signature check and gives the same verdict,
/// for an anchor whose self-signature verifies and for one whose does not.
#[test]
fn an_evaluator_verifies_an_app_anchors_self_signature_once() {
    use sectrust::Ssl;
    use sectrust::crypto::HashAlgorithm;
    use sectrust::testing::oids;

    for corrupt in [false, true] {
        // SHA-1 on the root: SignatureHashAlgorithms exempts it only when it is self-signed.
        let mut root = CertBuilder::new("CN=Memo Root")
            .key(KeyPair::p256(120))
            .ca(None)
            .signature_hash(HashAlgorithm::Sha1);
        if corrupt {
            root = root.corrupt_signature();
        }
        let root = root.build();
        let inter = CertBuilder::new("CN=Memo Inter")
            .key(KeyPair::p256(121))
            .ca(None)
            .issued_by(&root)
            .build();
        let leaf = CertBuilder::new("CN=memo.example")
            .key(KeyPair::p256(122))
            .issued_by(&inter)
            .validity("2023-06-01T00:00:00Z", "2024-06-01T00:00:00Z")
            .dns("memo.example")
            .eku(&[oids::server_auth()])
            .build();
        let evaluator = TrustEvaluator::builder()
            .anchors([root.cert.clone()])
            .verify_time_unix(T)
            .build();
        let ssl = Ssl::server("memo.example");
        let run = |e: &TrustEvaluator| {
            e.evaluate(&leaf.cert, std::slice::from_ref(&inter.cert), &[&ssl])
                .unwrap()
        };
        let first = run(&evaluator);
        let second = run(&evaluator);
        let other_platform = run(&evaluator.with_platform(p("ios-16.0")));
        assert_eq!(first.to_string(), second.to_string());
        assert_eq!(first.failures(), second.failures());
        assert_eq!(first.work().signature_checks, 3, "{first}");
        assert_eq!(second.work().signature_checks, 2, "{second}");
        assert_eq!(
            other_platform.work().signature_checks,
            2,
            "{other_platform}"
        );
        if corrupt {
            assert!(
                first
                    .failures()
                    .iter()
                    .any(|f| f.cert_index == 2 && f.check == Check::SignatureHashAlgorithms),
                "{first}"
            );
        } else {
            assert_trusted(&first);
        }
        // A fresh evaluator gives the same verdict again.
        let fresh = TrustEvaluator::builder()
            .anchors([root.cert.clone()])
            .verify_time_unix(T)
            .build();
        assert_eq!(run(&fresh).to_string(), first.to_string());
    }
}

/// The anchor's self-signature is checked only when something reads it: a SHA-256 chain to an
/// app anchor, accepted as the first path, costs two signature checks (leaf and intermediate),
/// whether or not the anchor's own signature verifies.
#[test]
fn an_accepted_first_path_skips_the_anchors_self_signature() {
    for corrupt in [false, true] {
        let mut root = CertBuilder::new("CN=Lazy Root")
            .key(KeyPair::p256(130))
            .ca(None);
        if corrupt {
            root = root.corrupt_signature();
        }
        let root = root.build();
        let inter = CertBuilder::new("CN=Lazy Inter")
            .key(KeyPair::p256(131))
            .ca(None)
            .issued_by(&root)
            .build();
        let leaf = CertBuilder::new("CN=lazy leaf")
            .key(KeyPair::p256(132))
            .issued_by(&inter)
            .build();
        let v = eval_app("latest", &leaf, &[&inter], &[&root]);
        assert_trusted(&v);
        assert_eq!(v.work().signature_checks, 2, "{v}");
    }
}
