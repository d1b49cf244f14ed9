//! Distinguished names: raw, decoded and normalised for matching; Apple's subject summary
//! (`apple-trust.md §3`).

use std::fmt;
use std::sync::OnceLock;

use const_oid::ObjectIdentifier;

use super::tlv::{Reader, Tlv, read_oid, tag};
use super::{Certificate, GeneralName};

/// One attribute of a relative distinguished name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The attribute type.
    pub oid: ObjectIdentifier,
    /// The value as text when it is a string type that decodes, else `None`.
    pub value: Option<String>,
    /// The value's raw DER (tag, length, content).
    pub raw: Vec<u8>,
}

/// A distinguished name.
#[derive(Clone)]
pub struct Name {
    /// The raw DER of the Name (the outer SEQUENCE).
    pub(crate) der: Vec<u8>,
    /// RDNs in encoded order, each a set of attributes, decoded from `der` on first use: an
    /// evaluation mostly compares names by their bytes, and decoding every attribute's text
    /// was a third of a certificate's parse. The parse validated the structure, so decoding
    /// cannot fail.
    pub(crate) rdns: OnceLock<Vec<Vec<Attribute>>>,
    /// Whether every RDN is empty (no attributes), counted by the parse.
    pub(crate) empty: bool,
    /// A digest of the normalised form when every RDN has one attribute and every value is
    /// ASCII text, made by the parse ([`FoldDigest`]): names whose digests differ cannot
    /// match, so most non-matching pairs are told apart without normalising either.
    pub(crate) fold: Option<u64>,
    /// The normalised form used for matching (see [`Name::matches`]), made on first use: most
    /// names are matched byte for byte and never need it.
    pub(crate) normalized: OnceLock<Vec<u8>>,
}

/// Equal DER and attributes (the normalised form follows from the attributes).
impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der && self.rdns() == other.rdns()
    }
}

impl Eq for Name {}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Name")
            .field("der", &self.der)
            .field("rdns", &self.rdns())
            .field("normalized", &self.normalized())
            .finish()
    }
}

impl Name {
    /// The raw DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// RDNs in encoded order.
    pub fn rdns(&self) -> &[Vec<Attribute>] {
        self.rdns
            .get_or_init(|| decode_rdns(&self.der).unwrap_or_default())
    }

    /// Every attribute, in encoded order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.rdns().iter().flatten()
    }

    /// Whether the name has no attributes.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// The normalised form (see [`Name::matches`]).
    pub fn normalized(&self) -> &[u8] {
        self.normalized.get_or_init(|| {
            normalize_der(&self.der).unwrap_or_else(|| {
                let mut out = Vec::with_capacity(self.der.len());
                for rdn in self.rdns() {
                    normalize_rdn(rdn, &mut out);
                }
                out
            })
        })
    }

    /// Name matching as Apple does for issuer/subject chaining: byte-equal DER, or equal after
    /// normalising string values (case-folded, leading/trailing white space removed, internal
    /// runs of white space collapsed, any string type) — RFC 5280 §7.1.
    pub fn matches(&self, other: &Name) -> bool {
        if self.der == other.der {
            return true;
        }
        match (self.fold, other.fold) {
            (Some(a), Some(b)) if a != b => false,
            _ => self.normalized() == other.normalized(),
        }
    }

    /// Text values of attributes of type `oid`, in encoded order.
    pub fn values(&self, oid: ObjectIdentifier) -> impl Iterator<Item = &str> {
        self.attributes()
            .filter(move |a| a.oid == oid)
            .filter_map(|a| a.value.as_deref())
    }

    /// Every commonName.
    pub fn common_names(&self) -> impl Iterator<Item = &str> {
        self.values(const_oid::db::rfc4519::CN)
    }

    /// Every emailAddress (PKCS #9).
    pub fn email_addresses(&self) -> impl Iterator<Item = &str> {
        self.values(const_oid::db::rfc2985::PKCS_9_AT_EMAIL_ADDRESS)
    }

    /// Every organizationalUnitName.
    pub fn organizational_units(&self) -> impl Iterator<Item = &str> {
        self.values(const_oid::db::rfc4519::OU)
    }

    /// Every organizationName.
    pub fn organizations(&self) -> impl Iterator<Item = &str> {
        self.values(const_oid::db::rfc4519::O)
    }
}

