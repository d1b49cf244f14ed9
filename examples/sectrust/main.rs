//! `sectrust`: the crate's command-line example (`clap`, derive).
//!
//! - no arguments: the usage, then the founding story reproduced on generated certificates;
//! - `eval FILE...`: the user's own files under one policy and platform;
//! - `matrix FILE...`: the same on many platforms, as runs of versions with one verdict;
//! - `diagnose --trusted-on P --untrusted-on Q FILE...`: which causes explain the difference;
//! - `scan DIR`: every certificate file under a folder, across platforms, in parallel;
//! - `cases FILE|-`: the JSON case runner (`case-format.md`);
//! - `limbo FILE [--output OUT]`: runs an x509-limbo file, writes x509-limbo's results JSON;
//! - `smime ... FILE...`: the user's files under the S/MIME policy;
//! - `help`, `-h`, `--help`: the usage only.
//!
//! Exit codes: 0 done (`eval`: trusted; `matrix`: trusted everywhere; `diagnose`: a cause is
//! consistent), 1 otherwise or output unwritable, 2 misuse or unreadable input (message on
//! stderr, with the usage for misuse).

mod cases;
mod demo;
mod diagnose;
mod eval;
mod inputs;
mod limbo;
mod matrix;
mod platforms;
mod rfc3339;
mod scan;
mod setup;
mod smime;
mod style;

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// The forms of the command line, shown in the usage and in every misuse message.
const USAGE: &str = "\
sectrust                this usage, then a demo on generated certificates
       sectrust eval FILE... [--ssl HOST | --smime EMAIL] [--platform P] [--at TIME]
                     [--anchor F]... [--system-store DIR] [--password PW] [--json]
       sectrust matrix FILE... [same inputs] [--platforms RANGE|LIST|all] [--json]
       sectrust diagnose --trusted-on P --untrusted-on Q [--control FILE] FILE... [same inputs]
       sectrust scan DIR [--ssl-from-san] [--platforms RANGE|LIST] [--at TIME]
                     [--format table|csv|json]
       sectrust cases FILE|-
       sectrust limbo FILE [--output OUT]
       sectrust smime [--platform P]... [--email A] [--alias B]... [--password PW] [--at TIME] FILE...
       sectrust help [COMMAND]";

/// sectrust — Apple's certificate trust evaluation (iOS / macOS), off the device
#[derive(Debug, Parser)]
#[command(name = "sectrust", override_usage = USAGE, disable_version_flag = true)]
#[command(
    after_help = "Case files evaluate the basic X.509, SSL, S/MIME and code-signing\n\
policies today; the revocation kind there arrives later."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

/// The subcommands. Each lives in its own module with its `Args` and a `main(args) ->
/// ExitCode`; `eval`, `matrix` and `diagnose` share their inputs (`setup.rs`).
#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate your .pem / .cer / .der / .p12 / .mobileconfig files (basic X.509 by default)
    Eval(eval::Args),
    /// Evaluate them on many platforms: which versions trust them, which do not, and why
    Matrix(matrix::Args),
    /// Trusted on one platform, not on another: test every kind of cause
    Diagnose(diagnose::Args),
    /// Evaluate every certificate file under a folder across platforms; report what breaks where
    Scan(scan::Args),
    /// Evaluate a JSON case file (case-format.md), one JSON line per case
    #[command(override_usage = "sectrust cases FILE|-")]
    Cases {
        /// The case file, or `-` for standard input
        #[arg(value_name = "FILE|-")]
        file: OsString,
    },
    /// Run x509-limbo cases (SSL policy, latest), write the results JSON
    #[command(override_usage = "sectrust limbo FILE [--output OUT]")]
    Limbo {
        /// x509-limbo's limbo.json
        file: OsString,
        /// Where to write the results JSON
        #[arg(short, long, value_name = "OUT")]
        output: Option<OsString>,
    },
    /// Your .p12 / .pem / .cer / .mobileconfig files under the S/MIME policy
    Smime(smime::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help goes to stdout with status 0; misuse to stderr with status 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cli.command {
        None => print_or_fail(|out| {
            writeln!(out, "{}", Cli::command().render_help())?;
            demo::run(out)
        }),
        Some(Command::Eval(args)) => eval::main(args),
        Some(Command::Matrix(args)) => matrix::main(args),
        Some(Command::Diagnose(args)) => diagnose::main(args),
        Some(Command::Scan(args)) => scan::main(args),
        Some(Command::Cases { file }) => cases::main(&file),
        Some(Command::Limbo { file, output }) => limbo::main(&file, output.as_deref()),
        Some(Command::Smime(args)) => smime::main(args),
    }
}

