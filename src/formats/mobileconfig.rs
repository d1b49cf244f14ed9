//! Configuration profiles (`.mobileconfig`): a property list (XML or binary), bare or inside a
//! CMS SignedData envelope, whose `PayloadContent` array carries certificate payloads.
//!
//! Read here: `com.apple.security.root` (a root the profile installs — trusted for TLS on iOS
//! 10.3+ only once the user turns on full trust, `apple-trust.md §5`),
//! `com.apple.security.pkcs1` and `com.apple.security.pem` (certificates: intermediates or
//! anchor candidates), and `com.apple.security.pkcs12` (an identity). Other payload types are
//! listed by type and otherwise ignored.

use std::io::Cursor;

use plist::{Dictionary, Value};

use super::cms::{self, SignedData, Signer};
use super::pkcs12::{self, Identity};
use super::{Budget, FormatError, check_len, looks_like_xml_plist, plist_guard, trim_text_start};
use crate::anchors::TrustSetting;
use crate::certificate::Certificate;
use crate::error::Error;

/// A root certificate the profile installs.
pub const PAYLOAD_ROOT: &str = "com.apple.security.root";
/// A DER certificate.
pub const PAYLOAD_PKCS1: &str = "com.apple.security.pkcs1";
/// A PEM certificate.
pub const PAYLOAD_PEM: &str = "com.apple.security.pem";
/// A PKCS#12 identity.
pub const PAYLOAD_PKCS12: &str = "com.apple.security.pkcs12";

/// The certificates a configuration profile installs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigurationProfile {
    /// `PayloadIdentifier` of the profile.
    pub identifier: String,
    /// `PayloadDisplayName` of the profile.
    pub display_name: Option<String>,
    /// Certificates of `com.apple.security.root` payloads: roots the profile installs (see
    /// [`ConfigurationProfile::trust_settings`]).
    pub roots: Vec<Certificate>,
    /// Certificates of `com.apple.security.pkcs1` and `com.apple.security.pem` payloads,
    /// whether self-signed or not: intermediates and anchor candidates.
    pub certificates: Vec<Certificate>,
    /// Identities of `com.apple.security.pkcs12` payloads that could be opened.
    pub identities: Vec<Identity>,
    /// `PayloadIdentifier`s of PKCS#12 payloads left closed: they carry no `Password` and
    /// none was given (the device would ask the user).
    pub identities_needing_password: Vec<String>,
    /// `PayloadType`s of the payloads not read (Wi-Fi, VPN, restrictions, …), in order.
    pub other_payload_types: Vec<String>,
    /// The CMS signer of a signed profile; `None` for an unsigned one (shown by the device
    /// as "Not Signed"). Trusting the signer is a separate evaluation.
    pub signed_by: Option<Signer>,
}

impl ConfigurationProfile {
    /// One [`TrustSetting::profile_root`] per root. `full_trust_enabled` is the device's
    /// Certificate Trust Settings switch for these roots: on iOS 10.3 and later a
    /// profile-installed root anchors TLS only when it is on (`apple-trust.md §5`).
    pub fn trust_settings(&self, full_trust_enabled: bool) -> Vec<TrustSetting> {
        self.roots
            .iter()
            .map(|root| TrustSetting::profile_root(root.clone(), full_trust_enabled))
            .collect()
    }
}

/// Reads a configuration profile: an XML or binary property list, or one inside a CMS
/// SignedData envelope (signed profiles; the signature is verified, see
/// [`ConfigurationProfile::signed_by`]).
///
/// `password` opens PKCS#12 payloads that carry no `Password` of their own.
pub fn read_profile(bytes: &[u8], password: Option<&str>) -> Result<ConfigurationProfile, Error> {
    check_len(bytes)?;
    Ok(read(bytes, password, &mut Budget::new())?)
}

/// [`read_profile`] with a shared budget.
pub(crate) fn read(
    bytes: &[u8],
    password: Option<&str>,
    budget: &mut Budget,
) -> Result<ConfigurationProfile, FormatError> {
    if bytes.first() == Some(&0x30) {
        return read_signed(cms::read(bytes)?, password, budget);
    }
    from_plist_bytes(bytes, password, budget)
}

/// The profile inside a decoded SignedData.
pub(crate) fn read_signed(
    signed: SignedData,
    password: Option<&str>,
    budget: &mut Budget,
) -> Result<ConfigurationProfile, FormatError> {
    let content = signed.content.ok_or_else(|| FormatError::Invalid {
        what: "signed configuration profile",
        reason: "the CMS envelope holds no content".into(),
    })?;
    let mut profile = from_plist_bytes(&content, password, budget)?;
    profile.signed_by = signed.signer;
    Ok(profile)
}

