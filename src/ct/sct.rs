//! Signed certificate timestamps and their lists (RFC 6962 §3.2, §3.3).
//!
//! A `SignedCertificateTimestampList` is TLS-encoded: a 16-bit length, then SCTs each behind
//! their own 16-bit length. In a certificate it sits inside an OCTET STRING (the value of
//! extension 1.3.6.1.4.1.11129.2.4.2); in the TLS extension and in an OCSP response it arrives
//! bare. Hostile input gives an error value, never a panic: every length is checked against
//! the bytes left, and a 16-bit length bounds every part.

use std::fmt;

use const_oid::ObjectIdentifier;
use der::Decode;
use der::asn1::OctetStringRef;

use crate::crypto::{HashAlgorithm, SignatureAlgorithm};

/// The certificate extension carrying embedded SCTs (RFC 6962 §3.3).
pub const SCT_LIST_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.2");

/// Where an SCT came from: which route of the CT policy it can serve (`apple-trust.md §6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum SctOrigin {
    /// In the leaf's SCT-list extension (signed over the precertificate).
    Embedded,
    /// In the TLS `signed_certificate_timestamp` extension (signed over the leaf).
    TlsExtension,
    /// In a stapled OCSP response (signed over the leaf).
    Ocsp,
}

impl SctOrigin {
    /// Delivered outside the certificate (the external route).
    pub const fn is_external(self) -> bool {
        !matches!(self, SctOrigin::Embedded)
    }
}

impl fmt::Display for SctOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SctOrigin::Embedded => "embedded",
            SctOrigin::TlsExtension => "TLS extension",
            SctOrigin::Ocsp => "OCSP",
        })
    }
}

/// SCT lists delivered with one TLS connection outside the certificate (`apple-trust.md §6`,
/// the external route): from the TLS `signed_certificate_timestamp` extension and from a stapled
/// OCSP response.
///
/// Apple sets these on the trust object (`SecTrustSetSignedCertificateTimestamps`, the stapled
/// OCSP response). Here they go with each evaluation
/// ([`TrustEvaluator::evaluate_with_scts`](crate::TrustEvaluator::evaluate_with_scts)), because
/// they belong to one connection while an evaluator is built once and shared.
///
/// ```
/// use sectrust::ct::StapledScts;
/// # let (from_handshake, from_ocsp) = (vec![0u8, 0], vec![0u8, 0]);
/// let stapled = StapledScts::new().tls_extension(from_handshake).ocsp(from_ocsp);
/// assert_eq!(stapled.lists().len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StapledScts {
    lists: Vec<(SctOrigin, Vec<u8>)>,
}

impl StapledScts {
    /// None.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the TLS extension's `extension_data`: a TLS-encoded `SignedCertificateTimestampList`.
    pub fn tls_extension(mut self, list: impl Into<Vec<u8>>) -> Self {
        self.lists.push((SctOrigin::TlsExtension, list.into()));
        self
    }

    /// Adds the TLS-encoded list of a stapled OCSP response's SCT extension
    /// (1.3.6.1.4.1.11129.2.4.5), without its OCTET STRING wrapper (see
    /// [`sct_list_from_extension_value`]).
    pub fn ocsp(mut self, list: impl Into<Vec<u8>>) -> Self {
        self.lists.push((SctOrigin::Ocsp, list.into()));
        self
    }

    /// The lists with their origins, in the order added.
    pub fn lists(&self) -> Vec<(SctOrigin, &[u8])> {
        self.lists.iter().map(|(o, l)| (*o, l.as_slice())).collect()
    }

    /// Whether no list was added.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }
}

/// Why an SCT or an SCT list could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SctError {
    /// The input ends inside the named part.
    #[error("truncated {0}")]
    Truncated(&'static str),
    /// The list's 16-bit length disagrees with the bytes it was given.
    #[error("SCT list length {declared} but {actual} bytes follow")]
    ListLength {
        /// The encoded length.
        declared: usize,
        /// The bytes after the length prefix.
        actual: usize,
    },
    /// Bytes follow the SCT's signature.
    #[error("{0} bytes after the SCT's signature")]
    TrailingBytes(usize),
    /// Only v1 SCTs are defined (RFC 6962 §3.2: clients ignore other versions).
    #[error("SCT version {0} (only v1 is defined)")]
    UnsupportedVersion(u8),
    /// The certificate extension's value is not one DER OCTET STRING.
    #[error("SCT extension value is not an OCTET STRING: {0}")]
    NotOctetString(String),
}

