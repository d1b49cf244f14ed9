//! The SSL policy (`SecPolicyCreateSSL(server, hostname)`, OID 1.2.840.113635.100.1.3;
//! `apple-trust.md §6`; platforms.md "SSL / TLS across versions").

use const_oid::ObjectIdentifier;

use super::checks::SERVER_AUTH;
use super::hostname::PublicSuffixList;
use super::{BasicX509, EkuRule, Policy, PolicyOptions, SharedSuffixList};
use crate::platform::{Platform, RuleId};
use crate::verdict::Check;

/// clientAuth (1.3.6.1.5.5.7.3.2).
pub const CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");
/// Microsoft Server Gated Crypto (1.3.6.1.4.1.311.10.3.3).
pub const MICROSOFT_SGC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.311.10.3.3");
/// Netscape Server Gated Crypto (2.16.840.1.113730.4.1).
pub const NETSCAPE_SGC: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.113730.4.1");

/// `SecPolicyCreateSSL`: a server or client TLS policy, optionally with a hostname and a key
/// usage (`SecPolicyCreateSSLWithKeyUsage`).
///
/// ```
/// use sectrust::policy::Ssl;
/// let server = Ssl::server("api.example.com");
/// let client = Ssl::client(None::<String>).with_key_usage(sectrust::certificate::KeyUsage::DIGITAL_SIGNATURE);
/// # let _ = (server, client);
/// ```
///
/// The same certificate can pass on one release and fail on the next. A leaf whose host name is
/// only in its subject CN (no subjectAltName) matches on iOS 12, which falls back to the CN, and
/// fails `SSLHostname` from iOS 13, which reads SAN dNSNames only (`apple-trust.md §6`;
/// platforms.md "SSL / TLS across versions"):
///
/// ```
/// use sectrust::testing::{CertBuilder, oids, unix};
/// use sectrust::{Check, Platform, Ssl, TrustEvaluator, TrustResult};
///
/// let root = CertBuilder::new("CN=Example Root").ca(None).build();
/// let leaf = CertBuilder::new("CN=www.example.com") // no subjectAltName
///     .issued_by(&root)
///     .eku(&[oids::server_auth()])
///     .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
///     .build();
/// let evaluate = |platform: &str| {
///     TrustEvaluator::builder()
///         .platform(platform.parse::<Platform>()?)
///         .anchors([root.cert.clone()])
///         .verify_time_unix(unix("2024-06-01T00:00:00Z"))
///         .build()
///         .evaluate(&leaf.cert, &[], &[&Ssl::server("www.example.com")])
/// };
///
/// assert_eq!(evaluate("ios-12.0")?.result(), TrustResult::Unspecified);
///
/// let ios13 = evaluate("ios-13.0")?;
/// assert_eq!(ios13.result(), TrustResult::RecoverableTrustFailure);
/// assert_eq!(ios13.failures()[0].check, Check::SslHostname);
/// let error = ios13.primary_error().unwrap();
/// assert_eq!(error.os_status, -67602); // errSecHostNameMismatch
/// assert_eq!(error.message, "“www.example.com” certificate name does not match input");
/// # Ok::<(), sectrust::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ssl {
    server: bool,
    hostname: Option<String>,
    key_usage: Option<u16>,
    public_suffixes: Option<SharedSuffixList>,
}

impl Ssl {
    /// `kSecPolicyAppleSSL`.
    pub const OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113635.100.1.3");

    /// A server policy checking `hostname`.
    pub fn server(hostname: impl Into<String>) -> Self {
        Ssl {
            server: true,
            hostname: Some(hostname.into()),
            key_usage: None,
            public_suffixes: None,
        }
    }

    /// A server policy without a hostname (no SSLHostname check).
    pub fn server_any_host() -> Self {
        Ssl {
            server: true,
            hostname: None,
            key_usage: None,
            public_suffixes: None,
        }
    }

    /// A client policy, optionally checking a name.
    pub fn client(name: Option<impl Into<String>>) -> Self {
        Ssl {
            server: false,
            hostname: name.map(Into::into),
            key_usage: None,
            public_suffixes: None,
        }
    }

    /// Adds a KeyUsage check on the leaf: every bit of `key_usage` must be set when the leaf
    /// has a KU extension; 0 means no check (`SecPolicyCreateSSLWithKeyUsage`, `apple-trust.md
    /// §6`). The usage is also part of what a trust-setting constraint's key usage must equal
    /// (`apple-trust.md §5`).
    pub fn with_key_usage(mut self, key_usage: u16) -> Self {
        self.key_usage = (key_usage != 0).then_some(key_usage);
        self
    }

