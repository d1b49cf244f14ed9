//! A minimal borrowed DER reader (tag, length, value) for the certificate parser.
//!
//! `der`'s own reader rejects tags it does not model (UniversalString, 0x1C, is one: real
//! names use it) and its time types reject years before 1970 (PKITS has a 1950 notBefore), so
//! the parser walks the DER with this reader instead. It only borrows, never allocates, keeps
//! absolute byte offsets (so the raw TBS/SPKI/name ranges are exact), and reports failures as
//! [`der::Error`]s carrying that offset. Lengths must be definite and minimally encoded (DER);
//! tags may use the high-tag-number form, which never equals an expected tag. There is no
//! recursion: each caller reads one level at a time.

use std::ops::Range;

use der::{Decode, ErrorKind, Length, SliceReader, Tag};

/// Universal tags used by the parser (first identifier octet).
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const NULL: u8 = 0x05;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const UTF8_STRING: u8 = 0x0C;
    pub(crate) const NUMERIC_STRING: u8 = 0x12;
    pub(crate) const PRINTABLE_STRING: u8 = 0x13;
    pub(crate) const TELETEX_STRING: u8 = 0x14;
    pub(crate) const IA5_STRING: u8 = 0x16;
    pub(crate) const UTC_TIME: u8 = 0x17;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const VISIBLE_STRING: u8 = 0x1A;
    pub(crate) const UNIVERSAL_STRING: u8 = 0x1C;
    pub(crate) const BMP_STRING: u8 = 0x1E;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;
}

/// One element: its identifier octet, its content and where it sits in the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    /// The first identifier octet.
    pub(crate) tag: u8,
    /// Whether the tag used the high-tag-number form (then `tag` is only its first octet).
    pub(crate) long_tag: bool,
    /// The whole element: identifier, length and content.
    pub(crate) raw: &'a [u8],
    /// The content octets.
    pub(crate) value: &'a [u8],
    /// Absolute offset of `raw` in the outermost input.
    pub(crate) start: usize,
    /// Absolute offset of `value` in the outermost input.
    pub(crate) value_start: usize,
}

impl<'a> Tlv<'a> {
    /// A reader over the content octets.
    pub(crate) fn reader(&self) -> Reader<'a> {
        Reader::with_offset(self.value, self.value_start)
    }

    /// Absolute byte range of the whole element.
    pub(crate) fn range(&self) -> Range<usize> {
        self.start..self.start + self.raw.len()
    }

    /// Whether the identifier is exactly `tag` (low tag number form).
    pub(crate) fn is(&self, tag: u8) -> bool {
        !self.long_tag && self.tag == tag
    }

    /// The context-specific tag number, when the class is context-specific.
    pub(crate) fn context_number(&self) -> Option<u8> {
        (!self.long_tag && self.tag & 0xC0 == 0x80).then_some(self.tag & 0x1F)
    }

    /// An error of `kind` located at this element.
    pub(crate) fn error(&self, kind: ErrorKind) -> der::Error {
        error_at(kind, self.start)
    }

    /// A "malformed value" error located at this element.
    pub(crate) fn value_error(&self) -> der::Error {
        match tag_of(self.tag) {
            Some(tag) if !self.long_tag => self.error(ErrorKind::Value { tag }),
            _ => self.error(ErrorKind::TagUnknown { byte: self.tag }),
        }
    }
}

