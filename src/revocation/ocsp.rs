//! OCSP responses (RFC 6960): decoding with `der`'s derive, signature and responder checks,
//! CertID matching and the validity window, as trustd's `SecOCSPResponse.c` does them
//! (`apple-trust.md §9`).
//!
//! A response is only ever used for the certificate its CertID names, and only when its
//! signature verifies with the issuer's key or with a delegated responder certificate that the
//! response carries, that the issuer signed, and that has the id-kp-OCSPSigning EKU (RFC 6960
//! §4.2.2.2). Anything else is ignored with a reason: never trusted.

use const_oid::ObjectIdentifier;
use der::asn1::{Any, BitString, GeneralizedTime, Null, OctetString};
use der::{Choice, Decode, Encode, Enumerated, FixedTag, Header, Length, Reader, Sequence, Tag};
use sha2::{Digest as _, Sha256, Sha384, Sha512};

use super::asn1::Extension;
use crate::certificate::Certificate;
use crate::crypto::{HashAlgorithm, SignatureAlgorithm, SignatureVerifier};

/// id-pkix-ocsp-basic.
pub const OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// id-kp-OCSPSigning: the EKU a delegated responder certificate must carry.
pub const OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
/// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): "do not check this responder certificate's
/// revocation". trustd never checks a delegated responder certificate's revocation, and neither
/// does this engine, so the extension changes nothing: a responder carrying it is accepted or
/// refused exactly as one without it. Nothing reads it; the constant names the OID for callers.
/// A responder certificate's extensions are not checked beyond its EKU, so a critical nocheck
/// is not refused there; in a certificate PATH it is an unknown extension like any other.
pub const OCSP_NOCHECK: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.5");

const SHA1_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// Apple's clock tolerance for OCSP times (`LEEWAY` in `SecOCSPResponse.c`, 4500 s): a
/// thisUpdate or producedAt up to this far after the verify time, or a nextUpdate up to this
/// far before it, is still accepted.
pub const OCSP_LEEWAY: i64 = 4_500;
/// How long a response without nextUpdate is used after its thisUpdate (Apple's
/// `kSecDefaultOCSPResponseTTL`, 24 hours).
pub const OCSP_DEFAULT_TTL: i64 = 86_400;

// ----- the ASN.1 (RFC 6960 §4.2.1, §4.1.1) -----

