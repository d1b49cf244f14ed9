//! Decoding the `extensions` field into [`Extensions`] (RFC 5280 §4.2; `apple-trust.md §2,
//! §8`).
//!
//! The list structure itself (`SEQUENCE OF Extension`, each `SEQUENCE { OID, BOOLEAN DEFAULT
//! FALSE, OCTET STRING }`) must be well formed: an error there fails the certificate. What is
//! inside each `extnValue` never does: a known extension that does not decode (including
//! trailing bytes) is listed in `unparseable` and treated as absent. An explicit `critical
//! FALSE` (a DER violation found in a real revoked certificate) is accepted, as Apple does.

use std::collections::HashSet;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280 as id;

use super::extensions::{
    BasicConstraints, ExtensionInfo, Extensions, GeneralName, KeyUsage, NameConstraints,
    PolicyConstraints, PolicyInformation, SubjectAltName,
};
use super::name::parse_name_tlv;
use super::tlv::{Reader, Tlv, boolean, read_oid, tag, uint_u32};

/// The signed certificate timestamp list (RFC 6962 §3.3).
const CT_SCT_LIST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.2");
/// id-ad-ocsp.
const AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
/// id-ad-caIssuers.
const AD_CA_ISSUERS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.2");

/// The extensions Apple's certificate parser knows (`SecCertificate.c`'s handler table): any
/// other critical extension fails CriticalExtensions.
const KNOWN: &[ObjectIdentifier] = &[
    id::ID_CE_SUBJECT_KEY_IDENTIFIER,
    id::ID_CE_KEY_USAGE,
    id::ID_CE_PRIVATE_KEY_USAGE_PERIOD,
    id::ID_CE_SUBJECT_ALT_NAME,
    id::ID_CE_ISSUER_ALT_NAME,
    id::ID_CE_BASIC_CONSTRAINTS,
    id::ID_CE_NAME_CONSTRAINTS,
    id::ID_CE_CRL_DISTRIBUTION_POINTS,
    id::ID_CE_CERTIFICATE_POLICIES,
    id::ID_CE_POLICY_MAPPINGS,
    id::ID_CE_AUTHORITY_KEY_IDENTIFIER,
    id::ID_CE_POLICY_CONSTRAINTS,
    id::ID_CE_EXT_KEY_USAGE,
    id::ID_CE_INHIBIT_ANY_POLICY,
    id::ID_PE_AUTHORITY_INFO_ACCESS,
    id::ID_PE_SUBJECT_INFO_ACCESS,
    CT_SCT_LIST,
];

/// Decodes the content of the TBS `[3]` field (the `Extensions` SEQUENCE element inside it).
pub(crate) fn decode(field: &Tlv<'_>) -> Result<Extensions, der::Error> {
    let mut outer = field.reader();
    let list = outer.read(tag::SEQUENCE)?;
    outer.finish()?;
    let mut ext = Extensions::default();
    // Duplicate detection scans the list while it is short (real certificates) and switches
    // to a hash set past `LINEAR_MAX`, so a hostile certificate with thousands of extensions
    // stays linear.
    const LINEAR_MAX: usize = 32;
    let mut seen_set: Option<HashSet<ObjectIdentifier>> = None;
    let mut duplicated = HashSet::new();
    let mut r = list.reader();
    while !r.is_empty() {
        let seq = r.read(tag::SEQUENCE)?;
        let mut er = seq.reader();
        let oid = read_oid(&mut er)?;
        let critical = match er.read_optional(tag::BOOLEAN)? {
            Some(b) => strict_boolean(&b)?,
            None => false,
        };
        let value = er.read(tag::OCTET_STRING)?;
        er.finish()?;

        let known = KNOWN.contains(&oid);
        let seen = match &mut seen_set {
            Some(set) => !set.insert(oid),
            None if ext.list.len() < LINEAR_MAX => ext.list.iter().any(|e| e.oid == oid),
            None => {
                let mut set: HashSet<_> = ext.list.iter().map(|e| e.oid).collect();
                let seen = !set.insert(oid);
                seen_set = Some(set);
                seen
            }
        };
        ext.list.push(ExtensionInfo {
            oid,
            critical,
            known,
        });
        if seen {
            if duplicated.insert(oid) {
                ext.duplicates.push(oid);
            }
            continue;
        }
        if critical && !known {
            ext.unknown_critical.push(oid);
        }
        if known && apply(&mut ext, oid, critical, value.value).is_none() {
            ext.unparseable.push(oid);
        }
    }
    Ok(ext)
}

