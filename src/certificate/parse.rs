//! DER/PEM decoding into [`Parsed`], with the raw TBS and SPKI byte ranges sliced out of the
//! original DER (signatures are verified over the original bytes, never a re-encoding).
//!
//! One borrowed pass over the DER ([`super::tlv`]); the only copies are the owned fields of
//! [`Parsed`]. Leniency follows Apple's parser rather than strict RFC 5280: any serial number
//! (zero, negative, longer than 20 octets), extensions in a v1/v2 certificate, an explicit
//! `critical FALSE`, UTCTime without seconds or with an offset. Lengths must be DER (definite,
//! minimal) and nothing may follow the certificate.

use super::tlv::{Reader, Tlv, read_oid, tag, uint_u32};
use super::{Certificate, Parsed, decode_ext, der_time, key, name};
use crate::crypto::SignatureAlgorithm;
use crate::error::Error;

/// Maps a decoder error to [`Error::Malformed`] naming the structure.
fn malformed(what: &'static str) -> impl Fn(der::Error) -> Error {
    move |source| Error::Malformed { what, source }
}

/// Parses one DER certificate.
pub(crate) fn parse(der: &[u8]) -> Result<Parsed, Error> {
    let mut outer = Reader::new(der);
    let cert = outer
        .read(tag::SEQUENCE)
        .map_err(malformed("certificate"))?;
    outer.finish().map_err(malformed("certificate"))?;

    let mut cr = cert.reader();
    let tbs = cr
        .read(tag::SEQUENCE)
        .map_err(malformed("tbsCertificate"))?;
    let sig_alg = cr
        .read(tag::SEQUENCE)
        .map_err(malformed("signatureAlgorithm"))?;
    let sig = cr.read(tag::BIT_STRING).map_err(malformed("signature"))?;
    cr.finish().map_err(malformed("certificate"))?;
    algorithm_oid(&sig_alg).map_err(malformed("signatureAlgorithm"))?;
    // The signature octets after the unused-bits count (a non-zero count is kept: the
    // signature then simply fails to verify).
    if sig.value.is_empty() {
        return Err(malformed("signature")(sig.value_error()));
    }
    let signature = sig.value_start + 1..sig.value_start + sig.value.len();

    let mut t = tbs.reader();
    let version = match t
        .read_optional(0xA0)
        .map_err(malformed("tbsCertificate.version"))?
    {
        Some(field) => version(&field).map_err(malformed("tbsCertificate.version"))?,
        None => 1,
    };
    let serial = t
        .read(tag::INTEGER)
        .and_then(|s| {
            if s.value.is_empty() {
                Err(s.value_error())
            } else {
                Ok(s)
            }
        })
        .map_err(malformed("tbsCertificate.serialNumber"))?;
    let tbs_sig = t
        .read(tag::SEQUENCE)
        .map_err(malformed("tbsCertificate.signature"))?;
    algorithm_oid(&tbs_sig).map_err(malformed("tbsCertificate.signature"))?;
    let issuer = t
        .read(tag::SEQUENCE)
        .and_then(|n| name::parse_name_tlv(&n))
        .map_err(malformed("tbsCertificate.issuer"))?;
    let (not_before, not_after) = t
        .read(tag::SEQUENCE)
        .and_then(|v| validity(&v))
        .map_err(malformed("tbsCertificate.validity"))?;
    let subject = t
        .read(tag::SEQUENCE)
        .and_then(|n| name::parse_name_tlv(&n))
        .map_err(malformed("tbsCertificate.subject"))?;
    let spki = t
        .read(tag::SEQUENCE)
        .map_err(malformed("subjectPublicKeyInfo"))?;
    let public_key = key::parse_spki(&spki).map_err(malformed("subjectPublicKeyInfo"))?;
    t.read_optional(0x81)
        .map_err(malformed("tbsCertificate.issuerUniqueID"))?;
    t.read_optional(0x82)
        .map_err(malformed("tbsCertificate.subjectUniqueID"))?;
    let extensions = match t
        .read_optional(0xA3)
        .map_err(malformed("tbsCertificate.extensions"))?
    {
        Some(field) => {
            decode_ext::decode(&field).map_err(malformed("tbsCertificate.extensions"))?
        }
        None => Default::default(),
    };
    t.finish().map_err(malformed("tbsCertificate"))?;

    let spki_range = spki.range();
    Ok(Parsed {
        der: der.to_vec(),
        tbs: tbs.range(),
        sha256: Default::default(),
        spki_sha256: Default::default(),
        der_hash: Default::default(),
        spki_hash: Default::default(),
        key_slot: Default::default(),
        spki: spki_range,
        signature,
        signature_algorithm: SignatureAlgorithm::from_algorithm_identifier(sig_alg.raw),
        signature_algorithms_match: sig_alg.raw == tbs_sig.raw,
        public_key,
        version,
        serial: serial.value_start..serial.value_start + serial.value.len(),
        issuer,
        subject,
        not_before,
        not_after,
        extensions,
    })
}

