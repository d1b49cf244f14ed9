//! CMS SignedData (RFC 5652 §5), as wrapped around signed configuration profiles and in
//! certificates-only `.p7b` files: the encapsulated content, the certificates, and the
//! signer, whose signature is verified with the crate's signature backend.
//!
//! ```text
//! SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo SEQUENCE {
//!     eContentType OID, eContent [0] EXPLICIT OCTET STRING OPTIONAL },
//!   certificates [0] IMPLICIT SET OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos SET }
//! SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL,
//!   signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] IMPLICIT OPTIONAL }
//! ```
//!
//! Only the first SignerInfo is checked (profiles carry one). Whether the signer's
//! certificate is *trusted* is a separate question: evaluate [`Signer::certificate`] with
//! [`Signer::certificates`] as intermediates.

use const_oid::ObjectIdentifier;
use sha2::Digest;

use super::{FormatError, ber, malformed};
use crate::certificate::Certificate;
use crate::certificate::tlv::{self, Tlv, tag};
use crate::crypto::{Hash, with_digest};
use crate::crypto::{HashAlgorithm, SignatureAlgorithm, SignatureError, default_verifier};

/// `id-signedData`.
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// `id-contentType` signed attribute.
const ATTR_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
/// `id-messageDigest` signed attribute.
const ATTR_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// rsaEncryption, used by most CMS writers as SignerInfo.signatureAlgorithm.
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-ecPublicKey, used by some writers as SignerInfo.signatureAlgorithm.
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// Who signed a CMS envelope, and whether the signature checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Signer {
    /// The signer's certificate (found in the envelope by issuer and serial number or by
    /// subject key identifier).
    pub certificate: Certificate,
    /// The envelope's other certificates (candidate intermediates for the signer).
    pub certificates: Vec<Certificate>,
    /// The outcome of the signature check.
    pub signature: SignatureCheck,
}

/// The outcome of checking a CMS signature. An invalid signature is not an outcome: reading
/// fails with [`FormatError::BadSignature`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureCheck {
    /// The content digest and the signature verify under the signer's key.
    Verified,
    /// The signature could not be checked (an algorithm the backend does not verify); the
    /// reason says which.
    Unverifiable(String),
}

/// A decoded SignedData.
#[derive(Debug)]
pub(crate) struct SignedData {
    /// The encapsulated content (`None` when detached or certificates-only).
    pub(crate) content: Option<Vec<u8>>,
    /// Every certificate in the envelope, in order.
    pub(crate) certificates: Vec<Certificate>,
    /// The first signer, when there is one.
    pub(crate) signer: Option<Signer>,
}

