//! The `sectrust cases FILE|-` runner as a program (`case-format.md`): exit codes, one line per
//! case, input errors naming the field, and end-to-end verdicts on generated certificates.
//!
//! Each test writes its case file (and certificates) into a fresh temporary folder and runs
//! `cargo run --example sectrust -- cases FILE` (examples have no `CARGO_BIN_EXE_*`).

#[path = "../examples/sectrust/rfc3339.rs"]
mod rfc3339;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sectrust::Certificate;
use sectrust::testing::{CertBuilder, Pki};
use serde_json::{Value, json};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// What one run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Standard output as JSON lines.
    fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    /// The single output line.
    fn line(&self) -> Value {
        let lines = self.lines();
        assert_eq!(
            lines.len(),
            1,
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        lines.into_iter().next().unwrap_or_default()
    }
}

/// Runs the example with `args` in `dir`, feeding `stdin`.
fn sectrust(dir: &Path, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .args(["--example", "sectrust", "--"])
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    input
        .write_all(stdin.as_bytes())
        .expect("stdin is writable");
    drop(input);
    let out = child.wait_with_output().expect("cargo finishes");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "sectrust-cases-runner-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `contents` to `name` in this folder.
    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write temp file");
        path
    }

    /// Writes a version-1 case file holding `cases` and runs it.
    fn run_cases(&self, cases: Value) -> Run {
        let file = self.write(
            "cases.json",
            json!({"version": 1, "cases": cases}).to_string(),
        );
        sectrust(self.path(), &["cases", &file.to_string_lossy()], "")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `cert` as PEM text.
fn pem(cert: &Certificate) -> String {
    let b64 = BASE64.encode(cert.der());
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

fn basic() -> Value {
    json!([{"kind": "basic"}])
}

fn assert_input_error(line: &Value, id: Value, message_start: &str) {
    assert_eq!(line["result"], "input_error", "{line}");
    assert_eq!(line["id"], id, "{line}");
    let message = line["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(message_start),
        "message {message:?} should start with {message_start:?}"
    );
    let keys: Vec<&str> = line
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys.len(), 3, "{line}");
}

// ---- File-level behaviour (works without certificate parsing) ----

#[test]
fn malformed_json_exits_2_with_a_message() {
    let dir = TempDir::new("malformed-json");
    let file = dir.write("cases.json", "{\"cases\": [");
    let run = sectrust(dir.path(), &["cases", &file.to_string_lossy()], "");
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("not valid JSON"), "{}", run.stderr);
}

#[test]
fn unreadable_file_exits_2() {
    let dir = TempDir::new("unreadable");
    let run = sectrust(dir.path(), &["cases", "no-such-file.json"], "");
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
}

