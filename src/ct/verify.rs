//! SCT signature verification (RFC 6962 §3.2).
//!
//! A log signs a `digitally-signed` struct: `sct_version`, `signature_type`
//! (certificate_timestamp = 0), the timestamp, the `LogEntryType` (16 bits), the entry, and the
//! SCT's extensions (16-bit length). Embedded SCTs were issued over the precertificate
//! (`precert_entry` = 1: SHA-256 of the issuer's SubjectPublicKeyInfo, then the precertificate
//! TBS behind a 24-bit length); SCTs from the TLS extension or OCSP over the leaf itself
//! (`x509_entry` = 0: the leaf's DER behind a 24-bit length).

use sha2::{Digest, Sha256};

use super::log_list::{CtLog, CtLogList};
use super::outcome::{IgnoreReason, IgnoredSct};
use super::policy::VerifiedSct;
use super::sct::{Sct, SctOrigin, sct_list_from_extension_value, split_sct_list};
use super::{CtLeaf, MAX_SCTS, tbs};
use crate::crypto::{SignatureError, SignatureVerifier};

/// `LogEntryType` x509_entry.
const X509_ENTRY: u16 = 0;
/// `LogEntryType` precert_entry.
const PRECERT_ENTRY: u16 = 1;
/// Largest opaque body behind a 24-bit length.
const MAX_24: usize = (1 << 24) - 1;

/// The signed bytes for an SCT over a precertificate. `None` when the TBS exceeds its 24-bit
/// length or the extensions their 16-bit length.
pub fn signed_data_precert(
    issuer_key_hash: &[u8; 32],
    precert_tbs: &[u8],
    timestamp_ms: u64,
    extensions: &[u8],
) -> Option<Vec<u8>> {
    signed_data(
        PRECERT_ENTRY,
        Some(issuer_key_hash),
        precert_tbs,
        timestamp_ms,
        extensions,
    )
}

/// The signed bytes for an SCT over a certificate (`leaf_der`). `None` when the certificate
/// exceeds its 24-bit length or the extensions their 16-bit length.
pub fn signed_data_x509(leaf_der: &[u8], timestamp_ms: u64, extensions: &[u8]) -> Option<Vec<u8>> {
    signed_data(X509_ENTRY, None, leaf_der, timestamp_ms, extensions)
}

fn signed_data(
    entry_type: u16,
    issuer_key_hash: Option<&[u8; 32]>,
    body: &[u8],
    timestamp_ms: u64,
    extensions: &[u8],
) -> Option<Vec<u8>> {
    let ext_len = u16::try_from(extensions.len()).ok()?;
    if body.len() > MAX_24 {
        return None;
    }
    let mut out = Vec::with_capacity(1 + 1 + 8 + 2 + 32 + 3 + body.len() + 2 + extensions.len());
    out.push(0); // sct_version v1
    out.push(0); // signature_type certificate_timestamp
    out.extend(timestamp_ms.to_be_bytes());
    out.extend(entry_type.to_be_bytes());
    if let Some(hash) = issuer_key_hash {
        out.extend(hash);
    }
    out.extend(&(body.len() as u32).to_be_bytes()[1..]);
    out.extend(body);
    out.extend(ext_len.to_be_bytes());
    out.extend(extensions);
    Some(out)
}

/// What the log signed for SCTs of one origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogEntry<'a> {
    /// The leaf's DER (TLS extension and OCSP SCTs).
    X509(&'a [u8]),
    /// The precertificate (embedded SCTs).
    Precert {
        /// SHA-256 of the issuer's SubjectPublicKeyInfo DER.
        issuer_key_hash: [u8; 32],
        /// The leaf's TBS without the SCT-list extension ([`precert_tbs`](super::precert_tbs)).
        tbs: Vec<u8>,
    },
}

impl<'a> LogEntry<'a> {
    /// The precertificate entry of a leaf (its raw TBS) issued by the key in `issuer_spki_der`.
    pub fn precert(leaf_tbs_der: &[u8], issuer_spki_der: &[u8]) -> der::Result<LogEntry<'a>> {
        Ok(LogEntry::Precert {
            issuer_key_hash: Sha256::digest(issuer_spki_der).into(),
            tbs: tbs::precert_tbs(leaf_tbs_der)?,
        })
    }

    /// The bytes the log signed for `sct` over this entry.
    pub fn signed_data(&self, sct: &Sct) -> Option<Vec<u8>> {
        match self {
            LogEntry::X509(der) => signed_data_x509(der, sct.timestamp_ms, &sct.extensions),
            LogEntry::Precert {
                issuer_key_hash,
                tbs,
            } => signed_data_precert(issuer_key_hash, tbs, sct.timestamp_ms, &sct.extensions),
        }
    }
}

