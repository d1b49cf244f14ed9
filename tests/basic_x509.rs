//! Every check basic X.509 can raise (`apple-trust.md §2, §4, §8`), at the platform boundaries
//! of platforms.md, on certificates generated in code.

mod common;

use common::*;
use sectrust::crypto::HashAlgorithm;
use sectrust::testing::{CertBuilder, KeyPair, oids};
use sectrust::{BasicX509, Check, TrustEvaluator, TrustResult};

#[test]
fn a_good_chain_is_trusted_on_every_engine() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    for platform in [
        "ios-5.1",
        "ios-6.0",
        "ios-9.0",
        "ios-12.0",
        "ios-13.0",
        "latest",
        "macos-10.7",
        "macos-15.0",
    ] {
        let v = eval_app(platform, &leaf, &[&inter], &[&root]);
        assert_trusted(&v);
        assert_eq!(v.chain().len(), 3, "{platform}");
    }
}

#[test]
fn expired_leaf_is_temporal_validity_from_ios_13_and_valid_leaf_before() {
    let (root, inter, leaf) = chain_with(
        |b| b,
        |b| b.validity("2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z"),
    );
    let v = eval_app("ios-13.0", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::TemporalValidity)],
    );
    let e = v.primary_error().unwrap();
    assert_eq!(e.os_status, -67818);
    assert_eq!(e.message, "“leaf.example.com” certificate is expired");
    let v = eval_app("ios-12.0", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::ValidLeaf)],
    );
}

#[test]
fn not_yet_valid_leaf_counts_as_temporal_validity() {
    let (root, inter, leaf) = chain_with(
        |b| b,
        |b| b.validity("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
    );
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::TemporalValidity)],
    );
}

#[test]
fn validity_bounds_are_inclusive() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b.validity_unix(T, T));
    assert_trusted(&eval_app("latest", &leaf, &[&inter], &[&root]));
    let (root, inter, leaf) = chain_with(|b| b, |b| b.validity_unix(T - 10, T - 1));
    assert!(!eval_app("latest", &leaf, &[&inter], &[&root]).is_trusted());
}

#[test]
fn expired_intermediate_and_root_are_reported_at_their_index() {
    let (root, inter, leaf) = chain_with(
        |b| b.validity("2010-01-01T00:00:00Z", "2015-01-01T00:00:00Z"),
        |b| b,
    );
    let v = eval_app("ios-13.0", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::TemporalValidity)],
    );
    let v = eval_app("ios-11.0", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::ValidIntermediates)],
    );

    let root = CertBuilder::new("CN=Old Root")
        .ca(None)
        .validity("2000-01-01T00:00:00Z", "2020-06-01T00:00:00Z")
        .build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&root).build();
    let v = eval_app("ios-13.0", &leaf, &[], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::TemporalValidity)],
    );
    let v = eval_app("ios-12.0", &leaf, &[], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::ValidRoot)],
    );
}

#[test]
fn rsa_512_leaf_is_weak_key_size_by_release() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b.key(KeyPair::rsa(512, 1)));
    let v = eval_app("ios-13.0", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::FatalTrustFailure,
        &[(0, Check::WeakKeySize)],
    );
    assert_eq!(
        v.primary_error().unwrap().message,
        "“leaf.example.com” certificate is using a broken key size"
    );
    // 58286 (iOS 11–12): WeakLeaf, fatal.
    let v = eval_app("ios-12.0", &leaf, &[&inter], &[&root]);
    assert_fails(&v, TrustResult::FatalTrustFailure, &[(0, Check::WeakLeaf)]);
    // 57740 (iOS 10): WeakLeaf, recoverable.
    let v = eval_app("ios-10.0", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::WeakLeaf)],
    );
    // Before iOS 10 no weak-key check exists.
    assert_trusted(&eval_app("ios-9.0", &leaf, &[&inter], &[&root]));
}

#[test]
fn rsa_1024_is_not_weak_for_basic_x509() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b.key(KeyPair::rsa(1024, 2)));
    assert_trusted(&eval_app("latest", &leaf, &[&inter], &[&root]));
}

