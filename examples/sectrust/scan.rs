//! `sectrust scan DIR [--ssl-from-san] [--platforms RANGE|LIST] [--at TIME]
//! [--format table|csv|json]`: every certificate file under DIR (recursively), evaluated on
//! every platform named, in parallel; reports which certificates break where, and why.
//!
//! Two passes over the files, each reading one file at a time inside the worker: the first
//! keeps only the CA certificates (issuers for everyone; self-issued ones are app anchors,
//! roots of configuration profiles profile-installed with full trust), the second evaluates
//! the files' leaves [`CHUNK`] files at a time and writes each chunk's rows before the next:
//! memory holds the file list, the CA certificates and one chunk of rows, whatever the number
//! of files. The evaluators of all platforms share one signature cache, so each leaf's
//! signature is verified once, not once per platform. A file's leaf is its first end-entity
//! certificate (a PKCS#12 identity, a profile's first identity); files of CA certificates only
//! are issuers, not rows; files that are not certificates at all are counted and skipped.
//! The table ends with the counts and a summary table: how many certificates each failure
//! breaks, on which platforms. A progress bar is drawn only when stderr is a terminal.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sectrust::certificate::GeneralName;
use sectrust::explain::PlatformSet;
use sectrust::formats::{self, FormatError, Loaded};
use sectrust::path::SignatureCache;
use sectrust::{
    BasicX509, Certificate, Error, Platform, Policy, Ssl, TrustEvaluator, TrustSetting, Verdict,
};

use crate::inputs::{Inputs, advice};
use crate::{platforms, rfc3339};

/// The parsed command line.
#[derive(Debug, clap::Args)]
#[command(
    override_usage = "sectrust scan DIR [--ssl-from-san] [--platforms RANGE|LIST] [--at TIME]\n                     [--format table|csv|json]"
)]
pub struct Args {
    /// The folder to scan (recursively)
    dir: PathBuf,
    /// Evaluate each leaf for TLS to its first SAN dNSName (basic X.509 otherwise)
    #[arg(long)]
    ssl_from_san: bool,
    /// `ios-12.0..latest`, `ios-13.0,macos-14.0`, `ios-majors` (iOS x.0 releases), `all` …
    #[arg(long, value_name = "RANGE|LIST", default_value = "ios-majors,latest", value_parser = platforms::parse_set)]
    platforms: PlatformSet,
    /// The verification time, RFC 3339 (default now)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// How to print the report
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people: one block per certificate, platforms grouped by outcome
    Table,
    /// One row per file × platform
    Csv,
    /// One object per file, with one result per platform
    Json,
}

/// Files evaluated before their rows are written (and dropped): enough to keep every worker
/// busy, few enough that the rows of one chunk are small.
const CHUNK: usize = 512;

/// One file's outcome: the only thing kept per file, until its chunk is written.
struct Row {
    /// Path relative to DIR.
    file: String,
    /// What was evaluated, or why the file could not be read.
    body: Result<Evaluated, String>,
}

struct Evaluated {
    subject: String,
    /// `basic` or `ssl:HOST`.
    policy: String,
    /// One per platform, oldest first (iOS, then macOS).
    outcomes: Vec<Outcome>,
}

#[derive(Clone, PartialEq, Eq)]
struct Outcome {
    result: String,
    trusted: bool,
    /// `[cert index] Check (OSStatus)` per failed check.
    failures: Vec<String>,
}

/// What the first pass keeps: issuers and trust for every evaluation.
#[derive(Default)]
struct Issuers {
    intermediates: Vec<Certificate>,
    anchors: Vec<Certificate>,
    user_trust: Vec<TrustSetting>,
}

