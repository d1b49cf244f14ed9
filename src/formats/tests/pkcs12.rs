use super::format_error;
use crate::crypto::Hash;
use crate::formats::testkit::{Enc, P12};
use crate::formats::{Budget, FormatError, MAX_ITERATIONS, MAX_TOTAL_ITERATIONS, read_pkcs12};
use crate::testing::{CertBuilder, Pki};

const PASSWORD: &str = "correct horse";

fn assert_identity_of(pki: &Pki, der: &[u8], password: &str) {
    let identity = read_pkcs12(der, password).expect("reads");
    assert_eq!(identity.certificate, pki.leaf.cert);
    assert_eq!(
        identity.chain,
        [pki.intermediate.cert.clone(), pki.root.cert.clone()]
    );
    assert_eq!(identity.friendly_name.as_deref(), Some("My Identity"));
    assert!(identity.has_private_key);
}

fn identity_p12(pki: &Pki) -> P12 {
    P12::identity(PASSWORD, &pki.leaf, &[&pki.intermediate, &pki.root])
}

#[test]
fn legacy_3des_export_round_trips() {
    let pki = Pki::new();
    let der = identity_p12(&pki)
        .certs_enc(Enc::Tdes)
        .keys_enc(Enc::Tdes)
        .build();
    assert_identity_of(&pki, &der, PASSWORD);
}

#[test]
fn keychain_legacy_export_rc2_40_certificates_3des_key_round_trips() {
    let pki = Pki::new();
    let der = identity_p12(&pki)
        .certs_enc(Enc::Rc2_40)
        .keys_enc(Enc::Tdes)
        .mac(Some(Hash::Sha1))
        .iterations(2048)
        .build();
    assert_identity_of(&pki, &der, PASSWORD);
}

#[test]
fn pbes2_aes256_with_sha256_mac_round_trips() {
    let pki = Pki::new();
    let der = identity_p12(&pki)
        .certs_enc(Enc::Aes256)
        .keys_enc(Enc::Aes256)
        .mac(Some(Hash::Sha256))
        .iterations(2048)
        .build();
    assert_identity_of(&pki, &der, PASSWORD);
}

#[test]
fn every_supported_scheme_and_mac_round_trips() {
    let pki = Pki::new();
    let schemes = [
        Enc::Plain,
        Enc::Tdes,
        Enc::Tdes2,
        Enc::Rc2_40,
        Enc::Rc2_128,
        Enc::Aes256,
        Enc::Aes128Sha1,
        Enc::Pbes2Tdes,
    ];
    let macs = [
        Hash::Sha1,
        Hash::Sha224,
        Hash::Sha256,
        Hash::Sha384,
        Hash::Sha512,
    ];
    for (i, &scheme) in schemes.iter().enumerate() {
        let mac = macs[i % macs.len()];
        let der = identity_p12(&pki)
            .certs_enc(scheme)
            .keys_enc(scheme)
            .mac(Some(mac))
            .build();
        let identity = read_pkcs12(&der, PASSWORD)
            .unwrap_or_else(|e| panic!("{scheme:?} with {mac:?} MAC: {e}"));
        assert_eq!(identity.certificate, pki.leaf.cert, "{scheme:?}");
        assert_eq!(identity.chain.len(), 2, "{scheme:?}");
    }
}

#[test]
fn ber_encoded_file_like_windows_exports_round_trips() {
    let pki = Pki::new();
    let der = identity_p12(&pki)
        .certs_enc(Enc::Rc2_40)
        .keys_enc(Enc::Tdes)
        .ber()
        .build();
    assert_eq!(&der[..2], [0x30, 0x80], "the writer made BER");
    assert_identity_of(&pki, &der, PASSWORD);
}

#[test]
fn non_ascii_password() {
    let pki = Pki::new();
    let der = P12::identity("pässwörd ✓", &pki.leaf, &[&pki.intermediate, &pki.root])
        .certs_enc(Enc::Aes256)
        .build();
    assert_identity_of(&pki, &der, "pässwörd ✓");
    let e = format_error(read_pkcs12(&der, "passwort"));
    assert!(matches!(e, FormatError::WrongPassword { .. }), "{e}");
}

