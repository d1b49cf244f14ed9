//! x509-limbo's `crl::` cases (`../shared/conformance/limbo`) under the RFC 5280 revocation mode
//! with each case's CRLs: the library side of what a limbo harness needs for `has-crl` cases
//! (`TrustEvaluatorBuilder::rfc5280_revocation(true)` and `RevocationInputs::crl_pem`). Basic
//! X.509 only: these cases are about the CRLs, not the peer name.

mod common;

use std::collections::BTreeMap;

use common::conformance::{check_deviations, suite_dir};
use sectrust::revocation::RevocationInputs;
use sectrust::{BasicX509, Certificate, EvaluationInputs, TrustEvaluator};

#[test]
fn limbo_crl_cases_agree_in_rfc5280_mode() {
    let Some(dir) = suite_dir("limbo") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("limbo.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let pem = |v: &serde_json::Value| Certificate::from_pem(v.as_str().unwrap()).unwrap();
    let mut deviating = BTreeMap::new();
    let mut run = 0;
    for case in json["testcases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if !id.starts_with("crl::") {
            continue;
        }
        let anchors: Vec<Certificate> = case["trusted_certs"]
            .as_array()
            .unwrap()
            .iter()
            .map(pem)
            .collect();
        let inters: Vec<Certificate> = case["untrusted_intermediates"]
            .as_array()
            .unwrap()
            .iter()
            .map(pem)
            .collect();
        let leaf = pem(&case["peer_certificate"]);
        let mut inputs = RevocationInputs::new();
        for crl in case["crls"].as_array().unwrap() {
            inputs = inputs.crl_pem(crl.as_str().unwrap()).unwrap();
        }
        let t = sectrust::testing::unix(case["validation_time"].as_str().unwrap());
        let verdict = TrustEvaluator::builder()
            .anchors(anchors)
            .verify_time_unix(t)
            .rfc5280_revocation(true)
            .build()
            .evaluate_with_inputs(
                &leaf,
                &inters,
                &[&BasicX509],
                &EvaluationInputs::new().revocation(inputs),
            )
            .unwrap();
        run += 1;
        let expected = case["expected_result"].as_str() == Some("SUCCESS");
        if verdict.is_trusted() != expected {
            deviating.insert(id.to_owned(), format!("{verdict}"));
        }
    }
    assert_eq!(run, 8, "the limbo file has 8 crl:: cases");
    check_deviations("x509-limbo crl::", &deviating, &BTreeMap::new(), run);
}
