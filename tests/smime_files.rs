//! `sectrust smime` on the files users have, end to end (`cargo run --example sectrust -- smime`):
//! a PKCS#12 identity opened with `--password` (and refused with a wrong or missing one), and
//! an unsigned configuration profile whose root payload anchors the chain (profile roots,
//! `apple-trust.md §5`). The files are written here, from certificates generated in code: the
//! PKCS#12 file by a small writer of its own (RFC 7292; independent of the library's reader),
//! the profile as XML property-list text.

use std::path::Path;

mod common;

use base64::Engine as _;
use common::cli::{Run, TempDir, sectrust};
use der::Encode as _;
use der::asn1::ObjectIdentifier;
use sectrust::testing::{CertBuilder, Issued, oids};

/// The verification time every run uses, so no test depends on the clock.
const AT: &str = "2024-01-01T00:00:00Z";
/// The account the leaf is issued for.
const ADDRESS: &str = "jane@example.com";
/// The password the PKCS#12 file is written with.
const PASSWORD: &str = "correct horse";

/// `sectrust smime --email ADDRESS --at AT ARGS` in `dir`.
fn smime(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["smime", "--email", ADDRESS, "--at", AT];
    all.extend_from_slice(args);
    sectrust(dir, &all)
}

/// Root → mail CA → an S/MIME leaf for [`ADDRESS`].
fn mail_pki() -> [Issued; 3] {
    let root = CertBuilder::new("CN=Mail Root").ca(None).build();
    let ca = CertBuilder::new("CN=Mail CA")
        .ca(None)
        .issued_by(&root)
        .build();
    let leaf = CertBuilder::new("CN=Jane Appleseed")
        .email(ADDRESS)
        .eku(&[oids::email_protection()])
        .issued_by(&ca)
        .build();
    [root, ca, leaf]
}

#[test]
fn a_p12_opens_with_its_password() {
    let [root, ca, leaf] = mail_pki();
    let dir = TempDir::new("smime", "p12");
    dir.write("jane.p12", pkcs12(&[&leaf, &ca], PASSWORD));
    dir.write("root.pem", root.pem());

    let run = smime(
        &dir.0,
        &[
            "--password",
            PASSWORD,
            "--platform",
            "ios-16.0",
            "jane.p12",
            "root.pem",
        ],
    );
    assert_eq!(run.code, Some(0), "{}\n{}", run.stderr, run.stdout);
    // The identity is labelled with the file; the chain inside it and the app anchor given
    // beside it make a trusted path.
    assert!(
        run.stdout.contains("== jane.p12 (Jane Appleseed)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("ios-16.0: kSecTrustResultUnspecified"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_wrong_or_missing_password_is_a_clear_error_with_exit_status_2() {
    let [_, ca, leaf] = mail_pki();
    let dir = TempDir::new("smime", "p12-password");
    dir.write("jane.p12", pkcs12(&[&leaf, &ca], PASSWORD));

    let wrong = smime(&dir.0, &["--password", "battery staple", "jane.p12"]);
    assert_eq!(wrong.code, Some(2), "{}", wrong.stderr);
    assert_eq!(wrong.stdout, "");
    assert!(
        wrong.stderr.contains(
            "sectrust smime: jane.p12: wrong password, or the file is damaged: pass \
             --password with the password the file was exported with"
        ),
        "{}",
        wrong.stderr
    );

    let missing = smime(&dir.0, &["jane.p12"]);
    assert_eq!(missing.code, Some(2), "{}", missing.stderr);
    assert_eq!(missing.stdout, "");
    assert!(
        missing
            .stderr
            .contains("jane.p12: the PKCS#12 file needs a password: pass --password"),
        "{}",
        missing.stderr
    );
}

/// An unsigned profile whose `com.apple.security.root` payload installs the root: the chain is
/// anchored by that user trust setting (full trust on), so the result is Proceed
/// (`apple-trust.md §5`). The same root in a `com.apple.security.pkcs1` payload is only a
/// certificate offered for the path: nothing anchors it (AnchorTrusted).
#[test]
fn a_profile_root_anchors_the_chain() {
    let [root, ca, leaf] = mail_pki();
    let dir = TempDir::new("smime", "profile");
    dir.write("leaf.pem", leaf.pem());
    dir.write("ca.pem", ca.pem());
    dir.write(
        "root.mobileconfig",
        profile(&root, "com.apple.security.root"),
    );
    dir.write(
        "cert.mobileconfig",
        profile(&root, "com.apple.security.pkcs1"),
    );

    let installed = smime(
        &dir.0,
        &[
            "--platform",
            "ios-16.0",
            "leaf.pem",
            "ca.pem",
            "root.mobileconfig",
        ],
    );
    assert_eq!(installed.code, Some(0), "{}", installed.stderr);
    assert!(
        installed
            .stdout
            .contains("ios-16.0: kSecTrustResultProceed"),
        "{}",
        installed.stdout
    );
    assert!(
        installed.stdout.contains("user/admin trust setting"),
        "{}",
        installed.stdout
    );

    let offered = smime(
        &dir.0,
        &[
            "--platform",
            "ios-16.0",
            "leaf.pem",
            "ca.pem",
            "cert.mobileconfig",
        ],
    );
    assert_eq!(offered.code, Some(0), "{}", offered.stderr);
    assert!(
        offered
            .stdout
            .contains("ios-16.0: kSecTrustResultRecoverableTrustFailure"),
        "{}",
        offered.stdout
    );
    assert!(
        offered.stdout.contains("AnchorTrusted"),
        "{}",
        offered.stdout
    );
}

/// An unsigned XML configuration profile with one payload of `payload_type` carrying `cert`.
fn profile(cert: &Issued, payload_type: &str) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(&cert.der);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>PayloadContent</key>
	<array>
		<dict>
			<key>PayloadContent</key>
			<data>{data}</data>
			<key>PayloadIdentifier</key>
			<string>com.example.mail.root</string>
			<key>PayloadType</key>
			<string>{payload_type}</string>
			<key>PayloadUUID</key>
			<string>6C0A1D2E-3F40-4A5B-8C6D-7E8F90A1B2C3</string>
			<key>PayloadVersion</key>
			<integer>1</integer>
		</dict>
	</array>
	<key>PayloadDisplayName</key>
	<string>Mail Root</string>
	<key>PayloadIdentifier</key>
	<string>com.example.mail</string>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>0F1E2D3C-4B5A-4968-8776-5A4B3C2D1E0F</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>
</plist>
"#
    )
}