/// `OCSPResponseStatus ::= ENUMERATED`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[repr(u32)]
pub enum ResponseStatus {
    /// successful (0).
    Successful = 0,
    /// malformedRequest (1).
    MalformedRequest = 1,
    /// internalError (2).
    InternalError = 2,
    /// tryLater (3).
    TryLater = 3,
    /// sigRequired (5).
    SigRequired = 5,
    /// unauthorized (6).
    Unauthorized = 6,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct OcspResponseAsn1 {
    pub(crate) response_status: ResponseStatus,
    #[asn1(context_specific = "0", optional = "true")]
    pub(crate) response_bytes: Option<ResponseBytes>,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct ResponseBytes {
    pub(crate) response_type: ObjectIdentifier,
    pub(crate) response: OctetString,
}

/// `BasicOCSPResponse`, with tbsResponseData kept raw: the signature is over its exact bytes.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct BasicOcspResponse {
    pub(crate) tbs_response_data: Any,
    pub(crate) signature_algorithm: Any,
    pub(crate) signature: BitString,
    #[asn1(context_specific = "0", optional = "true")]
    pub(crate) certs: Option<Vec<Any>>,
}

fn v1() -> u8 {
    0
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct ResponseData {
    #[asn1(context_specific = "0", default = "v1")]
    pub(crate) version: u8,
    pub(crate) responder_id: ResponderId,
    pub(crate) produced_at: GeneralizedTime,
    pub(crate) responses: Vec<SingleResponseAsn1>,
    #[asn1(context_specific = "1", optional = "true")]
    pub(crate) response_extensions: Option<Vec<Extension>>,
}

/// `ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }`.
#[derive(Clone, Debug, PartialEq, Eq, Choice)]
pub(crate) enum ResponderId {
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", constructed = "true")]
    ByName(Any),
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", constructed = "true")]
    ByKey(OctetString),
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct SingleResponseAsn1 {
    pub(crate) cert_id: CertIdAsn1,
    pub(crate) cert_status: CertStatusAsn1,
    pub(crate) this_update: GeneralizedTime,
    #[asn1(context_specific = "0", optional = "true")]
    pub(crate) next_update: Option<GeneralizedTime>,
    #[asn1(context_specific = "1", optional = "true")]
    pub(crate) single_extensions: Option<Vec<Extension>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct AlgorithmIdentifier {
    pub(crate) algorithm: ObjectIdentifier,
    pub(crate) parameters: Option<Any>,
}

/// `CertID`; the serial is kept raw (an INTEGER's content octets, as certificates keep it).
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct CertIdAsn1 {
    pub(crate) hash_algorithm: AlgorithmIdentifier,
    pub(crate) issuer_name_hash: OctetString,
    pub(crate) issuer_key_hash: OctetString,
    pub(crate) serial_number: Any,
}

/// `CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo,
/// unknown [2] IMPLICIT UnknownInfo }`.
#[derive(Clone, Debug, PartialEq, Eq, Choice)]
pub(crate) enum CertStatusAsn1 {
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    Good(Null),
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Revoked(RevokedInfo),
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT")]
    Unknown(Null),
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct RevokedInfo {
    pub(crate) revocation_time: GeneralizedTime,
    #[asn1(context_specific = "0", optional = "true")]
    pub(crate) revocation_reason: Option<CrlReason>,
}

/// `CRLReason ::= ENUMERATED` (RFC 5280 §5.3.1), any value kept (7 is unused, unknown values
/// are reported as they are).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CrlReason(pub(crate) u8);

impl FixedTag for CrlReason {
    const TAG: Tag = Tag::Enumerated;
}

impl<'a> der::DecodeValue<'a> for CrlReason {
    type Error = der::Error;
    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        let bytes = reader.read_vec(header.length())?;
        match bytes.as_slice() {
            [b] if *b < 0x80 => Ok(CrlReason(*b)),
            _ => Err(Tag::Enumerated.value_error().into()),
        }
    }
}

impl der::EncodeValue for CrlReason {
    fn value_len(&self) -> der::Result<Length> {
        Ok(Length::ONE)
    }
    fn encode_value(&self, writer: &mut impl der::Writer) -> der::Result<()> {
        writer.write_byte(self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct OcspRequestAsn1 {
    pub(crate) tbs_request: TbsRequest,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct TbsRequest {
    #[asn1(context_specific = "0", default = "v1")]
    pub(crate) version: u8,
    pub(crate) request_list: Vec<Request>,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct Request {
    pub(crate) req_cert: CertIdAsn1,
}

// ----- the parsed view -----

/// Why an OCSP response or a CRL cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

fn malformed(what: &str, e: der::Error) -> ParseError {
    ParseError(format!("malformed {what}: {e}"))
}

/// A certificate status of one SingleResponse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertStatus {
    /// good.
    Good,
    /// revoked, with its time (Unix seconds) and CRL reason code when given.
    Revoked {
        /// revocationTime.
        time: i64,
        /// revocationReason (RFC 5280 §5.3.1 CRLReason).
        reason: Option<u8>,
    },
    /// unknown.
    Unknown,
}

/// One SingleResponse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleResponse {
    /// The CertID's hash algorithm (SHA-1, SHA-256, SHA-384 or SHA-512; `None`: another).
    pub hash: Option<HashAlgorithm>,
    /// issuerNameHash.
    pub issuer_name_hash: Vec<u8>,
    /// issuerKeyHash.
    pub issuer_key_hash: Vec<u8>,
    /// The serial number's content octets.
    pub serial: Vec<u8>,
    /// certStatus.
    pub status: CertStatus,
    /// thisUpdate, Unix seconds.
    pub this_update: i64,
    /// nextUpdate, Unix seconds.
    pub next_update: Option<i64>,
}

/// The responder a response names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Responder {
    Name(crate::certificate::Name),
    KeyHash(Vec<u8>),
}

/// A decoded OCSP response (RFC 6960 §4.2.1).
#[derive(Debug, Clone)]
pub struct OcspResponse {
    status: ResponseStatus,
    basic: Option<Basic>,
}

#[derive(Debug, Clone)]
struct Basic {
    tbs: Vec<u8>,
    algorithm: SignatureAlgorithm,
    signature: Vec<u8>,
    certs: Vec<Certificate>,
    responder: Responder,
    produced_at: i64,
    responses: Vec<SingleResponse>,
}

fn unix(t: &GeneralizedTime) -> i64 {
    i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

impl OcspResponse {
    /// Decodes an `OCSPResponse`. A response whose status is not `successful` decodes (it
    /// carries no answer); a successful one must be a BasicOCSPResponse.
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        let outer = OcspResponseAsn1::from_der(der).map_err(|e| malformed("OCSPResponse", e))?;
        let Some(bytes) = outer.response_bytes else {
            if outer.response_status == ResponseStatus::Successful {
                return Err(ParseError(
                    "successful OCSPResponse without responseBytes".into(),
                ));
            }
            return Ok(OcspResponse {
                status: outer.response_status,
                basic: None,
            });
        };
        if bytes.response_type != OCSP_BASIC {
            return Err(ParseError(format!(
                "unsupported OCSP responseType {}",
                bytes.response_type
            )));
        }
        let basic = BasicOcspResponse::from_der(bytes.response.as_bytes())
            .map_err(|e| malformed("BasicOCSPResponse", e))?;
        let tbs = basic
            .tbs_response_data
            .to_der()
            .map_err(|e| malformed("tbsResponseData", e))?;
        let data = ResponseData::from_der(&tbs).map_err(|e| malformed("ResponseData", e))?;
        let algorithm = SignatureAlgorithm::from_algorithm_identifier(
            &basic
                .signature_algorithm
                .to_der()
                .map_err(|e| malformed("signatureAlgorithm", e))?,
        );
        let mut certs = Vec::new();
        for c in basic.certs.iter().flatten() {
            let der = c.to_der().map_err(|e| malformed("certs", e))?;
            certs.push(
                Certificate::from_der(&der)
                    .map_err(|e| ParseError(format!("responder certificate: {e}")))?,
            );
        }
        let responder = match &data.responder_id {
            ResponderId::ByName(name) => Responder::Name(
                crate::certificate::internal::parse_name(
                    &name.to_der().map_err(|e| malformed("responderID", e))?,
                )
                .map_err(|e| malformed("responderID", e))?,
            ),
            ResponderId::ByKey(k) => Responder::KeyHash(k.as_bytes().to_vec()),
        };
        let responses = data
            .responses
            .iter()
            .map(|r| SingleResponse {
                hash: hash_of(&r.cert_id.hash_algorithm.algorithm),
                issuer_name_hash: r.cert_id.issuer_name_hash.as_bytes().to_vec(),
                issuer_key_hash: r.cert_id.issuer_key_hash.as_bytes().to_vec(),
                serial: r.cert_id.serial_number.value().to_vec(),
                status: match &r.cert_status {
                    CertStatusAsn1::Good(_) => CertStatus::Good,
                    CertStatusAsn1::Unknown(_) => CertStatus::Unknown,
                    CertStatusAsn1::Revoked(info) => CertStatus::Revoked {
                        time: unix(&info.revocation_time),
                        reason: info.revocation_reason.map(|r| r.0),
                    },
                },
                this_update: unix(&r.this_update),
                next_update: r.next_update.as_ref().map(unix),
            })
            .collect();
        Ok(OcspResponse {
            status: outer.response_status,
            basic: Some(Basic {
                tbs,
                algorithm,
                signature: basic.signature.raw_bytes().to_vec(),
                certs,
                responder,
                produced_at: unix(&data.produced_at),
                responses,
            }),
        })
    }

    /// responseStatus.
    pub fn status(&self) -> ResponseStatus {
        self.status
    }

    /// The SingleResponses (none unless the status is successful).
    pub fn responses(&self) -> &[SingleResponse] {
        self.basic.as_ref().map_or(&[], |b| &b.responses)
    }

    /// producedAt, Unix seconds.
    pub fn produced_at(&self) -> Option<i64> {
        self.basic.as_ref().map(|b| b.produced_at)
    }

    /// The certificates the response carries (a delegated responder's).
    pub fn certs(&self) -> &[Certificate] {
        self.basic.as_ref().map_or(&[], |b| &b.certs)
    }

    /// Whether any SingleResponse names `cert` issued by `issuer`.
    pub fn names(&self, cert: &Certificate, issuer: &Certificate) -> bool {
        self.responses()
            .iter()
            .any(|r| cert_id_matches(r, cert, issuer))
    }

    /// The status of `cert` (issued by `issuer`) at `verify_time`, when this response is a
    /// usable answer for it: `Ok(None)` when it does not name the certificate, `Err(reason)`
    /// when it names it but cannot be used (bad signature, unauthorised responder, stale or
    /// future).
    pub fn status_of(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        verify_time: i64,
        verifier: &dyn SignatureVerifier,
    ) -> Result<Option<&SingleResponse>, String> {
        let Some((basic, single)) = self.signed_answer(cert, issuer, verify_time, verifier)? else {
            return Ok(None);
        };
        let t = verify_time;
        if basic.produced_at > t + OCSP_LEEWAY {
            return Err("producedAt is after the verify time".into());
        }
        if single.this_update > t + OCSP_LEEWAY {
            return Err("thisUpdate is after the verify time (a response from the future)".into());
        }
        if let Some(why) = expired(single, t) {
            return Err(why.into());
        }
        Ok(Some(single))
    }

    /// Whether this response is a properly signed answer saying `cert` (issued by `issuer`) is
    /// revoked, that has EXPIRED at `verify_time` (nextUpdate, or thisUpdate + 24 hours without
    /// one, more than [`OCSP_LEEWAY`] in the past): Apple's "stale cached revoked response",
    /// for which trustd goes to the network for a fresh one (`apple-trust.md §9`). A response
    /// from the future is not stale.
    pub fn is_stale_revocation(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        verify_time: i64,
        verifier: &dyn SignatureVerifier,
    ) -> bool {
        matches!(
            self.signed_answer(cert, issuer, verify_time, verifier),
            Ok(Some((_, single)))
                if matches!(single.status, CertStatus::Revoked { .. })
                    && expired(single, verify_time).is_some()
        )
    }

    /// The SingleResponse naming `cert`, once the response status and its signer are checked
    /// (`Ok(None)`: it names no such certificate).
    fn signed_answer(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        verify_time: i64,
        verifier: &dyn SignatureVerifier,
    ) -> Result<Option<(&Basic, &SingleResponse)>, String> {
        let Some(basic) = &self.basic else {
            return Ok(None);
        };
        let Some(single) = basic
            .responses
            .iter()
            .find(|r| cert_id_matches(r, cert, issuer))
        else {
            return Ok(None);
        };
        if self.status != ResponseStatus::Successful {
            return Err(format!("response status {:?}", self.status));
        }
        verify_signer(basic, issuer, verify_time, verifier)?;
        Ok(Some((basic, single)))
    }
}

/// Why `single` is out of date at `t`, beyond Apple's leeway (`None`: it is not).
fn expired(single: &SingleResponse, t: i64) -> Option<&'static str> {
    match single.next_update {
        Some(next) if next < t - OCSP_LEEWAY => {
            Some("nextUpdate is before the verify time (expired)")
        }
        None if single.this_update.saturating_add(OCSP_DEFAULT_TTL) < t => {
            Some("no nextUpdate and thisUpdate is more than 24 hours old")
        }
        _ => None,
    }
}

/// Who signed: the issuer itself, or a delegated responder it certified (RFC 6960 §4.2.2.2).
fn verify_signer(
    basic: &Basic,
    issuer: &Certificate,
    verify_time: i64,
    verifier: &dyn SignatureVerifier,
) -> Result<(), String> {
    let verify = |spki: &[u8]| {
        verifier
            .verify(&basic.algorithm, spki, &basic.tbs, &basic.signature)
            .is_ok()
    };
    if responder_is(&basic.responder, issuer) {
        return if verify(issuer.spki_der()) {
            Ok(())
        } else {
            Err("the signature does not verify with the issuer's key".into())
        };
    }
    let mut why = "the responder is neither the issuer nor a certificate in the response";
    for c in basic
        .certs
        .iter()
        .filter(|c| responder_is(&basic.responder, c))
    {
        let issued = c.issuer().matches(issuer.subject())
            && verifier
                .verify(
                    c.signature_algorithm(),
                    issuer.spki_der(),
                    c.tbs_der(),
                    c.signature(),
                )
                .is_ok();
        if !issued {
            why = "the delegated responder certificate was not issued by the certificate's issuer";
            continue;
        }
        let eku = c.extensions().extended_key_usage.as_deref().unwrap_or(&[]);
        if !eku.contains(&OCSP_SIGNING) {
            why = "the delegated responder certificate lacks the id-kp-OCSPSigning EKU";
            continue;
        }
        if !c.is_valid_at(verify_time) {
            why = "the delegated responder certificate is not valid at the verify time";
            continue;
        }
        if verify(c.spki_der()) {
            return Ok(());
        }
        why = "the signature does not verify with the delegated responder's key";
    }
    Err(why.into())
}

fn responder_is(responder: &Responder, cert: &Certificate) -> bool {
    match responder {
        Responder::Name(n) => n.matches(cert.subject()),
        Responder::KeyHash(h) => key_bits(cert).is_some_and(|k| crate::crypto::sha1(k) == h[..]),
    }
}

fn hash_of(oid: &ObjectIdentifier) -> Option<HashAlgorithm> {
    match *oid {
        SHA1_OID => Some(HashAlgorithm::Sha1),
        SHA256_OID => Some(HashAlgorithm::Sha256),
        SHA384_OID => Some(HashAlgorithm::Sha384),
        SHA512_OID => Some(HashAlgorithm::Sha512),
        _ => None,
    }
}

fn oid_of(hash: HashAlgorithm) -> Option<ObjectIdentifier> {
    match hash {
        HashAlgorithm::Sha1 => Some(SHA1_OID),
        HashAlgorithm::Sha256 => Some(SHA256_OID),
        HashAlgorithm::Sha384 => Some(SHA384_OID),
        HashAlgorithm::Sha512 => Some(SHA512_OID),
        _ => None,
    }
}

pub(crate) fn digest(hash: HashAlgorithm, data: &[u8]) -> Option<Vec<u8>> {
    Some(match hash {
        HashAlgorithm::Sha1 => crate::crypto::sha1(data).to_vec(),
        HashAlgorithm::Sha256 => Sha256::digest(data).to_vec(),
        HashAlgorithm::Sha384 => Sha384::digest(data).to_vec(),
        HashAlgorithm::Sha512 => Sha512::digest(data).to_vec(),
        _ => return None,
    })
}

/// The subjectPublicKey BIT STRING's bits (what issuerKeyHash and KeyHash hash).
pub(crate) fn key_bits(cert: &Certificate) -> Option<&[u8]> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(cert.spki_der()).ok()?;
    let bits = spki.subject_public_key.raw_bytes();
    // Re-borrow from the certificate's own bytes (the SPKI view borrows them).
    let der = cert.spki_der();
    let start = der.len().checked_sub(bits.len())?;
    Some(&der[start..])
}

/// CertID matching (RFC 6960 §4.1.1): the hash of the issuer's name (as the certificate
/// writes it) and of the issuer's key, and the serial number, under the CertID's hash.
fn cert_id_matches(r: &SingleResponse, cert: &Certificate, issuer: &Certificate) -> bool {
    let Some(hash) = r.hash else {
        return false;
    };
    r.serial == cert.serial()
        && cert.issuer().matches(issuer.subject())
        && digest(hash, cert.issuer().der()).is_some_and(|h| h == r.issuer_name_hash)
        && key_bits(issuer)
            .and_then(|k| digest(hash, k))
            .is_some_and(|h| h == r.issuer_key_hash)
}

/// The DER CertID of `cert` issued by `issuer` under `hash` (SHA-1 is what Apple sends).
pub(crate) fn cert_id(
    cert: &Certificate,
    issuer: &Certificate,
    hash: HashAlgorithm,
) -> Option<CertIdAsn1> {
    Some(CertIdAsn1 {
        hash_algorithm: AlgorithmIdentifier {
            algorithm: oid_of(hash)?,
            parameters: Some(Any::from(Null)),
        },
        issuer_name_hash: OctetString::new(digest(hash, cert.issuer().der())?).ok()?,
        issuer_key_hash: OctetString::new(digest(hash, key_bits(issuer)?)?).ok()?,
        serial_number: Any::new(Tag::Integer, cert.serial()).ok()?,
    })
}

/// An `OCSPRequest` for `cert` issued by `issuer`, with a SHA-1 CertID and no nonce (as trustd
/// sends it, so responses stay cacheable).
pub fn request_der(cert: &Certificate, issuer: &Certificate) -> Option<Vec<u8>> {
    OcspRequestAsn1 {
        tbs_request: TbsRequest {
            version: 0,
            request_list: vec![Request {
                req_cert: cert_id(cert, issuer, HashAlgorithm::Sha1)?,
            }],
        },
    }
    .to_der()
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_round_trips_and_names_the_certificate() {
        let pki = crate::testing::Pki::new();
        let der = request_der(&pki.leaf.cert, &pki.intermediate.cert).unwrap();
        let req = OcspRequestAsn1::from_der(&der).unwrap();
        let id = &req.tbs_request.request_list[0].req_cert;
        assert_eq!(id.serial_number.value(), pki.leaf.cert.serial());
        assert_eq!(id.hash_algorithm.algorithm, SHA1_OID);
    }

    #[test]
    fn key_bits_are_the_bit_string_content() {
        let pki = crate::testing::Pki::new();
        let bits = key_bits(&pki.root.cert).unwrap();
        assert_eq!(bits, &pki.root.key.public_key_bits()[..]);
    }

    #[test]
    fn unsuccessful_status_decodes_without_answers() {
        let der = OcspResponseAsn1 {
            response_status: ResponseStatus::TryLater,
            response_bytes: None,
        }
        .to_der()
        .unwrap();
        let r = OcspResponse::from_der(&der).unwrap();
        assert_eq!(r.status(), ResponseStatus::TryLater);
        assert!(r.responses().is_empty());
        assert!(OcspResponse::from_der(&der[..3]).is_err());
    }
}
