//! Extended and plain key usage under the SSL policy (`apple-trust.md §6`): the leaf EKU rule
//! (`ExtendedKeyUsage`), the stricter `ServerAuthEKU` by kind of anchor and its 2019-06-30T23:00Z
//! date, the intermediate rules of iOS 14 (ServerAuthEKU at index 0) and iOS 16
//! (ExtendedKeyUsage at the CA's index), and `SecPolicyCreateSSLWithKeyUsage`.

mod common;

use common::ssl::*;
use sectrust::certificate::KeyUsage;
use sectrust::testing::{CertBuilder, Issued, oids};
use sectrust::{ObjectIdentifier, Ssl};

const EKU_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");

/// The leaf's EKU extension, as a test sets it.
#[derive(Clone, Copy, Debug)]
enum Eku<'a> {
    Absent,
    List(&'a [ObjectIdentifier]),
    /// A SEQUENCE holding a NULL: fails to parse, so it counts as absent.
    Malformed,
}

fn with_eku(b: CertBuilder, eku: Eku<'_>) -> CertBuilder {
    match eku {
        Eku::Absent => b,
        Eku::List(list) => b.eku(list),
        Eku::Malformed => b.extension(EKU_OID, false, vec![0x30, 0x02, 0x05, 0x00]),
    }
}

/// A server leaf with `eku` (`Cas::leaf` minus its EKU) issued on `not_before` for one year.
fn leaf_with(cas: &Cas, eku: Eku<'_>, not_before: &str) -> Issued {
    let nb = at(not_before);
    let b = cas.leaf_without_eku().validity_unix(nb, nb + 365 * 86_400);
    with_eku(b, eku).build()
}

/// Issued before Apple's "July 1 2019" (2019-06-30T23:00:00Z): ServerAuthEKU spares
/// non-system chains, so only the ExtendedKeyUsage rule is at work.
const EARLY: &str = "2019-01-01T00:00:00Z";
/// Issued after it.
const LATE: &str = "2024-01-01T00:00:00Z";

#[test]
fn server_leaf_eku_accepts_none_any_server_auth_and_both_sgcs() {
    let cas = Cas::new();
    let accepted: [Eku<'_>; 6] = [
        Eku::Absent,
        Eku::Malformed,
        Eku::List(&[oids::any_eku()]),
        Eku::List(&[oids::server_auth()]),
        Eku::List(&[oids::ms_sgc()]),
        Eku::List(&[oids::ns_sgc()]),
    ];
    for eku in accepted {
        let l = leaf_with(&cas, eku, EARLY);
        // iOS 13–14: no UnparseableExtension yet, so the malformed EKU is simply absent.
        for platform in ["ios-10.0", "ios-12.0", "ios-13.0", "ios-14.0"] {
            ok(&cas.app(platform, &l), U);
        }
    }
    // Alongside other purposes too.
    let l = leaf_with(
        &cas,
        Eku::List(&[oids::code_signing(), oids::server_auth()]),
        LATE,
    );
    ok(&cas.app("latest", &l), U);
}

#[test]
fn server_leaf_eku_rejects_other_purposes_and_an_empty_sequence() {
    let cas = Cas::new();
    for eku in [
        Eku::List(&[oids::client_auth()]),
        Eku::List(&[oids::email_protection(), oids::code_signing()]),
        Eku::List(&[]),
    ] {
        let l = leaf_with(&cas, eku, EARLY);
        for platform in ["ios-6.0", "ios-12.0", "ios-13.0", "latest"] {
            fails_one(
                &cas.app(platform, &l),
                (0, "ExtendedKeyUsage"),
                BAD_EKU,
                &usage(HOST),
            );
        }
    }
}

#[test]
fn malformed_eku_is_absent_but_unparseable_from_ios_15() {
    let cas = Cas::new();
    let l = leaf_with(&cas, Eku::Malformed, EARLY);
    fails_one(
        &cas.app("ios-15.0", &l),
        (0, "UnparseableExtension"),
        -67618,
        &compliance(HOST),
    );
    // For a system-anchored chain an absent EKU lacks serverAuth.
    fails_one(
        &cas.system("ios-14.0", &l),
        (0, "ServerAuthEKU"),
        BAD_EKU,
        &usage(HOST),
    );
}

