//! The command line as a new user meets it: `cargo run --example sectrust -- eval|scan ...` on
//! certificate files written to a temporary folder (examples have no `CARGO_BIN_EXE_*`).

mod common;

use common::cli::{TempDir, sectrust};
use sectrust::testing::{CertBuilder, Issued, oids};

/// The verification time every run uses, so no test depends on the clock.
const AT: &str = "2024-06-01T00:00:00Z";

/// Root → intermediate, in `root.pem` and `ca.pem`.
fn pki(dir: &TempDir) -> (Issued, Issued) {
    let root = CertBuilder::new("CN=Example Root").ca(None).build();
    let ca = CertBuilder::new("CN=Example CA")
        .ca(None)
        .issued_by(&root)
        .build();
    dir.write("root.pem", root.pem());
    dir.write("ca.pem", ca.pem());
    (root, ca)
}

/// A TLS server certificate for `host`.
fn server(host: &str) -> CertBuilder {
    CertBuilder::new(&format!("CN={host}"))
        .dns(host)
        .eku(&[oids::server_auth()])
}

/// A TLS leaf for `host`, valid one year around [`AT`].
fn leaf(host: &str, ca: &Issued) -> Issued {
    server(host)
        .validity("2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z")
        .issued_by(ca)
        .build()
}

#[test]
fn eval_trusts_a_chain_with_its_anchor_and_names_a_wrong_host() {
    let dir = TempDir::new("cli", "eval");
    let (_, ca) = pki(&dir);
    dir.write("chain.pem", leaf("www.example.com", &ca).pem() + &ca.pem());

    let trusted = sectrust(
        &dir.0,
        &["eval", "chain.pem", "--anchor", "root.pem", "--at", AT],
    );
    assert_eq!(
        trusted.code,
        Some(0),
        "{}{}",
        trusted.stdout,
        trusted.stderr
    );
    assert!(trusted.stdout.contains("— trusted"), "{}", trusted.stdout);

    let args = ["eval", "chain.pem", "--anchor", "root.pem", "--at", AT];
    let wrong = sectrust(
        &dir.0,
        &[&args[..], &["--ssl", "mail.example.com"]].concat(),
    );
    assert_eq!(wrong.code, Some(1), "{}{}", wrong.stdout, wrong.stderr);
    assert!(
        wrong.stdout.contains("SSLHostname (-67602)"),
        "{}",
        wrong.stdout
    );

    let unanchored = sectrust(&dir.0, &["eval", "chain.pem", "root.pem", "--at", AT]);
    assert_eq!(unanchored.code, Some(1), "{}", unanchored.stdout);

    let json = sectrust(
        &dir.0,
        &[&args[..], &["--json", "--platform", "ios-12.0"]].concat(),
    );
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON verdict");
    assert!(value.get("result").is_some(), "{value}");
    assert_eq!(value["platform"], "ios-12.0", "{value}");
}

