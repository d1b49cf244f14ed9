//! The subject public key: algorithm and size (`apple-trust.md §2` WeakKeySize, §6 KeySize).

use std::fmt;

use const_oid::ObjectIdentifier;

use super::tlv::{Reader, Tlv, bit_length, read_oid, tag};

/// An elliptic curve.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Curve {
    /// secp192r1.
    P192,
    /// secp224r1.
    P224,
    /// secp256r1.
    P256,
    /// secp384r1.
    P384,
    /// secp521r1.
    P521,
    /// Any other named curve.
    Other(ObjectIdentifier),
}

/// The algorithm of a public key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// rsaEncryption (also RSASSA-PSS keys).
    Rsa,
    /// id-ecPublicKey on a named curve.
    Ec(Curve),
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// DSA (Apple does not support DSA: WeakKeySize).
    Dsa,
    /// Anything else.
    Unknown(ObjectIdentifier),
}

/// A parsed subject public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// The algorithm.
    pub algorithm: KeyAlgorithm,
    /// Size in bits: the RSA modulus length, the curve's field size (256 for P-256), 256 for
    /// Ed25519, 456 for Ed448; `None` when the key could not be parsed.
    pub bits: Option<u32>,
}

impl PublicKey {
    /// Whether the key parsed and its algorithm is one Apple supports.
    pub fn is_usable(&self) -> bool {
        self.bits.is_some()
            && !matches!(self.algorithm, KeyAlgorithm::Dsa | KeyAlgorithm::Unknown(_))
    }
}

impl fmt::Display for PublicKey {
    /// `RSA-2048`, `EC-P256`, `EC-<curve oid>`, `Ed25519`, `Ed448`, `DSA-1024`,
    /// `unknown (<oid>)`; a key that did not parse adds ` (unparseable)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bits = |f: &mut fmt::Formatter<'_>| match self.bits {
            Some(b) => write!(f, "-{b}"),
            None => Ok(()),
        };
        match &self.algorithm {
            KeyAlgorithm::Rsa => {
                f.write_str("RSA")?;
                bits(f)?;
            }
            KeyAlgorithm::Dsa => {
                f.write_str("DSA")?;
                bits(f)?;
            }
            KeyAlgorithm::Ec(curve) => match curve {
                Curve::P192 => f.write_str("EC-P192")?,
                Curve::P224 => f.write_str("EC-P224")?,
                Curve::P256 => f.write_str("EC-P256")?,
                Curve::P384 => f.write_str("EC-P384")?,
                Curve::P521 => f.write_str("EC-P521")?,
                Curve::Other(oid) => write!(f, "EC-{oid}")?,
            },
            KeyAlgorithm::Ed25519 => f.write_str("Ed25519")?,
            KeyAlgorithm::Ed448 => f.write_str("Ed448")?,
            KeyAlgorithm::Unknown(oid) => write!(f, "unknown ({oid})")?,
        }
        if self.bits.is_none() && !matches!(self.algorithm, KeyAlgorithm::Unknown(_)) {
            f.write_str(" (unparseable)")?;
        }
        Ok(())
    }
}

/// rsaEncryption.
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-RSASSA-PSS (an RSA key restricted to PSS).
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
/// id-ecPublicKey.
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// id-Ed25519.
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
/// id-Ed448.
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
/// id-dsa.
const DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");

/// Named curves Apple knows, with their field size in bits.
const CURVES: &[(ObjectIdentifier, Curve, u32)] = &[
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.1"),
        Curve::P192,
        192,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.132.0.33"),
        Curve::P224,
        224,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7"),
        Curve::P256,
        256,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.132.0.34"),
        Curve::P384,
        384,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.132.0.35"),
        Curve::P521,
        521,
    ),
];

