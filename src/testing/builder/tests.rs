//! The builder's output, read back with x509-cert and checked with RustCrypto verifiers.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
use ecdsa::signature::Verifier as _;
use rsa::pkcs8::DecodePublicKey as _;
use x509_cert::Certificate as X509;
use x509_cert::certificate::Version;
use x509_cert::ext::pkix::name::GeneralName as XName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, ExtendedKeyUsage, KeyUsage,
    NameConstraints, PolicyConstraints, PolicyMappings, SubjectAltName, SubjectKeyIdentifier,
};

use super::*;
use crate::certificate::KeyUsage as Ku;
use crate::testing::oids;
use crate::testing::pki::{Pki, intermediate_spec, leaf_spec, root_spec};

fn parse(der: &[u8]) -> X509 {
    X509::from_der(der).unwrap_or_else(|e| panic!("x509-cert rejects the output: {e}"))
}

/// The raw tbsCertificate bytes inside `der`.
fn tbs_bytes(der: &[u8]) -> &[u8] {
    let mut reader = SliceReader::new(der).unwrap();
    der::Header::decode(&mut reader).unwrap();
    reader.tlv_bytes().unwrap()
}

/// Verifies `der`'s signature with the key in `issuer_spki`, for every algorithm the builder
/// makes genuinely.
fn verifies(der: &[u8], issuer_spki: &[u8]) -> bool {
    let cert = parse(der);
    let tbs = tbs_bytes(der);
    assert_eq!(
        tbs,
        cert.tbs_certificate().to_der().unwrap(),
        "TBS is canonical"
    );
    let sig = cert.signature().raw_bytes();
    let alg = cert.signature_algorithm().oid.to_string();
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(issuer_spki).unwrap();
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
        .map(|o| o.to_string());
    match (alg.as_str(), curve.as_deref()) {
        ("1.2.840.10045.4.3.2", Some("1.2.840.10045.3.1.7")) => {
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(issuer_spki).unwrap();
            let Ok(sig) = p256::ecdsa::Signature::from_der(sig) else {
                return false;
            };
            key.verify(tbs, &sig).is_ok()
        }
        ("1.2.840.10045.4.3.3", Some("1.3.132.0.34")) => {
            let key = p384::ecdsa::VerifyingKey::from_public_key_der(issuer_spki).unwrap();
            let Ok(sig) = p384::ecdsa::Signature::from_der(sig) else {
                return false;
            };
            key.verify(tbs, &sig).is_ok()
        }
        ("1.2.840.113549.1.1.11", _) => rsa::PublicKey::from_public_key_der(issuer_spki)
            .unwrap()
            .pkcs1v15_verify::<sha2::Sha256>(tbs, sig)
            .is_ok(),
        ("1.2.840.113549.1.1.5", _) => rsa::PublicKey::from_public_key_der(issuer_spki)
            .unwrap()
            .pkcs1v15_verify::<sha1::Sha1>(tbs, sig)
            .is_ok(),
        ("1.2.840.113549.1.1.10", _) => rsa::PublicKey::from_public_key_der(issuer_spki)
            .unwrap()
            .pss_verify::<sha2::Sha256>(tbs, sig)
            .is_ok(),
        ("1.3.101.112", _) => {
            let key = ed25519_dalek::VerifyingKey::from_bytes(
                spki.subject_public_key.raw_bytes().try_into().unwrap(),
            )
            .unwrap();
            let sig = ed25519_dalek::Signature::from_slice(sig).unwrap();
            key.verify(tbs, &sig).is_ok()
        }
        other => panic!("no verifier for {other:?}"),
    }
}

fn extension_ids(cert: &X509) -> Vec<String> {
    cert.tbs_certificate()
        .extensions()
        .into_iter()
        .flatten()
        .map(|e| e.extn_id.to_string())
        .collect()
}

