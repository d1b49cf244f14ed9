//! Distinguished names from RFC 4514-style strings.

use const_oid::ObjectIdentifier;
use der::{Decode as _, Tag};

use super::asn1::{oid, seq, tlv};

/// Attribute short names (matched case-insensitively), their OIDs and the string type the
/// value is written in.
const ATTRIBUTES: &[(&str, &str, Tag)] = &[
    ("CN", "2.5.4.3", Tag::Utf8String),
    ("SN", "2.5.4.4", Tag::Utf8String),
    ("surname", "2.5.4.4", Tag::Utf8String),
    ("serialNumber", "2.5.4.5", Tag::PrintableString),
    ("C", "2.5.4.6", Tag::PrintableString),
    ("L", "2.5.4.7", Tag::Utf8String),
    ("ST", "2.5.4.8", Tag::Utf8String),
    ("STREET", "2.5.4.9", Tag::Utf8String),
    ("O", "2.5.4.10", Tag::Utf8String),
    ("OU", "2.5.4.11", Tag::Utf8String),
    ("title", "2.5.4.12", Tag::Utf8String),
    ("description", "2.5.4.13", Tag::Utf8String),
    ("businessCategory", "2.5.4.15", Tag::Utf8String),
    ("postalCode", "2.5.4.17", Tag::Utf8String),
    ("GN", "2.5.4.42", Tag::Utf8String),
    ("givenName", "2.5.4.42", Tag::Utf8String),
    ("organizationIdentifier", "2.5.4.97", Tag::Utf8String),
    ("emailAddress", "1.2.840.113549.1.9.1", Tag::Ia5String),
    ("E", "1.2.840.113549.1.9.1", Tag::Ia5String),
    ("DC", "0.9.2342.19200300.100.1.25", Tag::Ia5String),
    ("UID", "0.9.2342.19200300.100.1.1", Tag::Utf8String),
    ("jurisdictionL", "1.3.6.1.4.1.311.60.2.1.1", Tag::Utf8String),
    (
        "jurisdictionST",
        "1.3.6.1.4.1.311.60.2.1.2",
        Tag::Utf8String,
    ),
    (
        "jurisdictionC",
        "1.3.6.1.4.1.311.60.2.1.3",
        Tag::PrintableString,
    ),
];

/// The DER of the Name written as an RFC 4514 string, e.g. `"CN=Leaf,O=Example,C=US"`.
///
/// As in RFC 4514 the most specific RDN comes first in the string and last in the DER.
/// Accepted: the short names `CN O OU C L ST STREET DC UID SN GN title description
/// serialNumber postalCode businessCategory organizationIdentifier jurisdictionC/ST/L` and
/// `emailAddress` (alias `E`), case-insensitive, or a dotted OID; `+` for multi-valued RDNs;
/// `\` escapes (`\,` `\+` `\\` `\=` `\XX` hex); `attr=#HEX` for a raw DER value (any string
/// type, e.g. `CN=#13044c656166` for a PrintableString "Leaf"). Values are UTF8String, except
/// C, serialNumber and jurisdictionC (PrintableString) and emailAddress and DC (IA5String).
/// White space after a separator is skipped; inside a value it is kept. Repeated attributes
/// (several CNs) are allowed. `""` is the empty Name.
///
/// # Panics
///
/// On a string that does not follow that syntax (a test's own typo).
///
/// ```
/// let der = sectrust::testing::name_der("CN=Leaf,O=Example,C=US");
/// assert_eq!(der[0], 0x30);
/// assert_eq!(sectrust::testing::name_der(""), [0x30, 0x00]);
/// ```
pub fn name_der(name: &str) -> Vec<u8> {
    parse(name).unwrap_or_else(|e| panic!("testing: bad name {name:?}: {e}"))
}

fn parse(name: &str) -> Result<Vec<u8>, String> {
    if name.trim().is_empty() {
        return Ok(seq(&[]));
    }
    let mut rdns = split_unescaped(name, b',')
        .into_iter()
        .map(|rdn| {
            let mut atvs = split_unescaped(rdn, b'+')
                .into_iter()
                .map(attribute)
                .collect::<Result<Vec<_>, _>>()?;
            // DER orders SET OF elements by their encodings.
            atvs.sort();
            Ok(tlv(Tag::Set, &atvs.concat()))
        })
        .collect::<Result<Vec<_>, String>>()?;
    rdns.reverse();
    Ok(seq(&rdns))
}