/// Reads a `ContentInfo` holding SignedData (DER or BER) and verifies its first signer.
pub(crate) fn read(input: &[u8]) -> Result<SignedData, FormatError> {
    let der = ber::to_der(input).map_err(malformed("CMS ContentInfo"))?;
    let info = ber::sequence(&der).map_err(malformed("CMS ContentInfo"))?;
    let mut r = info.reader();
    let content_type = tlv::read_oid(&mut r).map_err(malformed("CMS ContentInfo"))?;
    if content_type != ID_SIGNED_DATA {
        return Err(FormatError::Unsupported {
            what: "CMS",
            detail: format!("content type {content_type} (only signedData is read)"),
        });
    }
    let wrapper = r.read(0xA0).map_err(malformed("CMS ContentInfo"))?;
    r.finish().map_err(malformed("CMS ContentInfo"))?;
    let mut wr = wrapper.reader();
    let signed_data = wr
        .read(tag::SEQUENCE)
        .map_err(malformed("CMS SignedData"))?;
    wr.finish().map_err(malformed("CMS SignedData"))?;

    const WHAT: &str = "CMS SignedData";
    let mut r = signed_data.reader();
    r.read(tag::INTEGER).map_err(malformed(WHAT))?;
    r.read(tag::SET).map_err(malformed(WHAT))?;
    let encap = r.read(tag::SEQUENCE).map_err(malformed(WHAT))?;
    let cert_set = r.read_optional(0xA0).map_err(malformed(WHAT))?;
    r.read_optional(0xA1).map_err(malformed(WHAT))?;
    let signer_infos = r.read(tag::SET).map_err(malformed(WHAT))?;
    r.finish().map_err(malformed(WHAT))?;

    // encapContentInfo
    let mut er = encap.reader();
    let econtent_type = tlv::read_oid(&mut er).map_err(malformed("CMS encapContentInfo"))?;
    let content = match er
        .read_optional(0xA0)
        .map_err(malformed("CMS encapContentInfo"))?
    {
        Some(explicit) => {
            let mut xr = explicit.reader();
            let octets = xr
                .read(tag::OCTET_STRING)
                .map_err(malformed("CMS eContent"))?;
            xr.finish().map_err(malformed("CMS eContent"))?;
            Some(octets.value.to_vec())
        }
        None => None,
    };
    er.finish().map_err(malformed("CMS encapContentInfo"))?;

    // certificates: CertificateChoices, of which only plain certificates are read.
    let mut certificates = Vec::new();
    if let Some(set) = cert_set {
        let mut cr = set.reader();
        while !cr.is_empty() {
            let choice = cr.read_any().map_err(malformed("CMS certificates"))?;
            if !choice.is(tag::SEQUENCE) {
                continue; // attribute and other certificate formats
            }
            let index = certificates.len();
            certificates.push(Certificate::from_der(choice.raw).map_err(|e| {
                FormatError::Certificate {
                    what: format!("CMS certificate {index}"),
                    source: Box::new(e),
                }
            })?);
        }
    }

    let mut sr = signer_infos.reader();
    let signer = if sr.is_empty() {
        None
    } else {
        let info = sr
            .read(tag::SEQUENCE)
            .map_err(malformed("CMS SignerInfo"))?;
        Some(verify_signer(
            &info,
            &econtent_type,
            content.as_deref(),
            &certificates,
        )?)
    };
    Ok(SignedData {
        content,
        certificates,
        signer,
    })
}

/// Finds the signer's certificate and checks the SignerInfo's digest and signature.
fn verify_signer(
    info: &Tlv<'_>,
    econtent_type: &ObjectIdentifier,
    content: Option<&[u8]>,
    certificates: &[Certificate],
) -> Result<Signer, FormatError> {
    const WHAT: &str = "CMS SignerInfo";
    let mut r = info.reader();
    r.read(tag::INTEGER).map_err(malformed(WHAT))?;
    let sid = r.read_any().map_err(malformed(WHAT))?;
    let digest_alg = r.read(tag::SEQUENCE).map_err(malformed(WHAT))?;
    let signed_attrs = r.read_optional(0xA0).map_err(malformed(WHAT))?;
    let signature_alg = r.read(tag::SEQUENCE).map_err(malformed(WHAT))?;
    let signature = r.read(tag::OCTET_STRING).map_err(malformed(WHAT))?.value;
    r.read_optional(0xA1).map_err(malformed(WHAT))?;
    r.finish().map_err(malformed(WHAT))?;

    let index = find_signer(&sid, certificates)?.ok_or_else(|| {
        FormatError::BadSignature("the signer's certificate is not in the envelope".into())
    })?;
    let certificate = certificates[index].clone();
    let others = certificates
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != index)
        .map(|(_, c)| c.clone())
        .collect();
    let signer = |signature| Signer {
        certificate: certificate.clone(),
        certificates: others,
        signature,
    };

    let content = content.ok_or_else(|| FormatError::Unsupported {
        what: "CMS",
        detail: "a detached signature (the content is not in the envelope)".into(),
    })?;
    let digest_oid = tlv::read_oid(&mut digest_alg.reader()).map_err(malformed(WHAT))?;
    let Some(hash) = Hash::from_digest_oid(&digest_oid) else {
        return Ok(signer(SignatureCheck::Unverifiable(format!(
            "digest algorithm {digest_oid}"
        ))));
    };
    let content_digest = with_digest!(hash, |D| D::digest(content).to_vec());

    // With signed attributes the signature covers their DER as a SET (RFC 5652 §5.4), and
    // the messageDigest attribute binds the content.
    let message = match signed_attrs {
        Some(attrs) => {
            check_signed_attributes(&attrs, econtent_type, &content_digest)?;
            let mut message = attrs.raw.to_vec();
            message[0] = tag::SET;
            message
        }
        None => content.to_vec(),
    };
    let algorithm = match SignatureAlgorithm::from_algorithm_identifier(signature_alg.raw) {
        SignatureAlgorithm::Unknown(oid) if oid == RSA_ENCRYPTION => {
            SignatureAlgorithm::RsaPkcs1(hash_algorithm(hash))
        }
        SignatureAlgorithm::Unknown(oid) if oid == EC_PUBLIC_KEY => {
            SignatureAlgorithm::Ecdsa(hash_algorithm(hash))
        }
        other => other,
    };
    match default_verifier().verify(&algorithm, certificate.spki_der(), &message, signature) {
        Ok(()) => Ok(signer(SignatureCheck::Verified)),
        Err(SignatureError::Invalid) => Err(FormatError::BadSignature(format!(
            "the {algorithm} signature of {} does not verify",
            certificate.subject_summary()
        ))),
        Err(e) => Ok(signer(SignatureCheck::Unverifiable(e.to_string()))),
    }
}

