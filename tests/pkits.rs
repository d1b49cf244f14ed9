//! NIST PKITS under basic X.509 with no CRLs (`apple-trust.md §4`): every case that does not
//! hinge on CRLs or DSA must agree; the rest are listed in `tests/deviations/pkits.tsv` with the
//! Apple rule behind them.
//!
//! A second run passes each case's CRLs under the RFC 5280 revocation mode
//! (`TrustEvaluatorBuilder::rfc5280_revocation`): every case agrees or is listed in
//! `tests/deviations/pkits_crl.tsv` with its reason.

mod common;

use std::collections::BTreeMap;

use common::conformance::{check_deviations, load_deviations, suite_dir};
use sectrust::path::policy_tree::PolicySettings;
use sectrust::revocation::RevocationInputs;
use sectrust::{BasicX509, Certificate, EvaluationInputs, ObjectIdentifier, TrustEvaluator};

/// 2011-06-01T00:00:00Z: inside the validity of every PKITS certificate meant to be valid
/// (2010-01-01 … 2030-12-31).
const VERIFY_TIME: i64 = 1_306_886_400;

fn nist_policy(name: &str) -> ObjectIdentifier {
    match name.trim() {
        "anyPolicy" => "2.5.29.32.0".parse().unwrap(),
        n => {
            let k: u32 = n
                .strip_prefix("NIST-test-policy-")
                .and_then(|d| d.parse().ok())
                .unwrap_or_else(|| panic!("policy {n}"));
            format!("2.16.840.1.101.3.2.1.48.{k}").parse().unwrap()
        }
    }
}

fn settings(case: &serde_json::Value) -> PolicySettings {
    let flag = |k: &str| case.get(k).and_then(|v| v.as_str()) == Some("true");
    let mut s = PolicySettings::default();
    if let Some(set) = case.get("SetInitialPolicySet").and_then(|v| v.as_str()) {
        s.initial_policy_set = set.split(',').map(nist_policy).collect();
    }
    s.initial_explicit_policy = flag("SetInitialExplicitPolicy");
    s.initial_policy_mapping_inhibit = flag("SetInitialPolicyMappingInhibit");
    s.initial_any_policy_inhibit = flag("SetInitialInhibitAnyPolicy");
    s
}

#[test]
fn pkits_agrees_except_for_listed_apple_deviations() {
    run_pkits(false, "pkits.tsv");
}

#[test]
fn pkits_with_crls_in_rfc5280_mode_agrees_except_for_listed_deviations() {
    run_pkits(true, "pkits_crl.tsv");
}

/// Runs every case; with `crls`, under the RFC 5280 revocation mode with the case's CRLs.
fn run_pkits(crls: bool, deviations: &str) {
    let Some(dir) = suite_dir("pkits") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("pkits_expected.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let load = |name: &str| {
        let der = std::fs::read(dir.join("certs").join(format!("{name}.crt"))).unwrap();
        Certificate::from_der(&der).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let mut deviating = BTreeMap::new();
    let mut run = 0;
    for case in json["tests"].as_array().unwrap() {
        let id = case["gtest_name"]
            .as_str()
            .or(case["test_number"].as_str())
            .unwrap();
        let names: Vec<&str> = case["certs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let chain: Vec<Certificate> = names.iter().map(|n| load(n)).collect();
        let (anchor, rest) = chain.split_first().unwrap();
        let (leaf, inters) = rest.split_last().unwrap();
        let expected = case["should_validate"].as_bool().unwrap();
        let mut revocation = RevocationInputs::new();
        if crls {
            for name in case["crls"].as_array().unwrap() {
                let name = name.as_str().unwrap();
                let der = std::fs::read(dir.join("crls").join(format!("{name}.crl")))
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                revocation = revocation.crl(der);
            }
        }
        let verdict = TrustEvaluator::builder()
            .anchors([anchor.clone()])
            .verify_time_unix(VERIFY_TIME)
            .initial_policy_settings(settings(case))
            .rfc5280_revocation(crls)
            .build()
            .evaluate_with_inputs(
                leaf,
                inters,
                &[&BasicX509],
                &EvaluationInputs::new().revocation(revocation),
            )
            .unwrap();
        run += 1;
        if verdict.is_trusted() != expected {
            let got: Vec<String> = verdict
                .failures()
                .iter()
                .map(|f| format!("{}@{}", f.check, f.cert_index))
                .collect();
            deviating.insert(
                id.to_owned(),
                format!(
                    "expected {expected}, got {} [{}]",
                    verdict.result(),
                    got.join(", ")
                ),
            );
        }
    }
    let suite = if crls {
        "PKITS (RFC 5280 CRLs)"
    } else {
        "PKITS"
    };
    check_deviations(suite, &deviating, &load_deviations(deviations), run);
}
