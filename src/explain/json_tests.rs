//! The JSON shapes of the module docs, pinned by snapshot files under `tests/snapshots/`
//! (regenerate with `SECTRUST_UPDATE_SNAPSHOTS=1 cargo test --all-features --lib explain`).

use super::*;
use crate::testing::{CertBuilder, Issued, oids, unix};
use crate::{Certificate, Platform, Ssl, TrustEvaluator, TrustSetting};

struct Fixture {
    root: Issued,
    inter: Issued,
    cn_only: Issued,
    leaf: Issued,
}

fn fixture() -> Fixture {
    let root = CertBuilder::new("CN=Explain Root,O=sectrust")
        .ca(None)
        .validity("2010-01-01T00:00:00Z", "2040-01-01T00:00:00Z")
        .build();
    let inter = CertBuilder::new("CN=Explain CA,O=sectrust")
        .ca(None)
        .validity("2010-01-01T00:00:00Z", "2040-01-01T00:00:00Z")
        .issued_by(&root)
        .build();
    let leaf_builder = || {
        CertBuilder::new("CN=www.example.com")
            .issued_by(&inter)
            .eku(&[oids::server_auth()])
            .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
    };
    let cn_only = leaf_builder().build();
    let leaf = leaf_builder().dns("www.example.com").build();
    Fixture {
        root,
        inter,
        cn_only,
        leaf,
    }
}

fn evaluator(f: &Fixture) -> TrustEvaluator {
    TrustEvaluator::builder()
        .anchors([f.root.cert.clone()])
        .verify_time_unix(unix("2024-06-01T00:00:00Z"))
        .build()
}

/// Compares `value`'s pretty JSON with `tests/snapshots/{name}.json`.
fn snapshot(name: &str, value: &impl serde::Serialize) {
    let path = format!("{}/tests/snapshots/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let got = serde_json::to_string_pretty(value).unwrap() + "\n";
    if std::env::var_os("SECTRUST_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (set SECTRUST_UPDATE_SNAPSHOTS=1 to create it)"));
    assert_eq!(
        got, want,
        "{path} differs (SECTRUST_UPDATE_SNAPSHOTS=1 regenerates it)"
    );
}

fn inters(f: &Fixture) -> Vec<Certificate> {
    vec![f.inter.cert.clone()]
}

#[test]
fn matrix_json() {
    let f = fixture();
    let set: PlatformSet = "ios-12.4..ios-13.1".parse().unwrap();
    let policy = Ssl::server("www.example.com");
    let m = Matrix::evaluate(
        &evaluator(&f),
        &set,
        &f.cn_only.cert,
        &inters(&f),
        &[&policy],
    )
    .unwrap();
    snapshot("explain_matrix", &m);
}

#[test]
fn diff_json() {
    let f = fixture();
    let ev = evaluator(&f);
    let policy = Ssl::server("www.example.com");
    let eval = |p: Platform| {
        ev.with_platform(p)
            .evaluate(&f.cn_only.cert, &inters(&f), &[&policy])
            .unwrap()
    };
    snapshot(
        "explain_diff",
        &diff(&eval(Platform::ios(12, 0)), &eval(Platform::ios(13, 0))),
    );
}

#[test]
fn diagnosis_json() {
    let f = fixture();
    let ev = TrustEvaluator::builder()
        .user_trust([TrustSetting::profile_root(f.root.cert.clone(), false)])
        .verify_time_unix(unix("2024-06-01T00:00:00Z"))
        .build();
    let policy = Ssl::server("www.example.com");
    let policies: [&dyn crate::Policy; 1] = [&policy];
    let obs = Observation::trusted_on_not_on(Platform::ios(10, 2), Platform::ios(10, 3));
    let d = Diagnoser::new(&ev, &f.leaf.cert, &inters(&f), &policies)
        .diagnose(&obs)
        .unwrap();
    snapshot("explain_diagnosis", &d);
}

/// The founding story (`testing::FoundingStory`): a quirk hypothesis, causes excluded by the
/// control, an observation with a control.
#[test]
fn founding_story_diagnosis_json() {
    let story = crate::testing::FoundingStory::new();
    let policy = crate::testing::FoundingStory::policy();
    let policies: [&dyn crate::Policy; 1] = [&policy];
    let inters = [story.ca.cert.clone()];
    let obs = Observation::trusted_on_not_on(Platform::macos(10, 7), Platform::ios(5, 1));
    let d = Diagnoser::new(&story.evaluator(), &story.alias.cert, &inters, &policies)
        .control(&story.primary.cert)
        .diagnose(&obs)
        .unwrap();
    snapshot("explain_diagnosis_founding_story", &d);
}