#[test]
fn client_leaf_eku_accepts_none_any_and_client_auth_only() {
    let cas = Cas::new();
    let client = Ssl::client(Some(HOST));
    for eku in [
        Eku::Absent,
        Eku::Malformed,
        Eku::List(&[oids::any_eku()]),
        Eku::List(&[oids::client_auth()]),
    ] {
        let l = leaf_with(&cas, eku, LATE);
        // Client policies have no ServerAuthEKU, whatever the date or anchor.
        for (platform, anchor) in [
            ("ios-12.0", Anchor::App),
            ("ios-14.0", Anchor::App),
            ("ios-14.0", Anchor::System),
        ] {
            ok(&cas.eval(platform, &client, anchor, &l), U);
        }
    }
    for eku in [
        Eku::List(&[oids::server_auth()]),
        Eku::List(&[oids::ms_sgc()]),
        Eku::List(&[oids::ns_sgc()]),
        Eku::List(&[]),
    ] {
        let l = leaf_with(&cas, eku, LATE);
        fails_one(
            &cas.eval("latest", &client, Anchor::App, &l),
            (0, "ExtendedKeyUsage"),
            BAD_EKU,
            &usage(HOST),
        );
    }
}

#[test]
fn server_auth_eku_for_app_anchored_and_unanchored_leaves_turns_on_after_2019_06_30_2300z() {
    let cas = Cas::new();
    // No EKU at all: ExtendedKeyUsage accepts it, ServerAuthEKU needs serverAuth.
    let at_2300 = leaf_with(&cas, Eku::Absent, "2019-06-30T23:00:00Z");
    let one_second_later = leaf_with(&cas, Eku::Absent, "2019-06-30T23:00:01Z");
    for platform in ["ios-13.0", "ios-16.0", "latest", "macos-10.15"] {
        ok(&cas.app(platform, &at_2300), U);
        fails_one(
            &cas.app(platform, &one_second_later),
            (0, "ServerAuthEKU"),
            BAD_EKU,
            &usage(HOST),
        );
        // Unanchored: the same date rule, under the AnchorTrusted failure (trust outranks usage).
        fails_one(
            &cas.eval(platform, &server(), Anchor::Unanchored, &at_2300),
            (2, "AnchorTrusted"),
            NOT_TRUSTED,
            &not_trusted(ROOT),
        );
        fails(
            &cas.eval(platform, &server(), Anchor::Unanchored, &one_second_later),
            &[(0, "ServerAuthEKU"), (2, "AnchorTrusted")],
            R,
            NOT_TRUSTED,
            &not_trusted(ROOT),
        );
    }
    // Before iOS 13 there is no ServerAuthEKU.
    ok(&cas.app("ios-12.0", &one_second_later), U);
}

#[test]
fn system_anchored_leaf_needs_server_auth_itself() {
    let cas = Cas::new();
    for eku in [
        Eku::Absent,
        Eku::List(&[oids::any_eku()]),
        Eku::List(&[oids::ms_sgc()]),
        Eku::List(&[oids::ns_sgc()]),
        Eku::List(&[oids::ms_sgc(), oids::ns_sgc(), oids::any_eku()]),
    ] {
        // Whatever the issuance date.
        for date in [EARLY, LATE] {
            let l = leaf_with(&cas, eku, date);
            for platform in ["ios-13.0", "ios-14.0", "latest"] {
                fails_one(
                    &cas.system(platform, &l),
                    (0, "ServerAuthEKU"),
                    BAD_EKU,
                    &usage(HOST),
                );
            }
            ok(&cas.system("ios-12.0", &l), U);
        }
    }
    let l = leaf_with(&cas, Eku::List(&[oids::server_auth()]), EARLY);
    ok(&cas.system("latest", &l), U);
}

