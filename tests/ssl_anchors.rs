//! What the kind of anchor changes for the SSL server policy (`apple-trust.md §5, §6`):
//! ServerAuthEKU (strict for system-anchored chains, skipped for a user-anchored leaf or root,
//! dated for the rest), the KeySize exemption of a user-anchored leaf, and iOS 10.3+
//! configuration-profile roots that need "full trust" before they anchor TLS.

mod common;

use common::ssl::*;
use sectrust::anchors::{KEY_USAGE_ANY, KEY_USAGE_SIGN_CERT};
use sectrust::certificate::KeyUsage;
use sectrust::testing::{KeyPair, oids};
use sectrust::verdict::AnchorKind;
use sectrust::{BasicX509, Policy, Ssl, TrustEvaluator, TrustSetting};

#[test]
fn server_auth_eku_by_kind_of_anchor() {
    let cas = Cas::new();
    // Issued in 2024 (after 2019-06-30T23:00Z) without any EKU; and with anyEKU only.
    for l in [
        cas.leaf_without_eku().build(),
        cas.leaf().eku(&[oids::any_eku()]).build(),
    ] {
        for anchor in Anchor::ALL {
            let v = cas.eval("ios-13.0", &server(), anchor, &l);
            match anchor {
                Anchor::App | Anchor::System => {
                    fails_one(&v, (0, "ServerAuthEKU"), BAD_EKU, &usage(HOST))
                }
                // Skipped: a user/admin-anchored root, or the leaf itself user-anchored.
                Anchor::UserRoot | Anchor::UserLeaf => ok(&v, P),
                Anchor::Unanchored => fails(
                    &v,
                    &[(0, "ServerAuthEKU"), (2, "AnchorTrusted")],
                    R,
                    NOT_TRUSTED,
                    &not_trusted(ROOT),
                ),
            }
        }
    }
}

#[test]
fn server_auth_eku_for_a_leaf_issued_before_july_2019_only_binds_system_anchored_chains() {
    let cas = Cas::new();
    let l = cas
        .leaf_without_eku()
        .validity("2019-01-01T00:00:00Z", "2020-01-01T00:00:00Z")
        .build();
    for anchor in Anchor::ALL {
        let v = cas.eval("latest", &server(), anchor, &l);
        match anchor {
            Anchor::System => fails_one(&v, (0, "ServerAuthEKU"), BAD_EKU, &usage(HOST)),
            Anchor::App => ok(&v, U),
            Anchor::UserRoot | Anchor::UserLeaf => ok(&v, P),
            Anchor::Unanchored => fails(
                &v,
                &[(2, "AnchorTrusted")],
                R,
                NOT_TRUSTED,
                &not_trusted(ROOT),
            ),
        }
    }
}

#[test]
fn key_size_is_skipped_only_for_a_user_anchored_leaf() {
    let cas = Cas::new();
    let l = cas.leaf().key(KeyPair::rsa(1024, 51)).build();
    for anchor in Anchor::ALL {
        let v = cas.eval("latest", &server(), anchor, &l);
        match anchor {
            Anchor::UserLeaf => ok(&v, P),
            Anchor::Unanchored => fails(
                &v,
                &[(0, "KeySize"), (2, "AnchorTrusted")],
                R,
                KEY_SIZE,
                &key_size(HOST),
            ),
            // A user-trusted root does not exempt its leaf.
            _ => fails_one(&v, (0, "KeySize"), KEY_SIZE, &key_size(HOST)),
        }
    }
}

#[test]
fn user_store_exemptions_hold_with_anchors_only_on() {
    // App anchors turn anchors-only on: the user store anchors nothing, but the "user-anchored"
    // exemptions still look at it (apple-trust.md §5).
    let cas = Cas::new();
    let other = sectrust::testing::CertBuilder::new("CN=Other Root")
        .ca(None)
        .build();
    let l = cas.leaf_without_eku().key(KeyPair::rsa(1024, 52)).build();
    let eval_with = |user: TrustSetting| {
        TrustEvaluator::builder()
            .platform(common::p("latest"))
            .anchors([other.cert.clone()])
            .user_trust([user])
            .verify_time_unix(mid(&l))
            .build()
            .evaluate(
                &l.cert,
                &common::certs(&[&cas.inter, &cas.root]),
                &[&server()],
            )
            .unwrap()
    };
    // The root user-trusted: no ServerAuthEKU; KeySize still counts.
    fails(
        &eval_with(TrustSetting::trust_root(cas.root.cert.clone())),
        &[(0, "KeySize"), (2, "AnchorTrusted")],
        R,
        KEY_SIZE,
        &key_size(HOST),
    );
    // The leaf user-trusted: neither; the chain runs on to the untrusted root.
    let v = eval_with(trust_as_root(&l));
    fails_one(&v, (2, "AnchorTrusted"), NOT_TRUSTED, &not_trusted(ROOT));
}

