//! Writes the seed corpora, `corpus/<target>/` (not committed), and with `--regressions` also
//! the generated regression inputs of `regressions/<target>/` (committed; the regression test
//! `tests/fuzz_regressions.rs` pins their outcomes). Run from `fuzz/`:
//!
//! ```sh
//! cargo run --bin seeds                 # corpus only
//! cargo run --bin seeds -- --regressions
//! ```
//!
//! Everything is generated here: certificates with `sectrust::testing` (deterministic keys,
//! fixed dates), PKCS#12 files and signed profiles with the `openssl` command when it is
//! installed (skipped otherwise; they go to the corpus only, except the wrong-MAC file).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sectrust::revocation::ocsp::CertStatus;
use sectrust::testing::{CertBuilder, CrlBuilder, Issued, KeyPair, OcspResponder, Pki, oids};
use sectrust_fuzz::{PASSWORDS, pem};

/// Where to write.
struct Out {
    corpus: PathBuf,
    regressions: Option<PathBuf>,
}

impl Out {
    /// A corpus seed.
    fn seed(&self, target: &str, name: &str, bytes: &[u8]) {
        write(&self.corpus.join(target).join(name), bytes);
    }

    /// A regression input (also a seed).
    fn regression(&self, target: &str, name: &str, bytes: &[u8]) {
        self.seed(target, name, bytes);
        if let Some(dir) = &self.regressions {
            write(&dir.join(target).join(name), bytes);
        }
    }
}

fn write(path: &Path, bytes: &[u8]) {
    fs::create_dir_all(path.parent().expect("a folder")).expect("create the folder");
    fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn main() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Out {
        corpus: here.join("corpus"),
        regressions: std::env::args()
            .any(|a| a == "--regressions")
            .then(|| here.join("regressions")),
    };
    let pki = Pki::new();
    let rsa = Pki::rsa(2048);
    let odd = odd_certificates(&pki);

    certificates(&out, &pki, &rsa, &odd);
    pem_bundles(&out, &pki, &odd);
    chains(&out, &pki, &rsa);
    structured(&out);
    case_files(&out, &pki);
    let openssl = OpenSsl::new(&pki);
    pkcs12(&out, openssl.as_ref());
    profiles(&out, &pki, openssl.as_ref());
    println!("seeds written to {}", out.corpus.display());
}

/// Certificates with every kind of field the parser decodes.
fn odd_certificates(pki: &Pki) -> Vec<(&'static str, Issued)> {
    let b = || pki.leaf_builder();
    vec![
        ("v1", b().version(1).build()),
        (
            "md5",
            b().signature_hash(sectrust::crypto::HashAlgorithm::Md5)
                .build(),
        ),
        ("ed25519", b().key(KeyPair::ed25519(9)).build()),
        ("p384", b().key(KeyPair::p384(9)).build()),
        (
            "pss",
            CertBuilder::new("CN=PSS")
                .key(KeyPair::rsa(2048, 9))
                .pss()
                .build(),
        ),
        (
            "san-all",
            b().ip("192.0.2.1".parse().expect("ip"))
                .ip("2001:db8::1".parse().expect("ip"))
                .uri("https://example.com/")
                .san_dir("CN=Dir,O=Example")
                .san_critical(true)
                .build(),
        ),
        (
            "name-constraints",
            pki.intermediate_builder()
                .permitted_dns("example.com")
                .excluded_dns("bad.example.com")
                .permitted_ip("10.0.0.0/8")
                .excluded_ip("2001:db8::/32")
                .permitted_email(".example.com")
                .permitted_dir("O=Example")
                .permitted_uri(".example.com")
                .build(),
        ),
        (
            "policies",
            pki.intermediate_builder()
                .policies(&[oids::test_policy(1), oids::any_policy()])
                .policy_mappings(&[(oids::test_policy(1), oids::test_policy(2))])
                .require_explicit_policy(0)
                .inhibit_policy_mapping(1)
                .inhibit_any_policy(0)
                .build(),
        ),
        (
            "unknown-critical",
            b().extension(
                sectrust::ObjectIdentifier::new_unwrap("1.2.3.4"),
                true,
                vec![5, 0],
            )
            .build(),
        ),
        (
            "expired",
            b().validity("2010-01-01T00:00:00Z", "2011-01-01T00:00:00Z")
                .build(),
        ),
        ("no-ski-aki", b().no_ski().no_aki().build()),
        ("bad-signature", b().corrupt_signature().build()),
        (
            "generalized-time",
            b().validity("2049-01-01T00:00:00Z", "2051-01-01T00:00:00Z")
                .build(),
        ),
    ]
}

