//! Chromium's chain-verification tests (`../shared/conformance/chromium-verify`). These are
//! Chrome's expectations, not Apple's: every disagreement is listed in
//! `tests/deviations/chromium.tsv` with the Apple rule behind it.
//!
//! Key purposes, at platform `latest`:
//! - `ANY_EKU` runs under basic X.509 (`apple-trust.md §8`);
//! - `SERVER_AUTH` under `Ssl::server_any_host()` (Chrome's chain tests check no hostname);
//! - `CLIENT_AUTH` under `Ssl::client(None)`;
//! - `SERVER_AUTH_STRICT(_LEAF)` and `CLIENT_AUTH_STRICT(_LEAF)` are Chrome's stricter flavours
//!   of the same TLS purposes; Apple evaluates TLS with one SSL policy, so they run under the
//!   same server / client policy and Chrome's extra strictness shows up as listed deviations;
//! - `C2PA_*` and `MLS_CLIENT_AUTH` have no Apple counterpart (no Apple policy accepts or
//!   requires those EKUs): they are skipped, counted and printed, not evaluated.
//!
//! Trust of the last certificate: `TRUSTED_ANCHOR*` (Apple always enforces an anchor's expiry
//! and constraints, so the variants coincide) and `TRUSTED_ANCHOR_OR_LEAF` make it an app
//! anchor; `DISTRUSTED` is a user Deny setting; `UNSPECIFIED` adds no anchor; `TRUSTED_LEAF*`
//! trusts it only as the target, so it is an app anchor when the chain is that one certificate
//! and no anchor otherwise (Apple has no "trusted leaf" nor "must be self-signed" flag).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::conformance::{check_deviations, load_deviations, suite_dir};
use sectrust::{
    BasicX509, Certificate, Platform, Policy, Ssl, TrustEvaluator, TrustSetting,
    TrustSettingResult, UsageConstraint,
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

/// The Apple policy a Chrome key purpose runs under, or why it is skipped.
fn policy_for(key_purpose: &str) -> Result<Box<dyn Policy>, &'static str> {
    match key_purpose {
        "ANY_EKU" => Ok(Box::new(BasicX509)),
        "SERVER_AUTH" | "SERVER_AUTH_STRICT" | "SERVER_AUTH_STRICT_LEAF" => {
            Ok(Box::new(Ssl::server_any_host()))
        }
        "CLIENT_AUTH" | "CLIENT_AUTH_STRICT" | "CLIENT_AUTH_STRICT_LEAF" => {
            Ok(Box::new(Ssl::client(None::<String>)))
        }
        "C2PA_MANIFEST" | "C2PA_TIMESTAMPING" => Err("no Apple policy for C2PA signing"),
        "MLS_CLIENT_AUTH" => Err("no Apple policy for MLS client authentication"),
        other => panic!("unknown key_purpose {other}"),
    }
}

fn evaluate(dir: &Path, case: &Case, policy: &dyn Policy) -> sectrust::Verdict {
    let pem = std::fs::read_to_string(dir.join(&case.chain)).unwrap();
    let chain = Certificate::from_pem_bundle(&pem).unwrap();
    let (leaf, rest) = chain.split_first().unwrap();
    let last = chain.last().unwrap().clone();
    let mut builder = TrustEvaluator::builder()
        .platform(Platform::latest())
        .verify_time_unix(utc_time(&case.utc_time));
    match case.last_cert_trust.as_str() {
        // Trusted only as the target: an anchor when it is the target, otherwise no anchor.
        t if t.starts_with("TRUSTED_LEAF") => {
            if chain.len() == 1 {
                builder = builder.anchors([last]);
            }
        }
        t if t.starts_with("TRUSTED_ANCHOR") => builder = builder.anchors([last]),
        "DISTRUSTED" => {
            builder = builder.user_trust([TrustSetting::with_constraint(
                last,
                UsageConstraint::result(TrustSettingResult::Deny),
            )])
        }
        "UNSPECIFIED" => {}
        other => panic!("unknown last_cert_trust {other}"),
    }
    builder.build().evaluate(leaf, rest, &[policy]).unwrap()
}

/// Per key purpose: (run, deviating, skipped).
type Tally = BTreeMap<String, (usize, usize, usize)>;

#[test]
fn chromium_cases_agree_except_listed_apple_deviations() {
    let Some(root) = suite_dir("chromium-verify") else {
        return;
    };
    let mut deviating = BTreeMap::new();
    let mut tally = Tally::new();
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
            let id = format!(
                "{}/{}",
                dir.file_name().unwrap().to_string_lossy(),
                test.file_name().unwrap().to_string_lossy()
            );
            let counts = tally.entry(case.key_purpose.clone()).or_default();
            let policy = match policy_for(&case.key_purpose) {
                Ok(policy) => policy,
                Err(reason) => {
                    eprintln!("SKIPPED {id}: {} — {reason}", case.key_purpose);
                    counts.2 += 1;
                    continue;
                }
            };
            counts.0 += 1;
            let v = evaluate(&dir, &case, policy.as_ref());
            if v.is_trusted() != case.expect_success {
                counts.1 += 1;
                let got: Vec<String> = v
                    .failures()
                    .iter()
                    .map(|f| format!("{}@{}", f.check, f.cert_index))
                    .collect();
                deviating.insert(
                    id,
                    format!(
                        "{}: expected success={}, got {} [{}]",
                        case.key_purpose,
                        case.expect_success,
                        v.result(),
                        got.join(", ")
                    ),
                );
            }
        }
    }
    for (purpose, (run, dev, skipped)) in &tally {
        eprintln!(
            "chromium-verify {purpose}: {run} run, {} agree, {dev} deviate, {skipped} skipped",
            run - dev
        );
    }
    let run = tally.values().map(|t| t.0).sum();
    for purpose in ["ANY_EKU", "SERVER_AUTH", "CLIENT_AUTH"] {
        assert!(
            tally.get(purpose).is_some_and(|t| t.0 > 0),
            "no {purpose} case found"
        );
    }
    check_deviations(
        "chromium-verify",
        &deviating,
        &load_deviations("chromium.tsv"),
        run,
    );
}