/// Runs the subcommand; exit 2 when DIR cannot be read.
pub fn main(args: Args) -> ExitCode {
    match run(&args, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("sectrust scan: {why}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args, out: &mut impl Write) -> Result<(), String> {
    let verify_time = match &args.at {
        Some(t) => rfc3339::parse(t).map_err(|e| format!("--at {t}: {e}"))?,
        None => time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let mut files = Vec::new();
    walk(&args.dir, &mut files).map_err(|e| format!("{}: {e}", args.dir.display()))?;
    files.sort();
    let bar = progress(2 * files.len() as u64);

    bar.set_message("reading issuers");
    let issuers = files
        .par_iter()
        .map(|f| {
            let issuers = read(f).map(issuers_of).unwrap_or_default();
            bar.inc(1);
            issuers
        })
        .reduce(Issuers::default, |mut a, b| {
            a.intermediates.extend(b.intermediates);
            a.anchors.extend(b.anchors);
            a.user_trust.extend(b.user_trust);
            a
        });
    let cache = Arc::new(SignatureCache::new());
    let evaluators: Vec<TrustEvaluator> = args
        .platforms
        .iter()
        .map(|p| {
            TrustEvaluator::builder()
                .platform(p)
                .anchors(issuers.anchors.iter().cloned())
                .anchors_only(false)
                .user_trust(issuers.user_trust.iter().cloned())
                .verify_time_unix(verify_time)
                .with_cache(cache.clone())
                .build()
        })
        .collect();

    bar.set_message("evaluating");
    let platforms = args.platforms.as_slice();
    let mut tally = Tally::default();
    let mut write = |text: &str| out.write_all(text.as_bytes()).map_err(|e| e.to_string());
    match args.format {
        Format::Table => {}
        Format::Csv => write("file,subject,policy,platform,result,trusted,failures\n")?,
        Format::Json => write("[")?,
    }
    for chunk in files.chunks(CHUNK) {
        let rows: Vec<Row> = chunk
            .par_iter()
            .filter_map(|f| {
                let row = evaluate_file(args, &evaluators, &issuers.intermediates, f);
                bar.inc(1);
                row
            })
            .collect();
        let text = match args.format {
            Format::Table => table(platforms, &rows, &mut tally),
            Format::Csv => csv(platforms, &rows),
            Format::Json => json(platforms, &rows, tally.rows)?,
        };
        tally.rows += rows.len();
        write(&text)?;
    }
    bar.finish_and_clear();

    let skipped = files.len() - tally.rows;
    match args.format {
        Format::Table => write(&table_summary(platforms, &tally, skipped)),
        Format::Csv => Ok(()),
        Format::Json if tally.rows == 0 => write("]\n"),
        Format::Json => write("\n]\n"),
    }
}

/// What the report counts across chunks.
#[derive(Default)]
struct Tally {
    rows: usize,
    everywhere: usize,
    somewhere: usize,
    unread: usize,
    /// (platforms, failures) → how many certificates break so, in first-seen order.
    breaks: Vec<(String, String, usize)>,
}

/// A bar on stderr when it is a terminal; otherwise nothing is drawn.
fn progress(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg:>16} [{bar:40}] {pos}/{len} files") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Every regular file under `dir`; symbolic links to folders are not followed (no cycles).
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, files)?;
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            files.push(path);
        }
    }
    Ok(())
}

/// Reads and decodes one file (no password: protected .p12 files are reported).
fn read(file: &Path) -> Result<Loaded, Error> {
    let bytes = std::fs::read(file).map_err(|e| Error::StoreData(e.to_string()))?;
    formats::load(&bytes, None)
}

fn issuers_of(loaded: Loaded) -> Issuers {
    let mut inputs = Inputs::default();
    inputs.add("", loaded);
    Issuers {
        intermediates: inputs.intermediates,
        anchors: inputs.anchors,
        user_trust: inputs.user_trust,
    }
}

/// The row of one file; `None` for files that are not certificates or hold only CAs.
fn evaluate_file(
    args: &Args,
    evaluators: &[TrustEvaluator],
    intermediates: &[Certificate],
    file: &Path,
) -> Option<Row> {
    let name = file
        .strip_prefix(&args.dir)
        .unwrap_or(file)
        .display()
        .to_string();
    let loaded = match read(file) {
        Ok(loaded) => loaded,
        Err(Error::Format(FormatError::Unrecognised)) => return None,
        Err(e) => {
            return Some(Row {
                file: name,
                body: Err(advice(&e)),
            });
        }
    };
    let mut inputs = Inputs::default();
    inputs.add(&name, loaded);
    let (_, leaf) = inputs.leaves.into_iter().next()?;
    let host = args.ssl_from_san.then(|| first_dns_name(&leaf)).flatten();
    let (policy, label): (Box<dyn Policy>, String) = match host {
        Some(host) => (Box::new(Ssl::server(host.clone())), format!("ssl:{host}")),
        None => (Box::new(BasicX509), "basic".into()),
    };
    let outcomes: Result<Vec<Outcome>, String> = evaluators
        .iter()
        .map(|ev| {
            ev.evaluate(&leaf, intermediates, &[policy.as_ref()])
                .map(|v| outcome(&v))
                .map_err(|e| e.to_string())
        })
        .collect();
    Some(Row {
        file: name,
        body: outcomes.map(|outcomes| Evaluated {
            subject: leaf.subject_summary(),
            policy: label,
            outcomes,
        }),
    })
}

fn first_dns_name(cert: &Certificate) -> Option<String> {
    cert.extensions().subject_alt_names().find_map(|n| match n {
        GeneralName::Dns(name) => Some(name.clone()),
        _ => None,
    })
}

fn outcome(verdict: &Verdict) -> Outcome {
    Outcome {
        result: verdict.result().to_string(),
        trusted: verdict.is_trusted(),
        failures: verdict
            .failures()
            .iter()
            .map(|f| format!("[{}] {} ({})", f.cert_index, f.check, f.os_status))
            .collect(),
    }
}

