//! Revocation as Apple does it (`apple-trust.md §9`) and the RFC 5280 mode: OCSP responses and
//! CRLs generated here, signed with the fixtures' keys.

use std::sync::{Arc, Mutex};

use sectrust::crypto::HashAlgorithm;
use sectrust::revocation::ocsp::{CertStatus, ResponseStatus};
use sectrust::revocation::{FetchError, OcspFetcher, RevocationFlags, RevocationInputs};
use sectrust::testing::{CertBuilder, CrlBuilder, Issued, OcspResponder, Pki, ocsp_error_response};
use sectrust::{
    BasicX509, Check, CheckClass, EvaluationInputs, ObjectIdentifier, Platform, Policy, Revocation,
    TrustEvaluator, TrustResult, Verdict,
};

const T: i64 = Pki::T_VALID;
const HOUR: i64 = 3_600;

fn evaluator(platform: &str, pki: &Pki) -> sectrust::TrustEvaluatorBuilder {
    TrustEvaluator::builder()
        .platform(platform.parse::<Platform>().unwrap())
        .anchors([pki.root.cert.clone()])
        .verify_time_unix(T)
}

fn run(
    builder: sectrust::TrustEvaluatorBuilder,
    leaf: &Issued,
    pki: &Pki,
    policies: &[&dyn Policy],
    inputs: RevocationInputs,
) -> Verdict {
    builder
        .build()
        .evaluate_with_inputs(
            &leaf.cert,
            std::slice::from_ref(&pki.intermediate.cert),
            policies,
            &EvaluationInputs::new().revocation(inputs),
        )
        .unwrap()
}

fn with_ocsp(platform: &str, pki: &Pki, policies: &[&dyn Policy], der: Vec<u8>) -> Verdict {
    run(
        evaluator(platform, pki),
        &pki.leaf,
        pki,
        policies,
        RevocationInputs::new().ocsp_response(der),
    )
}

fn failures(v: &Verdict) -> Vec<(usize, Check, Option<i64>)> {
    v.failures()
        .iter()
        .map(|f| (f.cert_index, f.check, f.value))
        .collect()
}

fn has_note(v: &Verdict, needle: &str) -> bool {
    v.notes().iter().any(|n| n.contains(needle))
}

fn revoked(reason: Option<u8>) -> CertStatus {
    CertStatus::Revoked {
        time: T - 86_400,
        reason,
    }
}

#[test]
fn a_good_stapled_response_keeps_the_chain_trusted() {
    let pki = Pki::new();
    let der = OcspResponder::new(&pki.intermediate).respond(&pki.leaf, CertStatus::Good);
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], der);
    assert!(v.is_trusted(), "{v}");
    assert!(v.notes().is_empty(), "{:?}", v.notes());
}

#[test]
fn a_revoked_response_is_fatal_with_each_reason_as_the_detail_value() {
    let pki = Pki::new();
    for reason in [0u8, 1, 2, 3, 4, 5, 6, 8, 9, 10] {
        let der = OcspResponder::new(&pki.intermediate).respond(&pki.leaf, revoked(Some(reason)));
        // Consulted in every evaluation: basic X.509, no revocation policy.
        let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], der);
        assert_eq!(
            failures(&v),
            vec![(0, Check::Revocation, Some(i64::from(reason)))],
            "{v}"
        );
        assert_eq!(v.result(), TrustResult::FatalTrustFailure);
        assert!(v.failures()[0].forced);
        assert_eq!(v.primary_error().unwrap().os_status, -67820);
        assert_eq!(
            v.details()[0],
            vec![(Check::Revocation, Some(i64::from(reason)))]
        );
    }
    // No reason given: reason 0 (unspecified).
    let der = OcspResponder::new(&pki.intermediate).respond(&pki.leaf, revoked(None));
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], der);
    assert_eq!(failures(&v), vec![(0, Check::Revocation, Some(0))]);
}

