//! PKCS#12 files (`.p12`/`.pfx`, RFC 7292) in password integrity and privacy modes: the
//! identity's certificate and the other certificates inside.
//!
//! ```text
//! PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
//! AuthenticatedSafe ::= SEQUENCE OF ContentInfo   -- data or encryptedData
//! SafeContents ::= SEQUENCE OF SafeBag
//! SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF ... OPTIONAL }
//! ```
//!
//! Key bags are recognised but never decrypted: their `localKeyId` attribute (outside the
//! encryption) is enough to find the certificate they belong to.

use const_oid::ObjectIdentifier;

use super::pbe::{self, Password};
use super::{Budget, FormatError, ber, check_len, malformed};
use crate::certificate::Certificate;
use crate::certificate::tlv::{self, Tlv, tag};
use crate::crypto::Hash;
use crate::error::Error;

/// PKCS#7 `data`.
const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
/// PKCS#7 `signedData` (public-key integrity mode).
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// PKCS#7 `envelopedData` (public-key privacy mode).
const ID_ENVELOPED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.3");
/// PKCS#7 `encryptedData` (password privacy mode).
const ID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
/// keyBag: an unencrypted PrivateKeyInfo.
const KEY_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.1");
/// pkcs8ShroudedKeyBag: an EncryptedPrivateKeyInfo.
const SHROUDED_KEY_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.2");
/// certBag.
const CERT_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.3");
/// safeContentsBag: nested SafeContents.
const SAFE_CONTENTS_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.6");
/// x509Certificate (the certBag type carrying a DER certificate).
const X509_CERTIFICATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.22.1");
/// friendlyName attribute (BMPString).
const FRIENDLY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.20");
/// localKeyId attribute (OCTET STRING).
const LOCAL_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.21");

/// Deepest nesting of safeContentsBags accepted; writers use none.
const MAX_BAG_NESTING: usize = 4;

/// An identity from a PKCS#12 file: its certificate and the certificates that came with it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Identity {
    /// The identity's certificate: the one whose `localKeyId` matches a key bag's; without
    /// such a match, the first end-entity (non-CA) certificate; failing that, the first.
    pub certificate: Certificate,
    /// The other certificates in the file, in file order (usually the issuing chain; the
    /// evaluator builds the path, so order does not matter).
    pub chain: Vec<Certificate>,
    /// The certificate's (or its key's) `friendlyName` attribute — Keychain's label.
    pub friendly_name: Option<String>,
    /// Whether the file holds the certificate's private key (matched by `localKeyId`, or the
    /// file's keys carry no `localKeyId` to match). The key itself is never decrypted.
    pub has_private_key: bool,
}

/// Reads a PKCS#12 file (DER or BER) with `password` (`""` for none).
///
/// A MAC that does not match is [`FormatError::WrongPassword`] — a wrong password or a damaged
/// file; the MAC cannot tell which.
pub fn read_pkcs12(der: &[u8], password: &str) -> Result<Identity, Error> {
    check_len(der)?;
    Ok(read(der, Some(password), &mut Budget::new())?)
}

