//! [`CertSpec`]: one generated certificate as data, and the strategies for its fields.

use const_oid::ObjectIdentifier;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::VERIFY_TIME;
use super::keys::KeySpec;
use super::names::{NameConstraintsSpec, SanEntry};
use crate::certificate::KeyUsage;
use crate::crypto::HashAlgorithm;
use crate::testing::{CertBuilder, oids};

const DAY: i64 = 86_400;
const YEAR: i64 = 365 * DAY;

/// A validity window in Unix seconds (RFC 5280 §4.1.2.5: valid when notBefore ≤ t ≤ notAfter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Validity {
    /// notBefore.
    pub not_before: i64,
    /// notAfter.
    pub not_after: i64,
}

impl Validity {
    /// Whether the window contains `t` (both ends inclusive).
    pub fn contains(&self, t: i64) -> bool {
        self.not_before <= t && t <= self.not_after
    }
}

/// Odds against a fault in one field of a generated certificate, when faults are drawn: with
/// about eight fault-bearing fields per certificate, roughly half the generated chains come
/// out clean under basic X.509 and the other half fail in one or two ways.
pub(super) const FAULT_ODDS: u32 = 40;

/// `good` most of the time, `bad` once in [`FAULT_ODDS`] + 1.
pub(super) fn mostly<T: Clone + std::fmt::Debug + 'static>(
    good: impl Strategy<Value = T> + 'static,
    bad: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<T> {
    prop_oneof![FAULT_ODDS => good, 1 => bad].boxed()
}

/// [`mostly`] when `faults`, else only `good`.
pub(super) fn faulty<T: Clone + std::fmt::Debug + 'static>(
    faults: bool,
    good: impl Strategy<Value = T> + 'static,
    bad: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<T> {
    if faults {
        mostly(good, bad)
    } else {
        good.boxed()
    }
}

fn window(not_before: i64, not_after: i64) -> Validity {
    Validity {
        not_before,
        not_after,
    }
}

/// A validity window around [`VERIFY_TIME`]: usually containing it (sometimes exactly at
/// either end, inclusive), sometimes expired, not yet valid, or inverted. Lifetimes range from
/// a day to ten years, so the SSL lifetime limits sometimes apply.
pub fn validity() -> impl Strategy<Value = Validity> {
    let before = select(vec![0, 1, DAY, 30 * DAY, YEAR, 3 * YEAR]);
    let lifetime = select(vec![DAY, 90 * DAY, 397 * DAY, 2 * YEAR, 10 * YEAR]);
    prop_oneof![
        6 => (before, lifetime).prop_map(|(b, l)| {
            let nb = VERIFY_TIME - b;
            // Keep the verify time inside: stretch a window that would end before it.
            window(nb, (nb + l).max(VERIFY_TIME))
        }),
        1 => odd_validity(),
    ]
}

/// A window that is a boundary case or does not contain [`VERIFY_TIME`]: starting or ending
/// exactly at it (valid, both ends inclusive), expired by a second to years, not yet valid, or
/// inverted.
pub(super) fn odd_validity() -> impl Strategy<Value = Validity> {
    prop_oneof![
        Just(window(VERIFY_TIME, VERIFY_TIME + YEAR)),
        Just(window(VERIFY_TIME - YEAR, VERIFY_TIME)),
        select(vec![1, DAY, 5 * YEAR])
            .prop_map(|gap| window(VERIFY_TIME - 2 * YEAR - gap, VERIFY_TIME - gap)),
        select(vec![1, DAY]).prop_map(|gap| window(VERIFY_TIME + gap, VERIFY_TIME + YEAR)),
        Just(window(VERIFY_TIME + DAY, VERIFY_TIME - DAY)),
    ]
}

/// A leaf's window: usually valid at [`VERIFY_TIME`] with a lifetime within the SSL maximum
/// (398 days); with `faults`, now and then any [`validity`].
pub(super) fn leaf_validity(faults: bool) -> BoxedStrategy<Validity> {
    let good = (
        select(vec![0, 1, DAY, 30 * DAY]),
        select(vec![90 * DAY, 397 * DAY]),
    )
        .prop_map(|(b, l)| window(VERIFY_TIME - b, VERIFY_TIME - b + l));
    if faults {
        prop_oneof![6 => good, 1 => validity()].boxed()
    } else {
        good.boxed()
    }
}

/// A CA's window: ten years around [`VERIFY_TIME`]; with `faults`, now and then an odd one.
pub(super) fn ca_validity(faults: bool) -> BoxedStrategy<Validity> {
    let good = Just(window(VERIFY_TIME - 5 * YEAR, VERIFY_TIME + 5 * YEAR));
    faulty(faults, good, odd_validity())
}

/// The signature hash: mostly SHA-256, sometimes SHA-384, SHA-1 or MD5 (a genuine MD5
/// signature with RSA issuers; with EC issuers a well-formed certificate claiming
/// md5WithRSAEncryption, see [`KeyPair::signature_algorithm`](crate::testing::KeyPair)).
pub fn signature_hash() -> impl Strategy<Value = HashAlgorithm> {
    prop_oneof![
        6 => strong_hash(),
        1 => weak_hash(),
    ]
}