#[test]
fn eval_errors_say_what_to_do() {
    let dir = TempDir::new("cli", "eval-errors");
    let (_, ca) = pki(&dir);
    dir.write("leaf.pem", leaf("www.example.com", &ca).pem());
    dir.write("notes.txt", "not a certificate");

    let run = sectrust(&dir.0, &["eval", "leaf.pem", "--platform", "ios-99.0"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(run.stdout, "");
    for form in ["latest", "ios-MAJOR.MINOR", "macos-MAJOR.MINOR"] {
        assert!(run.stderr.contains(form), "{form}: {}", run.stderr);
    }

    let run = sectrust(&dir.0, &["eval", "notes.txt"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("notes.txt: not a certificate"),
        "{}",
        run.stderr
    );

    let run = sectrust(&dir.0, &["eval", "root.pem"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("no end-entity certificate"),
        "{}",
        run.stderr
    );

    let run = sectrust(
        &dir.0,
        &["eval", "leaf.pem", "--ssl", "a", "--smime", "b@c"],
    );
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

/// 48 leaves (half valid one year, half ten years), their CA and root, and a stray text file,
/// spread over sub-folders; the CSV has one row per leaf × platform, in path then platform
/// order, and the ten-year leaves break where Apple's TLS lifetime limit starts.
#[test]
fn scan_reports_every_leaf_on_every_platform_in_a_stable_order() {
    let dir = TempDir::new("cli", "scan");
    let (_, ca) = pki(&dir);
    dir.write("README.txt", "not a certificate");
    for i in 0..48_usize {
        let host = format!("host{i:02}.example.com");
        let cert = if i.is_multiple_of(2) {
            leaf(&host, &ca)
        } else {
            server(&host).issued_by(&ca).build()
        };
        dir.write(&format!("site{}/leaf-{i:02}.pem", i % 3), cert.pem());
    }
    let platforms = "ios-12.0,ios-13.0..ios-13.1,latest";
    let args = [
        "scan",
        ".",
        "--ssl-from-san",
        "--platforms",
        platforms,
        "--at",
        AT,
    ];
    let run = sectrust(&dir.0, &[&args[..], &["--format", "csv"]].concat());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "file,subject,policy,platform,result,trusted,failures"
    );
    assert_eq!(lines.len(), 1 + 48 * 4, "{}", run.stdout);
    let mut keys = Vec::new();
    for line in &lines[1..] {
        let cells: Vec<&str> = line.split(',').collect();
        let (file, policy, platform, trusted) = (cells[0], cells[2], cells[3], cells[5]);
        let i: usize = file[file.len() - 6..file.len() - 4].parse().unwrap();
        assert_eq!(policy, format!("ssl:host{i:02}.example.com"));
        let expect = i.is_multiple_of(2) || platform == "ios-12.0";
        assert_eq!(trusted, expect.to_string(), "{line}");
        keys.push((file.to_owned(), platform.to_owned()));
    }
    let order = ["ios-12.0", "ios-13.0", "ios-13.1", "ios-26.1"];
    let mut sorted = keys.clone();
    sorted.sort_by_key(|(f, p)| (f.clone(), order.iter().position(|o| o == p)));
    assert_eq!(keys, sorted);

    let again = sectrust(&dir.0, &[&args[..], &["--format", "csv"]].concat());
    assert_eq!(again.stdout, run.stdout, "deterministic");

    let table = sectrust(&dir.0, &args);
    assert!(
        table
            .stdout
            .contains("48 certificates on 4 platforms: 24 trusted everywhere, 24 break"),
        "{}",
        table.stdout
    );
    // The summary table: which failure breaks how many certificates, where.
    let summary = table.stdout.split("\n\n").last().unwrap();
    assert_eq!(
        summary.lines().collect::<Vec<_>>(),
        [
            "certificates  platforms                why",
            "          24  ios-13.0..ios-13.1       [0] ValidityPeriodMaximums (-67901)",
            "          24  ios-26.1                 [0] OtherTrustValidityPeriod (-67901)",
        ],
        "{}",
        table.stdout
    );
    let json = sectrust(&dir.0, &[&args[..], &["--format", "json"]].concat());
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON report");
    assert_eq!(value.as_array().map(Vec::len), Some(48));
}

/// A TLS leaf with its host only in the subject CN: trusted up to iOS 12, SSLHostname from 13.
fn cn_only(host: &str, ca: &Issued) -> Issued {
    CertBuilder::new(&format!("CN={host}"))
        .eku(&[oids::server_auth()])
        .validity("2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z")
        .issued_by(ca)
        .build()
}

#[test]
fn matrix_groups_versions_with_one_verdict_as_text_and_json() {
    let dir = TempDir::new("cli", "matrix");
    let (_, ca) = pki(&dir);
    dir.write("cn.pem", cn_only("www.example.com", &ca).pem() + &ca.pem());
    dir.write("good.pem", leaf("www.example.com", &ca).pem() + &ca.pem());
    let args = [
        "--anchor",
        "root.pem",
        "--ssl",
        "www.example.com",
        "--platforms",
        "ios-11.0..ios-14.0",
        "--at",
        AT,
    ];

    let run = sectrust(&dir.0, &[&["matrix", "cn.pem"][..], &args].concat());
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert!(
        rows.iter()
            .any(|r| r.starts_with("iOS 11.0–12.5") && r.ends_with("  trusted")),
        "{}",
        run.stdout
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("iOS 13.0–14.0")
                && r.ends_with("NOT trusted: SSLHostname −67602")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("“www.example.com” certificate name does not match input"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x1b'), "no colour off a terminal");

    let json = sectrust(
        &dir.0,
        &[&["matrix", "cn.pem"][..], &args, &["--json"]].concat(),
    );
    assert_eq!(json.code, Some(1), "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON matrix");
    let texts: Vec<&str> = value["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["iOS 11.0–12.5 trusted", "iOS 13.0–14.0: SSLHostname −67602"]
    );
    assert!(value["evaluations"].as_u64().unwrap() < 10, "{value}");

    let good = sectrust(&dir.0, &[&["matrix", "good.pem"][..], &args].concat());
    assert_eq!(good.code, Some(0), "{}{}", good.stdout, good.stderr);
}

/// The founding story's files (`sectrust::testing::FoundingStory`), as a user would have them.
fn founding_story(dir: &TempDir) {
    let story = sectrust::testing::FoundingStory::new();
    dir.write("root.pem", story.root.pem());
    dir.write("ca.pem", story.ca.pem());
    dir.write("me.pem", story.primary.pem());
    dir.write("mac.pem", story.alias.pem());
}

#[test]
fn diagnose_names_the_quirk_and_excludes_the_rest_as_text_and_json() {
    let dir = TempDir::new("cli", "diagnose");
    founding_story(&dir);
    let args = [
        "diagnose",
        "--trusted-on",
        "macos-10.7",
        "--untrusted-on",
        "ios-5.1",
        "--smime",
        "jane@me.com",
        "--alias",
        "jane@mac.com",
        "--anchor",
        "root.pem",
        "--control",
        "me.pem",
        "--at",
        "2012-06-01T00:00:00Z",
        "mac.pem",
        "ca.pem",
    ];
    let run = sectrust(&dir.0, &args);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let text = &run.stdout;
    let consistent = text.find("Consistent with the observation").expect(text);
    let excluded = text.find("\nExcluded:").expect(text);
    let quirk = text
        .find("✓ quirk hypothesis — PrimaryAddressOnly")
        .expect(text);
    assert!(consistent < quirk && quirk < excluded, "{text}");
    for kind in [
        "✗ platform rules",
        "✗ quirk hypothesis — CaseSensitiveAddress",
        "✗ verify time",
        "✗ revocation",
        "✗ missing intermediate",
        "✗ root not trusted",
    ] {
        let at = text.find(kind).unwrap_or_else(|| panic!("{kind}: {text}"));
        assert!(at > excluded, "{kind} is excluded: {text}");
    }
    assert!(text.contains("control:   “Jane Appleseed”"), "{text}");

    let json = sectrust(&dir.0, &[&args[..], &["--json"]].concat());
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON diagnosis");
    let first = &value["causes"][0];
    assert_eq!(first["kind"], "quirk_hypothesis", "{value}");
    assert_eq!(first["status"], "consistent");
    assert_eq!(first["subject"], "PrimaryAddressOnly");
    assert_eq!(value["control"]["holds"], true);
    assert_eq!(value["observation"]["b"]["platform"], "ios-5.1");

    // The error the device reported narrows it: a missing intermediate is −25318.
    let missing = sectrust(
        &dir.0,
        &[
            "diagnose",
            "--trusted-on",
            "macos-10.7",
            "--untrusted-on",
            "ios-5.1",
            "--error",
            "-25318",
            "--anchor",
            "root.pem",
            "--at",
            "2012-06-01T00:00:00Z",
            "me.pem",
            "ca.pem",
            "root.pem",
        ],
    );
    assert_eq!(
        missing.code,
        Some(0),
        "{}{}",
        missing.stdout,
        missing.stderr
    );
    let consistent = missing.stdout.split("\nExcluded:").next().unwrap();
    assert!(
        consistent.contains("✓ missing intermediate — “Example Mail CA”"),
        "{}",
        missing.stdout
    );
}

#[test]
fn unknown_platform_names_list_the_valid_ones() {
    let dir = TempDir::new("cli", "platform-names");
    founding_story(&dir);
    for args in [
        &["matrix", "mac.pem", "--platforms", "ios-4.3"][..],
        &[
            "diagnose",
            "--trusted-on",
            "mac-10.7",
            "--untrusted-on",
            "ios-5.1",
            "mac.pem",
        ],
        &["eval", "mac.pem", "--platform", "ios-99.0"],
    ] {
        let run = sectrust(&dir.0, args);
        assert_eq!(run.code, Some(2), "{args:?}");
        assert_eq!(run.stdout, "");
        for want in [
            "unknown platform",
            "valid platform names: latest (= ios-26.1)",
            "ios-12.0–12.5 (and 12.1.1)",
            "macos-10.7–10.15 (and 10.14.2)",
        ] {
            assert!(run.stderr.contains(want), "{args:?} {want}: {}", run.stderr);
        }
    }
}
