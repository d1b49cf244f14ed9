use plist::{Dictionary, Value};

use super::format_error;
use crate::formats::testkit::{P12, SignOptions, signed_data};
use crate::formats::{
    ConfigurationProfile, FormatError, PAYLOAD_PEM, PAYLOAD_PKCS1, PAYLOAD_PKCS12, PAYLOAD_ROOT,
    SignatureCheck, read_profile,
};
use crate::testing::Pki;

const P12_PASSWORD: &str = "s3cret";

fn payload(kind: &str, identifier: &str, content: Option<Vec<u8>>) -> Dictionary {
    let mut d = Dictionary::new();
    d.insert("PayloadType".into(), Value::String(kind.into()));
    d.insert("PayloadIdentifier".into(), Value::String(identifier.into()));
    d.insert(
        "PayloadUUID".into(),
        Value::String("9F1C4E36-2B0A-4C55-9D0B-5C3E5E0B7A11".into()),
    );
    d.insert("PayloadVersion".into(), Value::Integer(1.into()));
    if let Some(content) = content {
        d.insert("PayloadContent".into(), Value::Data(content));
    }
    d
}

fn profile_value(payloads: Vec<Dictionary>) -> Value {
    let mut top = Dictionary::new();
    top.insert("PayloadType".into(), Value::String("Configuration".into()));
    top.insert(
        "PayloadIdentifier".into(),
        Value::String("com.example.corp".into()),
    );
    top.insert(
        "PayloadDisplayName".into(),
        Value::String("Example Corp".into()),
    );
    top.insert("PayloadVersion".into(), Value::Integer(1.into()));
    top.insert(
        "PayloadContent".into(),
        Value::Array(payloads.into_iter().map(Value::Dictionary).collect()),
    );
    Value::Dictionary(top)
}

/// A profile with one payload of each kind read, plus a Wi-Fi payload.
fn full_profile(pki: &Pki, p12_password_in_payload: Option<&str>) -> Value {
    let p12 = P12::identity(P12_PASSWORD, &pki.leaf, &[&pki.intermediate]).build();
    let mut p12_payload = payload(PAYLOAD_PKCS12, "com.example.corp.identity", Some(p12));
    if let Some(pw) = p12_password_in_payload {
        p12_payload.insert("Password".into(), Value::String(pw.into()));
    }
    profile_value(vec![
        payload(
            PAYLOAD_ROOT,
            "com.example.corp.root",
            Some(pki.root.der.clone()),
        ),
        payload(
            PAYLOAD_PKCS1,
            "com.example.corp.intermediate",
            Some(pki.intermediate.der.clone()),
        ),
        payload(
            PAYLOAD_PEM,
            "com.example.corp.leaf",
            Some(pki.leaf.pem().into_bytes()),
        ),
        p12_payload,
        payload("com.apple.wifi.managed", "com.example.corp.wifi", None),
    ])
}

fn xml(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    value.to_writer_xml(&mut out).unwrap();
    out
}

fn binary(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    value.to_writer_binary(&mut out).unwrap();
    out
}

fn assert_full(pki: &Pki, profile: &ConfigurationProfile) {
    assert_eq!(profile.identifier, "com.example.corp");
    assert_eq!(profile.display_name.as_deref(), Some("Example Corp"));
    assert_eq!(profile.roots, std::slice::from_ref(&pki.root.cert));
    assert_eq!(
        profile.certificates,
        [pki.intermediate.cert.clone(), pki.leaf.cert.clone()]
    );
    assert_eq!(profile.identities.len(), 1);
    assert_eq!(profile.identities[0].certificate, pki.leaf.cert);
    assert_eq!(
        profile.identities[0].chain,
        std::slice::from_ref(&pki.intermediate.cert)
    );
    assert!(profile.identities_needing_password.is_empty());
    assert_eq!(profile.other_payload_types, ["com.apple.wifi.managed"]);
}