/// Checks `SEQUENCE { OID, parameters ANY OPTIONAL }`.
fn algorithm_oid(alg: &Tlv<'_>) -> Result<(), der::Error> {
    let mut r = alg.reader();
    read_oid(&mut r)?;
    if !r.is_empty() {
        r.read_any()?;
    }
    r.finish()
}

/// `[0] EXPLICIT Version`: v1(0), v2(1), v3(2) → 1, 2, 3; anything else is malformed.
fn version(field: &Tlv<'_>) -> Result<u8, der::Error> {
    let mut r = field.reader();
    let int = r.read(tag::INTEGER)?;
    r.finish()?;
    match uint_u32(&int)? {
        0 => Ok(1),
        1 => Ok(2),
        2 => Ok(3),
        _ => Err(int.value_error()),
    }
}

/// `Validity ::= SEQUENCE { notBefore Time, notAfter Time }` in Unix seconds.
fn validity(v: &Tlv<'_>) -> Result<(i64, i64), der::Error> {
    let mut r = v.reader();
    let not_before = der_time::decode(&r.read_any()?)?;
    let not_after = der_time::decode(&r.read_any()?)?;
    r.finish()?;
    Ok((not_before, not_after))
}

/// PEM labels read as certificates. `TRUSTED CERTIFICATE` (OpenSSL) appends trust data after
/// the certificate, which is ignored.
const CERTIFICATE_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];

/// Parses every CERTIFICATE block of a PEM text.
///
/// Other blocks (keys, CRLs) are skipped; RFC 1421 header lines (containing `:`) inside a
/// block are ignored; base64 may be wrapped at any width. No certificate block is
/// `Error::Pem { index: 0 }`; a bad block is `Error::Pem` with its zero-based index among the
/// certificate blocks.
pub(crate) fn parse_pem_bundle(pem: &str) -> Result<Vec<Certificate>, Error> {
    let mut certs = Vec::new();
    let mut lines = pem.lines();
    while let Some(line) = lines.next() {
        let Some(label) = line
            .trim()
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        let is_cert = CERTIFICATE_LABELS.contains(&label);
        let index = certs.len();
        let mut b64 = String::new();
        let mut ended = false;
        for line in lines.by_ref() {
            let line = line.trim();
            if line
                .strip_prefix("-----END ")
                .and_then(|l| l.strip_suffix("-----"))
                .is_some_and(|l| l == label)
            {
                ended = true;
                break;
            }
            if is_cert && !line.contains(':') {
                b64.push_str(line);
            }
        }
        if !is_cert {
            continue;
        }
        let pem_err = |reason: String| Error::Pem { index, reason };
        if !ended {
            return Err(pem_err(format!("no \"-----END {label}-----\" line")));
        }
        let der = base64_decode(&b64).map_err(pem_err)?;
        let der = if label == "TRUSTED CERTIFICATE" {
            Reader::new(&der)
                .read_any()
                .map(|tlv| tlv.raw.to_vec())
                .map_err(|e| pem_err(format!("malformed certificate: {e}")))?
        } else {
            der
        };
        let cert = Certificate::from_der(&der).map_err(|e| pem_err(e.to_string()))?;
        certs.push(cert);
    }
    if certs.is_empty() {
        return Err(Error::Pem {
            index: 0,
            reason: "no CERTIFICATE block found".into(),
        });
    }
    Ok(certs)
}

/// DER or PEM, detected by content: PEM when the bytes start (after white space) with
/// `-----BEGIN`, or when they cannot be DER (not starting with a SEQUENCE tag) and contain a
/// `-----BEGIN ` line; otherwise DER.
pub(crate) fn parse_any(bytes: &[u8]) -> Result<Vec<Certificate>, Error> {
    let looks_pem = bytes.trim_ascii_start().starts_with(b"-----BEGIN")
        || (bytes.first() != Some(&tag::SEQUENCE)
            && bytes.windows(11).any(|w| w == b"-----BEGIN "));
    if looks_pem {
        parse_pem_bundle(&String::from_utf8_lossy(bytes))
    } else {
        Certificate::from_der(bytes).map(|c| vec![c])
    }
}