#[test]
fn ed25519_leaf_is_weak_before_ios_17() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b.key(KeyPair::ed25519(3)));
    let v = eval_app("ios-16.0", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::FatalTrustFailure,
        &[(0, Check::WeakKeySize)],
    );
    assert_trusted(&eval_app("ios-17.0", &leaf, &[&inter], &[&root]));
}

/// Apple does not support DSA keys (`apple-trust.md §4`): a DSA leaf fails WeakKeySize, fatal.
/// The library never verifies the leaf's own key, it only reads its algorithm, so a DSA
/// subjectPublicKeyInfo written over a fixture key is enough.
#[test]
fn dsa_leaf_is_weak_key_size() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b.spki(dsa_spki()));
    assert_eq!(leaf.cert.public_key().to_string(), "DSA-1024");
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::FatalTrustFailure,
        &[(0, Check::WeakKeySize)],
    );
}

/// A DSA subjectPublicKeyInfo with a 1024-bit `p` (RFC 3279 §2.3.2); the numbers are not a
/// real DSA group, only their sizes matter.
fn dsa_spki() -> Vec<u8> {
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let len = content.len();
        let mut out = vec![tag];
        match len {
            0..0x80 => out.push(len as u8),
            0x80..0x100 => out.extend([0x81, len as u8]),
            _ => out.extend([0x82, (len >> 8) as u8, len as u8]),
        }
        out.extend_from_slice(content);
        out
    }
    // A positive INTEGER of `len` bytes with the top bit set (so a leading zero octet).
    let int = |len: usize| {
        let mut v = vec![0x00, 0x80];
        v.resize(len + 1, 0x5a);
        tlv(0x02, &v)
    };
    let dsa_oid = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
    let params = tlv(0x30, &[int(128), int(20), tlv(0x02, &[0x02])].concat());
    let algorithm = tlv(0x30, &[&dsa_oid[..], &params].concat());
    let y = [&[0x00][..], &int(128)].concat();
    tlv(0x30, &[algorithm, tlv(0x03, &y)].concat())
}

#[test]
fn md5_signature_is_weak_signature_and_never_verified() {
    let root = CertBuilder::new("CN=RSA Root")
        .key(KeyPair::rsa(2048, 10))
        .ca(None)
        .build();
    let leaf = CertBuilder::new("CN=md5 leaf")
        .issued_by(&root)
        .signature_hash(HashAlgorithm::Md5)
        .build();
    let v = eval_app("ios-13.0", &leaf, &[], &[&root]);
    assert_fails(
        &v,
        TrustResult::FatalTrustFailure,
        &[(0, Check::WeakSignature)],
    );
    assert!(
        v.notes().iter().any(|n| n.contains("never verified")),
        "{v}"
    );
    let v = eval_app("ios-12.0", &leaf, &[], &[&root]);
    assert_fails(&v, TrustResult::FatalTrustFailure, &[(0, Check::WeakLeaf)]);
}

#[test]
fn issuer_without_basic_constraints_fails_basic_constraints() {
    let (root, inter, leaf) = chain_with(|b| b.no_basic_constraints(), |b| b);
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::BasicConstraints)],
    );
    assert_eq!(
        v.primary_error().unwrap().message,
        "“Test Intermediate” certificate is not standards compliant"
    );
}

#[test]
fn v1_intermediate_under_v3_anchor_fails_basic_constraints() {
    let (root, inter, leaf) = chain_with(|b| b.version(1), |b| b);
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::BasicConstraints)],
    );
    // A v1 anchor itself is fine.
    let root = CertBuilder::new("CN=v1 root").version(1).build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&root).build();
    assert_trusted(&eval_app("latest", &leaf, &[], &[&root]));
}

#[test]
fn issuer_that_is_not_a_ca_fails_basic_constraints_ca() {
    let (root, inter, leaf) = chain_with(|b| b.basic_constraints(false, None, true), |b| b);
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::BasicConstraintsCA)],
    );
}