/// The index of the certificate named by `SignerIdentifier ::= CHOICE {
/// issuerAndSerialNumber SEQUENCE { issuer Name, serialNumber INTEGER },
/// subjectKeyIdentifier [0] IMPLICIT OCTET STRING }`.
fn find_signer(sid: &Tlv<'_>, certificates: &[Certificate]) -> Result<Option<usize>, FormatError> {
    const WHAT: &str = "CMS SignerIdentifier";
    if sid.is(tag::SEQUENCE) {
        let mut r = sid.reader();
        let issuer = r.read(tag::SEQUENCE).map_err(malformed(WHAT))?;
        let serial = r.read(tag::INTEGER).map_err(malformed(WHAT))?;
        r.finish().map_err(malformed(WHAT))?;
        return Ok(certificates
            .iter()
            .position(|c| c.issuer().der() == issuer.raw && c.serial() == serial.value));
    }
    if sid.is(0x80) {
        return Ok(certificates.iter().position(|c| {
            c.extensions()
                .subject_key_identifier
                .as_deref()
                .is_some_and(|id| id == sid.value)
        }));
    }
    Err(malformed(WHAT)(sid.value_error()))
}

/// Checks the contentType and messageDigest signed attributes.
fn check_signed_attributes(
    attrs: &Tlv<'_>,
    econtent_type: &ObjectIdentifier,
    content_digest: &[u8],
) -> Result<(), FormatError> {
    const WHAT: &str = "CMS signed attributes";
    let mut digest_ok = None;
    let mut r = attrs.reader();
    while !r.is_empty() {
        let attribute = r.read(tag::SEQUENCE).map_err(malformed(WHAT))?;
        let mut ar = attribute.reader();
        let id = tlv::read_oid(&mut ar).map_err(malformed(WHAT))?;
        let mut values = ar.read(tag::SET).map_err(malformed(WHAT))?.reader();
        match id {
            ATTR_MESSAGE_DIGEST => {
                let value = values.read(tag::OCTET_STRING).map_err(malformed(WHAT))?;
                digest_ok = Some(value.value == content_digest);
            }
            ATTR_CONTENT_TYPE => {
                let value = tlv::read_oid(&mut values).map_err(malformed(WHAT))?;
                if value != *econtent_type {
                    return Err(FormatError::BadSignature(format!(
                        "signed contentType {value} differs from the content's {econtent_type}"
                    )));
                }
            }
            _ => {}
        }
    }
    match digest_ok {
        Some(true) => Ok(()),
        Some(false) => Err(FormatError::BadSignature(
            "the content's digest differs from the signed messageDigest: the content was \
             changed after signing"
                .into(),
        )),
        None => Err(FormatError::BadSignature(
            "the signed attributes have no messageDigest".into(),
        )),
    }
}

fn hash_algorithm(hash: Hash) -> HashAlgorithm {
    match hash {
        Hash::Sha1 => HashAlgorithm::Sha1,
        Hash::Sha224 => HashAlgorithm::Sha224,
        Hash::Sha256 => HashAlgorithm::Sha256,
        Hash::Sha384 => HashAlgorithm::Sha384,
        Hash::Sha512 => HashAlgorithm::Sha512,
    }
}
