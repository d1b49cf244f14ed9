//! `sectrust matrix FILE... [--ssl HOST | --smime EMAIL [--alias B]...]
//! [--platforms RANGE|LIST|all] [--at TIME] [--anchor F]... [--system-store DIR]
//! [--password PW] [--json]`: one input on many platform profiles (`explain::Matrix`), as a
//! table of runs of consecutive versions with the same verdict — "iOS 7.0–12.5 trusted; iOS
//! 13.0 and later: SSLHostname −67602" — or as the matrix's JSON shape (`sectrust::explain`).
//!
//! Exit 0 trusted on every profile, 1 not trusted on some, 2 unreadable input.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use sectrust::explain::{Matrix, MatrixGroup, PlatformSet};
use sectrust::verdict::AnchorKind;

use crate::platforms;
use crate::rfc3339;
use crate::setup::{InputArgs, Setup};
use crate::style::Paint;

/// The parsed command line.
#[derive(Debug, clap::Args)]
#[command(
    override_usage = "sectrust matrix FILE... [--ssl HOST | --smime EMAIL [--alias B]...]\n                     [--platforms RANGE|LIST|all] [--at TIME] [--anchor F]... [--system-store DIR]\n                     [--password PW] [--json]"
)]
pub struct Args {
    #[command(flatten)]
    inputs: InputArgs,
    /// `all`, a range `ios-12.0..latest`, a list `ios-12.0,macos-14.0`, `ios`, `macos`, `majors`
    #[arg(long, value_name = "RANGE|LIST|all", default_value = "all", value_parser = platforms::parse_set)]
    platforms: PlatformSet,
    /// Print the matrix as JSON
    #[arg(long)]
    json: bool,
}

/// Runs the subcommand.
pub fn main(args: Args) -> ExitCode {
    crate::exit_status(
        "matrix",
        run(&args, &mut std::io::stdout().lock(), Paint::for_stdout()),
    )
}

/// Evaluates and prints; `Ok(trusted everywhere)`.
fn run(args: &Args, out: &mut impl Write, paint: Paint) -> Result<bool, String> {
    let s = args.inputs.setup()?;
    let matrix = Matrix::evaluate(
        &s.evaluator,
        &args.platforms,
        &s.leaf,
        &s.intermediates,
        &[s.policy.as_ref()],
    )
    .map_err(|e| e.to_string())?;
    let text = if args.json {
        serde_json::to_string_pretty(&matrix).map_err(|e| e.to_string())? + "\n"
    } else {
        table(&s, &matrix, paint)
    };
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(matrix.entries().iter().all(|e| e.verdict.is_trusted()))
}

/// The leaf and the policy, then one row per run of profiles, then what it took.
fn table(s: &Setup, matrix: &Matrix, paint: Paint) -> String {
    let groups = matrix.groups();
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{} from {}: {}, at {}",
        paint.bold(&s.leaf.to_string()),
        s.label,
        s.policy_label,
        rfc3339::format(s.verify_time)
    );
    let same_chain = groups
        .windows(2)
        .all(|w| w[0].summary.chain == w[1].summary.chain);
    if same_chain && let Some(g) = groups.first() {
        let _ = writeln!(t, "chain: {}", chain(g, matrix));
    }
    t.push('\n');
    let width = groups
        .iter()
        .map(|g| g.span().chars().count())
        .max()
        .unwrap_or(0);
    for g in &groups {
        let span = g.span();
        let pad = " ".repeat(width - span.chars().count());
        let verdict = if g.summary.is_trusted() {
            paint.green(&g.summary.to_string())
        } else {
            paint.red(&format!("NOT trusted: {}", g.summary))
        };
        let _ = writeln!(t, "{}{pad}  {verdict}", paint.bold(&span));
        let indent = " ".repeat(width + 2);
        if let Some(e) = matrix.verdict(g.from).and_then(|v| v.primary_error()) {
            let _ = writeln!(t, "{indent}{}", paint.dim(&e.message));
        }
        if !same_chain {
            let _ = writeln!(
                t,
                "{indent}{}",
                paint.dim(&format!("chain: {}", chain(g, matrix)))
            );
        }
    }
    let _ = writeln!(
        t,
        "\n{} profiles in {} runs; {} evaluations (profiles with the same rules share one)",
        matrix.entries().len(),
        groups.len(),
        matrix.evaluations()
    );
    t
}

/// `“leaf” → “CA” → “Root” (app anchor)`.
fn chain(g: &MatrixGroup, matrix: &Matrix) -> String {
    let names: Vec<String> = g.summary.chain.iter().map(|c| c.to_string()).collect();
    let anchor = match matrix.verdict(g.from).map(|v| v.anchor()) {
        Some(AnchorKind::App) => "app anchor",
        Some(AnchorKind::User) => "user/admin trust setting",
        Some(AnchorKind::System) => "system store",
        _ => "no trusted anchor",
    };
    format!("{} ({anchor})", names.join(" → "))
}
