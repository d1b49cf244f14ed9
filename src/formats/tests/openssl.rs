//! Real-world compatibility: files written by the `openssl` command line, read back. Skipped
//! (with a note on stderr) when `openssl` is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

use plist::{Dictionary, Value};

use crate::Certificate;
use crate::formats::{Loaded, SignatureCheck, load, read_pkcs12, read_profile};
use crate::testing::Pki;

/// A scratch directory removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("sectrust-formats-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn have_openssl() -> bool {
    let found = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("openssl not installed: skipping the OpenSSL compatibility test");
    }
    found
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs openssl");
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An EC key and self-signed certificate made by OpenSSL, plus our chain as extra certs.
fn identity_files(scratch: &Scratch, pki: &Pki) -> Certificate {
    openssl(
        &scratch.0,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-subj",
            "/CN=OpenSSL Leaf",
            "-days",
            "2",
        ],
    );
    std::fs::write(
        scratch.path("chain.pem"),
        format!("{}{}", pki.intermediate.pem(), pki.root.pem()),
    )
    .unwrap();
    let pem = std::fs::read_to_string(scratch.path("cert.pem")).unwrap();
    Certificate::from_pem(&pem).unwrap()
}

#[test]
fn pkcs12_written_by_openssl_reads() {
    if !have_openssl() {
        return;
    }
    let scratch = Scratch::new("p12");
    let pki = Pki::new();
    let leaf = identity_files(&scratch, &pki);
    let base = [
        "pkcs12",
        "-export",
        "-in",
        "cert.pem",
        "-inkey",
        "key.pem",
        "-certfile",
        "chain.pem",
        "-name",
        "OpenSSL Identity",
    ];
    let modes: [(&str, &[&str], &str); 9] = [
        // OpenSSL 3 default: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), HMAC-SHA256 MAC.
        ("default", &[], "pw"),
        // -legacy: RC2-40 certificate bag, 3DES key bag, HMAC-SHA1 MAC (Keychain's layout).
        ("legacy", &["-legacy"], "pw"),
        ("3des-certs", &["-descert"], "pw"),
        ("plain-certs", &["-certpbe", "NONE"], "pw"),
        (
            "aes128-sha512-mac",
            &[
                "-certpbe",
                "AES-128-CBC",
                "-keypbe",
                "AES-128-CBC",
                "-macalg",
                "sha512",
                "-iter",
                "10000",
            ],
            "pw",
        ),
        ("no-mac", &["-nomac"], "pw"),
        ("empty-password", &[], ""),
        ("non-ascii-password", &[], "pässwörd ✓"),
        ("non-ascii-legacy", &["-legacy"], "pässwörd ✓"),
    ];
    for (name, extra, password) in modes {
        let file = format!("{name}.p12");
        let passout = format!("pass:{password}");
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-passout", &passout, "-out", &file]);
        openssl(&scratch.0, &args);
        let der = std::fs::read(scratch.path(&file)).unwrap();
        let identity =
            read_pkcs12(&der, password).unwrap_or_else(|e| panic!("openssl {name}: {e}"));
        assert_eq!(identity.certificate, leaf, "{name}");
        assert_eq!(
            identity.chain,
            [pki.intermediate.cert.clone(), pki.root.cert.clone()],
            "{name}"
        );
        assert_eq!(
            identity.friendly_name.as_deref(),
            Some("OpenSSL Identity"),
            "{name}"
        );
        assert!(identity.has_private_key, "{name}");
        assert!(
            matches!(load(&der, Some(password)), Ok(Loaded::Pkcs12(_))),
            "{name}"
        );
        if !password.is_empty() && name != "no-mac" {
            assert!(read_pkcs12(&der, "not it").is_err(), "{name}");
        }
    }
}

#[test]
fn profiles_signed_by_openssl_read_and_verify() {
    if !have_openssl() {
        return;
    }
    let scratch = Scratch::new("cms");
    let pki = Pki::new();
    let leaf = identity_files(&scratch, &pki);
    let mut root_payload = Dictionary::new();
    root_payload.insert(
        "PayloadType".into(),
        Value::String("com.apple.security.root".into()),
    );
    root_payload.insert(
        "PayloadIdentifier".into(),
        Value::String("com.example.root".into()),
    );
    root_payload.insert("PayloadContent".into(), Value::Data(pki.root.der.clone()));
    let mut top = Dictionary::new();
    top.insert("PayloadType".into(), Value::String("Configuration".into()));
    top.insert(
        "PayloadIdentifier".into(),
        Value::String("com.example.signed".into()),
    );
    top.insert(
        "PayloadContent".into(),
        Value::Array(vec![Value::Dictionary(root_payload)]),
    );
    Value::Dictionary(top)
        .to_file_xml(scratch.path("profile.mobileconfig"))
        .unwrap();
    // The usual recipes for signing a profile; `-stream` writes BER (indefinite lengths,
    // chunked content).
    let recipes: [(&str, &[&str]); 3] = [
        ("smime", &["smime", "-sign", "-nodetach", "-outform", "der"]),
        (
            "cms",
            &["cms", "-sign", "-nodetach", "-binary", "-outform", "DER"],
        ),
        (
            "cms-stream",
            &[
                "cms",
                "-sign",
                "-stream",
                "-nodetach",
                "-binary",
                "-outform",
                "DER",
            ],
        ),
    ];
    for (name, command) in recipes {
        let out = format!("{name}.mobileconfig");
        let mut args = command.to_vec();
        args.extend_from_slice(&[
            "-in",
            "profile.mobileconfig",
            "-signer",
            "cert.pem",
            "-inkey",
            "key.pem",
            "-certfile",
            "chain.pem",
            "-out",
            &out,
        ]);
        openssl(&scratch.0, &args);
        let bytes = std::fs::read(scratch.path(&out)).unwrap();
        assert_eq!(
            bytes[1] == 0x80,
            name == "cms-stream",
            "{name}: BER exactly when streamed"
        );
        let profile = read_profile(&bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(profile.identifier, "com.example.signed", "{name}");
        assert_eq!(
            profile.roots,
            std::slice::from_ref(&pki.root.cert),
            "{name}"
        );
        let signer = profile.signed_by.expect("signed");
        assert_eq!(signer.certificate, leaf, "{name}");
        assert_eq!(signer.signature, SignatureCheck::Verified, "{name}");
        assert_eq!(signer.certificates.len(), 2, "{name}");
        assert!(
            matches!(load(&bytes, None), Ok(Loaded::Profile(_))),
            "{name}"
        );
    }
}
