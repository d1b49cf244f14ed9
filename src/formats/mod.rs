//! The files users have (feature `formats`): PKCS#12 identities (`.p12`/`.pfx`), configuration
//! profiles (`.mobileconfig`), and [`load`], which tells them apart — and from PEM and DER
//! certificates — by content.
//!
//! - [`read_pkcs12`]: the identity's certificate and the certificates around it, from files
//!   exported by Keychain Access or `openssl pkcs12 -export` (legacy 3DES/RC2-40 and PBES2
//!   AES-CBC encryption, HMAC-SHA-1/SHA-2 MAC). Private keys are never decrypted: the identity
//!   is found through the key bag's `localKeyId`, which sits outside the encryption.
//! - [`read_profile`]: a configuration profile (XML or binary plist, bare or in a CMS
//!   SignedData envelope). Roots installed by a profile become
//!   [`TrustSetting::profile_root`](crate::TrustSetting::profile_root) settings, whose TLS trust
//!   depends on the device's "full trust" switch (`apple-trust.md §5`).
//!
//! Hostile input: every read is bounded — input size ([`MAX_INPUT_LEN`]), key-derivation
//! iterations ([`MAX_ITERATIONS`] each, [`MAX_TOTAL_ITERATIONS`] per call), nesting depth and
//! the expanded size of binary plists — and failures are errors naming what was being read,
//! never panics.
//!
//! Why PKCS#12, CMS and BER are read here rather than with the RustCrypto `pkcs12`/`cms`
//! crates or `p12-keystore`: property lists use the `plist` crate, but the rest is this
//! module's own code on released RustCrypto primitives (`des`, `rc2`, `aes`, `cbc`, `hmac`,
//! `pbkdf2`, `sha1`) and the crate's DER reader. As of 2026-11: `pkcs12`'s latest is the
//! pre-release 0.2.0-pre.0, which pins `cms = "=0.3.0-pre.1"` and has the structures and the
//! key derivation but no decryption (its source lists decryption and RC2 as to-dos); `cms`'s
//! latest is the release candidate 0.3.0-rc.0; `p12-keystore` 0.4.1 decrypts the legacy
//! schemes but depends on those pre-releases, decodes the PFX with `from_der` (DER only) and
//! decrypts private keys, which this module never needs. `der` 0.8's optional BER mode takes
//! indefinite lengths but rejects non-minimal lengths and definite-length constructed strings,
//! both of which `ber.rs` normalises. Switching becomes sensible once `pkcs12` and `cms` are
//! stable releases on the `der` 0.8 / `x509-cert` 0.3 used here, decrypt
//! pbeWithSHAAnd3-KeyTripleDES-CBC and pbeWithSHAAnd40BitRC2-CBC (what `openssl pkcs12
//! -export -legacy`, OpenSSL's pre-3.0 default, writes), read BER, and let a caller bound the
//! key-derivation work of one call; this module's round-trip, OpenSSL and fuzz-regression
//! tests would then be the acceptance test.

mod ber;
mod cms;
mod mobileconfig;
mod pbe;
mod pkcs12;
mod plist_guard;
#[cfg(all(test, feature = "testing"))]
mod testkit;
#[cfg(all(test, feature = "testing"))]
mod tests;

pub use cms::{SignatureCheck, Signer};
pub use mobileconfig::{
    ConfigurationProfile, PAYLOAD_PEM, PAYLOAD_PKCS1, PAYLOAD_PKCS12, PAYLOAD_ROOT, read_profile,
};
pub use pkcs12::{Identity, read_pkcs12};

use crate::certificate::Certificate;
use crate::error::Error;

/// Largest input accepted, in bytes. Real `.p12` files are a few KiB and profiles rarely reach
/// a MiB; 16 MiB leaves room for profiles carrying many certificates while bounding memory.
pub const MAX_INPUT_LEN: usize = 16 * 1024 * 1024;

/// Largest iteration count accepted for one key derivation (PKCS#12 KDF or PBKDF2). Exporters
/// use 2,048 (OpenSSL, Keychain) to 600,000 (password-manager grade); ten million costs a few
/// seconds and is far beyond any of them.
pub const MAX_ITERATIONS: u64 = 10_000_000;

