//! Certificate Transparency fixtures: test logs with deterministic keys that sign SCTs
//! (RFC 6962 §3.2), TLS-encoded SCT lists, and leaves carrying embedded SCTs.
//!
//! ```
//! use sectrust::ct::{CtLogList, LogState, SCT_LIST_OID};
//! use sectrust::testing::{Pki, ct};
//!
//! let pki = Pki::new();
//! let logs = [1, 2].map(|seed| ct::TestLog::new(seed, LogState::Usable { since: 0 }));
//! let at = Pki::NOT_BEFORE;
//! let scts = [(&logs[0], at), (&logs[1], at)];
//! let (leaf, precert) = ct::with_embedded_scts(pki.leaf_builder(), &scts);
//! assert!(leaf.cert.extensions().list.iter().any(|e| e.oid == SCT_LIST_OID));
//! // The precertificate TBS rebuilt from the leaf is the one the logs signed.
//! let rebuilt = sectrust::ct::precert_tbs(leaf.cert.tbs_der()).unwrap();
//! assert_eq!(rebuilt, precert.cert.tbs_der());
//! let list = logs.iter().fold(CtLogList::new(), |l, t| l.with_log(t.log.clone()));
//! # assert_eq!(list.len(), 2);
//! ```

use sha2::{Digest as _, Sha256};

use super::asn1::octets;
use super::{CertBuilder, Issued, KeyPair};
use crate::crypto::{HashAlgorithm, SignatureAlgorithm};
use crate::ct::{CtLog, LogState, SCT_LIST_OID, signed_data_precert, signed_data_x509};

/// A CT log: a P-256 key derived from a seed, and the log-list entry for it.
#[derive(Debug, Clone)]
pub struct TestLog {
    /// The log's signing key.
    pub key: KeyPair,
    /// The log as a [`CtLogList`](crate::ct::CtLogList) holds it (ID = SHA-256 of the key).
    pub log: CtLog,
}

impl TestLog {
    /// A log with the key `KeyPair::p256(seed)`, operator "Operator {seed}" and `state`.
    pub fn new(seed: u64, state: LogState) -> Self {
        let key = KeyPair::p256(seed);
        let log = CtLog::new(key.spki_der(), format!("Operator {seed}"), state)
            .with_description(format!("Test log {seed}"));
        TestLog { key, log }
    }

    /// An SCT over a precertificate (embedded route): `issuer_spki_der` is the issuer's key,
    /// `precert_tbs_der` the TBS the log saw; `at` in Unix seconds.
    pub fn precert_sct(&self, issuer_spki_der: &[u8], precert_tbs_der: &[u8], at: i64) -> Vec<u8> {
        let issuer_key_hash: [u8; 32] = Sha256::digest(issuer_spki_der).into();
        let ms = millis(at);
        let signed = signed_data_precert(&issuer_key_hash, precert_tbs_der, ms, &[])
            .expect("testing: precertificate over 16 MiB");
        self.sct(ms, &signed)
    }

    /// An SCT over a certificate's DER (TLS extension and OCSP route); `at` in Unix seconds.
    pub fn x509_sct(&self, leaf_der: &[u8], at: i64) -> Vec<u8> {
        let ms = millis(at);
        let signed = signed_data_x509(leaf_der, ms, &[]).expect("testing: certificate over 16 MiB");
        self.sct(ms, &signed)
    }

    /// A serialized v1 SCT (no extensions, ECDSA with SHA-256) whose signature covers `signed`
    /// (the `digitally-signed` bytes, e.g. from [`signed_data_x509`]). Sign other bytes to get
    /// an SCT that does not verify.
    pub fn sct(&self, timestamp_ms: u64, signed: &[u8]) -> Vec<u8> {
        let sig = self
            .key
            .sign(&SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256), signed);
        let mut out = vec![0]; // sct_version v1
        out.extend(self.log.id);
        out.extend(timestamp_ms.to_be_bytes());
        out.extend([0, 0]); // no extensions
        out.extend([4, 3]); // SHA-256, ECDSA
        out.extend(len16(sig.len()));
        out.extend(sig);
        out
    }
}

/// A TLS-encoded `SignedCertificateTimestampList` of `scts`, each behind its 16-bit length.
pub fn sct_list(scts: &[Vec<u8>]) -> Vec<u8> {
    let mut body = Vec::new();
    for sct in scts {
        body.extend(len16(sct.len()));
        body.extend(sct);
    }
    let mut out = len16(body.len()).to_vec();
    out.extend(body);
    out
}

/// The SCT-list extension's `extnValue` content: the TLS list inside one more OCTET STRING.
pub fn sct_extension_value(list: &[u8]) -> Vec<u8> {
    octets(list)
}

/// Builds `leaf` twice: first as the precertificate each log signs (the same certificate
/// without the SCT list), then with the SCT-list extension appended, holding one SCT per
/// `(log, Unix seconds)`. Returns `(leaf, precertificate)`.
pub fn with_embedded_scts(leaf: CertBuilder, scts: &[(&TestLog, i64)]) -> (Issued, Issued) {
    let precert = leaf.clone().build();
    let issuer_spki = leaf.issuer_spki_der();
    let signed: Vec<Vec<u8>> = scts
        .iter()
        .map(|(log, at)| log.precert_sct(&issuer_spki, precert.cert.tbs_der(), *at))
        .collect();
    let value = sct_extension_value(&sct_list(&signed));
    (leaf.extension(SCT_LIST_OID, false, value).build(), precert)
}

/// Unix seconds as the SCT's milliseconds.
fn millis(at: i64) -> u64 {
    u64::try_from(at).expect("testing: SCT time before 1970") * 1000
}

fn len16(n: usize) -> [u8; 2] {
    u16::try_from(n)
        .expect("testing: over 65,535 bytes behind a 16-bit length")
        .to_be_bytes()
}