/// A BOOLEAN in the extension list: DER's 0x00 / 0xFF only.
fn strict_boolean(tlv: &Tlv<'_>) -> Result<bool, der::Error> {
    match tlv.value {
        [0x00] => Ok(false),
        [0xFF] => Ok(true),
        _ => Err(tlv.value_error()),
    }
}

/// Decodes one known extension into `ext`; `None` when it does not parse.
fn apply(ext: &mut Extensions, oid: ObjectIdentifier, critical: bool, value: &[u8]) -> Option<()> {
    let mut r = Reader::new(value);
    let tlv = r.read_any().ok()?;
    r.finish().ok()?;
    match oid {
        id::ID_CE_BASIC_CONSTRAINTS => {
            ext.basic_constraints = Some(basic_constraints(&tlv, critical)?);
        }
        id::ID_CE_KEY_USAGE => ext.key_usage = Some(key_usage(&tlv)?),
        id::ID_CE_EXT_KEY_USAGE => ext.extended_key_usage = Some(oid_sequence(&tlv)?),
        id::ID_CE_SUBJECT_KEY_IDENTIFIER => {
            expect(&tlv, tag::OCTET_STRING)?;
            ext.subject_key_identifier = Some(tlv.value.to_vec());
        }
        id::ID_CE_AUTHORITY_KEY_IDENTIFIER => {
            ext.authority_key_identifier = authority_key_identifier(&tlv)?;
        }
        id::ID_CE_SUBJECT_ALT_NAME => {
            expect(&tlv, tag::SEQUENCE)?;
            ext.subject_alt_name = Some(SubjectAltName {
                names: general_names(&tlv)?,
                critical,
            });
        }
        id::ID_CE_ISSUER_ALT_NAME => {
            expect(&tlv, tag::SEQUENCE)?;
            general_names(&tlv)?;
        }
        id::ID_CE_NAME_CONSTRAINTS => ext.name_constraints = Some(name_constraints(&tlv)?),
        id::ID_CE_CERTIFICATE_POLICIES => {
            ext.certificate_policies = Some(certificate_policies(&tlv)?);
        }
        id::ID_CE_POLICY_MAPPINGS => ext.policy_mappings = Some(policy_mappings(&tlv)?),
        id::ID_CE_POLICY_CONSTRAINTS => ext.policy_constraints = Some(policy_constraints(&tlv)?),
        id::ID_CE_INHIBIT_ANY_POLICY => {
            expect(&tlv, tag::INTEGER)?;
            ext.inhibit_any_policy = Some(uint_u32(&tlv).ok()?);
        }
        id::ID_PE_AUTHORITY_INFO_ACCESS => {
            let (ocsp, ca_issuers) = info_access(&tlv)?;
            ext.ocsp_urls = ocsp;
            ext.ca_issuers_urls = ca_issuers;
        }
        id::ID_PE_SUBJECT_INFO_ACCESS => {
            info_access(&tlv)?;
        }
        // Known but not used by the engine: only the outer structure is checked.
        id::ID_CE_PRIVATE_KEY_USAGE_PERIOD | id::ID_CE_CRL_DISTRIBUTION_POINTS => {
            expect(&tlv, tag::SEQUENCE)?;
        }
        CT_SCT_LIST => expect(&tlv, tag::OCTET_STRING)?,
        _ => {}
    }
    Some(())
}

fn expect(tlv: &Tlv<'_>, tag: u8) -> Option<()> {
    tlv.is(tag).then_some(())
}

/// Iterates the elements of a constructed element (`None` items end the decode).
fn elements<'a>(tlv: &Tlv<'a>) -> impl Iterator<Item = Option<Tlv<'a>>> {
    let mut r = tlv.reader();
    std::iter::from_fn(move || (!r.is_empty()).then(|| r.read_any().ok()))
}

/// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER
/// (0..MAX) OPTIONAL }; a pathLen beyond `u32` does not parse.
fn basic_constraints(tlv: &Tlv<'_>, critical: bool) -> Option<BasicConstraints> {
    expect(tlv, tag::SEQUENCE)?;
    let mut r = tlv.reader();
    let ca = match r.read_optional(tag::BOOLEAN).ok()? {
        Some(b) => boolean(&b).ok()?,
        None => false,
    };
    let path_len = match r.read_optional(tag::INTEGER).ok()? {
        Some(i) => Some(uint_u32(&i).ok()?),
        None => None,
    };
    r.finish().ok()?;
    Some(BasicConstraints {
        ca,
        path_len,
        critical,
    })
}