#[test]
fn revocation_is_recoverable_on_result_models_before_ios_11() {
    let pki = Pki::new();
    let der = OcspResponder::new(&pki.intermediate).respond(&pki.leaf, revoked(Some(1)));
    for (platform, result) in [
        ("ios-6.0", TrustResult::RecoverableTrustFailure),
        ("ios-9.0", TrustResult::RecoverableTrustFailure),
        ("ios-10.0", TrustResult::RecoverableTrustFailure),
        ("ios-11.0", TrustResult::FatalTrustFailure),
        ("macos-10.13", TrustResult::FatalTrustFailure),
    ] {
        let v = with_ocsp(platform, &pki, &[&BasicX509], der.clone());
        assert_eq!(v.result(), result, "{platform}: {v}");
        assert!(v.has_failure(Check::Revocation), "{platform}");
        let class = v.failures()[0].class;
        assert_eq!(
            class == CheckClass::Fatal,
            result == TrustResult::FatalTrustFailure
        );
    }
}

#[test]
fn a_revoked_intermediate_fails_at_its_index() {
    let pki = Pki::new();
    let der = OcspResponder::new(&pki.root).respond(&pki.intermediate, revoked(Some(2)));
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], der);
    assert_eq!(failures(&v), vec![(1, Check::Revocation, Some(2))], "{v}");
}

#[test]
fn unknown_is_a_soft_failure() {
    let pki = Pki::new();
    let der = OcspResponder::new(&pki.intermediate).respond(&pki.leaf, CertStatus::Unknown);
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], der.clone());
    assert!(v.is_trusted(), "{v}");
    assert!(has_note(&v, "status unknown"), "{:?}", v.notes());
    // Unknown is not a positive response.
    let p = Revocation::new(RevocationFlags::OCSP | RevocationFlags::REQUIRE_POSITIVE_RESPONSE)
        .unwrap();
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509, &p], der);
    assert_eq!(
        failures(&v),
        vec![(0, Check::RevocationResponseRequired, None)]
    );
    assert_eq!(v.result(), TrustResult::RecoverableTrustFailure);
}

#[test]
fn expired_and_future_responses_are_ignored_within_apples_leeway() {
    let pki = Pki::new();
    let leaf = &pki.leaf;
    let responder = |this: i64, next: Option<i64>| {
        OcspResponder::new(&pki.intermediate)
            .this_update(this)
            .next_update(next)
            .respond(leaf, revoked(Some(1)))
    };
    let cases = [
        // (thisUpdate, nextUpdate, used)
        (T - 8 * 86_400, Some(T - 2 * HOUR), false), // expired
        (T - 8 * 86_400, Some(T - HOUR), true),      // within the 4500 s leeway
        (T + 2 * HOUR, Some(T + 86_400), false),     // from the future
        (T + HOUR, Some(T + 86_400), true),          // within the leeway
        (T - 2 * 86_400, None, false),               // no nextUpdate, older than 24 h
        (T - HOUR, None, true),                      // no nextUpdate, recent
    ];
    for (this, next, used) in cases {
        let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], responder(this, next));
        assert_eq!(
            v.has_failure(Check::Revocation),
            used,
            "{this} {next:?}: {v}"
        );
        if !used {
            assert!(has_note(&v, "is ignored"), "{:?}", v.notes());
            assert!(v.is_trusted());
        }
    }
}

#[test]
fn responses_signed_by_anyone_but_the_issuer_are_ignored() {
    let pki = Pki::new();
    // Signed by the root (not the leaf's issuer), claiming to be the root.
    let der = OcspResponder::new(&pki.intermediate)
        .signed_by(&pki.root)
        .respond(&pki.leaf, revoked(Some(1)));
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], der);
    assert!(v.is_trusted(), "{v}");
    assert!(has_note(&v, "neither the issuer"), "{:?}", v.notes());
    // A corrupted signature.
    let der = OcspResponder::new(&pki.intermediate)
        .corrupt_signature()
        .respond(&pki.leaf, revoked(Some(1)));
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], der);
    assert!(v.is_trusted(), "{v}");
    assert!(has_note(&v, "does not verify"), "{:?}", v.notes());
    // Responder named by key hash works like by name.
    let der = OcspResponder::new(&pki.intermediate)
        .by_key()
        .respond(&pki.leaf, revoked(Some(1)));
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], der);
    assert!(v.has_failure(Check::Revocation), "{v}");
}

