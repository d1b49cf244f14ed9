//! `sectrust diagnose --trusted-on P --untrusted-on Q [--error OSSTATUS] [--control FILE]
//! FILE... [--ssl HOST | --smime EMAIL [--alias B]...] [--at TIME] [--anchor F]...
//! [--system-store DIR] [--password PW] [--json]`: why one device trusts the leaf and another
//! does not (`explain::Diagnoser`).
//!
//! Prints every kind of cause — platform rules and the policy's quirk hypotheses, the verify
//! time, revocation outcomes, the chain, trust settings and profiles — as consistent (most
//! specific first), excluded or not evaluable, each with its reason. `--control` names a
//! certificate seen trusted on both devices (the same CA, the same devices): what would make
//! it untrusted too is excluded. Exit 0 when some cause is consistent, 1 when none is, 2 on
//! unreadable input.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use sectrust::Platform;
use sectrust::explain::{
    Cause, Consistency, Diagnoser, Diagnosis, Observation, Observed, VerdictSummary,
};

use crate::setup::{InputArgs, Setup, leaf_of};
use crate::style::{Paint, wrap};
use crate::{platforms, rfc3339};

/// The parsed command line.
#[derive(Debug, clap::Args)]
#[command(
    override_usage = "sectrust diagnose --trusted-on P --untrusted-on Q [--error OSSTATUS] [--control FILE]\n                     FILE... [--ssl HOST | --smime EMAIL [--alias B]...] [--at TIME] [--anchor F]...\n                     [--system-store DIR] [--password PW] [--json]"
)]
pub struct Args {
    /// The platform that trusted the certificate (side A)
    #[arg(long, value_name = "P", value_parser = platforms::parse_one)]
    trusted_on: Platform,
    /// The platform that did not (side B)
    #[arg(long, value_name = "Q", value_parser = platforms::parse_one)]
    untrusted_on: Platform,
    /// The OSStatus Q reported, if known (e.g. -25318 for a missing intermediate)
    #[arg(long, value_name = "OSSTATUS", allow_negative_numbers = true)]
    error: Option<i32>,
    /// A file whose leaf both devices trusted (same CA, same circumstances)
    #[arg(long, value_name = "FILE")]
    control: Option<PathBuf>,
    #[command(flatten)]
    inputs: InputArgs,
    /// Print the diagnosis as JSON
    #[arg(long)]
    json: bool,
}

/// Runs the subcommand.
pub fn main(args: Args) -> ExitCode {
    crate::exit_status(
        "diagnose",
        run(&args, &mut std::io::stdout().lock(), Paint::for_stdout()),
    )
}

/// Diagnoses and prints; `Ok(some cause is consistent)`.
fn run(args: &Args, out: &mut impl Write, paint: Paint) -> Result<bool, String> {
    let s = args.inputs.setup()?;
    let control = match &args.control {
        Some(file) => Some(leaf_of(file, args.inputs.password.as_deref())?),
        None => None,
    };
    let untrusted = match args.error {
        Some(code) => Observed::error(args.untrusted_on, code),
        None => Observed::not_trusted(args.untrusted_on),
    };
    let observation = Observation::new(Observed::trusted(args.trusted_on), untrusted);
    let policies = [s.policy.as_ref()];
    let mut diagnoser = Diagnoser::new(&s.evaluator, &s.leaf, &s.intermediates, &policies);
    if let Some((_, c)) = &control {
        diagnoser = diagnoser.control(c);
    }
    let d = diagnoser
        .diagnose(&observation)
        .map_err(|e| e.to_string())?;
    let text = if args.json {
        serde_json::to_string_pretty(&d).map_err(|e| e.to_string())? + "\n"
    } else {
        let control = control.as_ref().map(|(label, _)| label.as_str());
        report(&s, control, &d, paint)
    };
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(d.consistent().next().is_some())
}

/// Width of the wrapped reasons.
const WIDTH: usize = 92;

/// The observation and what the emulator shows as given, then the causes in three sections.
fn report(s: &Setup, control: Option<&str>, d: &Diagnosis, paint: Paint) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{} from {}: {}, at {}",
        paint.bold(&s.leaf.to_string()),
        s.label,
        s.policy_label,
        rfc3339::format(s.verify_time)
    );
    let _ = writeln!(t, "observed:  {}", d.observation);
    let _ = writeln!(
        t,
        "emulated:  {} on {}, {} on {} — {}",
        VerdictSummary::of(&d.baseline_a),
        d.baseline_a.platform(),
        VerdictSummary::of(&d.baseline_b),
        d.baseline_b.platform(),
        if d.reproduced {
            "as observed"
        } else {
            "not as observed"
        }
    );
    if let (Some(c), Some(label)) = (&d.control, control) {
        let _ = writeln!(
            t,
            "control:   {} from {label}: {} on {}, {} on {}",
            c.certificate,
            VerdictSummary::of(&c.baseline_a),
            c.baseline_a.platform(),
            VerdictSummary::of(&c.baseline_b),
            c.baseline_b.platform()
        );
    }
    let sections = [
        (
            Consistency::Consistent,
            "Consistent with the observation (most specific first):",
        ),
        (Consistency::Inconsistent, "Excluded:"),
        (Consistency::NotEvaluable, "Not evaluable:"),
    ];
    for (status, heading) in sections {
        let causes: Vec<&Cause> = d.causes.iter().filter(|c| c.status == status).collect();
        if causes.is_empty() {
            if status == Consistency::Consistent {
                let _ = writeln!(
                    t,
                    "\n{}",
                    paint.bold("No cause the emulator can vary reproduces the observation.")
                );
            }
            continue;
        }
        let _ = writeln!(t, "\n{}", paint.bold(heading));
        for c in causes {
            cause(&mut t, c, paint);
        }
    }
    t
}

/// `  ✓ quirk hypothesis PrimaryAddressOnly`, the reason wrapped, then the rule rows.
fn cause(t: &mut String, c: &Cause, paint: Paint) {
    let (mark, title) = match c.status {
        Consistency::Consistent => ("✓", paint.green(c.kind.name())),
        Consistency::Inconsistent => ("✗", c.kind.name().to_owned()),
        _ => ("?", c.kind.name().to_owned()),
    };
    let subject = c
        .subject
        .as_deref()
        .map(|s| format!(" — {s}"))
        .unwrap_or_default();
    let _ = writeln!(t, "  {mark} {title}{subject}");
    for line in wrap(&c.reason, WIDTH) {
        let line = if c.is_consistent() {
            line
        } else {
            paint.dim(&line)
        };
        let _ = writeln!(t, "      {line}");
    }
    for r in &c.rules {
        let text = format!("rule {r}");
        for (i, line) in wrap(&text, WIDTH).iter().enumerate() {
            let indent = if i == 0 { "      " } else { "        " };
            let _ = writeln!(t, "{indent}{line}");
        }
    }
}