/// Standard base64 (RFC 4648 §4) with optional padding; white space is skipped.
fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut n = 0;
    let mut pad = 0;
    for &c in text.as_bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                continue;
            }
            c if c.is_ascii_whitespace() => continue,
            c => return Err(format!("invalid base64 character {:?}", char::from(c))),
        };
        if pad > 0 {
            return Err("base64 data after padding".into());
        }
        acc = (acc << 6) | u32::from(v);
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
        }
    }
    match (n, pad) {
        (0, 0) => {}
        (2, 0 | 2) => out.push((acc >> 4) as u8),
        (3, 0 | 1) => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => return Err("truncated base64".into()),
    }
    Ok(out)
}

// The fixtures come from `crate::testing`, which `cargo test` always enables (the crate is its
// own dev-dependency with the `testing` feature).
#[cfg(all(test, feature = "testing"))]
mod tests {
    use std::net::Ipv4Addr;

    use const_oid::ObjectIdentifier;
    use const_oid::db::rfc5280::{
        ID_AD_CA_ISSUERS, ID_AD_OCSP, ID_CE_CERTIFICATE_POLICIES, ID_PE_AUTHORITY_INFO_ACCESS,
        ID_QT_CPS,
    };
    use der::asn1::{Any, Ia5String};
    use der::{Decode, Encode};
    use x509_cert::certificate::{CertificateInner, Raw};
    use x509_cert::ext::pkix::certpolicy::{PolicyInformation, PolicyQualifierInfo};
    use x509_cert::ext::pkix::name::GeneralName as X509GeneralName;
    use x509_cert::ext::pkix::{AccessDescription, AuthorityInfoAccessSyntax, CertificatePolicies};

    use sha2::{Digest, Sha256};

    use super::*;
    use crate::certificate::{Curve, GeneralName, KeyAlgorithm, KeyUsage};
    use crate::crypto::HashAlgorithm;
    use crate::testing::{CertBuilder, Issued, KeyPair, oids};

    /// An unknown extension the leaf marks critical.
    const UNKNOWN: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.3.4.5");

    /// The root: RSA-2048, self-signed, CA with pathLen 1, name constraints permitting
    /// `example.com` and 192.0.2.0/24 and excluding `C=ZZ`; a repeated OU with a double space.
    fn root() -> Issued {
        CertBuilder::new("OU=Test  Unit,OU=Roots,O=Example Org,C=US")
            .key(KeyPair::rsa(2048, 1))
            .serial(0x1234)
            .validity("2020-01-01T00:00:00Z", "2040-01-01T00:00:00Z")
            .ca(Some(1))
            .permitted_dns("example.com")
            .permitted_ip("192.0.2.0/24")
            .excluded_dir("C=ZZ")
            .build()
    }

    /// A P-256 TLS leaf issued by [`root`] with most extensions: four SANs, a policy with a CPS
    /// qualifier, AIA (OCSP and caIssuers) and an unknown critical extension.
    fn leaf(root: &Issued) -> Issued {
        CertBuilder::new("description=test leaf,CN=leaf.example.com,O=Example\\, Inc.,C=US")
            .key(KeyPair::p256(2))
            .issued_by(root)
            .serial(0x00AB_CDEF)
            .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
            .basic_constraints(false, None, true)
            .key_usage(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT)
            .eku(&[oids::server_auth(), oids::client_auth()])
            .dns("leaf.example.com")
            .dns("*.leaf.example.com")
            .email("admin@example.com")
            .ip(Ipv4Addr::new(192, 0, 2, 1).into())
            .extension(
                ID_CE_CERTIFICATE_POLICIES,
                false,
                policy_with_cps("2.23.140.1.2.1", "https://cps.example.com"),
            )
            .extension(
                ID_PE_AUTHORITY_INFO_ACCESS,
                false,
                aia("http://ocsp.example.com", "http://ca.example.com/root.cer"),
            )
            .extension(UNKNOWN, true, vec![0x05, 0x00])
            .build()
    }

    fn ia5(s: &str) -> Ia5String {
        Ia5String::new(s).unwrap()
    }

    /// certificatePolicies with one policy carrying a CPS-pointer qualifier.
    fn policy_with_cps(policy: &str, cps: &str) -> Vec<u8> {
        CertificatePolicies(vec![PolicyInformation {
            policy_identifier: ObjectIdentifier::new_unwrap(policy),
            policy_qualifiers: Some(vec![PolicyQualifierInfo {
                policy_qualifier_id: ID_QT_CPS,
                qualifier: Some(Any::encode_from(&ia5(cps)).unwrap()),
            }]),
        }])
        .to_der()
        .unwrap()
    }

