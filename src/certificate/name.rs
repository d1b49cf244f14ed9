//! Distinguished names: raw, decoded and normalised for matching; Apple's subject summary
//! (`apple-trust.md §3`).

use std::fmt;

use const_oid::ObjectIdentifier;

use super::Certificate;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The raw DER of the Name (the outer SEQUENCE).
    pub(crate) der: Vec<u8>,
    /// RDNs in encoded order, each a set of attributes.
    pub(crate) rdns: Vec<Vec<Attribute>>,
    /// The normalised form used for matching (see [`Name::matches`]).
    pub(crate) normalized: Vec<u8>,
}

impl Name {
    /// The raw DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// RDNs in encoded order.
    pub fn rdns(&self) -> &[Vec<Attribute>] {
        &self.rdns
    }

    /// Every attribute, in encoded order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.rdns.iter().flatten()
    }

    /// Whether the name has no attributes.
    pub fn is_empty(&self) -> bool {
        self.rdns.iter().all(|r| r.is_empty())
    }

    /// The normalised form (see [`Name::matches`]).
    pub fn normalized(&self) -> &[u8] {
        &self.normalized
    }

    /// Name matching as Apple does for issuer/subject chaining: byte-equal DER, or equal after
    /// normalising string values (case-folded, leading/trailing white space removed, internal
    /// runs of white space collapsed, any string type) — RFC 5280 §7.1.
    pub fn matches(&self, other: &Name) -> bool {
        self.der == other.der || self.normalized == other.normalized
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

impl fmt::Display for Name {
    /// RFC 4514 style, most significant RDN last (`CN=leaf,O=Example,C=US`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        todo!("RFC 4514 rendering")
    }
}

/// Parses a Name from its DER (the outer SEQUENCE).
pub(crate) fn parse_name(der: &[u8]) -> Result<Name, der::Error> {
    todo!("decode, keep raw, normalise")
}

/// Apple's subject summary (`apple-trust.md §3`): all CNs in reverse order joined by ", "
/// (a `description` attribute appended as "CN (description)"); with no CN, the first rfc822
/// name (SAN first, then subject emailAddress), else the first SAN dNSName, else all OUs, else
/// all Os, else any printable attribute.
pub(crate) fn subject_summary(cert: &Certificate) -> String {
    todo!("subject summary")
}
