//! CRLs (RFC 5280 §5) and the CRL part of RFC 5280 §6.3 certificate status.
//!
//! Decoded with `der`'s derive into this module's own types, not x509-cert's: x509-cert 0.3
//! reads times with `der`'s time types, which stop at 1970, while UTCTime goes back to 1950
//! (the crate's certificate time decoder handles that range). Names, times and GeneralNames go
//! through the certificate parser's lenient decoders.
//!
//! What is supported, and what is refused (conservatively: a refused CRL is never used, so
//! under the RFC 5280 mode the certificate's status stays undetermined):
//! - complete CRLs, direct or indirect (cRLIssuer in the certificate's distribution point,
//!   indirectCRL in the issuing distribution point, certificateIssuer entry extensions);
//! - issuingDistributionPoint scope: distributionPoint names (fullName, or
//!   nameRelativeToCRLIssuer), onlyContainsUserCerts / onlyContainsCACerts, onlySomeReasons (the
//!   reasons mask of §6.3.3 is accumulated over several CRLs); onlyContainsAttributeCerts CRLs
//!   cover no certificate;
//! - refused: delta CRLs (deltaCRLIndicator; no base + delta merging), CRLs without a CRLNumber
//!   or with a critical one (RFC 5280 §5.2.3 MUSTs), CRLs with an unknown critical extension,
//!   CRLs with an unknown critical entry extension, CRLs whose signer has keyUsage without
//!   cRLSign.
//!
//! Delta CRLs are this crate's decision, not the spec's (`apple-trust.md §9` says nothing about
//! them): a delta CRL is never used, and a certificate's status comes from complete CRLs alone,
//! as if the delta had not been supplied. Merging a base with its deltas (RFC 5280 §5.2.4) is
//! not modelled because nothing is known of how Apple's CRL engines treated them.

use const_oid::ObjectIdentifier;
use der::asn1::{Any, BitString};
use der::{Decode, Encode, Sequence};

use super::asn1::{Extension, Time, certificate_extension};
use super::ocsp::{CrlReason, ParseError};
use crate::certificate::internal::{general_names, parse_name};
use crate::certificate::tlv::{Reader as TlvReader, Tlv};
use crate::certificate::{Certificate, GeneralName, KeyUsage, Name};
use crate::crypto::{SignatureAlgorithm, SignatureVerifier};

const CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const REASON_CODE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");
const HOLD_INSTRUCTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.23");
const INVALIDITY_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.24");
const DELTA_CRL_INDICATOR: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.27");
const ISSUING_DISTRIBUTION_POINT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.28");
const CERTIFICATE_ISSUER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.29");
const AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const FRESHEST_CRL: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.46");
const AUTHORITY_INFO_ACCESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
/// cRLDistributionPoints (certificate extension).
pub(crate) const CRL_DISTRIBUTION_POINTS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.5.29.31");

/// Every reason of ReasonFlags (keyCompromise … aACompromise, bits 1–8): the "all reasons"
/// mask of RFC 5280 §6.3.3.
pub const ALL_REASONS: u16 = 0x1FE;
/// removeFromCRL (8): an entry with this reason does not revoke.
pub const REMOVE_FROM_CRL: u8 = 8;

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct CertificateList {
    pub(crate) tbs_cert_list: Any,
    pub(crate) signature_algorithm: Any,
    pub(crate) signature: BitString,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct TbsCertList {
    pub(crate) version: Option<u8>,
    pub(crate) signature: Any,
    pub(crate) issuer: Any,
    pub(crate) this_update: Time,
    pub(crate) next_update: Option<Time>,
    pub(crate) revoked_certificates: Option<Vec<RevokedCertificate>>,
    #[asn1(context_specific = "0", optional = "true")]
    pub(crate) crl_extensions: Option<Vec<Extension>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct RevokedCertificate {
    pub(crate) user_certificate: Any,
    pub(crate) revocation_date: Time,
    pub(crate) crl_entry_extensions: Option<Vec<Extension>>,
}

/// One revoked-certificate entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrlEntry {
    /// The serial number's content octets.
    pub serial: Vec<u8>,
    /// revocationDate, Unix seconds.
    pub revocation_time: i64,
    /// reasonCode (`None`: absent, which RFC 5280 reads as unspecified, 0).
    pub reason: Option<u8>,
    /// The certificate issuer this entry is for: the CRL issuer, or the last
    /// certificateIssuer entry extension at or before it (indirect CRLs, RFC 5280 §5.3.3).
    pub certificate_issuer: Vec<GeneralName>,
}

/// A DistributionPointName (RFC 5280 §4.2.1.13), a relative name already joined to its issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionPoint {
    /// The distribution point's names (`None`: no distributionPoint field).
    pub names: Option<Vec<GeneralName>>,
    /// reasons (`None`: all reasons).
    pub reasons: Option<u16>,
    /// cRLIssuer.
    pub crl_issuer: Option<Vec<GeneralName>>,
}