/// [`read_pkcs12`] with a shared budget; `None` tries the empty password and reports
/// [`FormatError::PasswordRequired`] when it is not the password.
pub(crate) fn read(
    input: &[u8],
    password: Option<&str>,
    budget: &mut Budget,
) -> Result<Identity, FormatError> {
    let der = ber::to_der(input).map_err(malformed("PKCS#12 PFX"))?;
    let pfx = ber::sequence(&der).map_err(malformed("PKCS#12 PFX"))?;
    let mut r = pfx.reader();
    let version = tlv::uint_u32(&r.read(tag::INTEGER).map_err(malformed("PKCS#12 version"))?)
        .map_err(malformed("PKCS#12 version"))?;
    if version != 3 {
        return Err(unsupported(format!(
            "PFX version {version} (only 3 exists)"
        )));
    }
    let auth_safe = r
        .read(tag::SEQUENCE)
        .map_err(malformed("PKCS#12 authSafe"))?;
    let mac_data = r
        .read_optional(tag::SEQUENCE)
        .map_err(malformed("PKCS#12 macData"))?;
    r.finish().map_err(malformed("PKCS#12 PFX"))?;

    let (content_type, content) = content_info(&auth_safe, "PKCS#12 authSafe")?;
    match content_type {
        ID_DATA => {}
        ID_SIGNED_DATA => {
            return Err(unsupported(
                "public-key integrity mode (authSafe is signedData)".into(),
            ));
        }
        other => return Err(unsupported(format!("authSafe content type {other}"))),
    }
    let auth_safe_octets = octet_string(&content, "PKCS#12 authSafe content")?;

    let candidates = Password::candidates(password.unwrap_or(""));
    let (password_checked, chosen) = match mac_data {
        Some(mac) => (
            true,
            verify_mac(&mac, auth_safe_octets, &candidates, password, budget)?,
        ),
        None => (false, candidates[0].clone()),
    };

    const SAFE: &str = "PKCS#12 AuthenticatedSafe";
    let safe = ber::to_der(auth_safe_octets).map_err(malformed(SAFE))?;
    let seq = ber::sequence(&safe).map_err(malformed(SAFE))?;
    let mut bags = Bags::default();
    let mut entries = seq.reader();
    while !entries.is_empty() {
        let entry = entries
            .read(tag::SEQUENCE)
            .map_err(malformed("PKCS#12 AuthenticatedSafe entry"))?;
        let (content_type, content) = content_info(&entry, "PKCS#12 AuthenticatedSafe entry")?;
        match content_type {
            ID_DATA => {
                let octets = octet_string(&content, "PKCS#12 SafeContents")?;
                bags.read_safe_contents(octets, 0)?;
            }
            ID_ENCRYPTED_DATA => {
                let plain = decrypt_encrypted_data(&content, &chosen, budget)?;
                let read = bags.read_safe_contents(&plain, 0);
                if !password_checked && matches!(read, Err(FormatError::Malformed { .. })) {
                    // Without a MAC a wrong key can also yield valid padding over garbage.
                    return Err(FormatError::WrongPassword {
                        what: "decrypted data does not decode (the file has no MAC)",
                    });
                }
                read?;
            }
            ID_ENVELOPED_DATA => {
                return Err(unsupported(
                    "public-key privacy mode (envelopedData)".into(),
                ));
            }
            other => {
                return Err(unsupported(format!(
                    "AuthenticatedSafe content type {other}"
                )));
            }
        }
    }
    bags.into_identity()
}

/// `ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }`: the type and
/// the explicit content.
fn content_info<'a>(
    info: &Tlv<'a>,
    what: &'static str,
) -> Result<(ObjectIdentifier, Tlv<'a>), FormatError> {
    let mut r = info.reader();
    let content_type = tlv::read_oid(&mut r).map_err(malformed(what))?;
    let wrapper = r.read(0xA0).map_err(malformed(what))?;
    r.finish().map_err(malformed(what))?;
    let mut inner = wrapper.reader();
    let content = inner.read_any().map_err(malformed(what))?;
    inner.finish().map_err(malformed(what))?;
    Ok((content_type, content))
}

/// The content of an element that must be an OCTET STRING.
fn octet_string<'a>(element: &Tlv<'a>, what: &'static str) -> Result<&'a [u8], FormatError> {
    if element.is(tag::OCTET_STRING) {
        Ok(element.value)
    } else {
        Err(FormatError::Invalid {
            what,
            reason: format!("expected an OCTET STRING, found tag 0x{:02x}", element.tag),
        })
    }
}

/// Checks `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER
/// DEFAULT 1 }` against each password encoding; returns the one that matches.
fn verify_mac(
    mac_data: &Tlv<'_>,
    data: &[u8],
    candidates: &[Password],
    password: Option<&str>,
    budget: &mut Budget,
) -> Result<Password, FormatError> {
    const WHAT: &str = "PKCS#12 macData";
    let mut r = mac_data.reader();
    let digest_info = r.read(tag::SEQUENCE).map_err(malformed(WHAT))?;
    let salt = r.read(tag::OCTET_STRING).map_err(malformed(WHAT))?.value;
    let iterations = match r.read_optional(tag::INTEGER).map_err(malformed(WHAT))? {
        Some(i) => pbe::uint(&i)?,
        None => 1,
    };
    r.finish().map_err(malformed(WHAT))?;
    let mut dr = digest_info.reader();
    let algorithm = dr.read(tag::SEQUENCE).map_err(malformed(WHAT))?;
    let expected = dr.read(tag::OCTET_STRING).map_err(malformed(WHAT))?.value;
    dr.finish().map_err(malformed(WHAT))?;
    let mut ar = algorithm.reader();
    let digest = tlv::read_oid(&mut ar).map_err(malformed(WHAT))?;
    // Hash parameters are NULL or absent (RFC 5754 §2).
    ar.read_optional(tag::NULL).map_err(malformed(WHAT))?;
    ar.finish().map_err(malformed(WHAT))?;
    if digest == pbe::oid::PBMAC1 {
        return Err(unsupported("PBMAC1 (RFC 9579) MAC".into()));
    }
    let hash = Hash::from_digest_oid(&digest)
        .ok_or_else(|| unsupported(format!("MAC digest {digest}")))?;
    if expected.len() != hash.len() {
        return Err(FormatError::Invalid {
            what: WHAT,
            reason: format!(
                "MAC is {} bytes, {hash:?} gives {}",
                expected.len(),
                hash.len()
            ),
        });
    }
    for candidate in candidates {
        if pbe::mac_matches(hash, candidate, salt, iterations, data, expected, budget)? {
            return Ok(candidate.clone());
        }
    }
    Err(match password {
        None => FormatError::PasswordRequired {
            what: "the PKCS#12 file".into(),
        },
        Some(_) => FormatError::WrongPassword {
            what: "the PKCS#12 MAC does not match",
        },
    })
}

