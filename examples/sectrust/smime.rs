//! `sectrust smime --platform P --email A [--alias B] [--password PW] [--at TIME] FILE...`:
//! the user's own .p12 / .pem / .cer / .mobileconfig files under the S/MIME policy.
//!
//! Files are detected by content (`sectrust::formats::load`). Every end-entity certificate
//! found (a PKCS#12 identity, a non-CA certificate of a PEM/DER file or a profile) is
//! evaluated; every CA certificate found is offered as an intermediate; self-signed CA
//! certificates given directly are app anchors (as if the user had installed them), and roots of
//! a configuration profile become profile-installed roots with full trust on.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use sectrust::policy::{Smime, SmimeUsage};
use sectrust::{Platform, TrustEvaluator};

use crate::inputs::Inputs;
use crate::{platforms, rfc3339};

/// The parsed command line.
#[derive(Debug, clap::Args)]
#[command(
    override_usage = "sectrust smime [--platform P]... [--email A] [--alias B]... [--password PW] [--at TIME] FILE..."
)]
pub struct Args {
    /// A platform profile (repeatable; default latest)
    #[arg(long = "platform", value_name = "P", value_parser = platforms::parse_one)]
    platforms: Vec<Platform>,
    /// The account's primary address
    #[arg(long, value_name = "A")]
    email: Option<String>,
    /// Another address of the account (repeatable)
    #[arg(long = "alias", value_name = "B")]
    aliases: Vec<String>,
    /// The password of a .p12 file
    #[arg(long, value_name = "PW")]
    password: Option<String>,
    /// The verification time, RFC 3339 (default now)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// .p12, .pem, .cer or .mobileconfig files, read by content
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
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
    let platforms = if args.platforms.is_empty() {
        vec![Platform::latest()]
    } else {
        args.platforms.clone()
    };
    let inputs = Inputs::read(&args.files, args.password.as_deref())?;
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
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn parse(list: &[&str]) -> Result<Args, String> {
        Cli::try_parse_from(std::iter::once("smime").chain(list.iter().copied()))
            .map(|c| c.args)
            .map_err(|e| e.render().to_string())
    }

    #[test]
    fn parses_options_and_files() {
        let a = parse(&[
            "--platform",
            "ios-5.1",
            "--email",
            "a@me.com",
            "--alias",
            "a@mac.com",
            "x.p12",
        ])
        .unwrap();
        assert_eq!(a.platforms, [Platform::ios(5, 1)]);
        assert_eq!(a.email.as_deref(), Some("a@me.com"));
        assert_eq!(a.aliases, ["a@mac.com"]);
        assert_eq!(a.files, [PathBuf::from("x.p12")]);
        let err = parse(&["--email"]).unwrap_err();
        assert!(err.contains("a value is required"), "{err}");
        let err = parse(&["--bogus", "x"]).unwrap_err();
        assert!(err.contains("unexpected argument '--bogus'"), "{err}");
        let err = parse(&["--email", "a@b"]).unwrap_err();
        assert!(err.contains("<FILE>"), "{err}");
        let err = parse(&["--platform", "ios-99", "x"]).unwrap_err();
        assert!(err.contains("ios-MAJOR.MINOR"), "{err}");
    }
}