fn certificates(out: &Out, pki: &Pki, rsa: &Pki, odd: &[(&str, Issued)]) {
    const T: &str = "certificate_der";
    for (name, issued) in [
        ("root", &pki.root),
        ("intermediate", &pki.intermediate),
        ("rsa-leaf", &rsa.leaf),
        ("rsa-root", &rsa.root),
    ] {
        out.seed(T, &format!("{name}.der"), &issued.der);
    }
    for (name, issued) in odd {
        out.seed(T, &format!("{name}.der"), &issued.der);
    }
    let leaf = &pki.leaf.der;
    out.regression(T, "leaf.der", leaf);
    out.regression(T, "truncated.der", &leaf[..leaf.len() / 2]);
    out.regression(T, "trailing-byte.der", &[leaf.as_slice(), &[0]].concat());
    out.regression(T, "nested-too-deep.der", &nested(10_000));
    out.regression(T, "empty.der", &[]);
    // A length field claiming more than the input (4 GiB).
    out.regression(
        T,
        "huge-length.der",
        &[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x30, 0x00],
    );
}

/// `depth` nested definite-length SEQUENCEs.
fn nested(depth: usize) -> Vec<u8> {
    let mut der = Vec::new();
    for _ in 0..depth {
        let len = der.len();
        let mut head = vec![0x30];
        if len < 0x80 {
            head.push(len as u8);
        } else {
            let bytes = len.to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            head.push(0x80 | (bytes.len() - skip) as u8);
            head.extend_from_slice(&bytes[skip..]);
        }
        der.splice(0..0, head);
    }
    der
}