#[test]
fn profile_roots_without_full_trust_do_not_anchor_ssl_from_ios_10_3() {
    let cas = Cas::new();
    let l = cas.leaf().build();
    let eval_profile = |platform: &str, full_trust: bool, policy: &dyn Policy| {
        let profile_root = TrustSetting::profile_root(cas.root.cert.clone(), full_trust);
        cas.eval_user(platform, policy, false, [profile_root], &l)
    };
    let client = Ssl::client(Some(HOST));
    let client_leaf = cas.leaf().eku(&[oids::client_auth()]).build();
    for platform in ["ios-10.3", "ios-13.0", "latest"] {
        let v = eval_profile(platform, false, &server());
        fails_one(&v, (2, "AnchorTrusted"), NOT_TRUSTED, &not_trusted(ROOT));
        assert_eq!(v.anchor(), AnchorKind::None);
        // With full trust the root anchors (Proceed from iOS 11's result model).
        let v = eval_profile(platform, true, &server());
        ok(&v, if platform == "ios-10.3" { U } else { P });
        assert_eq!(v.anchor(), AnchorKind::User);
        // Other policies are not affected.
        ok(
            &eval_profile(platform, false, &BasicX509),
            if platform == "ios-10.3" { U } else { P },
        );
    }
    // The client TLS policy too.
    let profile_root = TrustSetting::profile_root(cas.root.cert.clone(), false);
    let v = cas.eval_user("latest", &client, false, [profile_root], &client_leaf);
    fails_one(&v, (2, "AnchorTrusted"), NOT_TRUSTED, &not_trusted(ROOT));
    // Before iOS 10.3, and on macOS, a profile root anchors TLS without full trust.
    ok(&eval_profile("ios-10.2", false, &server()), U);
    ok(&eval_profile("macos-13.0", false, &server()), P);
}

#[test]
fn with_key_usage_is_part_of_the_usage_trust_setting_constraints_must_equal() {
    // apple-trust.md §5: a constraint's key usage must EQUAL the computed usage, keyCertSign on
    // a non-leaf certificate plus the policy's key usages (SecTrustSettingsKeyUsage bits).
    const SIGNATURE: u32 = 0x01; // kSecTrustSettingsKeyUseSignature
    const EN_DECRYPT_KEY: u32 = 0x04; // kSecTrustSettingsKeyUseEnDecryptKey
    let cas = Cas::new();
    let l = cas.leaf().build();
    let eval_with = |ku: u32, policy: &Ssl| {
        let mut c = sectrust::UsageConstraint::result(sectrust::TrustSettingResult::TrustRoot);
        c.key_usage = Some(ku);
        let setting = TrustSetting::with_constraint(cas.root.cert.clone(), c);
        cas.eval_user("latest", policy, false, [setting], &l)
    };
    let signing = server().with_key_usage(KeyUsage::DIGITAL_SIGNATURE);
    let both = server().with_key_usage(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT);
    let unanchored =
        |v: &sectrust::Verdict| fails_one(v, (2, "AnchorTrusted"), NOT_TRUSTED, &not_trusted(ROOT));
    // keyCertSign alone: the plain SSL policy only.
    ok(&eval_with(KEY_USAGE_SIGN_CERT, &server()), P);
    unanchored(&eval_with(KEY_USAGE_SIGN_CERT, &signing));
    // keyCertSign plus exactly the policy's usages.
    ok(&eval_with(KEY_USAGE_SIGN_CERT | SIGNATURE, &signing), P);
    unanchored(&eval_with(KEY_USAGE_SIGN_CERT | SIGNATURE, &server()));
    unanchored(&eval_with(KEY_USAGE_SIGN_CERT | SIGNATURE, &both));
    ok(
        &eval_with(KEY_USAGE_SIGN_CERT | SIGNATURE | EN_DECRYPT_KEY, &both),
        P,
    );
    // "Any" matches every policy.
    ok(&eval_with(KEY_USAGE_ANY, &both), P);
}

#[test]
fn trust_setting_constraints_name_the_ssl_policy_and_its_host() {
    // apple-trust.md §5: every key present must match; a policy string only together with a
    // matched policy, exactly and case-insensitively.
    let cas = Cas::new();
    let l = cas
        .leaf()
        .dns("mail.example.com")
        .eku(&[oids::server_auth(), oids::client_auth()])
        .build();
    let deny = |name: Option<&str>, host: Option<&str>, with_oid: bool| {
        let mut c = sectrust::UsageConstraint::result(sectrust::TrustSettingResult::Deny);
        c.policy_oid = with_oid.then_some(Ssl::OID);
        c.policy_name = name.map(str::to_owned);
        c.policy_string = host.map(str::to_owned);
        TrustSetting::with_constraint(cas.root.cert.clone(), c)
    };
    let eval_with =
        |setting: TrustSetting, policy: &Ssl| cas.eval_user("latest", policy, true, [setting], &l);
    let denied = |v: &sectrust::Verdict| {
        fails(
            v,
            &[(2, "UsageConstraints")],
            sectrust::TrustResult::Deny,
            -67654,
            &format!("User or administrator set “{ROOT}” certificate as distrusted"),
        )
    };
    let client = Ssl::client(Some(HOST));
    // The SSL OID with the name sslServer: the server policy only.
    denied(&eval_with(deny(Some("sslServer"), None, true), &server()));
    ok(&eval_with(deny(Some("sslServer"), None, true), &client), P);
    // The OID alone names both.
    denied(&eval_with(deny(None, None, true), &client));
    // A host: only that one, in any case.
    let www = || deny(None, Some("WWW.Example.COM"), true);
    denied(&eval_with(www(), &server()));
    ok(&eval_with(www(), &Ssl::server("mail.example.com")), P);
    // A host without a policy never matches.
    ok(&eval_with(deny(None, Some(HOST), false), &server()), P);
}
