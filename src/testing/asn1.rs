//! Small DER writing helpers and the lenient certificate mirror the builder encodes with.
//!
//! The builder writes every field itself (through `der`'s [`Any`] for tag and length) rather
//! than through x509-cert's typed structures, whose fields are crate-private and which refuse
//! some of the odd encodings tests need (raw serial bytes, non-IA5 dNSNames, explicit versions).

use const_oid::ObjectIdentifier;
use der::asn1::{Any, BitString};
use der::{Decode, Encode, Sequence, Tag, TagNumber};
use x509_cert::ext::Extension;

/// One DER TLV: `tag`, definite length, `content`.
pub(crate) fn tlv(tag: Tag, content: &[u8]) -> Vec<u8> {
    Any::new(tag, content)
        .and_then(|any| any.to_der())
        .expect("testing: DER value over der's length limit")
}

/// A SEQUENCE of already-encoded elements.
pub(crate) fn seq(items: &[Vec<u8>]) -> Vec<u8> {
    tlv(Tag::Sequence, &items.concat())
}

/// A context-specific tag `[n]` around `content` (IMPLICIT when `content` is the inner
/// value's content, EXPLICIT when it is a whole TLV and `constructed` is set).
pub(crate) fn ctx(number: u32, constructed: bool, content: &[u8]) -> Vec<u8> {
    tlv(
        Tag::ContextSpecific {
            constructed,
            number: TagNumber(number),
        },
        content,
    )
}

/// An OBJECT IDENTIFIER.
pub(crate) fn oid(oid: &ObjectIdentifier) -> Vec<u8> {
    oid.to_der().expect("testing: OID encoding cannot fail")
}

/// A BOOLEAN.
pub(crate) fn boolean(value: bool) -> Vec<u8> {
    tlv(Tag::Boolean, &[if value { 0xff } else { 0x00 }])
}

/// An OCTET STRING.
pub(crate) fn octets(bytes: &[u8]) -> Vec<u8> {
    tlv(Tag::OctetString, bytes)
}

/// A NULL.
pub(crate) fn null() -> Vec<u8> {
    tlv(Tag::Null, &[])
}

/// The content octets of a non-negative INTEGER: minimal big-endian two's complement.
pub(crate) fn uint_content(value: u64) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let first = bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bytes.len() - 1);
    let mut out = bytes[first..].to_vec();
    if out[0] & 0x80 != 0 {
        out.insert(0, 0);
    }
    out
}

/// A non-negative INTEGER.
pub(crate) fn uint(value: u64) -> Vec<u8> {
    tlv(Tag::Integer, &uint_content(value))
}

/// A BIT STRING holding whole bytes (no unused bits).
pub(crate) fn bit_string(bytes: &[u8]) -> Vec<u8> {
    BitString::new(0, bytes)
        .and_then(|b| b.to_der())
        .expect("testing: BIT STRING over der's length limit")
}

/// Re-reads an encoded TLV as [`Any`] (the mirror struct's field type).
pub(crate) fn any(der: &[u8]) -> Any {
    Any::from_der(der).expect("testing: internally built TLV must decode")
}

/// tbsCertificate with every field kept raw, so it encodes exactly what the builder chose and
/// decodes any certificate the builder made (used to read an issuer's subject and SKI).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct RawTbs {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub version: Option<Any>,
    pub serial: Any,
    pub signature: Any,
    pub issuer: Any,
    pub validity: Any,
    pub subject: Any,
    pub spki: Any,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub issuer_unique_id: Option<BitString>,
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    pub subject_unique_id: Option<BitString>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    pub extensions: Option<Vec<Extension>>,
}

/// A certificate whose TBS is a [`RawTbs`].
#[derive(Clone, Debug, Sequence)]
pub(crate) struct RawCert {
    pub tbs: RawTbs,
    pub signature_algorithm: Any,
    pub signature: BitString,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_minimal_and_non_negative() {
        assert_eq!(uint(0), [0x02, 0x01, 0x00]);
        assert_eq!(uint(127), [0x02, 0x01, 0x7f]);
        assert_eq!(uint(128), [0x02, 0x02, 0x00, 0x80]);
        assert_eq!(uint(0x0100), [0x02, 0x02, 0x01, 0x00]);
        assert_eq!(uint(u64::MAX).len(), 2 + 9);
    }

    #[test]
    fn long_lengths_use_long_form() {
        let big = tlv(Tag::OctetString, &[0u8; 300]);
        assert_eq!(&big[..4], &[0x04, 0x82, 0x01, 0x2c]);
    }
}
