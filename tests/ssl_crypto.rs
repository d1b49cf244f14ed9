//! Weak hashes and small keys under the SSL policy (`apple-trust.md §6`; platforms.md "Other
//! rules" and "Check subtypes that moved"): nothing beyond basic X.509 on iOS 10;
//! SystemTrustedWeakHash / SystemTrustedWeakKey for system-anchored chains on iOS 11–12;
//! SignatureHashAlgorithms / KeySize for every server chain from iOS 13, with the pinning subtype
//! (and so the pinning message over the chain summary) where 59306/59754 gave it; Ed25519.

mod common;

use common::ssl::*;
use sectrust::Ssl;
use sectrust::crypto::HashAlgorithm;
use sectrust::testing::{CertBuilder, Issued, KeyPair, oids};

/// The chain summary of the pinning message, leaf first.
const CHAIN: [&str; 3] = [HOST, CA, ROOT];

fn sha1_leaf(cas: &Cas) -> Issued {
    cas.leaf().signature_hash(HashAlgorithm::Sha1).build()
}

fn rsa_1024_leaf(cas: &Cas) -> Issued {
    cas.leaf().key(KeyPair::rsa(1024, 41)).build()
}

#[test]
fn sha1_leaf_by_release_and_anchor() {
    let cas = Cas::new();
    let l = sha1_leaf(&cas);
    let run = |platform: &str, anchor| cas.eval(platform, &server(), anchor, &l);
    // iOS 10: SHA-1 is not a broken hash for basic X.509, and SSL adds nothing.
    ok(&run("ios-10.0", Anchor::App), U);
    ok(&run("ios-10.0", Anchor::System), U);
    // iOS 11–12: only system-anchored chains reject it.
    for platform in ["ios-11.0", "ios-12.0", "macos-10.13"] {
        ok(&run(platform, Anchor::App), U);
        fails_one(
            &run(platform, Anchor::System),
            (0, "SystemTrustedWeakHash"),
            DIGEST,
            &weak_hash(HOST),
        );
    }
    // iOS 13: every server chain; the subtype is pinning, so the message names the chain.
    for anchor in [Anchor::App, Anchor::System] {
        fails_one(
            &run("ios-13.0", anchor),
            (0, "SignatureHashAlgorithms"),
            DIGEST,
            &pinning(&CHAIN),
        );
        // iOS 14 →: the weak-hash subtype.
        for platform in ["ios-14.0", "latest"] {
            fails_one(
                &run(platform, anchor),
                (0, "SignatureHashAlgorithms"),
                DIGEST,
                &weak_hash(HOST),
            );
        }
    }
}

#[test]
fn sha1_elsewhere_in_the_chain() {
    // The intermediate signed with SHA-1: reported at its index.
    let cas = Cas::with_inter(|b| b.signature_hash(HashAlgorithm::Sha1));
    let l = cas.leaf().build();
    fails_one(
        &cas.system("ios-12.0", &l),
        (1, "SystemTrustedWeakHash"),
        DIGEST,
        &weak_hash(CA),
    );
    fails_one(
        &cas.app("latest", &l),
        (1, "SignatureHashAlgorithms"),
        DIGEST,
        &weak_hash(CA),
    );
    // A self-signed root signed with SHA-1 is skipped by both rules.
    let cas = Cas::with(|b| b.signature_hash(HashAlgorithm::Sha1), |b| b);
    let l = cas.leaf().build();
    for platform in ["ios-12.0", "ios-13.0", "latest"] {
        ok(&cas.system(platform, &l), U);
    }
}

#[test]
fn sha1_on_a_user_anchored_non_self_signed_root_is_skipped() {
    // The intermediate, signed with SHA-1, is where the chain is anchored.
    let cas = Cas::with_inter(|b| b.signature_hash(HashAlgorithm::Sha1));
    let l = cas.leaf().build();
    let v = cas.eval_user("latest", &server(), false, [trust_as_root(&cas.inter)], &l);
    ok(&v, P);
    assert_eq!(v.chain().len(), 2);
    // The same certificate as an app anchor is not exempt.
    fails_one(
        &eval_chain("latest", &server(), Anchor::App, &cas.inter, &l, &[]),
        (1, "SignatureHashAlgorithms"),
        DIGEST,
        &weak_hash(CA),
    );
}

#[test]
fn sha1_on_a_lone_user_anchored_leaf_is_skipped() {
    // TrustAsRoot on the (non-self-signed) leaf: the path is the leaf alone, and the leaf is
    // its user-anchored root, which SignatureHashAlgorithms skips (apple-trust.md §6).
    let cas = Cas::new();
    let l = sha1_leaf(&cas);
    let v = cas.eval("latest", &server(), Anchor::UserLeaf, &l);
    ok(&v, P);
    assert_eq!(v.chain().len(), 1);
    // The same leaf as an app anchor is not exempt.
    fails_one(
        &eval_chain("latest", &server(), Anchor::App, &l, &l, &[]),
        (0, "SignatureHashAlgorithms"),
        DIGEST,
        &weak_hash(HOST),
    );
}

#[test]
fn sha1_is_not_checked_by_the_client_policy() {
    let cas = Cas::new();
    let l = cas
        .leaf()
        .eku(&[oids::client_auth()])
        .signature_hash(HashAlgorithm::Sha1)
        .build();
    for platform in ["ios-13.0", "latest"] {
        ok(
            &cas.eval(platform, &Ssl::client(Some(HOST)), Anchor::App, &l),
            U,
        );
    }
}