#[test]
fn delegated_responders_need_the_ocsp_signing_eku_and_the_issuers_signature() {
    let pki = Pki::new();
    let ocsp_signing: ObjectIdentifier = "1.3.6.1.5.5.7.3.9".parse().unwrap();
    let with_eku = CertBuilder::new("CN=OCSP Responder")
        .issued_by(&pki.intermediate)
        .eku(&[ocsp_signing])
        .build();
    let without_eku = CertBuilder::new("CN=OCSP Responder 2")
        .issued_by(&pki.intermediate)
        .build();
    let by_root = CertBuilder::new("CN=OCSP Responder 3")
        .issued_by(&pki.root)
        .eku(&[ocsp_signing])
        .build();
    let answer = |responder: &Issued| {
        OcspResponder::new(&pki.intermediate)
            .delegated(responder)
            .respond(&pki.leaf, revoked(Some(4)))
    };
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], answer(&with_eku));
    assert_eq!(failures(&v), vec![(0, Check::Revocation, Some(4))], "{v}");
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], answer(&without_eku));
    assert!(v.is_trusted(), "{v}");
    assert!(has_note(&v, "id-kp-OCSPSigning"), "{:?}", v.notes());
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], answer(&by_root));
    assert!(v.is_trusted(), "{v}");
    assert!(has_note(&v, "not issued by"), "{:?}", v.notes());
}

#[test]
fn sha1_and_sha256_cert_ids_both_match() {
    let pki = Pki::new();
    for hash in [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
    ] {
        let der = OcspResponder::new(&pki.intermediate)
            .cert_id_hash(hash)
            .respond(&pki.leaf, revoked(Some(1)));
        let v = with_ocsp("ios-17.0", &pki, &[&BasicX509], der);
        assert!(v.has_failure(Check::Revocation), "{hash:?}: {v}");
    }
}

#[test]
fn unrelated_malformed_and_unsuccessful_responses_are_noted_and_ignored() {
    let pki = Pki::new();
    let other = pki.leaf_builder().serial(99).build();
    let unrelated = OcspResponder::new(&pki.intermediate).respond(&other, revoked(Some(1)));
    let inputs = RevocationInputs::new()
        .ocsp_response(unrelated)
        .ocsp_response(b"garbage".to_vec())
        .ocsp_response(ocsp_error_response(ResponseStatus::TryLater));
    let v = run(
        evaluator("ios-17.0", &pki),
        &pki.leaf,
        &pki,
        &[&BasicX509],
        inputs,
    );
    assert!(v.is_trusted(), "{v}");
    assert!(
        has_note(&v, "OCSP response #0 names no certificate"),
        "{:?}",
        v.notes()
    );
    assert!(
        has_note(&v, "OCSP response #1 ignored: malformed"),
        "{:?}",
        v.notes()
    );
}

#[test]
fn require_positive_response_fails_the_leaf_without_a_valid_response() {
    let pki = Pki::new();
    let p = Revocation::new(
        RevocationFlags::ANY_METHOD
            | RevocationFlags::REQUIRE_POSITIVE_RESPONSE
            | RevocationFlags::NETWORK_ACCESS_DISABLED,
    )
    .unwrap();
    for platform in ["ios-17.0", "macos-14.0"] {
        let v = run(
            evaluator(platform, &pki),
            &pki.leaf,
            &pki,
            &[&BasicX509, &p],
            RevocationInputs::new(),
        );
        assert_eq!(
            failures(&v),
            vec![(0, Check::RevocationResponseRequired, None)],
            "{v}"
        );
        assert_eq!(v.result(), TrustResult::RecoverableTrustFailure);
        assert_eq!(v.primary_error().unwrap().os_status, -67635);
        // Whatever the network setting.
        let v = run(
            evaluator(platform, &pki).network_allowed(true),
            &pki.leaf,
            &pki,
            &[&BasicX509, &p],
            RevocationInputs::new(),
        );
        assert!(v.has_failure(Check::RevocationResponseRequired));
    }
    // A good response satisfies it; soft fail without the flag.
    let good = OcspResponder::new(&pki.intermediate).respond(&pki.leaf, CertStatus::Good);
    let v = with_ocsp("ios-17.0", &pki, &[&BasicX509, &p], good);
    assert!(v.is_trusted(), "{v}");
    let soft = Revocation::new(RevocationFlags::OCSP).unwrap();
    let v = run(
        evaluator("ios-17.0", &pki),
        &pki.leaf,
        &pki,
        &[&BasicX509, &soft],
        RevocationInputs::new(),
    );
    assert!(v.is_trusted(), "{v}");
    assert!(has_note(&v, "soft failure"), "{:?}", v.notes());
}

