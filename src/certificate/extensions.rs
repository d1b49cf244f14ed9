//! The extensions the engine uses, decoded once (`apple-trust.md §4, §8`; RFC 5280 §4.2).
//!
//! Decoding never fails the certificate: an extension Apple knows that does not parse is
//! listed in [`Extensions::unparseable`] and treated as absent; a repeated extension is listed
//! in [`Extensions::duplicates`] (the first occurrence is used); a critical extension Apple does
//! not know is listed in [`Extensions::unknown_critical`].

use const_oid::ObjectIdentifier;

use super::name::Name;

/// The extensions of one certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Extensions {
    /// basicConstraints.
    pub basic_constraints: Option<BasicConstraints>,
    /// keyUsage.
    pub key_usage: Option<KeyUsage>,
    /// extendedKeyUsage purposes (`None`: absent or malformed — a malformed EKU counts as
    /// absent, `apple-trust.md §6`; `Some(empty)`: an empty sequence, which matches nothing).
    pub extended_key_usage: Option<Vec<ObjectIdentifier>>,
    /// subjectKeyIdentifier.
    pub subject_key_identifier: Option<Vec<u8>>,
    /// The keyIdentifier field of authorityKeyIdentifier.
    pub authority_key_identifier: Option<Vec<u8>>,
    /// subjectAltName.
    pub subject_alt_name: Option<SubjectAltName>,
    /// nameConstraints.
    pub name_constraints: Option<NameConstraints>,
    /// certificatePolicies.
    pub certificate_policies: Option<Vec<PolicyInformation>>,
    /// policyMappings: (issuerDomainPolicy, subjectDomainPolicy) pairs.
    pub policy_mappings: Option<Vec<(ObjectIdentifier, ObjectIdentifier)>>,
    /// policyConstraints.
    pub policy_constraints: Option<PolicyConstraints>,
    /// inhibitAnyPolicy skipCerts.
    pub inhibit_any_policy: Option<u32>,
    /// The OCSP responder URLs of authorityInfoAccess.
    pub ocsp_urls: Vec<String>,
    /// The CA Issuers URLs of authorityInfoAccess.
    pub ca_issuers_urls: Vec<String>,
    /// Every extension, in order.
    pub list: Vec<ExtensionInfo>,
    /// Critical extensions Apple does not know (CriticalExtensions).
    pub unknown_critical: Vec<ObjectIdentifier>,
    /// Known extensions that failed to decode (UnparseableExtension).
    pub unparseable: Vec<ObjectIdentifier>,
    /// Extensions present more than once (DuplicateExtension).
    pub duplicates: Vec<ObjectIdentifier>,
}

impl Extensions {
    /// Every SAN entry (none when the SAN is absent).
    pub fn subject_alt_names(&self) -> impl Iterator<Item = &GeneralName> {
        self.subject_alt_name.iter().flat_map(|s| s.names.iter())
    }

    /// The SAN's rfc822Names, in order.
    pub fn rfc822_names(&self) -> impl Iterator<Item = &str> {
        self.subject_alt_names().filter_map(|n| match n {
            GeneralName::Rfc822(s) => Some(s.as_str()),
            _ => None,
        })
    }
}

/// One extension's identity and flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionInfo {
    /// extnID.
    pub oid: ObjectIdentifier,
    /// The critical flag.
    pub critical: bool,
    /// Whether Apple's parser knows this extension.
    pub known: bool,
}

/// basicConstraints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicConstraints {
    /// cA.
    pub ca: bool,
    /// pathLenConstraint.
    pub path_len: Option<u32>,
    /// The extension's critical flag.
    pub critical: bool,
}

/// keyUsage bits, numbered as in RFC 5280 (bit 0 = digitalSignature) and stored as a mask
/// `1 << bit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// digitalSignature (0).
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// nonRepudiation / contentCommitment (1).
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// keyEncipherment (2).
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    /// dataEncipherment (3).
    pub const DATA_ENCIPHERMENT: u16 = 1 << 3;
    /// keyAgreement (4).
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    /// keyCertSign (5).
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign (6).
    pub const CRL_SIGN: u16 = 1 << 6;
    /// encipherOnly (7).
    pub const ENCIPHER_ONLY: u16 = 1 << 7;
    /// decipherOnly (8).
    pub const DECIPHER_ONLY: u16 = 1 << 8;

    /// Whether every bit of `mask` is set.
    pub const fn contains(self, mask: u16) -> bool {
        self.0 & mask == mask
    }
}

/// subjectAltName.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectAltName {
    /// The entries, in order.
    pub names: Vec<GeneralName>,
    /// The extension's critical flag.
    pub critical: bool,
}

/// A GeneralName (RFC 5280 §4.2.1.6).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GeneralName {
    /// dNSName (IA5String).
    Dns(String),
    /// rfc822Name (IA5String).
    Rfc822(String),
    /// iPAddress: 4 or 16 bytes in a SAN; address + mask (8 or 32 bytes) in name constraints.
    Ip(Vec<u8>),
    /// uniformResourceIdentifier (IA5String).
    Uri(String),
    /// directoryName.
    Directory(Name),
    /// Any other form (otherName, x400Address, ediPartyName, registeredID), by context tag.
    Other(u8),
}

/// nameConstraints: the base names of the permitted and excluded subtrees (minimum and maximum
/// are ignored, as RFC 5280 requires them to be absent).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameConstraints {
    /// permittedSubtrees (`None`: absent).
    pub permitted: Option<Vec<GeneralName>>,
    /// excludedSubtrees (`None`: absent).
    pub excluded: Option<Vec<GeneralName>>,
}

/// One PolicyInformation of certificatePolicies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInformation {
    /// policyIdentifier.
    pub oid: ObjectIdentifier,
    /// The policyQualifierIds present.
    pub qualifiers: Vec<ObjectIdentifier>,
}

/// policyConstraints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PolicyConstraints {
    /// requireExplicitPolicy skipCerts.
    pub require_explicit_policy: Option<u32>,
    /// inhibitPolicyMapping skipCerts.
    pub inhibit_policy_mapping: Option<u32>,
}
