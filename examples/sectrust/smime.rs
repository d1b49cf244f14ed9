//! `sectrust smime --platform P --email A [--alias B] [--password PW] [--at TIME] FILE...`:
//! the user's own .p12 / .pem / .cer / .mobileconfig files under the S/MIME policy.
//!
//! Files are detected by content (`sectrust::formats::load`). Every end-entity certificate
//! found (a PKCS#12 identity, a non-CA certificate of a PEM/DER file or a profile) is
//! evaluated; every CA certificate found is offered as an intermediate; self-signed CA
//! certificates given directly are app anchors (as if the user had installed them), and roots of
//! a configuration profile become profile-installed roots with full trust on.

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use sectrust::formats::{self, Loaded};
use sectrust::policy::{Smime, SmimeUsage};
use sectrust::{Certificate, Platform, TrustEvaluator, TrustSetting};

use crate::rfc3339;

/// The parsed command line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    platforms: Vec<String>,
    email: Option<String>,
    aliases: Vec<String>,
    password: Option<String>,
    at: Option<String>,
    files: Vec<OsString>,
}

/// Reads the arguments after `smime`.
pub fn parse(rest: &[OsString]) -> Result<Args, String> {
    let mut a = Args::default();
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .and_then(|v| v.to_str())
                .map(str::to_owned)
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match arg.to_str() {
            Some("--platform") => a.platforms.push(value("--platform")?),
            Some("--email") => a.email = Some(value("--email")?),
            Some("--alias") => a.aliases.push(value("--alias")?),
            Some("--password") => a.password = Some(value("--password")?),
            Some("--at") => a.at = Some(value("--at")?),
            Some(flag) if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => a.files.push(arg.clone()),
        }
    }
    if a.files.is_empty() {
        return Err("`smime` needs at least one FILE (.p12, .pem, .cer, .mobileconfig)".into());
    }
    Ok(a)
}

/// What the files hold.
#[derive(Default)]
struct Inputs {
    leaves: Vec<(String, Certificate)>,
    intermediates: Vec<Certificate>,
    anchors: Vec<Certificate>,
    user_trust: Vec<TrustSetting>,
}

impl Inputs {
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

/// Runs the subcommand; exit 2 on unreadable input, with what to do about it.
pub fn main(args: Args) -> ExitCode {
    match run(&args, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("sectrust smime: {why}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args, out: &mut impl Write) -> Result<(), String> {
    let platforms = args
        .platforms
        .iter()
        .map(|p| p.parse::<Platform>().map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let platforms = if platforms.is_empty() {
        vec![Platform::latest()]
    } else {
        platforms
    };
    let mut inputs = Inputs::default();
    for file in &args.files {
        let name = file.to_string_lossy().into_owned();
        let bytes = std::fs::read(file).map_err(|e| format!("{name}: {e}"))?;
        let loaded = formats::load(&bytes, args.password.as_deref()).map_err(|e| {
            format!("{name}: {e} (a .p12 needs --password; PEM, DER and .mobileconfig files are read as they are)")
        })?;
        match loaded {
            Loaded::Certificates(certs) => {
                for (i, c) in certs.into_iter().enumerate() {
                    inputs.add_certificate(format!("{name}#{i}"), c);
                }
            }
            Loaded::Pkcs12(id) => {
                inputs.leaves.push((name.clone(), id.certificate));
                inputs.intermediates.extend(id.chain);
            }
            Loaded::Profile(profile) => {
                inputs.user_trust.extend(profile.trust_settings(true));
                inputs
                    .intermediates
                    .extend(profile.certificates.iter().cloned());
                for (i, id) in profile.identities.iter().enumerate() {
                    inputs
                        .leaves
                        .push((format!("{name}#identity{i}"), id.certificate.clone()));
                    inputs.intermediates.extend(id.chain.iter().cloned());
                }
            }
            _ => {
                return Err(format!(
                    "{name}: a kind of input this command does not read"
                ));
            }
        }
    }
    if inputs.leaves.is_empty() {
        return Err("no end-entity certificate found in the files given".into());
    }
    let verify_time = match &args.at {
        Some(t) => rfc3339::parse(t).map_err(|e| format!("--at {t}: {e}"))?,
        None => time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let policy =
        Smime::new(SmimeUsage::SIGN, args.email.clone()).with_aliases(args.aliases.clone());
    for (label, leaf) in &inputs.leaves {
        for platform in &platforms {
            let verdict = TrustEvaluator::builder()
                .platform(*platform)
                .anchors(inputs.anchors.iter().cloned())
                .anchors_only(false)
                .user_trust(inputs.user_trust.iter().cloned())
                .verify_time_unix(verify_time)
                .build()
                .evaluate(leaf, &inputs.intermediates, &[&policy])
                .map_err(|e| format!("{label}: {e}"))?;
            writeln!(out, "== {label} ({})", leaf.subject_summary()).map_err(|e| e.to_string())?;
            write!(out, "{verdict}").map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn parses_options_and_files() {
        let a = parse(&os(&[
            "--platform",
            "ios-5.1",
            "--email",
            "a@me.com",
            "--alias",
            "a@mac.com",
            "x.p12",
        ]))
        .unwrap();
        assert_eq!(a.platforms, ["ios-5.1"]);
        assert_eq!(a.email.as_deref(), Some("a@me.com"));
        assert_eq!(a.aliases, ["a@mac.com"]);
        assert_eq!(a.files, [OsString::from("x.p12")]);
        assert!(
            parse(&os(&["--email"]))
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            parse(&os(&["--bogus", "x"]))
                .unwrap_err()
                .contains("unknown option")
        );
        assert!(
            parse(&os(&["--email", "a@b"]))
                .unwrap_err()
                .contains("needs at least one FILE")
        );
    }
}