/// The `description` attribute type (2.5.4.13), appended to CN summaries (`apple-trust.md §3`).
const DESCRIPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.13");

/// RFC 4514 short names, as Python's `cryptography` prints them (so `Display` equals the
/// `subject` strings of `apple-roots/stores.json`); other types print as dotted OIDs.
const SHORT_NAMES: &[(ObjectIdentifier, &str)] = &[
    (const_oid::db::rfc4519::CN, "CN"),
    (const_oid::db::rfc4519::L, "L"),
    (const_oid::db::rfc4519::ST, "ST"),
    (const_oid::db::rfc4519::O, "O"),
    (const_oid::db::rfc4519::OU, "OU"),
    (const_oid::db::rfc4519::C, "C"),
    (const_oid::db::rfc4519::STREET, "STREET"),
    (const_oid::db::rfc4519::DC, "DC"),
    (const_oid::db::rfc4519::UID, "UID"),
];

impl fmt::Display for Name {
    /// RFC 4514 style, most significant RDN last (`CN=leaf,O=Example,C=US`): multi-valued RDNs
    /// joined by `+`, special characters escaped with `\`, values that are not text as `#` and
    /// the hex of their DER.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, rdn) in self.rdns().iter().rev().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            for (j, attr) in rdn.iter().enumerate() {
                if j > 0 {
                    f.write_str("+")?;
                }
                match SHORT_NAMES.iter().find(|(oid, _)| *oid == attr.oid) {
                    Some((_, short)) => f.write_str(short)?,
                    None => write!(f, "{}", attr.oid)?,
                }
                f.write_str("=")?;
                match &attr.value {
                    Some(text) => write_escaped(f, text)?,
                    None => write!(f, "#{}", super::hex(&attr.raw))?,
                }
            }
        }
        Ok(())
    }
}

/// Writes an RFC 4514 attribute value with its special characters escaped.
fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' | '"' | '+' | ',' | ';' | '<' | '>' => write!(f, "\\{c}")?,
            '\0' => f.write_str("\\00")?,
            '#' | ' ' if i == 0 => write!(f, "\\{c}")?,
            ' ' if i == last => f.write_str("\\ ")?,
            c => write!(f, "{c}")?,
        }
    }
    Ok(())
}

/// Parses a Name from its DER (the outer SEQUENCE).
#[allow(
    dead_code,
    reason = "crate-internal API for the anchor and path modules"
)]
pub(crate) fn parse_name(der: &[u8]) -> Result<Name, der::Error> {
    let mut r = Reader::new(der);
    let tlv = r.read(tag::SEQUENCE)?;
    r.finish()?;
    parse_name_tlv(&tlv)
}

/// Parses a Name element, keeping its raw DER; error positions are those of the outer input.
///
/// Lenient where Apple is: an empty RDN SET is kept (as an empty RDN), SET order is not
/// checked, and any attribute value tag is accepted (text or not).
pub(crate) fn parse_name_tlv(tlv: &Tlv<'_>) -> Result<Name, der::Error> {
    if !tlv.is(tag::SEQUENCE) {
        return Err(tlv.value_error());
    }
    // Validate now (errors carry positions in the outer input); decode on first use.
    let mut attributes = 0usize;
    let mut fold = Some(FoldDigest::new());
    let mut r = tlv.reader();
    while !r.is_empty() {
        let set = r.read(tag::SET)?;
        let mut sr = set.reader();
        let mut in_set = 0u32;
        while !sr.is_empty() {
            let atv = sr.read(tag::SEQUENCE)?;
            let mut ar = atv.reader();
            let oid = ar.read(tag::OID)?;
            super::tlv::oid(&oid)?;
            let value = ar.read_any()?;
            ar.finish()?;
            attributes += 1;
            in_set += 1;
            if let Some(d) = fold.as_mut()
                && !d.attribute(oid.value, &value)
            {
                fold = None;
            }
        }
        match fold.as_mut() {
            Some(d) if in_set <= 1 => d.rdn(in_set),
            _ => fold = None,
        }
    }
    Ok(Name {
        der: tlv.raw.to_vec(),
        rdns: OnceLock::new(),
        empty: attributes == 0,
        fold: fold.map(|d| d.0),
        normalized: OnceLock::new(),
    })
}

