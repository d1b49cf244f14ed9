//! A parsed certificate with the facts the engine uses, computed once (`apple-trust.md §2, §4`).
//!
//! [`Certificate`] is a cheap-to-clone handle (an `Arc`) over the DER and its derived facts:
//! fingerprints, key, signature algorithm, validity, names and extensions. Parse it once and
//! reuse it across evaluations. The SHA-256 fingerprints are computed on first use and kept: an
//! evaluation compares certificates by their bytes and needs no digest unless a store, a
//! cache shared across evaluations or the caller asks for one.

mod decode_ext;
mod der_time;
mod extensions;
mod key;
mod name;
mod parse;
pub(crate) mod tlv;

/// Decoders other modules reuse (the revocation module reads names, times and GeneralNames of
/// CRLs and OCSP responses with the certificate parser's lenient rules).
pub(crate) mod internal {
    pub(crate) use super::decode_ext::general_names;
    pub(crate) use super::der_time::decode as decode_time;
    pub(crate) use super::name::parse_name;
}

pub use extensions::{
    BasicConstraints, ExtensionInfo, Extensions, GeneralName, KeyUsage, NameConstraints,
    PolicyConstraints, PolicyInformation, SubjectAltName,
};
pub use key::{Curve, KeyAlgorithm, PublicKey};
pub use name::{Attribute, Name};

use std::fmt;
use std::hash::BuildHasher;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use const_oid::ObjectIdentifier;

use crate::crypto::{KeySlot, SignatureAlgorithm};
use crate::error::Error;

/// A parsed X.509 certificate (cheap to clone: the parse is shared).
#[derive(Clone)]
pub struct Certificate(Arc<Parsed>);

/// Everything derived from the DER, computed once by `parse::parse`.
pub(crate) struct Parsed {
    pub(crate) der: Vec<u8>,
    /// Byte range of the raw `tbsCertificate` inside `der` (signatures are verified over it).
    pub(crate) tbs: Range<usize>,
    /// Byte range of the raw `subjectPublicKeyInfo` inside `der`.
    pub(crate) spki: Range<usize>,
    /// Byte range of the signature octets (after the BIT STRING's unused-bits count).
    pub(crate) signature: Range<usize>,
    pub(crate) signature_algorithm: SignatureAlgorithm,
    /// Whether the outer signatureAlgorithm equals the TBS `signature` field byte for byte.
    pub(crate) signature_algorithms_match: bool,
    /// SHA-256 of `der`, computed on first use.
    pub(crate) sha256: OnceLock<[u8; 32]>,
    /// SHA-256 of the SPKI, computed on first use.
    pub(crate) spki_sha256: OnceLock<[u8; 32]>,
    /// [`content_hash`] of `der`, computed on first use.
    pub(crate) der_hash: OnceLock<u64>,
    /// [`content_hash`] of the SPKI, computed on first use.
    pub(crate) spki_hash: OnceLock<u64>,
    /// The signature backend's parsed form of the public key, made on first use.
    pub(crate) key_slot: KeySlot,
    pub(crate) public_key: PublicKey,
    /// 1, 2 or 3.
    pub(crate) version: u8,
    /// Byte range of the serial number's content octets.
    pub(crate) serial: Range<usize>,
    pub(crate) issuer: Name,
    pub(crate) subject: Name,
    /// Unix seconds.
    pub(crate) not_before: i64,
    /// Unix seconds.
    pub(crate) not_after: i64,
    pub(crate) extensions: Extensions,
}