/// `EncryptedData ::= SEQUENCE { version, EncryptedContentInfo }`, with
/// `EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm,
/// encryptedContent [0] IMPLICIT OCTET STRING }` (primitive, or constructed chunks in BER).
fn decrypt_encrypted_data(
    content: &Tlv<'_>,
    password: &Password,
    budget: &mut Budget,
) -> Result<Vec<u8>, FormatError> {
    const WHAT: &str = "PKCS#12 EncryptedData";
    if !content.is(tag::SEQUENCE) {
        return Err(malformed(WHAT)(content.value_error()));
    }
    let mut r = content.reader();
    r.read(tag::INTEGER).map_err(malformed(WHAT))?;
    let info = r.read(tag::SEQUENCE).map_err(malformed(WHAT))?;
    r.finish().map_err(malformed(WHAT))?;
    let mut ir = info.reader();
    tlv::read_oid(&mut ir).map_err(malformed(WHAT))?;
    let algorithm = ir.read(tag::SEQUENCE).map_err(malformed(WHAT))?;
    let ciphertext = match ir.read_any().map_err(malformed(WHAT))? {
        t if t.is(0x80) => t.value.to_vec(),
        t if t.is(0xA0) => {
            let mut chunks = t.reader();
            let mut all = Vec::new();
            while !chunks.is_empty() {
                all.extend_from_slice(
                    chunks
                        .read(tag::OCTET_STRING)
                        .map_err(malformed(WHAT))?
                        .value,
                );
            }
            all
        }
        t => return Err(malformed(WHAT)(t.value_error())),
    };
    ir.finish().map_err(malformed(WHAT))?;
    pbe::decrypt(&algorithm, &ciphertext, password, budget)
}

/// A certificate bag and its attributes.
struct CertEntry {
    cert: Certificate,
    local_key_id: Option<Vec<u8>>,
    friendly_name: Option<String>,
}

/// A key bag's attributes.
struct KeyEntry {
    local_key_id: Option<Vec<u8>>,
    friendly_name: Option<String>,
}

/// Everything gathered from the SafeContents.
#[derive(Default)]
struct Bags {
    certs: Vec<CertEntry>,
    keys: Vec<KeyEntry>,
}

impl Bags {
    /// Reads `SafeContents ::= SEQUENCE OF SafeBag` (DER or BER).
    fn read_safe_contents(&mut self, input: &[u8], depth: usize) -> Result<(), FormatError> {
        const WHAT: &str = "PKCS#12 SafeContents";
        if depth > MAX_BAG_NESTING {
            return Err(FormatError::Limit {
                what: "nesting of PKCS#12 safeContentsBags",
                value: depth as u64,
                limit: MAX_BAG_NESTING as u64,
            });
        }
        let der = ber::to_der(input).map_err(malformed(WHAT))?;
        let seq = ber::sequence(&der).map_err(malformed(WHAT))?;
        let mut r = seq.reader();
        while !r.is_empty() {
            let bag = r
                .read(tag::SEQUENCE)
                .map_err(malformed("PKCS#12 SafeBag"))?;
            self.read_bag(&bag, depth)?;
        }
        Ok(())
    }

