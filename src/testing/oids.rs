//! Object identifiers tests use often: extended key usages (RFC 5280 §4.2.1.12 and the
//! vendor purposes Apple accepts for TLS, `apple-trust.md §6`) and policies.

use const_oid::ObjectIdentifier;

/// id-kp-serverAuth, 1.3.6.1.5.5.7.3.1.
pub const fn server_auth() -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1")
}

/// id-kp-clientAuth, 1.3.6.1.5.5.7.3.2.
pub const fn client_auth() -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2")
}

/// id-kp-codeSigning, 1.3.6.1.5.5.7.3.3.
pub const fn code_signing() -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3")
}

/// id-kp-emailProtection, 1.3.6.1.5.5.7.3.4.
pub const fn email_protection() -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4")
}

/// id-kp-timeStamping, 1.3.6.1.5.5.7.3.8.
pub const fn time_stamping() -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8")
}

/// id-kp-OCSPSigning, 1.3.6.1.5.5.7.3.9.
pub const fn ocsp_signing() -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9")
}

/// anyExtendedKeyUsage, 2.5.29.37.0.
pub const fn any_eku() -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("2.5.29.37.0")
}

/// Microsoft Server Gated Crypto, 1.3.6.1.4.1.311.10.3.3.
pub const fn ms_sgc() -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.311.10.3.3")
}

/// Netscape Server Gated Crypto, 2.16.840.1.113730.4.1.
pub const fn ns_sgc() -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("2.16.840.1.113730.4.1")
}

/// anyPolicy, 2.5.29.32.0.
pub const fn any_policy() -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("2.5.29.32.0")
}

/// NIST-test-policy-`n` (2.16.840.1.101.3.2.1.48.`n`), the policies of the PKITS suite: handy
/// distinct policy OIDs for policy-tree tests.
pub fn test_policy(n: u32) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.2.1.48")
        .push_arc(n)
        .expect("testing: one more arc always fits")
}

#[cfg(test)]
mod tests {
    #[test]
    fn test_policies_are_distinct_children_of_the_nist_arc() {
        assert_eq!(
            super::test_policy(1).to_string(),
            "2.16.840.1.101.3.2.1.48.1"
        );
        assert_ne!(super::test_policy(1), super::test_policy(2));
    }
}