// --- A PKCS#12 writer (RFC 7292): certificate bags under pbeWithSHAAnd3-KeyTripleDES-CBC and
// a SHA-1 MAC, the shape of `openssl pkcs12 -export -nokeys -legacy` (no key bag: the
// identity is the file's end-entity certificate).

const ITERATIONS: u32 = 2048;

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn seq(items: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &items.concat())
}

/// `[number]` EXPLICIT (constructed).
fn explicit(number: u8, content: &[u8]) -> Vec<u8> {
    tlv(0xA0 | number, content)
}

fn octets(bytes: &[u8]) -> Vec<u8> {
    tlv(0x04, bytes)
}

fn oid(dotted: &str) -> Vec<u8> {
    ObjectIdentifier::new_unwrap(dotted).to_der().expect("OID")
}

fn int(value: u32) -> Vec<u8> {
    value.to_der().expect("INTEGER")
}

/// The PKCS#12 key derivation with SHA-1 (RFC 7292 appendix B.2): `n` bytes of purpose `id`
/// (1 key, 2 IV, 3 MAC key) from the BMPString password and the salt.
fn kdf(password: &[u8], salt: &[u8], id: u8, n: usize) -> Vec<u8> {
    use sha1::{Digest, Sha1};
    const V: usize = 64;
    let fill = |s: &[u8]| -> Vec<u8> {
        let len = V * s.len().div_ceil(V);
        (0..len).map(|k| s[k % s.len()]).collect()
    };
    let mut i = [fill(salt), fill(password)].concat();
    let mut out = Vec::new();
    while out.len() < n {
        let mut a = Sha1::new()
            .chain_update([id; V])
            .chain_update(&i)
            .finalize();
        for _ in 1..ITERATIONS {
            a = Sha1::digest(a);
        }
        out.extend_from_slice(&a);
        let b: Vec<u8> = (0..V).map(|k| a[k % a.len()]).collect();
        for block in i.chunks_mut(V) {
            let mut carry = 1u16;
            for k in (0..V).rev() {
                let sum = u16::from(block[k]) + u16::from(b[k]) + carry;
                block[k] = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(n);
    out
}

/// `certs` in one 3DES-encrypted SafeContents, with a SHA-1 MAC over the AuthenticatedSafe.
fn pkcs12(certs: &[&Issued], password: &str) -> Vec<u8> {
    use cbc::cipher::block_padding::Pkcs7;
    use cbc::cipher::{BlockModeEncrypt, KeyIvInit};
    use hmac::digest::KeyInit;
    use hmac::{Hmac, Mac};

    // BMPString with its two-byte terminator (RFC 7292 appendix B.1).
    let bmp: Vec<u8> = password
        .encode_utf16()
        .chain([0])
        .flat_map(u16::to_be_bytes)
        .collect();
    let bags: Vec<Vec<u8>> = certs
        .iter()
        .map(|c| {
            let cert_bag = seq(&[oid("1.2.840.113549.1.9.22.1"), explicit(0, &octets(&c.der))]);
            seq(&[oid("1.2.840.113549.1.12.10.1.3"), explicit(0, &cert_bag)])
        })
        .collect();
    let safe_contents = seq(&bags);

    let salt = [0x11; 8];
    let key = kdf(&bmp, &salt, 1, 24);
    let iv = kdf(&bmp, &salt, 2, 8);
    let ciphertext = cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
        .expect("3DES key and IV")
        .encrypt_padded_vec::<Pkcs7>(&safe_contents);
    let algorithm = seq(&[
        oid("1.2.840.113549.1.12.1.3"),
        seq(&[octets(&salt), int(ITERATIONS)]),
    ]);
    let encrypted_data = seq(&[
        int(0),
        seq(&[
            oid("1.2.840.113549.1.7.1"),
            algorithm,
            tlv(0x80, &ciphertext),
        ]),
    ]);
    let auth_safe = seq(&[seq(&[
        oid("1.2.840.113549.1.7.6"),
        explicit(0, &encrypted_data),
    ])]);

    let mac_salt = [0x22; 8];
    let mac_key = kdf(&bmp, &mac_salt, 3, 20);
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(&mac_key).expect("HMAC key");
    mac.update(&auth_safe);
    let digest = mac.finalize().into_bytes();
    let mac_data = seq(&[
        seq(&[
            seq(&[oid("1.3.14.3.2.26"), tlv(0x05, &[])]),
            octets(&digest),
        ]),
        octets(&mac_salt),
        int(ITERATIONS),
    ]);
    seq(&[
        int(3),
        seq(&[
            oid("1.2.840.113549.1.7.1"),
            explicit(0, &octets(&auth_safe)),
        ]),
        mac_data,
    ])
}