fn ext<'a, T: Decode<'a> + const_oid::AssociatedOid>(cert: &'a X509) -> (bool, T) {
    cert.tbs_certificate()
        .get_extension::<T>()
        .unwrap_or_else(|e| panic!("{}: {e}", T::OID))
        .unwrap_or_else(|| panic!("{} absent", T::OID))
}

#[test]
fn default_certificate_is_a_self_signed_v3() {
    let (der, key) = CertBuilder::new("CN=Leaf,O=Example,C=US").build_der();
    let cert = parse(&der);
    let tbs = cert.tbs_certificate();
    assert_eq!(tbs.version(), Version::V3);
    assert_eq!(tbs.subject().to_string(), "CN=Leaf,O=Example,C=US");
    assert_eq!(tbs.issuer(), tbs.subject());
    assert_eq!(
        tbs.subject_public_key_info().to_der().unwrap(),
        key.spki_der()
    );
    assert_eq!(
        tbs.validity().not_before.to_unix_duration().as_secs(),
        1_577_836_800
    );
    assert_eq!(
        tbs.validity().not_after.to_unix_duration().as_secs(),
        1_893_456_000
    );
    assert_eq!(tbs.signature(), cert.signature_algorithm());
    assert_eq!(
        cert.signature_algorithm().oid.to_string(),
        "1.2.840.10045.4.3.2"
    );
    // SKI and AKI only: no constraints unless asked for.
    assert_eq!(extension_ids(&cert), ["2.5.29.14", "2.5.29.35"]);
    let (_, ski) = ext::<SubjectKeyIdentifier>(&cert);
    assert_eq!(ski.0.as_bytes(), key.key_id());
    let (_, aki) = ext::<AuthorityKeyIdentifier>(&cert);
    assert_eq!(aki.key_identifier.unwrap().as_bytes(), key.key_id());
    assert!(verifies(&der, &key.spki_der()));
    // The default key follows the subject string.
    assert_eq!(
        key,
        CertBuilder::new("CN=Leaf,O=Example,C=US").build_der().1
    );
    assert_ne!(key, CertBuilder::new("CN=Other").build_der().1);
}

#[test]
fn output_is_byte_identical_across_builds() {
    let make = || {
        CertBuilder::new("CN=Same")
            .key(KeyPair::rsa(1024, 11))
            .pss()
            .dns("a.example")
            .build_der()
            .0
    };
    assert_eq!(make(), make());
    let ec = || CertBuilder::new("CN=Same").ca(Some(1)).build_der().0;
    assert_eq!(ec(), ec());
}

#[test]
fn pki_chain_links_and_verifies() {
    let (k1, k2, k3) = (KeyPair::p256(1), KeyPair::p256(2), KeyPair::p256(3));
    let (root, _) = root_spec(k1.clone()).build_der();
    let (inter, _) = intermediate_spec(k2.clone())
        .issued_by_der(&root, &k1)
        .build_der();
    let (leaf, _) = leaf_spec(k3).issued_by_der(&inter, &k2).build_der();
    let (root_c, inter_c, leaf_c) = (parse(&root), parse(&inter), parse(&leaf));

    assert!(verifies(&root, &k1.spki_der()));
    assert!(verifies(&inter, &k1.spki_der()));
    assert!(verifies(&leaf, &k2.spki_der()));
    assert!(!verifies(&leaf, &k1.spki_der()));

    assert_eq!(
        inter_c.tbs_certificate().issuer(),
        root_c.tbs_certificate().subject()
    );
    assert_eq!(
        leaf_c.tbs_certificate().issuer(),
        inter_c.tbs_certificate().subject()
    );
    let (_, leaf_aki) = ext::<AuthorityKeyIdentifier>(&leaf_c);
    let (_, inter_ski) = ext::<SubjectKeyIdentifier>(&inter_c);
    assert_eq!(leaf_aki.key_identifier.unwrap(), inter_ski.0);
    assert_eq!(leaf_c.tbs_certificate().serial_number().as_bytes(), [3]);

    for ca in [&root_c, &inter_c] {
        let (critical, bc) = ext::<BasicConstraints>(ca);
        assert!(critical && bc.ca && bc.path_len_constraint.is_none());
        let (critical, ku) = ext::<KeyUsage>(ca);
        assert!(critical);
        assert_eq!(ku.0.bits(), Ku::KEY_CERT_SIGN | Ku::CRL_SIGN);
    }

    assert!(
        leaf_c
            .tbs_certificate()
            .get_extension::<BasicConstraints>()
            .unwrap()
            .is_none()
    );
    let (_, ku) = ext::<KeyUsage>(&leaf_c);
    assert_eq!(ku.0.bits(), Ku::DIGITAL_SIGNATURE | Ku::KEY_ENCIPHERMENT);
    let (critical, eku) = ext::<ExtendedKeyUsage>(&leaf_c);
    assert!(!critical);
    assert_eq!(
        eku.0,
        [
            oids::server_auth(),
            oids::client_auth(),
            oids::email_protection()
        ]
    );
    let (critical, san) = ext::<SubjectAltName>(&leaf_c);
    assert!(!critical);
    assert!(matches!(&san.0[0], XName::DnsName(d) if d.as_str() == Pki::HOSTNAME));
    assert!(matches!(&san.0[1], XName::Rfc822Name(e) if e.as_str() == Pki::EMAIL));
}

