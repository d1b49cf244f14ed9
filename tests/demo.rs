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