/// A cursor over a slice of DER elements.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    /// Absolute offset of `input` in the outermost input.
    offset: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `input`, which starts at the outermost input's beginning.
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self::with_offset(input, 0)
    }

    /// A reader over `input`, which sits at absolute `offset`.
    pub(crate) fn with_offset(input: &'a [u8], offset: usize) -> Self {
        Reader {
            input,
            pos: 0,
            offset,
        }
    }

    /// Whether everything was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.input.len()
    }

    /// The next identifier octet, without consuming it.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// Absolute offset of the cursor.
    fn here(&self) -> usize {
        self.offset + self.pos
    }

    #[inline]
    fn byte(&mut self) -> Result<u8, der::Error> {
        match self.input.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.incomplete(1, self.here())),
        }
    }

    /// "Needs `more` bytes past the cursor", located at `at`.
    #[cold]
    fn incomplete(&self, more: usize, at: usize) -> der::Error {
        error_at(
            ErrorKind::Incomplete {
                expected_len: length(self.here().saturating_add(more)),
                actual_len: length(self.offset + self.input.len()),
            },
            at,
        )
    }

    /// The next element when it has a one-octet tag and a short-form length (the common case),
    /// without consuming it.
    #[inline]
    fn peek_short(&self) -> Option<Tlv<'a>> {
        let pos = self.pos;
        let &[tag, len @ 0..=0x7F] = self.input.get(pos..pos + 2)? else {
            return None;
        };
        if tag & 0x1F == 0x1F {
            return None;
        }
        let raw = self.input.get(pos..pos + 2 + usize::from(len))?;
        Some(Tlv {
            tag,
            long_tag: false,
            raw,
            value: raw.get(2..).unwrap_or_default(),
            start: self.offset + pos,
            value_start: self.offset + pos + 2,
        })
    }

    /// Reads the next element, whatever its tag.
    #[inline]
    pub(crate) fn read_any(&mut self) -> Result<Tlv<'a>, der::Error> {
        match self.peek_short() {
            Some(tlv) => {
                self.pos += tlv.raw.len();
                Ok(tlv)
            }
            None => self.read_any_slow(),
        }
    }

    /// [`Reader::read_any`] for long tags, long lengths and errors.
    fn read_any_slow(&mut self) -> Result<Tlv<'a>, der::Error> {
        let start_pos = self.pos;
        let start = self.here();
        let tag = self.byte()?;
        let mut long_tag = false;
        if tag & 0x1F == 0x1F {
            // High-tag-number form: base-128 octets, the last without bit 8. Four octets are
            // far more than any certificate uses; more is treated as malformed.
            long_tag = true;
            let mut n = 0;
            loop {
                let b = self.byte()?;
                n += 1;
                if n == 1 && b == 0x80 {
                    return Err(error_at(ErrorKind::TagNumberInvalid, start));
                }
                if b & 0x80 == 0 {
                    break;
                }
                if n >= 4 {
                    return Err(error_at(ErrorKind::TagNumberInvalid, start));
                }
            }
        }
        let len_at = self.here();
        let first = self.byte()?;
        let len = match first {
            0..=0x7F => usize::from(first),
            0x80 => return Err(error_at(ErrorKind::IndefiniteLength, len_at)),
            0x81..=0x84 => {
                let mut len = 0usize;
                for _ in 0..(first & 0x7F) {
                    len = (len << 8) | usize::from(self.byte()?);
                }
                // DER: the shortest form, no leading zero octet.
                let min = match first {
                    0x81 => 0x80,
                    0x82 => 0x100,
                    0x83 => 0x1_0000,
                    _ => 0x100_0000,
                };
                if len < min {
                    return Err(noncanonical(tag, long_tag, len_at));
                }
                len
            }
            _ => return Err(error_at(ErrorKind::Overlength, len_at)),
        };
        let value_pos = self.pos;
        let end = match value_pos.checked_add(len) {
            Some(end) if end <= self.input.len() => end,
            _ => return Err(self.incomplete(len, start)),
        };
        self.pos = end;
        Ok(Tlv {
            tag,
            long_tag,
            raw: self.input.get(start_pos..end).unwrap_or_default(),
            value: self.input.get(value_pos..end).unwrap_or_default(),
            start,
            value_start: self.offset + value_pos,
        })
    }

    /// Reads the next element, which must have identifier `tag`.
    #[inline]
    pub(crate) fn read(&mut self, tag: u8) -> Result<Tlv<'a>, der::Error> {
        match self.peek_short() {
            Some(tlv) if tlv.tag == tag => {
                self.pos += tlv.raw.len();
                Ok(tlv)
            }
            _ => self.read_checked(tag),
        }
    }

    /// [`Reader::read`] for long forms, other tags and errors.
    #[inline(never)]
    fn read_checked(&mut self, tag: u8) -> Result<Tlv<'a>, der::Error> {
        let at = self.here();
        let tlv = self.read_any()?;
        if tlv.is(tag) {
            Ok(tlv)
        } else {
            Err(unexpected(tag, &tlv, at))
        }
    }

    /// Reads the next element when its identifier is `tag`.
    pub(crate) fn read_optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, der::Error> {
        if self.peek_tag() == Some(tag) {
            self.read(tag).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Fails when input remains.
    pub(crate) fn finish(&self) -> Result<(), der::Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(error_at(
                ErrorKind::TrailingData {
                    decoded: length(self.here()),
                    remaining: length(self.input.len().saturating_sub(self.pos)),
                },
                self.here(),
            ))
        }
    }
}

