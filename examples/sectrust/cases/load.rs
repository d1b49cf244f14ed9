//! Resolving references: `file:` paths, PEM text and base64 into bytes, then certificates.
//!
//! Everything up to the bytes is independent of certificate parsing; only
//! [`Loader::certificates`] calls the library (`Certificate::from_bytes`, which tells DER
//! from PEM by content).

use std::io::Read;
use std::path::PathBuf;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use sectrust::{Certificate, Error};

use super::json::InputError;
use super::spec::{Reference, Source};

/// Standard-alphabet base64; padding optional (case files are often hand-trimmed).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The universal tag of a DER SEQUENCE, the first byte of every certificate, CRL and OCSP
/// response.
const DER_SEQUENCE: u8 = 0x30;

/// The most a `file:` reference may hold. Far above any certificate, OCSP response or CRL
/// (the largest public CRLs are tens of MiB), and low enough that a reference to a device such
/// as `/dev/zero` fails instead of exhausting memory.
const MAX_FILE_BYTES: u64 = 256 << 20;

/// Resolves references relative to one folder (the case file's, or the current directory
/// for standard input).
#[derive(Debug, Clone)]
pub struct Loader {
    base_dir: PathBuf,
}

impl Loader {
    /// A loader resolving `file:` paths against `base_dir`.
    pub fn new(base_dir: impl Into<PathBuf>) -> Self {
        Loader {
            base_dir: base_dir.into(),
        }
    }

    /// The bytes a reference stands for: the file's contents, the PEM text itself, or the
    /// decoded base64.
    pub fn bytes(&self, r: &Reference) -> Result<Vec<u8>, InputError> {
        match &r.source {
            Source::File(path) => self.read(r, path),
            Source::Pem(text) => Ok(text.as_bytes().to_vec()),
            Source::Base64(text) => decode_base64(text).map_err(|why| {
                r.path
                    .error(format!("not PEM, base64 or a file: reference ({why})"))
            }),
        }
    }

    /// Every certificate of a reference (a PEM bundle may hold several).
    pub fn certificates(&self, r: &Reference) -> Result<Vec<Certificate>, InputError> {
        let bytes = self.bytes(r)?;
        let certs = Certificate::from_bytes(&bytes).map_err(|e| r.path.error(malformed(&e)))?;
        if certs.is_empty() {
            return Err(r.path.error("no certificate found"));
        }
        Ok(certs)
    }

    /// The first certificate of a reference (`leaf`, `user_trust[].cert`); any others are
    /// ignored.
    pub fn certificate(&self, r: &Reference) -> Result<Certificate, InputError> {
        let mut certs = self.certificates(r)?;
        Ok(certs.swap_remove(0))
    }

    /// Every certificate of every reference, in order.
    pub fn all_certificates(&self, refs: &[Reference]) -> Result<Vec<Certificate>, InputError> {
        let mut out = Vec::with_capacity(refs.len());
        for r in refs {
            out.extend(self.certificates(r)?);
        }
        Ok(out)
    }

    /// A DER OCSP response (`ocsp_responses`: base64 or a `file:` holding DER).
    pub fn ocsp_response(&self, r: &Reference) -> Result<Vec<u8>, InputError> {
        if let Source::Pem(_) = r.source {
            return Err(r
                .path
                .error("an OCSP response is base64 DER or a file: reference, not PEM"));
        }
        let der = self.bytes(r)?;
        check_der(&der).map_err(|why| r.path.error(format!("not an OCSP response: {why}")))?;
        Ok(der)
    }

    /// The DER CRLs of a reference (`crls`: PEM, base64 DER, or a `file:` holding either;
    /// a PEM text may hold several `X509 CRL` blocks).
    pub fn crls(&self, r: &Reference) -> Result<Vec<Vec<u8>>, InputError> {
        let bytes = self.bytes(r)?;
        let ders = match std::str::from_utf8(&bytes) {
            Ok(text) if text.contains("-----BEGIN") => pem_blocks(text, "X509 CRL"),
            _ => Ok(vec![bytes]),
        }
        .map_err(|why| r.path.error(format!("not a CRL: {why}")))?;
        for der in &ders {
            check_der(der).map_err(|why| r.path.error(format!("not a CRL: {why}")))?;
        }
        Ok(ders)
    }

    /// Reads `path` (relative to the base folder unless absolute).
    fn read(&self, r: &Reference, path: &str) -> Result<Vec<u8>, InputError> {
        if path.is_empty() {
            return Err(r.path.error("`file:` needs a path"));
        }
        let full = self.base_dir.join(path);
        let cannot = |why: String| {
            r.path.error(format!(
                "cannot read file {path:?} (resolved to {}): {why}",
                full.display()
            ))
        };
        let file = std::fs::File::open(&full).map_err(|e| cannot(e.to_string()))?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| cannot(e.to_string()))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(cannot(format!("larger than {MAX_FILE_BYTES} bytes")));
        }
        Ok(bytes)
    }
}

/// The message for a certificate the library cannot parse, always starting with
/// "malformed certificate".
fn malformed(e: &Error) -> String {
    match e {
        Error::Malformed { .. } => e.to_string(),
        other => format!("malformed certificate: {other}"),
    }
}

/// Decodes base64, ignoring ASCII whitespace (line breaks in long strings).
fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let bytes = BASE64
        .decode(&compact)
        .map_err(|e| format!("invalid base64: {e}"))?;
    if bytes.is_empty() {
        return Err("empty".into());
    }
    Ok(bytes)
}