#[test]
fn pki_constants_match_their_dates() {
    assert_eq!(Pki::NOT_BEFORE, unix("2020-01-01T00:00:00Z"));
    assert_eq!(Pki::NOT_AFTER, unix("2030-01-01T00:00:00Z"));
    assert_eq!(Pki::T_VALID, unix("2024-01-01T00:00:00Z"));
    assert_eq!(Pki::T_EXPIRED, unix("2031-01-01T00:00:00Z"));
    assert_eq!(Pki::T_NOT_YET_VALID, unix("2019-01-01T00:00:00Z"));
}

#[test]
fn rsa_ed25519_and_p384_issuers_sign_validly() {
    for issuer_key in [KeyPair::rsa(1024, 1), KeyPair::ed25519(1), KeyPair::p384(1)] {
        let hash = if issuer_key.bits() == 384 {
            HashAlgorithm::Sha384
        } else {
            HashAlgorithm::Sha256
        };
        let (root, _) = CertBuilder::new("CN=Root")
            .key(issuer_key.clone())
            .signature_hash(hash)
            .ca(None)
            .build_der();
        let (leaf, _) = CertBuilder::new("CN=Leaf")
            .issued_by_der(&root, &issuer_key)
            .signature_hash(hash)
            .build_der();
        assert!(verifies(&root, &issuer_key.spki_der()), "{issuer_key:?}");
        assert!(verifies(&leaf, &issuer_key.spki_der()), "{issuer_key:?}");
    }
}

#[test]
fn rsa_hashes_and_pss() {
    let key = KeyPair::rsa(1024, 2);
    let (sha1, _) = CertBuilder::new("CN=x")
        .key(key.clone())
        .signature_hash(HashAlgorithm::Sha1)
        .build_der();
    assert!(verifies(&sha1, &key.spki_der()));
    let (pss, _) = CertBuilder::new("CN=x").key(key.clone()).pss().build_der();
    assert!(verifies(&pss, &key.spki_der()));
    let params = parse(&pss)
        .signature_algorithm()
        .parameters
        .clone()
        .unwrap();
    assert_eq!(params.tag(), Tag::Sequence);

    let (md5, _) = CertBuilder::new("CN=x")
        .key(key.clone())
        .signature_hash(HashAlgorithm::Md5)
        .build_der();
    let cert = parse(&md5);
    assert_eq!(
        cert.signature_algorithm().oid.to_string(),
        "1.2.840.113549.1.1.4"
    );
    let prefix = [
        0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05, 0x05,
        0x00, 0x04, 0x10,
    ];
    let scheme = rsa::Pkcs1v15Sign {
        hash_len: Some(16),
        prefix: Box::new(prefix),
    };
    rsa::PublicKey::from_public_key_der(&key.spki_der())
        .unwrap()
        .verify(
            scheme,
            &crate::testing::md5::md5(tbs_bytes(&md5)),
            cert.signature().raw_bytes(),
        )
        .unwrap();
}