/// A CRL from the intermediate revoking the leaf (keyCompromise).
fn leaf_crl(pki: &Pki) -> Vec<u8> {
    CrlBuilder::new(&pki.intermediate)
        .revoke(&pki.leaf, T - 86_400, Some(1))
        .build()
}

#[test]
fn crls_are_checked_by_cssm_and_macos_10_12_to_10_14_trustd_only() {
    let pki = Pki::new();
    let p = Revocation::new(RevocationFlags::CRL).unwrap();
    for (platform, checked) in [
        ("macos-10.7", true),
        ("macos-10.11", true),
        ("macos-10.13", true),
        ("macos-10.14", true),
        ("macos-10.15", false),
        ("macos-14.0", false),
        ("ios-9.0", false),
        ("ios-11.0", false),
        ("ios-17.0", false),
    ] {
        let v = run(
            evaluator(platform, &pki),
            &pki.leaf,
            &pki,
            &[&BasicX509, &p],
            RevocationInputs::new().crl(leaf_crl(&pki)),
        );
        assert_eq!(v.has_failure(Check::Revocation), checked, "{platform}: {v}");
        if checked {
            assert_eq!(v.failures()[0].value, Some(1));
        } else {
            assert!(v.is_trusted(), "{platform}: {v}");
            assert!(
                has_note(&v, "checks no CRLs"),
                "{platform}: {:?}",
                v.notes()
            );
        }
    }
    // Without a policy asking for the CRL method, CRLs are not consulted even on 10.13.
    let v = run(
        evaluator("macos-10.13", &pki),
        &pki.leaf,
        &pki,
        &[&BasicX509],
        RevocationInputs::new().crl(leaf_crl(&pki)),
    );
    assert!(v.is_trusted(), "{v}");
}

#[test]
fn the_rfc5280_mode_hard_fails_missing_crls_on_any_platform() {
    let pki = Pki::new();
    let root_crl = CrlBuilder::new(&pki.root).build();
    let inter_crl = CrlBuilder::new(&pki.intermediate).build();
    let rfc = |platform: &str| evaluator(platform, &pki).rfc5280_revocation(true);
    for platform in ["ios-17.0", "macos-10.13"] {
        let v = run(
            rfc(platform),
            &pki.leaf,
            &pki,
            &[&BasicX509],
            RevocationInputs::new(),
        );
        assert_eq!(
            failures(&v),
            vec![
                (0, Check::RevocationResponseRequired, None),
                (1, Check::RevocationResponseRequired, None)
            ],
            "{v}"
        );
        let both = RevocationInputs::new()
            .crl(root_crl.clone())
            .crl(inter_crl.clone());
        let v = run(rfc(platform), &pki.leaf, &pki, &[&BasicX509], both);
        assert!(v.is_trusted(), "{v}");
        let revoking = RevocationInputs::new()
            .crl(root_crl.clone())
            .crl(leaf_crl(&pki));
        let v = run(rfc(platform), &pki.leaf, &pki, &[&BasicX509], revoking);
        assert_eq!(failures(&v), vec![(0, Check::Revocation, Some(1))], "{v}");
    }
    // A good OCSP response also determines the leaf's status.
    let ocsp = OcspResponder::new(&pki.intermediate).respond(&pki.leaf, CertStatus::Good);
    let v = run(
        rfc("ios-17.0"),
        &pki.leaf,
        &pki,
        &[&BasicX509],
        RevocationInputs::new().crl(root_crl).ocsp_response(ocsp),
    );
    assert!(v.is_trusted(), "{v}");
}

