//! OCSP responses and CRLs for tests, encoded with the revocation module's `der` derive types
//! and signed with [`KeyPair`]s: good, revoked (any reason), unknown, stale, future, wrongly
//! signed, delegated responders, SHA-1 or SHA-256 CertIDs; CRLs with entries, reasons,
//! issuing distribution points and arbitrary extensions.
//!
//! ```
//! use sectrust::testing::{OcspResponder, Pki, unix};
//! use sectrust::revocation::ocsp::CertStatus;
//!
//! let pki = Pki::new();
//! let der = OcspResponder::new(&pki.intermediate)
//!     .this_update(unix("2024-01-01T00:00:00Z"))
//!     .respond(&pki.leaf, CertStatus::Good);
//! # assert!(!der.is_empty());
//! ```

use const_oid::ObjectIdentifier;
use der::asn1::{Any, BitString, GeneralizedTime, Null, OctetString};
use der::{Decode as _, Encode as _, Tag};

use super::asn1::ctx;
use super::builder::Issued;
use super::keys::algorithm_identifier_der;
use crate::crypto::HashAlgorithm;
use crate::revocation::asn1::{Extension, Time};
use crate::revocation::crl::{CertificateList, RevokedCertificate, TbsCertList};
use crate::revocation::ocsp::{
    BasicOcspResponse, CertStatus, CertStatusAsn1, CrlReason, OCSP_BASIC, OcspResponseAsn1,
    ResponderId, ResponseBytes, ResponseData, ResponseStatus, RevokedInfo, SingleResponseAsn1,
    cert_id,
};

const CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const REASON_CODE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");
const CERTIFICATE_ISSUER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.29");
const ISSUING_DISTRIBUTION_POINT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.28");

fn gtime(t: i64) -> GeneralizedTime {
    GeneralizedTime::from_unix_duration(std::time::Duration::from_secs(
        u64::try_from(t).expect("testing: OCSP times are after 1970"),
    ))
    .expect("testing: time out of range")
}

/// Makes OCSP responses about certificates issued by one CA, signed by that CA or by a
/// delegated responder. Defaults: SHA-1 CertIDs, responder by name, thisUpdate and producedAt
/// 2024-01-01T00:00:00Z, nextUpdate seven days later.
#[derive(Clone, Debug)]
#[must_use]
pub struct OcspResponder {
    issuer: Issued,
    signer: Issued,
    include_signer: bool,
    by_key: bool,
    hash: HashAlgorithm,
    produced_at: i64,
    this_update: i64,
    next_update: Option<i64>,
    corrupt: bool,
}

impl OcspResponder {
    /// Responses about certificates `issuer` issued, signed by `issuer`.
    pub fn new(issuer: &Issued) -> Self {
        let t = super::unix("2024-01-01T00:00:00Z");
        OcspResponder {
            issuer: issuer.clone(),
            signer: issuer.clone(),
            include_signer: false,
            by_key: false,
            hash: HashAlgorithm::Sha1,
            produced_at: t,
            this_update: t,
            next_update: Some(t + 7 * 86_400),
            corrupt: false,
        }
    }

    /// Signed by a delegated responder, whose certificate the response carries.
    pub fn delegated(mut self, responder: &Issued) -> Self {
        self.signer = responder.clone();
        self.include_signer = true;
        self
    }

    /// Signed by `signer`'s key, claiming it as responder, without carrying its certificate.
    pub fn signed_by(mut self, signer: &Issued) -> Self {
        self.signer = signer.clone();
        self.include_signer = false;
        self
    }

    /// Names the responder by key hash instead of by name.
    pub fn by_key(mut self) -> Self {
        self.by_key = true;
        self
    }

    /// The CertID hash (SHA-1, SHA-256, SHA-384 or SHA-512).
    pub fn cert_id_hash(mut self, hash: HashAlgorithm) -> Self {
        self.hash = hash;
        self
    }

    /// thisUpdate (and producedAt), Unix seconds; nextUpdate moves to seven days later.
    pub fn this_update(mut self, t: i64) -> Self {
        self.this_update = t;
        self.produced_at = t;
        self.next_update = Some(t + 7 * 86_400);
        self
    }

    /// nextUpdate (`None`: absent).
    pub fn next_update(mut self, t: Option<i64>) -> Self {
        self.next_update = t;
        self
    }

    /// Flips a bit of the signature.
    pub fn corrupt_signature(mut self) -> Self {
        self.corrupt = true;
        self
    }

    /// A successful response with one SingleResponse: `status` for `cert`.
    pub fn respond(&self, cert: &Issued, status: CertStatus) -> Vec<u8> {
        self.respond_all(&[(cert, status)])
    }

