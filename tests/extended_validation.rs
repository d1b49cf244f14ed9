//! Extended validation (`apple-trust.md §4, §9`): EV roots marked in the system store
//! (`SystemStore::add_ev_root`), the +1,000,000 score, the stopping rule ("EV or cannot be
//! EV"), rejected EV paths, and the network for EV chains.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use sectrust::revocation::{FetchError, OcspFetcher};
use sectrust::testing::{CertBuilder, Issued, KeyPair, oids};
use sectrust::{BasicX509, Check, ObjectIdentifier, SystemStore, TrustEvaluator, TrustResult};

/// The EV policy of the tests (CA/Browser Forum EV).
const EV: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.140.1.1");

/// The intermediates' usual certificatePolicies: anyPolicy.
fn any(b: CertBuilder) -> CertBuilder {
    b.policies(&[oids::any_policy()])
}

/// Two system roots, each issuing an intermediate of the same name and key: `via_plain` (with
/// anyPolicy) under `plain`, `via_ev` (as the hook makes it) under `ev_root`.
struct Fixture {
    plain: Issued,
    ev_root: Issued,
    via_plain: Issued,
    via_ev: Issued,
}

impl Fixture {
    fn new(via_ev: impl FnOnce(CertBuilder) -> CertBuilder) -> Self {
        let plain = CertBuilder::new("CN=Plain Root").ca(None).build();
        let ev_root = CertBuilder::new("CN=EV Root").ca(None).build();
        let key = KeyPair::p256(300);
        let inter = |serial| {
            CertBuilder::new("CN=Shared Inter")
                .key(key.clone())
                .ca(None)
                .serial(serial)
        };
        let via_plain = any(inter(1)).issued_by(&plain).build();
        let via_ev = via_ev(inter(2)).issued_by(&ev_root).build();
        Fixture {
            plain,
            ev_root,
            via_plain,
            via_ev,
        }
    }

    /// A leaf under the shared intermediate key (either intermediate issues it).
    fn leaf(&self, policies: &[ObjectIdentifier]) -> Issued {
        CertBuilder::new("CN=leaf.example.com")
            .policies(policies)
            .issued_by(&self.via_plain)
            .build()
    }

    /// The system store: both roots, the EV root marked for [`EV`] when `ev_data`.
    fn store(&self, ev_data: bool) -> SystemStore {
        let mut store = SystemStore::from_roots([self.plain.cert.clone()]);
        if ev_data {
            store.add_ev_root(self.ev_root.cert.clone(), [EV]);
        } else {
            store.add(self.ev_root.cert.clone());
        }
        store
    }

    fn evaluator(&self, ev_data: bool) -> sectrust::TrustEvaluatorBuilder {
        TrustEvaluator::builder()
            .platform(p("ios-17.0"))
            .system_store(self.store(ev_data))
            .verify_time_unix(T)
    }
}

fn eval(
    builder: sectrust::TrustEvaluatorBuilder,
    leaf: &Issued,
    inters: &[&Issued],
) -> sectrust::Verdict {
    builder
        .build()
        .evaluate(&leaf.cert, &certs(inters), &[&BasicX509])
        .expect("evaluation")
}

/// A leaf that can be EV does not stop at the non-EV accepted path found first: the EV path
/// found next wins (+1,000,000) and is reported as EV. Without EV data the search stops at
/// the first accepted path, as before.
#[test]
fn an_ev_path_is_chosen_over_a_non_ev_path_found_first() {
    let f = Fixture::new(any);
    let leaf = f.leaf(&[EV]);
    let v = eval(f.evaluator(true), &leaf, &[&f.via_plain, &f.via_ev]);
    assert_trusted(&v);
    assert!(v.chain()[2].same_as(&f.ev_root.cert), "{v}");
    assert!(v.is_extended_validation(), "{v}");
    assert_eq!(v.work().validated, 2, "{v}");

    let v = eval(f.evaluator(false), &leaf, &[&f.via_plain, &f.via_ev]);
    assert_trusted(&v);
    assert!(v.chain()[2].same_as(&f.plain.cert), "{v}");
    assert!(!v.is_extended_validation(), "{v}");
    assert_eq!(v.work().validated, 1, "{v}");
}

/// A leaf asserting no EV policy cannot be EV: the first accepted path stops the search, and
/// even a path to the EV root is not EV.
#[test]
fn a_leaf_without_the_ev_policy_is_not_ev_and_stops_as_before() {
    let f = Fixture::new(any);
    let leaf = f.leaf(&[oids::test_policy(1)]);
    let v = eval(f.evaluator(true), &leaf, &[&f.via_plain, &f.via_ev]);
    assert_trusted(&v);
    assert!(v.chain()[2].same_as(&f.plain.cert), "{v}");
    assert_eq!(v.work().validated, 1, "{v}");
    assert!(!v.is_extended_validation(), "{v}");

    let v = eval(f.evaluator(true), &leaf, &[&f.via_ev]);
    assert_trusted(&v);
    assert!(!v.is_extended_validation(), "{v}");
}

/// Every CA below the EV root must assert the EV policy or anyPolicy: an intermediate with
/// another policy, or none, leaves no valid EV policy. The path is still accepted.
#[test]
fn an_intermediate_without_the_ev_policy_or_any_policy_is_not_ev() {
    type Hook = fn(CertBuilder) -> CertBuilder;
    let cases: [(&str, Hook, bool); 4] = [
        ("anyPolicy", any, true),
        ("the EV policy", |b| b.policies(&[EV]), true),
        (
            "another policy",
            |b| b.policies(&[oids::test_policy(1)]),
            false,
        ),
        ("no certificatePolicies", |b| b, false),
    ];
    for (what, inter, ev) in cases {
        let f = Fixture::new(inter);
        let leaf = f.leaf(&[EV]);
        let v = eval(f.evaluator(true), &leaf, &[&f.via_ev]);
        assert_trusted(&v);
        assert_eq!(v.is_extended_validation(), ev, "{what}: {v}");
    }
}