/// KeyUsage ::= BIT STRING; bit i (0 = digitalSignature … 8 = decipherOnly) → `1 << i`.
fn key_usage(tlv: &Tlv<'_>) -> Option<KeyUsage> {
    expect(tlv, tag::BIT_STRING)?;
    let (&unused, bits) = tlv.value.split_first()?;
    if unused > 7 || (bits.is_empty() && unused != 0) {
        return None;
    }
    let mut mask = 0u16;
    for i in 0..=8u16 {
        let byte = bits.get(usize::from(i / 8)).copied().unwrap_or(0);
        if byte & (0x80 >> (i % 8)) != 0 {
            mask |= 1 << i;
        }
    }
    Some(KeyUsage(mask))
}

/// SEQUENCE OF OBJECT IDENTIFIER (extendedKeyUsage); an empty sequence is `Some(vec![])`.
fn oid_sequence(tlv: &Tlv<'_>) -> Option<Vec<ObjectIdentifier>> {
    expect(tlv, tag::SEQUENCE)?;
    elements(tlv)
        .map(|e| {
            e.filter(|e| e.is(tag::OID))
                .and_then(|e| super::tlv::oid(&e).ok())
        })
        .collect()
}

/// AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL, authorityCertIssuer [1]
/// OPTIONAL, authorityCertSerialNumber [2] OPTIONAL }: the keyIdentifier.
fn authority_key_identifier(tlv: &Tlv<'_>) -> Option<Option<Vec<u8>>> {
    expect(tlv, tag::SEQUENCE)?;
    let mut r = tlv.reader();
    let key_id = r.read_optional(0x80).ok()?.map(|k| k.value.to_vec());
    if let Some(issuer) = r.read_optional(0xA1).ok()? {
        general_names(&issuer)?;
    }
    r.read_optional(0x82).ok()?;
    r.finish().ok()?;
    Some(key_id)
}

/// GeneralNames ::= SEQUENCE OF GeneralName (also the content of an IMPLICIT `[n]` holder).
pub(crate) fn general_names(tlv: &Tlv<'_>) -> Option<Vec<GeneralName>> {
    elements(tlv)
        .map(|e| e.and_then(|e| general_name(&e)))
        .collect()
}

/// One GeneralName (RFC 5280 §4.2.1.6). IA5String forms must be ASCII.
fn general_name(tlv: &Tlv<'_>) -> Option<GeneralName> {
    let number = tlv.context_number()?;
    let constructed = tlv.tag & 0x20 != 0;
    let ia5 = || {
        (!constructed && tlv.value.is_ascii())
            .then(|| std::str::from_utf8(tlv.value).ok().map(str::to_owned))
            .flatten()
    };
    Some(match number {
        1 => GeneralName::Rfc822(ia5()?),
        2 => GeneralName::Dns(ia5()?),
        6 => GeneralName::Uri(ia5()?),
        7 if !constructed => GeneralName::Ip(tlv.value.to_vec()),
        4 if constructed => {
            // directoryName is EXPLICIT: a Name inside.
            let mut r = tlv.reader();
            let name = r.read(tag::SEQUENCE).ok()?;
            r.finish().ok()?;
            GeneralName::Directory(parse_name_tlv(&name).ok()?)
        }
        4 | 7 => return None,
        n => GeneralName::Other(n),
    })
}

/// NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
/// excludedSubtrees [1] GeneralSubtrees OPTIONAL }; only each subtree's base is kept.
fn name_constraints(tlv: &Tlv<'_>) -> Option<NameConstraints> {
    expect(tlv, tag::SEQUENCE)?;
    let mut r = tlv.reader();
    let permitted = match r.read_optional(0xA0).ok()? {
        Some(t) => Some(subtrees(&t)?),
        None => None,
    };
    let excluded = match r.read_optional(0xA1).ok()? {
        Some(t) => Some(subtrees(&t)?),
        None => None,
    };
    r.finish().ok()?;
    Some(NameConstraints {
        permitted,
        excluded,
    })
}

/// GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }.
fn subtrees(tlv: &Tlv<'_>) -> Option<Vec<GeneralName>> {
    elements(tlv)
        .map(|e| {
            let e = e.filter(|e| e.is(tag::SEQUENCE))?;
            let mut r = e.reader();
            let base = general_name(&r.read_any().ok()?)?;
            r.read_optional(0x80).ok()?;
            r.read_optional(0x81).ok()?;
            r.finish().ok()?;
            Some(base)
        })
        .collect()
}

/// certificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier, policyQualifiers
/// SEQUENCE OF PolicyQualifierInfo { policyQualifierId, qualifier ANY } OPTIONAL }.
fn certificate_policies(tlv: &Tlv<'_>) -> Option<Vec<PolicyInformation>> {
    expect(tlv, tag::SEQUENCE)?;
    elements(tlv)
        .map(|e| {
            let e = e.filter(|e| e.is(tag::SEQUENCE))?;
            let mut r = e.reader();
            let oid = read_oid(&mut r).ok()?;
            let qualifiers = match r.read_optional(tag::SEQUENCE).ok()? {
                Some(q) => elements(&q)
                    .map(|qi| {
                        let qi = qi.filter(|qi| qi.is(tag::SEQUENCE))?;
                        let mut qr = qi.reader();
                        let qid = read_oid(&mut qr).ok()?;
                        if !qr.is_empty() {
                            qr.read_any().ok()?;
                        }
                        qr.finish().ok()?;
                        Some(qid)
                    })
                    .collect::<Option<Vec<_>>>()?,
                None => Vec::new(),
            };
            r.finish().ok()?;
            Some(PolicyInformation { oid, qualifiers })
        })
        .collect()
}

/// PolicyMappings ::= SEQUENCE OF SEQUENCE { issuerDomainPolicy, subjectDomainPolicy }.
fn policy_mappings(tlv: &Tlv<'_>) -> Option<Vec<(ObjectIdentifier, ObjectIdentifier)>> {
    expect(tlv, tag::SEQUENCE)?;
    elements(tlv)
        .map(|e| {
            let e = e.filter(|e| e.is(tag::SEQUENCE))?;
            let mut r = e.reader();
            let issuer = read_oid(&mut r).ok()?;
            let subject = read_oid(&mut r).ok()?;
            r.finish().ok()?;
            Some((issuer, subject))
        })
        .collect()
}

/// PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] SkipCerts OPTIONAL,
/// inhibitPolicyMapping [1] SkipCerts OPTIONAL }.
fn policy_constraints(tlv: &Tlv<'_>) -> Option<PolicyConstraints> {
    expect(tlv, tag::SEQUENCE)?;
    let mut r = tlv.reader();
    let mut skip_certs = |tag| match r.read_optional(tag).ok()? {
        Some(t) => uint_u32(&t).ok().map(Some),
        None => Some(None),
    };
    let require_explicit_policy = skip_certs(0x80)?;
    let inhibit_policy_mapping = skip_certs(0x81)?;
    r.finish().ok()?;
    Some(PolicyConstraints {
        require_explicit_policy,
        inhibit_policy_mapping,
    })
}