#[test]
fn unusable_crls_leave_the_status_undetermined() {
    let pki = Pki::new();
    let root_crl = CrlBuilder::new(&pki.root).build();
    let unknown_critical: ObjectIdentifier = "1.2.3.4.5".parse().unwrap();
    let bad: Vec<(&str, Vec<u8>)> = vec![
        (
            "stale",
            CrlBuilder::new(&pki.intermediate)
                .this_update(T - 30 * 86_400)
                .build(),
        ),
        (
            "future",
            CrlBuilder::new(&pki.intermediate)
                .this_update(T + 86_400)
                .build(),
        ),
        (
            "bad signature",
            CrlBuilder::new(&pki.intermediate)
                .corrupt_signature()
                .build(),
        ),
        (
            "signed by another key",
            CrlBuilder::new(&pki.intermediate)
                .signed_by(&pki.root)
                .build(),
        ),
        (
            "unknown critical extension",
            CrlBuilder::new(&pki.intermediate)
                .extension(unknown_critical, true, vec![0x05, 0x00])
                .build(),
        ),
        (
            "only CA certificates",
            CrlBuilder::new(&pki.intermediate)
                .issuing_distribution_point(false, true, None, false)
                .build(),
        ),
        (
            "only some reasons",
            CrlBuilder::new(&pki.intermediate)
                .issuing_distribution_point(false, false, Some(0b10), false)
                .build(),
        ),
        ("from the wrong issuer", CrlBuilder::new(&pki.root).build()),
        (
            "without a CRLNumber",
            CrlBuilder::new(&pki.intermediate).no_crl_number().build(),
        ),
    ];
    for (what, crl) in bad {
        let v = run(
            evaluator("ios-17.0", &pki).rfc5280_revocation(true),
            &pki.leaf,
            &pki,
            &[&BasicX509],
            RevocationInputs::new().crl(root_crl.clone()).crl(crl),
        );
        assert_eq!(
            failures(&v),
            vec![(0, Check::RevocationResponseRequired, None)],
            "{what}: {v}"
        );
    }
    // onlyContainsUserCerts covers the leaf; two onlySomeReasons CRLs together cover it.
    let user_only = CrlBuilder::new(&pki.intermediate)
        .issuing_distribution_point(true, false, None, false)
        .build();
    let v = run(
        evaluator("ios-17.0", &pki).rfc5280_revocation(true),
        &pki.leaf,
        &pki,
        &[&BasicX509],
        RevocationInputs::new().crl(root_crl.clone()).crl(user_only),
    );
    assert!(v.is_trusted(), "{v}");
    let part = |mask| {
        CrlBuilder::new(&pki.intermediate)
            .issuing_distribution_point(false, false, Some(mask), false)
            .build()
    };
    let v = run(
        evaluator("ios-17.0", &pki).rfc5280_revocation(true),
        &pki.leaf,
        &pki,
        &[&BasicX509],
        RevocationInputs::new()
            .crl(root_crl)
            .crl(part(0b10))
            .crl(part(0x1FE & !0b10)),
    );
    assert!(v.is_trusted(), "{v}");
}

#[test]
fn a_critical_unknown_entry_extension_makes_the_crl_unusable() {
    let pki = Pki::new();
    let crl = CrlBuilder::new(&pki.intermediate)
        .revoke_serial(vec![0x7F], T - 86_400, None)
        .entry_extension("1.2.3.4.6".parse().unwrap(), true, vec![0x05, 0x00])
        .build();
    let v = run(
        evaluator("macos-10.13", &pki),
        &pki.leaf,
        &pki,
        &[&BasicX509, &Revocation::new(RevocationFlags::CRL).unwrap()],
        RevocationInputs::new().crl(crl),
    );
    assert!(v.is_trusted(), "{v}");
    assert!(
        has_note(&v, "unknown critical entry extension"),
        "{:?}",
        v.notes()
    );
}