/// issuingDistributionPoint (RFC 5280 §5.2.5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssuingDistributionPoint {
    /// distributionPoint (a relative name joined to the CRL issuer).
    pub names: Option<Vec<GeneralName>>,
    /// onlyContainsUserCerts.
    pub only_user_certs: bool,
    /// onlyContainsCACerts.
    pub only_ca_certs: bool,
    /// onlySomeReasons (`None`: all reasons).
    pub only_some_reasons: Option<u16>,
    /// indirectCRL.
    pub indirect: bool,
    /// onlyContainsAttributeCerts.
    pub only_attribute_certs: bool,
}

/// A decoded CRL.
#[derive(Debug, Clone)]
pub struct Crl {
    tbs: Vec<u8>,
    algorithm: SignatureAlgorithm,
    signature: Vec<u8>,
    issuer: Name,
    this_update: i64,
    next_update: Option<i64>,
    entries: Vec<CrlEntry>,
    idp: Option<IssuingDistributionPoint>,
    delta: bool,
    unsupported: Option<String>,
}

impl Crl {
    /// Decodes a DER `CertificateList`.
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        let bad = |what: &str, e: der::Error| ParseError(format!("malformed CRL {what}: {e}"));
        let list = CertificateList::from_der(der).map_err(|e| bad("CertificateList", e))?;
        let tbs = list
            .tbs_cert_list
            .to_der()
            .map_err(|e| bad("tbsCertList", e))?;
        let t = TbsCertList::from_der(&tbs).map_err(|e| bad("tbsCertList", e))?;
        let algorithm = SignatureAlgorithm::from_algorithm_identifier(
            &list
                .signature_algorithm
                .to_der()
                .map_err(|e| bad("signatureAlgorithm", e))?,
        );
        let issuer = parse_name(&t.issuer.to_der().map_err(|e| bad("issuer", e))?)
            .map_err(|e| bad("issuer", e))?;
        let this_update = t.this_update.unix().map_err(|e| bad("thisUpdate", e))?;
        let next_update = match &t.next_update {
            Some(n) => Some(n.unix().map_err(|e| bad("nextUpdate", e))?),
            None => None,
        };
        let mut unsupported = None;
        let mut idp = None;
        let mut delta = false;
        let mut crl_number = false;
        for e in t.crl_extensions.iter().flatten() {
            match e.extn_id {
                CRL_NUMBER if e.critical => {
                    unsupported =
                        Some("a critical CRLNumber (RFC 5280 §5.2.3: MUST be non-critical)".into());
                }
                CRL_NUMBER => crl_number = true,
                DELTA_CRL_INDICATOR => delta = true,
                ISSUING_DISTRIBUTION_POINT => {
                    match issuing_distribution_point(e.extn_value.as_bytes(), &issuer) {
                        Some(p) => idp = Some(p),
                        None => unsupported = Some("an unreadable issuingDistributionPoint".into()),
                    }
                }
                AUTHORITY_KEY_IDENTIFIER | FRESHEST_CRL | AUTHORITY_INFO_ACCESS => {}
                other if e.critical => {
                    unsupported = Some(format!("an unknown critical extension {other}"));
                }
                _ => {}
            }
        }
        if !crl_number && unsupported.is_none() {
            unsupported =
                Some("no CRLNumber (RFC 5280 §5.2.3: conforming CRLs MUST include it)".into());
        }
        let mut entries = Vec::new();
        let mut current_issuer = vec![GeneralName::Directory(issuer.clone())];
        for r in t.revoked_certificates.iter().flatten() {
            let mut reason = None;
            for e in r.crl_entry_extensions.iter().flatten() {
                match e.extn_id {
                    REASON_CODE => match CrlReason::from_der(e.extn_value.as_bytes()) {
                        Ok(c) => reason = Some(c.0),
                        Err(_) => unsupported = Some("an unreadable reasonCode".into()),
                    },
                    CERTIFICATE_ISSUER => match names_from_value(e.extn_value.as_bytes()) {
                        Some(n) => current_issuer = n,
                        None => unsupported = Some("an unreadable certificateIssuer".into()),
                    },
                    INVALIDITY_DATE | HOLD_INSTRUCTION => {}
                    other if e.critical => {
                        unsupported = Some(format!("an unknown critical entry extension {other}"));
                    }
                    _ => {}
                }
            }
            entries.push(CrlEntry {
                serial: r.user_certificate.value().to_vec(),
                revocation_time: r
                    .revocation_date
                    .unix()
                    .map_err(|e| bad("revocationDate", e))?,
                reason,
                certificate_issuer: current_issuer.clone(),
            });
        }
        Ok(Crl {
            tbs,
            algorithm,
            signature: list.signature.raw_bytes().to_vec(),
            issuer,
            this_update,
            next_update,
            entries,
            idp,
            delta,
            unsupported,
        })
    }

    /// The CRL issuer.
    pub fn issuer(&self) -> &Name {
        &self.issuer
    }

    /// thisUpdate, Unix seconds.
    pub fn this_update(&self) -> i64 {
        self.this_update
    }

    /// nextUpdate, Unix seconds.
    pub fn next_update(&self) -> Option<i64> {
        self.next_update
    }

    /// The revoked-certificate entries.
    pub fn entries(&self) -> &[CrlEntry] {
        &self.entries
    }

    /// The issuingDistributionPoint.
    pub fn issuing_distribution_point(&self) -> Option<&IssuingDistributionPoint> {
        self.idp.as_ref()
    }

    /// Whether this is a delta CRL (deltaCRLIndicator).
    pub fn is_delta(&self) -> bool {
        self.delta
    }

    /// Whether `key` (a DER SubjectPublicKeyInfo) verifies the CRL's signature.
    pub(crate) fn signed_by(&self, spki: &[u8], verifier: &dyn SignatureVerifier) -> bool {
        verifier
            .verify(&self.algorithm, spki, &self.tbs, &self.signature)
            .is_ok()
    }

    /// Why this CRL is never used (a delta CRL, an unknown critical extension, …).
    pub(crate) fn refused(&self) -> Option<String> {
        if self.delta {
            return Some("it is a delta CRL (delta CRLs are not supported)".into());
        }
        self.unsupported.as_ref().map(|u| format!("it has {u}"))
    }

    /// Whether the CRL is current at `t`: thisUpdate ≤ t and, when present, t ≤ nextUpdate.
    pub(crate) fn is_current_at(&self, t: i64) -> bool {
        self.this_update <= t && self.next_update.is_none_or(|n| t <= n)
    }
}

