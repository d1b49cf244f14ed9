//! `sectrust`: the crate's command-line example.
//!
//! - no arguments: the usage, then the founding story reproduced on generated
//!   certificates;
//! - `cases FILE|-`: the JSON case runner (`case-format.md`);
//! - `limbo FILE [--output OUT]`: runs an x509-limbo file, writes x509-limbo's results JSON;
//! - `help`, `-h`, `--help`: the usage only.
//!
//! Anything else prints the usage on stderr and exits 2.

mod cases;
mod demo;
mod limbo;
mod rfc3339;
mod smime;

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::process::ExitCode;

/// The usage screen. Lists only what exists.
const USAGE: &str = "\
sectrust — Apple's certificate trust evaluation (iOS / macOS), off the device

usage:
  sectrust                this usage, then a demo on generated certificates
  sectrust cases FILE|-   evaluate a JSON case file (case-format.md), one JSON line per case
  sectrust limbo FILE [--output OUT]
                          run x509-limbo cases (SSL policy, latest), write the results JSON
  sectrust smime [--platform P]... [--email A] [--alias B]... [--password PW] [--at TIME] FILE...
                          your .p12 / .pem / .cer / .mobileconfig files under the S/MIME policy
  sectrust help           this usage only
Case files evaluate the basic X.509, SSL, S/MIME and code-signing policies today; the
revocation kind there arrives later.
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command<'a> {
    /// No arguments.
    Demo,
    /// `help`, `-h`, `--help`.
    Help,
    /// `cases FILE|-`.
    Cases(&'a OsStr),
    /// `limbo FILE [--output OUT]`.
    Limbo {
        file: &'a OsStr,
        output: Option<&'a OsStr>,
    },
    /// `smime --platform P --email A [--alias B] [--password PW] [--at TIME] FILE...`.
    Smime(smime::Args),
    /// Anything else: why it is wrong.
    Misuse(String),
}

/// Reads the arguments (program name excluded). Arguments need not be UTF-8.
fn parse_command(args: &[OsString]) -> Command<'_> {
    let Some(first) = args.first() else {
        return Command::Demo;
    };
    match (first.to_str(), &args[1..]) {
        (Some("help" | "-h" | "--help"), []) => Command::Help,
        (Some("cases"), [file]) => Command::Cases(file),
        (Some("cases"), []) => Command::Misuse("`cases` needs a FILE (or `-` for stdin)".into()),
        (Some("cases"), [_, extra, ..]) => Command::Misuse(format!(
            "`cases` takes one FILE; unexpected {:?}",
            extra.to_string_lossy()
        )),
        (Some("limbo"), rest) => parse_limbo(rest),
        (Some("smime"), rest) => smime::parse(rest).map_or_else(Command::Misuse, Command::Smime),
        _ => Command::Misuse(format!(
            "unknown subcommand {:?}",
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" ")
        )),
    }
}

/// `limbo FILE [--output OUT]` (the option may also come first).
fn parse_limbo(rest: &[OsString]) -> Command<'_> {
    let mut file = None;
    let mut output = None;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        if arg == "--output" || arg == "-o" {
            match it.next() {
                Some(out) if output.is_none() => output = Some(out.as_os_str()),
                Some(_) => return Command::Misuse("`limbo` takes one --output".into()),
                None => return Command::Misuse("`--output` needs a file name".into()),
            }
        } else if file.is_none() {
            file = Some(arg.as_os_str());
        } else {
            return Command::Misuse(format!(
                "`limbo` takes one FILE; unexpected {:?}",
                arg.to_string_lossy()
            ));
        }
    }
    match file {
        Some(file) => Command::Limbo { file, output },
        None => Command::Misuse("`limbo` needs a FILE (x509-limbo's limbo.json)".into()),
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match parse_command(&args) {
        Command::Demo => print_or_fail(|out| {
            writeln!(out, "{USAGE}")?;
            demo::run(out)
        }),
        Command::Help => print_or_fail(|out| out.write_all(USAGE.as_bytes())),
        Command::Cases(file) => cases::main(file),
        Command::Limbo { file, output } => limbo::main(file, output),
        Command::Smime(args) => smime::main(args),
        Command::Misuse(why) => {
            eprint!("sectrust: {why}\n\n{USAGE}");
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

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn dispatches_subcommands() {
        assert_eq!(parse_command(&[]), Command::Demo);
        for help in ["help", "-h", "--help"] {
            assert_eq!(parse_command(&args(&[help])), Command::Help);
        }
        let a = args(&["cases", "x.json"]);
        assert_eq!(parse_command(&a), Command::Cases(OsStr::new("x.json")));
        let a = args(&["cases", "-"]);
        assert_eq!(parse_command(&a), Command::Cases(OsStr::new("-")));
        let file = OsStr::new("limbo.json");
        let a = args(&["limbo", "limbo.json"]);
        let want = Command::Limbo { file, output: None };
        assert_eq!(parse_command(&a), want);
        let output = Some(OsStr::new("out.json"));
        let want = Command::Limbo { file, output };
        for list in [
            &["limbo", "limbo.json", "--output", "out.json"][..],
            &["limbo", "-o", "out.json", "limbo.json"][..],
        ] {
            assert_eq!(parse_command(&args(list)), want, "{list:?}");
        }
    }

    #[test]
    fn misuse_says_why() {
        for (list, want) in [
            (&["cases"][..], "`cases` needs a FILE"),
            (
                &["cases", "a", "b"][..],
                "`cases` takes one FILE; unexpected \"b\"",
            ),
            (&["ssl", "x"][..], "unknown subcommand \"ssl x\""),
            (&["limbo"][..], "`limbo` needs a FILE"),
            (
                &["limbo", "a", "--output"][..],
                "`--output` needs a file name",
            ),
            (
                &["limbo", "a", "b"][..],
                "`limbo` takes one FILE; unexpected \"b\"",
            ),
            (&["help", "me"][..], "unknown subcommand \"help me\""),
        ] {
            let Command::Misuse(why) = parse_command(&args(list)) else {
                panic!("{list:?}")
            };
            assert!(why.starts_with(want), "{why}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_arguments_do_not_panic() {
        use std::os::unix::ffi::OsStringExt;
        let bad = OsString::from_vec(vec![0xff, b'x']);
        assert!(matches!(
            parse_command(std::slice::from_ref(&bad)),
            Command::Misuse(_)
        ));
        let a = vec![OsString::from("cases"), bad.clone()];
        assert_eq!(parse_command(&a), Command::Cases(bad.as_os_str()));
    }

    #[test]
    fn usage_fits_a_screen_and_names_the_runner() {
        assert!(USAGE.lines().count() <= 10);
        assert!(USAGE.contains("sectrust cases FILE|-"));
        assert!(USAGE.contains("sectrust limbo FILE [--output OUT]"));
    }
}
