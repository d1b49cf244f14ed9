//! Apple's Valid database and the distrust-by-date rows (`apple-trust.md §2`; platforms.md
//! "Distrust by date", "Engines and result model"), on certificates generated in code.

mod common;

use std::sync::Arc;

use common::*;
use sectrust::ct::{CtLogList, LogState};
use sectrust::distrust::{CaFamily, DistrustRule, ValidDatabase};
use sectrust::testing::ct::{TestLog, with_embedded_scts};
use sectrust::testing::{CertBuilder, Issued, oids, unix};
use sectrust::{
    BasicX509, Check, ObjectIdentifier, Policy, Ssl, TrustEvaluator, TrustResult, Verdict,
};

const HOST: &str = "leaf.example.com";

/// Root and intermediate valid 2010–2035; the leaf valid one year from `leaf_not_before`,
/// with what the SSL policy needs.
fn chain_issued(leaf_not_before: &str) -> Chain {
    let nb = unix(leaf_not_before);
    let root = CertBuilder::new("CN=Distrust Root,O=sectrust")
        .ca(None)
        .validity("2010-01-01T00:00:00Z", "2035-01-01T00:00:00Z")
        .build();
    let inter = CertBuilder::new("CN=Distrust Intermediate,O=sectrust")
        .ca(None)
        .validity("2010-01-01T00:00:00Z", "2035-01-01T00:00:00Z")
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new(&format!("CN={HOST}"))
        .validity_unix(nb, nb + 365 * 86_400)
        .dns(HOST)
        .eku(&[oids::server_auth()])
        .issued_by(&inter)
        .build();
    (root, inter, leaf)
}

fn eval_at(
    platform: &str,
    (root, inter, leaf): &Chain,
    db: ValidDatabase,
    policy: &dyn Policy,
    t: &str,
) -> Verdict {
    TrustEvaluator::builder()
        .platform(p(platform))
        .anchors([root.cert.clone()])
        .verify_time_unix(unix(t))
        .valid_database(Arc::new(db))
        .build()
        .evaluate(&leaf.cert, std::slice::from_ref(&inter.cert), &[policy])
        .expect("evaluation")
}

type Chain = (Issued, Issued, Issued);

/// Basic X.509 on the default fixture chain at 2024-01-01, with the database `fill` makes.
fn eval_basic(platform: &str, fill: &impl Fn(&mut ValidDatabase, &Chain)) -> Verdict {
    let chain = chain_with(|b| b, |b| b);
    let mut db = ValidDatabase::new();
    fill(&mut db, &chain);
    TrustEvaluator::builder()
        .platform(p(platform))
        .anchors([chain.0.cert.clone()])
        .verify_time_unix(T)
        .valid_database(Arc::new(db))
        .build()
        .evaluate(
            &chain.2.cert,
            std::slice::from_ref(&chain.1.cert),
            &[&BasicX509],
        )
        .expect("evaluation")
}

/// On each of `platforms`, the database `fill` makes gives `result` with exactly `expected`,
/// all forced.
fn expect_basic(
    platforms: &[&str],
    fill: impl Fn(&mut ValidDatabase, &Chain),
    result: TrustResult,
    expected: &[(usize, Check)],
) {
    for platform in platforms {
        assert_forced(&eval_basic(platform, &fill), result, expected);
    }
}

/// A database holding one date constraint on `ca`: children issued after `date` fail.
fn date_constrained(ca: &Issued, date: &str, overridable: bool) -> ValidDatabase {
    let mut db = ValidDatabase::new();
    db.add_rule(DistrustRule::issued_after(
        CaFamily::Other("test CA".into()),
        vec![*ca.cert.sha256()],
        unix(date),
        overridable,
    ));
    db
}

/// `assert_fails`, and every failure forced (Valid-database results count whatever the
/// policy). A single failure's class follows from the result.
fn assert_forced(v: &Verdict, result: TrustResult, expected: &[(usize, Check)]) {
    assert_fails(v, result, expected);
    assert!(v.failures().iter().all(|f| f.forced), "not forced:\n{v}");
}

