//! What each fuzz target runs, as plain functions without libFuzzer, so the same code serves
//! the targets (`fuzz_targets/*.rs`, one line each) and the regression test of the main crate
//! (`tests/fuzz_regressions.rs`, which includes this file by path and feeds it every file of
//! `fuzz/regressions/<target>/`).
//!
//! Every function panics exactly when an invariant of the library is broken: a panic inside
//! the library, or an assertion here. Each returns what it read so the regression test can
//! pin specific outcomes (an error kind, a verdict).
//!
//! The case-format reader is not here: it lives in the `sectrust` example and is included by
//! path into its own target (`fuzz_targets/case_format.rs`).

#![forbid(unsafe_code)]

#[path = "chain.rs"]
pub mod chain;
#[path = "structured.rs"]
pub mod structured;

use sectrust::Certificate;
use sectrust::formats::{self, ConfigurationProfile, Identity, Loaded};

/// `certificate_der`: [`Certificate::from_der`] on arbitrary bytes; on success every accessor
/// is read and the certificate round-trips (its DER, and that DER as PEM, parse to the same
/// certificate).
pub fn certificate_der(data: &[u8]) -> Result<Certificate, sectrust::Error> {
    let cert = Certificate::from_der(data)?;
    assert_eq!(cert.der(), data, "the certificate keeps its exact DER");
    touch(&cert);
    round_trip(&cert);
    Ok(cert)
}

/// `pem_bundle`: the text loaders — [`Certificate::from_bytes`] (PEM or DER by content),
/// [`Certificate::from_pem_bundle`] and [`Certificate::from_pem`] on the text (lossy UTF-8),
/// and [`formats::load`] — never panic, and agree: `from_pem` succeeds exactly when the bundle
/// holds one certificate, and every certificate read round-trips. Returns `from_pem_bundle`'s
/// result.
pub fn pem_bundle(data: &[u8]) -> Result<Vec<Certificate>, sectrust::Error> {
    let text = String::from_utf8_lossy(data);
    let bundle = Certificate::from_pem_bundle(&text);
    match (&bundle, Certificate::from_pem(&text)) {
        (Ok(all), Ok(one)) => {
            assert_eq!(all.len(), 1, "from_pem accepted a bundle of {}", all.len());
            assert_eq!(all[0], one);
        }
        (Ok(all), Err(_)) => assert_ne!(all.len(), 1, "from_pem refused a single certificate"),
        (Err(_), Ok(one)) => panic!("from_pem read {one:?} where from_pem_bundle failed"),
        (Err(_), Err(_)) => {}
    }
    for cert in bundle.iter().flatten() {
        touch(cert);
        round_trip(cert);
    }
    if let Ok(certs) = Certificate::from_bytes(data) {
        certs.iter().for_each(touch);
    }
    if let Ok(Loaded::Certificates(certs)) = formats::load(data, None) {
        certs.iter().for_each(touch);
    }
    bundle
}

/// The passwords the format targets try, chosen by the input's first byte (see
/// [`split_password`]): none, the empty one, and the one the seed generator uses.
pub const PASSWORDS: [Option<&str>; 4] = [None, Some(""), Some("password"), Some("pässwörd")];

/// Splits a format target's input into (password, file): the first byte picks one of
/// [`PASSWORDS`] (modulo their count), the rest is the file. Empty input is no file.
pub fn split_password(data: &[u8]) -> Option<(Option<&'static str>, &[u8])> {
    let (&first, file) = data.split_first()?;
    Some((PASSWORDS[usize::from(first) % PASSWORDS.len()], file))
}

/// `pkcs12`: [`formats::read_pkcs12`] with the chosen password (`None`: the empty one) and
/// [`formats::load`] with it as given (`None`: no password) never panic, and agree on the
/// identity; every certificate read is touched. Returns `read_pkcs12`'s result.
pub fn pkcs12(data: &[u8]) -> Option<Result<Identity, sectrust::Error>> {
    let (password, file) = split_password(data)?;
    let read = formats::read_pkcs12(file, password.unwrap_or(""));
    if let Ok(identity) = &read {
        touch_identity(identity);
    }
    let loaded = formats::load(file, password);
    if let (Ok(identity), Ok(Loaded::Pkcs12(again))) = (&read, &loaded) {
        assert_eq!(identity, again, "load and read_pkcs12 disagree");
    }
    Some(read)
}

