//! Apple's trust-store snapshots (the `apple-roots` collection: `stores.json` plus
//! `certs/<sha256>.cer`), read from text and bytes the caller supplies (feature
//! `apple-roots`). The library stays I/O-free: the caller reads the files.

use std::collections::BTreeMap;

use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use super::SystemStore;
use crate::certificate::Certificate;
use crate::error::Error;
use crate::platform::Platform;

/// The organisation that marks a root as one of Apple's own (`subject O=Apple Inc.`).
pub const APPLE_ORGANIZATION: &str = "Apple Inc.";

/// One tag of the collection: the certificates of each folder of that source release.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoreSnapshot {
    /// The tag, e.g. `security_certificates-55016`.
    pub tag: String,
    /// The author date of the tag's commit (the source release's date).
    pub date: Date,
    /// SHA-256 of the system roots.
    pub roots: Vec<[u8; 32]>,
    /// SHA-256 of the `distrusted` folder's certificates.
    pub distrusted: Vec<[u8; 32]>,
    /// SHA-256 of the `revoked` folder's certificates.
    pub revoked: Vec<[u8; 32]>,
    /// SHA-256 of the `removed` folder's certificates.
    pub removed: Vec<[u8; 32]>,
}

impl StoreSnapshot {
    /// The tag without its `security_certificates-` prefix, e.g. `55016`.
    pub fn short_tag(&self) -> &str {
        self.tag
            .strip_prefix("security_certificates-")
            .unwrap_or(&self.tag)
    }
}

/// What `stores.json` says about one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CertificateInfo {
    /// SHA-256 of the DER (the file name under `certs/`).
    pub sha256: [u8; 32],
    /// The subject, RFC 4514.
    pub subject: String,
    /// SHA-256 of the SubjectPublicKeyInfo.
    pub spki_sha256: [u8; 32],
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds.
    pub not_after: i64,
    /// `RSA-<bits>` or `EC-P256/P384/P521`.
    pub key: String,
    /// `md2`, `md5`, `sha1`, `sha256`, …
    pub signature_hash: String,
    /// Every file name the certificate had in the collected folders.
    pub file_names: Vec<String>,
}

/// Which snapshot to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSelector {
    /// A tag, with or without its `security_certificates-` prefix (`"55161.0.3"`).
    Tag(String),
    /// The latest snapshot dated on or before this day.
    OnOrBefore(Date),
    /// The latest snapshot dated on or before the profile's release date
    /// ([`Platform::release_date`]).
    Platform(Platform),
}

impl From<&str> for StoreSelector {
    fn from(tag: &str) -> Self {
        StoreSelector::Tag(tag.to_owned())
    }
}

impl From<Date> for StoreSelector {
    fn from(date: Date) -> Self {
        StoreSelector::OnOrBefore(date)
    }
}

impl From<Platform> for StoreSelector {
    fn from(platform: Platform) -> Self {
        StoreSelector::Platform(platform)
    }
}

/// The parsed `stores.json` of the apple-roots collection.
///
/// Snapshots come from Apple's source releases, not from devices: before iOS 12 read them as
/// the macOS store (apple-roots README). Select one with [`select`](Self::select) and build a
/// [`SystemStore`] with [`system_store`](Self::system_store); the certificates' hashes also
/// feed [`DistrustRule`](crate::distrust::DistrustRule)s
/// ([`sha256_where`](Self::sha256_where)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppleRoots {
    snapshots: Vec<StoreSnapshot>,
    certificates: BTreeMap<[u8; 32], CertificateInfo>,
}

#[derive(Deserialize)]
struct RawFile {
    stores: Vec<RawStore>,
    certificates: BTreeMap<String, RawCertificate>,
}

#[derive(Deserialize)]
struct RawStore {
    tag: String,
    date: String,
    #[serde(default)]
    roots: Vec<String>,
    #[serde(default)]
    distrusted: Vec<String>,
    #[serde(default)]
    revoked: Vec<String>,
    #[serde(default)]
    removed: Vec<String>,
}

#[derive(Deserialize)]
struct RawCertificate {
    subject: String,
    spki_sha256: String,
    not_before: String,
    not_after: String,
    key: String,
    signature_hash: String,
    #[serde(default)]
    file_names: Vec<String>,
}

fn data_error(reason: impl Into<String>) -> Error {
    Error::StoreData(reason.into())
}

/// A lower-case or upper-case 64-digit hex SHA-256.
fn parse_sha256(hex: &str) -> Result<[u8; 32], Error> {
    crate::certificate::parse_sha256_hex(hex)
        .ok_or_else(|| data_error(format!("{hex:?} is not a hex SHA-256")))
}