#[test]
fn an_empty_database_changes_nothing() {
    assert_trusted(&eval_basic("latest", &|_, _| {}));
}

#[test]
fn blocked_leaf_certificate_is_black_listed_leaf_fatal_on_every_engine() {
    // iOS 6's basic set has no BlackListedLeaf option: the database's result is forced.
    assert!(!BasicX509.options(&p("ios-6.0")).has(Check::BlackListedLeaf));
    let block_leaf = |db: &mut ValidDatabase, c: &Chain| {
        db.block_certificate(*c.2.cert.sha256());
    };
    expect_basic(
        &["ios-6.0", "ios-9.0", "ios-11.0", "latest"],
        block_leaf,
        TrustResult::FatalTrustFailure,
        &[(0, Check::BlackListedLeaf)],
    );
    let e = eval_basic("latest", &block_leaf)
        .primary_error()
        .cloned()
        .unwrap();
    assert_eq!(e.os_status, -67820);
    assert_eq!(e.message, "“leaf.example.com” certificate is blocked");
}

#[test]
fn blocked_intermediate_certificate_is_fatal_only_from_the_per_check_model() {
    let block = |db: &mut ValidDatabase, c: &Chain| {
        db.block_certificate(*c.1.cert.sha256());
    };
    let expected = &[(1, Check::BlackListedLeaf)];
    expect_basic(
        &["ios-11.0", "latest"],
        block,
        TrustResult::FatalTrustFailure,
        expected,
    );
    // iOS 5–10: Fatal only from BlackListedLeaf on the leaf.
    expect_basic(
        &["ios-6.0", "ios-9.0", "ios-10.0"],
        block,
        TrustResult::RecoverableTrustFailure,
        expected,
    );
}

#[test]
fn blocked_key_is_black_listed_key_at_its_index_fatal_from_ios_7() {
    let block = |db: &mut ValidDatabase, c: &Chain| {
        db.block_key(*c.1.cert.spki_sha256());
    };
    let expected = &[(1, Check::BlackListedKey)];
    expect_basic(
        &["ios-7.0", "ios-9.0", "ios-10.0", "ios-12.0", "latest"],
        block,
        TrustResult::FatalTrustFailure,
        expected,
    );
    // iOS 6: only BlackListedLeaf on the leaf is fatal.
    expect_basic(
        &["ios-6.0"],
        block,
        TrustResult::RecoverableTrustFailure,
        expected,
    );
}

#[test]
fn gray_listed_leaf_and_key_are_recoverable_and_forced() {
    let gray = |db: &mut ValidDatabase, c: &Chain| {
        db.gray_list_certificate(*c.2.cert.sha256())
            .gray_list_key(*c.0.cert.spki_sha256());
    };
    expect_basic(
        &["ios-6.0", "ios-9.0", "latest"],
        gray,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::GrayListedLeaf), (2, Check::GrayListedKey)],
    );
    assert_eq!(
        eval_basic("latest", &gray).primary_error().unwrap().message,
        "“leaf.example.com” certificate is not trusted"
    );
}

#[test]
fn ca_date_constraint_marks_children_issued_after_the_date() {
    let constrained = |overridable: bool, chain: &Chain| {
        date_constrained(&chain.1, "2024-06-01T00:00:00Z", overridable)
    };
    let t = "2024-12-01T00:00:00Z";

    let before = chain_issued("2024-05-31T23:59:59Z");
    let v = eval_at(
        "latest",
        &before,
        constrained(false, &before),
        &BasicX509,
        t,
    );
    assert_trusted(&v);
    // The date is past at the verify time: the CA's children need CT (not evaluated here).
    assert!(
        v.notes()
            .iter()
            .any(|n| n.contains("Certificate Transparency")),
        "{v}"
    );

    let on_the_date = chain_issued("2024-06-01T00:00:00Z");
    let v = eval_at(
        "latest",
        &on_the_date,
        constrained(false, &on_the_date),
        &BasicX509,
        t,
    );
    assert_trusted(&v);

    let after = chain_issued("2024-06-02T00:00:00Z");
    let v = eval_at("latest", &after, constrained(false, &after), &BasicX509, t);
    assert_forced(
        &v,
        TrustResult::FatalTrustFailure,
        &[(0, Check::Revocation)],
    );
    assert_eq!(v.details()[0], vec![(Check::Revocation, Some(0))]);
    assert_eq!(
        v.primary_error().unwrap().message,
        "“leaf.example.com” certificate is revoked"
    );

    let v = eval_at("latest", &after, constrained(true, &after), &BasicX509, t);
    assert_forced(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::GrayListedKey)],
    );
}

