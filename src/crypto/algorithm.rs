//! Signature and hash algorithms, identified from AlgorithmIdentifiers.

use std::fmt;

use const_oid::ObjectIdentifier;

use crate::certificate::tlv::{Reader, Tlv, read_oid, tag, uint_u32};

/// A digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum HashAlgorithm {
    /// MD2 (broken).
    Md2,
    /// MD4 (broken).
    Md4,
    /// MD5 (broken).
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// MD2, MD4 or MD5: WeakSignature (`apple-trust.md §2`).
    pub const fn is_broken(self) -> bool {
        matches!(
            self,
            HashAlgorithm::Md2 | HashAlgorithm::Md4 | HashAlgorithm::Md5
        )
    }
}

/// A certificate signature algorithm.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with the given hash (MD2/MD4/MD5 included, never verified).
    RsaPkcs1(HashAlgorithm),
    /// RSASSA-PSS with MGF1.
    RsaPss {
        /// The message hash.
        hash: HashAlgorithm,
        /// MGF1's hash.
        mgf1_hash: HashAlgorithm,
        /// Salt length in bytes.
        salt_len: u32,
    },
    /// ECDSA with the given hash.
    Ecdsa(HashAlgorithm),
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// DSA with the given hash (Apple does not support DSA).
    Dsa(HashAlgorithm),
    /// An algorithm the crate does not know (or malformed parameters), by OID.
    Unknown(ObjectIdentifier),
}

impl SignatureAlgorithm {
    /// The message hash, when the algorithm has one.
    pub fn hash(&self) -> Option<HashAlgorithm> {
        match self {
            SignatureAlgorithm::RsaPkcs1(h)
            | SignatureAlgorithm::Ecdsa(h)
            | SignatureAlgorithm::Dsa(h)
            | SignatureAlgorithm::RsaPss { hash: h, .. } => Some(*h),
            SignatureAlgorithm::Ed25519 | SignatureAlgorithm::Ed448 => Some(HashAlgorithm::Sha512),
            SignatureAlgorithm::Unknown(_) => None,
        }
    }

    /// MD2/MD4/MD5-based: reported as WeakSignature, never verified.
    pub fn is_broken_hash(&self) -> bool {
        self.hash().is_some_and(HashAlgorithm::is_broken)
    }

    /// Weak for path scoring: MD2/MD4/MD5/SHA-1/unknown (`apple-trust.md §4`).
    pub fn is_weak_for_scoring(&self) -> bool {
        matches!(
            self.hash(),
            None | Some(
                HashAlgorithm::Md2 | HashAlgorithm::Md4 | HashAlgorithm::Md5 | HashAlgorithm::Sha1
            )
        )
    }

    /// Decodes an AlgorithmIdentifier's DER (the whole SEQUENCE).
    ///
    /// Parameters are checked only for RSASSA-PSS (RFC 4055 §3.1: absent fields take the
    /// defaults SHA-1, MGF1-SHA-1, salt 20; malformed parameters, an unknown hash or a
    /// trailerField other than 1 give `Unknown(id-RSASSA-PSS)`); other algorithms ignore theirs.
    /// DER that is not `SEQUENCE { OID, ... }` gives `Unknown(0.0)` (the certificate parser
    /// rejects such certificates before calling this).
    pub fn from_algorithm_identifier(der: &[u8]) -> Self {
        let Some((oid, params)) = split_algorithm_identifier(der) else {
            return SignatureAlgorithm::Unknown(MALFORMED);
        };
        if let Some((_, alg)) = SIMPLE.iter().find(|(o, _)| *o == oid) {
            return alg.clone();
        }
        if oid == RSASSA_PSS {
            return pss_params(params).unwrap_or(SignatureAlgorithm::Unknown(oid));
        }
        SignatureAlgorithm::Unknown(oid)
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureAlgorithm::RsaPkcs1(h) => write!(f, "{h:?}-with-RSA"),
            SignatureAlgorithm::RsaPss { hash, .. } => write!(f, "RSASSA-PSS-{hash:?}"),
            SignatureAlgorithm::Ecdsa(h) => write!(f, "ECDSA-with-{h:?}"),
            SignatureAlgorithm::Ed25519 => f.write_str("Ed25519"),
            SignatureAlgorithm::Ed448 => f.write_str("Ed448"),
            SignatureAlgorithm::Dsa(h) => write!(f, "DSA-with-{h:?}"),
            SignatureAlgorithm::Unknown(oid) => write!(f, "unknown ({oid})"),
        }
    }
}

/// Stand-in OID for an AlgorithmIdentifier that does not decode.
const MALFORMED: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.0");
/// id-RSASSA-PSS (RFC 4055).
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
/// id-mgf1 (RFC 4055).
const MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");