/// SHA-256 (mostly) or SHA-384.
pub(super) fn strong_hash() -> impl Strategy<Value = HashAlgorithm> {
    prop_oneof![3 => Just(HashAlgorithm::Sha256), 1 => Just(HashAlgorithm::Sha384)]
}

/// SHA-1 or MD5.
pub(super) fn weak_hash() -> impl Strategy<Value = HashAlgorithm> {
    prop_oneof![2 => Just(HashAlgorithm::Sha1), 1 => Just(HashAlgorithm::Md5)]
}

/// An extendedKeyUsage: often serverAuth (with clientAuth), sometimes absent, sometimes a
/// list of 0–3 purposes from serverAuth, clientAuth, emailProtection, codeSigning,
/// OCSPSigning, anyExtendedKeyUsage and Microsoft SGC.
pub fn eku() -> impl Strategy<Value = Option<Vec<ObjectIdentifier>>> {
    let purpose = select(vec![
        oids::server_auth(),
        oids::client_auth(),
        oids::email_protection(),
        oids::code_signing(),
        oids::ocsp_signing(),
        oids::any_eku(),
        oids::ms_sgc(),
    ]);
    prop_oneof![
        4 => Just(Some(vec![oids::server_auth()])),
        2 => Just(Some(vec![oids::server_auth(), oids::client_auth()])),
        1 => Just(None),
        1 => vec(purpose, 0..4).prop_map(Some),
    ]
}

/// A keyUsage mask for a leaf: absent (`None`), a usual one, or any combination of the nine
/// bits (0 writes an empty BIT STRING).
pub fn key_usage() -> impl Strategy<Value = Option<u16>> {
    prop_oneof![
        4 => Just(None),
        3 => select(vec![
            KeyUsage::DIGITAL_SIGNATURE,
            KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT,
            KeyUsage::KEY_AGREEMENT,
        ])
        .prop_map(Some),
        1 => (0u16..0x200).prop_map(Some),
    ]
}

/// basicConstraints as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BasicConstraintsSpec {
    /// No extension.
    Absent,
    /// cA false (critical).
    NotCa,
    /// cA true (critical) with this pathLenConstraint.
    Ca(Option<u32>),
}

/// One certificate as data; [`CertSpec::builder`] turns it into a [`CertBuilder`] (without
/// an issuer: the chain sets that).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CertSpec {
    /// Subject, RFC 4514.
    pub subject: String,
    /// Key.
    pub key: KeySpec,
    /// Serial number.
    pub serial: u64,
    /// Validity window.
    pub validity: Validity,
    /// Hash of the signature this certificate carries (its issuer signs with it).
    pub hash: HashAlgorithm,
    /// basicConstraints.
    pub basic_constraints: BasicConstraintsSpec,
    /// keyUsage mask; `None` = no extension. CAs default to keyCertSign | cRLSign.
    pub key_usage: Option<u16>,
    /// extendedKeyUsage; `None` = no extension.
    pub eku: Option<Vec<ObjectIdentifier>>,
    /// subjectAltName entries (empty: no extension).
    pub san: Vec<SanEntry>,
    /// nameConstraints.
    pub name_constraints: NameConstraintsSpec,
    /// X.509 version (1 or 3; v1 certificates carry no extension at all).
    pub version: u8,
    /// Flip a bit of the signature.
    pub corrupt_signature: bool,
}

impl CertSpec {
    /// A builder with every field of the spec (self-signed until the caller sets an issuer).
    pub fn builder(&self) -> CertBuilder {
        let mut b = CertBuilder::new(&self.subject)
            .key(self.key.key_pair())
            .serial(self.serial)
            .validity_unix(self.validity.not_before, self.validity.not_after)
            .signature_hash(self.hash)
            .version(self.version);
        b = match self.basic_constraints {
            BasicConstraintsSpec::Absent => b,
            BasicConstraintsSpec::NotCa => b.basic_constraints(false, None, true),
            BasicConstraintsSpec::Ca(path_len) => b.ca(path_len),
        };
        if let Some(mask) = self.key_usage {
            b = b.key_usage(mask);
        }
        if let Some(purposes) = &self.eku {
            b = b.eku(purposes);
        }
        for entry in &self.san {
            b = entry.apply(b);
        }
        b = self.name_constraints.apply(b);
        if self.corrupt_signature {
            b = b.corrupt_signature();
        }
        b
    }

    /// The subject's first CN value, if the subject starts with `CN=`.
    pub fn common_name(&self) -> Option<&str> {
        let rest = self.subject.strip_prefix("CN=")?;
        Some(rest.split(',').next().unwrap_or(rest))
    }

    /// Whether this spec makes a CA certificate (basicConstraints cA).
    pub fn is_ca(&self) -> bool {
        matches!(self.basic_constraints, BasicConstraintsSpec::Ca(_)) && self.version >= 3
    }
}