#[test]
fn ca_date_constraint_judges_only_the_direct_child() {
    // The root's child is the intermediate (issued 2010): a leaf issued after the date under
    // it is not the root's child.
    let chain = chain_issued("2024-06-02T00:00:00Z");
    let db = date_constrained(&chain.0, "2024-06-01T00:00:00Z", false);
    let v = eval_at("latest", &chain, db, &BasicX509, "2024-12-01T00:00:00Z");
    assert_trusted(&v);
}

#[test]
fn a_future_constraint_date_requires_no_ct() {
    let chain = chain_issued("2024-05-01T00:00:00Z");
    let db = date_constrained(&chain.1, "2024-06-01T00:00:00Z", false);
    let v = eval_at("latest", &chain, db, &BasicX509, "2024-05-15T00:00:00Z");
    assert_trusted(&v);
    assert!(v.notes().is_empty(), "{v}");
}

#[test]
fn wosign_rule_blocks_the_ca_from_ios_11_for_descendants_from_2016_12_01() {
    let wosign = |chain: &Chain| {
        let mut db = ValidDatabase::new();
        db.add_rule(DistrustRule::wosign_startcom(vec![*chain.0.cert.sha256()]));
        db
    };
    let t = "2017-06-01T00:00:00Z";
    let on_cutoff = chain_issued("2016-12-01T00:00:00Z");
    let day_before = chain_issued("2016-11-30T00:00:00Z");
    for platform in ["ios-10.3", "macos-10.12"] {
        let v = eval_at(platform, &on_cutoff, wosign(&on_cutoff), &BasicX509, t);
        assert_trusted(&v);
    }
    for platform in ["ios-11.0", "ios-12.0", "macos-10.13", "latest"] {
        let v = eval_at(platform, &on_cutoff, wosign(&on_cutoff), &BasicX509, t);
        assert_forced(
            &v,
            TrustResult::FatalTrustFailure,
            &[(2, Check::BlackListedKey)],
        );
        let v = eval_at(platform, &day_before, wosign(&day_before), &BasicX509, t);
        assert_trusted(&v);
    }
    // Matched at any position: the intermediate's own hash.
    let mut db = ValidDatabase::new();
    db.add_rule(DistrustRule::wosign_startcom(vec![
        *on_cutoff.1.cert.sha256(),
    ]));
    let v = eval_at("ios-11.0", &on_cutoff, db, &BasicX509, t);
    assert_forced(
        &v,
        TrustResult::FatalTrustFailure,
        &[(1, Check::BlackListedKey)],
    );
}

#[test]
fn entrust_rule_distrusts_tls_leaves_issued_after_2024_11_15() {
    let entrust = |chain: &Chain| {
        let mut db = ValidDatabase::new();
        db.add_rule(DistrustRule::entrust(vec![*chain.1.cert.sha256()]));
        db
    };
    let t = "2025-01-01T00:00:00Z";
    let ssl = Ssl::server(HOST);
    let on_the_day = chain_issued("2024-11-15T00:00:00Z");
    let v = eval_at("latest", &on_the_day, entrust(&on_the_day), &ssl, t);
    assert_trusted(&v);
    for issued in ["2024-11-15T00:00:01Z", "2024-11-16T00:00:00Z"] {
        let after = chain_issued(issued);
        let v = eval_at("latest", &after, entrust(&after), &ssl, t);
        assert_forced(
            &v,
            TrustResult::FatalTrustFailure,
            &[(0, Check::Revocation)],
        );
        // Not a TLS, S/MIME or timestamping evaluation: the row does not apply.
        let v = eval_at("latest", &after, entrust(&after), &BasicX509, t);
        assert_trusted(&v);
    }
    // Camerfirma's row is the same, matched here by SPKI hash.
    let after = chain_issued("2024-11-16T00:00:00Z");
    let mut db = ValidDatabase::new();
    db.add_rule(DistrustRule::camerfirma(vec![*after.1.cert.spki_sha256()]));
    let v = eval_at("latest", &after, db, &ssl, t);
    assert_forced(
        &v,
        TrustResult::FatalTrustFailure,
        &[(0, Check::Revocation)],
    );
}