#[test]
fn corrupt_signature_fails_verification_only() {
    let good = CertBuilder::new("CN=x").build_der();
    let bad = CertBuilder::new("CN=x").corrupt_signature().build_der();
    assert!(verifies(&good.0, &good.1.spki_der()));
    assert!(!verifies(&bad.0, &bad.1.spki_der()));
    assert_eq!(tbs_bytes(&good.0), tbs_bytes(&bad.0));
}

#[test]
fn versions_one_and_two_carry_no_extensions() {
    for (v, expected) in [(1, Version::V1), (2, Version::V2)] {
        let (der, key) = CertBuilder::new("CN=Old")
            .version(v)
            .ca(None)
            .dns("x.example")
            .extension(
                ObjectIdentifier::new_unwrap("1.2.3.4"),
                true,
                vec![0x05, 0x00],
            )
            .build_der();
        let cert = parse(&der);
        assert_eq!(cert.tbs_certificate().version(), expected);
        assert!(cert.tbs_certificate().extensions().is_none());
        assert!(verifies(&der, &key.spki_der()));
    }
    // v1 leaves the [0] field out entirely (its DER default); version(0) writes it.
    let (der, _) = CertBuilder::new("CN=Old").version(1).build_der();
    assert!(RawCert::from_der(&der).unwrap().tbs.version.is_none());
    let (der, _) = CertBuilder::new("CN=Old").version(0).build_der();
    let version = RawCert::from_der(&der).unwrap().tbs.version.unwrap();
    assert_eq!(version.value(), [0]);
}

#[test]
fn key_usage_bits_are_minimal_der() {
    for mask in [
        Ku::DIGITAL_SIGNATURE,
        Ku::KEY_CERT_SIGN | Ku::CRL_SIGN,
        Ku::DIGITAL_SIGNATURE | Ku::DECIPHER_ONLY,
        Ku::ENCIPHER_ONLY,
        0x1ff,
    ] {
        let (der, _) = CertBuilder::new("CN=x").key_usage(mask).build_der();
        let (_, ku) = ext::<KeyUsage>(&parse(&der));
        assert_eq!(ku.0.bits(), mask, "{mask:#x}");
    }
    assert_eq!(
        key_usage_bits(Ku::DIGITAL_SIGNATURE),
        [0x03, 0x02, 0x07, 0x80]
    );
    assert_eq!(
        key_usage_bits(Ku::KEY_CERT_SIGN | Ku::CRL_SIGN),
        [0x03, 0x02, 0x01, 0x06]
    );
    assert_eq!(
        key_usage_bits(Ku::DECIPHER_ONLY),
        [0x03, 0x03, 0x07, 0x00, 0x80]
    );
    assert_eq!(key_usage_bits(0), [0x03, 0x01, 0x00]);
}

#[test]
fn constraint_overrides_and_absences() {
    let (der, _) = CertBuilder::new("CN=CA")
        .ca(Some(2))
        .key_usage(Ku::DIGITAL_SIGNATURE)
        .build_der();
    let cert = parse(&der);
    let (_, bc) = ext::<BasicConstraints>(&cert);
    assert_eq!(bc.path_len_constraint, Some(2));
    assert_eq!(ext::<KeyUsage>(&cert).1.0.bits(), Ku::DIGITAL_SIGNATURE);

    let (der, _) = CertBuilder::new("CN=CA")
        .ca(None)
        .no_basic_constraints()
        .no_key_usage()
        .no_ski()
        .no_aki()
        .build_der();
    assert!(parse(&der).tbs_certificate().extensions().is_none());

    let (der, _) = CertBuilder::new("CN=EE")
        .basic_constraints(false, Some(0), false)
        .build_der();
    let (critical, bc) = ext::<BasicConstraints>(&parse(&der));
    assert!(!critical && !bc.ca);
    assert_eq!(bc.path_len_constraint, Some(0));

    let (der, _) = CertBuilder::new("CN=x")
        .eku(&[])
        .critical(const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE, true)
        .build_der();
    let (critical, eku) = ext::<ExtendedKeyUsage>(&parse(&der));
    assert!(critical && eku.0.is_empty());
}

