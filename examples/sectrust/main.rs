//! `sectrust`: the crate's command-line example.
//!
//! - no arguments: the usage, then a one-screen demo of basic evaluation on generated
//!   certificates;
//! - `cases FILE|-`: the JSON case runner (`case-format.md`);
//! - `help`, `-h`, `--help`: the usage only.
//!
//! Anything else prints the usage on stderr and exits 2.

mod cases;
mod demo;
mod rfc3339;

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::process::ExitCode;

/// The usage screen. Lists only what exists.
const USAGE: &str = "\
sectrust — Apple's certificate trust evaluation (iOS / macOS), off the device

usage:
  sectrust                this usage, then a demo on generated certificates
  sectrust cases FILE|-   evaluate a JSON case file (case-format.md), one JSON line per case
  sectrust help           this usage only
The runner evaluates the basic X.509 and S/MIME policies today; SSL and limbo
subcommands (and the other policies in case files) arrive later.
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
        _ => Command::Misuse(format!(
            "unknown subcommand {:?}",
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" ")
        )),
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
    }
}