#[test]
fn symantec_row_is_unverified_and_applies_from_2018() {
    let chain = chain_issued("2016-05-01T00:00:00Z");
    let long_leaf = CertBuilder::new(&format!("CN={HOST}"))
        .validity("2016-05-01T00:00:00Z", "2019-01-01T00:00:00Z")
        .dns(HOST)
        .eku(&[oids::server_auth()])
        .issued_by(&chain.1)
        .build();
    let chain = (chain.0, chain.1, long_leaf);
    let symantec = || {
        let mut db = ValidDatabase::new();
        db.add_rule(DistrustRule::symantec(vec![*chain.1.cert.sha256()]));
        db
    };
    let ssl = Ssl::server(HOST);
    let v = eval_at("ios-11.0", &chain, symantec(), &ssl, "2017-06-01T00:00:00Z");
    assert_trusted(&v);
    let v = eval_at("ios-11.0", &chain, symantec(), &ssl, "2018-06-01T00:00:00Z");
    assert_forced(
        &v,
        TrustResult::FatalTrustFailure,
        &[(0, Check::Revocation)],
    );
    assert!(v.notes().iter().any(|n| n.contains("NOT VERIFIED")), "{v}");
}

#[test]
fn issuer_policy_constraints_are_fatal_unless_overridable() {
    let allowed: ObjectIdentifier = "2.23.140.1.2.2".parse().unwrap();
    let (root, inter, _) = chain_issued("2024-01-01T00:00:00Z");
    let leaf_with = |policies: &[ObjectIdentifier]| {
        CertBuilder::new(&format!("CN={HOST}"))
            .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
            .policies(policies)
            .issued_by(&inter)
            .build()
    };
    let db = |overridable: bool| {
        let mut db = ValidDatabase::new();
        db.constrain_policies(*inter.cert.sha256(), vec![allowed], overridable);
        db
    };
    let t = "2024-06-01T00:00:00Z";
    let good = (root.clone(), inter.clone(), leaf_with(&[allowed]));
    assert_trusted(&eval_at("latest", &good, db(false), &BasicX509, t));
    let other: ObjectIdentifier = "2.23.140.1.2.1".parse().unwrap();
    let bad = (root.clone(), inter.clone(), leaf_with(&[other]));
    let v = eval_at("latest", &bad, db(false), &BasicX509, t);
    assert_forced(
        &v,
        TrustResult::FatalTrustFailure,
        &[(1, Check::IssuerPolicyConstraints)],
    );
    let v = eval_at("latest", &bad, db(true), &BasicX509, t);
    assert_forced(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(1, Check::IssuerPolicyConstraints)],
    );
}

// ---- CTRequired: a CA whose constraint date is past requires CT (apple-trust.md §2) ----

/// The constrained chain's leaf, issued before the constraint date (so no Revocation), for one
/// year, with an embedded SCT from each of `logs`; three usable logs in the list.
struct CtCase {
    chain: Chain,
    list: Arc<CtLogList>,
}

const CT_DATE: &str = "2024-06-01T00:00:00Z";
const CT_LEAF_ISSUED: &str = "2024-05-01T00:00:00Z";