#[test]
fn key_identifiers_can_be_given_or_dropped() {
    let issuer_key = KeyPair::p256(40);
    let (issuer, _) = CertBuilder::new("CN=I")
        .key(issuer_key.clone())
        .ski(vec![1, 2, 3])
        .ca(None)
        .build_der();
    let (_, aki) = ext::<AuthorityKeyIdentifier>(&parse(&issuer));
    assert_eq!(
        aki.key_identifier.unwrap().as_bytes(),
        [1, 2, 3],
        "self-signed: AKI = SKI"
    );

    let (child, _) = CertBuilder::new("CN=C")
        .issued_by_der(&issuer, &issuer_key)
        .build_der();
    let (_, aki) = ext::<AuthorityKeyIdentifier>(&parse(&child));
    assert_eq!(aki.key_identifier.unwrap().as_bytes(), [1, 2, 3]);

    let (child, _) = CertBuilder::new("CN=C")
        .issued_by_der(&issuer, &issuer_key)
        .aki(vec![9])
        .build_der();
    let (_, aki) = ext::<AuthorityKeyIdentifier>(&parse(&child));
    assert_eq!(aki.key_identifier.unwrap().as_bytes(), [9]);

    let (no_ski_issuer, _) = CertBuilder::new("CN=I")
        .key(issuer_key.clone())
        .no_ski()
        .build_der();
    let (child, _) = CertBuilder::new("CN=C")
        .issued_by_der(&no_ski_issuer, &issuer_key)
        .build_der();
    assert_eq!(extension_ids(&parse(&child)), ["2.5.29.14"]);
}

#[test]
fn raw_extensions_follow_in_order_and_may_duplicate() {
    let unknown = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1");
    let bc = const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS;
    let (der, _) = CertBuilder::new("CN=x")
        .ca(None)
        .extension(unknown, true, vec![0x05, 0x00])
        .extension(bc, false, vec![0x30, 0x00])
        .build_der();
    let cert = parse(&der);
    assert_eq!(
        extension_ids(&cert),
        [
            "2.5.29.14",
            "2.5.29.35",
            "2.5.29.19",
            "2.5.29.15",
            "1.3.6.1.4.1.99999.1",
            "2.5.29.19"
        ]
    );
    let exts = cert.tbs_certificate().extensions().unwrap();
    assert!(exts[4].critical);
    assert_eq!(exts[4].extn_value.as_bytes(), [0x05, 0x00]);
    assert!(!exts[5].critical);
    assert!(
        cert.tbs_certificate()
            .get_extension::<BasicConstraints>()
            .is_err()
    );
}

#[test]
fn subject_alt_names_of_every_kind() {
    let (der, _) = CertBuilder::new("")
        .dns("*.example.com")
        .email("a@example.com")
        .ip(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)))
        .ip(IpAddr::V6(Ipv6Addr::LOCALHOST))
        .uri("https://example.com/")
        .san_dir("CN=Dir,O=Example")
        .san_critical(true)
        .build_der();
    let cert = parse(&der);
    assert!(cert.tbs_certificate().subject().is_empty());
    let (critical, san) = ext::<SubjectAltName>(&cert);
    assert!(critical);
    assert_eq!(san.0.len(), 6);
    assert!(matches!(&san.0[2], XName::IpAddress(ip) if ip.as_bytes() == [192, 0, 2, 1]));
    assert!(matches!(&san.0[3], XName::IpAddress(ip) if ip.as_bytes().len() == 16));
    assert!(matches!(&san.0[5], XName::DirectoryName(n) if n.to_string() == "CN=Dir,O=Example"));

    let (der, _) = CertBuilder::new("CN=x").dns("a").no_san().build_der();
    assert!(!extension_ids(&parse(&der)).contains(&"2.5.29.17".to_string()));
}