fn pem_bundles(out: &Out, pki: &Pki, odd: &[(&str, Issued)]) {
    const T: &str = "pem_bundle";
    let chain = format!(
        "leaf\n{}intermediate\n{}root\n{}",
        pki.leaf.pem(),
        pki.intermediate.pem(),
        pki.root.pem()
    );
    out.regression(T, "chain.pem", chain.as_bytes());
    let leaf = pki.leaf.pem();
    out.regression(
        T,
        "missing-end.pem",
        leaf.replace("-----END CERTIFICATE-----", "").as_bytes(),
    );
    out.regression(
        T,
        "bad-base64.pem",
        leaf.replacen("MII", "M!I", 1)
            .replacen("\nM", "\n!", 1)
            .as_bytes(),
    );
    out.regression(
        T,
        "no-certificate.pem",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    out.seed(T, "crlf.pem", leaf.replace('\n', "\r\n").as_bytes());
    out.seed(
        T,
        "trusted-certificate.pem",
        leaf.replace("CERTIFICATE", "TRUSTED CERTIFICATE")
            .as_bytes(),
    );
    out.seed(T, "der.der", &pki.leaf.der);
    let all: String = odd.iter().map(|(_, i)| i.pem()).collect();
    out.seed(T, "odd.pem", all.as_bytes());
    let mixed = format!(
        "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n{}Proc-Type: 4,ENCRYPTED\n{}",
        leaf,
        pem(&[0x30, 0x00])
    );
    out.seed(T, "mixed.pem", mixed.as_bytes());
}

/// An `evaluate_chain` input (layout in `sectrust_fuzz::chain`).
fn chain_input(
    platform: u8,
    flags: u8,
    anchors: u8,
    host: &str,
    email: &str,
    blobs: &[&[u8]],
) -> Vec<u8> {
    let mut v = vec![platform, flags, anchors, host.len() as u8];
    v.extend_from_slice(host.as_bytes());
    v.push(email.len() as u8);
    v.extend_from_slice(email.as_bytes());
    for blob in blobs {
        v.extend_from_slice(&(blob.len() as u16).to_be_bytes());
        v.extend_from_slice(blob);
    }
    v
}

fn chains(out: &Out, pki: &Pki, rsa: &Pki) {
    const T: &str = "evaluate_chain";
    let (leaf, inter, root) = (
        &pki.leaf.der[..],
        &pki.intermediate.der[..],
        &pki.root.der[..],
    );
    // A leaf valid for 152 days around 2024-01-01 (flags 1): within every TLS lifetime limit.
    let short = pki
        .leaf_builder()
        .validity("2023-10-01T00:00:00Z", "2024-03-01T00:00:00Z")
        .build();
    let trusted = [&short.der[..], inter, root];
    out.regression(T, "trusted.bin", &chain_input(0, 1, 1, "", "", &trusted));
    out.regression(
        T,
        "hostname-mismatch.bin",
        &chain_input(0, 1, 1, "other.example.net", "", &trusted),
    );
    out.regression(
        T,
        "missing-intermediate.bin",
        &chain_input(0, 0, 1, "", "", &[leaf, root]),
    );
    // A loop: two CAs that issued each other, the leaf under one of them, no anchor.
    let key_a = KeyPair::p256(21);
    let key_b = KeyPair::p256(22);
    let stand_in_b = CertBuilder::new("CN=Loop B")
        .key(key_b.clone())
        .ca(None)
        .build_der()
        .0;
    let a = CertBuilder::new("CN=Loop A")
        .key(key_a.clone())
        .ca(None)
        .issued_by_der(&stand_in_b, &key_b)
        .build();
    let b = CertBuilder::new("CN=Loop B")
        .key(key_b)
        .ca(None)
        .issued_by(&a)
        .build();
    let looped_leaf = CertBuilder::new("CN=www.example.com")
        .key(KeyPair::p256(23))
        .dns("www.example.com")
        .issued_by(&a)
        .build();
    out.regression(
        T,
        "loop.bin",
        &chain_input(0, 0, 0, "", "", &[&looped_leaf.der, &a.der, &b.der]),
    );
    // S/MIME on iOS 5.1, the address asked for being the certificate's only one.
    let smime = pki
        .leaf_builder()
        .no_san()
        .email("jane@mac.com")
        .eku(&[oids::email_protection()])
        .build();
    out.regression(
        T,
        "ios5-smime.bin",
        &chain_input(
            1,
            0b0000_1000,
            1,
            "",
            "jane@mac.com",
            &[&smime.der, inter, root],
        ),
    );
    out.seed(
        T,
        "rsa.bin",
        &chain_input(
            3,
            1,
            1,
            "",
            "",
            &[&rsa.leaf.der, &rsa.intermediate.der, &rsa.root.der],
        ),
    );
    out.seed(
        T,
        "macos.bin",
        &chain_input(
            2,
            2,
            1,
            "www.example.com",
            "user@example.com",
            &[leaf, inter, root],
        ),
    );
    let expired = pki
        .leaf_builder()
        .validity("2010-01-01T00:00:00Z", "2011-01-01T00:00:00Z")
        .build();
    out.seed(
        T,
        "expired.bin",
        &chain_input(4, 1, 1, "", "", &[&expired.der, inter, root]),
    );
    let cross = pki.intermediate_builder().issued_by(&rsa.root).build();
    out.seed(
        T,
        "cross.bin",
        &chain_input(
            0,
            0,
            2,
            "",
            "",
            &[leaf, inter, &cross.der, root, &rsa.root.der],
        ),
    );
}

fn structured(out: &Out) {
    const T: &str = "evaluate_structured";
    // Pseudo-random inputs of a few sizes (xorshift; arbitrary reads structure from any bytes).
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut kept = 0;
    for i in 0..200 {
        let len = 64 + (i % 8) * 96;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let Some(evaluated) = sectrust_fuzz::structured::evaluate_structured(&bytes) else {
            continue;
        };
        assert_eq!(evaluated.len(), 3);
        out.seed(T, &format!("random-{i}.bin"), &bytes);
        if kept < 3 {
            out.regression(T, &format!("generated-{kept}.bin"), &bytes);
            kept += 1;
        }
    }
}

fn case_files(out: &Out, pki: &Pki) {
    const T: &str = "case_format";
    let b64 = |der: &[u8]| BASE64.encode(der);
    let ocsp = OcspResponder::new(&pki.intermediate).respond(&pki.leaf, CertStatus::Good);
    let crl = CrlBuilder::new(&pki.intermediate)
        .revoke(&pki.leaf, Pki::T_VALID - 86_400, Some(1))
        .build();
    let file = format!(
        r#"{{"version": 1, "cases": [
  {{"id": "ssl", "platform": "ios-13.0", "verify_time": "2024-01-01T00:00:00Z",
    "leaf": "{leaf}", "intermediates": ["{inter}"], "anchors": ["{root}"],
    "policies": [{{"kind": "ssl", "hostname": "www.example.com", "key_usage": ["digital_signature"]}}]}},
  {{"id": "smime", "platform": "ios-5.1", "verify_time": "2024-01-01T00:00:00Z",
    "leaf": {leaf_pem}, "intermediates": ["{inter}"], "anchors": ["{root}"],
    "policies": [{{"kind": "smime", "email": "user@example.com", "aliases": ["u@example.org"], "usage": ["sign", "any_encrypt"]}}],
    "quirks": {{"ios5_smime": "first_san_address_only"}}}},
  {{"id": "revocation", "verify_time": "2024-01-01T00:00:00Z",
    "leaf": "{leaf}", "intermediates": ["{inter}"], "anchors": ["{root}"],
    "ocsp_responses": ["{ocsp}"], "crls": ["{crl}"],
    "policies": [{{"kind": "basic"}}, {{"kind": "revocation", "method": "any", "require_positive_response": true}}]}},
  {{"id": "user-trust", "platform": "macos-10.7", "verify_time": "2031-01-01T00:00:00Z",
    "leaf": "{leaf}", "intermediates": ["{inter}"], "system_anchors": ["{root}"],
    "user_trust": [{{"cert": "{root}", "result": "trust_root", "policy": "ssl", "allowed_errors": ["expired"]}}],
    "policies": [{{"kind": "code_signing"}}]}},
  {{"id": "bad", "platform": "ios-4.3", "leaf": "%%%", "policies": []}},
  17
]}}"#,
        leaf = b64(&pki.leaf.der),
        inter = b64(&pki.intermediate.der),
        root = b64(&pki.root.der),
        leaf_pem = serde_json::to_string(&pki.leaf.pem()).expect("JSON string"),
        ocsp = b64(&ocsp),
        crl = b64(&crl),
    );
    out.regression(T, "cases.json", file.as_bytes());
    out.regression(T, "not-json.json", b"{\"cases\": [");
    out.regression(T, "not-a-case-file.json", b"[1, 2, 3]");
    out.regression(
        T,
        "deep-nesting.json",
        format!("{{\"cases\": {}{}}}", "[".repeat(200), "]".repeat(200)).as_bytes(),
    );
}