#[test]
fn rsa_1024_leaf_by_release_and_anchor() {
    let cas = Cas::new();
    let l = rsa_1024_leaf(&cas);
    let run = |platform: &str, anchor| cas.eval(platform, &server(), anchor, &l);
    // iOS 10: 1024 bits is not WeakLeaf (< 1024), and SSL adds nothing.
    ok(&run("ios-10.0", Anchor::App), U);
    ok(&run("ios-10.0", Anchor::System), U);
    for platform in ["ios-11.0", "ios-12.0"] {
        ok(&run(platform, Anchor::App), U);
        fails_one(
            &run(platform, Anchor::System),
            (0, "SystemTrustedWeakKey"),
            KEY_SIZE,
            &key_size(HOST),
        );
    }
    for anchor in [Anchor::App, Anchor::System] {
        // iOS 13–14: KeySize has the pinning subtype.
        for platform in ["ios-13.0", "ios-14.0"] {
            fails_one(
                &run(platform, anchor),
                (0, "KeySize"),
                KEY_SIZE,
                &pinning(&CHAIN),
            );
        }
        for platform in ["ios-15.0", "latest"] {
            fails_one(
                &run(platform, anchor),
                (0, "KeySize"),
                KEY_SIZE,
                &key_size(HOST),
            );
        }
    }
    // The client policy has no KeySize.
    let client = cas
        .leaf()
        .key(KeyPair::rsa(1024, 41))
        .eku(&[oids::client_auth()])
        .build();
    ok(
        &cas.eval("latest", &Ssl::client(Some(HOST)), Anchor::App, &client),
        U,
    );
}

#[test]
fn small_root_key_system_trusted_weak_key_skips_the_anchor_but_key_size_does_not() {
    let root = CertBuilder::new("CN=SSL Test Root,O=sectrust")
        .key(KeyPair::rsa(1024, 42))
        .ca(None)
        .validity("2010-01-01T00:00:00Z", "2040-01-01T00:00:00Z")
        .build();
    let inter = CertBuilder::new("CN=SSL Test CA,O=sectrust")
        .ca(None)
        .validity("2010-01-01T00:00:00Z", "2040-01-01T00:00:00Z")
        .issued_by(&root)
        .build();
    let cas = Cas { root, inter };
    let l = cas.leaf().build();
    ok(&cas.system("ios-12.0", &l), U);
    fails_one(
        &cas.system("latest", &l),
        (2, "KeySize"),
        KEY_SIZE,
        &key_size(ROOT),
    );
}

#[test]
fn p384_and_rsa_2048_meet_key_size() {
    for key in [KeyPair::p384(43), KeyPair::rsa(2048, 44)] {
        let cas = Cas::new();
        let l = cas.leaf().key(key).build();
        for anchor in [Anchor::App, Anchor::System] {
            ok(&cas.eval("latest", &server(), anchor, &l), U);
        }
    }
}

#[test]
fn ed25519_leaf_fails_key_size_and_weak_key_size_before_ios_17() {
    let cas = Cas::new();
    let l = cas.leaf().key(KeyPair::ed25519(45)).build();
    // Before iOS 17 also WeakKeySize (fatal); the key-size subtype outranks KeySize's pinning
    // subtype on iOS 13–14 and ties with it on iOS 15–16 (table order: WeakKeySize first).
    for platform in ["ios-13.0", "ios-14.0", "ios-15.0", "ios-16.0"] {
        fails(
            &cas.app(platform, &l),
            &[(0, "WeakKeySize"), (0, "KeySize")],
            F,
            KEY_SIZE,
            &key_size(HOST),
        );
    }
    for platform in ["ios-17.0", "latest", "macos-14.0"] {
        fails_one(
            &cas.app(platform, &l),
            (0, "KeySize"),
            KEY_SIZE,
            &key_size(HOST),
        );
    }
    // The client policy: only the basic X.509 WeakKeySize, before iOS 17.
    let client = cas
        .leaf()
        .key(KeyPair::ed25519(45))
        .eku(&[oids::client_auth()])
        .build();
    let policy = Ssl::client(Some(HOST));
    fails(
        &cas.eval("ios-16.0", &policy, Anchor::App, &client),
        &[(0, "WeakKeySize")],
        F,
        KEY_SIZE,
        &key_size(HOST),
    );
    ok(&cas.eval("ios-17.0", &policy, Anchor::App, &client), U);
}

#[test]
fn md5_leaf_is_weak_signature_first_and_signature_hash_algorithms_too() {
    let cas = Cas::new();
    let l = cas.leaf().signature_hash(HashAlgorithm::Md5).build();
    // The fatal WeakSignature (weak-hash subtype) outranks SignatureHashAlgorithms, which has
    // the pinning subtype on iOS 13 and ties on weak hash later (table order: WeakSignature).
    for platform in ["ios-13.0", "latest"] {
        fails(
            &cas.app(platform, &l),
            &[(0, "WeakSignature"), (0, "SignatureHashAlgorithms")],
            F,
            DIGEST,
            &weak_hash(HOST),
        );
    }
    // iOS 11–12: WeakLeaf (fatal, key-size subtype) and, system-anchored, SystemTrustedWeakHash.
    fails(
        &cas.system("ios-12.0", &l),
        &[(0, "WeakLeaf"), (0, "SystemTrustedWeakHash")],
        F,
        KEY_SIZE,
        &key_size(HOST),
    );
}