#[test]
fn name_constraints() {
    let (der, _) = CertBuilder::new("CN=CA")
        .ca(None)
        .permitted_dns("example.com")
        .permitted_ip("10.0.0.0/8")
        .permitted_email(".example.com")
        .permitted_dir("O=Example,C=US")
        .permitted_uri(".example.com")
        .excluded_dns("bad.example.com")
        .excluded_ip("2001:db8::/33")
        .excluded_email("x@example.com")
        .excluded_dir("O=Bad")
        .excluded_uri("bad.example.com")
        .build_der();
    let (critical, nc) = ext::<NameConstraints>(&parse(&der));
    assert!(critical);
    let permitted = nc.permitted_subtrees.unwrap();
    let excluded = nc.excluded_subtrees.unwrap();
    assert_eq!((permitted.len(), excluded.len()), (5, 5));
    assert!(
        matches!(&permitted[1].base, XName::IpAddress(ip) if ip.as_bytes() == [10, 0, 0, 0, 255, 0, 0, 0])
    );
    let XName::IpAddress(v6) = &excluded[1].base else {
        panic!("not an IP: {:?}", excluded[1].base)
    };
    let mask = &v6.as_bytes()[16..];
    assert_eq!(&mask[..5], [0xff, 0xff, 0xff, 0xff, 0x80]);
    assert!(mask[5..].iter().all(|&b| b == 0));
    assert!(
        matches!(&permitted[3].base, XName::DirectoryName(n) if n.to_string() == "O=Example,C=US")
    );
    assert_eq!(cidr("192.0.2.7"), [192, 0, 2, 7, 255, 255, 255, 255]);
}

#[test]
fn policy_extensions() {
    let (p1, p2) = (oids::test_policy(1), oids::test_policy(2));
    let (der, _) = CertBuilder::new("CN=CA")
        .ca(None)
        .policies(&[p1, oids::any_policy()])
        .policy_mappings(&[(p1, p2)])
        .require_explicit_policy(0)
        .inhibit_policy_mapping(3)
        .inhibit_any_policy(1)
        .build_der();
    let cert = parse(&der);
    let (critical, cp) = ext::<CertificatePolicies>(&cert);
    assert!(!critical);
    assert_eq!(cp.0.len(), 2);
    assert_eq!(cp.0[1].policy_identifier, oids::any_policy());
    let (critical, pm) = ext::<PolicyMappings>(&cert);
    assert!(critical);
    assert_eq!(pm.0[0].subject_domain_policy, p2);
    let (critical, pc) = ext::<PolicyConstraints>(&cert);
    assert!(critical);
    assert_eq!(pc.require_explicit_policy, Some(0));
    assert_eq!(pc.inhibit_policy_mapping, Some(3));
    let iap = cert
        .tbs_certificate()
        .extensions()
        .unwrap()
        .iter()
        .find(|e| e.extn_id.to_string() == "2.5.29.54")
        .unwrap();
    assert!(iap.critical);
    assert_eq!(iap.extn_value.as_bytes(), [0x02, 0x01, 0x01]);
}

#[test]
fn validity_time_encodings() {
    let (der, _) = CertBuilder::new("CN=x")
        .validity("2020-06-01T12:30:45Z", "2050-01-01T00:00:00Z")
        .build_der();
    let validity = *parse(&der).tbs_certificate().validity();
    assert!(matches!(
        validity.not_before,
        x509_cert::time::Time::UtcTime(_)
    ));
    assert!(matches!(
        validity.not_after,
        x509_cert::time::Time::GeneralTime(_)
    ));
    assert_eq!(
        validity.not_before.to_unix_duration().as_secs(),
        unix("2020-06-01T12:30:45Z") as u64
    );
    // Before 1950 is GeneralizedTime too (x509-cert cannot read years before 1970).
    assert_eq!(
        time(unix("1949-12-31T23:59:59Z")),
        tlv(Tag::GeneralizedTime, b"19491231235959Z")
    );
    assert_eq!(time(unix("2049-12-31T23:59:59Z"))[0], 0x17);
    assert_eq!(time(Pki::T_VALID), tlv(Tag::UtcTime, b"240101000000Z"));
    assert_eq!(
        time(unix("2050-01-01T00:00:00Z")),
        tlv(Tag::GeneralizedTime, b"20500101000000Z")
    );
    let (der, _) = CertBuilder::new("CN=x")
        .validity_unix(0, 86_399)
        .build_der();
    let validity = *parse(&der).tbs_certificate().validity();
    assert_eq!(validity.not_after.to_unix_duration().as_secs(), 86_399);
}

