//! S/MIME key usage (`apple-trust.md §7`; platforms.md "S/MIME across versions"): every usage
//! flag against every KeyUsage of the leaf, on each era of the table — CSSM (macOS 10.7–10.11),
//! iOS 6–13 ("unspecified" = 0) and iOS 14 → ("unspecified" = no KU extension) — and the
//! ignore-expiration flag.

mod common;

use common::smime::*;
use common::*;
use sectrust::certificate::KeyUsage as Ku;
use sectrust::policy::{Smime, SmimeUsage};
use sectrust::testing::Issued;
use sectrust::{Check, TrustResult};

/// The leaf KeyUsages of the matrix, in column order (`None`: no KU extension).
const KUS: &[(&str, Option<u16>)] = &[
    ("none", None),
    ("DS", Some(Ku::DIGITAL_SIGNATURE)),
    ("NR", Some(Ku::NON_REPUDIATION)),
    ("KE", Some(Ku::KEY_ENCIPHERMENT)),
    ("DE", Some(Ku::DATA_ENCIPHERMENT)),
    ("KA", Some(Ku::KEY_AGREEMENT)),
    ("KA+EO", Some(Ku::KEY_AGREEMENT | Ku::ENCIPHER_ONLY)),
    ("KA+DO", Some(Ku::KEY_AGREEMENT | Ku::DECIPHER_ONLY)),
    (
        "KA+EO+DO",
        Some(Ku::KEY_AGREEMENT | Ku::ENCIPHER_ONLY | Ku::DECIPHER_ONLY),
    ),
    (
        "KE+DE+KA",
        Some(Ku::KEY_ENCIPHERMENT | Ku::DATA_ENCIPHERMENT | Ku::KEY_AGREEMENT),
    ),
];

/// The usage flags of the matrix, in row order.
const USAGES: &[(&str, SmimeUsage)] = &[
    ("sign", SmimeUsage::SIGN),
    ("key encrypt", SmimeUsage::KEY_ENCRYPT),
    ("data encrypt", SmimeUsage::DATA_ENCRYPT),
    ("kx decrypt", SmimeUsage::KEY_EXCHANGE_DECRYPT),
    ("kx encrypt", SmimeUsage::KEY_EXCHANGE_ENCRYPT),
    ("kx both", SmimeUsage::KEY_EXCHANGE_BOTH),
    ("any encrypt", SmimeUsage::ANY_ENCRYPT),
];

/// Expected outcome per (usage row, KU column): `P` trusted, `F` KeyUsage failure at 0.
///
/// iOS 6 – iOS 13: any of the accepted values; sign adds value 0 (every certificate passes);
/// key exchange needs keyAgreement plus decipherOnly / encipherOnly / both.
const LEGACY: &[&str] = &[
    //          none DS NR KE DE KA EO DO EODO KEDEKA
    "PPPPPPPPPP", // sign
    "FFFPFFFFFP", // key encrypt
    "FFFFPFFFFP", // data encrypt
    "FFFFFFFPPF", // kx decrypt
    "FFFFFFPFPF", // kx encrypt
    "FFFFFFFFPF", // kx both
    "FFFPPFPPPP", // any encrypt
];

/// iOS 14 →: sign = no KU or digitalSignature; key exchange = plain keyAgreement.
const IOS14: &[&str] = &[
    "PPFFFFFFFF", // sign
    "FFFPFFFFFP", // key encrypt
    "FFFFPFFFFP", // data encrypt
    "FFFFFPPPPP", // kx decrypt
    "FFFFFPPPPP", // kx encrypt
    "FFFFFPPPPP", // kx both
    "FFFPPPPPPP", // any encrypt
];

/// CSSM: no KU passes; otherwise every bit asked for, and encipherOnly / decipherOnly refuse
/// the other direction.
const CSSM: &[&str] = &[
    "PPFFFFFFFF", // sign
    "PFFPFFFFFP", // key encrypt
    "PFFFPFFFFP", // data encrypt
    "PFFFFPFPFP", // kx decrypt
    "PFFFFPPFFP", // kx encrypt
    "PFFFFPFFFP", // kx both
    "PFFFFFFFFP", // any encrypt
];

