//! SystemTrustedCTRequired through the SSL policy (`apple-trust.md §6`, "CT required"): a
//! generated system root → intermediate → leaf, SCTs from generated logs, embedded or stapled.

mod common;

use std::sync::Arc;

use common::*;
use sectrust::ct::{CtExceptions, CtLogList, LogState, SCT_LIST_OID, StapledScts};
use sectrust::testing::ct::{TestLog, sct_extension_value, sct_list, with_embedded_scts};
use sectrust::testing::{CertBuilder, Issued, Pki, unix};
use sectrust::{BasicX509, Check, Policy, Ssl, SystemStore, TrustEvaluator, TrustResult, Verdict};

const DAY: i64 = 86_400;

/// The chain and five usable logs (seeds 101–105), all in the log list.
struct Fixture {
    pki: Pki,
    logs: Vec<TestLog>,
    list: Arc<CtLogList>,
}

impl Fixture {
    fn new() -> Self {
        let logs: Vec<TestLog> = (101..=105)
            .map(|seed| TestLog::new(seed, LogState::Usable { since: 0 }))
            .collect();
        let list = logs
            .iter()
            .fold(CtLogList::new(), |l, t| l.with_log(t.log.clone()));
        Fixture {
            pki: long_lived_cas(),
            logs,
            list: Arc::new(list),
        }
    }

    /// The leaf valid from `nb` for `lifetime` seconds, with one embedded SCT from each of the
    /// first `scts` logs, dated at issuance.
    fn leaf(&self, nb: i64, lifetime: i64, scts: usize) -> Issued {
        let signed: Vec<(&TestLog, i64)> = self.logs[..scts].iter().map(|l| (l, nb)).collect();
        with_embedded_scts(
            self.pki.leaf_builder().validity_unix(nb, nb + lifetime),
            &signed,
        )
        .0
    }

    /// The root in the system store, the log list supplied.
    fn evaluator(&self, platform: &str, verify_time: i64) -> TrustEvaluator {
        TrustEvaluator::builder()
            .platform(p(platform))
            .system_store(SystemStore::from_roots([self.pki.root.cert.clone()]))
            .ct_log_list(self.list.clone())
            .verify_time_unix(verify_time)
            .build()
    }

    fn ssl(&self, evaluator: &TrustEvaluator, leaf: &Issued) -> Verdict {
        self.ssl_stapled(evaluator, leaf, &StapledScts::new())
    }

    fn ssl_stapled(
        &self,
        evaluator: &TrustEvaluator,
        leaf: &Issued,
        stapled: &StapledScts,
    ) -> Verdict {
        let policy = Ssl::server(Pki::HOSTNAME);
        evaluator
            .evaluate_with_scts(
                &leaf.cert,
                std::slice::from_ref(&self.pki.intermediate.cert),
                &[&policy as &dyn Policy],
                stapled,
            )
            .expect("evaluation")
    }
}

/// [`Pki`] with its CAs valid 2015–2035, so leaves of 2018 verify too.
fn long_lived_cas() -> Pki {
    let base = Pki::new();
    let (from, until) = ("2015-01-01T00:00:00Z", "2035-01-01T00:00:00Z");
    let root = base.root_builder().validity(from, until).build();
    let intermediate = base
        .intermediate_builder()
        .issued_by(&root)
        .validity(from, until)
        .build();
    let leaf = base.leaf_builder().issued_by(&intermediate).build();
    Pki {
        root,
        intermediate,
        leaf,
    }
}

/// 2022-01-01T00:00:00Z: a leaf issued under the days rule.
const NB_2022: i64 = 1_640_995_200;

fn assert_ct_fails(v: &Verdict) {
    assert_fails(
        v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::SystemTrustedCTRequired)],
    );
    let e = v.primary_error().expect("primary error");
    assert_eq!(
        (e.check, e.cert_index, e.os_status),
        (Check::SystemTrustedCTRequired, 0, -67825)
    );
    assert!(
        e.message
            .ends_with("certificate is not standards compliant"),
        "{}",
        e.message
    );
}