/// FNV-1a over the normalised form of a name whose RDNs have at most one attribute each and
/// whose values are ASCII text (PrintableString, IA5String, VisibleString, NumericString,
/// UTF8String): per RDN its attribute's OID, then the value trimmed, with white-space runs
/// collapsed and lower-cased as [`normalize_text`] does, then the RDN's size. Equal normalised
/// forms give equal digests; any other name has none. A collision only costs a comparison of
/// the normalised forms.
struct FoldDigest(u64);

impl FoldDigest {
    fn new() -> Self {
        FoldDigest(0xcbf2_9ce4_8422_2325)
    }

    fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }

    /// Adds one attribute; `false` when its value is not ASCII text.
    fn attribute(&mut self, oid: &[u8], value: &Tlv<'_>) -> bool {
        if !(utf8_family(value) && value.value.is_ascii()) {
            return false;
        }
        self.byte(u8::try_from(oid.len()).unwrap_or(u8::MAX));
        oid.iter().for_each(|&b| self.byte(b));
        let (mut started, mut pending_space) = (false, false);
        for &b in value.value {
            // char::is_whitespace over ASCII: U+0009..U+000D and U+0020.
            if matches!(b, 0x09..=0x0D | b' ') {
                pending_space = started;
                continue;
            }
            if pending_space {
                self.byte(b' ');
                pending_space = false;
            }
            started = true;
            self.byte(b.to_ascii_lowercase());
        }
        // Values are ASCII: 0xFF ends one unambiguously.
        self.byte(0xFF);
        true
    }

    /// Ends an RDN of `size` (0 or 1) attributes.
    fn rdn(&mut self, size: u32) {
        self.byte(0xF0 | u8::try_from(size).unwrap_or(0x0F));
    }
}

/// The RDNs of a Name's DER (the outer SEQUENCE), as [`parse_name_tlv`] validated them.
fn decode_rdns(der: &[u8]) -> Result<Vec<Vec<Attribute>>, der::Error> {
    let name = Reader::new(der).read(tag::SEQUENCE)?;
    let mut rdns = Vec::new();
    let mut r = name.reader();
    while !r.is_empty() {
        let set = r.read(tag::SET)?;
        let mut attrs = Vec::with_capacity(1);
        let mut sr = set.reader();
        while !sr.is_empty() {
            let atv = sr.read(tag::SEQUENCE)?;
            let mut ar = atv.reader();
            let oid = read_oid(&mut ar)?;
            let value = ar.read_any()?;
            attrs.push(Attribute {
                oid,
                value: decode_text(&value),
                raw: value.raw.to_vec(),
            });
        }
        rdns.push(attrs);
    }
    Ok(rdns)
}

impl Name {
    /// A name with these RDNs and DER, decoded already (tests build names from attributes).
    #[cfg(test)]
    pub(crate) fn from_parts(der: Vec<u8>, rdns: Vec<Vec<Attribute>>) -> Name {
        Name {
            der,
            empty: rdns.iter().all(Vec::is_empty),
            fold: None,
            rdns: OnceLock::from(rdns),
            normalized: OnceLock::new(),
        }
    }
}

/// Whether `value` is a string type whose text [`decode_text`] takes as the content itself when
/// that is valid UTF-8: PrintableString, IA5String, VisibleString, NumericString, UTF8String.
fn utf8_family(value: &Tlv<'_>) -> bool {
    !value.long_tag
        && matches!(
            value.tag,
            tag::PRINTABLE_STRING
                | tag::IA5_STRING
                | tag::VISIBLE_STRING
                | tag::NUMERIC_STRING
                | tag::UTF8_STRING
        )
}