/// One `type=value` as an AttributeTypeAndValue.
fn attribute(text: &str) -> Result<Vec<u8>, String> {
    let eq = text
        .find('=')
        .ok_or_else(|| format!("{text:?} has no '='"))?;
    let (key, value) = (text[..eq].trim(), &text[eq + 1..]);
    let (id, tag) = match ATTRIBUTES
        .iter()
        .find(|(short, _, _)| short.eq_ignore_ascii_case(key))
    {
        Some((_, id, tag)) => (ObjectIdentifier::new_unwrap(id), *tag),
        None => (
            ObjectIdentifier::new(key).map_err(|_| format!("unknown attribute type {key:?}"))?,
            Tag::Utf8String,
        ),
    };
    let value = match value.strip_prefix('#') {
        Some(hex) => {
            let raw = decode_hex(hex).ok_or_else(|| format!("bad hex value {hex:?}"))?;
            der::asn1::Any::from_der(&raw)
                .map_err(|e| format!("#{hex} is not one DER value: {e}"))?;
            raw
        }
        None => tlv(tag, &unescape(value)?),
    };
    Ok(seq(&[oid(&id), value]))
}

/// Splits at every `sep` not preceded by an escaping backslash; pieces after the first have
/// leading white space removed.
fn split_unescaped(text: &str, sep: u8) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b if b == sep => {
                pieces.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    pieces.push(&text[start.min(text.len())..]);
    pieces
        .into_iter()
        .enumerate()
        .map(|(n, p)| if n == 0 { p } else { p.trim_start() })
        .collect()
}

/// Resolves `\c` and `\XX` escapes to bytes.
fn unescape(value: &str) -> Result<Vec<u8>, String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let hex = bytes.get(i + 1..i + 3).and_then(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
        });
        match (hex, bytes.get(i + 1)) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
            }
            (None, Some(&c)) => {
                out.push(c);
                i += 2;
            }
            (None, None) => return Err(format!("{value:?} ends in a lone backslash")),
        }
    }
    Ok(out)
}

/// Hex digits to bytes (`None` when malformed).
pub(crate) fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::{Decode, Tagged as _};
    use x509_cert::name::Name;

    fn decoded(s: &str) -> Name {
        Name::from_der(&name_der(s)).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn order_follows_rfc4514() {
        let name = decoded("CN=Leaf,O=Example,C=US");
        assert_eq!(name.to_string(), "CN=Leaf,O=Example,C=US");
        let first = name.iter().next().unwrap();
        assert_eq!(first.oid, ObjectIdentifier::new_unwrap("2.5.4.6"));
        assert_eq!(first.value.tag(), Tag::PrintableString);
    }

    #[test]
    fn every_documented_attribute_parses() {
        let name = decoded(
            "CN=a,CN=b,O=o,OU=u,C=US,L=l,ST=s,emailAddress=x@y.z,description=d,DC=com,UID=7,\
             serialNumber=42,STREET=s,title=t,SN=s,GN=g,postalCode=1,businessCategory=b,\
             organizationIdentifier=i,jurisdictionC=US,E=e@f.g,2.5.4.99=x",
        );
        assert_eq!(name.iter().count(), 22);
        let email = name
            .iter()
            .find(|a| a.oid.to_string() == "1.2.840.113549.1.9.1");
        assert_eq!(email.unwrap().value.tag(), Tag::Ia5String);
    }

    #[test]
    fn spaces_escapes_and_multivalued_rdns() {
        let name = decoded("CN=Smith\\, John + UID=1,  O=A\\2bB, OU= keep ");
        assert_eq!(name.len(), 3);
        let rdn = name.iter_rdn().last().unwrap();
        assert_eq!(rdn.len(), 2);
        let values: Vec<String> = name
            .iter()
            .map(|a| String::from_utf8(a.value.value().to_vec()).unwrap())
            .collect();
        assert!(values.contains(&"Smith, John ".to_string()), "{values:?}");
        assert!(values.contains(&"A+B".to_string()), "{values:?}");
        assert!(values.contains(&" keep ".to_string()), "{values:?}");
    }

    #[test]
    fn raw_hex_values_and_empty_names() {
        let name = decoded("CN=#13044c656166");
        assert_eq!(
            name.iter().next().unwrap().value.tag(),
            Tag::PrintableString
        );
        assert_eq!(name_der(""), [0x30, 0x00]);
        assert!(decoded("").is_empty());
    }

    #[test]
    fn malformed_names_are_errors() {
        assert!(parse("CN").is_err());
        assert!(parse("XX=1").is_err());
        assert!(parse("CN=a\\").is_err());
        assert!(parse("CN=#zz").is_err());
    }
}