    fn read_bag(&mut self, bag: &Tlv<'_>, depth: usize) -> Result<(), FormatError> {
        const WHAT: &str = "PKCS#12 SafeBag";
        let mut r = bag.reader();
        let bag_id = tlv::read_oid(&mut r).map_err(malformed(WHAT))?;
        let wrapper = r.read(0xA0).map_err(malformed(WHAT))?;
        let attributes = r.read_optional(tag::SET).map_err(malformed(WHAT))?;
        r.finish().map_err(malformed(WHAT))?;
        let mut vr = wrapper.reader();
        let value = vr.read_any().map_err(malformed(WHAT))?;
        vr.finish().map_err(malformed(WHAT))?;
        let (local_key_id, friendly_name) = match attributes {
            Some(set) => read_attributes(&set)?,
            None => (None, None),
        };
        match bag_id {
            CERT_BAG => {
                let mut cr = value.reader();
                let cert_type = tlv::read_oid(&mut cr).map_err(malformed("PKCS#12 CertBag"))?;
                let wrapper = cr.read(0xA0).map_err(malformed("PKCS#12 CertBag"))?;
                if cert_type != X509_CERTIFICATE {
                    return Ok(()); // sdsiCertificate and others: nothing to evaluate.
                }
                let mut wr = wrapper.reader();
                let der = octet_string(
                    &wr.read_any().map_err(malformed("PKCS#12 CertBag"))?,
                    "PKCS#12 CertBag",
                )?;
                let index = self.certs.len();
                let cert = Certificate::from_der(der).map_err(|e| FormatError::Certificate {
                    what: format!("PKCS#12 certificate bag {index}"),
                    source: Box::new(e),
                })?;
                self.certs.push(CertEntry {
                    cert,
                    local_key_id,
                    friendly_name,
                });
            }
            KEY_BAG | SHROUDED_KEY_BAG => self.keys.push(KeyEntry {
                local_key_id,
                friendly_name,
            }),
            SAFE_CONTENTS_BAG => self.read_safe_contents(value.raw, depth + 1)?,
            _ => {} // crlBag, secretBag: not used for trust.
        }
        Ok(())
    }

    /// Picks the identity certificate (see [`Identity::certificate`]).
    fn into_identity(mut self) -> Result<Identity, FormatError> {
        let key_match = self.certs.iter().position(|c| {
            c.local_key_id.as_ref().is_some_and(|id| {
                self.keys
                    .iter()
                    .any(|k| k.local_key_id.as_ref() == Some(id))
            })
        });
        let index = key_match
            .or_else(|| self.certs.iter().position(|c| !c.cert.is_ca()))
            .or((!self.certs.is_empty()).then_some(0))
            .ok_or_else(|| FormatError::Invalid {
                what: "PKCS#12 file",
                reason: "it contains no X.509 certificate".into(),
            })?;
        let entry = self.certs.remove(index);
        let key = entry.local_key_id.as_ref().and_then(|id| {
            self.keys
                .iter()
                .find(|k| k.local_key_id.as_ref() == Some(id))
        });
        let keys_without_ids =
            !self.keys.is_empty() && self.keys.iter().all(|k| k.local_key_id.is_none());
        Ok(Identity {
            friendly_name: entry
                .friendly_name
                .or_else(|| key.and_then(|k| k.friendly_name.clone())),
            has_private_key: key.is_some() || keys_without_ids,
            certificate: entry.cert,
            chain: self.certs.into_iter().map(|c| c.cert).collect(),
        })
    }
}

/// `SET OF SEQUENCE { attrId OID, attrValues SET OF ANY }`: localKeyId and friendlyName.
fn read_attributes(set: &Tlv<'_>) -> Result<(Option<Vec<u8>>, Option<String>), FormatError> {
    const WHAT: &str = "PKCS#12 bag attributes";
    let (mut local_key_id, mut friendly_name) = (None, None);
    let mut r = set.reader();
    while !r.is_empty() {
        let attribute = r.read(tag::SEQUENCE).map_err(malformed(WHAT))?;
        let mut ar = attribute.reader();
        let id = tlv::read_oid(&mut ar).map_err(malformed(WHAT))?;
        let values = ar.read(tag::SET).map_err(malformed(WHAT))?;
        let Ok(first) = values.reader().read_any() else {
            continue;
        };
        match id {
            LOCAL_KEY_ID if first.is(tag::OCTET_STRING) => {
                local_key_id = Some(first.value.to_vec());
            }
            FRIENDLY_NAME if first.is(tag::BMP_STRING) && first.value.len() % 2 == 0 => {
                let units: Vec<u16> = first
                    .value
                    .chunks_exact(2)
                    .map(|p| u16::from_be_bytes([p[0], p[1]]))
                    .collect();
                friendly_name = Some(String::from_utf16_lossy(&units));
            }
            _ => {}
        }
    }
    Ok((local_key_id, friendly_name))
}

fn unsupported(detail: String) -> FormatError {
    FormatError::Unsupported {
        what: "PKCS#12",
        detail,
    }
}