/// One SCT, v1 (RFC 6962 §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sct {
    /// `sct_version` (always 0, v1: other versions fail to parse).
    pub version: u8,
    /// SHA-256 of the log's SubjectPublicKeyInfo.
    pub log_id: [u8; 32],
    /// Milliseconds since the Unix epoch.
    pub timestamp_ms: u64,
    /// `CtExtensions` (opaque; none are defined).
    pub extensions: Vec<u8>,
    /// TLS HashAlgorithm (4 = SHA-256).
    pub hash_alg: u8,
    /// TLS SignatureAlgorithm (1 = RSA, 3 = ECDSA).
    pub sig_alg: u8,
    /// The signature over the `digitally-signed` struct.
    pub signature: Vec<u8>,
    /// Where it was delivered.
    pub origin: SctOrigin,
}

impl Sct {
    /// Parses one serialized SCT. The whole input must be consumed.
    pub fn parse(bytes: &[u8], origin: SctOrigin) -> Result<Sct, SctError> {
        let mut r = Reader(bytes);
        let version = r.u8("sct_version")?;
        if version != 0 {
            return Err(SctError::UnsupportedVersion(version));
        }
        let log_id = r.array::<32>("log id")?;
        let timestamp_ms = u64::from_be_bytes(r.array::<8>("timestamp")?);
        let extensions = r.vec16("extensions")?.to_vec();
        let hash_alg = r.u8("hash algorithm")?;
        let sig_alg = r.u8("signature algorithm")?;
        let signature = r.vec16("signature")?.to_vec();
        if !r.0.is_empty() {
            return Err(SctError::TrailingBytes(r.0.len()));
        }
        Ok(Sct {
            version,
            log_id,
            timestamp_ms,
            extensions,
            hash_alg,
            sig_alg,
            signature,
            origin,
        })
    }

    /// The crate's algorithm for the SCT's (hash, signature) pair: RFC 6962 §2.1.4 allows only
    /// SHA-256 with ECDSA or RSASSA-PKCS1-v1_5; anything else is `None` (the SCT is ignored).
    pub fn signature_algorithm(&self) -> Option<SignatureAlgorithm> {
        match (self.hash_alg, self.sig_alg) {
            (4, 3) => Some(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256)),
            (4, 1) => Some(SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256)),
            _ => None,
        }
    }
}

/// Splits a TLS-encoded `SignedCertificateTimestampList` into its serialized SCTs.
///
/// As Apple's reader does, a malformed list fails whole, an empty list (length 0) is accepted,
/// and a zero-length item is returned (it then fails [`Sct::parse`] on its own). The 16-bit
/// list length bounds the result to 32,767 items.
pub fn split_sct_list(tls: &[u8]) -> Result<Vec<&[u8]>, SctError> {
    let mut r = Reader(tls);
    let declared = usize::from(u16::from_be_bytes(r.array::<2>("SCT list length")?));
    if declared != r.0.len() {
        return Err(SctError::ListLength {
            declared,
            actual: r.0.len(),
        });
    }
    let mut items = Vec::new();
    while !r.0.is_empty() {
        items.push(r.vec16("serialized SCT")?);
    }
    Ok(items)
}

/// The TLS-encoded list inside the SCT-list extension's value (the `extnValue` contents, which
/// hold one more DER OCTET STRING).
pub fn sct_list_from_extension_value(extn_value: &[u8]) -> Result<&[u8], SctError> {
    <&OctetStringRef>::from_der(extn_value)
        .map(|o| o.as_bytes())
        .map_err(|e| SctError::NotOctetString(e.to_string()))
}