fn leaves(pki: &SmimePki) -> Vec<Issued> {
    KUS.iter()
        .map(|(_, ku)| {
            let b = pki.leaf();
            match ku {
                None => b.no_key_usage(),
                Some(bits) => b.key_usage(*bits),
            }
            .build()
        })
        .collect()
}

fn check_matrix(platforms: &[&str], table: &[&str]) {
    let pki = SmimePki::new();
    let leaves = leaves(&pki);
    for platform in platforms {
        for ((usage_name, usage), row) in USAGES.iter().zip(table) {
            let policy = Smime::new(*usage, Some(ADDRESS.into()));
            for (((ku_name, _), leaf), want) in KUS.iter().zip(&leaves).zip(row.chars()) {
                let v = pki.eval(platform, &policy, leaf);
                let what = format!("{platform}, {usage_name} vs KU {ku_name}");
                match want {
                    'P' => assert!(v.is_trusted(), "{what}: expected trusted\n{v}"),
                    _ => {
                        assert_fails(
                            &v,
                            TrustResult::RecoverableTrustFailure,
                            &[(0, Check::KeyUsage)],
                        );
                        let e = v.primary_error().expect("an error");
                        assert_eq!(e.os_status, -67608, "{what}");
                    }
                }
            }
        }
    }
}

#[test]
fn ios_6_to_13_accept_any_value_and_sign_matches_every_certificate() {
    check_matrix(
        &[
            "ios-5.1",
            "ios-6.0",
            "ios-7.0",
            "ios-13.7",
            "macos-10.12",
            "macos-10.15",
        ],
        LEGACY,
    );
}

#[test]
fn ios_14_on_unspecified_means_no_key_usage_extension() {
    check_matrix(&["ios-14.0", "ios-16.0", "latest", "macos-11.0"], IOS14);
}

#[test]
fn cssm_needs_every_bit_when_the_extension_is_present() {
    check_matrix(&["macos-10.7", "macos-10.11"], CSSM);
}

#[test]
fn non_repudiation_only_signs_on_ios_13_not_on_ios_14() {
    let pki = SmimePki::new();
    let leaf = pki.leaf().key_usage(Ku::NON_REPUDIATION).build();
    let policy = sign_for(ADDRESS);
    assert_trusted(&pki.eval("ios-13.7", &policy, &leaf));
    let v = pki.eval("ios-14.0", &policy, &leaf);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::KeyUsage)],
    );
    assert_eq!(
        v.primary_error().unwrap().message,
        "“Jane Doe” certificate is not permitted for this usage"
    );
}

#[test]
fn combined_flags_accept_any_of_their_values() {
    let pki = SmimePki::new();
    let policy = Smime::new(
        SmimeUsage::SIGN | SmimeUsage::KEY_ENCRYPT,
        Some(ADDRESS.into()),
    );
    for ku in [Ku::DIGITAL_SIGNATURE, Ku::KEY_ENCIPHERMENT] {
        let leaf = pki.leaf().key_usage(ku).build();
        assert_trusted(&pki.eval("ios-14.0", &policy, &leaf));
    }
    let leaf = pki.leaf().key_usage(Ku::DATA_ENCIPHERMENT).build();
    assert!(!pki.eval("ios-14.0", &policy, &leaf).is_trusted());
    // CSSM asks for both bits.
    let leaf = pki.leaf().key_usage(Ku::DIGITAL_SIGNATURE).build();
    assert_fails(
        &pki.eval("macos-10.7", &policy, &leaf),
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::KeyUsage)],
    );
}

#[test]
fn usage_zero_checks_no_key_usage() {
    let pki = SmimePki::new();
    let leaf = pki.leaf().key_usage(Ku::CRL_SIGN).build();
    for platform in ["macos-10.7", "ios-6.0", "ios-14.0", "latest"] {
        for usage in [SmimeUsage::NONE, SmimeUsage::IGNORE_EXPIRATION] {
            let policy = Smime::new(usage, Some(ADDRESS.into()));
            assert_trusted(&pki.eval(platform, &policy, &leaf));
        }
    }
}