/// Iterations (times hash blocks derived) one call may spend in total, across the MAC, every
/// encrypted bag and every PKCS#12 payload of a profile: two maximal derivations.
pub const MAX_TOTAL_ITERATIONS: u64 = 2 * MAX_ITERATIONS;

/// Why a PKCS#12 file, configuration profile or CMS envelope could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The password did not open the file: the PKCS#12 MAC does not match, or (files without
    /// a MAC) decryption failed. Either the password is wrong or the file is damaged.
    #[error("wrong password, or the file is damaged: {what}")]
    WrongPassword {
        /// What failed: the MAC, or decryption.
        what: &'static str,
    },
    /// The file needs a password and none was given.
    #[error("{what} needs a password")]
    PasswordRequired {
        /// The file or payload.
        what: String,
    },
    /// DER (after BER normalisation) that does not decode; `what` names the structure.
    #[error("malformed {what}: {source}")]
    Malformed {
        /// The structure being decoded, e.g. `PKCS#12 SafeContents (bag 2)`.
        what: String,
        /// The decoder's error, with the byte offset inside that structure.
        #[source]
        source: der::Error,
    },
    /// Well-formed but wrong: a missing key, a value of the wrong type, a bad length.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// The structure or field.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A variant this crate does not read (RC4, public-key PKCS#12 modes, encrypted profiles).
    #[error("unsupported {what}: {detail}")]
    Unsupported {
        /// The format.
        what: &'static str,
        /// The unsupported feature.
        detail: String,
    },
    /// A bound on work or size was exceeded ([`MAX_INPUT_LEN`], [`MAX_ITERATIONS`], …).
    #[error("limit exceeded: {what} is {value}, at most {limit} is accepted")]
    Limit {
        /// What was too large.
        what: &'static str,
        /// Its value.
        value: u64,
        /// The bound.
        limit: u64,
    },
    /// A property list that the `plist` crate cannot read.
    #[error("property list: {0}")]
    Plist(#[source] plist::Error),
    /// A certificate inside the container does not parse.
    #[error("{what}: {source}")]
    Certificate {
        /// Where it sits, e.g. `PKCS#12 certificate bag 1`.
        what: String,
        /// The parser's error.
        #[source]
        source: Box<Error>,
    },
    /// A PKCS#12 payload of a configuration profile failed (wrong `Password`, damage, …).
    #[error("{payload}: {source}")]
    Payload {
        /// The payload's `PayloadIdentifier` (or `payload N`).
        payload: String,
        /// What went wrong inside it.
        #[source]
        source: Box<FormatError>,
    },
    /// The CMS signature over a profile does not verify: it was changed after signing, or
    /// the envelope is damaged.
    #[error("the CMS signature does not verify: {0}")]
    BadSignature(String),
    /// Not PEM, a DER certificate, PKCS#12, CMS or a configuration profile.
    #[error(
        "unrecognised input: not PEM, a DER certificate, PKCS#12, CMS or a configuration profile"
    )]
    Unrecognised,
}

/// What [`load`] found.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Loaded {
    /// PEM (every CERTIFICATE block), one DER certificate, or a certificates-only CMS
    /// SignedData (`.p7b`/`.p7c`).
    Certificates(Vec<Certificate>),
    /// A PKCS#12 identity.
    Pkcs12(Identity),
    /// A configuration profile.
    Profile(Box<ConfigurationProfile>),
}