/// Splits a TLS-encoded list and parses each SCT: the outer `Result` is the list, the inner ones
/// are the SCTs (one bad SCT does not spoil the others).
pub fn parse_sct_list(
    tls: &[u8],
    origin: SctOrigin,
) -> Result<Vec<Result<Sct, SctError>>, SctError> {
    Ok(split_sct_list(tls)?
        .into_iter()
        .map(|item| Sct::parse(item, origin))
        .collect())
}

/// A cursor over TLS presentation-language bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], SctError> {
        if self.0.len() < n {
            return Err(SctError::Truncated(what));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], SctError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn u8(&mut self, what: &'static str) -> Result<u8, SctError> {
        Ok(self.array::<1>(what)?[0])
    }

    /// An opaque vector behind a 16-bit length.
    fn vec16(&mut self, what: &'static str) -> Result<&'a [u8], SctError> {
        let n = u16::from_be_bytes(self.array::<2>(what)?);
        self.take(usize::from(n), what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ct::{TestLog, sct_extension_value, sct_list as list};

    /// The SCT timestamp of [`sct_bytes`]: 2022-01-01T00:00:00.250Z.
    const TIMESTAMP_MS: u64 = 1_640_995_200_250;

    /// One SCT written field by field (RFC 6962 §3.2): v1, log ID `log_byte` × 32,
    /// [`TIMESTAMP_MS`], no extensions, SHA-256/ECDSA, a 9-byte signature of 0xa5 bytes.
    fn sct_bytes(log_byte: u8) -> Vec<u8> {
        let mut v = vec![0];
        v.extend([log_byte; 32]);
        v.extend(TIMESTAMP_MS.to_be_bytes());
        v.extend([0, 0, 4, 3, 0, 9]);
        v.extend([0xa5; 9]);
        v
    }

    #[test]
    fn parses_a_good_list() {
        let tls = list(&[sct_bytes(0x11), sct_bytes(0x22)]);
        let scts = parse_sct_list(&tls, SctOrigin::TlsExtension).unwrap();
        assert_eq!(scts.len(), 2);
        let first = scts[0].as_ref().unwrap();
        assert_eq!(first.log_id, [0x11; 32]);
        assert_eq!(first.timestamp_ms, TIMESTAMP_MS);
        assert!(first.extensions.is_empty());
        assert_eq!(first.signature, [0xa5; 9]);
        assert_eq!(
            first.signature_algorithm(),
            Some(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256))
        );
        assert_eq!(first.origin, SctOrigin::TlsExtension);
        assert_eq!(scts[1].as_ref().unwrap().log_id, [0x22; 32]);
    }

    /// A list signed by generated logs, wrapped as the certificate extension carries it.
    #[test]
    fn reads_signed_scts_from_an_extension_value() {
        let (a, b) = (
            TestLog::new(101, crate::ct::LogState::Usable { since: 0 }),
            TestLog::new(102, crate::ct::LogState::Usable { since: 0 }),
        );
        let at = 1_640_995_200;
        let value = sct_extension_value(&list(&[
            a.x509_sct(b"leaf DER", at),
            b.x509_sct(b"leaf DER", at + 1),
        ]));
        let tls = sct_list_from_extension_value(&value).unwrap();
        let scts: Vec<Sct> = parse_sct_list(tls, SctOrigin::Embedded)
            .unwrap()
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let got: Vec<_> = scts.iter().map(|s| (s.log_id, s.timestamp_ms)).collect();
        assert_eq!(
            got,
            [(a.log.id, 1_640_995_200_000), (b.log.id, 1_640_995_201_000)]
        );
        assert!(scts.iter().all(|s| s.signature_algorithm()
            == Some(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256))
            && s.origin == SctOrigin::Embedded));
    }

    #[test]
    fn extension_value_must_be_an_octet_string() {
        let tls = list(&[sct_bytes(1)]);
        assert!(matches!(
            sct_list_from_extension_value(&tls),
            Err(SctError::NotOctetString(_))
        ));
        let mut wrapped = vec![0x04, tls.len() as u8];
        wrapped.extend(&tls);
        assert_eq!(sct_list_from_extension_value(&wrapped).unwrap(), &tls[..]);
        assert_eq!(wrapped, sct_extension_value(&tls));
    }

    #[test]
    fn truncated_input_fails_at_every_cut() {
        let tls = list(&[sct_bytes(1)]);
        for cut in 0..tls.len() {
            assert!(split_sct_list(&tls[..cut]).is_err(), "cut at {cut}");
        }
        let one = sct_bytes(1);
        for cut in 0..one.len() {
            assert!(
                Sct::parse(&one[..cut], SctOrigin::Ocsp).is_err(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn trailing_garbage_is_rejected() {
        let mut tls = list(&[sct_bytes(1)]);
        tls.push(0);
        assert!(matches!(
            split_sct_list(&tls),
            Err(SctError::ListLength { .. })
        ));
        let mut one = sct_bytes(1);
        one.extend([0xde, 0xad]);
        assert_eq!(
            Sct::parse(&one, SctOrigin::Embedded),
            Err(SctError::TrailingBytes(2))
        );
        // A list whose declared length covers a dangling partial item.
        let mut body = list(&[sct_bytes(1)]);
        body.extend([0x00]);
        let n = (body.len() - 2) as u16;
        body[..2].copy_from_slice(&n.to_be_bytes());
        assert!(matches!(split_sct_list(&body), Err(SctError::Truncated(_))));
    }

    #[test]
    fn zero_length_items_fail_alone() {
        let tls = list(&[vec![], sct_bytes(7)]);
        let scts = parse_sct_list(&tls, SctOrigin::TlsExtension).unwrap();
        assert_eq!(scts.len(), 2);
        assert!(matches!(scts[0], Err(SctError::Truncated(_))));
        assert!(scts[1].is_ok());
        // An empty list is accepted, as Apple's reader does.
        assert_eq!(split_sct_list(&[0, 0]).unwrap().len(), 0);
    }

    #[test]
    fn huge_length_prefixes_are_errors() {
        // List length 0xffff with 2 bytes following.
        assert!(split_sct_list(&[0xff, 0xff, 0, 0]).is_err());
        // Item length 0xffff inside a consistent list.
        assert!(matches!(
            split_sct_list(&[0, 3, 0xff, 0xff, 0]),
            Err(SctError::Truncated(_))
        ));
        // Signature length 0xffff.
        let mut one = sct_bytes(1);
        let at = one.len() - 9 - 2;
        one[at..at + 2].copy_from_slice(&[0xff, 0xff]);
        assert!(matches!(
            Sct::parse(&one, SctOrigin::Embedded),
            Err(SctError::Truncated("signature"))
        ));
        // Extensions length 0xffff.
        let mut one = sct_bytes(1);
        one[41..43].copy_from_slice(&[0xff, 0xff]);
        assert!(matches!(
            Sct::parse(&one, SctOrigin::Embedded),
            Err(SctError::Truncated("extensions"))
        ));
    }

    #[test]
    fn other_versions_and_algorithms() {
        let mut one = sct_bytes(1);
        one[0] = 1;
        assert_eq!(
            Sct::parse(&one, SctOrigin::Embedded),
            Err(SctError::UnsupportedVersion(1))
        );
        let mut one = sct_bytes(1);
        let at = one.len() - 9 - 4;
        one[at] = 5; // SHA-384
        assert_eq!(
            Sct::parse(&one, SctOrigin::Embedded)
                .unwrap()
                .signature_algorithm(),
            None
        );
        one[at] = 4;
        one[at + 1] = 1;
        assert_eq!(
            Sct::parse(&one, SctOrigin::Embedded)
                .unwrap()
                .signature_algorithm(),
            Some(SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256))
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A cheap deterministic byte soup (xorshift) through both parsers.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let _ = parse_sct_list(&bytes, SctOrigin::Ocsp);
            let _ = Sct::parse(&bytes, SctOrigin::Ocsp);
            let _ = sct_list_from_extension_value(&bytes);
        }
    }
}
