//! [`CertBuilder`]: one certificate, field by field, odd ones included.

use std::net::IpAddr;

use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Decode as _, Encode as _, Tag};
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;
use x509_cert::ext::Extension;

use super::asn1::{
    RawCert, RawTbs, any, bit_string, boolean, ctx, octets, oid, seq, tlv, uint, uint_content,
};
use super::keys::{KeyPair, algorithm_identifier_der};
use super::name::name_der;
use super::unix;
use crate::certificate::Certificate;
use crate::crypto::{HashAlgorithm, SignatureAlgorithm};
use crate::error::Error;

/// Default notBefore: 2020-01-01T00:00:00Z.
pub(crate) const DEFAULT_NOT_BEFORE: i64 = 1_577_836_800;
/// Default notAfter: 2030-01-01T00:00:00Z.
pub(crate) const DEFAULT_NOT_AFTER: i64 = 1_893_456_000;

const SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const NAME_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.30");
const CERTIFICATE_POLICIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32");
const POLICY_MAPPINGS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.33");
const AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const POLICY_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.36");
const EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const INHIBIT_ANY_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.54");
const AUTHORITY_INFO_ACCESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
const AD_CA_ISSUERS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.2");
const AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");

/// A certificate made by [`CertBuilder::build`]: the parsed certificate, the subject's key
/// (to issue children with) and the DER.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The parsed certificate.
    pub cert: Certificate,
    /// The subject's key pair.
    pub key: KeyPair,
    /// The DER encoding (the same bytes as `cert.der()`).
    pub der: Vec<u8>,
}

impl Issued {
    /// The certificate as one PEM `CERTIFICATE` block.
    pub fn pem(&self) -> String {
        der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &self.der)
            .expect("testing: PEM encoding of a certificate cannot fail")
    }
}

/// The parts of an issuer the builder needs.
#[derive(Clone, Debug)]
struct IssuerInfo {
    name_der: Vec<u8>,
    key: KeyPair,
    ski: Option<Vec<u8>>,
}

/// A key identifier setting: derived, left out, or given.
#[derive(Clone, Debug, Default)]
enum KeyId {
    #[default]
    Default,
    Absent,
    Given(Vec<u8>),
}

/// basicConstraints as the test asked for it.
#[derive(Clone, Copy, Debug)]
struct Bc {
    ca: bool,
    path_len: Option<u32>,
    critical: bool,
}

/// A GeneralName (RFC 5280 §4.2.1.6), kept raw so tests can write invalid ones.
#[derive(Clone, Debug)]
enum GeneralName {
    Email(String),
    Dns(String),
    Dir(Vec<u8>),
    Uri(String),
    Ip(Vec<u8>),
}

impl GeneralName {
    fn der(&self) -> Vec<u8> {
        match self {
            GeneralName::Email(s) => ctx(1, false, s.as_bytes()),
            GeneralName::Dns(s) => ctx(2, false, s.as_bytes()),
            GeneralName::Dir(name) => ctx(4, true, name),
            GeneralName::Uri(s) => ctx(6, false, s.as_bytes()),
            GeneralName::Ip(bytes) => ctx(7, false, bytes),
        }
    }
}