fn has_note(v: &Verdict, prefix: &str) -> bool {
    v.notes().iter().any(|n| n.starts_with(prefix))
}

#[test]
fn embedded_scts_from_distinct_logs_are_counted() {
    let f = Fixture::new();
    let ev = f.evaluator("latest", NB_2022 + 30 * DAY);
    for n in [0, 1] {
        let v = f.ssl(&ev, &f.leaf(NB_2022, 90 * DAY, n));
        assert_ct_fails(&v);
        assert!(has_note(&v, "CT not satisfied"), "{v}");
    }
    for n in [2, 3] {
        let v = f.ssl(&ev, &f.leaf(NB_2022, 90 * DAY, n));
        assert_trusted(&v);
        assert!(
            v.notes().contains(&format!(
                "CT satisfied by embedded SCTs: {n} logs (2 required for a lifetime of 90 days)"
            )),
            "{v}"
        );
    }
    // Two SCTs from one log count once.
    let log = &f.logs[0];
    let (twice, _) = with_embedded_scts(
        f.pki
            .leaf_builder()
            .validity_unix(NB_2022, NB_2022 + 90 * DAY),
        &[(log, NB_2022), (log, NB_2022 + 1)],
    );
    assert_ct_fails(&f.ssl(&ev, &twice));
}

#[test]
fn an_sct_that_does_not_verify_does_not_count() {
    let f = Fixture::new();
    let ev = f.evaluator("latest", NB_2022 + 30 * DAY);
    let builder = f
        .pki
        .leaf_builder()
        .validity_unix(NB_2022, NB_2022 + 90 * DAY);
    // The second log signed another certificate (another serial) than the one it is embedded in.
    let other = builder.clone().serial(99).build();
    let issuer = f.pki.intermediate.cert.spki_der();
    let good = f.logs[0].precert_sct(issuer, builder.clone().build().cert.tbs_der(), NB_2022);
    let forged = f.logs[1].precert_sct(issuer, other.cert.tbs_der(), NB_2022);
    let leaf = builder
        .extension(
            SCT_LIST_OID,
            false,
            sct_extension_value(&sct_list(&[good, forged])),
        )
        .build();
    let v = f.ssl(&ev, &leaf);
    assert_ct_fails(&v);
    let note = v.notes().last().expect("a CT note");
    assert!(
        note.starts_with("CT not satisfied: embedded SCTs from 1 log, 2 required")
            && note.ends_with("dated 2022-01-01T00:00:00Z: signature does not verify"),
        "{v}"
    );
}

/// iOS 15: leaves issued on/after 2021-04-21 are measured in days (≤ 180 → 2, else 3).
#[test]
fn ios_15_lifetime_in_days_at_the_180_day_boundary() {
    let f = Fixture::new();
    let nb = unix("2021-04-21T00:00:00Z");
    let ev = f.evaluator("ios-15.0", nb + DAY);
    assert_trusted(&f.ssl(&ev, &f.leaf(nb, 180 * DAY, 2)));
    let v = f.ssl(&ev, &f.leaf(nb, 181 * DAY, 2));
    assert_ct_fails(&v);
    assert!(
        v.notes().contains(
            &"CT not satisfied: embedded SCTs from 2 logs, 3 required for a lifetime of 181 days"
                .to_owned()
        ),
        "{v}"
    );
    assert_trusted(&f.ssl(&ev, &f.leaf(nb, 181 * DAY, 3)));
    // Exact seconds (`apple-trust.md §1`): one second over 180 days needs 3.
    assert_ct_fails(&f.ssl(&ev, &f.leaf(nb, 180 * DAY + 1, 2)));
    // Issued a second before 2021-04-21: whole months (181 days < 15 months → 2).
    let early = f.evaluator("ios-15.0", nb);
    assert_trusted(&f.ssl(&early, &f.leaf(nb - 1, 181 * DAY, 2)));
    // iOS 14 measures every leaf in months.
    assert_trusted(&f.ssl(
        &f.evaluator("ios-14.8", nb + DAY),
        &f.leaf(nb, 181 * DAY, 2),
    ));
}