/// Algorithms identified by their OID alone.
const SIMPLE: &[(ObjectIdentifier, SignatureAlgorithm)] = {
    use HashAlgorithm::*;
    use SignatureAlgorithm::*;
    const fn oid(s: &str) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(s)
    }
    &[
        // PKCS #1 (RFC 8017 / RFC 4055).
        (oid("1.2.840.113549.1.1.2"), RsaPkcs1(Md2)),
        (oid("1.2.840.113549.1.1.3"), RsaPkcs1(Md4)),
        (oid("1.2.840.113549.1.1.4"), RsaPkcs1(Md5)),
        (oid("1.2.840.113549.1.1.5"), RsaPkcs1(Sha1)),
        (oid("1.2.840.113549.1.1.14"), RsaPkcs1(Sha224)),
        (oid("1.2.840.113549.1.1.11"), RsaPkcs1(Sha256)),
        (oid("1.2.840.113549.1.1.12"), RsaPkcs1(Sha384)),
        (oid("1.2.840.113549.1.1.13"), RsaPkcs1(Sha512)),
        // Old OIW identifiers still found in very old roots.
        (oid("1.3.14.3.2.2"), RsaPkcs1(Md4)),
        (oid("1.3.14.3.2.3"), RsaPkcs1(Md5)),
        (oid("1.3.14.3.2.4"), RsaPkcs1(Md4)),
        (oid("1.3.14.3.2.29"), RsaPkcs1(Sha1)),
        (oid("1.3.14.3.2.27"), Dsa(Sha1)),
        // ECDSA (RFC 5758, RFC 3279).
        (oid("1.2.840.10045.4.1"), Ecdsa(Sha1)),
        (oid("1.2.840.10045.4.3.1"), Ecdsa(Sha224)),
        (oid("1.2.840.10045.4.3.2"), Ecdsa(Sha256)),
        (oid("1.2.840.10045.4.3.3"), Ecdsa(Sha384)),
        (oid("1.2.840.10045.4.3.4"), Ecdsa(Sha512)),
        // EdDSA (RFC 8410).
        (oid("1.3.101.112"), Ed25519),
        (oid("1.3.101.113"), Ed448),
        // DSA (RFC 3279, RFC 5758).
        (oid("1.2.840.10040.4.3"), Dsa(Sha1)),
        (oid("2.16.840.1.101.3.4.3.1"), Dsa(Sha224)),
        (oid("2.16.840.1.101.3.4.3.2"), Dsa(Sha256)),
    ]
};

/// Digest OIDs allowed inside RSASSA-PSS parameters.
const HASHES: &[(ObjectIdentifier, HashAlgorithm)] = &[
    (
        ObjectIdentifier::new_unwrap("1.3.14.3.2.26"),
        HashAlgorithm::Sha1,
    ),
    (
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4"),
        HashAlgorithm::Sha224,
    ),
    (
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1"),
        HashAlgorithm::Sha256,
    ),
    (
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2"),
        HashAlgorithm::Sha384,
    ),
    (
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3"),
        HashAlgorithm::Sha512,
    ),
];

/// Splits `SEQUENCE { algorithm OID, parameters ANY OPTIONAL }` into the OID and the
/// parameters element (`None` when absent).
fn split_algorithm_identifier(der: &[u8]) -> Option<(ObjectIdentifier, Option<Tlv<'_>>)> {
    let mut outer = Reader::new(der);
    let seq = outer.read(tag::SEQUENCE).ok()?;
    outer.finish().ok()?;
    let mut r = seq.reader();
    let oid = read_oid(&mut r).ok()?;
    let params = if r.is_empty() {
        None
    } else {
        Some(r.read_any().ok()?)
    };
    r.finish().ok()?;
    Some((oid, params))
}

/// A digest AlgorithmIdentifier (parameters absent or NULL).
fn hash_of(alg: &[u8]) -> Option<HashAlgorithm> {
    let (oid, params) = split_algorithm_identifier(alg)?;
    if params.is_some_and(|p| !(p.is(tag::NULL) && p.value.is_empty())) {
        return None;
    }
    HASHES.iter().find(|(o, _)| *o == oid).map(|(_, h)| *h)
}

/// RSASSA-PSS-params (RFC 4055 §3.1), each field `[n] EXPLICIT` and in order.
fn pss_params(params: Option<Tlv<'_>>) -> Option<SignatureAlgorithm> {
    let mut hash = HashAlgorithm::Sha1;
    let mut mgf1_hash = HashAlgorithm::Sha1;
    let mut salt_len = 20;
    if let Some(params) = params {
        if !params.is(tag::SEQUENCE) {
            return None;
        }
        let mut r = params.reader();
        if let Some(field) = r.read_optional(0xA0).ok()? {
            hash = hash_of(single(&field)?.raw)?;
        }
        if let Some(field) = r.read_optional(0xA1).ok()? {
            let (oid, mgf_params) = split_algorithm_identifier(single(&field)?.raw)?;
            if oid != MGF1 {
                return None;
            }
            mgf1_hash = hash_of(mgf_params?.raw)?;
        }
        if let Some(field) = r.read_optional(0xA2).ok()? {
            let int = single(&field)?;
            if !int.is(tag::INTEGER) {
                return None;
            }
            salt_len = uint_u32(&int).ok()?;
        }
        if let Some(field) = r.read_optional(0xA3).ok()? {
            let int = single(&field)?;
            if !int.is(tag::INTEGER) || uint_u32(&int).ok()? != 1 {
                return None;
            }
        }
        r.finish().ok()?;
    }
    Some(SignatureAlgorithm::RsaPss {
        hash,
        mgf1_hash,
        salt_len,
    })
}