#[test]
fn system_anchored_intermediate_without_server_auth_fails_at_index_0_from_ios_14() {
    let leaf = |cas: &Cas| cas.leaf().build();
    // An intermediate restricted to clientAuth.
    let cas = Cas::with_inter(|b| b.eku(&[oids::client_auth()]));
    let l = leaf(&cas);
    ok(&cas.system("ios-13.0", &l), U);
    for platform in ["ios-14.0", "ios-15.0"] {
        fails_one(
            &cas.system(platform, &l),
            (0, "ServerAuthEKU"),
            BAD_EKU,
            &usage(HOST),
        );
    }
    // From iOS 16 the intermediate EKU rule fails it at its own index too.
    for platform in ["ios-16.0", "latest"] {
        fails(
            &cas.system(platform, &l),
            &[(0, "ServerAuthEKU"), (1, "ExtendedKeyUsage")],
            R,
            BAD_EKU,
            &usage(HOST),
        );
    }
    // Not system-anchored: the iOS 14 intermediate rule does not apply.
    ok(&cas.app("ios-15.0", &l), U);

    // An SGC-only intermediate: ServerAuthEKU wants serverAuth or anyEKU, while the
    // ExtendedKeyUsage rule accepts SGC.
    let cas = Cas::with_inter(|b| b.eku(&[oids::ms_sgc()]));
    let l = leaf(&cas);
    fails_one(
        &cas.system("latest", &l),
        (0, "ServerAuthEKU"),
        BAD_EKU,
        &usage(HOST),
    );

    // serverAuth, anyEKU or no EKU on the intermediate pass.
    for inter_eku in [
        Some(vec![oids::server_auth()]),
        Some(vec![oids::any_eku()]),
        Some(vec![oids::client_auth(), oids::any_eku()]),
        None,
    ] {
        let cas = Cas::with_inter(|b| match &inter_eku {
            Some(list) => b.eku(list),
            None => b,
        });
        let l = leaf(&cas);
        ok(&cas.system("latest", &l), U);
    }
}

#[test]
fn intermediate_eku_rule_is_enforced_from_ios_16_at_the_cas_index() {
    // root → CA 1 (clientAuth only) → CA 2 → leaf: the failure is on CA 1, index 2.
    let cas = Cas::with_inter(|b| b.eku(&[oids::client_auth()]));
    let ca2 = CertBuilder::new("CN=SSL Test CA 2,O=sectrust")
        .ca(None)
        .validity("2010-01-01T00:00:00Z", "2040-01-01T00:00:00Z")
        .issued_by(&cas.inter)
        .build();
    let l = CertBuilder::new("CN=www.example.com")
        .issued_by(&ca2)
        .dns(HOST)
        .eku(&[oids::server_auth()])
        .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
        .build();
    let four = |platform: &str| {
        eval_chain(
            platform,
            &server(),
            Anchor::App,
            &cas.root,
            &l,
            &[&ca2, &cas.inter],
        )
    };
    for platform in ["ios-16.0", "latest", "macos-13.0"] {
        fails_one(
            &four(platform),
            (2, "ExtendedKeyUsage"),
            BAD_EKU,
            &usage(CA),
        );
    }
    for platform in ["ios-13.0", "ios-15.0", "macos-12.0"] {
        ok(&four(platform), U);
    }

    // An empty EKU sequence on an intermediate matches nothing.
    let cas = Cas::with_inter(|b| b.eku(&[]));
    let l = cas.leaf().build();
    fails_one(
        &cas.app("ios-16.0", &l),
        (1, "ExtendedKeyUsage"),
        BAD_EKU,
        &usage(CA),
    );

    // The client policy asks its intermediates for clientAuth (or anyEKU).
    let cas = Cas::with_inter(|b| b.eku(&[oids::server_auth()]));
    let l = cas.leaf().eku(&[oids::client_auth()]).build();
    fails_one(
        &cas.eval("latest", &Ssl::client(Some(HOST)), Anchor::App, &l),
        (1, "ExtendedKeyUsage"),
        BAD_EKU,
        &usage(CA),
    );
}