impl Certificate {
    /// Parses one DER certificate. Trailing bytes are an error.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        parse::parse(der).map(|p| Certificate(Arc::new(p)))
    }

    /// Parses one PEM `CERTIFICATE` block (surrounding text is ignored; more than one block
    /// is an error — use [`Certificate::from_pem_bundle`]).
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let mut all = Self::from_pem_bundle(pem)?;
        match all.len() {
            1 => Ok(all.remove(0)),
            n => Err(Error::Pem {
                index: 0,
                reason: format!("expected one CERTIFICATE block, found {n}"),
            }),
        }
    }

    /// Parses every `CERTIFICATE` block of a PEM bundle, in order. Other PEM blocks (keys,
    /// CRLs) are skipped; a file with no certificate block is an error.
    pub fn from_pem_bundle(pem: &str) -> Result<Vec<Self>, Error> {
        parse::parse_pem_bundle(pem)
    }

    /// Parses DER or PEM (detected by content): one certificate for DER, every block for PEM.
    pub fn from_bytes(bytes: &[u8]) -> Result<Vec<Self>, Error> {
        parse::parse_any(bytes)
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.0.der
    }

    /// The raw `tbsCertificate` bytes exactly as they appear in the DER.
    pub fn tbs_der(&self) -> &[u8] {
        &self.0.der[self.0.tbs.clone()]
    }

    /// The raw `subjectPublicKeyInfo` bytes exactly as they appear in the DER.
    pub fn spki_der(&self) -> &[u8] {
        &self.0.der[self.0.spki.clone()]
    }

    /// The signature bits.
    pub fn signature(&self) -> &[u8] {
        &self.0.der[self.0.signature.clone()]
    }

    /// The algorithm of the signature over this certificate.
    pub fn signature_algorithm(&self) -> &SignatureAlgorithm {
        &self.0.signature_algorithm
    }

    /// Whether the outer `signatureAlgorithm` matches the TBS `signature` field.
    pub fn signature_algorithms_match(&self) -> bool {
        self.0.signature_algorithms_match
    }

    /// SHA-256 of the DER (the certificate's fingerprint).
    pub fn sha256(&self) -> &[u8; 32] {
        self.0
            .sha256
            .get_or_init(|| crate::crypto::sha256(&self.0.der))
    }

    /// The fingerprint as lower-case hex.
    pub fn sha256_hex(&self) -> String {
        hex(self.sha256())
    }

    /// SHA-256 of the `subjectPublicKeyInfo` DER.
    pub fn spki_sha256(&self) -> &[u8; 32] {
        self.0
            .spki_sha256
            .get_or_init(|| crate::crypto::sha256(self.spki_der()))
    }

    /// A 64-bit hash of the DER for in-memory maps, keyed per process so inputs cannot be
    /// chosen to collide; equal certificates (see [`same_as`](Self::same_as)) hash equal.
    pub(crate) fn der_hash(&self) -> u64 {
        *self.0.der_hash.get_or_init(|| content_hash(&self.0.der))
    }

    /// As [`der_hash`](Self::der_hash), of the `subjectPublicKeyInfo` DER.
    pub(crate) fn spki_hash(&self) -> u64 {
        *self
            .0
            .spki_hash
            .get_or_init(|| content_hash(self.spki_der()))
    }

    /// Where the signature backend keeps this certificate's parsed public key.
    pub(crate) fn key_slot(&self) -> &KeySlot {
        &self.0.key_slot
    }

    /// The subject public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.0.public_key
    }

    /// X.509 version: 1, 2 or 3.
    pub fn version(&self) -> u8 {
        self.0.version
    }

    /// The serial number's content bytes (big-endian two's complement, as encoded).
    pub fn serial(&self) -> &[u8] {
        &self.0.der[self.0.serial.clone()]
    }

    /// The issuer name.
    pub fn issuer(&self) -> &Name {
        &self.0.issuer
    }

    /// The subject name.
    pub fn subject(&self) -> &Name {
        &self.0.subject
    }

    /// notBefore, in Unix seconds.
    pub fn not_before(&self) -> i64 {
        self.0.not_before
    }

    /// notAfter, in Unix seconds.
    pub fn not_after(&self) -> i64 {
        self.0.not_after
    }

    /// Whether `t` (Unix seconds) lies in notBefore ≤ t ≤ notAfter (`apple-trust.md §1`).
    pub fn is_valid_at(&self, t: i64) -> bool {
        self.0.not_before <= t && t <= self.0.not_after
    }

    /// The parsed extensions.
    pub fn extensions(&self) -> &Extensions {
        &self.0.extensions
    }

    /// Whether subject and issuer are the same name (normalised comparison).
    pub fn is_self_issued(&self) -> bool {
        self.0.subject.matches(&self.0.issuer)
    }

    /// Whether the certificate is a CA: basicConstraints with cA set.
    pub fn is_ca(&self) -> bool {
        self.0
            .extensions
            .basic_constraints
            .as_ref()
            .is_some_and(|bc| bc.ca)
    }

    /// Apple's subject summary, used in messages (`apple-trust.md §3`).
    pub fn subject_summary(&self) -> String {
        name::subject_summary(self)
    }

    /// Every rfc822Name of the SAN, then every subject emailAddress.
    pub fn email_addresses(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.extensions().rfc822_names().collect();
        out.extend(self.subject().email_addresses());
        out
    }

    /// Whether this certificate's extensions hold `oid`.
    pub fn has_extension(&self, oid: &ObjectIdentifier) -> bool {
        self.0.extensions.list.iter().any(|e| &e.oid == oid)
    }

    /// Whether both handles are the same certificate (same DER).
    pub fn same_as(&self, other: &Certificate) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.der == other.0.der
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.same_as(other)
    }
}

impl Eq for Certificate {}

impl std::hash::Hash for Certificate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.sha256().hash(state);
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.0.subject.to_string())
            .field("issuer", &self.0.issuer.to_string())
            .field("sha256", &self.sha256_hex())
            .finish()
    }
}

impl fmt::Display for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "“{}” ({})",
            self.subject_summary(),
            &self.sha256_hex()[..16]
        )
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Certificate {
    /// Serialises as the SHA-256 fingerprint (hex), which is how verdicts name certificates.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.sha256_hex())
    }
}

/// A 64-bit SipHash of `bytes` under keys drawn once per process (std's `RandomState`).
fn content_hash(bytes: &[u8]) -> u64 {
    static KEYS: OnceLock<std::hash::RandomState> = OnceLock::new();
    KEYS.get_or_init(std::hash::RandomState::new)
        .hash_one(bytes)
}

/// A SHA-256 written as 64 hex digits (either case), as [`hex`] and
/// [`Certificate::sha256_hex`] write it. Read by the features that take fingerprints as text.
#[cfg(any(feature = "serde", feature = "apple-roots"))]
pub(crate) fn parse_sha256_hex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
