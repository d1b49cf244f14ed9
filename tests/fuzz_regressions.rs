//! The fuzz targets' regression corpus as a normal test: every file of
//! `fuzz/regressions/<target>/` goes through the same code as that target (`fuzz/src`, included
//! by path; `case_format` through the example's `sectrust cases`), which panics when an
//! invariant breaks. Files named below also have their outcome pinned: an error of a specific
//! kind, or a specific verdict. See `fuzz/README.md`.

#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::process::Command;

use harness::chain::Evaluated;
use sectrust::formats::FormatError;
use sectrust::{Check, Error};

/// Every regression input of `target`, by file name, sorted.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let name = path
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("readable"))
        })
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    files
}

/// The one input named `name` (it must exist: pinned files are part of the corpus).
fn input<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, bytes)| bytes.as_slice())
        .unwrap_or_else(|| panic!("regression input {name} is missing"))
}

/// Whether `err` is a malformed-DER certificate error.
fn is_malformed(err: &Error) -> bool {
    matches!(err, Error::Malformed { .. })
}

/// The verdict of `policy` among one input's evaluations.
fn verdict<'a>(evaluated: &'a [Evaluated], policy: &str) -> &'a sectrust::verdict::VerdictRecord {
    &evaluated
        .iter()
        .find(|e| e.policy == policy)
        .unwrap_or_else(|| panic!("no {policy} evaluation"))
        .record
}

/// The checks that failed in a verdict.
fn failed(record: &sectrust::verdict::VerdictRecord) -> Vec<Check> {
    record.failures.iter().map(|f| f.check).collect()
}

#[test]
fn certificate_der() {
    let files = inputs("certificate_der");
    for (name, bytes) in &files {
        let _ = harness::certificate_der(bytes)
            .map_err(|e| assert!(!e.to_string().is_empty(), "{name}"));
    }
    let leaf = harness::certificate_der(input(&files, "leaf.der")).expect("the leaf parses");
    assert_eq!(
        leaf.subject().common_names().collect::<Vec<_>>(),
        ["www.example.com"]
    );
    for name in [
        "truncated.der",
        "trailing-byte.der",
        "nested-too-deep.der",
        "empty.der",
        "huge-length.der",
    ] {
        let err = harness::certificate_der(input(&files, name)).expect_err(name);
        assert!(is_malformed(&err), "{name}: {err:?}");
    }
}

#[test]
fn pem_bundle() {
    let files = inputs("pem_bundle");
    for (_, bytes) in &files {
        let _ = harness::pem_bundle(bytes);
    }
    let chain = harness::pem_bundle(input(&files, "chain.pem")).expect("three certificates");
    assert_eq!(chain.len(), 3);
    for name in ["missing-end.pem", "bad-base64.pem", "no-certificate.pem"] {
        let err = harness::pem_bundle(input(&files, name)).expect_err(name);
        assert!(matches!(err, Error::Pem { .. }), "{name}: {err:?}");
    }
}

#[test]
fn evaluate_chain() {
    let files = inputs("evaluate_chain");
    for (_, bytes) in &files {
        let _ = harness::chain::evaluate_chain(bytes);
    }
    let run = |name| harness::chain::evaluate_chain(input(&files, name)).expect("the leaf parses");

    let trusted = run("trusted.bin");
    for e in &trusted {
        assert!(e.record.failures.is_empty(), "{}: {:?}", e.policy, e.record);
    }
    let mismatch = run("hostname-mismatch.bin");
    assert_eq!(failed(verdict(&mismatch, "ssl")), [Check::SslHostname]);
    assert!(verdict(&mismatch, "basic").failures.is_empty());

    let missing = run("missing-intermediate.bin");
    assert!(failed(verdict(&missing, "basic")).contains(&Check::MissingIntermediate));

    // A loop (two CAs that issued each other) ends without an anchor: not trusted, and the
    // search stays small.
    let looped = run("loop.bin");
    assert_eq!(
        failed(verdict(&looped, "basic")),
        [Check::MissingIntermediate]
    );
    for e in &looped {
        assert!(!e.record.failures.is_empty(), "{}", e.policy);
        assert!(
            e.record.work.paths <= 4 && !e.record.work.exhausted,
            "{:?}",
            e.record.work
        );
    }

    // S/MIME on iOS 5.1 for the certificate's only address: trusted; its EKU
    // (emailProtection only) fails SSL.
    let ios5 = run("ios5-smime.bin");
    assert!(verdict(&ios5, "smime").failures.is_empty());
    assert_eq!(failed(verdict(&ios5, "ssl")), [Check::ExtendedKeyUsage]);
}