#[test]
fn intermediate_eku_rule_never_looks_at_the_root() {
    // A root restricted to clientAuth, in a three- and a two-certificate chain.
    let cas = Cas::with(|b| b.eku(&[oids::client_auth()]), |b| b);
    let l = cas.leaf().build();
    for anchor in [Anchor::App, Anchor::System] {
        ok(&cas.eval("latest", &server(), anchor, &l), U);
    }
    let direct = CertBuilder::new("CN=www.example.com")
        .issued_by(&cas.root)
        .dns(HOST)
        .eku(&[oids::server_auth()])
        .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
        .build();
    ok(
        &eval_chain("latest", &server(), Anchor::App, &cas.root, &direct, &[]),
        U,
    );
    // A bad intermediate in a two-certificate chain is the anchor: never checked.
    let cas = Cas::with_inter(|b| b.eku(&[oids::client_auth()]));
    let l = cas.leaf().build();
    ok(
        &eval_chain("latest", &server(), Anchor::App, &cas.inter, &l, &[]),
        U,
    );
}

#[test]
fn with_key_usage_requires_every_bit_when_the_leaf_has_a_key_usage() {
    let cas = Cas::new();
    let wanted = KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT;
    let policy = server().with_key_usage(wanted);
    // No KU extension: passes.
    let no_ku = cas.leaf().build();
    ok(&cas.eval("latest", &policy, Anchor::App, &no_ku), U);
    // All bits (and more): passes.
    let all = cas
        .leaf()
        .key_usage(wanted | KeyUsage::KEY_AGREEMENT)
        .build();
    ok(&cas.eval("latest", &policy, Anchor::App, &all), U);
    // Only some of them, or none (an empty KU): KeyUsage at the leaf, on every release.
    for ku in [KeyUsage::DIGITAL_SIGNATURE, KeyUsage::KEY_ENCIPHERMENT, 0] {
        let l = cas.leaf().key_usage(ku).build();
        for platform in ["ios-10.0", "ios-13.0", "latest"] {
            fails_one(
                &cas.eval(platform, &policy, Anchor::App, &l),
                (0, "KeyUsage"),
                BAD_KU,
                &usage(HOST),
            );
        }
        // Plain SSL policies do not check key usage, and 0 means no check.
        ok(&cas.app("latest", &l), U);
        ok(
            &cas.eval("latest", &server().with_key_usage(0), Anchor::App, &l),
            U,
        );
    }
    // The client policy too.
    let l = cas
        .leaf()
        .eku(&[oids::client_auth()])
        .key_usage(KeyUsage::KEY_AGREEMENT)
        .build();
    fails_one(
        &cas.eval(
            "latest",
            &Ssl::client(Some(HOST)).with_key_usage(KeyUsage::DIGITAL_SIGNATURE),
            Anchor::App,
            &l,
        ),
        (0, "KeyUsage"),
        BAD_KU,
        &usage(HOST),
    );
}

#[test]
fn the_builder_finds_the_intermediate_the_eku_rules_accept() {
    // Two intermediates with one subject and key: one restricted to clientAuth, one without
    // EKU. Whatever order the caller gives them in, the accepted path goes through the second.
    let cas = Cas::with_inter(|b| b.eku(&[oids::client_auth()]));
    let open = CertBuilder::new("CN=SSL Test CA,O=sectrust")
        .ca(None)
        .key(cas.inter.key.clone())
        .validity("2011-01-01T00:00:00Z", "2040-01-01T00:00:00Z")
        .issued_by(&cas.root)
        .build();
    let l = cas.leaf().build();
    for inters in [[&cas.inter, &open], [&open, &cas.inter]] {
        let v = eval_chain(
            "ios-16.0",
            &server(),
            Anchor::System,
            &cas.root,
            &l,
            &inters,
        );
        ok(&v, U);
        assert!(v.chain()[1].same_as(&open.cert), "{v}");
    }
}