/// AuthorityInfoAccessSyntax ::= SEQUENCE OF AccessDescription { accessMethod, accessLocation
/// GeneralName }: the URIs of the OCSP and caIssuers methods.
fn info_access(tlv: &Tlv<'_>) -> Option<(Vec<String>, Vec<String>)> {
    expect(tlv, tag::SEQUENCE)?;
    let mut ocsp = Vec::new();
    let mut ca_issuers = Vec::new();
    for e in elements(tlv) {
        let e = e.filter(|e| e.is(tag::SEQUENCE))?;
        let mut r = e.reader();
        let method = read_oid(&mut r).ok()?;
        let location = general_name(&r.read_any().ok()?)?;
        r.finish().ok()?;
        if let GeneralName::Uri(uri) = location {
            match method {
                AD_OCSP => ocsp.push(uri),
                AD_CA_ISSUERS => ca_issuers.push(uri),
                _ => {}
            }
        }
    }
    Some((ocsp, ca_issuers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::name::tests::tlv;

    fn ext(oid: ObjectIdentifier, critical: bool, value: &[u8]) -> Vec<u8> {
        let mut body = tlv(tag::OID, oid.as_bytes());
        if critical {
            body.extend(tlv(tag::BOOLEAN, &[0xFF]));
        }
        body.extend(tlv(tag::OCTET_STRING, value));
        tlv(tag::SEQUENCE, &body)
    }

    fn decode_all(exts: &[Vec<u8>]) -> Result<Extensions, der::Error> {
        let list = tlv(tag::SEQUENCE, &exts.concat());
        let field = tlv(0xA3, &list);
        let mut r = Reader::new(&field);
        decode(&r.read(0xA3).unwrap())
    }

    #[test]
    fn basic_constraints_and_key_usage() {
        let bc = tlv(tag::SEQUENCE, &[0x01, 0x01, 0xFF, 0x02, 0x01, 0x03]);
        let ku = tlv(tag::BIT_STRING, &[0x07, 0x86, 0x80]);
        let e = decode_all(&[
            ext(id::ID_CE_BASIC_CONSTRAINTS, true, &bc),
            ext(id::ID_CE_KEY_USAGE, true, &ku),
        ])
        .unwrap();
        assert_eq!(
            e.basic_constraints,
            Some(BasicConstraints {
                ca: true,
                path_len: Some(3),
                critical: true
            })
        );
        let ku = e.key_usage.unwrap();
        assert!(ku.contains(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_CERT_SIGN));
        assert!(ku.contains(KeyUsage::CRL_SIGN | KeyUsage::DECIPHER_ONLY));
        assert_eq!(ku.0, 0b1_0110_0001);
        assert!(e.unparseable.is_empty() && e.unknown_critical.is_empty());
    }

    #[test]
    fn eku_empty_and_malformed() {
        let e = decode_all(&[ext(id::ID_CE_EXT_KEY_USAGE, false, &[0x30, 0x00])]).unwrap();
        assert_eq!(e.extended_key_usage, Some(vec![]));
        let e = decode_all(&[ext(
            id::ID_CE_EXT_KEY_USAGE,
            false,
            &[0x30, 0x02, 0x05, 0x00],
        )])
        .unwrap();
        assert_eq!(e.extended_key_usage, None);
        assert_eq!(e.unparseable, vec![id::ID_CE_EXT_KEY_USAGE]);
    }

    #[test]
    fn duplicates_unknown_critical_and_san() {
        let san = tlv(
            tag::SEQUENCE,
            &[
                tlv(0x82, b"example.com"),
                tlv(0x81, b"a@example.com"),
                tlv(0x87, &[127, 0, 0, 1]),
                tlv(0x86, b"https://x"),
                tlv(0xA0, &[]),
            ]
            .concat(),
        );
        let unknown = ObjectIdentifier::new_unwrap("1.2.3.4");
        let e = decode_all(&[
            ext(id::ID_CE_SUBJECT_ALT_NAME, true, &san),
            ext(unknown, true, &[0x05, 0x00]),
            ext(id::ID_CE_SUBJECT_ALT_NAME, false, &[0x30, 0x00]),
        ])
        .unwrap();
        let san = e.subject_alt_name.as_ref().unwrap();
        assert!(san.critical);
        assert_eq!(
            san.names,
            vec![
                GeneralName::Dns("example.com".into()),
                GeneralName::Rfc822("a@example.com".into()),
                GeneralName::Ip(vec![127, 0, 0, 1]),
                GeneralName::Uri("https://x".into()),
                GeneralName::Other(0),
            ]
        );
        assert_eq!(e.duplicates, vec![id::ID_CE_SUBJECT_ALT_NAME]);
        assert_eq!(e.unknown_critical, vec![unknown]);
        assert_eq!(e.list.len(), 3);
        assert!(!e.list[1].known);
    }

    #[test]
    fn duplicates_found_in_long_lists() {
        let oid = |i: u32| ObjectIdentifier::new(&format!("1.2.3.{i}")).unwrap();
        let mut exts: Vec<Vec<u8>> = (0..40).map(|i| ext(oid(i), false, &[0x05, 0x00])).collect();
        exts.push(ext(oid(5), false, &[0x05, 0x00]));
        exts.push(ext(oid(39), true, &[0x05, 0x00]));
        exts.push(ext(oid(5), false, &[0x05, 0x00]));
        let e = decode_all(&exts).unwrap();
        assert_eq!(e.list.len(), 43);
        assert_eq!(e.duplicates, vec![oid(5), oid(39)]);
        assert!(e.unknown_critical.is_empty());
    }

    #[test]
    fn non_ascii_ia5_makes_san_unparseable() {
        let san = tlv(tag::SEQUENCE, &tlv(0x82, "exämple.com".as_bytes()));
        let e = decode_all(&[ext(id::ID_CE_SUBJECT_ALT_NAME, false, &san)]).unwrap();
        assert!(e.subject_alt_name.is_none());
        assert_eq!(e.unparseable, vec![id::ID_CE_SUBJECT_ALT_NAME]);
    }

    #[test]
    fn trailing_bytes_in_value_are_unparseable() {
        let bc = [tlv(tag::SEQUENCE, &[]), vec![0x00]].concat();
        let e = decode_all(&[ext(id::ID_CE_BASIC_CONSTRAINTS, true, &bc)]).unwrap();
        assert!(e.basic_constraints.is_none());
        assert_eq!(e.unparseable, vec![id::ID_CE_BASIC_CONSTRAINTS]);
    }

    #[test]
    fn policies_constraints_and_aia() {
        let any = ObjectIdentifier::new_unwrap("2.5.29.32.0");
        let cps = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.2.1");
        let qualifier = tlv(
            tag::SEQUENCE,
            &[tlv(tag::OID, cps.as_bytes()), tlv(tag::IA5_STRING, b"x")].concat(),
        );
        let policy = tlv(
            tag::SEQUENCE,
            &[
                tlv(tag::OID, any.as_bytes()),
                tlv(tag::SEQUENCE, &qualifier),
            ]
            .concat(),
        );
        let pc = tlv(tag::SEQUENCE, &[0x80, 0x01, 0x00, 0x81, 0x01, 0x02]);
        let aia = tlv(
            tag::SEQUENCE,
            &[
                tlv(
                    tag::SEQUENCE,
                    &[tlv(tag::OID, AD_OCSP.as_bytes()), tlv(0x86, b"http://ocsp")].concat(),
                ),
                tlv(
                    tag::SEQUENCE,
                    &[
                        tlv(tag::OID, AD_CA_ISSUERS.as_bytes()),
                        tlv(0x86, b"http://ca"),
                    ]
                    .concat(),
                ),
            ]
            .concat(),
        );
        let nc = tlv(
            tag::SEQUENCE,
            &tlv(
                0xA1,
                &tlv(tag::SEQUENCE, &tlv(0x87, &[10, 0, 0, 0, 255, 0, 0, 0])),
            ),
        );
        let e = decode_all(&[
            ext(
                id::ID_CE_CERTIFICATE_POLICIES,
                false,
                &tlv(tag::SEQUENCE, &policy),
            ),
            ext(id::ID_CE_POLICY_CONSTRAINTS, true, &pc),
            ext(id::ID_CE_INHIBIT_ANY_POLICY, true, &[0x02, 0x01, 0x01]),
            ext(id::ID_PE_AUTHORITY_INFO_ACCESS, false, &aia),
            ext(id::ID_CE_NAME_CONSTRAINTS, true, &nc),
        ])
        .unwrap();
        assert_eq!(
            e.certificate_policies,
            Some(vec![PolicyInformation {
                oid: any,
                qualifiers: vec![cps]
            }])
        );
        assert_eq!(
            e.policy_constraints,
            Some(PolicyConstraints {
                require_explicit_policy: Some(0),
                inhibit_policy_mapping: Some(2)
            })
        );
        assert_eq!(e.inhibit_any_policy, Some(1));
        assert_eq!(e.ocsp_urls, vec!["http://ocsp".to_string()]);
        assert_eq!(e.ca_issuers_urls, vec!["http://ca".to_string()]);
        let nc = e.name_constraints.unwrap();
        assert_eq!(nc.permitted, None);
        assert_eq!(
            nc.excluded,
            Some(vec![GeneralName::Ip(vec![10, 0, 0, 0, 255, 0, 0, 0])])
        );
        assert!(e.unparseable.is_empty());
    }

    #[test]
    fn explicit_critical_false_is_accepted_but_bad_boolean_is_not() {
        let mut body = tlv(tag::OID, id::ID_CE_KEY_USAGE.as_bytes());
        body.extend(tlv(tag::BOOLEAN, &[0x00]));
        body.extend(tlv(tag::OCTET_STRING, &[0x03, 0x02, 0x07, 0x80]));
        let e = decode_all(&[tlv(tag::SEQUENCE, &body)]).unwrap();
        assert!(!e.list[0].critical);
        let mut body = tlv(tag::OID, id::ID_CE_KEY_USAGE.as_bytes());
        body.extend(tlv(tag::BOOLEAN, &[0x01]));
        body.extend(tlv(tag::OCTET_STRING, &[0x03, 0x02, 0x07, 0x80]));
        assert!(decode_all(&[tlv(tag::SEQUENCE, &body)]).is_err());
    }
}
