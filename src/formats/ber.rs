//! BER → DER normalisation for the containers users hand us.
//!
//! PKCS#12 files written by Windows and Java, and CMS messages written by streaming encoders,
//! use BER: indefinite lengths closed by end-of-contents octets, constructed (chunked) OCTET
//! STRINGs, non-minimal lengths. The parsers of this module read DER (with
//! [`crate::certificate::tlv`]), so each container is first rewritten here: definite minimal
//! lengths, and universal string types made primitive by concatenating their chunks. The
//! content octets of primitive elements are never touched, so the PKCS#12 MAC and CMS digests
//! (computed over content octets) still match. SET OF order is left as found.

use der::ErrorKind;

use crate::certificate::tlv::{Reader, Tlv, error_at, tag};

/// Deepest nesting accepted. PKCS#12 and CMS nest about ten levels; 64 leaves room for
/// certificates inside them and keeps the recursion far from the stack's end.
const MAX_DEPTH: usize = 64;

/// Rewrites one BER element (the whole input, no trailing bytes) as DER.
pub(crate) fn to_der(input: &[u8]) -> Result<Vec<u8>, der::Error> {
    let mut out = Vec::with_capacity(input.len());
    let mut pos = 0;
    let element = read_element(input, &mut pos, 0)?;
    if pos != input.len() {
        return Err(error_at(
            ErrorKind::TrailingData {
                decoded: crate::certificate::tlv::length(pos),
                remaining: crate::certificate::tlv::length(input.len() - pos),
            },
            pos,
        ));
    }
    element.write(&mut out);
    Ok(out)
}

/// The single SEQUENCE that `der` holds (nothing may follow it).
pub(crate) fn sequence(der: &[u8]) -> Result<Tlv<'_>, der::Error> {
    let mut r = Reader::new(der);
    let seq = r.read(tag::SEQUENCE)?;
    r.finish()?;
    Ok(seq)
}

/// A decoded element: identifier octets and DER content.
struct Element {
    identifier: Vec<u8>,
    content: Vec<u8>,
}

impl Element {
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.identifier);
        write_length(self.content.len(), out);
        out.extend_from_slice(&self.content);
    }
}

/// Whether a universal tag number is a string type whose constructed form is a list of chunks
/// (X.690 §8.7, §8.23): OCTET STRING and the character strings.
fn is_chunked_string(number: u8) -> bool {
    matches!(
        number,
        0x04 | 0x0C | 0x12 | 0x13 | 0x14 | 0x16 | 0x1A | 0x1C | 0x1E
    )
}

fn byte(input: &[u8], pos: &mut usize) -> Result<u8, der::Error> {
    let b = *input.get(*pos).ok_or_else(|| {
        error_at(
            ErrorKind::Incomplete {
                expected_len: crate::certificate::tlv::length(*pos + 1),
                actual_len: crate::certificate::tlv::length(input.len()),
            },
            *pos,
        )
    })?;
    *pos += 1;
    Ok(b)
}