/// Consecutive platforms with equal outcomes: `(span, outcome)`, span `ios-13.0..ios-15.8`.
fn runs<'a>(platforms: &[Platform], outcomes: &'a [Outcome]) -> Vec<(String, &'a Outcome)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < outcomes.len() {
        let o = &outcomes[start];
        let end = (start..outcomes.len())
            .take_while(|&i| outcomes[i] == *o)
            .last()
            .unwrap_or(start);
        let span = if end == start {
            platforms[start].to_string()
        } else {
            format!("{}..{}", platforms[start], platforms[end])
        };
        out.push((span, o));
        start = end + 1;
    }
    out
}

/// For people: each certificate, then its platforms grouped into runs of equal outcome; the
/// failures are tallied for [`table_summary`].
fn table(platforms: &[Platform], rows: &[Row], tally: &mut Tally) -> String {
    let mut s = String::new();
    for row in rows {
        let e = match &row.body {
            Ok(e) => e,
            Err(why) => {
                tally.unread += 1;
                let _ = writeln!(s, "{}: not read: {why}", row.file);
                continue;
            }
        };
        if e.outcomes.iter().all(|o| o.trusted) {
            tally.everywhere += 1;
            let _ = writeln!(
                s,
                "{} ({}, {}): trusted on all {} platforms",
                row.file,
                e.subject,
                e.policy,
                platforms.len()
            );
            continue;
        }
        tally.somewhere += 1;
        let _ = writeln!(s, "{} ({}, {}):", row.file, e.subject, e.policy);
        for (span, o) in runs(platforms, &e.outcomes) {
            let what = if o.trusted {
                "trusted".to_owned()
            } else {
                let why = o.failures.join(", ");
                match tally
                    .breaks
                    .iter_mut()
                    .find(|(p, w, _)| *p == span && *w == why)
                {
                    Some(b) => b.2 += 1,
                    None => tally.breaks.push((span.clone(), why.clone(), 1)),
                }
                format!("NOT trusted: {why}")
            };
            let _ = writeln!(s, "  {span:<24} {what}");
        }
    }
    s
}

/// The table's closing lines: the counts, then which failures break how many certificates on
/// which platforms.
fn table_summary(platforms: &[Platform], tally: &Tally, skipped: usize) -> String {
    let mut s = format!(
        "\n{} certificates on {} platforms: {} trusted everywhere, {} break somewhere, {} not \
         read; {skipped} other files (CA certificates or not certificates)\n",
        tally.rows,
        platforms.len(),
        tally.everywhere,
        tally.somewhere,
        tally.unread
    );
    if !tally.breaks.is_empty() {
        // Most certificates first; ties in first-seen order (the sort is stable).
        let mut breaks: Vec<&(String, String, usize)> = tally.breaks.iter().collect();
        breaks.sort_by_key(|b| std::cmp::Reverse(b.2));
        let _ = writeln!(s, "\n{:>12}  {:<24} why", "certificates", "platforms");
        for (span, why, n) in breaks {
            let _ = writeln!(s, "{n:>12}  {span:<24} {why}");
        }
    }
    s
}

/// One row per file × platform, files in path order, platforms oldest first (iOS, then macOS;
/// the header is written before the first chunk).
fn csv(platforms: &[Platform], rows: &[Row]) -> String {
    let mut s = String::new();
    for row in rows {
        match &row.body {
            Ok(e) => {
                for (p, o) in platforms.iter().zip(&e.outcomes) {
                    let fields = [
                        row.file.as_str(),
                        &e.subject,
                        &e.policy,
                        &p.to_string(),
                        &o.result,
                        if o.trusted { "true" } else { "false" },
                        &o.failures.join("; "),
                    ];
                    csv_line(&mut s, &fields);
                }
            }
            Err(why) => csv_line(&mut s, &[&row.file, "", "", "", "error", "false", why]),
        }
    }
    s
}

fn csv_line(s: &mut String, fields: &[&str]) {
    let cells: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                (*f).to_owned()
            }
        })
        .collect();
    s.push_str(&cells.join(","));
    s.push('\n');
}

/// The elements of one chunk in a pretty-printed JSON array, after `preceding` elements (the
/// brackets are written around all chunks).
fn json(platforms: &[Platform], rows: &[Row], preceding: usize) -> Result<String, String> {
    use serde_json::json;
    let mut s = String::new();
    for (i, row) in rows.iter().enumerate() {
        let value = match &row.body {
            Ok(e) => json!({
                "file": row.file,
                "subject": e.subject,
                "policy": e.policy,
                "results": platforms.iter().zip(&e.outcomes).map(|(p, o)| json!({
                    "platform": p.to_string(),
                    "result": o.result,
                    "trusted": o.trusted,
                    "failures": o.failures,
                })).collect::<Vec<_>>(),
            }),
            Err(why) => json!({"file": row.file, "error": why}),
        };
        let pretty = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
        s.push_str(if preceding + i == 0 { "\n" } else { ",\n" });
        // As serde_json prints an array element: every line indented one level.
        for (j, line) in pretty.lines().enumerate() {
            if j > 0 {
                s.push('\n');
            }
            s.push_str("  ");
            s.push_str(line);
        }
    }
    Ok(s)
}
