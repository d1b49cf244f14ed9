use plist::{Dictionary, Value};

use super::format_error;
use crate::formats::testkit::{P12, SignOptions, signed_data};
use crate::formats::{FormatError, Loaded, MAX_INPUT_LEN, load};
use crate::testing::Pki;

fn minimal_profile() -> Value {
    let mut top = Dictionary::new();
    top.insert("PayloadType".into(), Value::String("Configuration".into()));
    top.insert(
        "PayloadIdentifier".into(),
        Value::String("com.example.min".into()),
    );
    Value::Dictionary(top)
}

#[test]
fn pem_and_der_certificates_are_recognised() {
    let pki = Pki::new();
    let bundle = format!("{}{}", pki.leaf.pem(), pki.intermediate.pem());
    let Ok(Loaded::Certificates(certs)) = load(bundle.as_bytes(), None) else {
        panic!("PEM")
    };
    assert_eq!(
        certs,
        [pki.leaf.cert.clone(), pki.intermediate.cert.clone()]
    );
    let Ok(Loaded::Certificates(certs)) = load(&pki.root.der, None) else {
        panic!("DER")
    };
    assert_eq!(certs, std::slice::from_ref(&pki.root.cert));
}

#[test]
fn pkcs12_is_recognised_and_needs_its_password() {
    let pki = Pki::new();
    let der = P12::identity("pw", &pki.leaf, &[&pki.root]).build();
    let Ok(Loaded::Pkcs12(identity)) = load(&der, Some("pw")) else {
        panic!("PKCS#12")
    };
    assert_eq!(identity.certificate, pki.leaf.cert);
    let e = format_error(load(&der, None));
    assert!(matches!(e, FormatError::PasswordRequired { .. }), "{e:?}");
    // No password given and the file has the empty one: it opens.
    let open = P12::identity("", &pki.leaf, &[]).build();
    assert!(matches!(load(&open, None), Ok(Loaded::Pkcs12(_))));
}

#[test]
fn profiles_are_recognised_in_every_wrapping() {
    let pki = Pki::new();
    let value = minimal_profile();
    let mut xml = Vec::new();
    value.to_writer_xml(&mut xml).unwrap();
    let mut binary = Vec::new();
    value.to_writer_binary(&mut binary).unwrap();
    let mut with_bom = b"\xEF\xBB\xBF\n  ".to_vec();
    with_bom.extend_from_slice(&xml);
    let signed = signed_data(Some(&xml), Some(&pki.leaf), &[], SignOptions::default());
    for (name, bytes) in [
        ("xml", &xml),
        ("binary", &binary),
        ("bom", &with_bom),
        ("cms", &signed),
    ] {
        match load(bytes, None) {
            Ok(Loaded::Profile(p)) => {
                assert_eq!(p.identifier, "com.example.min", "{name}");
                assert_eq!(p.signed_by.is_some(), name == "cms", "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn certificates_only_cms_is_a_certificate_list() {
    let pki = Pki::new();
    let p7b = signed_data(
        None,
        None,
        &[&pki.intermediate, &pki.root],
        SignOptions::default(),
    );
    let Ok(Loaded::Certificates(certs)) = load(&p7b, None) else {
        panic!("p7b")
    };
    assert_eq!(
        certs,
        [pki.intermediate.cert.clone(), pki.root.cert.clone()]
    );
}

#[test]
fn unrecognised_and_oversized_input_are_errors() {
    for junk in [
        &b""[..],
        b"hello",
        b"\x30",
        b"\x04\x02ab",
        b"\x30\x03\x05\x00\x00",
    ] {
        let e = format_error(load(junk, None));
        assert!(matches!(e, FormatError::Unrecognised), "{junk:?}: {e:?}");
    }
    let big = vec![0u8; MAX_INPUT_LEN + 1];
    let e = format_error(load(&big, None));
    assert!(matches!(e, FormatError::Limit { .. }), "{e:?}");
}