/// Reads one element at `pos` (which ends up after it) and normalises it.
fn read_element(input: &[u8], pos: &mut usize, depth: usize) -> Result<Element, der::Error> {
    let start = *pos;
    if depth > MAX_DEPTH {
        return Err(error_at(ErrorKind::Overlength, start));
    }
    let first = byte(input, pos)?;
    let mut identifier = vec![first];
    if first & 0x1F == 0x1F {
        loop {
            let b = byte(input, pos)?;
            identifier.push(b);
            if b & 0x80 == 0 {
                break;
            }
            if identifier.len() > 5 {
                return Err(error_at(ErrorKind::TagNumberInvalid, start));
            }
        }
    }
    let constructed = first & 0x20 != 0;
    let length_at = *pos;
    let length = match byte(input, pos)? {
        0x80 if constructed => None,
        0x80 => return Err(error_at(ErrorKind::IndefiniteLength, length_at)),
        n @ 0..=0x7F => Some(usize::from(n)),
        n @ 0x81..=0x84 => {
            let mut len = 0usize;
            for _ in 0..(n & 0x7F) {
                len = (len << 8) | usize::from(byte(input, pos)?);
            }
            Some(len)
        }
        _ => return Err(error_at(ErrorKind::Overlength, length_at)),
    };
    if !constructed {
        let len = length.unwrap_or(0);
        let end = pos
            .checked_add(len)
            .filter(|&end| end <= input.len())
            .ok_or_else(|| incomplete(input, *pos, len, start))?;
        let content = input[*pos..end].to_vec();
        *pos = end;
        return Ok(Element {
            identifier,
            content,
        });
    }
    // A chunked string's chunks must be the same string type (primitive once normalised);
    // its DER form is one primitive string holding their concatenation.
    let universal = first & 0xC0 == 0 && identifier.len() == 1;
    let chunked = universal && is_chunked_string(first & 0x1F);
    if chunked {
        identifier = vec![first & !0x20];
    }
    let mut content = Vec::new();
    let mut add = |child: Element| -> Result<(), der::Error> {
        if chunked {
            if child.identifier != identifier {
                return Err(error_at(
                    ErrorKind::Noncanonical {
                        tag: der::Tag::OctetString,
                    },
                    start,
                ));
            }
            content.extend_from_slice(&child.content);
        } else {
            child.write(&mut content);
        }
        Ok(())
    };
    match length {
        Some(len) => {
            let end = pos
                .checked_add(len)
                .filter(|&end| end <= input.len())
                .ok_or_else(|| incomplete(input, *pos, len, start))?;
            let inner = &input[..end];
            while *pos < end {
                add(read_element(inner, pos, depth + 1)?)?;
            }
        }
        None => loop {
            if input.get(*pos..*pos + 2) == Some(&[0, 0]) {
                *pos += 2;
                break;
            }
            if *pos >= input.len() {
                return Err(incomplete(input, *pos, 2, start));
            }
            add(read_element(input, pos, depth + 1)?)?;
        },
    }
    Ok(Element {
        identifier,
        content,
    })
}

#[cold]
fn incomplete(input: &[u8], pos: usize, more: usize, at: usize) -> der::Error {
    error_at(
        ErrorKind::Incomplete {
            expected_len: crate::certificate::tlv::length(pos.saturating_add(more)),
            actual_len: crate::certificate::tlv::length(input.len()),
        },
        at,
    )
}

/// Appends a DER (minimal) length.
pub(crate) fn write_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    out.push(0x80 | (bytes.len() - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_is_unchanged() {
        let der = [0x30, 0x06, 0x02, 0x01, 0x03, 0x04, 0x01, 0xAA];
        assert_eq!(to_der(&der).unwrap(), der);
    }

    #[test]
    fn indefinite_lengths_and_chunked_strings_become_der() {
        // SEQUENCE (indefinite) { OCTET STRING (constructed, indefinite) { "ab", "c" } }
        let ber = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x00,
            0x00,
        ];
        assert_eq!(
            to_der(&ber).unwrap(),
            [0x30, 0x05, 0x04, 0x03, b'a', b'b', b'c']
        );
    }

    #[test]
    fn non_minimal_lengths_become_minimal() {
        let ber = [0x04, 0x82, 0x00, 0x01, 0xFF];
        assert_eq!(to_der(&ber).unwrap(), [0x04, 0x01, 0xFF]);
    }

    #[test]
    fn truncation_trailing_data_and_depth_are_errors() {
        assert!(to_der(&[0x30, 0x80, 0x04, 0x01, 0x00]).is_err());
        assert!(to_der(&[0x04, 0x05, 0x00]).is_err());
        assert!(to_der(&[0x04, 0x00, 0x00]).is_err());
        let mut deep = vec![];
        for _ in 0..100 {
            deep.extend_from_slice(&[0x30, 0x80]);
        }
        deep.extend(std::iter::repeat_n(0, 200));
        assert!(to_der(&deep).is_err());
    }

    #[test]
    fn long_lengths() {
        let mut out = Vec::new();
        write_length(0x1234, &mut out);
        assert_eq!(out, [0x82, 0x12, 0x34]);
    }
}