/// The `openssl` command with a key and certificate of its own, for PKCS#12 files and signed
/// profiles.
struct OpenSsl {
    dir: PathBuf,
}

impl OpenSsl {
    fn new(pki: &Pki) -> Option<Self> {
        let dir = std::env::temp_dir().join(format!("sectrust-seeds-{}", std::process::id()));
        fs::create_dir_all(&dir).ok()?;
        let this = OpenSsl { dir };
        fs::write(
            this.path("chain.pem"),
            format!("{}{}", pki.intermediate.pem(), pki.root.pem()),
        )
        .ok()?;
        let ok = this.run(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-subj",
            "/CN=Seed Identity/emailAddress=seed@example.com",
            "-days",
            "3650",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
        ]);
        if !ok {
            eprintln!("openssl not usable: no PKCS#12 or signed-profile seeds");
            return None;
        }
        Some(this)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn run(&self, args: &[&str]) -> bool {
        Command::new("openssl")
            .args(args)
            .current_dir(&self.dir)
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// A PKCS#12 file made with these extra `openssl pkcs12 -export` arguments.
    fn pkcs12(&self, password: &str, extra: &[&str]) -> Option<Vec<u8>> {
        let pass = format!("pass:{password}");
        let mut args = vec![
            "pkcs12",
            "-export",
            "-inkey",
            "key.pem",
            "-in",
            "cert.pem",
            "-certfile",
            "chain.pem",
            "-name",
            "Seed",
            "-passout",
            &pass,
            "-out",
            "out.p12",
        ];
        args.extend_from_slice(extra);
        self.run(&args)
            .then(|| fs::read(self.path("out.p12")).ok())
            .flatten()
    }

    /// `content` in a CMS SignedData signed by the identity.
    fn sign(&self, content: &[u8]) -> Option<Vec<u8>> {
        fs::write(self.path("content"), content).ok()?;
        let ok = self.run(&[
            "smime",
            "-sign",
            "-binary",
            "-nodetach",
            "-outform",
            "DER",
            "-in",
            "content",
            "-signer",
            "cert.pem",
            "-inkey",
            "key.pem",
            "-certfile",
            "chain.pem",
            "-out",
            "signed",
        ]);
        ok.then(|| fs::read(self.path("signed")).ok()).flatten()
    }
}

impl Drop for OpenSsl {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The byte that selects `password` in the format targets.
fn password_byte(password: Option<&str>) -> u8 {
    PASSWORDS
        .iter()
        .position(|p| *p == password)
        .expect("a listed password") as u8
}

fn with_password(password: Option<&str>, file: &[u8]) -> Vec<u8> {
    [&[password_byte(password)], file].concat()
}

fn pkcs12(out: &Out, openssl: Option<&OpenSsl>) {
    const T: &str = "pkcs12";
    out.regression(T, "empty-pfx.p12", &with_password(Some(""), &[0x30, 0x00]));
    out.regression(
        T,
        "version-2.p12",
        &with_password(Some(""), &[0x30, 0x03, 0x02, 0x01, 0x02]),
    );
    let Some(openssl) = openssl else { return };
    let variants: [(&str, &[&str]); 5] = [
        ("default", &[]),
        (
            "legacy",
            &[
                "-certpbe",
                "PBE-SHA1-RC2-40",
                "-keypbe",
                "PBE-SHA1-3DES",
                "-macalg",
                "sha1",
            ],
        ),
        (
            "aes-sha512-mac",
            &[
                "-certpbe",
                "AES-128-CBC",
                "-keypbe",
                "AES-256-CBC",
                "-macalg",
                "sha512",
            ],
        ),
        ("no-mac", &["-nomac"]),
        ("plain", &["-certpbe", "NONE", "-keypbe", "NONE"]),
    ];
    for (name, extra) in variants {
        for password in ["password", ""] {
            if let Some(p12) = openssl.pkcs12(password, extra) {
                let pw = if password.is_empty() {
                    None
                } else {
                    Some(password)
                };
                out.seed(
                    T,
                    &format!("{name}-{}.p12", password.len()),
                    &with_password(pw, &p12),
                );
            }
        }
    }
    // The MAC does not match: made with one password, read with another.
    if let Some(p12) = openssl.pkcs12(
        "secret",
        &["-certpbe", "AES-128-CBC", "-keypbe", "AES-256-CBC"],
    ) {
        out.regression(T, "wrong-mac.p12", &with_password(Some("password"), &p12));
    }
}

/// A configuration profile (XML plist) with these payloads.
fn profile_xml(payloads: &[String]) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadIdentifier</key><string>com.example.seed</string>
  <key>PayloadDisplayName</key><string>Seed profile</string>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadContent</key>
  <array>{}</array>
</dict>
</plist>
"#,
        payloads.concat()
    )
}

