//! `sectrust eval FILE... [--ssl HOST | --smime EMAIL [--alias B]...] [--platform P]
//! [--at TIME] [--anchor F]... [--system-store DIR] [--password PW] [--json]`: the user's own
//! files under one policy on one platform.
//!
//! Files are read by content (`setup.rs`). The first end-entity certificate found is the leaf;
//! every CA certificate is offered as an intermediate (a root given here is *not* trusted: pass
//! it with `--anchor`); `--anchor` files are app anchors; `--system-store DIR` makes every
//! certificate file in DIR (not its subfolders) the system store. Prints the verdict, or its
//! JSON. Exit 0 trusted, 1 not trusted, 2 unreadable input.

use std::io::Write;
use std::process::ExitCode;

use sectrust::Platform;

use crate::platforms;
use crate::setup::InputArgs;

/// The parsed command line.
#[derive(Debug, clap::Args)]
#[command(
    override_usage = "sectrust eval FILE... [--ssl HOST | --smime EMAIL [--alias B]...] [--platform P]\n                     [--at TIME] [--anchor F]... [--system-store DIR] [--password PW] [--json]"
)]
pub struct Args {
    #[command(flatten)]
    inputs: InputArgs,
    /// The platform profile: latest, ios-MAJOR.MINOR or macos-MAJOR.MINOR
    #[arg(long, value_name = "P", default_value = "latest", value_parser = platforms::parse_one)]
    platform: Platform,
    /// Print the verdict as JSON
    #[arg(long)]
    json: bool,
}

/// Runs the subcommand.
pub fn main(args: Args) -> ExitCode {
    crate::exit_status("eval", run(&args, &mut std::io::stdout().lock()))
}

/// Evaluates and prints; `Ok(trusted)`.
fn run(args: &Args, out: &mut impl Write) -> Result<bool, String> {
    let s = args.inputs.setup()?;
    let verdict = s
        .evaluator
        .with_platform(args.platform)
        .evaluate(&s.leaf, &s.intermediates, &[s.policy.as_ref()])
        .map_err(|e| e.to_string())?;
    let text = if args.json {
        serde_json::to_string_pretty(&verdict).map_err(|e| e.to_string())? + "\n"
    } else {
        verdict.to_string()
    };
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(verdict.is_trusted())
}