/// The outcome of the CRLs for one certificate (RFC 5280 §6.3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CrlStatus {
    /// Covered for every reason and not listed.
    Good,
    /// Listed: the reason code (0 when absent) and the revocation date.
    Revoked { reason: u8, time: i64 },
    /// Not every reason is covered by a usable CRL.
    Undetermined,
}

/// What the CRL check needs about one certificate.
pub(crate) struct Subject<'a> {
    pub(crate) cert: &'a Certificate,
    /// The issuer in the path (for the CRL issuer name and default key).
    pub(crate) issuer: &'a Certificate,
}

/// RFC 5280 §6.3.3 over `crls` for `s`. `signer_ok(crl)` says whether a valid CRL signer
/// (the issuer, or another certificate of the same name allowed to sign CRLs) verifies the CRL.
pub(crate) fn status(
    s: &Subject<'_>,
    crls: &[(usize, &Crl)],
    t: i64,
    mut signer_ok: impl FnMut(usize, &Crl) -> bool,
    notes: &mut Vec<String>,
) -> CrlStatus {
    let dps = distribution_points(s.cert);
    let issuer_name = s.cert.issuer();
    let mut mask = 0u16;
    let is_ca = s.cert.is_ca();
    for dp in &dps {
        for &(k, crl) in crls {
            if mask == ALL_REASONS {
                break;
            }
            // (a)/(b)(1): the CRL issuer.
            let direct = crl.issuer.matches(issuer_name);
            let issuer_ok = match &dp.crl_issuer {
                Some(names) => {
                    directory_names(names).any(|n| n.matches(&crl.issuer))
                        && crl.idp.as_ref().is_some_and(|i| i.indirect)
                }
                None => direct,
            };
            if !issuer_ok {
                continue;
            }
            if let Some(why) = crl.refused() {
                push_note(notes, format!("CRL #{k} not used: {why}"));
                continue;
            }
            if !crl.is_current_at(t) {
                push_note(
                    notes,
                    format!("CRL #{k} not used: it is not current at the verify time"),
                );
                continue;
            }
            // (b)(2): the issuing distribution point's scope.
            let idp = crl.idp.clone().unwrap_or_default();
            if let Some(idp_names) = &idp.names {
                let target: Vec<GeneralName> = match (&dp.names, &dp.crl_issuer) {
                    (Some(n), _) => n.clone(),
                    (None, Some(c)) => c.clone(),
                    (None, None) => vec![GeneralName::Directory(issuer_name.clone())],
                };
                if !any_name_matches(idp_names, &target) {
                    continue;
                }
            }
            if (idp.only_user_certs && is_ca)
                || (idp.only_ca_certs && !is_ca)
                || idp.only_attribute_certs
            {
                continue;
            }
            // (d): the reasons this CRL can speak for.
            let interim = idp.only_some_reasons.unwrap_or(ALL_REASONS)
                & dp.reasons.unwrap_or(ALL_REASONS)
                & ALL_REASONS;
            if interim & !mask == 0 {
                continue;
            }
            // (f), (g): a valid signer.
            if !signer_ok(k, crl) {
                push_note(
                    notes,
                    format!(
                        "CRL #{k} not used: its signature does not verify with a valid CRL signer"
                    ),
                );
                continue;
            }
            // (i): is the certificate listed (for its own issuer, on an indirect CRL)?
            let listed = crl.entries.iter().find(|e| {
                e.serial == s.cert.serial()
                    && directory_names(&e.certificate_issuer).any(|n| n.matches(issuer_name))
            });
            if let Some(e) = listed {
                let reason = e.reason.unwrap_or(0);
                if reason != REMOVE_FROM_CRL {
                    return CrlStatus::Revoked {
                        reason,
                        time: e.revocation_time,
                    };
                }
            }
            mask |= interim;
        }
    }
    let _ = s.issuer;
    if mask == ALL_REASONS {
        CrlStatus::Good
    } else {
        CrlStatus::Undetermined
    }
}