#[test]
fn evaluate_structured() {
    for (name, bytes) in inputs("evaluate_structured") {
        let evaluated = harness::structured::evaluate_structured(&bytes);
        if name.starts_with("generated-") {
            assert_eq!(evaluated.map(|e| e.len()), Some(3), "{name}");
        }
    }
}

#[test]
fn pkcs12() {
    let files = inputs("pkcs12");
    for (_, bytes) in &files {
        let _ = harness::pkcs12(bytes);
    }
    let read = |name| harness::pkcs12(input(&files, name)).expect("a password byte");
    let err = read("wrong-mac.p12").expect_err("wrong password");
    assert!(
        matches!(err, Error::Format(FormatError::WrongPassword { .. })),
        "{err:?}"
    );
    for name in ["empty-pfx.p12", "version-2.p12"] {
        let err = read(name).expect_err(name);
        assert!(matches!(err, Error::Format(_)), "{name}: {err:?}");
    }
}

#[test]
fn mobileconfig() {
    let files = inputs("mobileconfig");
    for (_, bytes) in &files {
        let _ = harness::mobileconfig(bytes);
    }
    let read = |name| harness::mobileconfig(input(&files, name)).expect("a password byte");
    for name in ["roots.mobileconfig", "roots-binary.mobileconfig"] {
        let profile = read(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(profile.identifier, "com.example.seed");
        assert_eq!(
            (profile.roots.len(), profile.certificates.len()),
            (1, 2),
            "{name}"
        );
        assert_eq!(
            profile.other_payload_types,
            ["com.apple.wifi.managed"],
            "{name}"
        );
    }
    for name in ["deep-nesting.mobileconfig", "bad-base64.mobileconfig"] {
        let err = read(name).expect_err(name);
        assert!(matches!(err, Error::Format(_)), "{name}: {err:?}");
    }
}

/// Runs `sectrust cases FILE` (the example; examples have no `CARGO_BIN_EXE_*`).
fn cases(file: &Path) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .args(["--example", "sectrust", "--", "cases"])
        .arg(file)
        .output()
        .expect("cargo runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8 output");
    (out.status.code(), text(out.stdout), text(out.stderr))
}

#[test]
fn case_format() {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/case_format");
    for (name, bytes) in inputs("case_format") {
        let (code, stdout, stderr) = cases(&dir.join(&name));
        match code {
            // Read: one line per case (as the target asserts), each an object with id and result.
            Some(0) => {
                let want = serde_json::from_slice::<serde_json::Value>(&bytes)
                    .ok()
                    .and_then(|v| v["cases"].as_array().map(Vec::len));
                assert_eq!(Some(stdout.lines().count()), want, "{name}: {stdout}");
                for line in stdout.lines() {
                    let v: serde_json::Value = serde_json::from_str(line).expect("JSON lines");
                    assert!(
                        v.get("id").is_some() && v["result"].is_string(),
                        "{name}: {line}"
                    );
                }
            }
            // Not a case file: a message, nothing on stdout.
            Some(2) => assert!(stdout.is_empty() && !stderr.is_empty(), "{name}: {stderr}"),
            other => panic!("{name}: exit {other:?} (a panic is 101)\n{stderr}"),
        }
        let expected_code = match name.as_str() {
            "cases.json" => Some(0),
            "not-json.json" | "not-a-case-file.json" | "deep-nesting.json" => Some(2),
            _ => None,
        };
        if let Some(want) = expected_code {
            assert_eq!(code, Some(want), "{name}: {stderr}");
        }
        if name == "cases.json" {
            let lines: Vec<serde_json::Value> = stdout
                .lines()
                .map(|l| serde_json::from_str(l).expect("JSON"))
                .collect();
            let result = |id: &str| {
                lines
                    .iter()
                    .find(|l| l["id"] == id)
                    .map(|l| l["result"].as_str().unwrap_or_default().to_owned())
            };
            // The 10-year test leaf is too long-lived for TLS on iOS 13 (825 days at most).
            let ssl = lines
                .iter()
                .find(|l| l["id"] == "ssl")
                .expect("the ssl line");
            assert_eq!(ssl["result"], "recoverable_trust_failure", "{stdout}");
            assert_eq!(
                ssl["failures"][0]["check"], "ValidityPeriodMaximums",
                "{stdout}"
            );
            for id in ["smime", "revocation"] {
                assert_eq!(result(id).as_deref(), Some("unspecified"), "{id}: {stdout}");
            }
            assert_eq!(result("bad").as_deref(), Some("input_error"), "{stdout}");
        }
    }
}
