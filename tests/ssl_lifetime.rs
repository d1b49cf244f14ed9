//! Validity-period maximums of the SSL server policy (`apple-trust.md §6` table; platforms.md
//! "Other rules"): the system-anchored tiers (825 days + 1 hour from 2018-03-01, 398 days from
//! 2020-09-01 on iOS 14, the 1188/1827-day tiers on iOS 13–15 only) and the other-anchor rule
//! (825 days + 1 hour after 2019-06-30T23:00Z, `>=` from iOS 16). A lifetime fails only when it
//! is strictly longer than the maximum.
//!
//! Keys (`checks.rs`, `validity_maximums`): `ValidityPeriodMaximums` on iOS 13 for every chain;
//! `SystemTrustValidityPeriod` for system-anchored chains from iOS 14; `OtherTrustValidityPeriod`
//! for the others from iOS 16 (`ValidityPeriodMaximums` before).

mod common;

use common::ssl::*;
use sectrust::testing::{Issued, oids};

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

/// A serverAuth leaf for `HOST` issued at `not_before`, living `lifetime` seconds.
fn leaf(cas: &Cas, not_before: &str, lifetime: i64) -> Issued {
    let nb = at(not_before);
    cas.leaf()
        .eku(&[oids::server_auth()])
        .validity_unix(nb, nb + lifetime)
        .build()
}

fn too_long(v: &sectrust::Verdict, key: &str) {
    fails(v, &[(0, key)], R, TOO_LONG, &compliance(HOST));
}

#[test]
fn system_anchored_825_days_plus_an_hour_from_2018_03_01() {
    let cas = Cas::new();
    let max = 825 * DAY + HOUR;
    let exact = leaf(&cas, "2018-03-01T00:00:00Z", max);
    let over = leaf(&cas, "2018-03-01T00:00:00Z", max + 1);
    for platform in ["ios-12.0", "ios-13.0", "ios-14.0", "ios-16.0", "latest"] {
        ok(&cas.system(platform, &exact), U);
    }
    // Before iOS 13 there is no maximum.
    ok(&cas.system("ios-12.0", &over), U);
    too_long(&cas.system("ios-13.0", &over), "ValidityPeriodMaximums");
    too_long(&cas.system("macos-10.15", &over), "ValidityPeriodMaximums");
    for platform in ["ios-14.0", "ios-15.0", "ios-16.0", "latest", "macos-11.0"] {
        too_long(&cas.system(platform, &over), "SystemTrustValidityPeriod");
    }
}

#[test]
fn system_anchored_legacy_tiers_exist_on_ios_13_to_15_only() {
    let cas = Cas::new();
    // (notBefore, maximum): just below each tier boundary, so each leaf is in the older tier.
    for (nb, max) in [
        ("2018-02-28T23:59:59Z", 1188 * DAY + HOUR),
        ("2016-07-01T00:00:00Z", 1188 * DAY + HOUR),
        ("2016-06-30T23:59:59Z", 1827 * DAY + HOUR),
        ("2012-01-01T00:00:00Z", 1827 * DAY + HOUR),
    ] {
        let exact = leaf(&cas, nb, max);
        let over = leaf(&cas, nb, max + 1);
        for platform in ["ios-13.0", "ios-14.0", "ios-15.0"] {
            ok(&cas.system(platform, &exact), U);
        }
        too_long(&cas.system("ios-13.0", &over), "ValidityPeriodMaximums");
        for platform in ["ios-14.0", "ios-15.0", "macos-12.0"] {
            too_long(&cas.system(platform, &over), "SystemTrustValidityPeriod");
        }
        // iOS 16 removed the tiers: a system-anchored leaf issued before 2018-03-01 has no
        // maximum at all.
        for platform in ["ios-16.0", "latest", "macos-13.0"] {
            ok(&cas.system(platform, &over), U);
        }
    }
    let decade = leaf(&cas, "2017-01-01T00:00:00Z", 3650 * DAY);
    ok(&cas.system("latest", &decade), U);
}