    /// A successful response with one SingleResponse per certificate.
    pub fn respond_all(&self, answers: &[(&Issued, CertStatus)]) -> Vec<u8> {
        let responses = answers
            .iter()
            .map(|(cert, status)| SingleResponseAsn1 {
                cert_id: cert_id(&cert.cert, &self.issuer.cert, self.hash)
                    .expect("testing: CertID"),
                cert_status: match *status {
                    CertStatus::Good => CertStatusAsn1::Good(Null),
                    CertStatus::Unknown => CertStatusAsn1::Unknown(Null),
                    CertStatus::Revoked { time, reason } => CertStatusAsn1::Revoked(RevokedInfo {
                        revocation_time: gtime(time),
                        revocation_reason: reason.map(CrlReason),
                    }),
                },
                this_update: gtime(self.this_update),
                next_update: self.next_update.map(gtime),
                single_extensions: None,
            })
            .collect();
        let responder_id = if self.by_key {
            let bits =
                crate::revocation::ocsp::key_bits(&self.signer.cert).expect("testing: key bits");
            ResponderId::ByKey(
                OctetString::new(crate::crypto::sha1(bits).to_vec()).expect("testing: key hash"),
            )
        } else {
            ResponderId::ByName(
                Any::from_der(self.signer.cert.subject().der()).expect("testing: name"),
            )
        };
        let data = ResponseData {
            version: 0,
            responder_id,
            produced_at: gtime(self.produced_at),
            responses,
            response_extensions: None,
        };
        let tbs = data.to_der().expect("testing: ResponseData encodes");
        let algorithm = self
            .signer
            .key
            .signature_algorithm(HashAlgorithm::Sha256, false);
        let mut signature = self.signer.key.sign(&algorithm, &tbs);
        if let Some(last) = signature.last_mut().filter(|_| self.corrupt) {
            *last ^= 1;
        }
        let basic = BasicOcspResponse {
            tbs_response_data: Any::from_der(&tbs).expect("testing: tbs"),
            signature_algorithm: Any::from_der(&algorithm_identifier_der(&algorithm))
                .expect("testing: algorithm"),
            signature: BitString::from_bytes(&signature).expect("testing: signature"),
            certs: self
                .include_signer
                .then(|| vec![Any::from_der(&self.signer.der).expect("testing: certificate")]),
        };
        OcspResponseAsn1 {
            response_status: ResponseStatus::Successful,
            response_bytes: Some(ResponseBytes {
                response_type: OCSP_BASIC,
                response: OctetString::new(basic.to_der().expect("testing: basic encodes"))
                    .expect("testing: response bytes"),
            }),
        }
        .to_der()
        .expect("testing: OCSPResponse encodes")
    }
}

/// An unsuccessful `OCSPResponse` (tryLater, unauthorized, …): no answer at all.
pub fn ocsp_error_response(status: ResponseStatus) -> Vec<u8> {
    OcspResponseAsn1 {
        response_status: status,
        response_bytes: None,
    }
    .to_der()
    .expect("testing: OCSPResponse encodes")
}

/// One entry of a [`CrlBuilder`].
#[derive(Clone, Debug)]
struct Entry {
    serial: Vec<u8>,
    time: i64,
    reason: Option<u8>,
    certificate_issuer: Option<Vec<u8>>,
    extra: Vec<Extension>,
}

/// Builds a CRL signed by `issuer`. Defaults: v2, thisUpdate 2024-01-01T00:00:00Z, nextUpdate
/// seven days later, no entries, a CRLNumber of 1 and no other extension.
#[derive(Clone, Debug)]
#[must_use]
pub struct CrlBuilder {
    issuer: Issued,
    signer: Issued,
    this_update: i64,
    next_update: Option<i64>,
    entries: Vec<Entry>,
    extensions: Vec<Extension>,
    crl_number: bool,
    corrupt: bool,
}

impl CrlBuilder {
    /// A CRL issued and signed by `issuer`.
    pub fn new(issuer: &Issued) -> Self {
        let t = super::unix("2024-01-01T00:00:00Z");
        CrlBuilder {
            issuer: issuer.clone(),
            signer: issuer.clone(),
            this_update: t,
            next_update: Some(t + 7 * 86_400),
            entries: Vec::new(),
            extensions: Vec::new(),
            crl_number: true,
            corrupt: false,
        }
    }

    /// Leaves out the CRLNumber extension (RFC 5280 §5.2.3 requires it).
    pub fn no_crl_number(mut self) -> Self {
        self.crl_number = false;
        self
    }

    /// Signed with another key (the issuer name stays `issuer`'s).
    pub fn signed_by(mut self, signer: &Issued) -> Self {
        self.signer = signer.clone();
        self
    }

    /// thisUpdate; nextUpdate moves to seven days later.
    pub fn this_update(mut self, t: i64) -> Self {
        self.this_update = t;
        self.next_update = Some(t + 7 * 86_400);
        self
    }

    /// nextUpdate (`None`: absent).
    pub fn next_update(mut self, t: Option<i64>) -> Self {
        self.next_update = t;
        self
    }

    /// Lists `cert` as revoked at `time`, with a reasonCode entry extension when `reason` is
    /// given.
    pub fn revoke(self, cert: &Issued, time: i64, reason: Option<u8>) -> Self {
        self.revoke_serial(cert.cert.serial().to_vec(), time, reason)
    }