#[test]
fn empty_password_in_both_encodings() {
    let pki = Pki::new();
    let with_terminator = P12::identity("", &pki.leaf, &[&pki.intermediate, &pki.root]).build();
    assert_identity_of(&pki, &with_terminator, "");
    let without = P12::identity("", &pki.leaf, &[&pki.intermediate, &pki.root])
        .empty_password_without_terminator()
        .build();
    assert_identity_of(&pki, &without, "");
}

#[test]
fn wrong_password_says_wrong_password_or_damage() {
    let pki = Pki::new();
    let der = identity_p12(&pki).build();
    let e = format_error(read_pkcs12(&der, "Correct horse"));
    assert!(
        matches!(e, FormatError::WrongPassword { what } if what.contains("MAC")),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("wrong password, or the file is damaged"),
        "{e}"
    );
}

#[test]
fn without_a_mac_a_wrong_password_fails_decryption() {
    let pki = Pki::new();
    let der = identity_p12(&pki).mac(None).build();
    assert_identity_of(&pki, &der, PASSWORD);
    let e = format_error(read_pkcs12(&der, "nope"));
    assert!(matches!(e, FormatError::WrongPassword { .. }), "{e:?}");
}

#[test]
fn identity_is_the_certificate_whose_local_key_id_matches_the_key_bag() {
    let pki = Pki::new();
    // The root comes first and the leaf carries no key id; the intermediate's id matches.
    let der = P12::new(PASSWORD)
        .cert(&pki.root, Some(b"a"), None)
        .cert(&pki.leaf, None, None)
        .cert(&pki.intermediate, Some(b"b"), Some("CA key"))
        .key(Some(b"b"))
        .build();
    let identity = read_pkcs12(&der, PASSWORD).unwrap();
    assert_eq!(identity.certificate, pki.intermediate.cert);
    assert_eq!(
        identity.chain,
        [pki.root.cert.clone(), pki.leaf.cert.clone()]
    );
    assert_eq!(identity.friendly_name.as_deref(), Some("CA key"));
    assert!(identity.has_private_key);
}

#[test]
fn without_a_key_the_first_end_entity_certificate_is_the_identity() {
    let pki = Pki::new();
    let der = P12::new(PASSWORD)
        .cert(&pki.root, None, None)
        .cert(&pki.intermediate, None, None)
        .cert(&pki.leaf, None, None)
        .build();
    let identity = read_pkcs12(&der, PASSWORD).unwrap();
    assert_eq!(identity.certificate, pki.leaf.cert);
    assert!(!identity.has_private_key);
    // Only CA certificates: the first one.
    let der = P12::new(PASSWORD)
        .cert(&pki.intermediate, None, None)
        .cert(&pki.root, None, None)
        .build();
    assert_eq!(
        read_pkcs12(&der, PASSWORD).unwrap().certificate,
        pki.intermediate.cert
    );
}

#[test]
fn a_key_without_local_key_id_still_counts_as_the_identitys_key() {
    let pki = Pki::new();
    let der = P12::new(PASSWORD)
        .cert(&pki.leaf, None, None)
        .cert(&pki.root, None, None)
        .key(None)
        .keys_enc(Enc::Plain)
        .build();
    let identity = read_pkcs12(&der, PASSWORD).unwrap();
    assert_eq!(identity.certificate, pki.leaf.cert);
    assert!(identity.has_private_key);
}

#[test]
fn a_file_without_certificates_is_an_error() {
    let der = P12::new(PASSWORD).key(Some(b"k")).build();
    let e = format_error(read_pkcs12(&der, PASSWORD));
    assert!(e.to_string().contains("no X.509 certificate"), "{e}");
}

#[test]
fn truncated_files_are_errors() {
    let pki = Pki::new();
    let der = identity_p12(&pki).iterations(1).build();
    for len in 0..der.len() {
        let e = format_error(read_pkcs12(&der[..len], PASSWORD));
        assert!(!e.to_string().is_empty());
    }
    let ber = identity_p12(&pki).iterations(1).ber().build();
    for len in (0..ber.len()).step_by(3) {
        assert!(
            read_pkcs12(&ber[..len], PASSWORD).is_err(),
            "BER prefix {len}"
        );
    }
}

