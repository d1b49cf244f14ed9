//! Which candidate path is reported (`apple-trust.md §4`; platforms.md "Path builder by
//! release"): rejected paths set aside, score ties broken by weak hash and key strength, the
//! stopping rule by release, and the ≤ 57337 scores.

mod common;

use common::*;
use sectrust::crypto::HashAlgorithm;
use sectrust::testing::{CertBuilder, KeyPair};
use sectrust::{Check, TrustEvaluator, TrustResult};

/// A path whose issuer fails the issuer checks is set aside and re-processed only after every
/// source is exhausted: a path through a good issuer of the same name and key, found later,
/// comes first in the order and wins the tie.
#[test]
fn a_rejected_path_is_set_aside_and_loses_the_tie() {
    let root = CertBuilder::new("CN=Reject Root").ca(None).build();
    let key = KeyPair::p256(200);
    // v3 without basicConstraints: fails BasicConstraints as an issuer.
    let bad = CertBuilder::new("CN=Reject Inter")
        .key(key.clone())
        .serial(1)
        .issued_by(&root)
        .build();
    let good = CertBuilder::new("CN=Reject Inter")
        .key(key)
        .ca(None)
        .serial(2)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&good).build();

    // Unanchored: both paths end at the untrusted root and score the same.
    let v = eval_app("latest", &leaf, &[&bad, &good, &root], &[]);
    assert!(v.chain()[1].same_as(&good.cert), "{v}");
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(2, Check::AnchorTrusted)],
    );

    // Alone, the rejected path is still re-processed and reported, never accepted.
    let v = eval_app("latest", &leaf, &[&bad], &[&root]);
    assert_eq!(v.chain().len(), 3, "{v}");
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::BasicConstraints)],
    );
    let v = eval_app("latest", &leaf, &[&bad, &good], &[&root]);
    assert_trusted(&v);
    assert!(v.chain()[1].same_as(&good.cert), "{v}");
}

/// An expired intermediate is rejected only when expiry counts under the first policy; the
/// accepted path through its valid twin is found first either way.
#[test]
fn an_expired_issuer_is_set_aside() {
    let root = CertBuilder::new("CN=Expiry Root").ca(None).build();
    let key = KeyPair::p256(201);
    let expired = CertBuilder::new("CN=Expiry Inter")
        .key(key.clone())
        .ca(None)
        .serial(1)
        .validity("2010-01-01T00:00:00Z", "2015-01-01T00:00:00Z")
        .issued_by(&root)
        .build();
    let valid = CertBuilder::new("CN=Expiry Inter")
        .key(key)
        .ca(None)
        .serial(2)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&valid).build();
    let v = eval_app("latest", &leaf, &[&expired, &valid], &[&root]);
    assert_trusted(&v);
    assert!(v.chain()[1].same_as(&valid.cert), "{v}");
    // The expired path was set aside, so the valid one was validated first and stopped the
    // search.
    assert_eq!(v.work().validated, 1, "{v}");
}

/// Weak hash in scoring ignores the anchor only: on an unanchored path the last certificate's
/// SHA-1 self-signature counts, so the SHA-256 twin of the root wins though found second.
#[test]
fn an_unanchored_paths_last_certificate_counts_for_weak_hash() {
    let root_key = KeyPair::p256(210);
    let sha1_root = CertBuilder::new("CN=Weak Hash Root")
        .key(root_key.clone())
        .ca(None)
        .serial(1)
        .signature_hash(HashAlgorithm::Sha1)
        .build();
    let sha2_root = CertBuilder::new("CN=Weak Hash Root")
        .key(root_key)
        .ca(None)
        .serial(2)
        .build();
    let inter = CertBuilder::new("CN=Weak Hash Inter")
        .ca(None)
        .issued_by(&sha2_root)
        .build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&inter).build();

    let v = eval_app("latest", &leaf, &[&inter, &sha1_root, &sha2_root], &[]);
    assert!(v.chain()[2].same_as(&sha2_root.cert), "{v}");
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(2, Check::AnchorTrusted)],
    );

    // Anchored, the anchor's hash is ignored (in the score and the stopping rule): the first
    // accepted path, through the SHA-1 root, is final.
    let v = eval_app("latest", &leaf, &[&inter], &[&sha1_root, &sha2_root]);
    assert_trusted(&v);
    assert!(v.chain()[2].same_as(&sha1_root.cert), "{v}");
    assert_eq!(v.work().validated, 1, "{v}");
}