/// Verifies `sct` over `entry` with `log`'s key.
pub fn verify_sct(
    sct: &Sct,
    entry: &LogEntry<'_>,
    log: &CtLog,
    verifier: &dyn SignatureVerifier,
) -> Result<VerifiedSct, IgnoreReason> {
    if sct.log_id != log.id {
        return Err(IgnoreReason::UnknownLog);
    }
    let algorithm = sct
        .signature_algorithm()
        .ok_or(IgnoreReason::UnsupportedAlgorithm {
            hash: sct.hash_alg,
            sig: sct.sig_alg,
        })?;
    let message = entry.signed_data(sct).ok_or(IgnoreReason::EntryTooLong)?;
    verifier
        .verify(&algorithm, &log.key_spki_der, &message, &sct.signature)
        .map_err(|e| match e {
            SignatureError::Invalid => IgnoreReason::BadSignature,
            other => IgnoreReason::UnusableLogKey(other.to_string()),
        })?;
    Ok(VerifiedSct {
        log_id: sct.log_id,
        origin: sct.origin,
        timestamp_ms: sct.timestamp_ms,
    })
}

/// Reads every SCT of the leaf (embedded) and of `external` (TLS-encoded lists from the TLS
/// extension or OCSP), and verifies each against its log. At most [`MAX_SCTS`] SCTs are
/// examined; what did not verify is returned with its reason.
pub fn verify_scts(
    leaf: &CtLeaf<'_>,
    external: &[(SctOrigin, &[u8])],
    logs: &CtLogList,
    verifier: &dyn SignatureVerifier,
) -> (Vec<VerifiedSct>, Vec<IgnoredSct>) {
    let mut verified = Vec::new();
    let mut ignored = Vec::new();
    let list_error = |origin, reason| IgnoredSct {
        origin,
        log_id: None,
        timestamp_ms: None,
        reason,
    };

    let embedded = match tbs::embedded_sct_extension(leaf.tbs_der) {
        Ok(value) => value,
        Err(e) => {
            ignored.push(list_error(
                SctOrigin::Embedded,
                IgnoreReason::MalformedList(e.to_string()),
            ));
            None
        }
    };
    let mut lists: Vec<(SctOrigin, &[u8])> = Vec::new();
    if let Some(value) = &embedded {
        match sct_list_from_extension_value(value) {
            Ok(tls) => lists.push((SctOrigin::Embedded, tls)),
            Err(e) => ignored.push(list_error(
                SctOrigin::Embedded,
                IgnoreReason::MalformedList(e.to_string()),
            )),
        }
    }
    lists.extend_from_slice(external);

    let x509 = LogEntry::X509(leaf.der);
    let mut precert: Option<Result<LogEntry<'_>, IgnoreReason>> = None;
    let mut budget = MAX_SCTS;
    for (origin, tls) in lists {
        let items = match split_sct_list(tls) {
            Ok(items) => items,
            Err(e) => {
                ignored.push(list_error(
                    origin,
                    IgnoreReason::MalformedList(e.to_string()),
                ));
                continue;
            }
        };
        let examined = items.len().min(budget);
        budget -= examined;
        if examined < items.len() {
            ignored.push(list_error(
                origin,
                IgnoreReason::OverBudget {
                    skipped: items.len() - examined,
                },
            ));
        }
        for item in &items[..examined] {
            let sct = match Sct::parse(item, origin) {
                Ok(sct) => sct,
                Err(e) => {
                    ignored.push(list_error(origin, IgnoreReason::Malformed(e.to_string())));
                    continue;
                }
            };
            let entry = if origin == SctOrigin::Embedded {
                precert
                    .get_or_insert_with(|| match leaf.issuer_spki_der {
                        None => Err(IgnoreReason::MissingIssuer),
                        Some(spki) => LogEntry::precert(leaf.tbs_der, spki)
                            .map_err(|e| IgnoreReason::PrecertRebuild(e.to_string())),
                    })
                    .as_ref()
            } else {
                Ok(&x509)
            };
            let result = match (logs.get(&sct.log_id), entry) {
                (None, _) => Err(IgnoreReason::UnknownLog),
                (Some(_), Err(reason)) => Err(reason.clone()),
                (Some(log), Ok(entry)) => verify_sct(&sct, entry, log, verifier),
            };
            match result {
                Ok(v) => verified.push(v),
                Err(reason) => ignored.push(IgnoredSct {
                    origin,
                    log_id: Some(sct.log_id),
                    timestamp_ms: Some(sct.timestamp_ms),
                    reason,
                }),
            }
        }
    }
    (verified, ignored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::default_verifier;
    use crate::ct::SCT_LIST_OID;
    use crate::ct::log_list::LogState;
    use crate::testing::Pki;
    use crate::testing::ct::{TestLog, sct_list, with_embedded_scts};

    fn usable(seed: u64) -> TestLog {
        TestLog::new(seed, LogState::Usable { since: 0 })
    }

    /// The `digitally-signed` structs written out field by field from RFC 6962 §3.2.
    #[test]
    fn signed_data_follows_rfc_6962() {
        let ts: u64 = 0x0102_0304_0506_0708;
        let hash = [0x11; 32];
        let mut precert = vec![0, 0]; // v1, certificate_timestamp
        precert.extend(ts.to_be_bytes());
        precert.extend([0, 1]); // precert_entry
        precert.extend(hash);
        precert.extend([0, 0, 7]);
        precert.extend(b"precert");
        precert.extend([0, 0]); // no extensions
        assert_eq!(
            signed_data_precert(&hash, b"precert", ts, &[]).unwrap(),
            precert
        );
        let mut x509 = vec![0, 0];
        x509.extend(ts.to_be_bytes());
        x509.extend([0, 0]); // x509_entry
        x509.extend([0, 0, 4]);
        x509.extend(b"leaf");
        x509.extend([0, 3]);
        x509.extend(b"ext");
        assert_eq!(signed_data_x509(b"leaf", ts, b"ext").unwrap(), x509);
    }

    #[test]
    fn oversized_entries_are_refused() {
        assert!(signed_data_x509(b"c", 1, &vec![0; 65_536]).is_none());
        assert!(signed_data_x509(b"c", 1, &vec![0; 65_535]).is_some());
        assert!(signed_data_x509(&vec![0; MAX_24 + 1], 1, &[]).is_none());
    }

    /// An SCT over a generated leaf's DER verifies with the log's key on the crate's
    /// backend; changing any signed field breaks it.
    #[test]
    fn x509_signature_round_trip() {
        let verifier = default_verifier();
        let log = usable(101);
        let leaf = Pki::new().leaf;
        let sct = Sct::parse(
            &log.x509_sct(&leaf.der, Pki::T_VALID),
            SctOrigin::TlsExtension,
        )
        .unwrap();
        let entry = LogEntry::X509(&leaf.der);
        let ok = verify_sct(&sct, &entry, &log.log, verifier.as_ref()).unwrap();
        assert_eq!(
            (ok.log_id, ok.origin, ok.timestamp_ms),
            (
                log.log.id,
                SctOrigin::TlsExtension,
                u64::try_from(Pki::T_VALID).unwrap() * 1000
            )
        );
        let mut later = sct.clone();
        later.timestamp_ms += 1;
        assert_eq!(
            verify_sct(&later, &entry, &log.log, verifier.as_ref()),
            Err(IgnoreReason::BadSignature)
        );
        let other_leaf = Pki::new().root;
        assert_eq!(
            verify_sct(
                &sct,
                &LogEntry::X509(&other_leaf.der),
                &log.log,
                verifier.as_ref()
            ),
            Err(IgnoreReason::BadSignature)
        );
    }

    #[test]
    fn precert_signature_round_trip() {
        let verifier = default_verifier();
        let verifier = verifier.as_ref();
        let tl = usable(101);
        let pki = Pki::new();
        let (leaf, precert) = with_embedded_scts(pki.leaf_builder(), &[(&tl, Pki::T_VALID)]);
        let issuer_spki = pki.intermediate.cert.spki_der();
        let entry = LogEntry::precert(leaf.cert.tbs_der(), issuer_spki).unwrap();
        assert_eq!(
            entry,
            LogEntry::Precert {
                issuer_key_hash: *pki.intermediate.cert.spki_sha256(),
                tbs: precert.cert.tbs_der().to_vec(),
            }
        );
        let raw = tl.precert_sct(issuer_spki, precert.cert.tbs_der(), Pki::T_VALID);
        let sct = Sct::parse(&raw, SctOrigin::Embedded).unwrap();
        assert!(verify_sct(&sct, &entry, &tl.log, verifier).is_ok());
        // Over another entry, another key, or with another algorithm: no.
        let other = LogEntry::precert(leaf.cert.tbs_der(), pki.root.cert.spki_der()).unwrap();
        assert_eq!(
            verify_sct(&sct, &other, &tl.log, verifier),
            Err(IgnoreReason::BadSignature)
        );
        assert_eq!(
            verify_sct(&sct, &LogEntry::X509(&leaf.der), &tl.log, verifier),
            Err(IgnoreReason::BadSignature)
        );
        let stranger = usable(102);
        let mut moved = sct.clone();
        moved.log_id = stranger.log.id;
        assert_eq!(
            verify_sct(&moved, &entry, &stranger.log, verifier),
            Err(IgnoreReason::BadSignature)
        );
        assert_eq!(
            verify_sct(&sct, &entry, &stranger.log, verifier),
            Err(IgnoreReason::UnknownLog)
        );
        let mut sha384 = sct.clone();
        sha384.hash_alg = 5;
        assert_eq!(
            verify_sct(&sha384, &entry, &tl.log, verifier),
            Err(IgnoreReason::UnsupportedAlgorithm { hash: 5, sig: 3 })
        );
        let mut rsa = sct;
        rsa.sig_alg = 1;
        assert!(matches!(
            verify_sct(&rsa, &entry, &tl.log, verifier),
            Err(IgnoreReason::BadSignature | IgnoreReason::UnusableLogKey(_))
        ));
    }

    /// The whole pipeline on a generated leaf: embedded SCTs over the rebuilt precertificate,
    /// a TLS-extension SCT over the leaf DER, and the failures around them.
    #[test]
    fn verify_scts_end_to_end() {
        let pki = Pki::new();
        let (a, b) = (usable(101), usable(102));
        let issuer_spki = pki.intermediate.cert.spki_der().to_vec();
        let pre = pki.leaf.cert.tbs_der();
        let embedded = sct_list(&[
            a.precert_sct(&issuer_spki, pre, 1000),
            b.precert_sct(&issuer_spki, pre, 2000),
            // Signed for another issuer key: does not verify here.
            b.precert_sct(pki.root.cert.spki_der(), pre, 3000),
            vec![],
        ]);
        let leaf = pki
            .leaf_builder()
            .extension(
                SCT_LIST_OID,
                false,
                crate::testing::ct::sct_extension_value(&embedded),
            )
            .build();
        let external = sct_list(&[a.x509_sct(&leaf.der, 4000)]);
        let unknown = usable(103);
        let stray = sct_list(&[unknown.x509_sct(&leaf.der, 5000)]);
        let logs = CtLogList::new()
            .with_log(a.log.clone())
            .with_log(b.log.clone());
        let ct_leaf = CtLeaf::new(&leaf.cert, Some(&pki.intermediate.cert));
        let ext: [(SctOrigin, &[u8]); 3] = [
            (SctOrigin::TlsExtension, &external),
            (SctOrigin::Ocsp, &stray),
            (SctOrigin::Ocsp, &[1, 2, 3]),
        ];
        let verifier = default_verifier();
        let (ok, bad) = verify_scts(&ct_leaf, &ext, &logs, verifier.as_ref());
        let got: Vec<_> = ok
            .iter()
            .map(|v| (v.log_id, v.origin, v.timestamp_ms))
            .collect();
        assert_eq!(
            got,
            [
                (a.log.id, SctOrigin::Embedded, 1_000_000),
                (b.log.id, SctOrigin::Embedded, 2_000_000),
                (a.log.id, SctOrigin::TlsExtension, 4_000_000)
            ]
        );
        let why: Vec<_> = bad.iter().map(|i| (i.origin, i.reason.clone())).collect();
        assert_eq!(why.len(), 4, "{why:?}");
        assert_eq!(why[0], (SctOrigin::Embedded, IgnoreReason::BadSignature));
        assert!(matches!(
            why[1],
            (SctOrigin::Embedded, IgnoreReason::Malformed(_))
        ));
        assert_eq!(why[2], (SctOrigin::Ocsp, IgnoreReason::UnknownLog));
        assert!(matches!(
            why[3],
            (SctOrigin::Ocsp, IgnoreReason::MalformedList(_))
        ));

        // Without the issuer, embedded SCTs cannot be checked.
        let orphan = CtLeaf::new(&leaf.cert, None);
        let (ok, bad) = verify_scts(&orphan, &[], &logs, verifier.as_ref());
        assert!(ok.is_empty());
        assert_eq!(bad[0].reason, IgnoreReason::MissingIssuer);
    }

    #[test]
    fn the_sct_budget_bounds_the_work() {
        let a = usable(101);
        let leaf = Pki::new().leaf;
        let one = a.x509_sct(&leaf.der, 1);
        let many = sct_list(&vec![one; MAX_SCTS + 3]);
        let ct_leaf = CtLeaf::new(&leaf.cert, None);
        let logs = CtLogList::new().with_log(a.log.clone());
        let ext: [(SctOrigin, &[u8]); 2] =
            [(SctOrigin::TlsExtension, &many), (SctOrigin::Ocsp, &many)];
        let (ok, bad) = verify_scts(&ct_leaf, &ext, &logs, default_verifier().as_ref());
        assert_eq!(ok.len(), MAX_SCTS);
        let skipped: Vec<_> = bad.iter().map(|i| i.reason.clone()).collect();
        assert_eq!(
            skipped,
            [
                IgnoreReason::OverBudget { skipped: 3 },
                IgnoreReason::OverBudget {
                    skipped: MAX_SCTS + 3
                }
            ]
        );
    }
}