/// Parses a SubjectPublicKeyInfo element's structure (`SEQUENCE { AlgorithmIdentifier,
/// BIT STRING }`) and then the key itself.
///
/// The structure must be well formed (an error fails the certificate); a key whose own
/// encoding does not parse gets `bits: None` (WeakKeySize, `apple-trust.md §6`). Sizes: the
/// RSA modulus bit length (leading zero bits not counted), the named curve's field size
/// (P-192 … P-521; other curves `None`), 256 for Ed25519, 456 for Ed448, DSA's `p` bit length
/// when parameters are present. An EC key with explicit (or implicitCA) curve parameters is
/// `Unknown(id-ecPublicKey)` with no size: Apple supports named curves only.
pub(crate) fn parse_spki(spki: &Tlv<'_>) -> Result<PublicKey, der::Error> {
    let mut r = spki.reader();
    let alg = r.read(tag::SEQUENCE)?;
    let key_bits = r.read(tag::BIT_STRING)?;
    r.finish()?;
    let mut ar = alg.reader();
    let oid = read_oid(&mut ar)?;
    let params = if ar.is_empty() {
        None
    } else {
        Some(ar.read_any()?)
    };
    ar.finish()?;
    // The key octets; a non-zero unused-bits count makes the key unparseable.
    let key = match key_bits.value.split_first() {
        Some((0, key)) => Some(key),
        _ => None,
    };
    let (algorithm, bits) = match oid {
        RSA_ENCRYPTION | RSASSA_PSS => (KeyAlgorithm::Rsa, key.and_then(rsa_bits)),
        EC_PUBLIC_KEY => match params.filter(|p| p.is(tag::OID)).map(|p| oid_of(&p)) {
            Some(Ok(curve_oid)) => match CURVES.iter().find(|(o, _, _)| *o == curve_oid) {
                Some((_, curve, size)) => (
                    KeyAlgorithm::Ec(curve.clone()),
                    key.filter(|k| ec_point_ok(k, *size)).map(|_| *size),
                ),
                None => (KeyAlgorithm::Ec(Curve::Other(curve_oid)), None),
            },
            // Explicit or implicit curve parameters: Apple supports named curves only.
            _ => (KeyAlgorithm::Unknown(oid), None),
        },
        ED25519 => (
            KeyAlgorithm::Ed25519,
            key.filter(|k| k.len() == 32).map(|_| 256),
        ),
        ED448 => (
            KeyAlgorithm::Ed448,
            key.filter(|k| k.len() == 57).map(|_| 456),
        ),
        DSA => (KeyAlgorithm::Dsa, params.as_ref().and_then(dsa_bits)),
        other => (KeyAlgorithm::Unknown(other), None),
    };
    Ok(PublicKey { algorithm, bits })
}

fn oid_of(tlv: &Tlv<'_>) -> Result<ObjectIdentifier, der::Error> {
    super::tlv::oid(tlv)
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }: the modulus bits.
fn rsa_bits(key: &[u8]) -> Option<u32> {
    let mut r = Reader::new(key);
    let seq = r.read(tag::SEQUENCE).ok()?;
    r.finish().ok()?;
    let mut sr = seq.reader();
    let n = sr.read(tag::INTEGER).ok()?;
    let e = sr.read(tag::INTEGER).ok()?;
    sr.finish().ok()?;
    // Negative or zero modulus / exponent: not an RSA key.
    let positive = |v: &[u8]| v.first().is_some_and(|b| b & 0x80 == 0) && v.iter().any(|&b| b != 0);
    (positive(n.value) && positive(e.value)).then(|| bit_length(n.value))
}

/// An uncompressed (0x04) or compressed (0x02/0x03) point of the right length.
fn ec_point_ok(point: &[u8], field_bits: u32) -> bool {
    let n = usize::try_from(field_bits.div_ceil(8)).unwrap_or(0);
    match point.first() {
        Some(4) => point.len() == 1 + 2 * n,
        Some(2 | 3) => point.len() == 1 + n,
        _ => false,
    }
}

/// Dss-Parms ::= SEQUENCE { p INTEGER, q INTEGER, g INTEGER }: the bits of p.
fn dsa_bits(params: &Tlv<'_>) -> Option<u32> {
    if !params.is(tag::SEQUENCE) {
        return None;
    }
    let mut r = params.reader();
    let p = r.read(tag::INTEGER).ok()?;
    r.read(tag::INTEGER).ok()?;
    r.read(tag::INTEGER).ok()?;
    r.finish().ok()?;
    Some(bit_length(p.value)).filter(|&b| b > 0)
}