/// Whether `signer` may sign CRLs: keyUsage, when present, must include cRLSign.
pub(crate) fn may_sign_crls(signer: &Certificate) -> bool {
    signer
        .extensions()
        .key_usage
        .is_none_or(|ku| ku.contains(KeyUsage::CRL_SIGN))
}

fn push_note(notes: &mut Vec<String>, n: String) {
    if !notes.contains(&n) {
        notes.push(n);
    }
}

fn directory_names(names: &[GeneralName]) -> impl Iterator<Item = &Name> {
    names.iter().filter_map(|n| match n {
        GeneralName::Directory(d) => Some(d),
        _ => None,
    })
}

fn any_name_matches(a: &[GeneralName], b: &[GeneralName]) -> bool {
    a.iter().any(|x| {
        b.iter().any(|y| match (x, y) {
            (GeneralName::Directory(p), GeneralName::Directory(q)) => p.matches(q),
            (x, y) => x == y,
        })
    })
}

/// The certificate's distribution points; without the extension, one point whose CRL issuer
/// is the certificate's issuer and that covers every reason (RFC 5280 §6.3.3). A point with
/// neither a name nor a cRLIssuer is read the same way.
pub(crate) fn distribution_points(cert: &Certificate) -> Vec<DistributionPoint> {
    let default = || {
        vec![DistributionPoint {
            names: None,
            reasons: None,
            crl_issuer: None,
        }]
    };
    let Some(value) = certificate_extension(cert.tbs_der(), &CRL_DISTRIBUTION_POINTS) else {
        return default();
    };
    let Some(points) = parse_distribution_points(&value, cert.issuer()) else {
        return default();
    };
    if points.is_empty() { default() } else { points }
}