/// The exit status of `eval`, `matrix` and `diagnose`: 0 for `Ok(true)` (trusted, trusted
/// everywhere, a cause found), 1 for `Ok(false)`, 2 for unreadable input (said on stderr).
fn exit_status(command: &str, outcome: Result<bool, String>) -> ExitCode {
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(why) => {
            eprintln!("sectrust {command}: {why}");
            ExitCode::from(2)
        }
    }
}

/// Runs `print` on a locked stdout; a write failure (say, a closed pipe) exits 1 quietly.
fn print_or_fail(print: impl FnOnce(&mut io::StdoutLock<'static>) -> io::Result<()>) -> ExitCode {
    let mut out = io::stdout().lock();
    match print(&mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;

    fn parse(list: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("sectrust").chain(list.iter().copied()))
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn dispatches_subcommands() {
        assert!(parse(&[]).unwrap().command.is_none());
        for help in [&["help"][..], &["-h"], &["--help"], &["help", "eval"]] {
            let kind = parse(help).unwrap_err().kind();
            assert_eq!(kind, ErrorKind::DisplayHelp, "{help:?}");
        }
        for file in ["x.json", "-"] {
            let Some(Command::Cases { file: f }) = parse(&["cases", file]).unwrap().command else {
                panic!("{file}")
            };
            assert_eq!(f, file);
        }
        let Some(Command::Limbo { file, output: None }) =
            parse(&["limbo", "limbo.json"]).unwrap().command
        else {
            panic!("limbo without --output")
        };
        assert_eq!(file, "limbo.json");
        for list in [
            &["limbo", "limbo.json", "--output", "out.json"][..],
            &["limbo", "-o", "out.json", "limbo.json"][..],
        ] {
            let Some(Command::Limbo { file, output }) = parse(list).unwrap().command else {
                panic!("{list:?}")
            };
            assert_eq!(
                (file.as_os_str(), output.as_deref()),
                ("limbo.json".as_ref(), Some("out.json".as_ref()))
            );
        }
    }

    #[test]
    fn misuse_says_why_and_shows_the_form() {
        for (list, want) in [
            (&["cases"][..], "sectrust cases FILE|-"),
            (&["cases", "a", "b"][..], "unexpected argument 'b'"),
            (&["ssl", "x"][..], "unrecognized subcommand 'ssl'"),
            (&["limbo"][..], "sectrust limbo FILE [--output OUT]"),
            (
                &["limbo", "a", "--output"][..],
                "a value is required for '--output",
            ),
            (&["limbo", "a", "b"][..], "unexpected argument 'b'"),
            (&["help", "me"][..], "unrecognized subcommand 'me'"),
        ] {
            let err = parse(list).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{list:?}");
            let text = err.render().to_string();
            assert!(text.contains(want), "{list:?}: {text}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_arguments_do_not_panic() {
        use std::os::unix::ffi::OsStringExt;
        let bad = OsString::from_vec(vec![0xff, b'x']);
        let cli = Cli::try_parse_from([OsString::from("sectrust"), bad.clone()]);
        assert!(cli.is_err());
        let cli = Cli::try_parse_from([OsString::from("sectrust"), "cases".into(), bad.clone()]);
        let Some(Command::Cases { file }) = cli.unwrap().command else {
            panic!("cases")
        };
        assert_eq!(file, bad);
    }

    #[test]
    fn usage_fits_a_screen_and_names_every_form() {
        let help = Cli::command().render_help().to_string();
        assert!(help.lines().count() <= 30, "{help}");
        for form in [
            "sectrust cases FILE|-",
            "sectrust limbo FILE [--output OUT]",
            "sectrust eval FILE...",
            "sectrust matrix FILE...",
            "sectrust diagnose --trusted-on P --untrusted-on Q",
            "sectrust scan DIR",
        ] {
            assert!(help.contains(form), "{form}: {help}");
        }
    }
}