    /// authorityInfoAccess with one OCSP and one caIssuers URI.
    fn aia(ocsp: &str, ca_issuers: &str) -> Vec<u8> {
        let access = |method, uri| AccessDescription {
            access_method: method,
            access_location: X509GeneralName::UniformResourceIdentifier(ia5(uri)),
        };
        AuthorityInfoAccessSyntax(vec![
            access(ID_AD_OCSP, ocsp),
            access(ID_AD_CA_ISSUERS, ca_issuers),
        ])
        .to_der()
        .unwrap()
    }

    #[test]
    fn slices_equal_x509_cert_reencoding() {
        let root = root();
        for cert in [leaf(&root).cert, root.cert] {
            let x = CertificateInner::<Raw>::from_der(cert.der()).unwrap();
            assert_eq!(cert.tbs_der(), x.tbs_certificate().to_der().unwrap());
            assert_eq!(
                cert.spki_der(),
                x.tbs_certificate()
                    .subject_public_key_info()
                    .to_der()
                    .unwrap()
            );
            assert_eq!(cert.signature(), x.signature().raw_bytes());
            assert_eq!(
                cert.serial(),
                x.tbs_certificate().serial_number().as_bytes()
            );
            assert_eq!(
                cert.issuer().der(),
                x.tbs_certificate().issuer().to_der().unwrap()
            );
            assert_eq!(
                cert.subject().der(),
                x.tbs_certificate().subject().to_der().unwrap()
            );
            assert!(cert.signature_algorithms_match());
            assert_eq!(cert.sha256()[..], Sha256::digest(cert.der())[..]);
            assert_eq!(cert.spki_sha256()[..], Sha256::digest(cert.spki_der())[..]);
        }
    }