impl CtCase {
    fn new(scts: usize) -> Self {
        let logs: Vec<TestLog> = (201..=203)
            .map(|seed| TestLog::new(seed, LogState::Usable { since: 0 }))
            .collect();
        let list = logs
            .iter()
            .fold(CtLogList::new(), |l, t| l.with_log(t.log.clone()));
        let (root, inter, _) = chain_issued(CT_LEAF_ISSUED);
        let nb = unix(CT_LEAF_ISSUED);
        let signed: Vec<(&TestLog, i64)> = logs[..scts].iter().map(|l| (l, nb)).collect();
        let (leaf, _) = with_embedded_scts(
            CertBuilder::new(&format!("CN={HOST}"))
                .validity_unix(nb, nb + 365 * 86_400)
                .dns(HOST)
                .eku(&[oids::server_auth()])
                .issued_by(&inter),
            &signed,
        );
        CtCase {
            chain: (root, inter, leaf),
            list: Arc::new(list),
        }
    }

    /// Basic X.509 (no SystemTrustedCTRequired) with the intermediate constrained.
    fn eval(&self, platform: &str, overridable: bool, t: &str, with_logs: bool) -> Verdict {
        let (root, inter, leaf) = &self.chain;
        let mut builder = TrustEvaluator::builder()
            .platform(p(platform))
            .anchors([root.cert.clone()])
            .verify_time_unix(unix(t))
            .valid_database(Arc::new(date_constrained(inter, CT_DATE, overridable)));
        if with_logs {
            builder = builder.ct_log_list(self.list.clone());
        }
        builder
            .build()
            .evaluate(&leaf.cert, std::slice::from_ref(&inter.cert), &[&BasicX509])
            .expect("evaluation")
    }
}

const AFTER_CT_DATE: &str = "2024-12-01T00:00:00Z";

fn has_note(v: &Verdict, needle: &str) -> bool {
    v.notes().iter().any(|n| n.contains(needle))
}

#[test]
fn a_past_constraint_date_requires_ct_of_the_chain() {
    // A one-year leaf issued in 2024: 3 SCTs needed (`apple-trust.md §6`).
    let qualified = CtCase::new(3).eval("latest", false, AFTER_CT_DATE, true);
    assert_trusted(&qualified);
    assert!(
        has_note(&qualified, "CT satisfied by embedded SCTs"),
        "{qualified}"
    );
    assert!(
        has_note(&qualified, "need Certificate Transparency"),
        "{qualified}"
    );

    for scts in [0, 2] {
        let v = CtCase::new(scts).eval("latest", false, AFTER_CT_DATE, true);
        assert_forced(
            &v,
            TrustResult::FatalTrustFailure,
            &[(0, Check::CTRequired)],
        );
        assert_eq!(v.failures()[0].class, sectrust::CheckClass::Fatal);
        let e = v.primary_error().expect("primary error");
        assert_eq!(
            (e.check, e.cert_index, e.os_status),
            (Check::CTRequired, 0, -67843)
        );
        assert!(has_note(&v, "CT not satisfied"), "{v}");
    }
}

#[test]
fn an_overridable_constraint_makes_ct_required_recoverable() {
    let v = CtCase::new(1).eval("latest", true, AFTER_CT_DATE, true);
    assert_forced(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::CTRequired)],
    );
    // iOS 11–12: CTRequired is outside 58286's fatal set, whatever the entry.
    let v = CtCase::new(1).eval("ios-12.2", false, AFTER_CT_DATE, true);
    assert_forced(
        &v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::CTRequired)],
    );
}

#[test]
fn a_future_constraint_date_or_no_log_list_records_no_ct_requirement() {
    let case = CtCase::new(0);
    let future = case.eval("latest", false, "2024-05-15T00:00:00Z", true);
    assert_trusted(&future);
    assert!(future.notes().is_empty(), "{future}");

    let no_logs = case.eval("latest", false, AFTER_CT_DATE, false);
    assert_trusted(&no_logs);
    assert_eq!(
        no_logs.notes(),
        [
            "Valid database: the test CA date constraint on certificate 1 is in the past, so its \
             children need Certificate Transparency; CT could not be evaluated: no CT log list \
             was supplied, so CTRequired was not recorded"
        ]
    );
}