#[test]
fn serials_issuer_names_and_algorithm_fields() {
    let (der, _) = CertBuilder::new("CN=x").serial(0x80).build_der();
    assert_eq!(
        parse(&der).tbs_certificate().serial_number().as_bytes(),
        [0x00, 0x80]
    );
    // Raw serial bytes are written as given (here a negative serial x509-cert's profile
    // rejects, so read it from the raw structure).
    let (der, _) = CertBuilder::new("CN=x")
        .serial_bytes(vec![0xff, 0x01])
        .build_der();
    let raw = RawCert::from_der(&der).unwrap();
    assert_eq!(raw.tbs.serial.value(), [0xff, 0x01]);

    let (der, _) = CertBuilder::new("CN=x")
        .issuer_name("CN=Someone Else")
        .build_der();
    assert_eq!(
        parse(&der).tbs_certificate().issuer().to_string(),
        "CN=Someone Else"
    );

    let (der, _) = CertBuilder::new("CN=x")
        .outer_signature_algorithm(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384))
        .build_der();
    let cert = parse(&der);
    assert_ne!(
        cert.signature_algorithm(),
        cert.tbs_certificate().signature()
    );

    // An algorithm the key cannot make: claimed as asked, with a garbage signature.
    let (der, key) = CertBuilder::new("CN=x")
        .signature_algorithm(SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256))
        .build_der();
    let cert = parse(&der);
    assert_eq!(
        cert.signature_algorithm().oid.to_string(),
        "1.2.840.113549.1.1.11"
    );
    assert!(!key.is_rsa());
    assert_eq!(cert.signature().raw_bytes().len(), 72);
}

#[test]
fn issuer_ski_is_read_from_der() {
    let key = KeyPair::p256(50);
    let (issuer, _) = CertBuilder::new("CN=I").key(key.clone()).build_der();
    let built = CertBuilder::new("CN=C").issued_by_der(&issuer, &key);
    let info = built.issuer.clone().unwrap();
    assert_eq!(info.ski, Some(key.key_id()));
    assert_eq!(info.name_der, crate::testing::name_der("CN=I"));
    // The extension value really is an OCTET STRING holding the key id.
    let (_, ski) = ext::<SubjectKeyIdentifier>(&parse(&issuer));
    assert_eq!(ski.0, OctetString::new(key.key_id()).unwrap());
}

#[test]
fn rsa_2048_chain_verifies_and_small_keys_still_build() {
    let (k1, k2) = (KeyPair::rsa(2048, 1), KeyPair::rsa(2048, 2));
    let (root, _) = root_spec(k1.clone()).build_der();
    let (inter, _) = intermediate_spec(k2.clone())
        .issued_by_der(&root, &k1)
        .build_der();
    assert!(verifies(&root, &k1.spki_der()));
    assert!(verifies(&inter, &k1.spki_der()));
    assert_eq!(k2.bits(), 2048);

    let weak = KeyPair::rsa(512, 1);
    let (der, _) = CertBuilder::new("CN=Weak").key(weak.clone()).build_der();
    let cert = parse(&der);
    assert_eq!(cert.signature().raw_bytes().len(), 64);
    assert_eq!(
        cert.tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .unwrap(),
        weak.spki_der()
    );
}