    #[test]
    fn leaf_fields() {
        let root = root();
        let cert = leaf(&root).cert;
        let root = root.cert;
        assert_eq!(cert.version(), 3);
        assert_eq!(cert.serial(), [0x00, 0xAB, 0xCD, 0xEF]);
        assert_eq!(cert.not_before(), 1_704_067_200);
        assert_eq!(cert.not_after(), 1_735_689_600);
        assert_eq!(
            cert.signature_algorithm(),
            &SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256)
        );
        assert_eq!(cert.public_key().algorithm, KeyAlgorithm::Ec(Curve::P256));
        assert_eq!(cert.public_key().bits, Some(256));
        assert_eq!(cert.public_key().to_string(), "EC-P256");
        assert_eq!(
            cert.subject().to_string(),
            "2.5.4.13=test leaf,CN=leaf.example.com,O=Example\\, Inc.,C=US"
        );
        assert_eq!(cert.subject_summary(), "leaf.example.com (test leaf)");
        assert!(!cert.is_ca() && !cert.is_self_issued());
        let e = cert.extensions();
        assert_eq!(
            e.key_usage,
            Some(KeyUsage(
                KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT
            ))
        );
        assert_eq!(e.extended_key_usage.as_ref().map(Vec::len), Some(2));
        assert_eq!(
            e.subject_alt_names().cloned().collect::<Vec<_>>(),
            vec![
                GeneralName::Dns("leaf.example.com".into()),
                GeneralName::Dns("*.leaf.example.com".into()),
                GeneralName::Rfc822("admin@example.com".into()),
                GeneralName::Ip(vec![192, 0, 2, 1]),
            ]
        );
        assert_eq!(cert.email_addresses(), vec!["admin@example.com"]);
        assert_eq!(e.ocsp_urls, vec!["http://ocsp.example.com".to_string()]);
        assert_eq!(
            e.ca_issuers_urls,
            vec!["http://ca.example.com/root.cer".to_string()]
        );
        let policies = e.certificate_policies.as_ref().unwrap();
        assert_eq!(policies[0].oid.to_string(), "2.23.140.1.2.1");
        assert_eq!(policies[0].qualifiers, vec![ID_QT_CPS]);
        assert_eq!(e.unknown_critical, vec![UNKNOWN]);
        assert!(e.unparseable.is_empty() && e.duplicates.is_empty());
        assert_eq!(
            e.authority_key_identifier,
            root.extensions().subject_key_identifier
        );
        assert!(cert.issuer().matches(root.subject()));
    }

    #[test]
    fn root_fields() {
        let root = root().cert;
        assert!(root.is_ca() && root.is_self_issued());
        let bc = root.extensions().basic_constraints.unwrap();
        assert_eq!((bc.path_len, bc.critical), (Some(1), true));
        assert_eq!(root.public_key().to_string(), "RSA-2048");
        assert_eq!(root.subject_summary(), "Test  Unit, Roots");
        let nc = root.extensions().name_constraints.as_ref().unwrap();
        assert_eq!(
            nc.permitted.as_deref().unwrap()[..2],
            [
                GeneralName::Dns("example.com".into()),
                GeneralName::Ip(vec![192, 0, 2, 0, 255, 255, 255, 0])
            ]
        );
        assert!(matches!(
            nc.excluded.as_deref(),
            Some([GeneralName::Directory(n)]) if n.to_string() == "C=ZZ"
        ));
    }

    #[test]
    fn zero_and_negative_serials_parse() {
        let root = root();
        for serial in [vec![0xFF, 0xAB, 0xCD, 0xEF], vec![0, 0, 0, 0]] {
            let (der, _) = CertBuilder::new("CN=leaf.example.com")
                .issued_by(&root)
                .serial_bytes(serial.clone())
                .build_der();
            assert_eq!(Certificate::from_der(&der).unwrap().serial(), serial);
        }
    }

    fn what(result: Result<Parsed, Error>) -> &'static str {
        match result {
            Err(Error::Malformed { what, .. }) => what,
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("parsed"),
        }
    }

    #[test]
    fn malformed_inputs_are_errors_naming_the_structure() {
        let der = leaf(&root()).der;
        assert_eq!(what(parse(&[])), "certificate");
        assert_eq!(what(parse(&der[..der.len() - 1])), "certificate");
        let mut trailing = der.clone();
        trailing.push(0);
        assert_eq!(what(parse(&trailing)), "certificate");
        // The notBefore UTCTime's month set to 13.
        let nb = der.windows(13).position(|w| w == b"240101000000Z").unwrap();
        let mut bad_time = der.clone();
        bad_time[nb + 2..nb + 4].copy_from_slice(b"13");
        assert_eq!(what(parse(&bad_time)), "tbsCertificate.validity");
        // Every truncation fails cleanly.
        for n in 0..der.len() {
            assert!(parse(&der[..n]).is_err());
        }
    }

    #[test]
    fn hostile_bytes_never_panic() {
        let der = leaf(&root()).der;
        // Flip every bit of the certificate in turn.
        for i in 0..der.len() {
            for bit in 0..8 {
                let mut d = der.clone();
                d[i] ^= 1 << bit;
                let _ = parse(&d);
            }
        }
        // Pseudo-random inputs, with and without a plausible SEQUENCE header.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in 0..300usize {
            let mut d: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            assert!(parse(&d).is_err());
            if len >= 4 {
                d[0] = 0x30;
                d[1] = 0x82;
                d[2] = ((len - 4) >> 8) as u8;
                d[3] = (len - 4) as u8;
                let _ = parse(&d);
            }
        }
    }

    #[test]
    fn pem_bundles() {
        let root = root();
        let leaf = leaf(&root);
        let (leaf_pem, root_pem) = (leaf.pem(), root.pem());
        let key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        let bundle = format!("junk\n{leaf_pem}{key}\r\n  {root_pem}");
        let certs = Certificate::from_pem_bundle(&bundle).unwrap();
        assert_eq!(certs.len(), 2);
        assert_eq!(certs[0].der(), leaf.der);
        assert_eq!(certs[1].der(), root.der);
        assert_eq!(Certificate::from_bytes(bundle.as_bytes()).unwrap().len(), 2);
        assert_eq!(Certificate::from_bytes(&root.der).unwrap().len(), 1);
        assert!(matches!(
            Certificate::from_pem_bundle(key),
            Err(Error::Pem { index: 0, .. })
        ));
        assert!(matches!(
            Certificate::from_pem_bundle(""),
            Err(Error::Pem { index: 0, .. })
        ));
        let bad =
            format!("{leaf_pem}-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assert!(matches!(
            Certificate::from_pem_bundle(&bad),
            Err(Error::Pem { index: 1, .. })
        ));
        let unterminated = "-----BEGIN CERTIFICATE-----\nMIIB\n";
        assert!(matches!(
            Certificate::from_pem_bundle(unterminated),
            Err(Error::Pem { index: 0, .. })
        ));
        assert!(Certificate::from_pem(&bundle).is_err());
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("TWFu").unwrap(), b"Man");
        assert_eq!(base64_decode("TWE=").unwrap(), b"Ma");
        assert_eq!(base64_decode("TQ==").unwrap(), b"M");
        assert_eq!(base64_decode("TQ").unwrap(), b"M");
        assert_eq!(base64_decode(" T W\nFu ").unwrap(), b"Man");
        assert!(base64_decode("T").is_err());
        assert!(base64_decode("TQ==TQ==").is_err());
        assert!(base64_decode("TW!u").is_err());
    }
}