/// `mobileconfig`: [`formats::read_profile`] with the chosen password, and [`formats::load`],
/// never panic and agree on the profile; every certificate and trust setting is touched.
/// Returns `read_profile`'s result.
pub fn mobileconfig(data: &[u8]) -> Option<Result<ConfigurationProfile, sectrust::Error>> {
    let (password, file) = split_password(data)?;
    let read = formats::read_profile(file, password);
    if let Ok(profile) = &read {
        profile.roots.iter().for_each(touch);
        profile.certificates.iter().for_each(touch);
        profile.identities.iter().for_each(touch_identity);
        for full_trust in [false, true] {
            assert_eq!(
                profile.trust_settings(full_trust).len(),
                profile.roots.len()
            );
        }
        let _ = format!("{profile:?}");
    }
    if let (Ok(profile), Ok(Loaded::Profile(again))) = (&read, formats::load(file, password)) {
        assert_eq!(profile, &*again, "load and read_profile disagree");
    }
    Some(read)
}

/// Reads every accessor of a certificate, formats it every way, and checks the facts that
/// hold by construction.
pub fn touch(cert: &Certificate) {
    let _ = (
        cert.tbs_der(),
        cert.spki_der(),
        cert.signature(),
        cert.serial(),
    );
    let _ = format!("{}", cert.signature_algorithm());
    let _ = (cert.signature_algorithms_match(), cert.spki_sha256());
    assert_eq!(cert.sha256_hex().len(), 64);
    let key = cert.public_key();
    let _ = (format!("{key}"), key.is_usable());
    assert!(
        (1..=3).contains(&cert.version()),
        "version {}",
        cert.version()
    );
    for name in [cert.issuer(), cert.subject()] {
        let _ = (
            name.der(),
            name.normalized(),
            name.is_empty(),
            name.to_string(),
        );
        let _ = name.rdns().iter().map(Vec::len).sum::<usize>();
        let _ = name.attributes().count();
        let _ = (name.common_names().count(), name.email_addresses().count());
        let _ = (
            name.organizations().count(),
            name.organizational_units().count(),
        );
        assert!(name.matches(name), "a name matches itself");
    }
    let (from, to) = (cert.not_before(), cert.not_after());
    assert_eq!(cert.is_valid_at(from), from <= to);
    let _ = (cert.is_self_issued(), cert.is_ca(), cert.subject_summary());
    let _ = cert.email_addresses();
    let ext = cert.extensions();
    for info in &ext.list {
        assert!(cert.has_extension(&info.oid));
    }
    let _ = (ext.subject_alt_names().count(), ext.rfc822_names().count());
    let _ = format!("{ext:?}");
    let _ = (format!("{cert}"), format!("{cert:?}"));
    assert!(cert.same_as(cert));
}

/// A parsed certificate's DER parses again to the same certificate, also wrapped in PEM.
fn round_trip(cert: &Certificate) {
    let again = Certificate::from_der(cert.der()).expect("a certificate's own DER parses");
    assert_eq!(&again, cert);
    assert_eq!(again.subject(), cert.subject());
    assert_eq!(again.extensions(), cert.extensions());
    let pem = pem(cert.der());
    let from_pem = Certificate::from_pem(&pem).expect("a certificate's own PEM parses");
    assert_eq!(&from_pem, cert);
}

/// The certificates of an identity.
fn touch_identity(identity: &Identity) {
    touch(&identity.certificate);
    identity.chain.iter().for_each(touch);
    let _ = (&identity.friendly_name, identity.has_private_key);
}

/// One PEM `CERTIFICATE` block (64-column base64).
pub fn pem(der: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::with_capacity(der.len() * 4 / 3 + 4);
    for chunk in der.chunks(3) {
        let n = chunk.len();
        let v = u32::from(chunk[0]) << 16
            | u32::from(*chunk.get(1).unwrap_or(&0)) << 8
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= n {
                b64.push(char::from(ALPHABET[(v >> (18 - 6 * i) & 63) as usize]));
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}