#[test]
fn path_length_constraint_counts_intermediates_below() {
    let root = CertBuilder::new("CN=Root pathlen 0").ca(Some(0)).build();
    let inter = CertBuilder::new("CN=Inter")
        .ca(None)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=leaf").issued_by(&inter).build();
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(2, Check::BasicConstraintsPathLen)],
    );
    // pathLen 0 directly above the leaf is fine.
    let leaf2 = CertBuilder::new("CN=leaf2").issued_by(&root).build();
    assert_trusted(&eval_app("latest", &leaf2, &[], &[&root]));
}

#[test]
fn ca_without_key_cert_sign_fails_key_usage() {
    let (root, inter, leaf) = chain_with(
        |b| b.key_usage(sectrust::certificate::KeyUsage::CRL_SIGN),
        |b| b,
    );
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::KeyUsage)],
    );
    // This form of KeyUsage is forced (apple-trust.md §2), though the key's flag is not: the
    // failure carries its own.
    assert!(v.failures()[0].forced, "{v}");
    assert!(!Check::KeyUsage.is_forced());
}

#[test]
fn empty_subject_needs_a_critical_san() {
    let root = CertBuilder::new("CN=Root").ca(None).build();
    let leaf = CertBuilder::new("")
        .issued_by(&root)
        .dns("a.example.com")
        .san_critical(false)
        .build();
    let v = eval_app("latest", &leaf, &[], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::NonEmptySubject)],
    );
    let leaf = CertBuilder::new("")
        .issued_by(&root)
        .dns("a.example.com")
        .san_critical(true)
        .build();
    assert_trusted(&eval_app("latest", &leaf, &[], &[&root]));
}

#[test]
fn an_issuer_with_an_empty_subject_fails_non_empty_subject() {
    // x509-limbo `rfc5280::ca-empty-subject`: the anchor itself has the empty subject.
    let root = CertBuilder::new("CN=Root").ca(None).build();
    let ca = CertBuilder::new("").ca(None).issued_by(&root).build();
    let leaf = CertBuilder::new("CN=leaf.example.com")
        .issued_by(&ca)
        .build();
    let v = eval_app("latest", &leaf, &[], &[&ca]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::NonEmptySubject)],
    );
    // The same as an intermediate under a named root.
    let v = eval_app("latest", &leaf, &[&ca], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::NonEmptySubject)],
    );
}

#[test]
fn mismatched_authority_key_identifier_fails_id_linkage() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b.aki(vec![1, 2, 3, 4]));
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::IdLinkage)],
    );
}

#[test]
fn unknown_critical_extension_fails_critical_extensions() {
    let oid = "1.3.6.1.4.1.55555.1".parse().unwrap();
    let (root, inter, leaf) = chain_with(|b| b, |b| b.extension(oid, true, vec![0x05, 0x00]));
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::CriticalExtensions)],
    );
    // Not critical: ignored.
    let (root, inter, leaf) = chain_with(|b| b, |b| b.extension(oid, false, vec![0x05, 0x00]));
    assert_trusted(&eval_app("latest", &leaf, &[&inter], &[&root]));
}

#[test]
fn duplicate_and_unparseable_extensions_count_from_ios_15() {
    let eku_oid = "2.5.29.37".parse().unwrap();
    // extendedKeyUsage twice.
    let eku = vec![
        0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01,
    ];
    let (root, inter, leaf) = chain_with(
        |b| b,
        |b| {
            b.extension(eku_oid, false, eku.clone())
                .extension(eku_oid, false, eku.clone())
        },
    );
    let v = eval_app("ios-15.0", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::DuplicateExtension)],
    );
    assert_trusted(&eval_app("ios-14.0", &leaf, &[&inter], &[&root]));

    // extendedKeyUsage whose value is not a SEQUENCE of OIDs.
    let (root, inter, leaf) = chain_with(
        |b| b,
        |b| b.extension(eku_oid, false, vec![0x04, 0x01, 0x00]),
    );
    let v = eval_app("ios-15.0", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::UnparseableExtension)],
    );
    assert_trusted(&eval_app("ios-14.0", &leaf, &[&inter], &[&root]));
}