/// The key-size bonus needs RSA ≥ 2048 or EC ≥ 224 on every certificate: an Ed25519 root
/// (not WeakKeySize from iOS 17) gets no +10, so the all-P-256 path wins though found second.
#[test]
fn keys_other_than_rsa_and_ec_lose_the_key_size_bonus() {
    let ed_root = CertBuilder::new("CN=Ed Root")
        .key(KeyPair::ed25519(220))
        .ca(None)
        .build();
    let ec_root = CertBuilder::new("CN=EC Root")
        .key(KeyPair::p256(221))
        .ca(None)
        .build();
    let key = KeyPair::p256(222);
    let under_ed = CertBuilder::new("CN=Key Inter")
        .key(key.clone())
        .ca(None)
        .issued_by(&ed_root)
        .build();
    let under_ec = CertBuilder::new("CN=Key Inter")
        .key(key)
        .ca(None)
        .issued_by(&ec_root)
        .build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&under_ec).build();
    let v = eval_app(
        "latest",
        &leaf,
        &[&under_ed, &under_ec, &ed_root, &ec_root],
        &[],
    );
    assert!(v.chain()[2].same_as(&ec_root.cert), "{v}");
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(2, Check::AnchorTrusted)],
    );
}

/// Two accepted paths to one anchor, the first through a SHA-1 intermediate: from iOS 10 the
/// builder does not stop there and reports the SHA-2 path; up to iOS 9 (≤ 57337) it stops at
/// the first accepted path.
#[test]
fn sha2_paths_are_preferred_from_ios_10() {
    let (root, sha1_inter, sha2_inter) = twin_intermediates(230);
    let leaf = CertBuilder::new("CN=leaf").issued_by(&sha2_inter).build();
    for (platform, chosen, validated) in [
        ("ios-9.0", &sha1_inter, 1),
        ("ios-10.0", &sha2_inter, 2),
        ("ios-11.0", &sha2_inter, 2),
        ("latest", &sha2_inter, 2),
    ] {
        let v = eval_app(platform, &leaf, &[&sha1_inter, &sha2_inter], &[&root]);
        assert_trusted(&v);
        assert!(v.chain()[1].same_as(&chosen.cert), "{platform}: {v}");
        assert_eq!(v.work().validated, validated, "{platform}: {v}");
    }
}

/// A leaf that is itself signed with SHA-1 can have no SHA-2 path: from iOS 11 (58286) the
/// first accepted path is final; iOS 10 (57740) keeps searching, and the tie goes to the
/// first path.
#[test]
fn a_leaf_already_weak_stops_at_the_first_accepted_path_from_ios_11() {
    let (root, sha1_inter, sha2_inter) = twin_intermediates(240);
    let leaf = CertBuilder::new("CN=leaf")
        .signature_hash(HashAlgorithm::Sha1)
        .issued_by(&sha2_inter)
        .build();
    for (platform, validated) in [("ios-10.0", 2), ("ios-11.0", 1), ("latest", 1)] {
        let v = eval_app(platform, &leaf, &[&sha1_inter, &sha2_inter], &[&root]);
        assert_trusted(&v);
        assert!(v.chain()[1].same_as(&sha1_inter.cert), "{platform}: {v}");
        assert_eq!(v.work().validated, validated, "{platform}: {v}");
    }
}