/// Decodes a directory string to text: PrintableString, IA5String, VisibleString and
/// NumericString (ASCII; UTF-8, then Latin-1, when mis-encoded), UTF8String, TeletexString
/// (Latin-1), BMPString (UTF-16BE) and UniversalString (UTF-32BE). Anything else: `None`.
pub(crate) fn decode_text(value: &Tlv<'_>) -> Option<String> {
    if value.long_tag {
        return None;
    }
    let bytes = value.value;
    match value.tag {
        tag::PRINTABLE_STRING | tag::IA5_STRING | tag::VISIBLE_STRING | tag::NUMERIC_STRING => {
            Some(match std::str::from_utf8(bytes) {
                Ok(s) => s.to_owned(),
                Err(_) => latin1(bytes),
            })
        }
        tag::UTF8_STRING => std::str::from_utf8(bytes).ok().map(str::to_owned),
        tag::TELETEX_STRING => Some(latin1(bytes)),
        tag::BMP_STRING => {
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        tag::UNIVERSAL_STRING => {
            if !bytes.len().is_multiple_of(4) {
                return None;
            }
            bytes
                .chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                .collect()
        }
        _ => None,
    }
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Appends one RDN's normalised form to `out`.
///
/// Form: `0x31`, the attribute count (u32 BE), then each attribute as its OID (length-prefixed
/// content octets) followed by either `0x00` and the normalised text (length-prefixed UTF-8:
/// leading/trailing white space trimmed, internal runs collapsed to one space, `to_lowercase`)
/// or `0x01` and the raw value DER (length-prefixed). Attributes of a multi-valued RDN are
/// sorted, so SET order does not matter (RFC 5280 §7.1). String types compare equal across
/// types; two names match when RDN structure, types and normalised values are equal.
fn normalize_rdn(attrs: &[Attribute], out: &mut Vec<u8>) {
    out.push(tag::SET);
    out.extend_from_slice(&u32::try_from(attrs.len()).unwrap_or(u32::MAX).to_be_bytes());
    if let [single] = attrs {
        normalize_attribute(single, out);
        return;
    }
    let mut encoded: Vec<Vec<u8>> = attrs
        .iter()
        .map(|a| {
            let mut v = Vec::new();
            normalize_attribute(a, &mut v);
            v
        })
        .collect();
    encoded.sort_unstable();
    for e in encoded {
        out.extend_from_slice(&e);
    }
}

fn normalize_attribute(attr: &Attribute, out: &mut Vec<u8>) {
    normalize_parts(attr.oid.as_bytes(), attr.value.as_deref(), &attr.raw, out);
}

/// The normalised form straight from a Name's DER, without decoding its attributes: the same
/// bytes as [`normalize_rdn`] over [`Name::rdns`]. `None` when an RDN has several attributes
/// (they are sorted; the decoded path does that) or the DER does not read.
fn normalize_der(der: &[u8]) -> Option<Vec<u8>> {
    let name = Reader::new(der).read(tag::SEQUENCE).ok()?;
    let mut out = Vec::with_capacity(der.len());
    let mut r = name.reader();
    while !r.is_empty() {
        let set = r.read(tag::SET).ok()?;
        let mut sr = set.reader();
        out.push(tag::SET);
        if sr.is_empty() {
            out.extend_from_slice(&0u32.to_be_bytes());
            continue;
        }
        let atv = sr.read(tag::SEQUENCE).ok()?;
        if !sr.is_empty() {
            return None;
        }
        out.extend_from_slice(&1u32.to_be_bytes());
        let mut ar = atv.reader();
        let oid = ar.read(tag::OID).ok()?;
        let value = ar.read_any().ok()?;
        // decode_text's answer without its allocation for the common case.
        match std::str::from_utf8(value.value) {
            Ok(text) if utf8_family(&value) => {
                normalize_parts(oid.value, Some(text), value.raw, &mut out)
            }
            _ => normalize_parts(
                oid.value,
                decode_text(&value).as_deref(),
                value.raw,
                &mut out,
            ),
        }
    }
    Some(out)
}

/// One attribute's normalised form from its OID content octets, decoded text and raw DER.
fn normalize_parts(oid: &[u8], text: Option<&str>, raw: &[u8], out: &mut Vec<u8>) {
    push_prefixed(out, oid);
    match text {
        Some(text) => {
            out.push(0);
            let len_at = out.len();
            out.extend_from_slice(&[0; 4]);
            normalize_text(text, out);
            let len = u32::try_from(out.len() - len_at - 4).unwrap_or(u32::MAX);
            if let Some(slot) = out.get_mut(len_at..len_at + 4) {
                slot.copy_from_slice(&len.to_be_bytes());
            }
        }
        None => {
            out.push(1);
            push_prefixed(out, raw);
        }
    }
}

fn push_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Appends `text` trimmed, with white-space runs collapsed to one space, and lower-cased.
fn normalize_text(text: &str, out: &mut Vec<u8>) {
    let mut started = false;
    let mut pending_space = false;
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = started;
            continue;
        }
        if pending_space {
            out.push(b' ');
            pending_space = false;
        }
        started = true;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase() as u8);
        } else {
            for lc in c.to_lowercase() {
                out.extend_from_slice(lc.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// Apple's subject summary (`apple-trust.md §3`): all CNs in reverse order joined by ", "
/// (a `description` attribute appended as "CN (description)"); with no CN, the first rfc822
/// name (SAN first, then subject emailAddress), else the first SAN dNSName, else all OUs, else
/// all Os, else any printable attribute.
///
/// As in Apple's `SecCertificateCopySubjectSummary`, the description is appended once to the
/// whole CN list, wherever it sits in the name (several descriptions: reverse order, ", ").
/// "Any printable attribute" is the first attribute with a text value; none gives "".
pub(crate) fn subject_summary(cert: &Certificate) -> String {
    let subject = cert.subject();
    let cns = reversed(subject.common_names());
    if !cns.is_empty() {
        let descriptions = reversed(subject.values(DESCRIPTION));
        return if descriptions.is_empty() {
            cns
        } else {
            format!("{cns} ({descriptions})")
        };
    }
    let san_email = cert.extensions().subject_alt_names().find_map(|n| match n {
        GeneralName::Rfc822(s) => Some(s.as_str()),
        _ => None,
    });
    if let Some(email) = san_email.or_else(|| subject.email_addresses().next()) {
        return email.to_owned();
    }
    let dns = cert.extensions().subject_alt_names().find_map(|n| match n {
        GeneralName::Dns(s) => Some(s.as_str()),
        _ => None,
    });
    if let Some(dns) = dns {
        return dns.to_owned();
    }
    for joined in [
        reversed(subject.organizational_units()),
        reversed(subject.organizations()),
    ] {
        if !joined.is_empty() {
            return joined;
        }
    }
    subject
        .attributes()
        .find_map(|a| a.value.clone())
        .unwrap_or_default()
}

/// The items in reverse order joined by ", ".
fn reversed<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    let mut out = String::new();
    for (i, item) in items.iter().rev().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// DER of a TLV with a short or long length.
    pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        let len = content.len();
        if len < 0x80 {
            v.push(len as u8);
        } else if len < 0x100 {
            v.extend([0x81, len as u8]);
        } else {
            v.extend([0x82, (len >> 8) as u8, len as u8]);
        }
        v.extend_from_slice(content);
        v
    }

    /// DER of a Name from RDNs of (type, value tag, value bytes).
    pub(crate) fn name_der(rdns: &[&[(ObjectIdentifier, u8, &[u8])]]) -> Vec<u8> {
        let body: Vec<u8> = rdns
            .iter()
            .flat_map(|rdn| {
                let attrs: Vec<u8> = rdn
                    .iter()
                    .flat_map(|(oid, t, v)| {
                        tlv(
                            tag::SEQUENCE,
                            &[tlv(tag::OID, oid.as_bytes()), tlv(*t, v)].concat(),
                        )
                    })
                    .collect();
                tlv(tag::SET, &attrs)
            })
            .collect();
        tlv(tag::SEQUENCE, &body)
    }

    use const_oid::db::rfc4519::{C, CN, O, OU};
    const EMAIL: ObjectIdentifier = const_oid::db::rfc2985::PKCS_9_AT_EMAIL_ADDRESS;

    fn name(rdns: &[&[(ObjectIdentifier, u8, &[u8])]]) -> Name {
        parse_name(&name_der(rdns)).unwrap()
    }

    #[test]
    fn decodes_every_string_type() {
        let n = name(&[
            &[(C, tag::PRINTABLE_STRING, b"US")],
            &[(O, tag::TELETEX_STRING, b"Caf\xe9")],
            &[(OU, tag::BMP_STRING, &[0x00, 0x41, 0x04, 0x11])],
            &[(
                CN,
                tag::UNIVERSAL_STRING,
                &[0, 0, 0, 0x78, 0, 1, 0xF6, 0x00],
            )],
            &[(CN, tag::UTF8_STRING, &[0xFF])],
            &[(CN, tag::OCTET_STRING, b"x")],
        ]);
        let values: Vec<Option<&str>> = n.attributes().map(|a| a.value.as_deref()).collect();
        assert_eq!(
            values,
            vec![
                Some("US"),
                Some("Café"),
                Some("AБ"),
                Some("x😀"),
                None,
                None
            ]
        );
        assert_eq!(n.attributes().last().unwrap().raw, vec![0x04, 0x01, b'x']);
        assert_eq!(
            n.der(),
            name_der(&[
                &[(C, tag::PRINTABLE_STRING, b"US")],
                &[(O, tag::TELETEX_STRING, b"Caf\xe9")],
                &[(OU, tag::BMP_STRING, &[0x00, 0x41, 0x04, 0x11])],
                &[(
                    CN,
                    tag::UNIVERSAL_STRING,
                    &[0, 0, 0, 0x78, 0, 1, 0xF6, 0x00]
                )],
                &[(CN, tag::UTF8_STRING, &[0xFF])],
                &[(CN, tag::OCTET_STRING, b"x")],
            ])
        );
    }

    #[test]
    fn normalisation_ignores_case_space_and_string_type() {
        let a = name(&[
            &[(C, tag::PRINTABLE_STRING, b"US")],
            &[(O, tag::PRINTABLE_STRING, b"Example  Org")],
        ]);
        let b = name(&[
            &[(C, tag::UTF8_STRING, b"us")],
            &[(O, tag::UTF8_STRING, b" example \t org ")],
        ]);
        let c = name(&[
            &[(C, tag::BMP_STRING, &[0, b'U', 0, b'S'])],
            &[(O, tag::TELETEX_STRING, b"EXAMPLE ORG")],
        ]);
        assert!(a.matches(&b) && b.matches(&c));
        assert_ne!(a.der(), b.der());
        // Non-ASCII case folding.
        let d = name(&[&[(CN, tag::UTF8_STRING, "ÉCOLE".as_bytes())]]);
        let e = name(&[&[(CN, tag::UTF8_STRING, "école".as_bytes())]]);
        assert!(d.matches(&e));
    }

    #[test]
    fn normalisation_keeps_structure_types_and_raw_values() {
        let base = name(&[
            &[(C, tag::PRINTABLE_STRING, b"US")],
            &[(O, tag::PRINTABLE_STRING, b"X")],
        ]);
        // Different attribute type.
        assert!(!base.matches(&name(&[
            &[(C, tag::PRINTABLE_STRING, b"US")],
            &[(OU, tag::PRINTABLE_STRING, b"X")]
        ])));
        // Different RDN order.
        assert!(!base.matches(&name(&[
            &[(O, tag::PRINTABLE_STRING, b"X")],
            &[(C, tag::PRINTABLE_STRING, b"US")]
        ])));
        // Same attributes in one multi-valued RDN.
        assert!(!base.matches(&name(&[&[
            (C, tag::PRINTABLE_STRING, b"US"),
            (O, tag::PRINTABLE_STRING, b"X")
        ]])));
        // Multi-valued RDNs compare as sets.
        let ab = name(&[&[
            (C, tag::PRINTABLE_STRING, b"US"),
            (O, tag::PRINTABLE_STRING, b"X"),
        ]]);
        let ba = name(&[&[
            (O, tag::UTF8_STRING, b"x"),
            (C, tag::PRINTABLE_STRING, b"us"),
        ]]);
        assert!(ab.matches(&ba));
        // Non-string values compare by raw bytes only.
        let raw1 = name(&[&[(CN, tag::OCTET_STRING, b"A")]]);
        let raw2 = name(&[&[(CN, tag::OCTET_STRING, b"a")]]);
        assert!(!raw1.matches(&raw2));
        // Internal white space still separates words.
        let w1 = name(&[&[(CN, tag::UTF8_STRING, b"a b")]]);
        let w2 = name(&[&[(CN, tag::UTF8_STRING, b"ab")]]);
        assert!(!w1.matches(&w2));
    }

    /// The normalised form made straight from the DER is the one made from the decoded
    /// attributes, for every string type, mis-encodings, non-string values, empty RDNs and
    /// white space; multi-valued RDNs take the decoded path.
    #[test]
    fn normalisation_from_der_equals_the_decoded_one() {
        type Rdns<'a> = &'a [&'a [(ObjectIdentifier, u8, &'a [u8])]];
        let cases: &[Rdns<'_>] = &[
            &[],
            &[&[]],
            &[&[(C, tag::PRINTABLE_STRING, b"US")], &[]],
            &[
                &[(C, tag::PRINTABLE_STRING, b"US")],
                &[(O, tag::UTF8_STRING, b"  Example \t\n Org ")],
                &[(CN, tag::IA5_STRING, b"MiXeD")],
            ],
            &[&[(O, tag::TELETEX_STRING, b"Caf\xe9 X")]],
            &[&[(O, tag::PRINTABLE_STRING, b"Caf\xe9")]],
            &[&[(OU, tag::BMP_STRING, &[0x00, 0x41, 0x04, 0x11])]],
            &[&[(
                CN,
                tag::UNIVERSAL_STRING,
                &[0, 0, 0, 0x78, 0, 1, 0xF6, 0x00],
            )]],
            &[&[(CN, tag::UTF8_STRING, &[0xFF])]],
            &[&[(CN, tag::UTF8_STRING, "ÉCOLE  Ünï".as_bytes())]],
            &[&[(CN, tag::OCTET_STRING, b"X")]],
            &[
                &[(CN, tag::VISIBLE_STRING, b"")],
                &[(EMAIL, tag::IA5_STRING, b"A@B.c")],
            ],
            &[&[
                (C, tag::PRINTABLE_STRING, b"US"),
                (O, tag::PRINTABLE_STRING, b"X"),
            ]],
        ];
        for rdns in cases {
            let n = name(rdns);
            let mut decoded = Vec::new();
            for rdn in n.rdns() {
                normalize_rdn(rdn, &mut decoded);
            }
            let multi = rdns.iter().any(|rdn| rdn.len() > 1);
            assert_eq!(normalize_der(n.der()).is_none(), multi, "{n}");
            assert_eq!(n.normalized(), decoded, "{n}");
        }
    }

    /// Matching with the parse's digest answers as comparing the normalised forms, for
    /// every pair of a set of names that differ in case, white space, string type, attribute
    /// type, RDN structure and non-ASCII text.
    #[test]
    fn the_fold_digest_never_changes_a_match() {
        let values: &[(u8, &[u8])] = &[
            (tag::PRINTABLE_STRING, b"Example Org"),
            (tag::UTF8_STRING, b"  example\t\x0borg "),
            (tag::IA5_STRING, b"EXAMPLE  ORG"),
            (tag::UTF8_STRING, b"ExampleOrg"),
            (tag::UTF8_STRING, b"Example Org."),
            (tag::UTF8_STRING, b"\x1cExample Org"),
            (tag::BMP_STRING, &[0, b'e', 0, b'x']),
            (tag::UTF8_STRING, b"ex"),
            (tag::TELETEX_STRING, b"ex"),
            (tag::UTF8_STRING, "ÉX".as_bytes()),
            (tag::UTF8_STRING, "éx".as_bytes()),
            (tag::OCTET_STRING, b"ex"),
            (tag::UTF8_STRING, b""),
            (tag::UTF8_STRING, b"   "),
        ];
        let mut names = Vec::new();
        for &(t, v) in values {
            names.push(name(&[&[(C, tag::PRINTABLE_STRING, b"US")], &[(O, t, v)]]));
            names.push(name(&[&[(C, tag::PRINTABLE_STRING, b"us")], &[(OU, t, v)]]));
            names.push(name(&[&[(O, t, v)]]));
            names.push(name(&[&[(O, t, v)], &[]]));
            names.push(name(&[&[(O, t, v), (C, tag::PRINTABLE_STRING, b"US")]]));
        }
        let mut matched = 0;
        for a in &names {
            for b in &names {
                let expected = a.der() == b.der() || a.normalized() == b.normalized();
                assert_eq!(a.matches(b), expected, "{a} vs {b}");
                matched += usize::from(expected && a.der() != b.der());
            }
        }
        // The set has matches beyond byte-equal pairs (case, space, type).
        assert!(matched > 20, "{matched}");
        assert!(names.iter().any(|n| n.fold.is_some()) && names.iter().any(|n| n.fold.is_none()));
    }

    #[test]
    fn lenient_and_malformed_names() {
        // Empty name and empty RDN.
        let empty = parse_name(&[0x30, 0x00]).unwrap();
        assert!(empty.is_empty());
        let empty_rdn = parse_name(&[0x30, 0x02, 0x31, 0x00]).unwrap();
        assert!(empty_rdn.is_empty() && empty_rdn.rdns().len() == 1);
        for bad in [
            &[][..],
            &[0x30],
            &[0x31, 0x00],
            &[0x30, 0x00, 0x00],
            &[0x30, 0x02, 0x30, 0x00],
            &[0x30, 0x04, 0x31, 0x02, 0x30, 0x00],
        ] {
            assert!(parse_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn display_is_rfc4514() {
        let n = name(&[
            &[(C, tag::PRINTABLE_STRING, b"US")],
            &[(O, tag::UTF8_STRING, b"Example, Inc.")],
            &[
                (CN, tag::UTF8_STRING, b"a+b"),
                (EMAIL, tag::IA5_STRING, b"x@y"),
            ],
            &[(OU, tag::UTF8_STRING, b"#lead ")],
            &[(CN, tag::OCTET_STRING, b"\x01")],
        ]);
        assert_eq!(
            n.to_string(),
            "CN=#040101,OU=\\#lead\\ ,CN=a\\+b+1.2.840.113549.1.9.1=x@y,O=Example\\, Inc.,C=US"
        );
    }

    /// Subject summaries of certificates built with `crate::testing`, which `cargo test`
    /// always enables (the crate is its own dev-dependency with the `testing` feature).
    #[cfg(feature = "testing")]
    mod summary {
        use crate::testing::CertBuilder;

        /// The summary of a certificate with this subject (RFC 4514 order: the last RDN
        /// first) and the SANs the builder adds.
        fn summary(cert: CertBuilder) -> String {
            cert.build().cert.subject_summary()
        }

        #[test]
        fn prefers_common_names_in_reverse_with_description() {
            let c = CertBuilder::new("CN=second,O=Org,CN=first").email("a@b");
            assert_eq!(summary(c), "second, first");
            let c = CertBuilder::new("description=my phone,CN=leaf");
            assert_eq!(summary(c), "leaf (my phone)");
        }

        #[test]
        fn falls_back_to_email_then_dns_then_ou_then_o() {
            let o_ou = "emailAddress=subject@example.com,OU=U2,OU=U1,O=Org";
            let c = CertBuilder::new(o_ou)
                .dns("dns.example.com")
                .email("san@example.com");
            assert_eq!(summary(c), "san@example.com");
            let c = CertBuilder::new(o_ou).dns("dns.example.com");
            assert_eq!(summary(c), "subject@example.com");
            let no_email = "OU=U2,OU=U1,O=Org";
            let c = CertBuilder::new(no_email).dns("dns.example.com");
            assert_eq!(summary(c), "dns.example.com");
            assert_eq!(summary(CertBuilder::new(no_email)), "U2, U1");
            assert_eq!(summary(CertBuilder::new("O=O2,O=O1,C=US")), "O2, O1");
            // A C that is not a string (an OCTET STRING "??") is skipped.
            let other = CertBuilder::new("C=US,C=#04023f3f").build().cert;
            assert_eq!(other.subject().to_string(), "C=US,C=#04023f3f");
            assert_eq!(other.subject_summary(), "US");
            assert_eq!(summary(CertBuilder::new("")), "");
        }
    }
}
