//! Parses the shared corpora (Apple's root store snapshots and NIST PKITS) and checks the
//! parsed facts against `apple-roots/stores.json`. Each corpus is skipped, with a message, when
//! `../shared` is absent.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sectrust::Certificate;
use sectrust::crypto::{HashAlgorithm, SignatureAlgorithm};

const APPLE_ROOTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/apple-roots");
const PKITS_CERTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/conformance/pkits/certs"
);

/// `*.google.com.cer` (revoked DigiNotar-era certificate): encodes `critical FALSE`
/// explicitly (a DER violation). Apple accepts it, and so does this parser.
const EXPLICIT_CRITICAL_FALSE: &str =
    "60b35c92f6c7cf23ac6152a8965afe1650b5e0a2a81a9ec2d6dab254f288a04d";

/// Files with extension `ext` in `dir`, sorted; `None` (and a message) when `dir` is absent.
fn files(dir: &str, ext: &str) -> Option<Vec<PathBuf>> {
    let Ok(entries) = fs::read_dir(dir) else {
        eprintln!("skipping: {dir} not found (the corpus lives in ../shared beside the checkout)");
        return None;
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    Some(out)
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash_name(alg: &SignatureAlgorithm) -> String {
    match alg.hash() {
        Some(HashAlgorithm::Md2) => "md2".into(),
        Some(HashAlgorithm::Md4) => "md4".into(),
        Some(HashAlgorithm::Md5) => "md5".into(),
        Some(HashAlgorithm::Sha1) => "sha1".into(),
        Some(HashAlgorithm::Sha224) => "sha224".into(),
        Some(HashAlgorithm::Sha256) => "sha256".into(),
        Some(HashAlgorithm::Sha384) => "sha384".into(),
        Some(HashAlgorithm::Sha512) => "sha512".into(),
        None => format!("{alg}"),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` to Unix seconds.
fn unix(s: &str) -> i64 {
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let (y2, m2) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + (153 * m2 + 2) / 5 + d - 1;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)
}

#[test]
fn apple_roots_parse_and_match_stores_json() {
    let Some(paths) = files(&format!("{APPLE_ROOTS}/certs"), "cer") else {
        return;
    };
    let stores: serde_json::Value =
        serde_json::from_slice(&fs::read(format!("{APPLE_ROOTS}/stores.json")).unwrap()).unwrap();
    let meta = stores["certificates"].as_object().unwrap();

    let mut failures = BTreeMap::new();
    let mut mismatches = Vec::new();
    for path in &paths {
        let name = stem(path);
        let der = fs::read(path).unwrap();
        let cert = match Certificate::from_der(&der) {
            Ok(c) => c,
            Err(e) => {
                failures.insert(name, e.to_string());
                continue;
            }
        };
        assert_eq!(cert.sha256_hex(), name, "file name is the DER's SHA-256");
        let m = &meta[&name];
        let mut check = |field: &str, ours: String, theirs: &str| {
            if ours != theirs {
                mismatches.push(format!(
                    "{name} {field}: ours {ours:?}, stores.json {theirs:?}"
                ));
            }
        };
        check(
            "spki_sha256",
            hex(cert.spki_sha256()),
            m["spki_sha256"].as_str().unwrap(),
        );
        check(
            "key",
            cert.public_key().to_string(),
            m["key"].as_str().unwrap(),
        );
        check(
            "signature_hash",
            hash_name(cert.signature_algorithm()),
            m["signature_hash"].as_str().unwrap(),
        );
        check(
            "not_before",
            cert.not_before().to_string(),
            &unix(m["not_before"].as_str().unwrap()).to_string(),
        );
        check(
            "not_after",
            cert.not_after().to_string(),
            &unix(m["not_after"].as_str().unwrap()).to_string(),
        );
        // stores.json's metadata for the explicit-FALSE certificate came from a cleaned copy,
        // so its subject string is still comparable.
        check(
            "subject",
            cert.subject().to_string(),
            m["subject"].as_str().unwrap(),
        );
    }
    eprintln!(
        "apple-roots: {} of {} certificates parsed",
        paths.len() - failures.len(),
        paths.len()
    );
    assert_eq!(paths.len(), meta.len(), "one file per stores.json entry");
    assert!(failures.is_empty(), "unparsed: {failures:#?}");
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );

    // The explicit `critical FALSE` certificate parses, with the flag read as false.
    let google = Certificate::from_der(
        &fs::read(format!("{APPLE_ROOTS}/certs/{EXPLICIT_CRITICAL_FALSE}.cer")).unwrap(),
    )
    .unwrap();
    assert!(google.extensions().list.iter().any(|e| !e.critical));
    assert!(google.extensions().unparseable.is_empty());
}

#[test]
fn pkits_certificates_parse() {
    let Some(paths) = files(PKITS_CERTS, "crt") else {
        return;
    };
    let mut failures = BTreeMap::new();
    for path in &paths {
        if let Err(e) = Certificate::from_der(&fs::read(path).unwrap()) {
            failures.insert(stem(path), e.to_string());
        }
    }
    eprintln!(
        "pkits: {} of {} certificates parsed",
        paths.len() - failures.len(),
        paths.len()
    );
    assert!(!paths.is_empty());
    assert!(failures.is_empty(), "unparsed: {failures:#?}");

    // Spot checks of PKITS structures that strict parsers get wrong.
    let read = |name: &str| {
        Certificate::from_der(&fs::read(format!("{PKITS_CERTS}/{name}.crt")).unwrap()).unwrap()
    };
    // notBefore 1950 as UTCTime "500101120100Z": before the Unix epoch.
    assert!(read("Validpre2000UTCnotBeforeDateTest3EE").not_before() < 0);
    // notAfter 2050 as GeneralizedTime.
    assert!(read("ValidGeneralizedTimenotAfterDateTest8EE").not_after() >= 2_524_608_000);
}