#[test]
fn damaged_files_are_errors_naming_the_damage() {
    let pki = Pki::new();
    let der = identity_p12(&pki).iterations(1).build();
    for at in 0..der.len() {
        let mut damaged = der.clone();
        damaged[at] ^= 0x41;
        // Never a panic; a change the MAC covers is reported as wrong password or damage.
        if let Ok(identity) = read_pkcs12(&damaged, PASSWORD) {
            panic!("byte {at} changed and the file still read: {identity:?}");
        }
    }
    // Damage inside the MAC-protected content.
    let mut damaged = der.clone();
    let middle = der.len() / 2;
    damaged[middle] ^= 1;
    let e = format_error(read_pkcs12(&damaged, PASSWORD));
    assert!(matches!(e, FormatError::WrongPassword { .. }), "{e:?}");
}

#[test]
fn damaged_structure_errors_name_the_structure() {
    // version 4
    let mut der = P12::new(PASSWORD)
        .cert(&Pki::new().leaf, None, None)
        .build();
    let version_at = der
        .windows(3)
        .position(|w| w == [0x02, 0x01, 0x03])
        .unwrap();
    der[version_at + 2] = 4;
    let e = format_error(read_pkcs12(&der, PASSWORD));
    assert!(e.to_string().contains("PFX version 4"), "{e}");
    // A certificate that does not parse (the MAC is recomputed by the writer).
    let broken = crate::testing::Issued {
        der: vec![0x30, 0x03, 0x02, 0x01, 0x01],
        ..Pki::new().leaf
    };
    let der = P12::new(PASSWORD).cert(&broken, None, None).build();
    let e = format_error(read_pkcs12(&der, PASSWORD));
    assert!(
        matches!(&e, FormatError::Certificate { what, .. } if what == "PKCS#12 certificate bag 0"),
        "{e:?}"
    );
}

#[test]
fn iteration_counts_over_the_cap_are_refused_before_any_work() {
    let pki = Pki::new();
    let der = identity_p12(&pki)
        .claim_mac_iterations(MAX_ITERATIONS + 1)
        .build();
    let e = format_error(read_pkcs12(&der, PASSWORD));
    assert!(
        matches!(e, FormatError::Limit { value, limit, .. }
            if value == MAX_ITERATIONS + 1 && limit == MAX_ITERATIONS),
        "{e:?}"
    );
    let der = identity_p12(&pki).claim_mac_iterations(0).build();
    assert!(matches!(
        format_error(read_pkcs12(&der, PASSWORD)),
        FormatError::Invalid { .. }
    ));
}

#[test]
fn the_budget_bounds_total_work() {
    let mut budget = Budget::new();
    budget.charge(MAX_ITERATIONS, 1).unwrap();
    budget.charge(MAX_ITERATIONS / 2, 2).unwrap();
    assert_eq!(budget.iterations_left, 0);
    let e = budget.charge(1, 1).unwrap_err();
    assert!(
        matches!(e, FormatError::Limit { limit, .. } if limit == MAX_TOTAL_ITERATIONS),
        "{e:?}"
    );
}

#[test]
fn rc4_is_reported_as_unsupported() {
    // Swap the 3DES OID arc (…12.1.3) of the certificate bag's algorithm for RC4-128 (…12.1.1),
    // with no MAC so the change is not caught first.
    let pki = Pki::new();
    let mut der = identity_p12(&pki).mac(None).build();
    let tdes = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x03];
    let at = der.windows(tdes.len()).position(|w| w == tdes).unwrap();
    der[at + 9] = 0x01;
    let e = format_error(read_pkcs12(&der, PASSWORD));
    assert!(
        matches!(&e, FormatError::Unsupported { detail, .. } if detail.contains("RC4")),
        "{e:?}"
    );
}

#[test]
fn an_rsa_identity_reads_too() {
    let pki = Pki::rsa(2048);
    let der = identity_p12(&pki).certs_enc(Enc::Rc2_40).build();
    assert_identity_of(&pki, &der, PASSWORD);
    // A self-signed end-entity certificate alone.
    let lone = CertBuilder::new("CN=lone").build();
    let der = P12::new("x")
        .cert(&lone, Some(b"1"), None)
        .key(Some(b"1"))
        .build();
    let identity = read_pkcs12(&der, "x").unwrap();
    assert_eq!(identity.certificate, lone.cert);
    assert!(identity.chain.is_empty());
}