#[test]
fn xml_profile_yields_roots_certificates_and_identities() {
    let pki = Pki::new();
    let profile = read_profile(&xml(&full_profile(&pki, Some(P12_PASSWORD))), None).unwrap();
    assert_full(&pki, &profile);
    assert!(profile.signed_by.is_none());
}

#[test]
fn binary_profile_yields_the_same() {
    let pki = Pki::new();
    let bytes = binary(&full_profile(&pki, Some(P12_PASSWORD)));
    assert!(bytes.starts_with(b"bplist00"));
    let profile = read_profile(&bytes, None).unwrap();
    assert_full(&pki, &profile);
}

#[test]
fn profile_roots_become_profile_trust_settings_with_the_full_trust_switch() {
    let pki = Pki::new();
    let profile = read_profile(&xml(&full_profile(&pki, Some(P12_PASSWORD))), None).unwrap();
    for full_trust in [false, true] {
        let settings = profile.trust_settings(full_trust);
        assert_eq!(settings.len(), 1);
        assert_eq!(settings[0].cert, pki.root.cert);
        assert!(settings[0].profile_installed);
        assert_eq!(settings[0].full_trust_enabled, full_trust);
        assert!(settings[0].constraints.is_empty());
    }
}

#[test]
fn pkcs12_payload_password_comes_from_the_payload_or_the_caller() {
    let pki = Pki::new();
    let without = xml(&full_profile(&pki, None));
    // Neither: the identity is listed as needing a password, the rest still reads.
    let profile = read_profile(&without, None).unwrap();
    assert!(profile.identities.is_empty());
    assert_eq!(
        profile.identities_needing_password,
        ["com.example.corp.identity"]
    );
    assert_eq!(profile.roots.len(), 1);
    // The caller's.
    let profile = read_profile(&without, Some(P12_PASSWORD)).unwrap();
    assert_full(&pki, &profile);
    // A wrong payload password names the payload.
    let wrong = xml(&full_profile(&pki, Some("wrong")));
    let e = format_error(read_profile(&wrong, Some(P12_PASSWORD)));
    match e {
        FormatError::Payload { payload, source } => {
            assert_eq!(payload, "com.example.corp.identity");
            assert!(matches!(*source, FormatError::WrongPassword { .. }));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn signed_profile_reports_its_verified_signer() {
    let pki = Pki::new();
    let plist = xml(&full_profile(&pki, Some(P12_PASSWORD)));
    let signed = signed_data(
        Some(&plist),
        Some(&pki.leaf),
        &[&pki.intermediate],
        SignOptions::default(),
    );
    let profile = read_profile(&signed, None).unwrap();
    assert_full(&pki, &profile);
    let signer = profile.signed_by.expect("signed");
    assert_eq!(signer.certificate, pki.leaf.cert);
    assert_eq!(
        signer.certificates,
        std::slice::from_ref(&pki.intermediate.cert)
    );
    assert_eq!(signer.signature, SignatureCheck::Verified);
}

#[test]
fn signed_profile_variants_verify() {
    let pki = Pki::new();
    let rsa = Pki::rsa(2048);
    let plist = binary(&full_profile(&pki, Some(P12_PASSWORD)));
    let cases = [
        (
            &pki,
            SignOptions {
                by_ski: true,
                ..SignOptions::default()
            },
        ),
        (
            &pki,
            SignOptions {
                no_signed_attributes: true,
                ..SignOptions::default()
            },
        ),
        (&rsa, SignOptions::default()),
        (
            &rsa,
            SignOptions {
                rsa_encryption_oid: true,
                ..SignOptions::default()
            },
        ),
    ];
    for (signer, options) in cases {
        let signed = signed_data(Some(&plist), Some(&signer.leaf), &[], options);
        let profile = read_profile(&signed, None).unwrap_or_else(|e| panic!("{options:?}: {e}"));
        let by = profile.signed_by.unwrap();
        assert_eq!(by.certificate, signer.leaf.cert, "{options:?}");
        assert_eq!(by.signature, SignatureCheck::Verified, "{options:?}");
    }
    // BER (streaming writers) reads the same.
    let signed = signed_data(Some(&plist), Some(&pki.leaf), &[], SignOptions::default());
    let ber = crate::formats::testkit::to_ber(&signed);
    assert_eq!(&ber[..2], [0x30, 0x80]);
    let profile = read_profile(&ber, None).unwrap();
    assert_eq!(
        profile.signed_by.unwrap().signature,
        SignatureCheck::Verified
    );
}

#[test]
fn a_changed_signed_profile_fails_its_signature() {
    let pki = Pki::new();
    let plist = xml(&full_profile(&pki, Some(P12_PASSWORD)));
    let signed = signed_data(Some(&plist), Some(&pki.leaf), &[], SignOptions::default());
    // Change the display name inside the signed content.
    let at = signed
        .windows(12)
        .position(|w| w == b"Example Corp")
        .unwrap();
    let mut changed = signed.clone();
    changed[at] = b'X';
    let e = format_error(read_profile(&changed, None));
    assert!(
        matches!(&e, FormatError::BadSignature(reason) if reason.contains("changed after signing")),
        "{e:?}"
    );
    // Damage the signature itself (its last byte).
    let mut changed = signed.clone();
    *changed.last_mut().unwrap() ^= 1;
    let e = format_error(read_profile(&changed, None));
    assert!(matches!(&e, FormatError::BadSignature(_)), "{e:?}");
    // Without signed attributes the signature covers the content directly.
    let direct = signed_data(
        Some(&plist),
        Some(&pki.leaf),
        &[],
        SignOptions {
            no_signed_attributes: true,
            ..SignOptions::default()
        },
    );
    let at = direct
        .windows(12)
        .position(|w| w == b"Example Corp")
        .unwrap();
    let mut changed = direct.clone();
    changed[at] = b'X';
    assert!(matches!(
        format_error(read_profile(&changed, None)),
        FormatError::BadSignature(_)
    ));
}

#[test]
fn a_signer_missing_from_the_envelope_is_an_error() {
    let pki = Pki::new();
    let plist = xml(&full_profile(&pki, Some(P12_PASSWORD)));
    let signed = signed_data(
        Some(&plist),
        Some(&pki.leaf),
        &[&pki.intermediate],
        SignOptions {
            omit_signer_certificate: true,
            ..SignOptions::default()
        },
    );
    let e = format_error(read_profile(&signed, None));
    assert!(e.to_string().contains("not in the envelope"), "{e}");
}

#[test]
fn damaged_profiles_are_errors() {
    let pki = Pki::new();
    let value = full_profile(&pki, Some(P12_PASSWORD));
    let (x, b) = (xml(&value), binary(&value));
    let signed = signed_data(Some(&x), Some(&pki.leaf), &[], SignOptions::default());
    for len in (0..x.len()).step_by(97) {
        assert!(read_profile(&x[..len], None).is_err(), "XML prefix {len}");
    }
    for len in 0..b.len() {
        assert!(
            read_profile(&b[..len], None).is_err(),
            "binary prefix {len}"
        );
    }
    for len in (0..signed.len()).step_by(13) {
        assert!(
            read_profile(&signed[..len], None).is_err(),
            "CMS prefix {len}"
        );
    }
    // Byte flips anywhere in a binary plist: errors or a (different) profile, never a panic.
    for at in 0..b.len() {
        let mut damaged = b.clone();
        damaged[at] ^= 0x5A;
        let _ = read_profile(&damaged, None);
    }
}

#[test]
fn not_a_profile_is_an_error_saying_so() {
    let mut info = Dictionary::new();
    info.insert("CFBundleIdentifier".into(), Value::String("x".into()));
    let e = format_error(read_profile(&xml(&Value::Dictionary(info)), None));
    assert!(e.to_string().contains("not a configuration profile"), "{e}");
    let e = format_error(read_profile(&xml(&Value::Array(vec![])), None));
    assert!(e.to_string().contains("not a dictionary"), "{e}");
}

#[test]
fn encrypted_profiles_are_unsupported() {
    let Value::Dictionary(mut top) = profile_value(vec![]) else {
        unreachable!()
    };
    top.remove("PayloadContent");
    top.insert("EncryptedPayloadContent".into(), Value::Data(vec![1, 2, 3]));
    let e = format_error(read_profile(&xml(&Value::Dictionary(top)), None));
    assert!(matches!(e, FormatError::Unsupported { .. }), "{e:?}");
}

#[test]
fn a_payload_with_a_bad_certificate_names_the_payload() {
    let value = profile_value(vec![payload(
        PAYLOAD_ROOT,
        "com.example.broken",
        Some(vec![0x30, 0x00]),
    )]);
    let e = format_error(read_profile(&xml(&value), None));
    assert!(
        matches!(&e, FormatError::Certificate { what, .. } if what.contains("com.example.broken")),
        "{e:?}"
    );
    let value = profile_value(vec![payload(PAYLOAD_ROOT, "com.example.empty", None)]);
    let e = format_error(read_profile(&xml(&value), None));
    assert!(e.to_string().contains("no PayloadContent data"), "{e}");
}

/// A binary plist of `depth` arrays, each holding the next one twice: tiny on disk,
/// 2^depth objects once expanded.
fn bplist_bomb(depth: u8) -> Vec<u8> {
    let mut body = b"bplist00".to_vec();
    let mut offsets = Vec::new();
    // Object 0: the string "x"; object i: array [i-1, i-1].
    offsets.push(body.len() as u8);
    body.extend_from_slice(&[0x51, b'x']);
    for i in 1..=depth {
        offsets.push(body.len() as u8);
        body.extend_from_slice(&[0xA2, i - 1, i - 1]);
    }
    let table_at = body.len() as u64;
    body.extend_from_slice(&offsets);
    let mut trailer = [0u8; 32];
    trailer[6] = 1; // offset size
    trailer[7] = 1; // reference size
    trailer[8..16].copy_from_slice(&u64::from(depth + 1).to_be_bytes());
    trailer[16..24].copy_from_slice(&u64::from(depth).to_be_bytes());
    trailer[24..32].copy_from_slice(&table_at.to_be_bytes());
    body.extend_from_slice(&trailer);
    body
}

#[test]
fn binary_plist_bombs_are_refused_before_expansion() {
    // Small enough to expand: parsed (and found not to be a profile).
    let e = format_error(read_profile(&bplist_bomb(4), None));
    assert!(
        e.to_string().contains("top level is not a dictionary"),
        "{e}"
    );
    // 2^40 objects: refused by the guard, instantly.
    let e = format_error(read_profile(&bplist_bomb(40), None));
    assert!(
        matches!(e, FormatError::Limit { what, .. } if what.contains("expanded size")),
        "{e:?}"
    );
}

#[test]
fn binary_plist_cycles_and_deep_nesting_are_refused() {
    // Object 0 is an array holding itself.
    let mut cyclic = b"bplist00".to_vec();
    cyclic.extend_from_slice(&[0xA1, 0x00]);
    cyclic.push(8); // offset table: object 0 at 8
    let mut trailer = [0u8; 32];
    trailer[6] = 1;
    trailer[7] = 1;
    trailer[8..16].copy_from_slice(&1u64.to_be_bytes());
    trailer[24..32].copy_from_slice(&10u64.to_be_bytes());
    cyclic.extend_from_slice(&trailer);
    let e = format_error(read_profile(&cyclic, None));
    assert!(e.to_string().contains("contains itself"), "{e}");

    let mut deep = Value::String("bottom".into());
    for _ in 0..100 {
        deep = Value::Array(vec![deep]);
    }
    let e = format_error(read_profile(&binary(&deep), None));
    assert!(matches!(e, FormatError::Limit { .. }), "{e:?}");
    let e = format_error(read_profile(&xml(&deep), None));
    assert!(matches!(e, FormatError::Limit { .. }), "{e:?}");
}