fn parse_list(list: &[String]) -> Result<Vec<[u8; 32]>, Error> {
    list.iter().map(|h| parse_sha256(h)).collect()
}

fn parse_time(s: &str) -> Result<i64, Error> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|e| data_error(format!("time {s:?}: {e}")))
}

impl AppleRoots {
    /// Parses `stores.json`.
    pub fn from_json(stores_json: &str) -> Result<Self, Error> {
        let raw: RawFile = serde_json::from_str(stores_json)
            .map_err(|e| data_error(format!("stores.json: {e}")))?;
        let day = format_description!("[year]-[month]-[day]");
        let snapshots = raw
            .stores
            .iter()
            .map(|s| {
                Ok(StoreSnapshot {
                    tag: s.tag.clone(),
                    date: Date::parse(&s.date, &day).map_err(|e| {
                        data_error(format!("tag {}: date {:?}: {e}", s.tag, s.date))
                    })?,
                    roots: parse_list(&s.roots)?,
                    distrusted: parse_list(&s.distrusted)?,
                    revoked: parse_list(&s.revoked)?,
                    removed: parse_list(&s.removed)?,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let certificates = raw
            .certificates
            .into_iter()
            .map(|(sha, c)| {
                let sha256 = parse_sha256(&sha)?;
                Ok((
                    sha256,
                    CertificateInfo {
                        sha256,
                        subject: c.subject,
                        spki_sha256: parse_sha256(&c.spki_sha256)?,
                        not_before: parse_time(&c.not_before)?,
                        not_after: parse_time(&c.not_after)?,
                        key: c.key,
                        signature_hash: c.signature_hash,
                        file_names: c.file_names,
                    },
                ))
            })
            .collect::<Result<BTreeMap<_, _>, Error>>()?;
        Ok(AppleRoots {
            snapshots,
            certificates,
        })
    }

    /// Every snapshot, in the file's order.
    pub fn snapshots(&self) -> &[StoreSnapshot] {
        &self.snapshots
    }

    /// The snapshot with this tag (with or without the `security_certificates-` prefix).
    pub fn snapshot(&self, tag: &str) -> Option<&StoreSnapshot> {
        self.snapshots
            .iter()
            .find(|s| s.tag == tag || s.short_tag() == tag)
    }

    /// The latest snapshot dated on or before `date` (apple-roots README, "Mapping a store to
    /// an OS release").
    pub fn snapshot_on(&self, date: Date) -> Option<&StoreSnapshot> {
        self.snapshots
            .iter()
            .filter(|s| s.date <= date)
            .max_by_key(|s| s.date)
    }

    /// The snapshot for `platform`: the latest one dated on or before its release date.
    pub fn snapshot_for(&self, platform: Platform) -> Option<&StoreSnapshot> {
        self.snapshot_on(platform.release_date()?)
    }

    /// The snapshot `selector` names, or an error saying why there is none.
    pub fn select(&self, selector: &StoreSelector) -> Result<&StoreSnapshot, Error> {
        match selector {
            StoreSelector::Tag(tag) => self
                .snapshot(tag)
                .ok_or_else(|| data_error(format!("no snapshot tagged {tag:?}"))),
            StoreSelector::OnOrBefore(date) => self
                .snapshot_on(*date)
                .ok_or_else(|| data_error(format!("no snapshot dated on or before {date}"))),
            StoreSelector::Platform(p) => {
                let date = p
                    .release_date()
                    .ok_or_else(|| data_error(format!("no release date known for {p}")))?;
                self.snapshot_on(date).ok_or_else(|| {
                    data_error(format!(
                        "no snapshot dated on or before {date}, the release date of {p}"
                    ))
                })
            }
        }
    }

    /// What the file says about the certificate with this SHA-256.
    pub fn certificate(&self, sha256: &[u8; 32]) -> Option<&CertificateInfo> {
        self.certificates.get(sha256)
    }

    /// Every certificate of the file, by SHA-256.
    pub fn certificates(&self) -> impl Iterator<Item = &CertificateInfo> {
        self.certificates.values()
    }

    /// The SHA-256 of every certificate `pred` selects, in hash order — for instance a CA
    /// family's certificates by subject, to build a
    /// [`DistrustRule`](crate::distrust::DistrustRule).
    pub fn sha256_where(&self, mut pred: impl FnMut(&CertificateInfo) -> bool) -> Vec<[u8; 32]> {
        self.certificates
            .values()
            .filter(|c| pred(c))
            .map(|c| c.sha256)
            .collect()
    }

    /// The system store of `snapshot`: its `roots`, each read by `load_cert` (given the
    /// lower-case hex SHA-256, it returns the DER — the bytes of `certs/<sha256>.cer`). Roots
    /// whose subject has `O=Apple Inc.` are marked as Apple's own roots.
    ///
    /// Errors when a certificate is missing, does not parse, or does not hash to its name.
    pub fn system_store(
        &self,
        snapshot: &StoreSnapshot,
        mut load_cert: impl FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<SystemStore, Error> {
        let mut store = SystemStore::new();
        for sha in &snapshot.roots {
            let name = crate::certificate::hex(sha);
            let der = load_cert(&name).ok_or_else(|| {
                data_error(format!("{}: root {name} could not be read", snapshot.tag))
            })?;
            let cert = Certificate::from_der(&der)
                .map_err(|e| data_error(format!("{}: root {name}: {e}", snapshot.tag)))?;
            if cert.sha256() != sha {
                return Err(data_error(format!(
                    "{}: the bytes given for root {name} hash to {}",
                    snapshot.tag,
                    cert.sha256_hex()
                )));
            }
            if is_apple_owned(&cert) {
                store.add_apple_root(cert);
            } else {
                store.add(cert);
            }
        }
        Ok(store)
    }
}

/// Whether `cert`'s subject names Apple as its organisation.
pub fn is_apple_owned(cert: &Certificate) -> bool {
    cert.subject()
        .organizations()
        .any(|o| o == APPLE_ORGANIZATION)
}

impl SystemStore {
    /// The system store of one apple-roots snapshot: parses `stores_json`, picks the snapshot
    /// `selector` names (a tag, a date, or a [`Platform`] — the latest snapshot dated on or
    /// before its release), and reads each root through `load_cert` (lower-case hex SHA-256 →
    /// DER). Apple-owned roots (`O=Apple Inc.`) are marked with
    /// [`add_apple_root`](Self::add_apple_root). No I/O: the caller reads the files.
    ///
    /// ```no_run
    /// use std::path::Path;
    /// use sectrust::{Platform, SystemStore};
    /// let dir = Path::new("../shared/apple-roots");
    /// let json = std::fs::read_to_string(dir.join("stores.json"))?;
    /// let store = SystemStore::from_apple_roots_json(
    ///     &json,
    ///     |sha| std::fs::read(dir.join("certs").join(format!("{sha}.cer"))).ok(),
    ///     Platform::ios(17, 0),
    /// )?;
    /// # let _ = store;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_apple_roots_json(
        stores_json: &str,
        load_cert: impl FnMut(&str) -> Option<Vec<u8>>,
        selector: impl Into<StoreSelector>,
    ) -> Result<SystemStore, Error> {
        let roots = AppleRoots::from_json(stores_json)?;
        let snapshot = roots.select(&selector.into())?;
        roots.system_store(snapshot, load_cert)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{
      "source": "test",
      "stores": [
        {"tag": "security_certificates-1", "date": "2015-01-01", "roots": [], "distrusted": [], "revoked": [], "removed": []},
        {"tag": "security_certificates-2", "date": "2017-07-26", "roots": [], "distrusted": [], "revoked": [], "removed": []}
      ],
      "certificates": {}
    }"#;

    #[test]
    fn selects_the_latest_snapshot_on_or_before() {
        let r = AppleRoots::from_json(JSON).unwrap();
        let tag = |s: StoreSelector| r.select(&s).map(|s| s.short_tag().to_owned());
        assert_eq!(tag("2".into()).unwrap(), "2");
        assert_eq!(tag("security_certificates-1".into()).unwrap(), "1");
        assert_eq!(tag(Platform::ios(10, 0).into()).unwrap(), "1");
        assert_eq!(tag(Platform::ios(11, 0).into()).unwrap(), "2");
        assert!(tag(Platform::ios(8, 0).into()).is_err());
        assert!(tag("3".into()).is_err());
    }

    #[test]
    fn rejects_bad_hashes() {
        let bad = JSON.replace(
            r#""roots": [], "distrusted""#,
            r#""roots": ["zz"], "distrusted""#,
        );
        assert!(matches!(
            AppleRoots::from_json(&bad),
            Err(Error::StoreData(_))
        ));
        assert_eq!(parse_sha256(&"Ab".repeat(32)).unwrap(), [0xab; 32]);
    }
}
