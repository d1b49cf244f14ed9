//! The pre-iOS-6 S/MIME quirk (platforms.md "The pre-iOS-6 S/MIME quirk"): each hypothesis
//! reproduces the 2012 report — trusted on macOS 10.7 and iOS 6.0, "Not Trusted" on iOS 5.1 —
//! with an ordinary Email failure whose verdict names the quirk and the hypothesis.

mod common;

use common::smime::*;
use common::*;
use sectrust::policy::{Ios5SmimeHypothesis, Smime, SmimeUsage};
use sectrust::testing::Issued;
use sectrust::{Check, TrustResult};

/// Trusted on macOS 10.7 and iOS 6.0, Email failure on iOS 5.0 and 5.1 naming `h`; the quirk
/// never fires on iOS 6 or later.
fn reproduces(pki: &SmimePki, policy: &Smime, leaf: &Issued, h: Ios5SmimeHypothesis) {
    for platform in ["macos-10.7", "ios-6.0", "ios-7.0", "latest"] {
        let v = pki.eval(platform, policy, leaf);
        assert_trusted(&v);
        assert!(v.notes().iter().all(|n| !n.contains("quirk")), "{v}");
    }
    for platform in ["ios-5.0", "ios-5.1"] {
        let v = pki.eval(platform, policy, leaf);
        assert_email_fails(&v);
        let note = format!(
            "pre-iOS-6 S/MIME quirk (hypothesis {h:?}): {}",
            h.explanation()
        );
        assert!(
            v.notes().contains(&note),
            "{platform}: notes {:?}",
            v.notes()
        );
    }
}

#[test]
fn primary_address_only_the_me_com_account_and_its_mac_com_alias() {
    let pki = SmimePki::new();
    let leaf = pki
        .named_leaf("CN=Jane Appleseed")
        .email("jane@mac.com")
        .build();
    let account =
        Smime::new(SmimeUsage::SIGN, Some("jane@me.com".into())).with_aliases(["jane@mac.com"]);
    // The default hypothesis.
    assert_eq!(
        account.ios5_hypothesis(),
        Ios5SmimeHypothesis::PrimaryAddressOnly
    );
    reproduces(
        &pki,
        &account,
        &leaf,
        Ios5SmimeHypothesis::PrimaryAddressOnly,
    );
    let v = pki.eval("ios-5.1", &account, &leaf);
    assert!(
        v.notes()
            .iter()
            .any(|n| n.contains("this certificate matches only an alias")),
        "{v}"
    );
    // The @me.com certificate works on iOS 5 too.
    let me = pki
        .named_leaf("CN=Jane Appleseed")
        .email("jane@me.com")
        .build();
    assert_trusted(&pki.eval("ios-5.1", &account, &me));
}

#[test]
fn case_sensitive_address() {
    let pki = SmimePki::new();
    // Differs only in the domain's case: CSSM (local part exact) and iOS 6 accept it.
    let leaf = pki
        .named_leaf("CN=Jane Doe")
        .email("jane@Example.COM")
        .build();
    let h = Ios5SmimeHypothesis::CaseSensitiveAddress;
    let policy = sign_for(ADDRESS).with_ios5_hypothesis(h);
    reproduces(&pki, &policy, &leaf, h);
    // The default hypothesis does not fire here.
    assert_trusted(&pki.eval("ios-5.1", &sign_for(ADDRESS), &leaf));
}

#[test]
fn first_san_address_only() {
    let pki = SmimePki::new();
    let leaf = pki
        .named_leaf("CN=Jane Doe")
        .email("office@example.com")
        .email(ADDRESS)
        .build();
    let h = Ios5SmimeHypothesis::FirstSanAddressOnly;
    let policy = sign_for(ADDRESS).with_ios5_hypothesis(h);
    reproduces(&pki, &policy, &leaf, h);
    assert_trusted(&pki.eval("ios-5.1", &sign_for(ADDRESS), &leaf));
    // The first SAN address itself still works on iOS 5.
    let office = sign_for("office@example.com").with_ios5_hypothesis(h);
    assert_trusted(&pki.eval("ios-5.1", &office, &leaf));
}

#[test]
fn a_plain_mismatch_on_ios_5_is_not_blamed_on_the_quirk() {
    let pki = SmimePki::new();
    let leaf = pki.leaf().build();
    for h in [
        Ios5SmimeHypothesis::PrimaryAddressOnly,
        Ios5SmimeHypothesis::CaseSensitiveAddress,
        Ios5SmimeHypothesis::FirstSanAddressOnly,
    ] {
        let policy = sign_for("john@example.com").with_ios5_hypothesis(h);
        let v = pki.eval("ios-5.1", &policy, &leaf);
        assert_fails(
            &v,
            TrustResult::RecoverableTrustFailure,
            &[(0, Check::Email)],
        );
        assert!(v.notes().iter().all(|n| !n.contains("quirk")), "{v}");
    }
}