/// iOS 14: whole calendar months (< 15 → 2, ≤ 27 → 3).
#[test]
fn ios_14_lifetime_in_months() {
    let f = Fixture::new();
    // Before 2020-09-01, so the 825-day maximum applies, not 398 days.
    let nb = unix("2019-06-01T00:00:00Z");
    let fifteen_months = unix("2020-09-01T00:00:00Z") - nb;
    let ev = f.evaluator("ios-14.0", unix("2020-01-01T00:00:00Z"));
    assert_trusted(&f.ssl(&ev, &f.leaf(nb, fifteen_months - 1, 2)));
    let v = f.ssl(&ev, &f.leaf(nb, fifteen_months, 2));
    assert_ct_fails(&v);
    assert!(
        v.notes().contains(
            &"CT not satisfied: embedded SCTs from 2 logs, 3 required for a lifetime of 15 months"
                .to_owned()
        ),
        "{v}"
    );
    assert_trusted(&f.ssl(&ev, &f.leaf(nb, fifteen_months, 3)));
}

/// The CtRequired row: from iOS 12.1.1, for leaves issued on/after 2018-10-16.
#[test]
fn ct_is_required_from_ios_12_1_1_for_leaves_from_2018_10_16() {
    let f = Fixture::new();
    let nb = unix("2018-10-16T00:00:00Z");
    let vt = nb + 30 * DAY;
    let leaf = f.leaf(nb, 365 * DAY, 0);
    let v = f.ssl(&f.evaluator("ios-12.1", vt), &leaf);
    assert_trusted(&v);
    assert!(v.notes().iter().all(|n| !n.contains("CT")), "{v}");
    assert_ct_fails(&f.ssl(&f.evaluator("ios-12.1.1", vt), &leaf));
    assert_ct_fails(&f.ssl(&f.evaluator("macos-10.14.2", vt), &leaf));
    assert_trusted(&f.ssl(&f.evaluator("macos-10.14.1", vt), &leaf));
    // Issued a second earlier: not required.
    let older = f.leaf(nb - 1, 365 * DAY, 0);
    assert_trusted(&f.ssl(&f.evaluator("ios-12.1.1", vt), &older));
    assert_trusted(&f.ssl(&f.evaluator("latest", vt), &older));
}

#[test]
fn only_system_anchored_non_apple_server_chains_need_ct() {
    let f = Fixture::new();
    let vt = NB_2022 + DAY;
    let leaf = f.leaf(NB_2022, 90 * DAY, 0);
    let inters = [f.pki.intermediate.cert.clone()];
    let server = Ssl::server(Pki::HOSTNAME);
    let run = |ev: TrustEvaluator, policy: &dyn Policy| {
        ev.evaluate(&leaf.cert, &inters, &[policy]).unwrap()
    };
    let base = || {
        TrustEvaluator::builder()
            .platform(p("latest"))
            .ct_log_list(f.list.clone())
            .verify_time_unix(vt)
    };

    // App-anchored: no CT requirement, no CT note.
    let v = run(base().anchors([f.pki.root.cert.clone()]).build(), &server);
    assert_trusted(&v);
    assert!(v.notes().is_empty(), "{v}");
    // The same root passed as an app anchor AND in the system store is system-anchored.
    let v = run(
        base()
            .anchors([f.pki.root.cert.clone()])
            .system_store(SystemStore::from_roots([f.pki.root.cert.clone()]))
            .build(),
        &server,
    );
    assert!(v.is_system_anchored());
    assert_ct_fails(&v);
    // Apple's own roots are exempt.
    let mut apple = SystemStore::new();
    apple.add_apple_root(f.pki.root.cert.clone());
    assert_trusted(&run(base().system_store(apple).build(), &server));
    // Unanchored: the missing issuer only.
    let v = run(base().build(), &server);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::MissingIntermediate)],
    );
    // Client SSL and basic X.509 policies do not carry the check.
    let ev = f.evaluator("latest", vt);
    assert_trusted(&run(ev.clone(), &Ssl::client(None::<String>)));
    assert_trusted(&run(ev.clone(), &BasicX509));
    // A leaf not valid at the verify time gets its expiry failure, no CT verdict.
    let v = run(f.evaluator("latest", NB_2022 + 91 * DAY), &server);
    assert_fails(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::TemporalValidity)],
    );
    assert!(v.notes().is_empty(), "{v}");
}