/// Records every fetch and answers with a fixed response (or an error).
#[derive(Debug)]
struct Fetcher {
    answer: Result<Vec<u8>, String>,
    calls: Mutex<Vec<(String, Vec<u8>)>>,
}

impl OcspFetcher for Fetcher {
    fn fetch(&self, url: &str, request_der: &[u8]) -> Result<Vec<u8>, FetchError> {
        self.calls
            .lock()
            .unwrap()
            .push((url.to_owned(), request_der.to_vec()));
        self.answer.clone().map_err(FetchError)
    }
}

#[test]
fn the_fetcher_is_asked_only_when_apple_would_use_the_network() {
    let pki = Pki::new();
    let leaf = pki
        .leaf_builder()
        .ocsp_urls(&["http://ocsp.example.test"])
        .build();
    let good = OcspResponder::new(&pki.intermediate).respond(&leaf, revoked(Some(5)));
    let fetcher = |answer: Result<Vec<u8>, String>| {
        Arc::new(Fetcher {
            answer,
            calls: Mutex::new(Vec::new()),
        })
    };
    let ocsp = Revocation::new(RevocationFlags::OCSP).unwrap();
    let offline =
        Revocation::new(RevocationFlags::OCSP | RevocationFlags::NETWORK_ACCESS_DISABLED).unwrap();
    let cases: Vec<(&str, Vec<&dyn Policy>, bool, bool)> = vec![
        // (what, policies, network_allowed, asked)
        ("basic only", vec![&BasicX509], false, false),
        ("basic only, network allowed", vec![&BasicX509], true, false),
        ("explicit OCSP, last", vec![&BasicX509, &ocsp], false, true),
        (
            "explicit OCSP, basic last",
            vec![&ocsp, &BasicX509],
            false,
            false,
        ),
        (
            "basic last, fetch allowed",
            vec![&ocsp, &BasicX509],
            true,
            true,
        ),
        ("network disabled", vec![&BasicX509, &offline], false, false),
        (
            "disabled, fetch allowed",
            vec![&BasicX509, &offline],
            true,
            true,
        ),
    ];
    for (what, policies, network, asked) in cases {
        let f = fetcher(Ok(good.clone()));
        let v = run(
            evaluator("ios-17.0", &pki)
                .network_allowed(network)
                .ocsp_fetcher(f.clone()),
            &leaf,
            &pki,
            &policies,
            RevocationInputs::new(),
        );
        let calls = f.calls.lock().unwrap().clone();
        assert_eq!(!calls.is_empty(), asked, "{what}: {v}");
        assert_eq!(v.has_failure(Check::Revocation), asked, "{what}: {v}");
        if asked {
            assert_eq!(calls[0].0, "http://ocsp.example.test");
            assert_eq!(calls.len(), 1, "{what}: one fetch per certificate");
        }
    }
    // A fetcher error is a soft failure.
    let f = fetcher(Err("connection refused".into()));
    let v = run(
        evaluator("ios-17.0", &pki).ocsp_fetcher(f),
        &leaf,
        &pki,
        &[&BasicX509, &ocsp],
        RevocationInputs::new(),
    );
    assert!(v.is_trusted(), "{v}");
    assert!(has_note(&v, "connection refused"), "{:?}", v.notes());
}

#[test]
fn revocation_flags_follow_apple() {
    assert!(Revocation::new(0).is_err());
    assert!(Revocation::new(1 << 7).is_err());
    assert!(Revocation::new(RevocationFlags::ANY_METHOD).is_ok());
    assert_eq!(Revocation::OID.to_string(), "1.2.840.113635.100.1.21");
    let p = Revocation::new(RevocationFlags::OCSP | RevocationFlags::PREFER_CRL).unwrap();
    assert_eq!(p.name(), "revocation");
    let o = p.options(&Platform::latest());
    assert!(o.has(Check::Revocation));
    assert!(!o.no_network_access);
    assert!(o.revocation.unwrap().prefer_crl);
}