/// EV data belongs to the system store: the same root trusted as an app anchor (anchors-only
/// or not) anchors no EV path.
#[test]
fn an_ev_root_trusted_as_an_app_anchor_is_not_ev() {
    let f = Fixture::new(any);
    let leaf = f.leaf(&[EV]);
    for only in [true, false] {
        let builder = f
            .evaluator(true)
            .anchors([f.ev_root.cert.clone()])
            .anchors_only(only);
        let v = eval(builder, &leaf, &[&f.via_ev]);
        assert_trusted(&v);
        assert!(!v.is_extended_validation(), "anchors-only {only}: {v}");
    }
}

/// A rejected EV path (its intermediate expired, so set aside and re-processed last) does not
/// replace an ACCEPTED non-EV path: the trust the accepted path grants stands.
#[test]
fn a_rejected_ev_path_does_not_replace_an_accepted_path() {
    let f = Fixture::new(|b| any(b).validity("2010-01-01T00:00:00Z", "2015-01-01T00:00:00Z"));
    let leaf = f.leaf(&[EV]);
    for ev_data in [true, false] {
        let v = eval(f.evaluator(ev_data), &leaf, &[&f.via_plain, &f.via_ev]);
        assert_trusted(&v);
        assert!(v.chain()[2].same_as(&f.plain.cert), "{v}");
        assert!(!v.is_extended_validation(), "{v}");
    }
}

/// A rejected EV path replaces a non-EV best path that is not accepted, though that one
/// scores higher (`apple-trust.md §4`): the plain intermediate's name constraints exclude the
/// leaf (not an issuer check, so its path is not set aside and keeps all its points), the EV
/// intermediate is expired. Without EV data the scores decide.
#[test]
fn a_rejected_ev_path_replaces_a_failing_non_ev_path() {
    let plain = CertBuilder::new("CN=Plain Root").ca(None).build();
    let ev_root = CertBuilder::new("CN=EV Root").ca(None).build();
    let key = KeyPair::p256(301);
    let inter = |serial| {
        CertBuilder::new("CN=Shared Inter")
            .key(key.clone())
            .ca(None)
            .serial(serial)
            .policies(&[oids::any_policy()])
    };
    let via_plain = inter(1)
        .excluded_dns("example.com")
        .issued_by(&plain)
        .build();
    let via_ev = inter(2)
        .validity("2010-01-01T00:00:00Z", "2015-01-01T00:00:00Z")
        .issued_by(&ev_root)
        .build();
    let leaf = CertBuilder::new("CN=leaf.example.com")
        .dns("leaf.example.com")
        .policies(&[EV])
        .issued_by(&via_plain)
        .build();
    for ev_data in [true, false] {
        let mut store = SystemStore::from_roots([plain.cert.clone()]);
        if ev_data {
            store.add_ev_root(ev_root.cert.clone(), [EV]);
        } else {
            store.add(ev_root.cert.clone());
        }
        let builder = TrustEvaluator::builder()
            .platform(p("ios-17.0"))
            .system_store(store)
            .verify_time_unix(T);
        let v = eval(builder, &leaf, &[&via_plain, &via_ev]);
        assert!(!v.is_trusted() && !v.is_extended_validation(), "{v}");
        if ev_data {
            assert!(v.chain()[2].same_as(&ev_root.cert), "{v}");
            assert_fails(
                &v,
                TrustResult::RecoverableTrustFailure,
                &[(1, Check::TemporalValidity)],
            );
        } else {
            assert!(v.chain()[2].same_as(&plain.cert), "{v}");
            assert!(v.has_failure(Check::NameConstraints), "{v}");
        }
    }
}

#[derive(Debug)]
struct Fetcher(Mutex<Vec<String>>);

impl OcspFetcher for Fetcher {
    fn fetch(&self, url: &str, _request_der: &[u8]) -> Result<Vec<u8>, FetchError> {
        self.0.lock().unwrap().push(url.to_owned());
        Err(FetchError("offline in tests".to_owned()))
    }
}

/// The network is used for EV chains (`apple-trust.md §9`): with basic X.509 alone (which
/// carries NoNetworkAccess) the OCSP fetcher is asked for an EV chain only when the network is
/// allowed, and never for a chain that is not EV.
#[test]
fn the_ocsp_fetcher_is_asked_for_an_ev_chain_when_the_network_is_allowed() {
    let f = Fixture::new(any);
    let leaf = CertBuilder::new("CN=leaf.example.com")
        .policies(&[EV])
        .ocsp_urls(&["http://ocsp.example.test"])
        .issued_by(&f.via_ev)
        .build();
    for (ev_data, network, asked) in [
        (true, true, true),
        (true, false, false),
        (false, true, false),
    ] {
        let fetcher = Arc::new(Fetcher(Mutex::new(Vec::new())));
        let builder = f
            .evaluator(ev_data)
            .network_allowed(network)
            .ocsp_fetcher(fetcher.clone());
        let v = eval(builder, &leaf, &[&f.via_ev]);
        assert_trusted(&v);
        assert_eq!(v.is_extended_validation(), ev_data, "{v}");
        let calls = fetcher.0.lock().unwrap().clone();
        assert_eq!(
            !calls.is_empty(),
            asked,
            "EV data {ev_data}, network {network}: {v}"
        );
        if asked {
            assert_eq!(calls, ["http://ocsp.example.test"]);
        }
    }
}