#[test]
fn without_a_log_list_the_check_is_skipped_with_a_note() {
    let f = Fixture::new();
    let ev = TrustEvaluator::builder()
        .platform(p("latest"))
        .system_store(SystemStore::from_roots([f.pki.root.cert.clone()]))
        .verify_time_unix(NB_2022 + DAY)
        .build();
    let v = f.ssl(&ev, &f.leaf(NB_2022, 90 * DAY, 0));
    assert_trusted(&v);
    assert_eq!(
        v.notes(),
        [
            "CT could not be evaluated: no CT log list was supplied, so SystemTrustedCTRequired was skipped"
        ]
    );
}

#[test]
fn ct_exceptions_cover_domains_and_ca_keys() {
    let f = Fixture::new();
    let leaf = f.leaf(NB_2022, 90 * DAY, 0);
    let with = |exceptions: CtExceptions| {
        TrustEvaluator::builder()
            .platform(p("latest"))
            .system_store(SystemStore::from_roots([f.pki.root.cert.clone()]))
            .ct_log_list(f.list.clone())
            .ct_exceptions(exceptions)
            .verify_time_unix(NB_2022 + DAY)
            .build()
    };
    // Covered: the hostname (exactly, or under a leading-dot domain), or any certificate's key,
    // the leaf's own included.
    for exceptions in [
        CtExceptions::new().domain(".example.com"),
        CtExceptions::new().domain("WWW.example.com"),
        CtExceptions::new().domain(".www.example.com"),
        CtExceptions::new().ca(&f.pki.intermediate.cert),
        CtExceptions::new().ca(&f.pki.root.cert),
        CtExceptions::new().ca(&leaf.cert),
    ] {
        let v = f.ssl(&with(exceptions), &leaf);
        assert_trusted(&v);
        assert_eq!(
            v.notes(),
            ["CT not required: a configured CT exception covers this chain"]
        );
    }
    let stranger = CertBuilder::new("CN=Other CA").ca(None).build();
    for exceptions in [
        CtExceptions::new().domain("example.com"),
        CtExceptions::new().domain("a.www.example.com"),
        CtExceptions::new().domain(".other.example"),
        CtExceptions::new().ca(&stranger.cert),
    ] {
        assert_ct_fails(&f.ssl(&with(exceptions), &leaf));
    }
}