/// Builds one certificate. Everything has a default, so `CertBuilder::new("CN=x").build()`
/// is a valid self-signed v3 certificate; each method changes one thing.
///
/// Defaults: version 3; a P-256 key derived from the subject string (so the same subject
/// always gets the same key); self-signed; a serial derived from subject, issuer and key;
/// validity 2020-01-01T00:00:00Z to 2030-01-01T00:00:00Z; ECDSA/RSA with SHA-256 (by the
/// issuer's key); subjectKeyIdentifier = SHA-1 of the key bits and authorityKeyIdentifier =
/// the issuer's SKI (when the issuer has one). No basicConstraints, keyUsage, EKU or SAN
/// unless asked for.
///
/// Built-in extensions are written in this order: SKI, AKI, basicConstraints, keyUsage, EKU,
/// SAN, nameConstraints, certificatePolicies, policyMappings, policyConstraints,
/// inhibitAnyPolicy; then [`CertBuilder::extension`]s in call order. Version 1 and 2
/// certificates carry no extensions at all.
///
/// ```
/// use sectrust::testing::{CertBuilder, KeyPair, oids};
///
/// let root_key = KeyPair::p256(1);
/// let (root, _) = CertBuilder::new("CN=Root").key(root_key.clone()).ca(None).build_der();
/// let (leaf, _) = CertBuilder::new("CN=Leaf")
///     .issued_by_der(&root, &root_key)
///     .dns("www.example.com")
///     .eku(&[oids::server_auth()])
///     .build_der();
/// assert_ne!(root, leaf);
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build`"]
pub struct CertBuilder {
    subject: String,
    key: Option<KeyPair>,
    spki: Option<Vec<u8>>,
    issuer: Option<IssuerInfo>,
    issuer_name: Option<String>,
    serial: Option<Vec<u8>>,
    not_before: i64,
    not_after: i64,
    version: u8,
    ca: Option<Option<u32>>,
    basic_constraints: Option<Option<Bc>>,
    key_usage: Option<Option<u16>>,
    eku: Option<Vec<ObjectIdentifier>>,
    san: Vec<GeneralName>,
    san_critical: bool,
    permitted: Vec<GeneralName>,
    excluded: Vec<GeneralName>,
    policies: Option<Vec<ObjectIdentifier>>,
    policy_mappings: Option<Vec<(ObjectIdentifier, ObjectIdentifier)>>,
    require_explicit_policy: Option<u32>,
    inhibit_policy_mapping: Option<u32>,
    inhibit_any_policy: Option<u32>,
    ski: KeyId,
    aki: KeyId,
    extra: Vec<Extension>,
    critical_overrides: Vec<(ObjectIdentifier, bool)>,
    hash: HashAlgorithm,
    pss: bool,
    algorithm: Option<SignatureAlgorithm>,
    outer_algorithm: Option<SignatureAlgorithm>,
    corrupt_signature: bool,
}

impl CertBuilder {
    /// A builder for a certificate with this subject, an RFC 4514 string such as
    /// `"CN=Leaf,O=Example,C=US"` (`""` = empty subject; syntax: [`name_der`](super::name_der)).
    pub fn new(subject: &str) -> Self {
        CertBuilder {
            subject: subject.to_owned(),
            key: None,
            spki: None,
            issuer: None,
            issuer_name: None,
            serial: None,
            not_before: DEFAULT_NOT_BEFORE,
            not_after: DEFAULT_NOT_AFTER,
            version: 3,
            ca: None,
            basic_constraints: None,
            key_usage: None,
            eku: None,
            san: Vec::new(),
            san_critical: false,
            permitted: Vec::new(),
            excluded: Vec::new(),
            policies: None,
            policy_mappings: None,
            require_explicit_policy: None,
            inhibit_policy_mapping: None,
            inhibit_any_policy: None,
            ski: KeyId::Default,
            aki: KeyId::Default,
            extra: Vec::new(),
            critical_overrides: Vec::new(),
            hash: HashAlgorithm::Sha256,
            pss: false,
            algorithm: None,
            outer_algorithm: None,
            corrupt_signature: false,
        }
    }

    // ----- identity and signing -----

    /// The subject's key pair (default: `KeyPair::p256` seeded from a hash of the subject
    /// string).
    pub fn key(mut self, key: KeyPair) -> Self {
        self.key = Some(key);
        self
    }

    /// Issued (and signed) by `issuer`: the issuer name is its subject, the signing key its
    /// key, the authorityKeyIdentifier its subjectKeyIdentifier. Default: self-signed.
    pub fn issued_by(self, issuer: &Issued) -> Self {
        self.issued_by_der(&issuer.der, &issuer.key)
    }

    /// As [`CertBuilder::issued_by`], from the issuer's DER and key. Works before the
    /// certificate is parsed (with [`CertBuilder::build_der`]), and lets a test sign with a
    /// key that does not match the issuer certificate.
    ///
    /// # Panics
    ///
    /// When `issuer_der` is not a certificate (any certificate this builder made is one).
    pub fn issued_by_der(mut self, issuer_der: &[u8], key: &KeyPair) -> Self {
        let issuer = RawCert::from_der(issuer_der)
            .unwrap_or_else(|e| panic!("testing: issued_by_der: not a certificate: {e}"));
        let ski = issuer
            .tbs
            .extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id == SKI)
            .and_then(|e| OctetString::from_der(e.extn_value.as_bytes()).ok())
            .map(|o| o.as_bytes().to_vec());
        self.issuer = Some(IssuerInfo {
            name_der: issuer
                .tbs
                .subject
                .to_der()
                .expect("testing: a decoded name re-encodes"),
            key: key.clone(),
            ski,
        });
        self
    }

    /// Writes this issuer name instead of the issuer's subject (the signer stays the same):
    /// for name-chaining tests.
    pub fn issuer_name(mut self, name: &str) -> Self {
        self.issuer_name = Some(name.to_owned());
        self
    }

    /// The serial number (default: derived from subject, issuer and key).
    pub fn serial(mut self, serial: u64) -> Self {
        self.serial = Some(uint_content(serial));
        self
    }

    /// The serial number's raw INTEGER content bytes, for negative, zero-length or over-long
    /// serials.
    pub fn serial_bytes(mut self, content: Vec<u8>) -> Self {
        self.serial = Some(content);
        self
    }

    /// Validity from RFC 3339 times, e.g. `("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z")`.
    /// Years 1950–2049 are written as UTCTime, others as GeneralizedTime (RFC 5280 §4.1.2.5).
    ///
    /// # Panics
    ///
    /// On a string that is not RFC 3339.
    pub fn validity(self, not_before: &str, not_after: &str) -> Self {
        self.validity_unix(unix(not_before), unix(not_after))
    }

    /// Validity in Unix seconds (years 0–9999).
    pub fn validity_unix(mut self, not_before: i64, not_after: i64) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// The X.509 version: 1, 2 or 3 (default 3). The `[0]` field holds `version − 1` and is
    /// left out for version 1 (its DER default); `version(0)` writes an explicit v1, larger
    /// values are written as given. Extensions are written only for versions ≥ 3.
    pub fn version(mut self, version: u8) -> Self {
        self.version = version;
        self
    }

    /// The hash of the signature (default SHA-256). MD5 gives a genuine md5WithRSAEncryption
    /// signature with RSA keys; see [`KeyPair::signature_algorithm`] and [`KeyPair::sign`] for
    /// the other combinations. Ignored for Ed25519 issuers.
    pub fn signature_hash(mut self, hash: HashAlgorithm) -> Self {
        self.hash = hash;
        self
    }

    /// Sign with RSASSA-PSS (MGF1 with the same hash, salt length = hash length) when the
    /// issuer key is RSA; ignored otherwise.
    pub fn pss(mut self) -> Self {
        self.pss = true;
        self
    }

    /// Claim and sign with exactly this algorithm (overrides [`CertBuilder::signature_hash`]
    /// and [`CertBuilder::pss`]); a mismatch with the issuer's key gives a garbage signature.
    pub fn signature_algorithm(mut self, algorithm: SignatureAlgorithm) -> Self {
        self.algorithm = Some(algorithm);
        self
    }

    /// Write this algorithm in the outer `signatureAlgorithm` only, so it differs from the
    /// TBS `signature` field.
    pub fn outer_signature_algorithm(mut self, algorithm: SignatureAlgorithm) -> Self {
        self.outer_algorithm = Some(algorithm);
        self
    }

    /// Flip one bit of the signature, so it does not verify.
    pub fn corrupt_signature(mut self) -> Self {
        self.corrupt_signature = true;
        self
    }

    // ----- constraints and usage -----

    /// A CA: basicConstraints critical with cA and this pathLenConstraint, and (unless
    /// [`CertBuilder::key_usage`] or [`CertBuilder::no_key_usage`] says otherwise) keyUsage
    /// keyCertSign | cRLSign.
    pub fn ca(mut self, path_len: Option<u32>) -> Self {
        self.ca = Some(path_len);
        self
    }

    /// basicConstraints exactly as given (overrides the one [`CertBuilder::ca`] writes).
    pub fn basic_constraints(mut self, ca: bool, path_len: Option<u32>, critical: bool) -> Self {
        self.basic_constraints = Some(Some(Bc {
            ca,
            path_len,
            critical,
        }));
        self
    }

    /// No basicConstraints, even with [`CertBuilder::ca`] (whose keyUsage stays).
    pub fn no_basic_constraints(mut self) -> Self {
        self.basic_constraints = Some(None);
        self
    }

    /// keyUsage (critical) with this mask, bit `i` = `1 << i` as in
    /// [`KeyUsage`](crate::certificate::KeyUsage); 0 writes an empty BIT STRING.
    pub fn key_usage(mut self, mask: u16) -> Self {
        self.key_usage = Some(Some(mask));
        self
    }

    /// No keyUsage, even with [`CertBuilder::ca`].
    pub fn no_key_usage(mut self) -> Self {
        self.key_usage = Some(None);
        self
    }

    /// extendedKeyUsage (non-critical) with these purposes; an empty slice writes an empty
    /// sequence. Replaces an earlier call.
    pub fn eku(mut self, purposes: &[ObjectIdentifier]) -> Self {
        self.eku = Some(purposes.to_vec());
        self
    }

    /// Set the critical flag of a built-in extension (e.g. a critical EKU), by extension OID
    /// (`const_oid::db::rfc5280::ID_CE_*`). Extensions added with
    /// [`CertBuilder::extension`] keep their own flag.
    pub fn critical(mut self, extension: ObjectIdentifier, critical: bool) -> Self {
        self.critical_overrides.push((extension, critical));
        self
    }

    // ----- subjectAltName -----

    /// Adds a SAN dNSName (written as given, valid or not).
    pub fn dns(mut self, name: &str) -> Self {
        self.san.push(GeneralName::Dns(name.to_owned()));
        self
    }

    /// Adds a SAN rfc822Name.
    pub fn email(mut self, address: &str) -> Self {
        self.san.push(GeneralName::Email(address.to_owned()));
        self
    }

    /// Adds a SAN iPAddress (4 or 16 bytes).
    pub fn ip(mut self, address: IpAddr) -> Self {
        self.san.push(GeneralName::Ip(ip_bytes(address)));
        self
    }

    /// Adds a SAN uniformResourceIdentifier.
    pub fn uri(mut self, uri: &str) -> Self {
        self.san.push(GeneralName::Uri(uri.to_owned()));
        self
    }

    /// Adds a SAN directoryName (RFC 4514 string).
    pub fn san_dir(mut self, name: &str) -> Self {
        self.san.push(GeneralName::Dir(name_der(name)));
        self
    }

    /// Removes every SAN entry added so far (no SAN extension unless more are added).
    pub fn no_san(mut self) -> Self {
        self.san.clear();
        self
    }

    /// The SAN's critical flag (default false; RFC 5280 wants it set for an empty subject).
    pub fn san_critical(mut self, critical: bool) -> Self {
        self.san_critical = critical;
        self
    }

    // ----- nameConstraints (critical; written when any subtree is given) -----

    /// Permits a dNSName subtree.
    pub fn permitted_dns(mut self, name: &str) -> Self {
        self.permitted.push(GeneralName::Dns(name.to_owned()));
        self
    }

    /// Excludes a dNSName subtree.
    pub fn excluded_dns(mut self, name: &str) -> Self {
        self.excluded.push(GeneralName::Dns(name.to_owned()));
        self
    }

    /// Permits an iPAddress range in CIDR form, `"10.0.0.0/8"` or `"2001:db8::/32"` (no
    /// prefix length = a single address).
    ///
    /// # Panics
    ///
    /// On malformed CIDR text.
    pub fn permitted_ip(mut self, net: &str) -> Self {
        self.permitted.push(GeneralName::Ip(cidr(net)));
        self
    }

    /// Excludes an iPAddress range (CIDR, as [`CertBuilder::permitted_ip`]).
    ///
    /// # Panics
    ///
    /// On malformed CIDR text.
    pub fn excluded_ip(mut self, net: &str) -> Self {
        self.excluded.push(GeneralName::Ip(cidr(net)));
        self
    }

    /// Permits an rfc822Name constraint (`user@host`, `host` or `.domain`).
    pub fn permitted_email(mut self, constraint: &str) -> Self {
        self.permitted
            .push(GeneralName::Email(constraint.to_owned()));
        self
    }

    /// Excludes an rfc822Name constraint.
    pub fn excluded_email(mut self, constraint: &str) -> Self {
        self.excluded
            .push(GeneralName::Email(constraint.to_owned()));
        self
    }

    /// Permits a directoryName subtree (RFC 4514 string).
    pub fn permitted_dir(mut self, name: &str) -> Self {
        self.permitted.push(GeneralName::Dir(name_der(name)));
        self
    }

    /// Excludes a directoryName subtree (RFC 4514 string).
    pub fn excluded_dir(mut self, name: &str) -> Self {
        self.excluded.push(GeneralName::Dir(name_der(name)));
        self
    }

    /// Permits a uniformResourceIdentifier host constraint.
    pub fn permitted_uri(mut self, constraint: &str) -> Self {
        self.permitted.push(GeneralName::Uri(constraint.to_owned()));
        self
    }

    /// Excludes a uniformResourceIdentifier host constraint.
    pub fn excluded_uri(mut self, constraint: &str) -> Self {
        self.excluded.push(GeneralName::Uri(constraint.to_owned()));
        self
    }

    // ----- policies -----

    /// certificatePolicies (non-critical), no qualifiers. Replaces an earlier call.
    pub fn policies(mut self, policies: &[ObjectIdentifier]) -> Self {
        self.policies = Some(policies.to_vec());
        self
    }

    /// policyMappings (critical): (issuerDomainPolicy, subjectDomainPolicy) pairs.
    pub fn policy_mappings(mut self, mappings: &[(ObjectIdentifier, ObjectIdentifier)]) -> Self {
        self.policy_mappings = Some(mappings.to_vec());
        self
    }

    /// policyConstraints (critical) requireExplicitPolicy.
    pub fn require_explicit_policy(mut self, skip_certs: u32) -> Self {
        self.require_explicit_policy = Some(skip_certs);
        self
    }

    /// policyConstraints (critical) inhibitPolicyMapping.
    pub fn inhibit_policy_mapping(mut self, skip_certs: u32) -> Self {
        self.inhibit_policy_mapping = Some(skip_certs);
        self
    }

    /// inhibitAnyPolicy (critical).
    pub fn inhibit_any_policy(mut self, skip_certs: u32) -> Self {
        self.inhibit_any_policy = Some(skip_certs);
        self
    }

    // ----- key identifiers and raw extensions -----

    /// No subjectKeyIdentifier (children then get no default AKI either).
    pub fn no_ski(mut self) -> Self {
        self.ski = KeyId::Absent;
        self
    }

    /// This subjectKeyIdentifier instead of the derived one.
    pub fn ski(mut self, key_id: Vec<u8>) -> Self {
        self.ski = KeyId::Given(key_id);
        self
    }

    /// No authorityKeyIdentifier.
    pub fn no_aki(mut self) -> Self {
        self.aki = KeyId::Absent;
        self
    }

    /// This authorityKeyIdentifier keyIdentifier instead of the issuer's SKI.
    pub fn aki(mut self, key_id: Vec<u8>) -> Self {
        self.aki = KeyId::Given(key_id);
        self
    }

    /// Writes this subjectPublicKeyInfo DER instead of the key's, for keys the fixtures cannot
    /// make (DSA, unknown algorithms). The key pair still signs children and gives the SKI.
    pub fn spki(mut self, spki_der: Vec<u8>) -> Self {
        self.spki = Some(spki_der);
        self
    }

    /// Appends an authorityInfoAccess extension with these caIssuers URIs (RFC 5280
    /// §4.2.2.1), after the built-in extensions like [`CertBuilder::extension`].
    pub fn ca_issuers(self, urls: &[&str]) -> Self {
        self.info_access(&AD_CA_ISSUERS, urls)
    }

    /// Appends an authorityInfoAccess extension with these OCSP responder URIs (RFC 5280
    /// §4.2.2.1), after the built-in extensions like [`CertBuilder::extension`].
    pub fn ocsp_urls(self, urls: &[&str]) -> Self {
        self.info_access(&AD_OCSP, urls)
    }

    /// authorityInfoAccess: one AccessDescription (`method`, uniformResourceIdentifier) per URL.
    fn info_access(self, method: &ObjectIdentifier, urls: &[&str]) -> Self {
        let access: Vec<Vec<u8>> = urls
            .iter()
            .map(|u| seq(&[oid(method), ctx(6, false, u.as_bytes())]))
            .collect();
        self.extension(AUTHORITY_INFO_ACCESS, false, seq(&access))
    }

    /// Appends a raw extension: `value_der` becomes the extnValue content. Added after the
    /// built-in ones, in call order; the same OID twice (or a built-in's OID) gives a
    /// duplicate extension.
    pub fn extension(mut self, oid: ObjectIdentifier, critical: bool, value_der: Vec<u8>) -> Self {
        self.extra.push(extension(oid, critical, value_der));
        self
    }

    // ----- output -----

    /// Builds and parses the certificate.
    ///
    /// # Panics
    ///
    /// When sectrust's parser rejects the certificate: use [`CertBuilder::try_build`] or
    /// [`CertBuilder::build_der`] for deliberately malformed ones.
    pub fn build(self) -> Issued {
        self.try_build().unwrap_or_else(|e| {
            panic!("testing: sectrust rejected a generated certificate: {e} (use try_build)")
        })
    }

    /// Builds the certificate and parses it with [`Certificate::from_der`].
    pub fn try_build(self) -> Result<Issued, Error> {
        let (der, key) = self.build_der();
        Ok(Issued {
            cert: Certificate::from_der(&der)?,
            key,
            der,
        })
    }

    /// Builds the certificate's DER without parsing it; returns it with the subject's key.
    pub fn build_der(self) -> (Vec<u8>, KeyPair) {
        let key = self.subject_key();
        let subject = name_der(&self.subject);
        let spki = self.spki.clone().unwrap_or_else(|| key.spki_der());
        let ski = match &self.ski {
            KeyId::Default => Some(key.key_id()),
            KeyId::Absent => None,
            KeyId::Given(id) => Some(id.clone()),
        };
        let issuer = self.issuer.clone().unwrap_or_else(|| IssuerInfo {
            name_der: subject.clone(),
            key: key.clone(),
            ski: ski.clone(),
        });
        let issuer_name = match &self.issuer_name {
            Some(name) => name_der(name),
            None => issuer.name_der.clone(),
        };
        let aki = match &self.aki {
            KeyId::Default => issuer.ski.clone(),
            KeyId::Absent => None,
            KeyId::Given(id) => Some(id.clone()),
        };
        let algorithm = self
            .algorithm
            .clone()
            .unwrap_or_else(|| issuer.key.signature_algorithm(self.hash, self.pss));
        let algorithm_der = algorithm_identifier_der(&algorithm);
        let outer_algorithm_der = self
            .outer_algorithm
            .as_ref()
            .map_or_else(|| algorithm_der.clone(), algorithm_identifier_der);
        let serial = self.serial.clone().unwrap_or_else(|| {
            let seed = seed_from(&[subject.as_slice(), &issuer_name, &spki].concat());
            uint_content(seed & (u64::MAX >> 1))
        });

        let tbs = RawTbs {
            version: match self.version {
                1 => None,
                v => Some(any(&uint(u64::from(v.saturating_sub(1))))),
            },
            serial: any(&tlv(Tag::Integer, &serial)),
            signature: any(&algorithm_der),
            issuer: any(&issuer_name),
            validity: any(&seq(&[time(self.not_before), time(self.not_after)])),
            subject: any(&subject),
            spki: any(&spki),
            issuer_unique_id: None,
            subject_unique_id: None,
            extensions: (self.version >= 3)
                .then(|| self.extensions(ski, aki))
                .filter(|list| !list.is_empty()),
        };
        let tbs_der = tbs
            .to_der()
            .expect("testing: tbsCertificate encoding cannot fail");
        let mut signature = issuer.key.sign(&algorithm, &tbs_der);
        if let Some(last) = signature.last_mut().filter(|_| self.corrupt_signature) {
            *last ^= 0x01;
        }
        let der = seq(&[tbs_der, outer_algorithm_der, bit_string(&signature)]);
        (der, key)
    }

    /// The subject's key: the one given, else derived from the subject string.
    fn subject_key(&self) -> KeyPair {
        self.key
            .clone()
            .unwrap_or_else(|| KeyPair::p256(seed_from(self.subject.as_bytes())))
    }

    /// The SubjectPublicKeyInfo DER of the key that signs (the issuer's, or the subject's own
    /// when self-signed): what CT's precertificate entries hash.
    pub(crate) fn issuer_spki_der(&self) -> Vec<u8> {
        self.issuer
            .as_ref()
            .map_or_else(|| self.subject_key(), |i| i.key.clone())
            .spki_der()
    }

    /// Every extension, in the documented order.
    fn extensions(&self, ski: Option<Vec<u8>>, aki: Option<Vec<u8>>) -> Vec<Extension> {
        let mut out = Vec::new();
        let mut add = |oid: ObjectIdentifier, critical: bool, value: Vec<u8>| {
            out.push(extension(oid, critical, value));
        };
        if let Some(ski) = ski {
            add(SKI, false, octets(&ski));
        }
        if let Some(aki) = aki {
            add(AKI, false, seq(&[ctx(0, false, &aki)]));
        }
        let bc = self.basic_constraints.unwrap_or(self.ca.map(|path_len| Bc {
            ca: true,
            path_len,
            critical: true,
        }));
        if let Some(bc) = bc {
            let mut fields = Vec::new();
            if bc.ca {
                fields.push(boolean(true));
            }
            if let Some(len) = bc.path_len {
                fields.push(uint(u64::from(len)));
            }
            add(BASIC_CONSTRAINTS, bc.critical, seq(&fields));
        }
        let default_ku = self.ca.map(|_| {
            crate::certificate::KeyUsage::KEY_CERT_SIGN | crate::certificate::KeyUsage::CRL_SIGN
        });
        if let Some(mask) = self.key_usage.unwrap_or(default_ku) {
            add(KEY_USAGE, true, key_usage_bits(mask));
        }
        if let Some(purposes) = &self.eku {
            add(
                EKU,
                false,
                seq(&purposes.iter().map(oid).collect::<Vec<_>>()),
            );
        }
        if !self.san.is_empty() {
            let names: Vec<_> = self.san.iter().map(GeneralName::der).collect();
            add(SAN, self.san_critical, seq(&names));
        }
        if !self.permitted.is_empty() || !self.excluded.is_empty() {
            let subtrees = |names: &[GeneralName]| -> Vec<u8> {
                let trees: Vec<_> = names.iter().map(|n| seq(&[n.der()])).collect();
                trees.concat()
            };
            let mut fields = Vec::new();
            if !self.permitted.is_empty() {
                fields.push(ctx(0, true, &subtrees(&self.permitted)));
            }
            if !self.excluded.is_empty() {
                fields.push(ctx(1, true, &subtrees(&self.excluded)));
            }
            add(NAME_CONSTRAINTS, true, seq(&fields));
        }
        if let Some(policies) = &self.policies {
            let infos: Vec<_> = policies.iter().map(|p| seq(&[oid(p)])).collect();
            add(CERTIFICATE_POLICIES, false, seq(&infos));
        }
        if let Some(mappings) = &self.policy_mappings {
            let pairs: Vec<_> = mappings
                .iter()
                .map(|(from, to)| seq(&[oid(from), oid(to)]))
                .collect();
            add(POLICY_MAPPINGS, true, seq(&pairs));
        }
        if self.require_explicit_policy.is_some() || self.inhibit_policy_mapping.is_some() {
            let mut fields = Vec::new();
            if let Some(n) = self.require_explicit_policy {
                fields.push(ctx(0, false, &uint_content(u64::from(n))));
            }
            if let Some(n) = self.inhibit_policy_mapping {
                fields.push(ctx(1, false, &uint_content(u64::from(n))));
            }
            add(POLICY_CONSTRAINTS, true, seq(&fields));
        }
        if let Some(n) = self.inhibit_any_policy {
            add(INHIBIT_ANY_POLICY, true, uint(u64::from(n)));
        }
        for (id, critical) in &self.critical_overrides {
            for ext in out.iter_mut().filter(|e| e.extn_id == *id) {
                ext.critical = *critical;
            }
        }
        out.extend(self.extra.iter().cloned());
        out
    }
}

/// One Extension.
fn extension(oid: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Extension {
    Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value).expect("testing: extension value over der's limit"),
    }
}

/// keyUsage as a DER BIT STRING: bit i of the mask is named bit i, trailing zero bits dropped.
fn key_usage_bits(mask: u16) -> Vec<u8> {
    if mask == 0 {
        return tlv(Tag::BitString, &[0]);
    }
    // Named bit i is the (7 - i % 8)-th bit of byte i / 8.
    let highest = 15 - mask.leading_zeros() as usize;
    let mut bytes = vec![0u8; highest / 8 + 1];
    for bit in 0..=highest {
        if mask & (1 << bit) != 0 {
            bytes[bit / 8] |= 0x80 >> (bit % 8);
        }
    }
    let unused = 7 - (highest % 8) as u8;
    tlv(Tag::BitString, &[&[unused][..], &bytes].concat())
}

/// A Time: UTCTime for 1950–2049, GeneralizedTime otherwise.
fn time(unix: i64) -> Vec<u8> {
    let t = OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or_else(|e| panic!("testing: time {unix} out of range: {e}"));
    let (year, rest) = (
        t.year(),
        format!(
            "{:02}{:02}{:02}{:02}{:02}Z",
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
    );
    if (1950..2050).contains(&year) {
        tlv(Tag::UtcTime, format!("{:02}{rest}", year % 100).as_bytes())
    } else {
        assert!(
            (0..=9999).contains(&year),
            "testing: year {year} does not fit a GeneralizedTime"
        );
        tlv(Tag::GeneralizedTime, format!("{year:04}{rest}").as_bytes())
    }
}

/// The bytes of an IP address.
fn ip_bytes(address: IpAddr) -> Vec<u8> {
    match address {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// A name-constraint iPAddress: address then mask.
fn cidr(net: &str) -> Vec<u8> {
    let (address, prefix) = net.split_once('/').unwrap_or((net, ""));
    let address: IpAddr = address
        .parse()
        .unwrap_or_else(|e| panic!("testing: bad CIDR {net:?}: {e}"));
    let mut out = ip_bytes(address);
    let bits = out.len() * 8;
    let prefix = if prefix.is_empty() {
        bits
    } else {
        prefix
            .parse::<usize>()
            .ok()
            .filter(|&p| p <= bits)
            .unwrap_or_else(|| panic!("testing: bad prefix length in {net:?}"))
    };
    let mask: Vec<u8> = (0..bits / 8)
        .map(|i| {
            let ones = prefix.saturating_sub(i * 8).min(8);
            (0xff00u16 >> ones) as u8
        })
        .collect();
    out.extend(mask);
    out
}

/// A u64 from the first eight bytes of SHA-256(`bytes`).
fn seed_from(bytes: &[u8]) -> u64 {
    let digest = Sha256::digest(bytes);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests;