#[test]
fn system_anchored_398_days_from_2020_09_01_on_ios_14() {
    let cas = Cas::new();
    let exact = leaf(&cas, "2020-09-01T00:00:00Z", 398 * DAY);
    let over = leaf(&cas, "2020-09-01T00:00:00Z", 398 * DAY + 1);
    for platform in ["ios-13.0", "ios-14.0", "latest"] {
        ok(&cas.system(platform, &exact), U);
    }
    // iOS 13: still the 825-day tier.
    ok(&cas.system("ios-13.0", &over), U);
    for platform in ["ios-14.0", "ios-16.0", "latest", "macos-11.0"] {
        too_long(&cas.system(platform, &over), "SystemTrustValidityPeriod");
    }
    // One second earlier the leaf is in the 825-day tier.
    let august = leaf(&cas, "2020-08-31T23:59:59Z", 500 * DAY);
    ok(&cas.system("latest", &august), U);
    // No 398-day rule for other anchors.
    ok(&cas.app("latest", &over), U);
}

#[test]
fn other_anchors_825_days_after_2019_06_30_2300z_strict_until_ios_16() {
    let cas = Cas::new();
    let max = 825 * DAY + HOUR;
    let at_2300 = leaf(&cas, "2019-06-30T23:00:00Z", max + 1);
    let later = leaf(&cas, "2019-06-30T23:00:01Z", max + 1);
    let later_exact = leaf(&cas, "2019-06-30T23:00:01Z", max);
    for platform in ["ios-13.0", "ios-14.0", "ios-15.0", "ios-16.0", "latest"] {
        ok(&cas.app(platform, &later_exact), U);
    }
    // Issued exactly at 23:00:00: `>` spares it up to iOS 15, `>=` catches it from iOS 16.
    for platform in ["ios-12.0", "ios-13.0", "ios-15.0", "macos-12.0"] {
        ok(&cas.app(platform, &at_2300), U);
    }
    for platform in ["ios-16.0", "latest", "macos-13.0"] {
        too_long(&cas.app(platform, &at_2300), "OtherTrustValidityPeriod");
    }
    // One second later: caught everywhere from iOS 13.
    ok(&cas.app("ios-12.0", &later), U);
    for platform in ["ios-13.0", "ios-14.0", "ios-15.0"] {
        too_long(&cas.app(platform, &later), "ValidityPeriodMaximums");
    }
    for platform in ["ios-16.0", "latest"] {
        too_long(&cas.app(platform, &later), "OtherTrustValidityPeriod");
    }
    // Before the date, other anchors have no maximum.
    let early = leaf(&cas, "2019-01-01T00:00:00Z", 3 * 365 * DAY);
    ok(&cas.app("latest", &early), U);
}

#[test]
fn unanchored_chains_get_the_other_anchor_rule() {
    let cas = Cas::new();
    let l = leaf(&cas, "2020-01-01T00:00:00Z", 900 * DAY);
    fails(
        &cas.eval("ios-16.0", &server(), Anchor::Unanchored, &l),
        &[(0, "OtherTrustValidityPeriod"), (2, "AnchorTrusted")],
        R,
        TOO_LONG,
        &compliance(HOST),
    );
}

#[test]
fn a_user_anchored_leaf_is_exempt_but_a_leaf_under_a_user_root_is_not() {
    let cas = Cas::new();
    let l = leaf(&cas, "2020-01-01T00:00:00Z", 900 * DAY);
    for platform in ["ios-13.0", "ios-16.0", "latest"] {
        let v = cas.eval(platform, &server(), Anchor::UserLeaf, &l);
        ok(&v, P);
        assert_eq!(v.chain().len(), 1, "{v}");
    }
    fails_one(
        &cas.eval("ios-13.0", &server(), Anchor::UserRoot, &l),
        (0, "ValidityPeriodMaximums"),
        TOO_LONG,
        &compliance(HOST),
    );
    too_long(
        &cas.eval("latest", &server(), Anchor::UserRoot, &l),
        "OtherTrustValidityPeriod",
    );
    // The leaf is exempt even when its root is in the system store.
    let v = cas.eval_user("latest", &server(), true, [trust_as_root(&l)], &l);
    ok(&v, P);
}

#[test]
fn client_policies_have_no_maximum() {
    let cas = Cas::new();
    let l = cas
        .leaf()
        .eku(&[oids::client_auth()])
        .validity("2021-01-01T00:00:00Z", "2030-01-01T00:00:00Z")
        .build();
    for anchor in [Anchor::App, Anchor::System] {
        ok(
            &cas.eval("latest", &sectrust::Ssl::client(Some(HOST)), anchor, &l),
            U,
        );
    }
}
