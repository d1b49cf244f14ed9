//! S/MIME extended key usage (`apple-trust.md §7`; platforms.md "S/MIME across versions"): the
//! leaf's EKU on each era — CSSM optional with anyEKU, iOS 6 required, iOS 7–13 optional with
//! anyEKU, iOS 14 → optional without anyEKU — and the intermediates' EKU from iOS 16.

mod common;

use common::smime::*;
use common::*;
use sectrust::testing::oids;
use sectrust::{Check, ObjectIdentifier, TrustResult};

/// The leaf EKUs of the matrix, in column order (`None`: no EKU extension).
fn ekus() -> Vec<(&'static str, Option<Vec<ObjectIdentifier>>)> {
    vec![
        ("none", None),
        ("anyEKU", Some(vec![oids::any_eku()])),
        ("emailProtection", Some(vec![oids::email_protection()])),
        ("serverAuth", Some(vec![oids::server_auth()])),
        (
            "serverAuth+emailProtection",
            Some(vec![oids::server_auth(), oids::email_protection()]),
        ),
        ("empty", Some(vec![])),
    ]
}

fn check(platforms: &[&str], expected: &str) {
    let pki = SmimePki::new();
    let policy = sign_for(ADDRESS);
    for platform in platforms {
        for ((name, eku), want) in ekus().into_iter().zip(expected.chars()) {
            let leaf = match eku {
                None => pki.leaf_without_eku(),
                Some(list) => pki.leaf_without_eku().eku(&list),
            }
            .build();
            let v = pki.eval(platform, &policy, &leaf);
            if want == 'P' {
                assert!(
                    v.is_trusted(),
                    "{platform}, EKU {name}: expected trusted\n{v}"
                );
            } else {
                assert_fails(
                    &v,
                    TrustResult::RecoverableTrustFailure,
                    &[(0, Check::ExtendedKeyUsage)],
                );
                assert_eq!(v.primary_error().unwrap().os_status, -67609);
            }
        }
    }
}

#[test]
fn cssm_eku_is_optional_and_accepts_any_eku() {
    check(&["macos-10.7", "macos-10.11"], "PPPFPF");
}

#[test]
fn ios_6_requires_email_protection_itself() {
    check(&["ios-5.1", "ios-6.0", "ios-6.1"], "FFPFPF");
}

#[test]
fn ios_7_to_13_make_it_optional_and_accept_any_eku() {
    check(
        &[
            "ios-7.0",
            "ios-13.0",
            "ios-13.7",
            "macos-10.12",
            "macos-10.15",
        ],
        "PPPFPF",
    );
}

#[test]
fn ios_14_on_rejects_any_eku() {
    check(&["ios-14.0", "ios-16.0", "latest", "macos-11.0"], "PFPFPF");
}

#[test]
fn any_eku_passes_on_ios_13_and_fails_on_ios_14() {
    let pki = SmimePki::new();
    let leaf = pki.leaf().eku(&[oids::any_eku()]).build();
    assert_trusted(&pki.eval("ios-13.0", &sign_for(ADDRESS), &leaf));
    assert_fails(
        &pki.eval("ios-14.0", &sign_for(ADDRESS), &leaf),
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::ExtendedKeyUsage)],
    );
}

#[test]
fn intermediates_with_ekus_need_email_protection_or_any_eku_from_ios_16() {
    let leaf_of = |pki: &SmimePki| pki.leaf().build();
    let server_only = SmimePki::with_inter(|b| b.eku(&[oids::server_auth()]));
    let leaf = leaf_of(&server_only);
    for platform in ["ios-15.0", "macos-12.0"] {
        assert_trusted(&server_only.eval(platform, &sign_for(ADDRESS), &leaf));
    }
    for platform in ["ios-16.0", "latest", "macos-13.0"] {
        assert_fails(
            &server_only.eval(platform, &sign_for(ADDRESS), &leaf),
            TrustResult::RecoverableTrustFailure,
            &[(1, Check::ExtendedKeyUsage)],
        );
    }
    for eku in [
        vec![oids::email_protection()],
        vec![oids::any_eku()],
        vec![oids::server_auth(), oids::email_protection()],
    ] {
        let pki = SmimePki::with_inter(|b| b.eku(&eku));
        assert_trusted(&pki.eval("ios-16.0", &sign_for(ADDRESS), &leaf_of(&pki)));
    }
}