    /// Lists a serial number (its INTEGER content octets).
    pub fn revoke_serial(mut self, serial: Vec<u8>, time: i64, reason: Option<u8>) -> Self {
        self.entries.push(Entry {
            serial,
            time,
            reason,
            certificate_issuer: None,
            extra: Vec::new(),
        });
        self
    }

    /// Adds a certificateIssuer (a directoryName, DER of the Name) to the last entry.
    pub fn entry_certificate_issuer(mut self, name_der: Vec<u8>) -> Self {
        if let Some(e) = self.entries.last_mut() {
            e.certificate_issuer = Some(name_der);
        }
        self
    }

    /// Adds a raw extension to the last entry.
    pub fn entry_extension(
        mut self,
        oid: ObjectIdentifier,
        critical: bool,
        value: Vec<u8>,
    ) -> Self {
        if let Some(e) = self.entries.last_mut() {
            e.extra.push(Extension::new(oid, critical, value));
        }
        self
    }

    /// Adds an issuingDistributionPoint with the given flags (critical, as RFC 5280 requires).
    pub fn issuing_distribution_point(
        self,
        only_user_certs: bool,
        only_ca_certs: bool,
        only_some_reasons: Option<u16>,
        indirect: bool,
    ) -> Self {
        let mut fields = Vec::new();
        let flag = |n: u32| ctx(n, false, &[0xFF]);
        if only_user_certs {
            fields.push(flag(1));
        }
        if only_ca_certs {
            fields.push(flag(2));
        }
        if let Some(mask) = only_some_reasons {
            let bytes = [(mask & 0xFF) as u8, (mask >> 8) as u8];
            let octets: Vec<u8> = bytes.iter().map(|b| b.reverse_bits()).collect();
            let mut content = vec![0u8];
            content.extend(if octets[1] == 0 {
                &octets[..1]
            } else {
                &octets[..]
            });
            fields.push(ctx(3, false, &content));
        }
        if indirect {
            fields.push(flag(4));
        }
        let value = super::asn1::seq(&fields);
        self.extension(ISSUING_DISTRIBUTION_POINT, true, value)
    }

    /// Adds a raw CRL extension.
    pub fn extension(mut self, oid: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Self {
        self.extensions.push(Extension::new(oid, critical, value));
        self
    }

    /// Flips a bit of the signature.
    pub fn corrupt_signature(mut self) -> Self {
        self.corrupt = true;
        self
    }

    /// The DER CRL.
    pub fn build(self) -> Vec<u8> {
        let algorithm = self
            .signer
            .key
            .signature_algorithm(HashAlgorithm::Sha256, false);
        let alg = Any::from_der(&algorithm_identifier_der(&algorithm)).expect("testing: alg");
        let revoked: Vec<RevokedCertificate> = self
            .entries
            .iter()
            .map(|e| {
                let mut exts = Vec::new();
                if let Some(r) = e.reason {
                    exts.push(Extension::new(
                        REASON_CODE,
                        false,
                        CrlReason(r).to_der().expect("testing: reason"),
                    ));
                }
                if let Some(name) = &e.certificate_issuer {
                    exts.push(Extension::new(
                        CERTIFICATE_ISSUER,
                        true,
                        super::asn1::seq(&[ctx(4, true, name)]),
                    ));
                }
                exts.extend(e.extra.iter().cloned());
                RevokedCertificate {
                    user_certificate: Any::new(Tag::Integer, e.serial.clone())
                        .expect("testing: serial"),
                    revocation_date: Time::generalized(e.time),
                    crl_entry_extensions: (!exts.is_empty()).then_some(exts),
                }
            })
            .collect();
        let mut extensions = Vec::new();
        if self.crl_number {
            extensions.push(Extension::new(CRL_NUMBER, false, vec![0x02, 0x01, 0x01]));
        }
        extensions.extend(self.extensions.iter().cloned());
        let tbs = TbsCertList {
            version: Some(1),
            signature: alg.clone(),
            issuer: Any::from_der(self.issuer.cert.subject().der()).expect("testing: name"),
            this_update: Time::generalized(self.this_update),
            next_update: self.next_update.map(Time::generalized),
            revoked_certificates: (!revoked.is_empty()).then_some(revoked),
            crl_extensions: (!extensions.is_empty()).then_some(extensions),
        };
        let tbs_der = tbs.to_der().expect("testing: tbsCertList encodes");
        let mut signature = self.signer.key.sign(&algorithm, &tbs_der);
        if let Some(last) = signature.last_mut().filter(|_| self.corrupt) {
            *last ^= 1;
        }
        CertificateList {
            tbs_cert_list: Any::from_der(&tbs_der).expect("testing: tbs"),
            signature_algorithm: alg,
            signature: BitString::from_bytes(&signature).expect("testing: signature"),
        }
        .to_der()
        .expect("testing: CRL encodes")
    }
}