/// One payload dictionary.
fn payload(kind: &str, id: &str, data: &[u8], password: Option<&str>) -> String {
    let password = password.map_or_else(String::new, |p| {
        format!("<key>Password</key><string>{p}</string>")
    });
    format!(
        "<dict><key>PayloadType</key><string>{kind}</string><key>PayloadIdentifier</key><string>{id}</string>{password}<key>PayloadContent</key><data>{}</data></dict>",
        BASE64.encode(data)
    )
}

fn profiles(out: &Out, pki: &Pki, openssl: Option<&OpenSsl>) {
    const T: &str = "mobileconfig";
    let root = payload("com.apple.security.root", "root", &pki.root.der, None);
    let inter = payload(
        "com.apple.security.pkcs1",
        "inter",
        &pki.intermediate.der,
        None,
    );
    let pem = payload(
        "com.apple.security.pem",
        "pem",
        pki.leaf.pem().as_bytes(),
        None,
    );
    let wifi =
        "<dict><key>PayloadType</key><string>com.apple.wifi.managed</string></dict>".to_owned();
    let xml = profile_xml(&[root.clone(), inter, pem, wifi]);
    out.regression(
        T,
        "roots.mobileconfig",
        &with_password(None, xml.as_bytes()),
    );
    let value = plist::Value::from_reader_xml(xml.as_bytes()).expect("our own XML plist");
    let mut binary = Vec::new();
    value.to_writer_binary(&mut binary).expect("binary plist");
    out.regression(
        T,
        "roots-binary.mobileconfig",
        &with_password(None, &binary),
    );
    let deep = format!(
        "<?xml version=\"1.0\"?><plist><dict><key>PayloadContent</key>{}{}</dict></plist>",
        "<array>".repeat(1_000),
        "</array>".repeat(1_000)
    );
    out.regression(
        T,
        "deep-nesting.mobileconfig",
        &with_password(None, deep.as_bytes()),
    );
    out.regression(
        T,
        "bad-base64.mobileconfig",
        &with_password(None, xml.replacen("<data>", "<data>!!", 1).as_bytes()),
    );
    let Some(openssl) = openssl else { return };
    if let Some(signed) = openssl.sign(profile_xml(&[root]).as_bytes()) {
        out.seed(T, "signed.mobileconfig", &with_password(None, &signed));
    }
    if let Some(p12) = openssl.pkcs12("password", &[]) {
        let with = payload(
            "com.apple.security.pkcs12",
            "identity",
            &p12,
            Some("password"),
        );
        let without = payload("com.apple.security.pkcs12", "closed", &p12, None);
        let xml = profile_xml(&[with, without]);
        out.seed(
            T,
            "pkcs12.mobileconfig",
            &with_password(None, xml.as_bytes()),
        );
        out.seed(
            T,
            "pkcs12-password.mobileconfig",
            &with_password(Some("password"), xml.as_bytes()),
        );
    }
}