/// Reads `bytes` as whichever of PEM, DER certificate, PKCS#12, CMS SignedData or
/// configuration profile (XML plist, binary `bplist00`, or CMS-wrapped) it is.
///
/// `password` opens a PKCS#12 file, or a profile's PKCS#12 payloads that carry no `Password`
/// of their own; without one, PKCS#12 is tried with the empty password and fails with
/// [`FormatError::PasswordRequired`] when that is not it.
///
/// ```
/// use sectrust::formats::{self, Loaded};
/// # let pki = sectrust::testing::Pki::new();
/// let Loaded::Certificates(certs) = formats::load(pki.leaf.pem().as_bytes(), None)? else {
///     unreachable!()
/// };
/// assert_eq!(certs, [pki.leaf.cert.clone()]);
/// # Ok::<(), sectrust::Error>(())
/// ```
pub fn load(bytes: &[u8], password: Option<&str>) -> Result<Loaded, Error> {
    check_len(bytes)?;
    let mut budget = Budget::new();
    let text = trim_text_start(bytes);
    if text.starts_with(b"bplist") || looks_like_xml_plist(text) {
        let profile = mobileconfig::read(bytes, password, &mut budget)?;
        return Ok(Loaded::Profile(Box::new(profile)));
    }
    match first_inner_tag(bytes) {
        // PFX ::= SEQUENCE { version INTEGER (3), ... }
        Some(0x02) => Ok(Loaded::Pkcs12(pkcs12::read(bytes, password, &mut budget)?)),
        // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, ... }
        Some(0x30) => Ok(Loaded::Certificates(vec![Certificate::from_der(bytes)?])),
        // ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, ... }
        Some(0x06) => {
            let signed = cms::read(bytes)?;
            if signed.content.is_none() && signed.signer.is_none() {
                return Ok(Loaded::Certificates(signed.certificates));
            }
            let profile = mobileconfig::read_signed(signed, password, &mut budget)?;
            Ok(Loaded::Profile(Box::new(profile)))
        }
        _ if bytes.windows(10).any(|w| w == b"-----BEGIN") => Ok(Loaded::Certificates(
            Certificate::from_pem_bundle(&String::from_utf8_lossy(bytes))?,
        )),
        _ => Err(FormatError::Unrecognised.into()),
    }
}

/// A `map_err` adapter for DER errors inside `what`.
fn malformed(what: &'static str) -> impl Fn(der::Error) -> FormatError {
    move |source| FormatError::Malformed {
        what: what.to_owned(),
        source,
    }
}

/// Rejects inputs over [`MAX_INPUT_LEN`].
fn check_len(bytes: &[u8]) -> Result<(), FormatError> {
    if bytes.len() > MAX_INPUT_LEN {
        return Err(FormatError::Limit {
            what: "input length",
            value: bytes.len() as u64,
            limit: MAX_INPUT_LEN as u64,
        });
    }
    Ok(())
}

/// `bytes` after a UTF-8 byte-order mark and leading whitespace.
fn trim_text_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Whether text starts like an XML property list.
fn looks_like_xml_plist(text: &[u8]) -> bool {
    text.starts_with(b"<?xml")
        || text.starts_with(b"<!DOCTYPE plist")
        || text.starts_with(b"<plist")
}

/// The identifier octet of the first element inside an outer SEQUENCE (definite or
/// indefinite length), which tells PKCS#12, certificates and CMS apart.
fn first_inner_tag(bytes: &[u8]) -> Option<u8> {
    if *bytes.first()? != 0x30 {
        return None;
    }
    let skip = match *bytes.get(1)? {
        n @ 0x81..=0x84 => 2 + usize::from(n & 0x7F),
        _ => 2,
    };
    bytes.get(skip).copied()
}

/// The work one call may still do (rustls-webpki's `Budget` idea): key-derivation iterations.
pub(crate) struct Budget {
    iterations_left: u64,
}

impl Budget {
    pub(crate) fn new() -> Self {
        Budget {
            iterations_left: MAX_TOTAL_ITERATIONS,
        }
    }

    /// Charges one derivation of `blocks` hash-output blocks at `iterations` each.
    pub(crate) fn charge(&mut self, iterations: u64, blocks: u64) -> Result<(), FormatError> {
        if iterations == 0 {
            return Err(FormatError::Invalid {
                what: "key-derivation iteration count",
                reason: "zero".into(),
            });
        }
        if iterations > MAX_ITERATIONS {
            return Err(FormatError::Limit {
                what: "key-derivation iteration count",
                value: iterations,
                limit: MAX_ITERATIONS,
            });
        }
        let cost = iterations.saturating_mul(blocks.max(1));
        self.iterations_left = self.iterations_left.checked_sub(cost).ok_or({
            FormatError::Limit {
                what: "total key-derivation work (iterations × blocks)",
                value: (MAX_TOTAL_ITERATIONS - self.iterations_left).saturating_add(cost),
                limit: MAX_TOTAL_ITERATIONS,
            }
        })?;
        Ok(())
    }
}