fn parse_distribution_points(value: &[u8], issuer: &Name) -> Option<Vec<DistributionPoint>> {
    let mut r = TlvReader::new(value);
    let seq = r.read_any().ok()?;
    let mut out = Vec::new();
    let mut r = seq.reader();
    while !r.is_empty() {
        let dp = r.read_any().ok()?;
        let mut point = DistributionPoint {
            names: None,
            reasons: None,
            crl_issuer: None,
        };
        let mut name_field = None;
        let mut f = dp.reader();
        while !f.is_empty() {
            let field = f.read_any().ok()?;
            match field.context_number()? {
                0 => name_field = Some(field),
                1 => point.reasons = Some(reason_flags(field.value)?),
                2 => point.crl_issuer = Some(general_names(&field)?),
                _ => return None,
            }
        }
        // A relative name is relative to the cRLIssuer when there is one, else to the
        // certificate's issuer (RFC 5280 §4.2.1.13; PKITS 4.14.29).
        if let Some(field) = name_field {
            let base = point
                .crl_issuer
                .as_deref()
                .and_then(|n| directory_names(n).next())
                .unwrap_or(issuer);
            point.names = Some(dp_name(&field, base)?);
        }
        out.push(point);
    }
    Some(out)
}

/// `DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1]
/// RelativeDistinguishedName }` inside its EXPLICIT-like [0] wrapper; a relative name is
/// appended to `issuer` (RFC 5280 §4.2.1.13).
fn dp_name(wrapper: &Tlv<'_>, issuer: &Name) -> Option<Vec<GeneralName>> {
    let mut r = wrapper.reader();
    let choice = r.read_any().ok()?;
    match choice.context_number()? {
        0 => general_names(&choice),
        1 => {
            let set = Any::new(der::Tag::Set, choice.value).ok()?.to_der().ok()?;
            let issuer_content = elements_content(issuer.der())?;
            let full = Any::new(der::Tag::Sequence, [issuer_content, &set[..]].concat())
                .ok()?
                .to_der()
                .ok()?;
            Some(vec![GeneralName::Directory(parse_name(&full).ok()?)])
        }
        _ => None,
    }
}

fn elements_content(der: &[u8]) -> Option<&[u8]> {
    let mut r = TlvReader::new(der);
    Some(r.read_any().ok()?.value)
}

/// ReasonFlags BIT STRING content (unused-bits octet first) as a mask `1 << bit`.
fn reason_flags(content: &[u8]) -> Option<u16> {
    let (_, bits) = content.split_first()?;
    let mut mask = 0u16;
    for (i, byte) in bits.iter().take(2).enumerate() {
        for b in 0..8 {
            if byte & (0x80 >> b) != 0 {
                mask |= 1 << (i * 8 + b);
            }
        }
    }
    Some(mask)
}

/// GeneralNames from an extension value (certificateIssuer).
fn names_from_value(value: &[u8]) -> Option<Vec<GeneralName>> {
    let mut r = TlvReader::new(value);
    let seq = r.read_any().ok()?;
    r.finish().ok()?;
    general_names(&seq)
}

fn issuing_distribution_point(value: &[u8], issuer: &Name) -> Option<IssuingDistributionPoint> {
    let mut r = TlvReader::new(value);
    let seq = r.read_any().ok()?;
    r.finish().ok()?;
    let mut idp = IssuingDistributionPoint::default();
    let mut f = seq.reader();
    let flag = |t: &Tlv<'_>| (t.value == [0xFF]).then_some(true);
    while !f.is_empty() {
        let field = f.read_any().ok()?;
        match field.context_number()? {
            0 => idp.names = Some(dp_name(&field, issuer)?),
            1 => idp.only_user_certs = flag(&field)?,
            2 => idp.only_ca_certs = flag(&field)?,
            3 => idp.only_some_reasons = Some(reason_flags(field.value)?),
            4 => idp.indirect = flag(&field)?,
            5 => idp.only_attribute_certs = flag(&field)?,
            _ => return None,
        }
    }
    Some(idp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_flags_number_bits_from_the_left() {
        // keyCompromise (1) and cACompromise (2): 0b0110_0000, 5 unused bits.
        assert_eq!(reason_flags(&[5, 0x60]), Some(0b110));
        // aACompromise (8) is the first bit of the second octet.
        assert_eq!(reason_flags(&[7, 0x00, 0x80]), Some(1 << 8));
        assert_eq!(reason_flags(&[]), None);
    }

    #[test]
    fn malformed_crls_are_errors() {
        assert!(Crl::from_der(&[0x30, 0x00]).is_err());
        assert!(Crl::from_der(b"not a crl").is_err());
    }
}