/// platforms.md "Other rules", iOS 13 only (59306): CAs the caller names as that release's exempt
/// CAs (Apple IST CA 2 / 8, Google Internet Authority G3; here generated stand-ins) lift
/// SystemTrustedCTRequired on iOS 13 / macOS 10.15 only.
#[test]
fn ios_13_exempt_cas_lift_ct_on_ios_13_only() {
    let f = Fixture::new();
    let nb = unix("2019-11-01T00:00:00Z");
    let leaf = f.leaf(nb, 365 * DAY, 0);
    let with = |platform: &str, exceptions: CtExceptions| {
        TrustEvaluator::builder()
            .platform(p(platform))
            .system_store(SystemStore::from_roots([f.pki.root.cert.clone()]))
            .ct_log_list(f.list.clone())
            .ct_exceptions(exceptions)
            .verify_time_unix(nb + 30 * DAY)
            .build()
    };
    let exempt_note = "CT not required: the chain passes through a CA exempt from CT on this \
                       release (Apple IST CA 2 / Apple IST CA 8 / Google Internet Authority G3, \
                       platforms.md \"Other rules\")";
    for exempt in [
        CtExceptions::new().ios13_exempt_ca(*f.pki.intermediate.cert.sha256()),
        CtExceptions::new().ios13_exempt_ca(*f.pki.root.cert.spki_sha256()),
    ] {
        for platform in ["ios-13.0", "ios-13.7", "macos-10.15"] {
            let v = f.ssl(&with(platform, exempt.clone()), &leaf);
            assert_trusted(&v);
            assert_eq!(v.notes(), [exempt_note], "{platform}");
        }
        for platform in ["ios-12.2", "ios-14.0", "macos-11.0", "latest"] {
            assert_ct_fails(&f.ssl(&with(platform, exempt.clone()), &leaf));
        }
    }
    // Not named: iOS 13 requires CT like any release; the leaf itself is never the exempt CA.
    assert_ct_fails(&f.ssl(&with("ios-13.0", CtExceptions::new()), &leaf));
    let by_leaf = CtExceptions::new().ios13_exempt_ca(*leaf.cert.sha256());
    assert_ct_fails(&f.ssl(&with("ios-13.0", by_leaf), &leaf));
}

/// The external route: SCTs delivered in the TLS extension or OCSP, over the leaf itself.
#[test]
fn stapled_scts_take_the_external_route() {
    let f = Fixture::new();
    let ev = f.evaluator("latest", NB_2022 + DAY);
    let leaf = f.leaf(NB_2022, 90 * DAY, 0);
    let x509 = |i: usize| f.logs[i].x509_sct(&leaf.der, NB_2022);

    let two = StapledScts::new().tls_extension(sct_list(&[x509(0), x509(1)]));
    let v = f.ssl_stapled(&ev, &leaf, &two);
    assert_trusted(&v);
    assert!(
        v.notes().contains(
            &"CT satisfied by SCTs delivered outside the certificate: 2 current logs (2 required)"
                .to_owned()
        ),
        "{v}"
    );
    // One from the TLS extension and one from OCSP.
    let split = StapledScts::new()
        .tls_extension(sct_list(&[x509(0)]))
        .ocsp(sct_list(&[x509(1)]));
    assert_trusted(&f.ssl_stapled(&ev, &leaf, &split));
    // One external SCT alone is not enough…
    let one = StapledScts::new().ocsp(sct_list(&[x509(0)]));
    assert_ct_fails(&f.ssl_stapled(&ev, &leaf, &one));
    // …but an embedded SCT from a second log completes it: the external route counts every
    // origin.
    let (mixed_leaf, _) = with_embedded_scts(
        f.pki
            .leaf_builder()
            .validity_unix(NB_2022, NB_2022 + 90 * DAY),
        &[(&f.logs[1], NB_2022)],
    );
    let mixed =
        StapledScts::new().tls_extension(sct_list(&[f.logs[0].x509_sct(&mixed_leaf.der, NB_2022)]));
    let v = f.ssl_stapled(&ev, &mixed_leaf, &mixed);
    assert_trusted(&v);
    assert!(
        has_note(&v, "CT satisfied by SCTs delivered outside the certificate"),
        "{v}"
    );
    // Stapled SCTs signed over another certificate do not count.
    let other = f.leaf(NB_2022, 90 * DAY, 2);
    let stray = StapledScts::new().tls_extension(sct_list(&[
        f.logs[0].x509_sct(&other.der, NB_2022),
        f.logs[1].x509_sct(&other.der, NB_2022),
    ]));
    assert_ct_fails(&f.ssl_stapled(&ev, &leaf, &stray));
    // Without the staple (plain `evaluate`), the leaf has nothing.
    assert_ct_fails(&f.ssl(&ev, &leaf));
}