#[test]
fn ignore_expiration_is_honoured_from_ios_11() {
    let pki = SmimePki::new();
    let expired = pki
        .leaf()
        .validity("2019-01-01T00:00:00Z", "2020-01-01T00:00:00Z")
        .build();
    let plain = sign_for(ADDRESS);
    let ignoring = Smime::new(
        SmimeUsage::SIGN | SmimeUsage::IGNORE_EXPIRATION,
        Some(ADDRESS.into()),
    );
    for (platform, key) in [
        ("ios-10.3", Check::ValidLeaf),
        ("macos-10.12", Check::ValidLeaf),
        ("macos-10.7", Check::ValidLeaf),
    ] {
        for policy in [&plain, &ignoring] {
            assert_fails(
                &pki.eval(platform, policy, &expired),
                TrustResult::RecoverableTrustFailure,
                &[(0, key)],
            );
        }
    }
    for (platform, key) in [
        ("ios-11.0", Check::ValidLeaf),
        ("macos-10.13", Check::ValidLeaf),
        ("ios-13.0", Check::TemporalValidity),
        ("latest", Check::TemporalValidity),
    ] {
        assert_fails(
            &pki.eval(platform, &plain, &expired),
            TrustResult::RecoverableTrustFailure,
            &[(0, key)],
        );
        assert_trusted(&pki.eval(platform, &ignoring, &expired));
    }
}

#[test]
fn ignore_expiration_also_covers_an_expired_intermediate() {
    let pki = SmimePki::with_inter(|b| b.validity("2010-01-01T00:00:00Z", "2015-01-01T00:00:00Z"));
    let leaf = pki.leaf().build();
    let ignoring = Smime::new(
        SmimeUsage::SIGN | SmimeUsage::IGNORE_EXPIRATION,
        Some(ADDRESS.into()),
    );
    assert_fails(
        &pki.eval("ios-13.0", &sign_for(ADDRESS), &leaf),
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::TemporalValidity)],
    );
    assert_trusted(&pki.eval("ios-13.0", &ignoring, &leaf));
}

/// `apple-trust.md §7`: from iOS 11 the ignore-expiration flag drops the leaf block/gray-list
/// OPTIONS from the S/MIME set. §2: those are "the policy-option forms"; a caller's Valid
/// database produces GrayListedLeaf FORCED at the listed certificate, counted whatever the
/// options. So a gray-listed leaf fails (recoverable) with or without the flag, on ios-10.0
/// (flag not honoured) as on ios-11.0 and latest; only the option set differs.
#[test]
fn ignore_expiration_drops_the_leaf_list_options_but_not_the_valid_database() {
    use sectrust::Policy;
    use sectrust::distrust::ValidDatabase;
    use std::sync::Arc;

    let pki = SmimePki::new();
    let leaf = pki.leaf().build();
    let mut db = ValidDatabase::new();
    db.gray_list_certificate(*leaf.cert.sha256());
    let db = Arc::new(db);
    let plain = sign_for(ADDRESS);
    let ignoring = Smime::new(
        SmimeUsage::SIGN | SmimeUsage::IGNORE_EXPIRATION,
        Some(ADDRESS.into()),
    );
    for (platform, honoured) in [("ios-10.0", false), ("ios-11.0", true), ("latest", true)] {
        for (policy, flag) in [(&plain, false), (&ignoring, true)] {
            let options = policy.options(&p(platform));
            for check in [Check::BlackListedLeaf, Check::GrayListedLeaf] {
                assert_eq!(
                    options.has(check),
                    !(flag && honoured),
                    "{platform}, ignore-expiration {flag}: {check:?} option"
                );
            }
            let policies: [&dyn Policy; 1] = [policy];
            let verdict = sectrust::TrustEvaluator::builder()
                .platform(p(platform))
                .anchors([pki.root.cert.clone()])
                .verify_time_unix(T)
                .valid_database(Arc::clone(&db))
                .build()
                .evaluate(&leaf.cert, &certs(&[&pki.inter]), &policies)
                .expect("evaluation");
            assert_fails(
                &verdict,
                TrustResult::RecoverableTrustFailure,
                &[(0, Check::GrayListedLeaf)],
            );
        }
    }
}