/// Converts an offset to a [`Length`] (saturating; inputs are far below 4 GiB).
pub(crate) fn length(n: usize) -> Length {
    Length::try_from(n).unwrap_or(Length::MAX)
}

/// A [`der::Error`] of `kind` at absolute offset `at`.
pub(crate) fn error_at(kind: ErrorKind, at: usize) -> der::Error {
    kind.at(length(at))
}

/// der's [`Tag`] for a single identifier octet, when der models it.
fn tag_of(byte: u8) -> Option<Tag> {
    let bytes = [byte];
    let mut reader = SliceReader::new(&bytes).ok()?;
    Tag::decode(&mut reader).ok()
}

#[cold]
fn noncanonical(tag: u8, long_tag: bool, at: usize) -> der::Error {
    match tag_of(tag) {
        Some(tag) if !long_tag => error_at(ErrorKind::Noncanonical { tag }, at),
        _ => error_at(ErrorKind::TagUnknown { byte: tag }, at),
    }
}

#[cold]
fn unexpected(expected: u8, actual: &Tlv<'_>, at: usize) -> der::Error {
    match tag_of(actual.tag) {
        Some(tag) if !actual.long_tag => error_at(
            ErrorKind::TagUnexpected {
                expected: tag_of(expected),
                actual: tag,
            },
            at,
        ),
        _ => error_at(ErrorKind::TagUnknown { byte: actual.tag }, at),
    }
}

/// Reads a non-negative INTEGER's content as `u32` (leading zero octets tolerated).
pub(crate) fn uint_u32(tlv: &Tlv<'_>) -> Result<u32, der::Error> {
    let v = tlv.value;
    match v.first() {
        None => return Err(tlv.value_error()),
        Some(b) if b & 0x80 != 0 => return Err(tlv.value_error()),
        _ => {}
    }
    let start = v.iter().position(|&b| b != 0).unwrap_or(v.len());
    let digits = v.get(start..).unwrap_or_default();
    if digits.len() > 4 {
        return Err(tlv.value_error());
    }
    Ok(digits
        .iter()
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
}

/// Reads a BOOLEAN's content leniently (any non-zero octet is TRUE), as Apple's parser does
/// for extension contents.
pub(crate) fn boolean(tlv: &Tlv<'_>) -> Result<bool, der::Error> {
    match tlv.value {
        [b] => Ok(*b != 0),
        _ => Err(tlv.value_error()),
    }
}

/// Reads an OBJECT IDENTIFIER element.
pub(crate) fn oid(tlv: &Tlv<'_>) -> Result<const_oid::ObjectIdentifier, der::Error> {
    if let Some(known) = common_oid(tlv.value) {
        return Ok(known);
    }
    const_oid::ObjectIdentifier::from_bytes(tlv.value)
        .map_err(|_| tlv.error(ErrorKind::OidMalformed))
}

/// Arcs under which most of a certificate's OIDs sit, as content octets: a child arc below 128
/// adds one octet. Attribute types (2.5.4), certificate extensions (2.5.29), PKCS #1
/// (1.2.840.113549.1.1), ECDSA signatures (1.2.840.10045.4.3), extended key usages
/// (1.3.6.1.5.5.7.3) and PKIX private extensions (1.3.6.1.5.5.7.1).
const COMMON_ARCS: [&[u8]; 6] = [
    &[0x55, 0x04],
    &[0x55, 0x1D],
    &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01],
    &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03],
    &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03],
    &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01],
];

/// The OID of content octets `value` when it is a child (0..=127) of one of [`COMMON_ARCS`],
/// from a table made once with `ObjectIdentifier::from_bytes` (so it is exactly what that
/// returns): parsing an OID costs about 190 instructions, and a certificate has a dozen or two.
fn common_oid(value: &[u8]) -> Option<const_oid::ObjectIdentifier> {
    type Table = [[Option<const_oid::ObjectIdentifier>; 128]; COMMON_ARCS.len()];
    static TABLE: std::sync::OnceLock<Box<Table>> = std::sync::OnceLock::new();
    let (&child, arc) = value.split_last()?;
    if child >= 0x80 {
        return None;
    }
    let index = COMMON_ARCS.iter().position(|a| *a == arc)?;
    let table = TABLE.get_or_init(|| {
        Box::new(std::array::from_fn(|i| {
            std::array::from_fn(|c| {
                let mut bytes = COMMON_ARCS[i].to_vec();
                bytes.push(u8::try_from(c).unwrap_or(0));
                const_oid::ObjectIdentifier::from_bytes(&bytes).ok()
            })
        }))
    });
    table.get(index)?.get(usize::from(child)).copied().flatten()
}