/// `apple-trust.md §9`: "the network is used only for … a stale cached revoked response". An
/// expired supplied response saying "revoked" makes the fetcher be asked even without an
/// explicit revocation method, when the network is allowed; an expired "good" does not.
#[test]
fn an_expired_revoked_response_sends_trustd_to_the_network() {
    let pki = Pki::new();
    let leaf = pki
        .leaf_builder()
        .ocsp_urls(&["http://ocsp.example.test"])
        .build();
    let stale = |status: CertStatus| {
        OcspResponder::new(&pki.intermediate)
            .this_update(T - 8 * 86_400)
            .next_update(Some(T - 2 * HOUR))
            .respond(&leaf, status)
    };
    let fresh = |status: CertStatus| {
        OcspResponder::new(&pki.intermediate)
            .this_update(T - HOUR)
            .respond(&leaf, status)
    };
    let stale_revoked = stale(revoked(Some(1)));
    // (what, supplied, SecTrustSetNetworkFetchAllowed, fetched, asked, failure). The basic
    // policy carries NoNetworkAccess: without the setter the network is not allowed.
    let cases = [
        (
            "stale revoked, network allowed, still revoked",
            &stale_revoked,
            true,
            fresh(revoked(Some(1))),
            true,
            Some(Check::Revocation),
        ),
        (
            "stale revoked, network allowed, now good",
            &stale_revoked,
            true,
            fresh(CertStatus::Good),
            true,
            None,
        ),
        (
            "stale revoked, no network",
            &stale_revoked,
            false,
            fresh(revoked(Some(1))),
            false,
            None,
        ),
        (
            "stale good, network allowed",
            &stale(CertStatus::Good),
            true,
            fresh(revoked(Some(1))),
            false,
            None,
        ),
    ];
    for (what, supplied, network, fetched, asked, failure) in cases {
        let f = Arc::new(Fetcher {
            answer: Ok(fetched),
            calls: Mutex::new(Vec::new()),
        });
        let v = run(
            evaluator("ios-17.0", &pki)
                .network_allowed(network)
                .ocsp_fetcher(f.clone()),
            &leaf,
            &pki,
            &[&BasicX509],
            RevocationInputs::new().ocsp_response(supplied.clone()),
        );
        let calls = f.calls.lock().unwrap().len();
        assert_eq!(calls, usize::from(asked), "{what}: {v}");
        assert_eq!(
            v.failures().first().map(|f| f.check),
            failure,
            "{what}: {v}"
        );
        assert_eq!(
            has_note(&v, "has expired: the fetcher is asked"),
            asked,
            "{what}: {:?}",
            v.notes()
        );
    }
}

/// id-pkix-ocsp-nocheck changes nothing: trustd never checks a delegated responder's own
/// revocation, so a responder carrying it (critical or not) is accepted exactly like one without.
#[test]
fn ocsp_nocheck_on_a_delegated_responder_changes_nothing() {
    let pki = Pki::new();
    let ocsp_signing: ObjectIdentifier = "1.3.6.1.5.5.7.3.9".parse().unwrap();
    let responder = |name: &str, nocheck: Option<bool>| {
        let b = CertBuilder::new(name)
            .issued_by(&pki.intermediate)
            .eku(&[ocsp_signing]);
        match nocheck {
            Some(critical) => b.extension(
                sectrust::revocation::ocsp::OCSP_NOCHECK,
                critical,
                vec![0x05, 0x00],
            ),
            None => b,
        }
        .build()
    };
    let plain = responder("CN=OCSP Responder", None);
    let verdict_for = |r: &Issued, status: CertStatus| {
        let der = OcspResponder::new(&pki.intermediate)
            .delegated(r)
            .respond(&pki.leaf, status);
        with_ocsp("ios-17.0", &pki, &[&BasicX509], der)
    };
    let want_revoked = failures(&verdict_for(&plain, revoked(Some(4))));
    assert_eq!(want_revoked, vec![(0, Check::Revocation, Some(4))]);
    for critical in [false, true] {
        let with_nocheck = responder("CN=OCSP Responder", Some(critical));
        let v = verdict_for(&with_nocheck, revoked(Some(4)));
        assert_eq!(failures(&v), want_revoked, "critical {critical}: {v}");
        let good = verdict_for(&with_nocheck, CertStatus::Good);
        assert!(good.is_trusted(), "critical {critical}: {good}");
        assert_eq!(
            good.notes(),
            verdict_for(&plain, CertStatus::Good).notes(),
            "critical {critical}"
        );
    }
}