/// A cheap sanity check: DER that starts as a SEQUENCE.
fn check_der(der: &[u8]) -> Result<(), String> {
    match der.first() {
        None => Err("empty".into()),
        Some(&DER_SEQUENCE) => Ok(()),
        Some(b) => Err(format!(
            "expected DER starting with a SEQUENCE (0x30), found 0x{b:02x}"
        )),
    }
}

/// The base64 bodies of every `-----BEGIN {label}-----` block, decoded; other blocks are
/// skipped, no block at all is an error. Encapsulated headers (RFC 1421) are not supported.
fn pem_blocks(text: &str, label: &str) -> Result<Vec<Vec<u8>>, String> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let body_start = start + begin.len();
        let Some(len) = rest[body_start..].find(&end) else {
            return Err(format!("PEM block {} has no {end:?} line", out.len()));
        };
        let body = &rest[body_start..body_start + len];
        let der = decode_base64(body).map_err(|why| format!("PEM block {}: {why}", out.len()))?;
        out.push(der);
        rest = &rest[body_start + len + end.len()..];
    }
    if out.is_empty() {
        return Err(format!("no {begin:?} block"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::json::Path;

    fn reference(text: &str) -> Reference {
        Reference {
            path: Path::root("cases").index(0).key("crls").index(2),
            source: Source::classify(text),
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sectrust-load-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn base64_accepts_whitespace_and_missing_padding() {
        assert_eq!(
            decode_base64("MAMC\nAQU="),
            Ok(vec![0x30, 0x03, 0x02, 0x01, 0x05])
        );
        assert_eq!(
            decode_base64(" MAMCAQU "),
            Ok(vec![0x30, 0x03, 0x02, 0x01, 0x05])
        );
        assert!(
            decode_base64("MA!!")
                .unwrap_err()
                .starts_with("invalid base64")
        );
        assert_eq!(decode_base64("  "), Err("empty".into()));
    }

    #[test]
    fn bytes_from_each_spelling() {
        let dir = temp_dir("bytes");
        std::fs::write(dir.join("x.der"), [0x30, 0x00]).unwrap();
        let loader = Loader::new(&dir);
        assert_eq!(loader.bytes(&reference("file:x.der")), Ok(vec![0x30, 0x00]));
        assert_eq!(loader.bytes(&reference("MAA=")), Ok(vec![0x30, 0x00]));
        let pem = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
        assert_eq!(loader.bytes(&reference(pem)), Ok(pem.as_bytes().to_vec()));

        let e = loader.bytes(&reference("file:missing.der")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cases[0].crls[2]: cannot read file \"missing.der\" (resolved to "),
            "{e}"
        );
        let e = loader.bytes(&reference("file:.")).unwrap_err();
        assert!(e.to_string().contains("cannot read file \".\""), "{e}");
        let e = loader.bytes(&reference("file:")).unwrap_err();
        assert_eq!(e.to_string(), "cases[0].crls[2]: `file:` needs a path");
        let e = loader.bytes(&reference("not base64!")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cases[0].crls[2]: not PEM, base64 or a file: reference (invalid"),
            "{e}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn absolute_file_paths_ignore_the_base_folder() {
        let dir = temp_dir("absolute");
        let file = dir.join("a.der");
        std::fs::write(&file, [0x30, 0x00]).unwrap();
        let loader = Loader::new("/nonexistent-base");
        let r = reference(&format!("file:{}", file.display()));
        assert_eq!(loader.bytes(&r), Ok(vec![0x30, 0x00]));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn crls_from_der_and_pem() {
        let loader = Loader::new(".");
        assert_eq!(loader.crls(&reference("MAA=")), Ok(vec![vec![0x30, 0x00]]));
        let pem = "junk\n-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n\
                   -----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n\
                   -----BEGIN X509 CRL-----\nMAEA\n-----END X509 CRL-----";
        assert_eq!(
            loader.crls(&reference(pem)),
            Ok(vec![vec![0x30, 0x00], vec![0x30, 0x01, 0x00]])
        );
        for (text, want) in [
            (
                "AAAA",
                "not a CRL: expected DER starting with a SEQUENCE (0x30), found 0x00",
            ),
            (
                "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----",
                "not a CRL: no \"-----BEGIN X509 CRL-----\" block",
            ),
            (
                "-----BEGIN X509 CRL-----\nMAA=\n",
                "not a CRL: PEM block 0 has no \"-----END X509 CRL-----\" line",
            ),
            (
                "-----BEGIN X509 CRL-----\n!!\n-----END X509 CRL-----",
                "not a CRL: PEM block 0: invalid base64",
            ),
        ] {
            let e = loader.crls(&reference(text)).unwrap_err().to_string();
            assert!(e.starts_with(&format!("cases[0].crls[2]: {want}")), "{e}");
        }
    }

    #[test]
    fn ocsp_responses_are_der() {
        let loader = Loader::new(".");
        assert_eq!(
            loader.ocsp_response(&reference("MAA=")),
            Ok(vec![0x30, 0x00])
        );
        let e = loader
            .ocsp_response(&reference("AAAA"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not an OCSP response: expected DER"), "{e}");
        let pem = "-----BEGIN OCSP RESPONSE-----\nMAA=\n-----END OCSP RESPONSE-----";
        let e = loader
            .ocsp_response(&reference(pem))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not PEM"), "{e}");
    }

    #[test]
    fn certificate_errors_before_parsing() {
        let loader = Loader::new(".");
        let e = loader
            .certificate(&reference("@@@"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("cases[0].crls[2]: not PEM, base64"), "{e}");
        let e = loader
            .all_certificates(&[reference("file:/nonexistent/x.pem")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read file"), "{e}");
    }
}