/// Reads the next element as an OBJECT IDENTIFIER.
pub(crate) fn read_oid(r: &mut Reader<'_>) -> Result<const_oid::ObjectIdentifier, der::Error> {
    oid(&r.read(tag::OID)?)
}

/// The bit length of a big-endian unsigned magnitude (leading zero bits not counted).
pub(crate) fn bit_length(bytes: &[u8]) -> u32 {
    let Some(first) = bytes.iter().position(|&b| b != 0) else {
        return 0;
    };
    let rest = u32::try_from(bytes.len() - first - 1).unwrap_or(u32::MAX / 16);
    let lead = bytes.get(first).copied().unwrap_or(0);
    rest.saturating_mul(8)
        .saturating_add(8 - lead.leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of common OIDs answers exactly as `ObjectIdentifier::from_bytes`, for every
    /// entry and for inputs next to them (longer, shorter, multi-octet child, other arcs).
    #[test]
    fn common_oids_are_those_of_from_bytes() {
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for arc in COMMON_ARCS {
            for child in 0..=255u8 {
                inputs.push([arc, &[child][..]].concat());
                inputs.push([arc, &[child, 0x01][..]].concat());
            }
            inputs.push(arc.to_vec());
            inputs.push(arc[..arc.len() - 1].to_vec());
        }
        inputs.push(vec![0x55, 0x05, 0x03]);
        inputs.push(vec![0x80, 0x01]);
        inputs.push(Vec::new());
        for value in inputs {
            let tlv = Tlv {
                tag: tag::OID,
                long_tag: false,
                raw: &value,
                value: &value,
                start: 0,
                value_start: 0,
            };
            assert_eq!(
                oid(&tlv).ok(),
                const_oid::ObjectIdentifier::from_bytes(&value).ok(),
                "{value:02x?}"
            );
        }
        assert!(common_oid(&[0x55, 0x04, 0x03]) == Some(const_oid::db::rfc4519::CN));
    }

    #[test]
    fn reads_short_and_long_lengths() {
        let mut data = vec![0x04, 0x81, 0x80];
        data.extend([7u8; 0x80]);
        let mut r = Reader::new(&data);
        let tlv = r.read(tag::OCTET_STRING).unwrap();
        assert_eq!(tlv.value.len(), 0x80);
        assert_eq!(tlv.value_start, 3);
        assert!(r.finish().is_ok());
    }

    #[test]
    fn rejects_noncanonical_and_indefinite_lengths() {
        assert!(Reader::new(&[0x04, 0x81, 0x01, 0x00]).read_any().is_err());
        assert!(Reader::new(&[0x30, 0x80, 0x00, 0x00]).read_any().is_err());
        assert!(
            Reader::new(&[0x04, 0x85, 1, 1, 1, 1, 1])
                .read_any()
                .is_err()
        );
        assert!(Reader::new(&[0x04, 0x02, 0x00]).read_any().is_err());
        assert!(Reader::new(&[]).read_any().is_err());
    }

    #[test]
    fn reads_unknown_and_high_tags() {
        let mut r = Reader::new(&[0x1C, 0x00, 0x9F, 0x81, 0x01, 0x01, 0xAA]);
        assert!(r.read_any().unwrap().is(tag::UNIVERSAL_STRING));
        let high = r.read_any().unwrap();
        assert!(high.long_tag && high.value == [0xAA]);
        assert!(r.is_empty());
    }

    #[test]
    fn errors_carry_absolute_positions() {
        let data = [0x30, 0x03, 0x02, 0x05, 0x00];
        let outer = Reader::new(&data).read(tag::SEQUENCE).unwrap();
        let err = outer.reader().read_any().unwrap_err();
        assert_eq!(err.position(), Some(Length::new(2)));
    }

    #[test]
    fn integers_and_bit_lengths() {
        let int = |v: &'static [u8]| Tlv {
            tag: tag::INTEGER,
            long_tag: false,
            raw: v,
            value: v,
            start: 0,
            value_start: 0,
        };
        assert_eq!(uint_u32(&int(&[0x00, 0xFF])).unwrap(), 255);
        assert!(uint_u32(&int(&[0xFF])).is_err());
        assert!(uint_u32(&int(&[1, 2, 3, 4, 5])).is_err());
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[]), 0);
    }
}