/// Parses a property list (after the bounds checks) and reads the profile in it.
fn from_plist_bytes(
    bytes: &[u8],
    password: Option<&str>,
    budget: &mut Budget,
) -> Result<ConfigurationProfile, FormatError> {
    let text = trim_text_start(bytes);
    if bytes.starts_with(b"bplist") {
        plist_guard::check_binary(bytes)?;
    } else if looks_like_xml_plist(text) {
        plist_guard::check_xml(bytes)?;
    } else {
        return Err(invalid(
            "neither an XML nor a binary property list, nor a CMS envelope".into(),
        ));
    }
    let value = Value::from_reader(Cursor::new(bytes)).map_err(FormatError::Plist)?;
    from_value(&value, password, budget)
}

/// Reads the profile dictionary.
fn from_value(
    value: &Value,
    password: Option<&str>,
    budget: &mut Budget,
) -> Result<ConfigurationProfile, FormatError> {
    let top = value
        .as_dictionary()
        .ok_or_else(|| invalid("the top level is not a dictionary".into()))?;
    match string(top, "PayloadType") {
        Some("Configuration") => {}
        other => {
            return Err(invalid(format!(
                "PayloadType is {other:?}, not \"Configuration\": not a configuration profile"
            )));
        }
    }
    if top.contains_key("EncryptedPayloadContent") {
        return Err(FormatError::Unsupported {
            what: "configuration profile",
            detail: "encrypted payloads (EncryptedPayloadContent): only the device they were \
                     encrypted for can read them"
                .into(),
        });
    }
    let identifier = string(top, "PayloadIdentifier")
        .ok_or_else(|| invalid("no PayloadIdentifier".into()))?
        .to_owned();
    let mut profile = ConfigurationProfile {
        identifier,
        display_name: string(top, "PayloadDisplayName").map(str::to_owned),
        roots: Vec::new(),
        certificates: Vec::new(),
        identities: Vec::new(),
        identities_needing_password: Vec::new(),
        other_payload_types: Vec::new(),
        signed_by: None,
    };
    let payloads = match top.get("PayloadContent") {
        None => return Ok(profile),
        Some(content) => content
            .as_array()
            .ok_or_else(|| invalid("PayloadContent is not an array".into()))?,
    };
    for (index, payload) in payloads.iter().enumerate() {
        let payload = payload
            .as_dictionary()
            .ok_or_else(|| invalid(format!("payload {index} is not a dictionary")))?;
        let name = string(payload, "PayloadIdentifier")
            .map_or_else(|| format!("payload {index}"), str::to_owned);
        let Some(payload_type) = string(payload, "PayloadType") else {
            return Err(invalid(format!("{name} has no PayloadType")));
        };
        let content = || {
            payload
                .get("PayloadContent")
                .and_then(Value::as_data)
                .ok_or_else(|| {
                    invalid(format!(
                        "{name} ({payload_type}) has no PayloadContent data"
                    ))
                })
        };
        let certificates = |bytes: &[u8]| {
            Certificate::from_bytes(bytes).map_err(|e| FormatError::Certificate {
                what: format!("{name} ({payload_type})"),
                source: Box::new(e),
            })
        };
        match payload_type {
            PAYLOAD_ROOT => profile.roots.extend(certificates(content()?)?),
            PAYLOAD_PKCS1 | PAYLOAD_PEM => profile.certificates.extend(certificates(content()?)?),
            PAYLOAD_PKCS12 => match string(payload, "Password").or(password) {
                Some(pw) => {
                    let identity = pkcs12::read(content()?, Some(pw), budget).map_err(|e| {
                        FormatError::Payload {
                            payload: name.clone(),
                            source: Box::new(e),
                        }
                    })?;
                    profile.identities.push(identity);
                }
                None => profile.identities_needing_password.push(name),
            },
            other => profile.other_payload_types.push(other.to_owned()),
        }
    }
    Ok(profile)
}

/// A string value of `dict`.
fn string<'a>(dict: &'a Dictionary, key: &str) -> Option<&'a str> {
    dict.get(key).and_then(Value::as_string)
}

fn invalid(reason: String) -> FormatError {
    FormatError::Invalid {
        what: "configuration profile",
        reason,
    }
}
