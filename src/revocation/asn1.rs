//! DER types shared by OCSP and CRLs, with `der`'s derive: extensions, AlgorithmIdentifiers kept
//! raw, and a Time that keeps its bytes so dates before 1970 decode (`der`'s own time types
//! stop at 1970; the crate's certificate time decoder does not).

use const_oid::ObjectIdentifier;
use der::asn1::{Any, OctetString};
use der::{Choice, Decode, Encode, Length, Reader, Sequence, Tag, Tagged, Writer};

use crate::certificate::internal::decode_time;
use crate::certificate::tlv::{Reader as TlvReader, Tlv};

/// `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct Extension {
    pub(crate) extn_id: ObjectIdentifier,
    #[asn1(default = "Default::default")]
    pub(crate) critical: bool,
    pub(crate) extn_value: OctetString,
}

impl Extension {
    #[cfg(feature = "testing")]
    pub(crate) fn new(extn_id: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Self {
        Extension {
            extn_id,
            critical,
            extn_value: OctetString::new(value).expect("extension value over der's limit"),
        }
    }
}

/// `Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }`, kept raw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Time(pub(crate) Any);

impl Time {
    /// Unix seconds (UTCTime years 50–99 are 19xx, so earlier than 1970 is negative).
    pub(crate) fn unix(&self) -> Result<i64, der::Error> {
        let tag = if self.0.tag() == Tag::UtcTime {
            0x17
        } else {
            0x18
        };
        let value = self.0.value();
        decode_time(&Tlv {
            tag,
            long_tag: false,
            raw: value,
            value,
            start: 0,
            value_start: 0,
        })
    }

    /// A GeneralizedTime for `t` (Unix seconds, 1970 or later); for builders.
    #[cfg(feature = "testing")]
    pub(crate) fn generalized(t: i64) -> Self {
        let g = der::asn1::GeneralizedTime::from_unix_duration(std::time::Duration::from_secs(
            u64::try_from(t).expect("testing: times before 1970"),
        ))
        .expect("testing: time out of range");
        Time(Any::encode_from(&g).expect("testing: GeneralizedTime encodes"))
    }
}

impl<'a> Decode<'a> for Time {
    type Error = der::Error;
    fn decode<R: Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        let any = Any::decode(reader)?;
        if !Self::can_decode(any.tag()) {
            return Err(any.tag().unexpected_error(None).into());
        }
        Ok(Time(any))
    }
}

impl Tagged for Time {
    fn tag(&self) -> Tag {
        self.0.tag()
    }
}

impl Choice<'_> for Time {
    fn can_decode(tag: Tag) -> bool {
        matches!(tag, Tag::UtcTime | Tag::GeneralizedTime)
    }
}

impl Encode for Time {
    fn encoded_len(&self) -> der::Result<Length> {
        self.0.encoded_len()
    }
    fn encode(&self, writer: &mut impl Writer) -> der::Result<()> {
        self.0.encode(writer)
    }
}

/// The first element of `der`'s content when `der` is a whole SEQUENCE …: a helper that walks
/// one level with the crate's lenient reader.
pub(crate) fn elements(der: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut outer = TlvReader::new(der);
    let seq = outer.read_any().ok()?;
    outer.finish().ok()?;
    let mut r = seq.reader();
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(r.read_any().ok()?);
    }
    Some(out)
}

/// The `extnValue` of the certificate extension `oid` (walks the raw TBS: the certificate
/// model keeps only the extensions the engine uses).
pub(crate) fn certificate_extension(tbs_der: &[u8], oid: &ObjectIdentifier) -> Option<Vec<u8>> {
    let fields = elements(tbs_der)?;
    let exts = fields.iter().find(|t| t.tag == 0xA3)?;
    let mut r = exts.reader();
    let list = r.read_any().ok()?;
    let mut r = list.reader();
    while !r.is_empty() {
        let ext = r.read_any().ok()?;
        let e = Extension::from_der(ext.raw).ok()?;
        if &e.extn_id == oid {
            return Some(e.extn_value.as_bytes().to_vec());
        }
    }
    None
}
