//! Chromium's chain-verification tests (`../shared/conformance/chromium-verify`). These are
//! Chrome's expectations, not Apple's: every disagreement is listed in
//! `tests/deviations/chromium.tsv` with the Apple rule behind it. Key purpose ANY_EKU runs under
//! basic X.509; the SERVER_AUTH / CLIENT_AUTH cases arrive with the SSL policy.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::conformance::{check_deviations, load_deviations, suite_dir};
use sectrust::{
    BasicX509, Certificate, TrustEvaluator, TrustSetting, TrustSettingResult, UsageConstraint,
};

/// Chromium's test default time, 2021-10-05T12:00:00Z (`utc_time: DEFAULT`).
const DEFAULT_TIME: i64 = 1_633_435_200;

/// One `.test` file.
struct Case {
    chain: String,
    last_cert_trust: String,
    utc_time: String,
    key_purpose: String,
    expect_success: bool,
}

fn parse_case(text: &str) -> Case {
    let mut fields = BTreeMap::new();
    let mut errors = String::new();
    let mut in_errors = false;
    for line in text.lines() {
        if in_errors {
            errors.push_str(line);
            errors.push('\n');
        } else if line.starts_with('#') || line.trim().is_empty() {
            continue;
        } else if let Some((k, v)) = line.split_once(':') {
            if k == "expected_errors" || k == "errors" {
                in_errors = true;
            } else {
                fields.insert(k.trim().to_owned(), v.trim().to_owned());
            }
        }
    }
    let get = |k: &str| {
        fields
            .get(k)
            .cloned()
            .unwrap_or_else(|| panic!("missing {k}"))
    };
    Case {
        chain: get("chain"),
        last_cert_trust: get("last_cert_trust"),
        utc_time: get("utc_time"),
        key_purpose: get("key_purpose"),
        expect_success: !errors.lines().any(|l| l.starts_with("ERROR")),
    }
}

/// `YYMMDDHHMMSSZ` (UTCTime, years 1950–2049) → Unix seconds.
fn utc_time(s: &str) -> i64 {
    if s == "DEFAULT" {
        return DEFAULT_TIME;
    }
    let d = |i: usize| -> i64 { s[i..i + 2].parse().unwrap() };
    let yy = d(0);
    let year = if yy < 50 { 2000 + yy } else { 1900 + yy };
    let date = time::Date::from_calendar_date(
        year as i32,
        time::Month::try_from(d(2) as u8).unwrap(),
        d(4) as u8,
    )
    .unwrap();
    date.with_hms(d(6) as u8, d(8) as u8, d(10) as u8)
        .unwrap()
        .assume_utc()
        .unix_timestamp()
}

fn evaluate(dir: &Path, case: &Case) -> sectrust::Verdict {
    let pem = std::fs::read_to_string(dir.join(&case.chain)).unwrap();
    let chain = Certificate::from_pem_bundle(&pem).unwrap();
    let (leaf, rest) = chain.split_first().unwrap();
    let last = chain.last().unwrap().clone();
    let mut builder = TrustEvaluator::builder().verify_time_unix(utc_time(&case.utc_time));
    match case.last_cert_trust.as_str() {
        // Apple always enforces an anchor's expiry and constraints, so the variants coincide.
        t if t.starts_with("TRUSTED_") => builder = builder.anchors([last]),
        "DISTRUSTED" => {
            builder = builder.user_trust([TrustSetting::with_constraint(
                last,
                UsageConstraint::result(TrustSettingResult::Deny),
            )])
        }
        "UNSPECIFIED" => {}
        other => panic!("unknown last_cert_trust {other}"),
    }
    let intermediates = if rest.is_empty() { &[][..] } else { rest };
    builder
        .build()
        .evaluate(leaf, intermediates, &[&BasicX509])
        .unwrap()
}

#[test]
fn chromium_any_eku_cases_agree_except_listed_apple_deviations() {
    let Some(root) = suite_dir("chromium-verify") else {
        return;
    };
    let mut deviating = BTreeMap::new();
    let mut run = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut tests: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "test"))
            .collect();
        tests.sort();
        for test in tests {
            let case = parse_case(&std::fs::read_to_string(&test).unwrap());
            if case.key_purpose != "ANY_EKU" {
                continue;
            }
            run += 1;
            let v = evaluate(&dir, &case);
            if v.is_trusted() != case.expect_success {
                let id = format!(
                    "{}/{}",
                    dir.file_name().unwrap().to_string_lossy(),
                    test.file_name().unwrap().to_string_lossy()
                );
                let got: Vec<String> = v
                    .failures()
                    .iter()
                    .map(|f| format!("{}@{}", f.check, f.cert_index))
                    .collect();
                deviating.insert(
                    id,
                    format!(
                        "expected success={}, got {} [{}]",
                        case.expect_success,
                        v.result(),
                        got.join(", ")
                    ),
                );
            }
        }
    }
    assert!(run > 0, "no ANY_EKU case found");
    check_deviations(
        "chromium-verify (ANY_EKU)",
        &deviating,
        &load_deviations("chromium.tsv"),
        run,
    );
}
