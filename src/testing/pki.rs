//! [`Pki`]: a ready root → intermediate → leaf chain.

use super::builder::{CertBuilder, DEFAULT_NOT_AFTER, DEFAULT_NOT_BEFORE, Issued};
use super::keys::KeyPair;
use super::oids;
use crate::certificate::KeyUsage;

/// A three-certificate chain with fixed keys and dates, the starting point of most tests.
///
/// - root: `CN=Test Root CA,O=Example,C=US`, self-signed CA, serial 1, key seed 1;
/// - intermediate: `CN=Test Intermediate CA,O=Example,C=US`, CA issued by the root, serial 2,
///   key seed 2;
/// - leaf: `CN=www.example.com,O=Example,C=US` issued by the intermediate, serial 3, key
///   seed 3, SAN dNSName `www.example.com` and rfc822Name `user@example.com`, EKU serverAuth,
///   clientAuth and emailProtection, keyUsage digitalSignature | keyEncipherment.
///
/// All are valid from [`Pki::NOT_BEFORE`] (2020-01-01) to [`Pki::NOT_AFTER`] (2030-01-01),
/// signed with SHA-256, P-256 keys ([`Pki::new`]) or RSA ([`Pki::rsa`]). To vary one
/// certificate, start from [`Pki::leaf_builder`] (or the other two builders) and change what
/// the test is about.
///
/// ```no_run
/// use sectrust::testing::{Pki, oids};
///
/// let pki = Pki::new();
/// assert!(pki.leaf.cert.is_valid_at(Pki::T_VALID));
/// let code_signing = pki.leaf_builder().eku(&[oids::code_signing()]).build();
/// assert_eq!(code_signing.cert.issuer(), pki.intermediate.cert.subject());
/// ```
#[derive(Clone, Debug)]
pub struct Pki {
    /// The self-signed root CA.
    pub root: Issued,
    /// The intermediate CA, issued by the root.
    pub intermediate: Issued,
    /// The end-entity certificate, issued by the intermediate.
    pub leaf: Issued,
}

impl Pki {
    /// notBefore of every certificate: 2020-01-01T00:00:00Z.
    pub const NOT_BEFORE: i64 = DEFAULT_NOT_BEFORE;
    /// notAfter of every certificate: 2030-01-01T00:00:00Z.
    pub const NOT_AFTER: i64 = DEFAULT_NOT_AFTER;
    /// A verify time inside the validity: 2024-01-01T00:00:00Z.
    pub const T_VALID: i64 = 1_704_067_200;
    /// A verify time after notAfter: 2031-01-01T00:00:00Z.
    pub const T_EXPIRED: i64 = 1_924_992_000;
    /// A verify time before notBefore: 2019-01-01T00:00:00Z.
    pub const T_NOT_YET_VALID: i64 = 1_546_300_800;
    /// The root's subject.
    pub const ROOT_SUBJECT: &str = "CN=Test Root CA,O=Example,C=US";
    /// The intermediate's subject.
    pub const INTERMEDIATE_SUBJECT: &str = "CN=Test Intermediate CA,O=Example,C=US";
    /// The leaf's subject.
    pub const LEAF_SUBJECT: &str = "CN=www.example.com,O=Example,C=US";
    /// The leaf's SAN dNSName.
    pub const HOSTNAME: &str = "www.example.com";
    /// The leaf's SAN rfc822Name.
    pub const EMAIL: &str = "user@example.com";

    /// The chain with P-256 keys (seeds 1, 2, 3).
    pub fn new() -> Self {
        Self::with_keys(KeyPair::p256(1), KeyPair::p256(2), KeyPair::p256(3))
    }

    /// The chain with RSA keys of `bits` bits (seeds 1, 2, 3; see [`KeyPair::rsa`]).
    pub fn rsa(bits: usize) -> Self {
        Self::with_keys(
            KeyPair::rsa(bits, 1),
            KeyPair::rsa(bits, 2),
            KeyPair::rsa(bits, 3),
        )
    }

    /// The chain with these keys.
    pub fn with_keys(root: KeyPair, intermediate: KeyPair, leaf: KeyPair) -> Self {
        let root = root_spec(root).build();
        let intermediate = intermediate_spec(intermediate).issued_by(&root).build();
        let leaf = leaf_spec(leaf).issued_by(&intermediate).build();
        Pki {
            root,
            intermediate,
            leaf,
        }
    }

    /// A builder preset exactly as the root (same key, so a rebuilt root re-signs the
    /// existing children validly).
    pub fn root_builder(&self) -> CertBuilder {
        root_spec(self.root.key.clone())
    }

    /// A builder preset exactly as the intermediate, issued by this root.
    pub fn intermediate_builder(&self) -> CertBuilder {
        intermediate_spec(self.intermediate.key.clone()).issued_by(&self.root)
    }

    /// A builder preset exactly as the leaf, issued by this intermediate.
    pub fn leaf_builder(&self) -> CertBuilder {
        leaf_spec(self.leaf.key.clone()).issued_by(&self.intermediate)
    }
}

impl Default for Pki {
    fn default() -> Self {
        Self::new()
    }
}

/// The root's settings (self-signed).
pub(crate) fn root_spec(key: KeyPair) -> CertBuilder {
    CertBuilder::new(Pki::ROOT_SUBJECT)
        .key(key)
        .serial(1)
        .ca(None)
}

/// The intermediate's settings, without its issuer.
pub(crate) fn intermediate_spec(key: KeyPair) -> CertBuilder {
    CertBuilder::new(Pki::INTERMEDIATE_SUBJECT)
        .key(key)
        .serial(2)
        .ca(None)
}

/// The leaf's settings, without its issuer.
pub(crate) fn leaf_spec(key: KeyPair) -> CertBuilder {
    CertBuilder::new(Pki::LEAF_SUBJECT)
        .key(key)
        .serial(3)
        .dns(Pki::HOSTNAME)
        .email(Pki::EMAIL)
        .eku(&[
            oids::server_auth(),
            oids::client_auth(),
            oids::email_protection(),
        ])
        .key_usage(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT)
}