/// The ≤ 57337 scores (platforms.md): +10 per certificate, so when nothing is accepted the
/// LONGER anchored path wins; the current scores prefer the shorter one (+1000 − length).
#[test]
fn releases_up_to_ios_9_prefer_longer_paths() {
    let root = CertBuilder::new("CN=Legacy Root").ca(None).build();
    let j = CertBuilder::new("CN=Legacy J")
        .ca(None)
        .issued_by(&root)
        .build();
    let key = KeyPair::p256(250);
    let i_via_j = CertBuilder::new("CN=Legacy I")
        .key(key.clone())
        .ca(None)
        .serial(1)
        .issued_by(&j)
        .build();
    let i_direct = CertBuilder::new("CN=Legacy I")
        .key(key)
        .ca(None)
        .serial(2)
        .issued_by(&root)
        .build();
    // An expired leaf: no path is accepted, the scores decide.
    let leaf = CertBuilder::new("CN=leaf")
        .issued_by(&i_direct)
        .validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z")
        .build();
    let inters = [&i_direct, &i_via_j, &j];
    let v = eval_app("latest", &leaf, &inters, &[&root]);
    assert_eq!(v.chain().len(), 3, "{v}");
    let v = eval_app("ios-9.0", &leaf, &inters, &[&root]);
    assert_eq!(v.chain().len(), 4, "{v}");
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::ValidLeaf)],
    );
}

/// A root and two intermediates of one name and key under it, the first signed with SHA-1.
fn twin_intermediates(
    seed: u64,
) -> (
    sectrust::testing::Issued,
    sectrust::testing::Issued,
    sectrust::testing::Issued,
) {
    let root = CertBuilder::new(&format!("CN=Twin Root {seed}"))
        .ca(None)
        .build();
    let key = KeyPair::p256(seed);
    let inter = |serial: u64, hash: HashAlgorithm| {
        CertBuilder::new(&format!("CN=Twin Inter {seed}"))
            .key(key.clone())
            .ca(None)
            .serial(serial)
            .signature_hash(hash)
            .issued_by(&root)
            .build()
    };
    let sha1 = inter(1, HashAlgorithm::Sha1);
    let sha2 = inter(2, HashAlgorithm::Sha256);
    (root, sha1, sha2)
}

/// Basic X.509 without any validity check: expiry neither rejects an issuer nor counts.
#[derive(Debug)]
struct NoValidity;

impl sectrust::Policy for NoValidity {
    fn oid(&self) -> sectrust::ObjectIdentifier {
        "1.3.6.1.4.1.55555.10".parse().unwrap()
    }
    fn name(&self) -> &str {
        "noValidity"
    }
    fn options(&self, platform: &sectrust::Platform) -> sectrust::PolicyOptions {
        let mut o = sectrust::BasicX509::base_options(platform);
        for c in [
            Check::TemporalValidity,
            Check::ValidLeaf,
            Check::ValidIntermediates,
            Check::ValidRoot,
        ] {
            o.remove(c);
        }
        o
    }
}

/// The ≤ 57337 "−1 per invalid non-root": the last certificate of a path that does not end
/// self-signed is not a root, so its expiry costs the point and the valid twin wins the tie.
#[test]
fn up_to_ios_9_an_expired_last_certificate_that_is_no_root_costs_a_point() {
    let root = CertBuilder::new("CN=Tie Root").ca(None).build();
    let key = KeyPair::p256(261);
    let expired = CertBuilder::new("CN=Tie Inter")
        .key(key.clone())
        .ca(None)
        .serial(1)
        .validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z")
        .issued_by(&root)
        .build();
    let valid = CertBuilder::new("CN=Tie Inter")
        .key(key)
        .ca(None)
        .serial(2)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&valid).build();
    // The root is not at hand: both paths end at the intermediate, unanchored.
    let v = TrustEvaluator::builder()
        .platform("ios-9.0".parse().unwrap())
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, &certs(&[&expired, &valid]), &[&NoValidity])
        .unwrap();
    assert!(v.chain()[1].same_as(&valid.cert), "{v}");
}
