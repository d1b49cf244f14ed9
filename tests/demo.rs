//! The no-argument demo tells the founding story: its table cells and its explanation are
//! asserted here, on the real output of `cargo run --example sectrust`.

use std::process::Command;

fn demo_output() -> String {
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "sectrust"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn row<'a>(text: &'a str, address: &str) -> Vec<&'a str> {
    let line = text
        .lines()
        .find(|l| l.starts_with(address))
        .unwrap_or_else(|| panic!("no row for {address} in:\n{text}"));
    // Cells are separated by two or more spaces.
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn the_demo_reproduces_the_2012_report() {
    let text = demo_output();
    let header = row(&text, "certificate");
    assert_eq!(
        header,
        ["certificate", "macos-10.7", "ios-5.1", "ios-6.0", "latest"]
    );
    assert_eq!(
        row(&text, "jane@me.com"),
        ["jane@me.com", "trusted", "trusted", "trusted", "trusted"]
    );
    assert_eq!(
        row(&text, "jane@mac.com"),
        [
            "jane@mac.com",
            "trusted",
            "NOT TRUSTED (Email)",
            "trusted",
            "trusted"
        ]
    );
    let why = text
        .split("Why ios-5.1")
        .nth(1)
        .expect("an explanation")
        .replace('\n', " ");
    for needle in [
        "-67623",
        "errSecSMIMEEmailAddressesNotFound",
        "certificate name does not match input",
        "pre-iOS-6 S/MIME quirk (hypothesis PrimaryAddressOnly)",
        "iOS 6",
    ] {
        assert!(why.contains(needle), "missing {needle:?} in: {why}");
    }
}

/// `sectrust smime` on the user's own files: PEM certificates written to a folder, evaluated
/// under ios-5.1 and ios-6.0 for the account's primary address with its alias.
#[test]
fn the_smime_subcommand_reads_the_users_files() {
    use sectrust::testing::{CertBuilder, oids};
    let dir = std::env::temp_dir().join(format!("sectrust-smime-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = CertBuilder::new("CN=Mail Root").ca(None).build();
    let ca = CertBuilder::new("CN=Mail CA")
        .ca(None)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=Jane Appleseed")
        .email("jane@mac.com")
        .eku(&[oids::email_protection()])
        .issued_by(&ca)
        .build();
    for (name, cert) in [("root.pem", &root), ("ca.pem", &ca), ("leaf.pem", &leaf)] {
        std::fs::write(dir.join(name), cert.pem()).unwrap();
    }
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .args(["--example", "sectrust", "--", "smime"])
        .args(["--platform", "ios-5.1", "--platform", "ios-6.0"])
        .args([
            "--email",
            "jane@me.com",
            "--alias",
            "jane@mac.com",
            "--at",
            "2024-01-01T00:00:00Z",
        ])
        .args(["leaf.pem", "ca.pem", "root.pem"])
        .current_dir(&dir)
        .output()
        .expect("cargo runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("ios-5.1: kSecTrustResultRecoverableTrustFailure"),
        "{text}"
    );
    assert!(text.contains("Email (-67623)"), "{text}");
    assert!(text.contains("pre-iOS-6 S/MIME quirk"), "{text}");
    assert!(
        text.contains("ios-6.0: kSecTrustResultUnspecified"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