    /// A public-suffix list: wildcards directly over a listed suffix never match (from iOS 11;
    /// `apple-trust.md §6`). None is bundled.
    pub fn with_public_suffixes(mut self, list: std::sync::Arc<dyn PublicSuffixList>) -> Self {
        self.public_suffixes = Some(SharedSuffixList(list));
        self
    }

    /// Whether this is the server policy.
    pub fn is_server(&self) -> bool {
        self.server
    }

    /// The hostname (or client name) checked, if any.
    pub fn hostname(&self) -> Option<&str> {
        self.hostname.as_deref()
    }

    fn eku_rule(&self) -> EkuRule {
        EkuRule {
            purposes: if self.server {
                vec![SERVER_AUTH, MICROSOFT_SGC, NETSCAPE_SGC]
            } else {
                vec![CLIENT_AUTH]
            },
            allow_absent: true,
            allow_any: true,
        }
    }
}

impl Policy for Ssl {
    fn oid(&self) -> ObjectIdentifier {
        Self::OID
    }

    fn name(&self) -> &str {
        if self.server {
            "sslServer"
        } else {
            "sslClient"
        }
    }

    fn options(&self, platform: &Platform) -> PolicyOptions {
        let rules = platform.rules();
        let mut o = BasicX509::base_options(platform);
        o.tls = true;
        o.client = !self.server;
        o.policy_string = self.hostname.clone();
        if let Some(host) = &self.hostname {
            o.insert(Check::SslHostname);
            o.hostname = Some(host.clone());
            o.public_suffixes = self.public_suffixes.clone();
        }
        o.insert(Check::ExtendedKeyUsage);
        o.leaf_eku = Some(self.eku_rule());
        if rules.contains(RuleId::IntermediateEkuEnforced) {
            o.ca_eku = Some(self.eku_rule());
        }
        if let Some(ku) = self.key_usage {
            o.insert(Check::KeyUsage);
            o.leaf_key_usage = Some(ku);
            o.trust_settings_key_usage = trust_settings_key_usage(ku);
        }
        if rules.contains(RuleId::SslBlackListedLeaf55163) {
            o.insert(Check::BlackListedLeaf);
        }
        if rules.contains(RuleId::SystemTrustedWeakChains) {
            o.insert(Check::SystemTrustedWeakHash)
                .insert(Check::SystemTrustedWeakKey);
        }
        if self.server && rules.contains(RuleId::SslServerChecks59306) {
            o.insert(Check::SignatureHashAlgorithms)
                .insert(Check::KeySize)
                .insert(Check::ServerAuthEKU)
                .insert(Check::ValidityPeriodMaximums)
                .insert(Check::SystemTrustValidityPeriod)
                .insert(Check::OtherTrustValidityPeriod);
            o.min_key_bits = Some((2048, 256));
        }
        if self.server && rules.contains(RuleId::CtRequired) {
            o.insert(Check::SystemTrustedCTRequired);
        }
        o
    }

    /// Options from the OS and rule rows only.
    fn options_follow_rules(&self) -> bool {
        true
    }
}

/// The `SecTrustSettingsKeyUsage` bits of the policy's key usage, which trust-setting constraints
/// must equal (with keyCertSign on non-leaf certificates, `apple-trust.md §5`).
///
/// The spec gives no mapping; this is trustd's (`ts_key_usage_for_kuNumber`): digitalSignature →
/// Signature (1), dataEncipherment → EnDecryptData (2), keyEncipherment → EnDecryptKey (4),
/// keyAgreement → KeyExchange (0x20); other bits have no counterpart and add nothing.
fn trust_settings_key_usage(ku: u16) -> u32 {
    use crate::certificate::KeyUsage;
    [
        (KeyUsage::DIGITAL_SIGNATURE, 0x01),
        (KeyUsage::DATA_ENCIPHERMENT, 0x02),
        (KeyUsage::KEY_ENCIPHERMENT, 0x04),
        (KeyUsage::KEY_AGREEMENT, 0x20),
    ]
    .iter()
    .filter(|(bit, _)| ku & bit != 0)
    .fold(0, |acc, (_, ts)| acc | ts)
}