#[test]
fn json_that_is_not_a_case_file_exits_2() {
    let dir = TempDir::new("not-a-case-file");
    for text in [
        "[]",
        "{}",
        "{\"cases\": 3}",
        "{\"version\": 2, \"cases\": []}",
    ] {
        let run = sectrust(dir.path(), &["cases", "-"], text);
        assert_eq!(run.code, Some(2), "{text}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{text}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = TempDir::new("usage");
    for args in [
        &["cases"][..],
        &["frobnicate"][..],
        &["cases", "a", "b"][..],
    ] {
        let run = sectrust(dir.path(), args, "");
        assert_eq!(run.code, Some(2), "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(
            run.stderr.contains("sectrust cases FILE|-"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn unknown_platform_is_an_input_error_naming_the_field() {
    let dir = TempDir::new("unknown-platform");
    let run = dir.run_cases(json!([
        {"id": "p", "platform": "ios-99.0", "leaf": "file:leaf.pem", "policies": basic()}
    ]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_input_error(
        &run.line(),
        json!("p"),
        "cases[0].platform: unknown platform \"ios-99.0\"",
    );
}

#[test]
fn unreadable_certificate_references_are_input_errors() {
    let dir = TempDir::new("bad-references");
    let run = dir.run_cases(json!([
        {"id": "b64", "leaf": "not base64!", "policies": basic()},
        {"id": "file", "leaf": "file:missing/leaf.pem", "policies": basic()},
        {"id": "inter", "leaf": "file:x", "intermediates": ["MAA=", 7], "policies": basic()},
        {"id": "empty", "leaf": "", "policies": basic()},
    ]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines = run.lines();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert_input_error(
        &lines[0],
        json!("b64"),
        "cases[0].leaf: not PEM, base64 or a file: reference",
    );
    assert_input_error(
        &lines[1],
        json!("file"),
        "cases[1].leaf: cannot read file \"missing/leaf.pem\"",
    );
    assert_input_error(
        &lines[2],
        json!("inter"),
        "cases[2].intermediates[1]: expected a string, found a number",
    );
    assert_input_error(&lines[3], json!("empty"), "cases[3].leaf: empty reference");
}

#[test]
fn one_line_per_case_in_order_with_ids_echoed() {
    let dir = TempDir::new("one-line-per-case");
    let run = dir.run_cases(json!([
        {"id": "a", "platform": "android-14", "leaf": "x", "policies": basic()},
        {"id": "b", "leaf": "file:nope.pem", "policies": [{"kind": "ssl", "hostname": "x"}]},
        {"leaf": "x", "policies": basic()},
        "not a case",
        {"id": "e", "leaf": "x", "policies": [{"kind": "telepathy"}]},
    ]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines = run.lines();
    let ids: Vec<&Value> = lines.iter().map(|l| &l["id"]).collect();
    assert_eq!(
        ids,
        [
            &json!("a"),
            &json!("b"),
            &Value::Null,
            &Value::Null,
            &json!("e")
        ]
    );
    assert_input_error(
        &lines[1],
        json!("b"),
        "cases[1].leaf: cannot read file \"nope.pem\"",
    );
    assert_input_error(
        &lines[2],
        Value::Null,
        "cases[2].id: missing required field",
    );
    assert_input_error(
        &lines[3],
        Value::Null,
        "cases[3]: expected an object, found a string",
    );
    assert_input_error(
        &lines[4],
        json!("e"),
        "cases[4].policies[0].kind: unknown policy kind \"telepathy\"",
    );
}

#[test]
fn standard_input_resolves_files_from_the_current_directory() {
    let dir = TempDir::new("stdin");
    let text = json!({"cases": [{"id": "s", "leaf": "file:here.pem", "policies": basic()}]});
    let run = sectrust(dir.path(), &["cases", "-"], &text.to_string());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = run.line();
    assert_input_error(
        &line,
        json!("s"),
        "cases[0].leaf: cannot read file \"here.pem\"",
    );
}

// ---- End to end (needs certificate parsing and the fixtures) ----

/// A PKI written to `dir`: `root.pem` (PEM), `intermediate.der` (DER), and the leaf's base64;
/// plus a verify time inside the leaf's validity.
struct Written {
    pki: Pki,
    leaf_b64: String,
    verify_time: i64,
}

fn write_pki(dir: &TempDir) -> Written {
    let pki = Pki::new();
    dir.write("root.pem", pem(&pki.root.cert));
    dir.write("intermediate.der", pki.intermediate.cert.der());
    let leaf = &pki.leaf.cert;
    let verify_time = leaf.not_before() / 2 + leaf.not_after() / 2;
    Written {
        leaf_b64: BASE64.encode(leaf.der()),
        verify_time,
        pki,
    }
}

fn at(t: i64) -> String {
    rfc3339::format(t)
}

#[test]
fn malformed_der_is_an_input_error() {
    let dir = TempDir::new("malformed-der");
    let run = dir.run_cases(json!([
        {"id": "m", "leaf": "MAMCAQU=", "policies": basic()}
    ]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_input_error(
        &run.line(),
        json!("m"),
        "cases[0].leaf: malformed certificate",
    );
}

#[test]
fn good_chain_is_trusted_with_its_fingerprints() {
    let dir = TempDir::new("good-chain");
    let w = write_pki(&dir);
    let run = dir.run_cases(json!([{
        "id": "good",
        "platform": "ios-13.0",
        "verify_time": at(w.verify_time),
        "leaf": w.leaf_b64,
        "intermediates": ["file:intermediate.der"],
        "anchors": ["file:root.pem"],
        "policies": basic(),
    }]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let chain: Vec<String> = [&w.pki.leaf.cert, &w.pki.intermediate.cert, &w.pki.root.cert]
        .iter()
        .map(|c| c.sha256_hex())
        .collect();
    assert_eq!(
        run.stdout,
        format!(
            "{{\"id\":\"good\",\"result\":\"unspecified\",\"trusted\":true,\"chain\":{},\
             \"failures\":[],\"error\":null}}\n",
            json!(chain)
        )
    );
}

#[test]
fn expired_leaf_fails_temporal_validity_or_valid_leaf() {
    let dir = TempDir::new("expired");
    let w = write_pki(&dir);
    let expired = CertBuilder::new("CN=Expired")
        .issued_by(&w.pki.intermediate)
        .validity(
            &at(w.verify_time - 200 * DAY),
            &at(w.verify_time - 100 * DAY),
        )
        .build();
    dir.write("expired.pem", pem(&expired.cert));
    let case = |id: &str, platform: &str| {
        json!({
            "id": id, "platform": platform, "verify_time": at(w.verify_time),
            "leaf": "file:expired.pem", "intermediates": ["file:intermediate.der"],
            "anchors": ["file:root.pem"], "policies": basic(),
        })
    };
    let run = dir.run_cases(json!([
        case("ios13", "ios-13.0"),
        case("ios12", "ios-12.0")
    ]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines = run.lines();
    for (line, check) in lines.iter().zip(["TemporalValidity", "ValidLeaf"]) {
        assert_eq!(line["result"], "recoverable_trust_failure", "{line}");
        assert_eq!(line["trusted"], false, "{line}");
        assert_eq!(line["chain"].as_array().map(Vec::len), Some(3), "{line}");
        assert_eq!(
            line["failures"],
            json!([{"cert": 0, "check": check, "os_status": -67818}]),
            "{line}"
        );
        assert_eq!(line["error"]["os_status"], -67818, "{line}");
        let message = line["error"]["message"].as_str().unwrap_or_default();
        assert!(message.ends_with("certificate is expired"), "{line}");
    }
}

#[test]
fn missing_intermediate_is_reported() {
    let dir = TempDir::new("missing-intermediate");
    let w = write_pki(&dir);
    let run = dir.run_cases(json!([{
        "id": "mi", "platform": "ios-13.0", "verify_time": at(w.verify_time),
        "leaf": w.leaf_b64, "anchors": ["file:root.pem"], "policies": basic(),
    }]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = run.line();
    assert_eq!(line["trusted"], false, "{line}");
    let failures = line["failures"].as_array().cloned().unwrap_or_default();
    assert!(
        failures
            .iter()
            .any(|f| f["check"] == "MissingIntermediate" && f["os_status"] == -25318),
        "{line}"
    );
    assert_eq!(line["error"]["os_status"], -25318, "{line}");
}

#[test]
fn trust_settings_and_system_anchors_reach_the_evaluator() {
    let dir = TempDir::new("trust-sources");
    let w = write_pki(&dir);
    let case = |id: &str, extra: Value| {
        let mut c = json!({
            "id": id, "platform": "ios-13.0", "verify_time": at(w.verify_time),
            "leaf": w.leaf_b64, "intermediates": ["file:intermediate.der"], "policies": basic(),
        });
        for (k, v) in extra.as_object().cloned().unwrap_or_default() {
            c[k] = v;
        }
        c
    };
    let run = dir.run_cases(json!([
        case("user", json!({"user_trust": [{"cert": "file:root.pem"}]})),
        case(
            "deny",
            json!({"user_trust": [{"cert": "file:root.pem", "result": "deny"}]})
        ),
        case("system", json!({"system_anchors": ["file:root.pem"]})),
        case("none", json!({})),
    ]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let results: Vec<(Value, Value)> = run
        .lines()
        .iter()
        .map(|l| (l["id"].clone(), l["result"].clone()))
        .collect();
    assert_eq!(
        results,
        [
            (json!("user"), json!("proceed")),
            (json!("deny"), json!("deny")),
            (json!("system"), json!("unspecified")),
            (json!("none"), json!("recoverable_trust_failure")),
        ]
    );
}

#[test]
fn pem_bundles_add_every_certificate() {
    let dir = TempDir::new("bundle");
    let w = write_pki(&dir);
    let bundle = pem(&w.pki.intermediate.cert) + &pem(&w.pki.root.cert);
    dir.write("chain.pem", &bundle);
    let run = dir.run_cases(json!([{
        "id": "bundle", "platform": "macos-10.7", "verify_time": at(w.verify_time),
        "leaf": pem(&w.pki.leaf.cert), "intermediates": ["file:chain.pem"],
        "anchors": ["file:root.pem"], "policies": basic(),
    }]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = run.line();
    assert_eq!(line["result"], "unspecified", "{line}");
    assert_eq!(line["chain"].as_array().map(Vec::len), Some(3), "{line}");
}

#[test]
fn smime_policy_and_the_ios5_quirk_reach_the_evaluator() {
    let dir = TempDir::new("smime");
    let w = write_pki(&dir);
    let leaf = CertBuilder::new("CN=Jane Appleseed")
        .issued_by(&w.pki.intermediate)
        .email("jane@mac.com")
        .eku(&[sectrust::testing::oids::email_protection()])
        .build();
    dir.write("leaf.pem", pem(&leaf.cert));
    let case = |id: &str, platform: &str, quirks: Value| {
        json!({
            "id": id, "platform": platform, "verify_time": at(w.verify_time),
            "leaf": "file:leaf.pem", "intermediates": ["file:intermediate.der"],
            "anchors": ["file:root.pem"],
            "policies": [{"kind": "smime", "email": "jane@me.com", "aliases": ["jane@mac.com"],
                          "usage": ["sign"]}],
            "quirks": quirks,
        })
    };
    let run = dir.run_cases(json!([
        case("macos", "macos-10.7", Value::Null),
        case("ios6", "ios-6.0", Value::Null),
        case("ios5", "ios-5.1", Value::Null),
        case(
            "ios5-case",
            "ios-5.1",
            json!({"ios5_smime": "case_sensitive_address"})
        ),
    ]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines = run.lines();
    let results: Vec<(&Value, &Value)> = lines.iter().map(|l| (&l["id"], &l["result"])).collect();
    assert_eq!(
        results,
        [
            (&json!("macos"), &json!("unspecified")),
            (&json!("ios6"), &json!("unspecified")),
            (&json!("ios5"), &json!("recoverable_trust_failure")),
            (&json!("ios5-case"), &json!("unspecified")),
        ]
    );
    assert_eq!(
        lines[2]["failures"],
        json!([{"cert": 0, "check": "Email", "os_status": -67623}])
    );
    assert_eq!(
        lines[2]["error"]["message"],
        "“Jane Appleseed” certificate name does not match input"
    );
}

/// ios-12.0: the fixture leaf lives ten years, which the 825-day rule of iOS 13 would reject.
#[test]
fn ssl_policy_checks_the_hostname() {
    let dir = TempDir::new("ssl-hostname");
    let w = write_pki(&dir);
    let case = |id: &str, host: &str| {
        json!({
            "id": id, "platform": "ios-12.0", "verify_time": at(w.verify_time),
            "leaf": w.leaf_b64, "intermediates": ["file:intermediate.der"],
            "anchors": ["file:root.pem"],
            "policies": [{"kind": "ssl", "server": true, "hostname": host}],
        })
    };
    let run = dir.run_cases(json!([
        case("match", sectrust::testing::Pki::HOSTNAME),
        case("mismatch", "bad.apple.com"),
    ]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines = run.lines();
    assert_eq!(lines[0]["result"], "unspecified", "{}", lines[0]);
    assert_eq!(
        lines[1]["result"], "recoverable_trust_failure",
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[1]["failures"],
        json!([{"cert": 0, "check": "SSLHostname", "os_status": -67602}])
    );
    assert_eq!(lines[1]["error"]["os_status"], -67602);
}

#[test]
fn ocsp_responses_crls_and_the_revocation_policy_reach_the_evaluator() {
    use sectrust::revocation::ocsp::CertStatus;
    use sectrust::testing::{CrlBuilder, OcspResponder};
    let dir = TempDir::new("revocation");
    let w = write_pki(&dir);
    let t = Pki::T_VALID;
    let revoked = CertStatus::Revoked {
        time: t - DAY,
        reason: Some(1),
    };
    let ocsp = OcspResponder::new(&w.pki.intermediate).respond(&w.pki.leaf, revoked);
    let crl = CrlBuilder::new(&w.pki.intermediate)
        .revoke(&w.pki.leaf, t - DAY, Some(4))
        .build();
    dir.write("leaf.crl", &crl);
    let case = |id: &str, platform: &str, policies: Value, ocsp: Vec<String>, crls: Vec<&str>| {
        json!({
            "id": id,
            "platform": platform,
            "verify_time": at(t),
            "leaf": w.leaf_b64,
            "intermediates": ["file:intermediate.der"],
            "anchors": ["file:root.pem"],
            "policies": policies,
            "ocsp_responses": ocsp,
            "crls": crls,
        })
    };
    let crl_policy = json!([{"kind": "basic"}, {"kind": "revocation", "method": "crl"}]);
    let required = json!([{"kind": "basic"},
        {"kind": "revocation", "method": "ocsp", "require_positive_response": true}]);
    let run = dir.run_cases(json!([
        case(
            "stapled",
            "ios-17.0",
            basic(),
            vec![BASE64.encode(&ocsp)],
            vec![]
        ),
        case(
            "crl-macos",
            "macos-10.13",
            crl_policy.clone(),
            vec![],
            vec!["file:leaf.crl"]
        ),
        case(
            "crl-ios",
            "ios-17.0",
            crl_policy,
            vec![],
            vec!["file:leaf.crl"]
        ),
        case("required", "ios-17.0", required, vec![], vec![]),
    ]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines = run.lines();
    let failure = |l: &Value| (l["result"].clone(), l["failures"].clone());
    assert_eq!(
        failure(&lines[0]),
        (
            json!("fatal_trust_failure"),
            json!([{"cert": 0, "check": "Revocation", "os_status": -67820}])
        ),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1]["result"], "fatal_trust_failure", "{}", lines[1]);
    assert_eq!(lines[2]["result"], "unspecified", "{}", lines[2]);
    assert_eq!(
        failure(&lines[3]),
        (
            json!("recoverable_trust_failure"),
            json!([{"cert": 0, "check": "RevocationResponseRequired", "os_status": -67635}])
        ),
        "{}",
        lines[3]
    );
}
