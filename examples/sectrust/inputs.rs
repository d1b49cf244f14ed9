//! The user's files, read by content (`sectrust::formats::load`) and sorted into leaves,
//! intermediates, anchors and profile trust settings; shared by `eval`, `smime` and `scan`.

use std::path::Path;

use sectrust::formats::{self, FormatError, Loaded};
use sectrust::{Certificate, Error, TrustSetting};

/// What the files hold.
#[derive(Default)]
pub struct Inputs {
    /// End-entity certificates, labelled `FILE#N` (or `FILE` for a PKCS#12 identity).
    pub leaves: Vec<(String, Certificate)>,
    /// CA certificates that are not self-issued, and every certificate around an identity.
    pub intermediates: Vec<Certificate>,
    /// Self-issued CA certificates given directly (as PEM or DER).
    pub anchors: Vec<Certificate>,
    /// Roots installed by configuration profiles (full trust on).
    pub user_trust: Vec<TrustSetting>,
}

impl Inputs {
    /// Reads every file in order; the first unreadable one is the error, saying what to do.
    pub fn read<P: AsRef<Path>>(files: &[P], password: Option<&str>) -> Result<Self, String> {
        let mut inputs = Inputs::default();
        for file in files {
            let file = file.as_ref();
            let name = file.display().to_string();
            inputs.add(&name, read_file(file, password)?);
        }
        Ok(inputs)
    }

    /// Sorts what one file held.
    pub fn add(&mut self, name: &str, loaded: Loaded) {
        match loaded {
            Loaded::Certificates(certs) => {
                for (i, c) in certs.into_iter().enumerate() {
                    self.add_certificate(format!("{name}#{i}"), c);
                }
            }
            Loaded::Pkcs12(id) => {
                self.leaves.push((name.to_owned(), id.certificate));
                self.intermediates.extend(id.chain);
            }
            Loaded::Profile(profile) => {
                self.user_trust.extend(profile.trust_settings(true));
                self.intermediates
                    .extend(profile.certificates.iter().cloned());
                for (i, id) in profile.identities.iter().enumerate() {
                    self.leaves
                        .push((format!("{name}#identity{i}"), id.certificate.clone()));
                    self.intermediates.extend(id.chain.iter().cloned());
                }
            }
            // `Loaded` is non-exhaustive: a future kind carries nothing this example reads.
            _ => {}
        }
    }

    fn add_certificate(&mut self, label: String, cert: Certificate) {
        if !cert.is_ca() {
            self.leaves.push((label, cert));
        } else if cert.is_self_issued() {
            self.anchors.push(cert);
        } else {
            self.intermediates.push(cert);
        }
    }
}

/// Reads and decodes one file; the error names the file and says what to do.
pub fn read_file(file: &Path, password: Option<&str>) -> Result<Loaded, String> {
    let name = file.display();
    let bytes = std::fs::read(file).map_err(|e| format!("{name}: {e}"))?;
    formats::load(&bytes, password).map_err(|e| format!("{name}: {}", advice(&e)))
}

/// A load error with what the user can do about it.
pub fn advice(e: &Error) -> String {
    match e {
        Error::Format(FormatError::WrongPassword { .. }) => {
            "wrong password, or the file is damaged: pass --password with the password the file \
             was exported with"
                .into()
        }
        Error::Format(FormatError::PasswordRequired { what }) => {
            format!("{what} needs a password: pass --password")
        }
        Error::Format(FormatError::Unrecognised) => "not a certificate: expected PEM, DER \
             (.cer/.der), PKCS#12 (.p12/.pfx) or a configuration profile (.mobileconfig)"
            .into(),
        other => format!("{other} (is it a certificate file?)"),
    }
}