/// `apple-trust.md §7`, platforms.md "S/MIME across versions": on macOS from 10.12 the S/MIME
/// policy switches revocation on (any method); on iOS it does not. End to end: a revoked S/MIME
/// leaf, by a CRL (checked where the platform checks CRLs: trustd on macOS 10.12–10.14) and by
/// an OCSP response the fetcher returns (asked only for an explicit method), fails Revocation on
/// macOS 10.12 (recoverable: 57740's result model) and 10.13 (fatal), and not on iOS.
#[test]
fn smime_switches_revocation_on_for_macos_only_end_to_end() {
    use sectrust::certificate::KeyUsage;
    use sectrust::policy::{Smime, SmimeUsage};
    use sectrust::testing::oids;

    let pki = Pki::new();
    let address = "jane@example.com";
    let leaf = CertBuilder::new("CN=Jane Doe,O=Example")
        .issued_by(&pki.intermediate)
        .email(address)
        .eku(&[oids::email_protection()])
        .key_usage(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT)
        .ocsp_urls(&["http://ocsp.example.test"])
        .build();
    let smime = Smime::new(SmimeUsage::SIGN, Some(address.to_owned()));
    let crl = CrlBuilder::new(&pki.intermediate)
        .revoke(&leaf, T - 86_400, Some(1))
        .build();
    let fetched = OcspResponder::new(&pki.intermediate)
        .this_update(T - HOUR)
        .respond(&leaf, revoked(Some(1)));
    let revoked_as = |v: &Verdict| {
        v.failures()
            .iter()
            .find(|f| f.check == Check::Revocation)
            .map(|f| (f.cert_index, f.value, f.class))
    };
    // (platform, class of Revocation by CRL, by the fetched OCSP response)
    for (platform, by_crl, by_ocsp) in [
        (
            "macos-10.12",
            Some(CheckClass::Recoverable),
            Some(CheckClass::Recoverable),
        ),
        (
            "macos-10.13",
            Some(CheckClass::Fatal),
            Some(CheckClass::Fatal),
        ),
        ("macos-10.15", None, Some(CheckClass::Fatal)),
        ("ios-10.0", None, None),
        ("ios-11.0", None, None),
        ("ios-17.0", None, None),
    ] {
        let v = run(
            evaluator(platform, &pki),
            &leaf,
            &pki,
            &[&smime],
            RevocationInputs::new().crl(crl.clone()),
        );
        assert_eq!(
            revoked_as(&v),
            by_crl.map(|c| (0, Some(1), c)),
            "{platform}, CRL: {v}"
        );
        if by_crl.is_none() {
            assert!(v.is_trusted(), "{platform}, CRL: {v}");
        }
        let f = Arc::new(Fetcher {
            answer: Ok(fetched.clone()),
            calls: Mutex::new(Vec::new()),
        });
        let v = run(
            evaluator(platform, &pki)
                .network_allowed(true)
                .ocsp_fetcher(f.clone()),
            &leaf,
            &pki,
            &[&smime],
            RevocationInputs::new(),
        );
        assert_eq!(
            f.calls.lock().unwrap().is_empty(),
            by_ocsp.is_none(),
            "{platform}, OCSP: {v}"
        );
        assert_eq!(
            revoked_as(&v),
            by_ocsp.map(|c| (0, Some(1), c)),
            "{platform}, OCSP: {v}"
        );
        if by_ocsp.is_none() {
            assert!(v.is_trusted(), "{platform}, OCSP: {v}");
        }
    }
}