/// The single element inside an EXPLICIT tag.
fn single<'a>(field: &Tlv<'a>) -> Option<Tlv<'a>> {
    let mut r = field.reader();
    let inner = r.read_any().ok()?;
    r.finish().ok()?;
    Some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alg(oid: &str, params: &[u8]) -> Vec<u8> {
        let oid = ObjectIdentifier::new_unwrap(oid);
        let body_len = 2 + oid.as_bytes().len() + params.len();
        let mut v = vec![0x30, u8::try_from(body_len).unwrap(), 0x06];
        v.push(u8::try_from(oid.as_bytes().len()).unwrap());
        v.extend_from_slice(oid.as_bytes());
        v.extend_from_slice(params);
        v
    }

    #[test]
    fn simple_algorithms() {
        use HashAlgorithm::*;
        let f =
            |oid, params: &[u8]| SignatureAlgorithm::from_algorithm_identifier(&alg(oid, params));
        assert_eq!(
            f("1.2.840.113549.1.1.11", &[5, 0]),
            SignatureAlgorithm::RsaPkcs1(Sha256)
        );
        assert_eq!(
            f("1.2.840.113549.1.1.2", &[5, 0]),
            SignatureAlgorithm::RsaPkcs1(Md2)
        );
        assert_eq!(
            f("1.3.14.3.2.29", &[5, 0]),
            SignatureAlgorithm::RsaPkcs1(Sha1)
        );
        assert_eq!(
            f("1.2.840.10045.4.3.3", &[]),
            SignatureAlgorithm::Ecdsa(Sha384)
        );
        assert_eq!(f("1.3.101.112", &[]), SignatureAlgorithm::Ed25519);
        assert_eq!(
            f("2.16.840.1.101.3.4.3.2", &[]),
            SignatureAlgorithm::Dsa(Sha256)
        );
        assert_eq!(
            f("1.2.3.4", &[]),
            SignatureAlgorithm::Unknown(ObjectIdentifier::new_unwrap("1.2.3.4"))
        );
        assert_eq!(
            SignatureAlgorithm::from_algorithm_identifier(&[0x30, 0x01]),
            SignatureAlgorithm::Unknown(MALFORMED)
        );
        assert_eq!(
            SignatureAlgorithm::from_algorithm_identifier(&[]),
            SignatureAlgorithm::Unknown(MALFORMED)
        );
    }

    #[test]
    fn pss_parameters() {
        let pss = "1.2.840.113549.1.1.10";
        let f = |params: &[u8]| SignatureAlgorithm::from_algorithm_identifier(&alg(pss, params));
        let defaults = SignatureAlgorithm::RsaPss {
            hash: HashAlgorithm::Sha1,
            mgf1_hash: HashAlgorithm::Sha1,
            salt_len: 20,
        };
        assert_eq!(f(&[0x30, 0x00]), defaults);
        assert_eq!(f(&[]), defaults);
        // SHA-256, MGF1-SHA-256, salt 32 (the usual encoding).
        let sha256 = [
            0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
            0x00,
        ];
        let mut p = vec![0xA0, 0x0f];
        p.extend_from_slice(&sha256);
        p.extend_from_slice(&[0xA1, 0x1c, 0x30, 0x1a, 0x06, 0x09]);
        p.extend_from_slice(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08]);
        p.extend_from_slice(&sha256);
        p.extend_from_slice(&[0xA2, 0x03, 0x02, 0x01, 0x20]);
        let mut params = vec![0x30, u8::try_from(p.len()).unwrap()];
        params.extend_from_slice(&p);
        assert_eq!(
            f(&params),
            SignatureAlgorithm::RsaPss {
                hash: HashAlgorithm::Sha256,
                mgf1_hash: HashAlgorithm::Sha256,
                salt_len: 32,
            }
        );
        let unknown = SignatureAlgorithm::Unknown(ObjectIdentifier::new_unwrap(pss));
        assert_eq!(f(&[0x05, 0x00]), unknown);
        assert_eq!(f(&[0x30, 0x03, 0xA3, 0x01, 0x00]), unknown);
        assert_eq!(f(&[0x30, 0x05, 0xA3, 0x03, 0x02, 0x01, 0x02]), unknown);
        assert_eq!(f(&[0x30, 0x05, 0xA2, 0x03, 0x02, 0x01, 0x80]), unknown);
    }
}