#[test]
fn name_constraints_apply_from_the_intermediate() {
    let (root, inter, leaf) = chain_with(
        |b| b.permitted_dns("example.org"),
        |b| b.dns("leaf.example.com"),
    );
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::NameConstraints)],
    );
    let (root, inter, leaf) = chain_with(
        |b| b.permitted_dns("example.com"),
        |b| b.dns("leaf.example.com"),
    );
    assert_trusted(&eval_app("latest", &leaf, &[&inter], &[&root]));
}

#[test]
fn name_constraints_of_the_anchor_itself_apply() {
    let root = CertBuilder::new("CN=Constrained Root")
        .ca(None)
        .excluded_dns("bad.example")
        .build();
    let leaf = CertBuilder::new("CN=x")
        .issued_by(&root)
        .dns("www.bad.example")
        .build();
    let v = eval_app("latest", &leaf, &[], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::NameConstraints)],
    );
}

#[test]
fn required_explicit_policy_without_policies_fails_policy_constraints() {
    let (root, inter, leaf) = chain_with(|b| b.require_explicit_policy(0), |b| b);
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert!(v.has_failure(Check::PolicyConstraints), "{v}");
    assert_eq!(v.result(), TrustResult::RecoverableTrustFailure);
    let policy = "2.23.140.1.2.1".parse().unwrap();
    let (root, inter, leaf) = chain_with(
        |b| b.require_explicit_policy(0).policies(&[policy]),
        |b| b.policies(&[policy]),
    );
    assert_trusted(&eval_app("latest", &leaf, &[&inter], &[&root]));
}

#[test]
fn unanchored_self_signed_end_is_anchor_trusted() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b);
    let v = eval_app("latest", &leaf, &[&inter, &root], &[]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(2, Check::AnchorTrusted)],
    );
    assert_eq!(
        v.primary_error().unwrap().message,
        "“Test Root” certificate is not trusted"
    );
    assert_eq!(v.primary_error().unwrap().os_status, -67843);
}

#[test]
fn missing_intermediate_is_reported_on_the_last_certificate_found() {
    let (root, _inter, leaf) = chain_with(|b| b, |b| b);
    let v = eval_app("latest", &leaf, &[], &[&root]);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::MissingIntermediate)],
    );
    assert_eq!(v.primary_error().unwrap().os_status, -25318);
    assert_eq!(v.chain().len(), 1);
}

#[test]
fn a_bad_signature_is_never_trusted() {
    let (root, inter, leaf) = chain_with(|b| b, |b| b.corrupt_signature());
    let v = eval_app("latest", &leaf, &[&inter], &[&root]);
    assert!(!v.is_trusted(), "{v}");
    assert!(v.has_failure(Check::BasicCertificateProcessing), "{v}");
    assert_eq!(v.failures()[0].cert_index, 0, "{v}");
}

#[test]
fn a_trusted_self_signed_leaf_is_a_path_of_one() {
    let leaf = CertBuilder::new("CN=self.example.com")
        .dns("self.example.com")
        .build();
    let v = eval_app("latest", &leaf, &[], &[&leaf]);
    assert_trusted(&v);
    assert_eq!(v.chain().len(), 1);
}

#[test]
fn an_explicitly_empty_policy_list_is_an_input_error() {
    let pki = default_pki();
    let e = TrustEvaluator::builder()
        .build()
        .evaluate(&pki.leaf.cert, &[], &[])
        .unwrap_err();
    assert!(matches!(e, sectrust::Error::EmptyPolicyList), "{e}");
    let v = TrustEvaluator::builder()
        .anchors([pki.root.cert.clone()])
        .verify_time_unix(T)
        .build()
        .evaluate_default(&pki.leaf.cert, std::slice::from_ref(&pki.intermediate.cert))
        .unwrap();
    assert_trusted(&v);
}

#[test]
fn basic_x509_ignores_ekus() {
    let (root, inter, leaf) = chain_with(
        |b| b.eku(&[oids::code_signing()]),
        |b| b.eku(&[oids::client_auth()]),
    );
    let v = TrustEvaluator::builder()
        .anchors([root.cert.clone()])
        .verify_time_unix(T)
        .build()
        .evaluate(&leaf.cert, std::slice::from_ref(&inter.cert), &[&BasicX509])
        .unwrap();
    assert_trusted(&v);
}
